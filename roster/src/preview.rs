//! What an import would do, shown before anything is written: new students, students whose
//! fields change, classes to create, and every bad row. The app writes [`Preview::changes`]
//! only after the teacher confirms.
//!
//! A row is the same child as a student already on the roster when their 学籍号 is equal; a
//! row without one (or a student without one) matches by name and birth date when exactly one
//! student of the school has them. So a re-import updates and never duplicates. An empty cell
//! never erases what the roster holds: a file without phone numbers does not blank the numbers
//! teachers typed in.

use crate::class_text::ClassKey;
use crate::destination::{plan, ClassPlan, Destination, FileClass, Placing};
use crate::error::{Problem, RosterError, RowError};
use crate::header::{Columns, Field};
use crate::row::{read_rows, FlagHint, RosterRow};
use crate::sheet::Sheet;
use baoxue_domain::date_text::YearMonth;
use baoxue_domain::hlc::Hlc;
use baoxue_domain::id_number::IdNumber;
use baoxue_domain::ids::{ClassId, DeviceId, RecordId, SchoolId, StudentId};
use baoxue_domain::mutation::Change;
use baoxue_domain::org::Class;
use baoxue_domain::state::{Stamped, State};
use baoxue_domain::status::{Status, StatusEvent};
use baoxue_domain::student::{flags_on, FieldKey, Flag, FlagEvent, Student};
use baoxue_domain::student_number::StudentNumber;
use baoxue_domain::validate::{validate, StudentLabel, ValidationError};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The evidence written on the status event of a newly imported student.
pub const IMPORT_EVIDENCE: &str = "名册导入 (roster import)";

/// A student the import would add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewStudent {
    pub row: RosterRow,
    /// The date of the student's first 在读 event: see [`enrolled_from`].
    pub enrolled_from: NaiveDate,
}

/// A student already on the roster whose record the import would change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdatedStudent {
    pub row: RosterRow,
    /// The student as the roster holds them now.
    pub before: Student,
    /// The fields that change; empty when only flags are new.
    pub changed: Vec<FieldKey>,
    /// Flags the file states that the student does not hold now.
    pub new_flags: Vec<FlagHint>,
}

/// What an import would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub school: SchoolId,
    pub today: NaiveDate,
    /// The row the column names were found on.
    pub header_row: usize,
    pub new: Vec<NewStudent>,
    pub updated: Vec<UpdatedStudent>,
    /// Rows that match a student exactly: nothing to write.
    pub unchanged: usize,
    /// Every problem of every row left out, sorted by row.
    pub errors: Vec<RowError>,
    /// Classes the import creates (the file's classes placed in a new class), by grade and
    /// number.
    pub classes_to_create: Vec<ClassKey>,
    /// Each class of the file, where its children go and where they may go instead.
    pub classes: Vec<ClassPlan>,
    /// The school's classes that receive the file's classes, by the file class's key.
    existing_classes: BTreeMap<ClassKey, ClassId>,
}

/// Reads the rows of `sheet` and compares them with the students of `school` in `existing`.
/// Fails only when the sheet as a whole is no roster; a bad row is listed in
/// [`Preview::errors`] and the others still import. Each class of the file goes where
/// [`crate::destination::plan`] places it by default.
pub fn preview(sheet: &Sheet, existing: &State, school: SchoolId, today: NaiveDate) -> Result<Preview, RosterError> {
    preview_placing(sheet, existing, school, today, &Placing::default())
}

/// [`preview`] with the phone's class and the teacher's choice of where each class of the file
/// goes.
pub fn preview_placing(
    sheet: &Sheet,
    existing: &State,
    school: SchoolId,
    today: NaiveDate,
    placing: &Placing,
) -> Result<Preview, RosterError> {
    let rows = read_rows(sheet)?;
    let roster = Roster::of(existing, school, today);
    let mut file_classes: BTreeMap<ClassKey, FileClass> = BTreeMap::new();
    for row in &rows.rows {
        let file_class =
            file_classes.entry(row.class).or_insert(FileClass { key: row.class, rows: 0, matched_in: Vec::new() });
        file_class.rows += 1;
        file_class.matched_in.extend(roster.match_of(row).map(|student| student.class));
    }
    let file_classes: Vec<FileClass> = file_classes.into_values().collect();
    let classes = plan(existing, school, placing, &file_classes);
    let existing_classes: BTreeMap<ClassKey, ClassId> = classes
        .iter()
        .filter_map(|plan| match plan.to {
            Destination::Class(id) => Some((plan.file_class, id)),
            Destination::New => None,
        })
        .collect();
    let classes_to_create: Vec<ClassKey> =
        classes.iter().filter(|plan| plan.to == Destination::New).map(|plan| plan.file_class).collect();
    let checker = Checker::new(existing, school, today, &existing_classes, &classes_to_create, &rows.columns);
    let term_start = existing.calendar(school).term_of(today).map(|term| term.start);

    let mut preview = Preview {
        school,
        today,
        header_row: rows.columns.header_row,
        new: Vec::new(),
        updated: Vec::new(),
        unchanged: 0,
        errors: rows.errors,
        classes_to_create: Vec::new(),
        classes,
        existing_classes: BTreeMap::new(),
    };
    for (index, row) in rows.rows.into_iter().enumerate() {
        let before = roster.match_of(&row);
        let class = checker.class_id(row.class);
        let (id, after) = match before {
            Some(before) => (before.id, merged(before, &row, class)),
            // An id no student has, for validation only; the real one comes from `changes`.
            None => {
                let id = StudentId::from_u128(u128::MAX - 1_000_000 - index as u128);
                (id, student_of(&row, id, school, class))
            }
        };
        let new_flags: Vec<FlagHint> =
            row.flags.iter().filter(|hint| !roster.holds_flag(id, hint.flag)).cloned().collect();
        let changed = before.map(|before| changed_fields(before, &after)).unwrap_or_default();
        if before.is_some() && changed.is_empty() && new_flags.is_empty() {
            preview.unchanged += 1;
            continue;
        }
        let problems = checker.check(&after, &roster);
        if !problems.is_empty() {
            preview.errors.extend(problems.into_iter().map(|error| checker.row_error(&row, error)));
            continue;
        }
        match before {
            Some(before) => preview.updated.push(UpdatedStudent { row, before: before.clone(), changed, new_flags }),
            None => {
                let enrolled_from = enrolled_from(&row, term_start, today);
                preview.new.push(NewStudent { row, enrolled_from });
            }
        }
    }
    preview.errors.sort_by_key(|error| error.row);
    // Only classes a row that imports needs.
    let needed = |key: &ClassKey| {
        preview.new.iter().any(|new| new.row.class == *key)
            || preview.updated.iter().any(|updated| updated.row.class == *key)
    };
    preview.classes_to_create = classes_to_create.into_iter().filter(needed).collect();
    preview.existing_classes = existing_classes;
    Ok(preview)
}

impl Preview {
    /// The changes that carry out the import, for the app to write once the teacher confirms:
    /// a `PutClass` for each new class, then for each new student a `PutStudent`, a 在读 status
    /// event dated [`NewStudent::enrolled_from`] and the flags the file states; for each updated
    /// student a `PutStudent` with their own id and the flags newly stated (never a second 在读:
    /// it would undo a 转出 or 辍学 recorded since). `make_id` gives a fresh UUIDv7 each call
    /// (the crate has no clock or random source).
    pub fn changes(&self, mut make_id: impl FnMut() -> Uuid) -> Vec<Change> {
        let mut changes = Vec::new();
        let mut class_ids = self.existing_classes.clone();
        for key in &self.classes_to_create {
            let class = Class {
                id: ClassId(make_id()),
                school: self.school,
                grade: key.grade,
                name: key.name(),
                head_teacher: String::new(),
            };
            class_ids.insert(*key, class.id);
            changes.push(Change::PutClass(class));
        }
        let class_of = |key: ClassKey| class_ids.get(&key).copied().unwrap_or(ClassId(Uuid::nil()));
        let flag_changes = |student: StudentId, flags: &[FlagHint], make_id: &mut dyn FnMut() -> Uuid| {
            flags
                .iter()
                .map(|hint| {
                    Change::RecordFlag(FlagEvent {
                        id: RecordId(make_id()),
                        student,
                        flag: hint.flag,
                        set: true,
                        date: self.today,
                        evidence: hint.evidence.clone(),
                    })
                })
                .collect::<Vec<_>>()
        };
        for new in &self.new {
            let id = StudentId(make_id());
            changes.push(Change::PutStudent(student_of(&new.row, id, self.school, class_of(new.row.class))));
            changes.push(Change::RecordStatus(StatusEvent {
                id: RecordId(make_id()),
                student: id,
                date: new.enrolled_from,
                status: Status::Enrolled,
                evidence: IMPORT_EVIDENCE.to_owned(),
            }));
            changes.extend(flag_changes(id, &new.row.flags, &mut make_id));
        }
        for updated in &self.updated {
            if !updated.changed.is_empty() {
                let after = merged(&updated.before, &updated.row, class_of(updated.row.class));
                changes.push(Change::PutStudent(after));
            }
            changes.extend(flag_changes(updated.before.id, &updated.new_flags, &mut make_id));
        }
        changes
    }

    /// Rows that would be written.
    pub fn importing(&self) -> usize {
        self.new.len() + self.updated.len()
    }
}

/// The day from which a newly imported child counts as 在读: the first of their 入学年月 when the
/// file gives it (when they entered the school), else the start of the term holding the import
/// day, else the import day itself; never later than the import day. A child on a roster has
/// been at school since well before a teacher found time to import it, and a 转出 or 辍学 dated
/// in between, entered afterwards, must count from its own date rather than lose to an 在读 of
/// the import day.
pub fn enrolled_from(row: &RosterRow, term_start: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    row.entry_month.map(YearMonth::first_day).or(term_start).unwrap_or(today).min(today)
}

fn student_of(row: &RosterRow, id: StudentId, school: SchoolId, class: ClassId) -> Student {
    Student {
        id,
        school,
        student_number: row.student_number.as_ref().map(|number| number.as_str().to_owned()),
        name: row.name.clone(),
        gender: row.gender,
        birth_date: row.birth_date,
        grade: row.grade(),
        class,
        village: row.village.clone(),
        address: row.address.clone(),
        guardian: row.guardian.clone(),
        guardian_phone: row.guardian_phone.clone(),
        id_number: row.id_number.as_ref().map(|number| number.as_str().to_owned()),
    }
}

/// `before` with the row's values written over it, except where the row's cell is empty.
fn merged(before: &Student, row: &RosterRow, class: ClassId) -> Student {
    let keep_if_empty = |new: &str, old: &str| if new.is_empty() { old.to_owned() } else { new.to_owned() };
    Student {
        student_number: row
            .student_number
            .as_ref()
            .map(|number| number.as_str().to_owned())
            .or_else(|| before.student_number.clone()),
        village: keep_if_empty(&row.village, &before.village),
        address: keep_if_empty(&row.address, &before.address),
        guardian: keep_if_empty(&row.guardian, &before.guardian),
        guardian_phone: keep_if_empty(&row.guardian_phone, &before.guardian_phone),
        id_number: row.id_number.as_ref().map(|number| number.as_str().to_owned()).or_else(|| before.id_number.clone()),
        ..student_of(row, before.id, before.school, class)
    }
}

fn changed_fields(before: &Student, after: &Student) -> Vec<FieldKey> {
    before.fields().into_iter().zip(after.fields()).filter(|(old, new)| old != new).map(|(old, _)| old.key()).collect()
}

/// The school's students, indexed for matching rows.
struct Roster {
    students: Vec<Student>,
    by_number: HashMap<String, usize>,
    by_name_and_birth: HashMap<(String, NaiveDate), Vec<usize>>,
    /// Flags each student holds on the day of the import.
    flags: HashMap<StudentId, Vec<Flag>>,
    /// Students of other schools (a device normally holds none) who hold a 学籍号 and are still
    /// on a roll there.
    numbers_elsewhere: HashMap<String, Student>,
}

impl Roster {
    fn of(state: &State, school: SchoolId, today: NaiveDate) -> Roster {
        let (students, others): (Vec<Student>, Vec<Student>) =
            state.students().into_iter().partition(|student| student.school == school);
        let number_of = |student: &Student| {
            student.student_number.as_deref().and_then(|text| StudentNumber::parse(text).ok()).map(String::from)
        };
        let mut by_number = HashMap::new();
        let mut by_name_and_birth: HashMap<(String, NaiveDate), Vec<usize>> = HashMap::new();
        for (index, student) in students.iter().enumerate() {
            if let Some(number) = number_of(student) {
                by_number.entry(number).or_insert(index);
            }
            by_name_and_birth.entry((student.name.trim().to_owned(), student.birth_date)).or_default().push(index);
        }
        let mut events: HashMap<StudentId, Vec<FlagEvent>> = HashMap::new();
        for stamped in state.flag_events.values().filter(|stamped| !state.is_retracted(stamped.value.id)) {
            events.entry(stamped.value.student).or_default().push(stamped.value.clone());
        }
        let flags = events
            .into_iter()
            .map(|(student, events)| {
                (student, flags_on(&events, today).into_iter().map(|active| active.flag).collect())
            })
            .collect();
        let numbers_elsewhere = others
            .into_iter()
            .filter(|other| {
                let status = state.timeline(other.id).recorded_on(today);
                !status.is_some_and(|status| status.left_lawfully() || status == Status::TransferOutPending)
            })
            .filter_map(|other| number_of(&other).map(|number| (number, other)))
            .collect();
        Roster { students, by_number, by_name_and_birth, flags, numbers_elsewhere }
    }

    /// The student a row is: by 学籍号, or else by name and birth date when exactly one
    /// student has them (and has no other 学籍号).
    fn match_of(&self, row: &RosterRow) -> Option<&Student> {
        if let Some(number) = &row.student_number {
            if let Some(index) = self.by_number.get(number.as_str()) {
                return self.students.get(*index);
            }
        }
        let same = self.by_name_and_birth.get(&(row.name.clone(), row.birth_date))?;
        let candidates: Vec<&Student> = same
            .iter()
            .filter_map(|index| self.students.get(*index))
            .filter(|student| row.student_number.is_none() || student.student_number.is_none())
            .collect();
        match candidates.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    fn holds_flag(&self, student: StudentId, flag: Flag) -> bool {
        self.flags.get(&student).is_some_and(|flags| flags.contains(&flag))
    }
}

/// Runs the domain's validation on each student an import would write. It validates against a
/// state holding only the school and its classes (with the classes the import would create),
/// so each check is quick; whether another student holds the 学籍号 is settled by matching
/// rows to students, and checked here for students of other schools.
struct Checker<'a> {
    state: State,
    today: NaiveDate,
    class_ids: BTreeMap<ClassKey, ClassId>,
    columns: &'a Columns,
}

impl<'a> Checker<'a> {
    fn new(
        existing: &State,
        school: SchoolId,
        today: NaiveDate,
        existing_classes: &BTreeMap<ClassKey, ClassId>,
        classes_to_create: &[ClassKey],
        columns: &'a Columns,
    ) -> Self {
        let mut state = State::default();
        if let Some(stamped) = existing.schools.get(&school) {
            state.schools.insert(school, stamped.clone());
        }
        for (id, stamped) in existing.classes.iter().filter(|(_, stamped)| stamped.value.school == school) {
            state.classes.insert(*id, stamped.clone());
        }
        let mut class_ids = existing_classes.clone();
        for (index, key) in classes_to_create.iter().enumerate() {
            // An id no class has, for validation only; the real one comes from `changes`.
            let id = ClassId::from_u128(u128::MAX - index as u128);
            let class = Class { id, school, grade: key.grade, name: key.name(), head_teacher: String::new() };
            let stamp = Hlc::zero(DeviceId::from_u128(0));
            state.classes.insert(id, Stamped { stamp, author: String::new(), value: class });
            class_ids.insert(*key, id);
        }
        Checker { state, today, class_ids, columns }
    }

    fn class_id(&self, key: ClassKey) -> ClassId {
        self.class_ids.get(&key).copied().unwrap_or(ClassId(Uuid::nil()))
    }

    fn check(&self, student: &Student, roster: &Roster) -> Vec<ValidationError> {
        let mut problems =
            validate(&self.state, &Change::PutStudent(student.clone()), self.today).err().unwrap_or_default();
        let elsewhere = student.student_number.as_deref().and_then(|number| roster.numbers_elsewhere.get(number));
        if let (Some(other), Some(number)) =
            (elsewhere, student.student_number.as_deref().and_then(|text| StudentNumber::parse(text).ok()))
        {
            problems.push(ValidationError::DuplicateStudentNumber {
                student: StudentLabel::of(student),
                number,
                other: StudentLabel::of(other),
            });
        }
        problems
    }

    /// A validation error as a problem of the row, in the column it is about.
    fn row_error(&self, row: &RosterRow, error: ValidationError) -> RowError {
        let field = match &error {
            ValidationError::BornInFuture { .. }
            | ValidationError::TooOld { .. }
            | ValidationError::TooYoung { .. }
            | ValidationError::NumberBirthDateDiffers { .. } => Some(Field::BirthDate),
            ValidationError::AgeFarFromGrade { .. }
            | ValidationError::GradeNotTaught { .. }
            | ValidationError::GradeOutOfRange { .. } => Some(Field::Grade),
            ValidationError::UnknownClass { .. } | ValidationError::ClassOfOtherGrade { .. } => Some(Field::Class),
            ValidationError::BadStudentNumber { .. } | ValidationError::DuplicateStudentNumber { .. } => {
                Some(Field::StudentNumber)
            }
            ValidationError::BadIdNumber { .. } | ValidationError::IdBirthDateDiffers { .. } => Some(Field::IdNumber),
            ValidationError::Blank { .. } => Some(Field::Name),
            _ => None,
        };
        let column = field.and_then(|field| {
            self.columns.get(field).or_else(|| match field {
                Field::Grade => self.columns.get(Field::Class),
                Field::Class => self.columns.get(Field::Grade),
                Field::StudentNumber => self.columns.get(Field::IdNumber),
                _ => None,
            })
        });
        let (column, value) = match column {
            Some(column) => (column.header.clone(), value_of(row, column.field)),
            None => (String::new(), String::new()),
        };
        RowError { row: row.row, column, value, problem: Problem::Invalid(error) }
    }
}

/// The value of a field as the row read it, for an error found after reading.
fn value_of(row: &RosterRow, field: Field) -> String {
    match field {
        Field::BirthDate => row.birth_date.to_string(),
        Field::Grade => crate::class_text::grade_name(row.grade()).to_owned(),
        Field::Class => row.class.name(),
        Field::StudentNumber => {
            row.student_number.as_ref().map(|number| number.as_str().to_owned()).unwrap_or_default()
        }
        // The ID identifies the child anywhere: a list shows its last four characters only.
        Field::IdNumber => row.id_number.as_ref().map(IdNumber::masked).unwrap_or_default(),
        Field::Name => row.name.clone(),
        _ => String::new(),
    }
}
