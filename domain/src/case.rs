//! The persuasion-to-return case (劝返复学方案): one plan per child (一人一案).

use crate::ids::{CaseId, StudentId};
use crate::risk::Level;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the plan will do. Several apply to most cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// 家访.
    HomeVisit,
    /// 电话.
    Phone,
    /// 心理疏导.
    Counselling,
    /// 帮扶 of another kind (cases written before the kinds below were offered say only this).
    Aid,
    /// 依法劝返: the 《限期复学通知书》 and, if ignored, police or judicial steps.
    Legal,
    /// 帮扶: fees waived (减免费用).
    FeeWaiver,
    /// 帮扶: a living subsidy (生活补助、资助).
    Subsidy,
    /// 帮扶: tutoring to catch up (补课、学业帮扶).
    Tutoring,
    /// 帮扶: a boarding place (安排寄宿).
    Boarding,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CaseStatus {
    Open,
    /// The child is back; follow-up runs.
    Returned,
    /// Closed without return, for a lawful reason recorded in the status events.
    Closed,
    /// 已上报乡镇: escalated to the town, which takes the legal route (the 《限期复学通知书》
    /// and what follows). Set by hand; `escalation::case_standing` also counts an open case as
    /// escalated once its notice's deadline has passed with the child still out.
    Escalated,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] =
        [CaseStatus::Open, CaseStatus::Returned, CaseStatus::Closed, CaseStatus::Escalated];
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub student: StudentId,
    /// 劝返责任人: usually the head teacher, a school leader and a village cadre.
    pub responsible: Vec<String>,
    /// The action plan's 高/中/低, as set by the school (the computed one is a suggestion).
    pub difficulty: Level,
    /// Why the school set a difficulty other than the one the records suggest. Empty (and left
    /// out of the JSON, so older cases keep their bytes) when it followed the suggestion.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub difficulty_note: String,
    pub measures: Vec<Measure>,
    pub deadline: NaiveDate,
    pub status: CaseStatus,
    pub outcome: String,
    /// The day the child was found out of school (the 排查台账's date): no visit of the case is
    /// dated before it. `None` in cases written before the field existed; skipped when `None`
    /// so that their stored bytes, and so their chain hashes, stay what they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_on: Option<NaiveDate>,
    /// The day the case was opened (the dropout confirmed): no return is dated before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_on: Option<NaiveDate>,
}

/// One editable field of a case; fields merge one by one, last writer wins per field, and
/// concurrent edits of status or outcome are kept for a person to resolve (the sync issue).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseField {
    Responsible(Vec<String>),
    Difficulty(Level),
    Measures(Vec<Measure>),
    Deadline(NaiveDate),
    Status(CaseStatus),
    Outcome(String),
    DifficultyNote(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CaseFieldKey {
    Responsible,
    Difficulty,
    Measures,
    Deadline,
    Status,
    Outcome,
    /// Last: `State::case` reads a case's fields as the range from the first key to this one.
    DifficultyNote,
}

impl CaseField {
    pub fn key(&self) -> CaseFieldKey {
        match self {
            CaseField::Responsible(_) => CaseFieldKey::Responsible,
            CaseField::Difficulty(_) => CaseFieldKey::Difficulty,
            CaseField::Measures(_) => CaseFieldKey::Measures,
            CaseField::Deadline(_) => CaseFieldKey::Deadline,
            CaseField::Status(_) => CaseFieldKey::Status,
            CaseField::Outcome(_) => CaseFieldKey::Outcome,
            CaseField::DifficultyNote(_) => CaseFieldKey::DifficultyNote,
        }
    }

    pub fn write_to(&self, case: &mut Case) {
        match self.clone() {
            CaseField::Responsible(v) => case.responsible = v,
            CaseField::Difficulty(v) => case.difficulty = v,
            CaseField::Measures(v) => case.measures = v,
            CaseField::Deadline(v) => case.deadline = v,
            CaseField::Status(v) => case.status = v,
            CaseField::Outcome(v) => case.outcome = v,
            CaseField::DifficultyNote(v) => case.difficulty_note = v,
        }
    }
}

impl Case {
    pub fn fields(&self) -> Vec<CaseField> {
        vec![
            CaseField::Responsible(self.responsible.clone()),
            CaseField::Difficulty(self.difficulty),
            CaseField::Measures(self.measures.clone()),
            CaseField::Deadline(self.deadline),
            CaseField::Status(self.status),
            CaseField::Outcome(self.outcome.clone()),
            CaseField::DifficultyNote(self.difficulty_note.clone()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case written before `found_on` and `opened_on` existed reads back, and writes out again
    /// byte for byte, so its mutation's chain hash still holds.
    #[test]
    fn an_old_case_keeps_its_bytes() {
        const BEFORE: &str = r#"{"id":"0190a3c4-0000-7000-8000-000000000001","student":"0190a3c4-0000-7000-8000-000000000002","responsible":["王老师"],"difficulty":"Medium","measures":["HomeVisit"],"deadline":"2026-11-30","status":"Open","outcome":""}"#;
        let case: Case = serde_json::from_str(BEFORE).unwrap();
        assert_eq!((case.found_on, case.opened_on), (None, None));
        assert_eq!(serde_json::to_string(&case).unwrap(), BEFORE);
        let dated = Case { opened_on: NaiveDate::from_ymd_opt(2026, 10, 12), ..case };
        assert!(serde_json::to_string(&dated).unwrap().ends_with(r#""outcome":"","opened_on":"2026-10-12"}"#));
    }
}
