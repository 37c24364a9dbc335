//! `/api/docs`: a readable page for `/api/v1/openapi.json` (Swagger UI),
//! served from files compiled into the binary, so it works without
//! network access and loads nothing from elsewhere.

use axum::{
    Router,
    http::{HeaderValue, header},
    middleware::map_response,
    response::Response,
};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::http::state::AppState;

pub const PATH: &str = "/api/docs";

/// Swagger UI styles elements inline and draws icons from `data:` URLs;
/// everything else must come from this server. Only this page is loosened
/// that far; the web pages keep their stricter policy.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
    connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// `/api/docs` redirects to `/api/docs/`, which serves the page and its assets.
pub fn routes() -> Router<AppState> {
    let config = Config::new(["/api/v1/openapi.json"])
        // The default sends the document to validator.swagger.io.
        .validator_url("none")
        .try_it_out_enabled(false);
    Router::from(SwaggerUi::new(PATH).config(config)).layer(map_response(security_headers))
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
