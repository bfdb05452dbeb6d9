//! The request's span, named and filled per the OpenTelemetry HTTP server
//! conventions, continuing the client's trace when it sends one.

use std::time::Duration;

use axum::http::HeaderMap;
use axum::response::Response;
use tower_http::request_id::RequestId;

/// The span of one HTTP request. Path only: a GET query string can carry variables.
pub(super) fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|r| r.header_value().to_str().ok())
        .unwrap_or("-");
    let span = tracing::info_span!(
        "http",
        otel.name = %format!("{} {}", req.method(), req.uri().path()),
        otel.kind = "server",
        http.request.method = %req.method(),
        url.path = %req.uri().path(),
        http.response.status_code = tracing::field::Empty,
        request_id = %id,
    );
    continue_client_trace(&span, req.headers());
    span
}

pub(super) fn record_status(res: &Response, _latency: Duration, span: &tracing::Span) {
    span.record("http.response.status_code", res.status().as_u16());
}

/// A client's W3C `traceparent` (and `tracestate`) makes this request's span
/// a child of the client's: the trace continues through the server.
fn continue_client_trace(span: &tracing::Span, headers: &HeaderMap) {
    use opentelemetry::propagation::TextMapPropagator;
    use tracing_opentelemetry::OpenTelemetrySpanExt;
    if !headers.contains_key("traceparent") {
        return;
    }
    let parent = opentelemetry_sdk::propagation::TraceContextPropagator::new()
        .extract(&opentelemetry_http::HeaderExtractor(headers));
    if let Err(err) = span.set_parent(parent) {
        tracing::debug!(error = %err, "the client's trace could not be continued");
    }
}
