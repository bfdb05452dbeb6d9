//! Hearings (R-HEA-1…4), sanctions (R-SAN-1, R-SAN-2) and the outcome (R-OUT-1).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{hearing, procedure, sanction};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::*;
use crate::domain::case_store::Change;
use crate::domain::codec;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{
    DeadlineKind, HearingDecision, HearingResponse, Imposer, NotificationKind, SanctionStatus,
    Stage,
};
use crate::domain::lifecycle;
use crate::policy::Policy;

/// R-HEA-3: a panel of three members with no previous involvement.
pub async fn convene_panel(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    members: Vec<Uuid>,
    rule: &'static str,
) -> Result<()> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    let distinct: std::collections::BTreeSet<Uuid> = members.iter().copied().collect();
    if distinct.len() != 3 {
        return Err(Error::rule(
            "R-HEA-3",
            "A panel has three different members.",
        ));
    }
    for m in &distinct {
        if !holds_role(db, *m, StaffRole::PanelMember).await? {
            return Err(Error::validation(
                "memberIds",
                "Every panel member must hold the PANEL_MEMBER role.",
            ));
        }
        check_uninvolved(&bundle, *m, rule)?;
    }
    // A new panel replaces any earlier one on the case.
    use sea_orm::sea_query::Expr;
    entity::case_staff::Entity::update_many()
        .col_expr(
            entity::case_staff::Column::EndedAt,
            Expr::value(Some(viewer.now.at())),
        )
        .filter(entity::case_staff::Column::CaseId.eq(case_id))
        .filter(entity::case_staff::Column::Role.eq(StaffRole::PanelMember.as_str()))
        .filter(entity::case_staff::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    for m in distinct {
        add_staff(db, viewer, case_id, m, StaffRole::PanelMember).await?;
    }
    crate::domain::audit::record(db, viewer, "convenePanel", case_id).await
}

pub struct NewSummons {
    pub scheduled_at: DateTime<Utc>,
    pub location: String,
    pub alleged_breaches: String,
    pub penalty_range: String,
    pub proposed_penalty: String,
    /// Related cases heard together (R-HEA-3, 004 "joint hearings").
    pub joint_cases: Vec<Uuid>,
}

/// R-HEA-1: the summons states the breaches, date, time, place, range of
/// penalties and the penalty proposed if the student does not respond, and is
/// sent at least the policy's notice before the hearing.
pub async fn summon(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    case_id: Uuid,
    input: NewSummons,
) -> Result<hearing::Model> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    if bundle.stage()? != Stage::Hearing {
        return Err(Error::rule(
            "LIFECYCLE",
            "A summons is sent once the case is referred to a hearing.",
        ));
    }
    if active_staff(&bundle, StaffRole::PanelMember).len() != 3 {
        return Err(Error::rule(
            "R-HEA-3",
            "Convene a panel of three before summoning the student.",
        ));
    }
    let location = require_text("location", &input.location)?;
    let breaches = require_text("allegedBreaches", &input.alleged_breaches)?;
    let range = require_text("penaltyRange", &input.penalty_range)?;
    let proposed = require_text("proposedPenalty", &input.proposed_penalty)?;
    let calendar = policy.calendar();
    let on = crate::domain::calendar::uk_date(input.scheduled_at);
    if calendar.working_days_between(viewer.now.today(), on) < policy.deadlines.hearing_notice {
        return Err(Error::rule(
            "R-HEA-1",
            format!(
                "The summons must be sent at least {} working days before the hearing.",
                policy.deadlines.hearing_notice
            ),
        ));
    }
    let mut joint = Vec::new();
    for other in &input.joint_cases {
        let (b, r) = case_store::open(viewer, db, *other).await?;
        if !access::actions::can_hear_jointly(&r)
            || b.stage()? != Stage::Hearing
            || *other == case_id
        {
            return Err(Error::validation(
                "jointCaseIds",
                "Cases heard jointly must each be referred to a hearing.",
            ));
        }
        joint.push(b);
    }
    let response_due = calendar.subtract_working_days(on, policy.deadlines.hearing_response_before);
    // One summons per case of the sitting: each student answers their own.
    let mut primary = None;
    for b in std::iter::once(&bundle).chain(joint.iter()) {
        let others: Vec<Uuid> = std::iter::once(case_id)
            .chain(input.joint_cases.iter().copied())
            .filter(|c| *c != b.case.id)
            .collect();
        let row = hearing::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(b.case.id),
            joint_cases: Set(codec::encode("hearing.joint_cases", &others)?),
            scheduled_at: Set(input.scheduled_at),
            location: Set(location.clone()),
            alleged_breaches: Set(breaches.clone()),
            penalty_range: Set(range.clone()),
            proposed_penalty: Set(proposed.clone()),
            summons_sent_at: Set(viewer.now.at()),
            response_due: Set(Some(response_due)),
            response: Set(None),
            responded_at: Set(None),
            companion: Set(None),
            deemed_acceptance: Set(false),
            votes: Set("[]".into()),
            decision: Set(None),
            decision_reasons: Set(None),
            decided_at: Set(None),
        }
        .insert(db)
        .await?;
        for party in responding_parties(b) {
            deadlines::set_for(
                db,
                viewer.now,
                b.case.id,
                row.id,
                Some(party),
                DeadlineKind::HearingResponse,
                "R-HEA-2",
                response_due,
            )
            .await?;
        }
        let message = format!(
            "You have been summoned to a disciplinary hearing on {}. The summons, what you can do and by when (reply by {response_due}) are in your case. Your case worker can help you prepare.",
            on.format("%-d %B %Y")
        );
        crate::domain::notices::notify_parties(
            db,
            viewer.now,
            policy,
            b,
            &responding_parties(b),
            NotificationKind::HearingSummons,
            &message,
        )
        .await?;
        primary.get_or_insert(row);
    }
    let row = primary.ok_or(Error::NotFound("hearing"))?;
    let decision_due = calendar.add_working_days(on, policy.deadlines.hearing_decision);
    deadlines::set(
        db,
        viewer.now,
        case_id,
        row.id,
        DeadlineKind::HearingDecision,
        "R-HEA-4",
        decision_due,
    )
    .await?;
    crate::domain::audit::record(db, viewer, "summonToHearing", case_id).await?;
    Ok(row)
}

/// R-HEA-2: the student answers (attend, naming any companion; or admit and
/// waive) no later than the response date.
pub async fn respond(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    hearing_id: Uuid,
    response: HearingResponse,
    companion: Option<String>,
) -> Result<hearing::Model> {
    let h = hearing::Entity::find_by_id(hearing_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("hearing"))?;
    let (_, rel) = case_store::open(viewer, db, h.case_id)
        .await
        .map_err(access::refusal::hide_case_as("hearing"))?;
    access::actions::can_respond_to_summons(&rel)?;
    if h.response.is_some() || h.decided_at.is_some() {
        return Err(Error::Conflict(
            "This summons has already been answered.".into(),
        ));
    }
    if h.response_due.is_some_and(|due| viewer.now.today() > due) {
        return Err(Error::rule(
            "R-HEA-2",
            "The response was due two working days before the hearing; no response is deemed acceptance of the allegations.",
        ));
    }
    let companion = companion
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let mut row: hearing::ActiveModel = h.clone().into();
    row.response = Set(Some(response.as_str().into()));
    row.responded_at = Set(Some(viewer.now.at()));
    row.companion = Set(companion);
    let row = row.update(db).await?;
    deadlines::complete(db, viewer.now, h.case_id, DeadlineKind::HearingResponse).await?;
    crate::domain::audit::record(db, viewer, "respondToSummons", h.case_id).await?;
    Ok(row)
}

/// A sanction as the decision maker or panel states it.
#[derive(Debug, Clone)]
pub struct NewSanction {
    pub party_id: Uuid,
    pub kind: String,
    pub amount_pence: Option<u32>,
    pub ends_on: Option<NaiveDate>,
    pub justification: String,
    pub why_not_lesser: String,
}

/// R-SAN-1: the policy's authority table and fine limits; R-SAN-2: a
/// justification including why lesser sanctions do not fit. Sanctions needing
/// approval (policy `approvals`) wait for it.
pub async fn impose_all(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    policy: &Policy,
    bundle: &CaseBundle,
    capacity: Imposer,
    sanctions: &[NewSanction],
) -> Result<()> {
    let proc = state(db, bundle.case.id).await?;
    for s in sanctions {
        let party = bundle.party(s.party_id)?;
        if party.role != PartyRole::Responding.as_str() {
            return Err(Error::validation(
                "sanctions",
                "Sanctions are imposed on a responding party.",
            ));
        }
        let allowed = policy.sanctions.get(&s.kind).ok_or_else(|| {
            Error::validation(
                "sanctions",
                format!("{} is not a sanction in the policy.", s.kind),
            )
        })?;
        let may = allowed.iter().any(|who| {
            who == capacity.as_str()
                || (who == "DECISION_MAKER_AFTER_CONVICTION"
                    && capacity == Imposer::DecisionMaker
                    && proc.conviction)
        });
        if !may {
            return Err(Error::rule(
                "R-SAN-1",
                format!(
                    "{} cannot be imposed by the {capacity}; the policy allows: {}.",
                    s.kind,
                    allowed.join(", ")
                ),
            ));
        }
        if s.kind == "FINE" {
            let max = if capacity == Imposer::Panel {
                policy.fines.panel_max_pence
            } else {
                policy.fines.decision_maker_max_pence
            };
            match s.amount_pence {
                Some(p) if p >= policy.fines.minimum_pence && p <= max => {}
                _ => {
                    return Err(Error::rule(
                        "R-SAN-1",
                        format!(
                            "A fine imposed by the {capacity} must be between {} and {} pence.",
                            policy.fines.minimum_pence, max
                        ),
                    ));
                }
            }
        }
        if s.kind == "SUSPENSION" {
            let limit = viewer
                .now
                .today()
                .checked_add_months(chrono::Months::new(policy.approvals.suspension_max_months));
            match (s.ends_on, limit) {
                (Some(end), Some(limit)) if end > viewer.now.today() && end <= limit => {}
                _ => {
                    return Err(Error::rule(
                        "R-SAN-1",
                        format!(
                            "A suspension is for a fixed period ending within {} months.",
                            policy.approvals.suspension_max_months
                        ),
                    ));
                }
            }
        }
        let justification = require_text("justification", &s.justification)
            .map_err(|_| Error::rule("R-SAN-2", "Every sanction records its justification."))?;
        let why_not = require_text("whyNotLesser", &s.why_not_lesser).map_err(|_| {
            Error::rule(
                "R-SAN-2",
                "Every sanction records why lesser sanctions are not appropriate.",
            )
        })?;
        let approval = match s.kind.as_str() {
            "EXPULSION" => policy.approvals.expulsion.trim(),
            "SUSPENSION" => policy.approvals.suspension_sanction.trim(),
            _ => "",
        };
        sanction::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(bundle.case.id),
            party_id: Set(s.party_id),
            kind: Set(s.kind.clone()),
            amount_pence: Set(s.amount_pence.map(|p| p as i32)),
            imposed_as: Set(capacity.as_str().into()),
            imposed_by: Set(viewer.person_id),
            justification: Set(justification),
            why_not_lesser: Set(why_not),
            ends_on: Set(s.ends_on),
            status: Set(if approval.is_empty() {
                SanctionStatus::Imposed
            } else {
                SanctionStatus::AwaitingApproval
            }
            .as_str()
            .into()),
            approval_by: Set((!approval.is_empty()).then(|| approval.to_string())),
            created_at: Set(viewer.now.at()),
        }
        .insert(db)
        .await?;
    }
    crate::domain::sis::emit_changes(db, viewer.now, bundle.case.id).await?;
    Ok(())
}

/// R-OUT-1: the outcome with reasons; the responding party is notified now and
/// may appeal within the policy's window (R-APP-1).
pub async fn record_outcome(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    reasons: String,
) -> Result<()> {
    record_finding(db, now, policy, bundle, true, reasons).await
}

/// The outcome of a finding. A breach opens the appeal window; no breach
/// removes the record and leaves nothing to appeal (R-APP-1).
pub async fn record_finding(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    breach: bool,
    reasons: String,
) -> Result<()> {
    let mut row: procedure::ActiveModel = state(db, bundle.case.id).await?.into();
    row.breach_found = Set(breach);
    row.outcome_reasons = Set(Some(reasons));
    row.outcome_notified_at = Set(Some(now.at()));
    crate::domain::notices::notify_parties(
        db,
        now,
        policy,
        bundle,
        &responding_parties(bundle),
        NotificationKind::OutcomeRecorded,
        "A decision has been made in your case. Sign in to read it and, where it applies, how and by when you can appeal.",
    )
    .await?;
    if !breach {
        row.removed_from_record = Set(true);
        row.appeals_concluded_at = Set(Some(now.at()));
        row.update(db).await?;
        return Ok(());
    }
    let window = policy
        .calendar()
        .add_working_days(now.today(), policy.deadlines.appeal_window);
    row.appeal_window_ends = Set(Some(window));
    row.update(db).await?;
    for party in responding_parties(bundle) {
        deadlines::set_for(
            db,
            now,
            bundle.case.id,
            party,
            Some(party),
            DeadlineKind::AppealWindow,
            "R-APP-1",
            window,
        )
        .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vote {
    pub member: Uuid,
    pub breach: bool,
}

/// The panel's votes on a hearing (deliberations).
pub fn votes(h: &hearing::Model) -> Result<Vec<Vote>> {
    codec::decode("hearing.votes", &h.votes)
}

/// The other cases heard at the same sitting (R-HEA-3, 004 "joint hearings").
pub fn joint_cases(h: &hearing::Model) -> Result<Vec<Uuid>> {
    codec::decode("hearing.joint_cases", &h.joint_cases)
}

/// R-HEA-3, R-HEA-4: the panel decides by majority; a breach leads to the
/// outcome with sanctions, no breach closes the case and removes the record.
/// With no response by the due date, the allegations are deemed accepted (R-HEA-2).
#[allow(clippy::too_many_arguments)] // viewer, connection, policy, then the decision's own parts
pub async fn decide(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    hearing_id: Uuid,
    votes: Vec<Vote>,
    reasons: String,
    sanctions: Vec<NewSanction>,
    expected_version: i32,
) -> Result<hearing::Model> {
    let h = hearing::Entity::find_by_id(hearing_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("hearing"))?;
    let (bundle, _) = open_as_assigned(
        viewer,
        db,
        h.case_id,
        StaffRole::PanelMember,
        "record the panel's decision",
    )
    .await
    .map_err(access::refusal::hide_case_as("hearing"))?;
    bundle.expect_version(expected_version)?;
    if h.decided_at.is_some() {
        return Err(Error::Conflict("The panel has already decided.".into()));
    }
    let reasons = require_text("reasons", &reasons)?;
    let panel = active_staff(&bundle, StaffRole::PanelMember);
    let mut by_member = BTreeMap::new();
    for v in &votes {
        if !panel.contains(&v.member) {
            return Err(Error::rule(
                "R-HEA-3",
                "Only the convened panel members vote.",
            ));
        }
        by_member.insert(v.member, v.breach);
    }
    if by_member.len() != 3 {
        return Err(Error::rule(
            "R-HEA-3",
            "Record the vote of each of the three panel members.",
        ));
    }
    let deemed = h.response.is_none() && h.response_due.is_some_and(|due| viewer.now.today() > due);
    let admitted = h.response.as_deref() == Some(HearingResponse::AdmitAndWaive.as_str());
    let majority = by_member.values().filter(|b| **b).count() >= 2;
    let breach = deemed || admitted || majority;
    if breach && sanctions.is_empty() {
        return Err(Error::validation(
            "sanctions",
            "A breach found needs the sanction(s) imposed (the proposed penalty if the allegations were admitted or deemed accepted).",
        ));
    }
    // HEARING → OUTCOME whatever the finding (DOMAIN §2).
    let mv = lifecycle::advance(bundle.stage()?, Stage::Outcome)?;
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation: "recordHearingDecision",
            expected_version,
            stage_move: Some((mv, Some(reasons.clone()))),
            columns: vec![],
        },
    )
    .await?;
    let mut row: hearing::ActiveModel = h.clone().into();
    row.votes = Set(codec::encode("hearing.votes", &votes)?);
    row.decision = Set(Some(
        if breach {
            HearingDecision::Breach
        } else {
            HearingDecision::NoBreach
        }
        .as_str()
        .into(),
    ));
    row.decision_reasons = Set(Some(reasons.clone()));
    row.deemed_acceptance = Set(deemed);
    row.decided_at = Set(Some(viewer.now.at()));
    let row = row.update(db).await?;
    deadlines::complete(db, viewer.now, h.case_id, DeadlineKind::HearingDecision).await?;
    deadlines::complete(db, viewer.now, h.case_id, DeadlineKind::HearingResponse).await?;
    let mine: Vec<NewSanction> = sanctions
        .iter()
        .filter(|s| bundle.party(s.party_id).is_ok())
        .cloned()
        .collect();
    conclude_hearing(db, viewer, policy, &bundle, breach, &mine, &reasons).await?;
    // Related cases heard jointly take the same decision, each with its own
    // respondent's sanctions (004 "joint hearings").
    let joint = joint_cases(&h)?;
    for other in joint {
        let Some(b) = case_store::load(db, other).await? else {
            continue;
        };
        let Some(their_hearing) = hearing::Entity::find()
            .filter(hearing::Column::CaseId.eq(other))
            .filter(hearing::Column::ScheduledAt.eq(h.scheduled_at))
            .filter(hearing::Column::DecidedAt.is_null())
            .one(db)
            .await?
        else {
            continue;
        };
        // Deemed acceptance and admission are each student's own (R-HEA-2).
        let their_deemed = their_hearing.response.is_none()
            && their_hearing
                .response_due
                .is_some_and(|due| viewer.now.today() > due);
        let their_admitted =
            their_hearing.response.as_deref() == Some(HearingResponse::AdmitAndWaive.as_str());
        let their_breach = their_deemed || their_admitted || majority;
        let theirs: Vec<NewSanction> = sanctions
            .iter()
            .filter(|s| b.party(s.party_id).is_ok())
            .cloned()
            .collect();
        if their_breach && theirs.is_empty() {
            return Err(Error::validation(
                "sanctions",
                "Name the sanction(s) for each case heard jointly.",
            ));
        }
        let mv = lifecycle::advance(b.stage()?, Stage::Outcome)?;
        let change = Change {
            operation: "recordHearingDecision",
            expected_version: b.case.version,
            stage_move: Some((mv, Some(reasons.clone()))),
            columns: vec![],
        };
        case_store::save(db, viewer, &b, change).await?;
        let mut decided: hearing::ActiveModel = their_hearing.into();
        decided.votes = Set(codec::encode("hearing.votes", &votes)?);
        decided.decision = Set(Some(
            if their_breach {
                HearingDecision::Breach
            } else {
                HearingDecision::NoBreach
            }
            .as_str()
            .into(),
        ));
        decided.decision_reasons = Set(Some(reasons.clone()));
        decided.deemed_acceptance = Set(their_deemed);
        decided.decided_at = Set(Some(viewer.now.at()));
        decided.update(db).await?;
        deadlines::complete(db, viewer.now, other, DeadlineKind::HearingResponse).await?;
        conclude_hearing(db, viewer, policy, &b, their_breach, &theirs, &reasons).await?;
    }
    Ok(row)
}

async fn conclude_hearing(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    policy: &Policy,
    bundle: &CaseBundle,
    breach: bool,
    sanctions: &[NewSanction],
    reasons: &str,
) -> Result<()> {
    if breach {
        impose_all(db, viewer, policy, bundle, Imposer::Panel, sanctions).await?;
    }
    record_finding(db, viewer.now, policy, bundle, breach, reasons.to_string()).await
}

/// R-APP-1: when the window passes unused, the outcome stands and the case closes.
pub async fn close_after_appeal_window(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    expected_version: i32,
) -> Result<()> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    bundle.expect_version(expected_version)?;
    let proc = state(db, case_id).await?;
    if proc
        .appeal_window_ends
        .is_some_and(|end| viewer.now.today() <= end)
    {
        return Err(Error::rule("R-APP-1", "The appeal window is still open."));
    }
    let mv = lifecycle::advance(bundle.stage()?, Stage::Closed)?;
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation: "closeAfterAppealWindow",
            expected_version,
            stage_move: Some((mv, None)),
            columns: vec![],
        },
    )
    .await?;
    conclude_appeals(db, viewer.now, case_id).await
}

/// R-OUT-2: from now on the reporting party may learn the outcome.
pub async fn conclude_appeals(db: &impl ConnectionTrait, now: Now, case_id: Uuid) -> Result<()> {
    let mut p: procedure::ActiveModel = state(db, case_id).await?.into();
    p.appeals_concluded_at = Set(Some(now.at()));
    p.update(db).await?;
    deadlines::complete(db, now, case_id, DeadlineKind::AppealWindow).await
}

/// Sanctions of the same student in other cases, shown to decision makers (R-SAN-2).
pub async fn previous_sanctions(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
) -> Result<Vec<sanction::Model>> {
    let people: Vec<Uuid> = bundle
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Responding.as_str())
        .filter_map(|p| p.person_id)
        .collect();
    if people.is_empty() {
        return Ok(vec![]);
    }
    let their_parties: Vec<Uuid> = entity::party::Entity::find()
        .filter(entity::party::Column::PersonId.is_in(people))
        .filter(entity::party::Column::CaseId.ne(bundle.case.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    Ok(sanction::Entity::find()
        .filter(sanction::Column::PartyId.is_in(their_parties))
        .filter(sanction::Column::Status.ne(SanctionStatus::Removed.as_str()))
        .all(db)
        .await?)
}

/// A sanction awaiting the approval the policy names (e.g. expulsion by the
/// Vice-Chancellor once appeals are exhausted, 004 App. 6) is approved.
pub async fn approve_sanction(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    sanction_id: Uuid,
    approved_by: String,
) -> Result<sanction::Model> {
    let s = sanction::Entity::find_by_id(sanction_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("sanction"))?;
    let (_, rel) = case_store::open(viewer, db, s.case_id)
        .await
        .map_err(access::refusal::hide_case_as("sanction"))?;
    let appeals_concluded = state(db, s.case_id).await?.appeals_concluded_at.is_some();
    access::actions::can_approve_sanction(&rel, appeals_concluded)?;
    if s.status != SanctionStatus::AwaitingApproval.as_str() {
        return Err(Error::Conflict(
            "This sanction is not awaiting approval.".into(),
        ));
    }
    if !appeals_concluded {
        return Err(Error::rule(
            "R-SAN-1",
            "Approval follows the appeal process (004 App. 6).",
        ));
    }
    let approved_by = require_text("approvedBy", &approved_by)?;
    let mut row: sanction::ActiveModel = s.clone().into();
    row.status = Set(SanctionStatus::Imposed.as_str().into());
    row.approval_by = Set(Some(approved_by));
    let row = row.update(db).await?;
    crate::domain::sis::emit_changes(db, viewer.now, s.case_id).await?;
    crate::domain::audit::record(db, viewer, "approveSanction", s.case_id).await?;
    Ok(row)
}
