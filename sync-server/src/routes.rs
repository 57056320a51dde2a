//! One `.route(..)` line per endpoint.

use crate::error::{ApiError, MAX_BODY_BYTES};
use crate::{api, static_files, AppState};
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::routing::{get, post};
use axum::Router;
use std::path::Path;
use tower_http::compression::CompressionLayer;

pub fn router(state: AppState, dist: &Path) -> Router {
    let api = Router::new()
        .route("/health", get(api::health::health))
        .route("/enroll", post(api::enrollment::enroll))
        .route("/push", post(api::batches::push))
        .route("/pull", get(api::changes::pull))
        .route("/heads", get(api::changes::heads))
        .route("/relay", post(api::changes::relay))
        .route("/conflicts", get(api::conflicts::conflicts))
        .fallback(|uri: Uri| async move { ApiError::NoSuchEndpoint(uri.path().to_owned()) })
        // Bodies are read by `ApiJson`, which answers an oversized one with a JSON 413.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A new phone's first pull of a school is megabytes of JSON (8.6 MB for 3,000
        // children, 1.7 MB gzip; docs/benchmarks.md): gzip every answer the phone accepts so.
        .layer(CompressionLayer::new().gzip(true))
        .with_state(state);
    Router::new().nest("/api", api).merge(static_files::router(dist))
}
