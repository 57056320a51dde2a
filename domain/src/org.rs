//! The org tree: county > town > school > grade > class.

use crate::ids::{ClassId, CountyId, SchoolId, TownId};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct County {
    pub id: CountyId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Town {
    pub id: TownId,
    pub county: CountyId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub id: SchoolId,
    pub town: TownId,
    pub name: String,
    pub kind: SchoolKind,
}

/// Which grades a school teaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SchoolKind {
    /// 小学, grades 1–6.
    Primary,
    /// 初中, grades 7–9.
    Junior,
    /// 九年一贯制, grades 1–9.
    NineYear,
}

impl SchoolKind {
    pub fn teaches(self, grade: Grade) -> bool {
        match self {
            SchoolKind::Primary => grade.stage() == Stage::Primary,
            SchoolKind::Junior => grade.stage() == Stage::Junior,
            SchoolKind::NineYear => true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    pub id: ClassId,
    pub school: SchoolId,
    pub grade: Grade,
    /// As people write it: "2班", "七年级(2)班".
    pub name: String,
    /// The 班主任, by display name.
    pub head_teacher: String,
}

/// Primary (小学, grades 1–6) or junior secondary (初中, grades 7–9). Rates and dropout limits
/// are reported per stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    Primary,
    Junior,
}

/// A grade of compulsory school, 1 to 9. Made only through [`Grade::new`], so every `Grade` in
/// the program is in range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Grade(u8);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("grade {0} is outside compulsory school: a grade is 1 to 9")]
pub struct GradeOutOfRange(pub u8);

impl Grade {
    pub fn new(value: u8) -> Result<Self, GradeOutOfRange> {
        if (1..=9).contains(&value) {
            Ok(Grade(value))
        } else {
            Err(GradeOutOfRange(value))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn stage(self) -> Stage {
        if self.0 <= 6 {
            Stage::Primary
        } else {
            Stage::Junior
        }
    }

    /// The usual age on 1 September of the school year: grade 1 starts at 6.
    pub fn typical_age(self) -> u8 {
        self.0 + 5
    }
}

impl TryFrom<u8> for Grade {
    type Error = GradeOutOfRange;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Grade::new(value)
    }
}

impl From<Grade> for u8 {
    fn from(grade: Grade) -> u8 {
        grade.0
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_outside_one_to_nine_are_refused() {
        assert_eq!(Grade::new(0), Err(GradeOutOfRange(0)));
        assert_eq!(Grade::new(10), Err(GradeOutOfRange(10)));
        assert_eq!(Grade::new(6).unwrap().stage(), Stage::Primary);
        assert_eq!(Grade::new(7).unwrap().stage(), Stage::Junior);
        assert!(serde_json::from_str::<Grade>("12").is_err());
    }
}
