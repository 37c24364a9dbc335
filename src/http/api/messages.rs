//! `GET /api/v1/messages/{id}` and the staff-only raw MIME download.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::parse_id;
use crate::{
    audit,
    domain::{
        Action, BounceSummary, ConversationId, DeliveryAttempt, DeliveryKind, Direction, MessageId,
        MessageStatus, StaffId, StoredMessage,
    },
    http::{
        auth::{Reader, Staff},
        error::{ApiError, AppJson},
        state::AppState,
    },
    relay::RelayError,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_message))
        .routes(routes!(raw_message))
}

/// The contract's `message`, as sellers see it.
#[derive(Serialize, ToSchema)]
#[schema(as = Message)]
pub struct MessageView {
    #[schema(value_type = uuid::Uuid)]
    pub id: MessageId,
    #[schema(value_type = uuid::Uuid)]
    pub conversation_id: ConversationId,
    pub direction: Direction,
    pub subject: String,
    /// The text as delivered (after redaction).
    pub body: String,
    pub action: Action,
    pub status: MessageStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the content (texts, HTML, raw MIME, files) was removed, after
    /// the retention period or by an erasure; null while it is kept.
    #[serde(with = "time::serde::rfc3339::option")]
    pub purged_at: Option<OffsetDateTime>,
}

impl From<&StoredMessage> for MessageView {
    fn from(m: &StoredMessage) -> Self {
        Self {
            id: m.id,
            conversation_id: m.conversation_id,
            direction: m.direction,
            subject: m.subject.clone(),
            body: m.body.clone(),
            action: m.action,
            status: m.status,
            created_at: m.created_at,
            purged_at: m.purged_at,
        }
    }
}

/// What staff see in addition: the text as received and why it changed.
#[derive(Serialize, ToSchema)]
#[schema(as = StaffMessage)]
pub struct StaffMessageView {
    #[serde(flatten)]
    pub message: MessageView,
    /// The text as received.
    pub original_body: String,
    /// What the filter found, part by part.
    pub findings: Vec<crate::domain::StoredFinding>,
    /// Where to download the raw MIME; null for messages sent through the API.
    pub raw_url: Option<String>,
    /// The HTML part as delivered, if the message had one.
    pub html: Option<String>,
    /// How the sender of mail was authenticated: SPF, each DKIM signature,
    /// DMARC, `From:` alignment, and who checked. Null for messages that did
    /// not come by mail and mail received before these were kept.
    pub sender_auth: Option<Box<crate::domain::SenderAuth>>,
    pub delivery_attempts: Vec<DeliveryAttemptView>,
    /// The latest bounce that came back for the message, if any.
    pub bounce: Option<BounceView>,
}

/// A bounce: what the recipient's mail server sent back.
#[derive(Serialize, ToSchema)]
#[schema(as = Bounce)]
pub struct BounceView {
    /// `failed` (for good: the message is `bounced`), `delayed` (still
    /// being tried there) or `other`.
    pub kind: crate::domain::BounceKind,
    /// The RFC 3463 status, e.g. `5.1.1`.
    pub status: Option<String>,
    /// What the server said, every email address replaced by `[address]`.
    pub diagnostic: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

/// One try at sending a message (or a notice about it).
#[derive(Serialize, ToSchema)]
#[schema(as = DeliveryAttempt)]
pub struct DeliveryAttemptView {
    pub kind: DeliveryKind,
    #[serde(with = "time::serde::rfc3339")]
    pub attempted_at: OffsetDateTime,
    pub succeeded: bool,
    /// The SMTP error of a failed try.
    pub error: Option<String>,
}

/// A message as its reader may see it: staff get the fuller view.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum ReaderMessage {
    Staff(StaffMessageView),
    Seller(MessageView),
}

/// Messages of a conversation, oldest first.
#[derive(Serialize, ToSchema)]
pub struct MessageList {
    pub messages: Vec<ReaderMessage>,
}

pub async fn staff_view(state: &AppState, m: &StoredMessage) -> Result<StaffMessageView, ApiError> {
    let attempts = state.store.queue().delivery_attempts(m.id).await?;
    let bounce = state.store.bounces().last_bounce(m.id).await?;
    Ok(staff_view_of(m, attempts.iter(), bounce))
}

fn staff_view_of<'a>(
    m: &StoredMessage,
    attempts: impl Iterator<Item = &'a DeliveryAttempt>,
    bounce: Option<BounceSummary>,
) -> StaffMessageView {
    StaffMessageView {
        message: MessageView::from(m),
        original_body: m.original_body.clone(),
        findings: m.findings.clone(),
        raw_url: m.has_raw.then(|| format!("/api/v1/messages/{}/raw", m.id)),
        html: m.html.clone(),
        sender_auth: m.sender_auth_results.clone().map(Box::new),
        delivery_attempts: attempts
            .map(|a| DeliveryAttemptView {
                kind: a.kind,
                attempted_at: a.attempted_at,
                succeeded: a.succeeded,
                error: a.error.clone(),
            })
            .collect(),
        bounce: bounce.map(|b| BounceView {
            kind: b.kind,
            status: b.status,
            diagnostic: b.diagnostic,
            received_at: b.received_at,
        }),
    }
}

/// Staff views of several messages, each read recorded in the audit log;
/// their delivery attempts and bounces read for all at once.
pub async fn staff_views(
    state: &AppState,
    staff: StaffId,
    messages: &[StoredMessage],
    via: &str,
) -> Result<Vec<StaffMessageView>, ApiError> {
    // One write for all the reads, before any is shown.
    let reads: Vec<_> = messages
        .iter()
        .map(|m| audit::staff_read_event(staff, m.id, via))
        .collect();
    state.store.audit().record_audits(&reads).await?;
    let ids: Vec<MessageId> = messages.iter().map(|m| m.id).collect();
    let attempts = state.store.queue().delivery_attempts_of(&ids).await?;
    let mut bounces: std::collections::HashMap<MessageId, BounceSummary> = state
        .store
        .bounces()
        .last_bounces(&ids)
        .await?
        .into_iter()
        .collect();
    Ok(messages
        .iter()
        .map(|m| {
            let of_message = attempts
                .iter()
                .filter(|(id, _)| *id == m.id)
                .map(|(_, a)| a);
            staff_view_of(m, of_message, bounces.remove(&m.id))
        })
        .collect())
}

/// One message
///
/// Roles: seller (own conversations), staff (each read is audited, and staff
/// also get the original text, findings, raw MIME link and delivery attempts).
#[utoipa::path(
    get,
    path = "/api/v1/messages/{id}",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The message's id")),
    responses((status = 200, description = "The message; `StaffMessage` for staff", body = ReaderMessage))
)]
async fn get_message(
    reader: Reader,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<ReaderMessage>, ApiError> {
    let id: MessageId = parse_id(&id)?;
    let message = state.store.messages().get_message(id).await?;
    match reader {
        Reader::Seller(seller) => {
            // Another seller's message, or buyer mail moderation withheld,
            // looks exactly like one that does not exist.
            let owned = state
                .relay
                .seller_conversation(seller, message.conversation_id)
                .await;
            match owned {
                Ok(_) if message.visible_to_seller() => {}
                Ok(_) | Err(RelayError::NotFound) => {
                    return Err(ApiError::NotFound("no such message"));
                }
                Err(e) => return Err(e.into()),
            }
            Ok(AppJson(ReaderMessage::Seller(MessageView::from(&message))))
        }
        Reader::Staff(staff) => {
            audit::staff_read(state.store.as_ref(), staff, id, "api.message").await?;
            Ok(AppJson(ReaderMessage::Staff(
                staff_view(&state, &message).await?,
            )))
        }
    }
}

/// The message as received, raw MIME
///
/// Roles: staff. The read is audited. Messages sent through the API have none (404).
/// Once the content is purged (retention or erasure) the answer is 410.
#[utoipa::path(
    get,
    path = "/api/v1/messages/{id}/raw",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The message's id")),
    responses(
        (status = 200, description = "Raw MIME, as an attachment `{id}.eml`", content_type = "message/rfc822", body = String),
        (status = 410, description = "`purged`: the content was removed after the retention period or by an erasure", body = super::openapi::Error),
    )
)]
async fn raw_message(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let id: MessageId = parse_id(&id)?;
    let message = state.store.messages().get_message(id).await?;
    if message.purged_at.is_some() {
        return Err(ApiError::Gone {
            code: "purged",
            message: format!(
                "this message's content was removed (retention: {} days, or the party was erased)",
                state.settings.retention.message_days
            ),
        });
    }
    let raw = state
        .store
        .messages()
        .raw_mime(id)
        .await?
        .ok_or(ApiError::NotFound(
            "this message has no raw MIME (it came through the API)",
        ))?;
    audit::staff_read(state.store.as_ref(), staff, id, "api.raw").await?;
    Ok(raw_mime_response(id, raw))
}

/// Raw MIME as a download: never rendered as a page (a browser must not
/// sniff the sender's HTML into one), never kept in a cache.
pub fn raw_mime_response(id: MessageId, raw: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "message/rfc822".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{id}.eml\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        raw,
    )
        .into_response()
}
