//! Ages as the rules count them: whole years on a day, and the 1 September a school year
//! starts on, the day the school-entry rule (six by 31 August) and [`Grade::typical_age`]
//! count age on.
//!
//! [`Grade::typical_age`]: crate::org::Grade::typical_age

use chrono::{Datelike, NaiveDate};
use std::ops::RangeInclusive;

/// Ages of compulsory school (适龄儿童), in whole years on the day counted: from 6 (grade 1)
/// to 15 (grade 9, with a year's slack for late birthdays).
pub const COMPULSORY_AGES: RangeInclusive<i32> = 6..=15;

/// Whole years of age on `day` of a child born on `birth_date`.
pub fn age_on(birth_date: NaiveDate, day: NaiveDate) -> i32 {
    let before_birthday = (day.month(), day.day()) < (birth_date.month(), birth_date.day());
    day.year() - birth_date.year() - i32::from(before_birthday)
}

/// 1 September of the school year that holds `day`: a school year runs September to August.
pub fn school_year_start(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 9 { day.year() } else { day.year() - 1 };
    // Only a year outside chrono's range has no 1 September; such a day is its own start.
    NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_school::day;

    #[test]
    fn school_years_start_on_the_first_of_september() {
        assert_eq!(school_year_start(day("2026-10-14")), day("2026-09-01"));
        assert_eq!(school_year_start(day("2027-03-01")), day("2026-09-01"));
        assert_eq!(school_year_start(day("2026-09-01")), day("2026-09-01"));
    }
}
