//! The school calendar: which days are school days. Absence rules count school days only, so a
//! holiday or a 农忙假 inside a run of absences neither breaks nor lengthens it.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A term (学期): school days fall between `start` and `end`, both included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// "2026年秋季学期".
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// What a day is, when it differs from the weekday rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DayKind {
    /// A weekday the school is open; the default for Monday to Friday in a term.
    SchoolDay,
    /// 节假日: a public holiday.
    Holiday,
    /// 农忙假: a farm-work break.
    FarmBreak,
    /// 调休补课: a weekend day made up as a school day.
    MakeUpDay,
}

impl DayKind {
    pub fn is_school_day(self) -> bool {
        matches!(self, DayKind::SchoolDay | DayKind::MakeUpDay)
    }
}

/// One school's calendar: its terms, and the days that break the Monday-to-Friday rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub terms: Vec<Term>,
    pub exceptions: BTreeMap<NaiveDate, DayKind>,
}

impl Calendar {
    pub fn is_school_day(&self, day: NaiveDate) -> bool {
        if !self.terms.iter().any(|term| term.start <= day && day <= term.end) {
            return false;
        }
        match self.exceptions.get(&day) {
            Some(kind) => kind.is_school_day(),
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The school days from `from` to `to`, both included, in order.
    pub fn school_days(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days().take_while(|day| *day <= to).filter(|day| self.is_school_day(*day)).collect()
    }

    /// The term that holds `day`, if any.
    pub fn term_of(&self, day: NaiveDate) -> Option<&Term> {
        self.terms.iter().find(|term| term.start <= day && day <= term.end)
    }
}

/// The first and last day of a term, as a form proposes them before the teacher corrects them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TermDates {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The term that holds `today` as Chinese schools usually run them: autumn from 1 September to
/// 20 January, spring from 24 February to 5 July. A day between terms gets a near one: August
/// and early February the term about to start (a phone set up then is for it), late January the
/// autumn term just ended. Schools differ by a few days, so this is a first guess the teacher
/// corrects.
pub fn usual_term(today: NaiveDate) -> TermDates {
    let year = today.year();
    // These days exist in every year; only a year at the very end of chrono's range could fail,
    // and then `today` is as good a guess as any.
    let date = |year, month, day| NaiveDate::from_ymd_opt(year, month, day).unwrap_or(today);
    let (start, end) = match today.month() {
        1 => (date(year - 1, 9, 1), date(year, 1, 20)),
        2..=7 => (date(year, 2, 24), date(year, 7, 5)),
        _ => (date(year, 9, 1), date(year + 1, 1, 20)),
    };
    TermDates { start, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn term(start: &str, end: &str) -> TermDates {
        TermDates { start: day(start), end: day(end) }
    }

    #[test]
    fn the_usual_term_is_the_one_that_holds_today_or_the_next_one() {
        // January is the end of the autumn term that began the September before.
        assert_eq!(usual_term(day("2027-01-10")), term("2026-09-01", "2027-01-20"));
        assert_eq!(usual_term(day("2026-03-02")), term("2026-02-24", "2026-07-05"));
        // The summer holiday looks ahead to the autumn term.
        assert_eq!(usual_term(day("2026-08-15")), term("2026-09-01", "2027-01-20"));
        assert_eq!(usual_term(day("2026-09-01")), term("2026-09-01", "2027-01-20"));
        // December belongs to the autumn term, which ends in the next year.
        assert_eq!(usual_term(day("2026-12-31")), term("2026-09-01", "2027-01-20"));
    }

    fn autumn() -> Calendar {
        let mut calendar = Calendar {
            terms: vec![Term { name: "秋季".into(), start: day("2026-09-01"), end: day("2027-01-20") }],
            exceptions: BTreeMap::new(),
        };
        calendar.exceptions.insert(day("2026-10-01"), DayKind::Holiday);
        calendar.exceptions.insert(day("2026-10-12"), DayKind::FarmBreak);
        calendar.exceptions.insert(day("2026-10-10"), DayKind::MakeUpDay);
        calendar
    }

    #[test]
    fn weekends_holidays_and_farm_breaks_are_not_school_days() {
        let calendar = autumn();
        assert!(calendar.is_school_day(day("2026-09-01"))); // Tuesday
        assert!(!calendar.is_school_day(day("2026-09-05"))); // Saturday
        assert!(!calendar.is_school_day(day("2026-10-01"))); // National Day
        assert!(!calendar.is_school_day(day("2026-10-12"))); // 农忙假
        assert!(calendar.is_school_day(day("2026-10-10"))); // Saturday made up
        assert!(!calendar.is_school_day(day("2026-08-31"))); // before term
    }

    #[test]
    fn school_days_lists_only_school_days() {
        let days = autumn().school_days(day("2026-10-08"), day("2026-10-13"));
        assert_eq!(days, vec![day("2026-10-08"), day("2026-10-09"), day("2026-10-10"), day("2026-10-13")]);
    }
}
