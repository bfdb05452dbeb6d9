//! Parsed documents kept by their exact text. A portal or SIS sends the same
//! few operations over and over, and async-graphql's parser (pest) is the
//! largest single cost of a small request: a fifth of a case detail's
//! instructions went to parsing its 200-character document. Apollo Server
//! keeps parsed documents the same way (its document store). Only documents
//! that were admitted are kept, so a refused or malformed one never is; the
//! text is the key, so a kept document is exactly what parsing would give.
//! Variables are not part of the document and are checked on every request.

use async_graphql::Request;
use async_graphql::extensions::apollo_persisted_queries::{CacheStorage, LruCacheStorage};
use async_graphql::parser::types::ExecutableDocument;

/// Distinct documents kept (least recently used go first): far more than
/// the operations of the university's applications.
const CAPACITY: usize = 256;

/// Longer documents are parsed every time: a parsed document is many times
/// its text, and this bounds what the cache can hold (256 × 4 KiB of text).
const MAX_TEXT_BYTES: usize = 4 * 1024;

pub struct DocumentCache(LruCacheStorage);

impl Default for DocumentCache {
    fn default() -> Self {
        DocumentCache(LruCacheStorage::new(CAPACITY))
    }
}

impl DocumentCache {
    /// Gives the request the document kept for its text; true if there was one.
    pub async fn fill(&self, request: &mut Request) -> bool {
        if !keepable(&request.query) {
            return false;
        }
        match self.0.get(request.query.clone()).await {
            Some(document) => {
                request.set_parsed_query(document);
                true
            }
            None => false,
        }
    }

    /// Keeps an admitted document under its text.
    pub async fn keep(&self, text: &str, document: &ExecutableDocument) {
        if keepable(text) {
            self.0.set(text.to_string(), document.clone()).await;
        }
    }
}

fn keepable(text: &str) -> bool {
    !text.is_empty() && text.len() <= MAX_TEXT_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(text).expect("parses")
    }

    #[tokio::test]
    async fn a_document_is_found_by_its_exact_text_only() {
        let cache = DocumentCache::default();
        cache.keep("{ me { id } }", &parsed("{ me { id } }")).await;
        let mut same = Request::new("{ me { id } }");
        assert!(cache.fill(&mut same).await);
        let mut other = Request::new("{ me { id  } }");
        assert!(!cache.fill(&mut other).await);
    }

    #[tokio::test]
    async fn a_long_document_is_not_kept() {
        let cache = DocumentCache::default();
        let long = format!("{{ me {{ id }} }} # {}", "x".repeat(MAX_TEXT_BYTES));
        cache.keep(&long, &parsed(&long)).await;
        assert!(!cache.fill(&mut Request::new(long)).await);
    }
}
