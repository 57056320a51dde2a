//! Relapse (反复辍学): a child who came back to school and is raised as a suspected dropout
//! again after the return. The 2024 notice asks that such a child gets at least
//! `Rules::visits_per_relapsing_child` home visits; the app reopens the child's case, with its
//! history, rather than starting a new one.

use crate::case::CaseStatus;
use crate::contact::ContactMethod;
use crate::follow_up_schedule::latest_placement;
use crate::ids::{CaseId, StudentId};
use crate::returns::last_return;
use crate::state::State;
use chrono::NaiveDate;

/// What a relapse is a relapse of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relapse {
    /// The child's last return before being raised again (`returns::last_return`).
    pub returned_on: NaiveDate,
    /// The case to reopen: the child's case marked returned, else the one placed back last,
    /// else the newest. `None` when the child came back without a case (a Returned status only).
    pub case: Option<CaseId>,
}

/// The relapse of `student` raised on `raised_on`, seen at the end of `today`: `Some` if the
/// child came back (a Returned status event or a placement) before `raised_on`. Whatever raised
/// the child (unexcused absences, a report, an overdue transfer), being raised after a return is
/// a relapse. A return on the very day the child is raised is not: the raising counts school
/// days the child was out before it.
pub fn relapse_of(state: &State, student: StudentId, raised_on: NaiveDate, today: NaiveDate) -> Option<Relapse> {
    let returned_on = last_return(state, student, today).filter(|returned_on| *returned_on < raised_on)?;
    let case = state
        .cases()
        .into_iter()
        .filter(|case| case.student == student)
        .max_by_key(|case| {
            let placed = latest_placement(state, case.id, today).map(|placement| placement.returned_on);
            (case.status == CaseStatus::Returned, placed, case.id)
        })
        .map(|case| case.id);
    Some(Relapse { returned_on, case })
}

/// Home visits to a relapsing child against the quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelapseVisits {
    /// Home visits (家访, not calls or messages) to the child after the return, up to today, by
    /// anyone, not retracted.
    pub done: usize,
    /// The school's `Rules::visits_per_relapsing_child`.
    pub quota: u32,
}

impl RelapseVisits {
    pub fn met(&self) -> bool {
        u32::try_from(self.done).unwrap_or(u32::MAX) >= self.quota
    }
}

/// The home visits to `student` since the return of `relapse`, against the quota. Visits after
/// the return count, also those before the child was raised: a visit to a wavering child who
/// then stayed away is part of the same effort. (The semester figure,
/// `FigureInputs::visit_rows`, counts a term's visits to children with two recorded dropouts.)
pub fn relapse_visits(state: &State, student: StudentId, relapse: &Relapse, today: NaiveDate) -> RelapseVisits {
    let quota = state.student(student).map_or(3, |child| state.rules(child.school).visits_per_relapsing_child);
    let done = state
        .contacts
        .values()
        .map(|stamped| &stamped.value)
        .filter(|contact| {
            contact.student == student
                && contact.method == ContactMethod::HomeVisit
                && contact.date > relapse.returned_on
                && contact.date <= today
                && !state.is_retracted(contact.id)
        })
        .count();
    RelapseVisits { done, quota }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::ledger::{suspected_dropouts, SuspectedSource};
    use crate::settings::Rules;
    use crate::status::Status;
    use crate::test_school::{day, TestSchool, SCHOOL};

    /// Dropped out 21 September, case opened, back on Monday 28 September (placed and marked
    /// 已复学, case returned), then unexcused on Wednesday 30 September, Thursday 8 and Friday 9
    /// October (National Day week between): raised again on the 9th.
    fn relapsed(school: &mut TestSchool) -> (StudentId, CaseId) {
        let student = school.enrol("张小明", None);
        school.status(student, "2026-09-21", Status::DroppedOut, "家访确认");
        let case = school.open_case(student);
        school.status(student, "2026-09-28", Status::Returned, "到校上课");
        school.placement(student, case, "2026-09-28");
        school.case_status(case, CaseStatus::Returned);
        school.mark(student, "2026-09-29", MarkKind::Present);
        for date in ["2026-09-30", "2026-10-08", "2026-10-09"] {
            school.mark(student, date, MarkKind::Unexcused);
        }
        (student, case)
    }

    #[test]
    fn a_returned_child_raised_again_is_a_relapse_of_their_case() {
        let mut school = TestSchool::new();
        let (_, case) = relapsed(&mut school);
        let rows = suspected_dropouts(&school.state, SCHOOL, day("2026-10-09"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].source, SuspectedSource::UnexcusedAbsence { streak: 3, first_day: day("2026-09-30") });
        assert_eq!(rows[0].relapse, Some(Relapse { returned_on: day("2026-09-28"), case: Some(case) }));
        // A child never out before is no relapse.
        let first_time = crate::ledger::tests::absent_across_national_day(&mut school, "李四");
        let rows = suspected_dropouts(&school.state, SCHOOL, day("2026-10-09"));
        let row = rows.iter().find(|row| row.student == first_time).unwrap();
        assert_eq!(row.relapse, None);
    }

    #[test]
    fn a_return_without_a_case_is_still_a_relapse() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        school.status(student, "2026-09-21", Status::DroppedOut, "家访确认");
        school.status(student, "2026-09-28", Status::Returned, "到校上课");
        assert_eq!(
            relapse_of(&school.state, student, day("2026-10-09"), day("2026-10-09")),
            Some(Relapse { returned_on: day("2026-09-28"), case: None })
        );
        // Raised on the return day itself: not after it.
        assert_eq!(relapse_of(&school.state, student, day("2026-09-28"), day("2026-10-09")), None);
    }

    #[test]
    fn the_returned_case_is_the_one_to_reopen() {
        let mut school = TestSchool::new();
        let (student, returned) = relapsed(&mut school);
        // A newer case still open (opened by mistake): the returned one is named.
        school.open_case(student);
        let relapse = relapse_of(&school.state, student, day("2026-10-09"), day("2026-10-09")).unwrap();
        assert_eq!(relapse.case, Some(returned));
    }

    #[test]
    fn a_relapsing_child_gets_visits_against_the_quota() {
        let mut school = TestSchool::new();
        let (student, _) = relapsed(&mut school);
        let relapse = relapse_of(&school.state, student, day("2026-10-09"), day("2026-10-20")).unwrap();
        school.contact(student, "2026-09-25", ContactMethod::HomeVisit); // Before the return.
        school.contact(student, "2026-10-09", ContactMethod::HomeVisit);
        school.contact(student, "2026-10-10", ContactMethod::Phone); // Not a visit.
        school.contact_by(student, "2026-10-13", ContactMethod::HomeVisit, &["村干部"]);
        let wrong = school.contact(student, "2026-10-14", ContactMethod::HomeVisit);
        school.retract(wrong);
        school.contact(student, "2026-10-21", ContactMethod::HomeVisit); // After today.
        let visits = relapse_visits(&school.state, student, &relapse, day("2026-10-20"));
        assert_eq!(visits, RelapseVisits { done: 2, quota: 3 });
        assert!(!visits.met());
        assert!(relapse_visits(&school.state, student, &relapse, day("2026-10-21")).met());
        school.rules(SCHOOL, Rules { visits_per_relapsing_child: 4, ..Rules::default() });
        assert!(!relapse_visits(&school.state, student, &relapse, day("2026-10-21")).met());
    }
}
