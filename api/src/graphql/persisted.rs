//! Persisted queries. By default, Apollo's automatic persisted queries: a
//! client sends a document's SHA-256, and its text only when the server asks
//! for it (the protocol and messages of async-graphql's own extension, whose
//! LRU storage is used). With trusted documents configured (production's
//! allow-list), only the registered documents run, by hash or by their exact
//! text, and nothing new can be registered. The document guard runs this step
//! (docs/operations.md).

use async_graphql::extensions::apollo_persisted_queries::{CacheStorage, LruCacheStorage};
use async_graphql::{Request, ServerError, ServerResult, Value};

use crate::config::TrustedDocuments;
use crate::config::sha256_hex;
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

/// Where a request's document may come from besides its own text.
#[derive(Clone)]
pub enum Persisted {
    /// Apollo's automatic persisted queries, the most recent kept.
    Automatic(LruCacheStorage),
    /// Only registered documents run.
    Trusted(TrustedDocuments),
}

impl Persisted {
    pub fn new(trusted: Option<TrustedDocuments>) -> Self {
        match trusted {
            Some(documents) => Persisted::Trusted(documents),
            None => Persisted::Automatic(LruCacheStorage::new(APQ_CAPACITY)),
        }
    }

    /// The request with the document it names, or the refusal (coded).
    pub async fn resolve(&self, request: Request) -> ServerResult<Request> {
        match self {
            Persisted::Automatic(storage) => automatic(storage, request).await,
            Persisted::Trusted(documents) => trusted(documents, request),
        }
        .map_err(coded)
    }
}

/// Apollo's protocol (version 1): a hash alone runs the kept document; a hash
/// with its text keeps the document once the hash is checked.
async fn automatic(storage: &LruCacheStorage, mut request: Request) -> ServerResult<Request> {
    let Some(value) = request.extensions.remove(EXTENSION) else {
        return Ok(request);
    };
    let (version, hash) = match &value {
        Value::Object(fields) => (fields.get("version"), fields.get("sha256Hash")),
        _ => (None, None),
    };
    let (Some(Value::Number(version)), Some(Value::String(hash))) = (version, hash) else {
        return Err(ServerError::new(
            "Invalid \"PersistedQuery\" extension configuration.",
            None,
        ));
    };
    if version.as_i64() != Some(1) {
        return Err(ServerError::new(
            format!(
                "Only the \"PersistedQuery\" extension of version \"1\" is supported, and the current version is \"{version}\"."
            ),
            None,
        ));
    }
    if request.query.is_empty() {
        let Some(document) = storage.get(hash.clone()).await else {
            return Err(ServerError::new("PersistedQueryNotFound", None));
        };
        request.set_parsed_query(document);
        return Ok(request);
    }
    if *hash != sha256_hex(&request.query) {
        return Err(ServerError::new("provided sha does not match query", None));
    }
    let document = request.parsed_query()?.clone();
    storage.set(hash.clone(), document).await;
    Ok(request)
}

fn trusted(documents: &TrustedDocuments, mut request: Request) -> ServerResult<Request> {
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
        let Some(document) = hash.and_then(|h| documents.get(&h)) else {
            return Err(refusal(
                "PersistedQueryNotFound",
                "PERSISTED_QUERY_NOT_FOUND",
            ));
        };
        request.query = document.to_string();
    } else if !documents.contains_text(&request.query) {
        return Err(refusal(
            "This service runs only the operations registered by the university's applications (trusted documents), and this one is not registered.",
            "PERSISTED_QUERY_NOT_IN_LIST",
        ));
    }
    Ok(request)
}

fn refusal(message: &str, code: &str) -> ServerError {
    with_code(ServerError::new(message, None), code)
}
