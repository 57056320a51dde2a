//! The cross-check (四查三比对) of a list of resident children against the rolls: each child of
//! the list is on a roll for certain (the same 身份证 number, or the 学籍号 "G" + it), perhaps
//! (only the same name and birth date: a person accepts or rejects it, as two children can share
//! both), or on none (possibly out of school). The list kept, with each child's match, is the
//! resident list: the denominator of the 巩固率 and the 适龄儿童台账.

use crate::ids::{RecordId, ResidentId, SchoolId, StudentId};
use crate::mutation::Change;
use crate::org::Class;
use crate::resident::Resident;
use crate::state::State;
use crate::status::{Status, StatusEvent};
use crate::student::{Gender, Student};
use crate::student_number::StudentNumber;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One child of the list, as the file gives them (the import module reads it, the app matches
/// it: the same type on both sides of that wire).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    /// The row number Excel shows.
    pub row: usize,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    /// 身份证件号, as written.
    pub id_number: Option<String>,
    pub village: String,
}

/// Where a listed child was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// The student with the child's ID number.
    OnRoll(StudentId),
    /// Students with the child's name and birth date but not (or not known to be) the ID: a
    /// person accepts one or rejects them.
    Uncertain(Vec<StudentId>),
    /// On no roll: possibly out of school, to be checked door to door.
    Missing,
}

/// The ID number as the key both a 学籍号 and an ID give ("G" + the number); `None` for no ID or
/// one that does not parse as such.
fn id_key(text: Option<&str>) -> Option<StudentNumber> {
    text.and_then(|text| StudentNumber::parse(text).ok())
}

/// Each listed child's match among the students of `state`, in the list's order.
pub fn cross_check(state: &State, listed: &[Listed]) -> Vec<Found> {
    let students = state.students();
    let mut by_id: BTreeMap<StudentNumber, StudentId> = BTreeMap::new();
    let mut by_person: BTreeMap<(&str, NaiveDate), Vec<StudentId>> = BTreeMap::new();
    for student in &students {
        for key in
            [student.student_number.as_deref(), student.id_number.as_deref()].into_iter().filter_map(|t| id_key(t))
        {
            by_id.entry(key).or_insert(student.id);
        }
        by_person.entry((student.name.trim(), student.birth_date)).or_default().push(student.id);
    }
    listed
        .iter()
        .map(|child| {
            if let Some(student) = id_key(child.id_number.as_deref()).and_then(|key| by_id.get(&key)) {
                return Found::OnRoll(*student);
            }
            match by_person.get(&(child.name.trim(), child.birth_date)) {
                Some(candidates) => Found::Uncertain(candidates.clone()),
                None => Found::Missing,
            }
        })
        .collect()
}

/// The resident list of `school` from `listed`, each child linked to the student decided for
/// them (`links`, in the list's order: the match found, the candidate accepted, or none). A child
/// already on the school's resident list (the same ID, or without one the same name and birth
/// date) keeps its record, so importing a list again updates it instead of counting a child
/// twice; `new_id` names the others.
pub fn residents_of(
    state: &State,
    school: SchoolId,
    listed: &[Listed],
    links: &[Option<StudentId>],
    mut new_id: impl FnMut() -> ResidentId,
) -> Vec<Resident> {
    let existing: Vec<&Resident> =
        state.residents.values().map(|stamped| &stamped.value).filter(|resident| resident.school == school).collect();
    let same = |resident: &Resident, child: &Listed| match (
        id_key(resident.id_number.as_deref()),
        id_key(child.id_number.as_deref()),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => resident.name.trim() == child.name.trim() && resident.birth_date == child.birth_date,
    };
    listed
        .iter()
        .zip(links.iter().chain(std::iter::repeat(&None)))
        .map(|(child, link)| Resident {
            id: existing.iter().find(|resident| same(resident, child)).map_or_else(&mut new_id, |resident| resident.id),
            school,
            name: child.name.trim().to_owned(),
            gender: child.gender,
            birth_date: child.birth_date,
            village: child.village.clone(),
            id_number: child.id_number.clone(),
            student: *link,
        })
        .collect()
}

/// The student `found` links a child to without a person's decision: a certain match.
pub fn certain_link(found: &Found) -> Option<StudentId> {
    match found {
        Found::OnRoll(student) => Some(*student),
        Found::Uncertain(_) | Found::Missing => None,
    }
}

/// What the evidence of the 疑似辍学 event says of a child put on the roll from the list. In
/// Chinese whatever the phone's language: it goes into the school's ledgers as it is.
pub const FROM_THE_LIST: &str = "户籍比对：在户籍名单上，不在任何学籍上，待上门核实";

/// The records that put a child of the list who is on no roll onto the school's roll, in
/// `class`, as a suspected dropout reported `today` (a new row of the 疑似辍学台账, to be checked
/// door to door and then confirmed or cleared), with the resident linked to the new student.
/// Until the check, the child counts in the 巩固率's denominator and not its numerator.
pub fn onto_suspected_ledger(
    resident: &Resident,
    class: &Class,
    today: NaiveDate,
    student: StudentId,
    event: RecordId,
) -> Vec<Change> {
    vec![
        Change::PutStudent(Student {
            id: student,
            school: class.school,
            student_number: None,
            name: resident.name.clone(),
            gender: resident.gender,
            birth_date: resident.birth_date,
            grade: class.grade,
            class: class.id,
            village: resident.village.clone(),
            address: String::new(),
            guardian: String::new(),
            guardian_phone: String::new(),
            id_number: resident.id_number.clone(),
        }),
        Change::RecordStatus(StatusEvent {
            id: event,
            student,
            date: today,
            status: Status::SuspectedDropout,
            evidence: FROM_THE_LIST.to_owned(),
        }),
        Change::PutResident(Resident { student: Some(student), ..resident.clone() }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::FigureInputs;
    use crate::ledger::{suspected_dropouts, SuspectedSource};
    use crate::test_school::{day, id_number, TestSchool, CLASS_7, SCHOOL};
    use crate::validate::validate_batch;

    fn listed(name: &str, birth: &str, id: Option<&str>) -> Listed {
        Listed {
            row: 0,
            name: name.into(),
            gender: Gender::Male,
            birth_date: day(birth),
            id_number: id.map(str::to_owned),
            village: "石门村".into(),
        }
    }

    #[test]
    fn exact_uncertain_and_missing_children_and_the_consolidation_rate() {
        let mut school = TestSchool::new();
        let id = id_number("20130501", "123");
        let with_id = school.enrol("张小明", Some(&format!("G{id}")));
        let without_id = school.enrol("李四", None);
        let birth_of_li = school.state.student(without_id).unwrap().birth_date.to_string();
        let list = vec![
            listed("张晓明", "2013-05-01", Some(&id)),
            listed("李四", &birth_of_li, None),
            listed("王五", "2013-02-03", None),
        ];
        let found = cross_check(&school.state, &list);
        assert_eq!(found, [Found::OnRoll(with_id), Found::Uncertain(vec![without_id]), Found::Missing]);

        // Before a list the rate has no denominator; the list as saved with the uncertain child
        // accepted: two of three on a roll; rejected: one of three.
        let today = day("2026-10-09");
        assert_eq!(
            school.inputs().consolidation(school.state.residents.values().map(|r| &r.value), today).denominator,
            0
        );
        let mut next = 0x9000_u128;
        let mut fresh = || {
            next += 1;
            ResidentId::from_u128(next)
        };
        let accepted = [certain_link(&found[0]), Some(without_id), None];
        let residents = residents_of(&school.state, SCHOOL, &list, &accepted, &mut fresh);
        let rate =
            |state: &State| FigureInputs::new(state).consolidation(state.residents.values().map(|r| &r.value), today);
        for resident in &residents {
            school.apply(Change::PutResident(resident.clone()));
        }
        assert_eq!((rate(&school.state).numerator, rate(&school.state).denominator), (2, 3));

        // The same list again, the uncertain child rejected this time: the same three records
        // (no child counted twice), now one of three.
        let again = residents_of(&school.state, SCHOOL, &list, &[certain_link(&found[0]), None, None], &mut fresh);
        assert_eq!(again.iter().map(|r| r.id).collect::<Vec<_>>(), residents.iter().map(|r| r.id).collect::<Vec<_>>());
        for resident in again {
            school.apply(Change::PutResident(resident));
        }
        assert_eq!(school.state.residents.len(), 3);
        assert_eq!((rate(&school.state).numerator, rate(&school.state).denominator), (1, 3));

        // 王五, on no roll, put on the suspected ledger in one tap: a new row there, and the
        // rate keeps him out of its numerator until he is checked; a list imported once more
        // finds him on the roll.
        let wang = school.state.residents.values().map(|r| r.value.clone()).find(|r| r.name == "王五").unwrap();
        let class = school.state.classes.get(&CLASS_7).unwrap().value.clone();
        let (student, event) = (StudentId::from_u128(0x7777), school.record_id());
        let changes = onto_suspected_ledger(&wang, &class, today, student, event);
        assert_eq!(validate_batch(&school.state, &changes, today), Ok(()));
        for change in changes {
            school.apply(change);
        }
        let ledger = suspected_dropouts(&school.state, SCHOOL, today);
        let row = ledger.iter().find(|row| row.student == student).expect("a new row of the suspected ledger");
        assert!(matches!(row.source, SuspectedSource::Reported { .. }));
        assert_eq!(row.raised_on, today);
        assert_eq!((rate(&school.state).numerator, rate(&school.state).denominator), (1, 3));
        assert_eq!(cross_check(&school.state, &list)[2], Found::Uncertain(vec![student]));
    }
}
