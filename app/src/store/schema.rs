//! The database's versions and the steps between them. A later version must open every earlier
//! database without losing a record: each step only adds, and data steps run after opening,
//! once, recorded in `meta`.

use super::StoreError;
use crate::clock;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use std::cell::Cell;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

/// Version 1: `mutations` only. Version 2: `outbox` (mutation ids not yet acknowledged by the
/// server) and `meta` (profile, device chain, data-step marks).
pub const VERSION: u32 = 2;
pub const MUTATIONS: &str = "mutations";
pub const OUTBOX: &str = "outbox";
pub const META: &str = "meta";

/// How long an open reported `blocked` still waits for the other tabs to close.
const BLOCKED_GRACE_MS: i32 = 2000;

/// Opens the database at `VERSION`, upgrading it if it is older. An upgrade waits until every
/// other tab has closed the database; a tab of this version closes it when asked
/// (`close_on_version_change`), but a tab of an older version of the app does not, and the
/// open would wait for as long as that tab stays open. The browser says so with `blocked`:
/// the open then ends with `StoreError::Blocked`, for the teacher to close that tab and reload.
pub async fn open(name: &str) -> Result<Database, StoreError> {
    let blocked = Rc::new(Blocked::default());
    let on_blocked = blocked.clone();
    let opening = Database::open(name)
        .with_version(VERSION)
        .with_on_blocked(move |_| {
            on_blocked.raise();
            Ok(())
        })
        .with_on_upgrade_needed(|event, db| {
            let old = event.old_version();
            if old < 1.0 {
                db.create_object_store(MUTATIONS).build()?;
            }
            if old < 2.0 {
                db.create_object_store(OUTBOX).build()?;
                db.create_object_store(META).build()?;
            }
            Ok(())
        })
        .into_future();
    let mut opening = Box::pin(opening);
    // Chromium fires `blocked` as soon as it has sent `versionchange`, before the other tabs
    // could answer; a tab of this version closes at once, so the open gets a moment more.
    let mut grace: Option<Pin<Box<dyn Future<Output = ()>>>> = None;
    let db = std::future::poll_fn(|context| {
        if let Poll::Ready(result) = opening.as_mut().poll(context) {
            return Poll::Ready(Some(result.map_err(|error| StoreError::Open(error.to_string()))));
        }
        if !blocked.raised.get() {
            blocked.waker.set(Some(context.waker().clone()));
            return Poll::Pending;
        }
        grace.get_or_insert_with(|| Box::pin(clock::sleep_ms(BLOCKED_GRACE_MS))).as_mut().poll(context).map(|()| None)
    })
    .await;
    let Some(db) = db else {
        // The request cannot be withdrawn: it goes on once the other tab closes. Dropped, it
        // would lose its upgrade handler and the browser would raise the version without the
        // new object stores, for good; so it is kept to its end, and closed, and the reload
        // opens the upgraded database.
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(db) = opening.await {
                db.close();
            }
        });
        return Err(StoreError::Blocked);
    };
    let db = db?;
    // Without it, a newer version opened in another tab would wait on this one; the app works
    // on without it, so a failure is only logged.
    if let Err(error) = close_on_version_change(name, &db) {
        leptos::logging::warn!("保学 store: cannot listen for other tabs' upgrades: {error:?}");
    }
    Ok(db)
}

/// Raised by the open request's `blocked` event; wakes the open waiting on it.
#[derive(Default)]
struct Blocked {
    raised: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

impl Blocked {
    fn raise(&self) {
        self.raised.set(true);
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }
}

/// Closes `db` when another tab asks to upgrade (or delete) the database, so that tab goes on
/// rather than waiting on this one; this tab's store fails from then on, and the update banner
/// offers the newer version. indexed_db_futures 0.6 keeps the IDBDatabase inside its `Database`
/// and hears `versionchange` only behind its `version-change` feature, which brings tokio's
/// macros and three more crates into the build; a second connection, opened only to hear the
/// event (without a version, so it never upgrades), costs one open at start.
fn close_on_version_change(name: &str, db: &Database) -> Result<(), JsValue> {
    let factory = web_sys::window().ok_or("no window")?.indexed_db()?.ok_or("no IndexedDB")?;
    let request = factory.open(name)?;
    let opened = request.clone();
    let db = db.clone();
    let on_success = Closure::once_into_js(move || {
        let Ok(watcher) = opened.result().and_then(|result| result.dyn_into::<web_sys::IdbDatabase>()) else {
            return;
        };
        let closing = watcher.clone();
        let on_version_change = Closure::once_into_js(move || {
            closing.close();
            db.close();
        });
        watcher.set_onversionchange(Some(on_version_change.unchecked_ref()));
    });
    request.set_onsuccess(Some(on_success.unchecked_ref()));
    Ok(())
}

/// Data steps. Version 1 had no sync, so every mutation it holds is unsent: put them all in
/// the outbox.
pub async fn migrate_data(db: &Database) -> Result<(), StoreError> {
    let write = |error: indexed_db_futures::error::Error| StoreError::Write(error.to_string());
    let transaction =
        db.transaction([MUTATIONS, OUTBOX, META]).with_mode(TransactionMode::Readwrite).build().map_err(write)?;
    let meta = transaction.object_store(META).map_err(write)?;
    let done: Option<String> =
        meta.get("outbox_from_v1".to_owned()).primitive().map_err(write)?.await.map_err(write)?;
    if done.is_some() {
        return Ok(());
    }
    let ids: Vec<String> = transaction
        .object_store(MUTATIONS)
        .map_err(write)?
        .get_all_keys::<String>()
        .primitive()
        .map_err(write)?
        .await
        .map_err(write)?
        .collect::<Result<_, _>>()
        .map_err(write)?;
    let outbox = transaction.object_store(OUTBOX).map_err(write)?;
    for id in ids {
        outbox.put(id.clone()).with_key(id).primitive().map_err(write)?;
    }
    meta.put("done".to_owned()).with_key("outbox_from_v1".to_owned()).primitive().map_err(write)?;
    transaction.commit().await.map_err(write)
}
