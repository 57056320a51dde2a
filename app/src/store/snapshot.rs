//! The snapshot: every stored mutation's JSON, one per line, kept as one value in `meta`. A start
//! reads this one value rather than one record per mutation: with a town's 15,000 mutations,
//! IndexedDB's per-record reads and the copy of each text into the app took about half of the
//! start on a slow phone.
//!
//! Mutations are immutable and never deleted, so a snapshot never holds a wrong mutation; it
//! only lacks the ones written after it (taps, an imported backup, a sync). A start counts the
//! stored mutations and reads the missing ones: by key range when they are this phone's newer
//! writes, else by comparing keys. It writes a new snapshot, once the screen is up, when there
//! was none or the missing ones have grown many.
//! A damaged snapshot is only a cache: the start reads every mutation instead.

use super::schema::{META, MUTATIONS};
use super::{read_error, write_error, Store, StoreError};
use baoxue_domain::ids::MutationId;
use baoxue_domain::mutation::Mutation;
use baoxue_domain::state::State;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;

const SNAPSHOT: &str = "snapshot";

/// Beyond this many missing mutations one `getAll` is faster than reading them key by key.
const READ_BY_KEY_AT_MOST: usize = 500;

/// A tail of this many mutations after the snapshot makes a start write a new snapshot; a
/// shorter one is read again at the next start.
const REWRITE_AFTER: usize = 200;

/// The state rebuilt at a start, and the snapshot to write when the stored one was behind.
pub struct Rebuilt {
    pub state: State,
    pub new_snapshot: Option<String>,
}

fn damaged(error: serde_json::Error) -> StoreError {
    StoreError::Damaged(error.to_string())
}

impl Store {
    /// Rebuilds the state from the snapshot and the mutations written after it.
    pub(super) async fn rebuild(&self) -> Result<Rebuilt, StoreError> {
        let snapshot = self.snapshot_text().await?.unwrap_or_default();
        let mut state = State::default();
        let mut in_snapshot = Some(0usize);
        let mut newest: Option<MutationId> = None;
        for line in snapshot.lines() {
            match serde_json::from_str::<Mutation>(line) {
                Ok(mutation) => {
                    newest = newest.max(Some(mutation.id));
                    state.apply_owned(mutation);
                    in_snapshot = in_snapshot.map(|count| count + 1);
                }
                Err(_) => {
                    in_snapshot = None;
                    break;
                }
            }
        }
        let stored = usize::try_from(self.count().await?).unwrap_or(usize::MAX);
        let (count, newest) = match (in_snapshot, newest) {
            (Some(count), _) if count == stored => return Ok(Rebuilt { state, new_snapshot: None }),
            (Some(count), Some(newest)) if count < stored => (count, newest),
            _ => return self.rebuild_from_every_mutation().await,
        };
        // This phone's own writes since the snapshot have newer ids (UUIDv7 from its clock), and
        // the count tells whether they are all that is missing. Older ids arrive by sync or a
        // backup: then every key is compared.
        let mut after = self.texts_after(newest).await?;
        if count + after.len() != stored {
            if stored - count > READ_BY_KEY_AT_MOST {
                return self.rebuild_from_every_mutation().await;
            }
            after = self.texts_not_in(&state).await?;
        }
        for line in &after {
            state.apply_owned(serde_json::from_str(line).map_err(damaged)?);
        }
        // Rewriting the whole snapshot costs more than reading a short tail by key range.
        if after.len() < REWRITE_AFTER {
            return Ok(Rebuilt { state, new_snapshot: None });
        }
        let mut text = snapshot;
        for line in &after {
            text.push('\n');
            text.push_str(line);
        }
        Ok(Rebuilt { state, new_snapshot: Some(text) })
    }

    async fn rebuild_from_every_mutation(&self) -> Result<Rebuilt, StoreError> {
        let texts = self.mutation_texts().await?;
        let mut state = State::default();
        for line in &texts {
            state.apply_owned(serde_json::from_str(line).map_err(damaged)?);
        }
        Ok(Rebuilt { state, new_snapshot: Some(texts.join("\n")) })
    }

    pub async fn write_snapshot(&self, text: &str) -> Result<(), StoreError> {
        let transaction =
            self.db.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(write_error)?;
        let meta = transaction.object_store(META).map_err(write_error)?;
        meta.put(text.to_owned()).with_key(SNAPSHOT.to_owned()).primitive().map_err(write_error)?;
        transaction.commit().await.map_err(write_error)
    }

    async fn snapshot_text(&self) -> Result<Option<String>, StoreError> {
        let transaction = self.db.transaction(META).build().map_err(read_error)?;
        let meta = transaction.object_store(META).map_err(read_error)?;
        meta.get(SNAPSHOT.to_owned()).primitive().map_err(read_error)?.await.map_err(read_error)
    }

    /// The JSON of the stored mutations whose ids sort after `newest`.
    async fn texts_after(&self, newest: MutationId) -> Result<Vec<String>, StoreError> {
        let transaction = self.db.transaction(MUTATIONS).build().map_err(read_error)?;
        let store = transaction.object_store(MUTATIONS).map_err(read_error)?;
        store
            .get_all::<String>()
            .with_query::<String, _>(KeyRange::LowerBound(newest.to_string(), true))
            .primitive()
            .map_err(read_error)?
            .await
            .map_err(read_error)?
            .collect::<Result<_, _>>()
            .map_err(read_error)
    }

    /// The JSON of every stored mutation `state` has not applied, read key by key.
    async fn texts_not_in(&self, state: &State) -> Result<Vec<String>, StoreError> {
        let transaction = self.db.transaction(MUTATIONS).build().map_err(read_error)?;
        let store = transaction.object_store(MUTATIONS).map_err(read_error)?;
        let keys: Vec<String> = store
            .get_all_keys::<String>()
            .primitive()
            .map_err(read_error)?
            .await
            .map_err(read_error)?
            .collect::<Result<_, _>>()
            .map_err(read_error)?;
        let mut texts = Vec::new();
        for key in keys {
            // A key that is not a mutation id is read too, and fails to parse as a mutation.
            if key.parse::<MutationId>().is_ok_and(|id| state.has_applied(id)) {
                continue;
            }
            let text: Option<String> = store.get(key).primitive().map_err(read_error)?.await.map_err(read_error)?;
            texts.extend(text);
        }
        Ok(texts)
    }
}
