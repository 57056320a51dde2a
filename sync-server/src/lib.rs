//! Baoxue's sync server: merges what phones submit and serves the built app.

pub mod api;
pub mod credentials;
pub mod error;
pub mod last_seen;
pub mod operator;
pub mod rate_limit;
pub mod routes;
pub mod security_headers;
pub mod serve;
pub mod share;
pub mod static_files;
pub mod storage;
pub mod tls;

use last_seen::LastSeen;
use rate_limit::{AddressLimiter, Limits, RateLimit, RateLimiter};
use std::sync::Arc;
use storage::Database;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub database: Database,
    /// Sync requests per device (push, pull, conflicts).
    pub limiter: Arc<RateLimiter>,
    /// Enrollment attempts per client address.
    pub enroll_limiter: Arc<AddressLimiter>,
    /// When each device was last seen, until the next flush writes it.
    pub last_seen: Arc<LastSeen>,
    /// Shared links opened per client address.
    pub share_limiter: Arc<AddressLimiter>,
    /// Wakes the job that works out the schools' figures (`share::figures::keep_fresh`) after
    /// a push stored changes.
    pub figures_wake: Arc<tokio::sync::Notify>,
}

impl AppState {
    /// The state with the default limits.
    pub fn new(database: Database) -> Self {
        AppState::with_limits(database, Limits::default())
    }

    /// The default limits but `limit` per device.
    pub fn with_rate_limit(database: Database, limit: RateLimit) -> Self {
        AppState::with_limits(database, Limits { device: limit, ..Limits::default() })
    }

    pub fn with_limits(database: Database, limits: Limits) -> Self {
        AppState {
            database,
            limiter: Arc::new(RateLimiter::new(limits.device)),
            enroll_limiter: Arc::new(AddressLimiter::new(limits.enroll)),
            last_seen: Arc::new(LastSeen::default()),
            share_limiter: Arc::new(AddressLimiter::new(limits.share)),
            figures_wake: Arc::new(tokio::sync::Notify::new()),
        }
    }
}

/// The server's clock, in milliseconds since 1970. Read only at the edges (handlers and
/// operator commands); storage and the domain take the time as a parameter.
pub fn now_ms() -> i64 {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
