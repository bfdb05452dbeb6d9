//! The one error type of the API. Each variant has a stable `extensions.code`
//! (mapped in `graphql::errors`); messages are written for the person using a portal.

use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No token, or a token that failed validation.
    #[error("{0}")]
    Unauthenticated(String),
    /// Does not exist, or the viewer may not know it exists (DOMAIN §3).
    #[error("{0} not found")]
    NotFound(&'static str),
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
            Error::NotFound(_) => "NOT_FOUND",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::Validation { .. } => "VALIDATION",
            Error::RuleViolation { .. } => "RULE_VIOLATION",
            Error::Conflict(_) => "CONFLICT",
            Error::Internal(_) => "INTERNAL",
        }
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Error::Conflict("A record with these details already exists.".into())
            }
            _ => Error::Internal(anyhow::Error::new(err)),
        }
    }
}
