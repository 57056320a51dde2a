//! The HTTP edges, through the router without a socket: enrollment, push and pull with a
//! credential, and a clear JSON 4xx for every bad request (never a panic).

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use baoxue_domain::case::CaseStatus;
use baoxue_domain::sync::protocol::MAX_BATCH;
use baoxue_domain::sync::{ConflictList, ContestedValue, PullAnswer, PushBatch, PushReceipt};
use baoxue_sync_server::credentials::hash_secret;
use baoxue_sync_server::error::MAX_BODY_BYTES;
use baoxue_sync_server::rate_limit::RateLimit;
use baoxue_sync_server::routes::router;
use baoxue_sync_server::storage::{Database, Storage};
use baoxue_sync_server::{now_ms, AppState};
use serde_json::{json, Value};
use support::*;
use tower::ServiceExt;

async fn app() -> (Router, Database, tempfile::TempDir) {
    let (database, dir) = fresh_sqlite().await;
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>保学</title>").unwrap();
    (router(AppState::new(database.clone()), dir.path()), database, dir)
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 8 << 20).await.unwrap();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("answer {status} is not JSON: {}", String::from_utf8_lossy(&bytes)));
    (status, body)
}

fn post(path: &str, token: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(body.into()).unwrap()
}

fn get(path: &str, token: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn a_phone_enrolls_pushes_and_pulls() {
    let (app, database, _dir) = app().await;
    let (school, roster) = school_with_roster(&database, "石门中学").await;
    let code = "7K3M-Q9TD-2XWA";
    database.add_enrollment_code(school, &hash_secret("7K3MQ9TD2XWA"), now_ms(), now_ms() + 60_000).await.unwrap();
    let device = baoxue_domain::ids::DeviceId(random_uuid());
    // Typed in lower case with spaces, as a teacher might.
    let request = json!({ "code": "7k3m q9td 2xwa", "device": device, "label": "王老师的手机" });
    let (status, enrolled) = send(&app, post("/api/enroll", None, request.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{enrolled}");
    assert_eq!(enrolled["school"], json!(school));
    let token = enrolled["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    let (status, again) =
        send(&app, post("/api/enroll", None, json!({ "code": code, "device": device }).to_string())).await;
    assert_eq!((status, again["code"].as_str()), (StatusCode::GONE, Some("code_used")));

    let batch = PushBatch { device, mutations: marks(device, school, 3) };
    let (status, receipt) = send(&app, post("/api/push", Some(&token), serde_json::to_string(&batch).unwrap())).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    let receipt: PushReceipt = serde_json::from_value(receipt).unwrap();
    assert_eq!((receipt.accepted_through, receipt.applied), (3, 3));
    assert!(receipt.server_time_ms > 0);

    let (status, answer) = send(&app, get(&format!("/api/pull?after={}&limit=1", roster + 1), Some(&token))).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let PullAnswer::Page(page) = serde_json::from_value(answer).unwrap() else { panic!("expected a page") };
    assert_eq!((page.next, page.more), (roster + 2, true));
    assert_eq!(page.mutations[0].1, batch.mutations[1]);

    // Pages travel gzip-compressed to a phone that accepts it, and plain to one that does not.
    let mut request = get("/api/pull?after=0", Some(&token));
    request.headers_mut().insert(header::ACCEPT_ENCODING, "gzip".parse().unwrap());
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get(header::CONTENT_ENCODING).map(|value| value.to_str().unwrap()), Some("gzip"));
    let gzip = axum::body::to_bytes(response.into_body(), 8 << 20).await.unwrap();
    assert_eq!(&gzip[..2], &[0x1f, 0x8b], "not a gzip stream");
    let response = app.clone().oneshot(get("/api/pull?after=0", Some(&token))).await.unwrap();
    assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn sync_without_a_valid_credential_is_refused_with_a_reason() {
    let (app, database, _dir) = app().await;
    let school = school(&database, "石门中学").await;
    let (device, token) = enrolled_phone(&database, school).await;

    let (status, body) = send(&app, get("/api/pull", None)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("missing_credential")));
    assert!(body["error"].as_str().unwrap().contains("enroll this phone"), "{body}");
    let (status, body) = send(&app, get("/api/pull", Some("forged"))).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unknown_credential")));

    let stranger = baoxue_domain::ids::DeviceId::from_u128(9);
    let batch = PushBatch { device: stranger, mutations: Vec::new() };
    let (status, body) = send(&app, post("/api/push", Some(&token), serde_json::to_string(&batch).unwrap())).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("wrong_device")));

    database.revoke(device, now_ms()).await.unwrap();
    let (status, body) = send(&app, get("/api/pull", Some(&token))).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("device_revoked")));
    assert!(body["error"].as_str().unwrap().contains("unsent changes stay on the phone"), "{body}");
}

#[tokio::test]
async fn bad_and_oversized_requests_get_a_json_4xx_naming_the_problem() {
    let (app, database, _dir) = app().await;
    let school = school(&database, "石门中学").await;
    let (device, token) = enrolled_phone(&database, school).await;

    let oversized = vec![b' '; MAX_BODY_BYTES + 1];
    let (status, body) = send(&app, post("/api/push", Some(&token), oversized)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large")));
    assert_eq!(body["limit"], MAX_BODY_BYTES);

    let too_many = PushBatch { device, mutations: marks(device, school, MAX_BATCH as u64 + 1) };
    let (status, body) = send(&app, post("/api/push", Some(&token), serde_json::to_string(&too_many).unwrap())).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("batch_too_large")));
    assert!(body["error"].as_str().unwrap().contains("at most 500 changes; this one holds 501"), "{body}");

    let mut wrong_field = serde_json::to_value(PushBatch { device, mutations: marks(device, school, 1) }).unwrap();
    wrong_field["mutations"][0]["seq"] = json!("one");
    let (status, body) = send(&app, post("/api/push", Some(&token), wrong_field.to_string())).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_json")));
    assert!(body["error"].as_str().unwrap().contains("mutations[0].seq"), "{body}");

    let (status, body) = send(&app, post("/api/push", Some(&token), "{not json")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_json")));

    let request = Request::post("/api/enroll").body(Body::from("{}")).unwrap();
    let (status, body) = send(&app, request).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("not_json")));

    let (status, body) = send(&app, get("/api/pull?after=-1", Some(&token))).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_query")));

    let (status, body) =
        send(&app, post("/api/enroll", None, json!({ "code": "nope", "device": device }).to_string())).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("unknown_code")));
}

#[tokio::test]
async fn conflicts_are_listed_for_the_devices_own_school_only() {
    let (app, database, _dir) = app().await;
    let elsewhere = school(&database, "白河小学").await;
    let school = school(&database, "石门中学").await;
    let (teacher, teacher_token) = enrolled_phone(&database, school).await;
    let (principal, principal_token) = enrolled_phone(&database, school).await;
    let (_, stranger_token) = enrolled_phone(&database, elsewhere).await;
    let case = baoxue_domain::ids::CaseId::from_u128(41);
    let mut teacher_chain = baoxue_domain::mutation::DeviceChain::new(teacher);
    let mut principal_chain = baoxue_domain::mutation::DeviceChain::new(principal);
    let offline = next(&mut teacher_chain, school, case_status(case, CaseStatus::Returned), NOW as u64);
    let online = next(&mut principal_chain, school, case_status(case, CaseStatus::Closed), NOW as u64 + 3_600_000);
    for (device, token, mutation) in [(principal, &principal_token, &online), (teacher, &teacher_token, &offline)] {
        let batch = PushBatch { device, mutations: vec![mutation.clone()] };
        let (status, receipt) =
            send(&app, post("/api/push", Some(token), serde_json::to_string(&batch).unwrap())).await;
        assert_eq!(status, StatusCode::OK, "{receipt}");
    }

    let (status, body) = send(&app, get("/api/conflicts", Some(&teacher_token))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let list: ConflictList = serde_json::from_value(body).unwrap();
    assert_eq!(list.conflicts.len(), 1);
    let open = &list.conflicts[0];
    assert_eq!(open.id, format!("{}_{}", online.id, offline.id));
    assert_eq!((open.showing.author.as_str(), open.other.mutation), ("王老师", offline.id));
    assert_eq!(open.other.value, ContestedValue::CaseStatus(CaseStatus::Returned));

    let (status, body) = send(&app, get("/api/conflicts", Some(&stranger_token))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "conflicts": [] })));
    let (status, body) = send(&app, get("/api/conflicts", None)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("missing_credential")));
}

#[tokio::test]
async fn a_phone_over_its_rate_limit_is_told_when_to_come_back() {
    let (database, dir) = fresh_sqlite().await;
    let limit = RateLimit { burst: 2, per_second: 0.1 };
    let app = router(AppState::with_rate_limit(database.clone(), limit), dir.path());
    let school = school(&database, "石门中学").await;
    let (_, token) = enrolled_phone(&database, school).await;
    let (_, other_token) = enrolled_phone(&database, school).await;
    for _ in 0..2 {
        assert_eq!(send(&app, get("/api/pull", Some(&token))).await.0, StatusCode::OK);
    }
    let response = app.clone().oneshot(get("/api/pull", Some(&token))).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((9..=10).contains(&retry_after), "{retry_after}");
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!((body["code"].as_str(), body["retry_after"].as_u64()), (Some("rate_limited"), Some(retry_after)));
    assert!(body["error"].as_str().unwrap().contains("syncing too often"), "{body}");
    // Another phone of the school is not held back.
    assert_eq!(send(&app, get("/api/conflicts", Some(&other_token))).await.0, StatusCode::OK);
}

#[tokio::test]
async fn odd_input_is_a_4xx_never_a_panic() {
    let (app, database, _dir) = app().await;
    let school = school(&database, "石门中学").await;
    let (device, token) = enrolled_phone(&database, school).await;
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (get("/api/pull?limit=99999999999", Some(&token)), StatusCode::BAD_REQUEST, "bad_query"),
        (get("/api/pull?after=abc", Some(&token)), StatusCode::BAD_REQUEST, "bad_query"),
        (post("/api/push", Some(&token), vec![0xff, 0xfe, b'{']), StatusCode::BAD_REQUEST, "bad_json"),
        (post("/api/push", Some(&token), "[]"), StatusCode::BAD_REQUEST, "bad_json"),
        (post("/api/push", Some(&token), "{}"), StatusCode::BAD_REQUEST, "bad_json"),
        (post("/api/push", Some(&token), "[".repeat(10_000)), StatusCode::BAD_REQUEST, "bad_json"),
        (
            post("/api/enroll", None, json!({ "code": 7, "device": device }).to_string()),
            StatusCode::BAD_REQUEST,
            "bad_json",
        ),
        (
            post("/api/enroll", None, json!({ "code": "x", "device": "not-an-id" }).to_string()),
            StatusCode::BAD_REQUEST,
            "bad_json",
        ),
        (
            Request::get("/api/pull").header(header::AUTHORIZATION, "Basic abc").body(Body::empty()).unwrap(),
            StatusCode::UNAUTHORIZED,
            "missing_credential",
        ),
        (get("/api/nothing", None), StatusCode::NOT_FOUND, "no_such_endpoint"),
    ];
    for (request, status, code) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let (got, body) = send(&app, request).await;
        assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{what}: {body}");
    }
    // A counter far beyond the chain is a gap the phone can fix, not an error.
    let mut far = marks(device, school, 1);
    far[0].seq = u64::MAX;
    let batch = PushBatch { device, mutations: far };
    let (status, receipt) = send(&app, post("/api/push", Some(&token), serde_json::to_string(&batch).unwrap())).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["gap"]["found"], u64::MAX);
}

#[tokio::test]
async fn a_poison_stamp_is_refused_on_the_wire_and_never_reaches_another_phone() {
    let (app, database, _dir) = app().await;
    let school = school(&database, "石门中学").await;
    let (first, first_token) = enrolled_phone(&database, school).await;
    let (_, second_token) = enrolled_phone(&database, school).await;
    let mut mutations = marks(first, school, 2);
    mutations[1].stamp = baoxue_domain::hlc::Hlc { wall_ms: u64::MAX, counter: u32::MAX, device: first };
    let poison = mutations[1].id;
    let batch = PushBatch { device: first, mutations };
    let (status, receipt) =
        send(&app, post("/api/push", Some(&first_token), serde_json::to_string(&batch).unwrap())).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!((receipt["applied"].as_u64(), receipt["accepted_through"].as_u64()), (Some(1), Some(2)), "{receipt}");
    assert_eq!(receipt["rejected"][0]["reason"]["kind"], "stamp_ahead", "{receipt}");
    let (status, answer) = send(&app, get("/api/pull?after=0", Some(&second_token))).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let PullAnswer::Page(page) = serde_json::from_value(answer).unwrap() else { panic!("expected a page") };
    assert_eq!(page.mutations.iter().filter(|(_, mutation)| !is_roster(mutation)).count(), 1);
    assert!(page.mutations.iter().all(|(_, mutation)| mutation.id != poison), "the poison reached another phone");
}

/// A request as it arrives from `address` (what `serve` puts in every request's extensions).
fn from(address: [u8; 4], mut request: Request<Body>) -> Request<Body> {
    let socket = std::net::SocketAddr::from((address, 40_000));
    request.extensions_mut().insert(axum::extract::ConnectInfo(socket));
    request
}

#[tokio::test]
async fn enrollment_is_throttled_per_client_address() {
    let (app, database, _dir) = app().await;
    let device = baoxue_domain::ids::DeviceId(random_uuid());
    let guess = json!({ "code": "AAAA-BBBB-CCCC", "device": device }).to_string();
    // Ten guesses at once are let through (a school enrolling its phones in one sitting)...
    for _ in 0..10 {
        let (status, body) = send(&app, from([10, 0, 0, 1], post("/api/enroll", None, guess.clone()))).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("unknown_code")));
    }
    // ...then the address waits, told how long, and nothing reaches the database.
    let response = app.clone().oneshot(from([10, 0, 0, 1], post("/api/enroll", None, guess.clone()))).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=6).contains(&retry_after), "{retry_after}");
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!((body["code"].as_str(), body["retry_after"].as_u64()), (Some("rate_limited"), Some(retry_after)));
    // Another address has its own allowance: a real code still enrolls.
    let school = school(&database, "石门中学").await;
    database.add_enrollment_code(school, &hash_secret("7K3MQ9TD2XWA"), now_ms(), now_ms() + 60_000).await.unwrap();
    let real = json!({ "code": "7K3M-Q9TD-2XWA", "device": device }).to_string();
    let (status, body) = send(&app, from([10, 0, 0, 2], post("/api/enroll", None, real))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn guessed_credentials_do_not_lock_out_a_phone_at_the_same_address() {
    let (app, database, _dir) = app().await;
    let school = school(&database, "石门中学").await;
    let (_, token) = enrolled_phone(&database, school).await;
    for attempt in 0..100 {
        // Half shaped as real credentials (looked up), half not (refused without a lookup).
        let guess = if attempt % 2 == 0 { format!("{attempt:064x}") } else { format!("guess-{attempt}") };
        let (status, body) = send(&app, from([10, 0, 0, 9], get("/api/pull", Some(&guess)))).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unknown_credential")), "{body}");
    }
    // A phone behind the same school Wi-Fi still syncs.
    let (status, body) = send(&app, from([10, 0, 0, 9], get("/api/pull", Some(&token)))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn gzip_post(path: &str, token: &str, body: &[u8]) -> Request<Body> {
    let mut request = post(path, Some(token), gzip(body));
    request.headers_mut().insert(header::CONTENT_ENCODING, "gzip".parse().unwrap());
    request
}

#[tokio::test]
async fn a_gzip_push_is_applied() {
    let (app, database, _dir) = app().await;
    let (school, roster) = school_with_roster(&database, "石门中学").await;
    let (device, token) = enrolled_phone(&database, school).await;
    let batch = PushBatch { device, mutations: marks(device, school, 3) };
    let (status, receipt) = send(&app, gzip_post("/api/push", &token, &serde_json::to_vec(&batch).unwrap())).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt["applied"], 3, "{receipt}");
    assert_eq!(database.mutation_count().await.unwrap(), roster as i64 + 3);
}

#[tokio::test]
async fn a_gzip_bomb_is_refused_with_413_and_nothing_stored() {
    let (app, database, _dir) = app().await;
    let (school, roster) = school_with_roster(&database, "石门中学").await;
    let (device, token) = enrolled_phone(&database, school).await;
    // 20 MB of JSON whitespace around one real mark: a few KB once gzipped.
    let mut body = format!(r#"{{"device":"{device}","mutations":["#).into_bytes();
    body.extend_from_slice(&serde_json::to_vec(&marks(device, school, 1)[0]).unwrap());
    body.extend(std::iter::repeat_n(b' ', 20 << 20));
    body.extend_from_slice(b"]}");
    assert!(gzip(&body).len() < 100_000, "the bomb is not small");
    let (status, body) = send(&app, gzip_post("/api/push", &token, &body)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large")), "{body}");
    assert_eq!(body["limit"], MAX_BODY_BYTES);
    assert_eq!(database.mutation_count().await.unwrap(), roster as i64, "something of the bomb was stored");
}

#[tokio::test]
async fn last_seen_is_noted_in_memory_and_written_by_the_flush() {
    let (database, dir) = fresh_sqlite().await;
    let state = AppState::new(database.clone());
    let app = router(state.clone(), dir.path());
    let school = school(&database, "石门中学").await;
    let (device, token) = enrolled_phone(&database, school).await;
    let last_seen =
        || async { database.devices().await.unwrap().into_iter().find(|row| row.id == device).unwrap().last_seen_ms };
    let before = now_ms();
    assert_eq!(send(&app, get("/api/pull", Some(&token))).await.0, StatusCode::OK);
    assert_eq!(last_seen().await, None, "the request wrote last seen itself");
    assert_eq!(state.last_seen.flush(&database).await.unwrap(), 1);
    assert!(last_seen().await.is_some_and(|seen| seen >= before), "{:?}", last_seen().await);
    assert_eq!(state.last_seen.flush(&database).await.unwrap(), 0, "nothing new to write");
}
