//! Live updates over WebSocket (graphql-transport-ws): a viewer's new
//! notifications and new entries on a case's timeline. Every event is checked
//! against the viewer's relationship to the case as it is at that moment (a
//! case worker taken off a case stops receiving its events), and a stream ends
//! when the viewer's token expires or their account is disabled.

use std::sync::Arc;

use async_graphql::{Context, Subscription};
use chrono::{DateTime, Utc};
use entity::{notification, timeline_event};
use futures_util::{Stream, StreamExt, stream};
use sea_orm::EntityTrait;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::domain::security_log::Refusal;
use crate::domain::viewer::Viewer;
use crate::domain::{case_store, people};
use crate::error::Error;
use crate::events::Event;
use crate::graphql::case::{Scoped, TimelineEntry};
use crate::graphql::context::{AppState, CtxExt, OrGql, to_gql};
use crate::graphql::notifications::Notification;

/// When the WebSocket session's token expires (set at `connection_init`).
#[derive(Clone, Copy)]
pub struct SessionEnds(pub DateTime<Utc>);

#[derive(Default)]
pub struct SubscriptionRoot;

/// The bus as a stream; a subscriber that falls behind skips what it missed
/// (a client re-reads the case on reconnect anyway).
fn events(state: &AppState) -> impl Stream<Item = Event> + use<> {
    stream::unfold(state.events.subscribe(), |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(event) => return Some((event, rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}

/// An event that could not be loaded is skipped (the client re-reads on
/// reconnect) but never silently: the failure goes to the log.
fn skipped<T>(error: &str) -> Option<T> {
    tracing::warn!(error, "live update skipped: loading the event failed");
    None
}

/// A session's stream: refused if the account was disabled since the socket
/// opened, and ended at the token's expiry or when the account is disabled.
async fn for_session<S: Stream + Send + 'static>(
    ctx: &Context<'_>,
    s: S,
) -> async_graphql::Result<impl Stream<Item = S::Item> + use<S>> {
    let me = ctx.viewer()?.person_id;
    if people::is_disabled(&ctx.state().db, me).await.gql()? {
        return Err(to_gql(Error::account_disabled()));
    }
    let ends = ctx.data_opt::<SessionEnds>().map(|e| e.0);
    let expiry = async move {
        match ends.and_then(|e| (e - Utc::now()).to_std().ok()) {
            Some(left) => tokio::time::sleep(left).await,
            None if ends.is_some() => {} // already expired
            None => std::future::pending::<()>().await,
        }
    };
    let mut bus = ctx.state().events.subscribe();
    let access_ended = async move {
        loop {
            match bus.recv().await {
                Ok(Event::AccessEnded { person_id }) if person_id == me => return,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => std::future::pending::<()>().await,
            }
        }
    };
    let end = async move {
        tokio::select! {
            () = expiry => {}
            () = access_ended => {}
        }
    };
    Ok(s.take_until(end))
}

/// Live updates over WebSocket at `/graphql/ws` (graphql-transport-ws); each
/// event is checked against your relation to the case when it happens, and a
/// stream ends when your token expires (docs/live-updates.md).
#[Subscription]
impl SubscriptionRoot {
    /// Your notifications, as they are created.
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = Notification>> {
        let me = ctx.viewer()?.person_id;
        let db = ctx.state().db.clone();
        let mine = events(ctx.state()).filter_map(move |event| {
            let db = db.clone();
            async move {
                let Event::Notification {
                    recipient_id,
                    notification_id,
                } = event
                else {
                    return None;
                };
                if recipient_id != me {
                    return None;
                }
                let row = match notification::Entity::find_by_id(notification_id)
                    .one(&db)
                    .await
                {
                    Ok(row) => row?,
                    Err(e) => return skipped(&e.to_string()),
                };
                (row.recipient_id == me)
                    .then(|| Notification::from_row(row).ok())
                    .flatten()
            }
        });
        for_session(ctx, mine).await
    }

    /// New entries on a case's timeline that you may see. Refused (NOT_FOUND)
    /// for a case you cannot open.
    async fn case_timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
    ) -> async_graphql::Result<impl Stream<Item = TimelineEntry>> {
        let viewer: Viewer = ctx.viewer()?.clone();
        let db = ctx.state().db.clone();
        if let Err(err) = case_store::open(&viewer, &db, case_id).await {
            // A WebSocket has no request to collect refusals: record this one here.
            if let Error::Concealed(thing, case) = &err {
                let refusal = Refusal {
                    code: "NOT_FOUND",
                    detail: format!("{thing} (exists, not theirs to see; a subscription)"),
                    case_id: *case,
                };
                ctx.state()
                    .security
                    .record(&db, &viewer, vec![refusal])
                    .await;
            }
            return Err(to_gql(err));
        }
        let viewer = Arc::new(viewer);
        let (policies, clock) = (ctx.state().policies.clone(), ctx.state().clock.clone());
        let entries = events(ctx.state()).filter_map(move |event| {
            let (db, viewer) = (db.clone(), viewer.clone());
            let (policies, clock) = (policies.clone(), clock.clone());
            async move {
                let Event::Timeline {
                    case_id: of_case,
                    event_id,
                } = event
                else {
                    return None;
                };
                if of_case != case_id {
                    return None;
                }
                // The relationship as it is now, not as it was at subscription.
                let (bundle, rel) = match case_store::open(&viewer, &db, case_id).await {
                    Ok(opened) => opened,
                    Err(Error::NotFound(_) | Error::Concealed(..)) => return None, // no longer theirs to see
                    Err(e) => return skipped(&e.to_string()),
                };
                let row = match timeline_event::Entity::find_by_id(event_id).one(&db).await {
                    Ok(row) => row?,
                    Err(e) => return skipped(&e.to_string()),
                };
                if row.case_id != case_id || !rel.can_see_timeline_event(&row.kind, row.party_id) {
                    return None;
                }
                // A new stage shown to the reporting party is a disclosure to
                // record; a WebSocket has no request end to write it at.
                if let Err(e) =
                    record_progress_told(&db, &policies, &clock, &bundle, &rel, &row).await
                {
                    return skipped(&e.to_string());
                }
                Some(TimelineEntry::new(row, Scoped::with_relation(bundle, rel)))
            }
        });
        for_session(ctx, entries).await
    }
}

/// Records the stage label a reporting party is about to see in a timeline
/// entry (000 §36), as the HTTP path does at the end of a request.
async fn record_progress_told(
    db: &sea_orm::DatabaseConnection,
    policies: &crate::policy::PolicyBook,
    clock: &crate::domain::clock::Clock,
    bundle: &crate::domain::case_store::CaseBundle,
    rel: &crate::domain::access::Relation,
    row: &timeline_event::Model,
) -> Result<(), Error> {
    use crate::domain::kinds::{DisclosureItem, Stage};
    use crate::domain::reporting_party_disclosures as told;
    let Some(to) = row.to_stage.as_deref() else {
        return Ok(());
    };
    if rel.disclosure_recipient().is_none() {
        return Ok(());
    }
    let label = policies
        .for_case(db, &bundle.case)
        .await?
        .progress_label(Stage::from_db(to)?)
        .to_string();
    let entry = told::told(rel, &bundle.case, DisclosureItem::Progress, label);
    told::record(db, policies, clock.now().at(), entry.into_iter().collect()).await
}
