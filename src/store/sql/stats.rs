//! The compact reads behind the staff dashboard.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{Action, NewMessage, ReviewDecision};
use crate::store::rows::{DbId, DbTime, delivery_kind, message_status};
use crate::store::stats::{
    DashboardCounts, DayCounts, MessageFact, Outcome, QueueState, QueueSummary, ReviewFact,
    SellerViolations, StatsFacts, StatsStore,
};
use crate::store::{StoreError, StoreResult};

use super::{Backend, Db};

/// One message more on its day, by outcome; the columns named after
/// `Outcome::as_str`. `$2..$5` are 0 or 1.
const COUNT_MESSAGE: &str = r#"
    insert into daily_message_counts (day, delivered, redacted, held, blocked)
    values ($1, $2, $3, $4, $5)
    on conflict (day) do update
    set delivered = daily_message_counts.delivered + excluded.delivered,
        redacted = daily_message_counts.redacted + excluded.redacted,
        held = daily_message_counts.held + excluded.held,
        blocked = daily_message_counts.blocked + excluded.blocked
"#;

const COUNT_FINDING_KIND: &str = r#"
    insert into daily_finding_counts (day, kind, messages)
    values ($1, $2, 1)
    on conflict (day, kind) do update
    set messages = daily_finding_counts.messages + 1
"#;

const COUNT_SELLER: &str = r#"
    insert into daily_seller_counts (day, seller_id, with_findings, held_or_blocked)
    select $1, seller_id, $3, $4 from conversations where id = $2
    on conflict (day, seller_id) do update
    set with_findings = daily_seller_counts.with_findings + excluded.with_findings,
        held_or_blocked = daily_seller_counts.held_or_blocked + excluded.held_or_blocked
"#;

/// One staff decision more on the day it was taken; `$2`, `$3` are 0 or 1.
const COUNT_REVIEW: &str = r#"
    insert into daily_message_counts (day, released, rejected)
    values ($1, $2, $3)
    on conflict (day) do update
    set released = daily_message_counts.released + excluded.released,
        rejected = daily_message_counts.rejected + excluded.rejected
"#;

const DAY_COUNTS: &str = r#"
    select day, delivered, redacted, held, blocked, released, rejected
    from daily_message_counts
    where day >= $1 and day <= $2
    order by day
"#;

const KIND_COUNTS: &str = r#"
    select kind, cast(sum(messages) as bigint) as messages
    from daily_finding_counts
    where day >= $1 and day <= $2
    group by kind
"#;

const SELLER_COUNTS: &str = r#"
    select d.seller_id, s.name,
           cast(sum(d.with_findings) as bigint) as with_findings,
           cast(sum(d.held_or_blocked) as bigint) as held_or_blocked
    from daily_seller_counts d
    join sellers s on s.id = d.seller_id
    where d.day >= $1 and d.day <= $2
    group by d.seller_id, s.name
"#;

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
struct DayRow {
    day: time::Date,
    delivered: i64,
    redacted: i64,
    held: i64,
    blocked: i64,
    released: i64,
    rejected: i64,
}

#[derive(sqlx::FromRow)]
struct SellerCountRow {
    seller_id: DbId,
    name: String,
    with_findings: i64,
    held_or_blocked: i64,
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
    async fn dashboard_counts(
        &self,
        first: time::Date,
        last: time::Date,
    ) -> StoreResult<DashboardCounts> {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let days = sqlx::query_as::<_, DayRow>(DAY_COUNTS)
            .bind(first)
            .bind(last)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                let counts = DayCounts {
                    outcomes: [r.delivered, r.redacted, r.held, r.blocked].map(count),
                    released: count(r.released),
                    rejected: count(r.rejected),
                };
                (r.day, counts)
            })
            .collect();
        let kinds = sqlx::query_as::<_, (String, i64)>(KIND_COUNTS)
            .bind(first)
            .bind(last)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(kind, n)| (kind, count(n)))
            .collect();
        let sellers = sqlx::query_as::<_, SellerCountRow>(SELLER_COUNTS)
            .bind(first)
            .bind(last)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| SellerViolations {
                seller_id: r.seller_id.0.into(),
                name: r.name,
                with_findings: count(r.with_findings),
                held_or_blocked: count(r.held_or_blocked),
            })
            .collect();
        Ok(DashboardCounts {
            days,
            kinds,
            sellers,
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

/// Counts a message just stored on the day it arrived, inside the caller's
/// transaction: its outcome, each kind of finding once, and its seller's
/// violations. A message's outcome never changes after (see `store::stats`).
pub(super) async fn count_message(
    conn: &mut <Db as sqlx::Database>::Connection,
    new: &NewMessage,
) -> StoreResult<()> {
    let day = new.created_at.to_offset(time::UtcOffset::UTC).date();
    let outcome = Outcome::of(new.action, new.status, false);
    let mut query = sqlx::query(COUNT_MESSAGE).bind(day);
    for o in Outcome::ALL {
        query = query.bind(i64::from(o == outcome));
    }
    query.execute(&mut *conn).await?;
    let mut kinds: Vec<&str> = new
        .findings
        .iter()
        .map(|f| f.finding.kind.as_str())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in &kinds {
        sqlx::query(COUNT_FINDING_KIND)
            .bind(day)
            .bind(*kind)
            .execute(&mut *conn)
            .await?;
    }
    let held_or_blocked = matches!(outcome, Outcome::Held | Outcome::Blocked);
    if !kinds.is_empty() || held_or_blocked {
        sqlx::query(COUNT_SELLER)
            .bind(day)
            .bind(DbId(new.conversation_id.0))
            .bind(i64::from(!kinds.is_empty()))
            .bind(i64::from(held_or_blocked))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Counts a staff decision on the day it was taken, inside the caller's transaction.
pub(super) async fn count_review(
    conn: &mut <Db as sqlx::Database>::Connection,
    decision: ReviewDecision,
    at: time::OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(COUNT_REVIEW)
        .bind(at.to_offset(time::UtcOffset::UTC).date())
        .bind(i64::from(decision == ReviewDecision::Release))
        .bind(i64::from(decision == ReviewDecision::Reject))
        .execute(&mut *conn)
        .await?;
    Ok(())
}
