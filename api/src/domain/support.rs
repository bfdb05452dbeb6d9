//! Support for one party: contact attempts (R-DISC-3), options conversations and
//! choices (R-SUP-1, R-SUP-2), consent to share (R-SUP-4), support notes (R-SUP-5).

use chrono::{DateTime, Utc};
use entity::{
    contact_attempt, information_share, options_conversation, sharing_consent, support_note,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::codec;
use crate::domain::communications;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{ContactMethod, Department, SupportOption, TimelineKind};
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::Policy;

/// Opens a case for work on one party's support: the viewer must be that
/// party's case worker, or (where `party_may_act`) the party themselves.
pub(crate) async fn open_for_support(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    party_may_act: bool,
) -> Result<CaseBundle> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_act_for_party(&rel, bundle.party(party_id)?, party_may_act)?;
    Ok(bundle)
}

pub async fn record_contact_attempt(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    case_id: Uuid,
    party_id: Uuid,
    method: ContactMethod,
    student_responded: bool,
) -> Result<contact_attempt::Model> {
    let bundle = open_for_support(viewer, db, case_id, party_id, false).await?;
    let row = contact_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        made_by: Set(viewer.person_id),
        made_at: Set(viewer.now.at()),
        method: Set(method.as_str().into()),
        student_responded: Set(student_responded),
    }
    .insert(db)
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::ContactAttempted).party(party_id),
        "recordContactAttempt",
    )
    .await?;
    communications::on_contact_attempt(
        db,
        viewer.now,
        policy,
        &bundle.case,
        party_id,
        student_responded,
    )
    .await?;
    Ok(row)
}

/// The options offered in a conversation (R-SUP-1).
pub fn offered(c: &options_conversation::Model) -> Result<Vec<SupportOption>> {
    codec::decode_enums(
        "options_conversation.options_offered",
        &c.options_offered,
        SupportOption::from_db,
    )
}

/// The options the student chose in a conversation (R-SUP-1).
pub fn chosen(c: &options_conversation::Model) -> Result<Vec<SupportOption>> {
    codec::decode_enums(
        "options_conversation.options_chosen",
        &c.options_chosen,
        SupportOption::from_db,
    )
}

/// R-SUP-1: options that cannot be chosen together.
const EXCLUSIVE: &[(SupportOption, SupportOption, &str)] = &[
    (
        SupportOption::ReportToUniversity,
        SupportOption::ReportToPolice,
        "an internal disciplinary case and a police case cannot run on the same allegation at once",
    ),
    (
        SupportOption::NoReport,
        SupportOption::ReportToUniversity,
        "`no report` excludes reporting to the university",
    ),
    (
        SupportOption::NoReport,
        SupportOption::ReportToPolice,
        "`no report` excludes reporting to the police",
    ),
    (
        SupportOption::NoReport,
        SupportOption::InformalResolution,
        "`no report` excludes informal resolution",
    ),
    (
        SupportOption::SupportOnly,
        SupportOption::ReportToUniversity,
        "`support only` excludes reporting to the university",
    ),
    (
        SupportOption::SupportOnly,
        SupportOption::ReportToPolice,
        "`support only` excludes reporting to the police",
    ),
    (
        SupportOption::SupportOnly,
        SupportOption::InformalResolution,
        "`support only` excludes informal resolution",
    ),
];

pub fn check_choice(offered: &[SupportOption], chosen: &[SupportOption]) -> Result<()> {
    if offered.is_empty() {
        return Err(Error::validation(
            "optionsOffered",
            "Record the options that were offered.",
        ));
    }
    if chosen.is_empty() {
        return Err(Error::validation(
            "optionsChosen",
            "Record the option(s) the student chose.",
        ));
    }
    if let Some(o) = chosen.iter().find(|c| !offered.contains(c)) {
        return Err(Error::validation(
            "optionsChosen",
            format!("{o} was chosen but not offered."),
        ));
    }
    for (a, b, why) in EXCLUSIVE {
        if chosen.contains(a) && chosen.contains(b) {
            return Err(Error::rule(
                "R-SUP-1",
                format!("These options exclude each other: {why}."),
            ));
        }
    }
    Ok(())
}

pub struct NewConversation {
    pub held_at: Option<DateTime<Utc>>,
    pub options_offered: Vec<SupportOption>,
    pub options_chosen: Vec<SupportOption>,
    pub summary: String,
}

pub async fn record_options_conversation(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policy: &Policy,
    case_id: Uuid,
    party_id: Uuid,
    input: NewConversation,
) -> Result<options_conversation::Model> {
    let bundle = open_for_support(viewer, db, case_id, party_id, false).await?;
    check_choice(&input.options_offered, &input.options_chosen)?;
    let summary = require_text("summary", &input.summary)?;
    let held_at = input.held_at.unwrap_or(viewer.now.at());
    if held_at > viewer.now.at() {
        return Err(Error::validation(
            "heldAt",
            "An options conversation cannot be recorded before it is held.",
        ));
    }
    let row = insert_conversation(
        db,
        case_id,
        party_id,
        viewer.person_id,
        held_at,
        &input.options_offered,
        &input.options_chosen,
        summary,
    )
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::OptionsConversationHeld).party(party_id),
        "recordOptionsConversation",
    )
    .await?;
    communications::on_options_conversation(
        db,
        viewer.now,
        policy,
        &bundle,
        party_id,
        crate::domain::calendar::uk_date(held_at),
    )
    .await?;
    Ok(row)
}

#[expect(
    clippy::too_many_arguments,
    reason = "the row's own columns, each named at the call"
)]
async fn insert_conversation(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
    offered: &[SupportOption],
    chosen: &[SupportOption],
    summary: String,
) -> Result<options_conversation::Model> {
    Ok(options_conversation::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        held_by: Set(by),
        held_at: Set(at),
        options_offered: Set(codec::encode_enums(
            "options_conversation.options_offered",
            offered,
            SupportOption::as_str,
        )?),
        options_chosen: Set(codec::encode_enums(
            "options_conversation.options_chosen",
            chosen,
            SupportOption::as_str,
        )?),
        summary: Set(summary),
    }
    .insert(db)
    .await?)
}

pub async fn latest_conversation(
    db: &impl ConnectionTrait,
    party_id: Uuid,
) -> Result<Option<options_conversation::Model>> {
    Ok(options_conversation::Entity::find()
        .filter(options_conversation::Column::PartyId.eq(party_id))
        .order_by_desc(options_conversation::Column::HeldAt)
        .order_by_desc(options_conversation::Column::Id)
        .one(db)
        .await?)
}

/// Actions that cannot be undone by changing one's mind (R-SUP-2), from a
/// party's information shares and whether they submitted the case's report.
pub fn irreversible_from(
    shares: &[information_share::Model],
    submitted_report: bool,
) -> Vec<String> {
    let mut actions: Vec<String> = shares
        .iter()
        .map(|s| format!("INFORMATION_SHARED_WITH_{}", s.department))
        .collect();
    if submitted_report {
        actions.push("FORMAL_REPORT_SUBMITTED".into());
    }
    actions.sort();
    actions.dedup();
    actions
}

pub fn submitted_report(bundle: &CaseBundle, party_id: Uuid) -> bool {
    bundle.case.report_submitted_at.is_some()
        && bundle
            .party(party_id)
            .is_ok_and(|p| p.role == crate::domain::kinds::PartyRole::Reporting.as_str())
}

pub async fn irreversible_actions(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    party_id: Uuid,
) -> Result<Vec<String>> {
    let shares = information_share::Entity::find()
        .filter(information_share::Column::PartyId.eq(party_id))
        .all(db)
        .await?;
    Ok(irreversible_from(
        &shares,
        submitted_report(bundle, party_id),
    ))
}

/// The student changes their choice (R-SUP-2). Refused where it would undo an
/// irreversible action: a submitted report is withdrawn, not un-chosen.
pub async fn change_options_choice(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    chosen: Vec<SupportOption>,
    reason: String,
) -> Result<options_conversation::Model> {
    let bundle = open_for_support(viewer, db, case_id, party_id, true).await?;
    let reason = require_text("reason", &reason)?;
    let latest = latest_conversation(db, party_id).await?.ok_or_else(|| {
        Error::rule(
            "R-SUP-1",
            "No options conversation has been held with this student yet.",
        )
    })?;
    let offered = offered(&latest)?;
    check_choice(&offered, &chosen)?;
    let irreversible = irreversible_actions(db, &bundle, party_id).await?;
    if irreversible.iter().any(|a| a == "FORMAL_REPORT_SUBMITTED")
        && !chosen.contains(&SupportOption::ReportToUniversity)
    {
        return Err(Error::rule(
            "R-SUP-2",
            "A formal report has already been submitted and cannot be un-chosen; the reporting party can withdraw it instead (R-INV-6).",
        ));
    }
    let row = insert_conversation(
        db,
        case_id,
        party_id,
        viewer.person_id,
        viewer.now.at(),
        &offered,
        &chosen,
        reason,
    )
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::OptionsChoiceChanged).party(party_id),
        "changeOptionsChoice",
    )
    .await?;
    Ok(row)
}

pub async fn record_sharing_consent(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    department: Department,
    granted: bool,
) -> Result<sharing_consent::Model> {
    open_for_support(viewer, db, case_id, party_id, true).await?;
    let row = sharing_consent::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        department: Set(department.as_str().into()),
        granted: Set(granted),
        recorded_by: Set(viewer.person_id),
        recorded_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::ConsentRecorded).party(party_id),
        "recordSharingConsent",
    )
    .await?;
    Ok(row)
}

/// The consent in force per department: the latest record for each.
pub async fn current_consents(
    db: &impl ConnectionTrait,
    party_id: Uuid,
) -> Result<Vec<sharing_consent::Model>> {
    let rows = sharing_consent::Entity::find()
        .filter(sharing_consent::Column::PartyId.eq(party_id))
        .all(db)
        .await?;
    Ok(latest_per_department(rows))
}

/// The latest consent record per department is the one in force.
pub fn latest_per_department(mut rows: Vec<sharing_consent::Model>) -> Vec<sharing_consent::Model> {
    rows.sort_by_key(|r| std::cmp::Reverse((r.recorded_at, r.id)));
    let mut seen = std::collections::BTreeSet::new();
    rows.into_iter()
        .filter(|r| seen.insert(r.department.clone()))
        .collect()
}

/// R-SUP-4: information goes to a department only with the student's consent in force.
pub async fn share_information(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    department: Department,
    details: String,
) -> Result<information_share::Model> {
    open_for_support(viewer, db, case_id, party_id, false).await?;
    let details = require_text("details", &details)?;
    let consents = current_consents(db, party_id).await?;
    if !consents
        .iter()
        .any(|c| c.department == department.as_str() && c.granted)
    {
        return Err(Error::rule(
            "R-SUP-4",
            format!("The student has not consented to information being shared with {department}."),
        ));
    }
    let row = information_share::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        department: Set(department.as_str().into()),
        details: Set(details),
        shared_by: Set(viewer.person_id),
        shared_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::InformationShared).party(party_id),
        "shareInformation",
    )
    .await?;
    Ok(row)
}

pub async fn add_support_note(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    body: String,
    shared_with_party: bool,
) -> Result<support_note::Model> {
    open_for_support(viewer, db, case_id, party_id, false).await?;
    let body = require_text("body", &body)?;
    let row = support_note::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        author_id: Set(viewer.person_id),
        body: Set(body),
        shared_with_party: Set(shared_with_party),
        created_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::SupportNoteAdded).party(party_id),
        "addSupportNote",
    )
    .await?;
    Ok(row)
}

/// R-OUT-1: each party states how they want to be told (the party, or their case worker).
pub async fn set_preferred_channel(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Uuid,
    channel: crate::domain::kinds::PreferredChannel,
) -> Result<()> {
    open_for_support(viewer, db, case_id, party_id, true).await?;
    use sea_orm::sea_query::Expr;
    entity::party::Entity::update_many()
        .col_expr(
            entity::party::Column::PreferredChannel,
            Expr::value(Some(channel.as_str())),
        )
        .filter(entity::party::Column::Id.eq(party_id))
        .exec(db)
        .await?;
    crate::domain::audit::record(db, viewer, "setPreferredChannel", case_id).await
}
