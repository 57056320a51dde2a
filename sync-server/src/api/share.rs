//! `GET /share/{token}`: what a supervisor opens, the merged figures of a unit as a page (no app
//! code; its one small script keeps it for offline use); `/share/{token}/xlsx`: the page's table
//! as a spreadsheet; `GET /api/share/{token}`: the same view as JSON. Behind a link there are
//! aggregates only (`share::figures`). Each client address may open
//! links only so often (`RateLimit::SHARE`), checked before the database is asked, so a token
//! cannot be guessed by trying. Answers are never stored by a cache or indexed.

use crate::api::client_address::ClientAddress;
use crate::api::device_auth::whole_seconds;
use crate::error::ApiError;
use crate::share::figures::{self, ShareView};
use crate::share::links;
use crate::share::page::{self, Lang};
use crate::share::sheet;
use crate::{now_ms, AppState};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// What a link answers with: the view, or why not.
async fn open(app: &AppState, address: std::net::IpAddr, token: &str) -> Result<ShareView, ApiError> {
    app.share_limiter
        .take(address, std::time::Instant::now())
        .map_err(|wait| ApiError::ShareLimited { retry_after_secs: whole_seconds(wait) })?;
    let now = now_ms();
    let link = links::open(&app.database, token, now).await??;
    Ok(figures::view(&app.database, link.unit, link.expires_ms, now).await?)
}

/// Neither kept by a cache nor indexed: a link is for the people it was given to.
fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    response
}

pub async fn view_json(
    State(app): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
) -> Response {
    private(match open(&app, address, &token).await {
        Ok(view) => Json(view).into_response(),
        Err(error) => error.into_response(),
    })
}

pub async fn view_page(
    State(app): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = Lang::from_query(query.as_deref());
    private(match open(&app, address, &token).await {
        Ok(view) => html(StatusCode::OK, page::view_page(&view, lang, &format!("/share/{token}"))),
        Err(error) => error_page(error, lang),
    })
}

/// `GET /share/{token}/xlsx`: the page's table as a spreadsheet.
pub async fn view_sheet(
    State(app): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = Lang::from_query(query.as_deref());
    private(match open(&app, address, &token).await {
        Ok(view) => match sheet::workbook(&view, lang) {
            Ok(bytes) => (
                [
                    (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"baoxue-figures.xlsx\""),
                ],
                bytes,
            )
                .into_response(),
            Err(error) => {
                tracing::error!("could not write a shared view's spreadsheet: {error}");
                html(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    page::error_page("the spreadsheet could not be made; try again", lang),
                )
            }
        },
        Err(error) => error_page(error, lang),
    })
}

fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// A link that opens nothing, as a page: 404 for one never made, 410 for one that no longer
/// works, each saying so; other failures with what to do.
fn error_page(error: ApiError, lang: Lang) -> Response {
    match error {
        ApiError::ShareClosed(closed) => html(error.status(), page::closed_page(closed, lang)),
        error => html(error.status(), page::error_page(&error.public_message(), lang)),
    }
}

pub async fn register() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], page::REGISTER)
        .into_response()
}

/// The service worker is fetched again on each visit (`no-cache`), so a new one takes over.
pub async fn service_worker() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        page::SERVICE_WORKER,
    )
        .into_response()
}

/// `GET /robots.txt`: crawlers keep off shared links and the API (the app's pages are behind a
/// first-run form anyway). Without it the app's fallback answered with its HTML page.
pub async fn robots() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "User-agent: *\nDisallow: /share/\nDisallow: /api/\n")
        .into_response()
}

pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")], page::STYLE)
        .into_response()
}
