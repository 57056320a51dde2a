//! Renaming a class in settings. A rename edits the class's own record, so the class keeps its
//! id, its students and its registers; a name that reads as another class of the school
//! ("七年级2班" when the school has 七年级(2)班) is never a second class of that name: the
//! teacher is offered to merge, moving the children to the other class.

use crate::class_name::{class_of_grade, ClassKey, ClassNameError};
use crate::mutation::Change;
use crate::org::Class;
use crate::state::State;
use crate::student::StudentField;

/// What renaming a class would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Renaming {
    /// The changes that rename the class (none when the name and teacher are as they were).
    Renamed(Vec<Change>),
    /// The name is another class's of the school: `into`, to merge with (see [`merge_into`]).
    IsAnother { into: Class },
}

/// Renames `class` to `typed` (read as a class of its grade: "2" is 七年级(2)班) with
/// `head_teacher`. Fails, naming why, when `typed` is no class of the class's grade.
pub fn rename_class(state: &State, class: &Class, typed: &str, head_teacher: &str) -> Result<Renaming, ClassNameError> {
    let key = class_of_grade(class.grade, typed)?;
    if let Some(other) = other_class_named(state, class, key) {
        return Ok(Renaming::IsAnother { into: other.clone() });
    }
    // A name that reads as the class's own key stays as it was: renaming "七年级(2)班" to
    // "七年级2班" changes nothing.
    let name = if ClassKey::of_class(class) == Some(key) { class.name.clone() } else { key.name() };
    let renamed = Class { name, head_teacher: head_teacher.to_owned(), ..class.clone() };
    Ok(Renaming::Renamed(if renamed == *class { Vec::new() } else { vec![Change::PutClass(renamed)] }))
}

/// The first (by id) class of `class`'s school, other than itself, whose name reads as `key`.
pub fn other_class_named<'a>(state: &'a State, class: &Class, key: ClassKey) -> Option<&'a Class> {
    let mut others: Vec<&Class> = state
        .classes
        .values()
        .map(|stamped| &stamped.value)
        .filter(|other| other.school == class.school && other.id != class.id)
        .filter(|other| ClassKey::of_class(other) == Some(key))
        .collect();
    others.sort_by_key(|other| other.id);
    others.first().copied()
}

/// The changes that merge `from` into `into`: every student of `from` moves to `into`, one
/// field edit each (so an edit of another field made elsewhere meanwhile is kept); `into`
/// takes `head_teacher` when it has none. `from` itself stays, empty, with its registers.
pub fn merge_into(state: &State, from: &Class, into: &Class, head_teacher: &str) -> Vec<Change> {
    let mut changes: Vec<Change> = state
        .students_in_class(from.id)
        .into_iter()
        .map(|student| Change::EditStudent { student: student.id, field: StudentField::Class(into.id) })
        .collect();
    if into.head_teacher.trim().is_empty() && !head_teacher.trim().is_empty() {
        changes.push(Change::PutClass(Class { head_teacher: head_teacher.to_owned(), ..into.clone() }));
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ClassId;
    use crate::org::Grade;
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};
    use crate::validate::validate_batch;

    fn class(id: u128, name: &str) -> Class {
        Class {
            id: ClassId::from_u128(id),
            school: SCHOOL,
            grade: Grade::new(7).unwrap(),
            name: name.into(),
            head_teacher: "李老师".into(),
        }
    }

    #[test]
    fn a_rename_edits_the_class_s_own_record() {
        let school = TestSchool::new();
        let own = school.state.classes[&CLASS_7].value.clone();
        let renaming = rename_class(&school.state, &own, "5", "李老师").unwrap();
        assert_eq!(
            renaming,
            Renaming::Renamed(vec![Change::PutClass(Class {
                name: "七年级(5)班".into(),
                head_teacher: "李老师".into(),
                ..own
            })])
        );
    }

    #[test]
    fn a_name_written_another_way_is_no_rename() {
        let school = TestSchool::new();
        let own = Class { head_teacher: "李老师".into(), ..school.state.classes[&CLASS_7].value.clone() };
        let mut state = school.state.clone();
        state.merge_pending(0, &Change::PutClass(own.clone()));
        assert_eq!(
            rename_class(&state, &own, &own.name.replace(['(', ')'], ""), "李老师"),
            Ok(Renaming::Renamed(vec![]))
        );
    }

    #[test]
    fn a_name_of_another_class_of_the_school_offers_to_merge_rather_than_make_a_duplicate() {
        let school = TestSchool::new();
        let other = school.state.classes[&CLASS_7].value.clone();
        let mut state = school.state.clone();
        let mine = class(0x77, "七年级(1)班");
        state.merge_pending(0, &Change::PutClass(mine.clone()));
        let typed = ClassKey::of_class(&other).unwrap().name().replace("七年级", "7年级");
        assert_eq!(rename_class(&state, &mine, &typed, "李老师"), Ok(Renaming::IsAnother { into: other }));
    }

    #[test]
    fn a_merge_moves_every_child_and_passes_validation() {
        let mut school = TestSchool::new();
        let children = [school.student(CLASS_7), school.student(CLASS_7)];
        let from = school.state.classes[&CLASS_7].value.clone();
        let mine = class(0x77, "七年级(1)班");
        school.apply(Change::PutClass(Class { head_teacher: String::new(), ..mine.clone() }));
        let into = school.state.classes[&mine.id].value.clone();

        let changes = merge_into(&school.state, &from, &into, "李老师");

        assert_eq!(changes.len(), children.len() + 1, "each child moved, and the teacher named: {changes:?}");
        assert_eq!(validate_batch(&school.state, &changes, day("2026-11-20")), Ok(()));
        for change in changes {
            school.apply(change);
        }
        assert_eq!(school.state.students_in_class(mine.id).len(), children.len());
        assert!(school.state.students_in_class(CLASS_7).is_empty());
        assert_eq!(school.state.classes[&mine.id].value.head_teacher, "李老师");
    }

    #[test]
    fn a_name_of_another_grade_is_refused() {
        let school = TestSchool::new();
        let own = school.state.classes[&CLASS_7].value.clone();
        assert!(matches!(
            rename_class(&school.state, &own, "八年级(1)班", "李老师"),
            Err(ClassNameError::OtherGrade { .. })
        ));
    }
}
