//! Response time: buyer messages marked "no response needed", and a
//! seller's response time as `domain::response_time` defines it.

use time::OffsetDateTime;

use super::{Relay, RelayError};
use crate::domain::{MessageId, ResponseTime, SellerId};
use crate::store::response_time::{NoResponseMark, NoResponseMarker};

impl Relay {
    /// Marks a buyer message as needing no reply, by its seller or the
    /// operator; `true` when this call marked it. For a seller, another
    /// seller's message, or buyer mail moderation withheld from them, is
    /// NotFound, as a missing one is. InvalidState for a seller's message.
    pub async fn mark_no_response(
        &self,
        by: NoResponseMarker,
        message: MessageId,
    ) -> Result<(NoResponseMark, bool), RelayError> {
        if let NoResponseMarker::Seller(seller) = by {
            let stored = self.store.messages().get_message(message).await?;
            self.seller_conversation(seller, stored.conversation_id)
                .await?;
            if !stored.visible_to_seller() {
                return Err(RelayError::NotFound);
            }
        }
        Ok(self
            .store
            .response_times()
            .mark_no_response(message, by, OffsetDateTime::now_utc())
            .await?)
    }

    /// The seller's response time now, over the last `window_days` days.
    /// NotFound for an unknown seller.
    pub async fn response_time(
        &self,
        seller: SellerId,
        window_days: u32,
    ) -> Result<ResponseTime, RelayError> {
        self.store.parties().get_seller(seller).await?;
        Ok(self
            .store
            .response_times()
            .seller_response_time(seller, OffsetDateTime::now_utc(), window_days)
            .await?)
    }
}
