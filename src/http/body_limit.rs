//! Bodies refused from their declared length: a request whose
//! `Content-Length` is over its route's limit gets `413` at once, before a
//! byte of its body is read, and the connection is closed after it. A
//! chunked body, which declares nothing, is still cut at the limit by the
//! extractor that reads it (`DefaultBodyLimit`, `ReplyJson`).

use axum::{
    extract::{MatchedPath, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use super::{AppState, api::conversations, error::ApiError};

/// The most body a request to `path` (the route's pattern) may declare;
/// `None` where the handler bounds what it reads itself.
fn route_limit(state: &AppState, method: &Method, path: Option<&str>) -> Option<usize> {
    match (method, path) {
        (&Method::POST, Some(conversations::REPLY_PATH)) => Some(
            conversations::reply_max_body_bytes(&state.settings.attachments),
        ),
        // The inbox's reply form reads past the attachment limits up to a
        // hard cap, so the seller gets the page back with the draft.
        (&Method::POST, Some(path)) if crate::web::reads_own_body(path) => None,
        _ => Some(state.settings.http.max_body_bytes),
    }
}

/// The body length a request declares; `None` without a (valid) header.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Answers `413` to a request that declares more body than its route takes.
pub async fn refuse_declared_overflow(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str);
    let limit = route_limit(&state, request.method(), path);
    let declared = declared_length(request.headers());
    let over = limit
        .zip(declared)
        .is_some_and(|(limit, declared)| declared > u64::try_from(limit).unwrap_or(u64::MAX));
    if !over {
        return next.run(request).await;
    }
    tracing::info!(
        declared,
        limit,
        "request refused: its declared body is over the limit"
    );
    let mut response = if request.uri().path().starts_with("/api/") {
        ApiError::PayloadTooLarge.into_response()
    } else {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            Html("<!doctype html><title>Too large</title><p>What you sent is larger than allowed."),
        )
            .into_response()
    };
    // The body was not read, so the connection cannot carry another
    // request: say so, and hyper closes it once this answer is written.
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
