//! Risk assessments (R-MEA-1): the nature of the incident, the impact on each
//! person involved and the organisational risk, recorded and dated by the Cause
//! for Concern group or the conduct team, repeated over the case. A recorded
//! significant, imminent risk allows a measure without the reporting party's
//! consent (R-MEA-6).

use chrono::NaiveDate;
use entity::risk_assessment;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::codec;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::RiskLevel;
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

use crate::domain::measures::open_safeguarding;

/// One person's part in a risk assessment's impact section.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Impact {
    pub party_id: Uuid,
    pub impact: String,
}

pub struct NewRiskAssessment {
    pub assessed_on: Option<NaiveDate>,
    pub nature_of_incident: String,
    pub impacts: Vec<Impact>,
    pub organisational_risk: String,
    pub risk_level: RiskLevel,
    pub significant_imminent_risk: bool,
    pub participants: Vec<String>,
}

pub async fn record_risk_assessment(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    case_id: Uuid,
    input: NewRiskAssessment,
) -> Result<risk_assessment::Model> {
    let (bundle, rel) = open_safeguarding(viewer, db, case_id).await?;
    access::actions::can_record_risk_assessment(&rel)?;
    let nature = require_text("natureOfIncident", &input.nature_of_incident)?;
    let organisational = require_text("organisationalRisk", &input.organisational_risk)?;
    let assessed_on = input.assessed_on.unwrap_or(viewer.now.today());
    if assessed_on > viewer.now.today() {
        return Err(Error::validation(
            "assessedOn",
            "A risk assessment cannot be dated in the future.",
        ));
    }
    if input.impacts.is_empty() {
        return Err(Error::validation(
            "impacts",
            "Record the impact on each person involved.",
        ));
    }
    for impact in &input.impacts {
        if !bundle.has_party(impact.party_id) {
            return Err(Error::validation(
                "impacts",
                "An impact names someone who is not a party to this case.",
            ));
        }
        require_text("impacts", &impact.impact)?;
    }
    if input.participants.is_empty() {
        return Err(Error::validation(
            "participants",
            "Record who took part in the assessment.",
        ));
    }
    let row = risk_assessment::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        assessed_on: Set(assessed_on),
        nature_of_incident: Set(nature),
        impacts: Set(codec::encode("risk_assessment.impacts", &input.impacts)?),
        organisational_risk: Set(organisational),
        risk_level: Set(input.risk_level.as_str().into()),
        significant_imminent_risk: Set(input.significant_imminent_risk),
        participants: Set(codec::encode(
            "risk_assessment.participants",
            &input.participants,
        )?),
        recorded_by: Set(viewer.person_id),
        created_at: Set(viewer.now.at()),
    }
    .insert(db)
    .await?;
    crate::domain::audit::record(db, viewer, "recordRiskAssessment", case_id).await?;
    Ok(row)
}

pub fn impacts(row: &risk_assessment::Model) -> Result<Vec<Impact>> {
    codec::decode("risk_assessment.impacts", &row.impacts)
}

pub fn participants(row: &risk_assessment::Model) -> Result<Vec<String>> {
    codec::decode("risk_assessment.participants", &row.participants)
}
