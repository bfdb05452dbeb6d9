//! Admission of an HTTP request: the schema's own validation (every rule,
//! the depth and complexity limits) with its errors coded, and the operation
//! charged to the caller's rate-limit bucket by the complexity validation
//! found. The complexity is known only inside async-graphql's validation
//! step, so admission is a schema of its own whose one extension hooks that
//! step and never lets the operation run; the pipeline then runs the admitted
//! document on a schema without extensions, where fields take the fast path.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextValidation,
};
use async_graphql::{Response, ServerError, ValidationResult};

use super::document_guard;
use super::rate_limit::{self, RateLimit};

pub struct Admission {
    pub rate_limit: Arc<RateLimit>,
}

impl ExtensionFactory for Admission {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Admission {
            rate_limit: self.rate_limit.clone(),
        })
    }
}

#[async_trait::async_trait]
impl Extension for Admission {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        validate_and_charge(&self.rate_limit, ctx, next).await
    }

    /// Admitted: nothing runs here (an empty answer without errors).
    async fn execute(
        &self,
        _ctx: &ExtensionContext<'_>,
        _operation_name: Option<&str>,
        _next: NextExecute<'_>,
    ) -> Response {
        Response::default()
    }
}

/// async-graphql's validation with its errors coded, then the charge for the
/// complexity it found (the WebSocket's hooks run the same step).
pub(crate) async fn validate_and_charge(
    limit: &RateLimit,
    ctx: &ExtensionContext<'_>,
    next: NextValidation<'_>,
) -> Result<ValidationResult, Vec<ServerError>> {
    let result = next
        .run(ctx)
        .await
        .map_err(document_guard::coded_validation_errors)?;
    rate_limit::charge_for(limit, ctx, &result)?;
    Ok(result)
}
