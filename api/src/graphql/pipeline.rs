//! How a query or mutation sent over HTTP runs. The steps async-graphql
//! offers as extensions run here instead, in the same order: the operation
//! span around everything, the document guard with persisted queries, the
//! transport check, admission (validation, limits and the rate-limit charge),
//! then the operation itself on a schema with no extensions at all. Parsed
//! documents are kept by their text (`document_cache`). An
//! extension, even one that hooks only the request, makes async-graphql pass
//! every field and list item through a boxed layer per extension and look
//! the field up in the registry again (issue 16: most of a 50-case list's
//! CPU in the GraphQL layer); without one, each field is resolved directly.

use std::sync::Arc;

use async_graphql::{BatchRequest, BatchResponse, Request, Response, ServerError};

use super::AppSchema;
use super::context::RequestCtx;
use super::document_cache::DocumentCache;
use super::document_guard::{self, DocumentGuard, with_code};
use super::operation_span::OperationSpanExtension;
use super::persisted::Persisted;
use super::transport_guard;

pub struct Pipeline {
    pub(super) guard: DocumentGuard,
    pub(super) persisted: Persisted,
    pub(super) documents: DocumentCache,
    /// Validates and charges; never runs an operation.
    pub(super) admission: AppSchema,
    /// Runs what was admitted; no extensions, no limits of its own.
    pub(super) run: AppSchema,
}

impl Pipeline {
    /// A batch's operations one after another, as async-graphql runs them.
    pub async fn execute_batch(&self, batch: BatchRequest, ctx: &Arc<RequestCtx>) -> BatchResponse {
        match batch {
            BatchRequest::Single(request) => {
                BatchResponse::Single(self.execute(request, ctx).await)
            }
            BatchRequest::Batch(requests) => {
                let mut responses = Vec::with_capacity(requests.len());
                for request in requests {
                    responses.push(self.execute(request, ctx).await);
                }
                BatchResponse::Batch(responses)
            }
        }
    }

    pub async fn execute(&self, request: Request, ctx: &Arc<RequestCtx>) -> Response {
        let span = OperationSpanExtension::new();
        span.around(async {
            match self.admit(request, ctx, &span).await {
                Ok(request) => {
                    let mut response = self.run.execute(request.data(ctx.clone())).await;
                    document_guard::code_execution_errors(&mut response);
                    response
                }
                Err(errors) => Response::from_errors(errors),
            }
        })
        .await
    }

    /// The request with its document parsed, or why it may not run.
    async fn admit(
        &self,
        mut request: Request,
        ctx: &Arc<RequestCtx>,
        span: &OperationSpanExtension,
    ) -> Result<Request, Vec<ServerError>> {
        // A kept document is checked by the guard again: the checks are
        // walks of the document, cheap beside parsing it.
        let was_kept = self.documents.fill(&mut request).await;
        let mut request = self
            .guard
            .admit(request, Some(&self.persisted))
            .await
            .map_err(|e| vec![e])?;
        // The admission schema takes its own copy of the document (it keeps
        // it); the copy is cheap beside validating it.
        let mut trial = Request::new(String::new())
            .variables(request.variables.clone())
            .data(ctx.clone());
        trial.operation_name = request.operation_name.clone();
        trial.introspection_mode = request.introspection_mode;
        let document = request
            .parsed_query()
            .map_err(|e| vec![with_code(e, "GRAPHQL_PARSE_FAILED")])?;
        transport_guard::check_document(false, document).map_err(|e| vec![e])?;
        span.name_from(document);
        trial.set_parsed_query(document.clone());
        let verdict = self.admission.execute(trial).await;
        if !verdict.errors.is_empty() {
            return Err(verdict.errors);
        }
        if !was_kept {
            let text = request.query.clone();
            if let Ok(document) = request.parsed_query() {
                self.documents.keep(&text, document).await;
            }
        }
        Ok(request)
    }
}
