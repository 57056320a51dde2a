//! The legal route of a case (依法劝返): when the school is offered the 《限期复学通知书》, and
//! when a case counts as escalated to the town (已上报乡镇) because the notice's deadline passed
//! with the child still out.

use crate::case::{Case, CaseStatus};
use crate::ids::RecordId;
use crate::notice::{Notice, NoticeKind};
use crate::returns::last_return;
use crate::state::State;
use chrono::NaiveDate;

/// A case's status as it counts on a day, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseStanding {
    pub status: CaseStatus,
    pub why: StandingReason,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StandingReason {
    /// The status a person set on the case.
    Recorded,
    /// The case is open, and the deadline of its 《限期复学通知书》 `notice` passed (the day
    /// after `deadline` has come) with no return of the child since the notice was issued.
    NoticeDeadlinePassed { notice: RecordId, deadline: NaiveDate },
}

/// The status `case` counts as at the end of `today`. A status a person set wins, except an
/// open case whose 《限期复学通知书》 deadline has passed while the child is not back: that one
/// counts as escalated. The child is back if a Returned status event or a placement is dated on
/// or after the notice's issue day (a return after the deadline still counts: the child is in
/// school, which is what the notice was for). The deadline day itself is still within time.
/// With several such notices, the one whose deadline passed first is named.
pub fn case_standing(state: &State, case: &Case, today: NaiveDate) -> CaseStanding {
    let recorded = CaseStanding { status: case.status, why: StandingReason::Recorded };
    if case.status != CaseStatus::Open {
        return recorded;
    }
    let back_since = last_return(state, case.student, today);
    let passed = return_notices(state, case, today)
        .filter_map(|notice| Some((notice.deadline?, notice)))
        .filter(|(deadline, notice)| *deadline < today && back_since.is_none_or(|returned| returned < notice.issued_on))
        .min_by_key(|(deadline, notice)| (*deadline, notice.id));
    match passed {
        Some((deadline, notice)) => CaseStanding {
            status: CaseStatus::Escalated,
            why: StandingReason::NoticeDeadlinePassed { notice: notice.id, deadline },
        },
        None => recorded,
    }
}

/// Whether the school should now be offered the 《限期复学通知书》 for a case, with the count
/// behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeOffer {
    /// Contacts of the case that did not bring the child back (see [`notice_offer`]).
    pub failed_contacts: usize,
    /// `Timers::failed_contacts_before_notice`.
    pub needed: u32,
    /// A 《限期复学通知书》 of the case already issued (the first one), if any.
    pub issued: Option<RecordId>,
    /// Offer the notice now: enough failed contacts, none issued, and the case still running.
    pub offer: bool,
}

/// Whether to offer the 《限期复学通知书》 for `case` at the end of `today`.
///
/// A failed contact is a contact logged against this case (so made after it opened), up to
/// today, not retracted, and dated after the child's last return if there was one. The contact
/// log's outcome is free text ("答应返校" says nothing of whether the child came), so success is
/// read from the records, not the words: a contact counts as failed unless a return followed
/// it. The offer is made only while the case stands open or escalated (an escalation set by
/// hand may come before the notice), never once a notice of the case is issued.
pub fn notice_offer(state: &State, case: &Case, today: NaiveDate) -> NoticeOffer {
    let needed = state
        .student(case.student)
        .map_or_else(crate::settings::Timers::default, |student| state.rules(student.school).timers)
        .failed_contacts_before_notice;
    let returned = last_return(state, case.student, today);
    let failed_contacts = state
        .contacts
        .values()
        .map(|stamped| &stamped.value)
        .filter(|contact| {
            contact.case == Some(case.id)
                && contact.date <= today
                && returned.is_none_or(|returned| contact.date > returned)
                && !state.is_retracted(contact.id)
        })
        .count();
    let issued = return_notices(state, case, today).min_by_key(|notice| (notice.issued_on, notice.id)).map(|n| n.id);
    let running = matches!(case_standing(state, case, today).status, CaseStatus::Open | CaseStatus::Escalated);
    let enough = u32::try_from(failed_contacts).unwrap_or(u32::MAX) >= needed;
    NoticeOffer { failed_contacts, needed, issued, offer: running && enough && issued.is_none() }
}

/// The case's 《限期复学通知书》 issued up to today, not retracted.
fn return_notices<'a>(state: &'a State, case: &'a Case, today: NaiveDate) -> impl Iterator<Item = &'a Notice> + 'a {
    state.notices.values().map(|stamped| &stamped.value).filter(move |notice| {
        notice.case == case.id
            && notice.kind == NoticeKind::ReturnByDeadline
            && notice.issued_on <= today
            && !state.is_retracted(notice.id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::ContactMethod;
    use crate::settings::Rules;
    use crate::status::Status;
    use crate::test_school::{day, TestSchool, SCHOOL};

    fn open_case(school: &mut TestSchool) -> Case {
        let student = school.enrol("张小明", None);
        school.status(student, "2026-10-09", Status::DroppedOut, "家访确认");
        let case = school.open_case(student);
        school.state.case(case).unwrap()
    }

    fn standing(school: &TestSchool, case: &Case, today: &str) -> CaseStanding {
        let case = school.state.case(case.id).unwrap();
        case_standing(&school.state, &case, day(today))
    }

    #[test]
    fn an_open_case_counts_as_escalated_the_day_after_its_notice_deadline() {
        let mut school = TestSchool::new();
        let case = open_case(&mut school);
        // Issued 2 November, to return by 16 November.
        let notice = school.notice(case.student, case.id, "2026-11-02", "2026-11-16");
        let recorded = CaseStanding { status: CaseStatus::Open, why: StandingReason::Recorded };
        assert_eq!(standing(&school, &case, "2026-11-16"), recorded);
        let escalated = CaseStanding {
            status: CaseStatus::Escalated,
            why: StandingReason::NoticeDeadlinePassed { notice, deadline: day("2026-11-16") },
        };
        assert_eq!(standing(&school, &case, "2026-11-17"), escalated);
        // A retracted notice is no notice.
        school.retract(notice);
        assert_eq!(standing(&school, &case, "2026-11-17"), recorded);
    }

    #[test]
    fn a_return_since_the_notice_keeps_the_case_as_recorded() {
        let mut school = TestSchool::new();
        let case = open_case(&mut school);
        school.notice(case.student, case.id, "2026-11-02", "2026-11-16");
        // A return before the notice (an earlier episode) does not count.
        school.status(case.student, "2026-10-20", Status::Returned, "到校");
        school.status(case.student, "2026-10-26", Status::DroppedOut, "又辍学");
        assert_eq!(standing(&school, &case, "2026-11-20").status, CaseStatus::Escalated);
        // Back on 18 November, after the deadline: back is back.
        school.placement(case.student, case.id, "2026-11-18");
        assert_eq!(standing(&school, &case, "2026-11-17").status, CaseStatus::Escalated);
        assert_eq!(standing(&school, &case, "2026-11-20").status, CaseStatus::Open);
    }

    #[test]
    fn a_status_set_by_hand_wins() {
        let mut school = TestSchool::new();
        let case = open_case(&mut school);
        school.notice(case.student, case.id, "2026-11-02", "2026-11-16");
        school.case_status(case.id, CaseStatus::Closed);
        assert_eq!(
            standing(&school, &case, "2026-11-20"),
            CaseStanding { status: CaseStatus::Closed, why: StandingReason::Recorded }
        );
        school.case_status(case.id, CaseStatus::Escalated);
        assert_eq!(
            standing(&school, &case, "2026-11-03"),
            CaseStanding { status: CaseStatus::Escalated, why: StandingReason::Recorded }
        );
    }

    #[test]
    fn the_notice_is_offered_after_the_set_number_of_failed_contacts() {
        let mut school = TestSchool::new();
        let case = open_case(&mut school);
        let student = case.student;
        // Not the case's: a visit before the case or to a wavering child.
        school.contact(student, "2026-10-10", ContactMethod::HomeVisit);
        school.case_contact(student, case.id, "2026-10-12", ContactMethod::HomeVisit, None);
        let phone = school.case_contact(student, case.id, "2026-10-14", ContactMethod::Phone, None);
        let offer = |school: &TestSchool, today: &str| notice_offer(&school.state, &case, day(today));
        assert_eq!(
            offer(&school, "2026-10-20"),
            NoticeOffer { failed_contacts: 2, needed: 3, issued: None, offer: false }
        );
        school.case_contact(student, case.id, "2026-10-21", ContactMethod::HomeVisit, None);
        // Up to today only: on the 20th the third has not happened.
        assert!(!offer(&school, "2026-10-20").offer);
        assert_eq!(
            offer(&school, "2026-10-21"),
            NoticeOffer { failed_contacts: 3, needed: 3, issued: None, offer: true }
        );
        school.retract(phone);
        assert!(!offer(&school, "2026-10-21").offer);
        // A school that sets 2.
        let mut rules = Rules::default();
        rules.timers.failed_contacts_before_notice = 2;
        school.rules(SCHOOL, rules);
        assert!(offer(&school, "2026-10-21").offer);
        // Once issued, no longer offered.
        let notice = school.notice(student, case.id, "2026-10-22", "2026-11-05");
        assert_eq!(
            offer(&school, "2026-10-22"),
            NoticeOffer { failed_contacts: 2, needed: 2, issued: Some(notice), offer: false }
        );
    }

    #[test]
    fn contacts_before_a_return_did_their_job() {
        let mut school = TestSchool::new();
        let case = open_case(&mut school);
        let student = case.student;
        for date in ["2026-10-12", "2026-10-13", "2026-10-14"] {
            school.case_contact(student, case.id, date, ContactMethod::HomeVisit, None);
        }
        school.status(student, "2026-10-15", Status::Returned, "到校");
        school.status(student, "2026-11-02", Status::DroppedOut, "又辍学");
        school.case_contact(student, case.id, "2026-11-03", ContactMethod::HomeVisit, None);
        let offer = notice_offer(&school.state, &case, day("2026-11-04"));
        assert_eq!((offer.failed_contacts, offer.offer), (1, false));
        // A closed case is offered nothing.
        school.case_status(case.id, CaseStatus::Closed);
        for date in ["2026-11-04", "2026-11-05"] {
            school.case_contact(student, case.id, date, ContactMethod::HomeVisit, None);
        }
        let closed = school.state.case(case.id).unwrap();
        assert_eq!(notice_offer(&school.state, &closed, day("2026-11-05")).failed_contacts, 3);
        assert!(!notice_offer(&school.state, &closed, day("2026-11-05")).offer);
    }
}
