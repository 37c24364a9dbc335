//! The staff queue of buyers' reports: open reports oldest first, each with
//! a link to the reported message and a form to resolve it with a note.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Redirect,
    routing::{get, post},
};
use serde::Deserialize;

use super::{
    Layout, Page, WebError, console::NoticeQuery, display_time, iso_time, session::StaffSession,
};
use crate::{
    audit,
    catalogue::{Language, Words},
    domain::{ReportId, ReportStatus},
    http::AppState,
    relay::RelayError,
};

pub fn routes() -> super::Pages {
    super::Pages::default()
        .route("/console/reports", get(queue))
        .route("/console/reports/{id}/resolve", post(resolve))
}

pub struct ReportRow {
    pub id: String,
    pub message_href: String,
    pub conversation_href: String,
    pub subject: String,
    pub seller: String,
    pub reason: String,
    pub comment: String,
    pub filed: String,
    pub filed_iso: String,
}

#[derive(Template)]
#[template(path = "console/reports.html")]
struct ReportsPage {
    layout: Layout,
    rows: Vec<ReportRow>,
    notice: Option<&'static str>,
}

async fn queue(
    me: StaffSession,
    State(state): State<AppState>,
    Query(query): Query<NoticeQuery>,
) -> Result<Page<ReportsPage>, WebError> {
    let reports = state
        .store
        .reports()
        .list_reports(ReportStatus::Open)
        .await?;
    let mut rows = Vec::with_capacity(reports.len());
    for r in reports {
        // The subject is message text, so each row counts as a read.
        audit::staff_read(
            state.store.as_ref(),
            me.staff,
            r.message_id,
            "web.reports_queue",
        )
        .await?;
        rows.push(ReportRow {
            id: r.id.to_string(),
            message_href: format!("/console/messages/{}", r.message_id),
            conversation_href: format!("/console/conversations/{}", r.conversation_id),
            subject: r.subject,
            seller: r.seller_name,
            reason: r.reason.map_or_else(
                || "No reason given".to_owned(),
                |r| Words(Language::En).get(r.message_id()),
            ),
            comment: r.comment.unwrap_or_default(),
            filed: display_time(r.created_at),
            filed_iso: iso_time(r.created_at),
        });
    }
    Ok(Page(ReportsPage {
        layout: me.layout(&state).await?,
        rows,
        notice: match query.notice.as_str() {
            "resolved" => Some("Resolved: the report left the queue."),
            "not_open" => Some("That report is resolved already; someone may have handled it."),
            _ => None,
        },
    }))
}

#[derive(Deserialize)]
struct ResolveForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    csrf_token: String,
}

async fn resolve(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ResolveForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let id: ReportId = super::parse_id(&id)?;
    match state
        .relay
        .resolve_report(id, me.staff, Some(&form.note))
        .await
    {
        Ok(_) => Ok(Redirect::to("/console/reports?notice=resolved")),
        Err(RelayError::InvalidState(_)) => Ok(Redirect::to("/console/reports?notice=not_open")),
        Err(e) => Err(e.into()),
    }
}
