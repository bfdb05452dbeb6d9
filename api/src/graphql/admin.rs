//! Administration: people, role grants, the audit log and the policy in force.
//! Administrators see no case content (DOMAIN §3).

use async_graphql::ID;
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{audit_entry, person, role_grant, security_event};
use uuid::Uuid;

use crate::domain::kinds;
use crate::domain::people::{self, NewPerson};
use crate::domain::{audit, security_log};
use crate::error::Error;
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
use crate::graphql::enums::{EnrolmentStatus, PersonKind, StaffRole};
use crate::graphql::pagination::{self, Connection, Listed};
use crate::graphql::transaction::in_tx;

/// A person registered with the service: a student, a member of staff or a visitor.
#[derive(SimpleObject)]
pub struct Person {
    /// The person's id (use it to grant roles or name a student).
    #[graphql(owned)]
    pub(crate) id: ID,
    /// The identity this person signs in as: the value of the configured
    /// identity claim (`sub` by default; `oid` for Entra ID).
    subject: String,
    /// Student, staff or visitor.
    kind: PersonKind,
    /// Their name.
    display_name: String,
    /// Their e-mail address, for letters.
    email: Option<String>,
    /// A student's SIS number.
    sis_number: Option<String>,
    /// A student's enrolment, as the SIS last reported it.
    enrolment_status: Option<EnrolmentStatus>,
    /// When a student left or graduated (drives retention, R-RET-1).
    leaving_date: Option<NaiveDate>,
    /// When they were registered.
    created_at: DateTime<Utc>,
    /// When an administrator disabled the account (its tokens are refused);
    /// null while it is active.
    disabled_at: Option<DateTime<Utc>>,
    /// Why it was disabled.
    disabled_reason: Option<String>,
}

impl TryFrom<person::Model> for Person {
    type Error = async_graphql::Error;
    fn try_from(p: person::Model) -> GqlResult<Self> {
        let enrolment = p.enrolment_status.as_deref();
        Ok(Person {
            kind: kinds::PersonKind::from_db(&p.kind).gql()?.into(),
            enrolment_status: enrolment
                .map(kinds::EnrolmentStatus::from_db)
                .transpose()
                .gql()?
                .map(Into::into),
            id: p.id.into(),
            subject: p.subject,
            display_name: p.display_name,
            email: p.email,
            sis_number: p.sis_number,
            leaving_date: p.leaving_date,
            created_at: p.created_at,
            disabled_at: p.disabled_at,
            disabled_reason: p.disabled_reason,
        })
    }
}

/// A staff role granted to a person; revoked grants stay on record.
#[derive(SimpleObject)]
pub struct RoleGrant {
    /// The grant's id (pass it to `revokeRole`).
    id: ID,
    /// The person holding it.
    person_id: Uuid,
    /// The role.
    role: StaffRole,
    /// When it was granted.
    granted_at: DateTime<Utc>,
    /// When it was revoked; null while in force.
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<role_grant::Model> for RoleGrant {
    type Error = async_graphql::Error;
    fn try_from(g: role_grant::Model) -> GqlResult<Self> {
        Ok(RoleGrant {
            id: g.id.into(),
            person_id: g.person_id,
            role: kinds::StaffRole::from_db(&g.role).gql()?.into(),
            granted_at: g.granted_at,
            revoked_at: g.revoked_at,
        })
    }
}

/// One entry of the append-only, hash-chained audit log (R-VIS-2): who did or
/// read what, when, and in which request — never the content itself.
#[derive(SimpleObject)]
pub struct AuditEntry {
    /// Its position in the chain (1, 2, …).
    seq: i64,
    /// When it was written.
    at: DateTime<Utc>,
    /// Who acted or read; null for the system itself.
    viewer_id: Option<Uuid>,
    /// The roles they held, e.g. `CASE_WORKER,CONDUCT_OFFICER`.
    viewer_roles: String,
    /// The mutation, or `read:<field>` for an audited read.
    operation: String,
    /// The case concerned, if any.
    case_id: Option<Uuid>,
    /// The request id, to match server logs.
    request_id: Option<String>,
    /// This entry's hash, chained to the previous one.
    hash: String,
}

impl From<audit_entry::Model> for AuditEntry {
    fn from(e: audit_entry::Model) -> Self {
        AuditEntry {
            seq: e.seq,
            at: e.at,
            viewer_id: e.viewer_id,
            viewer_roles: e.viewer_roles,
            operation: e.operation,
            case_id: e.case_id,
            request_id: e.request_id,
            hash: e.hash,
        }
    }
}

/// The result of recomputing the audit log's hash chain.
#[derive(SimpleObject)]
pub struct AuditChainReport {
    /// How many entries were checked before the first break (all, if intact).
    entries_checked: u64,
    /// The first entry whose hash or link is broken; null when the chain is intact.
    first_broken_seq: Option<i64>,
    /// What is wrong, in words: an entry missing or altered, entries cut from
    /// the end, or a log rewritten since this instance's last checkpoint.
    problem: Option<String>,
}

/// The institution policy in force (docs/policy.md).
#[derive(SimpleObject)]
pub struct PolicyInfo {
    /// The policy's version; each case records the version it follows.
    version: String,
    /// The institution it is for.
    institution: String,
    /// The whole policy as canonical JSON (see docs/policy.md for each key).
    content: String,
}

impl Listed for Person {
    const CONNECTION: &'static str = "PersonConnection";
    const EDGE: &'static str = "PersonEdge";
}

impl Listed for RoleGrant {
    const CONNECTION: &'static str = "RoleGrantConnection";
    const EDGE: &'static str = "RoleGrantEdge";
}

/// A refusal of something that exists (FORBIDDEN, or NOT_FOUND for a thing
/// the person may not know of), kept so that probing can be seen.
#[derive(SimpleObject)]
pub struct SecurityEvent {
    /// When it happened.
    at: DateTime<Utc>,
    /// The signed-in person refused.
    viewer_id: Uuid,
    /// The request id, to match server logs.
    request_id: Option<String>,
    /// `FORBIDDEN` or `NOT_FOUND`.
    code: String,
    /// What was refused: the kind of thing hidden, or the refusal's message.
    detail: String,
    /// The case concerned, where known.
    case_id: Option<Uuid>,
    /// Refusals of this person not written since their previous entry (each
    /// person has at most 20 entries written at once, then one per 30 s).
    suppressed_before: i64,
}

impl From<security_event::Model> for SecurityEvent {
    fn from(e: security_event::Model) -> Self {
        SecurityEvent {
            at: e.at,
            viewer_id: e.viewer_id,
            request_id: e.request_id,
            code: e.code,
            detail: e.detail,
            case_id: e.case_id,
            suppressed_before: e.suppressed_before,
        }
    }
}

impl Listed for SecurityEvent {
    const CONNECTION: &'static str = "SecurityEventConnection";
    const EDGE: &'static str = "SecurityEventEdge";
}

impl Listed for AuditEntry {
    const CONNECTION: &'static str = "AuditEntryConnection";
    const EDGE: &'static str = "AuditEntryEdge";
}

#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// People registered with the service, newest first (ADMIN).
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> GqlResult<Connection<Person>> {
        let page = pagination::page(first, after.as_deref()).gql()?;
        let rows = people::list(ctx.viewer()?, &ctx.state().db, &page)
            .await
            .gql()?;
        let people: Vec<(crate::domain::page::Position, Person)> = rows
            .into_iter()
            .map(|p| Ok((people::position(&p), Person::try_from(p)?)))
            .collect::<GqlResult<_>>()?;
        Ok(pagination::connection(people, &page, |p| p.0, |p| p.1))
    }

    /// A person's role grants, revoked ones included, newest first (ADMIN).
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn role_grants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person.")] person_id: Uuid,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> GqlResult<Connection<RoleGrant>> {
        let page = pagination::page(first, after.as_deref()).gql()?;
        let rows = people::grants_of(ctx.viewer()?, &ctx.state().db, person_id, &page)
            .await
            .gql()?;
        let grants: Vec<(crate::domain::page::Position, RoleGrant)> = rows
            .into_iter()
            .map(|g| Ok((people::grant_position(&g), RoleGrant::try_from(g)?)))
            .collect::<GqlResult<_>>()?;
        Ok(pagination::connection(grants, &page, |g| g.0, |g| g.1))
    }

    /// The audit log, newest first, optionally one case's entries (ADMIN).
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only this case's entries.")] case_id: Option<Uuid>,
    ) -> GqlResult<Connection<AuditEntry>> {
        let page = pagination::page(first, after.as_deref()).gql()?;
        let rows = audit::entries(ctx.viewer()?, &ctx.state().db, case_id, &page)
            .await
            .gql()?;
        Ok(pagination::connection(
            rows,
            &page,
            audit::position,
            AuditEntry::from,
        ))
    }

    /// Refusals of things that exist, newest first, optionally one person's
    /// (ADMIN): who was told FORBIDDEN, or NOT_FOUND for something that exists.
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn security_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only this person's refusals.")] person_id: Option<Uuid>,
    ) -> GqlResult<Connection<SecurityEvent>> {
        let page = pagination::page(first, after.as_deref()).gql()?;
        let rows = security_log::entries(ctx.viewer()?, &ctx.state().db, person_id, &page)
            .await
            .gql()?;
        Ok(pagination::connection(
            rows,
            &page,
            security_log::position,
            SecurityEvent::from,
        ))
    }

    /// Recomputes the audit log's hash chain and names the first broken entry (ADMIN).
    #[graphql(complexity = "crate::graphql::cost::AUDIT_CHAIN + child_complexity")]
    async fn verify_audit_chain(&self, ctx: &Context<'_>) -> GqlResult<AuditChainReport> {
        let checkpoint = crate::domain::audit_checkpoint::latest_in(&ctx.state().audit_checkpoints)
            .map_err(|e| to_gql(Error::Internal(e.into())))?;
        let report = audit::verify_for(ctx.viewer()?, &ctx.state().db, checkpoint.as_ref())
            .await
            .gql()?;
        Ok(AuditChainReport {
            entries_checked: report.entries_checked,
            first_broken_seq: report.first_broken,
            problem: report.problem,
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

/// A person to register.
#[derive(InputObject)]
pub struct CreatePersonInput {
    /// The identity provider's subject (`sub`) they will sign in as.
    subject: String,
    /// Student, staff or visitor.
    kind: PersonKind,
    /// Their name.
    display_name: String,
    /// Their e-mail address, for letters.
    email: Option<String>,
    /// Their telephone number.
    phone: Option<String>,
    /// A student's SIS number (students are usually registered by the SIS sync).
    sis_number: Option<String>,
    /// A student's enrolment.
    enrolment_status: Option<EnrolmentStatus>,
    /// When a student left or graduated.
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
        #[graphql(desc = "The person.")] input: CreatePersonInput,
    ) -> GqlResult<Person> {
        let person = NewPerson {
            subject: input.subject,
            kind: input.kind.into(),
            display_name: input.display_name,
            email: input.email,
            phone: input.phone,
            sis_number: input.sis_number,
            enrolment_status: input.enrolment_status.map(Into::into),
            leaving_date: input.leaving_date,
        };
        let row = in_tx(ctx, async |viewer, tx| {
            people::create_person(viewer, tx, person).await
        })
        .await?;
        row.try_into()
    }

    /// Sets or changes the identity a person signs in with: the value of the
    /// configured identity claim, e.g. the Entra object id (ADMIN; the change
    /// is logged with who made it).
    async fn set_sign_in_identity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person.")] person_id: Uuid,
        #[graphql(desc = "Their identity claim's value, e.g. an Entra object id.")] subject: String,
    ) -> GqlResult<Person> {
        let row = in_tx(ctx, async |viewer, tx| {
            people::set_sign_in_identity(viewer, tx, person_id, &subject).await
        })
        .await?;
        row.try_into()
    }

    /// Disables a person's account (ADMIN): from their next request their
    /// tokens are refused with UNAUTHENTICATED, and their open subscriptions
    /// end. Not your own account. Logged with who did it.
    async fn disable_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person.")] person_id: Uuid,
        #[graphql(desc = "Why, for the record (e.g. left the university).")] reason: String,
    ) -> GqlResult<Person> {
        let row = in_tx(ctx, async |viewer, tx| {
            people::disable(viewer, tx, person_id, &reason).await
        })
        .await?;
        row.try_into()
    }

    /// Enables a disabled account again (ADMIN): their tokens work from their
    /// next request, with the roles they hold.
    async fn enable_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person.")] person_id: Uuid,
    ) -> GqlResult<Person> {
        let row = in_tx(ctx, async |viewer, tx| {
            people::enable(viewer, tx, person_id).await
        })
        .await?;
        row.try_into()
    }

    /// Moves one open case to the policy version now in force (ADMIN): from
    /// now on its rules read that version; deadlines already set keep their
    /// dates. Recorded on the case's timeline (POLICY_VERSION_CHANGED).
    async fn move_case_to_current_policy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<crate::graphql::case::CasePayload> {
        let policies = ctx.state().policies.clone();
        in_tx(ctx, async |viewer, tx| {
            crate::domain::policy_move::move_to_current(
                viewer,
                tx,
                &policies,
                case_id,
                expected_version,
            )
            .await
        })
        .await?;
        crate::graphql::case::payload(ctx, case_id).await
    }

    /// Grants a staff role (ADMIN); it takes effect on the person's next request.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person.")] person_id: Uuid,
        #[graphql(desc = "The role to grant.")] role: StaffRole,
    ) -> GqlResult<RoleGrant> {
        let grant = in_tx(ctx, async |viewer, tx| {
            people::grant_role(viewer, tx, person_id, role.into()).await
        })
        .await?;
        grant.try_into()
    }

    /// Revokes a role grant (ADMIN): everything the role allowed ends at once;
    /// the grant stays on record.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The grant to revoke.")] grant_id: Uuid,
    ) -> GqlResult<RoleGrant> {
        let grant = in_tx(ctx, async |viewer, tx| {
            people::revoke_role(viewer, tx, grant_id).await
        })
        .await?;
        grant.try_into()
    }
}
