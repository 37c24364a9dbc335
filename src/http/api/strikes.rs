//! Strikes against sellers, for staff: warning a seller about a held
//! message, the review queue buyer reports open, and a seller's record.
//! Confirmed violations (rejected or warned-about seller messages) suspend
//! a seller automatically once `[strikes]` says so; staff reinstate with
//! `POST /api/v1/sellers/{id}/reinstate`.

use axum::{
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{parse_id, reports::ReportView};
use crate::{
    domain::{MessageId, SellerId, SellerReview, SellerWarning, StaffId},
    http::{
        auth::Staff,
        error::{ApiError, AppJson},
        state::AppState,
    },
    relay::RelayError,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(warn))
        .routes(routes!(reviews))
        .routes(routes!(clear_review))
        .routes(routes!(record))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Warn {
    /// Why, in words for the seller: it is mailed to them and kept.
    #[schema(example = "Asking the buyer to pay by bank transfer outside the marketplace")]
    reason: String,
}

/// A warning given to a seller about one of their messages.
#[derive(Serialize, ToSchema)]
#[schema(as = Warning)]
struct WarningView {
    #[schema(value_type = uuid::Uuid)]
    id: uuid::Uuid,
    #[schema(value_type = uuid::Uuid)]
    seller_id: SellerId,
    #[schema(value_type = uuid::Uuid)]
    message_id: MessageId,
    #[schema(value_type = uuid::Uuid)]
    staff_id: StaffId,
    reason: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

impl From<SellerWarning> for WarningView {
    fn from(w: SellerWarning) -> Self {
        Self {
            id: w.id,
            seller_id: w.seller_id,
            message_id: w.message_id,
            staff_id: w.staff_id,
            reason: w.reason,
            created_at: w.created_at,
        }
    }
}

/// The answer to a warning: the warning, and whether the seller is
/// suspended now (this warning may have made enough violations).
#[derive(Serialize, ToSchema)]
struct Warned {
    warning: WarningView,
    seller_suspended: bool,
}

/// Warn the seller about a message
///
/// Roles: staff. For a seller's message that is held for review (or was
/// rejected). The warning is kept, mailed to the seller through the
/// outbound queue (naming the rules the message broke and the reason), and
/// counts as a confirmed violation: a message counts once, whether it was
/// rejected, warned about, or both. When the seller's violations within
/// `strikes.window_days` (since they were last reinstated) reach
/// `strikes.suspend_after`, the seller is suspended with the reason
/// "automatic: N violations". The message itself stays as it is: release
/// or reject it with `POST /api/v1/messages/{id}/review`. Audited as
/// `seller.warned`.
#[utoipa::path(
    post,
    path = "/api/v1/messages/{id}/warning",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The message's id")),
    request_body = Warn,
    responses(
        (status = 201, description = "The warning, recorded and queued to the seller", body = Warned),
        (status = 400, description = "`invalid_reason`: the reason is empty", body = super::openapi::Error),
        (status = 409, description = "`already_warned`: the seller was warned about this message; `not_seller_message`: the message is the buyer's; `not_reviewed`: the message is neither held nor rejected", body = super::openapi::Error),
    )
)]
async fn warn(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<Warn>,
) -> Result<(StatusCode, AppJson<Warned>), ApiError> {
    let id: MessageId = parse_id(&id)?;
    if body.reason.trim().is_empty() {
        return Err(ApiError::invalid(
            "invalid_reason",
            "reason: say why, in words for the seller",
        ));
    }
    let warning = state
        .relay
        .warn_seller(id, staff, &body.reason)
        .await
        .map_err(warn_error)?;
    let seller = state.store.parties().get_seller(warning.seller_id).await?;
    Ok((
        StatusCode::CREATED,
        AppJson(Warned {
            warning: warning.into(),
            seller_suspended: seller.suspended,
        }),
    ))
}

/// The codes of a warning refused, shared with the console.
pub fn warn_error(e: RelayError) -> ApiError {
    match e {
        RelayError::Conflict(_) => ApiError::Conflict {
            code: "already_warned",
            message: "the seller was warned about this message already".into(),
        },
        RelayError::InvalidState(why) if why == "not_seller_message" => ApiError::Conflict {
            code: "not_seller_message",
            message: "only a seller's message can bring the seller a warning".into(),
        },
        RelayError::InvalidState(_) => ApiError::Conflict {
            code: "not_reviewed",
            message: "only a message held for review, or rejected, can bring a warning".into(),
        },
        other => other.into(),
    }
}

/// A seller in the review queue.
#[derive(Serialize, ToSchema)]
#[schema(as = SellerReview)]
struct ReviewView {
    #[schema(value_type = uuid::Uuid)]
    seller_id: SellerId,
    seller_name: String,
    #[serde(with = "time::serde::rfc3339")]
    opened_at: OffsetDateTime,
    /// The distinct buyers whose reports put the seller here.
    buyers: i64,
}

impl From<SellerReview> for ReviewView {
    fn from(r: SellerReview) -> Self {
        Self {
            seller_id: r.seller_id,
            seller_name: r.seller_name,
            opened_at: r.opened_at,
            buyers: r.buyers,
        }
    }
}

#[derive(Serialize, ToSchema)]
struct ReviewList {
    /// Oldest first.
    sellers: Vec<ReviewView>,
}

/// Sellers to review
///
/// Roles: staff. Sellers whose messages `strikes.review_after_buyers`
/// distinct buyers reported within `strikes.report_window_hours`, oldest
/// first, until staff clear them. Reports weighed by a cleared review do
/// not put the seller back.
#[utoipa::path(
    get,
    path = "/api/v1/seller-reviews",
    tag = "moderation",
    security(("bearer" = [])),
    responses((status = 200, description = "The review queue", body = ReviewList))
)]
async fn reviews(
    Staff(_staff): Staff,
    State(state): State<AppState>,
) -> Result<AppJson<ReviewList>, ApiError> {
    let open = state.store.strikes().open_reviews().await?;
    Ok(AppJson(ReviewList {
        sellers: open.into_iter().map(ReviewView::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Clear {
    /// What was decided; kept with the review and in the audit trail.
    note: Option<String>,
}

/// Whether the seller is in the review queue now.
#[derive(Serialize, ToSchema)]
struct ReviewState {
    #[schema(value_type = uuid::Uuid)]
    seller_id: SellerId,
    in_review: bool,
}

/// Clear a seller's review
///
/// Roles: staff. Takes the seller out of the review queue; suspend them
/// first with `POST /api/v1/sellers/{id}/suspend` if the reports call for
/// it. Audited as `seller.review_cleared` with the note.
#[utoipa::path(
    post,
    path = "/api/v1/sellers/{id}/review/clear",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The seller's id")),
    request_body = Clear,
    responses(
        (status = 200, description = "The seller, out of the queue", body = ReviewState),
        (status = 409, description = "`not_in_review`: the seller is not in the review queue", body = super::openapi::Error),
    )
)]
async fn clear_review(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<Clear>,
) -> Result<AppJson<ReviewState>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    state
        .relay
        .clear_seller_review(id, staff, body.note.as_deref())
        .await
        .map_err(|e| match e {
            RelayError::InvalidState(_) => ApiError::Conflict {
                code: "not_in_review",
                message: "the seller is not in the review queue".into(),
            },
            other => other.into(),
        })?;
    Ok(AppJson(ReviewState {
        seller_id: id,
        in_review: false,
    }))
}

/// A confirmed violation: a seller's message staff rejected or warned about.
#[derive(Serialize, ToSchema)]
struct ViolationView {
    #[schema(value_type = uuid::Uuid)]
    message_id: MessageId,
    subject: String,
    /// `rejected` or `warned`: how it was first confirmed.
    #[schema(value_type = String, example = "rejected")]
    kind: &'static str,
    #[schema(value_type = uuid::Uuid)]
    staff_id: StaffId,
    #[serde(with = "time::serde::rfc3339")]
    at: OffsetDateTime,
}

/// Whether and why the seller is suspended.
#[derive(Serialize, ToSchema)]
struct SuspensionView {
    suspended: bool,
    /// Since when, while suspended.
    #[serde(with = "time::serde::rfc3339::option")]
    since: Option<OffsetDateTime>,
    /// The staff note, or "automatic: N violations", while suspended.
    reason: Option<String>,
    /// When staff last reinstated the seller: violations before it no
    /// longer count toward a suspension.
    #[serde(with = "time::serde::rfc3339::option")]
    reinstated_at: Option<OffsetDateTime>,
}

/// What stands against a seller.
#[derive(Serialize, ToSchema)]
#[schema(as = SellerRecord)]
struct RecordView {
    #[schema(value_type = uuid::Uuid)]
    seller_id: SellerId,
    name: String,
    suspension: SuspensionView,
    /// Confirmed violations within the current period, since the last
    /// reinstatement: the count that suspends at `strikes.suspend_after`.
    counted_violations: i64,
    /// Every confirmed violation, newest first (at most 200).
    violations: Vec<ViolationView>,
    /// Newest first (at most 200).
    warnings: Vec<WarningView>,
    /// Buyers' reports of the seller's messages, open or resolved, newest
    /// first (at most 200).
    reports: Vec<ReportView>,
    /// The open review, while the seller is in the review queue.
    review: Option<ReviewView>,
}

/// A seller's record
///
/// Roles: staff. Violations, warnings, buyers' reports, suspension and
/// review state. The subjects listed are message text, so each message
/// listed counts as a read (audited).
#[utoipa::path(
    get,
    path = "/api/v1/sellers/{id}/record",
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The seller's id")),
    responses((status = 200, description = "The seller's record", body = RecordView))
)]
async fn record(
    Staff(staff): Staff,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<RecordView>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    let (record, counted) = state
        .relay
        .seller_record(id, staff, "api.seller_record")
        .await?;
    Ok(AppJson(RecordView {
        seller_id: record.seller_id,
        name: record.name,
        suspension: SuspensionView {
            suspended: record.suspension.suspended,
            since: record.suspension.since,
            reason: record.suspension.reason,
            reinstated_at: record.suspension.reinstated_at,
        },
        counted_violations: counted,
        violations: record
            .violations
            .into_iter()
            .map(|v| ViolationView {
                message_id: v.message_id,
                subject: v.subject,
                kind: v.kind.as_str(),
                staff_id: v.staff_id,
                at: v.at,
            })
            .collect(),
        warnings: record.warnings.into_iter().map(WarningView::from).collect(),
        reports: record.reports.into_iter().map(ReportView::from).collect(),
        review: record.review.map(ReviewView::from),
    }))
}
