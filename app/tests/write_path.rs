//! The one write path against a real IndexedDB in headless Chromium: commits that overlap (two
//! quick taps, a tap during a pull, two tabs) never share a counter.

use baoxue_app::ctx::AppCtx;
use baoxue_app::store::Store;
use baoxue_domain::mutation::{verify_chain, ContentHash};
use futures::future::join_all;
use indexed_db_futures::database::Database;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{class_of_seven, first_run, mark, PHONE};

async fn set_up_phone(name: &str) -> AppCtx {
    let _ = Database::delete_by_name(name).unwrap().await;
    let store = Store::open_named(name).await.unwrap();
    first_run(&store, class_of_seven(), 1_770_000_000_000).await;
    let ctx = AppCtx::new();
    let loaded = store.load().await.unwrap();
    ctx.store.set_value(Some(Rc::new(store)));
    ctx.state.set(loaded.state);
    ctx.profile.set(loaded.profile);
    ctx.loaded.set(true);
    ctx
}

#[wasm_bindgen_test]
async fn fifty_commits_fired_at_once_take_fifty_consecutive_counters() {
    let ctx = set_up_phone("test-write-overlap").await;
    // Fired without awaiting between them, as ten quick taps dispatched in one tick are.
    let results = join_all((1..=50).map(|n| ctx.write(vec![mark(n)]))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");

    let store = Store::open_named("test-write-overlap").await.unwrap();
    let mut read = store.mutations().await.unwrap();
    read.sort_by_key(|mutation| mutation.seq);
    let counters: Vec<u64> = read.iter().map(|mutation| mutation.seq).collect();
    assert_eq!(counters, (1..=58).collect::<Vec<u64>>(), "one chain: the first run's 8 changes, then 50 taps");
    assert_eq!(verify_chain(PHONE, (0, ContentHash::default()), &read), Ok(()));
    assert_eq!(store.unsent().await.unwrap(), 58);
}
