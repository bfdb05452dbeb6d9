//! How a letter reaches its recipient (R-OUT-1): by e-mail, a notice that the
//! letter is waiting in the portal (the reference only, never its content); or
//! handed over by a member of staff — the party's case worker, or the conduct
//! officer who triaged the case — as a task in their deadlines until they
//! record the day it was delivered. That day starts every deadline that runs
//! "from receipt of the letter".

use chrono::NaiveDate;
use entity::{case_staff, letter, party};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::clock::Now;
use crate::domain::communications;
use crate::domain::deadlines;
use crate::domain::kinds::{DeadlineKind, LetterKind, PreferredChannel, StaffRole};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::{Policy, PolicyBook};

/// What the e-mail about a waiting letter says: nothing of the case.
pub const WAITING: &str =
    "A new letter about your case is waiting for you in the student portal. Sign in to read it.";

/// A letter's route: the party's channel and, for a hand-over, who hands it over.
pub struct Route {
    pub channel: PreferredChannel,
    /// None for e-mail, or when nobody is named and the conduct team delivers.
    pub deliverer: Option<Uuid>,
    pub by_email: bool,
}

impl Route {
    /// By e-mail notice: for a party who chose it, and for an officer's copy.
    pub fn email() -> Route {
        Route {
            channel: PreferredChannel::Email,
            deliverer: None,
            by_email: true,
        }
    }
}

fn active(staff: &case_staff::Model, role: StaffRole) -> bool {
    staff.ended_at.is_none() && staff.role == role.as_str()
}

/// The route for `party`: their preferred channel (e-mail when they have not
/// said), and the member of staff who hands the letter over.
pub async fn route_for(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    party: &party::Model,
) -> Result<Route> {
    let channel = match party.preferred_channel.as_deref() {
        Some(c) => PreferredChannel::from_db(c)?,
        None => PreferredChannel::Email,
    };
    let case_worker = bundle
        .staff
        .iter()
        .find(|s| active(s, StaffRole::CaseWorker) && s.party_id == Some(party.id))
        .map(|s| s.person_id);
    let conduct_officer = entity::procedure::Entity::find_by_id(bundle.case.id)
        .one(db)
        .await?
        .and_then(|p| p.triaged_by);
    let deliverer = match channel {
        PreferredChannel::Email => None,
        PreferredChannel::ViaConductOfficer => conduct_officer,
        PreferredChannel::ViaCaseWorker
        | PreferredChannel::VirtualMeeting
        | PreferredChannel::InPerson => case_worker.or(conduct_officer),
    };
    Ok(Route {
        channel,
        deliverer,
        by_email: channel == PreferredChannel::Email,
    })
}

/// Starts delivery: the e-mail notice, or the hand-over task (due the day the
/// letter is dated) in the deliverer's deadlines. Only a party's letter is
/// ever handed over; an officer's (no party) goes by e-mail.
pub async fn start(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    party: Option<&party::Model>,
    row: &letter::Model,
    route: &Route,
) -> Result<()> {
    let party = match party {
        Some(party) if !route.by_email => party,
        party => {
            communications::notice(
                db,
                now,
                policy,
                &bundle.case,
                party,
                row.recipient_id,
                WAITING,
            )
            .await?;
            // A letter held back by R-TIME-2 is received when it goes out.
            return count_from_receipt(db, now, policy, row, row.dated_on).await;
        }
    };
    deadlines::set_for(
        db,
        now,
        bundle.case.id,
        row.id,
        Some(party.id),
        DeadlineKind::LetterDelivery,
        "R-OUT-1",
        row.dated_on,
    )
    .await
}

/// Deadlines that run from the receipt of a letter of this kind, and their length.
fn runs_from_receipt(policy: &Policy, kind: LetterKind) -> Option<(DeadlineKind, u32)> {
    match kind {
        LetterKind::Outcome => Some((DeadlineKind::AppealWindow, policy.deadlines.appeal_window)),
        LetterKind::InvestigationReportIssued => Some((
            DeadlineKind::InvestigationReviewRequest,
            policy.deadlines.investigation_review_request,
        )),
        _ => None,
    }
}

/// The recipient's deadline that runs from receipt of `row` counts from
/// `received` where that gives a later day (never earlier: a deadline the
/// student was told of does not shrink).
pub async fn count_from_receipt(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    row: &letter::Model,
    received: NaiveDate,
) -> Result<()> {
    let (Some((kind, days)), Some(party)) = (
        runs_from_receipt(policy, LetterKind::from_db(&row.kind)?),
        row.party_id,
    ) else {
        return Ok(());
    };
    let later = policy.calendar().add_working_days(received, days);
    deadlines::extend_for_party(db, now, row.case_id, party, kind, later).await
}

/// A member of staff records the day they handed a letter over. Deadlines that
/// run from its receipt (the appeal window, R-APP-1; the review window,
/// R-IRV-1) count from that day where it is later than the letter's date.
pub async fn mark_delivered(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    letter_id: Uuid,
    delivered_on: NaiveDate,
) -> Result<letter::Model> {
    let row = letter::Entity::find_by_id(letter_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("letter"))?;
    let (bundle, rel) = case_store::open(viewer, db, row.case_id)
        .await
        .map_err(access::refusal::hide_case_as("letter"))?;
    access::actions::can_mark_letter_delivered(&rel, &row)?;
    if row.delivered_on.is_some() {
        return Err(Error::Conflict(
            "This letter has already been delivered.".into(),
        ));
    }
    if let Some(newer) = super::replaced_by(db, row.id).await? {
        return Err(Error::Conflict(format!(
            "This letter was replaced by the letter dated {} before it was handed over; deliver that one (id {}).",
            newer.dated_on, newer.id
        )));
    }
    if delivered_on < row.dated_on || delivered_on > viewer.now.today() {
        return Err(Error::validation(
            "deliveredOn",
            format!(
                "A letter is delivered on or after its date ({}) and not later than today.",
                row.dated_on
            ),
        ));
    }
    letter::Entity::update_many()
        .col_expr(letter::Column::DeliveredOn, Expr::value(delivered_on))
        .filter(letter::Column::Id.eq(row.id))
        .filter(letter::Column::DeliveredOn.is_null())
        .exec(db)
        .await?;
    deadlines::complete_subject(db, viewer.now, row.id, DeadlineKind::LetterDelivery).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    count_from_receipt(db, viewer.now, policy, &row, delivered_on).await?;
    crate::domain::audit::record(db, viewer, "markLetterDelivered", row.case_id).await?;
    letter::Entity::find_by_id(letter_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("letter"))
}
