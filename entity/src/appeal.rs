//! An appeal by a responding party (R-APP-1…3).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "appeal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub party_id: Uuid,
    pub grounds: String,
    pub statement: String,
    pub lodged_at: DateTimeUtc,
    pub status: String,
    pub review_reasons: Option<String>,
    pub reviewed_by: Option<Uuid>,
    pub completion_of_procedures_on: Option<Date>,
    pub oiahe_deadline: Option<Date>,
    pub panel_votes: String,
    pub panel_reasons: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    /// R-APP-5: the substitute sanctions a panel recommended (JSON), while
    /// the final decision is awaited.
    pub recommended_sanctions: Option<String>,
    /// R-APP-5: who took the final decision on the panel's recommendation.
    pub final_decision_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
