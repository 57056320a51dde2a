//! The HTTP API: one file per resource. A handler parses, asks the domain, calls storage and
//! answers; every error is an `ApiError`.

pub mod batches;
pub mod changes;
pub mod client_address;
pub mod conflicts;
pub mod device_auth;
pub mod enrollment;
pub mod health;
pub mod json;
pub mod share;
pub mod share_links;
