//! Scheduled communications: the schedule on a case (due / sent / cancelled),
//! a person's own letters, Friday agreement (R-TIME-2) and cancellation.

use async_graphql::ID;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::communication;
use uuid::Uuid;

use crate::domain::communications;
use crate::domain::kinds;
use crate::graphql::case::{CasePayload, Scoped, payload};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::{CommunicationKind, CommunicationStatus};
use crate::graphql::loaders::{CommunicationsOf, Db};
use crate::graphql::pagination::{self, Connection, Listed};
use crate::graphql::transaction::in_tx;

/// A letter or e-mail the service sends, with the rule that scheduled it.
/// Subjects and bodies carry the case reference and fixed wording only.
#[derive(SimpleObject)]
pub struct Communication {
    /// The communication's id (pass it to `cancelCommunication`).
    id: ID,
    /// The case it is about.
    case_id: Uuid,
    /// The recipient's party on the case; null for staff recipients.
    party_id: Option<Uuid>,
    /// What it is.
    kind: CommunicationKind,
    /// Where it stands.
    status: CommunicationStatus,
    /// The rule that set the date: R-SUP-3, R-REP-3, R-DISC-3, NOTICE, or
    /// R-TIME-2 where a Friday moved it.
    rule: String,
    /// The date the rule gives.
    planned_on: NaiveDate,
    /// The date it goes out (after R-TIME-2 and working days).
    due_on: NaiveDate,
    /// The e-mail's subject.
    subject: String,
    /// The e-mail's text.
    body: String,
    /// When it was sent.
    sent_at: Option<DateTime<Utc>>,
    /// When it was cancelled.
    cancelled_at: Option<DateTime<Utc>>,
    /// Why it was cancelled (a reply, or the case worker's reason).
    cancel_reason: Option<String>,
    /// Delivery attempts so far.
    attempts: i32,
    /// Why the last attempt failed, for staff to act on.
    last_error: Option<String>,
}

impl Communication {
    pub fn from_row(row: communication::Model) -> GqlResult<Self> {
        Ok(Communication {
            kind: kinds::CommunicationKind::from_db(&row.kind).gql()?.into(),
            status: kinds::CommunicationStatus::from_db(&row.status)
                .gql()?
                .into(),
            id: row.id.into(),
            case_id: row.case_id,
            party_id: row.party_id,
            rule: row.rule,
            planned_on: row.planned_on,
            due_on: row.due_on,
            subject: row.subject,
            body: row.body,
            sent_at: row.sent_at,
            cancelled_at: row.cancelled_at,
            cancel_reason: row.cancel_reason,
            attempts: row.attempts,
            last_error: row.last_error,
        })
    }
}

impl Listed for Communication {
    const CONNECTION: &'static str = "CommunicationConnection";
    const EDGE: &'static str = "CommunicationEdge";
}

/// The communications of a case the viewer may see (one batched query per
/// level); `only_mine` keeps those addressed to the viewer.
pub async fn of_scope(
    ctx: &Context<'_>,
    scope: &Scoped,
    only_mine: bool,
) -> GqlResult<Vec<Communication>> {
    let rows = ctx
        .data_unchecked::<DataLoader<Db>>()
        .load_one(CommunicationsOf(scope.case_id()))
        .await?
        .unwrap_or_default();
    rows.into_iter()
        .filter(|r| {
            if only_mine {
                scope.rel.is_recipient_of(r)
            } else {
                scope.rel.can_see_communication(r)
            }
        })
        .map(Communication::from_row)
        .collect()
}

#[derive(Default)]
pub struct CommunicationQuery;

#[Object]
impl CommunicationQuery {
    /// Letters and e-mails to you, latest due first.
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn my_communications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> GqlResult<Connection<Communication>> {
        let page = pagination::page(first, after.as_deref()).gql()?;
        let rows = communications::mine(ctx.viewer()?, &ctx.state().db, &page)
            .await
            .gql()?;
        let rows: Vec<(crate::domain::page::Position, Communication)> = rows
            .into_iter()
            .map(|r| Ok((communications::position(&r), Communication::from_row(r)?)))
            .collect::<GqlResult<_>>()?;
        Ok(pagination::connection(rows, &page, |r| r.0, |r| r.1))
    }
}

#[derive(Default)]
pub struct CommunicationMutation;

#[Object]
impl CommunicationMutation {
    /// The party (or their case worker) agrees to letters on a Friday, or
    /// withdraws that agreement (R-TIME-2); letters still due are re-dated.
    async fn set_friday_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The party.")] party_id: Uuid,
        #[graphql(desc = "True to agree to Friday letters, false to withdraw.")] agreed: bool,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            communications::set_friday_contact(
                viewer,
                tx,
                &ctx.state().policies,
                case_id,
                party_id,
                agreed,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The recipient's case worker stops a communication that is still due.
    async fn cancel_communication(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The communication.")] id: Uuid,
        #[graphql(desc = "Why it is stopped, for the record.")] reason: String,
    ) -> GqlResult<Communication> {
        let row = in_tx(ctx, async |viewer, tx| {
            communications::cancel(viewer, tx, id, &reason).await
        })
        .await?;
        Communication::from_row(row)
    }
}
