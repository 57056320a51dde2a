//! JSON over the browser's `fetch`, straight through web-sys: gloo-net would add its own
//! layer of code to the first visit for the three calls the app makes. A long request body
//! (a push or relay batch) goes gzip-compressed by the browser's own `CompressionStream`:
//! no compression code in the wasm.

use crate::sync::SyncError;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Request bodies shorter than this (in bytes) go plain: gzip saves a few hundred bytes at
/// most on them, less than the work of a stream round trip is worth.
pub const COMPRESS_FROM: usize = 1024;

/// A request body as it is sent.
#[derive(Debug)]
pub enum Body {
    /// The JSON text itself.
    Plain(String),
    /// The JSON text gzip-compressed by the browser, sent with `Content-Encoding: gzip` (the
    /// server decompresses it; its 2 MB limit counts the decompressed bytes).
    Gzip(js_sys::Uint8Array),
}

/// The body to send for `json`: gzip-compressed when it is at least `COMPRESS_FROM` bytes
/// and the browser has `CompressionStream` (Chrome 80+; an older Android WebView has not),
/// else the text as it is. Never fails: a compression that fails sends the text plain.
pub async fn body(json: String) -> Body {
    if json.len() < COMPRESS_FROM {
        return Body::Plain(json);
    }
    match gzip(&json).await {
        Ok(Some(bytes)) => Body::Gzip(bytes),
        Ok(None) => Body::Plain(json),
        Err(error) => {
            leptos::logging::warn!("保学 sync: cannot compress a request, sending it plain: {error:?}");
            Body::Plain(json)
        }
    }
}

/// `text` (UTF-8) gzip-compressed by the browser; `None` without `CompressionStream`. Its
/// binding is an unstable web-sys API, so it is found and built through `Reflect`.
async fn gzip(text: &str) -> Result<Option<js_sys::Uint8Array>, JsValue> {
    let class = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("CompressionStream"))?;
    let Ok(class) = class.dyn_into::<js_sys::Function>() else {
        return Ok(None);
    };
    let compressor = js_sys::Reflect::construct(&class, &js_sys::Array::of1(&JsValue::from_str("gzip")))?;
    let blob = web_sys::Blob::new_with_str_sequence(&js_sys::Array::of1(&JsValue::from_str(text)))?;
    // A CompressionStream is a {readable, writable} pair.
    let compressed = blob.stream().pipe_through(compressor.unchecked_ref());
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&compressed))?;
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(Some(js_sys::Uint8Array::new(&buffer)))
}

/// The server's error body: `code` is a stable word the app translates.
#[derive(serde::Deserialize)]
struct ErrorBody {
    code: String,
    #[serde(default)]
    error: String,
}

/// Sends a request to the app's own server and reads its JSON answer. A request that never
/// got an answer (no signal, server down) is `Offline`; an error answer is `Server` with its
/// code. A long `body` is sent gzip-compressed where the browser can (`body`).
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
    if let Some(json) = body {
        headers.set("Content-Type", "application/json").map_err(bad)?;
        match self::body(json).await {
            Body::Plain(json) => init.set_body(&JsValue::from_str(&json)),
            Body::Gzip(bytes) => {
                headers.set("Content-Encoding", "gzip").map_err(bad)?;
                init.set_body(&bytes);
            }
        }
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

/// In headless Chromium (`cargo test -p baoxue-app --target wasm32-unknown-unknown --lib`):
/// the module is private, so its tests live here rather than in `tests/`.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// About 50 KB of JSON shaped like a push batch.
    fn long_json() -> String {
        let mutations: Vec<String> = (0..300)
            .map(|seq| {
                format!(
                    r#"{{"id":"{seq:08x}-0000-4000-8000-000000000000","seq":{seq},"kind":"visit","child":"张小明 {seq}","note":"家访：孩子在家，外婆照顾，作业已完成。"}}"#
                )
            })
            .collect();
        format!(r#"{{"device":7,"mutations":[{}]}}"#, mutations.join(","))
    }

    /// `bytes` gunzipped by the browser's `DecompressionStream`.
    async fn gunzip(bytes: &js_sys::Uint8Array) -> String {
        let class = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("DecompressionStream")).unwrap();
        let class: js_sys::Function = class.dyn_into().expect("Chromium has DecompressionStream");
        let decompressor = js_sys::Reflect::construct(&class, &js_sys::Array::of1(&JsValue::from_str("gzip"))).unwrap();
        let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(bytes)).unwrap();
        let plain = blob.stream().pipe_through(decompressor.unchecked_ref());
        let response = web_sys::Response::new_with_opt_readable_stream(Some(&plain)).unwrap();
        JsFuture::from(response.text().unwrap()).await.unwrap().as_string().unwrap()
    }

    #[wasm_bindgen_test]
    async fn a_long_body_goes_gzip_and_decompresses_to_the_same_text() {
        let json = long_json();
        assert!((40_000..60_000).contains(&json.len()), "{} bytes", json.len());
        let Body::Gzip(bytes) = body(json.clone()).await else {
            panic!("Chromium has CompressionStream: a long body is compressed");
        };
        let bytes_vec = bytes.to_vec();
        assert_eq!(&bytes_vec[..2], &[0x1f, 0x8b], "gzip magic");
        assert!(bytes_vec.len() < json.len() / 4, "{} bytes compressed from {}", bytes_vec.len(), json.len());
        assert_eq!(gunzip(&bytes).await, json);
    }

    #[wasm_bindgen_test]
    async fn a_short_body_goes_plain() {
        let json = r#"{"code":"K7Q2-M9PX","device_name":"张老师的手机"}"#.to_string();
        match body(json.clone()).await {
            Body::Plain(sent) => assert_eq!(sent, json),
            other => panic!("a short body is sent as it is, not {other:?}"),
        }
        let just_under = "x".repeat(COMPRESS_FROM - 1);
        assert!(matches!(body(just_under).await, Body::Plain(_)));
        assert!(matches!(body("x".repeat(COMPRESS_FROM)).await, Body::Gzip(_)));
    }

    #[wasm_bindgen_test]
    async fn without_compression_stream_a_long_body_goes_plain() {
        let global = js_sys::global();
        let name = JsValue::from_str("CompressionStream");
        let class = js_sys::Reflect::get(&global, &name).unwrap();
        // As in an Android WebView older than Chrome 80.
        js_sys::Reflect::set(&global, &name, &JsValue::UNDEFINED).unwrap();
        let sent = body(long_json()).await;
        js_sys::Reflect::set(&global, &name, &class).unwrap();
        match sent {
            Body::Plain(sent) => assert_eq!(sent, long_json()),
            other => panic!("without CompressionStream the body is sent as it is, not {other:?}"),
        }
    }
}
