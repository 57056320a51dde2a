//! Concurrent edits that a person must resolve: two phones that changed the same child's
//! status, the same case's status or outcome, or the same attendance slot, differently, neither
//! having seen the other's change. Last-writer-wins still decides what shows until a person
//! chooses; the conflict is a record of both versions, never a silent drop.
//!
//! **The rule.** A mutation M is in conflict with a version H held for the same slot (a version
//! no later edit is known to have seen; the highest stamp among them shows) when they come from
//! different devices, carry different values, and M's author had not seen H:
//! - M carries a `base` (`Mutation::base`: for each device whose versions of the slot the
//!   author's phone held, the highest such stamp): it saw H when `base` holds a stamp of H's
//!   device at or above H's. A phone pulls in server order and the server takes a device's
//!   mutations in counter order, so holding a device's later version means having held its
//!   earlier ones, and a later version from a device replaces its own earlier one anyway.
//!   This catches both arrival orders and any clocks, also an edit on top of the phone's own
//!   earlier version stamped above another phone's concurrent one it never pulled.
//! - M carries none (made before `base` existed): `M.stamp < H.stamp`. A device that has seen H
//!   has observed H's stamp and every stamp it makes after that is higher (see
//!   `Hlc::observe`), so a lower stamp proves M's author had not seen H.
//!
//! **Resolution.** A person resolves by editing the slot again on a phone that was shown the
//! conflict (the server lists it to that phone): that edit's `base` covers both versions, and it
//! closes every open conflict of the slot it covers. Holding both versions is not enough on its
//! own, as the phone shows only the one last-writer-wins picks; being shown the conflict is
//! required too. An edit without `base` resolves nothing.

use crate::attendance::{AttendanceMark, HalfDay, MarkKind};
use crate::case::{CaseField, CaseStatus};
use crate::hlc::Hlc;
use crate::ids::{CaseId, DeviceId, MutationId, RecordId, StudentId};
use crate::mutation::{Change, Mutation};
use crate::state::State;
use crate::status::{Status, StatusEvent};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What two phones can disagree about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ContestedSlot {
    /// A child's status on a day (status events are append-only; two different ones for the
    /// same day from phones that had not seen each other contradict).
    StudentStatus {
        student: StudentId,
        date: NaiveDate,
    },
    CaseStatus {
        case: CaseId,
    },
    CaseOutcome {
        case: CaseId,
    },
    /// One attendance mark per child, day and half day.
    Attendance {
        student: StudentId,
        day: NaiveDate,
        half: Option<HalfDay>,
    },
}

impl ContestedSlot {
    /// A stable text key, for storage to find the earlier versions of a slot.
    pub fn key(&self) -> String {
        match self {
            ContestedSlot::StudentStatus { student, date } => format!("status/{student}/{date}"),
            ContestedSlot::CaseStatus { case } => format!("case-status/{case}"),
            ContestedSlot::CaseOutcome { case } => format!("case-outcome/{case}"),
            ContestedSlot::Attendance { student, day, half } => {
                let half = match half {
                    None => "day",
                    Some(HalfDay::Morning) => "am",
                    Some(HalfDay::Afternoon) => "pm",
                };
                format!("mark/{student}/{day}/{half}")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ContestedValue {
    StudentStatus(Status),
    CaseStatus(CaseStatus),
    CaseOutcome(String),
    Attendance(MarkKind),
}

/// The slots a change writes, with the values it writes there.
pub fn contested(change: &Change) -> Vec<(ContestedSlot, ContestedValue)> {
    match change {
        Change::RecordStatus(event) => vec![(
            ContestedSlot::StudentStatus { student: event.student, date: event.date },
            ContestedValue::StudentStatus(event.status),
        )],
        Change::OpenCase(case) => vec![
            (ContestedSlot::CaseStatus { case: case.id }, ContestedValue::CaseStatus(case.status)),
            (ContestedSlot::CaseOutcome { case: case.id }, ContestedValue::CaseOutcome(case.outcome.clone())),
        ],
        Change::EditCase { case, field: CaseField::Status(status) } => {
            vec![(ContestedSlot::CaseStatus { case: *case }, ContestedValue::CaseStatus(*status))]
        }
        Change::EditCase { case, field: CaseField::Outcome(outcome) } => {
            vec![(ContestedSlot::CaseOutcome { case: *case }, ContestedValue::CaseOutcome(outcome.clone()))]
        }
        Change::Mark(mark) => vec![(
            ContestedSlot::Attendance { student: mark.student, day: mark.day, half: mark.half },
            ContestedValue::Attendance(mark.kind),
        )],
        _ => Vec::new(),
    }
}

/// One side of a conflict, with what the conflicts page shows: who, when, what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub mutation: MutationId,
    pub device: DeviceId,
    pub author: String,
    pub stamp: Hlc,
    pub value: ContestedValue,
    /// What the edit's author had seen of the slot (the mutation's `base`), so a version
    /// arriving later that it covers is known to be older, not concurrent: after a restore from
    /// an older backup, phones send back edits in another order than they were made. `None` in
    /// versions stored before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Vec<Hlc>>,
}

impl Version {
    fn of(mutation: &Mutation, value: ContestedValue) -> Self {
        Version {
            mutation: mutation.id,
            device: mutation.device,
            author: mutation.author.clone(),
            stamp: mutation.stamp,
            value,
            base: mutation.base.clone(),
        }
    }
}

/// Two concurrent versions of one slot. `showing` has the higher stamp: last-writer-wins
/// shows it until a person chooses; `other` is the version that would have been lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub slot: ContestedSlot,
    pub showing: Version,
    pub other: Version,
}

/// What taking one mutation in did to the conflicts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settled {
    /// Conflicts the mutation raised.
    pub found: Vec<Conflict>,
    /// Open conflicts the mutation resolved (its author had seen both versions).
    pub resolved: Vec<Conflict>,
}

/// Per contested slot, the versions no later edit is known to have seen (the slot's frontier:
/// one version, or several when phones edited it without seeing each other, even to the same
/// value), and the conflicts still open. Feed it mutations in arrival order (on the server,
/// server order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConflictWatch {
    held: BTreeMap<ContestedSlot, Vec<Version>>,
    open: Vec<Conflict>,
}

/// Whether `mutation`'s author had not seen `version`, by the rule in the module comment.
fn unseen(mutation: &Mutation, version: &Version) -> bool {
    version.device != mutation.device
        && match &mutation.base {
            Some(base) => !covers(base, version),
            None => mutation.stamp < version.stamp,
        }
}

/// Whether `version`'s author had seen `mutation` when making it: `mutation` arrived late (sent
/// back after a restore) and is older than `version`, not concurrent with it.
fn seen_by(version: &Version, mutation: &Mutation) -> bool {
    version
        .base
        .as_ref()
        .is_some_and(|base| base.iter().any(|seen| seen.device == mutation.device && *seen >= mutation.stamp))
}

/// Whether a `base` says its author's phone held `version`.
fn covers(base: &[Hlc], version: &Version) -> bool {
    base.iter().any(|seen| seen.device == version.device && *seen >= version.stamp)
}

/// The `base` of an edit writing `change` on a phone whose merged data is `state`: for each
/// device whose versions of the change's slots the phone holds, the highest stamp. `None` for
/// a change that writes no contested slot.
pub fn base_for(state: &State, change: &Change) -> Option<Vec<Hlc>> {
    let slots = contested(change);
    if slots.is_empty() {
        return None;
    }
    Some(newest_per_device(slots.iter().flat_map(|(slot, _)| state.versions_of(slot))))
}

/// The `base` of a change re-issued under a phone's new device id (`Store::reissue`): the
/// original's, and for each of its entries, the stamps of the re-issues of the originals it
/// covers (`reissues`: original stamp and re-issue stamp, every re-issue the phone made so far,
/// this one's earlier ones included). An entry covers the versions of its device up to it. The
/// server may hold an earlier edit of the teacher only as its re-issue under another device id;
/// without this the base would not cover it, and the server would record a conflict between two
/// edits of one teacher made one after the other.
pub fn reissued_base(base: &[Hlc], reissues: &[(Hlc, Hlc)]) -> Vec<Hlc> {
    let mut covered: Vec<Hlc> = base.to_vec();
    // A re-issue may itself have been re-issued (a phone enrolled again twice): until nothing
    // more is added.
    loop {
        let before = covered.len();
        for (original, again) in reissues {
            let seen = covered.iter().any(|entry| entry.device == original.device && original <= entry);
            if seen && !covered.contains(again) {
                covered.push(*again);
            }
        }
        if covered.len() == before {
            return newest_per_device(covered);
        }
    }
}

/// A person's choice on the conflicts page, as a new edit of the conflict's slot with record id
/// `id`: the change that writes `chosen` there again (a status event keeps the chosen version's
/// evidence when the phone holds it), and its `base`: what the phone holds of the slot and both
/// versions it was shown, also one it has not pulled yet, so the choice resolves the conflict
/// (`ConflictWatch::resolutions`). `None` when `chosen` holds a value of another slot's kind.
pub fn choice(
    state: &State,
    slot: ContestedSlot,
    chosen: &Version,
    shown: [&Version; 2],
    id: RecordId,
) -> Option<(Change, Vec<Hlc>)> {
    let change = match (slot, &chosen.value) {
        (ContestedSlot::StudentStatus { student, date }, ContestedValue::StudentStatus(status)) => {
            let evidence = state
                .status_events
                .values()
                .find(|event| event.stamp == chosen.stamp && event.value.student == student)
                .map(|event| event.value.evidence.clone())
                .unwrap_or_default();
            Change::RecordStatus(StatusEvent { id, student, date, status: *status, evidence })
        }
        (ContestedSlot::Attendance { student, day, half }, ContestedValue::Attendance(kind)) => {
            Change::Mark(AttendanceMark { id, student, day, half, kind: *kind })
        }
        (ContestedSlot::CaseStatus { case }, ContestedValue::CaseStatus(status)) => {
            Change::EditCase { case, field: CaseField::Status(*status) }
        }
        (ContestedSlot::CaseOutcome { case }, ContestedValue::CaseOutcome(outcome)) => {
            Change::EditCase { case, field: CaseField::Outcome(outcome.clone()) }
        }
        _ => return None,
    };
    let held = base_for(state, &change).unwrap_or_default();
    let base = newest_per_device(held.into_iter().chain(shown.map(|version| version.stamp)));
    Some((change, base))
}

fn newest_per_device(stamps: impl IntoIterator<Item = Hlc>) -> Vec<Hlc> {
    let mut newest: BTreeMap<DeviceId, Hlc> = BTreeMap::new();
    for stamp in stamps {
        let held = newest.entry(stamp.device).or_insert(stamp);
        *held = (*held).max(stamp);
    }
    newest.into_values().collect()
}

impl ConflictWatch {
    /// A watch holding the given versions: what a storage loaded for the slots of a batch.
    pub fn from_held(held: impl IntoIterator<Item = (ContestedSlot, Vec<Version>)>) -> Self {
        ConflictWatch { held: held.into_iter().collect(), open: Vec::new() }
    }

    /// The same watch, also knowing these open conflicts, so a mutation can resolve them.
    pub fn with_open(mut self, open: impl IntoIterator<Item = Conflict>) -> Self {
        self.open.extend(open);
        self
    }

    /// Every version holding each slot, oldest stamp first, to be stored back.
    pub fn frontiers(&self) -> impl Iterator<Item = (&ContestedSlot, &Vec<Version>)> {
        self.held.iter()
    }

    /// The version last-writer-wins shows for a slot: the highest stamp held.
    pub fn showing(&self, slot: &ContestedSlot) -> Option<&Version> {
        self.held.get(slot)?.iter().max_by_key(|version| version.stamp)
    }

    /// The conflicts still open.
    pub fn open(&self) -> &[Conflict] {
        &self.open
    }

    /// The conflicts `mutation` raises against what is held: one with each held version its
    /// author had not seen that holds another value.
    pub fn conflicts(&self, mutation: &Mutation) -> Vec<Conflict> {
        contested(&mutation.change)
            .into_iter()
            .flat_map(|(slot, value)| {
                let held = self.held.get(&slot).map(Vec::as_slice).unwrap_or_default();
                held.iter()
                    .filter(|version| {
                        version.value != value && unseen(mutation, version) && !seen_by(version, mutation)
                    })
                    .map(|version| {
                        let arriving = Version::of(mutation, value.clone());
                        let (showing, other) = if arriving.stamp > version.stamp {
                            (arriving, version.clone())
                        } else {
                            (version.clone(), arriving)
                        };
                        Conflict { slot, showing, other }
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The open conflicts `mutation` resolves: those of a slot it writes that its author was
    /// shown (`shown`, answered by whoever knows which conflicts the phone listed) and whose
    /// both versions its `base` covers.
    pub fn resolutions(&self, mutation: &Mutation, shown: impl Fn(&Conflict) -> bool) -> Vec<Conflict> {
        if mutation.base.is_none() {
            return Vec::new();
        }
        let slots: Vec<ContestedSlot> = contested(&mutation.change).into_iter().map(|(slot, _)| slot).collect();
        self.open
            .iter()
            .filter(|open| {
                slots.contains(&open.slot)
                    && [&open.showing, &open.other].iter().all(|version| !unseen(mutation, version))
                    && shown(open)
            })
            .cloned()
            .collect()
    }

    /// Takes `mutation` in: it joins each of its slots' versions, and the versions its author
    /// had seen leave.
    pub fn record(&mut self, mutation: &Mutation) {
        for (slot, value) in contested(&mutation.change) {
            let held = self.held.entry(slot).or_default();
            // Already held, or older than a version whose author had seen it: nothing to hold.
            if held.iter().any(|version| version.mutation == mutation.id || seen_by(version, mutation)) {
                continue;
            }
            held.retain(|version| unseen(mutation, version));
            held.push(Version::of(mutation, value));
            held.sort_by_key(|version| version.stamp);
        }
    }

    /// Finds what `mutation` raises and resolves (see `resolutions` for `shown`), then takes
    /// it in.
    pub fn settle(&mut self, mutation: &Mutation, shown: impl Fn(&Conflict) -> bool) -> Settled {
        let resolved = self.resolutions(mutation, shown);
        self.open.retain(|open| !resolved.contains(open));
        let found = self.conflicts(mutation);
        self.open.extend(found.iter().cloned());
        self.record(mutation);
        Settled { found, resolved }
    }

    /// `settle` for a phone shown no conflict: answers the conflicts found, resolves none.
    pub fn apply(&mut self, mutation: &Mutation) -> Vec<Conflict> {
        self.settle(mutation, |_| false).found
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reissued_base_also_covers_the_reissues_of_what_it_saw() {
        let (first, second, third, other) =
            (DeviceId::from_u128(1), DeviceId::from_u128(2), DeviceId::from_u128(3), DeviceId::from_u128(9));
        let stamp = |device, wall_ms| Hlc { wall_ms, counter: 0, device };
        // The first device's changes at 10 and 20 were re-issued by the second at 30 and 31;
        // the one at 31 again by the third at 40.
        let reissues = [
            (stamp(first, 10), stamp(second, 30)),
            (stamp(first, 20), stamp(second, 31)),
            (stamp(second, 31), stamp(third, 40)),
        ];
        // Having seen the first device's change at 10 (and another phone's) covers its re-issue.
        assert_eq!(
            reissued_base(&[stamp(first, 10), stamp(other, 5)], &reissues),
            vec![stamp(first, 10), stamp(second, 30), stamp(other, 5)]
        );
        // Having seen the one at 20 covers both re-issues, and the re-issue of the re-issue.
        assert_eq!(
            reissued_base(&[stamp(first, 20)], &reissues),
            vec![stamp(first, 20), stamp(second, 31), stamp(third, 40)]
        );
        // Having seen nothing of the first device adds nothing.
        assert_eq!(reissued_base(&[stamp(other, 5)], &reissues), vec![stamp(other, 5)]);
    }

    use super::*;
    use crate::attendance::AttendanceMark;
    use crate::ids::{RecordId, SchoolId};
    use crate::mutation::DeviceChain;
    use crate::status::StatusEvent;
    use proptest::prelude::*;

    const HEAD_TEACHER: DeviceId = DeviceId::from_u128(1);
    const PRINCIPAL: DeviceId = DeviceId::from_u128(2);
    const SCHOOL: SchoolId = SchoolId::from_u128(9);
    const CASE: CaseId = CaseId::from_u128(41);
    const CHILD: StudentId = StudentId::from_u128(5);

    /// The head teacher's and the principal's phones, new.
    fn two_phones() -> (DeviceChain, DeviceChain) {
        (DeviceChain::new(HEAD_TEACHER), DeviceChain::new(PRINCIPAL))
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn edit(chain: &mut DeviceChain, author: &str, status: CaseStatus, now_ms: u64) -> Mutation {
        chain.next(author, SCHOOL, Change::EditCase { case: CASE, field: CaseField::Status(status) }, now_ms, [1; 10])
    }

    fn status(chain: &mut DeviceChain, id: u128, status: Status, now_ms: u64) -> Mutation {
        let event =
            StatusEvent { id: RecordId::from_u128(id), student: CHILD, date: day(), status, evidence: String::new() };
        chain.next("王老师", SCHOOL, Change::RecordStatus(event), now_ms, [2; 10])
    }

    fn mark(chain: &mut DeviceChain, id: u128, kind: MarkKind, now_ms: u64) -> Mutation {
        let mark = AttendanceMark { id: RecordId::from_u128(id), student: CHILD, day: day(), half: None, kind };
        chain.next("王老师", SCHOOL, Change::Mark(mark), now_ms, [3; 10])
    }

    #[test]
    fn an_offline_edit_arriving_late_with_an_older_stamp_is_a_conflict() {
        let (mut teacher, mut principal) = two_phones();
        let offline = edit(&mut teacher, "王老师", CaseStatus::Returned, 1_000);
        let online = edit(&mut principal, "李校长", CaseStatus::Closed, 2_000);
        let mut watch = ConflictWatch::default();
        assert!(watch.apply(&online).is_empty());
        let found = watch.apply(&offline);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].slot, ContestedSlot::CaseStatus { case: CASE });
        assert_eq!((found[0].showing.author.as_str(), found[0].other.author.as_str()), ("李校长", "王老师"));
        assert_eq!(found[0].other.value, ContestedValue::CaseStatus(CaseStatus::Returned));
    }

    #[test]
    fn an_edit_made_after_seeing_the_other_is_no_conflict() {
        let (mut teacher, mut principal) = two_phones();
        let first = edit(&mut principal, "李校长", CaseStatus::Closed, 5_000);
        // The teacher's phone pulls the principal's edit; its clock, behind by hours, observes it.
        teacher.clock = teacher.clock.observe(first.stamp, 1_000);
        let second = edit(&mut teacher, "王老师", CaseStatus::Returned, 1_000);
        let mut watch = ConflictWatch::default();
        assert!(watch.apply(&first).is_empty());
        assert!(watch.apply(&second).is_empty());
    }

    #[test]
    fn an_older_edit_sent_back_after_a_restore_is_no_conflict_with_the_one_that_replaced_it() {
        let (mut teacher, mut principal) = two_phones();
        let older = teacher.next_based(
            "王老师",
            SCHOOL,
            Change::EditCase { case: CASE, field: CaseField::Status(CaseStatus::Returned) },
            Vec::new(),
            1_000,
            [1; 10],
        );
        // The principal's phone pulled it, then decided: its base covers the teacher's edit.
        let informed = principal.next_based(
            "李校长",
            SCHOOL,
            Change::EditCase { case: CASE, field: CaseField::Status(CaseStatus::Closed) },
            vec![older.stamp],
            2_000,
            [2; 10],
        );
        // The server was restored from a backup holding neither; the principal's edit comes back
        // first, the teacher's later (relayed or pushed again).
        let mut watch = ConflictWatch::default();
        assert!(watch.apply(&informed).is_empty());
        assert!(watch.apply(&older).is_empty(), "the principal had decided knowing it");
        let slot = ContestedSlot::CaseStatus { case: CASE };
        let held: Vec<MutationId> =
            watch.frontiers().flat_map(|(_, versions)| versions.iter().map(|v| v.mutation)).collect();
        assert_eq!(held, vec![informed.id], "the older edit does not hold the slot beside the newer");
        assert_eq!(watch.showing(&slot).map(|version| version.mutation), Some(informed.id));
    }

    #[test]
    fn the_same_value_or_the_same_phone_is_no_conflict() {
        let (mut teacher, mut principal) = two_phones();
        let online = edit(&mut principal, "李校长", CaseStatus::Closed, 2_000);
        let agreeing = edit(&mut teacher, "王老师", CaseStatus::Closed, 1_000);
        let mut watch = ConflictWatch::default();
        watch.apply(&online);
        assert!(watch.apply(&agreeing).is_empty());
    }

    #[test]
    fn two_status_events_for_one_day_and_two_marks_for_one_slot_contradict() {
        let (mut teacher, mut principal) = two_phones();
        let mut watch = ConflictWatch::default();
        watch.apply(&status(&mut principal, 71, Status::DroppedOut, 2_000));
        let found = watch.apply(&status(&mut teacher, 72, Status::Enrolled, 1_000));
        assert_eq!(found[0].slot, ContestedSlot::StudentStatus { student: CHILD, date: day() });
        watch.apply(&mark(&mut principal, 81, MarkKind::Unexcused, 3_000));
        let found = watch.apply(&mark(&mut teacher, 82, MarkKind::Sick, 2_500));
        assert_eq!(found[0].other.value, ContestedValue::Attendance(MarkKind::Sick));
    }

    fn based(chain: &mut DeviceChain, author: &str, status: CaseStatus, base: &[Hlc], now_ms: u64) -> Mutation {
        let change = Change::EditCase { case: CASE, field: CaseField::Status(status) };
        chain.next_based(author, SCHOOL, change, base.to_vec(), now_ms, [4; 10])
    }

    /// The principal opens the case's status (seen by both phones), then both phones change it
    /// offline without seeing each other: the teacher at 1,000, the principal at 2,000.
    fn concurrent_pair() -> (Mutation, Mutation, Mutation) {
        let (mut teacher, mut principal) = two_phones();
        let first = based(&mut principal, "李校长", CaseStatus::Open, &[], 500);
        let lower = based(&mut teacher, "王老师", CaseStatus::Returned, &[first.stamp], 1_000);
        let higher = based(&mut principal, "李校长", CaseStatus::Closed, &[first.stamp], 2_000);
        (first, lower, higher)
    }

    #[test]
    fn concurrent_edits_with_a_base_conflict_in_either_arrival_order() {
        let (first, lower, higher) = concurrent_pair();
        for order in [[&lower, &higher], [&higher, &lower]] {
            let mut watch = ConflictWatch::default();
            assert!(watch.apply(&first).is_empty());
            let found: Vec<Conflict> = order.iter().flat_map(|mutation| watch.apply(mutation)).collect();
            assert_eq!(found.len(), 1, "{found:?}");
            // Whichever arrived second, the higher stamp is the one showing.
            assert_eq!((found[0].showing.mutation, found[0].other.mutation), (higher.id, lower.id));
            assert_eq!(watch.showing(&ContestedSlot::CaseStatus { case: CASE }).unwrap().mutation, higher.id);
        }
    }

    #[test]
    fn a_first_value_on_each_phone_has_an_empty_base_and_still_conflicts() {
        let (mut teacher, mut principal) = two_phones();
        let lower = based(&mut teacher, "王老师", CaseStatus::Returned, &[], 1_000);
        let higher = based(&mut principal, "李校长", CaseStatus::Closed, &[], 2_000);
        let mut watch = ConflictWatch::default();
        watch.apply(&lower);
        assert_eq!(watch.apply(&higher).len(), 1);
    }

    #[test]
    fn an_edit_based_on_what_is_held_is_no_conflict_whatever_its_clock() {
        let (mut teacher, mut principal) = two_phones();
        let first = based(&mut principal, "李校长", CaseStatus::Closed, &[], 5_000);
        // The teacher's clock is hours behind, but the edit says it replaced the principal's.
        let second = based(&mut teacher, "王老师", CaseStatus::Returned, &[first.stamp], 1_000);
        let mut watch = ConflictWatch::default();
        watch.apply(&first);
        assert!(watch.apply(&second).is_empty());
    }

    #[test]
    fn an_edit_on_top_of_the_phones_own_version_still_conflicts_with_one_it_never_held() {
        // The teacher's clock runs ahead: its first value is stamped above the principal's
        // concurrent one, and its second edit builds on its own first. Stamps alone would take
        // the principal's version as seen; the base says the phone never held it.
        let (mut teacher, mut principal) = two_phones();
        let own = based(&mut teacher, "王老师", CaseStatus::Returned, &[], 9_000);
        let theirs = based(&mut principal, "李校长", CaseStatus::Closed, &[], 1_000);
        let again = based(&mut teacher, "王老师", CaseStatus::Open, &[own.stamp], 9_500);
        let mut watch = ConflictWatch::default();
        watch.apply(&own);
        assert_eq!(watch.apply(&theirs).len(), 1);
        let found = watch.apply(&again);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].showing.mutation, found[0].other.mutation), (again.id, theirs.id));
    }

    #[test]
    fn a_choice_on_a_phone_holding_only_one_version_still_resolves_the_conflict() {
        let (mut teacher, mut principal) = two_phones();
        let theirs = status(&mut principal, 71, Status::DroppedOut, 2_000);
        let ours = status(&mut teacher, 72, Status::Enrolled, 1_000);
        let mut watch = ConflictWatch::default();
        watch.apply(&theirs);
        assert_eq!(watch.apply(&ours).len(), 1);
        let open = watch.open()[0].clone();

        // The teacher's phone never pulled the principal's version, and keeps its own value.
        let state = State::from_mutations([&ours]);
        let (change, base) =
            choice(&state, open.slot, &open.other, [&open.showing, &open.other], RecordId::from_u128(73)).unwrap();
        let Change::RecordStatus(event) = &change else { panic!("{change:?}") };
        assert_eq!((event.id, event.status, event.date), (RecordId::from_u128(73), Status::Enrolled, day()));
        let made = teacher.next_based("王老师", SCHOOL, change, base, 1_500, [5; 10]);
        let settled = watch.settle(&made, |_| true);
        assert_eq!((settled.resolved.len(), settled.found.len()), (1, 0));

        // A value of another slot's kind is no choice.
        let mut wrong = open.other.clone();
        wrong.value = ContestedValue::Attendance(MarkKind::Sick);
        assert_eq!(choice(&state, open.slot, &wrong, [&open.showing, &open.other], RecordId::from_u128(74)), None);
    }

    #[test]
    fn base_for_names_the_newest_version_each_device_holds_of_the_slot() {
        let (mut teacher, mut principal) = two_phones();
        let mutations = [
            mark(&mut teacher, 81, MarkKind::Late, 1_000),
            mark(&mut teacher, 82, MarkKind::Sick, 2_000),
            mark(&mut principal, 83, MarkKind::Unexcused, 1_500),
            status(&mut principal, 71, Status::DroppedOut, 1_600),
        ];
        let state = State::from_mutations(&mutations);
        let tap = AttendanceMark {
            id: RecordId::from_u128(90),
            student: CHILD,
            day: day(),
            half: None,
            kind: MarkKind::Late,
        };
        assert_eq!(base_for(&state, &Change::Mark(tap.clone())), Some(vec![mutations[1].stamp, mutations[2].stamp]));
        let other_day = AttendanceMark { day: day().succ_opt().unwrap(), ..tap };
        assert_eq!(base_for(&state, &Change::Mark(other_day)), Some(Vec::new()), "nothing held: empty, not none");
        let event = StatusEvent {
            id: RecordId::from_u128(91),
            student: CHILD,
            date: day(),
            status: Status::Enrolled,
            evidence: String::new(),
        };
        assert_eq!(base_for(&state, &Change::RecordStatus(event)), Some(vec![mutations[3].stamp]));
        assert_eq!(base_for(&state, &Change::Retract { record: RecordId::from_u128(81), reason: String::new() }), None);
    }

    #[test]
    fn an_edit_on_a_phone_shown_the_conflict_resolves_it() {
        let (first, lower, higher) = concurrent_pair();
        let mut watch = ConflictWatch::default();
        for mutation in [&first, &higher, &lower] {
            watch.apply(mutation);
        }
        assert_eq!(watch.open().len(), 1);

        // A phone that only saw the teacher's version is not a resolution but a new conflict.
        let mut third = DeviceChain::new(DeviceId::from_u128(3));
        let unseen = based(&mut third, "赵主任", CaseStatus::Open, &[first.stamp, lower.stamp], 3_000);
        let settled = watch.settle(&unseen, |_| true);
        assert!(settled.resolved.is_empty());
        assert_eq!(settled.found.len(), 1);

        // The teacher opens the conflicts page, having pulled every version, and chooses.
        let mut teacher = DeviceChain::new(HEAD_TEACHER);
        let held: Vec<Hlc> = watch.held[&ContestedSlot::CaseStatus { case: CASE }].iter().map(|v| v.stamp).collect();
        let choice = based(&mut teacher, "王老师", CaseStatus::Returned, &held, 1_500);
        let settled = watch.settle(&choice, |_| true);
        assert!(settled.found.is_empty());
        assert_eq!(settled.resolved.len(), 2, "every open conflict of the slot");
        assert!(watch.open().is_empty());
        assert_eq!(
            watch.held[&ContestedSlot::CaseStatus { case: CASE }],
            vec![Version::of(&choice, ContestedValue::CaseStatus(CaseStatus::Returned))]
        );
    }

    #[test]
    fn an_edit_on_a_phone_never_shown_the_conflict_resolves_nothing() {
        // The principal's phone pulled the teacher's version and edits again: its base covers
        // both versions, but it was never shown the conflict.
        let (first, lower, higher) = concurrent_pair();
        let mut watch = ConflictWatch::default();
        for mutation in [&first, &lower, &higher] {
            watch.apply(mutation);
        }
        let mut principal = DeviceChain::new(PRINCIPAL);
        principal.clock = higher.stamp;
        let again = based(&mut principal, "李校长", CaseStatus::Open, &[lower.stamp, higher.stamp], 2_500);
        let settled = watch.settle(&again, |_| false);
        assert!(settled.resolved.is_empty());
        assert_eq!(watch.open().len(), 1);
    }

    #[test]
    fn an_edit_without_base_resolves_nothing() {
        let (first, lower, higher) = concurrent_pair();
        let mut watch = ConflictWatch::default();
        for mutation in [&first, &lower, &higher] {
            watch.apply(mutation);
        }
        let mut principal = DeviceChain::new(PRINCIPAL);
        let plain = edit(&mut principal, "李校长", CaseStatus::Closed, 9_000);
        assert!(watch.settle(&plain, |_| true).resolved.is_empty());
        assert_eq!(watch.open().len(), 1);
    }

    #[test]
    fn an_edit_agreeing_with_a_concurrent_one_is_kept_for_a_later_conflict() {
        // Two phones set 复学 without seeing each other; a third, having seen neither, sets 结案.
        let (mut teacher, mut principal) = two_phones();
        let mut director = DeviceChain::new(DeviceId::from_u128(3));
        let first = based(&mut teacher, "王老师", CaseStatus::Returned, &[], 1_000);
        let agreeing = based(&mut principal, "李校长", CaseStatus::Returned, &[], 900);
        let closing = based(&mut director, "赵主任", CaseStatus::Closed, &[], 2_000);
        let mut watch = ConflictWatch::default();
        assert!(watch.apply(&first).is_empty());
        assert!(watch.apply(&agreeing).is_empty());
        let found = watch.apply(&closing);
        let others: Vec<MutationId> = found.iter().map(|conflict| conflict.other.mutation).collect();
        assert_eq!(others, vec![agreeing.id, first.id], "both phones' edits are named");
        assert!(found.iter().all(|conflict| conflict.showing.mutation == closing.id));
    }

    #[test]
    fn slot_keys_are_distinct_per_half_day() {
        let whole = ContestedSlot::Attendance { student: CHILD, day: day(), half: None };
        let morning = ContestedSlot::Attendance { student: CHILD, day: day(), half: Some(HalfDay::Morning) };
        assert_ne!(whole.key(), morning.key());
        assert!(whole.key().ends_with("/2026-03-02/day"));
    }

    proptest! {
        /// Without `base` (the stamp rule): each arriving edit is reported against exactly the
        /// earlier edits of other phones, with other values and higher stamps, that no edit in
        /// between had seen; and the highest stamp shows at the end.
        #[test]
        fn every_late_losing_edit_is_reported(edits in proptest::collection::vec((0u128..3, 0u64..50, 0usize..3), 1..12)) {
            let statuses = [CaseStatus::Open, CaseStatus::Returned, CaseStatus::Closed];
            let mut chains: Vec<DeviceChain> = (0..3).map(|n| DeviceChain::new(DeviceId::from_u128(n + 1))).collect();
            // Ids from the edit's place, so two edits made in the same millisecond stay two.
            let mutations: Vec<Mutation> = edits
                .iter()
                .enumerate()
                .map(|(index, (device, now, value))| {
                    let change = Change::EditCase { case: CASE, field: CaseField::Status(statuses[*value]) };
                    chains[*device as usize].next("老师", SCHOOL, change, *now, [index as u8; 10])
                })
                .collect();
            let mut watch = ConflictWatch::default();
            for (index, mutation) in mutations.iter().enumerate() {
                let mut found: Vec<MutationId> = watch
                    .apply(mutation)
                    .iter()
                    .map(|conflict| if conflict.other.mutation == mutation.id { conflict.showing.mutation } else { conflict.other.mutation })
                    .collect();
                found.sort();
                let mut expected: Vec<MutationId> = mutations[..index]
                    .iter()
                    .enumerate()
                    .filter(|(earlier, held)| {
                        held.device != mutation.device
                            && held.change != mutation.change
                            && mutation.stamp < held.stamp
                            && mutations[earlier + 1..index].iter().all(|between| between.stamp < held.stamp && between.device != held.device)
                    })
                    .map(|(_, held)| held.id)
                    .collect();
                expected.sort();
                prop_assert_eq!(found, expected);
            }
            let winner = mutations.iter().max_by_key(|mutation| mutation.stamp).unwrap();
            prop_assert_eq!(&watch.showing(&ContestedSlot::CaseStatus { case: CASE }).unwrap().mutation, &winner.id);
        }

        /// With `base`, two phones' edits made from the same version are one conflict whatever
        /// order they arrive in and whatever their clocks say; the higher stamp shows.
        #[test]
        fn based_concurrent_edits_conflict_in_any_order(
            clocks in (0u64..10_000, 0u64..10_000),
            values in (0usize..3, 0usize..3),
            teacher_first: bool,
        ) {
            let statuses = [CaseStatus::Open, CaseStatus::Returned, CaseStatus::Closed];
            let mut teacher = DeviceChain::new(HEAD_TEACHER);
            let mut principal = DeviceChain::new(PRINCIPAL);
            let seen = Hlc { wall_ms: 100, counter: 0, device: DeviceId::from_u128(3) };
            let ours = based(&mut teacher, "王老师", statuses[values.0], &[seen], clocks.0);
            let theirs = based(&mut principal, "李校长", statuses[values.1], &[seen], clocks.1);
            let (earlier, later) = if teacher_first { (&ours, &theirs) } else { (&theirs, &ours) };
            let mut watch = ConflictWatch::default();
            prop_assert!(watch.apply(earlier).is_empty());
            let found = watch.apply(later);
            prop_assert_eq!(found.len(), usize::from(values.0 != values.1));
            if let Some(conflict) = found.first() {
                let showing = if ours.stamp > theirs.stamp { ours.id } else { theirs.id };
                prop_assert_eq!(conflict.showing.mutation, showing);
            }
        }
    }
}
