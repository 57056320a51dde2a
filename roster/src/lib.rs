//! Roster import: a 学籍 system export or a school's own list (花名册), as XLSX or CSV, turned
//! into students, with every bad row named by its row number and what is wrong with it.
//!
//! ```text
//! bytes ──read_xlsx / decode_csv+read_csv──▶ Sheet ──preview(sheet, state, school, today)──▶ Preview
//!                                                       (header row, columns, each row read and
//!                                                        matched to the roster by 学籍号)
//!   preview_placing(.., placing): the same, with the phone's class and where the teacher put
//!   each class of the file (destination.rs: this phone's class, another class, a new one)
//! Preview ──changes(make_id)──▶ Vec<Change>   (written by the app once the teacher confirms)
//! Sheet ──read_residents──▶ ResidentRows   (a 户籍 list for the cross-check: no class column)
//! ```
//!
//! Pure logic: no I/O, no clock, no random source, no browser API. The phone app links it, so
//! it stays small: XLSX read by this crate's own ZIP directory and XML reader (inflating by
//! `miniz_oxide`), CSV through `csv`, and GBK decoded by the caller (the browser's
//! `TextDecoder` costs the app no wasm).

pub mod class_text;
pub mod csv_file;
pub mod destination;
pub mod error;
pub mod header;
pub mod preview;
pub mod residents;
pub mod row;
pub mod sheet;
pub mod xlsx;
mod xml;
mod zip;

pub use class_text::ClassKey;
pub use csv_file::{decode_csv, read_csv};
pub use destination::{Chosen, ClassPlan, Destination, Placing};
pub use error::{Problem, RosterError, RowError};
pub use preview::{preview, preview_placing, NewStudent, Preview, UpdatedStudent};
pub use residents::{read_residents, ResidentRow, ResidentRows};
pub use row::{read_rows, FlagHint, RosterRow};
pub use sheet::{Cell, Row, Sheet, STUDENT_SHEET};
pub use xlsx::read_xlsx;
