//! A list of resident children (户籍, or a poverty or disability register) for the cross-check
//! (四查三比对), read by the roster's own forgiving reader: title rows skipped, GBK, IDs as text
//! (an ID stored as a number has lost digits and is refused), dates as 20110101, 2011-01-01 or
//! an Excel date. It names no class; every bad row is named by its row number, as the roster's.

use crate::error::{Problem, RosterError, RowError};
use crate::header::{find_resident_columns, Columns, Field};
use crate::row::{village_of, RowReader};
use crate::sheet::Sheet;
use baoxue_domain::id_number::IdNumber;
use baoxue_domain::student::Gender;
use chrono::NaiveDate;
use std::collections::HashMap;

/// One child of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidentRow {
    /// The row number Excel shows.
    pub row: usize,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub id_number: Option<IdNumber>,
    pub village: String,
    pub address: String,
}

/// The rows that read cleanly, and the problems of the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidentRows {
    pub columns: Columns,
    pub rows: Vec<ResidentRow>,
    pub errors: Vec<RowError>,
}

/// Reads every child below the header. Fails only when the file as a whole cannot be such a
/// list (no header row, 姓名, 性别 or 出生日期 missing, no row below the header). A child listed
/// twice (the same ID, or without one the same name and birth date) is named at the second row.
pub fn read_residents(sheet: &Sheet) -> Result<ResidentRows, RosterError> {
    let columns = find_resident_columns(sheet)?;
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut first_with_id: HashMap<IdNumber, usize> = HashMap::new();
    let mut first_without_id: HashMap<(String, NaiveDate), usize> = HashMap::new();
    let mut any_child = false;
    for row in sheet.rows.iter().filter(|row| row.number > columns.header_row) {
        let mut reader = RowReader::new(row, &columns);
        // As in a roster: a row without a name and with few cells is a note or a total.
        let filled = row.cells.iter().filter(|cell| !cell.is_empty()).count();
        if reader.text(Field::Name).is_none() && filled < 3 {
            continue;
        }
        any_child = true;
        let id_number = reader.id_number();
        let name = reader.required(Field::Name);
        let gender = reader.gender();
        let birth_date = reader.birth_date();
        let address = reader.text(Field::Address).unwrap_or_default();
        let village = reader.text(Field::Village).unwrap_or_else(|| village_of(&address));
        let id_number = id_number.ok().flatten();
        match (&id_number, &name, birth_date) {
            (Some(id), _, _) => match first_with_id.get(id) {
                Some(first) => reader.problem(Field::IdNumber, Problem::DuplicateStudent { first_row: *first }),
                None => {
                    first_with_id.insert(id.clone(), row.number);
                }
            },
            (None, Some(name), Some(birth_date)) => match first_without_id.get(&(name.clone(), birth_date)) {
                Some(first) => reader.problem(Field::Name, Problem::DuplicateStudent { first_row: *first }),
                None => {
                    first_without_id.insert((name.clone(), birth_date), row.number);
                }
            },
            _ => {}
        }
        let mut row_errors = reader.take_errors();
        match (row_errors.is_empty(), name, gender, birth_date) {
            (true, Some(name), Some(gender), Some(birth_date)) => {
                rows.push(ResidentRow { row: row.number, name, gender, birth_date, id_number, village, address })
            }
            _ => errors.append(&mut row_errors),
        }
    }
    if !any_child {
        return Err(RosterError::NoStudents { header_row: columns.header_row });
    }
    Ok(ResidentRows { columns, rows, errors })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_file::read_csv;

    #[test]
    fn a_resident_list_is_read_under_its_title_with_its_bad_rows_named() {
        let text = "\
石门村适龄儿童户籍名单（2026年）
序号,姓名,性别,出生日期,公民身份号码,户籍地址
1,张小明,男,20130502,,某县大井镇石门村3组
2,李小红,女,2013.8.19,,石门村
3,王五,男,2013-13-01,,石门村
4,张小明,男,2013-05-02,,石门村
合计：4人
";
        let sheet = read_csv(text).unwrap();
        let read = read_residents(&sheet).unwrap();
        assert_eq!(read.columns.header_row, 2);
        let names: Vec<&str> = read.rows.iter().map(|row| row.name.as_str()).collect();
        assert_eq!(names, ["张小明", "李小红"]);
        assert_eq!(read.rows[0].village, "石门村", "the village is read out of the address");
        assert_eq!(read.rows[1].birth_date, NaiveDate::from_ymd_opt(2013, 8, 19).unwrap());
        let bad: Vec<(usize, &Problem)> = read.errors.iter().map(|error| (error.row, &error.problem)).collect();
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert_eq!(bad[0].0, 5, "the impossible date");
        assert_eq!(bad[1], (6, &Problem::DuplicateStudent { first_row: 3 }), "listed twice");
    }

    #[test]
    fn a_list_without_a_birth_date_column_is_refused_by_name() {
        let sheet = read_csv("姓名,性别,户籍地址\n张小明,男,石门村\n").unwrap();
        assert_eq!(read_residents(&sheet), Err(RosterError::MissingColumn { header_row: 1, column: "出生日期" }));
    }
}
