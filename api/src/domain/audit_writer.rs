//! The one audit writer of an instance (R-VIS-2, issue 16 item 4). Requests
//! hand it their audited reads and what a reporting party was told; it writes
//! whatever is waiting in one transaction (group commit), chaining the
//! entries changes recorded since the last batch first. Each request waits
//! until its batch has committed before its response is sent.

use std::collections::HashSet;

use entity::{audit_pending, disclosure_record};
use sea_orm::{ActiveValue, EntityTrait};
use uuid::Uuid;

use crate::domain::audit::{AuditRecord, chain, chain_pending};
use crate::domain::reporting_party_disclosures;
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

struct Waiting {
    /// The request changed something: entries of its are pending.
    changed: bool,
    viewer: Option<Viewer>,
    reads: Vec<AuditRecord>,
    told: Vec<disclosure_record::ActiveModel>,
    reply: tokio::sync::oneshot::Sender<Result<(), String>>,
}

#[derive(Clone)]
pub struct AuditWriter {
    queue: tokio::sync::mpsc::Sender<Waiting>,
}

/// At most this many requests' entries go into one transaction.
const BATCH: usize = 256;

/// How long the writer waits for a request before chaining, on its own, what
/// was recorded outside requests (scheduled jobs, the command line).
const IDLE_CHAIN: std::time::Duration = std::time::Duration::from_secs(1);

/// How many disclosures the writer remembers as recorded before it starts afresh.
const REMEMBERED: usize = 100_000;

/// A thing told to a reporting party: recorded once, whenever it is told again.
type ToldKey = (Uuid, Uuid, String, String);

fn key(row: &disclosure_record::ActiveModel) -> Option<ToldKey> {
    let value = |v: &ActiveValue<String>| match v {
        ActiveValue::Set(s) | ActiveValue::Unchanged(s) => Some(s.clone()),
        ActiveValue::NotSet => None,
    };
    let id = |v: &ActiveValue<Uuid>| match v {
        ActiveValue::Set(u) | ActiveValue::Unchanged(u) => Some(*u),
        ActiveValue::NotSet => None,
    };
    Some((
        id(&row.case_id)?,
        id(&row.party_id)?,
        value(&row.item)?,
        value(&row.disclosed)?,
    ))
}

async fn chain_if_pending(db: &sea_orm::DatabaseConnection) -> Result<()> {
    if audit_pending::Entity::find().one(db).await?.is_some() {
        chain_pending(db).await?;
    }
    Ok(())
}

/// Writes one batch: the disclosures not recorded before, then the chain,
/// taking what is pending first when `take_pending`.
async fn write(
    db: &sea_orm::DatabaseConnection,
    batch: &[Waiting],
    recorded: &HashSet<ToldKey>,
    take_pending: bool,
) -> Result<Vec<ToldKey>> {
    let tx = crate::domain::case_store::begin(db).await?;
    // Told again and again (a party opening their case), recorded once: what
    // this instance has already recorded is not sent at all.
    let mut new = HashSet::new();
    let told: Vec<disclosure_record::ActiveModel> = batch
        .iter()
        .flat_map(|w| w.told.iter())
        .filter(|row| key(row).is_none_or(|k| !recorded.contains(&k) && new.insert(k)))
        .cloned()
        .collect();
    reporting_party_disclosures::insert(&tx, told).await?;
    let groups: Vec<(Option<&Viewer>, &[AuditRecord])> = batch
        .iter()
        .map(|w| (w.viewer.as_ref(), w.reads.as_slice()))
        .collect();
    chain(&tx, &groups, take_pending).await?;
    tx.commit().await?;
    Ok(new.into_iter().collect())
}

impl AuditWriter {
    pub fn spawn(db: sea_orm::DatabaseConnection) -> Self {
        let (queue, mut rx) = tokio::sync::mpsc::channel::<Waiting>(4096);
        tokio::spawn(async move {
            let mut recorded: HashSet<ToldKey> = HashSet::new();
            let mut pending_taken = std::time::Instant::now();
            loop {
                let first = match tokio::time::timeout(IDLE_CHAIN, rx.recv()).await {
                    Ok(Some(first)) => first,
                    Ok(None) => break,
                    // Idle: chain what jobs and the command line recorded meanwhile.
                    Err(_) => {
                        if let Err(e) = chain_if_pending(&db).await {
                            tracing::warn!(
                                error = format!("{e:?}"),
                                "audit: chaining pending entries failed"
                            );
                        }
                        continue;
                    }
                };
                let mut batch = vec![first];
                while batch.len() < BATCH {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                // One batch serves many requests: its spans are its own trace.
                // A batch of reads alone leaves the pending table be, unless
                // a job's entries may have waited there a while.
                let take_pending =
                    batch.iter().any(|w| w.changed) || pending_taken.elapsed() >= IDLE_CHAIN;
                if take_pending {
                    pending_taken = std::time::Instant::now();
                }
                let span = tracing::info_span!("audit.append", requests = batch.len());
                let result = tracing::Instrument::instrument(
                    write(&db, &batch, &recorded, take_pending),
                    span,
                )
                .await
                .map_err(|e| format!("{e:?}"));
                let result = match result {
                    Ok(new) => {
                        if recorded.len() + new.len() > REMEMBERED {
                            recorded.clear();
                        }
                        recorded.extend(new);
                        Ok(())
                    }
                    Err(e) => Err(e),
                };
                for waiting in batch {
                    // A request that stopped waiting has nobody to tell.
                    if waiting.reply.send(result.clone()).is_err() {
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
    pub async fn append(&self, viewer: Option<&Viewer>, reads: Vec<AuditRecord>) -> Result<()> {
        self.append_with_told(false, viewer, reads, Vec::new())
            .await
    }

    /// Appends a request's reads and records what it told a reporting party
    /// (`reporting_party_disclosures::rows`), chaining first what is pending
    /// when the request `changed` something, and waits until all is committed.
    pub async fn append_with_told(
        &self,
        changed: bool,
        viewer: Option<&Viewer>,
        reads: Vec<AuditRecord>,
        told: Vec<disclosure_record::ActiveModel>,
    ) -> Result<()> {
        let (reply, done) = tokio::sync::oneshot::channel();
        let failed = |why: String| Error::Internal(anyhow::anyhow!("audit append failed: {why}"));
        self.queue
            .send(Waiting {
                changed,
                viewer: viewer.cloned(),
                reads,
                told,
                reply,
            })
            .await
            .map_err(|e| failed(format!("writer stopped ({e})")))?;
        done.await
            .map_err(|e| failed(format!("writer stopped ({e})")))?
            .map_err(failed)
    }
}
