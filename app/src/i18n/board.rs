//! The at-risk board (预警) and the words of risk shared with the student page: levels, flags,
//! grades and the reasons behind a level, said in plain words ("缺课 12/40 天 +20").

use super::{Lang, Text};
use baoxue_domain::investigation::DropoutReason;
use baoxue_domain::org::Grade;
use baoxue_domain::risk::{Factor, FamilySupport, Level, Reason};
use baoxue_domain::student::Flag;
use std::fmt::Display;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoardText {
    Title,
    Intro,
    Empty,
    /// Under the list: the children at the lowest level, counted and not listed.
    LowNotListed,
    /// No child above the lowest level: all on the roll are at low risk.
    AllLow,
    NoReasons,
    Points,
}

impl Text for BoardText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            BoardText::Title => ("预警", "At risk"),
            BoardText::Intro => (
                "中、高风险的在读学生，风险高的在前。点姓名查看和处理。",
                "Children on the roll at medium or high risk, most at risk first. Tap a name to open the child.",
            ),
            BoardText::Empty => {
                ("还没有在读学生。先在花名册添加学生。", "No children on the roll yet. Add them on the roster first.")
            }
            BoardText::LowNotListed => {
                ("另有 {0} 名学生为低风险，未列出", "{0} more children are at low risk and not listed")
            }
            BoardText::AllLow => (
                "没有中、高风险的学生；{0} 名在读学生均为低风险。",
                "No child is at medium or high risk; the {0} on the roll are all at low risk.",
            ),
            BoardText::NoReasons => ("暂无风险因素", "No risk signs"),
            BoardText::Points => ("{0} 分", "{0} points"),
        }
    }
}

/// An early-warning level, as the badge says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelName(pub Level);

impl Text for LevelName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            Level::High => ("高", "High"),
            Level::Medium => ("中", "Medium"),
            Level::Low => ("低", "Low"),
        }
    }
}

/// A flag by the name the seeds give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagName(pub Flag);

impl Text for FlagName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
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
        }
    }
}

/// A grade as schools write it: 八年级.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GradeName(pub Grade);

impl Text for GradeName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0.get() {
            1 => ("一年级", "Grade 1"),
            2 => ("二年级", "Grade 2"),
            3 => ("三年级", "Grade 3"),
            4 => ("四年级", "Grade 4"),
            5 => ("五年级", "Grade 5"),
            6 => ("六年级", "Grade 6"),
            7 => ("七年级", "Grade 7"),
            8 => ("八年级", "Grade 8"),
            // A Grade is 1 to 9, so this is 9.
            _ => ("九年级", "Grade 9"),
        }
    }
}

/// A dropout reason of the 排查台账.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DropoutReasonName(pub DropoutReason);

impl Text for DropoutReasonName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            DropoutReason::FamilyHardship => ("家庭经济困难", "family hardship"),
            DropoutReason::LearningDifficulty => ("学习困难", "learning difficulty"),
            DropoutReason::DislikesSchool => ("厌学", "dislikes school"),
            DropoutReason::FamilyUpheaval => ("家庭变故", "family upheaval"),
            DropoutReason::EarlyMarriage => ("早婚早育", "early marriage or childbirth"),
            DropoutReason::LeftToWork => ("外出打工", "left to work"),
            DropoutReason::IllnessOrDisability => ("疾病或残疾", "illness or disability"),
            DropoutReason::Other => ("其他", "other"),
        }
    }
}

/// What the last visit found of the family's support.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FamilySupportName(pub FamilySupport);

impl Text for FamilySupportName {
    fn pair(self) -> (&'static str, &'static str) {
        match self.0 {
            FamilySupport::Supportive => ("支持", "supportive"),
            FamilySupport::Indifferent => ("一般", "indifferent"),
            FamilySupport::Opposed => ("反对", "opposed"),
            FamilySupport::Unknown => ("未了解", "not asked yet"),
        }
    }
}

/// The wording of each kind of reason; `{0}`, `{1}` are its numbers or names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReasonText {
    AbsenceRate,
    UnexcusedStreak,
    EarlyTermAbsences,
    OverAge,
    EarlierDropouts,
    TimeOut,
    SeveralReasons,
    HardReason,
    FamilySupport,
    FailedContacts,
    Relapse,
}

impl Text for ReasonText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            ReasonText::AbsenceRate => ("缺课 {0}/{1} 天", "Absent {0} of {1} school days"),
            ReasonText::UnexcusedStreak => ("连续旷课 {0} 天", "{0} unexcused days in a row"),
            ReasonText::EarlyTermAbsences => ("开学前 {1} 天缺课 {0} 天", "Absent {0} of the first {1} days of term"),
            ReasonText::OverAge => ("超龄：{0} 岁（该年级通常 {1} 岁）", "Over age: {0} (usual age {1})"),
            ReasonText::EarlierDropouts => ("曾辍学 {0} 次", "Dropped out {0} times before"),
            ReasonText::TimeOut => ("离校 {0} 天", "Out of school {0} days"),
            ReasonText::SeveralReasons => ("辍学原因 {0} 个", "{0} dropout reasons"),
            ReasonText::HardReason => ("辍学原因：{0}", "Reason: {0}"),
            ReasonText::FamilySupport => ("家庭支持：{0}", "Family support: {0}"),
            ReasonText::FailedContacts => ("劝返未果 {0} 次", "{0} contacts without return"),
            ReasonText::Relapse => ("反复辍学 {0} 次", "Dropped out {0} times before"),
        }
    }
}

/// `template` with `{0}`, `{1}`, … replaced by `values` in that order of index, so each
/// language may put them where its grammar wants them.
pub fn fill(template: &str, values: &[&dyn Display]) -> String {
    values
        .iter()
        .enumerate()
        .fold(template.to_owned(), |text, (index, value)| text.replace(&format!("{{{index}}}"), &value.to_string()))
}

/// What a factor saw, in words: "缺课 12/40 天", "动摇生", "八年级".
pub fn factor_words(factor: &Factor, lang: Lang) -> String {
    let say = |text: ReasonText, values: &[&dyn Display]| fill(text.in_lang(lang), values);
    match factor {
        Factor::AbsenceRate { absent_days, school_days } => say(ReasonText::AbsenceRate, &[absent_days, school_days]),
        Factor::UnexcusedStreak { days } => say(ReasonText::UnexcusedStreak, &[days]),
        Factor::EarlyTermAbsences { absent_days, first_school_days } => {
            say(ReasonText::EarlyTermAbsences, &[absent_days, first_school_days])
        }
        Factor::Flag { flag } => FlagName(*flag).in_lang(lang).to_owned(),
        Factor::Grade { grade } => GradeName(*grade).in_lang(lang).to_owned(),
        Factor::OverAge { age_years, typical_age } => say(ReasonText::OverAge, &[age_years, typical_age]),
        Factor::EarlierDropouts { count } => say(ReasonText::EarlierDropouts, &[count]),
        Factor::TimeOut { days } => say(ReasonText::TimeOut, &[days]),
        Factor::SeveralReasons { count } => say(ReasonText::SeveralReasons, &[count]),
        Factor::HardReason { reason } => say(ReasonText::HardReason, &[&DropoutReasonName(*reason).in_lang(lang)]),
        Factor::FamilySupport { support } => {
            say(ReasonText::FamilySupport, &[&FamilySupportName(*support).in_lang(lang)])
        }
        Factor::FailedContacts { count } => say(ReasonText::FailedContacts, &[count]),
        Factor::Relapse { earlier_dropouts } => say(ReasonText::Relapse, &[earlier_dropouts]),
    }
}

/// A reason with its points: "缺课 12/40 天 +20".
pub fn reason_words(reason: &Reason, lang: Lang) -> String {
    format!("{} +{}", factor_words(&reason.factor, lang), reason.points)
}
