//! Conversations: created by the operator, listed and answered by sellers,
//! read by staff.

use axum::{
    extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Request, State},
    http::{StatusCode, request::Parts},
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    messages::{MessageList, MessageView, ReaderMessage, staff_views},
    parse_id,
    parties::{parse_country, parse_email, parse_external_id, parse_language, parse_name},
};
use crate::{
    catalogue::Words,
    domain::{
        Conversation, ConversationId, MessageStatus, NewBuyer, NewConversation, PhoneNumber,
        RelayAddress, SellerId,
    },
    http::{
        auth::{Operator, Reader, Seller},
        error::{ApiError, AppJson, single_line},
        state::AppState,
    },
    relay::{
        RelayError, consent,
        explain::{self, Explained},
        reports,
        seller_reply::{MAX_REPLY_CHARS, SellerReply},
    },
    store::StoreError,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_messages, reply))
        // A reply's body is bounded by `ReplyJson` from the attachment
        // limits; the service-wide limit covers every other route.
        .layer(DefaultBodyLimit::disable())
        .routes(routes!(list, create))
        .routes(routes!(show))
        .routes(routes!(register_order))
        .routes(routes!(mark_order_delivered))
}

/// The reply route's path, which takes more body than the service-wide
/// limit (see [`reply_max_body_bytes`]).
pub const REPLY_PATH: &str = "/api/v1/conversations/{id}/messages";

/// Room in a reply's JSON besides the files' base64: the text (at most
/// twelve bytes a character when escaped), subject, names and framing.
const REPLY_TEXT_ROOM: usize = 512 * 1024;

/// Largest JSON body of a reply: the files' base64 at the attachment
/// limits, plus one more file's worth so a file over its limit is refused
/// by name rather than cut off with the body, plus room for the text.
pub fn reply_max_body_bytes(limits: &crate::config::AttachmentSettings) -> usize {
    let base64 = |bytes: usize| bytes.div_ceil(3).saturating_mul(4);
    base64(limits.max_total_bytes)
        .saturating_add(base64(limits.max_file_bytes))
        .saturating_add(REPLY_TEXT_ROOM)
}

/// A reply's JSON, read only up to [`reply_max_body_bytes`] (and only after
/// the seller's token was checked, as extractors run in order).
struct ReplyJson(Reply);

impl FromRequest<AppState> for ReplyJson {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let limit = reply_max_body_bytes(&state.settings.attachments);
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, limit)
            .await
            .map_err(|_| ApiError::PayloadTooLarge)?;
        let AppJson(reply) =
            AppJson::<Reply>::from_request(Request::from_parts(parts, bytes.into()), state).await?;
        Ok(ReplyJson(reply))
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CreateConversation {
    #[schema(format = "uuid")]
    seller_id: String,
    buyer: BuyerBody,
    /// One line, at most 100 characters.
    order_id: Option<String>,
}

/// The buyer as the marketplace knows them; the seller never sees the email.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Buyer)]
struct BuyerBody {
    #[schema(format = "email", example = "buyer@example.org")]
    email: String,
    name: String,
    external_id: Option<String>,
    /// International form (`+491701234567`), normalised to E.164; shared with
    /// the seller only while the buyer's consent holds. Omitted: a number
    /// already on record is kept.
    #[schema(example = "+491701234567")]
    phone: Option<String>,
    /// ISO 3166 alpha-2 country, a hint for reading national phone numbers.
    #[schema(example = "DE")]
    country: Option<String>,
    /// BCP 47 tag of the language the buyer reads (`de`, `pt-BR`): notices, the consent, report and opt-out pages and the
    /// footer of seller mail
    /// are written in it. A language without a catalogue, or none, falls
    /// back to the country's language, then English.
    #[schema(example = "de")]
    language: Option<String>,
}

/// What every view of a conversation shows.
#[derive(Serialize, ToSchema)]
#[schema(as = ConversationHead)]
struct Head {
    #[schema(value_type = uuid::Uuid)]
    id: ConversationId,
    #[schema(value_type = uuid::Uuid)]
    seller_id: SellerId,
    /// Stands for the buyer; the seller writes to it.
    #[schema(format = "email")]
    buyer_alias: String,
    /// Stands for the seller; the buyer writes to it.
    #[schema(format = "email")]
    seller_alias: String,
    buyer_name: String,
    order_id: Option<String>,
    /// Mail in a blocked conversation is kept but not delivered.
    blocked: bool,
    /// Messages in the conversation are held while the seller is suspended.
    seller_suspended: bool,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Conversation)]
pub(crate) struct ConversationView {
    #[serde(flatten)]
    head: Head,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    /// Whether mail to either party keeps bouncing (see `docs/reliability.md`,
    /// Bounces), for the operator and staff; null for sellers.
    address_bouncing: Option<AddressBouncing>,
}

/// Since when mail to a party's address keeps bouncing: it hard-bounced
/// often enough lately; null once mail to them is delivered again.
#[derive(Serialize, ToSchema)]
pub(crate) struct AddressBouncing {
    #[serde(with = "time::serde::rfc3339::option")]
    buyer_since: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    seller_since: Option<OffsetDateTime>,
}

impl ConversationView {
    /// `buyer_name` as the caller may see it (see [`buyer_names_for`]).
    pub(crate) fn new(c: &Conversation, domain: &str, buyer_name: String) -> Self {
        Self {
            head: Head {
                id: c.id,
                seller_id: c.seller.id,
                buyer_alias: RelayAddress::from_local(&c.buyer_alias, domain).to_string(),
                seller_alias: RelayAddress::from_local(&c.seller_alias, domain).to_string(),
                buyer_name,
                order_id: c.order_id.clone(),
                blocked: c.blocked,
                seller_suspended: c.seller.suspended,
            },
            created_at: c.created_at,
            address_bouncing: None,
        }
    }

    /// The view with the parties' bouncing marks, for the operator and staff.
    pub(crate) async fn with_bouncing(mut self, state: &AppState) -> Result<Self, ApiError> {
        let (buyer_since, seller_since) =
            state.store.bounces().bouncing_since(self.head.id).await?;
        self.address_bouncing = Some(AddressBouncing {
            buyer_since,
            seller_since,
        });
        Ok(self)
    }
}

/// Buyers' names as this reader may see them: a seller sees each as the
/// other side of the conversation ([`crate::relay::judge::safe_display_name`]);
/// staff see them as registered.
async fn buyer_names_for(
    state: &AppState,
    reader: &Reader,
    names: Vec<String>,
) -> Result<Vec<String>, ApiError> {
    match reader {
        Reader::Seller(_) => Ok(state
            .relay
            .names_as_seen(names, crate::relay::judge::BUYER)
            .await?),
        Reader::Staff(_) => Ok(names),
    }
}

fn parse_order_id(order_id: Option<&str>) -> Result<Option<String>, ApiError> {
    order_id
        .map(|v| single_line("order_id", "invalid_order_id", v, 100))
        .transpose()
        .map(|v| v.filter(|s| !s.is_empty()))
}

/// Open (or find) the conversation of a buyer and a seller
///
/// Roles: operator. The same buyer and seller give the same conversation
/// (200) rather than a new one (201); its `order_id` is registered as one
/// of the conversation's orders either way.
#[utoipa::path(
    post,
    path = "/api/v1/conversations",
    tag = "conversations",
    security(("bearer" = [])),
    request_body = CreateConversation,
    responses(
        (status = 201, description = "Opened", body = ConversationView),
        (status = 200, description = "Already open", body = ConversationView),
        (status = 400, description = "`invalid_seller_id`, `unknown_seller`, `invalid_email`, `invalid_name`, `invalid_external_id`, `invalid_phone`, `invalid_country`, `invalid_language`, `invalid_order_id`, `same_party`, `invalid_json` or `invalid_request`", body = super::openapi::Error),
    )
)]
async fn create(
    _: Operator,
    State(state): State<AppState>,
    AppJson(body): AppJson<CreateConversation>,
) -> Result<(StatusCode, AppJson<ConversationView>), ApiError> {
    let domain = &state.settings.relay_domain;
    let seller_id: SellerId = body
        .seller_id
        .parse()
        .map_err(|_| ApiError::invalid("invalid_seller_id", "seller_id must be a seller's id"))?;
    let buyer = NewBuyer {
        email: parse_email(&body.buyer.email, domain)?,
        name: parse_name(&body.buyer.name)?,
        external_id: parse_external_id(body.buyer.external_id.as_deref())?,
        phone: body
            .buyer
            .phone
            .as_deref()
            .map(|p| {
                PhoneNumber::parse(p).map_err(|e| ApiError::invalid("invalid_phone", e.to_string()))
            })
            .transpose()?,
        country: parse_country(body.buyer.country.as_deref())?,
        language: parse_language(body.buyer.language.as_deref())?,
    };
    let order_id = parse_order_id(body.order_id.as_deref())?;
    let seller = state
        .store
        .parties()
        .get_seller(seller_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => {
                ApiError::invalid("unknown_seller", "no seller has this seller_id")
            }
            other => other.into(),
        })?;
    if seller.email == buyer.email {
        return Err(ApiError::invalid(
            "same_party",
            "the buyer's email is the seller's own email",
        ));
    }
    // A fresh alias pair collides with an existing one with negligible
    // probability (82 bits each); retry a few times rather than fail.
    for _ in 0..4 {
        let new = NewConversation {
            seller_id,
            buyer: buyer.clone(),
            order_id: order_id.clone(),
            buyer_alias: RelayAddress::generate(domain).local().to_owned(),
            seller_alias: RelayAddress::generate(domain).local().to_owned(),
        };
        match state
            .store
            .conversations()
            .find_or_create_conversation(&new)
            .await
        {
            Ok((conversation, created)) => {
                let status = if created {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                };
                if created {
                    tracing::info!(conversation_id = %conversation.id, seller_id = %seller_id, "conversation opened");
                }
                let buyer_name = conversation.buyer.name.clone();
                let view = ConversationView::new(&conversation, domain, buyer_name)
                    .with_bouncing(&state)
                    .await?;
                return Ok((status, AppJson(view)));
            }
            Err(StoreError::Conflict(what)) if what.contains("alias") => continue,
            Err(StoreError::NotFound) => {
                return Err(ApiError::invalid(
                    "unknown_seller",
                    "no seller has this seller_id",
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Internal(anyhow::anyhow!(
        "could not generate unique relay addresses"
    )))
}

/// The conversation if this reader may see it; another seller's is "not found".
pub(crate) async fn visible(
    state: &AppState,
    reader: &Reader,
    id: &str,
) -> Result<Conversation, ApiError> {
    let id: ConversationId = parse_id(id)?;
    let found = match reader {
        Reader::Seller(seller) => state.relay.seller_conversation(*seller, id).await,
        Reader::Staff(_) => Ok(state.store.conversations().get_conversation(id).await?),
    };
    found.map_err(|e| match e {
        RelayError::NotFound => ApiError::NotFound("no such conversation"),
        other => other.into(),
    })
}

/// The conversation named by the path's `{id}`, with the role that may
/// see it (`Reader`, or `Seller` for routes only its seller may use): the
/// one ownership rule as an extractor, so no handler can reach a
/// conversation without it. It runs before the body is read, so another
/// seller's conversation answers "not found" whatever the request carries.
pub(crate) struct Visible<R> {
    pub who: R,
    pub conversation: Conversation,
}

impl<R> FromRequestParts<AppState> for Visible<R>
where
    R: FromRequestParts<AppState, Rejection = ApiError> + AsReader + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let who = R::from_request_parts(parts, state).await?;
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound("no such conversation"))?;
        let conversation = visible(state, &who.as_reader(), &raw).await?;
        Ok(Self { who, conversation })
    }
}

/// The roles a conversation route accepts, as the reader they stand for.
pub(crate) trait AsReader {
    fn as_reader(&self) -> Reader;
}

impl AsReader for Reader {
    fn as_reader(&self) -> Reader {
        match self {
            Reader::Seller(seller) => Reader::Seller(*seller),
            Reader::Staff(staff) => Reader::Staff(*staff),
        }
    }
}

impl AsReader for Seller {
    fn as_reader(&self) -> Reader {
        Reader::Seller(self.0)
    }
}

/// One line of the conversation list.
#[derive(Serialize, ToSchema)]
#[schema(as = ConversationSummary)]
struct SummaryView {
    #[serde(flatten)]
    head: Head,
    #[serde(with = "time::serde::rfc3339::option")]
    last_message_at: Option<OffsetDateTime>,
    /// Buyer messages the seller has not opened yet.
    unread: i64,
}

#[derive(Serialize, ToSchema)]
struct ConversationList {
    conversations: Vec<SummaryView>,
}

/// List conversations, newest activity first
///
/// Roles: seller (own), staff (all).
#[utoipa::path(
    get,
    path = "/api/v1/conversations",
    tag = "conversations",
    security(("bearer" = [])),
    responses((status = 200, description = "The conversations", body = ConversationList))
)]
async fn list(
    reader: Reader,
    State(state): State<AppState>,
) -> Result<AppJson<ConversationList>, ApiError> {
    let seller = match reader {
        Reader::Seller(id) => Some(id),
        Reader::Staff(_) => None,
    };
    let domain = &state.settings.relay_domain;
    let rows = state
        .store
        .conversations()
        .list_conversations(seller)
        .await?;
    let names = rows.iter().map(|c| c.buyer_name.clone()).collect();
    let names = buyer_names_for(&state, &reader, names).await?;
    let conversations = rows
        .iter()
        .zip(names)
        .map(|(c, buyer_name)| SummaryView {
            head: Head {
                id: c.id,
                seller_id: c.seller_id,
                buyer_alias: RelayAddress::from_local(&c.buyer_alias, domain).to_string(),
                seller_alias: RelayAddress::from_local(&c.seller_alias, domain).to_string(),
                buyer_name,
                order_id: c.order_id.clone(),
                blocked: c.blocked,
                seller_suspended: c.seller_suspended,
            },
            last_message_at: c.last_message_at,
            unread: c.unread,
        })
        .collect();
    Ok(AppJson(ConversationList { conversations }))
}

/// One conversation
///
/// Roles: seller (own), staff.
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}",
    tag = "conversations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    responses((status = 200, description = "The conversation", body = ConversationView))
)]
async fn show(
    Visible {
        who: reader,
        conversation,
    }: Visible<Reader>,
    State(state): State<AppState>,
) -> Result<AppJson<ConversationView>, ApiError> {
    let names = buyer_names_for(&state, &reader, vec![conversation.buyer.name.clone()]).await?;
    let view = ConversationView::new(
        &conversation,
        &state.settings.relay_domain,
        names.into_iter().next().unwrap_or_default(),
    );
    Ok(AppJson(match reader {
        Reader::Staff(_) => view.with_bouncing(&state).await?,
        Reader::Seller(_) => view,
    }))
}

/// Messages of a conversation, oldest first
///
/// Roles: seller (own; marks buyer messages read), staff (each read is
/// audited; staff get `StaffMessage`s).
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}/messages",
    tag = "conversations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    responses((status = 200, description = "The messages", body = MessageList))
)]
async fn list_messages(
    Visible {
        who: reader,
        conversation,
    }: Visible<Reader>,
    State(state): State<AppState>,
) -> Result<AppJson<MessageList>, ApiError> {
    let messages = state
        .store
        .messages()
        .list_messages(conversation.id)
        .await?;
    let messages = match reader {
        Reader::Seller(_) => {
            state
                .store
                .messages()
                .mark_read_by_seller(conversation.id, OffsetDateTime::now_utc())
                .await?;
            messages
                .iter()
                .filter(|m| m.visible_to_seller())
                .map(|m| ReaderMessage::Seller(MessageView::from(m)))
                .collect()
        }
        Reader::Staff(staff) => staff_views(&state, staff, &messages, "api.conversation")
            .await?
            .into_iter()
            .map(ReaderMessage::Staff)
            .collect(),
    };
    Ok(AppJson(MessageList { messages }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewOrder {
    /// One line, at most 100 characters.
    #[schema(example = "123-7654321-7654321")]
    order_id: String,
}

/// The orders a conversation is about.
#[derive(Serialize, ToSchema)]
struct ConversationOrders {
    #[schema(value_type = uuid::Uuid)]
    conversation_id: ConversationId,
    /// Oldest first; the order the conversation was opened with comes first.
    order_ids: Vec<String>,
}

/// Register another order of the conversation's buyer and seller
///
/// Roles: operator. A seller's reply that names one of these orders
/// (`order_id`) is about an order, so it reaches a buyer who opted out of
/// the seller's other messages; an order id that was not registered here
/// (or when the conversation was opened) is refused. Registering an order
/// again changes nothing (200).
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/orders",
    tag = "conversations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    request_body = NewOrder,
    responses(
        (status = 201, description = "Registered", body = ConversationOrders),
        (status = 200, description = "Already registered", body = ConversationOrders),
        (status = 400, description = "`invalid_order_id`, `invalid_json` or `invalid_request`", body = super::openapi::Error),
    )
)]
async fn register_order(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<NewOrder>,
) -> Result<(StatusCode, AppJson<ConversationOrders>), ApiError> {
    let id: ConversationId = parse_id(&id)?;
    let order_id = parse_order_id(Some(&body.order_id))?
        .ok_or_else(|| ApiError::invalid("invalid_order_id", "order_id must not be empty"))?;
    let added = state
        .store
        .conversations()
        .add_conversation_order(id, &order_id)
        .await?;
    let order_ids = state.store.conversations().conversation_orders(id).await?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        AppJson(ConversationOrders {
            conversation_id: id,
            order_ids,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DeliveredOrder {
    /// One of the conversation's registered orders.
    #[schema(example = "123-7654321-7654321")]
    order_id: String,
    /// When it was delivered (RFC 3339, not in the future); now if left out.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    delivered_at: Option<OffsetDateTime>,
}

/// An order as delivered.
#[derive(Serialize, ToSchema)]
struct OrderDelivered {
    #[schema(value_type = uuid::Uuid)]
    conversation_id: ConversationId,
    order_id: String,
    /// Whether this call marked it; `false` when it was marked before
    /// (the first date stands).
    marked: bool,
}

/// Mark one of the conversation's orders delivered
///
/// Roles: operator. From then on, for `[promotional] review_window_days`
/// (config/policy.toml, 30 by default), the seller may ask the buyer for a
/// review of it, once; a review request before, after, or a second time is
/// `promotional` and held by default. An order marked already keeps its
/// first date.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/orders/delivered",
    tag = "conversations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    request_body = DeliveredOrder,
    responses(
        (status = 200, description = "Marked, or marked before", body = OrderDelivered),
        (status = 400, description = "`invalid_order_id`, `unknown_order_id`, `invalid_delivered_at`, `invalid_json` or `invalid_request`", body = super::openapi::Error),
    )
)]
async fn mark_order_delivered(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<DeliveredOrder>,
) -> Result<AppJson<OrderDelivered>, ApiError> {
    let id: ConversationId = parse_id(&id)?;
    let order_id = parse_order_id(Some(&body.order_id))?
        .ok_or_else(|| ApiError::invalid("invalid_order_id", "order_id must not be empty"))?;
    let now = OffsetDateTime::now_utc();
    let at = body.delivered_at.unwrap_or(now);
    if at > now {
        return Err(ApiError::invalid(
            "invalid_delivered_at",
            "delivered_at must not be in the future",
        ));
    }
    // The conversation first, so an unknown one is told apart from an
    // order it does not have.
    state.store.conversations().get_conversation(id).await?;
    let marked = match state
        .store
        .review_requests()
        .mark_order_delivered(id, &order_id, at)
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(ApiError::invalid(
                "unknown_order_id",
                "order_id must be one of the orders registered for this conversation",
            ));
        }
        other => other?,
    };
    Ok(AppJson(OrderDelivered {
        conversation_id: id,
        order_id,
        marked,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Reply {
    /// One line; by default `Re:` and the conversation's last subject.
    subject: Option<String>,
    /// Plain text; filtered by the policy like mail.
    body: String,
    /// One of the conversation's registered orders, when the reply is about
    /// it (see `POST /api/v1/conversations/{id}/orders`).
    order_id: Option<String>,
    /// Files for the buyer, within the attachment limits.
    #[serde(default)]
    attachments: Vec<ReplyAttachment>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReplyAttachment {
    /// Shown to the buyer after passing the filter.
    filename: String,
    /// The client's claim, accepted and not trusted: the type is read from the bytes.
    #[serde(default, rename = "content_type")]
    _content_type: Option<String>,
    /// The file's bytes in standard base64.
    content_base64: String,
}

/// The stored reply, and how to ask properly when it asked for contact details.
#[derive(Serialize, ToSchema)]
#[schema(as = ReplyResult)]
struct ReplyView {
    #[serde(flatten)]
    message: MessageView,
    /// Present only when the reply asked for the buyer's contact details in
    /// free text: how to ask through a consent request instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    notice: Option<String>,
    /// What the policy did, one entry per finding kind, with how to do it
    /// properly; empty when it found nothing. Never the text it found.
    explained: Vec<Explained>,
}

/// Seller reply, delivered to the buyer by email
///
/// Roles: seller (own conversations). The reply goes through the policy
/// filter; its `status` says whether it is queued, held or blocked. Files
/// go base64 in `attachments`, within the configured attachment limits
/// (5 files, 10 MiB by default); file names and text files are filtered
/// like the body. The text is at most 20,000 characters; the files' sizes
/// are checked before they are decoded, and the JSON body may be as large
/// as the files' base64 at those limits (about 27 MB by default). A seller
/// writes at most 300 messages an hour and 30 a day in one conversation
/// by default, counted in the database whatever became of them.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/messages",
    tag = "conversations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation's id")),
    request_body = Reply,
    responses(
        (status = 202, description = "Accepted and stored", body = ReplyView),
        (status = 400, description = "`empty_body`, `invalid_body`, `body_too_long`, `invalid_subject`, `invalid_order_id`, `unknown_order_id`, `invalid_attachment`, `too_many_attachments`, `attachment_too_large`, `attachment_type_not_allowed`, `empty_attachment`, `invalid_json` or `invalid_request`", body = super::openapi::Error),
        (status = 429, description = "`seller_rate_limited`: the seller wrote `seller_messages.max_per_hour` messages this clock hour, or `seller_messages.max_per_conversation_per_day` in this conversation this UTC day; nothing was stored", body = super::openapi::Error,
            headers(("Retry-After" = u64, description = "Seconds until the full window ends"))),
    )
)]
async fn reply(
    Visible {
        who: Seller(seller),
        conversation,
    }: Visible<Seller>,
    State(state): State<AppState>,
    ReplyJson(body): ReplyJson,
) -> Result<(StatusCode, AppJson<ReplyView>), ApiError> {
    let subject = body
        .subject
        .as_deref()
        .map(|s| single_line("subject", "invalid_subject", s, 998))
        .transpose()?;
    if body.body.trim().is_empty() {
        return Err(ApiError::invalid("empty_body", "body must not be empty"));
    }
    if body.body.contains('\0') {
        return Err(ApiError::invalid(
            "invalid_body",
            "body must not contain NUL characters",
        ));
    }
    // Judged whole, so bounded as the inbox form bounds it.
    if body.body.chars().count() > MAX_REPLY_CHARS {
        return Err(ApiError::invalid(
            "body_too_long",
            format!("body is longer than {MAX_REPLY_CHARS} characters"),
        ));
    }
    let order_id = parse_order_id(body.order_id.as_deref())?;
    if let Some(order_id) = &order_id
        && !reports::is_registered_order(state.store.as_ref(), &conversation, order_id).await?
    {
        return Err(ApiError::invalid(
            "unknown_order_id",
            "order_id must be one of the orders the marketplace registered for this conversation",
        ));
    }
    let limits = &state.settings.attachments;
    let encoded: Vec<(&str, &str)> = body
        .attachments
        .iter()
        .map(|a| (a.filename.as_str(), a.content_base64.as_str()))
        .collect();
    crate::relay::attachments::check_encoded(limits, &encoded)
        .map_err(|e| ApiError::invalid(e.code(), e.to_string()))?;
    let mut uploads = Vec::with_capacity(body.attachments.len());
    for (i, a) in body.attachments.into_iter().enumerate() {
        let data = data_encoding::BASE64
            .decode(a.content_base64.trim().as_bytes())
            .map_err(|_| {
                ApiError::invalid(
                    "invalid_attachment",
                    format!("attachments[{i}].content_base64 is not valid base64"),
                )
            })?;
        uploads.push(crate::relay::attachments::Upload {
            filename: single_line(
                "attachments.filename",
                "invalid_attachment",
                &a.filename,
                255,
            )?,
            data,
        });
    }
    let attachments = crate::relay::attachments::accept(limits, uploads)
        .map_err(|e| ApiError::invalid(e.code(), e.to_string()))?;
    let stored = state
        .relay
        .seller_reply(
            seller,
            &conversation,
            SellerReply {
                subject,
                body: body.body,
                order_id,
                attachments,
                source: crate::domain::MessageSource::Api,
            },
        )
        .await?;
    // Told in the seller's language, as their notices are.
    let words = Words(conversation.seller.reads());
    let notice = consent::asks_for_contact(&stored.findings)
        .then(|| consent::how_to_ask(words, conversation.id));
    Ok((
        StatusCode::ACCEPTED,
        AppJson(ReplyView {
            message: MessageView::from(&stored),
            notice,
            explained: explain::explain(
                words,
                &stored.findings,
                !matches!(
                    stored.status,
                    MessageStatus::Blocked | MessageStatus::Rejected
                ),
                &state.relay.config.marketplace_name,
            ),
        }),
    ))
}
