//! What the sync server decodes from a phone, fed arbitrary bytes: the push body (axum's `Json`
//! is `serde_json::from_slice`) and the pull query (axum's `Query` is `serde_urlencoded`). A
//! decoded batch then goes through what the server does with it before the database: the batch
//! decision, hashing every mutation, the receipt. None of it may panic, and what decodes must
//! encode to bytes that decode to the same value and encode the same again: a mutation's hash is
//! taken over its encoding, so phone and server must agree on it.
#![no_main]

use baoxue_domain::ids::SchoolId;
use baoxue_domain::sync::protocol::MAX_PULL;
use baoxue_domain::sync::{check_batch, PullRequest, PushBatch, StoredChain};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((selector, body)) = input.split_first() else { return };
    if selector % 2 == 0 {
        push_body(body);
    } else if let Ok(query) = std::str::from_utf8(body) {
        pull_query(query);
    }
});

fn push_body(body: &[u8]) {
    let Ok(batch) = serde_json::from_slice::<PushBatch>(body) else { return };
    let encoded = serde_json::to_string(&batch).expect("a decoded batch encodes");
    let again: PushBatch = serde_json::from_str(&encoded).expect("an encoded batch decodes");
    assert_eq!(again, batch);
    assert_eq!(serde_json::to_string(&again).expect("a decoded batch encodes"), encoded);
    for (mutation, twin) in batch.mutations.iter().zip(&again.mutations) {
        assert_eq!(mutation.hash(), twin.hash());
    }
    let school = batch.mutations.first().map_or(SchoolId::from_u128(1), |mutation| mutation.school);
    let plan = check_batch(batch.device, school, 0, &StoredChain::default(), &batch.mutations);
    assert!(plan.steps.len() <= batch.mutations.len());
    assert!(plan.gap.is_some() || plan.steps.len() == batch.mutations.len());
    let receipt = plan.receipt(&batch.mutations, 0);
    assert_eq!(receipt.applied + receipt.skipped_duplicates + receipt.rejected.len(), plan.steps.len());
    serde_json::to_string(&receipt).expect("a receipt encodes");
}

fn pull_query(query: &str) {
    let Ok(request) = serde_urlencoded::from_str::<PullRequest>(query) else { return };
    assert!((1..=MAX_PULL).contains(&request.page_size()));
}
