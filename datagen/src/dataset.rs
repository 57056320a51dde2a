//! The generated data as domain records, and the mutations that write them.

use crate::casework::Casework;
use crate::clock::{beijing_ms, days_before, ms_of};
use crate::dice::{Dice, Part};
use crate::people::{Household, Pupil};
use crate::spec::Spec;
use crate::tree::{SchoolSetup, TownSetup};
use baoxue_domain::attendance::{AttendanceMark, DayRecord, MarkKind};
use baoxue_domain::ids::{ClassId, DeviceId, RecordId, SchoolId, StudentId};
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::org::{Class, County};
use baoxue_domain::state::State;
use baoxue_domain::status::StatusEvent;
use baoxue_domain::student::{flags_on, FlagEvent};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A generated county (or town, school, class): every record, as the domain types them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dataset {
    pub spec: Spec,
    pub county: County,
    /// The county's 6-digit area code, the first six digits of most children's ID numbers.
    pub area_code: String,
    pub towns: Vec<TownSetup>,
    pub schools: Vec<SchoolSetup>,
    /// In school order, then grade, then class number.
    pub classes: Vec<Class>,
    pub households: Vec<Household>,
    /// In school order, then class, then 班内学号; children who transferred in come after
    /// their school's roster.
    pub pupils: Vec<Pupil>,
    pub flags: Vec<FlagEvent>,
    /// Every child's first event (在读 at the roster import, or 转入) and the term's changes.
    pub statuses: Vec<StatusEvent>,
    /// Only the marks that are not "present": an unmarked school day counts as present. A
    /// corrected mark is here twice, the correction made later.
    pub marks: Vec<AttendanceMark>,
    /// What the schools did after each dropout: ledger rows, cases and their edits, contacts,
    /// notices, placements and follow-ups (see `casework` for the proportions).
    pub casework: Casework,
}

/// The devices that write the data: the operator who types the org tree, each school's office
/// (教导处: classes, calendar, roster, flags, status events, the 排查台账, cases, notices and
/// placements) and each class's phone (the head teacher's register, visits and follow-ups). Pass the same `Devices` on to chain more mutations after the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Devices {
    pub operator: DeviceChain,
    pub offices: BTreeMap<SchoolId, DeviceChain>,
    pub phones: BTreeMap<ClassId, DeviceChain>,
}

/// Counts of a data set, as `summary.json` holds them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub seed: u64,
    pub size: String,
    pub today: NaiveDate,
    pub county: String,
    pub towns: usize,
    pub schools: usize,
    pub classes: usize,
    pub students: usize,
    pub transferred_in: usize,
    pub households: usize,
    /// Children holding each flag on `today`.
    pub flags_on_today: BTreeMap<String, usize>,
    pub flag_events: usize,
    pub status_events: BTreeMap<String, usize>,
    /// Counted marks (the newest per child and day) by kind.
    pub marks: BTreeMap<String, usize>,
    /// Every mark, corrections included: the number of `Mark` mutations.
    pub mark_records: usize,
    /// The persuasion work's records by kind: investigations, cases, case_edits, contacts,
    /// notices, placements, follow_ups.
    pub casework: BTreeMap<String, usize>,
    pub mutations: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Writer {
    Operator,
    Office(usize),
    Phone(usize),
}

const OPERATOR: &str = "县教育局信息中心";

impl Dataset {
    /// The devices of this data set, with ids derived from the seed and empty chains.
    pub fn devices(&self) -> Devices {
        let mut dice = Dice::new(self.spec.seed, Part::Devices, 0);
        let ms = ms_of(self.county.id.0);
        let mut device = || DeviceChain::new(DeviceId::new_v7(ms, dice.id_bytes()));
        let operator = device();
        let offices = self.schools.iter().map(|setup| (setup.school.id, device())).collect();
        let phones = self.classes.iter().map(|class| (class.id, device())).collect();
        Devices { operator, offices, phones }
    }

    /// Every mutation of the data set, oldest first, from fresh [`Dataset::devices`].
    pub fn mutations(&self) -> Vec<Mutation> {
        self.mutations_with(&mut self.devices())
    }

    /// Every mutation, oldest first, made through `devices` (which must hold a chain for each
    /// school and class of the data set). The operator's `PutCounty` and `PutTown` name the
    /// first school under them, since a mutation always names a school.
    pub fn mutations_with(&self, devices: &mut Devices) -> Vec<Mutation> {
        let mut intents: Vec<(u64, Writer, SchoolId, Change)> = Vec::with_capacity(self.mutation_count());
        let school_index: HashMap<SchoolId, usize> =
            self.schools.iter().enumerate().map(|(index, setup)| (setup.school.id, index)).collect();
        let class_index: HashMap<ClassId, usize> =
            self.classes.iter().enumerate().map(|(index, class)| (class.id, index)).collect();
        let student_school: HashMap<StudentId, (SchoolId, ClassId)> =
            self.pupils.iter().map(|pupil| (pupil.student.id, (pupil.student.school, pupil.student.class))).collect();

        let first_school = |town| self.schools.iter().find(|setup| setup.school.town == town);
        if let Some(school) = self.schools.first() {
            intents.push((
                ms_of(self.county.id.0),
                Writer::Operator,
                school.school.id,
                Change::PutCounty(self.county.clone()),
            ));
        }
        for town in &self.towns {
            if let Some(school) = first_school(town.town.id) {
                intents.push((
                    ms_of(town.town.id.0),
                    Writer::Operator,
                    school.school.id,
                    Change::PutTown(town.town.clone()),
                ));
            }
        }
        let setup_day = days_before(self.spec.term.term.start, 5, self.spec.today);
        for (index, setup) in self.schools.iter().enumerate() {
            let school = setup.school.id;
            intents.push((ms_of(school.0), Writer::Operator, school, Change::PutSchool(setup.school.clone())));
            let office = Writer::Office(index);
            let mut at = beijing_ms(setup_day, 9, 40, 0);
            for term in &setup.calendar.terms {
                intents.push((at, office, school, Change::SetTerm { school, term: term.clone() }));
                at += 1_000;
            }
            for (date, kind) in &setup.calendar.exceptions {
                intents.push((at, office, school, Change::SetDay { school, date: *date, kind: *kind }));
                at += 1_000;
            }
        }
        for class in &self.classes {
            let office = Writer::Office(school_index[&class.school]);
            intents.push((ms_of(class.id.0), office, class.school, Change::PutClass(class.clone())));
        }
        for pupil in &self.pupils {
            let student = &pupil.student;
            let office = Writer::Office(school_index[&student.school]);
            intents.push((ms_of(student.id.0), office, student.school, Change::PutStudent(student.clone())));
        }
        for event in &self.flags {
            let (school, _) = student_school[&event.student];
            intents.push((
                ms_of(event.id.0),
                Writer::Office(school_index[&school]),
                school,
                Change::RecordFlag(event.clone()),
            ));
        }
        for event in &self.statuses {
            let (school, _) = student_school[&event.student];
            let office = Writer::Office(school_index[&school]);
            intents.push((ms_of(event.id.0), office, school, Change::RecordStatus(event.clone())));
        }
        for mark in &self.marks {
            let (school, class) = student_school[&mark.student];
            intents.push((ms_of(mark.id.0), Writer::Phone(class_index[&class]), school, Change::Mark(mark.clone())));
        }
        // The office keeps the ledger, the cases, the notices and the placements; the head
        // teacher's phone logs the visits and the follow-ups.
        let work = &self.casework;
        let office_of = |student: &StudentId| {
            let (school, _) = student_school[student];
            (Writer::Office(school_index[&school]), school)
        };
        let phone_of = |student: &StudentId| {
            let (school, class) = student_school[student];
            (Writer::Phone(class_index[&class]), school)
        };
        for row in &work.investigations {
            let (writer, school) = office_of(&row.student);
            intents.push((ms_of(row.id.0), writer, school, Change::RecordInvestigation(row.clone())));
        }
        let case_students: HashMap<_, _> = work.cases.iter().map(|case| (case.id, case.student)).collect();
        for case in &work.cases {
            let (writer, school) = office_of(&case.student);
            intents.push((ms_of(case.id.0), writer, school, Change::OpenCase(case.clone())));
        }
        for edit in &work.case_edits {
            let (writer, school) = office_of(&case_students[&edit.case]);
            let change = Change::EditCase { case: edit.case, field: edit.field.clone() };
            intents.push((edit.made_ms, writer, school, change));
        }
        for contact in &work.contacts {
            let (writer, school) = phone_of(&contact.student);
            intents.push((ms_of(contact.id.0), writer, school, Change::LogContact(contact.clone())));
        }
        for notice in &work.notices {
            let (writer, school) = office_of(&notice.student);
            intents.push((ms_of(notice.id.0), writer, school, Change::IssueNotice(notice.clone())));
        }
        for placement in &work.placements {
            let (writer, school) = office_of(&placement.student);
            intents.push((ms_of(placement.id.0), writer, school, Change::RecordPlacement(placement.clone())));
        }
        for follow_up in &work.follow_ups {
            let (writer, school) = phone_of(&follow_up.student);
            intents.push((ms_of(follow_up.id.0), writer, school, Change::RecordFollowUp(follow_up.clone())));
        }
        // Each head teacher hands the day's register in after the last lesson, every school day
        // of the term so far: on those days an unmarked child was present.
        let mut record_ids = Dice::new(self.spec.seed, Part::Ids, u64::MAX >> 17);
        for (index, class) in self.classes.iter().enumerate() {
            for date in self.school_days(class.school) {
                let at = beijing_ms(date, 17, 30, index as u64);
                let record = DayRecord { id: RecordId::new_v7(at, record_ids.id_bytes()), class: class.id, date };
                intents.push((at, Writer::Phone(index), class.school, Change::RecordDay(record)));
            }
        }
        // Oldest first; one moment's changes in writer order, then in the order made.
        intents.sort_by_key(|(at, writer, _, _)| (*at, *writer));

        let mut random = Dice::new(self.spec.seed, Part::MutationIds, 0);
        let offices: Vec<&str> = self.schools.iter().map(|setup| setup.office.as_str()).collect();
        intents
            .into_iter()
            .map(|(at, writer, school, change)| {
                let (chain, author) = match writer {
                    Writer::Operator => (&mut devices.operator, OPERATOR),
                    Writer::Office(index) => (
                        devices.offices.get_mut(&self.schools[index].school.id).expect("devices() holds every school"),
                        offices[index],
                    ),
                    Writer::Phone(index) => {
                        let class = &self.classes[index];
                        (
                            devices.phones.get_mut(&class.id).expect("devices() holds every class"),
                            class.head_teacher.as_str(),
                        )
                    }
                };
                chain.next(author, school, change, at, random.id_bytes())
            })
            .collect()
    }

    /// How many mutations [`Dataset::mutations`] makes.
    pub fn mutation_count(&self) -> usize {
        let calendar: usize =
            self.schools.iter().map(|setup| setup.calendar.terms.len() + setup.calendar.exceptions.len()).sum();
        let towns_written =
            self.towns.iter().filter(|town| self.schools.iter().any(|s| s.school.town == town.town.id)).count();
        usize::from(!self.schools.is_empty())
            + towns_written
            + self.schools.len()
            + calendar
            + self.classes.len()
            + self.pupils.len()
            + self.flags.len()
            + self.statuses.len()
            + self.marks.len()
            + self.casework.len()
            + self.classes.iter().map(|class| self.school_days(class.school).len()).sum::<usize>()
    }

    /// The merged state of every mutation: what a store holding them all shows.
    pub fn state(&self) -> State {
        State::from_mutations(&self.mutations())
    }

    /// The school days of a school from the start of the first term up to today.
    pub fn school_days(&self, school: SchoolId) -> Vec<NaiveDate> {
        let plan = &self.spec.term;
        self.schools
            .iter()
            .find(|setup| setup.school.id == school)
            .map(|setup| setup.calendar.school_days(plan.term.start, plan.last_day().min(self.spec.today)))
            .unwrap_or_default()
    }

    /// The counted mark of each child and day: the newest, where a mark was corrected.
    pub fn counted_marks(&self) -> Vec<&AttendanceMark> {
        let mut newest: BTreeMap<_, &AttendanceMark> = BTreeMap::new();
        for mark in &self.marks {
            let slot = mark.slot();
            if newest.get(&slot).is_none_or(|held| held.id < mark.id) {
                newest.insert(slot, mark);
            }
        }
        newest.into_values().collect()
    }

    pub fn summary(&self) -> Summary {
        let mut by_student: HashMap<StudentId, Vec<FlagEvent>> = HashMap::new();
        for event in &self.flags {
            by_student.entry(event.student).or_default().push(event.clone());
        }
        let mut flags_on_today = BTreeMap::new();
        for events in by_student.values() {
            for active in flags_on(events, self.spec.today) {
                *flags_on_today.entry(format!("{:?}", active.flag)).or_insert(0) += 1;
            }
        }
        let mut status_events = BTreeMap::new();
        for event in &self.statuses {
            *status_events.entry(format!("{:?}", event.status)).or_insert(0) += 1;
        }
        let mut marks = BTreeMap::new();
        for mark in self.counted_marks() {
            if mark.kind != MarkKind::Present {
                *marks.entry(format!("{:?}", mark.kind)).or_insert(0) += 1;
            }
        }
        Summary {
            seed: self.spec.seed,
            size: format!("{:?}", self.spec.size),
            today: self.spec.today,
            county: self.county.name.clone(),
            towns: self.towns.len(),
            schools: self.schools.len(),
            classes: self.classes.len(),
            students: self.pupils.len(),
            transferred_in: self.pupils.iter().filter(|pupil| pupil.transferred_in).count(),
            households: self.households.len(),
            flags_on_today,
            flag_events: self.flags.len(),
            status_events,
            marks,
            mark_records: self.marks.len(),
            casework: self.casework.counts(),
            mutations: self.mutation_count(),
        }
    }
}
