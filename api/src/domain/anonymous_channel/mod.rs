//! Anonymous two-way messaging (R-DISC-2; 002 §6 "to inform the University
//! and/or to seek support"; issue 17 item 7). An anonymous disclosure opens a
//! channel whose access code the reporter is shown once; with it, and no
//! account or token, they read Student Support's replies and write back on the
//! same case. Nothing identifies them: no person on their messages, an audit
//! entry with neither viewer nor request id, no timeline entry. Who may answer
//! is decided in `access::anonymous`.

pub mod access_code;
pub mod reporter;
pub mod support_team;

use chrono::{DateTime, Utc};
use entity::{anonymous_channel, anonymous_message};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::disclosures::require_text;
use crate::domain::kinds::AnonymousSender;
use crate::error::Result;

/// The longest message either side may send.
pub const MAX_MESSAGE: usize = 5_000;

/// Opens the channel of a new anonymous disclosure; returns the access code,
/// which is never stored and cannot be shown again.
pub async fn open(db: &impl ConnectionTrait, case_id: Uuid, at: DateTime<Utc>) -> Result<String> {
    let (shown, hash) = access_code::generate();
    anonymous_channel::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        code_hash: Set(hash),
        opened_at: Set(at),
        revoked_at: Set(None),
        revoked_by: Set(None),
        revoked_reason: Set(None),
    }
    .insert(db)
    .await?;
    Ok(shown)
}

/// The messages of some channels, oldest first.
pub async fn messages_of(
    db: &impl ConnectionTrait,
    case_ids: Vec<Uuid>,
) -> Result<Vec<anonymous_message::Model>> {
    Ok(anonymous_message::Entity::find()
        .filter(anonymous_message::Column::CaseId.is_in(case_ids))
        .order_by_asc(anonymous_message::Column::SentAt)
        .order_by_asc(anonymous_message::Column::Id)
        .all(db)
        .await?)
}

/// Adds one message; `author` is the support-team member, never the reporter.
async fn post(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    sender: AnonymousSender,
    author: Option<Uuid>,
    body: &str,
    at: DateTime<Utc>,
) -> Result<anonymous_message::Model> {
    let body = require_text("body", body)?;
    if body.chars().count() > MAX_MESSAGE {
        return Err(crate::error::Error::validation(
            "body",
            format!("A message may be at most {MAX_MESSAGE} characters; send it in parts."),
        ));
    }
    Ok(anonymous_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        sender: Set(sender.as_str().into()),
        author_id: Set(author),
        body: Set(body),
        sent_at: Set(at),
    }
    .insert(db)
    .await?)
}
