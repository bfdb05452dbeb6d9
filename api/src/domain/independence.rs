//! Independence rules (R-IND-1, R-IND-2): who may not be a party's case worker.
//! Enforced, not just recorded: a breach refuses the assignment naming the rule.

use entity::{
    case_staff, contact_attempt, options_conversation, party, support_note, supportive_measure,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::domain::case_store::CaseBundle;
use crate::domain::kinds::{PartyRole, StaffRole};
use crate::error::{Error, Result};

/// Checks that `worker` may become the case worker of `party` on this case.
pub async fn check_case_worker(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    party: &party::Model,
    worker: Uuid,
) -> Result<()> {
    if bundle.parties.iter().any(|p| p.person_id == Some(worker)) {
        return Err(Error::rule(
            "R-IND-2",
            "A party to the case cannot be a case worker on it.",
        ));
    }
    let case = &bundle.case;
    let role = PartyRole::from_db(&party.role)?;
    let workers_of = |r: PartyRole| -> Vec<Uuid> {
        let ids: Vec<Uuid> = bundle
            .parties
            .iter()
            .filter(|p| p.role == r.as_str())
            .map(|p| p.id)
            .collect();
        bundle
            .staff
            .iter()
            .filter(|s| {
                s.role == StaffRole::CaseWorker.as_str()
                    && s.party_id.is_some_and(|p| ids.contains(&p))
            })
            .map(|s| s.person_id)
            .collect()
    };
    match role {
        PartyRole::Reporting => {
            // R-IND-1: not the person the student first disclosed to (000 §14).
            if [case.received_by, case.forwarded_by, case.recorded_by].contains(&Some(worker)) {
                return Err(Error::rule(
                    "R-IND-1",
                    "The disclosing student's case worker cannot be the person who first received the disclosure.",
                ));
            }
            if workers_of(PartyRole::Responding).contains(&worker) {
                return Err(Error::rule(
                    "R-IND-2",
                    "This person already supports the responding party on this case.",
                ));
            }
        }
        PartyRole::Responding => {
            if workers_of(PartyRole::Reporting).contains(&worker) {
                return Err(Error::rule(
                    "R-IND-2",
                    "The responding party's case worker cannot be the reporting party's case worker.",
                ));
            }
            let involved_here = bundle
                .staff
                .iter()
                .any(|s| s.person_id == worker && s.party_id != Some(party.id))
                || [case.received_by, case.forwarded_by, case.recorded_by].contains(&Some(worker));
            if involved_here {
                return Err(Error::rule(
                    "R-IND-2",
                    "The responding party's case worker must have had no prior involvement in the case.",
                ));
            }
            let reporting_people: Vec<Uuid> = bundle
                .parties
                .iter()
                .filter(|p| p.role == PartyRole::Reporting.as_str())
                .filter_map(|p| p.person_id)
                .collect();
            if had_contact_with(db, worker, &reporting_people).await? {
                return Err(Error::rule(
                    "R-IND-2",
                    "The responding party's case worker must have had no prior contact with the reporting party.",
                ));
            }
        }
        PartyRole::Witness => {}
        // 000 §15: support for someone affected by the responding party's
        // conduct is not given by that party's case worker.
        PartyRole::Affected => {
            if workers_of(PartyRole::Responding).contains(&worker) {
                return Err(Error::rule(
                    "R-IND-2",
                    "This person supports the responding party on this case; an affected person needs another case worker.",
                ));
            }
        }
    }
    Ok(())
}

/// Whether `worker` has supported, contacted or written about any of `people`
/// as a party in any case.
async fn had_contact_with(
    db: &impl ConnectionTrait,
    worker: Uuid,
    people: &[Uuid],
) -> Result<bool> {
    if people.is_empty() {
        return Ok(false);
    }
    let their_parties: Vec<Uuid> = party::Entity::find()
        .select_only()
        .column(party::Column::Id)
        .filter(party::Column::PersonId.is_in(people.to_vec()))
        .into_tuple()
        .all(db)
        .await?;
    if their_parties.is_empty() {
        return Ok(false);
    }
    let supported = case_staff::Entity::find()
        .filter(case_staff::Column::PersonId.eq(worker))
        .filter(case_staff::Column::PartyId.is_in(their_parties.clone()))
        .count(db)
        .await?;
    let contacted = contact_attempt::Entity::find()
        .filter(contact_attempt::Column::MadeBy.eq(worker))
        .filter(contact_attempt::Column::PartyId.is_in(their_parties.clone()))
        .count(db)
        .await?;
    let conversed = options_conversation::Entity::find()
        .filter(options_conversation::Column::HeldBy.eq(worker))
        .filter(options_conversation::Column::PartyId.is_in(their_parties.clone()))
        .count(db)
        .await?;
    let wrote = support_note::Entity::find()
        .filter(support_note::Column::AuthorId.eq(worker))
        .filter(support_note::Column::PartyId.is_in(their_parties))
        .count(db)
        .await?;
    Ok(supported + contacted + conversed + wrote > 0)
}

/// What involvement `person` has had with this case or its students, in words
/// for the refusal, or None (R-IND-3, R-IND-4, and R-IND-5 in DOMAIN §7):
/// a party; anyone who received, forwarded or recorded the disclosure or
/// submitted the report; staff ever assigned to it; the conduct officer who
/// triaged or decided it; whoever recommended or authorised a measure, wrote a
/// risk assessment, imposed a sanction, reviewed an appeal or a review
/// request, arranged a meeting, or recorded a statement, evidence or a support
/// note; and staff who have dealt with any of its students in another case.
pub async fn involvement(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    person: Uuid,
) -> Result<Option<String>> {
    use entity::{
        appeal, evidence, measure, meeting, procedure, review_request, risk_assessment, sanction,
        statement,
    };
    let c = &bundle.case;
    if bundle.parties.iter().any(|p| p.person_id == Some(person)) {
        return Ok(Some("are a party to the case".into()));
    }
    let named = [
        (c.received_by, "received the disclosure"),
        (c.forwarded_by, "forwarded the disclosure"),
        (c.recorded_by, "recorded the disclosure"),
        (c.report_submitted_by, "submitted the report"),
    ];
    if let Some((_, what)) = named.iter().find(|(who, _)| *who == Some(person)) {
        return Ok(Some((*what).into()));
    }
    if let Some(s) = bundle.staff.iter().find(|s| s.person_id == person) {
        return Ok(Some(format!(
            "have been assigned to the case as {}",
            s.role
        )));
    }
    if let Some(p) = procedure::Entity::find_by_id(c.id).one(db).await? {
        if p.triaged_by == Some(person) {
            return Ok(Some("triaged the case".into()));
        }
        if p.decided_by == Some(person) {
            return Ok(Some("decided the case".into()));
        }
    }
    let case_id = c.id;
    macro_rules! did {
        ($table:ident, $column:ident, $what:literal) => {
            if $table::Entity::find()
                .filter($table::Column::CaseId.eq(case_id))
                .filter($table::Column::$column.eq(person))
                .count(db)
                .await?
                > 0
            {
                return Ok(Some($what.into()));
            }
        };
    }
    did!(
        measure,
        RecommendedBy,
        "recommended a precautionary measure"
    );
    did!(measure, AuthorisedBy, "authorised a precautionary measure");
    did!(risk_assessment, RecordedBy, "wrote a risk assessment");
    did!(sanction, ImposedBy, "imposed a sanction");
    did!(appeal, ReviewedBy, "reviewed an appeal");
    did!(review_request, ReviewerId, "reviewed a review request");
    did!(meeting, ArrangedBy, "arranged an investigation meeting");
    did!(statement, RecordedBy, "recorded a statement");
    did!(evidence, RecordedBy, "recorded evidence");
    did!(support_note, AuthorId, "wrote a support note");
    did!(
        supportive_measure,
        ArrangedBy,
        "arranged a supportive measure"
    );
    // R-IND-5: previous dealings with any student of this case, elsewhere.
    let students: Vec<Uuid> = bundle.parties.iter().filter_map(|p| p.person_id).collect();
    if !students.is_empty() {
        let their_cases = sea_orm::sea_query::Query::select()
            .column(party::Column::CaseId)
            .from(party::Entity)
            .and_where(party::Column::PersonId.is_in(students))
            .to_owned();
        let elsewhere = case_staff::Entity::find()
            .filter(case_staff::Column::PersonId.eq(person))
            .filter(case_staff::Column::CaseId.ne(case_id))
            .filter(case_staff::Column::CaseId.in_subquery(their_cases))
            .count(db)
            .await?;
        if elsewhere > 0 {
            return Ok(Some(
                "have dealt with a student of this case in another case".into(),
            ));
        }
    }
    Ok(None)
}
