//! `POST /api/v1/policy/evaluate`: what the filter would do with a text.

use axum::{Router, extract::State, routing::post};
use serde::Deserialize;

use crate::{
    domain::Direction,
    http::{
        auth::Auth,
        error::{ApiError, AppJson},
        state::AppState,
    },
    policy::Decision,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/policy/evaluate", post(evaluate))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Evaluate {
    text: String,
    direction: Direction,
    #[serde(default)]
    regions: Vec<String>,
}

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
    let decision =
        tokio::task::spawn_blocking(move || policy.evaluate(&body.text, body.direction, &regions))
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("policy evaluation failed: {e}")))?;
    Ok(AppJson(decision))
}
