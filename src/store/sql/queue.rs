//! The outbound queue: claiming entries and recording attempts.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{
    AuditAction, Delivery, DeliveryAttempt, DeliveryId, DeliveryKind, DeliveryStatus, MessageId,
    MessageStatus, NewAuditEvent,
};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::{StoreError, StoreResult};

use super::Backend;
use super::common::*;

const DELIVERY_ATTEMPTS: &str = r#"
    select a.delivery_id, d.kind, a.attempted_at, a.succeeded, a.error
    from delivery_attempts a
    join deliveries d on d.id = a.delivery_id
    where d.message_id = $1
    order by a.attempted_at, a.id
"#;

/// The send claim: only an entry still waiting (not withdrawn, closed or
/// done) may be sent.
const START_SEND: &str = r#"
    update deliveries set sending_at = $1
    where id = $2 and status = 'pending'
"#;

const PENDING_DELIVERIES: &str = r#"
    select count(*) from deliveries where status = 'pending'
"#;

#[async_trait::async_trait]
impl crate::store::QueueStore for Backend {
    #[tracing::instrument(skip_all)]
    async fn claim_next_delivery(
        &self,
        now: time::OffsetDateTime,
        lease: std::time::Duration,
    ) -> StoreResult<Option<Delivery>> {
        let lease = time::Duration::try_from(lease)
            .map_err(|e| StoreError::Other(anyhow::anyhow!("lease out of range: {e}")))?;
        let until = now
            .checked_add(lease)
            .ok_or_else(|| StoreError::Other(anyhow::anyhow!("lease out of range")))?;
        sqlx::query_as::<_, rows::DeliveryRow>(super::CLAIM_NEXT_DELIVERY)
            .bind(DbTime(until))
            .bind(DbTime(now))
            .fetch_optional(&self.pool)
            .await?
            .map(rows::DeliveryRow::into_domain)
            .transpose()
    }

    #[tracing::instrument(skip_all, fields(delivery_id = %delivery))]
    async fn start_send(
        &self,
        delivery: DeliveryId,
        at: time::OffsetDateTime,
    ) -> StoreResult<bool> {
        let claimed = sqlx::query(START_SEND)
            .bind(DbTime(at))
            .bind(DbId(delivery.0))
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(claimed == 1)
    }

    #[tracing::instrument(skip_all, fields(delivery_id = %delivery))]
    async fn record_delivery_success(
        &self,
        delivery: DeliveryId,
        at: time::OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let row = finish_delivery(&mut tx, delivery, DeliveryStatus::Sent, None, None, at).await?;
        let kind = rows::delivery_kind(&row.kind)?;
        let message = MessageId(row.message_id.0);
        insert_attempt(&mut tx, delivery, at, None).await?;
        if kind.is_the_message() {
            set_message_status(&mut tx, message, MessageStatus::Sent, at).await?;
        }
        // Mail reached the party: its address works again.
        super::bounces::clear_bouncing(&mut tx, message, kind, delivery, at).await?;
        let event = delivery_event(
            AuditAction::MessageDelivered,
            message,
            delivery,
            kind,
            row.attempts,
        );
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(delivery_id = %delivery))]
    async fn record_delivery_failure(
        &self,
        delivery: DeliveryId,
        at: time::OffsetDateTime,
        error: &str,
        retry_at: Option<time::OffsetDateTime>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        fail_delivery(&mut tx, delivery, at, error, retry_at).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(message_id = %message))]
    async fn delivery_attempts(&self, message: MessageId) -> StoreResult<Vec<DeliveryAttempt>> {
        sqlx::query_as::<_, rows::AttemptRow>(DELIVERY_ATTEMPTS)
            .bind(DbId(message.0))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(rows::AttemptRow::into_domain)
            .collect()
    }

    #[tracing::instrument(skip_all, fields(messages = messages.len()))]
    async fn delivery_attempts_of(
        &self,
        messages: &[MessageId],
    ) -> StoreResult<Vec<(MessageId, DeliveryAttempt)>> {
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = for_messages(
            "select d.message_id, a.delivery_id, d.kind, a.attempted_at, a.succeeded, a.error \
             from delivery_attempts a \
             join deliveries d on d.id = a.delivery_id \
             where d.message_id in (",
            messages,
            " order by a.attempted_at, a.id",
        );
        query
            .build_query_as::<rows::MessageAttemptRow>()
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| Ok((MessageId(r.message_id.0), r.attempt.into_domain()?)))
            .collect()
    }

    #[tracing::instrument(skip_all)]
    async fn pending_deliveries(&self) -> StoreResult<i64> {
        sqlx::query_scalar(PENDING_DELIVERIES)
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::from)
    }
}

/// A failed attempt, inside the caller's transaction: the attempt row and,
/// with `retry_at`, the next attempt time; without it the entry given up,
/// a relay message `failed` with a notice to its sender queued, and
/// `message.delivery_failed`. Returns the message and the entry's kind.
pub(super) async fn fail_delivery(
    conn: &mut <super::Db as sqlx::Database>::Connection,
    delivery: DeliveryId,
    at: time::OffsetDateTime,
    error: &str,
    retry_at: Option<time::OffsetDateTime>,
) -> StoreResult<(MessageId, DeliveryKind)> {
    let status = if retry_at.is_some() {
        DeliveryStatus::Pending
    } else {
        DeliveryStatus::Failed
    };
    let row = finish_delivery(&mut *conn, delivery, status, retry_at, Some(error), at).await?;
    let kind = rows::delivery_kind(&row.kind)?;
    let message = MessageId(row.message_id.0);
    insert_attempt(&mut *conn, delivery, at, Some(error)).await?;
    if retry_at.is_none() {
        // The sender hears of it, through the relay; a notice or a
        // warning that cannot be delivered is answered by nothing (no loop).
        if kind.is_the_message() {
            set_message_status(&mut *conn, message, MessageStatus::Failed, at).await?;
            insert_delivery(&mut *conn, message, DeliveryKind::Notice, at).await?;
        }
        // The error text can quote a recipient address, so it stays
        // in the queue table and out of the audit log.
        let event = delivery_event(
            AuditAction::MessageDeliveryFailed,
            message,
            delivery,
            kind,
            row.attempts,
        );
        insert_audit(&mut *conn, at, &event).await?;
    }
    Ok((message, kind))
}

/// The audit event of a delivery's outcome: which entry, what kind, after
/// how many attempts (never the smarthost's text, which can quote an address).
fn delivery_event(
    action: AuditAction,
    message: MessageId,
    delivery: DeliveryId,
    kind: DeliveryKind,
    attempts: i64,
) -> NewAuditEvent {
    NewAuditEvent::system(
        action,
        "message",
        message,
        serde_json::json!({
            "delivery_id": delivery.to_string(),
            "kind": kind.as_str(),
            "attempts": attempts,
        }),
    )
}
