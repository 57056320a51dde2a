//! A retraction: a known append-only record, and why it was wrong.

use super::{Checker, ValidationError};
use crate::ids::RecordId;
use crate::state::State;

impl Checker<'_> {
    pub(super) fn retraction(&mut self, record: RecordId, reason: &str) {
        if !record_exists(self.state, record) {
            self.push(ValidationError::UnknownRecord { record });
        }
        if reason.trim().is_empty() {
            self.push(ValidationError::RetractWithoutReason { record });
        }
    }
}

/// Whether `record` is an append-only record of `state`, the only kind a retraction can hit.
fn record_exists(state: &State, record: RecordId) -> bool {
    state.marks.contains_key(&record)
        || state.status_events.contains_key(&record)
        || state.flag_events.contains_key(&record)
        || state.investigations.contains_key(&record)
        || state.contacts.contains_key(&record)
        || state.notices.contains_key(&record)
        || state.placements.contains_key(&record)
        || state.follow_ups.contains_key(&record)
        || state.surveys.contains_key(&record)
        || state.recorded_days.values().any(|records| records.contains_key(&record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::mutation::Change;
    use crate::test_school::TestSchool;
    use crate::validate::tests::{errors, today};
    use crate::validate::validate;

    #[test]
    fn a_retraction_names_a_known_record_and_a_reason() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let marked = school.mark(student, "2026-10-13", MarkKind::Unexcused);
        assert_eq!(
            validate(&school.state, &Change::Retract { record: marked, reason: "点错了".into() }, today()),
            Ok(())
        );
        assert_eq!(
            errors(&school, Change::Retract { record: RecordId::from_u128(1), reason: "".into() }),
            vec![
                ValidationError::UnknownRecord { record: RecordId::from_u128(1) },
                ValidationError::RetractWithoutReason { record: RecordId::from_u128(1) },
            ]
        );
    }
}
