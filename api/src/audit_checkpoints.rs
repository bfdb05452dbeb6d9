//! The background task that checkpoints the audit chain's head: every few
//! seconds when it has moved, and once more at shutdown. Each checkpoint goes
//! to the append-only file and to the log ("audit checkpoint"), so a copy
//! exists wherever the logs are shipped.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::domain::audit_checkpoint::{self, Checkpoint};
use crate::domain::clock::Clock;

pub struct Checkpointer {
    stop: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

pub fn spawn(db: DatabaseConnection, clock: Clock, path: PathBuf, every: Duration) -> Checkpointer {
    let stop = Arc::new(Notify::new());
    let stopped = stop.clone();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        tracing::warn!(error = %e, dir = %dir.display(), "audit checkpoints: no directory for the file");
    }
    let task = tokio::spawn(async move {
        let mut last = None;
        loop {
            let stopping = tokio::select! {
                () = stopped.notified() => true,
                () = tokio::time::sleep(every) => false,
            };
            take(&db, &clock, &path, &mut last).await;
            if stopping {
                break;
            }
        }
    });
    Checkpointer { stop, task }
}

impl Checkpointer {
    /// Takes a last checkpoint and stops.
    pub async fn shutdown(self) {
        self.stop.notify_one();
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "the audit checkpoint task ended abnormally");
        }
    }
}

async fn take(
    db: &DatabaseConnection,
    clock: &Clock,
    path: &std::path::Path,
    last: &mut Option<Checkpoint>,
) {
    let span = tracing::info_span!("audit.checkpoint");
    let head = match tracing::Instrument::instrument(audit_checkpoint::head(db), span).await {
        Ok(Some(head)) => head,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %e, "audit checkpoint: the head could not be read");
            return;
        }
    };
    if last.as_ref() == Some(&head) {
        return;
    }
    match audit_checkpoint::append(path, &head, clock.now().at()) {
        Ok(()) => {
            tracing::info!(checkpoint = %head.text(), "audit checkpoint");
            *last = Some(head);
        }
        Err(e) => {
            tracing::warn!(error = %e, file = %path.display(), "audit checkpoint could not be written")
        }
    }
}
