//! Messages, their delivery queue entries and audit events.

use serde::Serialize;
use time::OffsetDateTime;

use super::{
    ConversationId, DeliveryId, Direction, MessageFiles, MessageId, StaffId, StoredFinding,
    audit::AuditAction, vocabulary::vocabulary,
};

vocabulary!(
    /// The policy's verdict, ordered from mildest to strictest.
    #[derive(PartialOrd, Ord)]
    Action in ["messages.action"] {
        Deliver = "deliver",
        Redact = "redact",
        Hold = "hold",
        Block = "block",
    }
);

vocabulary!(
    MessageStatus in ["messages.status"] {
        Queued = "queued",
        Sent = "sent",
        Held = "held",
        Rejected = "rejected",
        Blocked = "blocked",
        Failed = "failed",
        /// The recipient's mail server sent it back for good (a bounce).
        Bounced = "bounced",
    }
);

vocabulary!(
    /// How a message entered the relay.
    MessageSource in ["messages.source"] {
        Email = "email",
        Api = "api",
        /// A seller's reply written in the web inbox.
        Web = "web",
    }
);

vocabulary!(
    /// What an outbound queue entry sends.
    DeliveryKind in ["deliveries.kind"] {
        /// The message itself, to the counterparty.
        Relay = "relay",
        /// An explanation to the sender that the message was blocked or rejected.
        Notice = "notice",
        /// A seller's request for the buyer's consent, with signed answer links, to the buyer.
        ConsentRequest = "consent_request",
        /// A staff warning about the message, to the seller who wrote it.
        Warning = "warning",
    }
);

impl DeliveryKind {
    /// Whether the entry carries the message itself (so its outcome is
    /// the message's), rather than something about it to its sender.
    pub fn is_the_message(self) -> bool {
        matches!(self, DeliveryKind::Relay | DeliveryKind::ConsentRequest)
    }
}

vocabulary!(
    /// Where an outbound queue entry stands.
    DeliveryStatus in ["deliveries.status"] {
        /// Waiting for its (next) attempt.
        Pending = "pending",
        Sent = "sent",
        /// Given up.
        Failed = "failed",
    }
);

/// Everything stored about a message in one transaction, together with the
/// queue entry (if any) and the audit events of its arrival.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    pub source: MessageSource,
    pub subject: String,
    /// The text as received (decoded), kept for audit.
    pub original_body: String,
    /// The text as delivered (after redaction).
    pub body: String,
    /// The HTML as delivered (sanitised and redacted), when the mail had HTML.
    pub html: Option<String>,
    /// The MIME exactly as received over SMTP; `None` for API messages.
    /// Shared with the session that received it, so storing it copies
    /// nothing before the database does.
    pub raw_mime: Option<std::sync::Arc<Vec<u8>>>,
    /// What the policy found, in every part of the message.
    pub findings: Vec<StoredFinding>,
    /// The files as decided with the findings: what delivery sends.
    pub files: MessageFiles,
    /// The parties' names as judged at acceptance; `None` leaves them to
    /// delivery (only for records made outside the relay's use cases).
    pub names: Option<ShownNames>,
    pub action: Action,
    pub status: MessageStatus,
    /// The sender's own Message-ID header, without angle brackets.
    pub original_message_id: Option<String>,
    /// The Message-ID the recipient sees, in the relay domain, without angle brackets.
    pub relayed_message_id: String,
    /// The sender's In-Reply-To and References, without angle brackets, for threading.
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Queue entry to create in the same transaction, if any.
    pub enqueue: Option<DeliveryKind>,
    /// Audit events written in the same transaction (message received, policy decided, ...).
    pub audit: Vec<NewAuditEvent>,
    pub created_at: OffsetDateTime,
}

/// The parties' names as a message shows them to its recipient, judged
/// when it was accepted (`relay::judge::shown_names`): the record is what
/// delivery writes in From and To.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownNames {
    /// The sender's name, or their role when the name cannot be shown.
    pub sender: String,
    /// The recipient's name; empty when it cannot be shown.
    pub recipient: String,
}

#[derive(Clone, Debug)]
pub struct StoredMessage {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    pub source: MessageSource,
    pub subject: String,
    pub original_body: String,
    pub body: String,
    pub html: Option<String>,
    pub has_raw: bool,
    pub findings: Vec<StoredFinding>,
    /// The files as decided at acceptance; `None` for a message stored
    /// before they were recorded (migration 0011), whose files are judged
    /// on the legacy path (`relay::files::legacy_files`).
    pub files: Option<MessageFiles>,
    /// The names it shows, as judged at acceptance; `None` for a message
    /// stored before they were recorded (migration 0017).
    pub names: Option<ShownNames>,
    pub action: Action,
    pub status: MessageStatus,
    pub original_message_id: Option<String>,
    pub relayed_message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub read_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// RFC 3834 keyword when the message was automatic mail (see `ReceivedMail`).
    pub auto_submitted: Option<String>,
    /// Sender authentication verdict on arrival, for mail.
    pub sender_auth: Option<String>,
    /// The results behind that verdict, for staff; `None` for messages
    /// that did not come by mail or came before they were kept (migration 0012).
    pub sender_auth_results: Option<crate::domain::SenderAuth>,
    /// Why it was blocked when the policy was not the reason (the buyer's
    /// opt-out, a reply loop), as routing decided: it chooses the notice.
    pub block_reason: Option<String>,
    /// When its content was removed (retention or erasure); the texts, HTML,
    /// raw MIME and files are empty from then on.
    pub purged_at: Option<OffsetDateTime>,
}

/// What the relay learnt about a message that arrived over SMTP, stored
/// with it in the same transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedMail {
    /// Why it was blocked when the policy was not the reason.
    pub block_reason: Option<String>,
    /// RFC 3834 keyword (`auto-replied`, `auto-generated`, ...) of automatic mail.
    pub auto_submitted: Option<String>,
    /// What SPF, DKIM and DMARC said: its verdict and the results behind it.
    pub sender_auth: crate::domain::SenderAuth,
    /// Queue a notice to the sender beside the message: files of a type
    /// that is not passed on were taken out of it.
    pub notify_sender: bool,
}

/// Whether a seller may see a message that travels `direction` and stands
/// at `status`: everything they wrote, and the buyer's mail that moderation
/// let through. Held, blocked and rejected buyer mail never reached them.
/// The one rule for every seller view: the API, the inbox, and the unread
/// counts and activity times of the conversation list (whose SQL is built
/// from this function).
pub fn seller_may_see(direction: Direction, status: MessageStatus) -> bool {
    direction == Direction::SellerToBuyer
        || !matches!(
            status,
            MessageStatus::Held | MessageStatus::Blocked | MessageStatus::Rejected
        )
}

impl StoredMessage {
    /// See [`seller_may_see`].
    pub fn visible_to_seller(&self) -> bool {
        seller_may_see(self.direction, self.status)
    }
}

vocabulary!(
    ReviewDecision {
        Release = "release",
        Reject = "reject",
    }
);

/// One entry of the outbound queue.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: DeliveryId,
    pub message_id: MessageId,
    pub kind: DeliveryKind,
    /// Attempts made before this claim.
    pub attempts: i64,
    pub next_attempt_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug)]
pub struct DeliveryAttempt {
    pub delivery_id: DeliveryId,
    pub kind: DeliveryKind,
    pub attempted_at: OffsetDateTime,
    pub succeeded: bool,
    pub error: Option<String>,
}

/// Who did what to which record. Stored append-only: a change is a new event.
#[derive(Clone, Debug)]
pub struct NewAuditEvent {
    /// `system`, `operator`, `seller`, `staff`, `buyer`.
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: AuditAction,
    /// `message`, `conversation`, `seller`, `staff`, `delivery`.
    pub subject_kind: String,
    pub subject_id: String,
    /// Extra detail as a JSON object; never contains a real address.
    pub details: serde_json::Value,
}

impl NewAuditEvent {
    pub fn system(
        action: AuditAction,
        subject_kind: &str,
        subject_id: impl ToString,
        details: serde_json::Value,
    ) -> Self {
        Self::new("system", None, action, subject_kind, subject_id, details)
    }

    pub fn by_staff(
        staff: StaffId,
        action: AuditAction,
        subject_kind: &str,
        subject_id: impl ToString,
        details: serde_json::Value,
    ) -> Self {
        Self::new(
            "staff",
            Some(staff.to_string()),
            action,
            subject_kind,
            subject_id,
            details,
        )
    }

    pub fn new(
        actor_kind: &str,
        actor_id: Option<String>,
        action: AuditAction,
        subject_kind: &str,
        subject_id: impl ToString,
        details: serde_json::Value,
    ) -> Self {
        Self {
            actor_kind: actor_kind.into(),
            actor_id,
            action,
            subject_kind: subject_kind.into(),
            subject_id: subject_id.to_string(),
            details,
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEvent {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}
