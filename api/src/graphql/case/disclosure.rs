//! What was disclosed (R-DISC-1…5) and what was formally reported (R-REP-1, R-REP-2).

use async_graphql::{Context, Object};
use chrono::{DateTime, NaiveDate, Utc};

use super::Scoped;
use crate::domain::kinds;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::{DisclosureChannel, IncidentCategory};

/// A disclosure, as far as the viewer may read it.
pub struct DisclosureView(pub Scoped);

/// The disclosure that opened the case (R-DISC-1). Its outline (channel,
/// categories, date) is seen by staff on the case; what was disclosed only by
/// the discloser and their case worker(s).
#[Object]
impl DisclosureView {
    /// How the disclosure reached the university.
    async fn channel(&self) -> GqlResult<DisclosureChannel> {
        let channel = kinds::DisclosureChannel::from_db(&self.0.bundle.case.channel).gql()?;
        Ok(channel.into())
    }
    /// What kind of incident it was (one or more categories).
    async fn categories(&self) -> GqlResult<Vec<IncidentCategory>> {
        Ok(crate::domain::disclosures::categories(&self.0.bundle.case)
            .gql()?
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// When the incident happened, if the discloser said.
    async fn incident_date(&self) -> Option<NaiveDate> {
        self.0.bundle.case.incident_date
    }
    /// When the disclosure was recorded.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.bundle.case.opened_at
    }
    /// An anonymous disclosure (R-DISC-2): no identity kept, no support
    /// offered, no formal process; it counts in anonymised statistics only.
    async fn anonymous(&self) -> bool {
        self.0.bundle.case.anonymous
    }
    /// A historic disclosure (R-DISC-5): a responding party is no longer a
    /// student, so no disciplinary action is possible.
    async fn historic(&self) -> bool {
        self.0.bundle.case.historic
    }
    /// A police case on the same allegation is ongoing (R-REP-1: no formal
    /// report to the university meanwhile).
    async fn police_case_ongoing(&self) -> bool {
        self.0.bundle.case.police_case_ongoing
    }
    /// What was disclosed, in the discloser's words: for the discloser and
    /// their case worker(s) only (null for others). Reading it is audited.
    async fn description(&self, ctx: &Context<'_>) -> Option<&str> {
        if !self.0.rel.can_read_disclosure() {
            return None;
        }
        ctx.record_read("disclosure.description", self.0.case_id());
        Some(&self.0.bundle.case.description)
    }
}

/// A formal report, as far as the viewer may read it.
pub struct ReportView(pub Scoped);

/// The formal report (R-REP-1): the allegation in the reporting party's words,
/// read by the reporting side, the procedure, and the responding side once told
/// if the reporting party agreed (R-REP-2).
#[Object]
impl ReportView {
    /// When the report was submitted.
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.bundle.case.report_submitted_at
    }
    /// The allegation as the reporting party stated it. Reading it is audited.
    async fn statement(&self, ctx: &Context<'_>) -> Option<&str> {
        ctx.record_read("report.statement", self.0.case_id());
        self.0.bundle.case.report_statement.as_deref()
    }
    /// The resolution the reporting party seeks (reporting side and procedure
    /// only). Reading it is audited.
    async fn desired_outcome(&self, ctx: &Context<'_>) -> Option<&str> {
        if !self.0.rel.can_read_reporting_side_of_report() {
            return None;
        }
        ctx.record_read("report.desiredOutcome", self.0.case_id());
        self.0.bundle.case.report_desired_outcome.as_deref()
    }
    /// Whether the reporting party agreed the responding party may be told of
    /// the allegation (R-REP-2); without it the investigation cannot proceed.
    /// Reporting side and procedure only.
    async fn respondent_may_be_informed(&self) -> Option<bool> {
        if !self.0.rel.can_read_reporting_side_of_report() {
            return None;
        }
        self.0.bundle.case.respondent_may_be_informed
    }
}
