//! Dates as people type them into spreadsheets, parsed once at the edge.
//!
//! A birth date (出生日期) arrives as 20110101 (the 学籍 system's own form), 2011-01-01, 2011.1.1,
//! 2011/1/1, 2011年1月1日, or as the number behind an Excel date cell ("40544", "40544.0"). An
//! 入学年月 arrives as 201409, 2014-09, 2014.9, 2014/9 or 2014年9月. The year always comes
//! first: "1/1/2011" is refused rather than guessed as day-month or month-day. A day that does
//! not exist (2011-02-30) is an error, never moved to the nearest real one.
//!
//! Excel serials use the 1900 date system: 1 is 1900-01-01. Excel also counts 1900-02-29, a day
//! that never existed (kept from Lotus 1-2-3), as serial 60, so serial 61 is 1900-03-01 and
//! serial 60 is refused. A bare number from 1900 to 2099 is a year typed alone, not the serial
//! of a day in 1905, and is refused too.

use crate::typed_text::{all_digits, fold_full_width};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The date forms accepted, for messages.
pub const DATE_FORMS: &str = "20110101, 2011-01-01, 2011.1.1, 2011/1/1 or 2011年1月1日";
/// The year-month forms accepted, for messages.
pub const YEAR_MONTH_FORMS: &str = "201409, 2014-09, 2014.9, 2014/9 or 2014年9月";
/// The largest Excel serial read as a date (2173-10-13). Larger numbers are not dates a school
/// types, and a six-digit number is far more likely a year-month such as 201409.
pub const LARGEST_SERIAL: u32 = 99_999;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateTextError {
    #[error("the date is empty: write it as {}", DATE_FORMS)]
    Empty,
    #[error("{value:?} is not a date: write it year first, as {}", DATE_FORMS)]
    NotADate { value: String },
    #[error("{value:?} is not a real day: {year}年{month}月{day}日 does not exist; check the month and day")]
    NoSuchDay { value: String, year: i32, month: u32, day: u32 },
    #[error(
        "{value:?} is Excel day 60, the 1900-02-29 that never existed (Excel keeps an old Lotus 1-2-3 bug); \
         type the date again as {}",
        DATE_FORMS
    )]
    FakeLeapDay { value: String },
    #[error(
        "{value:?} is not an Excel date: Excel dates run from 1 (1900-01-01) to {}; type the date as {}",
        LARGEST_SERIAL,
        DATE_FORMS
    )]
    SerialOutOfRange { value: String },
    #[error("{value:?} is not a year and month: write it as {}", YEAR_MONTH_FORMS)]
    NotAYearMonth { value: String },
    #[error("{value:?}: there is no month {month}; a month is 1 to 12")]
    NoSuchMonth { value: String, month: u32 },
}

/// A calendar month: an 入学年月, or the month a monthly report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// `None` unless `month` is 1 to 12 and the year is one chrono can hold.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| YearMonth { year, month })
    }

    pub fn of(day: NaiveDate) -> Self {
        YearMonth { year: day.year(), month: day.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The month after this one (December rolls to January of the next year).
    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth { year: self.year.saturating_add(1), month: 1 }
        } else {
            YearMonth { year: self.year, month: self.month + 1 }
        }
    }

    /// The month before this one.
    pub fn previous(self) -> YearMonth {
        if self.month == 1 {
            YearMonth { year: self.year.saturating_sub(1), month: 12 }
        } else {
            YearMonth { year: self.year, month: self.month - 1 }
        }
    }

    /// Day `day` of this month, or the month's last day when the month is shorter (a report due
    /// "on the 31st" is due on 30 April).
    pub fn day_or_last(self, day: u32) -> NaiveDate {
        let last = self.next().first_day().pred_opt().map_or(28, |last| last.day());
        NaiveDate::from_ymd_opt(self.year, self.month, day.clamp(1, last)).unwrap_or(self.first_day())
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The day an Excel serial (1900 date system) stands for: 1 is 1900-01-01, 61 is 1900-03-01.
/// `None` for 0, for 60 (Excel's 1900-02-29, which never existed) and above
/// [`LARGEST_SERIAL`].
pub fn excel_serial_date(serial: u32) -> Option<NaiveDate> {
    // Serials 1 to 59 count from 1899-12-31; from 61 on, the phantom leap day has to be skipped,
    // so they count from 1899-12-30.
    let base = match serial {
        0 | 60 => return None,
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        61..=LARGEST_SERIAL => NaiveDate::from_ymd_opt(1899, 12, 30)?,
        _ => return None,
    };
    base.checked_add_days(Days::new(u64::from(serial)))
}

/// Parses a date as people type it. See the module documentation for the forms.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateTextError> {
    let value = fold_full_width(text);
    if value.is_empty() {
        return Err(DateTextError::Empty);
    }
    let not_a_date = || DateTextError::NotADate { value: value.clone() };
    let date_part = without_time_of_day(&value).ok_or_else(not_a_date)?;
    if all_digits(date_part) && date_part.len() == 8 {
        return day_of(&value, &date_part[0..4], &date_part[4..6], &date_part[6..8]);
    }
    if all_digits(date_part) && date_part.len() == 4 && matches!(date_part.parse::<u32>(), Ok(1900..=2099)) {
        // A year alone. As a serial it would read as a day in 1905, which nobody meant.
        return Err(not_a_date());
    }
    if let Some(serial) = excel_serial_text(date_part) {
        return date_of_serial(&value, serial);
    }
    match split_date(date_part) {
        Some([year, month, day]) => day_of(&value, year, month, day),
        None => Err(not_a_date()),
    }
}

/// Parses an 入学年月 as people type it. A whole date (2014-09-01, an Excel date cell) is also
/// accepted: its year and month are unambiguous.
pub fn parse_year_month(text: &str) -> Result<YearMonth, DateTextError> {
    let value = fold_full_width(text);
    if value.is_empty() {
        return Err(DateTextError::Empty);
    }
    let not_a_year_month = || DateTextError::NotAYearMonth { value: value.clone() };
    if all_digits(&value) {
        // 201409, a whole date 20140901, or the serial of an Excel date cell (five digits for
        // any month since 1927); a shorter number is no entry month.
        return match value.len() {
            6 => year_month_of(&value, &value[0..4], &value[4..6]),
            5 | 8 => parse_date(&value).map(YearMonth::of),
            _ => Err(not_a_year_month()),
        };
    }
    if let Some([year, month]) = split_year_month(&value) {
        return year_month_of(&value, year, month);
    }
    match parse_date(&value) {
        Ok(day) => Ok(YearMonth::of(day)),
        // A real date-shaped text with a bad day is better reported as such.
        Err(error @ (DateTextError::NoSuchDay { .. } | DateTextError::FakeLeapDay { .. })) => Err(error),
        Err(_) => Err(not_a_year_month()),
    }
}

/// The date before a time of day that spreadsheet readers often append ("2011-01-01 00:00:00",
/// "2011-01-01T00:00"); `None` if what follows is not a time.
fn without_time_of_day(value: &str) -> Option<&str> {
    let Some(index) = value.find([' ', 'T']) else {
        return Some(value);
    };
    let (date, time) = value.split_at(index);
    let time = time[1..].trim_start();
    let is_time = time.contains(':') && time.bytes().all(|byte| byte.is_ascii_digit() || byte == b':' || byte == b'.');
    is_time.then_some(date.trim_end())
}

/// An Excel serial written as text: 1 to 5 digits, then optionally a fraction. A fraction is
/// the time of day and is dropped, but only when it cannot be a year-month typed with a dot:
/// "40544.0" and "40544.375" are serials, "2011.1" is not.
fn excel_serial_text(text: &str) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !all_digits(whole) || whole.len() > 5 {
        return None;
    }
    let fraction_ok = text.len() == whole.len()
        || (all_digits(fraction) && (whole.len() == 5 || fraction.bytes().all(|byte| byte == b'0')));
    if !fraction_ok {
        return None;
    }
    whole.parse().ok()
}

fn date_of_serial(value: &str, serial: u32) -> Result<NaiveDate, DateTextError> {
    match serial {
        60 => Err(DateTextError::FakeLeapDay { value: value.to_owned() }),
        _ => excel_serial_date(serial).ok_or_else(|| DateTextError::SerialOutOfRange { value: value.to_owned() }),
    }
}

/// Year, month and day of "2011-1-1", "2011.01.01", "2011/1/1" (one separator throughout) or
/// "2011年1月1日" (the final 日 may be left off). Each part is checked for digits later.
fn split_date(text: &str) -> Option<[&str; 3]> {
    if let Some((year, rest)) = text.split_once('年') {
        let (month, day) = rest.split_once('月')?;
        let day = day.strip_suffix('日').unwrap_or(day);
        return Some([year, month, day]);
    }
    let separator = text.chars().find(|character| !character.is_ascii_digit())?;
    if !matches!(separator, '-' | '.' | '/') {
        return None;
    }
    let mut parts = text.split(separator);
    let parts = [parts.next()?, parts.next()?, parts.next()?];
    parts.iter().all(|part| all_digits(part)).then_some(parts)
}

/// Year and month of "2014-09", "2014.9", "2014/9" or "2014年9月" (the 月 may be left off).
fn split_year_month(text: &str) -> Option<[&str; 2]> {
    if let Some((year, month)) = text.split_once('年') {
        let month = month.strip_suffix('月').unwrap_or(month);
        return (all_digits(year) && all_digits(month)).then_some([year, month]);
    }
    let separator = text.chars().find(|character| !character.is_ascii_digit())?;
    let (year, month) = text.split_once(separator)?;
    (matches!(separator, '-' | '.' | '/') && all_digits(year) && all_digits(month)).then_some([year, month])
}

fn day_of(value: &str, year: &str, month: &str, day: &str) -> Result<NaiveDate, DateTextError> {
    let shaped = year.len() == 4 && (1..=2).contains(&month.len()) && (1..=2).contains(&day.len());
    let numbers = (year.parse::<i32>(), month.parse::<u32>(), day.parse::<u32>());
    let (true, true, (Ok(year), Ok(month), Ok(day))) =
        (shaped, all_digits(year) && all_digits(month) && all_digits(day), numbers)
    else {
        return Err(DateTextError::NotADate { value: value.to_owned() });
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateTextError::NoSuchDay {
        value: value.to_owned(),
        year,
        month,
        day,
    })
}

fn year_month_of(value: &str, year: &str, month: &str) -> Result<YearMonth, DateTextError> {
    let shaped = year.len() == 4 && (1..=2).contains(&month.len());
    let (true, Ok(year), Ok(month)) = (shaped, year.parse::<i32>(), month.parse::<u32>()) else {
        return Err(DateTextError::NotAYearMonth { value: value.to_owned() });
    };
    YearMonth::new(year, month).ok_or(DateTextError::NoSuchMonth { value: value.to_owned(), month })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn year_month(year: i32, month: u32) -> YearMonth {
        YearMonth::new(year, month).unwrap()
    }

    #[test]
    fn every_typed_form_of_a_birth_date_parses() {
        for typed in [
            "20110101",
            "2011-01-01",
            "2011-1-1",
            "2011.1.1",
            "2011.01.01",
            "2011/1/1",
            "2011年1月1日",
            "2011年01月01日",
            "2011年1月1",
            " 2011-01-01 ",
            "２０１１／１／１",
            "2011-01-01 00:00:00",
            "2011/1/1 0:00",
            "2011-01-01T00:00:00",
            "40544",
            "40544.0",
            "40544.375",
        ] {
            assert_eq!(parse_date(typed), Ok(day("2011-01-01")), "{typed}");
        }
    }

    #[test]
    fn excel_serials_skip_the_phantom_leap_day() {
        assert_eq!(parse_date("1"), Ok(day("1900-01-01")));
        assert_eq!(parse_date("59"), Ok(day("1900-02-28")));
        assert_eq!(parse_date("60"), Err(DateTextError::FakeLeapDay { value: "60".into() }));
        assert_eq!(parse_date("61"), Ok(day("1900-03-01")));
        assert_eq!(parse_date("40544"), Ok(day("2011-01-01")));
        assert_eq!(parse_date("0"), Err(DateTextError::SerialOutOfRange { value: "0".into() }));
        assert_eq!(excel_serial_date(60), None);
        assert_eq!(excel_serial_date(LARGEST_SERIAL), Some(day("2173-10-13")));
        assert_eq!(excel_serial_date(LARGEST_SERIAL + 1), None);
    }

    #[test]
    fn impossible_days_are_errors_not_clamped() {
        assert_eq!(
            parse_date("2011-02-30"),
            Err(DateTextError::NoSuchDay { value: "2011-02-30".into(), year: 2011, month: 2, day: 30 })
        );
        assert!(matches!(parse_date("20110230"), Err(DateTextError::NoSuchDay { .. })));
        assert!(matches!(parse_date("2011年13月1日"), Err(DateTextError::NoSuchDay { month: 13, .. })));
        assert!(matches!(parse_date("2013.2.29"), Err(DateTextError::NoSuchDay { .. })));
        assert_eq!(parse_date("2012.2.29"), Ok(day("2012-02-29")));
        assert_eq!(
            parse_date("2011-02-30").unwrap_err().to_string(),
            "\"2011-02-30\" is not a real day: 2011年2月30日 does not exist; check the month and day"
        );
    }

    #[test]
    fn shapes_that_would_need_a_guess_are_refused() {
        for typed in [
            "1/1/2011",
            "01-01-11",
            "2011-1",
            "2011.1",
            "201101",
            "2011-01/01",
            "二〇一一年一月一日",
            "2011-01-01 noon",
            "abc",
            "40544.5x",
            "2011",
        ] {
            assert!(matches!(parse_date(typed), Err(DateTextError::NotADate { .. })), "{typed}");
        }
        assert_eq!(parse_date("  "), Err(DateTextError::Empty));
        assert!(matches!(parse_date("123456"), Err(DateTextError::NotADate { .. })));
        assert!(parse_date("1/1/2011").unwrap_err().to_string().contains("2011年1月1日"));
    }

    #[test]
    fn every_typed_form_of_an_entry_month_parses() {
        for typed in [
            "201409",
            "2014-09",
            "2014-9",
            "2014.9",
            "2014.09",
            "2014/9",
            "2014年9月",
            "2014年09月",
            "2014年9",
            "2014-09-01",
            "20140901",
            "41883",
        ] {
            assert_eq!(parse_year_month(typed), Ok(year_month(2014, 9)), "{typed}");
        }
        assert_eq!(parse_year_month("201413"), Err(DateTextError::NoSuchMonth { value: "201413".into(), month: 13 }));
        assert!(matches!(parse_year_month("2014-00"), Err(DateTextError::NoSuchMonth { month: 0, .. })));
        assert!(matches!(parse_year_month("14-09"), Err(DateTextError::NotAYearMonth { .. })));
        assert!(matches!(parse_year_month("2014"), Err(DateTextError::NotAYearMonth { .. })));
        assert!(matches!(parse_year_month("123"), Err(DateTextError::NotAYearMonth { .. })));
        assert!(matches!(parse_year_month("2014-02-30"), Err(DateTextError::NoSuchDay { .. })));
        assert_eq!(parse_year_month(""), Err(DateTextError::Empty));
    }

    #[test]
    fn months_roll_over_the_year_and_clamp_short_months() {
        assert_eq!(year_month(2026, 12).next(), year_month(2027, 1));
        assert_eq!(year_month(2026, 1).previous(), year_month(2025, 12));
        assert_eq!(year_month(2026, 4).day_or_last(31), day("2026-04-30"));
        assert_eq!(year_month(2028, 2).day_or_last(31), day("2028-02-29"));
        assert_eq!(year_month(2026, 3).day_or_last(0), day("2026-03-01"));
        assert_eq!(year_month(2014, 9).to_string(), "2014-09");
    }

    fn any_day() -> impl Strategy<Value = NaiveDate> {
        (0i64..73_000).prop_map(|offset| day("1900-03-01") + chrono::Duration::days(offset))
    }

    proptest! {
        #[test]
        fn every_date_in_every_form_parses_back_to_itself(date in any_day()) {
            let (year, month, dom) = (date.year(), date.month(), date.day());
            let serial = (date - day("1899-12-30")).num_days();
            for typed in [
                date.format("%Y%m%d").to_string(),
                date.format("%Y-%m-%d").to_string(),
                format!("{year}.{month}.{dom}"),
                format!("{year}/{month}/{dom}"),
                format!("{year}年{month}月{dom}日"),
            ] {
                prop_assert_eq!(parse_date(&typed), Ok(date), "{}", typed);
            }
            // Serials 1900 to 2099 (days of 1905) are refused on purpose: they read as a year.
            if !(1900..=2099).contains(&serial) {
                for typed in [format!("{serial}"), format!("{serial}.0")] {
                    prop_assert_eq!(parse_date(&typed), Ok(date), "{}", typed);
                }
            }
            let entry = YearMonth::of(date);
            for typed in [date.format("%Y%m").to_string(), format!("{year}-{month:02}"), format!("{year}.{month}"), format!("{year}年{month}月")] {
                prop_assert_eq!(parse_year_month(&typed), Ok(entry), "{}", typed);
            }
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,24}") {
            let _ = parse_date(&text);
            let _ = parse_year_month(&text);
        }
    }
}
