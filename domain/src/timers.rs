//! What is due and overdue, from the school's `Rules::timers`: the reporting chain the 2024
//! notice asks for, as local settings.
//!
//! - 辍学上报不过夜: a suspected dropout that no one has reported (raised by unexcused absences,
//!   or by a transfer whose 回执 is overdue) must be reported the day it was raised.
//! - A reported suspected dropout gets a home visit within `visit_within_days` of the report: a
//!   contact with method 家访 on or after the report day satisfies it.
//! - And a written report within `written_report_days`: a row of the 排查台账 for the child,
//!   dated on or after the child's last status event before the report (so a row found a day
//!   before the formal report counts, and a row of an earlier episode does not).
//! - The monthly school report (学校辍学月报表) for a month is due on `monthly_report_day` of
//!   the next month.
//!
//! Everything is counted in whole days. `Timers::report_absence_hours` ("an unexplained
//! absence is reported within 1 hour") is not checked: a mark carries a day, not a time, so the
//! hour cannot be known; and marking 旷课 in the app is itself the report to the 教导处, who see
//! it once it syncs. A duty due on a day is overdue from the next day.
//!
//! After a suspected dropout, the case's own steps:
//! - A contact's next step (下一步) is due on its `next_date`, if no later contact of the child
//!   was logged (a later contact is the next step taken, or a new plan with its own date); a
//!   contact of a closed case plans nothing more.
//! - An open case whose 《限期复学通知书》 deadline passed with the child not back is reported to
//!   the town the day after the deadline (`escalation::case_standing`); setting the case's status
//!   to 已上报乡镇 by hand is that report, and ends the duty.
//! - A returned child's follow-up check (`follow_up_schedule::checks`) is due from its day, while
//!   the case is not closed and the child is still in school (a child out again is on the
//!   suspected or dropout ledger, whose duties take over). Only the latest check come due is
//!   listed: an earlier one missed is shown on the case's page, not carried as a duty forever.
//!
//! No record of filing the monthly report exists yet, so its duty is never overdue: [`due`] lists
//! the next monthly report still ahead. When a filing record exists, it can be checked like the
//! others.

use crate::case::{Case, CaseStatus};
use crate::contact::{Contact, ContactMethod};
use crate::date_text::YearMonth;
use crate::escalation::{case_standing, StandingReason};
use crate::hlc::Hlc;
use crate::ids::{CaseId, RecordId, SchoolId, StudentId};
use crate::ledger::{counted_status, suspected_dropouts, SuspectedRow, SuspectedSource};
use crate::settings::Timers;
use crate::state::State;
use crate::status::{Status, StatusEvent};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DutyKind {
    /// Record the suspected dropout (疑似辍学) the same day: 辍学上报不过夜.
    ReportSuspectedDropout,
    /// Visit the family of a reported suspected dropout (家访).
    HomeVisit,
    /// Write the 排查台账 row of a reported suspected dropout.
    WrittenReport,
    /// File the 学校辍学月报表 of `month`.
    MonthlyReport { month: YearMonth },
    /// Take the next step planned in `contact` (its `next_step` on its `next_date`).
    ContactNextStep { contact: RecordId },
    /// Report `case` to the town (已上报乡镇): the deadline of its 《限期复学通知书》 `notice`
    /// passed with the child not back.
    EscalateToTown { case: CaseId, notice: RecordId },
    /// Check on the returned child of `case` (跟踪): a follow-up is due.
    FollowUpCheck { case: CaseId },
}

/// Something the school has to do by a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duty {
    pub kind: DutyKind,
    /// The child it is about; `None` for the monthly report.
    pub student: Option<StudentId>,
    /// The last day it may be done on. For a contact's next step, the planned day; for a
    /// follow-up check, the day it comes due (a follow-up before the next check's day still
    /// does it, late).
    pub due_on: NaiveDate,
    /// `today` is after `due_on` and it is still not done.
    pub overdue: bool,
}

/// The day the monthly report of `month` is due: `monthly_report_day` of the next month, or the
/// last day of that month when it is shorter.
pub fn monthly_report_due(month: YearMonth, timers: &Timers) -> NaiveDate {
    month.next().day_or_last(timers.monthly_report_day)
}

/// The duties of `school` not yet done at `today`, soonest first.
pub fn due(state: &State, school: SchoolId, today: NaiveDate) -> Vec<Duty> {
    let timers = state.rules(school).timers;
    let duty = |kind, student, due_on: NaiveDate| Duty { kind, student, due_on, overdue: today > due_on };
    let mut duties = Vec::new();
    for row in suspected_dropouts(state, school, today) {
        let student = Some(row.student);
        match row.source {
            SuspectedSource::UnexcusedAbsence { .. } | SuspectedSource::TransferWithoutReceipt { .. } => {
                duties.push(duty(DutyKind::ReportSuspectedDropout, student, row.raised_on));
            }
            SuspectedSource::Reported { .. } => {
                if !home_visited(state, &row, today) {
                    duties.push(duty(DutyKind::HomeVisit, student, plus_days(row.raised_on, timers.visit_within_days)));
                }
                if !written_up(state, &row, today) {
                    duties.push(duty(
                        DutyKind::WrittenReport,
                        student,
                        plus_days(row.raised_on, timers.written_report_days),
                    ));
                }
            }
        }
    }
    duties.extend(case_duties(state, school, today));
    let last_month = YearMonth::of(today).previous();
    let month = if today <= monthly_report_due(last_month, &timers) { last_month } else { YearMonth::of(today) };
    duties.push(Duty {
        kind: DutyKind::MonthlyReport { month },
        student: None,
        due_on: monthly_report_due(month, &timers),
        overdue: false,
    });
    crate::sorting::sort_by_key(&mut duties, |duty| (duty.due_on, duty.kind, duty.student));
    duties
}

/// The duties of the cases of `school`'s children and of their contacts' next steps.
fn case_duties(state: &State, school: SchoolId, today: NaiveDate) -> Vec<Duty> {
    let duty =
        |kind, student, due_on: NaiveDate| Duty { kind, student: Some(student), due_on, overdue: today > due_on };
    let students: BTreeMap<StudentId, crate::student::Student> =
        state.students_at(school).into_iter().map(|student| (student.id, student)).collect();
    let cases: BTreeMap<CaseId, Case> =
        state.cases().into_iter().filter(|case| students.contains_key(&case.student)).map(|c| (c.id, c)).collect();
    let mut duties = Vec::new();

    // Each child's latest contact up to today: only it can have no later contact.
    let mut latest: BTreeMap<StudentId, (NaiveDate, Hlc, &Contact)> = BTreeMap::new();
    for stamped in state.contacts.values() {
        let contact = &stamped.value;
        if !students.contains_key(&contact.student) || contact.date > today || state.is_retracted(contact.id) {
            continue;
        }
        let key = (contact.date, stamped.stamp);
        let entry = latest.entry(contact.student).or_insert((contact.date, stamped.stamp, contact));
        if key > (entry.0, entry.1) {
            *entry = (contact.date, stamped.stamp, contact);
        }
    }
    for (student, (_, _, contact)) in latest {
        let closed =
            contact.case.and_then(|case| cases.get(&case)).is_some_and(|case| case.status == CaseStatus::Closed);
        if let Some(next_date) = contact.next_date.filter(|next_date| *next_date <= today && !closed) {
            duties.push(duty(DutyKind::ContactNextStep { contact: contact.id }, student, next_date));
        }
    }

    for case in cases.values() {
        if let StandingReason::NoticeDeadlinePassed { notice, deadline } = case_standing(state, case, today).why {
            let kind = DutyKind::EscalateToTown { case: case.id, notice };
            duties.push(duty(kind, case.student, plus_days(deadline, 1)));
        }
        let Some(student) = students.get(&case.student) else { continue };
        let in_school = matches!(
            counted_status(state, student, today),
            Status::Enrolled | Status::Returned | Status::TransferredIn | Status::HomeTaught
        );
        if case.status == CaseStatus::Closed || !in_school {
            continue;
        }
        let checks = crate::follow_up_schedule::checks(state, case, today);
        if let Some(check) = checks.iter().rev().find(|check| check.due_on <= today) {
            if check.done.is_none() {
                duties.push(duty(DutyKind::FollowUpCheck { case: case.id }, case.student, check.due_on));
            }
        }
    }
    duties
}

fn plus_days(day: NaiveDate, days: u32) -> NaiveDate {
    day.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
}

/// A home visit (家访) to the child on or after the report, up to today, not retracted.
fn home_visited(state: &State, row: &SuspectedRow, today: NaiveDate) -> bool {
    state.contacts.values().map(|stamped| &stamped.value).any(|contact| {
        contact.student == row.student
            && contact.method == ContactMethod::HomeVisit
            && (row.raised_on..=today).contains(&contact.date)
            && !state.is_retracted(contact.id)
    })
}

/// An investigation row of the child since their last status event before the report, up to
/// today, not retracted.
fn written_up(state: &State, row: &SuspectedRow, today: NaiveDate) -> bool {
    let SuspectedSource::Reported { event: report } = row.source else {
        return false;
    };
    let timeline = state.timeline(row.student);
    let before_report: Option<&StatusEvent> = timeline.events().iter().take_while(|event| event.id != report).last();
    let episode_start = before_report.map_or(NaiveDate::MIN, |event| event.date);
    state.investigations.values().map(|stamped| &stamped.value).any(|investigation| {
        investigation.student == row.student
            && (episode_start..=today).contains(&investigation.found_on)
            && !state.is_retracted(investigation.id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::investigation::DropoutReason;
    use crate::settings::Rules;
    use crate::status::Status;
    use crate::test_school::{day, TestSchool, SCHOOL};

    fn student_duties(duties: &[Duty]) -> Vec<(DutyKind, NaiveDate, bool)> {
        duties.iter().filter(|duty| duty.student.is_some()).map(|duty| (duty.kind, duty.due_on, duty.overdue)).collect()
    }

    fn absent_three_days(school: &mut TestSchool) -> StudentId {
        crate::ledger::tests::absent_across_national_day(school, "张小明")
    }

    #[test]
    fn a_suspected_dropout_is_reported_the_same_day() {
        let mut school = TestSchool::new();
        let student = absent_three_days(&mut school);
        let duties = due(&school.state, SCHOOL, day("2026-10-09"));
        assert_eq!(student_duties(&duties), vec![(DutyKind::ReportSuspectedDropout, day("2026-10-09"), false)]);
        assert_eq!(duties[0].student, Some(student));
        // 辍学上报不过夜: the next morning it is overdue.
        let duties = due(&school.state, SCHOOL, day("2026-10-10"));
        assert_eq!(student_duties(&duties), vec![(DutyKind::ReportSuspectedDropout, day("2026-10-09"), true)]);
    }

    #[test]
    fn an_overdue_transfer_receipt_is_reported_too() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        school.status(student, "2026-09-10", Status::TransferOutPending, "家长称转往广东");
        let duties = due(&school.state, SCHOOL, day("2026-09-26"));
        assert_eq!(student_duties(&duties), vec![(DutyKind::ReportSuspectedDropout, day("2026-09-25"), true)]);
    }

    #[test]
    fn a_reported_suspected_dropout_needs_a_visit_and_a_written_report() {
        let mut school = TestSchool::new();
        let student = absent_three_days(&mut school);
        school.status(student, "2026-10-09", Status::SuspectedDropout, "连续旷课3天");
        // The default rules: visit the same day, write up within 7 days.
        let duties = due(&school.state, SCHOOL, day("2026-10-09"));
        assert_eq!(
            student_duties(&duties),
            vec![(DutyKind::HomeVisit, day("2026-10-09"), false), (DutyKind::WrittenReport, day("2026-10-16"), false)]
        );
        let duties = due(&school.state, SCHOOL, day("2026-10-12"));
        assert_eq!(
            student_duties(&duties),
            vec![(DutyKind::HomeVisit, day("2026-10-09"), true), (DutyKind::WrittenReport, day("2026-10-16"), false)]
        );
        let duties = due(&school.state, SCHOOL, day("2026-10-17"));
        assert_eq!(
            student_duties(&duties),
            vec![(DutyKind::HomeVisit, day("2026-10-09"), true), (DutyKind::WrittenReport, day("2026-10-16"), true)]
        );
    }

    #[test]
    fn a_home_visit_on_or_after_the_report_satisfies_it() {
        let mut school = TestSchool::new();
        let student = absent_three_days(&mut school);
        school.contact(student, "2026-10-08", ContactMethod::HomeVisit); // Before the report.
        school.status(student, "2026-10-09", Status::SuspectedDropout, "连续旷课3天");
        school.contact(student, "2026-10-10", ContactMethod::Phone); // Not a visit.
        let kinds = |school: &TestSchool| -> Vec<DutyKind> {
            student_duties(&due(&school.state, SCHOOL, day("2026-10-12"))).into_iter().map(|duty| duty.0).collect()
        };
        assert_eq!(kinds(&school), vec![DutyKind::HomeVisit, DutyKind::WrittenReport]);
        let visit = school.contact(student, "2026-10-10", ContactMethod::HomeVisit);
        assert_eq!(kinds(&school), vec![DutyKind::WrittenReport]);
        school.retract(visit);
        assert_eq!(kinds(&school), vec![DutyKind::HomeVisit, DutyKind::WrittenReport]);
    }

    #[test]
    fn an_investigation_row_of_this_episode_is_the_written_report() {
        let mut school = TestSchool::new();
        let student = absent_three_days(&mut school);
        school.investigate(student, "2026-08-20", &[DropoutReason::LeftToWork]); // Before enrolment: another episode.
        school.status(student, "2026-10-09", Status::SuspectedDropout, "连续旷课3天");
        school.contact(student, "2026-10-09", ContactMethod::HomeVisit);
        assert_eq!(student_duties(&due(&school.state, SCHOOL, day("2026-10-12"))).len(), 1);
        // Found the day before the formal report: it belongs to this episode.
        school.investigate(student, "2026-10-08", &[DropoutReason::DislikesSchool]);
        assert!(student_duties(&due(&school.state, SCHOOL, day("2026-10-12"))).is_empty());
    }

    #[test]
    fn the_timers_are_the_schools_settings() {
        let mut school = TestSchool::new();
        let student = absent_three_days(&mut school);
        school.status(student, "2026-10-09", Status::SuspectedDropout, "连续旷课3天");
        let mut rules = Rules::default();
        rules.timers.visit_within_days = 2;
        rules.timers.written_report_days = 3;
        school.rules(SCHOOL, rules);
        assert_eq!(
            student_duties(&due(&school.state, SCHOOL, day("2026-10-11"))),
            vec![(DutyKind::HomeVisit, day("2026-10-11"), false), (DutyKind::WrittenReport, day("2026-10-12"), false)]
        );
    }

    #[test]
    fn the_monthly_report_is_due_on_the_set_day_of_the_next_month() {
        let timers = Timers::default();
        let month = |year, month| YearMonth::new(year, month).unwrap();
        assert_eq!(monthly_report_due(month(2026, 9), &timers), day("2026-10-05"));
        assert_eq!(monthly_report_due(month(2026, 12), &timers), day("2027-01-05"));
        let late = Timers { monthly_report_day: 31, ..Timers::default() };
        assert_eq!(monthly_report_due(month(2027, 1), &late), day("2027-02-28"));
    }

    #[test]
    fn due_lists_the_next_monthly_report_and_never_calls_it_overdue() {
        let school = TestSchool::new();
        let monthly = |today: &str| due(&school.state, SCHOOL, day(today));
        let month = |year, month| DutyKind::MonthlyReport { month: YearMonth::new(year, month).unwrap() };
        assert_eq!(
            monthly("2026-10-05"),
            vec![Duty { kind: month(2026, 9), student: None, due_on: day("2026-10-05"), overdue: false }]
        );
        assert_eq!(
            monthly("2026-10-06"),
            vec![Duty { kind: month(2026, 10), student: None, due_on: day("2026-11-05"), overdue: false }]
        );
    }

    /// A child who dropped out on 9 October and whose case opened then.
    fn dropped_out_with_a_case(school: &mut TestSchool) -> (StudentId, CaseId) {
        let student = school.enrol("张小明", None);
        school.status(student, "2026-10-09", Status::DroppedOut, "家访确认");
        (student, school.open_case(student))
    }

    fn case_duties_on(school: &TestSchool, today: &str) -> Vec<(DutyKind, NaiveDate, bool)> {
        student_duties(&due(&school.state, SCHOOL, day(today)))
    }

    #[test]
    fn a_contacts_next_step_is_due_on_its_day_until_a_later_contact() {
        let mut school = TestSchool::new();
        let (student, case) = dropped_out_with_a_case(&mut school);
        let visit = school.case_contact(student, case, "2026-10-12", ContactMethod::HomeVisit, Some("2026-10-15"));
        assert!(case_duties_on(&school, "2026-10-14").is_empty());
        let next_step = DutyKind::ContactNextStep { contact: visit };
        assert_eq!(case_duties_on(&school, "2026-10-15"), vec![(next_step, day("2026-10-15"), false)]);
        assert_eq!(case_duties_on(&school, "2026-10-16"), vec![(next_step, day("2026-10-15"), true)]);
        // A call on the 16th with no next date: the step was taken, nothing planned after it.
        school.case_contact(student, case, "2026-10-16", ContactMethod::Phone, None);
        assert!(case_duties_on(&school, "2026-10-16").is_empty());
        // A contact logged on the 14th (before the step's day) with its own plan replaces it.
        let mut other = TestSchool::new();
        let (student, case) = dropped_out_with_a_case(&mut other);
        other.case_contact(student, case, "2026-10-12", ContactMethod::HomeVisit, Some("2026-10-15"));
        let call = other.case_contact(student, case, "2026-10-14", ContactMethod::Phone, Some("2026-10-20"));
        assert!(case_duties_on(&other, "2026-10-16").is_empty());
        assert_eq!(
            case_duties_on(&other, "2026-10-20"),
            vec![(DutyKind::ContactNextStep { contact: call }, day("2026-10-20"), false)]
        );
        // A closed case plans nothing more.
        other.case_status(case, CaseStatus::Closed);
        assert!(case_duties_on(&other, "2026-10-20").is_empty());
    }

    #[test]
    fn a_passed_notice_deadline_asks_for_escalation_until_it_is_set() {
        let mut school = TestSchool::new();
        let (student, case) = dropped_out_with_a_case(&mut school);
        // Issued 2 November, return by 16 November: escalate on the 17th.
        let notice = school.notice(student, case, "2026-11-02", "2026-11-16");
        assert!(case_duties_on(&school, "2026-11-16").is_empty());
        let escalate = DutyKind::EscalateToTown { case, notice };
        assert_eq!(case_duties_on(&school, "2026-11-17"), vec![(escalate, day("2026-11-17"), false)]);
        assert_eq!(case_duties_on(&school, "2026-11-18"), vec![(escalate, day("2026-11-17"), true)]);
        school.case_status(case, CaseStatus::Escalated);
        assert!(case_duties_on(&school, "2026-11-18").is_empty());
    }

    #[test]
    fn a_follow_up_check_is_due_from_its_day_until_a_follow_up() {
        let mut school = TestSchool::new();
        let (student, case) = dropped_out_with_a_case(&mut school);
        // Back on Wednesday 14 October: the week check is due on the 21st, the month check on
        // 13 November.
        school.status(student, "2026-10-14", Status::Returned, "到校上课");
        school.placement(student, case, "2026-10-14");
        school.case_status(case, CaseStatus::Returned);
        assert!(case_duties_on(&school, "2026-10-20").is_empty());
        let check = DutyKind::FollowUpCheck { case };
        assert_eq!(case_duties_on(&school, "2026-10-21"), vec![(check, day("2026-10-21"), false)]);
        assert_eq!(case_duties_on(&school, "2026-10-23"), vec![(check, day("2026-10-21"), true)]);
        school.follow_up(student, case, "2026-10-23");
        assert!(case_duties_on(&school, "2026-10-23").is_empty());
        // The week check missed altogether: from the month check's day, that is the one listed.
        let mut missed = TestSchool::new();
        let (student, case) = dropped_out_with_a_case(&mut missed);
        missed.status(student, "2026-10-14", Status::Returned, "到校上课");
        missed.placement(student, case, "2026-10-14");
        assert_eq!(case_duties_on(&missed, "2026-11-13"), vec![(check, day("2026-11-13"), false)]);
        // Out again: the ledger's duties take over, not the follow-up.
        missed.status(student, "2026-11-13", Status::SuspectedDropout, "连续旷课3天");
        let kinds: Vec<DutyKind> = case_duties_on(&missed, "2026-11-13").into_iter().map(|duty| duty.0).collect();
        assert_eq!(kinds, vec![DutyKind::HomeVisit, DutyKind::WrittenReport]);
    }

    #[test]
    fn duties_come_soonest_first() {
        let mut school = TestSchool::new();
        let reported = absent_three_days(&mut school);
        school.status(reported, "2026-10-09", Status::SuspectedDropout, "连续旷课3天");
        let other = school.enrol("李四", None);
        for date in ["2026-10-08", "2026-10-09", "2026-10-13"] {
            school.mark(other, date, MarkKind::Unexcused);
        }
        let duties = due(&school.state, SCHOOL, day("2026-10-13"));
        let order: Vec<(DutyKind, NaiveDate)> = duties.iter().map(|duty| (duty.kind, duty.due_on)).collect();
        assert_eq!(
            order,
            vec![
                (DutyKind::HomeVisit, day("2026-10-09")),
                (DutyKind::ReportSuspectedDropout, day("2026-10-13")),
                (DutyKind::WrittenReport, day("2026-10-16")),
                (DutyKind::MonthlyReport { month: YearMonth::new(2026, 10).unwrap() }, day("2026-11-05")),
            ]
        );
        assert!(duties.windows(2).all(|pair| pair[0].due_on <= pair[1].due_on));
    }
}
