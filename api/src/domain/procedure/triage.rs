//! Triage (R-TRI-1…3), staff assignment (R-INV-1, R-IND-3, R-IND-4), decisions
//! (R-DEC-1) and informal resolution (R-INF-1).

use entity::procedure;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::*;
use crate::domain::case_store::Change;
use crate::domain::codec;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{Classification, DeadlineKind, DecisionOption, Stage};
use crate::domain::lifecycle;
use crate::policy::PolicyBook;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AllegedBreach {
    pub description: String,
    pub level: String,
    /// The kind of breach routing reads (R-TRI-2); GENERAL unless the
    /// policy's `triage.breach_kinds` names another. Breaches classified
    /// before kinds existed read as GENERAL.
    #[serde(default = "general")]
    pub kind: String,
}

fn general() -> String {
    "GENERAL".into()
}

/// R-TRI-2: where the policy routes a case with these breaches — the first
/// of its `triage.routes` that takes them, else `routing` by the highest level.
pub fn route(
    policy: &crate::policy::Policy,
    breaches: &[AllegedBreach],
    highest: Classification,
) -> Option<String> {
    policy
        .triage
        .routes
        .iter()
        .find(|r| {
            (r.levels.is_empty() || r.levels.iter().any(|l| l == highest.as_str()))
                && (r.only_kinds.is_empty()
                    || breaches.iter().all(|b| r.only_kinds.contains(&b.kind)))
        })
        .map(|r| r.to.clone())
        .or_else(|| policy.routing.get(highest.as_str()).cloned())
}

/// The alleged breaches as classified at triage (none before triage).
pub fn alleged_breaches(p: &procedure::Model) -> Result<Vec<AllegedBreach>> {
    match &p.alleged_breaches {
        Some(text) => codec::decode("procedure.alleged_breaches", text),
        None => Ok(vec![]),
    }
}

/// R-TRI-1: the highest level of the alleged breaches; R-TRI-2: routed by
/// policy; R-TRI-3: referred to the Cause for Concern group.
pub async fn triage(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    breaches: Vec<(String, Classification, Option<String>)>,
    expected_version: i32,
) -> Result<()> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    bundle.expect_version(expected_version)?;
    if breaches.is_empty() {
        return Err(Error::validation(
            "allegedBreaches",
            "List the alleged breaches to classify.",
        ));
    }
    let kinds = policy.triage.kinds();
    let mut list = Vec::new();
    for (description, level, kind) in &breaches {
        let kind = kind.as_deref().unwrap_or("GENERAL");
        if !kinds.contains(&kind) {
            return Err(Error::validation(
                "allegedBreaches",
                format!(
                    "{kind} is not a kind of breach under this procedure ({}); the kinds are {}.",
                    policy.version,
                    kinds.join(", ")
                ),
            ));
        }
        list.push(AllegedBreach {
            description: require_text("allegedBreaches", description)?,
            level: level.as_str().into(),
            kind: kind.into(),
        });
    }
    let highest = breaches
        .iter()
        .map(|(_, l, _)| *l)
        .max()
        .unwrap_or(Classification::Low);
    let stage = bundle.stage()?;
    // Re-classifying during triage is allowed; there is no appeal against it (R-TRI-1).
    let stage_move = if stage == Stage::Triage {
        None
    } else {
        Some((lifecycle::advance(stage, Stage::Triage)?, None))
    };
    // R-TRI-3: referred to the CfC group now, unless already referred early.
    let referral = bundle.case.cfc_referred_at.is_none().then(|| {
        (
            entity::case::Column::CfcReferredAt,
            sea_orm::sea_query::Expr::value(viewer.now.at()),
        )
    });
    let change = Change {
        operation: "triageCase",
        expected_version,
        stage_move,
        columns: referral.into_iter().collect(),
    };
    case_store::save(db, viewer, &bundle, change).await?;
    let now = viewer.now.at();
    let mut row: procedure::ActiveModel = state(db, case_id).await?.into();
    row.classification = Set(Some(highest.as_str().into()));
    row.alleged_breaches = Set(Some(codec::encode("procedure.alleged_breaches", &list)?));
    row.routed_to = Set(route(policy, &list, highest));
    row.triaged_by = Set(Some(viewer.person_id));
    row.triaged_at = Set(Some(now));
    row.update(db).await?;
    deadlines::complete(db, viewer.now, case_id, DeadlineKind::AcknowledgeReport).await
}

/// Assigns an investigator, decision maker or appeal reviewer (conduct team).
pub async fn assign(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    person: Uuid,
    role: StaffRole,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let reported = bundle.case.report_submitted_at.is_some();
    access::actions::can_assign_staff(&rel, role, reported)?;
    if !holds_role(db, person, role).await? {
        return Err(Error::validation(
            "personId",
            format!("This person does not hold the {role} role."),
        ));
    }
    if bundle.parties.iter().any(|p| p.person_id == Some(person)) {
        return Err(Error::rule(
            "R-IND-3",
            "A party to the case cannot be assigned to run it.",
        ));
    }
    match role {
        StaffRole::Investigator => {
            if active_staff(&bundle, StaffRole::Investigator).contains(&person) {
                return Err(Error::Conflict(
                    "This investigator is already assigned.".into(),
                ));
            }
            if active_staff(&bundle, StaffRole::Investigator).len() >= 2 {
                return Err(Error::rule(
                    "R-INV-1",
                    "A case has one or two investigators.",
                ));
            }
            if bundle
                .staff
                .iter()
                .any(|s| s.person_id == person && s.role == StaffRole::CaseWorker.as_str())
            {
                return Err(Error::rule(
                    "R-IND-2",
                    "A case worker on this case cannot investigate it.",
                ));
            }
        }
        StaffRole::DecisionMaker => check_uninvolved(db, &bundle, person, "R-IND-3").await?,
        StaffRole::AppealReviewer => check_uninvolved(db, &bundle, person, "R-IND-4").await?,
        _ => {
            return Err(Error::validation(
                "role",
                "Assign INVESTIGATOR, DECISION_MAKER or APPEAL_REVIEWER here; panels are convened.",
            ));
        }
    }
    add_staff(db, viewer, case_id, person, role).await?;
    let change = Change {
        operation: "assignStaff",
        expected_version: bundle.case.version,
        stage_move: None,
        columns: vec![],
    };
    case_store::save(db, viewer, &bundle, change).await
}

/// TRIAGE → INVESTIGATION: R-REP-2 must hold, and an investigator is assigned.
pub async fn start_investigation(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    expected_version: i32,
) -> Result<()> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    bundle.expect_version(expected_version)?;
    let mv = lifecycle::advance(bundle.stage()?, Stage::Investigation)?;
    if bundle.case.respondent_may_be_informed != Some(true) {
        return Err(Error::rule(
            "R-REP-2",
            "The reporting party has not agreed that the responding party may be told, so the investigation cannot proceed.",
        ));
    }
    if active_staff(&bundle, StaffRole::Investigator).is_empty() {
        return Err(Error::rule(
            "R-INV-1",
            "Assign one or two investigators first.",
        ));
    }
    let target = viewer.now.today()
        + chrono::Duration::days(i64::from(
            policy.deadlines.investigation_target_calendar_days,
        ));
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation: "startInvestigation",
            expected_version,
            stage_move: Some((mv, None)),
            columns: vec![],
        },
    )
    .await?;
    let mut row: procedure::ActiveModel = state(db, case_id).await?.into();
    row.investigation_target_on = Set(Some(target));
    row.update(db).await?;
    deadlines::complete(
        db,
        viewer.now,
        case_id,
        DeadlineKind::DecideWhetherToInvestigate,
    )
    .await?;
    deadlines::set(
        db,
        viewer.now,
        case_id,
        case_id,
        DeadlineKind::InvestigationTarget,
        "R-INV-1",
        target,
    )
    .await
}

/// R-INF-1: the reporting party's express consent to informal resolution.
pub async fn consent_to_informal_resolution(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
) -> Result<()> {
    let (_, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_consent_to_informal_resolution(&rel)?;
    let mut row: procedure::ActiveModel = state(db, case_id).await?.into();
    row.informal_consent_at = Set(Some(viewer.now.at()));
    row.update(db).await?;
    crate::domain::audit::record(db, viewer, "consentToInformalResolution", case_id).await
}

/// The judgement R-INF-1 requires before informal resolution.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InformalJudgement {
    pub safeguarding: String,
    pub risk_to_victim: String,
    pub risk_to_community: String,
    pub could_be_criminal_offence: bool,
}

pub struct NewDecision {
    pub option: DecisionOption,
    pub reasons: String,
    pub informal: Option<InformalJudgement>,
    pub sanctions: Vec<super::sanctions::NewSanction>,
    /// For SANCTION with several responding parties: those found not in
    /// breach (000 §35). Every other responding party is given a sanction.
    pub not_in_breach: Vec<Uuid>,
}

/// A SANCTION decision finds each responding party in breach or not (000
/// §35): everyone it names as not in breach is a responding party of the case
/// and gets no sanction; every other responding party gets at least one; and
/// at least one is found in breach.
fn findings_are_complete(bundle: &CaseBundle, input: &NewDecision) -> Result<()> {
    let respondents = responding_parties(bundle);
    if input.sanctions.is_empty() {
        return Err(Error::validation(
            "sanctions",
            "Name the sanction(s) imposed.",
        ));
    }
    if input.not_in_breach.iter().any(|p| !respondents.contains(p)) {
        return Err(Error::validation(
            "notInBreach",
            "Name only responding parties of this case.",
        ));
    }
    for party in respondents {
        let sanctioned = input.sanctions.iter().any(|s| s.party_id == party);
        let cleared = input.not_in_breach.contains(&party);
        if sanctioned && cleared {
            return Err(Error::validation(
                "notInBreach",
                "A responding party found not in breach cannot be given a sanction.",
            ));
        }
        if !sanctioned && !cleared {
            return Err(Error::validation(
                "sanctions",
                "Name a sanction for each responding party found in breach, or list them in notInBreach.",
            ));
        }
    }
    Ok(())
}

/// R-DEC-1: at triage the conduct team may dismiss, advise or resolve
/// informally; at DECISION the assigned decision maker chooses any option.
pub async fn decide(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    input: NewDecision,
    expected_version: i32,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let stage = bundle.stage()?;
    let decider = access::actions::can_record_decision(&rel, stage)?;
    bundle.expect_version(expected_version)?;
    let by_decision_maker = decider == access::actions::Decider::DecisionMaker;
    let reasons = require_text("reasons", &input.reasons)?;
    let proc = state(db, case_id).await?;
    let target = match input.option {
        DecisionOption::Dismiss => Stage::Closed,
        DecisionOption::Advice => {
            if proc.classification.as_deref() == Some(Classification::High.as_str()) {
                return Err(Error::rule(
                    "R-DEC-1",
                    "Advice only is for LOW or MEDIUM cases.",
                ));
            }
            Stage::Closed
        }
        DecisionOption::InformalResolution => {
            if proc.informal_consent_at.is_none() {
                return Err(Error::rule(
                    "R-INF-1",
                    "Informal resolution needs the reporting party's express, recorded consent.",
                ));
            }
            if input.informal.is_none() {
                return Err(Error::rule(
                    "R-INF-1",
                    "Record the judgement on safeguarding, risk to the victim and the community, and whether the conduct could be a criminal offence.",
                ));
            }
            Stage::InformalResolution
        }
        DecisionOption::ReferToPanel if by_decision_maker => Stage::Hearing,
        DecisionOption::Sanction if by_decision_maker => Stage::Outcome,
        // R-HEA-5 (003 §2.2, §4.4.2) and 001's table: at triage the case
        // officer decides a LOW or MEDIUM case with the penalties the policy
        // lets a CASE_OFFICER impose (R-SAN-1 checks each one).
        DecisionOption::Sanction => {
            if proc.classification.as_deref() == Some(Classification::High.as_str()) {
                return Err(Error::rule(
                    "R-HEA-5",
                    "A HIGH case goes to a decision maker or a panel; the case officer imposes penalties only on LOW or MEDIUM cases.",
                ));
            }
            Stage::Outcome
        }
        _ => {
            return Err(Error::rule(
                "R-DEC-1",
                "At triage the case can be dismissed, resolved informally, closed with advice or, for LOW or MEDIUM, decided with the case officer's penalties.",
            ));
        }
    };
    let mv = lifecycle::advance(stage, target)?;
    if input.option == DecisionOption::Sanction {
        findings_are_complete(&bundle, &input)?;
    } else if !input.not_in_breach.is_empty() {
        return Err(Error::validation(
            "notInBreach",
            "Only a SANCTION decision finds some responding parties in breach and others not.",
        ));
    }
    let operation = "recordDecision";
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation,
            expected_version,
            stage_move: Some((mv, Some(reasons.clone()))),
            columns: vec![],
        },
    )
    .await?;
    let mut row: procedure::ActiveModel = proc.clone().into();
    row.decision_option = Set(Some(input.option.as_str().into()));
    row.decision_reasons = Set(Some(reasons.clone()));
    row.decided_by = Set(Some(viewer.person_id));
    row.decided_at = Set(Some(viewer.now.at()));
    if let Some(j) = &input.informal {
        row.informal_judgement = Set(Some(codec::encode("procedure.informal_judgement", j)?));
    }
    if input.option == DecisionOption::Dismiss {
        row.removed_from_record = Set(true);
    }
    // A decision that closes the case leaves nothing to appeal (R-OUT-2 can apply at once).
    if target == Stage::Closed {
        row.appeals_concluded_at = Set(Some(viewer.now.at()));
    }
    row.update(db).await?;
    deadlines::complete(
        db,
        viewer.now,
        case_id,
        DeadlineKind::DecideWhetherToInvestigate,
    )
    .await?;
    if input.option == DecisionOption::Sanction {
        let fresh = case_store::load(db, case_id)
            .await?
            .ok_or(Error::NotFound("case"))?;
        super::sanctions::impose_all(
            db,
            viewer,
            policy,
            &fresh,
            if by_decision_maker {
                crate::domain::kinds::Imposer::DecisionMaker
            } else {
                crate::domain::kinds::Imposer::CaseOfficer
            },
            &input.sanctions,
        )
        .await?;
        super::outcome::record_outcome(
            db,
            viewer.now,
            policy,
            &fresh,
            reasons,
            &input.not_in_breach,
        )
        .await?;
    }
    Ok(())
}

/// INFORMAL_RESOLUTION → CLOSED with what was agreed, once the conduct team
/// attests that the terms restrict no one from disclosing information about
/// the misconduct (OfS condition E6 bans non-disclosure terms).
pub async fn complete_informal_resolution(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    outcome: String,
    no_restricting_provision: bool,
    expected_version: i32,
) -> Result<()> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    bundle.expect_version(expected_version)?;
    let outcome = require_text("outcome", &outcome)?;
    if !no_restricting_provision {
        return Err(Error::RuleViolation {
            rule: "OFS-E6",
            message: "An informal resolution may not restrict anyone from disclosing information about the misconduct (Office for Students condition E6). Confirm the agreed terms contain no such provision (noRestrictingProvision: true), or change them.".into(),
        });
    }
    let mv = lifecycle::advance(bundle.stage()?, Stage::Closed)?;
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation: "completeInformalResolution",
            expected_version,
            stage_move: Some((mv, Some(outcome.clone()))),
            columns: vec![],
        },
    )
    .await?;
    let mut row: procedure::ActiveModel = state(db, case_id).await?.into();
    row.outcome_reasons = Set(Some(outcome));
    row.no_restricting_provision_at = Set(Some(viewer.now.at()));
    row.update(db).await?;
    Ok(())
}
