//! The disciplinary procedure's state for one case: triage, investigation, decision, outcome.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    pub classification: Option<String>,
    pub alleged_breaches: Option<String>,
    pub routed_to: Option<String>,
    pub cfc_referred_at: Option<DateTimeUtc>,
    pub triaged_by: Option<Uuid>,
    pub triaged_at: Option<DateTimeUtc>,
    pub investigation_target_on: Option<Date>,
    pub conviction: bool,
    pub finding: Option<String>,
    pub investigation_summary: Option<String>,
    pub recommendations: Option<String>,
    pub investigation_report_at: Option<DateTimeUtc>,
    pub decision_option: Option<String>,
    pub decision_reasons: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub informal_consent_at: Option<DateTimeUtc>,
    pub informal_judgement: Option<String>,
    pub breach_found: bool,
    pub outcome_reasons: Option<String>,
    pub outcome_notified_at: Option<DateTimeUtc>,
    pub appeal_window_ends: Option<Date>,
    pub appeals_concluded_at: Option<DateTimeUtc>,
    pub removed_from_record: bool,
    /// When the conduct team attested that an informal resolution's terms
    /// restrict no one from disclosing information about the misconduct.
    pub no_restricting_provision_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
