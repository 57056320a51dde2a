//! One `.route(..)` line per endpoint.

use crate::error::{ApiError, MAX_BODY_BYTES};
use crate::{api, security_headers, static_files, AppState};
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use axum::Router;
use std::path::Path;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::timeout::TimeoutLayer;

/// How long the server works on one request before answering 408: the time to receive its
/// body and make the answer, not to send the answer. The biggest request, a full push batch
/// on a slow rural link, takes seconds; a minute only stops a client that stalls on purpose.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

pub fn router(state: AppState, dist: &Path) -> Router {
    let api = Router::new()
        .route("/health", get(api::health::health))
        .route("/enroll", post(api::enrollment::enroll))
        .route("/push", post(api::batches::push))
        .route("/pull", get(api::changes::pull))
        .route("/heads", get(api::changes::heads))
        .route("/relay", post(api::changes::relay))
        .route("/conflicts", get(api::conflicts::conflicts))
        .route("/share/{token}", get(api::share::view_json))
        .route("/share-links", get(api::share_links::list).post(api::share_links::create))
        .route("/share-links/{id}/revoke", post(api::share_links::revoke))
        .fallback(|uri: Uri| async move { ApiError::NoSuchEndpoint(uri.path().to_owned()) })
        // Bodies are read by `ApiJson`, which answers an oversized one with a JSON 413. The
        // limit counts the bytes `ApiJson` reads, which are the decompressed ones: a few KB of
        // gzip that would inflate to gigabytes is refused once it passes the limit.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A phone may send its push gzip-compressed (`Content-Encoding: gzip`). A body in
        // another encoding is passed on as it is, so it is refused as JSON (400 `bad_json`)
        // rather than by tower-http's 415 without a JSON body.
        .layer(RequestDecompressionLayer::new().gzip(true).pass_through_unaccepted(true))
        // A new phone's first pull of a school is megabytes of JSON (8.6 MB for 3,000
        // children, 1.7 MB gzip; docs/benchmarks.md): gzip every answer the phone accepts so.
        .layer(CompressionLayer::new().gzip(true))
        .with_state(state.clone());
    // A supervisor's page: drawn by the server, no app code (`share/page.rs`).
    let share = Router::new()
        .route("/robots.txt", get(api::share::robots))
        .route("/share/style.css", get(api::share::style))
        .route("/share/register.js", get(api::share::register))
        .route("/share/sw.js", get(api::share::service_worker))
        .route("/share/{token}", get(api::share::view_page))
        .route("/share/{token}/xlsx", get(api::share::view_sheet))
        .layer(CompressionLayer::new().gzip(true))
        .with_state(state);
    Router::new()
        .nest("/api", api)
        .merge(share)
        .merge(static_files::router(dist))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        // Outermost, so every answer has them, a 408 and a 404 included.
        .layer(axum::middleware::from_fn(security_headers::add))
}
