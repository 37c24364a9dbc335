//! `GET /api/v1/audit`: the append-only trail, for staff.

use axum::{
    Router,
    extract::{Query, State, rejection::QueryRejection},
    routing::get,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http::{
    auth::Staff,
    error::{ApiError, AppJson},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/audit", get(list))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Filter {
    subject_id: Option<String>,
    limit: Option<i64>,
}

async fn list(
    Staff(_): Staff,
    State(state): State<AppState>,
    filter: Result<Query<Filter>, QueryRejection>,
) -> Result<AppJson<Value>, ApiError> {
    let Query(filter) = filter.map_err(|e| ApiError::invalid("invalid_query", e.body_text()))?;
    let limit = filter.limit.unwrap_or(500).clamp(1, 5000);
    let events = state
        .store
        .audit_events(filter.subject_id.as_deref(), limit)
        .await?;
    Ok(AppJson(json!({ "events": events })))
}
