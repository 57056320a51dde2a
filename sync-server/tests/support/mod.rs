//! What the server's tests share: a fresh database of each kind, a school with enrolled phones,
//! and chains of mutations made the way the app makes them.
#![allow(dead_code)] // Each test file uses its own part of this.

use baoxue_domain::attendance::{AttendanceMark, MarkKind};
use baoxue_domain::case::{Case, CaseField, CaseStatus, Measure};
use baoxue_domain::ids::{CaseId, ClassId, CountyId, DeviceId, RecordId, SchoolId, StudentId, TownId};
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::org::{Class, Grade};
use baoxue_domain::risk::Level;
use baoxue_domain::student::{Gender, Student};
use baoxue_sync_server::credentials::hash_secret;
use baoxue_sync_server::storage::{Database, FreshOrgIds, SchoolPlace, Storage};
use chrono::NaiveDate;
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh random id.
pub fn random_uuid() -> uuid::Uuid {
    baoxue_sync_server::credentials::new_uuid(NOW).unwrap()
}

pub const NOW: i64 = 1_790_000_000_000;
const HOUR: i64 = 3_600_000;

/// A new SQLite file in a folder removed when the returned guard drops.
pub async fn fresh_sqlite() -> (Database, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::open(dir.path().join("baoxue.db").to_str().unwrap()).await.unwrap();
    (database, dir)
}

/// The PostgreSQL server `cargo xtask test` started, or `None` (with a note) outside it.
pub fn postgres_url() -> Option<String> {
    let Ok(url) = std::env::var("BAOXUE_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("BAOXUE_REQUIRE_POSTGRES").is_none(),
            "BAOXUE_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts PostgreSQL"
        );
        eprintln!("PostgreSQL test not run: BAOXUE_TEST_POSTGRES_URL is not set (cargo xtask test sets it)");
        return None;
    };
    Some(url)
}

/// The URL of a new, empty database on the test PostgreSQL server, so tests running at the same
/// time never see each other's rows.
pub async fn fresh_postgres_url() -> Option<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let url = postgres_url()?;
    let name = format!("baoxue_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    admin.close().await;
    let (server, _) = url.rsplit_once('/').expect("a PostgreSQL URL ends with /<database>");
    Some(format!("{server}/{name}"))
}

/// A school with a name of its own, so checks sharing one database never collide, and the
/// roster of `school_with_roster`.
pub async fn school(database: &Database, name: &str) -> SchoolId {
    school_with_roster(database, name).await.0
}

/// A school with a name of its own and nothing in it.
pub async fn bare_school(database: &Database, name: &str) -> SchoolId {
    let fresh =
        FreshOrgIds { county: CountyId(random_uuid()), town: TownId(random_uuid()), school: SchoolId(random_uuid()) };
    let place = SchoolPlace { county: "城关县".into(), town: "石门镇".into(), school: name.into() };
    database.add_school(&place, fresh, NOW).await.unwrap().id
}

/// How many children `roster` puts in a school: `mark(n)` names child `(n - 1) % ROSTER + 1`.
pub const ROSTER: u64 = 40;

/// The class of `roster`.
pub const ROSTER_CLASS: ClassId = ClassId::from_u128(0xc1a55);

/// The case `roster` opens, for child 1.
pub const ROSTER_CASE: CaseId = CaseId::from_u128(41);

/// The changes of a roster: a class, children 1..=ROSTER and a case of child 1
/// (`ROSTER_CASE`), which the server must hold before it takes a mark or a case edit of them.
pub fn roster_changes(school: SchoolId) -> Vec<Change> {
    let students = (1..=ROSTER).map(|n| roster_student(school, n));
    std::iter::once(roster_class(school)).chain(students).chain([open_case(ROSTER_CASE, 1)]).collect()
}

/// The class of the roster, grade 7.
pub fn roster_class(school: SchoolId) -> Change {
    let grade = Grade::new(7).unwrap();
    Change::PutClass(Class {
        id: ROSTER_CLASS,
        school,
        grade,
        name: "七年级(1)班".into(),
        head_teacher: "王老师".into(),
    })
}

/// Child `n` of the roster's class.
pub fn roster_student(school: SchoolId, n: u64) -> Change {
    Change::PutStudent(Student {
        id: StudentId::from_u128(u128::from(n)),
        school,
        student_number: None,
        name: format!("学生{n}"),
        gender: Gender::Female,
        birth_date: NaiveDate::from_ymd_opt(2013, 3, 1).unwrap(),
        grade: Grade::new(7).unwrap(),
        class: ROSTER_CLASS,
        village: String::new(),
        address: String::new(),
        guardian: String::new(),
        guardian_phone: String::new(),
        id_number: None,
    })
}

/// Opening case `id` of child `child` of the roster, as the app's case form does.
pub fn open_case(id: CaseId, child: u64) -> Change {
    Change::OpenCase(Case {
        id,
        student: StudentId::from_u128(u128::from(child)),
        responsible: vec!["王老师".into()],
        difficulty: Level::Medium,
        measures: vec![Measure::HomeVisit],
        deadline: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        status: CaseStatus::Open,
        outcome: String::new(),
        found_on: None,
        difficulty_note: String::new(),
        opened_on: None,
    })
}

/// Whether `mutation` is one of the roster's (`roster_changes`), which tests leave out of what
/// they compare.
pub fn is_roster(mutation: &Mutation) -> bool {
    match &mutation.change {
        Change::PutClass(class) => class.id == ROSTER_CLASS,
        Change::PutStudent(student) => student.class == ROSTER_CLASS,
        Change::OpenCase(case) => case.id == ROSTER_CASE,
        _ => false,
    }
}

/// A school (`school`) whose roster (`roster_changes`) a 教导处 phone of its own pushed: the
/// children the test marks exist. Answers the school and how many mutations the roster took.
pub async fn school_with_roster(database: &Database, name: &str) -> (SchoolId, u64) {
    let school = bare_school(database, name).await;
    let (office, _) = enrolled_phone(database, school).await;
    let mut chain = DeviceChain::new(office);
    let batch: Vec<Mutation> =
        roster_changes(school).into_iter().map(|change| next(&mut chain, school, change, NOW as u64 - 1)).collect();
    let receipt = database.apply_batch(office, school, &batch, NOW).await.unwrap();
    assert_eq!(receipt.applied, batch.len(), "the roster is taken whole: {receipt:?}");
    (school, batch.len() as u64)
}

/// Enrolls a new phone at `school` with a fresh code; returns its id and credential.
pub async fn enrolled_phone(database: &Database, school: SchoolId) -> (DeviceId, String) {
    let code = format!("code-{}", random_uuid());
    database.add_enrollment_code(school, &hash_secret(&code), NOW, NOW + 24 * HOUR).await.unwrap();
    let device = DeviceId(random_uuid());
    let token = baoxue_sync_server::credentials::new_device_token().unwrap();
    database.enroll(&hash_secret(&code), device, "王老师的手机", &hash_secret(&token), NOW).await.unwrap().unwrap();
    (device, token)
}

/// A mark of child `(n - 1) % ROSTER + 1` of the roster, on a day of its own for each round of
/// the roster, so no two marks of one `n` range share a child and a day.
pub fn mark(n: u64, kind: MarkKind) -> Change {
    let round = n.saturating_sub(1) / ROSTER;
    Change::Mark(AttendanceMark {
        id: RecordId(random_uuid()),
        student: StudentId::from_u128(u128::from(n.saturating_sub(1) % ROSTER + 1)),
        day: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(round),
        half: None,
        kind,
    })
}

/// `count` attendance marks made on one phone, chained as the app chains them.
pub fn marks(device: DeviceId, school: SchoolId, count: u64) -> Vec<Mutation> {
    let mut chain = DeviceChain::new(device);
    (1..=count).map(|n| next(&mut chain, school, mark(n, MarkKind::Unexcused), NOW as u64 + n)).collect()
}

pub fn next(chain: &mut DeviceChain, school: SchoolId, change: Change, now_ms: u64) -> Mutation {
    let random = baoxue_sync_server::credentials::random_bytes::<10>().unwrap();
    chain.next("王老师", school, change, now_ms, random)
}

pub fn case_status(case: CaseId, status: CaseStatus) -> Change {
    Change::EditCase { case, field: CaseField::Status(status) }
}
