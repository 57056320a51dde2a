//! The class register (班级出席日报): who is on it on a day, each child's counted mark, the
//! day's summary, and the children the register has just raised as suspected dropouts.

use crate::attendance::MarkKind;
use crate::ids::{ClassId, RecordId, SchoolId, StudentId};
use crate::ledger::{suspected_by_absence_in, SuspectedRow};
use crate::state::State;
use crate::status::{Status, StatusEvent};
use crate::student::Student;
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterRow {
    pub student: Student,
    /// The counted mark; a child not marked reads as present, which holds once the day's
    /// register is handed in (see `marked`).
    pub mark: MarkKind,
    /// Whether the child has a mark that day. An unmarked child is present on a recorded day
    /// and unknown on a day nobody recorded, so the register shows which.
    pub marked: bool,
}

/// Whether a child whose recorded status on a day is `status` is expected in class that day.
/// A transfer out still waiting for its receipt is not (the child left; an overdue receipt makes
/// the child a suspected dropout on the ledger, not a present child on the register), nor is a
/// suspended, home-taught, graduated or deceased child, nor a dropout.
pub fn expected_in_class(status: Status) -> bool {
    matches!(status, Status::Enrolled | Status::SuspectedDropout | Status::Returned | Status::TransferredIn)
}

/// The recorded status of `student` at the end of `day`; a child with no status event yet is
/// enrolled.
fn recorded_status(state: &State, student: &Student, day: NaiveDate) -> Status {
    state.timeline(student.id).recorded_on(day).unwrap_or(Status::Enrolled)
}

/// The children of `class` expected in class on `day` (`expected_in_class`), in 学籍号 then name
/// order, with their marks.
pub fn class_register(state: &State, class: ClassId, day: NaiveDate) -> Vec<RegisterRow> {
    let mut rows: Vec<RegisterRow> = state
        .students_in_class(class)
        .into_iter()
        .filter(|student| expected_in_class(recorded_status(state, student, day)))
        .map(|student| {
            // Where half days are marked, the day counts as the worse half.
            let marks = state.counted_marks_on(student.id, day);
            let worst = marks.into_iter().map(|mark| mark.kind).max();
            RegisterRow { mark: worst.unwrap_or(MarkKind::Present), marked: worst.is_some(), student }
        })
        .collect();
    crate::sorting::sort_by(&mut rows, |a, b| {
        (&a.student.student_number, &a.student.name).cmp(&(&b.student.student_number, &b.student.name))
    });
    rows
}

/// The children of `class` on its roll or waiting for a receipt who are not expected in class
/// on `day`, each with the status that keeps them away: shown apart from the register, never as
/// present. Children who left for good (transfer confirmed, graduated, deceased, vocational
/// track) are not listed.
pub fn apart_from_register(state: &State, class: ClassId, day: NaiveDate) -> Vec<(Student, Status)> {
    let mut apart: Vec<(Student, Status)> = state
        .students_in_class(class)
        .into_iter()
        .map(|student| {
            let status = recorded_status(state, &student, day);
            (student, status)
        })
        .filter(|(_, status)| !expected_in_class(*status) && !status.left_lawfully())
        .collect();
    crate::sorting::sort_by(&mut apart, |a, b| a.0.name.cmp(&b.0.name));
    apart
}

/// The past school days of the current term on which `class`'s register was not handed in,
/// counted from the first day the class has a mark or a handed-in register (before that the
/// app was not in use): each is unknown, never a present day. Today is not among them: the
/// day is not over.
pub fn unrecorded_days(state: &State, school: SchoolId, class: ClassId, today: NaiveDate) -> Vec<NaiveDate> {
    let calendar = state.calendar(school);
    let Some(term) = calendar.terms.iter().filter(|term| term.start <= today).max_by_key(|term| term.start) else {
        return Vec::new();
    };
    let recorded = state.recorded_days_of(class);
    let first_mark = state
        .students_in_class(class)
        .iter()
        .flat_map(|student| state.counted_marks_of(student.id))
        .map(|mark| mark.day)
        .min();
    let Some(first_use) = [first_mark, recorded.first().copied()].into_iter().flatten().min() else {
        return Vec::new();
    };
    let Some(yesterday) = today.pred_opt() else { return Vec::new() };
    calendar
        .school_days(first_use.max(term.start), yesterday.min(term.end))
        .into_iter()
        .filter(|day| !recorded.contains(day))
        .collect()
}

/// The day's figures of a register: 应到 (expected), 实到 (present, late included), and each kind of
/// absence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DaySummary {
    pub expected: usize,
    pub present: usize,
    /// Children with no mark on a day whose register is not handed in: not known to be present.
    pub unknown: usize,
    pub late: usize,
    pub sick: usize,
    pub personal: usize,
    pub unexcused: usize,
}

impl DaySummary {
    /// The day's figures; `recorded` says whether the register was handed in, without which an
    /// unmarked child is unknown rather than present.
    pub fn of(rows: &[RegisterRow], recorded: bool) -> Self {
        rows.iter().fold(DaySummary { expected: rows.len(), ..DaySummary::default() }, |mut summary, row| {
            if !row.marked && !recorded {
                summary.unknown += 1;
                return summary;
            }
            match row.mark {
                MarkKind::Present => summary.present += 1,
                MarkKind::Late => {
                    summary.present += 1;
                    summary.late += 1;
                }
                MarkKind::Sick => summary.sick += 1,
                MarkKind::Personal => summary.personal += 1,
                MarkKind::Unexcused => summary.unexcused += 1,
            }
            summary
        })
    }
}

/// Children of `class` whose unexcused streak has reached the school's rule and who are not
/// reported yet: the register raises them for a report the same day (辍学上报不过夜).
pub fn raised_by_absence(state: &State, school: SchoolId, class: ClassId, today: NaiveDate) -> Vec<SuspectedRow> {
    suspected_by_absence_in(state, school, class, today)
}

/// The 疑似辍学 report of a child the register raised: `streak` unexcused school days in a row
/// from `first_day`, reported on `today` under the record id `id`. The evidence is written in
/// Chinese whatever the phone's language, because the record goes into the school's ledgers and
/// to the county as it is.
pub fn report_of(
    id: RecordId,
    student: StudentId,
    streak: usize,
    first_day: NaiveDate,
    today: NaiveDate,
) -> StatusEvent {
    StatusEvent {
        id,
        student,
        date: today,
        status: Status::SuspectedDropout,
        evidence: format!("连续旷课 {streak} 天（{first_day} – {today}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::SuspectedSource;
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};

    #[test]
    fn the_register_lists_children_on_roll_with_their_marks_and_sums_the_day() {
        let mut school = TestSchool::new();
        let present = school.enrol("甲", None);
        let late = school.enrol("乙", None);
        let truant = school.enrol("丙", None);
        let gone = school.enrol("丁", None);
        school.mark(late, "2026-10-09", MarkKind::Late);
        school.mark(truant, "2026-10-09", MarkKind::Sick);
        // A correction: the newer mark counts.
        school.mark(truant, "2026-10-09", MarkKind::Unexcused);
        school.status(gone, "2026-10-01", Status::TransferOutConfirmed, "回执");
        let rows = class_register(&school.state, CLASS_7, day("2026-10-09"));
        let marks: Vec<_> = rows.iter().map(|row| (row.student.id, row.mark)).collect();
        assert_eq!(marks.len(), 3, "the transferred child is not on the register");
        assert!(marks.contains(&(present, MarkKind::Present)));
        assert!(marks.contains(&(late, MarkKind::Late)));
        assert!(marks.contains(&(truant, MarkKind::Unexcused)));
        let summary = DaySummary::of(&rows, true);
        assert_eq!(
            summary,
            DaySummary { expected: 3, present: 2, unknown: 0, late: 1, sick: 0, personal: 0, unexcused: 1 }
        );
    }

    /// Before the register is handed in, a child nobody marked is not counted present: the day's
    /// figures say how many are not known.
    #[test]
    fn an_unmarked_child_on_a_day_not_recorded_is_unknown_not_present() {
        let mut school = TestSchool::new();
        let unmarked = school.enrol("甲", None);
        let late = school.enrol("乙", None);
        school.mark(late, "2026-10-09", MarkKind::Late);
        let rows = class_register(&school.state, CLASS_7, day("2026-10-09"));
        assert!(rows.iter().any(|row| row.student.id == unmarked && !row.marked));
        assert_eq!(
            DaySummary::of(&rows, false),
            DaySummary { expected: 2, present: 1, unknown: 1, late: 1, sick: 0, personal: 0, unexcused: 0 }
        );
        assert_eq!(DaySummary::of(&rows, true).present, 2);
    }

    /// A transfer out waiting for its receipt: once the receipt is overdue the child counts as a
    /// suspected dropout, but is still not on the register as present; shown apart instead.
    #[test]
    fn a_transfer_pending_receipt_is_not_on_the_register() {
        let mut school = TestSchool::new();
        let staying = school.enrol("甲", None);
        let leaving = school.enrol("乙", None);
        school.status(leaving, "2026-09-10", Status::TransferOutPending, "转往城关二中，待回执");
        let day_after_deadline = day("2026-10-14");
        let rows = class_register(&school.state, CLASS_7, day_after_deadline);
        assert_eq!(rows.iter().map(|row| row.student.id).collect::<Vec<_>>(), vec![staying]);
        let apart = apart_from_register(&school.state, CLASS_7, day_after_deadline);
        assert_eq!(
            apart.iter().map(|(student, status)| (student.id, *status)).collect::<Vec<_>>(),
            vec![(leaving, Status::TransferOutPending)]
        );
    }

    /// Thursday 8th unexcused; Friday 9th nobody handed the register in and the child has no
    /// mark; Monday 12th is the 农忙假; Tuesday 13th and Wednesday 14th unexcused. The unknown
    /// Friday does not break the run: three unexcused days raise the child. With Friday
    /// recorded (present), it does.
    #[test]
    fn an_unrecorded_day_inside_an_absence_run_raises_the_child() {
        let mut school = TestSchool::new();
        let child = school.enrol("戊", None);
        for date in ["2026-10-08", "2026-10-13", "2026-10-14"] {
            school.mark(child, date, MarkKind::Unexcused);
        }
        let raised = raised_by_absence(&school.state, SCHOOL, CLASS_7, day("2026-10-14"));
        assert_eq!(raised.iter().map(|row| row.student).collect::<Vec<_>>(), vec![child]);
        assert_eq!(raised[0].source, SuspectedSource::UnexcusedAbsence { streak: 3, first_day: day("2026-10-08") });
        assert_eq!(
            unrecorded_days(&school.state, SCHOOL, CLASS_7, day("2026-10-14")),
            vec![day("2026-10-08"), day("2026-10-09"), day("2026-10-13")]
        );

        school.record_days(SCHOOL, CLASS_7, "2026-10-09", "2026-10-09");
        assert!(raised_by_absence(&school.state, SCHOOL, CLASS_7, day("2026-10-14")).is_empty());
    }

    #[test]
    fn three_unexcused_days_raise_the_child_until_reported() {
        let mut school = TestSchool::new();
        let child = school.enrol("戊", None);
        for date in ["2026-10-09", "2026-10-13"] {
            school.mark(child, date, MarkKind::Unexcused);
        }
        // Friday 9th, then the 农忙假 on Monday 12th, then Tuesday 13th: two school days.
        assert!(raised_by_absence(&school.state, SCHOOL, CLASS_7, day("2026-10-13")).is_empty());
        school.mark(child, "2026-10-14", MarkKind::Unexcused);
        let raised = raised_by_absence(&school.state, SCHOOL, CLASS_7, day("2026-10-14"));
        assert_eq!(raised.iter().map(|row| row.student).collect::<Vec<_>>(), vec![child]);
        school.status(child, "2026-10-14", Status::SuspectedDropout, "连续旷课3天");
        assert!(raised_by_absence(&school.state, SCHOOL, CLASS_7, day("2026-10-14")).is_empty());
    }

    #[test]
    fn the_report_of_a_raised_child_says_the_streak_in_chinese_and_takes_them_off_the_prompt() {
        let mut school = TestSchool::new();
        let child = school.enrol("戊", None);
        for date in ["2026-10-09", "2026-10-13", "2026-10-14"] {
            school.mark(child, date, MarkKind::Unexcused);
        }
        let today = day("2026-10-14");
        let raised = raised_by_absence(&school.state, SCHOOL, CLASS_7, today);
        let [row] = raised.as_slice() else { panic!("one child is raised, not {raised:?}") };
        let SuspectedSource::UnexcusedAbsence { streak, first_day } = row.source else {
            panic!("raised by absence, not {:?}", row.source)
        };
        let id = school.record_id();

        let report = report_of(id, child, streak, first_day, today);

        assert_eq!(
            report,
            StatusEvent {
                id,
                student: child,
                date: today,
                status: Status::SuspectedDropout,
                evidence: "连续旷课 3 天（2026-10-09 – 2026-10-14）".into(),
            }
        );
        school.apply(crate::mutation::Change::RecordStatus(report));
        assert!(raised_by_absence(&school.state, SCHOOL, CLASS_7, today).is_empty());
    }
}
