//! Server-rendered pages. The sign-in page lives here; the seller inbox and
//! staff console build on it.

use axum::{
    Router,
    http::header,
    response::{Html, IntoResponse, Redirect},
    routing::get,
};
use rand::Rng;

use crate::http::AppState;

pub mod consent;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/login") }))
        .route("/login", get(login_page))
        .merge(consent::routes())
}

/// A random token for the double-submit CSRF check: the same value in a
/// SameSite=Strict, HttpOnly cookie and in the form.
fn csrf_token() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill(&mut bytes);
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

async fn login_page() -> impl IntoResponse {
    let token = csrf_token();
    let cookie = format!("mr_csrf={token}; Path=/; HttpOnly; SameSite=Strict");
    let page = LOGIN_PAGE.replace("{csrf}", &token);
    (
        [
            (header::SET_COOKIE, cookie),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Html(page),
    )
}

const LOGIN_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · marketrelay</title>
<style>
body{font-family:system-ui,sans-serif;background:#f5f6f8;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;padding:2rem;border-radius:12px;box-shadow:0 2px 12px #0001;width:min(22rem,90vw)}
label{display:block;margin-top:1rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.6rem;margin-top:.3rem;border:1px solid #ccd;border-radius:6px}
button{margin-top:1.5rem;width:100%;padding:.7rem;border:0;border-radius:6px;background:#1f5eff;color:#fff;font-weight:600}
</style>
</head>
<body>
<main>
<h1>Sign in</h1>
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{csrf}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
"#;
