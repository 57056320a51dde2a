//! The browser's own storage settings (`navigator.storage`): whether it may clear this app's
//! data when the phone runs low on space, and how much space the app uses. Old WebViews and
//! pages served over plain http have no `navigator.storage`: every function here then answers
//! "not persistent" or "unknown" instead of failing.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{StorageEstimate, StorageManager};

/// `navigator.storage`, if this browser has it.
fn manager() -> Option<StorageManager> {
    let navigator = web_sys::window()?.navigator();
    let storage = Reflect::get(&navigator, &JsValue::from_str("storage")).ok()?;
    if storage.is_undefined() || storage.is_null() {
        return None;
    }
    Some(storage.unchecked_into())
}

/// Whether `manager` has a method called `name` (some browsers have `estimate` but not `persist`).
fn has_method(manager: &StorageManager, name: &str) -> bool {
    Reflect::get(manager, &JsValue::from_str(name)).is_ok_and(|value| value.is_instance_of::<Function>())
}

async fn settle(promise: Result<Promise, JsValue>) -> Option<JsValue> {
    JsFuture::from(promise.ok()?).await.ok()
}

/// Asks the browser to keep this app's data even when the phone runs low on space. The
/// browser decides (Chrome grants it to installed or often used sites) without asking the
/// teacher. True when the data is now persistent.
pub async fn request_persistence() -> bool {
    let Some(manager) = manager().filter(|manager| has_method(manager, "persist")) else {
        return false;
    };
    settle(manager.persist()).await.and_then(|value| value.as_bool()).unwrap_or(false)
}

/// Whether the browser has already agreed to keep this app's data.
pub async fn persisted() -> bool {
    let Some(manager) = manager().filter(|manager| has_method(manager, "persisted")) else {
        return false;
    };
    settle(manager.persisted()).await.and_then(|value| value.as_bool()).unwrap_or(false)
}

/// Bytes used by this app and bytes the browser allows it, as far as the browser tells.
pub async fn estimate() -> Option<(f64, f64)> {
    let manager = manager().filter(|manager| has_method(manager, "estimate"))?;
    // A plain object, not an instance of a class: `dyn_into` would always refuse it.
    let estimate: StorageEstimate = settle(manager.estimate()).await?.unchecked_into();
    Some((estimate.get_usage()?, estimate.get_quota()?))
}

/// A size as a person reads it: "0 B", "980 KB", "2.3 MB", "12 GB" (units of 1024; one
/// decimal below 10, so that it fits beside its label on a narrow phone).
pub fn format_bytes(bytes: f64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    let bytes = if bytes.is_finite() { bytes.max(0.0) } else { 0.0 };
    if bytes < 1024.0 {
        return format!("{} B", bytes.round());
    }
    let mut value = bytes / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value >= 10.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
