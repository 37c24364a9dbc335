//! `GET /metrics` in the Prometheus text format, and the middleware that
//! counts every HTTP request by route pattern and status.

use std::sync::Arc;

use axum::{
    extract::{MatchedPath, Request, State},
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};
use time::OffsetDateTime;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::health::CHECK_TIMEOUT;
use crate::{
    http::{auth::MetricsReader, state::AppState},
    telemetry::{Metrics, prometheus::CONTENT_TYPE},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(metrics))
}

/// Counters and queue depths for Prometheus
///
/// Roles: operator, or the scrape token from `MARKETRELAY_METRICS_TOKEN`.
/// Counters are this process's since it started; queue depths and ages
/// are read from the database at each scrape, so every process sharing it
/// reports the same. When the database does not answer within two seconds
/// the counters still come, with `marketrelay_store_up 0` and no queue
/// gauges. The families are listed in `docs/reliability.md`.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Prometheus text format 0.0.4", body = String, content_type = "text/plain; version=0.0.4; charset=utf-8"),
    )
)]
async fn metrics(_: MetricsReader, State(state): State<AppState>) -> Response {
    let queues =
        match tokio::time::timeout(CHECK_TIMEOUT, state.store.stats().queue_summary()).await {
            Ok(Ok(queues)) => Some(queues),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "metrics: cannot read the queues");
                None
            }
            Err(_) => {
                tracing::warn!("metrics: the queue read timed out");
                None
            }
        };
    let text = state
        .metrics
        .render(queues.as_ref(), OffsetDateTime::now_utc());
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response()
}

/// Counts a request once its answer is known, under the route pattern it
/// matched (never the path itself, which holds ids and tokens).
pub async fn count_requests(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let response = next.run(request).await;
    metrics.http_request(
        method.as_str(),
        route.as_deref(),
        response.status().as_u16(),
    );
    response
}
