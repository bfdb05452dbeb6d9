//! Something about the responding party's case told to a reporting party
//! (000 §36, R-OUT-2): what, when first, and on which lawful basis.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_record")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    /// The reporting party told.
    pub party_id: Uuid,
    /// `PROGRESS`, `MEASURES_IN_PLACE`, `OUTCOME` or `SANCTIONS`.
    pub item: String,
    /// What they were told, as they saw it.
    pub disclosed: String,
    /// The lawful basis the policy names for this kind of disclosure.
    pub lawful_basis: String,
    /// The policy version that named it.
    pub policy_version: String,
    pub first_disclosed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
