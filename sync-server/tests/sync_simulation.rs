//! A school's phones and the real server storage (a SQLite file) over a network that reorders,
//! duplicates and drops messages, with phones that crash between steps. A crash loses what a
//! phone holds in memory (its merged `State`, the answers on their way to it) but not what it
//! committed: its mutations, outbox, device chain and pull cursor, as the app's IndexedDB
//! transactions keep them. Once the network heals and every phone has pushed and pulled:
//! - every phone's `State`, the server's and a reference (all mutations made, merged in one
//!   fixed order) are equal, and a phone rebuilding its `State` after a crash gets the same;
//! - the server holds every mutation made exactly once, under gap-free cursors, and every
//!   mutation a receipt acknowledged;
//! - replaying everything (a phone's whole chain pushed again, the server's log merged twice)
//!   changes nothing, and honest phones never have a mutation refused;
//! - a stamp is above every stamp its author had seen, and every recorded conflict is between
//!   two edits that had not seen each other.
//!
//! The phone side here is the sync client's contract, which the app must keep: remove from the
//! outbox only what a receipt's `accepted_through` covers; write a pull page's mutations and
//! `max(cursor, next)` in one transaction; after a restart, observe the stamps of every stored
//! mutation before stamping a new one.
//!
//! 1,000 cases on SQLite by default (under a minute), and 150 on PostgreSQL when
//! `BAOXUE_TEST_POSTGRES_URL` is set (`cargo xtask test` sets it); `PROPTEST_CASES=100000 cargo
//! test -p baoxue-sync-server --release --test sync_simulation` for a long run.

mod support;

use baoxue_domain::attendance::{AttendanceMark, MarkKind};
use baoxue_domain::case::{CaseField, CaseStatus};
use baoxue_domain::ids::{CaseId, DeviceId, MutationId, RecordId, SchoolId, StudentId};
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::state::State;
use baoxue_domain::status::{Status, StatusEvent};
use baoxue_domain::sync::conflict::{base_for, contested, ContestedSlot, ContestedValue};
use baoxue_domain::sync::protocol::MAX_BATCH;
use baoxue_domain::sync::{PullAnswer, PullRequest, PushBatch, PushReceipt};
use baoxue_sync_server::credentials::hash_secret;
use baoxue_sync_server::storage::{Database, Storage};
use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{FileFailurePersistence, TestRunner};
use std::collections::{BTreeMap, BTreeSet};
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
    /// One message in flight is lost.
    Drop { pick: Index },
    /// The phone's app is killed and started again.
    Crash { phone: usize },
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

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0..6usize, 0..3_000u64, edit()).prop_map(|(phone, wall_step_ms, edit)| Action::Edit { phone, wall_step_ms, edit }),
        3 => (0..6usize, 1..6usize).prop_map(|(phone, limit)| Action::Push { phone, limit }),
        3 => (0..6usize, 1..6u32).prop_map(|(phone, limit)| Action::Pull { phone, limit }),
        6 => (any::<Index>(), prop::bool::weighted(0.2)).prop_map(|(pick, keep_copy)| Action::Deliver { pick, keep_copy }),
        1 => any::<Index>().prop_map(|pick| Action::Drop { pick }),
        1 => (0..6usize).prop_map(|phone| Action::Crash { phone }),
    ]
}

/// A phone's clock: right, a few seconds off, an hour ahead, or a day behind.
fn clock() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => (0..5_000u64).prop_map(|jitter| START_MS + jitter),
        1 => Just(START_MS + 3_600_000),
        1 => Just(START_MS - 86_400_000),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (prop::collection::vec(clock(), 2..=6), prop::collection::vec(action(), 0..80))
        .prop_map(|(clocks, actions)| Case { clocks, actions })
}

/// A current-thread runtime for the storage's futures.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// Runs `cases` cases on one database (opening and migrating one per case would cost more than
/// the case; each case has a school and phones of its own). Written out rather than with
/// `proptest!` so that the caller's temporary database folder is removed when the run ends.
fn simulate(runtime: &tokio::runtime::Runtime, database: &Database, cases: u32) {
    let config = ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/sync_simulation.txt"))),
        source_file: Some(file!()),
        ..ProptestConfig::default()
    };
    let mut runner = TestRunner::new(config);
    if let Err(error) = runner.run(&case(), |case| runtime.block_on(run(database, &case))) {
        panic!("{error}\n{runner}");
    }
}

/// Cases to run: `PROPTEST_CASES` if set.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(default)
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

/// What a phone keeps in IndexedDB: written in one transaction per edit and per pull page.
#[derive(Clone, Debug)]
struct Durable {
    chain: DeviceChain,
    /// Every mutation the phone holds, its own and pulled ones.
    mutations: BTreeMap<MutationId, Mutation>,
    /// Its own mutations in counter order.
    own: Vec<Mutation>,
    outbox: BTreeMap<u64, Mutation>,
    cursor: u64,
}

struct Phone {
    durable: Durable,
    /// The phone's hardware clock; survives a crash.
    wall_ms: u64,
    /// Rebuilt from `durable` when the app starts; an edit's `base` comes from it.
    state: State,
}

impl Phone {
    fn new(device: DeviceId, wall_ms: u64) -> Phone {
        let durable = Durable {
            chain: DeviceChain::new(device),
            mutations: BTreeMap::new(),
            own: Vec::new(),
            outbox: BTreeMap::new(),
            cursor: 0,
        };
        Phone { durable, wall_ms, state: State::default() }
    }

    fn device(&self) -> DeviceId {
        self.durable.chain.device
    }

    /// The app starting again: the merged state comes from the stored mutations, and the clock
    /// observes every stored stamp, so a new edit sorts after everything the phone has seen.
    fn restart(&mut self) {
        self.state = State::from_mutations(self.durable.mutations.values());
        let wall_ms = self.wall_ms;
        let chain = &mut self.durable.chain;
        chain.clock =
            self.durable.mutations.values().fold(chain.clock, |clock, held| clock.observe(held.stamp, wall_ms));
    }

    fn receive_receipt(&mut self, receipt: &PushReceipt, acknowledged: &mut BTreeSet<MutationId>) {
        assert!(receipt.rejected.is_empty(), "an honest phone's mutation was refused: {:?}", receipt.rejected);
        for mutation in self.durable.own.iter().take_while(|mutation| mutation.seq <= receipt.accepted_through) {
            acknowledged.insert(mutation.id);
        }
        self.durable.outbox.retain(|seq, _| *seq > receipt.accepted_through);
    }

    fn receive_page(&mut self, answer: &PullAnswer) {
        let PullAnswer::Page(page) = answer else { panic!("a cursor the server gave was refused: {answer:?}") };
        for (_, mutation) in &page.mutations {
            if let std::collections::btree_map::Entry::Vacant(slot) = self.durable.mutations.entry(mutation.id) {
                slot.insert(mutation.clone());
                self.state.apply(mutation);
                self.durable.chain.clock = self.durable.chain.clock.observe(mutation.stamp, self.wall_ms);
            }
        }
        // A late or repeated page answers a cursor at or below the current one, so taking the
        // larger never skips a mutation.
        self.durable.cursor = self.durable.cursor.max(page.next);
    }

    fn batch(&self, limit: usize) -> PushBatch {
        PushBatch { device: self.device(), mutations: self.durable.outbox.values().take(limit).cloned().collect() }
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
    Receipt {
        phone: usize,
        body: String,
    },
    Page {
        phone: usize,
        body: String,
    },
}

impl Message {
    fn to_phone(&self) -> Option<usize> {
        match self {
            Message::Receipt { phone, .. } | Message::Page { phone, .. } => Some(*phone),
            _ => None,
        }
    }
}

struct World {
    case: u64,
    school: SchoolId,
    phones: Vec<Phone>,
    network: Vec<Message>,
    /// What each mutation's author held when making it.
    seen: BTreeMap<MutationId, BTreeSet<MutationId>>,
    acknowledged: BTreeSet<MutationId>,
    server_now: i64,
}

impl World {
    async fn new(database: &Database, case: u64, clocks: &[u64]) -> World {
        let school = support::school(database, &format!("模拟学校{case}")).await;
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
            phones.push(Phone::new(device, *wall_ms));
        }
        World {
            case,
            school,
            phones,
            network: Vec::new(),
            seen: BTreeMap::new(),
            acknowledged: BTreeSet::new(),
            server_now: support::NOW,
        }
    }

    fn edit(&mut self, index: usize, wall_step_ms: u64, edit: &Edit) {
        let (case, school) = (self.case, self.school);
        let phone = &mut self.phones[index];
        phone.wall_ms += wall_step_ms;
        let seq = phone.durable.chain.last_seq + 1;
        let record = RecordId::new_v7(phone.wall_ms, random_bytes(case, index, seq, 1));
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
        // As the app does: the edit names what the phone held of the slot.
        let base = base_for(&phone.state, &change).unwrap_or_default();
        let random = random_bytes(case, index, seq, 0);
        let mutation = phone.durable.chain.next_based("老师", school, change, base, phone.wall_ms, random);
        self.seen.insert(mutation.id, phone.durable.mutations.keys().copied().collect());
        phone.durable.mutations.insert(mutation.id, mutation.clone());
        phone.durable.own.push(mutation.clone());
        phone.durable.outbox.insert(mutation.seq, mutation.clone());
        phone.state.apply(&mutation);
    }

    /// The server handling a request, with the real storage; its answer goes back on the network.
    async fn serve(&mut self, database: &Database, message: Message) -> Option<Message> {
        self.server_now += 1;
        match message {
            Message::Push { phone, body } => {
                let batch: PushBatch = serde_json::from_str(&body).unwrap();
                assert_eq!(batch.device, self.phones[phone].device());
                let receipt =
                    database.apply_batch(batch.device, self.school, &batch.mutations, self.server_now).await.unwrap();
                Some(Message::Receipt { phone, body: serde_json::to_string(&receipt).unwrap() })
            }
            Message::Pull { phone, query } => {
                let answer = database.pull(self.school, &query, self.server_now).await.unwrap();
                Some(Message::Page { phone, body: serde_json::to_string(&answer).unwrap() })
            }
            Message::Receipt { phone, body } => {
                let receipt: PushReceipt = serde_json::from_str(&body).unwrap();
                self.phones[phone].receive_receipt(&receipt, &mut self.acknowledged);
                None
            }
            Message::Page { phone, body } => {
                self.phones[phone].receive_page(&serde_json::from_str(&body).unwrap());
                None
            }
        }
    }

    /// A message goes through the network; its answer is put in flight.
    async fn deliver(&mut self, database: &Database, message: Message) {
        if let Some(answer) = self.serve(database, message).await {
            self.network.push(answer);
        }
    }

    async fn act(&mut self, database: &Database, action: &Action) {
        let phones = self.phones.len();
        match action {
            Action::Edit { phone, wall_step_ms, edit } => self.edit(phone % phones, *wall_step_ms, edit),
            Action::Push { phone, limit } => {
                let phone = phone % phones;
                let batch = self.phones[phone].batch(*limit);
                if !batch.mutations.is_empty() {
                    self.network.push(Message::Push { phone, body: serde_json::to_string(&batch).unwrap() });
                }
            }
            Action::Pull { phone, limit } => {
                let phone = phone % phones;
                let query = PullRequest { after: self.phones[phone].durable.cursor, limit: Some(*limit), epoch: None };
                self.network.push(Message::Pull { phone, query });
            }
            Action::Deliver { pick, keep_copy } => {
                if self.network.is_empty() {
                    return;
                }
                let index = pick.index(self.network.len());
                let message = if *keep_copy { self.network[index].clone() } else { self.network.remove(index) };
                self.deliver(database, message).await;
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
        }
    }

    /// The network heals: what is in flight arrives (stale answers included), then every phone
    /// pushes its outbox and pulls to the end, with nothing lost.
    async fn settle(&mut self, database: &Database) {
        while !self.network.is_empty() {
            let message = self.network.remove(0);
            self.deliver(database, message).await;
        }
        let total: usize = self.phones.iter().map(|phone| phone.durable.own.len()).sum();
        for round in 0.. {
            assert!(round <= total + 1, "outboxes still hold mutations after {round} rounds of pushes");
            let mut sent = false;
            for phone in 0..self.phones.len() {
                let batch = self.phones[phone].batch(5);
                if batch.mutations.is_empty() {
                    continue;
                }
                sent = true;
                let body = serde_json::to_string(&batch).unwrap();
                let receipt = self.serve(database, Message::Push { phone, body }).await.unwrap();
                self.serve(database, receipt).await;
            }
            if !sent {
                break;
            }
        }
        for phone in 0..self.phones.len() {
            for _ in 0..=total {
                let query = PullRequest { after: self.phones[phone].durable.cursor, limit: Some(5), epoch: None };
                let Some(Message::Page { body, .. }) = self.serve(database, Message::Pull { phone, query }).await
                else {
                    unreachable!("a pull is answered with a page")
                };
                let answer: PullAnswer = serde_json::from_str(&body).unwrap();
                let more = matches!(&answer, PullAnswer::Page(page) if page.more);
                self.phones[phone].receive_page(&answer);
                if !more {
                    break;
                }
            }
        }
    }

    /// Everything the server holds for the school, in server order, checking the cursors.
    async fn server_log(&self, database: &Database) -> Vec<Mutation> {
        let PullAnswer::Page(page) = database
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

async fn run(database: &Database, case: &Case) -> Result<(), TestCaseError> {
    static CASES_RUN: AtomicU64 = AtomicU64::new(0);
    let mut world = World::new(database, CASES_RUN.fetch_add(1, Ordering::SeqCst), &case.clocks).await;
    for action in &case.actions {
        world.act(database, action).await;
    }
    world.settle(database).await;

    let made: Vec<Mutation> = world.phones.iter().flat_map(|phone| phone.durable.own.iter().cloned()).collect();
    let by_id: BTreeMap<MutationId, &Mutation> = made.iter().map(|mutation| (mutation.id, mutation)).collect();
    let reference = State::from_mutations(&made);

    // The server holds every mutation made, once, and everything it acknowledged.
    let log = world.server_log(database).await;
    let stored: BTreeSet<MutationId> = log.iter().map(|mutation| mutation.id).collect();
    prop_assert_eq!(stored.len(), log.len(), "a mutation is stored twice");
    prop_assert_eq!(&stored, &by_id.keys().copied().collect::<BTreeSet<_>>());
    prop_assert!(world.acknowledged.is_subset(&stored), "an acknowledged mutation is missing");

    // Phones, server and reference agree, and a restarted phone rebuilds the same state.
    prop_assert_eq!(&State::from_mutations(&log), &reference);
    for phone in &world.phones {
        prop_assert!(phone.durable.outbox.is_empty());
        prop_assert_eq!(phone.durable.mutations.len(), made.len());
        prop_assert_eq!(&phone.state, &reference, "phone {} disagrees with the reference", phone.device());
        prop_assert_eq!(&State::from_mutations(phone.durable.mutations.values()), &reference);
    }

    // Replays change nothing.
    prop_assert_eq!(&State::from_mutations(log.iter().chain(&log)), &reference);
    for phone in &world.phones {
        for batch in phone.durable.own.chunks(MAX_BATCH) {
            let receipt = database.apply_batch(phone.device(), world.school, batch, world.server_now).await.unwrap();
            prop_assert_eq!((receipt.applied, receipt.skipped_duplicates), (0, batch.len()));
            prop_assert!(receipt.rejected.is_empty() && receipt.gap.is_none());
        }
        prop_assert!(database.rejections(phone.device()).await.unwrap().is_empty());
    }
    prop_assert_eq!(world.server_log(database).await, log);

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

    // Every conflict recorded is between two edits of the slot that had not seen each other.
    let conflicts = database.conflicts(world.school).await.unwrap();
    for conflict in &conflicts {
        let (showing, other) = (conflict.showing.mutation, conflict.other.mutation);
        prop_assert!(
            world.concurrent(showing, other),
            "conflict between {showing} and {other}, one had seen the other"
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
    for mutation in &made {
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
    let database = runtime.block_on(Database::open(dir.path().join("simulation.db").to_str().unwrap())).unwrap();
    simulate(&runtime, &database, cases(1_000));
}

/// Fewer cases: every statement is a round trip to the PostgreSQL server.
#[test]
fn phones_over_a_bad_network_converge_with_a_postgres_server() {
    let runtime = runtime();
    let Some(url) = runtime.block_on(support::fresh_postgres_url()) else { return };
    let database = runtime.block_on(Database::open(&url)).unwrap();
    simulate(&runtime, &database, cases(150));
}
