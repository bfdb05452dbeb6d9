//! Statistics kept as cases change (issue 16 item 3). Each case contributes one
//! count to `case_tally` under the combination of what the committee's tables
//! count: the UK day it opened, its categories, stage, outcome and days to
//! outcome. `case_fact` remembers each live case's combination as last counted.
//!
//! A mutation marks the cases it changes (`touch`, called by the one write
//! path, `case_store`); before its transaction commits, `flush` recomputes
//! those cases' facts and, where the combination moved, takes one from the old
//! count and adds one to the new — in the same transaction, so the tally is
//! never ahead of or behind what was committed. A case removed by retention
//! keeps its count (its facts live on in `removed_case_fact`).
//!
//! `verify` recomputes everything from the cases and compares: the end of every
//! end-to-end test calls it, so a write path that changes a case without
//! marking it fails the tests.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;

use chrono::NaiveDate;
use entity::{case, case_fact, case_tally, removed_case_fact};
use futures_util::TryStreamExt;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, Set,
    StreamTrait,
};
use uuid::Uuid;

use super::{CaseFacts, facts_query};
use crate::domain::calendar::uk_date;
use crate::error::Result;

tokio::task_local! {
    static TOUCHED: RefCell<Vec<Uuid>>;
}

/// Marks a case whose counted facts may have changed in this transaction.
pub fn touch(case_id: Uuid) {
    TOUCHED
        .try_with(|t| t.borrow_mut().push(case_id))
        .unwrap_or(());
}

/// Runs `work` collecting the cases it touches (read them with `touched`).
pub async fn tracking<F: Future>(work: F) -> F::Output {
    TOUCHED.scope(RefCell::new(Vec::new()), work).await
}

/// The cases touched so far in this `tracking` scope, each once.
pub fn touched() -> Vec<Uuid> {
    let mut ids = TOUCHED.try_with(|t| t.borrow().clone()).unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// One case's combination in the tally.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Combination {
    pub opened_on: NaiveDate,
    pub categories: String,
    pub stage: String,
    pub outcome: String,
    /// -1 while there is no outcome.
    pub days_to_outcome: i32,
}

impl Combination {
    fn of(f: &CaseFacts) -> Combination {
        Combination {
            opened_on: uk_date(f.opened_at),
            categories: f.categories.clone(),
            stage: f.stage.clone(),
            outcome: f.outcome().to_string(),
            days_to_outcome: f.outcome_at().map_or(-1, |at| {
                i32::try_from((at - f.opened_at).num_days()).unwrap_or(i32::MAX)
            }),
        }
    }

    fn of_kept(k: &case_fact::Model) -> Combination {
        Combination {
            opened_on: k.opened_on,
            categories: k.categories.clone(),
            stage: k.stage.clone(),
            outcome: k.outcome.clone(),
            days_to_outcome: k.days_to_outcome,
        }
    }

    fn kept(&self, case_id: Uuid) -> case_fact::ActiveModel {
        case_fact::ActiveModel {
            case_id: Set(case_id),
            opened_on: Set(self.opened_on),
            categories: Set(self.categories.clone()),
            stage: Set(self.stage.clone()),
            outcome: Set(self.outcome.clone()),
            days_to_outcome: Set(self.days_to_outcome),
        }
    }
}

/// The current facts of `cases` (one statement).
async fn current(db: &impl ConnectionTrait, cases: &[Uuid]) -> Result<HashMap<Uuid, Combination>> {
    let query = facts_query()
        .and_where(Expr::col((case::Entity, case::Column::Id)).is_in(cases.iter().copied()))
        .to_owned();
    let backend = ConnectionTrait::get_database_backend(db);
    Ok(CaseFacts::find_by_statement(backend.build(&query))
        .all(db)
        .await?
        .iter()
        .map(|f| (f.id, Combination::of(f)))
        .collect())
}

/// Adds `delta` cases to one combination's count.
async fn add(db: &impl ConnectionTrait, c: &Combination, delta: i64) -> Result<()> {
    use case_tally::Column as T;
    case_tally::Entity::insert(case_tally::ActiveModel {
        opened_on: Set(c.opened_on),
        categories: Set(c.categories.clone()),
        stage: Set(c.stage.clone()),
        outcome: Set(c.outcome.clone()),
        days_to_outcome: Set(c.days_to_outcome),
        cases: Set(delta),
    })
    .on_conflict(
        OnConflict::columns([
            T::OpenedOn,
            T::Categories,
            T::Stage,
            T::Outcome,
            T::DaysToOutcome,
        ])
        .value(
            T::Cases,
            Expr::col((case_tally::Entity, T::Cases)).add(delta),
        )
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Brings the tally up to date for the cases this transaction touched: two
/// reads, and three writes for each case whose combination moved.
pub async fn flush(db: &impl ConnectionTrait, cases: &[Uuid]) -> Result<()> {
    if cases.is_empty() {
        return Ok(());
    }
    let now = current(db, cases).await?;
    let kept: HashMap<Uuid, Combination> = case_fact::Entity::find()
        .filter(case_fact::Column::CaseId.is_in(cases.iter().copied()))
        .all(db)
        .await?
        .iter()
        .map(|k| (k.case_id, Combination::of_kept(k)))
        .collect();
    for id in cases {
        let (before, after) = (kept.get(id), now.get(id));
        if before == after {
            continue;
        }
        if let Some(old) = before {
            add(db, old, -1).await?;
        }
        match after {
            Some(new) => {
                add(db, new, 1).await?;
                case_fact::Entity::insert(new.kept(*id))
                    .on_conflict(
                        OnConflict::column(case_fact::Column::CaseId)
                            .update_columns([
                                case_fact::Column::OpenedOn,
                                case_fact::Column::Categories,
                                case_fact::Column::Stage,
                                case_fact::Column::Outcome,
                                case_fact::Column::DaysToOutcome,
                            ])
                            .to_owned(),
                    )
                    .exec_without_returning(db)
                    .await?;
            }
            // The case is gone within this transaction: its count goes with it.
            None => {
                case_fact::Entity::delete_by_id(*id).exec(db).await?;
            }
        }
    }
    Ok(())
}

/// Every case's combination, recomputed from the cases (and the facts kept of
/// cases retention removed), as (live, all counts).
async fn recount(
    db: &(impl ConnectionTrait + StreamTrait),
) -> Result<(HashMap<Uuid, Combination>, BTreeMap<Combination, i64>)> {
    let backend = ConnectionTrait::get_database_backend(db);
    let mut live = HashMap::new();
    let mut counts: BTreeMap<Combination, i64> = BTreeMap::new();
    let mut rows = CaseFacts::find_by_statement(backend.build(&facts_query()))
        .stream(db)
        .await?;
    while let Some(f) = rows.try_next().await? {
        let c = Combination::of(&f);
        *counts.entry(c.clone()).or_default() += 1;
        live.insert(f.id, c);
    }
    drop(rows);
    let mut removed = removed_case_fact::Entity::find().stream(db).await?;
    while let Some(r) = removed.try_next().await? {
        *counts
            .entry(Combination::of(&CaseFacts::from(r)))
            .or_default() += 1;
    }
    drop(removed);
    Ok((live, counts))
}

/// Rebuilds the tally from the cases, in one transaction the caller commits.
/// Returns the number of live cases counted.
pub async fn rebuild(db: &(impl ConnectionTrait + StreamTrait)) -> Result<usize> {
    let (live, counts) = recount(db).await?;
    case_fact::Entity::delete_many().exec(db).await?;
    case_tally::Entity::delete_many().exec(db).await?;
    // In batches: a statement's parameters are bounded (SQLite, the drivers).
    let facts: Vec<case_fact::ActiveModel> = live.iter().map(|(id, c)| c.kept(*id)).collect();
    for chunk in facts.chunks(1_000) {
        case_fact::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    let tallies: Vec<case_tally::ActiveModel> = counts
        .iter()
        .map(|(c, n)| case_tally::ActiveModel {
            opened_on: Set(c.opened_on),
            categories: Set(c.categories.clone()),
            stage: Set(c.stage.clone()),
            outcome: Set(c.outcome.clone()),
            days_to_outcome: Set(c.days_to_outcome),
            cases: Set(*n),
        })
        .collect();
    for chunk in tallies.chunks(1_000) {
        case_tally::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(live.len())
}

/// At start-up: rebuilds the tally when it does not count every live case
/// (a new install, or cases loaded with SQL). Returns whether it rebuilt.
pub async fn ensure_built(db: &(impl ConnectionTrait + StreamTrait)) -> Result<bool> {
    let cases = case::Entity::find().count(db).await?;
    let facts = case_fact::Entity::find().count(db).await?;
    if cases == facts {
        return Ok(false);
    }
    rebuild(db).await?;
    Ok(true)
}

/// Where the tally differs from a recount of the cases; empty when current.
pub async fn verify(db: &(impl ConnectionTrait + StreamTrait)) -> Result<Vec<String>> {
    let (live, counts) = recount(db).await?;
    let mut differences = Vec::new();
    let kept: HashMap<Uuid, Combination> = case_fact::Entity::find()
        .all(db)
        .await?
        .iter()
        .map(|k| (k.case_id, Combination::of_kept(k)))
        .collect();
    for (id, c) in &live {
        if kept.get(id) != Some(c) {
            differences.push(format!(
                "case {id}: counted as {:?}, is {c:?}",
                kept.get(id)
            ));
        }
    }
    let tallied: BTreeMap<Combination, i64> = case_tally::Entity::find()
        .filter(case_tally::Column::Cases.ne(0))
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            (
                Combination {
                    opened_on: t.opened_on,
                    categories: t.categories,
                    stage: t.stage,
                    outcome: t.outcome,
                    days_to_outcome: t.days_to_outcome,
                },
                t.cases,
            )
        })
        .collect();
    if tallied != counts {
        differences.push(format!("tally {tallied:?} != recount {counts:?}"));
    }
    Ok(differences)
}

/// The counts of cases opened on the UK days `from..=to`: a few rows per day,
/// whatever the number of cases.
pub async fn of_period(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<case_tally::Model>> {
    Ok(case_tally::Entity::find()
        .filter(case_tally::Column::OpenedOn.gte(from))
        .filter(case_tally::Column::OpenedOn.lte(to))
        .filter(case_tally::Column::Cases.ne(0))
        .all(db)
        .await?)
}
