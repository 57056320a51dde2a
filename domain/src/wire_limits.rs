//! What a mutation may hold, checked on arrival by the server (and by a phone, before it sends)
//! besides its place in the device's chain: a stamp not far in the future and made on the
//! mutation's own device, text of a bounded length without control characters, dates a school
//! could mean, and no school but the device's own. Each failure is a `RejectionReason`; none can
//! be fixed by sending the same change again.
//!
//! Text and dates are found by walking the change's JSON, so a field added to a record later is
//! checked without touching this file: every string is text (a name's field at most
//! `MAX_NAME_CHARS`, any other at most `MAX_TEXT_CHARS`), and every string that reads as a date
//! (`2026-09-01`, `-262143-01-01`) must lie in `EARLIEST_DATE..=LATEST_DATE`.

use crate::ids::{DeviceId, SchoolId};
use crate::mutation::{Change, Mutation};
use crate::sync::RejectionReason;
use chrono::{Datelike, NaiveDate};

/// Names of people, schools, classes and terms (the author, a child's or guardian's name, a
/// class's head teacher, …), in characters.
pub const MAX_NAME_CHARS: usize = 50;
/// Any other text (notes, evidence, addresses, outcomes), in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// How far a stamp may run ahead of the server's clock: one day. A stamp far in the future
/// would be adopted by every phone's clock, and no later edit could win against it.
pub const MAX_STAMP_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;
/// The earliest date a change may hold (a birth date of the oldest adult on record).
pub const EARLIEST_DATE: (i32, u32, u32) = (1990, 1, 1);
/// The latest date a change may hold.
pub const LATEST_DATE: (i32, u32, u32) = (2100, 12, 31);

/// The JSON fields that hold a name, limited to `MAX_NAME_CHARS` (compared in lower case, so a
/// `StudentField::Name` travelling as `{"Name": …}` counts too).
const NAME_FIELDS: &[&str] = &["name", "author", "head_teacher", "guardian", "investigator", "issuer", "responsible"];

/// Whether `day` lies in `EARLIEST_DATE..=LATEST_DATE` (year, month and day compared in that
/// order, so the limits need not be made into dates).
pub fn date_in_range(day: NaiveDate) -> bool {
    (EARLIEST_DATE..=LATEST_DATE).contains(&(day.year(), day.month(), day.day()))
}

/// A piece of text named `field`: at most `limit` characters, and no control character of
/// C0 (U+0000–U+001F) but a line feed or a tab.
pub fn check_text(field: &str, value: &str, limit: usize) -> Result<(), RejectionReason> {
    if let Some(control) = value.chars().find(|c| u32::from(*c) < 0x20 && *c != '\n' && *c != '\t') {
        return Err(RejectionReason::ControlCharacter { field: field.to_owned(), code: u32::from(control) });
    }
    let chars = value.chars().count();
    if chars > limit {
        return Err(RejectionReason::TextTooLong { field: field.to_owned(), chars, limit });
    }
    Ok(())
}

/// Every text and date of `change` within the limits above; the first one that is not, as the
/// reason to refuse the change. `field` names it by its JSON path (`change.PutStudent.name`).
pub fn check_change(change: &Change) -> Result<(), RejectionReason> {
    let value = serde_json::to_value(change).expect("a change always serialises");
    walk(&value, "change", "")
}

fn walk(value: &serde_json::Value, path: &str, key: &str) -> Result<(), RejectionReason> {
    match value {
        serde_json::Value::String(text) => check_string(path, key, text),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().try_for_each(|(index, item)| walk(item, &format!("{path}[{index}]"), key))
        }
        serde_json::Value::Object(fields) => fields.iter().try_for_each(|(name, item)| {
            let inner = format!("{path}.{name}");
            check_string(&inner, "", name)?;
            walk(item, &inner, name)
        }),
        serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => Ok(()),
    }
}

fn check_string(path: &str, key: &str, text: &str) -> Result<(), RejectionReason> {
    let limit = if NAME_FIELDS.contains(&key.to_ascii_lowercase().as_str()) { MAX_NAME_CHARS } else { MAX_TEXT_CHARS };
    check_text(path, text, limit)?;
    match text.parse::<NaiveDate>() {
        Ok(day) if !date_in_range(day) => {
            Err(RejectionReason::DateOutOfRange { field: path.to_owned(), date: text.to_owned() })
        }
        _ => Ok(()),
    }
}

/// The school a change writes to, for the changes that name one: it must be the school of the
/// device that sends it.
pub fn school_of(change: &Change) -> Option<SchoolId> {
    match change {
        Change::PutSchool(school) => Some(school.id),
        Change::PutClass(class) => Some(class.school),
        Change::PutStudent(student) => Some(student.school),
        Change::PutResident(resident) => Some(resident.school),
        Change::SetTerm { school, .. } | Change::SetDay { school, .. } | Change::SetRules { school, .. } => {
            Some(*school)
        }
        _ => None,
    }
}

/// Everything of `mutation` this module checks, for a device enrolled at `school` when the
/// server's clock reads `server_ms`: its stamp (made on its own device, at most
/// `MAX_STAMP_AHEAD_MS` ahead), its base (every entry below the stamp), its author, its change's texts and dates, and the school its
/// change names. The chain (counter, hash, id, the mutation's own school) is `sync::batch`'s.
pub fn check_mutation(mutation: &Mutation, school: SchoolId, server_ms: u64) -> Result<(), RejectionReason> {
    check_stamp(mutation.device, &mutation.stamp, server_ms)?;
    // A phone's clock observes a change's base before stamping it, so every base entry is
    // below the stamp, which is itself at most a day ahead: a base beyond it was never seen.
    if let Some(ahead) = mutation.base.iter().flatten().find(|seen| **seen >= mutation.stamp) {
        return Err(RejectionReason::BaseAhead { device: ahead.device });
    }
    check_text("author", &mutation.author, MAX_NAME_CHARS)?;
    if let Some(found) = school_of(&mutation.change).filter(|found| *found != school) {
        return Err(RejectionReason::ChangeForOtherSchool { expected: school, found });
    }
    check_change(&mutation.change)
}

fn check_stamp(device: DeviceId, stamp: &crate::hlc::Hlc, server_ms: u64) -> Result<(), RejectionReason> {
    if stamp.device != device {
        return Err(RejectionReason::StampOfOtherDevice { found: stamp.device });
    }
    if stamp.wall_ms > server_ms.saturating_add(MAX_STAMP_AHEAD_MS) {
        return Err(RejectionReason::StampAhead { wall_ms: stamp.wall_ms, server_ms, limit_ms: MAX_STAMP_AHEAD_MS });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::{AttendanceMark, MarkKind};
    use crate::calendar::Term;
    use crate::hlc::Hlc;
    use crate::ids::{RecordId, StudentId};
    use crate::mutation::DeviceChain;
    use crate::student::StudentField;

    const PHONE: DeviceId = DeviceId::from_u128(7);
    const SCHOOL: SchoolId = SchoolId::from_u128(1);
    const NOW: u64 = 1_795_400_000_000;

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn mark_on(date: NaiveDate) -> Change {
        Change::Mark(AttendanceMark {
            id: RecordId::from_u128(100),
            student: StudentId::from_u128(5),
            day: date,
            half: None,
            kind: MarkKind::Unexcused,
        })
    }

    fn mutation(author: &str, change: Change) -> Mutation {
        DeviceChain::new(PHONE).next(author, SCHOOL, change, NOW, [1; 10])
    }

    #[test]
    fn an_ordinary_mutation_passes() {
        assert_eq!(check_mutation(&mutation("王老师", mark_on(day(2026, 9, 1))), SCHOOL, NOW), Ok(()));
        let term = Term { name: "2026年秋季学期".into(), start: day(2026, 9, 1), end: day(2027, 1, 20) };
        let set_term = mutation("王老师", Change::SetTerm { school: SCHOOL, term });
        assert_eq!(check_mutation(&set_term, SCHOOL, NOW), Ok(()));
    }

    #[test]
    fn a_stamp_more_than_a_day_ahead_is_refused() {
        let mut poison = mutation("王老师", mark_on(day(2026, 9, 1)));
        poison.stamp = Hlc { wall_ms: u64::MAX, counter: u32::MAX, device: PHONE };
        assert_eq!(
            check_mutation(&poison, SCHOOL, NOW),
            Err(RejectionReason::StampAhead { wall_ms: u64::MAX, server_ms: NOW, limit_ms: MAX_STAMP_AHEAD_MS })
        );
        let mut just_within = poison.clone();
        just_within.stamp.wall_ms = NOW + MAX_STAMP_AHEAD_MS;
        assert_eq!(check_mutation(&just_within, SCHOOL, NOW), Ok(()));
        just_within.stamp.wall_ms += 1;
        assert!(matches!(check_mutation(&just_within, SCHOOL, NOW), Err(RejectionReason::StampAhead { .. })));
    }

    #[test]
    fn a_stamp_of_another_device_is_refused() {
        let mut spoofed = mutation("王老师", mark_on(day(2026, 9, 1)));
        spoofed.stamp.device = DeviceId::from_u128(8);
        assert_eq!(
            check_mutation(&spoofed, SCHOOL, NOW),
            Err(RejectionReason::StampOfOtherDevice { found: DeviceId::from_u128(8) })
        );
    }

    #[test]
    fn a_base_beyond_the_change_itself_is_refused_and_an_honest_one_passes() {
        let other = DeviceId::from_u128(8);
        let seen = Hlc { wall_ms: NOW - 60_000, counter: 0, device: other };
        let mut chain = DeviceChain::new(PHONE);
        let honest = chain.next_based("王老师", SCHOOL, mark_on(day(2026, 9, 1)), vec![seen], NOW, [2; 10]);
        assert_eq!(check_mutation(&honest, SCHOOL, NOW), Ok(()));
        // A phone claiming it saw every version there will ever be, to override them all.
        let mut spoofed = honest.clone();
        spoofed.base = Some(vec![seen, Hlc { wall_ms: u64::MAX, counter: u32::MAX, device: other }]);
        assert_eq!(check_mutation(&spoofed, SCHOOL, NOW), Err(RejectionReason::BaseAhead { device: other }));
        let mut tied = honest.clone();
        tied.base = Some(vec![Hlc { device: other, ..honest.stamp }]);
        assert!(matches!(check_mutation(&tied, SCHOOL, NOW), Err(RejectionReason::BaseAhead { .. })));
    }

    #[test]
    fn text_is_bounded_and_free_of_control_characters() {
        let long = "王".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(
            check_mutation(&mutation(&long, mark_on(day(2026, 9, 1))), SCHOOL, NOW),
            Err(RejectionReason::TextTooLong { field: "author".into(), chars: 51, limit: MAX_NAME_CHARS })
        );
        assert_eq!(check_text("note", &"字".repeat(MAX_TEXT_CHARS), MAX_TEXT_CHARS), Ok(()));
        assert!(check_text("note", &"字".repeat(MAX_TEXT_CHARS + 1), MAX_TEXT_CHARS).is_err());
        assert_eq!(check_text("note", "第一行\n\t第二行", MAX_TEXT_CHARS), Ok(()));
        assert_eq!(
            check_text("note", "a\u{1b}b", MAX_TEXT_CHARS),
            Err(RejectionReason::ControlCharacter { field: "note".into(), code: 0x1b })
        );
        let renamed =
            Change::EditStudent { student: StudentId::from_u128(5), field: StudentField::Name("张\0小明".into()) };
        assert_eq!(
            check_change(&renamed),
            Err(RejectionReason::ControlCharacter { field: "change.EditStudent.field.Name".into(), code: 0 })
        );
        // A name's field is held to the name limit even inside an edit.
        let renamed = Change::EditStudent {
            student: StudentId::from_u128(5),
            field: StudentField::Name("张".repeat(MAX_NAME_CHARS + 1)),
        };
        assert!(matches!(check_change(&renamed), Err(RejectionReason::TextTooLong { limit: MAX_NAME_CHARS, .. })));
        let address = Change::EditStudent {
            student: StudentId::from_u128(5),
            field: StudentField::Address("村".repeat(MAX_NAME_CHARS + 1)),
        };
        assert_eq!(check_change(&address), Ok(()));
        let reason = Change::Retract { record: RecordId::from_u128(1), reason: "x".repeat(MAX_TEXT_CHARS + 1) };
        assert!(matches!(check_change(&reason), Err(RejectionReason::TextTooLong { limit: MAX_TEXT_CHARS, .. })));
    }

    #[test]
    fn dates_lie_between_1990_and_2100() {
        assert_eq!(check_change(&mark_on(day(1990, 1, 1))), Ok(()));
        assert_eq!(check_change(&mark_on(day(2100, 12, 31))), Ok(()));
        assert_eq!(
            check_change(&mark_on(day(1989, 12, 31))),
            Err(RejectionReason::DateOutOfRange { field: "change.Mark.day".into(), date: "1989-12-31".into() })
        );
        assert!(matches!(check_change(&mark_on(day(2101, 1, 1))), Err(RejectionReason::DateOutOfRange { .. })));
        let far = NaiveDate::from_ymd_opt(-262_143, 1, 1).unwrap();
        assert_eq!(
            check_change(&mark_on(far)),
            Err(RejectionReason::DateOutOfRange { field: "change.Mark.day".into(), date: "-262143-01-01".into() })
        );
        let born = Change::EditStudent { student: StudentId::from_u128(5), field: StudentField::BirthDate(far) };
        assert!(matches!(check_change(&born), Err(RejectionReason::DateOutOfRange { .. })));
        let term = Term { name: "秋季".into(), start: day(2026, 9, 1), end: day(2126, 1, 20) };
        assert!(matches!(
            check_change(&Change::SetTerm { school: SCHOOL, term }),
            Err(RejectionReason::DateOutOfRange { .. })
        ));
    }

    #[test]
    fn a_change_naming_another_school_is_refused() {
        let other = SchoolId::from_u128(2);
        let term = Term { name: "秋季".into(), start: day(2026, 9, 1), end: day(2027, 1, 20) };
        let foreign = mutation("王老师", Change::SetTerm { school: other, term });
        assert_eq!(
            check_mutation(&foreign, SCHOOL, NOW),
            Err(RejectionReason::ChangeForOtherSchool { expected: SCHOOL, found: other })
        );
        assert_eq!(school_of(&mark_on(day(2026, 9, 1))), None);
    }
}
