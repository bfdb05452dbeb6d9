//! Who is on a case, as it changes (issue 10 item 1): a witness or a further
//! responding party added after the report, a party whose name was withheld
//! named (R-DISC-4) — after which R-REP-1 can be met — and a party's details
//! corrected. Each is a versioned change of the case, on the timeline of the
//! party's side, and audited.

use entity::{case, party, person};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle, Change};
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{EnrolmentStatus, PartyRole, PersonKind, TimelineKind};
use crate::domain::lifecycle;
use crate::domain::reports::reporting_party;
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

/// At most this many responding parties on one case (as at disclosure).
const MAX_RESPONDENTS: usize = 20;

/// A party to add: a witness (a student, by SIS number) or a responding party
/// (by SIS number, or described by name until identified).
pub struct NewParty {
    pub role: PartyRole,
    pub sis_number: Option<String>,
    pub name: Option<String>,
}

/// What to correct about a party, and why.
pub struct Correction {
    pub sis_number: Option<String>,
    pub described_as: Option<String>,
    pub reason: String,
}

fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
}

/// The student with this SIS number, who must not already be on the case.
pub(crate) async fn student(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    sis: &str,
) -> Result<person::Model> {
    let found = person::Entity::find()
        .filter(person::Column::SisNumber.eq(sis))
        .filter(person::Column::Kind.eq(PersonKind::Student.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| {
            Error::validation("sisNumber", format!("No student has SIS number {sis}."))
        })?;
    if bundle.parties.iter().any(|p| p.person_id == Some(found.id)) {
        return Err(Error::validation(
            "sisNumber",
            format!("The student with SIS number {sis} is already a party to this case."),
        ));
    }
    Ok(found)
}

fn current(p: &person::Model) -> bool {
    p.enrolment_status
        .as_deref()
        .and_then(EnrolmentStatus::parse)
        .is_some_and(EnrolmentStatus::is_current)
}

/// R-DISC-5: the case is historic when a responding party it names is no
/// longer a student; `changed` is one responding party (new or existing) and
/// the person it now is.
async fn historic(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    changed: (Uuid, Option<&person::Model>),
) -> Result<bool> {
    let (changed_party, person) = changed;
    if person.is_some_and(|p| !current(p)) {
        return Ok(true);
    }
    let others: Vec<Uuid> = bundle
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Responding.as_str() && p.id != changed_party)
        .filter_map(|p| p.person_id)
        .collect();
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(others))
        .all(db)
        .await?;
    Ok(people.iter().any(|p| !current(p)))
}

pub(crate) fn require_open(bundle: &CaseBundle) -> Result<()> {
    if lifecycle::is_open(bundle.stage()?) {
        return Ok(());
    }
    Err(Error::rule(
        "LIFECYCLE",
        "The parties of a closed case cannot be changed.",
    ))
}

/// Saves the case change (version, audit) and the party's timeline entry.
async fn record(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    bundle: &CaseBundle,
    operation: &'static str,
    expected_version: i32,
    historic: bool,
    event: Event,
) -> Result<()> {
    let change = Change {
        operation,
        expected_version,
        stage_move: None,
        columns: vec![(case::Column::Historic, Expr::value(historic))],
    };
    case_store::save(db, viewer, bundle, change).await?;
    timeline::record(db, viewer, bundle.case.id, event).await
}

/// Adds a witness or a further responding party. A responding party added
/// is told of the report like the others (`informRespondingParty`, R-REP-2).
pub async fn add(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    new: NewParty,
    expected_version: i32,
) -> Result<party::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_add_party(&rel)?;
    bundle.expect_version(expected_version)?;
    require_open(&bundle)?;
    let sis = trimmed(new.sis_number.as_deref());
    let name = trimmed(new.name.as_deref());
    let person = match (new.role, &sis) {
        (PartyRole::Reporting, _) => {
            return Err(Error::validation(
                "role",
                "A case has one reporting party; add a witness or a responding party.",
            ));
        }
        (PartyRole::Affected, _) => {
            return Err(Error::validation(
                "role",
                "A person affected is not a party to the procedure: Student Support offers them support with `offerSupportToAffectedPerson`.",
            ));
        }
        (PartyRole::Witness, None) => {
            return Err(Error::validation(
                "sisNumber",
                "A witness is a student named by their SIS number.",
            ));
        }
        (PartyRole::Responding, None) if name.is_none() => {
            return Err(Error::validation(
                "sisNumber",
                "Give the responding party's SIS number, or a name until they are identified.",
            ));
        }
        (_, Some(sis)) => Some(student(db, &bundle, sis).await?),
        (_, None) => None,
    };
    let respondents = bundle
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Responding.as_str())
        .count();
    if new.role == PartyRole::Responding && respondents >= MAX_RESPONDENTS {
        return Err(Error::validation(
            "role",
            format!("At most {MAX_RESPONDENTS} responding parties can be named."),
        ));
    }
    let row = party::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        person_id: Set(person.as_ref().map(|p| p.id)),
        role: Set(new.role.as_str().into()),
        described_as: Set(if new.role == PartyRole::Responding {
            name
        } else {
            None
        }),
        identity_withheld: Set(false),
        informed_at: Set(None),
        case_worker_offered_at: Set(None),
        preferred_channel: Set(None),
        friday_contact_agreed: Set(false),
        added_at: Set(viewer.now.at()),
        employment: Set(None),
        staff_procedure_at: Set(None),
        staff_procedure_referred_to: Set(None),
        measure_notified_at: Set(None),
    }
    .insert(db)
    .await?;
    let historic = if new.role == PartyRole::Responding {
        historic(db, &bundle, (row.id, person.as_ref())).await?
    } else {
        bundle.case.historic
    };
    let event = Event::new(TimelineKind::PartyAdded).party(row.id);
    record(
        db,
        viewer,
        &bundle,
        "addParty",
        expected_version,
        historic,
        event,
    )
    .await?;
    Ok(row)
}

/// Names a party recorded without a name (R-DISC-4): the student with this
/// SIS number. A reporting party named can then be offered a case worker and
/// report; every responding party named, R-REP-1 can be met.
pub async fn identify(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    sis_number: &str,
    expected_version: i32,
) -> Result<party::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_change_party_details(&rel, reporting_party(&bundle)?.id)?;
    let party = bundle.party(party_id)?.clone();
    bundle.expect_version(expected_version)?;
    require_open(&bundle)?;
    if party.person_id.is_some() {
        return Err(Error::Conflict(
            "This party is already identified; to name another student, correct their details (correctPartyDetails).".into(),
        ));
    }
    if bundle.case.anonymous {
        return Err(Error::rule(
            "R-DISC-2",
            "An anonymous disclosure keeps no identity; a student who comes forward makes a new disclosure.",
        ));
    }
    let sis = require_text("sisNumber", sis_number)?;
    let person = student(db, &bundle, &sis).await?;
    let historic = historic(db, &bundle, (party.id, Some(&person))).await?;
    let mut row: party::ActiveModel = party.into();
    row.person_id = Set(Some(person.id));
    row.identity_withheld = Set(false);
    let row = row.update(db).await?;
    let event = Event::new(TimelineKind::PartyIdentified).party(row.id);
    record(
        db,
        viewer,
        &bundle,
        "identifyParty",
        expected_version,
        historic,
        event,
    )
    .await?;
    Ok(row)
}

/// Corrects a party's details: the student they are (a wrong SIS number) or
/// how an unidentified party is described. A responding party who turns out
/// to be another student has not been told of the report (R-REP-2): they are
/// told afresh.
pub async fn correct(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    correction: Correction,
    expected_version: i32,
) -> Result<party::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_change_party_details(&rel, reporting_party(&bundle)?.id)?;
    let party = bundle.party(party_id)?.clone();
    bundle.expect_version(expected_version)?;
    require_open(&bundle)?;
    let reason = require_text("reason", &correction.reason)?;
    let sis = trimmed(correction.sis_number.as_deref());
    let described_as = trimmed(correction.described_as.as_deref());
    if sis.is_none() && described_as.is_none() {
        return Err(Error::validation(
            "sisNumber",
            "Give the corrected SIS number, or how the party is described.",
        ));
    }
    if sis.is_some() && party.person_id.is_none() {
        return Err(Error::validation(
            "sisNumber",
            "This party has not been identified yet; name them with identifyParty.",
        ));
    }
    let role = PartyRole::from_db(&party.role)?;
    let person = match &sis {
        Some(sis) => Some(student(db, &bundle, sis).await?),
        None => None,
    };
    let historic = match &person {
        Some(p) if role == PartyRole::Responding => {
            historic(db, &bundle, (party.id, Some(p))).await?
        }
        _ => bundle.case.historic,
    };
    let mut row: party::ActiveModel = party.into();
    if let Some(p) = &person {
        row.person_id = Set(Some(p.id));
        if role == PartyRole::Responding {
            row.informed_at = Set(None);
        }
    }
    if described_as.is_some() {
        row.described_as = Set(described_as);
    }
    let row = row.update(db).await?;
    let event = Event::new(TimelineKind::PartyDetailsCorrected)
        .party(row.id)
        .reason(Some(reason));
    record(
        db,
        viewer,
        &bundle,
        "correctPartyDetails",
        expected_version,
        historic,
        event,
    )
    .await?;
    Ok(row)
}
