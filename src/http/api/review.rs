//! The staff review queue: held messages, released or rejected.

use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    messages::{StaffMessageList, StaffMessageView, staff_view, staff_views},
    parse_id,
};
use crate::{
    domain::{MessageId, ReviewDecision},
    http::{
        auth::Staff,
        error::{ApiError, AppJson},
        state::AppState,
    },
    relay::RelayError,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(decide))
}

/// Messages held for review, oldest first
///
/// Roles: staff. Each message read is audited.
#[utoipa::path(
    get,
    path = "/api/v1/review",
    tag = "review",
    security(("bearer" = [])),
    responses((status = 200, description = "The held messages", body = StaffMessageList))
)]
async fn queue(
    Staff(staff): Staff,
    State(state): State<AppState>,
) -> Result<AppJson<StaffMessageList>, ApiError> {
    let held = state.store.messages().held_messages().await?;
    Ok(AppJson(StaffMessageList {
        messages: staff_views(&state, staff, &held, "api.review_queue").await?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Review)]
struct Decide {
    decision: ReviewDecision,
    /// Kept in the audit trail.
    note: Option<String>,
}

/// Release or reject a held message
///
/// Roles: staff. Released messages are delivered; the sender of a rejected
/// one gets a notice. Audited with the note.
#[utoipa::path(
    post,
    path = "/api/v1/messages/{id}/review",
    tag = "review",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The message's id")),
    request_body = Decide,
    responses(
        (status = 200, description = "The decided message", body = StaffMessageView),
        (status = 409, description = "`not_held`: only a held message can be released or rejected", body = super::openapi::Error),
    )
)]
async fn decide(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<Decide>,
) -> Result<AppJson<StaffMessageView>, ApiError> {
    let id: MessageId = parse_id(&id)?;
    let message = state
        .relay
        .review(id, body.decision, staff, body.note.as_deref())
        .await
        .map_err(|e| match e {
            RelayError::InvalidState(_) => ApiError::Conflict {
                code: "not_held",
                message: "only a held message can be released or rejected".into(),
            },
            other => other.into(),
        })?;
    Ok(AppJson(staff_view(&state, &message).await?))
}
