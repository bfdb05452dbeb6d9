//! A refusal of something that exists (FORBIDDEN, or NOT_FOUND for a thing
//! the viewer may not know of): the security log an administrator reads to
//! see probing. Bounded per person; refusals not written are counted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "security_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    /// The signed-in person refused.
    pub viewer_id: Uuid,
    pub request_id: Option<String>,
    /// `FORBIDDEN` or `NOT_FOUND`.
    pub code: String,
    /// What was refused: the kind of thing hidden, or the refusal's message.
    pub detail: String,
    /// The case concerned, where known.
    pub case_id: Option<Uuid>,
    /// Refusals of this person not written since their previous entry.
    pub suppressed_before: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
