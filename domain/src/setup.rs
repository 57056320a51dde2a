//! A phone's first run: the school, class and term its head teacher works in. A phone that joined
//! a school on the server already holds what other phones made, so it reuses those records and
//! makes only what is missing; a phone on its own makes them all.

use crate::calendar::{Term, TermDates};
use crate::ids::{ClassId, CountyId, SchoolId, TownId};
use crate::mutation::Change;
use crate::org::{Class, County, Grade, School, SchoolKind, Town};
use crate::state::State;

/// What the first-run form says, read from its fields by the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupForm {
    pub county: String,
    pub town: String,
    pub school: String,
    pub kind: SchoolKind,
    pub grade: Grade,
    /// As people write it: "2班", "七年级(2)班".
    pub class: String,
    /// The 班主任 who sets up the phone.
    pub head_teacher: String,
    pub term: TermDates,
}

/// Ids for the records the form may make. The domain has no random source, so the app makes
/// them; those of records that already exist go unused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FreshIds {
    pub county: CountyId,
    pub town: TownId,
    pub class: ClassId,
}

/// The phone's class, and the changes that make whatever of its school, class and term was
/// missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassSetup {
    pub class: ClassId,
    pub changes: Vec<Change>,
}

/// Finds or makes the records of `form` in `school`: the county, town and school unless the state
/// holds the school (a phone that joined it), the class unless the school has one of the same
/// grade and name, and the term unless the school has one. An existing term is kept rather than
/// overwritten, because the school set it and other phones count school days by it.
pub fn find_or_make(state: &State, school: SchoolId, form: SetupForm, fresh: FreshIds) -> ClassSetup {
    let SetupForm { county, town, school: school_name, kind, grade, class: class_name, head_teacher, term } = form;
    let known_class = state
        .classes
        .values()
        .map(|class| &class.value)
        .find(|class| class.school == school && class.grade == grade && class.name == class_name)
        .map(|class| class.id);
    let mut changes = Vec::new();
    if !state.schools.contains_key(&school) {
        changes.push(Change::PutCounty(County { id: fresh.county, name: county }));
        changes.push(Change::PutTown(Town { id: fresh.town, county: fresh.county, name: town }));
        changes.push(Change::PutSchool(School { id: school, town: fresh.town, name: school_name, kind }));
    }
    let class = match known_class {
        Some(class) => class,
        None => {
            changes.push(Change::PutClass(Class { id: fresh.class, school, grade, name: class_name, head_teacher }));
            fresh.class
        }
    };
    if !state.terms.keys().any(|(term_school, _)| *term_school == school) {
        let TermDates { start, end } = term;
        changes.push(Change::SetTerm { school, term: Term { name: format!("{start}-{end}"), start, end } });
    }
    ClassSetup { class, changes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};

    fn form(class: &str) -> SetupForm {
        SetupForm {
            county: "某县".into(),
            town: "某镇".into(),
            school: "某镇中心校".into(),
            kind: SchoolKind::NineYear,
            grade: Grade::new(7).unwrap(),
            class: class.into(),
            head_teacher: "李老师".into(),
            term: TermDates { start: day("2027-02-24"), end: day("2027-07-05") },
        }
    }

    fn fresh() -> FreshIds {
        FreshIds { county: CountyId::from_u128(0xa1), town: TownId::from_u128(0xa2), class: ClassId::from_u128(0xa3) }
    }

    #[test]
    fn a_new_school_makes_the_county_town_school_class_and_term() {
        let school = SchoolId::from_u128(0xa0);
        let setup = find_or_make(&State::default(), school, form("2班"), fresh());
        assert_eq!(setup.class, fresh().class);
        assert_eq!(
            setup.changes,
            vec![
                Change::PutCounty(County { id: fresh().county, name: "某县".into() }),
                Change::PutTown(Town { id: fresh().town, county: fresh().county, name: "某镇".into() }),
                Change::PutSchool(School {
                    id: school,
                    town: fresh().town,
                    name: "某镇中心校".into(),
                    kind: SchoolKind::NineYear,
                }),
                Change::PutClass(Class {
                    id: fresh().class,
                    school,
                    grade: Grade::new(7).unwrap(),
                    name: "2班".into(),
                    head_teacher: "李老师".into(),
                }),
                Change::SetTerm {
                    school,
                    term: Term {
                        name: "2027-02-24-2027-07-05".into(),
                        start: day("2027-02-24"),
                        end: day("2027-07-05")
                    },
                },
            ]
        );
    }

    #[test]
    fn a_joined_school_whose_class_exists_reuses_it_and_makes_nothing_twice() {
        // The test school holds 七年级(2)班 and its autumn term, as a joined phone would.
        let school = TestSchool::new();
        let setup = find_or_make(&school.state, SCHOOL, form("七年级(2)班"), fresh());
        assert_eq!(setup, ClassSetup { class: CLASS_7, changes: vec![] });
    }

    #[test]
    fn a_joined_school_gets_a_new_class_but_keeps_its_term() {
        let school = TestSchool::new();
        let setup = find_or_make(&school.state, SCHOOL, form("七年级(3)班"), fresh());
        assert_eq!(setup.class, fresh().class);
        // Only the class: the school's own term (2026-09-01 to 2027-01-20) is not overwritten
        // by the dates on the form.
        assert_eq!(
            setup.changes,
            vec![Change::PutClass(Class {
                id: fresh().class,
                school: SCHOOL,
                grade: Grade::new(7).unwrap(),
                name: "七年级(3)班".into(),
                head_teacher: "李老师".into(),
            })]
        );
    }

    #[test]
    fn a_class_of_the_same_name_in_another_grade_is_another_class() {
        let school = TestSchool::new();
        let setup = find_or_make(
            &school.state,
            SCHOOL,
            SetupForm { grade: Grade::new(8).unwrap(), ..form("七年级(2)班") },
            fresh(),
        );
        assert_eq!(setup.class, fresh().class);
    }
}
