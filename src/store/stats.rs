//! Compact reads for the staff dashboard: one small row per message of a
//! period, the review decisions of that period, and the review queue's state.
//! Reached through `Store::stats()`; both backends expand `stats_store!`.
//!
//! Days are counted in Rust, not in SQL: SQLite keeps times as text and
//! Postgres as `timestamptz`, so bucketing in SQL would need a query per
//! engine, and UTC days are one `Date` away in Rust. Both engines compare
//! `created_at >= $1` correctly; a row here is a few dozen bytes without
//! bodies, and findings come as text (none for the usual `[]`) to be parsed
//! once. 100k messages are one sequential read of a few megabytes, about a
//! second in an unoptimised build.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{Action, MessageId, MessageStatus, ReviewDecision, SellerId};

/// What the dashboard needs of one message; never its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageFact {
    pub id: MessageId,
    pub created_at: OffsetDateTime,
    pub action: Action,
    pub status: MessageStatus,
    pub findings: Vec<crate::domain::StoredFinding>,
    pub seller_id: SellerId,
    pub seller_name: String,
}

/// A staff decision on a held message, from the audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewFact {
    /// The message id as the audit event names it.
    pub message_id: String,
    pub decision: ReviewDecision,
    pub at: OffsetDateTime,
}

/// The review queue now, whatever the period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueState {
    pub held: i64,
    pub oldest_held_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, Default)]
pub struct StatsFacts {
    /// Messages created at or after `since`, oldest first.
    pub messages: Vec<MessageFact>,
    /// Releases and rejections at or after `since`, oldest first.
    pub reviews: Vec<ReviewFact>,
    pub queue: QueueState,
}

#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Everything the dashboard counts from `since` on.
    async fn dashboard_facts(&self, since: OffsetDateTime) -> StoreResult<StatsFacts>;
}

/// Expands to `impl StatsStore for $store` inside a backend module that
/// defines `type Db` and `$store { pool: Pool<Db> }`.
macro_rules! stats_store {
    ($store:ident) => {
        const _: () = {
            use $crate::domain::{Action, ReviewDecision};
            use $crate::store::rows::{DbId, DbTime, db_error, message_status};
            use $crate::store::stats::{
                MessageFact, QueueState, ReviewFact, StatsFacts, StatsStore,
            };
            use $crate::store::{StoreError, StoreResult};

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

            fn corrupt(what: &str, value: &str) -> StoreError {
                StoreError::Other(anyhow::anyhow!(
                    "unexpected {what} {value:?} in the database"
                ))
            }

            #[async_trait::async_trait]
            impl StatsStore for $store {
                #[tracing::instrument(skip_all)]
                async fn dashboard_facts(
                    &self,
                    since: time::OffsetDateTime,
                ) -> StoreResult<StatsFacts> {
                    let rows = sqlx::query_as::<_, FactRow>(
                        r#"
                        -- as text, parsed once by the caller; most messages have none
                        select m.id, m.created_at, m.action, m.status,
                               nullif(cast(m.findings as text), '[]') as findings,
                               c.seller_id, s.name as seller_name
                        from messages m
                        join conversations c on c.id = m.conversation_id
                        join sellers s on s.id = c.seller_id
                        where m.created_at >= $1
                        order by m.created_at, m.id
                        "#,
                    )
                    .bind(DbTime(since))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?;
                    let messages = rows
                        .into_iter()
                        .map(|r| {
                            Ok(MessageFact {
                                id: r.id.0.into(),
                                created_at: r.created_at.utc(),
                                action: Action::parse(&r.action)
                                    .ok_or_else(|| corrupt("action", &r.action))?,
                                status: message_status(&r.status)?,
                                findings: match r.findings {
                                    None => Vec::new(),
                                    Some(json) => serde_json::from_str(&json)
                                        .map_err(|_| corrupt("findings", &json))?,
                                },
                                seller_id: r.seller_id.0.into(),
                                seller_name: r.seller_name,
                            })
                        })
                        .collect::<StoreResult<Vec<_>>>()?;

                    let reviews = sqlx::query_as::<_, ReviewRow>(
                        r#"
                        select subject_id, action, at
                        from audit_events
                        -- written by review_message in the same transaction as the status change
                        where action in ('message.released', 'message.rejected')
                          and at >= $1
                        order by id
                        "#,
                    )
                    .bind(DbTime(since))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?
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

                    let queue = sqlx::query_as::<_, QueueRow>(
                        r#"
                        select count(*) as held, min(created_at) as oldest
                        from messages
                        -- a literal, so SQLite can use the partial index on held messages
                        where status = 'held'
                        "#,
                    )
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_error)?;

                    Ok(StatsFacts {
                        messages,
                        reviews,
                        queue: QueueState {
                            held: queue.held,
                            oldest_held_at: queue.oldest.map(DbTime::utc),
                        },
                    })
                }
            }
        };
    };
}
pub(crate) use stats_store;
