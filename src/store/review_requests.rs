//! When each order was delivered and whether its seller asked for a review:
//! a seller may ask once per order, after delivery. Reached through
//! `Store::review_requests()`; implemented once for both engines in
//! `store/sql/review_requests.rs`. A request is recorded in the
//! transaction that stores the message making it
//! (`SellerGate::review_request`), so two racing for one order cannot
//! both pass.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::ConversationId;

/// One registered order of a conversation, as the review window reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderReviewState {
    pub order_id: String,
    /// When the marketplace marked it delivered, if it did.
    pub delivered_at: Option<OffsetDateTime>,
    /// When the seller asked for a review of it, if they did.
    pub review_requested_at: Option<OffsetDateTime>,
}

#[async_trait]
pub trait ReviewRequestStore: Send + Sync {
    /// Marks a registered order delivered at `at`, audited as
    /// `conversation.order_delivered`. An order marked already keeps its
    /// first date (`false`). `NotFound` for an unknown conversation or an
    /// order not registered for it.
    async fn mark_order_delivered(
        &self,
        conversation: ConversationId,
        order_id: &str,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// The conversation's registered orders, oldest first.
    async fn order_review_states(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Vec<OrderReviewState>>;
}
