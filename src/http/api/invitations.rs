//! `POST /api/v1/sellers/{id}/invitations` and `POST /api/v1/staff/{id}/invitations`:
//! the operator gets a one-time link where the person sets a web password.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
};
use serde::Serialize;
use serde_json::json;
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::parse_id;
use crate::{
    domain::{AuditAction, NewAuditEvent, SellerId, StaffId},
    http::{
        auth::Operator,
        error::{ApiError, AppJson},
        state::AppState,
    },
    store::accounts::{Account, random_secret, secret_hash},
};

/// Long enough to reach someone by email over a weekend.
pub const INVITATION_TTL: Duration = Duration::days(7);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(invite_seller))
        .routes(routes!(invite_staff))
}

/// A one-time link to set a web password.
#[derive(Serialize, ToSchema)]
struct Invitation {
    #[schema(example = "https://relay.example.com/invite/3q2v...")]
    url: String,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
}

/// Create a one-time link where the seller sets a web password
///
/// Roles: operator. The link is valid for 7 days and can be used once; it is
/// built from `MARKETRELAY_PUBLIC_URL`, or from the request's Host header
/// when that is unset.
#[utoipa::path(
    post,
    path = "/api/v1/sellers/{id}/invitations",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The seller's id")),
    responses(
        (status = 201, description = "The link", body = Invitation),
        (status = 400, description = "`no_public_url`: neither MARKETRELAY_PUBLIC_URL nor a usable Host header", body = super::openapi::Error),
    )
)]
async fn invite_seller(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<(StatusCode, AppJson<Invitation>), ApiError> {
    let id: SellerId = parse_id(&id)?;
    state.store.parties().get_seller(id).await?;
    invite(&state, &headers, Account::Seller(id)).await
}

/// Create a one-time link where the staff member sets a web password
///
/// Roles: operator. The link is valid for 7 days and can be used once; it is
/// built from `MARKETRELAY_PUBLIC_URL`, or from the request's Host header
/// when that is unset.
#[utoipa::path(
    post,
    path = "/api/v1/staff/{id}/invitations",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The staff member's id")),
    responses(
        (status = 201, description = "The link", body = Invitation),
        (status = 400, description = "`no_public_url`: neither MARKETRELAY_PUBLIC_URL nor a usable Host header", body = super::openapi::Error),
    )
)]
async fn invite_staff(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<(StatusCode, AppJson<Invitation>), ApiError> {
    let id: StaffId = parse_id(&id)?;
    state.store.parties().get_staff(id).await?;
    invite(&state, &headers, Account::Staff(id)).await
}

async fn invite(
    state: &AppState,
    headers: &HeaderMap,
    account: Account,
) -> Result<(StatusCode, AppJson<Invitation>), ApiError> {
    let token = random_secret();
    let now = OffsetDateTime::now_utc();
    let expires_at = now + INVITATION_TTL;
    state
        .store
        .accounts()
        .create_invitation(&secret_hash(&token), account, now, expires_at)
        .await?;
    let (kind, subject) = match account {
        Account::Seller(id) => ("seller", id.to_string()),
        Account::Staff(id) => ("staff", id.to_string()),
    };
    state
        .store
        .audit()
        .record_audit(&NewAuditEvent::system(
            AuditAction::AccountInvited,
            kind,
            subject,
            json!({ "expires_at": expires_at.format(&Rfc3339).unwrap_or_default() }),
        ))
        .await?;
    let url = format!("{}/invite/{token}", base_url(state, headers)?);
    Ok((StatusCode::CREATED, AppJson(Invitation { url, expires_at })))
}

/// `MARKETRELAY_PUBLIC_URL` when set; otherwise the Host the operator used.
fn base_url(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    if let Some(url) = &state.settings.public_url {
        return Ok(url.as_str().trim_end_matches('/').to_owned());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .ok_or_else(|| {
            ApiError::invalid(
                "no_public_url",
                "set MARKETRELAY_PUBLIC_URL, or send a Host header, so the link can be built",
            )
        })?;
    Ok(format!("http://{host}"))
}
