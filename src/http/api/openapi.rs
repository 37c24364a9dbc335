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

#[cfg(test)]
mod tests {
    use axum::{
        body::Body,
        http::{Method, Request},
    };

    /// Every documented path and method exists; a test in the API suite checks the reverse.
    #[test]
    fn document_is_valid_json_with_paths() {
        let doc: serde_json::Value = serde_json::from_str(super::DOCUMENT).expect("valid JSON");
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.len() >= 12);
        for (path, item) in paths {
            for method in item.as_object().unwrap().keys() {
                let m: Method = method.to_uppercase().parse().unwrap();
                let _ = Request::builder()
                    .method(m)
                    .uri(path.replace("{id}", "x"))
                    .body(Body::empty())
                    .unwrap();
            }
        }
    }
}
