//! Per-request GraphQL context: the viewer, shared state, and the reads of
//! sensitive content to append to the audit log when the request completes.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use async_graphql::{Context, ErrorExtensions};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::domain::audit::AuditRecord;
use crate::domain::reporting_party_disclosures::Told;
use crate::domain::security_log::Refusal;
use crate::domain::viewer::Viewer;
use crate::error::Error;
use crate::policy::Policy;

/// Shared for the life of the server.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// The policy in force for new cases (`policies.current()`).
    pub policy: Arc<Policy>,
    /// Every policy version: a case follows the one it was opened under.
    pub policies: Arc<crate::policy::PolicyBook>,
    /// Appends audited reads in batches (R-VIS-2).
    pub audit: crate::domain::audit_writer::AuditWriter,
    /// Live updates for subscriptions.
    pub events: crate::events::EventBus,
    /// The one clock every rule reads (tests move it).
    pub clock: crate::domain::clock::Clock,
    /// Refusals of things that exist, bounded per person.
    pub security: Arc<crate::domain::security_log::SecurityLog>,
    /// Where this instance keeps checkpoints of the audit chain's head.
    pub audit_checkpoints: Arc<std::path::PathBuf>,
}

/// How a request arrived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Transport {
    /// A POST body (or a WebSocket message).
    #[default]
    Post,
    /// A GET query string, which proxies and browsers may log or keep.
    Get,
}

/// Created for each HTTP request.
#[derive(Default)]
pub struct RequestCtx {
    pub viewer: Option<Viewer>,
    pub transport: Transport,
    reads: Mutex<BTreeSet<(String, Option<Uuid>)>>,
    refusals: Mutex<Vec<Refusal>>,
    /// What a reporting party was shown of the responding party's case.
    told: Mutex<BTreeSet<Told>>,
}

tokio::task_local! {
    /// The request being executed, for [`to_gql`]: every refusal passes
    /// through it, and it notes the ones the security log keeps without each
    /// resolver having to.
    pub static CURRENT_REQUEST: Arc<RequestCtx>;
}

impl RequestCtx {
    pub fn new(viewer: Option<Viewer>) -> Self {
        RequestCtx {
            viewer,
            ..RequestCtx::default()
        }
    }

    /// The refusals of things that exist this request met.
    pub fn take_refusals(&self) -> Vec<Refusal> {
        std::mem::take(&mut *self.refusals.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn note_refusal(&self, err: &Error) {
        let refusal = match err {
            Error::Forbidden(message) => Refusal {
                code: "FORBIDDEN",
                detail: message.clone(),
                case_id: None,
            },
            Error::Concealed(thing, case_id) => Refusal {
                code: "NOT_FOUND",
                detail: format!("{thing} (exists, not theirs to see)"),
                case_id: *case_id,
            },
            _ => return,
        };
        self.refusals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(refusal);
    }

    /// What this request showed a reporting party of the other side's case.
    pub fn take_told(&self) -> Vec<Told> {
        std::mem::take(&mut *self.told.lock().unwrap_or_else(|p| p.into_inner()))
            .into_iter()
            .collect()
    }

    pub fn take_reads(&self) -> Vec<AuditRecord> {
        let reads = std::mem::take(&mut *self.reads.lock().unwrap_or_else(|p| p.into_inner()));
        reads
            .into_iter()
            .map(|(op, case)| AuditRecord::new(op, case))
            .collect()
    }
}

pub type GqlResult<T> = async_graphql::Result<T>;

/// How long a client should wait before retrying while the database is unreachable.
pub const UNAVAILABLE_RETRY_SECONDS: u64 = 5;

/// Maps a domain error to a GraphQL error with a stable `extensions.code`.
/// Internal errors are logged with a correlation id; the client sees only the id.
pub fn to_gql(err: Error) -> async_graphql::Error {
    let code = err.code();
    // Outside a request (a subscription's stream, a test) there is nothing to note.
    CURRENT_REQUEST
        .try_with(|request| request.note_refusal(&err))
        .unwrap_or(());
    let message = match &err {
        Error::Internal(inner) => {
            let reference = Uuid::new_v4();
            tracing::error!(error = format!("{inner:#}"), %reference, "internal error");
            format!(
                "Something went wrong on our side. Quote reference {reference} if you contact support."
            )
        }
        other => other.to_string(),
    };
    async_graphql::Error::new(message).extend_with(|_, ext| {
        ext.set("code", code);
        match &err {
            Error::RuleViolation { rule, .. } => ext.set("rule", *rule),
            Error::Validation { field, .. } => ext.set("field", field.as_str()),
            Error::RateLimited {
                retry_after_seconds,
            } => ext.set("retryAfterSeconds", *retry_after_seconds),
            Error::Unavailable => ext.set("retryAfterSeconds", UNAVAILABLE_RETRY_SECONDS),
            _ => {}
        }
    })
}

pub trait CtxExt {
    fn state(&self) -> &AppState;
    fn request(&self) -> &RequestCtx;
    fn viewer(&self) -> GqlResult<&Viewer>;
    fn record_read(&self, what: &str, case: Uuid);
    /// Notes a disclosure to a reporting party, written when the request ends.
    fn note_told(&self, told: Option<Told>);
}

impl CtxExt for Context<'_> {
    fn state(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn request(&self) -> &RequestCtx {
        self.data_unchecked::<std::sync::Arc<RequestCtx>>()
    }

    fn viewer(&self) -> GqlResult<&Viewer> {
        self.request().viewer.as_ref().ok_or_else(|| {
            to_gql(Error::Unauthenticated(
                "Sign in first: send a bearer token in the Authorization header.".into(),
            ))
        })
    }

    fn record_read(&self, what: &str, case: Uuid) {
        self.request()
            .reads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((format!("read:{what}"), Some(case)));
    }

    fn note_told(&self, told: Option<Told>) {
        if let Some(told) = told {
            self.request()
                .told
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(told);
        }
    }
}

/// `?` on a domain result inside a resolver.
pub trait OrGql<T> {
    fn gql(self) -> GqlResult<T>;
}

impl<T> OrGql<T> for Result<T, Error> {
    fn gql(self) -> GqlResult<T> {
        self.map_err(to_gql)
    }
}

impl<T> OrGql<T> for Result<T, sea_orm::DbErr> {
    fn gql(self) -> GqlResult<T> {
        self.map_err(|e| to_gql(e.into()))
    }
}
