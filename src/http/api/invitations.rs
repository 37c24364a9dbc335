//! `POST /api/v1/sellers/{id}/invitations` and `POST /api/v1/staff/{id}/invitations`:
//! the operator gets a one-time link where the person sets a web password.

use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    routing::post,
};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

use super::parse_id;
use crate::{
    domain::{NewAuditEvent, SellerId, StaffId},
    http::{
        auth::Operator,
        error::{ApiError, AppJson},
        state::AppState,
    },
    store::accounts::{Account, random_secret, secret_hash},
};

/// Long enough to reach someone by email over a weekend.
pub const INVITATION_TTL: Duration = Duration::days(7);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sellers/{id}/invitations", post(invite_seller))
        .route("/api/v1/staff/{id}/invitations", post(invite_staff))
}

async fn invite_seller(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<(StatusCode, AppJson<Value>), ApiError> {
    let id: SellerId = parse_id(&id)?;
    state.store.get_seller(id).await?;
    invite(&state, &headers, Account::Seller(id)).await
}

async fn invite_staff(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<(StatusCode, AppJson<Value>), ApiError> {
    let id: StaffId = parse_id(&id)?;
    state.store.get_staff(id).await?;
    invite(&state, &headers, Account::Staff(id)).await
}

async fn invite(
    state: &AppState,
    headers: &HeaderMap,
    account: Account,
) -> Result<(StatusCode, AppJson<Value>), ApiError> {
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
        .record_audit(&NewAuditEvent::system(
            "account.invited",
            kind,
            subject,
            json!({ "expires_at": expires_at.format(&Rfc3339).unwrap_or_default() }),
        ))
        .await?;
    let url = format!("{}/invite/{token}", base_url(state, headers)?);
    Ok((
        StatusCode::CREATED,
        AppJson(json!({
            "url": url,
            "expires_at": expires_at.format(&Rfc3339).map_err(|e| ApiError::Internal(e.into()))?,
        })),
    ))
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
