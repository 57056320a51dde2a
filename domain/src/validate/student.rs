//! A student record (学生信息), whole or one field at a time, and the flags set on a student.

use super::RecordKind;
use super::{Checker, StudentLabel, ValidationError};
use crate::age::school_year_start;
use crate::id_number::IdNumber;
use crate::ids::StudentId;
use crate::org::Grade;
use crate::status::Status;
use crate::student::{FieldKey, FlagEvent, Student, StudentField};
use crate::student_number::StudentNumber;

/// Oldest age, in whole years on the day of the check, accepted for a child in compulsory school.
/// Over-age students exist (late starters, repeaters), but past 20 the birth year is mistyped.
pub const MAX_AGE_YEARS: i32 = 20;
/// Youngest age accepted: grade 1 starts at 6, and some places admit children a few months short.
pub const MIN_AGE_YEARS: i32 = 5;
/// How far, in years, a child's age on 1 September may be from [`Grade::typical_age`] before the
/// birth date or the grade is taken for a typo. Three covers late entry plus repeated years.
pub const AGE_GRADE_TOLERANCE_YEARS: i32 = 3;

/// A grade typed as a number (a spreadsheet cell, a form field): 1 to 9, or
/// [`ValidationError::GradeOutOfRange`]. Takes an `i64` so a 0, a -1 or a 70 typed for "七年级"
/// is reported as typed rather than wrapped into a `u8`.
pub fn grade_from_number(value: i64) -> Result<Grade, ValidationError> {
    u8::try_from(value).ok().and_then(|small| Grade::new(small).ok()).ok_or(ValidationError::GradeOutOfRange { value })
}

impl Checker<'_> {
    pub(super) fn student_edit(&mut self, id: StudentId, field: &StudentField) {
        let Some(mut student) = self.known_student(RecordKind::Student, id) else {
            return;
        };
        field.write_to(&mut student);
        self.student(&student, Some(field.key()));
    }

    /// The checks of a student record; with `only`, just those that read that field.
    pub(super) fn student(&mut self, student: &Student, only: Option<FieldKey>) {
        let touches = |fields: &[FieldKey]| only.is_none_or(|key| fields.contains(&key));
        let label = StudentLabel::of(student);
        if touches(&[FieldKey::Name]) && student.name.trim().is_empty() {
            self.blank(RecordKind::Student, student, "name (姓名)");
        }
        let mut birth_date_plausible = true;
        if touches(&[FieldKey::BirthDate]) {
            let age = student.age_on(self.today);
            let birth_date = student.birth_date;
            let error = if birth_date > self.today {
                Some(ValidationError::BornInFuture { student: label.clone(), birth_date })
            } else if age > MAX_AGE_YEARS {
                Some(ValidationError::TooOld { student: label.clone(), birth_date, age })
            } else if age < MIN_AGE_YEARS {
                Some(ValidationError::TooYoung { student: label.clone(), birth_date, age })
            } else {
                None
            };
            birth_date_plausible = error.is_none();
            self.errors.extend(error);
        }
        // An impossible birth date already has its error; comparing it with the grade would
        // only say the same thing again.
        if touches(&[FieldKey::BirthDate, FieldKey::Grade]) && birth_date_plausible {
            let age = student.age_on(school_year_start(self.today));
            let typical = student.grade.typical_age();
            if (age - i32::from(typical)).abs() > AGE_GRADE_TOLERANCE_YEARS {
                self.push(ValidationError::AgeFarFromGrade {
                    student: label.clone(),
                    grade: student.grade,
                    age,
                    typical,
                });
            }
        }
        if touches(&[FieldKey::Grade]) {
            if let Some(school) = self.state.schools.get(&student.school) {
                if !school.value.kind.teaches(student.grade) {
                    self.push(ValidationError::GradeNotTaught {
                        student: label.clone(),
                        grade: student.grade,
                        school: school.value.name.clone(),
                    });
                }
            }
        }
        if touches(&[FieldKey::Class, FieldKey::Grade]) {
            match self.state.classes.get(&student.class).map(|stamped| &stamped.value) {
                Some(class) if class.school == student.school => {
                    if class.grade != student.grade {
                        self.push(ValidationError::ClassOfOtherGrade {
                            student: label.clone(),
                            class_name: class.name.clone(),
                            class_grade: class.grade,
                            grade: student.grade,
                        });
                    }
                }
                _ => self.push(ValidationError::UnknownClass { student: label.clone(), class: student.class }),
            }
        }
        if touches(&[FieldKey::StudentNumber, FieldKey::BirthDate]) {
            if let Some(text) = &student.student_number {
                self.student_number(student, text, only);
            }
        }
        if touches(&[FieldKey::IdNumber, FieldKey::BirthDate]) {
            if let Some(text) = &student.id_number {
                self.id_number(student, text, only);
            }
        }
    }

    /// The 身份证件号: well formed, and born on the birth date field's day.
    fn id_number(&mut self, student: &Student, text: &str, only: Option<FieldKey>) {
        let label = StudentLabel::of(student);
        let number = match IdNumber::parse(text) {
            Ok(number) => number,
            Err(source) => {
                // As for the 学籍号: an old malformed ID is the ID's problem, not the birth date's.
                if only != Some(FieldKey::BirthDate) {
                    self.push(ValidationError::BadIdNumber { student: label, source });
                }
                return;
            }
        };
        // A "G" 学籍号 of the same ID already had its birth date compared: say it once.
        let same_as_number = student
            .student_number
            .as_deref()
            .and_then(|text| StudentNumber::parse(text).ok())
            .is_some_and(|student_number| student_number.id_number() == Some(number.as_str()));
        let differs = number.birth_date().filter(|in_id| *in_id != student.birth_date && !same_as_number);
        if let Some(in_id) = differs {
            let last_four = number.as_str().chars().skip(14).collect();
            self.push(ValidationError::IdBirthDateDiffers {
                student: label,
                last_four,
                in_id,
                birth_date: student.birth_date,
            });
        }
    }

    fn student_number(&mut self, student: &Student, text: &str, only: Option<FieldKey>) {
        let label = StudentLabel::of(student);
        let number = match StudentNumber::parse(text) {
            Ok(number) => number,
            Err(source) => {
                // An old malformed number is the number's problem, not the birth date's.
                if only != Some(FieldKey::BirthDate) {
                    self.push(ValidationError::BadStudentNumber { student: label, source });
                }
                return;
            }
        };
        if only != Some(FieldKey::BirthDate) {
            if let Some(other) = self.holder_of(&number, student.id) {
                self.push(ValidationError::DuplicateStudentNumber {
                    student: label.clone(),
                    number: number.clone(),
                    other: StudentLabel::of(&other),
                });
            }
        }
        if let Some(in_number) = number.birth_date().filter(|in_number| *in_number != student.birth_date) {
            self.push(ValidationError::NumberBirthDateDiffers {
                student: label,
                number,
                in_number,
                birth_date: student.birth_date,
            });
        }
    }

    /// Another student who holds `number` and is still on a roll. A child who transferred out,
    /// graduated or left lawfully keeps the number on the old record, and the new school's
    /// record of the same child may carry it too.
    fn holder_of(&self, number: &StudentNumber, except: StudentId) -> Option<Student> {
        self.state.students_numbered(number).into_iter().find(|other| other.id != except && !self.has_left(other))
    }

    fn has_left(&self, student: &Student) -> bool {
        self.state
            .timeline(student.id)
            .recorded_on(self.today)
            .is_some_and(|status| status.left_lawfully() || status == Status::TransferOutPending)
    }

    pub(super) fn flag_event(&mut self, event: &FlagEvent) {
        if let Some(student) = self.known_student(RecordKind::Flag, event.student) {
            self.not_in_future(RecordKind::Flag, &student, event.date);
            if event.set {
                self.not_blank(RecordKind::Flag, &student, "evidence (依据)", &event.evidence);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id_number::IdNumberError;
    use crate::ids::{ClassId, RecordId};
    use crate::mutation::Change;
    use crate::student_number::StudentNumberError;
    use crate::test_school::{day, id_number, TestSchool, CLASS_1, OTHER_SCHOOL};
    use crate::validate::tests::{errors, the_error, today};
    use crate::validate::validate;

    /// A valid "G" 学籍号 for a child born on `birth` ("20130501").
    fn g_number(birth: &str, sequence: &str) -> String {
        format!("G{}", id_number(birth, sequence))
    }

    #[test]
    fn a_well_formed_student_passes() {
        let mut school = TestSchool::new();
        let student = school.seventh_grader("张小明", Some(&g_number("20130501", "123")));
        assert_eq!(validate(&school.state, &Change::PutStudent(student), today()), Ok(()));
    }

    /// What the server would refuse on arrival is refused on the phone before it is saved, so a
    /// teacher's work is never saved here only to be refused there.
    #[test]
    fn a_name_the_server_would_refuse_is_refused_before_it_is_saved() {
        let mut school = TestSchool::new();
        let student = school.seventh_grader(&"张".repeat(51), None);
        assert!(matches!(
            the_error(&school, Change::PutStudent(student)),
            ValidationError::OutsideLimits(crate::sync::RejectionReason::TextTooLong { limit: 50, .. })
        ));
        let mut student = school.seventh_grader("张小明", None);
        student.address = "石门村\0一组".to_owned();
        assert!(matches!(
            the_error(&school, Change::PutStudent(student)),
            ValidationError::OutsideLimits(crate::sync::RejectionReason::ControlCharacter { code: 0, .. })
        ));
    }

    #[test]
    fn birth_dates_in_the_future_or_of_the_wrong_age_are_refused() {
        let mut school = TestSchool::new();
        let mut student = school.seventh_grader("张小明", None);
        student.birth_date = day("2027-01-01");
        assert!(matches!(
            the_error(&school, Change::PutStudent(student.clone())),
            ValidationError::BornInFuture { .. }
        ));
        student.birth_date = day("2003-05-01");
        assert!(matches!(
            the_error(&school, Change::PutStudent(student.clone())),
            ValidationError::TooOld { age: 23, .. }
        ));
        student.birth_date = day("2022-05-01");
        assert!(matches!(the_error(&school, Change::PutStudent(student)), ValidationError::TooYoung { age: 4, .. }));
    }

    #[test]
    fn a_grade_typed_as_a_number_must_be_one_to_nine() {
        assert_eq!(grade_from_number(7), Ok(Grade::new(7).unwrap()));
        for value in [0, 10, -1, 70, 300] {
            assert_eq!(grade_from_number(value), Err(ValidationError::GradeOutOfRange { value }));
        }
        assert_eq!(
            grade_from_number(10).unwrap_err().to_string(),
            "grade (年级) 10 is outside compulsory school: enter 1 to 9 (一年级 to 九年级)"
        );
    }

    #[test]
    fn an_age_far_from_the_grade_is_refused() {
        let mut school = TestSchool::new();
        let mut student = school.seventh_grader("张小明", None);
        student.grade = Grade::new(1).unwrap();
        student.class = CLASS_1;
        // 13 on 1 September 2026, in grade 1 where children are 6.
        assert_eq!(
            the_error(&school, Change::PutStudent(student.clone())),
            ValidationError::AgeFarFromGrade {
                student: StudentLabel::of(&student),
                grade: Grade::new(1).unwrap(),
                age: 13,
                typical: 6
            }
        );
        // 9 on 1 September: three years late, within the tolerance.
        student.birth_date = day("2017-08-31");
        assert_eq!(validate(&school.state, &Change::PutStudent(student), today()), Ok(()));
    }

    #[test]
    fn a_grade_the_school_does_not_teach_is_refused() {
        let mut school = TestSchool::new();
        let mut student = school.seventh_grader("张小明", None);
        student.school = OTHER_SCHOOL;
        student.grade = Grade::new(6).unwrap();
        student.birth_date = day("2014-05-01");
        let found = errors(&school, Change::PutStudent(student));
        assert!(found
            .iter()
            .any(|error| matches!(error, ValidationError::GradeNotTaught { school, .. } if school == "城关二中")));
        // CLASS_7 belongs to the other school.
        assert!(found.iter().any(|error| matches!(error, ValidationError::UnknownClass { .. })));
    }

    #[test]
    fn the_class_must_exist_and_match_the_grade() {
        let mut school = TestSchool::new();
        let mut student = school.seventh_grader("张小明", None);
        student.class = ClassId::from_u128(0xdead);
        assert!(matches!(
            the_error(&school, Change::PutStudent(student.clone())),
            ValidationError::UnknownClass { .. }
        ));
        student.class = CLASS_1;
        assert!(matches!(
            the_error(&school, Change::PutStudent(student)),
            ValidationError::ClassOfOtherGrade { class_grade, grade, .. } if class_grade.get() == 1 && grade.get() == 7
        ));
    }

    #[test]
    fn a_malformed_student_number_is_refused_with_its_reason() {
        let mut school = TestSchool::new();
        let student = school.seventh_grader("张小明", Some("4.30521E+17"));
        let error = the_error(&school, Change::PutStudent(student));
        assert!(matches!(
            &error,
            ValidationError::BadStudentNumber { source: StudentNumberError::ScientificNotation { .. }, .. }
        ));
        assert!(error.to_string().starts_with("student 张小明 ("));
    }

    #[test]
    fn a_student_number_held_by_another_current_student_is_refused() {
        let mut school = TestSchool::new();
        let number = g_number("20130501", "123");
        let first = school.enrol("张小明", Some(&number));
        let twin = school.seventh_grader("张晓明", Some(&number.to_lowercase()));
        let error = the_error(&school, Change::PutStudent(twin.clone()));
        assert!(matches!(&error, ValidationError::DuplicateStudentNumber { other, .. } if other.id == first));
        assert!(error.to_string().contains("is already held by student 张小明"));
        // Once the first record has left by a confirmed transfer, a new record may carry it.
        school.status(first, "2026-10-10", Status::TransferOutConfirmed, "回执 from 城关二中");
        assert_eq!(validate(&school.state, &Change::PutStudent(twin), today()), Ok(()));
    }

    #[test]
    fn re_putting_the_same_student_is_no_duplicate() {
        let mut school = TestSchool::new();
        let student = school.seventh_grader("张小明", Some(&g_number("20130501", "123")));
        school.apply(Change::PutStudent(student.clone()));
        assert_eq!(validate(&school.state, &Change::PutStudent(student), today()), Ok(()));
    }

    #[test]
    fn the_birth_date_inside_the_number_must_match_the_field() {
        let mut school = TestSchool::new();
        let student = school.seventh_grader("张小明", Some(&g_number("20130601", "123")));
        assert_eq!(
            the_error(&school, Change::PutStudent(student.clone())),
            ValidationError::NumberBirthDateDiffers {
                student: StudentLabel::of(&student),
                number: StudentNumber::parse(&g_number("20130601", "123")).unwrap(),
                in_number: day("2013-06-01"),
                birth_date: day("2013-05-01"),
            }
        );
        let temporary = school.seventh_grader("李四", Some("L430521201306011234"));
        assert!(matches!(
            the_error(&school, Change::PutStudent(temporary)),
            ValidationError::NumberBirthDateDiffers { .. }
        ));
    }

    #[test]
    fn an_edit_is_checked_only_on_the_fields_it_reads() {
        let mut school = TestSchool::new();
        // Imported before validation existed: a birth date that disagrees with the number.
        let student = school.enrol("张小明", Some(&g_number("20130601", "123")));
        let phone = Change::EditStudent { student, field: StudentField::GuardianPhone("13900000000".into()) };
        assert_eq!(validate(&school.state, &phone, today()), Ok(()));
        let fixed = Change::EditStudent { student, field: StudentField::BirthDate(day("2013-06-01")) };
        assert_eq!(validate(&school.state, &fixed, today()), Ok(()));
        let wrong = Change::EditStudent { student, field: StudentField::BirthDate(day("2031-06-01")) };
        let found = errors(&school, wrong);
        assert!(matches!(found[0], ValidationError::BornInFuture { .. }));
        assert!(matches!(found[1], ValidationError::NumberBirthDateDiffers { .. }));
        let blank = Change::EditStudent { student, field: StudentField::Name("  ".into()) };
        assert!(matches!(the_error(&school, blank), ValidationError::Blank { field: "name (姓名)", .. }));
        let unknown = Change::EditStudent { student: StudentId::from_u128(9), field: StudentField::Name("x".into()) };
        assert!(matches!(
            the_error(&school, unknown),
            ValidationError::UnknownStudent { what: RecordKind::Student, .. }
        ));
    }

    #[test]
    fn every_problem_of_a_row_is_reported_at_once() {
        let mut school = TestSchool::new();
        let mut student = school.seventh_grader(" ", Some("G110101200801011234"));
        student.class = ClassId::from_u128(1);
        student.birth_date = day("2030-01-01");
        let found = errors(&school, Change::PutStudent(student));
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(matches!(found[0], ValidationError::Blank { .. }));
        assert!(matches!(found[1], ValidationError::BornInFuture { .. }));
        assert!(matches!(found[2], ValidationError::UnknownClass { .. }));
        assert!(matches!(found[3], ValidationError::BadStudentNumber { .. }));
    }

    #[test]
    fn an_id_number_that_agrees_with_the_birth_date_passes() {
        let mut school = TestSchool::new();
        let mut student = school.seventh_grader("张小明", None);
        student.id_number = Some(id_number("20130501", "123"));
        assert_eq!(validate(&school.state, &Change::PutStudent(student), today()), Ok(()));
    }

    #[test]
    fn an_id_number_with_a_wrong_check_character_is_refused_naming_the_field() {
        let mut school = TestSchool::new();
        let mut student = school.seventh_grader("张小明", None);
        let mut wrong = id_number("20130501", "123");
        let last = if wrong.ends_with('1') { '2' } else { '1' };
        wrong.pop();
        wrong.push(last);
        student.id_number = Some(wrong);
        let error = the_error(&school, Change::PutStudent(student));
        assert!(matches!(&error, ValidationError::BadIdNumber { source: IdNumberError::CheckDigit { .. }, .. }));
        assert!(error.to_string().contains("身份证件号"), "{error}");
    }

    #[test]
    fn the_birth_date_inside_the_id_number_must_match_the_field() {
        let mut school = TestSchool::new();
        let mut student = school.seventh_grader("张小明", None);
        let id = id_number("20130601", "123");
        student.id_number = Some(id.clone());
        let error = the_error(&school, Change::PutStudent(student.clone()));
        assert_eq!(
            error,
            ValidationError::IdBirthDateDiffers {
                student: StudentLabel::of(&student),
                last_four: id[14..].to_owned(),
                in_id: day("2013-06-01"),
                birth_date: day("2013-05-01"),
            }
        );
        assert!(error.to_string().contains("身份证件号"), "{error}");
        assert!(!error.to_string().contains(&id), "the message shows the last four characters only");
    }

    #[test]
    fn an_id_number_edit_is_checked_against_the_birth_date() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let right = Change::EditStudent { student, field: StudentField::IdNumber(Some(id_number("20130501", "123"))) };
        assert_eq!(validate(&school.state, &right, today()), Ok(()));
        let wrong = Change::EditStudent { student, field: StudentField::IdNumber(Some(id_number("20130502", "123"))) };
        assert!(matches!(the_error(&school, wrong), ValidationError::IdBirthDateDiffers { .. }));
        let stored = Change::EditStudent { student, field: StudentField::IdNumber(Some("4.30521E+17".into())) };
        assert!(matches!(
            the_error(&school, stored),
            ValidationError::BadIdNumber { source: IdNumberError::StoredAsNumber { .. }, .. }
        ));
        let cleared = Change::EditStudent { student, field: StudentField::IdNumber(None) };
        assert_eq!(validate(&school.state, &cleared, today()), Ok(()));
    }

    #[test]
    fn a_set_flag_needs_evidence() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let flag = |set, evidence: &str, date| {
            Change::RecordFlag(crate::student::FlagEvent {
                id: RecordId::from_u128(0xf1),
                student,
                flag: crate::student::Flag::Wavering,
                set,
                date: day(date),
                evidence: evidence.into(),
            })
        };
        assert!(matches!(
            the_error(&school, flag(true, "", "2026-10-14")),
            ValidationError::Blank { what: RecordKind::Flag, .. }
        ));
        assert_eq!(validate(&school.state, &flag(false, "", "2026-10-14"), today()), Ok(()));
        assert!(matches!(the_error(&school, flag(false, "", "2026-10-15")), ValidationError::InFuture { .. }));
    }
}
