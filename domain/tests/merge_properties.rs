//! Properties of the merge: phones that were offline for a week must agree once their
//! mutations meet, whatever order they arrive in and however often, and a removed or altered
//! mutation must show in the hash chain. The generators are in `common`.

mod common;

use baoxue_domain::ids::RecordId;
use baoxue_domain::mutation::{verify_chain, ChainError, Change, ContentHash, DeviceChain, Mutation};
use baoxue_domain::state::{Applied, State};
use baoxue_domain::student::{Student, StudentField};
use common::{
    derived, interleaved, scenario, scenario_of, shuffled, start_clock, student, student_field_of, DEVICES, SCHOOLS,
    STUDENT_FIELD_KINDS,
};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::FileFailurePersistence;

proptest! {
    // Proptest's default looks for a lib.rs beside the test and finds none under tests/; keep
    // the failing seeds where the crate's other properties keep theirs, to be committed.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/merge_properties.txt"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arrival_order_does_not_matter(scenario in scenario(1..=4), seed in any::<u64>()) {
        let mutations = scenario.mutations();
        let in_creation_order = State::from_mutations(&mutations);
        let in_shuffled_order = State::from_mutations(&shuffled(&mutations, seed));
        let in_reverse_order = State::from_mutations(mutations.iter().rev());
        prop_assert_eq!(derived(&in_shuffled_order), derived(&in_creation_order));
        prop_assert_eq!(&in_shuffled_order, &in_creation_order);
        prop_assert_eq!(&in_reverse_order, &in_creation_order);
    }

    #[test]
    fn applying_a_mutation_again_changes_nothing(
        scenario in scenario(1..=4),
        repeats in proptest::collection::vec(any::<Index>(), 0..20),
        seed in any::<u64>(),
    ) {
        let mutations = scenario.mutations();
        let mut once = State::default();
        for mutation in &mutations {
            prop_assert_eq!(once.apply(mutation), Applied::New);
        }
        let mut again = once.clone();
        if !mutations.is_empty() {
            for pick in repeats {
                prop_assert_eq!(again.apply(&mutations[pick.index(mutations.len())]), Applied::AlreadyApplied);
            }
        }
        prop_assert_eq!(&again, &once);
        // A batch sent twice, the copies arriving mixed in with the originals.
        let sent_twice: Vec<Mutation> = mutations.iter().chain(&mutations).cloned().collect();
        prop_assert_eq!(State::from_mutations(&shuffled(&sent_twice, seed)), once);
    }

    #[test]
    fn a_union_of_two_phones_equals_any_interleaving(
        scenario in scenario(2..=2),
        synced_earlier in (any::<Index>(), any::<Index>()),
        seed in any::<u64>(),
    ) {
        let chains = scenario.play();
        // Each replica already holds the start of the other phone's chain from an earlier sync.
        let first_synced = synced_earlier.0.index(chains[0].len() + 1);
        let second_synced = synced_earlier.1.index(chains[1].len() + 1);
        let at_first: Vec<Mutation> = chains[0].iter().chain(&chains[1][..second_synced]).cloned().collect();
        let at_second: Vec<Mutation> = chains[1].iter().chain(&chains[0][..first_synced]).cloned().collect();
        let union = State::from_mutations(at_first.iter().chain(&at_second));

        let mut incremental = State::default();
        let new = interleaved(&at_first, &at_second, seed)
            .iter()
            .filter(|mutation| incremental.apply(mutation) == Applied::New)
            .count();
        prop_assert_eq!(new, chains[0].len() + chains[1].len());
        prop_assert_eq!(derived(&incremental), derived(&union));
        prop_assert_eq!(&incremental, &union);

        // Each replica receiving the other's list, as a sync does.
        for (mine, theirs) in [(&at_first, &at_second), (&at_second, &at_first)] {
            let mut replica = State::from_mutations(mine);
            for mutation in theirs {
                replica.apply(mutation);
            }
            prop_assert_eq!(&replica, &union);
        }
    }

    #[test]
    fn every_chain_made_by_device_chain_verifies(scenario in scenario(1..=4)) {
        for (phone, chain) in scenario.play().iter().enumerate() {
            prop_assert_eq!(verify_chain(DEVICES[phone], (0, ContentHash::default()), chain), Ok(()));
            // Resuming after any mutation already verified, as the server does batch by batch.
            for verified in 1..chain.len() {
                let after = (chain[verified - 1].seq, chain[verified - 1].hash());
                prop_assert_eq!(verify_chain(DEVICES[phone], after, &chain[verified..]), Ok(()));
            }
        }
    }

    #[test]
    fn a_removed_mutation_shows_unless_it_was_the_last(scenario in scenario_of(1..=1, 1..30), pick in any::<Index>()) {
        let mut chain = scenario.play().remove(0);
        let removed = pick.index(chain.len());
        let is_last = removed == chain.len() - 1;
        chain.remove(removed);
        let verdict = verify_chain(DEVICES[0], (0, ContentHash::default()), &chain);
        if is_last {
            // What is left is the chain as it stood before the last change: only the device's
            // own count (`DeviceChain::last_seq`) can tell it is short.
            prop_assert_eq!(verdict, Ok(()));
        } else {
            let seq = removed as u64 + 1;
            prop_assert_eq!(verdict, Err(ChainError::Gap { device: DEVICES[0], seq, found: seq + 1 }));
        }
    }

    #[test]
    fn an_altered_mutation_shows_exactly_where_it_can(
        scenario in scenario_of(1..=1, 1..30),
        pick in any::<Index>(),
        alteration in select(&Alteration::ALL[..]),
    ) {
        let original = scenario.play().remove(0);
        let mut chain = original.clone();
        let altered = pick.index(chain.len());
        alteration.apply(&mut chain[altered]);
        prop_assert_ne!(&chain[altered], &original[altered]);

        let device = DEVICES[0];
        let seq = altered as u64 + 1;
        let is_last = altered == chain.len() - 1;
        let expected = match alteration {
            // Its own header no longer fits where it sits.
            Alteration::Device => Err(ChainError::ForeignDevice { device, seq, other: DEVICES[1] }),
            Alteration::Seq => Err(ChainError::Gap { device, seq, found: seq + 1 }),
            Alteration::PrevHash => Err(ChainError::Broken { device, seq, previous: seq - 1 }),
            // Its content changes only its own hash, which the next mutation carries; the last
            // one has no next, so only the device's own last hash can tell.
            Alteration::Author | Alteration::Stamp | Alteration::Change if is_last => Ok(()),
            Alteration::Author | Alteration::Stamp | Alteration::Change => {
                Err(ChainError::Broken { device, seq: seq + 1, previous: seq })
            }
        };
        prop_assert_eq!(verify_chain(device, (0, ContentHash::default()), &chain), expected);
        if is_last {
            prop_assert_ne!(chain[altered].hash(), original[altered].hash());
        }
    }

    #[test]
    fn concurrent_edits_of_different_fields_both_survive(
        put in student(),
        (first, second) in (0..STUDENT_FIELD_KINDS, 1..STUDENT_FIELD_KINDS).prop_flat_map(|(kind, offset)| {
            (student_field_of(kind), student_field_of((kind + offset) % STUDENT_FIELD_KINDS))
        }),
        clocks in (start_clock(), start_clock(), 0..120_000u64, 0..120_000u64),
    ) {
        let edits = ConcurrentEdits::make(&put, first.clone(), second.clone(), clocks);
        let mut expected = put.clone();
        first.write_to(&mut expected);
        second.write_to(&mut expected);
        for order in every_order(&edits.all()) {
            prop_assert_eq!(State::from_mutations(&order).student(put.id), Some(expected.clone()));
        }
    }

    #[test]
    fn concurrent_edits_of_one_field_keep_the_higher_stamp(
        put in student(),
        (first, second) in (0..STUDENT_FIELD_KINDS).prop_flat_map(|kind| (student_field_of(kind), student_field_of(kind))),
        clocks in (start_clock(), start_clock(), 0..120_000u64, 0..120_000u64),
    ) {
        let edits = ConcurrentEdits::make(&put, first.clone(), second.clone(), clocks);
        let winner = if edits.first.stamp > edits.second.stamp { &first } else { &second };
        let mut expected = put.clone();
        winner.write_to(&mut expected);
        for order in every_order(&edits.all()) {
            prop_assert_eq!(State::from_mutations(&order).student(put.id), Some(expected.clone()));
        }
    }
}

/// A student made on phone 0 and received by phone 1; then, before they sync again, phone 0
/// edits one field and phone 1 another (or the same).
struct ConcurrentEdits {
    put: Mutation,
    first: Mutation,
    second: Mutation,
}

impl ConcurrentEdits {
    fn make(student: &Student, first: StudentField, second: StudentField, clocks: (u64, u64, u64, u64)) -> Self {
        let (first_wall, second_wall, first_later, second_later) = clocks;
        let mut first_phone = DeviceChain::new(DEVICES[0]);
        let mut second_phone = DeviceChain::new(DEVICES[1]);
        let put = first_phone.next("王老师", SCHOOLS[0], Change::PutStudent(student.clone()), first_wall, [1; 10]);
        // Receiving the student moves phone 1's clock past it, however far behind it was.
        second_phone.clock = second_phone.clock.observe(put.stamp, second_wall);
        let edit = |field| Change::EditStudent { student: student.id, field };
        let first = first_phone.next("王老师", SCHOOLS[0], edit(first), first_wall + first_later, [2; 10]);
        let second = second_phone.next("李老师", SCHOOLS[0], edit(second), second_wall + second_later, [3; 10]);
        ConcurrentEdits { put, first, second }
    }

    fn all(&self) -> Vec<Mutation> {
        vec![self.put.clone(), self.first.clone(), self.second.clone()]
    }
}

/// Every order of `items`: six for three.
fn every_order<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.is_empty() {
        return vec![Vec::new()];
    }
    (0..items.len())
        .flat_map(|first| {
            let mut rest = items.to_vec();
            let head = rest.remove(first);
            every_order(&rest).into_iter().map(move |mut order| {
                order.insert(0, head.clone());
                order
            })
        })
        .collect()
}

/// One way to tamper with a stored mutation.
#[derive(Clone, Copy, Debug)]
enum Alteration {
    Author,
    Stamp,
    Change,
    PrevHash,
    Seq,
    Device,
}

impl Alteration {
    const ALL: [Alteration; 6] = [Self::Author, Self::Stamp, Self::Change, Self::PrevHash, Self::Seq, Self::Device];

    fn apply(self, mutation: &mut Mutation) {
        match self {
            Alteration::Author => mutation.author.push('改'),
            Alteration::Stamp => mutation.stamp.wall_ms ^= 1,
            Alteration::Change => {
                mutation.change = Change::Retract { record: RecordId::from_u128(7), reason: "改数据".to_owned() }
            }
            Alteration::PrevHash => mutation.prev_hash.0[0] ^= 1,
            Alteration::Seq => mutation.seq += 1,
            Alteration::Device => mutation.device = DEVICES[1],
        }
    }
}
