//! Query roots: nouns. Case look-ups and lists go through the same visibility
//! scope, so a case that `case(id)` hides never appears in `cases`.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{case, person};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store;
use crate::domain::disclosures;
use crate::domain::kinds;
use crate::error::Error;
use crate::graphql::case::{self as views, Case, PartyCase};
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
use crate::graphql::enums::{PersonKind, StaffRole, Stage};
use crate::graphql::pagination;

#[derive(Default)]
pub struct CaseQuery;

/// The signed-in person.
#[derive(SimpleObject)]
pub struct Me {
    id: Uuid,
    display_name: String,
    kind: PersonKind,
    email: Option<String>,
    /// Staff roles currently held (empty for students).
    roles: Vec<StaffRole>,
}

/// R-DISC-3: what a member of staff who forwarded a disclosure is told.
#[derive(SimpleObject)]
pub struct ForwardedDisclosure {
    reference: String,
    forwarded_at: DateTime<Utc>,
    /// True once Student Support has made at least two attempts to contact the student.
    at_least_two_contact_attempts: bool,
    /// Whether the student has responded; unknown (null) until two attempts were made or they replied.
    student_responded: Option<bool>,
}

/// Loads one case for the viewer as staff, or NOT_FOUND.
pub async fn staff_case(ctx: &Context<'_>, id: Uuid) -> GqlResult<Case> {
    views::as_staff(views::load(ctx, id).await?).ok_or_else(|| to_gql(Error::NotFound("case")))
}

/// Loads one case for the viewer as a party, or NOT_FOUND.
pub async fn my_case(ctx: &Context<'_>, id: Uuid) -> GqlResult<PartyCase> {
    views::as_party(views::load(ctx, id).await?).ok_or_else(|| to_gql(Error::NotFound("case")))
}

#[Object]
impl CaseQuery {
    /// The signed-in person and their roles.
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<Me> {
        let viewer = ctx.viewer()?;
        let p = person::Entity::find_by_id(viewer.person_id)
            .one(&ctx.state().db)
            .await
            .gql()?
            .ok_or_else(|| to_gql(Error::NotFound("person")))?;
        Ok(Me {
            id: p.id,
            display_name: p.display_name,
            kind: kinds::PersonKind::from_db(&p.kind).gql()?.into(),
            email: p.email,
            roles: viewer.roles.iter().map(|r| (*r).into()).collect(),
        })
    }

    /// Cases you work on as staff (newest first). Students use `myCases`.
    async fn cases(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        stage: Option<Stage>,
    ) -> GqlResult<Connection<String, Case>> {
        let viewer = ctx.viewer()?;
        let db = &ctx.state().db;
        let limit = pagination::page_size(first).gql()?;
        let mut query = case::Entity::find().filter(access::staff_scope(viewer));
        if let Some(stage) = stage {
            query = query.filter(sea_orm::ColumnTrait::eq(
                &case::Column::Stage,
                kinds::Stage::from(stage).as_str(),
            ));
        }
        if let Some(cursor) = after {
            query = query.filter(
                pagination::after(case::Column::OpenedAt, case::Column::Id, &cursor).gql()?,
            );
        }
        let rows = query
            .order_by_desc(case::Column::OpenedAt)
            .order_by_desc(case::Column::Id)
            .limit(limit + 1)
            .all(db)
            .await
            .gql()?;
        let bundles = case_store::load_many(db, rows).await.gql()?;
        Ok(pagination::connection(
            bundles,
            limit,
            |b| (b.case.opened_at, b.case.id),
            |b| Case::new(views::scoped(viewer, b)),
        ))
    }

    /// One case, as staff. Not found unless you may see it.
    async fn case(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<Case> {
        staff_case(ctx, id).await
    }

    /// Cases you are a party to, in the view made for parties (newest first).
    async fn my_cases(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, PartyCase>> {
        let viewer = ctx.viewer()?;
        let db = &ctx.state().db;
        let limit = pagination::page_size(first).gql()?;
        let mut query = case::Entity::find().filter(access::party_scope(viewer));
        if let Some(cursor) = after {
            query = query.filter(
                pagination::after(case::Column::OpenedAt, case::Column::Id, &cursor).gql()?,
            );
        }
        let rows = query
            .order_by_desc(case::Column::OpenedAt)
            .order_by_desc(case::Column::Id)
            .limit(limit + 1)
            .all(db)
            .await
            .gql()?;
        let bundles = case_store::load_many(db, rows).await.gql()?;
        let cases: Vec<PartyCase> = bundles
            .into_iter()
            .filter_map(|b| views::as_party(views::scoped(viewer, b)))
            .collect();
        Ok(pagination::connection(
            cases,
            limit,
            |c| (c.scope().bundle.case.opened_at, c.scope().case_id()),
            |c| c,
        ))
    }

    /// One of your cases, as a party. Not found unless you are a party to it.
    async fn my_case(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<PartyCase> {
        my_case(ctx, id).await
    }

    /// Disclosures you forwarded to Student Support, and whether contact was made (R-DISC-3).
    async fn forwarded_disclosures(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<ForwardedDisclosure>> {
        let viewer = ctx.viewer()?;
        let rows = disclosures::forwarded_by_me(viewer, &ctx.state().db)
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .map(|s| {
                let two = s.attempts >= 2;
                ForwardedDisclosure {
                    reference: s.case.reference,
                    forwarded_at: s.case.opened_at,
                    at_least_two_contact_attempts: two,
                    student_responded: (two || s.student_responded).then_some(s.student_responded),
                }
            })
            .collect())
    }
}
