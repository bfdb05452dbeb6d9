//! Support for one party: contact attempts (R-DISC-3), options conversations and
//! choices (R-SUP-1, R-SUP-2, in `options`), consent to share (R-SUP-4, in
//! `consent`), support notes (R-SUP-5), supportive measures (R-SUP-6, in
//! `supportive`) and the preferred channel (R-OUT-1).

mod consent;
mod options;
pub mod supportive;

pub use consent::{
    current_consents, latest_per_department, record_sharing_consent, share_information,
};
pub use options::{
    NewConversation, change_options_choice, check_choice, chosen, irreversible_actions,
    irreversible_from, latest_conversation, offered, record_options_conversation, submitted_report,
};

use entity::{contact_attempt, support_note};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::communications;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{ContactMethod, TimelineKind};
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::Result;
use crate::policy::PolicyBook;

/// Opens a case for work on one party's support: the viewer must be that
/// party's case worker, or (where `party_may_act`) the party themselves.
pub(crate) async fn open_for_support(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    party_may_act: bool,
) -> Result<CaseBundle> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_act_for_party(&rel, bundle.party(party_id)?, party_may_act)?;
    Ok(bundle)
}

pub async fn record_contact_attempt(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    party_id: Uuid,
    method: ContactMethod,
    student_responded: bool,
) -> Result<contact_attempt::Model> {
    let bundle = open_for_support(viewer, db, case_id, party_id, false).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let row = contact_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        made_by: Set(viewer.person_id),
        made_at: Set(viewer.now.at()),
        method: Set(method.as_str().into()),
        student_responded: Set(student_responded),
    }
    .insert(db)
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::ContactAttempted).party(party_id),
        "recordContactAttempt",
    )
    .await?;
    communications::on_contact_attempt(
        db,
        viewer.now,
        policy,
        &bundle.case,
        party_id,
        student_responded,
    )
    .await?;
    Ok(row)
}

pub async fn add_support_note(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    body: String,
    shared_with_party: bool,
) -> Result<support_note::Model> {
    open_for_support(viewer, db, case_id, party_id, false).await?;
    let body = require_text("body", &body)?;
    let row = support_note::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        author_id: Set(viewer.person_id),
        body: Set(body),
        shared_with_party: Set(shared_with_party),
        created_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::SupportNoteAdded).party(party_id),
        "addSupportNote",
    )
    .await?;
    Ok(row)
}

/// R-OUT-1: each party states how they want to be told (the party, or their case worker).
pub async fn set_preferred_channel(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    channel: crate::domain::kinds::PreferredChannel,
) -> Result<()> {
    open_for_support(viewer, db, case_id, party_id, true).await?;
    use sea_orm::sea_query::Expr;
    entity::party::Entity::update_many()
        .col_expr(
            entity::party::Column::PreferredChannel,
            Expr::value(Some(channel.as_str())),
        )
        .filter(entity::party::Column::Id.eq(party_id))
        .exec(db)
        .await?;
    crate::domain::audit::record(db, viewer, "setPreferredChannel", case_id).await
}
