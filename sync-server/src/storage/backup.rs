//! Online backup and restore, for the operator's `backup` and `restore` commands.
//! - SQLite: `VACUUM INTO` writes a consistent copy of the file while phones keep syncing; a
//!   restore copies every table of such a file (brought up to this server's schema first) in
//!   one transaction.
//! - PostgreSQL: a portable export, JSON Lines, read in one `REPEATABLE READ` transaction so
//!   every table is from the same moment: a header line, then `{"table", "row"}` per row. A
//!   restore inserts them in one transaction. An export restores only into PostgreSQL, and a
//!   SQLite backup only into SQLite.
//!
//! A restore refuses a database that holds anything unless forced: it replaces everything the
//! phones sent, but keeps what the operator did after the backup was made (`carry_over`):
//! schools added, phones enrolled or revoked, codes issued or used. It makes a new epoch, so
//! every phone pulls from the start and sends back what the server lacks (docs/protocol.md,
//! "Restore").

use super::{PostgresStorage, SqliteStorage, StorageError};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgPool;
use sqlx::Connection;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Every table the server keeps, parents before children (the order rows are restored in).
const TABLES: [&str; 10] = [
    "counties",
    "towns",
    "schools",
    "enrollment_codes",
    "devices",
    "mutations",
    "rejections",
    "conflicts",
    "conflict_views",
    "contested_slots",
];

/// The operator's tables whose rows made after a backup a restore keeps (`carry_over`).
const OPERATOR_TABLES: [&str; 5] = ["counties", "towns", "schools", "devices", "enrollment_codes"];

/// SQL that copies the operator's tables aside before a restore replaces them, each into a
/// temporary `kept_<table>`; `schema` is `main.` on SQLite (the backup is attached beside it).
fn set_aside(schema: &str, temporary: &str) -> Vec<String> {
    OPERATOR_TABLES
        .iter()
        .map(|table| format!("CREATE TEMP TABLE kept_{table} {temporary} AS SELECT * FROM {schema}{table}"))
        .collect()
}

/// SQL that brings back, after a restore, what the operator did after the backup: schools
/// (their history starts again at cursor 0), enrolled phones with their credentials (their
/// chain at 0: the phone sends its changes again, `GET /api/heads` says from where),
/// revocations (a lost phone stays locked out), and codes issued or used (a used code never
/// opens again). Rows the backup has win otherwise. `epoch` is the restored database's new one.
fn carry_over(schema: &str, epoch: &str) -> Vec<String> {
    let zero_hash = baoxue_domain::mutation::ContentHash::default().to_string();
    let p = schema;
    vec![
        format!(
            "INSERT INTO {p}counties SELECT * FROM kept_counties k WHERE NOT EXISTS \
             (SELECT 1 FROM {p}counties c WHERE c.id = k.id OR c.name = k.name)"
        ),
        format!(
            "INSERT INTO {p}towns SELECT * FROM kept_towns k WHERE NOT EXISTS \
             (SELECT 1 FROM {p}towns t WHERE t.id = k.id OR (t.county = k.county AND t.name = k.name)) \
             AND EXISTS (SELECT 1 FROM {p}counties c WHERE c.id = k.county)"
        ),
        format!(
            "INSERT INTO {p}schools (id, town, name, created_ms, last_server_seq) \
             SELECT id, town, name, created_ms, 0 FROM kept_schools k WHERE NOT EXISTS \
             (SELECT 1 FROM {p}schools s WHERE s.id = k.id OR (s.town = k.town AND s.name = k.name)) \
             AND EXISTS (SELECT 1 FROM {p}towns t WHERE t.id = k.town)"
        ),
        format!(
            "INSERT INTO {p}devices (id, school, token_hash, label, enrolled_ms, last_seen_ms, revoked_ms, last_seq, last_hash) \
             SELECT id, school, token_hash, label, enrolled_ms, last_seen_ms, revoked_ms, 0, '{zero_hash}' \
             FROM kept_devices k WHERE NOT EXISTS \
             (SELECT 1 FROM {p}devices d WHERE d.id = k.id OR d.token_hash = k.token_hash) \
             AND EXISTS (SELECT 1 FROM {p}schools s WHERE s.id = k.school)"
        ),
        format!(
            "UPDATE {p}devices SET revoked_ms = (SELECT k.revoked_ms FROM kept_devices k WHERE k.id = devices.id) \
             WHERE revoked_ms IS NULL AND id IN (SELECT id FROM kept_devices WHERE revoked_ms IS NOT NULL)"
        ),
        format!(
            "INSERT INTO {p}enrollment_codes SELECT * FROM kept_enrollment_codes k WHERE NOT EXISTS \
             (SELECT 1 FROM {p}enrollment_codes c WHERE c.code_hash = k.code_hash) \
             AND EXISTS (SELECT 1 FROM {p}schools s WHERE s.id = k.school)"
        ),
        format!(
            "UPDATE {p}enrollment_codes SET \
             used_ms = (SELECT k.used_ms FROM kept_enrollment_codes k WHERE k.code_hash = enrollment_codes.code_hash), \
             used_by = (SELECT k.used_by FROM kept_enrollment_codes k WHERE k.code_hash = enrollment_codes.code_hash) \
             WHERE used_ms IS NULL AND code_hash IN (SELECT code_hash FROM kept_enrollment_codes WHERE used_ms IS NOT NULL)"
        ),
        format!("UPDATE {p}server_epoch SET epoch = '{epoch}'"),
    ]
}

/// The first line of a PostgreSQL export.
const FORMAT: &str = "baoxue-postgres-export";

/// Rows per `FETCH` and per `INSERT` when exporting and restoring PostgreSQL.
const CHUNK: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already: a backup never overwrites a file; pick a new name or move the old one")]
    TargetExists(PathBuf),
    #[error("the path {0} is not valid UTF-8; use a path made of plain characters")]
    PathNotText(PathBuf),
    #[error("cannot read or write {path}: {source}")]
    File { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a backup this database can restore: {why}")]
    NotABackup { path: PathBuf, why: String },
    #[error("{path} was exported with database schema {found}, this server has schema {expected}: restore it with the sync-server version that made it, then upgrade")]
    SchemaMismatch { path: PathBuf, found: i64, expected: i64 },
    #[error("the database is not empty ({rows} rows, {mutations} changes): a restore replaces everything in it. Back it up first (`sync-server backup --to FILE`), then restore with --force")]
    NotEmpty { rows: i64, mutations: i64 },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for BackupError {
    fn from(error: sqlx::Error) -> Self {
        BackupError::Storage(StorageError::Query(error))
    }
}

/// What a backup or restore moved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Copied {
    pub rows: i64,
    pub mutations: i64,
}

fn file_error(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::File { path: path.to_owned(), source }
}

fn text_path(path: &Path) -> Result<&str, BackupError> {
    path.to_str().ok_or_else(|| BackupError::PathNotText(path.to_owned()))
}

/// Adds up the rows of every table, as `count` answers for each.
fn add_up(counts: impl IntoIterator<Item = (&'static str, i64)>) -> Copied {
    counts.into_iter().fold(Copied::default(), |mut copied, (table, rows)| {
        copied.rows += rows;
        if table == "mutations" {
            copied.mutations += rows;
        }
        copied
    })
}

impl SqliteStorage {
    /// A consistent copy of the database at `to`, made while the server runs.
    pub async fn backup(&self, to: &Path) -> Result<Copied, BackupError> {
        if to.exists() {
            return Err(BackupError::TargetExists(to.to_owned()));
        }
        sqlx::query("VACUUM INTO ?").bind(text_path(to)?).execute(self.pool()).await?;
        let copy = SqliteStorage::open(to).await?;
        let copied = sqlite_rows(&mut *copy.pool().acquire().await?).await;
        copy.pool().close().await;
        copied
    }

    /// Replaces the database's content by that of a SQLite backup, in one transaction.
    pub async fn restore(&self, from: &Path, force: bool) -> Result<Copied, BackupError> {
        let mut header = [0u8; 16];
        let mut file = std::fs::File::open(from).map_err(file_error(from))?;
        std::io::Read::read_exact(&mut file, &mut header).map_err(|_| BackupError::NotABackup {
            path: from.to_owned(),
            why: "it is not a SQLite file (a PostgreSQL export restores only into PostgreSQL)".into(),
        })?;
        if &header != b"SQLite format 3\0" {
            return Err(BackupError::NotABackup {
                path: from.to_owned(),
                why: "it is not a SQLite file (a PostgreSQL export restores only into PostgreSQL)".into(),
            });
        }
        // A copy, brought up to this server's schema, so the backup itself is never changed.
        let staged = std::env::temp_dir().join(format!("baoxue-restore-{}-{}.db", std::process::id(), now_nanos()));
        std::fs::copy(from, &staged).map_err(file_error(from))?;
        let result = self.restore_staged(&staged, force).await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", staged.display()));
        }
        result
    }

    async fn restore_staged(&self, staged: &Path, force: bool) -> Result<Copied, BackupError> {
        let copy = SqliteStorage::open(staged).await.map_err(|error| BackupError::NotABackup {
            path: staged.to_owned(),
            why: format!("it does not open as a Baoxue database: {error}"),
        })?;
        copy.pool().close().await;
        // ATTACH cannot run inside a transaction, so the restore holds one connection.
        let mut connection = self.pool().acquire().await?;
        sqlx::query("ATTACH DATABASE ? AS backup").bind(text_path(staged)?).execute(&mut *connection).await?;
        let result = async {
            let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
            let present = sqlite_rows(&mut tx).await?;
            if present.rows > 0 && !force {
                return Err(BackupError::NotEmpty { rows: present.rows, mutations: present.mutations });
            }
            let epoch = super::new_epoch()?;
            for table in OPERATOR_TABLES {
                sqlx::query(&format!("DROP TABLE IF EXISTS temp.kept_{table}")).execute(&mut *tx).await?;
            }
            for statement in set_aside("main.", "") {
                sqlx::query(&statement).execute(&mut *tx).await?;
            }
            // Derived from the mutations being replaced: worked out again after the restore.
            sqlx::query("DELETE FROM main.school_figures").execute(&mut *tx).await?;
            for table in TABLES.iter().rev() {
                sqlx::query(&format!("DELETE FROM main.{table}")).execute(&mut *tx).await?;
            }
            for table in TABLES {
                sqlx::query(&format!("INSERT INTO main.{table} SELECT * FROM backup.{table}"))
                    .execute(&mut *tx)
                    .await?;
            }
            for statement in carry_over("main.", &epoch) {
                sqlx::query(&statement).execute(&mut *tx).await?;
            }
            for table in OPERATOR_TABLES {
                sqlx::query(&format!("DROP TABLE temp.kept_{table}")).execute(&mut *tx).await?;
            }
            let copied = sqlite_rows(&mut tx).await?;
            tx.commit().await?;
            Ok(copied)
        }
        .await;
        sqlx::query("DETACH DATABASE backup").execute(&mut *connection).await?;
        result
    }
}

async fn sqlite_rows(connection: &mut sqlx::SqliteConnection) -> Result<Copied, BackupError> {
    let mut counts = Vec::new();
    for table in TABLES {
        let rows: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM main.{table}")).fetch_one(&mut *connection).await?;
        counts.push((table, rows));
    }
    Ok(add_up(counts))
}

fn now_nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|since| since.as_nanos()).unwrap_or(0)
}

#[derive(Serialize, Deserialize)]
struct ExportHeader {
    format: String,
    /// The newest migration applied to the exported database.
    schema: i64,
    made_ms: i64,
}

#[derive(Deserialize)]
struct ExportLine {
    table: String,
    row: Box<serde_json::value::RawValue>,
}

impl PostgresStorage {
    /// A portable export of every table, all read in one `REPEATABLE READ` snapshot while the
    /// server runs. Written to `<to>.partial` and renamed when complete, so a file named `to`
    /// is always whole.
    pub async fn backup(&self, to: &Path, now_ms: i64) -> Result<Copied, BackupError> {
        if to.exists() {
            return Err(BackupError::TargetExists(to.to_owned()));
        }
        let partial = PathBuf::from(format!("{}.partial", to.display()));
        let result = export(self.pool(), &partial, now_ms).await;
        match result {
            Ok(copied) => {
                std::fs::rename(&partial, to).map_err(file_error(to))?;
                Ok(copied)
            }
            Err(error) => {
                let _ = std::fs::remove_file(&partial);
                Err(error)
            }
        }
    }

    /// Replaces the database's content by an export's, in one transaction.
    pub async fn restore(&self, from: &Path, force: bool) -> Result<Copied, BackupError> {
        let file = std::fs::File::open(from).map_err(file_error(from))?;
        let mut lines = BufReader::new(file).lines();
        let not_export = |why: &str| BackupError::NotABackup { path: from.to_owned(), why: why.to_owned() };
        let first = lines
            .next()
            .transpose()
            .map_err(|_| not_export("it is not a PostgreSQL export (a SQLite backup restores only into SQLite)"))?
            .ok_or_else(|| not_export("it is empty"))?;
        let header: ExportHeader = serde_json::from_str(&first)
            .map_err(|_| not_export("it is not a PostgreSQL export (a SQLite backup restores only into SQLite)"))?;
        if header.format != FORMAT {
            return Err(not_export("its first line does not name a Baoxue PostgreSQL export"));
        }
        let pool = self.pool();
        let mut tx = pool.begin().await?;
        let expected = schema_version(&mut tx).await?;
        if header.schema != expected {
            return Err(BackupError::SchemaMismatch { path: from.to_owned(), found: header.schema, expected });
        }
        // No server process may write while the content is replaced.
        sqlx::query(&format!("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE", TABLES.join(", "))).execute(&mut *tx).await?;
        let present = postgres_rows(&mut tx).await?;
        if present.rows > 0 && !force {
            return Err(BackupError::NotEmpty { rows: present.rows, mutations: present.mutations });
        }
        for statement in set_aside("", "ON COMMIT DROP") {
            sqlx::query(&statement).execute(&mut *tx).await?;
        }
        sqlx::query(&format!("TRUNCATE {}", TABLES.join(", "))).execute(&mut *tx).await?;
        // Derived from the mutations being replaced: worked out again after the restore.
        sqlx::query("DELETE FROM school_figures").execute(&mut *tx).await?;
        let mut pending: Option<(&'static str, Vec<Box<serde_json::value::RawValue>>)> = None;
        for (number, line) in lines.enumerate() {
            let line = line.map_err(file_error(from))?;
            let line: ExportLine = serde_json::from_str(&line)
                .map_err(|error| not_export(&format!("line {} is not a table row: {error}", number + 2)))?;
            // Table names come from the file: only the server's own are ever put into SQL.
            let table = TABLES
                .into_iter()
                .find(|known| *known == line.table)
                .ok_or_else(|| not_export(&format!("line {} names an unknown table {:?}", number + 2, line.table)))?;
            if pending.as_ref().is_some_and(|(current, rows)| *current != table || rows.len() >= CHUNK) {
                if let Some((current, rows)) = pending.take() {
                    insert_rows(&mut tx, current, &rows).await?;
                }
            }
            pending.get_or_insert_with(|| (table, Vec::new())).1.push(line.row);
        }
        if let Some((current, rows)) = pending.take() {
            insert_rows(&mut tx, current, &rows).await?;
        }
        for statement in carry_over("", &super::new_epoch()?) {
            sqlx::query(&statement).execute(&mut *tx).await?;
        }
        let copied = postgres_rows(&mut tx).await?;
        tx.commit().await?;
        Ok(copied)
    }
}

async fn schema_version(connection: &mut sqlx::PgConnection) -> Result<i64, BackupError> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&mut *connection).await?;
    Ok(version.unwrap_or(0))
}

async fn postgres_rows(connection: &mut sqlx::PgConnection) -> Result<Copied, BackupError> {
    let mut counts = Vec::new();
    for table in TABLES {
        let rows: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut *connection).await?;
        counts.push((table, rows));
    }
    Ok(add_up(counts))
}

async fn insert_rows(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    table: &'static str,
    rows: &[Box<serde_json::value::RawValue>],
) -> Result<(), BackupError> {
    let array = format!("[{}]", rows.iter().map(|row| row.get()).collect::<Vec<_>>().join(","));
    sqlx::query(&format!("INSERT INTO {table} SELECT * FROM json_populate_recordset(NULL::{table}, $1::json)"))
        .bind(array)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn export(pool: &PgPool, path: &Path, now_ms: i64) -> Result<Copied, BackupError> {
    let file = std::fs::File::create(path).map_err(file_error(path))?;
    let mut out = BufWriter::new(file);
    // One snapshot for every table: a push committing meanwhile is in none of them or all.
    let mut tx = pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let header = ExportHeader { format: FORMAT.to_owned(), schema: schema_version(&mut tx).await?, made_ms: now_ms };
    let header = serde_json::to_string(&header)
        .map_err(|error| BackupError::File { path: path.to_owned(), source: std::io::Error::other(error) })?;
    writeln!(out, "{header}").map_err(file_error(path))?;
    let mut copied = Copied::default();
    for table in TABLES {
        sqlx::query(&format!(
            "DECLARE export_rows NO SCROLL CURSOR FOR SELECT json_build_object('table', '{table}', 'row', row_to_json(t))::text FROM {table} t"
        ))
        .execute(&mut *tx)
        .await?;
        loop {
            let lines: Vec<String> =
                sqlx::query_scalar(&format!("FETCH {CHUNK} FROM export_rows")).fetch_all(&mut *tx).await?;
            for line in &lines {
                writeln!(out, "{line}").map_err(file_error(path))?;
            }
            let count = i64::try_from(lines.len()).unwrap_or(i64::MAX);
            copied.rows += count;
            if table == "mutations" {
                copied.mutations += count;
            }
            if lines.len() < CHUNK {
                break;
            }
        }
        sqlx::query("CLOSE export_rows").execute(&mut *tx).await?;
    }
    tx.commit().await?;
    out.flush().map_err(file_error(path))?;
    out.into_inner()
        .map_err(|error| BackupError::File { path: path.to_owned(), source: error.into_error() })?
        .sync_all()
        .map_err(file_error(path))?;
    Ok(copied)
}
