//! Staff decisions on held messages.

use time::OffsetDateTime;

use super::{Relay, RelayError};
use crate::domain::{Direction, MessageId, ReviewDecision, StaffId, StoredMessage};

impl Relay {
    /// Release queues the (already redacted) message for delivery; reject
    /// queues a notice to its sender. Both are audited by the store in the
    /// same transaction. A rejected seller message is a violation: enough
    /// of them suspend the seller (`apply_strikes`).
    pub async fn review(
        &self,
        id: MessageId,
        decision: ReviewDecision,
        staff: StaffId,
        note: Option<&str>,
    ) -> Result<StoredMessage, RelayError> {
        let note = note.map(|n| n.chars().take(2000).collect::<String>());
        let message = self
            .store
            .messages()
            .review_message(
                id,
                decision,
                staff,
                note.as_deref(),
                OffsetDateTime::now_utc(),
            )
            .await?;
        self.metrics
            .message_reviewed(message.direction, message.action, decision);
        tracing::info!(message_id = %id, staff_id = %staff, decision = ?decision, "held message reviewed");
        if decision == ReviewDecision::Reject && message.direction == Direction::SellerToBuyer {
            // The store counted the rejection as a violation of the seller.
            let conversation = self
                .store
                .conversations()
                .get_conversation(message.conversation_id)
                .await?;
            self.after_violation(conversation.seller.id).await;
        }
        Ok(message)
    }
}
