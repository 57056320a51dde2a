//! Not a test: the county benchmark of supervisors' shared links that `cargo xtask bench-share`
//! runs (docs/benchmarks.md, "Shared links"). A generated county (datagen `Size::County`: about
//! 100,000 children in some 200 schools, a term of attendance and the case work after each
//! dropout) is stored through the server's push path (`Storage::apply_batch`, each device's
//! chain in batches of 500, on a SQLite file); then it prints:
//! - the time to work out every school's figures from its changes (`refresh_stale`);
//! - the county link's answer time through the router (`GET /api/share/{token}` and the page),
//!   p50 and p95 of 200 requests, with every school's figures kept;
//! - the same with the county grown tenfold in schools (each school's kept figures copied to
//!   nine more schools in new towns): the view reads one row per school, never a record;
//! - the page's first visit in bytes (gzip), as a supervisor's browser downloads it: the page,
//!   its stylesheet, its script and the service worker that script registers.

mod support;

use axum::body::Body;
use axum::http::{header, Request};
use baoxue_datagen::{generate, Size, Spec};
use baoxue_domain::ids::{CountyId, DeviceId, SchoolId, TownId};
use baoxue_domain::mutation::{DeviceChain, Mutation};
use baoxue_sync_server::credentials::hash_secret;
use baoxue_sync_server::rate_limit::{Limits, RateLimit};
use baoxue_sync_server::routes::router;
use baoxue_sync_server::share::{figures, links};
use baoxue_sync_server::storage::{Database, FigureRow, FreshOrgIds, SchoolPlace, ShareUnit, Storage};
use baoxue_sync_server::{now_ms, AppState};
use std::collections::BTreeMap;
use std::time::Instant;
use support::*;
use tower::ServiceExt;

const BATCH: usize = 500;

/// Each school's mutations, rechained per (writer, school): a server device belongs to one
/// school, and datagen's operator writes the org records of every school.
fn chains(mutations: &[Mutation]) -> BTreeMap<(DeviceId, SchoolId), (DeviceChain, Vec<Mutation>)> {
    let mut chains: BTreeMap<(DeviceId, SchoolId), (DeviceChain, Vec<Mutation>)> = BTreeMap::new();
    for mutation in mutations {
        let (chain, made) = chains
            .entry((mutation.device, mutation.school))
            .or_insert_with(|| (DeviceChain::new(DeviceId(random_uuid())), Vec::new()));
        let random = baoxue_sync_server::credentials::random_bytes::<10>().unwrap();
        made.push(chain.next(
            &mutation.author,
            mutation.school,
            mutation.change.clone(),
            mutation.stamp.wall_ms,
            random,
        ));
    }
    chains
}

fn percentile(sorted: &[f64], share: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * share).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// p50 and p95 of `runs` GETs of `path`, in ms.
async fn answer_times(app: &axum::Router, path: &str, runs: usize) -> (f64, f64, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let start = Instant::now();
        let response = app.clone().oneshot(request).await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        bytes = axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap().len();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.95), bytes)
}

/// p50 and p95 of `runs` GETs of `path`, each after one school's kept figures were written
/// again (a later watermark, as after a push): the view reads and parses every school's
/// figures and masks the county again instead of reusing the tree it kept.
async fn answer_times_after_a_change(app: &axum::Router, database: &Database, path: &str, runs: usize) -> (f64, f64) {
    let row = database.school_figures().await.unwrap().into_iter().next().unwrap();
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let changed = FigureRow { watermark: row.watermark + 1 + run as u64, ..row.clone() };
        assert!(database.put_school_figures(&changed).await.unwrap());
        let request = Request::get(path).body(Body::empty()).unwrap();
        let start = Instant::now();
        let response = app.clone().oneshot(request).await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

/// The bytes of `path` as a browser accepting gzip receives them.
async fn gzip_bytes(app: &axum::Router, path: &str) -> usize {
    let request = Request::get(path).header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers().get(header::CONTENT_ENCODING).map(|value| value.to_str().unwrap()), Some("gzip"));
    axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: cargo xtask bench-share"]
async fn a_county_link_answers_from_one_row_per_school() {
    let start = Instant::now();
    let data = generate(&Spec::new(7, Size::County));
    let mutations = data.mutations();
    println!(
        "share bench: a county of {} children, {} schools in {} towns, {} mutations (generated in {:.1} s)",
        data.pupils.len(),
        data.schools.len(),
        data.towns.len(),
        mutations.len(),
        start.elapsed().as_secs_f64()
    );
    let (database, _dir) = fresh_sqlite().await;
    let town_name: BTreeMap<_, _> = data.towns.iter().map(|town| (town.town.id, town.town.name.clone())).collect();
    for setup in &data.schools {
        let place = SchoolPlace {
            county: data.county.name.clone(),
            town: town_name[&setup.school.town].clone(),
            school: setup.school.name.clone(),
        };
        let fresh = FreshOrgIds { county: data.county.id, town: setup.school.town, school: setup.school.id };
        database.add_school(&place, fresh, NOW).await.unwrap();
    }
    let start = Instant::now();
    let mut stored = 0;
    let mut pending = Vec::new();
    for ((_, school), (chain, made)) in chains(&mutations) {
        let code = format!("code-{}", random_uuid());
        database.add_enrollment_code(school, &hash_secret(&code), NOW, i64::MAX).await.unwrap();
        let token = baoxue_sync_server::credentials::new_device_token().unwrap();
        database.enroll(&hash_secret(&code), chain.device, "bench", &hash_secret(&token), NOW).await.unwrap().unwrap();
        pending.push((chain.device, school, made, 0usize));
    }
    // As phones sync: each pushes until the server holds a change back for a record another
    // phone has not sent yet (a class phone's marks before the office's roster), and sends the
    // rest at its next sync, after the others.
    while pending.iter().any(|(_, _, made, next)| *next < made.len()) {
        let mut progress = false;
        for (device, school, made, next) in &mut pending {
            while *next < made.len() {
                let end = (*next + BATCH).min(made.len());
                let receipt = database.apply_batch(*device, *school, &made[*next..end], now_ms()).await.unwrap();
                assert!(receipt.rejected.is_empty(), "{:?}", receipt.rejected.first());
                stored += receipt.applied;
                let through = usize::try_from(receipt.accepted_through).unwrap();
                progress |= through > *next;
                *next = through.max(*next);
                if through < end {
                    break;
                }
            }
        }
        assert!(progress, "no phone could send anything more");
    }
    let push_s = start.elapsed().as_secs_f64();
    println!("share bench: stored {stored} mutations in {push_s:.1} s ({:.0}/s)", stored as f64 / push_s);

    let start = Instant::now();
    let worked_out = figures::refresh_stale(&database, now_ms()).await.unwrap();
    let refresh_s = start.elapsed().as_secs_f64();
    println!(
        "share bench: worked out {worked_out} schools' figures from their changes in {refresh_s:.1} s ({:.0} ms a school)",
        refresh_s * 1000.0 / worked_out as f64
    );

    let limits = Limits { share: RateLimit { burst: 1_000_000, per_second: 1_000_000.0 }, ..Limits::default() };
    let app = router(AppState::with_limits(database.clone(), limits), std::path::Path::new("/nonexistent"));
    let county = ShareUnit::County(data.county.id);
    let link = links::create(&database, county, "bench", 86_400_000, now_ms()).await.unwrap();
    let api = format!("/api/share/{}", link.token);
    let page = format!("/share/{}", link.token);
    let (p50, p95, bytes) = answer_times(&app, &api, 200).await;
    println!(
        "share bench: county view, {} schools: JSON p50 {p50:.1} ms, p95 {p95:.1} ms ({bytes} bytes)",
        data.schools.len()
    );
    let (changed50, changed95) = answer_times_after_a_change(&app, &database, &api, 50).await;
    println!(
        "share bench: county view after a school's figures changed, {} schools: JSON p50 {changed50:.1} ms, p95 {changed95:.1} ms",
        data.schools.len()
    );
    let (page50, page95, page_bytes) = answer_times(&app, &page, 200).await;
    println!(
        "share bench: county page, {} schools: p50 {page50:.1} ms, p95 {page95:.1} ms ({page_bytes} bytes)",
        data.schools.len()
    );
    let mut first_visit = 0;
    for path in [page.as_str(), "/share/style.css", "/share/register.js", "/share/sw.js"] {
        first_visit += gzip_bytes(&app, path).await;
    }
    // For Lighthouse: the county's page and what it loads, written where asked
    // (`BAOXUE_SHARE_PAGE_DIR`), to be served as files (docs/benchmarks.md).
    if let Some(dir) = std::env::var_os("BAOXUE_SHARE_PAGE_DIR") {
        let dir = std::path::Path::new(&dir).join("share");
        std::fs::create_dir_all(&dir).unwrap();
        for (path, file) in [
            (page.as_str(), "county.html"),
            ("/share/style.css", "style.css"),
            ("/share/register.js", "register.js"),
            ("/share/sw.js", "sw.js"),
        ] {
            let response = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
            let bytes = axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap();
            std::fs::write(dir.join(file), bytes).unwrap();
        }
    }
    println!(
        "share bench: the page's first visit (html, css, its script and service worker, gzip): {first_visit} bytes"
    );

    // Tenfold: nine more schools per school, in nine new towns per town, each with the kept
    // figures of the school it copies (its cursor is 0, so the copy stands as fresh).
    let kept: BTreeMap<SchoolId, FigureRow> =
        database.school_figures().await.unwrap().into_iter().map(|row| (row.school, row)).collect();
    let today = baoxue_sync_server::share::china_today(now_ms()).to_string();
    for copy in 1..10 {
        for setup in &data.schools {
            let place = SchoolPlace {
                county: data.county.name.clone(),
                town: format!("{}{copy}", town_name[&setup.school.town]),
                school: format!("{}{copy}", setup.school.name),
            };
            let fresh = FreshOrgIds {
                county: CountyId(random_uuid()),
                town: TownId(random_uuid()),
                school: SchoolId(random_uuid()),
            };
            let row = database.add_school(&place, fresh, NOW).await.unwrap();
            let original = &kept[&setup.school.id];
            let copied = FigureRow { school: row.id, taken_on: today.clone(), watermark: 0, ..original.clone() };
            database.put_school_figures(&copied).await.unwrap();
        }
    }
    let schools = database.placements().await.unwrap().len();
    let (p50, p95, bytes) = answer_times(&app, &api, 100).await;
    println!(
        "share bench: county view, {schools} schools (10x): JSON p50 {p50:.1} ms, p95 {p95:.1} ms ({bytes} bytes)"
    );
    let (page50, page95, _) = answer_times(&app, &page, 100).await;
    println!("share bench: county page, {schools} schools (10x): p50 {page50:.1} ms, p95 {page95:.1} ms");
    let (changed50, changed95) = answer_times_after_a_change(&app, &database, &api, 20).await;
    println!(
        "share bench: county view after a school's figures changed, {schools} schools (10x): JSON p50 {changed50:.1} ms, p95 {changed95:.1} ms"
    );
}
