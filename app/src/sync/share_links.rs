//! The school's links for supervisors, on the server (`/api/share-links`): made, listed and
//! revoked with this phone's credential. Online only: a link is the server's to make.

use crate::sync::{http, SyncCtx, SyncError};
use baoxue_domain::sync::protocol::{NewShareLink, SchoolShareLink, SchoolShareLinks, ShareLinkMade};
use leptos::prelude::GetUntracked;

fn token(sync: SyncCtx) -> Result<String, SyncError> {
    Ok(sync.credential.get_untracked().ok_or(SyncError::NotEnrolled)?.token)
}

/// The school's links, newest first.
pub async fn list(sync: SyncCtx) -> Result<Vec<SchoolShareLink>, SyncError> {
    let answer: SchoolShareLinks = http::call("GET", "/api/share-links", Some(&token(sync)?), None).await?;
    Ok(answer.links)
}

/// Makes a link to the school, for `days` days, with the address this page was opened at.
pub async fn make(sync: SyncCtx, days: u32, label: String) -> Result<ShareLinkMade, SyncError> {
    let origin = leptos::prelude::window().location().origin().unwrap_or_default();
    let request = NewShareLink { expires_days: days, label, origin };
    let body = serde_json::to_string(&request).map_err(|error| SyncError::BadAnswer(error.to_string()))?;
    http::call("POST", "/api/share-links", Some(&token(sync)?), Some(body)).await
}

/// Revokes a link; answers the school's links after it.
pub async fn revoke(sync: SyncCtx, id: impl std::fmt::Display) -> Result<Vec<SchoolShareLink>, SyncError> {
    let path = format!("/api/share-links/{id}/revoke");
    let answer: SchoolShareLinks = http::call("POST", &path, Some(&token(sync)?), None).await?;
    Ok(answer.links)
}
