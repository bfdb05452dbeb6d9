//! Attendance (issue 10 item 1): whether a party came to their investigation
//! meeting, and whether the student came to their hearing — recorded once the
//! meeting or hearing has taken place, on the timeline of the side it concerns.
//! Not attending a hearing is deemed acceptance of the allegations (R-HEA-2)
//! where the summons reached the student in time (`hearings::deemed_acceptance`).

use entity::{hearing, meeting};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use super::*;
use crate::domain::kinds::TimelineKind;
use crate::domain::timeline::{self, Event};

fn attendance_event(attended: bool) -> Option<String> {
    Some(
        if attended {
            "Attended"
        } else {
            "Did not attend"
        }
        .into(),
    )
}

/// An assigned investigator records whether the invitee attended.
pub async fn at_meeting(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    meeting_id: Uuid,
    attended: bool,
) -> Result<meeting::Model> {
    let m = meeting::Entity::find_by_id(meeting_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("meeting"))?;
    open_for(viewer, db, m.case_id, access::actions::can_arrange_meetings)
        .await
        .map_err(access::refusal::hide_case_as("meeting"))?;
    if m.cancelled_at.is_some() {
        return Err(Error::Conflict("This meeting was cancelled.".into()));
    }
    if m.scheduled_at > viewer.now.at() {
        return Err(Error::validation(
            "meetingId",
            "Attendance is recorded once the meeting has taken place.",
        ));
    }
    if m.attended.is_some() {
        return Err(Error::Conflict(
            "Attendance at this meeting is already recorded.".into(),
        ));
    }
    let mut row: meeting::ActiveModel = m.clone().into();
    row.attended = Set(Some(attended));
    if attended && m.held_at.is_none() {
        row.held_at = Set(Some(m.scheduled_at));
    }
    let row = row.update(db).await?;
    timeline::record(
        db,
        viewer,
        m.case_id,
        Event::new(TimelineKind::AttendanceRecorded)
            .party(m.party_id)
            .reason(attendance_event(attended)),
    )
    .await?;
    Ok(row)
}

/// The conduct team records whether the student attended their hearing.
pub async fn at_hearing(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    hearing_id: Uuid,
    attended: bool,
) -> Result<hearing::Model> {
    let h = hearing::Entity::find_by_id(hearing_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("hearing"))?;
    open_as_conduct(viewer, db, h.case_id)
        .await
        .map_err(access::refusal::hide_case_as("hearing"))?;
    if h.scheduled_at > viewer.now.at() {
        return Err(Error::validation(
            "hearingId",
            "Attendance is recorded once the hearing has taken place.",
        ));
    }
    if h.decided_at.is_some() || h.attended.is_some() {
        return Err(Error::Conflict(
            "Attendance at this hearing is already recorded, or it is decided.".into(),
        ));
    }
    let mut row: hearing::ActiveModel = h.clone().into();
    row.attended = Set(Some(attended));
    let row = row.update(db).await?;
    timeline::record(
        db,
        viewer,
        h.case_id,
        Event::new(TimelineKind::AttendanceRecorded).reason(attendance_event(attended)),
    )
    .await?;
    Ok(row)
}
