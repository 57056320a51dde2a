//! A student's status over time, kept as dated events. The status on any day is derived from
//! the events, never stored, so a changed figure can always be traced to the event behind it.

use crate::hlc::Hlc;
use crate::ids::{RecordId, StudentId};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    /// 在读. Also the first status of a newly enrolled child.
    Enrolled,
    /// 疑似辍学: reported by the school, not yet confirmed.
    SuspectedDropout,
    /// 辍学.
    DroppedOut,
    /// 劝返中: a dropout whose persuasion case is running.
    BeingPersuaded,
    /// 已复学: back in school after dropping out.
    Returned,
    /// 转出, waiting for the receiving school's 回执 receipt.
    TransferOutPending,
    /// 转出, receipt received.
    TransferOutConfirmed,
    /// 转入.
    TransferredIn,
    /// 休学: suspended with permission; keeps the 学籍.
    Suspended,
    /// 送教上门: taught at home; counts as enrolled.
    HomeTaught,
    /// 中职分流: moved to a vocational track.
    VocationalTrack,
    /// 毕业.
    Graduated,
    /// 死亡.
    Deceased,
    /// 因病因残免学或缓学: excused from school for illness or disability, with the certificate.
    Exempted,
    /// 延缓入学: entry put off with the education bureau's approval.
    Deferred,
    /// 出国（境）: left the country.
    MovedAbroad,
}

impl Status {
    pub const ALL: [Status; 16] = [
        Status::Enrolled,
        Status::SuspectedDropout,
        Status::DroppedOut,
        Status::BeingPersuaded,
        Status::Returned,
        Status::TransferOutPending,
        Status::TransferOutConfirmed,
        Status::TransferredIn,
        Status::Suspended,
        Status::HomeTaught,
        Status::VocationalTrack,
        Status::Graduated,
        Status::Deceased,
        Status::Exempted,
        Status::Deferred,
        Status::MovedAbroad,
    ];

    /// On this school's roll (在校生): the numerator of the consolidation rate and the
    /// denominator of the dropout rate.
    pub fn on_roll(self) -> bool {
        matches!(
            self,
            Status::Enrolled
                | Status::SuspectedDropout
                | Status::Returned
                | Status::TransferredIn
                | Status::Suspended
                | Status::HomeTaught
        )
    }

    /// In the class's register: a child expected at school each school day (在读, 已复学, 转入).
    /// An unexcused run counts from the last such event, so a return starts afresh.
    pub fn expected_in_class(self) -> bool {
        matches!(self, Status::Enrolled | Status::Returned | Status::TransferredIn)
    }

    /// Out of school without a lawful reason: on the dropout ledger.
    pub fn is_dropout(self) -> bool {
        matches!(self, Status::DroppedOut | Status::BeingPersuaded)
    }

    /// Left compulsory school for a reason that is not a dropout.
    pub fn left_lawfully(self) -> bool {
        matches!(
            self,
            Status::TransferOutConfirmed
                | Status::VocationalTrack
                | Status::Graduated
                | Status::Deceased
                | Status::Exempted
                | Status::Deferred
                | Status::MovedAbroad
        )
    }
}

/// A change of status on a date, with the evidence a supervisor may ask for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEvent {
    pub id: RecordId,
    pub student: StudentId,
    pub date: NaiveDate,
    pub status: Status,
    /// What shows it: "回执 from 城关二中, 2026-03-02", "家访 with the father", a notice number.
    pub evidence: String,
}

/// Status events of one student, sorted by date; within a day in the order of their stamps (the
/// last writer counts, as for every contested value and as the conflicts page shows). The same
/// events in any arrival order give the same timeline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    events: Vec<StatusEvent>,
}

impl Timeline {
    /// The timeline of events as merged, each with the stamp of the mutation that made it. Two
    /// events of one day are ordered by stamp, not record id: a record id comes from the wall
    /// clock of the phone that made it, which can be behind, while a stamp is above everything
    /// its phone had seen, so a choice made after seeing an event counts after it.
    pub fn new(mut events: Vec<(Hlc, StatusEvent)>) -> Self {
        crate::sorting::sort_by_key(&mut events, |(stamp, event)| (event.date, *stamp, event.id));
        let mut events: Vec<StatusEvent> = events.into_iter().map(|(_, event)| event).collect();
        events.dedup_by(|a, b| a.id == b.id);
        Timeline { events }
    }

    pub fn events(&self) -> &[StatusEvent] {
        &self.events
    }

    /// The recorded status at the end of `day`, or `None` before the first event.
    pub fn recorded_on(&self, day: NaiveDate) -> Option<Status> {
        self.last_on(day).map(|event| event.status)
    }

    fn last_on(&self, day: NaiveDate) -> Option<&StatusEvent> {
        self.events.iter().take_while(|event| event.date <= day).last()
    }

    /// The status the ledgers count on `day`: [`Timeline::status_on`], and 在读 for a child with
    /// no status yet (on the roll since the roster).
    pub fn counted_on(&self, day: NaiveDate, receipt_days: u32) -> Status {
        self.status_on(day, receipt_days).unwrap_or(Status::Enrolled)
    }

    /// The status that counts at the end of `day`: the recorded one, except that a transfer
    /// out still without a receipt `receipt_days` after it was recorded counts as a suspected
    /// dropout. That loophole is how real dropouts hide.
    pub fn status_on(&self, day: NaiveDate, receipt_days: u32) -> Option<Status> {
        let last = self.last_on(day)?;
        if last.status == Status::TransferOutPending && transfer_overdue(last.date, day, receipt_days) {
            Some(Status::SuspectedDropout)
        } else {
            Some(last.status)
        }
    }

    /// The days on which the counted status became a dropout, in order. A child who dropped
    /// out, returned and dropped out again has two. An unconfirmed transfer counts from the
    /// day its receipt became overdue.
    pub fn dropout_starts(&self, receipt_days: u32) -> Vec<NaiveDate> {
        let mut starts = Vec::new();
        let mut was_dropout = false;
        for (index, event) in self.events.iter().enumerate() {
            let next_date = self.events.get(index + 1).map(|next| next.date);
            let mut is_dropout = event.status.is_dropout();
            if is_dropout && !was_dropout {
                starts.push(event.date);
            }
            if event.status == Status::TransferOutPending {
                let overdue_from = transfer_deadline(event.date, receipt_days);
                if next_date.is_none_or(|next| next > overdue_from) {
                    starts.push(overdue_from);
                    is_dropout = true;
                }
            }
            was_dropout = is_dropout;
        }
        starts
    }
}

/// The first day on which a transfer recorded on `recorded` with no receipt counts as a
/// suspected dropout.
pub fn transfer_deadline(recorded: NaiveDate, receipt_days: u32) -> NaiveDate {
    recorded.checked_add_days(Days::new(u64::from(receipt_days))).unwrap_or(NaiveDate::MAX)
}

fn transfer_overdue(recorded: NaiveDate, day: NaiveDate, receipt_days: u32) -> bool {
    day >= transfer_deadline(recorded, receipt_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn event(n: u128, date: &str, status: Status) -> StatusEvent {
        StatusEvent {
            id: RecordId::from_u128(n),
            student: StudentId::from_u128(1),
            date: day(date),
            status,
            evidence: String::new(),
        }
    }

    /// A timeline of events stamped in record id order, as one phone makes them.
    fn timeline(events: Vec<StatusEvent>) -> Timeline {
        let device = crate::ids::DeviceId::from_u128(1);
        Timeline::new(
            events
                .into_iter()
                .map(|event| (Hlc { wall_ms: event.id.0.as_u128() as u64, counter: 0, device }, event))
                .collect(),
        )
    }

    #[test]
    fn two_events_of_one_day_count_in_stamp_order_not_record_id_order() {
        // Phone A's clock runs ahead, so its event has the larger record id; phone B saw it and
        // chose otherwise: B's stamp is above A's, and B's choice is what counts that day.
        let ahead = Hlc { wall_ms: 9_000, counter: 0, device: crate::ids::DeviceId::from_u128(1) };
        let after_seeing_it = Hlc { wall_ms: 9_000, counter: 1, device: crate::ids::DeviceId::from_u128(2) };
        let events = vec![
            (ahead, event(9, "2026-03-10", Status::DroppedOut)),
            (after_seeing_it, event(2, "2026-03-10", Status::SuspectedDropout)),
        ];
        let reversed: Vec<_> = events.iter().rev().cloned().collect();
        for timeline in [Timeline::new(events), Timeline::new(reversed)] {
            assert_eq!(timeline.status_on(day("2026-03-10"), 15), Some(Status::SuspectedDropout));
        }
    }

    #[test]
    fn status_on_a_day_is_the_last_event_up_to_it() {
        let timeline = timeline(vec![
            event(2, "2026-03-10", Status::DroppedOut),
            event(1, "2026-02-20", Status::Enrolled),
            event(3, "2026-04-01", Status::Returned),
        ]);
        assert_eq!(timeline.status_on(day("2026-02-19"), 15), None);
        assert_eq!(timeline.status_on(day("2026-03-09"), 15), Some(Status::Enrolled));
        assert_eq!(timeline.status_on(day("2026-03-10"), 15), Some(Status::DroppedOut));
        assert_eq!(timeline.status_on(day("2026-05-01"), 15), Some(Status::Returned));
    }

    #[test]
    fn a_transfer_without_receipt_becomes_suspected_dropout_after_the_deadline() {
        let timeline = timeline(vec![
            event(1, "2026-02-20", Status::Enrolled),
            event(2, "2026-03-01", Status::TransferOutPending),
        ]);
        assert_eq!(timeline.status_on(day("2026-03-15"), 15), Some(Status::TransferOutPending));
        assert_eq!(timeline.status_on(day("2026-03-16"), 15), Some(Status::SuspectedDropout));
        assert_eq!(timeline.dropout_starts(15), vec![day("2026-03-16")]);
    }

    #[test]
    fn a_receipt_confirmed_late_still_leaves_the_overdue_episode_on_record() {
        let timeline = timeline(vec![
            event(1, "2026-02-20", Status::Enrolled),
            event(2, "2026-03-01", Status::TransferOutPending),
            event(3, "2026-03-20", Status::TransferOutConfirmed),
        ]);
        assert_eq!(timeline.status_on(day("2026-03-18"), 15), Some(Status::SuspectedDropout));
        assert_eq!(timeline.status_on(day("2026-03-20"), 15), Some(Status::TransferOutConfirmed));
        assert_eq!(timeline.dropout_starts(15), vec![day("2026-03-16")]);
    }

    #[test]
    fn a_receipt_in_time_is_no_dropout() {
        let timeline = timeline(vec![
            event(1, "2026-02-20", Status::Enrolled),
            event(2, "2026-03-01", Status::TransferOutPending),
            event(3, "2026-03-10", Status::TransferOutConfirmed),
        ]);
        assert!(timeline.dropout_starts(15).is_empty());
    }

    #[test]
    fn dropping_out_twice_gives_two_starts() {
        let timeline = timeline(vec![
            event(1, "2026-02-20", Status::Enrolled),
            event(2, "2026-03-02", Status::DroppedOut),
            event(3, "2026-03-05", Status::BeingPersuaded),
            event(4, "2026-03-20", Status::Returned),
            event(5, "2026-05-11", Status::DroppedOut),
        ]);
        assert_eq!(timeline.dropout_starts(15), vec![day("2026-03-02"), day("2026-05-11")]);
    }

    #[test]
    fn a_status_dated_before_the_import_counts_from_its_date() {
        // Imported on 14 October, the child is 在读 from the term's start; a 转出 of 20 September,
        // entered after the import, is the status from that date on, and its receipt deadline
        // runs from that date too, not from the day it was typed in.
        let timeline = timeline(vec![
            event(1, "2026-09-01", Status::Enrolled),
            event(2, "2026-09-20", Status::TransferOutPending),
        ]);
        assert_eq!(timeline.status_on(day("2026-09-19"), 15), Some(Status::Enrolled));
        assert_eq!(timeline.status_on(day("2026-09-20"), 15), Some(Status::TransferOutPending));
        assert_eq!(timeline.recorded_on(day("2026-10-14")), Some(Status::TransferOutPending));
        assert_eq!(timeline.status_on(day("2026-10-14"), 15), Some(Status::SuspectedDropout));
        assert_eq!(timeline.dropout_starts(15), vec![day("2026-10-05")]);
    }
}
