//! How answers leave: JSON in UTF-8 (or `application/graphql-response+json`
//! when the client asks for it, with the status codes that spec gives), and
//! refusals of a whole request in the GraphQL error shape with a code.

use async_graphql::{BatchResponse, ErrorExtensionValues, ServerError};
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::Error;
use crate::graphql::context::to_gql;

/// Every GraphQL answer is JSON in UTF-8, said explicitly so no client or
/// proxy guesses another encoding.
pub(super) const JSON_UTF8: HeaderValue =
    HeaderValue::from_static("application/json; charset=utf-8");
pub(super) const GRAPHQL_RESPONSE_UTF8: HeaderValue =
    HeaderValue::from_static("application/graphql-response+json; charset=utf-8");

/// The codes of refusals made before a document runs (parsing, validation,
/// limits): a request error in the GraphQL-over-HTTP sense.
const REQUEST_ERROR_CODES: &[&str] = &[
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "QUERY_TOO_COMPLEX",
    "QUERY_TOO_DEEP",
    "PERSISTED_QUERY_HASH_MISMATCH",
    "PERSISTED_QUERY_INVALID",
    "PERSISTED_QUERY_NOT_IN_LIST",
];

pub(super) fn accepts_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|media| {
            media.split(';').next().unwrap_or("").trim() == "application/graphql-response+json"
        })
}

/// A single answer whose document never ran: no data, and only request errors.
pub(super) fn never_ran(response: &BatchResponse) -> bool {
    let BatchResponse::Single(answer) = response else {
        return false;
    };
    answer.data == async_graphql::Value::Null
        && !answer.errors.is_empty()
        && answer.errors.iter().all(|e| {
            matches!(
                e.extensions.as_ref().and_then(|x| x.get("code")),
                Some(async_graphql::Value::String(code)) if REQUEST_ERROR_CODES.contains(&code.as_str())
            )
        })
}

/// The HTTP status of a request refused as a whole.
pub(super) fn status_of(err: &Error) -> StatusCode {
    match err {
        Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        Error::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub(super) fn error_response(status: StatusCode, err: Error) -> Response {
    crate::metrics::record_error(err.code());
    let gql = to_gql(err);
    let mut server = ServerError::new(gql.message.clone(), None);
    server.extensions = gql.extensions;
    let extensions = server.extensions.clone();
    let mut response = (
        status,
        [(header::CONTENT_TYPE, JSON_UTF8)],
        Json(async_graphql::Response::from_errors(vec![server])),
    )
        .into_response();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        // Only a GET carrying a mutation ends here: POST is what it needs.
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
    }
    set_retry_after(&mut response, &extensions);
    response
}

/// Copies `extensions.retryAfterSeconds` of a refusal into `Retry-After`.
pub(super) fn set_retry_after(response: &mut Response, extensions: &Option<ErrorExtensionValues>) {
    let seconds = extensions
        .as_ref()
        .and_then(|e| e.get("retryAfterSeconds"))
        .and_then(|v| match v {
            async_graphql::Value::Number(n) => n.as_u64(),
            _ => None,
        });
    if let Some(seconds) = seconds {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
}

/// When every answer of a request was refused for the same retryable
/// reason (the database is down, the caller is over its rate), HTTP says so
/// too, so that proxies and clients back off without reading the body.
pub(super) fn retryable_refusal(response: &BatchResponse) -> Option<(StatusCode, &ServerError)> {
    let answers: Vec<&async_graphql::Response> = match response {
        BatchResponse::Single(r) => vec![r],
        BatchResponse::Batch(rs) => rs.iter().collect(),
    };
    let mut first = None;
    for answer in answers {
        if answer.errors.is_empty() {
            return None;
        }
        for error in &answer.errors {
            let code = error.extensions.as_ref().and_then(|e| e.get("code"));
            let status = match code {
                Some(async_graphql::Value::String(c)) if c == "UNAVAILABLE" => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                Some(async_graphql::Value::String(c)) if c == "RATE_LIMITED" => {
                    StatusCode::TOO_MANY_REQUESTS
                }
                _ => return None,
            };
            match first {
                None => first = Some((status, error)),
                Some((seen, _)) if seen != status => return None,
                Some(_) => {}
            }
        }
    }
    first
}
