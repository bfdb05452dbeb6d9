//! Legal holds (issue 12 item 1): a case under a hold — litigation, a
//! complaint to the OIAHE, a request from the police — is not removed by the
//! retention job (nor are its recordings) until the hold is released. Placing
//! and releasing are case changes like any other: versioned and audited.

use entity::case;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::Expr;
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, Change};
use crate::domain::disclosures::require_text;
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::Policy;

/// Loads the case for a hold: the DPO and administrators act by id without
/// any other relation to the case; anyone else needs the relation.
async fn open_for_hold(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    case_id: Uuid,
) -> Result<case_store::CaseBundle> {
    let bundle = case_store::load(db, case_id)
        .await?
        .ok_or(Error::NotFound("case"))?;
    let rel = access::relation(viewer, &bundle.case, &bundle.parties, &bundle.staff);
    access::actions::can_hold_case(&rel, viewer, policy).map_err(|e| match e {
        Error::Concealed(thing, _) => Error::Concealed(thing, Some(case_id)),
        other => other,
    })?;
    Ok(bundle)
}

pub async fn place(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    case_id: Uuid,
    expected_version: i32,
    reason: &str,
) -> Result<()> {
    let bundle = open_for_hold(viewer, db, policy, case_id).await?;
    bundle.expect_version(expected_version)?;
    if let Some(at) = bundle.case.legal_hold_at {
        return Err(Error::validation(
            "caseId",
            format!(
                "This case has been under a legal hold since {}.",
                at.date_naive()
            ),
        ));
    }
    let reason = require_text("reason", reason)?;
    let change = Change {
        operation: "placeLegalHold",
        expected_version,
        stage_move: None,
        columns: vec![
            (
                case::Column::LegalHoldAt,
                Expr::value(Some(viewer.now.at())),
            ),
            (case::Column::LegalHoldReason, Expr::value(Some(reason))),
            (
                case::Column::LegalHoldBy,
                Expr::value(Some(viewer.person_id)),
            ),
        ],
    };
    case_store::save(db, viewer, &bundle, change).await
}

pub async fn release(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    case_id: Uuid,
    expected_version: i32,
) -> Result<()> {
    let bundle = open_for_hold(viewer, db, policy, case_id).await?;
    bundle.expect_version(expected_version)?;
    if bundle.case.legal_hold_at.is_none() {
        return Err(Error::validation(
            "caseId",
            "This case is not under a legal hold.",
        ));
    }
    let change = Change {
        operation: "releaseLegalHold",
        expected_version,
        stage_move: None,
        columns: vec![
            (
                case::Column::LegalHoldAt,
                Expr::value(None::<chrono::DateTime<chrono::Utc>>),
            ),
            (case::Column::LegalHoldReason, Expr::value(None::<String>)),
            (case::Column::LegalHoldBy, Expr::value(None::<Uuid>)),
        ],
    };
    case_store::save(db, viewer, &bundle, change).await
}
