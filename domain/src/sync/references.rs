//! The records a change names, and the one it creates: what the server checks so that a mark,
//! a case or a placement of a child or class it does not hold for the school is never stored
//! (`batch::check_batch`). The phone's own validation (`validate`) refuses the same changes
//! against its state, with the teacher's words (`UnknownStudent`, `UnknownClass`,
//! `UnknownCase`); a test below holds the two lists together.
//!
//! Only students, classes and cases: they are what the figures count and the papers print. A
//! retraction naming a record of another school, or one that does not exist, retracts nothing
//! anywhere (each phone holds only its school), so the server does not index every mark.

use crate::ids::{CaseId, ClassId, StudentId};
use crate::mutation::Change;
use crate::student::StudentField;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A record of the school that a change can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RecordRef {
    Student(StudentId),
    Class(ClassId),
    Case(CaseId),
}

impl RecordRef {
    /// The record as the server's storage keeps it in one text column (`mutations.defines`):
    /// `student:<uuid>`, `class:<uuid>` or `case:<uuid>`. The migration that filled the column
    /// for mutations stored before it (`0006_record_index.sql`) writes the same form.
    pub fn key(&self) -> String {
        match self {
            RecordRef::Student(id) => format!("student:{id}"),
            RecordRef::Class(id) => format!("class:{id}"),
            RecordRef::Case(id) => format!("case:{id}"),
        }
    }

    /// Reads back what `key` wrote.
    pub fn from_key(key: &str) -> Option<RecordRef> {
        let (kind, id) = key.split_once(':')?;
        match kind {
            "student" => id.parse().ok().map(RecordRef::Student),
            "class" => id.parse().ok().map(RecordRef::Class),
            "case" => id.parse().ok().map(RecordRef::Case),
            _ => None,
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordRef::Student(id) => write!(f, "student {id}"),
            RecordRef::Class(id) => write!(f, "class {id}"),
            RecordRef::Case(id) => write!(f, "case {id}"),
        }
    }
}

impl Change {
    /// The record this change creates or replaces whole, which later changes may name.
    pub fn defines(&self) -> Option<RecordRef> {
        match self {
            Change::PutStudent(student) => Some(RecordRef::Student(student.id)),
            Change::PutClass(class) => Some(RecordRef::Class(class.id)),
            Change::OpenCase(case) => Some(RecordRef::Case(case.id)),
            _ => None,
        }
    }

    /// The records this change names, which must exist at the school before it.
    pub fn names(&self) -> Vec<RecordRef> {
        use RecordRef::{Case, Class, Student};
        match self {
            Change::PutStudent(student) => vec![Class(student.class)],
            Change::EditStudent { student, field } => match field {
                StudentField::Class(class) => vec![Student(*student), Class(*class)],
                _ => vec![Student(*student)],
            },
            Change::OpenCase(case) => vec![Student(case.student)],
            Change::EditCase { case, .. } => vec![Case(*case)],
            Change::PutResident(resident) => resident.student.map(Student).into_iter().collect(),
            Change::Mark(mark) => vec![Student(mark.student)],
            Change::RecordDay(day) => vec![Class(day.class)],
            Change::RecordStatus(event) => vec![Student(event.student)],
            Change::RecordFlag(flag) => vec![Student(flag.student)],
            Change::RecordInvestigation(row) => vec![Student(row.student)],
            Change::LogContact(contact) => {
                let mut named = vec![Student(contact.student)];
                named.extend(contact.case.map(Case));
                named
            }
            Change::IssueNotice(notice) => vec![Student(notice.student), Case(notice.case)],
            Change::RecordPlacement(placement) => {
                vec![Student(placement.student), Case(placement.case), Class(placement.class)]
            }
            Change::RecordFollowUp(follow_up) => vec![Student(follow_up.student), Case(follow_up.case)],
            Change::PutCounty(_)
            | Change::PutTown(_)
            | Change::PutSchool(_)
            | Change::PutClass(_)
            | Change::SetTerm { .. }
            | Change::SetDay { .. }
            | Change::SetRules { .. }
            | Change::RecordSurvey(_)
            | Change::Retract { .. } => Vec::new(),
        }
    }
}

/// Puts each change that creates a record before the changes of the same write that name it,
/// keeping the order otherwise. The phone validates a write against the state once all of it is
/// written (`validate_batch`), so a student may come before the new class it is in; but the
/// server takes a phone's changes in chain order and holds back one naming a record not yet
/// created (`batch::check_batch`), which would stop the phone's queue for good at that student.
/// Only creating changes move, and only forward past the ones naming them.
pub fn creation_order<T>(write: &mut Vec<T>, change: impl Fn(&T) -> &Change) {
    let mut index = 0;
    // Each move puts a creating change before one that names it; none names what names it, so
    // this ends, but a bound keeps a future cycle from looping.
    let mut moves_left = write.len() * write.len();
    while index < write.len() {
        let named = change(&write[index]).names();
        let creator = (index + 1..write.len())
            .find(|&later| change(&write[later]).defines().is_some_and(|created| named.contains(&created)));
        match creator {
            Some(later) if moves_left > 0 => {
                let moved = write.remove(later);
                write.insert(index, moved);
                moves_left -= 1;
            }
            _ => index += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::case::{CaseField, CaseStatus};
    use crate::follow_up::{FollowUp, Placement};
    use crate::notice::{Notice, NoticeKind};
    use crate::state::State;
    use crate::status::Status;
    use crate::student::Flag;
    use crate::test_school::{day, TestSchool, CLASS_1, CLASS_7, SCHOOL};
    use crate::validate::{validate, ValidationError};

    #[test]
    fn a_key_reads_back() {
        for record in [
            RecordRef::Student(StudentId::from_u128(1)),
            RecordRef::Class(ClassId::from_u128(2)),
            RecordRef::Case(CaseId::from_u128(3)),
        ] {
            assert_eq!(RecordRef::from_key(&record.key()), Some(record));
        }
        assert_eq!(RecordRef::from_key("student:1"), None);
        assert_eq!(RecordRef::from_key("mark:00000000-0000-0000-0000-000000000001"), None);
    }

    #[test]
    fn a_record_is_created_before_the_changes_naming_it() {
        let mut school = TestSchool::new();
        let mut student = school.seventh_grader("张小明", None);
        let class = crate::org::Class {
            id: ClassId::from_u128(0xc9),
            school: SCHOOL,
            grade: student.grade,
            name: "七年级(9)班".into(),
            head_teacher: "王老师".into(),
        };
        student.class = class.id;
        let mark = school.record_id();
        let mark = Change::Mark(crate::attendance::AttendanceMark {
            id: mark,
            student: student.id,
            day: day("2026-09-02"),
            half: None,
            kind: MarkKind::Late,
        });
        let term = Change::SetTerm {
            school: SCHOOL,
            term: crate::calendar::Term { name: "秋".into(), start: day("2026-09-01"), end: day("2027-01-20") },
        };
        let mut write =
            vec![term.clone(), mark.clone(), Change::PutStudent(student.clone()), Change::PutClass(class.clone())];
        creation_order(&mut write, |change| change);
        assert_eq!(write, vec![term, Change::PutClass(class), Change::PutStudent(student), mark]);
        // An order that is right already stays as it is.
        let before = write.clone();
        creation_order(&mut write, |change| change);
        assert_eq!(write, before);
    }

    #[test]
    fn it_travels_as_tagged_json() {
        let json = serde_json::to_string(&RecordRef::Case(CaseId::from_u128(3))).unwrap();
        assert_eq!(json, r#"{"kind":"case","id":"00000000-0000-0000-0000-000000000003"}"#);
    }

    /// A school where a child went through every kind of record that names another.
    fn school_with_every_kind() -> TestSchool {
        let mut school = TestSchool::new();
        let student = school.student(CLASS_7);
        school.mark(student, "2026-09-02", MarkKind::Unexcused);
        school.record_days(SCHOOL, CLASS_7, "2026-09-02", "2026-09-02");
        school.flag(student, Flag::LeftBehind, "2026-09-03");
        school.status(student, "2026-09-04", Status::SuspectedDropout, "家访确认");
        school.investigate(student, "2026-09-04", &[crate::investigation::DropoutReason::LearningDifficulty]);
        school.contact(student, "2026-09-05", crate::contact::ContactMethod::HomeVisit);
        let case = school.open_case(student);
        school.apply(Change::EditCase { case, field: CaseField::Status(CaseStatus::Returned) });
        school.apply(Change::EditStudent { student, field: StudentField::Class(CLASS_7) });
        let id = school.record_id();
        school.apply(Change::IssueNotice(Notice {
            id,
            student,
            case,
            kind: NoticeKind::ReturnByDeadline,
            issued_on: day("2026-09-07"),
            issuer: "李校长".into(),
            deadline: Some(day("2026-09-21")),
            number: "2026-001".into(),
        }));
        let id = school.record_id();
        school.apply(Change::RecordPlacement(Placement {
            id,
            student,
            case,
            returned_on: day("2026-09-14"),
            class: CLASS_7,
            catch_up_plan: "补课".into(),
        }));
        let id = school.record_id();
        school.apply(Change::RecordFollowUp(FollowUp {
            id,
            student,
            case,
            date: day("2026-09-21"),
            attending: true,
            note: String::new(),
        }));
        school.resident(SCHOOL, "张小明", "2013-03-01", Some(student));
        school.student(CLASS_1);
        school
    }

    /// The records the server asks for are the ones the phone's validation finds unknown: every
    /// change of a school where each kind of record was made passes validation against the
    /// school as it was, and against the school without one record the change names, reports
    /// exactly that record unknown.
    #[test]
    fn the_server_asks_for_what_the_phones_validation_names() {
        let school = school_with_every_kind();
        let today = day("2026-09-30");
        let unknown_in = |state: &State, change: &Change| -> Vec<RecordRef> {
            let mut found: Vec<RecordRef> = validate(state, change, today)
                .err()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|error| match error {
                    ValidationError::UnknownStudent { student, .. } => Some(RecordRef::Student(student)),
                    ValidationError::UnknownClass { class, .. } | ValidationError::UnknownClassOfDay { class, .. } => {
                        Some(RecordRef::Class(class))
                    }
                    ValidationError::UnknownCase { case, .. } | ValidationError::UnknownCaseEdited { case } => {
                        Some(RecordRef::Case(case))
                    }
                    _ => None,
                })
                .collect();
            found.sort();
            found.dedup();
            found
        };
        let mut naming = 0;
        for mutation in &school.mutations {
            let change = &mutation.change;
            let before: Vec<_> = school.mutations.iter().take_while(|other| other.id != mutation.id).collect();
            assert!(unknown_in(&State::from_mutations(before.iter().copied()), change).is_empty(), "{change:?}");
            let named = change.names();
            if named.is_empty() {
                continue;
            }
            naming += 1;
            for record in named {
                let without: Vec<_> =
                    before.iter().copied().filter(|other| other.change.defines() != Some(record)).collect();
                let unknown = unknown_in(&State::from_mutations(without), change);
                assert_eq!(unknown, vec![record], "{change:?} without {record}");
            }
        }
        assert!(naming >= 14, "every kind of change that names a record was checked, {naming} were");
    }
}
