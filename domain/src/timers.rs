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
//! No record of filing the monthly report exists yet, so its duty is never overdue: [`due`] lists
//! the next monthly report still ahead. When a filing record exists, it can be checked like the
//! others.

use crate::contact::ContactMethod;
use crate::date_text::YearMonth;
use crate::ids::{SchoolId, StudentId};
use crate::ledger::{suspected_dropouts, SuspectedRow, SuspectedSource};
use crate::settings::Timers;
use crate::state::State;
use crate::status::StatusEvent;
use chrono::{Days, NaiveDate};

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
}

/// Something the school has to do by a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duty {
    pub kind: DutyKind,
    /// The child it is about; `None` for the monthly report.
    pub student: Option<StudentId>,
    /// The last day it may be done on.
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
