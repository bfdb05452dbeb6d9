//! Referral to the Cause for Concern group (R-TRI-3). Every conduct case is
//! referred at triage; a case (a disclosure too) may be referred earlier when
//! someone's safety or wellbeing is at urgent risk — the duty-of-care route of
//! the procedures (000 §24 and §43: the case worker and the CfC group assess
//! the risk; 002: the University's safeguarding responsibilities). Only from
//! referral may the group's members see the case, its risk assessments and
//! measures; an early referral keeps its reason and is audited.

use entity::case;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::Expr;
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, Change};
use crate::domain::disclosures::require_text;
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

pub async fn refer_for_urgent_risk(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    expected_version: i32,
    reason: &str,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_refer_to_cfc(&rel)?;
    bundle.expect_version(expected_version)?;
    if let Some(at) = bundle.case.cfc_referred_at {
        return Err(Error::rule(
            "R-TRI-3",
            format!(
                "This case was already referred to the Cause for Concern group on {}.",
                at.date_naive()
            ),
        ));
    }
    if bundle.case.closed_at.is_some() {
        return Err(Error::validation(
            "caseId",
            "This case is closed; open a new disclosure for a new concern.",
        ));
    }
    let reason = require_text("urgentReason", reason)?;
    let change = Change {
        operation: "referToCauseForConcern",
        expected_version,
        stage_move: None,
        columns: vec![
            (case::Column::CfcReferredAt, Expr::value(viewer.now.at())),
            (case::Column::CfcUrgentReason, Expr::value(reason)),
        ],
    };
    case_store::save(db, viewer, &bundle, change).await
}
