//! The two-way channel of an anonymous disclosure (R-DISC-2): only the hash
//! of the reporter's access code is kept.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "anonymous_channel")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    /// SHA-256 of the access code, hex.
    pub code_hash: String,
    pub opened_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// REPORTER or SUPPORT_TEAM.
    pub revoked_by: Option<String>,
    pub revoked_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
