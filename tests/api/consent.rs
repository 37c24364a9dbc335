//! Consent-based phone disclosure end to end: the seller asks through the
//! API, the buyer answers through the signed links in the mail, and while
//! the grant holds the buyer's number reaches the seller unredacted.

use std::sync::Arc;

use marketrelay::domain::{ConsentActor, ConsentId};
use marketrelay::store::Store;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::helpers::{Backend, Convo, OPERATOR_TOKEN, TestApp, parse_mail, spawn_app};

const PHONE: &str = "+49 170 1234567";
const OTHER_PHONE: &str = "+44 7911 123456";
/// The order the test conversations are opened about.
pub(crate) const ORDER: &str = "ORD-1";

crate::on_both_backends!(
    granted_phone_reaches_the_seller_until_revoked,
    declined_request_shares_nothing,
    expired_grant_redacts_again_and_is_recorded,
    consent_pages_are_templates_that_escape_the_seller_name,
);

/// A conversation whose buyer has a phone number on record.
pub(crate) async fn conversation_with_phone(app: &TestApp) -> Convo {
    conversation_with_phone_from(app, "Gadget Shop", "owner@gadgetshop.example").await
}

/// The same with a seller of the given name and address.
pub(crate) async fn conversation_with_phone_from(app: &TestApp, name: &str, email: &str) -> Convo {
    let seller = app.create_seller(name, email).await;
    let (status, body) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({
                "seller_id": seller.id,
                "buyer": { "email": "jane.buyer@mail.example", "name": "Jane Buyer", "phone": PHONE },
                "order_id": ORDER,
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    Convo::from_api(&body, "jane.buyer@mail.example", &seller)
}

pub(crate) async fn request_phone(app: &TestApp, c: &Convo, body: Value) -> Value {
    let (status, consent) = app
        .post(
            &format!("/api/v1/conversations/{}/consent-requests", c.id),
            &c.seller.token,
            body,
        )
        .await;
    assert_eq!(status, 201, "{consent}");
    consent
}

/// The grant and decline links of the newest consent mail to the buyer.
async fn consent_links(app: &TestApp, c: &Convo) -> (String, String) {
    app.deliver_all().await;
    let mails = app.delivered();
    let mail = mails
        .iter()
        .rev()
        .map(|m| parse_mail(m))
        .find(|m| {
            m.subject()
                .unwrap_or_default()
                .contains("asks for your phone number")
        })
        .expect("a consent request mail");
    let to = mail.to().unwrap().first().unwrap().address().unwrap();
    assert_eq!(to, c.buyer_email);
    let from = mail.from().unwrap().first().unwrap().address().unwrap();
    assert_eq!(
        from, c.seller_alias,
        "the request comes from the seller's relay address"
    );
    let text = mail.body_text(0).unwrap().into_owned();
    assert!(!text.contains("owner@gadgetshop.example"));
    let links: Vec<String> = text
        .lines()
        .filter(|l| l.contains("/consent/"))
        .map(|l| l.trim().to_owned())
        .collect();
    assert_eq!(links.len(), 3, "grant, decline and revoke: {text}");
    assert!(links.iter().all(|l| l.starts_with(&app.http)), "{links:?}");
    (links[0].clone(), links[1].clone())
}

pub(crate) async fn get_page(app: &TestApp, url: &str) -> (u16, String) {
    let r = app.client.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Answers a consent page as the buyer it was sent to.
pub(crate) async fn post_page(app: &TestApp, url: &str) -> (u16, String) {
    let r = app
        .client
        .post(url)
        .form(&[("email", "jane.buyer@mail.example")])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

pub(crate) async fn consent_status(app: &TestApp, c: &Convo, id: &str) -> String {
    let (status, body) = app
        .get(
            &format!("/api/v1/conversations/{}/consents", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id)
        .expect("listed")["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// What the seller received of a buyer mail carrying both numbers.
pub(crate) struct SellerCopy {
    pub(crate) text: String,
    pub(crate) attachment: String,
}

/// No grant holds: the buyer's number is redacted in their mail (body and
/// attachment) and the seller cannot read it.
pub(crate) async fn number_is_withheld(app: &TestApp, c: &Convo) {
    let copy = buyer_writes_phone_numbers(app, c).await;
    for text in [&copy.text, &copy.attachment] {
        assert!(!text.contains("1234567"), "redacted: {text}");
    }
    let (status, body) = app
        .get(
            &format!("/api/v1/conversations/{}/contact", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(status, 403, "{body}");
}

/// Sends a buyer mail with both numbers in the body and in a text
/// attachment, and returns the seller's copy.
pub(crate) async fn buyer_writes_phone_numbers(app: &TestApp, c: &Convo) -> SellerCopy {
    let numbers = format!("Call me on {PHONE} or my neighbour on {OTHER_PHONE}.");
    let raw = format!(
        "From: Jane Buyer <{from}>\r\nTo: <{to}>\r\nSubject: Delivery\r\n\
         Message-ID: <orig-{n}@mail.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{numbers}\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Disposition: attachment; filename=\"contact.txt\"\r\n\r\n{numbers}\r\n\
         --b1--\r\n",
        from = c.buyer_email,
        to = c.seller_alias,
        n = uuid::Uuid::new_v4().simple(),
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(reply.starts_with("250"), "{reply}");
    app.deliver_all().await;
    let mails = app.delivered();
    let mail = parse_mail(mails.last().unwrap());
    assert_eq!(mail.subject(), Some("Delivery"));
    let attachment = mail
        .attachments()
        .next()
        .map(|a| String::from_utf8_lossy(a.contents()).into_owned())
        .expect("the attachment is relayed");
    SellerCopy {
        text: mail.body_text(0).unwrap().into_owned(),
        attachment,
    }
}

async fn audit_actions(store: &Arc<dyn Store>, id: &str) -> Vec<String> {
    store
        .audit()
        .audit_events(Some(id), 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// The `action` of the first form on a page: a relative link to the same kind of page.
pub(crate) fn form_target(page_url: &str, html: &str) -> String {
    let action = html
        .split("action=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a form");
    let base = page_url.rsplit_once('/').unwrap().0;
    format!("{base}/{action}")
}

async fn granted_phone_reaches_the_seller_until_revoked(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone(&app).await;

    let (status, body) = app
        .get(
            &format!("/api/v1/conversations/{}/contact", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "consent_required");

    let consent = request_phone(
        &app,
        &c,
        json!({ "kind": "phone", "purpose": "delivery_scheduling", "order_id": "ORD-1" }),
    )
    .await;
    let id = consent["id"].as_str().unwrap().to_owned();
    assert_eq!(consent["status"], "requested");
    assert_eq!(consent["valid_for_days"], 30);

    let (grant, _decline) = consent_links(&app, &c).await;
    // Opening the link (as a mail scanner would) only shows the question.
    let (status, page) = get_page(&app, &grant).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("scheduling the delivery"), "{page}");
    assert!(page.contains("<form method=\"post\""), "{page}");
    assert_eq!(consent_status(&app, &c, &id).await, "requested");

    let (status, page) = post_page(&app, &grant).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Stop sharing"), "{page}");
    let revoke = form_target(&grant, &page);
    assert_eq!(consent_status(&app, &c, &id).await, "granted");
    let (status, _) = post_page(&app, &grant).await;
    assert_eq!(status, 409, "a link answers once");

    let (status, body) = app
        .get(
            &format!("/api/v1/conversations/{}/contact", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["phone"], "+491701234567");
    assert_eq!(body["purpose"], "delivery_scheduling");

    let copy = buyer_writes_phone_numbers(&app, &c).await;
    for text in [&copy.text, &copy.attachment] {
        assert!(text.contains(PHONE), "the consented number passes: {text}");
        assert!(
            !text.contains("7911"),
            "another number stays redacted: {text}"
        );
    }

    // The buyer revokes from the link on the confirmation page.
    let (status, page) = get_page(&app, &revoke).await;
    assert_eq!(status, 200, "{page}");
    let (status, page) = post_page(&app, &revoke).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(consent_status(&app, &c, &id).await, "revoked");

    number_is_withheld(&app, &c).await;

    assert_eq!(
        audit_actions(&app.store, &id).await,
        ["consent.requested", "consent.granted", "consent.revoked"]
    );
    let events = app.store.audit().audit_events(Some(&id), 10).await.unwrap();
    assert_eq!(events[1].actor_kind, "buyer");
    assert!(
        events
            .iter()
            .all(|e| !e.details.to_string().contains("1234567")),
        "audit details never carry the number"
    );
}

async fn declined_request_shares_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone(&app).await;
    let consent = request_phone(
        &app,
        &c,
        json!({ "kind": "phone", "purpose": "installation", "expires_in_days": 7, "order_id": "ORD-1" }),
    )
    .await;
    let id = consent["id"].as_str().unwrap().to_owned();
    let (grant, decline) = consent_links(&app, &c).await;
    let (status, page) = get_page(&app, &decline).await;
    assert_eq!(status, 200);
    assert!(page.contains("Decline"), "{page}");
    let (status, _) = post_page(&app, &decline).await;
    assert_eq!(status, 200);
    assert_eq!(consent_status(&app, &c, &id).await, "declined");
    let (status, _) = post_page(&app, &grant).await;
    assert_eq!(
        status, 409,
        "a declined request cannot be granted afterwards"
    );

    let copy = buyer_writes_phone_numbers(&app, &c).await;
    for text in [&copy.text, &copy.attachment] {
        assert!(!text.contains("1234567"), "{text}");
    }
    assert_eq!(
        audit_actions(&app.store, &id).await,
        ["consent.requested", "consent.declined"]
    );
}

async fn expired_grant_redacts_again_and_is_recorded(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone(&app).await;
    let consent = request_phone(
        &app,
        &c,
        json!({ "kind": "phone", "purpose": "customisation", "expires_in_days": 1, "order_id": "ORD-1" }),
    )
    .await;
    let id: ConsentId = consent["id"].as_str().unwrap().parse().unwrap();
    // Granted two days ago for one day: it ended yesterday.
    let two_days_ago = OffsetDateTime::now_utc() - Duration::days(2);
    app.store
        .consents()
        .answer_consent(id, true, ConsentActor::Buyer, two_days_ago)
        .await
        .unwrap();
    assert_eq!(consent_status(&app, &c, &id.to_string()).await, "expired");

    number_is_withheld(&app, &c).await;

    assert_eq!(app.outbound.sweep_consents().await.unwrap(), 1);
    assert_eq!(
        audit_actions(&app.store, &id.to_string()).await,
        ["consent.requested", "consent.granted", "consent.expired"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_sellers_and_tampered_links_get_nothing() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = conversation_with_phone(&app).await;
    let other = app
        .create_seller("Other Shop", "owner@othershop.example")
        .await;
    let consent = request_phone(
        &app,
        &c,
        json!({ "kind": "phone", "purpose": "installation", "order_id": "ORD-1" }),
    )
    .await;
    let id = consent["id"].as_str().unwrap();

    for path in [
        format!("/api/v1/conversations/{}/consents", c.id),
        format!("/api/v1/conversations/{}/contact", c.id),
    ] {
        let (status, body) = app.get(&path, &other.token).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let (status, _) = app
        .post(
            &format!("/api/v1/conversations/{}/consent-requests", c.id),
            &other.token,
            json!({ "kind": "phone", "purpose": "installation", "order_id": "ORD-1" }),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .post(
            &format!("/api/v1/consents/{id}/revoke"),
            &other.token,
            json!({}),
        )
        .await;
    assert_eq!(status, 404);

    let (grant, decline) = consent_links(&app, &c).await;
    let (last, rest) = grant.split_at(grant.len() - 1);
    let flipped = format!("{last}{}", if rest == "A" { "B" } else { "A" });
    let as_grant = decline.replacen(".decline.", ".grant.", 1);
    for bad in [flipped, as_grant, format!("{}/consent/nonsense", app.http)] {
        let (status, _) = get_page(&app, &bad).await;
        assert_eq!(status, 400, "{bad}");
        let (status, _) = post_page(&app, &bad).await;
        assert_eq!(status, 400, "{bad}");
    }
    // A grant link is not a revoke token.
    let token = grant.rsplit('/').next().unwrap();
    let r = app
        .client
        .post(app.url(&format!("/api/v1/consents/{id}/revoke")))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(consent_status(&app, &c, id).await, "requested");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_validated_and_staff_and_operator_may_act() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = conversation_with_phone(&app).await;
    let path = format!("/api/v1/conversations/{}/consent-requests", c.id);
    for (body, code) in [
        (
            json!({ "kind": "email", "purpose": "installation", "order_id": "ORD-1" }),
            "invalid_kind",
        ),
        (
            json!({ "kind": "phone", "purpose": "marketing", "order_id": "ORD-1" }),
            "invalid_purpose",
        ),
        (
            json!({ "kind": "phone", "purpose": "installation", "expires_in_days": 0, "order_id": "ORD-1" }),
            "invalid_expires_in_days",
        ),
    ] {
        let (status, answer) = app.post(&path, &c.seller.token, body).await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["error"]["code"], code);
    }
    let (status, answer) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({ "seller_id": c.seller.id, "buyer": { "email": "x@mail.example", "name": "X", "phone": "0170 1234567" } }),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["code"], "invalid_phone");

    let consent = request_phone(
        &app,
        &c,
        json!({ "kind": "phone", "purpose": "installation", "order_id": "ORD-1" }),
    )
    .await;
    let id = consent["id"].as_str().unwrap();
    let (status, answer) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "kind": "phone", "purpose": "installation", "order_id": "ORD-1" }),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(answer["error"]["code"], "consent_open");

    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (status, body) = app
        .get(
            &format!("/api/v1/conversations/{}/consents", c.id),
            &staff.token,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["consents"].as_array().unwrap().len(), 1);

    // The operator withdraws the request on the buyer's behalf.
    let (status, body) = app
        .post(
            &format!("/api/v1/consents/{id}/revoke"),
            OPERATOR_TOKEN,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "revoked");
    let (status, body) = app
        .post(
            &format!("/api/v1/consents/{id}/revoke"),
            &staff.token,
            json!({}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let events = app.store.audit().audit_events(Some(id), 10).await.unwrap();
    assert_eq!(events.last().unwrap().actor_kind, "operator");
}

#[tokio::test]
async fn a_seller_asking_for_a_phone_number_in_free_text_is_held_and_told_how_to_ask() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    let c = app.conversation().await;
    for text in [
        "Hi! Please send me your phone number so the courier can call you.",
        "Gib mir bitte deine Handynummer.",
    ] {
        let (status, m) = app
            .post(
                &format!("/api/v1/conversations/{}/messages", c.id),
                &c.seller.token,
                serde_json::json!({ "body": text }),
            )
            .await;
        assert_eq!(status, 202, "{m}");
        assert_eq!(
            (m["action"].as_str(), m["status"].as_str()),
            (Some("hold"), Some("held")),
            "{text}: {m}"
        );
        let notice = m["notice"].as_str().unwrap_or_default();
        assert!(
            notice.contains(&format!("/api/v1/conversations/{}/consent-requests", c.id)),
            "{text}: {m}"
        );
    }
    // An ordinary reply gets no notice.
    let (_, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            serde_json::json!({ "body": "It ships tomorrow." }),
        )
        .await;
    assert!(m["notice"].is_null(), "{m}");
}

/// The consent pages are rendered like every other page: the seller's name
/// escaped, the site's stylesheet and its strict policy (no inline style).
async fn consent_pages_are_templates_that_escape_the_seller_name(backend: Backend) {
    let app = spawn_app(backend).await;
    let c =
        conversation_with_phone_from(&app, "Tom & <i>Jerry</i> Tools", "tom@tools.example").await;
    request_phone(
        &app,
        &c,
        json!({ "kind": "phone", "purpose": "delivery_scheduling", "order_id": "ORD-1" }),
    )
    .await;
    let (grant, _) = consent_links(&app, &c).await;
    let response = app.client.get(&grant).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("style-src 'self'"), "{csp}");
    let page = response.text().await.unwrap();
    // Markup is dropped from display names; what is left is escaped.
    assert!(
        page.contains("<strong>Tom &#38; iJerry/i Tools</strong>"),
        "{page}"
    );
    assert!(!page.contains("<i>Jerry"), "{page}");
    assert!(page.contains("/static/marketrelay.css"), "{page}");
    assert!(
        page.contains("name=\"email\""),
        "a grant asks who answers: {page}"
    );
}
