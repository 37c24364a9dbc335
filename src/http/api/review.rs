//! The staff review queue: held messages, released or rejected.

use axum::extract::{Path, Query, State, rejection::QueryRejection};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    messages::{StaffMessageView, staff_view, staff_views},
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
    store::Cursor,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(decide))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct QueuePage {
    /// The `next` of an earlier answer: the held messages after it.
    after: Option<String>,
    /// At most this many messages: 1 to 200, 50 by default.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// A page of the review queue.
#[derive(Serialize, ToSchema)]
struct HeldList {
    /// Held messages, oldest first.
    messages: Vec<StaffMessageView>,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// Messages held for review, oldest first
///
/// A page at a time (keyset: `next` is where this page ended). Roles:
/// staff. Each message read is audited.
#[utoipa::path(
    get,
    path = "/api/v1/review",
    tag = "review",
    security(("bearer" = [])),
    params(QueuePage),
    responses(
        (status = 200, description = "The held messages", body = HeldList),
        (status = 400, description = "`invalid_query`: an unknown or mistyped parameter, or a cursor this service did not give", body = super::openapi::Error),
    )
)]
async fn queue(
    Staff(staff): Staff,
    State(state): State<AppState>,
    page: Result<Query<QueuePage>, QueryRejection>,
) -> Result<AppJson<HeldList>, ApiError> {
    let Query(page) = page.map_err(ApiError::bad_query)?;
    let after = ApiError::after(page.after.as_deref(), Cursor::parse)?;
    let limit = page.limit.unwrap_or(50).clamp(1, 200);
    let held = state
        .store
        .messages()
        .held_page(after, i64::from(limit))
        .await?;
    Ok(AppJson(HeldList {
        messages: staff_views(&state, staff, &held.rows, "api.review_queue").await?,
        next: held.next.map(|c| c.encode()),
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
