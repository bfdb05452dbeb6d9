//! Recording disclosures (R-DISC-1…5) and allocating case workers to parties.

use chrono::NaiveDate;
use entity::{case, case_staff, party, person};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::codec;
use crate::domain::independence;
use crate::domain::kinds::{
    DisclosureChannel, EnrolmentStatus, IncidentCategory, PartyRole, PersonKind, StaffRole, Stage,
    TimelineKind,
};
use crate::domain::page::{KeyKind, Order, Page};
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::Policy;

pub const MAX_TEXT: usize = 20_000;

#[derive(Debug, Clone)]
pub struct RespondentInput {
    /// Matched against people's SIS numbers; an unmatched respondent is kept as described.
    pub sis_number: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewDisclosure {
    pub channel: DisclosureChannel,
    pub categories: Vec<IncidentCategory>,
    pub incident_date: Option<NaiveDate>,
    pub description: String,
    /// R-DISC-2: no identity, no support, no formal process.
    pub anonymous: bool,
    /// For staff recording or forwarding on a student's behalf.
    pub disclosing_student: Option<Uuid>,
    /// R-DISC-3: the recording member of staff forwards the disclosure and is told of contact.
    pub forwarded: bool,
    /// R-DISC-4: respondents' names are not recorded.
    pub omit_respondent_names: bool,
    /// R-DISC-4: staff record the disclosure without the reporting party's
    /// name, at her request; she can be named later (`identifyParty`).
    pub omit_reporting_party_name: bool,
    pub respondents: Vec<RespondentInput>,
    pub police_case_ongoing: bool,
    /// R-TIME-2: the student agrees to letters on a Friday.
    pub friday_contact_agreed: bool,
}

pub fn require_text(field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::validation(
            field,
            format!("`{field}` must not be empty."),
        ));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Error::validation(
            field,
            format!("`{field}` is longer than {MAX_TEXT} characters."),
        ));
    }
    Ok(text.to_string())
}

async fn person_of(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<person::Model>> {
    Ok(person::Entity::find_by_id(id).one(db).await?)
}

/// A disclosure just recorded.
pub struct Recorded {
    pub case: case::Model,
    /// An anonymous disclosure's access code to its conversation with Student
    /// Support (R-DISC-2): shown now, never stored, never shown again.
    pub access_code: Option<String>,
}

pub async fn record_disclosure(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    input: NewDisclosure,
) -> Result<Recorded> {
    let me = person_of(db, viewer.person_id)
        .await?
        .ok_or(Error::NotFound("person"))?;
    let my_kind = PersonKind::from_db(&me.kind)?;
    let for_someone_else = input.forwarded || input.disclosing_student.is_some_and(|s| s != me.id);
    access::roles::can_record_disclosure(my_kind, for_someone_else)?;
    let description = require_text("description", &input.description)?;
    if input.categories.is_empty() {
        return Err(Error::validation(
            "categories",
            "Choose at least one incident category.",
        ));
    }
    if input.incident_date.is_some_and(|d| d > viewer.now.today()) {
        return Err(Error::validation(
            "incidentDate",
            "The incident date cannot be in the future.",
        ));
    }
    if input.respondents.len() > 20 {
        return Err(Error::validation(
            "respondents",
            "At most 20 responding parties can be named.",
        ));
    }
    // A student discloses for themselves; staff record for a student (visitors were refused above).
    let (discloser, recorded_by) = if my_kind == PersonKind::Student {
        if input.omit_reporting_party_name {
            return Err(Error::validation(
                "omitReportingPartyName",
                "A student disclosing for themselves is named, or discloses anonymously.",
            ));
        }
        (if input.anonymous { None } else { Some(me.id) }, None)
    } else {
        if input.omit_reporting_party_name
            && (input.anonymous || input.disclosing_student.is_some())
        {
            return Err(Error::validation(
                "omitReportingPartyName",
                "A disclosure recorded without the student's name neither names her nor is anonymous.",
            ));
        }
        if input.anonymous && input.disclosing_student.is_some() {
            return Err(Error::validation(
                "disclosingStudentId",
                "An anonymous disclosure cannot name the disclosing student.",
            ));
        }
        if let Some(student) = input.disclosing_student {
            let found = person_of(db, student)
                .await?
                .filter(|p| p.kind == PersonKind::Student.as_str());
            if found.is_none() {
                return Err(Error::validation(
                    "disclosingStudentId",
                    "No student with this id.",
                ));
            }
        }
        (input.disclosing_student, Some(me.id))
    };
    if !input.anonymous && !input.omit_reporting_party_name && discloser.is_none() {
        return Err(Error::validation(
            "disclosingStudentId",
            "Name the disclosing student, or mark the disclosure anonymous.",
        ));
    }
    let channel = if input.forwarded {
        DisclosureChannel::StaffForwarded
    } else {
        input.channel
    };

    let now = viewer.now.at();
    let id = Uuid::now_v7();
    let mut historic = false;
    let mut respondent_rows = Vec::new();
    for r in &input.respondents {
        let matched = match r
            .sis_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(sis) => {
                person::Entity::find()
                    .filter(person::Column::SisNumber.eq(sis))
                    .one(db)
                    .await?
            }
            None => None,
        };
        if let Some(p) = &matched {
            let current = p
                .enrolment_status
                .as_deref()
                .and_then(EnrolmentStatus::parse)
                .is_some_and(EnrolmentStatus::is_current);
            historic |= !current; // R-DISC-5
        }
        let name = r
            .name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from);
        if matched.is_none() && name.is_none() && !input.omit_respondent_names {
            return Err(Error::validation(
                "respondents",
                "Give each responding party a SIS number or a name.",
            ));
        }
        respondent_rows.push(if input.omit_respondent_names {
            (None, None)
        } else {
            (matched.map(|p| p.id), name)
        });
    }

    crate::domain::statistics::tally::touch(id);
    let model = case::ActiveModel {
        id: Set(id),
        reference: Set(format!(
            "MC-{}",
            &Uuid::new_v4().simple().to_string()[..8].to_uppercase()
        )),
        stage: Set(Stage::Disclosure.as_str().into()),
        paused_from: Set(None),
        pause_reason: Set(None),
        policy_version: Set(policy.version.clone()),
        version: Set(1),
        opened_at: Set(now),
        updated_at: Set(now),
        closed_at: Set(None),
        channel: Set(channel.as_str().into()),
        categories: Set(codec::encode_enums(
            "cases.categories",
            &input.categories,
            IncidentCategory::as_str,
        )?),
        incident_date: Set(input.incident_date),
        description: Set(description),
        anonymous: Set(input.anonymous),
        historic: Set(historic),
        names_withheld: Set(input.omit_respondent_names),
        received_by: Set(recorded_by),
        forwarded_by: Set(if input.forwarded { recorded_by } else { None }),
        recorded_by: Set(recorded_by),
        police_case_ongoing: Set(input.police_case_ongoing),
        report_submitted_at: Set(None),
        report_submitted_by: Set(None),
        report_statement: Set(None),
        report_desired_outcome: Set(None),
        respondent_may_be_informed: Set(None),
        cfc_referred_at: Set(None),
        cfc_urgent_reason: Set(None),
        legal_hold_at: Set(None),
        legal_hold_reason: Set(None),
        legal_hold_by: Set(None),
        follow_up_decided_at: Set(None),
        follow_up_act_further: Set(None),
        follow_up_reasons: Set(None),
        follow_up_decided_by: Set(None),
    }
    .insert(db)
    .await?;

    let add_party = |person_id: Option<Uuid>,
                     role: PartyRole,
                     described_as: Option<String>,
                     withheld: bool,
                     friday_agreed: bool| party::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(id),
        person_id: Set(person_id),
        role: Set(role.as_str().into()),
        described_as: Set(described_as),
        identity_withheld: Set(withheld),
        informed_at: Set(None),
        case_worker_offered_at: Set(None),
        preferred_channel: Set(None),
        friday_contact_agreed: Set(friday_agreed),
        added_at: Set(now),
        employment: Set(None),
        staff_procedure_at: Set(None),
        staff_procedure_referred_to: Set(None),
        measure_notified_at: Set(None),
    };
    let reporter = add_party(
        discloser,
        PartyRole::Reporting,
        None,
        input.anonymous || input.omit_reporting_party_name,
        input.friday_contact_agreed,
    )
    .insert(db)
    .await?;
    for (person_id, name) in respondent_rows {
        add_party(
            person_id,
            PartyRole::Responding,
            name,
            input.omit_respondent_names,
            false,
        )
        .insert(db)
        .await?;
    }
    let event = Event::new(TimelineKind::DisclosureRecorded);
    if input.anonymous && my_kind == PersonKind::Student {
        timeline::record_anonymous_change(db, viewer, id, event, "recordDisclosure").await?;
    } else {
        timeline::record_change(db, viewer, id, event, "recordDisclosure").await?;
    }
    crate::domain::communications::on_disclosure(db, viewer.now, policy, &model, &reporter).await?;
    let access_code = if input.anonymous {
        Some(crate::domain::anonymous_channel::open(db, id, now).await?)
    } else {
        None
    };
    Ok(Recorded {
        case: model,
        access_code,
    })
}

/// Allocates a case worker to one party of a case (R-IND-1, R-IND-2, R-REP-4).
pub async fn assign_case_worker(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    worker: Uuid,
) -> Result<case_staff::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let party = bundle.party(party_id)?.clone();
    let role = PartyRole::from_db(&party.role)?;
    access::actions::can_assign_case_worker(&rel, role)?;
    if !crate::domain::lifecycle::is_open(bundle.stage()?) {
        return Err(Error::rule(
            "LIFECYCLE",
            "Case workers cannot be allocated on a closed case.",
        ));
    }
    if party.person_id.is_none() {
        return Err(Error::rule(
            "R-DISC-2",
            "An anonymous or unidentified party cannot be offered a case worker.",
        ));
    }
    if role == PartyRole::Responding && party.informed_at.is_none() {
        return Err(Error::rule(
            "R-REP-4",
            "The responding party is offered a case worker when they are told of the report; they have not been told yet.",
        ));
    }
    let holds_role = entity::role_grant::Entity::find()
        .filter(entity::role_grant::Column::PersonId.eq(worker))
        .filter(entity::role_grant::Column::Role.eq(StaffRole::CaseWorker.as_str()))
        .filter(entity::role_grant::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .is_some();
    if !holds_role {
        return Err(Error::validation(
            "caseWorkerId",
            "This person does not hold the CASE_WORKER role.",
        ));
    }
    if bundle
        .staff
        .iter()
        .any(|s| s.person_id == worker && s.party_id == Some(party_id) && s.ended_at.is_none())
    {
        return Err(Error::Conflict(
            "This case worker already supports this party.".into(),
        ));
    }
    independence::check_case_worker(db, &bundle, &party, worker).await?;
    let row = case_staff::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        person_id: Set(worker),
        role: Set(StaffRole::CaseWorker.as_str().into()),
        party_id: Set(Some(party_id)),
        assigned_by: Set(Some(viewer.person_id)),
        assigned_at: Set(viewer.now.at()),
        ended_at: Set(None),
    }
    .insert(db)
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::CaseWorkerAssigned).party(party_id),
        "assignCaseWorker",
    )
    .await?;
    Ok(row)
}

/// A case worker's assignment to a party ends (they leave, or the party asks
/// for someone else). The party keeps their case; the one who assigns the next
/// case worker goes through `assign_case_worker`, so R-IND-1/2 are checked
/// again for the new one. Whoever may assign may end; the reason is kept on
/// the timeline for the party's side.
pub async fn end_case_worker(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    worker: Uuid,
    reason: String,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let party = bundle.party(party_id)?.clone();
    access::actions::can_end_case_worker(&rel, party.id)?;
    let reason = require_text("reason", &reason)?;
    let Some(row) = bundle.staff.iter().find(|s| {
        s.person_id == worker
            && s.party_id == Some(party_id)
            && s.role == StaffRole::CaseWorker.as_str()
            && s.ended_at.is_none()
    }) else {
        return Err(Error::validation(
            "caseWorkerId",
            "This person is not this party's case worker now.",
        ));
    };
    let mut ended: case_staff::ActiveModel = row.clone().into();
    ended.ended_at = Set(Some(viewer.now.at()));
    ended.update(db).await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::CaseWorkerAssignmentEnded)
            .party(party_id)
            .reason(Some(reason)),
        "endCaseWorkerAssignment",
    )
    .await
}

/// What the forwarding member of staff is told (R-DISC-3): nothing of the
/// content, only whether two contact attempts were made and the student replied.
#[derive(Debug, Clone)]
pub struct ForwardedStatus {
    pub case: case::Model,
    pub attempts: u64,
    pub student_responded: bool,
}

pub async fn forwarded_by_me(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    page: &Page,
) -> Result<Vec<ForwardedStatus>> {
    use entity::contact_attempt;
    let query = case::Entity::find().filter(access::scope::own(viewer, case::Column::ForwardedBy));
    let cases = page
        .select(
            query,
            case::Column::OpenedAt,
            KeyKind::Time,
            Some(case::Column::Id),
            Order::Descending,
        )?
        .all(db)
        .await?;
    let ids: Vec<Uuid> = cases.iter().map(|c| c.id).collect();
    let attempts = contact_attempt::Entity::find()
        .filter(contact_attempt::Column::CaseId.is_in(ids))
        .all(db)
        .await?;
    Ok(cases
        .into_iter()
        .map(|case| {
            let mine: Vec<_> = attempts.iter().filter(|a| a.case_id == case.id).collect();
            ForwardedStatus {
                attempts: mine.len() as u64,
                student_responded: mine.iter().any(|a| a.student_responded),
                case,
            }
        })
        .collect())
}

/// The incident categories of a disclosure.
pub fn categories(case: &case::Model) -> Result<Vec<IncidentCategory>> {
    decode_categories(&case.categories)
}

/// A case's `categories` column, as stored.
pub fn decode_categories(stored: &str) -> Result<Vec<IncidentCategory>> {
    codec::decode_enums("cases.categories", stored, IncidentCategory::from_db)
}

pub fn bundle_case_workers(bundle: &CaseBundle, party: Uuid) -> Vec<Uuid> {
    bundle
        .staff
        .iter()
        .filter(|s| {
            s.ended_at.is_none()
                && s.role == StaffRole::CaseWorker.as_str()
                && s.party_id == Some(party)
        })
        .map(|s| s.person_id)
        .collect()
}
