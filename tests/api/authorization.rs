//! The authorization matrix: every route × every role, on records that
//! belong to one seller, against one table of expected outcomes.
//!
//! The API's routes come from the OpenAPI document, which is built from
//! the handlers; the pages' routes from `web::paths`, the list the page
//! router is built from, and the methods each path serves are probed. A
//! route missing from the table, a row no route has, and any cell that
//! differs from the table fail the test.

use std::collections::BTreeSet;

use reqwest::{Client, Method, redirect::Policy};
use serde_json::{Value, json};

use crate::helpers::{Backend, OPERATOR_TOKEN, TestApp, buyer_mail, parse_mail, spawn_app};

crate::on_both_backends!(every_route_answers_every_role_as_the_table_says);

/// What a request came to, as far as who may do what is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Served: any answer but the refusals below (a success, a redirect
    /// elsewhere than sign-in, or a refusal of the request's content).
    Served,
    /// The API's 401: no (valid) token.
    Unauth,
    /// The API's 403 for a role that may not call the route.
    Forbidden,
    /// 404: not this caller's, so as good as absent.
    NotFound,
    /// A page's redirect to the sign-in page.
    SignIn,
    /// A form refused for its CSRF token: the test's own mistake.
    Csrf,
}
use Outcome::*;

/// The columns, in order.
const ROLES: [&str; 5] = ["anonymous", "operator", "seller", "other seller", "staff"];

const STAFF_ONLY: [Outcome; 5] = [Unauth, Forbidden, Forbidden, Forbidden, Served];
const OPERATOR_ONLY: [Outcome; 5] = [Unauth, Served, Forbidden, Forbidden, Forbidden];
/// The owning seller and staff read; another seller finds nothing.
const READERS: [Outcome; 5] = [Unauth, Forbidden, Served, NotFound, Served];
/// Only the owning seller; another seller finds nothing.
const OWNER: [Outcome; 5] = [Unauth, Forbidden, Served, NotFound, Forbidden];
const ANYONE: [Outcome; 5] = [Served; 5];
/// A page for signed-in sellers, about the owner's conversation.
const OWNER_PAGE: [Outcome; 5] = [SignIn, SignIn, Served, NotFound, NotFound];
/// A page for staff.
const STAFF_PAGE: [Outcome; 5] = [SignIn, SignIn, NotFound, NotFound, Served];
/// Whoever holds a signed link: the link is the authority.
const LINK_HOLDER: [Outcome; 5] = ANYONE;

/// Every route, by method and path pattern; the record in a path belongs
/// to the first seller ("seller"), never to the second ("other seller").
const TABLE: &[(&str, &str, [Outcome; 5])] = &[
    // API and health, from the OpenAPI document.
    ("get", "/healthz", ANYONE),
    ("get", "/readyz", ANYONE),
    ("get", "/metrics", OPERATOR_ONLY),
    ("get", "/api/v1/openapi.json", ANYONE),
    ("post", "/api/v1/sellers", OPERATOR_ONLY),
    ("post", "/api/v1/sellers/{id}/invitations", OPERATOR_ONLY),
    ("post", "/api/v1/sellers/{id}/token", OPERATOR_ONLY),
    ("post", "/api/v1/sellers/{id}/token/revoke", OPERATOR_ONLY),
    ("get", "/api/v1/sellers/{id}/allowed-domains", OPERATOR_ONLY),
    ("put", "/api/v1/sellers/{id}/allowed-domains", OPERATOR_ONLY),
    ("post", "/api/v1/sellers/{id}/suspend", STAFF_ONLY),
    ("post", "/api/v1/sellers/{id}/reinstate", STAFF_ONLY),
    ("get", "/api/v1/sellers/{id}/record", STAFF_ONLY),
    ("post", "/api/v1/sellers/{id}/review/clear", STAFF_ONLY),
    ("get", "/api/v1/seller-reviews", STAFF_ONLY),
    ("post", "/api/v1/staff", OPERATOR_ONLY),
    ("post", "/api/v1/staff/{id}/invitations", OPERATOR_ONLY),
    ("post", "/api/v1/staff/{id}/token", OPERATOR_ONLY),
    ("post", "/api/v1/staff/{id}/token/revoke", OPERATOR_ONLY),
    ("post", "/api/v1/conversations", OPERATOR_ONLY),
    (
        "get",
        "/api/v1/conversations",
        [Unauth, Forbidden, Served, Served, Served],
    ),
    ("get", "/api/v1/conversations/{id}", READERS),
    ("post", "/api/v1/conversations/{id}/orders", OPERATOR_ONLY),
    (
        "post",
        "/api/v1/conversations/{id}/orders/delivered",
        OPERATOR_ONLY,
    ),
    ("get", "/api/v1/conversations/{id}/messages", READERS),
    ("post", "/api/v1/conversations/{id}/messages", OWNER),
    ("post", "/api/v1/conversations/{id}/consent-requests", OWNER),
    ("get", "/api/v1/conversations/{id}/consents", READERS),
    ("get", "/api/v1/conversations/{id}/contact", OWNER),
    ("post", "/api/v1/conversations/{id}/block", STAFF_ONLY),
    ("post", "/api/v1/conversations/{id}/unblock", STAFF_ONLY),
    // The buyer revokes with a link's token instead of a bearer token.
    (
        "post",
        "/api/v1/consents/{id}/revoke",
        [Unauth, Served, Served, NotFound, Served],
    ),
    ("get", "/api/v1/messages/{id}", READERS),
    ("get", "/api/v1/messages/{id}/raw", STAFF_ONLY),
    ("post", "/api/v1/messages/{id}/review", STAFF_ONLY),
    ("post", "/api/v1/messages/{id}/warning", STAFF_ONLY),
    // The buyer's message: its seller or the operator marks it.
    (
        "post",
        "/api/v1/messages/{id}/no-response",
        [Unauth, Served, Served, NotFound, Forbidden],
    ),
    ("get", "/api/v1/review", STAFF_ONLY),
    (
        "post",
        "/api/v1/policy/evaluate",
        [Unauth, Served, Served, Served, Served],
    ),
    ("get", "/api/v1/audit", STAFF_ONLY),
    ("get", "/api/v1/reports", STAFF_ONLY),
    ("post", "/api/v1/reports/{id}/resolve", STAFF_ONLY),
    // Pages, from the list the page router is built from.
    ("get", "/", [SignIn, SignIn, Served, Served, Served]),
    ("get", "/login", ANYONE),
    ("post", "/login", ANYONE),
    ("get", "/invite/{token}", LINK_HOLDER),
    ("post", "/invite/{token}", LINK_HOLDER),
    ("get", "/static/marketrelay.css", ANYONE),
    ("get", "/static/inbox.js", ANYONE),
    ("get", "/inbox", [SignIn, SignIn, Served, Served, NotFound]),
    ("get", "/inbox/{id}", OWNER_PAGE),
    ("post", "/inbox/{id}/reply", OWNER_PAGE),
    ("post", "/inbox/{id}/preview", OWNER_PAGE),
    (
        "post",
        "/inbox/{id}/preview.json",
        [Unauth, Unauth, Served, NotFound, NotFound],
    ),
    ("post", "/inbox/{id}/no-response", OWNER_PAGE),
    ("post", "/inbox/{id}/consent-request", OWNER_PAGE),
    ("get", "/console", STAFF_PAGE),
    ("get", "/console/messages/{id}", STAFF_PAGE),
    ("post", "/console/messages/{id}/review", STAFF_PAGE),
    ("get", "/console/messages/{id}/raw", STAFF_PAGE),
    ("get", "/console/conversations", STAFF_PAGE),
    ("get", "/console/conversations/{id}", STAFF_PAGE),
    ("post", "/console/conversations/{id}/block", STAFF_PAGE),
    ("post", "/console/conversations/{id}/seller", STAFF_PAGE),
    ("get", "/console/access-log", STAFF_PAGE),
    ("get", "/console/dashboard", STAFF_PAGE),
    ("get", "/console/reports", STAFF_PAGE),
    ("post", "/console/reports/{id}/resolve", STAFF_PAGE),
    ("post", "/console/messages/{id}/warning", STAFF_PAGE),
    ("get", "/console/sellers", STAFF_PAGE),
    ("get", "/console/sellers/{id}", STAFF_PAGE),
    ("post", "/console/sellers/{id}/review/clear", STAFF_PAGE),
    ("post", "/console/sellers/{id}/suspension", STAFF_PAGE),
    ("get", "/console/sellers/{id}/help-domains", STAFF_PAGE),
    ("post", "/console/sellers/{id}/help-domains", STAFF_PAGE),
    ("get", "/consent/{token}", LINK_HOLDER),
    ("post", "/consent/{token}", LINK_HOLDER),
    ("get", "/report/{token}", LINK_HOLDER),
    ("post", "/report/{token}", LINK_HOLDER),
    ("get", "/opt-out/{token}", LINK_HOLDER),
    ("post", "/opt-out/{token}", LINK_HOLDER),
    // Data requests, after every row that needs the records: erasing the
    // bystander seller (the only one erased: the buyer routes get `{}`, which
    // names nobody) changes nothing above.
    ("get", "/api/v1/parties/bouncing", OPERATOR_ONLY),
    ("post", "/api/v1/buyers/erase", OPERATOR_ONLY),
    ("post", "/api/v1/buyers/export", OPERATOR_ONLY),
    ("get", "/api/v1/sellers/{id}/export", OPERATOR_ONLY),
    // Another seller's (the bystander's) figures: only theirs to read.
    (
        "get",
        "/api/v1/sellers/{id}/response-time",
        [Unauth, Served, NotFound, NotFound, Served],
    ),
    ("post", "/api/v1/sellers/{id}/erase", OPERATOR_ONLY),
    // Last: it ends the session it is sent with.
    ("post", "/logout", [SignIn, SignIn, Served, Served, Served]),
];

/// Who sends a request: a bearer token, a page session (cookie and the
/// session's CSRF token), or neither.
#[derive(Clone, Default)]
struct Caller {
    token: Option<String>,
    session: Option<(String, String)>,
}

/// The double-submit token the tests send on signed-out forms.
const SIGNED_OUT_CSRF: &str = "matrix-signed-out-csrf-token-0123456789abcd";
const BUYER_EMAIL: &str = "jane.buyer@mail.example";

/// The records a path's `{id}` or `{token}` stands for.
struct Records {
    conversation: String,
    message: String,
    consent: String,
    report: String,
    /// A seller and a staff member whose own tokens are not in the matrix,
    /// so rotating theirs changes nothing else.
    bystander_seller: String,
    bystander_staff: String,
    invitation: String,
    consent_link: String,
    report_link: String,
    opt_out_link: String,
}

impl Records {
    fn path(&self, pattern: &str) -> String {
        let token = |link: &str| link.rsplit('/').next().unwrap().to_owned();
        let id = if pattern.starts_with("/api/v1/sellers/")
            || pattern.starts_with("/console/sellers/")
        {
            self.bystander_seller.clone()
        } else if pattern.starts_with("/api/v1/staff/") {
            self.bystander_staff.clone()
        } else if pattern.contains("/messages/{id}") {
            self.message.clone()
        } else if pattern.starts_with("/api/v1/consents/") {
            self.consent.clone()
        } else if pattern.contains("/reports/{id}") {
            self.report.clone()
        } else if pattern.starts_with("/invite/") {
            token(&self.invitation)
        } else if pattern.starts_with("/consent/") {
            token(&self.consent_link)
        } else if pattern.starts_with("/report/") {
            token(&self.report_link)
        } else if pattern.starts_with("/opt-out/") {
            token(&self.opt_out_link)
        } else {
            self.conversation.clone()
        };
        pattern.replace("{id}", &id).replace("{token}", &id)
    }
}

/// A client that shows every answer as it is: no redirects followed, no
/// cookie jar (cookies are sent by hand).
fn client() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

/// The value of cookie `name` set by a response.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

fn csrf_of(page: &str) -> String {
    crate::web::csrf(page)
}

/// Sets a password through an invitation and returns the session cookie
/// and the session's CSRF token.
async fn session(app: &TestApp, kind: &str, id: &str, home: &str) -> (String, String) {
    let link = crate::web::invitation(app, kind, id).await;
    let http = client();
    let r = http.get(&link).send().await.unwrap();
    let csrf = set_cookie(&r, "mr_csrf").expect("a CSRF cookie");
    let password = "a long matrix password";
    let r = http
        .post(&link)
        .header("cookie", format!("mr_csrf={csrf}"))
        .form(&[
            ("password", password),
            ("password_confirm", password),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    let cookie = set_cookie(&r, "mr_session").expect("signed in");
    let page = http
        .get(app.url(home))
        .header("cookie", format!("mr_session={cookie}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (cookie, csrf_of(&page))
}

/// The body a route gets: valid enough that only who calls decides.
fn body_for(method: &str, pattern: &str, caller: &Caller) -> Option<Body> {
    if method != "post" && method != "put" {
        return None;
    }
    let csrf = caller
        .session
        .as_ref()
        .map(|(_, csrf)| csrf.clone())
        .unwrap_or_default();
    let form = |fields: &[(&str, &str)]| {
        let mut all: Vec<(String, String)> = vec![("csrf_token".into(), csrf.clone())];
        all.extend(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        Some(Body::Form(all))
    };
    let unique = uuid::Uuid::new_v4().simple().to_string();
    match pattern {
        "/api/v1/sellers" => Some(Body::Json(
            json!({ "name": "New Shop", "email": format!("{unique}@shop.example") }),
        )),
        "/api/v1/staff" => Some(Body::Json(
            json!({ "name": "New Staff", "email": format!("{unique}@marketplace.example") }),
        )),
        "/api/v1/conversations" => Some(Body::Json(json!({
            "seller_id": "00000000-0000-0000-0000-000000000000",
            "buyer": { "email": "someone@mail.example", "name": "Someone" },
        }))),
        "/api/v1/conversations/{id}/messages" => Some(Body::Json(json!({ "body": "Hello." }))),
        "/api/v1/conversations/{id}/consent-requests" => Some(Body::Json(
            json!({ "kind": "phone", "purpose": "customisation", "order_id": "ORD-1" }),
        )),
        "/api/v1/conversations/{id}/orders" => Some(Body::Json(json!({ "order_id": "ORD-2" }))),
        "/api/v1/conversations/{id}/orders/delivered" => {
            Some(Body::Json(json!({ "order_id": "ORD-2" })))
        }
        "/api/v1/messages/{id}/review" => Some(Body::Json(json!({ "decision": "release" }))),
        "/api/v1/sellers/{id}/allowed-domains" => {
            Some(Body::Json(json!({ "domains": ["manuals.acme.de"] })))
        }
        "/api/v1/policy/evaluate" => Some(Body::Json(
            json!({ "text": "hello", "direction": "buyer_to_seller" }),
        )),
        p if p.starts_with("/api/") => Some(Body::Json(json!({}))),
        "/login" => Some(Body::SignedOutForm(vec![
            ("email".into(), "nobody@mail.example".into()),
            ("password".into(), "not the password".into()),
        ])),
        "/invite/{token}" => Some(Body::SignedOutForm(vec![
            ("password".into(), "one long password".into()),
            ("password_confirm".into(), "another long password".into()),
        ])),
        "/inbox/{id}/preview.json" => Some(Body::Preview(csrf.clone())),
        "/inbox/{id}/reply" | "/inbox/{id}/preview" => form(&[("body", "Hello.")]),
        "/inbox/{id}/consent-request" => form(&[
            ("order_id", "ORD-3"),
            ("purpose", "technical_troubleshooting"),
        ]),
        "/console/messages/{id}/review" => form(&[("decision", "release")]),
        "/console/conversations/{id}/block" => form(&[("action", "block")]),
        "/console/conversations/{id}/seller" => form(&[("action", "reinstate")]),
        "/console/sellers/{id}/suspension" => form(&[("action", "reinstate")]),
        "/console/sellers/{id}/help-domains" => {
            form(&[("action", "remove"), ("domain", "manuals.example.de")])
        }
        "/console/reports/{id}/resolve" => form(&[("note", "checked")]),
        "/consent/{token}" => Some(Body::Form(vec![("email".into(), BUYER_EMAIL.into())])),
        "/report/{token}" => Some(Body::Form(vec![("reason".into(), "spam".into())])),
        "/opt-out/{token}" => Some(Body::Form(vec![("choice".into(), "stop".into())])),
        _ => form(&[]),
    }
}

enum Body {
    Json(Value),
    Form(Vec<(String, String)>),
    /// A signed-out form: the double-submit cookie and field.
    SignedOutForm(Vec<(String, String)>),
    /// The live preview: JSON with the session's CSRF token in a header.
    Preview(String),
}

async fn send(
    app: &TestApp,
    caller: &Caller,
    method: &str,
    path: &str,
    body: Option<Body>,
) -> Outcome {
    let mut request = client().request(
        method.to_uppercase().parse::<Method>().unwrap(),
        app.url(path),
    );
    if let Some(token) = &caller.token {
        request = request.bearer_auth(token);
    }
    let mut cookies = Vec::new();
    if let Some((session, _)) = &caller.session {
        cookies.push(format!("mr_session={session}"));
    }
    request = match body {
        None => request,
        Some(Body::Json(v)) => request.json(&v),
        Some(Body::Form(f)) => request.form(&f),
        Some(Body::SignedOutForm(mut f)) => {
            cookies.push(format!("mr_csrf={SIGNED_OUT_CSRF}"));
            f.push(("csrf_token".into(), SIGNED_OUT_CSRF.into()));
            request.form(&f)
        }
        Some(Body::Preview(csrf)) => request
            .header("x-csrf-token", csrf)
            .json(&json!({ "body": "Hello." })),
    };
    if !cookies.is_empty() {
        request = request.header("cookie", cookies.join("; "));
    }
    let r = request.send().await.unwrap();
    classify(r).await
}

async fn classify(r: reqwest::Response) -> Outcome {
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let signs_out = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap_or_default().contains("Max-Age=0"));
    let body = r.text().await.unwrap_or_default();
    if let Ok(json) = serde_json::from_str::<Value>(&body)
        && let Some(code) = json["error"]["code"].as_str()
    {
        return match code {
            "unauthorized" => Unauth,
            "forbidden" => Forbidden,
            "not_found" => NotFound,
            "csrf" => Csrf,
            _ => Served,
        };
    }
    match status {
        // Signing out also lands on the sign-in page, clearing the cookie.
        300..=399 if location == "/login" && !signs_out => SignIn,
        404 => NotFound,
        403 if body.contains("Form expired") => Csrf,
        _ => Served,
    }
}

/// Sets up one seller's conversation with a message, a consent, a report,
/// and the signed links of each kind.
async fn records(app: &TestApp, owner: &crate::helpers::Party) -> Records {
    let (status, body) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({ "seller_id": owner.id, "buyer": { "email": BUYER_EMAIL, "name": "Jane Buyer", "phone": "+491701234567" }, "order_id": "ORD-1" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let conversation = body["id"].as_str().unwrap().to_owned();
    // Each order takes two consent requests; the route table asks once more.
    let (status, _) = app
        .post(
            &format!("/api/v1/conversations/{conversation}/orders"),
            OPERATOR_TOKEN,
            json!({ "order_id": "ORD-3" }),
        )
        .await;
    assert_eq!(status, 201);
    let seller_alias = body["seller_alias"].as_str().unwrap().to_owned();
    let reply = app
        .send_mail(
            BUYER_EMAIL,
            &seller_alias,
            &buyer_mail(BUYER_EMAIL, &seller_alias, "Question", "Is it new?"),
        )
        .await;
    let message = reply.trim_start_matches("250 2.0.0 queued as ").to_owned();
    let consent_path = format!("/api/v1/conversations/{conversation}/consent-requests");
    let (_, consent) = app
        .post(
            &consent_path,
            &owner.token,
            json!({ "kind": "phone", "purpose": "delivery_scheduling", "order_id": "ORD-1" }),
        )
        .await;
    let (_, for_link) = app
        .post(
            &consent_path,
            &owner.token,
            json!({ "kind": "phone", "purpose": "installation", "order_id": "ORD-3" }),
        )
        .await;
    assert!(for_link["id"].is_string(), "{for_link}");
    let (status, _) = app
        .post(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &owner.token,
            json!({ "body": "It is new." }),
        )
        .await;
    assert_eq!(status, 202);
    app.deliver_all().await;
    let mut consent_link = String::new();
    let mut footer = String::new();
    for raw in app.delivered() {
        let text = parse_mail(&raw)
            .body_text(0)
            .unwrap_or_default()
            .into_owned();
        if text.contains("installation") && text.contains("/consent/") {
            consent_link = text
                .lines()
                .find(|l| l.contains("/consent/"))
                .unwrap()
                .trim()
                .to_owned();
        }
        if text.contains("It is new.") {
            footer = text;
        }
    }
    let link = |prefix: &str| {
        footer
            .split_whitespace()
            .find(|w| w.contains(prefix))
            .unwrap_or_else(|| panic!("no {prefix} link in {footer}"))
            .to_owned()
    };
    let (report_link, opt_out_link) = (link("/report/"), link("/opt-out/"));
    let r = client()
        .post(&report_link)
        .form(&[("reason", "scam")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let staff = app
        .create_staff("Reporter Reader", "reader@marketplace.example")
        .await;
    let (_, reports) = app.get("/api/v1/reports", &staff.token).await;
    let report = reports["reports"][0]["id"].as_str().unwrap().to_owned();
    let bystander_seller = app
        .create_seller("Bystander", "bystander@shop.example")
        .await
        .id;
    let bystander_staff = app
        .create_staff("Bystander", "bystander@marketplace.example")
        .await
        .id;
    // Its own seller: inviting the bystander again would cancel this link.
    let invitee = app
        .create_seller("Invitee", "invitee@shop.example")
        .await
        .id;
    let invitation = crate::web::invitation(app, "sellers", &invitee).await;
    Records {
        conversation,
        message,
        consent: consent["id"].as_str().unwrap().to_owned(),
        report,
        bystander_seller,
        bystander_staff,
        invitation,
        consent_link,
        report_link,
        opt_out_link,
    }
}

/// The methods a page path serves, found by asking: 405 means not served.
async fn served_methods(app: &TestApp, path: &str) -> Vec<&'static str> {
    let mut served = Vec::new();
    for method in ["get", "post", "put", "patch", "delete"] {
        let r = client()
            .request(
                method.to_uppercase().parse::<Method>().unwrap(),
                app.url(path),
            )
            .send()
            .await
            .unwrap();
        if r.status().as_u16() != 405 {
            served.push(method);
        }
    }
    served
}

async fn every_route_answers_every_role_as_the_table_says(backend: Backend) {
    let app = spawn_app(backend).await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let other = app
        .create_seller("Other Shop", "owner@othershop.example")
        .await;
    let staff = app
        .create_staff("Tess Safety", "tess@marketplace.example")
        .await;
    let records = records(&app, &seller).await;
    let callers = [
        Caller::default(),
        Caller {
            token: Some(OPERATOR_TOKEN.into()),
            session: None,
        },
        Caller {
            token: Some(seller.token.clone()),
            session: Some(session(&app, "sellers", &seller.id, "/inbox").await),
        },
        Caller {
            token: Some(other.token.clone()),
            session: Some(session(&app, "sellers", &other.id, "/inbox").await),
        },
        Caller {
            token: Some(staff.token.clone()),
            session: Some(session(&app, "staff", &staff.id, "/console").await),
        },
    ];

    // Every cell, row by row in the table's order (signing out last).
    let mut differences = Vec::new();
    for (method, pattern, expected) in TABLE {
        let path = records.path(pattern);
        for (i, caller) in callers.iter().enumerate() {
            let got = send(
                &app,
                caller,
                method,
                &path,
                body_for(method, pattern, caller),
            )
            .await;
            if got != expected[i] {
                differences.push(format!(
                    "{method} {pattern} as {}: expected {:?}, got {got:?}",
                    ROLES[i], expected[i]
                ));
            }
        }
    }

    // Every route there is has its row, and every row is a route.
    let mut routes = BTreeSet::new();
    let doc = serde_json::to_value(marketrelay::http::api::openapi::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.insert((method.clone(), path.clone()));
        }
    }
    for pattern in marketrelay::web::paths() {
        for method in served_methods(&app, &records.path(pattern)).await {
            routes.insert((method.to_owned(), pattern.to_owned()));
        }
    }
    let table: BTreeSet<(String, String)> = TABLE
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    for (method, path) in routes.difference(&table) {
        differences.push(format!(
            "{method} {path}: a route without a row in the table"
        ));
    }
    for (method, path) in table.difference(&routes) {
        differences.push(format!(
            "{method} {path}: a row for a route that does not exist"
        ));
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
