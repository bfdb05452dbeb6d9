//! Queries and mutations go over HTTP, where reads of sensitive content are
//! audited before the response leaves and each mutation's live updates are
//! published after its commit. The WebSocket carries subscriptions only.

use async_graphql::extensions::ExtensionContext;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{ServerError, ServerResult};

use crate::error::Error;
use crate::graphql::context::to_gql;

/// Marks a WebSocket session in its connection data.
#[derive(Clone, Copy)]
pub struct WebSocketSession;

/// Refuses a query or mutation over the WebSocket, and a subscription over HTTP.
pub(crate) fn check(ctx: &ExtensionContext<'_>, doc: &ExecutableDocument) -> ServerResult<()> {
    check_document(ctx.data_opt::<WebSocketSession>().is_some(), doc)
}

/// The same check where the transport is known.
pub(crate) fn check_document(over_websocket: bool, doc: &ExecutableDocument) -> ServerResult<()> {
    let subscription = doc
        .operations
        .iter()
        .all(|(_, op)| op.node.ty == OperationType::Subscription);
    if over_websocket && !subscription {
        return Err(refusal(
            "Only subscriptions run over the WebSocket; send queries and mutations to POST /graphql.",
        ));
    }
    if !over_websocket
        && doc
            .operations
            .iter()
            .any(|(_, op)| op.node.ty == OperationType::Subscription)
    {
        return Err(refusal(
            "Subscriptions run over the WebSocket at /graphql/ws (graphql-transport-ws).",
        ));
    }
    Ok(())
}

fn refusal(message: &str) -> ServerError {
    to_gql(Error::validation("transport", message)).into_server_error(Default::default())
}
