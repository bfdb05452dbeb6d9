//! A person's in-app notifications (also e-mailed): short notices that
//! something changed in their case, never its content.

use async_graphql::ID;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{kinds, notices};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::NotificationKind;
use crate::graphql::pagination::{self, Connection, Listed};
use crate::graphql::transaction::in_tx;

/// A notice to you about your case; the words carry no case content.
#[derive(SimpleObject)]
pub struct Notification {
    /// The notification's id (pass it to `markNotificationRead`).
    #[graphql(owned)]
    pub(crate) id: ID,
    /// The case it is about.
    case_id: Uuid,
    /// What it is about.
    kind: NotificationKind,
    /// What to tell you, in words.
    message: String,
    /// When it was created.
    created_at: DateTime<Utc>,
    /// When you marked it read; null while unread.
    read_at: Option<DateTime<Utc>>,
}

impl Notification {
    pub fn from_row(n: entity::notification::Model) -> GqlResult<Self> {
        Ok(Notification {
            id: n.id.into(),
            case_id: n.case_id,
            kind: kinds::NotificationKind::from_db(&n.kind).gql()?.into(),
            message: n.message,
            created_at: n.created_at,
            read_at: n.read_at,
        })
    }
}

impl Listed for Notification {
    const CONNECTION: &'static str = "NotificationConnection";
    const EDGE: &'static str = "NotificationEdge";
}

#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// Your notifications, newest first.
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> GqlResult<Connection<Notification>> {
        let page = pagination::page(first, after.as_deref()).gql()?;
        let rows = notices::notifications_for(ctx.viewer()?, &ctx.state().db, &page)
            .await
            .gql()?;
        let rows: Vec<(crate::domain::page::Position, Notification)> = rows
            .into_iter()
            .map(|n| Ok((notices::position(&n), Notification::from_row(n)?)))
            .collect::<GqlResult<_>>()?;
        Ok(pagination::connection(rows, &page, |r| r.0, |r| r.1))
    }
}

#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Marks one of your notifications as read (NOT_FOUND for anyone else's).
    async fn mark_notification_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The notification.")] id: Uuid,
    ) -> GqlResult<bool> {
        in_tx(ctx, async |viewer, tx| {
            notices::mark_read(viewer, tx, id).await
        })
        .await?;
        Ok(true)
    }
}
