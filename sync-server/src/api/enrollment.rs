//! `POST /api/enroll {code, device, label}`: a phone trades a one-time code for its device
//! credential. The credential is in this answer only; the server keeps its hash. Each client
//! address may try only so often (`RateLimit::ENROLL`), every attempt counted, checked before
//! the database is asked: an attempt opens a write transaction.

use crate::api::client_address::ClientAddress;
use crate::api::device_auth::whole_seconds;
use crate::api::json::ApiJson;
use crate::credentials::{hash_secret, new_device_token, normalise_code};
use crate::error::ApiError;
use crate::storage::Storage;
use crate::{now_ms, AppState};
use axum::extract::State;
use axum::Json;
use baoxue_domain::ids::{DeviceId, SchoolId};
use serde::{Deserialize, Serialize};

/// The longest device label kept; a longer one is cut.
const MAX_LABEL_CHARS: usize = 80;

#[derive(Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    /// The id the phone made for itself (UUIDv7); its mutations carry it.
    pub device: DeviceId,
    /// What the operator sees in `sync-server devices list`, as "王老师的手机".
    #[serde(default)]
    pub label: String,
}

#[derive(Serialize, Deserialize)]
pub struct Enrolled {
    pub device: DeviceId,
    pub school: SchoolId,
    /// Sent as `Authorization: Bearer <token>` on every sync request. Shown once.
    pub token: String,
}

pub async fn enroll(
    State(app): State<AppState>,
    ClientAddress(address): ClientAddress,
    request: Result<ApiJson<EnrollRequest>, ApiError>,
) -> Result<Json<Enrolled>, ApiError> {
    app.enroll_limiter
        .take(address, std::time::Instant::now())
        .map_err(|wait| ApiError::AddressLimited { retry_after_secs: whole_seconds(wait) })?;
    let ApiJson(request) = request?;
    let token = new_device_token()?;
    let label: String = request.label.trim().chars().take(MAX_LABEL_CHARS).collect();
    let code_hash = hash_secret(&normalise_code(&request.code));
    let school = app.database.enroll(&code_hash, request.device, &label, &hash_secret(&token), now_ms()).await??;
    tracing::info!("device {} enrolled at school {school}", request.device);
    Ok(Json(Enrolled { device: request.device, school, token }))
}
