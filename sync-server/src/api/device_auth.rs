//! `EnrolledDevice`: the device behind the request's `Authorization: Bearer <credential>`,
//! checked on every sync request. A handler that takes one never runs for an unknown or
//! revoked device, nor for one over its rate limit (`rate_limit.rs`). A credential that is not
//! shaped as the server makes them is refused without asking the database; any other check is
//! one read, and that the device was seen is noted in memory (`last_seen.rs`), so requests with
//! made-up credentials never take the database's write lock.
//!
//! Unknown credentials are not limited per address before the lookup: the phones of a school
//! share one address (its Wi-Fi, a carrier's NAT, a reverse proxy), and such a limit would let
//! one guesser lock all of them out. Guessing 256 random bits is hopeless, and a lookup by an
//! indexed hash costs little.

use crate::credentials::{could_be_device_token, hash_secret};
use crate::error::ApiError;
use crate::storage::Storage;
use crate::{now_ms, AppState};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use baoxue_domain::ids::{DeviceId, SchoolId};

#[derive(Clone, Copy, Debug)]
pub struct EnrolledDevice {
    pub id: DeviceId,
    pub school: SchoolId,
}

impl FromRequestParts<AppState> for EnrolledDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok());
        let token = header
            .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or(ApiError::MissingCredential)?;
        if !could_be_device_token(token) {
            return Err(ApiError::UnknownCredential);
        }
        let access = app.database.authenticate(&hash_secret(token)).await?;
        let access = access.ok_or(ApiError::UnknownCredential)?;
        if access.revoked_ms.is_some() {
            return Err(ApiError::DeviceRevoked(access.device));
        }
        app.last_seen.note(access.device, now_ms());
        app.limiter
            .take(access.device, std::time::Instant::now())
            .map_err(|wait| ApiError::RateLimited { retry_after_secs: whole_seconds(wait) })?;
        Ok(EnrolledDevice { id: access.device, school: access.school })
    }
}

/// A wait in whole seconds, rounded up and at least one, as `Retry-After` wants it.
pub(crate) fn whole_seconds(wait: std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}
