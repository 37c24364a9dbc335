//! Compact reads for the staff dashboard: one small row per message of a
//! period, the review decisions of that period, and the review queue's state.
//! Reached through `Store::stats()`; implemented once for both engines in `store/sql/stats.rs`.
//!
//! Days are counted in Rust, not in SQL: SQLite keeps times as text and
//! Postgres as `timestamptz`, so bucketing in SQL would need a query per
//! engine, and UTC days are one `Date` away in Rust. Both engines compare
//! `created_at >= $1` correctly; a row here is a few dozen bytes without
//! bodies, and findings come as text (none for the usual `[]`) to be parsed
//! once. 100k messages are one sequential read of a few megabytes, about a
//! second in an unoptimised build.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{Action, DeliveryKind, MessageId, MessageStatus, ReviewDecision, SellerId};

/// What the dashboard needs of one message; never its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageFact {
    pub id: MessageId,
    pub created_at: OffsetDateTime,
    pub action: Action,
    pub status: MessageStatus,
    pub findings: Vec<crate::domain::StoredFinding>,
    pub seller_id: SellerId,
    pub seller_name: String,
}

/// A staff decision on a held message, from the audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewFact {
    /// The message id as the audit event names it.
    pub message_id: String,
    pub decision: ReviewDecision,
    pub at: OffsetDateTime,
}

/// The review queue now, whatever the period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueState {
    pub held: i64,
    pub oldest_held_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, Default)]
pub struct StatsFacts {
    /// Messages created at or after `since`, oldest first.
    pub messages: Vec<MessageFact>,
    /// Releases and rejections at or after `since`, oldest first.
    pub reviews: Vec<ReviewFact>,
    pub queue: QueueState,
}

/// The outbound queue and the review queue now, for `/metrics`: read from
/// the database at each scrape, so every process sharing it reports the same.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueSummary {
    /// Entries waiting for their (next) delivery attempt, by kind; kinds
    /// with none are left out.
    pub pending: Vec<(DeliveryKind, i64)>,
    /// When the oldest waiting entry was queued.
    pub oldest_pending_at: Option<OffsetDateTime>,
    pub review: QueueState,
}

#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Everything the dashboard counts from `since` on.
    async fn dashboard_facts(&self, since: OffsetDateTime) -> StoreResult<StatsFacts>;
    /// Both queues' depth and oldest entry.
    async fn queue_summary(&self) -> StoreResult<QueueSummary>;
}
