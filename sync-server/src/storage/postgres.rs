//! The PostgreSQL backend, for several server processes on one database. Every push locks its
//! device's row (`SELECT … FOR UPDATE`), so two processes handling the same phone's retry
//! take turns and the second sees the first one's head. The school's row is locked by the
//! `UPDATE` that takes its cursor numbers and stays locked until commit, so the pushes of one
//! school commit in cursor order: a pull never sees number 12 before 11 is committed. Locks are
//! always taken device first, then school, so two pushes cannot deadlock.

use super::push::{self, BeginPush, HeadRow, PullSql, PushSql};
use super::rows::{
    device_clocks, device_rows, figure_rows, placements, rejection_rows, school_counts, school_counts_of, school_rows,
    share_link, usable_code, DeviceTuple, FigureTuple, PlacementTuple, SchoolTuple, ShareLinkTuple,
};
use super::{
    from_db, open_conflict, redact_password, refused_record, rejected_body, to_db, to_json, DeviceAccess, DeviceClock,
    DeviceRow, EnrollRefusal, FigureRow, FreshOrgIds, RejectionRow, SchoolCounts, SchoolPlace, SchoolPlacement,
    SchoolRow, ShareLinkRow, ShareUnit, Storage, StorageError,
};
use baoxue_domain::ids::{DeviceId, MutationId, SchoolId};
use baoxue_domain::mutation::{ContentHash, Mutation};
use baoxue_domain::sync::{
    ChainHead, Conflict, DeviceHead, OpenConflict, PullAnswer, PullRequest, PushReceipt, RejectionReason, RelayReceipt,
    Version,
};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::time::Duration;
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct PostgresStorage {
    pool: PgPool,
}

impl PostgresStorage {
    /// Every school's kept row, `summary` the column its figures are read from (an empty text
    /// for the marks alone: what a view checks before it reads any figures).
    async fn kept_figures(&self, summary: &str) -> Result<Vec<FigureRow>, StorageError> {
        let sql =
            format!("SELECT school, taken_on, watermark, {summary}, computed_ms FROM school_figures ORDER BY school");
        let rows: Vec<FigureTuple<Uuid>> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
        figure_rows(rows)
    }

    pub(super) fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Connects and brings the schema up to date. Migrations take an advisory lock, so several
    /// processes starting together migrate once.
    pub async fn open(url: &str) -> Result<PostgresStorage, StorageError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|source| StorageError::ConnectPostgres { url: redact_password(url), source })?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        sqlx::query("INSERT INTO server_epoch (only_row, epoch) VALUES (1, $1) ON CONFLICT DO NOTHING")
            .bind(super::new_epoch()?)
            .execute(&pool)
            .await?;
        Ok(PostgresStorage { pool })
    }
}

/// One push's transaction on PostgreSQL. The device's row is locked first (`FOR UPDATE`), then
/// the school's (by the `UPDATE` that takes its numbers): always in that order, so two pushes
/// cannot deadlock.
pub(super) struct PostgresPush {
    tx: Transaction<'static, Postgres>,
}

impl PushSql for PostgresPush {
    async fn device_head(&mut self, device: DeviceId) -> Result<Option<HeadRow>, StorageError> {
        Ok(sqlx::query_as("SELECT last_seq, last_hash, revoked_ms, school::text FROM devices WHERE id = $1 FOR UPDATE")
            .bind(device.0)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn applied_between(
        &mut self,
        device: DeviceId,
        low: i64,
        high: i64,
    ) -> Result<Vec<(i64, String)>, StorageError> {
        Ok(sqlx::query_as("SELECT seq, hash FROM mutations WHERE device = $1 AND seq BETWEEN $2 AND $3")
            .bind(device.0)
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
            "SELECT seq, hash, reason::text FROM rejections WHERE device = $1 AND uses_counter AND seq BETWEEN $2 AND $3",
        )
        .bind(device.0)
        .bind(low)
        .bind(high)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn ids_taken(&mut self, ids: &[MutationId]) -> Result<Vec<MutationId>, StorageError> {
        let ids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
        let taken: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM mutations WHERE id = ANY($1)")
            .bind(&ids)
            .fetch_all(&mut *self.tx)
            .await?;
        Ok(taken.into_iter().map(MutationId).collect())
    }

    async fn known_records(&mut self, school: SchoolId, keys: &[String]) -> Result<Vec<String>, StorageError> {
        Ok(sqlx::query_scalar("SELECT DISTINCT defines FROM mutations WHERE school = $1 AND defines = ANY($2)")
            .bind(school.0)
            .bind(keys)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn refused_records(&mut self, school: SchoolId, keys: &[String]) -> Result<Vec<String>, StorageError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT r.defines FROM rejections r JOIN devices d ON d.id = r.device \
             WHERE d.school = $1 AND r.defines = ANY($2)",
        )
        .bind(school.0)
        .bind(keys)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn take_server_seqs(&mut self, school: SchoolId, count: i64) -> Result<Option<i64>, StorageError> {
        Ok(sqlx::query_scalar(
            "UPDATE schools SET last_server_seq = last_server_seq + $1 WHERE id = $2 RETURNING last_server_seq",
        )
        .bind(count)
        .bind(school.0)
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
             VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)",
        )
        .bind(school.0)
        .bind(server_seq)
        .bind(mutation.id.0)
        .bind(mutation.device.0)
        .bind(to_db(mutation.seq))
        .bind(mutation.hash().to_string())
        .bind(to_json(mutation))
        .bind(now_ms)
        .bind(relayed_by.map(|device| device.0))
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
            "SELECT slot, version::text FROM contested_slots WHERE school = $1 AND slot = ANY($2) FOR UPDATE",
        )
        .bind(school.0)
        .bind(keys)
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
            "SELECT c.body::text, EXISTS (SELECT 1 FROM conflict_views v WHERE v.device = $1 \
             AND v.showing = c.showing AND v.other = c.other) FROM conflicts c \
             WHERE c.school = $2 AND c.resolved_ms IS NULL AND c.slot = ANY($3) FOR UPDATE OF c",
        )
        .bind(device.0)
        .bind(school.0)
        .bind(keys)
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
            "INSERT INTO conflicts (school, slot, showing, other, body, found_ms) \
             VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT DO NOTHING",
        )
        .bind(school.0)
        .bind(conflict.slot.key())
        .bind(conflict.showing.mutation.0)
        .bind(conflict.other.mutation.0)
        .bind(to_json(conflict))
        .bind(now_ms)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn resolve_conflict(&mut self, conflict: &Conflict, now_ms: i64) -> Result<(), StorageError> {
        sqlx::query("UPDATE conflicts SET resolved_ms = $1 WHERE showing = $2 AND other = $3 AND resolved_ms IS NULL")
            .bind(now_ms)
            .bind(conflict.showing.mutation.0)
            .bind(conflict.other.mutation.0)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn put_held(&mut self, school: SchoolId, key: &str, versions: &[Version]) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO contested_slots (school, slot, version) VALUES ($1, $2, $3::jsonb) \
             ON CONFLICT (school, slot) DO UPDATE SET version = excluded.version",
        )
        .bind(school.0)
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
             VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(device.0)
        .bind(to_db(mutation.seq))
        .bind(mutation.hash().to_string())
        .bind(mutation.id.0)
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
        sqlx::query("UPDATE devices SET last_seq = $1, last_hash = $2, last_seen_ms = $3 WHERE id = $4")
            .bind(to_db(head.seq))
            .bind(head.hash.to_string())
            .bind(now_ms)
            .bind(device.0)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn set_relayed_head(&mut self, device: DeviceId, head: ChainHead) -> Result<(), StorageError> {
        sqlx::query("UPDATE devices SET last_seq = $1, last_hash = $2 WHERE id = $3")
            .bind(to_db(head.seq))
            .bind(head.hash.to_string())
            .bind(device.0)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn commit(self) -> Result<(), StorageError> {
        Ok(self.tx.commit().await?)
    }
}

impl BeginPush for PostgresStorage {
    type Sql = PostgresPush;

    async fn begin_push(&self) -> Result<PostgresPush, StorageError> {
        Ok(PostgresPush { tx: self.pool.begin().await? })
    }
}

impl PullSql for PostgresStorage {
    async fn epoch(&self) -> Result<String, StorageError> {
        Ok(sqlx::query_scalar("SELECT epoch FROM server_epoch").fetch_one(&self.pool).await?)
    }

    async fn school_cursor(&self, school: SchoolId) -> Result<Option<i64>, StorageError> {
        Ok(sqlx::query_scalar("SELECT last_server_seq FROM schools WHERE id = $1")
            .bind(school.0)
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
            "SELECT server_seq, body::text FROM mutations WHERE school = $1 AND server_seq > $2 \
             ORDER BY server_seq LIMIT $3",
        )
        .bind(school.0)
        .bind(after)
        .bind(count)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Storage for PostgresStorage {
    fn kind(&self) -> &'static str {
        "postgres"
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
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO counties (id, name, created_ms) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(fresh.county.0)
            .bind(&place.county)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        let county: Uuid = sqlx::query_scalar("SELECT id FROM counties WHERE name = $1")
            .bind(&place.county)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO towns (id, county, name, created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (county, name) DO NOTHING",
        )
        .bind(fresh.town.0)
        .bind(county)
        .bind(&place.town)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        let town: Uuid = sqlx::query_scalar("SELECT id FROM towns WHERE county = $1 AND name = $2")
            .bind(county)
            .bind(&place.town)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO schools (id, town, name, created_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (town, name) DO NOTHING",
        )
        .bind(fresh.school.0)
        .bind(town)
        .bind(&place.school)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        let (school, last): (Uuid, i64) =
            sqlx::query_as("SELECT id, last_server_seq FROM schools WHERE town = $1 AND name = $2")
                .bind(town)
                .bind(&place.school)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(SchoolRow {
            id: SchoolId(school),
            county: place.county.clone(),
            town: place.town.clone(),
            name: place.school.clone(),
            last_server_seq: from_db(last, "a school cursor")?,
        })
    }

    async fn schools(&self) -> Result<Vec<SchoolRow>, StorageError> {
        let rows: Vec<SchoolTuple<Uuid>> = sqlx::query_as(
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
        let known: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM schools WHERE id = $1").bind(school.0).fetch_optional(&self.pool).await?;
        if known.is_none() {
            return Err(StorageError::NoSuchSchool(school));
        }
        sqlx::query("INSERT INTO enrollment_codes (code_hash, school, created_ms, expires_ms) VALUES ($1, $2, $3, $4)")
            .bind(code_hash)
            .bind(school.0)
            .bind(now_ms)
            .bind(expires_ms)
            .execute(&self.pool)
            .await?;
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
        let mut tx = self.pool.begin().await?;
        let code: Option<(Uuid, i64, Option<i64>)> =
            sqlx::query_as("SELECT school, expires_ms, used_ms FROM enrollment_codes WHERE code_hash = $1 FOR UPDATE")
                .bind(code_hash)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((school, expires_ms, used_ms)) = code else { return Ok(Err(EnrollRefusal::UnknownCode)) };
        if let Err(refusal) = usable_code(expires_ms, used_ms, now_ms) {
            return Ok(Err(refusal));
        }
        let inserted = sqlx::query(
            "INSERT INTO devices (id, school, token_hash, label, enrolled_ms, last_hash) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(device.0)
        .bind(school)
        .bind(token_hash)
        .bind(label)
        .bind(now_ms)
        .bind(ContentHash::default().to_string())
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Ok(Err(EnrollRefusal::DeviceTaken));
        }
        sqlx::query("UPDATE enrollment_codes SET used_ms = $1, used_by = $2 WHERE code_hash = $3")
            .bind(now_ms)
            .bind(device.0)
            .bind(code_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(SchoolId(school)))
    }

    async fn authenticate(&self, token_hash: &str) -> Result<Option<DeviceAccess>, StorageError> {
        let row: Option<(Uuid, Uuid, Option<i64>)> =
            sqlx::query_as("SELECT id, school, revoked_ms FROM devices WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(device, school, revoked_ms)| DeviceAccess {
            device: DeviceId(device),
            school: SchoolId(school),
            revoked_ms,
        }))
    }

    async fn record_last_seen(&self, seen: &[(DeviceId, i64)]) -> Result<(), StorageError> {
        if seen.is_empty() {
            return Ok(());
        }
        let devices: Vec<Uuid> = seen.iter().map(|(device, _)| device.0).collect();
        let times: Vec<i64> = seen.iter().map(|(_, seen_ms)| *seen_ms).collect();
        // `greatest` ignores NULL, and keeps a later time another server process wrote.
        sqlx::query(
            "UPDATE devices AS d SET last_seen_ms = greatest(d.last_seen_ms, seen.ms) \
             FROM unnest($1::uuid[], $2::bigint[]) AS seen(id, ms) WHERE d.id = seen.id",
        )
        .bind(devices)
        .bind(times)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn devices(&self) -> Result<Vec<DeviceRow>, StorageError> {
        let rows: Vec<DeviceTuple<Uuid>> = sqlx::query_as(
            "SELECT d.id, d.school, d.label, d.enrolled_ms, d.last_seen_ms, d.revoked_ms, d.last_seq, \
             (SELECT COUNT(*) FROM rejections r WHERE r.device = d.id) FROM devices d ORDER BY d.enrolled_ms, d.id",
        )
        .fetch_all(&self.pool)
        .await?;
        device_rows(rows)
    }

    async fn revoke(&self, device: DeviceId, now_ms: i64) -> Result<bool, StorageError> {
        let mut tx = self.pool.begin().await?;
        let revoked: Option<Option<i64>> =
            sqlx::query_scalar("SELECT revoked_ms FROM devices WHERE id = $1 FOR UPDATE")
                .bind(device.0)
                .fetch_optional(&mut *tx)
                .await?;
        let newly = match revoked {
            None => return Err(StorageError::NoSuchDevice(device)),
            Some(Some(_)) => false,
            Some(None) => {
                sqlx::query("UPDATE devices SET revoked_ms = $1 WHERE id = $2")
                    .bind(now_ms)
                    .bind(device.0)
                    .execute(&mut *tx)
                    .await?;
                true
            }
        };
        tx.commit().await?;
        Ok(newly)
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
        let rows: Vec<(Uuid, i64)> = sqlx::query_as("SELECT id, last_seq FROM devices WHERE school = $1 ORDER BY id")
            .bind(school.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|(id, seq)| Ok(DeviceHead { device: DeviceId(*id), seq: from_db(*seq, "a counter")? }))
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
            "SELECT seq, reason::text, rejected_ms FROM rejections WHERE device = $1 ORDER BY rejected_ms, seq",
        )
        .bind(device.0)
        .fetch_all(&self.pool)
        .await?;
        rejection_rows(device, rows)
    }

    async fn conflicts(&self, school: SchoolId) -> Result<Vec<OpenConflict>, StorageError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT body::text FROM conflicts WHERE school = $1 AND resolved_ms IS NULL ORDER BY found_ms, slot",
        )
        .bind(school.0)
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
        let mut tx = self.pool.begin().await?;
        // Rows locked so a push resolving one of them waits, and the list and the views noted
        // are the same conflicts.
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT body::text FROM conflicts WHERE school = $1 AND resolved_ms IS NULL \
             ORDER BY found_ms, slot FOR UPDATE",
        )
        .bind(school.0)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO conflict_views (device, showing, other, viewed_ms) \
             SELECT $1, showing, other, $2 FROM conflicts WHERE school = $3 AND resolved_ms IS NULL \
             ON CONFLICT DO NOTHING",
        )
        .bind(device.0)
        .bind(now_ms)
        .bind(school.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter().map(|body| open_conflict(body)).collect()
    }

    async fn school_counts(&self) -> Result<Vec<SchoolCounts>, StorageError> {
        let rows: Vec<(Uuid, i64, i64)> = sqlx::query_as(
            "SELECT s.id, (SELECT COUNT(*) FROM mutations m WHERE m.school = s.id), \
             (SELECT COUNT(*) FROM conflicts c WHERE c.school = s.id AND c.resolved_ms IS NULL) FROM schools s ORDER BY s.id",
        )
        .fetch_all(&self.pool)
        .await?;
        school_counts(rows)
    }

    async fn device_clocks(&self) -> Result<Vec<DeviceClock>, StorageError> {
        let rows: Vec<(Uuid, i64, i64)> = sqlx::query_as(
            "SELECT DISTINCT ON (device) device, \
             LEAST((body->'stamp'->>'wall_ms')::numeric, 9223372036854775807)::bigint, received_ms FROM mutations \
             ORDER BY device, seq DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        device_clocks(rows)
    }

    async fn placements(&self) -> Result<Vec<SchoolPlacement>, StorageError> {
        let rows: Vec<PlacementTuple<Uuid>> = sqlx::query_as(
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
        let known: Option<i32> = sqlx::query_scalar(&format!("SELECT 1 FROM {table} WHERE id = $1"))
            .bind(link.unit.id())
            .fetch_optional(&self.pool)
            .await?;
        if known.is_none() {
            return Err(StorageError::NoSuchUnit { kind: link.unit.kind(), id: link.unit.id() });
        }
        sqlx::query(
            "INSERT INTO share_links (id, token_hash, unit_kind, unit_id, label, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(link.id)
        .bind(token_hash)
        .bind(link.unit.kind())
        .bind(link.unit.id())
        .bind(&link.label)
        .bind(link.created_ms)
        .bind(link.expires_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn share_links(&self) -> Result<Vec<ShareLinkRow>, StorageError> {
        let rows: Vec<ShareLinkTuple<Uuid>> = sqlx::query_as(
            "SELECT id, unit_kind, unit_id, label, created_ms, expires_ms, revoked_ms FROM share_links \
             ORDER BY created_ms DESC, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(share_link).collect()
    }

    async fn share_link(&self, token_hash: &str) -> Result<Option<ShareLinkRow>, StorageError> {
        let row: Option<ShareLinkTuple<Uuid>> = sqlx::query_as(
            "SELECT id, unit_kind, unit_id, label, created_ms, expires_ms, revoked_ms FROM share_links WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(share_link).transpose()
    }

    async fn revoke_share_link(&self, id: uuid::Uuid, now_ms: i64) -> Result<bool, StorageError> {
        let known: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM share_links WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        if known.is_none() {
            return Err(StorageError::NoSuchShareLink(id));
        }
        let done = sqlx::query("UPDATE share_links SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL")
            .bind(now_ms)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn school_figures(&self) -> Result<Vec<FigureRow>, StorageError> {
        self.kept_figures("summary::text").await
    }

    async fn figure_marks(&self) -> Result<Vec<FigureRow>, StorageError> {
        self.kept_figures("''::text").await
    }

    async fn chain_breaks(&self) -> Result<Vec<(SchoolId, u64)>, StorageError> {
        let rows: Vec<(Uuid, i64)> = sqlx::query_as(
            "SELECT d.school, COUNT(DISTINCT r.device) FROM rejections r JOIN devices d ON d.id = r.device \
             WHERE r.reason->>'kind' IN ('counter_reused', 'broken_chain') GROUP BY d.school",
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
             VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (school) DO UPDATE SET \
             taken_on = excluded.taken_on, watermark = excluded.watermark, summary = excluded.summary, \
             computed_ms = excluded.computed_ms \
             WHERE (excluded.taken_on, excluded.watermark, excluded.computed_ms) > \
             (school_figures.taken_on, school_figures.watermark, school_figures.computed_ms)",
        )
        .bind(row.school.0)
        .bind(&row.taken_on)
        .bind(to_db(row.watermark))
        .bind(&row.summary)
        .bind(row.computed_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
