//! The formal report (R-REP-1, R-REP-2, R-REP-4) and the stage moves of this
//! slice: closing a disclosure, withdrawal (R-INV-6), pausing and resuming.

use entity::{case, party, person};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle, Change};
use crate::domain::clock::Now;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{
    EnrolmentStatus, PartyRole, PauseReason, Stage, SupportOption, TimelineKind,
};
use crate::domain::lifecycle;
use crate::domain::support::latest_conversation;
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::{Policy, PolicyBook};

pub struct NewReport {
    pub statement: String,
    pub desired_outcome: Option<String>,
    /// R-REP-2: the reporting party agrees the responding party may be told.
    pub respondent_may_be_informed: bool,
    /// Students the reporting party names as witnesses (by SIS number; 002 §6).
    pub witnesses: Vec<String>,
    pub expected_version: i32,
}

pub(crate) fn reporting_party(bundle: &CaseBundle) -> Result<&party::Model> {
    bundle
        .parties
        .iter()
        .find(|p| p.role == PartyRole::Reporting.as_str())
        .ok_or(Error::NotFound("reporting party"))
}

/// R-REP-1: every condition for turning a disclosure into a formal report.
async fn check_report_conditions(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    reporter: &party::Model,
) -> Result<()> {
    if bundle.case.anonymous || reporter.person_id.is_none() {
        return Err(Error::rule(
            "R-DISC-2",
            "An anonymous disclosure cannot become a formal report.",
        ));
    }
    let conversation = latest_conversation(db, reporter.id).await?.ok_or_else(|| {
        Error::rule(
            "R-REP-1",
            "A formal report needs an options conversation with the reporting party first.",
        )
    })?;
    let chosen = crate::domain::support::chosen(&conversation)?;
    if !chosen.contains(&SupportOption::ReportToUniversity) {
        return Err(Error::rule(
            "R-REP-1",
            "The reporting party has not chosen to report to the university.",
        ));
    }
    if bundle.case.police_case_ongoing || chosen.contains(&SupportOption::ReportToPolice) {
        return Err(Error::rule(
            "R-REP-1",
            "There is an ongoing police case on the same allegation.",
        ));
    }
    let respondents: Vec<&party::Model> = bundle
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Responding.as_str())
        .collect();
    if respondents.is_empty() {
        return Err(Error::rule(
            "R-REP-1",
            "A formal report must name at least one responding party.",
        ));
    }
    crate::domain::staff_procedure::refuse_report_naming(&respondents)?;
    let ids: Vec<Uuid> = respondents.iter().filter_map(|p| p.person_id).collect();
    if ids.len() < respondents.len() {
        return Err(Error::rule(
            "R-REP-1",
            "Every responding party must be identified as a student of the university.",
        ));
    }
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?;
    for p in &people {
        let current = p
            .enrolment_status
            .as_deref()
            .and_then(EnrolmentStatus::parse)
            .is_some_and(EnrolmentStatus::is_current);
        if !current {
            return Err(Error::rule(
                "R-DISC-5",
                "A responding party is no longer a current student; no disciplinary action is possible.",
            ));
        }
    }
    Ok(())
}

pub async fn submit_formal_report(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    input: NewReport,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let reporter = reporting_party(&bundle)?.clone();
    access::actions::can_submit_report(&rel, reporter.id)?;
    bundle.expect_version(input.expected_version)?;
    let statement = require_text("statement", &input.statement)?;
    let desired = input
        .desired_outcome
        .as_deref()
        .map(|t| require_text("desiredOutcome", t))
        .transpose()?;
    let mv = lifecycle::advance(bundle.stage()?, Stage::ReportReceived)?;
    check_report_conditions(db, &bundle, &reporter).await?;
    let witnesses = find_witnesses(db, &bundle, &input.witnesses).await?;
    let now = viewer.now.at();
    let change = Change {
        operation: "submitFormalReport",
        expected_version: input.expected_version,
        stage_move: Some((mv, None)),
        columns: vec![
            (case::Column::ReportSubmittedAt, Expr::value(Some(now))),
            (
                case::Column::ReportSubmittedBy,
                Expr::value(Some(viewer.person_id)),
            ),
            (case::Column::ReportStatement, Expr::value(Some(statement))),
            (case::Column::ReportDesiredOutcome, Expr::value(desired)),
            (
                case::Column::RespondentMayBeInformed,
                Expr::value(Some(input.respondent_may_be_informed)),
            ),
        ],
    };
    case_store::save(db, viewer, &bundle, change).await?;
    for person_id in witnesses {
        add_witness(db, viewer.now, case_id, person_id).await?;
    }
    report_deadlines(db, viewer.now, policy, case_id).await?;
    crate::domain::communications::on_report(db, viewer.now, policy, &bundle.case, &reporter)
        .await?;
    let event = Event::new(TimelineKind::FormalReportSubmitted).party(reporter.id);
    timeline::record(db, viewer, case_id, event).await
}

/// R-REP-3: acknowledgement within the policy's working days — never due on a
/// Friday unless agreed (R-TIME-2) — and the decision whether to investigate.
async fn report_deadlines(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    case_id: Uuid,
) -> Result<()> {
    use crate::domain::kinds::DeadlineKind;
    use chrono::Datelike;
    crate::domain::procedure::create(db, case_id).await?;
    let calendar = policy.calendar();
    let today = now.today();
    let mut ack = calendar.add_working_days(today, policy.deadlines.acknowledge_report);
    if policy.calendar.no_friday_letters_to_reporting_party && ack.weekday() == chrono::Weekday::Fri
    {
        ack = calendar.subtract_working_days(ack, 1);
    }
    deadlines::set(
        db,
        now,
        case_id,
        case_id,
        DeadlineKind::AcknowledgeReport,
        "R-REP-3",
        ack,
    )
    .await?;
    let decide = calendar.add_working_days(today, policy.deadlines.decide_whether_to_investigate);
    deadlines::set(
        db,
        now,
        case_id,
        case_id,
        DeadlineKind::DecideWhetherToInvestigate,
        "R-REP-3",
        decide,
    )
    .await
}

/// Resolves witnesses named by SIS number; each must be a student who is not
/// already a party.
async fn find_witnesses(
    db: &impl ConnectionTrait,
    bundle: &CaseBundle,
    sis_numbers: &[String],
) -> Result<Vec<Uuid>> {
    if sis_numbers.len() > 20 {
        return Err(Error::validation(
            "witnesses",
            "At most 20 witnesses can be named.",
        ));
    }
    let mut ids = Vec::new();
    for sis in sis_numbers {
        let found = person::Entity::find()
            .filter(person::Column::SisNumber.eq(sis.trim()))
            .one(db)
            .await?
            .ok_or_else(|| {
                Error::validation("witnesses", format!("No student has SIS number {sis}."))
            })?;
        if bundle.parties.iter().any(|p| p.person_id == Some(found.id)) || ids.contains(&found.id) {
            return Err(Error::validation(
                "witnesses",
                format!("{sis} is already a party to this case."),
            ));
        }
        ids.push(found.id);
    }
    Ok(ids)
}

async fn add_witness(
    db: &impl ConnectionTrait,
    now: Now,
    case_id: Uuid,
    person_id: Uuid,
) -> Result<()> {
    use sea_orm::{ActiveModelTrait, Set};
    party::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        person_id: Set(Some(person_id)),
        role: Set(PartyRole::Witness.as_str().into()),
        described_as: Set(None),
        identity_withheld: Set(false),
        informed_at: Set(None),
        case_worker_offered_at: Set(None),
        preferred_channel: Set(None),
        friday_contact_agreed: Set(false),
        added_at: Set(now.at()),
        employment: Set(None),
        staff_procedure_at: Set(None),
        staff_procedure_referred_to: Set(None),
        measure_notified_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The conduct team tells a responding party of the report (R-REP-2) and offers
/// them their own case worker (R-REP-4).
pub async fn inform_responding_party(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    party_id: Uuid,
    expected_version: i32,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_run_procedure(&rel, "inform the responding party")?;
    bundle.expect_version(expected_version)?;
    let party = bundle.party(party_id)?;
    if party.role != PartyRole::Responding.as_str() {
        return Err(Error::validation(
            "partyId",
            "This party is not a responding party.",
        ));
    }
    if party.informed_at.is_some() {
        return Err(Error::Conflict(
            "This responding party has already been informed.".into(),
        ));
    }
    let stage = bundle.stage()?;
    if bundle.case.report_submitted_at.is_none() || !lifecycle::is_open(stage) {
        return Err(Error::rule(
            "LIFECYCLE",
            "A responding party is informed only of an open formal report.",
        ));
    }
    if bundle.case.respondent_may_be_informed != Some(true) {
        return Err(Error::rule(
            "R-REP-2",
            "The reporting party has not agreed that the responding party may be told of the allegation, so the case cannot proceed.",
        ));
    }
    let change = Change {
        operation: "informRespondingParty",
        expected_version,
        stage_move: None,
        columns: vec![],
    };
    case_store::save(db, viewer, &bundle, change).await?;
    let now = viewer.now.at();
    party::Entity::update_many()
        .col_expr(party::Column::InformedAt, Expr::value(Some(now)))
        .col_expr(party::Column::CaseWorkerOfferedAt, Expr::value(Some(now)))
        .filter(party::Column::Id.eq(party_id))
        .exec(db)
        .await?;
    let event = Event::new(TimelineKind::RespondingPartyInformed).party(party_id);
    timeline::record(db, viewer, case_id, event).await?;
    crate::domain::notices::notify(
        db,
        viewer.now,
        policy,
        &bundle.case,
        party,
        crate::domain::kinds::NotificationKind::ReportAgainstYou,
        "The Student Conduct team has received a report that concerns you. Sign in to your case to read the letter. You may ask for a case worker to support you.",
    )
    .await
}

/// A disclosure ends without a report (support only, no report): DISCLOSURE → CLOSED.
pub async fn close_disclosure(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    reason: String,
    expected_version: i32,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let reporter = reporting_party(&bundle)?;
    access::actions::can_close_disclosure(&rel, reporter)?;
    bundle.expect_version(expected_version)?;
    let reason = require_text("reason", &reason)?;
    let mv = lifecycle::advance(bundle.stage()?, Stage::Closed)?;
    let change = Change {
        operation: "closeDisclosure",
        expected_version,
        stage_move: Some((mv, Some(reason))),
        columns: vec![],
    };
    case_store::save(db, viewer, &bundle, change).await
}

/// R-SUP-1 (000 §17, §30): a police case on the same allegation has begun or
/// has ended. While one is ongoing no formal report is possible (R-REP-1); when
/// it ends, the student may report. Recorded by the reporting party's case
/// worker or the conduct team; versioned and audited like any case change.
pub async fn record_police_case(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    ongoing: bool,
    expected_version: i32,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let reporter = reporting_party(&bundle)?;
    access::actions::can_record_police_case(&rel, reporter.id)?;
    bundle.expect_version(expected_version)?;
    if bundle.case.police_case_ongoing == ongoing {
        return Err(Error::validation(
            "ongoing",
            if ongoing {
                "A police case is already recorded as ongoing."
            } else {
                "No police case is recorded as ongoing."
            },
        ));
    }
    let change = Change {
        operation: if ongoing {
            "recordPoliceCaseStarted"
        } else {
            "recordPoliceCaseEnded"
        },
        expected_version,
        stage_move: None,
        columns: vec![(
            entity::case::Column::PoliceCaseOngoing,
            sea_orm::sea_query::Expr::value(ongoing),
        )],
    };
    case_store::save(db, viewer, &bundle, change).await
}

/// R-INV-6: the reporting party may withdraw at any time.
pub async fn withdraw(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    reason: Option<String>,
    expected_version: i32,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let reporter = reporting_party(&bundle)?;
    access::actions::can_withdraw(&rel, reporter.id)?;
    bundle.expect_version(expected_version)?;
    let reason = reason
        .as_deref()
        .map(|r| require_text("reason", r))
        .transpose()?;
    let mv = lifecycle::withdraw(bundle.stage()?)?;
    let change = Change {
        operation: "withdrawCase",
        expected_version,
        stage_move: Some((mv, reason)),
        columns: vec![],
    };
    case_store::save(db, viewer, &bundle, change).await?;
    // A case withdrawn while paused owes nobody an update any more.
    crate::domain::letters::updates::stop_owing(db, viewer.now, case_id).await
}

pub async fn pause(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    why: PauseReason,
    note: Option<String>,
    expected_version: i32,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_run_procedure(&rel, "pause a case")?;
    bundle.expect_version(expected_version)?;
    let mv = lifecycle::pause(bundle.stage()?)?;
    let reason = Some(
        match note
            .as_deref()
            .map(|n| require_text("note", n))
            .transpose()?
        {
            Some(n) => format!("{why}: {n}"),
            None => why.to_string(),
        },
    );
    let change = Change {
        operation: "pauseCase",
        expected_version,
        stage_move: Some((mv, reason)),
        columns: vec![(case::Column::PauseReason, Expr::value(Some(why.as_str())))],
    };
    case_store::save(db, viewer, &bundle, change).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    crate::domain::letters::updates::owe_while_paused(db, viewer.now, policy, &bundle).await?;
    crate::domain::letters::triggers::on_pause(db, viewer.now, policy, &bundle).await
}

pub async fn resume(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    expected_version: i32,
) -> Result<()> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    access::actions::can_run_procedure(&rel, "resume a case")?;
    bundle.expect_version(expected_version)?;
    let paused_from = bundle
        .case
        .paused_from
        .as_deref()
        .map(Stage::from_db)
        .transpose()?;
    let mv = lifecycle::resume(bundle.stage()?, paused_from)?;
    crate::domain::fitness_to_study::check_resumable(db, case_id).await?;
    let change = Change {
        operation: "resumeCase",
        expected_version,
        stage_move: Some((mv, None)),
        columns: vec![(
            case::Column::PauseReason,
            Expr::value(Option::<String>::None),
        )],
    };
    case_store::save(db, viewer, &bundle, change).await?;
    crate::domain::letters::updates::stop_owing(db, viewer.now, case_id).await?;
    // R-TIME-3: open deadlines move by the working days the case was paused.
    let paused_at = entity::timeline_event::Entity::find()
        .filter(entity::timeline_event::Column::CaseId.eq(case_id))
        .filter(entity::timeline_event::Column::ToStage.eq(Stage::Paused.as_str()))
        .order_by_desc(entity::timeline_event::Column::At)
        .one(db)
        .await?
        .map(|e| crate::domain::calendar::uk_date(e.at));
    let mut moved = 0;
    if let Some(paused_on) = paused_at {
        moved =
            deadlines::shift_case(db, viewer.now, case_id, &policy.calendar(), paused_on).await?;
    }
    crate::domain::letters::triggers::on_resume(db, viewer.now, policy, &bundle, moved).await
}
