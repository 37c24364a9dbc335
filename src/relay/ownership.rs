//! What a seller may see and act on: their own conversations. Another
//! seller's answers exactly as a missing id does, so ids are no oracle.

use time::OffsetDateTime;

use super::{Relay, RelayError};
use crate::domain::{Conversation, ConversationId, SellerId};

impl Relay {
    /// The seller's own conversation, or NotFound.
    pub async fn seller_conversation(
        &self,
        seller: SellerId,
        id: ConversationId,
    ) -> Result<Conversation, RelayError> {
        let conversation = self.store.conversations().get_conversation(id).await?;
        if conversation.seller.id != seller {
            return Err(RelayError::NotFound);
        }
        Ok(conversation)
    }

    /// The seller answers without a reply: the conversation is marked
    /// answered and its messages read, audited, in one transaction.
    pub async fn mark_no_response_needed(
        &self,
        seller: SellerId,
        conversation: &Conversation,
    ) -> Result<(), RelayError> {
        if conversation.seller.id != seller {
            return Err(RelayError::NotFound);
        }
        self.store
            .accounts()
            .mark_no_response_needed(conversation.id, seller, OffsetDateTime::now_utc())
            .await?;
        Ok(())
    }
}
