//! `GET /api/health`: proves the server answers. Anyone learns only that (`{"ok":true}`, no
//! database read); a phone with a valid credential also learns the database's kind and how many
//! changes it holds, which proves the database answers.

use crate::api::device_auth::EnrolledDevice;
use crate::error::ApiError;
use crate::storage::Storage;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutations: Option<i64>,
}

pub async fn health(
    State(app): State<AppState>,
    device: Result<EnrolledDevice, ApiError>,
) -> Result<Json<Health>, ApiError> {
    if device.is_err() {
        return Ok(Json(Health { ok: true, database: None, mutations: None }));
    }
    let mutations = app.database.mutation_count().await?;
    Ok(Json(Health { ok: true, database: Some(app.database.kind()), mutations: Some(mutations) }))
}
