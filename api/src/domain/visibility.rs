//! Who sees what (DOMAIN §3, R-VIS-1). Every path — single look-ups, lists,
//! nested fields, mutation payloads — asks this module, so `case(id)` and
//! `cases` cannot disagree. A viewer's relationship to a case is computed from
//! the case's parties and staff; each check below is a named rule over it.
//! Anything a viewer may not see behaves as not found.

use entity::{case, case_staff, party};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use crate::domain::kinds::{PartyRole, StaffRole, Stage};
use crate::domain::viewer::Viewer;

/// How the viewer is connected to one case. Several links can hold at once.
#[derive(Debug, Clone, Default)]
pub struct Relation {
    /// The viewer's own parties on the case. A responding party counts only once
    /// they have been told of the report (until then the case does not exist for them).
    pub own_parties: Vec<(Uuid, PartyRole)>,
    /// Parties the viewer currently supports as their case worker.
    pub supported: Vec<(Uuid, PartyRole)>,
    /// Runs the procedure: the conduct team once a report exists, or staff
    /// assigned to the case in a procedural role they still hold.
    pub procedure: bool,
    /// A case worker looking at an unallocated disclosure in the intake queue.
    pub intake: bool,
    /// The conduct team on a case with a formal report.
    pub conduct_team: bool,
    /// The Cause for Concern group or a decision maker on a reported case
    /// (R-TRI-3: every conduct case is referred to the CfC group): risk
    /// assessments and precautionary measures only.
    pub safeguarding: bool,
    /// Procedural roles the viewer is actively assigned in on this case.
    pub assigned: Vec<StaffRole>,
}

pub fn relation(
    viewer: &Viewer,
    case: &case::Model,
    parties: &[party::Model],
    staff: &[case_staff::Model],
) -> Relation {
    let mut rel = Relation::default();
    for p in parties
        .iter()
        .filter(|p| p.person_id == Some(viewer.person_id))
    {
        let Some(role) = PartyRole::parse(&p.role) else {
            continue;
        };
        if role == PartyRole::Responding && p.informed_at.is_none() {
            continue;
        }
        rel.own_parties.push((p.id, role));
    }
    for s in staff
        .iter()
        .filter(|s| s.person_id == viewer.person_id && s.ended_at.is_none())
    {
        let Some(role) = StaffRole::parse(&s.role) else {
            continue;
        };
        if !viewer.has(role) {
            continue; // a revoked role ends what the assignment allowed
        }
        if role == StaffRole::CaseWorker {
            if let Some(party) = s
                .party_id
                .and_then(|id| parties.iter().find(|p| p.id == id))
                && let Some(prole) = PartyRole::parse(&party.role)
            {
                rel.supported.push((party.id, prole));
            }
        } else {
            rel.procedure = true;
            rel.assigned.push(role);
        }
    }
    let reported = case.report_submitted_at.is_some();
    if viewer.has(StaffRole::ConductOfficer) && reported {
        rel.procedure = true;
        rel.conduct_team = true;
    }
    rel.safeguarding =
        reported && (viewer.has(StaffRole::CfcMember) || viewer.has(StaffRole::DecisionMaker));
    rel.intake =
        viewer.has(StaffRole::CaseWorker) && is_unallocated_disclosure(case, parties, staff);
    rel
}

fn is_unallocated_disclosure(
    case: &case::Model,
    parties: &[party::Model],
    staff: &[case_staff::Model],
) -> bool {
    let reporting: Vec<Uuid> = parties
        .iter()
        .filter(|p| p.role == PartyRole::Reporting.as_str())
        .map(|p| p.id)
        .collect();
    case.stage == Stage::Disclosure.as_str()
        && !case.anonymous
        && !staff.iter().any(|s| {
            s.ended_at.is_none()
                && s.role == StaffRole::CaseWorker.as_str()
                && s.party_id.is_some_and(|p| reporting.contains(&p))
        })
}

impl Relation {
    pub fn any(&self) -> bool {
        !self.own_parties.is_empty()
            || !self.supported.is_empty()
            || self.procedure
            || self.intake
            || self.safeguarding
    }

    /// Staff who may open the case as staff (the `case` query).
    pub fn staff_view(&self) -> bool {
        self.procedure || !self.supported.is_empty() || self.intake || self.safeguarding
    }

    fn is_party(&self, role: PartyRole) -> bool {
        self.own_parties.iter().any(|(_, r)| *r == role)
    }

    fn supports_role(&self, role: PartyRole) -> bool {
        self.supported.iter().any(|(_, r)| *r == role)
    }

    pub fn is_own_party(&self, party: Uuid) -> bool {
        self.own_parties.iter().any(|(id, _)| *id == party)
    }

    pub fn supports(&self, party: Uuid) -> bool {
        self.supported.iter().any(|(id, _)| *id == party)
    }

    /// The exact stage is for staff running the procedure; everyone else gets the
    /// limited form from the policy (000 §36).
    pub fn sees_exact_stage(&self) -> bool {
        self.procedure
    }

    /// The disclosure narrative was told to Student Support: the discloser and
    /// their case worker(s) read it, the conduct procedure works from the report.
    pub fn can_read_disclosure(&self) -> bool {
        self.is_party(PartyRole::Reporting) || self.supports_role(PartyRole::Reporting)
    }

    /// The disclosure's category, channel and date: for triage by intake too.
    pub fn can_read_disclosure_outline(&self) -> bool {
        self.can_read_disclosure() || self.intake || self.procedure || self.safeguarding
    }

    /// The formal report: reporting side, the procedure, and the responding side
    /// once they have been told and the reporting party agreed to it (R-REP-2, 002 §8).
    pub fn can_read_report(&self, case: &case::Model) -> bool {
        if case.report_submitted_at.is_none() {
            return false;
        }
        let respondent_may_know = case.respondent_may_be_informed == Some(true);
        self.procedure
            || self.is_party(PartyRole::Reporting)
            || self.supports_role(PartyRole::Reporting)
            || (respondent_may_know
                && (self.is_party(PartyRole::Responding)
                    || self.supports_role(PartyRole::Responding)))
    }

    /// Names of the other parties. Witnesses learn nobody's; nobody outside the
    /// procedure learns a witness's; a withheld identity (R-DISC-4) stays withheld.
    pub fn can_see_party_identity(&self, party: &party::Model) -> bool {
        if self.procedure
            || self.safeguarding
            || self.is_own_party(party.id)
            || self.supports(party.id)
        {
            return true;
        }
        let principal = |r: PartyRole| matches!(r, PartyRole::Reporting | PartyRole::Responding);
        let viewer_is_principal = self.own_parties.iter().any(|(_, r)| principal(*r))
            || self.supported.iter().any(|(_, r)| principal(*r));
        viewer_is_principal && party.role != PartyRole::Witness.as_str() && !party.identity_withheld
    }

    /// Contact details: the party, their own case worker(s), the procedure.
    pub fn can_see_party_contact(&self, party: Uuid) -> bool {
        self.procedure || self.is_own_party(party) || self.supports(party)
    }

    /// A party's case workers: that party, their case workers, the procedure.
    pub fn can_see_case_workers_of(&self, party: Uuid) -> bool {
        self.procedure || self.is_own_party(party) || self.supports(party)
    }

    /// Support-side records of a party (options conversations, consents,
    /// information shared, contact attempts): that party and their case workers.
    pub fn can_see_support_records_of(&self, party: Uuid) -> bool {
        self.is_own_party(party) || self.supports(party)
    }

    /// R-SUP-5: support notes are for the party's case workers, and for the party
    /// where the note is marked shared. Never the procedure, never the other side.
    pub fn can_read_support_note(&self, party: Uuid, shared_with_party: bool) -> bool {
        self.supports(party) || (shared_with_party && self.is_own_party(party))
    }

    /// Timeline entries: support events stay with the party they concern;
    /// procedural events are seen by all who can see the case, except witnesses.
    pub fn can_see_timeline_event(&self, kind: &str, party: Option<Uuid>) -> bool {
        use crate::domain::kinds::TimelineKind as K;
        let Some(kind) = K::parse(kind) else {
            return false;
        };
        match kind {
            K::SupportNoteAdded => party.is_some_and(|p| self.supports(p)),
            K::CaseWorkerAssigned
            | K::ContactAttempted
            | K::OptionsConversationHeld
            | K::OptionsChoiceChanged
            | K::ConsentRecorded
            | K::InformationShared => party.is_some_and(|p| self.can_see_support_records_of(p)),
            K::DisclosureRecorded => self.can_read_disclosure() || self.procedure,
            K::FormalReportSubmitted | K::RespondingPartyInformed | K::StageChanged => {
                self.procedure
                    || self.safeguarding
                    || self
                        .own_parties
                        .iter()
                        .chain(&self.supported)
                        .any(|(_, r)| *r != PartyRole::Witness)
            }
        }
    }

    /// R-MEA-1: risk assessments are for the CfC group, decision makers and the
    /// conduct team; never parties, case workers, investigators or analysts.
    pub fn can_see_risk_assessments(&self) -> bool {
        self.conduct_team || self.safeguarding
    }

    /// Every measure on the case with its history (same people as risk assessments).
    pub fn can_see_all_measures(&self) -> bool {
        self.can_see_risk_assessments()
    }

    pub fn is_assigned(&self, role: StaffRole) -> bool {
        self.assigned.contains(&role)
    }

    fn principal(&self) -> Option<PartyRole> {
        self.own_parties
            .iter()
            .chain(&self.supported)
            .map(|(_, r)| *r)
            .find(|r| *r != PartyRole::Witness)
    }

    /// R-INV-3: an evidence item is seen by investigators and the case file's
    /// decision makers always, the conduct team and each party per its audience
    /// (a party's case worker as the party), and its submitter.
    pub fn can_see_evidence(
        &self,
        audience: &[crate::domain::kinds::Audience],
        submitted_by: Option<Uuid>,
    ) -> bool {
        use crate::domain::kinds::Audience as A;
        if self.assigned.iter().any(|r| *r != StaffRole::CaseWorker) {
            return true;
        }
        if self.conduct_team && audience.contains(&A::CaseOfficer) {
            return true;
        }
        if submitted_by.is_some_and(|p| self.is_own_party(p) || self.supports(p)) {
            return true;
        }
        let sides = self
            .own_parties
            .iter()
            .chain(&self.supported)
            .map(|(_, r)| *r);
        sides.into_iter().any(|r| match r {
            PartyRole::Reporting => audience.contains(&A::ReportingParty),
            PartyRole::Responding => audience.contains(&A::RespondingParty),
            PartyRole::Witness => audience.contains(&A::Witnesses),
        })
    }

    /// Statements: the procedure; the author; principal parties where shared (002 §8).
    pub fn can_see_statement(&self, author: Uuid, shared_with_parties: bool) -> bool {
        self.procedure
            || self.is_own_party(author)
            || self.supports(author)
            || (shared_with_parties && self.principal().is_some())
    }

    /// R-INV-4: interview recordings are for the investigators and the interviewee only.
    pub fn can_see_recording(&self, interviewee: Uuid) -> bool {
        self.is_assigned(StaffRole::Investigator) || self.is_own_party(interviewee)
    }

    /// Meetings: the procedure, and the invitee (and their case worker).
    pub fn can_see_meeting(&self, party: Uuid) -> bool {
        self.procedure || self.is_own_party(party) || self.supports(party)
    }

    /// The investigation report goes to both principal parties (002 §8) and the procedure.
    pub fn can_see_investigation_report(&self) -> bool {
        self.procedure || self.principal().is_some()
    }

    /// Hearing papers (summons, response): the procedure and the responding side.
    /// Panel votes (deliberations) are for the procedure only.
    pub fn can_see_hearing(&self) -> bool {
        self.procedure || self.principal() == Some(PartyRole::Responding)
    }

    /// R-OUT-2: the responding side learns the outcome at once; the reporting side
    /// only after the appeal process has concluded.
    pub fn can_see_outcome(&self, appeals_concluded: bool) -> bool {
        match self.principal() {
            _ if self.procedure => true,
            Some(PartyRole::Responding) => true,
            Some(PartyRole::Reporting) => appeals_concluded,
            _ => false,
        }
    }

    /// Appeals: the procedure and the appellant's side.
    pub fn can_see_appeal(&self, appellant: Uuid) -> bool {
        self.procedure || self.is_own_party(appellant) || self.supports(appellant)
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

    /// R-TIME-1 deadlines: measure reviews for safeguarding staff; procedural
    /// deadlines for the procedure; a party's own deadline for that party and
    /// their case worker(s).
    pub fn can_see_deadline(
        &self,
        kind: crate::domain::kinds::DeadlineKind,
        party: Option<Uuid>,
    ) -> bool {
        use crate::domain::kinds::DeadlineKind as K;
        match kind {
            K::MeasureReview => self.can_see_all_measures(),
            _ => self.procedure || party.is_some_and(|p| self.is_own_party(p) || self.supports(p)),
        }
    }

    /// The reason given for an event: the procedure, or the side it concerns.
    pub fn can_read_event_reason(&self, party: Option<Uuid>) -> bool {
        self.procedure || party.is_some_and(|p| self.is_own_party(p) || self.supports(p))
    }
}

/// SQL condition on `cases` selecting the cases a member of staff may open.
/// Mirrors `Relation::staff_view` (an e2e test checks both agree).
pub fn staff_scope(viewer: &Viewer) -> Condition {
    let mut any = Condition::any();
    let procedural: Vec<&str> = viewer
        .roles
        .iter()
        .filter(|r| **r != StaffRole::CaseWorker)
        .map(|r| r.as_str())
        .collect();
    if !procedural.is_empty() {
        any = any.add(
            case::Column::Id.in_subquery(
                Query::select()
                    .column(case_staff::Column::CaseId)
                    .from(case_staff::Entity)
                    .and_where(case_staff::Column::PersonId.eq(viewer.person_id))
                    .and_where(case_staff::Column::EndedAt.is_null())
                    .and_where(case_staff::Column::Role.is_in(procedural))
                    .to_owned(),
            ),
        );
    }
    if viewer.has(StaffRole::CaseWorker) {
        any = any.add(
            case::Column::Id.in_subquery(
                Query::select()
                    .column(case_staff::Column::CaseId)
                    .from(case_staff::Entity)
                    .and_where(case_staff::Column::PersonId.eq(viewer.person_id))
                    .and_where(case_staff::Column::EndedAt.is_null())
                    .and_where(case_staff::Column::Role.eq(StaffRole::CaseWorker.as_str()))
                    .and_where(case_staff::Column::PartyId.is_not_null())
                    .to_owned(),
            ),
        );
        any = any.add(intake_scope());
    }
    if viewer.has(StaffRole::ConductOfficer)
        || viewer.has(StaffRole::CfcMember)
        || viewer.has(StaffRole::DecisionMaker)
    {
        any = any.add(case::Column::ReportSubmittedAt.is_not_null());
    }
    if any.is_empty() {
        // No staff link possible: match nothing.
        return Condition::all().add(Expr::val(1).eq(0));
    }
    any
}

/// Unallocated, non-anonymous disclosures: no active case worker for a reporting party.
fn intake_scope() -> Condition {
    Condition::all()
        .add(case::Column::Stage.eq(Stage::Disclosure.as_str()))
        .add(case::Column::Anonymous.eq(false))
        .add(
            case::Column::Id.not_in_subquery(
                Query::select()
                    .column((case_staff::Entity, case_staff::Column::CaseId))
                    .from(case_staff::Entity)
                    .inner_join(
                        party::Entity,
                        Expr::col((party::Entity, party::Column::Id))
                            .equals((case_staff::Entity, case_staff::Column::PartyId)),
                    )
                    .and_where(
                        Expr::col((case_staff::Entity, case_staff::Column::EndedAt)).is_null(),
                    )
                    .and_where(
                        Expr::col((case_staff::Entity, case_staff::Column::Role))
                            .eq(StaffRole::CaseWorker.as_str()),
                    )
                    .and_where(
                        Expr::col((party::Entity, party::Column::Role))
                            .eq(PartyRole::Reporting.as_str()),
                    )
                    .to_owned(),
            ),
        )
}

/// SQL condition selecting the cases where the viewer is a party (responding
/// parties only once informed).
pub fn party_scope(viewer: &Viewer) -> Condition {
    Condition::all().add(
        case::Column::Id.in_subquery(
            Query::select()
                .column(party::Column::CaseId)
                .from(party::Entity)
                .and_where(party::Column::PersonId.eq(viewer.person_id))
                .cond_where(
                    Condition::any()
                        .add(party::Column::Role.ne(PartyRole::Responding.as_str()))
                        .add(party::Column::InformedAt.is_not_null()),
                )
                .to_owned(),
        ),
    )
}
