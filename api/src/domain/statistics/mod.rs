//! Anonymised statistics for the Audit and Risk Committee (R-MON-1, 002 §5):
//! counts of disclosures and cases by category, stage, outcome and month, and
//! time to outcome. No identifiers leave this module. Cells below the policy's
//! threshold are suppressed, and so is a second cell wherever one suppressed
//! cell could otherwise be recovered by subtracting the others from the total.

pub mod tally;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::{case, health_record, party, procedure, removed_case_fact};
use sea_orm::{ConnectionTrait, FromQueryResult, StreamTrait};

use crate::domain::access;
use crate::domain::kinds::{HealthRecordKind, IncidentCategory, Stage};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

/// One cell of a table: its count, or `None` where suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub key: String,
    pub count: Option<u64>,
}

/// Suppresses small cells of one table. `partition` says the cells add up to
/// `total` (each case in exactly one cell), so one hidden cell could be derived;
/// then the smallest other non-zero cell is hidden too.
pub fn suppress(
    raw: &BTreeMap<String, u64>,
    total: u64,
    threshold: u64,
    partition: bool,
) -> Vec<Cell> {
    let small = |n: u64| n > 0 && n < threshold;
    let mut hidden: Vec<&String> = raw
        .iter()
        .filter(|(_, n)| small(**n) || total < threshold && **n > 0)
        .map(|(k, _)| k)
        .collect();
    if partition && hidden.len() == 1 {
        let second = raw
            .iter()
            .filter(|(k, n)| **n > 0 && !hidden.contains(k))
            .min_by_key(|(k, n)| (**n, (*k).clone()))
            .map(|(k, _)| k);
        if let Some(k) = second {
            hidden.push(k);
        }
    }
    raw.iter()
        .map(|(k, n)| Cell {
            key: k.clone(),
            count: (!hidden.contains(&k)).then_some(*n),
        })
        .collect()
}

/// Nearest-rank percentile of a histogram (value → how many), `n` values in all.
pub fn percentile_of(histogram: &BTreeMap<i64, u64>, n: u64, p: u32) -> Option<i64> {
    if n == 0 {
        return None;
    }
    let rank = (((p as f64 / 100.0) * n as f64).ceil() as u64).clamp(1, n);
    let mut seen = 0;
    for (value, count) in histogram {
        seen += count;
        if seen >= rank {
            return Some(*value);
        }
    }
    None
}

#[derive(Debug, Clone)]
pub struct TimeToOutcome {
    /// Cases with an outcome in the period (None when suppressed).
    pub cases: Option<u64>,
    pub median_days: Option<i64>,
    pub p75_days: Option<i64>,
    pub p90_days: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Statistics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub threshold: u64,
    /// All disclosures opened in the period, anonymous ones included (R-DISC-2).
    pub total: Option<u64>,
    pub by_category: Vec<Cell>,
    pub by_stage: Vec<Cell>,
    pub by_outcome: Vec<Cell>,
    pub by_month: Vec<Cell>,
    pub time_to_outcome: TimeToOutcome,
}

/// What statistics need of one case and its procedure: no identifier, no
/// narrative. Read in one statement (cases joined to their procedure) and
/// folded as it streams, so the cost is one pass and the memory is constant
/// whatever the number of cases.
#[derive(Debug, FromQueryResult)]
struct CaseFacts {
    id: uuid::Uuid,
    stage: String,
    categories: String,
    opened_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    /// Present when the case has a procedure (a formal report).
    procedure_case_id: Option<uuid::Uuid>,
    breach_found: Option<bool>,
    removed_from_record: Option<bool>,
    decision_option: Option<String>,
    outcome_notified_at: Option<DateTime<Utc>>,
    /// R-DISC-6: a responding party was routed to the staff procedure.
    staff_procedure: bool,
    /// R-FTS-1: the proceedings ended on health grounds.
    health_grounds: bool,
}

impl From<removed_case_fact::Model> for CaseFacts {
    fn from(r: removed_case_fact::Model) -> Self {
        CaseFacts {
            id: r.id,
            stage: r.stage,
            categories: r.categories,
            opened_at: r.opened_at,
            closed_at: r.closed_at,
            // Only whether there was a procedure matters here.
            procedure_case_id: r.had_procedure.then(uuid::Uuid::nil),
            breach_found: r.breach_found,
            removed_from_record: r.removed_from_record,
            decision_option: r.decision_option,
            outcome_notified_at: r.outcome_notified_at,
            staff_procedure: r.staff_procedure,
            health_grounds: r.health_grounds,
        }
    }
}

impl CaseFacts {
    /// How the case ended, in the committee's terms.
    fn outcome(&self) -> &'static str {
        let stage = Stage::parse(&self.stage);
        let formal = self.procedure_case_id.is_some();
        let breach = self.breach_found == Some(true) && self.removed_from_record != Some(true);
        match (stage, formal) {
            // Not a matter for student discipline (R-DISC-6).
            (_, false) if self.staff_procedure => "STAFF_PROCEDURE",
            (_, true) if self.health_grounds => "HEALTH_GROUNDS",
            (Some(Stage::Withdrawn), _) => "WITHDRAWN",
            (Some(Stage::Closed), false) => "NO_FORMAL_REPORT",
            (_, true) if breach => "BREACH_FOUND",
            (_, true) if self.decision_option.as_deref() == Some("INFORMAL_RESOLUTION") => {
                "INFORMAL_RESOLUTION"
            }
            (_, true) if self.decision_option.as_deref() == Some("ADVICE") => "ADVICE",
            (Some(Stage::Closed) | Some(Stage::Outcome), true) => "NO_BREACH_OR_DISMISSED",
            _ => "IN_PROGRESS",
        }
    }

    fn outcome_at(&self) -> Option<DateTime<Utc>> {
        self.outcome_notified_at.or(self.closed_at)
    }
}

/// The facts of every case (callers narrow it to the cases they need).
fn facts_query() -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
    Query::select()
        .columns([
            (case::Entity, case::Column::Id),
            (case::Entity, case::Column::Stage),
            (case::Entity, case::Column::Categories),
            (case::Entity, case::Column::OpenedAt),
            (case::Entity, case::Column::ClosedAt),
        ])
        .expr_as(
            Expr::col((procedure::Entity, procedure::Column::CaseId)),
            Alias::new("procedure_case_id"),
        )
        .columns([
            (procedure::Entity, procedure::Column::BreachFound),
            (procedure::Entity, procedure::Column::RemovedFromRecord),
            (procedure::Entity, procedure::Column::DecisionOption),
            (procedure::Entity, procedure::Column::OutcomeNotifiedAt),
        ])
        .expr_as(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(party::Entity)
                    .and_where(
                        Expr::col((party::Entity, party::Column::CaseId))
                            .equals((case::Entity, case::Column::Id)),
                    )
                    .and_where(
                        Expr::col((party::Entity, party::Column::StaffProcedureAt)).is_not_null(),
                    )
                    .to_owned(),
            ),
            Alias::new("staff_procedure"),
        )
        .expr_as(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(health_record::Entity)
                    .and_where(
                        Expr::col((health_record::Entity, health_record::Column::CaseId))
                            .equals((case::Entity, case::Column::Id)),
                    )
                    .and_where(
                        Expr::col((health_record::Entity, health_record::Column::Kind))
                            .eq(HealthRecordKind::EndedOnHealthGrounds.as_str()),
                    )
                    .to_owned(),
            ),
            Alias::new("health_grounds"),
        )
        .from(case::Entity)
        .join(
            JoinType::LeftJoin,
            procedure::Entity,
            Expr::col((procedure::Entity, procedure::Column::CaseId))
                .equals((case::Entity, case::Column::Id)),
        )
        .to_owned()
}

pub async fn compute(
    viewer: &Viewer,
    db: &(impl ConnectionTrait + StreamTrait),
    policy: &crate::policy::Policy,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Statistics> {
    access::roles::can_read_statistics(viewer)?;
    if to < from {
        return Err(Error::validation("to", "The period ends before it starts."));
    }
    if (to - from).num_days() > 3660 {
        return Err(Error::validation(
            "to",
            "Ask for at most ten years at a time.",
        ));
    }
    // The period is of UK calendar days, as every date in the service is; the
    // tally counts cases by the UK day they opened, retention-removed ones
    // included (R-RET-1).
    let threshold = u64::from(policy.statistics.suppression_threshold);
    let mut total = 0u64;
    let mut by_category: BTreeMap<String, u64> = IncidentCategory::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), 0))
        .collect();
    let mut by_stage: BTreeMap<String, u64> = Stage::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    let mut by_outcome: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
    // Days to outcome → cases: the percentiles are read from this histogram.
    let mut durations: BTreeMap<i64, u64> = BTreeMap::new();
    for row in tally::of_period(db, from, to).await? {
        let Ok(n) = u64::try_from(row.cases) else {
            return Err(Error::Internal(anyhow::anyhow!(
                "the statistics tally holds a negative count ({}) for {}",
                row.cases,
                row.opened_on
            )));
        };
        total += n;
        for cat in crate::domain::disclosures::decode_categories(&row.categories)? {
            *by_category.entry(cat.as_str().into()).or_default() += n;
        }
        *by_outcome.entry(row.outcome).or_default() += n;
        *by_month
            .entry(format!(
                "{:04}-{:02}",
                row.opened_on.year(),
                row.opened_on.month()
            ))
            .or_default() += n;
        if row.days_to_outcome >= 0 {
            *durations.entry(i64::from(row.days_to_outcome)).or_default() += n;
        }
        *by_stage.entry(row.stage).or_default() += n;
    }
    let with_outcome: u64 = durations.values().sum();
    let enough = with_outcome >= threshold;
    let pct = |p: u32| {
        if enough {
            percentile_of(&durations, with_outcome, p)
        } else {
            None
        }
    };
    Ok(Statistics {
        from,
        to,
        threshold,
        total: (total == 0 || total >= threshold).then_some(total),
        // A case may have several categories, so they do not add up to the total.
        by_category: suppress(&by_category, total, threshold, false),
        by_stage: suppress(&by_stage, total, threshold, true),
        by_outcome: suppress(&by_outcome, total, threshold, true),
        by_month: suppress(&by_month, total, threshold, true),
        time_to_outcome: TimeToOutcome {
            cases: enough.then_some(with_outcome),
            median_days: pct(50),
            p75_days: pct(75),
            p90_days: pct(90),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The oracle for `percentile_of`: nearest rank over sorted values.
    fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
        if sorted.is_empty() {
            return None;
        }
        let rank = ((p as f64 / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
    }

    fn table(cells: &[(&str, u64)]) -> BTreeMap<String, u64> {
        cells.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    fn shown(cells: &[Cell]) -> Vec<(&str, Option<u64>)> {
        cells.iter().map(|c| (c.key.as_str(), c.count)).collect()
    }

    #[test]
    fn small_cells_are_hidden_and_zero_is_shown() {
        let out = suppress(
            &table(&[("A", 7), ("B", 2), ("C", 1), ("D", 0)]),
            10,
            5,
            true,
        );
        assert_eq!(
            shown(&out),
            [("A", Some(7)), ("B", None), ("C", None), ("D", Some(0))]
        );
    }

    #[test]
    fn a_single_hidden_cell_takes_another_with_it() {
        // 9 + ? = 10 would reveal the 1: the smallest other non-zero cell goes too.
        let out = suppress(
            &table(&[("DISCLOSURE", 9), ("WITHDRAWN", 1), ("CLOSED", 0)]),
            10,
            5,
            true,
        );
        assert_eq!(
            shown(&out),
            [
                ("CLOSED", Some(0)),
                ("DISCLOSURE", None),
                ("WITHDRAWN", None)
            ]
        );
        let out = suppress(&table(&[("A", 20), ("B", 6), ("C", 3)]), 29, 5, true);
        assert_eq!(shown(&out), [("A", Some(20)), ("B", None), ("C", None)]);
    }

    #[test]
    fn overlapping_tables_need_no_second_cell() {
        let out = suppress(&table(&[("A", 9), ("B", 1)]), 9, 5, false);
        assert_eq!(shown(&out), [("A", Some(9)), ("B", None)]);
    }

    #[test]
    fn a_small_total_hides_everything() {
        let out = suppress(&table(&[("A", 3), ("B", 0)]), 3, 5, true);
        assert_eq!(shown(&out), [("A", None), ("B", Some(0))]);
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(percentile(&v, 50), Some(5));
        assert_eq!(percentile(&v, 90), Some(9));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn a_histogram_gives_the_same_percentiles_as_the_values() {
        let values = [0, 0, 3, 3, 3, 7, 12, 12, 40, 41, 41];
        let mut histogram = BTreeMap::new();
        for v in values {
            *histogram.entry(v).or_insert(0u64) += 1;
        }
        for p in [1, 25, 50, 75, 90, 99, 100] {
            assert_eq!(
                percentile_of(&histogram, values.len() as u64, p),
                percentile(&values, p),
                "p{p}"
            );
        }
        assert_eq!(percentile_of(&BTreeMap::new(), 0, 50), None);
    }
}
