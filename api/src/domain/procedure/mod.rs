//! The disciplinary procedure after the formal report (DOMAIN §2, §4): triage,
//! staff assignment, investigation, decision, informal resolution, hearings,
//! sanctions, outcome and appeals. Every change goes through the state machine
//! and `case_store::save` (version check, timeline, audit) in one transaction.

pub mod appeals;
pub mod arrangements;
pub mod attendance;
pub mod hearing_changes;
pub mod hearing_evidence;
pub mod hearings;
pub mod investigation;
pub mod meeting_changes;
pub mod outcome;
pub mod referral;
pub mod respondents;
pub mod review;
pub mod sanctions;
pub mod triage;

use entity::{case_staff, procedure};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use crate::domain::access::{self, Relation};
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::clock::Now;
use crate::domain::kinds::{PartyRole, StaffRole};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

/// The procedure row of a reported case (created with the report).
pub async fn state(db: &impl ConnectionTrait, case_id: Uuid) -> Result<procedure::Model> {
    procedure::Entity::find_by_id(case_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            Error::rule(
                "LIFECYCLE",
                "This case has no formal report, so no disciplinary procedure.",
            )
        })
}

pub async fn create(db: &impl ConnectionTrait, case_id: Uuid) -> Result<()> {
    procedure::ActiveModel {
        case_id: Set(case_id),
        classification: Set(None),
        alleged_breaches: Set(None),
        routed_to: Set(None),
        cfc_referred_at: Set(None),
        triaged_by: Set(None),
        triaged_at: Set(None),
        investigation_target_on: Set(None),
        conviction: Set(false),
        finding: Set(None),
        investigation_summary: Set(None),
        recommendations: Set(None),
        investigation_report_at: Set(None),
        decision_option: Set(None),
        decision_reasons: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        informal_consent_at: Set(None),
        informal_judgement: Set(None),
        breach_found: Set(false),
        outcome_reasons: Set(None),
        outcome_notified_at: Set(None),
        appeal_window_ends: Set(None),
        appeals_concluded_at: Set(None),
        removed_from_record: Set(false),
        no_restricting_provision_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Opens a case for a procedural action the viewer must be allowed by `check`
/// (one of `access::actions`).
pub async fn open_for(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    check: impl FnOnce(&Relation) -> Result<()>,
) -> Result<(CaseBundle, Relation)> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    check(&rel)?;
    Ok((bundle, rel))
}

/// Opens a case for a procedural action by the conduct team.
pub async fn open_as_conduct(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
) -> Result<(CaseBundle, Relation)> {
    open_for(
        viewer,
        db,
        case_id,
        access::actions::can_act_as_conduct_team,
    )
    .await
}

/// R-IND-3, R-IND-4, R-IND-5: no previous involvement in the case, and no
/// previous dealings with its students in other cases. The refusal names the
/// involvement found (see [`crate::domain::independence::involvement`]).
pub async fn check_uninvolved(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    person: Uuid,
    rule: &'static str,
) -> Result<()> {
    if let Some(found) = crate::domain::independence::involvement(db, bundle, person).await? {
        return Err(Error::rule(
            rule,
            format!("This person cannot take this role: they {found}."),
        ));
    }
    Ok(())
}

pub async fn holds_role(db: &impl ConnectionTrait, person: Uuid, role: StaffRole) -> Result<bool> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(entity::role_grant::Entity::find()
        .filter(entity::role_grant::Column::PersonId.eq(person))
        .filter(entity::role_grant::Column::Role.eq(role.as_str()))
        .filter(entity::role_grant::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .is_some())
}

pub async fn add_staff(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case_id: Uuid,
    person: Uuid,
    role: StaffRole,
) -> Result<()> {
    case_staff::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        person_id: Set(person),
        role: Set(role.as_str().into()),
        party_id: Set(None),
        assigned_by: Set(Some(viewer.person_id)),
        assigned_at: Set(viewer.now.at()),
        ended_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub fn active_staff(bundle: &CaseBundle, role: StaffRole) -> Vec<Uuid> {
    bundle
        .staff
        .iter()
        .filter(|s| s.ended_at.is_none() && s.role == role.as_str())
        .map(|s| s.person_id)
        .collect()
}

pub fn responding_parties(bundle: &CaseBundle) -> Vec<Uuid> {
    bundle
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Responding.as_str())
        .map(|p| p.id)
        .collect()
}

pub fn reporting_parties(bundle: &CaseBundle) -> Vec<Uuid> {
    bundle
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Reporting.as_str())
        .map(|p| p.id)
        .collect()
}

/// A party's request for a review, as first recorded: an investigation review
/// (R-IRV-1) or an informal review of an outcome.
pub async fn insert_review_request(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    party: Uuid,
    kind: crate::domain::kinds::ReviewKind,
    grounds: String,
    status: crate::domain::kinds::ReviewStatus,
) -> Result<entity::review_request::Model> {
    Ok(entity::review_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party),
        kind: Set(kind.as_str().into()),
        grounds: Set(grounds),
        requested_at: Set(now.at()),
        status: Set(status.as_str().into()),
        reasons: Set(None),
        reviewer_id: Set(None),
        outcome: Set(None),
        substantive_change: Set(false),
    }
    .insert(db)
    .await?)
}
