//! A supportive measure for one party (R-SUP-6): help arranged by their case
//! worker, kept apart from precautionary measures and from the other side.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supportive_measure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub party_id: Uuid,
    pub kind: String,
    pub details: String,
    pub arranged_by: Uuid,
    pub starts_on: Date,
    pub until: Option<Date>,
    pub review_due: Option<Date>,
    pub last_reviewed_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
