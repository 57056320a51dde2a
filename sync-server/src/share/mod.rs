//! Supervisors' shared links (issue #14): a link opens the merged figures of one county, town
//! or school, aggregates only, until it expires or is revoked. `links.rs` makes, lists and
//! checks links; `figures.rs` works out and keeps each school's figures with the phones' own
//! rules and builds a unit's view from them; `page.rs` draws the view as a page and `sheet.rs`
//! as a spreadsheet.

pub mod figures;
pub mod links;
pub mod page;
pub mod sheet;

use baoxue_domain::supervision::china_day;
use chrono::{DateTime, NaiveDate};

/// The wall clock in China (UTC+8, no daylight saving) at `ms` since 1970.
fn beijing(ms: i64) -> Option<chrono::NaiveDateTime> {
    const EIGHT_HOURS_MS: i64 = 8 * 3_600_000;
    DateTime::from_timestamp_millis(ms.saturating_add(EIGHT_HOURS_MS)).map(|time| time.naive_utc())
}

/// The day in China at `now_ms`: the "today" the schools' figures are taken on, as the phones of
/// the schools count it (`domain::supervision::china_day`, the day a record counts as written).
pub fn china_today(now_ms: i64) -> NaiveDate {
    u64::try_from(now_ms).ok().and_then(china_day).unwrap_or_default()
}

/// A moment in Beijing time, to the minute ("2026-12-04 20:30"), as pages and the operator read it.
pub fn beijing_time(ms: i64) -> String {
    beijing(ms).map(|time| time.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_turns_at_midnight_in_beijing() {
        // 2026-12-03T15:59:59Z is 23:59:59 in Beijing; a second later it is 4 December there.
        let before = DateTime::parse_from_rfc3339("2026-12-03T15:59:59Z").unwrap().timestamp_millis();
        assert_eq!(china_today(before), NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        assert_eq!(china_today(before + 1000), NaiveDate::from_ymd_opt(2026, 12, 4).unwrap());
    }
}
