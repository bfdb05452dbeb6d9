//! What a viewer may read of a case (DOMAIN §3): one named predicate for every
//! read decision a resolver makes. Each is a rule over the viewer's links.

use chrono::NaiveDate;
use entity::{case, communication, letter, party};
use uuid::Uuid;

use super::relation::Relation;
use crate::domain::kinds::{
    Audience, CommunicationKind, DeadlineKind, MeasureStatus, PartyRole, StaffRole, TimelineKind,
};

impl Relation {
    // --- the case as a whole -------------------------------------------------

    /// The exact stage is for staff running the procedure; everyone else gets
    /// the limited form from the policy (000 §36).
    pub fn sees_exact_stage(&self) -> bool {
        self.procedure()
    }

    /// The coarse stage ("progress"): staff, and the principal parties (and
    /// their case workers); a witness, or a third party affected and their
    /// case worker, learns nothing of where the case stands.
    pub fn can_see_progress(&self) -> bool {
        self.procedure() || self.safeguarding || self.intake || self.principal().is_some()
    }

    /// Why the case is paused (police, health…): the procedure only.
    pub fn can_see_pause_reason(&self) -> bool {
        self.procedure()
    }

    /// The viewer sees the case only because it waits in the intake queue.
    pub fn sees_only_as_intake(&self) -> bool {
        self.intake && self.supported.is_empty() && !self.procedure()
    }

    // --- disclosure and report -----------------------------------------------

    /// The disclosure narrative was told to Student Support: the discloser and
    /// their case worker(s) read it; the conduct procedure works from the report.
    pub fn can_read_disclosure(&self) -> bool {
        self.is_party(PartyRole::Reporting) || self.supports_role(PartyRole::Reporting)
    }

    /// The disclosure's category, channel and date: for triage by intake too.
    pub fn can_read_disclosure_outline(&self) -> bool {
        self.can_read_disclosure() || self.intake || self.procedure() || self.safeguarding
    }

    /// The formal report: reporting side, the procedure, and the responding side
    /// once they have been told and the reporting party agreed to it (R-REP-2, 002 §8).
    pub fn can_read_report(&self, case: &case::Model) -> bool {
        if case.report_submitted_at.is_none() {
            return false;
        }
        let respondent_may_know = case.respondent_may_be_informed == Some(true);
        self.procedure()
            || self.can_read_disclosure()
            || (respondent_may_know
                && (self.is_party(PartyRole::Responding)
                    || self.supports_role(PartyRole::Responding)))
    }

    /// What the reporting party seeks and whether they agreed the responding
    /// party may be told (R-REP-2): the reporting side and the procedure.
    pub fn can_read_reporting_side_of_report(&self) -> bool {
        self.procedure() || self.can_read_disclosure()
    }

    // --- parties ---------------------------------------------------------------

    /// That a party exists, with their role. Witnesses learn nobody's; nobody
    /// outside the procedure learns a witness's.
    pub fn can_see_party(&self, party: &party::Model) -> bool {
        // 000 §15: a third party offered support is not a party to the
        // procedure: only they and their case worker(s) know they are there.
        if party.role == PartyRole::Affected.as_str() {
            return self.on_side_of(party.id);
        }
        if self.procedure()
            || self.safeguarding
            || self.on_side_of(party.id)
            || self.bound_before_told.contains(&party.id)
        {
            return true;
        }
        // Intake allocates the reporting party's case worker (or names her,
        // R-DISC-4): it knows she is there, not who she is.
        if self.intake && party.role == PartyRole::Reporting.as_str() {
            return true;
        }
        let principal = |r: PartyRole| matches!(r, PartyRole::Reporting | PartyRole::Responding);
        let viewer_is_principal = self
            .own_parties
            .iter()
            .chain(&self.supported)
            .any(|(_, r)| principal(*r));
        // A party whose name is withheld is still there; only the name is not.
        viewer_is_principal && party.role != PartyRole::Witness.as_str()
    }

    /// A party's name: withheld on request (R-DISC-4) from all but the party,
    /// their case worker(s) and the procedure.
    pub fn can_see_party_name(&self, party: &party::Model) -> bool {
        (!party.identity_withheld && !self.sees_only_as_intake())
            || self.can_see_party_contact(party.id)
    }

    /// Contact details, SIS number, preferred channel, when told: the party,
    /// their own case worker(s), the procedure.
    pub fn can_see_party_contact(&self, party: Uuid) -> bool {
        self.procedure() || self.on_side_of(party)
    }

    /// A party's case workers: that party, their case workers, the procedure.
    pub fn can_see_case_workers_of(&self, party: Uuid) -> bool {
        self.procedure() || self.on_side_of(party)
    }

    /// Support-side records of a party (options conversations, consents,
    /// information shared, irreversible actions): that party and their case workers.
    pub fn can_see_support_records_of(&self, party: Uuid) -> bool {
        self.on_side_of(party)
    }

    /// R-SUP-6: supportive measures (financial aid, counselling, moved
    /// assessments, remedial support): the party they support and that party's
    /// case worker(s); never the other side, never the procedure.
    pub fn can_see_supportive_measures_of(&self, party: Uuid) -> bool {
        self.on_side_of(party)
    }

    /// R-SUP-7: a party's communication plan and initial meeting note: the
    /// party, their case worker(s), and the procedure that keeps to it.
    pub fn can_see_communication_plan_of(&self, party: Uuid) -> bool {
        self.procedure() || self.on_side_of(party)
    }

    /// R-FTS-1: that a case went to fitness to study, and when each step was
    /// taken: the procedure (the responding student's medical detail is
    /// another matter, below).
    pub fn can_see_fitness_to_study(&self) -> bool {
        self.procedure()
    }

    /// R-FTS-1: medical detail is special-category data: the procedure, and of
    /// it only the roles the policy names (`fitness_to_study.medical_detail_roles`).
    pub fn can_read_medical_detail(&self, roles: &[StaffRole]) -> bool {
        self.procedure() && roles.iter().any(|r| self.holds(*r))
    }

    /// R-DISC-7: the decision whether to act further when the student did not
    /// reply: those who took it — her case worker(s) and the CfC group on a
    /// referred case. (The forwarder is told only the outcome.)
    pub fn can_see_follow_up_decision(&self, reporter: Option<Uuid>) -> bool {
        reporter.is_some_and(|p| self.supports(p)) || self.safeguarding
    }

    /// Attempts to reach the student: their case worker(s) only.
    pub fn can_see_contact_attempts_of(&self, party: Uuid) -> bool {
        self.supports(party)
    }

    /// R-SUP-5: support notes are for the party's case workers, and for the party
    /// where the note is marked shared. Never the procedure, never the other side.
    pub fn can_read_support_note(&self, party: Uuid, shared_with_party: bool) -> bool {
        self.supports(party) || (shared_with_party && self.is_own_party(party))
    }

    // --- safeguarding signals --------------------------------------------------

    /// Whether a responding party is, or was, responding in other cases: a
    /// signal for the conduct team and the decision maker to weigh (000, 001);
    /// never parties, case workers or investigators.
    pub fn can_see_repeat_respondent(&self) -> bool {
        self.conduct_team || self.is_assigned(StaffRole::DecisionMaker)
    }

    // --- timeline --------------------------------------------------------------

    /// Timeline entries: support events stay with the party they concern;
    /// procedural events are seen by all who can see the case, except witnesses.
    pub fn can_see_timeline_event(&self, kind: &str, party: Option<Uuid>) -> bool {
        use TimelineKind as K;
        let Some(kind) = K::parse(kind) else {
            return false;
        };
        match kind {
            K::SupportNoteAdded => party.is_some_and(|p| self.supports(p)),
            // R-DISC-6: the procedure, the reporting side (her matter went
            // elsewhere), and the routed party's own side.
            K::RoutedToStaffProcedure => {
                self.procedure()
                    || self.principal() == Some(PartyRole::Reporting)
                    || party.is_some_and(|p| self.on_side_of(p))
            }
            K::CommunicationPlanAgreed
            | K::InitialMeetingRecorded
            | K::InitialMeetingNoteConfirmed => {
                party.is_some_and(|p| self.can_see_communication_plan_of(p))
            }
            K::SupportiveMeasureArranged
            | K::SupportiveMeasureReviewed
            | K::SupportiveMeasureEnded => {
                party.is_some_and(|p| self.can_see_supportive_measures_of(p))
            }
            K::CaseWorkerAssigned
            | K::CaseWorkerAssignmentEnded
            | K::ContactAttempted
            | K::OptionsConversationHeld
            | K::OptionsChoiceChanged
            | K::ConsentRecorded
            | K::InformationShared
            | K::AffectedPersonSupported => {
                party.is_some_and(|p| self.can_see_support_records_of(p))
            }
            K::DisclosureRecorded => self.can_read_disclosure() || self.procedure(),
            K::MeetingRescheduled | K::MeetingCancelled => {
                party.is_some_and(|p| self.can_see_meeting(p))
            }
            K::HearingRearranged | K::HearingReferred => self.can_see_hearing(),
            // A support decision about the reporting party (R-DISC-7).
            K::FollowUpDecided => self.can_see_follow_up_decision(party),
            // Who a party is: the procedure, and that party's own side.
            K::PartyAdded | K::PartyIdentified | K::PartyDetailsCorrected => {
                self.procedure() || party.is_some_and(|p| self.on_side_of(p))
            }
            // At a meeting (its party's), or at the hearing.
            K::AttendanceRecorded => {
                party.map_or(self.can_see_hearing(), |p| self.can_see_meeting(p))
            }
            K::FormalReportSubmitted
            | K::RespondingPartyInformed
            | K::StageChanged
            | K::PolicyVersionChanged => {
                self.procedure() || self.safeguarding || self.principal().is_some()
            }
        }
    }

    /// The reason given for an event: the procedure, or the side it concerns.
    pub fn can_read_event_reason(&self, party: Option<Uuid>) -> bool {
        self.procedure() || party.is_some_and(|p| self.on_side_of(p))
    }

    // --- safeguarding ----------------------------------------------------------

    /// R-MEA-1: risk assessments are for the CfC group (on cases referred to
    /// it), the decision maker assigned to the case and the conduct team;
    /// never parties, case workers, investigators or analysts.
    pub fn can_see_risk_assessments(&self) -> bool {
        self.conduct_team || self.safeguarding || self.is_assigned(StaffRole::DecisionMaker)
    }

    /// Every measure on the case with its history, consent and approvals (same
    /// people as risk assessments).
    pub fn can_see_all_measures(&self) -> bool {
        self.can_see_risk_assessments()
    }

    /// One measure: safeguarding staff see all; a party bound by it (and their
    /// case worker) sees it once it is authorised (R-MEA-7).
    pub fn can_see_measure(&self, subjects: &[Uuid], status: MeasureStatus) -> bool {
        self.can_see_all_measures()
            || (status != MeasureStatus::Recommended && self.on_subject_side(subjects))
    }

    /// Whether any measure is in place (R-MEA-7): the principal parties.
    pub fn can_see_whether_measures_in_place(&self) -> bool {
        self.principal().is_some()
    }

    /// Whom a no-contact order protects is part of its terms: safeguarding
    /// staff and the subject's side know it — including a subject told of the
    /// order before being told of the report (R-MEA-5).
    pub fn can_see_whom_a_measure_protects(&self, subjects: &[Uuid]) -> bool {
        self.can_see_all_measures() || self.on_subject_side(subjects)
    }

    /// The viewer themselves is bound by a measure on `subjects` (as a party,
    /// or told of it before being told of the report, R-MEA-5).
    pub fn is_bound_by(&self, subjects: &[Uuid]) -> bool {
        subjects
            .iter()
            .any(|p| self.is_own_party(*p) || self.bound_before_told.contains(p))
    }

    /// The viewer is bound by a measure on `subjects`, or is case worker to one it binds.
    pub(super) fn on_subject_side(&self, subjects: &[Uuid]) -> bool {
        subjects
            .iter()
            .any(|p| self.on_side_of(*p) || self.bound_before_told.contains(p))
    }

    // --- the procedure ---------------------------------------------------------

    /// Triage: classification, routing and the CfC referral.
    pub fn can_see_triage(&self) -> bool {
        self.procedure()
    }

    /// The investigation report goes to both principal parties (002 §8) once
    /// issued; the procedure also sees the finding a conviction stands for (R-INV-5).
    pub fn can_see_investigation_report(&self, issued: bool, conviction: bool) -> bool {
        (issued && (self.procedure() || self.principal().is_some()))
            || (conviction && self.procedure())
    }

    /// R-INV-3: an evidence item is seen by those assigned to the case file
    /// always, the conduct team and each party per its audience (a party's
    /// case worker as the party), and its submitter.
    pub fn can_see_evidence(&self, audience: &[Audience], submitted_by: Option<Uuid>) -> bool {
        if !self.assigned.is_empty() {
            return true;
        }
        if self.conduct_team && audience.contains(&Audience::CaseOfficer) {
            return true;
        }
        if submitted_by.is_some_and(|p| self.on_side_of(p)) {
            return true;
        }
        self.own_parties
            .iter()
            .chain(&self.supported)
            .any(|(_, r)| match r {
                PartyRole::Reporting => audience.contains(&Audience::ReportingParty),
                PartyRole::Responding => audience.contains(&Audience::RespondingParty),
                PartyRole::Witness => audience.contains(&Audience::Witnesses),
                PartyRole::Affected => false,
            })
    }

    /// R-HEA-6: late evidence not admitted (awaiting the chair, or refused) is
    /// before the procedure — the panel decides on it — and the side that
    /// gave it; nobody else.
    pub fn can_see_unadmitted_evidence(&self, submitted_by: Option<Uuid>) -> bool {
        self.procedure() || submitted_by.is_some_and(|p| self.on_side_of(p))
    }

    /// Statements: the procedure; the author; principal parties where shared (002 §8).
    pub fn can_see_statement(&self, author: Uuid, shared_with_parties: bool) -> bool {
        self.procedure()
            || self.on_side_of(author)
            || (shared_with_parties && self.principal().is_some())
    }

    /// R-INV-4: interview recordings are for the investigators and the interviewee only.
    pub fn can_see_recording(&self, interviewee: Uuid) -> bool {
        self.is_assigned(StaffRole::Investigator) || self.is_own_party(interviewee)
    }

    /// Meetings: the procedure, and the invitee (and their case worker).
    pub fn can_see_meeting(&self, party: Uuid) -> bool {
        self.procedure() || self.on_side_of(party)
    }

    /// Hearing papers (summons, response): the procedure and the responding side.
    pub fn can_see_hearing(&self) -> bool {
        self.procedure() || self.principal() == Some(PartyRole::Responding)
    }

    /// Panel votes (deliberations): the procedure only.
    pub fn can_see_panel_votes(&self) -> bool {
        self.procedure()
    }

    /// R-OUT-2: the decision, outcome and sanctions reach the responding side at
    /// once, the reporting side only after the appeal process has concluded.
    /// The reporting party to whom what this viewer sees of the responding
    /// party's case is a disclosure to record (000 §36, R-OUT-2): the viewer
    /// in their own party view as the reporting party. Staff are not recipients.
    pub fn disclosure_recipient(&self) -> Option<Uuid> {
        if self.procedure() {
            return None;
        }
        self.own_principal_party(Some(PartyRole::Reporting))
    }

    /// The record of what the reporting party was told: the staff running the
    /// case, and the reporting party's case worker.
    pub fn can_see_disclosure_record(&self) -> bool {
        self.procedure() || self.supports_role(PartyRole::Reporting)
    }

    pub fn can_see_outcome(&self, appeals_concluded: bool) -> bool {
        match self.principal() {
            _ if self.procedure() => true,
            Some(PartyRole::Responding) => true,
            Some(PartyRole::Reporting) => appeals_concluded,
            _ => false,
        }
    }

    /// One responding party's own outcome — their finding, appeal and
    /// sanctions — with several respondents (000 §35, R-OUT-2 per respondent):
    /// the procedure; that respondent's side (never a co-respondent's); the
    /// reporting side once that respondent's appeal process has concluded.
    pub fn can_see_outcome_of(&self, respondent: Uuid, concluded: bool) -> bool {
        match self.principal() {
            _ if self.procedure() => true,
            Some(PartyRole::Responding) => self.on_side_of(respondent),
            Some(PartyRole::Reporting) => concluded,
            _ => false,
        }
    }

    /// A sanction's justification (R-SAN-2): the procedure and the sanctioned side.
    pub fn can_see_sanction_justification(&self, party: Uuid) -> bool {
        self.procedure() || self.on_side_of(party)
    }

    /// R-SAN-2: previous sanctions are shown to those deciding.
    pub fn can_see_previous_sanctions(&self) -> bool {
        self.conduct_team
            || self.assigned.iter().any(|r| {
                matches!(
                    r,
                    StaffRole::DecisionMaker | StaffRole::PanelMember | StaffRole::AppealReviewer
                )
            })
    }

    /// Appeals: the procedure and the appellant's side.
    pub fn can_see_appeal(&self, appellant: Uuid) -> bool {
        self.procedure() || self.on_side_of(appellant)
    }

    /// Review requests (investigation or informal review): the procedure and
    /// the requesting side.
    pub fn can_see_review_request(&self, party: Uuid) -> bool {
        self.procedure() || self.on_side_of(party)
    }

    /// R-TIME-1 deadlines: measure reviews for safeguarding staff; procedural
    /// deadlines for the procedure; a party's own deadline for that party and
    /// their case worker(s).
    pub fn can_see_deadline(&self, kind: DeadlineKind, party: Option<Uuid>) -> bool {
        match kind {
            DeadlineKind::MeasureReview => self.can_see_all_measures(),
            // R-SUP-6: the case worker who reviews it; not the procedure.
            DeadlineKind::SupportiveMeasureReview => party.is_some_and(|p| self.supports(p)),
            // A letter to hand over: the staff who may deliver it, not the party.
            DeadlineKind::LetterDelivery => {
                self.procedure() || party.is_some_and(|p| self.supports(p))
            }
            _ => self.procedure() || party.is_some_and(|p| self.on_side_of(p)),
        }
    }

    // --- communications ----------------------------------------------------

    /// A letter or e-mail: its recipient; the recipient party's case workers
    /// (and whoever sees that party's support records); the procedure sees
    /// notices and acknowledgements.
    pub fn can_see_communication(&self, row: &communication::Model) -> bool {
        if row.recipient_id == self.person {
            return true;
        }
        if row
            .party_id
            .is_some_and(|p| self.can_see_support_records_of(p))
        {
            return true;
        }
        self.procedure()
            && matches!(
                CommunicationKind::parse(&row.kind),
                Some(CommunicationKind::Notice | CommunicationKind::ReportAcknowledgement)
            )
    }

    /// The letters addressed to the viewer (the party view lists only these).
    pub fn is_recipient_of(&self, row: &communication::Model) -> bool {
        row.recipient_id == self.person
    }

    // --- letters -------------------------------------------------------------

    /// A letter (issue 9): its recipient once it has reached them (a letter to
    /// be handed over is not read before it is); the recipient party's case
    /// workers; the staff running the procedure. Never the other side: a
    /// reporting party's case worker does not read the responding party's letters.
    /// The SQL side of the recipient's part is `myLetters` (own, delivered by today).
    pub fn can_see_letter(&self, row: &letter::Model, today: NaiveDate) -> bool {
        if row.recipient_id == self.person {
            return row.delivered_on.is_some_and(|d| d <= today);
        }
        self.procedure() || row.party_id.is_some_and(|p| self.supports(p))
    }
}
