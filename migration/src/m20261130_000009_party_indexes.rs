//! Indexes for the lookups a party's view makes (issue 16): support notes,
//! options conversations, consents, shares and contact attempts are loaded by
//! party, in the order they are shown, and a case's deadlines by case. Without
//! them each party view scanned the whole of every table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, table, key columns)
const INDEXES: &[(&str, &str, &[&str])] = &[
    (
        "ix_support_note_party",
        "support_note",
        &["party_id", "created_at"],
    ),
    (
        "ix_options_conversation_party",
        "options_conversation",
        &["party_id", "held_at"],
    ),
    (
        "ix_sharing_consent_party",
        "sharing_consent",
        &["party_id", "recorded_at"],
    ),
    (
        "ix_information_share_party",
        "information_share",
        &["party_id", "shared_at"],
    ),
    (
        "ix_contact_attempt_party",
        "contact_attempt",
        &["party_id", "made_at"],
    ),
    ("ix_deadline_case", "deadline", &["case_id", "due_on"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table(Alias::new(*table));
            for column in *columns {
                index.col(Alias::new(*column));
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            m.drop_index(
                Index::drop()
                    .name(*name)
                    .table(Alias::new(*table))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
