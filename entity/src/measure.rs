//! A precautionary measure (R-MEA-2): not a penalty; may bind any party.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "measure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    pub status: String,
    pub subjects: String,
    pub protected_parties: String,
    pub mutual: bool,
    pub sites: String,
    pub details: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub review_due: Date,
    pub reporting_party_consent: bool,
    pub imminent_risk_assessment: Option<Uuid>,
    pub approval_by: Option<String>,
    pub approved_on: Option<Date>,
    pub recommended_by: Uuid,
    pub authorised_by: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
