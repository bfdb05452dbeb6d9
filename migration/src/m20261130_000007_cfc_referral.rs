//! Referral to the Cause for Concern group (R-TRI-3) decides who in that group
//! may see a case, so it moves onto the case row, where every access decision
//! and every list's SQL scope reads it: when, and — for a referral made early
//! for an urgent risk — why. Referrals already made at triage are copied from
//! `procedure.cfc_referred_at`, which is no longer written.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .add_column(ts_null(Cases::CfcReferredAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .add_column(text_null(Cases::CfcUrgentReason))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(Cases::Table)
                .value(
                    Cases::CfcReferredAt,
                    SimpleExpr::SubQuery(
                        None,
                        Box::new(
                            Query::select()
                                .column((Procedure::Table, Procedure::CfcReferredAt))
                                .from(Procedure::Table)
                                .and_where(
                                    Expr::col((Procedure::Table, Procedure::CaseId))
                                        .equals((Cases::Table, Cases::Id)),
                                )
                                .to_owned()
                                .into_sub_query_statement(),
                        ),
                    ),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .drop_column(Cases::CfcUrgentReason)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .drop_column(Cases::CfcReferredAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    CfcReferredAt,
    CfcUrgentReason,
}

#[derive(DeriveIden)]
enum Procedure {
    Table,
    CaseId,
    CfcReferredAt,
}
