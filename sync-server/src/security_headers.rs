//! The headers every answer carries, the app's files and the API's alike: what the browser may
//! run and load for this page, and that it must not be framed, sniffed or leak its address.

use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

/// What the app needs and nothing more. Scripts only from this server's files (no inline
/// script: the page's boot code is a file, public/boot.js), plus compiling WebAssembly
/// (`'wasm-unsafe-eval'`, not `'unsafe-eval'`: no `eval` of text). Styles only from the
/// stylesheet (the app sets no `style="…"` attribute). Images from files and `data:`/`blob:`
/// URLs. Fetches only to this server (the sync API and the wasm files). The backup download is
/// a `blob:` link the browser saves, which no directive restricts.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// Each header with its value.
pub const HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    // A file is what its Content-Type says: an uploaded or odd file is never run as a script.
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    // Addresses of the app's pages (/student/…) never go to another site.
    (header::REFERRER_POLICY, "no-referrer"),
    // For browsers older than `frame-ancestors`: the app is never shown inside another page.
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Middleware: adds [`HEADERS`] to the answer, replacing any of the same name.
pub async fn add(request: Request<axum::body::Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::CONTENT_SECURITY_POLICY;

    #[test]
    fn the_policy_allows_no_inline_script_or_eval() {
        let directives: Vec<&str> = CONTENT_SECURITY_POLICY.split("; ").collect();
        assert!(directives.contains(&"script-src 'self' 'wasm-unsafe-eval'"), "{directives:?}");
        assert!(directives.contains(&"style-src 'self'"), "{directives:?}");
        assert!(directives.contains(&"frame-ancestors 'none'"), "{directives:?}");
        assert!(directives.contains(&"object-src 'none'"), "{directives:?}");
        assert!(!CONTENT_SECURITY_POLICY.contains("'unsafe-inline'"));
        assert!(!CONTENT_SECURITY_POLICY.contains("'unsafe-eval'"));
        // One line: a line break inside a header value is refused by HTTP.
        assert!(!CONTENT_SECURITY_POLICY.contains('\n'));
    }
}
