//! The seller inbox: conversations newest first, a thread oldest first, the
//! reply form (the same `relay.seller_reply` as the API) and "no response needed".

use crate::policy::EvalContext;
use std::collections::HashSet;

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Redirect,
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::{
    Layout, Page, Segment, WebError, display_time, iso_time, marked_segments,
    session::SellerSession,
};
use crate::{
    domain::{
        Action, Conversation, ConversationId, Direction, MessageStatus, NewAuditEvent, SellerId,
    },
    http::{
        AppState,
        error::{ApiError, AppJson},
    },
    policy::FindingKind,
    relay::{
        judge::{Judgement, judge},
        seller_reply::SellerReply,
    },
};

/// A buyer message unanswered for this long is highlighted.
pub const REPLY_DUE_AFTER: Duration = Duration::hours(24);
/// Longest reply accepted from the form, in characters.
const MAX_REPLY_CHARS: usize = 20_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(list))
        .route("/inbox/{id}", get(thread))
        .route("/inbox/{id}/reply", post(reply))
        .route("/inbox/{id}/preview", post(preview))
        .route("/inbox/{id}/preview.json", post(live_preview))
        .route("/inbox/{id}/no-response", post(no_response))
}

pub struct Row {
    pub href: String,
    pub buyer_name: String,
    pub buyer_address: String,
    pub order_id: String,
    pub last_message_at: String,
    pub last_message_iso: String,
    pub unread: i64,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "inbox/list.html")]
struct ListPage {
    layout: Layout,
    q: String,
    rows: Vec<Row>,
    total: usize,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    notice: String,
}

async fn list(
    me: SellerSession,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Page<ListPage>, WebError> {
    let summaries = state.store.list_conversations(Some(me.seller)).await?;
    let total = summaries.len();
    let overdue: HashSet<ConversationId> = state
        .store
        .accounts()
        .awaiting_reply(me.seller, OffsetDateTime::now_utc() - REPLY_DUE_AFTER)
        .await?
        .into_iter()
        .collect();
    let q = query.q.trim().to_lowercase();
    let domain = &state.settings.relay_domain;
    let rows = summaries
        .into_iter()
        .filter(|c| {
            q.is_empty()
                || c.order_id
                    .as_deref()
                    .is_some_and(|o| o.to_lowercase().contains(&q))
                || c.buyer_alias.to_lowercase().contains(&q)
                || c.buyer_name.to_lowercase().contains(&q)
        })
        .map(|c| Row {
            href: format!("/inbox/{}", c.id),
            buyer_name: c.buyer_name.clone(),
            buyer_address: format!("{}@{domain}", c.buyer_alias),
            order_id: c.order_id.clone().unwrap_or_default(),
            last_message_at: c.last_message_at.map(display_time).unwrap_or_default(),
            last_message_iso: c.last_message_at.map(iso_time).unwrap_or_default(),
            unread: c.unread,
            overdue: overdue.contains(&c.id),
        })
        .collect();
    Ok(Page(ListPage {
        layout: Layout::for_session(&me.session),
        q: query.q.trim().to_owned(),
        rows,
        total,
        notice: match query.notice.as_str() {
            "closed" => Some("Marked as needing no response."),
            _ => None,
        },
    }))
}

pub struct ThreadMessage {
    pub from_buyer: bool,
    pub sender: String,
    pub subject: String,
    pub body: String,
    pub at: String,
    pub at_iso: String,
    /// For the seller's own messages: where the message stands.
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "inbox/thread.html")]
struct ThreadPage {
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
}

/// What the policy would do with a draft, shown before sending.
pub struct Preview {
    pub verdict: &'static str,
    pub held: bool,
    pub marked: Vec<Segment>,
    pub delivered: String,
    pub rules: Vec<String>,
}

impl Preview {
    pub fn new(draft: &str, judged: &Judgement) -> Self {
        Self {
            verdict: verdict(judged.action),
            held: judged.action >= Action::Hold,
            marked: marked_segments(draft, &judged.findings),
            delivered: judged.text.clone(),
            rules: judged.rules(),
        }
    }
}

fn verdict(action: Action) -> &'static str {
    match action {
        Action::Deliver => "Nothing would be changed: the buyer gets your text as written.",
        Action::Redact => "The marked parts would be removed before delivery.",
        Action::Hold => "This reply would be held for review by the marketplace before delivery.",
        Action::Block => "This reply would be blocked and not delivered.",
    }
}

/// What the policy would do with a draft reply: the same evaluation as
/// sending it, with nothing stored.
fn judge_draft(state: &AppState, draft: &str) -> Judgement {
    judge(
        &state.relay.policy.current(),
        Direction::SellerToBuyer,
        &EvalContext::default(),
        "",
        draft,
        None,
    )
}

#[derive(Deserialize)]
struct ThreadQuery {
    #[serde(default)]
    notice: String,
}

/// The seller's conversation, or NotFound: another seller's looks exactly
/// like one that does not exist.
async fn own_conversation(
    state: &AppState,
    seller: SellerId,
    raw_id: &str,
) -> Result<Conversation, WebError> {
    let id: ConversationId = raw_id.parse().map_err(|_| WebError::NotFound)?;
    let conversation = state.store.get_conversation(id).await?;
    if conversation.seller.id != seller {
        return Err(WebError::NotFound);
    }
    Ok(conversation)
}

fn status_label(status: MessageStatus) -> &'static str {
    match status {
        MessageStatus::Queued => "sending",
        MessageStatus::Sent => "delivered",
        MessageStatus::Held => "held for review",
        MessageStatus::Rejected => "rejected by review",
        MessageStatus::Blocked => "blocked",
        MessageStatus::Failed => "delivery failed",
    }
}

async fn thread(
    me: SellerSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ThreadQuery>,
) -> Result<Page<ThreadPage>, WebError> {
    let conversation = own_conversation(&state, me.seller, &id).await?;
    let notice = match query.notice.as_str() {
        "queued" => Some("Your reply is on its way."),
        "held" => Some("Your reply is held for review by the marketplace before delivery."),
        "blocked" => Some("Your reply was blocked by the marketplace's message policy."),
        "empty" => Some("Write a reply before sending."),
        "too_long" => Some("That reply is too long."),
        _ => None,
    };
    render_thread(&state, &me, &conversation, notice, String::new(), None).await
}

async fn render_thread(
    state: &AppState,
    me: &SellerSession,
    conversation: &Conversation,
    notice: Option<&'static str>,
    draft: String,
    preview: Option<Preview>,
) -> Result<Page<ThreadPage>, WebError> {
    let messages = state.store.list_messages(conversation.id).await?;
    let domain = &state.settings.relay_domain;
    let view = messages
        .iter()
        // Held, blocked and rejected buyer mail never reached the seller.
        .filter(|m| {
            m.direction == Direction::SellerToBuyer
                || !matches!(
                    m.status,
                    MessageStatus::Held | MessageStatus::Blocked | MessageStatus::Rejected
                )
        })
        .map(|m| {
            let from_buyer = m.direction == Direction::BuyerToSeller;
            ThreadMessage {
                from_buyer,
                sender: if from_buyer {
                    conversation.buyer.name.clone()
                } else {
                    "You".to_owned()
                },
                subject: m.subject.clone(),
                // The text as delivered: removed content shows as its placeholder.
                body: m.body.clone(),
                at: display_time(m.created_at),
                at_iso: iso_time(m.created_at),
                status: if from_buyer {
                    ""
                } else {
                    status_label(m.status)
                },
            }
        })
        .collect();
    state
        .store
        .mark_read_by_seller(conversation.id, OffsetDateTime::now_utc())
        .await?;
    Ok(Page(ThreadPage {
        layout: Layout::for_session(&me.session),
        id: conversation.id.to_string(),
        buyer_name: conversation.buyer.name.clone(),
        buyer_address: format!("{}@{domain}", conversation.buyer_alias),
        order_id: conversation.order_id.clone().unwrap_or_default(),
        messages: view,
        notice,
        max_reply_chars: MAX_REPLY_CHARS,
        draft,
        preview,
    }))
}

/// Shows what the policy would remove or hold in a draft, without sending
/// it: the server-rendered preview that works without JavaScript.
async fn preview(
    me: SellerSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ReplyForm>,
) -> Result<Page<ThreadPage>, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let conversation = own_conversation(&state, me.seller, &id).await?;
    let draft: String = form
        .body
        .replace("\r\n", "\n")
        .chars()
        .take(MAX_REPLY_CHARS)
        .collect();
    let preview = Preview::new(&draft, &judge_draft(&state, &draft));
    render_thread(&state, &me, &conversation, None, draft, Some(preview)).await
}

#[derive(Deserialize)]
struct ReplyForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    csrf_token: String,
}

async fn reply(
    me: SellerSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ReplyForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let conversation = own_conversation(&state, me.seller, &id).await?;
    let back = |notice: &str| Redirect::to(&format!("/inbox/{}?notice={notice}", conversation.id));
    // Browsers send CRLF line breaks; mail bodies are normalised later anyway.
    let body = form.body.replace("\r\n", "\n");
    if body.trim().is_empty() {
        return Ok(back("empty"));
    }
    if body.chars().count() > MAX_REPLY_CHARS {
        return Ok(back("too_long"));
    }
    let stored = state
        .relay
        .seller_reply(
            me.seller,
            &conversation,
            SellerReply {
                subject: None,
                body,
                order_id: None,
            },
        )
        .await?;
    Ok(back(match stored.status {
        MessageStatus::Held => "held",
        MessageStatus::Blocked | MessageStatus::Rejected => "blocked",
        _ => "queued",
    }))
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn no_response(
    me: SellerSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let conversation = own_conversation(&state, me.seller, &id).await?;
    let now = OffsetDateTime::now_utc();
    state
        .store
        .accounts()
        .mark_no_response_needed(conversation.id, now)
        .await?;
    state
        .store
        .mark_read_by_seller(conversation.id, now)
        .await?;
    state
        .store
        .record_audit(&NewAuditEvent {
            actor_kind: "seller".into(),
            actor_id: Some(me.seller.to_string()),
            action: "conversation.no_response_needed".into(),
            subject_kind: "conversation".into(),
            subject_id: conversation.id.to_string(),
            details: json!({}),
        })
        .await?;
    Ok(Redirect::to("/inbox?notice=closed"))
}

/// The header the live preview script sends the session's CSRF token in,
/// copied from the reply form's hidden field.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Deserialize)]
struct LivePreviewRequest {
    body: String,
}

/// One finding in the draft, at character offsets (Unicode scalar values).
#[derive(Serialize)]
struct LiveFinding {
    rule: String,
    kind: FindingKind,
    action: Action,
    start: usize,
    end: usize,
    text: String,
    removed: bool,
}

/// A run of the draft: findings carry their rule, so a script can mark them
/// without counting characters itself.
#[derive(Serialize)]
struct LiveSegment {
    text: String,
    rule: Option<String>,
}

#[derive(Serialize)]
struct LivePreview {
    action: Action,
    verdict: &'static str,
    held: bool,
    rules: Vec<String>,
    findings: Vec<LiveFinding>,
    marked: Vec<LiveSegment>,
    delivered: String,
}

/// The preview as JSON for the reply form's script, checked while the seller
/// types: same session, CSRF token and evaluation as the form's preview.
async fn live_preview(
    me: Result<SellerSession, WebError>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    request: Result<AppJson<LivePreviewRequest>, ApiError>,
) -> Result<AppJson<LivePreview>, ApiError> {
    let me = me?;
    let presented = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    me.session.check_csrf(presented)?;
    own_conversation(&state, me.seller, &id).await?;
    let AppJson(request) = request?;
    if request.body.chars().count() > MAX_REPLY_CHARS {
        return Err(ApiError::invalid(
            "too_long",
            format!("a reply is at most {MAX_REPLY_CHARS} characters"),
        ));
    }
    let draft = request.body;
    let judged = judge_draft(&state, &draft);
    let preview = Preview::new(&draft, &judged);
    let chars: Vec<char> = draft.chars().collect();
    let findings = judged
        .findings
        .iter()
        .filter(|f| f.field == "text")
        .map(|f| {
            // Clamped like the marked runs: offsets are never trusted to index.
            let end = f.finding.end.min(chars.len());
            let span = f.finding.start.min(end)..end;
            LiveFinding {
                rule: f.finding.rule.clone(),
                kind: f.finding.kind,
                action: f.finding.action,
                start: f.finding.start,
                end: f.finding.end,
                text: chars[span].iter().collect(),
                removed: f.removed,
            }
        })
        .collect();
    Ok(AppJson(LivePreview {
        action: judged.action,
        verdict: preview.verdict,
        held: preview.held,
        rules: preview.rules,
        findings,
        marked: preview
            .marked
            .into_iter()
            .map(|s| LiveSegment {
                text: s.text,
                rule: s.finding,
            })
            .collect(),
        delivered: preview.delivered,
    }))
}
