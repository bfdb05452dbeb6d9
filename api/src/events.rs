//! Live-update events: "timeline entry X was added to case Y", "notification X
//! was created for person Y". Events carry ids only; subscribers load the row
//! and check the viewer may see it, event by event.
//!
//! Delivery follows the transaction that caused the event:
//! - PostgreSQL: `pg_notify` inside the transaction, so the notice is sent on
//!   commit and never for a rollback; every instance LISTENs and passes what it
//!   hears to its own subscribers — whichever instance made the change.
//! - SQLite (one process): events are buffered for the running mutation and
//!   published after it commits (`collect` + `EventBus::publish`).

use std::cell::RefCell;
use std::future::Future;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

use crate::error::Result;

pub const CHANNEL: &str = "misconduct_events";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t")]
pub enum Event {
    Timeline {
        case_id: Uuid,
        event_id: Uuid,
    },
    Notification {
        recipient_id: Uuid,
        notification_id: Uuid,
    },
    /// A person's access ended (their account was disabled): their open
    /// subscriptions end.
    AccessEnded {
        person_id: Uuid,
    },
}

tokio::task_local! {
    static PENDING: RefCell<Vec<Event>>;
}

/// Runs `work` (a mutation and its commit) and returns what it emitted on
/// SQLite, to publish once the commit has succeeded.
pub async fn collect<F: Future>(work: F) -> (F::Output, Vec<Event>) {
    // Mutation futures are large; keep them on the heap, not the worker's stack.
    let work = Box::pin(work);
    PENDING
        .scope(RefCell::new(Vec::new()), async move {
            let out = work.await;
            let events = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
            (out, events)
        })
        .await
}

/// Records an event in the caller's transaction.
pub async fn emit(db: &impl ConnectionTrait, event: Event) -> Result<()> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let payload = serde_json::to_string(&event).map_err(anyhow::Error::from)?;
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), payload.into()],
            ))
            .await?;
        }
        _ => {
            // Outside `collect` (e.g. the demo loader) nobody can be listening yet.
            if PENDING.try_with(|p| p.borrow_mut().push(event)).is_err() {
                tracing::debug!("live updates: an event outside a request was not published");
            }
        }
    }
    Ok(())
}

/// The process's subscribers. Cheap to clone.
#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Event>,
    postgres: bool,
    /// Whether events from every instance reach this one (always on SQLite;
    /// on PostgreSQL once LISTEN is established).
    listening: watch::Receiver<bool>,
    _listener: std::sync::Arc<Option<AbortOnDrop>>,
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl EventBus {
    /// On PostgreSQL, also starts listening for events from every instance.
    pub fn start(db: &DatabaseConnection) -> EventBus {
        let (sender, _) = broadcast::channel(1024);
        let postgres = db.get_database_backend() == DbBackend::Postgres;
        let (listening_tx, listening) = watch::channel(!postgres);
        let listener = postgres.then(|| {
            let pool = db.get_postgres_connection_pool().clone();
            let sender = sender.clone();
            AbortOnDrop(tokio::spawn(listen(pool, sender, listening_tx)).abort_handle())
        });
        EventBus {
            sender,
            postgres,
            listening,
            _listener: std::sync::Arc::new(listener),
        }
    }

    /// Waits until events from every instance reach this one.
    pub async fn ready(&self) {
        let mut listening = self.listening.clone();
        if listening.wait_for(|ok| *ok).await.is_err() {
            tracing::warn!("live updates: the listener has stopped");
        }
    }

    /// How many live subscriptions this instance serves now.
    pub fn subscriptions(&self) -> usize {
        self.sender.receiver_count()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }

    /// After a commit: SQLite's buffered events go out here; on PostgreSQL
    /// they already went through NOTIFY.
    pub fn publish(&self, events: Vec<Event>) {
        if self.postgres {
            return;
        }
        for event in events {
            broadcast(&self.sender, event);
        }
    }
}

/// Hands an event to the subscribers of this instance. Sending fails only when
/// nobody is subscribed, which is not an error.
fn broadcast(sender: &broadcast::Sender<Event>, event: Event) {
    if sender.send(event).is_err() {
        tracing::trace!("live updates: no subscriber");
    }
}

async fn listen(
    pool: sea_orm::sqlx::PgPool,
    sender: broadcast::Sender<Event>,
    listening: watch::Sender<bool>,
) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "live updates: cannot connect to LISTEN; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "live updates: LISTEN failed; retrying");
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            continue;
        }
        listening.send_replace(true);
        loop {
            match listener.recv().await {
                Ok(note) => match serde_json::from_str::<Event>(note.payload()) {
                    Ok(event) => broadcast(&sender, event),
                    Err(_) => tracing::warn!("live updates: ignored a malformed notification"),
                },
                Err(e) => {
                    tracing::warn!(error = %e, "live updates: listener lost; reconnecting");
                    listening.send_replace(false);
                    break;
                }
            }
        }
    }
}
