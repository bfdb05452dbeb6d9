//! Decisions, hearings, sanctions, the outcome, appeals and deadlines as each
//! viewer may see them (R-DEC-1, R-HEA-1…4, R-SAN-1…2, R-OUT-1…2, R-APP-1…3,
//! R-TIME-1).

use async_graphql::ID;
use async_graphql::{Context, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::ProcedureFields;
use crate::domain::kinds::{self, DisclosureItem};
use crate::domain::procedure::respondents::{self, Standing};
use crate::domain::procedure::{appeals, hearings, sanctions};
use crate::domain::reporting_party_disclosures::{self, Told};
use crate::graphql::case::Scoped;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::{
    AppealGround, AppealStatus, DeadlineKind, DecisionOption, HearingDecision, HearingResponse,
    Imposer, SanctionStatus,
};
use crate::graphql::loaders::{
    DeadlinesOf, HearingsOf, RespondentOutcomesOf, SanctionsOf, SanctionsOfPerson,
};

/// What `scope`'s viewer is shown, when it is told to the reporting party.
fn told(scope: &Scoped, item: DisclosureItem, disclosed: String) -> Option<Told> {
    reporting_party_disclosures::told(&scope.rel, &scope.bundle.case, item, disclosed)
}

/// The decision on a case (R-DEC-1).
#[derive(SimpleObject)]
pub struct Decision {
    /// What was decided.
    option: DecisionOption,
    /// The reasons given.
    reasons: Option<String>,
    /// When it was decided.
    decided_at: Option<DateTime<Utc>>,
}

/// The outcome (R-OUT-1), for those who may know it (R-OUT-2).
#[derive(SimpleObject)]
pub struct Outcome {
    /// Whether a breach was found.
    breach_found: bool,
    /// The reasons for the decision and any penalty.
    reasons: Option<String>,
    /// When the responding party was notified.
    notified_at: Option<DateTime<Utc>>,
    /// The last day to appeal (R-APP-1); null when there is nothing to appeal.
    appeal_window_ends: Option<NaiveDate>,
    /// The grounds an appeal may give under the case's procedure (R-APP-2).
    appeal_grounds: Vec<AppealGround>,
    /// When the appeal process concluded; from then the reporting party may
    /// learn the outcome (R-OUT-2).
    appeals_concluded_at: Option<DateTime<Utc>>,
    /// The case was dismissed and removed from the student's record.
    removed_from_record: bool,
    /// For an informal resolution: when the conduct team attested that its
    /// terms restrict no one from disclosing information about the misconduct
    /// (Office for Students condition E6).
    no_restricting_provision_attested_at: Option<DateTime<Utc>>,
}

/// Where one responding party's outcome stands (000 §35).
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
pub enum RespondentStanding {
    /// Found in breach; they may still appeal, or their window has passed but
    /// has not yet been closed.
    Appealable,
    /// Their appeal is being decided.
    UnderAppeal,
    /// Their appeal process has concluded, or there was nothing to appeal.
    Concluded,
}

/// One responding party's own outcome (000 §35): with several responding
/// parties each has their own finding, appeal window and appeal, and one
/// respondent's appeal does not hold the others' outcomes.
#[derive(SimpleObject)]
pub struct RespondentOutcome {
    /// The responding party.
    party_id: Uuid,
    /// Whether they were found in breach.
    breach_found: bool,
    /// Their finding was removed from their record (no breach, or dismissed on appeal).
    removed_from_record: bool,
    /// Their last day to appeal (R-APP-1), as pauses moved it (R-TIME-3); null
    /// when there was nothing to appeal.
    appeal_window_ends: Option<NaiveDate>,
    /// Where their outcome stands.
    standing: RespondentStanding,
    /// When their appeal process concluded; from then the reporting party may
    /// learn their outcome (R-OUT-2).
    concluded_at: Option<DateTime<Utc>>,
}

/// One panel member's vote at a hearing (deliberations: the procedure only).
#[derive(SimpleObject)]
pub struct PanelVote {
    /// The panel member.
    member_id: Uuid,
    /// Whether they found a breach.
    breach: bool,
}

/// A hearing: the summons the student receives, their response and the
/// panel's decision (R-HEA-1…4).
#[derive(SimpleObject)]
pub struct Hearing {
    /// The hearing's id (pass it to `respondToSummons` and `recordHearingDecision`).
    id: ID,
    /// When the hearing takes place.
    scheduled_at: DateTime<Utc>,
    /// Where.
    location: String,
    /// The alleged breaches, as stated in the summons.
    alleged_breaches: String,
    /// The range of penalties available.
    penalty_range: String,
    /// The penalty proposed if the student does not respond (R-HEA-1).
    proposed_penalty: String,
    /// When the summons was sent.
    summons_sent_at: DateTime<Utc>,
    /// Respond, and name any companion, by this date (R-HEA-2).
    response_due: Option<NaiveDate>,
    /// The student's response.
    response: Option<HearingResponse>,
    /// The companion the student named.
    companion: Option<String>,
    /// No response in time, or not attending, with the summons delivered in
    /// time: the allegations were deemed accepted (R-HEA-2).
    deemed_acceptance: bool,
    /// Whether the student attended; null until recorded.
    attended: Option<bool>,
    /// Related cases heard at the same sitting.
    joint_case_ids: Vec<Uuid>,
    /// The panel's decision.
    decision: Option<HearingDecision>,
    /// The panel's reasons.
    decision_reasons: Option<String>,
    /// When the panel decided.
    decided_at: Option<DateTime<Utc>>,
    /// How each member voted: the procedure only (empty for others).
    votes: Vec<PanelVote>,
}

/// A sanction imposed on a responding party (R-SAN-1, R-SAN-2).
#[derive(SimpleObject)]
pub struct Sanction {
    /// The sanction's id (pass it to `approveSanction`).
    id: ID,
    /// The party sanctioned.
    party_id: Uuid,
    /// The sanction, as the policy's sanction list names it (e.g. FINE).
    kind: String,
    /// For a fine: the amount in pence.
    amount_pence: Option<i32>,
    /// In what capacity it was imposed.
    imposed_as: Imposer,
    /// For a sanction of fixed length: when it ends.
    ends_on: Option<NaiveDate>,
    /// Where it stands.
    status: SanctionStatus,
    /// Whose approval it awaits (policy `approvals`).
    approval_by: Option<String>,
    /// Why this sanction (R-SAN-2): the procedure and the sanctioned side only
    /// (empty for others).
    justification: String,
    /// Why lesser sanctions are not appropriate (R-SAN-2): as `justification`.
    why_not_lesser: String,
    /// When it was imposed.
    created_at: DateTime<Utc>,
}

/// An appeal by a responding party found in breach (R-APP-1…3).
#[derive(SimpleObject)]
pub struct Appeal {
    /// The appeal's id (pass it to `reviewAppeal` and `decideAppeal`).
    id: ID,
    /// The appellant.
    party_id: Uuid,
    /// The grounds of appeal (R-APP-2).
    grounds: Vec<AppealGround>,
    /// The appellant's statement of the evidence for the grounds.
    statement: String,
    /// When it was lodged.
    lodged_at: DateTime<Utc>,
    /// Where it stands.
    status: AppealStatus,
    /// The appeal reviewer's reasons.
    review_reasons: Option<String>,
    /// The date of the Completion of Procedures letter (R-APP-3).
    completion_of_procedures_on: Option<NaiveDate>,
    /// A complaint to the OIAHE is possible until this date.
    oiahe_deadline: Option<NaiveDate>,
    /// The appeal panel's reasons.
    panel_reasons: Option<String>,
    /// R-APP-5: who took the final decision on the panel's recommendation.
    final_decision_by: Option<String>,
    /// When the appeal was decided.
    decided_at: Option<DateTime<Utc>>,
}

/// An open deadline on a case (R-TIME-1).
#[derive(SimpleObject)]
pub struct CaseDeadline {
    /// What it is for.
    kind: DeadlineKind,
    /// The rule that set it, e.g. R-APP-1.
    rule: String,
    /// The UK calendar day it falls due.
    due_on: NaiveDate,
    /// It is past (today on the UK calendar is later than `dueOn`).
    overdue: bool,
    /// The party who must meet it, or who is owed it; null for the procedure's own.
    party_id: Option<Uuid>,
}

fn sanction(s: entity::sanction::Model) -> GqlResult<Sanction> {
    Ok(Sanction {
        id: s.id.into(),
        party_id: s.party_id,
        kind: s.kind,
        amount_pence: s.amount_pence,
        imposed_as: kinds::Imposer::from_db(&s.imposed_as).gql()?.into(),
        ends_on: s.ends_on,
        status: kinds::SanctionStatus::from_db(&s.status).gql()?.into(),
        approval_by: s.approval_by,
        justification: s.justification,
        why_not_lesser: s.why_not_lesser,
        created_at: s.created_at,
    })
}

impl ProcedureFields {
    pub async fn decision(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Option<Decision>> {
        let Some(p) = Self::state(ctx, scope).await? else {
            return Ok(None);
        };
        let Some(option) = p.decision_option.as_deref() else {
            return Ok(None);
        };
        if !scope.rel.can_see_outcome(p.appeals_concluded_at.is_some()) {
            return Ok(None);
        }
        ctx.note_told(told(
            scope,
            DisclosureItem::Outcome,
            format!("Decision: {option}"),
        ));
        ctx.record_read("decision", scope.case_id());
        Ok(Some(Decision {
            option: kinds::DecisionOption::from_db(option).gql()?.into(),
            reasons: p.decision_reasons,
            decided_at: p.decided_at,
        }))
    }

    pub async fn outcome(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Option<Outcome>> {
        let Some(p) = Self::state(ctx, scope).await? else {
            return Ok(None);
        };
        if p.outcome_reasons.is_none()
            || !scope.rel.can_see_outcome(p.appeals_concluded_at.is_some())
        {
            return Ok(None);
        }
        let finding = respondents::finding_told(p.breach_found, p.removed_from_record);
        ctx.note_told(told(scope, DisclosureItem::Outcome, finding.into()));
        ctx.record_read("outcome", scope.case_id());
        Ok(Some(Outcome {
            breach_found: p.breach_found,
            reasons: p.outcome_reasons,
            notified_at: p.outcome_notified_at,
            appeal_window_ends: p.appeal_window_ends,
            appeal_grounds: scope
                .policy(ctx)
                .await?
                .appeal_grounds()
                .into_iter()
                .map(Into::into)
                .collect(),
            appeals_concluded_at: p.appeals_concluded_at,
            removed_from_record: p.removed_from_record,
            no_restricting_provision_attested_at: p.no_restricting_provision_at,
        }))
    }

    pub async fn hearings(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Hearing>> {
        if !scope.rel.can_see_hearing() {
            return Ok(vec![]);
        }
        let rows = Self::loader(ctx)
            .load_one(HearingsOf(scope.case_id()))
            .await?
            .unwrap_or_default();
        let mut out = Vec::new();
        for h in rows {
            let joint_case_ids = hearings::joint_cases(&h).gql()?;
            let votes = if scope.rel.can_see_panel_votes() {
                hearings::votes(&h).gql()?
            } else {
                vec![]
            };
            let response = h.response.as_deref();
            let decision = h.decision.as_deref();
            out.push(Hearing {
                id: h.id.into(),
                scheduled_at: h.scheduled_at,
                location: h.location,
                alleged_breaches: h.alleged_breaches,
                penalty_range: h.penalty_range,
                proposed_penalty: h.proposed_penalty,
                summons_sent_at: h.summons_sent_at,
                response_due: h.response_due,
                response: response
                    .map(kinds::HearingResponse::from_db)
                    .transpose()
                    .gql()?
                    .map(Into::into),
                companion: h.companion,
                deemed_acceptance: h.deemed_acceptance,
                attended: h.attended,
                joint_case_ids,
                decision: decision
                    .map(kinds::HearingDecision::from_db)
                    .transpose()
                    .gql()?
                    .map(Into::into),
                decision_reasons: h.decision_reasons,
                decided_at: h.decided_at,
                votes: votes
                    .into_iter()
                    .map(|v| PanelVote {
                        member_id: v.member,
                        breach: v.breach,
                    })
                    .collect(),
            });
        }
        if !out.is_empty() {
            ctx.record_read("hearings", scope.case_id());
        }
        Ok(out)
    }

    /// The respondents whose appeal process has concluded (R-OUT-2 per respondent).
    async fn concluded_respondents(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Uuid>> {
        Ok(Self::loader(ctx)
            .load_one(RespondentOutcomesOf(scope.case_id()))
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|o| o.concluded_at.is_some())
            .map(|o| o.party_id)
            .collect())
    }

    /// Sanctions: the procedure; the sanctioned side at once; the reporting
    /// side once that respondent's appeal process has concluded (R-OUT-2),
    /// without the justification. A responding party never sees a
    /// co-respondent's.
    pub async fn sanctions(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Sanction>> {
        let case_concluded = Self::state(ctx, scope)
            .await?
            .is_some_and(|p| p.appeals_concluded_at.is_some());
        let rows = Self::loader(ctx)
            .load_one(SanctionsOf(scope.case_id()))
            .await?
            .unwrap_or_default();
        // Whose processes have concluded is read only when it decides something.
        let mut concluded: Option<Vec<Uuid>> = None;
        let mut out = Vec::new();
        for s in rows {
            let mut visible = scope.rel.can_see_outcome_of(s.party_id, case_concluded);
            if !visible && scope.rel.can_see_outcome_of(s.party_id, true) {
                let list = match concluded.take() {
                    Some(list) => list,
                    None => Self::concluded_respondents(ctx, scope).await?,
                };
                visible = list.contains(&s.party_id);
                concluded = Some(list);
            }
            if !visible {
                continue;
            }
            ctx.note_told(told(
                scope,
                DisclosureItem::Sanctions,
                format!("Sanction: {}", s.kind),
            ));
            let own_side = scope.rel.can_see_sanction_justification(s.party_id);
            let mut view = sanction(s)?;
            if !own_side {
                view.justification = String::new();
                view.why_not_lesser = String::new();
            }
            out.push(view);
        }
        if !out.is_empty() {
            ctx.record_read("sanctions", scope.case_id());
        }
        Ok(out)
    }

    /// Each responding party's own outcome, as `scope`'s viewer may know it
    /// (000 §35, R-OUT-2 per respondent).
    pub async fn respondent_outcomes(
        ctx: &Context<'_>,
        scope: &Scoped,
    ) -> GqlResult<Vec<RespondentOutcome>> {
        let loader = Self::loader(ctx);
        let rows = loader
            .load_one(RespondentOutcomesOf(scope.case_id()))
            .await?
            .unwrap_or_default();
        if rows.is_empty() {
            return Ok(vec![]);
        }
        let deadlines = loader
            .load_one(DeadlinesOf(scope.case_id()))
            .await?
            .unwrap_or_default();
        let appeals = scope.appeal_rows(ctx).await?;
        let mut out = Vec::new();
        for o in respondents::assemble(rows, &deadlines, &appeals) {
            let concluded = o.standing == Standing::Concluded;
            if !scope.rel.can_see_outcome_of(o.row.party_id, concluded) {
                continue;
            }
            let finding = respondents::finding_told(o.row.breach_found, o.row.removed_from_record);
            ctx.note_told(told(scope, DisclosureItem::Outcome, finding.into()));
            out.push(RespondentOutcome {
                party_id: o.row.party_id,
                breach_found: o.row.breach_found,
                removed_from_record: o.row.removed_from_record,
                appeal_window_ends: o.appeal_window_ends,
                standing: match o.standing {
                    Standing::Appealable => RespondentStanding::Appealable,
                    Standing::UnderAppeal => RespondentStanding::UnderAppeal,
                    Standing::Concluded => RespondentStanding::Concluded,
                },
                concluded_at: o.row.concluded_at,
            });
        }
        if !out.is_empty() {
            ctx.record_read("respondentOutcomes", scope.case_id());
        }
        Ok(out)
    }

    pub async fn previous_sanctions(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Sanction>> {
        if !scope.rel.can_see_previous_sanctions() {
            return Ok(vec![]);
        }
        let people = sanctions::responding_people(&scope.bundle)
            .into_iter()
            .map(SanctionsOfPerson);
        let theirs = Self::loader(ctx).load_many(people).await?;
        let previous: Vec<Sanction> =
            sanctions::previous(&scope.bundle, theirs.into_values().flatten().collect())
                .into_iter()
                .map(sanction)
                .collect::<GqlResult<_>>()?;
        if !previous.is_empty() {
            ctx.record_read("previousSanctions", scope.case_id());
        }
        Ok(previous)
    }

    pub async fn appeals(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Appeal>> {
        let rows = scope.appeal_rows(ctx).await?;
        let mut out = Vec::new();
        for a in rows
            .into_iter()
            .filter(|a| scope.rel.can_see_appeal(a.party_id))
        {
            out.push(Appeal {
                grounds: appeals::grounds(&a)
                    .gql()?
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                status: kinds::AppealStatus::from_db(&a.status).gql()?.into(),
                id: a.id.into(),
                party_id: a.party_id,
                statement: a.statement,
                lodged_at: a.lodged_at,
                review_reasons: a.review_reasons,
                completion_of_procedures_on: a.completion_of_procedures_on,
                oiahe_deadline: a.oiahe_deadline,
                panel_reasons: a.panel_reasons,
                final_decision_by: a.final_decision_by,
                decided_at: a.decided_at,
            });
        }
        if !out.is_empty() {
            ctx.record_read("appeals", scope.case_id());
        }
        Ok(out)
    }

    pub async fn deadlines(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<CaseDeadline>> {
        let rows = Self::loader(ctx)
            .load_one(DeadlinesOf(scope.case_id()))
            .await?
            .unwrap_or_default();
        let today = ctx.viewer()?.now.today();
        let mut out = Vec::new();
        for d in rows
            .into_iter()
            .filter(|d| d.status == kinds::DeadlineStatus::Open.as_str())
        {
            let kind = kinds::DeadlineKind::from_db(&d.kind).gql()?;
            if scope.rel.can_see_deadline(kind, d.party_id) {
                out.push(CaseDeadline {
                    kind: kind.into(),
                    rule: d.rule,
                    due_on: d.due_on,
                    overdue: d.due_on < today,
                    party_id: d.party_id,
                });
            }
        }
        Ok(out)
    }
}
