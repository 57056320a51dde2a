//! How the server decides about each mutation of a pushed batch, given what it already holds
//! of the device's chain. The storage loads a `StoredChain`, calls `check_batch`, and writes the
//! `Plan` in the same transaction, so two servers can never decide differently.
//!
//! For each mutation, in batch order:
//! - made on another device: refused (`WrongDevice`), and it does not touch this chain;
//! - counter at or below the head: skipped if the server holds the same content under that
//!   counter (a resend), refused again with the first reason if it was refused before, and
//!   otherwise refused as `CounterReused`: the first content stays;
//! - counter beyond the head + 1: a gap. The batch stops there; the rest is neither applied nor
//!   refused, and the phone sends it again after the missing mutations;
//! - counter = head + 1: applied, unless its `prev_hash` is not the head's hash (`BrokenChain`),
//!   its school is not the device's (`WrongSchool`), its id is taken (`IdTaken`) or its content
//!   is out of bounds (`wire_limits::check_mutation`: a stamp far ahead or of another device,
//!   text too long or with control characters, a date outside 1990..=2100, a change naming
//!   another school). A refusal here still moves the head past it (see
//!   `RejectionReason::uses_counter`), so one bad mutation never jams the phone's queue;
//! - and then, a change naming a student, class or case (`Change::names`) that the school does
//!   not hold (neither stored nor created earlier in the batch): refused as `RecordRefused` if
//!   the change that created that record was refused, since it can never arrive; otherwise
//!   *held*. The batch stops there as at a gap, the head does not move, and the phone sends it
//!   again later. Only a server restored from an older backup lacks a record an honest phone
//!   names (a phone names only what it made or pulled), and the phones send that back
//!   (`relay`); refusing for good would lose the teacher's change.

use crate::ids::{DeviceId, MutationId, SchoolId};
use crate::mutation::{ContentHash, Mutation};
use crate::sync::protocol::{Held, PushReceipt, Rejection};
use crate::sync::references::RecordRef;
use crate::sync::rejection::RejectionReason;
use crate::wire_limits;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

/// The last counter of a device the server has settled, and the hash of that mutation (the
/// `prev_hash` the next one must carry). `(0, zeros)` for a device that never pushed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: ContentHash,
}

/// A settled counter of the device: the content's hash, and the reason if it was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSlot {
    pub hash: ContentHash,
    pub refused: Option<RejectionReason>,
}

/// What the server holds that a batch is checked against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredChain {
    pub head: ChainHead,
    /// The settled counters of the device that the batch mentions (see `slots_to_load`).
    pub slots: BTreeMap<u64, StoredSlot>,
    /// Ids of the batch that the server already holds under any device and counter.
    pub ids_in_use: BTreeSet<MutationId>,
    /// The records named in the batch (`records_to_load`) that the school holds.
    pub known: BTreeSet<RecordRef>,
    /// The records named in the batch whose creating change the server refused for good (a
    /// reason no resend can fix: `RejectionReason::resend_can_succeed`).
    pub refused_records: BTreeSet<RecordRef>,
}

impl StoredChain {
    /// The counters of `batch` at or below `head`, which the storage must load as `slots`.
    pub fn slots_to_load(head: ChainHead, device: DeviceId, batch: &[Mutation]) -> Option<RangeInclusive<u64>> {
        let mut own = batch.iter().filter(|mutation| mutation.device == device && mutation.seq <= head.seq);
        let first = own.next()?.seq;
        let (low, high) =
            own.fold((first, first), |(low, high), mutation| (low.min(mutation.seq), high.max(mutation.seq)));
        Some(low..=high)
    }

    /// The records the batch names, which the storage looks up for `known` and
    /// `refused_records`.
    pub fn records_to_load(batch: &[Mutation]) -> BTreeSet<RecordRef> {
        batch.iter().flat_map(|mutation| mutation.change.names()).collect()
    }
}

/// What to do with one mutation of the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Apply,
    /// The server already holds this mutation.
    SkipDuplicate,
    Refuse(RejectionReason),
}

/// A missing counter: the batch went on at `found` where `expected` was due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub expected: u64,
    pub found: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// One step per mutation of the batch, in order, up to the gap or the held mutation if
    /// there is one.
    pub steps: Vec<Step>,
    /// The device's head once the plan is written.
    pub head: ChainHead,
    pub gap: Option<Gap>,
    pub held: Option<Held>,
}

impl Plan {
    /// Whether a step refuses a mutation for the first time, so it must be recorded; a
    /// refusal found again in `StoredChain::slots` is already on record.
    pub fn is_new_refusal(&self, index: usize, stored: &StoredChain, batch: &[Mutation]) -> bool {
        match (&self.steps[index], batch.get(index)) {
            (Step::Refuse(_), Some(mutation)) => stored
                .slots
                .get(&mutation.seq)
                .is_none_or(|slot| slot.hash != mutation.hash() || slot.refused.is_none()),
            _ => false,
        }
    }

    /// The answer to the phone, once the plan is committed.
    pub fn receipt(&self, batch: &[Mutation], server_time_ms: u64) -> PushReceipt {
        let count = |wanted: fn(&Step) -> bool| self.steps.iter().filter(|step| wanted(step)).count();
        PushReceipt {
            accepted_through: self.head.seq,
            applied: count(|step| matches!(step, Step::Apply)),
            skipped_duplicates: count(|step| matches!(step, Step::SkipDuplicate)),
            rejected: self
                .steps
                .iter()
                .zip(batch)
                .filter_map(|(step, mutation)| match step {
                    Step::Refuse(reason) => {
                        Some(Rejection { seq: mutation.seq, id: mutation.id, reason: reason.clone() })
                    }
                    _ => None,
                })
                .collect(),
            gap: self.gap,
            held: self.held.clone(),
            server_time_ms,
        }
    }
}

/// Decides about every mutation of `batch`, pushed by `device` enrolled at `school` when the
/// server's clock reads `server_ms`, against what the server holds of its chain. See the module
/// comment for the rules.
pub fn check_batch(
    device: DeviceId,
    school: SchoolId,
    server_ms: u64,
    stored: &StoredChain,
    batch: &[Mutation],
) -> Plan {
    let mut head = stored.head;
    // Counters and ids settled by earlier mutations of this same batch.
    let mut settled_here: BTreeMap<u64, StoredSlot> = BTreeMap::new();
    let mut ids_here: BTreeSet<MutationId> = BTreeSet::new();
    let mut steps = Vec::with_capacity(batch.len());
    let mut gap = None;
    let mut held = None;
    // Records created by changes applied earlier in this batch, and refused.
    let mut defined_here: BTreeSet<RecordRef> = BTreeSet::new();
    let mut refused_here: BTreeSet<RecordRef> = BTreeSet::new();
    for mutation in batch {
        if mutation.device != device {
            steps.push(Step::Refuse(RejectionReason::WrongDevice { found: mutation.device }));
            continue;
        }
        if mutation.seq == 0 {
            steps.push(Step::Refuse(RejectionReason::ZeroCounter));
            continue;
        }
        let hash = mutation.hash();
        if mutation.seq <= head.seq {
            let settled = settled_here.get(&mutation.seq).or_else(|| stored.slots.get(&mutation.seq));
            steps.push(match settled {
                Some(slot) if slot.hash == hash => match &slot.refused {
                    None => Step::SkipDuplicate,
                    Some(reason) => Step::Refuse(reason.clone()),
                },
                _ => Step::Refuse(RejectionReason::CounterReused { seq: mutation.seq }),
            });
            continue;
        }
        if mutation.seq > head.seq + 1 {
            gap = Some(Gap { expected: head.seq + 1, found: mutation.seq });
            break;
        }
        let mut refusal = if mutation.prev_hash != head.hash {
            Some(RejectionReason::BrokenChain { seq: mutation.seq })
        } else if mutation.school != school {
            Some(RejectionReason::WrongSchool { expected: school, found: mutation.school })
        } else if stored.ids_in_use.contains(&mutation.id) || ids_here.contains(&mutation.id) {
            Some(RejectionReason::IdTaken { id: mutation.id })
        } else {
            wire_limits::check_mutation(mutation, school, server_ms).err()
        };
        if refusal.is_none() {
            let missing = mutation
                .change
                .names()
                .into_iter()
                .find(|record| !stored.known.contains(record) && !defined_here.contains(record));
            match missing {
                Some(record) if stored.refused_records.contains(&record) || refused_here.contains(&record) => {
                    refusal = Some(RejectionReason::RecordRefused { record });
                }
                Some(record) => {
                    held = Some(Held { seq: mutation.seq, id: mutation.id, missing: record });
                    break;
                }
                None => {}
            }
        }
        match &refusal {
            None => {
                ids_here.insert(mutation.id);
                defined_here.extend(mutation.change.defines());
            }
            // A record refused for its numbering comes back re-issued: not refused for good.
            Some(reason) if !reason.resend_can_succeed() => refused_here.extend(mutation.change.defines()),
            Some(_) => {}
        }
        head = ChainHead { seq: mutation.seq, hash };
        settled_here.insert(mutation.seq, StoredSlot { hash, refused: refusal.clone() });
        steps.push(refusal.map_or(Step::Apply, Step::Refuse));
    }
    Plan { steps, head, gap, held }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::{AttendanceMark, MarkKind};
    use crate::ids::{RecordId, StudentId};
    use crate::mutation::{Change, DeviceChain};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    const PHONE: DeviceId = DeviceId::from_u128(7);
    const OTHER_PHONE: DeviceId = DeviceId::from_u128(8);
    const SCHOOL: SchoolId = SchoolId::from_u128(1);
    const OTHER_SCHOOL: SchoolId = SchoolId::from_u128(2);
    /// The server's clock in these tests: the stamps of `chain_of` are long before it.
    const NOW: u64 = 1_795_400_000_000;

    fn mark(n: u64, kind: MarkKind) -> Change {
        Change::Mark(AttendanceMark {
            id: RecordId::from_u128(u128::from(n) + 100),
            student: StudentId::from_u128(5),
            day: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            half: None,
            kind,
        })
    }

    fn chain_of(device: DeviceId, count: u64) -> Vec<Mutation> {
        let mut chain = DeviceChain::new(device);
        (1..=count)
            .map(|n| chain.next("王老师", SCHOOL, mark(n, MarkKind::Unexcused), 1_000 + n, [n as u8; 10]))
            .collect()
    }

    /// A server in memory that stores exactly what a plan says, as the SQL storages do.
    #[derive(Clone, Debug, Default, PartialEq)]
    struct Server {
        head: ChainHead,
        slots: BTreeMap<u64, StoredSlot>,
        stored: BTreeMap<MutationId, Mutation>,
        /// Records other phones made, as if they had pushed them.
        made_elsewhere: BTreeSet<RecordRef>,
        refused_records: BTreeSet<RecordRef>,
    }

    impl Server {
        fn push(&mut self, batch: &[Mutation]) -> PushReceipt {
            let stored = StoredChain {
                head: self.head,
                slots: self.slots.clone(),
                ids_in_use: batch.iter().map(|m| m.id).filter(|id| self.stored.contains_key(id)).collect(),
                // The child `mark` names is on the roster before these tests start.
                known: self
                    .stored
                    .values()
                    .filter_map(|mutation| mutation.change.defines())
                    .chain(self.made_elsewhere.iter().copied())
                    .chain([RecordRef::Student(StudentId::from_u128(5))])
                    .collect(),
                refused_records: self.refused_records.clone(),
            };
            let plan = check_batch(PHONE, SCHOOL, NOW, &stored, batch);
            for (step, mutation) in plan.steps.iter().zip(batch) {
                match step {
                    Step::Apply => {
                        self.slots.insert(mutation.seq, StoredSlot { hash: mutation.hash(), refused: None });
                        self.stored.insert(mutation.id, mutation.clone());
                    }
                    Step::Refuse(reason) if reason.uses_counter() => {
                        self.slots
                            .insert(mutation.seq, StoredSlot { hash: mutation.hash(), refused: Some(reason.clone()) });
                        self.refused_records.extend(mutation.change.defines());
                    }
                    _ => {}
                }
            }
            self.head = plan.head;
            plan.receipt(batch, 0)
        }
    }

    /// A chain of `changes` made on `PHONE`.
    fn chain_with(changes: Vec<Change>) -> Vec<Mutation> {
        let mut chain = DeviceChain::new(PHONE);
        (1u64..)
            .zip(changes)
            .map(|(n, change)| chain.next("王老师", SCHOOL, change, 1_000 + n, [n as u8; 10]))
            .collect()
    }

    fn mark_of(n: u64, student: u128) -> Change {
        let Change::Mark(mut mark) = mark(n, MarkKind::Late) else { unreachable!() };
        mark.student = StudentId::from_u128(student);
        Change::Mark(mark)
    }

    #[test]
    fn a_change_naming_a_child_the_school_lacks_is_held_until_the_child_arrives() {
        let mut server = Server::default();
        let chain = chain_with(vec![mark_of(1, 5), mark_of(2, 9), mark_of(3, 5)]);
        let receipt = server.push(&chain);
        let missing = RecordRef::Student(StudentId::from_u128(9));
        assert_eq!(receipt.held, Some(Held { seq: 2, id: chain[1].id, missing }));
        assert_eq!((receipt.accepted_through, receipt.applied, receipt.rejected.len()), (1, 1, 0));
        assert_eq!(server.head.seq, 1, "the held change keeps its place in the chain");
        assert_eq!(server.push(&chain[1..]).held.map(|held| held.seq), Some(2), "still held");
        // Another phone sends the child back (a restored server).
        server.made_elsewhere.insert(missing);
        let receipt = server.push(&chain[1..]);
        assert_eq!((receipt.accepted_through, receipt.applied, receipt.held), (3, 2, None));
    }

    #[test]
    fn a_record_made_earlier_in_the_batch_is_known() {
        let mut student = crate::test_school::TestSchool::new().seventh_grader("张小明", None);
        student.school = SCHOOL;
        let student_id = student.id;
        let class = RecordRef::Class(student.class);
        let chain = chain_with(vec![Change::PutStudent(student), mark_of(2, student_id.0.as_u128())]);
        let mut server = Server::default();
        assert_eq!(server.push(&chain).held.map(|held| held.missing), Some(class), "the class is not there");
        server.made_elsewhere.insert(class);
        let receipt = server.push(&chain);
        assert_eq!((receipt.accepted_through, receipt.applied, receipt.held), (2, 2, None));
    }

    #[test]
    fn a_change_naming_a_refused_record_is_refused_for_good() {
        let mut student = crate::test_school::TestSchool::new().seventh_grader("张小明", None);
        student.school = SCHOOL;
        student.address = "村".repeat(100_000);
        let student_id = student.id;
        let mut server = Server::default();
        server.made_elsewhere.insert(RecordRef::Class(student.class));
        let chain = chain_with(vec![Change::PutStudent(student), mark_of(2, student_id.0.as_u128()), mark_of(3, 5)]);
        let receipt = server.push(&chain);
        assert!(matches!(receipt.rejected[0].reason, RejectionReason::TextTooLong { .. }), "{receipt:?}");
        assert_eq!(
            receipt.rejected[1].reason,
            RejectionReason::RecordRefused { record: RecordRef::Student(student_id) }
        );
        assert_eq!((receipt.accepted_through, receipt.applied, receipt.held), (3, 1, None), "the queue moves on");
    }

    #[test]
    fn a_fresh_chain_is_applied_whole() {
        let mut server = Server::default();
        let receipt = server.push(&chain_of(PHONE, 3));
        assert_eq!((receipt.accepted_through, receipt.applied, receipt.rejected.len()), (3, 3, 0));
        assert_eq!(receipt.gap, None);
    }

    #[test]
    fn a_resent_batch_is_skipped() {
        let mut server = Server::default();
        let batch = chain_of(PHONE, 3);
        server.push(&batch);
        let receipt = server.push(&batch);
        assert_eq!((receipt.accepted_through, receipt.applied, receipt.skipped_duplicates), (3, 0, 3));
    }

    #[test]
    fn a_reused_counter_with_other_content_is_refused_and_the_first_stays() {
        let mut server = Server::default();
        let first = chain_of(PHONE, 2);
        server.push(&first);
        // The phone was restored from a backup taken after mutation 1 and wrote a new 2.
        let mut restored = DeviceChain::new(PHONE);
        let one = restored.next("王老师", SCHOOL, mark(1, MarkKind::Unexcused), 1_001, [1; 10]);
        assert_eq!(one, first[0]);
        let other_two = restored.next("王老师", SCHOOL, mark(2, MarkKind::Present), 1_002, [22; 10]);
        let receipt = server.push(&[one, other_two.clone()]);
        assert_eq!(receipt.skipped_duplicates, 1);
        assert_eq!(
            receipt.rejected,
            vec![Rejection { seq: 2, id: other_two.id, reason: RejectionReason::CounterReused { seq: 2 } }]
        );
        assert_eq!(server.stored.get(&first[1].id), Some(&first[1]));
        assert!(!server.stored.contains_key(&other_two.id));
    }

    #[test]
    fn a_gap_stops_the_batch_and_the_resend_completes_it() {
        let mut server = Server::default();
        let chain = chain_of(PHONE, 5);
        let receipt = server.push(&[chain[0].clone(), chain[1].clone(), chain[3].clone(), chain[4].clone()]);
        assert_eq!((receipt.accepted_through, receipt.applied), (2, 2));
        assert_eq!(receipt.gap, Some(Gap { expected: 3, found: 4 }));
        assert!(receipt.rejected.is_empty(), "nothing after a gap is refused: {:?}", receipt.rejected);
        let receipt = server.push(&chain[2..]);
        assert_eq!((receipt.accepted_through, receipt.applied, receipt.gap), (5, 3, None));
    }

    #[test]
    fn a_wrong_school_is_refused_without_jamming_the_queue() {
        let mut server = Server::default();
        let mut chain = DeviceChain::new(PHONE);
        let good = chain.next("王老师", SCHOOL, mark(1, MarkKind::Late), 1, [1; 10]);
        let foreign = chain.next("王老师", OTHER_SCHOOL, mark(2, MarkKind::Late), 2, [2; 10]);
        let after = chain.next("王老师", SCHOOL, mark(3, MarkKind::Late), 3, [3; 10]);
        let batch = [good, foreign.clone(), after];
        let receipt = server.push(&batch);
        assert_eq!((receipt.accepted_through, receipt.applied), (3, 2));
        assert_eq!(
            receipt.rejected,
            vec![Rejection {
                seq: 2,
                id: foreign.id,
                reason: RejectionReason::WrongSchool { expected: SCHOOL, found: OTHER_SCHOOL }
            }]
        );
        // The answer was lost and the phone resends: the same refusal, nothing new applied.
        let again = server.push(&batch);
        assert_eq!((again.applied, again.skipped_duplicates, again.rejected), (0, 2, receipt.rejected));
    }

    #[test]
    fn an_altered_mutation_breaks_the_chain_and_the_next_one_follows_it() {
        let mut server = Server::default();
        let mut chain = chain_of(PHONE, 3);
        server.push(&chain[..1]);
        chain[1].author = "李老师".into(); // Altered after it was chained: its hash changed.
        let altered_prev = chain[1].prev_hash;
        chain[1].prev_hash = ContentHash([9; 32]);
        let receipt = server.push(&chain[1..]);
        assert_eq!(receipt.rejected[0].reason, RejectionReason::BrokenChain { seq: 2 });
        assert_ne!(altered_prev, chain[1].prev_hash);
        // Mutation 3 chains to the original 2, not the altered one the server saw, so it too
        // is refused; the head moves on regardless.
        assert_eq!(receipt.accepted_through, 3);
    }

    #[test]
    fn another_phones_mutation_is_refused_and_leaves_the_chain_alone() {
        let mut server = Server::default();
        let mine = chain_of(PHONE, 2);
        let theirs = chain_of(OTHER_PHONE, 1);
        let receipt = server.push(&[mine[0].clone(), theirs[0].clone(), mine[1].clone()]);
        assert_eq!((receipt.accepted_through, receipt.applied), (2, 2));
        assert_eq!(receipt.rejected[0].reason, RejectionReason::WrongDevice { found: OTHER_PHONE });
    }

    #[test]
    fn a_taken_id_is_refused() {
        let mut server = Server::default();
        let mut chain = DeviceChain::new(PHONE);
        let first = chain.next("王老师", SCHOOL, mark(1, MarkKind::Late), 1, [1; 10]);
        let mut second = chain.next("王老师", SCHOOL, mark(2, MarkKind::Late), 1, [1; 10]);
        // Same clock and the same "random" bytes: a broken random source gives the same id.
        assert_eq!(first.id, second.id);
        second.prev_hash = first.hash();
        let receipt = server.push(&[first, second.clone()]);
        assert_eq!(
            receipt.rejected,
            vec![Rejection { seq: 2, id: second.id, reason: RejectionReason::IdTaken { id: second.id } }]
        );
        assert_eq!(receipt.accepted_through, 2);
    }

    #[test]
    fn a_mutation_out_of_bounds_is_refused_without_jamming_the_queue() {
        let mut server = Server::default();
        let mut chain = DeviceChain::new(PHONE);
        let good = chain.next("王老师", SCHOOL, mark(1, MarkKind::Late), 1, [1; 10]);
        let long_author = chain.next(&"王".repeat(100_000), SCHOOL, mark(2, MarkKind::Late), 2, [2; 10]);
        let after = chain.next("王老师", SCHOOL, mark(3, MarkKind::Late), 3, [3; 10]);
        let batch = [good, long_author.clone(), after];
        let receipt = server.push(&batch);
        assert_eq!((receipt.accepted_through, receipt.applied), (3, 2));
        assert_eq!(
            receipt.rejected,
            vec![Rejection {
                seq: 2,
                id: long_author.id,
                reason: RejectionReason::TextTooLong { field: "author".into(), chars: 100_000, limit: 50 }
            }]
        );
        assert!(!server.stored.contains_key(&long_author.id));
        let again = server.push(&batch);
        assert_eq!((again.applied, again.skipped_duplicates, again.rejected), (0, 2, receipt.rejected));
    }

    #[test]
    fn the_slots_to_load_are_the_batch_counters_behind_the_head() {
        let chain = chain_of(PHONE, 6);
        let head = ChainHead { seq: 4, hash: chain[3].hash() };
        assert_eq!(StoredChain::slots_to_load(head, PHONE, &chain[1..]), Some(2..=4));
        assert_eq!(StoredChain::slots_to_load(head, PHONE, &chain[4..]), None);
    }

    proptest! {
        /// A batch applied twice leaves the server as applying it once, and the second answer
        /// applies nothing new.
        #[test]
        fn a_batch_applied_twice_equals_once(count in 0u64..12, start in 0usize..12, end in 0usize..12, head in 0usize..12) {
            let chain = chain_of(PHONE, count);
            let head = head.min(chain.len());
            let (start, end) = (start.min(end).min(chain.len()), end.max(start).min(chain.len()));
            let mut once = Server::default();
            once.push(&chain[..head]);
            let first = once.push(&chain[start..end]);
            let mut twice = once.clone();
            let second = twice.push(&chain[start..end]);
            prop_assert_eq!(&once, &twice);
            prop_assert_eq!(second.applied, 0);
            prop_assert_eq!(second.accepted_through, first.accepted_through);
        }

        /// Any selection of a chain, sent in order: exactly the unbroken run from the head is
        /// applied, the batch stops at the first gap, nothing is refused, and sending the whole
        /// chain afterwards completes it with each mutation stored once.
        #[test]
        fn a_gap_applies_the_prefix_and_a_resend_completes(count in 1u64..15, keep in proptest::collection::vec(any::<bool>(), 15)) {
            let chain = chain_of(PHONE, count);
            let sent: Vec<Mutation> = chain.iter().zip(&keep).filter(|(_, keep)| **keep).map(|(m, _)| m.clone()).collect();
            let mut server = Server::default();
            let receipt = server.push(&sent);
            let run = sent.iter().zip(1u64..).take_while(|(mutation, expected)| mutation.seq == *expected).count();
            prop_assert_eq!(receipt.applied, run);
            prop_assert_eq!(receipt.accepted_through, run as u64);
            prop_assert!(receipt.rejected.is_empty());
            prop_assert_eq!(receipt.gap.is_some(), run < sent.len());
            let receipt = server.push(&chain);
            prop_assert_eq!(receipt.accepted_through, count);
            prop_assert_eq!(receipt.applied + run, count as usize);
            prop_assert_eq!(server.stored.len(), count as usize);
        }
    }
}
