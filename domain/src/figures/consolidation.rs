//! 义务教育巩固率: how many of the area's children of compulsory-school age are on a roll, and
//! the cohort form, how many of a cohort's entrants graduated.

use super::{FigureInputs, Ratio};
use crate::age::{age_on, COMPULSORY_AGES};
use crate::ids::StudentId;
use crate::resident::Resident;
use crate::status::Status;
use chrono::NaiveDate;
use std::collections::BTreeSet;

impl FigureInputs<'_> {
    /// 义务教育巩固率 on `day`. Denominator: the resident children (户籍 list) aged 6 to 15 on
    /// that day. Numerator: those of them matched to a student who is on a roll that day, at
    /// whichever school in these records, and not a suspected dropout. A child matched to no
    /// student, or to one who dropped out, left or has no status yet, is not counted as
    /// enrolled; nor is a child whose staying away is being checked (疑似辍学): the rate is a
    /// target of local government, so a child not known to be in school does not raise it.
    pub fn consolidation<'r>(&self, residents: impl IntoIterator<Item = &'r Resident>, day: NaiveDate) -> Ratio {
        residents
            .into_iter()
            .filter(|resident| COMPULSORY_AGES.contains(&age_on(resident.birth_date, day)))
            .map(|resident| Ratio::one(resident.student.is_some_and(|student| self.consolidated(student, day))))
            .sum()
    }

    /// 巩固率 of `scope` on `day` from its resident list, `None` while the scope has none (a rate
    /// over nobody would read as 0%).
    pub fn consolidation_of(&self, scope: &super::Scope, day: NaiveDate) -> Option<Ratio> {
        let residents = self.residents_in(scope);
        (!residents.is_empty()).then(|| self.consolidation(residents, day))
    }

    /// The cohort form of 巩固率 on `day` (the end of the cohort's last year). `cohort` is the
    /// students who entered together, e.g. this year's grade 9 with their entry records; an
    /// id given twice counts once. Numerator: those graduated (毕业) on `day`. Denominator:
    /// the cohort less those who left lawfully other than by graduating: a confirmed transfer
    /// out, a death, or 中职分流 (the vocational track).
    pub fn cohort_consolidation(&self, cohort: impl IntoIterator<Item = StudentId>, day: NaiveDate) -> Ratio {
        let cohort: BTreeSet<StudentId> = cohort.into_iter().collect();
        cohort
            .into_iter()
            .map(|student| self.status_on(student, day))
            .filter(|status| !status.is_some_and(|status| status.left_lawfully() && status != Status::Graduated))
            .map(|status| Ratio::one(status == Some(Status::Graduated)))
            .sum()
    }

    /// The counted status of a student, under their school's rules.
    fn status_on(&self, student: StudentId, day: NaiveDate) -> Option<Status> {
        let receipt_days = self.rules_of_student(student).transfer_receipt_days;
        self.timeline(student).status_on(day, receipt_days)
    }

    fn consolidated(&self, student: StudentId, day: NaiveDate) -> bool {
        self.status_on(student, day).is_some_and(|status| status.on_roll() && status != Status::SuspectedDropout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_turns_on_the_birthday() {
        let born: NaiveDate = "2020-09-30".parse().unwrap();
        assert_eq!(age_on(born, "2026-09-29".parse().unwrap()), 5);
        assert_eq!(age_on(born, "2026-09-30".parse().unwrap()), 6);
    }
}
