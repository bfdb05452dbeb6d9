//! The retention job (R-RET-1) outside a request: the `retention` command,
//! and an optional schedule in the server (`MISCONDUCT_RETENTION_EVERY_HOURS`).
//! What it prints and logs names cases by reference and says how many rows
//! went — never what they said.

use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::domain::clock::Clock;
use crate::domain::retention::{self, Review, Run};
use crate::policy::PolicyBook;

/// A readable account of a review (`retention --dry-run`).
pub fn describe_review(review: &Review) -> String {
    let mut out = format!("retention review for {}\n", review.as_of);
    for due in &review.due {
        out += &format!("  would remove {}: {}\n", due.reference, due.why);
    }
    for held in &review.held {
        out += &format!(
            "  kept {} under a legal hold since {}: {}\n",
            held.reference,
            held.since.date_naive(),
            held.reason
        );
    }
    for r in &review.recordings {
        out += &format!(
            "  would delete recording {} (stored at {})\n",
            r.recording_id, r.location
        );
    }
    out += &format!(
        "{} cases due, {} held, {} waiting for a student's leaving date, {} recordings due\n",
        review.due.len(),
        review.held.len(),
        review.awaiting_leaving_date,
        review.recordings.len()
    );
    out
}

/// A readable account of a run (`retention`).
pub fn describe_run(run: &Run) -> String {
    let mut out = String::new();
    for removed in &run.removed {
        out += &format!(
            "removed {} ({} rows): {}\n",
            removed.reference, removed.rows, removed.why
        );
    }
    for r in &run.recordings_deleted {
        out += &format!(
            "deleted recording {}: delete the file stored at {}\n",
            r.recording_id, r.location
        );
    }
    out += &format!(
        "{} cases removed, {} recordings deleted, {} held, {} waiting for a student's leaving date\n",
        run.removed.len(),
        run.recordings_deleted.len(),
        run.review.held.len(),
        run.review.awaiting_leaving_date
    );
    out
}

/// Runs retention every `every` until the task is aborted.
pub fn spawn(
    db: DatabaseConnection,
    clock: Clock,
    policies: std::sync::Arc<PolicyBook>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            match retention::apply(&db, None, &policies, clock.now().at()).await {
                Ok(run) => tracing::info!(
                    removed = run.removed.len(),
                    recordings_deleted = run.recordings_deleted.len(),
                    held = run.review.held.len(),
                    "retention run"
                ),
                Err(e) => {
                    tracing::warn!(error = %e, "retention run failed; retrying at the next interval")
                }
            }
        }
    })
}
