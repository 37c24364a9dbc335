//! Persistence: one `Store` trait speaking domain types, with a Postgres and
//! an SQLite backend chosen by the database URL.

pub mod accounts;
pub mod help_domains;
pub mod lifecycle;
pub mod postgres;
pub mod refusals;
pub mod response_time;
pub mod review_requests;
mod rows;
mod sql;
pub mod sqlite;
pub mod stats;
pub mod strikes;

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::config::DatabaseUrl;
use crate::domain::{
    AuditEvent, ConsentActor, ConsentId, ConsentRequest, ContactKind, Conversation, ConversationId,
    ConversationSummary, Delivery, DeliveryAttempt, DeliveryId, MessageFiles, MessageId,
    NewAuditEvent, NewConsentRequest, NewConversation, NewMessage, Principal, ReviewDecision,
    Seller, SellerId, Staff, StaffId, StoredMessage,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the string names the rule (e.g. `seller_email`).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record is not in a state that allows the change (e.g. releasing a message that is not held).
    #[error("invalid state: {0}")]
    InvalidState(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// New party records; the caller issues the token and passes only its hash.
#[derive(Clone, Debug)]
pub struct NewSeller {
    pub name: String,
    pub email: crate::domain::EmailAddress,
    pub external_id: Option<String>,
    pub country: Option<String>,
    /// BCP 47 tag of the language the seller reads.
    pub language: Option<String>,
}

#[derive(Clone, Debug)]
pub struct NewStaff {
    pub name: String,
    pub email: crate::domain::EmailAddress,
}

/// The store, one aggregate at a time: each accessor gives the part of
/// the store that owns one kind of record, as `accounts()` and `stats()` do.
#[async_trait]
pub trait Store: Send + Sync {
    /// A cheap round trip, for `/healthz`.
    async fn ping(&self) -> StoreResult<()>;

    /// The stored secret `name`, storing `generated` first if there is none.
    async fn secret(&self, name: &str, generated: &str) -> StoreResult<String>;
    /// Sellers, staff and API tokens.
    fn parties(&self) -> &dyn PartyStore;
    /// Conversations, their buyers, aliases and registered orders.
    fn conversations(&self) -> &dyn ConversationStore;
    /// Messages as stored, read marks and staff review.
    fn messages(&self) -> &dyn MessageStore;
    /// The outbound queue.
    fn queue(&self) -> &dyn QueueStore;
    /// Consent requests, answers, revocations and expiry.
    fn consents(&self) -> &dyn ConsentStore;
    /// The append-only audit trail.
    fn audit(&self) -> &dyn AuditStore;
    /// Blocking, suspending, and the staff search and access log.
    fn moderation(&self) -> &dyn ModerationStore;
    /// Buyer reports and the buyer's opt-out.
    fn reports(&self) -> &dyn ReportStore;
    /// Bounces and the parties whose address keeps bouncing.
    fn bounces(&self) -> &dyn BounceStore;
    /// Invitations, passwords, sessions and sign-in failures, kept in their own trait.
    fn accounts(&self) -> &dyn accounts::AccountStore;
    /// Retention, erasure and export, kept in their own trait.
    fn lifecycle(&self) -> &dyn lifecycle::LifecycleStore;

    /// Compact reads for the staff dashboard, kept in their own trait.
    fn stats(&self) -> &dyn stats::StatsStore;

    /// Refused SMTP attempts per client address and alias, kept in their own trait.
    fn refusals(&self) -> &dyn refusals::RefusalStore;

    /// Sellers' response time and the "no response needed" marks, kept in their own trait.
    fn response_times(&self) -> &dyn response_time::ResponseTimeStore;
    /// Warnings, violations, automatic suspension and the seller review
    /// queue, kept in their own trait.
    fn strikes(&self) -> &dyn strikes::StrikeStore;
    /// Each seller's help domains, kept in their own trait.
    fn help_domains(&self) -> &dyn help_domains::HelpDomainStore;
    /// Orders delivered and the sellers' review requests, kept in their own trait.
    fn review_requests(&self) -> &dyn review_requests::ReviewRequestStore;
}

/// Sellers, staff and API tokens.
#[async_trait]
pub trait PartyStore: Send + Sync {
    /// Conflict("seller_email") / Conflict("seller_external_id") on duplicates.
    /// Also writes a `seller.created` audit event.
    async fn create_seller(&self, new: &NewSeller, token_hash: &str) -> StoreResult<Seller>;

    /// Conflict("staff_email") on duplicates. Also writes `staff.created`.
    async fn create_staff(&self, new: &NewStaff, token_hash: &str) -> StoreResult<Staff>;

    async fn get_seller(&self, id: SellerId) -> StoreResult<Seller>;

    async fn get_staff(&self, id: StaffId) -> StoreResult<Staff>;

    /// Whether any operator token has been issued (to generate one at first start).
    async fn has_operator_token(&self) -> StoreResult<bool>;

    async fn add_operator_token(&self, token_hash: &str) -> StoreResult<()>;

    /// The principal a token hash belongs to, if any.
    async fn principal_for_token(&self, token_hash: &str) -> StoreResult<Option<Principal>>;

    /// Replaces every API token of a seller or staff member with
    /// `new_hash`, or with none (revoked: then also the account's password,
    /// web sessions and unused invitations go, so only a new invitation
    /// lets it in again), with `seller.token_rotated` /
    /// `seller.token_revoked` (`staff.` likewise) by the operator, in one
    /// transaction. NotFound for an unknown (or erased) seller or staff member.
    async fn replace_api_tokens(
        &self,
        owner: accounts::Account,
        new_hash: Option<&str>,
    ) -> StoreResult<()>;

    /// Deletes every stored operator token (a configured one replaces
    /// them), with `operator_token.revoked` when there were any; returns
    /// how many.
    async fn revoke_operator_tokens(&self) -> StoreResult<u64>;
}

/// Conversations, their buyers, aliases and registered orders.
#[async_trait]
pub trait ConversationStore: Send + Sync {
    /// Finds the buyer by email (creating it, or updating name/external id),
    /// then the conversation for (seller, buyer), creating it with the given
    /// aliases if missing. Returns the conversation and whether it was created.
    /// NotFound if the seller does not exist or was erased; Conflict("alias") if a generated
    /// alias collides (the caller retries with new aliases).
    /// Writes `conversation.created` when it creates one.
    async fn find_or_create_conversation(
        &self,
        new: &NewConversation,
    ) -> StoreResult<(Conversation, bool)>;

    /// Registers another order the conversation is about, as the operator
    /// does when it opens the conversation (`find_or_create_conversation`
    /// registers the order it names); only registered orders make a seller's
    /// message "about an order". Returns `false`, and records nothing, if it
    /// was registered already; otherwise writes `conversation.order_added`.
    /// NotFound for an unknown conversation.
    async fn add_conversation_order(
        &self,
        conversation: ConversationId,
        order_id: &str,
    ) -> StoreResult<bool>;

    /// The conversation's registered orders, oldest first.
    async fn conversation_orders(&self, conversation: ConversationId) -> StoreResult<Vec<String>>;

    async fn get_conversation(&self, id: ConversationId) -> StoreResult<Conversation>;

    /// Looks up a conversation by either alias local part (lowercase);
    /// `None` once the conversation is closed (a party was erased).
    async fn conversation_by_alias(&self, local_part: &str) -> StoreResult<Option<Conversation>>;

    /// Newest activity first; `None` lists every seller's.
    async fn list_conversations(
        &self,
        seller: Option<SellerId>,
    ) -> StoreResult<Vec<ConversationSummary>>;

    /// One page of a seller's conversations, in `list_conversations`'
    /// order: at most `limit` after `after` (a keyset: the page reads from
    /// an index, however many conversations come before it).
    async fn seller_conversations_page(
        &self,
        seller: SellerId,
        after: Option<Cursor>,
        limit: i64,
    ) -> StoreResult<Page<ConversationSummary>>;

    /// How many conversations the seller has.
    async fn seller_conversation_count(&self, seller: SellerId) -> StoreResult<i64>;
}

/// Where a page of a list ended: the sort key of its last row, a time and
/// an id. In links as `<unix microseconds>.<id>`, exact to the microsecond
/// the stores keep (as `BouncingCursor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub at: OffsetDateTime,
    pub id: uuid::Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!(
            "{}.{}",
            crate::domain::cursor_time::encode(self.at),
            self.id.simple()
        )
    }

    /// `None` for anything `encode` did not write.
    pub fn parse(s: &str) -> Option<Self> {
        let (micros, id) = s.split_once('.')?;
        Some(Self {
            at: crate::domain::cursor_time::parse(micros)?,
            id: id.parse().ok()?,
        })
    }
}

/// Rows of a list and where the next page starts, if there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// From up to `limit + 1` rows read: the extra row only tells that
    /// there is a next page, which starts after the last row kept.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> Cursor) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more { rows.last().map(key) } else { None };
        Self { rows, next }
    }
}

/// How a message is stored beside its record: as `store_message` (no
/// block reason) or `store_blocked_message` would, or as
/// `store_received_mail` would for mail.
#[derive(Clone, Copy, Debug)]
pub enum StoreAs<'a> {
    Routed { block_reason: Option<&'a str> },
    Received(&'a crate::domain::ReceivedMail),
}

/// Messages as stored, read marks and staff review.
#[async_trait]
pub trait MessageStore: Send + Sync {
    /// In one transaction: the message, its queue entry (if `enqueue`), and its audit events.
    async fn store_message(&self, new: &NewMessage) -> StoreResult<StoredMessage>;

    async fn get_message(&self, id: MessageId) -> StoreResult<StoredMessage>;

    /// The raw MIME as received, if the message came by email.
    async fn raw_mime(&self, id: MessageId) -> StoreResult<Option<Vec<u8>>>;

    /// Oldest first.
    async fn list_messages(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>>;

    /// Marks buyer-to-seller messages of the conversation as read by the seller.
    async fn mark_read_by_seller(
        &self,
        conversation: ConversationId,
        at: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Held messages, oldest first: at most `limit` after `after`.
    async fn held_page(
        &self,
        after: Option<Cursor>,
        limit: i64,
    ) -> StoreResult<Page<StoredMessage>>;

    /// In one transaction: held → queued with a relay queue entry (release), or
    /// held → rejected with a notice queue entry (reject); plus a
    /// `message.released`/`message.rejected` audit event by that staff member.
    /// InvalidState if the message is not held.
    async fn review_message(
        &self,
        id: MessageId,
        decision: ReviewDecision,
        staff: StaffId,
        note: Option<&str>,
        at: OffsetDateTime,
    ) -> StoreResult<StoredMessage>;

    /// The message of this conversation whose original or relayed Message-ID is `header_id`.
    async fn message_by_header_id(
        &self,
        conversation: ConversationId,
        header_id: &str,
    ) -> StoreResult<Option<StoredMessage>>;

    /// `store_message` for a message blocked for a reason other than the
    /// policy (e.g. `buyer_opted_out`), recorded in the same transaction.
    async fn store_blocked_message(
        &self,
        new: &NewMessage,
        reason: &str,
    ) -> StoreResult<StoredMessage>;

    /// `store_message` for mail that arrived over SMTP, with what the relay
    /// learnt about it (block reason, automatic mail, sender authentication),
    /// and a notice to the sender when it asks for one, in the same transaction.
    async fn store_received_mail(
        &self,
        new: &NewMessage,
        received: &crate::domain::ReceivedMail,
    ) -> StoreResult<StoredMessage>;

    /// Stores the message as `how` says, in one transaction that first
    /// checks `gate`: the seller's row is locked until commit and their
    /// suspension must be what the message was routed with, and each of
    /// the gate's windows must have room (a slot is taken in each). A
    /// refusal stores nothing and keeps no slot, and so does any failure
    /// to store: the slots are the transaction's. NotFound for an unknown seller.
    async fn store_gated(
        &self,
        new: &NewMessage,
        how: StoreAs<'_>,
        gate: &crate::domain::SellerGate,
    ) -> StoreResult<Result<StoredMessage, crate::domain::GateRefusal>>;

    /// Why a message was blocked, when the policy was not the reason.
    async fn block_reason(&self, message: MessageId) -> StoreResult<Option<String>>;

    /// Records the files of a message stored before they were recorded
    /// with it (the legacy path), unless some are recorded already; gives
    /// the record that stands, so every later delivery and view agrees.
    async fn record_legacy_files(
        &self,
        message: MessageId,
        files: &MessageFiles,
    ) -> StoreResult<MessageFiles>;
}

/// The outbound queue.
#[async_trait]
pub trait QueueStore: Send + Sync {
    /// Takes the oldest due entry and pushes its `next_attempt_at` forward by
    /// `lease`, so a crash mid-send retries it later instead of losing it.
    async fn claim_next_delivery(
        &self,
        now: OffsetDateTime,
        lease: Duration,
    ) -> StoreResult<Option<Delivery>>;

    /// The send claim, taken just before the mail goes to the transport:
    /// false when the entry was withdrawn or finished meanwhile (then
    /// nothing may be sent). Once taken, a staff decision no longer
    /// withdraws the entry; recording the attempt releases it.
    async fn start_send(&self, delivery: DeliveryId, at: OffsetDateTime) -> StoreResult<bool>;

    /// In one transaction: an attempt row, the entry done, the message `sent`
    /// (for relay entries), and a `message.delivered` audit event.
    async fn record_delivery_success(
        &self,
        delivery: DeliveryId,
        at: OffsetDateTime,
    ) -> StoreResult<()>;

    /// An attempt row and, with `retry_at`, the next attempt time; without it
    /// the entry is given up and a relay message becomes `failed`
    /// (audit `message.delivery_failed`).
    async fn record_delivery_failure(
        &self,
        delivery: DeliveryId,
        at: OffsetDateTime,
        error: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<()>;

    async fn delivery_attempts(&self, message: MessageId) -> StoreResult<Vec<DeliveryAttempt>>;

    /// `delivery_attempts` of several messages in one read, each with its message.
    async fn delivery_attempts_of(
        &self,
        messages: &[MessageId],
    ) -> StoreResult<Vec<(MessageId, DeliveryAttempt)>>;

    /// Entries not yet delivered nor given up.
    async fn pending_deliveries(&self) -> StoreResult<i64>;
}

/// Bounces that came back to a return path, and the parties whose
/// address keeps bouncing.
#[async_trait]
pub trait BounceStore: Send + Sync {
    /// In one transaction: the bounce kept with the message its queue entry
    /// carried, with `message.bounced`; for a permanent failure of the
    /// message itself (delivered or queued, not a notice), the message
    /// `bounced` and a notice to its sender queued; for any permanent
    /// failure, the recipient party marked once it has `mark_after` of them
    /// within `window` (`party.address_bouncing`). NotFound for an unknown
    /// queue entry.
    async fn record_bounce(
        &self,
        new: &crate::domain::NewBounce,
    ) -> StoreResult<crate::domain::RecordedBounce>;

    /// A smarthost's permanent refusal (`5xx`) while the relay sent
    /// `refusal.delivery`, in one transaction: the attempt recorded and the
    /// entry given up as [`QueueStore::record_delivery_failure`] does (the
    /// diagnostic is the error), and the refusal kept as a hard bounce
    /// that counts toward the recipient party's mark like a DSN. Returns
    /// the role marked by it, if any.
    async fn record_refusal(
        &self,
        refusal: &crate::domain::NewBounce,
    ) -> StoreResult<Option<crate::domain::PartyRole>>;

    /// When the queue entry `delivery` was last tried (its row last
    /// changed), or `None` if there is no such entry.
    async fn delivery_last_tried(
        &self,
        delivery: DeliveryId,
    ) -> StoreResult<Option<OffsetDateTime>>;

    /// The latest bounce of a message, if any.
    async fn last_bounce(
        &self,
        message: MessageId,
    ) -> StoreResult<Option<crate::domain::BounceSummary>>;

    /// `last_bounce` of several messages in one read; those without none.
    async fn last_bounces(
        &self,
        messages: &[MessageId],
    ) -> StoreResult<Vec<(MessageId, crate::domain::BounceSummary)>>;

    /// Parties marked as bouncing now (erased ones left out), oldest mark
    /// first, at most `limit`, after `after` in that order.
    async fn bouncing_parties(
        &self,
        after: Option<crate::domain::BouncingCursor>,
        limit: u32,
    ) -> StoreResult<Vec<crate::domain::BouncingParty>>;

    /// Since when the buyer's and the seller's address keep bouncing, if
    /// they do. NotFound for an unknown conversation.
    async fn bouncing_since(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<(Option<OffsetDateTime>, Option<OffsetDateTime>)>;
}

/// Consent requests, answers, revocations and expiry.
#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// In one transaction: the request mail (message, `consent_request` queue
    /// entry and its events), the consent record, and `consent.requested`.
    /// First records lapsed consents as expired. Conflict("consent_open") if
    /// the conversation has an open request or grant of that kind and purpose;
    /// NotFound for an unknown conversation.
    async fn create_consent_request(&self, new: &NewConsentRequest) -> StoreResult<ConsentRequest>;

    async fn get_consent(&self, id: ConsentId) -> StoreResult<ConsentRequest>;

    /// The consent a request mail carries, if `message` is one.
    async fn consent_for_message(&self, message: MessageId) -> StoreResult<Option<ConsentRequest>>;

    /// Oldest first.
    async fn list_consents(&self, conversation: ConversationId)
    -> StoreResult<Vec<ConsentRequest>>;

    /// A grant of `kind` in the conversation that holds at `at`, whatever
    /// the sweep has recorded.
    async fn active_consent(
        &self,
        conversation: ConversationId,
        kind: ContactKind,
        at: OffsetDateTime,
    ) -> StoreResult<Option<ConsentRequest>>;

    /// requested → granted (ending `valid_for_days` after `at`) or declined,
    /// with `consent.granted`/`consent.declined`. InvalidState unless the
    /// request is open and within its deadline.
    async fn answer_consent(
        &self,
        id: ConsentId,
        grant: bool,
        actor: ConsentActor,
        at: OffsetDateTime,
    ) -> StoreResult<ConsentRequest>;

    /// A grant that holds, or an unanswered request, → revoked, with
    /// `consent.revoked` by `actor`; a revoked grant also deletes the
    /// buyer's phone number (`buyer.phone_deleted`) unless another grant
    /// holds it. InvalidState otherwise.
    async fn revoke_consent(
        &self,
        id: ConsentId,
        actor: ConsentActor,
        at: OffsetDateTime,
    ) -> StoreResult<ConsentRequest>;

    /// Records open requests and grants past their deadline as expired, one
    /// `consent.expired` event each, deleting phone numbers no grant holds
    /// any more as `revoke_consent` does; returns how many.
    async fn expire_consents(&self, at: OffsetDateTime) -> StoreResult<u64>;
}

/// The append-only audit trail.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn record_audit(&self, event: &NewAuditEvent) -> StoreResult<()>;

    /// Several events in one transaction, in order (one write for a page
    /// of staff reads rather than one per message).
    async fn record_audits(&self, events: &[NewAuditEvent]) -> StoreResult<()>;

    /// Events about one subject (e.g. a message id), or all when `None`; oldest first, at most `limit`.
    async fn audit_events(
        &self,
        subject_id: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>>;
}

/// Blocking, suspending, and the staff search and access log.
#[async_trait]
pub trait ModerationStore: Send + Sync {
    /// Blocks or unblocks a conversation, with `conversation.blocked` /
    /// `conversation.unblocked` by that staff member (the note in the details),
    /// in one transaction. Setting the state it already has changes nothing and
    /// records nothing. NotFound for an unknown conversation.
    async fn set_conversation_blocked(
        &self,
        id: ConversationId,
        blocked: bool,
        staff: StaffId,
        note: Option<&str>,
        at: OffsetDateTime,
    ) -> StoreResult<Conversation>;

    /// Suspends or reinstates a seller, with `seller.suspended` /
    /// `seller.reinstated` likewise. NotFound for an unknown seller.
    async fn set_seller_suspended(
        &self,
        id: SellerId,
        suspended: bool,
        staff: StaffId,
        note: Option<&str>,
        at: OffsetDateTime,
    ) -> StoreResult<Seller>;

    /// Every seller's conversations matching `query` (case-insensitive as
    /// the engine's `lower()` is: all of Unicode on Postgres, ASCII on
    /// SQLite; a plain substring: `%` and `_` mean themselves) in a buyer or seller
    /// alias, the buyer's name or real address, the order id, the seller's
    /// name or real address, or a message's subject or text as received; or
    /// whose conversation or seller id is exactly `query`. An empty query
    /// matches all. Newest activity first, `limit` rows after `offset`.
    async fn search_conversations(
        &self,
        query: &str,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<ConversationSummary>>;

    /// `message.read` and `staff.searched` events by staff, newest first,
    /// `limit` rows after `offset`.
    async fn staff_reads_page(&self, limit: i64, offset: i64) -> StoreResult<Vec<AuditEvent>>;
}

/// Buyer reports and the buyer's opt-out.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Files the buyer's report of a seller's message, with `report.filed` by
    /// the buyer. A message is reported once: filing again returns the first
    /// report and `false`, and records nothing. NotFound for an unknown
    /// message; InvalidState for a message the buyer wrote.
    async fn file_report(
        &self,
        new: &crate::domain::NewReport,
    ) -> StoreResult<(crate::domain::Report, bool)>;

    async fn get_report(&self, id: crate::domain::ReportId) -> StoreResult<crate::domain::Report>;

    async fn report_for_message(
        &self,
        message: MessageId,
    ) -> StoreResult<Option<crate::domain::Report>>;

    /// Open reports oldest first; resolved ones most recently resolved first.
    async fn list_reports(
        &self,
        status: crate::domain::ReportStatus,
    ) -> StoreResult<Vec<crate::domain::Report>>;

    async fn count_open_reports(&self) -> StoreResult<i64>;

    /// open → resolved by that staff member, with `report.resolved`.
    /// InvalidState if it is resolved already; NotFound for an unknown report.
    async fn resolve_report(
        &self,
        id: crate::domain::ReportId,
        staff: StaffId,
        note: Option<&str>,
        at: OffsetDateTime,
    ) -> StoreResult<crate::domain::Report>;

    /// Records or withdraws the buyer's opt-out from the seller's messages
    /// that are not about an order, with `conversation.opted_out` /
    /// `conversation.opt_out_undone` by the buyer. Setting the state it
    /// already has records nothing. Returns since when the buyer is opted
    /// out, if they are. NotFound for an unknown conversation.
    async fn set_buyer_opt_out(
        &self,
        conversation: ConversationId,
        opted_out: bool,
        at: OffsetDateTime,
    ) -> StoreResult<Option<OffsetDateTime>>;

    /// Since when the buyer is opted out, if they are.
    async fn buyer_opted_out(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Option<OffsetDateTime>>;
}

/// A `like` pattern that finds `text` anywhere, with `\` as the escape
/// character, so the wildcards in `text` match only themselves.
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Connects, applies migrations, and returns the backend for the URL.
pub async fn connect(url: &DatabaseUrl) -> StoreResult<Arc<dyn Store>> {
    match url {
        DatabaseUrl::Sqlite(path) => sqlite::open(path).await,
        DatabaseUrl::Postgres(url) => postgres::open(url).await,
    }
}
