//! The matrix of DOMAIN §3 as tables: for each kind of viewer, at each point of
//! the procedure, exactly which classes of content they may see. Each table
//! row lists what the viewer sees; every class not listed must be hidden.
//! These run on in-memory cases, without HTTP or a database; the end-to-end
//! marker tests check the same promise through the API.

use entity::{case, party};

mod world;

use super::relation::{Relation, relation};
use crate::domain::kinds::{Audience, MeasureStatus, Stage};
use world::*;

/// Declares the classes of content and the list of all of them at once.
macro_rules! fields {
    ($($name:ident),+ $(,)?) => {
        /// Classes of content (DOMAIN §3 columns).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        enum Field { $($name),+ }

        const ALL_FIELDS: &[Field] = &[$(Field::$name),+];
    };
}

fields! {
    StaffView,
    PartyView,
    ExactStage,
    Progress,
    PauseReason,
    DisclosureNarrative,
    DisclosureOutline,
    ReportStatement,
    ReportingSideOfReport,
    ReportingPartyName,
    RespondingPartyName,
    WitnessName,
    AffectedName,
    AffectedSupportRecords,
    AffectedSupportiveMeasures,
    ReportingContact,
    RespondingContact,
    ReportingCaseWorkers,
    RespondingCaseWorkers,
    ReportingSupportRecords,
    RespondingSupportRecords,
    ReportingPrivateNotes,
    ReportingSharedNotes,
    RespondingPrivateNotes,
    RespondingSharedNotes,
    ReportingSupportiveMeasures,
    RespondingSupportiveMeasures,
    RiskAssessments,
    AllMeasures,
    MeasureOnRespondent,
    RecommendedMeasureOnRespondent,
    WhetherMeasuresInPlace,
    Triage,
    InvestigationReport,
    SharedEvidence,
    RespondentUnsharedStatement,
    SharedWitnessStatement,
    RespondentRecording,
    Hearing,
    PanelVotes,
    OutcomeBeforeAppealsConclude,
    OutcomeAfterAppealsConclude,
    PreviousSanctions,
    RespondentAppeal,
    LettersToReportingParty,
    LettersToRespondingParty,
}

use Field::*;

fn sees(rel: &Relation, parties: &[party::Model], case: &case::Model, field: Field) -> bool {
    let party = |n: u128| parties.iter().find(|p| p.id == id(n));
    let visible =
        |n: u128| party(n).is_some_and(|p| rel.can_see_party(p) && rel.can_see_party_name(p));
    let default_audience = [
        Audience::ReportingParty,
        Audience::RespondingParty,
        Audience::CaseOfficer,
    ];
    match field {
        StaffView => rel.staff_view(),
        PartyView => rel.party_view_as().is_some(),
        ExactStage => rel.sees_exact_stage(),
        Progress => rel.can_see_progress(),
        PauseReason => rel.can_see_pause_reason(),
        DisclosureNarrative => rel.can_read_disclosure(),
        DisclosureOutline => rel.can_read_disclosure_outline(),
        ReportStatement => rel.can_read_report(case),
        ReportingSideOfReport => rel.can_read_reporting_side_of_report(),
        ReportingPartyName => visible(REPORTER),
        RespondingPartyName => visible(RESPONDENT),
        WitnessName => visible(WITNESS),
        AffectedName => visible(AFFECTED),
        AffectedSupportRecords => rel.can_see_support_records_of(id(AFFECTED)),
        AffectedSupportiveMeasures => rel.can_see_supportive_measures_of(id(AFFECTED)),
        ReportingContact => rel.can_see_party_contact(id(REPORTER)),
        RespondingContact => rel.can_see_party_contact(id(RESPONDENT)),
        ReportingCaseWorkers => rel.can_see_case_workers_of(id(REPORTER)),
        RespondingCaseWorkers => rel.can_see_case_workers_of(id(RESPONDENT)),
        ReportingSupportRecords => rel.can_see_support_records_of(id(REPORTER)),
        RespondingSupportRecords => rel.can_see_support_records_of(id(RESPONDENT)),
        ReportingPrivateNotes => rel.can_read_support_note(id(REPORTER), false),
        ReportingSharedNotes => rel.can_read_support_note(id(REPORTER), true),
        RespondingPrivateNotes => rel.can_read_support_note(id(RESPONDENT), false),
        RespondingSharedNotes => rel.can_read_support_note(id(RESPONDENT), true),
        ReportingSupportiveMeasures => rel.can_see_supportive_measures_of(id(REPORTER)),
        RespondingSupportiveMeasures => rel.can_see_supportive_measures_of(id(RESPONDENT)),
        RiskAssessments => rel.can_see_risk_assessments(),
        AllMeasures => rel.can_see_all_measures(),
        MeasureOnRespondent => rel.can_see_measure(&[id(RESPONDENT)], MeasureStatus::InForce),
        RecommendedMeasureOnRespondent => {
            rel.can_see_measure(&[id(RESPONDENT)], MeasureStatus::Recommended)
        }
        WhetherMeasuresInPlace => rel.can_see_whether_measures_in_place(),
        Triage => rel.can_see_triage(),
        InvestigationReport => rel.can_see_investigation_report(true, false),
        SharedEvidence => rel.can_see_evidence(&default_audience, None),
        RespondentUnsharedStatement => rel.can_see_statement(id(RESPONDENT), false),
        SharedWitnessStatement => rel.can_see_statement(id(WITNESS), true),
        RespondentRecording => rel.can_see_recording(id(RESPONDENT)),
        Hearing => rel.can_see_hearing(),
        PanelVotes => rel.can_see_panel_votes(),
        OutcomeBeforeAppealsConclude => rel.can_see_outcome(false),
        OutcomeAfterAppealsConclude => rel.can_see_outcome(true),
        PreviousSanctions => rel.can_see_previous_sanctions(),
        RespondentAppeal => rel.can_see_appeal(id(RESPONDENT)),
        LettersToReportingParty => letter_to(REPORTER).is_some_and(|l| rel.can_see_letter(&l, DAY)),
        LettersToRespondingParty => {
            letter_to(RESPONDENT).is_some_and(|l| rel.can_see_letter(&l, DAY))
        }
    }
}

/// The day the matrix's letters are read (they were delivered on it).
const DAY: chrono::NaiveDate = chrono::NaiveDate::MIN;

/// A delivered letter to one of the world's parties.
fn letter_to(n: u128) -> Option<entity::letter::Model> {
    let (_, parties, _) = rel_of(Who::Admin, Stage::Closed);
    let party = parties.into_iter().find(|p| p.id == id(n))?;
    Some(entity::letter::Model {
        id: id(9_000 + n),
        case_id: party.case_id,
        party_id: Some(party.id),
        recipient_id: party.person_id?,
        kind: "OUTCOME".into(),
        rule: "R-OUT-1".into(),
        dated_on: DAY,
        subject: String::new(),
        body: String::new(),
        route: "EMAIL".into(),
        deliverer_id: None,
        delivered_on: Some(DAY),
        replaces_id: None,
        about_id: None,
        created_at: chrono::DateTime::UNIX_EPOCH,
    })
}

fn check(stage: Stage, fields: &[Field], table: &[(Who, &[Field])]) {
    for (who, expected) in table {
        let (rel, parties, case) = rel_of(*who, stage);
        for field in fields {
            let want = expected.contains(field);
            let got = sees(&rel, &parties, &case, *field);
            assert_eq!(
                got,
                want,
                "{who:?} at {stage}: {field:?} should be {}",
                if want { "visible" } else { "hidden" }
            );
        }
    }
}

/// What the procedure (conduct team and those assigned) reads of a reported case.
const PROCEDURE: &[Field] = &[
    StaffView,
    ExactStage,
    Progress,
    PauseReason,
    DisclosureOutline,
    ReportStatement,
    ReportingSideOfReport,
    ReportingPartyName,
    RespondingPartyName,
    WitnessName,
    ReportingContact,
    RespondingContact,
    ReportingCaseWorkers,
    RespondingCaseWorkers,
    Triage,
    InvestigationReport,
    RespondentUnsharedStatement,
    SharedWitnessStatement,
    Hearing,
    PanelVotes,
    OutcomeBeforeAppealsConclude,
    OutcomeAfterAppealsConclude,
    RespondentAppeal,
    LettersToReportingParty,
    LettersToRespondingParty,
];

fn with(base: &[Field], more: &[Field]) -> Vec<Field> {
    base.iter().chain(more).copied().collect()
}

#[test]
fn each_viewer_of_a_reported_case_sees_exactly_what_the_matrix_allows() {
    let conduct = with(
        PROCEDURE,
        &[
            RiskAssessments,
            AllMeasures,
            MeasureOnRespondent,
            RecommendedMeasureOnRespondent,
            SharedEvidence,
            PreviousSanctions,
        ],
    );
    let investigator = with(PROCEDURE, &[SharedEvidence, RespondentRecording]);
    let decision_maker = with(
        PROCEDURE,
        &[
            RiskAssessments,
            AllMeasures,
            MeasureOnRespondent,
            RecommendedMeasureOnRespondent,
            SharedEvidence,
            PreviousSanctions,
        ],
    );
    let panel = with(PROCEDURE, &[SharedEvidence, PreviousSanctions]);
    let safeguarding: &[Field] = &[
        StaffView,
        Progress,
        DisclosureOutline,
        ReportingPartyName,
        RespondingPartyName,
        WitnessName,
        RiskAssessments,
        AllMeasures,
        MeasureOnRespondent,
        RecommendedMeasureOnRespondent,
    ];
    let reporting_side: &[Field] = &[
        Progress,
        DisclosureNarrative,
        DisclosureOutline,
        ReportStatement,
        ReportingSideOfReport,
        ReportingPartyName,
        RespondingPartyName,
        ReportingContact,
        ReportingCaseWorkers,
        ReportingSupportRecords,
        ReportingSupportiveMeasures,
        WhetherMeasuresInPlace,
        InvestigationReport,
        SharedEvidence,
        SharedWitnessStatement,
        OutcomeAfterAppealsConclude,
        LettersToReportingParty,
    ];
    let responding_side: &[Field] = &[
        Progress,
        ReportStatement,
        ReportingPartyName,
        RespondingPartyName,
        RespondingContact,
        RespondingCaseWorkers,
        RespondingSupportRecords,
        RespondingSupportiveMeasures,
        MeasureOnRespondent,
        WhetherMeasuresInPlace,
        InvestigationReport,
        SharedEvidence,
        RespondentUnsharedStatement,
        SharedWitnessStatement,
        Hearing,
        OutcomeBeforeAppealsConclude,
        OutcomeAfterAppealsConclude,
        RespondentAppeal,
        LettersToRespondingParty,
    ];
    for stage in [
        Stage::ReportReceived,
        Stage::Investigation,
        Stage::Hearing,
        Stage::Outcome,
        Stage::Appeal,
        Stage::Closed,
    ] {
        check(
            stage,
            ALL_FIELDS,
            &[
                (
                    Who::ReportingParty,
                    &with(reporting_side, &[PartyView, ReportingSharedNotes]),
                ),
                (
                    Who::ReportingCaseWorker,
                    &with(
                        reporting_side,
                        &[StaffView, ReportingPrivateNotes, ReportingSharedNotes],
                    ),
                ),
                (
                    Who::RespondingParty,
                    &with(
                        responding_side,
                        &[PartyView, RespondingSharedNotes, RespondentRecording],
                    ),
                ),
                (
                    Who::RespondingCaseWorker,
                    &with(
                        responding_side,
                        &[StaffView, RespondingPrivateNotes, RespondingSharedNotes],
                    ),
                ),
                // A witness sees their own part: their name and their own statement.
                (
                    Who::Witness,
                    &[PartyView, WitnessName, SharedWitnessStatement],
                ),
                // A third party affected (000 §15) sees their own support and
                // nothing of the case; their case worker likewise. Nobody
                // else learns they are there.
                (
                    Who::AffectedPerson,
                    &[
                        PartyView,
                        AffectedName,
                        AffectedSupportRecords,
                        AffectedSupportiveMeasures,
                    ],
                ),
                (
                    Who::AffectedCaseWorker,
                    &[
                        StaffView,
                        AffectedName,
                        AffectedSupportRecords,
                        AffectedSupportiveMeasures,
                    ],
                ),
                (Who::ConductOfficer, &conduct),
                (Who::Investigator, &investigator),
                (Who::DecisionMaker, &decision_maker),
                // Decision makers see cases referred to them, by assignment.
                (Who::UnassignedDecisionMaker, &[]),
                (Who::PanelMember, &panel),
                (Who::AppealReviewer, &panel),
                (Who::CfcMember, safeguarding),
                (Who::IntakeCaseWorker, &[]),
                (Who::BiAnalyst, &[]),
                (Who::SisIntegration, &[]),
                (Who::Admin, &[]),
                (Who::OtherStudent, &[]),
            ],
        );
    }
}

#[test]
fn at_disclosure_only_the_discloser_and_student_support_see_the_case() {
    // Any case worker sees an unallocated disclosure in outline, to pick it up.
    let intake: &[Field] = &[StaffView, Progress, DisclosureOutline];
    // Before a report only the case, the disclosure and support exist.
    let fields = &[
        StaffView,
        PartyView,
        ExactStage,
        Progress,
        DisclosureNarrative,
        DisclosureOutline,
        ReportingPartyName,
        RespondingPartyName,
        ReportingContact,
        RespondingContact,
        ReportingCaseWorkers,
        ReportingSupportRecords,
        ReportingPrivateNotes,
        ReportingSharedNotes,
        ReportingSupportiveMeasures,
        RiskAssessments,
        AllMeasures,
    ];
    check(
        Stage::Disclosure,
        fields,
        &[
            (
                Who::ReportingParty,
                &[
                    PartyView,
                    Progress,
                    DisclosureNarrative,
                    DisclosureOutline,
                    ReportingPartyName,
                    RespondingPartyName,
                    ReportingContact,
                    ReportingCaseWorkers,
                    ReportingSupportRecords,
                    ReportingSharedNotes,
                    ReportingSupportiveMeasures,
                ],
            ),
            (Who::IntakeCaseWorker, intake),
            (Who::ReportingCaseWorker, intake),
            // Not yet told: the case does not exist for the responding party.
            (Who::RespondingParty, &[]),
            // No formal report: nothing for the conduct team or safeguarding yet.
            (Who::ConductOfficer, &[]),
            (Who::CfcMember, &[]),
            (Who::DecisionMaker, &[]),
            (Who::BiAnalyst, &[]),
            (Who::Admin, &[]),
        ],
    );
}

#[test]
fn a_responding_party_told_only_of_a_measure_sees_that_measure_and_nothing_else() {
    // R-MEA-5 before R-REP-2: at disclosure, Ben is bound by a measure in
    // force and was told of it; he has not been told of the report.
    let stage = Stage::Disclosure;
    let case = the_case(stage);
    let mut parties = parties(stage);
    for p in parties.iter_mut().filter(|p| p.id == id(RESPONDENT)) {
        p.measure_notified_at = Some(at());
    }
    let rel = relation(
        &viewer(Who::RespondingParty),
        &case,
        &parties,
        &staff(stage),
    );
    // His own name (on the measure), the measure once in force (not while
    // only recommended), and his own delivered letters (the measure notice).
    let allowed = [
        RespondingPartyName,
        MeasureOnRespondent,
        LettersToRespondingParty,
    ];
    for field in ALL_FIELDS {
        assert_eq!(
            sees(&rel, &parties, &case, *field),
            allowed.contains(field),
            "told only of a measure: {field:?}"
        );
    }
    // The same party, not told of the measure, sees nothing of the measure.
    let untold = relation(
        &viewer(Who::RespondingParty),
        &case,
        &world::parties(stage),
        &staff(stage),
    );
    assert!(!sees(&untold, &parties, &case, MeasureOnRespondent));
}

#[test]
fn a_withheld_name_reaches_only_the_party_their_case_worker_and_the_procedure() {
    let stage = Stage::Investigation;
    let case = the_case(stage);
    let mut parties = parties(stage);
    for p in parties.iter_mut().filter(|p| p.id == id(RESPONDENT)) {
        p.identity_withheld = true;
    }
    let sees_name = |who: Who| {
        let rel = relation(&viewer(who), &case, &parties, &staff(stage));
        parties
            .iter()
            .find(|p| p.id == id(RESPONDENT))
            .is_some_and(|p| rel.can_see_party(p) && rel.can_see_party_name(p))
    };
    assert!(sees_name(Who::RespondingParty));
    assert!(sees_name(Who::RespondingCaseWorker));
    assert!(sees_name(Who::ConductOfficer));
    assert!(!sees_name(Who::ReportingParty));
    assert!(!sees_name(Who::ReportingCaseWorker));
    assert!(!sees_name(Who::Witness));
}

#[test]
fn an_ended_assignment_or_a_revoked_role_ends_what_it_allowed() {
    let stage = Stage::Investigation;
    let case = the_case(stage);
    let parties = parties(stage);
    let mut ended = staff(stage);
    for s in &mut ended {
        s.ended_at = Some(at());
    }
    let investigator = relation(&viewer(Who::Investigator), &case, &parties, &ended);
    assert!(!investigator.any(), "an ended assignment gives no access");
    let mut revoked = viewer(Who::ReportingCaseWorker);
    revoked.roles.clear();
    let rel = relation(&revoked, &case, &parties, &staff(stage));
    assert!(!rel.any(), "a revoked role ends the case worker's access");
}
