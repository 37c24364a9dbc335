//! `POST /api/v1/messages/{id}/no-response` and
//! `GET /api/v1/sellers/{id}/response-time`: buyer messages marked as
//! needing no reply, and how fast a seller answers buyers
//! (`domain::response_time` has the definition).

use axum::extract::{Path, Query, State, rejection::QueryRejection};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::parse_id;
use crate::{
    domain::{
        MessageId, NoResponseMarkedBy, Principal, ResponseTime, SellerId,
        response_time::{DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS},
    },
    http::{
        auth::Auth,
        error::{ApiError, AppJson},
        state::AppState,
    },
    store::response_time::{NoResponseMark, NoResponseMarker},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mark_no_response))
        .routes(routes!(response_time))
}

/// A buyer message's "no response needed" mark.
#[derive(Serialize, ToSchema)]
pub struct NoResponseView {
    #[schema(value_type = uuid::Uuid)]
    pub message_id: MessageId,
    /// Who marked it first.
    pub marked_by: NoResponseMarkedBy,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub marked_at: OffsetDateTime,
}

impl From<NoResponseMark> for NoResponseView {
    fn from(m: NoResponseMark) -> Self {
        Self {
            message_id: m.message_id,
            marked_by: m.marked_by,
            marked_at: m.marked_at,
        }
    }
}

/// Mark a buyer message as needing no response
///
/// The message leaves the seller's response time (it counts as
/// `excluded`). A message is marked once; marking it again answers with
/// the first mark. Audited as `message.no_response_needed`. Roles: the
/// seller (buyer messages of their own conversations that reached them),
/// operator.
#[utoipa::path(
    post,
    path = "/api/v1/messages/{id}/no-response",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The buyer message's id")),
    responses(
        (status = 200, description = "The mark", body = NoResponseView),
        (status = 409, description = "`invalid_state`: the message is the seller's, not the buyer's", body = super::openapi::Error),
    )
)]
async fn mark_no_response(
    Auth(principal): Auth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<NoResponseView>, ApiError> {
    let by = match principal {
        Principal::Seller(seller) => NoResponseMarker::Seller(seller),
        Principal::Operator => NoResponseMarker::Operator,
        Principal::Staff(_) => return Err(ApiError::Forbidden),
    };
    let id: MessageId = parse_id(&id)?;
    let (mark, _) = state.relay.mark_no_response(by, id).await?;
    Ok(AppJson(mark.into()))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Window {
    /// The buyer messages that arrived in the last this many days: 1 to
    /// 365, 30 by default.
    #[param(minimum = 1, maximum = 365)]
    window_days: Option<u32>,
}

/// A seller's response time over a window of days.
#[derive(Serialize, ToSchema)]
pub struct ResponseTimeView {
    #[schema(value_type = uuid::Uuid)]
    pub seller_id: SellerId,
    /// `answered within 24 h / buyer_messages`, from 0 to 1; null when no
    /// buyer message was due.
    pub answered_within_24h_share: Option<f64>,
    /// The median time from a buyer message to the seller's answer, in
    /// whole seconds, over the answered ones; null when none was answered.
    pub median_first_response_seconds: Option<i64>,
    /// Buyer messages of the window that are due: answered, or unanswered
    /// for 24 hours. Marked ones are left out.
    pub buyer_messages: u64,
    /// Of those, answered (within 24 h or later).
    pub answered: u64,
    /// Buyer messages of the window marked "no response needed".
    pub excluded: u64,
    pub window_days: u32,
}

impl ResponseTimeView {
    pub fn new(seller_id: SellerId, r: &ResponseTime) -> Self {
        Self {
            seller_id,
            answered_within_24h_share: r.answered_within_24h_share(),
            median_first_response_seconds: r.median_first_response_seconds(),
            buyer_messages: r.buyer_messages,
            answered: r.answered,
            excluded: r.excluded,
            window_days: r.window_days,
        }
    }
}

/// A seller's response time
///
/// Of the buyer messages that arrived in the window: the share answered
/// within 24 hours and the median time to the first answer. A buyer
/// message (or each of a run of them) is answered by the seller's next
/// message in the conversation that was not blocked or rejected; it counts
/// once it was answered or 24 hours passed. Buyer mail moderation held,
/// blocked or rejected, and automatic mail, does not count; messages marked
/// "no response needed" are counted as `excluded` only. Roles: operator,
/// staff, the seller (their own only).
#[utoipa::path(
    get,
    path = "/api/v1/sellers/{id}/response-time",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The seller's id"), Window),
    responses(
        (status = 200, description = "The seller's response time", body = ResponseTimeView),
        (status = 400, description = "`invalid_window`: `window_days` outside 1 to 365, or `invalid_query`", body = super::openapi::Error),
    )
)]
async fn response_time(
    Auth(principal): Auth,
    State(state): State<AppState>,
    Path(id): Path<String>,
    window: Result<Query<Window>, QueryRejection>,
) -> Result<AppJson<ResponseTimeView>, ApiError> {
    let seller: SellerId = parse_id(&id)?;
    // Another seller's figures look exactly like a missing seller's.
    if matches!(principal, Principal::Seller(me) if me != seller) {
        return Err(ApiError::NotFound("no such seller"));
    }
    let Query(window) = window.map_err(ApiError::bad_query)?;
    let days = window.window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
    if !(1..=MAX_WINDOW_DAYS).contains(&days) {
        return Err(ApiError::invalid(
            "invalid_window",
            format!("window_days must be 1 to {MAX_WINDOW_DAYS}"),
        ));
    }
    let measured = state.relay.response_time(seller, days).await?;
    Ok(AppJson(ResponseTimeView::new(seller, &measured)))
}
