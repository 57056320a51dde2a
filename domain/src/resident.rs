//! The resident list (户籍): every age-appropriate child living in the area, on a roll or not.
//! It is the denominator of the consolidation rate and the 适龄儿童台账.

use crate::ids::{ResidentId, SchoolId, StudentId};
use crate::student::Gender;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    pub id: ResidentId,
    /// The school whose catchment (服务区) the child lives in: its 适龄儿童台账 lists the child.
    pub school: SchoolId,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub village: String,
    /// 身份证件号 when the list has it; it matches a 学籍号 "G" + this number.
    pub id_number: Option<String>,
    /// The student this child was matched to, if any; unmatched children are suspected
    /// out-of-school children.
    pub student: Option<StudentId>,
}
