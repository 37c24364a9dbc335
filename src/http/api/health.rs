//! `GET /healthz` (liveness: the process serves and its database answers)
//! and `GET /readyz` (readiness: the store and the outbound transport both
//! answer), each check bounded in time so a probe never hangs.

use std::time::Duration;

use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::http::state::AppState;

/// The longest one check may take before it counts as failed; below the
/// usual probe timeouts (Kubernetes: 1 s default, often raised to 3-5 s).
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    status: HealthStatus,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum HealthStatus {
    Ok,
    Unavailable,
}

/// Whether the service can reach its database
///
/// No token needed; for load balancers and probes. Answers within about
/// two seconds whatever the database does.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database is not answering; `status` is `unavailable`", body = Health),
    )
)]
async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let status = check("store", state.store.ping()).await;
    (http_status(status), Json(Health { status }))
}

/// What `/readyz` found, check by check.
#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ok` when every check passed.
    status: HealthStatus,
    checks: Checks,
    /// The names of the checks that failed (`store`, `outbound`), empty when ready.
    failing: Vec<String>,
}

#[derive(Serialize, ToSchema)]
struct Checks {
    /// The database answers a query.
    store: HealthStatus,
    /// The outbox folder takes a file, or the smarthost answers a NOOP.
    outbound: HealthStatus,
}

/// Whether the service can take and deliver mail now
///
/// No token needed; for readiness probes and load balancers. Checks the
/// store and the outbound transport at once, each for at most two seconds,
/// and names what fails; the reasons go to the log only.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "The store and the outbound transport answer", body = Readiness),
        (status = 503, description = "A check failed or took too long; `failing` names it", body = Readiness),
    )
)]
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let (store, outbound) = tokio::join!(
        check("store", state.store.ping()),
        check("outbound", state.transport.check()),
    );
    let failing: Vec<String> = [("store", store), ("outbound", outbound)]
        .into_iter()
        .filter(|(_, s)| *s != HealthStatus::Ok)
        .map(|(name, _)| name.to_owned())
        .collect();
    let status = if failing.is_empty() {
        HealthStatus::Ok
    } else {
        HealthStatus::Unavailable
    };
    (
        http_status(status),
        Json(Readiness {
            status,
            checks: Checks { store, outbound },
            failing,
        }),
    )
}

/// Runs one check with the deadline; logs why it failed.
async fn check<E: std::fmt::Display>(
    name: &'static str,
    probe: impl Future<Output = Result<(), E>>,
) -> HealthStatus {
    match tokio::time::timeout(CHECK_TIMEOUT, probe).await {
        Ok(Ok(())) => HealthStatus::Ok,
        Ok(Err(e)) => {
            tracing::warn!(check = name, error = %e, "health check failed");
            HealthStatus::Unavailable
        }
        Err(_) => {
            tracing::warn!(check = name, timeout = ?CHECK_TIMEOUT, "health check timed out");
            HealthStatus::Unavailable
        }
    }
}

fn http_status(status: HealthStatus) -> StatusCode {
    match status {
        HealthStatus::Ok => StatusCode::OK,
        HealthStatus::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}
