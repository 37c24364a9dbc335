//! The audit trail's verbs: every action the relay records, defined once.

use super::vocabulary::vocabulary;

vocabulary!(
    /// What an audit event says happened (`audit_events.action`). The trail
    /// is append-only and read back as text, so an older word stays
    /// readable even when it is no longer written.
    AuditAction {
        MessageReceived = "message.received",
        MessageDecided = "message.decided",
        /// Mail refused at the door (sender authentication).
        MessageRefused = "message.refused",
        MessageAttachmentsRemoved = "message.attachments_removed",
        /// A staff member looked at a message.
        MessageRead = "message.read",
        /// A buyer message marked as needing no reply: it leaves the
        /// seller's response time.
        MessageNoResponseNeeded = "message.no_response_needed",
        /// A staff member searched the conversations: the ids it found,
        /// never the query (it may be a real address).
        StaffSearched = "staff.searched",
        MessageReleased = "message.released",
        MessageRejected = "message.rejected",
        MessageDelivered = "message.delivered",
        MessageDeliveryFailed = "message.delivery_failed",
        /// A bounce came back to the message's return path.
        MessageBounced = "message.bounced",
        /// A party's address bounced too often lately: the operator is told.
        PartyAddressBouncing = "party.address_bouncing",
        /// Mail to a bouncing party was delivered again.
        PartyAddressBouncingCleared = "party.address_bouncing_cleared",
        ConversationCreated = "conversation.created",
        ConversationOrderAdded = "conversation.order_added",
        /// The marketplace marked an order delivered: its seller may ask
        /// for a review from then on, once.
        ConversationOrderDelivered = "conversation.order_delivered",
        ConversationNoResponseNeeded = "conversation.no_response_needed",
        ConversationBlocked = "conversation.blocked",
        ConversationUnblocked = "conversation.unblocked",
        ConversationOptedOut = "conversation.opted_out",
        ConversationOptOutUndone = "conversation.opt_out_undone",
        SellerCreated = "seller.created",
        SellerSuspended = "seller.suspended",
        SellerReinstated = "seller.reinstated",
        /// Staff warned a seller about one of their messages.
        SellerWarned = "seller.warned",
        /// Many buyers reported a seller lately: the seller awaits review.
        SellerReviewOpened = "seller.review_opened",
        SellerReviewCleared = "seller.review_cleared",
        SellerTokenRotated = "seller.token_rotated",
        /// The operator changed the domains a seller may link to.
        SellerHelpDomainsChanged = "seller.help_domains_changed",
        SellerTokenRevoked = "seller.token_revoked",
        StaffCreated = "staff.created",
        StaffTokenRotated = "staff.token_rotated",
        StaffTokenRevoked = "staff.token_revoked",
        OperatorTokenCreated = "operator_token.created",
        OperatorTokenRevoked = "operator_token.revoked",
        AccountInvited = "account.invited",
        ConsentRequested = "consent.requested",
        ConsentGranted = "consent.granted",
        ConsentDeclined = "consent.declined",
        ConsentRevoked = "consent.revoked",
        ConsentExpired = "consent.expired",
        ReportFiled = "report.filed",
        ReportResolved = "report.resolved",
        /// A message's content removed after the retention period.
        MessagePurged = "message.purged",
        /// The buyer's phone number deleted once no consent holds it.
        BuyerPhoneDeleted = "buyer.phone_deleted",
        /// A party erased at the operator's request: the one path that
        /// rewrites what was stored.
        BuyerErased = "buyer.erased",
        SellerErased = "seller.erased",
        /// Everything stored about a party handed to the operator.
        BuyerExported = "buyer.exported",
        SellerExported = "seller.exported",
    }
);

impl PartialEq<AuditAction> for String {
    fn eq(&self, other: &AuditAction) -> bool {
        self == other.as_str()
    }
}
