//! Appeals (R-APP-1…4).

use chrono::Months;
use entity::{appeal, review_request, sanction};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::outcome::conclude_appeals;
use super::respondents;
use super::sanctions::{NewSanction, impose_all};
use super::*;
use crate::domain::case_store::Change;
use crate::domain::codec;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{
    AppealGround, AppealStatus, DeadlineKind, Imposer, ReviewKind, ReviewStatus, SanctionStatus,
    Stage,
};
use crate::domain::lifecycle;
use crate::policy::{Policy, PolicyBook};

/// R-APP-1, R-APP-2: only a responding party found in breach, themselves,
/// within the window, on at least one ground, stating the evidence.
pub async fn lodge(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    grounds: Vec<AppealGround>,
    statement: String,
) -> Result<appeal::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let party = access::actions::can_lodge_appeal(&rel)?;
    let stage = bundle.stage()?;
    let appealable = respondents::of_party(db, party)
        .await?
        .is_some_and(|o| o.breach_found && !o.removed_from_record && o.concluded_at.is_none());
    if !matches!(stage, Stage::Outcome | Stage::Appeal) || !appealable {
        return Err(Error::rule(
            "R-APP-1",
            "An appeal is possible only against an outcome that found a breach.",
        ));
    }
    let already = appeal::Entity::find()
        .filter(appeal::Column::CaseId.eq(case_id))
        .filter(appeal::Column::PartyId.eq(party))
        .one(db)
        .await?;
    if already.is_some() {
        return Err(Error::rule(
            "R-APP-1",
            "You have already appealed against this outcome; an outcome is appealed once.",
        ));
    }
    // The party's own window, as pauses moved it (R-TIME-3).
    let window = deadlines::open_for_party(db, case_id, party, DeadlineKind::AppealWindow).await?;
    if window.is_none_or(|w| viewer.now.today() > w.due_on) {
        return Err(Error::rule(
            "R-APP-1",
            format!(
                "Appeals must be lodged within {} working days of being notified.",
                policy.deadlines.appeal_window
            ),
        ));
    }
    if grounds.is_empty() {
        return Err(Error::rule(
            "R-APP-2",
            "Give at least one ground of appeal.",
        ));
    }
    let allowed = policy.appeal_grounds();
    if let Some(other) = grounds.iter().find(|g| !allowed.contains(g)) {
        return Err(Error::rule(
            "R-APP-2",
            format!(
                "{other} is not a ground of appeal under this procedure ({}); the grounds are {}.",
                policy.version,
                allowed
                    .iter()
                    .map(|g| g.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if statement.trim().is_empty() {
        return Err(Error::rule(
            "R-APP-2",
            "The appeal must state the evidence for its grounds.",
        ));
    }
    let statement = require_text("statement", &statement)?;
    // The first appeal moves the case to APPEAL; a further respondent's
    // appeal joins it there.
    let stage_move = if stage == Stage::Outcome {
        Some((lifecycle::advance(Stage::Outcome, Stage::Appeal)?, None))
    } else {
        None
    };
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation: "lodgeAppeal",
            expected_version: bundle.case.version,
            stage_move,
            columns: vec![],
        },
    )
    .await?;
    let row = appeal::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party),
        grounds: Set(codec::encode_enums(
            "appeal.grounds",
            &grounds,
            AppealGround::as_str,
        )?),
        statement: Set(statement),
        lodged_at: Set(viewer.now.at()),
        status: Set(AppealStatus::Lodged.as_str().into()),
        review_reasons: Set(None),
        reviewed_by: Set(None),
        completion_of_procedures_on: Set(None),
        oiahe_deadline: Set(None),
        panel_votes: Set("[]".into()),
        panel_reasons: Set(None),
        decided_at: Set(None),
        recommended_sanctions: Set(None),
        final_decision_by: Set(None),
    }
    .insert(db)
    .await?;
    deadlines::complete_subject(db, viewer.now, party, DeadlineKind::AppealWindow).await?;
    let due = policy
        .calendar()
        .add_working_days(viewer.now.today(), policy.deadlines.appeal_decision);
    deadlines::set(
        db,
        viewer.now,
        case_id,
        row.id,
        DeadlineKind::AppealDecision,
        "R-APP-3",
        due,
    )
    .await?;
    crate::domain::letters::triggers::on_appeal_lodged(db, viewer.now, policy, &bundle, &row, due)
        .await?;
    Ok(row)
}

/// What an appeal reviewer decides (R-APP-3).
pub enum ReviewOutcome {
    /// No grounds: the Completion of Procedures letter is issued.
    Reject,
    /// Correct the sanction or the irregularity: replacement sanctions.
    Correct(Vec<NewSanction>),
    /// Refer to an appeal panel.
    Refer,
}

fn complete_procedures(row: &mut appeal::ActiveModel, now: Now, policy: &Policy) {
    let on = now.today();
    row.completion_of_procedures_on = Set(Some(on));
    row.oiahe_deadline =
        Set(on.checked_add_months(Months::new(policy.deadlines.oiahe_complaint_months)));
    row.decided_at = Set(Some(now.at()));
}

async fn load(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    appeal_id: Uuid,
) -> Result<(appeal::Model, CaseBundle, Relation)> {
    let a = appeal::Entity::find_by_id(appeal_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("appeal"))?;
    let (bundle, rel) = case_store::open(viewer, db, a.case_id)
        .await
        .map_err(access::refusal::hide_case_as("appeal"))?;
    access::actions::can_open_appeal(&rel, a.party_id)?;
    Ok((a, bundle, rel))
}

/// A decision on an appeal names sanctions for the appellant only: another
/// respondent's outcome is not reopened by it (000 §35).
fn appellants_only(appeal: &appeal::Model, sanctions: &[NewSanction]) -> Result<()> {
    if sanctions.iter().any(|s| s.party_id != appeal.party_id) {
        return Err(Error::validation(
            "sanctions",
            "A decision on an appeal replaces only the appellant's sanctions.",
        ));
    }
    Ok(())
}

/// Replaces the appellant's sanctions — only theirs: another respondent's
/// outcome is not reopened by this appeal (000 §35).
async fn substitute(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    policy: &Policy,
    bundle: &CaseBundle,
    appeal: &appeal::Model,
    capacity: Imposer,
    sanctions: &[NewSanction],
) -> Result<()> {
    appellants_only(appeal, sanctions)?;
    sanction::Entity::update_many()
        .col_expr(
            sanction::Column::Status,
            Expr::value(SanctionStatus::Substituted.as_str()),
        )
        .filter(sanction::Column::CaseId.eq(bundle.case.id))
        .filter(sanction::Column::PartyId.eq(appeal.party_id))
        .filter(sanction::Column::Status.ne(SanctionStatus::Removed.as_str()))
        .exec(db)
        .await?;
    impose_all(db, viewer, policy, bundle, capacity, sanctions).await
}

/// The appellant's appeal process has concluded: their outcome may now be
/// told (R-OUT-2 per respondent). Returns whether the case's whole appeal
/// process has concluded, i.e. whether it closes.
async fn conclude_appellant(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    appeal: &appeal::Model,
    removed_from_record: bool,
) -> Result<bool> {
    let all = respondents::conclude(
        db,
        now,
        appeal.case_id,
        &[appeal.party_id],
        removed_from_record,
    )
    .await?;
    crate::domain::letters::triggers::on_appeals_concluded(
        db,
        now,
        policy,
        bundle,
        &[appeal.party_id],
    )
    .await?;
    if all {
        conclude_appeals(db, now, bundle).await?;
    }
    Ok(all)
}

pub async fn review(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    appeal_id: Uuid,
    outcome: ReviewOutcome,
    reasons: String,
    expected_version: i32,
) -> Result<appeal::Model> {
    let (a, bundle, rel) = load(viewer, db, appeal_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_review_appeal(&rel)?;
    bundle.expect_version(expected_version)?;
    if a.status != AppealStatus::Lodged.as_str() {
        return Err(Error::Conflict(
            "This appeal has already been reviewed.".into(),
        ));
    }
    let reasons = require_text("reasons", &reasons)?;
    let mut row: appeal::ActiveModel = a.clone().into();
    row.review_reasons = Set(Some(reasons.clone()));
    row.reviewed_by = Set(Some(viewer.person_id));
    let closes = match outcome {
        ReviewOutcome::Reject => {
            row.status = Set(AppealStatus::Rejected.as_str().into());
            complete_procedures(&mut row, viewer.now, policy);
            true
        }
        ReviewOutcome::Correct(sanctions) => {
            substitute(
                db,
                viewer,
                policy,
                &bundle,
                &a,
                Imposer::DecisionMaker,
                &sanctions,
            )
            .await?;
            row.status = Set(AppealStatus::Corrected.as_str().into());
            complete_procedures(&mut row, viewer.now, policy);
            true
        }
        ReviewOutcome::Refer => {
            row.status = Set(AppealStatus::ReferredToPanel.as_str().into());
            false
        }
    };
    let row = row.update(db).await?;
    let case_closes = if closes {
        deadlines::complete_subject(db, viewer.now, a.id, DeadlineKind::AppealDecision).await?;
        crate::domain::letters::triggers::on_appeal_concluded(
            db, viewer.now, policy, &bundle, &row,
        )
        .await?;
        conclude_appellant(db, viewer.now, policy, &bundle, &a, false).await?
    } else {
        let due = deadlines::open_for(db, row.id, DeadlineKind::AppealDecision)
            .await?
            .map(|d| d.due_on);
        crate::domain::letters::triggers::on_appeal_referred(
            db, viewer.now, policy, &bundle, &row, due,
        )
        .await?;
        false
    };
    let stage_move = if case_closes {
        Some((
            lifecycle::advance(Stage::Appeal, Stage::Closed)?,
            Some(reasons),
        ))
    } else {
        None
    };
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation: "reviewAppeal",
            expected_version,
            stage_move,
            columns: vec![],
        },
    )
    .await?;
    Ok(row)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PanelOutcome {
    Uphold,
    Substitute,
    DismissCase,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PanelVote {
    pub member: Uuid,
    pub outcome: PanelOutcome,
}

/// R-APP-3: the appeal panel (three uninvolved members, R-IND-4) decides by
/// majority: uphold, substitute another decision, or dismiss the case and
/// remove the record. The letter completes internal procedures.
#[expect(
    clippy::too_many_arguments,
    reason = "viewer, connection, policy, then the decision's own parts"
)]
pub async fn decide(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    appeal_id: Uuid,
    votes: Vec<PanelVote>,
    reasons: String,
    substitute_sanctions: Vec<NewSanction>,
    expected_version: i32,
) -> Result<appeal::Model> {
    let (a, bundle, rel) = load(viewer, db, appeal_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_decide_appeal(&rel)?;
    bundle.expect_version(expected_version)?;
    if a.status != AppealStatus::ReferredToPanel.as_str() {
        return Err(Error::rule(
            "R-APP-3",
            "Only an appeal referred to a panel is decided by one.",
        ));
    }
    let reasons = require_text("reasons", &reasons)?;
    let panel = active_staff(&bundle, StaffRole::PanelMember);
    let mut by_member = std::collections::BTreeMap::new();
    for v in &votes {
        if !panel.contains(&v.member) {
            return Err(Error::rule(
                "R-HEA-3",
                "Only the convened appeal panel votes.",
            ));
        }
        by_member.insert(v.member, v.outcome);
    }
    if by_member.len() != 3 {
        return Err(Error::rule(
            "R-HEA-3",
            "Record the vote of each of the three panel members.",
        ));
    }
    // One vote per member, as counted.
    let votes: Vec<PanelVote> = by_member
        .into_iter()
        .map(|(member, outcome)| PanelVote { member, outcome })
        .collect();
    let outcome = majority(&votes)?;
    if outcome == PanelOutcome::Substitute && substitute_sanctions.is_empty() {
        return Err(Error::validation(
            "substituteSanctions",
            "Name the decision substituted.",
        ));
    }
    let final_by = policy.appeals.final_decision_by.trim();
    if !final_by.is_empty() {
        // R-APP-5: the panel recommends; the officer the policy names decides.
        appellants_only(&a, &substitute_sanctions)?;
        let mut row: appeal::ActiveModel = a.clone().into();
        row.status = Set(AppealStatus::Recommended.as_str().into());
        row.panel_votes = Set(codec::encode("appeal.panel_votes", &votes)?);
        row.panel_reasons = Set(Some(reasons));
        row.recommended_sanctions = Set(Some(codec::encode(
            "appeal.recommended_sanctions",
            &substitute_sanctions,
        )?));
        let row = row.update(db).await?;
        case_store::save(
            db,
            viewer,
            &bundle,
            Change {
                operation: "decideAppeal",
                expected_version,
                stage_move: None,
                columns: vec![],
            },
        )
        .await?;
        return Ok(row);
    }
    let mut row: appeal::ActiveModel = a.clone().into();
    row.panel_votes = Set(codec::encode("appeal.panel_votes", &votes)?);
    row.panel_reasons = Set(Some(reasons.clone()));
    let decision = FinalDecision {
        outcome,
        reasons,
        sanctions: substitute_sanctions,
        expected_version,
        operation: "decideAppeal",
    };
    conclude_with(db, viewer, policy, &bundle, &a, row, decision).await
}

/// The panel's majority among its three votes (R-APP-3).
fn majority(votes: &[PanelVote]) -> Result<PanelOutcome> {
    let count = |o: PanelOutcome| votes.iter().filter(|v| v.outcome == o).count();
    [
        PanelOutcome::Uphold,
        PanelOutcome::Substitute,
        PanelOutcome::DismissCase,
    ]
    .into_iter()
    .find(|o| count(*o) >= 2)
    .ok_or_else(|| {
        Error::rule(
            "R-APP-3",
            "The panel has no majority; it must agree by at least two votes.",
        )
    })
}

/// What finally decides an appeal referred to a panel: the panel's own
/// decision, or the named officer's on its recommendation (R-APP-5).
struct FinalDecision {
    outcome: PanelOutcome,
    reasons: String,
    sanctions: Vec<NewSanction>,
    expected_version: i32,
    operation: &'static str,
}

/// Applies the final decision on an appeal: the appellant's sanctions stand,
/// are replaced or are removed with the record; procedures complete for them.
async fn conclude_with(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    policy: &Policy,
    bundle: &CaseBundle,
    a: &appeal::Model,
    mut row: appeal::ActiveModel,
    decision: FinalDecision,
) -> Result<appeal::Model> {
    let status = match decision.outcome {
        PanelOutcome::Uphold => AppealStatus::Upheld,
        PanelOutcome::Substitute => {
            substitute(
                db,
                viewer,
                policy,
                bundle,
                a,
                Imposer::Panel,
                &decision.sanctions,
            )
            .await?;
            AppealStatus::Substituted
        }
        PanelOutcome::DismissCase => {
            sanction::Entity::update_many()
                .col_expr(
                    sanction::Column::Status,
                    Expr::value(SanctionStatus::Removed.as_str()),
                )
                .filter(sanction::Column::CaseId.eq(a.case_id))
                .filter(sanction::Column::PartyId.eq(a.party_id))
                .exec(db)
                .await?;
            crate::domain::sis::emit_changes(db, viewer.now, a.case_id).await?;
            AppealStatus::CaseDismissed
        }
    };
    row.status = Set(status.as_str().into());
    complete_procedures(&mut row, viewer.now, policy);
    let row = row.update(db).await?;
    deadlines::complete_subject(db, viewer.now, a.id, DeadlineKind::AppealDecision).await?;
    crate::domain::letters::triggers::on_appeal_concluded(db, viewer.now, policy, bundle, &row)
        .await?;
    let dismissed = status == AppealStatus::CaseDismissed;
    let case_closes = conclude_appellant(db, viewer.now, policy, bundle, a, dismissed).await?;
    let stage_move = if case_closes {
        Some((
            lifecycle::advance(Stage::Appeal, Stage::Closed)?,
            Some(decision.reasons),
        ))
    } else {
        None
    };
    case_store::save(
        db,
        viewer,
        bundle,
        Change {
            operation: decision.operation,
            expected_version: decision.expected_version,
            stage_move,
            columns: vec![],
        },
    )
    .await?;
    Ok(row)
}

/// R-APP-5: the conduct team records the final decision the policy's named
/// officer took on an appeal panel's recommendation: accepted, the
/// recommendation takes effect; not accepted, the outcome appealed against
/// stands (upheld). Either way procedures complete for the appellant.
#[expect(
    clippy::too_many_arguments,
    reason = "viewer, connection, policy, then the decision's own parts"
)]
pub async fn record_final_decision(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    appeal_id: Uuid,
    accepted: bool,
    decided_by: String,
    reasons: String,
    expected_version: i32,
) -> Result<appeal::Model> {
    let (a, bundle, rel) = load(viewer, db, appeal_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_record_final_appeal_decision(&rel)?;
    bundle.expect_version(expected_version)?;
    if a.status != AppealStatus::Recommended.as_str() {
        return Err(Error::rule(
            "R-APP-5",
            "Only an appeal panel's recommendation awaits a final decision.",
        ));
    }
    let decided_by = require_text("decidedBy", &decided_by)?;
    let reasons = require_text("reasons", &reasons)?;
    let votes: Vec<PanelVote> = codec::decode("appeal.panel_votes", &a.panel_votes)?;
    let recommended: Vec<NewSanction> = match &a.recommended_sanctions {
        Some(text) => codec::decode("appeal.recommended_sanctions", text)?,
        None => vec![],
    };
    let (outcome, sanctions) = if accepted {
        (majority(&votes)?, recommended)
    } else {
        (PanelOutcome::Uphold, vec![])
    };
    let mut row: appeal::ActiveModel = a.clone().into();
    row.final_decision_by = Set(Some(decided_by));
    let decision = FinalDecision {
        outcome,
        reasons,
        sanctions,
        expected_version,
        operation: "recordFinalAppealDecision",
    };
    conclude_with(db, viewer, policy, &bundle, &a, row, decision).await
}

/// R-APP-4: a reporting party cannot appeal, but may ask for an informal
/// review; it is recorded and never changes the outcome.
pub async fn request_informal_review(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    text: String,
) -> Result<review_request::Model> {
    let (_, rel) = case_store::open(viewer, db, case_id).await?;
    let party = access::actions::can_request_informal_review(&rel)?;
    let text = require_text("request", &text)?;
    let row = super::insert_review_request(
        db,
        viewer.now,
        case_id,
        party,
        ReviewKind::InformalReview,
        text,
        ReviewStatus::Recorded,
    )
    .await?;
    crate::domain::audit::record(db, viewer, "requestInformalReview", case_id).await?;
    Ok(row)
}

pub fn grounds(row: &appeal::Model) -> Result<Vec<AppealGround>> {
    codec::decode_enums("appeal.grounds", &row.grounds, AppealGround::from_db)
}
