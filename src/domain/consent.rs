//! Consent-based disclosure: a seller asks for one kind of the buyer's
//! contact details for one stated purpose; the buyer grants or declines; a
//! grant holds for a limited time or until revoked.
//!
//! One record follows the whole life of a request: `requested`, then
//! `granted` or `declined`, and a grant ends as `revoked` or `expired`. A
//! grant is therefore a `ConsentRequest` whose status is `granted`.

use time::{Duration, OffsetDateTime};

use super::{
    ConsentId, ConversationId, MessageId, NewMessage, SellerId, StaffId, vocabulary::vocabulary,
};

/// How long a grant holds unless the seller asks for less.
pub const DEFAULT_VALID_FOR_DAYS: i64 = 30;
/// The longest a grant may hold.
pub const MAX_VALID_FOR_DAYS: i64 = 365;
/// How long the buyer has to answer a request.
pub const RESPOND_WITHIN_DAYS: i64 = 14;

vocabulary!(
    /// Why the seller needs the contact; the fixed list the buyer chooses about.
    ConsentPurpose in ["consents.purpose"] {
        DeliveryScheduling = "delivery_scheduling",
        Installation = "installation",
        Customisation = "customisation",
    }
);

vocabulary!(
    /// Which contact detail a consent covers.
    ContactKind in ["consents.kind"] { Phone = "phone" }
);

vocabulary!(
    ConsentStatus in ["consents.status"] {
        Requested = "requested",
        Granted = "granted",
        Declined = "declined",
        Revoked = "revoked",
        Expired = "expired",
    }
);

vocabulary!(
    /// What a signed link in the buyer's mail lets them do.
    ConsentAction {
        Grant = "grant",
        Decline = "decline",
        Revoke = "revoke",
    }
);

impl ConsentPurpose {
    /// The purpose as the buyer reads it.
    pub fn describe(self) -> &'static str {
        match self {
            ConsentPurpose::DeliveryScheduling => "scheduling the delivery",
            ConsentPurpose::Installation => "arranging the installation",
            ConsentPurpose::Customisation => "discussing the customisation of your order",
        }
    }
}

impl ContactKind {
    pub fn describe(self) -> &'static str {
        match self {
            ContactKind::Phone => "phone number",
        }
    }
}

/// A seller's request, stored together with the mail that carries it to the buyer.
#[derive(Clone, Debug)]
pub struct NewConsentRequest {
    pub id: ConsentId,
    pub conversation_id: ConversationId,
    pub kind: ContactKind,
    pub purpose: ConsentPurpose,
    /// How long a grant will hold, counted from the buyer's answer.
    pub valid_for_days: i64,
    pub requested_at: OffsetDateTime,
    /// The buyer's deadline to answer.
    pub respond_by: OffsetDateTime,
    /// The mail to the buyer (queued as a `consent_request` delivery).
    pub message: NewMessage,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRequest {
    pub id: ConsentId,
    pub conversation_id: ConversationId,
    pub seller_id: SellerId,
    /// The mail that asked the buyer.
    pub message_id: MessageId,
    pub kind: ContactKind,
    pub purpose: ConsentPurpose,
    pub status: ConsentStatus,
    pub valid_for_days: i64,
    pub requested_at: OffsetDateTime,
    /// When the buyer granted or declined.
    pub decided_at: Option<OffsetDateTime>,
    /// While requested, the deadline to answer; once granted, when the grant ends.
    pub expires_at: OffsetDateTime,
    /// When it was revoked or recorded as expired.
    pub ended_at: Option<OffsetDateTime>,
}

impl ConsentRequest {
    /// Whether the buyer's contact may reach the seller at `now`.
    pub fn is_active(&self, now: OffsetDateTime) -> bool {
        self.status == ConsentStatus::Granted && now < self.expires_at
    }

    /// The status as of `now`: an open record past its deadline counts as
    /// expired even before the sweep records it.
    pub fn status_at(&self, now: OffsetDateTime) -> ConsentStatus {
        match self.status {
            ConsentStatus::Requested | ConsentStatus::Granted if now >= self.expires_at => {
                ConsentStatus::Expired
            }
            status => status,
        }
    }

    /// When a grant given at `at` would end.
    pub fn grant_expiry(&self, at: OffsetDateTime) -> OffsetDateTime {
        at + Duration::days(self.valid_for_days)
    }
}

/// Who changed a consent, for the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentActor {
    /// The buyer, through a signed link.
    Buyer,
    Seller(SellerId),
    Staff(StaffId),
    /// The marketplace backend, on the buyer's behalf.
    Operator,
}

impl ConsentActor {
    pub fn kind(self) -> &'static str {
        match self {
            ConsentActor::Buyer => "buyer",
            ConsentActor::Seller(_) => "seller",
            ConsentActor::Staff(_) => "staff",
            ConsentActor::Operator => "operator",
        }
    }

    pub fn id(self) -> Option<String> {
        match self {
            ConsentActor::Seller(id) => Some(id.to_string()),
            ConsentActor::Staff(id) => Some(id.to_string()),
            ConsentActor::Buyer | ConsentActor::Operator => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn consent(status: ConsentStatus, expires_at: OffsetDateTime) -> ConsentRequest {
        ConsentRequest {
            id: ConsentId::new(),
            conversation_id: ConversationId::new(),
            seller_id: SellerId::new(),
            message_id: MessageId::new(),
            kind: ContactKind::Phone,
            purpose: ConsentPurpose::Installation,
            status,
            valid_for_days: 30,
            requested_at: datetime!(2026-01-01 0:00 UTC),
            decided_at: None,
            expires_at,
            ended_at: None,
        }
    }

    #[test]
    fn only_a_granted_consent_before_its_expiry_is_active() {
        let ends = datetime!(2026-02-01 0:00 UTC);
        let before = datetime!(2026-01-31 23:59 UTC);
        assert!(consent(ConsentStatus::Granted, ends).is_active(before));
        assert!(!consent(ConsentStatus::Granted, ends).is_active(ends));
        for status in [
            ConsentStatus::Requested,
            ConsentStatus::Declined,
            ConsentStatus::Revoked,
            ConsentStatus::Expired,
        ] {
            assert!(!consent(status, ends).is_active(before), "{status:?}");
        }
    }

    #[test]
    fn open_records_past_their_deadline_read_as_expired() {
        let ends = datetime!(2026-02-01 0:00 UTC);
        assert_eq!(
            consent(ConsentStatus::Requested, ends).status_at(ends),
            ConsentStatus::Expired
        );
        assert_eq!(
            consent(ConsentStatus::Declined, ends).status_at(ends),
            ConsentStatus::Declined
        );
    }

    #[test]
    fn wire_names_round_trip() {
        for p in ConsentPurpose::ALL {
            assert_eq!(ConsentPurpose::parse(p.as_str()), Some(p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
        assert_eq!(ConsentPurpose::parse("marketing"), None);
    }
}
