//! Checks a change against the school's data before it becomes a mutation. Once a mutation is
//! made it is chained and synced and can only be retracted, so this is the place to catch a
//! mistyped year or a child marked absent on a holiday.
//!
//! [`validate`] returns every problem it finds, not just the first: a teacher correcting a
//! roster row fixes all of its cells in one go. Only the fields a change touches are checked, so
//! an old record with a questionable birth date can still get its phone number corrected.
//!
//! Validation runs on the device that makes the change, against its own state. Merging never
//! validates: a mutation from another device is applied as it is, or the devices would disagree.
//!
//! The checks of each kind of record live in the file named after it (`student.rs`,
//! `attendance.rs`, `case.rs`, ...) as methods of one `Checker`, which gathers the errors.

mod attendance;
mod case;
mod class;
mod contact;
mod investigation;
mod notice;
mod resident;
mod retraction;
mod settings;
mod status;
mod student;
mod survey;

pub use crate::age::school_year_start;
pub use settings::term_problem;
pub use student::{grade_from_number, AGE_GRADE_TOLERANCE_YEARS, MAX_AGE_YEARS, MIN_AGE_YEARS};

use crate::id_number::IdNumberError;
use crate::ids::{CaseId, ClassId, RecordId, ResidentId, StudentId};
use crate::mutation::Change;
use crate::org::Grade;
use crate::state::State;
use crate::status::Status;
use crate::student::Student;
use crate::student_number::{StudentNumber, StudentNumberError};
use chrono::NaiveDate;
use std::fmt;

/// A student as an error names them: the name a teacher recognises and the id the app uses to
/// open the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudentLabel {
    pub id: StudentId,
    pub name: String,
}

impl StudentLabel {
    pub fn of(student: &Student) -> Self {
        StudentLabel { id: student.id, name: student.name.clone() }
    }
}

impl fmt::Display for StudentLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.trim().is_empty() {
            write!(f, "student {}", self.id)
        } else {
            write!(f, "student {} ({})", self.name, self.id)
        }
    }
}

/// A child of the resident list (户籍), as an error names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidentLabel {
    pub id: ResidentId,
    pub name: String,
}

impl fmt::Display for ResidentLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "resident {} ({})", self.name, self.id)
    }
}

/// The kind of record an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Student,
    Mark,
    StatusEvent,
    Flag,
    Investigation,
    Contact,
    Notice,
    Case,
    Placement,
    FollowUp,
    Resident,
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordKind::Student => "student record (学生信息)",
            RecordKind::Mark => "attendance mark (考勤)",
            RecordKind::StatusEvent => "status event (学籍状态)",
            RecordKind::Flag => "flag (学生标记)",
            RecordKind::Investigation => "investigation row (排查台账)",
            RecordKind::Contact => "contact (家访登记)",
            RecordKind::Notice => "notice (通知书)",
            RecordKind::Case => "case (劝返复学方案)",
            RecordKind::Placement => "placement (复学安置)",
            RecordKind::FollowUp => "follow-up (跟踪)",
            RecordKind::Resident => "resident (户籍)",
        })
    }
}

/// What is wrong with a change. Each message names the record, the field and the value, and
/// says what to do. The rules, by record:
///
/// - Student (`PutStudent`, `EditStudent`): birth date not in the future and giving an age of
///   [`MIN_AGE_YEARS`]..=[`MAX_AGE_YEARS`]; age on 1 September of the school year within
///   [`AGE_GRADE_TOLERANCE_YEARS`] of the grade's typical age; grade taught at the school; class
///   known, of this school and of the same grade; 学籍号 well formed, held by no other current
///   student, and its embedded birth date equal to the birth date field; a name.
/// - A grade typed as a number: 1 to 9 ([`grade_from_number`]).
/// - Attendance mark: a known student, a school day of the student's school, not in the future.
/// - Status event: a known student, not in the future; leaving the dropout ledger (from 辍学 or
///   劝返中 to anything else) needs evidence (动态销号); a confirmed transfer needs the 回执 as
///   evidence.
/// - Flag: a known student, not in the future, evidence when a flag is set.
/// - Investigation row: a known student, not in the future, at least one reason, an investigator.
/// - Contact: a known student, a known case of that student if any, not in the future, the next
///   step not dated before the contact, someone who went.
/// - Notice: a known student and a known case of that student, not issued in the future, a
///   deadline not before the issue date, an issuer.
/// - Case: a known student, a deadline not before today (when opened or moved), someone
///   responsible.
/// - Placement and follow-up: a known student and case, not in the future, a known class.
/// - Survey answer: every score 1 to 5.
/// - Retraction: a known append-only record and a reason.
/// - Term: an end not before its start. Rules: each number in a sensible range.
/// - Resident: born not in the future, a well-formed 身份证 number whose birth date matches, a
///   matched student that exists.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("{student}: birth date (出生日期) {birth_date} is after today; check the year")]
    BornInFuture { student: StudentLabel, birth_date: NaiveDate },
    #[error("{student}: birth date (出生日期) {birth_date} makes the child {age}, older than {max}; check the year", max = MAX_AGE_YEARS)]
    TooOld { student: StudentLabel, birth_date: NaiveDate, age: i32 },
    #[error("{student}: birth date (出生日期) {birth_date} makes the child {age}, younger than {min}; check the year", min = MIN_AGE_YEARS)]
    TooYoung { student: StudentLabel, birth_date: NaiveDate, age: i32 },
    #[error("grade (年级) {value} is outside compulsory school: enter 1 to 9 (一年级 to 九年级)")]
    GradeOutOfRange { value: i64 },
    #[error(
        "{student}: aged {age} on 1 September but in grade {grade}, where children are usually {typical}; \
         check the birth date (出生日期) and the grade (年级)"
    )]
    AgeFarFromGrade { student: StudentLabel, grade: Grade, age: i32, typical: u8 },
    #[error("{student}: grade (年级) {grade} is not taught at {school}; check the grade")]
    GradeNotTaught { student: StudentLabel, grade: Grade, school: String },
    #[error("{student}: class (班级) {class} is not a class of this school; pick the class from the list")]
    UnknownClass { student: StudentLabel, class: ClassId },
    #[error("{student}: class (班级) {class_name} is grade {class_grade}, the student is in grade {grade}; change the class or the grade")]
    ClassOfOtherGrade { student: StudentLabel, class_name: String, class_grade: Grade, grade: Grade },
    #[error("{student}: {source}")]
    BadStudentNumber { student: StudentLabel, source: StudentNumberError },
    #[error("{student}: 学籍号 {number} is already held by {other}; the same child may be entered twice, check both records")]
    DuplicateStudentNumber { student: StudentLabel, number: StudentNumber, other: StudentLabel },
    #[error(
        "{student}: 学籍号 {number} holds the birth date {in_number}, but the birth date field (出生日期) says {birth_date}; \
         correct whichever is wrong"
    )]
    NumberBirthDateDiffers { student: StudentLabel, number: StudentNumber, in_number: NaiveDate, birth_date: NaiveDate },
    #[error("{student}: {source}")]
    BadIdNumber { student: StudentLabel, source: IdNumberError },
    #[error(
        "{student}: the ID number (身份证件号) ending {last_four} holds the birth date {in_id}, but the birth date field \
         (出生日期) says {birth_date}; correct whichever is wrong"
    )]
    IdBirthDateDiffers { student: StudentLabel, last_four: String, in_id: NaiveDate, birth_date: NaiveDate },
    #[error("{what} names student {student}, who is not on the roster here; add the student first or pick another")]
    UnknownStudent { what: RecordKind, student: StudentId },
    #[error("{what} of {student} names case {case}, which is not known here; open the case first or leave it empty")]
    UnknownCase { what: RecordKind, student: StudentLabel, case: CaseId },
    #[error("case {case} is not known here; it may not have synced yet, sync and try again")]
    UnknownCaseEdited { case: CaseId },
    #[error("{what} of {student} names case {case}, which is the case of another student ({case_student}); pick this student's case")]
    CaseOfOtherStudent { what: RecordKind, student: StudentLabel, case: CaseId, case_student: StudentId },
    #[error("{what} of {student}: date {date} is after today ({today}); records are made when things happen, check the date")]
    InFuture { what: RecordKind, student: StudentLabel, date: NaiveDate, today: NaiveDate },
    #[error(
        "attendance mark (考勤) of {student}: {day} is not a school day (weekend, holiday, 农忙假 or outside the term); \
         pick a school day, or fix the school calendar"
    )]
    NotASchoolDay { student: StudentLabel, day: NaiveDate },
    #[error(
        "status event (学籍状态) of {student} on {date}: going from {from:?} to {to:?} takes the child off the dropout \
         ledger (动态销号), which needs evidence; write what shows it (return date and class, receipt, document number)"
    )]
    LeavesLedgerWithoutEvidence { student: StudentLabel, date: NaiveDate, from: Status, to: Status },
    #[error(
        "status event (学籍状态) of {student} on {date}: a confirmed transfer needs the receiving school's 回执 as evidence; \
         write which school sent it and when"
    )]
    TransferWithoutReceipt { student: StudentLabel, date: NaiveDate },
    #[error("case (劝返复学方案) {case} of {student}: deadline {deadline} is before today ({today}); set a deadline still ahead")]
    DeadlinePassed { case: CaseId, student: StudentLabel, deadline: NaiveDate, today: NaiveDate },
    #[error("notice (通知书) {number:?} of {student}: deadline {deadline} is before its issue date {issued_on}; fix one of the dates")]
    NoticeDeadlineBeforeIssue { student: StudentLabel, number: String, issued_on: NaiveDate, deadline: NaiveDate },
    #[error(
        "contact (家访登记) of {student} on {date}: the child was found out of school on {found_on}, after this date; \
         check the date of the contact"
    )]
    ContactBeforeFound { student: StudentLabel, date: NaiveDate, found_on: NaiveDate },
    #[error(
        "placement (复学安置) of {student}: return date {returned_on} is before the case was opened on {opened_on}; \
         check the return date"
    )]
    ReturnBeforeCaseOpened { student: StudentLabel, returned_on: NaiveDate, opened_on: NaiveDate },
    #[error("contact (家访登记) of {student} on {date}: the next step is dated {next_date}, before the contact itself; fix the date")]
    NextStepBeforeContact { student: StudentLabel, date: NaiveDate, next_date: NaiveDate },
    #[error("{what} of {student}: {field} is empty; fill it in")]
    Blank { what: RecordKind, student: StudentLabel, field: &'static str },
    #[error(
        "survey answer {survey}: score {score} is outside 1 to 5; enter 1 (very unsatisfied) to 5 (very satisfied)"
    )]
    ScoreOutOfRange { survey: RecordId, score: u8 },
    #[error("retraction of record {record}: no such attendance mark, status event or other record here; pick the record to retract")]
    UnknownRecord { record: RecordId },
    #[error(
        "retraction of record {record}: the reason is empty; say why the record was wrong, it stays in the history"
    )]
    RetractWithoutReason { record: RecordId },
    #[error("register of {day}: class {class} is not a class of this school; pick the class")]
    UnknownClassOfDay { class: crate::ids::ClassId, day: NaiveDate },
    #[error("register of {class} on {day}: that day has not come yet; confirm a day once it is over or under way")]
    DayNotYetCome { class: String, day: NaiveDate },
    #[error("register of {class} on {day}: not a school day (weekend, holiday or 农忙假); nothing to confirm")]
    DayNotASchoolDay { class: String, day: NaiveDate },
    #[error("term (学期) {term:?}: ends on {end}, before it starts on {start}; fix the dates")]
    TermEndsBeforeStart { term: String, start: NaiveDate, end: NaiveDate },
    #[error("term {term} ({start} to {end}) overlaps the school's term {other}; a day belongs to one term")]
    TermsOverlap { term: String, start: NaiveDate, end: NaiveDate, other: String },
    #[error("class {name:?}: the school already has the class {other:?}, the same class written another way; pick it, or another name")]
    DuplicateClass { name: String, other: String },
    #[error("class {name:?} names grade {written}, but the class is of grade {grade}; fix the name or the grade")]
    ClassNameOfOtherGrade { name: String, written: Grade, grade: Grade },
    /// A text too long, a control character or a date out of range: what the server refuses
    /// on arrival (`wire_limits`), refused here first so the phone never saves it.
    #[error("{0}")]
    OutsideLimits(crate::sync::RejectionReason),
    #[error("setting {rule} is {value}; it must be from {min} to {max}")]
    RuleOutOfRange { rule: &'static str, value: u32, min: u32, max: u32 },
    #[error("{resident}: birth date (出生日期) {birth_date} is after today; check the year")]
    ResidentBornInFuture { resident: ResidentLabel, birth_date: NaiveDate },
    #[error("{resident}: ID number (身份证件号) is wrong: {source}")]
    ResidentIdNumber { resident: ResidentLabel, source: StudentNumberError },
    #[error(
        "{resident}: ID number (身份证件号) {value:?} is not an 18-character 身份证 number; copy it from the 户口簿"
    )]
    ResidentIdNotAnIdCard { resident: ResidentLabel, value: String },
    #[error(
        "{resident}: ID number (身份证件号) holds the birth date {in_number}, but the birth date field says {birth_date}; \
         correct whichever is wrong"
    )]
    ResidentIdBirthDateDiffers { resident: ResidentLabel, in_number: NaiveDate, birth_date: NaiveDate },
}

/// Checks the changes written together as one batch, each against the state as it will be
/// once the whole batch is written (`State::merge_pending`): a class is checked against the
/// school made with it, and the grade and class of one student edited together are checked
/// with each other. `Err` holds every problem found, each with the index of its change.
pub fn validate_batch(
    state: &State,
    changes: &[Change],
    today: NaiveDate,
) -> Result<(), Vec<(usize, ValidationError)>> {
    // A single change (a tap) needs no copy of the state: the usual case stays cheap.
    let pending = (changes.len() > 1).then(|| {
        let mut pending = state.clone();
        for (index, change) in changes.iter().enumerate() {
            pending.merge_pending(index, change);
        }
        pending
    });
    let seen = pending.as_ref().unwrap_or(state);
    let errors: Vec<(usize, ValidationError)> = changes
        .iter()
        .enumerate()
        .flat_map(|(index, change)| {
            validate(seen, change, today).err().unwrap_or_default().into_iter().map(move |error| (index, error))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks `change` against `state` as it stands on `today`. `Err` holds every problem found,
/// and is never empty.
pub fn validate(state: &State, change: &Change, today: NaiveDate) -> Result<(), Vec<ValidationError>> {
    let mut check = Checker { state, today, errors: Vec::new() };
    match change {
        Change::PutStudent(student) => check.student(student, None),
        Change::EditStudent { student, field } => check.student_edit(*student, field),
        Change::Mark(mark) => check.mark(mark),
        Change::RecordDay(record) => check.day_record(record),
        Change::RecordStatus(event) => check.status_event(event),
        Change::RecordFlag(event) => check.flag_event(event),
        Change::RecordInvestigation(row) => check.investigation(row),
        Change::LogContact(contact) => check.contact(contact),
        Change::IssueNotice(notice) => check.notice(notice),
        Change::OpenCase(case) => check.open_case(case),
        Change::EditCase { case, field } => check.case_edit(*case, field),
        Change::RecordPlacement(placement) => check.placement(placement),
        Change::RecordFollowUp(follow_up) => check.follow_up(follow_up),
        Change::RecordSurvey(answer) => check.survey(answer),
        Change::Retract { record, reason } => check.retraction(*record, reason),
        Change::SetTerm { school, term } => check.term(*school, term),
        Change::SetRules { rules, .. } => check.rules(rules),
        Change::PutResident(resident) => check.resident(resident),
        Change::PutClass(class) => check.class(class),
        Change::PutCounty(_) | Change::PutTown(_) | Change::PutSchool(_) | Change::SetDay { .. } => {}
    }
    // The same limits the server holds every change to, so nothing saved here is refused there.
    if let Err(reason) = crate::wire_limits::check_change(change) {
        check.push(ValidationError::OutsideLimits(reason));
    }
    if check.errors.is_empty() {
        Ok(())
    } else {
        Err(check.errors)
    }
}

/// The state and day a change is checked against, and the problems found so far. Each file of
/// this folder adds the checks of one kind of record.
struct Checker<'a> {
    state: &'a State,
    today: NaiveDate,
    errors: Vec<ValidationError>,
}

/// The checks several kinds of record share.
impl Checker<'_> {
    fn push(&mut self, error: ValidationError) {
        self.errors.push(error);
    }

    fn known_student(&mut self, what: RecordKind, id: StudentId) -> Option<Student> {
        let student = self.state.student(id);
        if student.is_none() {
            self.push(ValidationError::UnknownStudent { what, student: id });
        }
        student
    }

    fn not_in_future(&mut self, what: RecordKind, student: &Student, date: NaiveDate) {
        if date > self.today {
            self.push(ValidationError::InFuture { what, student: StudentLabel::of(student), date, today: self.today });
        }
    }

    fn blank(&mut self, what: RecordKind, student: &Student, field: &'static str) {
        self.push(ValidationError::Blank { what, student: StudentLabel::of(student), field });
    }

    fn not_blank(&mut self, what: RecordKind, student: &Student, field: &'static str, value: &str) {
        if value.trim().is_empty() {
            self.blank(what, student, field);
        }
    }

    fn case_of(&mut self, what: RecordKind, student: &Student, case: CaseId) {
        match self.state.case(case) {
            None => self.push(ValidationError::UnknownCase { what, student: StudentLabel::of(student), case }),
            Some(found) if found.student != student.id => self.push(ValidationError::CaseOfOtherStudent {
                what,
                student: StudentLabel::of(student),
                case,
                case_student: found.student,
            }),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_school::{day, TestSchool};

    /// A Wednesday of the autumn term.
    pub(super) fn today() -> NaiveDate {
        day("2026-10-14")
    }

    pub(super) fn errors(school: &TestSchool, change: Change) -> Vec<ValidationError> {
        validate(&school.state, &change, today()).err().unwrap_or_default()
    }

    pub(super) fn the_error(school: &TestSchool, change: Change) -> ValidationError {
        let mut found = errors(school, change);
        assert_eq!(found.len(), 1, "expected one error, got {found:?}");
        found.remove(0)
    }

    fn one_child() -> (TestSchool, crate::ids::StudentId) {
        let mut school = TestSchool::new();
        let school_id = school.one_school(crate::org::SchoolKind::NineYear);
        let class = school.class(school_id, 7, "李老师");
        let student = school.student(class);
        (school, student)
    }

    /// A mark and its retraction in one batch: the retraction is checked against the state
    /// with the mark in it, which alone it would not find.
    #[test]
    fn a_batch_is_checked_against_its_own_earlier_changes() {
        let (mut school, student) = one_child();
        let mark = crate::attendance::AttendanceMark {
            id: school.record_id(),
            student,
            day: today(),
            half: None,
            kind: crate::attendance::MarkKind::Unexcused,
        };
        let retract = Change::Retract { record: mark.id, reason: "点错了".into() };
        assert!(validate(&school.state, &retract, today()).is_err(), "alone, the mark is unknown");
        let batch = [Change::Mark(mark), retract];
        assert_eq!(validate_batch(&school.state, &batch, today()), Ok(()));
        assert!(
            !school.state.marks.contains_key(&match &batch[0] {
                Change::Mark(mark) => mark.id,
                _ => unreachable!(),
            }),
            "the state checked against is a copy"
        );
    }

    /// Each problem names the change of the batch it belongs to.
    #[test]
    fn a_batch_names_the_change_each_problem_is_in() {
        let (mut school, student) = one_child();
        let mark = |id, day| {
            Change::Mark(crate::attendance::AttendanceMark {
                id,
                student,
                day,
                half: None,
                kind: crate::attendance::MarkKind::Sick,
            })
        };
        let tomorrow = today().succ_opt().unwrap();
        let batch = [mark(school.record_id(), today()), mark(school.record_id(), tomorrow)];
        let errors = validate_batch(&school.state, &batch, today()).unwrap_err();
        assert!(!errors.is_empty() && errors.iter().all(|(index, _)| *index == 1), "{errors:?}");
    }
}
