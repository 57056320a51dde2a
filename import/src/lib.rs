//! The roster import as a wasm module of its own. The roster reader (XLSX, CSV, the checks of
//! every row) is about 83 KB of gzip, too much for a phone's first visit for a task done a few
//! times a year; so the app loads this module with a dynamic `import()` when a teacher opens
//! the import screen, and the service worker keeps it for offline use.
//!
//! ```text
//! app ──Context (JSON: school, its records)──▶ preview(file, name, context, today) ──▶ Outcome (JSON)
//!        Shown: counts, rows, bad rows with translated text, and the changes to commit
//! ```
//!
//! The messages of bad rows and bad files are translated here, both languages in each answer
//! ([`wire::Said`]): they belong with the roster's errors, and keeping them here keeps their
//! text out of the app's wasm. The screen around them translates its own words.
//!
//! With the `module` feature off (as the app links it) only [`wire`] is left: the JSON types
//! both sides share, so they cannot drift apart.

pub mod wire;

#[cfg(feature = "module")]
mod classes;
#[cfg(feature = "module")]
mod module;
#[cfg(feature = "module")]
pub mod paper_xlsx;
#[cfg(feature = "module")]
mod shown;
#[cfg(feature = "module")]
mod text;

#[cfg(feature = "module")]
pub use shown::{preview_file, residents_file};
