//! `GET /api/v1/openapi.json`: the OpenAPI 3 document of the whole API.

use axum::{Router, http::header, response::IntoResponse, routing::get};

use crate::http::state::AppState;

/// Kept beside the handlers; a test checks that every route is documented.
pub const DOCUMENT: &str = include_str!("openapi.json");

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(document))
}

async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT)
}
