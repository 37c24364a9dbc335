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
        TechnicalTroubleshooting = "technical_troubleshooting",
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
    /// The catalogue's words for the purpose as the buyer reads it
    /// ("scheduling the delivery").
    pub fn message_id(self) -> &'static str {
        match self {
            ConsentPurpose::DeliveryScheduling => "purpose-delivery-scheduling",
            ConsentPurpose::Installation => "purpose-installation",
            ConsentPurpose::Customisation => "purpose-customisation",
            ConsentPurpose::TechnicalTroubleshooting => "purpose-technical-troubleshooting",
        }
    }
}

impl ContactKind {
    /// The catalogue's words for the kind ("phone number").
    pub fn message_id(self) -> &'static str {
        match self {
            ContactKind::Phone => "contact-kind-phone",
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
    /// The order of the conversation the request is about.
    pub order_id: String,
    /// Checked by the store under lock, against every request of the conversation.
    pub limits: ConsentLimits,
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
    /// The order it is about; `None` for requests made before one was required.
    pub order_id: Option<String>,
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

    /// What a buyer's answer through a link does at `now`: revoking what
    /// was never granted is declining it, so the seller's cooldown applies.
    pub fn buyer_action(&self, action: ConsentAction, now: OffsetDateTime) -> ConsentAction {
        match (action, self.status_at(now)) {
            (ConsentAction::Revoke, ConsentStatus::Requested) => ConsentAction::Decline,
            (action, _) => action,
        }
    }

    /// When a grant given at `at` would end.
    pub fn grant_expiry(&self, at: OffsetDateTime) -> OffsetDateTime {
        at + Duration::days(self.valid_for_days)
    }
}

/// How often a seller may ask, so asking cannot become pressure: not again
/// for a while after the buyer declined (whatever the order or purpose),
/// and only so often about one order (withdrawn requests count too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConsentLimits {
    pub decline_cooldown: Duration,
    pub max_per_order: u32,
}

impl Default for ConsentLimits {
    fn default() -> Self {
        Self {
            decline_cooldown: Duration::days(14),
            max_per_order: 2,
        }
    }
}

/// Why a seller may not ask now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsentRefusal {
    #[error("the buyer declined a request; you may ask again from {}", rfc3339(*until))]
    DeclinedRecently { until: OffsetDateTime },
    #[error("this order already had {max} consent requests, the most one order may have")]
    OrderLimit { max: u32 },
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl ConsentRefusal {
    /// The rule's name, as the store reports it and the API's error code.
    pub fn code(self) -> &'static str {
        match self {
            ConsentRefusal::DeclinedRecently { .. } => "consent_declined_recently",
            ConsentRefusal::OrderLimit { .. } => "consent_limit_reached",
        }
    }
}

impl ConsentLimits {
    /// Whether a new request of `kind` about `order` may be made at `now`,
    /// given the conversation's earlier requests.
    pub fn check(
        &self,
        earlier: &[ConsentRequest],
        kind: ContactKind,
        order: &str,
        now: OffsetDateTime,
    ) -> Result<(), ConsentRefusal> {
        let declined_until = earlier
            .iter()
            .filter(|c| c.kind == kind && c.status == ConsentStatus::Declined)
            .filter_map(|c| c.decided_at)
            .map(|at| at + self.decline_cooldown)
            .max();
        if let Some(until) = declined_until
            && now < until
        {
            return Err(ConsentRefusal::DeclinedRecently { until });
        }
        let about_order = earlier
            .iter()
            .filter(|c| c.order_id.as_deref() == Some(order))
            .count();
        if about_order >= self.max_per_order as usize {
            return Err(ConsentRefusal::OrderLimit {
                max: self.max_per_order,
            });
        }
        Ok(())
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
            order_id: Some("ORD-1".into()),
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
    fn a_decline_holds_off_every_request_until_the_cooldown_ends() {
        let limits = ConsentLimits::default();
        let decided = datetime!(2026-01-02 0:00 UTC);
        let mut declined = consent(ConsentStatus::Declined, decided);
        declined.decided_at = Some(decided);
        let earlier = [declined];
        let until = decided + Duration::days(14);
        for order in ["ORD-1", "ORD-2"] {
            assert_eq!(
                limits.check(
                    &earlier,
                    ContactKind::Phone,
                    order,
                    until - Duration::seconds(1)
                ),
                Err(ConsentRefusal::DeclinedRecently { until })
            );
        }
        assert_eq!(
            limits.check(&earlier, ContactKind::Phone, "ORD-2", until),
            Ok(())
        );
        let none = ConsentLimits {
            decline_cooldown: Duration::ZERO,
            ..limits
        };
        assert_eq!(
            none.check(&earlier, ContactKind::Phone, "ORD-2", decided),
            Ok(())
        );
    }

    #[test]
    fn each_order_takes_at_most_the_limit_whatever_became_of_them() {
        let limits = ConsentLimits {
            decline_cooldown: Duration::ZERO,
            max_per_order: 2,
        };
        let ends = datetime!(2026-02-01 0:00 UTC);
        let now = datetime!(2026-01-10 0:00 UTC);
        let one = [consent(ConsentStatus::Revoked, ends)];
        assert_eq!(limits.check(&one, ContactKind::Phone, "ORD-1", now), Ok(()));
        let two = [one[0].clone(), consent(ConsentStatus::Expired, ends)];
        assert_eq!(
            limits.check(&two, ContactKind::Phone, "ORD-1", now),
            Err(ConsentRefusal::OrderLimit { max: 2 })
        );
        assert_eq!(limits.check(&two, ContactKind::Phone, "ORD-2", now), Ok(()));
        // Requests from before orders were named count for none.
        let mut old = consent(ConsentStatus::Expired, ends);
        old.order_id = None;
        assert_eq!(
            limits.check(&[old.clone(), old], ContactKind::Phone, "ORD-1", now),
            Ok(())
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
