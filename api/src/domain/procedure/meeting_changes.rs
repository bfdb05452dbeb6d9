//! Changes of plan for investigation meetings (issue 10 item 1): a meeting is
//! moved — R-INV-2's notice re-checked for the new date unless the invitee
//! agreed to less, the written response date moved with it — or called off.
//! Each is on the timeline of the invitee's side and sends a letter that
//! replaces the invitation.

use chrono::{DateTime, Utc};
use entity::meeting;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use super::investigation::meeting_dates;
use super::*;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{DeadlineKind, TimelineKind};
use crate::domain::letters::triggers as letters;
use crate::domain::timeline::{self, Event};
use crate::policy::PolicyBook;

/// The new date (and place) of a meeting.
pub struct MeetingMove {
    pub at: DateTime<Utc>,
    pub location: Option<String>,
    pub agreed_shorter_notice: bool,
}

/// A meeting still to be held, on a case the viewer arranges meetings for.
async fn open_meeting(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> Result<(meeting::Model, CaseBundle)> {
    let m = meeting::Entity::find_by_id(meeting_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("meeting"))?;
    let (bundle, _) = open_for(viewer, db, m.case_id, access::actions::can_arrange_meetings)
        .await
        .map_err(access::refusal::hide_case_as("meeting"))?;
    if m.cancelled_at.is_some() {
        return Err(Error::Conflict("This meeting was cancelled.".into()));
    }
    if m.held_at.is_some() {
        return Err(Error::Conflict(
            "This meeting has already been held.".into(),
        ));
    }
    Ok((m, bundle))
}

pub async fn reschedule(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    meeting_id: Uuid,
    change: MeetingMove,
) -> Result<meeting::Model> {
    let (m, bundle) = open_meeting(viewer, db, meeting_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let location = match change.location.as_deref() {
        Some(l) => Some(require_text("location", l)?),
        None => m.location.clone(),
    };
    let party = bundle.party(m.party_id)?;
    let response_due = meeting_dates(
        viewer.now,
        policy,
        party,
        change.at,
        change.agreed_shorter_notice,
    )?;
    let mut row: meeting::ActiveModel = m.clone().into();
    row.scheduled_at = Set(change.at);
    row.location = Set(location);
    row.notice_given_at = Set(viewer.now.at());
    row.agreed_shorter_notice = Set(change.agreed_shorter_notice);
    row.written_response_due = Set(response_due);
    let row = row.update(db).await?;
    // The written response moves with the meeting, unless it was already sent.
    if let Some(due) = response_due {
        deadlines::move_open(db, viewer.now, m.id, DeadlineKind::WrittenResponse, due).await?;
    }
    timeline::record(
        db,
        viewer,
        m.case_id,
        Event::new(TimelineKind::MeetingRescheduled).party(m.party_id),
    )
    .await?;
    letters::on_meeting(db, viewer.now, policy, &bundle, &row, true).await?;
    crate::domain::audit::record(db, viewer, "rescheduleMeeting", m.case_id).await?;
    Ok(row)
}

pub async fn cancel(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    meeting_id: Uuid,
    reason: String,
) -> Result<meeting::Model> {
    let (m, bundle) = open_meeting(viewer, db, meeting_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let reason = require_text("reason", &reason)?;
    let mut row: meeting::ActiveModel = m.clone().into();
    row.cancelled_at = Set(Some(viewer.now.at()));
    row.cancel_reason = Set(Some(reason.clone()));
    let row = row.update(db).await?;
    deadlines::cancel(db, viewer.now, m.id).await?;
    timeline::record(
        db,
        viewer,
        m.case_id,
        Event::new(TimelineKind::MeetingCancelled)
            .party(m.party_id)
            .reason(Some(reason)),
    )
    .await?;
    letters::on_meeting_cancelled(db, viewer.now, policy, &bundle, &row).await?;
    crate::domain::audit::record(db, viewer, "cancelMeeting", m.case_id).await?;
    Ok(row)
}
