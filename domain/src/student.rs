//! A student's editable fields and their flags. Flags are dated events with evidence, not
//! booleans: "留守" means little without who said so, when, and on what grounds.

use crate::ids::{ClassId, RecordId, SchoolId, StudentId};
use crate::org::Grade;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

/// A student as the app shows it: the merged value of every field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Student {
    pub id: StudentId,
    pub school: SchoolId,
    /// 学籍号, kept as written once it parsed; `None` while the school has not got one.
    pub student_number: Option<String>,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub grade: Grade,
    pub class: ClassId,
    /// 村屯.
    pub village: String,
    pub address: String,
    pub guardian: String,
    pub guardian_phone: String,
    /// 身份证件号, the 18-character resident ID, kept as an [`crate::id_number::IdNumber`]
    /// writes it; `None` when not known. Shown on the child's page only, never on a list.
    /// Left out of the JSON when `None`, so a student without one serialises, and a mutation
    /// holding one hashes, exactly as before the field existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
}

/// One editable field of a student. Two teachers editing different fields of one child both
/// keep their edit: fields merge one by one, last writer wins per field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StudentField {
    StudentNumber(Option<String>),
    Name(String),
    Gender(Gender),
    BirthDate(NaiveDate),
    Grade(Grade),
    Class(ClassId),
    Village(String),
    Address(String),
    Guardian(String),
    GuardianPhone(String),
    IdNumber(Option<String>),
}

impl StudentField {
    /// Which field this is, to key last-writer-wins per field.
    pub fn key(&self) -> FieldKey {
        match self {
            StudentField::StudentNumber(_) => FieldKey::StudentNumber,
            StudentField::Name(_) => FieldKey::Name,
            StudentField::Gender(_) => FieldKey::Gender,
            StudentField::BirthDate(_) => FieldKey::BirthDate,
            StudentField::Grade(_) => FieldKey::Grade,
            StudentField::Class(_) => FieldKey::Class,
            StudentField::Village(_) => FieldKey::Village,
            StudentField::Address(_) => FieldKey::Address,
            StudentField::Guardian(_) => FieldKey::Guardian,
            StudentField::GuardianPhone(_) => FieldKey::GuardianPhone,
            StudentField::IdNumber(_) => FieldKey::IdNumber,
        }
    }

    /// Write this field's value into a student.
    pub fn write_to(&self, student: &mut Student) {
        match self.clone() {
            StudentField::StudentNumber(v) => student.student_number = v,
            StudentField::Name(v) => student.name = v,
            StudentField::Gender(v) => student.gender = v,
            StudentField::BirthDate(v) => student.birth_date = v,
            StudentField::Grade(v) => student.grade = v,
            StudentField::Class(v) => student.class = v,
            StudentField::Village(v) => student.village = v,
            StudentField::Address(v) => student.address = v,
            StudentField::Guardian(v) => student.guardian = v,
            StudentField::GuardianPhone(v) => student.guardian_phone = v,
            StudentField::IdNumber(v) => student.id_number = v,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FieldKey {
    StudentNumber,
    Name,
    Gender,
    BirthDate,
    Grade,
    Class,
    Village,
    Address,
    Guardian,
    GuardianPhone,
    /// Last, so the order of the keys before it is unchanged.
    IdNumber,
}

impl Student {
    /// The 村 and the address as one line, as a 家庭住址 is written on a paper.
    pub fn home(&self) -> String {
        [self.village.trim(), self.address.trim()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Every field of this student, as a create-or-replace writes them.
    pub fn fields(&self) -> Vec<StudentField> {
        vec![
            StudentField::StudentNumber(self.student_number.clone()),
            StudentField::Name(self.name.clone()),
            StudentField::Gender(self.gender),
            StudentField::BirthDate(self.birth_date),
            StudentField::Grade(self.grade),
            StudentField::Class(self.class),
            StudentField::Village(self.village.clone()),
            StudentField::Address(self.address.clone()),
            StudentField::Guardian(self.guardian.clone()),
            StudentField::GuardianPhone(self.guardian_phone.clone()),
            StudentField::IdNumber(self.id_number.clone()),
        ]
    }

    /// Whole years of age on `day`.
    pub fn age_on(&self, day: NaiveDate) -> i32 {
        crate::age::age_on(self.birth_date, day)
    }
}

/// The circumstances the seeds name as dropout risks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Flag {
    /// 留守儿童: parents work away.
    LeftBehind,
    /// 单亲.
    SingleParent,
    /// 家困/贫困, 建档立卡/脱贫户.
    FamilyHardship,
    /// 学困.
    LearningDifficulty,
    /// 偏科.
    LopsidedSubjects,
    /// 残疾.
    Disability,
    /// 动摇生: has said they want to leave or go to work.
    Wavering,
    /// 寄宿.
    Boarding,
    /// 孤儿: both parents dead, cared for by relatives or the state.
    Orphan,
    /// 进城务工人员随迁子女: moved with parents who work away from their 户籍 place.
    Migrant,
}

impl Flag {
    pub const ALL: [Flag; 10] = [
        Flag::LeftBehind,
        Flag::SingleParent,
        Flag::FamilyHardship,
        Flag::LearningDifficulty,
        Flag::LopsidedSubjects,
        Flag::Disability,
        Flag::Wavering,
        Flag::Boarding,
        Flag::Orphan,
        Flag::Migrant,
    ];
}

/// A flag set or cleared on a date, with the evidence. Append-only: clearing a flag is a new
/// event, so the history of who said what stays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagEvent {
    pub id: RecordId,
    pub student: StudentId,
    pub flag: Flag,
    pub set: bool,
    pub date: NaiveDate,
    pub evidence: String,
}

/// A flag that holds now, with the event that set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveFlag {
    pub flag: Flag,
    pub since: NaiveDate,
    pub evidence: String,
}

/// The flags that hold on `day`: for each flag, the latest event on or before `day` decides.
/// `events` may come in any order; ties on a date are broken by record id, which is a UUIDv7
/// and so follows creation order.
pub fn flags_on(events: &[FlagEvent], day: NaiveDate) -> Vec<ActiveFlag> {
    let mut latest: BTreeMap<Flag, &FlagEvent> = BTreeMap::new();
    for event in events.iter().filter(|event| event.date <= day) {
        let newer = latest.get(&event.flag).is_none_or(|held| (event.date, event.id) > (held.date, held.id));
        if newer {
            latest.insert(event.flag, event);
        }
    }
    latest
        .into_values()
        .filter(|event| event.set)
        .map(|event| ActiveFlag { flag: event.flag, since: event.date, evidence: event.evidence.clone() })
        .collect()
}
