//! R-DISC-6 (002 §2): a responding party who is a member of staff or a
//! contractor is not subject to student discipline. Student Support (or the
//! conduct team) records that they are, and where the matter was referred —
//! the staff (HR) procedure, or the contractor's employer. From then on no
//! formal report under the student procedure can name them (R-REP-1 is
//! refused naming R-DISC-6), while everything for the reporting student goes
//! on: her support, her supportive measures (R-SUP-6), an urgent referral to
//! the Cause for Concern group. The statistics count the case, with its own
//! outcome (`STAFF_PROCEDURE`).

use entity::party;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{Employment, PartyRole, TimelineKind};
use crate::domain::reports::reporting_party;
use crate::domain::timeline::Event;
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

const RULE: &str = "R-DISC-6";

pub async fn route(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    employment: Employment,
    referred_to: &str,
    expected_version: i32,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let reporter = reporting_party(&bundle)?;
    access::actions::can_route_to_staff_procedure(&rel, reporter.id)?;
    bundle.expect_version(expected_version)?;
    let party = bundle.party(party_id)?;
    if party.role != PartyRole::Responding.as_str() {
        return Err(Error::validation(
            "partyId",
            "Only a responding party is routed to the staff procedure.",
        ));
    }
    if let Some(at) = party.staff_procedure_at {
        return Err(Error::rule(
            RULE,
            format!(
                "This party was routed to the staff procedure on {}.",
                at.date_naive()
            ),
        ));
    }
    if bundle.case.report_submitted_at.is_some() {
        return Err(Error::rule(
            RULE,
            "The student procedure has begun on this case: the conduct team closes or withdraws it before the matter goes to the staff procedure.",
        ));
    }
    let referred_to = require_text("referredTo", referred_to)?;
    party::Entity::update_many()
        .col_expr(
            party::Column::Employment,
            Expr::value(Some(employment.as_str())),
        )
        .col_expr(
            party::Column::StaffProcedureAt,
            Expr::value(Some(viewer.now.at())),
        )
        .col_expr(
            party::Column::StaffProcedureReferredTo,
            Expr::value(Some(referred_to.clone())),
        )
        .filter(party::Column::Id.eq(party_id))
        .exec(db)
        .await?;
    let event = Event::new(TimelineKind::RoutedToStaffProcedure)
        .party(party_id)
        .reason(Some(format!("{employment}: referred to {referred_to}")));
    case_store::save_with_event(
        db,
        viewer,
        &bundle,
        "routeToStaffProcedure",
        expected_version,
        event,
    )
    .await
}

/// R-REP-1 with R-DISC-6: a formal report cannot name a routed party.
pub fn refuse_report_naming(parties: &[&party::Model]) -> Result<()> {
    match parties.iter().find(|p| p.staff_procedure_at.is_some()) {
        Some(p) => Err(Error::rule(
            RULE,
            format!(
                "{} is a member of staff or a contractor, routed to the staff procedure ({}): a formal report under the student procedure can name students only.",
                p.described_as.as_deref().unwrap_or("A responding party"),
                p.staff_procedure_referred_to
                    .as_deref()
                    .unwrap_or("referred"),
            ),
        )),
        None => Ok(()),
    }
}
