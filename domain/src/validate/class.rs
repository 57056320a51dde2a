//! A class: its name agrees with its grade, and no other class of the school has the same
//! name, however written (七年级2班 and 七年级(2)班 are one class). A second class of one name
//! splits a class's children and registers between two records nobody can tell apart.

use super::{Checker, ValidationError};
use crate::class_name::{parse_class, ClassKey};
use crate::org::Class;

impl Checker<'_> {
    pub(super) fn class(&mut self, class: &Class) {
        if let Some(written) =
            parse_class(&class.name).and_then(|text| text.grade).filter(|grade| *grade != class.grade)
        {
            self.push(ValidationError::ClassNameOfOtherGrade { name: class.name.clone(), written, grade: class.grade });
        }
        let key = ClassKey::of_class(class);
        let same = self.state.classes.values().map(|stamped| &stamped.value).find(|other| {
            other.school == class.school
                && other.id != class.id
                && (other.name.trim() == class.name.trim() || (key.is_some() && ClassKey::of_class(other) == key))
        });
        if let Some(other) = same {
            self.push(ValidationError::DuplicateClass { name: class.name.clone(), other: other.name.clone() });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ids::ClassId;
    use crate::mutation::Change;
    use crate::org::{Class, Grade};
    use crate::test_school::{day, TestSchool, CLASS_7, SCHOOL};
    use crate::validate::{validate, ValidationError};

    fn class(name: &str, grade: u8) -> Change {
        Change::PutClass(Class {
            id: ClassId::from_u128(0x77),
            school: SCHOOL,
            grade: Grade::new(grade).unwrap(),
            name: name.into(),
            head_teacher: String::new(),
        })
    }

    #[test]
    fn a_second_class_of_one_name_however_written_is_refused() {
        let school = TestSchool::new();
        for name in ["七年级(2)班", "七年级2班", "7年级（2）班", "2班"] {
            let problems = validate(&school.state, &class(name, 7), day("2026-11-20")).unwrap_err();
            assert_eq!(
                problems,
                vec![ValidationError::DuplicateClass { name: name.into(), other: "七年级(2)班".into() }],
                "{name}"
            );
        }
    }

    #[test]
    fn a_class_renamed_to_its_own_name_or_a_free_one_passes() {
        let school = TestSchool::new();
        let mut own = school.state.classes[&CLASS_7].value.clone();
        own.name = "七年级2班".into();
        assert_eq!(validate(&school.state, &Change::PutClass(own), day("2026-11-20")), Ok(()));
        assert_eq!(validate(&school.state, &class("七年级(3)班", 7), day("2026-11-20")), Ok(()));
    }

    #[test]
    fn a_class_named_for_another_grade_is_refused() {
        let school = TestSchool::new();
        let problems = validate(&school.state, &class("八年级(1)班", 7), day("2026-11-20")).unwrap_err();
        assert!(matches!(problems.as_slice(), [ValidationError::ClassNameOfOtherGrade { .. }]), "{problems:?}");
    }
}
