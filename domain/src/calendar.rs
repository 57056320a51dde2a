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

    /// The term a teacher means by "this term" on `today`: the one that holds it; between terms
    /// the next one to come (already begun in the app during the holiday); after the last, the
    /// one that ended last.
    pub fn this_term(&self, today: NaiveDate) -> Option<&Term> {
        self.term_of(today)
            .or_else(|| self.terms.iter().filter(|term| term.start > today).min_by_key(|term| term.start))
            .or_else(|| self.terms.iter().max_by_key(|term| term.end))
    }

    /// The dates a form proposes for the next term once the last one has ended: the usual term
    /// after the last term's end (or holding `today`, if later). None while a term is under way
    /// or still to come, when there is nothing to start.
    pub fn next_term(&self, today: NaiveDate) -> Option<TermDates> {
        let last_end = self.terms.iter().map(|term| term.end).max();
        match last_end {
            Some(end) if end >= today => None,
            Some(end) => Some(usual_term_after(end, today)),
            None => Some(usual_term(today)),
        }
    }
}

/// What a day is for the school, as its calendar page and attendance screen show it: the
/// weekday rule, then the school's own setting of the day, and nothing outside a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayStatus {
    SchoolDay,
    /// A Saturday or Sunday the school keeps open (调休补课, or set as a school day).
    MakeUpDay,
    Weekend,
    Holiday,
    FarmBreak,
    /// Before the first term, between terms or after the last: no school day whatever its kind.
    OutsideTerm,
}

impl DayStatus {
    pub fn is_school_day(self) -> bool {
        matches!(self, DayStatus::SchoolDay | DayStatus::MakeUpDay)
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// What `day` is: agrees with `is_school_day` (a test holds them together).
    pub fn status(&self, day: NaiveDate) -> DayStatus {
        if self.term_of(day).is_none() {
            return DayStatus::OutsideTerm;
        }
        match (self.exceptions.get(&day), is_weekend(day)) {
            (Some(DayKind::Holiday), _) => DayStatus::Holiday,
            (Some(DayKind::FarmBreak), _) => DayStatus::FarmBreak,
            (Some(DayKind::SchoolDay | DayKind::MakeUpDay), true) => DayStatus::MakeUpDay,
            (Some(DayKind::SchoolDay | DayKind::MakeUpDay), false) | (None, false) => DayStatus::SchoolDay,
            (None, true) => DayStatus::Weekend,
        }
    }

    /// The kind one tap on the calendar page gives `day`, cycling through what the day can be.
    /// A weekday: school day → 农忙假 → holiday → school day (the national holidays come with
    /// the default, so the break a school sets itself is one tap). A weekend day: weekend → make-up
    /// school day → holiday → make-up day; a change (`SetDay`) cannot be taken back, only
    /// replaced, and a holiday on a weekend is a day off as the weekend was. None outside a
    /// term, where a day's kind changes nothing.
    pub fn after_tap(&self, day: NaiveDate) -> Option<DayKind> {
        Some(match self.status(day) {
            DayStatus::OutsideTerm => return None,
            DayStatus::SchoolDay => DayKind::FarmBreak,
            DayStatus::FarmBreak if !is_weekend(day) => DayKind::Holiday,
            DayStatus::Holiday if !is_weekend(day) => DayKind::SchoolDay,
            DayStatus::Weekend | DayStatus::Holiday | DayStatus::FarmBreak => DayKind::MakeUpDay,
            DayStatus::MakeUpDay => DayKind::Holiday,
        })
    }
}

/// The usual term after a term that ended on `last_end`, and not over by `today`: the usual
/// term of the later of the two days, or the one after it when that one overlaps the last term
/// or is already over (late January gives the autumn term just ended; July the spring term).
fn usual_term_after(last_end: NaiveDate, today: NaiveDate) -> TermDates {
    let term = usual_term(last_end.succ_opt().unwrap_or(last_end).max(today));
    if term.start <= last_end || term.end < today {
        // Forty days after a usual term's end falls in the next usual term.
        return usual_term(term.end.checked_add_days(chrono::Days::new(40)).unwrap_or(term.end));
    }
    term
}

/// The first and last day of a term, as a form proposes them before the teacher corrects them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TermDates {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl TermDates {
    /// A new term of these dates, named by them (a term is keyed by its name within a school,
    /// so editing a term's dates later keeps its name and stays the same term).
    pub fn new_term(self) -> Term {
        Term { name: format!("{}-{}", self.start, self.end), start: self.start, end: self.end }
    }
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

    #[test]
    fn this_term_is_the_one_under_way_else_the_next_else_the_last() {
        let mut calendar = autumn();
        assert_eq!(calendar.this_term(day("2026-11-02")).map(|t| t.start), Some(day("2026-09-01")));
        assert_eq!(calendar.this_term(day("2027-02-01")).map(|t| t.start), Some(day("2026-09-01")));
        assert_eq!(calendar.this_term(day("2026-08-01")).map(|t| t.start), Some(day("2026-09-01")));
        calendar.terms.push(Term { name: "春季".into(), start: day("2027-02-24"), end: day("2027-07-05") });
        assert_eq!(calendar.this_term(day("2027-03-01")).map(|t| t.start), Some(day("2027-02-24")));
        // In the winter holiday, once the spring term is entered, it is the one shown.
        assert_eq!(calendar.this_term(day("2027-02-01")).map(|t| t.start), Some(day("2027-02-24")));
        assert_eq!(calendar.this_term(day("2027-08-01")).map(|t| t.start), Some(day("2027-02-24")));
        assert_eq!(Calendar::default().this_term(day("2027-03-01")), None);
    }

    #[test]
    fn a_next_term_is_proposed_only_once_the_last_one_has_ended_and_never_overlaps_it() {
        let calendar = autumn();
        // Autumn under way: nothing to start.
        assert_eq!(calendar.next_term(day("2026-12-03")), None);
        // Late January, after the autumn term: spring, not the autumn term again.
        assert_eq!(calendar.next_term(day("2027-01-25")), Some(term("2027-02-24", "2027-07-05")));
        // A school whose autumn term ended early (15 January): still spring.
        let early = Calendar {
            terms: vec![Term { name: "秋季".into(), start: day("2026-09-01"), end: day("2027-01-15") }],
            exceptions: BTreeMap::new(),
        };
        assert_eq!(early.next_term(day("2027-01-16")), Some(term("2027-02-24", "2027-07-05")));
        // July, after spring: autumn.
        let spring = Calendar {
            terms: vec![Term { name: "春季".into(), start: day("2027-02-24"), end: day("2027-07-05") }],
            exceptions: BTreeMap::new(),
        };
        assert_eq!(spring.next_term(day("2027-07-20")), Some(term("2027-09-01", "2028-01-20")));
        // No term at all: the usual one for today.
        assert_eq!(Calendar::default().next_term(day("2026-12-03")), Some(term("2026-09-01", "2027-01-20")));
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

    #[test]
    fn a_days_status_agrees_with_is_school_day() {
        let mut calendar = autumn();
        calendar.exceptions.insert(day("2026-10-13"), DayKind::MakeUpDay); // a Tuesday
        calendar.exceptions.insert(day("2026-10-17"), DayKind::FarmBreak); // a Saturday
        for date in day("2026-08-25").iter_days().take(60) {
            assert_eq!(calendar.status(date).is_school_day(), calendar.is_school_day(date), "{date}");
        }
        assert_eq!(calendar.status(day("2026-10-01")), DayStatus::Holiday);
        assert_eq!(calendar.status(day("2026-10-10")), DayStatus::MakeUpDay);
        assert_eq!(calendar.status(day("2026-10-11")), DayStatus::Weekend);
        assert_eq!(calendar.status(day("2026-10-12")), DayStatus::FarmBreak);
        assert_eq!(calendar.status(day("2026-10-13")), DayStatus::SchoolDay);
        assert_eq!(calendar.status(day("2026-08-31")), DayStatus::OutsideTerm);
    }

    #[test]
    fn taps_cycle_a_weekday_through_farm_break_and_holiday_and_a_weekend_through_make_up_day() {
        let mut calendar = autumn();
        let mut tap = |date: &str| {
            let kind = calendar.after_tap(day(date)).unwrap();
            calendar.exceptions.insert(day(date), kind);
            calendar.status(day(date))
        };
        // 2026-10-14 is a Wednesday.
        assert_eq!(tap("2026-10-14"), DayStatus::FarmBreak);
        assert_eq!(tap("2026-10-14"), DayStatus::Holiday);
        assert_eq!(tap("2026-10-14"), DayStatus::SchoolDay);
        // 2026-10-18 is a Sunday.
        assert_eq!(tap("2026-10-18"), DayStatus::MakeUpDay);
        assert_eq!(tap("2026-10-18"), DayStatus::Holiday);
        assert_eq!(tap("2026-10-18"), DayStatus::MakeUpDay);
        assert_eq!(autumn().after_tap(day("2026-08-31")), None);
    }
}
