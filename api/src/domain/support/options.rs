//! Options conversations (R-SUP-1) and changes of choice (R-SUP-2): what was
//! offered and chosen, which options exclude each other, and which actions a
//! change of mind cannot undo.

use chrono::{DateTime, Utc};
use entity::{information_share, options_conversation};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::domain::case_store::CaseBundle;
use crate::domain::codec;
use crate::domain::communications;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{SupportOption, TimelineKind};
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::PolicyBook;

use super::open_for_support;

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
    policies: &PolicyBook,
    case_id: Uuid,
    party_id: Uuid,
    input: NewConversation,
) -> Result<options_conversation::Model> {
    let bundle = open_for_support(viewer, db, case_id, party_id, false).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
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
