//! The compact reads behind the staff dashboard.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{Action, ReviewDecision};
use crate::store::rows::{DbId, DbTime, delivery_kind, message_status};
use crate::store::stats::{
    MessageFact, QueueState, QueueSummary, ReviewFact, StatsFacts, StatsStore,
};
use crate::store::{StoreError, StoreResult};

use super::Backend;

const MESSAGE_FACTS: &str = r#"
    -- as text, parsed once by the caller; most messages have none
    select m.id, m.created_at, m.action, m.status,
           nullif(cast(m.findings as text), '[]') as findings,
           c.seller_id, s.name as seller_name
    from messages m
    join conversations c on c.id = m.conversation_id
    join sellers s on s.id = c.seller_id
    where m.created_at >= $1
    order by m.created_at, m.id
"#;

const REVIEW_FACTS: &str = r#"
    select subject_id, action, at
    from audit_events
    -- written by review_message in the same transaction as the status change
    where action in ('message.released', 'message.rejected')
      and at >= $1
    order by id
"#;

const HELD_NOW: &str = r#"
    select count(*) as held, min(created_at) as oldest
    from messages
    -- a literal, so SQLite can use the partial index on held messages
    where status = 'held'
"#;

const PENDING_NOW: &str = r#"
    select kind, count(*) as depth, min(created_at) as oldest
    from deliveries
    -- a literal, so SQLite can use the partial index on pending entries
    where status = 'pending'
    group by kind
    order by kind
"#;

#[derive(sqlx::FromRow)]
struct FactRow {
    id: DbId,
    created_at: DbTime,
    action: String,
    status: String,
    findings: Option<String>,
    seller_id: DbId,
    seller_name: String,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    subject_id: String,
    action: String,
    at: DbTime,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    held: i64,
    oldest: Option<DbTime>,
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    kind: String,
    depth: i64,
    oldest: Option<DbTime>,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Other(anyhow::anyhow!(
        "unexpected {what} {value:?} in the database"
    ))
}

#[async_trait::async_trait]
impl StatsStore for Backend {
    #[tracing::instrument(skip_all)]
    async fn dashboard_facts(&self, since: time::OffsetDateTime) -> StoreResult<StatsFacts> {
        let rows = sqlx::query_as::<_, FactRow>(MESSAGE_FACTS)
            .bind(DbTime(since))
            .fetch_all(&self.pool)
            .await?;
        let messages = rows
            .into_iter()
            .map(|r| {
                Ok(MessageFact {
                    id: r.id.0.into(),
                    created_at: r.created_at.utc(),
                    action: Action::parse(&r.action).ok_or_else(|| corrupt("action", &r.action))?,
                    status: message_status(&r.status)?,
                    findings: match r.findings {
                        None => Vec::new(),
                        Some(found) => {
                            serde_json::from_str(&found).map_err(|_| corrupt("findings", &found))?
                        }
                    },
                    seller_id: r.seller_id.0.into(),
                    seller_name: r.seller_name,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;

        let reviews = sqlx::query_as::<_, ReviewRow>(REVIEW_FACTS)
            .bind(DbTime(since))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| ReviewFact {
                message_id: r.subject_id,
                decision: if r.action == "message.released" {
                    ReviewDecision::Release
                } else {
                    ReviewDecision::Reject
                },
                at: r.at.utc(),
            })
            .collect();

        Ok(StatsFacts {
            messages,
            reviews,
            queue: self.review_queue().await?,
        })
    }

    #[tracing::instrument(skip_all)]
    async fn queue_summary(&self) -> StoreResult<QueueSummary> {
        let rows = sqlx::query_as::<_, PendingRow>(PENDING_NOW)
            .fetch_all(&self.pool)
            .await?;
        let oldest_pending_at = rows.iter().filter_map(|r| r.oldest).map(DbTime::utc).min();
        let pending = rows
            .into_iter()
            .map(|r| Ok((delivery_kind(&r.kind)?, r.depth)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(QueueSummary {
            pending,
            oldest_pending_at,
            review: self.review_queue().await?,
        })
    }
}

impl Backend {
    /// The held messages now: how many and since when.
    async fn review_queue(&self) -> StoreResult<QueueState> {
        let queue = sqlx::query_as::<_, QueueRow>(HELD_NOW)
            .fetch_one(&self.pool)
            .await?;
        Ok(QueueState {
            held: queue.held,
            oldest_held_at: queue.oldest.map(DbTime::utc),
        })
    }
}
