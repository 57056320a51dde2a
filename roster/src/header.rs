//! Finding the header row and what each column holds, by the Chinese names the 学籍 system and
//! schools' own lists (花名册) give them. A title row ("某某小学2026年秋季学生花名册") or a merged
//! cell above the header is skipped: the header is the row naming the most known columns.

use crate::error::RosterError;
use crate::sheet::{Row, Sheet};

/// How many rows from the top are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    StudentNumber,
    Name,
    Gender,
    BirthDate,
    /// 身份证件类型: whether 身份证件号 is a 居民身份证 number, which makes the 学籍号 "G" + it.
    IdType,
    IdNumber,
    Grade,
    Class,
    Address,
    Village,
    Guardian,
    Phone,
    LeftBehind,
    FamilyHardship,
    Disability,
    Orphan,
    Migrant,
    EntryMonth,
}

/// Header names of each field, the preferred first: when a file has both 监护人联系电话 and
/// 联系电话, the guardian's number is the one a student record keeps. 学籍辅号 (an auxiliary
/// number) and 个人标识码 are different numbers and deliberately absent.
const ALIASES: &[(Field, &[&str])] = &[
    (Field::StudentNumber, &["全国学籍号", "学籍号", "学生学籍号", "全国学籍号码", "学籍号码"]),
    (Field::Name, &["姓名", "学生姓名"]),
    (Field::Gender, &["性别", "学生性别"]),
    (Field::BirthDate, &["出生日期", "出生年月日", "生日"]),
    (Field::IdType, &["身份证件类型", "证件类型"]),
    (Field::IdNumber, &["身份证件号", "身份证号", "身份证号码", "身份证件号码", "公民身份号码", "证件号码"]),
    (Field::Grade, &["年级", "所在年级", "年级名称"]),
    (Field::Class, &["班级", "班号", "班级名称", "所在班级", "班别", "班"]),
    (Field::Address, &["家庭住址", "现住址", "家庭地址", "家庭详细住址", "住址", "户籍地址"]),
    (Field::Village, &["村屯", "所在村", "村", "村组", "所在村屯", "村名", "所属村"]),
    (Field::Guardian, &["监护人", "监护人姓名", "家长姓名", "家长"]),
    (Field::Phone, &["监护人联系电话", "监护人电话", "家长联系电话", "家长电话", "联系电话", "联系方式", "手机号码"]),
    (Field::LeftBehind, &["是否留守儿童", "留守儿童"]),
    (Field::FamilyHardship, &["是否建档立卡贫困户", "是否建档立卡户", "是否建档立卡", "是否脱贫户"]),
    (Field::Disability, &["是否残疾", "是否残疾儿童", "是否残疾人"]),
    (Field::Orphan, &["是否孤儿", "孤儿"]),
    (Field::Migrant, &["是否进城务工人员随迁子女", "是否随迁子女", "随迁子女"]),
    (Field::EntryMonth, &["入学年月", "入学时间", "入学日期"]),
];

/// The columns of one family member of the 学籍 export (成员1姓名, 成员1联系电话, 成员1是否监护人).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberColumns {
    pub number: u32,
    pub name: Option<usize>,
    pub phone: Option<usize>,
    pub is_guardian: Option<usize>,
}

/// A found column: what it holds, where, and its header as written (for messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub field: Field,
    pub index: usize,
    pub header: String,
    /// Position of the matched name in [`ALIASES`]: lower is preferred.
    rank: usize,
}

/// The header row and the columns found in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    pub header_row: usize,
    pub columns: Vec<Column>,
    /// Family members in the order of their number.
    pub members: Vec<MemberColumns>,
}

impl Columns {
    pub fn get(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|column| column.field == field)
    }

    pub fn has(&self, field: Field) -> bool {
        self.get(field).is_some()
    }
}

/// A header without what only decorates it: spaces, a required-field star, a note in brackets
/// ("出生日期（格式：20110101）", "村(社区)").
pub fn normalise_header(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for character in text.chars() {
        match character {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            '*' | '＊' | ':' | '：' => {}
            _ if character.is_whitespace() => {}
            _ if depth == 0 => out.push(character),
            _ => {}
        }
    }
    out
}

/// The field a header names, with its preference rank.
fn field_of(header: &str) -> Option<(Field, usize)> {
    ALIASES.iter().find_map(|(field, names)| names.iter().position(|name| *name == header).map(|rank| (*field, rank)))
}

/// "成员2联系电话" as member 2's phone column.
fn member_part(header: &str) -> Option<(u32, &str)> {
    let rest = header.strip_prefix("成员")?;
    let digits = rest.len() - rest.trim_start_matches(|character: char| character.is_ascii_digit()).len();
    let number = rest[..digits].parse().ok()?;
    Some((number, &rest[digits..]))
}

fn is_known(header: &str) -> bool {
    field_of(header).is_some()
        || member_part(header).is_some_and(|(_, part)| matches!(part, "姓名" | "联系电话" | "是否监护人" | "关系"))
}

/// Finds the header row among the first [`HEADER_SEARCH_ROWS`] rows and checks that the columns
/// every student needs are there: 姓名, 性别, 出生日期, and 年级 or 班级.
pub fn find_columns(sheet: &Sheet) -> Result<Columns, RosterError> {
    let columns =
        find_columns_with(sheet, &[(Field::Name, "姓名"), (Field::Gender, "性别"), (Field::BirthDate, "出生日期")])?;
    if !columns.has(Field::Grade) && !columns.has(Field::Class) {
        return Err(RosterError::MissingGradeAndClass { header_row: columns.header_row });
    }
    Ok(columns)
}

/// The header row of a list of resident children (户籍, a poverty or disability register): it
/// names no class, so 姓名, 性别 and 出生日期 are what it must have.
pub fn find_resident_columns(sheet: &Sheet) -> Result<Columns, RosterError> {
    find_columns_with(sheet, &[(Field::Name, "姓名"), (Field::Gender, "性别"), (Field::BirthDate, "出生日期")])
}

/// The header row (the one naming the most known columns) with each of `required` in it.
fn find_columns_with(sheet: &Sheet, required: &[(Field, &'static str)]) -> Result<Columns, RosterError> {
    let score = |row: &Row| row.cells.iter().filter(|cell| is_known(&normalise_header(&cell.text()))).count();
    let mut best: Option<(&Row, usize)> = None;
    for row in sheet.rows.iter().take(HEADER_SEARCH_ROWS) {
        let found = score(row);
        if found >= 2 && best.is_none_or(|(_, most)| found > most) {
            best = Some((row, found));
        }
    }
    let Some((row, _)) = best else {
        return Err(RosterError::NoHeaderRow { looked_at: sheet.rows.len().min(HEADER_SEARCH_ROWS) });
    };
    let columns = columns_of(row);
    for (field, name) in required {
        if !columns.has(*field) {
            return Err(RosterError::MissingColumn { header_row: row.number, column: name });
        }
    }
    Ok(columns)
}

fn columns_of(row: &Row) -> Columns {
    let mut columns: Vec<Column> = Vec::new();
    let mut members: Vec<MemberColumns> = Vec::new();
    for (index, cell) in row.cells.iter().enumerate() {
        let header = cell.text();
        let normalised = normalise_header(&header);
        if let Some((field, rank)) = field_of(&normalised) {
            match columns.iter_mut().find(|column| column.field == field) {
                // The first column of the best name wins; a later, worse-named one is ignored.
                Some(held) if held.rank <= rank => {}
                Some(held) => *held = Column { field, index, header, rank },
                None => columns.push(Column { field, index, header, rank }),
            }
        } else if let Some((number, part)) = member_part(&normalised) {
            let position = match members.iter().position(|member| member.number == number) {
                Some(position) => position,
                None => {
                    members.push(MemberColumns { number, ..MemberColumns::default() });
                    members.len() - 1
                }
            };
            let member = &mut members[position];
            match part {
                "姓名" => member.name = member.name.or(Some(index)),
                "联系电话" => member.phone = member.phone.or(Some(index)),
                "是否监护人" => member.is_guardian = member.is_guardian.or(Some(index)),
                _ => {}
            }
        }
    }
    members.sort_by_key(|member| member.number);
    Columns { header_row: row.number, columns, members }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::Cell;

    fn row(number: usize, cells: &[&str]) -> Row {
        Row { number, cells: cells.iter().map(|text| Cell::Text((*text).to_owned())).collect() }
    }

    #[test]
    fn decorations_are_dropped_from_headers() {
        assert_eq!(normalise_header(" 出生日期（格式：20110101）"), "出生日期");
        assert_eq!(normalise_header("*姓 名"), "姓名");
        assert_eq!(normalise_header("村(社区)"), "村");
    }

    #[test]
    fn the_header_is_found_under_a_title_and_the_best_name_wins() {
        let sheet = Sheet {
            name: String::new(),
            rows: vec![
                row(1, &["某某小学2026年秋季学生花名册"]),
                row(3, &["序号", "姓名", "性别", "出生日期", "班级", "联系电话", "监护人联系电话", "学籍辅号"]),
            ],
        };
        let columns = find_columns(&sheet).unwrap();
        assert_eq!(columns.header_row, 3);
        assert_eq!(columns.get(Field::Phone).unwrap().index, 6);
        assert!(!columns.has(Field::StudentNumber), "学籍辅号 is not the 学籍号");
    }

    #[test]
    fn members_of_the_national_export_are_grouped() {
        let sheet = Sheet {
            name: String::new(),
            rows: vec![row(
                1,
                &["姓名", "性别", "出生日期", "班号", "成员1姓名", "成员1是否监护人", "成员2姓名", "成员1联系电话"],
            )],
        };
        let columns = find_columns(&sheet).unwrap();
        assert_eq!(
            columns.members,
            vec![
                MemberColumns { number: 1, name: Some(4), phone: Some(7), is_guardian: Some(5) },
                MemberColumns { number: 2, name: Some(6), phone: None, is_guardian: None },
            ]
        );
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let sheet = Sheet { name: String::new(), rows: vec![row(2, &["姓名", "出生日期", "班级"])] };
        assert_eq!(find_columns(&sheet), Err(RosterError::MissingColumn { header_row: 2, column: "性别" }));
        let sheet = Sheet { name: String::new(), rows: vec![row(1, &["姓名", "性别", "出生日期"])] };
        assert_eq!(find_columns(&sheet), Err(RosterError::MissingGradeAndClass { header_row: 1 }));
        let sheet = Sheet { name: String::new(), rows: vec![row(1, &["a", "b"]), row(2, &["1", "2"])] };
        assert_eq!(find_columns(&sheet), Err(RosterError::NoHeaderRow { looked_at: 2 }));
    }
}
