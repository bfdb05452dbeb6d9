//! The links of [`Relation`](super::Relation) as SQL conditions on `cases`, so
//! lists are scoped inside the query by the same rules a single look-up
//! applies in Rust (`matrix` tests and the e2e list/look-up test check both agree).

use entity::{case, case_staff, party, support_note};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition};
use uuid::Uuid;

use super::relation::Link;
use crate::domain::kinds::{PartyRole, StaffRole, Stage};
use crate::domain::viewer::Viewer;

/// R-SUP-5 as SQL, for the support notes `notes` (a table or its alias) on
/// the viewer's own party: those shared with the party, and every note of a
/// party the viewer is assigned to. It may let through more than
/// `Relation::can_read_support_note`, never less; that check is applied to
/// each note afterwards. `$1` is the viewer.
pub fn own_party_support_notes(notes: &str) -> String {
    format!(
        r#"({notes}."shared_with_party" OR EXISTS (SELECT 1 FROM "case_staff" w WHERE w."party_id" = {notes}."party_id" AND w."person_id" = $1 AND w."ended_at" IS NULL))"#
    )
}

/// R-SUP-5 as a condition on `support_note`, for the viewer's own parties
/// once it is known on which of them they are also an assigned case worker
/// (`assigned`, from the case's staff): every note there; on the `others`,
/// only the notes shared with the party. The same notes as
/// [`own_party_support_notes`], in a form PostgreSQL can answer from the
/// index of shared notes.
pub fn own_support_notes(assigned: Vec<Uuid>, others: Vec<Uuid>) -> Condition {
    // The shared arm always: with no parties it is false, never an empty
    // (and so absent) condition.
    let mut condition = Condition::any().add(
        Condition::all()
            .add(support_note::Column::PartyId.is_in(others))
            .add(support_note::Column::SharedWithParty.eq(true)),
    );
    if !assigned.is_empty() {
        condition = condition.add(support_note::Column::PartyId.is_in(assigned));
    }
    condition
}

/// Cases a member of staff may open in the staff view (`Relation::staff_view`).
pub fn staff_scope(viewer: &Viewer) -> Condition {
    scope(viewer, Link::STAFF)
}

/// Cases the viewer is a party to (`Relation::party_view_as`).
pub fn party_scope(viewer: &Viewer) -> Condition {
    scope(viewer, Link::PARTY)
}

/// Cases where any of `links` holds for the viewer.
pub fn scope(viewer: &Viewer, links: &[Link]) -> Condition {
    let any = links
        .iter()
        .filter_map(|l| condition(*l, viewer))
        .fold(Condition::any(), Condition::add);
    if any.is_empty() {
        // No link possible for this viewer: match nothing.
        return Condition::all().add(Expr::val(1).eq(0));
    }
    any
}

/// One link as a condition on `cases`; `None` where the viewer's roles rule it out.
fn condition(link: Link, viewer: &Viewer) -> Option<Condition> {
    let holds = |r: StaffRole| viewer.roles.contains(&r);
    let reported = || Condition::all().add(case::Column::ReportSubmittedAt.is_not_null());
    match link {
        Link::Party => {
            Some(Condition::all().add(case::Column::Id.in_subquery(own_parties(viewer))))
        }
        Link::CaseWorker => holds(StaffRole::CaseWorker).then(|| {
            Condition::all().add(
                case::Column::Id.in_subquery(
                    active_assignments(viewer)
                        .and_where(case_staff::Column::Role.eq(StaffRole::CaseWorker.as_str()))
                        .and_where(case_staff::Column::PartyId.is_not_null())
                        .to_owned(),
                ),
            )
        }),
        Link::Assigned => {
            let procedural: Vec<&str> = viewer
                .roles
                .iter()
                .filter(|r| **r != StaffRole::CaseWorker)
                .map(|r| r.as_str())
                .collect();
            (!procedural.is_empty()).then(|| {
                Condition::all().add(
                    case::Column::Id.in_subquery(
                        active_assignments(viewer)
                            .and_where(case_staff::Column::Role.is_in(procedural))
                            .to_owned(),
                    ),
                )
            })
        }
        Link::ConductTeam => holds(StaffRole::ConductOfficer).then(reported),
        Link::Safeguarding => holds(StaffRole::CfcMember)
            .then(|| Condition::all().add(case::Column::CfcReferredAt.is_not_null())),
        Link::Intake => holds(StaffRole::CaseWorker).then(unallocated_disclosures),
        Link::MeasureSubject => {
            Some(Condition::all().add(case::Column::Id.in_subquery(bound_before_told(viewer))))
        }
    }
}

/// Cases where the viewer is a responding party not yet told of the report
/// but told of a measure binding them (R-MEA-5).
fn bound_before_told(viewer: &Viewer) -> SelectStatement {
    Query::select()
        .column(party::Column::CaseId)
        .from(party::Entity)
        .and_where(party::Column::PersonId.eq(viewer.person_id))
        .and_where(party::Column::Role.eq(PartyRole::Responding.as_str()))
        .and_where(party::Column::InformedAt.is_null())
        .and_where(party::Column::MeasureNotifiedAt.is_not_null())
        .to_owned()
}

/// The viewer's parties; a responding party only once told of the report.
fn own_parties(viewer: &Viewer) -> SelectStatement {
    Query::select()
        .column(party::Column::CaseId)
        .from(party::Entity)
        .and_where(party::Column::PersonId.eq(viewer.person_id))
        .cond_where(
            Condition::any()
                .add(party::Column::Role.ne(PartyRole::Responding.as_str()))
                .add(party::Column::InformedAt.is_not_null()),
        )
        .to_owned()
}

/// The viewer's assignments that have not ended.
fn active_assignments(viewer: &Viewer) -> SelectStatement {
    Query::select()
        .column(case_staff::Column::CaseId)
        .from(case_staff::Entity)
        .and_where(case_staff::Column::PersonId.eq(viewer.person_id))
        .and_where(case_staff::Column::EndedAt.is_null())
        .to_owned()
}

/// Non-anonymous disclosures with no active case worker for a reporting party.
fn unallocated_disclosures() -> Condition {
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

/// Rows about the viewer themselves — their notifications, their letters, the
/// disclosures they forwarded (R-DISC-3): `column` holds the person they concern.
pub fn own<C: ColumnTrait>(viewer: &Viewer, column: C) -> Condition {
    Condition::all().add(column.eq(viewer.person_id))
}
