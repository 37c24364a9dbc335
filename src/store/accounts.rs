//! Web sign-in records beside the `Store`: invitations, password hashes,
//! sessions, failed sign-ins, and the inbox's "no response needed" marks.
//! Reached through `Store::accounts()`; implemented once for both engines in `store/sql/accounts.rs`.

use async_trait::async_trait;
use rand::Rng;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{AuditEvent, ConversationId, SellerId, StaffId};

/// A new session id or invitation token: 256 random bits, URL-safe.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill(&mut bytes);
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

/// Hex SHA-256 of a secret: all this store keeps of session ids and
/// invitation tokens, so a copy of the tables signs nobody in.
pub fn secret_hash(secret: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(secret.as_bytes()))
}

/// Someone who signs in to the web pages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Account {
    Seller(SellerId),
    Staff(StaffId),
}

/// A signed-in browser, as its cookie finds it.
#[derive(Clone, Debug)]
pub struct WebSession {
    pub account: Account,
    pub csrf_token: String,
    pub expires_at: OffsetDateTime,
}

/// Hashes only: callers generate the secrets and keep the plain values.
#[derive(Clone, Debug)]
pub struct NewWebSession {
    pub id_hash: String,
    pub account: Account,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// NotFound if the seller or staff member does not exist. Cancels the
    /// account's older unused invitations: only the newest link works.
    async fn create_invitation(
        &self,
        token_hash: &str,
        account: Account,
        created_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// The account of an invitation that is unused and not expired at `now`.
    async fn open_invitation(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Account>>;
    /// In one transaction: uses up the invitation, sets the account's
    /// password hash (replacing an older one) and ends the account's web
    /// sessions, so a new password signs out whoever had the old one. NotFound if the invitation is
    /// unknown, used or expired; Conflict("credential_email") if another
    /// account already signs in with the same email.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Account>;
    /// The account signing in with this (lowercase) email and its password hash.
    async fn credentials(&self, email: &str) -> StoreResult<Option<(Account, String)>>;

    async fn create_session(&self, new: &NewWebSession) -> StoreResult<()>;
    /// The session, if it exists and has not expired at `now`.
    async fn session(&self, id_hash: &str, now: OffsetDateTime) -> StoreResult<Option<WebSession>>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;

    /// Reserves one attempt under each key at `at` if every key has fewer
    /// than its limit of attempts at or after `since`; returns whether it
    /// did. A reserved attempt counts as a failure until
    /// [`AccountStore::release_attempt`] takes it back. Attempts under one
    /// key are checked and reserved one after another, so of any number of
    /// parallel attempts exactly as many as the limit allows get through.
    async fn reserve_attempt(
        &self,
        attempt_id: &str,
        limits: &[(String, i64)],
        at: OffsetDateTime,
        since: OffsetDateTime,
    ) -> StoreResult<bool>;
    /// Takes back the rows of an attempt that succeeded.
    async fn release_attempt(&self, attempt_id: &str) -> StoreResult<()>;
    /// Failures under `key_hash` at or after `since`.
    async fn login_failures_since(&self, key_hash: &str, since: OffsetDateTime)
    -> StoreResult<i64>;
    /// Forgets the failures under `key_hash` (after a successful sign-in).
    async fn clear_login_failures(&self, key_hash: &str) -> StoreResult<()>;
    /// Deletes sessions expired at `now` and failures before `failures_before`,
    /// so neither table grows without bound.
    async fn purge_expired(
        &self,
        now: OffsetDateTime,
        failures_before: OffsetDateTime,
    ) -> StoreResult<()>;

    /// Marks the conversation answered as of `at` without a reply, its
    /// messages read, and audits both, in one transaction; its buyer
    /// messages no reply answers are marked "no response needed" by the
    /// seller in the same transaction. `NotFound` for a conversation that
    /// does not exist.
    async fn mark_no_response_needed(
        &self,
        conversation: ConversationId,
        seller: SellerId,
        at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// The seller's conversations whose newest visible buyer message is at or
    /// before `received_before` and has neither a later seller message nor a
    /// later "no response needed" mark.
    async fn awaiting_reply(
        &self,
        seller: SellerId,
        received_before: OffsetDateTime,
    ) -> StoreResult<Vec<ConversationId>>;

    /// The console's access log: `message.read` events by staff, newest
    /// first, at most `limit`.
    async fn staff_reads(&self, limit: i64) -> StoreResult<Vec<AuditEvent>>;
}

/// The seller's conversations whose newest buyer message they may see is
/// old and unanswered (see `AccountStore::awaiting_reply`).
pub(crate) static AWAITING_REPLY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    // The seller's conversations first, each one's newest buyer message
    // read from its own index range: grouping every buyer message of the
    // database first took seconds at a million messages.
    format!(
        r#"
        select b.id
        from (
            select c.id,
                   (select max(m.created_at)
                    from messages m
                    where m.conversation_id = c.id
                      and m.direction = 'buyer_to_seller'
                      -- only what reached the seller: held or blocked mail asks nothing of them
                      and {}) as last_buyer_at
            from conversations c
            where c.seller_id = $1
        ) b
        left join inbox_answered a on a.conversation_id = b.id
        where b.last_buyer_at <= $2
          and (a.answered_at is null or a.answered_at < b.last_buyer_at)
          and not exists (
              select 1
              from messages s
              where s.conversation_id = b.id
                and s.direction = 'seller_to_buyer'
                and s.created_at > b.last_buyer_at
          )
        "#,
        super::sql::seller_may_see_sql()
    )
});
