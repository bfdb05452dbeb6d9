//! What a viewer may do on a case: one named check per action, called in one
//! line at the top of the service function (after the case is opened, so the
//! viewer already may know the case exists). Each returns the refusal the API
//! gives — FORBIDDEN, or RULE_VIOLATION where a rule of the procedure names who
//! acts — or what the action needs to know about the actor.

use entity::{communication, letter, party};
use uuid::Uuid;

use super::refusal::refuse;
use super::relation::Relation;
use crate::domain::kinds::{PartyRole, StaffRole, Stage};
use crate::error::{Error, Result};

// --- support and the report ---------------------------------------------------

/// Work on one party's support (contact attempts, options, consent, notes): the
/// party's case worker, or — where `party_may_act` — the party themselves.
pub fn can_act_for_party(rel: &Relation, party: &party::Model, party_may_act: bool) -> Result<()> {
    if rel.supports(party.id) || (party_may_act && rel.is_own_party(party.id)) {
        return Ok(());
    }
    Err(refuse(
        rel.can_see_party(party),
        "party",
        "Only this party's case worker can do this.",
    ))
}

/// R-SUP-6: a supportive measure is arranged and reviewed by the case worker
/// of the party it supports — the party asks, their case worker arranges.
pub fn can_arrange_supportive_measure(rel: &Relation, party: &party::Model) -> Result<()> {
    if rel.supports(party.id) {
        return Ok(());
    }
    Err(refuse(
        rel.can_see_party(party),
        "party",
        "Only this party's case worker arranges or reviews their supportive measures (R-SUP-6).",
    ))
}

/// R-FTS-1: a referral to fitness to study, its assessment and ending on
/// health grounds are for the conduct team running the case — and, because
/// each carries medical detail, only where the policy lets them read it.
pub fn can_act_on_fitness_to_study(rel: &Relation, roles: &[StaffRole]) -> Result<()> {
    can_run_procedure(rel, "act on fitness to study")?;
    if rel.holds(StaffRole::ConductOfficer) && rel.can_read_medical_detail(roles) {
        return Ok(());
    }
    Err(Error::Forbidden(
        "Fitness to study is handled by the conduct team members the policy lets read medical detail (R-FTS-1).".into(),
    ))
}

/// R-SUP-7: a party's communication plan is agreed, and 002's initial
/// meeting recorded, by the case officer (the conduct team) or the party's
/// case worker.
pub fn can_agree_communication_plan(rel: &Relation, party: &party::Model) -> Result<()> {
    if rel.supports(party.id) || (rel.procedure() && rel.holds(StaffRole::ConductOfficer)) {
        return Ok(());
    }
    Err(refuse(
        rel.can_see_party(party),
        "party",
        "A communication plan is agreed by the case officer or the party's case worker (R-SUP-7).",
    ))
}

/// R-SUP-7: the initial meeting's note is confirmed by the party themselves.
pub fn can_confirm_initial_meeting_note(rel: &Relation, party: &party::Model) -> Result<()> {
    if rel.is_own_party(party.id) {
        return Ok(());
    }
    Err(refuse(
        rel.can_see_party(party),
        "party",
        "Only the party the note is about confirms it (R-SUP-7).",
    ))
}

/// 000 §15: a third party affected is offered support by Student Support (a
/// case worker on the case, or intake) or by the conduct team.
pub fn can_offer_support_to_third_party(rel: &Relation) -> Result<()> {
    let conduct = rel.procedure() && rel.holds(StaffRole::ConductOfficer);
    let support = rel.holds(StaffRole::CaseWorker) && (rel.intake || !rel.supported.is_empty());
    if conduct || support {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "Support for an affected person is offered by Student Support or the conduct team.",
    ))
}

/// Allocating a case worker (R-IND-1, R-IND-2, R-REP-4): the responding
/// party's by the conduct team; others' by Student Support (intake or a case
/// worker already on the case) or the conduct team.
pub fn can_assign_case_worker(rel: &Relation, party_role: PartyRole) -> Result<()> {
    let conduct = rel.procedure() && rel.holds(StaffRole::ConductOfficer);
    let support = rel.holds(StaffRole::CaseWorker) && (rel.intake || !rel.supported.is_empty());
    match party_role {
        PartyRole::Responding if conduct => Ok(()),
        PartyRole::Responding => Err(Error::Forbidden(
            "Only the conduct team allocates the responding party's case worker.".into(),
        )),
        _ if conduct || support => Ok(()),
        _ => Err(Error::Forbidden(
            "You cannot allocate case workers on this case.".into(),
        )),
    }
}

/// A case worker's assignment to a party is ended by the conduct team, or by
/// a case worker of that same party (one who leaves, or a colleague) — never
/// from the other side.
pub fn can_end_case_worker(rel: &Relation, party: Uuid) -> Result<()> {
    if (rel.procedure() && rel.holds(StaffRole::ConductOfficer)) || rel.supports(party) {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "Only the conduct team or the party's own case worker can end a case worker's assignment.",
    ))
}

/// The formal report is submitted by the reporting party or their case worker.
pub fn can_submit_report(rel: &Relation, reporter: Uuid) -> Result<()> {
    if rel.on_side_of(reporter) {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "Only the reporting party or their case worker can submit the formal report.",
    ))
}

/// A disclosure that ends without a report is closed by the discloser's case
/// worker; one recorded without her name (R-DISC-4), by intake.
pub fn can_close_disclosure(rel: &Relation, reporter: &party::Model) -> Result<()> {
    // A student recorded without her name can have no case worker: intake closes.
    let unnamed = reporter.person_id.is_none() && rel.intake;
    if rel.supports(reporter.id) || unnamed {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "Only the disclosing student's case worker can close a disclosure.",
    ))
}

/// R-SUP-1: a police case begun or ended is recorded by the reporting party's
/// case worker or the conduct team.
pub fn can_record_police_case(rel: &Relation, reporter: Uuid) -> Result<()> {
    if rel.supports(reporter) || (rel.procedure() && rel.holds(StaffRole::ConductOfficer)) {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "A police case is recorded by the reporting party's case worker or the conduct team.",
    ))
}

/// R-DISC-6: a staff or contractor respondent is routed to the staff
/// procedure by the reporting party's case worker (Student Support holds the
/// disclosure) or the conduct team.
pub fn can_route_to_staff_procedure(rel: &Relation, reporter: Uuid) -> Result<()> {
    if rel.supports(reporter) || (rel.procedure() && rel.holds(StaffRole::ConductOfficer)) {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "A staff respondent is routed by the reporting party's case worker or the conduct team (R-DISC-6).",
    ))
}

/// R-INV-6: the reporting party withdraws, or their case worker for them.
pub fn can_withdraw(rel: &Relation, reporter: Uuid) -> Result<()> {
    if rel.on_side_of(reporter) {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "Only the reporting party, or their case worker for them, can withdraw.",
    ))
}

// --- running the procedure ----------------------------------------------------

/// Informing the responding party, pausing and resuming: staff running the procedure.
pub fn can_run_procedure(rel: &Relation, action: &str) -> Result<()> {
    if rel.procedure() {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        format!("Only staff running the procedure can {action}."),
    ))
}

/// Triage, assignments, panels, summonses, informal resolution: the conduct team.
pub fn can_act_as_conduct_team(rel: &Relation) -> Result<()> {
    if rel.conduct_team {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "Only the conduct team can do this.",
    ))
}

/// Who assigns staff to run a case (`assignStaff`): the conduct team; and,
/// on a disclosure referred for an urgent risk before any report, the Cause
/// for Concern group assigns the DECISION_MAKER who authorises its measures
/// (R-MEA-3; 000 §26).
pub fn can_assign_staff(rel: &Relation, role: StaffRole, reported: bool) -> Result<()> {
    if rel.conduct_team {
        return Ok(());
    }
    if !reported && role == StaffRole::DecisionMaker && rel.safeguarding {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        if rel.safeguarding && !reported {
            "Before a report, the Cause for Concern group assigns only a DECISION_MAKER (to authorise measures)."
        } else {
            "Only the conduct team can do this."
        },
    ))
}

/// Another case heard jointly with this one must be one the conduct team runs too.
pub fn can_hear_jointly(rel: &Relation) -> bool {
    rel.conduct_team
}

/// R-INV-2: investigation meetings are arranged by an assigned investigator.
pub fn can_arrange_meetings(rel: &Relation) -> Result<()> {
    can_act_as_assigned(
        rel,
        StaffRole::Investigator,
        "arrange investigation meetings",
    )
}

/// R-INV-4: recordings are added by an assigned investigator.
pub fn can_add_recordings(rel: &Relation) -> Result<()> {
    can_act_as_assigned(rel, StaffRole::Investigator, "add recordings")
}

/// R-INV-7: the investigation report is issued by an assigned investigator.
pub fn can_issue_investigation_report(rel: &Relation) -> Result<()> {
    can_act_as_assigned(
        rel,
        StaffRole::Investigator,
        "issue the investigation report",
    )
}

/// R-HEA-3: a hearing's decision is recorded by a member of the convened panel.
pub fn can_record_hearing_decision(rel: &Relation) -> Result<()> {
    can_act_as_assigned(rel, StaffRole::PanelMember, "record the panel's decision")
}

/// Work of one assigned role.
fn can_act_as_assigned(rel: &Relation, role: StaffRole, action: &str) -> Result<()> {
    if rel.is_assigned(role) {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        format!("Only the {role} assigned to this case can {action}."),
    ))
}

/// Who records a decision (R-DEC-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// At triage: dismiss, advice, informal resolution.
    ConductTeamAtTriage,
    /// At the decision stage: any option, including sanction and referral.
    DecisionMaker,
}

/// R-DEC-1: at triage the conduct team decides; at DECISION the assigned
/// decision maker does.
pub fn can_record_decision(rel: &Relation, stage: Stage) -> Result<Decider> {
    if stage == Stage::Triage && rel.conduct_team {
        return Ok(Decider::ConductTeamAtTriage);
    }
    if stage == Stage::Decision && rel.is_assigned(StaffRole::DecisionMaker) {
        return Ok(Decider::DecisionMaker);
    }
    if !rel.staff_view() {
        return Err(refuse(
            rel.any(),
            "case",
            "Decisions are recorded by the conduct team at triage and by the assigned decision maker.",
        ));
    }
    Err(match stage {
        Stage::Triage | Stage::Decision => Error::rule(
            "R-DEC-1",
            "At triage the conduct team decides; at the decision stage the assigned decision maker does.",
        ),
        _ => Error::rule(
            "LIFECYCLE",
            format!("No decision can be recorded at the {stage} stage."),
        ),
    })
}

/// R-INF-1: only the reporting party consents to informal resolution, in person.
pub fn can_consent_to_informal_resolution(rel: &Relation) -> Result<()> {
    if rel.is_party(PartyRole::Reporting) {
        return Ok(());
    }
    Err(Error::rule(
        "R-INF-1",
        "Only the reporting party can consent to informal resolution, in person.",
    ))
}

// --- the investigation --------------------------------------------------------

/// Who adds an evidence item (R-INV-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceSource {
    /// An assigned investigator, who may choose its audience.
    Investigator,
    /// A principal party, submitting about their own case.
    Party(Uuid),
}

pub fn can_add_evidence(rel: &Relation) -> Result<EvidenceSource> {
    if rel.is_assigned(StaffRole::Investigator) {
        return Ok(EvidenceSource::Investigator);
    }
    if let Some(party) = rel.own_principal_party(None) {
        return Ok(EvidenceSource::Party(party));
    }
    Err(refuse(
        rel.any(),
        "case",
        "Evidence is added by the investigators or submitted by a party.",
    ))
}

/// Who records a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementAuthor {
    /// An assigned investigator, taking anyone's statement.
    Investigator,
    /// The responding party, submitting their own written response (R-INV-2).
    RespondingParty(Uuid),
}

pub fn can_add_statement(rel: &Relation) -> Result<StatementAuthor> {
    if rel.is_assigned(StaffRole::Investigator) {
        return Ok(StatementAuthor::Investigator);
    }
    if let Some(party) = rel.own_principal_party(Some(PartyRole::Responding)) {
        return Ok(StatementAuthor::RespondingParty(party));
    }
    Err(refuse(
        rel.any(),
        "case",
        "Statements are taken by the investigators.",
    ))
}

/// R-IRV-1: a principal party asks for an investigation review, for themselves.
pub fn can_request_investigation_review(rel: &Relation) -> Result<Uuid> {
    rel.own_principal_party(None).ok_or_else(|| {
        refuse(
            rel.any(),
            "case",
            "Only the reporting or responding party can ask for an investigation review.",
        )
    })
}

/// The investigator named to review completes the review.
pub fn can_complete_investigation_review(rel: &Relation, reviewer: Option<Uuid>) -> Result<()> {
    if reviewer == Some(rel.person) && rel.is_assigned(StaffRole::Investigator) {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "review request",
        "Only the reviewing investigator completes an accepted review.",
    ))
}

// --- hearings, sanctions, appeals ---------------------------------------------

/// R-HEA-2: the summoned student answers the summons themselves.
pub fn can_respond_to_summons(rel: &Relation) -> Result<()> {
    if rel.is_party(PartyRole::Responding) {
        return Ok(());
    }
    Err(refuse(
        rel.can_see_hearing(),
        "hearing",
        "Only the summoned student responds to a summons.",
    ))
}

/// The approval a sanction awaits is recorded by the conduct team or the
/// assigned decision maker.
pub fn can_approve_sanction(rel: &Relation, appeals_concluded: bool) -> Result<()> {
    if rel.conduct_team || rel.is_assigned(StaffRole::DecisionMaker) {
        return Ok(());
    }
    Err(refuse(
        rel.staff_view() || rel.can_see_outcome(appeals_concluded),
        "sanction",
        "The conduct team or the decision maker records approvals.",
    ))
}

/// R-APP-1: only the responding party appeals, for themselves.
pub fn can_lodge_appeal(rel: &Relation) -> Result<Uuid> {
    rel.own_principal_party(Some(PartyRole::Responding))
        .ok_or_else(|| {
            Error::rule(
                "R-APP-1",
                "Only the responding party may appeal, and not on anyone else's behalf.",
            )
        })
}

/// An appeal is acted on only by those who may see it.
pub fn can_open_appeal(rel: &Relation, appellant: Uuid) -> Result<()> {
    if rel.can_see_appeal(appellant) {
        Ok(())
    } else {
        Err(Error::NotFound("appeal"))
    }
}

/// R-APP-3: the appeal reviewer assigned to the case reviews.
pub fn can_review_appeal(rel: &Relation) -> Result<()> {
    if rel.is_assigned(StaffRole::AppealReviewer) {
        return Ok(());
    }
    Err(Error::rule(
        "R-APP-3",
        "Appeals are reviewed by the appeal reviewer assigned to the case.",
    ))
}

/// R-APP-3: an appeal referred to a panel is decided by that panel.
pub fn can_decide_appeal(rel: &Relation) -> Result<()> {
    if rel.is_assigned(StaffRole::PanelMember) {
        return Ok(());
    }
    Err(Error::Forbidden(
        "Only the appeal panel decides the appeal.".into(),
    ))
}

/// R-APP-5: the conduct team records the final decision the policy's named
/// officer took on an appeal panel's recommendation.
pub fn can_record_final_appeal_decision(rel: &Relation) -> Result<()> {
    if rel.conduct_team {
        return Ok(());
    }
    Err(Error::Forbidden(
        "The conduct team records the final decision on an appeal panel's recommendation.".into(),
    ))
}

/// R-APP-4: the reporting party asks for an informal review, for themselves.
pub fn can_request_informal_review(rel: &Relation) -> Result<Uuid> {
    rel.own_principal_party(Some(PartyRole::Reporting))
        .ok_or_else(|| {
            Error::rule(
                "R-APP-4",
                "Informal reviews are requested by the reporting party.",
            )
        })
}

// --- risk assessments and measures --------------------------------------------

/// R-TRI-3, early for an urgent risk: the conduct team, or the case worker of a
/// party (who assesses risk with the CfC group, 000 §24).
pub fn can_refer_to_cfc(rel: &Relation) -> Result<()> {
    if rel.conduct_team || !rel.supported.is_empty() {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "A case is referred to the Cause for Concern group by the conduct team or a party's case worker.",
    ))
}

/// A legal hold (stopping retention) is placed or released by the staff
/// running the case, an administrator or the data protection officer; the
/// latter two by the case's id, without seeing the case.
pub fn can_hold_case(
    rel: &Relation,
    viewer: &crate::domain::viewer::Viewer,
    policy: &crate::policy::Policy,
) -> Result<()> {
    if rel.procedure()
        || viewer.roles.contains(&StaffRole::Admin)
        || viewer.roles.contains(&policy.data_protection_officer())
    {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "A legal hold is placed by the conduct team, an administrator or the data protection officer.",
    ))
}

/// Safeguarding work on a case: the CfC group, decision makers, the conduct team.
pub fn can_do_safeguarding_work(rel: &Relation) -> Result<()> {
    if rel.can_see_risk_assessments() {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "Risk assessments and measures are for the Cause for Concern group, decision makers and the conduct team.",
    ))
}

/// R-MEA-1: risk assessments are recorded by the CfC group or the conduct team.
pub fn can_record_risk_assessment(rel: &Relation) -> Result<()> {
    can_do_safeguarding_work(rel)?;
    if rel.holds(StaffRole::CfcMember) || rel.holds(StaffRole::ConductOfficer) {
        return Ok(());
    }
    Err(Error::Forbidden(
        "Risk assessments are recorded by the Cause for Concern group or the conduct team.".into(),
    ))
}

/// R-MEA-3: precautionary measures are recommended by the CfC group.
pub fn can_recommend_measure(rel: &Relation) -> Result<()> {
    can_do_safeguarding_work(rel)?;
    if rel.holds(StaffRole::CfcMember) {
        return Ok(());
    }
    Err(Error::rule(
        "R-MEA-3",
        "Precautionary measures are recommended by the Cause for Concern group.",
    ))
}

/// A measure is acted on only by those who may see it.
pub fn can_open_measure(
    rel: &Relation,
    subjects: &[Uuid],
    status: crate::domain::kinds::MeasureStatus,
) -> Result<()> {
    if rel.can_see_measure(subjects, status) {
        Ok(())
    } else {
        Err(Error::Concealed("measure", None))
    }
}

/// R-MEA-3: a decision maker authorises a recommended measure.
pub fn can_authorise_measure(rel: &Relation) -> Result<()> {
    if rel.can_see_all_measures() && rel.holds(StaffRole::DecisionMaker) {
        return Ok(());
    }
    Err(Error::rule(
        "R-MEA-3",
        "Precautionary measures are authorised by a decision maker.",
    ))
}

/// An authorised measure is brought into force by a decision maker or the conduct team.
pub fn can_bring_measure_into_force(rel: &Relation) -> Result<()> {
    if rel.can_see_all_measures()
        && (rel.holds(StaffRole::DecisionMaker) || rel.holds(StaffRole::ConductOfficer))
    {
        return Ok(());
    }
    Err(Error::Forbidden(
        "A decision maker or the conduct team brings a measure into force.".into(),
    ))
}

/// R-MEA-4: the subject of a measure (or their case worker) asks for an earlier review.
pub fn can_ask_for_measure_review(rel: &Relation, subjects: &[Uuid]) -> Result<()> {
    if rel.on_subject_side(subjects) {
        return Ok(());
    }
    Err(Error::rule(
        "R-MEA-4",
        "Only the subject of a measure (or their case worker) can ask for an earlier review.",
    ))
}

/// R-MEA-4: non-compliance is recorded by the CfC group or the conduct team.
pub fn can_record_non_compliance(rel: &Relation) -> Result<()> {
    if rel.can_see_all_measures()
        && (rel.holds(StaffRole::CfcMember) || rel.holds(StaffRole::ConductOfficer))
    {
        return Ok(());
    }
    Err(Error::Forbidden(
        "The Cause for Concern group or the conduct team records non-compliance.".into(),
    ))
}

/// R-MEA-5: the subject of a measure (or their case worker) makes representations.
pub fn can_make_representations(rel: &Relation, subjects: &[Uuid]) -> Result<()> {
    if rel.on_subject_side(subjects) {
        return Ok(());
    }
    Err(Error::rule(
        "R-MEA-5",
        "Only the subject of a measure (or their case worker) makes representations about it.",
    ))
}

/// R-MEA-5: measures are reviewed by a decision maker.
pub fn can_review_measure(rel: &Relation) -> Result<()> {
    if rel.can_see_all_measures() && rel.holds(StaffRole::DecisionMaker) {
        return Ok(());
    }
    Err(Error::rule(
        "R-MEA-5",
        "Measures are reviewed by a decision maker.",
    ))
}

// --- communications -------------------------------------------------------------

/// The recipient's case worker stops a communication to that party; returns the party.
pub fn can_cancel_communication(rel: &Relation, row: &communication::Model) -> Result<Uuid> {
    match row.party_id.filter(|p| rel.supports(*p)) {
        Some(party) => Ok(party),
        None => Err(refuse(
            rel.can_see_communication(row),
            "communication",
            "Only the recipient's case worker can cancel a communication.",
        )),
    }
}

// --- letters ----------------------------------------------------------------------

/// A letter handed over (R-OUT-1) is recorded by the member of staff named to
/// deliver it, the recipient party's case worker, or the conduct team; a letter
/// sent by e-mail is delivered when it is sent.
pub fn can_mark_letter_delivered(rel: &Relation, row: &letter::Model) -> Result<()> {
    // Whoever may not read the letter may not learn anything about it.
    let may_know = rel.can_see_letter(row, chrono::NaiveDate::MAX);
    if may_know && row.deliverer_id.is_none() && row.delivered_on.is_some() {
        return Err(Error::Conflict(
            "This letter was sent by e-mail; it was delivered on its date.".into(),
        ));
    }
    let conduct = rel.procedure() && rel.holds(StaffRole::ConductOfficer);
    if row.deliverer_id == Some(rel.person)
        || conduct
        || row.party_id.is_some_and(|p| rel.supports(p))
    {
        return Ok(());
    }
    Err(refuse(
        may_know,
        "letter",
        "Only the member of staff delivering this letter, the party's case worker or the conduct team can record its delivery.",
    ))
}

/// A letter is corrected (a new letter replacing it) by the conduct team or
/// the conduct officer running the case: who answers for what the procedure
/// told the student.
pub fn can_correct_letter(rel: &Relation, row: &letter::Model) -> Result<()> {
    if rel.conduct_team || (rel.procedure() && rel.holds(StaffRole::ConductOfficer)) {
        return Ok(());
    }
    Err(refuse(
        rel.can_see_letter(row, chrono::NaiveDate::MAX),
        "letter",
        "Only the conduct team or the case's conduct officer can correct a letter.",
    ))
}

/// A party is written an update on their case (R-INV-9; 000: "kept informed
/// … by the Quality Office or their Case Worker") by the staff running the
/// procedure or the party's own case worker.
pub fn can_send_progress_update(rel: &Relation, party: Uuid) -> Result<()> {
    if rel.procedure() || rel.supports(party) {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "Only the staff running the procedure or the party's case worker can write them an update.",
    ))
}

/// A witness or a further responding party added after the report: the staff
/// running the procedure.
pub fn can_add_party(rel: &Relation) -> Result<()> {
    can_run_procedure(rel, "add a party to a case")
}

/// Naming a party whose name was withheld (R-DISC-4), or correcting a party's
/// details: the staff running the procedure, or Student Support for the
/// reporting party — her case worker (who learns names from her), or intake
/// while the disclosure waits for one (a reporting party recorded without her
/// name cannot have a case worker until she is named).
pub fn can_change_party_details(rel: &Relation, reporter: Uuid) -> Result<()> {
    let support = rel.holds(StaffRole::CaseWorker) && (rel.intake || rel.supports(reporter));
    if rel.procedure() || support {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "Only the staff running the procedure or Student Support for the reporting party can change who a party is.",
    ))
}

/// R-INV-8: a meeting's companion and adjustments are set by the invitee,
/// their case worker, or an assigned investigator.
pub fn can_set_meeting_arrangements(rel: &Relation, invitee: Uuid) -> Result<()> {
    if rel.on_side_of(invitee) || rel.is_assigned(StaffRole::Investigator) {
        return Ok(());
    }
    Err(refuse(
        rel.can_see_meeting(invitee),
        "meeting",
        "Only the invitee, their case worker or the investigator can arrange who accompanies them and the adjustments.",
    ))
}

/// R-HEA-6: late evidence is admitted or refused by a member of the panel
/// convened for the case (as its chair).
pub fn can_admit_late_evidence(rel: &Relation) -> Result<()> {
    can_act_as_assigned(rel, StaffRole::PanelMember, "admit or refuse late evidence")
}

/// R-DISC-7: the decision whether to act further is recorded by the student's
/// case worker (Student Support) or a member of the CfC group on a referred case.
pub fn can_record_follow_up_decision(rel: &Relation, reporter: Uuid) -> Result<()> {
    if rel.supports(reporter) || rel.can_see_follow_up_decision(Some(reporter)) {
        return Ok(());
    }
    Err(refuse(
        rel.any(),
        "case",
        "The decision is recorded by the student's case worker or the Cause for Concern group.",
    ))
}
