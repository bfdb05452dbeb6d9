//! An evidence item and who may see it (R-INV-3).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    pub description: String,
    pub submitted_by_party: Option<Uuid>,
    pub recorded_by: Uuid,
    pub shared_with: String,
    pub created_at: DateTimeUtc,
    /// R-HEA-6: the hearing it was given for (null: the investigation's).
    pub hearing_id: Option<Uuid>,
    /// R-HEA-6: for evidence later than the policy allows, PENDING until a
    /// member of the panel admits or refuses it; null for evidence in time.
    pub admission: Option<String>,
    pub admission_by: Option<Uuid>,
    pub admission_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
