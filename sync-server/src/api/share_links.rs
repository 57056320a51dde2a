//! A school's phone shares the school's figures with a supervisor (issue #14): `POST
//! /api/share-links` makes a link to the phone's school (answered once with the link and its QR
//! code as SVG), `GET /api/share-links` lists the school's links, `POST
//! /api/share-links/{id}/revoke` revokes one. A phone sees and revokes only its own school's.

use crate::api::device_auth::EnrolledDevice;
use crate::api::json::ApiJson;
use crate::error::ApiError;
use crate::share::links;
use crate::storage::{ShareUnit, Storage};
use crate::{now_ms, AppState};
use axum::extract::{Path, State};
use axum::Json;
use baoxue_domain::ids::SchoolId;
use baoxue_domain::sync::protocol::{NewShareLink, SchoolShareLink, SchoolShareLinks, ShareLinkMade, MAX_SHARE_DAYS};

const DAY_MS: i64 = 86_400_000;

/// The longest origin taken; a real one is far shorter.
const MAX_ORIGIN_CHARS: usize = 200;

/// Whether `origin` is an address a link can be made with: `http://` or `https://`, a host, no
/// path, nothing that would break out of the QR code's text or a page's link.
fn plain_origin(origin: &str) -> bool {
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    origin.chars().count() <= MAX_ORIGIN_CHARS
        && rest.is_some_and(|host| {
            !host.is_empty()
                && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
}

pub async fn create(
    State(app): State<AppState>,
    device: EnrolledDevice,
    ApiJson(request): ApiJson<NewShareLink>,
) -> Result<Json<ShareLinkMade>, ApiError> {
    if !(1..=MAX_SHARE_DAYS).contains(&request.expires_days) {
        return Err(ApiError::BadShareLink(format!(
            "a link works for 1 to {MAX_SHARE_DAYS} days, not {}",
            request.expires_days
        )));
    }
    let origin = request.origin.trim().trim_end_matches('/');
    if !plain_origin(origin) {
        return Err(ApiError::BadShareLink(format!(
            "{origin:?} is not the server's address (as https://baoxue.example.cn)"
        )));
    }
    let expires_in_ms = i64::from(request.expires_days) * DAY_MS;
    let made =
        links::create(&app.database, ShareUnit::School(device.school), &request.label, expires_in_ms, now_ms()).await?;
    let url = format!("{origin}/share/{}", made.token);
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map(|code| code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).build())
        .map_err(|error| ApiError::BadShareLink(format!("the link does not fit a QR code: {error}")))?;
    tracing::info!("device {} shared school {} until {}", device.id, device.school, made.row.expires_ms);
    Ok(Json(ShareLinkMade { id: made.row.id, url, expires_ms: made.row.expires_ms, qr_svg }))
}

/// The links to `school`, newest first, as a phone of it sees them (never a token).
async fn school_links(app: &AppState, school: SchoolId) -> Result<Vec<SchoolShareLink>, ApiError> {
    Ok(app
        .database
        .share_links()
        .await?
        .into_iter()
        .filter(|link| link.unit == ShareUnit::School(school))
        .map(|link| SchoolShareLink {
            id: link.id,
            label: link.label,
            created_ms: link.created_ms,
            expires_ms: link.expires_ms,
            revoked_ms: link.revoked_ms,
        })
        .collect())
}

pub async fn list(State(app): State<AppState>, device: EnrolledDevice) -> Result<Json<SchoolShareLinks>, ApiError> {
    Ok(Json(SchoolShareLinks { links: school_links(&app, device.school).await? }))
}

pub async fn revoke(
    State(app): State<AppState>,
    device: EnrolledDevice,
    Path(id): Path<uuid::Uuid>,
) -> Result<Json<SchoolShareLinks>, ApiError> {
    let mut links = school_links(&app, device.school).await?;
    let Some(link) = links.iter_mut().find(|link| link.id == id) else {
        return Err(ApiError::Storage(crate::storage::StorageError::NoSuchShareLink(id)));
    };
    let now = now_ms();
    if app.database.revoke_share_link(id, now).await? {
        link.revoked_ms = Some(now);
    }
    Ok(Json(SchoolShareLinks { links }))
}

#[cfg(test)]
mod tests {
    use super::plain_origin;

    #[test]
    fn only_a_plain_origin_makes_a_link() {
        assert!(plain_origin("https://baoxue.example.cn"));
        assert!(plain_origin("http://127.0.0.1:8080"));
        assert!(!plain_origin("javascript:alert(1)"));
        assert!(!plain_origin("https://evil.example/\"><script>"));
        assert!(!plain_origin("https://"));
        assert!(!plain_origin("ftp://baoxue.example.cn"));
    }
}
