//! The outbox: communications written in the transaction of the change that
//! causes them, read by their recipients and the recipients' case workers,
//! re-dated or cancelled while due, and claimed, sent or failed by the
//! delivery worker (`crate::delivery`).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use entity::{case, communication, party, person};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store;
use crate::domain::clock::Now;
use crate::domain::kinds::{CommunicationKind as Kind, CommunicationStatus as Status};
use crate::domain::page::{Key, KeyKind, Order, Page, Position};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::{Policy, PolicyBook};

use super::{MAX_ATTEMPTS, dated, not_on_friday, wording};

/// One communication to schedule.
#[derive(Clone)]
pub struct Planned<'a> {
    pub kind: Kind,
    pub case: &'a case::Model,
    pub party: Option<&'a party::Model>,
    pub recipient_id: Uuid,
    pub planned_on: NaiveDate,
    /// Immediate letters go on the planned day (if not a blocked Friday);
    /// later ones on a working day.
    pub working_day: bool,
    pub notice: Option<&'a str>,
}

pub async fn schedule(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    plan: Planned<'_>,
) -> Result<communication::Model> {
    let restricted = not_on_friday(policy, plan.party);
    let (due, rule) = dated(
        &policy.calendar(),
        plan.planned_on,
        restricted,
        plan.working_day,
        plan.kind.rule(),
    );
    let (subject, body) = wording(plan.kind, &plan.case.reference, plan.notice);
    Ok(communication::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(plan.case.id),
        party_id: Set(plan.party.map(|p| p.id)),
        recipient_id: Set(plan.recipient_id),
        kind: Set(plan.kind.as_str().into()),
        status: Set(Status::Due.as_str().into()),
        rule: Set(rule.into()),
        planned_on: Set(plan.planned_on),
        due_on: Set(due),
        not_on_friday: Set(restricted),
        subject: Set(subject),
        body: Set(body),
        created_at: Set(now.at()),
        lease_until: Set(None),
        next_attempt_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        sent_at: Set(None),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
    }
    .insert(db)
    .await?)
}

/// Marks communications CANCELLED with a reason — only those still due.
pub(super) fn cancel_due(now: Now, reason: &str) -> sea_orm::UpdateMany<communication::Entity> {
    communication::Entity::update_many()
        .col_expr(
            communication::Column::Status,
            Expr::value(Status::Cancelled.as_str()),
        )
        .col_expr(
            communication::Column::CancelledAt,
            Expr::value(Some(now.at())),
        )
        .col_expr(
            communication::Column::CancelReason,
            Expr::value(Some(reason)),
        )
        .filter(communication::Column::Status.eq(Status::Due.as_str()))
}

/// The viewer's own communications, newest first.
pub async fn mine(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    page: &Page,
) -> Result<Vec<communication::Model>> {
    let query = communication::Entity::find().filter(access::scope::own(
        viewer,
        communication::Column::RecipientId,
    ));
    let query = page.select(
        query,
        communication::Column::DueOn,
        KeyKind::Day,
        Some(communication::Column::Id),
        Order::Descending,
    )?;
    Ok(query.all(db).await?)
}

/// Where a communication stands in a person's list: latest due first.
pub fn position(row: &communication::Model) -> Position {
    Position::new(Key::Day(row.due_on), row.id)
}

/// A party (or their case worker) agrees, or stops agreeing, to Friday letters
/// (R-TIME-2); communications still due are re-dated.
pub async fn set_friday_contact(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    party_id: Uuid,
    agreed: bool,
) -> Result<()> {
    let bundle =
        crate::domain::support::open_for_support(viewer, db, case_id, party_id, true).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let mut party = bundle.party(party_id)?.clone();
    party::Entity::update_many()
        .col_expr(party::Column::FridayContactAgreed, Expr::value(agreed))
        .filter(party::Column::Id.eq(party_id))
        .exec(db)
        .await?;
    party.friday_contact_agreed = agreed;
    let restricted = not_on_friday(policy, Some(&party));
    let cal = policy.calendar();
    let due = communication::Entity::find()
        .filter(communication::Column::PartyId.eq(party_id))
        .filter(communication::Column::Status.eq(Status::Due.as_str()))
        .all(db)
        .await?;
    for row in due {
        let kind = Kind::from_db(&row.kind)?;
        let (day, rule) = dated(
            &cal,
            row.planned_on,
            restricted,
            kind.is_follow_up(),
            kind.rule(),
        );
        communication::Entity::update_many()
            .col_expr(communication::Column::DueOn, Expr::value(day))
            .col_expr(communication::Column::Rule, Expr::value(rule))
            .col_expr(communication::Column::NotOnFriday, Expr::value(restricted))
            .filter(communication::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    crate::domain::audit::record(db, viewer, "setFridayContact", case_id).await
}

/// The recipient's case worker stops a communication that is still due.
pub async fn cancel(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    id: Uuid,
    reason: &str,
) -> Result<communication::Model> {
    let reason = crate::domain::disclosures::require_text("reason", reason)?;
    let row = communication::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("communication"))?;
    let (_, rel) = case_store::open(viewer, db, row.case_id)
        .await
        .map_err(access::refusal::hide_case_as("communication"))?;
    let party = access::actions::can_cancel_communication(&rel, &row)?;
    if row.status != Status::Due.as_str() {
        return Err(Error::Conflict(format!(
            "This communication is {} and can no longer be cancelled.",
            row.status
        )));
    }
    cancel_due(viewer.now, &reason)
        .filter(communication::Column::Id.eq(id))
        .filter(communication::Column::PartyId.eq(party))
        .exec(db)
        .await?;
    crate::domain::audit::record(db, viewer, "cancelCommunication", row.case_id).await?;
    communication::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("communication"))
}

/// A claimed communication with where it goes.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub row: communication::Model,
    pub address: Option<String>,
}

/// Claims up to `limit` due communications for `lease` and returns them with
/// their recipients' addresses. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets
/// several instances claim at once without taking the same row; SQLite has one
/// writer at a time. A claimed row not marked sent before its lease ends is
/// claimed again (at-least-once).
pub async fn claim(
    db: &sea_orm::DatabaseConnection,
    now: Now,
    limit: u64,
    lease: Duration,
) -> Result<Vec<Outgoing>> {
    let today = now.today();
    let now = now.at();
    let mut ready = Condition::all()
        .add(communication::Column::Status.eq(Status::Due.as_str()))
        .add(communication::Column::DueOn.lte(today))
        .add(
            Condition::any()
                .add(communication::Column::NextAttemptAt.is_null())
                .add(communication::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::any()
                .add(communication::Column::LeaseUntil.is_null())
                .add(communication::Column::LeaseUntil.lt(now)),
        );
    if today.weekday() == Weekday::Fri {
        // R-TIME-2 also holds for letters that fell due earlier.
        ready = ready.add(communication::Column::NotOnFriday.eq(false));
    }
    // A plain read first: an idle poll takes no write lock (SQLite) and no row locks.
    let any = communication::Entity::find()
        .filter(ready.clone())
        .limit(1)
        .all(db)
        .await?;
    if any.is_empty() {
        return Ok(vec![]);
    }
    let tx = case_store::begin(db).await?;
    let rows = communication::Entity::find()
        .filter(ready)
        .order_by_asc(communication::Column::DueOn)
        .order_by_asc(communication::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&tx)
        .await?;
    if rows.is_empty() {
        tx.commit().await?;
        return Ok(vec![]);
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    communication::Entity::update_many()
        .col_expr(
            communication::Column::LeaseUntil,
            Expr::value(Some(now + lease)),
        )
        .filter(communication::Column::Id.is_in(ids.clone()))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    let recipients: Vec<Uuid> = rows.iter().map(|r| r.recipient_id).collect();
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(recipients))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let address = people
                .iter()
                .find(|p| p.id == row.recipient_id)
                .and_then(|p| p.email.clone())
                .filter(|e| !e.trim().is_empty());
            Outgoing { row, address }
        })
        .collect())
}

/// Delivered: SENT, and an acknowledgement completes its R-REP-3 deadline.
pub async fn mark_sent(
    db: &sea_orm::DatabaseConnection,
    now: Now,
    row: &communication::Model,
) -> Result<()> {
    let tx = case_store::begin(db).await?;
    communication::Entity::update_many()
        .col_expr(
            communication::Column::Status,
            Expr::value(Status::Sent.as_str()),
        )
        .col_expr(communication::Column::SentAt, Expr::value(Some(now.at())))
        .col_expr(
            communication::Column::LeaseUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(
            communication::Column::Attempts,
            Expr::value(row.attempts + 1),
        )
        .filter(communication::Column::Id.eq(row.id))
        .filter(communication::Column::Status.eq(Status::Due.as_str()))
        .exec(&tx)
        .await?;
    if row.kind == Kind::ReportAcknowledgement.as_str() {
        crate::domain::deadlines::complete(
            &tx,
            now,
            row.case_id,
            crate::domain::kinds::DeadlineKind::AcknowledgeReport,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Not delivered: retried with back-off, or FAILED when retrying cannot help.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    now: Now,
    row: &communication::Model,
    error: &str,
    permanent: bool,
) -> Result<()> {
    let attempts = row.attempts + 1;
    let give_up = permanent || attempts >= MAX_ATTEMPTS;
    // 1, 2, 4 … minutes, at most an hour.
    let wait = Duration::minutes(1 << (attempts - 1).clamp(0, 6));
    let status = if give_up { Status::Failed } else { Status::Due };
    communication::Entity::update_many()
        .col_expr(communication::Column::Status, Expr::value(status.as_str()))
        .col_expr(communication::Column::Attempts, Expr::value(attempts))
        .col_expr(
            communication::Column::LastError,
            Expr::value(Some(error.chars().take(500).collect::<String>())),
        )
        .col_expr(
            communication::Column::NextAttemptAt,
            Expr::value(Some(now.at() + wait)),
        )
        .col_expr(
            communication::Column::LeaseUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(communication::Column::Id.eq(row.id))
        .filter(communication::Column::Status.eq(Status::Due.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Letters due today or earlier and not yet sent: the outbox's backlog, for
/// monitoring (a number that keeps growing means delivery has stopped).
pub async fn backlog(db: &impl ConnectionTrait, today: NaiveDate) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(communication::Entity::find()
        .filter(communication::Column::Status.eq(Status::Due.as_str()))
        .filter(communication::Column::DueOn.lte(today))
        .count(db)
        .await?)
}
