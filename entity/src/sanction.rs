//! A sanction imposed on a responding party (R-SAN-1, R-SAN-2).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sanction")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub party_id: Uuid,
    pub kind: String,
    pub amount_pence: Option<i32>,
    pub imposed_as: String,
    pub imposed_by: Uuid,
    pub justification: String,
    pub why_not_lesser: String,
    pub ends_on: Option<Date>,
    pub status: String,
    pub approval_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
