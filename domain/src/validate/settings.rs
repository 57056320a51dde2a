//! A school's settings: a term (学期) whose end is not before its start and that shares no day
//! with another term of the school, and rules whose numbers are in a sensible range.

use super::{Checker, ValidationError};
use crate::calendar::Term;
use crate::ids::SchoolId;
use crate::settings::Rules;

/// What is wrong with a term's dates, on their own: the first-run form checks this before the
/// phone spends an enrollment code, without the whole of `validate` in its small module.
pub fn term_problem(term: &Term) -> Option<ValidationError> {
    (term.end < term.start).then(|| ValidationError::TermEndsBeforeStart {
        term: term.name.clone(),
        start: term.start,
        end: term.end,
    })
}

impl Checker<'_> {
    pub(super) fn term(&mut self, school: SchoolId, term: &Term) {
        if let Some(problem) = term_problem(term) {
            self.push(problem);
        }
        // Another term of the school (another name) that shares a day: the day's term, and so
        // whether it is a school day, would depend on which one is read first.
        let calendar = self.state.calendar(school);
        let overlapping = calendar
            .terms
            .iter()
            .find(|other| other.name != term.name && other.start <= term.end && term.start <= other.end);
        if let Some(other) = overlapping {
            self.push(ValidationError::TermsOverlap {
                term: term.name.clone(),
                start: term.start,
                end: term.end,
                other: other.name.clone(),
            });
        }
    }

    pub(super) fn rules(&mut self, rules: &Rules) {
        let ranges: [(&'static str, u32, u32, u32); 12] = [
            ("suspected_after_unexcused_days (连续旷课天数)", rules.suspected_after_unexcused_days, 1, 30),
            ("transfer_receipt_days (转学回执天数)", rules.transfer_receipt_days, 1, 365),
            ("chronic_absence_bp", rules.chronic_absence_bp, 1, 10_000),
            ("dropout_limit_primary_bp", rules.dropout_limit_primary_bp, 0, 10_000),
            ("dropout_limit_junior_bp", rules.dropout_limit_junior_bp, 0, 10_000),
            ("timers.visit_within_days (家访时限)", rules.timers.visit_within_days, 0, 365),
            ("timers.written_report_days (书面报告时限)", rules.timers.written_report_days, 0, 365),
            ("timers.monthly_report_day (月报日)", rules.timers.monthly_report_day, 1, 31),
            ("timers.follow_up_first_days (复学后首次跟踪天数)", rules.timers.follow_up_first_days, 1, 365),
            ("timers.follow_up_second_days (复学后第二次跟踪天数)", rules.timers.follow_up_second_days, 1, 365),
            // Not 0: the schedule steps by it, and a check every day is no longer a follow-up.
            ("timers.follow_up_every_days (无学期时跟踪间隔)", rules.timers.follow_up_every_days, 7, 365),
            (
                "timers.failed_contacts_before_notice (发通知书前劝返次数)",
                rules.timers.failed_contacts_before_notice,
                1,
                50,
            ),
        ];
        for (rule, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                self.push(ValidationError::RuleOutOfRange { rule, value, min, max });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutation::Change;
    use crate::test_school::{day, TestSchool, SCHOOL};
    use crate::validate::tests::{errors, the_error, today};
    use crate::validate::validate;

    #[test]
    fn terms_and_rules_are_checked_for_sense() {
        let school = TestSchool::new();
        let term = Term { name: "秋".into(), start: day("2026-09-01"), end: day("2026-08-01") };
        assert!(matches!(
            the_error(&school, Change::SetTerm { school: SCHOOL, term }),
            ValidationError::TermEndsBeforeStart { .. }
        ));
        let mut rules = Rules { suspected_after_unexcused_days: 0, ..Rules::default() };
        rules.timers.monthly_report_day = 32;
        assert_eq!(
            errors(&school, Change::SetRules { school: SCHOOL, rules }),
            vec![
                ValidationError::RuleOutOfRange {
                    rule: "suspected_after_unexcused_days (连续旷课天数)",
                    value: 0,
                    min: 1,
                    max: 30
                },
                ValidationError::RuleOutOfRange {
                    rule: "timers.monthly_report_day (月报日)",
                    value: 32,
                    min: 1,
                    max: 31
                },
            ]
        );
        assert_eq!(
            validate(&school.state, &Change::SetRules { school: SCHOOL, rules: Rules::default() }, today()),
            Ok(())
        );
    }

    #[test]
    fn a_term_that_shares_days_with_another_term_is_refused_but_its_own_dates_can_move() {
        let school = TestSchool::new();
        let autumn = school.state.calendar(SCHOOL).terms[0].clone();
        let spring = Term { name: "春".into(), start: day("2027-01-10"), end: day("2027-07-05") };
        assert!(matches!(
            the_error(&school, Change::SetTerm { school: SCHOOL, term: spring }),
            ValidationError::TermsOverlap { ref other, .. } if *other == autumn.name
        ));
        let later_end = Term { end: day("2027-01-25"), ..autumn };
        assert_eq!(validate(&school.state, &Change::SetTerm { school: SCHOOL, term: later_end }, today()), Ok(()));
        let after = Term { name: "春".into(), start: day("2027-02-24"), end: day("2027-07-05") };
        assert_eq!(validate(&school.state, &Change::SetTerm { school: SCHOOL, term: after }, today()), Ok(()));
    }
}
