//! Push and pull as both backends run them. The steps (load the chain, ask
//! `domain::sync::check_batch`, number and store what applies, find and resolve conflicts,
//! record refusals, move the head; page a school's mutations or ask for a resync) live here
//! once; a backend supplies only its SQL, through `PushSql` (inside the push's transaction,
//! which the backend opened with its own locking) and `PullSql`.

use super::{contested_slots, find_conflicts, from_db, parse_hash, parse_held, parse_json, to_db, StorageError};
use baoxue_domain::ids::{DeviceId, MutationId, SchoolId};
use baoxue_domain::mutation::Mutation;
use baoxue_domain::sync::{
    check_batch, ChainHead, Conflict, DeviceHead, PullAnswer, PullPage, PullRequest, PushReceipt, RecordRef,
    RejectionReason, RelayReceipt, Step, StoredChain, StoredSlot, Version,
};
use std::collections::BTreeMap;
use std::future::Future;

/// A device's row as a push reads it: `(last_seq, last_hash, revoked_ms, school)`.
pub(super) type HeadRow = (i64, String, Option<i64>, String);

/// The SQL of one push, run inside the transaction the backend opened. Rows come back as the
/// database holds them (counters as `i64`, hashes and JSON as text); the shared code parses
/// them and reports anything unreadable as `StorageError::Corrupt`.
pub(super) trait PushSql: Send {
    /// The device's chain head, locked until commit so two servers cannot both decide on it.
    fn device_head(&mut self, device: DeviceId) -> impl Future<Output = Result<Option<HeadRow>, StorageError>> + Send;

    /// `(seq, hash)` of the device's stored mutations with a counter in `low..=high`.
    fn applied_between(
        &mut self,
        device: DeviceId,
        low: i64,
        high: i64,
    ) -> impl Future<Output = Result<Vec<(i64, String)>, StorageError>> + Send;

    /// `(seq, hash, reason)` of the device's refusals that used up a counter in `low..=high`.
    fn refused_between(
        &mut self,
        device: DeviceId,
        low: i64,
        high: i64,
    ) -> impl Future<Output = Result<Vec<(i64, String, String)>, StorageError>> + Send;

    /// Which of `ids` the server already holds, under any device.
    fn ids_taken(&mut self, ids: &[MutationId]) -> impl Future<Output = Result<Vec<MutationId>, StorageError>> + Send;

    /// Which of the record keys (`RecordRef::key`) the school holds: a stored mutation of the
    /// school creates it.
    fn known_records(
        &mut self,
        school: SchoolId,
        keys: &[String],
    ) -> impl Future<Output = Result<Vec<String>, StorageError>> + Send;

    /// Which of the record keys a device of the school had refused for good.
    fn refused_records(
        &mut self,
        school: SchoolId,
        keys: &[String],
    ) -> impl Future<Output = Result<Vec<String>, StorageError>> + Send;

    /// Adds `count` to the school's cursor, locking its row until commit, and answers the new
    /// cursor; `None` if there is no such school.
    fn take_server_seqs(
        &mut self,
        school: SchoolId,
        count: i64,
    ) -> impl Future<Output = Result<Option<i64>, StorageError>> + Send;

    /// Stores an applied mutation; `relayed_by` names the device that sent it when that is
    /// not the device that made it (`POST /api/relay`).
    fn insert_mutation(
        &mut self,
        school: SchoolId,
        server_seq: i64,
        mutation: &Mutation,
        relayed_by: Option<DeviceId>,
        now_ms: i64,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// `(slot key, version JSON)` held for the given slot keys of the school.
    fn held_versions(
        &mut self,
        school: SchoolId,
        keys: &[String],
    ) -> impl Future<Output = Result<Vec<(String, String)>, StorageError>> + Send;

    /// The bodies of the school's open conflicts on the given slot keys, each with whether
    /// `device` was shown it.
    fn open_conflicts(
        &mut self,
        school: SchoolId,
        keys: &[String],
        device: DeviceId,
    ) -> impl Future<Output = Result<Vec<(String, bool)>, StorageError>> + Send;

    /// Records a conflict; one already recorded is left as it is.
    fn insert_conflict(
        &mut self,
        school: SchoolId,
        conflict: &Conflict,
        now_ms: i64,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    fn resolve_conflict(
        &mut self,
        conflict: &Conflict,
        now_ms: i64,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Stores the versions now holding a slot.
    fn put_held(
        &mut self,
        school: SchoolId,
        key: &str,
        versions: &[Version],
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Records a refusal; the same mutation refused before is left as it is.
    fn insert_rejection(
        &mut self,
        device: DeviceId,
        mutation: &Mutation,
        reason: &RejectionReason,
        now_ms: i64,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Moves the device's head after its own push, noting that the device was seen.
    fn set_head(
        &mut self,
        device: DeviceId,
        head: ChainHead,
        now_ms: i64,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Moves the head of a device whose mutations another phone relayed; the device itself
    /// was not seen.
    fn set_relayed_head(
        &mut self,
        device: DeviceId,
        head: ChainHead,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    fn commit(self) -> impl Future<Output = Result<(), StorageError>> + Send;
}

/// Checks and applies one device's batch in the transaction `sql` holds, then commits.
pub(super) async fn apply_batch(
    mut sql: impl PushSql,
    device: DeviceId,
    school: SchoolId,
    batch: &[Mutation],
    now_ms: i64,
) -> Result<PushReceipt, StorageError> {
    let Some(row) = sql.device_head(device).await? else {
        return Err(StorageError::NoSuchDevice(device));
    };
    let (head, revoked, _) = parse_head(row)?;
    if revoked {
        return Err(StorageError::DeviceRevoked(device));
    }
    let stored = stored_chain(&mut sql, device, head, batch).await?;

    let stored = records_of(&mut sql, school, stored, batch).await?;
    let plan = check_batch(device, school, u64::try_from(now_ms).unwrap_or(0), &stored, batch);
    let applied: Vec<&Mutation> = plan
        .steps
        .iter()
        .zip(batch)
        .filter(|(step, _)| matches!(step, Step::Apply))
        .map(|(_, mutation)| mutation)
        .collect();
    store_applied(&mut sql, device, school, &applied, None, now_ms).await?;
    for (index, (step, mutation)) in plan.steps.iter().zip(batch).enumerate() {
        let Step::Refuse(reason) = step else { continue };
        if plan.is_new_refusal(index, &stored, batch) {
            sql.insert_rejection(device, mutation, reason, now_ms).await?;
        }
    }
    sql.set_head(device, plan.head, now_ms).await?;
    sql.commit().await?;
    Ok(plan.receipt(batch, u64::try_from(now_ms).unwrap_or(0)))
}

/// Takes the run of another device's mutations that `relayer` sent, in the transaction `sql`
/// holds, then commits. Only what continues the device's chain is taken (the hashes prove it
/// unaltered): the run stops at the first mutation the domain's check would refuse or at a
/// gap, and nothing is recorded against the device, which did not send it. A device of
/// another school, or one the server does not know, gets nothing. A revoked device's run is
/// taken: it was made before the phone was lost, and other phones kept it. Answers the
/// device's head afterwards and how many mutations were taken.
async fn relay_run(
    mut sql: impl PushSql,
    relayer: DeviceId,
    device: DeviceId,
    school: SchoolId,
    run: &[Mutation],
    now_ms: i64,
) -> Result<Option<(DeviceHead, usize)>, StorageError> {
    let Some(row) = sql.device_head(device).await? else { return Ok(None) };
    let (head, _, device_school) = parse_head(row)?;
    if device_school != school || device == relayer {
        return Ok(None);
    }
    let stored = stored_chain(&mut sql, device, head, run).await?;
    let stored = records_of(&mut sql, school, stored, run).await?;
    let plan = check_batch(device, school, u64::try_from(now_ms).unwrap_or(0), &stored, run);
    let taken: Vec<&Mutation> = plan
        .steps
        .iter()
        .zip(run)
        .take_while(|(step, _)| !matches!(step, Step::Refuse(_)))
        .filter(|(step, _)| matches!(step, Step::Apply))
        .map(|(_, mutation)| mutation)
        .collect();
    store_applied(&mut sql, device, school, &taken, Some(relayer), now_ms).await?;
    let head = match taken.last() {
        Some(last) => {
            let moved = ChainHead { seq: last.seq, hash: last.hash() };
            sql.set_relayed_head(device, moved).await?;
            moved
        }
        None => head,
    };
    sql.commit().await?;
    Ok(Some((DeviceHead { device, seq: head.seq }, taken.len())))
}

/// A backend that can open a push's transaction.
pub(super) trait BeginPush: Sync {
    type Sql: PushSql;
    fn begin_push(&self) -> impl Future<Output = Result<Self::Sql, StorageError>> + Send;
}

/// Takes what `relayer` sends of other devices' chains: each device's run in a transaction of
/// its own (`relay_run`), so a relay never holds two devices' rows at once. A run held for a
/// record another run of the batch creates (a mark of one phone, the child of another) is
/// tried again after the others, as long as a round takes something.
pub(super) async fn relay(
    storage: &impl BeginPush,
    relayer: DeviceId,
    school: SchoolId,
    batch: &[Mutation],
    now_ms: i64,
) -> Result<RelayReceipt, StorageError> {
    let mut applied = 0;
    let mut heads: BTreeMap<DeviceId, DeviceHead> = BTreeMap::new();
    let mut runs = runs_by_device(batch);
    loop {
        let mut took = false;
        for (device, run) in runs.iter_mut().filter(|(_, run)| !run.is_empty()) {
            let sql = storage.begin_push().await?;
            match relay_run(sql, relayer, *device, school, run, now_ms).await? {
                Some((head, taken)) => {
                    heads.insert(*device, head);
                    applied += taken;
                    took |= taken > 0;
                    run.retain(|mutation| mutation.seq > head.seq);
                }
                None => run.clear(),
            }
        }
        if !took {
            break;
        }
    }
    Ok(RelayReceipt { applied, heads: heads.into_values().collect() })
}

/// A relay batch as runs per device, each in counter order.
fn runs_by_device(batch: &[Mutation]) -> BTreeMap<DeviceId, Vec<Mutation>> {
    let mut runs: BTreeMap<DeviceId, Vec<Mutation>> = BTreeMap::new();
    for mutation in batch {
        runs.entry(mutation.device).or_default().push(mutation.clone());
    }
    for run in runs.values_mut() {
        run.sort_by_key(|mutation| mutation.seq);
    }
    runs
}

/// A device row's head, whether it is revoked, and its school.
fn parse_head((last_seq, last_hash, revoked_ms, school): HeadRow) -> Result<(ChainHead, bool, SchoolId), StorageError> {
    let head = ChainHead { seq: from_db(last_seq, "a device counter")?, hash: parse_hash(&last_hash)? };
    let school = school
        .parse()
        .map_err(|_| StorageError::Corrupt { what: "a device's school", detail: format!("{school:?} is not an id") })?;
    Ok((head, revoked_ms.is_some(), school))
}

/// Numbers and stores applied mutations (all of `device`) and runs the conflict rule on them.
async fn store_applied(
    sql: &mut impl PushSql,
    device: DeviceId,
    school: SchoolId,
    applied: &[&Mutation],
    relayed_by: Option<DeviceId>,
    now_ms: i64,
) -> Result<(), StorageError> {
    if applied.is_empty() {
        return Ok(());
    }
    // Taking the school's numbers locks its row until commit, so cursors are handed out in
    // commit order and a pull never sees a number before an earlier one is committed.
    let count = i64::try_from(applied.len()).unwrap_or(i64::MAX);
    let last = sql.take_server_seqs(school, count).await?.ok_or(StorageError::NoSuchSchool(school))?;
    for (offset, mutation) in (0..).zip(applied) {
        sql.insert_mutation(school, last - count + 1 + offset, mutation, relayed_by, now_ms).await?;
    }
    record_conflicts(sql, device, school, applied, now_ms).await
}

/// What the server holds of the device's chain that `batch` is checked against.
async fn stored_chain(
    sql: &mut impl PushSql,
    device: DeviceId,
    head: ChainHead,
    batch: &[Mutation],
) -> Result<StoredChain, StorageError> {
    let mut stored = StoredChain { head, ..StoredChain::default() };
    if let Some(range) = StoredChain::slots_to_load(head, device, batch) {
        let (low, high) = (to_db(*range.start()), to_db(*range.end()));
        for (seq, hash) in sql.applied_between(device, low, high).await? {
            stored.slots.insert(from_db(seq, "a counter")?, StoredSlot { hash: parse_hash(&hash)?, refused: None });
        }
        for (seq, hash, reason) in sql.refused_between(device, low, high).await? {
            let slot = StoredSlot { hash: parse_hash(&hash)?, refused: Some(parse_json(&reason, "a rejection")?) };
            stored.slots.insert(from_db(seq, "a counter")?, slot);
        }
    }
    let candidates: Vec<MutationId> =
        batch.iter().filter(|mutation| mutation.device == device && mutation.seq > head.seq).map(|m| m.id).collect();
    if !candidates.is_empty() {
        stored.ids_in_use.extend(sql.ids_taken(&candidates).await?);
    }
    Ok(stored)
}

/// Adds to `stored` which of the records the batch names the school holds, and which were
/// refused for good.
async fn records_of(
    sql: &mut impl PushSql,
    school: SchoolId,
    mut stored: StoredChain,
    batch: &[Mutation],
) -> Result<StoredChain, StorageError> {
    let named = StoredChain::records_to_load(batch);
    if named.is_empty() {
        return Ok(stored);
    }
    let keys: Vec<String> = named.iter().map(RecordRef::key).collect();
    let parse = |key: String| {
        RecordRef::from_key(&key)
            .ok_or(StorageError::Corrupt { what: "a record key", detail: format!("{key:?} is not one") })
    };
    for key in sql.known_records(school, &keys).await? {
        stored.known.insert(parse(key)?);
    }
    let unknown: Vec<String> =
        named.iter().filter(|record| !stored.known.contains(record)).map(RecordRef::key).collect();
    if !unknown.is_empty() {
        for key in sql.refused_records(school, &unknown).await? {
            stored.refused_records.insert(parse(key)?);
        }
    }
    Ok(stored)
}

/// Runs the conflict rule over the applied mutations and writes what it found and resolved,
/// and the versions now holding their slots.
async fn record_conflicts(
    sql: &mut impl PushSql,
    device: DeviceId,
    school: SchoolId,
    applied: &[&Mutation],
    now_ms: i64,
) -> Result<(), StorageError> {
    let slots = contested_slots(applied);
    if slots.is_empty() {
        return Ok(());
    }
    let keys: Vec<String> = slots.keys().cloned().collect();
    let held = sql
        .held_versions(school, &keys)
        .await?
        .into_iter()
        .map(|(key, versions)| Ok((key, parse_held(&versions)?)))
        .collect::<Result<Vec<_>, StorageError>>()?;
    let open = sql
        .open_conflicts(school, &keys, device)
        .await?
        .iter()
        .map(|(body, shown)| Ok((parse_json::<Conflict>(body, "a conflict")?, *shown)))
        .collect::<Result<Vec<_>, StorageError>>()?;
    let changes = find_conflicts(applied, &slots, held, open);
    for conflict in &changes.found {
        sql.insert_conflict(school, conflict, now_ms).await?;
    }
    // After the inserts: a conflict found and resolved within one batch is recorded resolved.
    for conflict in &changes.resolved {
        sql.resolve_conflict(conflict, now_ms).await?;
    }
    for (key, versions) in &changes.held {
        sql.put_held(school, key, versions).await?;
    }
    Ok(())
}

/// The SQL of a pull.
pub(super) trait PullSql: Sync {
    /// The database's epoch (`server_epoch`).
    fn epoch(&self) -> impl Future<Output = Result<String, StorageError>> + Send;

    /// The school's cursor (its newest server sequence); `None` if there is no such school.
    fn school_cursor(&self, school: SchoolId) -> impl Future<Output = Result<Option<i64>, StorageError>> + Send;

    /// `(server_seq, body)` of the school's mutations after `after`, in order, at most `count`.
    fn mutations_after(
        &self,
        school: SchoolId,
        after: i64,
        count: i64,
    ) -> impl Future<Output = Result<Vec<(i64, String)>, StorageError>> + Send;
}

/// A school's mutations after a cursor, or a resync request for a cursor it never gave: one
/// counted under another epoch (the database was restored since), or above the school's newest.
pub(super) async fn pull(
    sql: &impl PullSql,
    school: SchoolId,
    request: &PullRequest,
    now_ms: i64,
) -> Result<PullAnswer, StorageError> {
    let (after, limit) = (request.after, request.page_size());
    let server_time_ms = u64::try_from(now_ms).unwrap_or(0);
    let epoch = sql.epoch().await?;
    let latest = sql.school_cursor(school).await?.ok_or(StorageError::NoSuchSchool(school))?;
    let latest = from_db(latest, "a school cursor")?;
    let other_epoch = request.epoch.as_ref().is_some_and(|phone| *phone != epoch);
    if after > latest || (other_epoch && after > 0) {
        return Ok(PullAnswer::ResyncRequired { latest, server_time_ms, epoch });
    }
    // One more than the page holds tells whether more follow.
    let rows = sql.mutations_after(school, to_db(after), i64::from(limit) + 1).await?;
    let page_size = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > page_size;
    let mutations = rows
        .into_iter()
        .take(page_size)
        .map(|(seq, body)| Ok((from_db(seq, "a server sequence")?, parse_json::<Mutation>(&body, "a mutation")?)))
        .collect::<Result<Vec<_>, StorageError>>()?;
    let next = mutations.last().map_or(after, |(seq, _)| *seq);
    Ok(PullAnswer::Page(PullPage { mutations, next, more, server_time_ms, epoch }))
}
