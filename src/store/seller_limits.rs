//! Seller messages counted per window (a seller's clock hour, a
//! conversation's UTC day) in the database, so every node on one database
//! applies the same rate limits. Reached through `Store::seller_limits()`;
//! implemented once for both engines in `store/sql/seller_limits.rs`.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{MessageWindow, RateLimited};

#[async_trait]
pub trait SellerLimitStore: Send + Sync {
    /// Counts one message at `at` in every window, in one transaction, only
    /// if each has room: a window at its `max` refuses, and then none is
    /// counted and the answer names the latest end among the full windows.
    /// Windows that ended by `at` are deleted. Nodes counting at once each
    /// take their own slot; none gets one past `max`.
    async fn count_seller_message(
        &self,
        windows: &[MessageWindow],
        at: OffsetDateTime,
    ) -> StoreResult<Result<(), RateLimited>>;
}
