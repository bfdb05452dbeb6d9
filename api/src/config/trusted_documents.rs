//! Trusted documents: the operations a university's own applications
//! registered at build time. When configured, only these run (production's
//! allow-list); anything else is refused before it is parsed for execution.
//!
//! Two manifest formats are read, as the common tools write them:
//! graphql-codegen's client preset (`persisted-documents.json`, an object of
//! `"<sha256>": "<document>"`) and Apollo's persisted query manifest
//! (`{"format": "apollo-persisted-query-manifest", "operations": [{"id", "body"}]}`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::ConfigError;

const KEY: &str = "trusted_documents (MISCONDUCT_TRUSTED_DOCUMENTS)";

/// Registered documents by their id and by the SHA-256 of their text.
#[derive(Clone, Default)]
pub struct TrustedDocuments {
    by_id: Arc<HashMap<String, Arc<str>>>,
}

impl std::fmt::Debug for TrustedDocuments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TrustedDocuments({} documents)", self.len())
    }
}

/// The SHA-256 of a document's text, in lower-case hex (as APQ sends it).
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl TrustedDocuments {
    /// The document registered under this id or hash.
    pub fn get(&self, id: &str) -> Option<Arc<str>> {
        self.by_id.get(id).cloned()
    }

    /// Whether this exact text was registered.
    pub fn contains_text(&self, text: &str) -> bool {
        self.by_id.contains_key(&sha256_hex(text))
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// The manifests named in `MISCONDUCT_TRUSTED_DOCUMENTS` (comma-separated)
/// or the file's `trusted_documents` list; None when there are none.
pub(super) fn load_trusted_documents(
    env: &dyn Fn(&str) -> Option<String>,
    file: &[String],
) -> Result<Option<TrustedDocuments>, ConfigError> {
    let paths = super::list(env, "MISCONDUCT_TRUSTED_DOCUMENTS", file);
    if paths.is_empty() {
        return Ok(None);
    }
    let mut by_id = HashMap::new();
    for path in &paths {
        for (id, body) in read_manifest(Path::new(path))? {
            let body: Arc<str> = body.into();
            by_id.insert(sha256_hex(&body), body.clone());
            by_id.insert(id, body);
        }
    }
    Ok(Some(TrustedDocuments {
        by_id: Arc::new(by_id),
    }))
}

fn read_manifest(path: &Path) -> Result<Vec<(String, String)>, ConfigError> {
    let problem = |why: String| ConfigError {
        key: KEY.into(),
        problem: format!("{}: {why}", path.display()),
    };
    let text = std::fs::read_to_string(path).map_err(|e| problem(format!("cannot read ({e})")))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| problem(format!("is not JSON ({e})")))?;
    let entries: Vec<(String, String)> = match json.get("operations") {
        Some(serde_json::Value::Array(operations)) => operations
            .iter()
            .map(|op| {
                match (
                    op.get("id").and_then(|v| v.as_str()),
                    op.get("body").and_then(|v| v.as_str()),
                ) {
                    (Some(id), Some(body)) => Ok((id.to_owned(), body.to_owned())),
                    _ => Err(problem("an operation lacks its `id` or `body`".into())),
                }
            })
            .collect::<Result<_, _>>()?,
        _ => match json {
            serde_json::Value::Object(map) => map
                .into_iter()
                .map(|(id, body)| match body {
                    serde_json::Value::String(body) => Ok((id, body)),
                    _ => Err(problem(format!("the entry {id:?} is not a document"))),
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(problem(
                    "is neither a map of id to document nor an Apollo persisted query manifest"
                        .into(),
                ));
            }
        },
    };
    if entries.is_empty() {
        return Err(problem("registers no documents".into()));
    }
    for (id, body) in &entries {
        async_graphql::parser::parse_query(body)
            .map_err(|e| problem(format!("the document {id:?} is not GraphQL ({e})")))?;
    }
    Ok(entries)
}
