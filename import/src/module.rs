//! The wasm-bindgen export and the browser services it needs: GBK decoding by the browser's
//! `TextDecoder` (no decoding tables in the module) and the clock and random source for ids.

use crate::wire::{Context, Outcome, Said};
use chrono::NaiveDate;
use uuid::Uuid;
use wasm_bindgen::prelude::wasm_bindgen;

/// Reads a roster file and compares it with the phone's records. `context_json` is a
/// [`Context`], `today` is `YYYY-MM-DD`; the answer is an [`Outcome`] as JSON. It never throws:
/// a file that cannot be read is an `Err` with the message to show.
#[wasm_bindgen]
pub fn preview(file: &[u8], file_name: &str, context_json: &str, today: &str) -> String {
    let outcome: Outcome = match (serde_json::from_str::<Context>(context_json), today.parse::<NaiveDate>()) {
        (Ok(context), Ok(today)) => crate::preview_file(file, file_name, &context, today, decode_gbk, new_id),
        // The app builds both; reaching this is a bug of the app, not of the file.
        _ => Err(Said::new(
            "导入模块出错，请重新打开应用后再试。",
            "The import module failed: reopen the app and try again.",
        )),
    };
    serde_json::to_string(&outcome).unwrap_or_default()
}

/// Reads a list of resident children (户籍, XLSX or CSV) for the cross-check; the answer is a
/// [`crate::wire::ResidentsOutcome`] as JSON. It never throws.
#[wasm_bindgen]
pub fn residents(file: &[u8], file_name: &str) -> String {
    serde_json::to_string(&crate::residents_file(file, file_name, decode_gbk)).unwrap_or_default()
}

/// The browser's GBK decoder, strict: bytes that are not GBK give `None`.
fn decode_gbk(bytes: &[u8]) -> Option<String> {
    let options = web_sys::TextDecoderOptions::new();
    options.set_fatal(true);
    let decoder = web_sys::TextDecoder::new_with_label_and_options("gbk", &options).ok()?;
    decoder.decode_with_u8_array(bytes).ok()
}

/// A UUIDv7 from the phone's clock and its cryptographic random source.
fn new_id() -> Uuid {
    let mut random = [0u8; 10];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut random).is_ok());
    if !filled {
        for byte in &mut random {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid::Builder::from_unix_timestamp_millis(js_sys::Date::now().max(0.0) as u64, &random).into_uuid()
}

/// A paper as an XLSX workbook: `rows_json` is the paper's rows of cells (`[["学校", ...], ...]`),
/// as the app shows and prints them. The bytes, or an empty array when they cannot be made (the
/// app then says the download failed).
#[wasm_bindgen]
pub fn paper_xlsx(sheet: &str, rows_json: &str) -> Vec<u8> {
    serde_json::from_str::<Vec<Vec<String>>>(rows_json)
        .ok()
        .and_then(|rows| crate::paper_xlsx::paper_xlsx(sheet, &rows).ok())
        .unwrap_or_default()
}
