//! The communications agreed with one party (R-SUP-7), and 002's initial
//! meeting with the case officer whose note the party confirms.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "communication_plan")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub party_id: Uuid,
    pub content: String,
    pub every_working_days: i32,
    pub sender: String,
    pub agreed_by: Uuid,
    pub agreed_at: DateTimeUtc,
    pub next_update_due: Date,
    pub meeting_held_at: Option<DateTimeUtc>,
    pub meeting_note: Option<String>,
    pub meeting_recorded_by: Option<Uuid>,
    pub meeting_note_confirmed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
