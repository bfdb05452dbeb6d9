//! Scheduled communications (R-SUP-3, R-REP-3, R-DISC-3, procedure notices).
//!
//! Each communication is written to the `communication` table — the outbox — in
//! the same transaction as the change that causes it, with the date its rule
//! gives and the date it goes out after R-TIME-2. The delivery worker
//! (`crate::delivery`) claims due rows and sends them; follow-ups are cancelled
//! when the student replies. Subjects and bodies carry the case reference and
//! generic words only: never a name, a description or a statement.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use entity::{case, communication, party, person};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::calendar::Calendar;
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::clock::Now;
use crate::domain::kinds::{CommunicationKind as Kind, CommunicationStatus as Status, PartyRole};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::Policy;

/// "1–2 weeks later" (R-SUP-3): the earlier end, so nobody waits longer than needed.
pub const EMAIL_1_FOLLOW_UP_AFTER_DAYS: i64 = 7;
/// "two weeks later" (R-SUP-3).
pub const EMAIL_2_FOLLOW_UP_AFTER_DAYS: i64 = 14;
/// After this many failed attempts a communication is FAILED and left to a person.
pub const MAX_ATTEMPTS: i32 = 8;

/// The day a communication planned for `planned` goes out. Letters to a
/// reporting party who has not agreed otherwise never go on a Friday
/// (R-TIME-2): they move to the next working day that is not a Friday. A
/// follow-up planned for a later day lands on a working day (R-TIME-1).
pub fn due_on(
    cal: &Calendar,
    planned: NaiveDate,
    not_on_friday: bool,
    working_day: bool,
) -> NaiveDate {
    let mut day = planned;
    let mut working_day = working_day;
    loop {
        let friday_blocked = not_on_friday && day.weekday() == Weekday::Fri;
        if !friday_blocked && (!working_day || cal.is_working_day(day)) {
            return day;
        }
        // A letter moved off a Friday goes on the next working day, not a Saturday.
        working_day = true;
        day = day.succ_opt().unwrap_or(day);
    }
}

/// The due date and the rule that set it: R-TIME-2 where the Friday rule (not
/// just a weekend or holiday) moved it, otherwise `rule`.
pub fn dated(
    cal: &Calendar,
    planned: NaiveDate,
    not_on_friday: bool,
    working_day: bool,
    rule: &'static str,
) -> (NaiveDate, &'static str) {
    let due = due_on(cal, planned, not_on_friday, working_day);
    if due != due_on(cal, planned, false, working_day) {
        (due, "R-TIME-2")
    } else {
        (due, rule)
    }
}

/// Whether R-TIME-2 applies to this recipient: a reporting party who has not
/// agreed to Friday letters, where the policy keeps the rule.
pub fn not_on_friday(policy: &Policy, party: Option<&party::Model>) -> bool {
    policy.calendar.no_friday_letters_to_reporting_party
        && party
            .is_some_and(|p| p.role == PartyRole::Reporting.as_str() && !p.friday_contact_agreed)
}

/// Subject and body for each kind. Only the case reference is specific.
pub fn wording(kind: Kind, reference: &str, notice: Option<&str>) -> (String, String) {
    let sign_off = "\n\nStudent Support and Conduct\n(This message does not repeat what you told us. Sign in to the student portal to read your case.)";
    let (subject, body) = match kind {
        Kind::Email1 => (
            format!("We have received your disclosure ({reference})"),
            "Thank you for contacting us. A case worker would like to offer you a conversation about your options and the support available to you. Reply to this email, or sign in to the student portal, to arrange a time that suits you.".to_string(),
        ),
        Kind::Email1FollowUp => (
            format!("Following up: support is available ({reference})"),
            "We wrote to you recently to offer a conversation about your options. If you would like to talk, reply to this email or sign in to the student portal. If we do not hear from you we will not contact you again, but you can get in touch at any time.".to_string(),
        ),
        Kind::Email2 => (
            format!("Summary of our conversation ({reference})"),
            "Thank you for speaking with us today. A summary of the options we discussed and what happens next is available in the student portal. Reply to this email if anything is unclear or you would like to change your choice.".to_string(),
        ),
        Kind::Email2FollowUp => (
            format!("Checking in ({reference})"),
            "We are checking in two weeks after our conversation to make sure you have the support you need. Reply to this email or sign in to the student portal if there is anything we can do.".to_string(),
        ),
        Kind::ReportAcknowledgement => (
            format!("Your report has been received ({reference})"),
            "We acknowledge receipt of your formal report. The Student Conduct team will decide whether to investigate and will write to you with the next steps. Your case worker remains available to support you.".to_string(),
        ),
        Kind::ForwarderUpdate => (
            format!("Update on a disclosure you forwarded ({reference})"),
            notice.unwrap_or_default().to_string(),
        ),
        Kind::Notice => (
            format!("An update on your case ({reference})"),
            notice.unwrap_or_default().to_string(),
        ),
    };
    (subject, format!("{body}{sign_off}"))
}

/// One communication to schedule.
pub struct Planned<'a> {
    pub kind: Kind,
    pub case: &'a case::Model,
    pub party: Option<&'a party::Model>,
    pub recipient_id: Uuid,
    pub planned_on: NaiveDate,
    /// Immediate letters go on the planned day (if not a blocked Friday);
    /// later ones on a working day.
    pub working_day: bool,
    pub notice: Option<&'a str>,
}

pub async fn schedule(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    plan: Planned<'_>,
) -> Result<communication::Model> {
    let restricted = not_on_friday(policy, plan.party);
    let (due, rule) = dated(
        &policy.calendar(),
        plan.planned_on,
        restricted,
        plan.working_day,
        plan.kind.rule(),
    );
    let (subject, body) = wording(plan.kind, &plan.case.reference, plan.notice);
    Ok(communication::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(plan.case.id),
        party_id: Set(plan.party.map(|p| p.id)),
        recipient_id: Set(plan.recipient_id),
        kind: Set(plan.kind.as_str().into()),
        status: Set(Status::Due.as_str().into()),
        rule: Set(rule.into()),
        planned_on: Set(plan.planned_on),
        due_on: Set(due),
        not_on_friday: Set(restricted),
        subject: Set(subject),
        body: Set(body),
        created_at: Set(now.at()),
        lease_until: Set(None),
        next_attempt_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        sent_at: Set(None),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
    }
    .insert(db)
    .await?)
}

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
    let first = schedule(
        db,
        now,
        policy,
        Planned {
            kind: Kind::Email1,
            case,
            party: Some(reporter),
            recipient_id: person,
            planned_on: now.today(),
            working_day: false,
            notice: None,
        },
    )
    .await?;
    schedule(
        db,
        now,
        policy,
        Planned {
            kind: Kind::Email1FollowUp,
            case,
            party: Some(reporter),
            recipient_id: person,
            planned_on: first.due_on.max(now.today())
                + Duration::days(EMAIL_1_FOLLOW_UP_AFTER_DAYS),
            working_day: true,
            notice: None,
        },
    )
    .await?;
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
    let summary = schedule(
        db,
        now,
        policy,
        Planned {
            kind: Kind::Email2,
            case,
            party: Some(party),
            recipient_id: person,
            planned_on: held_on,
            working_day: false,
            notice: None,
        },
    )
    .await?;
    schedule(
        db,
        now,
        policy,
        Planned {
            kind: Kind::Email2FollowUp,
            case,
            party: Some(party),
            recipient_id: person,
            // Two weeks after Email 2 goes out: a conversation recorded late
            // does not bring its check-in forward.
            planned_on: summary.due_on.max(now.today())
                + Duration::days(EMAIL_2_FOLLOW_UP_AFTER_DAYS),
            working_day: true,
            notice: None,
        },
    )
    .await?;
    Ok(())
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

/// Marks communications CANCELLED with a reason — only those still due.
fn cancel_due(now: Now, reason: &str) -> sea_orm::UpdateMany<communication::Entity> {
    communication::Entity::update_many()
        .col_expr(
            communication::Column::Status,
            Expr::value(Status::Cancelled.as_str()),
        )
        .col_expr(
            communication::Column::CancelledAt,
            Expr::value(Some(now.at())),
        )
        .col_expr(
            communication::Column::CancelReason,
            Expr::value(Some(reason)),
        )
        .filter(communication::Column::Status.eq(Status::Due.as_str()))
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

/// The viewer's own communications, newest first.
pub async fn mine(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<communication::Model>> {
    Ok(communication::Entity::find()
        .filter(access::scope::own(
            viewer,
            communication::Column::RecipientId,
        ))
        .order_by_desc(communication::Column::DueOn)
        .order_by_desc(communication::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// A party (or their case worker) agrees, or stops agreeing, to Friday letters
/// (R-TIME-2); communications still due are re-dated.
pub async fn set_friday_contact(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    case_id: Uuid,
    party_id: Uuid,
    agreed: bool,
) -> Result<()> {
    let bundle =
        crate::domain::support::open_for_support(viewer, db, case_id, party_id, true).await?;
    let mut party = bundle.party(party_id)?.clone();
    party::Entity::update_many()
        .col_expr(party::Column::FridayContactAgreed, Expr::value(agreed))
        .filter(party::Column::Id.eq(party_id))
        .exec(db)
        .await?;
    party.friday_contact_agreed = agreed;
    let restricted = not_on_friday(policy, Some(&party));
    let cal = policy.calendar();
    let due = communication::Entity::find()
        .filter(communication::Column::PartyId.eq(party_id))
        .filter(communication::Column::Status.eq(Status::Due.as_str()))
        .all(db)
        .await?;
    for row in due {
        let kind = Kind::from_db(&row.kind)?;
        let (day, rule) = dated(
            &cal,
            row.planned_on,
            restricted,
            kind.is_follow_up(),
            kind.rule(),
        );
        communication::Entity::update_many()
            .col_expr(communication::Column::DueOn, Expr::value(day))
            .col_expr(communication::Column::Rule, Expr::value(rule))
            .col_expr(communication::Column::NotOnFriday, Expr::value(restricted))
            .filter(communication::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    crate::domain::audit::record(db, viewer, "setFridayContact", case_id).await
}

/// The recipient's case worker stops a communication that is still due.
pub async fn cancel(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    id: Uuid,
    reason: &str,
) -> Result<communication::Model> {
    let reason = crate::domain::disclosures::require_text("reason", reason)?;
    let row = communication::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("communication"))?;
    let (_, rel) = case_store::open(viewer, db, row.case_id)
        .await
        .map_err(access::refusal::hide_case_as("communication"))?;
    let party = access::actions::can_cancel_communication(&rel, &row)?;
    if row.status != Status::Due.as_str() {
        return Err(Error::Conflict(format!(
            "This communication is {} and can no longer be cancelled.",
            row.status
        )));
    }
    cancel_due(viewer.now, &reason)
        .filter(communication::Column::Id.eq(id))
        .filter(communication::Column::PartyId.eq(party))
        .exec(db)
        .await?;
    crate::domain::audit::record(db, viewer, "cancelCommunication", row.case_id).await?;
    communication::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("communication"))
}

/// A claimed communication with where it goes.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub row: communication::Model,
    pub address: Option<String>,
}

/// Claims up to `limit` due communications for `lease` and returns them with
/// their recipients' addresses. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets
/// several instances claim at once without taking the same row; SQLite has one
/// writer at a time. A claimed row not marked sent before its lease ends is
/// claimed again (at-least-once).
pub async fn claim(
    db: &sea_orm::DatabaseConnection,
    now: Now,
    limit: u64,
    lease: Duration,
) -> Result<Vec<Outgoing>> {
    let today = now.today();
    let now = now.at();
    let mut ready = Condition::all()
        .add(communication::Column::Status.eq(Status::Due.as_str()))
        .add(communication::Column::DueOn.lte(today))
        .add(
            Condition::any()
                .add(communication::Column::NextAttemptAt.is_null())
                .add(communication::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::any()
                .add(communication::Column::LeaseUntil.is_null())
                .add(communication::Column::LeaseUntil.lt(now)),
        );
    if today.weekday() == Weekday::Fri {
        // R-TIME-2 also holds for letters that fell due earlier.
        ready = ready.add(communication::Column::NotOnFriday.eq(false));
    }
    // A plain read first: an idle poll takes no write lock (SQLite) and no row locks.
    let any = communication::Entity::find()
        .filter(ready.clone())
        .limit(1)
        .all(db)
        .await?;
    if any.is_empty() {
        return Ok(vec![]);
    }
    let tx = case_store::begin(db).await?;
    let rows = communication::Entity::find()
        .filter(ready)
        .order_by_asc(communication::Column::DueOn)
        .order_by_asc(communication::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&tx)
        .await?;
    if rows.is_empty() {
        tx.commit().await?;
        return Ok(vec![]);
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    communication::Entity::update_many()
        .col_expr(
            communication::Column::LeaseUntil,
            Expr::value(Some(now + lease)),
        )
        .filter(communication::Column::Id.is_in(ids.clone()))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    let recipients: Vec<Uuid> = rows.iter().map(|r| r.recipient_id).collect();
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(recipients))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let address = people
                .iter()
                .find(|p| p.id == row.recipient_id)
                .and_then(|p| p.email.clone())
                .filter(|e| !e.trim().is_empty());
            Outgoing { row, address }
        })
        .collect())
}

/// Delivered: SENT, and an acknowledgement completes its R-REP-3 deadline.
pub async fn mark_sent(
    db: &sea_orm::DatabaseConnection,
    now: Now,
    row: &communication::Model,
) -> Result<()> {
    let tx = case_store::begin(db).await?;
    communication::Entity::update_many()
        .col_expr(
            communication::Column::Status,
            Expr::value(Status::Sent.as_str()),
        )
        .col_expr(communication::Column::SentAt, Expr::value(Some(now.at())))
        .col_expr(
            communication::Column::LeaseUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(
            communication::Column::Attempts,
            Expr::value(row.attempts + 1),
        )
        .filter(communication::Column::Id.eq(row.id))
        .filter(communication::Column::Status.eq(Status::Due.as_str()))
        .exec(&tx)
        .await?;
    if row.kind == Kind::ReportAcknowledgement.as_str() {
        crate::domain::deadlines::complete(
            &tx,
            now,
            row.case_id,
            crate::domain::kinds::DeadlineKind::AcknowledgeReport,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Not delivered: retried with back-off, or FAILED when retrying cannot help.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    now: Now,
    row: &communication::Model,
    error: &str,
    permanent: bool,
) -> Result<()> {
    let attempts = row.attempts + 1;
    let give_up = permanent || attempts >= MAX_ATTEMPTS;
    // 1, 2, 4 … minutes, at most an hour.
    let wait = Duration::minutes(1 << (attempts - 1).clamp(0, 6));
    let status = if give_up { Status::Failed } else { Status::Due };
    communication::Entity::update_many()
        .col_expr(communication::Column::Status, Expr::value(status.as_str()))
        .col_expr(communication::Column::Attempts, Expr::value(attempts))
        .col_expr(
            communication::Column::LastError,
            Expr::value(Some(error.chars().take(500).collect::<String>())),
        )
        .col_expr(
            communication::Column::NextAttemptAt,
            Expr::value(Some(now.at() + wait)),
        )
        .col_expr(
            communication::Column::LeaseUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(communication::Column::Id.eq(row.id))
        .filter(communication::Column::Status.eq(Status::Due.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn friday_letters_to_a_reporting_party_move_past_the_weekend_and_bank_holidays() {
        let cal = Calendar::new(&[]);
        // Friday 28 August 2026; Monday 31 August is the summer bank holiday.
        assert_eq!(due_on(&cal, d("2026-08-28"), true, false), d("2026-09-01"));
        // Agreed to Friday letters, or another recipient: the same day.
        assert_eq!(due_on(&cal, d("2026-08-28"), false, false), d("2026-08-28"));
        // Good Friday 2026 (3 April) and Easter Monday (6 April).
        assert_eq!(due_on(&cal, d("2026-04-03"), true, false), d("2026-04-07"));
    }

    #[test]
    fn immediate_letters_go_on_any_day_but_a_blocked_friday() {
        let cal = Calendar::new(&[]);
        // Saturday: an immediate letter is not held back by R-TIME-2.
        assert_eq!(due_on(&cal, d("2026-11-21"), true, false), d("2026-11-21"));
        // A follow-up planned for a Saturday goes on the Monday.
        assert_eq!(due_on(&cal, d("2026-11-21"), false, true), d("2026-11-23"));
        // A follow-up planned for Christmas Day 2026 (Friday) to a reporting party:
        // 25th Fri, 28th Mon is the Boxing Day substitute → Tuesday 29th.
        assert_eq!(due_on(&cal, d("2026-12-25"), true, true), d("2026-12-29"));
    }

    #[test]
    fn only_the_friday_rule_is_labelled_r_time_2() {
        let cal = Calendar::new(&[]);
        // Sunday 6 December 2026 → Monday: a weekend, not R-TIME-2.
        assert_eq!(
            dated(&cal, d("2026-12-06"), true, true, "R-SUP-3"),
            (d("2026-12-07"), "R-SUP-3")
        );
        // Friday 4 December → Monday 7: R-TIME-2.
        assert_eq!(
            dated(&cal, d("2026-12-04"), true, true, "R-SUP-3"),
            (d("2026-12-07"), "R-TIME-2")
        );
    }

    #[test]
    fn wording_carries_the_reference_and_nothing_else_specific() {
        for kind in Kind::ALL {
            let (subject, body) = wording(*kind, "MC-1234", Some("A notice."));
            assert!(subject.contains("MC-1234"), "{kind}");
            assert!(!body.is_empty());
        }
    }
}
