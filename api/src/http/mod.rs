//! HTTP: the routes (`/graphql` over POST and GET, `/graphql/ws`, GraphiQL in
//! development, `/healthz`, `/readyz`) and the layers every answer passes
//! through: request ids, the request's span, CORS, no caching.

mod graphiql;
mod graphql;
mod response;
mod trace;
mod websocket;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::auth::Authenticator;
use crate::config::{Config, Mode};
use crate::graphql::AppSchema;
use crate::graphql::context::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Clone)]
pub struct Http {
    /// How queries and mutations run.
    pub pipeline: Arc<crate::graphql::pipeline::Pipeline>,
    /// Subscriptions over the WebSocket.
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
        .route(
            "/graphql",
            get(graphql::graphql_get).post(graphql::graphql_post),
        )
        .route("/graphql/ws", get(websocket::graphql_ws))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz));
    if config.mode == Mode::Development {
        app = app.merge(graphiql::routes());
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
                .make_span_with(trace::request_span)
                .on_response(trace::record_status),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
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
