//! Reads for the staff dashboard. Reached through `Store::stats()`;
//! implemented once for both engines in `store/sql/stats.rs`.
//!
//! The page reads `dashboard_counts`: counts per UTC day kept as messages
//! are stored and reviewed (migration 0018), in the same transaction, so a
//! period is a few dozen rows whatever the number of messages. Outcomes
//! never change after a message is stored: a released or rejected message
//! still counts as held, erasure and delivery move a message between
//! statuses of the same outcome. `dashboard_facts` reads one small row per
//! message of a period instead; it is the reference the counts are tested
//! against, too slow for the page at a million messages.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{Action, DeliveryKind, MessageId, MessageStatus, ReviewDecision, SellerId};

/// What happened to a message when it arrived, for the daily chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Passed on unchanged (queued, sent, or failed on delivery).
    Delivered,
    Redacted,
    /// Held for review, whether still held, released or rejected since.
    Held,
    Blocked,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Delivered,
        Outcome::Redacted,
        Outcome::Held,
        Outcome::Blocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Redacted => "redacted",
            Outcome::Held => "held",
            Outcome::Blocked => "blocked",
        }
    }

    /// A released message is `queued` or `sent` again, so the review trail
    /// (`reviewed`) is what still tells it was held.
    pub fn of(action: Action, status: MessageStatus, reviewed: bool) -> Self {
        match (action, status) {
            (_, MessageStatus::Blocked) => Outcome::Blocked,
            (_, MessageStatus::Held | MessageStatus::Rejected) | (Action::Hold, _) => Outcome::Held,
            _ if reviewed => Outcome::Held,
            (Action::Redact, _) => Outcome::Redacted,
            _ => Outcome::Delivered,
        }
    }
}

/// One day's messages by outcome and staff decisions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Indexed like `Outcome::ALL`.
    pub outcomes: [u64; 4],
    pub released: u64,
    pub rejected: u64,
}

impl DayCounts {
    pub fn messages(&self) -> u64 {
        self.outcomes.iter().sum()
    }

    pub fn count(&self, outcome: Outcome) -> u64 {
        self.outcomes[outcome as usize]
    }
}

/// A seller's messages with findings and held or blocked ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerViolations {
    pub seller_id: SellerId,
    pub name: String,
    /// Messages in the seller's conversations, either way, with any finding.
    pub with_findings: u64,
    pub held_or_blocked: u64,
}

/// The kept counts of a range of days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DashboardCounts {
    /// The days with any count, oldest first.
    pub days: Vec<(time::Date, DayCounts)>,
    /// Finding kind as stored → messages with at least one finding of it.
    pub kinds: Vec<(String, u64)>,
    /// Every seller with a violation in the range, in no order.
    pub sellers: Vec<SellerViolations>,
    pub queue: QueueState,
}

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
    /// Everything the dashboard counts from `since` on, message by message.
    async fn dashboard_facts(&self, since: OffsetDateTime) -> StoreResult<StatsFacts>;
    /// The kept counts of the UTC days `first..=last`.
    async fn dashboard_counts(
        &self,
        first: time::Date,
        last: time::Date,
    ) -> StoreResult<DashboardCounts>;
    /// Both queues' depth and oldest entry.
    async fn queue_summary(&self) -> StoreResult<QueueSummary>;
}
