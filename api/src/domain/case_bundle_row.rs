//! A case with its parties and staff in one PostgreSQL statement: the case's
//! columns, then its parties and its staff as two JSON arrays that the
//! database builds in the same row. Three statements were one round trip
//! each, plus the pool's checkout and sqlx's ping on release (issue 16); a
//! detail, an officer's page and a party's page all start here. SQLite is
//! in-process, where a statement is a function call, and keeps the three.

use std::sync::LazyLock;

use entity::{case, case_staff, party};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ConnectionTrait, DbErr, FromQueryResult, Iterable, QueryResult, QuerySelect, Select,
};

use crate::domain::case_store::CaseBundle;
use crate::domain::positional::{self, Positional};

/// The case's own columns come first; the two arrays follow them.
static CASE_COLUMNS: LazyLock<usize> = LazyLock::new(|| case::Column::iter().count());

/// `select` (of cases) with each case's parties and staff added. Without an
/// ORDER BY the arrays keep the order the separate queries gave: the same
/// index on `case_id` reads them.
pub fn with_parties_and_staff(select: Select<case::Entity>) -> Select<case::Entity> {
    select
        .expr(Expr::cust(
            r#"(SELECT coalesce(json_agg(p), '[]')::text FROM "party" p WHERE p."case_id" = "cases"."id")"#,
        ))
        .expr(Expr::cust(
            r#"(SELECT coalesce(json_agg(s), '[]')::text FROM "case_staff" s WHERE s."case_id" = "cases"."id")"#,
        ))
}

/// Every case of `select`, each with its parties and staff (PostgreSQL only).
pub async fn all(
    select: Select<case::Entity>,
    db: &impl ConnectionTrait,
) -> Result<Vec<CaseBundle>, DbErr> {
    let rows = with_parties_and_staff(select)
        .into_model::<Row>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| row.0).collect())
}

/// The first case of `select` with its parties and staff (PostgreSQL only).
pub async fn one(
    select: Select<case::Entity>,
    db: &impl ConnectionTrait,
) -> Result<Option<CaseBundle>, DbErr> {
    let row = with_parties_and_staff(select)
        .into_model::<Row>()
        .one(db)
        .await?;
    Ok(row.map(|row| row.0))
}

struct Row(CaseBundle);

impl FromQueryResult for Row {
    fn from_query_result(row: &QueryResult, prefix: &str) -> Result<Self, DbErr> {
        let case = Positional::<case::Model>::from_query_result(row, prefix)?.0;
        let parties: String = positional::read(row, *CASE_COLUMNS)?;
        let staff: String = positional::read(row, *CASE_COLUMNS + 1)?;
        Ok(Row(CaseBundle {
            case,
            parties: from_json::<party::Model>(&parties, "party")?,
            staff: from_json::<case_staff::Model>(&staff, "case_staff")?,
        }))
    }
}

fn from_json<M: serde::de::DeserializeOwned>(text: &str, table: &str) -> Result<Vec<M>, DbErr> {
    serde_json::from_str(text).map_err(|e| DbErr::Type(format!("{table} rows as JSON: {e}")))
}
