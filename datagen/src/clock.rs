//! The generator's clock: Beijing wall time turned into the milliseconds since 1970 that ids and
//! mutation stamps carry. Every record is "made" at a plausible moment (a mark at morning
//! register, a status event in the afternoon), so ids sort as a real school's would.

use chrono::{Days, NaiveDate};

const BEIJING_OFFSET_MS: i64 = 8 * 3_600_000;

/// Milliseconds since 1970 of `hour:minute` Beijing time on `day`, plus `extra_ms`.
pub(crate) fn beijing_ms(day: NaiveDate, hour: u32, minute: u32, extra_ms: u64) -> u64 {
    let local = day.and_hms_opt(hour, minute, 0).expect("hour and minute come from this crate and are in range");
    let utc = local.and_utc().timestamp_millis() - BEIJING_OFFSET_MS;
    u64::try_from(utc).unwrap_or(0) + extra_ms
}

/// `days` before `day`, but never after `today`: data is never dated in the future.
pub(crate) fn days_before(day: NaiveDate, days: u64, today: NaiveDate) -> NaiveDate {
    day.checked_sub_days(Days::new(days)).unwrap_or(day).min(today)
}

/// The creation time a UUIDv7 carries in its first 48 bits.
pub(crate) fn ms_of(id: uuid::Uuid) -> u64 {
    (id.as_u128() >> 80) as u64
}
