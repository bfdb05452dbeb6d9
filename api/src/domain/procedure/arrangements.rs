//! R-INV-8: at an investigation meeting a party may be accompanied — never by
//! a legal representative — and reasonable adjustments (a female interviewer,
//! help giving evidence, breaks) are recorded with the meeting, for the
//! investigator to honour. Set by the invitee, their case worker or the
//! investigator, until the meeting is held; they stay with a meeting moved.

use entity::meeting;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use super::*;
use crate::domain::codec;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::CompanionRole;

/// At most this many adjustments, each at most this long: enough for any
/// meeting, short enough to read at a glance.
const MAX_ADJUSTMENTS: usize = 10;
const MAX_ADJUSTMENT_CHARS: usize = 300;

/// Who accompanies the invitee.
pub struct Companion {
    pub name: String,
    pub role: CompanionRole,
}

/// The arrangements for one meeting, replacing any recorded before.
pub struct Arrangements {
    pub companion: Option<Companion>,
    pub adjustments: Vec<String>,
}

fn checked_adjustments(adjustments: Vec<String>) -> Result<Vec<String>> {
    if adjustments.len() > MAX_ADJUSTMENTS {
        return Err(Error::validation(
            "adjustments",
            format!("At most {MAX_ADJUSTMENTS} adjustments can be recorded for a meeting."),
        ));
    }
    adjustments
        .iter()
        .map(|a| {
            let a = a.trim();
            if a.is_empty() || a.chars().count() > MAX_ADJUSTMENT_CHARS {
                return Err(Error::validation(
                    "adjustments",
                    format!("Each adjustment is a short description of 1 to {MAX_ADJUSTMENT_CHARS} characters."),
                ));
            }
            Ok(a.to_string())
        })
        .collect()
}

pub async fn set(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    meeting_id: Uuid,
    arrangements: Arrangements,
) -> Result<meeting::Model> {
    let m = meeting::Entity::find_by_id(meeting_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("meeting"))?;
    let (_, rel) = crate::domain::case_store::open(viewer, db, m.case_id)
        .await
        .map_err(access::refusal::hide_case_as("meeting"))?;
    access::actions::can_set_meeting_arrangements(&rel, m.party_id)?;
    if m.cancelled_at.is_some() {
        return Err(Error::Conflict("This meeting was cancelled.".into()));
    }
    if m.held_at.is_some() || m.attended.is_some() {
        return Err(Error::Conflict(
            "This meeting has already taken place.".into(),
        ));
    }
    let companion = match arrangements.companion {
        Some(c) if c.role == CompanionRole::LegalRepresentative => {
            return Err(Error::rule(
                "R-INV-8",
                "A party may be accompanied at an investigation meeting, but not by a legal representative.",
            ));
        }
        Some(c) => Some((require_text("companion.name", &c.name)?, c.role)),
        None => None,
    };
    let adjustments = checked_adjustments(arrangements.adjustments)?;
    let mut row: meeting::ActiveModel = m.clone().into();
    row.companion_name = Set(companion.as_ref().map(|(name, _)| name.clone()));
    row.companion_role = Set(companion.map(|(_, role)| role.as_str().to_string()));
    row.adjustments = Set(if adjustments.is_empty() {
        None
    } else {
        Some(codec::encode("meeting.adjustments", &adjustments)?)
    });
    let row = row.update(db).await?;
    crate::domain::audit::record(db, viewer, "setMeetingArrangements", m.case_id).await?;
    Ok(row)
}

/// The adjustments recorded for a meeting.
pub fn adjustments(row: &meeting::Model) -> Result<Vec<String>> {
    row.adjustments
        .as_deref()
        .map(|text| codec::decode("meeting.adjustments", text))
        .transpose()
        .map(Option::unwrap_or_default)
}
