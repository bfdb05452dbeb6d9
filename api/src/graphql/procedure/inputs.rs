//! What the procedure's mutations take: decisions, summonses, votes and sanctions.

use async_graphql::{Enum, InputObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::domain::procedure::{appeals, hearings, sanctions, triage};
use crate::graphql::enums::{Classification, CompanionRole, DecisionOption};

/// Who accompanies a party to an investigation meeting (R-INV-8).
#[derive(InputObject)]
pub struct MeetingCompanionInput {
    /// Their name.
    pub name: String,
    /// In what capacity (a legal representative is refused).
    pub role: CompanionRole,
}

/// One alleged breach, as the conduct team classifies it at triage (R-TRI-1).
#[derive(InputObject)]
pub struct AllegedBreachInput {
    /// The breach alleged, e.g. "Harassment (Reg. 9)".
    pub description: String,
    /// Its level; the case takes the highest.
    pub level: Classification,
    /// The kind of breach, where the policy routes by kind (R-TRI-2, policy
    /// `triage.breach_kinds`, e.g. ACCOMMODATION); GENERAL when omitted.
    pub kind: Option<String>,
}

/// A sanction a decision maker or panel imposes (R-SAN-1, R-SAN-2).
#[derive(InputObject, Clone)]
pub struct SanctionInput {
    /// The responding party sanctioned.
    party_id: Uuid,
    /// A sanction named in the policy, e.g. FORMAL_WRITTEN_WARNING, FINE, EXPULSION.
    kind: String,
    /// For a fine: the amount in pence, within the imposer's limit.
    amount_pence: Option<u32>,
    /// For a fixed-period sanction (e.g. a suspension): when it ends.
    ends_on: Option<NaiveDate>,
    /// Why this sanction (R-SAN-2).
    justification: String,
    /// Why lesser sanctions are not appropriate (R-SAN-2).
    why_not_lesser: String,
}

/// The domain's form of the sanctions given.
pub fn sanctions(input: Vec<SanctionInput>) -> Vec<sanctions::NewSanction> {
    input
        .into_iter()
        .map(|s| sanctions::NewSanction {
            party_id: s.party_id,
            kind: s.kind,
            amount_pence: s.amount_pence,
            ends_on: s.ends_on,
            justification: s.justification,
            why_not_lesser: s.why_not_lesser,
        })
        .collect()
}

/// The judgement informal resolution requires (R-INF-1).
#[derive(InputObject)]
pub struct InformalJudgementInput {
    /// The safeguarding considerations.
    safeguarding: String,
    /// The risk to the reporting party.
    risk_to_victim: String,
    /// The risk to the university community.
    risk_to_community: String,
    /// Whether the conduct could be a criminal offence.
    could_be_criminal_offence: bool,
}

/// A decision on a case (R-DEC-1).
#[derive(InputObject)]
pub struct DecisionInput {
    /// The case decided.
    pub case_id: Uuid,
    /// The case's `version` as you read it.
    pub expected_version: i32,
    /// What is decided; at triage only DISMISS, ADVICE or INFORMAL_RESOLUTION.
    option: DecisionOption,
    /// The reasons for the decision.
    reasons: String,
    /// Required for INFORMAL_RESOLUTION (R-INF-1).
    informal_judgement: Option<InformalJudgementInput>,
    /// For SANCTION: what the decision maker imposes (R-SAN-1).
    #[graphql(default)]
    sanctions: Vec<SanctionInput>,
    /// For SANCTION with several responding parties (000 §35): those found not
    /// in breach. They get no sanction and nothing to appeal; every other
    /// responding party must be given a sanction.
    #[graphql(default)]
    not_in_breach: Vec<Uuid>,
}

impl DecisionInput {
    pub fn decision(self) -> triage::NewDecision {
        triage::NewDecision {
            option: self.option.into(),
            reasons: self.reasons,
            informal: self.informal_judgement.map(|j| triage::InformalJudgement {
                safeguarding: j.safeguarding,
                risk_to_victim: j.risk_to_victim,
                risk_to_community: j.risk_to_community,
                could_be_criminal_offence: j.could_be_criminal_offence,
            }),
            sanctions: sanctions(self.sanctions),
            not_in_breach: self.not_in_breach,
        }
    }
}

/// A summons to a hearing (R-HEA-1).
#[derive(InputObject)]
pub struct SummonsInput {
    /// The case referred to the hearing.
    pub case_id: Uuid,
    /// When the hearing takes place; at least the policy's notice ahead.
    scheduled_at: DateTime<Utc>,
    /// Where.
    location: String,
    /// The breaches alleged.
    alleged_breaches: String,
    /// The range of penalties available.
    penalty_range: String,
    /// The penalty proposed if the student does not respond.
    proposed_penalty: String,
    /// Related cases, also referred to a hearing, heard at the same sitting;
    /// each student receives their own summons.
    #[graphql(default)]
    joint_case_ids: Vec<Uuid>,
}

impl SummonsInput {
    pub fn summons(self) -> hearings::NewSummons {
        hearings::NewSummons {
            scheduled_at: self.scheduled_at,
            location: self.location,
            alleged_breaches: self.alleged_breaches,
            penalty_range: self.penalty_range,
            proposed_penalty: self.proposed_penalty,
            joint_cases: self.joint_case_ids,
        }
    }
}

/// One panel member's vote at a hearing.
#[derive(InputObject)]
pub struct VoteInput {
    /// The panel member.
    member_id: Uuid,
    /// Whether they find a breach.
    breach: bool,
}

/// A hearing panel's decision (R-HEA-3, R-HEA-4).
#[derive(InputObject)]
pub struct HearingDecisionInput {
    /// The hearing decided.
    pub hearing_id: Uuid,
    /// The case's `version` as you read it.
    pub expected_version: i32,
    /// The vote of each of the three panel members.
    votes: Vec<VoteInput>,
    /// The panel's reasons.
    pub reasons: String,
    /// Where a breach is found: the sanctions, for each case heard jointly.
    #[graphql(default)]
    sanctions: Vec<SanctionInput>,
}

impl HearingDecisionInput {
    pub fn votes(&self) -> Vec<hearings::Vote> {
        self.votes
            .iter()
            .map(|v| hearings::Vote {
                member: v.member_id,
                breach: v.breach,
            })
            .collect()
    }

    pub fn sanctions(&self) -> Vec<sanctions::NewSanction> {
        sanctions(self.sanctions.clone())
    }
}

/// What an appeal reviewer decides (R-APP-3).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AppealReviewDecision {
    /// No grounds: the Completion of Procedures letter is issued.
    Reject,
    /// Correct the sanction or the irregularity (give `correctedSanctions`).
    Correct,
    /// Refer the appeal to an appeal panel.
    ReferToPanel,
}

/// An appeal reviewer's decision (R-APP-3).
#[derive(InputObject)]
pub struct AppealReviewInput {
    /// The appeal reviewed.
    pub appeal_id: Uuid,
    /// The case's `version` as you read it.
    pub expected_version: i32,
    /// What the reviewer decides.
    decision: AppealReviewDecision,
    /// The reviewer's reasons.
    pub reasons: String,
    /// For CORRECT: the sanctions that replace those imposed.
    #[graphql(default)]
    corrected_sanctions: Vec<SanctionInput>,
}

impl AppealReviewInput {
    pub fn outcome(&self) -> appeals::ReviewOutcome {
        match self.decision {
            AppealReviewDecision::Reject => appeals::ReviewOutcome::Reject,
            AppealReviewDecision::Correct => {
                appeals::ReviewOutcome::Correct(sanctions(self.corrected_sanctions.clone()))
            }
            AppealReviewDecision::ReferToPanel => appeals::ReviewOutcome::Refer,
        }
    }
}

/// What an appeal panel member votes for (R-APP-3).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AppealPanelOutcome {
    /// Uphold the outcome.
    Uphold,
    /// Substitute another decision (give `substituteSanctions`).
    Substitute,
    /// Dismiss the case and remove the record.
    DismissCase,
}

/// One appeal panel member's vote.
#[derive(InputObject)]
pub struct AppealVoteInput {
    /// The panel member.
    member_id: Uuid,
    /// What they vote for.
    outcome: AppealPanelOutcome,
}

/// An appeal panel's decision (R-APP-3): by a majority of the three members.
#[derive(InputObject)]
pub struct AppealDecisionInput {
    /// The appeal decided.
    pub appeal_id: Uuid,
    /// The case's `version` as you read it.
    pub expected_version: i32,
    /// The vote of each of the three panel members.
    votes: Vec<AppealVoteInput>,
    /// The panel's reasons.
    pub reasons: String,
    /// For SUBSTITUTE: the sanctions substituted.
    #[graphql(default)]
    substitute_sanctions: Vec<SanctionInput>,
}

impl AppealDecisionInput {
    pub fn votes(&self) -> Vec<appeals::PanelVote> {
        self.votes
            .iter()
            .map(|v| appeals::PanelVote {
                member: v.member_id,
                outcome: match v.outcome {
                    AppealPanelOutcome::Uphold => appeals::PanelOutcome::Uphold,
                    AppealPanelOutcome::Substitute => appeals::PanelOutcome::Substitute,
                    AppealPanelOutcome::DismissCase => appeals::PanelOutcome::DismissCase,
                },
            })
            .collect()
    }

    pub fn sanctions(&self) -> Vec<sanctions::NewSanction> {
        sanctions(self.substitute_sanctions.clone())
    }
}
