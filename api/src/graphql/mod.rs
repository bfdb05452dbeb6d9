//! The GraphQL schema: roots merged per aggregate, limits always on.

pub mod admin;
pub mod anonymous_channel;
pub mod case;
pub mod communications;
pub mod context;
pub mod cost;
pub mod data_protection;
pub mod deadlines;
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
pub mod procedure;
pub mod query;
pub mod rate_limit;
pub mod sis;
pub mod statistics;
pub mod subscription;
pub mod transaction;
pub mod transport_guard;

use async_graphql::dataloader::DataLoader;
use async_graphql::{MergedObject, Schema};

use crate::config::{Limits, Mode, TrustedDocuments};
use async_graphql::extensions::apollo_persisted_queries::{
    ApolloPersistedQueries, LruCacheStorage,
};
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

pub fn build(
    state: AppState,
    limits: &Limits,
    mode: Mode,
    trusted_documents: Option<TrustedDocuments>,
) -> AppSchema {
    // A batch runs in a task of its own: it carries the span of the request
    // whose resolver started it, so its database spans are that request's.
    let loader = DataLoader::new(loaders::Db(state.db.clone()), |batch| {
        tokio::spawn(tracing::Instrument::in_current_span(batch))
    });
    let mut builder = Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
    .data(state)
    .data(loader)
    .data(std::sync::Arc::new(
        crate::domain::anonymous_channel::access_code::CodeGate::new(
            limits.anonymous_code_checks_per_minute,
        ),
    ))
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(limits.max_depth * 2)
    .limit_directives(limits.max_directives)
    .extension(hooks::RequestHooks {
        max_selections: limits.max_complexity,
        rate_limit: rate_limit::RateLimit::new(limits.rate_per_second, limits.rate_burst),
    });
    // Inside the document guard, which checks a document before it is kept: trusted
    // documents only when configured, Apollo's automatic persisted queries
    // otherwise.
    builder = match trusted_documents {
        Some(documents) => builder.extension(persisted::TrustedOnly(documents)),
        None => builder.extension(ApolloPersistedQueries::new(LruCacheStorage::new(
            persisted::APQ_CAPACITY,
        ))),
    };
    if mode == Mode::Production {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The schema without server state: enough to print or introspect it (the
/// development build, so introspection types are included).
pub fn unserved() -> AppSchema {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
    .finish()
}

/// The SDL exported to `schema.graphql`.
pub fn sdl() -> String {
    unserved().sdl()
}
