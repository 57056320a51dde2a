//! The store's side of the one write path: every mutation this phone makes is numbered from the
//! device chain read *inside* the readwrite transaction that writes it, its outbox entry and the
//! advanced chain. IndexedDB runs readwrite transactions over the same stores one after the
//! other, so two writes that overlap (two quick taps, a tap during a pull, two tabs) can never
//! take the same counter, whatever the page does.

use super::schema::{META, MUTATIONS, OUTBOX};
use super::sync::{outbox_mutations, REISSUED, REISSUE_STAMPS, REJECTED};
use super::{idb_error, write_error, Profile, RefusedChange, Store, StoreError};
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::MutationId;
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::sync::conflict::reissued_base;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};

/// One open write: the transaction, the phone's profile and chain as stored, and what it wrote.
struct ChainWrite<'a> {
    transaction: Transaction<'a>,
    profile: Profile,
    chain: DeviceChain,
    written: Vec<Mutation>,
    now_ms: u64,
    /// Whether `profile` is new and must be put; a tap does not rewrite it.
    profile_changed: bool,
}

impl<'a> ChainWrite<'a> {
    /// Opens the transaction and reads the profile and chain in it. `new_profile` replaces the
    /// stored one (the first run, a class chosen in settings, a new device after enrollment);
    /// a profile of another device starts that device's chain at counter 1.
    async fn begin(store: &'a Store, new_profile: Option<&Profile>, now_ms: u64) -> Result<Self, StoreError> {
        let transaction = store
            .db
            .transaction([MUTATIONS, OUTBOX, META])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(idb_error)?;
        let meta = transaction.object_store(META).map_err(idb_error)?;
        // Both reads are asked for before either is awaited: one round trip, not two, on a tap.
        let profile_read = meta.get("profile".to_owned()).primitive().map_err(idb_error)?;
        let chain_read = meta.get("chain".to_owned()).primitive().map_err(idb_error)?;
        let stored_profile: Option<Profile> = parse_json("profile", profile_read.await.map_err(idb_error)?)?;
        let stored_chain: Option<DeviceChain> = parse_json("chain", chain_read.await.map_err(idb_error)?)?;
        let profile = match (new_profile, stored_profile) {
            (Some(profile), _) => profile.clone(),
            (None, Some(profile)) => profile,
            (None, None) => return Err(StoreError::NotSetUp),
        };
        let chain = match stored_chain {
            Some(chain) if chain.device == profile.device => chain,
            // The stored chain is another device's: only a new profile may say so (a new
            // device id after enrollment); otherwise the store contradicts itself.
            Some(chain) if new_profile.is_none() => {
                return Err(StoreError::Damaged(format!(
                    "chain: it belongs to device {}, the profile to {}",
                    chain.device, profile.device
                )))
            }
            // A new device id after enrollment: its stamps go on from the old chain's clock.
            Some(chain) => chain.continued_as(profile.device),
            None => DeviceChain::new(profile.device),
        };
        let profile_changed = new_profile.is_some();
        Ok(ChainWrite { transaction, profile, chain, written: Vec::new(), now_ms, profile_changed })
    }

    /// Makes the next mutation of the chain and puts it and its outbox entry.
    fn append(&mut self, change: Change, base: Option<Vec<Hlc>>, random: [u8; 10]) -> Result<(), StoreError> {
        let (author, school, now) = (self.profile.teacher.as_str(), self.profile.school, self.now_ms);
        let mutation = match base {
            Some(base) => self.chain.next_based(author, school, change, base, now, random),
            None => self.chain.next(author, school, change, now, random),
        };
        let json = serde_json::to_string(&mutation).map_err(write_error)?;
        let id = mutation.id.to_string();
        self.transaction
            .object_store(MUTATIONS)
            .map_err(idb_error)?
            .put(json)
            .with_key(id.clone())
            .primitive()
            .map_err(idb_error)?;
        self.transaction
            .object_store(OUTBOX)
            .map_err(idb_error)?
            .put(id.clone())
            .with_key(id)
            .primitive()
            .map_err(idb_error)?;
        self.written.push(mutation);
        Ok(())
    }

    /// Puts the advanced chain (and a new profile) and commits: all of it, or nothing.
    async fn finish(self) -> Result<Written, StoreError> {
        let meta = self.transaction.object_store(META).map_err(idb_error)?;
        let chain = serde_json::to_string(&self.chain).map_err(write_error)?;
        meta.put(chain).with_key("chain".to_owned()).primitive().map_err(idb_error)?;
        if self.profile_changed {
            let profile = serde_json::to_string(&self.profile).map_err(write_error)?;
            meta.put(profile).with_key("profile".to_owned()).primitive().map_err(idb_error)?;
        }
        self.transaction.commit().await.map_err(idb_error)?;
        Ok(Written { mutations: self.written, chain: self.chain })
    }
}

/// What a write made: the new mutations, and the chain they advanced.
#[derive(Debug)]
pub struct Written {
    pub mutations: Vec<Mutation>,
    pub chain: DeviceChain,
}

async fn read_json<T: serde::de::DeserializeOwned>(
    meta: &indexed_db_futures::object_store::ObjectStore<'_>,
    key: &str,
) -> Result<Option<T>, StoreError> {
    let text: Option<String> = meta.get(key.to_owned()).primitive().map_err(idb_error)?.await.map_err(idb_error)?;
    parse_json(key, text)
}

/// A `meta` entry read back; one that does not parse is a damaged record, named by its key.
fn parse_json<T: serde::de::DeserializeOwned>(key: &str, text: Option<String>) -> Result<Option<T>, StoreError> {
    text.map(|text| serde_json::from_str(&text).map_err(|error| StoreError::Damaged(format!("{key}: {error}"))))
        .transpose()
}

impl Store {
    /// Makes mutations of `changes` through the device chain as stored and writes them, their
    /// outbox entries and the advanced chain in one transaction. Each change comes with its
    /// `base` (`Mutation::base`): what the phone held of the slots it writes, `None` for a change
    /// that writes no contested slot. `profile`, when given, is saved in the same transaction
    /// (the first run; a class chosen in settings). On error nothing is written.
    pub async fn commit(
        &self,
        changes: Vec<(Change, Option<Vec<Hlc>>)>,
        profile: Option<&Profile>,
        now_ms: u64,
        mut random: impl FnMut() -> [u8; 10],
    ) -> Result<Written, StoreError> {
        let mut write = ChainWrite::begin(self, profile, now_ms).await?;
        for (change, base) in changes {
            write.append(change, base, random())?;
        }
        write.finish().await
    }

    /// Re-issues changes that can no longer reach the server as they are, as new mutations of
    /// this phone's current chain, with the same change (so the same record ids: merging them
    /// twice changes nothing) and the same base. Which ones:
    /// - every outbox entry made by another device id than `profile`'s (the device this phone
    ///   had before it was revoked or replaced, or the one a restored backup came from); the
    ///   new profile is saved in the same transaction;
    /// - the refused changes named in `refused`, which leave the refused list.
    ///
    /// The originals stay in the history; their outbox entries go, so nothing is sent twice.
    pub async fn reissue(
        &self,
        profile: Option<&Profile>,
        refused: &[MutationId],
        now_ms: u64,
        mut random: impl FnMut() -> [u8; 10],
    ) -> Result<Written, StoreError> {
        let mut write = ChainWrite::begin(self, profile, now_ms).await?;
        let device = write.profile.device;
        let mut originals: Vec<Mutation> = outbox_mutations(&write.transaction, idb_error)
            .await?
            .into_iter()
            .filter(|mutation| mutation.device != device)
            .collect();
        if !refused.is_empty() {
            let meta = write.transaction.object_store(META).map_err(idb_error)?;
            let kept: Vec<RefusedChange> = read_json(&meta, REJECTED).await?.unwrap_or_default();
            let (again, stay): (Vec<RefusedChange>, Vec<RefusedChange>) =
                kept.into_iter().partition(|change| refused.contains(&change.mutation.id));
            originals.extend(again.into_iter().map(|change| change.mutation));
            let stay = serde_json::to_string(&stay).map_err(write_error)?;
            meta.put(stay).with_key(REJECTED.to_owned()).primitive().map_err(idb_error)?;
        }
        // In the order they were first made, so a status and the mark that follows it keep theirs.
        originals.sort_by_key(|mutation| (mutation.stamp, mutation.seq));
        originals.dedup_by_key(|mutation| mutation.id);
        // The originals are never sent back to a restored server (`Store::reissued`): their
        // re-issues carry the same changes.
        let meta = write.transaction.object_store(META).map_err(idb_error)?;
        let mut reissued: Vec<MutationId> = read_json(&meta, REISSUED).await?.unwrap_or_default();
        reissued.extend(originals.iter().map(|original| original.id));
        let reissued = serde_json::to_string(&reissued).map_err(write_error)?;
        meta.put(reissued).with_key(REISSUED.to_owned()).primitive().map_err(idb_error)?;
        // Each re-issue's base also covers the re-issues of what its original's base covered
        // (`conflict::reissued_base`), this time's and every earlier time's.
        let mut stamps: Vec<(Hlc, Hlc)> = read_json(&meta, REISSUE_STAMPS).await?.unwrap_or_default();
        drop(meta);
        for original in originals {
            let outbox = write.transaction.object_store(OUTBOX).map_err(idb_error)?;
            outbox.delete(original.id.to_string()).primitive().map_err(idb_error)?;
            let base = original.base.map(|base| reissued_base(&base, &stamps));
            write.append(original.change, base, random())?;
            if let Some(again) = write.written.last() {
                stamps.push((original.stamp, again.stamp));
            }
        }
        let stamps = serde_json::to_string(&stamps).map_err(write_error)?;
        let meta = write.transaction.object_store(META).map_err(idb_error)?;
        meta.put(stamps).with_key(REISSUE_STAMPS.to_owned()).primitive().map_err(idb_error)?;
        write.finish().await
    }
}
