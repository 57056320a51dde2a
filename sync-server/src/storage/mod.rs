//! Where the server keeps what phones send: an embedded SQLite file by default, PostgreSQL for
//! deployments with several server processes on one database. `Storage` is the one interface;
//! `sqlite.rs` and `postgres.rs` implement it and one shared suite (tests/storage.rs) tests
//! both. Every decision about a pushed mutation is made by `domain::sync::check_batch`; the
//! push and pull steps around it are written once in `push.rs`, and the backends supply only
//! their SQL for each step, run in one transaction.

mod backup;
mod postgres;
mod push;
mod rows;
mod sqlite;

pub use backup::{BackupError, Copied};
pub use postgres::PostgresStorage;
pub use sqlite::SqliteStorage;

use baoxue_domain::ids::{CountyId, DeviceId, SchoolId, TownId};
use baoxue_domain::mutation::{ContentHash, Mutation};
use baoxue_domain::sync::conflict::contested;
use baoxue_domain::sync::{
    Conflict, ConflictWatch, ContestedSlot, DeviceHead, OpenConflict, PullAnswer, PullRequest, PushReceipt,
    RejectionReason, RelayReceipt, Version,
};
use serde::Serialize;
use std::future::Future;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot open the SQLite file {path}: {source}. Check that its folder exists and is writable")]
    OpenSqlite { path: String, source: sqlx::Error },
    #[error("cannot connect to PostgreSQL at {url}: {source}. Check that the server runs and the URL is right")]
    ConnectPostgres { url: String, source: sqlx::Error },
    #[error("the database schema could not be brought up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database failed: {0}")]
    Query(#[from] sqlx::Error),
    #[error("the database holds a value this server cannot read ({what}): {detail}")]
    Corrupt { what: &'static str, detail: String },
    #[error("no school has the id {0}: list the schools with `sync-server school list`")]
    NoSuchSchool(SchoolId),
    #[error("device {0} is not enrolled: list the enrolled devices with `sync-server devices list`")]
    NoSuchDevice(DeviceId),
    #[error("device {0} was revoked")]
    DeviceRevoked(DeviceId),
    #[error("no shared link has the id {0}: list them with `sync-server share list`")]
    NoSuchShareLink(uuid::Uuid),
    #[error(
        "no {kind} has the id {id}: list the schools (with their towns and counties) with `sync-server school list`"
    )]
    NoSuchUnit { kind: &'static str, id: uuid::Uuid },
    #[error(transparent)]
    Random(#[from] crate::credentials::RandomError),
}

/// Names of a school and the county and town it is in; `add_school` creates what is missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolPlace {
    pub county: String,
    pub town: String,
    pub school: String,
}

/// Ids for whatever `add_school` has to create; unused when the place exists already.
#[derive(Clone, Copy, Debug)]
pub struct FreshOrgIds {
    pub county: CountyId,
    pub town: TownId,
    pub school: SchoolId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchoolRow {
    pub id: SchoolId,
    pub county: String,
    pub town: String,
    pub name: String,
    /// The school's pull cursor: how many mutations it holds.
    pub last_server_seq: u64,
}

/// Why a phone's enrollment code was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnrollRefusal {
    #[error("this enrollment code is not known: check it with the school's operator")]
    UnknownCode,
    #[error("this enrollment code was already used; ask the operator for a new one")]
    AlreadyUsed,
    #[error("this enrollment code has expired; ask the operator for a new one")]
    Expired,
    #[error("a device with this id is already enrolled; the phone must make a new id")]
    DeviceTaken,
}

/// What a device credential opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceAccess {
    pub device: DeviceId,
    pub school: SchoolId,
    /// When the operator revoked the device (ms since 1970), if they did.
    pub revoked_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceRow {
    pub id: DeviceId,
    pub school: SchoolId,
    pub label: String,
    pub enrolled_ms: i64,
    pub last_seen_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    /// The device's chain head: its last settled counter.
    pub last_seq: u64,
    pub rejections: u64,
}

/// What a school holds, for the operator's sync health report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SchoolCounts {
    pub school: SchoolId,
    pub mutations: u64,
    pub open_conflicts: u64,
}

/// A device's newest stamp against when it arrived, to spot a phone whose clock runs ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceClock {
    pub device: DeviceId,
    /// The wall time of the stamp of the device's newest stored change.
    pub stamp_ms: i64,
    pub received_ms: i64,
}

/// The org unit a shared link opens: a county, a town or a school, and everything below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ShareUnit {
    County(CountyId),
    Town(TownId),
    School(SchoolId),
}

impl ShareUnit {
    /// The unit's kind as the database stores it.
    pub fn kind(self) -> &'static str {
        match self {
            ShareUnit::County(_) => "county",
            ShareUnit::Town(_) => "town",
            ShareUnit::School(_) => "school",
        }
    }

    pub fn id(self) -> uuid::Uuid {
        match self {
            ShareUnit::County(id) => id.0,
            ShareUnit::Town(id) => id.0,
            ShareUnit::School(id) => id.0,
        }
    }

    /// The unit of a stored kind and id.
    fn from_row(kind: &str, id: uuid::Uuid) -> Result<ShareUnit, StorageError> {
        match kind {
            "county" => Ok(ShareUnit::County(CountyId(id))),
            "town" => Ok(ShareUnit::Town(TownId(id))),
            "school" => Ok(ShareUnit::School(SchoolId(id))),
            other => {
                Err(StorageError::Corrupt { what: "a shared link's unit", detail: format!("unknown kind {other:?}") })
            }
        }
    }

    /// Whether a school placed at `place` is under this unit.
    pub fn holds(self, place: &SchoolPlacement) -> bool {
        match self {
            ShareUnit::County(county) => place.county == county,
            ShareUnit::Town(town) => place.town == town,
            ShareUnit::School(school) => place.school == school,
        }
    }
}

/// A shared link as kept: everything but its token, of which only the hash is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShareLinkRow {
    pub id: uuid::Uuid,
    pub unit: ShareUnit,
    pub label: String,
    pub created_ms: i64,
    pub expires_ms: i64,
    pub revoked_ms: Option<i64>,
}

/// A school with the ids and names of its town and county, and when it last sent a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchoolPlacement {
    pub school: SchoolId,
    pub name: String,
    pub town: TownId,
    pub town_name: String,
    pub county: CountyId,
    pub county_name: String,
    /// The school's pull cursor: its newest change's server sequence (0 before any).
    pub last_server_seq: u64,
    /// When its newest change reached the server (ms since 1970).
    pub last_received_ms: Option<i64>,
}

/// A school's figures as the server keeps them (`school_figures`): the summary's JSON, the day
/// it was taken on and the school's cursor it counts up to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FigureRow {
    pub school: SchoolId,
    /// `YYYY-MM-DD`.
    pub taken_on: String,
    pub watermark: u64,
    pub summary: String,
    pub computed_ms: i64,
}

/// A mutation the server refused, as kept for the operator and a later review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectionRow {
    pub device: DeviceId,
    pub seq: u64,
    pub reason: RejectionReason,
    pub rejected_ms: i64,
}

/// Everything the server stores. Each operation is one transaction; `apply_batch` answers only
/// after its transaction committed.
pub trait Storage: Clone + Send + Sync + 'static {
    fn kind(&self) -> &'static str;

    /// How many mutations the server holds: a cheap query that proves the database answers.
    fn mutation_count(&self) -> impl Future<Output = Result<i64, StorageError>> + Send;

    /// Creates the school, and its county and town if missing; an existing school is kept.
    fn add_school(
        &self,
        place: &SchoolPlace,
        fresh: FreshOrgIds,
        now_ms: i64,
    ) -> impl Future<Output = Result<SchoolRow, StorageError>> + Send;

    fn schools(&self) -> impl Future<Output = Result<Vec<SchoolRow>, StorageError>> + Send;

    /// Stores a one-time enrollment code (its hash) for a school.
    fn add_enrollment_code(
        &self,
        school: SchoolId,
        code_hash: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Uses up a code and enrolls the device with the credential's hash, in one transaction:
    /// two phones racing with one code get one enrollment.
    fn enroll(
        &self,
        code_hash: &str,
        device: DeviceId,
        label: &str,
        token_hash: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<Result<SchoolId, EnrollRefusal>, StorageError>> + Send;

    /// The device a credential belongs to; `None` for an unknown one. Only reads: it runs on
    /// every request with a bearer token, before any rate limit (`last_seen.rs` notes the time).
    fn authenticate(&self, token_hash: &str)
        -> impl Future<Output = Result<Option<DeviceAccess>, StorageError>> + Send;

    /// Writes when devices were last seen, in one statement, keeping the later of the stored
    /// time and the given one; unknown devices are skipped.
    fn record_last_seen(&self, seen: &[(DeviceId, i64)]) -> impl Future<Output = Result<(), StorageError>> + Send;

    fn devices(&self) -> impl Future<Output = Result<Vec<DeviceRow>, StorageError>> + Send;

    /// Revokes a device; `false` if it was revoked already. Its mutations stay.
    fn revoke(&self, device: DeviceId, now_ms: i64) -> impl Future<Output = Result<bool, StorageError>> + Send;

    /// Checks and applies one device's batch in one transaction, locking the device's chain
    /// head so two server processes handling the same retry cannot both apply it.
    fn apply_batch(
        &self,
        device: DeviceId,
        school: SchoolId,
        batch: &[Mutation],
        now_ms: i64,
    ) -> impl Future<Output = Result<PushReceipt, StorageError>> + Send;

    /// A school's mutations after the request's cursor, or a resync request for a cursor the
    /// server cannot continue from (another epoch, or above the school's newest).
    fn pull(
        &self,
        school: SchoolId,
        request: &PullRequest,
        now_ms: i64,
    ) -> impl Future<Output = Result<PullAnswer, StorageError>> + Send;

    /// The database's epoch: made with the database, made again by every restore.
    fn epoch(&self) -> impl Future<Output = Result<String, StorageError>> + Send;

    /// The chain head of every device of the school, revoked ones included.
    fn heads(&self, school: SchoolId) -> impl Future<Output = Result<Vec<DeviceHead>, StorageError>> + Send;

    /// Takes what `relayer` sends of other devices' chains (`push::relay_run`), one
    /// transaction per device.
    fn relay(
        &self,
        relayer: DeviceId,
        school: SchoolId,
        batch: &[Mutation],
        now_ms: i64,
    ) -> impl Future<Output = Result<RelayReceipt, StorageError>> + Send;

    fn rejections(&self, device: DeviceId) -> impl Future<Output = Result<Vec<RejectionRow>, StorageError>> + Send;

    /// Conflicts of a school not yet resolved, oldest first.
    fn conflicts(&self, school: SchoolId) -> impl Future<Output = Result<Vec<OpenConflict>, StorageError>> + Send;

    /// `conflicts` of the device's school, noting that the device was shown each: only an edit
    /// from a device shown a conflict resolves it.
    fn show_conflicts(
        &self,
        device: DeviceId,
        school: SchoolId,
        now_ms: i64,
    ) -> impl Future<Output = Result<Vec<OpenConflict>, StorageError>> + Send;

    /// Per school: changes held and conflicts open.
    fn school_counts(&self) -> impl Future<Output = Result<Vec<SchoolCounts>, StorageError>> + Send;

    /// Per device that has sent changes: its newest change's stamp and arrival time.
    fn device_clocks(&self) -> impl Future<Output = Result<Vec<DeviceClock>, StorageError>> + Send;

    /// Every school with its town and county, and when it last sent a change.
    fn placements(&self) -> impl Future<Output = Result<Vec<SchoolPlacement>, StorageError>> + Send;

    /// Stores a new shared link with its token's hash; refuses a unit the server does not have.
    fn add_share_link(
        &self,
        link: &ShareLinkRow,
        token_hash: &str,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Every shared link, newest first.
    fn share_links(&self) -> impl Future<Output = Result<Vec<ShareLinkRow>, StorageError>> + Send;

    /// The link a token's hash opens, if any (revoked and expired ones too: they say so).
    fn share_link(&self, token_hash: &str) -> impl Future<Output = Result<Option<ShareLinkRow>, StorageError>> + Send;

    /// Revokes a link; `false` if it was revoked already.
    fn revoke_share_link(&self, id: uuid::Uuid, now_ms: i64)
        -> impl Future<Output = Result<bool, StorageError>> + Send;

    /// Per school, its phones whose chain broke: a change refused for reusing a counter or not
    /// following the one before (`RejectionReason::CounterReused`, `BrokenChain`).
    fn chain_breaks(&self) -> impl Future<Output = Result<Vec<(SchoolId, u64)>, StorageError>> + Send;

    /// The figures kept for every school.
    fn school_figures(&self) -> impl Future<Output = Result<Vec<FigureRow>, StorageError>> + Send;

    /// Every school's kept row without its figures (`summary` empty): the day, watermark and
    /// time a view and the figures' job check before they read or work out any figures.
    fn figure_marks(&self) -> impl Future<Output = Result<Vec<FigureRow>, StorageError>> + Send;

    /// Keeps a school's figures unless the row held is taken on a later day, or on the same day
    /// from more changes, or from as many and worked out no earlier: `false` when the held row
    /// stays. (Worked out again from the same changes, a row of an earlier form is replaced.)
    fn put_school_figures(&self, row: &FigureRow) -> impl Future<Output = Result<bool, StorageError>> + Send;
}

/// The database the server was started with: one of the two backends.
#[derive(Clone, Debug)]
pub enum Database {
    Sqlite(SqliteStorage),
    Postgres(PostgresStorage),
}

impl Database {
    /// Opens the database named by `target`: a `postgres://` or `postgresql://` URL, or else
    /// the path of a SQLite file (created if missing). Brings the schema up to date.
    pub async fn open(target: &str) -> Result<Database, StorageError> {
        if target.starts_with("postgres://") || target.starts_with("postgresql://") {
            Ok(Database::Postgres(PostgresStorage::open(target).await?))
        } else {
            let path = target.strip_prefix("sqlite://").unwrap_or(target);
            Ok(Database::Sqlite(SqliteStorage::open(std::path::Path::new(path)).await?))
        }
    }
}

/// Calls the same method on whichever backend this is.
macro_rules! dispatch {
    ($self:ident, $storage:ident => $call:expr) => {
        match $self {
            Database::Sqlite($storage) => $call,
            Database::Postgres($storage) => $call,
        }
    };
}

impl Storage for Database {
    fn kind(&self) -> &'static str {
        dispatch!(self, storage => storage.kind())
    }
    async fn mutation_count(&self) -> Result<i64, StorageError> {
        dispatch!(self, storage => storage.mutation_count().await)
    }
    async fn add_school(
        &self,
        place: &SchoolPlace,
        fresh: FreshOrgIds,
        now_ms: i64,
    ) -> Result<SchoolRow, StorageError> {
        dispatch!(self, storage => storage.add_school(place, fresh, now_ms).await)
    }
    async fn schools(&self) -> Result<Vec<SchoolRow>, StorageError> {
        dispatch!(self, storage => storage.schools().await)
    }
    async fn add_enrollment_code(
        &self,
        school: SchoolId,
        code_hash: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<(), StorageError> {
        dispatch!(self, storage => storage.add_enrollment_code(school, code_hash, now_ms, expires_ms).await)
    }
    async fn enroll(
        &self,
        code_hash: &str,
        device: DeviceId,
        label: &str,
        token_hash: &str,
        now_ms: i64,
    ) -> Result<Result<SchoolId, EnrollRefusal>, StorageError> {
        dispatch!(self, storage => storage.enroll(code_hash, device, label, token_hash, now_ms).await)
    }
    async fn authenticate(&self, token_hash: &str) -> Result<Option<DeviceAccess>, StorageError> {
        dispatch!(self, storage => storage.authenticate(token_hash).await)
    }
    async fn record_last_seen(&self, seen: &[(DeviceId, i64)]) -> Result<(), StorageError> {
        dispatch!(self, storage => storage.record_last_seen(seen).await)
    }
    async fn devices(&self) -> Result<Vec<DeviceRow>, StorageError> {
        dispatch!(self, storage => storage.devices().await)
    }
    async fn revoke(&self, device: DeviceId, now_ms: i64) -> Result<bool, StorageError> {
        dispatch!(self, storage => storage.revoke(device, now_ms).await)
    }
    async fn apply_batch(
        &self,
        device: DeviceId,
        school: SchoolId,
        batch: &[Mutation],
        now_ms: i64,
    ) -> Result<PushReceipt, StorageError> {
        dispatch!(self, storage => storage.apply_batch(device, school, batch, now_ms).await)
    }
    async fn pull(&self, school: SchoolId, request: &PullRequest, now_ms: i64) -> Result<PullAnswer, StorageError> {
        dispatch!(self, storage => storage.pull(school, request, now_ms).await)
    }
    async fn epoch(&self) -> Result<String, StorageError> {
        dispatch!(self, storage => storage.epoch().await)
    }
    async fn heads(&self, school: SchoolId) -> Result<Vec<DeviceHead>, StorageError> {
        dispatch!(self, storage => storage.heads(school).await)
    }
    async fn relay(
        &self,
        relayer: DeviceId,
        school: SchoolId,
        batch: &[Mutation],
        now_ms: i64,
    ) -> Result<RelayReceipt, StorageError> {
        dispatch!(self, storage => storage.relay(relayer, school, batch, now_ms).await)
    }
    async fn rejections(&self, device: DeviceId) -> Result<Vec<RejectionRow>, StorageError> {
        dispatch!(self, storage => storage.rejections(device).await)
    }
    async fn conflicts(&self, school: SchoolId) -> Result<Vec<OpenConflict>, StorageError> {
        dispatch!(self, storage => storage.conflicts(school).await)
    }
    async fn show_conflicts(
        &self,
        device: DeviceId,
        school: SchoolId,
        now_ms: i64,
    ) -> Result<Vec<OpenConflict>, StorageError> {
        dispatch!(self, storage => storage.show_conflicts(device, school, now_ms).await)
    }
    async fn school_counts(&self) -> Result<Vec<SchoolCounts>, StorageError> {
        dispatch!(self, storage => storage.school_counts().await)
    }
    async fn device_clocks(&self) -> Result<Vec<DeviceClock>, StorageError> {
        dispatch!(self, storage => storage.device_clocks().await)
    }
    async fn placements(&self) -> Result<Vec<SchoolPlacement>, StorageError> {
        dispatch!(self, storage => storage.placements().await)
    }
    async fn add_share_link(&self, link: &ShareLinkRow, token_hash: &str) -> Result<(), StorageError> {
        dispatch!(self, storage => storage.add_share_link(link, token_hash).await)
    }
    async fn share_links(&self) -> Result<Vec<ShareLinkRow>, StorageError> {
        dispatch!(self, storage => storage.share_links().await)
    }
    async fn share_link(&self, token_hash: &str) -> Result<Option<ShareLinkRow>, StorageError> {
        dispatch!(self, storage => storage.share_link(token_hash).await)
    }
    async fn revoke_share_link(&self, id: uuid::Uuid, now_ms: i64) -> Result<bool, StorageError> {
        dispatch!(self, storage => storage.revoke_share_link(id, now_ms).await)
    }
    async fn school_figures(&self) -> Result<Vec<FigureRow>, StorageError> {
        dispatch!(self, storage => storage.school_figures().await)
    }
    async fn figure_marks(&self) -> Result<Vec<FigureRow>, StorageError> {
        dispatch!(self, storage => storage.figure_marks().await)
    }
    async fn chain_breaks(&self) -> Result<Vec<(SchoolId, u64)>, StorageError> {
        dispatch!(self, storage => storage.chain_breaks().await)
    }
    async fn put_school_figures(&self, row: &FigureRow) -> Result<bool, StorageError> {
        dispatch!(self, storage => storage.put_school_figures(row).await)
    }
}

impl Database {
    /// A consistent copy made while the server runs: a SQLite file (`VACUUM INTO`), or for
    /// PostgreSQL a portable export read in one snapshot (`backup.rs`).
    pub async fn backup(&self, to: &std::path::Path, now_ms: i64) -> Result<Copied, BackupError> {
        match self {
            Database::Sqlite(storage) => storage.backup(to).await,
            Database::Postgres(storage) => storage.backup(to, now_ms).await,
        }
    }

    /// Replaces everything by a backup's content; refuses a database holding anything unless
    /// `force`.
    pub async fn restore(&self, from: &std::path::Path, force: bool) -> Result<Copied, BackupError> {
        dispatch!(self, storage => storage.restore(from, force).await)
    }
}

/// A new random epoch: 16 bytes from the OS as 32 hex digits.
fn new_epoch() -> Result<String, StorageError> {
    Ok(crate::credentials::random_hex::<16>()?)
}

/// A counter or cursor as the databases store it (signed 64-bit). Counters beyond that cannot
/// be in a chain (a head only grows by one), so a refused foreign counter saturates.
fn to_db(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn from_db(value: i64, what: &'static str) -> Result<u64, StorageError> {
    u64::try_from(value).map_err(|_| StorageError::Corrupt { what, detail: format!("negative value {value}") })
}

fn parse_hash(text: &str) -> Result<ContentHash, StorageError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|error| StorageError::Corrupt { what: "a mutation hash", detail: error.to_string() })
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> Result<T, StorageError> {
    serde_json::from_str(text).map_err(|error| StorageError::Corrupt { what, detail: error.to_string() })
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("sync types hold no map with non-string keys and always serialise")
}

/// A refused mutation as `rejections.body` keeps it: whole, but with every NUL in a string or a
/// key written as U+FFFD, which both databases can hold (PostgreSQL's JSONB refuses `\u0000`).
/// The row's `hash` is the mutation's own, so a resend is still recognised.
/// The record (`RecordRef::key`) a refused mutation would have created, kept when no resend can
/// fix the refusal: changes naming it are then refused too, not held for ever.
fn refused_record(mutation: &Mutation, reason: &RejectionReason) -> Option<String> {
    if reason.resend_can_succeed() {
        return None;
    }
    mutation.change.defines().map(|record| record.key())
}

fn rejected_body(mutation: &Mutation) -> String {
    fn clean(value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(text) => Value::String(text.replace('\0', "\u{fffd}")),
            Value::Array(items) => Value::Array(items.into_iter().map(clean).collect()),
            Value::Object(fields) => Value::Object(
                fields.into_iter().map(|(key, item)| (key.replace('\0', "\u{fffd}"), clean(item))).collect(),
            ),
            other => other,
        }
    }
    match serde_json::to_value(mutation) {
        Ok(value) => to_json(&clean(value)),
        // Never for these types (no map with non-string keys); the body then stays as sent.
        Err(_) => to_json(mutation),
    }
}

/// The versions held for a contested slot as stored: a list, or one version as rows written
/// before a slot could hold several.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum StoredHeld {
    Several(Vec<Version>),
    One(Version),
}

fn parse_held(text: &str) -> Result<Vec<Version>, StorageError> {
    Ok(match parse_json(text, "a contested slot")? {
        StoredHeld::Several(versions) => versions,
        StoredHeld::One(version) => vec![version],
    })
}

/// A stored conflict's body as the conflicts endpoint answers it.
fn open_conflict(body: &str) -> Result<OpenConflict, StorageError> {
    let conflict: Conflict = parse_json(body, "a conflict")?;
    Ok(OpenConflict {
        id: OpenConflict::id_of(conflict.showing.mutation, conflict.other.mutation),
        slot: conflict.slot,
        showing: conflict.showing,
        other: conflict.other,
    })
}

/// The URL without its password, for messages and logs: the one in `user:password@` (up to the
/// last `@` before the path, as a password may hold an unescaped `@`) and a `password=`
/// parameter, which PostgreSQL URLs also accept.
pub fn redact_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|at| at + 3) else { return url.to_owned() };
    let authority_end = url[scheme_end..].find(['/', '?', '#']).map_or(url.len(), |at| scheme_end + at);
    let mut redacted = match url[scheme_end..authority_end].rfind('@').map(|at| scheme_end + at) {
        Some(at) => match url[scheme_end..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end], &url[at..authority_end]),
            None => url[..authority_end].to_owned(),
        },
        None => url[..authority_end].to_owned(),
    };
    let rest = &url[authority_end..];
    match rest.split_once('?') {
        Some((path, query)) => {
            let parameters: Vec<String> = query
                .split('&')
                .map(|parameter| match parameter.split_once('=') {
                    Some((name, _)) if name.eq_ignore_ascii_case("password") => format!("{name}=***"),
                    _ => parameter.to_owned(),
                })
                .collect();
            redacted.push_str(path);
            redacted.push('?');
            redacted.push_str(&parameters.join("&"));
        }
        None => redacted.push_str(rest),
    }
    redacted
}

/// The contested slots that applied mutations write, by their storage key.
fn contested_slots(applied: &[&Mutation]) -> std::collections::BTreeMap<String, ContestedSlot> {
    applied.iter().flat_map(|mutation| contested(&mutation.change)).map(|(slot, _)| (slot.key(), slot)).collect()
}

/// What the conflict rule made of a push: conflicts to record, open ones to mark resolved, and
/// the versions now holding the batch's slots, by storage key.
struct ConflictChanges {
    found: Vec<Conflict>,
    resolved: Vec<Conflict>,
    held: Vec<(String, Vec<Version>)>,
}

/// Runs the conflict rule over `applied` (in server order, all from one device), starting from
/// the versions held for their slots and the conflicts open on them, each with whether that
/// device was shown it.
fn find_conflicts(
    applied: &[&Mutation],
    slots: &std::collections::BTreeMap<String, ContestedSlot>,
    held: Vec<(String, Vec<Version>)>,
    open: Vec<(Conflict, bool)>,
) -> ConflictChanges {
    let shown: std::collections::BTreeSet<_> = open
        .iter()
        .filter(|(_, shown)| *shown)
        .map(|(conflict, _)| (conflict.showing.mutation, conflict.other.mutation))
        .collect();
    let open = open.into_iter().map(|(conflict, _)| conflict);
    let mut watch = ConflictWatch::from_held(
        held.into_iter().filter_map(|(key, versions)| slots.get(&key).map(|slot| (*slot, versions))),
    )
    .with_open(open);
    let mut found = Vec::new();
    let mut resolved = Vec::new();
    for mutation in applied {
        let settled =
            watch.settle(mutation, |conflict| shown.contains(&(conflict.showing.mutation, conflict.other.mutation)));
        found.extend(settled.found);
        resolved.extend(settled.resolved);
    }
    let held = watch
        .frontiers()
        .map(|(slot, versions)| (slot.key(), versions.clone()))
        .filter(|(key, _)| slots.contains_key(key))
        .collect();
    ConflictChanges { found, resolved, held }
}

#[cfg(test)]
mod tests {
    use super::{parse_held, redact_password, to_json, Version};
    use baoxue_domain::case::CaseStatus;
    use baoxue_domain::hlc::Hlc;
    use baoxue_domain::ids::{DeviceId, MutationId};
    use baoxue_domain::sync::ContestedValue;

    #[test]
    fn a_slot_stored_with_one_version_reads_as_a_list_of_one() {
        let device = DeviceId::from_u128(1);
        let version = Version {
            mutation: MutationId::from_u128(2),
            device,
            author: "王老师".into(),
            stamp: Hlc::zero(device),
            value: ContestedValue::CaseStatus(CaseStatus::Open),
            base: None,
        };
        assert_eq!(parse_held(&to_json(&version)).unwrap(), vec![version.clone()]);
        assert_eq!(parse_held(&to_json(&vec![version.clone(), version.clone()])).unwrap().len(), 2);
        assert!(parse_held("{}").is_err());
    }

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(redact_password("postgres://baoxue:secret@db:5432/baoxue"), "postgres://baoxue:***@db:5432/baoxue");
        assert_eq!(redact_password("postgres://baoxue@db/baoxue"), "postgres://baoxue@db/baoxue");
        assert_eq!(redact_password("postgres://baoxue:p@ss:w@db/baoxue"), "postgres://baoxue:***@db/baoxue");
        assert_eq!(
            redact_password("postgres://db/baoxue?user=baoxue&password=secret&sslmode=require"),
            "postgres://db/baoxue?user=baoxue&password=***&sslmode=require"
        );
        assert_eq!(redact_password("baoxue.db"), "baoxue.db");
        assert_eq!(redact_password("postgres://db/a@b"), "postgres://db/a@b");
    }
}
