//! A row of the 排查台账: at least one reason, and who investigated.

use super::{Checker, RecordKind};
use crate::investigation::Investigation;

impl Checker<'_> {
    pub(super) fn investigation(&mut self, row: &Investigation) {
        if let Some(student) = self.known_student(RecordKind::Investigation, row.student) {
            self.not_in_future(RecordKind::Investigation, &student, row.found_on);
            if row.reasons.is_empty() {
                self.blank(RecordKind::Investigation, &student, "dropout reason (辍学原因)");
            }
            self.not_blank(RecordKind::Investigation, &student, "investigator (排查人)", &row.investigator);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::RecordId;
    use crate::investigation::DropoutReason;
    use crate::mutation::Change;
    use crate::test_school::{day, TestSchool};
    use crate::validate::tests::{errors, today};
    use crate::validate::validate;

    #[test]
    fn an_investigation_row_needs_a_reason_and_an_investigator() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let row = Investigation {
            id: RecordId::from_u128(0x1a),
            student,
            found_on: day("2026-10-14"),
            reasons: vec![DropoutReason::LeftToWork],
            investigator: "李主任".into(),
            note: String::new(),
        };
        assert_eq!(validate(&school.state, &Change::RecordInvestigation(row.clone()), today()), Ok(()));
        let empty = Investigation { reasons: vec![], investigator: " ".into(), found_on: day("2026-10-15"), ..row };
        assert_eq!(errors(&school, Change::RecordInvestigation(empty)).len(), 3);
    }
}
