//! The investigation (R-INV-1…7): meetings, recordings, evidence, statements,
//! a conviction, and the investigation report.

use chrono::{DateTime, Utc};
use entity::{evidence, meeting, procedure, recording, statement};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::*;
use crate::domain::access::actions::{EvidenceSource, StatementAuthor};
use crate::domain::case_store::Change;
use crate::domain::codec;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{Audience, DeadlineKind, EvidenceKind, Finding, Stage, StatementKind};
use crate::domain::lifecycle;
use crate::policy::PolicyBook;

/// An investigation meeting to arrange.
pub struct NewMeeting {
    pub case_id: Uuid,
    pub party_id: Uuid,
    pub at: DateTime<Utc>,
    pub agreed_shorter_notice: bool,
    pub location: Option<String>,
}

/// R-INV-2: five working days' notice unless the invitee agreed to less; a
/// responding party's written response is due two working days before. The
/// invitee gets the invitation letter (R-INV-8, 002 §8).
pub async fn schedule_meeting(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    input: NewMeeting,
) -> Result<meeting::Model> {
    let NewMeeting {
        case_id,
        party_id,
        at,
        agreed_shorter_notice,
        location,
    } = input;
    let location = location
        .as_deref()
        .map(|l| require_text("location", l))
        .transpose()?;
    let (bundle, _) = open_for(viewer, db, case_id, access::actions::can_arrange_meetings).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    if bundle.stage()? != Stage::Investigation {
        return Err(Error::rule(
            "LIFECYCLE",
            "Investigation meetings are held while the case is under investigation.",
        ));
    }
    let party = bundle.party(party_id)?;
    let response_due = meeting_dates(viewer.now, policy, party, at, agreed_shorter_notice)?;
    let row = meeting::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        scheduled_at: Set(at),
        notice_given_at: Set(viewer.now.at()),
        agreed_shorter_notice: Set(agreed_shorter_notice),
        written_response_due: Set(response_due),
        held_at: Set(None),
        arranged_by: Set(viewer.person_id),
        location: Set(location),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
        attended: Set(None),
        companion_name: Set(None),
        companion_role: Set(None),
        adjustments: Set(None),
    }
    .insert(db)
    .await?;
    if let Some(due) = response_due {
        deadlines::set_for(
            db,
            viewer.now,
            case_id,
            row.id,
            Some(party_id),
            DeadlineKind::WrittenResponse,
            "R-INV-2",
            due,
        )
        .await?;
    }
    crate::domain::letters::triggers::on_meeting(db, viewer.now, policy, &bundle, &row, false)
        .await?;
    crate::domain::audit::record(db, viewer, "scheduleMeeting", case_id).await?;
    Ok(row)
}

/// R-INV-2 for a meeting at `at` with `party`: the notice (unless the invitee
/// agreed to less), and — for the responding party, who must have been told
/// of the report — the day their written response is due.
pub(super) fn meeting_dates(
    now: crate::domain::clock::Now,
    policy: &crate::policy::Policy,
    party: &entity::party::Model,
    at: DateTime<Utc>,
    agreed_shorter_notice: bool,
) -> Result<Option<chrono::NaiveDate>> {
    let calendar = policy.calendar();
    let on = crate::domain::calendar::uk_date(at);
    if at <= now.at() {
        return Err(Error::validation(
            "scheduledAt",
            "A meeting must be in the future.",
        ));
    }
    if !agreed_shorter_notice
        && calendar.working_days_between(now.today(), on) < policy.deadlines.meeting_notice
    {
        return Err(Error::rule(
            "R-INV-2",
            format!(
                "Investigation meetings need {} working days' notice unless the invitee agreed to less.",
                policy.deadlines.meeting_notice
            ),
        ));
    }
    if party.role != PartyRole::Responding.as_str() {
        return Ok(None);
    }
    if party.informed_at.is_none() {
        return Err(Error::rule(
            "R-REP-2",
            "The responding party must be told of the report before their meeting.",
        ));
    }
    let due = calendar.subtract_working_days(
        on,
        policy.deadlines.respondent_written_response_before_meeting,
    );
    if due < now.today() {
        return Err(Error::rule(
            "R-INV-2",
            "The responding party's written response is due two working days before the meeting; that date has passed.",
        ));
    }
    Ok(Some(due))
}

/// R-INV-4: a recording of a held meeting, for the investigators and interviewee only.
pub async fn add_recording(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    meeting_id: Uuid,
    location: String,
) -> Result<recording::Model> {
    let m = meeting::Entity::find_by_id(meeting_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("meeting"))?;
    open_for(viewer, db, m.case_id, access::actions::can_add_recordings).await?;
    if m.cancelled_at.is_some() {
        return Err(Error::Conflict(
            "This meeting was cancelled; it has no recording.".into(),
        ));
    }
    let location = require_text("location", &location)?;
    let mut held: meeting::ActiveModel = m.clone().into();
    held.held_at = Set(Some(viewer.now.at()));
    held.update(db).await?;
    let row = recording::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(m.case_id),
        meeting_id: Set(meeting_id),
        interviewee_party_id: Set(m.party_id),
        location: Set(location),
        created_at: Set(viewer.now.at()),
        deleted_at: Set(None),
    }
    .insert(db)
    .await?;
    crate::domain::audit::record(db, viewer, "addRecording", m.case_id).await?;
    Ok(row)
}

/// R-INV-3: the policy default — shared with both parties and the case
/// officer; witnesses get no investigation materials.
pub const DEFAULT_AUDIENCE: &[Audience] = &[
    Audience::ReportingParty,
    Audience::RespondingParty,
    Audience::CaseOfficer,
];

/// An evidence item from an investigator, or from a party about their own case.
pub async fn add_evidence(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    kind: EvidenceKind,
    description: String,
    audience: Option<Vec<Audience>>,
) -> Result<evidence::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let source = access::actions::can_add_evidence(&rel)?;
    let stage = bundle.stage()?;
    // R-HEA-6: at the hearing stage, evidence is for the hearing (and may be late).
    let for_hearing = match stage {
        Stage::Triage | Stage::Investigation | Stage::ReportReceived => None,
        Stage::Hearing => {
            let policy = &*policies.for_case(db, &bundle.case).await?;
            Some(super::hearing_evidence::for_hearing(db, viewer.now, policy, case_id).await?)
        }
        _ => {
            return Err(Error::rule(
                "R-INV-3",
                "Evidence is gathered during the investigation, or given for a hearing.",
            ));
        }
    };
    let description = require_text("description", &description)?;
    // Parties cannot narrow or widen who sees their evidence; investigators can.
    let (audience, submitted_by) = match source {
        EvidenceSource::Investigator => {
            (audience.unwrap_or_else(|| DEFAULT_AUDIENCE.to_vec()), None)
        }
        EvidenceSource::Party(p) => (DEFAULT_AUDIENCE.to_vec(), Some(p)),
    };
    let row = evidence::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        kind: Set(kind.as_str().into()),
        description: Set(description),
        submitted_by_party: Set(submitted_by),
        recorded_by: Set(viewer.person_id),
        shared_with: Set(codec::encode_enums(
            "evidence.shared_with",
            &audience,
            Audience::as_str,
        )?),
        created_at: Set(viewer.now.at()),
        hearing_id: Set(for_hearing.as_ref().map(|h| h.hearing)),
        admission: Set(for_hearing.as_ref().filter(|h| h.late).map(|_| {
            crate::domain::kinds::EvidenceAdmission::Pending
                .as_str()
                .into()
        })),
        admission_by: Set(None),
        admission_at: Set(None),
    }
    .insert(db)
    .await?;
    crate::domain::audit::record(db, viewer, "addEvidence", case_id).await?;
    Ok(row)
}

/// A statement taken by an investigator (a witness's is shared with both
/// principal parties, 002 §8), or the responding party's own written response.
pub async fn add_statement(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    party_id: Option<Uuid>,
    kind: StatementKind,
    body: String,
    shared: Option<bool>,
) -> Result<statement::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let author = access::actions::can_add_statement(&rel)?;
    if bundle.stage()? != Stage::Investigation {
        return Err(Error::rule(
            "LIFECYCLE",
            "Statements are taken during the investigation.",
        ));
    }
    let body = require_text("body", &body)?;
    let (author, shared_with_parties) = match author {
        StatementAuthor::Investigator => {
            let author = party_id
                .ok_or_else(|| Error::validation("partyId", "Name whose statement this is."))?;
            bundle.party(author)?;
            (
                author,
                shared.unwrap_or(kind == StatementKind::WitnessStatement),
            )
        }
        // The responding party submits their own written response (R-INV-2).
        StatementAuthor::RespondingParty(mine) => {
            if kind != StatementKind::RespondentResponse {
                return Err(Error::validation(
                    "kind",
                    "You can submit your written response here.",
                ));
            }
            (mine, false)
        }
    };
    let row = statement::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(author),
        kind: Set(kind.as_str().into()),
        body: Set(body),
        shared_with_parties: Set(shared_with_parties),
        recorded_by: Set(viewer.person_id),
        created_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    if kind == StatementKind::RespondentResponse {
        use sea_orm::sea_query::Expr;
        entity::deadline::Entity::update_many()
            .col_expr(entity::deadline::Column::Status, Expr::value("DONE"))
            .filter(entity::deadline::Column::CaseId.eq(case_id))
            .filter(entity::deadline::Column::PartyId.eq(author))
            .filter(entity::deadline::Column::Kind.eq(DeadlineKind::WrittenResponse.as_str()))
            .exec(db)
            .await?;
    }
    crate::domain::audit::record(db, viewer, "addStatement", case_id).await?;
    Ok(row)
}

/// R-INV-5: a conviction or caution is conclusive; the case goes to the formal stage.
pub async fn record_conviction(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    details: String,
    expected_version: i32,
) -> Result<()> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    bundle.expect_version(expected_version)?;
    let details = require_text("details", &details)?;
    let mv = lifecycle::advance(bundle.stage()?, Stage::Decision)?;
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation: "recordConviction",
            expected_version,
            stage_move: Some((mv, Some(details.clone()))),
            columns: vec![],
        },
    )
    .await?;
    let mut row: procedure::ActiveModel = state(db, case_id).await?.into();
    row.conviction = Set(true);
    row.finding = Set(Some(Finding::Breach.as_str().into()));
    row.investigation_summary = Set(Some(details));
    row.update(db).await?;
    Ok(())
}

/// R-INV-7: the investigation report; INVESTIGATION → DECISION; each principal
/// party may ask for a review within the policy's window (R-IRV-1).
#[expect(
    clippy::too_many_arguments,
    reason = "viewer, connection, policy, then the decision's own parts"
)]
pub async fn issue_report(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    finding: Finding,
    summary: String,
    recommendations: String,
    expected_version: i32,
) -> Result<()> {
    let (bundle, _) = open_for(
        viewer,
        db,
        case_id,
        access::actions::can_issue_investigation_report,
    )
    .await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    bundle.expect_version(expected_version)?;
    let summary = require_text("summary", &summary)?;
    let recommendations = require_text("recommendations", &recommendations)?;
    let mv = lifecycle::advance(bundle.stage()?, Stage::Decision)?;
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation: "issueInvestigationReport",
            expected_version,
            stage_move: Some((mv, None)),
            columns: vec![],
        },
    )
    .await?;
    let mut row: procedure::ActiveModel = state(db, case_id).await?.into();
    row.finding = Set(Some(finding.as_str().into()));
    row.investigation_summary = Set(Some(summary));
    row.recommendations = Set(Some(recommendations));
    row.investigation_report_at = Set(Some(viewer.now.at()));
    row.update(db).await?;
    deadlines::complete(db, viewer.now, case_id, DeadlineKind::InvestigationTarget).await?;
    let review_by = super::review::open_windows(db, viewer.now, policy, &bundle).await?;
    crate::domain::letters::triggers::on_investigation_report(
        db, viewer.now, policy, &bundle, review_by,
    )
    .await
}

pub fn audience(row: &evidence::Model) -> Result<Vec<Audience>> {
    codec::decode_enums("evidence.shared_with", &row.shared_with, Audience::from_db)
}
