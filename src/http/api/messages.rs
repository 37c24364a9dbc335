//! `GET /api/v1/messages/{id}` and the staff-only raw MIME download.

use axum::{
    Router,
    extract::{Path, State},
    http::header,
    response::IntoResponse,
    routing::get,
};
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::parse_id;
use crate::{
    audit,
    domain::{Action, ConversationId, Direction, MessageId, MessageStatus, StaffId, StoredMessage},
    http::{
        auth::{Reader, Staff},
        error::{ApiError, AppJson},
        state::AppState,
    },
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/messages/{id}", get(get_message))
        .route("/api/v1/messages/{id}/raw", get(raw_message))
}

/// The contract's `message`.
#[derive(Serialize)]
pub struct MessageView {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    pub subject: String,
    /// The text as delivered (after redaction).
    pub body: String,
    pub action: Action,
    pub status: MessageStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
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
        }
    }
}

/// What staff see in addition: the text as received and why it changed.
#[derive(Serialize)]
pub struct StaffMessageView {
    #[serde(flatten)]
    pub message: MessageView,
    pub original_body: String,
    pub findings: Value,
    pub raw_url: Option<String>,
    pub html: Option<String>,
    pub delivery_attempts: Vec<Value>,
}

pub async fn staff_view(state: &AppState, m: &StoredMessage) -> Result<StaffMessageView, ApiError> {
    let attempts = state.store.delivery_attempts(m.id).await?;
    Ok(StaffMessageView {
        message: MessageView::from(m),
        original_body: m.original_body.clone(),
        findings: serde_json::from_str(&m.findings_json).unwrap_or(Value::Array(vec![])),
        raw_url: m.has_raw.then(|| format!("/api/v1/messages/{}/raw", m.id)),
        html: m.html.clone(),
        delivery_attempts: attempts
            .iter()
            .map(|a| {
                serde_json::json!({
                    "kind": a.kind,
                    "attempted_at": a.attempted_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                    "succeeded": a.succeeded,
                    "error": a.error,
                })
            })
            .collect(),
    })
}

/// Staff views of several messages, each read recorded in the audit log.
pub async fn staff_views(
    state: &AppState,
    staff: StaffId,
    messages: &[StoredMessage],
    via: &str,
) -> Result<Vec<StaffMessageView>, ApiError> {
    let mut views = Vec::with_capacity(messages.len());
    for m in messages {
        audit::staff_read(state.store.as_ref(), staff, m.id, via).await?;
        views.push(staff_view(state, m).await?);
    }
    Ok(views)
}

async fn get_message(
    reader: Reader,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let id: MessageId = parse_id(&id)?;
    let message = state.store.get_message(id).await?;
    match reader {
        Reader::Seller(seller) => {
            let conversation = state
                .store
                .get_conversation(message.conversation_id)
                .await?;
            if conversation.seller.id != seller {
                return Err(ApiError::NotFound("no such message"));
            }
            Ok(AppJson(MessageView::from(&message)).into_response())
        }
        Reader::Staff(staff) => {
            audit::staff_read(state.store.as_ref(), staff, id, "api.message").await?;
            Ok(AppJson(staff_view(&state, &message).await?).into_response())
        }
    }
}

async fn raw_message(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let id: MessageId = parse_id(&id)?;
    let raw = state.store.raw_mime(id).await?.ok_or(ApiError::NotFound(
        "this message has no raw MIME (it came through the API)",
    ))?;
    audit::staff_read(state.store.as_ref(), staff, id, "api.raw").await?;
    Ok((
        [
            (header::CONTENT_TYPE, "message/rfc822".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{id}.eml\""),
            ),
        ],
        raw,
    ))
}
