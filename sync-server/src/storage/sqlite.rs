//! The SQLite backend: one file, WAL, `synchronous=FULL`. SQLite has one writer at a time, so every writing
//! transaction starts with `BEGIN IMMEDIATE`: it takes the write lock before reading the chain
//! head, and a second process on the same file waits (busy timeout) instead of deciding on a
//! head that is about to change.

use super::push::{self, BeginPush, HeadRow, PullSql, PushSql};
use super::rows::{
    device_clocks, device_rows, figure_rows, placements, rejection_rows, school_counts, school_counts_of, school_rows,
    share_link, usable_code, DeviceTuple, FigureTuple, PlacementTuple, SchoolTuple, ShareLinkTuple,
};
use super::{
    from_db, open_conflict, refused_record, rejected_body, to_db, to_json, DeviceAccess, DeviceClock, DeviceRow,
    EnrollRefusal, FigureRow, FreshOrgIds, RejectionRow, SchoolCounts, SchoolPlace, SchoolPlacement, SchoolRow,
    ShareLinkRow, ShareUnit, Storage, StorageError,
};
use baoxue_domain::ids::{DeviceId, MutationId, SchoolId};
use baoxue_domain::mutation::{ContentHash, Mutation};
use baoxue_domain::sync::{
    ChainHead, Conflict, DeviceHead, OpenConflict, PullAnswer, PullRequest, PushReceipt, RejectionReason, RelayReceipt,
    Version,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// A school's chain heads (`GET /api/heads`), through the index `devices_by_school`.
const HEADS: &str = "SELECT id, last_seq FROM devices WHERE school = ? ORDER BY id";

#[derive(Clone, Debug)]
pub struct SqliteStorage {
    pool: SqlitePool,
}

fn parse_id<T: FromStr>(text: &str, what: &'static str) -> Result<T, StorageError> {
    text.parse().map_err(|_| StorageError::Corrupt { what, detail: format!("{text:?} is not an id") })
}

impl SqliteStorage {
    /// Every school's kept row, `summary` the column its figures are read from (an empty text
    /// for the marks alone: what a view checks before it reads any figures).
    async fn kept_figures(&self, summary: &str) -> Result<Vec<FigureRow>, StorageError> {
        let sql =
            format!("SELECT school, taken_on, watermark, {summary}, computed_ms FROM school_figures ORDER BY school");
        let rows: Vec<FigureTuple<String>> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
        figure_rows(rows)
    }

    pub(super) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Opens (creating if missing) the file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<SqliteStorage, StorageError> {
        let error = |source| StorageError::OpenSqlite { path: path.display().to_string(), source };
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(error)?
            .create_if_missing(true)
            // WAL lets phones pull while another push commits. FULL syncs the log on every
            // commit: NORMAL survives a process crash but can lose the last commits on a power
            // cut, and a phone told "accepted" then removes those changes from its outbox
            // (docs/benchmarks.md gives the cost; docs/protocol.md, "Restore").
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await.map_err(error)?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        sqlx::query("INSERT INTO server_epoch (only_row, epoch) VALUES (1, ?) ON CONFLICT DO NOTHING")
            .bind(super::new_epoch()?)
            .execute(&pool)
            .await?;
        Ok(SqliteStorage { pool })
    }

    async fn write(&self) -> Result<Transaction<'static, Sqlite>, StorageError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// One push's transaction on SQLite (begun with `BEGIN IMMEDIATE`: the write lock is held
/// from the first read, so no lock needs taking row by row).
pub(super) struct SqlitePush {
    tx: Transaction<'static, Sqlite>,
}

impl PushSql for SqlitePush {
    async fn device_head(&mut self, device: DeviceId) -> Result<Option<HeadRow>, StorageError> {
        Ok(sqlx::query_as("SELECT last_seq, last_hash, revoked_ms, school FROM devices WHERE id = ?")
            .bind(device.to_string())
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn applied_between(
        &mut self,
        device: DeviceId,
        low: i64,
        high: i64,
    ) -> Result<Vec<(i64, String)>, StorageError> {
        Ok(sqlx::query_as("SELECT seq, hash FROM mutations WHERE device = ? AND seq BETWEEN ? AND ?")
            .bind(device.to_string())
            .bind(low)
            .bind(high)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn refused_between(
        &mut self,
        device: DeviceId,
        low: i64,
        high: i64,
    ) -> Result<Vec<(i64, String, String)>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT seq, hash, reason FROM rejections WHERE device = ? AND uses_counter = 1 AND seq BETWEEN ? AND ?",
        )
        .bind(device.to_string())
        .bind(low)
        .bind(high)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn ids_taken(&mut self, ids: &[MutationId]) -> Result<Vec<MutationId>, StorageError> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let taken: Vec<String> =
            sqlx::query_scalar("SELECT id FROM mutations WHERE id IN (SELECT value FROM json_each(?))")
                .bind(to_json(&ids))
                .fetch_all(&mut *self.tx)
                .await?;
        taken.iter().map(|id| parse_id(id, "a mutation id")).collect()
    }

    async fn known_records(&mut self, school: SchoolId, keys: &[String]) -> Result<Vec<String>, StorageError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT defines FROM mutations \
             WHERE school = ? AND defines IN (SELECT value FROM json_each(?))",
        )
        .bind(school.to_string())
        .bind(to_json(&keys))
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn refused_records(&mut self, school: SchoolId, keys: &[String]) -> Result<Vec<String>, StorageError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT r.defines FROM rejections r JOIN devices d ON d.id = r.device \
             WHERE d.school = ? AND r.defines IN (SELECT value FROM json_each(?))",
        )
        .bind(school.to_string())
        .bind(to_json(&keys))
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn take_server_seqs(&mut self, school: SchoolId, count: i64) -> Result<Option<i64>, StorageError> {
        Ok(sqlx::query_scalar(
            "UPDATE schools SET last_server_seq = last_server_seq + ? WHERE id = ? RETURNING last_server_seq",
        )
        .bind(count)
        .bind(school.to_string())
        .fetch_optional(&mut *self.tx)
        .await?)
    }

    async fn insert_mutation(
        &mut self,
        school: SchoolId,
        server_seq: i64,
        mutation: &Mutation,
        relayed_by: Option<DeviceId>,
        now_ms: i64,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO mutations (school, server_seq, id, device, seq, hash, body, received_ms, relayed_by, defines) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(school.to_string())
        .bind(server_seq)
        .bind(mutation.id.to_string())
        .bind(mutation.device.to_string())
        .bind(to_db(mutation.seq))
        .bind(mutation.hash().to_string())
        .bind(to_json(mutation))
        .bind(now_ms)
        .bind(relayed_by.map(|device| device.to_string()))
        .bind(mutation.change.defines().map(|record| record.key()))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn held_versions(
        &mut self,
        school: SchoolId,
        keys: &[String],
    ) -> Result<Vec<(String, String)>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT slot, version FROM contested_slots WHERE school = ? AND slot IN (SELECT value FROM json_each(?))",
        )
        .bind(school.to_string())
        .bind(to_json(&keys))
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn open_conflicts(
        &mut self,
        school: SchoolId,
        keys: &[String],
        device: DeviceId,
    ) -> Result<Vec<(String, bool)>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT c.body, EXISTS (SELECT 1 FROM conflict_views v WHERE v.device = ? AND v.showing = c.showing \
             AND v.other = c.other) FROM conflicts c WHERE c.school = ? AND c.resolved_ms IS NULL \
             AND c.slot IN (SELECT value FROM json_each(?))",
        )
        .bind(device.to_string())
        .bind(school.to_string())
        .bind(to_json(&keys))
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn insert_conflict(
        &mut self,
        school: SchoolId,
        conflict: &Conflict,
        now_ms: i64,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO conflicts (school, slot, showing, other, body, found_ms) VALUES (?, ?, ?, ?, ?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .bind(school.to_string())
        .bind(conflict.slot.key())
        .bind(conflict.showing.mutation.to_string())
        .bind(conflict.other.mutation.to_string())
        .bind(to_json(conflict))
        .bind(now_ms)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn resolve_conflict(&mut self, conflict: &Conflict, now_ms: i64) -> Result<(), StorageError> {
        sqlx::query("UPDATE conflicts SET resolved_ms = ? WHERE showing = ? AND other = ? AND resolved_ms IS NULL")
            .bind(now_ms)
            .bind(conflict.showing.mutation.to_string())
            .bind(conflict.other.mutation.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn put_held(&mut self, school: SchoolId, key: &str, versions: &[Version]) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO contested_slots (school, slot, version) VALUES (?, ?, ?) \
             ON CONFLICT (school, slot) DO UPDATE SET version = excluded.version",
        )
        .bind(school.to_string())
        .bind(key)
        .bind(to_json(&versions))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn insert_rejection(
        &mut self,
        device: DeviceId,
        mutation: &Mutation,
        reason: &RejectionReason,
        now_ms: i64,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO rejections (device, seq, hash, id, uses_counter, reason, body, rejected_ms, defines) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(device.to_string())
        .bind(to_db(mutation.seq))
        .bind(mutation.hash().to_string())
        .bind(mutation.id.to_string())
        .bind(reason.uses_counter())
        .bind(to_json(reason))
        .bind(rejected_body(mutation))
        .bind(now_ms)
        .bind(refused_record(mutation, reason))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn set_head(&mut self, device: DeviceId, head: ChainHead, now_ms: i64) -> Result<(), StorageError> {
        sqlx::query("UPDATE devices SET last_seq = ?, last_hash = ?, last_seen_ms = ? WHERE id = ?")
            .bind(to_db(head.seq))
            .bind(head.hash.to_string())
            .bind(now_ms)
            .bind(device.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn set_relayed_head(&mut self, device: DeviceId, head: ChainHead) -> Result<(), StorageError> {
        sqlx::query("UPDATE devices SET last_seq = ?, last_hash = ? WHERE id = ?")
            .bind(to_db(head.seq))
            .bind(head.hash.to_string())
            .bind(device.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn commit(self) -> Result<(), StorageError> {
        Ok(self.tx.commit().await?)
    }
}

impl BeginPush for SqliteStorage {
    type Sql = SqlitePush;

    async fn begin_push(&self) -> Result<SqlitePush, StorageError> {
        Ok(SqlitePush { tx: self.write().await? })
    }
}

impl PullSql for SqliteStorage {
    async fn epoch(&self) -> Result<String, StorageError> {
        Ok(sqlx::query_scalar("SELECT epoch FROM server_epoch").fetch_one(&self.pool).await?)
    }

    async fn school_cursor(&self, school: SchoolId) -> Result<Option<i64>, StorageError> {
        Ok(sqlx::query_scalar("SELECT last_server_seq FROM schools WHERE id = ?")
            .bind(school.to_string())
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn mutations_after(
        &self,
        school: SchoolId,
        after: i64,
        count: i64,
    ) -> Result<Vec<(i64, String)>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT server_seq, body FROM mutations WHERE school = ? AND server_seq > ? ORDER BY server_seq LIMIT ?",
        )
        .bind(school.to_string())
        .bind(after)
        .bind(count)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Storage for SqliteStorage {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    async fn mutation_count(&self) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM mutations").fetch_one(&self.pool).await?)
    }

    async fn add_school(
        &self,
        place: &SchoolPlace,
        fresh: FreshOrgIds,
        now_ms: i64,
    ) -> Result<SchoolRow, StorageError> {
        let mut tx = self.write().await?;
        let county: Option<String> = sqlx::query_scalar("SELECT id FROM counties WHERE name = ?")
            .bind(&place.county)
            .fetch_optional(&mut *tx)
            .await?;
        let county = match county {
            Some(id) => id,
            None => {
                sqlx::query("INSERT INTO counties (id, name, created_ms) VALUES (?, ?, ?)")
                    .bind(fresh.county.to_string())
                    .bind(&place.county)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?;
                fresh.county.to_string()
            }
        };
        let town: Option<String> = sqlx::query_scalar("SELECT id FROM towns WHERE county = ? AND name = ?")
            .bind(&county)
            .bind(&place.town)
            .fetch_optional(&mut *tx)
            .await?;
        let town = match town {
            Some(id) => id,
            None => {
                sqlx::query("INSERT INTO towns (id, county, name, created_ms) VALUES (?, ?, ?, ?)")
                    .bind(fresh.town.to_string())
                    .bind(&county)
                    .bind(&place.town)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?;
                fresh.town.to_string()
            }
        };
        let school: Option<(String, i64)> =
            sqlx::query_as("SELECT id, last_server_seq FROM schools WHERE town = ? AND name = ?")
                .bind(&town)
                .bind(&place.school)
                .fetch_optional(&mut *tx)
                .await?;
        let (school, last_server_seq) = match school {
            Some((id, last)) => (parse_id(&id, "a school id")?, from_db(last, "a school cursor")?),
            None => {
                sqlx::query("INSERT INTO schools (id, town, name, created_ms) VALUES (?, ?, ?, ?)")
                    .bind(fresh.school.to_string())
                    .bind(&town)
                    .bind(&place.school)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?;
                (fresh.school, 0)
            }
        };
        tx.commit().await?;
        Ok(SchoolRow {
            id: school,
            county: place.county.clone(),
            town: place.town.clone(),
            name: place.school.clone(),
            last_server_seq,
        })
    }

    async fn schools(&self) -> Result<Vec<SchoolRow>, StorageError> {
        let rows: Vec<SchoolTuple<String>> = sqlx::query_as(
            "SELECT s.id, c.name, t.name, s.name, s.last_server_seq FROM schools s \
             JOIN towns t ON t.id = s.town JOIN counties c ON c.id = t.county ORDER BY c.name, t.name, s.name",
        )
        .fetch_all(&self.pool)
        .await?;
        school_rows(rows)
    }

    async fn add_enrollment_code(
        &self,
        school: SchoolId,
        code_hash: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<(), StorageError> {
        let mut tx = self.write().await?;
        let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM schools WHERE id = ?")
            .bind(school.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StorageError::NoSuchSchool(school));
        }
        sqlx::query("INSERT INTO enrollment_codes (code_hash, school, created_ms, expires_ms) VALUES (?, ?, ?, ?)")
            .bind(code_hash)
            .bind(school.to_string())
            .bind(now_ms)
            .bind(expires_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn enroll(
        &self,
        code_hash: &str,
        device: DeviceId,
        label: &str,
        token_hash: &str,
        now_ms: i64,
    ) -> Result<Result<SchoolId, EnrollRefusal>, StorageError> {
        let mut tx = self.write().await?;
        let code: Option<(String, i64, Option<i64>)> =
            sqlx::query_as("SELECT school, expires_ms, used_ms FROM enrollment_codes WHERE code_hash = ?")
                .bind(code_hash)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((school, expires_ms, used_ms)) = code else { return Ok(Err(EnrollRefusal::UnknownCode)) };
        if let Err(refusal) = usable_code(expires_ms, used_ms, now_ms) {
            return Ok(Err(refusal));
        }
        let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM devices WHERE id = ?")
            .bind(device.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Ok(Err(EnrollRefusal::DeviceTaken));
        }
        sqlx::query(
            "INSERT INTO devices (id, school, token_hash, label, enrolled_ms, last_hash) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(device.to_string())
        .bind(&school)
        .bind(token_hash)
        .bind(label)
        .bind(now_ms)
        .bind(ContentHash::default().to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE enrollment_codes SET used_ms = ?, used_by = ? WHERE code_hash = ?")
            .bind(now_ms)
            .bind(device.to_string())
            .bind(code_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(parse_id(&school, "a school id")?))
    }

    async fn authenticate(&self, token_hash: &str) -> Result<Option<DeviceAccess>, StorageError> {
        let row: Option<(String, String, Option<i64>)> =
            sqlx::query_as("SELECT id, school, revoked_ms FROM devices WHERE token_hash = ?")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(device, school, revoked_ms)| {
            Ok(DeviceAccess {
                device: parse_id(&device, "a device id")?,
                school: parse_id(&school, "a school id")?,
                revoked_ms,
            })
        })
        .transpose()
    }

    async fn record_last_seen(&self, seen: &[(DeviceId, i64)]) -> Result<(), StorageError> {
        if seen.is_empty() {
            return Ok(());
        }
        // SQLite allows 32,766 parameters a statement; a server sees far fewer phones in one
        // flush, but a larger one goes in parts, in one transaction.
        let mut tx = self.write().await?;
        for part in seen.chunks(10_000) {
            let values = vec!["(?, ?)"; part.len()].join(", ");
            let sql = format!(
                "UPDATE devices SET last_seen_ms = max(coalesce(devices.last_seen_ms, seen.ms), seen.ms) \
                 FROM (SELECT column1 AS id, column2 AS ms FROM (VALUES {values})) AS seen WHERE devices.id = seen.id"
            );
            let mut query = sqlx::query(&sql);
            for (device, seen_ms) in part {
                query = query.bind(device.to_string()).bind(*seen_ms);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn devices(&self) -> Result<Vec<DeviceRow>, StorageError> {
        let rows: Vec<DeviceTuple<String>> = sqlx::query_as(
            "SELECT d.id, d.school, d.label, d.enrolled_ms, d.last_seen_ms, d.revoked_ms, d.last_seq, \
             (SELECT COUNT(*) FROM rejections r WHERE r.device = d.id) FROM devices d ORDER BY d.enrolled_ms, d.id",
        )
        .fetch_all(&self.pool)
        .await?;
        device_rows(rows)
    }

    async fn revoke(&self, device: DeviceId, now_ms: i64) -> Result<bool, StorageError> {
        let mut tx = self.write().await?;
        let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM devices WHERE id = ?")
            .bind(device.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StorageError::NoSuchDevice(device));
        }
        let done = sqlx::query("UPDATE devices SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL")
            .bind(now_ms)
            .bind(device.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn apply_batch(
        &self,
        device: DeviceId,
        school: SchoolId,
        batch: &[Mutation],
        now_ms: i64,
    ) -> Result<PushReceipt, StorageError> {
        push::apply_batch(self.begin_push().await?, device, school, batch, now_ms).await
    }

    async fn pull(&self, school: SchoolId, request: &PullRequest, now_ms: i64) -> Result<PullAnswer, StorageError> {
        push::pull(self, school, request, now_ms).await
    }

    async fn epoch(&self) -> Result<String, StorageError> {
        PullSql::epoch(self).await
    }

    async fn heads(&self, school: SchoolId) -> Result<Vec<DeviceHead>, StorageError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(HEADS).bind(school.to_string()).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|(id, seq)| Ok(DeviceHead { device: parse_id(id, "a device id")?, seq: from_db(*seq, "a counter")? }))
            .collect()
    }

    async fn relay(
        &self,
        relayer: DeviceId,
        school: SchoolId,
        batch: &[Mutation],
        now_ms: i64,
    ) -> Result<RelayReceipt, StorageError> {
        push::relay(self, relayer, school, batch, now_ms).await
    }

    async fn rejections(&self, device: DeviceId) -> Result<Vec<RejectionRow>, StorageError> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT seq, reason, rejected_ms FROM rejections WHERE device = ? ORDER BY rejected_ms, seq",
        )
        .bind(device.to_string())
        .fetch_all(&self.pool)
        .await?;
        rejection_rows(device, rows)
    }

    async fn conflicts(&self, school: SchoolId) -> Result<Vec<OpenConflict>, StorageError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM conflicts WHERE school = ? AND resolved_ms IS NULL ORDER BY found_ms, slot",
        )
        .bind(school.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|body| open_conflict(body)).collect()
    }

    async fn show_conflicts(
        &self,
        device: DeviceId,
        school: SchoolId,
        now_ms: i64,
    ) -> Result<Vec<OpenConflict>, StorageError> {
        let mut tx = self.write().await?;
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM conflicts WHERE school = ? AND resolved_ms IS NULL ORDER BY found_ms, slot",
        )
        .bind(school.to_string())
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO conflict_views (device, showing, other, viewed_ms) \
             SELECT ?, showing, other, ? FROM conflicts WHERE school = ? AND resolved_ms IS NULL \
             ON CONFLICT DO NOTHING",
        )
        .bind(device.to_string())
        .bind(now_ms)
        .bind(school.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter().map(|body| open_conflict(body)).collect()
    }

    async fn school_counts(&self) -> Result<Vec<SchoolCounts>, StorageError> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT s.id, (SELECT COUNT(*) FROM mutations m WHERE m.school = s.id), \
             (SELECT COUNT(*) FROM conflicts c WHERE c.school = s.id AND c.resolved_ms IS NULL) FROM schools s ORDER BY s.id",
        )
        .fetch_all(&self.pool)
        .await?;
        school_counts(rows)
    }

    async fn device_clocks(&self) -> Result<Vec<DeviceClock>, StorageError> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT m.device, CAST(json_extract(m.body, '$.stamp.wall_ms') AS INTEGER), m.received_ms FROM mutations m \
             JOIN devices d ON d.id = m.device AND m.seq = (SELECT MAX(seq) FROM mutations WHERE device = d.id) \
             ORDER BY m.device",
        )
        .fetch_all(&self.pool)
        .await?;
        device_clocks(rows)
    }

    async fn placements(&self) -> Result<Vec<SchoolPlacement>, StorageError> {
        let rows: Vec<PlacementTuple<String>> = sqlx::query_as(
            "SELECT s.id, s.name, t.id, t.name, c.id, c.name, s.last_server_seq, \
             (SELECT m.received_ms FROM mutations m WHERE m.school = s.id ORDER BY m.server_seq DESC LIMIT 1) \
             FROM schools s JOIN towns t ON t.id = s.town JOIN counties c ON c.id = t.county \
             ORDER BY c.name, t.name, s.name",
        )
        .fetch_all(&self.pool)
        .await?;
        placements(rows)
    }

    async fn add_share_link(&self, link: &ShareLinkRow, token_hash: &str) -> Result<(), StorageError> {
        let table = match link.unit {
            ShareUnit::County(_) => "counties",
            ShareUnit::Town(_) => "towns",
            ShareUnit::School(_) => "schools",
        };
        let known: Option<i64> = sqlx::query_scalar(&format!("SELECT 1 FROM {table} WHERE id = ?"))
            .bind(link.unit.id().to_string())
            .fetch_optional(&self.pool)
            .await?;
        if known.is_none() {
            return Err(StorageError::NoSuchUnit { kind: link.unit.kind(), id: link.unit.id() });
        }
        sqlx::query(
            "INSERT INTO share_links (id, token_hash, unit_kind, unit_id, label, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(link.id.to_string())
        .bind(token_hash)
        .bind(link.unit.kind())
        .bind(link.unit.id().to_string())
        .bind(&link.label)
        .bind(link.created_ms)
        .bind(link.expires_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn share_links(&self) -> Result<Vec<ShareLinkRow>, StorageError> {
        let rows: Vec<ShareLinkTuple<String>> = sqlx::query_as(
            "SELECT id, unit_kind, unit_id, label, created_ms, expires_ms, revoked_ms FROM share_links \
             ORDER BY created_ms DESC, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(share_link).collect()
    }

    async fn share_link(&self, token_hash: &str) -> Result<Option<ShareLinkRow>, StorageError> {
        let row: Option<ShareLinkTuple<String>> = sqlx::query_as(
            "SELECT id, unit_kind, unit_id, label, created_ms, expires_ms, revoked_ms FROM share_links WHERE token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(share_link).transpose()
    }

    async fn revoke_share_link(&self, id: uuid::Uuid, now_ms: i64) -> Result<bool, StorageError> {
        let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM share_links WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        if known.is_none() {
            return Err(StorageError::NoSuchShareLink(id));
        }
        let done = sqlx::query("UPDATE share_links SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL")
            .bind(now_ms)
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn school_figures(&self) -> Result<Vec<FigureRow>, StorageError> {
        self.kept_figures("summary").await
    }

    async fn figure_marks(&self) -> Result<Vec<FigureRow>, StorageError> {
        self.kept_figures("''").await
    }

    async fn chain_breaks(&self) -> Result<Vec<(SchoolId, u64)>, StorageError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT d.school, COUNT(DISTINCT r.device) FROM rejections r JOIN devices d ON d.id = r.device \
             WHERE json_extract(r.reason, '$.kind') IN ('counter_reused', 'broken_chain') GROUP BY d.school",
        )
        .fetch_all(&self.pool)
        .await?;
        school_counts_of(rows)
    }

    async fn put_school_figures(&self, row: &FigureRow) -> Result<bool, StorageError> {
        // One statement: of two processes writing the same school, the row taken later (or from
        // more changes) stays, whichever commits last. Of two from the same changes the one
        // worked out later stays: the same figures, or a row of an earlier form worked out
        // again by this version.
        let done = sqlx::query(
            "INSERT INTO school_figures (school, taken_on, watermark, summary, computed_ms) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (school) DO UPDATE SET \
             taken_on = excluded.taken_on, watermark = excluded.watermark, summary = excluded.summary, \
             computed_ms = excluded.computed_ms \
             WHERE (excluded.taken_on, excluded.watermark, excluded.computed_ms) > \
             (school_figures.taken_on, school_figures.watermark, school_figures.computed_ms)",
        )
        .bind(row.school.to_string())
        .bind(&row.taken_on)
        .bind(to_db(row.watermark))
        .bind(&row.summary)
        .bind(row.computed_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heads of one school are read through an index: the simulation's long run slowed down
    /// case after case while this query scanned every device of the file (600,000 of them after
    /// 100,000 cases).
    #[tokio::test]
    async fn a_schools_heads_are_searched_not_scanned() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("plan.db")).await.unwrap();
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {HEADS}")).bind("x").fetch_all(storage.pool()).await.unwrap();
        let steps: Vec<&str> = plan.iter().map(|row| row.3.as_str()).collect();
        assert!(
            steps.iter().any(|step| step.starts_with("SEARCH devices USING") && step.contains("devices_by_school")),
            "{steps:?}"
        );
        assert!(!steps.iter().any(|step| step.starts_with("SCAN")), "{steps:?}");
    }
}
