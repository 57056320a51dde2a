//! What a phone sends back to a server that lost part of its school's history: restored from a
//! backup older than what the phones hold. Every phone keeps the whole school (its own
//! mutations and every pulled one), so after a resync it compares the server's heads
//! (`GET /api/heads`) with what it holds: its own missing run it pushes again as usual, and
//! other devices' runs (a phone lost or broken since the backup included) it relays, each
//! continuing the chain the server holds, so the hashes prove they are unaltered.

use crate::ids::DeviceId;
use crate::mutation::Mutation;
use crate::sync::protocol::DeviceHead;
use std::collections::BTreeMap;

/// What the server lacks of what a phone holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lacking {
    /// The first counter of the phone's own chain the server lacks: the phone pushes its own
    /// mutations from there (it keeps all of them).
    pub own_from: Option<u64>,
    /// Other devices' mutations the server lacks: per device, the unbroken run of counters
    /// right after the server's head, in counter order. What `POST /api/relay` carries, in
    /// batches of `MAX_BATCH`.
    pub relay: Vec<Mutation>,
}

/// Compares the server's `heads` with the mutations a phone holds. Devices the server does not
/// list are left out (it would refuse them: they are not of this school); a run stops at the
/// first counter the phone does not hold, since the server takes nothing past a gap.
pub fn lacking<'a>(heads: &[DeviceHead], own: DeviceId, held: impl IntoIterator<Item = &'a Mutation>) -> Lacking {
    let head_of: BTreeMap<DeviceId, u64> = heads.iter().map(|head| (head.device, head.seq)).collect();
    let mut beyond: BTreeMap<DeviceId, BTreeMap<u64, &Mutation>> = BTreeMap::new();
    for mutation in held {
        if head_of.get(&mutation.device).is_some_and(|&head| mutation.seq > head) {
            beyond.entry(mutation.device).or_default().insert(mutation.seq, mutation);
        }
    }
    let mut lacking = Lacking::default();
    for (device, run) in beyond {
        let head = head_of[&device];
        if device == own {
            lacking.own_from = Some(head + 1);
            continue;
        }
        let unbroken = run.values().zip(head + 1..).take_while(|(mutation, expected)| mutation.seq == *expected);
        lacking.relay.extend(unbroken.map(|(mutation, _)| (*mutation).clone()));
    }
    lacking
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::{AttendanceMark, MarkKind};
    use crate::ids::{RecordId, SchoolId, StudentId};
    use crate::mutation::{Change, DeviceChain};

    const SCHOOL: SchoolId = SchoolId::from_u128(1);
    const OWN: DeviceId = DeviceId::from_u128(10);
    const LOST: DeviceId = DeviceId::from_u128(11);
    const OTHER: DeviceId = DeviceId::from_u128(12);
    const UNKNOWN: DeviceId = DeviceId::from_u128(13);

    fn chain(device: DeviceId, count: u64) -> Vec<Mutation> {
        let tag = device.to_string().as_bytes()[35];
        let mut chain = DeviceChain::new(device);
        (0..count)
            .map(|n| {
                let mark = AttendanceMark {
                    id: RecordId::from_u128(u128::from(n) + 1),
                    student: StudentId::from_u128(5),
                    day: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(n),
                    half: None,
                    kind: MarkKind::Present,
                };
                let mut random = [0u8; 10];
                random[0] = tag;
                random[9] = n as u8;
                chain.next("王老师", SCHOOL, Change::Mark(mark), 1_790_000_000_000 + n, random)
            })
            .collect()
    }

    #[test]
    fn own_runs_are_pushed_and_other_runs_relayed_from_the_server_heads() {
        let own = chain(OWN, 5);
        let lost = chain(LOST, 4);
        let other = chain(OTHER, 3);
        let unknown = chain(UNKNOWN, 2);
        let heads = [
            DeviceHead { device: OWN, seq: 2 },
            DeviceHead { device: LOST, seq: 1 },
            DeviceHead { device: OTHER, seq: 3 },
        ];
        let held = own.iter().chain(&lost).chain(&other).chain(&unknown);
        let found = lacking(&heads, OWN, held);
        assert_eq!(found.own_from, Some(3));
        assert_eq!(found.relay, lost[1..].to_vec());
    }

    #[test]
    fn a_run_stops_at_the_first_counter_the_phone_lacks() {
        let lost = chain(LOST, 6);
        // The phone never pulled counter 4 of the lost phone.
        let held: Vec<&Mutation> = lost.iter().filter(|mutation| mutation.seq != 4).collect();
        let found = lacking(&[DeviceHead { device: LOST, seq: 1 }], OWN, held);
        assert_eq!(found.relay.iter().map(|mutation| mutation.seq).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(found.own_from, None);
    }

    #[test]
    fn nothing_is_sent_to_a_server_that_holds_everything() {
        let own = chain(OWN, 2);
        let lost = chain(LOST, 2);
        let heads = [DeviceHead { device: OWN, seq: 2 }, DeviceHead { device: LOST, seq: 2 }];
        assert_eq!(lacking(&heads, OWN, own.iter().chain(&lost)), Lacking::default());
    }
}
