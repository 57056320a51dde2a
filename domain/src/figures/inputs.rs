//! The records figures read, indexed once. A county's merged state holds tens of thousands of
//! students; finding each one's events by scanning every event would take hours on a phone.

use super::{Period, Scope};
use crate::attendance::{AttendanceMark, DayMarks};
use crate::calendar::Calendar;
use crate::contact::{Contact, ContactMethod};
use crate::hlc::Hlc;
use crate::ids::{ClassId, SchoolId, StudentId};
use crate::org::{Class, School};
use crate::resident::Resident;
use crate::settings::Rules;
use crate::state::State;
use crate::status::{Status, StatusEvent, Timeline};
use crate::student::Student;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A state's students, timelines, counted marks, calendars, rules and home visits, each
/// indexed by student or school. Retracted records are left out here, once.
#[derive(Debug)]
pub struct FigureInputs<'a> {
    state: &'a State,
    students: BTreeMap<StudentId, Student>,
    class_members: BTreeMap<ClassId, Vec<StudentId>>,
    timelines: BTreeMap<StudentId, Timeline>,
    day_marks: BTreeMap<StudentId, DayMarks>,
    calendars: BTreeMap<SchoolId, Calendar>,
    rules: BTreeMap<SchoolId, Rules>,
    home_visits: Vec<&'a Contact>,
    // What a student with no events or marks, or a school with no calendar or rules, reads.
    no_timeline: Timeline,
    no_marks: DayMarks,
    no_calendar: Calendar,
    default_rules: Rules,
}

impl<'a> FigureInputs<'a> {
    pub fn new(state: &'a State) -> Self {
        let students: BTreeMap<StudentId, Student> =
            state.students().into_iter().map(|student| (student.id, student)).collect();
        let mut class_members: BTreeMap<ClassId, Vec<StudentId>> = BTreeMap::new();
        for student in students.values() {
            class_members.entry(student.class).or_default().push(student.id);
        }

        let mut events: BTreeMap<StudentId, Vec<(Hlc, StatusEvent)>> = BTreeMap::new();
        for stamped in state.status_events.values() {
            if !state.is_retracted(stamped.value.id) {
                events.entry(stamped.value.student).or_default().push((stamped.stamp, stamped.value.clone()));
            }
        }
        let timelines = events.into_iter().map(|(id, events)| (id, Timeline::new(events))).collect();

        let mut marks: BTreeMap<StudentId, Vec<&AttendanceMark>> = BTreeMap::new();
        for mark in state.counted_marks() {
            marks.entry(mark.student).or_default().push(mark);
        }
        // Every student, marked or not: a child never marked was present on the days their
        // class's register was handed in, and is unknown on the others.
        let recorded: BTreeMap<ClassId, Arc<[NaiveDate]>> =
            class_members.keys().map(|class| (*class, state.recorded_days_of(*class).into_iter().collect())).collect();
        let day_marks = students
            .values()
            .map(|student| {
                let own = marks.remove(&student.id).unwrap_or_default();
                let days = recorded.get(&student.class).cloned().unwrap_or_default();
                (student.id, DayMarks::sharing(own, days))
            })
            .collect();

        let school_ids: BTreeSet<SchoolId> =
            state.schools.keys().copied().chain(students.values().map(|student| student.school)).collect();
        let calendars = school_ids.iter().map(|school| (*school, state.calendar(*school))).collect();
        let rules = school_ids.iter().map(|school| (*school, state.rules(*school))).collect();

        let home_visits = state
            .contacts
            .values()
            .map(|stamped| &stamped.value)
            .filter(|contact| contact.method == ContactMethod::HomeVisit && !state.is_retracted(contact.id))
            .collect();

        FigureInputs {
            state,
            students,
            class_members,
            timelines,
            day_marks,
            calendars,
            rules,
            home_visits,
            no_timeline: Timeline::default(),
            no_marks: DayMarks::default(),
            no_calendar: Calendar::default(),
            default_rules: Rules::default(),
        }
    }

    pub fn state(&self) -> &'a State {
        self.state
    }

    pub fn student(&self, id: StudentId) -> Option<&Student> {
        self.students.get(&id)
    }

    /// The student's status events, without retracted ones; empty for a student with none.
    pub fn timeline(&self, student: StudentId) -> &Timeline {
        self.timelines.get(&student).unwrap_or(&self.no_timeline)
    }

    /// The student's status on `today` as the ledgers count it ([`crate::ledger::counted_status`]),
    /// through the index.
    pub fn counted_status(&self, student: &Student, today: NaiveDate) -> Status {
        let receipt_days = self.rules(student.school).transfer_receipt_days;
        self.timeline(student.id).counted_on(today, receipt_days)
    }

    pub fn day_marks(&self, student: StudentId) -> &DayMarks {
        self.day_marks.get(&student).unwrap_or(&self.no_marks)
    }

    pub fn calendar(&self, school: SchoolId) -> &Calendar {
        self.calendars.get(&school).unwrap_or(&self.no_calendar)
    }

    /// The school's rules, or the defaults while it has set none.
    pub fn rules(&self, school: SchoolId) -> &Rules {
        self.rules.get(&school).unwrap_or(&self.default_rules)
    }

    /// The rules of the student's school; the defaults for a student not in these records.
    pub fn rules_of_student(&self, student: StudentId) -> &Rules {
        self.student(student).map_or(&self.default_rules, |found| self.rules(found.school))
    }

    /// Home visits (家访) in the contact log, without retracted ones.
    pub(super) fn home_visits(&self) -> &[&'a Contact] {
        &self.home_visits
    }

    /// Whether a school's records belong to `scope`. Class and grade scopes hold no whole
    /// school, so school-level figures (residents, dropout limits) are empty for them.
    pub fn holds_school(&self, scope: &Scope, school: SchoolId) -> bool {
        let town_of = |school: SchoolId| self.state.schools.get(&school).map(|stamped| stamped.value.town);
        match scope {
            Scope::Class(_) | Scope::Grade { .. } => false,
            Scope::School(id) => *id == school,
            Scope::Town(town) => town_of(school) == Some(*town),
            Scope::County(county) => town_of(school)
                .and_then(|town| self.state.towns.get(&town))
                .is_some_and(|town| town.value.county == *county),
        }
    }

    /// The students in `scope`, by the class, grade and school they are in now.
    pub fn students_in(&self, scope: &Scope) -> Vec<&Student> {
        self.students
            .values()
            .filter(|student| match scope {
                Scope::Class(class) => student.class == *class,
                Scope::Grade { school, grade } => student.school == *school && student.grade == *grade,
                _ => self.holds_school(scope, student.school),
            })
            .collect()
    }

    pub fn classes_in(&self, scope: &Scope) -> Vec<&'a Class> {
        self.state
            .classes
            .values()
            .map(|stamped| &stamped.value)
            .filter(|class| match scope {
                Scope::Class(id) => class.id == *id,
                Scope::Grade { school, grade } => class.school == *school && class.grade == *grade,
                _ => self.holds_school(scope, class.school),
            })
            .collect()
    }

    pub fn schools_in(&self, scope: &Scope) -> Vec<&'a School> {
        self.state
            .schools
            .values()
            .map(|stamped| &stamped.value)
            .filter(|school| self.holds_school(scope, school.id))
            .collect()
    }

    /// The resident children of the catchment areas of the schools in `scope`.
    pub fn residents_in(&self, scope: &Scope) -> Vec<&'a Resident> {
        self.state
            .residents
            .values()
            .map(|stamped| &stamped.value)
            .filter(|resident| self.holds_school(scope, resident.school))
            .collect()
    }

    /// The students of one class.
    pub(super) fn students_of_class(&self, class: ClassId) -> impl Iterator<Item = &Student> {
        self.class_members.get(&class).into_iter().flatten().filter_map(|id| self.students.get(id))
    }
}

/// The school days of one period, worked out once per school rather than once per student.
#[derive(Debug)]
pub(super) struct SchoolDays {
    period: Period,
    by_school: BTreeMap<SchoolId, Vec<NaiveDate>>,
}

impl SchoolDays {
    pub(super) fn new(period: Period) -> Self {
        SchoolDays { period, by_school: BTreeMap::new() }
    }

    pub(super) fn of(&mut self, inputs: &FigureInputs<'_>, school: SchoolId) -> &[NaiveDate] {
        let period = self.period;
        self.by_school
            .entry(school)
            .or_insert_with(|| inputs.calendar(school).school_days(period.start(), period.end()))
    }
}
