//! How one viewer is linked to one case. Several links can hold at once (a
//! conduct officer may also be assigned as investigator); every read and action
//! decision in this module is a rule over these links.

use std::collections::BTreeSet;

use entity::{case, case_staff, party};
use uuid::Uuid;

use crate::domain::kinds::{PartyRole, StaffRole, Stage};
use crate::domain::viewer::Viewer;

/// The ways a viewer can be linked to a case. Each has a Rust test
/// ([`Relation::has`]) and an SQL condition (`scope::condition`); the two must
/// agree, and lists are scoped by the same links a single look-up checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The viewer is a party (a responding party only once told of the report).
    Party,
    /// The viewer is the current case worker of a party.
    CaseWorker,
    /// The viewer is assigned to the case in a procedural role they still hold.
    Assigned,
    /// A conduct officer, on a case with a formal report.
    ConductTeam,
    /// The Cause for Concern group, on a case referred to it (R-TRI-3: at
    /// triage, or earlier for an urgent risk). Decision makers see risk
    /// assessments and measures of the cases they are assigned to.
    Safeguarding,
    /// A case worker, on a disclosure no case worker has taken yet.
    Intake,
    /// A responding party not yet told of the report, who was told of a
    /// precautionary measure binding them (R-MEA-5): that measure, its terms
    /// and their representations — nothing else of the case.
    MeasureSubject,
}

impl Link {
    pub const ALL: &'static [Link] = &[
        Link::Party,
        Link::CaseWorker,
        Link::Assigned,
        Link::ConductTeam,
        Link::Safeguarding,
        Link::Intake,
        Link::MeasureSubject,
    ];
    /// The links that open a case in the staff view (`case`, `cases`).
    pub const STAFF: &'static [Link] = &[
        Link::CaseWorker,
        Link::Assigned,
        Link::ConductTeam,
        Link::Safeguarding,
        Link::Intake,
    ];
    /// The link that opens a case in the party view (`myCase`, `myCases`).
    pub const PARTY: &'static [Link] = &[Link::Party];
}

/// How the viewer is connected to one case. Built only by [`relation`]; read
/// only through the named predicates and checks of this module.
#[derive(Debug, Clone, Default)]
pub struct Relation {
    pub(super) person: Uuid,
    pub(super) roles: BTreeSet<StaffRole>,
    /// The viewer's own parties on the case.
    pub(super) own_parties: Vec<(Uuid, PartyRole)>,
    /// Parties the viewer currently supports as their case worker.
    pub(super) supported: Vec<(Uuid, PartyRole)>,
    /// Procedural roles the viewer is actively assigned in (never CASE_WORKER).
    pub(super) assigned: Vec<StaffRole>,
    pub(super) conduct_team: bool,
    pub(super) safeguarding: bool,
    pub(super) intake: bool,
    /// The viewer's responding parties not yet told of the report but told of
    /// a measure binding them (R-MEA-5).
    pub(super) bound_before_told: Vec<Uuid>,
}

/// Computes the viewer's relation to a case from its parties and staff rows.
pub fn relation(
    viewer: &Viewer,
    case: &case::Model,
    parties: &[party::Model],
    staff: &[case_staff::Model],
) -> Relation {
    let mut rel = Relation {
        person: viewer.person_id,
        roles: viewer.roles.clone(),
        ..Relation::default()
    };
    for p in parties
        .iter()
        .filter(|p| p.person_id == Some(viewer.person_id))
    {
        let Some(role) = PartyRole::parse(&p.role) else {
            continue;
        };
        // Until told of the report, the case does not exist for a responding
        // party — except a measure they were told binds them (R-MEA-5).
        if role == PartyRole::Responding && p.informed_at.is_none() {
            if p.measure_notified_at.is_some() {
                rel.bound_before_told.push(p.id);
            }
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
        if !viewer.roles.contains(&role) {
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
            rel.assigned.push(role);
        }
    }
    let reported = case.report_submitted_at.is_some();
    let holds = |r: StaffRole| viewer.roles.contains(&r);
    rel.conduct_team = reported && holds(StaffRole::ConductOfficer);
    rel.safeguarding = holds(StaffRole::CfcMember) && case.cfc_referred_at.is_some();
    rel.intake = holds(StaffRole::CaseWorker) && is_unallocated_disclosure(case, parties, staff);
    rel
}

/// A disclosure still waiting for a case worker: no active case worker for a
/// reporting party, and not anonymous (R-DISC-2: no support offered).
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
    /// Whether one link holds (the Rust side of `scope::condition`).
    pub fn has(&self, link: Link) -> bool {
        match link {
            Link::Party => !self.own_parties.is_empty(),
            Link::CaseWorker => !self.supported.is_empty(),
            Link::Assigned => !self.assigned.is_empty(),
            Link::ConductTeam => self.conduct_team,
            Link::Safeguarding => self.safeguarding,
            Link::Intake => self.intake,
            Link::MeasureSubject => !self.bound_before_told.is_empty(),
        }
    }

    fn any_of(&self, links: &[Link]) -> bool {
        links.iter().any(|l| self.has(*l))
    }

    /// Any link at all: the viewer may know the case exists.
    pub fn any(&self) -> bool {
        self.any_of(Link::ALL)
    }

    /// Staff who may open the case in the staff view (`case`, `cases`).
    pub fn staff_view(&self) -> bool {
        self.any_of(Link::STAFF)
    }

    /// The party whose view of the case the viewer gets (`myCase`, `myCases`).
    pub fn party_view_as(&self) -> Option<Uuid> {
        self.own_parties.first().map(|(id, _)| *id)
    }

    /// Runs the procedure: the conduct team, or staff assigned in a procedural role.
    pub(super) fn procedure(&self) -> bool {
        self.conduct_team || !self.assigned.is_empty()
    }

    pub(super) fn is_party(&self, role: PartyRole) -> bool {
        self.own_parties.iter().any(|(_, r)| *r == role)
    }

    pub(super) fn supports_role(&self, role: PartyRole) -> bool {
        self.supported.iter().any(|(_, r)| *r == role)
    }

    pub(super) fn is_own_party(&self, party: Uuid) -> bool {
        self.own_parties.iter().any(|(id, _)| *id == party)
    }

    pub(super) fn supports(&self, party: Uuid) -> bool {
        self.supported.iter().any(|(id, _)| *id == party)
    }

    /// The viewer is this party, or their case worker.
    pub(super) fn on_side_of(&self, party: Uuid) -> bool {
        self.is_own_party(party) || self.supports(party)
    }

    pub(super) fn is_assigned(&self, role: StaffRole) -> bool {
        self.assigned.contains(&role)
    }

    pub(super) fn holds(&self, role: StaffRole) -> bool {
        self.roles.contains(&role)
    }

    /// The principal side (reporting or responding) the viewer is on, as a
    /// party or as a case worker; witnesses and third parties have none.
    pub(super) fn principal(&self) -> Option<PartyRole> {
        self.own_parties
            .iter()
            .chain(&self.supported)
            .map(|(_, r)| *r)
            .find(|r| r.is_principal())
    }

    /// The viewer's own party in a principal role.
    pub(super) fn own_principal_party(&self, role: Option<PartyRole>) -> Option<Uuid> {
        self.own_parties
            .iter()
            .find(|(_, r)| match role {
                Some(role) => *r == role,
                None => r.is_principal(),
            })
            .map(|(id, _)| *id)
    }
}
