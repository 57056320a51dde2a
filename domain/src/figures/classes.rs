//! 无辍学班: classes with no dropout in the term.

use super::{FigureInputs, PerStage, Period, Ratio};
use crate::org::Class;
use chrono::NaiveDate;

impl FigureInputs<'_> {
    /// 无辍学班, per stage of the class's grade. Denominator: the classes. Numerator: those none
    /// of whose students (by the class they are in now) dropped out in the period, as the
    /// dropout numerator counts dropping out. A class with no students has had no dropout, so
    /// it counts as a class without one. Pass the term as the period.
    pub fn classes_without_dropout<'c>(
        &self,
        classes: impl IntoIterator<Item = &'c Class>,
        period: Period,
        today: NaiveDate,
    ) -> PerStage<Ratio> {
        let Some(period) = period.up_to(today) else {
            return PerStage::default();
        };
        let mut figures = PerStage::<Ratio>::default();
        for class in classes {
            let had_dropout = self.students_of_class(class.id).any(|student| self.dropped_out_in(student, period));
            let stage = figures.get_mut(class.grade.stage());
            *stage = *stage + Ratio::one(!had_dropout);
        }
        figures
    }
}
