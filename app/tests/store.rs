//! The store against a real IndexedDB in headless Chromium (`wasm-bindgen-test`).

use baoxue_app::store::{Store, StoreError, Written};
use baoxue_domain::ids::DeviceId;
use baoxue_domain::mutation::{verify_chain, ContentHash, DeviceChain, Mutation};
use baoxue_domain::state::State;
use baoxue_domain::sync::PullPage;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{counter_random, first_run, mark, profile, tap, PHONE, SCHOOL};

async fn fresh(name: &str) -> Store {
    let _ = Database::delete_by_name(name).unwrap().await;
    Store::open_named(name).await.unwrap()
}

#[wasm_bindgen_test]
async fn committed_changes_read_back_intact_and_chained() {
    let store = fresh("test-commit").await;
    let first = first_run(&store, vec![mark(0)], 1_770_000_000_000).await.mutations;
    let Written { mutations: more, chain } =
        store.commit((1..50).map(tap).collect(), None, 1_770_000_000_500, counter_random()).await.unwrap();
    assert_eq!(chain.last_seq, 50);

    let mut read = store.mutations().await.unwrap();
    read.sort_by_key(|mutation| mutation.seq);
    let written: Vec<Mutation> = first.into_iter().chain(more).collect();
    assert_eq!(read, written);
    // The chain made on the phone still verifies after the trip through IndexedDB.
    assert_eq!(verify_chain(PHONE, (0, ContentHash::default()), &read), Ok(()));

    let loaded = store.load().await.unwrap();
    assert_eq!(loaded.profile, Some(profile()));
    assert_eq!(loaded.chain, Some(chain));
    assert_eq!(loaded.unsent, 50);
    assert_eq!(loaded.state.marks.len(), 50);
}

#[wasm_bindgen_test]
async fn a_phone_reopened_continues_its_chain() {
    let store = fresh("test-reopen").await;
    first_run(&store, vec![mark(0)], 1_770_000_000_000).await;
    store.commit(vec![tap(1)], None, 1_770_000_000_001, counter_random()).await.unwrap();
    drop(store);
    let store = Store::open_named("test-reopen").await.unwrap();
    store.commit(vec![tap(2)], None, 1_770_000_000_002, counter_random()).await.unwrap();
    let mut read = store.mutations().await.unwrap();
    read.sort_by_key(|mutation| mutation.seq);
    assert_eq!(read.len(), 3);
    assert_eq!(verify_chain(PHONE, (0, ContentHash::default()), &read), Ok(()));
}

/// Writes a database exactly as schema version 1 did: one `mutations` store of JSON texts.
async fn write_version_1(name: &str, mutations: &[Mutation]) {
    let _ = Database::delete_by_name(name).unwrap().await;
    let db = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("mutations").build()?;
            Ok(())
        })
        .await
        .unwrap();
    let transaction = db.transaction("mutations").with_mode(TransactionMode::Readwrite).build().unwrap();
    let store = transaction.object_store("mutations").unwrap();
    for mutation in mutations {
        store.put(serde_json::to_string(mutation).unwrap()).with_key(mutation.id.to_string()).primitive().unwrap();
    }
    transaction.commit().await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn a_version_1_database_upgrades_without_losing_a_record() {
    let mut chain = DeviceChain::new(PHONE);
    let old: Vec<Mutation> =
        (0..20).map(|n| chain.next("李老师", SCHOOL, mark(n), 1_760_000_000_000 + n, [n as u8; 10])).collect();
    write_version_1("test-upgrade", &old).await;

    let store = Store::open_named("test-upgrade").await.unwrap();
    let mut read = store.mutations().await.unwrap();
    read.sort_by_key(|mutation| mutation.seq);
    assert_eq!(read, old);
    // Version 1 never synced: every old change waits in the outbox.
    assert_eq!(store.unsent().await.unwrap(), 20);
    // Opening again does not run the data step twice.
    drop(store);
    let store = Store::open_named("test-upgrade").await.unwrap();
    assert_eq!(store.unsent().await.unwrap(), 20);
    assert_eq!(store.count().await.unwrap(), 20);
    // A version 1 database has no snapshot: the first start reads every mutation.
    let loaded = store.load().await.unwrap();
    assert_eq!(loaded.state, State::from_mutations(&old));
    assert_eq!(loaded.new_snapshot.map(|snapshot| snapshot.lines().count()), Some(20));
}

/// The state a start rebuilds from every stored mutation, as the app did before snapshots.
async fn from_every_mutation(store: &Store) -> State {
    State::from_mutations(&store.mutations().await.unwrap())
}

#[wasm_bindgen_test]
async fn a_start_from_the_snapshot_equals_a_start_from_every_mutation() {
    let store = fresh("test-snapshot").await;
    first_run(&store, vec![mark(0)], 1_770_000_000_000).await;
    store.commit((1..30).map(tap).collect(), None, 1_770_000_000_100, counter_random()).await.unwrap();

    // No snapshot yet: every mutation is read, and a snapshot offered for writing.
    let first = store.load().await.unwrap();
    assert_eq!(first.state, from_every_mutation(&store).await);
    let snapshot = first.new_snapshot.expect("a start without a snapshot offers one");
    assert_eq!(snapshot.lines().count(), 30);
    store.write_snapshot(&snapshot).await.unwrap();

    let second = store.load().await.unwrap();
    assert_eq!(second.state, first.state);
    assert_eq!(second.new_snapshot, None, "a snapshot that holds every mutation is kept");

    // Taps after the snapshot: a short tail, read by key range and not worth a new snapshot.
    store.commit((30..35).map(tap).collect(), None, 1_770_000_000_200, counter_random()).await.unwrap();
    let third = store.load().await.unwrap();
    assert_eq!(third.state, from_every_mutation(&store).await);
    assert_eq!(third.state.marks.len(), 35);
    assert_eq!(third.new_snapshot, None);

    // Another phone's older changes (as a sync or a backup brings them) sort before the
    // snapshot's newest id: found by comparing keys.
    let mut other = DeviceChain::new(DeviceId::from_u128(12));
    let pulled =
        (35..38).map(|n| (n, other.next("王老师", SCHOOL, mark(n), 1_760_000_000_000, [n as u8; 10]))).collect();
    let page =
        PullPage { mutations: pulled, next: 38, more: false, server_time_ms: 1_760_000_000_000, epoch: String::new() };
    store.apply_page(&page, false, 1_770_000_000_150).await.unwrap();
    let fourth = store.load().await.unwrap();
    assert_eq!(fourth.state, from_every_mutation(&store).await);
    assert_eq!(fourth.state.marks.len(), 38);

    // A long tail is folded into a new snapshot.
    store.commit((38..250).map(tap).collect(), None, 1_770_000_000_300, counter_random()).await.unwrap();
    let fifth = store.load().await.unwrap();
    assert_eq!(fifth.state, from_every_mutation(&store).await);
    let longer = fifth.new_snapshot.expect("a snapshot far behind the store is renewed");
    assert_eq!(longer.lines().count(), 250);
    store.write_snapshot(&longer).await.unwrap();
    assert_eq!(store.load().await.unwrap().new_snapshot, None);

    // A damaged snapshot is only a cache: the start reads every mutation instead.
    store.write_snapshot("{not json").await.unwrap();
    let sixth = store.load().await.unwrap();
    assert_eq!(sixth.state, fifth.state);
    assert_eq!(sixth.new_snapshot.map(|text| text.lines().count()), Some(250));
}

#[wasm_bindgen_test]
async fn a_backup_restores_on_a_new_phone_and_adds_nothing_twice() {
    let store = fresh("test-backup-from").await;
    first_run(&store, vec![mark(0)], 1_770_000_000_000).await;
    let chain =
        store.commit((1..10).map(tap).collect(), None, 1_770_000_000_100, counter_random()).await.unwrap().chain;
    let file = store.export().await.unwrap();

    let restored = fresh("test-backup-to").await;
    let summary = restored.import(&file).await.unwrap();
    assert_eq!((summary.in_file, summary.added), (10, 10));
    let loaded = restored.load().await.unwrap();
    assert_eq!(loaded.profile, Some(profile()));
    assert_eq!(loaded.chain, Some(chain));
    let again = restored.import(&file).await.unwrap();
    assert_eq!(again.added, 0);
    assert_eq!(restored.count().await.unwrap(), 10);

    let bad = restored
        .import("{\"format\":\"something-else\",\"version\":1,\"profile\":null,\"chain\":null,\"mutations\":[]}")
        .await;
    assert!(matches!(bad, Err(StoreError::BadBackup(_))), "{bad:?}");
    assert!(matches!(restored.import("not json").await, Err(StoreError::BadBackup(_))));
    assert_eq!(restored.count().await.unwrap(), 10);
}

#[wasm_bindgen_test]
async fn a_start_knows_the_oldest_unsent_change_and_the_last_backup() {
    let store = fresh("test-safety").await;
    let loaded = store.load().await.unwrap();
    assert_eq!((loaded.oldest_unsent_ms, loaded.last_backup_ms), (None, None));

    let first = first_run(&store, vec![mark(0)], 1_770_000_000_000).await.mutations;
    store.commit((1..5).map(tap).collect(), None, 1_770_000_900_000, counter_random()).await.unwrap();
    store.record_backup(1_770_000_500_000).await.unwrap();
    let loaded = store.load().await.unwrap();
    assert_eq!(loaded.oldest_unsent_ms, Some(first[0].stamp.wall_ms));
    assert_eq!(loaded.last_backup_ms, Some(1_770_000_500_000));
}

/// A tab of an older version of the app holds the database and does not close it when asked:
/// the open ends with `Blocked` instead of waiting for ever, and once that tab closes, the
/// upgrade it waited for still creates every object store.
#[wasm_bindgen_test]
async fn an_upgrade_blocked_by_an_old_tab_ends_with_blocked() {
    let name = "test-blocked";
    let _ = Database::delete_by_name(name).unwrap().await;
    let old_tab = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("mutations").build()?;
            Ok(())
        })
        .await
        .unwrap();
    assert!(matches!(Store::open_named(name).await, Err(StoreError::Blocked)));

    old_tab.close();
    let store = Store::open_named(name).await.unwrap();
    first_run(&store, vec![mark(0)], 1_770_000_000_000).await;
    assert_eq!(store.unsent().await.unwrap(), 1);
}

/// A newer version opened in another tab is not kept waiting by this one: the store closes its
/// connections when asked.
#[wasm_bindgen_test]
async fn a_newer_version_in_another_tab_is_not_kept_waiting_by_an_open_store() {
    use futures::future::{select, Either};
    use std::future::IntoFuture;
    let name = "test-newer-tab";
    let store = fresh(name).await;
    first_run(&store, vec![mark(0)], 1_770_000_000_000).await;
    let newer = Database::open(name).with_version(9u32).with_on_upgrade_needed(|_, _| Ok(())).into_future();
    match select(Box::pin(newer), Box::pin(sleep_ms(5000))).await {
        Either::Left((newer, _)) => {
            let newer = newer.unwrap();
            assert_eq!(newer.version(), 9.0);
            newer.close();
        }
        Either::Right(_) => panic!("the open store kept the newer version waiting"),
    }
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}
