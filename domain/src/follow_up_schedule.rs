//! 跟踪管理: the checks that come due after a child returns (复学安置), and which follow-up
//! (`FollowUp`) did each.
//!
//! The schedule runs from the return date of the case's latest `Placement`: a check
//! `Timers::follow_up_first_days` after it (a week), one `follow_up_second_days` after it (a
//! month), then one on the last day of each term of the school's calendar that ends after those
//! two. Where the calendar holds no such term (the school has not entered the next term yet),
//! the checks go on every `follow_up_every_days` (about a term) from the previous check.
//!
//! A check due on day D is done by a follow-up of the case dated on or after D and before the
//! next check's due day: a follow-up answers the check whose window it falls in, so one visit
//! never does two checks, and a check done late is still done. A follow-up before D does not
//! count: a look at the child three days after the return says nothing about the first week.

use crate::calendar::Calendar;
use crate::case::Case;
use crate::follow_up::Placement;
use crate::ids::{CaseId, RecordId};
use crate::settings::Timers;
use crate::state::State;
use chrono::{Days, NaiveDate};

/// Why a check is due on its day.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckPoint {
    /// This many days after the return (the week and month checks).
    AfterReturn { days: u32 },
    /// The last day of the named term.
    TermEnd { term: String },
    /// No term of the calendar covers it: this many days after the previous check.
    NoTermKnown { days: u32 },
}

/// One check of a returned child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpCheck {
    /// The first day it may be done on.
    pub due_on: NaiveDate,
    pub point: CheckPoint,
    /// The follow-up that did it: the first of the case dated in its window, up to today.
    pub done: Option<RecordId>,
}

/// The checks of `case` up to `today` and the next one after it, in order, each with the
/// follow-up that did it. Empty while the case has no placement. The list does not stop when
/// the child drops out again or the case closes: whether checks are still owed is the caller's
/// question (`timers::due` asks it).
pub fn checks(state: &State, case: &Case, today: NaiveDate) -> Vec<FollowUpCheck> {
    let Some(placement) = latest_placement(state, case.id, today) else {
        return Vec::new();
    };
    let Some(student) = state.student(case.student) else {
        return Vec::new();
    };
    let timers = state.rules(student.school).timers;
    let schedule = schedule(placement.returned_on, &timers, &state.calendar(student.school), today);
    let mut follow_ups: Vec<(NaiveDate, RecordId)> = state
        .follow_ups
        .values()
        .map(|stamped| &stamped.value)
        .filter(|follow_up| follow_up.case == case.id && follow_up.date <= today && !state.is_retracted(follow_up.id))
        .map(|follow_up| (follow_up.date, follow_up.id))
        .collect();
    follow_ups.sort();
    // The schedule holds one check beyond the last one listed: it ends the last one's window.
    let listed = schedule.len().saturating_sub(1);
    (0..listed)
        .map(|index| {
            let (due_on, point) = schedule[index].clone();
            let window_end = schedule[index + 1].0;
            let done = follow_ups.iter().find(|(date, _)| (due_on..window_end).contains(date)).map(|(_, id)| *id);
            FollowUpCheck { due_on, point, done }
        })
        .collect()
}

/// The case's placement with the latest return date up to `today`, not retracted. A child
/// returned twice (after a relapse) is followed up from the second return.
pub fn latest_placement(state: &State, case: CaseId, today: NaiveDate) -> Option<Placement> {
    state
        .placements
        .values()
        .filter(|stamped| {
            stamped.value.case == case && stamped.value.returned_on <= today && !state.is_retracted(stamped.value.id)
        })
        .max_by_key(|stamped| (stamped.value.returned_on, stamped.stamp))
        .map(|stamped| stamped.value.clone())
}

/// The due days from a return on `returned_on`, strictly increasing: every one up to `today`
/// and two after it (the next check, and the end of its window).
fn schedule(
    returned_on: NaiveDate,
    timers: &Timers,
    calendar: &Calendar,
    today: NaiveDate,
) -> Vec<(NaiveDate, CheckPoint)> {
    let mut fixed = vec![timers.follow_up_first_days, timers.follow_up_second_days];
    fixed.sort_unstable();
    fixed.dedup();
    let mut schedule: Vec<(NaiveDate, CheckPoint)> = fixed
        .into_iter()
        .filter_map(|days| plus_days(returned_on, days).map(|due_on| (due_on, CheckPoint::AfterReturn { days })))
        .collect();
    // A settings file can hold 0 though `validate` refuses it; never loop in place.
    let every = timers.follow_up_every_days.max(1);
    let ahead = |schedule: &[(NaiveDate, CheckPoint)]| schedule.iter().filter(|(due_on, _)| *due_on > today).count();
    while ahead(&schedule) < 2 {
        let previous = schedule.last().map_or(returned_on, |(due_on, _)| *due_on);
        let term_end = calendar.terms.iter().filter(|term| term.end > previous).min_by_key(|term| term.end);
        let next = match term_end {
            Some(term) => Some((term.end, CheckPoint::TermEnd { term: term.name.clone() })),
            None => plus_days(previous, every).map(|due_on| (due_on, CheckPoint::NoTermKnown { days: every })),
        };
        match next {
            Some(next) => schedule.push(next),
            // The end of the calendar's range: nothing more can be due.
            None => break,
        }
    }
    schedule
}

fn plus_days(day: NaiveDate, days: u32) -> Option<NaiveDate> {
    day.checked_add_days(Days::new(u64::from(days)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Rules;
    use crate::test_school::{day, TestSchool, SCHOOL};

    fn returned_on(school: &mut TestSchool, date: &str) -> Case {
        let student = school.enrol("张小明", None);
        let case = school.open_case(student);
        school.placement(student, case, date);
        school.state.case(case).unwrap()
    }

    fn dues(checks: &[FollowUpCheck]) -> Vec<(NaiveDate, Option<RecordId>)> {
        checks.iter().map(|check| (check.due_on, check.done)).collect()
    }

    #[test]
    fn a_week_a_month_then_the_end_of_each_term() {
        // The test school's autumn term runs 1 September 2026 to 20 January 2027; add spring,
        // 24 February to 5 July 2027.
        let mut school = TestSchool::new();
        school.term(SCHOOL, "2027-02-24", "2027-07-05");
        let case = returned_on(&mut school, "2026-10-14");
        // 14 October + 7 = 21 October; + 30 = 13 November; then the two terms' ends, listed
        // up to a day after the spring term's end, with the next (every 140 days after 5
        // July: 22 November 2027) to come.
        let found = checks(&school.state, &case, day("2027-07-06"));
        let points: Vec<(NaiveDate, CheckPoint)> = found.iter().map(|c| (c.due_on, c.point.clone())).collect();
        assert_eq!(
            points,
            vec![
                (day("2026-10-21"), CheckPoint::AfterReturn { days: 7 }),
                (day("2026-11-13"), CheckPoint::AfterReturn { days: 30 }),
                (day("2027-01-20"), CheckPoint::TermEnd { term: "2026年秋季学期".into() }),
                (day("2027-07-05"), CheckPoint::TermEnd { term: "2027-02-24 学期".into() }),
                (day("2027-11-22"), CheckPoint::NoTermKnown { days: 140 }),
            ]
        );
        assert!(found.iter().all(|check| check.done.is_none()));
    }

    #[test]
    fn only_the_next_check_is_listed_ahead_of_today() {
        let mut school = TestSchool::new();
        let case = returned_on(&mut school, "2026-10-14");
        assert_eq!(dues(&checks(&school.state, &case, day("2026-10-14"))), vec![(day("2026-10-21"), None)]);
        assert_eq!(
            dues(&checks(&school.state, &case, day("2026-10-21"))),
            vec![(day("2026-10-21"), None), (day("2026-11-13"), None)]
        );
        // Before the return nothing is listed: the placement is not yet.
        assert!(checks(&school.state, &case, day("2026-10-13")).is_empty());
    }

    #[test]
    fn a_follow_up_does_the_check_whose_window_it_falls_in() {
        let mut school = TestSchool::new();
        let case = returned_on(&mut school, "2026-10-14");
        // Too early for the week check (due 21 October).
        school.follow_up(case.student, case.id, "2026-10-20");
        let today = day("2026-11-20");
        assert_eq!(
            dues(&checks(&school.state, &case, today)),
            vec![(day("2026-10-21"), None), (day("2026-11-13"), None), (day("2027-01-20"), None)]
        );
        // Late but before the month check's day (13 November): it does the week check.
        let late = school.follow_up(case.student, case.id, "2026-11-12");
        // On the month check's day: that one.
        let month = school.follow_up(case.student, case.id, "2026-11-13");
        assert_eq!(
            dues(&checks(&school.state, &case, today)),
            vec![(day("2026-10-21"), Some(late)), (day("2026-11-13"), Some(month)), (day("2027-01-20"), None)]
        );
        school.retract(late);
        assert_eq!(checks(&school.state, &case, today)[0].done, None);
        // Another case's follow-up does nothing for this one.
        let other_student = school.enrol("李四", None);
        let other = school.open_case(other_student);
        school.follow_up(other_student, other, "2026-10-22");
        assert_eq!(checks(&school.state, &case, today)[0].done, None);
    }

    #[test]
    fn without_a_term_the_checks_come_every_set_number_of_days() {
        // The test school knows only the autumn term, over on 20 January 2027.
        let mut school = TestSchool::new();
        let mut rules = Rules::default();
        rules.timers.follow_up_every_days = 100;
        rules.timers.follow_up_first_days = 10;
        school.rules(SCHOOL, rules);
        let case = returned_on(&mut school, "2027-03-01");
        // 1 March + 10 = 11 March, + 30 = 31 March, then every 100 days: 9 July (31 March +
        // 30 = 30 April, + 31 = 31 May, + 30 = 30 June, + 9 = 9 July).
        let found = checks(&school.state, &case, day("2027-04-01"));
        assert_eq!(
            found.iter().map(|c| c.due_on).collect::<Vec<_>>(),
            vec![day("2027-03-11"), day("2027-03-31"), day("2027-07-09")]
        );
        assert_eq!(found[2].point, CheckPoint::NoTermKnown { days: 100 });
    }

    #[test]
    fn the_latest_placement_restarts_the_schedule() {
        let mut school = TestSchool::new();
        let case = returned_on(&mut school, "2026-09-14");
        school.placement(case.student, case.id, "2026-11-02");
        // Second return 2 November: + 7 = 9 November.
        assert_eq!(checks(&school.state, &case, day("2026-11-03"))[0].due_on, day("2026-11-09"));
        // On 1 November the first placement still counts: its month check was 14 October.
        assert_eq!(checks(&school.state, &case, day("2026-11-01"))[1].due_on, day("2026-10-14"));
    }

    proptest::proptest! {
        /// Whatever the return day, the follow-ups and today: due days strictly increase, only
        /// the last listed check lies after today, and a check is done only by a follow-up of
        /// its own window, so no follow-up does two checks, and any follow-up in a window does it.
        #[test]
        fn each_follow_up_does_at_most_the_check_of_its_window(
            returned in 0u64..300,
            follow_ups in proptest::collection::vec(0u64..500, 0..8),
            today in 0u64..500,
        ) {
            let start = day("2026-08-01");
            let at = |offset: u64| start + chrono::Days::new(offset);
            let mut school = TestSchool::new();
            school.term(SCHOOL, "2027-02-24", "2027-07-05");
            let case = returned_on(&mut school, &at(returned).to_string());
            let mut dates = std::collections::BTreeMap::new();
            for offset in follow_ups {
                let id = school.follow_up(case.student, case.id, &at(offset).to_string());
                dates.insert(id, at(offset));
            }
            let today = at(today);
            let found = checks(&school.state, &case, today);
            proptest::prop_assert_eq!(found.is_empty(), today < at(returned));
            proptest::prop_assert!(found.windows(2).all(|pair| pair[0].due_on < pair[1].due_on));
            proptest::prop_assert!(found.iter().rev().skip(1).all(|check| check.due_on <= today));
            proptest::prop_assert!(found.last().is_none_or(|check| check.due_on > today));
            let mut used = std::collections::BTreeSet::new();
            for (index, check) in found.iter().enumerate() {
                let window_end = found.get(index + 1).map_or(NaiveDate::MAX, |next| next.due_on);
                let in_window = dates.values().any(|date| check.due_on <= *date && *date < window_end && *date <= today);
                proptest::prop_assert_eq!(check.done.is_some(), in_window);
                if let Some(done) = check.done {
                    let date = dates[&done];
                    proptest::prop_assert!(check.due_on <= date && date <= today);
                    if let Some(next) = found.get(index + 1) {
                        proptest::prop_assert!(date < next.due_on);
                    }
                    proptest::prop_assert!(used.insert(done));
                }
            }
        }
    }
}
