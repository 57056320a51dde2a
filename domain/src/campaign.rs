//! The campaign's progress (劝返 work) week by week and month by month, as a supervisor's
//! shared link shows it (issue #14): children found out of school, cases opened, notices issued
//! and children back in school. Counts only; a school's series add up to a town's by date.
//!
//! A week that runs over a month's end is counted in two parts, one in each month, so that each
//! month is the sum of its weeks' parts: a masked week then has its month to hide in, and
//! nothing can be worked out from a month and the weeks around it (`hierarchy`). Each part is
//! named by its calendar first day (the Monday, or the 1st of the month), each month by its 1st,
//! whatever day a school's term began: every school's parts are named alike and add up.

use crate::dashboard::{months, weeks};
use crate::figures::{FigureInputs, Period, Scope};
use crate::ids::SchoolId;
use crate::state::State;
use crate::status::Status;
use chrono::Datelike;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One week's (or a week's part in one month) or month's progress, named by its calendar first
/// day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub from: NaiveDate,
    /// Children who became dropouts in the part (a dropout episode began: 辍学, 劝返中, or an
    /// unconfirmed transfer past its receipt days).
    pub found: u64,
    /// Persuasion cases opened in the part (the case's opening day).
    pub cases_opened: u64,
    /// Notices issued in the part (劝返通知书 and the rest).
    pub notices: u64,
    /// Children recorded back in school (已复学 after being a dropout) in the part.
    pub returned: u64,
}

/// The four series, in the order a view shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Series {
    Found,
    CasesOpened,
    Notices,
    Returned,
}

impl Series {
    pub const ALL: [Series; 4] = [Series::Found, Series::CasesOpened, Series::Notices, Series::Returned];

    pub fn of(self, progress: &Progress) -> u64 {
        match self {
            Series::Found => progress.found,
            Series::CasesOpened => progress.cases_opened,
            Series::Notices => progress.notices,
            Series::Returned => progress.returned,
        }
    }
}

/// A school's progress in `period` (the term so far), by week and by month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub weekly: Vec<Progress>,
    pub monthly: Vec<Progress>,
}

impl Campaign {
    /// `school`'s campaign over `period`, one reading of the records.
    pub fn of(inputs: &FigureInputs<'_>, state: &State, school: SchoolId, period: Period) -> Campaign {
        let students = inputs.students_in(&Scope::School(school));
        let receipt_days = inputs.rules(school).transfer_receipt_days;
        let mut found = Vec::new();
        let mut returned = Vec::new();
        for student in &students {
            let timeline = inputs.timeline(student.id);
            found.extend(timeline.dropout_starts(receipt_days));
            let mut was_out = false;
            for event in timeline.events() {
                if event.status.is_dropout() {
                    was_out = true;
                } else if event.status == Status::Returned && was_out {
                    returned.push(event.date);
                    was_out = false;
                }
            }
        }
        let of_school = |student| state.school_of(student) == Some(school);
        let opened: Vec<NaiveDate> = state
            .cases()
            .into_iter()
            .filter(|case| of_school(case.student))
            .filter_map(|case| case.opened_on)
            .collect();
        let notices: Vec<NaiveDate> = state
            .notices
            .values()
            .map(|stamped| &stamped.value)
            .filter(|notice| of_school(notice.student) && !state.is_retracted(notice.id))
            .map(|notice| notice.issued_on)
            .collect();
        let count = |days: &[NaiveDate], part: Period| {
            u64::try_from(days.iter().filter(|day| part.contains(**day)).count()).unwrap_or(u64::MAX)
        };
        let series = |parts: Vec<(NaiveDate, Period)>| -> Vec<Progress> {
            parts
                .into_iter()
                .map(|(from, part)| Progress {
                    from,
                    found: count(&found, part),
                    cases_opened: count(&opened, part),
                    notices: count(&notices, part),
                    returned: count(&returned, part),
                })
                .collect()
        };
        let months = months(period);
        let weekly =
            months.iter().flat_map(|month| weeks(*month)).map(|week| (part_name(week.start()), week)).collect();
        let monthly = months.into_iter().map(|month| (month_name(month.start()), month)).collect();
        Campaign { weekly: series(weekly), monthly: series(monthly) }
    }
}

/// The 1st of `day`'s month: a month's name.
pub fn month_name(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The name of the week's part that holds `day`: its Monday, or the 1st of the month if the week
/// began in the month before.
fn part_name(day: NaiveDate) -> NaiveDate {
    let monday = day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()));
    monday.max(month_name(day))
}

impl std::ops::Add for Campaign {
    type Output = Campaign;
    /// Two schools' progress together, part by part (matched by first day).
    fn add(self, other: Campaign) -> Campaign {
        let merge = |a: Vec<Progress>, b: Vec<Progress>| -> Vec<Progress> {
            let mut by_day: BTreeMap<NaiveDate, Progress> = BTreeMap::new();
            for point in a.into_iter().chain(b) {
                let held = by_day.entry(point.from).or_insert(Progress { from: point.from, ..Progress::default() });
                held.found += point.found;
                held.cases_opened += point.cases_opened;
                held.notices += point.notices;
                held.returned += point.returned;
            }
            by_day.into_values().collect()
        };
        Campaign { weekly: merge(self.weekly, other.weekly), monthly: merge(self.monthly, other.monthly) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};

    #[test]
    fn each_step_of_the_work_counts_in_its_week_and_month() {
        let mut f = TestSchool::new();
        let children = f.enrolled(CLASS_7, "2026-08-25", 3);
        f.status(children[0], "2026-10-09", Status::DroppedOut, "外出打工");
        let case = crate::ids::CaseId::from_u128(0xca5e);
        f.apply(crate::mutation::Change::OpenCase(crate::case::Case {
            id: case,
            student: children[0],
            responsible: vec!["王老师".into()],
            difficulty: crate::risk::Level::Medium,
            measures: vec![crate::case::Measure::HomeVisit],
            deadline: day("2026-11-30"),
            status: crate::case::CaseStatus::Open,
            outcome: String::new(),
            found_on: Some(day("2026-10-09")),
            difficulty_note: String::new(),
            opened_on: Some(day("2026-10-12")),
        }));
        f.notice(children[0], case, "2026-10-14", "2026-10-24");
        f.status(children[0], "2026-10-20", Status::Returned, "已到校");
        f.status(children[1], "2026-11-03", Status::DroppedOut, "外出打工");
        let period = Period::new(day("2026-09-01"), day("2026-11-05")).unwrap();
        let campaign = Campaign::of(&f.inputs(), &f.state, SCHOOL, period);
        let week = |from: &str| *campaign.weekly.iter().find(|point| point.from == day(from)).unwrap();
        assert_eq!((week("2026-10-05").found, week("2026-10-12").notices, week("2026-10-19").returned), (1, 1, 1));
        assert_eq!(week("2026-11-02").found, 1);
        assert_eq!(campaign.weekly.iter().map(|point| point.found).sum::<u64>(), 2);
        let october = campaign.monthly.iter().find(|point| point.from == day("2026-10-01")).unwrap();
        assert_eq!((october.found, october.notices, october.returned), (1, 1, 1));
        assert_eq!(campaign.monthly.len(), 3, "September to November");
        // The week of 28 September to 4 October is counted in two parts, one in each month, and
        // each month is the sum of its weeks' parts.
        let parts: Vec<NaiveDate> = campaign.weekly.iter().map(|point| point.from).collect();
        assert!(parts.contains(&day("2026-09-28")) && parts.contains(&day("2026-10-01")));
        assert_eq!(
            campaign.weekly.first().unwrap().from,
            day("2026-09-01"),
            "the week of Monday 31 August, in September"
        );
        assert_eq!(campaign.weekly[1].from, day("2026-09-07"));
        for month in &campaign.monthly {
            let in_month = campaign.weekly.iter().filter(|point| month_name(point.from) == month.from);
            assert_eq!(in_month.map(|point| point.found).sum::<u64>(), month.found);
        }
        assert_eq!(week("2026-10-12").cases_opened, 1);
        assert_eq!(campaign.weekly.iter().map(|point| point.cases_opened).sum::<u64>(), 1);
        // Two schools' series add up by date.
        let both = campaign.clone() + campaign.clone();
        assert_eq!(both.weekly.len(), campaign.weekly.len());
        assert_eq!(both.weekly.iter().map(|point| point.found).sum::<u64>(), 4);
    }
}
