//! Identifiers. Every record id is a UUIDv7 made on the device that created the record, so a
//! phone offline for a week can create students and marks that never collide with another
//! phone's. The domain never reads the clock or a random source: callers pass both in.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A UUIDv7 from the creating device's clock (milliseconds since 1970) and ten
            /// random bytes. Sorting ids sorts them roughly by creation time.
            pub fn new_v7(unix_ms: u64, random: [u8; 10]) -> Self {
                Self(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
            }

            /// A fixed id, for tests and generated data that must be reproducible.
            pub const fn from_u128(value: u128) -> Self {
                Self(Uuid::from_u128(value))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        /// Reads back what `Display` wrote: an id that arrived as text (a link, a file).
        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(text).map(Self)
            }
        }
    };
}

id_type!(
    /// A county education bureau (县).
    CountyId
);
id_type!(
    /// A town or township (镇/乡).
    TownId
);
id_type!(
    /// A school: the unit of privacy. A device sees one school only.
    SchoolId
);
id_type!(
    /// A class (班) of one grade of one school.
    ClassId
);
id_type!(
    /// A student. Distinct from the 学籍号, which can be missing, mistyped or corrected.
    StudentId
);
id_type!(
    /// A phone or PC enrolled at one school.
    DeviceId
);
id_type!(
    /// One mutation: the only way anything is written.
    MutationId
);
id_type!(
    /// An append-only record: a mark, a status event, a visit, a notice, and so on.
    RecordId
);
id_type!(
    /// A persuasion-to-return case (劝返复学方案, one per child and dropout episode).
    CaseId
);
id_type!(
    /// A child on the resident list (户籍), who may or may not be on any school's roll.
    ResidentId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_back_from_its_text_and_anything_else_is_refused() {
        let id = StudentId::new_v7(1_790_000_000_000, [7; 10]);
        assert_eq!(id.to_string().parse::<StudentId>(), Ok(id));
        assert!("new".parse::<StudentId>().is_err());
        assert!("".parse::<StudentId>().is_err());
    }
}
