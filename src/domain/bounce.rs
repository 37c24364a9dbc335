//! Bounces: what came back to a message's return path, and what it said.

use time::OffsetDateTime;

use super::{ConversationId, DeliveryId, MessageId, vocabulary::vocabulary};

vocabulary!(
    /// What a bounce says about the delivery it names.
    BounceKind in ["bounces.kind"] {
        /// Could not be delivered, for good (DSN `Action: failed`, a 5xx).
        Failed = "failed",
        /// Not delivered yet, still being tried (`Action: delayed`): recorded, not a failure.
        Delayed = "delayed",
        /// A report that says neither (delivered, relayed) or could not be read.
        Other = "other",
    }
);

vocabulary!(
    /// Which party a delivery went to.
    PartyRole in ["bounces.recipient_role"] {
        Buyer = "buyer",
        Seller = "seller",
    }
);

/// A bounce that came back to a signed return path, to record.
#[derive(Clone, Debug)]
pub struct NewBounce {
    /// The queue entry the return path named.
    pub delivery: DeliveryId,
    pub kind: BounceKind,
    /// The RFC 3463 status (`5.1.1`), when the report gave one.
    pub status: Option<String>,
    /// What the remote server said, with every address scrubbed.
    pub diagnostic: Option<String>,
    /// The bounce exactly as received.
    pub raw_mime: Vec<u8>,
    pub received_at: OffsetDateTime,
    /// Hard bounces of one address within `window` that mark its party.
    pub mark_after: u32,
    pub window: time::Duration,
}

/// What recording a bounce did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedBounce {
    pub message: MessageId,
    pub conversation: ConversationId,
    pub direction: super::Direction,
    pub action: super::Action,
    /// The message became `bounced` (the first permanent failure for it).
    pub bounced: bool,
    /// A notice to the sender was queued.
    pub notice_queued: bool,
    /// The recipient's party is now marked as bouncing (it was not before).
    pub party_marked: Option<PartyRole>,
}

/// The last bounce recorded for a message, as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BounceSummary {
    pub kind: BounceKind,
    pub status: Option<String>,
    pub diagnostic: Option<String>,
    pub received_at: OffsetDateTime,
}

impl PartyRole {
    /// Whom a queue entry of `kind` for a message going `direction` is
    /// addressed to: the counterpart for the message itself and a consent
    /// request, the sender for a notice.
    pub fn recipient_of(direction: super::Direction, kind: super::DeliveryKind) -> Self {
        use super::{DeliveryKind, Direction};
        let to_seller = match kind {
            DeliveryKind::Relay | DeliveryKind::ConsentRequest => {
                direction == Direction::BuyerToSeller
            }
            DeliveryKind::Notice => direction == Direction::SellerToBuyer,
        };
        if to_seller {
            PartyRole::Seller
        } else {
            PartyRole::Buyer
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DeliveryKind, Direction};

    #[test]
    fn a_notice_goes_back_to_the_sender_everything_else_across() {
        use Direction::*;
        assert_eq!(
            PartyRole::recipient_of(BuyerToSeller, DeliveryKind::Relay),
            PartyRole::Seller
        );
        assert_eq!(
            PartyRole::recipient_of(SellerToBuyer, DeliveryKind::ConsentRequest),
            PartyRole::Buyer
        );
        assert_eq!(
            PartyRole::recipient_of(BuyerToSeller, DeliveryKind::Notice),
            PartyRole::Buyer
        );
        assert_eq!(
            PartyRole::recipient_of(SellerToBuyer, DeliveryKind::Notice),
            PartyRole::Seller
        );
    }
}
