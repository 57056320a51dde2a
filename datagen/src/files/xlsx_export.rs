//! The 学籍 system's 学生基本信息 export: a title row above the header row, every cell text
//! (出生日期 20110101, 入学年月 202209, ID numbers as text so Excel keeps every digit).

use super::{class_number, compact_date, roster_pupils, FilesError};
use crate::dataset::Dataset;
use baoxue_domain::student::Gender;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

pub const SHEET: &str = "学生基本信息";

pub const HEADERS: [&str; 25] = [
    "学校标识码",
    "姓名",
    "性别",
    "出生日期",
    "身份证件类型",
    "身份证件号",
    "班号",
    "入学年月",
    "现住址",
    "联系电话",
    "是否留守儿童",
    "是否孤儿",
    "学籍辅号",
    "班内学号",
    "成员1姓名",
    "成员1关系",
    "成员1联系电话",
    "成员1是否监护人",
    "成员2姓名",
    "成员2关系",
    "成员2联系电话",
    "成员2是否监护人",
    "是否进城务工人员随迁子女",
    "是否建档立卡贫困户",
    "全国学籍号",
];

/// The export of every child on the start-of-term roster, all schools in one sheet (the
/// 学校标识码 column tells them apart), as XLSX bytes.
pub fn roster_xlsx(dataset: &Dataset) -> Result<Vec<u8>, FilesError> {
    let mut workbook = Workbook::new();
    // Rows are written in order, so the sheet can stream: a county's 100,000 rows stay cheap.
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(SHEET)?;
    sheet.set_column_width(1, 10)?;
    sheet.set_column_width(5, 20)?;
    sheet.set_column_width(8, 28)?;
    sheet.set_column_width(24, 22)?;
    let title = match dataset.schools.as_slice() {
        [only] => format!("{}学生基本信息（{}）", only.school.name, dataset.spec.term.term.name),
        _ => format!("{}学生基本信息（{}）", dataset.county.name, dataset.spec.term.term.name),
    };
    let title_format = Format::new().set_bold().set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, (HEADERS.len() - 1) as u16, &title, &title_format)?;
    let bold = Format::new().set_bold();
    for (column, header) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(1, column as u16, *header, &bold)?;
    }
    let codes: std::collections::HashMap<_, _> =
        dataset.schools.iter().map(|setup| (setup.school.id, setup.code.as_str())).collect();
    for (index, pupil) in roster_pupils(dataset, None).into_iter().enumerate() {
        let student = &pupil.student;
        let home = &dataset.households[pupil.household];
        let id_number = student.student_number.as_deref().filter(|number| number.starts_with('G')).map(|n| &n[1..]);
        let (_, class_code) = class_number(dataset, pupil);
        let (second_name, second_relation, second_phone) = match &home.second {
            Some(member) => (member.name.as_str(), member.relation.as_str(), member.phone.as_str()),
            None => ("", "", ""),
        };
        let cells: [&str; 25] = [
            codes.get(&student.school).copied().unwrap_or_default(),
            &student.name,
            match student.gender {
                Gender::Male => "男",
                Gender::Female => "女",
            },
            &compact_date(student.birth_date),
            if id_number.is_some() { "居民身份证" } else { "" },
            id_number.unwrap_or_default(),
            &class_code,
            &pupil.entered,
            &student.address,
            &student.guardian_phone,
            home.left_behind.text(),
            "否",
            "",
            &pupil.seat.to_string(),
            &home.guardian.name,
            &home.guardian.relation,
            &home.guardian.phone,
            "是",
            second_name,
            second_relation,
            second_phone,
            if second_name.is_empty() { "" } else { "否" },
            "否",
            if home.hardship { "是" } else { "否" },
            student.student_number.as_deref().unwrap_or_default(),
        ];
        let row = index as u32 + 2;
        for (column, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(row, column as u16, *cell)?;
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}
