//! Figures counted per class: 无辍学班 (classes with no dropout in the term) and how many of
//! the classes' past school days had their register handed in.

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

    /// Registers handed in, per stage of the class's grade. Denominator: the class-days of the
    /// period that are school days of the class's school and already past (today counts once
    /// its register is in). Numerator: those the class's register was recorded on. What is
    /// missing here is missing from every attendance figure: a day nobody recorded is unknown,
    /// not present, so every figure's explanation names this one beside it.
    pub fn registers_recorded<'c>(
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
            // A class with no children has no register to hand in.
            if self.students_of_class(class.id).next().is_none() {
                continue;
            }
            let calendar = self.calendar(class.school);
            let recorded = self.state().recorded_days_of(class.id);
            let stage = figures.get_mut(class.grade.stage());
            for day in calendar.school_days(period.start(), period.end()) {
                let in_register = recorded.contains(&day);
                if day < today || in_register {
                    *stage = *stage + Ratio::one(in_register);
                }
            }
        }
        figures
    }
}
