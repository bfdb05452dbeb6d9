//! The case the matrix is read on: its parties, the staff around it, and a
//! viewer for each kind of person (DOMAIN §1, §3).

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use entity::{case, case_staff, party};
use uuid::Uuid;

use super::super::relation::{Relation, relation};
use crate::domain::kinds::{PartyRole, StaffRole, Stage};
use crate::domain::viewer::Viewer;

/// The people of the case and the staff around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Who {
    ReportingParty,
    RespondingParty,
    Witness,
    AffectedPerson,
    ReportingCaseWorker,
    RespondingCaseWorker,
    AffectedCaseWorker,
    ConductOfficer,
    Investigator,
    DecisionMaker,
    UnassignedDecisionMaker,
    PanelMember,
    AppealReviewer,
    CfcMember,
    IntakeCaseWorker,
    BiAnalyst,
    SisIntegration,
    Admin,
    OtherStudent,
}

pub(super) fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub(super) fn person(who: Who) -> Uuid {
    id(100 + who as u128)
}

pub(super) const CASE: u128 = 1;
pub(super) const REPORTER: u128 = 11;
pub(super) const RESPONDENT: u128 = 12;
pub(super) const WITNESS: u128 = 13;
pub(super) const AFFECTED: u128 = 14;

pub(super) fn roles(who: Who) -> BTreeSet<StaffRole> {
    use StaffRole as R;
    let held: &[StaffRole] = match who {
        Who::ReportingCaseWorker
        | Who::RespondingCaseWorker
        | Who::AffectedCaseWorker
        | Who::IntakeCaseWorker => &[R::CaseWorker],
        Who::ConductOfficer => &[R::ConductOfficer],
        Who::Investigator => &[R::Investigator],
        Who::DecisionMaker | Who::UnassignedDecisionMaker => &[R::DecisionMaker],
        Who::PanelMember => &[R::PanelMember],
        Who::AppealReviewer => &[R::AppealReviewer],
        Who::CfcMember => &[R::CfcMember],
        Who::BiAnalyst => &[R::BiAnalyst],
        Who::SisIntegration => &[R::SisIntegration],
        Who::Admin => &[R::Admin],
        Who::ReportingParty
        | Who::RespondingParty
        | Who::Witness
        | Who::AffectedPerson
        | Who::OtherStudent => &[],
    };
    held.iter().copied().collect()
}

pub(super) fn viewer(who: Who) -> Viewer {
    Viewer {
        person_id: person(who),
        roles: roles(who),
        request_id: None,
        now: at().into(),
    }
}

pub(super) fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A case at `stage`; from REPORT_RECEIVED on it has a formal report the
/// reporting party agreed may be told to the responding party.
pub(super) fn the_case(stage: Stage) -> case::Model {
    let reported = stage != Stage::Disclosure;
    case::Model {
        id: id(CASE),
        reference: "MC-TEST".into(),
        stage: stage.as_str().into(),
        paused_from: None,
        pause_reason: None,
        policy_version: "v".into(),
        version: 1,
        opened_at: at(),
        updated_at: at(),
        closed_at: None,
        channel: "ONLINE_FORM".into(),
        categories: "[]".into(),
        incident_date: None,
        description: "d".into(),
        anonymous: false,
        historic: false,
        names_withheld: false,
        received_by: None,
        forwarded_by: None,
        recorded_by: None,
        police_case_ongoing: false,
        report_submitted_at: reported.then(at),
        report_submitted_by: reported.then(|| person(Who::ReportingParty)),
        report_statement: reported.then(|| "s".into()),
        report_desired_outcome: None,
        respondent_may_be_informed: reported.then_some(true),
        // Referred to the CfC group (R-TRI-3) with the report; a case not yet
        // referred has a test of its own.
        cfc_referred_at: reported.then(at),
        cfc_urgent_reason: None,
        legal_hold_at: None,
        legal_hold_reason: None,
        legal_hold_by: None,
        follow_up_decided_at: None,
        follow_up_act_further: None,
        follow_up_reasons: None,
        follow_up_decided_by: None,
    }
}

pub(super) fn a_party(party: u128, who: Who, role: PartyRole, informed: bool) -> party::Model {
    party::Model {
        id: id(party),
        case_id: id(CASE),
        person_id: Some(person(who)),
        role: role.as_str().into(),
        described_as: None,
        identity_withheld: false,
        informed_at: informed.then(at),
        case_worker_offered_at: None,
        preferred_channel: None,
        friday_contact_agreed: false,
        added_at: at(),
        employment: None,
        staff_procedure_at: None,
        staff_procedure_referred_to: None,
        measure_notified_at: None,
    }
}

/// Parties: at disclosure the reporting and (untold) responding party; once
/// reported, the responding party has been told, a witness is named and a
/// third party affected is supported (000 §15).
pub(super) fn parties(stage: Stage) -> Vec<party::Model> {
    let mut out = vec![
        a_party(REPORTER, Who::ReportingParty, PartyRole::Reporting, false),
        a_party(
            RESPONDENT,
            Who::RespondingParty,
            PartyRole::Responding,
            stage != Stage::Disclosure,
        ),
    ];
    if stage != Stage::Disclosure {
        out.push(a_party(WITNESS, Who::Witness, PartyRole::Witness, false));
        out.push(a_party(
            AFFECTED,
            Who::AffectedPerson,
            PartyRole::Affected,
            false,
        ));
    }
    out
}

pub(super) fn assignment(
    n: u128,
    who: Who,
    role: StaffRole,
    party: Option<u128>,
) -> case_staff::Model {
    case_staff::Model {
        id: id(1000 + n),
        case_id: id(CASE),
        person_id: person(who),
        role: role.as_str().into(),
        party_id: party.map(id),
        assigned_by: None,
        assigned_at: at(),
        ended_at: None,
    }
}

/// Staff: once reported, both parties have case workers and the procedural
/// roles are assigned; at disclosure nobody is assigned yet (intake).
pub(super) fn staff(stage: Stage) -> Vec<case_staff::Model> {
    if stage == Stage::Disclosure {
        return vec![];
    }
    vec![
        assignment(
            1,
            Who::ReportingCaseWorker,
            StaffRole::CaseWorker,
            Some(REPORTER),
        ),
        assignment(
            2,
            Who::RespondingCaseWorker,
            StaffRole::CaseWorker,
            Some(RESPONDENT),
        ),
        assignment(
            7,
            Who::AffectedCaseWorker,
            StaffRole::CaseWorker,
            Some(AFFECTED),
        ),
        assignment(3, Who::Investigator, StaffRole::Investigator, None),
        assignment(4, Who::DecisionMaker, StaffRole::DecisionMaker, None),
        assignment(5, Who::PanelMember, StaffRole::PanelMember, None),
        assignment(6, Who::AppealReviewer, StaffRole::AppealReviewer, None),
    ]
}

pub(super) fn rel_of(who: Who, stage: Stage) -> (Relation, Vec<party::Model>, case::Model) {
    let case = the_case(stage);
    let parties = parties(stage);
    let rel = relation(&viewer(who), &case, &parties, &staff(stage));
    (rel, parties, case)
}
