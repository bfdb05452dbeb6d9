//! Moving one open case to the policy version now in force (issue 11 item 1).
//! A case follows the version it was opened under; when a university decides
//! an open case should follow the new procedure (a correction, a regulator's
//! instruction), an administrator moves it. Deadlines already set keep their
//! dates; later rules read the new version. The move is on the case's timeline.

use entity::case;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::Expr;
use uuid::Uuid;

use crate::domain::access::roles;
use crate::domain::case_store::{self, Change};
use crate::domain::kinds::TimelineKind;
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::PolicyBook;

pub async fn move_to_current(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    expected_version: i32,
) -> Result<()> {
    roles::can_administer(viewer, "move a case to the current policy version")?;
    let bundle = case_store::load(db, case_id)
        .await?
        .ok_or(Error::NotFound("case"))?;
    bundle.expect_version(expected_version)?;
    let current = policies.current();
    let from = bundle.case.policy_version.clone();
    if from == current.version {
        return Err(Error::validation(
            "caseId",
            format!("This case already follows policy version {from}."),
        ));
    }
    if bundle.case.closed_at.is_some() {
        return Err(Error::validation(
            "caseId",
            "A concluded case keeps the policy version it ran under.",
        ));
    }
    let change = Change {
        operation: "moveCaseToCurrentPolicy",
        expected_version,
        stage_move: None,
        columns: vec![(
            case::Column::PolicyVersion,
            Expr::value(current.version.clone()),
        )],
    };
    case_store::save(db, viewer, &bundle, change).await?;
    let event = Event::new(TimelineKind::PolicyVersionChanged).reason(Some(format!(
        "Policy version {from} replaced by {}",
        current.version
    )));
    timeline::record(db, viewer, case_id, event).await
}
