//! The official figures of 控辍保学: 辍学率, 劝返复学率, 义务教育巩固率, attendance rate, chronic
//! absence, home visits against the quota, 无辍学班 and schools over the dropout limit. Each is
//! a [`Ratio`] that keeps its numerator and denominator, so every rate on a screen can be
//! explained ("3 of 122") and checked against the school's own papers.
//!
//! Figures add up. Every count is a sum of contributions of single students, classes, head
//! teachers, residents or school stages, and each of those belongs to exactly one school; so a
//! town's [`Figures`] are the sum of its schools' figures and a county's the sum of its towns'.
//! A town's rate is its dropouts over its students, never the mean of its schools' rates.
//!
//! Nothing after `today` counts: a period that runs past today is cut at today, so a transfer
//! whose receipt is not yet due is no dropout yet, and days still to come are no attendance.

/// `Sum` for figures that `Add`: the figures of no group are the default, all counts zero.
macro_rules! sum_by_adding {
    ($type:ident) => {
        impl std::iter::Sum for $type {
            fn sum<I: Iterator<Item = $type>>(iter: I) -> $type {
                iter.fold($type::default(), std::ops::Add::add)
            }
        }
    };
}

/// `Add` field by field, and `Sum`, for figures made of figures: the figures of two groups
/// together are the sums of their parts.
macro_rules! add_field_by_field {
    ($type:ident { $($field:ident),+ $(,)? }) => {
        impl std::ops::Add for $type {
            type Output = $type;
            fn add(self, other: $type) -> $type {
                $type { $($field: self.$field + other.$field),+ }
            }
        }
        $crate::figures::sum_by_adding!($type);
    };
}

// Usable by the other counts that add up (a dashboard's, a supervisor's summary).
pub(crate) use {add_field_by_field, sum_by_adding};

mod classes;
mod consolidation;
mod inputs;
mod limits;
mod period;
mod ratio;
mod students;
mod visits;

#[cfg(test)]
mod tests;

pub use crate::age::COMPULSORY_AGES;
pub use inputs::FigureInputs;
pub use limits::SchoolLimit;
pub use period::{Period, PeriodReversed};
pub use ratio::{PerStage, Ratio};
pub use students::StudentFigures;
pub use visits::{VisitRow, Visited, Visits};

use crate::ids::{ClassId, CountyId, SchoolId, TownId};
use crate::org::Grade;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whose figures: students and classes by where they are now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Class(ClassId),
    /// One grade of one school.
    Grade {
        school: SchoolId,
        grade: Grade,
    },
    School(SchoolId),
    Town(TownId),
    County(CountyId),
}

/// All figures of one scope and period. Adding the figures of two schools gives the figures
/// of the two schools together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// 辍学率, 劝返复学率, attendance and chronic absence, per stage.
    pub students: PerStage<StudentFigures>,
    /// 无辍学班: classes with no dropout in the period ÷ classes, per stage.
    pub classes_without_dropout: PerStage<Ratio>,
    /// Class registers handed in ÷ the classes' past school days, per stage: the attendance
    /// figures count recorded days only (see [`FigureInputs::registers_recorded`]).
    pub registers_recorded: PerStage<Ratio>,
    /// School stages over their dropout limit ÷ school stages (see [`SchoolLimit`]). Empty for
    /// a class or a grade.
    pub schools_over_limit: PerStage<Ratio>,
    /// 义务教育巩固率 of the schools' catchment areas on the last day of the period (see
    /// [`FigureInputs::consolidation`]). Empty for a class or a grade, whose residents are
    /// not listed apart.
    pub consolidation: Ratio,
    /// Head teachers' home visits against their quota.
    pub head_teacher_visits: Visits,
    /// Home visits to relapsing children against theirs.
    pub relapsing_child_visits: Visits,
}

impl Figures {
    /// Every ratio with a stable name, for an export or a "how was this worked out" table.
    pub fn ratios(&self) -> Vec<(&'static str, Ratio)> {
        let PerStage { primary, junior } = self.students;
        vec![
            ("primary.dropout", primary.dropout),
            ("primary.returned", primary.returned),
            ("primary.still_attending", primary.still_attending),
            ("primary.attendance", primary.attendance),
            ("primary.chronic_absence", primary.chronic_absence),
            ("junior.dropout", junior.dropout),
            ("junior.returned", junior.returned),
            ("junior.still_attending", junior.still_attending),
            ("junior.attendance", junior.attendance),
            ("junior.chronic_absence", junior.chronic_absence),
            ("primary.classes_without_dropout", self.classes_without_dropout.primary),
            ("junior.classes_without_dropout", self.classes_without_dropout.junior),
            ("primary.registers_recorded", self.registers_recorded.primary),
            ("junior.registers_recorded", self.registers_recorded.junior),
            ("primary.schools_over_limit", self.schools_over_limit.primary),
            ("junior.schools_over_limit", self.schools_over_limit.junior),
            ("consolidation", self.consolidation),
            ("head_teacher_visits.toward_quota", self.head_teacher_visits.toward_quota),
            ("head_teacher_visits.on_quota", self.head_teacher_visits.on_quota),
            ("relapsing_child_visits.toward_quota", self.relapsing_child_visits.toward_quota),
            ("relapsing_child_visits.on_quota", self.relapsing_child_visits.on_quota),
        ]
    }
}

add_field_by_field!(Figures {
    students,
    classes_without_dropout,
    registers_recorded,
    schools_over_limit,
    consolidation,
    head_teacher_visits,
    relapsing_child_visits,
});

impl FigureInputs<'_> {
    /// Every figure of `scope` over `period`, cut at `today`. For the seeds' figures pass the
    /// term (学期) as the period: chronic absence is "so far this term", the visit quota is per
    /// semester, 无辍学班 is per term. A period that has not begun gives empty figures.
    pub fn figures(&self, scope: &Scope, period: Period, today: NaiveDate) -> Figures {
        let Some(counted) = period.up_to(today) else {
            return Figures::default();
        };
        let visit_rows = self.visit_rows(scope, period, today);
        let (head_teacher_rows, child_rows): (Vec<&VisitRow>, Vec<&VisitRow>) =
            visit_rows.iter().partition(|row| matches!(row.visited, Visited::HeadTeacher(_)));
        Figures {
            students: self.student_figures(self.students_in(scope), period, today),
            classes_without_dropout: self.classes_without_dropout(self.classes_in(scope), period, today),
            registers_recorded: self.registers_recorded(self.classes_in(scope), period, today),
            schools_over_limit: limits::schools_over_limit(&self.school_limits(scope, period, today)),
            consolidation: self.consolidation(self.residents_in(scope), counted.end()),
            head_teacher_visits: head_teacher_rows.iter().map(|row| row.totals()).sum(),
            relapsing_child_visits: child_rows.iter().map(|row| row.totals()).sum(),
        }
    }
}
