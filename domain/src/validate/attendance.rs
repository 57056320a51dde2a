//! An attendance mark (考勤): a known student, a past school day of the student's school.

use super::{Checker, RecordKind, StudentLabel, ValidationError};
use crate::attendance::{AttendanceMark, DayRecord};

impl Checker<'_> {
    /// A register handed in: a class of the school, a school day of its school, not a day
    /// still to come.
    pub(super) fn day_record(&mut self, record: &DayRecord) {
        let Some(class) = self.state.classes.get(&record.class).map(|class| &class.value) else {
            self.push(ValidationError::UnknownClassOfDay { class: record.class, day: record.date });
            return;
        };
        if record.date > self.today {
            self.push(ValidationError::DayNotYetCome { class: class.name.clone(), day: record.date });
        } else if !self.state.calendar(class.school).is_school_day(record.date) {
            self.push(ValidationError::DayNotASchoolDay { class: class.name.clone(), day: record.date });
        }
    }

    pub(super) fn mark(&mut self, mark: &AttendanceMark) {
        if let Some(student) = self.known_student(RecordKind::Mark, mark.student) {
            self.not_in_future(RecordKind::Mark, &student, mark.day);
            if !self.state.calendar(student.school).is_school_day(mark.day) {
                self.push(ValidationError::NotASchoolDay { student: StudentLabel::of(&student), day: mark.day });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;
    use crate::ids::{RecordId, StudentId};
    use crate::mutation::Change;
    use crate::test_school::{day, TestSchool};
    use crate::validate::tests::{the_error, today};
    use crate::validate::{validate, RecordKind};

    fn mark(student: StudentId, date: &str) -> Change {
        Change::Mark(AttendanceMark {
            id: RecordId::from_u128(0xa1),
            student,
            day: day(date),
            half: None,
            kind: MarkKind::Unexcused,
        })
    }

    #[test]
    fn marks_go_on_past_school_days_of_known_students() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        assert_eq!(validate(&school.state, &mark(student, "2026-10-13"), today()), Ok(()));
        assert!(matches!(the_error(&school, mark(student, "2026-10-12")), ValidationError::NotASchoolDay { .. })); // 农忙假
        assert!(matches!(the_error(&school, mark(student, "2026-10-10")), ValidationError::NotASchoolDay { .. })); // Saturday
        assert!(matches!(the_error(&school, mark(student, "2026-10-01")), ValidationError::NotASchoolDay { .. })); // National Day
        assert!(matches!(
            the_error(&school, mark(student, "2026-10-15")),
            ValidationError::InFuture { what: RecordKind::Mark, .. }
        ));
        assert_eq!(
            the_error(&school, mark(StudentId::from_u128(9), "2026-10-13")),
            ValidationError::UnknownStudent { what: RecordKind::Mark, student: StudentId::from_u128(9) }
        );
    }
}
