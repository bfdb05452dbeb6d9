//! The request hooks of the main schema as one extension. async-graphql runs
//! every field of every response through each extension's `resolve`, even
//! where an extension only hooks the request; with the document guard, rate
//! limit, operation span and transport guard each registered on its own, that
//! was four boxed layers per field (issue 16: a tenth of the CPU of a 50-case
//! list). Together they are one; each part keeps its own module and its
//! order: the guard, then the limit, around the span and the transport check.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};

use super::document_guard::{self, DocumentGuard};
use super::operation_span::OperationSpanExtension;
use super::rate_limit::{self, RateLimit};
use super::transport_guard;

pub struct RequestHooks {
    pub max_selections: usize,
    pub rate_limit: Arc<RateLimit>,
}

impl ExtensionFactory for RequestHooks {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestHooksExtension {
            guard: DocumentGuard {
                max_selections: self.max_selections,
            },
            rate_limit: self.rate_limit.clone(),
            span: OperationSpanExtension::new(),
        })
    }
}

struct RequestHooksExtension {
    guard: DocumentGuard,
    rate_limit: Arc<RateLimit>,
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
        self.guard.prepare_request(ctx, request, next).await
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
        let result = next
            .run(ctx)
            .await
            .map_err(document_guard::coded_validation_errors)?;
        rate_limit::charge_for(&self.rate_limit, ctx, &result)?;
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        self.guard.execute(ctx, operation_name, next).await
    }
}
