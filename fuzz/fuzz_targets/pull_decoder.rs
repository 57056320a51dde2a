//! A pull answer as the phone receives it, fed arbitrary bytes: decoded as the server's
//! `PullAnswer` (`serde_json`, as axum's `Json` encodes it) and as the phone's `PullWire` (the
//! decoder the app uses), then merged into a `State`. None of
//! it may panic. What decodes as a `PullAnswer` must encode to bytes that decode to the same value
//! and encode the same again, each mutation's hash must survive the trip, and the phone's
//! `PullWire` must read the same page from what the server encodes.
#![no_main]

use baoxue_domain::mutation::Mutation;
use baoxue_domain::state::State;
use baoxue_domain::sync::protocol::{PullAnswer, PullWire};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    // What the phone does with the bytes it gets, whoever sent them.
    if let Ok(wire) = serde_json::from_slice::<PullWire>(input) {
        if wire.kind == "page" {
            merge(wire.mutations.iter().map(|(_, mutation)| mutation));
        }
    }

    let Ok(answer) = serde_json::from_slice::<PullAnswer>(input) else { return };
    let encoded = serde_json::to_vec(&answer).expect("a decoded answer encodes");
    let again: PullAnswer = serde_json::from_slice(&encoded).expect("an encoded answer decodes");
    assert_eq!(again, answer);
    assert_eq!(serde_json::to_vec(&again).expect("a decoded answer encodes"), encoded);

    let wire: PullWire = serde_json::from_slice(&encoded).expect("the phone reads what the server encodes");
    match (&answer, &again) {
        (PullAnswer::Page(page), PullAnswer::Page(twin)) => {
            for ((seq, mutation), (twin_seq, twin)) in page.mutations.iter().zip(&twin.mutations) {
                assert_eq!(seq, twin_seq);
                assert_eq!(mutation.hash(), twin.hash());
            }
            assert_eq!(wire.kind, "page");
            assert_eq!(wire.mutations, page.mutations);
            assert_eq!((wire.next, wire.more, wire.server_time_ms), (page.next, page.more, page.server_time_ms));
            assert_eq!(wire.epoch, page.epoch);
            merge(page.mutations.iter().map(|(_, mutation)| mutation));
        }
        (PullAnswer::ResyncRequired { server_time_ms, epoch, .. }, PullAnswer::ResyncRequired { .. }) => {
            assert_eq!(wire.kind, "resync_required");
            assert_eq!((wire.server_time_ms, &wire.epoch), (*server_time_ms, epoch));
            assert!(wire.mutations.is_empty());
        }
        _ => unreachable!("the answers compared equal"),
    }
});

/// Merging a page's mutations, forwards, backwards and twice: no panic, and applying them all
/// again changes nothing. (Whether the orders agree is `state_apply`'s question.)
fn merge<'a>(mutations: impl DoubleEndedIterator<Item = &'a Mutation> + Clone) {
    let forward = State::from_mutations(mutations.clone());
    State::from_mutations(mutations.clone().rev());
    let mut again = forward.clone();
    for mutation in mutations {
        again.apply(mutation);
    }
    assert_eq!(again, forward);
}
