//! Buyers' reports of messages, for staff: the queue and resolving one.
//! Buyers file reports through the signed link in the mail (see `web::report`).

use axum::{
    Router,
    extract::{Path, Query, State},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::parse_id;
use crate::{
    domain::{ConversationId, MessageId, Report, ReportId, ReportStatus, SellerId, StaffId},
    http::{
        auth::Staff,
        error::{ApiError, AppJson},
        state::AppState,
    },
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports", get(list))
        .route("/api/v1/reports/{id}/resolve", post(resolve))
}

#[derive(Serialize)]
pub struct ReportView {
    id: ReportId,
    message_id: MessageId,
    conversation_id: ConversationId,
    seller_id: SellerId,
    seller_name: String,
    subject: String,
    reason: Option<&'static str>,
    comment: Option<String>,
    status: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    resolved_by: Option<StaffId>,
    resolution_note: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    resolved_at: Option<OffsetDateTime>,
}

impl From<Report> for ReportView {
    fn from(r: Report) -> Self {
        Self {
            id: r.id,
            message_id: r.message_id,
            conversation_id: r.conversation_id,
            seller_id: r.seller_id,
            seller_name: r.seller_name,
            subject: r.subject,
            reason: r.reason.map(|r| r.as_str()),
            comment: r.comment,
            status: r.status.as_str(),
            created_at: r.created_at,
            resolved_by: r.resolved_by,
            resolution_note: r.resolution_note,
            resolved_at: r.resolved_at,
        }
    }
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
}

/// Open reports oldest first (the default), or resolved ones newest first.
async fn list(
    Staff(_): Staff,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<AppJson<Vec<ReportView>>, ApiError> {
    let status = match query.status.as_deref() {
        None => ReportStatus::Open,
        Some(s) => ReportStatus::parse(s).ok_or_else(|| {
            ApiError::invalid("invalid_status", "status must be open or resolved")
        })?,
    };
    let reports = state.store.list_reports(status).await?;
    Ok(AppJson(reports.into_iter().map(ReportView::from).collect()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Resolve {
    note: Option<String>,
}

async fn resolve(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<Resolve>,
) -> Result<AppJson<ReportView>, ApiError> {
    let id: ReportId = parse_id(&id)?;
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let report = state
        .store
        .resolve_report(id, staff, note, OffsetDateTime::now_utc())
        .await?;
    tracing::info!(report_id = %id, staff_id = %staff, "report resolved");
    Ok(AppJson(report.into()))
}
