//! Referral to a higher body (R-HEA-5; 003 §4.4.3, §6.4, §8.1.2; 001's Senate
//! for a revocation of award): instead of deciding, a hearing refers the case
//! to the body its procedure names (policy `hearings.referral_body`). That
//! body is convened afresh (`hearings.referral_panel_size` members with no
//! previous involvement), summons the student again and decides with the
//! `SENATE` powers of the sanction table.

use entity::hearing;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use uuid::Uuid;

use super::*;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{DeadlineKind, HearingDecision, Imposer, Stage, TimelineKind};
use crate::domain::timeline::Event;
use crate::policy::{Policy, PolicyBook};

/// Whether a hearing of this case referred it on: the case is then before
/// the referral body.
pub async fn is_referred(db: &impl ConnectionTrait, case_id: Uuid) -> Result<bool> {
    let referred = hearing::Entity::find()
        .filter(hearing::Column::CaseId.eq(case_id))
        .filter(hearing::Column::Decision.eq(HearingDecision::Referred.as_str()))
        .count(db)
        .await?;
    Ok(referred > 0)
}

/// Who hears the case now: how many, and with which powers.
pub struct Bench {
    pub size: usize,
    pub imposer: Imposer,
}

pub async fn bench(db: &impl ConnectionTrait, policy: &Policy, case_id: Uuid) -> Result<Bench> {
    Ok(if is_referred(db, case_id).await? {
        Bench {
            size: policy.hearings.referral_panel_size as usize,
            imposer: Imposer::Senate,
        }
    } else {
        Bench {
            size: policy.hearings.panel_size as usize,
            imposer: Imposer::Panel,
        }
    })
}

/// A member of the convened panel (or the hearing officer) refers the case:
/// the hearing is recorded as REFERRED with its reasons, the panel stands
/// down, and each responding party is written to. The case stays at HEARING
/// for the referral body to be convened and to summon them.
pub async fn refer(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    hearing_id: Uuid,
    reasons: String,
    expected_version: i32,
) -> Result<hearing::Model> {
    let (h, bundle) =
        super::hearings::open_for_panel(viewer, db, hearing_id, expected_version).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let body = policy.hearings.referral_body.trim();
    if body.is_empty() {
        return Err(Error::rule(
            "R-HEA-5",
            format!(
                "The procedure this case follows ({}) names no body to refer a case to: the hearing decides it.",
                policy.version
            ),
        ));
    }
    if h.decided_at.is_some() {
        return Err(Error::Conflict(
            "This hearing has already decided or referred the case.".into(),
        ));
    }
    if is_referred(db, h.case_id).await? {
        return Err(Error::rule(
            "R-HEA-5",
            format!("The case is already before the {body}, which decides it."),
        ));
    }
    if !super::hearings::joint_cases(&h)?.is_empty() {
        return Err(Error::rule(
            "R-HEA-5",
            "Cases heard jointly are decided together; a joint hearing cannot refer one of them on.",
        ));
    }
    if bundle.stage()? != Stage::Hearing {
        return Err(Error::rule(
            "LIFECYCLE",
            "Only a case at its hearing can be referred.",
        ));
    }
    let reasons = require_text("reasons", &reasons)?;
    case_store::save_with_event(
        db,
        viewer,
        &bundle,
        "referHearing",
        expected_version,
        Event::new(TimelineKind::HearingReferred).reason(Some(format!("Referred to the {body}"))),
    )
    .await?;
    let mut row: hearing::ActiveModel = h.clone().into();
    row.decision = Set(Some(HearingDecision::Referred.as_str().into()));
    row.decision_reasons = Set(Some(reasons.clone()));
    row.decided_at = Set(Some(viewer.now.at()));
    let row = row.update(db).await?;
    deadlines::complete(db, viewer.now, h.case_id, DeadlineKind::HearingDecision).await?;
    deadlines::complete(db, viewer.now, h.case_id, DeadlineKind::HearingResponse).await?;
    // The referring panel stands down: the body is convened afresh.
    super::hearings::stand_down_panel(db, viewer.now, h.case_id).await?;
    crate::domain::letters::triggers::on_hearing_referred(
        db, viewer.now, policy, &bundle, h.id, &reasons,
    )
    .await?;
    Ok(row)
}
