//! What the store's wasm tests share: one phone of one school, numbered marks, and a random
//! source that counts, so ids are known in advance.
#![allow(dead_code)] // Each test file uses its own part.

use baoxue_app::store::Profile;
use baoxue_domain::attendance::{AttendanceMark, MarkKind};
use baoxue_domain::hlc::Hlc;
use baoxue_domain::ids::{ClassId, DeviceId, RecordId, SchoolId, StudentId};
use baoxue_domain::mutation::Change;
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
