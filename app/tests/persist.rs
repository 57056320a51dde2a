//! The browser's storage settings in headless Chromium (`wasm-bindgen-test`): asking and
//! reading never fail, whatever the browser answers.

use baoxue_app::store::persist::{estimate, format_bytes, persisted, request_persistence};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn asking_for_persistence_answers_yes_or_no() {
    let granted = request_persistence().await;
    // Once granted it stays granted; a refusal may still be granted later by the browser.
    if granted {
        assert!(persisted().await);
    }
}

#[wasm_bindgen_test]
async fn the_estimate_has_usage_within_quota() {
    let (used, quota) = estimate().await.expect("Chromium has navigator.storage.estimate()");
    assert!(used >= 0.0);
    assert!(quota > 0.0);
    assert!(used <= quota);
}

#[wasm_bindgen_test]
fn sizes_read_as_a_person_writes_them() {
    assert_eq!(format_bytes(0.0), "0 B");
    assert_eq!(format_bytes(1023.0), "1023 B");
    assert_eq!(format_bytes(1024.0), "1.0 KB");
    assert_eq!(format_bytes(2.3 * 1024.0 * 1024.0), "2.3 MB");
    assert_eq!(format_bytes(1.2 * 1024.0 * 1024.0 * 1024.0), "1.2 GB");
    assert_eq!(format_bytes(10.0 * 1024.0 * 1024.0 * 1024.0), "10 GB");
    assert_eq!(format_bytes(-5.0), "0 B");
    assert_eq!(format_bytes(f64::NAN), "0 B");
}
