//! One conversation, oldest message first, with the reply form.

use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{OwnConversation, preview::Preview};
use crate::web::{Layout, Page, WebError, display_time, iso_time, session::SellerSession};
use crate::{
    catalogue::{Language, Words},
    domain::{ConsentPurpose, Conversation, Direction, MessageStatus, StoredMessage},
    http::AppState,
    relay::{attachments::size_label, consent, files, judge::BUYER, seller_reply::MAX_REPLY_CHARS},
};

pub struct ThreadMessage {
    pub id: String,
    pub from_buyer: bool,
    /// A buyer message marked "no response needed" (it leaves the
    /// seller's response time).
    pub no_response_needed: bool,
    pub sender: String,
    pub subject: String,
    pub body: String,
    pub at: String,
    pub at_iso: String,
    /// For the seller's own messages: where the message stands.
    pub status: &'static str,
    /// Attached files as the recipient sees them.
    pub attachments: Vec<AttachmentRow>,
    /// For the seller's own messages: what the policy did, per finding
    /// kind, and how to do it properly (the same lines as the API's answer).
    pub explained: Vec<crate::relay::explain::Explained>,
}

pub struct AttachmentRow {
    pub name: String,
    pub size: String,
}

#[derive(Template)]
#[template(path = "inbox/thread.html")]
pub(super) struct ThreadPage {
    layout: Layout,
    id: String,
    buyer_name: String,
    buyer_address: String,
    order_id: String,
    messages: Vec<ThreadMessage>,
    notice: Option<&'static str>,
    max_reply_chars: usize,
    /// The reply text to show in the form again (after a preview).
    draft: String,
    preview: Option<Preview>,
    /// Why the files of the last attempt were refused.
    attachment_error: Option<String>,
    /// Why the last reply was refused as a whole (over a message limit).
    reply_error: Option<String>,
    max_files: usize,
    /// The `accept` list of the file input.
    accept_types: String,
    /// The "Request phone number" form: the orders it may name and the purposes.
    consent_orders: Vec<String>,
    consent_purposes: Vec<PurposeOption>,
    consent_error: Option<String>,
}

pub(super) struct PurposeOption {
    value: &'static str,
    label: String,
}

#[derive(Deserialize)]
pub(super) struct ThreadQuery {
    #[serde(default)]
    notice: String,
}

pub(super) fn status_label(status: MessageStatus) -> &'static str {
    match status {
        MessageStatus::Queued => "sending",
        MessageStatus::Sent => "delivered",
        MessageStatus::Held => "held for review",
        MessageStatus::Rejected => "rejected by review",
        MessageStatus::Blocked => "blocked",
        MessageStatus::Failed => "delivery failed",
        MessageStatus::Bounced => "returned by the recipient's mail server",
    }
}

pub(super) async fn thread(
    OwnConversation { me, conversation }: OwnConversation,
    State(state): State<AppState>,
    Query(query): Query<ThreadQuery>,
) -> Result<Page<ThreadPage>, WebError> {
    let notice = match query.notice.as_str() {
        "queued" => Some("Your reply is on its way."),
        "held" => Some("Your reply is held for review by the marketplace before delivery."),
        "blocked" => Some("Your reply was blocked by the marketplace's message policy."),
        "empty" => Some("Write a reply before sending."),
        "too_long" => Some("That reply is too long."),
        "no_response" => {
            Some("Marked as needing no response: it no longer counts toward your response time.")
        }
        "consent_requested" => {
            Some("The buyer was asked for their phone number. You will see it once they agree.")
        }
        _ => None,
    };
    render_thread(&state, &me, &conversation, notice, Draft::default()).await
}

/// What the form shows again after a preview or a refused reply.
#[derive(Default)]
pub(super) struct Draft {
    pub(super) text: String,
    pub(super) preview: Option<Preview>,
    pub(super) attachment_error: Option<String>,
    /// Why the last reply was refused as a whole (over a message limit).
    pub(super) reply_error: Option<String>,
    /// Why the last request for the buyer's phone number was refused.
    pub(super) consent_error: Option<String>,
}

pub(super) async fn render_thread(
    state: &AppState,
    me: &SellerSession,
    conversation: &Conversation,
    notice: Option<&'static str>,
    draft: Draft,
) -> Result<Page<ThreadPage>, WebError> {
    let messages = state
        .store
        .messages()
        .list_messages(conversation.id)
        .await?;
    let domain = &state.settings.relay_domain;
    let visible: Vec<&StoredMessage> = messages.iter().filter(|m| m.visible_to_seller()).collect();
    let files = attachment_rows(state, conversation, &visible).await?;
    let marked: std::collections::HashSet<_> = state
        .store
        .response_times()
        .no_response_marks(conversation.id)
        .await?
        .into_iter()
        .map(|mark| mark.message_id)
        .collect();
    let buyer_name = state
        .relay
        .names_as_seen(vec![conversation.buyer.name.clone()], BUYER)
        .await?
        .into_iter()
        .next()
        .unwrap_or_default();
    let view = visible
        .into_iter()
        .zip(files)
        .map(|(m, attachments)| {
            let from_buyer = m.direction == Direction::BuyerToSeller;
            ThreadMessage {
                id: m.id.to_string(),
                from_buyer,
                no_response_needed: marked.contains(&m.id),
                sender: if from_buyer {
                    buyer_name.clone()
                } else {
                    "You".to_owned()
                },
                subject: m.subject.clone(),
                // The text as delivered: removed content shows as its placeholder.
                body: match m.purged_at {
                    Some(_) => crate::web::content_removed(state.settings.retention.message_days),
                    None => m.body.clone(),
                },
                at: display_time(m.created_at),
                at_iso: iso_time(m.created_at),
                status: if from_buyer {
                    ""
                } else {
                    status_label(m.status)
                },
                explained: if from_buyer {
                    Vec::new()
                } else {
                    // The inbox is in English, as are its explanations.
                    crate::relay::explain::explain(
                        Words(Language::En),
                        &m.findings,
                        !matches!(m.status, MessageStatus::Blocked | MessageStatus::Rejected),
                        &state.relay.config.marketplace_name,
                    )
                },
                attachments,
            }
        })
        .collect();
    state
        .store
        .messages()
        .mark_read_by_seller(conversation.id, OffsetDateTime::now_utc())
        .await?;
    Ok(Page(ThreadPage {
        layout: Layout::for_session(&me.session),
        id: conversation.id.to_string(),
        buyer_name,
        buyer_address: format!("{}@{domain}", conversation.buyer_alias),
        order_id: conversation.order_id.clone().unwrap_or_default(),
        messages: view,
        notice,
        max_reply_chars: MAX_REPLY_CHARS,
        draft: draft.text,
        preview: draft.preview,
        attachment_error: draft.attachment_error,
        reply_error: draft.reply_error,
        max_files: state.settings.attachments.max_files,
        accept_types: state.settings.attachments.allowed_types.join(","),
        consent_orders: consent::conversation_orders(state.store.as_ref(), conversation).await?,
        consent_purposes: ConsentPurpose::ALL
            .iter()
            .map(|p| PurposeOption {
                value: p.as_str(),
                label: Words(Language::En).get(p.message_id()),
            })
            .collect(),
        consent_error: draft.consent_error,
    }))
}

/// Each message's files with the names the recipient sees and their
/// sizes, as decided when the message was accepted (`relay::files`).
pub(super) async fn attachment_rows(
    state: &AppState,
    conversation: &Conversation,
    messages: &[&StoredMessage],
) -> Result<Vec<Vec<AttachmentRow>>, WebError> {
    let policy = state.relay.policy.current();
    let mut rows = Vec::with_capacity(messages.len());
    for m in messages {
        let decided = files::decided_now(state.store.as_ref(), &policy, conversation, m).await?;
        rows.push(
            decided
                .delivered
                .into_iter()
                .map(|f| AttachmentRow {
                    name: f.name,
                    size: size_label(f.size),
                })
                .collect(),
        );
    }
    Ok(rows)
}
