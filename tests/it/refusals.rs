//! Every mutation refused, as a table: without a token, by a student with no
//! link to the case, and by someone on the case who may not do it. The table
//! must name every mutation of the schema, so a new one cannot ship untested.
//! Each refusal is checked by its `extensions.code` (and rule, where one is
//! named); a refused mutation changes nothing, so the rows share one case.

use std::collections::BTreeSet;

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

/// What a caller must get: an error code, and the rule for RULE_VIOLATION.
#[derive(Clone, Copy, Debug)]
enum Refusal {
    NotFound,
    Forbidden,
    /// Refused as bad input (an anonymous reporter's field sent with a token).
    Validation,
    Rule(&'static str),
}

use Refusal::*;

struct Row {
    mutation: &'static str,
    document: &'static str,
    /// A student with no link to the case (or to the record).
    stranger: Refusal,
    /// Someone on the case, or holding a role, who may still not do this.
    wrong: Option<(&'static str, Refusal)>,
}

const fn row(
    mutation: &'static str,
    document: &'static str,
    stranger: Refusal,
    wrong: Option<(&'static str, Refusal)>,
) -> Row {
    Row {
        mutation,
        document,
        stranger,
        wrong,
    }
}

const TABLE: &[Row] = &[
    // Opening and reporting a case.
    row(
        "recordDisclosure",
        r#"mutation($a: UUID!) { recordDisclosure(input: { categories: [OTHER], description: "x", disclosingStudentId: $a }) { version } }"#,
        Forbidden,
        None,
    ),
    row(
        "assignCaseWorker",
        r#"mutation($c: UUID!, $b: UUID!, $cw: UUID!) { assignCaseWorker(caseId: $c, partyId: $b, caseWorkerId: $cw) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "endCaseWorkerAssignment",
        r#"mutation($c: UUID!, $r: UUID!, $cw: UUID!) { endCaseWorkerAssignment(caseId: $c, partyId: $r, caseWorkerId: $cw, reason: "r") { version } }"#,
        NotFound,
        Some(("colin", Forbidden)),
    ),
    row(
        "submitFormalReport",
        r#"mutation($c: UUID!, $v: Int!) { submitFormalReport(input: { caseId: $c, expectedVersion: $v, statement: "s", respondentMayBeInformed: true }) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "informRespondingParty",
        r#"mutation($c: UUID!, $b: UUID!, $v: Int!) { informRespondingParty(caseId: $c, partyId: $b, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "closeDisclosure",
        r#"mutation($c: UUID!, $v: Int!) { closeDisclosure(caseId: $c, reason: "r", expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "recordPoliceCase",
        r#"mutation($c: UUID!, $v: Int!) { recordPoliceCase(caseId: $c, ongoing: true, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("colin", Forbidden)),
    ),
    row(
        "withdrawCase",
        r#"mutation($c: UUID!, $v: Int!) { withdrawCase(caseId: $c, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "pauseCase",
        r#"mutation($c: UUID!, $v: Int!) { pauseCase(caseId: $c, reason: EXAMS, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "resumeCase",
        r#"mutation($c: UUID!, $v: Int!) { resumeCase(caseId: $c, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    // Data protection.
    row(
        "placeLegalHold",
        r#"mutation($c: UUID!, $v: Int!) { placeLegalHold(caseId: $c, expectedVersion: $v, reason: "r") { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "releaseLegalHold",
        r#"mutation($c: UUID!, $v: Int!) { releaseLegalHold(caseId: $c, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "moveCaseToCurrentPolicy",
        r#"mutation($c: UUID!, $v: Int!) { moveCaseToCurrentPolicy(caseId: $c, expectedVersion: $v) { version } }"#,
        Forbidden,
        Some(("olivia", Forbidden)),
    ),
    row(
        "applyRetention",
        r#"mutation { applyRetention { removed { caseId } } }"#,
        Forbidden,
        Some(("ada", Forbidden)),
    ),
    // Support.
    row(
        "recordContactAttempt",
        r#"mutation($c: UUID!, $r: UUID!) { recordContactAttempt(caseId: $c, partyId: $r, method: EMAIL, studentResponded: false) { version } }"#,
        NotFound,
        Some(("colin", Forbidden)),
    ),
    row(
        "recordOptionsConversation",
        r#"mutation($c: UUID!, $r: UUID!) { recordOptionsConversation(input: { caseId: $c, partyId: $r, optionsOffered: [SUPPORT_ONLY], optionsChosen: [SUPPORT_ONLY], summary: "s" }) { version } }"#,
        NotFound,
        Some(("colin", Forbidden)),
    ),
    row(
        "changeOptionsChoice",
        r#"mutation($c: UUID!, $r: UUID!) { changeOptionsChoice(caseId: $c, partyId: $r, optionsChosen: [SUPPORT_ONLY], reason: "r") { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "recordSharingConsent",
        r#"mutation($c: UUID!, $r: UUID!) { recordSharingConsent(caseId: $c, partyId: $r, department: HALLS, granted: true) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "shareInformation",
        r#"mutation($c: UUID!, $r: UUID!) { shareInformation(caseId: $c, partyId: $r, department: HALLS, details: "d") { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "addSupportNote",
        r#"mutation($c: UUID!, $r: UUID!) { addSupportNote(caseId: $c, partyId: $r, body: "b") { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "referToFitnessToStudy",
        r#"mutation($c: UUID!, $v: Int!) { referToFitnessToStudy(caseId: $c, medicalDetail: "m", expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "recordOccupationalHealthAssessment",
        r#"mutation($c: UUID!) { recordOccupationalHealthAssessment(caseId: $c, medicalDetail: "m") { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "endOnHealthGrounds",
        r#"mutation($c: UUID!, $v: Int!) { endOnHealthGrounds(caseId: $c, reasons: "r", expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("dee", Forbidden)),
    ),
    row(
        "agreeCommunicationPlan",
        r#"mutation($c: UUID!, $r: UUID!) { agreeCommunicationPlan(input: { caseId: $c, partyId: $r, content: "c", everyWorkingDays: 10, sender: "s" }) { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "recordInitialMeeting",
        r#"mutation($c: UUID!, $r: UUID!) { recordInitialMeeting(caseId: $c, partyId: $r, note: "n") { version } }"#,
        NotFound,
        Some(("colin", Forbidden)),
    ),
    row(
        "confirmInitialMeetingNote",
        r#"mutation($c: UUID!, $r: UUID!) { confirmInitialMeetingNote(caseId: $c, partyId: $r) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "offerSupportToAffectedPerson",
        r#"mutation($c: UUID!, $cw: UUID!, $v: Int!) { offerSupportToAffectedPerson(caseId: $c, sisNumber: "SIS-walter", caseWorkerId: $cw, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "routeToStaffProcedure",
        r#"mutation($c: UUID!, $b: UUID!, $v: Int!) { routeToStaffProcedure(caseId: $c, partyId: $b, employment: STAFF, referredTo: "HR", expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "arrangeSupportiveMeasure",
        r#"mutation($c: UUID!, $r: UUID!) { arrangeSupportiveMeasure(input: { caseId: $c, partyId: $r, kind: OTHER, details: "d" }) { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "reviewSupportiveMeasure",
        r#"mutation($sm: UUID!) { reviewSupportiveMeasure(input: { measureId: $sm, expectedVersion: 1, decision: END, reason: "r" }) { version } }"#,
        NotFound,
        Some(("colin", NotFound)),
    ),
    row(
        "setPreferredChannel",
        r#"mutation($c: UUID!, $r: UUID!) { setPreferredChannel(caseId: $c, partyId: $r, channel: EMAIL) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "setFridayContact",
        r#"mutation($c: UUID!, $r: UUID!) { setFridayContact(caseId: $c, partyId: $r, agreed: true) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "cancelCommunication",
        r#"mutation($comm: UUID!) { cancelCommunication(id: $comm, reason: "r") { status } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "rescheduleMeeting",
        r#"mutation($x: UUID!) { rescheduleMeeting(meetingId: $x, scheduledAt: "2030-01-07T10:00:00Z") { version } }"#,
        NotFound,
        None,
    ),
    row(
        "cancelMeeting",
        r#"mutation($x: UUID!) { cancelMeeting(meetingId: $x, reason: "r") { version } }"#,
        NotFound,
        None,
    ),
    row(
        "rearrangeHearing",
        r#"mutation($x: UUID!) { rearrangeHearing(hearingId: $x, scheduledAt: "2030-01-07T10:00:00Z", reason: "r") { version } }"#,
        NotFound,
        None,
    ),
    row(
        "sendOutcomeCopies",
        r#"mutation($c: UUID!, $p: UUID!) { sendOutcomeCopies(caseId: $c, copies: [{ office: "Registrar", personId: $p }]) { kind } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "setMeetingArrangements",
        r#"mutation($x: UUID!) { setMeetingArrangements(meetingId: $x, adjustments: ["breaks"]) { version } }"#,
        NotFound,
        None,
    ),
    row(
        "admitLateEvidence",
        r#"mutation($x: UUID!) { admitLateEvidence(evidenceId: $x, admit: true) { version } }"#,
        NotFound,
        None,
    ),
    row(
        "recordMeetingAttendance",
        r#"mutation($x: UUID!) { recordMeetingAttendance(meetingId: $x, attended: true) { version } }"#,
        NotFound,
        None,
    ),
    row(
        "recordHearingAttendance",
        r#"mutation($x: UUID!) { recordHearingAttendance(hearingId: $x, attended: false) { version } }"#,
        NotFound,
        None,
    ),
    row(
        "markLetterDelivered",
        r#"mutation($l: UUID!) { markLetterDelivered(letterId: $l) { deliveredOn } }"#,
        NotFound,
        Some(("alice", NotFound)),
    ),
    row(
        "recordFollowUpDecision",
        r#"mutation($c: UUID!, $v: Int!) { recordFollowUpDecision(caseId: $c, actFurther: true, reasons: "r", expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "addParty",
        r#"mutation($c: UUID!, $v: Int!) { addParty(input: { caseId: $c, role: WITNESS, sisNumber: "SIS-walter", expectedVersion: $v }) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "identifyParty",
        r#"mutation($c: UUID!, $b: UUID!, $v: Int!) { identifyParty(caseId: $c, partyId: $b, sisNumber: "SIS-walter", expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "correctPartyDetails",
        r#"mutation($c: UUID!, $b: UUID!, $v: Int!) { correctPartyDetails(input: { caseId: $c, partyId: $b, sisNumber: "SIS-walter", reason: "r", expectedVersion: $v }) { version } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "correctLetter",
        r#"mutation($l: UUID!) { correctLetter(letterId: $l, text: "x") { id } }"#,
        NotFound,
        Some(("alice", NotFound)),
    ),
    row(
        "sendProgressUpdate",
        r#"mutation($c: UUID!, $r: UUID!) { sendProgressUpdate(caseId: $c, partyId: $r, message: "x") { id } }"#,
        NotFound,
        Some(("ben", Forbidden)),
    ),
    row(
        "markNotificationRead",
        r#"mutation($n: UUID!) { markNotificationRead(id: $n) }"#,
        NotFound,
        Some(("alice", NotFound)),
    ),
    // Triage and the investigation.
    row(
        "triageCase",
        r#"mutation($c: UUID!, $v: Int!) { triageCase(caseId: $c, expectedVersion: $v, allegedBreaches: [{ description: "d", level: LOW }]) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "assignStaff",
        r#"mutation($c: UUID!, $p: UUID!) { assignStaff(caseId: $c, personId: $p, role: INVESTIGATOR) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "startInvestigation",
        r#"mutation($c: UUID!, $v: Int!) { startInvestigation(caseId: $c, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "scheduleMeeting",
        r#"mutation($c: UUID!, $r: UUID!) { scheduleMeeting(caseId: $c, partyId: $r, scheduledAt: "2030-01-07T10:00:00Z") { version } }"#,
        NotFound,
        Some(("olivia", Forbidden)),
    ),
    row(
        "addRecording",
        r#"mutation($x: UUID!) { addRecording(meetingId: $x, location: "l") { version } }"#,
        NotFound,
        None,
    ),
    row(
        "addEvidence",
        r#"mutation($c: UUID!) { addEvidence(caseId: $c, kind: DOCUMENT, description: "d") { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "addStatement",
        r#"mutation($c: UUID!) { addStatement(caseId: $c, kind: WITNESS_STATEMENT, body: "b") { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "recordConviction",
        r#"mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: "d", expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "issueInvestigationReport",
        r#"mutation($c: UUID!, $v: Int!) { issueInvestigationReport(caseId: $c, finding: BREACH, summary: "s", recommendations: "r", expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("olivia", Forbidden)),
    ),
    row(
        "requestInvestigationReview",
        r#"mutation($c: UUID!) { requestInvestigationReview(caseId: $c, grounds: "g") { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "decideInvestigationReview",
        r#"mutation($x: UUID!) { decideInvestigationReview(requestId: $x, accept: false, reasons: "r") { version } }"#,
        NotFound,
        None,
    ),
    row(
        "completeInvestigationReview",
        r#"mutation($x: UUID!) { completeInvestigationReview(requestId: $x, outcome: "o", substantiveChange: false) { version } }"#,
        NotFound,
        None,
    ),
    // Decisions, hearings and the outcome.
    row(
        "consentToInformalResolution",
        r#"mutation($c: UUID!) { consentToInformalResolution(caseId: $c) { version } }"#,
        NotFound,
        Some(("ben", Rule("R-INF-1"))),
    ),
    row(
        "recordDecision",
        r#"mutation($c: UUID!, $v: Int!) { recordDecision(input: { caseId: $c, expectedVersion: $v, option: DISMISS, reasons: "r" }) { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "completeInformalResolution",
        r#"mutation($c: UUID!, $v: Int!) { completeInformalResolution(caseId: $c, outcome: "o", noRestrictingProvision: true, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "convenePanel",
        r#"mutation($c: UUID!, $p: UUID!) { convenePanel(caseId: $c, memberIds: [$p]) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "summonToHearing",
        r#"mutation($c: UUID!) { summonToHearing(input: { caseId: $c, scheduledAt: "2030-01-07T10:00:00Z", location: "l", allegedBreaches: "a", penaltyRange: "p", proposedPenalty: "p" }) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "respondToSummons",
        r#"mutation($x: UUID!) { respondToSummons(hearingId: $x, response: ATTEND) { version } }"#,
        NotFound,
        None,
    ),
    row(
        "recordHearingDecision",
        r#"mutation($x: UUID!, $v: Int!) { recordHearingDecision(input: { hearingId: $x, expectedVersion: $v, votes: [], reasons: "r" }) { version } }"#,
        NotFound,
        None,
    ),
    row(
        "referHearing",
        r#"mutation($x: UUID!, $v: Int!) { referHearing(hearingId: $x, reasons: "r", expectedVersion: $v) { version } }"#,
        NotFound,
        None,
    ),
    row(
        "closeAfterAppealWindow",
        r#"mutation($c: UUID!, $v: Int!) { closeAfterAppealWindow(caseId: $c, expectedVersion: $v) { version } }"#,
        NotFound,
        Some(("cara", Forbidden)),
    ),
    row(
        "approveSanction",
        r#"mutation($x: UUID!) { approveSanction(sanctionId: $x, approvedBy: "VC") { version } }"#,
        NotFound,
        None,
    ),
    // Appeals.
    row(
        "lodgeAppeal",
        r#"mutation($c: UUID!) { lodgeAppeal(caseId: $c, grounds: [NEW_EVIDENCE], statement: "s") { version } }"#,
        NotFound,
        Some(("alice", Rule("R-APP-1"))),
    ),
    row(
        "reviewAppeal",
        r#"mutation($x: UUID!, $v: Int!) { reviewAppeal(input: { appealId: $x, expectedVersion: $v, decision: REJECT, reasons: "r" }) { version } }"#,
        NotFound,
        None,
    ),
    row(
        "decideAppeal",
        r#"mutation($x: UUID!, $v: Int!) { decideAppeal(input: { appealId: $x, expectedVersion: $v, votes: [], reasons: "r" }) { version } }"#,
        NotFound,
        None,
    ),
    row(
        "recordFinalAppealDecision",
        r#"mutation($x: UUID!, $v: Int!) { recordFinalAppealDecision(appealId: $x, expectedVersion: $v, accepted: true, decidedBy: "VC", reasons: "r") { version } }"#,
        NotFound,
        None,
    ),
    row(
        "requestInformalReview",
        r#"mutation($c: UUID!) { requestInformalReview(caseId: $c, request: "r") { version } }"#,
        NotFound,
        Some(("ben", Rule("R-APP-4"))),
    ),
    // Risk assessments and measures.
    row(
        "recordRiskAssessment",
        r#"mutation($c: UUID!, $r: UUID!) { recordRiskAssessment(input: { caseId: $c, natureOfIncident: "n", impacts: [{ partyId: $r, impact: "i" }], organisationalRisk: "o", riskLevel: LOW, participants: ["p"] }) }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "referToCauseForConcern",
        r#"mutation($c: UUID!, $v: Int!) { referToCauseForConcern(caseId: $c, expectedVersion: $v, urgentReason: "u") { version } }"#,
        NotFound,
        Some(("alice", Forbidden)),
    ),
    row(
        "recommendMeasure",
        r#"mutation($c: UUID!, $b: UUID!) { recommendMeasure(input: { caseId: $c, kind: CONDITIONS, subjectPartyIds: [$b], startsOn: "2030-01-07", reportingPartyConsent: true }) { version } }"#,
        NotFound,
        Some(("olivia", Rule("R-MEA-3"))),
    ),
    row(
        "authoriseMeasure",
        r#"mutation($m: UUID!) { authoriseMeasure(measureId: $m, expectedVersion: 1) { version } }"#,
        NotFound,
        Some(("chris", Rule("R-MEA-3"))),
    ),
    row(
        "bringMeasureIntoForce",
        r#"mutation($m: UUID!) { bringMeasureIntoForce(measureId: $m, expectedVersion: 1) { version } }"#,
        NotFound,
        Some(("chris", Forbidden)),
    ),
    row(
        "requestMeasureReview",
        r#"mutation($m: UUID!) { requestMeasureReview(measureId: $m, materialChange: "c", expectedVersion: 1) { version } }"#,
        NotFound,
        Some(("olivia", Rule("R-MEA-4"))),
    ),
    row(
        "recordMeasureNonCompliance",
        r#"mutation($m: UUID!) { recordMeasureNonCompliance(measureId: $m, details: "d", expectedVersion: 1) { version } }"#,
        NotFound,
        Some(("dee", Forbidden)),
    ),
    row(
        "submitMeasureRepresentations",
        r#"mutation($m: UUID!) { submitMeasureRepresentations(measureId: $m, representations: "r", expectedVersion: 1) { version } }"#,
        NotFound,
        Some(("olivia", Rule("R-MEA-5"))),
    ),
    row(
        "reviewMeasure",
        r#"mutation($m: UUID!) { reviewMeasure(input: { measureId: $m, expectedVersion: 1, decision: CONTINUE, reason: "r" }) { version } }"#,
        NotFound,
        Some(("chris", Rule("R-MEA-5"))),
    ),
    // Screens whose existence is public: the role decides.
    row(
        "upsertStudents",
        r#"mutation { upsertStudents(idempotencyKey: "k", students: [{ sisNumber: "1", name: "n", enrolmentStatus: "ENROLLED" }]) { created } }"#,
        Forbidden,
        Some(("ada", Forbidden)),
    ),
    row(
        "createPerson",
        r#"mutation { createPerson(input: { subject: "s", kind: STAFF, displayName: "d" }) { id } }"#,
        Forbidden,
        Some(("olivia", Forbidden)),
    ),
    row(
        "disablePerson",
        r#"mutation($p: UUID!) { disablePerson(personId: $p, reason: "x") { id } }"#,
        Forbidden,
        Some(("olivia", Forbidden)),
    ),
    row(
        "enablePerson",
        r#"mutation($p: UUID!) { enablePerson(personId: $p) { id } }"#,
        Forbidden,
        Some(("olivia", Forbidden)),
    ),
    row(
        "setSignInIdentity",
        r#"mutation($p: UUID!) { setSignInIdentity(personId: $p, subject: "x") { id } }"#,
        Forbidden,
        Some(("olivia", Forbidden)),
    ),
    row(
        "grantRole",
        r#"mutation($p: UUID!) { grantRole(personId: $p, role: ADMIN) { id } }"#,
        Forbidden,
        Some(("olivia", Forbidden)),
    ),
    // The anonymous channel: the reporter's side answers a wrong code (the
    // table's callers without a token) as UNAUTHENTICATED, and refuses any
    // token; Student Support's side is for CASE_WORKER holders.
    row(
        "sendAnonymousMessage",
        r#"mutation { sendAnonymousMessage(accessCode: "AAAAA-AAAAA-AAAAA-AAAAA", body: "b") { id } }"#,
        Validation,
        Some(("cara", Validation)),
    ),
    row(
        "revokeAnonymousAccessCode",
        r#"mutation { revokeAnonymousAccessCode(accessCode: "AAAAA-AAAAA-AAAAA-AAAAA") }"#,
        Validation,
        Some(("cara", Validation)),
    ),
    row(
        "replyToAnonymousReporter",
        r#"mutation($c: UUID!) { replyToAnonymousReporter(caseId: $c, body: "b") { caseId } }"#,
        Forbidden,
        Some(("olivia", Forbidden)),
    ),
    row(
        "revokeAnonymousChannel",
        r#"mutation($c: UUID!) { revokeAnonymousChannel(caseId: $c, reason: "r") { caseId } }"#,
        Forbidden,
        Some(("cara", NotFound)),
    ),
    row(
        "closeAnonymousDisclosure",
        r#"mutation($c: UUID!, $v: Int!) { closeAnonymousDisclosure(caseId: $c, reason: "r", expectedVersion: $v) { caseId } }"#,
        Forbidden,
        Some(("colin", NotFound)),
    ),
    row(
        "revokeRole",
        r#"mutation($g: UUID!) { revokeRole(grantId: $g) { id } }"#,
        Forbidden,
        Some(("olivia", Forbidden)),
    ),
];

/// A letter for Colin to hand to Ben (the procedure issues these later in a
/// case than the table's; the row is what `markLetterDelivered` acts on).
async fn letter_to_hand_to_ben(app: &TestApp, case: &Case) -> String {
    use sea_orm::{ActiveModelTrait, Set};
    let today = app.today();
    let row = entity::letter::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        case_id: Set(case.id.parse().expect("uuid")),
        party_id: Set(Some(case.respondent.parse().expect("uuid"))),
        recipient_id: Set(person_id(app, "ben").await.parse().expect("uuid")),
        kind: Set("OUTCOME".into()),
        rule: Set("R-OUT-1".into()),
        dated_on: Set(today),
        subject: Set("The outcome".into()),
        body: Set("MK-LETTER".into()),
        route: Set("VIA_CASE_WORKER".into()),
        deliverer_id: Set(Some(person_id(app, "colin").await.parse().expect("uuid"))),
        delivered_on: Set(None),
        replaces_id: Set(None),
        about_id: Set(None),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(&app.db)
    .await
    .expect("letter");
    row.id.to_string()
}

fn check(body: &Value, who: &str, mutation: &str, expected: Refusal) {
    let (code, rule) = code(body);
    let ok = match expected {
        NotFound => code == "NOT_FOUND",
        Forbidden => code == "FORBIDDEN",
        Validation => code == "VALIDATION",
        Rule(r) => code == "RULE_VIOLATION" && rule.as_deref() == Some(r),
    };
    assert!(ok, "{mutation} by {who}: expected {expected:?}, got {body}");
}

async fn every_mutation_is_refused_to_those_who_may_not_do_it(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("chris", PersonKind::Staff, &[StaffRole::CfcMember])
        .await;
    app.person("dee", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    let mut case = reported_case(&app).await;
    // Referred to the CfC group early, so that Chris can recommend a measure.
    app.ok(
        "olivia",
        "mutation($c: UUID!, $v: Int!) { referToCauseForConcern(caseId: $c, expectedVersion: $v, urgentReason: \"r\") { version } }",
        json!({ "c": case.id, "v": case.version }),
    )
    .await;
    // Dee decides the case: she sees its measures but records no non-compliance.
    assign_staff(&app, &case.id, "dee", "DECISION_MAKER").await;
    case.refresh(&app).await;
    let measure = app
        .ok(
            "chris",
            r#"mutation($c: UUID!, $b: UUID!) { recommendMeasure(input: { caseId: $c, kind: CONDITIONS, subjectPartyIds: [$b], startsOn: "2030-01-07", reportingPartyConsent: true }) { measureId } }"#,
            json!({ "c": case.id, "b": case.respondent }),
        )
        .await["recommendMeasure"]["measureId"]
        .clone();
    let letter = app
        .ok(
            "alice",
            "{ myCommunications(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await["myCommunications"]["nodes"][0]["id"]
        .clone();
    let notice = app
        .ok(
            "ben",
            "{ myNotifications(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await["myNotifications"]["nodes"][0]["id"]
        .clone();
    let handed_over = letter_to_hand_to_ben(&app, &case).await;
    let supportive = app
        .ok(
            "cara",
            ARRANGE_SUPPORT,
            json!({ "input": { "caseId": case.id, "partyId": case.reporter, "kind": "OTHER", "details": "d" } }),
        )
        .await["arrangeSupportiveMeasure"]["case"]["parties"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|p| p["supportiveMeasures"][0]["id"].as_str().map(String::from));
    let ian = person_id(&app, "ian").await;
    let grant = app
        .ok(
            "ada",
            "query($p: UUID!) { roleGrants(personId: $p) { nodes { id } } }",
            json!({ "p": ian }),
        )
        .await["roleGrants"]["nodes"][0]["id"]
        .clone();
    let vars = json!({
        "c": case.id, "r": case.reporter, "b": case.respondent, "v": case.version,
        "a": person_id(&app, "alice").await, "p": ian, "cw": person_id(&app, "cara").await,
        "x": uuid::Uuid::new_v4(), "m": measure, "comm": letter, "n": notice, "g": grant,
        "l": handed_over, "sm": supportive,
    });
    assert!(
        [
            &vars["m"],
            &vars["comm"],
            &vars["n"],
            &vars["g"],
            &vars["sm"]
        ]
        .iter()
        .all(|v| v.is_string()),
        "the records the table acts on exist: {vars}"
    );

    let schema = app
        .ok(
            "ada",
            "{ __type(name: \"MutationRoot\") { fields { name } } }",
            json!({}),
        )
        .await;
    let mutations: BTreeSet<&str> = schema["__type"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    let covered: BTreeSet<&str> = TABLE.iter().map(|r| r.mutation).collect();
    let missing: Vec<_> = mutations.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "mutations with no refusal row: {missing:?}"
    );

    for row in TABLE {
        assert!(
            row.document.contains(row.mutation),
            "{}: the document runs another mutation",
            row.mutation
        );
        let anonymous = app.gql(None, row.document, vars.clone()).await;
        assert_eq!(
            code(&anonymous).0,
            "UNAUTHENTICATED",
            "{} without a token: {anonymous}",
            row.mutation
        );
        let body = app.gql(Some("walter"), row.document, vars.clone()).await;
        check(&body, "a stranger", row.mutation, row.stranger);
        if let Some((who, expected)) = row.wrong {
            let body = app.gql(Some(who), row.document, vars.clone()).await;
            check(&body, who, row.mutation, expected);
        }
    }
    // Nothing was changed by any of it.
    let after = app
        .ok(
            "olivia",
            "query($c: UUID!) { case(id: $c) { version stage } }",
            json!({ "c": case.id }),
        )
        .await;
    assert_eq!(
        after["case"]["version"], case.version,
        "a refusal changes nothing"
    );
    app.stop().await;
}
db_test!(every_mutation_is_refused_to_those_who_may_not_do_it);
