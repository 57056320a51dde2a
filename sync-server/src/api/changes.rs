//! `GET /api/pull?after=<cursor>&limit=<n>`: the device's school's mutations after a cursor.
//! Only the device's own school: children's records never cross schools.

use crate::api::device_auth::EnrolledDevice;
use crate::error::ApiError;
use crate::storage::Storage;
use crate::{now_ms, AppState};
use axum::extract::{Query, State};
use axum::Json;
use baoxue_domain::sync::{PullAnswer, PullRequest};

pub async fn pull(
    State(app): State<AppState>,
    device: EnrolledDevice,
    query: Result<Query<PullRequest>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullAnswer>, ApiError> {
    let Query(request) = query?;
    let answer = app.database.pull(device.school, request.after, request.page_size(), now_ms()).await?;
    Ok(Json(answer))
}
