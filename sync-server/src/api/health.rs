//! `GET /api/health`: proves the server and its database answer.

use crate::error::ApiError;
use crate::storage::Storage;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    pub ok: bool,
    pub database: &'static str,
    pub mutations: i64,
}

pub async fn health(State(app): State<AppState>) -> Result<Json<Health>, ApiError> {
    let mutations = app.database.mutation_count().await?;
    Ok(Json(Health { ok: true, database: app.database.kind(), mutations }))
}
