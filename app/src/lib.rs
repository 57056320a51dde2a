//! The Baoxue teacher app: a Leptos single-page app, client-side rendered, that keeps its data
//! in IndexedDB and works offline.

mod app;
mod case_code;
mod clock;
mod components;
pub mod ctx;
mod download;
pub mod i18n;
mod importer;
mod lang_choice;
mod later;
mod pages;
mod router;
pub mod store;
mod sync;
mod tabs;
mod write_lock;

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the wasm-bindgen glue once the module is loaded.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
