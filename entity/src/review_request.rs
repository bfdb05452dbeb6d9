//! An investigation review (R-IRV-1) or a reporting party's informal review (R-APP-4).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub party_id: Uuid,
    pub kind: String,
    pub grounds: String,
    pub requested_at: DateTimeUtc,
    pub status: String,
    pub reasons: Option<String>,
    pub reviewer_id: Option<Uuid>,
    pub outcome: Option<String>,
    pub substantive_change: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
