//! The operator's data requests about one party: erase a buyer or a seller,
//! and export everything stored about one.
//!
//! A buyer is named in the request body, by a conversation they are in or
//! by their real address, so the address never appears in a URL (and so in
//! no access log); a seller by id in the path.

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{consents::ConsentView, parse_id, reports::ReportView};
use crate::{
    domain::{AuditEvent, ConversationId, Direction, SellerId, StoredFinding, StoredMessage},
    http::{
        auth::Operator,
        error::{ApiError, AppJson},
        state::AppState,
    },
    relay::lifecycle::{BuyerKey, find_buyer},
    store::lifecycle::{Erasure, PartyRecords, PartyRef},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(erase_buyer))
        .routes(routes!(export_buyer))
        .routes(routes!(erase_seller))
        .routes(routes!(export_seller))
}

/// Names one buyer: exactly one of the two.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct BuyerQuery {
    /// A conversation the buyer is in.
    conversation_id: Option<String>,
    /// The buyer's real address.
    #[schema(format = "email", example = "jane@mail.example")]
    email: Option<String>,
}

impl BuyerQuery {
    fn key(&self) -> Result<BuyerKey, ApiError> {
        match (&self.conversation_id, &self.email) {
            (Some(id), None) => Ok(BuyerKey::Conversation(parse_id::<ConversationId>(id)?)),
            (None, Some(email)) => Ok(BuyerKey::Email(
                crate::domain::EmailAddress::parse(email)
                    .map_err(|e| ApiError::invalid("invalid_email", format!("email: {e}")))?,
            )),
            _ => Err(ApiError::invalid(
                "invalid_request",
                "name the buyer by exactly one of conversation_id or email",
            )),
        }
    }
}

/// What an erasure did.
#[derive(Serialize, ToSchema)]
struct Erased {
    /// `buyer` or `seller`.
    #[schema(example = "buyer")]
    kind: &'static str,
    id: Uuid,
    /// Conversations closed: their relay addresses refuse mail from now on.
    conversations: u64,
    /// Messages whose content was removed.
    messages: u64,
    #[serde(with = "time::serde::rfc3339")]
    erased_at: OffsetDateTime,
}

impl Erased {
    fn new(party: PartyRef, erasure: Erasure, at: OffsetDateTime) -> Self {
        Self {
            kind: party.kind(),
            id: party.id(),
            conversations: erasure.conversations,
            messages: erasure.messages,
            erased_at: at,
        }
    }
}

/// The party as stored.
#[derive(Serialize, ToSchema)]
struct PartyView {
    /// `buyer` or `seller`.
    #[schema(example = "buyer")]
    kind: &'static str,
    id: Uuid,
    name: String,
    /// The real address.
    email: String,
    external_id: Option<String>,
    /// A buyer's phone number on record (E.164), if any.
    phone: Option<String>,
    country: Option<String>,
}

/// One conversation; the counterpart appears by its relay address and
/// name only, never by its real address.
#[derive(Serialize, ToSchema)]
struct ExportConversation {
    id: Uuid,
    /// The party's own relay address (local part).
    own_alias: String,
    /// The counterpart's relay address (local part).
    counterpart_alias: String,
    counterpart_name: String,
    order_id: Option<String>,
    blocked: bool,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

/// One message of the party's conversations.
#[derive(Serialize, ToSchema)]
struct ExportMessage {
    id: Uuid,
    conversation_id: Uuid,
    direction: Direction,
    /// Whether the party wrote it (else it was written to them).
    sent_by_party: bool,
    subject: String,
    /// The text as the party wrote it; only for messages the party sent.
    as_received: Option<String>,
    /// The text as it reached the recipient (after the filter); for a
    /// message to the party, only when it was passed on to them.
    as_delivered: Option<String>,
    html: Option<String>,
    #[schema(value_type = String, example = "redact")]
    action: &'static str,
    #[schema(value_type = String, example = "sent")]
    status: &'static str,
    /// What the filter found (kind, offsets, rule), never the text found.
    findings: Vec<StoredFinding>,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    /// When the content was removed; null while it is kept.
    #[serde(with = "time::serde::rfc3339::option")]
    purged_at: Option<OffsetDateTime>,
}

/// Everything stored about one party.
#[derive(Serialize, ToSchema)]
struct Export {
    party: PartyView,
    conversations: Vec<ExportConversation>,
    messages: Vec<ExportMessage>,
    consents: Vec<ConsentView>,
    reports: Vec<ReportView>,
    /// A seller's help domains, as `GET /api/v1/sellers/{id}/allowed-domains`
    /// lists them (empty for a buyer).
    help_domains: Vec<super::help_domains::AllowedDomain>,
    /// Events about the party, its conversations, messages, consents and reports.
    audit: Vec<AuditEvent>,
}

/// Erase a buyer
///
/// Roles: operator. The buyer's real address becomes a tombstone
/// (`erased-…@invalid`), their name `erased`, their phone number and
/// external id are deleted; in every conversation they are in, the content
/// of every message is removed (as the retention sweep does, subject too),
/// report comments are removed, open consents revoked and nothing waiting
/// is sent; the conversations are closed, so their relay addresses refuse
/// mail (550). Audited as `buyer.erased` by the operator, with counts only.
#[utoipa::path(
    post,
    path = "/api/v1/buyers/erase",
    tag = "parties",
    security(("bearer" = [])),
    request_body = BuyerQuery,
    responses(
        (status = 200, description = "Erased", body = Erased),
        (status = 400, description = "`invalid_request` (name exactly one of conversation_id or email) or `invalid_email`", body = super::openapi::Error),
        (status = 404, description = "`not_found`: no such buyer", body = super::openapi::Error),
    )
)]
async fn erase_buyer(
    _: Operator,
    State(state): State<AppState>,
    AppJson(body): AppJson<BuyerQuery>,
) -> Result<AppJson<Erased>, ApiError> {
    let party = find_buyer(state.store.as_ref(), &body.key()?).await?;
    erase(&state, party).await
}

/// Export everything stored about a buyer
///
/// Roles: operator. Conversations, messages (as the buyer wrote them and as
/// delivered), consents, reports, and the audit events about them; sellers
/// appear by relay address and name only. Audited as `buyer.exported`.
#[utoipa::path(
    post,
    path = "/api/v1/buyers/export",
    tag = "parties",
    security(("bearer" = [])),
    request_body = BuyerQuery,
    responses(
        (status = 200, description = "Everything stored about the buyer", body = Export),
        (status = 400, description = "`invalid_request` (name exactly one of conversation_id or email) or `invalid_email`", body = super::openapi::Error),
        (status = 404, description = "`not_found`: no such buyer", body = super::openapi::Error),
    )
)]
async fn export_buyer(
    _: Operator,
    State(state): State<AppState>,
    AppJson(body): AppJson<BuyerQuery>,
) -> Result<AppJson<Export>, ApiError> {
    let party = find_buyer(state.store.as_ref(), &body.key()?).await?;
    export(&state, party).await
}

/// Erase a seller
///
/// Roles: operator. As for a buyer, in every conversation of the seller;
/// the seller is also suspended and their API tokens, password and
/// sessions deleted. Audited as `seller.erased` by the operator.
#[utoipa::path(
    post,
    path = "/api/v1/sellers/{id}/erase",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The seller's id")),
    responses((status = 200, description = "Erased", body = Erased))
)]
async fn erase_seller(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<Erased>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    erase(&state, PartyRef::Seller(id)).await
}

/// Export everything stored about a seller
///
/// Roles: operator. As for a buyer; buyers appear by relay address and
/// name only, and their report comments are left out. Audited as
/// `seller.exported`.
#[utoipa::path(
    get,
    path = "/api/v1/sellers/{id}/export",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The seller's id")),
    responses((status = 200, description = "Everything stored about the seller", body = Export))
)]
async fn export_seller(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<Export>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    export(&state, PartyRef::Seller(id)).await
}

async fn erase(state: &AppState, party: PartyRef) -> Result<AppJson<Erased>, ApiError> {
    let at = OffsetDateTime::now_utc();
    let erasure = state.store.lifecycle().erase_party(party, at).await?;
    tracing::info!(
        party = party.kind(),
        party_id = %party.id(),
        conversations = erasure.conversations,
        messages = erasure.messages,
        "party erased"
    );
    Ok(AppJson(Erased::new(party, erasure, at)))
}

async fn export(state: &AppState, party: PartyRef) -> Result<AppJson<Export>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let records = state.store.lifecycle().export_party(party, now).await?;
    let me = match party {
        PartyRef::Seller(id) => {
            let s = state.store.parties().get_seller(id).await?;
            PartyView {
                kind: "seller",
                id: s.id.0,
                name: s.name,
                email: s.email.as_str().to_owned(),
                external_id: s.external_id,
                phone: None,
                country: s.country,
            }
        }
        // A buyer exists only through a conversation.
        PartyRef::Buyer(_) => {
            let b = &records
                .conversations
                .first()
                .ok_or(ApiError::NotFound("no such buyer"))?
                .buyer;
            PartyView {
                kind: "buyer",
                id: b.id.0,
                name: b.name.clone(),
                email: b.email.as_str().to_owned(),
                external_id: b.external_id.clone(),
                phone: b.phone.as_ref().map(|p| p.as_str().to_owned()),
                country: b.country.clone(),
            }
        }
    };
    Ok(AppJson(export_view(me, records, now)))
}

fn export_view(party: PartyView, records: PartyRecords, now: OffsetDateTime) -> Export {
    let is_buyer = matches!(records.party, PartyRef::Buyer(_));
    let conversations = records
        .conversations
        .iter()
        .map(|c| {
            let (own_alias, counterpart_alias, counterpart_name) = if is_buyer {
                (&c.buyer_alias, &c.seller_alias, &c.seller.name)
            } else {
                (&c.seller_alias, &c.buyer_alias, &c.buyer.name)
            };
            ExportConversation {
                id: c.id.0,
                own_alias: own_alias.clone(),
                counterpart_alias: counterpart_alias.clone(),
                counterpart_name: counterpart_name.clone(),
                order_id: c.order_id.clone(),
                blocked: c.blocked,
                created_at: c.created_at,
            }
        })
        .collect();
    let messages = records
        .messages
        .iter()
        .map(|m| export_message(m, is_buyer))
        .collect();
    let reports = records
        .reports
        .into_iter()
        .map(|mut r| {
            // The buyer's own words about the seller are the buyer's data.
            if !is_buyer {
                r.comment = None;
            }
            ReportView::from(r)
        })
        .collect();
    Export {
        party,
        conversations,
        messages,
        consents: records
            .consents
            .iter()
            .map(|c| ConsentView::new(c, now))
            .collect(),
        reports,
        help_domains: records
            .help_domains
            .into_iter()
            .map(super::help_domains::AllowedDomain::from)
            .collect(),
        audit: records.audit,
    }
}

/// A message as the party may have it: their own words as written, and
/// what reached them of the other party's.
fn export_message(m: &StoredMessage, is_buyer: bool) -> ExportMessage {
    let sent_by_party = (m.direction == Direction::BuyerToSeller) == is_buyer;
    let reached_party = if is_buyer {
        m.status == crate::domain::MessageStatus::Sent
    } else {
        m.visible_to_seller()
    };
    let delivered = sent_by_party || reached_party;
    ExportMessage {
        id: m.id.0,
        conversation_id: m.conversation_id.0,
        direction: m.direction,
        sent_by_party,
        subject: m.subject.clone(),
        as_received: sent_by_party.then(|| m.original_body.clone()),
        as_delivered: delivered.then(|| m.body.clone()),
        html: delivered.then(|| m.html.clone()).flatten(),
        action: m.action.as_str(),
        status: m.status.as_str(),
        findings: if sent_by_party {
            m.findings.clone()
        } else {
            Vec::new()
        },
        created_at: m.created_at,
        purged_at: m.purged_at,
    }
}
