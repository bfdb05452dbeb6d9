//! R-DISC-7 (000 §12, §43): when a student whose disclosure a member of staff
//! forwarded has not replied after two contact attempts, Student Support and
//! the Cause for Concern group decide with the forwarding member of staff
//! whether to act further, and why. The decision is kept with the case (the
//! forwarder sees its outcome in `forwardedDisclosures`) and each one is on the
//! timeline of the student's side with its reasons.

use entity::{case, contact_attempt};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, Change};
use crate::domain::disclosures::require_text;
use crate::domain::kinds::TimelineKind;
use crate::domain::reports::reporting_party;
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

/// Contact attempts before the decision is due (R-DISC-3, R-DISC-7).
const ATTEMPTS: usize = 2;

pub async fn record(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    act_further: bool,
    reasons: &str,
    expected_version: i32,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let reporter = reporting_party(&bundle)?;
    access::actions::can_record_follow_up_decision(&rel, reporter.id)?;
    bundle.expect_version(expected_version)?;
    let reasons = require_text("reasons", reasons)?;
    if bundle.case.forwarded_by.is_none() {
        return Err(Error::rule(
            "R-DISC-7",
            "Only a disclosure forwarded by a member of staff is decided with the forwarder.",
        ));
    }
    let attempts = contact_attempt::Entity::find()
        .filter(contact_attempt::Column::CaseId.eq(case_id))
        .all(db)
        .await?;
    if attempts.iter().any(|a| a.student_responded) {
        return Err(Error::rule(
            "R-DISC-7",
            "The student has replied: there is no follow-up to decide.",
        ));
    }
    if attempts.len() < ATTEMPTS {
        return Err(Error::rule(
            "R-DISC-7",
            format!(
                "The decision follows {ATTEMPTS} unanswered contact attempts; {} recorded so far.",
                attempts.len()
            ),
        ));
    }
    let change = Change {
        operation: "recordFollowUpDecision",
        expected_version,
        stage_move: None,
        columns: vec![
            (
                case::Column::FollowUpDecidedAt,
                Expr::value(Some(viewer.now.at())),
            ),
            (
                case::Column::FollowUpActFurther,
                Expr::value(Some(act_further)),
            ),
            (
                case::Column::FollowUpReasons,
                Expr::value(Some(reasons.clone())),
            ),
            (
                case::Column::FollowUpDecidedBy,
                Expr::value(Some(viewer.person_id)),
            ),
        ],
    };
    case_store::save(db, viewer, &bundle, change).await?;
    let event = Event::new(TimelineKind::FollowUpDecided)
        .party(reporter.id)
        .reason(Some(reasons));
    timeline::record(db, viewer, case_id, event).await
}
