//! Baoxue's domain: the records of 控辍保学, the mutations that write them, and the figures and
//! risk levels computed from them. Pure logic, no I/O: the phone and the server link this crate
//! and so compute the same figure from the same events. "Today" is always a parameter.

pub mod age;
pub mod attendance;
pub mod attendance_day;
pub mod calendar;
pub mod case;
pub mod casework;
pub mod child_file;
pub mod class_name;
pub mod class_rename;
pub mod contact;
pub mod crosscheck;
pub mod csv_text;
pub mod dashboard;
pub mod date_text;
pub mod disclosure;
pub mod dropout_report;
pub mod escalation;
pub mod figures;
pub mod follow_up;
pub mod follow_up_schedule;
pub mod hlc;
pub mod holidays;
pub mod id_number;
pub mod ids;
pub mod investigation;
pub mod ledger;
pub mod monthly_report;
pub mod mutation;
pub mod notice;
pub mod notice_paper;
pub mod org;
pub mod phone;
pub mod register;
pub mod relapse;
pub mod resident;
pub mod returns;
pub mod risk;
pub mod safety;
pub mod settings;
pub mod setup;
pub mod sorting;
pub mod standing;
pub mod state;
pub mod status;
pub mod student;
pub mod student_number;
pub mod survey;
pub mod sync;
#[cfg(test)]
mod test_school;
pub mod timers;
mod typed_text;
pub mod validate;
pub mod visit_register;
pub mod wire_limits;
