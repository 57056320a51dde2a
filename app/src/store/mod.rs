//! The phone's IndexedDB store. Everything is written as the domain's mutations, and the
//! mutations are the store: records are rebuilt from them on start. Writes that belong together
//! (the mutations, their outbox entries and the device chain) go in one transaction, committed
//! explicitly, so a crash leaves all of them or none.

mod backup;
pub mod persist;
mod profile;
mod schema;
mod snapshot;
mod sync;
mod write;

pub use backup::{Backup, BackupSummary};
pub use sync::{Credential, RefusedChange, SyncMarks};
pub use write::Written;

use baoxue_domain::ids::{DeviceId, SchoolId};
use baoxue_domain::mutation::{DeviceChain, Mutation};
use baoxue_domain::state::State;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use schema::{META, MUTATIONS, OUTBOX};
use serde::{Deserialize, Serialize};

pub const DB_NAME: &str = "baoxue";

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the phone's database: {0}")]
    Open(String),
    #[error("the phone's database refused the change: {0}")]
    Write(String),
    #[error("the phone's database could not be read: {0}")]
    Read(String),
    /// Which record, and what is wrong with it: the teacher is told to make a backup and
    /// tell the operator, since the other records are still there.
    #[error("a stored record is damaged and cannot be read: {0}")]
    Damaged(String),
    /// QuotaExceededError: nothing was written; space must be freed on the phone.
    #[error("the phone's storage is full; nothing was saved")]
    Full,
    /// Another tab holds the database at an older version, so this one cannot upgrade it.
    #[error("another tab of the app is open with an older version; close it to go on")]
    Blocked,
    #[error("this phone is not set up yet: choose the school and class first")]
    NotSetUp,
    #[error("the backup file cannot be read: {0}")]
    BadBackup(String),
}

fn write_error(error: impl std::fmt::Display) -> StoreError {
    StoreError::Write(error.to_string())
}

fn read_error(error: impl std::fmt::Display) -> StoreError {
    StoreError::Read(error.to_string())
}

/// An IndexedDB failure in a write, told apart by the DOMException's name: a full phone is
/// not a failure to retry.
fn idb_error(error: indexed_db_futures::error::Error) -> StoreError {
    use wasm_bindgen::JsCast;
    if let indexed_db_futures::error::Error::DomException(exception) = &error {
        let exception: wasm_bindgen::JsValue = exception.clone().into();
        if exception
            .dyn_ref::<web_sys::DomException>()
            .is_some_and(|exception| exception.name() == "QuotaExceededError")
        {
            return StoreError::Full;
        }
    }
    write_error(error)
}

/// Who uses this phone and for which school and class: set once by the first-run flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub device: DeviceId,
    pub school: SchoolId,
    pub class: Option<baoxue_domain::ids::ClassId>,
    /// The head teacher's name, written as the author of every change.
    pub teacher: String,
}

/// Whether this browser has never opened the app's database: then the first-run form can be
/// drawn at once, before the code that reads the store has arrived. False when the browser
/// cannot tell (`indexedDB.databases()` is missing or fails): the app then waits for the store.
pub async fn never_opened() -> bool {
    let Ok(listing) = indexed_db_futures::factory::DBFactory::new().and_then(|factory| Ok(factory.databases()?)) else {
        return false;
    };
    // An entry that cannot be read might be this database: only a clean list says "new".
    listing
        .await
        .is_ok_and(|mut databases| databases.all(|database| database.is_ok_and(|database| database.name() != DB_NAME)))
}

/// Everything the app needs at start.
pub struct Loaded {
    pub state: State,
    pub profile: Option<Profile>,
    pub chain: Option<DeviceChain>,
    pub unsent: u32,
    /// The stamp (wall time) of the oldest change not yet on the server; None when all are.
    pub oldest_unsent_ms: Option<u64>,
    /// When the last backup file was made on this phone; None if never.
    pub last_backup_ms: Option<u64>,
    /// A new snapshot of the stored mutations, to write (`Store::write_snapshot`) once the
    /// screen is up, when the stored one was missing or behind.
    pub new_snapshot: Option<String>,
}

pub struct Store {
    db: Database,
}

impl Store {
    pub async fn open() -> Result<Store, StoreError> {
        Self::open_named(DB_NAME).await
    }

    /// Opens (and creates or upgrades) the database called `name`; tests use their own names.
    pub async fn open_named(name: &str) -> Result<Store, StoreError> {
        let db = schema::open(name).await?;
        let store = Store { db };
        schema::migrate_data(&store.db).await?;
        Ok(store)
    }

    /// Reads everything and rebuilds the state from the mutations (see `snapshot`).
    pub async fn load(&self) -> Result<Loaded, StoreError> {
        let rebuilt = self.rebuild().await?;
        Ok(Loaded {
            state: rebuilt.state,
            new_snapshot: rebuilt.new_snapshot,
            profile: self.meta("profile").await?,
            chain: self.meta("chain").await?,
            unsent: self.unsent().await?,
            oldest_unsent_ms: self.oldest_unsent_ms().await?,
            last_backup_ms: self.meta(backup::LAST_BACKUP).await?,
        })
    }

    /// Writes mutations made elsewhere (a backup file), the outbox entries of those that are
    /// still to be sent (`unsent`) and `meta` entries in one transaction; a mutation already
    /// stored is written again unchanged, so repeating a write changes nothing.
    async fn write_mutations(
        &self,
        mutations: &[Mutation],
        unsent: impl Fn(&Mutation) -> bool,
        meta: &[(&str, String)],
    ) -> Result<(), StoreError> {
        let transaction = self
            .db
            .transaction([MUTATIONS, OUTBOX, META])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(write_error)?;
        let store = transaction.object_store(MUTATIONS).map_err(write_error)?;
        let outbox = transaction.object_store(OUTBOX).map_err(write_error)?;
        for mutation in mutations {
            let json = serde_json::to_string(mutation).map_err(write_error)?;
            let id = mutation.id.to_string();
            store.put(json).with_key(id.clone()).primitive().map_err(idb_error)?;
            if unsent(mutation) {
                outbox.put(id.clone()).with_key(id).primitive().map_err(idb_error)?;
            }
        }
        let meta_store = transaction.object_store(META).map_err(write_error)?;
        for (key, json) in meta {
            meta_store.put(json.clone()).with_key((*key).to_owned()).primitive().map_err(idb_error)?;
        }
        transaction.commit().await.map_err(idb_error)
    }

    pub async fn mutations(&self) -> Result<Vec<Mutation>, StoreError> {
        self.mutation_texts()
            .await?
            .iter()
            .map(|text| serde_json::from_str(text).map_err(|error| StoreError::Damaged(format!("mutation: {error}"))))
            .collect()
    }

    async fn mutation_texts(&self) -> Result<Vec<String>, StoreError> {
        let transaction = self.db.transaction(MUTATIONS).build().map_err(read_error)?;
        let store = transaction.object_store(MUTATIONS).map_err(read_error)?;
        store
            .get_all::<String>()
            .primitive()
            .map_err(read_error)?
            .await
            .map_err(read_error)?
            .collect::<Result<_, _>>()
            .map_err(read_error)
    }

    pub async fn count(&self) -> Result<u32, StoreError> {
        let transaction = self.db.transaction(MUTATIONS).build().map_err(read_error)?;
        let store = transaction.object_store(MUTATIONS).map_err(read_error)?;
        store.count().primitive().map_err(read_error)?.await.map_err(read_error)
    }

    /// Changes made on this phone that the server has not acknowledged yet.
    pub async fn unsent(&self) -> Result<u32, StoreError> {
        let transaction = self.db.transaction(OUTBOX).build().map_err(read_error)?;
        let store = transaction.object_store(OUTBOX).map_err(read_error)?;
        store.count().primitive().map_err(read_error)?.await.map_err(read_error)
    }

    /// The stamp's wall time of the oldest change in the outbox; None when it is empty. Outbox
    /// keys are mutation ids, UUIDv7 made from the writing phone's clock, so they sort oldest
    /// first: this reads one key and one mutation, not every unsent change, at each start.
    pub async fn oldest_unsent_ms(&self) -> Result<Option<u64>, StoreError> {
        let transaction = self.db.transaction([OUTBOX, MUTATIONS]).build().map_err(read_error)?;
        let first: Option<String> = transaction
            .object_store(OUTBOX)
            .map_err(read_error)?
            .get_all_keys::<String>()
            .with_limit(1)
            .primitive()
            .map_err(read_error)?
            .await
            .map_err(read_error)?
            .next()
            .transpose()
            .map_err(read_error)?;
        let Some(id) = first else {
            return Ok(None);
        };
        let store = transaction.object_store(MUTATIONS).map_err(read_error)?;
        let text: Option<String> = store.get(id.clone()).primitive().map_err(read_error)?.await.map_err(read_error)?;
        // An entry is written in one transaction with its mutation, so this is never missing;
        // if it were, the entry could not be sent either (`outbox` skips it), and the start must
        // not fail for a reminder.
        let Some(text) = text else {
            return Ok(None);
        };
        let mutation: Mutation =
            serde_json::from_str(&text).map_err(|error| StoreError::Damaged(format!("mutation {id}: {error}")))?;
        Ok(Some(mutation.stamp.wall_ms))
    }

    async fn meta<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let transaction = self.db.transaction(META).build().map_err(read_error)?;
        let store = transaction.object_store(META).map_err(read_error)?;
        let text: Option<String> =
            store.get(key.to_owned()).primitive().map_err(read_error)?.await.map_err(read_error)?;
        text.map(|text| serde_json::from_str(&text).map_err(|error| StoreError::Damaged(format!("{key}: {error}"))))
            .transpose()
    }
}
