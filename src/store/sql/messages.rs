//! Messages as stored, read marks and staff review.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{
    AuditAction, ConversationId, DeliveryKind, Direction, GateRefusal, MessageFiles, MessageId,
    MessageStatus, NewAuditEvent, NewMessage, ReceivedMail, ReviewDecision, SellerGate, StaffId,
    StoredMessage, ViolationKind,
};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::sql::message_select;
use crate::store::{Cursor, Page, StoreAs, StoreError, StoreResult};

use super::Backend;
use super::common::*;

const RAW_MIME: &str = r#"
    select raw_mime from messages where id = $1
"#;

const SELLER_OF_CONVERSATION: &str = r#"
    select seller_id from conversations where id = $1
"#;

const STAFF_EXISTS: &str = r#"
    select count(*) from staff where id = $1
"#;

const REVIEW_MESSAGE_SET_STATUS: &str = r#"
    update messages
    set status = $1, updated_at = $2
    where id = $3 and status = 'held'
"#;

/// A "held for review" notice not yet sent is moot once staff decide:
/// the released message or the rejection notice tells the sender. An entry
/// already tried keeps its attempts, so it is closed rather than removed.
/// One a worker has claimed is withdrawn too: the worker takes the send
/// claim (`sending_at`) on the same row just before it sends, and sends
/// nothing if the row is gone or closed. Only one a worker is sending now
/// is left to it.
const WITHDRAW_HELD_NOTICE: &str = r#"
    delete from deliveries
    where message_id = $1 and kind = 'notice' and status = 'pending' and attempts = 0
        and sending_at is null
"#;

const CLOSE_HELD_NOTICE: &str = r#"
    update deliveries
    set status = 'failed', last_error = 'withdrawn: the message was reviewed', updated_at = $1
    where message_id = $2 and kind = 'notice' and status = 'pending' and attempts > 0
        and sending_at is null
"#;

const REVIEW_MESSAGE_NOTIFIES_SENDER: &str = r#"
    select auto_submitted is null and coalesce(sender_auth, '') <> 'fail'
    from messages
    where id = $1
"#;

const STORE_BLOCKED_MESSAGE: &str = r#"
    update messages set block_reason = $1 where id = $2
"#;

const STORE_RECEIVED_MAIL: &str = r#"
    update messages
    set block_reason = $1, auto_submitted = $2, sender_auth = $3, sender_auth_results = $4
    where id = $5
"#;

/// Locks the seller's row until the transaction ends, on both engines (a
/// no-op update; Postgres re-reads a row a committed change replaced): a
/// suspension committed before it is read here, and one committing after
/// waits until the message is stored. SQLite's `begin immediate` orders
/// every writer anyway.
const LOCK_SELLER: &str = r#"
    update sellers set suspended = suspended where id = $1
    returning suspended
"#;

const BLOCK_REASON: &str = r#"
    select block_reason from messages where id = $1
"#;

const RECORD_LEGACY_FILES: &str = r#"
    update messages set files = $1 where id = $2 and files is null
"#;

const MESSAGE_FILES: &str = r#"
    select files from messages where id = $1
"#;

const LIST_MESSAGES: &str = concat!(
    message_select!(),
    "where m.conversation_id = $1 order by m.created_at, m.id"
);

// The status a literal, so both engines use the partial index on held
// messages in this order (migration 0018); the limit is the page size
// plus one, which only tells whether a next page exists.
const HELD_FIRST_PAGE: &str = concat!(
    message_select!(),
    "where m.status = 'held' order by m.created_at, m.id limit $1"
);

const HELD_PAGE_AFTER: &str = concat!(
    message_select!(),
    r#"
    where m.status = 'held'
      and (m.created_at > $1 or (m.created_at = $1 and m.id > $2))
    order by m.created_at, m.id
    limit $3
    "#
);

const MESSAGE_BY_HEADER_ID: &str = concat!(
    message_select!(),
    r#"
            where m.conversation_id = $1
              and (m.relayed_message_id = $2 or m.original_message_id = $2)
            order by m.created_at desc, m.id desc
            limit 1
            "#
);

impl Backend {
    /// `insert_as` in a transaction of its own.
    async fn store_as(&self, new: &NewMessage, how: StoreAs<'_>) -> StoreResult<StoredMessage> {
        let mut tx = self.begin_write().await?;
        let stored = insert_as(&mut tx, new, how).await?;
        tx.commit().await?;
        Ok(stored)
    }
}

/// Inserts the message with what `how` adds to it inside the caller's
/// transaction, and reads it back.
async fn insert_as(
    conn: &mut <super::Db as sqlx::Database>::Connection,
    new: &NewMessage,
    how: StoreAs<'_>,
) -> StoreResult<StoredMessage> {
    insert_message(&mut *conn, new).await?;
    match how {
        StoreAs::Routed { block_reason: None } => {}
        StoreAs::Routed {
            block_reason: Some(reason),
        } => {
            sqlx::query(STORE_BLOCKED_MESSAGE)
                .bind(rows::text(reason).into_owned())
                .bind(DbId(new.id.0))
                .execute(&mut *conn)
                .await?;
        }
        StoreAs::Received(received) => {
            sqlx::query(STORE_RECEIVED_MAIL)
                .bind(
                    received
                        .block_reason
                        .as_deref()
                        .map(|r| rows::text(r).into_owned()),
                )
                .bind(
                    received
                        .auto_submitted
                        .as_deref()
                        .map(|r| rows::text(r).into_owned()),
                )
                .bind(received.sender_auth.verdict.as_str())
                .bind(rows::json(
                    &serde_json::to_value(&received.sender_auth).map_err(anyhow::Error::from)?,
                ))
                .bind(DbId(new.id.0))
                .execute(&mut *conn)
                .await?;
            if received.notify_sender {
                insert_delivery(&mut *conn, new.id, DeliveryKind::Notice, new.created_at).await?;
            }
        }
    }
    load_message(&mut *conn, new.id).await
}

#[async_trait::async_trait]
impl crate::store::MessageStore for Backend {
    #[tracing::instrument(skip_all, fields(message_id = %new.id, conversation_id = %new.conversation_id))]
    async fn store_message(&self, new: &NewMessage) -> StoreResult<StoredMessage> {
        self.store_as(new, StoreAs::Routed { block_reason: None })
            .await
    }

    #[tracing::instrument(skip_all, fields(message_id = %id))]
    async fn get_message(&self, id: MessageId) -> StoreResult<StoredMessage> {
        let mut conn = self.pool.acquire().await?;
        load_message(&mut conn, id).await
    }

    #[tracing::instrument(skip_all, fields(message_id = %id))]
    async fn raw_mime(&self, id: MessageId) -> StoreResult<Option<Vec<u8>>> {
        let raw: Option<Option<Vec<u8>>> = sqlx::query_scalar(RAW_MIME)
            .bind(DbId(id.0))
            .fetch_optional(&self.pool)
            .await?;
        raw.ok_or(StoreError::NotFound)
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn list_messages(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>> {
        sqlx::query_as::<_, rows::MessageRow>(LIST_MESSAGES)
            .bind(DbId(conversation.0))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(rows::MessageRow::into_domain)
            .collect()
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn mark_read_by_seller(
        &self,
        conversation: ConversationId,
        at: time::OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let seller_id: DbId = sqlx::query_scalar(SELLER_OF_CONVERSATION)
            .bind(DbId(conversation.0))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let read = sqlx::query(crate::store::sql::MARK_READ_BY_SELLER.as_str())
            .bind(DbTime(at))
            .bind(DbId(conversation.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if read > 0 {
            let event = NewAuditEvent {
                actor_kind: "seller".into(),
                actor_id: Some(seller_id.0.to_string()),
                action: AuditAction::MessageRead,
                subject_kind: "conversation".into(),
                subject_id: conversation.to_string(),
                details: serde_json::json!({ "messages": read }),
            };
            insert_audit(&mut tx, at, &event).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn held_page(
        &self,
        after: Option<Cursor>,
        limit: i64,
    ) -> StoreResult<Page<StoredMessage>> {
        let limit = limit.max(0);
        let query = match after {
            None => sqlx::query_as::<_, rows::MessageRow>(HELD_FIRST_PAGE),
            Some(c) => sqlx::query_as::<_, rows::MessageRow>(HELD_PAGE_AFTER)
                .bind(DbTime(c.at))
                .bind(DbId(c.id)),
        };
        let rows = query
            .bind(limit + 1)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(rows::MessageRow::into_domain)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(rows, limit, |m| Cursor {
            at: m.created_at,
            id: m.id.0,
        }))
    }

    #[tracing::instrument(skip_all, fields(message_id = %id, staff_id = %staff))]
    async fn review_message(
        &self,
        id: MessageId,
        decision: ReviewDecision,
        staff: StaffId,
        note: Option<&str>,
        at: time::OffsetDateTime,
    ) -> StoreResult<StoredMessage> {
        let (status, kind, action) = match decision {
            ReviewDecision::Release => (
                MessageStatus::Queued,
                DeliveryKind::Relay,
                AuditAction::MessageReleased,
            ),
            ReviewDecision::Reject => (
                MessageStatus::Rejected,
                DeliveryKind::Notice,
                AuditAction::MessageRejected,
            ),
        };
        let mut tx = self.begin_write().await?;
        let staff_exists: i64 = sqlx::query_scalar(STAFF_EXISTS)
            .bind(DbId(staff.0))
            .fetch_one(&mut *tx)
            .await?;
        if staff_exists == 0 {
            return Err(StoreError::NotFound);
        }
        // Only a held message changes: two reviewers racing cannot both win.
        let changed = sqlx::query(REVIEW_MESSAGE_SET_STATUS)
            .bind(status.as_str())
            .bind(DbTime(at))
            .bind(DbId(id.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            let current = load_message(&mut tx, id).await?;
            return Err(StoreError::InvalidState(format!(
                "message is {}, not held",
                current.status.as_str()
            )));
        }
        sqlx::query(WITHDRAW_HELD_NOTICE)
            .bind(DbId(id.0))
            .execute(&mut *tx)
            .await?;
        sqlx::query(CLOSE_HELD_NOTICE)
            .bind(DbTime(at))
            .bind(DbId(id.0))
            .execute(&mut *tx)
            .await?;
        // Automatic mail is never answered (RFC 3834), and a sender
        // who failed authentication may not be who the notice would reach.
        let answerable: bool = sqlx::query_scalar(REVIEW_MESSAGE_NOTIFIES_SENDER)
            .bind(DbId(id.0))
            .fetch_one(&mut *tx)
            .await?;
        let delivery = if kind == DeliveryKind::Notice && !answerable {
            None
        } else {
            Some(insert_delivery(&mut tx, id, kind, at).await?)
        };
        let event = NewAuditEvent::by_staff(
            staff,
            action,
            "message",
            id,
            serde_json::json!({
                "note": note,
                "delivery_id": delivery.map(|d| d.to_string()),
            }),
        );
        insert_audit(&mut tx, at, &event).await?;
        super::stats::count_review(&mut tx, decision, at).await?;
        let message = load_message(&mut tx, id).await?;
        if decision == ReviewDecision::Reject && message.direction == Direction::SellerToBuyer {
            // A seller's message staff rejected is a confirmed violation.
            super::strikes::record_violation(&mut tx, id, ViolationKind::Rejected, staff, at)
                .await?;
        }
        if message.visible_to_seller() {
            // Released buyer mail reaches the seller's list only now.
            refresh_last_activity(&mut tx, message.conversation_id).await?;
        }
        tx.commit().await?;
        Ok(message)
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn message_by_header_id(
        &self,
        conversation: ConversationId,
        header_id: &str,
    ) -> StoreResult<Option<StoredMessage>> {
        let header_id = rows::text(header_id).into_owned();
        // Either header id; `or` lets each side use its own index.
        let found = sqlx::query_as::<_, rows::MessageRow>(MESSAGE_BY_HEADER_ID)
            .bind(DbId(conversation.0))
            .bind(header_id)
            .fetch_optional(&self.pool)
            .await?;
        found.map(rows::MessageRow::into_domain).transpose()
    }

    #[tracing::instrument(skip_all, fields(message_id = %new.id, conversation_id = %new.conversation_id))]
    async fn store_blocked_message(
        &self,
        new: &NewMessage,
        reason: &str,
    ) -> StoreResult<StoredMessage> {
        self.store_as(
            new,
            StoreAs::Routed {
                block_reason: Some(reason),
            },
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(message_id = %new.id))]
    async fn store_received_mail(
        &self,
        new: &NewMessage,
        received: &ReceivedMail,
    ) -> StoreResult<StoredMessage> {
        self.store_as(new, StoreAs::Received(received)).await
    }

    #[tracing::instrument(skip_all, fields(message_id = %new.id, seller_id = %gate.seller))]
    async fn store_gated(
        &self,
        new: &NewMessage,
        how: StoreAs<'_>,
        gate: &SellerGate,
    ) -> StoreResult<Result<StoredMessage, GateRefusal>> {
        if !gate.windows.is_empty() {
            super::seller_limits::prune_ended(self, gate.at).await?;
        }
        let mut tx = self.begin_write().await?;
        let suspended: bool = sqlx::query_scalar(LOCK_SELLER)
            .bind(DbId(gate.seller.0))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        // Dropped unfinished on a refusal: nothing stored, no slot kept.
        if suspended != gate.suspended {
            return Ok(Err(GateRefusal::SuspensionChanged { suspended }));
        }
        if let Err(limited) = super::seller_limits::take_slots(&mut tx, &gate.windows).await? {
            return Ok(Err(GateRefusal::RateLimited(limited)));
        }
        if let Some(order) = &gate.review_request
            && !super::review_requests::record_review_request(&mut tx, new, order).await?
        {
            return Ok(Err(GateRefusal::ReviewRequestRepeated));
        }
        let stored = insert_as(&mut tx, new, how).await?;
        tx.commit().await?;
        Ok(Ok(stored))
    }

    #[tracing::instrument(skip_all, fields(message_id = %message))]
    async fn block_reason(&self, message: MessageId) -> StoreResult<Option<String>> {
        let reason: Option<Option<String>> = sqlx::query_scalar(BLOCK_REASON)
            .bind(DbId(message.0))
            .fetch_optional(&self.pool)
            .await?;
        reason.ok_or(StoreError::NotFound)
    }

    #[tracing::instrument(skip_all, fields(message_id = %message))]
    async fn record_legacy_files(
        &self,
        message: MessageId,
        files: &MessageFiles,
    ) -> StoreResult<MessageFiles> {
        let mut tx = self.begin_write().await?;
        sqlx::query(RECORD_LEGACY_FILES)
            .bind(rows::json(
                &serde_json::to_value(files).map_err(anyhow::Error::from)?,
            ))
            .bind(DbId(message.0))
            .execute(&mut *tx)
            .await?;
        let stored: Option<Option<sqlx::types::Json<MessageFiles>>> =
            sqlx::query_scalar(MESSAGE_FILES)
                .bind(DbId(message.0))
                .fetch_optional(&mut *tx)
                .await?;
        tx.commit().await?;
        match stored {
            Some(Some(files)) => Ok(files.0),
            Some(None) => Err(StoreError::Other(anyhow::anyhow!(
                "the files of message {message} were not recorded"
            ))),
            None => Err(StoreError::NotFound),
        }
    }
}
