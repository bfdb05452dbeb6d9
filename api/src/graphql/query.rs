//! Query roots for cases: nouns. Look-ups and lists go through the same
//! access rules, so a case that `case(id)` hides never appears in `cases`.

use async_graphql::ID;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::person;
use sea_orm::EntityTrait;
use uuid::Uuid;

use crate::domain::{access, case_store, disclosures, kinds};
use crate::error::Error;
use crate::graphql::case::{self as views, Case, PartyCase};
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
use crate::graphql::enums::{PersonKind, StaffRole, Stage};
use crate::graphql::pagination::{self, Connection, Listed};

#[derive(Default)]
pub struct CaseQuery;

/// The signed-in person.
#[derive(SimpleObject)]
pub struct Me {
    /// Your person id.
    id: ID,
    /// Your name as registered.
    display_name: String,
    /// Student, staff or visitor.
    kind: PersonKind,
    /// Your e-mail address on record.
    email: Option<String>,
    /// Staff roles you hold now (empty for students).
    roles: Vec<StaffRole>,
}

/// What a member of staff who forwarded a disclosure is told (R-DISC-3):
/// nothing of its content, only whether contact was made.
#[derive(SimpleObject)]
pub struct ForwardedDisclosure {
    /// The case reference, to quote.
    reference: String,
    /// When you forwarded it.
    forwarded_at: DateTime<Utc>,
    /// True once Student Support has made at least two attempts to contact the student.
    at_least_two_contact_attempts: bool,
    /// Whether the student has responded; unknown (null) until two attempts
    /// were made or they replied.
    student_responded: Option<bool>,
    /// Decided with you when the student did not reply (R-DISC-7): whether
    /// the university acts further; null until decided.
    act_further: Option<bool>,
}

impl Listed for Case {
    const CONNECTION: &'static str = "CaseConnection";
    const EDGE: &'static str = "CaseEdge";
}

impl Listed for PartyCase {
    const CONNECTION: &'static str = "PartyCaseConnection";
    const EDGE: &'static str = "PartyCaseEdge";
}

impl Listed for ForwardedDisclosure {
    const CONNECTION: &'static str = "ForwardedDisclosureConnection";
    const EDGE: &'static str = "ForwardedDisclosureEdge";
}

/// Loads one case for the viewer as staff, or NOT_FOUND.
pub async fn staff_case(ctx: &Context<'_>, id: Uuid) -> GqlResult<Case> {
    views::as_staff(views::load(ctx, id).await?)
        .ok_or_else(|| to_gql(Error::Concealed("case", Some(id))))
}

/// Loads one case for the viewer as a party, or NOT_FOUND.
pub async fn my_case(ctx: &Context<'_>, id: Uuid) -> GqlResult<PartyCase> {
    views::as_party(views::load(ctx, id).await?)
        .ok_or_else(|| to_gql(Error::Concealed("case", Some(id))))
}

#[Object]
impl CaseQuery {
    /// The signed-in person and the roles they hold.
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<Me> {
        let viewer = ctx.viewer()?;
        let p = person::Entity::find_by_id(viewer.person_id)
            .one(&ctx.state().db)
            .await
            .gql()?
            .ok_or_else(|| to_gql(Error::NotFound("person")))?;
        Ok(Me {
            id: p.id.into(),
            display_name: p.display_name,
            kind: kinds::PersonKind::from_db(&p.kind).gql()?.into(),
            email: p.email,
            roles: viewer.roles.iter().map(|r| (*r).into()).collect(),
        })
    }

    /// Cases you work on as staff, newest first. Students use `myCases`.
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn cases(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many cases (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only cases at this stage (staff running the procedure).")] stage: Option<
            Stage,
        >,
    ) -> GqlResult<Connection<Case>> {
        let viewer = ctx.viewer()?;
        let db = &ctx.state().db;
        let page = pagination::page(first, after.as_deref()).gql()?;
        let scope = access::staff_scope(viewer);
        let wanted = views::wanted(&ctx.look_ahead().field("edges").field("node"), viewer);
        let bundles = case_store::list(db, scope, stage.map(Into::into), &page, wanted)
            .await
            .gql()?;
        Ok(pagination::connection(
            bundles,
            &page,
            |(b, _)| case_store::position(&b.case),
            |(b, kept)| Case::new(views::scoped_with(viewer, b, kept)),
        ))
    }

    /// One case, as staff. NOT_FOUND unless you may see it.
    #[graphql(complexity = "crate::graphql::cost::LOOKUP + child_complexity")]
    async fn case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's id.")] id: Uuid,
    ) -> GqlResult<Case> {
        staff_case(ctx, id).await
    }

    /// Cases you are a party to, in the view made for parties, newest first.
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn my_cases(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many cases (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> GqlResult<Connection<PartyCase>> {
        let viewer = ctx.viewer()?;
        let db = &ctx.state().db;
        let page = pagination::page(first, after.as_deref()).gql()?;
        let wanted = views::wanted(&ctx.look_ahead().field("edges").field("node"), viewer);
        let bundles = case_store::list(db, access::party_scope(viewer), None, &page, wanted)
            .await
            .gql()?;
        let cases: Vec<PartyCase> = bundles
            .into_iter()
            .filter_map(|(b, kept)| views::as_party(views::scoped_with(viewer, b, kept)))
            .collect();
        Ok(pagination::connection(
            cases,
            &page,
            |c| case_store::position(&c.scope().bundle.case),
            |c| c,
        ))
    }

    /// One of your cases, as a party. NOT_FOUND unless you are a party to it
    /// (a responding party only once told of the report).
    #[graphql(complexity = "crate::graphql::cost::LOOKUP + child_complexity")]
    async fn my_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case's id.")] id: Uuid,
    ) -> GqlResult<PartyCase> {
        my_case(ctx, id).await
    }

    /// Disclosures you forwarded to Student Support, newest first, and whether
    /// contact was made (R-DISC-3).
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn forwarded_disclosures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> GqlResult<Connection<ForwardedDisclosure>> {
        let viewer = ctx.viewer()?;
        let page = pagination::page(first, after.as_deref()).gql()?;
        let rows = disclosures::forwarded_by_me(viewer, &ctx.state().db, &page)
            .await
            .gql()?;
        Ok(pagination::connection(
            rows,
            &page,
            |s| case_store::position(&s.case),
            |s| {
                let two = s.attempts >= 2;
                ForwardedDisclosure {
                    reference: s.case.reference,
                    forwarded_at: s.case.opened_at,
                    at_least_two_contact_attempts: two,
                    student_responded: (two || s.student_responded).then_some(s.student_responded),
                    act_further: s.case.follow_up_act_further,
                }
            },
        ))
    }
}
