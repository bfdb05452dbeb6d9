//! The delivery worker: drains the communication outbox. Every instance may
//! run one; claims are leased with `FOR UPDATE SKIP LOCKED`, so instances on
//! one PostgreSQL never take the same row, and a crash before a row is marked
//! sent means it is sent again when its lease ends (at-least-once; the
//! Message-ID lets mail systems spot the repeat).

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::domain::clock::Clock;
use crate::domain::communications::{self, Outgoing};
use crate::mail::{Letter, Mailer};

const BATCH: u64 = 20;
/// Long enough for a batch at the SMTP timeout (30 s each) to finish.
const LEASE_MINUTES: i64 = 15;

pub struct Worker {
    pub stop: Arc<Notify>,
    pub task: JoinHandle<()>,
    /// How many passes over the outbox the worker has finished (for tests and
    /// operators to tell that it is alive and has caught up).
    pub passes: watch::Receiver<u64>,
}

impl Worker {
    pub async fn shutdown(self) {
        self.stop.notify_one();
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "delivery worker ended abnormally");
        }
    }
}

pub fn spawn(db: DatabaseConnection, clock: Clock, mailer: Mailer, poll: Duration) -> Worker {
    let stop = Arc::new(Notify::new());
    let stopped = stop.clone();
    let (passed, passes) = watch::channel(0u64);
    let task = tokio::spawn(async move {
        tracing::info!(transport = mailer.describe(), "delivery worker started");
        loop {
            // Each pass is a trace of its own, so its database spans have a parent.
            let pass = tracing::info_span!("delivery.pass");
            let sent_any =
                match tracing::Instrument::instrument(run_once(&db, &clock, &mailer), pass).await {
                    Ok(n) => n > 0,
                    Err(e) => {
                        tracing::warn!(error = %e, "delivery: claiming due communications failed");
                        false
                    }
                };
            passed.send_modify(|n| *n += 1);
            if sent_any {
                continue; // more may be waiting
            }
            tokio::select! {
                _ = stopped.notified() => break,
                _ = tokio::time::sleep(poll) => {}
            }
        }
    });
    Worker { stop, task, passes }
}

/// Claims one batch and delivers it; returns how many were claimed.
pub async fn run_once(
    db: &DatabaseConnection,
    clock: &Clock,
    mailer: &Mailer,
) -> crate::error::Result<usize> {
    let lease = chrono::Duration::minutes(LEASE_MINUTES);
    let batch = communications::claim(db, clock.now(), BATCH, lease).await?;
    let claimed = batch.len();
    for outgoing in batch {
        deliver(db, clock, mailer, outgoing).await;
    }
    Ok(claimed)
}

async fn deliver(db: &DatabaseConnection, clock: &Clock, mailer: &Mailer, outgoing: Outgoing) {
    let Outgoing { row, address } = outgoing;
    let result = match address.as_deref() {
        None => Err(crate::mail::SendError {
            permanent: true,
            message: "no e-mail address is on record for the recipient".into(),
        }),
        Some(to) => {
            mailer
                .send(&Letter {
                    id: row.id,
                    kind: &row.kind,
                    to,
                    subject: &row.subject,
                    body: &row.body,
                })
                .await
        }
    };
    let recorded = match result {
        Ok(()) => communications::mark_sent(db, clock.now(), &row).await,
        Err(e) => {
            // The SMTP error can quote the address: it is stored for staff, not logged.
            tracing::warn!(communication = %row.id, permanent = e.permanent, "delivery failed");
            communications::mark_failed(db, clock.now(), &row, &e.message, e.permanent).await
        }
    };
    if let Err(e) = recorded {
        tracing::warn!(communication = %row.id, error = %e, "delivery: recording the result failed; it will be retried when the lease ends");
    }
}
