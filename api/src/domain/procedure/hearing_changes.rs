//! A hearing rearranged for good reason (R-HEA-6, issue 10 item 1): R-HEA-1's
//! notice is re-checked for the new date, the response and decision dates
//! move with it, the timeline says why, and the responding party gets a letter
//! that replaces the summons, with the same papers. A joint sitting moves as
//! one: the hearing of every case heard with it is rearranged too.

use chrono::{DateTime, Utc};
use entity::hearing;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::*;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{DeadlineKind, TimelineKind};
use crate::domain::letters::triggers::{self as letters, Summons};
use crate::domain::timeline::{self, Event};
use crate::policy::PolicyBook;

/// The new date, place and the reason for rearranging.
pub struct HearingMove {
    pub at: DateTime<Utc>,
    pub location: Option<String>,
    pub reason: String,
}

/// Rearranges a hearing and, for a joint sitting (004 "joint hearings"), the
/// hearing of every case heard with it: one sitting, one date.
pub async fn rearrange(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    hearing_id: Uuid,
    change: HearingMove,
) -> Result<hearing::Model> {
    let h = hearing::Entity::find_by_id(hearing_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("hearing"))?;
    let reason = require_text("reason", &change.reason)?;
    let location = change
        .location
        .as_deref()
        .map(|l| require_text("location", l))
        .transpose()?;
    let mut sitting = vec![h.clone()];
    for other in super::hearings::joint_cases(&h)? {
        if let Some(theirs) = hearing::Entity::find()
            .filter(hearing::Column::CaseId.eq(other))
            .filter(hearing::Column::ScheduledAt.eq(h.scheduled_at))
            .filter(hearing::Column::DecidedAt.is_null())
            .one(db)
            .await?
        {
            sitting.push(theirs);
        }
    }
    let mut moved = Vec::with_capacity(sitting.len());
    for row in sitting {
        let to = Move {
            at: change.at,
            location: location.clone(),
            reason: reason.clone(),
        };
        moved.push(move_one(viewer, db, policies, row, to).await?);
    }
    moved.into_iter().next().ok_or(Error::NotFound("hearing"))
}

/// Where one case's hearing goes, already checked as text.
struct Move {
    at: DateTime<Utc>,
    location: Option<String>,
    reason: String,
}

async fn move_one(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    h: hearing::Model,
    change: Move,
) -> Result<hearing::Model> {
    let (bundle, _) = open_as_conduct(viewer, db, h.case_id)
        .await
        .map_err(access::refusal::hide_case_as("hearing"))?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    if h.decided_at.is_some() {
        return Err(Error::Conflict(
            "This hearing has been decided; it can no longer be rearranged.".into(),
        ));
    }
    let reason = change.reason;
    let location = change.location.unwrap_or_else(|| h.location.clone());
    let calendar = policy.calendar();
    let on = crate::domain::calendar::uk_date(change.at);
    if calendar.working_days_between(viewer.now.today(), on) < policy.deadlines.hearing_notice {
        return Err(Error::rule(
            "R-HEA-1",
            format!(
                "A rearranged hearing needs the same notice: at least {} working days from today.",
                policy.deadlines.hearing_notice
            ),
        ));
    }
    let response_due = calendar.subtract_working_days(on, policy.deadlines.hearing_response_before);
    let mut row: hearing::ActiveModel = h.clone().into();
    row.scheduled_at = Set(change.at);
    row.location = Set(location.clone());
    row.summons_sent_at = Set(viewer.now.at());
    row.response_due = Set(Some(response_due));
    let row = row.update(db).await?;
    deadlines::move_open(
        db,
        viewer.now,
        h.id,
        DeadlineKind::HearingResponse,
        response_due,
    )
    .await?;
    let decision_due = calendar.add_working_days(on, policy.deadlines.hearing_decision);
    deadlines::move_open(
        db,
        viewer.now,
        h.id,
        DeadlineKind::HearingDecision,
        decision_due,
    )
    .await?;
    timeline::record(
        db,
        viewer,
        h.case_id,
        Event::new(TimelineKind::HearingRearranged).reason(Some(reason)),
    )
    .await?;
    let summons = Summons {
        hearing: h.id,
        rearranged: true,
        at: change.at,
        place: &location,
        alleged_breaches: &h.alleged_breaches,
        penalty_range: &h.penalty_range,
        proposed_penalty: &h.proposed_penalty,
        response_due,
    };
    letters::on_summons(db, viewer.now, policy, &bundle, &summons).await?;
    crate::domain::audit::record(db, viewer, "rearrangeHearing", h.case_id).await?;
    Ok(row)
}
