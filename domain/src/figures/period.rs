//! The span of days a figure covers: a week, a month, a term (学期), a school year.

use crate::calendar::Term;
use chrono::NaiveDate;

/// From `start` to `end`, both days included. Made only through [`Period::new`], so a period
/// never ends before it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a period from {start} to {end} ends before it starts: give the earlier day first")]
pub struct PeriodReversed {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, PeriodReversed> {
        if start <= end {
            Ok(Period { start, end })
        } else {
            Err(PeriodReversed { start, end })
        }
    }

    /// The whole of a term, first day to last.
    pub fn of_term(term: &Term) -> Result<Self, PeriodReversed> {
        Period::new(term.start, term.end)
    }

    pub fn start(self) -> NaiveDate {
        self.start
    }

    pub fn end(self) -> NaiveDate {
        self.end
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// The part of the period up to and including `today`, or `None` if it has not begun.
    /// Figures count only what has happened: a transfer receipt not due yet is no dropout yet,
    /// and a school day still to come is no attendance.
    pub fn up_to(self, today: NaiveDate) -> Option<Period> {
        if today < self.start {
            None
        } else {
            Some(Period { start: self.start, end: self.end.min(today) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_period_is_cut_at_today() {
        let september = Period::new(day("2026-09-01"), day("2026-09-30")).unwrap();
        assert_eq!(september.up_to(day("2026-08-31")), None);
        assert_eq!(september.up_to(day("2026-09-10")).map(Period::end), Some(day("2026-09-10")));
        assert_eq!(september.up_to(day("2026-12-01")), Some(september));
        assert!(Period::new(day("2026-09-30"), day("2026-09-01")).is_err());
    }
}
