//! A case: opened by a disclosure, turned into a disciplinary case by a formal report.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub reference: String,
    pub stage: String,
    pub paused_from: Option<String>,
    pub pause_reason: Option<String>,
    pub policy_version: String,
    pub version: i32,
    pub opened_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub channel: String,
    pub categories: String,
    pub incident_date: Option<Date>,
    pub description: String,
    pub anonymous: bool,
    pub historic: bool,
    pub names_withheld: bool,
    pub received_by: Option<Uuid>,
    pub forwarded_by: Option<Uuid>,
    pub recorded_by: Option<Uuid>,
    pub police_case_ongoing: bool,
    pub report_submitted_at: Option<DateTimeUtc>,
    pub report_submitted_by: Option<Uuid>,
    pub report_statement: Option<String>,
    pub report_desired_outcome: Option<String>,
    pub respondent_may_be_informed: Option<bool>,
    /// When the case was referred to the Cause for Concern group (R-TRI-3):
    /// at triage, or earlier for an urgent risk. Its members see the case's
    /// risk assessments and measures only from then.
    pub cfc_referred_at: Option<DateTimeUtc>,
    /// Why it was referred before triage (an urgent risk), if it was.
    pub cfc_urgent_reason: Option<String>,
    /// A legal hold (litigation, a complaint to the OIAHE, a police request)
    /// stops the retention job removing the case until it is released.
    pub legal_hold_at: Option<DateTimeUtc>,
    pub legal_hold_reason: Option<String>,
    pub legal_hold_by: Option<Uuid>,
    /// R-DISC-7: the decision, with the forwarder, whether to act further on
    /// a forwarded disclosure whose student did not reply.
    pub follow_up_decided_at: Option<DateTimeUtc>,
    pub follow_up_act_further: Option<bool>,
    pub follow_up_reasons: Option<String>,
    pub follow_up_decided_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
