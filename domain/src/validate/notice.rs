//! A notice (通知书): a case of the same student, a deadline not before its issue, an issuer.

use super::{Checker, RecordKind, StudentLabel, ValidationError};
use crate::notice::Notice;

impl Checker<'_> {
    pub(super) fn notice(&mut self, notice: &Notice) {
        if let Some(student) = self.known_student(RecordKind::Notice, notice.student) {
            self.case_of(RecordKind::Notice, &student, notice.case);
            self.not_in_future(RecordKind::Notice, &student, notice.issued_on);
            if let Some(deadline) = notice.deadline.filter(|deadline| *deadline < notice.issued_on) {
                self.push(ValidationError::NoticeDeadlineBeforeIssue {
                    student: StudentLabel::of(&student),
                    number: notice.number.clone(),
                    issued_on: notice.issued_on,
                    deadline,
                });
            }
            self.not_blank(RecordKind::Notice, &student, "issuer (发文单位)", &notice.issuer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{CaseId, RecordId};
    use crate::mutation::Change;
    use crate::notice::NoticeKind;
    use crate::test_school::{day, TestSchool};
    use crate::validate::tests::{the_error, today};
    use crate::validate::{validate, RecordKind};

    #[test]
    fn a_notice_names_a_known_case_and_a_deadline_after_its_issue() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let case = school.open_case(student);
        let notice = Notice {
            id: RecordId::from_u128(0x70),
            student,
            case,
            kind: NoticeKind::ReturnByDeadline,
            issued_on: day("2026-10-14"),
            issuer: "某镇人民政府".into(),
            deadline: Some(day("2026-10-24")),
            number: "某政发〔2026〕12号".into(),
        };
        assert_eq!(validate(&school.state, &Change::IssueNotice(notice.clone()), today()), Ok(()));
        let unknown = Notice { case: CaseId::from_u128(1), ..notice.clone() };
        assert!(matches!(
            the_error(&school, Change::IssueNotice(unknown)),
            ValidationError::UnknownCase { what: RecordKind::Notice, .. }
        ));
        let backwards = Notice { deadline: Some(day("2026-10-13")), ..notice };
        assert!(matches!(
            the_error(&school, Change::IssueNotice(backwards)),
            ValidationError::NoticeDeadlineBeforeIssue { .. }
        ));
    }
}
