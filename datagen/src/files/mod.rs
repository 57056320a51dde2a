//! The roster files the app imports, in the shapes of DOMAIN.md: the 学籍 system's 学生基本信息
//! export as XLSX, and a school's 花名册 as CSV in UTF-8 with a BOM and in GBK (as Excel saves
//! it in China), optionally with bad rows of known kinds for import tests. Host only: the
//! writers pull in an XLSX library and the GBK tables, which the app's wasm has no use for.

mod roster_csv;
mod xlsx_export;

pub use roster_csv::{encode, roster_csv, BadRow, BadRowKind, CsvEncoding, RosterCsv};
pub use xlsx_export::roster_xlsx;

use crate::dataset::Dataset;
use crate::people::Pupil;
use baoxue_domain::ids::SchoolId;
use chrono::NaiveDate;

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("could not build the XLSX roster: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("row {row}: {text:?} has a character GBK cannot hold; write this roster as UTF-8 instead")]
    NotGbk { row: usize, text: String },
    #[error("{requested} bad rows asked for, but the roster has only {rows} rows, and a duplicated 学籍号 needs a good row to copy; ask for fewer")]
    TooManyBadRows { requested: usize, rows: usize },
}

/// The children a roster file lists: the roster as imported at the start of term (children who
/// transferred in later are not on it), of one school or of all.
pub(crate) fn roster_pupils(dataset: &Dataset, school: Option<SchoolId>) -> Vec<&Pupil> {
    dataset
        .pupils
        .iter()
        .filter(|pupil| !pupil.transferred_in && school.is_none_or(|school| pupil.student.school == school))
        .collect()
}

/// 出生日期 as the 学籍 system writes it: 20110101.
pub(crate) fn compact_date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// 班号 as the 学籍 system writes it: grade and class number, "702" for 七年级(2)班.
pub(crate) fn class_number(dataset: &Dataset, pupil: &Pupil) -> (u32, String) {
    let class = dataset.classes.iter().find(|class| class.id == pupil.student.class);
    let number = class
        .and_then(|class| {
            let inner = class.name.split_once('(')?.1.split_once(')')?.0;
            inner.parse::<u32>().ok()
        })
        .unwrap_or(1);
    (number, format!("{}{number:02}", pupil.student.grade.get()))
}
