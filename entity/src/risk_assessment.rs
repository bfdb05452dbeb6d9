//! A dated risk assessment on the template's parts (R-MEA-1).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "risk_assessment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub assessed_on: Date,
    pub nature_of_incident: String,
    pub impacts: String,
    pub organisational_risk: String,
    pub risk_level: String,
    pub significant_imminent_risk: bool,
    pub participants: String,
    pub recorded_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
