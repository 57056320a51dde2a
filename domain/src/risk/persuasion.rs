//! Persuasion difficulty (劝返难度): how hard a child out of school will be to bring back. The
//! action plan sorts dropouts into 高/中/低 by how long they have been out (辍学时间长短), how
//! tangled the reasons are (原因复杂 or 单一), and how much the family backs the school
//! (家庭支持力度); the level decides who goes and how soon.

use super::{count, reaches, recorded_dropout_starts, Assessment, Factor, Reason};
use crate::ids::StudentId;
use crate::investigation::DropoutReason;
use crate::state::State;
use crate::status::{transfer_deadline, Status, Timeline};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// 家庭支持力度: what the family does about the child's return, as the last visit found it.
/// Not a record of its own yet, so the caller passes it in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FamilySupport {
    /// 支持: the family wants the child back in school (家庭支持力度大).
    Supportive,
    /// 一般: the family lets the child decide.
    Indifferent,
    /// 反对: the family keeps the child out, for work, marriage or at home (支持力度小).
    Opposed,
    /// No one has asked the family yet.
    Unknown,
}

/// What the persuasion difficulty looks at, for one child out of school on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersuasionFacts {
    /// Days since the current time out of school began (the first day of suspected or
    /// confirmed dropout, or the day an unconfirmed transfer became overdue).
    pub days_out: u32,
    /// The dropout reasons the 排查台账 holds for this time out.
    pub reasons: BTreeSet<DropoutReason>,
    pub family_support: FamilySupport,
    /// Visits and calls since the child left. The child is still out, so none has worked yet.
    pub contacts_since_out: u32,
    /// Recorded dropouts (辍学 or 劝返中) before this time out; an overdue transfer is none.
    pub earlier_dropouts: u32,
}

/// Weights and cut points of the persuasion difficulty, on the same scale as the early
/// warning: 30 and 60. See `docs/risk.md` for the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersuasionTable {
    /// Medium from this many points: the action plan's 中 is a short time out with one reason
    /// and a lukewarm family (30 days out and an indifferent family make 30).
    pub medium_from: u32,
    /// High from this many points: the action plan's 高 is long out, tangled reasons, little
    /// family support; any two of those make 60 or more.
    pub high_from: u32,
    /// Out of school from this many days (a month): by then the child has settled into work
    /// or life at home, and lessons have moved on.
    pub out_from_days: u32,
    /// Points for a month out.
    pub out_points: u32,
    /// Long out from this many days (about a school term's worth of weeks): the action plan's
    /// 辍学时间较长. Replaces the month band, does not add to it.
    pub out_long_from_days: u32,
    /// Points for a long time out.
    pub out_long_points: u32,
    /// Several reasons from this many: one reason can be met with one measure; two need two.
    pub several_reasons_from: u32,
    /// Points for several reasons.
    pub several_reasons_points: u32,
    /// Many reasons from this many: the action plan's 原因复杂. Replaces the several band.
    pub many_reasons_from: u32,
    /// Points for many reasons.
    pub many_reasons_points: u32,
    /// 外出打工: the child earns, the family gains, and is often far away; a visit cannot reach
    /// them and aid competes with a wage.
    pub left_to_work_points: u32,
    /// 早婚早育: the hardest to undo, often needing the legal route (依法劝返).
    pub early_marriage_points: u32,
    /// 家庭支持力度大: a family on the school's side is the best lever; no points.
    pub family_supportive_points: u32,
    /// 家庭支持一般: the family will not push, so the school must persuade the child alone.
    pub family_indifferent_points: u32,
    /// 家庭支持力度小: the family keeps the child out; the action plan's 高.
    pub family_opposed_points: u32,
    /// Not yet known: counted as indifferent until a visit finds out, so an unvisited child is
    /// not ranked below one whose family was found indifferent.
    pub family_unknown_points: u32,
    /// Contacts without return from this many: the action plan turns to the legal route after
    /// 多次劝返, and the seeds ask 3 visits for a relapsing child.
    pub failed_contacts_from: u32,
    /// Points for repeated contacts without return.
    pub failed_contacts_points: u32,
    /// Points when this is not the first dropout: a child who came back and left again has
    /// already heard the arguments.
    pub relapse_points: u32,
}

impl Default for PersuasionTable {
    fn default() -> Self {
        PersuasionTable {
            medium_from: 30,
            high_from: 60,
            out_from_days: 30,
            out_points: 15,
            out_long_from_days: 90,
            out_long_points: 30,
            several_reasons_from: 2,
            several_reasons_points: 10,
            many_reasons_from: 3,
            many_reasons_points: 20,
            left_to_work_points: 20,
            early_marriage_points: 25,
            family_supportive_points: 0,
            family_indifferent_points: 15,
            family_opposed_points: 30,
            family_unknown_points: 15,
            failed_contacts_from: 3,
            failed_contacts_points: 15,
            relapse_points: 20,
        }
    }
}

impl PersuasionTable {
    pub fn family_points(&self, support: FamilySupport) -> u32 {
        match support {
            FamilySupport::Supportive => self.family_supportive_points,
            FamilySupport::Indifferent => self.family_indifferent_points,
            FamilySupport::Opposed => self.family_opposed_points,
            FamilySupport::Unknown => self.family_unknown_points,
        }
    }

    /// Points for a reason that is hard on its own; the others earn theirs through the count.
    pub fn hard_reason_points(&self, reason: DropoutReason) -> u32 {
        match reason {
            DropoutReason::LeftToWork => self.left_to_work_points,
            DropoutReason::EarlyMarriage => self.early_marriage_points,
            _ => 0,
        }
    }
}

/// Scores the facts: every factor seen, with its points, heaviest first.
pub fn assess(facts: &PersuasionFacts, table: &PersuasionTable) -> Assessment {
    let mut reasons = Vec::new();
    let out_points = highest_band(
        facts.days_out,
        &[(table.out_from_days, table.out_points), (table.out_long_from_days, table.out_long_points)],
    );
    if out_points > 0 {
        reasons.push(Reason { factor: Factor::TimeOut { days: facts.days_out }, points: out_points });
    }
    let reason_count = count(facts.reasons.len());
    let count_points = highest_band(
        reason_count,
        &[
            (table.several_reasons_from, table.several_reasons_points),
            (table.many_reasons_from, table.many_reasons_points),
        ],
    );
    if count_points > 0 {
        reasons.push(Reason { factor: Factor::SeveralReasons { count: reason_count }, points: count_points });
    }
    for reason in &facts.reasons {
        reasons
            .push(Reason { factor: Factor::HardReason { reason: *reason }, points: table.hard_reason_points(*reason) });
    }
    reasons.push(Reason {
        factor: Factor::FamilySupport { support: facts.family_support },
        points: table.family_points(facts.family_support),
    });
    if reaches(facts.contacts_since_out, table.failed_contacts_from) {
        reasons.push(Reason {
            factor: Factor::FailedContacts { count: facts.contacts_since_out },
            points: table.failed_contacts_points,
        });
    }
    if facts.earlier_dropouts > 0 {
        reasons.push(Reason {
            factor: Factor::Relapse { earlier_dropouts: facts.earlier_dropouts },
            points: table.relapse_points,
        });
    }
    Assessment::from_reasons(reasons, table.medium_from, table.high_from)
}

/// The points of the highest band `seen` reaches, or 0. Taking the highest rather than the
/// later band keeps "more never scores less" even if a school sets the bands out of order.
fn highest_band(seen: u32, bands: &[(u32, u32)]) -> u32 {
    bands.iter().filter(|(from, _)| reaches(seen, *from)).map(|(_, points)| *points).max().unwrap_or(0)
}

/// Gathers the facts for one student on `today`, or `None` when the state does not know the
/// student or the student is not out of school today (not a suspected or confirmed dropout,
/// nor an overdue transfer).
pub fn facts(
    state: &State,
    student: StudentId,
    today: NaiveDate,
    family_support: FamilySupport,
) -> Option<PersuasionFacts> {
    let child = state.student(student)?;
    let receipt_days = state.rules(child.school).transfer_receipt_days;
    let timeline = state.timeline(student);
    let episode = OutEpisode::find(&timeline, today, receipt_days)?;
    let reasons = state
        .investigations
        .values()
        .map(|stamped| &stamped.value)
        .filter(|row| row.student == student && !state.is_retracted(row.id))
        .filter(|row| episode.holds_finding(row.found_on, today))
        .flat_map(|row| row.reasons.iter().copied())
        .collect();
    let contacts = state
        .contacts
        .values()
        .map(|stamped| &stamped.value)
        .filter(|contact| contact.student == student && !state.is_retracted(contact.id))
        .filter(|contact| episode.since <= contact.date && contact.date <= today)
        .count();
    let earlier_dropouts = recorded_dropout_starts(&timeline).filter(|start| *start < episode.since).count();
    Some(PersuasionFacts {
        days_out: u32::try_from((today - episode.since).num_days()).unwrap_or(u32::MAX),
        reasons,
        family_support,
        contacts_since_out: count(contacts),
        earlier_dropouts: count(earlier_dropouts),
    })
}

/// The current time out of school: when it began, and the last day the child was counted in
/// school before it (enrolled, returned, a transfer still in time), if the record shows one.
#[derive(Debug)]
struct OutEpisode {
    since: NaiveDate,
    back_in_school: Option<NaiveDate>,
}

impl OutEpisode {
    /// The counted status changes only on an event's date or on a transfer's receipt deadline,
    /// so walking back over those days from `today` finds where the run of "out" began. The
    /// status itself comes from [`Timeline::status_on`], so the overdue-transfer rule is the
    /// one the rates use.
    fn find(timeline: &Timeline, today: NaiveDate, receipt_days: u32) -> Option<OutEpisode> {
        let is_out = |day: NaiveDate| {
            let status = timeline.status_on(day, receipt_days);
            status.is_some_and(|status| status.is_dropout() || status == Status::SuspectedDropout)
        };
        if !is_out(today) {
            return None;
        }
        let mut changes: Vec<NaiveDate> = timeline
            .events()
            .iter()
            .flat_map(|event| {
                let pending = event.status == Status::TransferOutPending;
                let deadline = pending.then(|| transfer_deadline(event.date, receipt_days));
                std::iter::once(event.date).chain(deadline)
            })
            .filter(|date| *date <= today)
            .collect();
        crate::sorting::sort_by_key(&mut changes, |date| *date);
        changes.dedup();
        let mut since = None;
        let mut back_in_school = None;
        for change in changes.into_iter().rev() {
            if is_out(change) {
                since = Some(change);
            } else {
                back_in_school = Some(change);
                break;
            }
        }
        Some(OutEpisode { since: since?, back_in_school })
    }

    /// Whether an investigation found on `found_on` belongs to this time out: found after the
    /// child was last counted in school (a row may be written a day before the status event),
    /// and not after today.
    fn holds_finding(&self, found_on: NaiveDate, today: NaiveDate) -> bool {
        found_on <= today && self.back_in_school.is_none_or(|back| found_on >= back)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::ContactMethod;
    use crate::risk::tests::{arbitrary_table, check_scored, factors};
    use crate::risk::Level;
    use crate::test_school::{day, TestSchool};
    use proptest::prelude::*;
    use DropoutReason::*;

    fn out_for(days_out: u32, reasons: &[DropoutReason], family_support: FamilySupport) -> PersuasionFacts {
        PersuasionFacts {
            days_out,
            reasons: reasons.iter().copied().collect(),
            family_support,
            contacts_since_out: 0,
            earlier_dropouts: 0,
        }
    }

    #[test]
    fn a_dropout_out_for_90_days_who_left_to_work_with_3_reasons_is_high() {
        let mut school = TestSchool::empty();
        let child = school.student_of_grade(8, "2012-10-01");
        school.status(child, "2025-09-01", Status::Enrolled, "");
        school.status(child, "2026-03-02", Status::DroppedOut, "");
        school.investigate(child, "2026-03-03", &[LeftToWork, FamilyHardship, DislikesSchool]);
        school.contact(child, "2026-03-05", ContactMethod::HomeVisit);
        school.contact(child, "2026-04-10", ContactMethod::HomeVisit);
        let today = day("2026-05-31"); // 90 days after 2 March.

        let facts = facts(&school.state, child, today, FamilySupport::Unknown).unwrap();
        assert_eq!(facts.days_out, 90);
        assert_eq!(facts.reasons, [LeftToWork, FamilyHardship, DislikesSchool].into_iter().collect());
        assert_eq!(facts.contacts_since_out, 2);
        assert_eq!(facts.earlier_dropouts, 0);

        let table = PersuasionTable::default();
        let assessment = assess(&facts, &table);
        assert_eq!(assessment.level, Level::High);
        assert_eq!(
            factors(&assessment),
            vec![
                (Factor::TimeOut { days: 90 }, 30),
                (Factor::SeveralReasons { count: 3 }, 20),
                (Factor::HardReason { reason: LeftToWork }, 20),
                (Factor::FamilySupport { support: FamilySupport::Unknown }, 15),
            ]
        );
        assert_eq!(assessment.points, 85);
        // Even a supportive family leaves it High: 70 points.
        let supported = assess(&PersuasionFacts { family_support: FamilySupport::Supportive, ..facts }, &table);
        assert_eq!((supported.level, supported.points), (Level::High, 70));
    }

    #[test]
    fn the_action_plans_three_levels() {
        let table = PersuasionTable::default();
        // 低: short time out, one clear reason, a supportive family.
        let low = assess(&out_for(10, &[FamilyHardship], FamilySupport::Supportive), &table);
        assert_eq!(low, Assessment { level: Level::Low, points: 0, reasons: vec![] });
        // 中: a month out, one reason, a lukewarm family.
        let medium = assess(&out_for(30, &[DislikesSchool], FamilySupport::Indifferent), &table);
        assert_eq!(medium.level, Level::Medium);
        // 高: long out, tangled reasons, a family against.
        let high = assess(&out_for(120, &[EarlyMarriage, FamilyUpheaval], FamilySupport::Opposed), &table);
        assert_eq!(high.level, Level::High);
        assert_eq!(high.points, 30 + 10 + 25 + 30);
    }

    #[test]
    fn failed_contacts_and_relapse_count() {
        let table = PersuasionTable::default();
        let quiet = out_for(5, &[Other], FamilySupport::Supportive);
        let facts = PersuasionFacts { contacts_since_out: 3, earlier_dropouts: 1, ..quiet };
        assert_eq!(
            factors(&assess(&facts, &table)),
            vec![(Factor::Relapse { earlier_dropouts: 1 }, 20), (Factor::FailedContacts { count: 3 }, 15)]
        );
    }

    #[test]
    fn a_relapse_counts_only_this_episodes_reasons_and_contacts() {
        let mut school = TestSchool::empty();
        let child = school.student_of_grade(9, "2011-04-01");
        school.status(child, "2025-09-01", Status::Enrolled, "");
        school.status(child, "2025-10-10", Status::SuspectedDropout, "");
        school.status(child, "2025-10-13", Status::DroppedOut, "");
        school.investigate(child, "2025-10-11", &[EarlyMarriage]);
        school.contact(child, "2025-10-20", ContactMethod::HomeVisit);
        school.status(child, "2025-11-03", Status::Returned, "");
        // Out again: suspected first, the ledger row written the day before the status event.
        school.investigate(child, "2026-03-08", &[DislikesSchool]);
        school.status(child, "2026-03-09", Status::SuspectedDropout, "");
        school.status(child, "2026-03-12", Status::BeingPersuaded, "");
        school.contact(child, "2026-03-10", ContactMethod::HomeVisit);
        let wrong = school.investigate(child, "2026-03-10", &[LeftToWork]);
        school.retract(wrong);

        let facts = facts(&school.state, child, day("2026-03-19"), FamilySupport::Indifferent).unwrap();
        assert_eq!(facts.days_out, 10, "out since the suspected dropout of 9 March");
        assert_eq!(facts.reasons, [DislikesSchool].into_iter().collect());
        assert_eq!(facts.contacts_since_out, 1);
        assert_eq!(facts.earlier_dropouts, 1);
    }

    #[test]
    fn an_overdue_transfer_is_out_from_its_deadline_and_a_child_in_school_has_no_difficulty() {
        let mut school = TestSchool::empty();
        let child = school.student_of_grade(7, "2013-01-01");
        school.status(child, "2026-03-01", Status::TransferOutPending, "");
        // The receipt is due within 15 days, so from 16 March the child counts as out.
        assert_eq!(facts(&school.state, child, day("2026-03-15"), FamilySupport::Unknown), None);
        let overdue = facts(&school.state, child, day("2026-03-26"), FamilySupport::Unknown).unwrap();
        assert_eq!((overdue.days_out, overdue.earlier_dropouts), (10, 0));

        let in_school = school.student_of_grade(7, "2013-01-01");
        school.status(in_school, "2026-03-01", Status::Enrolled, "");
        assert_eq!(facts(&school.state, in_school, day("2026-03-26"), FamilySupport::Unknown), None);
        assert_eq!(facts(&school.state, StudentId::from_u128(999), day("2026-03-26"), FamilySupport::Unknown), None);
    }

    #[test]
    fn a_transfer_without_receipt_before_this_dropout_is_no_relapse() {
        let mut school = TestSchool::empty();
        let child = school.student_of_grade(8, "2012-01-01");
        school.status(child, "2025-09-01", Status::Enrolled, "");
        // Overdue from 16 March (counted 疑似辍学 for the rates), the transfer then fell through.
        school.status(child, "2026-03-01", Status::TransferOutPending, "转往城关二中");
        school.status(child, "2026-04-07", Status::Enrolled, "转学未成，回校就读");
        school.status(child, "2026-05-11", Status::DroppedOut, "");

        let facts = facts(&school.state, child, day("2026-05-21"), FamilySupport::Unknown).unwrap();
        assert_eq!(facts.earlier_dropouts, 0, "no status recorded before this one was 辍学 or 劝返中");
    }

    fn arbitrary_reason() -> impl Strategy<Value = DropoutReason> {
        proptest::sample::select(DropoutReason::ALL.to_vec())
    }

    fn arbitrary_facts() -> impl Strategy<Value = PersuasionFacts> {
        (
            0u32..400,
            proptest::collection::btree_set(arbitrary_reason(), 0..=8),
            proptest::sample::select(vec![
                FamilySupport::Supportive,
                FamilySupport::Indifferent,
                FamilySupport::Opposed,
                FamilySupport::Unknown,
            ]),
            0u32..8,
            0u32..4,
        )
            .prop_map(|(days_out, reasons, family_support, contacts_since_out, earlier_dropouts)| {
                PersuasionFacts { days_out, reasons, family_support, contacts_since_out, earlier_dropouts }
            })
    }

    proptest! {
        #[test]
        fn points_are_the_sum_of_the_reasons(facts in arbitrary_facts(), table in arbitrary_table::<PersuasionTable>()) {
            check_scored(&assess(&facts, &table), table.medium_from, table.high_from)?;
        }

        #[test]
        fn more_time_out_more_reasons_or_more_contacts_never_lower_the_level(
            facts in arbitrary_facts(),
            reason in arbitrary_reason(),
            table in arbitrary_table::<PersuasionTable>(),
        ) {
            let before = assess(&facts, &table).level;
            let longer = PersuasionFacts { days_out: facts.days_out + 30, ..facts.clone() };
            prop_assert!(assess(&longer, &table).level >= before);
            let mut tangled = facts.clone();
            tangled.reasons.insert(reason);
            prop_assert!(assess(&tangled, &table).level >= before);
            let visited = PersuasionFacts { contacts_since_out: facts.contacts_since_out + 1, ..facts.clone() };
            prop_assert!(assess(&visited, &table).level >= before);
        }
    }
}
