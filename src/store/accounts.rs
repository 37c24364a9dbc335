//! Web sign-in records beside the `Store`: invitations, password hashes,
//! sessions, failed sign-ins, and the inbox's "no response needed" marks.
//! Reached through `Store::accounts()`; both backends expand `account_store!`.

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

    /// Marks the conversation answered as of `at` without a reply.
    async fn mark_no_response_needed(
        &self,
        conversation: ConversationId,
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
    format!(
        r#"
        select c.id
        from conversations c
        join (
            -- only what reached the seller: held or blocked mail asks nothing of them
            select m.conversation_id, max(m.created_at) as last_buyer_at
            from messages m
            where m.direction = 'buyer_to_seller'
              and {}
            group by m.conversation_id
        ) b on b.conversation_id = c.id
        left join inbox_answered a on a.conversation_id = c.id
        where c.seller_id = $1
          and b.last_buyer_at <= $2
          and (a.answered_at is null or a.answered_at < b.last_buyer_at)
          and not exists (
              select 1
              from messages s
              where s.conversation_id = c.id
                and s.direction = 'seller_to_buyer'
                and s.created_at > b.last_buyer_at
          )
        "#,
        super::sql::seller_may_see_sql()
    )
});

/// Expands to `impl AccountStore for $store` inside a backend module that
/// defines `type Db`, `$store { pool: Pool<Db> }` and `$store::begin_write`.
/// The impl sits in an anonymous const so its imports do not clash with
/// `sql_store!`'s in the same module.
macro_rules! account_store {
    ($store:ident) => {
        const _: () = {
            use $crate::domain::{AuditEvent, ConversationId, SellerId, StaffId};
            use $crate::store::StoreResult;
            use $crate::store::accounts::{Account, AccountStore, NewWebSession, WebSession};
            use $crate::store::rows::{AuditRow, DbId, DbTime, db_error};
            use $crate::store::sql::audit_select;

            fn owner_ids(account: Account) -> (Option<DbId>, Option<DbId>) {
                match account {
                    Account::Seller(id) => (Some(DbId(id.0)), None),
                    Account::Staff(id) => (None, Some(DbId(id.0))),
                }
            }

            fn account_of(seller: Option<DbId>, staff: Option<DbId>) -> StoreResult<Account> {
                match (seller, staff) {
                    (Some(id), None) => Ok(Account::Seller(SellerId(id.0))),
                    (None, Some(id)) => Ok(Account::Staff(StaffId(id.0))),
                    // The check constraints make this unreachable.
                    _ => Err($crate::store::StoreError::Other(anyhow::anyhow!(
                        "account row without exactly one owner"
                    ))),
                }
            }

            #[async_trait::async_trait]
            impl AccountStore for $store {
                #[tracing::instrument(skip_all)]
                async fn create_invitation(
                    &self,
                    token_hash: &str,
                    account: Account,
                    created_at: time::OffsetDateTime,
                    expires_at: time::OffsetDateTime,
                ) -> StoreResult<()> {
                    let (seller, staff) = owner_ids(account);
                    let mut tx = self.begin_write().await?;
                    // An older link still in someone's mailbox stops working.
                    sqlx::query(
                        r#"
                        update invitations
                        set used_at = $3
                        where (seller_id = $1 or staff_id = $2) and used_at is null
                        "#,
                    )
                    .bind(seller)
                    .bind(staff)
                    .bind(DbTime(created_at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                    sqlx::query(
                        r#"
                        insert into invitations
                            (token_hash, seller_id, staff_id, created_at, expires_at, used_at)
                        values ($1, $2, $3, $4, $5, null)
                        "#,
                    )
                    .bind(token_hash.to_owned())
                    .bind(seller)
                    .bind(staff)
                    .bind(DbTime(created_at))
                    .bind(DbTime(expires_at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                    tx.commit().await.map_err(db_error)?;
                    Ok(())
                }

                #[tracing::instrument(skip_all)]
                async fn open_invitation(
                    &self,
                    token_hash: &str,
                    now: time::OffsetDateTime,
                ) -> StoreResult<Option<Account>> {
                    let row: Option<(Option<DbId>, Option<DbId>)> = sqlx::query_as(
                        r#"
                        select seller_id, staff_id
                        from invitations
                        where token_hash = $1 and used_at is null and expires_at > $2
                        "#,
                    )
                    .bind(token_hash.to_owned())
                    .bind(DbTime(now))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                    row.map(|(seller, staff)| account_of(seller, staff))
                        .transpose()
                }

                #[tracing::instrument(skip_all)]
                async fn accept_invitation(
                    &self,
                    token_hash: &str,
                    password_hash: &str,
                    now: time::OffsetDateTime,
                ) -> StoreResult<Account> {
                    let mut tx = self.begin_write().await?;
                    // One conditional update: two tabs submitting the same link
                    // cannot both use it.
                    let row: Option<(Option<DbId>, Option<DbId>)> = sqlx::query_as(
                        r#"
                        update invitations
                        set used_at = $2
                        where token_hash = $1 and used_at is null and expires_at > $2
                        returning seller_id, staff_id
                        "#,
                    )
                    .bind(token_hash.to_owned())
                    .bind(DbTime(now))
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_error)?;
                    let (seller, staff) = row.ok_or($crate::store::StoreError::NotFound)?;
                    let account = account_of(seller, staff)?;
                    let email: String = match account {
                        Account::Seller(id) => {
                            sqlx::query_scalar("select email from sellers where id = $1")
                                .bind(DbId(id.0))
                                .fetch_one(&mut *tx)
                                .await
                        }
                        Account::Staff(id) => {
                            sqlx::query_scalar("select email from staff where id = $1")
                                .bind(DbId(id.0))
                                .fetch_one(&mut *tx)
                                .await
                        }
                    }
                    .map_err(db_error)?;
                    sqlx::query("delete from credentials where seller_id = $1 or staff_id = $2")
                        .bind(seller)
                        .bind(staff)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                    sqlx::query("delete from web_sessions where seller_id = $1 or staff_id = $2")
                        .bind(seller)
                        .bind(staff)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                    sqlx::query(
                        r#"
                        insert into credentials (email, seller_id, staff_id, password_hash, updated_at)
                        values ($1, $2, $3, $4, $5)
                        "#,
                    )
                    .bind(email)
                    .bind(seller)
                    .bind(staff)
                    .bind(password_hash.to_owned())
                    .bind(DbTime(now))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match db_error(e) {
                        $crate::store::StoreError::Conflict(_) => {
                            $crate::store::StoreError::Conflict("credential_email".into())
                        }
                        other => other,
                    })?;
                    tx.commit().await.map_err(db_error)?;
                    Ok(account)
                }

                #[tracing::instrument(skip_all)]
                async fn credentials(&self, email: &str) -> StoreResult<Option<(Account, String)>> {
                    let row: Option<(Option<DbId>, Option<DbId>, String)> = sqlx::query_as(
                        "select seller_id, staff_id, password_hash from credentials where email = $1",
                    )
                    .bind(email.to_owned())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                    row.map(|(seller, staff, hash)| Ok((account_of(seller, staff)?, hash)))
                        .transpose()
                }

                #[tracing::instrument(skip_all)]
                async fn create_session(&self, new: &NewWebSession) -> StoreResult<()> {
                    let (seller, staff) = owner_ids(new.account);
                    sqlx::query(
                        r#"
                        insert into web_sessions
                            (id_hash, seller_id, staff_id, csrf_token, created_at, expires_at)
                        values ($1, $2, $3, $4, $5, $6)
                        "#,
                    )
                    .bind(new.id_hash.clone())
                    .bind(seller)
                    .bind(staff)
                    .bind(new.csrf_token.clone())
                    .bind(DbTime(new.created_at))
                    .bind(DbTime(new.expires_at))
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                    Ok(())
                }

                #[tracing::instrument(skip_all)]
                async fn session(
                    &self,
                    id_hash: &str,
                    now: time::OffsetDateTime,
                ) -> StoreResult<Option<WebSession>> {
                    let row: Option<(Option<DbId>, Option<DbId>, String, DbTime)> = sqlx::query_as(
                        r#"
                        select seller_id, staff_id, csrf_token, expires_at
                        from web_sessions
                        where id_hash = $1 and expires_at > $2
                        "#,
                    )
                    .bind(id_hash.to_owned())
                    .bind(DbTime(now))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?;
                    row.map(|(seller, staff, csrf_token, expires_at)| {
                        Ok(WebSession {
                            account: account_of(seller, staff)?,
                            csrf_token,
                            expires_at: expires_at.utc(),
                        })
                    })
                    .transpose()
                }

                #[tracing::instrument(skip_all)]
                async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
                    sqlx::query("delete from web_sessions where id_hash = $1")
                        .bind(id_hash.to_owned())
                        .execute(&self.pool)
                        .await
                        .map_err(db_error)?;
                    Ok(())
                }

                #[tracing::instrument(skip_all)]
                async fn reserve_attempt(
                    &self,
                    attempt_id: &str,
                    limits: &[(String, i64)],
                    at: time::OffsetDateTime,
                    since: time::OffsetDateTime,
                ) -> StoreResult<bool> {
                    let mut keys: Vec<&(String, i64)> = limits.iter().collect();
                    // One order for every attempt, so two never wait on each other.
                    keys.sort();
                    let mut tx = self.begin_write().await?;
                    for (key, _) in &keys {
                        // Updating the key's row locks it until commit.
                        sqlx::query(
                            r#"
                            insert into attempt_locks (key_hash, touched_at)
                            values ($1, $2)
                            on conflict (key_hash) do update set touched_at = excluded.touched_at
                            "#,
                        )
                        .bind(key.clone())
                        .bind(DbTime(at))
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                    }
                    for (key, limit) in &keys {
                        let attempts: i64 = sqlx::query_scalar(
                            "select count(*) from login_failures where key_hash = $1 and at >= $2",
                        )
                        .bind(key.clone())
                        .bind(DbTime(since))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db_error)?;
                        if attempts >= *limit {
                            tx.rollback().await.map_err(db_error)?;
                            return Ok(false);
                        }
                    }
                    for (key, _) in &keys {
                        sqlx::query(
                            "insert into login_failures (key_hash, at, attempt_id) values ($1, $2, $3)",
                        )
                        .bind(key.clone())
                        .bind(DbTime(at))
                        .bind(attempt_id.to_owned())
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                    }
                    tx.commit().await.map_err(db_error)?;
                    Ok(true)
                }

                #[tracing::instrument(skip_all)]
                async fn release_attempt(&self, attempt_id: &str) -> StoreResult<()> {
                    sqlx::query("delete from login_failures where attempt_id = $1")
                        .bind(attempt_id.to_owned())
                        .execute(&self.pool)
                        .await
                        .map_err(db_error)?;
                    Ok(())
                }

                #[tracing::instrument(skip_all)]
                async fn login_failures_since(
                    &self,
                    key_hash: &str,
                    since: time::OffsetDateTime,
                ) -> StoreResult<i64> {
                    sqlx::query_scalar(
                        "select count(*) from login_failures where key_hash = $1 and at >= $2",
                    )
                    .bind(key_hash.to_owned())
                    .bind(DbTime(since))
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_error)
                }

                #[tracing::instrument(skip_all)]
                async fn clear_login_failures(&self, key_hash: &str) -> StoreResult<()> {
                    sqlx::query("delete from login_failures where key_hash = $1")
                        .bind(key_hash.to_owned())
                        .execute(&self.pool)
                        .await
                        .map_err(db_error)?;
                    Ok(())
                }

                #[tracing::instrument(skip_all)]
                async fn purge_expired(
                    &self,
                    now: time::OffsetDateTime,
                    failures_before: time::OffsetDateTime,
                ) -> StoreResult<()> {
                    sqlx::query("delete from web_sessions where expires_at <= $1")
                        .bind(DbTime(now))
                        .execute(&self.pool)
                        .await
                        .map_err(db_error)?;
                    sqlx::query("delete from login_failures where at < $1")
                        .bind(DbTime(failures_before))
                        .execute(&self.pool)
                        .await
                        .map_err(db_error)?;
                    sqlx::query("delete from attempt_locks where touched_at < $1")
                        .bind(DbTime(failures_before))
                        .execute(&self.pool)
                        .await
                        .map_err(db_error)?;
                    Ok(())
                }

                #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
                async fn mark_no_response_needed(
                    &self,
                    conversation: ConversationId,
                    at: time::OffsetDateTime,
                ) -> StoreResult<()> {
                    sqlx::query(
                        r#"
                        insert into inbox_answered (conversation_id, answered_at)
                        values ($1, $2)
                        on conflict (conversation_id) do update set answered_at = excluded.answered_at
                        "#,
                    )
                    .bind(DbId(conversation.0))
                    .bind(DbTime(at))
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                    Ok(())
                }

                #[tracing::instrument(skip_all, fields(seller_id = %seller))]
                async fn awaiting_reply(
                    &self,
                    seller: SellerId,
                    received_before: time::OffsetDateTime,
                ) -> StoreResult<Vec<ConversationId>> {
                    let ids: Vec<DbId> =
                        sqlx::query_scalar($crate::store::accounts::AWAITING_REPLY.as_str())
                    .bind(DbId(seller.0))
                    .bind(DbTime(received_before))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                    Ok(ids.into_iter().map(|id| ConversationId(id.0)).collect())
                }

                #[tracing::instrument(skip_all)]
                async fn staff_reads(&self, limit: i64) -> StoreResult<Vec<AuditEvent>> {
                    let rows = sqlx::query_as::<_, AuditRow>(concat!(
                        audit_select!(),
                        r#"
                        where action = 'message.read' and actor_kind = 'staff'
                        -- ids grow with time; newest first
                        order by id desc
                        limit $1
                        "#
                    ))
                    .bind(limit.max(0))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                    Ok(rows.into_iter().map(AuditRow::into_domain).collect())
                }
            }
        };
    };
}
pub(crate) use account_store;
