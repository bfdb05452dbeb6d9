//! The one pagination helper of the API: Relay connections (`first`, `after`,
//! `edges { cursor node }`, `nodes`, `pageInfo`) over the domain's keyset
//! pages, with opaque cursors. Every growing list uses it.

use std::borrow::Cow;

use async_graphql::connection::PageInfo;
use async_graphql::{Object, OutputType, TypeName};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::domain::page::{Page, Position};
use crate::error::{Error, Result};

/// A type listed in pages, with the names of its connection and edge types.
pub trait Listed: OutputType {
    const CONNECTION: &'static str;
    const EDGE: &'static str;
}

/// The page a client asked for: `first` (1 to 100, default 20) after `after`.
pub fn page(first: Option<i32>, after: Option<&str>) -> Result<Page> {
    Page::new(first, after.map(decode).transpose()?)
}

fn encode(position: &Position) -> String {
    // A position is a key and an id; it always serialises.
    let text = serde_json::to_string(position).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(text)
}

fn decode(cursor: &str) -> Result<Position> {
    let bad = |e: &dyn std::fmt::Display| {
        Error::validation(
            "after",
            format!("This cursor is not one this server issued ({e})."),
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|e| bad(&e))?;
    serde_json::from_slice(&bytes).map_err(|e| bad(&e))
}

/// One page of a list.
pub struct Connection<T: Listed> {
    edges: Vec<Edge<T>>,
    has_next_page: bool,
}

/// One item of a page, with the cursor to continue after it.
pub struct Edge<T: Listed> {
    cursor: String,
    node: T,
}

/// Builds a page from rows fetched with `Page::select` (one more than the page
/// holds, if another page follows).
pub fn connection<R, T: Listed>(
    mut rows: Vec<R>,
    page: &Page,
    position: impl Fn(&R) -> Position,
    node: impl Fn(R) -> T,
) -> Connection<T> {
    let has_next_page = rows.len() as u64 > page.limit;
    rows.truncate(page.limit as usize);
    Connection {
        edges: rows
            .into_iter()
            .map(|r| Edge {
                cursor: encode(&position(&r)),
                node: node(r),
            })
            .collect(),
        has_next_page,
    }
}

impl<T: Listed> TypeName for Connection<T> {
    fn type_name() -> Cow<'static, str> {
        T::CONNECTION.into()
    }
}

impl<T: Listed> TypeName for Edge<T> {
    fn type_name() -> Cow<'static, str> {
        T::EDGE.into()
    }
}

/// One page of a list, in the list's order. Pass `pageInfo.endCursor` as
/// `after` to read the next page while `pageInfo.hasNextPage` is true; a page
/// holds at most `first` items (1 to 100, default 20).
#[Object(name_type)]
impl<T: Listed> Connection<T> {
    /// The items of this page, each with the cursor to continue after it.
    async fn edges(&self) -> &[Edge<T>] {
        &self.edges
    }
    /// The items of this page, without cursors.
    async fn nodes(&self) -> Vec<&T> {
        self.edges.iter().map(|e| &e.node).collect()
    }
    /// Where this page is in the list.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: false,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|e| e.cursor.clone()),
            end_cursor: self.edges.last().map(|e| e.cursor.clone()),
        }
    }
}

/// One item of a page, with the cursor to continue after it.
#[Object(name_type)]
impl<T: Listed> Edge<T> {
    /// Pass as `after` to read the items that follow this one.
    async fn cursor(&self) -> &str {
        &self.cursor
    }
    /// The item.
    async fn node(&self) -> &T {
        &self.node
    }
}
