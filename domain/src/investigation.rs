//! The investigation ledger (排查台账): one row per found or suspected dropout, with the reasons.

use crate::ids::{RecordId, StudentId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a child left, as the seeds list them. Several can apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DropoutReason {
    /// 家庭经济困难.
    FamilyHardship,
    /// 学习困难.
    LearningDifficulty,
    /// 厌学.
    DislikesSchool,
    /// 家庭变故.
    FamilyUpheaval,
    /// 早婚早育.
    EarlyMarriage,
    /// 外出打工.
    LeftToWork,
    /// 疾病或残疾.
    IllnessOrDisability,
    /// 其他.
    Other,
}

impl DropoutReason {
    pub const ALL: [DropoutReason; 8] = [
        DropoutReason::FamilyHardship,
        DropoutReason::LearningDifficulty,
        DropoutReason::DislikesSchool,
        DropoutReason::FamilyUpheaval,
        DropoutReason::EarlyMarriage,
        DropoutReason::LeftToWork,
        DropoutReason::IllnessOrDisability,
        DropoutReason::Other,
    ];
}

/// One row of the 排查台账. Name, gender, age, grade, 学籍号 and address come from the student
/// record when the ledger is printed, so they cannot disagree with the roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Investigation {
    pub id: RecordId,
    pub student: StudentId,
    pub found_on: NaiveDate,
    pub reasons: Vec<DropoutReason>,
    /// 排查责任人.
    pub investigator: String,
    pub note: String,
}
