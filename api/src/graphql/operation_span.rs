//! A tracing span per GraphQL request, named by its operation's name (from the
//! request or the document) and type only. Unlike async-graphql's stock
//! `Tracing` extension it never records the query text or variables, which can
//! carry personal data. The same name labels the request's metrics.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest,
};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Response, ServerResult, Variables};
use tracing::Instrument;

pub struct OperationSpan;

impl ExtensionFactory for OperationSpan {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationSpanExtension::new())
    }
}

/// One per request, holding that request's span.
pub(crate) struct OperationSpanExtension {
    /// The operation's sanitised name, once the document is parsed.
    name: OnceLock<String>,
    span: tracing::Span,
}

impl OperationSpanExtension {
    pub(crate) fn new() -> Self {
        OperationSpanExtension {
            name: OnceLock::new(),
            span: tracing::info_span!(
                "graphql.operation",
                graphql.operation.name = tracing::field::Empty,
                graphql.operation.type = tracing::field::Empty,
                errors = tracing::field::Empty,
            ),
        }
    }

    /// Names the span (and the request's metrics) after the parsed document.
    pub(crate) fn name_from(&self, doc: &ExecutableDocument) {
        let (name, ty) = match &doc.operations {
            DocumentOperations::Single(op) => ("anonymous", op.node.ty),
            DocumentOperations::Multiple(ops) => match ops.iter().next() {
                Some((name, op)) if ops.len() == 1 => (sanitize(name.as_str()), op.node.ty),
                _ => ("batch", OperationType::Query),
            },
        };
        self.span.record("graphql.operation.name", name);
        // A request parses one document; a second name would be the same one.
        self.name.get_or_init(|| name.to_string());
        self.span
            .record("graphql.operation.type", ty.to_string().as_str());
    }
}

impl OperationSpanExtension {
    /// Runs a request inside the span, then counts it in the metrics.
    pub(crate) async fn around(&self, request: impl Future<Output = Response>) -> Response {
        let started = Instant::now();
        let response = request.instrument(self.span.clone()).await;
        self.span.record("errors", response.errors.len());
        crate::metrics::record_request(
            self.name.get().map(String::as_str),
            started.elapsed().as_secs_f64(),
        );
        response
    }
}

/// Operation names are chosen by client developers; keep only identifier characters.
fn sanitize(name: &str) -> &str {
    if !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        name
    } else {
        "invalid"
    }
}

#[async_trait::async_trait]
impl Extension for OperationSpanExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        self.around(next.run(ctx)).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        self.name_from(&doc);
        Ok(doc)
    }
}
