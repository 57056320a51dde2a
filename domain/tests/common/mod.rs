//! Generators for the merge properties. A scenario is a few phones, each with its own clock
//! (one may be a year behind, or reset to 1970), making changes offline. `Scenario::play` runs
//! it through `DeviceChain`s, so the mutations are chained and stamped exactly as the app makes
//! them. The ids, names and days come from small sets, so students, slots and cases collide
//! often: collisions are where a merge goes wrong.

use baoxue_domain::attendance::{AttendanceMark, HalfDay, MarkKind};
use baoxue_domain::case::{Case, CaseField, CaseStatus, Measure};
use baoxue_domain::ids::{CaseId, ClassId, DeviceId, RecordId, SchoolId, StudentId};
use baoxue_domain::mutation::{Change, DeviceChain, Mutation};
use baoxue_domain::org::Grade;
use baoxue_domain::risk::Level;
use baoxue_domain::state::State;
use baoxue_domain::status::{Status, StatusEvent};
use baoxue_domain::student::{flags_on, ActiveFlag, Flag, FlagEvent, Gender, Student, StudentField};
use chrono::{Days, NaiveDate};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};
use std::ops::RangeInclusive;

pub const DEVICES: [DeviceId; 4] =
    [DeviceId::from_u128(0xd1), DeviceId::from_u128(0xd2), DeviceId::from_u128(0xd3), DeviceId::from_u128(0xd4)];
pub const AUTHORS: [&str; 4] = ["王老师", "李老师", "张校长", "村干部赵"];
pub const SCHOOLS: [SchoolId; 2] = [SchoolId::from_u128(1), SchoolId::from_u128(2)];
pub const CLASSES: [ClassId; 2] = [ClassId::from_u128(21), ClassId::from_u128(22)];
pub const STUDENTS: [StudentId; 3] = [StudentId::from_u128(31), StudentId::from_u128(32), StudentId::from_u128(33)];
pub const CASES: [CaseId; 2] = [CaseId::from_u128(41), CaseId::from_u128(42)];
/// Days a transfer out may wait for its receipt before it counts as a suspected dropout.
pub const RECEIPT_DAYS: u32 = 15;

/// 2026-03-01 in milliseconds since 1970: a correct phone's clock when the scenario starts.
const NOW_MS: u64 = 1_772_323_200_000;
const DAY_MS: u64 = 86_400_000;

/// The first day of term; records fall in the six weeks after it.
pub fn term_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

pub fn day(offset: u64) -> NaiveDate {
    term_start() + Days::new(offset)
}

/// The days on which statuses and flags are compared: before the first record, through the
/// records, and past every transfer's receipt deadline.
pub fn days_to_check() -> Vec<NaiveDate> {
    (0..14).map(|week| term_start() - Days::new(3) + Days::new(week * 5)).collect()
}

/// What one step of a scenario does.
#[derive(Clone, Debug)]
pub enum Op {
    /// Make this change. An append-only record gets its id when it is made, as in the app.
    /// Boxed: a change is far larger than an index.
    Make(Box<Change>),
    /// Retract one of the records made so far, by any phone.
    RetractEarlier(Index),
}

#[derive(Clone, Debug)]
pub struct Step {
    /// Which phone makes the change (taken modulo the number of phones).
    pub device: usize,
    /// How far that phone's wall clock moves before it: mostly forward, sometimes set back.
    pub wall_step_ms: i64,
    pub op: Op,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    /// Each phone's wall clock at the start; one phone per entry.
    pub start_clocks: Vec<u64>,
    pub steps: Vec<Step>,
}

impl Scenario {
    /// Each phone's mutations, in the order it made them.
    pub fn play(&self) -> Vec<Vec<Mutation>> {
        let phones = self.start_clocks.len();
        let mut devices: Vec<DeviceChain> = DEVICES[..phones].iter().map(|device| DeviceChain::new(*device)).collect();
        let mut walls = self.start_clocks.clone();
        let mut chains = vec![Vec::new(); phones];
        let mut records = Vec::new();
        for step in &self.steps {
            let phone = step.device % phones;
            walls[phone] = walls[phone].saturating_add_signed(step.wall_step_ms);
            let now_ms = walls[phone];
            let seq = devices[phone].last_seq + 1;
            let change = match &step.op {
                Op::Make(change) => {
                    let mut change = (**change).clone();
                    let id = RecordId::new_v7(now_ms, random_bytes(phone, seq, Purpose::Record));
                    if give_record_id(&mut change, id) {
                        records.push(id);
                    }
                    change
                }
                Op::RetractEarlier(pick) => Change::Retract {
                    // With nothing made yet, a record this replica never sees.
                    record: if records.is_empty() {
                        RecordId::from_u128(999)
                    } else {
                        records[pick.index(records.len())]
                    },
                    reason: "录错了".to_owned(),
                },
            };
            let random = random_bytes(phone, seq, Purpose::Mutation);
            chains[phone].push(devices[phone].next(AUTHORS[phone], SCHOOLS[0], change, now_ms, random));
        }
        chains
    }

    /// Every phone's mutations, one phone after the other.
    pub fn mutations(&self) -> Vec<Mutation> {
        self.play().concat()
    }
}

enum Purpose {
    Mutation,
    Record,
}

/// The ten "random" bytes of a UUIDv7, unique per phone, counter and purpose. They stay clear
/// of the bits the version and variant overwrite (the high halves of bytes 0 and 2).
fn random_bytes(phone: usize, seq: u64, purpose: Purpose) -> [u8; 10] {
    let mut bytes = [0u8; 10];
    bytes[5] = purpose as u8;
    bytes[6] = phone as u8;
    bytes[7..10].copy_from_slice(&seq.to_be_bytes()[5..8]);
    bytes
}

/// Gives an append-only record its id; false for a change that makes no record.
fn give_record_id(change: &mut Change, id: RecordId) -> bool {
    match change {
        Change::Mark(mark) => mark.id = id,
        Change::RecordStatus(event) => event.id = id,
        Change::RecordFlag(event) => event.id = id,
        _ => return false,
    }
    true
}

/// Scenarios with `phones` phones and up to 40 steps.
pub fn scenario(phones: RangeInclusive<usize>) -> impl Strategy<Value = Scenario> {
    scenario_of(phones, 0..40)
}

pub fn scenario_of(phones: RangeInclusive<usize>, steps: std::ops::Range<usize>) -> impl Strategy<Value = Scenario> {
    (vec(start_clock(), phones), vec(step(), steps)).prop_map(|(start_clocks, steps)| Scenario { start_clocks, steps })
}

/// A phone's clock: right (often to the millisecond, so stamps tie on wall time), a few hours
/// ahead, a year behind, or reset to 1970.
pub fn start_clock() -> impl Strategy<Value = u64> {
    prop_oneof![
        1 => Just(NOW_MS),
        3 => (0..60_000u64).prop_map(|jitter| NOW_MS + jitter),
        1 => (0..6 * 3_600_000u64).prop_map(|ahead| NOW_MS + ahead),
        1 => Just(NOW_MS - 365 * DAY_MS),
        1 => 0..10_000u64,
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let op = prop_oneof![8 => change().prop_map(|change| Op::Make(Box::new(change))), 1 => any::<Index>().prop_map(Op::RetractEarlier)];
    (0..4usize, -5_000..120_000i64, op).prop_map(|(device, wall_step_ms, op)| Step { device, wall_step_ms, op })
}

/// A change of the kinds the merge treats differently: whole students, single fields, marks in
/// a few slots (so newer marks override older), statuses, flags, cases and case fields.
/// Record ids are placeholders that `Scenario::play` replaces.
pub fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        2 => student().prop_map(Change::PutStudent),
        3 => (select(&STUDENTS[..]), student_field()).prop_map(|(student, field)| Change::EditStudent { student, field }),
        4 => mark().prop_map(Change::Mark),
        3 => status_event().prop_map(Change::RecordStatus),
        2 => flag_event().prop_map(Change::RecordFlag),
        1 => case().prop_map(Change::OpenCase),
        2 => (select(&CASES[..]), case_field()).prop_map(|(case, field)| Change::EditCase { case, field }),
    ]
}

fn name() -> impl Strategy<Value = String> {
    select(&["张小明", "李华", "王芳", "赵磊"][..]).prop_map(str::to_owned)
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0..40u64).prop_map(day)
}

/// A student, who may have moved school: two roster imports can disagree on it.
pub fn student() -> impl Strategy<Value = Student> {
    (select(&STUDENTS[..]), select(&SCHOOLS[..]), name(), 1..=9u8, select(&CLASSES[..]), name()).prop_map(
        |(id, school, name, grade, class, guardian)| Student {
            id,
            school,
            student_number: Some(format!("G{}", id.0.as_u128())),
            name,
            gender: Gender::Female,
            birth_date: NaiveDate::from_ymd_opt(2013, 5, 4).unwrap(),
            grade: Grade::new(grade).unwrap(),
            class,
            village: "石门村".to_owned(),
            address: String::new(),
            guardian,
            guardian_phone: "13800000000".to_owned(),
            id_number: None,
        },
    )
}

/// How many kinds of student field `student_field_of` makes.
pub const STUDENT_FIELD_KINDS: usize = 8;

/// A value of one kind of student field, `kind` below `STUDENT_FIELD_KINDS`.
pub fn student_field_of(kind: usize) -> BoxedStrategy<StudentField> {
    match kind {
        0 => option::of(select(&["G1", "G2"][..]))
            .prop_map(|number| StudentField::StudentNumber(number.map(str::to_owned)))
            .boxed(),
        1 => name().prop_map(StudentField::Name).boxed(),
        2 => select(&[Gender::Male, Gender::Female][..]).prop_map(StudentField::Gender).boxed(),
        3 => (0..3u64)
            .prop_map(|years| {
                StudentField::BirthDate(NaiveDate::from_ymd_opt(2012, 1, 1).unwrap() + Days::new(years * 365))
            })
            .boxed(),
        4 => (1..=9u8).prop_map(|grade| StudentField::Grade(Grade::new(grade).unwrap())).boxed(),
        5 => select(&CLASSES[..]).prop_map(StudentField::Class).boxed(),
        6 => select(&["石门村", "河口村"][..]).prop_map(|village| StudentField::Village(village.to_owned())).boxed(),
        _ => select(&["13800000000", "13900000000"][..])
            .prop_map(|phone| StudentField::GuardianPhone(phone.to_owned()))
            .boxed(),
    }
}

pub fn student_field() -> impl Strategy<Value = StudentField> {
    (0..STUDENT_FIELD_KINDS).prop_flat_map(student_field_of)
}

fn mark() -> impl Strategy<Value = AttendanceMark> {
    let half = option::of(select(&[HalfDay::Morning, HalfDay::Afternoon][..]));
    let kind =
        select(&[MarkKind::Present, MarkKind::Late, MarkKind::Sick, MarkKind::Personal, MarkKind::Unexcused][..]);
    (select(&STUDENTS[..]), 0..4u64, half, kind).prop_map(|(student, offset, half, kind)| AttendanceMark {
        id: RecordId::from_u128(0),
        student,
        day: day(offset),
        half,
        kind,
    })
}

fn status_event() -> impl Strategy<Value = StatusEvent> {
    (select(&STUDENTS[..]), date(), select(&Status::ALL[..])).prop_map(|(student, date, status)| StatusEvent {
        id: RecordId::from_u128(0),
        student,
        date,
        status,
        evidence: "家访".to_owned(),
    })
}

fn flag_event() -> impl Strategy<Value = FlagEvent> {
    (select(&STUDENTS[..]), select(&Flag::ALL[..]), any::<bool>(), date()).prop_map(|(student, flag, set, date)| {
        FlagEvent { id: RecordId::from_u128(0), student, flag, set, date, evidence: "班主任".to_owned() }
    })
}

const LEVELS: [Level; 3] = [Level::Low, Level::Medium, Level::High];
const MEASURES: [Measure; 5] = [Measure::HomeVisit, Measure::Phone, Measure::Counselling, Measure::Aid, Measure::Legal];
const CASE_STATUSES: [CaseStatus; 4] = CaseStatus::ALL;

/// A case, which a second phone may open again for another child by mistake.
fn case() -> impl Strategy<Value = Case> {
    (select(&CASES[..]), select(&STUDENTS[..]), select(&LEVELS[..]), subsequence(&MEASURES[..], 0..=3), date())
        .prop_map(|(id, student, difficulty, measures, deadline)| Case {
            id,
            student,
            responsible: vec!["王老师".to_owned()],
            difficulty,
            measures,
            deadline,
            status: CaseStatus::Open,
            outcome: String::new(),
            found_on: None,
            difficulty_note: String::new(),
            opened_on: None,
        })
}

fn case_field() -> impl Strategy<Value = CaseField> {
    prop_oneof![
        vec(name(), 0..3).prop_map(CaseField::Responsible),
        select(&LEVELS[..]).prop_map(CaseField::Difficulty),
        subsequence(&MEASURES[..], 0..=3).prop_map(CaseField::Measures),
        date().prop_map(CaseField::Deadline),
        select(&CASE_STATUSES[..]).prop_map(CaseField::Status),
        select(&["已返校", "外出务工"][..]).prop_map(|outcome| CaseField::Outcome(outcome.to_owned())),
    ]
}

/// The same items in an order fixed by `seed` (Fisher–Yates driven by SplitMix64).
pub fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut items = items.to_vec();
    let mut random = SplitMix64(seed);
    for upper in (1..items.len()).rev() {
        let pick = (random.next() % (upper as u64 + 1)) as usize;
        items.swap(upper, pick);
    }
    items
}

/// `first` and `second` merged into one list that keeps each one's own order, the way two
/// phones' outboxes reach a server; `seed` picks which goes next.
pub fn interleaved<T: Clone>(first: &[T], second: &[T], seed: u64) -> Vec<T> {
    let mut random = SplitMix64(seed);
    let (mut first, mut second) = (first.iter().peekable(), second.iter().peekable());
    let mut merged = Vec::new();
    loop {
        let next = match (first.peek(), second.peek()) {
            (None, None) => return merged,
            (Some(_), None) => first.next(),
            (None, Some(_)) => second.next(),
            (Some(_), Some(_)) if random.next().is_multiple_of(2) => first.next(),
            (Some(_), Some(_)) => second.next(),
        };
        merged.extend(next.cloned());
    }
}

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Everything a person sees that is derived from a state, so a failing property names the view
/// that differs before the whole states are compared.
#[derive(Debug, PartialEq)]
pub struct Derived {
    pub students: Vec<Student>,
    pub cases: Vec<Case>,
    pub counted_marks: Vec<AttendanceMark>,
    /// One per student in `STUDENTS`.
    pub timelines: Vec<TimelineView>,
    /// One per student in `STUDENTS`.
    pub flags: Vec<FlagView>,
}

#[derive(Debug, PartialEq)]
pub struct TimelineView {
    pub events: Vec<StatusEvent>,
    /// The counted status on each of `days_to_check`.
    pub status_on_days: Vec<Option<Status>>,
    pub dropout_starts: Vec<NaiveDate>,
}

#[derive(Debug, PartialEq)]
pub struct FlagView {
    pub events: Vec<FlagEvent>,
    /// The flags that hold on each of `days_to_check`.
    pub active_on_days: Vec<Vec<ActiveFlag>>,
}

pub fn derived(state: &State) -> Derived {
    let days = days_to_check();
    Derived {
        students: state.students(),
        cases: state.cases(),
        counted_marks: state.counted_marks().into_iter().cloned().collect(),
        timelines: STUDENTS
            .iter()
            .map(|student| {
                let timeline = state.timeline(*student);
                TimelineView {
                    events: timeline.events().to_vec(),
                    status_on_days: days.iter().map(|day| timeline.status_on(*day, RECEIPT_DAYS)).collect(),
                    dropout_starts: timeline.dropout_starts(RECEIPT_DAYS),
                }
            })
            .collect(),
        flags: STUDENTS
            .iter()
            .map(|student| {
                let events = state.flag_events_of(*student);
                let active_on_days = days.iter().map(|day| flags_on(&events, *day)).collect();
                FlagView { events, active_on_days }
            })
            .collect(),
    }
}
