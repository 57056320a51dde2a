//! Importing rosters as schools really send them: the 学籍 system's export and a school's own
//! 花名册, as XLSX built here with rust_xlsxwriter and as CSV in UTF-8, UTF-8 with a BOM and GBK.

use baoxue_domain::calendar::Term;
use baoxue_domain::id_number::IdNumberError;
use baoxue_domain::ids::{ClassId, CountyId, DeviceId, RecordId, SchoolId, TownId};
use baoxue_domain::mutation::{Change, DeviceChain};
use baoxue_domain::org::{Class, County, Grade, School, SchoolKind, Town};
use baoxue_domain::state::State;
use baoxue_domain::status::{Status, StatusEvent};
use baoxue_domain::student::{FieldKey, Flag, Gender};
use baoxue_domain::student_number::{id_check_digit, StudentNumberError};
use baoxue_domain::validate::ValidationError;
use baoxue_roster::{decode_csv, preview, read_csv, read_xlsx, Preview, Problem, RosterError, RowError};
use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use uuid::Uuid;

const SCHOOL: SchoolId = SchoolId::from_u128(0x5c);
const CLASS_7_2: ClassId = ClassId::from_u128(0xc72);

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn today() -> NaiveDate {
    day("2026-10-14")
}

/// A 学籍号 "G" + an ID number born on `birth` (yyyymmdd) with the right check digit.
fn g_number(birth: &str, sequence: &str) -> String {
    let first17 = format!("430521{birth}{sequence}");
    format!("G{first17}{}", id_check_digit(&first17).unwrap())
}

/// A nine-year school with one class, 七年级(2)班, built from mutations as the app builds it.
struct School9 {
    state: State,
    chain: DeviceChain,
    now_ms: u64,
    next_id: u128,
}

impl School9 {
    fn new() -> Self {
        let mut school = School9 {
            state: State::default(),
            chain: DeviceChain::new(DeviceId::from_u128(0xde)),
            now_ms: 1_780_000_000_000,
            next_id: 0x1000,
        };
        school.apply(Change::PutCounty(County { id: CountyId::from_u128(1), name: "某县".into() }));
        school.apply(Change::PutTown(Town {
            id: TownId::from_u128(1),
            county: CountyId::from_u128(1),
            name: "某镇".into(),
        }));
        school.apply(Change::PutSchool(School {
            id: SCHOOL,
            town: TownId::from_u128(1),
            name: "某镇中心校".into(),
            kind: SchoolKind::NineYear,
        }));
        school.apply(Change::PutClass(Class {
            id: CLASS_7_2,
            school: SCHOOL,
            grade: Grade::new(7).unwrap(),
            name: "七年级(2)班".into(),
            head_teacher: "王老师".into(),
        }));
        school
    }

    fn apply(&mut self, change: Change) {
        self.now_ms += 1_000;
        let random = self.next_id.to_le_bytes()[..10].try_into().unwrap();
        self.next_id += 1;
        let mutation = self.chain.next("王老师", SCHOOL, change, self.now_ms, random);
        self.state.apply(&mutation);
    }

    fn preview(&self, sheet: &baoxue_roster::Sheet) -> Preview {
        preview(sheet, &self.state, SCHOOL, today()).unwrap()
    }

    /// Writes what the preview would write, as the app does once the teacher confirms.
    fn confirm(&mut self, preview: &Preview) -> Vec<Change> {
        let mut next = 0xabc0_0000_u128;
        let changes = preview.changes(|| {
            next += 1;
            Uuid::from_u128(next)
        });
        for change in &changes {
            self.apply(change.clone());
        }
        changes
    }
}

/// A cell to write into a test workbook.
enum C<'a> {
    S(&'a str),
    N(f64),
    /// A date cell, formatted as a date as Excel does.
    D(u16, u8, u8),
    Blank,
}

/// An XLSX file with one sheet; `title` goes in a cell merged over the first row.
fn xlsx(sheet_name: &str, title: Option<&str>, rows: &[Vec<C>]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name).unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let first = if let Some(title) = title {
        sheet.merge_range(0, 0, 0, 8, title, &Format::new()).unwrap();
        1
    } else {
        0
    };
    for (index, row) in rows.iter().enumerate() {
        for (column, cell) in row.iter().enumerate() {
            let (row_number, column) = (first + index as u32, column as u16);
            match cell {
                C::S(text) => sheet.write_string(row_number, column, *text).map(|_| ()),
                C::N(number) => sheet.write_number(row_number, column, *number).map(|_| ()),
                C::D(year, month, day) => sheet
                    .write_datetime_with_format(
                        row_number,
                        column,
                        ExcelDateTime::from_ymd(*year, *month, *day).unwrap(),
                        &date,
                    )
                    .map(|_| ()),
                C::Blank => Ok(()),
            }
            .unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn csv_sheet(text: &str) -> baoxue_roster::Sheet {
    read_csv(text).unwrap()
}

fn gbk(bytes: &[u8]) -> Option<String> {
    let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
    (!had_errors).then(|| text.into_owned())
}

fn problems(preview: &Preview) -> Vec<(usize, &str, &Problem)> {
    preview.errors.iter().map(|error| (error.row, error.column.as_str(), &error.problem)).collect()
}

/// The national 学籍 export: a title over a merged cell, 身份证件号 instead of a 学籍号 column,
/// family members instead of a guardian column, birth dates as date cells, a serial and text,
/// the 是否残疾 / 是否孤儿 / 是否进城务工人员随迁子女 columns with yes written four ways, phones
/// with dashes, spaces and +86, an ID Excel stored as a number (row 6) and a flag cell that is
/// neither yes nor no (row 7).
fn national_export() -> Vec<u8> {
    use C::*;
    let header = [
        "学校标识码",
        "姓名",
        "性别",
        "出生日期",
        "身份证件类型",
        "身份证件号",
        "年级",
        "班号",
        "入学年月",
        "现住址",
        "联系电话",
        "是否留守儿童",
        "学籍辅号",
        "成员1姓名",
        "成员1关系",
        "成员1联系电话",
        "成员1是否监护人",
        "是否残疾",
        "是否孤儿",
        "是否进城务工人员随迁子女",
    ];
    let zhao = g_number("20130301", "111");
    let qian = g_number("20130401", "222");
    let zhang = g_number("20130501", "123");
    let li = g_number("20130501", "246");
    let wang = g_number("20130601", "357");
    xlsx(
        "学生基本信息",
        Some("某镇中心校 学生基本信息（2026年秋季）"),
        &[
            header.iter().map(|text| S(text)).collect(),
            vec![
                S("2143000001"),
                S("张小明"),
                S("男"),
                D(2013, 5, 1),
                S("居民身份证"),
                S(&zhang[1..]),
                S("七年级"),
                N(2.0),
                S("201909"),
                S("湖南省某县某镇上村3组"),
                Blank,
                S("双亲留守儿童"),
                S("A1"),
                S("张大山"),
                S("父亲"),
                N(13800000011.0),
                S("是"),
                S("否"),
                S("Y"),
                S("1"),
            ],
            vec![
                S("2143000001"),
                S("李小红"),
                S("女"),
                N(41395.0),
                S("居民身份证"),
                S(&li[1..]),
                S("七年级"),
                N(2.0),
                S("2019-09"),
                S("湖南省某县某镇下村"),
                S("138-0000-0002"),
                S("否"),
                S("A2"),
                S("李母"),
                S("母亲"),
                S("13800000012"),
                S("是"),
                S("N"),
                S("0"),
                S("否"),
            ],
            vec![
                S("2143000001"),
                S("王小刚"),
                S("男"),
                S("2013.6.1"),
                S("居民身份证"),
                S(&wang[1..]),
                S("七年级"),
                N(3.0),
                S("2019年9月"),
                S("某镇河村5号"),
                S("+86 138 0000 0003"),
                S("单亲留守儿童"),
                S("A3"),
                S("王奶奶"),
                S("祖母"),
                S("13800000013"),
                S("是"),
                S("是"),
                Blank,
                S("√"),
            ],
            vec![
                S("2143000001"),
                S("赵小军"),
                S("男"),
                S("20130301"),
                S("居民身份证"),
                N(zhao[1..].parse::<f64>().unwrap()),
                S("七年级"),
                N(2.0),
                S("201909"),
                S("某镇河村6号"),
                S("0731 84123456"),
                S("否"),
                S("A4"),
                S("赵父"),
                S("父亲"),
                Blank,
                S("是"),
                S("否"),
                S("否"),
                S("否"),
            ],
            vec![
                S("2143000001"),
                S("钱小丽"),
                S("女"),
                S("20130401"),
                S("居民身份证"),
                S(&qian[1..]),
                S("七年级"),
                N(2.0),
                S("201909"),
                S("某镇河村7号"),
                S("07318412345"),
                S("否"),
                S("A5"),
                S("钱母"),
                S("母亲"),
                Blank,
                S("是"),
                S("否"),
                S("不详"),
                S("否"),
            ],
        ],
    )
}

#[test]
fn the_national_export_imports_under_its_title_row() {
    let school = School9::new();
    let sheet = read_xlsx(&national_export()).unwrap();
    assert_eq!(sheet.name, "学生基本信息");
    let preview = school.preview(&sheet);
    assert_eq!(problems(&preview).iter().map(|(row, _, _)| *row).collect::<Vec<_>>(), [6, 7], "{:#?}", preview.errors);
    assert_eq!(preview.header_row, 2);
    assert_eq!(preview.new.len(), 3);
    let zhang = &preview.new[0].row;
    assert_eq!(zhang.row, 3);
    assert_eq!(zhang.student_number.as_ref().unwrap().as_str(), g_number("20130501", "123"));
    assert_eq!(zhang.birth_date, day("2013-05-01"));
    assert_eq!(zhang.gender, Gender::Male);
    assert_eq!(zhang.class.name(), "七年级(2)班");
    assert_eq!(zhang.village, "上村");
    assert_eq!(zhang.guardian, "张大山");
    assert_eq!(zhang.guardian_phone, "13800000011", "the guardian member's phone fills an empty 联系电话");
    assert_eq!(zhang.id_number.as_ref().unwrap().as_str(), &g_number("20130501", "123")[1..]);
    assert_eq!(
        zhang.flags.iter().map(|hint| (hint.flag, hint.evidence.as_str())).collect::<Vec<_>>(),
        vec![
            (Flag::LeftBehind, "导入：是否留守儿童：双亲留守儿童"),
            (Flag::Orphan, "导入：是否孤儿"),
            (Flag::Migrant, "导入：是否进城务工人员随迁子女"),
        ]
    );
    let li = &preview.new[1].row;
    assert_eq!(li.birth_date, day("2013-05-01"), "Excel serial 41395 is 2013-05-01");
    assert_eq!(li.guardian_phone, "13800000002", "138-0000-0002 is its 11 digits");
    assert!(li.flags.is_empty(), "N, 0 and 否 set nothing");
    let wang = &preview.new[2].row;
    assert_eq!((wang.birth_date, wang.class.name()), (day("2013-06-01"), "七年级(3)班".to_owned()));
    assert_eq!(wang.guardian_phone, "13800000003", "+86 138 0000 0003 is its 11 digits");
    assert_eq!(
        wang.flags.iter().map(|hint| hint.flag).collect::<Vec<_>>(),
        vec![Flag::LeftBehind, Flag::Disability, Flag::Migrant],
        "单亲留守儿童 is left behind too; √ is yes"
    );
    assert_eq!(preview.classes_to_create.iter().map(|key| key.name()).collect::<Vec<_>>(), vec!["七年级(3)班"]);
}

#[test]
fn confirming_writes_classes_students_status_and_flags() {
    let mut school = School9::new();
    let preview = school.preview(&read_xlsx(&national_export()).unwrap());
    let changes = school.confirm(&preview);
    let count = |pick: fn(&Change) -> bool| changes.iter().filter(|change| pick(change)).count();
    assert_eq!(count(|change| matches!(change, Change::PutClass(_))), 1);
    assert_eq!(count(|change| matches!(change, Change::PutStudent(_))), 3);
    assert_eq!(count(|change| matches!(change, Change::RecordStatus(_))), 3);
    assert_eq!(count(|change| matches!(change, Change::RecordFlag(_))), 6);
    assert!(matches!(changes[0], Change::PutClass(_)), "a class is written before its students");
    let students = school.state.students();
    assert_eq!(students.len(), 3);
    let zhang = students.iter().find(|student| student.name == "张小明").unwrap();
    assert_eq!(zhang.class, CLASS_7_2, "the existing 七年级(2)班 is reused");
    let wang = students.iter().find(|student| student.name == "王小刚").unwrap();
    assert_eq!(school.state.classes[&wang.class].value.name, "七年级(3)班");
}

/// A school's own 花名册: its own header names, a title, classes spelt three ways.
fn huamingce(phone_of_zhao: &str) -> Vec<u8> {
    use C::*;
    let header = [
        "序号",
        "全国学籍号",
        "学生姓名",
        "性别",
        "出生日期",
        "年级",
        "班级",
        "家庭住址",
        "村",
        "监护人姓名",
        "监护人联系电话",
        "是否建档立卡贫困户",
    ];
    xlsx(
        "Sheet1",
        Some("某镇中心校2026年秋季学生花名册"),
        &[
            header.iter().map(|text| S(text)).collect(),
            vec![
                N(1.0),
                S(&g_number("20130301", "111")),
                S("赵一"),
                S("男"),
                S("20130301"),
                S("初一"),
                S("七年级（2）班"),
                S("某镇上村1组"),
                S("上村"),
                S("赵父"),
                S(phone_of_zhao),
                S("是"),
            ],
            vec![
                N(2.0),
                S(&g_number("20130402", "222")),
                S("钱二"),
                S("女"),
                D(2013, 4, 2),
                S("7"),
                S("7年级3班"),
                S("某镇下村"),
                S("下村"),
                S("钱母"),
                N(13900000002.0),
                S("否"),
            ],
            vec![
                N(3.0),
                S(&g_number("20120503", "333")),
                S("孙三"),
                S("男"),
                S("2012/5/3"),
                S("八年级"),
                S("2班"),
                S("某镇河村"),
                S("河村"),
                S("孙父"),
                S("0731-1234567"),
                Blank,
            ],
        ],
    )
}

#[test]
fn a_school_list_with_renamed_headers_imports() {
    let school = School9::new();
    let preview = school.preview(&read_xlsx(&huamingce("13900000001")).unwrap());
    assert_eq!(preview.errors, vec![], "{:#?}", preview.errors);
    let classes: Vec<String> = preview.new.iter().map(|new| new.row.class.name()).collect();
    assert_eq!(classes, ["七年级(2)班", "七年级(3)班", "八年级(2)班"]);
    assert_eq!(preview.new[1].row.birth_date, day("2013-04-02"));
    assert_eq!(preview.new[1].row.guardian_phone, "13900000002", "a phone typed as a number keeps its digits");
    assert_eq!(preview.new[0].row.flags[0].flag, Flag::FamilyHardship);
    assert_eq!(preview.classes_to_create.len(), 2);
}

#[test]
fn a_reimport_changes_nothing_and_a_changed_phone_is_one_update() {
    let mut school = School9::new();
    let first = school.preview(&read_xlsx(&huamingce("13900000001")).unwrap());
    school.confirm(&first);
    assert_eq!(school.state.students().len(), 3);

    let again = school.preview(&read_xlsx(&huamingce("13900000001")).unwrap());
    assert_eq!((again.new.len(), again.updated.len(), again.unchanged), (0, 0, 3));
    assert!(again.classes_to_create.is_empty());
    assert_eq!(school.confirm(&again), vec![]);

    let changed = school.preview(&read_xlsx(&huamingce("13911112222")).unwrap());
    assert_eq!((changed.new.len(), changed.updated.len(), changed.unchanged), (0, 1, 2));
    assert_eq!(changed.updated[0].changed, vec![FieldKey::GuardianPhone]);
    assert_eq!(changed.updated[0].before.guardian_phone, "13900000001");
    let written = school.confirm(&changed);
    assert_eq!(written.len(), 1);
    assert_eq!(school.state.students().len(), 3, "the update did not duplicate the student");
    let zhao = school.state.students().into_iter().find(|student| student.name == "赵一").unwrap();
    assert_eq!(zhao.guardian_phone, "13911112222");
}

#[test]
fn an_empty_cell_does_not_erase_what_the_roster_holds() {
    let mut school = School9::new();
    let first = school.preview(&read_xlsx(&huamingce("13900000001")).unwrap());
    school.confirm(&first);
    let without_phone = school.preview(&read_xlsx(&huamingce("")).unwrap());
    assert_eq!((without_phone.updated.len(), without_phone.unchanged), (0, 3));
}

/// 七年级(2)班 as a school's own list gives it: 赵一 with no 入学年月, 钱二 who entered in
/// September 2019, 孙三 whose 入学年月 is next month (a typing slip, or a child about to come).
fn roster_with_entry_months() -> String {
    format!(
        "学籍号,姓名,性别,出生日期,班级,入学年月\n\
         {},赵一,男,2013-03-01,七年级(2)班,\n\
         {},钱二,女,2013-04-02,七年级(2)班,201909\n\
         {},孙三,男,2013-05-03,七年级(2)班,202611\n",
        g_number("20130301", "111"),
        g_number("20130402", "222"),
        g_number("20130503", "333"),
    )
}

/// The day from which each imported child is 在读, by name, as the confirmed import wrote it.
fn enrolled_from(school: &School9, changes: &[Change]) -> Vec<(String, NaiveDate)> {
    let students = school.state.students();
    changes
        .iter()
        .filter_map(|change| match change {
            Change::RecordStatus(event) if event.status == Status::Enrolled => {
                let student = students.iter().find(|student| student.id == event.student).unwrap();
                Some((student.name.clone(), event.date))
            }
            _ => None,
        })
        .collect()
}

fn autumn_term() -> Change {
    Change::SetTerm {
        school: SCHOOL,
        term: Term { name: "2026年秋季学期".into(), start: day("2026-09-01"), end: day("2027-01-20") },
    }
}

#[test]
fn an_imported_child_is_enrolled_from_the_term_start() {
    // The phone imports on 14 October, six weeks into the term: the child has been on the roll
    // since the term began, not since the day a teacher found time to import the list.
    let mut school = School9::new();
    school.apply(autumn_term());
    let text =
        format!("学籍号,姓名,性别,出生日期,班级\n{},赵一,男,2013-03-01,七年级(2)班\n", g_number("20130301", "111"));
    let preview = school.preview(&csv_sheet(&text));
    let changes = school.confirm(&preview);
    assert_eq!(enrolled_from(&school, &changes), vec![("赵一".to_owned(), day("2026-09-01"))]);

    // A 转出 dated before the import, entered afterwards, is the child's status from its date:
    // the child leaves the roll, and the badge no longer says 在读.
    let zhao = school.state.students()[0].id;
    school.apply(Change::RecordStatus(StatusEvent {
        id: RecordId::from_u128(0x7a),
        student: zhao,
        date: day("2026-09-20"),
        status: Status::TransferOutConfirmed,
        evidence: "回执：城关二中，2026-09-25".into(),
    }));
    let timeline = school.state.timeline(zhao);
    assert_eq!(timeline.recorded_on(day("2026-09-19")), Some(Status::Enrolled));
    assert_eq!(timeline.recorded_on(day("2026-09-20")), Some(Status::TransferOutConfirmed));
    assert_eq!(timeline.recorded_on(today()), Some(Status::TransferOutConfirmed));

    // Importing the list again adds no second 在读 that would put the child back on the roll.
    let again = school.preview(&csv_sheet(&text));
    assert_eq!(school.confirm(&again), vec![]);
    assert_eq!(school.state.timeline(zhao).recorded_on(today()), Some(Status::TransferOutConfirmed));
}

#[test]
fn an_imported_child_is_enrolled_from_the_entry_month_but_never_after_the_import() {
    let mut school = School9::new();
    school.apply(autumn_term());
    let preview = school.preview(&csv_sheet(&roster_with_entry_months()));
    assert_eq!(preview.errors, vec![], "{:#?}", preview.errors);
    let changes = school.confirm(&preview);
    assert_eq!(
        enrolled_from(&school, &changes),
        vec![
            ("赵一".to_owned(), day("2026-09-01")),
            ("钱二".to_owned(), day("2019-09-01")),
            ("孙三".to_owned(), today()),
        ]
    );
}

#[test]
fn an_imported_child_outside_any_term_is_enrolled_from_the_import_day() {
    // No term set, or only one that does not hold the import day (the spring term is over).
    let mut without_terms = School9::new();
    let mut after_spring = School9::new();
    after_spring.apply(Change::SetTerm {
        school: SCHOOL,
        term: Term { name: "2026年春季学期".into(), start: day("2026-02-24"), end: day("2026-07-05") },
    });
    for school in [&mut without_terms, &mut after_spring] {
        let text =
            format!("学籍号,姓名,性别,出生日期,班级\n{},赵一,男,2013-03-01,七年级(2)班\n", g_number("20130301", "111"));
        let preview = school.preview(&csv_sheet(&text));
        let changes = school.confirm(&preview);
        assert_eq!(enrolled_from(school, &changes), vec![("赵一".to_owned(), today())]);
    }
}

const ROSTER_CSV: &str = "某镇中心校花名册,,,,,\n\
学籍号,姓名,性别,出生日期,班级,监护人联系电话\n\
G430521201303011114,赵一,男,2013-03-01,七年级(2)班,13900000001\n\
,\"钱, 二\",女,2013/4/2,七年级(2)班,\n";

#[test]
fn csv_reads_the_same_in_utf8_with_a_bom_and_in_gbk() {
    let number = g_number("20130301", "111");
    let text = ROSTER_CSV.replace("G430521201303011114", &number);
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(text.as_bytes());
    let (gbk_bytes, _, _) = encoding_rs::GBK.encode(&text);
    assert!(std::str::from_utf8(&gbk_bytes).is_err(), "the GBK file is not accidentally UTF-8");
    let school = School9::new();
    let mut previews = Vec::new();
    for bytes in [text.as_bytes(), &with_bom, &gbk_bytes] {
        let decoded = decode_csv(bytes, gbk).unwrap();
        previews.push(school.preview(&read_csv(&decoded).unwrap()));
    }
    let first = &previews[0];
    assert_eq!(first.errors, vec![]);
    assert_eq!(first.new.len(), 2);
    assert_eq!(first.new[1].row.name, "钱, 二", "a quoted comma stays in the cell");
    assert_eq!(first.new[1].row.row, 4);
    assert_eq!(first.new[0].row.student_number.as_ref().unwrap().as_str(), number);
    assert_eq!(&previews[1], first);
    assert_eq!(&previews[2], first);
}

#[test]
fn a_title_line_without_commas_and_a_tab_separated_file_are_read() {
    let school = School9::new();
    let titled =
        school.preview(&csv_sheet("某镇中心校花名册\n姓名,性别,出生日期,班级\n赵一,男,20130301,七年级(2)班\n"));
    assert_eq!((titled.header_row, titled.new.len()), (2, 1));
    let tabs = school.preview(&csv_sheet("姓名\t性别\t出生日期\t班级\n赵一\t男\t20130301\t七年级(2)班\n"));
    assert_eq!(tabs.new.len(), 1);
}

#[test]
fn every_bad_row_is_named_with_its_row_number() {
    let good = g_number("20130301", "111");
    let other = g_number("20130402", "222");
    let text = format!(
        "学籍号,姓名,性别,出生日期,年级,班级\n\
         {good},赵一,男,2013-03-01,七年级,2班\n\
         {other},钱二,女,2011-02-30,七年级,2班\n\
         ,孙三,男,2013-05-03,10,2班\n\
         4.30521E+17,李四,女,2013-06-04,七年级,2班\n\
         ,,男,2013-07-05,七年级,2班\n\
         {good},周五,男,2013-08-06,七年级,2班\n\
         ,吴六,未知,2013-09-07,七年级,2班\n\
         ,郑七,女,2013-13-01,八年级,七年级(2)班\n"
    );
    let school = School9::new();
    let preview = school.preview(&csv_sheet(&text));
    assert_eq!(preview.new.len(), 1, "only row 2 is sound: {:#?}", preview.errors);
    let found = problems(&preview);
    assert!(matches!(
        found[0],
        (3, "出生日期", Problem::Date(baoxue_domain::date_text::DateTextError::NoSuchDay { .. }))
    ));
    assert_eq!((found[1].0, found[1].1, found[1].2), (4, "年级", &Problem::Grade));
    assert!(matches!(found[2], (5, "学籍号", Problem::StudentNumber(StudentNumberError::ScientificNotation { .. }))));
    assert_eq!((found[3].0, found[3].1, found[3].2), (6, "姓名", &Problem::Missing));
    assert_eq!((found[4].0, found[4].1, found[4].2), (7, "学籍号", &Problem::DuplicateNumber { first_row: 2 }));
    assert_eq!((found[5].0, found[5].1, found[5].2), (8, "性别", &Problem::Gender));
    // Row 9 has two problems, and both are listed.
    assert!(matches!(found[6], (9, "出生日期", Problem::Date(_))));
    assert!(matches!(
        found[7],
        (9, "班级", Problem::GradeDiffers { grade, in_class }) if grade.get() == 8 && in_class.get() == 7
    ));
    assert_eq!(found.len(), 8, "{found:#?}");
    let message = preview.errors[4].to_string();
    assert!(message.contains("row 7") && message.contains("row 2"), "{message}");
}

#[test]
fn an_id_stored_as_a_number_refuses_its_row_naming_row_and_column() {
    let preview = School9::new().preview(&read_xlsx(&national_export()).unwrap());
    let found = problems(&preview);
    assert!(
        matches!(found[0], (6, "身份证件号", Problem::IdNumber(IdNumberError::StoredAsNumber { value })) if value == "4.30521E+17"),
        "{found:#?}"
    );
    let message = preview.errors[0].to_string();
    assert!(
        message.contains("row 6") && message.contains("身份证件号") && message.contains("lost its last digits"),
        "{message}"
    );
    assert!(message.contains("文本 (text)"), "{message}");
    assert!(preview.new.iter().all(|new| new.row.name != "赵小军"), "the row is left out");
}

#[test]
fn a_flag_cell_that_is_neither_yes_nor_no_is_a_row_error_naming_the_column() {
    let preview = School9::new().preview(&read_xlsx(&national_export()).unwrap());
    let found = problems(&preview);
    assert_eq!((found[1].0, found[1].1, found[1].2), (7, "是否孤儿", &Problem::YesNo), "{found:#?}");
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn imported_flags_are_dated_the_import_day_with_the_column_as_evidence() {
    let mut school = School9::new();
    let changes = school.confirm(&school.preview(&read_xlsx(&national_export()).unwrap()));
    let zhang = school.state.students().into_iter().find(|student| student.name == "张小明").unwrap();
    let flags: Vec<(Flag, NaiveDate, String)> = changes
        .iter()
        .filter_map(|change| match change {
            Change::RecordFlag(event) if event.student == zhang.id && event.set => {
                Some((event.flag, event.date, event.evidence.clone()))
            }
            _ => None,
        })
        .collect();
    assert!(flags.contains(&(Flag::Orphan, today(), "导入：是否孤儿".to_owned())), "{flags:?}");
    assert!(flags.contains(&(Flag::Migrant, today(), "导入：是否进城务工人员随迁子女".to_owned())), "{flags:?}");
    assert_eq!(zhang.id_number.as_deref(), Some(&g_number("20130501", "123")[1..]), "the ID number is kept");
}

#[test]
fn phones_are_normalised_mobiles_to_digits_landlines_to_area_dash_number() {
    let number = |serial: &str| g_number("20130301", serial);
    let text = format!(
        "学籍号,姓名,性别,出生日期,班级,监护人联系电话\n\
         {},赵一,男,2013-03-01,七年级(2)班,138-1234-5678\n\
         {},钱二,男,2013-03-01,七年级(2)班,+86 139 1234 5678\n\
         {},孙三,男,2013-03-01,七年级(2)班,0731 84123456\n\
         {},李四,男,2013-03-01,七年级(2)班,(0731)8412345\n",
        number("101"),
        number("102"),
        number("103"),
        number("104")
    );
    let preview = School9::new().preview(&csv_sheet(&text));
    assert_eq!(preview.errors, vec![]);
    let phones: Vec<&str> = preview.new.iter().map(|new| new.row.guardian_phone.as_str()).collect();
    assert_eq!(phones, ["13812345678", "13912345678", "0731-84123456", "0731-8412345"]);
}

#[test]
fn an_id_column_beside_a_student_number_column_is_kept_and_checked() {
    let number = g_number("20130301", "111");
    let id_of_other_day = &g_number("20130302", "111")[1..];
    let text = format!(
        "学籍号,身份证件号,姓名,性别,出生日期,班级\n\
         {number},{id},赵一,男,2013-03-01,七年级(2)班\n\
         {second},{id_of_other_day},钱二,女,2013-03-01,七年级(2)班\n",
        id = &number[1..],
        second = g_number("20130301", "222"),
    );
    let preview = School9::new().preview(&csv_sheet(&text));
    assert_eq!(preview.new.len(), 1, "{:#?}", preview.errors);
    assert_eq!(preview.new[0].row.id_number.as_ref().map(|id| id.as_str()), Some(&number[1..]));
    let found = problems(&preview);
    assert!(
        matches!(found[..], [(3, "身份证件号", Problem::Invalid(ValidationError::IdBirthDateDiffers { .. }))]),
        "{found:#?}"
    );
    assert!(preview.errors[0].value.starts_with("**************"), "the ID is masked: {}", preview.errors[0].value);
}

#[test]
fn a_mistyped_id_is_refused_and_shown_masked() {
    let number = g_number("20130301", "111");
    let mut id = number[1..].to_owned();
    let wrong = if id.ends_with('1') { '2' } else { '1' };
    id.pop();
    id.push(wrong);
    let text = format!("学籍号,身份证件号,姓名,性别,出生日期,班级\n{number},{id},赵一,男,2013-03-01,七年级(2)班\n");
    let preview = School9::new().preview(&csv_sheet(&text));
    let found = problems(&preview);
    assert!(
        matches!(found[..], [(2, "身份证件号", Problem::IdNumber(IdNumberError::CheckDigit { .. }))]),
        "{found:#?}"
    );
    assert_eq!(preview.errors[0].value, format!("**************{}", &id[14..]));
}

#[test]
fn a_reimport_marks_the_id_number_as_a_changed_field() {
    let mut school = School9::new();
    let number = g_number("20130301", "111");
    let without = format!("学籍号,姓名,性别,出生日期,班级\n{number},赵一,男,2013-03-01,七年级(2)班\n");
    school.confirm(&school.preview(&csv_sheet(&without)));
    let with = format!(
        "学籍号,身份证件号,姓名,性别,出生日期,班级,是否孤儿\n{number},{},赵一,男,2013-03-01,七年级(2)班,是\n",
        &number[1..]
    );
    let preview = school.preview(&csv_sheet(&with));
    assert_eq!(preview.updated.len(), 1, "{:#?}", preview.errors);
    assert_eq!(preview.updated[0].changed, vec![FieldKey::IdNumber]);
    assert_eq!(preview.updated[0].new_flags.iter().map(|hint| hint.flag).collect::<Vec<_>>(), vec![Flag::Orphan]);
}

#[test]
fn a_student_number_typed_as_a_number_in_excel_is_named_not_guessed() {
    use C::*;
    let bytes = xlsx(
        "Sheet1",
        None,
        &[
            vec![S("学籍号"), S("姓名"), S("性别"), S("出生日期"), S("班级")],
            vec![N(430521201303011114.0), S("赵一"), S("男"), S("20130301"), S("七年级(2)班")],
        ],
    );
    let preview = School9::new().preview(&read_xlsx(&bytes).unwrap());
    assert!(
        matches!(
            &preview.errors[..],
            [RowError { row: 2, problem: Problem::StudentNumber(StudentNumberError::ScientificNotation { .. }), .. }]
        ),
        "{:#?}",
        preview.errors
    );
}

#[test]
fn the_domain_rules_are_checked_per_row() {
    let number = g_number("20130301", "111");
    let text = format!(
        "学籍号,姓名,性别,出生日期,班级\n\
         {number},赵一,男,2013-03-02,七年级(2)班\n\
         ,钱二,女,2020-04-02,七年级(2)班\n"
    );
    let preview = School9::new().preview(&csv_sheet(&text));
    let found = problems(&preview);
    assert!(matches!(found[0], (2, "出生日期", Problem::Invalid(ValidationError::NumberBirthDateDiffers { .. }))));
    assert!(matches!(found[1], (3, "班级", Problem::Invalid(ValidationError::AgeFarFromGrade { .. }))));
    assert_eq!(found.len(), 2);
    assert!(preview.new.is_empty());
}

#[test]
fn a_roster_missing_a_column_says_which() {
    let error = preview(&csv_sheet("姓名,性别,班级\n赵一,男,2班\n"), &State::default(), SCHOOL, today()).unwrap_err();
    assert_eq!(error, RosterError::MissingColumn { header_row: 1, column: "出生日期" });
    assert!(error.to_string().contains("出生日期"));
}

#[test]
fn a_sheet_named_for_students_is_read_first() {
    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name("说明").unwrap().write_string(0, 0, "填表说明").unwrap();
    let students = workbook.add_worksheet();
    students.set_name("学生基本信息").unwrap();
    for (column, text) in ["姓名", "性别", "出生日期", "班级"].iter().enumerate() {
        students.write_string(4, column as u16, *text).unwrap();
    }
    for (column, text) in ["赵一", "男", "20130301", "七年级(2)班"].iter().enumerate() {
        students.write_string(5, column as u16, *text).unwrap();
    }
    let sheet = read_xlsx(&workbook.save_to_buffer().unwrap()).unwrap();
    assert_eq!(sheet.name, "学生基本信息");
    let preview = School9::new().preview(&sheet);
    assert_eq!((preview.header_row, preview.new[0].row.row), (5, 6));
}

#[test]
fn malformed_files_are_refused_with_a_reason() {
    assert_eq!(read_xlsx(b""), Err(RosterError::EmptyFile));
    assert_eq!(read_xlsx(b"\x13\x37 random bytes that are no workbook"), Err(RosterError::NotXlsx));
    assert_eq!(read_xlsx(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), Err(RosterError::OldXls));
    assert!(matches!(read_xlsx(b"PK\x03\x04 truncated"), Err(RosterError::BadXlsx { .. })));
    // A real zip that is no workbook.
    let mut zip = Vec::new();
    {
        let mut workbook = Workbook::new();
        workbook.add_worksheet();
        let bytes = workbook.save_to_buffer().unwrap();
        zip.extend_from_slice(&bytes[..bytes.len() / 2]);
    }
    assert!(matches!(read_xlsx(&zip), Err(RosterError::BadXlsx { .. })));
    assert_eq!(read_xlsx(&xlsx("Sheet1", None, &[])), Err(RosterError::NoRows));
    assert_eq!(read_csv(""), Err(RosterError::EmptyFile));
    assert_eq!(read_csv("a\0b"), Err(RosterError::NotText));
    assert_eq!(decode_csv(b"", gbk), Err(RosterError::EmptyFile));
    assert_eq!(decode_csv(&national_export(), gbk), Err(RosterError::SpreadsheetAsCsv));
    assert_eq!(decode_csv(b"\xff\xfe\xfd", |_| None), Err(RosterError::BadEncoding));
    let no_header = preview(&csv_sheet("1,2,3\n4,5,6\n"), &State::default(), SCHOOL, today());
    assert_eq!(no_header, Err(RosterError::NoHeaderRow { looked_at: 2 }));
    let no_students = preview(&csv_sheet("姓名,性别,出生日期,班级\n"), &State::default(), SCHOOL, today());
    assert_eq!(no_students, Err(RosterError::NoStudents { header_row: 1 }));
}

#[test]
fn a_zip_that_is_not_a_workbook_is_refused() {
    // A minimal zip with one stored file, "hello.txt": local header, central directory, end.
    let name = b"hello.txt";
    let data = b"hi";
    let crc = 0xd8932aacu32; // CRC-32 of "hi".
    let mut zip = Vec::new();
    zip.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    zip.extend_from_slice(&crc.to_le_bytes());
    zip.extend_from_slice(&(data.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(data.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(name);
    zip.extend_from_slice(data);
    let central = zip.len() as u32;
    zip.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    zip.extend_from_slice(&crc.to_le_bytes());
    zip.extend_from_slice(&(data.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(data.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&[0; 12]);
    zip.extend_from_slice(&0u32.to_le_bytes());
    zip.extend_from_slice(name);
    let central_size = zip.len() as u32 - central;
    zip.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00");
    zip.extend_from_slice(&central_size.to_le_bytes());
    zip.extend_from_slice(&central.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    let error = read_xlsx(&zip).unwrap_err();
    assert!(matches!(error, RosterError::BadXlsx { .. }), "{error:?}");
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// `baoxue-datagen --students 6 --seed 7`'s roster.xlsx, and the same parts re-zipped with
    /// compression method 0 (Python's zipfile, ZIP_STORED).
    const DATAGEN_DEFLATED: &[u8] = include_bytes!("data/datagen-6-students.xlsx");
    const DATAGEN_STORED: &[u8] = include_bytes!("data/datagen-6-students-stored.xlsx");

    /// Text that means something to the ZIP or XML reader, to splice into a file.
    const SPLICES: [&[u8]; 14] = [
        b"<",
        b">",
        b"\"",
        b"&",
        b"&#x110000;",
        b"&#99999999999;",
        b"<![CDATA[",
        b"]]>",
        b"<!--",
        b"<c r=\"ZZZZ99999\" t=\"s\"><v>4294967295</v></c>",
        b"<c r=\"A1\" t=\"n\" s=\"99999\"><v>-1e400</v></c>",
        b"<row r=\"0\">",
        b"PK\x01\x02",
        b"PK\x05\x06",
    ];

    #[derive(Clone, Debug)]
    enum Edit {
        Set(prop::sample::Index, u8),
        Insert(prop::sample::Index, Vec<u8>),
        Splice(prop::sample::Index, prop::sample::Index),
        Delete(prop::sample::Index, usize),
        CutTo(prop::sample::Index),
    }

    impl Edit {
        fn apply(&self, bytes: &mut Vec<u8>) {
            // `index(0)` panics, and an emptied file is already covered by `on_arbitrary_bytes`.
            if bytes.is_empty() {
                return;
            }
            match self {
                Edit::Set(at, value) => {
                    let at = at.index(bytes.len());
                    bytes[at] = *value;
                }
                Edit::Insert(at, inserted) => {
                    let at = at.index(bytes.len());
                    bytes.splice(at..at, inserted.iter().copied());
                }
                Edit::Splice(at, which) => {
                    let at = at.index(bytes.len());
                    bytes.splice(at..at, which.get(&SPLICES).iter().copied());
                }
                Edit::Delete(at, length) => {
                    let at = at.index(bytes.len());
                    let end = at.saturating_add(*length).min(bytes.len());
                    bytes.drain(at..end);
                }
                Edit::CutTo(at) => {
                    let at = at.index(bytes.len());
                    bytes.truncate(at);
                }
            }
        }
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            4 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(at, value)| Edit::Set(at, value)),
            2 => (any::<prop::sample::Index>(), proptest::collection::vec(any::<u8>(), 1..16))
                .prop_map(|(at, bytes)| Edit::Insert(at, bytes)),
            3 => (any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(at, which)| Edit::Splice(at, which)),
            2 => (any::<prop::sample::Index>(), 1usize..64).prop_map(|(at, length)| Edit::Delete(at, length)),
            1 => any::<prop::sample::Index>().prop_map(Edit::CutTo),
        ]
    }

    /// The parts of a ZIP file whose entries are all stored (method 0), in order, read from the
    /// local headers: name at 30, its length at 26, the extra field's at 28, the size at 18.
    fn stored_parts(zip: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
        let u16_at = |at: usize| usize::from(u16::from_le_bytes([zip[at], zip[at + 1]]));
        let mut parts = Vec::new();
        let mut at = 0;
        while zip[at..].starts_with(b"PK\x03\x04") {
            assert_eq!(u16_at(at + 8), 0, "entries are stored");
            let size = u16_at(at + 18) | u16_at(at + 20) << 16;
            let (name_length, extra_length) = (u16_at(at + 26), u16_at(at + 28));
            let name = zip[at + 30..at + 30 + name_length].to_vec();
            let start = at + 30 + name_length + extra_length;
            parts.push((name, zip[start..start + size].to_vec()));
            at = start + size;
        }
        parts
    }

    /// A ZIP file of `parts`, stored. The CRC is left 0: the roster reader does not check it.
    fn stored_zip(parts: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
        let mut zip = Vec::new();
        let mut directory = Vec::new();
        for (name, data) in parts {
            let offset = zip.len() as u32;
            let (size, name_length) = (data.len() as u32, name.len() as u16);
            zip.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00");
            zip.extend_from_slice(&size.to_le_bytes());
            zip.extend_from_slice(&size.to_le_bytes());
            zip.extend_from_slice(&name_length.to_le_bytes());
            zip.extend_from_slice(&0u16.to_le_bytes());
            zip.extend_from_slice(name);
            zip.extend_from_slice(data);
            directory.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00");
            directory.extend_from_slice(&size.to_le_bytes());
            directory.extend_from_slice(&size.to_le_bytes());
            directory.extend_from_slice(&name_length.to_le_bytes());
            directory.extend_from_slice(&[0; 12]);
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(name);
        }
        let (directory_at, directory_size) = (zip.len() as u32, directory.len() as u32);
        zip.extend_from_slice(&directory);
        zip.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00");
        zip.extend_from_slice(&(parts.len() as u16).to_le_bytes());
        zip.extend_from_slice(&(parts.len() as u16).to_le_bytes());
        zip.extend_from_slice(&directory_size.to_le_bytes());
        zip.extend_from_slice(&directory_at.to_le_bytes());
        zip.extend_from_slice(&0u16.to_le_bytes());
        zip
    }

    #[test]
    fn the_unedited_datagen_workbooks_read() {
        assert_eq!(read_xlsx(&stored_zip(&stored_parts(DATAGEN_STORED))), read_xlsx(DATAGEN_STORED));
        for bytes in [DATAGEN_DEFLATED, DATAGEN_STORED] {
            let sheet = read_xlsx(bytes).unwrap();
            // A title row, the header row and one row per child.
            assert_eq!(sheet.rows.len(), 8);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = read_xlsx(&bytes);
            let mut zipped = b"PK\x03\x04".to_vec();
            zipped.extend_from_slice(&bytes);
            let _ = read_xlsx(&zipped);
            if let Ok(text) = decode_csv(&bytes, gbk) {
                if let Ok(sheet) = read_csv(&text) {
                    let _ = preview(&sheet, &State::default(), SCHOOL, today());
                }
            }
        }

        #[test]
        fn on_a_damaged_workbook(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let mut bytes = national_export();
            for (index, value) in flips {
                let at = index.index(bytes.len());
                bytes[at] = value;
            }
            if let Ok(sheet) = read_xlsx(&bytes) {
                let _ = preview(&sheet, &State::default(), SCHOOL, today());
            }
        }

        /// Edits of a roster datagen wrote, both as written (deflated: most edits are caught
        /// by the inflater) and re-zipped without compression, so that edits land in the
        /// workbook, relationship, shared string and sheet XML the reader tokenises itself.
        #[test]
        fn on_an_edited_datagen_workbook(edits in proptest::collection::vec(edit(), 1..6), stored in any::<bool>()) {
            let mut bytes = if stored { DATAGEN_STORED.to_vec() } else { DATAGEN_DEFLATED.to_vec() };
            for edit in &edits {
                edit.apply(&mut bytes);
            }
            if let Ok(sheet) = read_xlsx(&bytes) {
                let _ = preview(&sheet, &State::default(), SCHOOL, today());
            }
        }

        /// Edits inside one XML part of that workbook, zipped again, so that the ZIP directory
        /// stays sound and every edit reaches the XML reader.
        #[test]
        fn on_an_edited_part_of_a_datagen_workbook(
            part in any::<prop::sample::Index>(),
            edits in proptest::collection::vec(edit(), 1..6),
        ) {
            let mut parts = stored_parts(DATAGEN_STORED);
            let chosen = part.index(parts.len());
            for edit in &edits {
                edit.apply(&mut parts[chosen].1);
            }
            if let Ok(sheet) = read_xlsx(&stored_zip(&parts)) {
                let _ = preview(&sheet, &State::default(), SCHOOL, today());
            }
        }

        #[test]
        fn on_arbitrary_csv_text(text in "(\\PC|[,\"\n]){0,200}") {
            if let Ok(sheet) = read_csv(&text) {
                let _ = preview(&sheet, &State::default(), SCHOOL, today());
            }
        }
    }
}
