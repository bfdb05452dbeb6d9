//! `POST /graphql` (JSON bodies only) and GraphQL-over-HTTP `GET` for queries
//! only. The bearer token is turned into a viewer here, once; an invalid token
//! is refused, never treated as anonymous. Reads of sensitive content are
//! appended to the audit log before the response leaves; if that fails, the
//! data is not sent.

use std::sync::Arc;

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchRequest, BatchResponse, Request};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::response::{
    GRAPHQL_RESPONSE_UTF8, JSON_UTF8, accepts_graphql_response, error_response, never_ran,
    retryable_refusal, set_retry_after, status_of,
};
use super::{Http, REQUEST_ID};
use crate::domain::viewer::Viewer;
use crate::error::Error;
use crate::graphql::context::{CURRENT_REQUEST, RequestCtx, Transport};

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

pub(super) async fn graphql_post(
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
    execute(&http, &headers, batch, Transport::Post).await
}

#[derive(Deserialize)]
pub(super) struct GetParams {
    query: String,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
}

pub(super) async fn graphql_get(
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
    execute(
        &http,
        &headers,
        BatchRequest::Single(request),
        Transport::Get,
    )
    .await
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

async fn execute(
    http: &Http,
    headers: &HeaderMap,
    batch: BatchRequest,
    transport: Transport,
) -> Response {
    let viewer = match viewer_of(http, headers).await {
        Ok(viewer) => viewer,
        Err(err) => return error_response(status_of(&err), err),
    };
    let mut ctx = RequestCtx::new(viewer);
    ctx.transport = transport;
    let ctx = Arc::new(ctx);
    let run = async {
        match &http.introspection {
            Some(tools) if crate::graphql::introspection::only_introspection(&batch) => {
                tools.execute_batch(batch.data(ctx.clone())).await
            }
            _ => http.pipeline.execute_batch(batch, &ctx).await,
        }
    };
    let (response, recorded) =
        crate::domain::audit::tracking(CURRENT_REQUEST.scope(ctx.clone(), run)).await;
    if let Some(viewer) = &ctx.viewer {
        let refusals = ctx.take_refusals();
        if !refusals.is_empty() {
            http.state
                .security
                .record(&http.state.db, viewer, refusals)
                .await;
        }
    }
    // What a reporting party was told, the reads and a change's entries go
    // into the writer's next batch; the response waits until it commits.
    let told = match crate::domain::reporting_party_disclosures::rows(
        &http.state.db,
        &http.state.policies,
        http.state.clock.now().at(),
        ctx.take_told(),
    )
    .await
    {
        Ok(told) => told,
        Err(err) => return error_response(status_of(&err), err),
    };
    let reads = ctx.take_reads();
    if (recorded || !reads.is_empty() || !told.is_empty())
        && let Err(err) = http
            .state
            .audit
            .append_with_told(recorded, ctx.viewer.as_ref(), reads, told)
            .await
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
