//! A measure's life after its recommendation: authorisation (R-MEA-3), coming
//! into force, the subject's early-review request and representations, recorded
//! non-compliance (R-MEA-4, R-MEA-5), and a decision maker's review.

use chrono::NaiveDate;
use entity::measure;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::Expr;
use uuid::Uuid;

use crate::domain::access;
use crate::domain::codec;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{MeasureAction, MeasureKind, MeasureStatus, ReviewDecision};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::PolicyBook;

use super::{MeasureChange, apply, load_measure, require_applies, subjects};

/// Recorded approval of a suspension by the person the policy names (R-MEA-3).
pub struct Approval {
    pub approved_by: String,
    pub approved_on: NaiveDate,
}

pub async fn authorise(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    measure_id: Uuid,
    approval: Option<Approval>,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_authorise_measure(&rel)?;
    if MeasureStatus::from_db(&m.status)? != MeasureStatus::Recommended {
        return Err(Error::rule(
            "R-MEA-3",
            "Only a recommended measure can be authorised.",
        ));
    }
    let mut columns = vec![(
        measure::Column::AuthorisedBy,
        Expr::value(Some(viewer.person_id)),
    )];
    let required = policy.approvals.precautionary_suspension.trim();
    if MeasureKind::from_db(&m.kind)? == MeasureKind::Suspension && !required.is_empty() {
        let Some(approval) = approval.filter(|a| !a.approved_by.trim().is_empty()) else {
            return Err(Error::rule(
                "R-MEA-3",
                format!(
                    "A precautionary suspension also needs the approval of the {required}; record it to authorise."
                ),
            ));
        };
        if approval.approved_on > viewer.now.today() {
            return Err(Error::validation(
                "approval",
                "An approval cannot be dated in the future.",
            ));
        }
        columns.push((
            measure::Column::ApprovalBy,
            Expr::value(Some(approval.approved_by.trim().to_string())),
        ));
        columns.push((
            measure::Column::ApprovedOn,
            Expr::value(Some(approval.approved_on)),
        ));
    }
    let change = MeasureChange {
        action: MeasureAction::Authorised,
        status: MeasureStatus::Authorised,
        review_due: None,
        detail: None,
        columns,
    };
    apply(db, policy, viewer, &m, &bundle, expected_version, change).await
}

/// The authorised measure takes effect (and the subject is told).
pub async fn bring_into_force(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    measure_id: Uuid,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_bring_measure_into_force(&rel)?;
    if MeasureStatus::from_db(&m.status)? != MeasureStatus::Authorised {
        return Err(Error::rule(
            "R-MEA-3",
            "Only an authorised measure can come into force.",
        ));
    }
    if m.starts_on > viewer.now.today() {
        return Err(Error::validation(
            "measureId",
            format!("This measure starts on {}.", m.starts_on),
        ));
    }
    let change = MeasureChange {
        action: MeasureAction::BroughtIntoForce,
        status: MeasureStatus::InForce,
        review_due: None,
        detail: None,
        columns: vec![],
    };
    apply(db, policy, viewer, &m, &bundle, expected_version, change).await
}

/// R-MEA-4: the subject asks for an earlier review on a material change.
pub async fn request_early_review(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    measure_id: Uuid,
    material_change: String,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_ask_for_measure_review(&rel, &subjects(&m)?)?;
    require_applies(&m, viewer.now.today())?;
    let reason = require_text("materialChange", &material_change)?;
    let due = Ord::min(
        m.review_due,
        policy.calendar().add_working_days(
            viewer.now.today(),
            policy.measures.early_review_working_days,
        ),
    );
    let change = MeasureChange {
        action: MeasureAction::EarlyReviewRequested,
        status: MeasureStatus::UnderReview,
        review_due: Some(due),
        detail: Some(reason),
        columns: vec![],
    };
    apply(db, policy, viewer, &m, &bundle, expected_version, change).await
}

/// R-MEA-4: non-compliance brings the review date forward.
pub async fn record_non_compliance(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    measure_id: Uuid,
    details: String,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_record_non_compliance(&rel)?;
    let status = require_applies(&m, viewer.now.today())?;
    let details = require_text("details", &details)?;
    let due = Ord::min(
        m.review_due,
        policy.calendar().add_working_days(
            viewer.now.today(),
            policy.measures.non_compliance_review_working_days,
        ),
    );
    let change = MeasureChange {
        action: MeasureAction::NonComplianceRecorded,
        status,
        review_due: Some(due),
        detail: Some(details),
        columns: vec![],
    };
    apply(db, policy, viewer, &m, &bundle, expected_version, change).await
}

/// R-MEA-5: the subject makes written representations.
pub async fn submit_representations(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    measure_id: Uuid,
    text: String,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_make_representations(&rel, &subjects(&m)?)?;
    require_applies(&m, viewer.now.today())?;
    let text = require_text("representations", &text)?;
    let change = MeasureChange {
        action: MeasureAction::RepresentationsMade,
        status: MeasureStatus::UnderReview,
        review_due: None,
        detail: Some(text),
        columns: vec![],
    };
    apply(db, policy, viewer, &m, &bundle, expected_version, change).await
}

pub struct Review {
    pub decision: ReviewDecision,
    pub reason: String,
    pub details: Option<String>,
    pub sites: Option<Vec<String>>,
    pub ends_on: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
}

/// R-MEA-5: a decision maker reviews: continue, amend, augment or withdraw.
pub async fn review(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    measure_id: Uuid,
    input: Review,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_review_measure(&rel)?;
    let status = MeasureStatus::from_db(&m.status)?;
    if !(status.applies()
        || status == MeasureStatus::Recommended
        || status == MeasureStatus::Authorised)
    {
        return Err(Error::rule(
            "R-MEA-5",
            format!("A {status} measure cannot be reviewed."),
        ));
    }
    let reason = require_text("reason", &input.reason)?;
    let next = match input.next_review_on {
        Some(d) if d <= viewer.now.today() => {
            return Err(Error::validation(
                "nextReviewOn",
                "The next review must be in the future.",
            ));
        }
        Some(d) => d,
        None => policy.calendar().add_working_days(
            viewer.now.today(),
            policy.measures.review_interval_working_days,
        ),
    };
    let mut columns = Vec::new();
    if let Some(details) = input.details {
        columns.push((
            measure::Column::Details,
            Expr::value(details.trim().to_string()),
        ));
    }
    if let Some(sites) = input.sites {
        columns.push((
            measure::Column::Sites,
            Expr::value(codec::encode("measure.sites", &sites)?),
        ));
    }
    if let Some(end) = input.ends_on {
        if end < m.starts_on {
            return Err(Error::validation(
                "endsOn",
                "A measure cannot end before it starts.",
            ));
        }
        columns.push((measure::Column::EndsOn, Expr::value(Some(end))));
    }
    let (action, new_status, due) = match input.decision {
        ReviewDecision::Continue => (
            MeasureAction::Continued,
            if status.applies() {
                MeasureStatus::InForce
            } else {
                status
            },
            Some(next),
        ),
        ReviewDecision::Amend => (MeasureAction::Amended, MeasureStatus::Varied, Some(next)),
        ReviewDecision::Augment => (MeasureAction::Augmented, MeasureStatus::Varied, Some(next)),
        ReviewDecision::Withdraw => (MeasureAction::Withdrawn, MeasureStatus::Withdrawn, None),
    };
    if matches!(
        input.decision,
        ReviewDecision::Amend | ReviewDecision::Augment
    ) && !status.applies()
    {
        return Err(Error::rule(
            "R-MEA-5",
            "Only a measure in force can be amended or augmented.",
        ));
    }
    let change = MeasureChange {
        action,
        status: new_status,
        review_due: due,
        detail: Some(reason),
        columns,
    };
    apply(db, policy, viewer, &m, &bundle, expected_version, change).await
}
