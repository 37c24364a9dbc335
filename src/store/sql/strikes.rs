//! Warnings, confirmed violations, automatic suspension and the seller
//! review queue.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{
    AuditAction, DeliveryKind, Direction, MessageId, MessageStatus, NewAuditEvent, NewWarning,
    SellerId, SellerRecord, SellerReview, SellerStanding, SellerWarning, StaffId, Suspension,
    Violation, ViolationKind,
};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::strikes::StrikeStore;
use crate::store::{StoreError, StoreResult};

use super::Backend;
use super::common::*;

const STAFF_EXISTS: &str = r#"
    select count(*) from staff where id = $1
"#;

const SELLER_OF_CONVERSATION: &str = r#"
    select seller_id from conversations where id = $1
"#;

const INSERT_WARNING: &str = r#"
    insert into seller_warnings (id, seller_id, message_id, staff_id, reason, created_at)
    values ($1, $2, $3, $4, $5, $6)
    on conflict (message_id) do nothing
"#;

/// The first confirmation of a message is its violation; later ones add nothing.
const RECORD_VIOLATION: &str = r#"
    insert into seller_violations (message_id, seller_id, kind, staff_id, at)
    select m.id, c.seller_id, $2, $3, $4
    from messages m
    join conversations c on c.id = m.conversation_id
    where m.id = $1
    on conflict (message_id) do nothing
"#;

macro_rules! warning_select {
    () => {
        r#"
        select id, seller_id, message_id, staff_id, reason, created_at
        from seller_warnings
        "#
    };
}

const WARNING_FOR_MESSAGE: &str = concat!(warning_select!(), "where message_id = $1");

const SELLER_WARNINGS: &str = concat!(
    warning_select!(),
    "where seller_id = $1 order by created_at desc, id desc limit 200"
);

/// Violations count from the seller's last reinstatement on: staff who
/// reinstate give the seller a clean slate.
const VIOLATIONS_SINCE: &str = r#"
    select count(*)
    from seller_violations v
    join sellers s on s.id = v.seller_id
    where v.seller_id = $1
      and v.at >= $2
      and (s.reinstated_at is null or v.at > s.reinstated_at)
"#;

const SUSPEND_AUTOMATICALLY: &str = r#"
    update sellers
    set suspended = $1, suspended_at = $2, suspension_reason = $3
    where id = $4 and suspended <> $1
"#;

const SELLER_EXISTS: &str = r#"
    select count(*) from sellers where id = $1
"#;

const OPEN_REVIEWS_OF: &str = r#"
    select count(*) from seller_reviews where seller_id = $1 and cleared_at is null
"#;

const LAST_CLEARED: &str = r#"
    select max(cleared_at) from seller_reviews where seller_id = $1
"#;

const REPORTING_BUYERS: &str = r#"
    select count(distinct c.buyer_id)
    from reports r
    join conversations c on c.id = r.conversation_id
    where c.seller_id = $1 and r.created_at >= $2
"#;

const OPEN_REVIEW: &str = r#"
    insert into seller_reviews (id, seller_id, opened_at, buyers)
    values ($1, $2, $3, $4)
"#;

macro_rules! review_select {
    () => {
        r#"
        select q.seller_id, s.name, q.opened_at, q.buyers
        from seller_reviews q
        join sellers s on s.id = q.seller_id
        where q.cleared_at is null
        "#
    };
}

const OPEN_REVIEWS: &str = concat!(review_select!(), "order by q.opened_at, q.seller_id");

const OPEN_REVIEW_OF: &str = concat!(review_select!(), "and q.seller_id = $1");

const CLEAR_REVIEW: &str = r#"
    update seller_reviews
    set cleared_at = $1, cleared_by = $2, note = $3
    where seller_id = $4 and cleared_at is null
"#;

const SELLER_SUSPENSION: &str = r#"
    select name, suspended, suspended_at, suspension_reason, reinstated_at
    from sellers
    where id = $1
"#;

const SELLER_VIOLATIONS: &str = r#"
    select v.message_id, m.subject, v.kind, v.staff_id, v.at
    from seller_violations v
    join messages m on m.id = v.message_id
    where v.seller_id = $1
    order by v.at desc, v.message_id desc
    limit 200
"#;

const SELLER_REPORTS: &str = concat!(
    crate::store::sql::report_select!(),
    "where c.seller_id = $1 order by r.created_at desc, r.id desc limit 200"
);

const SELLER_STANDINGS: &str = r#"
    select s.id, s.name, s.suspended,
           (select count(*) from seller_violations v where v.seller_id = s.id),
           (select count(*) from seller_warnings w where w.seller_id = s.id),
           (select count(*) from reports r
            join conversations c on c.id = r.conversation_id
            where c.seller_id = s.id),
           (select count(*) from seller_reviews q
            where q.seller_id = s.id and q.cleared_at is null)
    from sellers s
    order by s.name, s.id
    limit $1
"#;

type WarningRow = (DbId, DbId, DbId, DbId, String, DbTime);

fn warning(row: WarningRow) -> SellerWarning {
    let (id, seller, message, staff, reason, at) = row;
    SellerWarning {
        id: id.0,
        seller_id: SellerId(seller.0),
        message_id: MessageId(message.0),
        staff_id: StaffId(staff.0),
        reason,
        created_at: at.utc(),
    }
}

type ReviewRow = (DbId, String, DbTime, i64);

fn review(row: ReviewRow) -> SellerReview {
    let (seller, name, opened, buyers) = row;
    SellerReview {
        seller_id: SellerId(seller.0),
        seller_name: name,
        opened_at: opened.utc(),
        buyers,
    }
}

/// Counts `message` as a violation of its seller unless it counts already.
pub(super) async fn record_violation(
    conn: &mut <super::Db as sqlx::Database>::Connection,
    message: MessageId,
    kind: ViolationKind,
    staff: StaffId,
    at: time::OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(RECORD_VIOLATION)
        .bind(DbId(message.0))
        .bind(kind.as_str())
        .bind(DbId(staff.0))
        .bind(DbTime(at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl StrikeStore for Backend {
    #[tracing::instrument(skip_all, fields(message_id = %new.message_id, staff_id = %new.staff_id))]
    async fn warn_seller(&self, new: &NewWarning) -> StoreResult<SellerWarning> {
        let mut tx = self.begin_write().await?;
        let staff: i64 = sqlx::query_scalar(STAFF_EXISTS)
            .bind(DbId(new.staff_id.0))
            .fetch_one(&mut *tx)
            .await?;
        if staff == 0 {
            return Err(StoreError::NotFound);
        }
        let message = load_message(&mut tx, new.message_id).await?;
        if message.direction != Direction::SellerToBuyer {
            return Err(StoreError::InvalidState("not_seller_message".into()));
        }
        if !matches!(
            message.status,
            MessageStatus::Held | MessageStatus::Rejected
        ) {
            return Err(StoreError::InvalidState("not_reviewed".into()));
        }
        let seller: DbId = sqlx::query_scalar(SELLER_OF_CONVERSATION)
            .bind(DbId(message.conversation_id.0))
            .fetch_one(&mut *tx)
            .await?;
        let id = uuid::Uuid::now_v7();
        let inserted = sqlx::query(INSERT_WARNING)
            .bind(DbId(id))
            .bind(seller)
            .bind(DbId(message.id.0))
            .bind(DbId(new.staff_id.0))
            .bind(rows::text(&new.reason).into_owned())
            .bind(DbTime(new.at))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if inserted == 0 {
            return Err(StoreError::Conflict("warning".into()));
        }
        record_violation(
            &mut tx,
            message.id,
            ViolationKind::Warned,
            new.staff_id,
            new.at,
        )
        .await?;
        let delivery = insert_delivery(&mut tx, message.id, DeliveryKind::Warning, new.at).await?;
        let event = NewAuditEvent::by_staff(
            new.staff_id,
            AuditAction::SellerWarned,
            "seller",
            seller.0,
            serde_json::json!({
                "message_id": message.id.to_string(),
                "warning_id": id.to_string(),
                "delivery_id": delivery.to_string(),
                "reason": rows::text(&new.reason),
            }),
        );
        insert_audit(&mut tx, new.at, &event).await?;
        let row: WarningRow = sqlx::query_as(WARNING_FOR_MESSAGE)
            .bind(DbId(message.id.0))
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(warning(row))
    }

    #[tracing::instrument(skip_all, fields(message_id = %message))]
    async fn warning_for_message(&self, message: MessageId) -> StoreResult<Option<SellerWarning>> {
        let row: Option<WarningRow> = sqlx::query_as(WARNING_FOR_MESSAGE)
            .bind(DbId(message.0))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(warning))
    }

    #[tracing::instrument(skip_all, fields(seller_id = %seller))]
    async fn violations_since(
        &self,
        seller: SellerId,
        since: time::OffsetDateTime,
    ) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(VIOLATIONS_SINCE)
            .bind(DbId(seller.0))
            .bind(DbTime(since))
            .fetch_one(&self.pool)
            .await?)
    }

    #[tracing::instrument(skip_all, fields(seller_id = %seller))]
    async fn suspend_automatically(
        &self,
        seller: SellerId,
        reason: &str,
        at: time::OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        // Conditional, so a race with staff or another node records one change.
        let changed = sqlx::query(SUSPEND_AUTOMATICALLY)
            .bind(true)
            .bind(DbTime(at))
            .bind(rows::text(reason).into_owned())
            .bind(DbId(seller.0))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if changed {
            let event = NewAuditEvent::system(
                AuditAction::SellerSuspended,
                "seller",
                seller,
                serde_json::json!({ "note": rows::text(reason), "automatic": true }),
            );
            insert_audit(&mut tx, at, &event).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    #[tracing::instrument(skip_all, fields(seller_id = %seller))]
    async fn open_review_if_reported(
        &self,
        seller: SellerId,
        buyers: u32,
        since: time::OffsetDateTime,
        at: time::OffsetDateTime,
    ) -> StoreResult<Option<SellerReview>> {
        let mut tx = self.begin_write().await?;
        let open: i64 = sqlx::query_scalar(OPEN_REVIEWS_OF)
            .bind(DbId(seller.0))
            .fetch_one(&mut *tx)
            .await?;
        if open > 0 {
            return Ok(None);
        }
        // Reports a cleared review weighed do not open the next one.
        let cleared: Option<DbTime> = sqlx::query_scalar(LAST_CLEARED)
            .bind(DbId(seller.0))
            .fetch_one(&mut *tx)
            .await?;
        let since = cleared.map_or(since, |c| c.utc().max(since));
        let reporting: i64 = sqlx::query_scalar(REPORTING_BUYERS)
            .bind(DbId(seller.0))
            .bind(DbTime(since))
            .fetch_one(&mut *tx)
            .await?;
        if reporting < i64::from(buyers) {
            return Ok(None);
        }
        sqlx::query(OPEN_REVIEW)
            .bind(DbId(uuid::Uuid::now_v7()))
            .bind(DbId(seller.0))
            .bind(DbTime(at))
            .bind(reporting)
            .execute(&mut *tx)
            .await?;
        let event = NewAuditEvent::system(
            AuditAction::SellerReviewOpened,
            "seller",
            seller,
            serde_json::json!({ "buyers": reporting }),
        );
        insert_audit(&mut tx, at, &event).await?;
        let row: ReviewRow = sqlx::query_as(OPEN_REVIEW_OF)
            .bind(DbId(seller.0))
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(review(row)))
    }

    #[tracing::instrument(skip_all)]
    async fn open_reviews(&self) -> StoreResult<Vec<SellerReview>> {
        let rows: Vec<ReviewRow> = sqlx::query_as(OPEN_REVIEWS).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(review).collect())
    }

    #[tracing::instrument(skip_all, fields(seller_id = %seller, staff_id = %staff))]
    async fn clear_review(
        &self,
        seller: SellerId,
        staff: StaffId,
        note: Option<&str>,
        at: time::OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let exists: i64 = sqlx::query_scalar(SELLER_EXISTS)
            .bind(DbId(seller.0))
            .fetch_one(&mut *tx)
            .await?;
        if exists == 0 {
            return Err(StoreError::NotFound);
        }
        let cleared = sqlx::query(CLEAR_REVIEW)
            .bind(DbTime(at))
            .bind(DbId(staff.0))
            .bind(rows::opt_text(note))
            .bind(DbId(seller.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if cleared == 0 {
            return Err(StoreError::InvalidState("no open review".into()));
        }
        let event = NewAuditEvent::by_staff(
            staff,
            AuditAction::SellerReviewCleared,
            "seller",
            seller,
            serde_json::json!({ "note": rows::opt_text(note) }),
        );
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(seller_id = %seller))]
    async fn seller_record(&self, seller: SellerId) -> StoreResult<SellerRecord> {
        let mut conn = self.pool.acquire().await?;
        let (name, suspended, since, reason, reinstated_at): (
            String,
            bool,
            Option<DbTime>,
            Option<String>,
            Option<DbTime>,
        ) = sqlx::query_as(SELLER_SUSPENSION)
            .bind(DbId(seller.0))
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let violations: Vec<(DbId, String, String, DbId, DbTime)> =
            sqlx::query_as(SELLER_VIOLATIONS)
                .bind(DbId(seller.0))
                .fetch_all(&mut *conn)
                .await?;
        let violations = violations
            .into_iter()
            .map(|(message, subject, kind, staff, at)| {
                Ok(Violation {
                    message_id: MessageId(message.0),
                    subject,
                    kind: ViolationKind::parse(&kind).ok_or_else(|| {
                        StoreError::Other(anyhow::anyhow!("unknown violation kind {kind:?}"))
                    })?,
                    staff_id: StaffId(staff.0),
                    at: at.utc(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let warnings: Vec<WarningRow> = sqlx::query_as(SELLER_WARNINGS)
            .bind(DbId(seller.0))
            .fetch_all(&mut *conn)
            .await?;
        let reports = sqlx::query_as::<_, rows::ReportRow>(SELLER_REPORTS)
            .bind(DbId(seller.0))
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(rows::ReportRow::into_domain)
            .collect::<StoreResult<Vec<_>>>()?;
        let open: Option<ReviewRow> = sqlx::query_as(OPEN_REVIEW_OF)
            .bind(DbId(seller.0))
            .fetch_optional(&mut *conn)
            .await?;
        Ok(SellerRecord {
            seller_id: seller,
            name,
            suspension: Suspension {
                suspended,
                since: since.filter(|_| suspended).map(DbTime::utc),
                reason: reason.filter(|_| suspended),
                reinstated_at: reinstated_at.map(DbTime::utc),
            },
            violations,
            warnings: warnings.into_iter().map(warning).collect(),
            reports,
            review: open.map(review),
        })
    }

    #[tracing::instrument(skip_all, fields(limit))]
    async fn seller_standings(&self, limit: i64) -> StoreResult<Vec<SellerStanding>> {
        let rows: Vec<(DbId, String, bool, i64, i64, i64, i64)> = sqlx::query_as(SELLER_STANDINGS)
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, name, suspended, violations, warnings, reports, open)| SellerStanding {
                    seller_id: SellerId(id.0),
                    name,
                    suspended,
                    violations,
                    warnings,
                    reports,
                    in_review: open > 0,
                },
            )
            .collect())
    }
}
