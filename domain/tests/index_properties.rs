//! The state's indexed queries (by student, school, class, 学籍号, day) answer exactly what a
//! scan of every record answered before the indexes existed, for any arrival order, retractions,
//! moved students and same-id records included. The scans are written out here, as they were.

#[allow(dead_code)] // The generators are shared with `merge_properties`, which uses the rest.
mod common;

use baoxue_domain::attendance::{AttendanceMark, MarkKind};
use baoxue_domain::calendar::Term;
use baoxue_domain::ids::{ClassId, DeviceId, StudentId};
use baoxue_domain::ledger::{suspected_dropouts, SuspectedSource};
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::org::Grade;
use baoxue_domain::register::{class_register, expected_in_class, raised_by_absence, RegisterRow};
use baoxue_domain::settings::Rules;
use baoxue_domain::state::State;
use baoxue_domain::status::{Status, Timeline};
use baoxue_domain::student::{FlagEvent, Gender, Student, StudentField};
use baoxue_domain::student_number::StudentNumber;
use common::{day, scenario_of, shuffled, term_start, CLASSES, SCHOOLS, STUDENTS};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::collections::BTreeMap;

/// A term for both schools and a threshold of one to three unexcused days, so the register
/// raises children often in scenarios of a few marks.
fn school_year(threshold: u32) -> Vec<Mutation> {
    let mut chain = DeviceChain::new(DeviceId::from_u128(0xe1));
    let term = Term { name: "2026年春季学期".into(), start: term_start(), end: day(120) };
    let rules = Rules { suspected_after_unexcused_days: threshold, ..Rules::default() };
    SCHOOLS
        .iter()
        .flat_map(|school| {
            [
                Change::SetTerm { school: *school, term: term.clone() },
                Change::SetRules { school: *school, rules: rules.clone() },
            ]
        })
        .enumerate()
        .map(|(seq, change)| chain.next("教务处", SCHOOLS[0], change, 1_000 + seq as u64, [seq as u8; 10]))
        .collect()
}

fn timeline_by_scan(state: &State, student: StudentId) -> Timeline {
    Timeline::new(
        state
            .status_events
            .values()
            .filter(|stamped| stamped.value.student == student && !state.is_retracted(stamped.value.id))
            .map(|stamped| (stamped.stamp, stamped.value.clone()))
            .collect(),
    )
}

fn flags_by_scan(state: &State, student: StudentId) -> Vec<FlagEvent> {
    state
        .flag_events
        .values()
        .map(|stamped| &stamped.value)
        .filter(|event| event.student == student && !state.is_retracted(event.id))
        .cloned()
        .collect()
}

fn marks_by_scan(state: &State, student: StudentId) -> Vec<AttendanceMark> {
    state.counted_marks().into_iter().filter(|mark| mark.student == student).cloned().collect()
}

/// `class_register` as it was: every student and every counted mark of the state.
fn register_by_scan(state: &State, class: ClassId, on: chrono::NaiveDate) -> Vec<RegisterRow> {
    let mut marks: BTreeMap<StudentId, MarkKind> = BTreeMap::new();
    for mark in state.counted_marks().into_iter().filter(|mark| mark.day == on) {
        let kind = marks.entry(mark.student).or_insert(mark.kind);
        *kind = (*kind).max(mark.kind);
    }
    let mut rows: Vec<RegisterRow> = state
        .students()
        .into_iter()
        .filter(|student| {
            let recorded = state.timeline(student.id).recorded_on(on).unwrap_or(Status::Enrolled);
            student.class == class && expected_in_class(recorded)
        })
        .map(|student| RegisterRow {
            mark: marks.get(&student.id).copied().unwrap_or(MarkKind::Present),
            marked: marks.contains_key(&student.id),
            student,
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.student.student_number, &a.student.name).cmp(&(&b.student.student_number, &b.student.name))
    });
    rows
}

fn students_where(state: &State, keep: impl Fn(&Student) -> bool) -> Vec<Student> {
    state.students().into_iter().filter(|student| keep(student)).collect()
}

fn check_indexes(state: &State) -> Result<(), TestCaseError> {
    for student in STUDENTS {
        prop_assert_eq!(state.timeline(student), timeline_by_scan(state, student));
        prop_assert_eq!(state.flag_events_of(student), flags_by_scan(state, student));
        let marks: Vec<AttendanceMark> = state.counted_marks_of(student).into_iter().cloned().collect();
        prop_assert_eq!(&marks, &marks_by_scan(state, student));
        for offset in 0..5 {
            let on: Vec<AttendanceMark> = state.counted_marks_on(student, day(offset)).into_iter().cloned().collect();
            let scanned: Vec<AttendanceMark> = marks.iter().filter(|mark| mark.day == day(offset)).cloned().collect();
            prop_assert_eq!(on, scanned);
        }
    }
    for school in SCHOOLS {
        prop_assert_eq!(state.students_at(school), students_where(state, |student| student.school == school));
    }
    for class in CLASSES {
        prop_assert_eq!(state.students_in_class(class), students_where(state, |student| student.class == class));
        for offset in 0..5 {
            prop_assert_eq!(class_register(state, class, day(offset)), register_by_scan(state, class, day(offset)));
        }
    }
    for student in state.students() {
        let Some(number) = student.student_number.as_deref().and_then(|text| StudentNumber::parse(text).ok()) else {
            continue;
        };
        let scanned = students_where(state, |other| {
            other.student_number.as_deref().and_then(|text| StudentNumber::parse(text).ok()).as_ref() == Some(&number)
        });
        prop_assert_eq!(state.students_numbered(&number), scanned);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/index_properties.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn indexed_queries_equal_scans_in_any_arrival_order(
        scenario in scenario_of(1..=3, 0..60),
        threshold in 1..=3u32,
        seed in any::<u64>(),
    ) {
        let mutations: Vec<Mutation> = school_year(threshold).into_iter().chain(scenario.mutations()).collect();
        let arrived = shuffled(&mutations, seed);
        // Checked after every arrival, so an index moved by a later, newer write is caught.
        let mut state = State::default();
        for mutation in &arrived {
            state.apply(mutation);
            check_indexes(&state)?;
        }
        prop_assert_eq!(&state, &State::from_mutations(&mutations));
        let mut moved_in = State::default();
        for mutation in arrived {
            moved_in.apply_owned(mutation);
        }
        prop_assert_eq!(&moved_in, &state);
    }

    #[test]
    fn the_register_raises_what_the_school_ledger_raises_for_the_class(
        scenario in scenario_of(1..=2, 10..60),
        threshold in 1..=3u32,
    ) {
        let mutations: Vec<Mutation> = school_year(threshold).into_iter().chain(scenario.mutations()).collect();
        let state = State::from_mutations(&mutations);
        for (school, class, offset) in SCHOOLS.iter().flat_map(|school| {
            CLASSES.iter().flat_map(move |class| (0..6).map(move |offset| (*school, *class, offset)))
        }) {
            let whole_school: Vec<_> = suspected_dropouts(&state, school, day(offset))
                .into_iter()
                .filter(|row| row.class == class && matches!(row.source, SuspectedSource::UnexcusedAbsence { .. }))
                .collect();
            prop_assert_eq!(raised_by_absence(&state, school, class, day(offset)), whole_school);
        }
    }
}

/// A child whose 学籍号 and class changed is found under the new ones only, and a 学籍号 typed
/// in lower case is found under its parsed form.
#[test]
fn an_edited_number_and_class_move_the_indexes() {
    let mut chain = DeviceChain::new(DeviceId::from_u128(0xe2));
    let mut ms = 1_000;
    let mut next = |change: Change| {
        ms += 1_000;
        chain.next("王老师", SCHOOLS[0], change, ms, [(ms / 1_000) as u8; 10])
    };
    let (old_number, new_number) = ("g11010120080101129x", "G110101200801011230");
    let mut student = Student {
        id: StudentId::from_u128(31),
        school: SCHOOLS[0],
        student_number: Some(old_number.into()),
        name: "张小明".into(),
        gender: Gender::Male,
        birth_date: chrono::NaiveDate::from_ymd_opt(2008, 1, 1).unwrap(),
        grade: Grade::new(7).unwrap(),
        class: CLASSES[0],
        village: "石门村".into(),
        address: String::new(),
        guardian: "张父".into(),
        guardian_phone: String::new(),
        id_number: None,
    };
    let mut state = State::default();
    state.apply(&next(Change::PutStudent(student.clone())));
    let old = StudentNumber::parse(old_number).unwrap();
    let new = StudentNumber::parse(new_number).unwrap();
    assert_eq!(state.students_numbered(&StudentNumber::parse("G11010120080101129X").unwrap()), vec![student.clone()]);
    student.student_number = Some(new_number.into());
    state.apply(&next(Change::EditStudent {
        student: student.id,
        field: StudentField::StudentNumber(Some(new_number.into())),
    }));
    state.apply(&next(Change::EditStudent { student: student.id, field: StudentField::Class(CLASSES[1]) }));
    student.class = CLASSES[1];
    assert!(state.students_numbered(&old).is_empty());
    assert_eq!(state.students_numbered(&new), vec![student.clone()]);
    assert!(state.students_in_class(CLASSES[0]).is_empty());
    assert_eq!(state.students_in_class(CLASSES[1]), vec![student]);
}
