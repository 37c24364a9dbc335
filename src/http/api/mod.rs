//! `/api/v1` routes, one module per noun of the contract, plus `/healthz`,
//! `/readyz` and `/metrics`.
//!
//! Every route is registered with `utoipa_axum::routes!`, which takes the
//! handler's `#[utoipa::path]` annotation and its axum method router from
//! the same item, so a route cannot be served without being documented in
//! `/api/v1/openapi.json`, nor documented without being served. To add one:
//!
//! 1. annotate the handler with `#[utoipa::path(get|post, path = "/api/v1/...",
//!    tag = "...", security(("bearer" = [])), params(...), request_body = ...,
//!    responses(...))]`; its doc comment's first line is the summary and
//!    the rest (say which roles may call it: "Roles: ...") the description;
//! 2. derive `utoipa::ToSchema` on the request and response types (ids are
//!    `#[schema(value_type = uuid::Uuid)]`);
//! 3. return `OpenApiRouter::new().routes(routes!(handler, ...))` from the
//!    module's `routes()` (one `routes!` per path) and merge it in [`router`];
//! 4. add a step to `real_responses_fit_the_documented_schemas` in
//!    `tests/api/openapi.rs`, which checks a real answer field by field
//!    against the schema documented for its status.
//!
//! Only the errors particular to a handler need listing, with `body =
//! super::openapi::Error` and their codes in backquotes in the description
//! (the first becomes the example); [`openapi`] adds the ones every route of
//! a kind can give (401/403 for a bearer token, 400/413/415 for a JSON body,
//! 404 for a path id, 500/503). A new tag goes in `openapi::ApiDoc`. The tests in
//! `openapi.rs` and `tests/api/openapi.rs` fail when a module registers a
//! route any other way.

pub mod audit;
pub mod bouncing;
pub mod consents;
pub mod conversations;
pub mod docs;
pub mod health;
pub mod help_domains;
pub mod invitations;
pub mod lifecycle;
pub mod messages;
pub mod metrics;
pub mod moderation;
pub mod openapi;
pub mod parties;
pub mod policy;
pub mod reports;
pub mod response_time;
pub mod review;
pub mod strikes;
pub mod tokens;

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use super::state::AppState;

/// Every documented route, in the order of the contract's table.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .merge(health::routes())
        .merge(metrics::routes())
        .merge(parties::routes())
        .merge(bouncing::routes())
        .merge(invitations::routes())
        .merge(tokens::routes())
        .merge(help_domains::routes())
        .merge(conversations::routes())
        .merge(consents::routes())
        .merge(messages::routes())
        .merge(response_time::routes())
        .merge(review::routes())
        .merge(moderation::routes())
        .merge(strikes::routes())
        .merge(policy::routes())
        .merge(audit::routes())
        .merge(openapi::routes())
        .merge(reports::routes())
        .merge(lifecycle::routes())
}

/// The routes to serve; their document is [`openapi::document`].
pub fn routes() -> Router<AppState> {
    router().split_for_parts().0
}

pub use super::path_id::parse_id;
