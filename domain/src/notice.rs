//! Legal notices: the 《限期复学通知书》 issued by the local government, and what follows.

use crate::ids::{CaseId, RecordId, StudentId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NoticeKind {
    /// 《限期复学通知书》: return to school by a deadline.
    ReturnByDeadline,
    /// 依法处理: police or judicial steps after a notice was ignored.
    LegalAction,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: RecordId,
    pub student: StudentId,
    pub case: CaseId,
    pub kind: NoticeKind,
    pub issued_on: NaiveDate,
    /// 发文单位: the township government, usually.
    pub issuer: String,
    pub deadline: Option<NaiveDate>,
    /// The document number, for the file.
    pub number: String,
}
