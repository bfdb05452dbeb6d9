//! Risk assessments (R-MEA-1) as safeguarding staff read them.

use async_graphql::ID;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::risk_assessment;
use uuid::Uuid;

use crate::domain::{kinds, risk_assessments};
use crate::graphql::case::Scoped;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::RiskLevel;
use crate::graphql::loaders::{Db, RiskAssessmentsOf};

/// A risk assessment.
pub struct RiskAssessment(pub risk_assessment::Model);

/// The impact on one person involved.
#[derive(SimpleObject)]
pub struct ImpactOnPerson {
    /// The party concerned.
    party_id: Uuid,
    /// The impact on their health, safety and wellbeing.
    impact: String,
}

/// A risk assessment (R-MEA-1): recorded by the Cause for Concern group or the
/// conduct team, dated, repeated over the case; seen only by them and decision makers.
#[Object]
impl RiskAssessment {
    /// The assessment's id.
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// The day it was made.
    async fn assessed_on(&self) -> NaiveDate {
        self.0.assessed_on
    }
    /// The nature of the incident.
    async fn nature_of_incident(&self) -> &str {
        &self.0.nature_of_incident
    }
    /// Impact on the health, safety and wellbeing of each person involved.
    async fn impacts(&self) -> GqlResult<Vec<ImpactOnPerson>> {
        Ok(risk_assessments::impacts(&self.0)
            .gql()?
            .into_iter()
            .map(|i| ImpactOnPerson {
                party_id: i.party_id,
                impact: i.impact,
            })
            .collect())
    }
    /// The risk to the university as an organisation.
    async fn organisational_risk(&self) -> &str {
        &self.0.organisational_risk
    }
    /// The overall level of risk.
    async fn risk_level(&self) -> GqlResult<RiskLevel> {
        Ok(kinds::RiskLevel::from_db(&self.0.risk_level).gql()?.into())
    }
    /// Significant, imminent risk was recorded: measures may be taken without
    /// the reporting party's consent (R-MEA-6).
    async fn significant_imminent_risk(&self) -> bool {
        self.0.significant_imminent_risk
    }
    /// Who took part (names and roles).
    async fn participants(&self) -> GqlResult<Vec<String>> {
        risk_assessments::participants(&self.0).gql()
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The risk assessments of a case, for those who may see them (audited).
pub async fn risk_assessments(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<RiskAssessment>> {
    if !scope.rel.can_see_risk_assessments() {
        return Ok(vec![]);
    }
    let rows = ctx
        .data_unchecked::<DataLoader<Db>>()
        .load_one(RiskAssessmentsOf(scope.case_id()))
        .await?
        .unwrap_or_default();
    if !rows.is_empty() {
        ctx.record_read("riskAssessments", scope.case_id());
    }
    Ok(rows.into_iter().map(RiskAssessment).collect())
}
