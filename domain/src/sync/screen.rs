//! What a phone checks in every pulled page before it merges anything: the limits the server
//! holds each push to (`wire_limits::check_mutation`: a stamp far ahead or of another device,
//! text too long or with a control character, a date out of range, a change naming another
//! school), the mutation's own school, and each device's chain: a mutation that follows the
//! last one the phone holds of its device must carry that one's hash. A mutation a server let
//! through (stored before these checks existed, or by a server that is not this one) then
//! cannot poison the phone's clock or records: it is set aside with its reason, reported, and
//! never merged.
//!
//! The chain is checked where it can be: the server leaves out a device's refused mutations, so
//! a counter may skip (the next one is then taken as it comes), and an altered mutation shows
//! only at the one after it, which no longer follows it. No device signs its changes; the chain
//! tells that something was changed, not what.

use crate::ids::{DeviceId, SchoolId};
use crate::mutation::{ContentHash, Mutation};
use crate::sync::rejection::RejectionReason;
use crate::wire_limits;
use std::collections::BTreeMap;

/// A pulled mutation the phone did not merge, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    pub mutation: Mutation,
    pub reason: RejectionReason,
}

/// The newest counter a phone holds of each device's chain, with that mutation's hash: what
/// the next pulled mutation of the device must follow. Kept with the cursor.
pub type HeldHeads = BTreeMap<DeviceId, (u64, ContentHash)>;

/// Notes a merged mutation in `heads`.
pub fn advance(heads: &mut HeldHeads, mutation: &Mutation) {
    let newer = heads.get(&mutation.device).is_none_or(|(seq, _)| mutation.seq > *seq);
    if newer {
        heads.insert(mutation.device, (mutation.seq, mutation.hash()));
    }
}

/// Splits a page's `(server_seq, mutation)` pairs into those to merge and those set aside, for
/// a phone of `school` whose corrected clock reads `phone_ms`, on a page the server answered at
/// `server_ms`, holding `heads`; the kept ones advance `heads`. Stamps are bounded from the later
/// of the two times, so a phone whose clock is still wrong never sets aside what is on time.
pub fn screen_page(
    pulled: Vec<(u64, Mutation)>,
    school: SchoolId,
    (phone_ms, server_ms): (u64, u64),
    heads: &mut HeldHeads,
) -> (Vec<(u64, Mutation)>, Vec<SetAside>) {
    let now_ms = phone_ms.max(server_ms);
    let mut kept = Vec::with_capacity(pulled.len());
    let mut set_aside = Vec::new();
    for (seq, mutation) in pulled {
        let follows = |(last, hash): &(u64, ContentHash)| mutation.seq != last + 1 || mutation.prev_hash == *hash;
        let checked = if mutation.school != school {
            Err(RejectionReason::WrongSchool { expected: school, found: mutation.school })
        } else if !heads.get(&mutation.device).is_none_or(follows) {
            Err(RejectionReason::BrokenChain { seq: mutation.seq })
        } else {
            wire_limits::check_mutation(&mutation, school, now_ms)
        };
        match checked {
            Ok(()) => {
                advance(heads, &mutation);
                kept.push((seq, mutation));
            }
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
        let (kept, set_aside) = screen_page(pulled, SCHOOL, (NOW - 86_400_000 * 7, NOW), &mut HeldHeads::new());
        assert_eq!(kept, vec![(1, honest)]);
        let reasons: Vec<_> = set_aside.iter().map(|aside| aside.reason.clone()).collect();
        assert!(matches!(reasons[0], RejectionReason::StampAhead { .. }), "{reasons:?}");
        assert!(matches!(reasons[1], RejectionReason::WrongSchool { .. }), "{reasons:?}");
        assert!(matches!(reasons[2], RejectionReason::StampOfOtherDevice { .. }), "{reasons:?}");
        assert_eq!(set_aside[0].mutation, poison);
    }

    #[test]
    fn a_change_that_does_not_follow_its_device_chain_is_set_aside() {
        let mut chain = DeviceChain::new(PHONE);
        let made: Vec<Mutation> = (1..=4).map(|n| mark(&mut chain, SCHOOL, n)).collect();
        let mut heads = HeldHeads::new();
        let (kept, _) = screen_page(vec![(1, made[0].clone())], SCHOOL, (NOW, 0), &mut heads);
        assert_eq!(kept.len(), 1);
        assert_eq!(heads[&PHONE], (1, made[0].hash()));
        // The server altered the second change: the third no longer follows it and is set aside.
        let mut altered = made[1].clone();
        altered.author = "冒名".into();
        let pulled = vec![(2, altered), (3, made[2].clone())];
        let (kept, set_aside) = screen_page(pulled, SCHOOL, (NOW, NOW), &mut heads);
        assert_eq!(kept.len(), 1);
        assert_eq!(set_aside[0].reason, RejectionReason::BrokenChain { seq: 3 });
        // A counter that skips (the server refused the one between) is taken as it comes.
        let mut skipping = HeldHeads::new();
        let pulled = vec![(1, made[0].clone()), (2, made[2].clone()), (3, made[3].clone())];
        let (kept, set_aside) = screen_page(pulled, SCHOOL, (NOW, NOW), &mut skipping);
        assert_eq!((kept.len(), set_aside.len()), (3, 0));
        assert_eq!(skipping[&PHONE], (4, made[3].hash()));
    }
}
