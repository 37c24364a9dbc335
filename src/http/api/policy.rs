//! `POST /api/v1/policy/evaluate`: what the filter would do with a text.

use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    domain::Direction,
    http::{
        auth::Auth,
        error::{ApiError, AppJson},
        state::AppState,
    },
    policy::Decision,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(evaluate))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Evaluate {
    text: String,
    direction: Direction,
    /// ISO 3166 alpha-2 regions whose national phone formats to look for,
    /// besides the configured ones.
    #[serde(default)]
    #[schema(example = json!(["DE", "FR"]))]
    regions: Vec<String>,
}

/// What the filter would do with a text
///
/// Roles: any role (operator, seller, staff). Nothing is stored.
#[utoipa::path(
    post,
    path = "/api/v1/policy/evaluate",
    tag = "policy",
    security(("bearer" = [])),
    request_body = Evaluate,
    responses(
        (status = 200, description = "The verdict", body = Decision),
        (status = 400, description = "`invalid_region`, `invalid_json` or `invalid_request`", body = super::openapi::Error),
    )
)]
async fn evaluate(
    _: Auth,
    State(state): State<AppState>,
    AppJson(body): AppJson<Evaluate>,
) -> Result<AppJson<Decision>, ApiError> {
    let mut regions = Vec::with_capacity(body.regions.len());
    for r in &body.regions {
        let r = r.trim().to_ascii_uppercase();
        if r.len() != 2 || !r.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(ApiError::invalid(
                "invalid_region",
                format!("{r:?} is not a two-letter ISO 3166 region code"),
            ));
        }
        regions.push(r);
    }
    let policy = state.relay.policy.current();
    let metrics = state.relay.metrics.clone();
    let decision = state
        .relay
        .cpu
        .run(move || metrics.time_policy(|| policy.evaluate(&body.text, body.direction, &regions)))
        .await?;
    Ok(AppJson(decision))
}
