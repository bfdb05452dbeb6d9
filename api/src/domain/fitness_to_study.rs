//! Fitness to study (R-FTS-1; 003 §2.4, §8.2; 004 App. 7). When a responding
//! student's health may explain the conduct or stop them taking part, the
//! conduct team refers the case to fitness to study: the misconduct
//! procedure is adjourned for medical reports (a pause, so its deadlines move,
//! R-TIME-3), may require an occupational-health assessment before it resumes
//! (resuming is refused until one is recorded), or ends on health grounds with
//! reasons. Every step's detail is medical — special-category data — read only
//! by the roles the policy names, each read audited.

use entity::health_record;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sea_orm::{QueryOrder, sea_query::Expr};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle, Change};
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{HealthRecordKind, PauseReason};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::PolicyBook;

const RULE: &str = "R-FTS-1";

/// Refers the case and adjourns it for medical reports (a HEALTH pause).
pub async fn refer(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    medical_detail: &str,
    assessment_required: bool,
    expected_version: i32,
) -> Result<()> {
    let bundle = open(viewer, db, policies, case_id).await?;
    let detail = require_text("medicalDetail", medical_detail)?;
    if bundle.case.report_submitted_at.is_none() {
        return Err(Error::rule(
            RULE,
            "Only a case under the misconduct procedure (with a formal report) is referred to fitness to study.",
        ));
    }
    if open_referral(db, case_id).await?.is_some() {
        return Err(Error::rule(
            RULE,
            "This case is already referred to fitness to study.",
        ));
    }
    // The adjournment: the same pause as any other, so updates are owed and
    // deadlines move by the time it lasts (R-INV-9, R-TIME-3).
    crate::domain::reports::pause(
        viewer,
        db,
        policies,
        case_id,
        PauseReason::Health,
        Some("referred to fitness to study".into()),
        expected_version,
    )
    .await?;
    record(
        viewer,
        db,
        case_id,
        HealthRecordKind::Referral,
        detail,
        assessment_required,
    )
    .await?;
    crate::domain::audit::record(db, viewer, "referToFitnessToStudy", case_id).await
}

/// Records the occupational-health assessment a referral asked for.
pub async fn record_assessment(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    medical_detail: &str,
) -> Result<()> {
    open(viewer, db, policies, case_id).await?;
    let detail = require_text("medicalDetail", medical_detail)?;
    if open_referral(db, case_id).await?.is_none() {
        return Err(Error::rule(
            RULE,
            "This case is not referred to fitness to study.",
        ));
    }
    record(
        viewer,
        db,
        case_id,
        HealthRecordKind::OccupationalHealthAssessment,
        detail,
        false,
    )
    .await?;
    crate::domain::audit::record(db, viewer, "recordOccupationalHealthAssessment", case_id).await
}

/// Ends the proceedings on health grounds, with reasons: the case closes.
pub async fn end_on_health_grounds(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    reasons: &str,
    expected_version: i32,
) -> Result<()> {
    let bundle = open(viewer, db, policies, case_id).await?;
    let reasons = require_text("reasons", reasons)?;
    if open_referral(db, case_id).await?.is_none() {
        return Err(Error::rule(
            RULE,
            "Only a case referred to fitness to study ends on health grounds.",
        ));
    }
    let mv = crate::domain::lifecycle::end_on_health_grounds(bundle.stage()?)?;
    let change = Change {
        operation: "endOnHealthGrounds",
        expected_version,
        stage_move: Some((mv, Some("Ended on health grounds (R-FTS-1)".into()))),
        columns: vec![(
            entity::case::Column::PauseReason,
            Expr::value(Option::<String>::None),
        )],
    };
    case_store::save(db, viewer, &bundle, change).await?;
    // Nobody is owed an update on a closed case.
    crate::domain::letters::updates::stop_owing(db, viewer.now, case_id).await?;
    record(
        viewer,
        db,
        case_id,
        HealthRecordKind::EndedOnHealthGrounds,
        reasons,
        false,
    )
    .await
}

/// R-FTS-1 at resumption: a referral that requires an occupational-health
/// assessment holds the case until one is recorded after it.
pub async fn check_resumable(db: &impl ConnectionTrait, case_id: Uuid) -> Result<()> {
    let Some(referral) = open_referral(db, case_id).await? else {
        return Ok(());
    };
    if !referral.assessment_required {
        return Ok(());
    }
    let assessed = health_record::Entity::find()
        .filter(health_record::Column::CaseId.eq(case_id))
        .filter(
            health_record::Column::Kind.eq(HealthRecordKind::OccupationalHealthAssessment.as_str()),
        )
        .filter(health_record::Column::RecordedAt.gte(referral.recorded_at))
        .one(db)
        .await?;
    if assessed.is_none() {
        return Err(Error::rule(
            RULE,
            "The referral to fitness to study requires an occupational-health assessment before the case resumes; record it first.",
        ));
    }
    Ok(())
}

/// A case's health records, oldest first.
async fn records(db: &impl ConnectionTrait, case_id: Uuid) -> Result<Vec<health_record::Model>> {
    Ok(health_record::Entity::find()
        .filter(health_record::Column::CaseId.eq(case_id))
        .order_by_asc(health_record::Column::RecordedAt)
        .order_by_asc(health_record::Column::Id)
        .all(db)
        .await?)
}

/// The latest referral, unless the case has since ended on health grounds.
async fn open_referral(
    db: &impl ConnectionTrait,
    case_id: Uuid,
) -> Result<Option<health_record::Model>> {
    let all = records(db, case_id).await?;
    let latest = all
        .iter()
        .rev()
        .find(|r| r.kind != HealthRecordKind::OccupationalHealthAssessment.as_str());
    Ok(latest
        .filter(|r| r.kind == HealthRecordKind::Referral.as_str())
        .cloned())
}

async fn open(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
) -> Result<CaseBundle> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let policy = policies.for_case(db, &bundle.case).await?;
    access::actions::can_act_on_fitness_to_study(&rel, &policy.medical_detail_roles())?;
    if !crate::domain::lifecycle::is_open(bundle.stage()?) {
        return Err(Error::rule(RULE, "This case is closed."));
    }
    Ok(bundle)
}

async fn record(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    kind: HealthRecordKind,
    detail: String,
    assessment_required: bool,
) -> Result<()> {
    health_record::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        kind: Set(kind.as_str().into()),
        detail: Set(detail),
        assessment_required: Set(assessment_required),
        recorded_by: Set(viewer.person_id),
        recorded_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    Ok(())
}
