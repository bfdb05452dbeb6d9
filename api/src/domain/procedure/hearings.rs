//! Hearings (R-HEA-1…4): the panel, the summons, the student's response and
//! the panel's decision, which imposes sanctions and records the outcome.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::hearing;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::outcome::record_finding;
use super::sanctions::{NewSanction, impose_all};
use super::*;
use crate::domain::calendar::uk_date;
use crate::domain::case_store::Change;
use crate::domain::codec;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{
    DeadlineKind, HearingDecision, HearingResponse, Imposer, NotificationKind, Stage,
};
use crate::domain::lifecycle;
use crate::policy::{Policy, PolicyBook};

const APPEAL_PANEL_SIZE: usize = 3;

/// R-HEA-3: a panel of the policy's size (an appeal panel: three) whose
/// members have no previous involvement.
pub async fn convene_panel(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    members: Vec<Uuid>,
    for_appeal: bool,
) -> Result<()> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    // R-HEA-3; R-HEA-5: a single hearing officer, or the body a hearing
    // referred the case to, where the policy says so. An appeal panel is
    // always three (R-APP-3).
    let (size, rule) = if for_appeal {
        (APPEAL_PANEL_SIZE, "R-IND-4")
    } else {
        (
            super::referral::bench(db, policy, case_id).await?.size,
            "R-IND-3",
        )
    };
    let distinct: std::collections::BTreeSet<Uuid> = members.iter().copied().collect();
    if distinct.len() != size {
        return Err(Error::rule(
            "R-HEA-3",
            if size == 1 {
                "Under this procedure a single hearing officer hears the case: name one."
                    .to_string()
            } else {
                format!("A panel has {size} different members.")
            },
        ));
    }
    for m in &distinct {
        if !holds_role(db, *m, StaffRole::PanelMember).await? {
            return Err(Error::validation(
                "memberIds",
                "Every panel member must hold the PANEL_MEMBER role.",
            ));
        }
        check_uninvolved(db, &bundle, *m, rule).await?;
    }
    // A new panel replaces any earlier one on the case.
    stand_down_panel(db, viewer.now, case_id).await?;
    for m in distinct {
        add_staff(db, viewer, case_id, m, StaffRole::PanelMember).await?;
    }
    crate::domain::audit::record(db, viewer, "convenePanel", case_id).await
}

/// Ends the current panel's assignment to the case.
pub async fn stand_down_panel(
    db: &impl ConnectionTrait,
    now: crate::domain::clock::Now,
    case_id: Uuid,
) -> Result<()> {
    use sea_orm::sea_query::Expr;
    entity::case_staff::Entity::update_many()
        .col_expr(
            entity::case_staff::Column::EndedAt,
            Expr::value(Some(now.at())),
        )
        .filter(entity::case_staff::Column::CaseId.eq(case_id))
        .filter(entity::case_staff::Column::Role.eq(StaffRole::PanelMember.as_str()))
        .filter(entity::case_staff::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
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
    policies: &PolicyBook,
    case_id: Uuid,
    input: NewSummons,
) -> Result<hearing::Model> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    if bundle.stage()? != Stage::Hearing {
        return Err(Error::rule(
            "LIFECYCLE",
            "A summons is sent once the case is referred to a hearing.",
        ));
    }
    let bench = super::referral::bench(db, policy, case_id).await?;
    if active_staff(&bundle, StaffRole::PanelMember).len() != bench.size {
        return Err(Error::rule(
            "R-HEA-3",
            "Convene the hearing panel (or the hearing officer) before summoning the student.",
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
            attended: Set(None),
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
        let summons = crate::domain::letters::triggers::Summons {
            hearing: row.id,
            rearranged: false,
            at: input.scheduled_at,
            place: &location,
            alleged_breaches: &breaches,
            penalty_range: &range,
            proposed_penalty: &proposed,
            response_due,
        };
        crate::domain::letters::triggers::on_summons(db, viewer.now, policy, b, &summons).await?;
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
    policies: &PolicyBook,
    hearing_id: Uuid,
    response: HearingResponse,
    companion: Option<String>,
) -> Result<hearing::Model> {
    let h = hearing::Entity::find_by_id(hearing_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("hearing"))?;
    let (bundle, rel) = case_store::open(viewer, db, h.case_id)
        .await
        .map_err(access::refusal::hide_case_as("hearing"))?;
    access::actions::can_respond_to_summons(&rel)?;
    let policy = policies.for_case(db, &bundle.case).await?;
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
    let notice = policy.deadlines.companion_notice_before;
    let last_day = policy
        .calendar()
        .subtract_working_days(uk_date(h.scheduled_at), notice);
    if companion.is_some() && viewer.now.today() > last_day {
        return Err(Error::rule(
            "R-HEA-2",
            format!(
                "A companion is named at least {notice} working days before the hearing (by {last_day})."
            ),
        ));
    }
    let mut row: hearing::ActiveModel = h.clone().into();
    row.response = Set(Some(response.as_str().into()));
    row.responded_at = Set(Some(viewer.now.at()));
    row.companion = Set(companion);
    let row = row.update(db).await?;
    deadlines::complete(db, viewer.now, h.case_id, DeadlineKind::HearingResponse).await?;
    crate::domain::audit::record(db, viewer, "respondToSummons", h.case_id).await?;
    Ok(row)
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
#[expect(
    clippy::too_many_arguments,
    reason = "viewer, connection, policy, then the decision's own parts"
)]
pub async fn decide(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    hearing_id: Uuid,
    votes: Vec<Vote>,
    reasons: String,
    sanctions: Vec<NewSanction>,
    expected_version: i32,
) -> Result<hearing::Model> {
    let (h, bundle) = open_for_panel(viewer, db, hearing_id, expected_version).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    if h.decided_at.is_some() {
        return Err(Error::Conflict("The panel has already decided.".into()));
    }
    super::hearing_evidence::none_pending(db, h.id).await?;
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
    let bench = super::referral::bench(db, policy, h.case_id).await?;
    let size = bench.size;
    if by_member.len() != size || panel.len() != size {
        return Err(Error::rule(
            "R-HEA-3",
            format!("Record the finding of each of the {size} who heard the case."),
        ));
    }
    let deemed = deemed_acceptance(db, viewer.now, policy, &bundle, &h).await?;
    let admitted = h.response.as_deref() == Some(HearingResponse::AdmitAndWaive.as_str());
    let majority = by_member.values().filter(|b| **b).count() > size / 2;
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
    let powers = bench.imposer;
    conclude_hearing(db, viewer, policy, &bundle, powers, breach, &mine, &reasons).await?;
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
        let their_deemed = deemed_acceptance(db, viewer.now, policy, &b, &their_hearing).await?;
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
        conclude_hearing(
            db,
            viewer,
            policy,
            &b,
            powers,
            their_breach,
            &theirs,
            &reasons,
        )
        .await?;
    }
    Ok(row)
}

/// A hearing and its case, opened for a member of the convened panel at the
/// case's version they read; the hearing stays unknown to anyone else.
pub(super) async fn open_for_panel(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    hearing_id: Uuid,
    expected_version: i32,
) -> Result<(hearing::Model, CaseBundle)> {
    let h = hearing::Entity::find_by_id(hearing_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("hearing"))?;
    let (bundle, _) = open_for(
        viewer,
        db,
        h.case_id,
        access::actions::can_record_hearing_decision,
    )
    .await
    .map_err(access::refusal::hide_case_as("hearing"))?;
    bundle.expect_version(expected_version)?;
    Ok((h, bundle))
}

/// R-HEA-2: no response by the due date, or not attending, is deemed
/// acceptance of the allegations — but only where the summons reached every
/// responding party in time (R-HEA-1: its notice before the hearing, counted
/// from the day the letter was delivered, not the day it was written).
async fn deemed_acceptance(
    db: &impl ConnectionTrait,
    now: crate::domain::clock::Now,
    policy: &Policy,
    bundle: &CaseBundle,
    h: &hearing::Model,
) -> Result<bool> {
    let silent = h.response.is_none() && h.response_due.is_some_and(|due| now.today() > due);
    let absent = h.attended == Some(false)
        && h.response.as_deref() != Some(HearingResponse::AdmitAndWaive.as_str());
    if !silent && !absent {
        return Ok(false);
    }
    let calendar = policy.calendar();
    let hearing_day = uk_date(h.scheduled_at);
    for party in responding_parties(bundle) {
        let delivered = crate::domain::letters::delivered_about(db, party, h.id).await?;
        let in_time = delivered.is_some_and(|day| {
            calendar.working_days_between(day, hearing_day) >= policy.deadlines.hearing_notice
        });
        if !in_time {
            return Ok(false);
        }
    }
    Ok(true)
}

#[expect(
    clippy::too_many_arguments,
    reason = "connection, viewer, policy, the case, then the decision's own parts"
)]
async fn conclude_hearing(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    policy: &Policy,
    bundle: &CaseBundle,
    powers: Imposer,
    breach: bool,
    sanctions: &[NewSanction],
    reasons: &str,
) -> Result<()> {
    if breach {
        impose_all(db, viewer, policy, bundle, powers, sanctions).await?;
    }
    let in_breach = if breach {
        responding_parties(bundle)
    } else {
        vec![]
    };
    record_finding(
        db,
        viewer.now,
        policy,
        bundle,
        &in_breach,
        reasons.to_string(),
    )
    .await
}
