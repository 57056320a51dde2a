//! Conflicts: the school's open ones from `GET /api/conflicts`, and a person's choice written
//! as a new edit of the slot whose `base` covers both versions, so the server closes the
//! conflict when it arrives (docs/protocol.md, "Conflicts").

use crate::clock;
use crate::ctx::AppCtx;
use crate::sync::{http, SyncCtx, SyncError};
use baoxue_domain::ids::RecordId;
use baoxue_domain::sync::conflict::choice;
use baoxue_domain::sync::{ConflictList, OpenConflict, Version};
use leptos::prelude::*;

/// The school's open conflicts, oldest first.
pub async fn open_conflicts(sync: SyncCtx) -> Result<Vec<OpenConflict>, SyncError> {
    let credential = sync.credential.get_untracked().ok_or(SyncError::NotEnrolled)?;
    let list: ConflictList = http::call("GET", "/api/conflicts", Some(&credential.token), None).await?;
    Ok(list.conflicts)
}

/// Writes the chosen version as this phone's new edit of the slot and syncs it. Its `base`
/// covers both versions: this person has seen both.
pub async fn choose(app: AppCtx, sync: SyncCtx, conflict: &OpenConflict, chosen: &Version) -> Result<(), SyncError> {
    let id = RecordId::new_v7(clock::now_ms(), clock::random10());
    let (change, base) = app
        .state
        .with_untracked(|state| choice(state, conflict.slot, chosen, [&conflict.showing, &conflict.other], id))
        .ok_or_else(|| SyncError::BadAnswer(format!("conflict {}: the value does not fit its slot", conflict.id)))?;
    app.write_as(vec![(change, Some(base))], None).await?;
    // Written and shown: a failed send (no signal) is retried with the rest of the outbox.
    sync.run(app).await;
    Ok(())
}
