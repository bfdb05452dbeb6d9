//! Structured logs via `tracing`, and traces exported over OTLP/HTTP when the
//! standard `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Spans carry method, path,
//! request id, GraphQL operation name and database operation — never query
//! strings, GraphQL documents or variables, statements, tokens or personal data.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;

/// Keeps the exporter alive; dropping it flushes and shuts the exporter down.
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(e) = provider.shutdown()
        {
            // The subscriber may already be gone: say it on standard error.
            eprintln!("OTLP exporter did not shut down cleanly: {e}");
        }
    }
}

/// An OTLP/HTTP exporter to `endpoint` (None: from `OTEL_EXPORTER_OTLP_ENDPOINT`).
pub fn provider(endpoint: Option<&str>) -> Result<SdkTracerProvider, String> {
    use opentelemetry_otlp::WithExportConfig;
    let builder = opentelemetry_otlp::SpanExporter::builder().with_http();
    let builder = match endpoint {
        Some(e) => builder.with_endpoint(format!("{}/v1/traces", e.trim_end_matches('/'))),
        None => builder,
    };
    let exporter = builder.build().map_err(|e| e.to_string())?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name("misconduct-api")
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}

/// The subscriber the server runs with: logs, plus trace export when a provider is given.
pub fn subscriber(
    provider: Option<&SdkTracerProvider>,
    json: bool,
) -> Box<dyn Subscriber + Send + Sync> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=info"));
    let otel =
        provider.map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer("misconduct-api")));
    let base = tracing_subscriber::registry().with(otel).with(filter);
    if json {
        Box::new(base.with(tracing_subscriber::fmt::layer().json()))
    } else {
        Box::new(base.with(tracing_subscriber::fmt::layer()))
    }
}

pub fn init(json: bool) -> Telemetry {
    let provider = std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
        .and_then(|_| {
            provider(None)
                .map_err(|e| eprintln!("OTLP exporter not started: {e}"))
                .ok()
        });
    if tracing::subscriber::set_global_default(subscriber(provider.as_ref(), json)).is_err() {
        eprintln!("logging was already set up; keeping it");
    }
    Telemetry { provider }
}
