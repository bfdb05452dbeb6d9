//! Deadlines (R-TIME-1): each computed on the working-day calendar, stored with
//! the rule that produced it, and queryable by the staff who may see its case.

use chrono::NaiveDate;
use entity::deadline;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store;
use crate::domain::clock::Now;
use crate::domain::kinds::{DeadlineKind, DeadlineStatus};
use crate::domain::page::{Key, KeyKind, Order, Page, Position};
use crate::domain::viewer::Viewer;
use crate::error::Result;

/// Sets (or moves) the open deadline for `subject`.
pub async fn set(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    subject: Uuid,
    kind: DeadlineKind,
    rule: &str,
    due_on: NaiveDate,
) -> Result<()> {
    set_for(db, now, case_id, subject, None, kind, rule, due_on).await
}

/// Sets (or moves) an open deadline that a party must meet (or is owed).
#[expect(
    clippy::too_many_arguments,
    reason = "the row's own columns, each named at the call"
)]
pub async fn set_for(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    subject: Uuid,
    party: Option<Uuid>,
    kind: DeadlineKind,
    rule: &str,
    due_on: NaiveDate,
) -> Result<()> {
    let existing = deadline::Entity::find()
        .filter(deadline::Column::SubjectId.eq(subject))
        .filter(deadline::Column::Kind.eq(kind.as_str()))
        .filter(deadline::Column::Status.eq(DeadlineStatus::Open.as_str()))
        .one(db)
        .await?;
    let now = now.at();
    match existing {
        Some(row) => {
            let mut active: deadline::ActiveModel = row.into();
            active.due_on = Set(due_on);
            active.rule = Set(rule.into());
            active.updated_at = Set(now);
            active.update(db).await?;
        }
        None => {
            deadline::ActiveModel {
                id: Set(Uuid::now_v7()),
                case_id: Set(case_id),
                subject_id: Set(subject),
                kind: Set(kind.as_str().into()),
                rule: Set(rule.into()),
                due_on: Set(due_on),
                status: Set(DeadlineStatus::Open.as_str().into()),
                party_id: Set(party),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

pub async fn cancel(db: &impl ConnectionTrait, now: Now, subject: Uuid) -> Result<()> {
    deadline::Entity::update_many()
        .col_expr(
            deadline::Column::Status,
            Expr::value(DeadlineStatus::Cancelled.as_str()),
        )
        .col_expr(deadline::Column::UpdatedAt, Expr::value(now.at()))
        .filter(deadline::Column::SubjectId.eq(subject))
        .filter(deadline::Column::Status.eq(DeadlineStatus::Open.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Where a deadline stands in lists: soonest first.
pub fn position(d: &deadline::Model) -> Position {
    Position::new(Key::Day(d.due_on), d.id)
}

/// One page of open deadlines on the cases in `scope`, due on or before
/// `until` (all if None), soonest first.
async fn open_in(
    db: &impl ConnectionTrait,
    scope: Condition,
    until: Option<NaiveDate>,
    page: &Page,
) -> Result<Vec<deadline::Model>> {
    use entity::case;
    use sea_orm::sea_query::Query;
    let cases = Query::select()
        .column(case::Column::Id)
        .from(case::Entity)
        .cond_where(scope)
        .to_owned();
    let mut query = deadline::Entity::find()
        .filter(deadline::Column::Status.eq(DeadlineStatus::Open.as_str()))
        .filter(deadline::Column::CaseId.in_subquery(cases));
    if let Some(until) = until {
        query = query.filter(deadline::Column::DueOn.lte(until));
    }
    let query = page.select(
        query,
        deadline::Column::DueOn,
        KeyKind::Day,
        Some(deadline::Column::Id),
        Order::Ascending,
    )?;
    Ok(query.all(db).await?)
}

/// One page of the open deadlines a member of staff may see (R-TIME-1), with
/// their cases, soonest first: on the cases they open as staff, the kinds
/// `access` lets them see. Rows they may not see are skipped, reading on until
/// the page is full, so a page is never short while more follow.
pub async fn for_staff(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    until: Option<NaiveDate>,
    page: &Page,
) -> Result<Vec<(deadline::Model, case_store::CaseBundle)>> {
    let mut out = Vec::new();
    let mut batch = *page;
    loop {
        let rows = open_in(db, access::staff_scope(viewer), until, &batch).await?;
        let exhausted = rows.len() as u64 <= batch.limit;
        let last = rows.last().map(position);
        let ids: Vec<Uuid> = rows.iter().map(|d| d.case_id).collect();
        let cases = entity::case::Entity::find()
            .filter(entity::case::Column::Id.is_in(ids))
            .all(db)
            .await?;
        let bundles = case_store::load_many(db, cases).await?;
        for d in rows {
            let Some(b) = bundles.iter().find(|b| b.case.id == d.case_id) else {
                continue;
            };
            let rel = access::relation(viewer, &b.case, &b.parties, &b.staff);
            if rel.staff_view() && rel.can_see_deadline(DeadlineKind::from_db(&d.kind)?, d.party_id)
            {
                out.push((d, b.clone()));
                if out.len() as u64 > page.limit {
                    return Ok(out);
                }
            }
        }
        match last {
            Some(last) if !exhausted => batch = batch.after(last),
            _ => return Ok(out),
        }
    }
}

/// Marks a case's open deadlines of `kind` as met.
pub async fn complete(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    kind: DeadlineKind,
) -> Result<()> {
    mark_done(db, now, deadline::Column::CaseId.eq(case_id), kind).await
}

/// Marks the open deadline of `kind` for one subject (e.g. one letter) as met.
pub async fn complete_subject(
    db: &impl ConnectionTrait,
    now: Now,
    subject: Uuid,
    kind: DeadlineKind,
) -> Result<()> {
    mark_done(db, now, deadline::Column::SubjectId.eq(subject), kind).await
}

/// Closes a case's open deadlines of `kind` as no longer owed.
pub async fn cancel_kind(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    kind: DeadlineKind,
) -> Result<()> {
    let which = deadline::Column::CaseId.eq(case_id);
    close(db, now, which, kind, DeadlineStatus::Cancelled).await
}

async fn mark_done(
    db: &impl ConnectionTrait,
    now: Now,
    which: sea_orm::sea_query::SimpleExpr,
    kind: DeadlineKind,
) -> Result<()> {
    close(db, now, which, kind, DeadlineStatus::Done).await
}

async fn close(
    db: &impl ConnectionTrait,
    now: Now,
    which: sea_orm::sea_query::SimpleExpr,
    kind: DeadlineKind,
    status: DeadlineStatus,
) -> Result<()> {
    deadline::Entity::update_many()
        .col_expr(deadline::Column::Status, Expr::value(status.as_str()))
        .col_expr(deadline::Column::UpdatedAt, Expr::value(now.at()))
        .filter(which)
        .filter(deadline::Column::Kind.eq(kind.as_str()))
        .filter(deadline::Column::Status.eq(DeadlineStatus::Open.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves the open deadline of `kind` for `subject` (a meeting, a hearing) to
/// `due_on`; a deadline already met or cancelled stays as it is.
pub async fn move_open(
    db: &impl ConnectionTrait,
    now: Now,
    subject: Uuid,
    kind: DeadlineKind,
    due_on: NaiveDate,
) -> Result<()> {
    deadline::Entity::update_many()
        .col_expr(deadline::Column::DueOn, Expr::value(due_on))
        .col_expr(deadline::Column::UpdatedAt, Expr::value(now.at()))
        .filter(deadline::Column::SubjectId.eq(subject))
        .filter(deadline::Column::Kind.eq(kind.as_str()))
        .filter(deadline::Column::Status.eq(DeadlineStatus::Open.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves a party's open deadline of `kind` to `later` if that is later (a
/// letter received after its date: the time runs from receipt). The appeal
/// window shown with the outcome follows.
pub async fn extend_for_party(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    party_id: Uuid,
    kind: DeadlineKind,
    later: NaiveDate,
) -> Result<()> {
    let Some(row) = open_for_party(db, case_id, party_id, kind).await? else {
        return Ok(());
    };
    if row.due_on >= later {
        return Ok(());
    }
    let mut active: deadline::ActiveModel = row.into();
    active.due_on = Set(later);
    active.updated_at = Set(now.at());
    active.update(db).await?;
    if kind == DeadlineKind::AppealWindow
        && let Some(p) = entity::procedure::Entity::find_by_id(case_id)
            .one(db)
            .await?
        && p.appeal_window_ends.is_some_and(|end| end < later)
    {
        let mut active: entity::procedure::ActiveModel = p.into();
        active.appeal_window_ends = Set(Some(later));
        active.update(db).await?;
    }
    Ok(())
}

/// R-TIME-3: when a case resumes (now), its open deadlines move by the working
/// days it was paused.
pub async fn shift_case(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    calendar: &crate::domain::calendar::Calendar,
    paused_on: NaiveDate,
) -> Result<u32> {
    let days = calendar.working_days_between(paused_on, now.today());
    if days == 0 {
        return Ok(0);
    }
    let open = deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(case_id))
        .filter(deadline::Column::Status.eq(DeadlineStatus::Open.as_str()))
        .all(db)
        .await?;
    for row in open {
        let due = calendar.add_working_days(row.due_on, days);
        let mut active: deadline::ActiveModel = row.into();
        active.due_on = Set(due);
        active.updated_at = Set(now.at());
        active.update(db).await?;
    }
    // The appeal window shown with the outcome moves with its deadlines.
    if let Some(p) = entity::procedure::Entity::find_by_id(case_id)
        .one(db)
        .await?
        && p.appeals_concluded_at.is_none()
        && let Some(end) = p.appeal_window_ends
    {
        let mut active: entity::procedure::ActiveModel = p.into();
        active.appeal_window_ends = Set(Some(calendar.add_working_days(end, days)));
        active.update(db).await?;
    }
    Ok(days)
}

/// The open deadline of `kind` a party must meet, as pauses have moved it
/// (R-TIME-3): what every time-limit check reads.
pub async fn open_for_party(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    kind: DeadlineKind,
) -> Result<Option<deadline::Model>> {
    Ok(deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(case_id))
        .filter(deadline::Column::PartyId.eq(party_id))
        .filter(deadline::Column::Kind.eq(kind.as_str()))
        .filter(deadline::Column::Status.eq(DeadlineStatus::Open.as_str()))
        .one(db)
        .await?)
}

/// The open deadline of `kind` for `subject` (an appeal, a meeting…).
pub async fn open_for(
    db: &impl ConnectionTrait,
    subject: Uuid,
    kind: DeadlineKind,
) -> Result<Option<deadline::Model>> {
    Ok(deadline::Entity::find()
        .filter(deadline::Column::SubjectId.eq(subject))
        .filter(deadline::Column::Kind.eq(kind.as_str()))
        .filter(deadline::Column::Status.eq(DeadlineStatus::Open.as_str()))
        .one(db)
        .await?)
}

/// Open deadlines of one case (for its parties' and staff's views).
pub async fn of_case(db: &impl ConnectionTrait, case_id: Uuid) -> Result<Vec<deadline::Model>> {
    Ok(deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(case_id))
        .filter(deadline::Column::Status.eq(DeadlineStatus::Open.as_str()))
        .order_by_asc(deadline::Column::DueOn)
        .all(db)
        .await?)
}
