//! Staff decisions on conversations and sellers: block or unblock, suspend or
//! reinstate. The relay rules in `initial_status` do the rest.

use time::OffsetDateTime;

use super::{Relay, RelayError};
use crate::domain::{Conversation, ConversationId, Seller, SellerId, StaffId};

/// Notes are kept whole up to this length, like review notes.
const NOTE_CHARS: usize = 2000;

fn trimmed_note(note: Option<&str>) -> Option<String> {
    note.map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(NOTE_CHARS).collect())
}

impl Relay {
    /// From now on mail in the conversation, either way, is stored `blocked`
    /// and its sender gets a notice; unblocking lets later mail through again.
    pub async fn set_conversation_blocked(
        &self,
        id: ConversationId,
        blocked: bool,
        staff: StaffId,
        note: Option<&str>,
    ) -> Result<Conversation, RelayError> {
        let note = trimmed_note(note);
        let conversation = self
            .store
            .moderation()
            .set_conversation_blocked(
                id,
                blocked,
                staff,
                note.as_deref(),
                OffsetDateTime::now_utc(),
            )
            .await?;
        tracing::info!(conversation_id = %id, staff_id = %staff, blocked, "conversation moderated");
        Ok(conversation)
    }

    /// From now on every message in the seller's conversations is held for
    /// review; reinstating lets later messages through again.
    pub async fn set_seller_suspended(
        &self,
        id: SellerId,
        suspended: bool,
        staff: StaffId,
        note: Option<&str>,
    ) -> Result<Seller, RelayError> {
        let note = trimmed_note(note);
        let seller = self
            .store
            .moderation()
            .set_seller_suspended(
                id,
                suspended,
                staff,
                note.as_deref(),
                OffsetDateTime::now_utc(),
            )
            .await?;
        tracing::info!(seller_id = %id, staff_id = %staff, suspended, "seller moderated");
        Ok(seller)
    }
}
