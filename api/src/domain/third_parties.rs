//! Third parties (000 §15): someone affected by what happened who is not a
//! witness — a flatmate, a friend the reporting student confided in — is
//! offered support on the case without becoming a party to the procedure. They
//! are a party of their own kind (`AFFECTED`): only they and their case
//! worker(s) know they are there; they see their own support and nothing of
//! the case; the procedure, the other parties and the CfC group never see them.

use entity::party;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store;
use crate::domain::disclosures::assign_case_worker;
use crate::domain::kinds::{PartyRole, TimelineKind};
use crate::domain::parties::{require_open, student};
use crate::domain::timeline::Event;
use crate::domain::viewer::Viewer;
use crate::error::Result;

/// Adds the student with this SIS number as a third party affected, and
/// allocates their case worker in the same transaction (until then nobody
/// else could see them to allocate one).
pub async fn offer_support(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    sis_number: &str,
    case_worker: Uuid,
    expected_version: i32,
) -> Result<party::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_offer_support_to_third_party(&rel)?;
    bundle.expect_version(expected_version)?;
    require_open(&bundle)?;
    let person = student(db, &bundle, sis_number.trim()).await?;
    let now = viewer.now.at();
    let row = party::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        person_id: Set(Some(person.id)),
        role: Set(PartyRole::Affected.as_str().into()),
        described_as: Set(None),
        identity_withheld: Set(false),
        informed_at: Set(None),
        case_worker_offered_at: Set(Some(now)),
        preferred_channel: Set(None),
        friday_contact_agreed: Set(false),
        added_at: Set(now),
        employment: Set(None),
        staff_procedure_at: Set(None),
        staff_procedure_referred_to: Set(None),
        measure_notified_at: Set(None),
    }
    .insert(db)
    .await?;
    case_store::save_with_event(
        db,
        viewer,
        &bundle,
        "offerSupportToAffectedPerson",
        expected_version,
        Event::new(TimelineKind::AffectedPersonSupported).party(row.id),
    )
    .await?;
    assign_case_worker(viewer, db, case_id, row.id, case_worker).await?;
    Ok(row)
}
