//! The seller inbox: conversations newest first, a thread oldest first, the
//! reply form (the same `relay.seller_reply` as the API), "no response needed"
//! and "Request phone number" (the same `relay.request_consent` as the API).

mod consent;
mod list;
mod preview;
mod reply;
mod thread;

use axum::{
    extract::{DefaultBodyLimit, FromRequestParts, Path},
    http::request::Parts,
    routing::{get, post},
};
use time::Duration;

use super::{WebError, session::SellerSession};
use crate::{
    domain::{Conversation, ConversationId},
    http::AppState,
};

use consent::request_phone;
use list::list;
pub use preview::{CSRF_HEADER, Preview};
use preview::{live_preview, preview};
use reply::{no_response, reply};
use thread::thread;
pub use thread::{AttachmentRow, ThreadMessage};

/// A buyer message unanswered for this long is highlighted.
pub const REPLY_DUE_AFTER: Duration = Duration::hours(24);

/// The routes whose handlers bound the bodies they read themselves
/// (`read_reply_form`), past the service-wide limit.
pub const OWN_BODY_PATHS: [&str; 2] = ["/inbox/{id}/reply", "/inbox/{id}/preview"];

pub fn routes() -> super::Pages {
    super::Pages::default()
        .route("/inbox", get(list))
        .route("/inbox/{id}", get(thread))
        // The reply form carries files: its handlers count what they read
        // against the attachment limits themselves (`read_reply_form`).
        .route(
            OWN_BODY_PATHS[0],
            post(reply).layer(DefaultBodyLimit::disable()),
        )
        .route(
            OWN_BODY_PATHS[1],
            post(preview).layer(DefaultBodyLimit::disable()),
        )
        .route("/inbox/{id}/preview.json", post(live_preview))
        .route("/inbox/{id}/no-response", post(no_response))
        .route("/inbox/{id}/consent-request", post(request_phone))
}

/// The seller's own conversation, named by the path's `{id}`: the one
/// ownership rule (`Relay::seller_conversation`) as an extractor, so no
/// inbox handler can read or write a conversation without it. It runs
/// before any form or JSON body is read: another seller's conversation
/// answers exactly like a missing one, whatever the request carries.
pub(super) struct OwnConversation {
    pub me: SellerSession,
    pub conversation: Conversation,
}

impl FromRequestParts<AppState> for OwnConversation {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let me = SellerSession::from_request_parts(parts, state).await?;
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| WebError::NotFound)?;
        let id: ConversationId = super::parse_id(&raw)?;
        let conversation = state.relay.seller_conversation(me.seller, id).await?;
        Ok(Self { me, conversation })
    }
}
