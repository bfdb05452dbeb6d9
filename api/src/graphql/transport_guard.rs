//! Queries and mutations go over HTTP, where reads of sensitive content are
//! audited before the response leaves and each mutation's live updates are
//! published after its commit. The WebSocket carries subscriptions only.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{ServerError, ServerResult, Variables};

use crate::error::Error;
use crate::graphql::context::to_gql;

/// Marks a WebSocket session in its connection data.
#[derive(Clone, Copy)]
pub struct WebSocketSession;

pub struct TransportGuard;

impl ExtensionFactory for TransportGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(TransportGuard)
    }
}

#[async_trait::async_trait]
impl Extension for TransportGuard {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let over_websocket = ctx.data_opt::<WebSocketSession>().is_some();
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
        Ok(doc)
    }
}

fn refusal(message: &str) -> ServerError {
    to_gql(Error::validation("transport", message)).into_server_error(Default::default())
}
