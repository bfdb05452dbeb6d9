//! Risk assessments and precautionary measures in GraphQL. Field-level checks
//! ask `domain::access`: risk assessments only for the CfC group, decision
//! makers and the conduct team; a measure's subject (and their case worker)
//! sees the measures on them; the reporting party learns only whether measures
//! are in place (R-MEA-7).

mod measure;
mod mutation;
mod query;
mod risk;

pub use measure::{Measure, MeasureHistoryEntry, any_in_place, binding_viewer, visible_measures};
pub use mutation::MeasureMutation;
pub use query::MeasureQuery;
pub use risk::{ImpactOnPerson, RiskAssessment, risk_assessments};
