//! The phone's clock and random source: the only places the app reads them. Everything below
//! takes "today", "now" and random bytes as parameters.

use chrono::NaiveDate;

use std::cell::Cell;

thread_local! {
    /// The server's clock minus the phone's, learnt by the sync client. A phone set hours
    /// wrong would otherwise win (or lose) every concurrent edit on its wrong stamps.
    static OFFSET_MS: Cell<i64> = const { Cell::new(0) };
}

/// Milliseconds since 1970 by the phone's own clock, uncorrected: for timing requests.
pub fn local_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Milliseconds since 1970 by the phone's clock corrected by the server's: what stamps and
/// ids are made from.
pub fn now_ms() -> u64 {
    local_ms().saturating_add_signed(OFFSET_MS.with(Cell::get))
}

pub fn set_offset_ms(offset: i64) {
    OFFSET_MS.with(|cell| cell.set(offset));
}

/// Today in the phone's own time zone.
pub fn today() -> NaiveDate {
    date_of(&js_sys::Date::new_0())
}

/// The day of `ms` since 1970 in the phone's own time zone.
pub fn date_at(ms: i64) -> NaiveDate {
    date_of(&js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)))
}

fn date_of(date: &js_sys::Date) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.get_full_year() as i32, date.get_month() + 1, date.get_date())
        .unwrap_or(NaiveDate::MIN)
}

/// Ten random bytes from the browser's cryptographic source, for UUIDv7 ids. Falls back to
/// Math.random only where crypto is missing (very old WebViews); ids stay unique in practice
/// because they also carry the millisecond.
pub fn random10() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// Resolves after `ms` milliseconds (the browser's setTimeout).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
