//! R-DISC-7: when a student forwarded by a member of staff has not replied
//! after two contact attempts, Student Support and the Cause for Concern group
//! decide with the forwarder whether to act further; the decision is kept
//! with the case (each one also on its timeline, with the reasons).

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            Cases::Table,
            vec![
                ts_null(Cases::FollowUpDecidedAt),
                ColumnDef::new(Cases::FollowUpActFurther)
                    .boolean()
                    .null()
                    .to_owned(),
                text_null(Cases::FollowUpReasons),
                uuid_null(Cases::FollowUpDecidedBy),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            Cases::Table,
            vec![
                Cases::FollowUpDecidedAt,
                Cases::FollowUpActFurther,
                Cases::FollowUpReasons,
                Cases::FollowUpDecidedBy,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Cases {
    Table,
    FollowUpDecidedAt,
    FollowUpActFurther,
    FollowUpReasons,
    FollowUpDecidedBy,
}
