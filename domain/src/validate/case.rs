//! A persuasion case (劝返复学方案, 一人一案) and the records that follow it: the placement on
//! return (复学安置) and the follow-ups (跟踪).

use super::{Checker, RecordKind, StudentLabel, ValidationError};
use crate::case::{Case, CaseField};
use crate::follow_up::{FollowUp, Placement};
use crate::ids::CaseId;
use crate::student::Student;
use chrono::NaiveDate;

impl Checker<'_> {
    pub(super) fn open_case(&mut self, case: &Case) {
        if let Some(student) = self.known_student(RecordKind::Case, case.student) {
            self.deadline_ahead(case.id, &student, case.deadline);
            self.responsible(&student, &case.responsible);
            for date in [case.found_on, case.opened_on].into_iter().flatten() {
                self.not_in_future(RecordKind::Case, &student, date);
            }
        }
    }

    pub(super) fn case_edit(&mut self, case: CaseId, field: &CaseField) {
        let Some(current) = self.state.case(case) else {
            self.push(ValidationError::UnknownCaseEdited { case });
            return;
        };
        let Some(student) = self.known_student(RecordKind::Case, current.student) else {
            return;
        };
        match field {
            CaseField::Deadline(deadline) => self.deadline_ahead(case, &student, *deadline),
            CaseField::Responsible(responsible) => self.responsible(&student, responsible),
            CaseField::Difficulty(_)
            | CaseField::DifficultyNote(_)
            | CaseField::Measures(_)
            | CaseField::Status(_)
            | CaseField::Outcome(_) => {}
        }
    }

    fn deadline_ahead(&mut self, case: CaseId, student: &Student, deadline: NaiveDate) {
        if deadline < self.today {
            self.push(ValidationError::DeadlinePassed {
                case,
                student: StudentLabel::of(student),
                deadline,
                today: self.today,
            });
        }
    }

    /// 一人一案 names who is responsible: a plan nobody carries out is no plan.
    fn responsible(&mut self, student: &Student, responsible: &[String]) {
        if responsible.iter().all(|person| person.trim().is_empty()) {
            self.blank(RecordKind::Case, student, "responsible person (劝返责任人)");
        }
    }

    pub(super) fn placement(&mut self, placement: &Placement) {
        if let Some(student) = self.known_student(RecordKind::Placement, placement.student) {
            self.case_of(RecordKind::Placement, &student, placement.case);
            self.not_in_future(RecordKind::Placement, &student, placement.returned_on);
            let opened_on = self.state.case(placement.case).and_then(|case| case.opened_on);
            if let Some(opened_on) = opened_on.filter(|opened_on| placement.returned_on < *opened_on) {
                self.push(ValidationError::ReturnBeforeCaseOpened {
                    student: StudentLabel::of(&student),
                    returned_on: placement.returned_on,
                    opened_on,
                });
            }
            let class_known =
                self.state.classes.get(&placement.class).is_some_and(|class| class.value.school == student.school);
            if !class_known {
                self.push(ValidationError::UnknownClass {
                    student: StudentLabel::of(&student),
                    class: placement.class,
                });
            }
        }
    }

    pub(super) fn follow_up(&mut self, follow_up: &FollowUp) {
        if let Some(student) = self.known_student(RecordKind::FollowUp, follow_up.student) {
            self.case_of(RecordKind::FollowUp, &student, follow_up.case);
            self.not_in_future(RecordKind::FollowUp, &student, follow_up.date);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseStatus, Measure};
    use crate::ids::{ClassId, RecordId};
    use crate::mutation::Change;
    use crate::risk::Level;
    use crate::test_school::{day, TestSchool, CLASS_7};
    use crate::validate::tests::{errors, the_error, today};
    use crate::validate::{validate, RecordKind};

    #[test]
    fn a_case_deadline_lies_ahead_and_someone_is_responsible() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let case = Case {
            id: CaseId::from_u128(0xca),
            student,
            responsible: vec![],
            difficulty: Level::High,
            measures: vec![Measure::HomeVisit, Measure::Aid],
            deadline: day("2026-10-13"),
            status: CaseStatus::Open,
            outcome: String::new(),
            found_on: None,
            difficulty_note: String::new(),
            opened_on: None,
        };
        let found = errors(&school, Change::OpenCase(case.clone()));
        assert!(
            matches!(found[0], ValidationError::DeadlinePassed { deadline, today: t, .. } if deadline == day("2026-10-13") && t == today())
        );
        assert!(matches!(found[1], ValidationError::Blank { what: RecordKind::Case, .. }));
        // Today itself is still ahead enough.
        let fine = Case { deadline: today(), responsible: vec!["王老师".into()], ..case };
        assert_eq!(validate(&school.state, &Change::OpenCase(fine.clone()), today()), Ok(()));
        school.apply(Change::OpenCase(fine));
        let moved_back =
            Change::EditCase { case: CaseId::from_u128(0xca), field: CaseField::Deadline(day("2026-09-30")) };
        assert!(matches!(the_error(&school, moved_back), ValidationError::DeadlinePassed { .. }));
        let unknown = Change::EditCase { case: CaseId::from_u128(1), field: CaseField::Outcome("x".into()) };
        assert!(matches!(the_error(&school, unknown), ValidationError::UnknownCaseEdited { .. }));
    }

    #[test]
    fn a_placement_and_a_follow_up_name_a_known_case_and_class() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let case = school.open_case(student);
        let placement = crate::follow_up::Placement {
            id: RecordId::from_u128(0x91),
            student,
            case,
            returned_on: day("2026-10-14"),
            class: CLASS_7,
            catch_up_plan: "数学补课".into(),
        };
        assert_eq!(validate(&school.state, &Change::RecordPlacement(placement.clone()), today()), Ok(()));
        let nowhere = crate::follow_up::Placement { class: ClassId::from_u128(1), ..placement };
        assert!(matches!(the_error(&school, Change::RecordPlacement(nowhere)), ValidationError::UnknownClass { .. }));
        let follow_up = crate::follow_up::FollowUp {
            id: RecordId::from_u128(0x92),
            student,
            case: CaseId::from_u128(1),
            date: day("2026-10-21"),
            attending: true,
            note: String::new(),
        };
        assert_eq!(errors(&school, Change::RecordFollowUp(follow_up)).len(), 2);
    }
}
