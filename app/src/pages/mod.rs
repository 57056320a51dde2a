//! One file per screen.

pub mod attendance;
pub mod board;
pub mod conflicts;
pub mod home;
pub mod import;
pub mod roster;
pub mod settings;
pub mod setup;
pub mod student;
pub mod sync;
