//! Sellers in the console: the review queue buyer reports open and every
//! seller's standing (`/console/sellers`), one seller's record of
//! violations, warnings, reports and suspension (`/console/sellers/{id}`),
//! and the forms that warn, clear a review, suspend and reinstate.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Redirect,
    routing::{get, post},
};
use serde::Deserialize;

use super::{
    Layout, Page, WebError,
    console::{ModerateForm, NoticeQuery},
    display_time, iso_time, parse_id,
    session::StaffSession,
};
use crate::{
    catalogue::{Language, Words},
    domain::{MessageId, SellerId},
    http::AppState,
    relay::RelayError,
};

/// Sellers listed on the page at most.
const LISTED: i64 = 500;

pub fn routes() -> super::Pages {
    super::Pages::default()
        .route("/console/sellers", get(list))
        .route("/console/sellers/{id}", get(record))
        .route("/console/sellers/{id}/review/clear", post(clear))
        .route("/console/sellers/{id}/suspension", post(suspension))
        .route("/console/messages/{id}/warning", post(warn))
}

pub struct ReviewRow {
    pub href: String,
    pub clear_action: String,
    pub name: String,
    pub buyers: i64,
    pub opened: String,
    pub opened_iso: String,
}

pub struct StandingRow {
    pub href: String,
    pub name: String,
    pub suspended: bool,
    pub in_review: bool,
    pub violations: i64,
    pub warnings: i64,
    pub reports: i64,
}

#[derive(Template)]
#[template(path = "console/sellers.html")]
struct SellersPage {
    layout: Layout,
    reviews: Vec<ReviewRow>,
    sellers: Vec<StandingRow>,
    notice: Option<&'static str>,
}

async fn list(
    me: StaffSession,
    State(state): State<AppState>,
    Query(query): Query<NoticeQuery>,
) -> Result<Page<SellersPage>, WebError> {
    let reviews = state.store.strikes().open_reviews().await?;
    let sellers = state.store.strikes().seller_standings(LISTED).await?;
    Ok(Page(SellersPage {
        layout: me.layout(&state).await?,
        reviews: reviews
            .into_iter()
            .map(|r| ReviewRow {
                href: format!("/console/sellers/{}", r.seller_id),
                clear_action: format!("/console/sellers/{}/review/clear", r.seller_id),
                name: r.seller_name,
                buyers: r.buyers,
                opened: display_time(r.opened_at),
                opened_iso: iso_time(r.opened_at),
            })
            .collect(),
        sellers: sellers
            .into_iter()
            .map(|s| StandingRow {
                href: format!("/console/sellers/{}", s.seller_id),
                name: s.name,
                suspended: s.suspended,
                in_review: s.in_review,
                violations: s.violations,
                warnings: s.warnings,
                reports: s.reports,
            })
            .collect(),
        notice: match query.notice.as_str() {
            "cleared" => Some("Cleared: the seller left the review queue."),
            "not_in_review" => Some("That seller is not in review; someone may have cleared it."),
            _ => None,
        },
    }))
}

/// One line of the record: a message and what happened to it.
pub struct RecordRow {
    pub message_href: String,
    pub subject: String,
    pub what: String,
    pub at: String,
    pub at_iso: String,
}

#[derive(Template)]
#[template(path = "console/seller.html")]
struct SellerPage {
    layout: Layout,
    id: String,
    name: String,
    suspended: bool,
    suspension: String,
    counted: i64,
    suspend_after: u32,
    window_days: i64,
    review: Option<String>,
    violations: Vec<RecordRow>,
    warnings: Vec<RecordRow>,
    reports: Vec<RecordRow>,
    response_time: crate::web::response_time::ResponseTimeLine,
    notice: Option<&'static str>,
}

async fn record(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Page<SellerPage>, WebError> {
    let id: SellerId = parse_id(&id)?;
    let (record, counted) = state
        .relay
        .seller_record(id, me.staff, "web.seller_record")
        .await?;
    let subjects: std::collections::HashMap<MessageId, String> = record
        .violations
        .iter()
        .map(|v| (v.message_id, v.subject.clone()))
        .collect();
    let s = &record.suspension;
    let suspension = match (s.suspended, s.since, &s.reason) {
        (true, since, reason) => format!(
            "Suspended{}{}",
            since.map_or(String::new(), |t| format!(" since {}", display_time(t))),
            reason
                .as_deref()
                .map_or(String::new(), |r| format!(": {r}")),
        ),
        (false, _, _) => match s.reinstated_at {
            Some(t) => format!("Active; last reinstated {}", display_time(t)),
            None => "Active".to_owned(),
        },
    };
    let limits = state.relay.config.strike_limits;
    let row = |message: MessageId, subject: String, what: String, at| RecordRow {
        message_href: format!("/console/messages/{message}"),
        subject,
        what,
        at: display_time(at),
        at_iso: iso_time(at),
    };
    let response_time = crate::web::response_time::ResponseTimeLine::of(&state, id).await?;
    Ok(Page(SellerPage {
        layout: me.layout(&state).await?,
        response_time,
        id: id.to_string(),
        name: record.name,
        suspended: s.suspended,
        suspension,
        counted,
        suspend_after: limits.suspend_after,
        window_days: limits.window.whole_days(),
        review: record.review.map(|r| {
            format!(
                "In review since {}: {} buyers reported this seller.",
                display_time(r.opened_at),
                r.buyers
            )
        }),
        violations: record
            .violations
            .into_iter()
            .map(|v| row(v.message_id, v.subject, v.kind.as_str().to_owned(), v.at))
            .collect(),
        warnings: record
            .warnings
            .into_iter()
            .map(|w| {
                let subject = subjects.get(&w.message_id).cloned().unwrap_or_default();
                row(w.message_id, subject, w.reason, w.created_at)
            })
            .collect(),
        reports: record
            .reports
            .into_iter()
            .map(|r| {
                let what = format!(
                    "{} ({})",
                    r.reason.map_or_else(
                        || "No reason given".to_owned(),
                        |r| Words(Language::En).get(r.message_id()),
                    ),
                    r.status.as_str()
                );
                row(r.message_id, r.subject, what, r.created_at)
            })
            .collect(),
        notice: match query.notice.as_str() {
            "warned" => Some("Warned: the seller is mailed and the warning counts."),
            "no_reason" => Some("Not warned: a warning needs a reason for the seller."),
            "already_warned" => Some("The seller was warned about that message already."),
            "not_warnable" => Some("Only a seller's held or rejected message brings a warning."),
            "suspended" => Some("Suspended: every later message of the seller is held."),
            "reinstated" => Some("Reinstated: violations before now no longer count."),
            _ => None,
        },
    }))
}

async fn clear(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ModerateForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let id: SellerId = parse_id(&id)?;
    match state
        .relay
        .clear_seller_review(id, me.staff, Some(&form.note))
        .await
    {
        Ok(()) => Ok(Redirect::to("/console/sellers?notice=cleared")),
        Err(RelayError::InvalidState(_)) => {
            Ok(Redirect::to("/console/sellers?notice=not_in_review"))
        }
        Err(e) => Err(e.into()),
    }
}

async fn suspension(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ModerateForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let id: SellerId = parse_id(&id)?;
    let (suspended, notice) = super::console::suspension_choice(&form.action)?;
    state
        .relay
        .set_seller_suspended(id, suspended, me.staff, Some(&form.note))
        .await?;
    Ok(Redirect::to(&format!(
        "/console/sellers/{id}?notice={notice}"
    )))
}

#[derive(Deserialize)]
struct WarnForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf_token: String,
}

/// Warns the seller of a held message; the seller's record tells the outcome.
async fn warn(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<WarnForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let id: MessageId = parse_id(&id)?;
    let message = state.store.messages().get_message(id).await?;
    let seller = state
        .store
        .conversations()
        .get_conversation(message.conversation_id)
        .await?
        .seller
        .id;
    let notice = if form.reason.trim().is_empty() {
        "no_reason"
    } else {
        match state.relay.warn_seller(id, me.staff, &form.reason).await {
            Ok(_) => "warned",
            Err(RelayError::Conflict(_)) => "already_warned",
            Err(RelayError::InvalidState(_)) => "not_warnable",
            Err(e) => return Err(e.into()),
        }
    };
    Ok(Redirect::to(&format!(
        "/console/sellers/{seller}?notice={notice}"
    )))
}
