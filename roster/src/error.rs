//! What can go wrong in a roster import: with the whole file ([`RosterError`], nothing can be
//! read) or with one cell of one row ([`RowError`], the rest of the file still imports). The
//! `#[error]` texts are for logs and tests; the app maps each variant to its translation table.

use baoxue_domain::date_text::DateTextError;
use baoxue_domain::id_number::IdNumberError;
use baoxue_domain::org::Grade;
use baoxue_domain::student_number::StudentNumberError;
use baoxue_domain::validate::ValidationError;
use std::fmt;

/// The file as a whole cannot be read. Each message says what to do next.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("the file is empty; export the roster again from the 学籍 system or Excel")]
    EmptyFile,
    #[error("the file is not an XLSX workbook; in Excel use 另存为 (Save As) and pick Excel 工作簿 (*.xlsx), or save as CSV")]
    NotXlsx,
    #[error(
        "the file is an old Excel 97-2003 workbook (.xls); open it in Excel and 另存为 (Save As) Excel 工作簿 (*.xlsx)"
    )]
    OldXls,
    #[error("the XLSX file is damaged or is not a workbook ({detail}); open it in Excel, save it again and retry")]
    BadXlsx { detail: String },
    #[error("this is a spreadsheet file, not a CSV; import it as XLSX")]
    SpreadsheetAsCsv,
    #[error("the file holds binary data, not text; pick the CSV or XLSX file of the roster")]
    NotText,
    #[error("the text is neither UTF-8 nor GBK; in Excel save it as CSV UTF-8 (逗号分隔) and retry")]
    BadEncoding,
    #[error(
        "line {line} of the CSV cannot be read ({detail}); open the file in Excel, save it as CSV again and retry"
    )]
    BadCsv { line: usize, detail: String },
    #[error("the sheet has no rows; check that the right file and sheet were picked")]
    NoRows,
    #[error(
        "no header row found in the first {looked_at} rows: a roster needs a row of column names such as \
         姓名, 性别, 出生日期, 年级, 班级; add one above the students"
    )]
    NoHeaderRow { looked_at: usize },
    #[error("the header row (row {header_row}) has no {column} column; add the column, or rename the column that holds it to {column}")]
    MissingColumn { header_row: usize, column: &'static str },
    #[error("the header row (row {header_row}) has neither a 年级 nor a 班级 column; add one, for example 班级 with 七年级(2)班")]
    MissingGradeAndClass { header_row: usize },
    #[error("the header row (row {header_row}) has no student below it; check that the right sheet was picked")]
    NoStudents { header_row: usize },
}

/// One problem with one cell of one row. A row with any problem is left out of the import;
/// every problem of every row is listed, so the file can be fixed in one go.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("row {row}, column {column} ({value:?}): {problem}")]
pub struct RowError {
    /// The row number Excel shows.
    pub row: usize,
    /// The column's header as written in the file ("全国学籍号", "班级"); empty when the problem
    /// is with the row as a whole.
    pub column: String,
    /// The cell as written.
    pub value: String,
    pub problem: Problem,
}

/// What is wrong with a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A cell every student needs is empty: 姓名, 性别, 出生日期, 年级 or 班级.
    Missing,
    StudentNumber(StudentNumberError),
    /// The 身份证件号 cell, among them an ID Excel stored as a number.
    IdNumber(IdNumberError),
    Date(DateTextError),
    /// Not 男 or 女.
    Gender,
    /// A grade that is no grade of compulsory school ("高一", "10").
    Grade,
    /// A class this import cannot read ("火箭班" without a grade column, "2(3)").
    Class,
    /// The grade written in the class ("八年级(2)班") differs from the 年级 column.
    GradeDiffers {
        grade: Grade,
        in_class: Grade,
    },
    /// Not 是 or 否 (nor Y/N, 1/0 or √; for 是否留守儿童 also 单亲留守儿童 / 双亲留守儿童).
    YesNo,
    /// Not a phone number: digits, with spaces or dashes.
    Phone,
    /// The same 学籍号 is on an earlier row of this file.
    DuplicateNumber {
        first_row: usize,
    },
    /// No 学籍号, and the same name and birth date are on an earlier row.
    DuplicateStudent {
        first_row: usize,
    },
    /// The student as a whole breaks a rule of the domain (age against grade, 学籍号 held by
    /// another student, class of another grade…).
    Invalid(ValidationError),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing => f.write_str("is empty; every student needs it, fill it in"),
            Problem::StudentNumber(error) => error.fmt(f),
            Problem::IdNumber(error) => error.fmt(f),
            Problem::Date(error) => error.fmt(f),
            Problem::Gender => f.write_str("is not a gender: write 男 or 女"),
            Problem::Grade => {
                f.write_str("is not a grade of compulsory school: write 一年级 to 九年级 (or 1 to 9, 初一 to 初三)")
            }
            Problem::Class => {
                f.write_str("is not a class: write it as 七年级(2)班, 7年级2班, 初一(2)班, or 2班 with a 年级 column")
            }
            Problem::GradeDiffers { grade, in_class } => write!(
                f,
                "the class is of grade {in_class}, but the 年级 column says grade {grade}; correct whichever is wrong"
            ),
            Problem::YesNo => {
                f.write_str("write 是 or 否 (or Y/N, 1/0, √; for 是否留守儿童 also 单亲留守儿童 or 双亲留守儿童)")
            }
            Problem::Phone => {
                f.write_str("is not a phone number: write the digits, such as 13812345678 or 0731-1234567")
            }
            Problem::DuplicateNumber { first_row } => {
                write!(f, "the same 学籍号 is already on row {first_row}; the child may be listed twice, keep one row")
            }
            Problem::DuplicateStudent { first_row } => write!(
                f,
                "a student of the same name and birth date is already on row {first_row}, and neither has a 学籍号; \
                 keep one row, or add the 学籍号"
            ),
            Problem::Invalid(error) => error.fmt(f),
        }
    }
}
