//! The anonymous facts of a case the retention job removed (R-RET-1): what
//! the statistics count of it (R-MON-1), and nothing that names anyone.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "removed_case_fact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub stage: String,
    pub categories: String,
    pub opened_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub had_procedure: bool,
    pub breach_found: Option<bool>,
    pub removed_from_record: Option<bool>,
    pub decision_option: Option<String>,
    pub outcome_notified_at: Option<DateTimeUtc>,
    pub removed_at: DateTimeUtc,
    /// R-DISC-6: a responding party was routed to the staff procedure.
    pub staff_procedure: bool,
    /// R-FTS-1: the proceedings ended on health grounds.
    pub health_grounds: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
