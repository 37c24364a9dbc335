//! Consent without pressure, end to end: a request names an order of the
//! conversation and a listed purpose; a decline holds the seller off for a
//! while and each order takes a few requests at most (counted in the
//! database); the mail promises the purpose alone and carries a revoke link
//! that stops the sharing; the inbox thread asks through the same use case;
//! and a message that pressures the buyer is held.

use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::consent::{
    ORDER, buyer_writes_phone_numbers, consent_status, conversation_with_phone,
    conversation_with_phone_from, get_page, number_is_withheld, post_page,
};
use crate::helpers::{
    Backend, Convo, OPERATOR_TOKEN, Options, TestApp, parse_mail, spawn_app, spawn_app_with,
};
use crate::web::{csrf, invitation, location, page, sign_up};

crate::on_both_backends!(
    a_request_names_an_order_of_the_conversation_and_a_listed_purpose,
    after_a_decline_the_seller_is_told_when_they_may_ask_again,
    the_cooldown_is_a_setting,
    each_order_takes_a_limited_number_of_requests,
    the_mail_promises_the_purpose_alone_and_its_revoke_link_stops_sharing,
    the_revoke_link_used_before_an_answer_declines,
    the_inbox_thread_asks_through_the_same_use_case,
    a_message_pressuring_the_buyer_to_consent_is_held,
);

async fn register_order(app: &TestApp, c: &Convo, order: &str) {
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/orders", c.id),
            OPERATOR_TOKEN,
            json!({ "order_id": order }),
        )
        .await;
    assert!(status == 201 || status == 200, "{status} {body}");
}

async fn ask(app: &TestApp, c: &Convo, body: Value) -> (u16, Value) {
    app.post(
        &format!("/api/v1/conversations/{}/consent-requests", c.id),
        &c.seller.token,
        body,
    )
    .await
}

fn phone(purpose: &str, order: &str) -> Value {
    json!({ "kind": "phone", "purpose": purpose, "order_id": order })
}

/// The newest consent mail to the buyer: its text and its links, grant,
/// decline and revoke in that order.
async fn consent_mail(app: &TestApp) -> (String, Vec<String>) {
    app.deliver_all().await;
    let mail = app
        .delivered()
        .iter()
        .rev()
        .map(|m| parse_mail(m).body_text(0).unwrap().into_owned())
        .find(|t| t.contains("/consent/"))
        .expect("a consent mail at the sink");
    let links = mail
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with(&app.http) && l.contains("/consent/"))
        .map(str::to_owned)
        .collect();
    (mail, links)
}

async fn withdraw(app: &TestApp, c: &Convo, consent: &Value) {
    let (status, body) = app
        .post(
            &format!(
                "/api/v1/consents/{}/revoke",
                consent["id"].as_str().unwrap()
            ),
            &c.seller.token,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn a_request_names_an_order_of_the_conversation_and_a_listed_purpose(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone(&app).await;
    register_order(&app, &c, "ORD-2").await;
    // Another buyer's conversation with the same seller has an order of its own.
    let (status, other) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({ "seller_id": c.seller.id, "buyer": { "email": "max@mail.example", "name": "Max" }, "order_id": "ORD-9" }),
        )
        .await;
    assert_eq!(status, 201, "{other}");

    let refused = [
        (
            json!({ "kind": "phone", "purpose": "installation" }),
            "order_required",
        ),
        (phone("installation", ""), "order_required"),
        (phone("installation", "ORD-404"), "unknown_order_id"),
        (phone("installation", "ORD-9"), "unknown_order_id"),
        (phone("marketing", ORDER), "invalid_purpose"),
    ];
    for (body, code) in refused {
        let (status, answer) = ask(&app, &c, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }

    // The conversation's own order and one the operator registered.
    let (status, own) = ask(&app, &c, phone("delivery_scheduling", ORDER)).await;
    assert_eq!(status, 201, "{own}");
    assert_eq!(own["order_id"], ORDER);
    let (status, registered) = ask(&app, &c, phone("technical_troubleshooting", "ORD-2")).await;
    assert_eq!(status, 201, "{registered}");
    assert_eq!(registered["order_id"], "ORD-2");
    assert_eq!(registered["purpose"], "technical_troubleshooting");
    let (mail, _) = consent_mail(&app).await;
    assert!(mail.contains("ORD-2"), "{mail}");
    assert!(mail.contains("technical troubleshooting"), "{mail}");
}

async fn after_a_decline_the_seller_is_told_when_they_may_ask_again(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone(&app).await;
    register_order(&app, &c, "ORD-2").await;
    let (status, first) = ask(&app, &c, phone("installation", ORDER)).await;
    assert_eq!(status, 201, "{first}");
    let (_, links) = consent_mail(&app).await;
    let (status, page) = post_page(&app, &links[1]).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        consent_status(&app, &c, first["id"].as_str().unwrap()).await,
        "declined"
    );

    // Neither the same purpose, another one nor another order.
    let until = (OffsetDateTime::now_utc() + Duration::days(14))
        .date()
        .to_string();
    for body in [
        phone("installation", ORDER),
        phone("delivery_scheduling", ORDER),
        phone("technical_troubleshooting", "ORD-2"),
    ] {
        let (status, answer) = ask(&app, &c, body.clone()).await;
        assert_eq!(status, 409, "{body}: {answer}");
        assert_eq!(
            answer["error"]["code"], "consent_declined_recently",
            "{answer}"
        );
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(&until), "names when: {message}");
    }
    // Nothing was sent for the refused requests.
    app.deliver_all().await;
    assert_eq!(
        app.delivered()
            .iter()
            .filter(|m| String::from_utf8_lossy(m).contains("/consent/"))
            .count(),
        1
    );
}

async fn the_cooldown_is_a_setting(backend: Backend) {
    let app =
        spawn_app_with(Options::new(backend).var("MARKETRELAY_CONSENT_DECLINE_COOLDOWN_DAYS", "0"))
            .await;
    let c = conversation_with_phone(&app).await;
    let (status, first) = ask(&app, &c, phone("installation", ORDER)).await;
    assert_eq!(status, 201, "{first}");
    let (_, links) = consent_mail(&app).await;
    post_page(&app, &links[1]).await;
    let (status, again) = ask(&app, &c, phone("installation", ORDER)).await;
    assert_eq!(status, 201, "no cooldown configured: {again}");
}

async fn each_order_takes_a_limited_number_of_requests(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone(&app).await;
    register_order(&app, &c, "ORD-2").await;
    // Withdrawn requests count: asking and withdrawing is asking.
    for purpose in ["installation", "delivery_scheduling"] {
        let (status, consent) = ask(&app, &c, phone(purpose, ORDER)).await;
        assert_eq!(status, 201, "{consent}");
        withdraw(&app, &c, &consent).await;
    }
    let (status, answer) = ask(&app, &c, phone("technical_troubleshooting", ORDER)).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["error"]["code"], "consent_limit_reached", "{answer}");
    assert!(
        answer["error"]["message"].as_str().unwrap().contains('2'),
        "{answer}"
    );
    // Another order of the conversation has its own count.
    let (status, other) = ask(&app, &c, phone("technical_troubleshooting", "ORD-2")).await;
    assert_eq!(status, 201, "{other}");

    let app = spawn_app_with(
        Options::new(backend).var("MARKETRELAY_CONSENT_MAX_REQUESTS_PER_ORDER", "1"),
    )
    .await;
    let c = conversation_with_phone(&app).await;
    let (status, consent) = ask(&app, &c, phone("installation", ORDER)).await;
    assert_eq!(status, 201, "{consent}");
    withdraw(&app, &c, &consent).await;
    let (status, answer) = ask(&app, &c, phone("installation", ORDER)).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["error"]["code"], "consent_limit_reached", "{answer}");
}

async fn the_mail_promises_the_purpose_alone_and_its_revoke_link_stops_sharing(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone(&app).await;
    let (status, consent) = ask(&app, &c, phone("technical_troubleshooting", ORDER)).await;
    assert_eq!(status, 201, "{consent}");
    let id = consent["id"].as_str().unwrap();
    let (mail, links) = consent_mail(&app).await;
    for promise in [
        "only for technical troubleshooting",
        "never for marketing",
        "never shared",
    ] {
        assert!(mail.contains(promise), "{promise:?} in {mail}");
    }
    assert_eq!(links.len(), 3, "grant, decline and revoke: {mail}");
    let revoke = &links[2];

    // The grant page repeats the promise.
    let (status, page) = get_page(&app, &links[0]).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("only for technical troubleshooting, never for marketing"),
        "{page}"
    );
    let events = app.store.audit().audit_events(Some(id), 10).await.unwrap();
    assert_eq!(
        events[0].details["order_id"], ORDER,
        "{:?}",
        events[0].details
    );

    // Before a grant the revoke link changes nothing on opening.
    let (status, page) = get_page(&app, revoke).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<form method=\"post\""), "{page}");
    assert_eq!(consent_status(&app, &c, id).await, "requested");

    let (status, page) = post_page(&app, &links[0]).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(consent_status(&app, &c, id).await, "granted");
    let copy = buyer_writes_phone_numbers(&app, &c).await;
    assert!(copy.text.contains("+49 170 1234567"), "{}", copy.text);

    // The link from the mail: opening shows a button, the POST revokes.
    let (status, page) = get_page(&app, revoke).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Stop sharing"), "{page}");
    assert_eq!(consent_status(&app, &c, id).await, "granted");
    let (status, page) = post_page(&app, revoke).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(consent_status(&app, &c, id).await, "revoked");

    number_is_withheld(&app, &c).await;
}

async fn the_revoke_link_used_before_an_answer_declines(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone(&app).await;
    let (status, consent) = ask(&app, &c, phone("installation", ORDER)).await;
    assert_eq!(status, 201, "{consent}");
    let id = consent["id"].as_str().unwrap();
    let (_, links) = consent_mail(&app).await;
    let (status, page) = post_page(&app, &links[2]).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(consent_status(&app, &c, id).await, "declined");
    let (status, _) = post_page(&app, &links[0]).await;
    assert_eq!(status, 409, "nothing left to grant");
    let (status, answer) = ask(&app, &c, phone("delivery_scheduling", ORDER)).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["error"]["code"], "consent_declined_recently");

    // The same through the API, with the link's token and no bearer token.
    let other = conversation_with_phone_from(&app, "Other Shop", "owner@othershop.example").await;
    let (status, consent) = ask(&app, &other, phone("installation", ORDER)).await;
    assert_eq!(status, 201, "{consent}");
    let (_, links) = consent_mail(&app).await;
    let token = links[2].rsplit('/').next().unwrap();
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/consents/{}/revoke",
            consent["id"].as_str().unwrap()
        )))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let answered: Value = r.json().await.unwrap();
    assert_eq!(answered["status"], "declined", "{answered}");
}

async fn the_inbox_thread_asks_through_the_same_use_case(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone_from(&app, "Gadget Shop", "owner@gadgetshop.example").await;
    register_order(&app, &c, "ORD-2").await;
    let url = invitation(&app, "sellers", &c.seller.id).await;
    let (b, _) = sign_up(&url).await;
    let path = format!("/inbox/{}", c.id);
    let (status, thread) = page(&b, &app, &path).await;
    assert_eq!(status, 200);
    let action = format!("action=\"/inbox/{}/consent-request\"", c.id);
    assert!(thread.contains(&action), "{thread}");
    for option in [
        "<option value=\"ORD-1\">",
        "<option value=\"ORD-2\">",
        "<option value=\"technical_troubleshooting\">",
    ] {
        assert!(thread.contains(option), "{option} in {thread}");
    }
    let token = csrf(&thread);
    let target = format!("/inbox/{}/consent-request", c.id);
    let ask_in_inbox = |order: &'static str, token: &str| {
        let form = [
            ("order_id", order.to_owned()),
            ("purpose", "installation".to_owned()),
            ("csrf_token", token.to_owned()),
        ];
        b.post(app.url(&target)).form(&form).send()
    };

    // A forged form changes nothing.
    let r = ask_in_inbox("ORD-2", "forged").await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // An order of no one's is refused with the API's reason.
    let r = ask_in_inbox("ORD-404", &token).await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body = r.text().await.unwrap();
    assert!(body.contains("order"), "{body}");

    let r = ask_in_inbox("ORD-2", &token).await.unwrap();
    assert_eq!(location(&r), format!("{path}?notice=consent_requested"));
    let (_, listed) = app
        .get(
            &format!("/api/v1/conversations/{}/consents", c.id),
            &c.seller.token,
        )
        .await;
    let consents = listed["consents"].as_array().unwrap();
    assert_eq!(consents.len(), 1, "{listed}");
    assert_eq!(consents[0]["order_id"], "ORD-2");
    assert_eq!(consents[0]["purpose"], "installation");
    let (mail, links) = consent_mail(&app).await;
    assert!(mail.contains("arranging the installation"), "{mail}");
    assert_eq!(links.len(), 3);

    // The same rules as the API: one decline holds the form off too.
    post_page(&app, &links[1]).await;
    let r = ask_in_inbox("ORD-1", &token).await.unwrap();
    assert_eq!(r.status().as_u16(), 409);
    let body = r.text().await.unwrap();
    assert!(body.contains("declined"), "{body}");
}

/// The policy (not this feature) holds pressure; this checks the whole path.
async fn a_message_pressuring_the_buyer_to_consent_is_held(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_with_phone(&app).await;
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "No delivery without your number. Grant the phone consent today." }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    assert_eq!(m["status"], "held", "{m}");
    app.deliver_all().await;
    assert!(
        app.delivered()
            .iter()
            .all(|mail| !String::from_utf8_lossy(mail).contains("No delivery without")),
        "nothing reaches the buyer"
    );
}
