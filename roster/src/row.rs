//! One row of the sheet read into a [`RosterRow`]: every cell parsed once, every problem of the
//! row collected, not just the first, so a teacher fixes a row in one go.

use crate::class_text::{parse_class, parse_grade, ClassKey};
use crate::error::{Problem, RosterError, RowError};
use crate::header::{find_columns, Column, Columns, Field};
use crate::sheet::{Cell, Row, Sheet};
use baoxue_domain::date_text::{excel_serial_date, parse_date, parse_year_month, YearMonth};
use baoxue_domain::id_number::{masked, IdNumber, IdNumberError};
use baoxue_domain::org::Grade;
use baoxue_domain::phone::normalise_phone;
use baoxue_domain::student::{Flag, Gender};
use baoxue_domain::student_number::StudentNumber;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A student as one row of the file gives them, before they are matched with the roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    /// The row number Excel shows.
    pub row: usize,
    pub student_number: Option<StudentNumber>,
    /// 身份证件号, when the file has it and it is a 居民身份证 number.
    pub id_number: Option<IdNumber>,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub class: ClassKey,
    pub village: String,
    pub address: String,
    pub guardian: String,
    pub guardian_phone: String,
    /// 入学年月, when the file has it. A student record has no such field; it dates a new
    /// student's first 在读 (`preview::enrolled_from`).
    pub entry_month: Option<YearMonth>,
    /// Flags the file states, with the cell that states them as evidence.
    pub flags: Vec<FlagHint>,
}

impl RosterRow {
    pub fn grade(&self) -> Grade {
        self.class.grade
    }
}

/// A flag a row of the file states: "是否留守儿童: 双亲留守儿童" is evidence of [`Flag::LeftBehind`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagHint {
    pub flag: Flag,
    /// "导入：是否孤儿", or with the cell when it says more than yes: "导入：是否留守儿童：双亲留守儿童".
    pub evidence: String,
}

/// The rows of a file that read cleanly, and the problems of the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rows {
    pub columns: Columns,
    pub rows: Vec<RosterRow>,
    pub errors: Vec<RowError>,
}

/// Reads every student row below the header. Fails only when the file as a whole cannot be a
/// roster (no header row, a required column missing, no row below the header).
pub fn read_rows(sheet: &Sheet) -> Result<Rows, RosterError> {
    let columns = find_columns(sheet)?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    // First row of each 学籍号, and of each name and birth date among rows without one.
    let mut first_with_number: HashMap<StudentNumber, usize> = HashMap::new();
    let mut first_without_number: HashMap<(String, NaiveDate), usize> = HashMap::new();
    let mut any_student = false;
    for row in sheet.rows.iter().filter(|row| row.number > columns.header_row) {
        let mut reader = RowReader { row, columns: &columns, errors: Vec::new() };
        // A row with a name but nothing else is a student missing everything; a row without a
        // name and with few cells is a note or a total ("合计：45人") and is skipped.
        let filled = row.cells.iter().filter(|cell| !cell.is_empty()).count();
        if reader.text(Field::Name).is_none() && filled < 3 {
            continue;
        }
        any_student = true;
        let draft = reader.student();
        if let Some(number) = &draft.student_number {
            if let Some(first) = first_with_number.get(number) {
                reader.problem(Field::StudentNumber, Problem::DuplicateNumber { first_row: *first });
            } else {
                first_with_number.insert(number.clone(), row.number);
            }
        } else if let (Some(name), Some(birth_date)) = (&draft.name, draft.birth_date) {
            match first_without_number.get(&(name.clone(), birth_date)) {
                Some(first) => reader.problem(Field::Name, Problem::DuplicateStudent { first_row: *first }),
                None => {
                    first_without_number.insert((name.clone(), birth_date), row.number);
                }
            }
        }
        match (reader.errors.is_empty(), draft.complete(row.number)) {
            (true, Some(student)) => rows.push(student),
            _ => errors.append(&mut reader.errors),
        }
    }
    if !any_student {
        return Err(RosterError::NoStudents { header_row: columns.header_row });
    }
    Ok(Rows { columns, rows, errors })
}

/// The fields of a row as far as they parsed.
struct Draft {
    student_number: Option<StudentNumber>,
    id_number: Option<IdNumber>,
    name: Option<String>,
    gender: Option<Gender>,
    birth_date: Option<NaiveDate>,
    class: Option<ClassKey>,
    village: String,
    address: String,
    guardian: String,
    guardian_phone: String,
    entry_month: Option<YearMonth>,
    flags: Vec<FlagHint>,
}

impl Draft {
    fn complete(self, row: usize) -> Option<RosterRow> {
        Some(RosterRow {
            row,
            student_number: self.student_number,
            id_number: self.id_number,
            name: self.name?,
            gender: self.gender?,
            birth_date: self.birth_date?,
            class: self.class?,
            village: self.village,
            address: self.address,
            guardian: self.guardian,
            guardian_phone: self.guardian_phone,
            entry_month: self.entry_month,
            flags: self.flags,
        })
    }
}

pub(crate) struct RowReader<'a> {
    row: &'a Row,
    columns: &'a Columns,
    errors: Vec<RowError>,
}

impl<'a> RowReader<'a> {
    pub(crate) fn new(row: &'a Row, columns: &'a Columns) -> Self {
        RowReader { row, columns, errors: Vec::new() }
    }

    /// The problems found in the row so far.
    pub(crate) fn take_errors(&mut self) -> Vec<RowError> {
        std::mem::take(&mut self.errors)
    }

    fn column(&self, field: Field) -> Option<&Column> {
        self.columns.get(field)
    }

    fn cell(&self, field: Field) -> Option<&Cell> {
        self.column(field).map(|column| self.row.cell(column.index))
    }

    /// The cell's text, `None` when the column is absent or the cell empty.
    pub(crate) fn text(&self, field: Field) -> Option<String> {
        self.cell(field).map(Cell::text).filter(|text| !text.is_empty())
    }

    pub(crate) fn problem(&mut self, field: Field, problem: Problem) {
        let value = self.column(field).map(|column| self.row.cell(column.index).text()).unwrap_or_default();
        self.problem_shown_as(field, value, problem);
    }

    /// A problem whose cell is shown as `value` rather than as written.
    fn problem_shown_as(&mut self, field: Field, value: String, problem: Problem) {
        let (column, value) = match self.column(field) {
            Some(column) => (column.header.clone(), value),
            None => (String::new(), String::new()),
        };
        self.errors.push(RowError { row: self.row.number, column, value, problem });
    }

    /// The text of a required cell, or a [`Problem::Missing`].
    pub(crate) fn required(&mut self, field: Field) -> Option<String> {
        let text = self.text(field);
        if text.is_none() {
            self.problem(field, Problem::Missing);
        }
        text
    }

    fn student(&mut self) -> Draft {
        let id_number = self.id_number();
        let student_number = self.student_number(&id_number);
        let name = self.required(Field::Name);
        let gender = self.gender();
        let birth_date = self.birth_date();
        let class = self.class();
        let address = self.text(Field::Address).unwrap_or_default();
        let village = self.text(Field::Village).unwrap_or_else(|| village_of(&address));
        let (guardian, member_phone) = self.guardian();
        let guardian_phone = self.phone(member_phone);
        let entry_month = self.text(Field::EntryMonth).and_then(|text| match parse_year_month(&text) {
            Ok(month) => Some(month),
            Err(error) => {
                self.problem(Field::EntryMonth, Problem::Date(error));
                None
            }
        });
        let flags = self.flags();
        Draft {
            student_number,
            id_number: id_number.ok().flatten(),
            name,
            gender,
            birth_date,
            class,
            village,
            address,
            guardian,
            guardian_phone,
            entry_month,
            flags,
        }
    }

    /// The 身份证件号 of a 居民身份证: `Ok(None)` when the row has none (or another kind of
    /// document), `Err` when the cell is refused (its problem is recorded). A number cell is
    /// always refused: Excel keeps 15 digits of a number, so an 18-character ID stored as one
    /// has lost its last digits, and nothing can tell what they were.
    pub(crate) fn id_number(&mut self) -> Result<Option<IdNumber>, ()> {
        let id_card = self.text(Field::IdType).is_none_or(|kind| kind.contains("身份证"));
        let Some(text) = self.text(Field::IdNumber).filter(|_| id_card) else {
            return Ok(None);
        };
        let parsed = match self.cell(Field::IdNumber) {
            Some(Cell::Number(number)) => {
                Err(IdNumberError::StoredAsNumber { value: excel_general(number).unwrap_or_else(|| text.clone()) })
            }
            _ => IdNumber::parse(&text),
        };
        match parsed {
            Ok(number) => Ok(Some(number)),
            // An ID whose digits Excel lost identifies nobody any more; any other is shown by
            // its last four characters, as everywhere but the child's page.
            Err(error @ IdNumberError::StoredAsNumber { .. }) => {
                self.problem(Field::IdNumber, Problem::IdNumber(error));
                Err(())
            }
            Err(error) => {
                self.problem_shown_as(Field::IdNumber, masked(&text), Problem::IdNumber(error));
                Err(())
            }
        }
    }

    /// The 学籍号 column, or else "G" + the row's 身份证件号 (the national export has no 学籍号
    /// column). A refused ID has its problem already; it gives no 学籍号.
    fn student_number(&mut self, id_number: &Result<Option<IdNumber>, ()>) -> Option<StudentNumber> {
        if self.text(Field::StudentNumber).is_none() {
            let id_number = id_number.as_ref().ok()?.as_ref()?;
            return StudentNumber::parse(&format!("G{id_number}")).ok();
        }
        let field = Field::StudentNumber;
        let mut text = self.text(field)?;
        // A number cell of 16 or more digits has lost digits: Excel keeps 15. Parse it as Excel
        // shows it, so the domain names the scientific notation rather than a wrong check digit.
        if let Some(Cell::Number(number)) = self.cell(field) {
            text = excel_general(number).unwrap_or(text);
        }
        match StudentNumber::parse(&text) {
            Ok(number) => Some(number),
            Err(error) => {
                self.problem(field, Problem::StudentNumber(error));
                None
            }
        }
    }

    pub(crate) fn gender(&mut self) -> Option<Gender> {
        let text = self.required(Field::Gender)?;
        match text.as_str() {
            "男" | "男性" | "男生" | "M" | "m" => Some(Gender::Male),
            "女" | "女性" | "女生" | "F" | "f" => Some(Gender::Female),
            _ => {
                self.problem(Field::Gender, Problem::Gender);
                None
            }
        }
    }

    pub(crate) fn birth_date(&mut self) -> Option<NaiveDate> {
        let parsed = match self.cell(Field::BirthDate)? {
            Cell::Empty => {
                self.problem(Field::BirthDate, Problem::Missing);
                return None;
            }
            Cell::Date(serial) => match excel_serial_date(*serial) {
                Some(day) => Ok(day),
                // Serial 60 or out of range: the text parser names which.
                None => parse_date(&serial.to_string()),
            },
            cell => parse_date(&cell.text()),
        };
        match parsed {
            Ok(day) => Some(day),
            Err(error) => {
                self.problem(Field::BirthDate, Problem::Date(error));
                None
            }
        }
    }

    /// The class from the 班级 column, with the grade from the 年级 column or from the class
    /// itself; when both name a grade they must agree.
    fn class(&mut self) -> Option<ClassKey> {
        let grade_column = self.text(Field::Grade).map(|text| match parse_grade(&text) {
            Ok(grade) => Some(grade),
            Err(_) => {
                self.problem(Field::Grade, Problem::Grade);
                None
            }
        });
        if self.column(Field::Grade).is_some() && grade_column.is_none() && self.text(Field::Class).is_none() {
            self.problem(Field::Grade, Problem::Missing);
            return None;
        }
        let class = match self.column(Field::Class) {
            None => None,
            Some(_) => {
                let text = self.required(Field::Class)?;
                match parse_class(&text) {
                    Some(class) => Some(class),
                    None => {
                        self.problem(Field::Class, Problem::Class);
                        return None;
                    }
                }
            }
        };
        // A grade cell that did not parse already has its problem.
        let grade_column = match grade_column {
            Some(None) => return None,
            Some(Some(grade)) => Some(grade),
            None => None,
        };
        let grade = match (grade_column, class.and_then(|class| class.grade)) {
            (Some(grade), Some(in_class)) if grade != in_class => {
                self.problem(Field::Class, Problem::GradeDiffers { grade, in_class });
                return None;
            }
            (Some(grade), _) | (None, Some(grade)) => grade,
            (None, None) => {
                // "2班" and no 年级 column, or an empty 年级 cell beside it.
                match self.column(Field::Grade) {
                    Some(_) => self.problem(Field::Grade, Problem::Missing),
                    None => self.problem(Field::Class, Problem::Class),
                }
                return None;
            }
        };
        Some(ClassKey { grade, number: class.map(|class| class.number) })
    }

    /// The guardian's name, and the phone of the family member who is the guardian (used when
    /// the row has no phone column of its own).
    fn guardian(&mut self) -> (String, Option<String>) {
        if let Some(name) = self.text(Field::Guardian) {
            return (name, None);
        }
        // The national export lists family members; the guardian is the first marked 是, or
        // the first member when the file does not say.
        let members = &self.columns.members;
        let text =
            |index: Option<usize>| index.map(|index| self.row.cell(index).text()).filter(|text| !text.is_empty());
        let guardian = members
            .iter()
            .find(|member| text(member.is_guardian).is_some_and(|value| value == "是"))
            .or_else(|| members.first().filter(|member| member.is_guardian.is_none()));
        match guardian {
            Some(member) => (text(member.name).unwrap_or_default(), text(member.phone)),
            None => (String::new(), None),
        }
    }

    fn phone(&mut self, member_phone: Option<String>) -> String {
        let (field, text) = match self.text(Field::Phone) {
            Some(text) => (Some(Field::Phone), text),
            None => (None, member_phone.unwrap_or_default()),
        };
        if matches!(text.as_str(), "无" | "/" | "-" | "—" | "暂无") {
            return String::new();
        }
        if let Some(normalised) = normalise_phone(&text) {
            return normalised;
        }
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let allowed = text.chars().all(|character| character.is_ascii_digit() || " -+()（）".contains(character));
        if text.is_empty() || (allowed && (7..=13).contains(&digits)) {
            return text;
        }
        if let Some(field) = field {
            self.problem(field, Problem::Phone);
        }
        String::new()
    }

    /// The flags the row states. A plain yes is evidenced by the column ("导入：是否孤儿"); a
    /// cell that says more ("双亲留守儿童") keeps its words too. A no sets nothing and clears
    /// nothing: a flag a teacher recorded stays until a teacher clears it.
    fn flags(&mut self) -> Vec<FlagHint> {
        let mut flags = Vec::new();
        let fields = [
            (Field::LeftBehind, Flag::LeftBehind),
            (Field::FamilyHardship, Flag::FamilyHardship),
            (Field::Disability, Flag::Disability),
            (Field::Orphan, Flag::Orphan),
            (Field::Migrant, Flag::Migrant),
        ];
        for (field, flag) in fields {
            let Some(text) = self.text(field) else {
                continue;
            };
            let header = self.column(field).map(|column| column.header.clone()).unwrap_or_default();
            let evidence = match (yes_or_no(&text), text.as_str()) {
                (Some(true), _) => format!("导入：{header}"),
                (Some(false), _) => continue,
                (None, "单亲留守儿童" | "双亲留守儿童" | "留守儿童") if field == Field::LeftBehind => {
                    format!("导入：{header}：{text}")
                }
                (None, "非留守儿童") if field == Field::LeftBehind => continue,
                (None, _) => {
                    self.problem(field, Problem::YesNo);
                    continue;
                }
            };
            flags.push(FlagHint { flag, evidence });
        }
        flags
    }
}

/// A yes-or-no cell as the 学籍 system and schools write it: 是/否, Y/N, 1/0, a tick (√, ✓) for
/// yes, and 有/无. `None` for anything else.
fn yes_or_no(text: &str) -> Option<bool> {
    match text.trim() {
        "是" | "Y" | "y" | "1" | "√" | "✓" | "✔" | "有" => Some(true),
        "否" | "N" | "n" | "0" | "无" => Some(false),
        _ => None,
    }
}

/// A large number as Excel's General format shows it: six significant digits in scientific
/// notation, "4.30521E+17". `None` for a number of 15 digits or fewer.
fn excel_general(number: &str) -> Option<String> {
    let number = number.trim();
    let (mantissa, exponent) = match number.split_once(['E', 'e']) {
        Some((mantissa, exponent)) => (mantissa, exponent.trim_start_matches('+').parse::<i32>().ok()?),
        None => (number, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let whole = whole.trim_start_matches('0');
    if whole.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let exponent = exponent.saturating_add(i32::try_from(whole.len()).unwrap_or(i32::MAX)).saturating_sub(1);
    if exponent < 15 {
        return None;
    }
    let mut digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).map(|byte| byte - b'0').collect();
    digits.resize(digits.len().max(7), 0);
    // Round to six digits, carrying; 9.999995 rounds up to 10.0000, one more power of ten.
    let mut kept: Vec<u8> = digits[..6].to_vec();
    let mut exponent = exponent;
    if digits[6] >= 5 {
        let mut index = 5;
        loop {
            if kept[index] < 9 {
                kept[index] += 1;
                break;
            }
            kept[index] = 0;
            if index == 0 {
                kept.insert(0, 1);
                kept.pop();
                exponent = exponent.saturating_add(1);
                break;
            }
            index -= 1;
        }
    }
    while kept.len() > 1 && kept.last() == Some(&0) {
        kept.pop();
    }
    let mut shown: String = kept.iter().map(|digit| char::from(b'0' + digit)).collect();
    if shown.len() > 1 {
        shown.insert(1, '.');
    }
    Some(format!("{shown}E+{exponent}"))
}

/// The village (村) of an address such as "某县某镇上村3组": the part ending in 村 after the
/// town (镇, 乡) or the last administrative word. Empty when the address names no 村.
pub fn village_of(address: &str) -> String {
    let Some(end) = address.find('村') else {
        return String::new();
    };
    let before = &address[..end];
    let start = before
        .rfind(['镇', '乡', '县', '区', '市', '省'])
        .map_or(0, |index| index + before[index..].chars().next().map_or(0, char::len_utf8));
    format!("{}村", &before[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_numbers_show_as_excel_shows_them() {
        assert_eq!(excel_general("430521201303011140").as_deref(), Some("4.30521E+17"));
        assert_eq!(excel_general("4.3052120080101101E+17").as_deref(), Some("4.30521E+17"));
        assert_eq!(excel_general("110101200801011230").as_deref(), Some("1.10101E+17"));
        assert_eq!(excel_general("999999500000000000").as_deref(), Some("1E+18"));
        assert_eq!(excel_general("430525500000000000").as_deref(), Some("4.30526E+17"));
        assert_eq!(excel_general("13800000001"), None);
        assert_eq!(excel_general("G1"), None);
    }

    #[test]
    fn yes_and_no_are_read_in_every_usual_spelling() {
        for yes in ["是", "Y", "y", "1", "√", "有"] {
            assert_eq!(yes_or_no(yes), Some(true), "{yes}");
        }
        for no in ["否", "N", "0", "无"] {
            assert_eq!(yes_or_no(no), Some(false), "{no}");
        }
        for neither in ["不详", "2", "×", "yes"] {
            assert_eq!(yes_or_no(neither), None, "{neither}");
        }
    }

    #[test]
    fn the_village_is_cut_from_the_address() {
        assert_eq!(village_of("湖南省某县某镇上村3组"), "上村");
        assert_eq!(village_of("某乡马家村"), "马家村");
        assert_eq!(village_of("城关街道12号"), "");
    }
}
