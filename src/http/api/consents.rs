//! Consent to share the buyer's contact details: sellers request it, the
//! buyer answers through signed links (see `web::consent`), and anyone with
//! a say may revoke it.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{conversations::Visible, parse_id};
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
    relay::{
        RelayError,
        consent::{self, AskError, ConsentAsk},
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request))
        .routes(routes!(list))
        .routes(routes!(contact))
        .routes(routes!(revoke))
}

/// A consent as the API shows it; `status` is as of now, so a lapsed grant
/// reads `expired` even before the sweep records it.
#[derive(Serialize, ToSchema)]
#[schema(as = Consent)]
pub struct ConsentView {
    #[schema(value_type = uuid::Uuid)]
    id: ConsentId,
    #[schema(value_type = uuid::Uuid)]
    conversation_id: ConversationId,
    #[schema(value_type = uuid::Uuid)]
    seller_id: SellerId,
    /// The message that carried the request to the buyer.
    #[schema(value_type = uuid::Uuid)]
    message_id: MessageId,
    kind: ContactKind,
    purpose: ConsentPurpose,
    /// The order the request is about; null for requests made before one was required.
    #[schema(example = "ORD-1")]
    order_id: Option<String>,
    status: ConsentStatus,
    /// Whether a grant holds right now.
    active: bool,
    /// How long a grant holds.
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
            order_id: c.order_id.clone(),
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewConsentRequest)]
struct RequestBody {
    /// Which contact detail: `phone`.
    #[schema(value_type = ContactKind)]
    kind: String,
    /// Why the seller needs it; the buyer sees it.
    #[schema(value_type = ConsentPurpose)]
    purpose: String,
    /// The order the request is about: the conversation's own order or one
    /// the operator registered for it.
    #[schema(example = "ORD-1")]
    order_id: Option<String>,
    /// How long a grant would hold: 1 to 365 days, 30 by default.
    #[schema(minimum = 1, maximum = 365, example = 30)]
    expires_in_days: Option<i64>,
}

/// Ask the buyer for consent to see their phone number
///
/// Roles: seller (own conversation). The request names an order of the
/// conversation and a purpose from the list. The buyer gets a mail from the
/// seller's relay address that says the number serves that purpose alone,
/// with signed links to grant, decline, or later revoke. After a decline
/// the seller may not ask again for `consent.decline_cooldown_days` (14),
/// and one order takes at most `consent.max_requests_per_order` (2)
/// requests, withdrawn ones included.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/consent-requests",
    tag = "consent",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    request_body = RequestBody,
    responses(
        (status = 201, description = "Requested", body = ConsentView),
        (status = 400, description = "`order_required`, `unknown_order_id` (not an order of this conversation), `invalid_kind`, `invalid_purpose`, `invalid_expires_in_days`, `invalid_json` or `invalid_request`", body = super::openapi::Error),
        (status = 409, description = "`consent_declined_recently`: the buyer declined within the cooldown, the message names when the seller may ask again; `consent_limit_reached`: this order had as many requests as one may; `consent_open`: a request or grant for this kind and purpose is open; `conversation_closed`", body = super::openapi::Error),
    )
)]
async fn request(
    Visible {
        who: Seller(seller),
        conversation,
    }: Visible<Seller>,
    State(state): State<AppState>,
    AppJson(body): AppJson<RequestBody>,
) -> Result<(StatusCode, AppJson<ConsentView>), ApiError> {
    let kind = ContactKind::parse(&body.kind)
        .ok_or_else(|| ApiError::invalid("invalid_kind", "kind must be \"phone\""))?;
    let purpose = ConsentPurpose::parse(&body.purpose).ok_or_else(|| {
        ApiError::invalid(
            "invalid_purpose",
            format!("purpose must be one of: {}", consent::purpose_list()),
        )
    })?;
    let days = body.expires_in_days.unwrap_or(DEFAULT_VALID_FOR_DAYS);
    if !(1..=MAX_VALID_FOR_DAYS).contains(&days) {
        return Err(ApiError::invalid(
            "invalid_expires_in_days",
            format!("expires_in_days must be between 1 and {MAX_VALID_FOR_DAYS}"),
        ));
    }
    let ask = ConsentAsk {
        kind,
        purpose,
        order_id: body.order_id.unwrap_or_default(),
        valid_for_days: days,
    };
    let consent = state
        .relay
        .request_consent(seller, &conversation, ask)
        .await
        .map_err(ask_error)?;
    Ok((
        StatusCode::CREATED,
        AppJson(ConsentView::new(&consent, OffsetDateTime::now_utc())),
    ))
}

/// A refused request in the API's words.
fn ask_error(e: AskError) -> ApiError {
    let message = e.to_string();
    match e {
        AskError::OrderRequired => ApiError::invalid("order_required", message),
        AskError::UnknownOrder => ApiError::invalid("unknown_order_id", message),
        AskError::Refused(refusal) => ApiError::Conflict {
            code: refusal.code(),
            message,
        },
        AskError::Relay(RelayError::Conflict(_)) => ApiError::Conflict {
            code: "consent_open",
            message:
                "this conversation already has an open request or a grant for this kind and purpose"
                    .into(),
        },
        AskError::Relay(RelayError::InvalidState(why)) => ApiError::Conflict {
            code: "conversation_closed",
            message: why,
        },
        AskError::Relay(other) => other.into(),
    }
}

#[derive(Serialize, ToSchema)]
struct ConsentList {
    consents: Vec<ConsentView>,
}

/// Consent requests and grants of a conversation, oldest first
///
/// Roles: seller (own), staff.
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}/consents",
    tag = "consent",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    responses((status = 200, description = "The consents", body = ConsentList))
)]
async fn list(
    Visible { conversation, .. }: Visible<Reader>,
    State(state): State<AppState>,
) -> Result<AppJson<ConsentList>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let consents: Vec<ConsentView> = state
        .store
        .consents()
        .list_consents(conversation.id)
        .await?
        .iter()
        .map(|c| ConsentView::new(c, now))
        .collect();
    Ok(AppJson(ConsentList { consents }))
}

/// The buyer's phone number under a grant.
#[derive(Serialize, ToSchema)]
struct Contact {
    #[schema(example = "+491701234567")]
    phone: String,
    #[schema(value_type = uuid::Uuid)]
    consent_id: ConsentId,
    purpose: ConsentPurpose,
    /// When the grant ends.
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
}

/// The buyer's phone number, while the buyer's consent holds
///
/// Roles: seller (own conversation).
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}/contact",
    tag = "consent",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    responses(
        (status = 200, description = "The number", body = Contact),
        (status = 403, description = "`consent_required`: no active grant; or `forbidden` for another role", body = super::openapi::Error),
        (status = 404, description = "`not_found`: no such conversation, or no number on record", body = super::openapi::Error),
    )
)]
async fn contact(
    Visible { conversation, .. }: Visible<Seller>,
    State(state): State<AppState>,
) -> Result<AppJson<Contact>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let Some(grant) = state
        .store
        .consents()
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
    Ok(AppJson(Contact {
        phone: phone.as_str().to_owned(),
        consent_id: grant.id,
        purpose: grant.purpose,
        expires_at: grant.expires_at,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RevokeBody {
    /// A signed revoke link's token, for the buyer (who has no API token).
    token: Option<String>,
}

/// Revoke a grant or withdraw an unanswered request
///
/// Roles: seller (own conversation), staff, or operator on the buyer's
/// behalf, with a bearer token; or the buyer, with no token and a signed
/// revoke link's token in the body.
#[utoipa::path(
    post,
    path = "/api/v1/consents/{id}/revoke",
    tag = "consent",
    security(("bearer" = []), ()),
    params(("id" = uuid::Uuid, Path, description = "The consent's id")),
    request_body(content = Option<RevokeBody>, description = "Only for the buyer, who has no bearer token"),
    responses(
        (status = 200, description = "Revoked (or already ended)", body = ConsentView),
        (status = 401, description = "`unauthorized`: no bearer token and no link token", body = super::openapi::Error),
        (status = 403, description = "`invalid_link`: the link token is invalid, expired or for another consent", body = super::openapi::Error),
        (status = 409, description = "`invalid_state`: the consent cannot be revoked now", body = super::openapi::Error),
    )
)]
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
            let consent = state.store.consents().get_consent(id).await?;
            // Only a consent of the seller's own conversation.
            match state
                .relay
                .seller_conversation(seller, consent.conversation_id)
                .await
            {
                Ok(_) => ConsentActor::Seller(seller),
                Err(RelayError::NotFound) => return Err(ApiError::NotFound("no such consent")),
                Err(e) => return Err(e.into()),
            }
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
    let consent = state
        .relay
        .answer_consent(id, ConsentAction::Revoke, actor)
        .await?;
    Ok(AppJson(ConsentView::new(&consent, now)))
}
