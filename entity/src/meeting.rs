//! An investigation meeting with one party (R-INV-2).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub party_id: Uuid,
    pub scheduled_at: DateTimeUtc,
    pub notice_given_at: DateTimeUtc,
    pub agreed_shorter_notice: bool,
    pub written_response_due: Option<Date>,
    pub held_at: Option<DateTimeUtc>,
    pub arranged_by: Uuid,
    /// Where it takes place, as the invitation letter states it.
    pub location: Option<String>,
    /// A meeting called off before it was held, and why (for the procedure).
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    /// Whether the invitee attended, once recorded.
    pub attended: Option<bool>,
    /// R-INV-8: who accompanies the invitee, and in what capacity.
    pub companion_name: Option<String>,
    pub companion_role: Option<String>,
    /// R-INV-8: the reasonable adjustments agreed (a JSON list).
    pub adjustments: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
