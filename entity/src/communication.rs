//! A scheduled communication (R-SUP-3, R-REP-3, R-DISC-3, procedure notices):
//! the outbox row the delivery worker sends. Subject and body hold nothing the
//! recipient may not see.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "communication")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    /// The recipient's party on the case; none for staff (e.g. the forwarder).
    pub party_id: Option<Uuid>,
    pub recipient_id: Uuid,
    pub kind: String,
    pub status: String,
    pub rule: String,
    /// The date the rule gives, before R-TIME-2 moves it off a Friday.
    pub planned_on: Date,
    pub due_on: Date,
    /// R-TIME-2 applies: never delivered on a Friday.
    pub not_on_friday: bool,
    pub subject: String,
    pub body: String,
    pub created_at: DateTimeUtc,
    /// Claimed by a worker until then; an expired lease is claimed again.
    pub lease_until: Option<DateTimeUtc>,
    pub next_attempt_at: Option<DateTimeUtc>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
