//! Why the server refused a mutation. The app translates each reason for the teacher; the
//! English `Display` is for logs and for the operator's sync health report.

use crate::ids::{DeviceId, MutationId, SchoolId};
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
}

impl RejectionReason {
    /// Whether sending the same change again, as the next mutation of the phone's current
    /// chain, can succeed: a reused counter or a broken chain says nothing against the change
    /// itself (an older app version numbered two writes alike, or a restored backup). The
    /// others are about the change (its school, its id) or a foreign phone's change: a person
    /// must look.
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
            | RejectionReason::IdTaken { .. } => true,
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
