//! Generated data is data the app would accept: every record passes `domain::validate`
//! against the generated state on the day it was made, the chains verify, and the state holds
//! what was generated.

use baoxue_datagen::{generate, Dataset, Size, Spec};
use baoxue_domain::ledger::{suspected_dropouts, SuspectedSource};
use baoxue_domain::mutation::{verify_chain, Change, ContentHash, Mutation};
use baoxue_domain::state::State;
use baoxue_domain::validate::validate;
use baoxue_domain::wire_limits::check_mutation;
use chrono::{DateTime, Duration, NaiveDate};
use std::collections::BTreeMap;

/// The Beijing date of a mutation's stamp: the day it was made, which is "today" for its checks
/// (a case's deadline lies ahead of the day it is set, not of the day the data runs up to).
fn made_on(mutation: &Mutation) -> NaiveDate {
    let ms = i64::try_from(mutation.stamp.wall_ms).unwrap();
    (DateTime::from_timestamp_millis(ms).unwrap() + Duration::hours(8)).date_naive()
}

fn check_every_record(dataset: &Dataset, state: &State, mutations: &[Mutation]) {
    let mut checked = 0;
    for mutation in mutations {
        // Students are checked apart (below): each check scans the roster for a duplicate 学籍号.
        if matches!(mutation.change, Change::PutStudent(_)) {
            continue;
        }
        let made_on = made_on(mutation);
        assert!(made_on <= dataset.spec.today, "{:?} is made after today", mutation.change);
        if let Err(errors) = validate(state, &mutation.change, made_on) {
            panic!("{:?} made on {made_on} fails validation: {errors:?}", mutation.change);
        }
        checked += 1;
    }
    assert!(checked > dataset.pupils.len(), "the marks, flags and status events were checked");
}

#[test]
fn every_student_passes_validation() {
    // A smaller set keeps the quadratic duplicate-number check quick in a debug build.
    for seed in [1, 2] {
        let dataset = generate(&Spec::new(seed, Size::Students(400)));
        let state = dataset.state();
        for pupil in &dataset.pupils {
            let change = Change::PutStudent(pupil.student.clone());
            if let Err(errors) = validate(&state, &change, dataset.spec.today) {
                panic!("{} fails validation: {errors:?}", pupil.student.name);
            }
        }
    }
}

#[test]
fn every_mark_flag_and_status_event_passes_validation() {
    for (seed, size) in [(7, Size::School), (8, Size::Class), (9, Size::Students(1_200))] {
        let dataset = generate(&Spec::new(seed, size));
        let mutations = dataset.mutations();
        let state = State::from_mutations(&mutations);
        check_every_record(&dataset, &state, &mutations);
    }
}

/// A school year: the same classes over two terms, marks on the school days of both and none in
/// the winter break, and every record still one the app would take on the day it was made.
#[test]
fn a_school_year_of_data_passes_validation_and_skips_the_winter_break() {
    let dataset = generate(&Spec::school_year(8, Size::Class));
    let school = dataset.schools[0].school.id;
    let days = dataset.school_days(school);
    let autumn = days.iter().filter(|day| **day <= NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()).count();
    let spring = days.len() - autumn;
    assert!((85..=100).contains(&autumn) && (80..=95).contains(&spring), "{autumn} + {spring} school days");
    let winter = NaiveDate::from_ymd_opt(2027, 1, 16).unwrap()..NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    assert!(dataset.marks.iter().all(|mark| !winter.contains(&mark.day)), "no mark in the winter break");
    assert!(dataset.marks.iter().any(|mark| mark.day > winter.end), "marks in the spring term");
    let mutations = dataset.mutations();
    let state = State::from_mutations(&mutations);
    assert_eq!(state.calendar(school).terms.len(), 2);
    check_every_record(&dataset, &state, &mutations);
}

#[test]
fn every_record_of_the_persuasion_work_passes_validation() {
    // One school has a few dropouts: several seeds between them make every kind of record.
    let mut made = BTreeMap::new();
    for seed in 20..32 {
        let dataset = generate(&Spec::new(seed, Size::School));
        let mutations = dataset.mutations();
        let state = State::from_mutations(&mutations);
        check_every_record(&dataset, &state, &mutations);
        // And the server takes them: texts, names and dates within the wire limits.
        for mutation in &mutations {
            let checked = check_mutation(mutation, mutation.school, mutation.stamp.wall_ms);
            assert_eq!(checked, Ok(()), "{:?}", mutation.change);
        }
        for (kind, count) in dataset.casework.counts() {
            *made.entry(kind).or_insert(0) += count;
        }
    }
    for (kind, count) in &made {
        assert!(*count > 0, "no {kind} in twelve schools: {made:?}");
    }
}

#[test]
fn the_state_holds_what_was_generated() {
    let dataset = generate(&Spec::new(11, Size::School));
    let mutations = dataset.mutations();
    assert_eq!(mutations.len(), dataset.mutation_count());
    let state = State::from_mutations(&mutations);
    assert_eq!(state.students().len(), dataset.pupils.len());
    assert_eq!(state.marks.len(), dataset.marks.len());
    assert_eq!(state.counted_marks().len(), dataset.counted_marks().len());
    assert_eq!(state.flag_events.len(), dataset.flags.len());
    assert_eq!(state.status_events.len(), dataset.statuses.len());
    assert_eq!(state.classes.len(), dataset.classes.len());
    let work = &dataset.casework;
    assert!(!work.cases.is_empty(), "seed 11 has a case");
    assert_eq!(state.investigations.len(), work.investigations.len());
    assert_eq!(state.contacts.len(), work.contacts.len());
    assert_eq!(state.notices.len(), work.notices.len());
    assert_eq!(state.placements.len(), work.placements.len());
    assert_eq!(state.follow_ups.len(), work.follow_ups.len());
    for case in &work.cases {
        let merged = state.case(case.id).unwrap();
        assert_eq!(merged.student, case.student);
        // The newest edit of each field wins.
        let mut expected = case.clone();
        for edit in work.case_edits.iter().filter(|edit| edit.case == case.id) {
            edit.field.write_to(&mut expected);
        }
        assert_eq!(merged, expected);
    }
    for pupil in &dataset.pupils {
        assert_eq!(state.student(pupil.student.id).as_ref(), Some(&pupil.student));
    }
    let school = dataset.schools[0].school.id;
    assert_eq!(state.calendar(school), dataset.schools[0].calendar);
}

#[test]
fn every_device_chain_verifies_and_mutations_come_oldest_first() {
    let dataset = generate(&Spec::new(12, Size::Town));
    let mutations = dataset.mutations();
    let mut by_device: BTreeMap<_, Vec<Mutation>> = BTreeMap::new();
    for mutation in &mutations {
        by_device.entry(mutation.device).or_default().push(mutation.clone());
    }
    assert_eq!(by_device.len(), 1 + dataset.schools.len() + dataset.classes.len());
    for (device, chain) in by_device {
        assert_eq!(verify_chain(device, (0, ContentHash::default()), &chain), Ok(()));
    }
    assert!(mutations.windows(2).all(|pair| pair[0].stamp.wall_ms <= pair[1].stamp.wall_ms));
}

#[test]
fn the_suspected_dropout_rule_fires_in_every_school_sized_set() {
    for seed in 0..4 {
        let dataset = generate(&Spec::new(seed, Size::School));
        let state = dataset.state();
        let school = dataset.schools[0].school.id;
        let rows = suspected_dropouts(&state, school, dataset.spec.today);
        let by_rule = rows
            .iter()
            .filter(|row| matches!(row.source, SuspectedSource::UnexcusedAbsence { streak, .. } if streak >= 3))
            .count();
        assert!(by_rule >= 1, "seed {seed}: no child raised by 3 unexcused days in a row: {rows:?}");
    }
}

#[test]
fn a_term_not_started_has_a_roster_and_no_marks() {
    let dataset = generate(&Spec::new(5, Size::Class).with_today("2026-08-31".parse().unwrap()));
    assert!(!dataset.pupils.is_empty());
    assert!(dataset.marks.is_empty());
    let mutations = dataset.mutations();
    let state = State::from_mutations(&mutations);
    check_every_record(&dataset, &state, &mutations);
}
