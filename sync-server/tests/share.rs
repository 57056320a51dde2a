//! Supervisors' shared links over HTTP, on a real SQLite file: two schools of one town push
//! what their phones recorded; a town link shows the figures worked out by hand below, masked
//! where small, and nothing of any child; revoked, expired and unknown links say so.

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use baoxue_domain::calendar::Term;
use baoxue_domain::ids::{ClassId, RecordId, SchoolId, StudentId, TownId};
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::org::{Class, Grade};
use baoxue_domain::status::{Status, StatusEvent};
use baoxue_domain::student::{Gender, Student};
use baoxue_domain::student_number::id_check_digit;
use baoxue_domain::sync::{PushBatch, PushReceipt};
use baoxue_sync_server::rate_limit::{Limits, RateLimit};
use baoxue_sync_server::routes::router;
use baoxue_sync_server::share::{china_today, links};
use baoxue_sync_server::storage::{Database, FigureRow, FreshOrgIds, SchoolPlace, ShareUnit, Storage};
use baoxue_sync_server::{now_ms, AppState};
use chrono::{Days, NaiveDate};
use serde_json::Value;
use support::*;
use tower::ServiceExt;

const DAY_MS: i64 = 86_400_000;

async fn app_with(limits: Limits) -> (Router, Database, tempfile::TempDir) {
    let (database, dir) = fresh_sqlite().await;
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>保学</title>").unwrap();
    (router(AppState::with_limits(database.clone(), limits), dir.path()), database, dir)
}

/// The answer's status, headers and body as text.
async fn get(app: &Router, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let request = Request::get(path).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), 8 << 20).await.unwrap();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

/// What one child's records hold that must never leave the school.
struct Private {
    name: String,
    number: String,
    address: String,
    phone: String,
    evidence: String,
}

/// A school's phone pushes its term, one class of `children` and their statuses: each on the
/// roll since before the term, and the first `dropouts` of them dropped out yesterday. Answers
/// what the children's records hold that is private.
async fn school_pushes(
    app: &Router,
    database: &Database,
    school: SchoolId,
    tag: &str,
    children: u64,
    dropouts: u64,
) -> Vec<Private> {
    let today = china_today(now_ms());
    let (device, token) = enrolled_phone(database, school).await;
    let class = ClassId(random_uuid());
    let term_start = today - Days::new(40);
    let mut changes = vec![
        Change::SetTerm {
            school,
            term: Term { name: "测试学期".into(), start: term_start, end: today + Days::new(60) },
        },
        Change::PutClass(Class {
            id: class,
            school,
            grade: Grade::new(7).unwrap(),
            name: "七年级(1)班".into(),
            head_teacher: format!("{tag}老师"),
        }),
    ];
    let mut private = Vec::new();
    for n in 0..children {
        let student = StudentId(random_uuid());
        let child = Private {
            name: format!("{tag}同学{n}"),
            number: {
                let first17 = format!("45032120130501{:03}", n + u64::from(tag.chars().next().unwrap()) % 500);
                format!("G{first17}{}", id_check_digit(&first17).unwrap())
            },
            address: format!("{tag}村{n}组{n}号"),
            phone: format!("139{:08}", n * 7 + 1234),
            evidence: format!("家访时{tag}同学{n}的父亲说孩子去广东打工了"),
        };
        changes.push(Change::PutStudent(Student {
            id: student,
            school,
            student_number: Some(child.number.parse().expect("a valid 学籍号")),
            name: child.name.clone(),
            gender: Gender::Male,
            birth_date: NaiveDate::from_ymd_opt(2013, 5, 1).unwrap(),
            grade: Grade::new(7).unwrap(),
            class,
            village: format!("{tag}村"),
            address: child.address.clone(),
            guardian: format!("{tag}家长{n}"),
            guardian_phone: child.phone.clone(),
            id_number: None,
        }));
        let status = |date: NaiveDate, status: Status, evidence: &str| {
            Change::RecordStatus(StatusEvent {
                id: RecordId(random_uuid()),
                student,
                date,
                status,
                evidence: evidence.into(),
            })
        };
        changes.push(status(term_start - Days::new(10), Status::Enrolled, ""));
        if n < dropouts {
            changes.push(status(today - Days::new(1), Status::DroppedOut, &child.evidence));
        }
        private.push(child);
    }
    let mut chain = DeviceChain::new(device);
    let mutations: Vec<Mutation> =
        changes.into_iter().map(|change| next(&mut chain, school, change, now_ms() as u64)).collect();
    let count = mutations.len();
    let batch = serde_json::to_string(&PushBatch { device, mutations }).unwrap();
    let request = Request::post("/api/push")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(batch))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), 8 << 20).await.unwrap();
    let receipt: PushReceipt = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(receipt.applied, count, "every change is taken: {receipt:?}");
    private
}

/// A school in another town of the county, whose figures a town link must not count.
async fn school_elsewhere(database: &Database) -> SchoolId {
    school_in(database, "白水乡", "丙小学").await
}

/// A school of `town` in the county of `bare_school`.
async fn school_in(database: &Database, town: &str, school: &str) -> SchoolId {
    let fresh = FreshOrgIds {
        county: baoxue_domain::ids::CountyId(random_uuid()),
        town: TownId(random_uuid()),
        school: SchoolId(random_uuid()),
    };
    let place = SchoolPlace { county: "城关县".into(), town: town.into(), school: school.into() };
    database.add_school(&place, fresh, NOW).await.unwrap().id
}

/// Every row of the workbook's first sheet as text (numbers without a fraction as integers).
fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    sheet_rows_at(bytes, 0)
}

/// Every row of the workbook's sheet number `index`, as text.
fn sheet_rows_at(bytes: &[u8], index: usize) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX file");
    let range = workbook.worksheet_range_at(index).expect("a sheet").expect("a readable sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Float(number) if number.fract() == 0.0 => format!("{number:.0}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn count(row: &Value, measure: &str) -> Value {
    row["counts"][measure].clone()
}

#[tokio::test]
async fn a_town_link_shows_the_towns_figures_masked_and_nothing_of_a_child() {
    let (app, database, _dir) = app_with(Limits::default()).await;
    let first = bare_school(&database, "甲小学").await;
    let second = bare_school(&database, "乙中学").await;
    let elsewhere = school_elsewhere(&database).await;
    let mut private = school_pushes(&app, &database, first, "甲", 30, 6).await;
    private.extend(school_pushes(&app, &database, second, "乙", 20, 2).await);
    private.extend(school_pushes(&app, &database, elsewhere, "丙", 12, 5).await);
    let town = database.placements().await.unwrap().into_iter().find(|place| place.school == first).unwrap().town;
    // A phone of 乙 restored from an old backup reuses a counter: its chain broke.
    let (restored, _) = enrolled_phone(&database, second).await;
    let term = |name: &str| {
        let today = china_today(now_ms());
        Change::SetTerm {
            school: second,
            term: Term { name: name.into(), start: today - Days::new(40), end: today + Days::new(60) },
        }
    };
    let mut chain = DeviceChain::new(restored);
    let sent: Vec<Mutation> = [term("测试学期"), term("测试学期")]
        .into_iter()
        .map(|change| next(&mut chain, second, change, now_ms() as u64))
        .collect();
    database.apply_batch(restored, second, &sent, now_ms()).await.unwrap();
    let mut from_backup = DeviceChain::new(restored);
    from_backup.last_seq = 1;
    from_backup.last_hash = sent[0].hash();
    let reused = next(&mut from_backup, second, term("测试学期"), now_ms() as u64);
    let receipt = database.apply_batch(restored, second, &[reused], now_ms()).await.unwrap();
    assert_eq!(receipt.rejected.len(), 1, "{receipt:?}");
    let link = links::create(&database, ShareUnit::Town(town), "石门镇教办", 7 * DAY_MS, now_ms()).await.unwrap();

    let (status, headers, body) = get(&app, &format!("/api/share/{}", link.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(headers["x-robots-tag"].to_str().unwrap().contains("noindex"));
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    let view: Value = serde_json::from_str(&body).unwrap();
    // Worked out by hand: 甲 has 30 on the roll and 6 dropouts, 乙 20 and 2; the town 50 and 8.
    // 乙's 2 is masked, and 甲's 6 with it, or 8 − 6 would give 乙's away. 丙 is another town's.
    let total = &view["view"]["total"];
    assert_eq!(view["view"]["unit"], "城关县 石门镇");
    assert_eq!((total["schools"].as_u64(), total["reported_this_week"].as_u64()), (Some(2), Some(2)));
    assert_eq!(count(total, "Enrolled"), serde_json::json!({ "Count": 50 }));
    assert_eq!(count(total, "Dropouts"), serde_json::json!({ "Count": 8 }));
    assert_eq!(count(total, "WereOut"), serde_json::json!({ "Count": 8 }));
    assert_eq!(count(total, "Returned"), serde_json::json!({ "Count": 0 }));
    let rows = view["view"]["rows"].as_array().unwrap();
    let row =
        |name: &str| rows.iter().find(|row| row["name"] == name).unwrap_or_else(|| panic!("no row {name}: {rows:?}"));
    assert_eq!(rows.len(), 2);
    assert_eq!(count(row("甲小学"), "Enrolled"), serde_json::json!({ "Count": 30 }));
    assert_eq!(count(row("乙中学"), "Enrolled"), serde_json::json!({ "Count": 20 }));
    assert_eq!(count(row("乙中学"), "Dropouts"), serde_json::json!("Masked"));
    assert_eq!(count(row("甲小学"), "Dropouts"), serde_json::json!("Masked"));
    assert_eq!(view["view"]["term"], "测试学期");
    // The campaign: the 8 dropouts of yesterday were found in one week (and one month); no
    // week's count is small, so none is masked.
    let found: Vec<Value> =
        view["view"]["weekly"].as_array().unwrap().iter().map(|point| point[1]["Found"].clone()).collect();
    assert!(found.len() > 4, "{found:?}");
    let shown: Vec<u64> = found.iter().map(|value| value["Count"].as_u64().expect("shown")).collect();
    assert_eq!((shown.iter().sum::<u64>(), shown.iter().filter(|count| **count > 0).count()), (8, 1));
    let monthly_found: u64 = view["view"]["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|point| point[1]["Found"]["Count"].as_u64().unwrap())
        .sum();
    assert_eq!(monthly_found, 8);
    // How the records were kept: nothing written late or removed; 乙's one broken chain.
    assert_eq!(count(row("乙中学"), "ChainBreaks"), serde_json::json!({ "Count": 1 }));
    assert_eq!(count(row("甲小学"), "ChainBreaks"), serde_json::json!({ "Count": 0 }));
    assert_eq!(count(total, "EnteredLate"), serde_json::json!({ "Count": 0 }));
    assert_eq!(count(total, "Removed"), serde_json::json!({ "Count": 0 }));
    // Visits against the quota: no visit yet, against each head teacher's quota (unmasked: they
    // count visits and teachers, no child).
    assert_eq!(count(total, "VisitsTowardQuota"), serde_json::json!({ "Count": 0 }));
    assert!(count(total, "VisitQuota")["Count"].as_u64().unwrap() > 0, "{total}");
    assert_eq!(count(total, "TeachersWithQuota"), serde_json::json!({ "Count": 2 }), "a head teacher per school");
    assert_eq!(view["not_reported"], serde_json::json!([]));

    let (status, headers, page) = get(&app, &format!("/share/{}", link.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(page.contains("城关县 石门镇") && page.contains("甲小学") && page.contains("乙中学"), "{page}");
    assert!(page.contains("16.00%（8/50）"), "the town's 辍学率 with its counts: {page}");
    assert!(page.contains("劝返工作进展") && page.contains("<svg"), "the campaign's charts: {page}");
    assert!(page.contains("班主任家访（计入定额 / 定额）"), "visits against the quota: {page}");
    assert!(page.contains("不显示（&lt;5/30）"), "甲小学's masked count hides its rate: {page}");
    assert!(!page.contains("丙小学"), "another town's school");
    assert_eq!(page.matches("<script").count(), 1, "one script, for the offline copy: {page}");
    assert!(page.contains("<script src=\"/share/register.js\" defer></script>"));
    let (_, _, english) = get(&app, &format!("/share/{}?lang=en", link.token)).await;
    assert!(english.contains("Dropout rate") && english.contains("16.00%"), "{english}");

    // Nothing behind the link names a child: no name, 学籍号, address, phone or free text.
    for answer in [&body, &page, &english] {
        for child in &private {
            for secret in [&child.name, &child.number, &child.address, &child.phone, &child.evidence] {
                assert!(!answer.contains(secret.as_str()), "{secret} is behind the link");
            }
        }
    }

    // The same table as a spreadsheet, read back by a real reader.
    let request = Request::get(format!("/share/{}/xlsx", link.token)).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let bytes = axum::body::to_bytes(response.into_body(), 8 << 20).await.unwrap();
    let sheet = sheet_rows(&bytes);
    let header = sheet.iter().find(|row| row.first().map(String::as_str) == Some("单位")).expect("a header row");
    let column = |label: &str| {
        header.iter().position(|cell| cell.starts_with(label)).unwrap_or_else(|| panic!("no {label} in {header:?}"))
    };
    let line = |name: &str| {
        sheet
            .iter()
            .find(|row| row.first().map(String::as_str) == Some(name))
            .unwrap_or_else(|| panic!("no {name} in {sheet:?}"))
    };
    assert_eq!(line("城关县 石门镇")[column("在籍学生")], "50");
    assert_eq!(line("城关县 石门镇")[column("辍学率")], "16.00%（8/50）");
    assert_eq!(line("甲小学")[column("在籍学生")], "30");
    assert_eq!(line("甲小学")[column("辍学率")], "不显示（<5/30）");
    assert_eq!(line("乙中学")[column("在籍学生")], "20");
    assert!(sheet.iter().all(|row| row.first().map(String::as_str) != Some("丙小学")));
    // The campaign's sheet: the weeks, then the months; the 8 found this week are there.
    let progress = sheet_rows_at(&bytes, 1);
    assert_eq!(progress[0][0], "按周（每周一起；跨月的一周分在两个月里）");
    assert_eq!(progress[0][1], "发现辍学");
    let found: u64 = progress
        .iter()
        .skip(1)
        .take_while(|row| !row[0].is_empty() && row[0] != "按月")
        .map(|row| row[1].parse::<u64>().unwrap())
        .sum();
    assert_eq!(found, 8);
    assert!(progress.iter().any(|row| row[0] == "按月"), "{progress:?}");
    let all_cells = sheet.concat().join("\n");
    for child in &private {
        for secret in [&child.name, &child.number, &child.address, &child.phone, &child.evidence] {
            assert!(!all_cells.contains(secret.as_str()), "{secret} is in the spreadsheet");
        }
    }

    // The figures are kept per school with the school's cursor as watermark.
    let kept = database.school_figures().await.unwrap();
    let places = database.placements().await.unwrap();
    for school in [first, second] {
        let row = kept.iter().find(|row| row.school == school).expect("a kept row per school of the view");
        let place = places.iter().find(|place| place.school == school).unwrap();
        assert_eq!(row.watermark, place.last_server_seq);
        assert_eq!(row.taken_on, china_today(now_ms()).to_string());
    }
    // A row kept by an earlier version (its grades as pairs, no classes) is worked out again
    // when the view reads it, and replaced: the next view reads it as it is.
    let held = kept.iter().find(|row| row.school == first).unwrap().clone();
    let earlier =
        FigureRow { summary: r#"{"school":null,"grades":[]}"#.into(), computed_ms: held.computed_ms + 1, ..held };
    assert!(database.put_school_figures(&earlier).await.unwrap());
    let (status, _, again) = get(&app, &format!("/api/share/{}", link.token)).await;
    assert_eq!(status, StatusCode::OK);
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["view"]["total"]["counts"], view["view"]["total"]["counts"]);
    let now_kept = database.school_figures().await.unwrap().into_iter().find(|row| row.school == first).unwrap();
    let figures: Value = serde_json::from_str(&now_kept.summary).unwrap();
    assert!(figures["grades"][0]["classes"].is_array(), "kept again in this version's form: {figures}");

    // Revoked: the same link says so, as JSON and as a page.
    database.revoke_share_link(link.row.id, now_ms()).await.unwrap();
    let (status, _, body) = get(&app, &format!("/api/share/{}", link.token)).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["code"], "link_revoked");
    let (status, _, page) = get(&app, &format!("/share/{}", link.token)).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("已被分享人撤销"), "{page}");
}

/// A person holding the county's link and a town's sees the town masked alike in both: its row
/// in the county's view is its total in its own, so neither gives the other away.
#[tokio::test]
async fn a_towns_row_in_the_countys_view_is_its_total_in_its_own() {
    let (app, database, _dir) = app_with(Limits::default()).await;
    // Worked out by hand: 石门镇 has 甲 3 dropouts and 乙 none (3: small, masked); 白水乡 has
    // 丙 5 and 丁 7 (12). In the county's view 石门镇's 3 is masked and 白水乡's 12 with it, or
    // 15 − 12 would give it away; so 白水乡's own link masks its total 12 too, and below it the
    // smaller school, 丙's 5, so that the 12 can move.
    let schools = [("石门镇", "甲小学", 3), ("石门镇", "乙小学", 0), ("白水乡", "丙小学", 5), ("白水乡", "丁小学", 7)];
    for (town, name, dropouts) in schools {
        let school = school_in(&database, town, name).await;
        school_pushes(&app, &database, school, &name[..3], 20, dropouts).await;
    }
    let places = database.placements().await.unwrap();
    let town_of = |name: &str| places.iter().find(|place| place.town_name == name).unwrap().town;
    let county = places[0].county;
    let open = |unit: ShareUnit| {
        let (app, database) = (app.clone(), database.clone());
        async move {
            let link = links::create(&database, unit, "", DAY_MS, now_ms()).await.unwrap();
            let (status, _, body) = get(&app, &format!("/api/share/{}", link.token)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            serde_json::from_str::<Value>(&body).unwrap()["view"].clone()
        }
    };
    let county_view = open(ShareUnit::County(county)).await;
    assert_eq!(count(&county_view["total"], "Dropouts"), serde_json::json!({ "Count": 15 }));
    for town in ["石门镇", "白水乡"] {
        let town_view = open(ShareUnit::Town(town_of(town))).await;
        let row = county_view["rows"].as_array().unwrap().iter().find(|row| row["name"] == town).unwrap();
        assert_eq!(count(row, "Dropouts"), serde_json::json!("Masked"), "{town}");
        assert_eq!(row["counts"], town_view["total"]["counts"], "{town}: every count alike in both views");
    }
    let town_view = open(ShareUnit::Town(town_of("白水乡"))).await;
    let dropouts: Vec<(String, Value)> = town_view["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["name"].as_str().unwrap().to_owned(), count(row, "Dropouts")))
        .collect();
    assert_eq!(
        dropouts,
        [("丁小学".to_owned(), serde_json::json!({ "Count": 7 })), ("丙小学".to_owned(), serde_json::json!("Masked"))]
    );
}

#[tokio::test]
async fn expired_and_unknown_links_say_so_and_guessing_is_rate_limited() {
    let limits = Limits { share: RateLimit { burst: 4, per_second: 0.001 }, ..Limits::default() };
    let (app, database, _dir) = app_with(limits).await;
    let school = bare_school(&database, "甲小学").await;
    let ten_days_ago = now_ms() - 10 * DAY_MS;
    let old = links::create(&database, ShareUnit::School(school), "", DAY_MS, ten_days_ago).await.unwrap();
    let (status, _, page) = get(&app, &format!("/share/{}", old.token)).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("此链接已过期"), "{page}");
    let (status, _, body) = get(&app, &format!("/api/share/{}", old.token)).await;
    assert_eq!(
        (status, serde_json::from_str::<Value>(&body).unwrap()["code"].clone()),
        (StatusCode::GONE, "link_expired".into())
    );
    let (status, headers, robots) = get(&app, "/robots.txt").await;
    assert_eq!(
        (status, headers[header::CONTENT_TYPE].to_str().unwrap()),
        (StatusCode::OK, "text/plain; charset=utf-8")
    );
    assert!(robots.contains("Disallow: /share/"), "{robots}");
    let (status, _, page) = get(&app, &format!("/share/{}", "0".repeat(64))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("此链接无效"), "{page}");
    let (status, _, _) = get(&app, "/share/not-a-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The fifth try from one address within the burst waits.
    let (status, headers, _) = get(&app, &format!("/api/share/{}", "1".repeat(64))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.contains_key(header::RETRY_AFTER));
}

/// The counts of every row and of the total, by unit name: what two views must agree on (their
/// times of taking differ).
fn counts_by_row(view: &Value) -> Vec<(String, Value)> {
    let mut rows: Vec<(String, Value)> = view["view"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .chain([&view["view"]["total"]])
        .map(|row| (row["name"].as_str().unwrap().to_owned(), row["counts"].clone()))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

/// The town's view worked out from scratch: every change of each school of its county pulled,
/// merged and counted with the domain's rules, then the county masked as one tree (towns by
/// name, schools by name, each school above its grades), as the server does.
async fn view_from_scratch(database: &Database, town: TownId) -> Value {
    use baoxue_domain::hierarchy::{Branch, UnitTree};
    use baoxue_domain::supervision::{school_figures, SchoolFigures, UnitLine};
    let today = china_today(now_ms());
    let all = database.placements().await.unwrap();
    let county = all.iter().find(|place| place.town == town).unwrap().county;
    let mut places: Vec<_> = all.into_iter().filter(|place| place.county == county).collect();
    places.sort_by(|a, b| (&a.name, a.school.0).cmp(&(&b.name, b.school.0)));
    let mut towns: std::collections::BTreeMap<(String, uuid::Uuid), Vec<Branch>> = Default::default();
    for place in &places {
        let mut state = baoxue_domain::state::State::default();
        let request = baoxue_domain::sync::PullRequest { after: 0, limit: Some(1_000), epoch: None };
        let baoxue_domain::sync::PullAnswer::Page(page) =
            database.pull(place.school, &request, now_ms()).await.unwrap()
        else {
            panic!("a page")
        };
        assert!(!page.more);
        for (_, mutation) in &page.mutations {
            state.apply(mutation);
        }
        let figures = school_figures(&state, place.school, today)
            .unwrap_or(SchoolFigures { school: Default::default(), grades: Vec::new() });
        let line = |name: String, summary| UnitLine {
            name,
            schools: 1,
            reported_this_week: u64::from(place.last_received_ms.is_some()),
            last_synced_ms: place.last_received_ms,
            summary,
        };
        let school = figures.branch(place.name.clone(), line);
        towns.entry((place.town_name.clone(), place.town.0)).or_default().push(school);
    }
    let towns =
        towns.into_iter().map(|((name, id), schools)| Branch::sum(&name, schools).keyed(id.as_u128())).collect();
    let tree = UnitTree::new(Branch::sum(&places[0].county_name, towns));
    let unit = tree.unit_of(town.0.as_u128()).unwrap();
    let place = places.iter().find(|place| place.town == town).unwrap();
    let name = format!("{} {}", place.county_name, place.town_name);
    serde_json::json!({ "view": tree.view(unit, &name, 0, 1) })
}

/// Two server processes on one database (two pools, as two processes have): phones push through
/// either, and the view opened through either equals the view worked out from scratch.
async fn two_servers_agree(first: Database, second: Database) {
    let one = router(AppState::new(first.clone()), std::path::Path::new("/nonexistent"));
    let two = router(AppState::new(second.clone()), std::path::Path::new("/nonexistent"));
    let tag = random_uuid().simple().to_string();
    let a = bare_school(&first, &format!("甲{tag}")).await;
    let b = bare_school(&second, &format!("乙{tag}")).await;
    school_pushes(&one, &first, a, "甲", 25, 7).await;
    school_pushes(&two, &second, b, "乙", 15, 1).await;
    let town = first.placements().await.unwrap().into_iter().find(|place| place.school == a).unwrap().town;
    let link = links::create(&first, ShareUnit::Town(town), "", DAY_MS, now_ms()).await.unwrap();
    let path = format!("/api/share/{}", link.token);
    let (status, _, from_one) = get(&one, &path).await;
    assert_eq!(status, StatusCode::OK, "{from_one}");
    // More pushes through the second server, then the view through each.
    school_pushes(&two, &second, a, "丁", 5, 0).await;
    let (_, _, from_two) = get(&two, &path).await;
    let (_, _, from_one_again) = get(&one, &path).await;
    let scratch = counts_by_row(&view_from_scratch(&first, town).await);
    let from_two: Value = serde_json::from_str(&from_two).unwrap();
    let from_one_again: Value = serde_json::from_str(&from_one_again).unwrap();
    assert_eq!(counts_by_row(&from_two), scratch);
    assert_eq!(counts_by_row(&from_one_again), scratch);
    let from_one: Value = serde_json::from_str(&from_one).unwrap();
    assert_ne!(counts_by_row(&from_one), scratch, "the second push changed the figures");
}

#[tokio::test]
async fn two_servers_on_one_sqlite_file_show_the_same_view() {
    let (first, dir) = fresh_sqlite().await;
    let second = Database::open(dir.path().join("baoxue.db").to_str().unwrap()).await.unwrap();
    two_servers_agree(first, second).await;
}

#[tokio::test]
async fn two_servers_on_one_postgres_show_the_same_view() {
    let Some(url) = fresh_postgres_url().await else { return };
    let first = Database::open(&url).await.unwrap();
    let second = Database::open(&url).await.unwrap();
    two_servers_agree(first, second).await;
}

/// A school's phone shares its school from the app: a link to its own school with a QR code,
/// listed for the school's phones, revoked by them and by no other school's phone.
#[tokio::test]
async fn a_schools_phone_makes_lists_and_revokes_a_link_to_its_school() {
    let (app, database, _dir) = app_with(Limits::default()).await;
    let school = bare_school(&database, "甲小学").await;
    let other = bare_school(&database, "乙中学").await;
    school_pushes(&app, &database, school, "甲", 6, 0).await;
    let (_, token) = enrolled_phone(&database, school).await;
    let (_, stranger) = enrolled_phone(&database, other).await;
    let send = |method: &str, path: &str, token: &str, body: Option<Value>| {
        let mut request =
            Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request.body(body.map_or_else(Body::empty, |body| Body::from(body.to_string()))).unwrap();
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 8 << 20).await.unwrap();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        }
    };
    let ask = serde_json::json!({ "expires_days": 30, "label": "镇教办", "origin": "https://baoxue.example.cn/" });
    let (status, made) = send("POST", "/api/share-links", &token, Some(ask)).await;
    assert_eq!(status, StatusCode::OK, "{made}");
    let url = made["url"].as_str().unwrap();
    let link_token = url.strip_prefix("https://baoxue.example.cn/share/").expect("a link on the phone's origin");
    assert_eq!(link_token.len(), 64);
    assert!(made["qr_svg"].as_str().unwrap().contains("<svg"), "{made}");
    let (status, _, page) = get(&app, &format!("/share/{link_token}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("城关县 石门镇 甲小学") && page.contains("<dd>6</dd>"), "{page}");
    // Below the school, its grades, and below each grade its classes: all six children are in
    // 七年级(1)班.
    assert!(page.contains("<h2>七年级</h2>") && page.contains("<h2>七年级(1)班</h2>"), "{page}");
    let (_, _, json) = get(&app, &format!("/api/share/{link_token}")).await;
    let view: Value = serde_json::from_str(&json).unwrap();
    let rows = view["view"]["rows"].as_array().unwrap();
    let names: Vec<(&str, u64)> =
        rows.iter().map(|row| (row["name"].as_str().unwrap(), row["depth"].as_u64().unwrap())).collect();
    assert_eq!(names, [("七年级", 0), ("七年级(1)班", 1)]);
    assert_eq!(count(&rows[0], "Enrolled"), serde_json::json!({ "Count": 6 }));
    assert_eq!(count(&rows[1], "Enrolled"), serde_json::json!({ "Count": 6 }));
    assert_eq!(count(&view["view"]["total"], "Enrolled"), serde_json::json!({ "Count": 6 }));

    for (ask, why) in [
        (serde_json::json!({ "expires_days": 0, "origin": "https://baoxue.example.cn" }), "0 days"),
        (serde_json::json!({ "expires_days": 400, "origin": "https://baoxue.example.cn" }), "over a year"),
        (serde_json::json!({ "expires_days": 7, "origin": "javascript:alert(1)" }), "not an origin"),
    ] {
        let (status, answer) = send("POST", "/api/share-links", &token, Some(ask)).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("bad_share_link")),
            "{why}: {answer}"
        );
    }
    let (status, _) = send("POST", "/api/share-links", "", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, listed) = send("GET", "/api/share-links", &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["links"].as_array().unwrap().len(), 1);
    assert_eq!(listed["links"][0]["label"], "镇教办");
    assert!(!listed.to_string().contains(link_token), "the token is never listed");
    let (_, theirs) = send("GET", "/api/share-links", &stranger, None).await;
    assert_eq!(theirs["links"], serde_json::json!([]), "another school's phone sees none of them");
    let id = made["id"].as_str().unwrap();
    let (status, answer) = send("POST", &format!("/api/share-links/{id}/revoke"), &stranger, None).await;
    assert_eq!((status, answer["code"].as_str()), (StatusCode::NOT_FOUND, Some("no_such_link")));
    let (status, after) = send("POST", &format!("/api/share-links/{id}/revoke"), &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(after["links"][0]["revoked_ms"].is_i64(), "{after}");
    let (status, _, _) = get(&app, &format!("/share/{link_token}")).await;
    assert_eq!(status, StatusCode::GONE);
}
