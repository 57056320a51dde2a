//! A school's phones and the real server storage (a SQLite file, or a PostgreSQL database)
//! over a network that reorders, duplicates and drops messages and delivers up to three
//! requests to the server at once (each answered in a task of its own on a two-thread runtime,
//! so their storage transactions overlap), with phones that crash between steps and clocks
//! from three weeks behind to 12 hours ahead. A crash loses what a phone holds in memory (its
//! merged `State`, the answers on their way to it) but not what it committed: its mutations,
//! outbox, device chain, pull cursor and epoch, as the app's IndexedDB transactions keep them.
//! The server stops and starts mid-run (the storage handle dropped, the same database opened
//! again) with messages in flight. The operator revokes phones: every request of a revoked
//! device is refused as the server's authentication refuses it, and the phone keeps its
//! outbox; later (at the latest before the network heals) it enrolls with a fresh code under a
//! new device id and re-issues its unsent changes on the new chain, as the app's `enroll` and
//! `reissue` do, while what the old device sent stays on the server. A hostile phone of the
//! school pushes poisoned mutations (a stamp at the end of time, a stamp naming an honest
//! phone, a base claiming every future version of an honest phone, a status dated 1800, and in
//! the restore cases a 100,000-character author): each must be refused for its reason and none
//! applied. In the restore cases the operator also backs the server up and restores the latest
//! backup (older than what phones hold) mid-run, with messages of the old epoch still in
//! flight. Phone 0 enrolls the children and opens the case as its first changes; the others
//! edit them from the start, before they could have pulled them, so the server holds those
//! edits back (`PushReceipt::held`) until phone 0's records arrive, or a phone relays them
//! after a restore. Once the network heals and every phone has synced:
//! - every phone's `State`, the server's and a reference (every honest edit, each counted once:
//!   an unsent original replaced by its re-issue is not counted) show the same, and a phone
//!   rebuilding its `State` after a crash gets the same;
//! - the server holds every honest edit (its last issue) exactly once and nothing of the
//!   hostile phone, under gap-free cursors, and every mutation a receipt acknowledged, also one
//!   a restore took back; besides them only originals that reached it though their receipt did
//!   not come back before the revoke, whose re-issue carries the same change;
//! - replaying everything (a phone's whole chain pushed again, the server's log merged twice)
//!   changes nothing, a revoked device's push is refused as revoked, and honest phones never
//!   have a mutation refused;
//! - a stamp is above every stamp its author had seen, and every recorded conflict is between
//!   two edits that had not seen each other (but for one known case, counted: see `run`).
//!
//! The phone side here is the sync client's contract, and its decisions are the app's own: the
//! phones run the domain's rules the app runs, and only store and send around them. What a
//! receipt settles is `client::settles`: remove from the outbox only what its
//! `accepted_through` covers, and after a receipt's `gap` push its own from `gap.expected`. The
//! pull loop is `marks::PullMarks`, the same state machine as the app's: write a pull page's
//! mutations with the cursor and epoch it leaves (`max(cursor, next)`; a page of another epoch
//! replaces cursor and epoch); on `ResyncRequired` pull from 0 (a resync answered to a pull
//! from 0 is the server's error); after learning a new epoch, ask the heads and push its own /
//! relay others' mutations the server lacks (`relay::lacking`) until a heads answer in its
//! epoch shows nothing lacking, keeping that duty across restarts. After a restart, observe the
//! stamps of every stored mutation before stamping a new one. On enrolling again, the new
//! chain's clock goes on from the old one's (`DeviceChain::continued_as`), and the originals it
//! re-issued are never sent back (`Store::reissued`): with either rule broken, as the app had
//! them before, the simulation fails.
//!
//! 1,000 cases on one SQLite database by default, 150 restore cases each on a SQLite file of
//! its own, and when `BAOXUE_TEST_POSTGRES_URL` is set (`cargo xtask test` sets it) 150 cases
//! on PostgreSQL and 30 restore cases each on a PostgreSQL database of its own
//! (`BAOXUE_POSTGRES_RESTORE_CASES`); about two minutes in debug on two shared cores.
//! `PROPTEST_CASES=100000 cargo test -p baoxue-sync-server --release --test sync_simulation`
//! for a long run.

mod support;

use baoxue_domain::attendance::{AttendanceMark, MarkKind};
use baoxue_domain::case::{CaseField, CaseStatus};
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::{CaseId, DeviceId, MutationId, RecordId, SchoolId, StudentId};
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::state::State;
use baoxue_domain::status::{Status, StatusEvent};
use baoxue_domain::sync::conflict::{base_for, contested, reissued_base, ContestedSlot, ContestedValue};
use baoxue_domain::sync::marks::{PullMarks, ResyncFromZero};
use baoxue_domain::sync::protocol::MAX_BATCH;
use baoxue_domain::sync::{
    client, ChainHeads, PullAnswer, PullPage, PullRequest, PushBatch, PushReceipt, RejectionReason, RelayBatch,
};
use baoxue_sync_server::credentials::hash_secret;
use baoxue_sync_server::operator;
use baoxue_sync_server::storage::{Database, Storage, StorageError};
use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{FileFailurePersistence, TestRunner};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A correct phone's clock when a case starts.
const START_MS: u64 = 1_790_000_000_000;

/// Few children, days and cases, so that phones edit the same slots often.
const STUDENTS: [StudentId; 2] = [StudentId::from_u128(31), StudentId::from_u128(32)];
const CASES: [CaseId; 1] = [CaseId::from_u128(41)];

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(offset)
}

#[derive(Clone, Debug)]
enum Edit {
    Status { student: usize, day: u64, status: Status },
    Mark { student: usize, day: u64, kind: MarkKind },
    CaseStatus { status: CaseStatus },
}

#[derive(Clone, Debug)]
enum Action {
    /// The phone's wall clock moves, then its teacher makes an edit.
    Edit { phone: usize, wall_step_ms: u64, edit: Edit },
    /// The phone sends the first `limit` mutations of its outbox.
    Push { phone: usize, limit: usize },
    /// The phone asks for a page after its cursor.
    Pull { phone: usize, limit: u32 },
    /// One message in flight arrives; with `keep_copy` a copy stays in flight (a duplicate).
    Deliver { pick: Index, keep_copy: bool },
    /// Up to three requests in flight reach the server at once, each answered by its own
    /// storage call, concurrently.
    DeliverTogether { picks: [Index; 3] },
    /// One message in flight is lost.
    Drop { pick: Index },
    /// The phone's app is killed and started again.
    Crash { phone: usize },
    /// The school's hostile phone pushes a mutation the server must refuse (`Poison`).
    Hostile { poison: Poison },
    /// The operator backs the database up while the phones sync (restore cases only).
    Backup,
    /// The operator restores the latest backup over the running server (restore cases only).
    Restore,
    /// The server stops and starts again: the storage handle is dropped and the same database
    /// opened again (`Database::open`), with messages still in flight.
    Reopen,
    /// The operator revokes the phone's device (`operator::revoke_device`): its requests are
    /// refused from then on, and it keeps its outbox.
    Revoke { phone: usize },
    /// A revoked phone enrolls again with a fresh code, under a new device id, and re-issues
    /// its unsent changes on the new chain (the app's `enroll` and `reissue`).
    Reenroll { phone: usize },
}

/// What a hostile phone (enrolled, with a chain of its own) sends: a stamp at the end of time,
/// a stamp naming an honest phone, a base claiming it saw every future version of an honest
/// phone, a 100,000-character author, a status dated 1800.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Poison {
    StampAtTheEnd,
    OthersStamp,
    SpoofedBase,
    LongAuthor,
    Year1800,
}

impl Poison {
    const ALL: [Poison; 5] =
        [Poison::StampAtTheEnd, Poison::Year1800, Poison::OthersStamp, Poison::SpoofedBase, Poison::LongAuthor];

    /// Whether the server refused it for the right reason.
    fn refused_for(self, reason: &RejectionReason, honest: DeviceId) -> bool {
        match (self, reason) {
            (Poison::StampAtTheEnd, RejectionReason::StampAhead { wall_ms, .. }) => *wall_ms == u64::MAX,
            (Poison::OthersStamp, RejectionReason::StampOfOtherDevice { found }) => *found == honest,
            (Poison::LongAuthor, RejectionReason::TextTooLong { chars, .. }) => *chars == 100_000,
            (Poison::Year1800, RejectionReason::DateOutOfRange { .. }) => true,
            (Poison::SpoofedBase, RejectionReason::BaseAhead { device }) => *device == honest,
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
struct Case {
    /// Each phone's wall clock at the start (one entry per phone).
    clocks: Vec<u64>,
    actions: Vec<Action>,
}

fn edit() -> impl Strategy<Value = Edit> {
    const STATUSES: [Status; 4] = [Status::Enrolled, Status::SuspectedDropout, Status::DroppedOut, Status::Returned];
    const MARKS: [MarkKind; 4] = [MarkKind::Present, MarkKind::Late, MarkKind::Sick, MarkKind::Unexcused];
    const CASE_STATUSES: [CaseStatus; 3] = [CaseStatus::Open, CaseStatus::Returned, CaseStatus::Closed];
    prop_oneof![
        4 => (0..STUDENTS.len(), 0..2u64, select(&STATUSES[..]))
            .prop_map(|(student, day, status)| Edit::Status { student, day, status }),
        3 => (0..STUDENTS.len(), 0..2u64, select(&MARKS[..])).prop_map(|(student, day, kind)| Edit::Mark { student, day, kind }),
        1 => select(&CASE_STATUSES[..]).prop_map(|status| Edit::CaseStatus { status }),
    ]
}

fn action(restores: bool) -> BoxedStrategy<Action> {
    let phones = prop_oneof![
        4 => (0..6usize, 0..3_000u64, edit()).prop_map(|(phone, wall_step_ms, edit)| Action::Edit { phone, wall_step_ms, edit }),
        3 => (0..6usize, 1..6usize).prop_map(|(phone, limit)| Action::Push { phone, limit }),
        3 => (0..6usize, 1..6u32).prop_map(|(phone, limit)| Action::Pull { phone, limit }),
        6 => (any::<Index>(), prop::bool::weighted(0.2)).prop_map(|(pick, keep_copy)| Action::Deliver { pick, keep_copy }),
        1 => any::<Index>().prop_map(|pick| Action::Drop { pick }),
        2 => any::<[Index; 3]>().prop_map(|picks| Action::DeliverTogether { picks }),
        1 => (0..6usize).prop_map(|phone| Action::Crash { phone }),
        // A 100,000-character author costs milliseconds to hash in a debug build: only the
        // restore cases send it.
        1 => select(if restores { &Poison::ALL[..] } else { &Poison::ALL[..4] }).prop_map(|poison| Action::Hostile { poison }),
        1 => prop_oneof![
            1 => Just(Action::Reopen),
            1 => (0..6usize).prop_map(|phone| Action::Revoke { phone }),
            2 => (0..6usize).prop_map(|phone| Action::Reenroll { phone }),
        ],
    ];
    match restores {
        false => phones.boxed(),
        true => prop_oneof![18 => phones, 1 => Just(Action::Backup), 1 => Just(Action::Restore)].boxed(),
    }
}

/// A phone's clock: right, a few seconds off, up to 12 hours ahead (the server refuses stamps
/// more than a day ahead of its clock), or a day to three weeks behind.
fn clock() -> impl Strategy<Value = u64> {
    const HOUR: u64 = 3_600_000;
    prop_oneof![
        3 => (0..5_000u64).prop_map(|jitter| START_MS + jitter),
        1 => Just(START_MS + HOUR),
        1 => (0..=12 * HOUR).prop_map(|ahead| START_MS + ahead),
        1 => Just(START_MS - 24 * HOUR),
        1 => (24 * HOUR..=21 * 24 * HOUR).prop_map(|behind| START_MS - behind),
    ]
}

fn case(restores: bool) -> impl Strategy<Value = Case> {
    (prop::collection::vec(clock(), 2..=6), prop::collection::vec(action(restores), 0..80))
        .prop_map(|(clocks, actions)| Case { clocks, actions })
}

/// A runtime of two worker threads: the server answers each request in a task of its own, so
/// the storage calls of requests delivered together truly overlap.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// Runs `cases` cases on one database (opening and migrating one per case would cost more than
/// the case; each case has a school and phones of its own). Written out rather than with
/// `proptest!` so that the caller's temporary database folder is removed when the run ends.
fn simulate(runtime: &tokio::runtime::Runtime, database: &Database, target: &str, cases: u32) {
    let config = config(cases);
    let mut runner = TestRunner::new(config);
    if let Err(error) = runner.run(&case(false), |case| runtime.block_on(run(database.clone(), target, &case, None))) {
        panic!("{error}\n{runner}");
    }
}

/// `cases` cases, a failure kept in this file's regressions (replayed first by every test here).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/sync_simulation.txt"))),
        source_file: Some(file!()),
        ..ProptestConfig::default()
    }
}

/// Cases to run: `PROPTEST_CASES` if set.
fn cases(default: u32) -> u32 {
    cases_from("PROPTEST_CASES", default)
}

/// Cases to run from the environment variable `name`, if set.
fn cases_from(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|cases| cases.parse().ok()).unwrap_or(default)
}

/// Ten bytes for a UUIDv7, unique per case, phone, counter and purpose, and ordered within a
/// case the same way in every case (the case number is in the last bytes), so a shrunk case
/// behaves as the one that failed. Bytes 0 and 2 keep their high halves clear: the version and
/// variant go there.
fn random_bytes(case: u64, phone: usize, seq: u64, purpose: u8) -> [u8; 10] {
    let mut bytes = [0u8; 10];
    bytes[1] = phone as u8;
    bytes[3] = purpose;
    bytes[4..7].copy_from_slice(&seq.to_be_bytes()[5..8]);
    bytes[7..10].copy_from_slice(&case.to_be_bytes()[5..8]);
    bytes
}

/// Which phone, and which of its enrollments, made the random bytes of an id.
fn tag(index: usize, enrollments: u32) -> usize {
    index + 8 * enrollments as usize
}

/// What a phone keeps in IndexedDB: written in one transaction per edit and per pull page.
#[derive(Clone, Debug)]
struct Durable {
    chain: DeviceChain,
    /// Every mutation the phone holds, its own and pulled ones.
    mutations: BTreeMap<MutationId, Mutation>,
    /// Its own mutations in counter order, of its current device.
    own: Vec<Mutation>,
    /// Its own mutations of the devices it had before it was revoked and enrolled again.
    former: Vec<Mutation>,
    /// The originals it re-issued on a new chain, written with their re-issues.
    reissued: BTreeSet<MutationId>,
    /// Each re-issued original's stamp with its re-issue's (the app's `reissue_stamps`).
    reissue_stamps: Vec<(Hlc, Hlc)>,
    outbox: BTreeMap<u64, Mutation>,
    /// Cursor, epoch and send-back duty, moved by the app's own pull loop
    /// (`domain::sync::marks`); the cursor and epoch are written with each page.
    marks: PullMarks,
}

struct Phone {
    durable: Durable,
    /// The credential of each device it had (the server keeps the hash), and how many times it
    /// enrolled again.
    credentials: BTreeMap<DeviceId, String>,
    enrollments: u32,
    /// The phone's hardware clock; survives a crash.
    wall_ms: u64,
    /// Rebuilt from `durable` when the app starts; an edit's `base` comes from it.
    state: State,
    /// A receipt's gap, or a heads answer, said the server lacks this phone's own mutations
    /// from this counter: the next push starts there (the app's `push_from`).
    resend_from: Option<u64>,
    /// The last page that arrived had nothing more after it.
    at_end: bool,
}

impl Phone {
    fn new(device: DeviceId, token: String, wall_ms: u64) -> Phone {
        let durable = Durable {
            chain: DeviceChain::new(device),
            mutations: BTreeMap::new(),
            own: Vec::new(),
            former: Vec::new(),
            reissued: BTreeSet::new(),
            reissue_stamps: Vec::new(),
            outbox: BTreeMap::new(),
            marks: PullMarks::default(),
        };
        Phone {
            durable,
            credentials: BTreeMap::from([(device, token)]),
            enrollments: 0,
            wall_ms,
            state: State::default(),
            resend_from: None,
            at_end: false,
        }
    }

    fn device(&self) -> DeviceId {
        self.durable.chain.device
    }

    /// The app starting again: the merged state comes from the stored mutations, and the clock
    /// observes every stored stamp, so a new edit sorts after everything the phone has seen.
    fn restart(&mut self) {
        self.state = State::from_mutations(self.durable.mutations.values());
        self.resend_from = None;
        self.at_end = false;
        let wall_ms = self.wall_ms;
        let chain = &mut self.durable.chain;
        chain.clock =
            self.durable.mutations.values().fold(chain.clock, |clock, held| clock.observe(held.stamp, wall_ms));
    }

    fn receive_receipt(&mut self, device: DeviceId, receipt: &PushReceipt, acknowledged: &mut BTreeSet<MutationId>) {
        assert!(receipt.rejected.is_empty(), "an honest phone's mutation was refused: {:?}", receipt.rejected);
        if device != self.device() {
            // A push of the device it had before it enrolled again, answered late: the server
            // holds what it settles, which the phone re-issued already (it was unsent then).
            let former = self.durable.former.iter().filter(|mutation| mutation.device == device);
            for mutation in former.take_while(|mutation| client::settles(receipt, mutation.seq)) {
                acknowledged.insert(mutation.id);
            }
            return;
        }
        // What a receipt settles is the app's rule (`domain::sync::client`).
        for mutation in self.durable.own.iter().take_while(|mutation| client::settles(receipt, mutation.seq)) {
            acknowledged.insert(mutation.id);
        }
        self.durable.outbox.retain(|seq, _| !client::settles(receipt, *seq));
        if receipt.held.is_some() {
            HELD.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(gap) = &receipt.gap {
            // The server lacks earlier mutations of this phone (it was restored): the next
            // push sends the stored ones from there.
            self.resend_from = Some(gap.expected);
        }
    }

    /// Writes a page and moves the marks as the app does (`PullMarks::on_page`: the cursor only
    /// grows in its epoch, a page of another epoch replaces cursor and epoch and makes a
    /// send-back due); answers whether the phone now asks the server's heads.
    fn receive_page(&mut self, page: &PullPage) -> bool {
        for (_, mutation) in &page.mutations {
            if let std::collections::btree_map::Entry::Vacant(slot) = self.durable.mutations.entry(mutation.id) {
                slot.insert(mutation.clone());
                self.state.apply(mutation);
                self.durable.chain.clock = self.durable.chain.clock.observe(mutation.stamp, self.wall_ms);
            }
        }
        self.at_end = !page.more;
        self.durable.marks.on_page(page).heads_due
    }

    /// `ResyncRequired` to a pull from `after`: the cursor counts in a history the server no
    /// longer has; from 0 again, with a send-back due (`PullMarks::on_resync`, which refuses a
    /// resync of a pull from 0).
    fn resync(&mut self, after: u64) -> Result<(), ResyncFromZero> {
        self.durable.marks.on_resync(after)
    }

    fn pull(&self, limit: u32) -> PullRequest {
        self.durable.marks.request(Some(limit))
    }

    /// The next push: its own stored mutations from where the server lacks them, else the
    /// first `limit` of its outbox.
    fn next_push(&mut self, limit: usize) -> Option<PushBatch> {
        let mutations: Vec<Mutation> = match self.resend_from.take() {
            Some(from) => {
                self.durable.own.iter().filter(|mutation| mutation.seq >= from).take(limit).cloned().collect()
            }
            None => self.durable.outbox.values().take(limit).cloned().collect(),
        };
        (!mutations.is_empty()).then(|| PushBatch { device: self.device(), mutations })
    }

    /// A heads answer: what the server lacks of what the phone holds goes back, its own as
    /// pushes and other phones' as relays (the app's `send_back`), but never an original it
    /// re-issued under a new device (`Store::reissued`). Whether it is
    /// acted on, and when the duty ends, is `PullMarks::on_heads`'s: only a heads answer
    /// showing nothing lacking ends it, as in the app.
    fn receive_heads(&mut self, heads: &ChainHeads) -> (Vec<PushBatch>, Vec<RelayBatch>) {
        let device = self.device();
        let reissued = &self.durable.reissued;
        let held = self.durable.mutations.values().filter(|mutation| !reissued.contains(&mutation.id));
        let Some(missing) = self.durable.marks.on_heads(heads, device, held) else {
            return (Vec::new(), Vec::new());
        };
        let own: Vec<Mutation> = match missing.own_from {
            Some(from) => self.durable.own.iter().filter(|mutation| mutation.seq >= from).cloned().collect(),
            None => Vec::new(),
        };
        let pushes = own.chunks(MAX_BATCH).map(|run| PushBatch { device: self.device(), mutations: run.to_vec() });
        let relays = missing.relay.chunks(MAX_BATCH).map(|run| RelayBatch { mutations: run.to_vec() });
        (pushes.collect(), relays.collect())
    }
}

#[derive(Clone, Debug)]
enum Message {
    /// A push request's JSON body, as the phone sent it.
    Push {
        phone: usize,
        body: String,
    },
    Pull {
        phone: usize,
        query: PullRequest,
    },
    /// A push's answer, and the device that pushed.
    Receipt {
        phone: usize,
        device: DeviceId,
        body: String,
    },
    /// A pull's answer, and the cursor it answered.
    Page {
        phone: usize,
        after: u64,
        body: String,
    },
    /// `GET /api/heads`, and its answer (`ChainHeads` as JSON).
    Heads {
        phone: usize,
    },
    HeadsAnswer {
        phone: usize,
        body: String,
    },
    /// `POST /api/relay`, and its answer (the phone only logs it).
    Relay {
        phone: usize,
        body: String,
    },
    RelayReceipt {
        phone: usize,
    },
    /// `403 device_revoked`, the answer to any request of a revoked device.
    Revoked {
        phone: usize,
    },
}

impl Message {
    fn to_phone(&self) -> Option<usize> {
        match self {
            Message::Receipt { phone, .. }
            | Message::Page { phone, .. }
            | Message::HeadsAnswer { phone, .. }
            | Message::RelayReceipt { phone }
            | Message::Revoked { phone } => Some(*phone),
            _ => None,
        }
    }
}

/// What the operator did to the server in a restore case.
#[derive(Default)]
struct Operator {
    /// Where backups are written; `None`: this case never backs up or restores.
    folder: Option<PathBuf>,
    latest: Option<PathBuf>,
    backups: u32,
    restores: u32,
}

struct World {
    /// The server's storage, and what `Database::open` opens it from again.
    database: Database,
    target: String,
    case: u64,
    school: SchoolId,
    phones: Vec<Phone>,
    network: Vec<Message>,
    /// What each mutation's author held when making it.
    seen: BTreeMap<MutationId, BTreeSet<MutationId>>,
    acknowledged: BTreeSet<MutationId>,
    server_now: i64,
    operator: Operator,
    /// The hostile phone's chain and what it sent, each with its poison.
    hostile: DeviceChain,
    poisoned: Vec<(Mutation, Poison)>,
    /// Devices the operator revoked.
    revoked: BTreeSet<DeviceId>,
    /// An unsent mutation of a revoked device, and its re-issue on the phone's new chain.
    reissued: BTreeMap<MutationId, MutationId>,
    reopens: u32,
}

impl World {
    async fn new(database: Database, target: &str, case: u64, clocks: &[u64], backups: Option<&Path>) -> World {
        let school = support::bare_school(&database, &format!("模拟学校{case}")).await;
        let mut phones = Vec::new();
        for (index, wall_ms) in clocks.iter().enumerate() {
            // Devices of one case differ in their last bits only, so stamps tie-break the same
            // way in every case.
            let device = DeviceId::from_u128((u128::from(case) << 16) | index as u128);
            let code = format!("code-{case}-{index}");
            database
                .add_enrollment_code(school, &hash_secret(&code), support::NOW, support::NOW + 3_600_000)
                .await
                .unwrap();
            let token = format!("token-{case}-{index}");
            database
                .enroll(&hash_secret(&code), device, "手机", &hash_secret(&token), support::NOW)
                .await
                .unwrap()
                .unwrap();
            phones.push(Phone::new(device, token, *wall_ms));
        }
        let hostile = DeviceId::from_u128((u128::from(case) << 16) | 0xff);
        let code = format!("code-{case}-hostile");
        database
            .add_enrollment_code(school, &hash_secret(&code), support::NOW, support::NOW + 3_600_000)
            .await
            .unwrap();
        let token = hash_secret(&format!("token-{case}-hostile"));
        database.enroll(&hash_secret(&code), hostile, "手机", &token, support::NOW).await.unwrap().unwrap();
        let mut world = World {
            database,
            target: target.to_owned(),
            case,
            school,
            phones,
            network: Vec::new(),
            seen: BTreeMap::new(),
            acknowledged: BTreeSet::new(),
            server_now: support::NOW,
            operator: Operator { folder: backups.map(Path::to_owned), ..Operator::default() },
            hostile: DeviceChain::new(hostile),
            poisoned: Vec::new(),
            revoked: BTreeSet::new(),
            reissued: BTreeMap::new(),
            reopens: 0,
        };
        // The head teacher's phone enrolls the two children and opens the case: the first
        // changes of phone 0, unsent. The others' edits name them before they could have pulled
        // them, so the server holds those back until phone 0 (or a phone relaying its changes
        // after a restore) has sent the records.
        let roster = [
            support::roster_class(school),
            support::roster_student(school, 31),
            support::roster_student(school, 32),
            support::open_case(CASES[0], 31),
        ];
        for change in roster {
            world.make(0, change);
        }
        world
    }

    fn edit(&mut self, index: usize, wall_step_ms: u64, edit: &Edit) {
        let case = self.case;
        let phone = &mut self.phones[index];
        phone.wall_ms += wall_step_ms;
        let seq = phone.durable.chain.last_seq + 1;
        let record = RecordId::new_v7(phone.wall_ms, random_bytes(case, tag(index, phone.enrollments), seq, 1));
        let change = match edit.clone() {
            Edit::Status { student, day: offset, status } => Change::RecordStatus(StatusEvent {
                id: record,
                student: STUDENTS[student],
                date: day(offset),
                status,
                evidence: String::new(),
            }),
            Edit::Mark { student, day: offset, kind } => Change::Mark(AttendanceMark {
                id: record,
                student: STUDENTS[student],
                day: day(offset),
                half: None,
                kind,
            }),
            Edit::CaseStatus { status } => Change::EditCase { case: CASES[0], field: CaseField::Status(status) },
        };
        self.make(index, change);
    }

    /// Phone `index` makes `change` at its clock's time, as the app's write path does.
    fn make(&mut self, index: usize, change: Change) {
        let (case, school) = (self.case, self.school);
        let phone = &mut self.phones[index];
        let seq = phone.durable.chain.last_seq + 1;
        // As the app does: the edit names what the phone held of the slot.
        let base = base_for(&phone.state, &change).unwrap_or_default();
        let random = random_bytes(case, tag(index, phone.enrollments), seq, 0);
        let mutation = phone.durable.chain.next_based("老师", school, change, base, phone.wall_ms, random);
        self.seen.insert(mutation.id, phone.durable.mutations.keys().copied().collect());
        phone.durable.mutations.insert(mutation.id, mutation.clone());
        phone.durable.own.push(mutation.clone());
        phone.durable.outbox.insert(mutation.seq, mutation.clone());
        phone.state.apply(&mutation);
    }

    /// The operator gives a revoked phone a fresh code and the phone enrolls with it under a new
    /// device id, then re-issues its unsent changes as the app does (`SyncCtx::enroll`,
    /// `Store::reissue`): each outbox entry, in the order first made, becomes a new mutation of
    /// the new device's chain (a fresh `DeviceChain`) with the same change and base; the
    /// originals stay in the phone's history and leave its outbox, and what the old device sent
    /// stays on the server.
    async fn reenroll(&mut self, index: usize) {
        let (case, school) = (self.case, self.school);
        self.server_now += 1;
        let now = self.server_now;
        let enrollments = self.phones[index].enrollments + 1;
        let device = DeviceId::from_u128((u128::from(case) << 16) | (u128::from(enrollments) << 8) | index as u128);
        let code = format!("code-{case}-{index}-{enrollments}");
        let token = format!("token-{case}-{index}-{enrollments}");
        self.database.add_enrollment_code(school, &hash_secret(&code), now, now + 3_600_000).await.unwrap();
        let enrolled = self.database.enroll(&hash_secret(&code), device, "手机", &hash_secret(&token), now).await;
        assert_eq!(enrolled.unwrap(), Ok(school));
        let phone = &mut self.phones[index];
        phone.enrollments = enrollments;
        phone.credentials.insert(device, token);
        phone.resend_from = None;
        let durable = &mut phone.durable;
        // The new chain's clock goes on from the old one's, which had observed every stamp the
        // phone holds, so a re-issue sorts above everything its teacher had seen (the app's
        // `ChainWrite::begin`).
        durable.chain = durable.chain.continued_as(device);
        durable.former.append(&mut durable.own);
        let mut originals: Vec<Mutation> = std::mem::take(&mut durable.outbox).into_values().collect();
        originals.sort_by_key(|original| (original.stamp, original.seq));
        for original in originals {
            let seq = durable.chain.last_seq + 1;
            let random = random_bytes(case, tag(index, enrollments), seq, 0);
            let (change, wall_ms) = (original.change.clone(), phone.wall_ms);
            // As the app does: the base also covers the re-issues of what it covered.
            let mutation = match original.base.clone() {
                Some(base) => {
                    let base = reissued_base(&base, &durable.reissue_stamps);
                    durable.chain.next_based(&original.author, school, change, base, wall_ms, random)
                }
                None => durable.chain.next(&original.author, school, change, wall_ms, random),
            };
            durable.reissue_stamps.push((original.stamp, mutation.stamp));
            // The teacher's edit is the original's, made knowing what the original's author held
            // (its base says so): the re-issue has seen that, this phone's re-issues of that
            // (made before it, in stamp order), and the original it replaces.
            let mut seen = self.seen[&original.id].clone();
            seen.insert(original.id);
            let mut replaced: Vec<MutationId> = seen.iter().copied().collect();
            while let Some(id) = replaced.pop() {
                if let Some(&again) = self.reissued.get(&id).filter(|_| durable.reissued.contains(&id)) {
                    seen.insert(again);
                    replaced.push(again);
                }
            }
            self.seen.insert(mutation.id, seen);
            self.reissued.insert(original.id, mutation.id);
            durable.reissued.insert(original.id);
            durable.mutations.insert(mutation.id, mutation.clone());
            durable.own.push(mutation.clone());
            durable.outbox.insert(mutation.seq, mutation.clone());
            phone.state.apply(&mutation);
        }
    }

    /// The server handling a request, with the real storage, or a phone handling an answer;
    /// what either sends next goes back on the network.
    async fn serve(&mut self, message: Message) -> Vec<Message> {
        self.server_now += 1;
        let now = self.server_now;
        match message {
            Message::Push { .. } | Message::Pull { .. } | Message::Heads { .. } | Message::Relay { .. } => {
                self.request(message, now).await.unwrap()
            }
            Message::Receipt { phone, device, body } => {
                let receipt: PushReceipt = serde_json::from_str(&body).unwrap();
                self.phones[phone].receive_receipt(device, &receipt, &mut self.acknowledged);
                Vec::new()
            }
            Message::Page { phone, after, body } => match serde_json::from_str(&body).unwrap() {
                PullAnswer::Page(page) => match self.phones[phone].receive_page(&page) {
                    true => vec![Message::Heads { phone }],
                    false => Vec::new(),
                },
                PullAnswer::ResyncRequired { .. } => {
                    assert!(self.operator.restores > 0, "a cursor the server gave was refused: {body}");
                    // As the app does: at once from 0 again.
                    self.phones[phone].resync(after).unwrap_or_else(|error| panic!("{error}: {body}"));
                    vec![Message::Pull { phone, query: self.phones[phone].pull(5) }]
                }
            },
            Message::HeadsAnswer { phone, body } => {
                let (pushes, relays) = self.phones[phone].receive_heads(&serde_json::from_str(&body).unwrap());
                let pushes =
                    pushes.iter().map(|batch| Message::Push { phone, body: serde_json::to_string(batch).unwrap() });
                let relays =
                    relays.iter().map(|batch| Message::Relay { phone, body: serde_json::to_string(batch).unwrap() });
                pushes.chain(relays).collect()
            }
            // The app shows that the phone was revoked and keeps its outbox, until the teacher
            // enters a new code.
            Message::RelayReceipt { .. } | Message::Revoked { .. } => Vec::new(),
        }
    }

    /// The server's answer to a request, as a task of its own on the runtime: several can run
    /// at once, their storage transactions overlapping.
    fn request(&self, message: Message, now: i64) -> tokio::task::JoinHandle<Vec<Message>> {
        let phone = match &message {
            Message::Push { phone, .. }
            | Message::Pull { phone, .. }
            | Message::Heads { phone }
            | Message::Relay { phone, .. } => *phone,
            _ => unreachable!("only requests reach the server"),
        };
        let phone = &self.phones[phone];
        // A push names its device: one sent before the phone enrolled again carries the old
        // device's credential. Other requests go with the current one.
        let device = match &message {
            Message::Push { body, .. } => serde_json::from_str::<PushBatch>(body).unwrap().device,
            _ => phone.device(),
        };
        // As the server's authentication does for every request: a revoked device's credential
        // is refused. Asked only once the operator revoked a device, to keep calls few.
        let token = (!self.revoked.is_empty()).then(|| phone.credentials[&device].clone());
        let call = answer(self.database.clone(), self.school, device, token, now, message);
        tokio::spawn(call)
    }

    /// A message goes through the network; what it causes is put in flight.
    async fn deliver(&mut self, message: Message) {
        let next = self.serve(message).await;
        self.network.extend(next);
    }

    /// Everything in flight arrives, in order, and so does all it causes.
    async fn drain(&mut self) {
        for step in 0.. {
            assert!(step < 100_000, "messages keep causing messages");
            if self.network.is_empty() {
                break;
            }
            let message = self.network.remove(0);
            self.deliver(message).await;
        }
    }

    async fn act(&mut self, action: &Action) {
        let phones = self.phones.len();
        match action {
            Action::Edit { phone, wall_step_ms, edit } => self.edit(phone % phones, *wall_step_ms, edit),
            Action::Push { phone, limit } => {
                let phone = phone % phones;
                if let Some(batch) = self.phones[phone].next_push(*limit) {
                    self.network.push(Message::Push { phone, body: serde_json::to_string(&batch).unwrap() });
                }
            }
            Action::Pull { phone, limit } => {
                let phone = phone % phones;
                let query = self.phones[phone].pull(*limit);
                self.network.push(Message::Pull { phone, query });
            }
            Action::Deliver { pick, keep_copy } => {
                if self.network.is_empty() {
                    return;
                }
                let index = pick.index(self.network.len());
                let message = if *keep_copy { self.network[index].clone() } else { self.network.remove(index) };
                self.deliver(message).await;
            }
            Action::DeliverTogether { picks } => {
                let mut taken = Vec::new();
                for pick in picks {
                    let requests: Vec<usize> =
                        (0..self.network.len()).filter(|&index| self.network[index].to_phone().is_none()).collect();
                    if !requests.is_empty() {
                        taken.push(self.network.remove(requests[pick.index(requests.len())]));
                    }
                }
                let base = self.server_now;
                self.server_now += 3;
                let mut calls = Vec::new();
                for (n, message) in taken.into_iter().enumerate() {
                    calls.push(self.request(message, base + 1 + n as i64));
                }
                // Every call runs before any answer is read; answers go on the network in the
                // order the requests were taken, whichever finished first.
                for call in calls {
                    let next = call.await.unwrap();
                    self.network.extend(next);
                }
            }
            Action::Drop { pick } => {
                if !self.network.is_empty() {
                    let index = pick.index(self.network.len());
                    self.network.remove(index);
                }
            }
            Action::Crash { phone } => {
                let phone = phone % phones;
                // Its connections die with it: answers on their way to it are lost.
                self.network.retain(|message| message.to_phone() != Some(phone));
                self.phones[phone].restart();
            }
            Action::Hostile { poison } => self.poison(*poison).await,
            Action::Backup => {
                let operator = &mut self.operator;
                let Some(folder) = &operator.folder else { return };
                let path = folder.join(format!("backup-{}.db", operator.backups));
                operator.backups += 1;
                self.database.backup(&path, self.server_now).await.unwrap();
                operator.latest = Some(path);
            }
            Action::Restore => {
                let Some(latest) = &self.operator.latest else { return };
                self.database.restore(latest, true).await.unwrap();
                self.operator.restores += 1;
            }
            Action::Reopen => {
                // The old handle's connections close as it drops; the file or database stays.
                let reopened = Database::open(&self.target).await.unwrap();
                drop(std::mem::replace(&mut self.database, reopened));
                self.reopens += 1;
            }
            Action::Revoke { phone } => {
                let device = self.phones[phone % phones].device();
                if self.revoked.insert(device) {
                    self.server_now += 1;
                    operator::revoke_device(&self.database, device, self.server_now).await.unwrap();
                }
            }
            Action::Reenroll { phone } => {
                let phone = phone % phones;
                if self.revoked.contains(&self.phones[phone].device()) {
                    self.reenroll(phone).await;
                }
            }
        }
    }

    /// The hostile phone makes a poisoned mutation, chained as the app chains, and pushes it
    /// with the real storage; every one it sent must be refused for its poison and nothing
    /// applied. After a restore the server may lack its earlier counters: it sends from there.
    async fn poison(&mut self, poison: Poison) {
        // The honest phone it imitates is phone 0's first device, also once revoked: a poison
        // sent again after a restore must still name the device it named when made.
        let honest = *self.phones[0].credentials.keys().next().expect("a phone has a device");
        let school = self.school;
        let device = self.hostile.device;
        let now = self.server_now as u64;
        let date = match poison {
            Poison::Year1800 => NaiveDate::from_ymd_opt(1800, 1, 1).unwrap(),
            _ => day(0),
        };
        let seq = self.hostile.last_seq + 1;
        let change = Change::RecordStatus(StatusEvent {
            id: RecordId::new_v7(now, random_bytes(self.case, 0xff, seq, 1)),
            student: STUDENTS[0],
            date,
            status: Status::DroppedOut,
            evidence: String::new(),
        });
        // A hostile phone sets its clock as it likes.
        self.hostile.clock = Hlc::zero(if poison == Poison::OthersStamp { honest } else { device });
        let wall_ms = if poison == Poison::StampAtTheEnd { u64::MAX } else { now };
        let author = if poison == Poison::LongAuthor { "毒".repeat(100_000) } else { "老师".to_owned() };
        let random = random_bytes(self.case, 0xff, seq, 0);
        let mut mutation = self.hostile.next_based(&author, school, change, Vec::new(), wall_ms, random);
        if poison == Poison::SpoofedBase {
            // It claims it saw every version an honest phone will ever make, to override them
            // all without a conflict; its chain goes on from what it sent.
            mutation.base = Some(vec![Hlc { wall_ms: u64::MAX, counter: u32::MAX, device: honest }]);
            self.hostile.last_hash = mutation.hash();
        }
        self.poisoned.push((mutation.clone(), poison));
        let mut batch = vec![mutation.clone()];
        for _ in 0..2 {
            self.server_now += 1;
            let receipt = self.database.apply_batch(device, school, &batch, self.server_now).await.unwrap();
            assert_eq!(receipt.applied, 0, "a poisoned mutation was applied: {receipt:?}");
            for rejection in &receipt.rejected {
                let (_, poison) = self.poisoned.iter().find(|(sent, _)| sent.id == rejection.id).unwrap();
                assert!(poison.refused_for(&rejection.reason, honest), "{poison:?} refused as {:?}", rejection.reason);
            }
            match receipt.gap {
                Some(gap) => {
                    let from = self.poisoned.iter().filter(|(sent, _)| sent.seq >= gap.expected);
                    batch = from.map(|(sent, _)| sent.clone()).collect();
                }
                None => {
                    let refused = receipt.rejected.iter().any(|rejection| rejection.id == mutation.id);
                    assert!(refused, "a poisoned mutation was not refused: {receipt:?}");
                    return;
                }
            }
        }
        panic!("the hostile phone's chain did not continue after sending from the gap");
    }

    /// The network heals: what is in flight arrives (stale answers included), then every phone
    /// syncs as the app does (pushes its outbox, pulls to the end, sends back what the server
    /// lacks) until every phone holds what the server holds with nothing left to send.
    async fn settle(&mut self) {
        self.drain().await;
        // The operator gives every phone still revoked a fresh code.
        for phone in 0..self.phones.len() {
            if self.revoked.contains(&self.phones[phone].device()) {
                self.reenroll(phone).await;
            }
        }
        let total: usize = self.phones.iter().map(|phone| phone.durable.own.len() + phone.durable.former.len()).sum();
        for round in 0.. {
            assert!(round < 12, "the phones still have something to send after {round} rounds of syncs");
            for phone in 0..self.phones.len() {
                for _ in 0..=total + 2 {
                    let Some(batch) = self.phones[phone].next_push(5) else { break };
                    self.network.push(Message::Push { phone, body: serde_json::to_string(&batch).unwrap() });
                    self.drain().await;
                }
            }
            // Pulling to the end brings a resync, the heads and the send-back along.
            for phone in 0..self.phones.len() {
                self.phones[phone].at_end = false;
                for _ in 0..=2 * total + 2 {
                    let query = self.phones[phone].pull(5);
                    self.network.push(Message::Pull { phone, query });
                    self.drain().await;
                    if self.phones[phone].at_end {
                        break;
                    }
                }
                assert!(self.phones[phone].at_end, "phone {phone} never pulled to the end");
            }
            let on_server = self.server_ids().await;
            let quiet = self.phones.iter().all(|phone| {
                phone.durable.outbox.is_empty()
                    && !phone.durable.marks.send_back
                    && phone.resend_from.is_none()
                    && self.holds_what_the_server_holds(phone, &on_server)
            });
            if quiet {
                break;
            }
        }
    }

    /// The mutations the server holds for the school.
    async fn server_ids(&self) -> BTreeSet<MutationId> {
        let request = PullRequest { after: 0, limit: Some(1_000), epoch: None };
        let PullAnswer::Page(page) = self.database.pull(self.school, &request, self.server_now).await.unwrap() else {
            panic!("a pull from 0 is always a page")
        };
        page.mutations.iter().map(|(_, mutation)| mutation.id).collect()
    }

    /// Whether the phone holds every mutation the server holds, and besides them at most
    /// originals it re-issued (never sent, so only it holds them).
    fn holds_what_the_server_holds(&self, phone: &Phone, on_server: &BTreeSet<MutationId>) -> bool {
        on_server.iter().all(|id| phone.durable.mutations.contains_key(id))
            && phone.durable.mutations.keys().all(|id| on_server.contains(id) || self.reissued.contains_key(id))
    }

    /// Everything the server holds for the school, in server order, checking the cursors.
    async fn server_log(&self) -> Vec<Mutation> {
        let PullAnswer::Page(page) = self
            .database
            .pull(self.school, &PullRequest { after: 0, limit: Some(1_000), epoch: None }, self.server_now)
            .await
            .unwrap()
        else {
            panic!("a pull from 0 is always a page")
        };
        assert!(!page.more, "the simulation makes fewer than 1,000 mutations");
        let cursors: Vec<u64> = page.mutations.iter().map(|(seq, _)| *seq).collect();
        assert_eq!(cursors, (1..=cursors.len() as u64).collect::<Vec<_>>(), "cursors have holes or repeats");
        page.mutations.into_iter().map(|(_, mutation)| mutation).collect()
    }

    /// Whether neither mutation's author had seen the other when making it.
    fn concurrent(&self, first: MutationId, second: MutationId) -> bool {
        !self.seen[&first].contains(&second) && !self.seen[&second].contains(&first)
    }
}

/// The server answering a request of the phone `device`, with the real storage; with `token`,
/// first checking its credential as the server's authentication does.
async fn answer(
    database: Database,
    school: SchoolId,
    device: DeviceId,
    token: Option<String>,
    now: i64,
    message: Message,
) -> Vec<Message> {
    let phone = match &message {
        Message::Push { phone, .. }
        | Message::Pull { phone, .. }
        | Message::Heads { phone }
        | Message::Relay { phone, .. } => *phone,
        _ => unreachable!("only requests reach the server"),
    };
    if let Some(token) = token {
        let access = database.authenticate(&hash_secret(&token)).await.unwrap().expect("a phone's credential is known");
        assert_eq!(access.device, device);
        if access.revoked_ms.is_some() {
            return vec![Message::Revoked { phone }];
        }
    }
    match message {
        Message::Push { phone, body } => {
            let batch: PushBatch = serde_json::from_str(&body).unwrap();
            assert_eq!(batch.device, device);
            match database.apply_batch(batch.device, school, &batch.mutations, now).await {
                Ok(receipt) => vec![Message::Receipt { phone, device, body: serde_json::to_string(&receipt).unwrap() }],
                // Revoked after its credential was checked: refused all the same.
                Err(StorageError::DeviceRevoked(revoked)) if revoked == device => vec![Message::Revoked { phone }],
                Err(error) => panic!("push of {device}: {error}"),
            }
        }
        Message::Pull { phone, query } => {
            let answer = database.pull(school, &query, now).await.unwrap();
            vec![Message::Page { phone, after: query.after, body: serde_json::to_string(&answer).unwrap() }]
        }
        Message::Heads { phone } => {
            let heads =
                ChainHeads { epoch: database.epoch().await.unwrap(), heads: database.heads(school).await.unwrap() };
            vec![Message::HeadsAnswer { phone, body: serde_json::to_string(&heads).unwrap() }]
        }
        Message::Relay { phone, body } => {
            let batch: RelayBatch = serde_json::from_str(&body).unwrap();
            database.relay(device, school, &batch.mutations, now).await.unwrap();
            vec![Message::RelayReceipt { phone }]
        }
        _ => unreachable!("only requests reach the server"),
    }
}

/// What a state shows: its `Debug` form without the two fields that list what was merged into
/// it rather than what shows (both private): the mutations applied, and the newest stamp of
/// each device that set a case field (an original held beside its re-issue adds its device).
fn visible(state: &State) -> String {
    let text = format!("{state:?}");
    let cut = |text: &str, from: &str, to: &str| {
        let (start, end) = (text.find(from).unwrap(), text.find(to).unwrap());
        format!("{}{}", &text[..start], &text[end..])
    };
    cut(&cut(&text, "applied:", "counties:"), "case_versions:", "terms:")
}

/// Restores done over a whole run, to show the restore cases do restore; likewise reopens,
/// re-issued mutations, and originals the server holds beside their re-issue.
static RESTORES: AtomicU64 = AtomicU64::new(0);
static REOPENS: AtomicU64 = AtomicU64::new(0);
static REISSUES: AtomicU64 = AtomicU64::new(0);
static TWICE: AtomicU64 = AtomicU64::new(0);
/// Conflicts between such an original and an edit made knowing its re-issue.
static SPURIOUS: AtomicU64 = AtomicU64::new(0);

/// Pushes the server answered with a change held for a record it lacked (a phone's mark of a
/// child phone 0 had not sent yet, or one a restore took back), over a whole run.
static HELD: AtomicU64 = AtomicU64::new(0);

/// One case; with `backups` (a folder) the operator may back the database up and restore it.
async fn run(database: Database, target: &str, case: &Case, backups: Option<&Path>) -> Result<(), TestCaseError> {
    static CASES_RUN: AtomicU64 = AtomicU64::new(0);
    let case_number = CASES_RUN.fetch_add(1, Ordering::SeqCst);
    let mut world = World::new(database, target, case_number, &case.clocks, backups).await;
    for action in &case.actions {
        world.act(action).await;
    }
    world.settle().await;
    RESTORES.fetch_add(u64::from(world.operator.restores), Ordering::Relaxed);
    REOPENS.fetch_add(u64::from(world.reopens), Ordering::Relaxed);
    REISSUES.fetch_add(world.reissued.len() as u64, Ordering::Relaxed);
    let database = world.database.clone();

    // Every honest mutation made, on every chain a phone had; the live ones are the teacher's
    // edits, each once: an unsent original replaced by its re-issue is not one.
    let made: Vec<Mutation> =
        world.phones.iter().flat_map(|phone| phone.durable.former.iter().chain(&phone.durable.own).cloned()).collect();
    let by_id: BTreeMap<MutationId, &Mutation> = made.iter().map(|mutation| (mutation.id, mutation)).collect();
    let live: Vec<Mutation> =
        made.iter().filter(|mutation| !world.reissued.contains_key(&mutation.id)).cloned().collect();
    let reference = State::from_mutations(&live);

    // The server holds every live mutation, once, and everything it acknowledged; besides them
    // only originals that reached it before their phone re-issued them (applied, but the
    // receipt did not come back before the revoke; or sent back after a restore by a phone
    // that holds its former device's chain).
    let log = world.server_log().await;
    let stored: BTreeSet<MutationId> = log.iter().map(|mutation| mutation.id).collect();
    prop_assert_eq!(stored.len(), log.len(), "a mutation is stored twice");
    prop_assert!(live.iter().all(|mutation| stored.contains(&mutation.id)), "a live mutation is missing");
    prop_assert!(stored.iter().all(|id| by_id.contains_key(id)), "the server holds a mutation no phone made");
    let twice = stored.iter().filter(|id| world.reissued.contains_key(id)).count();
    TWICE.fetch_add(twice as u64, Ordering::Relaxed);
    // An acknowledged original that its phone re-issued (the receipt came back after the
    // re-issue) may be gone after a restore: the phone never sends it back, since its re-issue,
    // the same change, is there; the edit is not lost.
    let kept = |acknowledged: &MutationId| {
        let mut id = *acknowledged;
        loop {
            if stored.contains(&id) {
                return true;
            }
            match world.reissued.get(&id) {
                Some(again) => id = *again,
                None => return false,
            }
        }
    };
    prop_assert!(world.acknowledged.iter().all(kept), "an acknowledged mutation is missing");
    // Nothing of the hostile phone is there, and none of its effects (the states below are
    // compared with a reference made without it).
    prop_assert!(world.poisoned.iter().all(|(sent, _)| !stored.contains(&sent.id)));
    prop_assert!(world
        .poisoned
        .iter()
        .all(|(sent, _)| world.phones.iter().all(|phone| !phone.durable.mutations.contains_key(&sent.id))));

    // Phones, server and reference agree, and a restarted phone rebuilds the same state. What
    // shows is compared (`visible`): a state also lists the mutations merged into it, and an
    // original beside its re-issue (the same change) must change nothing else.
    let server = State::from_mutations(&log);
    prop_assert_eq!(visible(&server), visible(&reference));
    for phone in &world.phones {
        prop_assert!(phone.durable.outbox.is_empty());
        prop_assert!(!phone.durable.marks.send_back, "phone {} still has something to send back", phone.device());
        prop_assert!(world.holds_what_the_server_holds(phone, &stored), "phone {} lacks or adds", phone.device());
        let device = phone.device();
        prop_assert_eq!(visible(&phone.state), visible(&reference), "phone {} disagrees with the reference", device);
        prop_assert_eq!(&State::from_mutations(phone.durable.mutations.values()), &phone.state);
    }

    // Replays change nothing.
    prop_assert_eq!(&State::from_mutations(log.iter().chain(&log)), &server);
    for phone in &world.phones {
        for batch in phone.durable.own.chunks(MAX_BATCH) {
            let receipt = database.apply_batch(phone.device(), world.school, batch, world.server_now).await.unwrap();
            prop_assert_eq!((receipt.applied, receipt.skipped_duplicates), (0, batch.len()));
            prop_assert!(receipt.rejected.is_empty() && receipt.gap.is_none());
        }
        prop_assert!(database.rejections(phone.device()).await.unwrap().is_empty());
        // A revoked device's chain stays refused, and had nothing refused before.
        for former in &phone.durable.former {
            let pushed =
                database.apply_batch(former.device, world.school, std::slice::from_ref(former), world.server_now);
            let refused = matches!(pushed.await, Err(StorageError::DeviceRevoked(device)) if device == former.device);
            prop_assert!(refused, "a push of revoked device {} was not refused as revoked", former.device);
            prop_assert!(database.rejections(former.device).await.unwrap().is_empty());
        }
    }
    prop_assert_eq!(&world.server_log().await, &log);

    // A stamp is above every stamp its author had seen: the conflict rule rests on that.
    for mutation in &made {
        for earlier in &world.seen[&mutation.id] {
            prop_assert!(
                by_id[earlier].stamp < mutation.stamp,
                "{} was stamped below what its phone had seen",
                mutation.id
            );
        }
    }

    // Every conflict recorded is between two edits of the slot that had not seen each other,
    // also after a restore, when an edit can reach the server before one its author had seen
    // and replaced (the replaced one comes back later by send-back): the held version's `base`
    // says it was seen (`ConflictWatch`, `seen_by`).
    let conflicts = database.conflicts(world.school).await.unwrap();
    for conflict in &conflicts {
        let (showing, other) = (conflict.showing.mutation, conflict.other.mutation);
        // Known and counted, not refused here (see the report of the sim-teeth branch): an
        // original that reached the server though its receipt never came back, beside its
        // re-issue, conflicts with a later edit whose author had seen the re-issue, since that
        // edit's base names the re-issue's stamp and not the original's.
        let beside_its_reissue = |original: MutationId, later: MutationId| {
            world.reissued.get(&original).is_some_and(|again| world.seen[&later].contains(again))
        };
        if beside_its_reissue(showing, other) || beside_its_reissue(other, showing) {
            SPURIOUS.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        prop_assert!(
            world.concurrent(showing, other),
            "conflict between {showing} and {other}, one had seen the other: {:?} / {:?}; server order: {:?}",
            by_id[&showing],
            by_id[&other],
            log.iter().map(|mutation| mutation.id).collect::<Vec<_>>()
        );
        prop_assert_ne!(conflict.showing.device, conflict.other.device);
        prop_assert_ne!(&conflict.showing.value, &conflict.other.value);
    }

    // Every concurrent edit of a contested slot (a child's status on a day, a mark, a case's
    // status): if the value that shows is not the one a phone set, and nobody who saw that
    // phone's edit replaced it, that edit must be in a conflict record, or it is lost to
    // last-writer-wins unseen.
    let in_a_conflict: BTreeSet<MutationId> =
        conflicts.iter().flat_map(|conflict| [conflict.showing.mutation, conflict.other.mutation]).collect();
    let mut slots: BTreeMap<ContestedSlot, Vec<(&Mutation, ContestedValue)>> = BTreeMap::new();
    for mutation in &live {
        for (slot, value) in contested(&mutation.change) {
            slots.entry(slot).or_default().push((mutation, value));
        }
    }
    for edits in slots.values() {
        let (showing, shown) = edits.iter().max_by_key(|(mutation, _)| mutation.stamp).unwrap();
        for (edit, status) in edits {
            let replaced_knowingly = edits.iter().any(|(later, _)| world.seen[&later.id].contains(&edit.id));
            let lost = status != shown && !replaced_knowingly;
            prop_assert!(
                !lost || in_a_conflict.contains(&edit.id),
                "{status:?} set by {} (stamp {:?}) lost to {shown:?} set by {} (stamp {:?}) without either \
                 phone having seen the other's edit, and no conflict holds it. Conflicts: {conflicts:?}",
                edit.device,
                edit.stamp,
                showing.device,
                showing.stamp,
            );
        }
    }
    Ok(())
}

#[test]
fn phones_over_a_bad_network_converge_with_the_server() {
    let (runtime, dir) = (runtime(), tempfile::tempdir().unwrap());
    let target = dir.path().join("simulation.db").to_str().unwrap().to_owned();
    let database = runtime.block_on(Database::open(&target)).unwrap();
    simulate(&runtime, &database, &target, cases(1_000));
    report();
}

/// What the faults did over a run, to show they happen.
fn report() {
    let count = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    eprintln!(
        "so far in this process: restores: {}, reopens: {}, pushes held for a missing record: {}, re-issued \
         mutations: {} ({} of their originals on the server too, {} conflicts between such an original and an edit \
         made knowing its re-issue)",
        count(&RESTORES),
        count(&REOPENS),
        count(&HELD),
        count(&REISSUES),
        count(&TWICE),
        count(&SPURIOUS)
    );
}

/// The operator backs the server up and restores older backups while the phones sync: each
/// case on a database of its own, since a restore rolls back every school in it.
#[test]
fn phones_converge_with_a_server_restored_from_older_backups() {
    let runtime = runtime();
    // A restore case opens a database of its own (about 0.25 s): its count is set apart from
    // PROPTEST_CASES, so a long run of the others does not take hours.
    let config = config(cases_from("BAOXUE_RESTORE_CASES", 150));
    let mut runner = TestRunner::new(config);
    // One migrated database copied for each case: migrating one per case costs more than the case.
    let template = tempfile::tempdir().unwrap();
    let empty = template.path().join("empty.db");
    runtime.block_on(async {
        let database = Database::open(template.path().join("migrated.db").to_str().unwrap()).await.unwrap();
        database.backup(&empty, support::NOW).await.unwrap();
    });
    let result = runner.run(&case(true), |case| {
        runtime.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("server.db");
            std::fs::copy(&empty, &path).unwrap();
            let target = path.to_str().unwrap();
            let database = Database::open(target).await.unwrap();
            run(database, target, &case, Some(dir.path())).await
        })
    });
    if let Err(error) = result {
        panic!("{error}\n{runner}");
    }
    report();
    assert!(HELD.load(Ordering::Relaxed) > 0, "no case had the server hold a change back");
}

/// The restore cases on PostgreSQL, fewer (`BAOXUE_POSTGRES_RESTORE_CASES`, 30 by default):
/// each case on a database of its own (`sim_<process>_<n>`), made from a migrated template and
/// dropped afterwards, also when the case fails.
#[test]
fn phones_converge_with_a_postgres_server_restored_from_older_backups() {
    let runtime = runtime();
    let Some(url) = support::postgres_url() else { return };
    let (server, _) = url.rsplit_once('/').expect("a PostgreSQL URL ends with /<database>");
    let prefix = format!("sim_{}", std::process::id());
    let template = format!("{prefix}_template");
    let admin = runtime.block_on(async {
        let admin = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {template}")).execute(&admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {template}")).execute(&admin).await.unwrap();
        drop(Database::open(&format!("{server}/{template}")).await.unwrap());
        // A template is copied only while nobody is connected to it.
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
            .bind(&template)
            .execute(&admin)
            .await
            .unwrap();
        admin
    });
    let config = config(cases_from("BAOXUE_POSTGRES_RESTORE_CASES", 30));
    let mut runner = TestRunner::new(config);
    let next = AtomicU64::new(0);
    let result = runner.run(&case(true), |case| {
        runtime.block_on(async {
            let name = format!("{prefix}_{}", next.fetch_add(1, Ordering::Relaxed));
            let create = format!("CREATE DATABASE {name} TEMPLATE {template}");
            sqlx::query(&create).execute(&admin).await.unwrap();
            let (dir, target) = (tempfile::tempdir().unwrap(), format!("{server}/{name}"));
            let database = Database::open(&target).await.unwrap();
            // In a task of its own, so that the database is dropped also when the case panics.
            let case = case.clone();
            let ran = tokio::spawn(async move { run(database, &target, &case, Some(dir.path())).await }).await;
            let dropped = format!("DROP DATABASE {name} WITH (FORCE)");
            sqlx::query(&dropped).execute(&admin).await.unwrap();
            ran.unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))
        })
    });
    runtime.block_on(async {
        sqlx::query(&format!("DROP DATABASE {template} WITH (FORCE)")).execute(&admin).await.unwrap();
    });
    if let Err(error) = result {
        panic!("{error}\n{runner}");
    }
    report();
}

/// Fewer cases: every statement is a round trip to the PostgreSQL server.
#[test]
fn phones_over_a_bad_network_converge_with_a_postgres_server() {
    let runtime = runtime();
    let Some(url) = runtime.block_on(support::fresh_postgres_url()) else { return };
    let database = runtime.block_on(Database::open(&url)).unwrap();
    simulate(&runtime, &database, &url, cases(150));
}
