//! Sellers' response time and the "no response needed" marks.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use std::sync::LazyLock;

use serde_json::json;

use crate::domain::response_time::ANSWER_WITHIN;
use crate::domain::{
    AuditAction, ConversationId, MessageId, NewAuditEvent, NoResponseMarkedBy, ResponseTime,
    SellerId,
};
use crate::store::response_time::{NoResponseMark, NoResponseMarker, ResponseTimeStore};
use crate::store::rows::{DbId, DbTime};
use crate::store::{StoreError, StoreResult};

use super::Backend;
use super::common::*;

static RESPONSE_TIME: LazyLock<String> =
    LazyLock::new(|| crate::store::sql::response_time_sql(super::millis_between));

const MESSAGE_DIRECTION: &str = r#"
    select direction from messages where id = $1
"#;

const MARK_NO_RESPONSE: &str = r#"
    insert into message_no_response (message_id, marked_by, marked_at)
    values ($1, $2, $3)
    -- the first mark stands
    on conflict (message_id) do nothing
"#;

const NO_RESPONSE_MARK: &str = r#"
    select message_id, marked_by, marked_at
    from message_no_response
    where message_id = $1
"#;

const CONVERSATION_MARKS: &str = r#"
    select x.message_id, x.marked_by, x.marked_at
    from message_no_response x
    join messages m on m.id = x.message_id
    where m.conversation_id = $1
    order by m.created_at, m.id
"#;

#[derive(sqlx::FromRow)]
struct MeasureRow {
    excluded: i64,
    buyer_messages: i64,
    answered: i64,
    answered_within_24h: i64,
    median_millis: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct MarkRow {
    message_id: DbId,
    marked_by: String,
    marked_at: DbTime,
}

impl MarkRow {
    fn into_domain(self) -> StoreResult<NoResponseMark> {
        let marked_by = NoResponseMarkedBy::parse(&self.marked_by).ok_or_else(|| {
            StoreError::Other(anyhow::anyhow!(
                "unexpected marked_by {:?} in the database",
                self.marked_by
            ))
        })?;
        Ok(NoResponseMark {
            message_id: MessageId(self.message_id.0),
            marked_by,
            marked_at: self.marked_at.utc(),
        })
    }
}

#[async_trait::async_trait]
impl ResponseTimeStore for Backend {
    #[tracing::instrument(skip_all, fields(seller_id = %seller))]
    async fn seller_response_time(
        &self,
        seller: SellerId,
        now: time::OffsetDateTime,
        window_days: u32,
    ) -> StoreResult<ResponseTime> {
        let since = now - time::Duration::days(i64::from(window_days));
        let row = sqlx::query_as::<_, MeasureRow>(RESPONSE_TIME.as_str())
            .bind(DbId(seller.0))
            .bind(DbTime(since))
            .bind(DbTime(now))
            .bind(DbTime(now - ANSWER_WITHIN))
            .bind(ANSWER_WITHIN.whole_milliseconds() as i64)
            .fetch_one(&self.pool)
            .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(ResponseTime {
            window_days,
            buyer_messages: count(row.buyer_messages),
            answered: count(row.answered),
            answered_within_24h: count(row.answered_within_24h),
            excluded: count(row.excluded),
            median_millis: row.median_millis,
        })
    }

    #[tracing::instrument(skip_all, fields(message_id = %message))]
    async fn mark_no_response(
        &self,
        message: MessageId,
        by: NoResponseMarker,
        at: time::OffsetDateTime,
    ) -> StoreResult<(NoResponseMark, bool)> {
        let mut tx = self.begin_write().await?;
        let direction: Option<String> = sqlx::query_scalar(MESSAGE_DIRECTION)
            .bind(DbId(message.0))
            .fetch_optional(&mut *tx)
            .await?;
        match direction.as_deref() {
            None => return Err(StoreError::NotFound),
            Some("buyer_to_seller") => {}
            Some(_) => {
                return Err(StoreError::InvalidState(
                    "only a buyer's message can need no response".into(),
                ));
            }
        }
        let marked = sqlx::query(MARK_NO_RESPONSE)
            .bind(DbId(message.0))
            .bind(by.marked_by().as_str())
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if marked {
            let event = NewAuditEvent {
                actor_kind: by.marked_by().as_str().into(),
                actor_id: match by {
                    NoResponseMarker::Seller(id) => Some(id.to_string()),
                    NoResponseMarker::Operator => None,
                },
                action: AuditAction::MessageNoResponseNeeded,
                subject_kind: "message".into(),
                subject_id: message.to_string(),
                details: json!({}),
            };
            insert_audit(&mut tx, at, &event).await?;
        }
        let mark = sqlx::query_as::<_, MarkRow>(NO_RESPONSE_MARK)
            .bind(DbId(message.0))
            .fetch_one(&mut *tx)
            .await?
            .into_domain()?;
        tx.commit().await?;
        Ok((mark, marked))
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn no_response_marks(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Vec<NoResponseMark>> {
        let rows = sqlx::query_as::<_, MarkRow>(CONVERSATION_MARKS)
            .bind(DbId(conversation.0))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(MarkRow::into_domain).collect()
    }
}
