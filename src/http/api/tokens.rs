//! `POST /api/v1/sellers/{id}/token` and `/token/revoke`, and the same for
//! staff: the operator replaces a seller's or staff member's API token (the
//! old one stops working at once) or revokes it without a replacement.

use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::parse_id;
use crate::{
    domain::{ApiToken, SellerId, StaffId},
    http::{
        auth::Operator,
        error::{ApiError, AppJson},
        state::AppState,
    },
    store::accounts::Account,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rotate_seller_token))
        .routes(routes!(revoke_seller_token))
        .routes(routes!(rotate_staff_token))
        .routes(routes!(revoke_staff_token))
}

/// The new token, shown once.
#[derive(Serialize, ToSchema)]
struct Rotated {
    id: Uuid,
    /// Shown once; only its hash is stored. Every older token of this
    /// seller or staff member no longer works.
    api_token: String,
}

/// The seller or staff member whose tokens no longer work.
#[derive(Serialize, ToSchema)]
struct Revoked {
    id: Uuid,
}

async fn rotate(state: &AppState, owner: Account) -> Result<AppJson<Rotated>, ApiError> {
    let token = ApiToken::generate();
    state
        .store
        .parties()
        .replace_api_tokens(owner, Some(&token.hash()))
        .await?;
    let id = owner_id(owner);
    tracing::info!(owner = %id, "API token rotated");
    Ok(AppJson(Rotated {
        id,
        api_token: token.expose().to_owned(),
    }))
}

async fn revoke(state: &AppState, owner: Account) -> Result<AppJson<Revoked>, ApiError> {
    state
        .store
        .parties()
        .replace_api_tokens(owner, None)
        .await?;
    let id = owner_id(owner);
    tracing::info!(owner = %id, "API token revoked");
    Ok(AppJson(Revoked { id }))
}

fn owner_id(owner: Account) -> Uuid {
    match owner {
        Account::Seller(id) => id.0,
        Account::Staff(id) => id.0,
    }
}

/// Replace a seller's API token
///
/// Roles: operator. The answer holds the new token, once; the seller's
/// older tokens stop working at once.
#[utoipa::path(
    post,
    path = "/api/v1/sellers/{id}/token",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The seller's id")),
    responses((status = 200, description = "The new token", body = Rotated))
)]
async fn rotate_seller_token(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<Rotated>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    rotate(&state, Account::Seller(id)).await
}

/// Revoke a seller's API token
///
/// Roles: operator. Every token of the seller stops working; replace it
/// with `POST /api/v1/sellers/{id}/token` to issue a new one.
#[utoipa::path(
    post,
    path = "/api/v1/sellers/{id}/token/revoke",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The seller's id")),
    responses((status = 200, description = "Revoked", body = Revoked))
)]
async fn revoke_seller_token(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<Revoked>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    revoke(&state, Account::Seller(id)).await
}

/// Replace a staff member's API token
///
/// Roles: operator. The answer holds the new token, once; the staff
/// member's older tokens stop working at once.
#[utoipa::path(
    post,
    path = "/api/v1/staff/{id}/token",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The staff member's id")),
    responses((status = 200, description = "The new token", body = Rotated))
)]
async fn rotate_staff_token(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<Rotated>, ApiError> {
    let id: StaffId = parse_id(&id)?;
    rotate(&state, Account::Staff(id)).await
}

/// Revoke a staff member's API token
///
/// Roles: operator. Every token of the staff member stops working; replace
/// it with `POST /api/v1/staff/{id}/token` to issue a new one.
#[utoipa::path(
    post,
    path = "/api/v1/staff/{id}/token/revoke",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The staff member's id")),
    responses((status = 200, description = "Revoked", body = Revoked))
)]
async fn revoke_staff_token(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<Revoked>, ApiError> {
    let id: StaffId = parse_id(&id)?;
    revoke(&state, Account::Staff(id)).await
}
