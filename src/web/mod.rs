//! Server-rendered pages: sign-in and invitations, the seller inbox and the
//! staff review console. Askama templates, auto-escaped; no JavaScript needed.

pub mod console;
pub mod inbox;
pub mod session;
pub mod sign_in;

use askama::Template;
use axum::{
    Router,
    http::{StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::get,
};
use time::{OffsetDateTime, macros::format_description};

use crate::{http::AppState, store::StoreError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(sign_in::routes())
        .merge(inbox::routes())
        .merge(console::routes())
        .route("/static/marketrelay.css", get(stylesheet))
}

const STYLESHEET: &str = include_str!("../../static/marketrelay.css");

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

/// What the shared layout needs: who is signed in (for the navigation) and
/// the session's CSRF token (for the sign-out form).
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub seller: bool,
    pub staff: bool,
    pub csrf_token: String,
}

impl Layout {
    pub fn signed_out() -> Self {
        Self::default()
    }

    pub fn for_session(session: &session::SignedIn) -> Self {
        Self {
            seller: matches!(session.account, crate::store::accounts::Account::Seller(_)),
            staff: matches!(session.account, crate::store::accounts::Account::Staff(_)),
            csrf_token: session.csrf_token.clone(),
        }
    }
}

/// A rendered template. Pages show personal data, so no cache keeps them.
pub struct Page<T>(pub T);

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(html) => ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
            Err(e) => WebError::Internal(anyhow::Error::new(e)).into_response(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    title: &'static str,
    message: &'static str,
}

/// Every way a page request fails, rendered as an HTML page.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("sign in first")]
    SignIn,
    #[error("not found")]
    NotFound,
    #[error("the form was missing its CSRF token")]
    Csrf,
    #[error("the database is not answering")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => WebError::NotFound,
            StoreError::Unavailable(_) => WebError::Unavailable,
            other => WebError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            WebError::SignIn => return Redirect::to("/login").into_response(),
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "Not found",
                "There is nothing here, or it is not yours to see.",
            ),
            WebError::Csrf => (
                StatusCode::FORBIDDEN,
                "Form expired",
                "This form could not be verified. Go back, reload the page and try again.",
            ),
            WebError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Try again shortly",
                "The database is not answering right now.",
            ),
            WebError::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The page could not be shown. The error has been logged.",
                )
            }
        };
        let page = ErrorPage {
            layout: Layout::signed_out(),
            title,
            message,
        };
        let body = page
            .render()
            .unwrap_or_else(|_| "Something went wrong".to_owned());
        (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
    }
}

/// Times on pages: minutes are enough and UTC is stated.
pub fn display_time(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute] UTC"
        ))
        .unwrap_or_default()
}

/// A machine-readable time for `<time datetime=..>`.
pub fn iso_time(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
