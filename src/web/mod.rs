//! Server-rendered pages: sign-in and invitations, the seller inbox and the
//! staff review console. Askama templates, auto-escaped; no JavaScript needed.

pub mod console;
pub mod dashboard;
pub mod inbox;
pub mod response_time;
pub mod session;
pub mod sign_in;

use crate::catalogue::{Language, Words};
use askama::Template;
use axum::{
    Router,
    http::{StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{MethodRouter, get},
};
use time::{OffsetDateTime, macros::format_description};

use crate::{domain::StoredFinding, http::AppState, store::StoreError};

pub mod consent;

/// The pages' routes, built together with the list of their paths, so the
/// authorization matrix (`tests/api/authorization.rs`) covers every page
/// route there is. A module adds its routes only through [`Pages::route`].
#[derive(Default)]
pub struct Pages {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Pages {
    pub fn route(mut self, path: &'static str, method_router: MethodRouter<AppState>) -> Self {
        self.paths.push(path);
        self.router = self.router.route(path, method_router);
        self
    }

    pub fn merge(mut self, other: Pages) -> Self {
        self.paths.extend(other.paths);
        self.router = self.router.merge(other.router);
        self
    }
}

fn pages() -> Pages {
    Pages::default()
        .merge(sign_in::routes())
        .merge(inbox::routes())
        .merge(console::routes())
        .route("/static/marketrelay.css", get(stylesheet))
        .route("/static/inbox.js", get(inbox_script))
        .merge(consent::routes())
        .merge(dashboard::routes())
        .merge(report::routes())
        .merge(console_reports::routes())
        .merge(console_sellers::routes())
        .merge(console_help_domains::routes())
}

pub fn routes() -> Router<AppState> {
    pages().router
}

/// Whether the page route `path` bounds the body it reads itself.
pub(crate) fn reads_own_body(path: &str) -> bool {
    inbox::OWN_BODY_PATHS.contains(&path)
}

/// The path of every page route, as registered.
pub fn paths() -> Vec<&'static str> {
    pages().paths
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

const INBOX_SCRIPT: &str = include_str!("../../static/inbox.js");

/// The reply form's live preview. Its URL carries a digest of the file, so
/// browsers may keep it for a year and still fetch a changed script at once.
async fn inbox_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        INBOX_SCRIPT,
    )
}

/// `/static/inbox.js?v=<digest>`, for the `<script>` tag.
pub fn inbox_script_url() -> &'static str {
    static URL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(INBOX_SCRIPT.as_bytes());
        format!(
            "/static/inbox.js?v={}",
            &data_encoding::HEXLOWER.encode(&digest)[..12]
        )
    });
    &URL
}

/// What the shared layout needs: who is signed in (for the navigation),
/// the session's CSRF token (for the sign-out form), and the language of
/// the page (its `lang` and `dir`).
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub words: Words,
    pub seller: bool,
    pub staff: bool,
    pub csrf_token: String,
    /// Shown beside "Reports" in the console's navigation.
    pub open_reports: i64,
    /// Shown beside "Sellers" in the console's navigation.
    pub sellers_in_review: i64,
}

impl Layout {
    pub fn signed_out() -> Self {
        Self::default()
    }

    /// A page for a buyer or seller reached by a link, in their language.
    pub fn reader(language: Language) -> Self {
        Self {
            words: Words(language),
            ..Self::default()
        }
    }

    pub fn for_session(session: &session::SignedIn) -> Self {
        Self {
            words: Words::default(),
            seller: matches!(session.account, crate::store::accounts::Account::Seller(_)),
            staff: matches!(session.account, crate::store::accounts::Account::Staff(_)),
            csrf_token: session.csrf_token.clone(),
            open_reports: 0,
            sellers_in_review: 0,
        }
    }
}

/// Headers on every page: no cache keeps personal data; only our own
/// stylesheet and scripts load, and those may only call us back (no inline
/// script, so injected markup cannot run); no other site may frame a form
/// (clickjacking); the invitation token in a URL never leaves as a Referer.
fn page_headers() -> [(header::HeaderName, &'static str); 5] {
    [
        (header::CACHE_CONTROL, "no-store"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ]
}

/// A rendered template.
pub struct Page<T>(pub T);

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(html) => (page_headers(), Html(html)).into_response(),
            Err(e) => WebError::Internal(anyhow::Error::new(e)).into_response(),
        }
    }
}

#[derive(Template)]
#[template(path = "report_link.html")]
struct LinkPage {
    layout: Layout,
    title: &'static str,
    message: String,
}

/// A clear page for a signed link we did not sign or that ran out (400 or
/// 410), saying what did not happen because of it.
pub(crate) fn link_error(e: crate::relay::consent::LinkError, nothing: &str) -> Response {
    use crate::relay::consent::LinkError;
    let (status, title, message) = match e {
        LinkError::Invalid => (
            StatusCode::BAD_REQUEST,
            "Link not valid",
            "This link is not valid. Please use the link exactly as it appears in the email.",
        ),
        LinkError::Expired => (StatusCode::GONE, "Link expired", "This link has expired."),
    };
    let page = Page(LinkPage {
        layout: Layout::signed_out(),
        title,
        message: format!("{message} {nothing}"),
    });
    (status, page).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    title: &'static str,
    message: &'static str,
}

/// Whether a form was posted as `multipart/form-data` (files, or a mail
/// client's one-click unsubscription) rather than URL-encoded.
pub(crate) fn is_multipart(req: &axum::extract::Request) -> bool {
    req.headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
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
    #[error("the server is busy")]
    Busy,
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// A store error means what the use case's would: one mapping.
impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        crate::relay::RelayError::from(e).into()
    }
}

impl From<crate::cpu::CpuError> for WebError {
    fn from(e: crate::cpu::CpuError) -> Self {
        match e {
            crate::cpu::CpuError::Busy => WebError::Busy,
            other => WebError::Internal(other.into()),
        }
    }
}

impl From<crate::relay::RelayError> for WebError {
    fn from(e: crate::relay::RelayError) -> Self {
        use crate::relay::RelayError;
        match e {
            RelayError::NotFound => WebError::NotFound,
            RelayError::Store(StoreError::Unavailable(_)) => WebError::Unavailable,
            RelayError::Cpu(e) => e.into(),
            // A page offers only what the record allows, so a refusal
            // here is a race or a bug: logged, and a generic page.
            other => WebError::Internal(anyhow::Error::new(other)),
        }
    }
}

/// For the JSON endpoints behind the pages: the same refusals, in the API's
/// envelope, and a missing session is a 401 rather than a redirect.
impl From<WebError> for crate::http::error::ApiError {
    fn from(e: WebError) -> Self {
        use crate::http::error::ApiError;
        match e {
            WebError::SignIn => ApiError::Unauthorized,
            WebError::NotFound => ApiError::NotFound("not found"),
            WebError::Csrf => ApiError::Denied {
                code: "csrf",
                message: "send this session's CSRF token in the X-CSRF-Token header".into(),
            },
            WebError::Unavailable => ApiError::Unavailable,
            WebError::Busy => ApiError::Busy,
            WebError::Internal(e) => ApiError::Internal(e),
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
            WebError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Try again shortly",
                "The service is busy right now.",
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
        (status, page_headers(), Html(body)).into_response()
    }
}

pub use crate::http::path_id::parse_id;

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

/// A piece of the original text, flagged when a finding covers it.
pub struct Segment {
    pub text: String,
    pub finding: Option<String>,
}

/// What a page shows in place of a message's text once it is purged, so
/// an empty body is never mistaken for an empty message.
pub fn content_removed(days: u32) -> String {
    format!("(content removed after {days} days)")
}

/// Splits `text` at the findings' character offsets so each finding can be
/// marked; overlapping or out-of-range spans are clamped, never trusted.
pub fn marked_segments(text: &str, findings: &[StoredFinding]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize, String)> = findings
        .iter()
        .filter(|f| f.field == crate::domain::FindingField::Text)
        .map(|f| {
            (
                f.finding.start.min(chars.len()),
                f.finding.end.min(chars.len()),
                f.finding.rule.clone(),
            )
        })
        .filter(|(s, e, _)| s < e)
        .collect();
    spans.sort();
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end, rule) in spans {
        let start = start.max(at);
        if start >= end {
            continue;
        }
        if at < start {
            out.push(Segment {
                text: chars[at..start].iter().collect(),
                finding: None,
            });
        }
        out.push(Segment {
            text: chars[start..end].iter().collect(),
            finding: Some(rule),
        });
        at = end;
    }
    if at < chars.len() {
        out.push(Segment {
            text: chars[at..].iter().collect(),
            finding: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::Action,
        domain::StoredFinding,
        policy::{Finding, FindingKind},
    };

    fn finding(start: usize, end: usize) -> StoredFinding {
        StoredFinding {
            field: crate::domain::FindingField::Text,
            finding: Finding {
                kind: FindingKind::Phone,
                start,
                end,
                rule: "phone".into(),
                action: Action::Redact,
            },
            removed: true,
        }
    }

    /// Page modules build their routes only with [`Pages`], so `paths()`
    /// lists every page route and the authorization matrix covers it.
    #[test]
    fn page_modules_register_routes_only_through_pages() {
        fn check(dir: &std::path::Path, checked: &mut usize) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    check(&path, checked);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("web/mod.rs")
                {
                    let source = std::fs::read_to_string(&path).unwrap();
                    for forbidden in ["Router::new", "Router<", "axum::Router", "Router,"] {
                        assert!(
                            !source.contains(forbidden),
                            "{} builds a Router ({forbidden}); use web::Pages",
                            path.display()
                        );
                    }
                    *checked += 1;
                }
            }
        }
        let mut checked = 0;
        check(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web"),
            &mut checked,
        );
        assert!(checked >= 8, "{checked}");
        assert!(paths().contains(&"/inbox/{id}/reply"));
    }

    #[test]
    fn segments_mark_findings_and_survive_bad_offsets() {
        let s = marked_segments(
            "call 555 now",
            &[finding(5, 8), finding(6, 7), finding(40, 50)],
        );
        let parts: Vec<(&str, bool)> = s
            .iter()
            .map(|s| (s.text.as_str(), s.finding.is_some()))
            .collect();
        assert_eq!(
            parts,
            vec![("call ", false), ("555", true), (" now", false)]
        );
        let s = marked_segments("añb", &[finding(1, 2)]);
        assert_eq!(s[1].text, "ñ");
    }
}

pub mod console_help_domains;
pub mod console_reports;
pub mod console_sellers;
pub mod report;
