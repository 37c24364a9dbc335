//! The staff review console: held messages oldest first, release or reject
//! with a note, one message as received beside what was delivered, the raw
//! MIME, blocking a conversation or suspending its seller, and the log of
//! staff reads. Every look at a message is audited.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect},
    routing::{get, post},
};
use serde::Deserialize;

use super::{
    Layout, Page, Segment, WebError, display_time, iso_time, marked_segments, parse_id,
    session::StaffSession,
};
use crate::{
    audit,
    domain::rule_ids,
    domain::{
        AuditAction, AuditEvent, ConversationId, Direction, MessageId, MessageStatus,
        ReviewDecision, SenderAuth, StoredMessage,
    },
    http::AppState,
    relay::RelayError,
    store::{Cursor, StoreError},
};

/// Held messages on one page of the review queue.
pub const QUEUE_ROWS: i64 = 50;
/// Reads listed on one access log page, newest first.
const ACCESS_LOG_ROWS: i64 = 50;
const EXCERPT_CHARS: usize = 280;

pub fn routes() -> super::Pages {
    super::Pages::default()
        .route("/console", get(queue))
        .route("/console/messages/{id}", get(message))
        .route("/console/messages/{id}/review", post(review))
        .route("/console/messages/{id}/raw", get(raw))
        .route("/console/conversations", get(conversations))
        .route("/console/conversations/{id}", get(conversation))
        .route("/console/conversations/{id}/block", post(block))
        .route("/console/conversations/{id}/seller", post(suspend))
        .route("/console/access-log", get(access_log))
}

fn direction_label(d: Direction) -> &'static str {
    match d {
        Direction::BuyerToSeller => "buyer to seller",
        Direction::SellerToBuyer => "seller to buyer",
    }
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

pub struct HeldRow {
    pub id: String,
    pub href: String,
    pub subject: String,
    pub direction: &'static str,
    pub received: String,
    pub received_iso: String,
    pub rules: Vec<String>,
    pub excerpt: String,
}

#[derive(Template)]
#[template(path = "console/queue.html")]
struct QueuePage {
    layout: Layout,
    rows: Vec<HeldRow>,
    /// The link to the next page of the queue, if there is one.
    next: Option<String>,
    notice: Option<&'static str>,
}

/// `?notice=...`: which confirmation a page shows after a form redirected to it.
#[derive(Deserialize)]
pub(super) struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
}

/// `/console?after=...`: where the previous page of the queue ended.
#[derive(Deserialize)]
struct QueueQuery {
    #[serde(default)]
    notice: String,
    /// A `store::Cursor`; a broken one starts from the oldest.
    #[serde(default)]
    after: String,
}

async fn queue(
    me: StaffSession,
    State(state): State<AppState>,
    Query(query): Query<QueueQuery>,
) -> Result<Page<QueuePage>, WebError> {
    let held = state
        .store
        .messages()
        .held_page(Cursor::parse(&query.after), QUEUE_ROWS)
        .await?;
    // The queue shows message text, so each row counts as a read: one
    // write for the page.
    let reads: Vec<_> = held
        .rows
        .iter()
        .map(|m| audit::staff_read_event(me.staff, m.id, "web.review_queue"))
        .collect();
    state.store.audit().record_audits(&reads).await?;
    let rows = held
        .rows
        .iter()
        .map(|m| HeldRow {
            id: m.id.to_string(),
            href: format!("/console/messages/{}", m.id),
            subject: m.subject.clone(),
            direction: direction_label(m.direction),
            received: display_time(m.created_at),
            received_iso: iso_time(m.created_at),
            rules: rule_ids(&m.findings),
            excerpt: excerpt(&m.original_body),
        })
        .collect();
    Ok(Page(QueuePage {
        layout: me.layout(&state).await?,
        rows,
        next: held.next.map(|c| format!("/console?after={}", c.encode())),
        notice: match query.notice.as_str() {
            "released" => Some("Released: the message is queued for delivery."),
            "rejected" => Some("Rejected: the sender will be told."),
            "not_held" => {
                Some("That message is no longer held; someone may have reviewed it already.")
            }
            _ => None,
        },
    }))
}

pub struct FindingRow {
    pub field: &'static str,
    pub kind: &'static str,
    pub rule: String,
    pub action: &'static str,
    pub span: String,
    pub removed: bool,
}

pub struct AttemptRow {
    pub kind: &'static str,
    pub at: String,
    pub at_iso: String,
    pub outcome: String,
}

/// One message as staff audit it: the text as received with every finding
/// marked, beside the text as delivered; its findings, delivery attempts
/// and raw MIME. The message page shows one, the conversation page all.
pub struct AuditView {
    pub id: String,
    pub href: String,
    pub subject: String,
    pub direction: &'static str,
    pub status: &'static str,
    pub action: &'static str,
    pub received: String,
    pub received_iso: String,
    pub original: Vec<Segment>,
    pub delivered: String,
    pub findings: Vec<FindingRow>,
    pub attempts: Vec<AttemptRow>,
    pub raw_href: Option<String>,
    pub held: bool,
    /// A seller's message held or rejected: staff may warn the seller.
    pub warnable: bool,
    pub sender_auth: Option<AuthRows>,
    /// The latest bounce: kind, status and the scrubbed diagnostic.
    pub bounce: Option<String>,
}

/// How the sender of mail was authenticated, as staff read it.
pub struct AuthRows {
    pub verdict: &'static str,
    pub checked_by: String,
    pub spf: String,
    /// One line per signature.
    pub dkim: Vec<String>,
    pub dmarc: String,
    pub from_aligned: bool,
}

impl From<&SenderAuth> for AuthRows {
    fn from(a: &SenderAuth) -> Self {
        let with = |word: &str, what: &str, value: Option<&str>| match value {
            Some(v) => format!("{word} ({what}{v})"),
            None => word.to_owned(),
        };
        Self {
            verdict: a.verdict.as_str(),
            checked_by: if a.trusted_edge {
                format!("edge {} (its Authentication-Results)", a.checked_by)
            } else {
                "this relay".to_owned()
            },
            spf: with(&a.spf.result, "", a.spf.domain.as_deref()),
            dkim: a
                .dkim
                .iter()
                .map(|d| with(&d.result, "d=", d.domain.as_deref()))
                .collect(),
            dmarc: with(&a.dmarc.result, "p=", a.dmarc.policy.as_deref()),
            from_aligned: a.from_aligned,
        }
    }
}

/// The audit view of a message. The caller records the staff read.
async fn audit_view(state: &AppState, m: &StoredMessage) -> Result<AuditView, WebError> {
    let found = &m.findings;
    let attempts = state.store.queue().delivery_attempts(m.id).await?;
    let removed = super::content_removed(state.settings.retention.message_days);
    let bounce = state.store.bounces().last_bounce(m.id).await?;
    Ok(AuditView {
        id: m.id.to_string(),
        href: format!("/console/messages/{}", m.id),
        subject: m.subject.clone(),
        direction: direction_label(m.direction),
        status: m.status.as_str(),
        action: m.action.as_str(),
        received: display_time(m.created_at),
        received_iso: iso_time(m.created_at),
        original: match m.purged_at {
            Some(_) => vec![Segment {
                text: removed.clone(),
                finding: None,
            }],
            None => marked_segments(&m.original_body, found),
        },
        delivered: match m.purged_at {
            Some(_) => removed,
            None => m.body.clone(),
        },
        findings: found
            .iter()
            .map(|f| FindingRow {
                field: f.field.as_str(),
                kind: f.finding.kind.as_str(),
                rule: f.finding.rule.clone(),
                action: f.finding.action.as_str(),
                span: format!("{}–{}", f.finding.start, f.finding.end),
                removed: f.removed,
            })
            .collect(),
        attempts: attempts
            .iter()
            .map(|a| AttemptRow {
                kind: a.kind.as_str(),
                at: display_time(a.attempted_at),
                at_iso: iso_time(a.attempted_at),
                outcome: if a.succeeded {
                    "delivered".to_owned()
                } else {
                    a.error.clone().unwrap_or_else(|| "failed".to_owned())
                },
            })
            .collect(),
        raw_href: m.has_raw.then(|| format!("/console/messages/{}/raw", m.id)),
        held: m.status == MessageStatus::Held,
        warnable: m.direction == Direction::SellerToBuyer
            && matches!(m.status, MessageStatus::Held | MessageStatus::Rejected),
        sender_auth: m.sender_auth_results.as_ref().map(AuthRows::from),
        bounce: bounce.map(|b| {
            let mut said = format!("{} at {}", b.kind.as_str(), display_time(b.received_at));
            for part in [b.status, b.diagnostic].into_iter().flatten() {
                said.push_str(" · ");
                said.push_str(&part);
            }
            said
        }),
    })
}

#[derive(Template)]
#[template(path = "console/message.html")]
struct MessagePage {
    layout: Layout,
    m: AuditView,
}

async fn message(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Page<MessagePage>, WebError> {
    let id = parse_id::<MessageId>(&id)?;
    let m = state.store.messages().get_message(id).await?;
    audit::staff_read(state.store.as_ref(), me.staff, id, "web.message").await?;
    Ok(Page(MessagePage {
        layout: me.layout(&state).await?,
        m: audit_view(&state, &m).await?,
    }))
}

#[derive(Deserialize)]
struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    csrf_token: String,
}

async fn review(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let id = parse_id::<MessageId>(&id)?;
    let decision = match form.decision.as_str() {
        "release" => ReviewDecision::Release,
        "reject" => ReviewDecision::Reject,
        _ => return Err(WebError::NotFound),
    };
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    match state.relay.review(id, decision, me.staff, note).await {
        Ok(_) => Ok(Redirect::to(match decision {
            ReviewDecision::Release => "/console?notice=released",
            ReviewDecision::Reject => "/console?notice=rejected",
        })),
        Err(RelayError::InvalidState(_)) => Ok(Redirect::to("/console?notice=not_held")),
        Err(e) => Err(e.into()),
    }
}

async fn raw(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, WebError> {
    let id = parse_id::<MessageId>(&id)?;
    let raw = state
        .store
        .messages()
        .raw_mime(id)
        .await?
        .ok_or(WebError::NotFound)?;
    audit::staff_read(state.store.as_ref(), me.staff, id, "web.raw").await?;
    Ok(crate::http::api::messages::raw_mime_response(id, raw))
}

/// One staff read: a message opened, or a search and what it listed.
pub struct ReadRow {
    pub at: String,
    pub at_iso: String,
    pub staff_id: String,
    /// "" for a message read; for a search, what it was.
    pub what: String,
    /// The message read, or the conversations a search listed: (href, id).
    pub links: Vec<(String, String)>,
    pub via: String,
}

impl ReadRow {
    fn from_event(e: &AuditEvent) -> Self {
        let (what, links) = if e.action == AuditAction::StaffSearched.as_str() {
            let listed: Vec<(String, String)> = e.details["conversations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|id| id.as_str())
                .map(|id| (format!("/console/conversations/{id}"), id.to_owned()))
                .collect();
            let page = e.details["page"].as_i64().unwrap_or(1);
            let what = format!(
                "Search, page {page}, listed {} conversation{}",
                listed.len(),
                if listed.len() == 1 { "" } else { "s" }
            );
            (what, listed)
        } else {
            let link = (
                format!("/console/messages/{}", e.subject_id),
                e.subject_id.clone(),
            );
            (String::new(), vec![link])
        };
        Self {
            at: display_time(e.at),
            at_iso: iso_time(e.at),
            staff_id: e.actor_id.clone().unwrap_or_default(),
            what,
            links,
            via: e.details["via"].as_str().unwrap_or_default().to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "console/access_log.html")]
struct AccessLogPage {
    layout: Layout,
    rows: Vec<ReadRow>,
    paging: Paging,
}

/// `?page=N`, counted from 1; anything else is the first page.
#[derive(Deserialize)]
struct PageQuery {
    #[serde(default)]
    page: String,
}

fn page_number(raw: &str) -> i64 {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| (1..=1_000_000).contains(p))
        .unwrap_or(1)
}

/// Links to the pages before and after one page of a list.
pub struct Paging {
    pub page: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Paging {
    /// `more` tells whether a row beyond this page exists; `href` gives a
    /// page's link.
    fn new(page: i64, more: bool, href: impl Fn(i64) -> String) -> Self {
        Self {
            page,
            previous: (page > 1).then(|| href(page - 1)),
            next: more.then(|| href(page + 1)),
        }
    }
}

/// Fetches one page of `per_page` rows (asking for one more to learn
/// whether a next page exists) and returns the page's rows.
async fn one_page<T, F, Fut>(page: i64, per_page: i64, fetch: F) -> Result<(Vec<T>, bool), WebError>
where
    F: FnOnce(i64, i64) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, StoreError>>,
{
    let mut rows = fetch(per_page + 1, (page - 1) * per_page).await?;
    let more = rows.len() as i64 > per_page;
    rows.truncate(per_page as usize);
    Ok((rows, more))
}

async fn access_log(
    me: StaffSession,
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Page<AccessLogPage>, WebError> {
    let page = page_number(&query.page);
    let (events, more) = one_page(page, ACCESS_LOG_ROWS, |limit, offset| {
        state.store.moderation().staff_reads_page(limit, offset)
    })
    .await?;
    let rows = events.iter().map(ReadRow::from_event).collect();
    Ok(Page(AccessLogPage {
        layout: me.layout(&state).await?,
        rows,
        paging: Paging::new(page, more, |p| format!("/console/access-log?page={p}")),
    }))
}

pub struct ConversationRow {
    pub href: String,
    pub order_id: String,
    pub buyer_name: String,
    pub buyer_alias: String,
    pub seller_alias: String,
    pub seller_id: String,
    pub blocked: bool,
    pub seller_suspended: bool,
    pub last_message_at: String,
    pub last_message_iso: String,
}

#[derive(Template)]
#[template(path = "console/conversations.html")]
struct ConversationsPage {
    layout: Layout,
    q: String,
    rows: Vec<ConversationRow>,
    paging: Paging,
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

/// Conversations on one page of search results.
const SEARCH_ROWS: i64 = 50;

/// Every seller's conversations, searched in the database by alias, buyer
/// name or real address, order id, seller name or real address, message
/// text, or conversation or seller id. Lists no message text.
async fn conversations(
    me: StaffSession,
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> Result<Page<ConversationsPage>, WebError> {
    let q = query.q.trim().to_owned();
    let page = page_number(&query.page);
    let domain = &state.settings.relay_domain;
    let (found, more) = one_page(page, SEARCH_ROWS, |limit, offset| {
        state
            .store
            .moderation()
            .search_conversations(&q, limit, offset)
    })
    .await?;
    // A search reaches into message text and real addresses: what it
    // turned up is accounted for like a read, so probing leaves a trace.
    if !q.is_empty() {
        let ids: Vec<String> = found.iter().map(|c| c.id.to_string()).collect();
        audit::staff_searched(state.store.as_ref(), me.staff, &ids, page).await?;
    }
    let rows = found
        .into_iter()
        .map(|c| ConversationRow {
            href: format!("/console/conversations/{}", c.id),
            order_id: c.order_id.clone().unwrap_or_default(),
            buyer_name: c.buyer_name.clone(),
            buyer_alias: format!("{}@{domain}", c.buyer_alias),
            seller_alias: format!("{}@{domain}", c.seller_alias),
            seller_id: c.seller_id.to_string(),
            blocked: c.blocked,
            seller_suspended: c.seller_suspended,
            last_message_at: c.last_message_at.map(display_time).unwrap_or_default(),
            last_message_iso: c.last_message_at.map(iso_time).unwrap_or_default(),
        })
        .collect();
    let paging = Paging::new(page, more, |p| {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("q", &q)
            .append_pair("page", &p.to_string())
            .finish();
        format!("/console/conversations?{query}")
    });
    Ok(Page(ConversationsPage {
        layout: me.layout(&state).await?,
        q,
        rows,
        paging,
    }))
}

#[derive(Template)]
#[template(path = "console/conversation.html")]
struct ConversationPage {
    layout: Layout,
    id: String,
    buyer_name: String,
    seller_name: String,
    order_id: String,
    blocked: bool,
    seller_suspended: bool,
    /// Since when mail to the buyer / the seller keeps bouncing.
    buyer_bouncing: Option<String>,
    seller_bouncing: Option<String>,
    notice: Option<&'static str>,
    messages: Vec<AuditView>,
    /// How fast the seller answers buyers, over the last 30 days.
    response_time: crate::web::response_time::ResponseTimeLine,
}

/// One conversation's audit view: every message oldest first, as received
/// beside as delivered, so each shown message counts as a read.
async fn conversation(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Page<ConversationPage>, WebError> {
    let id: ConversationId = parse_id(&id)?;
    let conversation = state.store.conversations().get_conversation(id).await?;
    let stored = state.store.messages().list_messages(id).await?;
    let (buyer_bouncing, seller_bouncing) = state.store.bounces().bouncing_since(id).await?;
    let mut messages = Vec::with_capacity(stored.len());
    for m in &stored {
        audit::staff_read(state.store.as_ref(), me.staff, m.id, "web.conversation").await?;
        messages.push(audit_view(&state, m).await?);
    }
    Ok(Page(ConversationPage {
        layout: me.layout(&state).await?,
        id: id.to_string(),
        buyer_name: conversation.buyer.name.clone(),
        seller_name: conversation.seller.name.clone(),
        order_id: conversation.order_id.clone().unwrap_or_default(),
        blocked: conversation.blocked,
        seller_suspended: conversation.seller.suspended,
        buyer_bouncing: buyer_bouncing.map(display_time),
        seller_bouncing: seller_bouncing.map(display_time),
        notice: match query.notice.as_str() {
            "blocked" => Some(
                "Blocked: mail in this conversation is no longer delivered; senders get a notice.",
            ),
            "unblocked" => Some("Unblocked: mail in this conversation flows again."),
            "suspended" => {
                Some("Suspended: every message in this seller's conversations is held for review.")
            }
            "reinstated" => Some("Reinstated: this seller's messages are delivered again."),
            _ => None,
        },
        messages,
        response_time: crate::web::response_time::ResponseTimeLine::of(
            &state,
            conversation.seller.id,
        )
        .await?,
    }))
}

/// A moderation form: the action its button names, a note, the CSRF token.
#[derive(Deserialize)]
pub(super) struct ModerateForm {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub csrf_token: String,
}

async fn block(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ModerateForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let id = parse_id::<ConversationId>(&id)?;
    let (blocked, notice) = match form.action.as_str() {
        "block" => (true, "blocked"),
        "unblock" => (false, "unblocked"),
        _ => return Err(WebError::NotFound),
    };
    state
        .relay
        .set_conversation_blocked(id, blocked, me.staff, Some(&form.note))
        .await?;
    Ok(Redirect::to(&format!(
        "/console/conversations/{id}?notice={notice}"
    )))
}

/// What a suspend or reinstate button asks: suspended or not, and the
/// notice the page shows after.
pub(super) fn suspension_choice(action: &str) -> Result<(bool, &'static str), WebError> {
    match action {
        "suspend" => Ok((true, "suspended")),
        "reinstate" => Ok((false, "reinstated")),
        _ => Err(WebError::NotFound),
    }
}

/// Suspends or reinstates the seller of the conversation the form is on.
async fn suspend(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ModerateForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let id = parse_id::<ConversationId>(&id)?;
    let (suspended, notice) = suspension_choice(&form.action)?;
    let conversation = state.store.conversations().get_conversation(id).await?;
    state
        .relay
        .set_seller_suspended(
            conversation.seller.id,
            suspended,
            me.staff,
            Some(&form.note),
        )
        .await?;
    Ok(Redirect::to(&format!(
        "/console/conversations/{id}?notice={notice}"
    )))
}
