//! One live case's contribution to the statistics tally, as last counted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_fact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    pub opened_on: Date,
    pub categories: String,
    pub stage: String,
    pub outcome: String,
    /// -1 while the case has no outcome.
    pub days_to_outcome: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
