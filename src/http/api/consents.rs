//! Consent to share the buyer's contact details: sellers request it, the
//! buyer answers through signed links (see `web::consent`), and anyone with
//! a say may revoke it.

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{conversations::visible, parse_id};
use crate::{
    domain::{
        ConsentAction, ConsentActor, ConsentId, ConsentPurpose, ConsentRequest, ConsentStatus,
        ContactKind, ConversationId, MessageId, Principal, SellerId,
        consent::{DEFAULT_VALID_FOR_DAYS, MAX_VALID_FOR_DAYS},
    },
    http::{
        auth::{MaybeAuth, Reader, Seller},
        error::{ApiError, AppJson},
        state::AppState,
    },
    store::StoreError,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/conversations/{id}/consent-requests", post(request))
        .route("/api/v1/conversations/{id}/consents", get(list))
        .route("/api/v1/conversations/{id}/contact", get(contact))
        .route("/api/v1/consents/{id}/revoke", post(revoke))
}

/// A consent as the API shows it; `status` is as of now, so a lapsed grant
/// reads `expired` even before the sweep records it.
#[derive(Serialize)]
pub struct ConsentView {
    id: ConsentId,
    conversation_id: ConversationId,
    seller_id: SellerId,
    message_id: MessageId,
    kind: ContactKind,
    purpose: ConsentPurpose,
    status: ConsentStatus,
    active: bool,
    valid_for_days: i64,
    #[serde(with = "time::serde::rfc3339")]
    requested_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    decided_at: Option<OffsetDateTime>,
    /// While requested, the deadline to answer; once granted, when the grant ends.
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    ended_at: Option<OffsetDateTime>,
}

impl ConsentView {
    pub fn new(c: &ConsentRequest, now: OffsetDateTime) -> Self {
        Self {
            id: c.id,
            conversation_id: c.conversation_id,
            seller_id: c.seller_id,
            message_id: c.message_id,
            kind: c.kind,
            purpose: c.purpose,
            status: c.status_at(now),
            active: c.is_active(now),
            valid_for_days: c.valid_for_days,
            requested_at: c.requested_at,
            decided_at: c.decided_at,
            expires_at: c.expires_at,
            ended_at: c.ended_at,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestBody {
    kind: String,
    purpose: String,
    expires_in_days: Option<i64>,
}

fn purposes() -> String {
    ConsentPurpose::ALL
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn request(
    Seller(seller): Seller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<RequestBody>,
) -> Result<(StatusCode, AppJson<ConsentView>), ApiError> {
    let conversation = visible(&state, &Reader::Seller(seller), &id).await?;
    let kind = ContactKind::parse(&body.kind)
        .ok_or_else(|| ApiError::invalid("invalid_kind", "kind must be \"phone\""))?;
    let purpose = ConsentPurpose::parse(&body.purpose).ok_or_else(|| {
        ApiError::invalid(
            "invalid_purpose",
            format!("purpose must be one of: {}", purposes()),
        )
    })?;
    let days = body.expires_in_days.unwrap_or(DEFAULT_VALID_FOR_DAYS);
    if !(1..=MAX_VALID_FOR_DAYS).contains(&days) {
        return Err(ApiError::invalid(
            "invalid_expires_in_days",
            format!("expires_in_days must be between 1 and {MAX_VALID_FOR_DAYS}"),
        ));
    }
    let consent = state
        .relay
        .request_consent(seller, &conversation, kind, purpose, days)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::Conflict {
                code: "consent_open",
                message: "this conversation already has an open request or a grant for this kind and purpose".into(),
            },
            StoreError::InvalidState(why) => ApiError::Conflict {
                code: "conversation_closed",
                message: why,
            },
            other => other.into(),
        })?;
    Ok((
        StatusCode::CREATED,
        AppJson(ConsentView::new(&consent, OffsetDateTime::now_utc())),
    ))
}

async fn list(
    reader: Reader,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<Value>, ApiError> {
    let conversation = visible(&state, &reader, &id).await?;
    let now = OffsetDateTime::now_utc();
    let consents: Vec<ConsentView> = state
        .store
        .list_consents(conversation.id)
        .await?
        .iter()
        .map(|c| ConsentView::new(c, now))
        .collect();
    Ok(AppJson(json!({ "consents": consents })))
}

/// The buyer's phone number, only to the seller and only while a grant holds.
async fn contact(
    Seller(seller): Seller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<Value>, ApiError> {
    let conversation = visible(&state, &Reader::Seller(seller), &id).await?;
    let now = OffsetDateTime::now_utc();
    let Some(grant) = state
        .store
        .active_consent(conversation.id, ContactKind::Phone, now)
        .await?
    else {
        return Err(ApiError::Denied {
            code: "consent_required",
            message: "the buyer has not granted access to their phone number; ask with POST /api/v1/conversations/{id}/consent-requests".into(),
        });
    };
    let Some(phone) = &conversation.buyer.phone else {
        return Err(ApiError::NotFound(
            "no phone number is on record for this buyer",
        ));
    };
    Ok(AppJson(json!({
        "phone": phone.as_str(),
        "consent_id": grant.id,
        "purpose": grant.purpose,
        "expires_at": grant.expires_at.format(&time::format_description::well_known::Rfc3339).ok(),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevokeBody {
    /// A signed revoke link's token, for the buyer (who has no API token).
    token: Option<String>,
}

/// Revokes a grant (or withdraws an unanswered request): by the buyer with
/// a signed token, by the seller of the conversation, by staff, or by the
/// operator on the buyer's behalf.
async fn revoke(
    MaybeAuth(principal): MaybeAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<AppJson<ConsentView>, ApiError> {
    let id: ConsentId = parse_id(&id)?;
    let now = OffsetDateTime::now_utc();
    let actor = match principal {
        Some(Principal::Seller(seller)) => {
            let consent = state.store.get_consent(id).await?;
            if consent.seller_id != seller {
                return Err(ApiError::NotFound("no such consent"));
            }
            ConsentActor::Seller(seller)
        }
        Some(Principal::Staff(staff)) => ConsentActor::Staff(staff),
        Some(Principal::Operator) => ConsentActor::Operator,
        None => {
            let body: RevokeBody = if body.is_empty() {
                RevokeBody { token: None }
            } else {
                serde_json::from_slice(&body)
                    .map_err(|e| ApiError::invalid("invalid_json", e.to_string()))?
            };
            let token = body.token.ok_or(ApiError::Unauthorized)?;
            let claim = state
                .links
                .verify_consent(&token, now)
                .map_err(|e| ApiError::Denied {
                    code: "invalid_link",
                    message: e.to_string(),
                })?;
            if claim.consent != id || claim.action != ConsentAction::Revoke {
                return Err(ApiError::Denied {
                    code: "invalid_link",
                    message: "this link does not revoke this consent".into(),
                });
            }
            ConsentActor::Buyer
        }
    };
    let consent = state.store.revoke_consent(id, actor, now).await?;
    tracing::info!(consent_id = %id, actor = actor.kind(), "consent revoked");
    Ok(AppJson(ConsentView::new(&consent, now)))
}
