//! The JSON between the app and the import module. The app sends a [`Context`]; the module
//! answers an [`Outcome`].

use baoxue_domain::class_name::ClassKey;
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::{ClassId, DeviceId, MutationId, SchoolId};
use baoxue_domain::mutation::{Change, ContentHash, Mutation};
use baoxue_domain::state::State;
use serde::{Deserialize, Serialize};

/// What an import compares the file with: the phone's school and its records, written as the
/// changes that would make them. The module rebuilds a [`State`] from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    pub school: SchoolId,
    pub records: Vec<Change>,
    /// The phone's class: offered first as the place of a file's class, and the class the
    /// roster opens on when it receives children.
    #[serde(default)]
    pub class: Option<ClassId>,
    /// Where the teacher chose to put each class of the file; a class not named here goes to
    /// its default place.
    #[serde(default)]
    pub chosen: Vec<ClassChoice>,
}

/// Where the children of one class of the file go: `to` a class of the school, or `None` for a
/// new class named as the file's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassChoice {
    pub file_class: ClassKey,
    pub to: Option<ClassId>,
}

impl Context {
    /// The records an import looks at: schools, classes, the school's terms (a new child is
    /// 在读 from the start of the term holding the import day), students (of every school the
    /// phone holds, so a 学籍号 on another school's roll is caught), status and flag events, and
    /// the retractions of those events. Attendance, cases and the rest do not matter to it.
    pub fn of(state: &State, school: SchoolId) -> Context {
        let mut records = Vec::new();
        records.extend(state.schools.values().map(|stamped| Change::PutSchool(stamped.value.clone())));
        records.extend(state.classes.values().map(|stamped| Change::PutClass(stamped.value.clone())));
        records.extend(
            state
                .terms
                .iter()
                .filter(|((owner, _), _)| *owner == school)
                .map(|(_, stamped)| Change::SetTerm { school, term: stamped.value.clone() }),
        );
        records.extend(state.students().into_iter().map(Change::PutStudent));
        records.extend(state.status_events.values().map(|stamped| Change::RecordStatus(stamped.value.clone())));
        records.extend(state.flag_events.values().map(|stamped| Change::RecordFlag(stamped.value.clone())));
        let events = |record| state.status_events.contains_key(record) || state.flag_events.contains_key(record);
        records.extend(
            state
                .retracted
                .iter()
                .filter(|(record, _)| events(record))
                .map(|(record, reason)| Change::Retract { record: *record, reason: reason.value.clone() }),
        );
        Context { school, records, class: None, chosen: Vec::new() }
    }

    /// The context with the phone's class and the teacher's choices so far.
    pub fn placing(self, class: Option<ClassId>, chosen: Vec<ClassChoice>) -> Context {
        Context { class, chosen, ..self }
    }

    /// The state these records make. Each record is applied once, as a mutation of a made-up
    /// device: the stamps do not matter, since every record holds its current value.
    pub fn to_state(&self) -> State {
        let device = DeviceId::from_u128(0);
        let mutations: Vec<Mutation> = self
            .records
            .iter()
            .enumerate()
            .map(|(index, change)| Mutation {
                id: MutationId::from_u128(index as u128 + 1),
                device,
                seq: index as u64 + 1,
                author: String::new(),
                stamp: Hlc::zero(device),
                school: self.school,
                change: change.clone(),
                prev_hash: ContentHash::default(),
                base: None,
            })
            .collect();
        State::from_mutations(&mutations)
    }
}

/// A text in both languages, for a message the module words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    pub zh: String,
    pub en: String,
}

impl Said {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Said {
        Said { zh: zh.into(), en: en.into() }
    }
}

/// The preview, or why the file as a whole cannot be read (nothing to import then).
pub type Outcome = Result<Shown, Said>;

/// What an import would do, ready to show, and the changes to write once the teacher confirms.
/// The rows come worded, in both languages, so the app only lays them out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    /// Students the import adds: name, then class and 学籍号.
    pub new: Vec<Line>,
    /// Students whose record changes: name, then each field before and after, and new flags.
    pub updated: Vec<Line>,
    /// Rows that match a student exactly.
    pub unchanged: usize,
    /// Each row left out: its row number, then each problem with the column and the value.
    pub bad: Vec<Line>,
    /// Classes the import creates, by name.
    pub new_classes: Vec<String>,
    /// Each class of the file and where its children go, with the other places offered.
    #[serde(default)]
    pub classes: Vec<ClassShown>,
    /// The class the roster opens on after the import (`None` when no child is written).
    #[serde(default)]
    pub receiving: Option<ClassId>,
    /// Everything to write, in one transaction.
    pub changes: Vec<Change>,
}

/// One class of the file as the preview shows it: "七年级(2)班（3 人）", and the places its
/// children may go, the chosen one among them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassShown {
    pub file_class: ClassKey,
    pub head: Said,
    pub places: Vec<PlaceShown>,
    pub chosen: Option<ClassId>,
}

/// A place offered: a class of the school (`to`), or a new class (`to` is `None`), worded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceShown {
    pub to: Option<ClassId>,
    pub label: Said,
}

/// A list of resident children read (for the cross-check), or why the file as a whole cannot be.
pub type ResidentsOutcome = Result<ResidentsRead, Said>;

/// The children of the list that read cleanly, and the rows left out, worded as an import's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentsRead {
    pub listed: Vec<baoxue_domain::crosscheck::Listed>,
    pub bad: Vec<Line>,
}

/// One item of a list: a heading ("第 14 行", a name), the lines below it, one per `\n`, and
/// for a student the import writes, every field it writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub head: Said,
    pub body: Said,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldShown>,
}

/// One field of a student as the import will write it: its name and value, and, for a student
/// already on the roster whose field this import changes, `changed` (the value then reads
/// "before → after"). The ID number comes masked but for its last four characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldShown {
    pub name: Said,
    pub value: Said,
    pub changed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use baoxue_domain::calendar::Term;
    use baoxue_domain::ids::{ClassId, RecordId, StudentId};
    use baoxue_domain::org::{Class, Grade};
    use baoxue_domain::status::{Status, StatusEvent};
    use baoxue_domain::student::{Gender, Student};
    use chrono::NaiveDate;

    fn school() -> SchoolId {
        SchoolId::from_u128(1)
    }

    fn state_of(changes: Vec<Change>) -> State {
        Context { school: school(), records: changes, class: None, chosen: Vec::new() }.to_state()
    }

    #[test]
    fn context_rebuilds_the_students_classes_terms_and_events() {
        let class = Class {
            id: ClassId::from_u128(2),
            school: school(),
            grade: Grade::new(5).unwrap(),
            name: "五年级(1)班".into(),
            head_teacher: "李老师".into(),
        };
        let student = Student {
            id: StudentId::from_u128(3),
            school: school(),
            student_number: Some("G341221201602057665".into()),
            name: "刘思雪".into(),
            gender: Gender::Female,
            birth_date: NaiveDate::from_ymd_opt(2016, 2, 5).unwrap(),
            grade: Grade::new(5).unwrap(),
            class: class.id,
            village: "白庄村".into(),
            address: String::new(),
            guardian: "刘玉林".into(),
            guardian_phone: "15203502521".into(),
            id_number: None,
        };
        let event = StatusEvent {
            id: RecordId::from_u128(4),
            student: student.id,
            date: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            status: Status::Enrolled,
            evidence: String::new(),
        };
        let retracted = StatusEvent { id: RecordId::from_u128(5), ..event.clone() };
        let term = Term {
            name: "2026年秋季学期".into(),
            start: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2027, 1, 20).unwrap(),
        };
        let phone = state_of(vec![
            Change::SetTerm { school: school(), term: term.clone() },
            Change::PutClass(class.clone()),
            Change::PutStudent(student.clone()),
            Change::RecordStatus(event.clone()),
            Change::RecordStatus(retracted.clone()),
            Change::Retract { record: retracted.id, reason: "entered twice".into() },
        ]);

        let context = Context::of(&phone, school());
        let json = serde_json::to_string(&context).unwrap();
        let rebuilt = serde_json::from_str::<Context>(&json).unwrap().to_state();

        assert_eq!(rebuilt.students(), vec![student.clone()]);
        assert_eq!(rebuilt.classes.get(&class.id).map(|stamped| &stamped.value), Some(&class));
        assert_eq!(rebuilt.timeline(student.id), phone.timeline(student.id));
        assert_eq!(rebuilt.calendar(school()).terms, vec![term]);
        assert!(rebuilt.is_retracted(retracted.id));
    }
}
