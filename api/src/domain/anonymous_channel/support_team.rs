//! Student Support's side: the inbox of anonymous disclosures with a channel,
//! replies and revocation. Every decision is `access::anonymous`'s.

use chrono::{DateTime, Utc};
use entity::{anonymous_channel, anonymous_message, case};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::access::anonymous::{can_answer, can_use_inbox, inbox_condition};
use crate::domain::audit::{self, AuditRecord};
use crate::domain::case_store::{self, Change};
use crate::domain::disclosures::require_text;
use crate::domain::kinds::AnonymousSender;
use crate::domain::kinds::Stage;
use crate::domain::lifecycle;
use crate::domain::page::{Key, KeyKind, Order, Page, Position};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

/// One anonymous disclosure and its conversation.
pub struct Thread {
    pub case: case::Model,
    pub channel: anonymous_channel::Model,
    pub messages: Vec<anonymous_message::Model>,
}

impl Thread {
    /// Where the thread stands in the inbox (newest channel first).
    pub fn position(&self) -> Position {
        Position::new(Key::Time(self.channel.opened_at), self.channel.id)
    }
}

/// A page of the inbox, newest first, with the one row more `Page::select`
/// reads to tell whether another page follows: three queries whatever its
/// length. `awaiting_reply`: only open conversations whose reporter wrote last.
pub async fn inbox(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    page: Page,
    awaiting_reply: bool,
) -> Result<Vec<Thread>> {
    can_use_inbox(viewer)?;
    let visible = Query::select()
        .column(case::Column::Id)
        .from(case::Entity)
        .cond_where(inbox_condition())
        .to_owned();
    let mut query = anonymous_channel::Entity::find()
        .filter(Expr::col(anonymous_channel::Column::CaseId).in_subquery(visible));
    if awaiting_reply {
        query = query
            .filter(anonymous_channel::Column::RevokedAt.is_null())
            .filter(Expr::col(anonymous_channel::Column::CaseId).in_subquery(unanswered()));
    }
    let channels = page
        .select(
            query,
            anonymous_channel::Column::OpenedAt,
            KeyKind::Time,
            Some(anonymous_channel::Column::Id),
            Order::Descending,
        )?
        .all(db)
        .await?;
    let ids: Vec<Uuid> = channels.iter().map(|c| c.case_id).collect();
    let cases = case::Entity::find()
        .filter(case::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    let mut messages = super::messages_of(db, ids).await?;
    let threads = channels
        .into_iter()
        .filter_map(|channel| {
            let case = cases.iter().find(|c| c.id == channel.case_id)?.clone();
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut messages)
                .into_iter()
                .partition(|m| m.case_id == channel.case_id);
            messages = rest;
            Some(Thread {
                case,
                channel,
                messages: mine,
            })
        })
        .collect();
    Ok(threads)
}

/// Cases with a reporter's message that no reply from Student Support
/// follows: the reporter wrote last.
fn unanswered() -> sea_orm::sea_query::SelectStatement {
    use anonymous_message::Column as M;
    let (asked, reply) = (Alias::new("asked"), Alias::new("reply"));
    let later_reply = Query::select()
        .expr(Expr::val(1))
        .from_as(anonymous_message::Entity, reply.clone())
        .and_where(Expr::col((reply.clone(), M::CaseId)).equals((asked.clone(), M::CaseId)))
        .and_where(Expr::col((reply.clone(), M::Sender)).eq(AnonymousSender::SupportTeam.as_str()))
        .and_where(Expr::col((reply, M::SentAt)).gte(Expr::col((asked.clone(), M::SentAt))))
        .to_owned();
    Query::select()
        .column((asked.clone(), M::CaseId))
        .from_as(anonymous_message::Entity, asked.clone())
        .and_where(Expr::col((asked, M::Sender)).eq(AnonymousSender::Reporter.as_str()))
        .and_where(Expr::exists(later_reply).not())
        .to_owned()
}

/// One thread, for a support-team member.
pub async fn thread(viewer: &Viewer, db: &impl ConnectionTrait, case_id: Uuid) -> Result<Thread> {
    can_use_inbox(viewer)?;
    let case = case::Entity::find_by_id(case_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("anonymous conversation"))?;
    can_answer(viewer, &case)?;
    let channel = anonymous_channel::Entity::find()
        .filter(anonymous_channel::Column::CaseId.eq(case_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("anonymous conversation"))?;
    let messages = super::messages_of(db, vec![case_id]).await?;
    Ok(Thread {
        case,
        channel,
        messages,
    })
}

/// Student Support replies; the reply carries who wrote it (staff are not
/// anonymous). The thread as it now stands.
pub async fn reply(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    body: &str,
    at: DateTime<Utc>,
) -> Result<Thread> {
    let mut thread = thread(viewer, db, case_id).await?;
    if thread.channel.revoked_at.is_some() {
        return Err(Error::rule(
            "R-DISC-2",
            "This conversation's access code was revoked: nobody can read a reply any more.",
        ));
    }
    let message = super::post(
        db,
        case_id,
        AnonymousSender::SupportTeam,
        Some(viewer.person_id),
        body,
        at,
    )
    .await?;
    audit::append(
        db,
        Some(viewer),
        &[AuditRecord::new("replyToAnonymousReporter", Some(case_id))],
    )
    .await?;
    thread.messages.push(message);
    Ok(thread)
}

/// Student Support closes the channel (abuse, or the conversation is over),
/// with reasons; the code opens nothing from now on.
pub async fn revoke(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<Thread> {
    let mut thread = thread(viewer, db, case_id).await?;
    let reason = require_text("reason", reason)?;
    if thread.channel.revoked_at.is_some() {
        return Err(Error::Conflict(
            "This conversation's access code was already revoked.".into(),
        ));
    }
    thread.channel = revoke_channel(db, thread.channel, reason, at).await?;
    audit::append(
        db,
        Some(viewer),
        &[AuditRecord::new("revokeAnonymousChannel", Some(case_id))],
    )
    .await?;
    Ok(thread)
}

async fn revoke_channel(
    db: &impl ConnectionTrait,
    channel: anonymous_channel::Model,
    reason: String,
    at: DateTime<Utc>,
) -> Result<anonymous_channel::Model> {
    let mut active: anonymous_channel::ActiveModel = channel.into();
    active.revoked_at = Set(Some(at));
    active.revoked_by = Set(Some(AnonymousSender::SupportTeam.as_str().into()));
    active.revoked_reason = Set(Some(reason));
    Ok(active.update(db).await?)
}

/// Student Support closes an anonymous disclosure (R-DISC-2: it can never
/// become a report): DISCLOSURE → CLOSED, on its timeline with the reason.
/// The conversation ends with it; a reporter who wants to talk again makes a
/// new disclosure.
pub async fn close(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    reason: &str,
    expected_version: i32,
) -> Result<()> {
    let thread = thread(viewer, db, case_id).await?;
    let reason = require_text("reason", reason)?;
    let bundle = case_store::load(db, case_id)
        .await?
        .ok_or(Error::NotFound("anonymous conversation"))?;
    bundle.expect_version(expected_version)?;
    let mv = lifecycle::advance(bundle.stage()?, Stage::Closed)?;
    if thread.channel.revoked_at.is_none() {
        let why = format!("The disclosure was closed: {reason}");
        revoke_channel(db, thread.channel, why, viewer.now.at()).await?;
    }
    let change = Change {
        operation: "closeAnonymousDisclosure",
        expected_version,
        stage_move: Some((mv, Some(reason))),
        columns: vec![],
    };
    case_store::save(db, viewer, &bundle, change).await
}
