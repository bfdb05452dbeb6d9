//! The reporter's side: everything is reached with the access code alone.
//! A wrong, mistyped or revoked code gets one answer (UNAUTHENTICATED), and
//! every check passes the server-wide [`CodeGate`] first.

use chrono::{DateTime, Utc};
use entity::{anonymous_channel, anonymous_message};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::access_code::{self, CodeGate};
use crate::domain::audit::{self, AuditRecord};
use crate::domain::kinds::AnonymousSender;
use crate::error::{Error, Result};

/// What the audit log says of the reporter: that they acted, not who they are.
const NOT_IDENTIFIED: &str =
    "by the anonymous reporter, with their access code (R-DISC-2); not identified";

/// An audit entry for something the reporter did: no viewer, no request id.
pub fn audit_record(operation: &str, channel: &anonymous_channel::Model) -> AuditRecord {
    let mut record = AuditRecord::new(operation, Some(channel.case_id));
    record.detail = Some(NOT_IDENTIFIED.into());
    record
}

/// The open channel an access code unlocks.
pub async fn channel(
    db: &impl ConnectionTrait,
    gate: &CodeGate,
    code: &str,
) -> Result<anonymous_channel::Model> {
    gate.admit()?;
    let refused = || {
        Error::Unauthenticated(
            "This access code does not open a conversation: check it was typed as shown, or it may have been revoked."
                .into(),
        )
    };
    let hash = access_code::hash_of(code).ok_or_else(refused)?;
    anonymous_channel::Entity::find()
        .filter(anonymous_channel::Column::CodeHash.eq(hash))
        .filter(anonymous_channel::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(refused)
}

/// The conversation so far, oldest first.
pub async fn conversation(
    db: &impl ConnectionTrait,
    gate: &CodeGate,
    code: &str,
) -> Result<(anonymous_channel::Model, Vec<anonymous_message::Model>)> {
    let channel = channel(db, gate, code).await?;
    let messages = super::messages_of(db, vec![channel.case_id]).await?;
    Ok((channel, messages))
}

/// The reporter writes to Student Support.
pub async fn send(
    db: &impl ConnectionTrait,
    gate: &CodeGate,
    at: DateTime<Utc>,
    code: &str,
    body: &str,
) -> Result<anonymous_message::Model> {
    let channel = channel(db, gate, code).await?;
    let message = super::post(
        db,
        channel.case_id,
        AnonymousSender::Reporter,
        None,
        body,
        at,
    )
    .await?;
    audit::append(db, None, &[audit_record("sendAnonymousMessage", &channel)]).await?;
    Ok(message)
}

/// The reporter ends the channel: the code opens nothing from now on.
pub async fn revoke(
    db: &impl ConnectionTrait,
    gate: &CodeGate,
    at: DateTime<Utc>,
    code: &str,
) -> Result<()> {
    let channel = channel(db, gate, code).await?;
    let mut active: anonymous_channel::ActiveModel = channel.clone().into();
    active.revoked_at = Set(Some(at));
    active.revoked_by = Set(Some(AnonymousSender::Reporter.as_str().into()));
    active.update(db).await?;
    audit::append(
        db,
        None,
        &[audit_record("revokeAnonymousAccessCode", &channel)],
    )
    .await
}
