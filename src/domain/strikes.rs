//! Strikes against sellers: warnings staff give about a held message, the
//! confirmed violations that suspend a seller once there are enough of them
//! within a period, and the review a surge of buyer reports opens.

use time::{Duration, OffsetDateTime};

use super::{MessageId, Report, SellerId, StaffId, vocabulary::vocabulary};

vocabulary!(
    /// How staff confirmed that a seller's message broke the rules. A
    /// message counts once, by the first of the two.
    ViolationKind in ["seller_violations.kind"] {
        /// Staff rejected the held message.
        Rejected = "rejected",
        /// Staff warned the seller about the message.
        Warned = "warned",
    }
);

/// When strikes suspend a seller and when reports open a review
/// (`[strikes]` in the settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrikeLimits {
    /// Confirmed violations within `window` that suspend the seller.
    pub suspend_after: u32,
    pub window: Duration,
    /// Distinct buyers reporting the seller within `report_window` that
    /// put the seller in the review queue.
    pub review_after_buyers: u32,
    pub report_window: Duration,
}

impl Default for StrikeLimits {
    fn default() -> Self {
        Self {
            suspend_after: 3,
            window: Duration::days(90),
            review_after_buyers: 3,
            report_window: Duration::hours(24),
        }
    }
}

/// The reason recorded when strikes suspend a seller.
pub fn automatic_suspension_reason(violations: i64) -> String {
    match violations {
        1 => "automatic: 1 violation".to_owned(),
        n => format!("automatic: {n} violations"),
    }
}

/// A warning as staff give it.
#[derive(Clone, Debug)]
pub struct NewWarning {
    pub message_id: MessageId,
    pub staff_id: StaffId,
    pub reason: String,
    pub at: OffsetDateTime,
}

/// A warning as kept.
#[derive(Clone, Debug)]
pub struct SellerWarning {
    pub id: uuid::Uuid,
    pub seller_id: SellerId,
    pub message_id: MessageId,
    pub staff_id: StaffId,
    pub reason: String,
    pub created_at: OffsetDateTime,
}

/// One confirmed violation: a seller's message staff rejected or warned about.
#[derive(Clone, Debug)]
pub struct Violation {
    pub message_id: MessageId,
    pub subject: String,
    pub kind: ViolationKind,
    pub staff_id: StaffId,
    pub at: OffsetDateTime,
}

/// A seller in the review queue: reported by many buyers lately.
#[derive(Clone, Debug)]
pub struct SellerReview {
    pub seller_id: SellerId,
    pub seller_name: String,
    pub opened_at: OffsetDateTime,
    /// The distinct buyers whose reports opened the review.
    pub buyers: i64,
}

/// Whether and why a seller is suspended.
#[derive(Clone, Debug)]
pub struct Suspension {
    pub suspended: bool,
    pub since: Option<OffsetDateTime>,
    pub reason: Option<String>,
    pub reinstated_at: Option<OffsetDateTime>,
}

/// Everything staff weigh about one seller, newest first in each list.
#[derive(Clone, Debug)]
pub struct SellerRecord {
    pub seller_id: SellerId,
    pub name: String,
    pub suspension: Suspension,
    pub violations: Vec<Violation>,
    pub warnings: Vec<SellerWarning>,
    pub reports: Vec<Report>,
    pub review: Option<SellerReview>,
}

/// One line of the list of sellers: what stands against each.
#[derive(Clone, Debug)]
pub struct SellerStanding {
    pub seller_id: SellerId,
    pub name: String,
    pub suspended: bool,
    pub violations: i64,
    pub warnings: i64,
    pub reports: i64,
    pub in_review: bool,
}
