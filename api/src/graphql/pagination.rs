//! Keyset pagination over (time, id): opaque cursors, newest first, `first`
//! capped at 100, so the cost of a page does not grow with the table.

use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::Condition;
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef};
use uuid::Uuid;

use crate::error::Error;

pub const MAX_PAGE: i32 = 100;

pub fn page_size(first: Option<i32>) -> Result<u64, Error> {
    match first.unwrap_or(20) {
        n if (1..=MAX_PAGE).contains(&n) => Ok(n as u64),
        _ => Err(Error::validation(
            "first",
            format!("`first` must be between 1 and {MAX_PAGE}."),
        )),
    }
}

pub fn encode(at: DateTime<Utc>, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{id}", at.timestamp_micros()))
}

pub fn decode(cursor: &str) -> Result<(DateTime<Utc>, Uuid), Error> {
    let bad = || Error::validation("after", "This cursor is not one this server issued.");
    let text =
        String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?).map_err(|_| bad())?;
    let (micros, id) = text.split_once('|').ok_or_else(bad)?;
    let at = DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok((at, id.parse().map_err(|_| bad())?))
}

/// Rows strictly after the cursor in (time desc, id desc) order.
pub fn after(
    time_col: impl IntoColumnRef + Copy,
    id_col: impl IntoColumnRef + Copy,
    cursor: &str,
) -> Result<Condition, Error> {
    let (at, id) = decode(cursor)?;
    Ok(Condition::any().add(Expr::col(time_col).lt(at)).add(
        Condition::all()
            .add(Expr::col(time_col).eq(at))
            .add(Expr::col(id_col).lt(id)),
    ))
}

/// Builds a connection from a page fetched with one extra row (to know if more follow).
pub fn connection<T, N: OutputType>(
    mut rows: Vec<T>,
    limit: u64,
    key: impl Fn(&T) -> (DateTime<Utc>, Uuid),
    node: impl Fn(T) -> N,
) -> Connection<String, N> {
    let has_next = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let mut conn = Connection::new(false, has_next);
    conn.edges.extend(rows.into_iter().map(|r| {
        let (at, id) = key(&r);
        Edge::new(encode(at, id), node(r))
    }));
    conn
}
