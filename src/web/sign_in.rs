//! Signing in and out, and setting a password through an invitation link.

use std::sync::OnceLock;

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier},
};
use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use super::{
    Layout, Page, WebError,
    session::{
        self, ClientIp, CookieKind, MaybeSignedIn, SignedIn, our_cookie, same_token, set_cookie,
    },
};
use crate::{
    domain::EmailAddress,
    http::AppState,
    store::{
        StoreError,
        accounts::{Account, random_secret, secret_hash},
    },
};

/// Failed sign-ins allowed per email and client address within the window.
pub const MAX_FAILURES: i64 = 5;
/// Failed sign-ins allowed per client address, whatever the email: each
/// costs a password hash, so a new email every time must not go unchecked.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Argon2 time grows with input; nobody needs a longer password.
const MAX_PASSWORD_CHARS: usize = 256;

pub fn routes() -> super::Pages {
    super::Pages::default()
        .route("/", get(root))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route(
            "/invite/{token}",
            get(invitation_page).post(accept_invitation),
        )
}

async fn root(MaybeSignedIn(session): MaybeSignedIn) -> Redirect {
    match session {
        Some(s) => Redirect::to(session::home(s.account)),
        None => Redirect::to("/login"),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf_token: String,
    email: String,
    error: Option<&'static str>,
}

/// The double-submit token for a signed-out form: reuse the browser's
/// cookie if it has one, so two open tabs both keep working.
fn signed_out_csrf(state: &AppState, headers: &HeaderMap) -> String {
    our_cookie(headers, &state.settings, CookieKind::Csrf)
        .filter(|t| {
            t.len() == 43
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
        .unwrap_or_else(random_secret)
}

fn with_csrf_cookie(state: &AppState, token: &str, page: impl IntoResponse) -> Response {
    (
        [(
            header::SET_COOKIE,
            set_cookie(
                &state.settings,
                CookieKind::Csrf,
                token,
                Duration::hours(12),
            ),
        )],
        page,
    )
        .into_response()
}

fn check_signed_out_csrf(
    state: &AppState,
    headers: &HeaderMap,
    presented: &str,
) -> Result<(), WebError> {
    match our_cookie(headers, &state.settings, CookieKind::Csrf) {
        Some(expected) if same_token(expected, presented) => Ok(()),
        _ => {
            tracing::debug!("refused a signed-out form without a matching CSRF cookie");
            Err(WebError::Csrf)
        }
    }
}

async fn login_page(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    headers: HeaderMap,
) -> Response {
    if let Some(s) = session {
        return Redirect::to(session::home(s.account)).into_response();
    }
    let token = signed_out_csrf(&state, &headers);
    let page = LoginPage {
        layout: Layout::signed_out(),
        csrf_token: token.clone(),
        email: String::new(),
        error: None,
    };
    with_csrf_cookie(&state, &token, Page(page))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

/// A real argon2 hash of nothing anyone knows, verified when the email is
/// unknown so that both failures take the same time.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_secret()).unwrap_or_default())
}

fn hash_password(password: &str) -> Result<String, WebError> {
    crate::cpu::heavy(crate::cpu::Work::PasswordHash);
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| WebError::Internal(anyhow::anyhow!("hashing a password: {e}")))
}

/// Checks a password against its hash, or against the decoy when the email
/// is unknown. Argon2 takes tens of milliseconds and 19 MiB; it runs on the
/// CPU pool, which also caps how many run at once.
async fn verify_password(
    state: &AppState,
    password: String,
    hash: Option<String>,
) -> Result<bool, WebError> {
    Ok(state
        .relay
        .cpu
        .run(move || {
            crate::cpu::heavy(crate::cpu::Work::PasswordHash);
            let hash = hash.as_deref().unwrap_or_else(|| decoy_hash());
            Argon2::default()
                .verify_password(password.as_bytes(), hash)
                .is_ok()
        })
        .await?)
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    check_signed_out_csrf(&state, &headers, &form.csrf_token)?;
    let email = form.email.trim().to_ascii_lowercase();
    let accounts = state.store.accounts();
    let now = OffsetDateTime::now_utc();
    // The limit is per email and client address, so an attacker cannot lock
    // a seller out from elsewhere, and is kept in the database so it holds
    // across restarts and instances. A second limit per client address
    // bounds the hashing a stranger can cause with a new email every time.
    let address = ip.map(|i| i.to_string()).unwrap_or_default();
    let limit_key = secret_hash(&format!("{email}\n{address}"));
    let address_key = secret_hash(&format!("sign-in from\n{address}"));
    let render = |status: StatusCode, error: &'static str| {
        let page = LoginPage {
            layout: Layout::signed_out(),
            csrf_token: form.csrf_token.clone(),
            email: form.email.chars().take(254).collect(),
            error: Some(error),
        };
        (status, Page(page)).into_response()
    };
    // The attempt counts as a failure from before the hash until it
    // succeeds, so parallel attempts cannot all pass a check made first.
    let attempt = random_secret();
    let reserved = accounts
        .reserve_attempt(
            &attempt,
            &[
                (limit_key.clone(), MAX_FAILURES),
                (address_key, MAX_FAILURES_PER_ADDRESS),
            ],
            now,
            now - FAILURE_WINDOW,
        )
        .await?;
    if !reserved {
        tracing::info!("sign-in refused by the rate limit");
        return Ok(render(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many failed attempts. Wait 15 minutes, then try again.",
        ));
    }
    let found = match EmailAddress::parse(&email) {
        Ok(address) => accounts.credentials(address.as_str()).await?,
        Err(_) => None,
    };
    let password: String = form.password.chars().take(MAX_PASSWORD_CHARS).collect();
    let (account, hash) = match found {
        Some((account, hash)) => (Some(account), Some(hash)),
        None => (None, None),
    };
    let verified = verify_password(&state, password, hash).await?;
    let account = match (account, verified) {
        (Some(account), true) => account,
        // The reserved attempt stays as the failure.
        _ => {
            return Ok(render(
                StatusCode::UNAUTHORIZED,
                "Email or password is incorrect.",
            ));
        }
    };
    accounts.release_attempt(&attempt).await?;
    accounts.clear_login_failures(&limit_key).await?;
    accounts.purge_expired(now, now - FAILURE_WINDOW).await?;
    let cookie = session::start(&state, account).await?;
    tracing::info!(role = role_name(account), "signed in");
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(session::home(account)),
    )
        .into_response())
}

fn role_name(account: Account) -> &'static str {
    match account {
        Account::Seller(_) => "seller",
        Account::Staff(_) => "staff",
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn logout(
    State(state): State<AppState>,
    session: SignedIn,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf_token)?;
    state
        .store
        .accounts()
        .delete_session(&session.id_hash)
        .await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(&state.settings, CookieKind::Session, "", Duration::ZERO),
        )],
        Redirect::to("/login"),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    layout: Layout,
    csrf_token: String,
    action: String,
    min_chars: usize,
    error: Option<&'static str>,
}

async fn invitation_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let now = OffsetDateTime::now_utc();
    if state
        .store
        .accounts()
        .open_invitation(&secret_hash(&token), now)
        .await?
        .is_none()
    {
        return Err(WebError::NotFound);
    }
    let csrf = signed_out_csrf(&state, &headers);
    let page = InvitePage {
        layout: Layout::signed_out(),
        csrf_token: csrf.clone(),
        action: format!("/invite/{token}"),
        min_chars: MIN_PASSWORD_CHARS,
        error: None,
    };
    Ok(with_csrf_cookie(&state, &csrf, Page(page)))
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    #[serde(default)]
    csrf_token: String,
}

async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Result<Response, WebError> {
    check_signed_out_csrf(&state, &headers, &form.csrf_token)?;
    let token_hash = secret_hash(&token);
    let accounts = state.store.accounts();
    let now = OffsetDateTime::now_utc();
    if accounts.open_invitation(&token_hash, now).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let chars = form.password.chars().count();
    let error = if chars < MIN_PASSWORD_CHARS {
        Some("Use at least 10 characters.")
    } else if chars > MAX_PASSWORD_CHARS {
        Some("Use at most 256 characters.")
    } else if form.password != form.password_confirm {
        Some("The two passwords differ.")
    } else {
        None
    };
    if let Some(error) = error {
        let page = InvitePage {
            layout: Layout::signed_out(),
            csrf_token: form.csrf_token.clone(),
            action: format!("/invite/{token}"),
            min_chars: MIN_PASSWORD_CHARS,
            error: Some(error),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Page(page)).into_response());
    }
    let password = form.password;
    let hash = state
        .relay
        .cpu
        .run(move || hash_password(&password))
        .await??;
    let account = match accounts.accept_invitation(&token_hash, &hash, now).await {
        Ok(account) => account,
        Err(StoreError::Conflict(_)) => {
            let page = InvitePage {
                layout: Layout::signed_out(),
                csrf_token: form.csrf_token.clone(),
                action: format!("/invite/{token}"),
                min_chars: MIN_PASSWORD_CHARS,
                error: Some(
                    "Another account already signs in with this email address. Ask the marketplace to resolve it.",
                ),
            };
            return Ok((StatusCode::CONFLICT, Page(page)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(
        role = role_name(account),
        "password set through an invitation"
    );
    let cookie = session::start(&state, account).await?;
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(session::home(account)),
    )
        .into_response())
}
