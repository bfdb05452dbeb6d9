//! Persisted queries. By default, Apollo's automatic persisted queries
//! (async-graphql's own extension): a client sends a document's SHA-256, and
//! its text only when the server asks for it. With trusted documents
//! configured (production's allow-list), only the registered documents run,
//! by hash or by their exact text, and nothing new can be registered.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest,
};
use async_graphql::{Request, ServerError, ServerResult, Value};

use crate::config::TrustedDocuments;
use crate::graphql::document_guard::with_code;

/// How many documents APQ keeps (least recently used go first).
pub const APQ_CAPACITY: usize = 1_000;

/// A document larger than this runs but is not kept: a real operation is a
/// few kilobytes, and the cache must not become a way to hold memory.
pub const APQ_MAX_DOCUMENT_BYTES: usize = 32 * 1024;

const EXTENSION: &str = "persistedQuery";

/// True when the request names a persisted document and carries no text.
pub fn hash_only(request: &Request) -> bool {
    request.query.is_empty() && request.extensions.contains_key(EXTENSION)
}

/// A document too large to keep is run without being persisted.
pub fn keep_within_limit(request: &mut Request) {
    if request.query.len() > APQ_MAX_DOCUMENT_BYTES {
        request.extensions.remove(EXTENSION);
    }
}

/// Codes for the refusals of async-graphql's APQ extension, which has none.
pub fn coded(error: ServerError) -> ServerError {
    let code = match error.message.as_str() {
        "PersistedQueryNotFound" => "PERSISTED_QUERY_NOT_FOUND",
        "provided sha does not match query" => "PERSISTED_QUERY_HASH_MISMATCH",
        m if m.contains("\"PersistedQuery\"") => "PERSISTED_QUERY_INVALID",
        _ => return error,
    };
    with_code(error, code)
}

/// Only registered documents run.
pub struct TrustedOnly(pub TrustedDocuments);

impl ExtensionFactory for TrustedOnly {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(TrustedOnly(self.0.clone()))
    }
}

#[async_trait::async_trait]
impl Extension for TrustedOnly {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let hash = request
            .extensions
            .remove(EXTENSION)
            .and_then(|pq| match pq {
                Value::Object(fields) => match fields.get("sha256Hash") {
                    Some(Value::String(hash)) => Some(hash.clone()),
                    _ => None,
                },
                _ => None,
            });
        if request.query.is_empty() {
            let Some(document) = hash.and_then(|h| self.0.get(&h)) else {
                return Err(refusal(
                    "PersistedQueryNotFound",
                    "PERSISTED_QUERY_NOT_FOUND",
                ));
            };
            request.query = document.to_string();
        } else if !self.0.contains_text(&request.query) {
            return Err(refusal(
                "This service runs only the operations registered by the university's applications (trusted documents), and this one is not registered.",
                "PERSISTED_QUERY_NOT_IN_LIST",
            ));
        }
        next.run(ctx, request).await
    }
}

fn refusal(message: &str, code: &str) -> ServerError {
    with_code(ServerError::new(message, None), code)
}
