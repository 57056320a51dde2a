//! Return and follow-up (复学安置, 跟踪管理): where a returned child was placed, and the checks
//! after.

use crate::ids::{CaseId, ClassId, RecordId, StudentId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub id: RecordId,
    pub student: StudentId,
    pub case: CaseId,
    pub returned_on: NaiveDate,
    pub class: ClassId,
    /// 补课 and support planned for the first weeks.
    pub catch_up_plan: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: RecordId,
    pub student: StudentId,
    pub case: CaseId,
    pub date: NaiveDate,
    /// Still attending as planned.
    pub attending: bool,
    pub note: String,
}

/// The checks after a return: one week, one month, then each term (roughly 20 weeks). The
/// defaults of `Timers::follow_up_*`; the schedule itself is `follow_up_schedule::checks`.
pub const FOLLOW_UP_AFTER_DAYS: [u64; 3] = [7, 30, 140];
