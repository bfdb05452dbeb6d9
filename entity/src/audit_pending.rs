//! An audit entry a change recorded, waiting to be chained (R-VIS-2, issue 16).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_pending")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub viewer_id: Option<Uuid>,
    pub viewer_roles: String,
    pub operation: String,
    pub case_id: Option<Uuid>,
    pub request_id: Option<String>,
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
