//! The storage suite: every check runs on a SQLite file and on PostgreSQL (the server `cargo
//! xtask test` starts), through the one `Storage` trait, so the backends cannot drift.

mod support;

use baoxue_domain::attendance::MarkKind;
use baoxue_domain::case::CaseStatus;
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::{CaseId, CountyId, DeviceId, SchoolId};
use baoxue_domain::mutation::{DeviceChain, Mutation};
use baoxue_domain::sync::{ContestedSlot, PullAnswer, PullPage, PullRequest, RejectionReason};
use baoxue_sync_server::credentials::hash_secret;
use baoxue_sync_server::storage::{Database, EnrollRefusal, FigureRow, ShareLinkRow, ShareUnit, Storage, StorageError};
use std::collections::BTreeSet;
use support::*;

/// A page of the school's mutations after `after`, without the school's roster
/// (`support::school`), which every check's school starts with.
async fn page(database: &Database, school: baoxue_domain::ids::SchoolId, after: u64, limit: u32) -> PullPage {
    match database.pull(school, &PullRequest { after, limit: Some(limit), epoch: None }, NOW).await.unwrap() {
        PullAnswer::Page(mut page) => {
            page.mutations.retain(|(_, mutation)| !is_roster(mutation));
            page
        }
        other => panic!("expected a page after {after}, got {other:?}"),
    }
}

async fn resent_batch_is_stored_once(database: &Database) {
    let school = school(database, "resent").await;
    let (phone, _) = enrolled_phone(database, school).await;
    let batch = marks(phone, school, 3);
    let first = database.apply_batch(phone, school, &batch, NOW).await.unwrap();
    assert_eq!((first.accepted_through, first.applied, first.skipped_duplicates), (3, 3, 0));
    let again = database.apply_batch(phone, school, &batch, NOW).await.unwrap();
    assert_eq!((again.accepted_through, again.applied, again.skipped_duplicates), (3, 0, 3));
    assert_eq!(page(database, school, 0, 1_000).await.mutations.len(), 3);
}

async fn reused_counter_is_refused_and_reported(database: &Database) {
    let school = school(database, "reused").await;
    let (phone, _) = enrolled_phone(database, school).await;
    let batch = marks(phone, school, 2);
    database.apply_batch(phone, school, &batch, NOW).await.unwrap();
    // The phone is restored from a backup taken after its first change and writes another 2.
    let mut restored = DeviceChain::new(phone);
    restored.last_seq = 1;
    restored.last_hash = batch[0].hash();
    let other = next(&mut restored, school, mark(9, MarkKind::Present), NOW as u64 + 50);
    assert_eq!(other.seq, 2);
    let receipt = database.apply_batch(phone, school, std::slice::from_ref(&other), NOW).await.unwrap();
    assert_eq!(receipt.applied, 0);
    assert_eq!(receipt.rejected.len(), 1);
    assert_eq!(receipt.rejected[0].reason, RejectionReason::CounterReused { seq: 2 });
    let rows = database.rejections(phone).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].reason, RejectionReason::CounterReused { seq: 2 });
    // The first change 2 stays; the refused one is nowhere to be pulled.
    let pulled = page(database, school, 0, 1_000).await;
    assert_eq!(pulled.mutations.iter().map(|(_, m)| m.id).collect::<Vec<_>>(), vec![batch[0].id, batch[1].id]);
}

async fn a_gap_stops_and_the_resend_completes(database: &Database) {
    let school = school(database, "gap").await;
    let (phone, _) = enrolled_phone(database, school).await;
    let chain = marks(phone, school, 5);
    let holed = [chain[0].clone(), chain[1].clone(), chain[3].clone(), chain[4].clone()];
    let receipt = database.apply_batch(phone, school, &holed, NOW).await.unwrap();
    assert_eq!((receipt.accepted_through, receipt.applied), (2, 2));
    assert!(receipt.rejected.is_empty());
    assert_eq!(receipt.gap.map(|gap| (gap.expected, gap.found)), Some((3, 4)));
    let receipt = database.apply_batch(phone, school, &chain[2..], NOW).await.unwrap();
    assert_eq!((receipt.accepted_through, receipt.applied, receipt.gap), (5, 3, None));
    let seqs: Vec<u64> = page(database, school, 0, 1_000).await.mutations.iter().map(|(_, m)| m.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
}

async fn a_refused_change_does_not_jam_the_queue(database: &Database) {
    let school = school(database, "jam").await;
    let elsewhere = support::school(database, "jam-elsewhere").await;
    let (phone, _) = enrolled_phone(database, school).await;
    let mut chain = DeviceChain::new(phone);
    let batch = vec![
        next(&mut chain, school, mark(1, MarkKind::Late), NOW as u64),
        next(&mut chain, elsewhere, mark(2, MarkKind::Late), NOW as u64 + 1),
        next(&mut chain, school, mark(3, MarkKind::Late), NOW as u64 + 2),
    ];
    let receipt = database.apply_batch(phone, school, &batch, NOW).await.unwrap();
    assert_eq!((receipt.accepted_through, receipt.applied), (3, 2));
    assert_eq!(receipt.rejected[0].reason, RejectionReason::WrongSchool { expected: school, found: elsewhere });
    // A resend after a lost answer reports the same refusal and records it once.
    let again = database.apply_batch(phone, school, &batch, NOW).await.unwrap();
    assert_eq!((again.applied, again.skipped_duplicates, again.rejected), (0, 2, receipt.rejected));
    assert_eq!(database.rejections(phone).await.unwrap().len(), 1);
    assert!(page(database, elsewhere, 0, 1_000).await.mutations.is_empty(), "nothing reached the other school");
}

async fn pull_pages_by_cursor_in_order_and_only_its_school(database: &Database) {
    let (school, roster) = school_with_roster(database, "pull").await;
    let other_school = support::school(database, "pull-other").await;
    let (phone, _) = enrolled_phone(database, school).await;
    let (other_phone, _) = enrolled_phone(database, other_school).await;
    let (second_phone, _) = enrolled_phone(database, school).await;
    let mine = marks(phone, school, 7);
    let theirs = marks(other_phone, other_school, 4);
    let second = marks(second_phone, school, 3);
    database.apply_batch(phone, school, &mine[..4], NOW).await.unwrap();
    database.apply_batch(other_phone, other_school, &theirs, NOW).await.unwrap();
    database.apply_batch(second_phone, school, &second, NOW).await.unwrap();
    database.apply_batch(phone, school, &mine[4..], NOW).await.unwrap();

    // From after the roster, which the school's first cursors count.
    let mut cursor = roster;
    let mut pulled: Vec<(u64, Mutation)> = Vec::new();
    loop {
        let page = page(database, school, cursor, 3).await;
        assert!(page.mutations.len() <= 3);
        cursor = page.next;
        pulled.extend(page.mutations);
        if !page.more {
            break;
        }
    }
    let seqs: Vec<u64> = pulled.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(
        seqs,
        (roster + 1..=roster + 10).collect::<Vec<_>>(),
        "a school's cursor counts its own mutations without holes"
    );
    assert!(pulled.iter().all(|(_, mutation)| mutation.school == school));
    let expected: Vec<_> = mine[..4].iter().chain(&second).chain(&mine[4..]).map(|m| m.id).collect();
    assert_eq!(pulled.iter().map(|(_, m)| m.id).collect::<Vec<_>>(), expected, "server order is commit order");
    assert_eq!(pulled[0].1, mine[0], "a mutation comes back exactly as pushed");
    // An empty page keeps the cursor; a cursor the server never gave asks for a resync.
    let latest = roster + 10;
    let last = page(database, school, latest, 3).await;
    assert_eq!((last.mutations.len(), last.next, last.more), (0, latest, false));
    assert_eq!(
        database.pull(school, &PullRequest { after: latest + 1, limit: Some(3), epoch: None }, NOW).await.unwrap(),
        PullAnswer::ResyncRequired { latest, server_time_ms: NOW as u64, epoch: database.epoch().await.unwrap() }
    );
}

async fn a_revoked_device_is_refused(database: &Database) {
    let school = school(database, "revoked").await;
    let (phone, token) = enrolled_phone(database, school).await;
    let access = database.authenticate(&hash_secret(&token)).await.unwrap().unwrap();
    assert_eq!((access.device, access.school, access.revoked_ms), (phone, school, None));
    assert!(database.revoke(phone, NOW + 1).await.unwrap());
    assert!(!database.revoke(phone, NOW + 2).await.unwrap(), "revoking twice changes nothing");
    let access = database.authenticate(&hash_secret(&token)).await.unwrap().unwrap();
    assert_eq!(access.revoked_ms, Some(NOW + 1));
    let refused = database.apply_batch(phone, school, &marks(phone, school, 1), NOW).await.unwrap_err();
    assert!(matches!(refused, StorageError::DeviceRevoked(device) if device == phone), "{refused}");
    assert!(database.authenticate(&hash_secret("no such token")).await.unwrap().is_none());
    let stranger = DeviceId::from_u128(404);
    assert!(matches!(database.revoke(stranger, NOW).await, Err(StorageError::NoSuchDevice(_))));
    let listed = database.devices().await.unwrap().into_iter().find(|row| row.id == phone).unwrap();
    assert_eq!(listed.revoked_ms, Some(NOW + 1));
}

async fn an_enrollment_code_works_once_and_expires(database: &Database) {
    let school = school(database, "enroll").await;
    let code = hash_secret("7K3M-Q9TD-2XWA");
    database.add_enrollment_code(school, &code, NOW, NOW + 1_000).await.unwrap();
    let (first, second) = (DeviceId::from_u128(501), DeviceId::from_u128(502));
    assert_eq!(database.enroll(&code, first, "一号机", &hash_secret("t1"), NOW).await.unwrap(), Ok(school));
    assert_eq!(
        database.enroll(&code, second, "二号机", &hash_secret("t2"), NOW).await.unwrap(),
        Err(EnrollRefusal::AlreadyUsed)
    );
    let late = hash_secret("late");
    database.add_enrollment_code(school, &late, NOW, NOW + 1_000).await.unwrap();
    assert_eq!(
        database.enroll(&late, second, "二号机", &hash_secret("t2"), NOW + 1_000).await.unwrap(),
        Err(EnrollRefusal::Expired)
    );
    assert_eq!(
        database.enroll(&hash_secret("never issued"), second, "", &hash_secret("t2"), NOW).await.unwrap(),
        Err(EnrollRefusal::UnknownCode)
    );
    let again = hash_secret("again");
    database.add_enrollment_code(school, &again, NOW, NOW + 1_000).await.unwrap();
    assert_eq!(
        database.enroll(&again, first, "一号机", &hash_secret("t3"), NOW).await.unwrap(),
        Err(EnrollRefusal::DeviceTaken)
    );
    let nowhere = baoxue_domain::ids::SchoolId::from_u128(404);
    assert!(matches!(
        database.add_enrollment_code(nowhere, &hash_secret("x"), NOW, NOW + 1).await,
        Err(StorageError::NoSuchSchool(_))
    ));
}

async fn concurrent_status_edits_are_kept_as_conflicts(database: &Database) {
    let school = school(database, "conflicts").await;
    let (teacher, _) = enrolled_phone(database, school).await;
    let (principal, _) = enrolled_phone(database, school).await;
    let case = CaseId::from_u128(41);
    let mut teacher_chain = DeviceChain::new(teacher);
    let mut principal_chain = DeviceChain::new(principal);
    // The teacher edits offline in the morning; the principal online at noon; the teacher's
    // edit arrives last with the older stamp.
    let offline = next(&mut teacher_chain, school, case_status(case, CaseStatus::Returned), NOW as u64);
    let online = next(&mut principal_chain, school, case_status(case, CaseStatus::Closed), NOW as u64 + 3_600_000);
    database.apply_batch(principal, school, std::slice::from_ref(&online), NOW).await.unwrap();
    database.apply_batch(teacher, school, std::slice::from_ref(&offline), NOW).await.unwrap();
    let conflicts = database.conflicts(school).await.unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].slot, ContestedSlot::CaseStatus { case });
    assert_eq!((conflicts[0].showing.mutation, conflicts[0].other.mutation), (online.id, offline.id));
    // Both versions are still there to choose from.
    assert_eq!(page(database, school, 0, 1_000).await.mutations.len(), 2);
}

fn based(chain: &mut DeviceChain, school: SchoolId, status: CaseStatus, base: &[Hlc], now_ms: u64) -> Mutation {
    let random = baoxue_sync_server::credentials::random_bytes::<10>().unwrap();
    chain.next_based("王老师", school, case_status(CaseId::from_u128(42), status), base.to_vec(), now_ms, random)
}

async fn a_later_concurrent_edit_is_a_conflict_and_an_informed_edit_resolves_it(database: &Database) {
    let school = school(database, "resolution").await;
    let (teacher, _) = enrolled_phone(database, school).await;
    let (principal, _) = enrolled_phone(database, school).await;
    let slot = ContestedSlot::CaseStatus { case: CaseId::from_u128(42) };
    let mut teacher_chain = DeviceChain::new(teacher);
    let mut principal_chain = DeviceChain::new(principal);
    let now = NOW as u64;
    let random = baoxue_sync_server::credentials::random_bytes::<10>().unwrap();
    let opened = principal_chain.next("王老师", school, open_case(CaseId::from_u128(42), 2), now, random);
    database.apply_batch(principal, school, std::slice::from_ref(&opened), NOW).await.unwrap();
    // Both phones saw `opened`; each changes it offline. The lower stamp arrives first, so the
    // higher one, arriving second, is what only `base` reveals as concurrent.
    let lower = based(&mut teacher_chain, school, CaseStatus::Returned, &[opened.stamp], now + 1_000);
    let higher = based(&mut principal_chain, school, CaseStatus::Closed, &[opened.stamp], now + 2_000);
    database.apply_batch(teacher, school, std::slice::from_ref(&lower), NOW).await.unwrap();
    database.apply_batch(principal, school, std::slice::from_ref(&higher), NOW).await.unwrap();
    let open = database.conflicts(school).await.unwrap();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!((open[0].slot, open[0].showing.mutation, open[0].other.mutation), (slot, higher.id, lower.id));

    // The principal's phone pulls the teacher's edit and edits again, never shown the conflict:
    // its base covers both versions, but its screen showed only its own. Nothing resolves.
    let again = based(&mut principal_chain, school, CaseStatus::Open, &[lower.stamp, higher.stamp], now + 2_500);
    database.apply_batch(principal, school, std::slice::from_ref(&again), NOW).await.unwrap();
    assert_eq!(database.conflicts(school).await.unwrap(), open);

    // The teacher opens the conflicts page (both versions) and chooses; the edit's base names
    // the principal's newest version the phone holds.
    let shown = database.show_conflicts(teacher, school, NOW).await.unwrap();
    assert_eq!(shown, open);
    let choice = based(&mut teacher_chain, school, CaseStatus::Returned, &[again.stamp], now + 3_000);
    let receipt = database.apply_batch(teacher, school, std::slice::from_ref(&choice), NOW).await.unwrap();
    assert_eq!(receipt.applied, 1);
    assert_eq!(database.conflicts(school).await.unwrap(), Vec::new());
    // The history keeps every edit.
    assert_eq!(page(database, school, 0, 1_000).await.mutations.len(), 5);
}

async fn agreeing_concurrent_edits_are_both_named_in_a_later_conflict(database: &Database) {
    let school = school(database, "three phones").await;
    let phones = [enrolled_phone(database, school).await.0, enrolled_phone(database, school).await.0];
    let (director, _) = enrolled_phone(database, school).await;
    let now = NOW as u64;
    // The director opens the case; every phone pulls it.
    let mut director_chain = DeviceChain::new(director);
    let opened = next(&mut director_chain, school, open_case(CaseId::from_u128(42), 2), now - 10);
    database.apply_batch(director, school, std::slice::from_ref(&opened), NOW).await.unwrap();
    // Two phones set 复学 without seeing each other, each pushed alone; then a third phone,
    // having seen neither, sets 结案.
    let mut agreeing = Vec::new();
    for (offset, phone) in (0..).zip(phones) {
        let edit = based(&mut DeviceChain::new(phone), school, CaseStatus::Returned, &[opened.stamp], now + offset);
        database.apply_batch(phone, school, std::slice::from_ref(&edit), NOW).await.unwrap();
        agreeing.push(edit.id);
    }
    let closing = based(&mut director_chain, school, CaseStatus::Closed, &[opened.stamp], now + 10);
    database.apply_batch(director, school, std::slice::from_ref(&closing), NOW).await.unwrap();
    let mut named: Vec<_> = database.conflicts(school).await.unwrap().iter().map(|open| open.other.mutation).collect();
    named.sort();
    agreeing.sort();
    assert_eq!(named, agreeing);
}

async fn a_shared_link_is_kept_by_its_hash_and_revoked_once(database: &Database) {
    let school = bare_school(database, "shared").await;
    let place = database.placements().await.unwrap().into_iter().find(|place| place.school == school).unwrap();
    assert_eq!(
        (place.county_name.as_str(), place.town_name.as_str(), place.name.as_str()),
        ("城关县", "石门镇", "shared")
    );
    assert_eq!((place.last_server_seq, place.last_received_ms), (0, None));
    let link = ShareLinkRow {
        id: random_uuid(),
        unit: ShareUnit::Town(place.town),
        label: "镇教办".into(),
        created_ms: NOW,
        expires_ms: NOW + 1_000,
        revoked_ms: None,
    };
    database.add_share_link(&link, &hash_secret("the token")).await.unwrap();
    assert_eq!(database.share_link(&hash_secret("the token")).await.unwrap(), Some(link.clone()));
    assert_eq!(database.share_link(&hash_secret("another")).await.unwrap(), None);
    assert!(database.share_links().await.unwrap().contains(&link));
    assert!(database.revoke_share_link(link.id, NOW + 5).await.unwrap());
    assert!(!database.revoke_share_link(link.id, NOW + 6).await.unwrap(), "revoked once");
    assert_eq!(database.share_link(&hash_secret("the token")).await.unwrap().unwrap().revoked_ms, Some(NOW + 5));
    let unknown = random_uuid();
    assert!(
        matches!(database.revoke_share_link(unknown, NOW).await, Err(StorageError::NoSuchShareLink(id)) if id == unknown)
    );
    let nowhere = ShareLinkRow { id: random_uuid(), unit: ShareUnit::County(CountyId(unknown)), ..link };
    assert!(matches!(
        database.add_share_link(&nowhere, &hash_secret("x")).await,
        Err(StorageError::NoSuchUnit { kind: "county", .. })
    ));
}

/// A school's figures row is replaced only by one taken on a later day or from more changes,
/// whatever order two server processes write them in.
async fn a_figures_row_is_replaced_only_by_a_newer_one(database: &Database) {
    let school = bare_school(database, "figures").await;
    let row = |taken_on: &str, watermark: u64, summary: &str| FigureRow {
        school,
        taken_on: taken_on.into(),
        watermark,
        summary: summary.into(),
        computed_ms: NOW,
    };
    let kept = |database: &Database| {
        let database = database.clone();
        async move { database.school_figures().await.unwrap().into_iter().find(|row| row.school == school).unwrap() }
    };
    assert!(database.put_school_figures(&row("2026-12-03", 5, "{\"a\":5}")).await.unwrap());
    assert!(!database.put_school_figures(&row("2026-12-03", 3, "{\"a\":3}")).await.unwrap(), "fewer changes");
    assert!(!database.put_school_figures(&row("2026-12-02", 9, "{\"a\":9}")).await.unwrap(), "an earlier day");
    assert_eq!(kept(database).await.watermark, 5);
    assert!(database.put_school_figures(&row("2026-12-03", 7, "{\"a\":7}")).await.unwrap());
    assert!(database.put_school_figures(&row("2026-12-04", 1, "{\"a\":0}")).await.unwrap(), "a later day");
    // The same day and changes worked out again later (a row of an earlier form): replaced; an
    // older working-out of them is not.
    let again = |summary: &str, computed_ms: i64| FigureRow { computed_ms, ..row("2026-12-04", 1, summary) };
    assert!(database.put_school_figures(&again("{\"a\":1}", NOW + 1)).await.unwrap(), "worked out again");
    assert!(!database.put_school_figures(&again("{\"a\":2}", NOW)).await.unwrap(), "worked out before");
    let held = kept(database).await;
    assert_eq!((held.taken_on.as_str(), held.watermark, held.computed_ms), ("2026-12-04", 1, NOW + 1));
    let summary: serde_json::Value = serde_json::from_str(&held.summary).unwrap();
    assert_eq!(summary, serde_json::json!({ "a": 1 }));
    // Its mark: the same row without the figures.
    let mark = database.figure_marks().await.unwrap().into_iter().find(|row| row.school == school).unwrap();
    assert_eq!(mark, FigureRow { summary: String::new(), ..held });
}

/// Every check, on one database; each makes its own school and phones.
async fn storage_suite(database: Database) {
    resent_batch_is_stored_once(&database).await;
    reused_counter_is_refused_and_reported(&database).await;
    a_gap_stops_and_the_resend_completes(&database).await;
    a_refused_change_does_not_jam_the_queue(&database).await;
    pull_pages_by_cursor_in_order_and_only_its_school(&database).await;
    a_revoked_device_is_refused(&database).await;
    an_enrollment_code_works_once_and_expires(&database).await;
    concurrent_status_edits_are_kept_as_conflicts(&database).await;
    a_later_concurrent_edit_is_a_conflict_and_an_informed_edit_resolves_it(&database).await;
    agreeing_concurrent_edits_are_both_named_in_a_later_conflict(&database).await;
    authenticating_writes_nothing(&database).await;
    a_shared_link_is_kept_by_its_hash_and_revoked_once(&database).await;
    a_figures_row_is_replaced_only_by_a_newer_one(&database).await;
}

/// Checking a credential is a read: the last-seen time is written only when the server flushes
/// what it noted, and a flush never moves it back (two processes flush on their own clocks).
async fn authenticating_writes_nothing(database: &Database) {
    let school = school(database, "read-only credentials").await;
    let (phone, token) = enrolled_phone(database, school).await;
    let seen = |database: &Database| {
        let database = database.clone();
        async move { database.devices().await.unwrap().into_iter().find(|row| row.id == phone).unwrap().last_seen_ms }
    };
    let before = seen(database).await;
    database.authenticate(&hash_secret(&token)).await.unwrap().unwrap();
    assert_eq!(seen(database).await, before, "authenticating wrote the device's row");
    let stranger = DeviceId::from_u128(404);
    database.record_last_seen(&[(phone, NOW + 5_000), (stranger, NOW)]).await.unwrap();
    assert_eq!(seen(database).await, Some(NOW + 5_000));
    database.record_last_seen(&[(phone, NOW + 1_000)]).await.unwrap();
    assert_eq!(seen(database).await, Some(NOW + 5_000), "an older time moved last seen back");
    database.record_last_seen(&[]).await.unwrap();
}

#[tokio::test]
async fn storage_suite_on_sqlite() {
    let (database, _dir) = fresh_sqlite().await;
    storage_suite(database).await;
}

/// A phone's credential is checked while another connection holds SQLite's write lock (a long
/// push): the check reads, so it neither waits for the lock nor takes it.
#[tokio::test]
async fn a_credential_is_checked_while_another_connection_writes() {
    use sqlx::Connection;
    let (database, dir) = fresh_sqlite().await;
    let school = school(&database, "石门中学").await;
    let (phone, token) = enrolled_phone(&database, school).await;
    let path = dir.path().join("baoxue.db");
    let mut writer = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut writer).await.unwrap();
    let checked = tokio::time::timeout(std::time::Duration::from_secs(3), database.authenticate(&hash_secret(&token)))
        .await
        .expect("the credential check waited for the write lock");
    assert_eq!(checked.unwrap().unwrap().device, phone);
    sqlx::query("ROLLBACK").execute(&mut writer).await.unwrap();
}

#[tokio::test]
async fn storage_suite_on_postgres() {
    let Some(url) = fresh_postgres_url().await else { return };
    storage_suite(Database::open(&url).await.unwrap()).await;
}

/// Two server processes (two pools on one database) receive the same phone's batch and its
/// retries at once, while other phones of the school push too: every mutation is stored once
/// and the school's cursor has no holes.
async fn two_servers_push_at_once(first: Database, second: Database) {
    let (school, roster) = school_with_roster(&first, "two servers").await;
    let (phone, _) = enrolled_phone(&first, school).await;
    let (other_phone, _) = enrolled_phone(&second, school).await;
    let chain = marks(phone, school, 40);
    let other_chain = marks(other_phone, school, 40);
    let mut tasks = Vec::new();
    for round in 0..6 {
        let server = if round % 2 == 0 { first.clone() } else { second.clone() };
        let batch = chain[..(round + 1) * 40 / 6].to_vec();
        tasks.push(tokio::spawn(async move { server.apply_batch(phone, school, &batch, NOW).await }));
        let server = if round % 2 == 0 { second.clone() } else { first.clone() };
        let batch = other_chain[round * 40 / 6..].to_vec();
        tasks.push(tokio::spawn(async move { server.apply_batch(other_phone, school, &batch, NOW).await }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let finish = first.apply_batch(phone, school, &chain, NOW).await.unwrap();
    assert_eq!(finish.accepted_through, 40);
    second.apply_batch(other_phone, school, &other_chain, NOW).await.unwrap();

    let pulled = page(&second, school, 0, 1_000).await;
    let seqs: Vec<u64> = pulled.mutations.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(seqs, (roster + 1..=roster + 80).collect::<Vec<_>>());
    let ids: BTreeSet<_> = pulled.mutations.iter().map(|(_, m)| m.id).collect();
    assert_eq!(ids.len(), 80, "each mutation once");
    let expected: BTreeSet<_> = chain.iter().chain(&other_chain).map(|m| m.id).collect();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn two_servers_on_one_sqlite_file_store_each_mutation_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let first = Database::open(path.to_str().unwrap()).await.unwrap();
    let second = Database::open(path.to_str().unwrap()).await.unwrap();
    two_servers_push_at_once(first, second).await;
}

#[tokio::test]
async fn two_servers_on_one_postgres_store_each_mutation_once() {
    let Some(url) = fresh_postgres_url().await else { return };
    let first = Database::open(&url).await.unwrap();
    let second = Database::open(&url).await.unwrap();
    two_servers_push_at_once(first, second).await;
}
