//! Wiring: connect, migrate, record the policy, build the schema and serve.

use std::net::SocketAddr;
use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::auth::Authenticator;
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::graphql::context::AppState;
use crate::http::{Http, router};
use crate::{db, graphql, policy};

/// Connects, migrates and records the policy version: everything before serving.
pub async fn prepare(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let conn = db::connect(config).await?;
    db::migrate(&conn).await?;
    policy::register(&conn, &config.policy).await?;
    // The statistics tally counts every case (rebuilt when cases were loaded
    // another way, e.g. with SQL).
    let tx = crate::domain::case_store::begin(&conn).await?;
    if crate::domain::statistics::tally::ensure_built(&tx).await? {
        tracing::info!("statistics tally rebuilt from the cases");
    }
    tx.commit().await?;
    Ok(conn)
}

pub async fn app(
    config: &Config,
    conn: DatabaseConnection,
    clock: Clock,
) -> anyhow::Result<(axum::Router, AppState)> {
    let policies = Arc::new(policy::PolicyBook::load(&conn, &config.policy).await?);
    let state = AppState {
        audit: crate::domain::audit_writer::AuditWriter::spawn(conn.clone()),
        events: crate::events::EventBus::start(&conn),
        db: conn,
        policy: policies.current().clone(),
        policies,
        clock: clock.clone(),
        security: crate::domain::security_log::SecurityLog::new(),
        audit_checkpoints: Arc::new(config.audit.checkpoint_file.clone()),
    };
    let served = graphql::build(
        state.clone(),
        &config.limits,
        config.mode,
        config.trusted_documents.clone(),
    );
    let auth = Arc::new(Authenticator::new(config.auth.clone(), clock).await?);
    let router = router(
        Http {
            pipeline: served.http,
            schema: served.websocket,
            state: state.clone(),
            auth,
            max_batch: config.limits.max_batch,
            max_body_bytes: config.limits.max_body_bytes,
            introspection: (config.mode == crate::config::Mode::Development)
                .then(|| graphql::introspection::schema(config.limits.max_complexity)),
        },
        config,
    );
    Ok((router, state))
}

/// A running server; dropping the handle does not stop it, `shutdown` does.
pub struct Running {
    pub addr: SocketAddr,
    /// Where `/metrics` is served, unless metrics are off.
    pub metrics_addr: Option<SocketAddr>,
    metrics: Option<tokio::task::JoinHandle<()>>,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    delivery: Option<crate::delivery::Worker>,
    checkpoints: crate::audit_checkpoints::Checkpointer,
    retention: Option<tokio::task::JoinHandle<()>>,
    events: crate::events::EventBus,
}

impl Running {
    /// Live updates of this instance (readiness, subscription count).
    pub fn events(&self) -> &crate::events::EventBus {
        &self.events
    }

    /// The delivery worker's finished passes, if this instance runs one.
    pub fn delivery_passes(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        self.delivery.as_ref().map(|w| w.passes.clone())
    }

    pub async fn shutdown(self) {
        // The server may already have stopped on its own; then nobody listens.
        if self.stop.send(()).is_err() {
            tracing::debug!("server already stopped");
        }
        match self.task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "the server stopped with an error"),
            Err(e) => tracing::warn!(error = %e, "the server task ended abnormally"),
        }
        if let Some(worker) = self.delivery {
            worker.shutdown().await;
        }
        if let Some(retention) = self.retention {
            retention.abort();
        }
        // After the last request: the final head is checkpointed.
        self.checkpoints.shutdown().await;
        if let Some(metrics) = self.metrics {
            metrics.abort();
        }
    }
}

/// Binds and serves in the background (used by `serve` and by the e2e tests,
/// which pass a clock they can move).
pub async fn spawn(
    config: &Config,
    conn: DatabaseConnection,
    listener: TcpListener,
    clock: Clock,
) -> anyhow::Result<Running> {
    let delivery = if config.mail.deliver {
        let mailer = crate::mail::Mailer::from_config(&config.mail)?;
        Some(crate::delivery::spawn(
            conn.clone(),
            clock.clone(),
            mailer,
            std::time::Duration::from_millis(config.mail.poll_ms),
        ))
    } else {
        None
    };
    let checkpoints = crate::audit_checkpoints::spawn(
        conn.clone(),
        clock.clone(),
        config.audit.checkpoint_file.clone(),
        std::time::Duration::from_secs(config.audit.checkpoint_seconds),
    );
    let (app, state) = app(config, conn, clock).await?;
    let retention = config.retention_every_hours.map(|hours| {
        crate::retention_job::spawn(
            state.db.clone(),
            state.clock.clone(),
            state.policies.clone(),
            std::time::Duration::from_secs(hours * 3600),
        )
    });
    let events = state.events.clone();
    crate::metrics::install();
    let (metrics_addr, metrics) = match config.metrics_bind {
        None => (None, None),
        Some(bind) => {
            let listener = TcpListener::bind(bind).await.map_err(|e| {
                anyhow::anyhow!(
                    "cannot serve metrics on {bind} (MISCONDUCT_METRICS_BIND; `off` to disable): {e}"
                )
            })?;
            let addr = listener.local_addr()?;
            let router = crate::metrics::router(crate::metrics::Sources {
                db: state.db.clone(),
                clock: state.clock.clone(),
                audit: state.audit.clone(),
            });
            let task = tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, router).await {
                    tracing::warn!(error = %e, "the metrics endpoint stopped");
                }
            });
            (Some(addr), Some(task))
        }
    };

    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                // A dropped handle means nobody can stop the server any more:
                // stop now rather than run unstoppable.
                if stopped.await.is_err() {
                    tracing::warn!("the server's stop handle was dropped; stopping");
                }
            })
            .await
    });
    Ok(Running {
        addr,
        metrics_addr,
        metrics,
        stop,
        task,
        delivery,
        checkpoints,
        retention,
        events,
    })
}

/// Serves until SIGTERM or Ctrl-C, finishing in-flight requests first.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let conn = prepare(&config).await?;
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
    let running = spawn(&config, conn, listener, Clock::system()).await?;
    tracing::info!(addr = %running.addr, mode = ?config.mode, database = if config.is_sqlite() { "sqlite" } else { "postgres" }, policy = %config.policy.version, "serving");
    if config.mode == crate::config::Mode::Development {
        tracing::warn!(
            "development mode: GraphiQL at http://{}/graphiql, introspection on, self-signed tokens",
            running.addr
        );
    }
    shutdown_signal().await;
    tracing::info!("shutting down: finishing in-flight requests");
    running.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // Without a Ctrl-C handler, wait for SIGTERM alone rather than stop at once.
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
