//! Conflicts: the school's open ones from `GET /api/conflicts`, and a person's choice written
//! as a new edit of the slot whose `base` is the higher stamp of both versions, so the server
//! closes the conflict when it arrives (docs/protocol.md, "Conflicts").

use crate::clock;
use crate::ctx::AppCtx;
use crate::store::StoreError;
use crate::sync::{http, SyncCtx, SyncError};
use baoxue_domain::attendance::AttendanceMark;
use baoxue_domain::case::CaseField;
use baoxue_domain::ids::RecordId;
use baoxue_domain::mutation::{Change, DeviceChain};
use baoxue_domain::state::State;
use baoxue_domain::status::StatusEvent;
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

/// Writes the chosen version as this phone's new edit of the slot and syncs it. Its `base` is
/// the higher of both versions' stamps: this person has seen both.
pub async fn choose(app: AppCtx, sync: SyncCtx, conflict: &OpenConflict, chosen: &Version) -> Result<(), SyncError> {
    let store = app.store.get_value().ok_or(StoreError::NotSetUp)?;
    let profile = app.profile.get_untracked().ok_or(StoreError::NotSetUp)?;
    let change = app
        .state
        .with_untracked(|state| change_for(state, conflict.slot, chosen, clock::random10()))
        .ok_or_else(|| SyncError::BadAnswer(format!("conflict {}: the value does not fit its slot", conflict.id)))?;
    let base = conflict.showing.stamp.max(conflict.other.stamp);
    let mut chain = app.chain.with_value(|chain| chain.clone()).unwrap_or_else(|| DeviceChain::new(profile.device));
    let mutation = store
        .commit_based(&mut chain, &profile.teacher, profile.school, change, base, clock::now_ms(), clock::random10())
        .await?;
    app.chain.update_value(|held| *held = Some(chain));
    app.state.update(|state| {
        state.apply(&mutation);
    });
    app.unsent.update(|unsent| *unsent += 1);
    // Written and shown: a failed send (no signal) is retried with the rest of the outbox.
    sync.run(app).await;
    Ok(())
}
