//! Precautionary measures (R-MEA-2…7, R-TRI-3).
//!
//! The Cause for Concern group recommends (after assessing risk, see
//! `risk_assessments`); a decision maker
//! authorises (a suspension also needs the approval the policy names); measures
//! are reviewed on a working-day deadline that the subject's request or
//! non-compliance brings forward; the reporting party is told whether measures
//! are in place and notified when one on the responding party changes.

mod changes;

pub use changes::{
    Approval, Review, authorise, bring_into_force, record_non_compliance, request_early_review,
    review, submit_representations,
};

use chrono::NaiveDate;
use entity::{measure, measure_event, risk_assessment};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::access::{self, Relation};
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::clock::Now;
use crate::domain::codec;
use crate::domain::deadlines;
use crate::domain::kinds::{
    DeadlineKind, MeasureAction, MeasureKind, MeasureStatus, NotificationKind, PartyRole,
};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::{Policy, PolicyBook};

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

/// Safeguarding starts with a formal report, or earlier — from the
/// disclosure — with a referral to the Cause for Concern group for an urgent
/// risk (R-TRI-3; 000 §23–28: risk is assessed "throughout").
fn require_safeguarding_started(bundle: &CaseBundle) -> Result<()> {
    if bundle.case.report_submitted_at.is_none() && bundle.case.cfc_referred_at.is_none() {
        return Err(Error::rule(
            "R-TRI-3",
            "Before a formal report, risk assessments and measures follow a referral to the Cause for Concern group (referToCauseForConcern with the urgent reason).",
        ));
    }
    Ok(())
}

/// Opens a case for safeguarding work: CfC members, decision makers and the conduct team.
pub(crate) async fn open_safeguarding(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
) -> Result<(CaseBundle, Relation)> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_do_safeguarding_work(&rel)?;
    require_safeguarding_started(&bundle)?;
    Ok((bundle, rel))
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
        if !bundle.has_party(*id) {
            return Err(Error::validation(
                "subjects",
                "A measure can only name parties to this case.",
            ));
        }
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
    policies: &PolicyBook,
    case_id: Uuid,
    input: NewMeasure,
) -> Result<measure::Model> {
    let (bundle, rel) = open_safeguarding(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
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
pub(super) struct MeasureChange {
    action: MeasureAction,
    status: MeasureStatus,
    review_due: Option<NaiveDate>,
    detail: Option<String>,
    columns: Vec<(measure::Column, Expr)>,
}

pub(super) async fn load_measure(
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

pub(super) async fn apply(
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
    let told = tell_untold_subjects(db, viewer.now, bundle, &updated, change.action).await?;
    notify_if_stated_change(
        db,
        viewer.now,
        policy,
        told.as_ref().unwrap_or(bundle),
        &updated,
        before,
        change.action,
    )
    .await?;
    Ok(updated)
}

/// R-MEA-5 before R-REP-2 (000 §35): a measure coming into force on a
/// responding party not yet told of the report tells them of the measure —
/// its terms and their right to make representations, not the report. The
/// case as it now stands, if anyone was told.
async fn tell_untold_subjects(
    db: &impl ConnectionTrait,
    now: Now,
    bundle: &CaseBundle,
    m: &measure::Model,
    action: MeasureAction,
) -> Result<Option<CaseBundle>> {
    if action != MeasureAction::BroughtIntoForce {
        return Ok(None);
    }
    let bound = subjects(m)?;
    let untold: Vec<Uuid> = bundle
        .parties
        .iter()
        .filter(|p| {
            bound.contains(&p.id)
                && p.role == PartyRole::Responding.as_str()
                && p.informed_at.is_none()
                && p.measure_notified_at.is_none()
        })
        .map(|p| p.id)
        .collect();
    if untold.is_empty() {
        return Ok(None);
    }
    entity::party::Entity::update_many()
        .col_expr(
            entity::party::Column::MeasureNotifiedAt,
            Expr::value(Some(now.at())),
        )
        .filter(entity::party::Column::Id.is_in(untold.clone()))
        .exec(db)
        .await?;
    let mut told = bundle.clone();
    for p in told.parties.iter_mut().filter(|p| untold.contains(&p.id)) {
        p.measure_notified_at = Some(now.at());
    }
    Ok(Some(told))
}

/// A responding party not yet told of the report hears of measures only
/// once told of one that binds them (R-REP-2, R-MEA-5); every other party may.
pub fn may_hear_of_measures(p: &entity::party::Model) -> bool {
    p.role != PartyRole::Responding.as_str()
        || p.informed_at.is_some()
        || p.measure_notified_at.is_some()
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
        "A precautionary measure now applies to you. Sign in to read it and how to make representations (your measures)."
    } else {
        "A precautionary measure that applies to you has changed. Sign in to read it and how to make representations (your measures)."
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
    for p in bundle
        .parties
        .iter()
        .filter(|p| bound.contains(&p.id) && may_hear_of_measures(p))
    {
        if p.person_id.is_some() && !recipients.iter().any(|(r, _)| r.person_id == p.person_id) {
            recipients.push((p, to_subject));
        }
    }
    for (party, message) in &recipients {
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
    for (party, _) in recipients {
        let change = crate::domain::letters::triggers::MeasureChange {
            measure: m,
            action,
            to_subject: bound.contains(&party.id),
        };
        crate::domain::letters::triggers::on_measure_change(
            db, now, policy, bundle, party, &change,
        )
        .await?;
    }
    Ok(())
}

pub(super) fn require_applies(m: &measure::Model, today: NaiveDate) -> Result<MeasureStatus> {
    let status = effective_status(m, today)?;
    if !status.applies() {
        return Err(Error::rule(
            "R-MEA-4",
            format!("This measure is {status}, not in force."),
        ));
    }
    Ok(status)
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
