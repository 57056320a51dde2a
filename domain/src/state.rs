//! A school's data as the merge of its mutations. Applying the same mutations in any order, any
//! number of times, gives the same state: editable values keep the value with the highest
//! stamp, append-only records are a union by id, and a mutation id seen before is skipped.
//!
//! `apply` also keeps indexes (status events, flag events and marks by student; students by
//! school, class and 学籍号) so that a screen showing one class on one day reads by key rather
//! than scanning a town's records on every tap. They are derived from the merged values only,
//! so two states that merged the same mutations hold the same indexes, whatever the order.

use crate::attendance::{AttendanceMark, DayRecord};
use crate::calendar::Calendar;
use crate::case::{Case, CaseFieldKey};
use crate::contact::Contact;
use crate::follow_up::{FollowUp, Placement};
use crate::hlc::Hlc;
use crate::ids::{CaseId, ClassId, CountyId, DeviceId, MutationId, RecordId, ResidentId, SchoolId, StudentId, TownId};
use crate::investigation::Investigation;
use crate::mutation::{Change, Mutation};
use crate::notice::Notice;
use crate::org::{Class, County, School, Town};
use crate::resident::Resident;
use crate::settings::Rules;
use crate::status::{StatusEvent, Timeline};
use crate::student::{FieldKey, FlagEvent, Student, StudentField};
use crate::student_number::StudentNumber;
use crate::survey::SurveyAnswer;
use crate::sync::ContestedSlot;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// A value with the stamp and author of the mutation that set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamped<T> {
    pub stamp: Hlc,
    pub author: String,
    pub value: T,
}

impl<T> Stamped<T> {
    fn of(origin: &Origin<'_>, value: T) -> Self {
        Stamped { stamp: origin.stamp, author: origin.author.to_owned(), value }
    }
}

/// The stamp and author of the mutation being merged.
struct Origin<'a> {
    stamp: Hlc,
    author: &'a str,
}

/// Keeps the value with the higher stamp: last writer wins. Answers whether `stamped` was kept,
/// and the value it replaced, so an index can move the record.
fn put_if_newer<K: Ord, T>(map: &mut BTreeMap<K, Stamped<T>>, key: K, stamped: Stamped<T>) -> Kept<T> {
    match map.get(&key) {
        Some(held) if held.stamp >= stamped.stamp => Kept::No,
        _ => Kept::Yes { replaced: map.insert(key, stamped).map(|held| held.value) },
    }
}

enum Kept<T> {
    No,
    Yes { replaced: Option<T> },
}

impl<T> Kept<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Kept<U> {
        match self {
            Kept::No => Kept::No,
            Kept::Yes { replaced } => Kept::Yes { replaced: replaced.map(f) },
        }
    }
}

/// An index: (key, id) pairs, so a key's ids are one range read. Every index has this one
/// type, so the wasm carries one copy of the B-tree code for all of them: a key type of its own
/// per index made the app about 12 KB (gzip) bigger.
type Pairs = BTreeSet<(Uuid, Uuid)>;

/// Lookups by key, kept up to date by `State::apply`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Indexes {
    /// (student, record) of status events, flag events and marks.
    status_by_student: Pairs,
    flags_by_student: Pairs,
    marks_by_student: Pairs,
    /// (school, student), (class, student) and (a hash of the 学籍号 as parsed, student).
    students_by_school: Pairs,
    students_by_class: Pairs,
    students_by_number: Pairs,
}

/// The keys a student is indexed under: school, class, 学籍号.
#[derive(Clone, Copy, PartialEq, Eq)]
struct StudentKeys([Option<Uuid>; 3]);

fn range_of(key: Uuid) -> std::ops::RangeInclusive<(Uuid, Uuid)> {
    (key, Uuid::from_u128(0))..=(key, Uuid::from_u128(u128::MAX))
}

/// The 学籍号's key in `students_by_number`: FNV-1a of its parsed form. Two numbers may share a
/// key; `students_numbered` compares the numbers themselves.
fn number_key(number: &StudentNumber) -> Uuid {
    let hash = number
        .as_str()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    Uuid::from_u128(u128::from(hash))
}

/// Moves record `id` in a (student, record) index from the student of the value it replaced to
/// the student of the kept value. A record id is written once in practice; this keeps the index
/// right even if two phones wrote the same id for different children.
fn reindex_by_student(index: &mut Pairs, kept: Kept<StudentId>, id: RecordId, student: StudentId) {
    if let Kept::Yes { replaced } = kept {
        if let Some(old) = replaced {
            index.remove(&(old.0, id.0));
        }
        index.insert((student.0, id.0));
    }
}

/// Whether a mutation was new to this state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    New,
    AlreadyApplied,
}

/// What an `OpenCase` fixes for good: the child and the dates it was found and opened. The
/// editable fields merge one by one (`case_fields`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CaseOpening {
    student: StudentId,
    found_on: Option<NaiveDate>,
    opened_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    applied: BTreeSet<MutationId>,
    pub counties: BTreeMap<CountyId, Stamped<County>>,
    pub towns: BTreeMap<TownId, Stamped<Town>>,
    pub schools: BTreeMap<SchoolId, Stamped<School>>,
    pub classes: BTreeMap<ClassId, Stamped<Class>>,
    /// Each field of each student, merged on its own.
    student_fields: BTreeMap<(StudentId, FieldKey), Stamped<crate::student::StudentField>>,
    /// A student's school, set by the newest `PutStudent` like its other fields: a student who
    /// moved school can arrive as two imports that disagree.
    student_schools: BTreeMap<StudentId, Stamped<SchoolId>>,
    case_fields: BTreeMap<(CaseId, CaseFieldKey), Stamped<crate::case::CaseField>>,
    /// A case's child and its dates (found, opened), set by the newest `OpenCase`.
    case_students: BTreeMap<CaseId, Stamped<CaseOpening>>,
    /// For each case field, the newest stamp of each device that set it, also where another
    /// device's value shows: what an edit of the field had seen (`versions_of`).
    case_versions: BTreeMap<(CaseId, CaseFieldKey, DeviceId), Hlc>,
    pub terms: BTreeMap<(SchoolId, String), Stamped<crate::calendar::Term>>,
    pub days: BTreeMap<(SchoolId, NaiveDate), Stamped<crate::calendar::DayKind>>,
    pub rules: BTreeMap<SchoolId, Stamped<Rules>>,
    pub residents: BTreeMap<ResidentId, Stamped<Resident>>,
    pub marks: BTreeMap<RecordId, Stamped<AttendanceMark>>,
    /// Registers handed in, by class and day (a day may be recorded twice, by two phones).
    pub recorded_days: BTreeMap<(ClassId, NaiveDate), BTreeMap<RecordId, Stamped<DayRecord>>>,
    pub status_events: BTreeMap<RecordId, Stamped<StatusEvent>>,
    pub flag_events: BTreeMap<RecordId, Stamped<FlagEvent>>,
    pub investigations: BTreeMap<RecordId, Stamped<Investigation>>,
    pub contacts: BTreeMap<RecordId, Stamped<Contact>>,
    pub notices: BTreeMap<RecordId, Stamped<Notice>>,
    pub placements: BTreeMap<RecordId, Stamped<Placement>>,
    pub follow_ups: BTreeMap<RecordId, Stamped<FollowUp>>,
    pub surveys: BTreeMap<RecordId, Stamped<SurveyAnswer>>,
    /// Tombstones: retracted append-only records, with the reason.
    pub retracted: BTreeMap<RecordId, Stamped<String>>,
    indexes: Indexes,
}

impl State {
    pub fn from_mutations<'a>(mutations: impl IntoIterator<Item = &'a Mutation>) -> Self {
        let mut state = State::default();
        for mutation in mutations {
            state.apply(mutation);
        }
        state
    }

    pub fn apply(&mut self, mutation: &Mutation) -> Applied {
        if self.applied.contains(&mutation.id) {
            return Applied::AlreadyApplied;
        }
        self.merge(mutation.id, Origin { stamp: mutation.stamp, author: &mutation.author }, mutation.change.clone())
    }

    /// `apply` for a mutation the caller is done with: its change is moved into the state rather
    /// than copied, which a start that merges every stored mutation notices.
    pub fn apply_owned(&mut self, mutation: Mutation) -> Applied {
        if self.applied.contains(&mutation.id) {
            return Applied::AlreadyApplied;
        }
        let Mutation { id, stamp, author, change, .. } = mutation;
        self.merge(id, Origin { stamp, author: &author }, change)
    }

    fn merge(&mut self, id: MutationId, origin: Origin<'_>, change: Change) -> Applied {
        self.applied.insert(id);
        match change {
            Change::PutCounty(county) => {
                put_if_newer(&mut self.counties, county.id, Stamped::of(&origin, county));
            }
            Change::PutTown(town) => {
                put_if_newer(&mut self.towns, town.id, Stamped::of(&origin, town));
            }
            Change::PutSchool(school) => {
                put_if_newer(&mut self.schools, school.id, Stamped::of(&origin, school));
            }
            Change::PutClass(class) => {
                put_if_newer(&mut self.classes, class.id, Stamped::of(&origin, class));
            }
            Change::PutStudent(student) => {
                let before = self.student_keys(student.id);
                put_if_newer(&mut self.student_schools, student.id, Stamped::of(&origin, student.school));
                for field in student.fields() {
                    put_if_newer(&mut self.student_fields, (student.id, field.key()), Stamped::of(&origin, field));
                }
                self.reindex_student(student.id, before);
            }
            Change::EditStudent { student, field } => {
                let before = self.student_keys(student);
                put_if_newer(&mut self.student_fields, (student, field.key()), Stamped::of(&origin, field));
                self.reindex_student(student, before);
            }
            Change::OpenCase(case) => {
                let opening = CaseOpening { student: case.student, found_on: case.found_on, opened_on: case.opened_on };
                put_if_newer(&mut self.case_students, case.id, Stamped::of(&origin, opening));
                for field in case.fields() {
                    self.keep_case_version(case.id, field.key(), origin.stamp);
                    put_if_newer(&mut self.case_fields, (case.id, field.key()), Stamped::of(&origin, field));
                }
            }
            Change::EditCase { case, field } => {
                self.keep_case_version(case, field.key(), origin.stamp);
                put_if_newer(&mut self.case_fields, (case, field.key()), Stamped::of(&origin, field));
            }
            Change::SetTerm { school, term } => {
                put_if_newer(&mut self.terms, (school, term.name.clone()), Stamped::of(&origin, term));
            }
            Change::SetDay { school, date, kind } => {
                put_if_newer(&mut self.days, (school, date), Stamped::of(&origin, kind));
            }
            Change::SetRules { school, rules } => {
                put_if_newer(&mut self.rules, school, Stamped::of(&origin, rules));
            }
            Change::PutResident(resident) => {
                put_if_newer(&mut self.residents, resident.id, Stamped::of(&origin, resident));
            }
            Change::Mark(mark) => {
                let (id, student) = (mark.id, mark.student);
                let kept = put_if_newer(&mut self.marks, id, Stamped::of(&origin, mark)).map(|old| old.student);
                reindex_by_student(&mut self.indexes.marks_by_student, kept, id, student);
            }
            Change::RecordDay(record) => {
                let day = self.recorded_days.entry((record.class, record.date)).or_default();
                put_if_newer(day, record.id, Stamped::of(&origin, record));
            }
            Change::RecordStatus(event) => {
                let (id, student) = (event.id, event.student);
                let kept =
                    put_if_newer(&mut self.status_events, id, Stamped::of(&origin, event)).map(|old| old.student);
                reindex_by_student(&mut self.indexes.status_by_student, kept, id, student);
            }
            Change::RecordFlag(event) => {
                let (id, student) = (event.id, event.student);
                let kept = put_if_newer(&mut self.flag_events, id, Stamped::of(&origin, event)).map(|old| old.student);
                reindex_by_student(&mut self.indexes.flags_by_student, kept, id, student);
            }
            Change::RecordInvestigation(row) => {
                put_if_newer(&mut self.investigations, row.id, Stamped::of(&origin, row));
            }
            Change::LogContact(contact) => {
                put_if_newer(&mut self.contacts, contact.id, Stamped::of(&origin, contact));
            }
            Change::IssueNotice(notice) => {
                put_if_newer(&mut self.notices, notice.id, Stamped::of(&origin, notice));
            }
            Change::RecordPlacement(placement) => {
                put_if_newer(&mut self.placements, placement.id, Stamped::of(&origin, placement));
            }
            Change::RecordFollowUp(follow_up) => {
                put_if_newer(&mut self.follow_ups, follow_up.id, Stamped::of(&origin, follow_up));
            }
            Change::RecordSurvey(answer) => {
                put_if_newer(&mut self.surveys, answer.id, Stamped::of(&origin, answer));
            }
            Change::Retract { record, reason } => {
                put_if_newer(&mut self.retracted, record, Stamped::of(&origin, reason));
            }
        }
        Applied::New
    }

    /// Merges change number `index` of a batch not written yet, above every stamp held, as the
    /// device's next mutations will be: for checking a batch whose later changes stand on its
    /// earlier ones (a class on the school made just before it), on a copy that is never stored.
    pub fn merge_pending(&mut self, index: usize, change: &Change) {
        let stamp = Hlc { wall_ms: u64::MAX, counter: index as u32, device: DeviceId::from_u128(0) };
        let id = MutationId::from_u128(u128::MAX - index as u128);
        self.merge(id, Origin { stamp, author: "" }, change.clone());
    }

    /// Whether `class`'s register of `date` was handed in (and not retracted).
    pub fn is_recorded(&self, class: ClassId, date: NaiveDate) -> bool {
        self.recorded_days
            .get(&(class, date))
            .is_some_and(|records| records.keys().any(|id| !self.retracted.contains_key(id)))
    }

    /// The days `class`'s register was handed in.
    pub fn recorded_days_of(&self, class: ClassId) -> BTreeSet<NaiveDate> {
        self.recorded_days
            .range((class, NaiveDate::MIN)..=(class, NaiveDate::MAX))
            .filter(|((_, date), _)| self.is_recorded(class, *date))
            .map(|((_, date), _)| *date)
            .collect()
    }

    /// Whether the mutation `id` is merged in already.
    pub fn has_applied(&self, id: MutationId) -> bool {
        self.applied.contains(&id)
    }

    pub fn is_retracted(&self, record: RecordId) -> bool {
        self.retracted.contains_key(&record)
    }

    /// The school a student is at, without building the whole record.
    pub fn school_of(&self, student: StudentId) -> Option<SchoolId> {
        self.student_schools.get(&student).map(|held| held.value)
    }

    /// A student as it stands: every field at its newest value. `None` for an id whose
    /// `PutStudent` has not arrived yet (an edit can arrive before the create).
    pub fn student(&self, id: StudentId) -> Option<Student> {
        let school = self.student_schools.get(&id)?.value;
        let mut fields = self.student_fields.range((id, FieldKey::StudentNumber)..=(id, FieldKey::IdNumber));
        let first = fields.next()?;
        // A PutStudent writes every field, so a student with a school has them all.
        let mut student = Student {
            id,
            school,
            student_number: None,
            name: String::new(),
            gender: crate::student::Gender::Female,
            birth_date: NaiveDate::MIN,
            grade: crate::org::Grade::new(1).expect("1 is a grade"),
            class: ClassId::from_u128(0),
            village: String::new(),
            address: String::new(),
            guardian: String::new(),
            guardian_phone: String::new(),
            id_number: None,
        };
        first.1.value.write_to(&mut student);
        for (_, stamped) in fields {
            stamped.value.write_to(&mut student);
        }
        Some(student)
    }

    pub fn students(&self) -> Vec<Student> {
        self.student_schools.keys().filter_map(|id| self.student(*id)).collect()
    }

    pub fn case(&self, id: CaseId) -> Option<Case> {
        let opening = self.case_students.get(&id)?.value;
        let mut case = Case {
            id,
            student: opening.student,
            found_on: opening.found_on,
            difficulty_note: String::new(),
            opened_on: opening.opened_on,
            responsible: Vec::new(),
            difficulty: crate::risk::Level::Low,
            measures: Vec::new(),
            deadline: NaiveDate::MIN,
            status: crate::case::CaseStatus::Open,
            outcome: String::new(),
        };
        for (_, stamped) in self.case_fields.range((id, CaseFieldKey::Responsible)..=(id, CaseFieldKey::DifficultyNote))
        {
            stamped.value.write_to(&mut case);
        }
        Some(case)
    }

    pub fn cases(&self) -> Vec<Case> {
        self.case_students.keys().filter_map(|id| self.case(*id)).collect()
    }

    /// Counted attendance marks: for each student, day and half day, the mark with the highest
    /// stamp, leaving out retracted ones.
    pub fn counted_marks(&self) -> Vec<&AttendanceMark> {
        let mut newest: BTreeMap<_, &Stamped<AttendanceMark>> = BTreeMap::new();
        for stamped in self.marks.values().filter(|stamped| !self.is_retracted(stamped.value.id)) {
            let slot = stamped.value.slot();
            if newest.get(&slot).is_none_or(|held| held.stamp < stamped.stamp) {
                newest.insert(slot, stamped);
            }
        }
        newest.into_values().map(|stamped| &stamped.value).collect()
    }

    /// Counted marks of one student (as [`State::counted_marks`]), in day then half-day order.
    pub fn counted_marks_of(&self, student: StudentId) -> Vec<&AttendanceMark> {
        self.counted_marks_in(student, NaiveDate::MIN, NaiveDate::MAX)
    }

    /// Counted marks of one student on one day: one, or one per half day.
    pub fn counted_marks_on(&self, student: StudentId, day: NaiveDate) -> Vec<&AttendanceMark> {
        self.counted_marks_in(student, day, day)
    }

    fn counted_marks_in(&self, student: StudentId, first: NaiveDate, last: NaiveDate) -> Vec<&AttendanceMark> {
        let mut newest: BTreeMap<_, &Stamped<AttendanceMark>> = BTreeMap::new();
        // In record id order, as `counted_marks` reads them, so equal stamps resolve the same way.
        for (_, id) in self.indexes.marks_by_student.range(range_of(student.0)) {
            let Some(stamped) = self.marks.get(&RecordId(*id)) else { continue };
            let mark = &stamped.value;
            if mark.day < first || mark.day > last || self.is_retracted(mark.id) {
                continue;
            }
            let slot = (mark.day, mark.half);
            if newest.get(&slot).is_none_or(|held| held.stamp < stamped.stamp) {
                newest.insert(slot, stamped);
            }
        }
        newest.into_values().map(|stamped| &stamped.value).collect()
    }

    /// The stamps of the versions this state holds of a contested slot, retracted ones too (the
    /// phone had them): what `sync::conflict::base_for` builds an edit's `base` from. For a
    /// case's field, each device's newest.
    pub fn versions_of(&self, slot: &ContestedSlot) -> Vec<Hlc> {
        match *slot {
            ContestedSlot::StudentStatus { student, date } => self
                .indexes
                .status_by_student
                .range(range_of(student.0))
                .filter_map(|(_, id)| self.status_events.get(&RecordId(*id)))
                .filter(|stamped| stamped.value.date == date)
                .map(|stamped| stamped.stamp)
                .collect(),
            ContestedSlot::Attendance { student, day, half } => self
                .indexes
                .marks_by_student
                .range(range_of(student.0))
                .filter_map(|(_, id)| self.marks.get(&RecordId(*id)))
                .filter(|stamped| stamped.value.day == day && stamped.value.half == half)
                .map(|stamped| stamped.stamp)
                .collect(),
            ContestedSlot::CaseStatus { case } => self.case_versions_of(case, CaseFieldKey::Status),
            ContestedSlot::CaseOutcome { case } => self.case_versions_of(case, CaseFieldKey::Outcome),
        }
    }

    fn case_versions_of(&self, case: CaseId, key: CaseFieldKey) -> Vec<Hlc> {
        let devices = (case, key, DeviceId::from_u128(0))..=(case, key, DeviceId::from_u128(u128::MAX));
        self.case_versions.range(devices).map(|(_, stamp)| *stamp).collect()
    }

    fn keep_case_version(&mut self, case: CaseId, key: CaseFieldKey, stamp: Hlc) {
        let held = self.case_versions.entry((case, key, stamp.device)).or_insert(stamp);
        *held = (*held).max(stamp);
    }

    /// The status timeline of one student, without retracted events.
    pub fn timeline(&self, student: StudentId) -> Timeline {
        Timeline::new(
            self.indexes
                .status_by_student
                .range(range_of(student.0))
                .filter_map(|(_, id)| self.status_events.get(&RecordId(*id)))
                .filter(|stamped| !self.is_retracted(stamped.value.id))
                .map(|stamped| (stamped.stamp, stamped.value.clone()))
                .collect(),
        )
    }

    /// The flag events of one student, without retracted ones, in record id order.
    pub fn flag_events_of(&self, student: StudentId) -> Vec<FlagEvent> {
        self.indexes
            .flags_by_student
            .range(range_of(student.0))
            .filter_map(|(_, id)| self.flag_events.get(&RecordId(*id)))
            .map(|stamped| &stamped.value)
            .filter(|event| !self.is_retracted(event.id))
            .cloned()
            .collect()
    }

    /// The students of one school, in id order (as [`State::students`]).
    pub fn students_at(&self, school: SchoolId) -> Vec<Student> {
        self.indexed_students(&self.indexes.students_by_school, school.0)
    }

    /// The classes of `school` by id and name, in name order: what a class picker offers.
    pub fn class_names_at(&self, school: SchoolId) -> Vec<(ClassId, String)> {
        let mut classes: Vec<(ClassId, String)> = self
            .classes
            .values()
            .filter(|class| class.value.school == school)
            .map(|class| (class.value.id, class.value.name.clone()))
            .collect();
        classes.sort_by(|a, b| a.1.cmp(&b.1));
        classes
    }

    /// The students of one class, in id order.
    pub fn students_in_class(&self, class: ClassId) -> Vec<Student> {
        self.indexed_students(&self.indexes.students_by_class, class.0)
    }

    /// The students whose 学籍号 reads as `number` (parsed, so "g…" finds "G…"), in id order.
    pub fn students_numbered(&self, number: &StudentNumber) -> Vec<Student> {
        let mut students = self.indexed_students(&self.indexes.students_by_number, number_key(number));
        students.retain(|student| {
            student.student_number.as_deref().and_then(|text| StudentNumber::parse(text).ok()).as_ref() == Some(number)
        });
        students
    }

    fn indexed_students(&self, index: &Pairs, key: Uuid) -> Vec<Student> {
        index.range(range_of(key)).filter_map(|(_, id)| self.student(StudentId(*id))).collect()
    }

    /// The keys a student is indexed under now.
    fn student_keys(&self, id: StudentId) -> StudentKeys {
        let school = self.student_schools.get(&id).map(|stamped| stamped.value.0);
        let class = match self.student_fields.get(&(id, FieldKey::Class)).map(|stamped| &stamped.value) {
            Some(StudentField::Class(class)) => Some(class.0),
            _ => None,
        };
        let number = match self.student_fields.get(&(id, FieldKey::StudentNumber)).map(|stamped| &stamped.value) {
            Some(StudentField::StudentNumber(Some(text))) => StudentNumber::parse(text).ok().map(|n| number_key(&n)),
            _ => None,
        };
        StudentKeys([school, class, number])
    }

    /// Moves a student from the keys they had `before` a change to the ones they have now.
    fn reindex_student(&mut self, id: StudentId, before: StudentKeys) {
        let after = self.student_keys(id);
        if after == before {
            return;
        }
        let indexes = &mut self.indexes;
        let by = [&mut indexes.students_by_school, &mut indexes.students_by_class, &mut indexes.students_by_number];
        for ((index, old), new) in by.into_iter().zip(before.0).zip(after.0) {
            if old != new {
                if let Some(old) = old {
                    index.remove(&(old, id.0));
                }
                if let Some(new) = new {
                    index.insert((new, id.0));
                }
            }
        }
    }

    /// A school's calendar: its terms and its exception days.
    pub fn calendar(&self, school: SchoolId) -> Calendar {
        let mut terms: Vec<_> = self
            .terms
            .iter()
            .filter(|((owner, _), _)| *owner == school)
            .map(|(_, stamped)| stamped.value.clone())
            .collect();
        crate::sorting::sort_by_key(&mut terms, |term| term.start);
        let exceptions = self
            .days
            .iter()
            .filter(|((owner, _), _)| *owner == school)
            .map(|((_, date), stamped)| (*date, stamped.value))
            .collect();
        Calendar { terms, exceptions }
    }

    /// A school's rules, or the defaults while it has set none.
    pub fn rules(&self, school: SchoolId) -> Rules {
        self.rules.get(&school).map(|stamped| stamped.value.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::CaseStatus;
    use crate::ids::DeviceId;
    use crate::mutation::DeviceChain;
    use crate::org::Grade;
    use crate::risk::Level;
    use crate::student::Gender;

    const PHONE: DeviceId = DeviceId::from_u128(7);
    const OLD_SCHOOL: SchoolId = SchoolId::from_u128(1);
    const NEW_SCHOOL: SchoolId = SchoolId::from_u128(2);
    const CHILD: StudentId = StudentId::from_u128(31);

    fn student_at(school: SchoolId) -> Student {
        Student {
            id: CHILD,
            school,
            student_number: None,
            name: "张小明".into(),
            gender: Gender::Male,
            birth_date: NaiveDate::from_ymd_opt(2013, 5, 4).unwrap(),
            grade: Grade::new(7).unwrap(),
            class: ClassId::from_u128(21),
            village: "石门村".into(),
            address: String::new(),
            guardian: "张父".into(),
            guardian_phone: String::new(),
            id_number: None,
        }
    }

    /// The ID number is the last field key: the state must read it back like the others.
    #[test]
    fn the_id_number_is_kept_by_a_put_and_an_edit() {
        let mut chain = DeviceChain::new(PHONE);
        let with_id = Student { id_number: Some("11010519491231002X".into()), ..student_at(OLD_SCHOOL) };
        let put = chain.next("王老师", OLD_SCHOOL, Change::PutStudent(with_id.clone()), 1_000, [1; 10]);
        let mut state = State::from_mutations(&[put]);
        assert_eq!(state.student(CHILD), Some(with_id));
        let cleared = Change::EditStudent { student: CHILD, field: StudentField::IdNumber(None) };
        state.apply(&chain.next("王老师", OLD_SCHOOL, cleared, 2_000, [2; 10]));
        assert_eq!(state.student(CHILD).and_then(|student| student.id_number), None);
    }

    fn case_of(student: StudentId) -> Case {
        Case {
            id: CaseId::from_u128(41),
            student,
            responsible: vec!["王老师".into()],
            difficulty: Level::Low,
            measures: Vec::new(),
            deadline: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            status: CaseStatus::Open,
            outcome: String::new(),
            found_on: None,
            difficulty_note: String::new(),
            opened_on: None,
        }
    }

    /// Found by `merge_properties`: the school was taken from whichever import arrived last,
    /// while every other field kept the newest, so two phones showed the child at two schools.
    #[test]
    fn two_imports_that_disagree_on_the_school_keep_the_newer_in_any_order() {
        let mut chain = DeviceChain::new(PHONE);
        let old = chain.next("王老师", OLD_SCHOOL, Change::PutStudent(student_at(OLD_SCHOOL)), 1_000, [1; 10]);
        let new = chain.next("王老师", OLD_SCHOOL, Change::PutStudent(student_at(NEW_SCHOOL)), 2_000, [2; 10]);
        for order in [[&old, &new], [&new, &old]] {
            assert_eq!(State::from_mutations(order).student(CHILD), Some(student_at(NEW_SCHOOL)));
        }
    }

    /// Found by `merge_properties`: a case opened again for another child took its child from
    /// whichever `OpenCase` arrived last.
    #[test]
    fn a_case_opened_twice_keeps_the_newer_child_in_any_order() {
        let mut chain = DeviceChain::new(PHONE);
        let first =
            chain.next("王老师", OLD_SCHOOL, Change::OpenCase(case_of(StudentId::from_u128(32))), 1_000, [1; 10]);
        let second = chain.next("王老师", OLD_SCHOOL, Change::OpenCase(case_of(CHILD)), 1_000, [2; 10]);
        for order in [[&first, &second], [&second, &first]] {
            assert_eq!(State::from_mutations(order).case(CaseId::from_u128(41)), Some(case_of(CHILD)));
        }
    }
}
