//! Anonymised statistics for BI tools (R-MON-1): counts only, small cells
//! suppressed (policy `statistics.suppression_threshold`).

use async_graphql::{Context, Object, SimpleObject};
use chrono::NaiveDate;

use crate::domain::statistics;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};

/// One count; `count` is null where suppressed.
#[derive(SimpleObject)]
pub struct StatisticsCell {
    /// What is counted: a category, stage, outcome or month (YYYY-MM).
    key: String,
    /// The count; null where suppressed.
    count: Option<u64>,
    /// The count is hidden because it is small (or would reveal one that is).
    suppressed: bool,
}

/// Days from the disclosure to the outcome, or to closure; shown only when at
/// least the threshold number of cases have one.
#[derive(SimpleObject)]
pub struct TimeToOutcome {
    /// Cases with an outcome (null where fewer than the threshold).
    cases: Option<u64>,
    /// The median, in days.
    median_days: Option<i64>,
    /// The 75th percentile, in days.
    p75_days: Option<i64>,
    /// The 90th percentile, in days.
    p90_days: Option<i64>,
}

/// Disclosures and cases opened in the period (anonymous disclosures included).
#[derive(SimpleObject)]
pub struct Statistics {
    /// The first UK day of the period.
    from: NaiveDate,
    /// The last UK day of the period.
    to: NaiveDate,
    /// Counts below this are suppressed.
    suppression_threshold: u64,
    /// All disclosures and cases opened in the period; null where suppressed.
    total: Option<u64>,
    /// A case with several categories counts in each.
    by_category: Vec<StatisticsCell>,
    /// Current stage.
    by_stage: Vec<StatisticsCell>,
    /// WITHDRAWN, NO_FORMAL_REPORT, BREACH_FOUND, INFORMAL_RESOLUTION, ADVICE, NO_BREACH_OR_DISMISSED, IN_PROGRESS, STAFF_PROCEDURE (R-DISC-6), HEALTH_GROUNDS (R-FTS-1).
    by_outcome: Vec<StatisticsCell>,
    /// Month opened, as YYYY-MM.
    by_month: Vec<StatisticsCell>,
    /// How long cases took to reach an outcome.
    time_to_outcome: TimeToOutcome,
}

fn cells(cells: Vec<statistics::Cell>) -> Vec<StatisticsCell> {
    cells
        .into_iter()
        .map(|c| StatisticsCell {
            suppressed: c.count.is_none(),
            key: c.key,
            count: c.count,
        })
        .collect()
}

#[derive(Default)]
pub struct StatisticsQuery;

#[Object]
impl StatisticsQuery {
    /// Anonymised counts for the period, for BI_ANALYST (R-MON-1).
    #[graphql(complexity = "crate::graphql::cost::AGGREGATE + child_complexity")]
    async fn statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The first UK day of the period.")] from: NaiveDate,
        #[graphql(desc = "The last UK day of the period (at most ten years on).")] to: NaiveDate,
    ) -> GqlResult<Statistics> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        let s = statistics::compute(viewer, &state.db, &state.policy, from, to)
            .await
            .gql()?;
        Ok(Statistics {
            from: s.from,
            to: s.to,
            suppression_threshold: s.threshold,
            total: s.total,
            by_category: cells(s.by_category),
            by_stage: cells(s.by_stage),
            by_outcome: cells(s.by_outcome),
            by_month: cells(s.by_month),
            time_to_outcome: TimeToOutcome {
                cases: s.time_to_outcome.cases,
                median_days: s.time_to_outcome.median_days,
                p75_days: s.time_to_outcome.p75_days,
                p90_days: s.time_to_outcome.p90_days,
            },
        })
    }
}
