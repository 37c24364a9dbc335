//! Keeping only what is needed: message content purged after the retention
//! period, one party erased, and everything stored about one party read
//! back for an export. Reached through `Store::lifecycle()`; implemented once
//! for both engines in `store/sql/lifecycle.rs`.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{
    AuditEvent, BuyerId, ConsentRequest, Conversation, EmailAddress, Report, SellerId,
    StoredMessage,
};

/// One party of the marketplace, as erasure and export name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartyRef {
    Buyer(BuyerId),
    Seller(SellerId),
}

impl PartyRef {
    pub fn kind(self) -> &'static str {
        match self {
            PartyRef::Buyer(_) => "buyer",
            PartyRef::Seller(_) => "seller",
        }
    }

    pub fn id(self) -> uuid::Uuid {
        match self {
            PartyRef::Buyer(id) => id.0,
            PartyRef::Seller(id) => id.0,
        }
    }
}

/// What an erasure changed; counts only, like its audit event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Erasure {
    pub conversations: u64,
    pub messages: u64,
}

/// Everything stored about one party, oldest first in each list.
#[derive(Clone, Debug)]
pub struct PartyRecords {
    pub party: PartyRef,
    /// Each with both parties as stored (the counterpart's real address
    /// is the caller's to leave out).
    pub conversations: Vec<Conversation>,
    pub messages: Vec<StoredMessage>,
    pub consents: Vec<ConsentRequest>,
    pub reports: Vec<Report>,
    /// A seller's help domains (none for a buyer).
    pub help_domains: Vec<crate::domain::SellerHelpDomain>,
    /// Events about the party, its conversations, messages, consents and reports.
    pub audit: Vec<AuditEvent>,
}

#[async_trait]
pub trait LifecycleStore: Send + Sync {
    /// Purges the content of at most `limit` messages created before
    /// `before`, oldest first, in one transaction with a `message.purged`
    /// event each: texts as received and delivered, HTML, raw MIME and
    /// files go, `purged_at` is set to `at`. Messages still queued or held,
    /// or with a queue entry pending, are left alone. Returns how many.
    async fn purge_messages(
        &self,
        before: OffsetDateTime,
        limit: u32,
        at: OffsetDateTime,
    ) -> StoreResult<u64>;

    /// The buyer with this real address, if any.
    async fn buyer_by_email(&self, email: &EmailAddress) -> StoreResult<Option<BuyerId>>;

    /// In one transaction: the party's real address, name, external id,
    /// country and phone replaced by a tombstone; every conversation it
    /// is in closed (its aliases name nothing from then on) and blocked;
    /// their messages' content purged (subject and threading ids too),
    /// pending queue entries given up, report comments removed, open
    /// consents revoked; a seller's tokens, password and sessions deleted;
    /// and one `buyer.erased` / `seller.erased` event by the operator with
    /// counts only. NotFound for an unknown party.
    async fn erase_party(&self, party: PartyRef, at: OffsetDateTime) -> StoreResult<Erasure>;

    /// Everything stored about the party, and a `buyer.exported` /
    /// `seller.exported` event by the operator. NotFound for an unknown party.
    async fn export_party(&self, party: PartyRef, at: OffsetDateTime) -> StoreResult<PartyRecords>;
}
