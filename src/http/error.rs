//! The API's one error type and the JSON extractor that routes malformed
//! bodies through it, so every failure has the contract's envelope:
//! `{"error":{"code","message"}}`.

use axum::{
    extract::{FromRequest, rejection::JsonRejection},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("missing or invalid bearer token")]
    Unauthorized,
    #[error("this role may not do that")]
    Forbidden,
    /// Allowed in principle, refused for a reason the code names (403).
    #[error("{message}")]
    Denied { code: &'static str, message: String },
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Was here and was removed for good (e.g. content past retention).
    #[error("{message}")]
    Gone { code: &'static str, message: String },
    /// Over a rate limit: try again after `retry_after_secs` (429 with `Retry-After`).
    #[error("{message}")]
    TooManyRequests {
        code: &'static str,
        message: String,
        retry_after_secs: u64,
    },
    #[error("the request body is larger than allowed")]
    PayloadTooLarge,
    #[error("send the body as JSON with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("the database is not answering; try again shortly")]
    Unavailable,
    #[error("the server is busy; try again shortly")]
    Busy,
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// A query string that does not fit its route's parameters.
    pub fn bad_query(rejection: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::invalid("invalid_query", rejection.body_text())
    }

    /// A list's `after` cursor read with the list's own `parse`; one this
    /// service did not write is a bad query, never the first page.
    pub fn after<C>(
        raw: Option<&str>,
        parse: impl Fn(&str) -> Option<C>,
    ) -> Result<Option<C>, Self> {
        raw.map(|raw| {
            parse(raw).ok_or_else(|| {
                ApiError::invalid("invalid_query", "after: not a cursor of this list")
            })
        })
        .transpose()
    }

    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            code,
            message: message.into(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::Denied { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid { .. } => StatusCode::BAD_REQUEST,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Gone { .. } => StatusCode::GONE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable | ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Invalid { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Gone { code, .. }
            | ApiError::Denied { code, .. }
            | ApiError::TooManyRequests { code, .. } => code,
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Unavailable => "unavailable",
            ApiError::Busy => "busy",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = format!("{e:#}"), "request failed");
        }
        let status = self.status();
        let body = json!({ "error": { "code": self.code(), "message": self.to_string() } });
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        if let ApiError::TooManyRequests {
            retry_after_secs, ..
        } = &self
        {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(*retry_after_secs),
            );
        }
        response
    }
}

/// A store error means what the use case's would: one mapping.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        crate::relay::RelayError::from(e).into()
    }
}

impl From<crate::cpu::CpuError> for ApiError {
    fn from(e: crate::cpu::CpuError) -> Self {
        match e {
            crate::cpu::CpuError::Busy => ApiError::Busy,
            other => ApiError::Internal(other.into()),
        }
    }
}

impl From<crate::relay::RelayError> for ApiError {
    fn from(e: crate::relay::RelayError) -> Self {
        use crate::relay::RelayError;
        match e {
            RelayError::NotFound => ApiError::NotFound("no such record"),
            RelayError::Conflict(what) => ApiError::Conflict {
                code: "conflict",
                message: format!("already exists: {what}"),
            },
            RelayError::InvalidState(why) => ApiError::Conflict {
                code: "invalid_state",
                message: why,
            },
            RelayError::Store(StoreError::Unavailable(_)) => ApiError::Unavailable,
            RelayError::Store(StoreError::Other(e)) => ApiError::Internal(e),
            RelayError::Store(e) => ApiError::Internal(e.into()),
            RelayError::Cpu(e) => e.into(),
            RelayError::ReviewRules(e) => ApiError::Internal(e.into()),
            RelayError::RateLimited(limited) => ApiError::TooManyRequests {
                code: crate::domain::SELLER_RATE_LIMITED,
                message: limited.to_string(),
                retry_after_secs: limited.retry_after_secs(time::OffsetDateTime::now_utc()),
            },
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => ApiError::invalid("invalid_request", e.body_text()),
            JsonRejection::JsonSyntaxError(e) => ApiError::invalid("invalid_json", e.body_text()),
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge
            }
            other => ApiError::invalid("invalid_request", other.body_text()),
        }
    }
}

/// `Json` with our error envelope for malformed, oversized or mistyped bodies.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct AppJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Rejects text that could break out of a header line or that is empty.
pub fn single_line(
    field: &'static str,
    code: &'static str,
    value: &str,
    max_chars: usize,
) -> Result<String, ApiError> {
    let value = value.trim();
    if value.chars().any(|c| c.is_control()) {
        return Err(ApiError::invalid(
            code,
            format!("{field} must be one line without control characters"),
        ));
    }
    if value.chars().count() > max_chars {
        return Err(ApiError::invalid(
            code,
            format!("{field} is longer than {max_chars} characters"),
        ));
    }
    Ok(value.to_owned())
}
