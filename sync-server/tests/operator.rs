//! The operator's backup, restore and sync health, on a real SQLite file and a real PostgreSQL,
//! and through the `sync-server` binary as an operator types them.

mod support;

use baoxue_domain::case::CaseStatus;
use baoxue_domain::ids::{CaseId, DeviceId, SchoolId};
use baoxue_domain::mutation::DeviceChain;
use baoxue_domain::sync::{PullAnswer, PullRequest};
use baoxue_sync_server::credentials::{hash_secret, normalise_code};
use baoxue_sync_server::operator::{self, OperatorError};
use baoxue_sync_server::storage::{BackupError, Database, Storage};
use std::path::Path;
use std::process::Command;
use support::*;

/// A school with its roster (`support::school`) and two phones: three marks, and two
/// concurrent case edits (one open conflict). Answers how many mutations the roster took too.
async fn busy_school(database: &Database) -> (SchoolId, u64) {
    let (school, roster) = school_with_roster(database, "石门中学").await;
    let (teacher, _) = enrolled_phone(database, school).await;
    let (principal, _) = enrolled_phone(database, school).await;
    let three = marks(teacher, school, 3);
    database.apply_batch(teacher, school, &three, NOW).await.unwrap();
    let case = CaseId::from_u128(41);
    let mut principal_chain = DeviceChain::new(principal);
    let online = next(&mut principal_chain, school, case_status(case, CaseStatus::Closed), NOW as u64 + 3_600_000);
    database.apply_batch(principal, school, &[online], NOW).await.unwrap();
    let mut teacher_chain = DeviceChain::new(teacher);
    teacher_chain.last_seq = 3;
    teacher_chain.last_hash = three[2].hash();
    let offline = next(&mut teacher_chain, school, case_status(case, CaseStatus::Returned), NOW as u64 + 10);
    let receipt = database.apply_batch(teacher, school, &[offline], NOW).await.unwrap();
    assert_eq!(receipt.applied, 1, "{receipt:?}");
    (school, roster)
}

async fn everything(database: &Database, school: SchoolId) -> (Vec<(u64, baoxue_domain::ids::MutationId)>, usize) {
    let PullAnswer::Page(page) =
        database.pull(school, &PullRequest { after: 0, limit: Some(1_000), epoch: None }, NOW).await.unwrap()
    else {
        panic!("a page")
    };
    let ids = page.mutations.iter().map(|(seq, mutation)| (*seq, mutation.id)).collect();
    (ids, database.conflicts(school).await.unwrap().len())
}

/// Backup of a busy database, restore into an empty one (equal content), a second restore
/// refused without --force and accepted with it, and the health report.
async fn backup_and_restore(source: Database, target: Database, file: &Path) {
    let (school, roster) = busy_school(&source).await;
    let before = everything(&source, school).await;
    assert_eq!((before.0.len(), before.1), (roster as usize + 5, 1));

    let said = operator::backup(&source, file, NOW).await.unwrap();
    assert!(said.contains("restore it with `sync-server restore --from"), "{said}");
    let again = operator::backup(&source, file, NOW).await.unwrap_err();
    assert!(matches!(again, OperatorError::Backup(BackupError::TargetExists(_))), "{again}");

    let said = operator::restore(&target, file, false).await.unwrap();
    assert!(said.starts_with(&format!("restored {} changes", before.0.len())), "{said}");
    assert_eq!(everything(&target, school).await, before);
    assert_eq!(target.devices().await.unwrap(), source.devices().await.unwrap());
    assert_eq!(target.schools().await.unwrap(), source.schools().await.unwrap());

    let refused = operator::restore(&target, file, false).await.unwrap_err();
    assert!(matches!(refused, OperatorError::Backup(BackupError::NotEmpty { .. })), "{refused}");
    assert!(refused.to_string().contains("--force"), "{refused}");
    operator::restore(&target, file, true).await.unwrap();
    assert_eq!(everything(&target, school).await, before);

    let health = operator::sync_health(&target, NOW + 5 * 60_000).await.unwrap();
    let conflicts = before.1;
    assert!(
        health.starts_with(&format!(
            "1 schools, 3 devices (3 active), {} changes, {conflicts} open conflicts",
            before.0.len()
        )),
        "{health}"
    );
    assert!(health.contains("石门中学"), "{health}");
    assert!(health.contains("last seen 5 min ago"), "{health}");
    // The principal's edit was stamped an hour after the server received it.
    assert_eq!(
        health.matches("clock ahead: its newest change is stamped 60 min after it arrived").count(),
        1,
        "{health}"
    );
}

#[tokio::test]
async fn sqlite_backup_restores_into_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let source = Database::open(dir.path().join("live.db").to_str().unwrap()).await.unwrap();
    let target = Database::open(dir.path().join("restored.db").to_str().unwrap()).await.unwrap();
    backup_and_restore(source, target, &dir.path().join("backup.db")).await;
}

#[tokio::test]
async fn postgres_export_restores_into_an_empty_database() {
    let (Some(source), Some(target)) = (fresh_postgres_url().await, fresh_postgres_url().await) else { return };
    let dir = tempfile::tempdir().unwrap();
    let source = Database::open(&source).await.unwrap();
    let target = Database::open(&target).await.unwrap();
    backup_and_restore(source, target, &dir.path().join("backup.jsonl")).await;
}

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_refused_with_the_reason() {
    let (database, dir) = fresh_sqlite().await;
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all").unwrap();
    let error = operator::restore(&database, &text, false).await.unwrap_err();
    assert!(error.to_string().contains("is not a SQLite file"), "{error}");
    let missing = operator::restore(&database, &dir.path().join("missing.db"), false).await.unwrap_err();
    assert!(missing.to_string().contains("cannot read or write"), "{missing}");
    if let Some(url) = fresh_postgres_url().await {
        let postgres = Database::open(&url).await.unwrap();
        let error = operator::restore(&postgres, &text, false).await.unwrap_err();
        assert!(error.to_string().contains("is not a PostgreSQL export"), "{error}");
    }
}

fn sync_server(db: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_sync-server"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[test]
fn the_binary_backs_up_restores_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let (ok, help) = sync_server(&live, &["--help"]);
    assert!(ok, "{help}");
    for command in ["backup", "restore", "sync-health"] {
        assert!(help.contains(command), "{help}");
    }
    let (ok, said) =
        sync_server(&live, &["school", "add", "--county", "城关县", "--town", "石门镇", "--name", "石门中学"]);
    assert!(ok, "{said}");
    let backup = dir.path().join("backup.db");
    let (ok, said) = sync_server(&live, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(ok && said.contains("backup written to"), "{said}");

    let restored = dir.path().join("restored.db");
    let (ok, said) = sync_server(&restored, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(ok && said.contains("restored 0 changes"), "{said}");
    let (ok, said) = sync_server(&restored, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(!ok && said.contains("is not empty") && said.contains("--force"), "{said}");
    let (ok, said) = sync_server(&restored, &["restore", "--from", backup.to_str().unwrap(), "--force"]);
    assert!(ok, "{said}");
    let (ok, said) = sync_server(&restored, &["sync-health"]);
    assert!(ok && said.starts_with("1 schools, 0 devices"), "{said}");
    assert!(
        said.contains("城关县 > 石门镇 > 石门中学: 0 changes, 0 open conflicts, 0 devices, last sync never"),
        "{said}"
    );
}

/// The operator shares a town's figures from the command line: a link with a QR code, listed,
/// opened (through the share module, as the server does), revoked; a wrong unit is named.
#[test]
fn the_binary_makes_lists_and_revokes_a_shared_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    for (town, school) in [("石门镇", "石门中学"), ("白水乡", "白水小学")] {
        let (ok, said) = sync_server(&db, &["school", "add", "--county", "城关县", "--town", town, "--name", school]);
        assert!(ok, "{said}");
    }
    let (ok, said) = sync_server(&db, &["share", "create", "--unit", "town:黑水镇"]);
    assert!(!ok && said.contains("\"town:黑水镇\" is not a unit") && said.contains("school list"), "{said}");
    let (ok, said) = sync_server(&db, &["share", "create", "--unit", "village:石门镇"]);
    assert!(!ok && said.contains("county:, town: or school:"), "{said}");
    let (ok, said) = sync_server(
        &db,
        &[
            "share",
            "create",
            "--unit",
            "town:城关县/石门镇",
            "--expires",
            "7d",
            "--label",
            "镇教办",
            "--url",
            "https://baoxue.example.cn/",
        ],
    );
    assert!(ok, "{said}");
    let url = said.lines().find(|line| line.starts_with("https://")).unwrap_or_else(|| panic!("no link in {said}"));
    let token = url.strip_prefix("https://baoxue.example.cn/share/").unwrap();
    assert_eq!(token.len(), 64, "256 random bits as hex: {url}");
    assert!(said.contains('█') && said.contains('▀'), "a QR code drawn in text blocks: {said}");
    let id = said.split_whitespace().nth(2).unwrap().to_owned();

    let (ok, listed) = sync_server(&db, &["share", "list"]);
    assert!(ok && listed.contains(&id) && listed.contains("active") && listed.contains("\"镇教办\""), "{listed}");
    assert!(!listed.contains(token), "the token is shown once, never listed");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let opened = runtime.block_on(async {
        let database = Database::open(db.to_str().unwrap()).await.unwrap();
        baoxue_sync_server::share::links::open(&database, token, baoxue_sync_server::now_ms()).await.unwrap()
    });
    assert_eq!(opened.map(|link| link.label), Ok("镇教办".to_owned()));

    let (ok, said) = sync_server(&db, &["share", "revoke", &id]);
    assert!(ok && said.contains("is revoked"), "{said}");
    let (ok, said) = sync_server(&db, &["share", "revoke", &id]);
    assert!(ok && said.contains("already revoked"), "{said}");
    let (ok, listed) = sync_server(&db, &["share", "list"]);
    assert!(ok && listed.contains("REVOKED"), "{listed}");
}

/// A backup taken while a phone keeps pushing holds a prefix of the school's history: the
/// school's cursor equals the changes restored, without holes.
async fn backup_while_pushing(source: Database, target: Database, file: &Path) {
    let (school, roster) = school_with_roster(&source, "忙碌小学").await;
    let (phone, _) = enrolled_phone(&source, school).await;
    let chain = marks(phone, school, 400);
    let pusher = {
        let source = source.clone();
        tokio::spawn(async move {
            for batch in chain.chunks(10) {
                source.apply_batch(phone, school, batch, NOW).await.unwrap();
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    source.backup(file, NOW).await.unwrap();
    pusher.await.unwrap();
    target.restore(file, false).await.unwrap();
    let cursor = target.schools().await.unwrap().into_iter().find(|row| row.id == school).unwrap().last_server_seq;
    let (ids, _) = everything(&target, school).await;
    let seqs: Vec<u64> = ids.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(seqs, (1..=cursor).collect::<Vec<_>>());
    eprintln!("backup held {cursor} of {} changes", roster + 400);
    let head = target.devices().await.unwrap().into_iter().find(|device| device.id == phone).unwrap().last_seq;
    assert_eq!(roster + head, cursor, "the device's head and the school's cursor are from the same moment");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_taken_while_phones_push_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let source = Database::open(dir.path().join("live.db").to_str().unwrap()).await.unwrap();
    let target = Database::open(dir.path().join("restored.db").to_str().unwrap()).await.unwrap();
    backup_while_pushing(source, target, &dir.path().join("backup.db")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_export_taken_while_phones_push_is_consistent() {
    let (Some(source), Some(target)) = (fresh_postgres_url().await, fresh_postgres_url().await) else { return };
    let dir = tempfile::tempdir().unwrap();
    let source = Database::open(&source).await.unwrap();
    let target = Database::open(&target).await.unwrap();
    backup_while_pushing(source, target, &dir.path().join("backup.jsonl")).await;
}

#[tokio::test]
async fn a_code_the_operator_issued_enrolls_a_phone_as_the_teacher_types_it() {
    let (database, _dir) = fresh_sqlite().await;
    let school = school(&database, "石门中学").await;
    let said = operator::issue_code(&database, school, 3_600_000, NOW).await.unwrap();
    let code = said.lines().next().unwrap().rsplit(": ").next().unwrap().to_owned();
    assert_eq!(code.len(), 14, "{said}");
    // What /api/enroll does with the code typed in lower case with spaces for dashes.
    let typed = code.to_lowercase().replace('-', " ");
    let device = baoxue_domain::ids::DeviceId(random_uuid());
    let code_hash = hash_secret(&normalise_code(&typed));
    let enrolled = database.enroll(&code_hash, device, "王老师的手机", &hash_secret("token"), NOW + 1).await.unwrap();
    assert_eq!(enrolled, Ok(school));
}

/// Backup; then more changes from a teacher's phone and from a phone lost right after; the
/// operator revokes the lost one and enrolls a new one; restore from the backup; the new phone
/// pushes, taking the cursor numbers the teacher's phone already holds. The teacher's phone,
/// pulling with its old cursor under the old epoch, is sent back to the start; the heads say
/// what the server lacks; it pushes its own changes again and relays the lost phone's. The
/// server ends with every change made, and what the operator did after the backup stays done.
async fn a_restore_loses_nothing_a_phone_still_holds(database: Database, file: &Path) {
    use baoxue_domain::attendance::MarkKind;
    use baoxue_domain::mutation::Mutation;
    use baoxue_domain::sync::relay::lacking;
    use baoxue_domain::sync::RelayBatch;
    use baoxue_sync_server::storage::EnrollRefusal;

    let (school, roster) = school_with_roster(&database, "恢复中学").await;
    let (teacher, _) = enrolled_phone(&database, school).await;
    let (lost, _) = enrolled_phone(&database, school).await;
    let mut teacher_chain = DeviceChain::new(teacher);
    let mut lost_chain = DeviceChain::new(lost);
    let made = |chain: &mut DeviceChain, count: u64| -> Vec<Mutation> {
        (0..count).map(|n| next(chain, school, mark(n, MarkKind::Present), NOW as u64 + n)).collect()
    };
    let before_backup = [made(&mut teacher_chain, 2), made(&mut lost_chain, 1)].concat();
    database.apply_batch(teacher, school, &before_backup[..2], NOW).await.unwrap();
    database.apply_batch(lost, school, &before_backup[2..], NOW).await.unwrap();
    database.backup(file, NOW).await.unwrap();
    let old_epoch = database.epoch().await.unwrap();

    let teacher_late = made(&mut teacher_chain, 2);
    let lost_late = made(&mut lost_chain, 2);
    assert_eq!(database.apply_batch(teacher, school, &teacher_late, NOW).await.unwrap().applied, 2);
    assert_eq!(database.apply_batch(lost, school, &lost_late, NOW).await.unwrap().applied, 2);
    // The teacher's phone pulls everything: cursor 7 after the roster, under the old epoch.
    let request = PullRequest { after: 0, limit: Some(1_000), epoch: None };
    let PullAnswer::Page(page) = database.pull(school, &request, NOW).await.unwrap() else { panic!("a page") };
    assert_eq!((page.next, page.epoch.as_str()), (roster + 7, old_epoch.as_str()));
    let mut held: Vec<Mutation> = page.mutations.into_iter().map(|(_, mutation)| mutation).collect();

    // After the backup the operator revokes the lost phone and enrolls a new one.
    assert!(database.revoke(lost, NOW).await.unwrap());
    let code = "after-the-backup";
    database.add_enrollment_code(school, &hash_secret(code), NOW, NOW + 3_600_000).await.unwrap();
    let newcomer = baoxue_domain::ids::DeviceId(random_uuid());
    database
        .enroll(&hash_secret(code), newcomer, "新手机", &hash_secret("newcomer-token"), NOW)
        .await
        .unwrap()
        .unwrap();

    let said = operator::restore(&database, file, true).await.unwrap();
    assert!(said.starts_with(&format!("restored {} changes", roster + 3)), "{said}");
    let new_epoch = database.epoch().await.unwrap();
    assert_ne!(new_epoch, old_epoch, "a restore makes a new epoch");
    // What the operator did after the backup stays done.
    let devices = database.devices().await.unwrap();
    assert!(devices.iter().find(|device| device.id == lost).unwrap().revoked_ms.is_some(), "still revoked");
    let access = database.authenticate(&hash_secret("newcomer-token")).await.unwrap();
    assert_eq!(access.map(|access| access.device), Some(newcomer), "a phone enrolled after the backup keeps working");
    let again = database.enroll(&hash_secret(code), DeviceId(random_uuid()), "", &hash_secret("x"), NOW).await.unwrap();
    assert_eq!(again, Err(EnrollRefusal::AlreadyUsed), "a code used after the backup stays used");

    // The newcomer pushes 4 marks: cursors 4 to 7 (after the roster) again, which the
    // teacher's phone holds.
    let mut newcomer_chain = DeviceChain::new(newcomer);
    let newcomers = made(&mut newcomer_chain, 4);
    assert_eq!(database.apply_batch(newcomer, school, &newcomers, NOW).await.unwrap().applied, 4);
    let stale = PullRequest { after: roster + 7, limit: Some(1_000), epoch: Some(old_epoch.clone()) };
    let answer = database.pull(school, &stale, NOW).await.unwrap();
    assert!(matches!(answer, PullAnswer::ResyncRequired { ref epoch, .. } if *epoch == new_epoch), "{answer:?}");

    // The resync: everything from 0 under the new epoch, merged by id into what it holds.
    let PullAnswer::Page(page) = database.pull(school, &request, NOW).await.unwrap() else { panic!("a page") };
    assert_eq!(page.epoch, new_epoch);
    for (_, mutation) in page.mutations {
        if !held.iter().any(|kept| kept.id == mutation.id) {
            held.push(mutation);
        }
    }
    let heads = database.heads(school).await.unwrap();
    let missing = lacking(&heads, teacher, &held);
    assert_eq!(missing.own_from, Some(3));
    assert_eq!(missing.relay, lost_late);

    // A run that does not continue the lost phone's chain (made up without the hash of its
    // last change on the server) is not taken, and nothing is held against the lost phone.
    let mut forger = DeviceChain::new(lost);
    forger.last_seq = 1;
    let forged = made(&mut forger, 2);
    let receipt = database.relay(teacher, school, &forged, NOW).await.unwrap();
    assert_eq!(receipt.applied, 0, "{receipt:?}");
    assert!(database.rejections(lost).await.unwrap().is_empty());

    let own: Vec<Mutation> = held.iter().filter(|m| m.device == teacher && m.seq >= 3).cloned().collect();
    assert_eq!(database.apply_batch(teacher, school, &own, NOW).await.unwrap().applied, 2);
    let RelayBatch { mutations } = RelayBatch { mutations: missing.relay };
    let receipt = database.relay(teacher, school, &mutations, NOW).await.unwrap();
    assert_eq!(receipt.applied, 2, "{receipt:?}");
    assert!(receipt.heads.iter().any(|head| head.device == lost && head.seq == 3), "{receipt:?}");

    let PullAnswer::Page(page) = database.pull(school, &request, NOW).await.unwrap() else { panic!("a page") };
    let mut on_server: Vec<_> = page.mutations.iter().map(|(_, mutation)| mutation.id).collect();
    on_server.retain(|id| !held.iter().any(|mutation| mutation.id == *id && is_roster(mutation)));
    let mut every: Vec<_> =
        [before_backup, teacher_late, lost_late, newcomers].concat().iter().map(|mutation| mutation.id).collect();
    on_server.sort();
    every.sort();
    assert_eq!(on_server, every, "nothing any phone made is lost");
    assert_eq!(page.next, roster + 11, "cursors without holes");
    assert!(lacking(&database.heads(school).await.unwrap(), teacher, &held).relay.is_empty());
}

#[tokio::test]
async fn sqlite_restore_loses_nothing_a_phone_still_holds() {
    let (database, dir) = fresh_sqlite().await;
    a_restore_loses_nothing_a_phone_still_holds(database, &dir.path().join("backup.db")).await;
}

#[tokio::test]
async fn postgres_restore_loses_nothing_a_phone_still_holds() {
    let Some(url) = fresh_postgres_url().await else { return };
    let dir = tempfile::tempdir().unwrap();
    a_restore_loses_nothing_a_phone_still_holds(Database::open(&url).await.unwrap(), &dir.path().join("backup.jsonl"))
        .await;
}
