//! Strikes against sellers: warnings, confirmed violations, automatic
//! suspension and the review queue buyer reports open. Reached through
//! `Store::strikes()`; implemented once for both engines in
//! `store/sql/strikes.rs`. A rejection is recorded as a violation by
//! `MessageStore::review_message` itself, in the review's transaction.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{
    MessageId, NewWarning, SellerId, SellerRecord, SellerReview, SellerStanding, SellerWarning,
    StaffId,
};

#[async_trait]
pub trait StrikeStore: Send + Sync {
    /// In one transaction: the warning, the message counted as a violation
    /// (unless it counts already), a `warning` queue entry that mails it to
    /// the seller, and `seller.warned` by that staff member. NotFound for
    /// an unknown message or staff member; InvalidState("not_seller_message")
    /// for a buyer's message, InvalidState("not_reviewed") for one that is
    /// neither held nor rejected; Conflict("warning") if the message was
    /// warned about already.
    async fn warn_seller(&self, new: &NewWarning) -> StoreResult<SellerWarning>;

    /// The warning given about `message`, if any.
    async fn warning_for_message(&self, message: MessageId) -> StoreResult<Option<SellerWarning>>;

    /// Confirmed violations of the seller at or after `since` and after
    /// the seller was last reinstated.
    async fn violations_since(&self, seller: SellerId, since: OffsetDateTime) -> StoreResult<i64>;

    /// Suspends the seller unless suspended already, with `seller.suspended`
    /// by the system and `reason`; returns whether it changed anything.
    async fn suspend_automatically(
        &self,
        seller: SellerId,
        reason: &str,
        at: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// Opens a review of the seller when at least `buyers` distinct buyers
    /// reported their messages at or after `since` (and after the last
    /// review was cleared) and none is open, with `seller.review_opened`;
    /// returns the review it opened.
    async fn open_review_if_reported(
        &self,
        seller: SellerId,
        buyers: u32,
        since: OffsetDateTime,
        at: OffsetDateTime,
    ) -> StoreResult<Option<SellerReview>>;

    /// Open reviews, oldest first.
    async fn open_reviews(&self) -> StoreResult<Vec<SellerReview>>;

    /// Clears the seller's open review, with `seller.review_cleared` by
    /// that staff member and the note. NotFound for an unknown seller;
    /// InvalidState if no review is open.
    async fn clear_review(
        &self,
        seller: SellerId,
        staff: StaffId,
        note: Option<&str>,
        at: OffsetDateTime,
    ) -> StoreResult<()>;

    /// What stands against the seller. NotFound for an unknown seller.
    async fn seller_record(&self, seller: SellerId) -> StoreResult<SellerRecord>;

    /// Every seller with their counts, by name, at most `limit`.
    async fn seller_standings(&self, limit: i64) -> StoreResult<Vec<SellerStanding>>;
}
