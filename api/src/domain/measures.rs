//! Risk assessments and precautionary measures (R-MEA-1…7, R-TRI-3).
//!
//! The Cause for Concern group assesses risk and recommends; a decision maker
//! authorises (a suspension also needs the approval the policy names); measures
//! are reviewed on a working-day deadline that the subject's request or
//! non-compliance brings forward; the reporting party is told whether measures
//! are in place and notified when one on the responding party changes.

use chrono::NaiveDate;
use entity::{measure, measure_event, risk_assessment};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::access::{self, Relation};
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::clock::Now;
use crate::domain::codec;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{
    DeadlineKind, MeasureAction, MeasureKind, MeasureStatus, NotificationKind, PartyRole,
    ReviewDecision, RiskLevel,
};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::Policy;

/// The status a measure has today: one whose end date has passed has expired.
pub fn effective_status(m: &measure::Model, on: NaiveDate) -> Result<MeasureStatus> {
    let status = MeasureStatus::from_db(&m.status)?;
    Ok(
        if status.applies() && m.ends_on.is_some_and(|end| end < on) {
            MeasureStatus::Expired
        } else {
            status
        },
    )
}

/// The parties a measure binds.
pub fn subjects(m: &measure::Model) -> Result<Vec<Uuid>> {
    codec::decode("measure.subjects", &m.subjects)
}

/// For a no-contact order: the parties the subjects must not contact.
pub fn protected_parties(m: &measure::Model) -> Result<Vec<Uuid>> {
    codec::decode("measure.protected_parties", &m.protected_parties)
}

/// One person's part in a risk assessment's impact section.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Impact {
    pub party_id: Uuid,
    pub impact: String,
}

pub struct NewRiskAssessment {
    pub assessed_on: Option<NaiveDate>,
    pub nature_of_incident: String,
    pub impacts: Vec<Impact>,
    pub organisational_risk: String,
    pub risk_level: RiskLevel,
    pub significant_imminent_risk: bool,
    pub participants: Vec<String>,
}

fn require_reported(bundle: &CaseBundle) -> Result<()> {
    if bundle.case.report_submitted_at.is_none() {
        return Err(Error::rule(
            "R-TRI-3",
            "Only conduct cases (with a formal report) are referred to the Cause for Concern group.",
        ));
    }
    Ok(())
}

/// Opens a case for safeguarding work: CfC members, decision makers and the conduct team.
async fn open_safeguarding(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
) -> Result<(CaseBundle, Relation)> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_do_safeguarding_work(&rel)?;
    require_reported(&bundle)?;
    Ok((bundle, rel))
}

pub async fn record_risk_assessment(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    input: NewRiskAssessment,
) -> Result<risk_assessment::Model> {
    let (bundle, rel) = open_safeguarding(viewer, db, case_id).await?;
    access::actions::can_record_risk_assessment(&rel)?;
    let nature = require_text("natureOfIncident", &input.nature_of_incident)?;
    let organisational = require_text("organisationalRisk", &input.organisational_risk)?;
    let assessed_on = input.assessed_on.unwrap_or(viewer.now.today());
    if assessed_on > viewer.now.today() {
        return Err(Error::validation(
            "assessedOn",
            "A risk assessment cannot be dated in the future.",
        ));
    }
    if input.impacts.is_empty() {
        return Err(Error::validation(
            "impacts",
            "Record the impact on each person involved.",
        ));
    }
    for impact in &input.impacts {
        bundle.party(impact.party_id).map_err(|_| {
            Error::validation(
                "impacts",
                "An impact names someone who is not a party to this case.",
            )
        })?;
        require_text("impacts", &impact.impact)?;
    }
    if input.participants.is_empty() {
        return Err(Error::validation(
            "participants",
            "Record who took part in the assessment.",
        ));
    }
    let row = risk_assessment::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        assessed_on: Set(assessed_on),
        nature_of_incident: Set(nature),
        impacts: Set(codec::encode("risk_assessment.impacts", &input.impacts)?),
        organisational_risk: Set(organisational),
        risk_level: Set(input.risk_level.as_str().into()),
        significant_imminent_risk: Set(input.significant_imminent_risk),
        participants: Set(codec::encode(
            "risk_assessment.participants",
            &input.participants,
        )?),
        recorded_by: Set(viewer.person_id),
        created_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    crate::domain::audit::record(db, viewer, "recordRiskAssessment", case_id).await?;
    Ok(row)
}

pub fn impacts(row: &risk_assessment::Model) -> Result<Vec<Impact>> {
    codec::decode("risk_assessment.impacts", &row.impacts)
}

pub fn participants(row: &risk_assessment::Model) -> Result<Vec<String>> {
    codec::decode("risk_assessment.participants", &row.participants)
}

pub fn sites(row: &measure::Model) -> Result<Vec<String>> {
    codec::decode("measure.sites", &row.sites)
}

pub struct NewMeasure {
    pub kind: MeasureKind,
    /// The parties the measure binds.
    pub subjects: Vec<Uuid>,
    /// For a no-contact order: the parties the subjects must not contact.
    pub protected_parties: Vec<Uuid>,
    /// A no-contact order binding both sides equally.
    pub mutual: bool,
    /// For an exclusion: sites, buildings or activities.
    pub sites: Vec<String>,
    pub details: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// R-MEA-6: whether the reporting party consents to this action.
    pub reporting_party_consent: bool,
}

fn validate_measure(bundle: &CaseBundle, input: &NewMeasure) -> Result<()> {
    if input.subjects.is_empty() {
        return Err(Error::validation(
            "subjects",
            "Name the party or parties the measure applies to.",
        ));
    }
    for id in input.subjects.iter().chain(&input.protected_parties) {
        bundle.party(*id).map_err(|_| {
            Error::validation("subjects", "A measure can only name parties to this case.")
        })?;
    }
    match input.kind {
        MeasureKind::NoContactOrder => {
            if input.protected_parties.is_empty() && !input.mutual {
                return Err(Error::validation(
                    "protectedParties",
                    "A no-contact order names the people the subject must not contact.",
                ));
            }
            let bound = input
                .subjects
                .iter()
                .chain(&input.protected_parties)
                .collect::<std::collections::BTreeSet<_>>();
            if input.mutual && bound.len() < 2 {
                return Err(Error::validation(
                    "subjects",
                    "A mutual no-contact order binds at least two parties.",
                ));
            }
        }
        MeasureKind::Exclusion if input.sites.iter().all(|s| s.trim().is_empty()) => {
            return Err(Error::validation(
                "sites",
                "An exclusion names the sites, buildings or activities it covers.",
            ));
        }
        _ => {}
    }
    if input.ends_on.is_some_and(|end| end < input.starts_on) {
        return Err(Error::validation(
            "endsOn",
            "A measure cannot end before it starts.",
        ));
    }
    Ok(())
}

/// R-MEA-3: the CfC group recommends; R-MEA-6: without the reporting party's
/// consent only where significant, imminent risk has been recorded.
pub async fn recommend(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    case_id: Uuid,
    input: NewMeasure,
) -> Result<measure::Model> {
    let (bundle, rel) = open_safeguarding(viewer, db, case_id).await?;
    access::actions::can_recommend_measure(&rel)?;
    validate_measure(&bundle, &input)?;
    let details = input.details.trim().to_string();
    let mut imminent = None;
    if !input.reporting_party_consent {
        let assessment = risk_assessment::Entity::find()
            .filter(risk_assessment::Column::CaseId.eq(case_id))
            .filter(risk_assessment::Column::SignificantImminentRisk.eq(true))
            .order_by_desc(risk_assessment::Column::AssessedOn)
            .one(db)
            .await?
            .ok_or_else(|| Error::rule("R-MEA-6", "Without the reporting party's consent, a measure needs a risk assessment recording significant, imminent risk."))?;
        imminent = Some(assessment.id);
    }
    let mut subjects = input.subjects.clone();
    if input.mutual {
        for p in &input.protected_parties {
            if !subjects.contains(p) {
                subjects.push(*p);
            }
        }
    }
    let now = viewer.now.at();
    let review_due = policy.calendar().add_working_days(
        Ord::max(input.starts_on, viewer.now.today()),
        policy.measures.review_interval_working_days,
    );
    let row = measure::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        kind: Set(input.kind.as_str().into()),
        status: Set(MeasureStatus::Recommended.as_str().into()),
        subjects: Set(codec::encode("measure.subjects", &subjects)?),
        protected_parties: Set(codec::encode(
            "measure.protected_parties",
            &input.protected_parties,
        )?),
        mutual: Set(input.mutual),
        sites: Set(codec::encode(
            "measure.sites",
            &input
                .sites
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>(),
        )?),
        details: Set(details),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        review_due: Set(review_due),
        reporting_party_consent: Set(input.reporting_party_consent),
        imminent_risk_assessment: Set(imminent),
        approval_by: Set(None),
        approved_on: Set(None),
        recommended_by: Set(viewer.person_id),
        authorised_by: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    history(db, viewer, &row, MeasureAction::Recommended, None).await?;
    Ok(row)
}

/// A change to a measure: checks the version the client saw and records history.
struct MeasureChange {
    action: MeasureAction,
    status: MeasureStatus,
    review_due: Option<NaiveDate>,
    detail: Option<String>,
    columns: Vec<(measure::Column, Expr)>,
}

async fn load_measure(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    measure_id: Uuid,
) -> Result<(measure::Model, CaseBundle, Relation)> {
    let m = measure::Entity::find_by_id(measure_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("measure"))?;
    let (bundle, rel) = case_store::open(viewer, db, m.case_id)
        .await
        .map_err(access::refusal::hide_case_as("measure"))?;
    access::actions::can_open_measure(&rel, &subjects(&m)?, MeasureStatus::from_db(&m.status)?)?;
    Ok((m, bundle, rel))
}

async fn apply(
    db: &impl ConnectionTrait,
    policy: &Policy,
    viewer: &Viewer,
    m: &measure::Model,
    bundle: &CaseBundle,
    expected_version: i32,
    change: MeasureChange,
) -> Result<measure::Model> {
    if expected_version != m.version {
        return Err(Error::Conflict("This measure was changed by someone else since you loaded it. Reload it and try again.".into()));
    }
    let before = effective_status(m, viewer.now.today())?;
    let mut update = measure::Entity::update_many()
        .col_expr(
            measure::Column::Version,
            Expr::col(measure::Column::Version).add(1),
        )
        .col_expr(measure::Column::UpdatedAt, Expr::value(viewer.now.at()))
        .col_expr(measure::Column::Status, Expr::value(change.status.as_str()))
        .filter(measure::Column::Id.eq(m.id))
        .filter(measure::Column::Version.eq(m.version));
    if let Some(due) = change.review_due {
        update = update.col_expr(measure::Column::ReviewDue, Expr::value(due));
    }
    for (column, value) in change.columns {
        update = update.col_expr(column, value);
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Err(Error::Conflict("This measure was changed by someone else since you loaded it. Reload it and try again.".into()));
    }
    let updated = measure::Entity::find_by_id(m.id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("measure"))?;
    history(db, viewer, &updated, change.action, change.detail).await?;
    // The review date is a deadline while the measure applies (R-MEA-4).
    if change.status.applies() {
        deadlines::set(
            db,
            viewer.now,
            updated.case_id,
            updated.id,
            DeadlineKind::MeasureReview,
            "R-MEA-4",
            updated.review_due,
        )
        .await?;
    } else if change.status == MeasureStatus::Withdrawn {
        deadlines::cancel(db, viewer.now, updated.id).await?;
    }
    notify_if_stated_change(
        db,
        viewer.now,
        policy,
        bundle,
        &updated,
        before,
        change.action,
    )
    .await?;
    Ok(updated)
}

async fn history(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    m: &measure::Model,
    action: MeasureAction,
    detail: Option<String>,
) -> Result<()> {
    measure_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        measure_id: Set(m.id),
        case_id: Set(m.case_id),
        at: Set(viewer.now.at()),
        actor_id: Set(Some(viewer.person_id)),
        action: Set(action.as_str().into()),
        status_after: Set(m.status.clone()),
        detail: Set(detail),
        review_due: Set(Some(m.review_due)),
    }
    .insert(db)
    .await?;
    crate::domain::audit::append(
        db,
        Some(viewer),
        &[crate::domain::audit::AuditRecord::new(
            format!("measure:{}", action.as_str()),
            Some(m.case_id),
        )],
    )
    .await
}

/// R-MEA-7: the reporting party hears when a stated measure on the responding
/// party changes (comes into force, is varied, withdrawn); subjects hear of
/// changes to measures on them. Messages carry no detail of the measure.
async fn notify_if_stated_change(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    m: &measure::Model,
    before: MeasureStatus,
    action: MeasureAction,
) -> Result<()> {
    let stated = matches!(
        action,
        MeasureAction::BroughtIntoForce | MeasureAction::Amended | MeasureAction::Augmented
    ) || (action == MeasureAction::Withdrawn && before.applies());
    if !stated {
        return Ok(());
    }
    let bound = subjects(m)?;
    let on_respondent = bundle
        .parties
        .iter()
        .any(|p| bound.contains(&p.id) && p.role == PartyRole::Responding.as_str());
    let new = action == MeasureAction::BroughtIntoForce;
    let to_reporting = if new {
        "A precautionary measure is now in place in your case. Your case worker can explain what this means for you."
    } else {
        "The precautionary measures in your case have changed. Your case worker can explain what this means for you."
    };
    let to_subject = if new {
        "A precautionary measure now applies to you. See your case for the details and how to make representations."
    } else {
        "A precautionary measure that applies to you has changed. See your case for the details and how to make representations."
    };
    // One notice per person: a reporting party who is also bound hears it once.
    let mut recipients: Vec<(&entity::party::Model, &str)> = Vec::new();
    if on_respondent {
        for p in bundle
            .parties
            .iter()
            .filter(|p| p.role == PartyRole::Reporting.as_str() && p.person_id.is_some())
        {
            recipients.push((p, to_reporting));
        }
    }
    for p in bundle.parties.iter().filter(|p| bound.contains(&p.id)) {
        if p.person_id.is_some() && !recipients.iter().any(|(r, _)| r.person_id == p.person_id) {
            recipients.push((p, to_subject));
        }
    }
    for (party, message) in recipients {
        crate::domain::notices::notify(
            db,
            now,
            policy,
            &bundle.case,
            party,
            NotificationKind::MeasureChanged,
            message,
        )
        .await?;
    }
    Ok(())
}

/// Recorded approval of a suspension by the person the policy names (R-MEA-3).
pub struct Approval {
    pub approved_by: String,
    pub approved_on: NaiveDate,
}

pub async fn authorise(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    measure_id: Uuid,
    approval: Option<Approval>,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
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
    policy: &Policy,
    measure_id: Uuid,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
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

fn require_applies(m: &measure::Model, today: NaiveDate) -> Result<MeasureStatus> {
    let status = effective_status(m, today)?;
    if !status.applies() {
        return Err(Error::rule(
            "R-MEA-4",
            format!("This measure is {status}, not in force."),
        ));
    }
    Ok(status)
}

/// R-MEA-4: the subject asks for an earlier review on a material change.
pub async fn request_early_review(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    measure_id: Uuid,
    material_change: String,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
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
    policy: &Policy,
    measure_id: Uuid,
    details: String,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
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
    policy: &Policy,
    measure_id: Uuid,
    text: String,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
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
    policy: &Policy,
    measure_id: Uuid,
    input: Review,
    expected_version: i32,
) -> Result<measure::Model> {
    let (m, bundle, rel) = load_measure(viewer, db, measure_id).await?;
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

/// Measures of many cases in one query (list pages).
pub async fn of_cases(
    db: &impl ConnectionTrait,
    case_ids: Vec<Uuid>,
) -> Result<Vec<measure::Model>> {
    Ok(measure::Entity::find()
        .filter(measure::Column::CaseId.is_in(case_ids))
        .order_by_asc(measure::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Whether any measure applies in the case today (what a reporting party may know, R-MEA-7).
pub fn any_in_place(measures: &[measure::Model], on: NaiveDate) -> Result<bool> {
    for m in measures {
        if effective_status(m, on)?.applies() {
            return Ok(true);
        }
    }
    Ok(false)
}
