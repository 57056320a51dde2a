//! Risk levels with their reasons: the two questions of the domain map.
//!
//! - *Early warning* ([`early_warning()`]): how likely a child on the roll is to drop out.
//! - *Persuasion difficulty* ([`persuasion`]): how hard a dropout will be to bring back, the
//!   action plan's 高/中/低 风险, which decides who goes and how soon.
//!
//! The at-risk board ([`at_risk_board`]) lists the children of a class above the lowest level
//! of the first question, most at risk first, and counts the rest.
//!
//! Both are transparent points. Each factor seen earns the points a [`RiskTable`] gives it, and
//! the sum crosses two cut points. The answer is the level *and* the reasons with their points,
//! so a teacher sees why (缺课 12/40 天, 动摇生, 八年级) and a school can change a weight it
//! disagrees with. Gathering the facts from [`State`] is kept apart from scoring them, so the
//! scoring is a pure function of plain numbers that tests and `docs/risk.md` can pin down.

pub mod board;
pub mod early_warning;
pub mod persuasion;

pub use board::{at_risk_board, Board, BoardRow};
pub use early_warning::{EarlyWarningFacts, EarlyWarningTable};
pub use persuasion::{FamilySupport, PersuasionFacts, PersuasionTable};

use crate::ids::StudentId;
use crate::investigation::DropoutReason;
use crate::org::Grade;
use crate::state::State;
use crate::status::Timeline;
use crate::student::Flag;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    Low,
    Medium,
    High,
}

impl Level {
    /// The level of a sum of points: `High` from `high_from` points, `Medium` from
    /// `medium_from`, `Low` below. More points never give a lower level, even when a school
    /// sets the cut points the wrong way round (then `Medium` is simply never reached).
    pub fn from_points(points: u32, medium_from: u32, high_from: u32) -> Level {
        if points >= high_from {
            Level::High
        } else if points >= medium_from {
            Level::Medium
        } else {
            Level::Low
        }
    }
}

/// What a factor saw, so the app can say it in words: "缺课 12/40 天", "连续旷课 4 天",
/// "离校 90 天". The early-warning question uses the first group of variants, the persuasion
/// question the second.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Factor {
    /// Absent (any kind) on `absent_days` of the `school_days` of this term so far.
    AbsenceRate { absent_days: u32, school_days: u32 },
    /// 连续旷课: unexcused school days in a row up to today.
    UnexcusedStreak { days: u32 },
    /// Absent on `absent_days` of the first `first_school_days` school days of the term.
    EarlyTermAbsences { absent_days: u32, first_school_days: u32 },
    /// A flag that holds today: 动摇生, 学困, 家困, 留守, 单亲, 残疾, 偏科, 寄宿.
    Flag { flag: Flag },
    /// The grade itself: 看住七年、保住八年、留住九年.
    Grade { grade: Grade },
    /// Older than the grade's usual age: `age_years` on 1 September against `typical_age`.
    OverAge { age_years: i32, typical_age: u8 },
    /// Dropped out before (and came back): `count` earlier dropouts.
    EarlierDropouts { count: u32 },

    /// 辍学时间: days out of school since the current episode began.
    TimeOut { days: u32 },
    /// 辍学原因复杂: `count` different reasons on the 排查台账.
    SeveralReasons { count: u32 },
    /// A reason that is hard to undo on its own: 外出打工, 早婚早育.
    HardReason { reason: DropoutReason },
    /// 家庭支持力度.
    FamilySupport { support: FamilySupport },
    /// Contacts (visits, calls) since the child left, none of which brought them back.
    FailedContacts { count: u32 },
    /// This is not the child's first dropout.
    Relapse { earlier_dropouts: u32 },
}

impl Factor {
    /// Whether the factor holds for every child of a grade alike (today only the grade itself,
    /// 看住七年、保住八年、留住九年): context that adds to a child's own signs, not a sign of this
    /// child. Reasons that are all context never lift a child above [`Level::Low`], so the board
    /// does not list a whole grade for being that grade.
    pub fn is_context(&self) -> bool {
        matches!(self, Factor::Grade { .. })
    }
}

/// One factor that counted, with the points it earned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub factor: Factor,
    pub points: u32,
}

/// The answer to a risk question: the level, the points, and the reasons behind them, the
/// heaviest first. `points` is the sum of the reasons' points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub level: Level,
    pub points: u32,
    pub reasons: Vec<Reason>,
}

impl Assessment {
    /// Scores the reasons: drops those worth nothing (a weight a school set to 0 is no
    /// reason), sorts the rest heaviest first (ties keep the order they were found in) and sums.
    /// The level is that of the points, except that without a reason of the child's own (only
    /// context, such as the grade, or nothing) it is `Low`: the context's points still show and
    /// add to any sign of the child's own, but alone they say nothing about this child.
    fn from_reasons(mut reasons: Vec<Reason>, medium_from: u32, high_from: u32) -> Assessment {
        reasons.retain(|reason| reason.points > 0);
        crate::sorting::sort_by_key(&mut reasons, |reason| Reverse(reason.points));
        let points = reasons.iter().fold(0u32, |sum, reason| sum.saturating_add(reason.points));
        let level = if reasons.iter().any(|reason| !reason.factor.is_context()) {
            Level::from_points(points, medium_from, high_from)
        } else {
            Level::Low
        };
        Assessment { level, points, reasons }
    }
}

/// Whether a seen count reaches a threshold. A threshold of 0 is read as 1: a factor needs
/// something seen, so a blank record never earns points.
fn reaches(seen: u32, from: u32) -> bool {
    seen >= from.max(1)
}

/// A count as the facts hold it. Counts of days and records never come near `u32::MAX`; if
/// one did, saturating keeps the answer "a lot" rather than wrapping to "none".
fn count(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The days on which a recorded status became 辍学 or 劝返中, in order: the earlier dropouts the
/// reasons 曾辍学 and 反复辍学 speak of. Not [`Timeline::dropout_starts`], the rates' count: there
/// a transfer whose receipt is overdue counts as a dropout so that none hides, but a child who
/// only moved without the paperwork never left school, and a reason on the board is a claim
/// about the child. An overdue transfer that a visit then records as 辍学 counts from that record.
fn recorded_dropout_starts(timeline: &Timeline) -> impl Iterator<Item = NaiveDate> + '_ {
    let mut was_dropout = false;
    timeline.events().iter().filter_map(move |event| {
        let is_dropout = event.status.is_dropout();
        let starts = is_dropout && !was_dropout;
        was_dropout = is_dropout;
        starts.then_some(event.date)
    })
}

/// The weights and cut points of both questions: data a school or county can change. A file
/// may give only the numbers it changes; every other keeps its default (see `docs/risk.md`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskTable {
    pub early_warning: EarlyWarningTable,
    pub persuasion: PersuasionTable,
}

/// A risk table file that cannot be used. Unknown fields are ignored rather than refused, so
/// a table written by a newer version still loads on an older phone.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RiskTableError {
    #[error("the risk table is not JSON of the expected shape ({message}); fix that field, or remove it to keep its default")]
    Json { message: String },
    #[error("{question} cut points: medium_from {medium_from} is above high_from {high_from}, so Medium is never given; set medium_from at or below high_from")]
    CutPointsOutOfOrder { question: &'static str, medium_from: u32, high_from: u32 },
}

impl RiskTable {
    /// Reads a table from JSON, keeping the default of every number the file leaves out.
    pub fn from_json(text: &str) -> Result<RiskTable, RiskTableError> {
        let table: RiskTable =
            serde_json::from_str(text).map_err(|error| RiskTableError::Json { message: error.to_string() })?;
        let cuts = [
            ("early_warning", table.early_warning.medium_from, table.early_warning.high_from),
            ("persuasion", table.persuasion.medium_from, table.persuasion.high_from),
        ];
        for (question, medium_from, high_from) in cuts {
            if medium_from > high_from {
                return Err(RiskTableError::CutPointsOutOfOrder { question, medium_from, high_from });
            }
        }
        Ok(table)
    }
}

/// Early warning for one student on `today`, or `None` for an id the state does not know.
/// Meant for children on the roll; a child out of school is a persuasion question.
pub fn early_warning(
    state: &State,
    student: StudentId,
    today: NaiveDate,
    table: &EarlyWarningTable,
) -> Option<Assessment> {
    early_warning::facts(state, student, today, table).map(|facts| early_warning::assess(&facts, table))
}

/// The early warning of each of `students` on `today`: [`early_warning()`] for a whole school at
/// once, through the figures' indexes.
pub(crate) fn early_warning_of_each<'s>(
    inputs: &crate::figures::FigureInputs<'_>,
    students: &[&'s crate::student::Student],
    today: NaiveDate,
    table: &EarlyWarningTable,
) -> Vec<(&'s crate::student::Student, Assessment)> {
    early_warning::facts_of_each(inputs, students, today, table)
        .into_iter()
        .map(|(student, facts)| (student, early_warning::assess(&facts, table)))
        .collect()
}

/// Persuasion difficulty for one student on `today`, or `None` when the student is unknown or
/// not out of school today. `family_support` is what the last visit found.
pub fn persuasion_difficulty(
    state: &State,
    student: StudentId,
    today: NaiveDate,
    family_support: FamilySupport,
    table: &PersuasionTable,
) -> Option<Assessment> {
    persuasion::facts(state, student, today, family_support).map(|facts| persuasion::assess(&facts, table))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::TestCaseError;
    use serde::de::DeserializeOwned;
    use serde_json::Value;
    use std::collections::BTreeMap;

    /// Each reason of `assessment` with its points, in the order given.
    pub(super) fn factors(assessment: &Assessment) -> Vec<(Factor, u32)> {
        assessment.reasons.iter().map(|reason| (reason.factor.clone(), reason.points)).collect()
    }

    /// What every assessment holds to, whatever the facts and the table: the points are the sum
    /// of the reasons, each reason earns something, the heaviest come first, and the level is
    /// that of the points, or `Low` when no reason is the child's own (context alone).
    pub(super) fn check_scored(assessment: &Assessment, medium_from: u32, high_from: u32) -> Result<(), TestCaseError> {
        prop_assert_eq!(assessment.points, assessment.reasons.iter().map(|reason| reason.points).sum::<u32>());
        prop_assert!(assessment.reasons.iter().all(|reason| reason.points > 0));
        prop_assert!(assessment.reasons.windows(2).all(|pair| pair[0].points >= pair[1].points));
        let own_reason = assessment.reasons.iter().any(|reason| !reason.factor.is_context());
        let expected =
            if own_reason { Level::from_points(assessment.points, medium_from, high_from) } else { Level::Low };
        prop_assert_eq!(assessment.level, expected);
        Ok(())
    }

    /// A table with every number drawn at random from 0 to 2999, the cut points included (in
    /// either order).
    pub(super) fn arbitrary_table<T>() -> impl Strategy<Value = T>
    where
        T: Serialize + DeserializeOwned + Default + std::fmt::Debug,
    {
        // More numbers than either table has fields; the rest go unused.
        proptest::collection::vec(0u32..3000, 64).prop_map(table_from_numbers)
    }

    /// A table of type `T` whose every number (array items included) is taken in turn from
    /// `numbers`, in field order; a field left over when `numbers` runs out keeps its default.
    fn table_from_numbers<T: Serialize + DeserializeOwned + Default>(numbers: Vec<u32>) -> T {
        fn refill(value: &mut Value, numbers: &mut impl Iterator<Item = u32>) {
            match value {
                Value::Number(_) => {
                    if let Some(number) = numbers.next() {
                        *value = Value::from(number);
                    }
                }
                Value::Array(items) => items.iter_mut().for_each(|item| refill(item, numbers)),
                Value::Object(fields) => fields.values_mut().for_each(|field| refill(field, numbers)),
                _ => {}
            }
        }
        let mut value = serde_json::to_value(T::default()).unwrap();
        refill(&mut value, &mut numbers.into_iter());
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_partial_json_table_keeps_the_other_defaults() {
        let table = RiskTable::from_json(r#"{"early_warning": {"wavering_points": 50, "high_from": 70}}"#).unwrap();
        let defaults = RiskTable::default();
        assert_eq!(table.early_warning.wavering_points, 50);
        assert_eq!(table.early_warning.high_from, 70);
        assert_eq!(table.early_warning.left_behind_points, defaults.early_warning.left_behind_points);
        assert_eq!(table.early_warning.grade_points, defaults.early_warning.grade_points);
        assert_eq!(table.persuasion, defaults.persuasion);
        assert_eq!(RiskTable::from_json("{}").unwrap(), defaults);
    }

    #[test]
    fn a_bad_table_says_what_to_fix() {
        let error = RiskTable::from_json(r#"{"persuasion": {"medium_from": 80, "high_from": 60}}"#).unwrap_err();
        assert_eq!(
            error,
            RiskTableError::CutPointsOutOfOrder { question: "persuasion", medium_from: 80, high_from: 60 }
        );
        let error = RiskTable::from_json(r#"{"early_warning": {"wavering_points": -5}}"#).unwrap_err();
        assert!(matches!(error, RiskTableError::Json { .. }), "{error:?}");
        // A table from a newer version with a field this one does not know still loads.
        assert!(RiskTable::from_json(r#"{"early_warning": {"some_new_factor_points": 5}}"#).is_ok());
    }

    #[test]
    fn the_default_table_round_trips_through_json() {
        let text = serde_json::to_string(&RiskTable::default()).unwrap();
        assert_eq!(RiskTable::from_json(&text).unwrap(), RiskTable::default());
    }

    /// The rows `| `field` | value | ... |` of each `## ` section of docs/risk.md.
    fn documented_defaults() -> BTreeMap<String, BTreeMap<String, Value>> {
        let mut sections: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
        let mut section = String::new();
        for line in include_str!("../../../docs/risk.md").lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                section = heading.trim().to_owned();
            }
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if let [_, field, value, ..] = cells.as_slice() {
                if let Some(field) = field.strip_prefix('`').and_then(|rest| rest.strip_suffix('`')) {
                    let value = value.trim_matches('`');
                    let parsed = serde_json::from_str(value).unwrap_or_else(|_| panic!("{field}: {value} is not JSON"));
                    let previous = sections.entry(section.clone()).or_default().insert(field.to_owned(), parsed);
                    assert!(previous.is_none(), "{field} is listed twice under {section}");
                }
            }
        }
        sections
    }

    fn fields_of(value: Value) -> BTreeMap<String, Value> {
        match value {
            Value::Object(map) => map.into_iter().collect(),
            other => panic!("a table serialises as an object, not {other}"),
        }
    }

    #[test]
    fn the_docs_list_exactly_the_default_weights() {
        let documented = documented_defaults();
        let defaults = RiskTable::default();
        let expected = [
            ("Early warning", fields_of(serde_json::to_value(&defaults.early_warning).unwrap())),
            ("Persuasion difficulty", fields_of(serde_json::to_value(&defaults.persuasion).unwrap())),
        ];
        for (section, fields) in expected {
            let rows = documented.get(section).unwrap_or_else(|| panic!("docs/risk.md has no `## {section}` table"));
            let mut differences: Vec<String> = fields
                .iter()
                .filter(|(field, value)| rows.get(*field) != Some(*value))
                .map(|(field, value)| format!("{field}: code {value}, docs {:?}", rows.get(field)))
                .collect();
            let docs_only = rows.keys().filter(|field| !fields.contains_key(*field));
            differences.extend(docs_only.map(|field| format!("{field}: in the docs only")));
            assert!(differences.is_empty(), "docs/risk.md, section {section}, differs from the code: {differences:#?}");
        }
    }

    proptest! {
        #[test]
        fn more_points_never_give_a_lower_level(a in any::<u32>(), b in any::<u32>(), medium in 0u32..200, high in 0u32..200) {
            let (low, high_points) = (a.min(b), a.max(b));
            prop_assert!(Level::from_points(low, medium, high) <= Level::from_points(high_points, medium, high));
        }
    }
}
