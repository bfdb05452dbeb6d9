//! Keeping the parties up to date (R-INV-9; 002 §3: "Both parties will be
//! kept up to date with the status of case when internal proceedings are
//! suspended"). Staff write an update to a party whenever there is progress to
//! tell; while a case is paused each principal party is owed one at least every
//! `deadlines.progress_update_while_paused` working days, a `PROGRESS_UPDATE`
//! deadline in the staff's (and that party's) deadlines.

use chrono::NaiveDate;
use entity::{letter, party};
use minijinja::Value;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{Draft, Fields, addressee, issue, long_date};
use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::clock::Now;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{DeadlineKind, LetterKind, PartyRole, Stage};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::{Policy, PolicyBook};

/// The day the next update is owed, counted from today.
pub fn next_due(policy: &Policy, now: Now) -> NaiveDate {
    policy
        .calendar()
        .add_working_days(now.today(), policy.deadlines.progress_update_while_paused)
}

fn principal(party: &party::Model) -> bool {
    PartyRole::parse(&party.role).is_some_and(PartyRole::is_principal)
}

/// On pausing: each principal party who may be written to is owed an update.
pub async fn owe_while_paused(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
) -> Result<()> {
    let due = next_due(policy, now);
    for party in super::triggers::principals(bundle) {
        if addressee(party).is_some() {
            owe(db, now, bundle.case.id, party.id, due).await?;
        }
    }
    Ok(())
}

async fn owe(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    party_id: Uuid,
    due: NaiveDate,
) -> Result<()> {
    let kind = DeadlineKind::ProgressUpdate;
    deadlines::set_for(
        db,
        now,
        case_id,
        party_id,
        Some(party_id),
        kind,
        "R-INV-9",
        due,
    )
    .await
}

/// On resuming: no update is owed any more (the procedure's own letters
/// follow); the deadlines are closed before the others move (R-TIME-3).
pub async fn stop_owing(db: &impl ConnectionTrait, now: Now, case_id: Uuid) -> Result<()> {
    deadlines::cancel_kind(db, now, case_id, DeadlineKind::ProgressUpdate).await
}

/// Writes `message` to one principal party as a `PROGRESS_UPDATE` letter; on
/// a paused case it meets the update owed to them and sets the next.
pub async fn send_progress_update(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    party_id: Uuid,
    message: &str,
) -> Result<letter::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let party = bundle.party(party_id)?;
    access::actions::can_send_progress_update(&rel, party.id)?;
    if !principal(party) {
        return Err(Error::validation(
            "partyId",
            "Updates are written to the reporting and responding parties (R-INV-9).",
        ));
    }
    let message = require_text("message", message)?;
    if party.person_id.is_none() {
        return Err(Error::validation(
            "partyId",
            "This party is not identified, so there is nobody to write to.",
        ));
    }
    if addressee(party).is_none() {
        return Err(Error::rule(
            "R-REP-2",
            "The responding party has not yet been told of the report, so cannot be written to about it.",
        ));
    }
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let paused = bundle.stage()? == Stage::Paused;
    let next = next_due(policy, viewer.now);
    let fields = Fields::from([
        ("message", Value::from(message)),
        ("paused", Value::from(paused)),
        ("next_update_by", long_date(next)),
    ]);
    let draft = Draft::new(LetterKind::ProgressUpdate, fields);
    let row = issue(db, viewer.now, policy, &bundle, party, draft)
        .await?
        .ok_or(Error::NotFound("party"))?;
    if paused {
        let kind = DeadlineKind::ProgressUpdate;
        deadlines::complete_subject(db, viewer.now, party.id, kind).await?;
        owe(db, viewer.now, case_id, party.id, next).await?;
    }
    // R-SUP-7: the update agreed with the party is met.
    crate::domain::communication_plan::update_sent(db, viewer.now, policy, party.id).await?;
    crate::domain::audit::record(db, viewer, "sendProgressUpdate", case_id).await?;
    Ok(row)
}
