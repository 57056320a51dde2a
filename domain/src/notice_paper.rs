//! What a printed 《限期复学通知书》 says, read from the records: the child, the school, since
//! when the child has been out, and how many times the school reached the family before the
//! notice. Nothing on the paper is typed again, and the facts are those of the ledgers.

use crate::ids::RecordId;
use crate::ledger::on_dropout_ledger_since;
use crate::notice::Notice;
use crate::state::State;
use crate::student::Gender;
use chrono::NaiveDate;

/// Everything the paper says besides its fixed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticePaper {
    pub notice: Notice,
    pub child: String,
    pub gender: Gender,
    pub born: NaiveDate,
    /// 学籍号; empty for a child added by hand, not yet in the national system.
    pub number: String,
    pub school: String,
    pub class: String,
    /// The home address, else the village.
    pub address: String,
    pub guardian: String,
    /// Out of school since: the day the case found the child out, else the day the child joined
    /// the dropout ledger, else the notice's own day.
    pub since: NaiveDate,
    /// The case's contacts (visits, calls, talks) up to the day of the notice.
    pub contacts: usize,
}

/// The paper of the notice `id`, unless it was withdrawn or its child is not on this phone.
pub fn notice_paper(state: &State, id: RecordId) -> Option<NoticePaper> {
    let notice = state.notices.get(&id).map(|stamped| stamped.value.clone()).filter(|n| !state.is_retracted(n.id))?;
    let child = state.student(notice.student)?;
    let school = state.schools.get(&child.school).map(|school| school.value.name.clone()).unwrap_or_default();
    let class = state.classes.get(&child.class).map(|class| class.value.name.clone()).unwrap_or_default();
    let since = state
        .case(notice.case)
        .and_then(|case| case.found_on)
        .or_else(|| on_dropout_ledger_since(&state.timeline(child.id), notice.issued_on))
        .unwrap_or(notice.issued_on);
    let contacts = state
        .contacts
        .values()
        .map(|stamped| &stamped.value)
        .filter(|contact| contact.case == Some(notice.case) && contact.date <= notice.issued_on)
        .filter(|contact| !state.is_retracted(contact.id))
        .count();
    let address = if child.address.is_empty() { child.village.clone() } else { child.address.clone() };
    Some(NoticePaper {
        child: child.name,
        gender: child.gender,
        born: child.birth_date,
        number: child.student_number.unwrap_or_default(),
        school,
        class,
        address,
        guardian: child.guardian,
        since,
        contacts,
        notice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::ContactMethod;
    use crate::test_school::{day, TestSchool};

    #[test]
    fn the_paper_counts_the_cases_contacts_before_it_and_says_since_when_from_the_ledger() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        school.status(student, "2026-10-12", crate::status::Status::BeingPersuaded, "连续旷课");
        let case = school.open_case(student);
        school.case_contact(student, case, "2026-10-13", ContactMethod::HomeVisit, None);
        let withdrawn = school.case_contact(student, case, "2026-10-14", ContactMethod::Phone, None);
        school.retract(withdrawn);
        school.case_contact(student, case, "2026-10-15", ContactMethod::Phone, None);
        // A contact outside the case, and one after the notice, are not the notice's.
        school.contact(student, "2026-10-15", ContactMethod::Phone);
        let notice = school.notice(student, case, "2026-10-16", "2026-10-26");
        school.case_contact(student, case, "2026-10-20", ContactMethod::HomeVisit, None);

        let paper = notice_paper(&school.state, notice).unwrap();
        assert_eq!(paper.contacts, 2);
        // The case has no found_on (opened before it was recorded): the ledger's day.
        assert_eq!(paper.since, day("2026-10-12"));
        assert_eq!(paper.child, "张小明");

        school.retract(notice);
        assert_eq!(notice_paper(&school.state, notice), None);
    }
}
