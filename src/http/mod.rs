//! The HTTP edge: JSON API under `/api/v1`, `/healthz`, `/readyz`,
//! `/metrics`, and the web pages.

pub mod api;
pub mod auth;
pub mod body_limit;
pub mod error;
pub mod path_id;
pub mod serve;
pub mod state;

use axum::{
    Router,
    extract::{DefaultBodyLimit, MatchedPath, Request},
    http::StatusCode,
    middleware::{from_fn_with_state, map_response},
    response::{IntoResponse, Response},
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    sensitive_headers::SetSensitiveRequestHeadersLayer,
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

pub use state::AppState;

use self::error::ApiError;

pub fn router(state: AppState) -> Router {
    let timeout = state.settings.http.request_timeout;
    let max_body = state.settings.http.max_body_bytes;
    Router::new()
        .merge(api::routes().layer(map_response(no_store)))
        .merge(api::docs::routes())
        .merge(crate::web::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(from_fn_with_state(
            state.clone(),
            body_limit::refuse_declared_overflow,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response()
        }))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(
            // Spans name the route pattern, never the path with its ids or a query string.
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let route = req
                    .extensions()
                    .get::<MatchedPath>()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| "unmatched".into());
                let request_id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                tracing::info_span!("http", method = %req.method(), route, request_id)
            }),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(SetSensitiveRequestHeadersLayer::new([
            axum::http::header::AUTHORIZATION,
            axum::http::header::COOKIE,
        ]))
        // Outermost, so it sees the final status (timeouts, panics included).
        .layer(from_fn_with_state(
            state.metrics.clone(),
            api::metrics::count_requests,
        ))
        .with_state(state)
}

/// API answers carry messages, phone numbers and tokens: no cache keeps
/// them, unless a route says otherwise.
async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .entry(axum::http::header::CACHE_CONTROL)
        .or_insert(axum::http::HeaderValue::from_static("no-store"));
    response
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound("no such endpoint").into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            axum::response::Html(
                "<!doctype html><title>Not found</title><p>Not found. <a href=\"/\">Home</a></p>",
            ),
        )
            .into_response()
    }
}
