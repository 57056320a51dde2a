//! The 适龄儿童台账: every child of compulsory-school age in the catchment, on a roll or not.

use super::{counted_status, COMPULSORY_AGES};
use crate::age::age_on;
use crate::ids::{ClassId, ResidentId, SchoolId, StudentId};
use crate::org::Grade;
use crate::state::State;
use crate::status::Status;
use crate::student::{Gender, Student};
use crate::student_number::StudentNumber;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One child of the 适龄儿童台账.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgeAppropriateRow {
    pub resident: ResidentId,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub age: i32,
    pub village: String,
    pub roll: Roll,
}

/// Whether and where a resident child is on a roll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Roll {
    /// On the roll of `school` (this one or another of the state).
    OnRoll { student: StudentId, school: SchoolId, grade: Grade, class: ClassId, status: Status },
    /// Matched to a student who is on no roll now: dropped out, transferred out, graduated.
    OffRoll { student: StudentId, school: SchoolId, status: Status },
    /// Matched to no student: a suspected out-of-school child, to be checked door to door.
    Unmatched,
}

impl AgeAppropriateRow {
    /// On no roll without a lawful reason: unmatched, or matched to a dropout.
    pub fn suspected_out_of_school(&self) -> bool {
        match &self.roll {
            Roll::Unmatched => true,
            Roll::OffRoll { status, .. } => status.is_dropout(),
            Roll::OnRoll { .. } => false,
        }
    }
}

/// The 适龄儿童台账: each resident of the school's catchment aged [`COMPULSORY_AGES`] on
/// `today`, with whether and where they are on a roll. A resident is matched to a student by
/// the link the school made, or else by 身份证 number ("G" + the number as 学籍号). Where
/// several students carry the number (a child who moved between two schools of the state),
/// the one on a roll wins.
pub fn age_appropriate(state: &State, school: SchoolId, today: NaiveDate) -> Vec<AgeAppropriateRow> {
    let students = state.students();
    let mut by_number: BTreeMap<StudentNumber, Vec<&Student>> = BTreeMap::new();
    for student in &students {
        if let Some(number) = student.student_number.as_deref().and_then(|text| StudentNumber::parse(text).ok()) {
            by_number.entry(number).or_default().push(student);
        }
    }
    let by_id: BTreeMap<StudentId, &Student> = students.iter().map(|student| (student.id, student)).collect();
    let mut rows: Vec<AgeAppropriateRow> = state
        .residents
        .values()
        .map(|stamped| &stamped.value)
        .filter(|resident| resident.school == school)
        .filter_map(|resident| {
            let age = age_on(resident.birth_date, today);
            if !COMPULSORY_AGES.contains(&age) {
                return None;
            }
            let linked = resident.student.and_then(|id| by_id.get(&id).copied());
            let candidates: Vec<&Student> = match linked {
                Some(student) => vec![student],
                None => resident
                    .id_number
                    .as_deref()
                    .and_then(|text| StudentNumber::parse(text).ok())
                    .and_then(|number| by_number.get(&number).cloned())
                    .unwrap_or_default(),
            };
            let with_status: Vec<(&Student, Status)> =
                candidates.into_iter().map(|student| (student, counted_status(state, student, today))).collect();
            let chosen = with_status.iter().find(|(_, status)| status.on_roll()).or(with_status.first());
            let roll = match chosen {
                None => Roll::Unmatched,
                Some((student, status)) if status.on_roll() => Roll::OnRoll {
                    student: student.id,
                    school: student.school,
                    grade: student.grade,
                    class: student.class,
                    status: *status,
                },
                Some((student, status)) => {
                    Roll::OffRoll { student: student.id, school: student.school, status: *status }
                }
            };
            Some(AgeAppropriateRow {
                resident: resident.id,
                name: resident.name.clone(),
                gender: resident.gender,
                birth_date: resident.birth_date,
                age,
                village: resident.village.clone(),
                roll,
            })
        })
        .collect();
    crate::sorting::sort_by(&mut rows, |a, b| {
        (&a.village, &a.name, a.resident).cmp(&(&b.village, &b.name, b.resident))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_school::{day, id_number, TestSchool, OTHER_SCHOOL, SCHOOL};
    use std::collections::BTreeSet;

    fn row_of<'a>(rows: &'a [AgeAppropriateRow], name: &str) -> &'a AgeAppropriateRow {
        rows.iter().find(|row| row.name == name).unwrap()
    }

    #[test]
    fn the_age_appropriate_ledger_lists_residents_of_six_to_fifteen_and_where_they_are() {
        let mut school = TestSchool::new();
        let on_roll = school.enrol("张小明", Some(&format!("G{}", id_number("20130501", "123"))));
        let linked = school.enrol("李四", None);
        let dropped = school.enrol("赵六", None);
        school.status(dropped, "2026-10-09", Status::DroppedOut, "家访确认外出打工");
        school.resident_with_id(SCHOOL, "张小明", "2013-05-01", &id_number("20130501", "123").to_lowercase());
        school.resident(SCHOOL, "李四", "2013-05-01", Some(linked));
        school.resident(SCHOOL, "赵六", "2013-05-01", Some(dropped));
        school.resident_with_id(SCHOOL, "王五", "2012-02-03", &id_number("20120203", "456"));
        school.resident(SCHOOL, "刚满六岁", "2020-10-14", None);
        school.resident(SCHOOL, "五岁", "2020-10-15", None);
        school.resident(SCHOOL, "十五岁", "2010-10-15", None);
        school.resident(SCHOOL, "十六岁", "2010-10-14", None);
        school.resident(OTHER_SCHOOL, "别校", "2013-01-01", None);

        let rows = age_appropriate(&school.state, SCHOOL, day("2026-10-14"));
        let names: BTreeSet<&str> = rows.iter().map(|row| row.name.as_str()).collect();
        assert_eq!(names, BTreeSet::from(["张小明", "李四", "赵六", "王五", "刚满六岁", "十五岁"]));
        assert!(
            matches!(row_of(&rows, "张小明").roll, Roll::OnRoll { student, school: SCHOOL, status: Status::Enrolled, .. } if student == on_roll)
        );
        assert!(matches!(row_of(&rows, "李四").roll, Roll::OnRoll { student, .. } if student == linked));
        assert!(matches!(row_of(&rows, "赵六").roll, Roll::OffRoll { status: Status::DroppedOut, .. }));
        assert_eq!(row_of(&rows, "王五").roll, Roll::Unmatched);
        let suspected: BTreeSet<&str> =
            rows.iter().filter(|row| row.suspected_out_of_school()).map(|row| row.name.as_str()).collect();
        assert_eq!(suspected, BTreeSet::from(["赵六", "王五", "刚满六岁", "十五岁"]));
        assert_eq!(row_of(&rows, "刚满六岁").age, 6);
        assert_eq!(row_of(&rows, "十五岁").age, 15);
    }
}
