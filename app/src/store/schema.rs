//! The database's versions and the steps between them. A later version must open every earlier
//! database without losing a record: each step only adds, and data steps run after opening,
//! once, recorded in `meta`.

use super::StoreError;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

/// Version 1: `mutations` only. Version 2: `outbox` (mutation ids not yet acknowledged by the
/// server) and `meta` (profile, device chain, data-step marks).
pub const VERSION: u32 = 2;
pub const MUTATIONS: &str = "mutations";
pub const OUTBOX: &str = "outbox";
pub const META: &str = "meta";

pub async fn open(name: &str) -> Result<Database, StoreError> {
    Database::open(name)
        .with_version(VERSION)
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
        .await
        .map_err(|error| StoreError::Open(error.to_string()))
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
