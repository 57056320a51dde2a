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

pub use backup::{Backup, BackupSummary};
pub use sync::{Credential, RefusedChange, SyncMarks};

use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::{DeviceId, SchoolId};
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
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
    #[error("a stored record is damaged and cannot be read: {0}")]
    Damaged(String),
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
        })
    }

    /// Makes mutations of `changes` through the device chain and writes them, their outbox
    /// entries and the advanced chain in one transaction. Each change comes with its `base`
    /// (`Mutation::base`, `sync::conflict::base_for`): what the phone held of the slots it
    /// writes, `None` for a change that writes no contested slot. On error nothing is written
    /// and the chain the caller holds is left as it was.
    pub async fn commit(
        &self,
        chain: &mut DeviceChain,
        author: &str,
        school: SchoolId,
        changes: Vec<(Change, Option<Vec<Hlc>>)>,
        now_ms: u64,
        random: impl FnMut() -> [u8; 10],
    ) -> Result<Vec<Mutation>, StoreError> {
        let mut next_chain = chain.clone();
        let mut random = random;
        let mutations: Vec<Mutation> = changes
            .into_iter()
            .map(|(change, base)| match base {
                Some(base) => next_chain.next_based(author, school, change, base, now_ms, random()),
                None => next_chain.next(author, school, change, now_ms, random()),
            })
            .collect();
        let chain_json = serde_json::to_string(&next_chain).map_err(write_error)?;
        self.write_mutations(&mutations, &[("chain", chain_json)]).await?;
        *chain = next_chain;
        Ok(mutations)
    }

    /// The first run: this phone's profile, its new chain and the first changes (the school,
    /// the class, the term), all in one transaction, so a phone is either set up or not.
    pub async fn set_up(
        &self,
        profile: &Profile,
        changes: Vec<Change>,
        now_ms: u64,
        mut random: impl FnMut() -> [u8; 10],
    ) -> Result<(DeviceChain, Vec<Mutation>), StoreError> {
        let mut chain = DeviceChain::new(profile.device);
        let mutations: Vec<Mutation> = changes
            .into_iter()
            .map(|change| chain.next(&profile.teacher, profile.school, change, now_ms, random()))
            .collect();
        let meta = [
            ("chain", serde_json::to_string(&chain).map_err(write_error)?),
            ("profile", serde_json::to_string(profile).map_err(write_error)?),
        ];
        self.write_mutations(&mutations, &meta).await?;
        Ok((chain, mutations))
    }

    /// Writes mutations and `meta` entries in one transaction; a mutation already stored is
    /// written again unchanged, so repeating a write changes nothing.
    async fn write_mutations(&self, mutations: &[Mutation], meta: &[(&str, String)]) -> Result<(), StoreError> {
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
            store.put(json).with_key(id.clone()).primitive().map_err(write_error)?;
            outbox.put(id.clone()).with_key(id).primitive().map_err(write_error)?;
        }
        let meta_store = transaction.object_store(META).map_err(write_error)?;
        for (key, json) in meta {
            meta_store.put(json.clone()).with_key((*key).to_owned()).primitive().map_err(write_error)?;
        }
        transaction.commit().await.map_err(write_error)
    }

    pub async fn mutations(&self) -> Result<Vec<Mutation>, StoreError> {
        self.mutation_texts()
            .await?
            .iter()
            .map(|text| serde_json::from_str(text).map_err(|error| StoreError::Damaged(error.to_string())))
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

    async fn meta<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let transaction = self.db.transaction(META).build().map_err(read_error)?;
        let store = transaction.object_store(META).map_err(read_error)?;
        let text: Option<String> =
            store.get(key.to_owned()).primitive().map_err(read_error)?.await.map_err(read_error)?;
        text.map(|text| serde_json::from_str(&text).map_err(|error| StoreError::Damaged(format!("{key}: {error}"))))
            .transpose()
    }
}
