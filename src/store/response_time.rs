//! Sellers' response time (`domain::response_time`) and the buyer messages
//! marked "no response needed". Reached through `Store::response_times()`;
//! implemented once for both engines in `store/sql/response_time.rs`.
//!
//! The measure is one statement: the seller's buyer messages of the window
//! from the conversations index, each one's answer a seek into the index
//! on `(conversation_id, direction, created_at)` (migration 0023), and the
//! counts and the median aggregated in SQL, so it reads no message rows
//! into the process however many there are.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{ConversationId, MessageId, NoResponseMarkedBy, ResponseTime, SellerId};

/// Who marked a buyer message as needing no reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoResponseMarker {
    Seller(SellerId),
    Operator,
}

impl NoResponseMarker {
    /// `message_no_response.marked_by`, also the audit event's actor kind.
    pub fn marked_by(self) -> NoResponseMarkedBy {
        match self {
            NoResponseMarker::Seller(_) => NoResponseMarkedBy::Seller,
            NoResponseMarker::Operator => NoResponseMarkedBy::Operator,
        }
    }
}

/// A buyer message's "no response needed" mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoResponseMark {
    pub message_id: MessageId,
    pub marked_by: NoResponseMarkedBy,
    pub marked_at: OffsetDateTime,
}

#[async_trait]
pub trait ResponseTimeStore: Send + Sync {
    /// The seller's response time as of `now` over the `window_days` days
    /// before it, as `domain::response_time::measure` defines it.
    async fn seller_response_time(
        &self,
        seller: SellerId,
        now: OffsetDateTime,
        window_days: u32,
    ) -> StoreResult<ResponseTime>;

    /// Marks a buyer message "no response needed", with
    /// `message.no_response_needed` by `by`, in one transaction. A message
    /// is marked once: marking again returns the first mark and `false`,
    /// and records nothing. NotFound for an unknown message; InvalidState
    /// for a message the seller wrote.
    async fn mark_no_response(
        &self,
        message: MessageId,
        by: NoResponseMarker,
        at: OffsetDateTime,
    ) -> StoreResult<(NoResponseMark, bool)>;

    /// The conversation's buyer messages marked "no response needed".
    async fn no_response_marks(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Vec<NoResponseMark>>;
}
