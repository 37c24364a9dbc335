//! Staff block or unblock a conversation and suspend or reinstate a seller.

use axum::{
    Router,
    extract::{Path, State},
    routing::post,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{conversations::ConversationView, parse_id};
use crate::{
    domain::{ConversationId, SellerId},
    http::{
        auth::Staff,
        error::{ApiError, AppJson},
        state::AppState,
    },
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/conversations/{id}/block", post(block))
        .route("/api/v1/conversations/{id}/unblock", post(unblock))
        .route("/api/v1/sellers/{id}/suspend", post(suspend))
        .route("/api/v1/sellers/{id}/reinstate", post(reinstate))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Moderate {
    note: Option<String>,
}

async fn block(
    staff: Staff,
    state: State<AppState>,
    id: Path<String>,
    body: AppJson<Moderate>,
) -> Result<AppJson<ConversationView>, ApiError> {
    set_blocked(staff, state, id, body, true).await
}

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
    Ok(AppJson(ConversationView::new(
        &conversation,
        &state.settings.relay_domain,
    )))
}

async fn suspend(
    staff: Staff,
    state: State<AppState>,
    id: Path<String>,
    body: AppJson<Moderate>,
) -> Result<AppJson<Value>, ApiError> {
    set_suspended(staff, state, id, body, true).await
}

async fn reinstate(
    staff: Staff,
    state: State<AppState>,
    id: Path<String>,
    body: AppJson<Moderate>,
) -> Result<AppJson<Value>, ApiError> {
    set_suspended(staff, state, id, body, false).await
}

async fn set_suspended(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<Moderate>,
    suspended: bool,
) -> Result<AppJson<Value>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    let seller = state
        .relay
        .set_seller_suspended(id, suspended, staff, body.note.as_deref())
        .await?;
    Ok(AppJson(json!({
        "id": seller.id,
        "name": seller.name,
        "suspended": seller.suspended,
    })))
}
