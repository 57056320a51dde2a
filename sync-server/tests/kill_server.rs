//! The real `sync-server` binary killed with SIGKILL while phones push: on a SQLite file (killed
//! and started again), and as two processes on one PostgreSQL (one killed while both take
//! pushes). Every mutation a receipt acknowledged must be there afterwards, each once under
//! gap-free cursors, and the phones must finish sending by simply retrying. And stopped with
//! Ctrl-C, which writes what the server noted in memory (when each phone was last seen).
//! The phones speak HTTP/1.1 over a plain socket, as a phone's `fetch` does.

mod server_process;
mod support;

use baoxue_domain::attendance::MarkKind;
use baoxue_domain::ids::{DeviceId, MutationId, SchoolId};
use baoxue_domain::mutation::{DeviceChain, Mutation};
use baoxue_domain::sync::{PullAnswer, PushBatch, PushReceipt};
use server_process::{dist, enrollment_code, http, new_school, operator, Server};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Mutations each phone makes, pushed in batches of `BATCH`.
const PER_PHONE: u64 = 1_500;
const BATCH: usize = 50;

/// A phone: its chain, its outbox and what the server acknowledged.
struct Phone {
    device: DeviceId,
    token: String,
    made: Vec<Mutation>,
    outbox: BTreeMap<u64, Mutation>,
    acknowledged: BTreeSet<MutationId>,
}

impl Phone {
    fn enroll(address: &str, db: &str, school: SchoolId, marks: u64) -> Phone {
        let code = enrollment_code(db, school);
        let device = DeviceId(support::random_uuid());
        let body = serde_json::json!({"code": code, "device": device, "label": "王老师的手机"}).to_string();
        let (status, answer) = http(address, "POST", "/api/enroll", "", &body).unwrap();
        assert_eq!(status, 200, "{answer}");
        let token = serde_json::from_str::<serde_json::Value>(&answer).unwrap()["token"].as_str().unwrap().to_owned();
        let mut chain = DeviceChain::new(device);
        let made: Vec<Mutation> = (1..=marks)
            .map(|n| support::next(&mut chain, school, support::mark(n, MarkKind::Unexcused), support::NOW as u64 + n))
            .collect();
        let outbox = made.iter().map(|mutation| (mutation.seq, mutation.clone())).collect();
        Phone { device, token, made, outbox, acknowledged: BTreeSet::new() }
    }

    /// The school office's phone, which pushed the roster (`support::roster_changes`) whose
    /// children the other phones mark: the server holds a mark only of a child it holds.
    fn with_roster(address: &str, db: &str, school: SchoolId) -> Phone {
        let mut office = Phone::enroll(address, db, school, 0);
        let mut chain = DeviceChain::new(office.device);
        office.made = support::roster_changes(school)
            .into_iter()
            .map(|change| support::next(&mut chain, school, change, support::NOW as u64))
            .collect();
        office.outbox = office.made.iter().map(|mutation| (mutation.seq, mutation.clone())).collect();
        let failures = office.push_all(&Mutex::new(vec![address.to_owned()]), Instant::now() + Duration::from_secs(30));
        assert_eq!(failures, 0);
        office
    }

    /// Pushes until the outbox is empty, to whichever server `addresses` names, retrying after
    /// any failure. Answers how many pushes failed.
    fn push_all(&mut self, addresses: &Mutex<Vec<String>>, deadline: Instant) -> usize {
        let mut failures = 0;
        let mut turn = 0;
        while !self.outbox.is_empty() {
            assert!(Instant::now() < deadline, "phone {} still has {} to send", self.device, self.outbox.len());
            let address = {
                let addresses = addresses.lock().unwrap();
                turn += 1;
                addresses[turn % addresses.len()].clone()
            };
            let batch =
                PushBatch { device: self.device, mutations: self.outbox.values().take(BATCH).cloned().collect() };
            match http(&address, "POST", "/api/push", &self.token, &serde_json::to_string(&batch).unwrap()) {
                Ok((200, body)) => {
                    let receipt: PushReceipt = serde_json::from_str(&body).unwrap();
                    assert!(receipt.rejected.is_empty(), "{receipt:?}");
                    for mutation in self.made.iter().take_while(|mutation| mutation.seq <= receipt.accepted_through) {
                        self.acknowledged.insert(mutation.id);
                    }
                    self.outbox.retain(|seq, _| *seq > receipt.accepted_through);
                }
                Ok((429, _)) => std::thread::sleep(Duration::from_millis(500)),
                Ok((status, body)) if status >= 500 => {
                    eprintln!("push answered {status}: {body}");
                    failures += 1;
                }
                Ok((status, body)) => panic!("push refused with {status}: {body}"),
                Err(_) => {
                    failures += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
        failures
    }
}

/// Pulls the school's mutations through `address` and checks every phone's are there, once,
/// under gap-free cursors.
fn check_everything_is_there(address: &str, phones: &[Phone]) {
    let mut cursors = Vec::new();
    let mut stored = BTreeSet::new();
    let mut after = 0;
    loop {
        let (status, body) =
            http(address, "GET", &format!("/api/pull?after={after}&limit=1000"), &phones[0].token, "").unwrap();
        assert_eq!(status, 200, "{body}");
        let PullAnswer::Page(page) = serde_json::from_str(&body).unwrap() else { panic!("resync asked: {body}") };
        for (seq, mutation) in &page.mutations {
            cursors.push(*seq);
            assert!(stored.insert(mutation.id), "mutation {} is stored twice", mutation.id);
        }
        after = page.next;
        if !page.more {
            break;
        }
    }
    assert_eq!(cursors, (1..=cursors.len() as u64).collect::<Vec<_>>(), "the cursors have holes");
    for phone in phones {
        assert!(phone.acknowledged.is_subset(&stored), "an acknowledged mutation of {} is lost", phone.device);
        assert_eq!(phone.acknowledged.len(), phone.made.len());
        assert!(phone.made.iter().all(|mutation| stored.contains(&mutation.id)));
    }
    assert_eq!(stored.len(), phones.iter().map(|phone| phone.made.len()).sum::<usize>());
}

/// Phones push from threads while `kill_and_restart` runs on this one; then every phone
/// finishes and the server holds everything.
fn pushes_survive(
    phones: Vec<Phone>,
    addresses: Arc<Mutex<Vec<String>>>,
    kill_and_restart: impl FnOnce(&dyn Fn() -> usize),
) -> Vec<Phone> {
    let deadline = Instant::now() + Duration::from_secs(120);
    let progress = Arc::new(Mutex::new(0usize));
    let workers: Vec<_> = phones
        .into_iter()
        .map(|mut phone| {
            let addresses = addresses.clone();
            let progress = progress.clone();
            std::thread::spawn(move || {
                let failures = phone.push_all(&addresses, deadline);
                *progress.lock().unwrap() += 1;
                eprintln!("phone {} finished after {failures} failed pushes", phone.device);
                phone
            })
        })
        .collect();
    kill_and_restart(&|| *progress.lock().unwrap());
    workers.into_iter().map(|worker| worker.join().unwrap()).collect()
}

/// A server whose per-device limit is lifted: the test's watcher asks for the count every 5 ms.
fn start(db: &str, dist: &std::path::Path) -> Server {
    Server::start_with(db, dist, &[("BAOXUE_DEVICE_BURST", "1000000000")])
}

/// Waits until the server holds at least `count` mutations, so the kill lands mid-pushes.
/// `/api/health` tells the count only to an enrolled phone: `watcher` is one that never pushes.
fn wait_for_mutations(address: &str, watcher: &str, count: i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, body) = http(address, "GET", "/api/health", watcher, "").unwrap();
        let held = serde_json::from_str::<serde_json::Value>(&body).unwrap()["mutations"].as_i64().unwrap();
        if held >= count {
            return;
        }
        assert!(Instant::now() < deadline, "the server holds only {held} mutations after a minute");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn sqlite_server_killed_mid_pushes_keeps_every_acknowledged_mutation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baoxue.db").to_str().unwrap().to_owned();
    let dist = dist();
    let school = new_school(&db, "石门中学");
    let mut server = start(&db, dist.path());
    let office = Phone::with_roster(&server.address, &db, school);
    let watcher = Phone::enroll(&server.address, &db, school, 0).token;
    let phones: Vec<Phone> = (0..2).map(|_| Phone::enroll(&server.address, &db, school, PER_PHONE)).collect();
    let addresses = Arc::new(Mutex::new(vec![server.address.clone()]));
    let phones = pushes_survive(phones, addresses.clone(), |finished| {
        for kill in 1..=3 {
            wait_for_mutations(&server.address, &watcher, kill * 600);
            // Only the first kill must land mid-pushes: on a busy machine this thread may wake
            // late for a later one, after the phones are done.
            assert!(kill > 1 || finished() == 0, "the phones finished before the first kill: make more mutations");
            server.kill();
            std::thread::sleep(Duration::from_millis(100));
            server = start(&db, dist.path());
            addresses.lock().unwrap()[0] = server.address.clone();
        }
    });
    let mut phones = phones;
    phones.push(office);
    check_everything_is_there(&server.address, &phones);
}

#[test]
fn one_of_two_postgres_servers_killed_mid_pushes_keeps_every_acknowledged_mutation() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let Some(db) = runtime.block_on(support::fresh_postgres_url()) else { return };
    let dist = dist();
    let school = new_school(&db, "石门中学");
    let mut first = start(&db, dist.path());
    let second = start(&db, dist.path());
    let office = Phone::with_roster(&second.address, &db, school);
    let watcher = Phone::enroll(&second.address, &db, school, 0).token;
    let phones: Vec<Phone> = (0..3).map(|_| Phone::enroll(&first.address, &db, school, PER_PHONE)).collect();
    // Each phone alternates between the two servers, as behind a load balancer.
    let addresses = Arc::new(Mutex::new(vec![first.address.clone(), second.address.clone()]));
    let phones = pushes_survive(phones, addresses.clone(), |finished| {
        wait_for_mutations(&second.address, &watcher, 1_000);
        assert_eq!(finished(), 0, "the phones finished before the kill: make more mutations");
        first.kill();
        // The balancer notices after a moment; pushes sent to the dead one meanwhile fail.
        std::thread::sleep(Duration::from_millis(200));
        addresses.lock().unwrap().retain(|address| *address != first.address);
    });
    let mut phones = phones;
    phones.push(office);
    check_everything_is_there(&second.address, &phones);
}

#[test]
fn a_server_stopped_with_ctrl_c_writes_when_phones_were_last_seen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baoxue.db").to_str().unwrap().to_owned();
    let dist = dist();
    let school = new_school(&db, "石门中学");
    let mut server = start(&db, dist.path());
    let phone = Phone::enroll(&server.address, &db, school, 0);
    let (status, body) = http(&server.address, "GET", "/api/pull?after=0", &phone.token, "").unwrap();
    assert_eq!(status, 200, "{body}");
    // Noted in memory only: the next periodic flush is 30 seconds away.
    let listed = operator(&db, &["devices", "list"]);
    assert!(listed.contains("last seen never"), "{listed}");
    assert!(server.interrupt().success());
    let listed = operator(&db, &["devices", "list"]);
    assert!(listed.contains("last seen 0 min ago"), "{listed}");
}
