//! What the sync client asks of the store, against a real IndexedDB in headless Chromium: the
//! outbox in counter order, settling a push receipt, and a pulled page written with its cursor.

use baoxue_app::store::Store;
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::DeviceId;
use baoxue_domain::mutation::DeviceChain;
use baoxue_domain::sync::{PullPage, RejectionReason};
use indexed_db_futures::database::Database;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{first_run, mark, PHONE, SCHOOL};

const OTHER_PHONE: DeviceId = DeviceId::from_u128(12);
const NOW: u64 = 1_770_000_000_000;

async fn set_up(name: &str, changes: u64) -> (Store, DeviceChain) {
    let _ = Database::delete_by_name(name).unwrap().await;
    let store = Store::open_named(name).await.unwrap();
    let chain = first_run(&store, (0..changes).map(mark).collect(), NOW).await.chain;
    (store, chain)
}

#[wasm_bindgen_test]
async fn a_receipt_removes_what_it_settled_and_keeps_refusals_with_their_reason() {
    let (store, _) = set_up("test-sync-settle", 12).await;
    let outbox = store.outbox(PHONE).await.unwrap();
    assert_eq!(outbox.iter().map(|mutation| mutation.seq).collect::<Vec<_>>(), (1..=12).collect::<Vec<_>>());

    // The server settled 1..=8 and refused 5; 9..=12 stay unsent (a gap or a lost answer).
    let refused = vec![(outbox[4].id, RejectionReason::IdTaken { id: outbox[4].id })];
    let settled: Vec<_> = outbox[..8].iter().map(|mutation| mutation.id).collect();
    let left = store.settle(&outbox, &settled, refused).await.unwrap();
    assert_eq!(left, 4);
    assert_eq!(store.outbox(PHONE).await.unwrap().iter().map(|m| m.seq).collect::<Vec<_>>(), vec![9, 10, 11, 12]);
    let kept = store.refused().await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].mutation, outbox[4]);
    // Nothing is deleted from the phone's mutations.
    assert_eq!(store.count().await.unwrap(), 12);

    // A resent refusal is listed once.
    let again = vec![(outbox[4].id, RejectionReason::IdTaken { id: outbox[4].id })];
    store.settle(&outbox[4..5], &[outbox[4].id], again).await.unwrap();
    assert_eq!(store.refused().await.unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn a_pulled_page_is_written_with_its_cursor_and_moves_the_clock_past_it() {
    let (store, chain) = set_up("test-sync-pull", 1).await;
    assert_eq!(store.cursor().await.unwrap(), 0);
    let mut other = DeviceChain::new(OTHER_PHONE);
    let later = NOW + 3_600_000; // The other phone's clock runs an hour ahead.
    let pulled: Vec<_> =
        (0..3u64).map(|n| (n + 1, other.next("王老师", SCHOOL, mark(100 + n), later, [n as u8; 10]))).collect();
    let page = PullPage { mutations: pulled.clone(), next: 3, more: false, server_time_ms: NOW, epoch: "e1".into() };

    let advanced = store.apply_page(&page, false, NOW + 10).await.unwrap().expect("this phone has a chain");
    assert_eq!(store.cursor().await.unwrap(), 3);
    assert_eq!(store.epoch().await.unwrap().as_deref(), Some("e1"), "the epoch is kept with the cursor");
    let heads = store.held_heads().await.unwrap();
    assert_eq!(heads[&OTHER_PHONE], (3, pulled[2].1.hash()), "the next pulled change is checked against it");
    assert_eq!(store.count().await.unwrap(), 4);
    let highest: Hlc = pulled.iter().map(|(_, mutation)| mutation.stamp).max().unwrap();
    assert!(advanced.clock > highest, "the next local edit sorts after what was pulled");
    assert_eq!((advanced.last_seq, advanced.last_hash), (chain.last_seq, chain.last_hash));
    // Pulled changes are not this phone's to send.
    assert_eq!(store.outbox(PHONE).await.unwrap().len(), 1);

    // The same page again (an answer lost on the way) changes nothing, and a late page from
    // before it does not move the cursor back.
    store.apply_page(&page, false, NOW + 20).await.unwrap();
    assert_eq!(store.count().await.unwrap(), 4);
    assert_eq!(store.cursor().await.unwrap(), 3);
    let late =
        PullPage { mutations: pulled[..1].to_vec(), next: 1, more: true, server_time_ms: NOW, epoch: "e1".into() };
    store.apply_page(&late, false, NOW + 30).await.unwrap();
    assert_eq!(store.cursor().await.unwrap(), 3);
    // A resync (the server was restored: a new epoch) starts over from the page it is given.
    let restored = PullPage { epoch: "e2".into(), ..late };
    store.apply_page(&restored, true, NOW + 40).await.unwrap();
    assert_eq!(store.cursor().await.unwrap(), 1);
    assert_eq!(store.epoch().await.unwrap().as_deref(), Some("e2"));
}

/// A phone enrolled again under a new device id re-issues its old device's unsent changes as
/// the first of the new chain, same changes, and the refused change a resend can fix leaves the
/// refused list as the next one; nothing already on the server is sent again.
#[wasm_bindgen_test]
async fn a_new_device_id_re_issues_the_old_outbox_and_a_refused_change() {
    let (store, _) = set_up("test-sync-reissue", 6).await;
    let outbox = store.outbox(PHONE).await.unwrap();
    // 1..=4 were settled, 4 refused for a reused counter (the server's head is past it); 5 and
    // 6 are unsent.
    let refused = vec![(outbox[3].id, RejectionReason::CounterReused { seq: 4 })];
    let settled: Vec<_> = outbox[..4].iter().map(|mutation| mutation.id).collect();
    store.settle(&outbox[..4], &settled, refused).await.unwrap();
    assert_eq!(store.outbox_ids().await.unwrap(), vec![outbox[4].id, outbox[5].id]);

    let moved = baoxue_app::store::Profile { device: OTHER_PHONE, ..common::profile() };
    // The phone's clock was set back a minute meanwhile.
    let written = store.reissue(Some(&moved), &[outbox[3].id], NOW - 60_000, common::counter_random()).await.unwrap();
    let again: Vec<_> =
        written.mutations.iter().map(|mutation| (mutation.device, mutation.seq, &mutation.change)).collect();
    assert_eq!(
        again,
        vec![
            (OTHER_PHONE, 1, &outbox[3].change),
            (OTHER_PHONE, 2, &outbox[4].change),
            (OTHER_PHONE, 3, &outbox[5].change),
        ],
        "in the order first made, from counter 1 of the new device"
    );
    assert!(store.refused().await.unwrap().is_empty());
    assert!(store.outbox(PHONE).await.unwrap().is_empty(), "the old device's entries left the outbox");
    let now_unsent = store.outbox(OTHER_PHONE).await.unwrap();
    assert_eq!(now_unsent, written.mutations);
    assert_eq!(store.load().await.unwrap().profile, Some(moved));
    // The originals stay in the history, listed as re-issued: never sent back to a server.
    assert_eq!(store.count().await.unwrap(), 9);
    let originals: std::collections::BTreeSet<_> = outbox[3..].iter().map(|mutation| mutation.id).collect();
    assert_eq!(store.reissued().await.unwrap(), originals);
    // The new chain's clock goes on from the old one: a re-issue sorts after every change the
    // phone made before, its original included, though the clock now reads earlier.
    let newest_before = outbox.iter().map(|mutation| mutation.stamp).max().unwrap();
    assert!(written.mutations.iter().all(|mutation| mutation.stamp > newest_before), "{:?}", written.mutations);
}
