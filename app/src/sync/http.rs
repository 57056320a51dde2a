//! JSON over the browser's `fetch`, straight through web-sys: gloo-net would add its own
//! layer of code to the first visit for the three calls the app makes.

use crate::sync::SyncError;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The server's error body: `code` is a stable word the app translates.
#[derive(serde::Deserialize)]
struct ErrorBody {
    code: String,
    #[serde(default)]
    error: String,
}

/// Sends a request to the app's own server and reads its JSON answer. A request that never
/// got an answer (no signal, server down) is `Offline`; an error answer is `Server` with its
/// code.
pub async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<T, SyncError> {
    let bad = |error: JsValue| SyncError::BadAnswer(format!("{error:?}"));
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(bad)?;
    if let Some(token) = token {
        headers.set("Authorization", &format!("Bearer {token}")).map_err(bad)?;
    }
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").map_err(bad)?;
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(path, &init).map_err(bad)?;
    let answer = JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
        .await
        .map_err(|error| SyncError::Offline(format!("{error:?}")))?;
    let response: web_sys::Response = answer.dyn_into().map_err(bad)?;
    let text_promise = response.text().map_err(bad)?;
    let text = JsFuture::from(text_promise)
        .await
        .map_err(|error| SyncError::Offline(format!("{error:?}")))?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        return serde_json::from_str(&text).map_err(|error| SyncError::BadAnswer(format!("{path}: {error}")));
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => Err(SyncError::Server { status: response.status(), code: body.code, message: body.error }),
        // Not our server's JSON: a proxy or captive portal of the village's network.
        Err(_) => Err(SyncError::Server { status: response.status(), code: String::new(), message: text }),
    }
}
