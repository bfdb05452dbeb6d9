//! Notifications: short in-app notices to a person about their case (R-MEA-7,
//! R-REP-2…), each also e-mailed through the communication outbox. The words
//! carry no detail beyond "something changed, see your case".

use entity::{case, notification, party};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::clock::Now;
use crate::domain::communications;
use crate::domain::kinds::NotificationKind;
use crate::domain::page::{Key, KeyKind, Order, Page, Position};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::Policy;

/// Notifies the person of `party` in the app and by e-mail, in the caller's
/// transaction (a party with no person, e.g. unidentified, is not notified).
pub async fn notify(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    case: &case::Model,
    party: &party::Model,
    kind: NotificationKind,
    message: &str,
) -> Result<()> {
    let Some(recipient) = party.person_id else {
        return Ok(());
    };
    let row = notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        recipient_id: Set(recipient),
        case_id: Set(case.id),
        kind: Set(kind.as_str().into()),
        message: Set(message.into()),
        created_at: Set(now.at()),
        read_at: Set(None),
    }
    .insert(db)
    .await?;
    communications::notice(db, now, policy, case, Some(party), recipient, message).await?;
    crate::events::emit(
        db,
        crate::events::Event::Notification {
            recipient_id: recipient,
            notification_id: row.id,
        },
    )
    .await
}

/// Notifies each of `parties` (of `bundle`'s case) that has a person.
pub async fn notify_parties(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &crate::domain::case_store::CaseBundle,
    parties: &[Uuid],
    kind: NotificationKind,
    message: &str,
) -> Result<()> {
    for party in bundle.parties.iter().filter(|p| parties.contains(&p.id)) {
        notify(db, now, policy, &bundle.case, party, kind, message).await?;
    }
    Ok(())
}

/// Where a notification stands in lists: newest first.
pub fn position(n: &notification::Model) -> Position {
    Position::new(Key::Time(n.created_at), n.id)
}

/// One page of the viewer's notifications, newest first.
pub async fn notifications_for(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    page: &Page,
) -> Result<Vec<notification::Model>> {
    let query = notification::Entity::find().filter(access::scope::own(
        viewer,
        notification::Column::RecipientId,
    ));
    let query = page.select(
        query,
        notification::Column::CreatedAt,
        KeyKind::Time,
        Some(notification::Column::Id),
        Order::Descending,
    )?;
    Ok(query.all(db).await?)
}

/// Marks one of the viewer's notifications read; another's is not found.
pub async fn mark_read(viewer: &Viewer, db: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    let updated = notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            Expr::value(Some(viewer.now.at())),
        )
        .filter(notification::Column::Id.eq(id))
        .filter(access::scope::own(
            viewer,
            notification::Column::RecipientId,
        ))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(Error::NotFound("notification"));
    }
    Ok(())
}

/// One of the viewer's own notifications; another's is None.
pub async fn own(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<notification::Model>> {
    Ok(notification::Entity::find_by_id(id)
        .filter(access::scope::own(
            viewer,
            notification::Column::RecipientId,
        ))
        .one(db)
        .await?)
}
