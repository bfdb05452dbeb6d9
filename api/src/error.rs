//! The one error type of the API. Each variant has a stable `extensions.code`
//! (mapped in `graphql::errors`); messages are written for the person using a portal.

use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No token, or a token that failed validation.
    #[error("{0}")]
    Unauthenticated(String),
    /// Does not exist (DOMAIN §3).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Exists, but the viewer may not know it does (DOMAIN §3): answered
    /// exactly as `NotFound`, and recorded in the security log as a refusal.
    /// The case, where the refusal concerns one.
    #[error("{0} not found")]
    Concealed(&'static str, Option<uuid::Uuid>),
    /// The viewer can already know the thing exists but lacks the role to do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{message}")]
    Validation { field: String, message: String },
    /// The procedure does not allow this; `rule` is a DOMAIN.md rule id.
    #[error("{message} ({rule})")]
    RuleViolation { rule: &'static str, message: String },
    /// Someone else changed the record first (stale version) or a uniqueness clash.
    #[error("{0}")]
    Conflict(String),
    /// The document asks for more work than one request may (QUERY_TOO_COMPLEX).
    #[error("{0}")]
    TooComplex(String),
    /// The viewer has used up their share of the server for now; they may
    /// try again after the given number of seconds.
    #[error(
        "You are sending more requests than this service allows; try again in {retry_after_seconds} seconds."
    )]
    RateLimited { retry_after_seconds: u64 },
    /// The database cannot be reached; nothing was done, and the same request
    /// may be sent again shortly.
    #[error(
        "The service cannot reach its database just now. Nothing was changed; try again in a few seconds."
    )]
    Unavailable,
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A disabled account's token (issue 12): over HTTP and over a WebSocket alike.
    pub fn account_disabled() -> Self {
        Error::Unauthenticated("Your account has been disabled. Contact the administrator.".into())
    }

    pub fn rule(rule: &'static str, message: impl Into<String>) -> Self {
        Error::RuleViolation {
            rule,
            message: message.into(),
        }
    }

    pub fn stale() -> Self {
        Error::Conflict(
            "This case was changed by someone else since you loaded it. Reload it and try again."
                .into(),
        )
    }

    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated(_) => "UNAUTHENTICATED",
            Error::NotFound(_) | Error::Concealed(..) => "NOT_FOUND",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::Validation { .. } => "VALIDATION",
            Error::RuleViolation { .. } => "RULE_VIOLATION",
            Error::Conflict(_) => "CONFLICT",
            Error::TooComplex(_) => "QUERY_TOO_COMPLEX",
            Error::RateLimited { .. } => "RATE_LIMITED",
            Error::Unavailable => "UNAVAILABLE",
            Error::Internal(_) => "INTERNAL",
        }
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if unreachable(&err) {
            tracing::warn!(error = %err, "database unreachable");
            return Error::Unavailable;
        }
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Error::Conflict("A record with these details already exists.".into())
            }
            _ => Error::Internal(anyhow::Error::new(err)),
        }
    }
}

/// Whether the database could not be reached at all (no connection within
/// the acquire timeout, or the connection broke), as opposed to refusing a
/// statement: only then is the same request worth sending again.
fn unreachable(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    match err {
        // No connection could be had or made: whatever went wrong on the way
        // (refused, reset, a half-answered handshake), nothing was done.
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => matches!(
            e.as_ref(),
            Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed
        ),
        _ => false,
    }
}
