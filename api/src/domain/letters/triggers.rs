//! Which change issues which letter, to whom (issue 9 §2). Each is called in
//! the transaction of the change; the wording is the institution's template.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{appeal, measure, meeting, party, review_request, sanction};
use minijinja::Value;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Draft, Fields, issue, long_date};
use crate::domain::calendar::uk_date;
use crate::domain::case_store::CaseBundle;
use crate::domain::clock::Now;
use crate::domain::codec;
use crate::domain::kinds::{
    AppealGround, AppealStatus, Audience, DisclosureItem, LetterKind, MeasureAction, MeasureKind,
    PartyRole, ReviewStatus, SanctionStatus,
};
use crate::domain::reporting_party_disclosures::{self, Told};
use crate::error::Result;
use crate::policy::Policy;

fn of_role(bundle: &CaseBundle, role: PartyRole) -> impl Iterator<Item = &party::Model> {
    bundle
        .parties
        .iter()
        .filter(move |p| p.role == role.as_str())
}

/// The reporting and responding parties: who is told of the procedure's steps.
pub(super) fn principals(bundle: &CaseBundle) -> impl Iterator<Item = &party::Model> {
    of_role(bundle, PartyRole::Reporting).chain(of_role(bundle, PartyRole::Responding))
}

/// Issues a letter of `kind` to each principal party, with the fields
/// `fields_for` gives each.
async fn to_principals(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    kind: LetterKind,
    fields_for: impl Fn(&party::Model) -> Fields,
) -> Result<()> {
    for party in principals(bundle) {
        let draft = Draft::new(kind, fields_for(party));
        issue(db, now, policy, bundle, party, draft).await?;
    }
    Ok(())
}

fn time_of_day(at: DateTime<Utc>) -> Value {
    let local = at.with_timezone(&chrono_tz::Europe::London);
    Value::from(local.format("%H:%M").to_string())
}

/// A ground of appeal as a letter lists it (R-APP-2).
pub fn ground_label(ground: AppealGround) -> &'static str {
    match ground {
        AppealGround::ProceduralIrregularity => "a procedural irregularity",
        AppealGround::EvidenceNotConsidered => "evidence that was not fully considered",
        AppealGround::PrejudiceOrBias => "prejudice or bias",
        AppealGround::UnreasonableDecision => {
            "a decision no reasonable decision maker could have reached"
        }
        AppealGround::ExcessiveSanction => "a penalty that is excessive",
        AppealGround::FindingsOfFact => "a challenge to the findings of fact",
        AppealGround::NewEvidence => {
            "new material evidence that could not, for good reason, be given earlier"
        }
    }
}

/// A sanction as a letter states it: "Fine of £150.00", "Suspension until …".
pub fn describe_sanction(row: &sanction::Model) -> String {
    let mut words = row.kind.replace('_', " ").to_lowercase();
    if let Some(first) = words.get(..1) {
        words = first.to_uppercase() + words.get(1..).unwrap_or_default();
    }
    if let Some(pence) = row.amount_pence {
        words += &format!(" of £{}.{:02}", pence / 100, pence % 100);
    }
    if let Some(end) = row.ends_on {
        words += &format!(" until {}", end.format("%-d %B %Y"));
    }
    if row.status == SanctionStatus::AwaitingApproval.as_str() {
        words += &format!(
            " (subject to approval by {})",
            row.approval_by
                .as_deref()
                .unwrap_or("the approver policy names")
        );
    }
    words
}

/// The sanctions standing against `party` (imposed, or awaiting approval).
pub(super) async fn standing_sanctions(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    party: Option<uuid::Uuid>,
) -> Result<Vec<sanction::Model>> {
    let mut query = sanction::Entity::find()
        .filter(sanction::Column::CaseId.eq(bundle.case.id))
        .filter(sanction::Column::Status.is_in([
            SanctionStatus::Imposed.as_str(),
            SanctionStatus::AwaitingApproval.as_str(),
        ]))
        .order_by_asc(sanction::Column::CreatedAt);
    if let Some(party) = party {
        query = query.filter(sanction::Column::PartyId.eq(party));
    }
    Ok(query.all(db).await?)
}

pub(super) fn list(items: impl IntoIterator<Item = String>) -> Value {
    Value::from(items.into_iter().map(Value::from).collect::<Vec<_>>())
}

/// R-INV-2, R-INV-8, 002 §8: the invitation to an investigation meeting; a
/// meeting moved gets a new invitation naming the one it replaces.
pub async fn on_meeting(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    meeting: &meeting::Model,
    rearranged: bool,
) -> Result<()> {
    let party = bundle.party(meeting.party_id)?;
    let fields = Fields::from([
        ("meeting_date", long_date(uk_date(meeting.scheduled_at))),
        ("meeting_time", time_of_day(meeting.scheduled_at)),
        (
            "place",
            Value::from(
                meeting
                    .location
                    .as_deref()
                    .unwrap_or("a place the investigator will confirm to you"),
            ),
        ),
        ("notice_days", Value::from(policy.deadlines.meeting_notice)),
        (
            "shorter_notice_agreed",
            Value::from(meeting.agreed_shorter_notice),
        ),
        (
            "written_response_due",
            meeting
                .written_response_due
                .map_or(Value::from(()), long_date),
        ),
        ("rearranged", Value::from(rearranged)),
    ]);
    let draft = Draft::new(LetterKind::MeetingInvitation, fields);
    let draft = if rearranged {
        draft.replacing(meeting.id)
    } else {
        draft.about(meeting.id)
    };
    issue(db, now, policy, bundle, party, draft).await?;
    Ok(())
}

/// A meeting called off: the invitee is told, and the invitation is replaced.
pub async fn on_meeting_cancelled(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    meeting: &meeting::Model,
) -> Result<()> {
    let party = bundle.party(meeting.party_id)?;
    let fields = Fields::from([
        ("meeting_date", long_date(uk_date(meeting.scheduled_at))),
        ("meeting_time", time_of_day(meeting.scheduled_at)),
    ]);
    let draft = Draft::new(LetterKind::MeetingCancelled, fields).replacing(meeting.id);
    issue(db, now, policy, bundle, party, draft).await?;
    Ok(())
}

/// R-IRV-1: the report is out; each principal party may ask for a review.
pub async fn on_investigation_report(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    review_last_day: NaiveDate,
) -> Result<()> {
    let days = policy.deadlines.investigation_review_request;
    to_principals(
        db,
        now,
        policy,
        bundle,
        LetterKind::InvestigationReportIssued,
        |_| {
            Fields::from([
                ("review_days", Value::from(days)),
                ("review_last_day", long_date(review_last_day)),
            ])
        },
    )
    .await
}

/// R-IRV-2: an accepted review is told to both principal parties; R-IRV-1: a
/// refused one to the party who asked, with the reasons.
pub async fn on_review_decided(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    request: &review_request::Model,
) -> Result<()> {
    if request.status == ReviewStatus::Refused.as_str() {
        let party = bundle.party(request.party_id)?;
        let fields = Fields::from([(
            "reasons",
            Value::from(request.reasons.clone().unwrap_or_default()),
        )]);
        issue(
            db,
            now,
            policy,
            bundle,
            party,
            Draft::new(LetterKind::ReviewRefused, fields),
        )
        .await?;
        return Ok(());
    }
    to_principals(
        db,
        now,
        policy,
        bundle,
        LetterKind::ReviewAccepted,
        |party| {
            Fields::from([(
                "requested_by_you",
                Value::from(party.id == request.party_id),
            )])
        },
    )
    .await
}

/// R-IRV-2: both principal parties receive the review's outcome, with a further
/// review window when it changed the findings in substance.
pub async fn on_review_completed(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    request: &review_request::Model,
    further_review_by: Option<NaiveDate>,
) -> Result<()> {
    let outcome = request.outcome.clone().unwrap_or_default();
    to_principals(db, now, policy, bundle, LetterKind::ReviewOutcome, |_| {
        Fields::from([
            ("outcome", Value::from(outcome.clone())),
            (
                "substantive_change",
                Value::from(request.substantive_change),
            ),
            (
                "review_last_day",
                further_review_by.map_or(Value::from(()), long_date),
            ),
        ])
    })
    .await
}

/// R-INV-9: both parties are told the case is paused (not why: §3 keeps the
/// reason to the procedure), and when it resumes.
pub async fn on_pause(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
) -> Result<()> {
    let kind = LetterKind::CasePaused;
    to_principals(db, now, policy, bundle, kind, |_| {
        Fields::from([
            ("paused_on", long_date(now.today())),
            (
                "next_update_by",
                long_date(super::updates::next_due(policy, now)),
            ),
        ])
    })
    .await
}

pub async fn on_resume(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    days_moved: u32,
) -> Result<()> {
    let kind = LetterKind::CaseResumed;
    to_principals(db, now, policy, bundle, kind, |_| {
        Fields::from([
            ("resumed_on", long_date(now.today())),
            ("days_moved", Value::from(days_moved)),
        ])
    })
    .await
}

/// What a summons states (R-HEA-1, 003 §5).
pub struct Summons<'a> {
    /// The case's hearing row the summons is for.
    pub hearing: uuid::Uuid,
    /// A hearing rearranged (R-HEA-6): the new letter replaces the summons.
    pub rearranged: bool,
    pub at: DateTime<Utc>,
    pub place: &'a str,
    pub alleged_breaches: &'a str,
    pub penalty_range: &'a str,
    pub proposed_penalty: &'a str,
    pub response_due: NaiveDate,
}

/// R-HEA-1, R-HEA-6: the summons to each responding party, with the written
/// evidence shared with them.
pub async fn on_summons(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    summons: &Summons<'_>,
) -> Result<()> {
    let mut evidence = Vec::new();
    for row in entity::evidence::Entity::find()
        .filter(entity::evidence::Column::CaseId.eq(bundle.case.id))
        .order_by_asc(entity::evidence::Column::CreatedAt)
        .all(db)
        .await?
    {
        let audience = crate::domain::procedure::investigation::audience(&row)?;
        // Late evidence goes with the papers only once the chair admits it (R-HEA-6).
        let unadmitted = crate::domain::procedure::hearing_evidence::unadmitted(&row);
        if audience.contains(&Audience::RespondingParty) && !unadmitted {
            evidence.push(row.description);
        }
    }
    for party in of_role(bundle, PartyRole::Responding) {
        let fields = Fields::from([
            (
                "hearing_date",
                long_date(crate::domain::calendar::uk_date(summons.at)),
            ),
            ("hearing_time", time_of_day(summons.at)),
            ("place", Value::from(summons.place)),
            ("notice_days", Value::from(policy.deadlines.hearing_notice)),
            ("alleged_breaches", Value::from(summons.alleged_breaches)),
            ("penalty_range", Value::from(summons.penalty_range)),
            ("proposed_penalty", Value::from(summons.proposed_penalty)),
            ("response_due", long_date(summons.response_due)),
            ("evidence", list(evidence.clone())),
        ]);
        let draft = if summons.rearranged {
            Draft::new(LetterKind::HearingRearranged, fields).replacing(summons.hearing)
        } else {
            Draft::new(LetterKind::HearingSummons, fields).about(summons.hearing)
        };
        issue(db, now, policy, bundle, party, draft).await?;
    }
    Ok(())
}

/// R-HEA-5: each responding party learns that the hearing referred their case
/// to the body the procedure names, and why; that body summons them afresh.
pub async fn on_hearing_referred(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    hearing: uuid::Uuid,
    reasons: &str,
) -> Result<()> {
    for party in of_role(bundle, PartyRole::Responding) {
        let fields = Fields::from([
            ("referred_on", long_date(now.today())),
            ("body", Value::from(policy.hearings.referral_body.clone())),
            ("reasons", Value::from(reasons)),
        ]);
        let draft = Draft::new(LetterKind::HearingReferred, fields).about(hearing);
        issue(db, now, policy, bundle, party, draft).await?;
    }
    Ok(())
}

/// R-OUT-1, R-APP-1: the outcome to each responding party, with reasons, any
/// penalty, and — where a breach was found — the appeal route and last day.
pub async fn on_outcome(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    in_breach: &[uuid::Uuid],
    reasons: &str,
    appeal_last_day: Option<NaiveDate>,
) -> Result<()> {
    for party in of_role(bundle, PartyRole::Responding) {
        // Each respondent's own finding (000 §35): no appeal date without a breach.
        let breach = in_breach.contains(&party.id);
        let appeal_last_day = appeal_last_day.filter(|_| breach);
        let sanctions = standing_sanctions(db, bundle, Some(party.id)).await?;
        let fields = Fields::from([
            ("breach_found", Value::from(breach)),
            ("reasons", Value::from(reasons)),
            ("sanctions", list(sanctions.iter().map(describe_sanction))),
            (
                "appeal_window_days",
                Value::from(policy.deadlines.appeal_window),
            ),
            (
                "appeal_last_day",
                appeal_last_day.map_or(Value::from(()), long_date),
            ),
            (
                "appeal_grounds",
                list(
                    policy
                        .appeal_grounds()
                        .into_iter()
                        .map(|g| ground_label(g).to_string()),
                ),
            ),
        ]);
        issue(
            db,
            now,
            policy,
            bundle,
            party,
            Draft::new(LetterKind::Outcome, fields),
        )
        .await?;
    }
    Ok(())
}

/// R-APP-1: the appeal is acknowledged to the appellant, with when to expect
/// the decision (R-APP-3).
pub async fn on_appeal_lodged(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    row: &appeal::Model,
    decision_due: NaiveDate,
) -> Result<()> {
    let grounds = codec::decode_enums("appeal.grounds", &row.grounds, AppealGround::from_db)?;
    let fields = Fields::from([
        (
            "lodged_on",
            long_date(crate::domain::calendar::uk_date(row.lodged_at)),
        ),
        (
            "grounds",
            list(grounds.iter().map(|g| ground_label(*g).to_string())),
        ),
        ("decision_due_on", long_date(decision_due)),
    ]);
    let party = bundle.party(row.party_id)?;
    let draft = Draft::new(LetterKind::AppealAcknowledgement, fields).about(row.id);
    issue(db, now, policy, bundle, party, draft).await?;
    Ok(())
}

/// R-APP-3: the appeal's outcome and the Completion of Procedures letter, with
/// the date from which the OIAHE complaint period runs.
/// R-APP-3: the appellant is told their appeal goes to an appeal panel, and
/// by when a decision is due.
pub async fn on_appeal_referred(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    row: &appeal::Model,
    decision_due: Option<NaiveDate>,
) -> Result<()> {
    let party = bundle.party(row.party_id)?;
    let fields = Fields::from([
        ("referred_on", long_date(now.today())),
        (
            "reasons",
            Value::from(row.review_reasons.clone().unwrap_or_default()),
        ),
        (
            "decision_due_on",
            decision_due.map_or(Value::from(()), long_date),
        ),
    ]);
    let draft = Draft::new(LetterKind::AppealReferred, fields).about(row.id);
    issue(db, now, policy, bundle, party, draft).await?;
    Ok(())
}

pub async fn on_appeal_concluded(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    row: &appeal::Model,
) -> Result<()> {
    let result = match AppealStatus::from_db(&row.status)? {
        AppealStatus::Rejected => {
            "the appeal is rejected: no ground of appeal was made out, and the decision stands."
        }
        AppealStatus::Corrected => {
            "the appeal reviewer has corrected the decision; the penalties now standing are shown in the student portal."
        }
        AppealStatus::Upheld => "the appeal panel upheld the original decision.",
        AppealStatus::Substituted => {
            "the appeal panel substituted another decision; the penalties now standing are shown in the student portal."
        }
        AppealStatus::CaseDismissed => {
            "the appeal panel dismissed the case, and it is removed from your record."
        }
        _ => "the appeal has been decided.",
    };
    let reasons = row
        .panel_reasons
        .clone()
        .or_else(|| row.review_reasons.clone())
        .unwrap_or_default();
    let party = bundle.party(row.party_id)?;
    let fields = Fields::from([
        ("result", Value::from(result)),
        ("reasons", Value::from(reasons)),
    ]);
    let draft = Draft::new(LetterKind::AppealOutcome, fields).about(row.id);
    issue(db, now, policy, bundle, party, draft).await?;
    let completed = row.completion_of_procedures_on.unwrap_or(now.today());
    let fields = Fields::from([
        ("completed_on", long_date(completed)),
        (
            "complaint_months",
            Value::from(policy.deadlines.oiahe_complaint_months),
        ),
        (
            "complaint_last_day",
            row.oiahe_deadline.map_or(Value::from(()), long_date),
        ),
    ]);
    issue(
        db,
        now,
        policy,
        bundle,
        party,
        Draft::new(LetterKind::CompletionOfProcedures, fields),
    )
    .await?;
    Ok(())
}

/// A precautionary measure brought into force, changed or withdrawn, as told
/// to one party.
pub struct MeasureChange<'a> {
    pub measure: &'a measure::Model,
    pub action: MeasureAction,
    /// The party is bound by it (otherwise: the reporting party, told whether).
    pub to_subject: bool,
}

/// R-MEA-5: a party bound by a measure is told its terms and their right to
/// make representations; R-MEA-7: the reporting party is told that a stated
/// measure on the responding party came into force, changed or was withdrawn —
/// not what it is. A withdrawal tells the subject through the portal only.
pub async fn on_measure_change(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    party: &party::Model,
    change: &MeasureChange<'_>,
) -> Result<()> {
    let m = change.measure;
    if change.to_subject {
        if change.action == MeasureAction::Withdrawn {
            return Ok(());
        }
        let kind = MeasureKind::from_db(&m.kind)?;
        let fields = Fields::from([
            (
                "new",
                Value::from(change.action == MeasureAction::BroughtIntoForce),
            ),
            ("measure", Value::from(measure_label(kind))),
            ("details", Value::from(m.details.clone())),
            ("starts_on", long_date(m.starts_on)),
            ("ends_on", m.ends_on.map_or(Value::from(()), long_date)),
            ("review_due", long_date(m.review_due)),
        ]);
        let draft = Draft::new(LetterKind::MeasureNotice, fields).about(m.id);
        issue(db, now, policy, bundle, party, draft).await?;
        return Ok(());
    }
    let change_words = match change.action {
        MeasureAction::BroughtIntoForce => {
            "a precautionary measure concerning the student you reported is now in place."
        }
        MeasureAction::Withdrawn => {
            "a precautionary measure concerning the student you reported has been withdrawn."
        }
        _ => "a precautionary measure concerning the student you reported has changed.",
    };
    let fields = Fields::from([("change", Value::from(change_words))]);
    let draft = Draft::new(LetterKind::MeasuresChanged, fields).about(m.id);
    issue(db, now, policy, bundle, party, draft).await?;
    Ok(())
}

/// A measure's kind as a letter names it (R-MEA-2).
fn measure_label(kind: MeasureKind) -> &'static str {
    match kind {
        MeasureKind::NoContactOrder => "No-contact order",
        MeasureKind::Exclusion => "Exclusion from named sites, buildings or activities",
        MeasureKind::Suspension => "Temporary suspension from study",
        MeasureKind::AlternativeAccommodation => "Alternative accommodation",
        MeasureKind::Conditions => "Conditions",
    }
}

/// R-OUT-2: once a responding party's appeal process has concluded, each
/// reporting party is told what they may know of that respondent's outcome —
/// the finding and the penalties, not the reasons or the justification — and
/// that disclosure is recorded with its lawful basis, as when they read it in
/// the portal. With several responding parties (000 §35) each respondent's
/// outcome is its own letter, naming them unless their name is withheld.
pub async fn on_appeals_concluded(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    concluded: &[uuid::Uuid],
) -> Result<()> {
    let Some(proc) = entity::procedure::Entity::find_by_id(bundle.case.id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    if proc.outcome_reasons.is_none() {
        return Ok(()); // no outcome to tell (e.g. a case closed at triage)
    }
    let outcomes = crate::domain::procedure::respondents::of_case(db, bundle.case.id).await?;
    let several = of_role(bundle, PartyRole::Responding).count() > 1;
    for respondent in concluded {
        let (breach_found, removed) = outcomes
            .iter()
            .find(|o| o.row.party_id == *respondent)
            .map_or((proc.breach_found, proc.removed_from_record), |o| {
                (o.row.breach_found, o.row.removed_from_record)
            });
        let student = if several {
            respondent_name(db, bundle, *respondent).await?
        } else {
            String::new()
        };
        tell_outcome(
            db,
            now,
            policy,
            bundle,
            *respondent,
            (breach_found, removed),
            student,
        )
        .await?;
    }
    Ok(())
}

/// How a reporting party's letter names a respondent: by name, unless it is
/// withheld from them (R-DISC-4).
async fn respondent_name(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    respondent: uuid::Uuid,
) -> Result<String> {
    let Some(party) = bundle.parties.iter().find(|p| p.id == respondent) else {
        return Ok(String::new());
    };
    if party.identity_withheld {
        return Ok("One of the students reported".into());
    }
    Ok(match party.person_id {
        Some(id) => entity::person::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|p| p.display_name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

async fn tell_outcome(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    respondent: uuid::Uuid,
    (breach_found, removed): (bool, bool),
    student: String,
) -> Result<()> {
    let breach = breach_found && !removed;
    let finding = crate::domain::procedure::respondents::finding_told(breach_found, removed);
    let sanctions = if breach {
        let only = (!student.is_empty()).then_some(respondent);
        standing_sanctions(db, bundle, only).await?
    } else {
        vec![]
    };
    for party in of_role(bundle, PartyRole::Reporting) {
        let fields = Fields::from([
            ("concluded_on", long_date(now.today())),
            ("student", Value::from(student.clone())),
            ("breach_found", Value::from(breach)),
            ("sanctions", list(sanctions.iter().map(describe_sanction))),
        ]);
        let issued = issue(
            db,
            now,
            policy,
            bundle,
            party,
            Draft::new(LetterKind::ReportingPartyOutcome, fields).about(respondent),
        )
        .await?;
        if issued.is_none() {
            continue;
        }
        let told = |item, disclosed: String| Told {
            case_id: bundle.case.id,
            policy_version: bundle.case.policy_version.clone(),
            party_id: party.id,
            item,
            disclosed,
        };
        let mut said = vec![told(DisclosureItem::Outcome, finding.into())];
        said.extend(
            sanctions
                .iter()
                .map(|s| told(DisclosureItem::Sanctions, format!("Sanction: {}", s.kind))),
        );
        reporting_party_disclosures::record_under(db, policy, now.at(), said).await?;
    }
    Ok(())
}
