//! The phone's pull loop as a pure state machine: the marks it keeps between runs (the cursor,
//! the server epoch the cursor counts in, and whether the server may lack what the phone holds)
//! and what each answer means for them. The app's sync client (`app/src/sync`) drives it
//! around its HTTP calls and IndexedDB writes; the server's sync simulation
//! (`sync-server/tests/sync_simulation.rs`) drives the same one around its messages, which may
//! arrive late, twice or out of order, with phones that crash between steps. So the decisions
//! (when the cursor moves, when a send-back becomes due and when it ends, what a late page
//! does, that a resync from 0 is refused) are made once, here.
//!
//! A run: pull pages with `request` until a page says nothing more follows (`on_page`), going
//! back to 0 on `ResyncRequired` (`on_resync`); then, if the page said so (`heads_due`), ask
//! the server's heads and send back what it lacks (`on_heads`), until heads show it lacks
//! nothing. Answered sends do not end the duty: the server may hold a change back for a record
//! another phone has yet to send (`PushReceipt::held`).

use crate::ids::DeviceId;
use crate::mutation::Mutation;
use crate::sync::client::cursor_after;
use crate::sync::protocol::{ChainHeads, PullPage, PullRequest};
use crate::sync::relay::{lacking, Lacking};

/// What a phone keeps of its pulls across runs and crashes. The app writes `cursor` and `epoch`
/// with each page in one transaction, and `send_back` on its own as soon as it changes; the
/// simulation keeps them as its phones' durable marks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullMarks {
    /// The last server sequence written; the next pull asks for what follows it.
    pub cursor: u64,
    /// The server epoch `cursor` counts in (`PullPage::epoch`); `None` before the first page
    /// and after a resync.
    pub epoch: Option<String>,
    /// The send-back duty: the phone learnt an epoch it did not hold (a resync, or its first
    /// page), so the server may lack what the phone holds (it was restored from an older
    /// backup). Kept until the phone knows the server lacks nothing, even across restarts: a
    /// run cut off between the pull and the send-back does it next time.
    pub send_back: bool,
}

/// What a pulled page means for the marks, besides the new cursor and epoch they now hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageMarks {
    /// The page's `next` is the cursor as it is, not the larger of it and the one written
    /// before: the page counts in an epoch the phone did not hold (the old cursor means
    /// nothing there), or answers a pull from 0 (after a resync the store still holds the old
    /// cursor until this page is written). What `client::cursor_after` calls a resync.
    pub starts_over: bool,
    /// This page made the send-back due: the app writes the duty at once, so that a crash
    /// before the send-back does not lose it.
    pub duty_began: bool,
    /// Nothing more follows and a send-back is due: ask the server's heads now.
    pub heads_due: bool,
}

/// The server asked a pull from 0 to resync: there is nothing earlier to start over from, so
/// the answer is wrong (or not this server's), and the phone stops rather than loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("resync asked for a pull from 0")]
pub struct ResyncFromZero;

impl PullMarks {
    /// The next pull: after the cursor, naming its epoch, so a server restored since answers
    /// `ResyncRequired` rather than a page that skips what it lost.
    pub fn request(&self, limit: Option<u32>) -> PullRequest {
        PullRequest { after: self.cursor, limit, epoch: self.epoch.clone() }
    }

    /// A page arrived (its mutations are written with the marks, in one transaction). In the
    /// epoch the phone holds, the cursor only grows: a late or repeated page answers a cursor
    /// at or below the current one, and taking the larger never skips a mutation. A page of
    /// another epoch (a resync's, or a late one of an older epoch) replaces cursor and epoch:
    /// it answers a pull from 0 or from a cursor of that epoch the phone had written, so the
    /// phone holds everything up to its `next`. A late page of an older epoch thus only costs
    /// a resync at the next pull. A page naming no epoch (a server from before epochs) keeps
    /// the one held.
    pub fn on_page(&mut self, page: &PullPage) -> PageMarks {
        let named = (!page.epoch.is_empty()).then_some(page.epoch.as_str());
        let learnt = named.is_some() && named != self.epoch.as_deref();
        let starts_over = learnt || self.cursor == 0;
        self.cursor = cursor_after(self.cursor, page.next, starts_over);
        if let Some(epoch) = named {
            self.epoch = Some(epoch.to_owned());
        }
        let duty_began = learnt && !self.send_back;
        self.send_back |= learnt;
        PageMarks { starts_over, duty_began, heads_due: !page.more && self.send_back }
    }

    /// The server answered the pull from `asked_after` with `ResyncRequired`: the cursor counts
    /// in a history the server no longer has. Back to 0 with no epoch, and a send-back is due
    /// (the app writes the duty at once; cursor and epoch are written with the next page, so
    /// a crash before it resyncs again). The outbox is untouched, and what is pulled again
    /// merges away by id.
    pub fn on_resync(&mut self, asked_after: u64) -> Result<(), ResyncFromZero> {
        if asked_after == 0 {
            return Err(ResyncFromZero);
        }
        self.cursor = 0;
        self.epoch = None;
        self.send_back = true;
        Ok(())
    }

    /// The server's heads arrived: what it lacks of what the phone `own` holds (`held`: its
    /// own mutations and every pulled one), to push (its own, from `own_from`) and relay
    /// (others'). `None` when no send-back is due, or the heads are of another epoch than the
    /// phone's cursor (a restore since, or a late answer from before one): they say nothing
    /// about the server the phone pulled from, and the duty stays. When nothing lacks, the
    /// duty ends here.
    pub fn on_heads<'a>(
        &mut self,
        heads: &ChainHeads,
        own: DeviceId,
        held: impl IntoIterator<Item = &'a Mutation>,
    ) -> Option<Lacking> {
        if !self.send_back || self.epoch.as_deref() != Some(heads.epoch.as_str()) {
            return None;
        }
        let missing = lacking(&heads.heads, own, held);
        if missing == Lacking::default() {
            self.send_back = false;
        }
        Some(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::{AttendanceMark, MarkKind};
    use crate::ids::{RecordId, SchoolId, StudentId};
    use crate::mutation::{Change, DeviceChain};
    use crate::sync::protocol::DeviceHead;

    const OWN: DeviceId = DeviceId::from_u128(10);
    const OTHER: DeviceId = DeviceId::from_u128(11);

    fn page(epoch: &str, next: u64, more: bool) -> PullPage {
        PullPage { mutations: Vec::new(), next, more, server_time_ms: 0, epoch: epoch.into() }
    }

    fn chain(device: DeviceId, tag: u128, count: u64) -> Vec<Mutation> {
        let mut chain = DeviceChain::new(device);
        (1..=count)
            .map(|n| {
                let mark = AttendanceMark {
                    id: RecordId::from_u128(u128::from(n) + (tag << 8)),
                    student: StudentId::from_u128(5),
                    day: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                    half: None,
                    kind: MarkKind::Present,
                };
                chain.next("王老师", SchoolId::from_u128(1), Change::Mark(mark), 1_000 + n, [n as u8; 10])
            })
            .collect()
    }

    fn heads(epoch: &str, own: u64, other: u64) -> ChainHeads {
        ChainHeads {
            epoch: epoch.into(),
            heads: vec![DeviceHead { device: OWN, seq: own }, DeviceHead { device: OTHER, seq: other }],
        }
    }

    /// A phone that pulled to 8 in epoch e1 and sent back what it had to.
    fn settled() -> PullMarks {
        PullMarks { cursor: 8, epoch: Some("e1".into()), send_back: false }
    }

    #[test]
    fn the_first_page_teaches_the_epoch_and_makes_a_send_back_due_at_the_end() {
        let mut marks = PullMarks::default();
        assert_eq!(marks.request(Some(5)), PullRequest { after: 0, limit: Some(5), epoch: None });
        let first = marks.on_page(&page("e1", 5, true));
        assert_eq!(first, PageMarks { starts_over: true, duty_began: true, heads_due: false });
        assert_eq!(marks.request(None), PullRequest { after: 5, limit: None, epoch: Some("e1".into()) });
        let last = marks.on_page(&page("e1", 8, false));
        assert_eq!(last, PageMarks { starts_over: false, duty_began: false, heads_due: true });
        assert_eq!(marks, PullMarks { cursor: 8, epoch: Some("e1".into()), send_back: true });
    }

    #[test]
    fn a_late_or_repeated_page_of_the_epoch_never_moves_the_cursor_back() {
        let mut marks = settled();
        let late = marks.on_page(&page("e1", 3, true));
        assert_eq!(late, PageMarks { starts_over: false, duty_began: false, heads_due: false });
        assert_eq!(marks, settled());
        // The last page again: nothing changes, and with no duty no heads are asked.
        assert!(!marks.on_page(&page("e1", 8, false)).heads_due);
        assert_eq!(marks, settled());
        assert!(!marks.on_page(&page("e1", 11, false)).starts_over);
        assert_eq!(marks.cursor, 11);
    }

    #[test]
    fn a_page_of_another_epoch_replaces_cursor_and_epoch_and_makes_a_send_back_due() {
        let mut marks = settled();
        let restored = marks.on_page(&page("e2", 3, false));
        assert_eq!(restored, PageMarks { starts_over: true, duty_began: true, heads_due: true });
        assert_eq!(marks, PullMarks { cursor: 3, epoch: Some("e2".into()), send_back: true });
        // A late page of the older epoch is taken as that epoch's: the next pull names e1 and
        // the server answers it with a resync.
        let late = marks.on_page(&page("e1", 6, true));
        assert_eq!(late, PageMarks { starts_over: true, duty_began: false, heads_due: false });
        assert_eq!(marks.request(None), PullRequest { after: 6, limit: None, epoch: Some("e1".into()) });
    }

    #[test]
    fn a_page_naming_no_epoch_keeps_the_one_held() {
        let mut marks = settled();
        let page = marks.on_page(&page("", 9, false));
        assert_eq!(page, PageMarks { starts_over: false, duty_began: false, heads_due: false });
        assert_eq!(marks, PullMarks { cursor: 9, ..settled() });
    }

    #[test]
    fn a_resync_starts_over_from_0_with_a_send_back_due_and_is_refused_from_0() {
        let mut marks = settled();
        assert_eq!(marks.on_resync(8), Ok(()));
        assert_eq!(marks, PullMarks { cursor: 0, epoch: None, send_back: true });
        assert_eq!(marks.request(None), PullRequest { after: 0, limit: None, epoch: None });
        // A resync answered to a pull from 0 has nothing to start over from.
        assert_eq!(marks.on_resync(0), Err(ResyncFromZero));
        // The resync's first page is written as it is (the store still holds cursor 8), and
        // the duty it began was already written.
        let first = marks.on_page(&page("e2", 2, true));
        assert_eq!(first, PageMarks { starts_over: true, duty_began: false, heads_due: false });
        assert!(marks.on_page(&page("e2", 4, false)).heads_due);
        assert_eq!(marks, PullMarks { cursor: 4, epoch: Some("e2".into()), send_back: true });
    }

    #[test]
    fn heads_showing_nothing_lacking_end_the_duty_and_heads_of_another_epoch_are_ignored() {
        let own = chain(OWN, 1, 3);
        let other = chain(OTHER, 2, 2);
        let held = || own.iter().chain(&other);
        let mut marks = PullMarks { send_back: true, ..settled() };
        // A late answer from before a restore, or one after a restore since the last page.
        assert_eq!(marks.on_heads(&heads("e0", 0, 0), OWN, held()), None);
        assert!(marks.send_back);
        // The server lacks the phone's third change and the other phone's second.
        let lacking = marks.on_heads(&heads("e1", 2, 1), OWN, held()).unwrap();
        assert_eq!((lacking.own_from, lacking.relay), (Some(3), other[1..].to_vec()));
        assert!(marks.send_back, "kept until the phone knows the server has them");
        // Heads showing nothing lacking end the duty; then heads are not acted on.
        assert_eq!(marks.on_heads(&heads("e1", 3, 2), OWN, held()), Some(Lacking::default()));
        assert!(!marks.send_back);
        assert_eq!(marks.on_heads(&heads("e1", 0, 0), OWN, held()), None);
    }
}
