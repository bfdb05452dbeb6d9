//! Checks a parsed document before any validation rule runs. GraphQL
//! validation and the complexity count both expand fragments, so a small
//! document whose fragments spread each other twice per level costs
//! exponential time to validate; here the expanded size is counted with one
//! pass per fragment (memoized), in time linear in the document, and a
//! document that would expand past the complexity limit is refused before
//! that work. Text with NUL characters, which PostgreSQL cannot store, is
//! refused here too, on both databases alike.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::ValidationResult;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Request, Response, ServerError, ServerResult, Value as ConstValue};

use crate::error::Error;
use crate::graphql::context::to_gql;
use crate::graphql::persisted::{self, Persisted};

pub struct DocumentGuard {
    /// The most fields, fragment spreads and inline fragments a document may
    /// expand to (the complexity limit: every field costs at least one point).
    pub max_selections: usize,
}

impl ExtensionFactory for DocumentGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DocumentGuard {
            max_selections: self.max_selections,
        })
    }
}

impl DocumentGuard {
    fn check(&self, request: &mut Request) -> ServerResult<()> {
        let doc = request
            .parsed_query()
            .map_err(|e| with_code(e, "GRAPHQL_PARSE_FAILED"))?;
        if document_has_nul(doc) {
            return Err(nul_refusal("query"));
        }
        let selections = expanded_selections(doc)
            .map_err(|message| too_complex(message).into_server_error(Default::default()))?;
        if selections > self.max_selections as u64 {
            return Err(too_complex(format!(
                "This query names {selections} fields and fragments once its fragments are expanded; at most {} are allowed. Ask for fewer fields or split the query.",
                self.max_selections
            ))
            .into_server_error(Default::default()));
        }
        Ok(())
    }
}

impl DocumentGuard {
    /// Runs before async-graphql's own parse step, whose recursion-depth check
    /// already walks every fragment expansion: the document is parsed here
    /// (and handed on parsed, so it is not parsed twice) and measured first.
    /// A persisted query's text is checked before it can be kept; one sent
    /// by hash alone is checked once the persisted-query step found it.
    pub(crate) async fn admit(
        &self,
        mut request: Request,
        persisted: Option<&Persisted>,
    ) -> ServerResult<Request> {
        if request.variables.values().any(const_has_nul) {
            return Err(nul_refusal("variables"));
        }
        let hash_only = persisted::hash_only(&request);
        if !hash_only {
            self.check(&mut request)?;
            persisted::keep_within_limit(&mut request);
        }
        let mut request = match persisted {
            Some(persisted) => persisted.resolve(request).await?,
            None => request,
        };
        if hash_only {
            self.check(&mut request)?;
        }
        Ok(request)
    }
}

/// Errors async-graphql raises while running a document (a variable not
/// given, an argument that does not parse) carry no code; give each one.
pub(crate) fn code_execution_errors(response: &mut Response) {
    for error in &mut response.errors {
        let code = if error.message.starts_with("Variable ")
            || error.message.starts_with("Invalid value for argument")
            || error.message.starts_with("Failed to parse")
        {
            "VALIDATION"
        } else {
            "INTERNAL"
        };
        *error = with_code(std::mem::replace(error, ServerError::new("", None)), code);
    }
}

/// As an extension: the introspection schema's guard (no persisted queries).
#[async_trait::async_trait]
impl Extension for DocumentGuard {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let request = self.admit(request, None).await?;
        next.run(ctx, request).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        code_execution_errors(&mut response);
        response
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(coded_validation_errors)
    }
}

/// async-graphql's validation errors, each with its code.
pub(crate) fn coded_validation_errors(errors: Vec<ServerError>) -> Vec<ServerError> {
    errors
        .into_iter()
        .map(|e| {
            let code = match e.message.as_str() {
                "Query is too complex." => "QUERY_TOO_COMPLEX",
                "Query is nested too deep." => "QUERY_TOO_DEEP",
                _ => "GRAPHQL_VALIDATION_FAILED",
            };
            with_code(e, code)
        })
        .collect()
}

/// Adds `extensions.code` to an error that has none.
/// Gives an error `code` unless it already has one.
pub(crate) fn with_code(mut error: ServerError, code: &str) -> ServerError {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code);
    }
    error
}

fn too_complex(message: String) -> async_graphql::Error {
    to_gql(Error::TooComplex(message))
}

fn nul_refusal(field: &str) -> ServerError {
    to_gql(Error::validation(
        field,
        "Text may not contain the NUL character (\\u0000).",
    ))
    .into_server_error(Default::default())
}

/// Selections (fields, spreads, inline fragments) the document holds once
/// every fragment spread is replaced by its fragment, over all operations:
/// the number of steps any walk of the expanded document takes. Saturating,
/// so a bomb cannot overflow.
fn expanded_selections(doc: &ExecutableDocument) -> Result<u64, String> {
    let mut sizes = FragmentSizes {
        doc,
        known: HashMap::new(),
        visiting: Vec::new(),
    };
    let mut total = 0u64;
    for (_, operation) in doc.operations.iter() {
        total = total.saturating_add(sizes.of_set(&operation.node.selection_set.node)?);
    }
    Ok(total)
}

struct FragmentSizes<'a> {
    doc: &'a ExecutableDocument,
    known: HashMap<&'a Name, u64>,
    visiting: Vec<&'a Name>,
}

impl<'a> FragmentSizes<'a> {
    fn of_set(&mut self, set: &'a SelectionSet) -> Result<u64, String> {
        let mut size = 0u64;
        for item in &set.items {
            let inner = match &item.node {
                Selection::Field(field) => self.of_set(&field.node.selection_set.node)?,
                Selection::InlineFragment(inline) => {
                    self.of_set(&inline.node.selection_set.node)?
                }
                Selection::FragmentSpread(spread) => {
                    self.of_fragment(&spread.node.fragment_name.node)?
                }
            };
            size = size.saturating_add(1).saturating_add(inner);
        }
        Ok(size)
    }

    fn of_fragment(&mut self, name: &'a Name) -> Result<u64, String> {
        if let Some(size) = self.known.get(name) {
            return Ok(*size);
        }
        // An unknown fragment is left to validation, which names it.
        let Some(fragment) = self.doc.fragments.get(name) else {
            return Ok(0);
        };
        if self.visiting.contains(&name) {
            return Err(format!("The fragment `{name}` spreads itself."));
        }
        self.visiting.push(name);
        let size = self.of_set(&fragment.node.selection_set.node)?;
        self.visiting.pop();
        self.known.insert(name, size);
        Ok(size)
    }
}

fn document_has_nul(doc: &ExecutableDocument) -> bool {
    let operations = doc.operations.iter().any(|(_, op)| {
        op.node.variable_definitions.iter().any(|v| {
            v.node
                .default_value
                .as_ref()
                .is_some_and(|d| const_has_nul(&d.node))
        }) || set_has_nul(&op.node.selection_set.node)
    });
    operations
        || doc
            .fragments
            .values()
            .any(|f| set_has_nul(&f.node.selection_set.node))
}

/// Whether a literal of the document holds a NUL; its variables are left out
/// here (they are checked with the variables). A macro because the parser's
/// literal type is not exported by name.
macro_rules! literal_has_nul {
    ($value:expr) => {
        const_has_nul(
            &$value
                .node
                .clone()
                .into_const_with(|_| Ok::<_, std::convert::Infallible>(ConstValue::Null))
                .unwrap_or_default(),
        )
    };
}

fn set_has_nul(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => {
            field
                .node
                .arguments
                .iter()
                .any(|(_, value)| literal_has_nul!(value))
                || field.node.directives.iter().any(|d| {
                    d.node
                        .arguments
                        .iter()
                        .any(|(_, value)| literal_has_nul!(value))
                })
                || set_has_nul(&field.node.selection_set.node)
        }
        Selection::InlineFragment(inline) => set_has_nul(&inline.node.selection_set.node),
        Selection::FragmentSpread(_) => false,
    })
}

fn const_has_nul(value: &ConstValue) -> bool {
    match value {
        ConstValue::String(s) => s.contains('\0'),
        ConstValue::List(items) => items.iter().any(const_has_nul),
        ConstValue::Object(fields) => {
            fields.keys().any(|k| k.contains('\0')) || fields.values().any(const_has_nul)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selections(query: &str) -> Result<u64, String> {
        expanded_selections(&async_graphql::parser::parse_query(query).expect("parses"))
    }

    #[test]
    fn fragments_count_once_per_spread() {
        assert_eq!(selections("{ a b { c } }"), Ok(3));
        assert_eq!(selections("{ ...F ...F } fragment F on Q { a b }"), Ok(6));
        assert_eq!(selections("{ ... on Q { a } }"), Ok(2));
    }

    #[test]
    fn a_fan_out_of_fragments_is_counted_without_expanding_it() {
        let mut query = String::from("{ ...F0 }\n");
        for level in 0..60 {
            query.push_str(&format!(
                "fragment F{level} on Q {{ ...F{next} ...F{next} }}\n",
                next = level + 1
            ));
        }
        query.push_str("fragment F60 on Q { a }\n");
        // 3·2^60 − 1 selections: counted in microseconds, far over any limit.
        assert_eq!(selections(&query), Ok(3 * (1u64 << 60) - 1));
    }

    #[test]
    fn a_fragment_that_spreads_itself_is_refused() {
        assert!(selections("{ ...A } fragment A on Q { ...B } fragment B on Q { ...A }").is_err());
    }
}
