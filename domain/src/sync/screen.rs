//! What a phone checks in every pulled page before it merges anything: the limits the server
//! holds each push to (`wire_limits::check_mutation`: a stamp far ahead or of another device,
//! text too long or with a control character, a date out of range, a change naming another
//! school) and the mutation's own school. A mutation a server let through (stored before these
//! checks existed, or by a server that is not this one) then cannot poison the phone's clock or
//! records: it is set aside with its reason, reported, and never merged.

use crate::ids::SchoolId;
use crate::mutation::Mutation;
use crate::sync::rejection::RejectionReason;
use crate::wire_limits;

/// A pulled mutation the phone did not merge, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    pub mutation: Mutation,
    pub reason: RejectionReason,
}

/// Splits a page's `(server_seq, mutation)` pairs into those to merge and those set aside, for
/// a phone of `school` whose corrected clock reads `now_ms`.
pub fn screen_page(
    pulled: Vec<(u64, Mutation)>,
    school: SchoolId,
    now_ms: u64,
) -> (Vec<(u64, Mutation)>, Vec<SetAside>) {
    let mut kept = Vec::with_capacity(pulled.len());
    let mut set_aside = Vec::new();
    for (seq, mutation) in pulled {
        let checked = if mutation.school == school {
            wire_limits::check_mutation(&mutation, school, now_ms)
        } else {
            Err(RejectionReason::WrongSchool { expected: school, found: mutation.school })
        };
        match checked {
            Ok(()) => kept.push((seq, mutation)),
            Err(reason) => set_aside.push(SetAside { mutation, reason }),
        }
    }
    (kept, set_aside)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::{AttendanceMark, MarkKind};
    use crate::hlc::Hlc;
    use crate::ids::{DeviceId, RecordId, StudentId};
    use crate::mutation::{Change, DeviceChain};

    const SCHOOL: SchoolId = SchoolId::from_u128(1);
    const OTHER_SCHOOL: SchoolId = SchoolId::from_u128(2);
    const PHONE: DeviceId = DeviceId::from_u128(7);
    const NOW: u64 = 1_795_400_000_000;

    fn mark(chain: &mut DeviceChain, school: SchoolId, n: u8) -> Mutation {
        let mark = AttendanceMark {
            id: RecordId::from_u128(u128::from(n) + 1),
            student: StudentId::from_u128(5),
            day: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            half: None,
            kind: MarkKind::Late,
        };
        chain.next("王老师", school, Change::Mark(mark), NOW, [n; 10])
    }

    #[test]
    fn a_poison_stamp_and_a_foreign_school_are_set_aside_and_the_rest_kept() {
        let mut chain = DeviceChain::new(PHONE);
        let honest = mark(&mut chain, SCHOOL, 1);
        let mut poison = mark(&mut chain, SCHOOL, 2);
        poison.stamp = Hlc { wall_ms: u64::MAX, counter: u32::MAX, device: PHONE };
        let foreign = mark(&mut chain, OTHER_SCHOOL, 3);
        let mut spoofed = mark(&mut chain, SCHOOL, 4);
        spoofed.stamp.device = DeviceId::from_u128(8);
        let pulled = vec![(1, honest.clone()), (2, poison.clone()), (3, foreign), (4, spoofed)];
        let (kept, set_aside) = screen_page(pulled, SCHOOL, NOW);
        assert_eq!(kept, vec![(1, honest)]);
        let reasons: Vec<_> = set_aside.iter().map(|aside| aside.reason.clone()).collect();
        assert!(matches!(reasons[0], RejectionReason::StampAhead { .. }), "{reasons:?}");
        assert!(matches!(reasons[1], RejectionReason::WrongSchool { .. }), "{reasons:?}");
        assert!(matches!(reasons[2], RejectionReason::StampOfOtherDevice { .. }), "{reasons:?}");
        assert_eq!(set_aside[0].mutation, poison);
    }
}
