//! What schedules a communication: each change that requires a letter calls
//! its trigger in the change's own transaction (R-SUP-3, R-REP-3, R-DISC-3,
//! procedure notices); a student's reply cancels pending follow-ups.

use chrono::{Duration, NaiveDate};
use entity::{case, communication, party};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::case_store::CaseBundle;
use crate::domain::clock::Now;
use crate::domain::kinds::CommunicationKind as Kind;
use crate::error::Result;
use crate::policy::Policy;

use super::outbox::{Planned, cancel_due, schedule};

/// R-SUP-3: a disclosure is received → Email 1 now, Email 1 Follow Up a week later.
pub async fn on_disclosure(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    case: &case::Model,
    reporter: &party::Model,
) -> Result<()> {
    let Some(person) = reporter.person_id else {
        return Ok(()); // R-DISC-2: anonymous, no support offered.
    };
    let letter = Planned {
        kind: Kind::Email1,
        case,
        party: Some(reporter),
        recipient_id: person,
        planned_on: now.today(),
        working_day: false,
        notice: None,
    };
    with_follow_up(
        db,
        now,
        policy,
        letter,
        Kind::Email1FollowUp,
        // R-SUP-3 "one to two weeks later": policy, in calendar days.
        i64::from(policy.deadlines.email1_follow_up_calendar_days),
    )
    .await
}

/// R-SUP-3: a letter now, and its follow-up `after_days` after it goes out
/// (a letter dated late does not bring its follow-up forward).
async fn with_follow_up(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    letter: Planned<'_>,
    follow_up: Kind,
    after_days: i64,
) -> Result<()> {
    let first = schedule(db, now, policy, letter.clone()).await?;
    let later = Planned {
        kind: follow_up,
        planned_on: first.due_on.max(now.today()) + Duration::days(after_days),
        working_day: true,
        ..letter
    };
    schedule(db, now, policy, later).await?;
    Ok(())
}

/// R-SUP-3: an options conversation was held → the student has replied, so
/// pending follow-ups stop; Email 2 the same day, Email 2 Follow Up two weeks on.
pub async fn on_options_conversation(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    party_id: Uuid,
    held_on: NaiveDate,
) -> Result<()> {
    let case = &bundle.case;
    cancel_follow_ups(
        db,
        now,
        case.id,
        party_id,
        "An options conversation was held.",
    )
    .await?;
    let party = bundle.party(party_id)?;
    let Some(person) = party.person_id else {
        return Ok(());
    };
    let summary = Planned {
        kind: Kind::Email2,
        case,
        party: Some(party),
        recipient_id: person,
        planned_on: held_on,
        working_day: false,
        notice: None,
    };
    with_follow_up(
        db,
        now,
        policy,
        summary,
        Kind::Email2FollowUp,
        i64::from(policy.deadlines.email2_follow_up_calendar_days),
    )
    .await
}

/// The student replied: no more follow-ups for them on this case (R-SUP-3).
pub async fn cancel_follow_ups(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    party_id: Uuid,
    reason: &str,
) -> Result<u64> {
    let kinds = [Kind::Email1FollowUp, Kind::Email2FollowUp].map(Kind::as_str);
    let done = cancel_due(now, reason)
        .filter(communication::Column::CaseId.eq(case_id))
        .filter(communication::Column::PartyId.eq(party_id))
        .filter(communication::Column::Kind.is_in(kinds))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// R-REP-3: the formal report is acknowledged to the reporting party.
pub async fn on_report(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    case: &case::Model,
    reporter: &party::Model,
) -> Result<()> {
    let Some(person) = reporter.person_id else {
        return Ok(());
    };
    schedule(
        db,
        now,
        policy,
        Planned {
            kind: Kind::ReportAcknowledgement,
            case,
            party: Some(reporter),
            recipient_id: person,
            planned_on: now.today(),
            working_day: false,
            notice: None,
        },
    )
    .await?;
    Ok(())
}

/// R-DISC-3: after the second contact attempt, and when the student first
/// responds after that, the forwarding member of staff is told — only that.
pub async fn on_contact_attempt(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    case: &case::Model,
    party_id: Uuid,
    responded: bool,
) -> Result<()> {
    use entity::contact_attempt;
    if responded {
        cancel_follow_ups(db, now, case.id, party_id, "The student replied.").await?;
    }
    let Some(forwarder) = case.forwarded_by else {
        return Ok(());
    };
    let attempts = contact_attempt::Entity::find()
        .filter(contact_attempt::Column::CaseId.eq(case.id))
        .all(db)
        .await?;
    let responses = attempts.iter().filter(|a| a.student_responded).count();
    let tell = match (attempts.len(), responded) {
        (2, _) => true,
        (n, true) => n > 2 && responses == 1,
        _ => false,
    };
    if !tell {
        return Ok(());
    }
    let message = if responses > 0 {
        "At least two attempts have been made to contact the student, and the student has responded. Thank you for passing this on."
    } else {
        "Two attempts have been made to contact the student. The student has not responded yet."
    };
    schedule(
        db,
        now,
        policy,
        Planned {
            kind: Kind::ForwarderUpdate,
            case,
            party: None,
            recipient_id: forwarder,
            planned_on: now.today(),
            working_day: false,
            notice: Some(message),
        },
    )
    .await?;
    Ok(())
}

/// A notice of the procedure, e-mailed with the words of the in-app notification.
pub async fn notice(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    case: &case::Model,
    party: Option<&party::Model>,
    recipient_id: Uuid,
    message: &str,
) -> Result<()> {
    schedule(
        db,
        now,
        policy,
        Planned {
            kind: Kind::Notice,
            case,
            party,
            recipient_id,
            planned_on: now.today(),
            working_day: false,
            notice: Some(message),
        },
    )
    .await?;
    Ok(())
}
