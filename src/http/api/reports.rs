//! Buyers' reports of messages, for staff: the queue and resolving one.
//! Buyers file reports through the signed link in the mail (see `web::report`).

use axum::extract::{Path, Query, State, rejection::QueryRejection};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::parse_id;
use crate::{
    audit,
    domain::{ConversationId, MessageId, Report, ReportId, ReportStatus, SellerId, StaffId},
    http::{
        auth::Staff,
        error::{ApiError, AppJson},
        state::AppState,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(resolve))
}

/// A buyer's report of a message a seller sent them.
#[derive(Serialize, ToSchema)]
#[schema(as = Report)]
pub struct ReportView {
    #[schema(value_type = uuid::Uuid)]
    id: ReportId,
    /// The reported message (seller to buyer).
    #[schema(value_type = uuid::Uuid)]
    message_id: MessageId,
    #[schema(value_type = uuid::Uuid)]
    conversation_id: ConversationId,
    #[schema(value_type = uuid::Uuid)]
    seller_id: SellerId,
    seller_name: String,
    /// The reported message's subject.
    subject: String,
    /// The buyer's reason, when they chose one.
    #[schema(value_type = Option<String>, example = "scam")]
    reason: Option<&'static str>,
    /// The buyer's own words, when they wrote any.
    comment: Option<String>,
    #[schema(value_type = String, example = "open")]
    status: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[schema(value_type = Option<uuid::Uuid>)]
    resolved_by: Option<StaffId>,
    resolution_note: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    resolved_at: Option<OffsetDateTime>,
}

#[derive(Serialize, ToSchema)]
struct ReportList {
    reports: Vec<ReportView>,
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

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// `open` (the default) or `resolved`.
    status: Option<String>,
}

/// Buyers' reports
///
/// Roles: staff. Open reports oldest first (the default), or resolved ones
/// most recently resolved first. Each report listed counts as a read of its
/// message (audited), since its subject is message text.
#[utoipa::path(
    get,
    path = "/api/v1/reports",
    tag = "reports",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "The reports", body = ReportList),
        (status = 400, description = "`invalid_status` or `invalid_query`", body = super::openapi::Error),
    )
)]
async fn list(
    Staff(staff): Staff,
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<AppJson<ReportList>, ApiError> {
    let Query(query) = query.map_err(ApiError::bad_query)?;
    let status = match query.status.as_deref() {
        None => ReportStatus::Open,
        Some(s) => ReportStatus::parse(s).ok_or_else(|| {
            ApiError::invalid("invalid_status", "status must be open or resolved")
        })?,
    };
    let reports = state.store.reports().list_reports(status).await?;
    for r in &reports {
        // The subject is message text, so each report listed counts as a
        // read, as in the console's queue.
        audit::staff_read(state.store.as_ref(), staff, r.message_id, "api.reports").await?;
    }
    Ok(AppJson(ReportList {
        reports: reports.into_iter().map(ReportView::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Resolve {
    /// What was done; kept with the report and in the audit trail.
    note: Option<String>,
}

/// Resolve a report
///
/// Roles: staff. Audited as `report.resolved` with the note.
#[utoipa::path(
    post,
    path = "/api/v1/reports/{id}/resolve",
    tag = "reports",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The report's id")),
    request_body = Resolve,
    responses(
        (status = 200, description = "The report, resolved", body = ReportView),
        (status = 409, description = "`invalid_state`: the report is resolved already", body = super::openapi::Error),
    )
)]
async fn resolve(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<Resolve>,
) -> Result<AppJson<ReportView>, ApiError> {
    let id: ReportId = parse_id(&id)?;
    let report = state
        .relay
        .resolve_report(id, staff, body.note.as_deref())
        .await?;
    Ok(AppJson(report.into()))
}
