//! A phone's first run: the school, class and term its head teacher works in. A phone that joined
//! a school on the server already holds what other phones made, so it reuses those records and
//! makes only what is missing; a phone on its own makes them all.

use crate::calendar::TermDates;
use crate::class_name::ClassKey;
use crate::ids::{ClassId, CountyId, SchoolId, TownId};
use crate::mutation::Change;
use crate::org::{Class, County, School, SchoolKind, Town};
use crate::state::State;

/// What the first-run form says, read from its fields by the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupForm {
    pub county: String,
    pub town: String,
    pub school: String,
    pub kind: SchoolKind,
    /// The class, grade and number: the form asks the grade once and reads the class name
    /// typed beside it by `class_name::class_of_grade` ("2" is 七年级(2)班 in grade 7).
    pub class: ClassKey,
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
/// holds the school (a phone that joined it), the class unless the school has one whose name
/// reads as the same class ("七年级2班" is 七年级(2)班), and the term unless the school has one. An existing term is kept rather than
/// overwritten, because the school set it and other phones count school days by it.
pub fn find_or_make(state: &State, school: SchoolId, form: SetupForm, fresh: FreshIds) -> ClassSetup {
    let SetupForm { county, town, school: school_name, kind, class: key, head_teacher, term } = form;
    let mut known: Vec<&Class> = state
        .classes
        .values()
        .map(|class| &class.value)
        .filter(|class| class.school == school && ClassKey::of_class(class) == Some(key))
        .collect();
    // Of two classes of one name (made by hand before names were checked), the first by id,
    // as the import picks it.
    known.sort_by_key(|class| class.id);
    let known_class = known.first().map(|class| class.id);
    let mut changes = Vec::new();
    if !state.schools.contains_key(&school) {
        changes.push(Change::PutCounty(County { id: fresh.county, name: county }));
        changes.push(Change::PutTown(Town { id: fresh.town, county: fresh.county, name: town }));
        changes.push(Change::PutSchool(School { id: school, town: fresh.town, name: school_name, kind }));
    }
    let class = match known_class {
        Some(class) => class,
        None => {
            let (grade, name) = (key.grade, key.name());
            changes.push(Change::PutClass(Class { id: fresh.class, school, grade, name, head_teacher }));
            fresh.class
        }
    };
    if !state.terms.keys().any(|(term_school, _)| *term_school == school) {
        changes.push(Change::SetTerm { school, term: term.new_term() });
    }
    ClassSetup { class, changes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Term;
    use crate::class_name::class_of_grade;
    use crate::org::Grade;
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};

    fn form(class: &str) -> SetupForm {
        form_of(7, class)
    }

    fn form_of(grade: u8, class: &str) -> SetupForm {
        SetupForm {
            county: "某县".into(),
            town: "某镇".into(),
            school: "某镇中心校".into(),
            kind: SchoolKind::NineYear,
            class: class_of_grade(Grade::new(grade).unwrap(), class).unwrap(),
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
                    name: "七年级(2)班".into(),
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
    fn the_same_number_in_another_grade_is_another_class() {
        let school = TestSchool::new();
        let setup = find_or_make(&school.state, SCHOOL, form_of(8, "2"), fresh());
        assert_eq!(setup.class, fresh().class);
    }

    #[test]
    fn a_class_number_typed_beside_the_grade_finds_the_class_other_phones_made() {
        // The school's 七年级(2)班, typed as "2" or "7年级（2）班": no second class.
        let school = TestSchool::new();
        for typed in ["2", "7年级（2）班", "七年级2班"] {
            let setup = find_or_make(&school.state, SCHOOL, form(typed), fresh());
            assert_eq!(setup, ClassSetup { class: CLASS_7, changes: vec![] }, "{typed}");
        }
    }
}
