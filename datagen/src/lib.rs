//! Baoxue's data generator: deterministic, realistic test and benchmark data.
//!
//! [`generate`] turns a [`Spec`] (seed, size, term, today) into a [`Dataset`]: the org tree,
//! classes, children with their households and flags, a term of status events and attendance
//! marks, and the persuasion work after each dropout (ledger row, case, contacts, notices,
//! return, follow-ups), all as domain records. [`Dataset::mutations`] gives the exact mutations a school's
//! phones would hold for them, made through `DeviceChain`, with ids and clocks derived from the
//! seed. The same `Spec` gives the same bytes on every platform and forever: every draw comes
//! from a ChaCha8 stream (see `dice`), and nothing reads a clock.
//!
//! The core compiles for `wasm32-unknown-unknown` with `--no-default-features`; the roster
//! writers (XLSX, CSV in UTF-8 and GBK) are behind the default `files` feature and the
//! `baoxue-datagen` command behind `cli`.
//!
//! ```
//! use baoxue_datagen::{generate, Size, Spec};
//!
//! let dataset = generate(&Spec::new(7, Size::Class)); // Autumn 2026, data up to 20 November.
//! let mutations = dataset.mutations();
//! assert_eq!(mutations.len(), dataset.mutation_count());
//! assert_eq!(dataset.state().students().len(), dataset.pupils.len());
//! ```

mod attendance;
mod casework;
mod clock;
mod dataset;
mod dice;
mod episodes;
mod flags;
mod generate;
mod jsonl;
mod names;
mod people;
mod spec;
mod tree;

#[cfg(feature = "files")]
pub mod files;

pub use casework::{CaseEdit, Casework};
pub use dataset::{Dataset, Devices, Summary};
pub use generate::generate;
pub use jsonl::{read_jsonl, write_jsonl};
pub use people::{Household, LeftBehind, Member, Pupil, SingleParent};
pub use spec::{Size, Spec, TermPlan};
pub use tree::{SchoolSetup, TownSetup};
