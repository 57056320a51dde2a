//! When each phone was last seen, noted in memory on every authenticated request and written
//! to the database in one batched UPDATE every `FLUSH_EVERY` (and when the server stops).
//! Writing it per request took SQLite's write lock for every request carrying any bearer
//! token, before the rate limiter; now checking a credential is a read. The operator's
//! `devices list` and `sync-health` read the database, so they may be up to `FLUSH_EVERY`
//! behind. Several server processes on one PostgreSQL each flush their own notes; the database
//! keeps the later time (`greatest`), so an older note never moves it back.

use crate::storage::{Storage, StorageError};
use baoxue_domain::ids::DeviceId;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How often noted times are written; a phone syncs every few minutes, so this is as precise
/// as the report needs.
pub const FLUSH_EVERY: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub struct LastSeen {
    noted: Mutex<HashMap<DeviceId, i64>>,
}

impl LastSeen {
    /// Notes that `device` was seen at `now_ms`.
    pub fn note(&self, device: DeviceId, now_ms: i64) {
        let mut noted = self.noted.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let seen = noted.entry(device).or_insert(now_ms);
        *seen = (*seen).max(now_ms);
    }

    /// Writes what was noted since the last flush; answers how many devices. If the database
    /// fails, the notes are kept for the next flush.
    pub async fn flush(&self, storage: &impl Storage) -> Result<usize, StorageError> {
        let mut seen: Vec<(DeviceId, i64)> = {
            let mut noted = self.noted.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            std::mem::take(&mut *noted).into_iter().collect()
        };
        // In id order, so two processes flushing at once tend to lock rows in the same order; a
        // deadlock PostgreSQL breaks anyway only fails this flush, and the notes are kept.
        seen.sort_unstable();
        if seen.is_empty() {
            return Ok(0);
        }
        match storage.record_last_seen(&seen).await {
            Ok(()) => Ok(seen.len()),
            Err(error) => {
                for (device, seen_ms) in seen {
                    self.note(device, seen_ms);
                }
                Err(error)
            }
        }
    }

    /// Flushes every `period`, for as long as the server runs (`serve` spawns it, and aborts
    /// it before the last flush at shutdown).
    pub async fn flush_every(&self, storage: &impl Storage, period: Duration) {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = self.flush(storage).await {
                tracing::warn!("could not write when phones were last seen (kept for the next try): {error}");
            }
        }
    }
}
