//! The module's words, both languages side by side so a missing translation does not compile:
//! what is wrong with a file or a cell, and the names of fields and flags a preview shows.
//! Each message says what to do next, in terms of the spreadsheet the teacher has open.

use crate::wire::Said;
use baoxue_domain::date_text::{DateTextError, YearMonth};
use baoxue_domain::id_number::IdNumberError;
use baoxue_domain::student::{FieldKey, Flag};
use baoxue_domain::student_number::StudentNumberError;
use baoxue_domain::validate::ValidationError;
use baoxue_roster::class_text::grade_name;
use baoxue_roster::{Problem, RosterError};
use chrono::NaiveDate;

fn said(pair: (&str, &str)) -> Said {
    Said::new(pair.0, pair.1)
}

/// Why a file as a whole cannot be imported.
pub fn file_problem(error: &RosterError) -> Said {
    match error {
        RosterError::EmptyFile => said(("文件是空的。请从学籍系统或 Excel 重新导出花名册。", "The file is empty. Export the roster again from the 学籍 system or Excel.")),
        RosterError::NotXlsx | RosterError::BadXlsx { .. } => said(("这不是能读取的 Excel 文件。请在 Excel 中打开，另存为“Excel 工作簿 (*.xlsx)”或 CSV 后再导入。", "This is not an Excel file that can be read. Open it in Excel and save it as Excel Workbook (*.xlsx) or CSV, then import again.")),
        RosterError::OldXls => said(("这是旧版 Excel 文件 (.xls)。请在 Excel 中另存为“Excel 工作簿 (*.xlsx)”后再导入。", "This is an old Excel file (.xls). In Excel, save it as Excel Workbook (*.xlsx), then import again.")),
        RosterError::SpreadsheetAsCsv => said(("这是 Excel 文件，不是 CSV。请把文件名改回 .xlsx 后再导入。", "This is an Excel file, not a CSV. Give it back its .xlsx name and import again.")),
        RosterError::NotText => said(("这不是花名册：请选择 Excel (.xlsx) 或 CSV 文件。", "This is not a roster: pick an Excel (.xlsx) or CSV file.")),
        RosterError::BadEncoding => said(("无法识别文件的文字编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。", "The text encoding cannot be read. In Excel, save as CSV UTF-8 (comma delimited) and import again.")),
        RosterError::BadCsv { line, .. } => Said::new(
            format!("CSV 文件第 {line} 行无法读取。请用 Excel 打开后重新另存为 CSV。"),
            format!("Line {line} of the CSV cannot be read. Open it in Excel and save it as CSV again."),
        ),
        RosterError::NoRows => said(("表格里没有内容。请检查是否选对了文件。", "The sheet is empty. Check that the right file was picked.")),
        RosterError::NoHeaderRow { looked_at } => Said::new(
            format!("前 {looked_at} 行中找不到表头。花名册需要一行列名，如 姓名、性别、出生日期、年级、班级。"),
            format!("No header row in the first {looked_at} rows. A roster needs a row of column names such as 姓名, 性别, 出生日期, 年级, 班级."),
        ),
        RosterError::MissingColumn { header_row, column } => Said::new(
            format!("表头（第 {header_row} 行）缺少“{column}”列。请添加这一列，或把对应的列改名为“{column}”。"),
            format!("The header row (row {header_row}) has no {column} column. Add it, or rename the column that holds it to {column}."),
        ),
        RosterError::MissingGradeAndClass { header_row } => Said::new(
            format!("表头（第 {header_row} 行）既没有“年级”也没有“班级”列。请添加一列，如 班级：七年级(2)班。"),
            format!("The header row (row {header_row}) has neither a 年级 nor a 班级 column. Add one, e.g. 班级 with 七年级(2)班."),
        ),
        RosterError::NoStudents { header_row } => Said::new(
            format!("表头（第 {header_row} 行）下面没有学生。请检查是否选对了文件和工作表。"),
            format!("There are no students below the header row (row {header_row}). Check the file and sheet."),
        ),
    }
}

/// What is wrong with a cell.
pub fn cell_problem(problem: &Problem) -> Said {
    match problem {
        Problem::Missing => said(("不能为空，每名学生都要填写", "Empty: every student needs it")),
        Problem::StudentNumber(error) => number_problem(error),
        Problem::IdNumber(error) => id_problem(error),
        Problem::Date(error) => date_problem(error),
        Problem::Gender => said(("性别请填“男”或“女”", "Write 男 (male) or 女 (female)")),
        Problem::Grade => said((
            "不是义务教育的年级，请填一年级至九年级",
            "Not a grade of compulsory school: write 一年级 to 九年级 (1 to 9)",
        )),
        Problem::Class => said((
            "看不懂这个班级，请写成 七年级(2)班 或 2班",
            "Cannot read the class: write it as 七年级(2)班, or 2班 with a 年级 column",
        )),
        Problem::GradeDiffers { grade, in_class } => Said::new(
            format!("班级是{}，年级列却是{}，请改正错的一项", grade_name(*in_class), grade_name(*grade)),
            format!("The class is of grade {in_class} but the 年级 column says {grade}: correct the wrong one"),
        ),
        Problem::YesNo => {
            said(("请填“是”或“否”（也可写 Y/N、1/0、√）", "Write 是 (yes) or 否 (no); Y/N, 1/0 and √ are read too"))
        }
        Problem::Phone => {
            said(("不是电话号码，请只填数字，如 13812345678", "Not a phone number: write the digits, e.g. 13812345678"))
        }
        Problem::DuplicateNumber { first_row } => Said::new(
            format!("与第 {first_row} 行的学籍号相同，可能重复了，请只保留一行"),
            format!("Same 学籍号 as row {first_row}: the child may be listed twice, keep one row"),
        ),
        Problem::DuplicateStudent { first_row } => Said::new(
            format!("与第 {first_row} 行姓名和出生日期相同，且都没有学籍号，请只保留一行或补上学籍号"),
            format!(
                "Same name and date of birth as row {first_row}, neither with a 学籍号: keep one row or add the number"
            ),
        ),
        Problem::Invalid(error) => invalid(error),
    }
}

fn number_problem(error: &StudentNumberError) -> Said {
    said(match error {
        StudentNumberError::Empty => ("学籍号为空", "The student number is empty"),
        StudentNumberError::ScientificNotation { .. } => ("学籍号被 Excel 变成了科学计数法，末几位已丢失。请把该列设为“文本”，从学籍系统重新复制", "Excel turned the student number into scientific notation and lost its last digits: set the column to text and copy it again from the 学籍 system"),
        StudentNumberError::UnknownShape { .. } => ("学籍号应为 G 加身份证号、L 加 18 位数字或 J 加数字", "A student number is G + ID number, L + 18 digits, or J + digits"),
        StudentNumberError::WrongLength { .. } => ("学籍号位数不对，请检查是否多输或漏输", "The student number has a digit too many or too few"),
        StudentNumberError::NotADigit { .. } => ("学籍号中有不应出现的字符", "The student number holds a character that is not a digit"),
        StudentNumberError::CheckDigit { .. } => ("学籍号校验位不对，有数字输错了，请对照身份证", "The check digit does not match: a digit is mistyped, compare with the ID card"),
        StudentNumberError::RoundedByExcel { .. } => ("学籍号被 Excel 四舍五入了。请把该列设为“文本”，从学籍系统重新复制", "Excel rounded the student number: set the column to text and copy it again from the 学籍 system"),
        StudentNumberError::BirthDate { .. } => ("学籍号中的出生日期不是真实日期", "The birth date inside the student number is not a real day"),
    })
}

fn id_problem(error: &IdNumberError) -> Said {
    said(match error {
        IdNumberError::Empty => ("身份证件号为空", "The ID number is empty"),
        IdNumberError::StoredAsNumber { .. } => ("身份证件号被 Excel 存成了数字，末几位已丢失，本行没有导入。请把该列设为“文本”，从学籍系统重新导出后再导入", "Excel stored the ID number as a number and it lost its last digits, so this row was not imported. Set the column to text, export it again from the 学籍 system and import again"),
        IdNumberError::WrongLength { .. } => ("身份证件号应为 18 位，请检查是否多输或漏输", "An ID number has 18 characters: one is missing or extra"),
        IdNumberError::NotADigit { .. } => ("身份证件号中有不应出现的字符（只有最后一位可以是 X）", "The ID number holds a character that is not a digit (only the last may be X)"),
        IdNumberError::CheckDigit { .. } => ("身份证件号校验位不对，有数字输错了，请对照身份证", "The check character does not match: a digit is mistyped, compare with the ID card"),
        IdNumberError::BirthDate { .. } => ("身份证件号中的出生日期不是真实日期", "The birth date inside the ID number is not a real day"),
    })
}

fn date_problem(error: &DateTextError) -> Said {
    match error {
        DateTextError::Empty => said(("日期为空", "The date is empty")),
        DateTextError::NotADate { .. } | DateTextError::SerialOutOfRange { .. } => {
            said(("不是日期，请按年月日填写，如 2013-05-01", "Not a date: write it year first, e.g. 2013-05-01"))
        }
        DateTextError::NoSuchDay { year, month, day, .. } => Said::new(
            format!("没有 {year}年{month}月{day}日 这一天，请检查月和日"),
            format!("There is no day {year}-{month:02}-{day:02}: check the month and day"),
        ),
        DateTextError::FakeLeapDay { .. } => said((
            "Excel 的 1900年2月29日 并不存在，请重新输入日期",
            "Excel's 1900-02-29 never existed: type the date again",
        )),
        DateTextError::NotAYearMonth { .. } | DateTextError::NoSuchMonth { .. } => {
            said(("不是年月，请写成 2019-09", "Not a year and month: write it as 2019-09"))
        }
    }
}

/// A rule of the domain the row's student breaks.
fn invalid(error: &ValidationError) -> Said {
    match error {
        ValidationError::BadStudentNumber { source, .. } => number_problem(source),
        ValidationError::BadIdNumber { source, .. } => id_problem(source),
        ValidationError::IdBirthDateDiffers { in_id, .. } => Said::new(
            format!("身份证件号中的出生日期是 {in_id}，与出生日期不一致，请改正错的一项"),
            format!("The ID number holds the birth date {in_id}, which differs: correct the wrong one"),
        ),
        ValidationError::DuplicateStudentNumber { other, .. } => Said::new(
            format!("这个学籍号已属于另一名在读学生（{}），可能重复录入了", other.name),
            format!("Another student on the roll ({}) holds this number: the child may be entered twice", other.name),
        ),
        ValidationError::BornInFuture { .. } => said(("出生日期晚于今天，请检查年份", "The date of birth is after today: check the year")),
        ValidationError::TooOld { age, .. } => Said::new(
            format!("按这个出生日期，孩子已 {age} 岁，请检查年份"),
            format!("This date of birth makes the child {age}: check the year"),
        ),
        ValidationError::TooYoung { age, .. } => Said::new(
            format!("按这个出生日期，孩子才 {age} 岁，请检查年份"),
            format!("This date of birth makes the child {age}: check the year"),
        ),
        ValidationError::AgeFarFromGrade { age, grade, typical, .. } => Said::new(
            format!("{age} 岁读{}相差太大（通常 {typical} 岁），请检查出生日期和年级", grade_name(*grade)),
            format!("Aged {age} in grade {grade}, where children are usually {typical}: check the date of birth and the grade"),
        ),
        ValidationError::GradeNotTaught { grade, .. } => Said::new(
            format!("本校没有{}", grade_name(*grade)),
            format!("This school does not teach grade {grade}"),
        ),
        ValidationError::GradeOutOfRange { .. } => said(("年级应为一至九年级", "The grade must be 1 to 9")),
        ValidationError::UnknownClass { .. } => said(("本校没有这个班级", "This school has no such class")),
        ValidationError::ClassOfOtherGrade { class_name, .. } => Said::new(
            format!("{class_name}不属于这个年级，请改班级或年级"),
            format!("{class_name} is of another grade: change the class or the grade"),
        ),
        ValidationError::NumberBirthDateDiffers { in_number, .. } => Said::new(
            format!("学籍号中的出生日期是 {in_number}，与出生日期不一致，请改正错的一项"),
            format!("The student number holds the birth date {in_number}, which differs: correct the wrong one"),
        ),
        ValidationError::Blank { .. } => said(("不能为空", "Empty: fill it in")),
        _ => said(("这一行不符合规则，请检查", "This row breaks a rule: check it")),
    }
}

/// A field of a student record, as the preview names what changes.
pub fn field_name(key: FieldKey) -> Said {
    said(match key {
        FieldKey::StudentNumber => ("学籍号", "Student number"),
        FieldKey::Name => ("姓名", "Name"),
        FieldKey::Gender => ("性别", "Gender"),
        FieldKey::BirthDate => ("出生日期", "Date of birth"),
        FieldKey::Grade => ("年级", "Grade"),
        FieldKey::Class => ("班级", "Class"),
        FieldKey::Village => ("村", "Village"),
        FieldKey::Address => ("住址", "Address"),
        FieldKey::Guardian => ("监护人", "Guardian"),
        FieldKey::GuardianPhone => ("电话", "Phone"),
        FieldKey::IdNumber => ("身份证件号", "ID number"),
    })
}

/// The same words as the app's board screen uses.
pub fn flag_name(flag: Flag) -> Said {
    said(match flag {
        Flag::LeftBehind => ("留守儿童", "Left-behind child"),
        Flag::SingleParent => ("单亲", "Single parent"),
        Flag::FamilyHardship => ("家庭困难", "Family hardship"),
        Flag::LearningDifficulty => ("学困", "Learning difficulty"),
        Flag::LopsidedSubjects => ("偏科", "Lopsided subjects"),
        Flag::Disability => ("残疾", "Disability"),
        Flag::Wavering => ("动摇生", "Wavering"),
        Flag::Boarding => ("寄宿", "Boarding"),
        Flag::Orphan => ("孤儿", "Orphan"),
        Flag::Migrant => ("随迁子女", "Migrant child"),
    })
}

/// A row of the file, as Excel numbers it.
pub fn row_name(row: usize) -> Said {
    Said::new(format!("第 {row} 行"), format!("Row {row}"))
}

/// One problem of a row: the column and the value as written, then what is wrong.
pub fn cell_line(column: &str, value: &str, problem: &Said) -> Said {
    if column.is_empty() {
        return problem.clone();
    }
    Said::new(format!("{column}「{value}」：{}", problem.zh), format!("{column} \"{value}\": {}", problem.en))
}

/// Flags by name, as one list: "孤儿、随迁子女", "Orphan, Migrant child"; "无" for none.
pub fn flag_list(names: &[Said]) -> Said {
    if names.is_empty() {
        return said(("无", "none"));
    }
    let join = |pick: fn(&Said) -> &str, separator| names.iter().map(pick).collect::<Vec<_>>().join(separator);
    Said::new(join(|name| &name.zh, "、"), join(|name| &name.en, ", "))
}

/// The name of the preview's line of flags a student gets.
pub fn flags_name() -> Said {
    said(("标记", "Flags"))
}

/// The name of the preview's line of the day a new child counts as 在读 from.
pub fn enrolled_from_name() -> Said {
    said(("在读起始", "Enrolled from"))
}

/// The day a new child counts as 在读 from, with the 入学年月 it comes from when the file has one.
pub fn enrolled_from(day: NaiveDate, entry_month: Option<YearMonth>) -> Said {
    match entry_month {
        Some(month) => Said::new(format!("{day}（入学年月 {month}）"), format!("{day} (entry {month})")),
        None => Said::new(day.to_string(), day.to_string()),
    }
}
