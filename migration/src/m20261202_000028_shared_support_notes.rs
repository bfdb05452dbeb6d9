//! What a student may read of the support notes on their own part (R-SUP-5)
//! is, in practice, the notes shared with them. An index of just those, by
//! party and time, lets their page find them without reading every note
//! their case worker kept private (issue 16: a party with 22,000 private
//! notes made PostgreSQL read them all for every page).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The same statement on PostgreSQL and SQLite: both index part of a table.
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_support_note_shared ON support_note (party_id, created_at) \
                 WHERE shared_with_party",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX ix_support_note_shared")
            .await
            .map(|_| ())
    }
}
