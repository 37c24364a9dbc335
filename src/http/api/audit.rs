//! `GET /api/v1/audit`: the append-only trail, for staff.

use axum::extract::{Query, State, rejection::QueryRejection};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::AuditEvent,
    http::{
        auth::Staff,
        error::{ApiError, AppJson},
        state::AppState,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Filter {
    /// Only events about this record (a conversation, message, seller, ...).
    subject_id: Option<String>,
    /// At most this many events: 1 to 5000, 500 by default.
    #[param(minimum = 1, maximum = 5000)]
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
struct AuditList {
    events: Vec<AuditEvent>,
}

/// Audit events, oldest first
///
/// Roles: staff.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    security(("bearer" = [])),
    params(Filter),
    responses(
        (status = 200, description = "The events", body = AuditList),
        (status = 400, description = "`invalid_query`: an unknown or mistyped query parameter", body = super::openapi::Error),
    )
)]
async fn list(
    _: Staff,
    State(state): State<AppState>,
    filter: Result<Query<Filter>, QueryRejection>,
) -> Result<AppJson<AuditList>, ApiError> {
    let Query(filter) = filter.map_err(ApiError::bad_query)?;
    let limit = filter.limit.unwrap_or(500).clamp(1, 5000);
    let events = state
        .store
        .audit()
        .audit_events(filter.subject_id.as_deref(), limit)
        .await?;
    Ok(AppJson(AuditList { events }))
}
