//! `POST /api/push`: a device's batch of mutations, applied in one transaction.

use crate::api::device_auth::EnrolledDevice;
use crate::api::json::ApiJson;
use crate::error::ApiError;
use crate::storage::Storage;
use crate::{now_ms, AppState};
use axum::extract::State;
use axum::Json;
use baoxue_domain::sync::protocol::MAX_BATCH;
use baoxue_domain::sync::{PushBatch, PushReceipt};

pub async fn push(
    State(app): State<AppState>,
    device: EnrolledDevice,
    ApiJson(batch): ApiJson<PushBatch>,
) -> Result<Json<PushReceipt>, ApiError> {
    if batch.device != device.id {
        return Err(ApiError::WrongDevice { claimed: batch.device, enrolled: device.id });
    }
    if batch.mutations.len() > MAX_BATCH {
        return Err(ApiError::BatchTooLarge { count: batch.mutations.len(), limit: MAX_BATCH });
    }
    // The device's school comes from its credential, never from the batch: a mutation for
    // another school is refused by the domain's check, one by one.
    let receipt = app.database.apply_batch(device.id, device.school, &batch.mutations, now_ms()).await?;
    if receipt.applied > 0 {
        // The school's figures are worked out again in the background, not in this request.
        app.figures_wake.notify_one();
    }
    Ok(Json(receipt))
}
