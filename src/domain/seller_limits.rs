//! How many messages a seller may write: per seller and clock hour, and
//! per conversation and UTC day. The windows are fixed (they start on the
//! hour and at midnight UTC), so every node names the same window for the
//! same moment and counts it in the same row of the store.

use time::{Duration, OffsetDateTime, Time};

use super::{ConversationId, SellerId};

/// The block reason of a seller's mail that came over a limit, and the
/// API's error code for a reply refused for it.
pub const SELLER_RATE_LIMITED: &str = "seller_rate_limited";

/// The most messages a seller may write in each window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SellerMessageLimits {
    /// In all their conversations together, per clock hour.
    pub per_seller_per_hour: u32,
    /// In one conversation, per UTC day.
    pub per_conversation_per_day: u32,
}

impl Default for SellerMessageLimits {
    fn default() -> Self {
        Self {
            per_seller_per_hour: 300,
            per_conversation_per_day: 30,
        }
    }
}

/// One window a message is counted in: whose, until when, and how many it takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageWindow {
    /// `seller:<id>` or `conversation:<id>`.
    pub key: String,
    /// When the window ends (exclusive); it names the window.
    pub ends_at: OffsetDateTime,
    pub max: u32,
}

impl SellerMessageLimits {
    /// The windows a message the seller writes at `now` counts in.
    pub fn windows(
        &self,
        seller: SellerId,
        conversation: ConversationId,
        now: OffsetDateTime,
    ) -> [MessageWindow; 2] {
        let now = now.to_offset(time::UtcOffset::UTC);
        let hour_start =
            now.replace_time(Time::from_hms(now.hour(), 0, 0).unwrap_or(Time::MIDNIGHT));
        let day_start = now.replace_time(Time::MIDNIGHT);
        [
            MessageWindow {
                key: format!("seller:{seller}"),
                ends_at: hour_start + Duration::HOUR,
                max: self.per_seller_per_hour,
            },
            MessageWindow {
                key: format!("conversation:{conversation}"),
                ends_at: day_start + Duration::DAY,
                max: self.per_conversation_per_day,
            },
        ]
    }
}

/// What must still hold when a message is stored, checked in the
/// transaction that stores it, so a send racing a suspension or another
/// send cannot get past either: the seller's suspension as the message
/// was routed, a slot in each of its windows, and the order's one review
/// request when the message makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerGate {
    pub seller: SellerId,
    /// Whether the message was routed as a suspended seller's.
    pub suspended: bool,
    /// The windows it takes a slot in: none for a buyer's message, or for
    /// one already found over a limit (it is kept, blocked, and counts nowhere).
    pub windows: Vec<MessageWindow>,
    /// When the slots are taken; windows that ended by then are pruned.
    pub at: OffsetDateTime,
    /// The order (of the message's conversation) whose one review request
    /// this message is, recorded against it with the message; `None` when
    /// it asks for no review, or is blocked.
    pub review_request: Option<String>,
}

/// Why the store did not store a message behind a `SellerGate`; nothing
/// was stored and no slot taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateRefusal {
    /// A window is full.
    RateLimited(RateLimited),
    /// The seller's suspension is not what the message was routed with:
    /// here is what it is now.
    SuspensionChanged { suspended: bool },
    /// The order's review request was recorded by another message first.
    ReviewRequestRepeated,
}

/// A seller's message over a limit: when they may write again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "you have written the most messages allowed for now; you may write again from {}",
    self.until.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
)]
pub struct RateLimited {
    /// When the full window ends.
    pub until: OffsetDateTime,
}

impl RateLimited {
    /// Whole seconds from `now` until the window ends, at least 1 (for `Retry-After`).
    pub fn retry_after_secs(&self, now: OffsetDateTime) -> u64 {
        let secs = (self.until - now).as_seconds_f64().ceil();
        if secs < 1.0 { 1 } else { secs as u64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn windows_are_the_clock_hour_and_the_utc_day() {
        let seller = SellerId::new();
        let conversation = ConversationId::new();
        let limits = SellerMessageLimits::default();
        let [hour, day] = limits.windows(seller, conversation, datetime!(2026-03-01 23:59:30 +02));
        assert_eq!(hour.key, format!("seller:{seller}"));
        assert_eq!(hour.ends_at, datetime!(2026-03-01 22:00 UTC));
        assert_eq!(hour.max, 300);
        assert_eq!(day.key, format!("conversation:{conversation}"));
        assert_eq!(day.ends_at, datetime!(2026-03-02 00:00 UTC));
        assert_eq!(day.max, 30);
        let limited = RateLimited {
            until: hour.ends_at,
        };
        assert_eq!(
            limited.retry_after_secs(datetime!(2026-03-01 21:59:30 UTC)),
            30
        );
        assert_eq!(
            limited.retry_after_secs(datetime!(2026-03-01 22:00:30 UTC)),
            1
        );
    }
}
