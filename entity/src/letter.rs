//! A letter of the procedure (issue 9): who it is to, the rule that requires it,
//! its date and its rendered text. Immutable once issued, except for recording
//! its delivery; a correction is a new letter naming the one it replaces.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "letter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    /// The recipient's party on the case; none for an officer's copy (R-OUT-3).
    pub party_id: Option<Uuid>,
    pub recipient_id: Uuid,
    pub kind: String,
    /// The rule that requires the letter, e.g. `R-OUT-1`.
    pub rule: String,
    /// The date the letter bears (after R-TIME-2 for a reporting party).
    pub dated_on: Date,
    /// A title naming the kind and the case reference only.
    pub subject: String,
    /// The rendered text: case content, read only as §3 allows.
    pub body: String,
    /// How it reaches the recipient (their preferred channel, R-OUT-1).
    pub route: String,
    /// The member of staff who delivers it, for routes other than e-mail.
    pub deliverer_id: Option<Uuid>,
    /// When the recipient received it: what "from receipt" deadlines count from.
    pub delivered_on: Option<Date>,
    pub replaces_id: Option<Uuid>,
    /// The record the letter is about (a meeting, a hearing, an appeal), so a
    /// rearranged one's letter names the letter it replaces.
    pub about_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
