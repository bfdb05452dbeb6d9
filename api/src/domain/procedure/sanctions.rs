//! Sanctions (R-SAN-1, R-SAN-2): who may impose what under the policy's
//! authority table, the justification each needs, approvals that follow the
//! appeal process, and the student's previous sanctions for whoever decides.

use chrono::NaiveDate;
use entity::sanction;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::*;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{Imposer, SanctionStatus};
use crate::policy::Policy;

/// A sanction as the decision maker or panel states it (kept as JSON while an
/// appeal panel's recommendation awaits the final decision, R-APP-5).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NewSanction {
    pub party_id: Uuid,
    pub kind: String,
    pub amount_pence: Option<u32>,
    pub ends_on: Option<NaiveDate>,
    pub justification: String,
    pub why_not_lesser: String,
}

/// R-SAN-1: the policy's authority table and fine limits; R-SAN-2: a
/// justification including why lesser sanctions do not fit. Sanctions needing
/// approval (policy `approvals`) wait for it.
pub async fn impose_all(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    policy: &Policy,
    bundle: &CaseBundle,
    capacity: Imposer,
    sanctions: &[NewSanction],
) -> Result<()> {
    let proc = state(db, bundle.case.id).await?;
    for s in sanctions {
        let party = bundle.party(s.party_id)?;
        if party.role != PartyRole::Responding.as_str() {
            return Err(Error::validation(
                "sanctions",
                "Sanctions are imposed on a responding party.",
            ));
        }
        let allowed = policy.sanctions.get(&s.kind).ok_or_else(|| {
            Error::validation(
                "sanctions",
                format!("{} is not a sanction in the policy.", s.kind),
            )
        })?;
        let may = allowed.iter().any(|who| {
            who == capacity.as_str()
                || (who == "DECISION_MAKER_AFTER_CONVICTION"
                    && capacity == Imposer::DecisionMaker
                    && proc.conviction)
        });
        if !may {
            return Err(Error::rule(
                "R-SAN-1",
                format!(
                    "{} cannot be imposed by the {capacity}; the policy allows: {}.",
                    s.kind,
                    allowed.join(", ")
                ),
            ));
        }
        if s.kind == "FINE" {
            let max = if matches!(capacity, Imposer::Panel | Imposer::Senate) {
                policy.fines.panel_max_pence
            } else {
                policy.fines.decision_maker_max_pence
            };
            match s.amount_pence {
                Some(p) if p >= policy.fines.minimum_pence && p <= max => {}
                _ => {
                    return Err(Error::rule(
                        "R-SAN-1",
                        format!(
                            "A fine imposed by the {capacity} must be between {} and {} pence.",
                            policy.fines.minimum_pence, max
                        ),
                    ));
                }
            }
        }
        if s.kind == "SUSPENSION" {
            let limit = viewer
                .now
                .today()
                .checked_add_months(chrono::Months::new(policy.approvals.suspension_max_months));
            match (s.ends_on, limit) {
                (Some(end), Some(limit)) if end > viewer.now.today() && end <= limit => {}
                _ => {
                    return Err(Error::rule(
                        "R-SAN-1",
                        format!(
                            "A suspension is for a fixed period ending within {} months.",
                            policy.approvals.suspension_max_months
                        ),
                    ));
                }
            }
        }
        if s.justification.trim().is_empty() {
            return Err(Error::rule(
                "R-SAN-2",
                "Every sanction records its justification.",
            ));
        }
        if s.why_not_lesser.trim().is_empty() {
            return Err(Error::rule(
                "R-SAN-2",
                "Every sanction records why lesser sanctions are not appropriate.",
            ));
        }
        let justification = require_text("justification", &s.justification)?;
        let why_not = require_text("whyNotLesser", &s.why_not_lesser)?;
        let approval = match s.kind.as_str() {
            "EXPULSION" => policy.approvals.expulsion.trim(),
            "SUSPENSION" => policy.approvals.suspension_sanction.trim(),
            _ => "",
        };
        sanction::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(bundle.case.id),
            party_id: Set(s.party_id),
            kind: Set(s.kind.clone()),
            amount_pence: Set(s.amount_pence.map(|p| p as i32)),
            imposed_as: Set(capacity.as_str().into()),
            imposed_by: Set(viewer.person_id),
            justification: Set(justification),
            why_not_lesser: Set(why_not),
            ends_on: Set(s.ends_on),
            status: Set(if approval.is_empty() {
                SanctionStatus::Imposed
            } else {
                SanctionStatus::AwaitingApproval
            }
            .as_str()
            .into()),
            approval_by: Set((!approval.is_empty()).then(|| approval.to_string())),
            created_at: Set(viewer.now.at()),
        }
        .insert(db)
        .await?;
    }
    crate::domain::sis::emit_changes(db, viewer.now, bundle.case.id).await?;
    Ok(())
}

/// The students whose previous sanctions those deciding are shown (R-SAN-2):
/// the case's responding parties.
pub fn responding_people(bundle: &CaseBundle) -> Vec<Uuid> {
    bundle
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Responding.as_str())
        .filter_map(|p| p.person_id)
        .collect()
}

/// Sanctions imposed on any of `people` in any case, except those removed on
/// appeal, each with the person it concerns — two queries for any number of
/// people, so a page of cases costs the same as one.
pub async fn of_people(
    db: &impl ConnectionTrait,
    people: &[Uuid],
) -> Result<Vec<(Uuid, sanction::Model)>> {
    let parties = entity::party::Entity::find()
        .filter(entity::party::Column::PersonId.is_in(people.iter().copied()))
        .all(db)
        .await?;
    let rows = sanction::Entity::find()
        .filter(sanction::Column::PartyId.is_in(parties.iter().map(|p| p.id)))
        .filter(sanction::Column::Status.ne(SanctionStatus::Removed.as_str()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|s| {
            let person = parties.iter().find(|p| p.id == s.party_id)?.person_id?;
            Some((person, s))
        })
        .collect())
}

/// R-SAN-2: of the responding students' sanctions, those from other cases.
pub fn previous(bundle: &CaseBundle, theirs: Vec<sanction::Model>) -> Vec<sanction::Model> {
    theirs
        .into_iter()
        .filter(|s| s.case_id != bundle.case.id)
        .collect()
}

/// A sanction awaiting the approval the policy names (e.g. expulsion by the
/// Vice-Chancellor once appeals are exhausted, 004 App. 6) is approved.
pub async fn approve_sanction(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    sanction_id: Uuid,
    approved_by: String,
) -> Result<sanction::Model> {
    let s = sanction::Entity::find_by_id(sanction_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("sanction"))?;
    let (_, rel) = case_store::open(viewer, db, s.case_id)
        .await
        .map_err(access::refusal::hide_case_as("sanction"))?;
    // The sanctioned respondent's own appeal process (000 §35).
    let appeals_concluded = match super::respondents::of_party(db, s.party_id).await? {
        Some(o) => o.concluded_at.is_some(),
        None => state(db, s.case_id).await?.appeals_concluded_at.is_some(),
    };
    access::actions::can_approve_sanction(&rel, appeals_concluded)?;
    if s.status != SanctionStatus::AwaitingApproval.as_str() {
        return Err(Error::Conflict(
            "This sanction is not awaiting approval.".into(),
        ));
    }
    if !appeals_concluded {
        return Err(Error::rule(
            "R-SAN-1",
            "Approval follows the appeal process (004 App. 6).",
        ));
    }
    let approved_by = require_text("approvedBy", &approved_by)?;
    let mut row: sanction::ActiveModel = s.clone().into();
    row.status = Set(SanctionStatus::Imposed.as_str().into());
    row.approval_by = Set(Some(approved_by));
    let row = row.update(db).await?;
    crate::domain::sis::emit_changes(db, viewer.now, s.case_id).await?;
    crate::domain::audit::record(db, viewer, "approveSanction", s.case_id).await?;
    Ok(row)
}
