//! How many cases share one combination of what the statistics count.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_tally")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub opened_on: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub categories: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub outcome: String,
    /// -1 for cases without an outcome.
    #[sea_orm(primary_key, auto_increment = false)]
    pub days_to_outcome: i32,
    pub cases: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
