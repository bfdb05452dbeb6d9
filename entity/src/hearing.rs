//! A disciplinary hearing and its summons (R-HEA-1…4).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hearing")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub joint_cases: String,
    pub scheduled_at: DateTimeUtc,
    pub location: String,
    pub alleged_breaches: String,
    pub penalty_range: String,
    pub proposed_penalty: String,
    pub summons_sent_at: DateTimeUtc,
    pub response_due: Option<Date>,
    pub response: Option<String>,
    pub responded_at: Option<DateTimeUtc>,
    pub companion: Option<String>,
    pub deemed_acceptance: bool,
    pub votes: String,
    pub decision: Option<String>,
    pub decision_reasons: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    /// Whether the student attended, once recorded (R-HEA-2).
    pub attended: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
