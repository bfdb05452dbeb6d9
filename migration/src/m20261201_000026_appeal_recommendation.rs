//! R-APP-5 (004 App. 5 §9): where the policy says so, an appeal panel only
//! recommends and a named officer decides finally. The appeal keeps the
//! sanctions the panel recommended until then, and who took the final decision.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            Appeal::Table,
            vec![
                text_null(Appeal::RecommendedSanctions),
                text_null(Appeal::FinalDecisionBy),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            Appeal::Table,
            vec![Appeal::RecommendedSanctions, Appeal::FinalDecisionBy],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Appeal {
    Table,
    RecommendedSanctions,
    FinalDecisionBy,
}
