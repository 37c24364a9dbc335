//! The seller inbox: conversations newest first, a thread oldest first, the
//! reply form (the same `relay.seller_reply` as the API) and "no response needed".

use std::collections::HashSet;

use askama::Template;
use axum::{
    Form,
    extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Redirect, Response},
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
    config::AttachmentSettings,
    domain::{
        Action, AuditAction, Conversation, ConversationId, Direction, MessageSource, MessageStatus,
        NewAuditEvent, SellerId, StoredMessage,
    },
    http::{
        AppState,
        error::{ApiError, AppJson},
    },
    mime::Attachment,
    policy::FindingKind,
    relay::{
        attachments::{self, AttachmentError, Upload, size_label},
        files,
        judge::{BUYER, Judgement},
        seller_reply::{MAX_REPLY_CHARS, SellerReply},
    },
};

/// A buyer message unanswered for this long is highlighted.
pub const REPLY_DUE_AFTER: Duration = Duration::hours(24);

pub fn routes() -> super::Pages {
    super::Pages::default()
        .route("/inbox", get(list))
        .route("/inbox/{id}", get(thread))
        // The reply form carries files: its handlers count what they read
        // against the attachment limits themselves (`read_reply_form`).
        .route(
            "/inbox/{id}/reply",
            post(reply).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/inbox/{id}/preview",
            post(preview).layer(DefaultBodyLimit::disable()),
        )
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
    let summaries = state
        .store
        .conversations()
        .list_conversations(Some(me.seller))
        .await?;
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
    // Names as the seller may see them; the search matches those only, so
    // it cannot probe a name the seller is not shown.
    let names = state
        .relay
        .names_as_seen(
            summaries.iter().map(|c| c.buyer_name.clone()).collect(),
            BUYER,
        )
        .await?;
    let rows = summaries
        .into_iter()
        .zip(names)
        .filter(|(c, buyer_name)| {
            q.is_empty()
                || c.order_id
                    .as_deref()
                    .is_some_and(|o| o.to_lowercase().contains(&q))
                || c.buyer_alias.to_lowercase().contains(&q)
                || buyer_name.to_lowercase().contains(&q)
        })
        .map(|(c, buyer_name)| Row {
            href: format!("/inbox/{}", c.id),
            buyer_name,
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
    /// Attached files as the recipient sees them.
    pub attachments: Vec<AttachmentRow>,
}

pub struct AttachmentRow {
    pub name: String,
    pub size: String,
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
    /// Why the files of the last attempt were refused.
    attachment_error: Option<String>,
    max_files: usize,
    /// The `accept` list of the file input.
    accept_types: String,
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
    let id: ConversationId = super::parse_id(raw_id)?;
    let conversation = state.store.conversations().get_conversation(id).await?;
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
        MessageStatus::Bounced => "returned by the recipient's mail server",
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
    render_thread(&state, &me, &conversation, notice, Draft::default()).await
}

/// What the form shows again after a preview or a refused reply.
#[derive(Default)]
struct Draft {
    text: String,
    preview: Option<Preview>,
    attachment_error: Option<String>,
}

async fn render_thread(
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
                from_buyer,
                sender: if from_buyer {
                    buyer_name.clone()
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
        max_files: state.settings.attachments.max_files,
        accept_types: state.settings.attachments.allowed_types.join(","),
    }))
}

/// Each message's files with the names the recipient sees and their
/// sizes, as decided when the message was accepted (`relay::files`).
async fn attachment_rows(
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

/// What the policy would do with a draft reply and its files: the same
/// evaluation as sending it (`Relay::judge_seller_reply`), with nothing
/// stored; the files' names and text count towards the verdict.
async fn judge_draft(
    state: &AppState,
    conversation: &Conversation,
    draft: &str,
    files: Vec<Attachment>,
) -> Result<Judgement, WebError> {
    let (judged, _) = state
        .relay
        .judge_seller_reply(conversation, String::new(), draft.to_owned(), files)
        .await?;
    Ok(judged)
}

/// Shows what the policy would remove or hold in a draft, without sending
/// it: the server-rendered preview that works without JavaScript. Files
/// are checked against the limits but not kept: the browser sends them
/// again with the reply.
async fn preview(
    me: SellerSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: ReplyForm,
) -> Result<Page<ThreadPage>, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let conversation = own_conversation(&state, me.seller, &id).await?;
    let text: String = form.body.chars().take(MAX_REPLY_CHARS).collect();
    let accepted = match form.refused {
        Some(e) => Err(e),
        None => attachments::accept(&state.settings.attachments, form.uploads),
    };
    let (files, attachment_error) = match accepted {
        Ok(files) => (files, None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let judged = judge_draft(&state, &conversation, &text, files).await?;
    let draft = Draft {
        preview: Some(Preview::new(&text, &judged)),
        text,
        attachment_error,
    };
    render_thread(&state, &me, &conversation, None, draft).await
}

/// The reply form as posted: multipart, since it carries files, or
/// URL-encoded from a client that sends no files.
#[derive(Default)]
struct ReplyForm {
    csrf_token: String,
    /// With browser CRLF line breaks made LF.
    body: String,
    uploads: Vec<Upload>,
    /// Set when the files broke a limit while they were read; their bytes
    /// were counted and dropped.
    refused: Option<AttachmentError>,
}

#[derive(Deserialize)]
struct TextReplyForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    csrf_token: String,
}

/// Room for the token, the text (four bytes a character at most) and the
/// form's framing.
const TEXT_ROOM: usize = MAX_REPLY_CHARS * 4 + 64 * 1024;

impl FromRequest<AppState> for ReplyForm {
    /// A form that cannot be read cannot be verified either.
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
        if multipart {
            let form = Multipart::from_request(req, state)
                .await
                .map_err(|_| WebError::Csrf)?;
            return Ok(read_reply_form(form, &state.settings.attachments).await);
        }
        // The route lifts the body limit for files; text alone stays bounded.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, TEXT_ROOM)
            .await
            .map_err(|_| WebError::Csrf)?;
        let Form(form) =
            Form::<TextReplyForm>::from_request(Request::from_parts(parts, bytes.into()), state)
                .await
                .map_err(|_| WebError::Csrf)?;
        Ok(ReplyForm {
            csrf_token: form.csrf_token,
            body: form.body.replace("\r\n", "\n"),
            ..ReplyForm::default()
        })
    }
}

/// Reads the reply form, keeping at most the attachment limits in memory.
/// Past the limits the rest is read and dropped, so the browser gets the
/// page with the draft rather than a broken connection; past twice the
/// limits (plus room for the text) reading stops. A form that breaks off
/// gives what was read so far with `Incomplete`, so nothing is sent
/// without its files; it fails the CSRF check if the token was not among it.
async fn read_reply_form(mut multipart: Multipart, limits: &AttachmentSettings) -> ReplyForm {
    let hard_cap = limits.max_total_bytes.saturating_mul(2) + TEXT_ROOM;
    let mut form = ReplyForm::default();
    let mut read = 0usize;
    let mut kept = 0usize;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                form.refused = Some(AttachmentError::Incomplete);
                return form;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let room = match filename {
            Some(_) => limits
                .max_file_bytes
                .min(limits.max_total_bytes.saturating_sub(kept)),
            None => TEXT_ROOM,
        };
        let mut data = Vec::new();
        let mut size = 0usize;
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(_) => {
                    form.refused = Some(AttachmentError::Incomplete);
                    return form;
                }
            };
            read += chunk.len();
            size += chunk.len();
            if read > hard_cap {
                form.refused.get_or_insert(AttachmentError::TotalTooBig {
                    max: limits.max_total_bytes,
                });
                return form;
            }
            if size <= room {
                data.extend_from_slice(&chunk);
            } else {
                data = Vec::new();
            }
        }
        match (name.as_str(), filename) {
            ("csrf_token", None) => form.csrf_token = String::from_utf8_lossy(&data).into_owned(),
            ("body", None) => {
                form.body = String::from_utf8_lossy(&data).replace("\r\n", "\n");
            }
            // A file input left empty still sends one nameless, empty part.
            ("attachments", Some(filename)) if filename.is_empty() && size == 0 => {}
            ("attachments", Some(filename)) => {
                let refused = if form.uploads.len() >= limits.max_files {
                    Some(AttachmentError::TooMany {
                        max: limits.max_files,
                    })
                } else if size > limits.max_file_bytes {
                    Some(AttachmentError::FileTooBig {
                        name: filename.clone(),
                        max: limits.max_file_bytes,
                    })
                } else if size > room {
                    Some(AttachmentError::TotalTooBig {
                        max: limits.max_total_bytes,
                    })
                } else {
                    None
                };
                match refused {
                    Some(e) => {
                        form.refused.get_or_insert(e);
                    }
                    None => {
                        kept += size;
                        form.uploads.push(Upload { filename, data });
                    }
                }
            }
            _ => {}
        }
    }
    form
}

async fn reply(
    me: SellerSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: ReplyForm,
) -> Result<Response, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let conversation = own_conversation(&state, me.seller, &id).await?;
    let back = |notice: &str| {
        Redirect::to(&format!("/inbox/{}?notice={notice}", conversation.id)).into_response()
    };
    let body = form.body;
    if body.trim().is_empty() {
        return Ok(back("empty"));
    }
    if body.chars().count() > MAX_REPLY_CHARS {
        return Ok(back("too_long"));
    }
    let accepted = match form.refused {
        Some(e) => Err(e),
        None => attachments::accept(&state.settings.attachments, form.uploads),
    };
    let files = match accepted {
        Ok(files) => files,
        Err(e) => {
            // Nothing is sent; the seller gets the form back with the text.
            let draft = Draft {
                text: body,
                preview: None,
                attachment_error: Some(e.to_string()),
            };
            let page = render_thread(&state, &me, &conversation, None, draft).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let stored = state
        .relay
        .seller_reply(
            me.seller,
            &conversation,
            SellerReply {
                subject: None,
                body,
                order_id: None,
                attachments: files,
                source: MessageSource::Web,
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
        .messages()
        .mark_read_by_seller(conversation.id, now)
        .await?;
    state
        .store
        .audit()
        .record_audit(&NewAuditEvent {
            actor_kind: "seller".into(),
            actor_id: Some(me.seller.to_string()),
            action: AuditAction::ConversationNoResponseNeeded,
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
    let conversation = own_conversation(&state, me.seller, &id).await?;
    let AppJson(request) = request?;
    if request.body.chars().count() > MAX_REPLY_CHARS {
        return Err(ApiError::invalid(
            "too_long",
            format!("a reply is at most {MAX_REPLY_CHARS} characters"),
        ));
    }
    let draft = request.body;
    let judged = judge_draft(&state, &conversation, &draft, Vec::new()).await?;
    let preview = Preview::new(&draft, &judged);
    let chars: Vec<char> = draft.chars().collect();
    let findings = judged
        .findings
        .iter()
        .filter(|f| f.field == crate::domain::FindingField::Text)
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
