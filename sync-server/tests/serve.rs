//! The server against a real SQLite file and a real PostgreSQL (started by `cargo xtask test`,
//! which passes its URL in BAOXUE_TEST_POSTGRES_URL), through the router without a socket:
//! opening, migrating, the health check and the app's files. The sync checks are in
//! storage.rs and http.rs.

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use baoxue_sync_server::routes::router;
use baoxue_sync_server::storage::{Database, Storage};
use baoxue_sync_server::AppState;
use std::path::Path;
use tower::ServiceExt;

fn fake_dist(dir: &Path) {
    std::fs::write(dir.join("index.html"), "<!doctype html><title>保学</title>").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js"), "console.log(1)").unwrap();
}

async fn get(app: axum::Router, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

/// What every backend answers right after opening.
async fn opened_and_answering(database: Database) {
    let dist = tempfile::tempdir().unwrap();
    fake_dist(dist.path());
    let app = router(AppState::new(database.clone()), dist.path());

    let (status, _, body) = get(app.clone(), "/api/health").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A caller without a credential learns only that the server is up.
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health, serde_json::json!({ "ok": true }));
    // A phone with a credential also learns the database's kind and what it holds.
    let school = support::school(&database, "石门中学").await;
    let (_, token) = support::enrolled_phone(&database, school).await;
    let request = Request::get("/api/health").header(header::AUTHORIZATION, format!("Bearer {token}"));
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    let health: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let held = database.mutation_count().await.unwrap();
    assert_eq!(health, serde_json::json!({ "ok": true, "database": database.kind(), "mutations": held }));

    let (status, _, body) = get(app.clone(), "/api/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("no such API endpoint: /no-such-thing"), "{body}");
}

#[tokio::test]
async fn sqlite_file_is_created_migrated_and_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baoxue.db");
    let path = path.to_str().unwrap();
    opened_and_answering(Database::open(path).await.unwrap()).await;
    assert!(Path::new(path).is_file());
    // Opening again runs no migration twice and keeps the file.
    opened_and_answering(Database::open(path).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_is_migrated_and_answers() {
    let Some(url) = support::fresh_postgres_url().await else { return };
    opened_and_answering(Database::open(&url).await.unwrap()).await;
    opened_and_answering(Database::open(&url).await.unwrap()).await;
}

#[tokio::test]
async fn a_missing_database_folder_is_a_clear_error() {
    let error = Database::open("/no/such/folder/baoxue.db").await.unwrap_err().to_string();
    assert!(error.contains("cannot open the SQLite file /no/such/folder/baoxue.db"), "{error}");
}

#[tokio::test]
async fn the_app_is_served_with_cache_rules_and_page_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::open(dir.path().join("db.sqlite").to_str().unwrap()).await.unwrap();
    let dist = tempfile::tempdir().unwrap();
    fake_dist(dist.path());
    let app = router(AppState::new(database), dist.path());

    let (status, headers, body) = get(app.clone(), "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("保学"));
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    // Revalidated files come whole: a one-second Last-Modified let Chromium keep an old sw.js.
    assert!(headers.get(header::LAST_MODIFIED).is_none(), "{headers:?}");

    let (status, headers, _) = get(app.clone(), "/app-0123456789abcdef.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert!(headers.get(header::LAST_MODIFIED).is_some(), "{headers:?}");

    // A page of the app, opened from a link, gets index.html.
    let (status, _, body) = get(app, "/class/7/attendance").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("保学"));
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::open(dir.path().join("db.sqlite").to_str().unwrap()).await.unwrap();
    let dist = tempfile::tempdir().unwrap();
    fake_dist(dist.path());
    let app = router(AppState::new(database), dist.path());
    // The page, a hashed file, a page of the app, the API, an API error.
    for path in ["/", "/app-0123456789abcdef.js", "/class/7/attendance", "/api/health", "/api/no-such-thing"] {
        let (_, headers, _) = get(app.clone(), path).await;
        let csp = headers.get(header::CONTENT_SECURITY_POLICY).map(|value| value.to_str().unwrap());
        assert_eq!(
            csp,
            Some(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: \
                 blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; \
                 base-uri 'none'; form-action 'self'; object-src 'none'"
            ),
            "{path}"
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{path}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
    }
}
