//! A student's own precautionary measures, whatever they know of the case.

use async_graphql::{Context, Object};

use super::{Measure, binding_viewer};
use crate::graphql::context::GqlResult;

#[derive(Default)]
pub struct MeasureQuery;

#[Object]
impl MeasureQuery {
    /// The precautionary measures that bind you, newest first, on every case
    /// — including one you were told of before being told of any report
    /// (R-MEA-5): its terms, review date and how to make representations
    /// (`submitMeasureRepresentations`), and nothing else of the case.
    #[graphql(complexity = "crate::graphql::cost::LOOKUP + 20 * child_complexity")]
    async fn my_measures(&self, ctx: &Context<'_>) -> GqlResult<Vec<Measure>> {
        binding_viewer(ctx).await
    }
}
