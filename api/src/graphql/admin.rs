//! Administration: people, role grants, the audit log and the policy in force.
//! Administrators see no case content (DOMAIN §3).

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{audit_entry, person, role_grant};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::audit;
use crate::domain::kinds;
use crate::domain::people::{self, NewPerson};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::*;
use crate::graphql::pagination;
use crate::graphql::transaction::in_tx;

#[derive(SimpleObject)]
pub struct Person {
    id: Uuid,
    /// The identity provider's subject (`sub`) this person signs in as.
    subject: String,
    kind: PersonKind,
    display_name: String,
    email: Option<String>,
    sis_number: Option<String>,
    enrolment_status: Option<EnrolmentStatus>,
    leaving_date: Option<NaiveDate>,
    created_at: DateTime<Utc>,
}

impl TryFrom<person::Model> for Person {
    type Error = async_graphql::Error;
    fn try_from(p: person::Model) -> GqlResult<Self> {
        Ok(Person {
            kind: kinds::PersonKind::from_db(&p.kind).gql()?.into(),
            enrolment_status: p
                .enrolment_status
                .as_deref()
                .map(kinds::EnrolmentStatus::from_db)
                .transpose()
                .gql()?
                .map(Into::into),
            id: p.id,
            subject: p.subject,
            display_name: p.display_name,
            email: p.email,
            sis_number: p.sis_number,
            leaving_date: p.leaving_date,
            created_at: p.created_at,
        })
    }
}

#[derive(SimpleObject)]
pub struct RoleGrant {
    id: Uuid,
    person_id: Uuid,
    role: StaffRole,
    granted_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<role_grant::Model> for RoleGrant {
    type Error = async_graphql::Error;
    fn try_from(g: role_grant::Model) -> GqlResult<Self> {
        Ok(RoleGrant {
            id: g.id,
            person_id: g.person_id,
            role: kinds::StaffRole::from_db(&g.role).gql()?.into(),
            granted_at: g.granted_at,
            revoked_at: g.revoked_at,
        })
    }
}

#[derive(SimpleObject)]
pub struct AuditEntry {
    seq: i64,
    at: DateTime<Utc>,
    viewer_id: Option<Uuid>,
    viewer_roles: String,
    operation: String,
    case_id: Option<Uuid>,
    request_id: Option<String>,
    hash: String,
}

#[derive(SimpleObject)]
pub struct AuditChainReport {
    entries_checked: u64,
    /// The first entry whose hash or link is broken; null when the chain is intact.
    first_broken_seq: Option<i64>,
}

#[derive(SimpleObject)]
pub struct PolicyInfo {
    version: String,
    institution: String,
    /// The whole policy as canonical JSON (see docs/policy.md for each key).
    content: String,
}

#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// People registered with the service (ADMIN).
    async fn people(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Connection<String, Person>> {
        access::roles::can_administer(ctx.viewer()?, "list people").gql()?;
        let limit = pagination::page_size(first).gql()?;
        let mut query = person::Entity::find();
        if let Some(cursor) = after {
            query = query.filter(
                pagination::after(person::Column::CreatedAt, person::Column::Id, &cursor).gql()?,
            );
        }
        let rows = query
            .order_by_desc(person::Column::CreatedAt)
            .order_by_desc(person::Column::Id)
            .limit(limit + 1)
            .all(&ctx.state().db)
            .await
            .gql()?;
        let people: Vec<Person> = rows
            .into_iter()
            .map(Person::try_from)
            .collect::<GqlResult<_>>()?;
        Ok(pagination::connection(
            people,
            limit,
            |p| (p.created_at, p.id),
            |p| p,
        ))
    }

    /// A person's role grants, including revoked ones (ADMIN).
    async fn role_grants(&self, ctx: &Context<'_>, person_id: Uuid) -> GqlResult<Vec<RoleGrant>> {
        access::roles::can_administer(ctx.viewer()?, "see role grants").gql()?;
        let rows = role_grant::Entity::find()
            .filter(role_grant::Column::PersonId.eq(person_id))
            .order_by_asc(role_grant::Column::GrantedAt)
            .all(&ctx.state().db)
            .await
            .gql()?;
        rows.into_iter().map(RoleGrant::try_from).collect()
    }

    /// The audit log, newest first (ADMIN). Optionally one case's entries.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        before_seq: Option<i64>,
        case_id: Option<Uuid>,
    ) -> GqlResult<Vec<AuditEntry>> {
        access::roles::can_administer(ctx.viewer()?, "read the audit log").gql()?;
        let limit = pagination::page_size(first).gql()?;
        let mut query = audit_entry::Entity::find();
        if let Some(seq) = before_seq {
            query = query.filter(audit_entry::Column::Seq.lt(seq));
        }
        if let Some(case_id) = case_id {
            query = query.filter(audit_entry::Column::CaseId.eq(case_id));
        }
        let rows = query
            .order_by_desc(audit_entry::Column::Seq)
            .limit(limit)
            .all(&ctx.state().db)
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .map(|e| AuditEntry {
                seq: e.seq,
                at: e.at,
                viewer_id: e.viewer_id,
                viewer_roles: e.viewer_roles,
                operation: e.operation,
                case_id: e.case_id,
                request_id: e.request_id,
                hash: e.hash,
            })
            .collect())
    }

    /// Recomputes the audit log's hash chain (ADMIN).
    async fn verify_audit_chain(&self, ctx: &Context<'_>) -> GqlResult<AuditChainReport> {
        access::roles::can_administer(ctx.viewer()?, "verify the audit log").gql()?;
        let report = audit::verify(&ctx.state().db).await.gql()?;
        Ok(AuditChainReport {
            entries_checked: report.entries_checked,
            first_broken_seq: report.first_broken,
        })
    }

    /// The policy in force (any signed-in user).
    async fn policy(&self, ctx: &Context<'_>) -> GqlResult<PolicyInfo> {
        ctx.viewer()?;
        let policy = &ctx.state().policy;
        Ok(PolicyInfo {
            version: policy.version.clone(),
            institution: policy.institution.clone(),
            content: policy.canonical(),
        })
    }
}

#[derive(InputObject)]
pub struct CreatePersonInput {
    subject: String,
    kind: PersonKind,
    display_name: String,
    email: Option<String>,
    phone: Option<String>,
    sis_number: Option<String>,
    enrolment_status: Option<EnrolmentStatus>,
    leaving_date: Option<NaiveDate>,
}

#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Registers a person (ADMIN).
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        input: CreatePersonInput,
    ) -> GqlResult<Person> {
        let person = in_tx(ctx, async |viewer, tx| {
            people::create_person(
                viewer,
                tx,
                NewPerson {
                    subject: input.subject,
                    kind: input.kind.into(),
                    display_name: input.display_name,
                    email: input.email,
                    phone: input.phone,
                    sis_number: input.sis_number,
                    enrolment_status: input.enrolment_status.map(Into::into),
                    leaving_date: input.leaving_date,
                },
            )
            .await
        })
        .await?;
        person.try_into()
    }

    /// Grants a staff role (ADMIN).
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        person_id: Uuid,
        role: StaffRole,
    ) -> GqlResult<RoleGrant> {
        let grant = in_tx(ctx, async |viewer, tx| {
            people::grant_role(viewer, tx, person_id, role.into()).await
        })
        .await?;
        grant.try_into()
    }

    /// Revokes a role grant (ADMIN); the grant stays on record.
    async fn revoke_role(&self, ctx: &Context<'_>, grant_id: Uuid) -> GqlResult<RoleGrant> {
        let grant = in_tx(ctx, async |viewer, tx| {
            people::revoke_role(viewer, tx, grant_id).await
        })
        .await?;
        grant.try_into()
    }
}
