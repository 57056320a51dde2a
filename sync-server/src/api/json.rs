//! `ApiJson`: axum's `Json` extractor whose rejections are `ApiError`s, so a malformed or
//! oversized body gets the same JSON answer as every other error.

use crate::error::ApiError;
use axum::extract::{FromRequest, Request};
use axum::Json;

pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<T>::from_request(request, state).await?;
        Ok(ApiJson(value))
    }
}
