//! Consent to share with departments, and information shared (R-SUP-4).

use entity::{information_share, sharing_consent};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::disclosures::require_text;
use crate::domain::kinds::{Department, TimelineKind};
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

use super::open_for_support;

pub async fn record_sharing_consent(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    department: Department,
    granted: bool,
) -> Result<sharing_consent::Model> {
    open_for_support(viewer, db, case_id, party_id, true).await?;
    let row = sharing_consent::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        department: Set(department.as_str().into()),
        granted: Set(granted),
        recorded_by: Set(viewer.person_id),
        recorded_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::ConsentRecorded).party(party_id),
        "recordSharingConsent",
    )
    .await?;
    Ok(row)
}

/// The consent in force per department: the latest record for each.
pub async fn current_consents(
    db: &impl ConnectionTrait,
    party_id: Uuid,
) -> Result<Vec<sharing_consent::Model>> {
    let rows = sharing_consent::Entity::find()
        .filter(sharing_consent::Column::PartyId.eq(party_id))
        .all(db)
        .await?;
    Ok(latest_per_department(rows))
}

/// The latest consent record per department is the one in force.
pub fn latest_per_department(mut rows: Vec<sharing_consent::Model>) -> Vec<sharing_consent::Model> {
    rows.sort_by_key(|r| std::cmp::Reverse((r.recorded_at, r.id)));
    let mut seen = std::collections::BTreeSet::new();
    rows.into_iter()
        .filter(|r| seen.insert(r.department.clone()))
        .collect()
}

/// R-SUP-4: information goes to a department only with the student's consent in force.
pub async fn share_information(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    department: Department,
    details: String,
) -> Result<information_share::Model> {
    open_for_support(viewer, db, case_id, party_id, false).await?;
    let details = require_text("details", &details)?;
    let consents = current_consents(db, party_id).await?;
    if !consents
        .iter()
        .any(|c| c.department == department.as_str() && c.granted)
    {
        return Err(Error::rule(
            "R-SUP-4",
            format!("The student has not consented to information being shared with {department}."),
        ));
    }
    let row = information_share::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        department: Set(department.as_str().into()),
        details: Set(details),
        shared_by: Set(viewer.person_id),
        shared_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::InformationShared).party(party_id),
        "shareInformation",
    )
    .await?;
    Ok(row)
}
