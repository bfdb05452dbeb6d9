//! HTTP: `POST /graphql` (JSON bodies only), GraphQL-over-HTTP `GET` for queries
//! only, GraphiQL in development, `/healthz` and `/readyz`. The bearer token is
//! turned into a viewer here, once; an invalid token is refused, never treated
//! as anonymous. Reads of sensitive content are appended to the audit log before
//! the response leaves; if that fails, the data is not sent.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchRequest, BatchResponse, ErrorExtensionValues, Request, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::auth::Authenticator;
use crate::config::{Config, Mode};
use crate::domain::viewer::Viewer;
use crate::error::Error;
use crate::graphql::AppSchema;
use crate::graphql::context::{AppState, CURRENT_REQUEST, RequestCtx, to_gql};
use crate::graphql::subscription::SessionEnds;
use crate::graphql::transport_guard::WebSocketSession;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Every GraphQL answer is JSON in UTF-8, said explicitly so no client or
/// proxy guesses another encoding.
const JSON_UTF8: HeaderValue = HeaderValue::from_static("application/json; charset=utf-8");
const GRAPHQL_RESPONSE_UTF8: HeaderValue =
    HeaderValue::from_static("application/graphql-response+json; charset=utf-8");

/// The codes of refusals made before a document runs (parsing, validation,
/// limits): a request error in the GraphQL-over-HTTP sense.
const REQUEST_ERROR_CODES: &[&str] = &[
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "QUERY_TOO_COMPLEX",
    "QUERY_TOO_DEEP",
];

fn accepts_graphql_response(headers: &HeaderMap) -> bool {
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
fn never_ran(response: &BatchResponse) -> bool {
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

#[derive(Clone)]
pub struct Http {
    pub schema: AppSchema,
    pub state: AppState,
    pub auth: Arc<Authenticator>,
    pub max_batch: usize,
    pub max_body_bytes: usize,
    /// Development only: the schema introspection-only documents run on.
    pub introspection: Option<AppSchema>,
}

pub fn router(http: Http, config: &Config) -> Router {
    let mut app = Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphql/ws", get(graphql_ws))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz));
    if config.mode == Mode::Development {
        app = app
            .route("/graphiql", get(graphiql))
            .route("/", get(|| async { Redirect::temporary("/graphiql") }));
    }
    app.with_state(http)
        .layer(DefaultBodyLimit::max(config.limits.max_body_bytes))
        // Answers carry case content: no browser, proxy or CDN may keep a copy,
        // and no browser may sniff them into something executable.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Portals on their own origin (none unless configured).
        .layer(tower::util::option_layer(crate::cors::layer(
            &config.cors_origins,
        )))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    // Path only: a GET query string can carry variables. Field
                    // names follow the OpenTelemetry HTTP server conventions.
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
                })
                .on_response(|res: &Response, _latency: Duration, span: &tracing::Span| {
                    span.record("http.response.status_code", res.status().as_u16());
                }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
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

/// How long `/readyz` waits for the database before answering "not ready":
/// a load balancer's probe must hear back within a second.
const READY_PROBE_TIMEOUT: Duration = Duration::from_millis(500);

async fn readyz(State(http): State<Http>) -> Response {
    match tokio::time::timeout(READY_PROBE_TIMEOUT, http.state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => {
            tracing::warn!("database did not answer the readiness probe in time");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn graphiql() -> Html<String> {
    Html(
        async_graphql::http::GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .finish(),
    )
}

/// The HTTP status of a request refused as a whole.
fn status_of(err: &Error) -> StatusCode {
    match err {
        Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        Error::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn error_response(status: StatusCode, err: Error) -> Response {
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
fn set_retry_after(response: &mut Response, extensions: &Option<ErrorExtensionValues>) {
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
fn retryable_refusal(response: &BatchResponse) -> Option<(StatusCode, &ServerError)> {
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

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

async fn viewer_of(http: &Http, headers: &HeaderMap) -> Result<Option<Viewer>, Error> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .ok_or_else(|| {
            Error::Unauthenticated("The Authorization header must be `Bearer <token>`.".into())
        })?;
    Ok(Some(
        http.auth
            .viewer(&http.state.db, token.trim(), request_id(headers))
            .await?,
    ))
}

async fn graphql_post(
    State(http): State<Http>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    // Refused bodies answer in the GraphQL error shape too, with a code.
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                Error::validation(
                    "body",
                    format!(
                        "The request is larger than the {} bytes this service accepts; send less at once (a smaller batch).",
                        http.max_body_bytes
                    ),
                ),
            );
        }
        Err(rejection) => {
            return error_response(
                rejection.status(),
                Error::validation("body", rejection.body_text()),
            );
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    // Only JSON: a cross-site form post (urlencoded, multipart, text/plain) cannot run anything.
    if media != "application/json" && media != "application/graphql-response+json" {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::validation("Content-Type", "Send GraphQL requests as application/json."),
        );
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                Error::validation("body", "The body is not a GraphQL request in JSON."),
            );
        }
    };
    if let BatchRequest::Batch(items) = &batch
        && (items.len() > http.max_batch || items.is_empty())
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            Error::validation(
                "body",
                format!("A batch may hold 1 to {} operations.", http.max_batch),
            ),
        );
    }
    execute(&http, &headers, batch).await
}

#[derive(Deserialize)]
struct GetParams {
    query: String,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
}

async fn graphql_get(
    State(http): State<Http>,
    headers: HeaderMap,
    params: Result<Query<GetParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(params)) = params else {
        return error_response(
            StatusCode::BAD_REQUEST,
            Error::validation("query", "Pass the query in the `query` parameter."),
        );
    };
    // Mutations are never run over GET (GraphQL over HTTP): a link must not change anything.
    match operation_type(&params.query, params.operation_name.as_deref()) {
        Some(OperationType::Query) => {}
        Some(_) => {
            return error_response(
                StatusCode::METHOD_NOT_ALLOWED,
                Error::validation(
                    "query",
                    "Only queries may be sent with GET; use POST for mutations.",
                ),
            );
        }
        None => {
            return error_response(
                StatusCode::BAD_REQUEST,
                Error::validation("query", "The query could not be parsed."),
            );
        }
    }
    let mut request = Request::new(params.query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(vars) = params.variables {
        match serde_json::from_str(&vars) {
            Ok(v) => request = request.variables(async_graphql::Variables::from_json(v)),
            Err(_) => {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    Error::validation("variables", "`variables` is not JSON."),
                );
            }
        }
    }
    execute(&http, &headers, BatchRequest::Single(request)).await
}

/// Subscriptions: graphql-transport-ws over WebSocket. The token goes in the
/// `connection_init` payload (`{"authorization": "Bearer …"}`), since browsers
/// cannot set headers on a WebSocket; the session ends when the token expires.
async fn graphql_ws(
    State(http): State<Http>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    // graphql-transport-ws wherever it stands in the client's list (Python
    // gql offers the legacy graphql-ws first); the legacy protocol alone is
    // refused.
    let offered = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == TRANSPORT_WS);
    let (Ok(upgrade), true, Some(protocol)) = (upgrade, offered, transport_ws().await) else {
        return error_response(
            StatusCode::BAD_REQUEST,
            Error::validation(
                "Sec-WebSocket-Protocol",
                "Open a WebSocket with the graphql-transport-ws protocol.",
            ),
        );
    };
    let schema = http.schema.clone();
    upgrade.protocols([TRANSPORT_WS]).on_upgrade(move |socket| {
        GraphQLWebSocket::new(socket, schema, protocol)
            .on_connection_init(move |payload| async move { connection_init(&http, payload).await })
            .serve()
    })
}

const TRANSPORT_WS: &str = "graphql-transport-ws";

/// async-graphql-axum's value for graphql-transport-ws, as its own extractor
/// reads it from a request offering only that protocol.
async fn transport_ws() -> Option<GraphQLProtocol> {
    use axum::extract::FromRequestParts;
    let (mut parts, ()) = axum::http::Request::builder()
        .header(header::SEC_WEBSOCKET_PROTOCOL, TRANSPORT_WS)
        .body(())
        .ok()?
        .into_parts();
    GraphQLProtocol::from_request_parts(&mut parts, &())
        .await
        .ok()
}

async fn connection_init(
    http: &Http,
    payload: serde_json::Value,
) -> async_graphql::Result<async_graphql::Data> {
    let token = ["authorization", "Authorization"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()))
        .map(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")).unwrap_or(v).trim())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            to_gql(Error::Unauthenticated(
                "Send your token in the connection_init payload as {\"authorization\": \"Bearer <token>\"}.".into(),
            ))
        })?;
    let (viewer, expires) = http
        .auth
        .session(&http.state.db, token, None)
        .await
        .map_err(to_gql)?;
    let mut data = async_graphql::Data::default();
    data.insert(Arc::new(RequestCtx::new(Some(viewer))));
    data.insert(SessionEnds(expires));
    data.insert(WebSocketSession);
    Ok(data)
}

fn operation_type(query: &str, name: Option<&str>) -> Option<OperationType> {
    let doc = async_graphql::parser::parse_query(query).ok()?;
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        _ => None,
    }
}

async fn execute(http: &Http, headers: &HeaderMap, batch: BatchRequest) -> Response {
    let viewer = match viewer_of(http, headers).await {
        Ok(viewer) => viewer,
        Err(err) => return error_response(status_of(&err), err),
    };
    let ctx = Arc::new(RequestCtx::new(viewer));
    let schema = match &http.introspection {
        Some(tools) if crate::graphql::introspection::only_introspection(&batch) => tools,
        _ => &http.schema,
    };
    let response = CURRENT_REQUEST
        .scope(ctx.clone(), schema.execute_batch(batch.data(ctx.clone())))
        .await;
    if let Some(viewer) = &ctx.viewer {
        let refusals = ctx.take_refusals();
        if !refusals.is_empty() {
            http.state
                .security
                .record(&http.state.db, viewer, refusals)
                .await;
        }
    }
    let reads = ctx.take_reads();
    if !reads.is_empty()
        && let Err(err) = http.state.audit.append(ctx.viewer.as_ref(), reads).await
    {
        return error_response(status_of(&err), err);
    }
    let answers: Vec<&async_graphql::Response> = match &response {
        BatchResponse::Single(r) => vec![r],
        BatchResponse::Batch(rs) => rs.iter().collect(),
    };
    for error in answers.iter().flat_map(|a| a.errors.iter()) {
        crate::metrics::record_error(
            match error.extensions.as_ref().and_then(|e| e.get("code")) {
                Some(async_graphql::Value::String(code)) => code.as_str(),
                _ => "NONE",
            },
        );
    }
    let refusal = retryable_refusal(&response);
    // GraphQL over HTTP: a client that accepts application/graphql-response+json
    // hears a document that never ran as 400; application/json keeps 200.
    let graphql_response = accepts_graphql_response(headers);
    let status = match refusal {
        Some((status, _)) => status,
        None if graphql_response && never_ran(&response) => StatusCode::BAD_REQUEST,
        None => StatusCode::OK,
    };
    let content_type = if graphql_response {
        GRAPHQL_RESPONSE_UTF8
    } else {
        JSON_UTF8
    };
    let body = match &response {
        BatchResponse::Single(r) => serde_json::to_vec(r),
        BatchResponse::Batch(rs) => serde_json::to_vec(rs),
    };
    match body {
        Ok(body) => {
            let mut answer = (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
            if let Some((_, error)) = refusal {
                set_retry_after(&mut answer, &error.extensions);
            }
            answer
        }
        Err(err) => error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            Error::Internal(err.into()),
        ),
    }
}
