//! R-SUP-7 (000 §20-21, §36; 002 §7): at the start of a report the content,
//! frequency and sender of communications are agreed with each party, and the
//! party is kept informed of progress on that plan. The plan's next update is
//! a deadline (`COMMUNICATION_PLAN_UPDATE`) in the case worker's and the
//! procedure's lists; each `sendProgressUpdate` to the party meets it and sets
//! the next. 002 adds an initial meeting of each party with the case officer,
//! whose note the party confirms.

use chrono::{DateTime, Utc};
use entity::{communication_plan, party};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::clock::Now;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{DeadlineKind, PartyRole, TimelineKind};
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::{Policy, PolicyBook};

const RULE: &str = "R-SUP-7";
/// Longer than a term between updates is not keeping someone informed.
const MAX_INTERVAL: u32 = 60;

pub struct PlanInput {
    pub content: String,
    pub every_working_days: u32,
    pub sender: String,
}

/// Agrees (or re-agrees) the plan with one principal party.
pub async fn agree(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    party_id: Uuid,
    input: PlanInput,
) -> Result<communication_plan::Model> {
    let (bundle, party) = open(viewer, db, case_id, party_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let content = require_text("content", &input.content)?;
    let sender = require_text("sender", &input.sender)?;
    if !(1..=MAX_INTERVAL).contains(&input.every_working_days) {
        return Err(Error::validation(
            "everyWorkingDays",
            format!("Updates are agreed every 1 to {MAX_INTERVAL} working days."),
        ));
    }
    let every = input.every_working_days;
    let due = policy
        .calendar()
        .add_working_days(viewer.now.today(), every);
    let now = viewer.now.at();
    let interval = i32::try_from(every).unwrap_or(i32::MAX);
    let row = match find(db, party.id).await? {
        Some(existing) => {
            let mut active = changing(&existing, viewer.now);
            active.content = Set(content);
            active.every_working_days = Set(interval);
            active.sender = Set(sender);
            active.agreed_by = Set(viewer.person_id);
            active.agreed_at = Set(now);
            active.next_update_due = Set(due);
            active.update(db).await?
        }
        None => {
            communication_plan::ActiveModel {
                id: Set(Uuid::now_v7()),
                case_id: Set(case_id),
                party_id: Set(party.id),
                content: Set(content),
                every_working_days: Set(interval),
                sender: Set(sender),
                agreed_by: Set(viewer.person_id),
                agreed_at: Set(now),
                next_update_due: Set(due),
                meeting_held_at: Set(None),
                meeting_note: Set(None),
                meeting_recorded_by: Set(None),
                meeting_note_confirmed_at: Set(None),
                version: Set(1),
                updated_at: Set(now),
            }
            .insert(db)
            .await?
        }
    };
    owe_update(db, viewer.now, &row).await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::CommunicationPlanAgreed).party(party.id),
        "agreeCommunicationPlan",
    )
    .await?;
    Ok(row)
}

/// 002 §7: the party's initial meeting with the case officer, and its note.
pub async fn record_initial_meeting(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    held_at: Option<DateTime<Utc>>,
    note: &str,
) -> Result<()> {
    let (_, party) = open(viewer, db, case_id, party_id).await?;
    let note = require_text("note", note)?;
    let held_at = held_at.unwrap_or(viewer.now.at());
    if held_at > viewer.now.at() {
        return Err(Error::validation(
            "heldAt",
            "A meeting is recorded once it has been held.",
        ));
    }
    let plan = find(db, party.id).await?.ok_or_else(|| {
        Error::rule(
            RULE,
            "Agree the communication plan with the party first; the initial meeting is recorded on it.",
        )
    })?;
    let mut active = changing(&plan, viewer.now);
    active.meeting_held_at = Set(Some(held_at));
    active.meeting_note = Set(Some(note));
    active.meeting_recorded_by = Set(Some(viewer.person_id));
    // A new note needs the party's confirmation afresh.
    active.meeting_note_confirmed_at = Set(None);
    active.update(db).await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::InitialMeetingRecorded).party(party.id),
        "recordInitialMeeting",
    )
    .await
}

/// The party confirms the note of their initial meeting.
pub async fn confirm_initial_meeting_note(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let party = bundle.party(party_id)?;
    access::actions::can_confirm_initial_meeting_note(&rel, party)?;
    let plan = find(db, party.id).await?;
    let Some(plan) = plan.filter(|p| p.meeting_note.is_some()) else {
        return Err(Error::rule(RULE, "No initial meeting note waits for you."));
    };
    if let Some(at) = plan.meeting_note_confirmed_at {
        return Err(Error::rule(
            RULE,
            format!("You confirmed this note on {}.", at.date_naive()),
        ));
    }
    let mut active = changing(&plan, viewer.now);
    active.meeting_note_confirmed_at = Set(Some(viewer.now.at()));
    active.update(db).await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::InitialMeetingNoteConfirmed).party(party.id),
        "confirmInitialMeetingNote",
    )
    .await
}

/// An update went to the party (`sendProgressUpdate`): the plan's update is
/// met and the next one is due after the agreed interval.
pub async fn update_sent(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    party_id: Uuid,
) -> Result<()> {
    let Some(plan) = find(db, party_id).await? else {
        return Ok(());
    };
    let every = u32::try_from(plan.every_working_days).unwrap_or(1);
    deadlines::complete_subject(db, now, plan.id, DeadlineKind::CommunicationPlanUpdate).await?;
    let mut active: communication_plan::ActiveModel = plan.clone().into();
    active.next_update_due = Set(policy.calendar().add_working_days(now.today(), every));
    active.updated_at = Set(now.at());
    let plan = active.update(db).await?;
    owe_update(db, now, &plan).await
}

/// The plan as an update: one version on, changed now.
fn changing(plan: &communication_plan::Model, now: Now) -> communication_plan::ActiveModel {
    let mut active: communication_plan::ActiveModel = plan.clone().into();
    active.version = Set(plan.version + 1);
    active.updated_at = Set(now.at());
    active
}

async fn owe_update(
    db: &impl ConnectionTrait,
    now: Now,
    plan: &communication_plan::Model,
) -> Result<()> {
    deadlines::set_for(
        db,
        now,
        plan.case_id,
        plan.id,
        Some(plan.party_id),
        DeadlineKind::CommunicationPlanUpdate,
        RULE,
        plan.next_update_due,
    )
    .await
}

async fn find(
    db: &impl ConnectionTrait,
    party_id: Uuid,
) -> Result<Option<communication_plan::Model>> {
    Ok(communication_plan::Entity::find()
        .filter(communication_plan::Column::PartyId.eq(party_id))
        .one(db)
        .await?)
}

/// Opens the case for work on one principal party's plan.
async fn open(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
) -> Result<(CaseBundle, party::Model)> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let party = bundle.party(party_id)?.clone();
    access::actions::can_agree_communication_plan(&rel, &party)?;
    let role = PartyRole::from_db(&party.role)?;
    if !role.is_principal() {
        return Err(Error::validation(
            "partyId",
            "Communications are planned with the reporting and responding parties.",
        ));
    }
    if role == PartyRole::Responding && party.informed_at.is_none() {
        return Err(Error::rule(
            "R-REP-2",
            "The responding party has not been told of the report yet.",
        ));
    }
    Ok((bundle, party))
}
