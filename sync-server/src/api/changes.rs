//! `GET /api/pull?after=<cursor>&limit=<n>&epoch=<epoch>`: the device's school's mutations
//! after a cursor. Only the device's own school: children's records never cross schools.
//! `GET /api/heads`: the school's chain heads, and `POST /api/relay`: other devices' mutations
//! the server lacks after a restore, sent back by a phone that holds them (docs/protocol.md,
//! "Restore").

use crate::api::device_auth::EnrolledDevice;
use crate::api::json::ApiJson;
use crate::error::ApiError;
use crate::storage::Storage;
use crate::{now_ms, AppState};
use axum::extract::{Query, State};
use axum::Json;
use baoxue_domain::sync::protocol::MAX_BATCH;
use baoxue_domain::sync::{ChainHeads, PullAnswer, PullRequest, RelayBatch, RelayReceipt};

pub async fn pull(
    State(app): State<AppState>,
    device: EnrolledDevice,
    query: Result<Query<PullRequest>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullAnswer>, ApiError> {
    let Query(request) = query?;
    let answer = app.database.pull(device.school, &request, now_ms()).await?;
    Ok(Json(answer))
}

pub async fn heads(State(app): State<AppState>, device: EnrolledDevice) -> Result<Json<ChainHeads>, ApiError> {
    let epoch = app.database.epoch().await?;
    let heads = app.database.heads(device.school).await?;
    Ok(Json(ChainHeads { epoch, heads }))
}

pub async fn relay(
    State(app): State<AppState>,
    device: EnrolledDevice,
    ApiJson(batch): ApiJson<RelayBatch>,
) -> Result<Json<RelayReceipt>, ApiError> {
    if batch.mutations.len() > MAX_BATCH {
        return Err(ApiError::BatchTooLarge { count: batch.mutations.len(), limit: MAX_BATCH });
    }
    let receipt = app.database.relay(device.id, device.school, &batch.mutations, now_ms()).await?;
    if receipt.applied > 0 {
        tracing::info!(
            "device {} relayed {} changes of other phones of school {}",
            device.id,
            receipt.applied,
            device.school
        );
    }
    Ok(Json(receipt))
}
