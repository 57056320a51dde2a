//! Conflicts: the school's open ones from `GET /api/conflicts`, and a person's choice written
//! as a new edit of the slot whose `base` covers both versions, so the server closes the
//! conflict when it arrives (docs/protocol.md, "Conflicts").

use crate::clock;
use crate::ctx::AppCtx;
use crate::sync::{http, SyncCtx, SyncError};
use baoxue_domain::attendance::AttendanceMark;
use baoxue_domain::case::CaseField;
use baoxue_domain::ids::RecordId;
use baoxue_domain::mutation::Change;
use baoxue_domain::state::State;
use baoxue_domain::status::StatusEvent;
use baoxue_domain::sync::conflict::base_for_choice;
use baoxue_domain::sync::{ConflictList, ContestedSlot, ContestedValue, OpenConflict, Version};
use leptos::prelude::*;

/// The school's open conflicts, oldest first.
pub async fn open_conflicts(sync: SyncCtx) -> Result<Vec<OpenConflict>, SyncError> {
    let credential = sync.credential.get_untracked().ok_or(SyncError::NotEnrolled)?;
    let list: ConflictList = http::call("GET", "/api/conflicts", Some(&credential.token), None).await?;
    Ok(list.conflicts)
}

/// The change that writes `chosen` into the conflict's slot again. A status event keeps the
/// chosen version's evidence when this phone holds it.
fn change_for(state: &State, slot: ContestedSlot, chosen: &Version, random: [u8; 10]) -> Option<Change> {
    let id = RecordId::new_v7(clock::now_ms(), random);
    match (slot, &chosen.value) {
        (ContestedSlot::StudentStatus { student, date }, ContestedValue::StudentStatus(status)) => {
            let evidence = state
                .status_events
                .values()
                .find(|event| event.stamp == chosen.stamp && event.value.student == student)
                .map(|event| event.value.evidence.clone())
                .unwrap_or_default();
            Some(Change::RecordStatus(StatusEvent { id, student, date, status: *status, evidence }))
        }
        (ContestedSlot::Attendance { student, day, half }, ContestedValue::Attendance(kind)) => {
            Some(Change::Mark(AttendanceMark { id, student, day, half, kind: *kind }))
        }
        (ContestedSlot::CaseStatus { case }, ContestedValue::CaseStatus(status)) => {
            Some(Change::EditCase { case, field: CaseField::Status(*status) })
        }
        (ContestedSlot::CaseOutcome { case }, ContestedValue::CaseOutcome(outcome)) => {
            Some(Change::EditCase { case, field: CaseField::Outcome(outcome.clone()) })
        }
        _ => None,
    }
}

/// Writes the chosen version as this phone's new edit of the slot and syncs it. Its `base`
/// covers both versions: this person has seen both.
pub async fn choose(app: AppCtx, sync: SyncCtx, conflict: &OpenConflict, chosen: &Version) -> Result<(), SyncError> {
    let (change, base) = app
        .state
        .with_untracked(|state| {
            let change = change_for(state, conflict.slot, chosen, clock::random10())?;
            let base = base_for_choice(state, &change, [&conflict.showing, &conflict.other]);
            Some((change, base))
        })
        .ok_or_else(|| SyncError::BadAnswer(format!("conflict {}: the value does not fit its slot", conflict.id)))?;
    app.commit_based(vec![(change, Some(base))]).await?;
    // Written and shown: a failed send (no signal) is retried with the rest of the outbox.
    sync.run(app).await;
    Ok(())
}
