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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
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
