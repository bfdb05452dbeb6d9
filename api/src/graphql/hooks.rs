//! The request hooks as one extension, for the WebSocket's schema: the
//! document guard (with persisted queries), rate limit, operation span and
//! transport guard, in that order. HTTP requests run the same steps in
//! `pipeline`, outside async-graphql's extension chain, because an extension
//! puts every field of every response through a boxed layer of its own.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};

use super::document_guard::{self, DocumentGuard};
use super::operation_span::OperationSpanExtension;
use super::persisted::Persisted;
use super::rate_limit::RateLimit;
use super::transport_guard;

pub struct RequestHooks {
    pub max_selections: usize,
    pub rate_limit: Arc<RateLimit>,
    pub persisted: Persisted,
}

impl ExtensionFactory for RequestHooks {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestHooksExtension {
            guard: DocumentGuard {
                max_selections: self.max_selections,
            },
            rate_limit: self.rate_limit.clone(),
            persisted: self.persisted.clone(),
            span: OperationSpanExtension::new(),
        })
    }
}

struct RequestHooksExtension {
    guard: DocumentGuard,
    rate_limit: Arc<RateLimit>,
    persisted: Persisted,
    span: OperationSpanExtension,
}

#[async_trait::async_trait]
impl Extension for RequestHooksExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        self.span.request(ctx, next).await
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let request = self.guard.admit(request, Some(&self.persisted)).await?;
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        transport_guard::check(ctx, &doc)?;
        self.span.name_from(&doc);
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        super::admission::validate_and_charge(&self.rate_limit, ctx, next).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        document_guard::code_execution_errors(&mut response);
        response
    }
}
