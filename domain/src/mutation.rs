//! Mutations: the only way anything is written, on the phone, in its outbox, on the wire and on
//! the server. Each device chains its mutations by hash, so a change removed or altered later
//! (辍学率 is a target, which invites quiet edits) shows as a broken chain.

use crate::attendance::{AttendanceMark, DayRecord};
use crate::calendar::{DayKind, Term};
use crate::case::{Case, CaseField};
use crate::contact::Contact;
use crate::follow_up::{FollowUp, Placement};
use crate::hlc::Hlc;
use crate::ids::{CaseId, DeviceId, MutationId, RecordId, SchoolId, StudentId};
use crate::investigation::Investigation;
use crate::notice::Notice;
use crate::org::{Class, County, School, Town};
use crate::resident::Resident;
use crate::settings::Rules;
use crate::status::StatusEvent;
use crate::student::{FlagEvent, Student, StudentField};
use crate::survey::SurveyAnswer;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// What a mutation changes. Editable values merge last-writer-wins on the mutation's stamp
/// (per field for students and cases); append-only records merge as a union by id and are
/// never edited, only retracted with a reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    // Editable.
    PutCounty(County),
    PutTown(Town),
    PutSchool(School),
    PutClass(Class),
    /// Create a student, or replace every field (a roster re-import).
    PutStudent(Student),
    EditStudent {
        student: StudentId,
        field: StudentField,
    },
    OpenCase(Case),
    EditCase {
        case: CaseId,
        field: CaseField,
    },
    SetTerm {
        school: SchoolId,
        term: Term,
    },
    SetDay {
        school: SchoolId,
        date: NaiveDate,
        kind: DayKind,
    },
    SetRules {
        school: SchoolId,
        rules: Rules,
    },
    PutResident(Resident),
    // Append-only.
    Mark(AttendanceMark),
    /// A class's register of a day handed in: unmarked children were present that day.
    RecordDay(DayRecord),
    RecordStatus(StatusEvent),
    RecordFlag(FlagEvent),
    RecordInvestigation(Investigation),
    LogContact(Contact),
    IssueNotice(Notice),
    RecordPlacement(Placement),
    RecordFollowUp(FollowUp),
    RecordSurvey(SurveyAnswer),
    /// A tombstone for an append-only record entered by mistake. The record stays in the
    /// history; it stops counting.
    Retract {
        record: RecordId,
        reason: String,
    },
}

impl Change {
    /// Append-only changes add a record that is never edited; the rest set editable values.
    pub fn is_append_only(&self) -> bool {
        matches!(
            self,
            Change::Mark(_)
                | Change::RecordDay(_)
                | Change::RecordStatus(_)
                | Change::RecordFlag(_)
                | Change::RecordInvestigation(_)
                | Change::LogContact(_)
                | Change::IssueNotice(_)
                | Change::RecordPlacement(_)
                | Change::RecordFollowUp(_)
                | Change::RecordSurvey(_)
                | Change::Retract { .. }
        )
    }
}

/// What kind of record a change writes, for a person reading a list of changes (the sync
/// screen's refused changes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Organisation,
    Student,
    Case,
    Calendar,
    Rules,
    Resident,
    Mark,
    Status,
    Flag,
    Investigation,
    Contact,
    Notice,
    Placement,
    FollowUp,
    Survey,
    Retraction,
}

/// What a change is about: its kind, the child and the day it concerns, where it has them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeSubject {
    pub kind: ChangeKind,
    pub student: Option<StudentId>,
    pub day: Option<NaiveDate>,
}

impl Change {
    /// What the change is about, as a list of changes names it to a teacher.
    pub fn subject(&self) -> ChangeSubject {
        let of = |kind, student, day| ChangeSubject { kind, student, day };
        match self {
            Change::PutCounty(_) | Change::PutTown(_) | Change::PutSchool(_) | Change::PutClass(_) => {
                of(ChangeKind::Organisation, None, None)
            }
            Change::PutStudent(student) => of(ChangeKind::Student, Some(student.id), None),
            Change::EditStudent { student, .. } => of(ChangeKind::Student, Some(*student), None),
            Change::OpenCase(case) => of(ChangeKind::Case, Some(case.student), None),
            Change::EditCase { .. } => of(ChangeKind::Case, None, None),
            Change::SetTerm { .. } => of(ChangeKind::Calendar, None, None),
            Change::SetDay { date, .. } => of(ChangeKind::Calendar, None, Some(*date)),
            Change::SetRules { .. } => of(ChangeKind::Rules, None, None),
            Change::PutResident(_) => of(ChangeKind::Resident, None, None),
            Change::Mark(mark) => of(ChangeKind::Mark, Some(mark.student), Some(mark.day)),
            Change::RecordDay(record) => of(ChangeKind::Mark, None, Some(record.date)),
            Change::RecordStatus(event) => of(ChangeKind::Status, Some(event.student), Some(event.date)),
            Change::RecordFlag(event) => of(ChangeKind::Flag, Some(event.student), Some(event.date)),
            Change::RecordInvestigation(_) => of(ChangeKind::Investigation, None, None),
            Change::LogContact(_) => of(ChangeKind::Contact, None, None),
            Change::IssueNotice(_) => of(ChangeKind::Notice, None, None),
            Change::RecordPlacement(_) => of(ChangeKind::Placement, None, None),
            Change::RecordFollowUp(_) => of(ChangeKind::FollowUp, None, None),
            Change::RecordSurvey(_) => of(ChangeKind::Survey, None, None),
            Change::Retract { .. } => of(ChangeKind::Retraction, None, None),
        }
    }
}

/// SHA-256 of a mutation's canonical JSON, written as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ContentHash(pub [u8; 32]);

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({self})")
    }
}

impl Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_hex_hash(&text).ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not 64 hex digits")))
    }
}

fn parse_hex_hash(text: &str) -> Option<ContentHash> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (index, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[index * 2..index * 2 + 2], 16).ok()?;
    }
    Some(ContentHash(bytes))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mutation {
    pub id: MutationId,
    pub device: DeviceId,
    /// The device's counter: 1 for its first mutation, then one more each time, no gaps.
    pub seq: u64,
    /// The person who made the change, as they are known at the school.
    pub author: String,
    pub stamp: Hlc,
    /// The school whose data this changes; a device writes only its own.
    pub school: SchoolId,
    pub change: Change,
    /// The hash of this device's mutation `seq - 1`; all zeros for the first.
    pub prev_hash: ContentHash,
    /// For a contested change (`sync::conflict::contested`): what the author's phone held of
    /// the slots it writes, as the highest stamp of each device's versions there (empty if
    /// the phone held none; `sync::conflict::base_for`). It tells a concurrent edit from one
    /// made after seeing the other, whatever the stamps' order. `None` for other changes:
    /// left out of the JSON then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Vec<Hlc>>,
}

impl Mutation {
    /// The hash of everything in the mutation, `prev_hash` included, which is what chains it.
    pub fn hash(&self) -> ContentHash {
        // serde_json writes struct fields in declaration order and every map in the domain is
        // a BTreeMap, so the same mutation always gives the same bytes on phone and server.
        let bytes =
            serde_json::to_vec(self).expect("a mutation holds no map with non-string keys and always serialises");
        ContentHash(Sha256::digest(&bytes).into())
    }
}

/// A device's side of the chain: the counter, the last hash and the clock. The app keeps one
/// in storage and makes every mutation through it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceChain {
    pub device: DeviceId,
    pub last_seq: u64,
    pub last_hash: ContentHash,
    pub clock: Hlc,
}

impl DeviceChain {
    pub fn new(device: DeviceId) -> Self {
        DeviceChain { device, last_seq: 0, last_hash: ContentHash::default(), clock: Hlc::zero(device) }
    }

    /// The chain of the device a phone enrolled as next (a new device id after a revoke or a
    /// restore from a backup): counters start again at 1, but the clock goes on from this one,
    /// so what the phone re-issues or makes next sorts after everything it made or saw before,
    /// its own originals included.
    pub fn continued_as(&self, device: DeviceId) -> DeviceChain {
        DeviceChain { clock: Hlc { device, ..self.clock }, ..DeviceChain::new(device) }
    }

    /// The next mutation of this device. `now_ms` is the device's corrected wall clock and
    /// `random` ten bytes from a secure source, for the UUIDv7 id.
    pub fn next(&mut self, author: &str, school: SchoolId, change: Change, now_ms: u64, random: [u8; 10]) -> Mutation {
        self.clock = self.clock.tick(now_ms);
        self.make(author, school, change, None, now_ms, random)
    }

    /// `next` for a contested change, with `base` what the author's phone held of its slots
    /// (see `Mutation::base`). The clock observes `base` first, so the new stamp is above
    /// every version the author replaced.
    pub fn next_based(
        &mut self,
        author: &str,
        school: SchoolId,
        change: Change,
        base: Vec<Hlc>,
        now_ms: u64,
        random: [u8; 10],
    ) -> Mutation {
        self.clock = match base.is_empty() {
            true => self.clock.tick(now_ms),
            false => base.iter().fold(self.clock, |clock, seen| clock.observe(*seen, now_ms)),
        };
        self.make(author, school, change, Some(base), now_ms, random)
    }

    fn make(
        &mut self,
        author: &str,
        school: SchoolId,
        change: Change,
        base: Option<Vec<Hlc>>,
        now_ms: u64,
        random: [u8; 10],
    ) -> Mutation {
        let mutation = Mutation {
            id: MutationId::new_v7(now_ms, random),
            device: self.device,
            seq: self.last_seq + 1,
            author: author.to_owned(),
            stamp: self.clock,
            school,
            change,
            prev_hash: self.last_hash,
            base,
        };
        self.last_seq = mutation.seq;
        self.last_hash = mutation.hash();
        mutation
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("device {device}: mutation {seq} is missing (the next one received is {found})")]
    Gap { device: DeviceId, seq: u64, found: u64 },
    #[error("device {device}: mutation {seq} does not follow mutation {previous} (hash differs): a change was altered or removed")]
    Broken { device: DeviceId, seq: u64, previous: u64 },
    #[error("device {device}: mutation {seq} carries device {other}")]
    ForeignDevice { device: DeviceId, seq: u64, other: DeviceId },
}

/// Checks that `mutations`, one device's in counter order starting right after `after`
/// (counter and hash of the last one already verified; `(0, zeros)` from the start), form an
/// unbroken chain.
pub fn verify_chain(device: DeviceId, after: (u64, ContentHash), mutations: &[Mutation]) -> Result<(), ChainError> {
    let (mut seq, mut hash) = after;
    for mutation in mutations {
        if mutation.device != device {
            return Err(ChainError::ForeignDevice { device, seq: mutation.seq, other: mutation.device });
        }
        if mutation.seq != seq + 1 {
            return Err(ChainError::Gap { device, seq: seq + 1, found: mutation.seq });
        }
        if mutation.prev_hash != hash {
            return Err(ChainError::Broken { device, seq: mutation.seq, previous: seq });
        }
        seq = mutation.seq;
        hash = mutation.hash();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::MarkKind;

    const PHONE: DeviceId = DeviceId::from_u128(7);
    const SCHOOL: SchoolId = SchoolId::from_u128(1);

    fn marks(count: u64) -> Vec<Mutation> {
        let mut chain = DeviceChain::new(PHONE);
        (0..count)
            .map(|n| {
                let mark = AttendanceMark {
                    id: RecordId::from_u128(u128::from(n) + 100),
                    student: StudentId::from_u128(5),
                    day: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
                    half: None,
                    kind: MarkKind::Unexcused,
                };
                chain.next("王老师", SCHOOL, Change::Mark(mark), 1_000 + n, [n as u8; 10])
            })
            .collect()
    }

    #[test]
    fn a_based_change_sorts_after_every_version_it_replaced_and_round_trips() {
        let plain = marks(1).remove(0);
        let json = serde_json::to_value(&plain).unwrap();
        // No `base` key for a change made without one.
        assert!(json.get("base").is_none(), "{json}");
        assert_eq!(serde_json::from_value::<Mutation>(json).unwrap().hash(), plain.hash());

        let mut chain = DeviceChain::new(PHONE);
        let seen = [
            Hlc { wall_ms: 9_000, counter: 3, device: DeviceId::from_u128(8) },
            Hlc { wall_ms: 7_000, counter: 9, device: DeviceId::from_u128(7) },
        ];
        let based = chain.next_based("王老师", SCHOOL, plain.change.clone(), seen.to_vec(), 1_000, [1; 10]);
        assert!(seen.iter().all(|held| based.stamp > *held), "a change sorts after the versions it replaced");
        let json = serde_json::to_value(&based).unwrap();
        assert_eq!(json["base"][0]["wall_ms"], 9_000);
        assert_eq!(serde_json::from_value::<Mutation>(json).unwrap(), based);

        let first = chain.next_based("王老师", SCHOOL, plain.change, Vec::new(), 500, [2; 10]);
        assert!(first.stamp > based.stamp, "an empty base still moves the clock on");
    }

    #[test]
    fn a_change_names_its_child_and_day_for_a_list_of_changes() {
        let mark = &marks(1)[0].change;
        let subject = mark.subject();
        assert_eq!(subject.kind, ChangeKind::Mark);
        assert_eq!(subject.student, Some(StudentId::from_u128(5)));
        assert_eq!(subject.day, NaiveDate::from_ymd_opt(2026, 9, 1));
        let retraction = Change::Retract { record: RecordId::from_u128(100), reason: "点错了".into() };
        assert_eq!(retraction.subject(), ChangeSubject { kind: ChangeKind::Retraction, student: None, day: None });
    }

    #[test]
    fn an_unbroken_chain_verifies() {
        assert_eq!(verify_chain(PHONE, (0, ContentHash::default()), &marks(5)), Ok(()));
    }

    #[test]
    fn a_removed_mutation_is_a_gap() {
        let mut chain = marks(5);
        chain.remove(2);
        assert_eq!(
            verify_chain(PHONE, (0, ContentHash::default()), &chain),
            Err(ChainError::Gap { device: PHONE, seq: 3, found: 4 })
        );
    }

    #[test]
    fn an_altered_mutation_breaks_the_chain_after_it() {
        let mut chain = marks(5);
        if let Change::Mark(mark) = &mut chain[1].change {
            mark.kind = MarkKind::Present;
        }
        assert_eq!(
            verify_chain(PHONE, (0, ContentHash::default()), &chain),
            Err(ChainError::Broken { device: PHONE, seq: 3, previous: 2 })
        );
    }

    /// A student as written before the 身份证件号 field existed, with the hash its mutation had
    /// then (computed by the code of that time): a student without an ID number must serialise,
    /// and so hash, exactly the same, or every chain holding one would break.
    #[test]
    fn a_student_without_an_id_number_serialises_and_hashes_as_before() {
        use crate::ids::ClassId;
        use crate::org::Grade;
        use crate::student::{Gender, Student};
        const BEFORE: &str = r#"{"id":"00000000-0000-0000-0000-000000000051","school":"00000000-0000-0000-0000-000000000001","student_number":"G11010120080101129X","name":"张小明","gender":"Male","birth_date":"2008-01-01","grade":7,"class":"00000000-0000-0000-0000-0000000000c7","village":"上村","address":"上村3组","guardian":"张父","guardian_phone":"13800000000"}"#;
        let student = Student {
            id: StudentId::from_u128(0x51),
            school: SCHOOL,
            student_number: Some("G11010120080101129X".into()),
            name: "张小明".into(),
            gender: Gender::Male,
            birth_date: NaiveDate::from_ymd_opt(2008, 1, 1).unwrap(),
            grade: Grade::new(7).unwrap(),
            class: ClassId::from_u128(0xc7),
            village: "上村".into(),
            address: "上村3组".into(),
            guardian: "张父".into(),
            guardian_phone: "13800000000".into(),
            id_number: None,
        };
        assert_eq!(serde_json::to_string(&student).unwrap(), BEFORE);
        assert_eq!(serde_json::from_str::<Student>(BEFORE).unwrap(), student, "old records read with no ID number");
        let mutation =
            DeviceChain::new(PHONE).next("王老师", SCHOOL, Change::PutStudent(student.clone()), 1_000, [3; 10]);
        assert_eq!(mutation.hash().to_string(), "893d8c3130dc8ae3bf7bc0b9c670f9838abc08368ca4c0488ab27e7ae1f0582e");

        let with_id = Student { id_number: Some("11010120080101129X".into()), ..student };
        let json = serde_json::to_string(&with_id).unwrap();
        assert!(json.ends_with(r#""guardian_phone":"13800000000","id_number":"11010120080101129X"}"#), "{json}");
        assert_eq!(serde_json::from_str::<Student>(&json).unwrap(), with_id);
    }

    #[test]
    fn a_hash_survives_the_wire() {
        let mutation = marks(1).remove(0);
        let json = serde_json::to_string(&mutation).unwrap();
        let back: Mutation = serde_json::from_str(&json).unwrap();
        assert_eq!(back.hash(), mutation.hash());
        assert!(serde_json::from_str::<ContentHash>("\"abc\"").is_err());
    }
}
