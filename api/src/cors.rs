//! CORS for student portals served from their own origin: the origins named
//! in the configuration may call `/graphql` from a browser with a bearer
//! token; no others, and none at all by default. Preflight requests are
//! answered here, before routing (which knows only GET and POST).

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The layer for `origins` (already checked by the configuration), or none
/// when no origin is allowed.
pub fn layer(origins: &[String]) -> Option<CorsLayer> {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if allowed.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT,
                HeaderName::from_static("x-request-id"),
                HeaderName::from_static("traceparent"),
            ])
            .expose_headers([HeaderName::from_static("x-request-id"), header::RETRY_AFTER])
            // Tokens travel in the Authorization header, never in cookies.
            .allow_credentials(false)
            .max_age(Duration::from_secs(600)),
    )
}
