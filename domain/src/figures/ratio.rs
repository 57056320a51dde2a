//! A rate as the two counts behind it, so a screen can say "3 of 122" and a statistician can
//! check it, instead of a bare "2.46%".

use crate::org::Stage;
use serde::{Deserialize, Serialize};
use std::iter::Sum;
use std::ops::Add;

/// `numerator` of `denominator`: 3 dropouts of 122 students. Ratios add count by count, so a
/// town's ratio is the sum of its schools' ratios, never the mean of their rates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    pub const fn new(numerator: u64, denominator: u64) -> Self {
        Ratio { numerator, denominator }
    }

    /// One thing counted (a student, a class, a school), in the numerator when `counted`.
    pub fn one(counted: bool) -> Self {
        Ratio { numerator: u64::from(counted), denominator: 1 }
    }

    /// The share, or `None` when there was nothing to count (an empty class): a screen shows
    /// "—" for it, never NaN.
    pub fn value(self) -> Option<f64> {
        if self.denominator == 0 {
            None
        } else {
            Some(self.numerator as f64 / self.denominator as f64)
        }
    }

    /// Above `limit_bp` basis points (100 = 1%), decided in whole numbers so no rounding
    /// decides a flag: numerator × 10000 > limit × denominator. Never for an empty denominator.
    pub fn exceeds_bp(self, limit_bp: u32) -> bool {
        u128::from(self.numerator) * 10_000 > u128::from(limit_bp) * u128::from(self.denominator)
    }

    /// At least `bp` basis points: numerator × 10000 ≥ bp × denominator, and something was
    /// counted (an empty denominator reaches nothing).
    pub fn reaches_bp(self, bp: u32) -> bool {
        self.denominator > 0 && u128::from(self.numerator) * 10_000 >= u128::from(bp) * u128::from(self.denominator)
    }
}

impl Add for Ratio {
    type Output = Ratio;
    fn add(self, other: Ratio) -> Ratio {
        Ratio {
            numerator: self.numerator.saturating_add(other.numerator),
            denominator: self.denominator.saturating_add(other.denominator),
        }
    }
}

sum_by_adding!(Ratio);

/// A figure kept apart for primary (grades 1–6) and junior (grades 7–9), as the seeds report
/// dropout rates and set dropout limits per stage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerStage<T> {
    pub primary: T,
    pub junior: T,
}

impl<T> PerStage<T> {
    pub fn get(&self, stage: Stage) -> &T {
        match stage {
            Stage::Primary => &self.primary,
            Stage::Junior => &self.junior,
        }
    }

    pub fn get_mut(&mut self, stage: Stage) -> &mut T {
        match stage {
            Stage::Primary => &mut self.primary,
            Stage::Junior => &mut self.junior,
        }
    }

    pub fn map<U>(self, f: impl Fn(T) -> U) -> PerStage<U> {
        PerStage { primary: f(self.primary), junior: f(self.junior) }
    }

    /// Both stages together: the whole of compulsory school.
    pub fn both(self) -> T
    where
        T: Add<Output = T>,
    {
        self.primary + self.junior
    }
}

impl<T: Add<Output = T>> Add for PerStage<T> {
    type Output = PerStage<T>;
    fn add(self, other: PerStage<T>) -> PerStage<T> {
        PerStage { primary: self.primary + other.primary, junior: self.junior + other.junior }
    }
}

impl<T: Add<Output = T> + Default> Sum for PerStage<T> {
    fn sum<I: Iterator<Item = PerStage<T>>>(iter: I) -> PerStage<T> {
        iter.fold(PerStage::default(), Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_denominator_has_no_value_and_no_flag() {
        assert_eq!(Ratio::new(0, 0).value(), None);
        assert!(!Ratio::new(0, 0).exceeds_bp(0));
        assert!(!Ratio::new(0, 0).reaches_bp(0));
        assert_eq!(Ratio::new(3, 122).value(), Some(3.0 / 122.0));
    }

    #[test]
    fn limits_are_compared_in_whole_numbers() {
        // 1 of 100 is exactly 100 bp: at the limit, not over it.
        assert!(!Ratio::new(1, 100).exceeds_bp(100));
        assert!(Ratio::new(2, 100).exceeds_bp(100));
        // 2 absent days of 20 is exactly 10%: chronic at 1000 bp.
        assert!(Ratio::new(2, 20).reaches_bp(1000));
        assert!(!Ratio::new(1, 20).reaches_bp(1000));
        assert!(Ratio::new(u64::MAX, u64::MAX).reaches_bp(10_000));
    }

    #[test]
    fn ratios_add_count_by_count() {
        // 1/40 + 2/82 = 3/122, not the mean of 2.5% and 2.4%.
        assert_eq!([Ratio::new(1, 40), Ratio::new(2, 82)].into_iter().sum::<Ratio>(), Ratio::new(3, 122));
        let stages = PerStage { primary: Ratio::new(1, 2), junior: Ratio::new(0, 3) };
        assert_eq!(stages.both(), Ratio::new(1, 5));
        assert_eq!(*stages.get(Stage::Junior), Ratio::new(0, 3));
    }

    #[test]
    fn a_ratio_survives_json() {
        let json = serde_json::to_string(&Ratio::new(3, 122)).unwrap();
        assert_eq!(json, r#"{"numerator":3,"denominator":122}"#);
        assert_eq!(serde_json::from_str::<Ratio>(&json).unwrap(), Ratio::new(3, 122));
    }
}
