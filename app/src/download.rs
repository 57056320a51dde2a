//! Offering a file the app made (a backup, a paper as CSV) to the phone's downloads.

use leptos::prelude::{document, set_timeout};
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a file download of type `mime`.
pub fn offer_text(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    offer(name, mime, &js_sys::Array::of1(&JsValue::from_str(text)))
}

/// Offers `bytes` as a file download of type `mime`.
pub fn offer_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), JsValue> {
    offer(name, mime, &js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)))
}

/// A Blob of `parts`, its object URL and a temporary `<a download>`.
fn offer(name: &str, mime: &str, parts: &js_sys::Array) -> Result<(), JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_buffer_source_sequence_and_options(parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    // Attached while clicked: some older WebViews ignore a click on a detached link.
    if let Some(body) = document().body() {
        body.append_child(&anchor)?;
    }
    anchor.click();
    anchor.remove();
    // Revoked later, not at once: the browser may still be reading the blob.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(60),
    );
    Ok(())
}

/// A name a file system takes: what it refuses, and white space, become '-'; empty is `fallback`.
pub fn file_name_part(text: &str, fallback: &str) -> String {
    let part: String =
        text.trim().chars().map(|c| if c.is_whitespace() || r#"/\:*?"<>|"#.contains(c) { '-' } else { c }).collect();
    if part.is_empty() {
        fallback.to_owned()
    } else {
        part
    }
}
