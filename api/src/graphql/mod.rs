//! The GraphQL schema: roots merged per aggregate, limits always on.

pub mod admin;
pub mod admission;
pub mod anonymous_channel;
pub mod case;
pub mod communications;
pub mod context;
pub mod cost;
pub mod data_protection;
pub mod deadlines;
pub mod document_cache;
pub mod document_guard;
pub mod enums;
pub mod hooks;
pub mod introspection;
pub mod letters;
pub mod loaders;
pub mod measures;
pub mod node;
pub mod notifications;
pub mod operation_span;
pub mod pagination;
pub mod persisted;
pub mod pipeline;
pub mod procedure;
pub mod query;
pub mod rate_limit;
pub mod sis;
pub mod statistics;
pub mod subscription;
pub mod transaction;
pub mod transport_guard;

use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::{MergedObject, Schema, ValidationMode};

use crate::config::{Limits, Mode, TrustedDocuments};
use context::AppState;

/// Everything you can read. What each field returns depends on who you are
/// and your relation to each case (docs/authorization.md); a case you may not
/// see behaves as if it did not exist.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    query::CaseQuery,
    deadlines::DeadlineQuery,
    notifications::NotificationQuery,
    communications::CommunicationQuery,
    letters::LetterQuery,
    statistics::StatisticsQuery,
    sis::SisQuery,
    admin::AdminQuery,
    data_protection::DataProtectionQuery,
    anonymous_channel::AnonymousChannelQuery,
    measures::MeasureQuery,
    node::NodeQuery,
);

/// Everything you can do: domain verbs, each one transaction that is refused
/// whole with a stable `extensions.code` and, where a rule applies, its id.
/// Case changes take the `expectedVersion` you read (CONFLICT when stale).
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    case::CaseMutation,
    case::SupportMutation,
    case::SupportiveMeasureMutation,
    case::CommunicationPlanMutation,
    case::PartyMutation,
    procedure::InvestigationMutation,
    procedure::DecisionMutation,
    procedure::AppealMutation,
    procedure::FitnessToStudyMutation,
    measures::MeasureMutation,
    notifications::NotificationMutation,
    communications::CommunicationMutation,
    letters::LetterMutation,
    sis::SisMutation,
    admin::AdminMutation,
    data_protection::DataProtectionMutation,
    anonymous_channel::AnonymousChannelMutation,
);

pub type AppSchema = Schema<QueryRoot, MutationRoot, subscription::SubscriptionRoot>;
type Builder =
    async_graphql::SchemaBuilder<QueryRoot, MutationRoot, subscription::SubscriptionRoot>;

/// The schemas a server answers with.
pub struct Served {
    /// Queries and mutations over HTTP (docs/operations.md, "how a request runs").
    pub http: Arc<pipeline::Pipeline>,
    /// Subscriptions over the WebSocket: the same steps, as extensions.
    pub websocket: AppSchema,
}

pub fn build(
    state: AppState,
    limits: &Limits,
    mode: Mode,
    trusted_documents: Option<TrustedDocuments>,
) -> Served {
    let rate_limit = rate_limit::RateLimit::new(limits.rate_per_second, limits.rate_burst);
    let persisted = persisted::Persisted::new(trusted_documents);
    let code_gate = Arc::new(
        crate::domain::anonymous_channel::access_code::CodeGate::new(
            limits.anonymous_code_checks_per_minute,
        ),
    );
    let websocket =
        with_state(limited(bare(), limits), &state, &code_gate).extension(hooks::RequestHooks {
            max_selections: limits.max_complexity,
            rate_limit: rate_limit.clone(),
            persisted: persisted.clone(),
        });
    let admission = limited(bare(), limits).extension(admission::Admission { rate_limit });
    // Runs only what admission let through, so it repeats none of the checks
    // (the recursion limit must match, or it would refuse what was admitted).
    let run = with_state(bare(), &state, &code_gate)
        .limit_recursive_depth(limits.max_depth * 2)
        .validation_mode(ValidationMode::Fast);
    Served {
        http: Arc::new(pipeline::Pipeline {
            guard: document_guard::DocumentGuard {
                max_selections: limits.max_complexity,
            },
            persisted,
            documents: document_cache::DocumentCache::default(),
            admission: finish(admission, mode),
            run: finish(run, mode),
        }),
        websocket: finish(websocket, mode),
    }
}

fn bare() -> Builder {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
}

/// What resolvers read: the state, a loader of their own, the code gate.
fn with_state(
    builder: Builder,
    state: &AppState,
    code_gate: &Arc<crate::domain::anonymous_channel::access_code::CodeGate>,
) -> Builder {
    // A batch runs in a task of its own: it carries the span of the request
    // whose resolver started it, so its database spans are that request's.
    let loader = DataLoader::new(loaders::Db(state.db.clone()), |batch| {
        tokio::spawn(tracing::Instrument::in_current_span(batch))
    });
    builder
        .data(state.clone())
        .data(loader)
        .data(code_gate.clone())
}

fn limited(builder: Builder, limits: &Limits) -> Builder {
    builder
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(limits.max_depth * 2)
        .limit_directives(limits.max_directives)
}

fn finish(builder: Builder, mode: Mode) -> AppSchema {
    match mode {
        Mode::Production => builder.disable_introspection().disable_suggestions(),
        Mode::Development => builder,
    }
    .finish()
}

/// The schema without server state: enough to print or introspect it (the
/// development build, so introspection types are included).
pub fn unserved() -> AppSchema {
    bare().finish()
}

/// The SDL exported to `schema.graphql`.
pub fn sdl() -> String {
    unserved().sdl()
}
