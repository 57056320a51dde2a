//! Satisfaction surveys (学生/家长满意度) before and after a campaign, scored 1 to 5.

use crate::ids::{RecordId, SchoolId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Respondent {
    Student,
    Parent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SurveyRound {
    BeforeCampaign,
    AfterCampaign,
}

/// One anonymous answer: surveys name no child.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswer {
    pub id: RecordId,
    pub school: SchoolId,
    pub round: SurveyRound,
    pub respondent: Respondent,
    pub date: NaiveDate,
    /// 1 (very unsatisfied) to 5 (very satisfied), one per question.
    pub scores: Vec<u8>,
}
