//! Logging and metrics. Spans and events carry ids, never real addresses,
//! bodies or tokens; metric labels carry only words from closed sets.

pub mod metrics;
pub mod prometheus;

pub use metrics::{AttemptResult, Metrics};

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::LogFormat;

/// Installs the global subscriber once; later calls are no-ops (tests call it per app).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,lettre=warn"));
    // The DNS client logs the names it looks up, and SPF macros can put a
    // sender's local part into them: whatever RUST_LOG says, it stays quiet.
    let filter = [
        "hickory_proto",
        "hickory_resolver",
        "hickory_net",
        "mail_auth",
    ]
    .iter()
    .filter_map(|target| format!("{target}=warn").parse().ok())
    .fold(filter, EnvFilter::add_directive);
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .with_current_span(false)
                    .with_writer(std::io::stderr),
            )
            .try_init(),
        LogFormat::Text => registry
            .with(fmt::layer().with_writer(std::io::stderr))
            .try_init(),
    };
}
