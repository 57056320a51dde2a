//! A contact (家访登记): a case of the same student if it names one, someone who went, and a
//! next step not dated before the contact.

use super::{Checker, RecordKind, StudentLabel, ValidationError};
use crate::contact::Contact;

impl Checker<'_> {
    pub(super) fn contact(&mut self, contact: &Contact) {
        if let Some(student) = self.known_student(RecordKind::Contact, contact.student) {
            if let Some(case) = contact.case {
                self.case_of(RecordKind::Contact, &student, case);
                let found_on = self.state.case(case).and_then(|case| case.found_on);
                if let Some(found_on) = found_on.filter(|found_on| contact.date < *found_on) {
                    self.push(ValidationError::ContactBeforeFound {
                        student: StudentLabel::of(&student),
                        date: contact.date,
                        found_on,
                    });
                }
            }
            self.not_in_future(RecordKind::Contact, &student, contact.date);
            if let Some(next_date) = contact.next_date.filter(|next| *next < contact.date) {
                self.push(ValidationError::NextStepBeforeContact {
                    student: StudentLabel::of(&student),
                    date: contact.date,
                    next_date,
                });
            }
            if contact.visitors.iter().all(|visitor| visitor.trim().is_empty()) {
                self.blank(RecordKind::Contact, &student, "who went (走访人)");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::ContactMethod;
    use crate::ids::{CaseId, RecordId, StudentId};
    use crate::mutation::Change;
    use crate::test_school::{day, TestSchool};
    use crate::validate::tests::{errors, the_error, today};
    use crate::validate::{validate, RecordKind};

    fn contact(student: StudentId, case: Option<CaseId>) -> Contact {
        Contact {
            id: RecordId::from_u128(0xc0),
            student,
            case,
            date: day("2026-10-14"),
            method: ContactMethod::HomeVisit,
            visitors: vec!["王老师".into()],
            met: "祖母".into(),
            said: String::new(),
            outcome: String::new(),
            next_step: "再访".into(),
            next_date: Some(day("2026-10-21")),
        }
    }

    #[test]
    fn a_contact_names_a_known_case_of_the_same_student() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let other = school.enrol("李四", None);
        let case = school.open_case(student);
        let others_case = school.open_case(other);
        assert_eq!(validate(&school.state, &Change::LogContact(contact(student, Some(case))), today()), Ok(()));
        assert_eq!(validate(&school.state, &Change::LogContact(contact(student, None)), today()), Ok(()));
        assert!(matches!(
            the_error(&school, Change::LogContact(contact(student, Some(CaseId::from_u128(1))))),
            ValidationError::UnknownCase { what: RecordKind::Contact, .. }
        ));
        assert!(matches!(
            the_error(&school, Change::LogContact(contact(student, Some(others_case)))),
            ValidationError::CaseOfOtherStudent { case_student, .. } if case_student == other
        ));
        assert!(matches!(
            the_error(&school, Change::LogContact(contact(StudentId::from_u128(9), None))),
            ValidationError::UnknownStudent { what: RecordKind::Contact, .. }
        ));
        let backwards =
            Contact { next_date: Some(day("2026-10-13")), visitors: vec![" ".into()], ..contact(student, None) };
        let found = errors(&school, Change::LogContact(backwards));
        assert!(matches!(found[0], ValidationError::NextStepBeforeContact { .. }));
        assert!(matches!(found[1], ValidationError::Blank { what: RecordKind::Contact, .. }));
    }
}
