//! Strikes against sellers: staff warn a seller about a held message,
//! confirmed violations (messages staff rejected or warned about) suspend
//! the seller once there are enough within the period, and a surge of buyer
//! reports puts the seller in the staff review queue.

use time::OffsetDateTime;

use super::{Relay, RelayError};
use crate::domain::{
    MessageId, NewWarning, SellerId, SellerRecord, SellerReview, SellerWarning, StaffId,
    automatic_suspension_reason,
};

/// Warning reasons are kept whole up to this length, like review notes.
const REASON_CHARS: usize = 2000;

impl Relay {
    /// Records the warning about a held (or rejected) seller message,
    /// queues it to the seller by mail, counts it as a violation, and
    /// suspends the seller if that makes enough. InvalidState for a
    /// message that is not the seller's or was not stopped for review;
    /// Conflict if it was warned about already.
    pub async fn warn_seller(
        &self,
        message: MessageId,
        staff: StaffId,
        reason: &str,
    ) -> Result<SellerWarning, RelayError> {
        let new = NewWarning {
            message_id: message,
            staff_id: staff,
            reason: reason.trim().chars().take(REASON_CHARS).collect(),
            at: OffsetDateTime::now_utc(),
        };
        let warning = self.store.strikes().warn_seller(&new).await?;
        tracing::info!(message_id = %message, staff_id = %staff, seller_id = %warning.seller_id, "seller warned");
        self.after_violation(warning.seller_id).await;
        Ok(warning)
    }

    /// Suspends the seller when their confirmed violations within the
    /// period, since they were last reinstated, reach the limit. Returns
    /// whether this call suspended them.
    pub async fn apply_strikes(&self, seller: SellerId) -> Result<bool, RelayError> {
        let limits = self.config.strike_limits;
        let now = OffsetDateTime::now_utc();
        let violations = self
            .store
            .strikes()
            .violations_since(seller, now - limits.window)
            .await?;
        if violations < i64::from(limits.suspend_after) {
            return Ok(false);
        }
        let suspended = self
            .store
            .strikes()
            .suspend_automatically(seller, &automatic_suspension_reason(violations), now)
            .await?;
        if suspended {
            tracing::info!(seller_id = %seller, violations, "seller suspended automatically");
        }
        Ok(suspended)
    }

    /// `apply_strikes` once a violation is recorded: the staff decision
    /// stands whatever happens here, so a failure is logged, and the next
    /// violation counts this one again.
    pub(super) async fn after_violation(&self, seller: SellerId) {
        if let Err(e) = self.apply_strikes(seller).await {
            tracing::error!(seller_id = %seller, error = %e, "could not apply the strike limits");
        }
    }

    /// Puts the seller in the review queue when enough distinct buyers
    /// reported them within the period (reports a cleared review weighed
    /// do not count again). Returns the review it opened.
    pub async fn review_if_reported(
        &self,
        seller: SellerId,
    ) -> Result<Option<SellerReview>, RelayError> {
        let limits = self.config.strike_limits;
        let now = OffsetDateTime::now_utc();
        let opened = self
            .store
            .strikes()
            .open_review_if_reported(
                seller,
                limits.review_after_buyers,
                now - limits.report_window,
                now,
            )
            .await?;
        if let Some(review) = &opened {
            tracing::info!(seller_id = %seller, buyers = review.buyers, "seller put in review by buyer reports");
        }
        Ok(opened)
    }

    /// What stands against the seller, and how many violations count
    /// toward a suspension now, as `staff` read it: the subjects listed
    /// are message text, so each message listed counts as a read (`via`).
    pub async fn seller_record(
        &self,
        seller: SellerId,
        staff: StaffId,
        via: &str,
    ) -> Result<(SellerRecord, i64), RelayError> {
        let record = self.store.strikes().seller_record(seller).await?;
        let read: Vec<MessageId> = record
            .violations
            .iter()
            .map(|v| v.message_id)
            .chain(record.reports.iter().map(|r| r.message_id))
            .collect();
        crate::audit::staff_read_all(self.store.as_ref(), staff, &read, via).await?;
        let counted = self
            .store
            .strikes()
            .violations_since(
                seller,
                OffsetDateTime::now_utc() - self.config.strike_limits.window,
            )
            .await?;
        Ok((record, counted))
    }

    /// Staff take the seller out of the review queue. InvalidState if the
    /// seller is not in it.
    pub async fn clear_seller_review(
        &self,
        seller: SellerId,
        staff: StaffId,
        note: Option<&str>,
    ) -> Result<(), RelayError> {
        let note = note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| n.chars().take(REASON_CHARS).collect::<String>());
        self.store
            .strikes()
            .clear_review(seller, staff, note.as_deref(), OffsetDateTime::now_utc())
            .await?;
        tracing::info!(seller_id = %seller, staff_id = %staff, "seller review cleared");
        Ok(())
    }
}
