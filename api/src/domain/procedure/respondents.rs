//! Each responding party's own outcome (000 §35; issue 10 item 2): with
//! several responding parties, the finding, the appeal and the end of the
//! appeal process are per respondent. One student's appeal does not hold
//! another's outcome, and R-OUT-2 is judged per respondent. The case closes
//! when every respondent's appeal process has concluded.

use entity::{appeal, deadline, respondent_outcome};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::domain::clock::Now;
use crate::domain::deadlines;
use crate::domain::kinds::{DeadlineKind, Stage};
use crate::error::Result;

/// Where one respondent's outcome stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Found in breach; the appeal window has not been used or has not passed.
    Appealable,
    /// Their appeal is being decided.
    UnderAppeal,
    /// Their appeal process has concluded (or there was nothing to appeal).
    Concluded,
}

/// One respondent's outcome with what the views need beside it.
#[derive(Debug, Clone)]
pub struct RespondentOutcome {
    pub row: respondent_outcome::Model,
    /// Their last day to appeal, as pauses and extensions moved it (R-TIME-3).
    pub appeal_window_ends: Option<chrono::NaiveDate>,
    pub standing: Standing,
}

/// Records the finding for one respondent. No breach leaves nothing to
/// appeal: their process concludes at once (R-APP-1).
pub async fn record(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    party: Uuid,
    breach: bool,
) -> Result<()> {
    respondent_outcome::ActiveModel {
        party_id: Set(party),
        case_id: Set(case_id),
        breach_found: Set(breach),
        removed_from_record: Set(!breach),
        concluded_at: Set((!breach).then(|| now.at())),
        created_at: Set(now.at()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The respondents' outcomes on a case, with their windows and standing.
pub async fn of_case(db: &impl ConnectionTrait, case_id: Uuid) -> Result<Vec<RespondentOutcome>> {
    let rows = respondent_outcome::Entity::find()
        .filter(respondent_outcome::Column::CaseId.eq(case_id))
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let windows = deadline::Entity::find()
        .filter(deadline::Column::CaseId.eq(case_id))
        .filter(deadline::Column::Kind.eq(DeadlineKind::AppealWindow.as_str()))
        .all(db)
        .await?;
    let appeals = appeal::Entity::find()
        .filter(appeal::Column::CaseId.eq(case_id))
        .all(db)
        .await?;
    Ok(assemble(rows, &windows, &appeals))
}

/// Each respondent's outcome with their window (from the case's deadlines)
/// and standing (from its appeals).
pub fn assemble(
    rows: Vec<respondent_outcome::Model>,
    deadlines: &[deadline::Model],
    appeals: &[appeal::Model],
) -> Vec<RespondentOutcome> {
    rows.into_iter()
        .map(|row| {
            let appeal_window_ends = deadlines
                .iter()
                .filter(|w| {
                    w.kind == DeadlineKind::AppealWindow.as_str()
                        && w.party_id == Some(row.party_id)
                })
                .map(|w| w.due_on)
                .max();
            let standing = if row.concluded_at.is_some() {
                Standing::Concluded
            } else if appeals.iter().any(|a| a.party_id == row.party_id) {
                Standing::UnderAppeal
            } else {
                Standing::Appealable
            };
            RespondentOutcome {
                row,
                appeal_window_ends,
                standing,
            }
        })
        .collect()
}

/// A finding as the reporting party is told it (R-OUT-2): the same words in
/// the portal and in her letter.
pub fn finding_told(breach_found: bool, removed_from_record: bool) -> &'static str {
    match (breach_found, removed_from_record) {
        (_, true) => "Dismissed and removed from the record",
        (true, false) => "Breach found",
        (false, false) => "No breach found",
    }
}

/// One respondent's outcome, if one was recorded.
pub async fn of_party(
    db: &impl ConnectionTrait,
    party: Uuid,
) -> Result<Option<respondent_outcome::Model>> {
    Ok(respondent_outcome::Entity::find_by_id(party)
        .one(db)
        .await?)
}

/// Concludes `parties`' appeal processes (their windows passed unused, or
/// their appeal was decided), removing the finding from their record where the
/// appeal did. Returns whether every respondent's process has now concluded.
pub async fn conclude(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    parties: &[Uuid],
    removed_from_record: bool,
) -> Result<bool> {
    let mut update = respondent_outcome::Entity::update_many()
        .col_expr(
            respondent_outcome::Column::ConcludedAt,
            Expr::value(now.at()),
        )
        .filter(respondent_outcome::Column::PartyId.is_in(parties.iter().copied()));
    if removed_from_record {
        update = update.col_expr(
            respondent_outcome::Column::RemovedFromRecord,
            Expr::value(true),
        );
    }
    update.exec(db).await?;
    for party in parties {
        deadlines::complete_subject(db, now, *party, DeadlineKind::AppealWindow).await?;
    }
    let open = respondent_outcome::Entity::find()
        .filter(respondent_outcome::Column::CaseId.eq(case_id))
        .filter(respondent_outcome::Column::ConcludedAt.is_null())
        .count(db)
        .await?;
    Ok(open == 0)
}

/// The stage a party is shown for one responding party's part of the case
/// (000 §36 with §35): concluded once their appeal process is over, at appeal
/// while theirs is decided, at outcome while the case is at APPEAL for
/// another's; otherwise the case's own stage.
pub fn stage_of(outcomes: &[RespondentOutcome], party: Uuid, case_stage: Stage) -> Stage {
    match outcomes.iter().find(|o| o.row.party_id == party) {
        Some(o) => match o.standing {
            Standing::Concluded => Stage::Closed,
            Standing::UnderAppeal => Stage::Appeal,
            Standing::Appealable if case_stage == Stage::Appeal => Stage::Outcome,
            Standing::Appealable => case_stage,
        },
        None => case_stage,
    }
}

/// Whether every respondent's finding was removed from their record (the case
/// as a whole then counts as removed).
pub async fn all_removed(db: &impl ConnectionTrait, case_id: Uuid) -> Result<bool> {
    let rows = respondent_outcome::Entity::find()
        .filter(respondent_outcome::Column::CaseId.eq(case_id))
        .all(db)
        .await?;
    Ok(!rows.is_empty() && rows.iter().all(|r| r.removed_from_record))
}
