//! Relay's object identification: a `Node` interface and `node(id:)`, which
//! refetches an object by its global id through the same access rules as
//! every other path (a case the viewer may not see is NOT_FOUND here too).
//!
//! Ids are the objects' UUIDs. One case has two views: a party gets the
//! `PartyCase` for its id, staff the `Case`, never both.

use async_graphql::{Context, ID, Interface, Object};
use uuid::Uuid;

use crate::domain::{case_store, notices, people};
use crate::error::Error;
use crate::graphql::admin::Person;
use crate::graphql::case::{self as views, Case, PartyCase};
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
use crate::graphql::notifications::Notification;

/// An object that can be fetched again by its id with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The object's id, unique across types."))]
pub enum Node {
    Case(Case),
    PartyCase(PartyCase),
    Person(Person),
    Notification(Notification),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object with a `Node` id, as you may see it: a case (as `Case` for
    /// staff, `PartyCase` for its parties), a person (administrators), your
    /// own notification. NOT_FOUND for anything else.
    #[graphql(complexity = "crate::graphql::cost::LOOKUP + child_complexity")]
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A `Node`'s `id`.")] id: ID,
    ) -> GqlResult<Option<Node>> {
        let id = Uuid::parse_str(&id).map_err(|err| {
            to_gql(Error::validation(
                "id",
                format!("Not an id of this API: {err}."),
            ))
        })?;
        find(ctx, id).await.map(Some)
    }
}

async fn find(ctx: &Context<'_>, id: Uuid) -> GqlResult<Node> {
    let viewer = ctx.viewer()?;
    let db = &ctx.state().db;
    if let Some(row) = notices::own(viewer, db, id).await.gql()? {
        return Ok(Node::Notification(Notification::from_row(row)?));
    }
    if let Some(row) = people::find_for_admin(viewer, db, id).await.gql()? {
        return Ok(Node::Person(Person::try_from(row)?));
    }
    let Some(bundle) = case_store::load(db, id).await.gql()? else {
        return Err(to_gql(Error::NotFound("node")));
    };
    let scope = views::scoped(viewer, bundle);
    if let Some(case) = views::as_party(scope.clone()) {
        return Ok(Node::PartyCase(case));
    }
    views::as_staff(scope)
        .map(Node::Case)
        .ok_or_else(|| to_gql(Error::Concealed("node", Some(id))))
}
