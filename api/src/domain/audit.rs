//! The audit log (R-VIS-2): every write, and every read of a case's sensitive
//! content, appended with viewer, operation, case, time and request id.
//! Entries are hash-chained: each hash covers the entry and the previous hash,
//! so an edit, deletion or insertion anywhere breaks the chain at that point.
//!
//! A change records its entries unchained (`audit_pending`) inside its own
//! transaction: they commit or roll back with it, and no lock is held across
//! its commit. One writer per instance chains them, with the reads of many
//! requests, in batches (`chain`); chaining is serialized (an advisory lock
//! on PostgreSQL, an immediate transaction on SQLite) so the chain never forks.
//! A request that recorded entries waits for the writer before it answers, so
//! the log a client reads afterwards holds them.

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use std::sync::atomic::{AtomicBool, Ordering};

use entity::{audit_entry, audit_pending};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, EntityTrait, QueryOrder, QuerySelect, Set, Statement,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::audit_checkpoint::Checkpoint;
use crate::domain::page::{Key, KeyKind, Order, Page, Position};
use crate::domain::viewer::Viewer;
use crate::error::Result;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Arbitrary key of the PostgreSQL advisory lock that serializes appends.
const APPEND_LOCK: i64 = 0x4155_4449_545f_4c4f;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AuditRecord {
    pub operation: String,
    pub case_id: Option<Uuid>,
    pub detail: Option<String>,
}

impl AuditRecord {
    pub fn new(operation: impl Into<String>, case_id: Option<Uuid>) -> Self {
        AuditRecord {
            operation: operation.into(),
            case_id,
            detail: None,
        }
    }
}

/// Records entries, unchained, inside the caller's transaction (see `append_batch`).
pub async fn append(
    db: &impl ConnectionTrait,
    viewer: Option<&Viewer>,
    records: &[AuditRecord],
) -> Result<()> {
    append_batch(db, &[(viewer, records)]).await
}

tokio::task_local! {
    /// Set while a request runs: whether it recorded entries still to be chained.
    static RECORDED: AtomicBool;
}

/// Runs a request and tells whether it recorded entries for the writer to
/// chain (its caller then waits for the writer before answering).
pub async fn tracking<F: std::future::Future>(request: F) -> (F::Output, bool) {
    RECORDED
        .scope(AtomicBool::new(false), async {
            let output = request.await;
            let recorded = RECORDED.with(|r| r.load(Ordering::Relaxed));
            (output, recorded)
        })
        .await
}

/// The columns that say who acted: their id, roles and request.
fn who(viewer: Option<&Viewer>) -> (Option<Uuid>, String, Option<String>) {
    (
        viewer.map(|v| v.person_id),
        viewer.map(Viewer::roles_label).unwrap_or_default(),
        viewer.and_then(|v| v.request_id.clone()),
    )
}

/// Records the entries of several viewers, unchained, inside the caller's
/// transaction (one multi-row insert, no lock).
pub async fn append_batch(
    db: &impl ConnectionTrait,
    groups: &[(Option<&Viewer>, &[AuditRecord])],
) -> Result<()> {
    let at = Utc::now().trunc_subsecs(6);
    let rows: Vec<audit_pending::ActiveModel> = groups
        .iter()
        .flat_map(|(viewer, records)| {
            let (viewer_id, viewer_roles, request_id) = who(*viewer);
            records
                .iter()
                .map(move |record| audit_pending::ActiveModel {
                    at: Set(at),
                    viewer_id: Set(viewer_id),
                    viewer_roles: Set(viewer_roles.clone()),
                    operation: Set(record.operation.clone()),
                    case_id: Set(record.case_id),
                    request_id: Set(request_id.clone()),
                    detail: Set(record.detail.clone()),
                    ..Default::default()
                })
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    // Bounded statement size: SQLite allows a limited number of bound values.
    for chunk in rows.chunks(50) {
        audit_pending::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    // Outside a request (a job, the command line) the writer's next batch chains them.
    RECORDED
        .try_with(|r| r.store(true, Ordering::Relaxed))
        .unwrap_or(());
    Ok(())
}

/// Takes every committed pending entry, oldest first. On PostgreSQL one
/// `DELETE … RETURNING` takes exactly the rows it returns, so an entry
/// committed meanwhile waits for the next batch; SQLite has one writer at a
/// time, so reading then deleting in the transaction is as safe.
async fn take_pending(db: &impl ConnectionTrait) -> Result<Vec<audit_pending::Model>> {
    let mut rows = if db.support_returning() {
        audit_pending::Entity::delete_many()
            .exec_with_returning(db)
            .await?
    } else {
        let rows = audit_pending::Entity::find().all(db).await?;
        if let Some(last) = rows.iter().map(|r| r.id).max() {
            use sea_orm::{ColumnTrait, QueryFilter};
            audit_pending::Entity::delete_many()
                .filter(audit_pending::Column::Id.lte(last))
                .exec(db)
                .await?;
        }
        rows
    };
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Chains what is pending (when `with_pending`), then `groups` (the reads of
/// a batch of requests), inside the caller's transaction.
pub async fn chain(
    db: &impl ConnectionTrait,
    groups: &[(Option<&Viewer>, &[AuditRecord])],
    with_pending: bool,
) -> Result<()> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [APPEND_LOCK.into()],
        ))
        .await?;
    }
    let pending = if with_pending {
        take_pending(db).await?
    } else {
        Vec::new()
    };
    if pending.is_empty() && groups.iter().all(|(_, records)| records.is_empty()) {
        return Ok(());
    }
    let last = audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::Seq)
        .limit(1)
        .one(db)
        .await?;
    let (mut seq, mut prev) = last
        .map(|e| (e.seq, e.hash))
        .unwrap_or((0, GENESIS.to_string()));
    let at = Utc::now().trunc_subsecs(6);
    let recorded = pending.into_iter().map(|p| audit_entry::Model {
        seq: 0,
        at: p.at,
        viewer_id: p.viewer_id,
        viewer_roles: p.viewer_roles,
        operation: p.operation,
        case_id: p.case_id,
        request_id: p.request_id,
        detail: p.detail,
        prev_hash: String::new(),
        hash: String::new(),
    });
    let read = groups.iter().flat_map(|(viewer, records)| {
        let (viewer_id, viewer_roles, request_id) = who(*viewer);
        records.iter().map(move |record| audit_entry::Model {
            seq: 0,
            at,
            viewer_id,
            viewer_roles: viewer_roles.clone(),
            operation: record.operation.clone(),
            case_id: record.case_id,
            request_id: request_id.clone(),
            detail: record.detail.clone(),
            prev_hash: String::new(),
            hash: String::new(),
        })
    });
    let mut rows = Vec::new();
    for mut entry in recorded.chain(read) {
        seq += 1;
        entry.seq = seq;
        entry.prev_hash = prev;
        entry.hash = hash_of(&entry);
        prev = entry.hash.clone();
        // Every column set: the entry is new, not a row read back.
        rows.push(sea_orm::ActiveModelTrait::reset_all(
            audit_entry::ActiveModel::from(entry),
        ));
    }
    for chunk in rows.chunks(50) {
        audit_entry::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Chains whatever is pending, in a transaction of its own: for a reader of
/// the log outside the writer (the command line's check, an administrator).
pub async fn chain_pending(db: &sea_orm::DatabaseConnection) -> Result<()> {
    let tx = crate::domain::case_store::begin(db).await?;
    chain(&tx, &[], true).await?;
    Ok(tx.commit().await?)
}

fn hash_of(e: &audit_entry::Model) -> String {
    let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    let fields = [
        e.seq.to_string(),
        stamp(e.at),
        opt(e.viewer_id),
        e.viewer_roles.clone(),
        e.operation.clone(),
        opt(e.case_id),
        e.request_id.clone().unwrap_or_default(),
        e.detail.clone().unwrap_or_default(),
        e.prev_hash.clone(),
    ];
    let mut hasher = Sha256::new();
    for f in fields {
        // Length-prefixed so field boundaries cannot be shifted.
        hasher.update((f.len() as u64).to_be_bytes());
        hasher.update(f.as_bytes());
    }
    hex::encode(hasher.finalize())
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub entries_checked: u64,
    /// The first entry whose sequence, link or hash does not hold.
    pub first_broken: Option<i64>,
    /// What is wrong, in words; None when the chain is intact.
    pub problem: Option<String>,
}

/// Where an entry stands in the log: newest first.
pub fn position(e: &audit_entry::Model) -> Position {
    Position::unique(Key::Seq(e.seq))
}

/// One page of the log, newest first, optionally one case's (administrators).
/// What is pending is chained first, so the page holds every committed change.
pub async fn entries(
    viewer: &Viewer,
    db: &sea_orm::DatabaseConnection,
    case_id: Option<Uuid>,
    page: &Page,
) -> Result<Vec<audit_entry::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    access::roles::can_administer(viewer, "read the audit log")?;
    chain_pending(db).await?;
    let mut query = audit_entry::Entity::find();
    if let Some(case_id) = case_id {
        query = query.filter(audit_entry::Column::CaseId.eq(case_id));
    }
    let query = page.select(
        query,
        audit_entry::Column::Seq,
        KeyKind::Seq,
        None::<audit_entry::Column>,
        Order::Descending,
    )?;
    Ok(query.all(db).await?)
}

/// Recomputes the chain for an administrator, against the instance's latest
/// checkpoint where there is one.
pub async fn verify_for(
    viewer: &Viewer,
    db: &sea_orm::DatabaseConnection,
    checkpoint: Option<&Checkpoint>,
) -> Result<ChainReport> {
    access::roles::can_administer(viewer, "verify the audit log")?;
    verify(db, checkpoint).await
}

/// Walks the whole chain in order and names the first broken entry. With a
/// checkpoint, the chain must also reach it and hold the same hash there: a
/// cut at the end, or a chain rebuilt from some point on, is found too.
pub async fn verify(
    db: &sea_orm::DatabaseConnection,
    checkpoint: Option<&Checkpoint>,
) -> Result<ChainReport> {
    use sea_orm::{ColumnTrait, QueryFilter};
    chain_pending(db).await?;
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_string();
    let mut checked = 0u64;
    let broken = |checked: u64, seq: i64, problem: String| ChainReport {
        entries_checked: checked,
        first_broken: Some(seq),
        problem: Some(problem),
    };
    loop {
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_entry::Column::Seq)
            .limit(1000)
            .all(db)
            .await?;
        if page.is_empty() {
            if let Some(cp) = checkpoint
                && cp.seq >= expected_seq
            {
                return Ok(broken(
                    checked,
                    expected_seq,
                    format!(
                        "the log ends at entry {} but a checkpoint recorded entry {}: entries were removed from its end",
                        expected_seq - 1,
                        cp.seq
                    ),
                ));
            }
            return Ok(ChainReport {
                entries_checked: checked,
                first_broken: None,
                problem: None,
            });
        }
        for entry in page {
            if entry.seq != expected_seq || entry.prev_hash != prev || hash_of(&entry) != entry.hash
            {
                // A missing entry breaks the chain where it was.
                let seq = expected_seq.min(entry.seq);
                return Ok(broken(
                    checked,
                    seq,
                    format!("entry {seq} is missing, altered or out of order"),
                ));
            }
            if let Some(cp) = checkpoint
                && cp.seq == entry.seq
                && cp.hash != entry.hash
            {
                return Ok(broken(
                    checked,
                    entry.seq,
                    format!(
                        "entry {} is not the one a checkpoint recorded: the log was rewritten from there",
                        entry.seq
                    ),
                ));
            }
            prev = entry.hash;
            expected_seq += 1;
            checked += 1;
        }
    }
}

/// Appends one entry for `operation` on a case by `viewer` (the common case).
pub async fn record(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    operation: &str,
    case_id: Uuid,
) -> Result<()> {
    append(
        db,
        Some(viewer),
        &[AuditRecord::new(operation, Some(case_id))],
    )
    .await
}
