//! The child's file: the whole story of one child in date order, as the per-child
//! 劝返复学方案 a school files (一人一案): status events and flags with their evidence, the runs of
//! unexcused absence that reached the school's rule, the 排查台账 rows, the case, every contact,
//! notice, return and follow-up. Retracted records are left out; the history of retractions is
//! the conflicts' and the ledgers' business, not the paper's.

use crate::attendance::{DayMarks, MarkKind};
use crate::calendar::Calendar;
use crate::case::Case;
use crate::contact::Contact;
use crate::follow_up::{FollowUp, Placement};
use crate::ids::StudentId;
use crate::investigation::Investigation;
use crate::notice::Notice;
use crate::state::State;
use crate::status::StatusEvent;
use crate::student::FlagEvent;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// One dated line of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryEntry {
    /// The day the line is filed under: see [`StoryEvent`] for which day each kind takes.
    pub date: NaiveDate,
    pub event: StoryEvent,
}

/// What happened. Within one day the entries follow the order of this enum: where the child
/// stands first (status, flags), then what was seen (absences), then what the school did, in
/// the order of the work cycle (排查, 立案, 劝返 contacts, notice, 复学, 跟踪). Entries of one kind
/// and day keep their own order: status events as the timeline orders them (by stamp), the
/// others by record id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoryEvent {
    /// Filed on the event's date.
    Status(StatusEvent),
    /// A flag set or cleared, filed on its date.
    Flag(FlagEvent),
    /// Unexcused school days in a row that reached the school's rule, filed on the first day.
    Absence(AbsenceRun),
    /// A row of the 排查台账, filed on the day the child was found.
    Investigation(Investigation),
    /// The case (劝返复学方案) opened, filed on `opened_on`, else `found_on`; a case written
    /// before those fields existed is filed on its first contact, notice, return or follow-up,
    /// else on its deadline.
    CaseOpened(Case),
    /// A visit or call (of the case or not), filed on its date.
    Contact(Contact),
    /// A notice, filed on the day it was issued.
    Notice(Notice),
    /// A return (复学安置), filed on the day the child came back.
    Return(Placement),
    /// A follow-up check, filed on its date.
    FollowUp(FollowUp),
}

impl StoryEvent {
    /// The place of this kind within a day.
    fn rank(&self) -> u8 {
        match self {
            StoryEvent::Status(_) => 0,
            StoryEvent::Flag(_) => 1,
            StoryEvent::Absence(_) => 2,
            StoryEvent::Investigation(_) => 3,
            StoryEvent::CaseOpened(_) => 4,
            StoryEvent::Contact(_) => 5,
            StoryEvent::Notice(_) => 6,
            StoryEvent::Return(_) => 7,
            StoryEvent::FollowUp(_) => 8,
        }
    }
}

/// Unexcused school days in a row: the first and the last, and how many school days it held
/// (weekends, holidays and days nobody recorded lie between them without counting).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbsenceRun {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub days: usize,
}

/// The story of `student` up to the end of `today`, oldest first (the order of [`StoryEvent`]
/// within a day). Empty for a student this state does not hold.
pub fn story(state: &State, student: StudentId, today: NaiveDate) -> Vec<StoryEntry> {
    let Some(child) = state.student(student) else { return Vec::new() };
    let live = |id| !state.is_retracted(id);
    let timeline = state.timeline(student);
    let mut entries: Vec<StoryEntry> = Vec::new();
    let mut add = |date: NaiveDate, event: StoryEvent| {
        if date <= today {
            entries.push(StoryEntry { date, event });
        }
    };

    for event in timeline.events() {
        add(event.date, StoryEvent::Status(event.clone()));
    }
    for event in state.flag_events_of(student) {
        add(event.date, StoryEvent::Flag(event));
    }
    // A return to class starts a run afresh, as on the ledger: the days that made the child a
    // dropout are one run, the days of a relapse another.
    let fresh_starts: BTreeSet<NaiveDate> =
        timeline.events().iter().filter(|event| event.status.expected_in_class()).map(|event| event.date).collect();
    let marks = DayMarks::new(state.counted_marks_of(student), state.recorded_days_of(child.class));
    let threshold =
        usize::try_from(state.rules(child.school).suspected_after_unexcused_days.max(1)).unwrap_or(usize::MAX);
    for run in unexcused_runs(&state.calendar(child.school), &marks, &fresh_starts, today) {
        if run.days >= threshold {
            add(run.first_day, StoryEvent::Absence(run));
        }
    }

    let of_child = |id: StudentId| id == student;
    let mut investigations: Vec<Investigation> = state
        .investigations
        .values()
        .map(|stamped| &stamped.value)
        .filter(|row| of_child(row.student) && live(row.id))
        .cloned()
        .collect();
    investigations.sort_by_key(|row| (row.found_on, row.id));
    for row in investigations {
        add(row.found_on, StoryEvent::Investigation(row));
    }
    let contacts =
        sorted(state.contacts.values().map(|s| &s.value), |c| of_child(c.student) && live(c.id), |c| (c.date, c.id));
    let notices = sorted(
        state.notices.values().map(|s| &s.value),
        |n| of_child(n.student) && live(n.id),
        |n| (n.issued_on, n.id),
    );
    let placements = sorted(
        state.placements.values().map(|s| &s.value),
        |p| of_child(p.student) && live(p.id),
        |p| (p.returned_on, p.id),
    );
    let follow_ups =
        sorted(state.follow_ups.values().map(|s| &s.value), |f| of_child(f.student) && live(f.id), |f| (f.date, f.id));

    let mut cases: Vec<Case> = state.cases().into_iter().filter(|case| of_child(case.student)).collect();
    cases.sort_by_key(|case| case.id);
    for case in cases {
        let first_record = contacts
            .iter()
            .filter(|c| c.case == Some(case.id))
            .map(|c| c.date)
            .chain(notices.iter().filter(|n| n.case == case.id).map(|n| n.issued_on))
            .chain(placements.iter().filter(|p| p.case == case.id).map(|p| p.returned_on))
            .chain(follow_ups.iter().filter(|f| f.case == case.id).map(|f| f.date))
            .min();
        let date = case.opened_on.or(case.found_on).or(first_record).unwrap_or(case.deadline);
        add(date, StoryEvent::CaseOpened(case));
    }
    for contact in contacts {
        add(contact.date, StoryEvent::Contact(contact));
    }
    for notice in notices {
        add(notice.issued_on, StoryEvent::Notice(notice));
    }
    for placement in placements {
        add(placement.returned_on, StoryEvent::Return(placement));
    }
    for follow_up in follow_ups {
        add(follow_up.date, StoryEvent::FollowUp(follow_up));
    }

    // Stable: entries of one kind and day keep the order they were added in.
    entries.sort_by_key(|entry| (entry.date, entry.event.rank()));
    entries
}

/// The records among `records` that `keep` keeps, cloned and sorted by `key`.
fn sorted<'a, T: Clone + 'a, K: Ord>(
    records: impl Iterator<Item = &'a T>,
    keep: impl Fn(&T) -> bool,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut kept: Vec<T> = records.filter(|record| keep(record)).cloned().collect();
    kept.sort_by_key(|record| key(record));
    kept
}

/// Every run of unexcused school days up to `today`, however short, term by term. As on the
/// ledger (`DayMarks::unexcused_run`), a school day nobody recorded and the child has no mark
/// for neither breaks nor lengthens a run; a run ends at a day present or excused, at the end
/// of its term, and before a day in `fresh_starts` (the child back in class).
fn unexcused_runs(
    calendar: &Calendar,
    marks: &DayMarks,
    fresh_starts: &BTreeSet<NaiveDate>,
    today: NaiveDate,
) -> Vec<AbsenceRun> {
    let mut runs = Vec::new();
    for term in calendar.terms.iter().filter(|term| term.start <= today) {
        let mut current: Option<AbsenceRun> = None;
        for day in calendar.school_days(term.start, today.min(term.end)) {
            let restart = current
                .is_some_and(|run| fresh_starts.range(run.last_day.succ_opt().unwrap_or(day)..=day).next().is_some());
            if restart {
                runs.extend(current.take());
            }
            match marks.known(day) {
                None => {}
                Some(MarkKind::Unexcused) => {
                    let run = current.get_or_insert(AbsenceRun { first_day: day, last_day: day, days: 0 });
                    run.last_day = day;
                    run.days += 1;
                }
                Some(_) => runs.extend(current.take()),
            }
        }
        runs.extend(current.take());
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Measure;
    use crate::casework::{case_of, confirm, record_return, Confirmation, ConfirmationIds, Return};
    use crate::contact::ContactMethod;
    use crate::ids::{CaseId, RecordId};
    use crate::investigation::DropoutReason;
    use crate::ledger::tests::absent_across_national_day;
    use crate::risk::Level;
    use crate::settings::Rules;
    use crate::status::Status;
    use crate::student::Flag;
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};

    /// A short name per entry, to compare whole stories at a glance.
    fn outline(entries: &[StoryEntry]) -> Vec<String> {
        entries
            .iter()
            .map(|entry| {
                let what = match &entry.event {
                    StoryEvent::Status(event) => format!("status {:?}", event.status),
                    StoryEvent::Flag(event) => format!("flag {:?} {}", event.flag, event.set),
                    StoryEvent::Absence(run) => format!("absent {} days to {}", run.days, run.last_day),
                    StoryEvent::Investigation(_) => "investigation".into(),
                    StoryEvent::CaseOpened(_) => "case".into(),
                    StoryEvent::Contact(contact) => format!("contact {:?}", contact.method),
                    StoryEvent::Notice(_) => "notice".into(),
                    StoryEvent::Return(_) => "return".into(),
                    StoryEvent::FollowUp(_) => "follow-up".into(),
                };
                format!("{} {what}", entry.date)
            })
            .collect()
    }

    fn confirmation(found_on: &str, deadline: &str) -> Confirmation {
        Confirmation {
            found_on: day(found_on),
            reasons: vec![DropoutReason::DislikesSchool],
            investigator: "王老师".into(),
            note: "随父亲外出".into(),
            responsible: vec!["王老师".into(), "陈校长".into()],
            difficulty: Level::Medium,
            difficulty_note: String::new(),
            measures: vec![Measure::HomeVisit, Measure::Phone],
            deadline: day(deadline),
        }
    }

    /// 张小明: enrolled, flagged 动摇生, three unexcused days across National Day, confirmed on
    /// the 9th (case opened on the 12th), a visit, a notice, back on the 14th, checked on the 21st.
    fn persuaded_and_back(school: &mut TestSchool) -> (StudentId, CaseId) {
        let student = absent_across_national_day(school, "张小明");
        school.flag(student, Flag::Wavering, "2026-09-20");
        let ids = ConfirmationIds {
            investigation: RecordId::from_u128(0x100),
            status: RecordId::from_u128(0x101),
            case: CaseId::from_u128(0x102),
        };
        for change in confirm(student, &confirmation("2026-10-09", "2026-10-30"), day("2026-10-12"), ids) {
            school.apply(change);
        }
        let case = case_of(&school.state, student).unwrap();
        school.case_contact(student, case.id, "2026-10-12", ContactMethod::HomeVisit, None);
        school.notice(student, case.id, "2026-10-13", "2026-10-20");
        let back = Return { returned_on: day("2026-10-14"), class: CLASS_7, catch_up_plan: "数学补课".into() };
        let (placement, status) = (RecordId::from_u128(0x200), RecordId::from_u128(0x201));
        for change in record_return(&school.state, &case, &back, placement, status) {
            school.apply(change);
        }
        school.follow_up(student, case.id, "2026-10-21");
        (student, case.id)
    }

    #[test]
    fn the_whole_story_in_date_order() {
        let mut school = TestSchool::new();
        let (student, _) = persuaded_and_back(&mut school);
        assert_eq!(
            outline(&story(&school.state, student, day("2026-10-30"))),
            [
                "2026-09-01 status Enrolled",
                "2026-09-20 flag Wavering true",
                "2026-09-30 absent 3 days to 2026-10-09",
                // Found on the 9th: the status 劝返中 dates from then, and the 排查台账 row.
                "2026-10-09 status BeingPersuaded",
                "2026-10-09 investigation",
                "2026-10-12 case",
                "2026-10-12 contact HomeVisit",
                "2026-10-13 notice",
                "2026-10-14 status Returned",
                "2026-10-14 return",
                "2026-10-21 follow-up",
            ]
        );
    }

    #[test]
    fn the_story_stops_at_today() {
        let mut school = TestSchool::new();
        let (student, _) = persuaded_and_back(&mut school);
        let told = outline(&story(&school.state, student, day("2026-10-12")));
        assert_eq!(told.last().map(String::as_str), Some("2026-10-12 contact HomeVisit"));
    }

    #[test]
    fn retracted_records_are_left_out() {
        let mut school = TestSchool::new();
        let (student, case) = persuaded_and_back(&mut school);
        let wrong_visit = school.case_contact(student, case, "2026-10-13", ContactMethod::Phone, None);
        let wrong_status = school.status(student, "2026-10-22", Status::DroppedOut, "点错了");
        school.retract(wrong_visit);
        school.retract(wrong_status);
        let told = outline(&story(&school.state, student, day("2026-10-30")));
        assert!(!told.iter().any(|line| line.contains("Phone") || line.contains("DroppedOut")), "{told:?}");
        assert_eq!(told.len(), 11);
    }

    #[test]
    fn absence_runs_shorter_than_the_rule_are_left_out() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        school.mark(student, "2026-10-13", MarkKind::Present);
        // Two days, a present day, then one.
        for date in ["2026-10-14", "2026-10-15"] {
            school.mark(student, date, MarkKind::Unexcused);
        }
        school.mark(student, "2026-10-16", MarkKind::Sick);
        school.mark(student, "2026-10-19", MarkKind::Unexcused);
        let runs = |school: &TestSchool| -> Vec<String> {
            outline(&story(&school.state, student, day("2026-10-30")))
                .into_iter()
                .filter(|line| line.contains("absent"))
                .collect()
        };
        assert_eq!(runs(&school), ["2026-09-30 absent 3 days to 2026-10-09"]);
        school.rules(SCHOOL, Rules { suspected_after_unexcused_days: 1, ..Rules::default() });
        assert_eq!(
            runs(&school),
            [
                "2026-09-30 absent 3 days to 2026-10-09",
                "2026-10-14 absent 2 days to 2026-10-15",
                "2026-10-19 absent 1 days to 2026-10-19",
            ]
        );
    }

    #[test]
    fn a_return_to_class_ends_a_run() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        // Back in class on the 13th (已复学) and absent again from that day: a second run, not
        // one run of six. The day of the event belongs to what follows it.
        school.status(student, "2026-10-13", Status::Returned, "复学，编入七年级(2)班");
        for date in ["2026-10-13", "2026-10-14", "2026-10-15"] {
            school.mark(student, date, MarkKind::Unexcused);
        }
        let told: Vec<String> = outline(&story(&school.state, student, day("2026-10-30")))
            .into_iter()
            .filter(|line| line.contains("absent"))
            .collect();
        assert_eq!(told, ["2026-09-30 absent 3 days to 2026-10-09", "2026-10-13 absent 3 days to 2026-10-15"]);
    }

    #[test]
    fn same_day_entries_follow_the_work_cycle_and_a_case_without_dates_takes_its_first_record() {
        let mut school = TestSchool::new();
        let student = school.enrol("李小红", None);
        school.investigate(student, "2026-10-20", &[DropoutReason::FamilyHardship]);
        let case = school.open_case(student);
        school.case_contact(student, case, "2026-10-20", ContactMethod::Phone, None);
        school.contact(student, "2026-10-20", ContactMethod::HomeVisit);
        school.status(student, "2026-10-20", Status::DroppedOut, "家访确认");
        assert_eq!(
            outline(&story(&school.state, student, day("2026-10-30"))),
            [
                "2026-09-01 status Enrolled",
                "2026-10-20 status DroppedOut",
                "2026-10-20 investigation",
                "2026-10-20 case",
                "2026-10-20 contact Phone",
                "2026-10-20 contact HomeVisit",
            ]
        );
    }

    #[test]
    fn a_student_not_held_has_no_story() {
        let school = TestSchool::new();
        assert!(story(&school.state, StudentId::from_u128(0x99), day("2026-10-30")).is_empty());
    }
}
