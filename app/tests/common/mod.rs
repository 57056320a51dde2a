//! What the store's wasm tests share: one phone of one school, numbered marks, and a random
//! source that counts, so ids are known in advance.
#![allow(dead_code)] // Each test file uses its own part.

use baoxue_app::store::{Profile, Store, Written};
use baoxue_domain::attendance::{AttendanceMark, MarkKind};
use baoxue_domain::calendar::Term;
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::{ClassId, DeviceId, RecordId, SchoolId, StudentId};
use baoxue_domain::mutation::Change;
use baoxue_domain::org::Grade;
use baoxue_domain::student::{Gender, Student};
use chrono::NaiveDate;

pub const PHONE: DeviceId = DeviceId::from_u128(11);
pub const SCHOOL: SchoolId = SchoolId::from_u128(1);

/// Mark `n`: one of seven children, all on one day.
pub fn mark(n: u64) -> Change {
    Change::Mark(AttendanceMark {
        id: RecordId::from_u128(1000 + u128::from(n)),
        student: StudentId::from_u128(u128::from(n % 7)),
        day: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        half: None,
        kind: MarkKind::Unexcused,
    })
}

/// A mark as the app commits it: a phone marking the child for the first time holds nothing of
/// the slot, so its base is empty.
pub fn tap(n: u64) -> (Change, Option<Vec<Hlc>>) {
    (mark(n), Some(Vec::new()))
}

/// The first run of the phone: its profile saved with the first changes.
pub async fn first_run(store: &Store, changes: Vec<Change>, now_ms: u64) -> Written {
    store
        .commit(changes.into_iter().map(|change| (change, None)).collect(), Some(&profile()), now_ms, counter_random())
        .await
        .unwrap()
}

/// The term and the seven children the marks are of: what the domain's checks of a mark ask
/// for (a known child, a school day of the term, not in the future).
pub fn class_of_seven() -> Vec<Change> {
    let day = |text: &str| text.parse::<NaiveDate>().unwrap();
    let term = Term { name: "2026年秋季学期".into(), start: day("2026-09-01"), end: day("2027-01-20") };
    let mut changes = vec![Change::SetTerm { school: SCHOOL, term }];
    changes.extend((0..7u128).map(|n| {
        Change::PutStudent(Student {
            id: StudentId::from_u128(n),
            school: SCHOOL,
            student_number: None,
            name: format!("学生{n}"),
            gender: Gender::Female,
            birth_date: day("2013-05-01"),
            grade: Grade::new(7).unwrap(),
            class: ClassId::from_u128(3),
            village: String::new(),
            address: String::new(),
            guardian: String::new(),
            guardian_phone: String::new(),
            id_number: None,
        })
    }));
    changes
}

pub fn profile() -> Profile {
    Profile { device: PHONE, school: SCHOOL, class: Some(ClassId::from_u128(3)), teacher: "李老师".into() }
}

pub fn counter_random() -> impl FnMut() -> [u8; 10] {
    let mut n = 0u8;
    move || {
        n = n.wrapping_add(1);
        [n; 10]
    }
}
