//! Test data built the only way real data is: mutations from one device's chain, applied to a
//! `State`. Test-only.
//!
//! [`TestSchool::new`] is a ready nine-year school with two classes and the autumn term of 2026;
//! [`TestSchool::empty`] holds nothing, for tests that build their own county, schools and
//! terms. Dates are written as text, "2026-09-01". Ids grow as records are made, so status
//! events of one day sort in the order a test made them.

use crate::attendance::{AttendanceMark, DayRecord, MarkKind};
use crate::calendar::{DayKind, Term};
use crate::case::{Case, CaseStatus, Measure};
use crate::contact::{Contact, ContactMethod};
use crate::figures::FigureInputs;
use crate::follow_up::{FollowUp, Placement};
use crate::ids::{CaseId, ClassId, CountyId, DeviceId, RecordId, ResidentId, SchoolId, StudentId, TownId};
use crate::investigation::{DropoutReason, Investigation};
use crate::mutation::{Change, DeviceChain};
use crate::notice::{Notice, NoticeKind};
use crate::org::{Class, County, Grade, School, SchoolKind, Town};
use crate::resident::Resident;
use crate::risk::Level;
use crate::settings::Rules;
use crate::state::State;
use crate::status::{Status, StatusEvent};
use crate::student::{Flag, FlagEvent, Gender, Student};
use crate::student_number::id_check_digit;
use chrono::NaiveDate;

/// The school of [`TestSchool::new`], a nine-year school (九年一贯制) of 某镇.
pub const SCHOOL: SchoolId = SchoolId::from_u128(0x5c);
/// A junior school (初中) of the same town, with no classes and no term.
pub const OTHER_SCHOOL: SchoolId = SchoolId::from_u128(0x5d);
/// Grade 1, 一年级(1)班.
pub const CLASS_1: ClassId = ClassId::from_u128(0xc1);
/// Grade 7, 七年级(2)班.
pub const CLASS_7: ClassId = ClassId::from_u128(0xc7);

pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A valid 18-character 身份证 number of the test county for a child born on `birth`
/// ("20130501"), with a 3-digit `sequence`.
pub fn id_number(birth: &str, sequence: &str) -> String {
    let first17 = format!("430521{birth}{sequence}");
    format!("{first17}{}", id_check_digit(&first17).unwrap())
}

pub struct TestSchool {
    pub state: State,
    /// Every mutation made, in order.
    pub mutations: Vec<crate::mutation::Mutation>,
    chain: DeviceChain,
    now_ms: u64,
    next_id: u128,
}

impl TestSchool {
    /// No records at all.
    pub fn empty() -> Self {
        TestSchool {
            state: State::default(),
            mutations: Vec::new(),
            chain: DeviceChain::new(DeviceId::from_u128(0xde)),
            now_ms: 1_780_000_000_000,
            next_id: 0x1000,
        }
    }

    /// A nine-year school ([`SCHOOL`]) with a grade-1 and a grade-7 class and the autumn term of
    /// 2026 (Tuesday 1 September 2026 to 20 January 2027), with National Day week off and a
    /// 农忙假 on Monday 12 October; and [`OTHER_SCHOOL`] in the same town.
    pub fn new() -> Self {
        let mut school = TestSchool::empty();
        let county = school.county();
        let town = school.town(county);
        school.put_school(SCHOOL, town, "某镇中心校", SchoolKind::NineYear);
        school.put_school(OTHER_SCHOOL, town, "城关二中", SchoolKind::Junior);
        school.put_class(CLASS_1, SCHOOL, 1, "一年级(1)班", "王老师");
        school.put_class(CLASS_7, SCHOOL, 7, "七年级(2)班", "王老师");
        school.autumn_term(SCHOOL);
        for date in ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"] {
            school.day_kind(SCHOOL, date, DayKind::Holiday);
        }
        school.day_kind(SCHOOL, "2026-10-12", DayKind::FarmBreak);
        school
    }

    /// Makes `change` the next mutation of this device and applies it.
    pub fn apply(&mut self, change: Change) {
        self.now_ms += 1_000;
        let random = self.fresh_id().to_le_bytes()[..10].try_into().unwrap();
        let mutation = self.chain.next("王老师", SCHOOL, change, self.now_ms, random);
        self.state.apply(&mutation);
        self.mutations.push(mutation);
    }

    fn fresh_id(&mut self) -> u128 {
        self.next_id += 1;
        self.next_id
    }

    /// An id no record has yet.
    pub fn record_id(&mut self) -> RecordId {
        RecordId::from_u128(self.fresh_id())
    }

    /// The figures' view of the state.
    pub fn inputs(&self) -> FigureInputs<'_> {
        FigureInputs::new(&self.state)
    }

    // The organisation and its calendar.

    pub fn county(&mut self) -> CountyId {
        let id = CountyId::from_u128(self.fresh_id());
        self.apply(Change::PutCounty(County { id, name: "某县".into() }));
        id
    }

    pub fn town(&mut self, county: CountyId) -> TownId {
        let id = TownId::from_u128(self.fresh_id());
        self.apply(Change::PutTown(Town { id, county, name: "某镇".into() }));
        id
    }

    /// A school of `kind` with the autumn term of 2026.
    pub fn school(&mut self, town: TownId, kind: SchoolKind) -> SchoolId {
        let id = SchoolId::from_u128(self.fresh_id());
        self.put_school(id, town, "某校", kind);
        self.autumn_term(id);
        id
    }

    /// A county with one town and one school of `kind`.
    pub fn one_school(&mut self, kind: SchoolKind) -> SchoolId {
        let county = self.county();
        let town = self.town(county);
        self.school(town, kind)
    }

    fn put_school(&mut self, id: SchoolId, town: TownId, name: &str, kind: SchoolKind) {
        self.apply(Change::PutSchool(School { id, town, name: name.into(), kind }));
    }

    pub fn class(&mut self, school: SchoolId, grade: u8, head_teacher: &str) -> ClassId {
        let id = ClassId::from_u128(self.fresh_id());
        self.put_class(id, school, grade, &format!("{grade}年级"), head_teacher);
        id
    }

    fn put_class(&mut self, id: ClassId, school: SchoolId, grade: u8, name: &str, head_teacher: &str) {
        let grade = Grade::new(grade).unwrap();
        self.apply(Change::PutClass(Class { id, school, grade, name: name.into(), head_teacher: head_teacher.into() }));
    }

    fn autumn_term(&mut self, school: SchoolId) {
        let term = Term { name: "2026年秋季学期".into(), start: day("2026-09-01"), end: day("2027-01-20") };
        self.apply(Change::SetTerm { school, term });
    }

    /// A term of `school` from `start` to `end`, named after its start.
    pub fn term(&mut self, school: SchoolId, start: &str, end: &str) {
        let term = Term { name: format!("{start} 学期"), start: day(start), end: day(end) };
        self.apply(Change::SetTerm { school, term });
    }

    pub fn day_kind(&mut self, school: SchoolId, date: &str, kind: DayKind) {
        self.apply(Change::SetDay { school, date: day(date), kind });
    }

    pub fn rules(&mut self, school: SchoolId, rules: Rules) {
        self.apply(Change::SetRules { school, rules });
    }

    // Students.

    /// A grade-7 student of [`CLASS_7`] born on 2013-05-01 (13 on 1 September 2026), not yet
    /// applied: a test changes the fields it needs.
    pub fn seventh_grader(&mut self, name: &str, number: Option<&str>) -> Student {
        Student {
            id: StudentId::from_u128(self.fresh_id()),
            school: SCHOOL,
            student_number: number.map(str::to_owned),
            name: name.into(),
            gender: Gender::Male,
            birth_date: day("2013-05-01"),
            grade: Grade::new(7).unwrap(),
            class: CLASS_7,
            village: "上村".into(),
            address: "上村3组".into(),
            guardian: "张父".into(),
            guardian_phone: "13800000000".into(),
            id_number: None,
        }
    }

    /// A grade-7 student on the roll, enrolled on the first day of term.
    pub fn enrol(&mut self, name: &str, number: Option<&str>) -> StudentId {
        let student = self.seventh_grader(name, number);
        let id = student.id;
        self.apply(Change::PutStudent(student));
        self.status(id, "2026-09-01", Status::Enrolled, "学籍导入");
        id
    }

    /// A student of [`SCHOOL`] in `grade`, born on `birth_date`, with no status yet. The class
    /// is left as [`CLASS_7`]: the questions that use this read the grade, not the class.
    pub fn student_of_grade(&mut self, grade: u8, birth_date: &str) -> StudentId {
        let student = Student {
            grade: Grade::new(grade).unwrap(),
            birth_date: day(birth_date),
            ..self.seventh_grader("张小明", None)
        };
        let id = student.id;
        self.apply(Change::PutStudent(student));
        id
    }

    /// A student of `class`, with no status yet.
    pub fn student(&mut self, class: ClassId) -> StudentId {
        let class = self.state.classes[&class].value.clone();
        let mut student = self.seventh_grader("", None);
        student.name = format!("学生{}", student.id);
        (student.school, student.grade, student.class) = (class.school, class.grade, class.id);
        let id = student.id;
        self.apply(Change::PutStudent(student));
        id
    }

    /// A student of `class` with each status in turn: `&[("2026-08-25", Enrolled), ...]`.
    pub fn student_with(&mut self, class: ClassId, history: &[(&str, Status)]) -> StudentId {
        let student = self.student(class);
        for (date, status) in history {
            self.status(student, date, *status, "学籍变动");
        }
        student
    }

    /// `count` students of `class` enrolled on `date`.
    pub fn enrolled(&mut self, class: ClassId, date: &str, count: usize) -> Vec<StudentId> {
        (0..count).map(|_| self.student_with(class, &[(date, Status::Enrolled)])).collect()
    }

    // Records about a student.

    pub fn status(&mut self, student: StudentId, date: &str, status: Status, evidence: &str) -> RecordId {
        let id = self.record_id();
        let event = StatusEvent { id, student, date: day(date), status, evidence: evidence.into() };
        self.apply(Change::RecordStatus(event));
        id
    }

    /// The register of `class` (of `school`) handed in on every school day from `from` to `to`.
    pub fn record_days(&mut self, school: SchoolId, class: ClassId, from: &str, to: &str) {
        for date in self.state.calendar(school).school_days(day(from), day(to)) {
            let id = self.record_id();
            self.apply(Change::RecordDay(DayRecord { id, class, date }));
        }
    }

    pub fn mark(&mut self, student: StudentId, date: &str, kind: MarkKind) -> RecordId {
        let id = self.record_id();
        self.apply(Change::Mark(AttendanceMark { id, student, day: day(date), half: None, kind }));
        id
    }

    pub fn flag(&mut self, student: StudentId, flag: Flag, date: &str) {
        self.flag_event(student, flag, date, true);
    }

    pub fn flag_cleared(&mut self, student: StudentId, flag: Flag, date: &str) {
        self.flag_event(student, flag, date, false);
    }

    fn flag_event(&mut self, student: StudentId, flag: Flag, date: &str, set: bool) {
        let id = self.record_id();
        let event = FlagEvent { id, student, flag, set, date: day(date), evidence: "家访".into() };
        self.apply(Change::RecordFlag(event));
    }

    /// A contact made by 王老师.
    pub fn contact(&mut self, student: StudentId, date: &str, method: ContactMethod) -> RecordId {
        self.contact_by(student, date, method, &["王老师"])
    }

    pub fn contact_by(&mut self, student: StudentId, date: &str, method: ContactMethod, visitors: &[&str]) -> RecordId {
        let id = self.record_id();
        self.apply(Change::LogContact(Contact {
            id,
            student,
            case: None,
            date: day(date),
            method,
            visitors: visitors.iter().map(|name| name.to_string()).collect(),
            met: "父亲".into(),
            said: "孩子在家".into(),
            outcome: "答应返校".into(),
            next_step: String::new(),
            next_date: None,
        }));
        id
    }

    /// A row of the 排查台账, by 李主任.
    pub fn investigate(&mut self, student: StudentId, date: &str, reasons: &[DropoutReason]) -> RecordId {
        let id = self.record_id();
        self.apply(Change::RecordInvestigation(Investigation {
            id,
            student,
            found_on: day(date),
            reasons: reasons.to_vec(),
            investigator: "李主任".into(),
            note: String::new(),
        }));
        id
    }

    /// An open case (一人一案) of `student`, run by 王老师, due on 30 November 2026.
    pub fn open_case(&mut self, student: StudentId) -> CaseId {
        let case = CaseId::from_u128(self.fresh_id());
        self.apply(Change::OpenCase(Case {
            id: case,
            student,
            responsible: vec!["王老师".into()],
            difficulty: Level::Medium,
            measures: vec![Measure::HomeVisit],
            deadline: day("2026-11-30"),
            status: CaseStatus::Open,
            outcome: String::new(),
            found_on: None,
            difficulty_note: String::new(),
            opened_on: None,
        }));
        case
    }

    /// The child of `case` placed back in [`CLASS_7`] on `date` (复学安置).
    pub fn placement(&mut self, student: StudentId, case: CaseId, date: &str) -> RecordId {
        let id = self.record_id();
        let returned_on = day(date);
        self.apply(Change::RecordPlacement(Placement {
            id,
            student,
            case,
            returned_on,
            class: CLASS_7,
            catch_up_plan: "数学补课".into(),
        }));
        id
    }

    /// A follow-up of `case` on `date` finding the child in class.
    pub fn follow_up(&mut self, student: StudentId, case: CaseId, date: &str) -> RecordId {
        let id = self.record_id();
        let date = day(date);
        self.apply(Change::RecordFollowUp(FollowUp { id, student, case, date, attending: true, note: String::new() }));
        id
    }

    /// A 《限期复学通知书》 of `case` issued on `issued` by the town, to return by `deadline`.
    pub fn notice(&mut self, student: StudentId, case: CaseId, issued: &str, deadline: &str) -> RecordId {
        let id = self.record_id();
        self.apply(Change::IssueNotice(Notice {
            id,
            student,
            case,
            kind: NoticeKind::ReturnByDeadline,
            issued_on: day(issued),
            issuer: "某镇人民政府".into(),
            deadline: Some(day(deadline)),
            number: "某政通〔2026〕1号".into(),
        }));
        id
    }

    /// A contact of `case` by 王老师, with its next step's date if any.
    pub fn case_contact(
        &mut self,
        student: StudentId,
        case: CaseId,
        date: &str,
        method: ContactMethod,
        next_date: Option<&str>,
    ) -> RecordId {
        let id = self.record_id();
        self.apply(Change::LogContact(Contact {
            id,
            student,
            case: Some(case),
            date: day(date),
            method,
            visitors: vec!["王老师".into()],
            met: "父亲".into(),
            said: "孩子不愿上学".into(),
            outcome: "未返校".into(),
            next_step: if next_date.is_some() { "再次家访".into() } else { String::new() },
            next_date: next_date.map(day),
        }));
        id
    }

    /// Sets the status of `case` by hand.
    pub fn case_status(&mut self, case: CaseId, status: CaseStatus) {
        self.apply(Change::EditCase { case, field: crate::case::CaseField::Status(status) });
    }

    /// Sets the phone's clock to 09:00 Beijing time on `date`: what follows is written that day.
    pub fn at(&mut self, date: &str) {
        let midnight_utc = day(date).and_hms_opt(1, 0, 0).unwrap().and_utc().timestamp_millis();
        self.now_ms = u64::try_from(midnight_utc).unwrap();
    }

    pub fn retract(&mut self, record: RecordId) {
        self.apply(Change::Retract { record, reason: "录入错误".into() });
    }

    // The resident list (户籍).

    /// A child of `school`'s catchment, matched to `student` if given.
    pub fn resident(
        &mut self,
        school: SchoolId,
        name: &str,
        birth_date: &str,
        student: Option<StudentId>,
    ) -> ResidentId {
        self.put_resident(school, name, birth_date, None, student)
    }

    /// A child of `school`'s catchment whose 身份证 number is on the list, matched to no student.
    pub fn resident_with_id(&mut self, school: SchoolId, name: &str, birth_date: &str, id_number: &str) -> ResidentId {
        self.put_resident(school, name, birth_date, Some(id_number.to_owned()), None)
    }

    fn put_resident(
        &mut self,
        school: SchoolId,
        name: &str,
        birth_date: &str,
        id_number: Option<String>,
        student: Option<StudentId>,
    ) -> ResidentId {
        let id = ResidentId::from_u128(self.fresh_id());
        self.apply(Change::PutResident(Resident {
            id,
            school,
            name: name.into(),
            gender: Gender::Female,
            birth_date: day(birth_date),
            village: "上村".into(),
            id_number,
            student,
        }));
        id
    }
}
