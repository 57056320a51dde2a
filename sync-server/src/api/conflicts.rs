//! `GET /api/conflicts`: the open conflicts of the device's school, for the app's conflicts page.
//! The server notes that the device was shown each conflict listed. There is no endpoint that
//! resolves one: a person resolves a conflict by editing the slot again on a phone it was shown
//! to; that edit is pushed like any other and closes the open conflicts of its slot that the
//! phone was shown (docs/protocol.md, "Conflicts").

use crate::api::device_auth::EnrolledDevice;
use crate::error::ApiError;
use crate::storage::Storage;
use crate::{now_ms, AppState};
use axum::extract::State;
use axum::Json;
use baoxue_domain::sync::ConflictList;

pub async fn conflicts(State(app): State<AppState>, device: EnrolledDevice) -> Result<Json<ConflictList>, ApiError> {
    let conflicts = app.database.show_conflicts(device.id, device.school, now_ms()).await?;
    Ok(Json(ConflictList { conflicts }))
}
