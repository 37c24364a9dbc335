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
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or(ApiError::Unauthorized)?;
        let value = header.to_str().map_err(|_| ApiError::Unauthorized)?;
        let (scheme, token) = value.trim().split_once(' ').ok_or(ApiError::Unauthorized)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() || token.len() > 256 {
            return Err(ApiError::Unauthorized);
        }
        let hash = ApiToken::from_presented(token.trim()).hash();
        if state.operator_token_hash.as_deref() == Some(hash.as_str()) {
            return Ok(Auth(Principal::Operator));
        }
        match state.store.principal_for_token(&hash).await? {
            Some(principal) => Ok(Auth(principal)),
            None => {
                tracing::debug!("rejected an unknown bearer token");
                Err(ApiError::Unauthorized)
            }
        }
    }
}

/// The marketplace backend.
pub struct Operator;

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Auth::from_request_parts(parts, state).await?.0 {
            Principal::Operator => Ok(Operator),
            _ => Err(ApiError::Forbidden),
        }
    }
}

pub struct Seller(pub SellerId);

impl FromRequestParts<AppState> for Seller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Auth::from_request_parts(parts, state).await?.0 {
            Principal::Seller(id) => Ok(Seller(id)),
            _ => Err(ApiError::Forbidden),
        }
    }
}

pub struct Staff(pub StaffId);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Auth::from_request_parts(parts, state).await?.0 {
            Principal::Staff(id) => Ok(Staff(id)),
            _ => Err(ApiError::Forbidden),
        }
    }
}

/// A seller (sees its own records) or staff (sees everything).
pub enum Reader {
    Seller(SellerId),
    Staff(StaffId),
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Auth::from_request_parts(parts, state).await?.0 {
            Principal::Seller(id) => Ok(Reader::Seller(id)),
            Principal::Staff(id) => Ok(Reader::Staff(id)),
            Principal::Operator => Err(ApiError::Forbidden),
        }
    }
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
