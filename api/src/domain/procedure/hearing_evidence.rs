//! R-HEA-6: documentary evidence for a hearing reaches the panel and the
//! parties at least `deadlines.hearing_evidence_before` working days before
//! it. Evidence given later is PENDING: only the procedure and the side that
//! gave it see it, until a member of the panel — as its chair — admits it
//! (then it is before the panel and shared like any other) or refuses it. The
//! panel does not decide while any is pending.

use entity::{evidence, hearing};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::*;
use crate::domain::calendar::uk_date;
use crate::domain::kinds::EvidenceAdmission;
use crate::policy::Policy;

/// The hearing evidence given now is for, and whether it is late.
pub struct ForHearing {
    pub hearing: Uuid,
    pub late: bool,
}

/// The case's hearing still to be decided, for evidence given now.
pub async fn for_hearing(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    case_id: Uuid,
) -> Result<ForHearing> {
    let h = hearing::Entity::find()
        .filter(hearing::Column::CaseId.eq(case_id))
        .filter(hearing::Column::DecidedAt.is_null())
        .order_by_desc(hearing::Column::ScheduledAt)
        .one(db)
        .await?
        .ok_or_else(|| {
            Error::rule(
                "R-HEA-6",
                "There is no hearing awaiting its decision to give evidence for.",
            )
        })?;
    let days = policy
        .calendar()
        .working_days_between(now.today(), uk_date(h.scheduled_at));
    Ok(ForHearing {
        hearing: h.id,
        late: days < policy.deadlines.hearing_evidence_before,
    })
}

/// Whether an item awaits the chair's permission.
pub fn pending(row: &evidence::Model) -> bool {
    row.admission.as_deref() == Some(EvidenceAdmission::Pending.as_str())
}

/// Whether an item is not before the panel: late evidence awaiting the
/// chair, or refused.
pub fn unadmitted(row: &evidence::Model) -> bool {
    pending(row) || row.admission.as_deref() == Some(EvidenceAdmission::Refused.as_str())
}

/// A member of the panel admits or refuses a late item.
pub async fn decide_admission(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    evidence_id: Uuid,
    admit: bool,
) -> Result<evidence::Model> {
    let row = evidence::Entity::find_by_id(evidence_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("evidence"))?;
    open_for(
        viewer,
        db,
        row.case_id,
        access::actions::can_admit_late_evidence,
    )
    .await
    .map_err(access::refusal::hide_case_as("evidence"))?;
    if !pending(&row) {
        return Err(Error::Conflict(
            "Only late evidence awaiting the chair's permission is admitted or refused.".into(),
        ));
    }
    let decided = if admit {
        EvidenceAdmission::Admitted
    } else {
        EvidenceAdmission::Refused
    };
    evidence::Entity::update_many()
        .col_expr(evidence::Column::Admission, Expr::value(decided.as_str()))
        .col_expr(
            evidence::Column::AdmissionBy,
            Expr::value(Some(viewer.person_id)),
        )
        .col_expr(
            evidence::Column::AdmissionAt,
            Expr::value(Some(viewer.now.at())),
        )
        .filter(evidence::Column::Id.eq(row.id))
        .exec(db)
        .await?;
    crate::domain::audit::record(db, viewer, "admitLateEvidence", row.case_id).await?;
    evidence::Entity::find_by_id(evidence_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("evidence"))
}

/// R-HEA-6: the panel decides once every late item has been admitted or refused.
pub async fn none_pending(db: &impl ConnectionTrait, hearing_id: Uuid) -> Result<()> {
    let waiting = evidence::Entity::find()
        .filter(evidence::Column::HearingId.eq(hearing_id))
        .filter(evidence::Column::Admission.eq(EvidenceAdmission::Pending.as_str()))
        .one(db)
        .await?;
    if waiting.is_some() {
        return Err(Error::rule(
            "R-HEA-6",
            "Late evidence awaits the chair's permission: admit or refuse it before the panel decides.",
        ));
    }
    Ok(())
}
