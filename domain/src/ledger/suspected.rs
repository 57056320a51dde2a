//! The 疑似辍学台账: children reported as suspected dropouts, transfers whose receipt is
//! overdue, and children whose unexcused absences reached the school's rule.

use super::dropouts::on_dropout_ledger;
use super::{dropouts, students_of, DropoutLedger};
use crate::attendance::{AttendanceMark, DayMarks};
use crate::calendar::Calendar;
use crate::ids::{ClassId, RecordId, SchoolId, StudentId};
use crate::org::Grade;
use crate::relapse::{relapse_of, Relapse};
use crate::state::State;
use crate::status::{transfer_deadline, Status, StatusEvent, Timeline};
use crate::student::Student;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// One child of the 疑似辍学台账.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuspectedRow {
    pub student: StudentId,
    pub name: String,
    pub grade: Grade,
    pub class: ClassId,
    pub source: SuspectedSource,
    /// The day the child became a suspected dropout: the report, the day the transfer's receipt
    /// became overdue, or the school day the unexcused streak reached the rule.
    pub raised_on: NaiveDate,
    /// Raised after the child came back: a relapse, and the case to reopen.
    pub relapse: Option<Relapse>,
}

/// What put a child on the suspected-dropout ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuspectedSource {
    /// The school recorded 疑似辍学: the first event of the current run of such events.
    Reported { event: RecordId },
    /// A transfer out still without the receiving school's 回执 after
    /// `Rules::transfer_receipt_days`: how real dropouts hide.
    TransferWithoutReceipt { transfer: RecordId, recorded_on: NaiveDate },
    /// Unexcused school days in a row reached `Rules::suspected_after_unexcused_days`, and
    /// nobody has reported the child yet.
    UnexcusedAbsence { streak: usize, first_day: NaiveDate },
}

/// The 疑似辍学台账 of `school` at the end of `today`: children whose counted status is
/// 疑似辍学 (reported, or an unconfirmed transfer past its receipt deadline), and children whose
/// unexcused streak reached the rule but who are not reported yet. A child on the dropout
/// ledger is not listed again here.
pub fn suspected_dropouts(state: &State, school: SchoolId, today: NaiveDate) -> Vec<SuspectedRow> {
    suspected_beside(state, school, today, &dropouts(state, school, today))
}

pub(super) fn suspected_beside(
    state: &State,
    school: SchoolId,
    today: NaiveDate,
    dropouts: &DropoutLedger,
) -> Vec<SuspectedRow> {
    let on_dropout_ledger: BTreeSet<StudentId> = dropouts.rows.iter().map(|row| row.student).collect();
    suspected_among(state, school, students_of(state, school), today, |student, _| on_dropout_ledger.contains(&student))
}

/// The suspected dropouts among `students` of `school` whose unexcused absences raised them, for
/// one class's register: the same rows [`suspected_dropouts`] gives for them, computed from
/// their own records only.
pub fn suspected_by_absence_in(state: &State, school: SchoolId, class: ClassId, today: NaiveDate) -> Vec<SuspectedRow> {
    let students = state.students_in_class(class).into_iter().filter(|student| student.school == school).collect();
    suspected_among(state, school, students, today, |_, timeline| on_dropout_ledger(timeline, today))
        .into_iter()
        .filter(|row| matches!(row.source, SuspectedSource::UnexcusedAbsence { .. }))
        .collect()
}

/// The row of the 疑似辍学台账 that `student` has at the end of `today`, if any: the same row
/// [`suspected_dropouts`] gives for the child, computed from the child's own records only (the
/// child page asks for one child after each write, not for the whole school).
pub fn suspected_row(state: &State, student: &Student, today: NaiveDate) -> Option<SuspectedRow> {
    suspected_among(state, student.school, vec![student.clone()], today, |_, timeline| {
        on_dropout_ledger(timeline, today)
    })
    .pop()
}

/// The rows of `students` (all of `school`) not on the dropout ledger, in the ledger's order.
fn suspected_among(
    state: &State,
    school: SchoolId,
    students: Vec<Student>,
    today: NaiveDate,
    on_dropout_ledger: impl Fn(StudentId, &Timeline) -> bool,
) -> Vec<SuspectedRow> {
    let rules = state.rules(school);
    let calendar = state.calendar(school);
    // Each class's recorded days once, not once per child: this runs after every tap.
    let mut recorded_of: BTreeMap<ClassId, BTreeSet<NaiveDate>> = BTreeMap::new();
    let mut rows: Vec<SuspectedRow> = students
        .into_iter()
        .filter_map(|student| {
            let timeline = state.timeline(student.id);
            if on_dropout_ledger(student.id, &timeline) {
                return None;
            }
            let events: Vec<&StatusEvent> = timeline.events().iter().filter(|event| event.date <= today).collect();
            let (source, raised_on) = match events.last() {
                Some(last) if last.status == Status::SuspectedDropout => {
                    let report = current_run_start(&events, Status::SuspectedDropout).unwrap_or(last);
                    (SuspectedSource::Reported { event: report.id }, report.date)
                }
                Some(last) if last.status == Status::TransferOutPending => {
                    let deadline = transfer_deadline(last.date, rules.transfer_receipt_days);
                    if today < deadline {
                        return None;
                    }
                    (SuspectedSource::TransferWithoutReceipt { transfer: last.id, recorded_on: last.date }, deadline)
                }
                last if last.is_none_or(|event| expected_in_class(event.status)) => {
                    let marks = state.counted_marks_of(student.id);
                    let recorded = recorded_of
                        .entry(student.class)
                        .or_insert_with(|| state.recorded_days_of(student.class))
                        .clone();
                    let since = last.map(|event| event.date);
                    unexcused_run(&calendar, &marks, recorded, rules.suspected_after_unexcused_days, since, today)?
                }
                _ => return None,
            };
            Some(SuspectedRow {
                relapse: relapse_of(state, student.id, raised_on, today),
                student: student.id,
                name: student.name,
                grade: student.grade,
                class: student.class,
                source,
                raised_on,
            })
        })
        .collect();
    crate::sorting::sort_by(&mut rows, |a, b| {
        (a.raised_on, &a.name, a.student).cmp(&(b.raised_on, &b.name, b.student))
    });
    rows
}

fn expected_in_class(status: Status) -> bool {
    status.expected_in_class()
}

/// The first event of the run of `status` events that ends the list.
fn current_run_start<'a>(events: &[&'a StatusEvent], status: Status) -> Option<&'a StatusEvent> {
    events.iter().rev().take_while(|event| event.status == status).last().copied()
}

/// The days of `student`'s unexcused streak ending at `today`, within the term that holds it,
/// as the ledger counts them (recorded days only), whether or not the streak reached the rule:
/// the days a clearing (排除) puts right.
pub fn unexcused_streak(state: &State, student: &Student, today: NaiveDate) -> Vec<NaiveDate> {
    let calendar = state.calendar(student.school);
    let Some(term) = calendar.terms.iter().filter(|term| term.start <= today).max_by_key(|term| term.start) else {
        return Vec::new();
    };
    // From the child's last return to class: a report of 疑似辍学 after the streak does not
    // cut it short.
    let since = state
        .timeline(student.id)
        .events()
        .iter()
        .rev()
        .find(|event| event.date <= today && expected_in_class(event.status))
        .map(|event| event.date);
    let marks = state.counted_marks_of(student.id);
    DayMarks::new(marks.iter().copied(), state.recorded_days_of(student.class)).unexcused_run(
        &calendar,
        run_start(term.start, since),
        today.min(term.end),
    )
}

/// Where an unexcused run may begin (here and in the early warning's streak): the term's start, or the child's last status event if
/// later. A child back in class (复学, or 在读 again after being cleared) starts afresh: the
/// absences that made them a dropout must not raise them again the day they return.
pub(crate) fn run_start(term_start: NaiveDate, last_event: Option<NaiveDate>) -> NaiveDate {
    last_event.map_or(term_start, |day| day.max(term_start))
}

/// The unexcused streak of one student ending at `today`, if it reached `threshold` school days:
/// the source and the school day it reached the threshold. Counted within the term that holds
/// `today` (or the last one before it), over the days whose attendance is known (`DayMarks`):
/// a day nobody recorded neither breaks nor extends it, and today counts once it is marked or
/// recorded.
fn unexcused_run(
    calendar: &Calendar,
    marks: &[&AttendanceMark],
    recorded: std::collections::BTreeSet<NaiveDate>,
    threshold: u32,
    since: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<(SuspectedSource, NaiveDate)> {
    let term = calendar.terms.iter().filter(|term| term.start <= today).max_by_key(|term| term.start)?;
    let until = today.min(term.end);
    let run =
        DayMarks::new(marks.iter().copied(), recorded).unexcused_run(calendar, run_start(term.start, since), until);
    let threshold = usize::try_from(threshold.max(1)).unwrap_or(usize::MAX);
    if run.len() < threshold {
        return None;
    }
    let (first_day, raised_on) = (*run.first()?, *run.get(threshold - 1)?);
    Some((SuspectedSource::UnexcusedAbsence { streak: run.len(), first_day }, raised_on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::ledger::tests::absent_across_national_day;
    use crate::settings::Rules;
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};

    #[test]
    fn unexcused_days_around_a_holiday_raise_a_suspected_dropout() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        assert!(suspected_dropouts(&school.state, SCHOOL, day("2026-10-08")).is_empty());
        let rows = suspected_dropouts(&school.state, SCHOOL, day("2026-10-09"));
        assert_eq!(
            rows,
            vec![SuspectedRow {
                student,
                name: "张小明".into(),
                grade: Grade::new(7).unwrap(),
                class: CLASS_7,
                source: SuspectedSource::UnexcusedAbsence { streak: 3, first_day: day("2026-09-30") },
                raised_on: day("2026-10-09"),
                relapse: None,
            }]
        );
        // Tuesday 13th, before the register is taken: the weekend and the 农忙假 on Monday
        // neither break nor lengthen the run.
        let rows = suspected_dropouts(&school.state, SCHOOL, day("2026-10-13"));
        assert_eq!(rows[0].source, SuspectedSource::UnexcusedAbsence { streak: 3, first_day: day("2026-09-30") });
        school.mark(student, "2026-10-13", MarkKind::Unexcused);
        let rows = suspected_dropouts(&school.state, SCHOOL, day("2026-10-13"));
        assert_eq!(rows[0].source, SuspectedSource::UnexcusedAbsence { streak: 4, first_day: day("2026-09-30") });
        assert_eq!(rows[0].raised_on, day("2026-10-09"));
    }

    #[test]
    fn a_day_present_or_excused_breaks_the_run() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        school.mark(student, "2026-10-13", MarkKind::Sick);
        assert!(suspected_dropouts(&school.state, SCHOOL, day("2026-10-13")).is_empty());
    }

    #[test]
    fn the_threshold_is_the_schools_rule() {
        let mut school = TestSchool::new();
        absent_across_national_day(&mut school, "张小明");
        school.rules(SCHOOL, Rules { suspected_after_unexcused_days: 5, ..Rules::default() });
        assert!(suspected_dropouts(&school.state, SCHOOL, day("2026-10-09")).is_empty());
        school.rules(SCHOOL, Rules { suspected_after_unexcused_days: 1, ..Rules::default() });
        assert_eq!(suspected_dropouts(&school.state, SCHOOL, day("2026-10-09"))[0].raised_on, day("2026-09-30"));
    }

    #[test]
    fn a_retracted_absence_does_not_count() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let wrong = school.mark(student, "2026-09-30", MarkKind::Unexcused);
        school.mark(student, "2026-10-08", MarkKind::Unexcused);
        school.mark(student, "2026-10-09", MarkKind::Unexcused);
        school.retract(wrong);
        assert!(suspected_dropouts(&school.state, SCHOOL, day("2026-10-09")).is_empty());
    }

    /// Found by the Playwright walk from suspected to return: the three days that made the child
    /// a dropout raised them again the day they came back, since the days between were not
    /// recorded (they neither break nor extend a run).
    #[test]
    fn a_child_back_in_class_is_not_raised_again_by_the_absences_before() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        school.status(student, "2026-10-09", Status::DroppedOut, "确认辍学");
        school.status(student, "2026-10-14", Status::Returned, "复学，编入七年级(2)班");
        assert!(suspected_dropouts(&school.state, SCHOOL, day("2026-10-14")).is_empty());
        // Three new unexcused days after the return raise the child again.
        for date in ["2026-10-14", "2026-10-15", "2026-10-16"] {
            school.mark(student, date, MarkKind::Unexcused);
        }
        let rows = suspected_dropouts(&school.state, SCHOOL, day("2026-10-16"));
        assert_eq!(rows[0].source, SuspectedSource::UnexcusedAbsence { streak: 3, first_day: day("2026-10-14") });
    }

    #[test]
    fn a_reported_suspected_dropout_is_listed_from_the_report() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        let report = school.status(student, "2026-10-09", Status::SuspectedDropout, "连续旷课3天");
        school.status(student, "2026-10-12", Status::SuspectedDropout, "电话无人接");
        let rows = suspected_dropouts(&school.state, SCHOOL, day("2026-10-14"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].source, SuspectedSource::Reported { event: report });
        assert_eq!(rows[0].raised_on, day("2026-10-09"));
    }

    #[test]
    fn a_transfer_without_receipt_becomes_suspected_after_the_deadline() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let transfer = school.status(student, "2026-09-10", Status::TransferOutPending, "家长称转往广东");
        assert!(suspected_dropouts(&school.state, SCHOOL, day("2026-09-24")).is_empty());
        let rows = suspected_dropouts(&school.state, SCHOOL, day("2026-09-25"));
        assert_eq!(
            rows[0].source,
            SuspectedSource::TransferWithoutReceipt { transfer, recorded_on: day("2026-09-10") }
        );
        assert_eq!(rows[0].raised_on, day("2026-09-25"));
        school.status(student, "2026-09-28", Status::TransferOutConfirmed, "回执 from 东莞某校");
        assert!(suspected_dropouts(&school.state, SCHOOL, day("2026-09-28")).is_empty());
    }
}
