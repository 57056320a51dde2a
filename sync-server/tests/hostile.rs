//! Hostile mutations on the push path (issue #11): a stamp far in the future, a stamp naming
//! another phone, an endless author, a NUL in a name, a date in year -262143 and a term for
//! another school. Each is refused with its reason before anything is stored, on a SQLite file
//! and on PostgreSQL alike, and the phone's later changes still apply.
//!
//! A change naming a child the school does not hold (unknown, or of another school) is held:
//! neither stored nor refused, taken once the child is there.
//!
//! The reasons are compared by their JSON `kind`, as the phone reads them.

mod support;

use baoxue_domain::sync::PullRequest;

use baoxue_domain::attendance::MarkKind;
use baoxue_domain::calendar::Term;
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::{DeviceId, SchoolId, StudentId};
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::student::StudentField;
use baoxue_domain::sync::{PullAnswer, PushReceipt, RecordRef};
use baoxue_sync_server::storage::{Database, Storage};
use chrono::NaiveDate;
use support::*;

fn kinds(receipt: &PushReceipt) -> Vec<String> {
    receipt
        .rejected
        .iter()
        .map(|rejection| serde_json::to_value(&rejection.reason).unwrap()["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn pulled(database: &Database, school: SchoolId) -> Vec<Mutation> {
    match database.pull(school, &PullRequest { after: 0, limit: Some(1_000), epoch: None }, NOW).await.unwrap() {
        PullAnswer::Page(page) => {
            page.mutations.into_iter().map(|(_, mutation)| mutation).filter(|mutation| !is_roster(mutation)).collect()
        }
        other => panic!("expected a page, got {other:?}"),
    }
}

/// Pushes `hostile` as the phone's next change, followed by an ordinary one: the hostile one is
/// refused as `kind`, the ordinary one applies, and only the ordinary one can be pulled.
async fn refused_before_storage(database: &Database, name: &str, kind: &str, make: impl FnOnce(&mut Mutation)) {
    let school = school(database, name).await;
    let (phone, _) = enrolled_phone(database, school).await;
    let mut chain = DeviceChain::new(phone);
    let mut hostile = next(&mut chain, school, mark(1, MarkKind::Late), NOW as u64);
    make(&mut hostile);
    // The phone chains its next change to the hostile one as it sent it.
    chain.last_hash = hostile.hash();
    let after = next(&mut chain, school, mark(2, MarkKind::Late), NOW as u64 + 1);
    let batch = [hostile.clone(), after.clone()];
    let receipt = database
        .apply_batch(phone, school, &batch, NOW)
        .await
        .unwrap_or_else(|error| panic!("{name}: the push failed instead of refusing: {error}"));
    assert_eq!(kinds(&receipt), vec![kind.to_owned()], "{name}: {receipt:?}");
    assert_eq!((receipt.accepted_through, receipt.applied), (2, 1), "{name}: the queue is not jammed");
    assert_eq!(pulled(database, school).await.iter().map(|m| m.id).collect::<Vec<_>>(), vec![after.id], "{name}");
    // A resend after a lost answer: the same refusal, recorded once.
    let again = database.apply_batch(phone, school, &batch, NOW).await.unwrap();
    assert_eq!((again.applied, again.skipped_duplicates, kinds(&again)), (0, 1, vec![kind.to_owned()]), "{name}");
    assert_eq!(database.rejections(phone).await.unwrap().len(), 1, "{name}");
}

/// A mark stamped `{u64::MAX, u32::MAX}` is refused, and a second phone's later edit of the
/// same slot is the newest version any phone pulls.
async fn a_poison_stamp_is_refused_and_a_later_edit_still_wins(database: &Database) {
    let school = school(database, "poison").await;
    let (first, _) = enrolled_phone(database, school).await;
    let (second, _) = enrolled_phone(database, school).await;
    let mut poison = next(&mut DeviceChain::new(first), school, mark(1, MarkKind::Unexcused), NOW as u64);
    poison.stamp = Hlc { wall_ms: u64::MAX, counter: u32::MAX, device: first };
    let receipt = database.apply_batch(first, school, std::slice::from_ref(&poison), NOW).await.unwrap();
    assert_eq!(kinds(&receipt), vec!["stamp_ahead".to_owned()], "{receipt:?}");
    let Change::Mark(poisoned) = &poison.change else { unreachable!() };
    let mut later = next(&mut DeviceChain::new(second), school, mark(1, MarkKind::Present), NOW as u64 + 60_000);
    let Change::Mark(mark) = &mut later.change else { unreachable!() };
    (mark.student, mark.day, mark.half) = (poisoned.student, poisoned.day, poisoned.half);
    let receipt = database.apply_batch(second, school, std::slice::from_ref(&later), NOW + 60_000).await.unwrap();
    assert_eq!(receipt.applied, 1);
    let newest = pulled(database, school)
        .await
        .into_iter()
        .filter(|m| matches!(&m.change, Change::Mark(mark) if mark.student == poisoned.student))
        .max_by_key(|m| m.stamp)
        .unwrap();
    assert_eq!(newest.id, later.id, "the second phone's later edit is the newest version of the slot");
}

async fn a_spoofed_stamp_device_is_refused(database: &Database) {
    refused_before_storage(database, "spoofed stamp device", "stamp_of_other_device", |m| {
        m.stamp.device = DeviceId::from_u128(0xbad)
    })
    .await;
}

async fn an_endless_author_is_refused(database: &Database) {
    refused_before_storage(database, "endless author", "text_too_long", |m| m.author = "王".repeat(100_000)).await;
}

async fn a_nul_in_a_name_is_refused(database: &Database) {
    refused_before_storage(database, "NUL in a name", "control_character", |m| {
        m.change =
            Change::EditStudent { student: StudentId::from_u128(5), field: StudentField::Name("张\0明".into()) }
    })
    .await;
}

async fn a_date_in_year_minus_262143_is_refused(database: &Database) {
    refused_before_storage(database, "year -262143", "date_out_of_range", |m| {
        let Change::Mark(mark) = &mut m.change else { unreachable!() };
        mark.day = NaiveDate::from_ymd_opt(-262_143, 1, 1).unwrap();
    })
    .await;
}

/// A status edit claiming it saw every version there will ever be (a spoofed `base`), to
/// override the others' edits without a conflict.
async fn a_spoofed_base_is_refused(database: &Database) {
    refused_before_storage(database, "spoofed base", "base_ahead", |m| {
        m.base = Some(vec![Hlc { wall_ms: u64::MAX, counter: u32::MAX, device: DeviceId::from_u128(0xbad) }])
    })
    .await;
}

async fn a_term_for_another_school_is_refused(database: &Database) {
    let elsewhere = school(database, "another school").await;
    refused_before_storage(database, "a term for another school", "change_for_other_school", |m| {
        let start = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let term =
            Term { name: "2026年秋季学期".into(), start, end: NaiveDate::from_ymd_opt(2027, 1, 20).unwrap() };
        m.change = Change::SetTerm { school: elsewhere, term };
    })
    .await;
    assert!(pulled(database, elsewhere).await.is_empty(), "nothing reached the other school");
}

/// A mark of a child the school lacks is held, not stored and not refused, and the phone's
/// later changes wait behind it; once the child is there (another phone sent the record, as
/// after a restore), the same batch goes through.
async fn a_mark_of_a_child_the_school_lacks_is_held_until_the_child_arrives(database: &Database) {
    let school = school(database, "held").await;
    let (phone, _) = enrolled_phone(database, school).await;
    let (office, _) = enrolled_phone(database, school).await;
    let mut chain = DeviceChain::new(phone);
    let newcomer = StudentId(random_uuid());
    let Change::Mark(mut absent) = mark(1, MarkKind::Unexcused) else { unreachable!() };
    absent.student = newcomer;
    let batch = [
        next(&mut chain, school, mark(1, MarkKind::Late), NOW as u64),
        next(&mut chain, school, Change::Mark(absent), NOW as u64 + 1),
        next(&mut chain, school, mark(2, MarkKind::Late), NOW as u64 + 2),
    ];
    let receipt = database.apply_batch(phone, school, &batch, NOW).await.unwrap();
    let held = receipt.held.clone().expect("the mark of the newcomer is held");
    assert_eq!((held.seq, held.id, held.missing), (2, batch[1].id, RecordRef::Student(newcomer)));
    assert_eq!((receipt.accepted_through, receipt.applied, kinds(&receipt)), (1, 1, Vec::<String>::new()));
    assert_eq!(pulled(database, school).await.len(), 1, "only the first mark is stored");
    assert!(database.rejections(phone).await.unwrap().is_empty(), "nothing is refused");
    // The newcomer's record arrives from the school office's phone.
    let Change::PutStudent(mut student) = roster_changes(school).remove(1) else { unreachable!() };
    student.id = newcomer;
    let put = next(&mut DeviceChain::new(office), school, Change::PutStudent(student), NOW as u64 + 3);
    assert_eq!(database.apply_batch(office, school, &[put], NOW).await.unwrap().applied, 1);
    let receipt = database.apply_batch(phone, school, &batch, NOW).await.unwrap();
    assert_eq!((receipt.accepted_through, receipt.applied, receipt.held), (3, 2, None));
    assert_eq!(
        pulled(database, school).await.len(),
        3,
        "the two marks and the held one (the newcomer is a roster record)"
    );
}

/// A child of another school is not a child of this one: a mark of theirs is held here.
async fn a_mark_of_a_child_of_another_school_is_held(database: &Database) {
    let school = school(database, "held elsewhere").await;
    let elsewhere = bare_school(database, "another school").await;
    let (their_phone, _) = enrolled_phone(database, elsewhere).await;
    let mut theirs = DeviceChain::new(their_phone);
    let roster: Vec<Mutation> =
        roster_changes(elsewhere).into_iter().map(|change| next(&mut theirs, elsewhere, change, NOW as u64)).collect();
    let Change::PutStudent(mut child) = roster_changes(elsewhere).remove(1) else { unreachable!() };
    child.id = StudentId(random_uuid());
    let child_id = child.id;
    let mut batch = roster;
    batch.push(next(&mut theirs, elsewhere, Change::PutStudent(child), NOW as u64));
    assert_eq!(database.apply_batch(their_phone, elsewhere, &batch, NOW).await.unwrap().applied, batch.len());
    let (phone, _) = enrolled_phone(database, school).await;
    let Change::Mark(mut absent) = mark(1, MarkKind::Unexcused) else { unreachable!() };
    absent.student = child_id;
    let foreign = next(&mut DeviceChain::new(phone), school, Change::Mark(absent), NOW as u64);
    let receipt = database.apply_batch(phone, school, &[foreign], NOW).await.unwrap();
    assert_eq!(receipt.held.map(|held| held.missing), Some(RecordRef::Student(child_id)));
    assert_eq!((receipt.accepted_through, receipt.applied), (0, 0));
    assert!(pulled(database, school).await.is_empty());
}

/// Each check as two tests, one on a fresh SQLite file and one on a fresh PostgreSQL database
/// (skipped with a note when `BAOXUE_TEST_POSTGRES_URL` is not set), so each fails on its own.
macro_rules! on_both_databases {
    ($($check:ident),* $(,)?) => {$(
        mod $check {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let (database, _dir) = fresh_sqlite().await;
                super::$check(&database).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(url) = fresh_postgres_url().await else { return };
                super::$check(&Database::open(&url).await.unwrap()).await;
            }
        }
    )*};
}

on_both_databases!(
    a_poison_stamp_is_refused_and_a_later_edit_still_wins,
    a_spoofed_stamp_device_is_refused,
    an_endless_author_is_refused,
    a_nul_in_a_name_is_refused,
    a_date_in_year_minus_262143_is_refused,
    a_term_for_another_school_is_refused,
    a_spoofed_base_is_refused,
    a_mark_of_a_child_the_school_lacks_is_held_until_the_child_arrives,
    a_mark_of_a_child_of_another_school_is_held,
);
