//! Invitations, passwords, web sessions and sign-in attempts.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use serde_json::json;

use crate::domain::{AuditAction, AuditEvent, ConversationId, NewAuditEvent, SellerId, StaffId};
use crate::store::accounts::{Account, AccountStore, NewWebSession, WebSession};
use crate::store::rows::{AuditRow, DbId, DbTime};
use crate::store::sql::audit_select;
use crate::store::{StoreError, StoreResult};

use super::Backend;
use super::common::insert_audit;

pub(super) const RETIRE_OPEN_INVITATIONS: &str = r#"
    update invitations
    set used_at = $1
    where (seller_id = $2 or staff_id = $3) and used_at is null
"#;

const INSERT_INVITATION: &str = r#"
    insert into invitations
        (token_hash, seller_id, staff_id, created_at, expires_at, used_at)
    values ($1, $2, $3, $4, $5, null)
"#;

const OPEN_INVITATION: &str = r#"
    select seller_id, staff_id
    from invitations
    where token_hash = $1 and used_at is null and expires_at > $2
"#;

const USE_INVITATION: &str = r#"
    update invitations
    set used_at = $1
    where token_hash = $2 and used_at is null and expires_at > $1
    returning seller_id, staff_id
"#;

/// An erased seller sets no password: their invitation names nobody.
const SELLER_EMAIL: &str = r#"
    select email from sellers where id = $1 and erased_at is null
"#;

const STAFF_EMAIL: &str = r#"
    select email from staff where id = $1
"#;

pub(super) const DELETE_CREDENTIALS: &str = r#"
    delete from credentials where seller_id = $1 or staff_id = $2
"#;

pub(super) const DELETE_SESSIONS: &str = r#"
    delete from web_sessions where seller_id = $1 or staff_id = $2
"#;

const INSERT_CREDENTIALS: &str = r#"
    insert into credentials (email, seller_id, staff_id, password_hash, updated_at)
    values ($1, $2, $3, $4, $5)
"#;

const CREDENTIALS: &str = r#"
    select seller_id, staff_id, password_hash from credentials where email = $1
"#;

const CREATE_SESSION: &str = r#"
    insert into web_sessions
        (id_hash, seller_id, staff_id, csrf_token, created_at, expires_at)
    values ($1, $2, $3, $4, $5, $6)
"#;

const SESSION: &str = r#"
    select seller_id, staff_id, csrf_token, expires_at
    from web_sessions
    where id_hash = $1 and expires_at > $2
"#;

const DELETE_SESSION: &str = r#"
    delete from web_sessions where id_hash = $1
"#;

const LOCK_ATTEMPT_KEY: &str = r#"
    insert into attempt_locks (key_hash, touched_at)
    values ($1, $2)
    on conflict (key_hash) do update set touched_at = excluded.touched_at
"#;

const ATTEMPTS_SINCE: &str = r#"
    select count(*) from login_failures where key_hash = $1 and at >= $2
"#;

const INSERT_ATTEMPT: &str = r#"
    insert into login_failures (key_hash, at, attempt_id) values ($1, $2, $3)
"#;

const RELEASE_ATTEMPT: &str = r#"
    delete from login_failures where attempt_id = $1
"#;

const LOGIN_FAILURES_SINCE: &str = r#"
    select count(*) from login_failures where key_hash = $1 and at >= $2
"#;

const CLEAR_LOGIN_FAILURES: &str = r#"
    delete from login_failures where key_hash = $1
"#;

const PURGE_SESSIONS: &str = r#"
    delete from web_sessions where expires_at <= $1
"#;

const PURGE_LOGIN_FAILURES: &str = r#"
    delete from login_failures where at < $1
"#;

const PURGE_ATTEMPT_LOCKS: &str = r#"
    delete from attempt_locks where touched_at < $1
"#;

const MARK_NO_RESPONSE_NEEDED: &str = r#"
    insert into inbox_answered (conversation_id, answered_at)
    values ($1, $2)
    on conflict (conversation_id) do update set answered_at = excluded.answered_at
"#;

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
        _ => Err(crate::store::StoreError::Other(anyhow::anyhow!(
            "account row without exactly one owner"
        ))),
    }
}

const STAFF_READS: &str = concat!(
    audit_select!(),
    r#"
            where action = 'message.read' and actor_kind = 'staff'
            -- ids grow with time; newest first
            order by id desc
            limit $1
            "#
);

#[async_trait::async_trait]
impl AccountStore for Backend {
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
        sqlx::query(RETIRE_OPEN_INVITATIONS)
            .bind(DbTime(created_at))
            .bind(seller)
            .bind(staff)
            .execute(&mut *tx)
            .await?;
        sqlx::query(INSERT_INVITATION)
            .bind(token_hash.to_owned())
            .bind(seller)
            .bind(staff)
            .bind(DbTime(created_at))
            .bind(DbTime(expires_at))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn open_invitation(
        &self,
        token_hash: &str,
        now: time::OffsetDateTime,
    ) -> StoreResult<Option<Account>> {
        let row: Option<(Option<DbId>, Option<DbId>)> = sqlx::query_as(OPEN_INVITATION)
            .bind(token_hash.to_owned())
            .bind(DbTime(now))
            .fetch_optional(&self.pool)
            .await?;
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
        let row: Option<(Option<DbId>, Option<DbId>)> = sqlx::query_as(USE_INVITATION)
            .bind(DbTime(now))
            .bind(token_hash.to_owned())
            .fetch_optional(&mut *tx)
            .await?;
        let (seller, staff) = row.ok_or(crate::store::StoreError::NotFound)?;
        let account = account_of(seller, staff)?;
        let email: String = match account {
            Account::Seller(id) => {
                sqlx::query_scalar(SELLER_EMAIL)
                    .bind(DbId(id.0))
                    .fetch_one(&mut *tx)
                    .await
            }
            Account::Staff(id) => {
                sqlx::query_scalar(STAFF_EMAIL)
                    .bind(DbId(id.0))
                    .fetch_one(&mut *tx)
                    .await
            }
        }?;
        sqlx::query(DELETE_CREDENTIALS)
            .bind(seller)
            .bind(staff)
            .execute(&mut *tx)
            .await?;
        sqlx::query(DELETE_SESSIONS)
            .bind(seller)
            .bind(staff)
            .execute(&mut *tx)
            .await?;
        sqlx::query(INSERT_CREDENTIALS)
            .bind(email)
            .bind(seller)
            .bind(staff)
            .bind(password_hash.to_owned())
            .bind(DbTime(now))
            .execute(&mut *tx)
            .await
            .map_err(|e| match crate::store::StoreError::from(e) {
                crate::store::StoreError::Conflict(_) => {
                    crate::store::StoreError::Conflict("credential_email".into())
                }
                other => other,
            })?;
        tx.commit().await?;
        Ok(account)
    }

    #[tracing::instrument(skip_all)]
    async fn credentials(&self, email: &str) -> StoreResult<Option<(Account, String)>> {
        let row: Option<(Option<DbId>, Option<DbId>, String)> = sqlx::query_as(CREDENTIALS)
            .bind(email.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|(seller, staff, hash)| Ok((account_of(seller, staff)?, hash)))
            .transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn create_session(&self, new: &NewWebSession) -> StoreResult<()> {
        let (seller, staff) = owner_ids(new.account);
        sqlx::query(CREATE_SESSION)
            .bind(new.id_hash.clone())
            .bind(seller)
            .bind(staff)
            .bind(new.csrf_token.clone())
            .bind(DbTime(new.created_at))
            .bind(DbTime(new.expires_at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn session(
        &self,
        id_hash: &str,
        now: time::OffsetDateTime,
    ) -> StoreResult<Option<WebSession>> {
        let row: Option<(Option<DbId>, Option<DbId>, String, DbTime)> = sqlx::query_as(SESSION)
            .bind(id_hash.to_owned())
            .bind(DbTime(now))
            .fetch_optional(&self.pool)
            .await?;
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
        sqlx::query(DELETE_SESSION)
            .bind(id_hash.to_owned())
            .execute(&self.pool)
            .await?;
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
            sqlx::query(LOCK_ATTEMPT_KEY)
                .bind(key.clone())
                .bind(DbTime(at))
                .execute(&mut *tx)
                .await?;
        }
        for (key, limit) in &keys {
            let attempts: i64 = sqlx::query_scalar(ATTEMPTS_SINCE)
                .bind(key.clone())
                .bind(DbTime(since))
                .fetch_one(&mut *tx)
                .await?;
            if attempts >= *limit {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        for (key, _) in &keys {
            sqlx::query(INSERT_ATTEMPT)
                .bind(key.clone())
                .bind(DbTime(at))
                .bind(attempt_id.to_owned())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    #[tracing::instrument(skip_all)]
    async fn release_attempt(&self, attempt_id: &str) -> StoreResult<()> {
        sqlx::query(RELEASE_ATTEMPT)
            .bind(attempt_id.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn login_failures_since(
        &self,
        key_hash: &str,
        since: time::OffsetDateTime,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(LOGIN_FAILURES_SINCE)
            .bind(key_hash.to_owned())
            .bind(DbTime(since))
            .fetch_one(&self.pool)
            .await
            .map_err(crate::store::StoreError::from)
    }

    #[tracing::instrument(skip_all)]
    async fn clear_login_failures(&self, key_hash: &str) -> StoreResult<()> {
        sqlx::query(CLEAR_LOGIN_FAILURES)
            .bind(key_hash.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn purge_expired(
        &self,
        now: time::OffsetDateTime,
        failures_before: time::OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(PURGE_SESSIONS)
            .bind(DbTime(now))
            .execute(&self.pool)
            .await?;
        sqlx::query(PURGE_LOGIN_FAILURES)
            .bind(DbTime(failures_before))
            .execute(&self.pool)
            .await?;
        sqlx::query(PURGE_ATTEMPT_LOCKS)
            .bind(DbTime(failures_before))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn mark_no_response_needed(
        &self,
        conversation: ConversationId,
        seller: SellerId,
        at: time::OffsetDateTime,
    ) -> StoreResult<()> {
        // The mark, the messages read and the audit of both, or none of them.
        let mut tx = self.begin_write().await?;
        let marked = sqlx::query(MARK_NO_RESPONSE_NEEDED)
            .bind(DbId(conversation.0))
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if marked == 0 {
            return Err(StoreError::NotFound);
        }
        // Each buyer message it answers leaves the response time, as one
        // marked by itself would.
        sqlx::query(crate::store::sql::MARK_UNANSWERED_NO_RESPONSE.as_str())
            .bind(DbId(conversation.0))
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?;
        let read = sqlx::query(crate::store::sql::MARK_READ_BY_SELLER.as_str())
            .bind(DbTime(at))
            .bind(DbId(conversation.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let by_seller = |action, details| NewAuditEvent {
            actor_kind: "seller".into(),
            actor_id: Some(seller.to_string()),
            action,
            subject_kind: "conversation".into(),
            subject_id: conversation.to_string(),
            details,
        };
        if read > 0 {
            let event = by_seller(AuditAction::MessageRead, json!({ "messages": read }));
            insert_audit(&mut tx, at, &event).await?;
        }
        let event = by_seller(AuditAction::ConversationNoResponseNeeded, json!({}));
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(seller_id = %seller))]
    async fn awaiting_reply(
        &self,
        seller: SellerId,
        received_before: time::OffsetDateTime,
    ) -> StoreResult<Vec<ConversationId>> {
        let ids: Vec<DbId> = sqlx::query_scalar(crate::store::accounts::AWAITING_REPLY.as_str())
            .bind(DbId(seller.0))
            .bind(DbTime(received_before))
            .fetch_all(&self.pool)
            .await?;
        Ok(ids.into_iter().map(|id| ConversationId(id.0)).collect())
    }

    #[tracing::instrument(skip_all)]
    async fn staff_reads(&self, limit: i64) -> StoreResult<Vec<AuditEvent>> {
        let rows = sqlx::query_as::<_, AuditRow>(STAFF_READS)
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(AuditRow::into_domain).collect())
    }
}
