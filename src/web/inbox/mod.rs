//! The seller inbox: conversations newest first, a thread oldest first, the
//! reply form (the same `relay.seller_reply` as the API) and "no response needed".

mod list;
mod preview;
mod reply;
mod thread;

use axum::{
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use time::Duration;

use super::WebError;
use crate::{
    domain::{Conversation, ConversationId, SellerId},
    http::AppState,
};

use list::list;
pub use preview::{CSRF_HEADER, Preview};
use preview::{live_preview, preview};
use reply::{no_response, reply};
use thread::thread;
pub use thread::{AttachmentRow, ThreadMessage};

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

/// The seller's conversation, or NotFound: another seller's looks exactly
/// like one that does not exist.
async fn own_conversation(
    state: &AppState,
    seller: SellerId,
    raw_id: &str,
) -> Result<Conversation, WebError> {
    let id: ConversationId = super::parse_id(raw_id)?;
    Ok(state.relay.seller_conversation(seller, id).await?)
}
