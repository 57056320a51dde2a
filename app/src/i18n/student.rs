//! The student page: the record, its edit form, the flags with their evidence, the status
//! timeline, and every problem the domain's validation can find with a student or a flag, in
//! words a head teacher acts on.

use super::Text;
use baoxue_domain::id_number::IdNumberError;
use baoxue_domain::status::Status;
use baoxue_domain::student::Gender;
use baoxue_domain::student_number::StudentNumberError;
use baoxue_domain::sync::RejectionReason;
use baoxue_domain::validate::{RecordKind, ValidationError, MAX_AGE_YEARS, MIN_AGE_YEARS};
use const_format::concatcp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StudentText {
    NewTitle,
    NotFound,
    BackToRoster,
    StudentNumber,
    StudentNumberHint,
    IdNumber,
    IdNumberHint,
    Name,
    Gender,
    BirthDate,
    BirthDateHint,
    Grade,
    Class,
    Village,
    Address,
    Guardian,
    GuardianPhone,
    Details,
    Edit,
    Save,
    Cancel,
    Saved,
    SaveFailed,
    NothingChanged,
    CountedStatus,
    EarlyWarning,
    Flags,
    FlagSince,
    SetFlag,
    ClearFlag,
    Note,
    NoteHintSet,
    NoteHintClear,
    NoteRequired,
    SaveFlag,
    Timeline,
    NoTimeline,
    NoEvidence,
    RecordStatus,
    NewStatus,
    StatusDate,
    StatusEvidence,
    StatusEvidenceHint,
    SaveStatus,
}

impl Text for StudentText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            StudentText::NewTitle => ("添加学生", "Add a student"),
            StudentText::NotFound => (
                "本机没有这名学生的记录。可能还没同步，或链接有误。",
                "This phone has no record of this student. It may not have synced yet, or the link is wrong.",
            ),
            StudentText::BackToRoster => ("返回花名册", "Back to the roster"),
            StudentText::StudentNumber => ("学籍号", "Student number (学籍号)"),
            StudentText::StudentNumberHint => ("没有可不填", "Leave empty if none"),
            StudentText::IdNumber => ("身份证件号", "ID number (身份证件号)"),
            StudentText::IdNumberHint => ("18 位，没有可不填", "18 characters; leave empty if none"),
            StudentText::Name => ("姓名", "Name"),
            StudentText::Gender => ("性别", "Gender"),
            StudentText::BirthDate => ("出生日期", "Date of birth"),
            StudentText::BirthDateHint => ("如 20130501", "e.g. 20130501"),
            StudentText::Grade => ("年级", "Grade"),
            StudentText::Class => ("班级", "Class"),
            StudentText::Village => ("村", "Village"),
            StudentText::Address => ("住址", "Address"),
            StudentText::Guardian => ("监护人", "Guardian"),
            StudentText::GuardianPhone => ("电话", "Phone"),
            StudentText::Details => ("基本信息", "Details"),
            StudentText::Edit => ("修改信息", "Edit details"),
            StudentText::Save => ("保存", "Save"),
            StudentText::Cancel => ("取消", "Cancel"),
            StudentText::Saved => ("已保存", "Saved"),
            StudentText::SaveFailed => ("保存失败，请重试", "Could not save: try again"),
            StudentText::NothingChanged => ("没有修改", "Nothing was changed"),
            StudentText::CountedStatus => ("学籍状态", "Status"),
            StudentText::EarlyWarning => ("辍学预警", "Early warning"),
            StudentText::Flags => ("学生标记", "Flags"),
            StudentText::FlagSince => ("{0} 起", "since {0}"),
            StudentText::SetFlag => ("标为{0}", "Set: {0}"),
            StudentText::ClearFlag => ("撤销{0}", "Clear: {0}"),
            StudentText::Note => ("依据（必填）", "Evidence (required)"),
            StudentText::NoteHintSet => {
                ("如：家访时学生说想去打工", "e.g. at the home visit the child said they want to go to work")
            }
            StudentText::NoteHintClear => ("如：已安心上学一个月", "e.g. settled in school for a month"),
            StudentText::NoteRequired => ("请写明依据", "Write what shows it"),
            StudentText::SaveFlag => ("保存标记", "Save flag"),
            StudentText::Timeline => ("状态记录", "Status history"),
            StudentText::NoTimeline => ("还没有状态记录，按在读计算。", "No status recorded yet: counted as enrolled."),
            StudentText::NoEvidence => ("（无说明）", "(no note)"),
            StudentText::RecordStatus => ("记录状态变化", "Record a status change"),
            StudentText::NewStatus => ("新状态", "New status"),
            StudentText::StatusDate => ("日期", "Date"),
            StudentText::StatusEvidence => ("依据", "Evidence"),
            StudentText::StatusEvidenceHint => (
                "如：10月14日返校，编入七年级(2)班；转出回执编号",
                "e.g. back in school on 14 October, class 7(2); the transfer receipt's number",
            ),
            StudentText::SaveStatus => ("保存状态", "Save status"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenderName(pub Gender);

impl Text for GenderName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            Gender::Male => ("男", "Male"),
            Gender::Female => ("女", "Female"),
        }
    }
}

/// A status as the seeds name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusName(pub Status);

impl Text for StatusName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            Status::Enrolled => ("在读", "Enrolled"),
            Status::SuspectedDropout => ("疑似辍学", "Suspected dropout"),
            Status::DroppedOut => ("辍学", "Dropped out"),
            Status::BeingPersuaded => ("劝返中", "Being persuaded"),
            Status::Returned => ("已复学", "Returned"),
            Status::TransferOutPending => ("转出（待回执）", "Transferred out (no receipt yet)"),
            Status::TransferOutConfirmed => ("转出（已回执）", "Transferred out (receipt)"),
            Status::TransferredIn => ("转入", "Transferred in"),
            Status::Suspended => ("休学", "Suspended"),
            Status::HomeTaught => ("送教上门", "Taught at home"),
            Status::VocationalTrack => ("中职分流", "Vocational track"),
            Status::Graduated => ("毕业", "Graduated"),
            Status::Deceased => ("死亡", "Deceased"),
            Status::Exempted => ("因病因残免学", "Exempted (illness or disability)"),
            Status::Deferred => ("延缓入学", "Entry deferred"),
            Status::MovedAbroad => ("出国（境）", "Moved abroad"),
        }
    }
}

/// What is wrong with a student or a flag, as the teacher reads it beside the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StudentProblem {
    BirthDateNotADate,
    BirthDateNoSuchDay,
    BornInFuture,
    TooOld,
    TooYoung,
    GradeOutOfRange,
    AgeFarFromGrade,
    GradeNotTaught,
    UnknownClass,
    ClassOfOtherGrade,
    NumberEmpty,
    NumberScientific,
    NumberShape,
    NumberLength,
    NumberCharacter,
    NumberCheckDigit,
    NumberRounded,
    NumberBirthDate,
    DuplicateNumber,
    NumberBirthDateDiffers,
    IdNumberStoredAsNumber,
    IdNumberMalformed,
    IdNumberCheckDigit,
    IdBirthDateDiffers,
    UnknownStudent,
    DateInFuture,
    NameBlank,
    EvidenceBlank,
    LeavesLedgerWithoutEvidence,
    TransferWithoutReceipt,
    StatusDateNotADate,
    TextTooLong,
    ControlCharacter,
    DateOutOfRange,
    Other,
}

impl StudentProblem {
    /// The words for a validation error. Errors of other records (cases, notices) never come
    /// from this page; they read as a general "check the form".
    pub fn of(error: &ValidationError) -> StudentProblem {
        match error {
            ValidationError::BornInFuture { .. } => StudentProblem::BornInFuture,
            ValidationError::TooOld { .. } => StudentProblem::TooOld,
            ValidationError::TooYoung { .. } => StudentProblem::TooYoung,
            ValidationError::GradeOutOfRange { .. } => StudentProblem::GradeOutOfRange,
            ValidationError::AgeFarFromGrade { .. } => StudentProblem::AgeFarFromGrade,
            ValidationError::GradeNotTaught { .. } => StudentProblem::GradeNotTaught,
            ValidationError::UnknownClass { .. } => StudentProblem::UnknownClass,
            ValidationError::ClassOfOtherGrade { .. } => StudentProblem::ClassOfOtherGrade,
            ValidationError::BadStudentNumber { source, .. } => match source {
                StudentNumberError::Empty => StudentProblem::NumberEmpty,
                StudentNumberError::ScientificNotation { .. } => StudentProblem::NumberScientific,
                StudentNumberError::UnknownShape { .. } => StudentProblem::NumberShape,
                StudentNumberError::WrongLength { .. } => StudentProblem::NumberLength,
                StudentNumberError::NotADigit { .. } => StudentProblem::NumberCharacter,
                StudentNumberError::CheckDigit { .. } => StudentProblem::NumberCheckDigit,
                StudentNumberError::RoundedByExcel { .. } => StudentProblem::NumberRounded,
                StudentNumberError::BirthDate { .. } => StudentProblem::NumberBirthDate,
            },
            ValidationError::DuplicateStudentNumber { .. } => StudentProblem::DuplicateNumber,
            ValidationError::NumberBirthDateDiffers { .. } => StudentProblem::NumberBirthDateDiffers,
            ValidationError::BadIdNumber { source, .. } => match source {
                IdNumberError::StoredAsNumber { .. } => StudentProblem::IdNumberStoredAsNumber,
                IdNumberError::CheckDigit { .. } => StudentProblem::IdNumberCheckDigit,
                _ => StudentProblem::IdNumberMalformed,
            },
            ValidationError::IdBirthDateDiffers { .. } => StudentProblem::IdBirthDateDiffers,
            ValidationError::UnknownStudent { .. } => StudentProblem::UnknownStudent,
            ValidationError::InFuture { .. } => StudentProblem::DateInFuture,
            ValidationError::Blank { what: RecordKind::Student, .. } => StudentProblem::NameBlank,
            ValidationError::Blank { what: RecordKind::Flag, .. } => StudentProblem::EvidenceBlank,
            ValidationError::LeavesLedgerWithoutEvidence { .. } => StudentProblem::LeavesLedgerWithoutEvidence,
            ValidationError::TransferWithoutReceipt { .. } => StudentProblem::TransferWithoutReceipt,
            ValidationError::OutsideLimits(reason) => match reason {
                RejectionReason::TextTooLong { .. } => StudentProblem::TextTooLong,
                RejectionReason::ControlCharacter { .. } => StudentProblem::ControlCharacter,
                RejectionReason::DateOutOfRange { .. } => StudentProblem::DateOutOfRange,
                _ => StudentProblem::Other,
            },
            _ => StudentProblem::Other,
        }
    }
}

impl Text for StudentProblem {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            StudentProblem::BirthDateNotADate => {
                ("出生日期请按年月日填写，如 20130501", "Write the date of birth year first, e.g. 20130501")
            }
            StudentProblem::BirthDateNoSuchDay => {
                ("没有这一天，请检查月和日", "There is no such day: check the month and day")
            }
            StudentProblem::BornInFuture => {
                ("出生日期晚于今天，请检查年份", "The date of birth is after today: check the year")
            }
            // The limits are the domain's, quoted at compile time, so the words cannot drift from
            // the check that raised them.
            StudentProblem::TooOld => (
                concatcp!("按这个出生日期，孩子已超过 ", MAX_AGE_YEARS, " 岁，请检查年份"),
                concatcp!("This date of birth makes the child older than ", MAX_AGE_YEARS, ": check the year"),
            ),
            StudentProblem::TooYoung => (
                concatcp!("按这个出生日期，孩子还不到 ", MIN_AGE_YEARS, " 岁，请检查年份"),
                concatcp!("This date of birth makes the child younger than ", MIN_AGE_YEARS, ": check the year"),
            ),
            StudentProblem::GradeOutOfRange => ("年级应为一至九年级", "The grade must be 1 to 9"),
            StudentProblem::AgeFarFromGrade => (
                "年龄与年级相差太大，请检查出生日期和年级",
                "The age is far from this grade's: check the date of birth and the grade",
            ),
            StudentProblem::GradeNotTaught => ("本校没有这个年级", "This school does not teach this grade"),
            StudentProblem::UnknownClass => ("请从列表中选择本校的班级", "Pick a class of this school from the list"),
            StudentProblem::ClassOfOtherGrade => (
                "这个班级不属于所选年级，请改班级或年级",
                "This class is of another grade: change the class or the grade",
            ),
            StudentProblem::NumberEmpty => ("学籍号为空", "The student number is empty"),
            StudentProblem::NumberScientific => (
                "学籍号被 Excel 变成了科学计数法，请从学籍系统重新复制",
                "Excel turned the student number into scientific notation: copy it again from the 学籍 system",
            ),
            StudentProblem::NumberShape => (
                "学籍号应为 G 加身份证号、L 加 18 位数字或 J 加数字",
                "A student number is G + ID number, L + 18 digits, or J + digits",
            ),
            StudentProblem::NumberLength => {
                ("学籍号位数不对，请检查是否多输或漏输", "The student number has a digit too many or too few")
            }
            StudentProblem::NumberCharacter => {
                ("学籍号中有不应出现的字符", "The student number holds a character that is not a digit")
            }
            StudentProblem::NumberCheckDigit => (
                "学籍号校验位不对，有数字输错了，请对照身份证",
                "The check digit does not match: a digit is mistyped, compare with the ID card",
            ),
            StudentProblem::NumberRounded => (
                "学籍号被 Excel 四舍五入了，请从学籍系统重新复制",
                "Excel rounded the student number: copy it again from the 学籍 system",
            ),
            StudentProblem::NumberBirthDate => {
                ("学籍号中的出生日期不是真实日期", "The birth date inside the student number is not a real day")
            }
            StudentProblem::DuplicateNumber => (
                "这个学籍号已属于另一名在读学生，可能重复录入了",
                "Another student on the roll holds this number: the child may be entered twice",
            ),
            StudentProblem::NumberBirthDateDiffers => (
                "学籍号中的出生日期与出生日期不一致，请改正错的一项",
                "The birth date inside the student number differs from the date of birth: correct the wrong one",
            ),
            StudentProblem::IdNumberStoredAsNumber => (
                "身份证件号被 Excel 存成了数字，末几位已丢失，请对照身份证重新输入",
                "Excel stored the ID number as a number and lost its last digits: type it again from the ID card",
            ),
            StudentProblem::IdNumberMalformed => (
                "身份证件号应为 18 位：17 位数字加最后一位数字或 X",
                "An ID number is 18 characters: 17 digits, then a digit or X",
            ),
            StudentProblem::IdNumberCheckDigit => (
                "身份证件号校验位不对，有数字输错了，请对照身份证",
                "The ID number's check character does not match: a digit is mistyped, compare with the ID card",
            ),
            StudentProblem::IdBirthDateDiffers => (
                "身份证件号中的出生日期与出生日期不一致，请改正错的一项",
                "The birth date inside the ID number differs from the date of birth: correct the wrong one",
            ),
            StudentProblem::UnknownStudent => {
                ("本机找不到这名学生，请先添加", "This phone does not know this student: add them first")
            }
            StudentProblem::DateInFuture => ("日期晚于今天", "The date is after today"),
            StudentProblem::NameBlank => ("请填写姓名", "Write the name"),
            StudentProblem::EvidenceBlank => ("请写明依据", "Write what shows it"),
            StudentProblem::LeavesLedgerWithoutEvidence => (
                "学生离开辍学台账（动态销号）须写明依据，如复学日期和班级",
                "Leaving the dropout ledger needs evidence, such as the date and class of return",
            ),
            StudentProblem::TransferWithoutReceipt => {
                ("确认转出须写明接收学校的回执", "A confirmed transfer needs the receiving school's receipt")
            }
            StudentProblem::StatusDateNotADate => (
                "日期不对：请选择日期，或按 2026-11-23 的样子填写",
                "The date is not a date: pick one, or type it like 2026-11-23",
            ),
            StudentProblem::TextTooLong => (
                "填写的内容太长：姓名类最多 50 个字，其他最多 2000 个字",
                "Too long: a name holds at most 50 characters, other text 2,000",
            ),
            StudentProblem::ControlCharacter => (
                "填写的内容里有看不见的控制字符（常见于复制粘贴），请删掉重新输入",
                "The text holds an invisible control character (often from copy and paste): delete it and type it again",
            ),
            StudentProblem::DateOutOfRange => ("日期要在 1990 年到 2100 年之间", "Dates must fall between 1990 and 2100"),
            StudentProblem::Other => ("无法保存，请检查填写的内容", "Cannot save: check what was entered"),
        }
    }
}
