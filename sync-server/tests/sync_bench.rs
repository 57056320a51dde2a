//! Not a test: the push and pull benchmark that `cargo xtask bench-sync` runs (docs/benchmarks.md,
//! "Sync"). It takes datagen's mutations (`BAOXUE_BENCH_MUTATIONS`, a mutations.jsonl), puts
//! them all under one school (datagen caps a school at 1,500 children, so a town of 3,000 is
//! several), and through the real server binary over HTTP:
//! - pushes every device's chain in batches of 100, one request after another, and prints
//!   mutations per second, on a SQLite file and on PostgreSQL (`BAOXUE_TEST_POSTGRES_URL`);
//! - has a new phone pull the whole school in pages of 1,000 and prints the time, the bytes the
//!   server sent (and what gzip would make of them), and the time to merge them into a `State`.
//!
//! The per-device and enrollment limits are lifted: this measures the database, not the
//! limiter.
//!
//! `an_honest_push_beside_junk_traffic` (needs no data) times one phone's push of 500 marks
//! on a SQLite server, alone and while 200 requests without a valid credential arrive at once
//! (garbage bearer tokens on /api/pull, enrollment with made-up codes, /api/health).

mod server_process;
mod support;

use baoxue_domain::ids::{DeviceId, SchoolId};
use baoxue_domain::mutation::{DeviceChain, Mutation};
use baoxue_domain::state::State;
use baoxue_domain::sync::{PullAnswer, PushBatch, PushReceipt};
use server_process::{dist, enrollment_code, http, new_school};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

const BATCH: usize = 100;
const PAGE: u32 = 1_000;

/// Every device's mutations, rechained for `school` in the order the device made them, with
/// their changes moved to `school`.
fn rechained(original: &[Mutation], school: SchoolId) -> BTreeMap<DeviceId, Vec<Mutation>> {
    let mut chains: BTreeMap<DeviceId, (DeviceChain, Vec<Mutation>)> = BTreeMap::new();
    for mutation in original {
        let (chain, made) =
            chains.entry(mutation.device).or_insert_with(|| (DeviceChain::new(mutation.device), Vec::new()));
        let random = baoxue_sync_server::credentials::random_bytes::<10>().unwrap();
        // A change naming its school (a class, a student, the term) names the bench's school too,
        // or the server refuses it as a change for another school.
        let json = serde_json::to_string(&mutation.change).unwrap();
        let change = serde_json::from_str(&json.replace(&mutation.school.to_string(), &school.to_string())).unwrap();
        made.push(chain.next(&mutation.author, school, change, mutation.stamp.wall_ms, random));
    }
    chains.into_iter().map(|(device, (_, made))| (device, made)).collect()
}

fn enroll(address: &str, db: &str, school: SchoolId, device: DeviceId) -> String {
    let body = serde_json::json!({"code": enrollment_code(db, school), "device": device, "label": "bench"});
    let (status, answer) = http(address, "POST", "/api/enroll", "", &body.to_string()).unwrap();
    assert_eq!(status, 200, "{answer}");
    serde_json::from_str::<serde_json::Value>(&answer).unwrap()["token"].as_str().unwrap().to_owned()
}

fn gzip_size(bytes: &[u8]) -> Option<usize> {
    let mut gzip = Command::new("gzip").arg("-c").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().ok()?;
    let mut input = gzip.stdin.take()?;
    let bytes = bytes.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&bytes));
    let output = gzip.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    Some(output.stdout.len())
}

/// The bytes the server sends for `path` to a client that accepts gzip, as curl counts them.
fn wire_bytes(address: &str, path: &str, token: &str) -> Option<u64> {
    let output = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{size_download}", "-H", "Accept-Encoding: gzip", "-H"])
        .arg(format!("Authorization: Bearer {token}"))
        .arg(format!("http://{address}{path}"))
        .output()
        .ok()?;
    String::from_utf8(output.stdout).ok()?.trim().parse().ok()
}

fn bench(kind: &str, db: &str, original: &[Mutation]) {
    let dist = dist();
    let school = new_school(db, "基准学校");
    let server = server_process::Server::start_with(
        db,
        dist.path(),
        &[("BAOXUE_DEVICE_BURST", "1000000000"), ("BAOXUE_ENROLL_BURST", "1000000000")],
    );
    let chains = rechained(original, school);
    let tokens: BTreeMap<DeviceId, String> =
        chains.keys().map(|device| (*device, enroll(&server.address, db, school, *device))).collect();

    let started = Instant::now();
    let mut batches = 0;
    // Each device pushes in turn until its chain is sent or the server holds a change naming a
    // child another device has not sent yet (`PushReceipt::held`); then the next device. The
    // rounds go on until every chain is sent, as phones syncing now and then would.
    let mut sent: BTreeMap<DeviceId, usize> = chains.keys().map(|device| (*device, 0)).collect();
    while sent.iter().any(|(device, count)| *count < chains[device].len()) {
        let mut moved = false;
        for (device, chain) in &chains {
            while sent[device] < chain.len() {
                let batch = &chain[sent[device]..(sent[device] + BATCH).min(chain.len())];
                let body = serde_json::to_string(&PushBatch { device: *device, mutations: batch.to_vec() }).unwrap();
                let (status, answer) = http(&server.address, "POST", "/api/push", &tokens[device], &body).unwrap();
                assert_eq!(status, 200, "{answer}");
                let receipt: PushReceipt = serde_json::from_str(&answer).unwrap();
                assert!(receipt.rejected.is_empty(), "{receipt:?}");
                batches += 1;
                moved |= receipt.applied > 0;
                sent.insert(*device, receipt.accepted_through as usize);
                if receipt.held.is_some() {
                    break;
                }
            }
        }
        assert!(moved, "no device could send anything more: {sent:?}");
    }
    let pushed = started.elapsed();
    let total = original.len();
    println!(
        "{kind:<10} push: {total} mutations from {} devices in {batches} batches of up to {BATCH}: {:.1} s, {:.0} mutations/s",
        chains.len(),
        pushed.as_secs_f64(),
        total as f64 / pushed.as_secs_f64()
    );

    let phone = DeviceId(support::random_uuid());
    let token = enroll(&server.address, db, school, phone);
    let started = Instant::now();
    let (mut after, mut bytes, mut pages, mut pulled) = (0, Vec::new(), 0, Vec::new());
    loop {
        let (status, body) =
            http(&server.address, "GET", &format!("/api/pull?after={after}&limit={PAGE}"), &token, "").unwrap();
        assert_eq!(status, 200, "{body}");
        let PullAnswer::Page(page) = serde_json::from_str(&body).unwrap() else { panic!("resync asked: {body}") };
        bytes.extend_from_slice(body.as_bytes());
        pages += 1;
        after = page.next;
        pulled.extend(page.mutations.into_iter().map(|(_, mutation)| mutation));
        if !page.more {
            break;
        }
    }
    let pull_time = started.elapsed();
    assert_eq!(pulled.len(), total);
    // The same pages again as a phone asks for them (`Accept-Encoding: gzip`): the bytes that
    // cross the link, as the server compresses them.
    let wire: Option<u64> = (0..pages)
        .scan(0u64, |after, _| {
            let path = format!("/api/pull?after={after}&limit={PAGE}");
            let (_, body) = http(&server.address, "GET", &path, &token, "").ok()?;
            let PullAnswer::Page(page) = serde_json::from_str(&body).ok()? else { return None };
            *after = page.next;
            Some(wire_bytes(&server.address, &path, &token))
        })
        .sum();
    let wire = wire.map_or("curl not found".to_owned(), |bytes| format!("{:.1} MB on the wire", bytes as f64 / 1e6));
    let started = Instant::now();
    let state = State::from_mutations(&pulled);
    let merge_time = started.elapsed();
    let gzip =
        gzip_size(&bytes).map_or("gzip not found".to_owned(), |size| format!("{:.1} MB gzip", size as f64 / 1e6));
    println!(
        "{kind:<10} pull: a new phone, {total} mutations ({} students) in {pages} pages: {:.1} s, {:.1} MB of JSON ({gzip}; {wire} as the server gzips it); merged in {:.2} s",
        state.students().len(),
        pull_time.as_secs_f64(),
        bytes.len() as f64 / 1e6,
        merge_time.as_secs_f64()
    );
}

#[test]
#[ignore = "a benchmark: cargo xtask bench-sync"]
fn push_and_pull_a_town() {
    let Ok(path) = std::env::var("BAOXUE_BENCH_MUTATIONS") else {
        eprintln!("BAOXUE_BENCH_MUTATIONS is not set: run `cargo xtask bench-sync`");
        return;
    };
    let original: Vec<Mutation> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    bench("SQLite", dir.path().join("bench.db").to_str().unwrap(), &original);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    match runtime.block_on(support::fresh_postgres_url()) {
        Some(url) => bench("PostgreSQL", &url, &original),
        None => println!("PostgreSQL   not measured: BAOXUE_TEST_POSTGRES_URL is not set"),
    }
}

/// Pushes the next 500 of `chain` (from `sent`) and answers how long the push took.
fn timed_push(address: &str, token: &str, device: DeviceId, batch: &[Mutation]) -> std::time::Duration {
    let body = serde_json::to_string(&PushBatch { device, mutations: batch.to_vec() }).unwrap();
    let started = Instant::now();
    let (status, answer) = http(address, "POST", "/api/push", token, &body).unwrap();
    let took = started.elapsed();
    assert_eq!(status, 200, "{answer}");
    let receipt: PushReceipt = serde_json::from_str(&answer).unwrap();
    assert_eq!(receipt.applied, batch.len(), "{receipt:?}");
    took
}

/// 200 requests without a valid credential, sent at once from as many threads, the push
/// starting when they do; answers the push's time and the junk's answers by status.
fn push_beside_junk(
    address: &str,
    token: &str,
    device: DeviceId,
    batch: &[Mutation],
) -> (std::time::Duration, BTreeMap<u16, usize>) {
    const JUNK: usize = 200;
    let start = std::sync::Arc::new(std::sync::Barrier::new(JUNK + 1));
    let junk: Vec<_> = (0..JUNK)
        .map(|n| {
            let (address, start) = (address.to_owned(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                let guess = format!("{:064x}", n);
                let answer = match n % 3 {
                    0 => http(&address, "GET", "/api/pull?after=0", &guess, ""),
                    1 => {
                        let body =
                            serde_json::json!({"code": "AAAA-BBBB-CCCC", "device": DeviceId(support::random_uuid())});
                        http(&address, "POST", "/api/enroll", "", &body.to_string())
                    }
                    _ => http(&address, "GET", "/api/health", "", ""),
                };
                answer.map(|(status, _)| status).unwrap_or(0)
            })
        })
        .collect();
    start.wait();
    let took = timed_push(address, token, device, batch);
    let mut statuses = BTreeMap::new();
    for thread in junk {
        *statuses.entry(thread.join().unwrap()).or_insert(0) += 1;
    }
    (took, statuses)
}

#[test]
#[ignore = "a benchmark: cargo xtask bench-sync"]
fn an_honest_push_beside_junk_traffic() {
    const ROUNDS: usize = 9;
    const BATCH: usize = 500;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("junk.db").to_str().unwrap().to_owned();
    let dist = dist();
    let school = new_school(&db, "基准学校");
    let server = server_process::Server::start_with(&db, dist.path(), &[("BAOXUE_DEVICE_BURST", "1000000000")]);
    let device = DeviceId(support::random_uuid());
    let token = enroll(&server.address, &db, school, device);
    // The children the marks name: the school office's phone sends the roster first.
    let office = DeviceId(support::random_uuid());
    let office_token = enroll(&server.address, &db, school, office);
    let mut office_chain = DeviceChain::new(office);
    let roster: Vec<Mutation> = support::roster_changes(school)
        .into_iter()
        .map(|change| support::next(&mut office_chain, school, change, support::NOW as u64))
        .collect();
    timed_push(&server.address, &office_token, office, &roster);
    let chain = support::marks(device, school, (2 * ROUNDS * BATCH) as u64);
    let mut batches = chain.chunks(BATCH);
    let (mut alone, mut beside, mut statuses) = (Vec::new(), Vec::new(), BTreeMap::new());
    for _ in 0..ROUNDS {
        alone.push(timed_push(&server.address, &token, device, batches.next().unwrap()));
        std::thread::sleep(std::time::Duration::from_millis(200));
        let (took, answered) = push_beside_junk(&server.address, &token, device, batches.next().unwrap());
        beside.push(took);
        for (status, count) in answered {
            *statuses.entry(status).or_insert(0) += count;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let median = |times: &mut Vec<std::time::Duration>| {
        times.sort();
        format!(
            "median {:.0} ms (min {:.0}, max {:.0})",
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3
        )
    };
    println!("SQLite     push of {BATCH} marks alone, {ROUNDS} rounds: {}", median(&mut alone));
    println!(
        "SQLite     push of {BATCH} marks beside 200 requests without a valid credential: {}",
        median(&mut beside)
    );
    println!("SQLite     those requests answered, by status (0: no answer): {statuses:?}");
}
