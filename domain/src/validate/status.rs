//! A status event (学籍状态): leaving the dropout ledger (动态销号) and confirming a transfer need
//! evidence.

use super::{Checker, RecordKind, StudentLabel, ValidationError};
use crate::status::{Status, StatusEvent};

impl Checker<'_> {
    pub(super) fn status_event(&mut self, event: &StatusEvent) {
        let Some(student) = self.known_student(RecordKind::StatusEvent, event.student) else {
            return;
        };
        self.not_in_future(RecordKind::StatusEvent, &student, event.date);
        let evidence_missing = event.evidence.trim().is_empty();
        let receipt_days = self.state.rules(student.school).transfer_receipt_days;
        let timeline = self.state.timeline(student.id);
        let before = match timeline.events().iter().position(|earlier| earlier.id == event.id) {
            // Checked within a batch, the state already holds the event itself: the status it
            // leaves is that of the events before it. (Found by the case's closing form: a
            // closing without evidence passed, as the event was compared with itself.)
            Some(at) => {
                timeline.events()[..at].iter().rev().find(|earlier| earlier.date <= event.date).map(|e| e.status)
            }
            None => timeline.status_on(event.date, receipt_days),
        };
        if let Some(from) = before.filter(|from| from.is_dropout()) {
            if !event.status.is_dropout() && evidence_missing {
                self.push(ValidationError::LeavesLedgerWithoutEvidence {
                    student: StudentLabel::of(&student),
                    date: event.date,
                    from,
                    to: event.status,
                });
            }
        }
        if event.status == Status::TransferOutConfirmed && evidence_missing {
            self.push(ValidationError::TransferWithoutReceipt {
                student: StudentLabel::of(&student),
                date: event.date,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{RecordId, StudentId};
    use crate::mutation::Change;
    use crate::test_school::{day, TestSchool};
    use crate::validate::tests::{the_error, today};
    use crate::validate::{validate, RecordKind};

    fn status(student: StudentId, date: &str, status: Status, evidence: &str) -> Change {
        Change::RecordStatus(StatusEvent {
            id: RecordId::from_u128(0x5e),
            student,
            date: day(date),
            status,
            evidence: evidence.into(),
        })
    }

    #[test]
    fn a_status_event_cannot_be_dated_ahead() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        assert!(matches!(
            the_error(&school, status(student, "2026-10-20", Status::SuspectedDropout, "")),
            ValidationError::InFuture { what: RecordKind::StatusEvent, .. }
        ));
        assert_eq!(
            validate(&school.state, &status(student, "2026-10-14", Status::SuspectedDropout, ""), today()),
            Ok(())
        );
    }

    #[test]
    fn leaving_the_dropout_ledger_needs_evidence() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        school.status(student, "2026-10-09", Status::DroppedOut, "连续旷课，家访确认外出打工");
        let error = the_error(&school, status(student, "2026-10-14", Status::Returned, " "));
        assert!(matches!(
            error,
            ValidationError::LeavesLedgerWithoutEvidence { from: Status::DroppedOut, to: Status::Returned, .. }
        ));
        assert!(error.to_string().contains("动态销号"));
        let evidenced = status(student, "2026-10-14", Status::Returned, "10月14日返校，编入七年级(2)班");
        assert_eq!(validate(&school.state, &evidenced, today()), Ok(()));
        // Moving within the ledger needs none.
        assert_eq!(
            validate(&school.state, &status(student, "2026-10-14", Status::BeingPersuaded, ""), today()),
            Ok(())
        );
        // Dated before the dropout, the event does not leave the ledger.
        assert_eq!(validate(&school.state, &status(student, "2026-10-08", Status::Enrolled, ""), today()), Ok(()));
        // Within a batch (the state as it will be already holds the event) it is still refused.
        let two = [
            status(student, "2026-10-14", Status::Deceased, " "),
            Change::Retract { record: RecordId::from_u128(0xdead), reason: "x".into() },
        ];
        let errors = crate::validate::validate_batch(&school.state, &two, today()).unwrap_err();
        assert!(errors
            .iter()
            .any(|(at, error)| *at == 0 && matches!(error, ValidationError::LeavesLedgerWithoutEvidence { .. })));
    }

    #[test]
    fn a_confirmed_transfer_needs_the_receipt() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        assert!(matches!(
            the_error(&school, status(student, "2026-10-14", Status::TransferOutConfirmed, "")),
            ValidationError::TransferWithoutReceipt { .. }
        ));
    }
}
