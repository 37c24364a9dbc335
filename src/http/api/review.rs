//! The staff review queue: held messages, released or rejected.

use axum::{
    Router,
    extract::{Path, State},
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    messages::{staff_view, staff_views},
    parse_id,
};
use crate::{
    domain::{MessageId, ReviewDecision},
    http::{
        auth::Staff,
        error::{ApiError, AppJson},
        state::AppState,
    },
    store::StoreError,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/review", get(queue))
        .route("/api/v1/messages/{id}/review", post(decide))
}

async fn queue(
    Staff(staff): Staff,
    State(state): State<AppState>,
) -> Result<AppJson<Value>, ApiError> {
    let held = state.store.held_messages().await?;
    Ok(AppJson(
        json!({ "messages": staff_views(&state, staff, &held, "api.review_queue").await? }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Decide {
    decision: ReviewDecision,
    note: Option<String>,
}

async fn decide(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<Decide>,
) -> Result<AppJson<Value>, ApiError> {
    let id: MessageId = parse_id(&id)?;
    let message = state
        .relay
        .review(id, body.decision, staff, body.note.as_deref())
        .await
        .map_err(|e| match e {
            StoreError::InvalidState(_) => ApiError::Conflict {
                code: "not_held",
                message: "only a held message can be released or rejected".into(),
            },
            other => other.into(),
        })?;
    Ok(AppJson(
        serde_json::to_value(staff_view(&state, &message).await?)
            .map_err(|e| ApiError::Internal(e.into()))?,
    ))
}
