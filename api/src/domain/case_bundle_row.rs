//! A case with its parties and staff, and whatever else of it the request
//! will read, as JSON arrays that PostgreSQL builds in the case's row: a
//! case detail is one statement (`one`). Each separate statement was a
//! round trip, a checkout from the pool and sqlx's ping on release (issue
//! 16). The rows are exactly those the loaders would read (same tables, same
//! order); what the viewer may see of them is decided afterwards, as before.
//! SQLite is in-process, where a statement is a function call: it keeps
//! separate statements. A page of cases reads its rows per table instead
//! (`case_page`), which PostgreSQL answers faster for many cases.

use std::sync::LazyLock;

use entity::{appeal, case, measure, person, support_note, timeline_event};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Iterable, QueryResult, QuerySelect,
    QueryTrait, Select,
};

use crate::domain::access::scope;
use crate::domain::case_store::CaseBundle;
use crate::domain::positional::{self, Positional};
use uuid::Uuid;

/// The case's own columns come first; the arrays follow them.
static CASE_COLUMNS: LazyLock<usize> = LazyLock::new(|| case::Column::iter().count());

/// What a request will read of each case besides its parties and staff.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    /// The people who are its parties and staff (names, for one).
    pub people: bool,
    pub timeline: bool,
    pub measures: bool,
    pub appeals: bool,
    /// The support notes this person may read on their own party in the
    /// case (what a party's page shows them; R-SUP-5 as SQL).
    pub support_notes_of: Option<Uuid>,
}

/// Rows of a case read with it; `None` where they were not wanted (or on
/// SQLite), and the loaders read them instead.
#[derive(Debug, Default)]
pub struct Kept {
    pub people: Option<Vec<person::Model>>,
    pub timeline: Option<Vec<timeline_event::Model>>,
    pub measures: Option<Vec<measure::Model>>,
    pub appeals: Option<Vec<appeal::Model>>,
    /// The person asked for, and the notes on their party they may read.
    pub support_notes_of: Option<(Uuid, Vec<support_note::Model>)>,
}

/// Each array, as the loaders would read it: the same table, condition and
/// order. Without an ORDER BY, parties and staff keep the order the separate
/// queries gave (the same index on `case_id` reads them).
const PARTIES: &str =
    r#"(SELECT coalesce(json_agg(p), '[]')::text FROM "party" p WHERE p."case_id" = "cases"."id")"#;
const STAFF: &str = r#"(SELECT coalesce(json_agg(s), '[]')::text FROM "case_staff" s WHERE s."case_id" = "cases"."id")"#;
const PEOPLE: &str = r#"(SELECT coalesce(json_agg(pe), '[]')::text FROM "person" pe WHERE pe."id" IN (SELECT p."person_id" FROM "party" p WHERE p."case_id" = "cases"."id" UNION SELECT s."person_id" FROM "case_staff" s WHERE s."case_id" = "cases"."id"))"#;
const TIMELINE: &str = r#"(SELECT coalesce(json_agg(t ORDER BY t."at", t."id"), '[]')::text FROM "timeline_event" t WHERE t."case_id" = "cases"."id")"#;
const MEASURES: &str = r#"(SELECT coalesce(json_agg(m ORDER BY m."created_at", m."id"), '[]')::text FROM "measure" m WHERE m."case_id" = "cases"."id")"#;
/// The notes on the parties of the person `$1` that R-SUP-5 may let them
/// read (most students see a few of many).
static NOTES_OF: LazyLock<String> = LazyLock::new(|| {
    format!(
        r#"(SELECT coalesce(json_agg(n ORDER BY n."created_at", n."id"), '[]')::text FROM "support_note" n JOIN "party" p ON p."id" = n."party_id" WHERE p."case_id" = "cases"."id" AND p."person_id" = $1 AND {})"#,
        scope::own_party_support_notes("n")
    )
});
const APPEALS: &str = r#"(SELECT coalesce(json_agg(a ORDER BY a."lodged_at", a."id"), '[]')::text FROM "appeal" a WHERE a."case_id" = "cases"."id")"#;

/// The case `case_id` with its parties and staff and what is `wanted` of it,
/// in one statement (PostgreSQL only). Its plan does not depend on the
/// values, so PostgreSQL keeps one plan for it.
pub async fn one(
    case_id: Uuid,
    wanted: Wanted,
    db: &impl ConnectionTrait,
) -> Result<Option<(CaseBundle, Kept)>, DbErr> {
    let select = with_arrays(case::Entity::find_by_id(case_id), wanted);
    let rows = db
        .query_all_raw(select.build(db.get_database_backend()))
        .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let case = Positional::<case::Model>::from_query_result(row, "")?.0;
    let (bundle, kept) = arrays(row, case, wanted)?;
    Ok(Some((bundle, kept)))
}

/// `select` with the arrays added after its columns, in the order `arrays`
/// reads them.
fn with_arrays(mut select: Select<case::Entity>, wanted: Wanted) -> Select<case::Entity> {
    select = select.expr(Expr::cust(PARTIES)).expr(Expr::cust(STAFF));
    for (want, array) in [
        (wanted.people, PEOPLE),
        (wanted.timeline, TIMELINE),
        (wanted.measures, MEASURES),
        (wanted.appeals, APPEALS),
    ] {
        if want {
            select = select.expr(Expr::cust(array));
        }
    }
    if let Some(person) = wanted.support_notes_of {
        select = select.expr(Expr::cust_with_values(NOTES_OF.as_str(), [person]));
    }
    select
}

/// The arrays of one row, after the case's own columns, with the case.
fn arrays(
    row: &QueryResult,
    case: case::Model,
    wanted: Wanted,
) -> Result<(CaseBundle, Kept), DbErr> {
    let mut column = *CASE_COLUMNS;
    let mut next = |want: bool, table: &str| -> Result<Option<String>, DbErr> {
        if !want {
            return Ok(None);
        }
        column += 1;
        positional::read::<String>(row, column - 1)
            .map(Some)
            .map_err(|e| DbErr::Type(format!("{table} rows: {e}")))
    };
    let parties = next(true, "party")?;
    let staff = next(true, "case_staff")?;
    let people = next(wanted.people, "person")?;
    let timeline = next(wanted.timeline, "timeline_event")?;
    let measures = next(wanted.measures, "measure")?;
    let appeals = next(wanted.appeals, "appeal")?;
    let notes = next(wanted.support_notes_of.is_some(), "support_note")?;
    let bundle = CaseBundle {
        case,
        parties: from_json(parties.as_deref(), "party")?.unwrap_or_default(),
        staff: from_json(staff.as_deref(), "case_staff")?.unwrap_or_default(),
    };
    let kept = Kept {
        people: from_json(people.as_deref(), "person")?,
        timeline: from_json(timeline.as_deref(), "timeline_event")?,
        measures: from_json(measures.as_deref(), "measure")?,
        appeals: from_json(appeals.as_deref(), "appeal")?,
        support_notes_of: wanted
            .support_notes_of
            .zip(from_json(notes.as_deref(), "support_note")?),
    };
    Ok((bundle, kept))
}

fn from_json<M: serde::de::DeserializeOwned>(
    text: Option<&str>,
    table: &str,
) -> Result<Option<Vec<M>>, DbErr> {
    text.map(serde_json::from_str)
        .transpose()
        .map_err(|e| DbErr::Type(format!("{table} rows as JSON: {e}")))
}
