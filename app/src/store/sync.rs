//! What the sync client needs from the store: the device credential, the outbox in counter
//! order, settling it after a push, and pulled pages written together with their cursor.
//! Kept apart from the load path in `mod.rs`.

use super::schema::{META, MUTATIONS, OUTBOX};
use super::{read_error, write_error, Store, StoreError};
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::{DeviceId, MutationId, SchoolId};
use baoxue_domain::mutation::{DeviceChain, Mutation};
use baoxue_domain::sync::{client, screen, PullPage, RejectionReason};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use serde::{Deserialize, Serialize};

const CREDENTIAL: &str = "credential";
const CURSOR: &str = "cursor";
/// The server epoch the cursor counts in (`PullPage::epoch`), written with it.
const EPOCH: &str = "epoch";
const SYNC_MARKS: &str = "sync_marks";
pub(super) const REJECTED: &str = "rejected";
/// The ids of this phone's changes it re-issued under a later device id (`Store::reissue`).
pub(super) const REISSUED: &str = "reissued";
/// Each re-issued original's stamp with its re-issue's, for the bases of later re-issues
/// (`conflict::reissued_base`).
pub(super) const REISSUE_STAMPS: &str = "reissue_stamps";
/// Pulled changes this phone did not merge (`domain::sync::screen`), kept to be reported.
const SET_ASIDE: &str = "set_aside";
/// The newest counter and hash held of each device's chain (`screen::HeldHeads`), written with
/// every pulled page: what the next pulled change of a device must follow.
const HELD_HEADS: &str = "held_heads";

/// What enrollment gave this phone: the server's school and the token sent on every request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Credential {
    pub device: DeviceId,
    pub school: SchoolId,
    pub token: String,
}

/// What the phone remembers between syncs, besides the cursor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncMarks {
    /// When the last sync finished, by the corrected clock (ms since 1970).
    pub last_synced_ms: Option<u64>,
    /// The server's clock minus the phone's, learnt from the last quick answer.
    pub clock_offset_ms: i64,
    /// A send-back is due and not done yet (`domain::sync::marks::PullMarks::send_back`: a
    /// resync began, or the phone learnt its first epoch): the next sync does it, even if this
    /// one was cut off (no signal, the app closed) after the pull.
    #[serde(default)]
    pub send_back_pending: bool,
}

/// A change the server refused for good, kept so that the teacher can see what and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefusedChange {
    pub mutation: Mutation,
    pub reason: RejectionReason,
}

impl Store {
    pub async fn credential(&self) -> Result<Option<Credential>, StoreError> {
        self.meta(CREDENTIAL).await
    }

    pub async fn save_credential(&self, credential: &Credential) -> Result<(), StoreError> {
        self.put_meta(CREDENTIAL, &serde_json::to_string(credential).map_err(write_error)?).await
    }

    pub async fn sync_marks(&self) -> Result<SyncMarks, StoreError> {
        Ok(self.meta(SYNC_MARKS).await?.unwrap_or_default())
    }

    pub async fn save_sync_marks(&self, marks: SyncMarks) -> Result<(), StoreError> {
        self.put_meta(SYNC_MARKS, &serde_json::to_string(&marks).map_err(write_error)?).await
    }

    pub async fn cursor(&self) -> Result<u64, StoreError> {
        Ok(self.meta(CURSOR).await?.unwrap_or(0))
    }

    /// The server epoch the cursor was pulled under; `None` before the first pull.
    pub async fn epoch(&self) -> Result<Option<String>, StoreError> {
        self.meta(EPOCH).await
    }

    pub async fn refused(&self) -> Result<Vec<RefusedChange>, StoreError> {
        Ok(self.meta(REJECTED).await?.unwrap_or_default())
    }

    /// This phone's changes it re-issued under a later device id: their re-issues carry the same
    /// changes, so a send-back to a restored server leaves them out (the server would hold each
    /// edit twice).
    pub async fn reissued(&self) -> Result<std::collections::BTreeSet<MutationId>, StoreError> {
        let ids: Vec<MutationId> = self.meta(REISSUED).await?.unwrap_or_default();
        Ok(ids.into_iter().collect())
    }

    /// The newest counter and hash held of each device's chain, from pulled pages.
    pub async fn held_heads(&self) -> Result<screen::HeldHeads, StoreError> {
        Ok(self.meta(HELD_HEADS).await?.unwrap_or_default())
    }

    /// Pulled changes set aside, not merged: what the sync screen reports.
    pub async fn set_aside(&self) -> Result<Vec<RefusedChange>, StoreError> {
        Ok(self.meta(SET_ASIDE).await?.unwrap_or_default())
    }

    /// Adds pulled changes to those set aside (once each, by id). Written before the page, so
    /// a crash in between pulls the page again and finds them already kept.
    pub async fn keep_set_aside(&self, more: Vec<RefusedChange>) -> Result<Vec<RefusedChange>, StoreError> {
        let mut kept = self.set_aside().await?;
        for change in more {
            if !kept.iter().any(|known| known.mutation.id == change.mutation.id) {
                kept.push(change);
            }
        }
        self.put_meta(SET_ASIDE, &serde_json::to_string(&kept).map_err(write_error)?).await?;
        Ok(kept)
    }

    async fn put_meta(&self, key: &str, json: &str) -> Result<(), StoreError> {
        let transaction =
            self.db.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(write_error)?;
        let store = transaction.object_store(META).map_err(write_error)?;
        store.put(json.to_owned()).with_key(key.to_owned()).primitive().map_err(write_error)?;
        transaction.commit().await.map_err(write_error)
    }

    /// The ids in the outbox, whichever device made them: what a backup file marks unsent.
    pub async fn outbox_ids(&self) -> Result<Vec<MutationId>, StoreError> {
        let transaction = self.db.transaction(OUTBOX).build().map_err(read_error)?;
        outbox_keys(&transaction, read_error)
            .await?
            .iter()
            .map(|id| id.parse().map_err(|_| StoreError::Damaged(format!("outbox entry {id:?} is not a mutation id"))))
            .collect()
    }

    /// This device's unsent mutations in counter order, the order the server needs them in.
    pub async fn outbox(&self, device: DeviceId) -> Result<Vec<Mutation>, StoreError> {
        let transaction = self.db.transaction([MUTATIONS, OUTBOX]).build().map_err(read_error)?;
        let mut mutations = outbox_mutations(&transaction, read_error).await?;
        // Another device's mutation in the outbox (from a restored backup) would only be
        // refused: the server takes a device's own changes only. `AppCtx::reissue` sends it
        // again under this device once the phone enrolls.
        mutations.retain(|mutation| mutation.device == device);
        mutations.sort_by_key(|mutation| mutation.seq);
        Ok(mutations)
    }

    /// This device's stored mutations from counter `from` on, to fill a gap the server found
    /// (the outbox lost entries, say after a restore).
    pub async fn own_mutations_from(&self, device: DeviceId, from: u64) -> Result<Vec<Mutation>, StoreError> {
        let mut mutations: Vec<Mutation> = self
            .mutations()
            .await?
            .into_iter()
            .filter(|mutation| mutation.device == device && mutation.seq >= from)
            .collect();
        mutations.sort_by_key(|mutation| mutation.seq);
        Ok(mutations)
    }

    /// After a push: removes the `settled` mutations from the outbox (the receipt covers them,
    /// `domain::sync::client`), and keeps the refused ones of `sent` in a list of their own with
    /// their reasons, in one transaction. Returns how many remain unsent.
    pub async fn settle(
        &self,
        sent: &[Mutation],
        settled: &[MutationId],
        refused: Vec<(MutationId, RejectionReason)>,
    ) -> Result<u32, StoreError> {
        let transaction =
            self.db.transaction([OUTBOX, META]).with_mode(TransactionMode::Readwrite).build().map_err(write_error)?;
        let outbox = transaction.object_store(OUTBOX).map_err(write_error)?;
        for id in settled {
            outbox.delete(id.to_string()).primitive().map_err(write_error)?;
        }
        if !refused.is_empty() {
            let meta = transaction.object_store(META).map_err(write_error)?;
            let text: Option<String> =
                meta.get(REJECTED.to_owned()).primitive().map_err(write_error)?.await.map_err(write_error)?;
            let mut kept: Vec<RefusedChange> = match text {
                Some(text) => serde_json::from_str(&text).map_err(|error| StoreError::Damaged(error.to_string()))?,
                None => Vec::new(),
            };
            for (id, reason) in refused {
                let known = kept.iter().any(|change| change.mutation.id == id);
                if let (false, Some(mutation)) = (known, sent.iter().find(|mutation| mutation.id == id)) {
                    kept.push(RefusedChange { mutation: mutation.clone(), reason });
                }
            }
            let json = serde_json::to_string(&kept).map_err(write_error)?;
            meta.put(json).with_key(REJECTED.to_owned()).primitive().map_err(write_error)?;
        }
        let left = outbox.count().primitive().map_err(write_error)?.await.map_err(write_error)?;
        transaction.commit().await.map_err(write_error)?;
        Ok(left)
    }

    /// Writes a pulled page's mutations, the new cursor with its epoch and the device clock advanced past
    /// every pulled stamp, in one transaction: a crash between pages resumes at the cursor and
    /// never skips a mutation. The cursor only grows (`max(cursor, next)`: a late or repeated
    /// page never moves it back past mutations already written), except in a resync, which
    /// starts over from 0 on purpose. Mutations already held are written again unchanged.
    /// Returns the advanced chain, if this phone has one yet.
    pub async fn apply_page(
        &self,
        page: &PullPage,
        resync: bool,
        now_ms: u64,
    ) -> Result<Option<DeviceChain>, StoreError> {
        let transaction = self
            .db
            .transaction([MUTATIONS, META])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(write_error)?;
        let store = transaction.object_store(MUTATIONS).map_err(write_error)?;
        for (_, mutation) in &page.mutations {
            let json = serde_json::to_string(mutation).map_err(write_error)?;
            store.put(json).with_key(mutation.id.to_string()).primitive().map_err(write_error)?;
        }
        let meta = transaction.object_store(META).map_err(write_error)?;
        let stored: Option<String> =
            meta.get(CURSOR.to_owned()).primitive().map_err(write_error)?.await.map_err(write_error)?;
        let stored: u64 = stored.and_then(|text| text.parse().ok()).unwrap_or(0);
        let cursor = client::cursor_after(stored, page.next, resync);
        meta.put(cursor.to_string()).with_key(CURSOR.to_owned()).primitive().map_err(write_error)?;
        // So do the device heads the next page is checked against (`screen::screen_page`).
        if !page.mutations.is_empty() {
            let text: Option<String> =
                meta.get(HELD_HEADS.to_owned()).primitive().map_err(write_error)?.await.map_err(write_error)?;
            let mut heads: screen::HeldHeads = match text {
                Some(text) => serde_json::from_str(&text)
                    .map_err(|error| StoreError::Damaged(format!("{HELD_HEADS}: {error}")))?,
                None => screen::HeldHeads::new(),
            };
            for (_, mutation) in &page.mutations {
                screen::advance(&mut heads, mutation);
            }
            let json = serde_json::to_string(&heads).map_err(write_error)?;
            meta.put(json).with_key(HELD_HEADS.to_owned()).primitive().map_err(write_error)?;
        }
        // The epoch goes with the cursor: a cursor is only meaningful in its epoch.
        if !page.epoch.is_empty() {
            let epoch = serde_json::to_string(&page.epoch).map_err(write_error)?;
            meta.put(epoch).with_key(EPOCH.to_owned()).primitive().map_err(write_error)?;
        }
        // The chain is read inside this transaction, so a local change committed meanwhile is
        // never overwritten by an older copy of the chain.
        let chain_text: Option<String> =
            meta.get("chain".to_owned()).primitive().map_err(write_error)?.await.map_err(write_error)?;
        let highest: Option<Hlc> = page.mutations.iter().map(|(_, mutation)| mutation.stamp).max();
        let chain = match (chain_text, highest) {
            (Some(text), Some(highest)) => {
                let mut chain: DeviceChain =
                    serde_json::from_str(&text).map_err(|error| StoreError::Damaged(format!("chain: {error}")))?;
                chain.clock = chain.clock.observe(highest, now_ms);
                meta.put(serde_json::to_string(&chain).map_err(write_error)?)
                    .with_key("chain".to_owned())
                    .primitive()
                    .map_err(write_error)?;
                Some(chain)
            }
            _ => None,
        };
        transaction.commit().await.map_err(write_error)?;
        Ok(chain)
    }
}

/// The outbox's keys (mutation ids), read in `transaction`; `fail` says what a failure is (a
/// read, or part of a write).
async fn outbox_keys(
    transaction: &Transaction<'_>,
    fail: fn(indexed_db_futures::error::Error) -> StoreError,
) -> Result<Vec<String>, StoreError> {
    transaction
        .object_store(OUTBOX)
        .map_err(fail)?
        .get_all_keys::<String>()
        .primitive()
        .map_err(fail)?
        .await
        .map_err(fail)?
        .collect::<Result<_, _>>()
        .map_err(fail)
}

/// Every mutation the outbox names, of any device, read in `transaction` (which covers the
/// outbox and the mutations). An entry whose mutation is missing is skipped; one that does not
/// parse is a damaged record.
pub(super) async fn outbox_mutations(
    transaction: &Transaction<'_>,
    fail: fn(indexed_db_futures::error::Error) -> StoreError,
) -> Result<Vec<Mutation>, StoreError> {
    let ids = outbox_keys(transaction, fail).await?;
    let store = transaction.object_store(MUTATIONS).map_err(fail)?;
    let mut mutations = Vec::with_capacity(ids.len());
    for id in ids {
        let text: Option<String> = store.get(id.clone()).primitive().map_err(fail)?.await.map_err(fail)?;
        if let Some(text) = text {
            let mutation =
                serde_json::from_str(&text).map_err(|error| StoreError::Damaged(format!("mutation {id}: {error}")))?;
            mutations.push(mutation);
        }
    }
    Ok(mutations)
}
