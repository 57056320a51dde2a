//! The 辍学台账 and its 动态销号 history: who left the dropout ledger, when, and on what
//! evidence.

use super::students_of;
use crate::figures::Period;
use crate::ids::{RecordId, SchoolId, StudentId};
use crate::investigation::DropoutReason;
use crate::org::Grade;
use crate::state::State;
use crate::status::{Status, StatusEvent, Timeline};
use crate::student::Gender;
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// The 辍学台账 and its 动态销号 history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DropoutLedger {
    pub rows: Vec<DropoutRow>,
    /// Every departure from the ledger up to the day, oldest first.
    pub cleared: Vec<ClearedRow>,
    /// Dropout events retracted as wrong or duplicate records, with the reason: the child was
    /// never a dropout by them, so they count nowhere, but the ledger keeps what was withdrawn.
    pub withdrawn: Vec<WithdrawnRow>,
}

impl DropoutLedger {
    /// The 动态销号 of the calendar month that holds `day`: who left the ledger in it.
    pub fn cleared_in_month_of(&self, day: NaiveDate) -> impl Iterator<Item = &ClearedRow> {
        self.cleared.iter().filter(move |row| (row.left_on.year(), row.left_on.month()) == (day.year(), day.month()))
    }

    /// The 复学学生名单 of `period`: the children who left the ledger back in a class in it (a
    /// transfer, an exemption or another lawful exit is no return), in the order they left.
    pub fn returned_in(&self, period: Period) -> impl Iterator<Item = &ClearedRow> {
        self.cleared.iter().filter(move |row| row.category() == ExitCategory::Returned && period.contains(row.left_on))
    }
}

/// A dropout event withdrawn (retracted) as a wrong or duplicate record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithdrawnRow {
    pub student: StudentId,
    pub name: String,
    pub event: RecordId,
    /// The day the withdrawn event said the child was out.
    pub date: NaiveDate,
    pub status: Status,
    pub reason: String,
}

/// One child of the 辍学台账. Name, gender, age, grade, 学籍号 and address come from the
/// student record, so the ledger cannot disagree with the roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropoutRow {
    pub student: StudentId,
    pub name: String,
    pub gender: Gender,
    pub age: i32,
    pub grade: Grade,
    pub student_number: Option<String>,
    pub address: String,
    /// 辍学 or 劝返中.
    pub status: Status,
    /// The first day of this dropout episode.
    pub since: NaiveDate,
    /// The child's rows of the 排查台账 up to the day, oldest first.
    pub investigations: Vec<InvestigationEntry>,
    /// A later event recorded the child as back (or gone lawfully) without evidence. It does not
    /// take the child off the ledger; adding the evidence (a new event) does.
    pub exit_without_evidence: Option<UnevidencedExit>,
}

impl DropoutRow {
    /// Every reason of every investigation row, once each.
    pub fn reasons(&self) -> BTreeSet<DropoutReason> {
        self.investigations.iter().flat_map(|entry| entry.reasons.iter().copied()).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvestigationEntry {
    pub record: RecordId,
    pub found_on: NaiveDate,
    pub reasons: Vec<DropoutReason>,
    pub investigator: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnevidencedExit {
    pub event: RecordId,
    pub date: NaiveDate,
    pub status: Status,
}

/// A child who left the dropout ledger (动态销号): when, to what, and on what evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearedRow {
    pub student: StudentId,
    pub name: String,
    pub event: RecordId,
    /// The first day of the episode it ended (the `since` of the row it had).
    pub since: NaiveDate,
    pub left_on: NaiveDate,
    pub from: Status,
    pub to: Status,
    pub evidence: String,
}

/// How a child left the dropout ledger, in the categories practice uses for 动态销号.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExitCategory {
    /// 复学: back in a class.
    Returned,
    /// 转学: to another school, with its 回执.
    Transferred,
    /// 送教上门.
    HomeTaught,
    /// 因病因残免学或缓学, with the certificate.
    Exempted,
    /// 延缓入学.
    Deferred,
    /// 出国（境）.
    MovedAbroad,
    /// 死亡.
    Deceased,
    /// 记录有误或重复: the dropout was never real; its events are retracted with what proves it,
    /// and the child is listed in [`DropoutLedger::withdrawn`], not in the 动态销号 history.
    WrongRecord,
    /// Any other lawful status (毕业, 中职分流, 在读 again, 休学, 转入).
    Other,
}

impl ExitCategory {
    /// The categories a school records by hand on a case (a return has its own form).
    pub const CLOSING: [ExitCategory; 7] = [
        ExitCategory::Transferred,
        ExitCategory::HomeTaught,
        ExitCategory::Exempted,
        ExitCategory::Deferred,
        ExitCategory::MovedAbroad,
        ExitCategory::Deceased,
        ExitCategory::WrongRecord,
    ];

    pub fn of(status: Status) -> ExitCategory {
        match status {
            Status::Returned => ExitCategory::Returned,
            Status::TransferOutConfirmed => ExitCategory::Transferred,
            Status::HomeTaught => ExitCategory::HomeTaught,
            Status::Exempted => ExitCategory::Exempted,
            Status::Deferred => ExitCategory::Deferred,
            Status::MovedAbroad => ExitCategory::MovedAbroad,
            Status::Deceased => ExitCategory::Deceased,
            _ => ExitCategory::Other,
        }
    }

    /// The status an exit of this category records; `None` for `Other`.
    pub fn status(self) -> Option<Status> {
        Some(match self {
            ExitCategory::Returned => Status::Returned,
            ExitCategory::Transferred => Status::TransferOutConfirmed,
            ExitCategory::HomeTaught => Status::HomeTaught,
            ExitCategory::Exempted => Status::Exempted,
            ExitCategory::Deferred => Status::Deferred,
            ExitCategory::MovedAbroad => Status::MovedAbroad,
            ExitCategory::Deceased => Status::Deceased,
            ExitCategory::WrongRecord | ExitCategory::Other => return None,
        })
    }
}

impl ClearedRow {
    pub fn category(&self) -> ExitCategory {
        ExitCategory::of(self.to)
    }
}

/// A child's dropout history up to a day: the open episode (since, status), an exit recorded
/// without evidence, and every exit with evidence (the event and the status it left).
struct Episode<'a> {
    current: Option<(NaiveDate, Status)>,
    blocked: Option<UnevidencedExit>,
    /// Each exit with evidence: the event, the status it left, the episode's first day.
    cleared: Vec<(&'a StatusEvent, Status, NaiveDate)>,
}

fn walk(timeline: &Timeline, today: NaiveDate) -> Episode<'_> {
    let mut episode = Episode { current: None, blocked: None, cleared: Vec::new() };
    for event in timeline.events().iter().take_while(|event| event.date <= today) {
        match episode.current {
            _ if event.status.is_dropout() => {
                let since = episode.current.map_or(event.date, |(since, _)| since);
                episode.current = Some((since, event.status));
                episode.blocked = None;
            }
            Some((since, from)) if !event.evidence.trim().is_empty() => {
                episode.cleared.push((event, from, since));
                episode.current = None;
                episode.blocked = None;
            }
            Some(_) => {
                episode.blocked = Some(UnevidencedExit { event: event.id, date: event.date, status: event.status })
            }
            None => {}
        }
    }
    episode
}

/// Whether a child with this timeline is on the 辍学台账 at the end of `today`.
pub(super) fn on_dropout_ledger(timeline: &Timeline, today: NaiveDate) -> bool {
    on_dropout_ledger_since(timeline, today).is_some()
}

/// The day a child with this timeline joined the 辍学台账, if it is on it at the end of `today`:
/// the `since` of its row.
pub fn on_dropout_ledger_since(timeline: &Timeline, today: NaiveDate) -> Option<NaiveDate> {
    walk(timeline, today).current.map(|(since, _)| since)
}

/// The 辍学台账 of `school` at the end of `today`, and its 动态销号 history.
///
/// A child joins the ledger with a status event of 辍学 or 劝返中, and leaves it only through a
/// later, dated status event of another status that carries evidence. An event without evidence
/// leaves the child on the ledger (see [`DropoutRow::exit_without_evidence`]); a retracted event
/// counts for nothing, in either direction.
pub fn dropouts(state: &State, school: SchoolId, today: NaiveDate) -> DropoutLedger {
    let mut ledger = DropoutLedger::default();
    // The retracted dropout events, found once (there are few), not by a scan of every status
    // event for each child.
    let mut retracted: BTreeMap<StudentId, Vec<(&StatusEvent, &String)>> = BTreeMap::new();
    for (id, reason) in &state.retracted {
        let Some(event) = state.status_events.get(id).map(|stamped| &stamped.value) else { continue };
        if event.status.is_dropout() && event.date <= today {
            retracted.entry(event.student).or_default().push((event, &reason.value));
        }
    }
    for student in students_of(state, school) {
        let timeline = state.timeline(student.id);
        let Episode { current, blocked, cleared } = walk(&timeline, today);
        ledger.cleared.extend(cleared.into_iter().map(|(event, from, since)| ClearedRow {
            student: student.id,
            name: student.name.clone(),
            event: event.id,
            since,
            left_on: event.date,
            from,
            to: event.status,
            evidence: event.evidence.clone(),
        }));
        let mut withdrawn: Vec<WithdrawnRow> = retracted
            .get(&student.id)
            .into_iter()
            .flatten()
            .map(|(event, reason)| WithdrawnRow {
                student: student.id,
                name: student.name.clone(),
                event: event.id,
                date: event.date,
                status: event.status,
                reason: (*reason).clone(),
            })
            .collect();
        crate::sorting::sort_by_key(&mut withdrawn, |row| (row.date, row.event));
        ledger.withdrawn.extend(withdrawn);
        if let Some((since, status)) = current {
            let mut investigations: Vec<InvestigationEntry> = state
                .investigations
                .values()
                .map(|stamped| &stamped.value)
                .filter(|row| row.student == student.id && row.found_on <= today && !state.is_retracted(row.id))
                .map(|row| InvestigationEntry {
                    record: row.id,
                    found_on: row.found_on,
                    reasons: row.reasons.clone(),
                    investigator: row.investigator.clone(),
                })
                .collect();
            crate::sorting::sort_by_key(&mut investigations, |entry| (entry.found_on, entry.record));
            ledger.rows.push(DropoutRow {
                student: student.id,
                age: student.age_on(today),
                name: student.name,
                gender: student.gender,
                grade: student.grade,
                student_number: student.student_number,
                address: student.address,
                status,
                since,
                investigations,
                exit_without_evidence: blocked,
            });
        }
    }
    crate::sorting::sort_by(&mut ledger.rows, |a, b| (a.since, &a.name, a.student).cmp(&(b.since, &b.name, b.student)));
    crate::sorting::sort_by(&mut ledger.cleared, |a, b| {
        (a.left_on, &a.name, a.event).cmp(&(b.left_on, &b.name, b.event))
    });
    ledger
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::suspected_dropouts;
    use crate::ledger::tests::absent_across_national_day;
    use crate::test_school::{day, TestSchool, SCHOOL};
    use proptest::prelude::*;

    #[test]
    fn the_dropout_ledger_carries_the_investigation_rows() {
        let mut school = TestSchool::new();
        let student = absent_across_national_day(&mut school, "张小明");
        school.status(student, "2026-10-09", Status::SuspectedDropout, "连续旷课3天");
        school.investigate(student, "2026-10-10", &[DropoutReason::LeftToWork, DropoutReason::DislikesSchool]);
        school.investigate(student, "2026-10-13", &[DropoutReason::FamilyHardship, DropoutReason::LeftToWork]);
        school.status(student, "2026-10-13", Status::DroppedOut, "家访确认");
        school.status(student, "2026-10-14", Status::BeingPersuaded, "方案已定");
        let ledger = dropouts(&school.state, SCHOOL, day("2026-10-14"));
        assert_eq!(ledger.rows.len(), 1);
        let row = &ledger.rows[0];
        assert_eq!((row.status, row.since, row.age), (Status::BeingPersuaded, day("2026-10-13"), 13));
        assert_eq!(row.investigations.len(), 2);
        assert_eq!(row.investigations[0].investigator, "李主任");
        assert_eq!(row.investigations[0].found_on, day("2026-10-10"));
        assert_eq!(
            row.reasons(),
            BTreeSet::from([DropoutReason::FamilyHardship, DropoutReason::DislikesSchool, DropoutReason::LeftToWork])
        );
        // A dropout is not listed again as a suspected dropout, absences or not.
        assert!(suspected_dropouts(&school.state, SCHOOL, day("2026-10-14")).is_empty());
        assert!(ledger.cleared.is_empty());
    }

    #[test]
    fn a_return_with_evidence_clears_the_child_and_keeps_the_history() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        school.status(student, "2026-10-09", Status::DroppedOut, "家访确认外出打工");
        let back = school.status(student, "2026-10-14", Status::Returned, "10月14日返校，编入七年级(2)班");
        let before = dropouts(&school.state, SCHOOL, day("2026-10-13"));
        assert_eq!(before.rows.len(), 1);
        let after = dropouts(&school.state, SCHOOL, day("2026-10-14"));
        assert!(after.rows.is_empty());
        assert_eq!(
            after.cleared,
            vec![ClearedRow {
                student,
                name: "张小明".into(),
                event: back,
                since: day("2026-10-09"),
                left_on: day("2026-10-14"),
                from: Status::DroppedOut,
                to: Status::Returned,
                evidence: "10月14日返校，编入七年级(2)班".into(),
            }]
        );
        // The 动态销号 of October holds it; those of November and of October a year on do not.
        let in_month = |today: &str| after.cleared_in_month_of(day(today)).count();
        assert_eq!((in_month("2026-10-31"), in_month("2026-11-01"), in_month("2027-10-14")), (1, 0, 0));
        // The term's list of returners holds it; a period before the return does not.
        let returned = |start: &str, end: &str| {
            after.returned_in(Period::new(day(start), day(end)).unwrap()).map(|row| row.student).collect::<Vec<_>>()
        };
        assert_eq!(returned("2026-09-01", "2027-01-20"), vec![student]);
        assert!(returned("2026-09-01", "2026-10-13").is_empty());
    }

    #[test]
    fn a_transfer_out_of_the_ledger_is_no_return() {
        let mut school = TestSchool::new();
        let student = school.enrol("王小军", None);
        school.status(student, "2026-10-09", Status::DroppedOut, "家访确认");
        school.status(student, "2026-10-20", Status::TransferOutConfirmed, "转入学校回执");
        let ledger = dropouts(&school.state, SCHOOL, day("2026-10-30"));
        assert_eq!(ledger.cleared.len(), 1);
        let term = Period::new(day("2026-09-01"), day("2027-01-20")).unwrap();
        assert_eq!(ledger.returned_in(term).count(), 0);
    }

    #[test]
    fn a_return_without_evidence_leaves_the_child_on_the_ledger() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        school.status(student, "2026-10-09", Status::DroppedOut, "家访确认外出打工");
        let silent = school.status(student, "2026-10-13", Status::Returned, "");
        let ledger = dropouts(&school.state, SCHOOL, day("2026-10-14"));
        assert_eq!(
            ledger.rows[0].exit_without_evidence,
            Some(UnevidencedExit { event: silent, date: day("2026-10-13"), status: Status::Returned })
        );
        assert!(ledger.cleared.is_empty());
        school.status(student, "2026-10-14", Status::Returned, "返校，班主任确认");
        let ledger = dropouts(&school.state, SCHOOL, day("2026-10-14"));
        assert!(ledger.rows.is_empty());
        assert_eq!(ledger.cleared.len(), 1);
    }

    #[test]
    fn a_retracted_event_counts_for_nothing() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        school.status(student, "2026-10-09", Status::DroppedOut, "家访确认外出打工");
        let back = school.status(student, "2026-10-13", Status::Returned, "返校");
        school.retract(back);
        let ledger = dropouts(&school.state, SCHOOL, day("2026-10-14"));
        assert_eq!(ledger.rows.len(), 1);
        assert!(ledger.cleared.is_empty());

        let other = school.enrol("李四", None);
        let mistaken = school.status(other, "2026-10-09", Status::DroppedOut, "误录");
        school.retract(mistaken);
        let ledger = dropouts(&school.state, SCHOOL, day("2026-10-14"));
        assert!(ledger.rows.iter().all(|row| row.student != other));
    }

    fn any_event() -> impl Strategy<Value = (u8, Status, bool, bool)> {
        let left_out =
            [Status::TransferredIn, Status::Suspended, Status::HomeTaught, Status::Graduated, Status::Deceased];
        let status = prop::sample::select(
            Status::ALL.into_iter().filter(|status| !left_out.contains(status)).collect::<Vec<_>>(),
        );
        (0u8..40, status, any::<bool>(), prop::bool::weighted(0.15))
    }

    proptest! {
        /// 动态销号: whatever the events, a child leaves the dropout ledger only by an event
        /// with evidence, is never on both ledgers, and every dropout row's child is one whose
        /// last counting departure lacked evidence or never came.
        #[test]
        fn only_evidenced_events_clear_and_no_child_is_on_two_ledgers(events in prop::collection::vec(any_event(), 0..12)) {
            let mut school = TestSchool::new();
            let student = school.enrol("张小明", None);
            for (offset, status, with_evidence, retract) in events {
                let date = day("2026-09-02") + chrono::Duration::days(i64::from(offset));
                let id = school.status(student, &date.to_string(), status, if with_evidence { "证明" } else { "" });
                if retract {
                    school.retract(id);
                }
            }
            let today = day("2026-10-14");
            let ledger = dropouts(&school.state, SCHOOL, today);
            prop_assert!(ledger.cleared.iter().all(|row| !row.evidence.trim().is_empty()));
            prop_assert!(ledger.cleared.iter().all(|row| row.from.is_dropout() && !row.to.is_dropout()));
            let on_dropout: BTreeSet<StudentId> = ledger.rows.iter().map(|row| row.student).collect();
            let suspected = suspected_dropouts(&school.state, SCHOOL, today);
            prop_assert!(suspected.iter().all(|row| !on_dropout.contains(&row.student)));
            // The recorded status says dropout exactly when the ledger lists the child, unless
            // an unevidenced departure keeps them there.
            let recorded = school.state.timeline(student).recorded_on(today);
            let listed = ledger.rows.first();
            match listed {
                Some(row) if row.exit_without_evidence.is_none() => prop_assert!(recorded.is_some_and(Status::is_dropout)),
                Some(_) => prop_assert!(!recorded.is_some_and(Status::is_dropout)),
                None => prop_assert!(!recorded.is_some_and(Status::is_dropout)),
            }
        }
    }
}
