//! Why the server refused a mutation. The app translates each reason for the teacher; the
//! English `Display` is for logs and for the operator's sync health report.

use crate::ids::{DeviceId, MutationId, SchoolId};
use crate::sync::references::RecordRef;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RejectionReason {
    /// The counter was already used by another change of this phone. The server keeps the
    /// first; this one is refused. Happens when a phone is restored from an old backup.
    #[error(
        "change number {seq} of this phone was already used for a different change; the server keeps the first one"
    )]
    CounterReused { seq: u64 },
    /// The change does not follow the phone's previous change as the server holds it.
    #[error("change number {seq} does not follow this phone's previous change as the server has it: the phone's history was altered or restored from a backup")]
    BrokenChain { seq: u64 },
    /// The change writes to a school other than the one the phone is enrolled at.
    #[error("this change is for school {found}, but this phone is enrolled at school {expected}")]
    WrongSchool { expected: SchoolId, found: SchoolId },
    /// The change was made on another phone; each phone sends only its own.
    #[error("this change was made on another phone ({found}); each phone sends only its own changes")]
    WrongDevice { found: DeviceId },
    /// The change's id is already the id of another change.
    #[error("the id {id} of this change is already used by another change")]
    IdTaken { id: MutationId },
    /// Counters start at 1.
    #[error("change number 0 is not a counter: a phone numbers its changes from 1")]
    ZeroCounter,
    /// The change's stamp is further ahead of the server's clock than `limit_ms`
    /// (`wire_limits::MAX_STAMP_AHEAD_MS`): every phone would adopt it and no later edit could win.
    #[error("this change is stamped {wall_ms} ms since 1970, more than {limit_ms} ms ahead of the server's clock ({server_ms})")]
    StampAhead { wall_ms: u64, server_ms: u64, limit_ms: u64 },
    /// The change's stamp names another phone than the one that made the change.
    #[error("this change's stamp names another phone ({found}) than the one that made it")]
    StampOfOtherDevice { found: DeviceId },
    /// A text of the change is longer than its limit (`wire_limits`).
    #[error("the text {field} has {chars} characters, more than the {limit} allowed")]
    TextTooLong { field: String, chars: usize, limit: usize },
    /// A text of the change holds a control character (C0 but line feed and tab).
    #[error("the text {field} holds the control character U+{code:04X}")]
    ControlCharacter { field: String, code: u32 },
    /// A date of the change lies outside 1990-01-01..=2100-12-31.
    #[error("the date {field} = {date} is outside 1990-01-01 to 2100-12-31")]
    DateOutOfRange { field: String, date: String },
    /// The change writes to a school (a term, rules, a class, a student, …) other than the
    /// phone's.
    #[error("this change writes to school {found}, but this phone is enrolled at school {expected}")]
    ChangeForOtherSchool { expected: SchoolId, found: SchoolId },
    /// The change claims to replace a version stamped at or after the change itself (its
    /// `base`), which no phone can have seen when making it: a spoofed base would override
    /// others' edits without a conflict.
    #[error("this change claims to replace a version of phone {device} stamped at or after the change itself, which no phone can have seen")]
    BaseAhead { device: DeviceId },
    /// The change names a student, class or case whose own record the server refused (for
    /// its reason, listed with it), so the school will never hold it.
    #[error(
        "this change names {record}, whose own record the server refused; correct that record and enter this again"
    )]
    RecordRefused { record: RecordRef },
}

impl RejectionReason {
    /// Whether sending the same change again, as the next mutation of the phone's current
    /// chain, can succeed: a reused counter or a broken chain says nothing against the change
    /// itself (an older app version numbered two writes alike, or a restored backup). The
    /// others are about the change (its school, its id, its stamp, texts or dates) or a foreign
    /// phone's change: a person must look.
    pub fn resend_can_succeed(&self) -> bool {
        matches!(self, RejectionReason::CounterReused { .. } | RejectionReason::BrokenChain { .. })
    }

    /// Whether refusing the mutation uses up its place in the device's chain: the server moves
    /// the device's head past it, so the next mutation, chained to it, can be applied. A
    /// resend could never fix these (the content is what it is), so holding the head back
    /// would only jam every later change of the phone. The others are not in the chain at all
    /// (a reused counter is already behind the head; a foreign or zero counter is not this
    /// device's).
    pub fn uses_counter(&self) -> bool {
        match self {
            RejectionReason::BrokenChain { .. }
            | RejectionReason::WrongSchool { .. }
            | RejectionReason::IdTaken { .. }
            | RejectionReason::StampAhead { .. }
            | RejectionReason::StampOfOtherDevice { .. }
            | RejectionReason::TextTooLong { .. }
            | RejectionReason::ControlCharacter { .. }
            | RejectionReason::DateOutOfRange { .. }
            | RejectionReason::ChangeForOtherSchool { .. }
            | RejectionReason::BaseAhead { .. }
            | RejectionReason::RecordRefused { .. } => true,
            RejectionReason::CounterReused { .. }
            | RejectionReason::WrongDevice { .. }
            | RejectionReason::ZeroCounter => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_numbering_problem_is_resent_without_a_person() {
        assert!(RejectionReason::CounterReused { seq: 3 }.resend_can_succeed());
        assert!(RejectionReason::BrokenChain { seq: 4 }.resend_can_succeed());
        assert!(!RejectionReason::ZeroCounter.resend_can_succeed());
        assert!(!RejectionReason::IdTaken { id: MutationId::from_u128(1) }.resend_can_succeed());
        assert!(!RejectionReason::WrongDevice { found: DeviceId::from_u128(2) }.resend_can_succeed());
        let content = [
            RejectionReason::StampAhead { wall_ms: u64::MAX, server_ms: 1, limit_ms: 2 },
            RejectionReason::StampOfOtherDevice { found: DeviceId::from_u128(2) },
            RejectionReason::TextTooLong { field: "author".into(), chars: 100_000, limit: 50 },
            RejectionReason::ControlCharacter { field: "author".into(), code: 0 },
            RejectionReason::DateOutOfRange { field: "change.Mark.day".into(), date: "-262143-01-01".into() },
            RejectionReason::ChangeForOtherSchool { expected: SchoolId::from_u128(1), found: SchoolId::from_u128(2) },
            RejectionReason::BaseAhead { device: DeviceId::from_u128(3) },
            RejectionReason::RecordRefused { record: RecordRef::Student(crate::ids::StudentId::from_u128(4)) },
        ];
        for reason in content {
            assert!(!reason.resend_can_succeed(), "{reason}");
            assert!(reason.uses_counter(), "a refused content never jams the queue: {reason}");
        }
    }

    #[test]
    fn a_content_reason_travels_as_tagged_json() {
        let reason = RejectionReason::TextTooLong { field: "author".into(), chars: 100_000, limit: 50 };
        let json = serde_json::to_string(&reason).unwrap();
        assert_eq!(json, r#"{"kind":"text_too_long","field":"author","chars":100000,"limit":50}"#);
        assert_eq!(serde_json::from_str::<RejectionReason>(&json).unwrap(), reason);
        let stamp =
            serde_json::to_string(&RejectionReason::StampOfOtherDevice { found: DeviceId::from_u128(2) }).unwrap();
        assert!(stamp.starts_with(r#"{"kind":"stamp_of_other_device","found":"#), "{stamp}");
    }

    #[test]
    fn a_reason_travels_as_tagged_json_and_reads_in_english() {
        let reason = RejectionReason::CounterReused { seq: 12 };
        let json = serde_json::to_string(&reason).unwrap();
        assert_eq!(json, r#"{"kind":"counter_reused","seq":12}"#);
        assert_eq!(serde_json::from_str::<RejectionReason>(&json).unwrap(), reason);
        assert!(reason.to_string().starts_with("change number 12 of this phone was already used"));
    }
}
