//! A student, member of staff or visitor. `subject` is the identity provider's `sub`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub subject: String,
    pub kind: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[sea_orm(unique)]
    pub sis_number: Option<String>,
    pub enrolment_status: Option<String>,
    pub leaving_date: Option<Date>,
    pub programme: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When an administrator disabled the account; its tokens are refused
    /// while this is set.
    pub disabled_at: Option<DateTimeUtc>,
    /// Why, for the record.
    pub disabled_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
