//! The investigation review (R-IRV-1, R-IND-4): a principal party asks in
//! time, the conduct team accepts (naming an uninvolved investigator) or
//! refuses with reasons, and the reviewer records the outcome.
use chrono::NaiveDate;
use entity::review_request;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::*;
use crate::domain::clock::Now;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{DeadlineKind, ReviewKind, ReviewStatus, Stage};
use crate::policy::{Policy, PolicyBook};

/// R-IRV-1: a principal party asks for a review on procedural grounds, in time.
pub async fn request_review(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    grounds: String,
) -> Result<review_request::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let party = access::actions::can_request_investigation_review(&rel)?;
    let proc = state(db, case_id).await?;
    if proc.investigation_report_at.is_none()
        || bundle.stage()? != Stage::Decision
        || proc.decided_at.is_some()
    {
        return Err(Error::rule(
            "R-IRV-1",
            "An investigation review can be asked for after the investigation report and before the decision.",
        ));
    }
    let window = entity::deadline::Entity::find()
        .filter(entity::deadline::Column::CaseId.eq(case_id))
        .filter(entity::deadline::Column::PartyId.eq(party))
        .filter(
            entity::deadline::Column::Kind.eq(DeadlineKind::InvestigationReviewRequest.as_str()),
        )
        .filter(entity::deadline::Column::Status.eq("OPEN"))
        .one(db)
        .await?;
    if window.is_none_or(|d| viewer.now.today() > d.due_on) {
        return Err(Error::rule(
            "R-IRV-1",
            "An investigation review must be requested within 5 working days of receiving the report.",
        ));
    }
    let grounds = require_text("grounds", &grounds)?;
    let row = super::insert_review_request(
        db,
        viewer.now,
        case_id,
        party,
        ReviewKind::InvestigationReview,
        grounds,
        ReviewStatus::Requested,
    )
    .await?;
    crate::domain::audit::record(db, viewer, "requestInvestigationReview", case_id).await?;
    Ok(row)
}

/// The conduct team's answer to a review request.
pub struct ReviewDecision {
    pub accept: bool,
    pub reasons: String,
    /// When accepting: the investigator who reviews.
    pub reviewer: Option<Uuid>,
}

/// The conduct team accepts (naming an uninvolved investigator, R-IND-4) or
/// refuses with reasons. Accepted, both parties are told it is under way
/// (R-IRV-2); refused, the party who asked is given the reasons (R-IRV-1).
pub async fn decide_review(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    request_id: Uuid,
    decision: ReviewDecision,
) -> Result<review_request::Model> {
    let ReviewDecision {
        accept,
        reasons,
        reviewer,
    } = decision;
    let req = review_request::Entity::find_by_id(request_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("review request"))?;
    let (bundle, _) = open_as_conduct(viewer, db, req.case_id)
        .await
        .map_err(access::refusal::hide_case_as("review request"))?;
    if req.status != ReviewStatus::Requested.as_str() {
        return Err(Error::Conflict(
            "This review request has already been decided.".into(),
        ));
    }
    let reasons = require_text("reasons", &reasons)?;
    let mut row: review_request::ActiveModel = req.clone().into();
    row.reasons = Set(Some(reasons));
    if accept {
        let reviewer = reviewer.ok_or_else(|| {
            Error::validation("reviewerId", "Name the investigator who will review.")
        })?;
        if !holds_role(db, reviewer, StaffRole::Investigator).await? {
            return Err(Error::validation(
                "reviewerId",
                "The reviewer must hold the INVESTIGATOR role.",
            ));
        }
        check_uninvolved(db, &bundle, reviewer, "R-IND-4").await?;
        add_staff(db, viewer, req.case_id, reviewer, StaffRole::Investigator).await?;
        row.reviewer_id = Set(Some(reviewer));
        row.status = Set(ReviewStatus::Accepted.as_str().into());
    } else {
        row.status = Set(ReviewStatus::Refused.as_str().into());
    }
    let row = row.update(db).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    crate::domain::letters::triggers::on_review_decided(db, viewer.now, policy, &bundle, &row)
        .await?;
    crate::domain::audit::record(db, viewer, "decideInvestigationReview", req.case_id).await?;
    Ok(row)
}

/// The reviewer's outcome; a substantive change opens a further review window.
pub async fn complete_review(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    request_id: Uuid,
    outcome: String,
    substantive_change: bool,
) -> Result<review_request::Model> {
    let req = review_request::Entity::find_by_id(request_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("review request"))?;
    let (bundle, rel) = case_store::open(viewer, db, req.case_id)
        .await
        .map_err(access::refusal::hide_case_as("review request"))?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_complete_investigation_review(&rel, req.reviewer_id)?;
    if req.status != ReviewStatus::Accepted.as_str() {
        return Err(Error::Conflict(
            "Only an accepted review that is not yet completed can be completed.".into(),
        ));
    }
    let outcome = require_text("outcome", &outcome)?;
    let mut row: review_request::ActiveModel = req.clone().into();
    row.outcome = Set(Some(outcome));
    row.substantive_change = Set(substantive_change);
    row.status = Set(ReviewStatus::Completed.as_str().into());
    let row = row.update(db).await?;
    let further = if substantive_change {
        Some(open_windows(db, viewer.now, policy, &bundle).await?)
    } else {
        None
    };
    crate::domain::letters::triggers::on_review_completed(
        db, viewer.now, policy, &bundle, &row, further,
    )
    .await?;
    crate::domain::audit::record(db, viewer, "completeInvestigationReview", req.case_id).await?;
    Ok(row)
}

/// R-IRV-1: each principal party may ask for a review within the policy's
/// window from now (after the report, and again after a substantive change).
pub(super) async fn open_windows(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
) -> Result<NaiveDate> {
    let due = policy
        .calendar()
        .add_working_days(now.today(), policy.deadlines.investigation_review_request);
    for party in reporting_parties(bundle)
        .into_iter()
        .chain(responding_parties(bundle))
    {
        deadlines::set_for(
            db,
            now,
            bundle.case.id,
            party,
            Some(party),
            DeadlineKind::InvestigationReviewRequest,
            "R-IRV-1",
            due,
        )
        .await?;
    }
    Ok(due)
}
