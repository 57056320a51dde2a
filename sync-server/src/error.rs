//! `ApiError`: the only type that becomes an HTTP error. Every answer is JSON with `error` (an
//! English sentence for logs and people) and `code` (a stable word the app translates).

use crate::storage::{EnrollRefusal, StorageError};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use baoxue_domain::ids::DeviceId;

/// The largest request body the API reads: a full batch of 500 mutations fits with room.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such API endpoint: {0}")]
    NoSuchEndpoint(String),
    #[error("this request carries no device credential (Authorization: Bearer …): enroll this phone with a code from the school's operator")]
    MissingCredential,
    #[error(
        "this device credential is not known to the server: enroll this phone again with a new code from the operator"
    )]
    UnknownCredential,
    #[error("this phone ({0}) was removed from its school by the operator; its unsent changes stay on the phone. Ask the operator to enroll it again")]
    DeviceRevoked(DeviceId),
    #[error("this batch says it is from device {claimed}, but the credential is device {enrolled}'s")]
    WrongDevice { claimed: DeviceId, enrolled: DeviceId },
    #[error(
        "this phone is syncing too often: wait {retry_after_secs} seconds and try again (the app retries by itself)"
    )]
    RateLimited { retry_after_secs: u64 },
    #[error("too many enrollment attempts from this network address: wait {retry_after_secs} seconds and try again")]
    AddressLimited { retry_after_secs: u64 },
    #[error("the request body is larger than the limit of {limit} bytes: send fewer changes per batch")]
    BodyTooLarge { limit: usize },
    #[error("a batch holds at most {limit} changes; this one holds {count}: send it in parts")]
    BatchTooLarge { count: usize, limit: usize },
    #[error("the request body is not the expected JSON: {0}")]
    BadJson(String),
    #[error("the request body must be JSON sent with Content-Type: application/json")]
    NotJson,
    #[error("the query string is wrong: {0}")]
    BadQuery(String),
    #[error("{0}")]
    Enroll(#[from] EnrollRefusal),
    #[error("the server could not make a credential: {0}")]
    Random(#[from] crate::credentials::RandomError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{0}")]
    ShareClosed(#[from] crate::share::links::Closed),
    #[error("this shared link cannot be made: {0}")]
    BadShareLink(String),
    #[error("too many shared links opened from this network address: wait {retry_after_secs} seconds and try again")]
    ShareLimited { retry_after_secs: u64 },
}

impl ApiError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        self.status_and_code().0
    }

    /// What the caller is told: the whole message, except for a database failure, whose
    /// details go to the operator's log only.
    pub fn public_message(&self) -> String {
        match self {
            ApiError::Random(_) | ApiError::Storage(StorageError::DeviceRevoked(_) | StorageError::NoSuchDevice(_)) => {
                self.to_string()
            }
            ApiError::Storage(StorageError::NoSuchUnit { .. } | StorageError::NoSuchShareLink(_)) => self.to_string(),
            ApiError::Storage(_) => {
                tracing::error!("{self}");
                "the server's database is not answering; try again later".to_owned()
            }
            _ => self.to_string(),
        }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::NoSuchEndpoint(_) => (StatusCode::NOT_FOUND, "no_such_endpoint"),
            ApiError::MissingCredential => (StatusCode::UNAUTHORIZED, "missing_credential"),
            ApiError::UnknownCredential => (StatusCode::UNAUTHORIZED, "unknown_credential"),
            ApiError::DeviceRevoked(_) => (StatusCode::FORBIDDEN, "device_revoked"),
            ApiError::WrongDevice { .. } => (StatusCode::FORBIDDEN, "wrong_device"),
            ApiError::RateLimited { .. } | ApiError::AddressLimited { .. } | ApiError::ShareLimited { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
            }
            ApiError::BodyTooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
            ApiError::BatchTooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large"),
            ApiError::BadJson(_) => (StatusCode::BAD_REQUEST, "bad_json"),
            ApiError::NotJson => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json"),
            ApiError::BadQuery(_) => (StatusCode::BAD_REQUEST, "bad_query"),
            ApiError::Enroll(EnrollRefusal::UnknownCode) => (StatusCode::BAD_REQUEST, "unknown_code"),
            ApiError::Enroll(EnrollRefusal::AlreadyUsed) => (StatusCode::GONE, "code_used"),
            ApiError::Enroll(EnrollRefusal::Expired) => (StatusCode::GONE, "code_expired"),
            ApiError::Enroll(EnrollRefusal::DeviceTaken) => (StatusCode::CONFLICT, "device_taken"),
            ApiError::Storage(StorageError::DeviceRevoked(_)) => (StatusCode::FORBIDDEN, "device_revoked"),
            ApiError::Storage(StorageError::NoSuchDevice(_)) => (StatusCode::UNAUTHORIZED, "unknown_credential"),
            ApiError::ShareClosed(crate::share::links::Closed::Unknown) => (StatusCode::NOT_FOUND, "unknown_link"),
            ApiError::ShareClosed(crate::share::links::Closed::Revoked) => (StatusCode::GONE, "link_revoked"),
            ApiError::ShareClosed(crate::share::links::Closed::Expired) => (StatusCode::GONE, "link_expired"),
            ApiError::Storage(StorageError::NoSuchUnit { .. }) => (StatusCode::NOT_FOUND, "no_such_unit"),
            ApiError::Storage(StorageError::NoSuchShareLink(_)) => (StatusCode::NOT_FOUND, "no_such_link"),
            ApiError::BadShareLink(_) => (StatusCode::BAD_REQUEST, "bad_share_link"),
            ApiError::Random(_) | ApiError::Storage(_) => (StatusCode::SERVICE_UNAVAILABLE, "server_unavailable"),
        }
    }
}

impl From<crate::share::links::LinkError> for ApiError {
    fn from(error: crate::share::links::LinkError) -> Self {
        match error {
            crate::share::links::LinkError::Random(error) => ApiError::Random(error),
            crate::share::links::LinkError::Storage(error) => ApiError::Storage(error),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::NotJson,
            rejection if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::BodyTooLarge { limit: MAX_BODY_BYTES }
            }
            // axum's text names the field: "mutations[3].seq: invalid type: string …".
            rejection => ApiError::BadJson(rejection.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadQuery(rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        // The full error of a database failure goes to the operator's log; the phone gets a
        // short answer.
        let message = self.public_message();
        let mut body = serde_json::json!({ "error": message, "code": code });
        match self {
            ApiError::BodyTooLarge { limit } | ApiError::BatchTooLarge { limit, .. } => body["limit"] = limit.into(),
            ApiError::RateLimited { retry_after_secs }
            | ApiError::AddressLimited { retry_after_secs }
            | ApiError::ShareLimited { retry_after_secs } => {
                body["retry_after"] = retry_after_secs.into();
                let retry_after = [(axum::http::header::RETRY_AFTER, retry_after_secs.to_string())];
                return (status, retry_after, Json(body)).into_response();
            }
            _ => {}
        }
        (status, Json(body)).into_response()
    }
}
