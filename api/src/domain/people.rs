//! People and staff role grants. Administrators manage them; they see no case content.

use chrono::{NaiveDate, Utc};
use entity::{person, role_grant};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::audit::{self, AuditRecord};
use crate::domain::kinds::{EnrolmentStatus, PersonKind, StaffRole};
use crate::domain::page::{Key, KeyKind, Order, Page, Position};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub subject: String,
    pub kind: PersonKind,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub sis_number: Option<String>,
    pub enrolment_status: Option<EnrolmentStatus>,
    pub leaving_date: Option<NaiveDate>,
}

pub fn validate(input: &NewPerson) -> Result<()> {
    if input.subject.trim().is_empty() || input.subject.len() > 200 {
        return Err(Error::validation(
            "subject",
            "The identity-provider subject must be 1 to 200 characters.",
        ));
    }
    if input.display_name.trim().is_empty() {
        return Err(Error::validation(
            "displayName",
            "A display name is required.",
        ));
    }
    if let Some(email) = &input.email
        && !email.contains('@')
    {
        return Err(Error::validation("email", "This is not an email address."));
    }
    if input.kind == PersonKind::Student && input.sis_number.is_none() {
        return Err(Error::validation(
            "sisNumber",
            "Students need their SIS student number.",
        ));
    }
    if input.kind != PersonKind::Student
        && (input.sis_number.is_some() || input.enrolment_status.is_some())
    {
        return Err(Error::validation(
            "sisNumber",
            "Only students have a SIS number and enrolment status.",
        ));
    }
    Ok(())
}

/// Inserts a person without an audit entry; used by `create_person` and demo data.
pub async fn insert(db: &impl ConnectionTrait, input: NewPerson) -> Result<person::Model> {
    validate(&input)?;
    let now = Utc::now();
    Ok(person::ActiveModel {
        id: Set(Uuid::now_v7()),
        subject: Set(input.subject.trim().into()),
        kind: Set(input.kind.as_str().into()),
        display_name: Set(input.display_name.trim().into()),
        email: Set(input.email),
        phone: Set(input.phone),
        sis_number: Set(input.sis_number),
        enrolment_status: Set(input.enrolment_status.map(|s| s.as_str().to_string())),
        leaving_date: Set(input.leaving_date),
        programme: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        disabled_at: Set(None),
        disabled_reason: Set(None),
    }
    .insert(db)
    .await?)
}

pub async fn create_person(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    input: NewPerson,
) -> Result<person::Model> {
    access::roles::can_administer(viewer, "register people")?;
    let person = insert(db, input).await?;
    audit::append(
        db,
        Some(viewer),
        &[AuditRecord {
            operation: "createPerson".into(),
            case_id: None,
            detail: Some(person.id.to_string()),
        }],
    )
    .await?;
    Ok(person)
}

/// Sets or changes the identity a person signs in with — the value of the
/// configured identity claim (ADMIN; audited by person, without the
/// identifiers themselves). Unique across people.
pub async fn set_sign_in_identity(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    person_id: Uuid,
    subject: &str,
) -> Result<person::Model> {
    access::roles::can_administer(viewer, "change how people sign in")?;
    let subject = subject.trim();
    if subject.is_empty() || subject.len() > 255 {
        return Err(Error::validation(
            "subject",
            "Give the sign-in identity (e.g. the Entra object id), 1 to 255 characters.",
        ));
    }
    let person = find(db, person_id).await?;
    let taken = person::Entity::find()
        .filter(person::Column::Subject.eq(subject))
        .filter(person::Column::Id.ne(person_id))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(Error::Conflict(
            "Another person already signs in with this identity.".into(),
        ));
    }
    let mut row: person::ActiveModel = person.into();
    row.subject = Set(subject.into());
    row.updated_at = Set(viewer.now.at());
    let person = row.update(db).await?;
    record(db, viewer, "setSignInIdentity", person.id).await?;
    Ok(person)
}

/// Grants a role; without an audit entry (demo data and first-admin bootstrap).
pub async fn insert_grant(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    role: StaffRole,
    by: Option<Uuid>,
) -> Result<role_grant::Model> {
    let person = find(db, person_id).await?;
    if person.kind != PersonKind::Staff.as_str() {
        return Err(Error::validation(
            "personId",
            "Staff roles can only be granted to staff.",
        ));
    }
    let existing = role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person_id))
        .filter(role_grant::Column::Role.eq(role.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    if existing.is_some() {
        return Err(Error::Conflict(format!(
            "{} already holds {role}.",
            person.display_name
        )));
    }
    Ok(role_grant::ActiveModel {
        id: Set(Uuid::now_v7()),
        person_id: Set(person_id),
        role: Set(role.as_str().into()),
        granted_by: Set(by),
        granted_at: Set(Utc::now()),
        revoked_by: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?)
}

pub async fn grant_role(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    person_id: Uuid,
    role: StaffRole,
) -> Result<role_grant::Model> {
    access::roles::can_administer(viewer, "grant roles")?;
    let grant = insert_grant(db, person_id, role, Some(viewer.person_id)).await?;
    audit::append(
        db,
        Some(viewer),
        &[AuditRecord {
            operation: "grantRole".into(),
            case_id: None,
            detail: Some(format!("{person_id} {role}")),
        }],
    )
    .await?;
    Ok(grant)
}

pub async fn revoke_role(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    grant_id: Uuid,
) -> Result<role_grant::Model> {
    access::roles::can_administer(viewer, "revoke roles")?;
    let grant = role_grant::Entity::find_by_id(grant_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("role grant"))?;
    if grant.revoked_at.is_some() {
        return Err(Error::Conflict(
            "This role grant is already revoked.".into(),
        ));
    }
    access::roles::can_revoke_grant(viewer, &grant)?;
    let mut active: role_grant::ActiveModel = grant.into();
    active.revoked_at = Set(Some(Utc::now()));
    active.revoked_by = Set(Some(viewer.person_id));
    let grant = active.update(db).await?;
    audit::append(
        db,
        Some(viewer),
        &[AuditRecord {
            operation: "revokeRole".into(),
            case_id: None,
            detail: Some(grant_id.to_string()),
        }],
    )
    .await?;
    Ok(grant)
}

/// The first administrator of a new installation (the `bootstrap-admin`
/// command). Refused once any administrator exists: after that, administrators
/// grant roles through the API, where it is audited with a viewer.
pub async fn bootstrap_admin(
    db: &impl ConnectionTrait,
    subject: &str,
    display_name: &str,
    email: Option<String>,
) -> Result<person::Model> {
    let admins = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(StaffRole::Admin.as_str()))
        .filter(role_grant::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    if admins.is_some() {
        return Err(Error::Conflict(
            "An administrator already exists; grant further roles through the API.".into(),
        ));
    }
    let person = match person::Entity::find()
        .filter(person::Column::Subject.eq(subject))
        .one(db)
        .await?
    {
        Some(existing) => existing,
        None => {
            insert(
                db,
                NewPerson {
                    subject: subject.into(),
                    kind: PersonKind::Staff,
                    display_name: display_name.into(),
                    email,
                    phone: None,
                    sis_number: None,
                    enrolment_status: None,
                    leaving_date: None,
                },
            )
            .await?
        }
    };
    insert_grant(db, person.id, StaffRole::Admin, None).await?;
    audit::append(
        db,
        None,
        &[AuditRecord {
            operation: "bootstrapAdmin".into(),
            case_id: None,
            detail: Some(person.id.to_string()),
        }],
    )
    .await?;
    Ok(person)
}

/// Where a person stands in the admin list: newest registered first.
pub fn position(p: &person::Model) -> Position {
    Position::new(Key::Time(p.created_at), p.id)
}

/// One page of the people registered with the service (administrators).
pub async fn list(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    page: &Page,
) -> Result<Vec<person::Model>> {
    access::roles::can_administer(viewer, "list people")?;
    let query = page.select(
        person::Entity::find(),
        person::Column::CreatedAt,
        KeyKind::Time,
        Some(person::Column::Id),
        Order::Descending,
    )?;
    Ok(query.all(db).await?)
}

/// Where a grant stands in a person's list: newest first.
pub fn grant_position(g: &role_grant::Model) -> Position {
    Position::new(Key::Time(g.granted_at), g.id)
}

/// One page of a person's role grants, revoked ones included (administrators).
pub async fn grants_of(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    person_id: Uuid,
    page: &Page,
) -> Result<Vec<role_grant::Model>> {
    access::roles::can_administer(viewer, "see role grants")?;
    let query = role_grant::Entity::find().filter(role_grant::Column::PersonId.eq(person_id));
    let query = page.select(
        query,
        role_grant::Column::GrantedAt,
        KeyKind::Time,
        Some(role_grant::Column::Id),
        Order::Descending,
    )?;
    Ok(query.all(db).await?)
}

/// One person by id, for administrators; None for anyone else, who may not
/// look people up.
pub async fn find_for_admin(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<person::Model>> {
    if access::roles::can_administer(viewer, "look up a person").is_err() {
        return Ok(None);
    }
    Ok(person::Entity::find_by_id(id).one(db).await?)
}

/// Who signs in with a subject: their person id, whether the account is
/// disabled, and their active role grants — one statement per request, so a
/// revoked role, a disabled account or a changed sign-in identity takes
/// effect on the next request, on every instance.
pub struct SignIn {
    pub person_id: Uuid,
    pub disabled: bool,
    pub roles: Vec<String>,
}

#[derive(sea_orm::FromQueryResult)]
struct SignInRow {
    id: Uuid,
    disabled_at: Option<chrono::DateTime<Utc>>,
    role: Option<String>,
}

pub async fn sign_in(db: &impl ConnectionTrait, subject: &str) -> Result<Option<SignIn>> {
    use sea_orm::FromQueryResult;
    use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Query};
    let query = Query::select()
        .columns([
            (person::Entity, person::Column::Id),
            (person::Entity, person::Column::DisabledAt),
        ])
        .column((role_grant::Entity, role_grant::Column::Role))
        .from(person::Entity)
        .join(
            JoinType::LeftJoin,
            role_grant::Entity,
            Expr::col((role_grant::Entity, role_grant::Column::PersonId))
                .equals((person::Entity, person::Column::Id))
                .and(Expr::col((role_grant::Entity, role_grant::Column::RevokedAt)).is_null()),
        )
        .and_where(Expr::col((person::Entity, person::Column::Subject)).eq(subject))
        .to_owned();
    let rows = SignInRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    Ok(Some(SignIn {
        person_id: first.id,
        disabled: first.disabled_at.is_some(),
        roles: rows.iter().filter_map(|r| r.role.clone()).collect(),
    }))
}

/// Disables a person's account (ADMIN, issue 12): from their next request
/// their tokens are refused, and their open subscriptions end now. The
/// reason is kept; nothing else about the person changes.
pub async fn disable(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    person_id: Uuid,
    reason: &str,
) -> Result<person::Model> {
    access::roles::can_administer(viewer, "disable accounts")?;
    let reason = reason.trim();
    if reason.is_empty() || reason.len() > 1000 {
        return Err(Error::validation(
            "reason",
            "Say why the account is disabled, in 1 to 1000 characters.",
        ));
    }
    if person_id == viewer.person_id {
        return Err(Error::validation(
            "personId",
            "You cannot disable your own account; ask another administrator.",
        ));
    }
    let person = find(db, person_id).await?;
    if person.disabled_at.is_some() {
        return Err(Error::Conflict("This account is already disabled.".into()));
    }
    let mut row: person::ActiveModel = person.into();
    row.disabled_at = Set(Some(viewer.now.at()));
    row.disabled_reason = Set(Some(reason.into()));
    row.updated_at = Set(viewer.now.at());
    let person = row.update(db).await?;
    record(db, viewer, "disablePerson", person.id).await?;
    crate::events::emit(db, crate::events::Event::AccessEnded { person_id }).await?;
    Ok(person)
}

/// Enables a disabled account again (ADMIN): their tokens work from the next
/// request; roles are as they were.
pub async fn enable(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<person::Model> {
    access::roles::can_administer(viewer, "enable accounts")?;
    let person = find(db, person_id).await?;
    if person.disabled_at.is_none() {
        return Err(Error::Conflict("This account is not disabled.".into()));
    }
    let mut row: person::ActiveModel = person.into();
    row.disabled_at = Set(None);
    row.disabled_reason = Set(None);
    row.updated_at = Set(viewer.now.at());
    let person = row.update(db).await?;
    record(db, viewer, "enablePerson", person.id).await?;
    Ok(person)
}

/// Whether a person's account is disabled (for sessions that outlive a
/// request: a WebSocket checks at each new subscription).
pub async fn is_disabled(db: &impl ConnectionTrait, person_id: Uuid) -> Result<bool> {
    Ok(find(db, person_id).await?.disabled_at.is_some())
}

async fn find(db: &impl ConnectionTrait, person_id: Uuid) -> Result<person::Model> {
    person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("person"))
}

async fn record(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    operation: &str,
    person: Uuid,
) -> Result<()> {
    audit::append(
        db,
        Some(viewer),
        &[AuditRecord {
            operation: operation.into(),
            case_id: None,
            detail: Some(person.to_string()),
        }],
    )
    .await
}
