//! The outcome (R-OUT-1) and the end of the appeal window (R-APP-1, R-OUT-2).

use entity::procedure;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use super::*;
use crate::domain::case_store::Change;
use crate::domain::clock::Now;
use crate::domain::deadlines;
use crate::domain::kinds::{DeadlineKind, NotificationKind, Stage};
use crate::domain::letters::triggers as letters;
use crate::domain::lifecycle;
use crate::policy::{Policy, PolicyBook};

/// R-OUT-1: the outcome with reasons; the responding parties are notified now
/// and those found in breach may appeal within the policy's window (R-APP-1).
/// With several responding parties the decision may find some not in breach
/// (000 §35): their process concludes at once.
pub async fn record_outcome(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    reasons: String,
    not_in_breach: &[Uuid],
) -> Result<()> {
    let in_breach: Vec<Uuid> = responding_parties(bundle)
        .into_iter()
        .filter(|p| !not_in_breach.contains(p))
        .collect();
    record_finding(db, now, policy, bundle, &in_breach, reasons).await
}

/// The outcome of a finding for each responding party: those in `in_breach`
/// may appeal within their window; the others' findings are removed from the
/// record and leave them nothing to appeal (R-APP-1).
pub async fn record_finding(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    in_breach: &[Uuid],
    reasons: String,
) -> Result<()> {
    let breach = !in_breach.is_empty();
    let mut row: procedure::ActiveModel = state(db, bundle.case.id).await?.into();
    row.breach_found = Set(breach);
    row.outcome_reasons = Set(Some(reasons.clone()));
    row.outcome_notified_at = Set(Some(now.at()));
    crate::domain::notices::notify_parties(
        db,
        now,
        policy,
        bundle,
        &responding_parties(bundle),
        NotificationKind::OutcomeRecorded,
        "A decision has been made in your case. Sign in to read it and, where it applies, how and by when you can appeal.",
    )
    .await?;
    let cleared: Vec<Uuid> = responding_parties(bundle)
        .into_iter()
        .filter(|p| !in_breach.contains(p))
        .collect();
    for party in responding_parties(bundle) {
        respondents::record(db, now, bundle.case.id, party, in_breach.contains(&party)).await?;
    }
    if !breach {
        row.removed_from_record = Set(true);
        row.appeals_concluded_at = Set(Some(now.at()));
        row.update(db).await?;
        letters::on_outcome(db, now, policy, bundle, in_breach, &reasons, None).await?;
        // Nothing to appeal: the reporting party may be told now (R-OUT-2).
        return letters::on_appeals_concluded(db, now, policy, bundle, &cleared).await;
    }
    let window = policy
        .calendar()
        .add_working_days(now.today(), policy.deadlines.appeal_window);
    row.appeal_window_ends = Set(Some(window));
    row.update(db).await?;
    for &party in in_breach {
        deadlines::set_for(
            db,
            now,
            bundle.case.id,
            party,
            Some(party),
            DeadlineKind::AppealWindow,
            "R-APP-1",
            window,
        )
        .await?;
    }
    letters::on_outcome(db, now, policy, bundle, in_breach, &reasons, Some(window)).await?;
    // A respondent found not in breach has nothing to appeal (R-OUT-2 for them now).
    letters::on_appeals_concluded(db, now, policy, bundle, &cleared).await
}

/// R-APP-1: when a respondent's window passes unused, their outcome stands and
/// their appeal process concludes (R-OUT-2 then applies to them). Every
/// respondent whose window has passed is concluded; the case closes when no
/// respondent's process is left open — an appeal still being decided keeps it
/// at APPEAL without holding the others' outcomes.
pub async fn close_after_appeal_window(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    expected_version: i32,
) -> Result<()> {
    let (bundle, _) = open_as_conduct(viewer, db, case_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    bundle.expect_version(expected_version)?;
    let stage = bundle.stage()?;
    if !matches!(stage, Stage::Outcome | Stage::Appeal) {
        return Err(Error::rule(
            "LIFECYCLE",
            format!("A {stage} case has no appeal window to close."),
        ));
    }
    let mut passed = Vec::new();
    let mut still_open = false;
    for o in respondents::of_case(db, case_id).await? {
        if o.standing != respondents::Standing::Appealable {
            continue;
        }
        match o.appeal_window_ends {
            Some(end) if viewer.now.today() <= end => still_open = true,
            _ => passed.push(o.row.party_id),
        }
    }
    if passed.is_empty() {
        return Err(Error::rule(
            "R-APP-1",
            if still_open {
                "The appeal window is still open."
            } else {
                "No appeal window is left to close: each outcome is under appeal or concluded."
            },
        ));
    }
    let all_concluded = respondents::conclude(db, viewer.now, case_id, &passed, false).await?;
    let stage_move = if all_concluded {
        Some((lifecycle::advance(stage, Stage::Closed)?, None))
    } else {
        None
    };
    case_store::save(
        db,
        viewer,
        &bundle,
        Change {
            operation: "closeAfterAppealWindow",
            expected_version,
            stage_move,
            columns: vec![],
        },
    )
    .await?;
    letters::on_appeals_concluded(db, viewer.now, policy, &bundle, &passed).await?;
    if all_concluded {
        conclude_appeals(db, viewer.now, &bundle).await?;
    }
    Ok(())
}

/// R-OUT-2: every respondent's appeal process has concluded; from now on the
/// reporting party may learn the whole outcome (each respondent's letter went
/// when their own process concluded).
pub async fn conclude_appeals(
    db: &impl ConnectionTrait,
    now: Now,
    bundle: &CaseBundle,
) -> Result<()> {
    let case_id = bundle.case.id;
    let removed = respondents::all_removed(db, case_id).await?;
    let mut p: procedure::ActiveModel = state(db, case_id).await?.into();
    p.appeals_concluded_at = Set(Some(now.at()));
    if removed {
        p.removed_from_record = Set(true);
    }
    p.update(db).await?;
    deadlines::complete(db, now, case_id, DeadlineKind::AppealWindow).await
}
