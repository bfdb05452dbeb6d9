//! Database connection: SQLite (embedded default, WAL, foreign keys on) or
//! PostgreSQL, chosen by URL; migrations run at start-up.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::config::Config;

/// How long a request may wait for a PostgreSQL connection.
pub const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

/// A pooled PostgreSQL connection idle at least this long is pinged before use.
pub const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create data directory {}: {e}",
                config.data_dir.display()
            )
        })?;
    }
    let mut options = ConnectOptions::new(config.database_url.clone());
    // No SQL text in logs or spans: statements never reach telemetry.
    options.sqlx_logging(false).record_stmt_in_spans(false);
    if config.is_sqlite() {
        // All connections open at start-up: a connection opened lazily inside a
        // request would keep that request's trace span alive for its lifetime.
        options
            .max_connections(4)
            .min_connections(4)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .create_if_missing(true)
            })
            // SQLite is never "down"; waits are for its single writer.
            .acquire_timeout(Duration::from_secs(10))
            // A file cannot hang up: no ping (a hop to the connection's
            // thread) before each statement.
            .test_before_acquire(false);
    } else {
        // A request waits at most this long for a connection: when PostgreSQL
        // is down the caller hears UNAVAILABLE (503) in seconds, not after a
        // long stall, and a pool that is merely busy clears well within it.
        options
            .max_connections(16)
            .min_connections(1)
            .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
            // By default every checkout pings first: a hidden round trip per
            // statement (issue 16), which the statement log does not show. A
            // connection that sat idle may have been dropped by the server or
            // a firewall, so only those are pinged; one in use a moment ago is
            // handed out as it is (HikariCP's bypass window does the same).
            .test_before_acquire_if_idle_for(PING_WHEN_IDLE_FOR);
    }
    Database::connect(options)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"))
}
