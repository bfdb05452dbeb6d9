//! Subscriptions over WebSocket with the graphql-transport-ws protocol.

use std::sync::Arc;

use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::Http;
use super::response::error_response;
use crate::error::Error;
use crate::graphql::context::{RequestCtx, to_gql};
use crate::graphql::subscription::SessionEnds;
use crate::graphql::transport_guard::WebSocketSession;

/// Subscriptions: graphql-transport-ws over WebSocket. The token goes in the
/// `connection_init` payload (`{"authorization": "Bearer …"}`), since browsers
/// cannot set headers on a WebSocket; the session ends when the token expires.
pub(super) async fn graphql_ws(
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
