//! `EnrolledDevice`: the device behind the request's `Authorization: Bearer <credential>`,
//! checked on every sync request. A handler that takes one never runs for an unknown or
//! revoked device, nor for one over its rate limit (`rate_limit.rs`).

use crate::credentials::hash_secret;
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
        let access = app.database.authenticate(&hash_secret(token), now_ms()).await?;
        let access = access.ok_or(ApiError::UnknownCredential)?;
        if access.revoked_ms.is_some() {
            return Err(ApiError::DeviceRevoked(access.device));
        }
        app.limiter
            .take(access.device, std::time::Instant::now())
            .map_err(|wait| ApiError::RateLimited { retry_after_secs: whole_seconds(wait) })?;
        Ok(EnrolledDevice { id: access.device, school: access.school })
    }
}

/// A wait in whole seconds, rounded up and at least one, as `Retry-After` wants it.
fn whole_seconds(wait: std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}
