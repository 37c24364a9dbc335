//! Buyer reports and the buyer's opt-out.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{AuditAction, ConversationId, MessageId, NewAuditEvent, StaffId};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::{StoreError, StoreResult};

use super::Backend;
use super::common::*;

const FILE_REPORT: &str = r#"
    insert into reports (id, message_id, conversation_id, reason, comment,
                         created_at, status)
    values ($1, $2, $3, $4, $5, $6, 'open')
    on conflict (message_id) do nothing
"#;

const COUNT_OPEN_REPORTS: &str = r#"
    select count(*) from reports where status = 'open'
"#;

const RESOLVE_REPORT: &str = r#"
    update reports
    set status = 'resolved', resolved_by = $1, resolution_note = $2,
        resolved_at = $3
    where id = $4 and status = 'open'
"#;

const SET_BUYER_OPT_OUT: &str = r#"
    select buyer_opted_out_at, buyer_id from conversations where id = $1
"#;

const BUYER_OPTED_OUT: &str = r#"
    select buyer_opted_out_at from conversations where id = $1
"#;

const OPT_OUT: &str = r#"
    update conversations set buyer_opted_out_at = $1
    where id = $2 and buyer_opted_out_at is null
"#;

const UNDO_OPT_OUT: &str = r#"
    update conversations set buyer_opted_out_at = null
    where id = $1 and buyer_opted_out_at is not null
"#;

const LIST_REPORTS: &str = concat!(
    crate::store::sql::report_select!(),
    "where r.status = 'open' order by r.created_at, r.id"
);

const LIST_REPORTS_2: &str = concat!(
    crate::store::sql::report_select!(),
    "where r.status = 'resolved' order by r.resolved_at desc, r.id desc"
);

#[async_trait::async_trait]
impl crate::store::ReportStore for Backend {
    #[tracing::instrument(skip_all, fields(message_id = %new.message_id))]
    async fn file_report(
        &self,
        new: &crate::domain::NewReport,
    ) -> StoreResult<(crate::domain::Report, bool)> {
        let mut tx = self.begin_write().await?;
        let message = load_message(&mut tx, new.message_id).await?;
        if message.direction != crate::domain::Direction::SellerToBuyer {
            return Err(StoreError::InvalidState(
                "only messages to the buyer can be reported".into(),
            ));
        }
        let filed = sqlx::query(FILE_REPORT)
            .bind(DbId(crate::domain::ReportId::new().0))
            .bind(DbId(message.id.0))
            .bind(DbId(message.conversation_id.0))
            .bind(new.reason.map(|r| r.as_str()))
            .bind(rows::opt_text(new.comment.as_deref()))
            .bind(DbTime(new.at))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        let report = load_report(&mut tx, true, message.id.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        if filed {
            let conversation = load_conversation(&mut tx, message.conversation_id).await?;
            // The comment is the buyer's free text: it stays in the report, not the log.
            let event = NewAuditEvent::new(
                "buyer",
                Some(conversation.buyer.id.to_string()),
                AuditAction::ReportFiled,
                "report",
                report.id,
                serde_json::json!({
                    "message_id": message.id.to_string(),
                    "conversation_id": message.conversation_id.to_string(),
                    "seller_id": conversation.seller.id.to_string(),
                    "reason": new.reason.map(|r| r.as_str()),
                }),
            );
            insert_audit(&mut tx, new.at, &event).await?;
        }
        tx.commit().await?;
        Ok((report, filed))
    }

    #[tracing::instrument(skip_all, fields(report_id = %id))]
    async fn get_report(&self, id: crate::domain::ReportId) -> StoreResult<crate::domain::Report> {
        let mut conn = self.pool.acquire().await?;
        load_report(&mut conn, false, id.0)
            .await?
            .ok_or(StoreError::NotFound)
    }

    #[tracing::instrument(skip_all, fields(message_id = %message))]
    async fn report_for_message(
        &self,
        message: MessageId,
    ) -> StoreResult<Option<crate::domain::Report>> {
        let mut conn = self.pool.acquire().await?;
        load_report(&mut conn, true, message.0).await
    }

    #[tracing::instrument(skip_all)]
    async fn list_reports(
        &self,
        status: crate::domain::ReportStatus,
    ) -> StoreResult<Vec<crate::domain::Report>> {
        let query = match status {
            crate::domain::ReportStatus::Open => LIST_REPORTS,
            crate::domain::ReportStatus::Resolved => LIST_REPORTS_2,
        };
        sqlx::query_as::<_, rows::ReportRow>(query)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(rows::ReportRow::into_domain)
            .collect()
    }

    #[tracing::instrument(skip_all)]
    async fn count_open_reports(&self) -> StoreResult<i64> {
        sqlx::query_scalar(COUNT_OPEN_REPORTS)
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::from)
    }

    #[tracing::instrument(skip_all, fields(report_id = %id, staff_id = %staff))]
    async fn resolve_report(
        &self,
        id: crate::domain::ReportId,
        staff: StaffId,
        note: Option<&str>,
        at: time::OffsetDateTime,
    ) -> StoreResult<crate::domain::Report> {
        let mut tx = self.begin_write().await?;
        // Only an open report changes: two reviewers racing cannot both resolve it.
        let changed = sqlx::query(RESOLVE_REPORT)
            .bind(DbId(staff.0))
            .bind(rows::opt_text(note))
            .bind(DbTime(at))
            .bind(DbId(id.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let report = load_report(&mut tx, false, id.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        if changed == 0 {
            return Err(StoreError::InvalidState(
                "the report is resolved already".into(),
            ));
        }
        let event = NewAuditEvent::by_staff(
            staff,
            AuditAction::ReportResolved,
            "report",
            id,
            serde_json::json!({
                "message_id": report.message_id.to_string(),
                "note": note.map(|n| rows::text(n).into_owned()),
            }),
        );
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(report)
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation, opted_out))]
    async fn set_buyer_opt_out(
        &self,
        conversation: ConversationId,
        opted_out: bool,
        at: time::OffsetDateTime,
    ) -> StoreResult<Option<time::OffsetDateTime>> {
        let mut tx = self.begin_write().await?;
        // Conditional, so a repeat keeps the first time and records nothing.
        let query = if opted_out {
            sqlx::query(OPT_OUT)
                .bind(DbTime(at))
                .bind(DbId(conversation.0))
        } else {
            sqlx::query(UNDO_OPT_OUT).bind(DbId(conversation.0))
        };
        let changed = query.execute(&mut *tx).await?.rows_affected();
        let (since, buyer): (Option<DbTime>, DbId) = sqlx::query_as(SET_BUYER_OPT_OUT)
            .bind(DbId(conversation.0))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if changed == 1 {
            let event = NewAuditEvent::new(
                "buyer",
                Some(buyer.0.to_string()),
                if opted_out {
                    AuditAction::ConversationOptedOut
                } else {
                    AuditAction::ConversationOptOutUndone
                },
                "conversation",
                conversation,
                serde_json::json!({}),
            );
            insert_audit(&mut tx, at, &event).await?;
        }
        tx.commit().await?;
        Ok(since.map(DbTime::utc))
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn buyer_opted_out(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Option<time::OffsetDateTime>> {
        let since: Option<Option<DbTime>> = sqlx::query_scalar(BUYER_OPTED_OUT)
            .bind(DbId(conversation.0))
            .fetch_optional(&self.pool)
            .await?;
        Ok(since.ok_or(StoreError::NotFound)?.map(DbTime::utc))
    }
}
