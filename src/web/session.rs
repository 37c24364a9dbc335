//! Cookie sessions stored in the database, and the CSRF checks every form
//! goes through: a session-bound token once signed in, a double-submit
//! cookie on the sign-in and invitation forms before that.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, header, request::Parts},
};
use time::{Duration, OffsetDateTime};

use super::WebError;
use crate::{
    config::Settings,
    domain::{SellerId, StaffId},
    http::AppState,
    store::accounts::{Account, NewWebSession, random_secret, secret_hash},
};

/// The cookies we set. Over https their names carry the `__Host-` prefix,
/// so a browser keeps them only when Secure, for this host alone (no
/// Domain) and the whole path: a sibling subdomain can neither plant nor
/// overwrite them (a planted CSRF cookie would defeat the double submit).
/// Over plain http (a local run, the browser tests on 127.0.0.1) browsers
/// refuse Secure cookies, and so the prefix, so the names stay plain there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CookieKind {
    Session,
    Csrf,
}

impl CookieKind {
    pub fn name(self, settings: &Settings) -> &'static str {
        match (self, secure(settings)) {
            (CookieKind::Session, true) => "__Host-mr_session",
            (CookieKind::Session, false) => "mr_session",
            (CookieKind::Csrf, true) => "__Host-mr_csrf",
            (CookieKind::Csrf, false) => "mr_csrf",
        }
    }
}
/// A working day; signing in again after it is cheap, a stolen cookie ages out.
pub const SESSION_TTL: Duration = Duration::hours(12);

/// Compares without an early exit, so timing does not reveal a prefix.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Cookies are Secure when the public URL is https; over plain http a
/// browser would drop a Secure cookie and nobody could sign in.
fn secure(settings: &Settings) -> bool {
    settings
        .public_url
        .as_ref()
        .is_some_and(|u| u.scheme() == "https")
}

/// A `Set-Cookie` value; `max_age` zero deletes the cookie.
pub fn set_cookie(settings: &Settings, kind: CookieKind, value: &str, max_age: Duration) -> String {
    let secure = if secure(settings) { "; Secure" } else { "" };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        kind.name(settings),
        max_age.whole_seconds().max(0)
    )
}

/// The value of one of our cookies in a request, under its name for this
/// deployment.
pub fn our_cookie<'a>(
    headers: &'a HeaderMap,
    settings: &Settings,
    kind: CookieKind,
) -> Option<&'a str> {
    cookie(headers, kind.name(settings))
}

/// Starts a session for `account`; returns the `Set-Cookie` value.
pub async fn start(state: &AppState, account: Account) -> Result<String, WebError> {
    let id = random_secret();
    let now = OffsetDateTime::now_utc();
    state
        .store
        .accounts()
        .create_session(&NewWebSession {
            id_hash: secret_hash(&id),
            account,
            csrf_token: random_secret(),
            created_at: now,
            expires_at: now + SESSION_TTL,
        })
        .await?;
    Ok(set_cookie(
        &state.settings,
        CookieKind::Session,
        &id,
        SESSION_TTL,
    ))
}

/// Where each kind of account lands after signing in.
pub fn home(account: Account) -> &'static str {
    match account {
        Account::Seller(_) => "/inbox",
        Account::Staff(_) => "/console",
    }
}

/// A browser with a live session.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub account: Account,
    pub csrf_token: String,
    pub id_hash: String,
}

impl SignedIn {
    /// Refuses a form whose token is not this session's.
    pub fn check_csrf(&self, presented: &str) -> Result<(), WebError> {
        if same_token(&self.csrf_token, presented) {
            Ok(())
        } else {
            tracing::debug!("refused a form without this session's CSRF token");
            Err(WebError::Csrf)
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let id = our_cookie(&parts.headers, &state.settings, CookieKind::Session)
            .filter(|v| !v.is_empty() && v.len() <= 128)
            .ok_or(WebError::SignIn)?;
        let id_hash = secret_hash(id);
        let session = state
            .store
            .accounts()
            .session(&id_hash, OffsetDateTime::now_utc())
            .await?
            .ok_or(WebError::SignIn)?;
        Ok(SignedIn {
            account: session.account,
            csrf_token: session.csrf_token,
            id_hash,
        })
    }
}

/// A signed-in browser, or none.
pub struct MaybeSignedIn(pub Option<SignedIn>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match SignedIn::from_request_parts(parts, state).await {
            Ok(s) => Ok(MaybeSignedIn(Some(s))),
            Err(WebError::SignIn) => Ok(MaybeSignedIn(None)),
            Err(other) => Err(other),
        }
    }
}

/// A signed-in seller. Staff asking for a seller page get 404, as for any
/// page that is not theirs.
pub struct SellerSession {
    pub seller: SellerId,
    pub session: SignedIn,
}

impl FromRequestParts<AppState> for SellerSession {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = SignedIn::from_request_parts(parts, state).await?;
        match session.account {
            Account::Seller(seller) => Ok(SellerSession { seller, session }),
            Account::Staff(_) => Err(WebError::NotFound),
        }
    }
}

pub struct StaffSession {
    pub staff: StaffId,
    pub session: SignedIn,
}

impl StaffSession {
    /// The layout of a console page: its navigation counts the open buyer
    /// reports, read only when a page is rendered (not for form posts).
    pub async fn layout(&self, state: &AppState) -> Result<super::Layout, WebError> {
        Ok(super::Layout {
            open_reports: state.store.reports().count_open_reports().await?,
            sellers_in_review: state.store.strikes().open_reviews().await?.len() as i64,
            ..super::Layout::for_session(&self.session)
        })
    }
}

impl FromRequestParts<AppState> for StaffSession {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = SignedIn::from_request_parts(parts, state).await?;
        match session.account {
            Account::Staff(staff) => Ok(StaffSession { staff, session }),
            Account::Seller(_) => Err(WebError::NotFound),
        }
    }
}

/// The peer address, for the sign-in rate limit. Behind a reverse proxy this
/// is the proxy's address; see the README note on deployment.
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::accounts::{random_secret, secret_hash};

    #[test]
    fn tokens_compare_exactly_and_never_match_empty() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
        assert!(!same_token("", ""));
    }

    #[test]
    fn finds_a_cookie_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=1; mr_session=xyz; b=2".parse().unwrap());
        assert_eq!(cookie(&headers, "mr_session"), Some("xyz"));
        assert_eq!(cookie(&headers, "mr_csrf"), None);
    }

    #[test]
    fn secrets_are_256_bit_and_stored_as_hex_digests() {
        let s = random_secret();
        assert_eq!(
            data_encoding::BASE64URL_NOPAD
                .decode(s.as_bytes())
                .unwrap()
                .len(),
            32
        );
        assert_ne!(s, random_secret());
        assert_eq!(secret_hash(&s).len(), 64);
    }
}
