//! Database migrations. They run unchanged on SQLite and PostgreSQL and only
//! ever grow: a shipped migration is never edited. Tables and columns are named
//! here with `DeriveIden` enums of their own so entity changes cannot alter history.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261122_000001_foundation;
mod m20261122_000002_measures;
mod m20261122_000003_procedure;
mod m20261122_000004_sis;
mod m20261122_000005_communications;
mod m20261130_000006_sis_batch_per_client;
mod m20261130_000007_cfc_referral;
mod m20261130_000008_security_event;
mod m20261130_000009_party_indexes;
mod m20261130_000010_person_disabled;
mod m20261130_000011_no_restricting_provision;
mod m20261130_000012_data_protection;
mod m20261130_000013_letters;
mod m20261130_000014_meeting_arrangements;
mod m20261130_000015_hearing_evidence;
mod m20261130_000016_follow_up_decision;
mod m20261201_000017_supportive_measures;
mod m20261201_000018_staff_procedure;
mod m20261201_000019_communication_plan;
mod m20261201_000020_fitness_to_study;
mod m20261201_000021_health_grounds_fact;
mod m20261201_000022_anonymous_channel;
mod m20261201_000023_measure_notified;
mod m20261201_000024_respondent_outcome;
mod m20261201_000025_statistics_tally;
mod m20261201_000026_appeal_recommendation;
mod m20261201_000027_audit_pending;
mod m20261202_000028_shared_support_notes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_measures::Migration),
            Box::new(m20261122_000003_procedure::Migration),
            Box::new(m20261122_000004_sis::Migration),
            Box::new(m20261122_000005_communications::Migration),
            Box::new(m20261130_000006_sis_batch_per_client::Migration),
            Box::new(m20261130_000007_cfc_referral::Migration),
            Box::new(m20261130_000008_security_event::Migration),
            Box::new(m20261130_000009_party_indexes::Migration),
            Box::new(m20261130_000010_person_disabled::Migration),
            Box::new(m20261130_000011_no_restricting_provision::Migration),
            Box::new(m20261130_000012_data_protection::Migration),
            Box::new(m20261130_000013_letters::Migration),
            Box::new(m20261130_000014_meeting_arrangements::Migration),
            Box::new(m20261130_000015_hearing_evidence::Migration),
            Box::new(m20261130_000016_follow_up_decision::Migration),
            Box::new(m20261201_000017_supportive_measures::Migration),
            Box::new(m20261201_000018_staff_procedure::Migration),
            Box::new(m20261201_000019_communication_plan::Migration),
            Box::new(m20261201_000020_fitness_to_study::Migration),
            Box::new(m20261201_000021_health_grounds_fact::Migration),
            Box::new(m20261201_000022_anonymous_channel::Migration),
            Box::new(m20261201_000023_measure_notified::Migration),
            Box::new(m20261201_000024_respondent_outcome::Migration),
            Box::new(m20261201_000025_statistics_tally::Migration),
            Box::new(m20261201_000026_appeal_recommendation::Migration),
            Box::new(m20261201_000027_audit_pending::Migration),
            Box::new(m20261202_000028_shared_support_notes::Migration),
        ]
    }
}
