//! Credentials that can be taken back: only the newest invitation link
//! works, a new password signs out old sessions, the operator rotates and
//! revokes sellers' and staff's API tokens, a configured operator token
//! replaces a stored one; cookies are `__Host-` over https; raw MIME is a
//! download that is neither sniffed nor cached.

use reqwest::redirect::Policy;
use serde_json::json;

use crate::{
    helpers::{Backend, OPERATOR_TOKEN, Options, buyer_mail, spawn_app, spawn_app_with},
    web::{PASSWORD, browser, csrf, invitation, page, sign_in, sign_up},
};

crate::on_both_backends!(
    only_the_newest_invitation_works_and_a_new_password_signs_out_old_sessions,
    the_operator_rotates_and_revokes_seller_and_staff_tokens,
    revoking_an_accounts_token_also_ends_its_web_access,
    raw_mime_is_neither_sniffed_nor_cached,
);

async fn only_the_newest_invitation_works_and_a_new_password_signs_out_old_sessions(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let first = invitation(&app, "sellers", &seller.id).await;
    let second = invitation(&app, "sellers", &seller.id).await;
    let r = browser().get(&first).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404, "the older link no longer works");
    let (old_browser, home) = sign_up(&second).await;
    assert_eq!(home, "/inbox");
    let (status, _) = page(&old_browser, &app, "/inbox").await;
    assert_eq!(status, 200);

    // A password reset through a new invitation ends the old session.
    let reset = invitation(&app, "sellers", &seller.id).await;
    let (new_browser, _) = sign_up(&reset).await;
    let (status, _) = page(&old_browser, &app, "/inbox").await;
    assert_eq!(status, 303, "the old session is gone");
    let (status, _) = page(&new_browser, &app, "/inbox").await;
    assert_eq!(status, 200);
}

async fn the_operator_rotates_and_revokes_seller_and_staff_tokens(backend: Backend) {
    let app = spawn_app(backend).await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let staff = app
        .create_staff("Tess Safety", "tess@marketplace.example")
        .await;
    for (kind, party, probe) in [
        ("sellers", &seller, "/api/v1/conversations"),
        ("staff", &staff, "/api/v1/review"),
    ] {
        let rotate = format!("/api/v1/{kind}/{}/token", party.id);
        let (status, _) = app.post(&rotate, &party.token, json!({})).await;
        assert_eq!(status, 403, "{kind} cannot rotate their own token");
        let (status, body) = app.post(&rotate, OPERATOR_TOKEN, json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["id"], party.id.as_str());
        let fresh = body["api_token"].as_str().unwrap().to_owned();
        assert_eq!(
            app.get(probe, &party.token).await.0,
            401,
            "{kind}: old token"
        );
        assert_eq!(app.get(probe, &fresh).await.0, 200, "{kind}: new token");

        let revoke = format!("/api/v1/{kind}/{}/token/revoke", party.id);
        let (status, body) = app.post(&revoke, OPERATOR_TOKEN, json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(app.get(probe, &fresh).await.0, 401, "{kind}: revoked");
        let actions: Vec<String> = app
            .store
            .audit()
            .audit_events(Some(&party.id), 20)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        let singular = kind.trim_end_matches('s');
        for action in ["token_rotated", "token_revoked"] {
            let wanted = format!("{singular}.{action}");
            assert!(actions.contains(&wanted), "{wanted} in {actions:?}");
        }
    }
    let unknown = "/api/v1/sellers/0196a5a1-0000-7000-8000-000000000000/token";
    assert_eq!(app.post(unknown, OPERATOR_TOKEN, json!({})).await.0, 404);
}

/// A staff member who leaves loses the console too, not only the API: an
/// open session, the password and an invitation not yet used all stop.
async fn revoking_an_accounts_token_also_ends_its_web_access(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "tess@marketplace.example";
    let staff = app.create_staff("Tess Safety", email).await;
    let (b, home) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    assert_eq!(home, "/console");
    assert_eq!(page(&b, &app, "/console").await.0, 200);
    let unused = invitation(&app, "staff", &staff.id).await;

    let revoke = format!("/api/v1/staff/{}/token/revoke", staff.id);
    let (status, body) = app.post(&revoke, OPERATOR_TOKEN, json!({})).await;
    assert_eq!(status, 200, "{body}");

    assert_eq!(
        page(&b, &app, "/console").await.0,
        303,
        "the session is over"
    );
    let r = sign_in(&app, &browser(), email, PASSWORD).await;
    assert_eq!(r.status().as_u16(), 401, "the password no longer signs in");
    let r = browser().get(&unused).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404, "the unused invitation is void");
    let revoked = app
        .audit_event(&staff.id, "staff.token_revoked")
        .await
        .unwrap();
    assert_eq!(
        revoked.details["sessions_ended"], 1,
        "{:?}",
        revoked.details
    );

    // A new invitation lets them in again, when the operator wants that.
    let (b, home) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    assert_eq!(home, "/console");
    assert_eq!(page(&b, &app, "/console").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_operator_token_stops_working_once_one_is_configured() {
    let mut app = spawn_app(Backend::Sqlite).await;
    // As generated at a first start without MARKETRELAY_OPERATOR_TOKEN.
    let stored = "a-generated-operator-token-0123456789";
    app.store
        .parties()
        .add_operator_token(&marketrelay::domain::ApiToken::from_presented(stored).hash())
        .await
        .unwrap();
    let (status, _) = app
        .post(
            "/api/v1/sellers",
            stored,
            json!({ "name": "X", "email": "x@shop.example" }),
        )
        .await;
    assert_eq!(status, 401, "the configured token replaces it");
    // And the next start removes it from the database.
    let url = app.database_url.clone();
    app.stop().await;
    let dir = std::mem::replace(&mut app.dir, tempfile::tempdir().unwrap());
    let again = spawn_app_with(Options {
        database_url: Some(url),
        dir: Some(dir),
        ..Options::new(Backend::Sqlite)
    })
    .await;
    assert!(!again.store.parties().has_operator_token().await.unwrap());
}

/// The `Set-Cookie` header value for `name` in a response.
fn set_cookie(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_owned()
}

fn value(cookie: &str) -> &str {
    cookie.split(';').next().unwrap().split_once('=').unwrap().1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_carry_the_host_prefix_over_https_and_plain_names_over_http() {
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_PUBLIC_URL", "https://relay.example.com"),
    )
    .await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let link = invitation(&app, "sellers", &seller.id).await;
    let path = link.trim_start_matches("https://relay.example.com");
    // No cookie jar: reqwest would not send Secure cookies over plain http.
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let r = client.get(app.url(path)).send().await.unwrap();
    let csrf_cookie = set_cookie(&r, "__Host-mr_csrf");
    for part in ["Secure", "Path=/", "HttpOnly"] {
        assert!(csrf_cookie.contains(part), "{csrf_cookie}");
    }
    assert!(!csrf_cookie.contains("Domain"), "{csrf_cookie}");
    let token = csrf(&r.text().await.unwrap());
    assert_eq!(token, value(&csrf_cookie));
    let form = [
        ("password", "correct horse battery"),
        ("password_confirm", "correct horse battery"),
        ("csrf_token", token.as_str()),
    ];
    // The plain name is not ours over https.
    let r = client
        .post(app.url(path))
        .header("cookie", format!("mr_csrf={token}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = client
        .post(app.url(path))
        .header("cookie", format!("__Host-mr_csrf={token}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let session = set_cookie(&r, "__Host-mr_session");
    assert!(
        session.contains("Secure") && !session.contains("Domain"),
        "{session}"
    );
    let inbox = |name: &str| {
        client
            .get(app.url("/inbox"))
            .header("cookie", format!("{name}={}", value(&session)))
            .send()
    };
    assert_eq!(
        inbox("__Host-mr_session").await.unwrap().status().as_u16(),
        200
    );
    assert_eq!(inbox("mr_session").await.unwrap().status().as_u16(), 303);

    // Over plain http browsers refuse Secure cookies, so names stay plain.
    let local = spawn_app(Backend::Sqlite).await;
    let r = client.get(local.url("/login")).send().await.unwrap();
    let plain = set_cookie(&r, "mr_csrf");
    assert!(!plain.contains("Secure"), "{plain}");
}

async fn raw_mime_is_neither_sniffed_nor_cached(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let raw = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "Markup",
        "<html><script>alert(1)</script></html>",
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    let id = reply.trim_start_matches("250 2.0.0 queued as ").to_owned();
    let staff = app
        .create_staff("Tess Safety", "tess@marketplace.example")
        .await;
    let api = app
        .client
        .get(app.url(&format!("/api/v1/messages/{id}/raw")))
        .bearer_auth(&staff.token)
        .send()
        .await
        .unwrap();
    let (b, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    let console = b
        .get(app.url(&format!("/console/messages/{id}/raw")))
        .send()
        .await
        .unwrap();
    for r in [api, console] {
        assert_eq!(r.status().as_u16(), 200);
        let headers = r.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["content-type"], "message/rfc822");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_answers_are_not_cached() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    for (path, token) in [
        (
            format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        ),
        ("/api/v1/conversations".to_owned(), &c.seller.token),
    ] {
        let r = app
            .client
            .get(app.url(&path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
    }
    // A new token is in the answer to a POST: not kept either.
    let r = app
        .client
        .post(app.url("/api/v1/sellers"))
        .bearer_auth(OPERATOR_TOKEN)
        .json(&json!({ "name": "Shop", "email": "shop@shop.example" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
}
