//! Keyset pagination, the one way every growing list is read: rows in a fixed
//! order of (sort key, id), a page at most `MAX_PAGE` long, and the next page
//! starting strictly after the last row of this one — so the cost of a page
//! does not grow with the table, and rows added meanwhile are neither skipped
//! nor repeated.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};

/// The longest page a client may ask for.
pub const MAX_PAGE: u64 = 100;
/// The page length when the client does not say.
pub const DEFAULT_PAGE: u64 = 20;

/// The value a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Key {
    Time(DateTime<Utc>),
    Day(NaiveDate),
    Seq(i64),
}

impl Key {
    fn value(self) -> SimpleExpr {
        match self {
            Key::Time(t) => Expr::value(t),
            Key::Day(d) => Expr::value(d),
            Key::Seq(n) => Expr::value(n),
        }
    }

    fn kind(self) -> KeyKind {
        match self {
            Key::Time(_) => KeyKind::Time,
            Key::Day(_) => KeyKind::Day,
            Key::Seq(_) => KeyKind::Seq,
        }
    }
}

/// What kind of value a list is sorted by (a cursor must be of that kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Time,
    Day,
    Seq,
}

/// Where a row stands in its list: its sort key, and its id to break ties
/// (none where the key is unique, as the audit log's sequence number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub key: Key,
    pub id: Option<Uuid>,
}

impl Position {
    pub fn new(key: Key, id: Uuid) -> Self {
        Position { key, id: Some(id) }
    }

    pub fn unique(key: Key) -> Self {
        Position { key, id: None }
    }
}

/// The order of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Newest (largest key) first: cases, notifications, the audit log.
    Descending,
    /// Soonest (smallest key) first: deadlines.
    Ascending,
}

/// One page to read: at most `limit` rows, after `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: u64,
    pub after: Option<Position>,
}

impl Page {
    /// A page of `first` rows (default `DEFAULT_PAGE`, at most `MAX_PAGE`).
    pub fn new(first: Option<i32>, after: Option<Position>) -> Result<Page> {
        let limit = match first {
            None => DEFAULT_PAGE,
            Some(n) if n >= 1 && (n as u64) <= MAX_PAGE => n as u64,
            Some(_) => {
                return Err(Error::validation(
                    "first",
                    format!("`first` must be between 1 and {MAX_PAGE}."),
                ));
            }
        };
        Ok(Page { limit, after })
    }

    /// The page after `position`, of the same length (to keep reading past
    /// rows a caller filtered out).
    pub fn after(self, position: Position) -> Page {
        Page {
            after: Some(position),
            ..self
        }
    }

    /// Orders `query` by (`key`, `id`), skips to after the cursor and takes one
    /// row more than the page, which tells whether another page follows. A
    /// cursor from a list sorted by another kind of key is refused.
    pub fn select<E: EntityTrait>(
        &self,
        query: Select<E>,
        key: impl ColumnTrait,
        kind: KeyKind,
        id: Option<impl ColumnTrait>,
        order: Order,
    ) -> Result<Select<E>> {
        let mut query = query;
        if let Some(after) = self.after {
            if after.key.kind() != kind {
                return Err(Error::validation(
                    "after",
                    "This cursor belongs to another list.",
                ));
            }
            let past = |col: SimpleExpr, value: SimpleExpr| match order {
                Order::Descending => col.lt(value),
                Order::Ascending => col.gt(value),
            };
            let beyond = Expr::col(key);
            let condition = match (id, after.id) {
                (Some(id_col), Some(id)) => {
                    Condition::any().add(past(beyond, after.key.value())).add(
                        Condition::all()
                            .add(Expr::col(key).eq(after.key.value()))
                            .add(past(Expr::col(id_col), Expr::value(id))),
                    )
                }
                _ => Condition::all().add(past(beyond, after.key.value())),
            };
            query = query.filter(condition);
        }
        query = match order {
            Order::Descending => query.order_by_desc(key),
            Order::Ascending => query.order_by_asc(key),
        };
        if let Some(id_col) = id {
            query = match order {
                Order::Descending => query.order_by_desc(id_col),
                Order::Ascending => query.order_by_asc(id_col),
            };
        }
        Ok(query.limit(self.limit + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_bounded() {
        assert_eq!(
            Page::new(None, None).map(|p| p.limit).ok(),
            Some(DEFAULT_PAGE)
        );
        assert_eq!(Page::new(Some(100), None).map(|p| p.limit).ok(), Some(100));
        for bad in [0, -1, 101] {
            let err = Page::new(Some(bad), None).err().map(|e| e.code());
            assert_eq!(err, Some("VALIDATION"), "first = {bad}");
        }
    }
}
