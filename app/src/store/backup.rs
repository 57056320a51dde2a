//! A backup file of everything on the phone, and its import. Import adds what the phone lacks
//! and never removes or changes what it has: mutations are immutable and keyed by id.

use super::schema::META;
use super::{idb_error, Profile, Store, StoreError};
use baoxue_domain::ids::MutationId;
use baoxue_domain::mutation::{DeviceChain, Mutation};
use baoxue_domain::sorting::sort_by_key;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Deserialize, Serialize};

const FORMAT: &str = "baoxue-backup";

/// The `meta` key of when the last backup file was made (milliseconds since 1970).
pub(super) const LAST_BACKUP: &str = "last_backup_ms";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub version: u32,
    pub profile: Option<Profile>,
    pub chain: Option<DeviceChain>,
    pub mutations: Vec<Mutation>,
    /// The ids of the mutations not yet on the server when the file was made: restored, they
    /// go back in the outbox, and are re-issued under the phone's device once it enrolls.
    /// Missing in files of earlier versions: then the file's own device's mutations are taken
    /// as unsent (sending one the server has is harmless, it merges away by record id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Vec<MutationId>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackupSummary {
    pub in_file: usize,
    pub added: usize,
}

impl Store {
    pub async fn export(&self) -> Result<String, StoreError> {
        let mut mutations = self.mutations().await?;
        sort_by_key(&mut mutations, |mutation| (mutation.device, mutation.seq));
        let backup = Backup {
            format: FORMAT.to_owned(),
            version: 1,
            profile: self.meta("profile").await?,
            chain: self.meta("chain").await?,
            mutations,
            outbox: Some(self.outbox_ids().await?),
        };
        serde_json::to_string(&backup).map_err(|error| StoreError::Read(error.to_string()))
    }

    /// Records that a backup file was made at `at_ms`: settings shows it, and the reminder to
    /// back up stays quiet while the file holds every unsent change.
    pub async fn record_backup(&self, at_ms: u64) -> Result<(), StoreError> {
        let transaction = self.db.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(idb_error)?;
        let meta = transaction.object_store(META).map_err(idb_error)?;
        meta.put(to_json(&at_ms)?).with_key(LAST_BACKUP.to_owned()).primitive().map_err(idb_error)?;
        transaction.commit().await.map_err(idb_error)
    }

    /// Adds the file's mutations this phone does not have, in one transaction. The profile and
    /// chain are taken from the file only when this phone has none (a new phone restoring).
    pub async fn import(&self, text: &str) -> Result<BackupSummary, StoreError> {
        let backup: Backup = serde_json::from_str(text).map_err(|error| StoreError::BadBackup(error.to_string()))?;
        if backup.format != FORMAT {
            return Err(StoreError::BadBackup(format!("this is not a Baoxue backup (format {:?})", backup.format)));
        }
        let have: std::collections::BTreeSet<_> =
            self.mutations().await?.into_iter().map(|mutation| mutation.id).collect();
        let new: Vec<Mutation> =
            backup.mutations.iter().filter(|mutation| !have.contains(&mutation.id)).cloned().collect();
        let mut meta = Vec::new();
        if self.meta::<Profile>("profile").await?.is_none() {
            if let Some(profile) = &backup.profile {
                meta.push(("profile", to_json(profile)?));
            }
            if let Some(chain) = &backup.chain {
                meta.push(("chain", to_json(chain)?));
            }
        }
        let own_device = backup.chain.as_ref().map(|chain| chain.device);
        let outbox: Option<std::collections::BTreeSet<MutationId>> =
            backup.outbox.as_ref().map(|ids| ids.iter().copied().collect());
        let unsent = |mutation: &Mutation| match &outbox {
            Some(ids) => ids.contains(&mutation.id),
            None => Some(mutation.device) == own_device,
        };
        self.write_mutations(&new, unsent, &meta).await?;
        Ok(BackupSummary { in_file: backup.mutations.len(), added: new.len() })
    }
}

fn to_json(value: &impl Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::Write(error.to_string()))
}
