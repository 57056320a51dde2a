//! The contact log (家访登记表): every visit and call of a case, append-only.

use crate::ids::{CaseId, RecordId, StudentId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ContactMethod {
    /// 家访: counts towards the home-visit quota.
    HomeVisit,
    Phone,
    /// 微信 or other messages.
    Message,
    /// At school: the parent came in.
    AtSchool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: RecordId,
    pub student: StudentId,
    /// The case this contact belongs to; a visit to a wavering child has none.
    pub case: Option<CaseId>,
    pub date: NaiveDate,
    pub method: ContactMethod,
    /// Who went: the head teacher first.
    pub visitors: Vec<String>,
    /// Whom they met: "父亲", "祖母".
    pub met: String,
    pub said: String,
    pub outcome: String,
    pub next_step: String,
    pub next_date: Option<NaiveDate>,
}
