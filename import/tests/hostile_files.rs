//! Hostile files through both importers, the roster (`preview_file`) and the resident list of
//! the cross-check (`residents_file`): a wrong encoding, a 50 MB file, a sheet with no header, a
//! ZIP bomb, formulas, a title in merged cells, a cell holding a NUL. Each gets a clear message
//! naming what is wrong, or is read with its values cleaned; never a panic. Neither importer
//! writes anything itself: what either reads is written only when the person confirms, in one
//! write, so a refused file leaves nothing half-written.

use baoxue_domain::ids::{ClassId, SchoolId, TownId};
use baoxue_domain::mutation::Change;
use baoxue_domain::org::{Class, Grade, School, SchoolKind};
use baoxue_import::wire::{Context, Outcome, ResidentsOutcome, Said};
use baoxue_import::{preview_file, residents_file};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Formula, Workbook};
use uuid::Uuid;

fn phone() -> Context {
    let school = SchoolId::from_u128(1);
    Context {
        school,
        class: None,
        chosen: Vec::new(),
        records: vec![
            Change::PutSchool(School {
                id: school,
                town: TownId::from_u128(2),
                name: "岩源乡中心小学".into(),
                kind: SchoolKind::Primary,
            }),
            Change::PutClass(Class {
                id: ClassId::from_u128(3),
                school,
                grade: Grade::new(5).unwrap(),
                name: "五年级(1)班".into(),
                head_teacher: "李老师".into(),
            }),
        ],
    }
}

/// The browser's strict GBK decoder, as the module uses it.
fn gbk(bytes: &[u8]) -> Option<String> {
    let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
    (!had_errors).then(|| text.into_owned())
}

fn both(file: &[u8], name: &str) -> (Outcome, ResidentsOutcome) {
    let mut next = 0u128;
    let ids = move || {
        next += 1;
        Uuid::from_u128(next)
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    (preview_file(file, name, &phone(), today, gbk, ids), residents_file(file, name, gbk))
}

/// Both importers refuse the file, each with a message holding `words`.
fn refused_by_both(file: &[u8], name: &str, words: &str) {
    let (roster, residents) = both(file, name);
    let said = |outcome: Result<(), Said>| outcome.expect_err("the file should be refused").zh;
    let roster = said(roster.map(|_| ()));
    let residents = said(residents.map(|_| ()));
    assert!(roster.contains(words), "roster: {roster}");
    assert!(residents.contains(words), "resident list: {residents}");
}

#[test]
fn a_file_in_an_unknown_encoding_is_refused_by_name() {
    refused_by_both(b"\xff\xfe\xfd,\x80\x80,\xfe\n", "名单.csv", "文字编码");
}

#[test]
fn a_50_mb_file_is_refused_by_name() {
    let noise: Vec<u8> = (0..50 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    refused_by_both(&noise, "名单.xlsx", "不是能读取的 Excel 文件");
    refused_by_both(&vec![0u8; 50 * 1024 * 1024], "名单.csv", "请选择 Excel (.xlsx) 或 CSV 文件");
}

#[test]
fn a_sheet_with_no_header_is_refused_by_name() {
    refused_by_both("1,2,3\n4,5,6\n".as_bytes(), "名单.csv", "找不到表头");
}

/// A ZIP of one deflated part, `_rels/.rels`, that inflates to 70 MB while its directory says
/// 100 bytes: a "zip bomb". The reader stops at its limit (64 MB) rather than fill the phone.
fn zip_bomb() -> Vec<u8> {
    let data = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 70 * 1024 * 1024], 9);
    let name = b"_rels/.rels";
    let (compressed, claimed) = (data.len() as u32, 100u32);
    let mut zip = Vec::new();
    zip.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    zip.extend_from_slice(&compressed.to_le_bytes());
    zip.extend_from_slice(&claimed.to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(name);
    zip.extend_from_slice(&data);
    let central = zip.len() as u32;
    zip.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    zip.extend_from_slice(&compressed.to_le_bytes());
    zip.extend_from_slice(&claimed.to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&[0; 12]);
    zip.extend_from_slice(&0u32.to_le_bytes());
    zip.extend_from_slice(name);
    let central_size = zip.len() as u32 - central;
    zip.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00");
    zip.extend_from_slice(&central_size.to_le_bytes());
    zip.extend_from_slice(&central.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip
}

#[test]
fn a_zip_bomb_is_refused_by_name() {
    let bomb = zip_bomb();
    assert!(bomb.len() < 200 * 1024, "the bomb is small: {} bytes", bomb.len());
    refused_by_both(&bomb, "名单.xlsx", "不是能读取的 Excel 文件");
}

/// A workbook as a school might send one: a title merged over the header, the name of the second
/// child a formula (its last computed value counts), and a NUL inside the first child's village.
fn awkward_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.merge_range(0, 0, 0, 5, "岩源乡中心小学五年级花名册", &Format::new()).unwrap();
    for (column, header) in ["姓名", "性别", "出生日期", "班级", "村", "公民身份号码"].iter().enumerate()
    {
        sheet.write_string(1, column as u16, *header).unwrap();
    }
    for (row, cells) in
        [["刘思雪", "女", "20160205", "五年级(1)班", "白庄\u{0}村"], ["", "女", "2015-10-25", "五年级(1)班", "新林村"]]
            .iter()
            .enumerate()
    {
        for (column, text) in cells.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(row as u32 + 2, column as u16, *text).unwrap();
            }
        }
    }
    sheet.write_formula(3, 0, Formula::new("=\"王\"&\"洁瑶\"").set_result("王洁瑶")).unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn formulas_merged_titles_and_a_nul_are_read_clean_by_both() {
    let (roster, residents) = both(&awkward_workbook(), "花名册.xlsx");
    let roster = roster.expect("the roster reads");
    let names: Vec<&str> = roster.new.iter().map(|line| line.head.zh.as_str()).collect();
    assert_eq!(names, ["刘思雪", "王洁瑶"], "the formula's computed value is the name");
    let villages: Vec<String> = roster
        .changes
        .iter()
        .filter_map(|change| match change {
            Change::PutStudent(student) => Some(student.village.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(villages, ["白庄 村", "新林村"], "no NUL reaches a record");
    let residents = residents.expect("the resident list reads");
    let listed: Vec<(&str, &str)> =
        residents.listed.iter().map(|child| (child.name.as_str(), child.village.as_str())).collect();
    assert_eq!(listed, [("刘思雪", "白庄 村"), ("王洁瑶", "新林村")]);
    assert!(residents.bad.is_empty(), "{:?}", residents.bad);
}
