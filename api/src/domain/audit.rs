//! The audit log (R-VIS-2): every write, and every read of a case's sensitive
//! content, appended with viewer, operation, case, time and request id.
//! Entries are hash-chained: each hash covers the entry and the previous hash,
//! so an edit, deletion or insertion anywhere breaks the chain at that point.
//! Appends are serialized (an advisory lock on PostgreSQL, an immediate
//! transaction on SQLite) so the chain never forks.

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use entity::audit_entry;
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

/// Appends records inside the caller's transaction.
pub async fn append(
    db: &impl ConnectionTrait,
    viewer: Option<&Viewer>,
    records: &[AuditRecord],
) -> Result<()> {
    append_batch(db, &[(viewer, records)]).await
}

/// Appends the records of several viewers in one multi-row insert, chained in order.
pub async fn append_batch(
    db: &impl ConnectionTrait,
    groups: &[(Option<&Viewer>, &[AuditRecord])],
) -> Result<()> {
    if groups.iter().all(|(_, records)| records.is_empty()) {
        return Ok(());
    }
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [APPEND_LOCK.into()],
        ))
        .await?;
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
    let mut rows = Vec::new();
    for (viewer, records) in groups {
        for record in records.iter() {
            seq += 1;
            let mut entry = audit_entry::Model {
                seq,
                at,
                viewer_id: viewer.map(|v| v.person_id),
                viewer_roles: viewer.map(Viewer::roles_label).unwrap_or_default(),
                operation: record.operation.clone(),
                case_id: record.case_id,
                request_id: viewer.and_then(|v| v.request_id.clone()),
                detail: record.detail.clone(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            entry.hash = hash_of(&entry);
            prev = entry.hash.clone();
            rows.push(audit_entry::ActiveModel {
                seq: Set(entry.seq),
                at: Set(entry.at),
                viewer_id: Set(entry.viewer_id),
                viewer_roles: Set(entry.viewer_roles),
                operation: Set(entry.operation),
                case_id: Set(entry.case_id),
                request_id: Set(entry.request_id),
                detail: Set(entry.detail),
                prev_hash: Set(entry.prev_hash),
                hash: Set(entry.hash),
            });
        }
    }
    // Bounded statement size: SQLite allows a limited number of bound values.
    for chunk in rows.chunks(50) {
        audit_entry::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
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
pub async fn entries(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Option<Uuid>,
    page: &Page,
) -> Result<Vec<audit_entry::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    access::roles::can_administer(viewer, "read the audit log")?;
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
    db: &impl ConnectionTrait,
    checkpoint: Option<&Checkpoint>,
) -> Result<ChainReport> {
    access::roles::can_administer(viewer, "verify the audit log")?;
    verify(db, checkpoint).await
}

/// Walks the whole chain in order and names the first broken entry. With a
/// checkpoint, the chain must also reach it and hold the same hash there: a
/// cut at the end, or a chain rebuilt from some point on, is found too.
pub async fn verify(
    db: &impl ConnectionTrait,
    checkpoint: Option<&Checkpoint>,
) -> Result<ChainReport> {
    use sea_orm::{ColumnTrait, QueryFilter};
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

type Pending = (
    Option<Viewer>,
    Vec<AuditRecord>,
    tokio::sync::oneshot::Sender<Result<(), String>>,
);

/// Appends the reads of many requests in one transaction (group commit): the
/// chain is serialized anyway, so one writer batching whatever is waiting
/// turns N lock round trips into one. Each caller still waits until its own
/// entries are committed before its response is sent.
#[derive(Clone)]
pub struct AuditWriter {
    queue: tokio::sync::mpsc::Sender<Pending>,
}

/// At most this many requests' entries go into one transaction.
const BATCH: usize = 256;

impl AuditWriter {
    pub fn spawn(db: sea_orm::DatabaseConnection) -> Self {
        let (queue, mut rx) = tokio::sync::mpsc::channel::<Pending>(4096);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < BATCH {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                // One batch serves many requests: its spans are its own trace.
                let span = tracing::info_span!("audit.append", requests = batch.len());
                let result = tracing::Instrument::instrument(
                    async {
                        let tx = crate::domain::case_store::begin(&db).await?;
                        let groups: Vec<(Option<&Viewer>, &[AuditRecord])> = batch
                            .iter()
                            .map(|(v, r, _)| (v.as_ref(), r.as_slice()))
                            .collect();
                        append_batch(&tx, &groups).await?;
                        tx.commit().await.map_err(crate::error::Error::from)
                    },
                    span,
                )
                .await
                .map_err(|e| format!("{e:?}"));
                for (_, _, reply) in batch {
                    // A request that stopped waiting has nobody to tell.
                    if reply.send(result.clone()).is_err() {
                        tracing::debug!("audit: a request stopped waiting for its entry");
                    }
                }
            }
        });
        AuditWriter { queue }
    }

    /// Requests waiting for their entries to be written.
    pub fn waiting(&self) -> usize {
        self.queue.max_capacity() - self.queue.capacity()
    }

    /// Appends and waits until committed.
    pub async fn append(&self, viewer: Option<&Viewer>, records: Vec<AuditRecord>) -> Result<()> {
        let (reply, done) = tokio::sync::oneshot::channel();
        let failed = |why: String| {
            crate::error::Error::Internal(anyhow::anyhow!("audit append failed: {why}"))
        };
        self.queue
            .send((viewer.cloned(), records, reply))
            .await
            .map_err(|e| failed(format!("writer stopped ({e})")))?;
        done.await
            .map_err(|e| failed(format!("writer stopped ({e})")))?
            .map_err(failed)
    }
}
