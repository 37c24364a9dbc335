//! `/api/v1` routes, one module per noun of the contract.

pub mod audit;
pub mod consents;
pub mod conversations;
pub mod health;
pub mod invitations;
pub mod messages;
pub mod moderation;
pub mod openapi;
pub mod parties;
pub mod policy;
pub mod reports;
pub mod review;

use axum::Router;

use super::state::AppState;

/// Routes in the order of the contract's table.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(parties::routes())
        .merge(invitations::routes())
        .merge(conversations::routes())
        .merge(consents::routes())
        .merge(messages::routes())
        .merge(review::routes())
        .merge(moderation::routes())
        .merge(policy::routes())
        .merge(audit::routes())
        .merge(openapi::routes())
        .merge(reports::routes())
}

/// Path ids that are not UUIDs name nothing: 404, like an unknown id.
pub fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, super::error::ApiError> {
    raw.parse()
        .map_err(|_| super::error::ApiError::NotFound("no such record"))
}
