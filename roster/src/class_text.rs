//! Grades and classes as schools write them. The rules live in the domain
//! (`baoxue_domain::class_name`), because the app's setup form and its settings read class names
//! by them too; this module keeps the roster's paths.

pub use baoxue_domain::class_name::*;
