//! Loading a case with its parties and staff, opening it for a viewer, and
//! saving changes with optimistic concurrency (the `version` column).

use entity::{case, case_staff, party};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use crate::domain::access::{self, Relation};
use crate::domain::case_bundle_row::{self, Kept, Wanted};
use crate::domain::case_page;
use crate::domain::kinds::Stage;
use crate::domain::lifecycle::Move;
use crate::domain::page::{Key, KeyKind, Order, Page, Position};
use crate::domain::positional;
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct CaseBundle {
    pub case: case::Model,
    pub parties: Vec<party::Model>,
    pub staff: Vec<case_staff::Model>,
}

impl CaseBundle {
    /// The client acted on the version it last saw; anything else is stale.
    /// Checked before any rule, so a stale client hears CONFLICT, not a rule.
    pub fn expect_version(&self, expected: i32) -> Result<()> {
        if expected == self.case.version {
            Ok(())
        } else {
            Err(Error::stale())
        }
    }

    pub fn stage(&self) -> Result<Stage> {
        Stage::from_db(&self.case.stage)
    }

    /// Whether `id` is a party to this case.
    pub fn has_party(&self, id: Uuid) -> bool {
        self.parties.iter().any(|p| p.id == id)
    }

    pub fn party(&self, id: Uuid) -> Result<&party::Model> {
        self.parties
            .iter()
            .find(|p| p.id == id)
            .ok_or(Error::NotFound("party"))
    }
}

/// Starts the one transaction a mutation runs in. On SQLite it takes the write
/// lock up front, so two writers queue instead of failing half-way. On
/// PostgreSQL a plain BEGIN (read-write by default): an explicit access mode
/// cost every write and every audit batch a `SET TRANSACTION` round trip.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction> {
    let sqlite = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
    Ok(db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: sqlite.then_some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?)
}

/// The case row alone, for an answer that needs nothing else of the case.
pub async fn load_row(db: &impl ConnectionTrait, case_id: Uuid) -> Result<Option<case::Model>> {
    Ok(case::Entity::find_by_id(case_id).one(db).await?)
}

/// A case with its parties and staff; None if there is no such case.
pub async fn load(db: &impl ConnectionTrait, case_id: Uuid) -> Result<Option<CaseBundle>> {
    Ok(load_for_reading(db, case_id, Wanted::default())
        .await?
        .map(|(bundle, _)| bundle))
}

/// A case with its parties and staff, and on PostgreSQL what is `wanted` of
/// it read in the same statement (see `case_bundle_row`).
pub async fn load_for_reading(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    wanted: Wanted,
) -> Result<Option<(CaseBundle, Kept)>> {
    if on_postgres(db) {
        return Ok(case_bundle_row::one(case_id, wanted, db).await?);
    }
    let select = case::Entity::find_by_id(case_id);
    let Some(case) = positional::one(select, db).await? else {
        return Ok(None);
    };
    Ok(load_many(db, vec![case])
        .await?
        .pop()
        .map(|bundle| (bundle, Kept::default())))
}

/// Loads a case the viewer has some relationship with; otherwise `NOT_FOUND`,
/// exactly as if it did not exist. For an action on a record of the case, map
/// the error with `access::refusal::hide_case_as` so the record stays unknown too.
pub async fn open(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
) -> Result<(CaseBundle, Relation)> {
    let bundle = load(db, case_id).await?.ok_or(Error::NotFound("case"))?;
    let rel = access::relation(viewer, &bundle.case, &bundle.parties, &bundle.staff);
    if !rel.any() {
        return Err(Error::Concealed("case", Some(case_id)));
    }
    Ok((bundle, rel))
}

/// A change to the case row, as one mutation makes it.
pub struct Change {
    /// The mutation's name, as written to the audit log.
    pub operation: &'static str,
    /// The version the client saw.
    pub expected_version: i32,
    /// A stage move the state machine approved, with the reason given.
    pub stage_move: Option<(Move, Option<String>)>,
    /// Other columns to set.
    pub columns: Vec<(case::Column, Expr)>,
}

/// Saves a change that sets no column of the case itself (a party's row
/// changed, say): the version moves, the audit log records `operation`, and
/// `event` goes on the timeline.
pub async fn save_with_event(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    bundle: &CaseBundle,
    operation: &'static str,
    expected_version: i32,
    event: Event,
) -> Result<()> {
    let change = Change {
        operation,
        expected_version,
        stage_move: None,
        columns: vec![],
    };
    save(db, viewer, bundle, change).await?;
    timeline::record(db, viewer, bundle.case.id, event).await
}

/// Saves a change to the case row: checks the version the client saw, bumps it,
/// applies the stage move (written to the timeline) and appends the audit entry.
pub async fn save(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    bundle: &CaseBundle,
    change: Change,
) -> Result<()> {
    bundle.expect_version(change.expected_version)?;
    crate::domain::statistics::tally::touch(bundle.case.id);
    let now = viewer.now.at();
    let mut update = case::Entity::update_many()
        .col_expr(
            case::Column::Version,
            Expr::col(case::Column::Version).add(1),
        )
        .col_expr(case::Column::UpdatedAt, Expr::value(now))
        .filter(case::Column::Id.eq(bundle.case.id))
        .filter(case::Column::Version.eq(bundle.case.version));
    if let Some((mv, _)) = &change.stage_move {
        update = update
            .col_expr(case::Column::Stage, Expr::value(mv.to.as_str()))
            .col_expr(
                case::Column::PausedFrom,
                Expr::value(mv.paused_from.map(|s| s.as_str().to_string())),
            );
        if matches!(mv.to, Stage::Closed | Stage::Withdrawn) {
            update = update.col_expr(case::Column::ClosedAt, Expr::value(Some(now)));
        }
    }
    for (column, value) in change.columns {
        update = update.col_expr(column, value);
    }
    // Another writer got there first if the version moved under us.
    if update.exec(db).await?.rows_affected == 0 {
        return Err(Error::stale());
    }
    if let Some((mv, reason)) = change.stage_move {
        let event = Event::new(crate::domain::kinds::TimelineKind::StageChanged)
            .stages(mv.from, mv.to)
            .reason(reason);
        timeline::record(db, viewer, bundle.case.id, event).await?;
    }
    crate::domain::audit::append(
        db,
        Some(viewer),
        &[crate::domain::audit::AuditRecord::new(
            change.operation,
            Some(bundle.case.id),
        )],
    )
    .await
}

/// Where a case stands in lists: newest opened first.
pub fn position(case: &case::Model) -> Position {
    Position::new(Key::Time(case.opened_at), case.id)
}

/// One page of the cases within `scope` (an `access::scope` condition),
/// newest first, optionally at one stage, each with its parties and staff
/// and what else the request will read of them
/// (`case_page`: one statement per table for the page).
pub async fn list(
    db: &impl ConnectionTrait,
    scope: Condition,
    stage: Option<Stage>,
    page: &Page,
    wanted: Wanted,
) -> Result<Vec<(CaseBundle, Kept)>> {
    let mut query = case::Entity::find().filter(scope);
    if let Some(stage) = stage {
        query = query.filter(case::Column::Stage.eq(stage.as_str()));
    }
    let query = page.select(
        query,
        case::Column::OpenedAt,
        KeyKind::Time,
        Some(case::Column::Id),
        Order::Descending,
    )?;
    let cases = positional::all(query, db).await?;
    Ok(case_page::read(cases, wanted, db).await?)
}

/// Whether a case's rows can come as JSON arrays PostgreSQL builds in the
/// case's own row (`case_bundle_row`).
fn on_postgres(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == sea_orm::DatabaseBackend::Postgres
}

/// Loads parties and staff for many cases in two queries (list pages).
pub async fn load_many(
    db: &impl ConnectionTrait,
    cases: Vec<case::Model>,
) -> Result<Vec<CaseBundle>> {
    let ids: Vec<Uuid> = cases.iter().map(|c| c.id).collect();
    let parties = positional::all(
        party::Entity::find().filter(party::Column::CaseId.is_in(ids.clone())),
        db,
    )
    .await?;
    let staff = positional::all(
        case_staff::Entity::find().filter(case_staff::Column::CaseId.is_in(ids)),
        db,
    )
    .await?;
    Ok(cases
        .into_iter()
        .map(|case| CaseBundle {
            parties: parties
                .iter()
                .filter(|p| p.case_id == case.id)
                .cloned()
                .collect(),
            staff: staff
                .iter()
                .filter(|s| s.case_id == case.id)
                .cloned()
                .collect(),
            case,
        })
        .collect())
}
