//! `GET /api/v1/parties/bouncing`: the parties whose address keeps
//! bouncing, for the operator, oldest mark first. The operator keeps the
//! `next` cursor and asks again with it to hear only of new marks.

use axum::extract::{Query, State, rejection::QueryRejection};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    domain::{BouncingCursor, BouncingParty},
    http::{
        auth::Operator,
        error::{ApiError, AppJson},
        state::AppState,
    },
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Page {
    /// The `next` of an earlier answer: only marks after it.
    after: Option<String>,
    /// At most this many parties: 1 to 1000, 100 by default.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
struct BouncingView {
    /// `buyer` or `seller`.
    party: &'static str,
    id: Uuid,
    /// The marketplace's own id for the party, when it gave one.
    external_id: Option<String>,
    /// When the party was marked (it had `bounces.mark_after` hard bounces
    /// within `bounces.window_days`).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    since: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
struct BouncingList {
    parties: Vec<BouncingView>,
    /// Ask again with `after` set to this to get only what was marked
    /// since; the `after` asked with when nothing new was marked.
    next: Option<String>,
}

impl From<BouncingParty> for BouncingView {
    fn from(p: BouncingParty) -> Self {
        Self {
            party: p.role.as_str(),
            id: p.id,
            external_id: p.external_id,
            since: p.since,
        }
    }
}

/// Parties whose address keeps bouncing
///
/// Every buyer and seller marked now, oldest mark first. A mark is cleared
/// when mail to the party is delivered again; a party marked again comes
/// back after the cursor with its new time. Roles: operator.
#[utoipa::path(
    get,
    path = "/api/v1/parties/bouncing",
    tag = "parties",
    security(("bearer" = [])),
    params(Page),
    responses(
        (status = 200, description = "The marked parties", body = BouncingList),
        (status = 400, description = "`invalid_query`: an unknown or mistyped parameter, or a cursor this service did not give", body = super::openapi::Error),
    )
)]
async fn list(
    _: Operator,
    State(state): State<AppState>,
    page: Result<Query<Page>, QueryRejection>,
) -> Result<AppJson<BouncingList>, ApiError> {
    let Query(page) = page.map_err(ApiError::bad_query)?;
    let after = ApiError::after(page.after.as_deref(), BouncingCursor::parse)?;
    let limit = page.limit.unwrap_or(100).clamp(1, 1000);
    let parties = state.store.bounces().bouncing_parties(after, limit).await?;
    let next = parties
        .last()
        .map(BouncingParty::cursor)
        .or(after)
        .map(|c| c.encode());
    Ok(AppJson(BouncingList {
        parties: parties.into_iter().map(Into::into).collect(),
        next,
    }))
}
