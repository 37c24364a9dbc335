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
    /// Recorded only if the entry was last tried at or after this (a
    /// return path that does not say when it was issued); otherwise the
    /// entry counts as unknown.
    pub tried_since: Option<OffsetDateTime>,
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

/// A party whose address keeps bouncing, as the operator lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BouncingParty {
    pub role: PartyRole,
    pub id: uuid::Uuid,
    /// When the mark was set; a party cleared and marked again has the new time.
    pub since: OffsetDateTime,
    /// The marketplace's own id for the party, when it gave one.
    pub external_id: Option<String>,
}

/// Where a list of bouncing parties goes on: after this mark, in the
/// list's order (time, role, id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BouncingCursor {
    pub since: OffsetDateTime,
    pub role: PartyRole,
    pub id: uuid::Uuid,
}

impl BouncingParty {
    pub fn cursor(&self) -> BouncingCursor {
        BouncingCursor {
            since: self.since,
            role: self.role,
            id: self.id,
        }
    }
}

impl BouncingCursor {
    /// `<unix microseconds>.<role>.<id>`: opaque to clients, exact to the
    /// microsecond the stores keep.
    pub fn encode(&self) -> String {
        format!(
            "{}.{}.{}",
            super::cursor_time::encode(self.since),
            self.role.as_str(),
            self.id.simple()
        )
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.split('.');
        let since = super::cursor_time::parse(parts.next()?)?;
        let role = PartyRole::parse(parts.next()?)?;
        let id = uuid::Uuid::try_parse(parts.next()?).ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(Self { since, role, id })
    }
}

impl PartyRole {
    /// Whom a queue entry of `kind` for a message going `direction` is
    /// addressed to: the counterpart for the message itself and a consent
    /// request, the sender for a notice or a warning.
    pub fn recipient_of(direction: super::Direction, kind: super::DeliveryKind) -> Self {
        use super::{DeliveryKind, Direction};
        let to_seller = match kind {
            DeliveryKind::Relay | DeliveryKind::ConsentRequest => {
                direction == Direction::BuyerToSeller
            }
            // Notices and warnings go back to the message's sender.
            DeliveryKind::Notice | DeliveryKind::Warning => direction == Direction::SellerToBuyer,
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
    fn a_cursor_reads_back_what_it_wrote_and_nothing_else() {
        let cursor = BouncingCursor {
            since: time::macros::datetime!(2026-12-06 01:02:03.456789 UTC),
            role: PartyRole::Seller,
            id: uuid::Uuid::new_v4(),
        };
        assert_eq!(BouncingCursor::parse(&cursor.encode()), Some(cursor));
        for junk in [
            "",
            "1.seller",
            "x.seller.00",
            "1.nobody.00000000000000000000000000000000",
        ] {
            assert_eq!(BouncingCursor::parse(junk), None, "{junk}");
        }
    }

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
