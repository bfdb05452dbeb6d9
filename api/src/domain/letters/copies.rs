//! R-OUT-3: a confidential copy of an outcome to the officers the policy
//! names (`notices.outcome_copies`: Registrar, Dean, Head of Department…),
//! sent by the conduct team to the person holding each office for this
//! student. The officer reads that copy (`myLetters`) and nothing else of the
//! case: a copy gives them no link to it. The offices named in
//! `notices.appeal_outcome_copies` (004's Syndicate, R-APP-5) are sent it only
//! once an appeal has been decided or an expulsion imposed.

use entity::{appeal, letter, person, sanction};
use minijinja::Value;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::triggers::{describe_sanction, list, standing_sanctions};
use super::{Draft, Fields, issue_to_officer};
use crate::domain::kinds::{AppealStatus, LetterKind, PartyRole, PersonKind};
use crate::domain::procedure::{open_as_conduct, state};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::PolicyBook;

/// One copy: the office, as the policy names it, and who holds it.
pub struct Copy {
    pub office: String,
    pub person_id: Uuid,
}

pub async fn send_outcome_copies(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    copies: Vec<Copy>,
) -> Result<Vec<letter::Model>> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let proc = state(db, case_id).await?;
    if proc.outcome_reasons.is_none() {
        return Err(Error::rule("R-OUT-3", "There is no outcome to copy yet."));
    }
    let appeal_decided = appeal::Entity::find()
        .filter(appeal::Column::CaseId.eq(case_id))
        .filter(appeal::Column::Status.is_in([
            AppealStatus::Rejected.as_str(),
            AppealStatus::Corrected.as_str(),
            AppealStatus::Upheld.as_str(),
            AppealStatus::Substituted.as_str(),
            AppealStatus::CaseDismissed.as_str(),
        ]))
        .count(db)
        .await?
        > 0;
    let expelled = sanction::Entity::find()
        .filter(sanction::Column::CaseId.eq(case_id))
        .filter(sanction::Column::Kind.eq("EXPULSION"))
        .count(db)
        .await?
        > 0;
    let offices: Vec<&String> = policy
        .notices
        .outcome_copies
        .iter()
        .chain(&policy.notices.appeal_outcome_copies)
        .collect();
    if copies.is_empty() {
        return Err(Error::validation(
            "copies",
            "Name at least one office and its holder.",
        ));
    }
    let mut officers = Vec::with_capacity(copies.len());
    for copy in &copies {
        if !offices.contains(&&copy.office) {
            let allowed = if offices.is_empty() {
                "This institution's policy names no offices to copy an outcome to.".to_string()
            } else {
                let names: Vec<&str> = offices.iter().map(|o| o.as_str()).collect();
                format!("The policy names these offices: {}.", names.join(", "))
            };
            return Err(Error::validation(
                "copies",
                format!(
                    "{:?} is not an office the outcome is copied to. {allowed}",
                    copy.office
                ),
            ));
        }
        if !policy.notices.outcome_copies.contains(&copy.office) && !appeal_decided && !expelled {
            return Err(Error::rule(
                "R-APP-5",
                format!(
                    "The {} is told of appeal outcomes and expulsions; this case has neither yet.",
                    copy.office
                ),
            ));
        }
        let officer = person::Entity::find_by_id(copy.person_id)
            .one(db)
            .await?
            .filter(|p| p.kind == PersonKind::Staff.as_str())
            .ok_or_else(|| {
                Error::validation("copies", "Each office holder must be a member of staff.")
            })?;
        if bundle
            .parties
            .iter()
            .any(|p| p.person_id == Some(officer.id))
        {
            return Err(Error::validation(
                "copies",
                "A party to the case cannot be sent a copy as an officer.",
            ));
        }
        officers.push(officer.id);
    }
    let students: Vec<String> = {
        let mut names = Vec::new();
        for party in bundle
            .parties
            .iter()
            .filter(|p| p.role == PartyRole::Responding.as_str())
        {
            if let Some(id) = party.person_id
                && let Some(p) = person::Entity::find_by_id(id).one(db).await?
            {
                names.push(p.display_name);
            }
        }
        names
    };
    let breach = proc.breach_found && !proc.removed_from_record;
    let sanctions = if breach {
        standing_sanctions(db, &bundle, None).await?
    } else {
        vec![]
    };
    let mut sent = Vec::with_capacity(copies.len());
    for (copy, officer) in copies.iter().zip(officers) {
        let fields = Fields::from([
            ("office", Value::from(copy.office.clone())),
            ("student", Value::from(students.join(" and "))),
            ("breach_found", Value::from(breach)),
            ("sanctions", list(sanctions.iter().map(describe_sanction))),
            ("after_appeal", Value::from(appeal_decided)),
        ]);
        let draft = Draft::new(LetterKind::OutcomeCopy, fields).about(case_id);
        sent.push(issue_to_officer(db, viewer.now, policy, &bundle, officer, draft).await?);
    }
    crate::domain::audit::record(db, viewer, "sendOutcomeCopies", case_id).await?;
    Ok(sent)
}
