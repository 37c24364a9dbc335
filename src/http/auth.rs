//! Bearer tokens to principals; roles as extractors, so a handler's
//! signature says who may call it.

use axum::{extract::FromRequestParts, http::request::Parts};

use super::{error::ApiError, state::AppState};
use crate::domain::{ApiToken, Principal, SellerId, StaffId};

/// Any authenticated caller.
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let hash = ApiToken::from_presented(token).hash();
        if state.operator_token_hash.as_deref() == Some(hash.as_str()) {
            return Ok(Auth(Principal::Operator));
        }
        match state.store.parties().principal_for_token(&hash).await? {
            // A configured operator token replaces any stored one.
            Some(Principal::Operator) if state.operator_token_hash.is_some() => {
                tracing::debug!("rejected a stored operator token: one is configured");
                Err(ApiError::Unauthorized)
            }
            Some(principal) => Ok(Auth(principal)),
            None => {
                tracing::debug!("rejected an unknown bearer token");
                Err(ApiError::Unauthorized)
            }
        }
    }
}

/// Extractors that accept only some roles: each maps a principal to itself
/// or refuses with 403.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, |$p:ident| $map:expr) => {
        impl FromRequestParts<AppState> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, Self::Rejection> {
                let $p = Auth::from_request_parts(parts, state).await?.0;
                $map.ok_or(ApiError::Forbidden)
            }
        }
    };
}

/// The marketplace backend.
pub struct Operator;
role_extractor!(Operator, |p| matches!(p, Principal::Operator)
    .then_some(Operator));

pub struct Seller(pub SellerId);
role_extractor!(Seller, |p| match p {
    Principal::Seller(id) => Some(Seller(id)),
    _ => None,
});

pub struct Staff(pub StaffId);
role_extractor!(Staff, |p| match p {
    Principal::Staff(id) => Some(Staff(id)),
    _ => None,
});

/// A seller (sees its own records) or staff (sees everything).
pub enum Reader {
    Seller(SellerId),
    Staff(StaffId),
}
role_extractor!(Reader, |p| match p {
    Principal::Seller(id) => Some(Reader::Seller(id)),
    Principal::Staff(id) => Some(Reader::Staff(id)),
    Principal::Operator => None,
});

/// Who may read `/metrics`: the scrape token from `MARKETRELAY_METRICS_TOKEN`
/// (good for nothing else), or the operator.
pub struct MetricsReader;

impl FromRequestParts<AppState> for MetricsReader {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(expected) = &state.metrics_token_hash
            && let Some(token) = bearer(parts)
            && ApiToken::from_presented(token).hash() == *expected
        {
            return Ok(MetricsReader);
        }
        Operator::from_request_parts(parts, state).await?;
        Ok(MetricsReader)
    }
}

/// The token of an `Authorization: Bearer` header, if the request has one.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 256)
        .then_some(token)
}

/// A caller who may or may not present a token (the buyer answers through a
/// signed link instead); a token that is presented must be valid.
pub struct MaybeAuth(pub Option<Principal>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if !parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
        {
            return Ok(MaybeAuth(None));
        }
        Ok(MaybeAuth(Some(
            Auth::from_request_parts(parts, state).await?.0,
        )))
    }
}
