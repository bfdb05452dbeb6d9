//! The conversation of an anonymous disclosure (R-DISC-2, issue 17 item 7).
//! The reporter's fields take the access code and are used without a token —
//! a token would say who they are — and only in a POST body, never a GET
//! query string that proxies keep. Student Support's fields are for staff
//! with the CASE_WORKER role (`access::anonymous`).

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::anonymous_message;
use uuid::Uuid;

use crate::domain::anonymous_channel::access_code::CodeGate;
use crate::domain::anonymous_channel::reporter;
use crate::domain::anonymous_channel::support_team::{self, Thread};
use crate::domain::{codec, kinds};
use crate::error::Error;
use crate::graphql::context::{CtxExt, GqlResult, OrGql, Transport, to_gql};
use crate::graphql::enums::{AnonymousSender, IncidentCategory};
use crate::graphql::pagination::{self, Connection, Listed};
use crate::graphql::transaction::{in_tx, without_viewer};

/// One message of the conversation.
#[derive(SimpleObject)]
pub struct AnonymousMessage {
    /// The message's id.
    id: ID,
    /// The reporter or Student Support (never a person's name).
    from: AnonymousSender,
    /// What was written.
    body: String,
    /// When it was sent.
    sent_at: DateTime<Utc>,
}

impl AnonymousMessage {
    fn from_row(m: anonymous_message::Model) -> GqlResult<Self> {
        Ok(AnonymousMessage {
            id: m.id.into(),
            from: kinds::AnonymousSender::from_db(&m.sender).gql()?.into(),
            body: m.body,
            sent_at: m.sent_at,
        })
    }
}

fn messages(rows: Vec<anonymous_message::Model>) -> GqlResult<Vec<AnonymousMessage>> {
    rows.into_iter().map(AnonymousMessage::from_row).collect()
}

/// What the reporter sees with their access code.
#[derive(SimpleObject)]
pub struct AnonymousConversation {
    /// When the disclosure was made.
    disclosed_at: DateTime<Utc>,
    /// The messages, oldest first.
    messages: Vec<AnonymousMessage>,
}

/// An anonymous disclosure and its conversation, as Student Support sees it.
#[derive(SimpleObject)]
pub struct AnonymousThread {
    /// The case (pass it to `replyToAnonymousReporter`).
    case_id: Uuid,
    /// Its human-readable reference.
    reference: String,
    /// The case's version, for `closeAnonymousDisclosure`.
    version: i32,
    /// When the disclosure was made.
    disclosed_at: DateTime<Utc>,
    /// When Student Support closed it; null while open.
    closed_at: Option<DateTime<Utc>>,
    /// What kind of incident.
    categories: Vec<IncidentCategory>,
    /// What happened, in the reporter's words.
    description: String,
    /// The access code still opens the conversation.
    open: bool,
    /// When the code was revoked; null while it works.
    revoked_at: Option<DateTime<Utc>>,
    /// Who revoked it: the reporter, or Student Support.
    revoked_by: Option<AnonymousSender>,
    /// Student Support's reason for revoking it.
    revoked_reason: Option<String>,
    /// The reporter wrote last: a reply is owed.
    awaiting_reply: bool,
    /// The messages, oldest first.
    messages: Vec<AnonymousMessage>,
}

impl AnonymousThread {
    fn from_thread(t: Thread) -> GqlResult<Self> {
        let awaiting_reply = t
            .messages
            .last()
            .is_some_and(|m| m.sender == kinds::AnonymousSender::Reporter.as_str());
        Ok(AnonymousThread {
            case_id: t.case.id,
            reference: t.case.reference.clone(),
            version: t.case.version,
            disclosed_at: t.case.opened_at,
            closed_at: t.case.closed_at,
            categories: codec::decode_enums(
                "cases.categories",
                &t.case.categories,
                kinds::IncidentCategory::from_db,
            )
            .gql()?
            .into_iter()
            .map(Into::into)
            .collect(),
            description: t.case.description.clone(),
            open: t.channel.revoked_at.is_none(),
            revoked_at: t.channel.revoked_at,
            revoked_by: t
                .channel
                .revoked_by
                .as_deref()
                .map(kinds::AnonymousSender::from_db)
                .transpose()
                .gql()?
                .map(Into::into),
            revoked_reason: t.channel.revoked_reason.clone(),
            awaiting_reply,
            messages: messages(t.messages)?,
        })
    }
}

impl Listed for AnonymousThread {
    const CONNECTION: &'static str = "AnonymousThreadConnection";
    const EDGE: &'static str = "AnonymousThreadEdge";
}

/// The reporter's fields run only without a token and never over GET.
fn as_reporter(ctx: &Context<'_>) -> GqlResult<()> {
    let request = ctx.request();
    if request.viewer.is_some() {
        return Err(to_gql(Error::validation(
            "Authorization",
            "Use your access code without signing in: a token would say who you are (R-DISC-2).",
        )));
    }
    if request.transport == Transport::Get {
        return Err(to_gql(Error::validation(
            "accessCode",
            "Send the access code in a POST body: a GET address can be kept in logs and history.",
        )));
    }
    Ok(())
}

fn gate<'a>(ctx: &'a Context<'_>) -> &'a CodeGate {
    ctx.data_unchecked::<Arc<CodeGate>>()
}

#[derive(Default)]
pub struct AnonymousChannelQuery;

#[Object]
impl AnonymousChannelQuery {
    /// For the anonymous reporter, without a token: the conversation with
    /// Student Support that the access code opens (UNAUTHENTICATED for a
    /// wrong or revoked code; RATE_LIMITED while too many codes are tried).
    #[graphql(complexity = "crate::graphql::cost::LOOKUP + child_complexity")]
    async fn anonymous_conversation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code shown when the disclosure was made.", secret)]
        access_code: String,
    ) -> GqlResult<AnonymousConversation> {
        as_reporter(ctx)?;
        let state = ctx.state();
        let (channel, rows) = reporter::conversation(&state.db, gate(ctx), &access_code)
            .await
            .gql()?;
        state
            .audit
            .append(
                None,
                vec![reporter::audit_record(
                    "read:anonymousConversation",
                    &channel,
                )],
            )
            .await
            .gql()?;
        Ok(AnonymousConversation {
            disclosed_at: channel.opened_at,
            messages: messages(rows)?,
        })
    }

    /// Student Support's inbox of anonymous disclosures, newest first, each
    /// with its conversation. Each read is audited.
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn anonymous_inbox(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(
            default,
            desc = "Only open conversations whose reporter wrote last: the replies owed."
        )]
        awaiting_reply: bool,
    ) -> GqlResult<Connection<AnonymousThread>> {
        let page = pagination::page(first, after.as_deref()).gql()?;
        let threads = support_team::inbox(ctx.viewer()?, &ctx.state().db, page, awaiting_reply)
            .await
            .gql()?;
        let rows = threads
            .into_iter()
            .map(|t| {
                ctx.record_read("anonymousInbox", t.case.id);
                Ok((t.position(), AnonymousThread::from_thread(t)?))
            })
            .collect::<GqlResult<Vec<_>>>()?;
        Ok(pagination::connection(rows, &page, |r| r.0, |r| r.1))
    }
}

#[derive(Default)]
pub struct AnonymousChannelMutation;

#[Object]
impl AnonymousChannelMutation {
    /// For the anonymous reporter, without a token: writes to Student
    /// Support on the same case. Nothing about the sender is kept.
    async fn send_anonymous_message(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code shown when the disclosure was made.", secret)]
        access_code: String,
        #[graphql(desc = "The message (at most 5,000 characters).")] body: String,
    ) -> GqlResult<AnonymousMessage> {
        as_reporter(ctx)?;
        let gate = gate(ctx);
        let at = ctx.state().clock.now().at();
        let message = without_viewer(ctx, async |tx| {
            reporter::send(tx, gate, at, &access_code, &body).await
        })
        .await?;
        AnonymousMessage::from_row(message)
    }

    /// For the anonymous reporter, without a token: ends the conversation.
    /// The code opens nothing from then on, for anyone.
    async fn revoke_anonymous_access_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code shown when the disclosure was made.", secret)]
        access_code: String,
    ) -> GqlResult<bool> {
        as_reporter(ctx)?;
        let gate = gate(ctx);
        let at = ctx.state().clock.now().at();
        without_viewer(ctx, async |tx| {
            reporter::revoke(tx, gate, at, &access_code).await
        })
        .await?;
        Ok(true)
    }

    /// Student Support answers an anonymous reporter (CASE_WORKER role).
    async fn reply_to_anonymous_reporter(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The anonymous disclosure.")] case_id: Uuid,
        #[graphql(desc = "The reply (at most 5,000 characters).")] body: String,
    ) -> GqlResult<AnonymousThread> {
        let t = in_tx(ctx, async |viewer, tx| {
            support_team::reply(viewer, tx, case_id, &body, viewer.now.at()).await
        })
        .await?;
        answered(ctx, t)
    }

    /// Student Support revokes a conversation's access code, with reasons
    /// (abuse, or the conversation is over): the reporter can no longer read
    /// or write.
    async fn revoke_anonymous_channel(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The anonymous disclosure.")] case_id: Uuid,
        #[graphql(desc = "Why, for the record.")] reason: String,
    ) -> GqlResult<AnonymousThread> {
        let t = in_tx(ctx, async |viewer, tx| {
            support_team::revoke(viewer, tx, case_id, &reason, viewer.now.at()).await
        })
        .await?;
        answered(ctx, t)
    }

    /// Student Support closes an anonymous disclosure, with reasons
    /// (R-DISC-2: it never becomes a report). The conversation ends with it:
    /// the access code opens nothing afterwards.
    async fn close_anonymous_disclosure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The anonymous disclosure.")] case_id: Uuid,
        #[graphql(desc = "Why it closes, for the record.")] reason: String,
        #[graphql(desc = "The thread's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<AnonymousThread> {
        in_tx(ctx, async |viewer, tx| {
            support_team::close(viewer, tx, case_id, &reason, expected_version).await
        })
        .await?;
        thread(ctx, case_id).await
    }
}

/// A thread the mutation already holds, shown as any inbox read is (and audited so).
fn answered(ctx: &Context<'_>, t: Thread) -> GqlResult<AnonymousThread> {
    ctx.record_read("anonymousInbox", t.case.id);
    AnonymousThread::from_thread(t)
}

/// The thread after a change that moved the case itself, read afresh.
async fn thread(ctx: &Context<'_>, case_id: Uuid) -> GqlResult<AnonymousThread> {
    let t = support_team::thread(ctx.viewer()?, &ctx.state().db, case_id)
        .await
        .gql()?;
    answered(ctx, t)
}
