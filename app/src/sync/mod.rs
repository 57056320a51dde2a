//! The sync client: enrollment with the operator's one-time code, then push the outbox in
//! batches and pull the school's pages after the stored cursor. Runs at start, when the
//! phone comes back online, and when the teacher taps "sync now"; one run at a time.
//! Nothing here deletes a teacher's data: a refused change is kept with its reason, a revoked
//! phone keeps its outbox, a resync keeps the outbox.

pub mod conflicts;
mod http;
pub mod share_links;

use crate::clock;
use crate::ctx::{AppCtx, WriteError};
use crate::i18n::SyncText;
use crate::store::{Credential, Profile, RefusedChange, StoreError, SyncMarks};
use baoxue_domain::ids::{DeviceId, SchoolId};
use baoxue_domain::sync::marks::PullMarks;
use baoxue_domain::sync::protocol::{PullWire, MAX_BATCH};
use baoxue_domain::sync::{client, screen, ChainHeads, PullPage, PushBatch, PushReceipt, RelayBatch, RelayReceipt};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many times one sync asks the heads and sends back what the server lacks: one round for
/// a server that lacks only what it can take in any order, more when a change waits for a record
/// another run brings; the duty carries over to the next sync after that.
const SEND_BACK_ROUNDS: usize = 3;

/// An answer slower than this says little about the server's clock: ignored for the offset.
const SLOW_ANSWER_MS: u64 = 5_000;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SyncError {
    #[error("no answer from the server (no signal?): {0}")]
    Offline(String),
    #[error("the server answered {status} ({code}): {message}")]
    Server { status: u16, code: String, message: String },
    #[error("the server's answer cannot be read: {0}")]
    BadAnswer(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("this phone is not enrolled at a school on the server yet")]
    NotEnrolled,
    #[error("this phone was set up for school {local}, but its code enrolled it at school {server}")]
    OtherSchool { local: SchoolId, server: SchoolId },
}

impl SyncError {
    /// What the teacher is told; the error itself goes to the console.
    pub fn text(&self) -> SyncText {
        match self {
            SyncError::Offline(_) => SyncText::Offline,
            SyncError::Server { code, .. } => match code.as_str() {
                "device_revoked" => SyncText::Revoked,
                "unknown_code" => SyncText::UnknownCode,
                "code_used" => SyncText::CodeUsed,
                "code_expired" => SyncText::CodeExpired,
                "device_taken" => SyncText::DeviceTaken,
                "unknown_credential" | "missing_credential" => SyncText::UnknownDevice,
                "server_unavailable" | "rate_limited" => SyncText::ServerBusy,
                _ => SyncText::ServerProblem,
            },
            SyncError::BadAnswer(_) => SyncText::ServerProblem,
            SyncError::Store(_) | SyncError::Write(WriteError::Store(_)) => SyncText::StoreProblem,
            SyncError::Write(WriteError::Invalid(_)) => SyncText::ChoiceRefused,
            SyncError::NotEnrolled => SyncText::NotEnrolled,
            SyncError::OtherSchool { .. } => SyncText::OtherSchool,
        }
    }
}

/// The sync client's state on screen, in Leptos context beside `AppCtx`.
#[derive(Clone, Copy)]
pub struct SyncCtx {
    pub credential: RwSignal<Option<Credential>>,
    pub running: RwSignal<bool>,
    pub last_synced_ms: RwSignal<Option<u64>>,
    pub error: RwSignal<Option<SyncError>>,
    pub refused: RwSignal<Vec<RefusedChange>>,
    /// Pulled changes that broke the server's own limits: set aside, never merged.
    pub set_aside: RwSignal<Vec<RefusedChange>>,
    /// The last push stopped at a change naming a record the server lacks (`PushReceipt::held`):
    /// the change stays in the outbox and goes at a later sync.
    pub held: RwSignal<bool>,
    marks: StoredValue<SyncMarks>,
    again: StoredValue<bool>,
}

pub fn use_sync() -> SyncCtx {
    expect_context::<SyncCtx>()
}

#[derive(Serialize)]
struct EnrollRequest<'a> {
    code: &'a str,
    device: DeviceId,
    label: &'a str,
}

#[derive(Deserialize)]
struct Enrolled {
    device: DeviceId,
    school: SchoolId,
    token: String,
}

impl SyncCtx {
    pub fn provide() -> SyncCtx {
        let sync = SyncCtx {
            credential: RwSignal::new(None),
            running: RwSignal::new(false),
            last_synced_ms: RwSignal::new(None),
            error: RwSignal::new(None),
            refused: RwSignal::new(Vec::new()),
            set_aside: RwSignal::new(Vec::new()),
            held: RwSignal::new(false),
            marks: StoredValue::new(SyncMarks::default()),
            again: StoredValue::new(false),
        };
        provide_context(sync);
        sync
    }

    /// After the store is loaded: reads what sync remembers, syncs once, and again whenever
    /// the phone gets a signal back.
    pub async fn start(self, app: AppCtx) {
        let Some(store) = app.store.get_value() else { return };
        let remembered = async {
            let refused = (store.refused().await?, store.set_aside().await?);
            Ok::<_, StoreError>((store.credential().await?, store.sync_marks().await?, refused))
        };
        match remembered.await {
            Ok((credential, marks, (refused, set_aside))) => {
                self.set_aside.set(set_aside);
                clock::set_offset_ms(marks.clock_offset_ms);
                self.marks.set_value(marks);
                self.last_synced_ms.set(marks.last_synced_ms);
                self.credential.set(credential);
                self.refused.set(refused);
            }
            Err(error) => self.error.set(Some(error.into())),
        }
        let _ = window_event_listener(leptos::ev::online, move |_| leptos::task::spawn_local(self.run(app)));
        self.run(app).await;
    }

    /// One sync, unless the phone is not enrolled. Asked while one runs, that one runs once
    /// more when it ends, so a change made meanwhile (a conflict resolved) is not left behind.
    /// The outcome shows in `last_synced_ms` and `error`.
    pub async fn run(self, app: AppCtx) {
        if self.credential.get_untracked().is_none() {
            return;
        }
        if self.running.get_untracked() {
            self.again.set_value(true);
            return;
        }
        self.running.set(true);
        loop {
            self.again.set_value(false);
            let outcome = self.sync_once(app).await;
            match outcome {
                Ok(()) => {
                    let now = clock::now_ms();
                    self.last_synced_ms.set(Some(now));
                    self.error.set(None);
                    self.marks.update_value(|marks| marks.last_synced_ms = Some(now));
                }
                Err(error) => {
                    leptos::logging::warn!("保学 sync: {error}");
                    self.error.set(Some(error));
                }
            }
            if let Some(store) = app.store.get_value() {
                if let Err(error) = store.save_sync_marks(self.marks.get_value()).await {
                    leptos::logging::warn!("保学 sync: {error}");
                }
            }
            if !self.again.get_value() {
                break;
            }
        }
        self.running.set(false);
    }

    /// Drops a refused change from the list on screen once it was sent again (the store
    /// dropped it already, in the same transaction as the new mutation).
    pub fn forget_refused(self, id: baoxue_domain::ids::MutationId) {
        self.refused.update(|refused| refused.retain(|change| change.mutation.id != id));
    }

    /// Trades the operator's one-time code for this phone's credential and keeps it. The phone
    /// always asks for a new device id (the server never gives one twice): a revoked or replaced
    /// phone, or one restored from a backup, then re-issues its unsent changes under the new id
    /// (`AppCtx::reissue`), so they reach the school.
    pub async fn enroll(self, app: AppCtx, code: &str, label: &str) -> Result<Credential, SyncError> {
        let store = app.store.get_value().ok_or(StoreError::NotSetUp)?;
        let device = DeviceId::new_v7(clock::now_ms(), clock::random10());
        let body = serde_json::to_string(&EnrollRequest { code: code.trim(), device, label: label.trim() })
            .map_err(|error| SyncError::BadAnswer(error.to_string()))?;
        let enrolled: Enrolled = http::call("POST", "/api/enroll", None, Some(body)).await?;
        let credential = Credential { device: enrolled.device, school: enrolled.school, token: enrolled.token };
        // Kept even when the school differs: the code is used up, and the credential is what
        // the operator must revoke or re-enroll.
        store.save_credential(&credential).await?;
        self.credential.set(Some(credential.clone()));
        self.error.set(None);
        if let Some(profile) = app.profile.get_untracked().filter(|profile| profile.school == credential.school) {
            let moved = Profile { device: credential.device, ..profile };
            app.reissue(Some(moved), &[]).await?;
        }
        Ok(credential)
    }

    /// Remembers the server's clock against the phone's, from an answer that came quickly.
    fn learn_offset(self, server_time_ms: u64, sent_at_ms: u64) {
        let now = clock::local_ms();
        let round_trip = now.saturating_sub(sent_at_ms);
        if round_trip > SLOW_ANSWER_MS || server_time_ms == 0 {
            return;
        }
        let local_at_answer = sent_at_ms + round_trip / 2;
        let offset = server_time_ms as i64 - local_at_answer as i64;
        clock::set_offset_ms(offset);
        self.marks.update_value(|marks| marks.clock_offset_ms = offset);
    }

    async fn sync_once(self, app: AppCtx) -> Result<(), SyncError> {
        let store = app.store.get_value().ok_or(StoreError::NotSetUp)?;
        let credential = self.credential.get_untracked().ok_or(SyncError::NotEnrolled)?;
        let token = credential.token.as_str();
        if let Some(profile) = app.profile.get_untracked() {
            if profile.school != credential.school {
                // Pushing would only have every change refused for the wrong school.
                return Err(SyncError::OtherSchool { local: profile.school, server: credential.school });
            }
            self.push(app, &credential).await?;
        }
        // When the cursor moves, when a send-back is due and when it ends are the domain's
        // (`sync::marks`), the same state machine the server's sync simulation runs for its
        // phones; here only the HTTP calls and IndexedDB writes around it.
        let mut marks = PullMarks {
            cursor: store.cursor().await?,
            epoch: store.epoch().await?,
            send_back: self.marks.get_value().send_back_pending,
        };
        let mut heads = store.held_heads().await?;
        loop {
            let sent_at = clock::local_ms();
            let request = marks.request(None);
            // The epoch is hex digits the server made: safe in a URL as it is.
            let query = match &request.epoch {
                Some(epoch) => format!("/api/pull?after={}&epoch={epoch}", request.after),
                None => format!("/api/pull?after={}", request.after),
            };
            let answer: PullWire = http::call("GET", &query, Some(token), None).await?;
            self.learn_offset(answer.server_time_ms, sent_at);
            if answer.kind == "resync_required" {
                // The server lost what the phone had pulled (restored from a backup): start
                // over from 0; the outbox is untouched and duplicates merge away by id. The
                // duty to send back what the server lacks (`send_back`) is kept at once.
                marks.on_resync(request.after).map_err(|error| SyncError::BadAnswer(error.to_string()))?;
                self.note_send_back(&store, true).await?;
                continue;
            }
            // Nothing that breaks the server's own limits is merged, whatever the server sent.
            let times = (clock::now_ms(), answer.server_time_ms);
            let (mutations, set_aside) = screen::screen_page(answer.mutations, credential.school, times, &mut heads);
            if !set_aside.is_empty() {
                let set_aside = set_aside
                    .into_iter()
                    .map(|aside| RefusedChange { mutation: aside.mutation, reason: aside.reason })
                    .collect();
                self.set_aside.set(store.keep_set_aside(set_aside).await?);
            }
            let page = PullPage {
                mutations,
                next: answer.next,
                more: answer.more,
                server_time_ms: answer.server_time_ms,
                epoch: answer.epoch,
            };
            let moved = marks.on_page(&page);
            // A phone learning an epoch (its first pull, or an app from before epochs) cannot
            // tell whether the server was restored since: it compares heads once, and keeps
            // that duty before the page, so a run cut off before the send-back does it later.
            if moved.duty_began {
                self.note_send_back(&store, true).await?;
            }
            // The chain's clock advances in the store, where every write reads it.
            store.apply_page(&page, moved.starts_over, clock::now_ms()).await?;
            if !page.mutations.is_empty() {
                app.absorb_pulled(page.mutations.into_iter().map(|(_, mutation)| mutation).collect());
            }
            if !page.more {
                if moved.heads_due {
                    self.send_back(app, &credential, &mut marks).await?;
                }
                return Ok(());
            }
        }
    }

    /// Keeps at once whether a send-back is due, so a sync cut off between the resync (or the
    /// first epoch learnt) and the send-back does it next time.
    async fn note_send_back(self, store: &crate::store::Store, pending: bool) -> Result<(), SyncError> {
        self.marks.update_value(|marks| marks.send_back_pending = pending);
        store.save_sync_marks(self.marks.get_value()).await?;
        Ok(())
    }

    /// After a resync, or on learning the first epoch: the server may lack what this phone
    /// holds (it was restored from an older backup). Its heads say from where: this phone's own
    /// changes are pushed again from there, and other phones' (a lost phone's included)
    /// relayed, each run continuing the chain the server holds (`domain::sync::relay`). The
    /// server holds back a change naming a record it lacks (`PushReceipt::held`), which another
    /// run of the send-back may bring (this phone's mark of a child another phone enrolled), so
    /// the phone asks the heads again after sending, up to `SEND_BACK_ROUNDS` times, and the
    /// duty ends only when they show nothing lacking (`PullMarks::on_heads`); otherwise the
    /// next sync goes on with it. Heads of another epoch than the cursor's (a restore since the
    /// last page) leave the duty for the next sync, which resyncs first.
    async fn send_back(self, app: AppCtx, credential: &Credential, marks: &mut PullMarks) -> Result<(), SyncError> {
        let store = app.store.get_value().ok_or(StoreError::NotSetUp)?;
        // Never an original this phone re-issued under its new device id: the re-issue is there.
        let reissued = store.reissued().await?;
        let mut held = store.mutations().await?;
        held.retain(|mutation| !reissued.contains(&mutation.id));
        for _ in 0..SEND_BACK_ROUNDS {
            let heads: ChainHeads = http::call("GET", "/api/heads", Some(&credential.token), None).await?;
            let Some(lacking) = marks.on_heads(&heads, credential.device, &held) else { return Ok(()) };
            if !marks.send_back {
                return self.note_send_back(&store, false).await;
            }
            if lacking.own_from.is_some() {
                self.push_from(app, credential, lacking.own_from).await?;
            }
            for run in lacking.relay.chunks(MAX_BATCH) {
                let body = serde_json::to_string(&RelayBatch { mutations: run.to_vec() })
                    .map_err(|error| SyncError::BadAnswer(error.to_string()))?;
                let receipt: RelayReceipt =
                    http::call("POST", "/api/relay", Some(&credential.token), Some(body)).await?;
                leptos::logging::log!("保学 sync: sent back {} changes of other phones", receipt.applied);
            }
        }
        Ok(())
    }

    /// Sends the outbox in batches of at most `MAX_BATCH`, in counter order, until it is
    /// empty or the server settles nothing more.
    async fn push(self, app: AppCtx, credential: &Credential) -> Result<(), SyncError> {
        self.push_from(app, credential, None).await
    }

    /// `push`, first sending this phone's own stored changes from counter `from` when given
    /// (what a restored server lacks).
    async fn push_from(self, app: AppCtx, credential: &Credential, from: Option<u64>) -> Result<(), SyncError> {
        let store = app.store.get_value().ok_or(StoreError::NotSetUp)?;
        // What each receipt settles and what to send next is the domain's (`sync::client`),
        // the same decisions the server's sync simulation runs for its phones.
        let mut round = client::PushRound::new(from);
        let mut source = round.first();
        self.held.set(false);
        loop {
            let mut pending = match source {
                client::Source::OwnFrom(counter) => store.own_mutations_from(credential.device, counter).await?,
                client::Source::Outbox => store.outbox(credential.device).await?,
            };
            if pending.is_empty() {
                return Ok(());
            }
            pending.truncate(MAX_BATCH);
            let sent_at = clock::local_ms();
            let batch = PushBatch { device: credential.device, mutations: pending };
            let body = serde_json::to_string(&batch).map_err(|error| SyncError::BadAnswer(error.to_string()))?;
            let receipt: PushReceipt = http::call("POST", "/api/push", Some(&credential.token), Some(body)).await?;
            self.learn_offset(receipt.server_time_ms, sent_at);
            if receipt.held.is_some() {
                self.held.set(true);
            }
            let settled = round.settle(&batch.mutations, &receipt);
            let left = store.settle(&batch.mutations, &settled.settled, settled.refused.clone()).await?;
            app.settled(left);
            // A reused counter or a broken chain (left by an older version of the app) is fixed
            // by sending the same change again as the next of the chain: no one needs to judge
            // that, so it is done at once.
            if !settled.reissue.is_empty() {
                app.reissue(None, &settled.reissue).await?;
            }
            if !settled.refused.is_empty() {
                self.refused.set(store.refused().await?);
            }
            source = match settled.next {
                client::Next::Send(next) => next,
                client::Next::Done => return Ok(()),
                client::Next::Stuck => {
                    return Err(SyncError::BadAnswer("the server misses changes this phone no longer has".into()))
                }
            };
        }
    }
}
