//! Staff block or unblock a conversation and suspend or reinstate a seller.

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{conversations::ConversationView, parse_id};
use crate::{
    domain::{ConversationId, SellerId},
    http::{
        auth::Staff,
        error::{ApiError, AppJson},
        state::AppState,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(block))
        .routes(routes!(unblock))
        .routes(routes!(suspend))
        .routes(routes!(reinstate))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Moderate {
    /// Why; kept in the audit trail.
    note: Option<String>,
}

/// A seller's moderation state.
#[derive(Serialize, ToSchema)]
struct SellerState {
    #[schema(value_type = uuid::Uuid)]
    id: SellerId,
    name: String,
    suspended: bool,
}

/// Block a conversation
///
/// Roles: staff. From now on mail in the conversation, either way, is
/// acknowledged, stored `blocked` and not delivered; its sender gets a
/// notice. Audited as `conversation.blocked` with the note. Repeating the
/// current state changes nothing and records no event.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/block",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    request_body = Moderate,
    responses((status = 200, description = "The conversation, blocked", body = ConversationView))
)]
async fn block(
    staff: Staff,
    state: State<AppState>,
    id: Path<String>,
    body: AppJson<Moderate>,
) -> Result<AppJson<ConversationView>, ApiError> {
    set_blocked(staff, state, id, body, true).await
}

/// Unblock a conversation
///
/// Roles: staff. Later mail flows again; what was blocked stays blocked.
/// Audited as `conversation.unblocked`. Repeating the current state changes
/// nothing and records no event.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/unblock",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    request_body = Moderate,
    responses((status = 200, description = "The conversation, unblocked", body = ConversationView))
)]
async fn unblock(
    staff: Staff,
    state: State<AppState>,
    id: Path<String>,
    body: AppJson<Moderate>,
) -> Result<AppJson<ConversationView>, ApiError> {
    set_blocked(staff, state, id, body, false).await
}

async fn set_blocked(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<Moderate>,
    blocked: bool,
) -> Result<AppJson<ConversationView>, ApiError> {
    let id: ConversationId = parse_id(&id)?;
    let conversation = state
        .relay
        .set_conversation_blocked(id, blocked, staff, body.note.as_deref())
        .await?;
    // Staff see the buyer's name as registered.
    let buyer_name = conversation.buyer.name.clone();
    Ok(AppJson(
        ConversationView::new(&conversation, &state.settings.relay_domain, buyer_name)
            .with_bouncing(&state)
            .await?,
    ))
}

/// Suspend a seller
///
/// Roles: staff. From now on every message in the seller's conversations, by
/// API or email and in either direction, is held for review. The seller's
/// token keeps working. Audited as `seller.suspended` with the note.
/// Repeating the current state changes nothing and records no event.
#[utoipa::path(
    post,
    path = "/api/v1/sellers/{id}/suspend",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The seller's id")),
    request_body = Moderate,
    responses((status = 200, description = "The seller, suspended", body = SellerState))
)]
async fn suspend(
    staff: Staff,
    state: State<AppState>,
    id: Path<String>,
    body: AppJson<Moderate>,
) -> Result<AppJson<SellerState>, ApiError> {
    set_suspended(staff, state, id, body, true).await
}

/// Reinstate a seller
///
/// Roles: staff. Later messages are judged by the policy alone again; what
/// was held stays in the review queue. Audited as `seller.reinstated`.
/// Repeating the current state changes nothing and records no event.
#[utoipa::path(
    post,
    path = "/api/v1/sellers/{id}/reinstate",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The seller's id")),
    request_body = Moderate,
    responses((status = 200, description = "The seller, reinstated", body = SellerState))
)]
async fn reinstate(
    staff: Staff,
    state: State<AppState>,
    id: Path<String>,
    body: AppJson<Moderate>,
) -> Result<AppJson<SellerState>, ApiError> {
    set_suspended(staff, state, id, body, false).await
}

async fn set_suspended(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<Moderate>,
    suspended: bool,
) -> Result<AppJson<SellerState>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    let seller = state
        .relay
        .set_seller_suspended(id, suspended, staff, body.note.as_deref())
        .await?;
    Ok(AppJson(SellerState {
        id: seller.id,
        name: seller.name,
        suspended: seller.suspended,
    }))
}
