//! The phone's side of sync as pure decisions: what a push receipt settles and what to send
//! next, and where a pull page leaves the cursor. The app's sync client (`app/src/sync`) runs
//! them around its HTTP calls and IndexedDB transactions, and the server's sync simulation
//! (`sync-server/tests/sync_simulation.rs`) runs the same ones for its phones, so the contract
//! the simulation checks is the one the app keeps. The pull loop around them (cursor, epoch,
//! send-back duty) is `sync::marks`.

use crate::ids::MutationId;
use crate::mutation::Mutation;
use crate::sync::protocol::PushReceipt;
use crate::sync::rejection::RejectionReason;

/// How many times one sync sends the changes a receipt's `gap` names. Twice is enough; more
/// would loop on changes the phone no longer has.
pub const GAP_FILLS: u8 = 2;

/// Where the next push batch comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The phone's unsent changes, in counter order.
    Outbox,
    /// The phone's own stored changes from this counter on (the server misses them: a gap, or
    /// a restore).
    OwnFrom(u64),
}

/// What to do after a receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    Send(Source),
    /// Nothing more can be settled in this sync.
    Done,
    /// The server keeps missing changes the phone cannot send: report it.
    Stuck,
}

/// What a receipt means for the phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    /// The sent changes the receipt settles (applied, already there, or refused for good):
    /// out of the outbox.
    pub settled: Vec<MutationId>,
    /// The refused ones, with why: kept for the teacher to read.
    pub refused: Vec<(MutationId, RejectionReason)>,
    /// Refused ones that sending again as the chain's next change can fix (a reused counter,
    /// a broken chain: numbering, not content), to re-issue at once; once per sync.
    pub reissue: Vec<MutationId>,
    pub next: Next,
}

/// One sync's pushes. It starts from the outbox, or from the phone's own stored changes after
/// a restore (`relay::lacking`), and remembers what it did so that it never loops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushRound {
    first: Source,
    gaps_filled: u8,
    reissued: bool,
}

impl PushRound {
    pub fn new(own_from: Option<u64>) -> PushRound {
        PushRound { first: own_from.map_or(Source::Outbox, Source::OwnFrom), gaps_filled: 0, reissued: false }
    }

    /// Where the first batch comes from.
    pub fn first(&self) -> Source {
        self.first
    }

    /// What the receipt for `sent` settles, and what to send next.
    pub fn settle(&mut self, sent: &[Mutation], receipt: &PushReceipt) -> Settled {
        let settled: Vec<MutationId> =
            sent.iter().filter(|mutation| settles(receipt, mutation.seq)).map(|mutation| mutation.id).collect();
        let refused: Vec<_> =
            receipt.rejected.iter().map(|rejection| (rejection.id, rejection.reason.clone())).collect();
        let resendable: Vec<MutationId> = receipt
            .rejected
            .iter()
            .filter(|rejection| rejection.reason.resend_can_succeed())
            .map(|rejection| rejection.id)
            .collect();
        let reissue = if resendable.is_empty() || self.reissued { Vec::new() } else { resendable };
        self.reissued |= !reissue.is_empty();
        let next = match receipt.gap {
            Some(gap) if self.gaps_filled < GAP_FILLS => {
                self.gaps_filled += 1;
                Next::Send(Source::OwnFrom(gap.expected))
            }
            Some(_) => Next::Stuck,
            // The server cannot take the held change, nor any after it, before it holds the
            // record it names: the next sync tries again.
            None if receipt.held.is_some() => Next::Done,
            None if settled.is_empty() && reissue.is_empty() => Next::Done,
            None => Next::Send(Source::Outbox),
        };
        Settled { settled, refused, reissue, next }
    }
}

/// Whether `receipt` settles the phone's change with counter `seq` (applied, already there, or
/// refused for good): it leaves the outbox, and nothing else may.
pub fn settles(receipt: &PushReceipt, seq: u64) -> bool {
    seq <= receipt.accepted_through
}

/// The cursor once a pull page is written: it only grows (a late or repeated page never moves
/// it back past mutations already written), except in a resync, which starts over on purpose.
pub fn cursor_after(stored: u64, page_next: u64, resync: bool) -> u64 {
    if resync {
        page_next
    } else {
        stored.max(page_next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::{AttendanceMark, MarkKind};
    use crate::ids::{DeviceId, RecordId, SchoolId, StudentId};
    use crate::mutation::{Change, DeviceChain};
    use crate::sync::batch::Gap;
    use crate::sync::protocol::Rejection;

    fn sent(count: u64) -> Vec<Mutation> {
        let mut chain = DeviceChain::new(DeviceId::from_u128(7));
        (1..=count)
            .map(|n| {
                let mark = AttendanceMark {
                    id: RecordId::from_u128(u128::from(n)),
                    student: StudentId::from_u128(5),
                    day: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                    half: None,
                    kind: MarkKind::Late,
                };
                chain.next("王老师", SchoolId::from_u128(1), Change::Mark(mark), 1_000 + n, [n as u8; 10])
            })
            .collect()
    }

    fn receipt(accepted_through: u64, rejected: Vec<Rejection>, gap: Option<Gap>) -> PushReceipt {
        PushReceipt {
            accepted_through,
            applied: 0,
            skipped_duplicates: 0,
            rejected,
            gap,
            held: None,
            server_time_ms: 0,
        }
    }

    #[test]
    fn a_receipt_settles_what_it_covers_and_the_outbox_goes_on() {
        let batch = sent(5);
        let mut round = PushRound::new(None);
        assert_eq!(round.first(), Source::Outbox);
        let settled = round.settle(&batch, &receipt(3, Vec::new(), None));
        assert_eq!(settled.settled, batch[..3].iter().map(|m| m.id).collect::<Vec<_>>());
        assert_eq!(settled.next, Next::Send(Source::Outbox));
        // Nothing settled and nothing to re-issue: this sync is done.
        assert_eq!(round.settle(&batch[3..], &receipt(3, Vec::new(), None)).next, Next::Done);
    }

    #[test]
    fn a_numbering_refusal_is_reissued_once_per_sync() {
        let batch = sent(2);
        let reused = Rejection { seq: 2, id: batch[1].id, reason: RejectionReason::CounterReused { seq: 2 } };
        let mut round = PushRound::new(None);
        let first = round.settle(&batch, &receipt(1, vec![reused.clone()], None));
        assert_eq!(first.reissue, vec![batch[1].id]);
        assert_eq!(first.refused, vec![(batch[1].id, RejectionReason::CounterReused { seq: 2 })]);
        let again = round.settle(&batch[1..], &receipt(1, vec![reused], None));
        assert!(again.reissue.is_empty(), "once per sync");
        assert_eq!(again.next, Next::Done);
    }

    #[test]
    fn a_gap_is_filled_from_the_stored_changes_twice_then_reported() {
        let batch = sent(5);
        let mut round = PushRound::new(Some(3));
        assert_eq!(round.first(), Source::OwnFrom(3));
        let gap = Some(Gap { expected: 2, found: 3 });
        assert_eq!(round.settle(&batch[2..], &receipt(1, Vec::new(), gap)).next, Next::Send(Source::OwnFrom(2)));
        assert_eq!(round.settle(&batch[2..], &receipt(1, Vec::new(), gap)).next, Next::Send(Source::OwnFrom(2)));
        assert_eq!(round.settle(&batch[2..], &receipt(1, Vec::new(), gap)).next, Next::Stuck);
    }

    #[test]
    fn the_cursor_only_grows_except_in_a_resync() {
        assert_eq!(cursor_after(10, 4, false), 10);
        assert_eq!(cursor_after(10, 12, false), 12);
        assert_eq!(cursor_after(10, 4, true), 4);
    }
}
