//! Orders delivered and the sellers' review requests.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{AuditAction, ConversationId, NewAuditEvent, NewMessage};
use crate::store::review_requests::{OrderReviewState, ReviewRequestStore};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::{StoreError, StoreResult};

use super::Backend;
use super::common::insert_audit;

const ORDER_STATE: &str = r#"
    select delivered_at
    from conversation_orders
    where conversation_id = $1 and order_id = $2
"#;

const MARK_DELIVERED: &str = r#"
    update conversation_orders
    set delivered_at = $3
    -- the first date stands: a repeated call changes nothing
    where conversation_id = $1 and order_id = $2 and delivered_at is null
"#;

const ORDER_REVIEW_STATES: &str = r#"
    select order_id, delivered_at, review_requested_at
    from conversation_orders
    where conversation_id = $1
    order by created_at, order_id
"#;

const RECORD_REVIEW_REQUEST: &str = r#"
    update conversation_orders
    set review_requested_at = $3, review_request_message_id = $4
    -- once per order: two requests racing, only one is recorded
    where conversation_id = $1 and order_id = $2 and review_requested_at is null
"#;

#[async_trait::async_trait]
impl ReviewRequestStore for Backend {
    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn mark_order_delivered(
        &self,
        conversation: ConversationId,
        order_id: &str,
        at: time::OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let found: Option<(Option<DbTime>,)> = sqlx::query_as(ORDER_STATE)
            .bind(DbId(conversation.0))
            .bind(rows::text(order_id).into_owned())
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Err(StoreError::NotFound);
        }
        let marked = sqlx::query(MARK_DELIVERED)
            .bind(DbId(conversation.0))
            .bind(rows::text(order_id).into_owned())
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if marked {
            let event = NewAuditEvent::new(
                "operator",
                None,
                AuditAction::ConversationOrderDelivered,
                "conversation",
                conversation,
                serde_json::json!({ "order_id": rows::text(order_id) }),
            );
            insert_audit(&mut tx, at, &event).await?;
        }
        tx.commit().await?;
        Ok(marked)
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn order_review_states(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Vec<OrderReviewState>> {
        let found: Vec<(String, Option<DbTime>, Option<DbTime>)> =
            sqlx::query_as(ORDER_REVIEW_STATES)
                .bind(DbId(conversation.0))
                .fetch_all(&self.pool)
                .await?;
        Ok(found
            .into_iter()
            .map(|(order_id, delivered_at, requested_at)| OrderReviewState {
                order_id,
                delivered_at: delivered_at.map(DbTime::utc),
                review_requested_at: requested_at.map(DbTime::utc),
            })
            .collect())
    }
}

/// Records `new` as its order's one review request, in the transaction
/// that stores it: `false`, and nothing recorded, when the order has one
/// already (the caller then drops the transaction). The row update is
/// atomic on both engines, so of two messages racing only one records.
pub(super) async fn record_review_request(
    conn: &mut <super::Db as sqlx::Database>::Connection,
    new: &NewMessage,
    order_id: &str,
) -> StoreResult<bool> {
    let recorded = sqlx::query(RECORD_REVIEW_REQUEST)
        .bind(DbId(new.conversation_id.0))
        .bind(rows::text(order_id).into_owned())
        .bind(DbTime(new.created_at))
        .bind(DbId(new.id.0))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(recorded == 1)
}
