//! Introspection for developers' tools in development mode. GraphiQL's,
//! graphql-config's and graphql-inspector's standard introspection query
//! nests type references deeper than the depth limit set for data, so a
//! document that asks only for introspection (`__schema`, `__type`,
//! `__typename` at its root) runs on a schema with no depth or complexity
//! limit — it reads no data — guarded still by the fragment-expansion check.
//! Production answers no introspection at all.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{BatchRequest, Schema};

use super::document_guard::DocumentGuard;
use super::operation_span::OperationSpan;
use super::{AppSchema, MutationRoot, QueryRoot, subscription};

/// The schema for introspection-only documents (development mode).
pub fn schema(max_selections: usize) -> AppSchema {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
    .extension(DocumentGuard { max_selections })
    // Spans and metrics like every other request.
    .extension(OperationSpan)
    .finish()
}

/// Whether every document of the batch asks only for introspection.
pub fn only_introspection(batch: &BatchRequest) -> bool {
    let documents: Vec<&str> = match batch {
        BatchRequest::Single(r) => vec![r.query.as_str()],
        BatchRequest::Batch(rs) => rs.iter().map(|r| r.query.as_str()).collect(),
    };
    // Every root field of introspection starts with `__`: a document without
    // one is not parsed here a second time.
    documents.into_iter().all(|query| {
        query.contains("__")
            && async_graphql::parser::parse_query(query).is_ok_and(|doc| {
                doc.operations
                    .iter()
                    .all(|(_, op)| root_is_introspection(&doc, &op.node.selection_set.node, 0))
            })
    })
}

fn root_is_introspection(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> bool {
    // Fragments at the root nest only so far in any real tool's query.
    depth < 8
        && set.items.iter().all(|item| match &item.node {
            Selection::Field(field) => field.node.name.node.starts_with("__"),
            Selection::InlineFragment(inline) => {
                root_is_introspection(doc, &inline.node.selection_set.node, depth + 1)
            }
            Selection::FragmentSpread(spread) => doc
                .fragments
                .get(&spread.node.fragment_name.node)
                .is_some_and(|f| root_is_introspection(doc, &f.node.selection_set.node, depth + 1)),
        })
}
