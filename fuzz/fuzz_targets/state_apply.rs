//! `State::apply` fed whatever `serde_json` makes of arbitrary bytes, as a list of mutations or
//! one: a pulled page, a stored outbox or a relayed batch can hold mutations no phone of ours
//! made. Merging them must not panic, in any order or any number of times, nor may reading the
//! merged state. And the merge must be what `state.rs` promises: the same mutations in any order,
//! any number of times, give the same state.
//!
//! That promise stands on two things every real mutation has and arbitrary input need not: an id
//! names one mutation, and a stamp (an HLC, which carries its device) is one mutation's. Two
//! different mutations under one id merge as whichever arrived first (the later is "already
//! applied"); two under one stamp tie in last-writer-wins, and the first to arrive is kept. So
//! the orders are compared over the first mutation of each id, and only when those have distinct
//! stamps; without distinct stamps only "no panic" and "applying again changes nothing" hold.
#![no_main]

use baoxue_domain::hlc::Hlc;
use baoxue_domain::mutation::Mutation;
use baoxue_domain::state::{Applied, State};
use baoxue_domain::student_number::StudentNumber;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;

fuzz_target!(|input: &[u8]| {
    let mutations = match serde_json::from_slice::<Vec<Mutation>>(input) {
        Ok(mutations) => mutations,
        Err(_) => match serde_json::from_slice::<Mutation>(input) {
            Ok(mutation) => vec![mutation],
            Err(_) => return,
        },
    };
    check_merge(&mutations);
});

fn check_merge(mutations: &[Mutation]) {
    for mutation in mutations {
        mutation.hash();
    }
    let forward = State::from_mutations(mutations);
    read_everything(&forward);
    read_everything(&State::from_mutations(mutations.iter().rev()));

    // Applying everything again changes nothing, by reference or by value.
    let mut again = forward.clone();
    for mutation in mutations {
        assert_eq!(again.apply(mutation), Applied::AlreadyApplied);
        assert_eq!(again.apply_owned(mutation.clone()), Applied::AlreadyApplied);
    }
    assert_eq!(again, forward);
    let mut owned = State::default();
    for mutation in mutations {
        owned.apply_owned(mutation.clone());
    }
    assert_eq!(owned, forward);

    let mut ids = BTreeSet::new();
    let first_of_each_id: Vec<&Mutation> = mutations.iter().filter(|mutation| ids.insert(mutation.id)).collect();
    let stamps: BTreeSet<Hlc> = first_of_each_id.iter().map(|mutation| mutation.stamp).collect();
    if stamps.len() < first_of_each_id.len() {
        return;
    }
    let reverse = State::from_mutations(first_of_each_id.iter().rev().copied());
    assert_eq!(reverse, forward, "the reverse order merges to another state");
    // Sent twice, the copies arriving mixed with the originals.
    let twice = first_of_each_id.iter().rev().zip(&first_of_each_id).flat_map(|(a, b)| [*a, *b]);
    assert_eq!(State::from_mutations(twice), forward, "a mixed-in second copy merges to another state");
}

/// Every read the screens make of a merged state.
fn read_everything(state: &State) {
    let students = state.students();
    state.cases();
    state.counted_marks();
    for student in &students {
        state.timeline(student.id);
        state.flag_events_of(student.id);
        state.counted_marks_of(student.id);
        state.students_at(student.school);
        state.students_in_class(student.class);
        if let Some(number) = student.student_number.as_deref().and_then(|text| StudentNumber::parse(text).ok()) {
            state.students_numbered(&number);
        }
    }
    let schools: BTreeSet<_> =
        state.terms.keys().map(|(school, _)| *school).chain(state.rules.keys().copied()).collect();
    for school in schools {
        state.calendar(school);
        state.rules(school);
    }
    for (class, _) in state.recorded_days.keys() {
        state.recorded_days_of(*class);
    }
}
