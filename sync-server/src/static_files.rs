//! Serves the built app from `dist/`: gzip files precompressed at build time, hashed files
//! cached for a year, everything else revalidated so a new version reaches phones.

use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(dist: &Path) -> Router {
    // Any path that is not a file is a page of the app: answer with index.html and let the
    // app's router show it.
    let index = ServeFile::new(dist.join("index.html"));
    let files = ServeDir::new(dist).precompressed_gzip().fallback(index);
    Router::new().fallback_service(files).layer(axum::middleware::from_fn(cache_headers))
}

async fn cache_headers(request: Request<axum::body::Body>, next: Next) -> Response {
    let immutable = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable { "public, max-age=31536000, immutable" } else { "no-cache" };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    if !immutable {
        // A file revalidated on every load (index.html, sw.js) is a few KB: send it whole rather
        // than trust a one-second Last-Modified, which let Chromium keep an old sw.js after a
        // deploy (tests/specs/update_in_background.spec.js caught it).
        headers.remove(header::LAST_MODIFIED);
    }
    response
}

/// Whether a file name carries a content hash, as `app-3f2a9c0d1e4b5a69.wasm` does: the build
/// names every such file `<name>-<16 hex digits>.<ext>`.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|byte| byte.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn only_content_hashed_names_are_immutable() {
        assert!(is_hashed("/app_bg-3f2a9c0d1e4b5a69.wasm"));
        assert!(!is_hashed("/app_bg-3f2a9c0d1e4b5a6.wasm"));
        assert!(is_hashed("/style-0123456789abcdef.css"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/icon-192.png"));
    }
}
