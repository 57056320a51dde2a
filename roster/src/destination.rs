//! Where the children of each class of a file go: this phone's class, another class the school
//! already has, or a new class. The teacher chooses on the preview; the defaults are chosen so
//! that an import never hides its children in a class nobody looks at.
//!
//! A file names classes as schools write them (七年级2班, 七年级(2)班, 7年级（2）班 are one
//! class, see `baoxue_domain::class_name`); a class of the school is the same class when its name
//! reads as the same grade and number. Only classes of the file class's grade are offered: a
//! child's grade comes from the file, and a class of another grade would refuse them.

use baoxue_domain::class_name::ClassKey;
use baoxue_domain::ids::{ClassId, SchoolId};
use baoxue_domain::mutation::Change;
use baoxue_domain::org::Class;
use baoxue_domain::state::State;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the children of one class of the file go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Destination {
    /// A class the school has: this phone's or another.
    Class(ClassId),
    /// A class the import creates, named as the file's class.
    New,
}

/// The teacher's choice for one class of the file, as the app sends it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen {
    pub file_class: ClassKey,
    pub to: Destination,
}

/// What a preview needs to place the file's classes: the phone's class and what the teacher
/// chose so far (none at first: then every class takes its default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placing {
    pub phone_class: Option<ClassId>,
    pub chosen: Vec<Chosen>,
}

/// One class of the file as a preview reads it: its key, its rows, and the classes of the
/// students its rows are already (a re-import), one entry per matched row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileClass {
    pub key: ClassKey,
    pub rows: usize,
    pub matched_in: Vec<ClassId>,
}

/// A place the children of a file class may go, as the preview offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub to: Destination,
    /// The class's name: the school's record's, or for a new class the file class's.
    pub name: String,
    pub phone_class: bool,
    /// Students the class holds now.
    pub students: usize,
}

/// One class of the file, the places it may go (the phone's class first when it may), and
/// the one chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassPlan {
    pub file_class: ClassKey,
    pub rows: usize,
    pub places: Vec<Place>,
    pub to: Destination,
}

/// Places each class of the file. The default, when the teacher has not chosen (or chose a
/// place no longer offered): the class of the same name if the school has one; else the class
/// that already holds most of the class's children (a re-import of a file placed before);
/// else, when the file has one class only and the phone's class is of its grade and empty,
/// the phone's class (a teacher who set up the phone and imports the class they teach); else
/// a new class.
pub fn plan(state: &State, school: SchoolId, placing: &Placing, file_classes: &[FileClass]) -> Vec<ClassPlan> {
    let mut classes: Vec<&Class> =
        state.classes.values().map(|stamped| &stamped.value).filter(|class| class.school == school).collect();
    // By id, so that of two classes of one name (made by hand) every device picks the same.
    classes.sort_by_key(|class| class.id);
    let phone_class = placing.phone_class.and_then(|id| classes.iter().find(|class| class.id == id).copied());
    let only_class = file_classes.len() == 1;
    file_classes
        .iter()
        .map(|file_class| {
            let key = file_class.key;
            let same_name = classes.iter().find(|class| ClassKey::of_class(class) == Some(key)).copied();
            let of_grade = |class: &&Class| class.grade == key.grade;
            let mut offered: Vec<&Class> = Vec::new();
            offered.extend(phone_class.filter(of_grade));
            offered.extend(same_name);
            let mut others: Vec<&Class> = classes.iter().copied().filter(of_grade).collect();
            others.sort_by(|a, b| a.name.cmp(&b.name));
            offered.extend(others);
            dedup_by_id(&mut offered);
            let mut places: Vec<Place> = offered
                .iter()
                .map(|class| Place {
                    to: Destination::Class(class.id),
                    name: class.name.clone(),
                    phone_class: Some(class.id) == placing.phone_class,
                    students: state.students_in_class(class.id).len(),
                })
                .collect();
            // Never a second class of a name the school has.
            if same_name.is_none() {
                places.push(Place { to: Destination::New, name: key.name(), phone_class: false, students: 0 });
            }
            let holding_most = most_common(&file_class.matched_in).filter(|id| offered.iter().any(|c| c.id == *id));
            let empty_phone_class = phone_class
                .filter(|class| only_class && of_grade(class) && state.students_in_class(class.id).is_empty())
                .map(|class| class.id);
            let default = same_name
                .map(|class| class.id)
                .or(holding_most)
                .or(empty_phone_class)
                .map_or(Destination::New, Destination::Class);
            let chosen = placing
                .chosen
                .iter()
                .find(|chosen| chosen.file_class == key)
                .map(|chosen| chosen.to)
                .filter(|to| places.iter().any(|place| place.to == *to));
            ClassPlan { file_class: key, rows: file_class.rows, places, to: chosen.unwrap_or(default) }
        })
        .collect()
}

fn dedup_by_id(classes: &mut Vec<&Class>) {
    let mut seen = Vec::new();
    classes.retain(|class| {
        let first = !seen.contains(&class.id);
        seen.push(class.id);
        first
    });
}

/// The class most of `classes` name; of a tie, the first to reach the count.
fn most_common(classes: &[ClassId]) -> Option<ClassId> {
    let mut counts: BTreeMap<ClassId, usize> = BTreeMap::new();
    for class in classes {
        *counts.entry(*class).or_default() += 1;
    }
    let most = counts.values().copied().max()?;
    classes.iter().copied().find(|class| counts.get(class) == Some(&most))
}

/// The class the roster opens on after the import: of the classes the changes put children in,
/// the phone's class when it is one of them, else the first; `None` when no child is written.
pub fn receiving_class(phone_class: Option<ClassId>, changes: &[Change]) -> Option<ClassId> {
    let mut receiving = changes.iter().filter_map(|change| match change {
        Change::PutStudent(student) => Some(student.class),
        _ => None,
    });
    let first = receiving.next()?;
    match phone_class {
        Some(phone) if first == phone || receiving.any(|class| class == phone) => Some(phone),
        _ => Some(first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baoxue_domain::hlc::Hlc;
    use baoxue_domain::ids::MutationId;
    use baoxue_domain::ids::{DeviceId, StudentId};
    use baoxue_domain::mutation::ContentHash;
    use baoxue_domain::mutation::Mutation;
    use baoxue_domain::org::Grade;
    use baoxue_domain::student::{Gender, Student};

    const SCHOOL: SchoolId = SchoolId::from_u128(1);
    const CLASS_7_1: ClassId = ClassId::from_u128(71);
    const CLASS_7_2: ClassId = ClassId::from_u128(72);
    const CLASS_8_1: ClassId = ClassId::from_u128(81);

    fn grade(value: u8) -> Grade {
        Grade::new(value).unwrap()
    }

    fn key(grade_value: u8, number: u32) -> ClassKey {
        ClassKey { grade: grade(grade_value), number: Some(number) }
    }

    fn class(id: ClassId, grade_value: u8, name: &str) -> Change {
        Change::PutClass(Class {
            id,
            school: SCHOOL,
            grade: grade(grade_value),
            name: name.into(),
            head_teacher: String::new(),
        })
    }

    fn student(id: u128, class: ClassId) -> Change {
        Change::PutStudent(Student {
            id: StudentId::from_u128(id),
            school: SCHOOL,
            student_number: None,
            name: format!("学生{id}"),
            gender: Gender::Female,
            birth_date: chrono::NaiveDate::from_ymd_opt(2013, 3, 1).unwrap(),
            grade: grade(7),
            class,
            village: String::new(),
            address: String::new(),
            guardian: String::new(),
            guardian_phone: String::new(),
            id_number: None,
        })
    }

    fn state(changes: Vec<Change>) -> State {
        let device = DeviceId::from_u128(0);
        let mutations: Vec<Mutation> = changes
            .into_iter()
            .enumerate()
            .map(|(index, change)| Mutation {
                id: MutationId::from_u128(index as u128 + 1),
                device,
                seq: index as u64 + 1,
                author: String::new(),
                stamp: Hlc::zero(device),
                school: SCHOOL,
                change,
                prev_hash: ContentHash::default(),
                base: None,
            })
            .collect();
        State::from_mutations(&mutations)
    }

    fn file(classes: &[ClassKey]) -> Vec<FileClass> {
        classes.iter().map(|key| FileClass { key: *key, rows: 30, matched_in: Vec::new() }).collect()
    }

    fn phone(class: ClassId) -> Placing {
        Placing { phone_class: Some(class), chosen: Vec::new() }
    }

    #[test]
    fn one_class_into_an_empty_phone_class_of_its_grade_goes_there_by_default() {
        let state = state(vec![class(CLASS_7_1, 7, "七年级(1)班")]);
        let plans = plan(&state, SCHOOL, &phone(CLASS_7_1), &file(&[key(7, 2)]));
        assert_eq!(plans[0].to, Destination::Class(CLASS_7_1));
        // Offered first, and a new class offered too.
        let offered: Vec<Destination> = plans[0].places.iter().map(|place| place.to).collect();
        assert_eq!(offered, vec![Destination::Class(CLASS_7_1), Destination::New]);
        assert!(plans[0].places[0].phone_class);
    }

    #[test]
    fn a_class_of_the_same_name_however_written_is_the_default_and_no_new_class_is_offered() {
        for name in ["七年级2班", "七年级(2)班", "7年级（2）班", "2班"] {
            let state = state(vec![class(CLASS_7_1, 7, "七年级(1)班"), class(CLASS_7_2, 7, name)]);
            let plans = plan(&state, SCHOOL, &phone(CLASS_7_1), &file(&[key(7, 2)]));
            assert_eq!(plans[0].to, Destination::Class(CLASS_7_2), "{name}");
            assert!(plans[0].places.iter().all(|place| place.to != Destination::New), "{name}");
            // The phone's class is still offered first.
            assert_eq!(plans[0].places[0].to, Destination::Class(CLASS_7_1), "{name}");
        }
    }

    #[test]
    fn a_phone_class_with_students_is_offered_but_not_chosen() {
        let state = state(vec![class(CLASS_7_1, 7, "七年级(1)班"), student(1, CLASS_7_1)]);
        let plans = plan(&state, SCHOOL, &phone(CLASS_7_1), &file(&[key(7, 2)]));
        assert_eq!(plans[0].to, Destination::New);
        assert_eq!(plans[0].places[0].to, Destination::Class(CLASS_7_1));
        assert_eq!(plans[0].places[0].students, 1);
    }

    #[test]
    fn a_file_of_two_classes_makes_new_classes_rather_than_merge_them_into_the_phone_s() {
        let state = state(vec![class(CLASS_7_1, 7, "七年级(1)班")]);
        let plans = plan(&state, SCHOOL, &phone(CLASS_7_1), &file(&[key(7, 2), key(7, 3)]));
        assert_eq!(plans.iter().map(|plan| plan.to).collect::<Vec<_>>(), vec![Destination::New; 2]);
    }

    #[test]
    fn a_class_of_another_grade_is_never_offered() {
        let state = state(vec![class(CLASS_8_1, 8, "八年级(1)班")]);
        let plans = plan(&state, SCHOOL, &phone(CLASS_8_1), &file(&[key(7, 2)]));
        assert_eq!(plans[0].to, Destination::New);
        assert_eq!(plans[0].places.len(), 1);
    }

    #[test]
    fn a_re_import_keeps_the_children_in_the_class_they_were_placed_in() {
        // Placed in the phone's 七年级(1)班 last time; now the class has students.
        let state = state(vec![class(CLASS_7_1, 7, "七年级(1)班"), student(1, CLASS_7_1)]);
        let file = vec![FileClass { key: key(7, 2), rows: 1, matched_in: vec![CLASS_7_1] }];
        let plans = plan(&state, SCHOOL, &phone(CLASS_7_1), &file);
        assert_eq!(plans[0].to, Destination::Class(CLASS_7_1));
    }

    #[test]
    fn the_teacher_s_choice_wins_unless_it_is_not_offered() {
        let state = state(vec![class(CLASS_7_1, 7, "七年级(1)班"), class(CLASS_8_1, 8, "八年级(1)班")]);
        let chosen = |to| Placing { phone_class: Some(CLASS_7_1), chosen: vec![Chosen { file_class: key(7, 2), to }] };
        let plans = plan(&state, SCHOOL, &chosen(Destination::New), &file(&[key(7, 2)]));
        assert_eq!(plans[0].to, Destination::New);
        let plans = plan(&state, SCHOOL, &chosen(Destination::Class(CLASS_8_1)), &file(&[key(7, 2)]));
        assert_eq!(plans[0].to, Destination::Class(CLASS_7_1));
    }

    #[test]
    fn the_roster_opens_on_the_phone_s_class_when_it_received_children_else_the_first() {
        let changes = vec![student(1, CLASS_7_2), student(2, CLASS_7_1)];
        assert_eq!(receiving_class(Some(CLASS_7_1), &changes), Some(CLASS_7_1));
        assert_eq!(receiving_class(Some(CLASS_8_1), &changes), Some(CLASS_7_2));
        assert_eq!(receiving_class(None, &changes), Some(CLASS_7_2));
        assert_eq!(receiving_class(Some(CLASS_7_1), &[]), None);
    }
}
