//! The conversation list: newest first, unread counts, search.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;
use time::OffsetDateTime;

use super::REPLY_DUE_AFTER;
use crate::web::{
    Layout, Page, WebError, display_time, iso_time, response_time::ResponseTimeLine,
    session::SellerSession,
};
use crate::{domain::ConversationId, http::AppState, relay::judge::BUYER, store::Cursor};

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

/// Conversations on one page of the list.
pub const PAGE_ROWS: i64 = 50;

#[derive(Template)]
#[template(path = "inbox/list.html")]
pub(super) struct ListPage {
    layout: Layout,
    q: String,
    rows: Vec<Row>,
    total: i64,
    /// The link to the next (older) page, if there is one.
    older: Option<String>,
    notice: Option<&'static str>,
    /// How fast the seller answers buyers, over the last 30 days: on the
    /// first page only, so paging and searching do not measure it again.
    response_time: Option<ResponseTimeLine>,
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    notice: String,
    /// Where the previous page ended (`store::Cursor`); a broken one starts over.
    #[serde(default)]
    after: String,
}

/// The list, newest activity first, a page at a time; a search looks
/// through all the seller's conversations and lists every match.
pub(super) async fn list(
    me: SellerSession,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Page<ListPage>, WebError> {
    let conversations = state.store.conversations();
    let q = query.q.trim().to_lowercase();
    // One aggregate over the seller's 30 days of messages: worth its cost
    // where the seller lands, not on every older page or search.
    let response_time = match q.is_empty() && query.after.is_empty() {
        true => Some(ResponseTimeLine::of(&state, me.seller).await?),
        false => None,
    };
    let (summaries, next) = if q.is_empty() {
        let page = conversations
            .seller_conversations_page(me.seller, Cursor::parse(&query.after), PAGE_ROWS)
            .await?;
        (page.rows, page.next)
    } else {
        (
            conversations.list_conversations(Some(me.seller)).await?,
            None,
        )
    };
    let total = conversations.seller_conversation_count(me.seller).await?;
    let overdue: HashSet<ConversationId> = state
        .store
        .accounts()
        .awaiting_reply(me.seller, OffsetDateTime::now_utc() - REPLY_DUE_AFTER)
        .await?
        .into_iter()
        .collect();
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
        older: next.map(|c| format!("/inbox?after={}", c.encode())),
        notice: match query.notice.as_str() {
            "closed" => Some("Marked as needing no response."),
            _ => None,
        },
        response_time,
    }))
}
