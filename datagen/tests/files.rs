//! The roster files: the 学籍 export reads back as a sheet with a title row over the header
//! row; the 花名册 CSVs carry a BOM or GBK, and exactly the bad rows asked for.
#![cfg(feature = "files")]

use baoxue_datagen::files::{encode, roster_csv, roster_xlsx, BadRowKind, CsvEncoding, FilesError};
use baoxue_datagen::{generate, Dataset, Size, Spec};
use baoxue_domain::date_text::parse_date;
use baoxue_domain::student_number::StudentNumber;
use calamine::{Data, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::Cursor;

const GRADES: [&str; 9] = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级"];

/// What is wrong with a 花名册 row, as an importer would see it; `None` for a good row.
fn fault(cells: &[&str], seen: &mut BTreeMap<String, usize>, line: usize) -> Option<BadRowKind> {
    let number = cells[0];
    if !number.is_empty() {
        match StudentNumber::parse(number) {
            Err(_) if number.contains("E+") => return Some(BadRowKind::ScientificNotation),
            Err(error) => panic!("line {line}: unexpected bad number {number}: {error}"),
            Ok(parsed) => {
                if seen.insert(parsed.as_str().to_owned(), line).is_some() {
                    return Some(BadRowKind::DuplicateNumber);
                }
            }
        }
    }
    if cells[1].trim().is_empty() {
        return Some(BadRowKind::MissingName);
    }
    if parse_date(cells[3]).is_err() {
        return Some(BadRowKind::ImpossibleDate);
    }
    if !GRADES.contains(&cells[4]) || !cells[5].starts_with(cells[4]) {
        return Some(BadRowKind::GradeTen);
    }
    None
}

fn school() -> Dataset {
    generate(&Spec::new(7, Size::School))
}

#[test]
fn the_csv_holds_exactly_the_bad_rows_asked_for() {
    let dataset = school();
    for requested in [0, 1, 5, 12] {
        let csv = roster_csv(&dataset, None, requested).unwrap();
        assert_eq!(csv.bad_rows.len(), requested);
        let kinds: Vec<BadRowKind> = BadRowKind::ALL.iter().copied().cycle().take(requested).collect();
        let mut injected: Vec<BadRowKind> = csv.bad_rows.iter().map(|row| row.kind).collect();
        let mut expected = kinds.clone();
        injected.sort_by_key(|kind| format!("{kind:?}"));
        expected.sort_by_key(|kind| format!("{kind:?}"));
        assert_eq!(injected, expected);

        let lines: Vec<&str> = csv.text.split("\r\n").filter(|line| !line.is_empty()).collect();
        assert_eq!(lines[0], "学籍号,姓名,性别,出生日期,年级,班级,家庭住址,监护人,联系电话");
        assert_eq!(lines.len() - 1, csv.students.len());
        let mut seen = BTreeMap::new();
        let found: Vec<(usize, BadRowKind)> = lines
            .iter()
            .enumerate()
            .skip(1)
            .filter_map(|(index, line)| {
                let cells: Vec<&str> = line.split(',').collect();
                assert_eq!(cells.len(), 9, "line {}: {line}", index + 1);
                fault(&cells, &mut seen, index + 1).map(|kind| (index + 1, kind))
            })
            .collect();
        let told: Vec<(usize, BadRowKind)> = csv.bad_rows.iter().map(|row| (row.line, row.kind)).collect();
        assert_eq!(found, told, "{requested} bad rows");
        for row in csv.bad_rows.iter().filter(|row| row.kind == BadRowKind::DuplicateNumber) {
            let first = row.first_line.unwrap();
            assert!(first < row.line);
            assert!(lines[first - 1].starts_with(&row.value));
        }
    }
}

#[test]
fn too_many_bad_rows_are_refused() {
    let dataset = generate(&Spec::new(7, Size::Students(4)));
    assert!(matches!(roster_csv(&dataset, None, 4), Err(FilesError::TooManyBadRows { requested: 4, rows: 4 })));
}

#[test]
fn the_csv_comes_with_a_bom_or_in_gbk() {
    let dataset = school();
    let csv = roster_csv(&dataset, Some(dataset.schools[0].school.id), 0).unwrap();
    let utf8 = encode(&csv, CsvEncoding::Utf8Bom).unwrap();
    assert_eq!(&utf8[..3], b"\xef\xbb\xbf");
    assert_eq!(std::str::from_utf8(&utf8[3..]).unwrap(), csv.text);
    let gbk = encode(&csv, CsvEncoding::Gbk).unwrap();
    assert!(std::str::from_utf8(&gbk).is_err(), "GBK bytes of Chinese text are not UTF-8");
    let (decoded, _, had_errors) = encoding_rs::GBK.decode(&gbk);
    assert!(!had_errors);
    assert_eq!(decoded, csv.text);
}

#[test]
fn the_xlsx_export_reads_back_with_its_title_and_header_rows() {
    let dataset = school();
    let bytes = roster_xlsx(&dataset).unwrap();
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range("学生基本信息").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(text) => text.clone(),
                    Data::Empty => String::new(),
                    other => panic!("every cell is text, found {other:?}"),
                })
                .collect()
        })
        .collect();
    assert!(rows[0][0].contains("学生基本信息"), "title row: {:?}", rows[0]);
    assert_eq!(&rows[1][..6], ["学校标识码", "姓名", "性别", "出生日期", "身份证件类型", "身份证件号"]);
    let roster: Vec<_> = dataset.pupils.iter().filter(|pupil| !pupil.transferred_in).collect();
    assert_eq!(rows.len() - 2, roster.len());
    let header = |name: &str| rows[1].iter().position(|cell| cell == name).unwrap();
    for (row, pupil) in rows[2..].iter().zip(&roster) {
        assert_eq!(row[header("姓名")], pupil.student.name);
        assert_eq!(row[header("出生日期")], pupil.student.birth_date.format("%Y%m%d").to_string());
        assert_eq!(row[header("全国学籍号")], pupil.student.student_number.clone().unwrap_or_default());
        assert!(["否", "单亲留守儿童", "双亲留守儿童"].contains(&row[header("是否留守儿童")].as_str()));
        assert_eq!(row[header("入学年月")].len(), 6);
        let id = &row[header("身份证件号")];
        assert!(id.is_empty() || id.len() == 18, "{id}");
    }
}
