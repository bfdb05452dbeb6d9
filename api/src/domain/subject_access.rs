//! Subject access exports (R-RET-2, UK GDPR Art. 15): everything held about
//! one person — as a party, a witness, a subject of measures, a recipient of
//! letters — as one JSON document, with other people's personal data left
//! out: other parties appear not at all (not even by name), and their
//! statements, evidence and support notes, the panel's votes and the other
//! side's outcome are omitted. Staff appear by name where they acted on the
//! person's case (they act in an official capacity), including in the audit
//! entries of who read it.
//!
//! The document is built from one read per table, whatever the number of
//! cases; it is produced for the data protection officer, who reviews it
//! before it is sent, and producing it is audited.

use std::collections::{BTreeMap, HashMap};

use entity::{
    appeal, audit_entry, case, communication, communication_plan, contact_attempt,
    disclosure_record, evidence, health_record, hearing, measure, meeting, notification,
    options_conversation, party, person, procedure, recording, respondent_outcome, review_request,
    role_grant, sanction, statement, support_note, supportive_measure,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::domain::access::roles;
use crate::domain::kinds::{PartyRole, Stage};
use crate::domain::viewer::Viewer;
use crate::domain::{codec, measures};
use crate::error::{Error, Result};
use crate::policy::PolicyBook;

/// The export: the JSON document and a readable rendering of it.
pub struct Export {
    pub person_id: Uuid,
    pub document: Value,
    pub readable: String,
}

pub async fn export(
    viewer: &Viewer,
    db: &sea_orm::DatabaseConnection,
    policies: &PolicyBook,
    person_id: Uuid,
) -> Result<Export> {
    let policy = policies.current().as_ref();
    roles::can_act_for_data_protection(viewer, policy, "produce subject access exports")?;
    // Who read their cases includes what a job recorded a moment ago.
    crate::domain::audit::chain_pending(db).await?;
    let who = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("person"))?;
    let own: Vec<party::Model> = party::Entity::find()
        .filter(party::Column::PersonId.eq(person_id))
        .order_by_asc(party::Column::AddedAt)
        .all(db)
        .await?;
    let own_ids: Vec<Uuid> = own.iter().map(|p| p.id).collect();
    let case_ids: Vec<Uuid> = own.iter().map(|p| p.case_id).collect();
    let cases: HashMap<Uuid, case::Model> = case::Entity::find()
        .filter(case::Column::Id.is_in(case_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let procedures: HashMap<Uuid, procedure::Model> = procedure::Entity::find()
        .filter(procedure::Column::CaseId.is_in(case_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.case_id, p))
        .collect();
    macro_rules! of_parties {
        ($table:ident, $column:ident) => {
            $table::Entity::find()
                .filter($table::Column::$column.is_in(own_ids.clone()))
                .all(db)
                .await?
        };
    }
    let statements = of_parties!(statement, PartyId);
    let submitted = of_parties!(evidence, SubmittedByParty);
    let meetings = of_parties!(meeting, PartyId);
    let recordings = of_parties!(recording, IntervieweePartyId);
    let sanctions = of_parties!(sanction, PartyId);
    let appeals = of_parties!(appeal, PartyId);
    let own_outcomes = of_parties!(respondent_outcome, PartyId);
    let reviews = of_parties!(review_request, PartyId);
    let notes = of_parties!(support_note, PartyId);
    let supportive = of_parties!(supportive_measure, PartyId);
    let plans = of_parties!(communication_plan, PartyId);
    let conversations = of_parties!(options_conversation, PartyId);
    let attempts = of_parties!(contact_attempt, PartyId);
    let told = of_parties!(disclosure_record, PartyId);
    let health = health_record::Entity::find()
        .filter(health_record::Column::CaseId.is_in(case_ids.clone()))
        .all(db)
        .await?;
    let hearings = hearing::Entity::find()
        .filter(hearing::Column::CaseId.is_in(case_ids.clone()))
        .all(db)
        .await?;
    let case_measures = measure::Entity::find()
        .filter(measure::Column::CaseId.is_in(case_ids.clone()))
        .all(db)
        .await?;
    let letters = communication::Entity::find()
        .filter(communication::Column::RecipientId.eq(person_id))
        .order_by_asc(communication::Column::CreatedAt)
        .all(db)
        .await?;
    // The procedure's letters to the person, as issued (issue 9).
    let procedure_letters = entity::letter::Entity::find()
        .filter(entity::letter::Column::RecipientId.eq(person_id))
        .order_by_asc(entity::letter::Column::CreatedAt)
        .all(db)
        .await?;
    let notices = notification::Entity::find()
        .filter(notification::Column::RecipientId.eq(person_id))
        .order_by_asc(notification::Column::CreatedAt)
        .all(db)
        .await?;
    let reads = audit_entry::Entity::find()
        .filter(audit_entry::Column::CaseId.is_in(case_ids.clone()))
        .order_by_asc(audit_entry::Column::Seq)
        .all(db)
        .await?;
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person_id))
        .all(db)
        .await?;
    // Everyone party to these cases: named in no entry but as "another party".
    let parties_of_cases: Vec<Uuid> = party::Entity::find()
        .filter(party::Column::CaseId.is_in(case_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.person_id)
        .collect();
    let reader = |viewer: Option<Uuid>, names: &HashMap<Uuid, String>| -> String {
        match viewer {
            None => "the service".into(),
            Some(id) if id == person_id => "you".into(),
            Some(id) if parties_of_cases.contains(&id) => "another party to the case".into(),
            Some(id) => names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| "a person since removed".into()),
        }
    };
    // Staff who read or acted on the case, by name (official capacity).
    let mut staff_ids: Vec<Uuid> = reads.iter().filter_map(|e| e.viewer_id).collect();
    staff_ids.sort();
    staff_ids.dedup();
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(staff_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.display_name))
        .collect();

    let mut case_docs = Vec::new();
    for mine in &own {
        let Some(c) = cases.get(&mine.case_id) else {
            continue;
        };
        let role = PartyRole::from_db(&mine.role)?;
        let of_case = |case_id: Uuid| case_id == c.id;
        let summary = json!({
            "reference": c.reference,
            "yourRole": role.as_str(),
            "openedAt": c.opened_at,
            "closedAt": c.closed_at,
            // Where the case stands is for its two sides, as in the API
            // (a witness or a third party affected is not told, 000 §15).
            "stage": if role.is_principal() {
                Some(policies.for_case(db, c).await?.progress_label(Stage::from_db(&c.stage)?).to_string())
            } else {
                None
            },
            "categories": codec::decode::<Value>("cases.categories", &c.categories)?,
            "yourDetailsAsRecorded": {
                "describedAs": mine.described_as,
                "identityWithheld": mine.identity_withheld,
                "informedOfReportAt": mine.informed_at,
                "preferredChannel": mine.preferred_channel,
            },
        });
        let mut doc = match summary {
            Value::Object(fields) => fields,
            _ => serde_json::Map::new(),
        };
        if role == PartyRole::Reporting {
            // Their own account, in their own words.
            doc.insert(
                "yourDisclosure".into(),
                json!({ "description": c.description, "incidentDate": c.incident_date }),
            );
            if c.report_submitted_by == Some(person_id) || c.report_statement.is_some() {
                doc.insert(
                    "yourReport".into(),
                    json!({
                        "submittedAt": c.report_submitted_at,
                        "statement": c.report_statement,
                        "desiredOutcome": c.report_desired_outcome,
                    }),
                );
            }
        }
        if role == PartyRole::Responding
            && let Some(p) = procedures.get(&c.id)
        {
            // What the procedure decided about them (their own finding where
            // there are several respondents, 000 §35); never the panel's votes.
            let theirs = own_outcomes.iter().find(|o| o.party_id == mine.id);
            doc.insert("allegationsAndOutcome".into(), json!({
                "allegedBreaches": p.alleged_breaches.as_deref().map(|b| codec::decode::<Value>("procedure.alleged_breaches", b)).transpose()?,
                "investigationFinding": p.finding,
                "decision": p.decision_option,
                "decisionReasons": p.decision_reasons,
                "breachFound": theirs.map(|o| o.breach_found).or(p.outcome_reasons.is_some().then_some(p.breach_found)),
                "outcomeReasons": p.outcome_reasons,
                "notifiedAt": p.outcome_notified_at,
                "appealWindowEnds": p.appeal_window_ends,
                "removedFromRecord": theirs.map_or(p.removed_from_record, |o| o.removed_from_record),
                "appealProcessConcludedAt": theirs.and_then(|o| o.concluded_at),
            }));
            // R-FTS-1: their own health data (special category), as recorded.
            doc.insert("fitnessToStudy".into(), health
                .iter()
                .filter(|r| of_case(r.case_id))
                .map(|r| json!({ "step": r.kind, "recordedAt": r.recorded_at, "detail": r.detail }))
                .collect());
            doc.insert("hearings".into(), hearings
                .iter()
                .filter(|h| of_case(h.case_id))
                .map(|h| {
                    json!({
                        "scheduledAt": h.scheduled_at, "location": h.location,
                        "allegedBreaches": h.alleged_breaches, "penaltyRange": h.penalty_range,
                        "proposedPenalty": h.proposed_penalty, "summonsSentAt": h.summons_sent_at,
                        "response": h.response, "companion": h.companion,
                        "deemedAcceptance": h.deemed_acceptance, "decision": h.decision,
                        "decisionReasons": h.decision_reasons, "decidedAt": h.decided_at,
                    })
                })
                .collect());
        }
        let mine_only = |party_id: Uuid| party_id == mine.id;
        doc.insert(
            "yourStatements".into(),
            statements
                .iter()
                .filter(|s| mine_only(s.party_id))
                .map(|s| json!({ "kind": s.kind, "body": s.body, "recordedAt": s.created_at }))
                .collect(),
        );
        doc.insert("evidenceYouSubmitted".into(), submitted
            .iter()
            .filter(|e| e.submitted_by_party == Some(mine.id))
            .map(|e| json!({ "kind": e.kind, "description": e.description, "recordedAt": e.created_at }))
            .collect());
        doc.insert("yourMeetings".into(), meetings
            .iter()
            .filter(|m| mine_only(m.party_id))
            .map(|m| json!({ "scheduledAt": m.scheduled_at, "noticeGivenAt": m.notice_given_at, "writtenResponseDue": m.written_response_due, "heldAt": m.held_at }))
            .collect());
        doc.insert("recordingsOfYourInterviews".into(), recordings
            .iter()
            .filter(|r| mine_only(r.interviewee_party_id))
            .map(|r| json!({ "location": r.location, "recordedAt": r.created_at, "deletedAt": r.deleted_at }))
            .collect());
        doc.insert("sanctionsOnYou".into(), sanctions
            .iter()
            .filter(|s| mine_only(s.party_id))
            .map(|s| json!({ "kind": s.kind, "amountPence": s.amount_pence, "justification": s.justification, "whyNotLesser": s.why_not_lesser, "endsOn": s.ends_on, "status": s.status, "imposedAt": s.created_at }))
            .collect());
        // Stored JSON that cannot be read is an internal error, as in the
        // views: an export never silently leaves part of the record out.
        doc.insert("yourAppeals".into(), appeals
            .iter()
            .filter(|a| mine_only(a.party_id))
            .map(|a| Ok(json!({ "grounds": codec::decode::<Value>("appeal.grounds", &a.grounds)?, "statement": a.statement, "lodgedAt": a.lodged_at, "status": a.status, "reviewReasons": a.review_reasons, "panelReasons": a.panel_reasons, "completionOfProceduresOn": a.completion_of_procedures_on })))
            .collect::<Result<Vec<Value>>>()?
            .into());
        doc.insert("yourReviewRequests".into(), reviews
            .iter()
            .filter(|r| mine_only(r.party_id))
            .map(|r| json!({ "kind": r.kind, "grounds": r.grounds, "requestedAt": r.requested_at, "status": r.status, "outcome": r.outcome, "reasons": r.reasons }))
            .collect());
        doc.insert("supportNotesAboutYou".into(), notes
            .iter()
            .filter(|n| mine_only(n.party_id))
            .map(|n| json!({ "body": n.body, "sharedWithYou": n.shared_with_party, "writtenAt": n.created_at }))
            .collect());
        doc.insert("supportiveMeasuresForYou".into(), supportive
            .iter()
            .filter(|m| mine_only(m.party_id))
            .map(|m| json!({ "kind": m.kind, "details": m.details, "startsOn": m.starts_on, "until": m.until, "reviewDue": m.review_due, "endedOn": m.ended_on, "endReason": m.end_reason, "arrangedAt": m.created_at }))
            .collect());
        doc.insert("communicationsAgreedWithYou".into(), plans
            .iter()
            .filter(|p| mine_only(p.party_id))
            .map(|p| json!({ "content": p.content, "everyWorkingDays": p.every_working_days, "sender": p.sender, "agreedAt": p.agreed_at, "initialMeetingHeldAt": p.meeting_held_at, "initialMeetingNote": p.meeting_note, "noteConfirmedAt": p.meeting_note_confirmed_at }))
            .collect());
        doc.insert("optionsConversations".into(), conversations
            .iter()
            .filter(|o| mine_only(o.party_id))
            .map(|o| Ok(json!({ "heldAt": o.held_at, "offered": codec::decode::<Value>("options_conversation.options_offered", &o.options_offered)?, "chosen": codec::decode::<Value>("options_conversation.options_chosen", &o.options_chosen)?, "summary": o.summary })))
            .collect::<Result<Vec<Value>>>()?
            .into());
        doc.insert("contactAttempts".into(), attempts
            .iter()
            .filter(|a| mine_only(a.party_id))
            .map(|a| json!({ "madeAt": a.made_at, "method": a.method, "youResponded": a.student_responded }))
            .collect());
        let mut on_you = Vec::new();
        let mut protecting_you = Vec::new();
        for m in case_measures.iter().filter(|m| of_case(m.case_id)) {
            if measures::subjects(m)?.contains(&mine.id) {
                on_you.push(json!({ "kind": m.kind, "status": m.status, "details": m.details, "startsOn": m.starts_on, "endsOn": m.ends_on, "reviewDue": m.review_due }));
            } else if codec::decode::<Vec<Uuid>>("measure.protected_parties", &m.protected_parties)?
                .contains(&mine.id)
            {
                protecting_you.push(json!({ "kind": m.kind, "status": m.status, "startsOn": m.starts_on, "endsOn": m.ends_on }));
            }
        }
        doc.insert("measuresOnYou".into(), Value::Array(on_you));
        doc.insert("measuresProtectingYou".into(), Value::Array(protecting_you));
        doc.insert("whatYouWereToldOfTheOtherSide".into(), told
            .iter()
            .filter(|t| mine_only(t.party_id))
            .map(|t| json!({ "item": t.item, "told": t.disclosed, "firstToldAt": t.first_disclosed_at, "lawfulBasis": t.lawful_basis }))
            .collect());
        doc.insert(
            "whoReadOrChangedThisCase".into(),
            reads
                .iter()
                .filter(|e| e.case_id == Some(c.id))
                .map(|e| {
                    json!({
                        "at": e.at,
                        "what": e.operation,
                        "by": reader(e.viewer_id, &names),
                        "asRoles": e.viewer_roles,
                    })
                })
                .collect(),
        );
        case_docs.push(Value::Object(doc));
    }

    let document = json!({
        "subjectAccessExport": {
            "producedAt": viewer.now.at(),
            "institution": policy.institution,
            "about": {
                "name": who.display_name,
                "email": who.email,
                "phone": who.phone,
                "kind": who.kind,
                "sisNumber": who.sis_number,
                "programme": who.programme,
                "enrolmentStatus": who.enrolment_status,
                "leavingDate": who.leaving_date,
                "recordCreatedAt": who.created_at,
                "accountDisabledAt": who.disabled_at,
            },
            "staffRoles": grants.iter().map(|g| json!({ "role": g.role, "grantedAt": g.granted_at, "revokedAt": g.revoked_at })).collect::<Vec<_>>(),
            "cases": case_docs,
            "procedureLetters": procedure_letters.iter().map(|l| json!({ "kind": l.kind, "rule": l.rule, "datedOn": l.dated_on, "subject": l.subject, "text": l.body, "route": l.route, "deliveredOn": l.delivered_on })).collect::<Vec<_>>(),
            "lettersAndEmails": letters.iter().map(|l| json!({ "kind": l.kind, "subject": l.subject, "body": l.body, "status": l.status, "sentAt": l.sent_at, "rule": l.rule })).collect::<Vec<_>>(),
            "notifications": notices.iter().map(|n| json!({ "kind": n.kind, "message": n.message, "at": n.created_at, "readAt": n.read_at })).collect::<Vec<_>>(),
            "leftOut": "Other people's personal data: the other parties (names included), their statements, evidence and support notes, and the deliberations of staff and panels.",
        }
    });
    let readable = render(&document);
    Ok(Export {
        person_id,
        document,
        readable,
    })
}

/// A plain-text rendering of the document for the person to read: headings
/// from the keys, one line per value, empty sections left out.
pub fn render(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, 0);
    out
}

fn heading(key: &str) -> String {
    let mut words = String::new();
    for (i, ch) in key.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            words.push(' ');
            words.extend(ch.to_lowercase());
        } else if i == 0 {
            words.extend(ch.to_uppercase());
        } else {
            words.push(ch);
        }
    }
    words
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }.into()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) if items.iter().all(|i| matches!(i, Value::String(_))) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
        )
        .filter(|s| !s.is_empty()),
        _ => None,
    }
}

fn write(out: &mut String, value: &Value, depth: usize) {
    let indent = "  ".repeat(depth);
    match value {
        Value::Object(fields) => {
            let ordered: BTreeMap<&String, &Value> = fields.iter().collect();
            for (key, v) in ordered {
                if let Some(text) = scalar(v) {
                    out.push_str(&format!("{indent}{}: {text}\n", heading(key)));
                } else if matches!(v, Value::Object(_))
                    || matches!(v, Value::Array(items) if !items.is_empty())
                {
                    out.push_str(&format!("{indent}{}\n", heading(key)));
                    write(out, v, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match scalar(item) {
                    Some(text) => out.push_str(&format!("{indent}- {text}\n")),
                    None => {
                        out.push_str(&format!("{indent}{}.\n", i + 1));
                        write(out, item, depth + 1);
                    }
                }
            }
        }
        other => {
            if let Some(text) = scalar(other) {
                out.push_str(&format!("{indent}{text}\n"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rendering_reads_as_headings_and_lines() {
        let doc = json!({ "about": { "name": "Ben", "sisNumber": "S1", "leavingDate": null },
            "cases": [{ "reference": "MC-1", "yourStatements": [] }] });
        assert_eq!(
            render(&doc),
            "About\n  Name: Ben\n  Sis number: S1\nCases\n  1.\n    Reference: MC-1\n"
        );
    }
}
