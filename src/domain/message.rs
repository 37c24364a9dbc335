//! Messages, their delivery queue entries and audit events.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{ConversationId, DeliveryId, Direction, MessageId, StaffId};

/// The policy's verdict, ordered from mildest to strictest.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(utoipa::ToSchema)]
pub enum Action {
    Deliver,
    Redact,
    Hold,
    Block,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Deliver => "deliver",
            Action::Redact => "redact",
            Action::Hold => "hold",
            Action::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "deliver" => Some(Self::Deliver),
            "redact" => Some(Self::Redact),
            "hold" => Some(Self::Hold),
            "block" => Some(Self::Block),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(utoipa::ToSchema)]
pub enum MessageStatus {
    Queued,
    Sent,
    Held,
    Rejected,
    Blocked,
    Failed,
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 6] = [
        MessageStatus::Queued,
        MessageStatus::Sent,
        MessageStatus::Held,
        MessageStatus::Rejected,
        MessageStatus::Blocked,
        MessageStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sent => "sent",
            MessageStatus::Held => "held",
            MessageStatus::Rejected => "rejected",
            MessageStatus::Blocked => "blocked",
            MessageStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "queued" => Some(Self::Queued),
            "sent" => Some(Self::Sent),
            "held" => Some(Self::Held),
            "rejected" => Some(Self::Rejected),
            "blocked" => Some(Self::Blocked),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// How a message entered the relay.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageSource {
    Email,
    Api,
    /// A seller's reply written in the web inbox.
    Web,
}

impl MessageSource {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageSource::Email => "email",
            MessageSource::Api => "api",
            MessageSource::Web => "web",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(Self::Email),
            "api" => Some(Self::Api),
            "web" => Some(Self::Web),
            _ => None,
        }
    }
}

/// What an outbound queue entry sends.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(utoipa::ToSchema)]
pub enum DeliveryKind {
    /// The message itself, to the counterparty.
    Relay,
    /// An explanation to the sender that the message was blocked or rejected.
    Notice,
    /// A seller's request for the buyer's consent, with signed answer links, to the buyer.
    ConsentRequest,
}

impl DeliveryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryKind::Relay => "relay",
            DeliveryKind::Notice => "notice",
            DeliveryKind::ConsentRequest => "consent_request",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "relay" => Some(Self::Relay),
            "notice" => Some(Self::Notice),
            "consent_request" => Some(Self::ConsentRequest),
            _ => None,
        }
    }
}

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
    pub raw_mime: Option<Vec<u8>>,
    /// The policy findings as JSON (an array of findings).
    pub findings_json: String,
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
    pub findings_json: String,
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
}

/// What the relay learnt about a message that arrived over SMTP, stored
/// with it in the same transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedMail {
    /// Why it was blocked when the policy was not the reason.
    pub block_reason: Option<String>,
    /// RFC 3834 keyword (`auto-replied`, `auto-generated`, ...) of automatic mail.
    pub auto_submitted: Option<String>,
    pub sender_auth: crate::domain::AuthVerdict,
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

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(utoipa::ToSchema)]
pub enum ReviewDecision {
    Release,
    Reject,
}

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
    /// Dotted verb, e.g. `message.received`, `message.read`, `message.released`.
    pub action: String,
    /// `message`, `conversation`, `seller`, `staff`, `delivery`.
    pub subject_kind: String,
    pub subject_id: String,
    /// Extra detail as a JSON object; never contains a real address.
    pub details: serde_json::Value,
}

impl NewAuditEvent {
    pub fn system(
        action: &str,
        subject_kind: &str,
        subject_id: impl ToString,
        details: serde_json::Value,
    ) -> Self {
        Self::new("system", None, action, subject_kind, subject_id, details)
    }

    pub fn by_staff(
        staff: StaffId,
        action: &str,
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
        action: &str,
        subject_kind: &str,
        subject_id: impl ToString,
        details: serde_json::Value,
    ) -> Self {
        Self {
            actor_kind: actor_kind.into(),
            actor_id,
            action: action.into(),
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
