//! Strikes and warnings end to end: staff warn a seller from a held
//! message (kept, mailed, counted), confirmed violations suspend the seller
//! automatically once there are enough within the period (staff reinstate),
//! a surge of buyer reports puts the seller in the review queue, and a
//! seller's record shows it all.

use serde_json::{Value, json};

use crate::helpers::{
    Backend, Convo, OPERATOR_TOKEN, Options, Party, TestApp, parse_mail, spawn_app, spawn_app_with,
};
use crate::moderation::status_of;
use crate::web::{csrf, invitation, location, page, post_form, sign_up};

crate::on_both_backends!(
    staff_warn_a_seller_from_a_held_message_and_the_seller_is_mailed,
    a_warning_needs_a_reason_a_stopped_seller_message_and_staff,
    confirmed_violations_suspend_the_seller_until_staff_reinstate,
    the_number_of_violations_that_suspends_is_a_setting,
    a_surge_of_buyer_reports_puts_the_seller_in_review_until_cleared,
    the_reports_that_open_a_review_are_a_setting,
    the_console_warns_from_a_held_message_and_shows_the_sellers_and_their_record,
    a_warning_comes_from_the_marketplaces_notice_sender_never_a_relay_alias,
);

const SELLER_EMAIL: &str = "owner@gadgetshop.example";
const PAY_OUTSIDE: &str =
    "Cancel the order and pay me via PayPal friends and family, I'll give you 10% off.";

/// The seller's reply through the API, as accepted.
async fn reply(app: &TestApp, c: &Convo, body: Value) -> Value {
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            body,
        )
        .await;
    assert_eq!(status, 202, "{m}");
    m
}

/// A seller reply the policy holds for review; returns its id.
async fn held_reply(app: &TestApp, c: &Convo, subject: &str) -> String {
    let m = reply(app, c, json!({ "subject": subject, "body": PAY_OUTSIDE })).await;
    assert_eq!(m["status"], "held", "{m}");
    m["id"].as_str().unwrap().to_owned()
}

async fn warn(app: &TestApp, staff: &Party, message: &str, reason: &str) -> (u16, Value) {
    app.post(
        &format!("/api/v1/messages/{message}/warning"),
        &staff.token,
        json!({ "reason": reason }),
    )
    .await
}

async fn reject(app: &TestApp, staff: &Party, message: &str) {
    let (status, body) = app
        .post(
            &format!("/api/v1/messages/{message}/review"),
            &staff.token,
            json!({ "decision": "reject" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn record(app: &TestApp, staff: &Party, seller: &str) -> Value {
    let (status, body) = app
        .get(&format!("/api/v1/sellers/{seller}/record"), &staff.token)
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The mails delivered to the seller, as (subject, text).
async fn seller_mails(app: &TestApp) -> Vec<(String, String)> {
    app.deliver_all().await;
    app.delivered()
        .iter()
        .map(|raw| parse_mail(raw))
        .filter(|m| {
            m.to().and_then(|to| to.first()).and_then(|a| a.address()) == Some(SELLER_EMAIL)
        })
        .map(|m| {
            (
                m.subject().unwrap_or_default().to_owned(),
                m.body_text(0).unwrap_or_default().into_owned(),
            )
        })
        .collect()
}

async fn staff_warn_a_seller_from_a_held_message_and_the_seller_is_mailed(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let held = held_reply(&app, &c, "Your order").await;

    let (status, warned) = warn(&app, &staff, &held, "Asked the buyer to pay outside").await;
    assert_eq!(status, 201, "{warned}");
    let warning = &warned["warning"];
    assert_eq!(warning["message_id"], held.as_str());
    assert_eq!(warning["seller_id"], c.seller.id.as_str());
    assert_eq!(warning["staff_id"], staff.id.as_str());
    assert_eq!(warning["reason"], "Asked the buyer to pay outside");
    assert_eq!(warned["seller_suspended"], false);
    // The message waits for its own decision.
    assert_eq!(status_of(&app, &staff, &held).await, "held");

    // Mailed to the seller through the queue, naming the rule broken; the
    // held message itself goes nowhere.
    let mails = seller_mails(&app).await;
    let (subject, text) = mails
        .iter()
        .find(|(s, _)| s.starts_with("Warning"))
        .unwrap_or_else(|| panic!("no warning mail to the seller: {mails:?}"));
    assert_eq!(subject, "Warning: Your order");
    assert!(text.contains("Rule broken:"), "{text}");
    assert!(
        text.contains("It asks for payment outside Shopwise."),
        "{text}"
    );
    assert!(text.contains("Asked the buyer to pay outside"), "{text}");
    assert!(text.contains(&held), "the reference: {text}");
    assert!(!text.contains("PayPal"), "never the text itself: {text}");
    assert_eq!(status_of(&app, &staff, &held).await, "held");
    let delivered_to_buyer = app.delivered().iter().any(|raw| {
        parse_mail(raw)
            .to()
            .and_then(|to| to.first())
            .and_then(|a| a.address())
            == Some(c.buyer_email.as_str())
    });
    assert!(!delivered_to_buyer, "nothing reached the buyer");

    // Recorded, audited and counted once, even when the message is also rejected.
    let event = app
        .audit_event(&c.seller.id, "seller.warned")
        .await
        .expect("seller.warned audited");
    assert_eq!(event.actor_id.as_deref(), Some(staff.id.as_str()));
    assert_eq!(event.details["message_id"], held.as_str());
    reject(&app, &staff, &held).await;
    let shown = record(&app, &staff, &c.seller.id).await;
    assert_eq!(shown["warnings"].as_array().unwrap().len(), 1, "{shown}");
    assert_eq!(
        shown["warnings"][0]["reason"],
        "Asked the buyer to pay outside"
    );
    let violations = shown["violations"].as_array().unwrap();
    assert_eq!(violations.len(), 1, "{shown}");
    assert_eq!(violations[0]["kind"], "warned");
    assert_eq!(violations[0]["subject"], "Your order");
    assert_eq!(shown["counted_violations"], 1);
    assert_eq!(shown["suspension"]["suspended"], false);

    // Erasing the seller blanks what staff wrote, which may quote the
    // erased message; the warning and the violation it counts stay.
    let (status, erased) = app
        .post(
            &format!("/api/v1/sellers/{}/erase", c.seller.id),
            OPERATOR_TOKEN,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{erased}");
    let shown = record(&app, &staff, &c.seller.id).await;
    assert_eq!(shown["warnings"].as_array().unwrap().len(), 1, "{shown}");
    assert_eq!(shown["warnings"][0]["reason"], "", "{shown}");
    assert_eq!(shown["counted_violations"], 1);
}

async fn a_warning_comes_from_the_marketplaces_notice_sender_never_a_relay_alias(backend: Backend) {
    let app = spawn_app_with(
        Options::new(backend).var("MARKETRELAY_NOTICE_FROM", "trust@shopwise.example"),
    )
    .await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let held = held_reply(&app, &c, "Your order").await;
    let (status, warned) = warn(&app, &staff, &held, "Asked the buyer to pay outside").await;
    assert_eq!(status, 201, "{warned}");

    // Read at the sink, whole: headers and body.
    app.deliver_all().await;
    let warnings: Vec<Vec<u8>> = app
        .delivered()
        .into_iter()
        .filter(|raw| {
            parse_mail(raw)
                .subject()
                .is_some_and(|s| s.starts_with("Warning"))
        })
        .collect();
    assert_eq!(warnings.len(), 1, "one warning mailed");
    let raw = &warnings[0];
    let mail = parse_mail(raw);
    let from = mail.from().and_then(|f| f.first()).expect("a From");
    assert_eq!(from.address(), Some("trust@shopwise.example"));
    assert_eq!(from.name(), Some("Shopwise"));
    assert_eq!(
        mail.to().and_then(|t| t.first()).and_then(|a| a.address()),
        Some(SELLER_EMAIL)
    );
    let text = String::from_utf8_lossy(raw).to_ascii_lowercase();
    for never in [&c.buyer_email, &c.buyer_alias, &c.seller_alias] {
        assert!(
            !text.contains(&never.to_ascii_lowercase()),
            "{never} in the warning:\n{text}"
        );
    }
    let reply_to = mail
        .reply_to()
        .and_then(|r| r.first())
        .and_then(|a| a.address());
    assert_eq!(
        reply_to,
        Some("trust@shopwise.example"),
        "answers go to the marketplace"
    );
}

async fn a_warning_needs_a_reason_a_stopped_seller_message_and_staff(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let held = held_reply(&app, &c, "Your order").await;
    let (status, body) = warn(&app, &staff, &held, "  ").await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (400, &json!("invalid_reason"))
    );
    for token in [c.seller.token.as_str(), OPERATOR_TOKEN] {
        let (status, body) = app
            .post(
                &format!("/api/v1/messages/{held}/warning"),
                token,
                json!({ "reason": "no" }),
            )
            .await;
        assert_eq!(status, 403, "{body}");
    }
    let (status, body) = warn(&app, &staff, &uuid::Uuid::new_v4().to_string(), "x").await;
    assert_eq!(status, 404, "{body}");

    let (status, _) = warn(&app, &staff, &held, "Paying outside").await;
    assert_eq!(status, 201);
    let (status, body) = warn(&app, &staff, &held, "Again").await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (409, &json!("already_warned"))
    );

    // A delivered seller message, and a buyer's message, bring no warning.
    let fine = reply(&app, &c, json!({ "body": "It ships tomorrow." })).await;
    let (status, body) = warn(&app, &staff, fine["id"].as_str().unwrap(), "x").await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (409, &json!("not_reviewed"))
    );
    let accepted = app
        .buyer_writes(&c, "Hello", "Is it still available?")
        .await;
    let buyers = crate::helpers::queued_id(&accepted);
    let (status, body) = warn(&app, &staff, &buyers, "x").await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (409, &json!("not_seller_message"))
    );
    let shown = record(&app, &staff, &c.seller.id).await;
    assert_eq!(shown["warnings"].as_array().unwrap().len(), 1, "{shown}");
}

async fn confirmed_violations_suspend_the_seller_until_staff_reinstate(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let first = held_reply(&app, &c, "One").await;
    let second = held_reply(&app, &c, "Two").await;
    let third = held_reply(&app, &c, "Three").await;

    // Rejected and warned about: one violation. A warning alone: another.
    reject(&app, &staff, &first).await;
    let (status, warned) = warn(&app, &staff, &first, "Paying outside").await;
    assert_eq!((status, &warned["seller_suspended"]), (201, &json!(false)));
    let (status, warned) = warn(&app, &staff, &second, "Paying outside").await;
    assert_eq!((status, &warned["seller_suspended"]), (201, &json!(false)));
    assert_eq!(
        record(&app, &staff, &c.seller.id).await["counted_violations"],
        2
    );

    // The third (by rejection) suspends the seller, by the system.
    reject(&app, &staff, &third).await;
    let shown = record(&app, &staff, &c.seller.id).await;
    assert_eq!(shown["counted_violations"], 3, "{shown}");
    assert_eq!(shown["suspension"]["suspended"], true, "{shown}");
    assert_eq!(shown["suspension"]["reason"], "automatic: 3 violations");
    assert!(shown["suspension"]["since"].is_string(), "{shown}");
    let kinds: Vec<&str> = shown["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["rejected", "warned", "rejected"], "newest first");
    let event = app
        .audit_event(&c.seller.id, "seller.suspended")
        .await
        .expect("the suspension is audited");
    assert_eq!(event.actor_kind, "system");
    assert_eq!(event.details["note"], "automatic: 3 violations");
    assert_eq!(event.details["automatic"], true);
    // Suspended as staff would suspend: every reply is held.
    let answer = reply(&app, &c, json!({ "body": "It ships tomorrow." })).await;
    assert_eq!(answer["status"], "held", "{answer}");
    let (_, seller) = app
        .get(&format!("/api/v1/conversations/{}", c.id), &staff.token)
        .await;
    assert_eq!(seller["seller_suspended"], true);

    // Staff reinstate with the existing endpoint: a clean slate.
    let (status, body) = app
        .post(
            &format!("/api/v1/sellers/{}/reinstate", c.seller.id),
            &staff.token,
            json!({ "note": "talked to them" }),
        )
        .await;
    assert_eq!((status, &body["suspended"]), (200, &json!(false)), "{body}");
    let shown = record(&app, &staff, &c.seller.id).await;
    assert_eq!(shown["suspension"]["suspended"], false);
    assert_eq!(shown["suspension"]["reason"], Value::Null);
    assert!(shown["suspension"]["reinstated_at"].is_string(), "{shown}");
    assert_eq!(shown["counted_violations"], 0, "{shown}");
    assert_eq!(shown["violations"].as_array().unwrap().len(), 3);
    let answer = reply(&app, &c, json!({ "body": "It ships tomorrow." })).await;
    assert_eq!(answer["status"], "queued", "{answer}");
    // One more violation does not suspend again at once.
    let fourth = held_reply(&app, &c, "Four").await;
    reject(&app, &staff, &fourth).await;
    let shown = record(&app, &staff, &c.seller.id).await;
    assert_eq!(
        (
            &shown["counted_violations"],
            &shown["suspension"]["suspended"]
        ),
        (&json!(1), &json!(false)),
        "{shown}"
    );
}

async fn the_number_of_violations_that_suspends_is_a_setting(backend: Backend) {
    let app = spawn_app_with(
        Options::new(backend)
            .var("MARKETRELAY_STRIKES_SUSPEND_AFTER", "1")
            .var("MARKETRELAY_STRIKES_WINDOW_DAYS", "7"),
    )
    .await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let held = held_reply(&app, &c, "One").await;
    let (status, warned) = warn(&app, &staff, &held, "Paying outside").await;
    assert_eq!(status, 201, "{warned}");
    assert_eq!(warned["seller_suspended"], true, "{warned}");
    let shown = record(&app, &staff, &c.seller.id).await;
    assert_eq!(shown["suspension"]["reason"], "automatic: 1 violation");
}

/// A buyer of `seller` who received one of the seller's messages; returns
/// the message's id.
async fn buyer_got_mail(app: &TestApp, seller: &Party, buyer: &str) -> String {
    let c = app.conversation_with(seller, buyer, "A Buyer").await;
    let m = reply(app, &c, json!({ "body": "Your parcel left today." })).await;
    assert_eq!(m["status"], "queued", "{m}");
    m["id"].as_str().unwrap().to_owned()
}

/// The buyer reports the message through the signed link in its footer.
async fn report(app: &TestApp, message: &str) {
    let stored = app
        .store
        .messages()
        .get_message(message.parse().unwrap())
        .await
        .unwrap();
    let url = app.state.links.report_url(&stored);
    let r = app
        .client
        .post(&url)
        .form(&[("reason", "scam")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
}

async fn in_review(app: &TestApp, staff: &Party) -> Vec<Value> {
    let (status, body) = app.get("/api/v1/seller-reviews", &staff.token).await;
    assert_eq!(status, 200, "{body}");
    body["sellers"].as_array().unwrap().clone()
}

async fn a_surge_of_buyer_reports_puts_the_seller_in_review_until_cleared(backend: Backend) {
    let app = spawn_app(backend).await;
    let seller = app.create_seller("Gadget Shop", SELLER_EMAIL).await;
    let other = app.create_seller("Other Shop", "owner@other.example").await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let mut mails = Vec::new();
    for buyer in ["ann@mail.example", "bob@mail.example", "cyd@mail.example"] {
        mails.push(buyer_got_mail(&app, &seller, buyer).await);
    }
    let ann_again = buyer_got_mail(&app, &seller, "ann@mail.example").await;
    let elsewhere = buyer_got_mail(&app, &other, "dee@mail.example").await;

    // Two buyers, one of them twice, and a buyer of another seller: not yet.
    report(&app, &mails[0]).await;
    report(&app, &ann_again).await;
    report(&app, &mails[1]).await;
    report(&app, &elsewhere).await;
    assert!(in_review(&app, &staff).await.is_empty());
    // The third distinct buyer within the day puts the seller in review.
    report(&app, &mails[2]).await;
    let queue = in_review(&app, &staff).await;
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!(queue[0]["seller_id"], seller.id.as_str());
    assert_eq!(queue[0]["seller_name"], "Gadget Shop");
    assert_eq!(queue[0]["buyers"], 3);
    let event = app
        .audit_event(&seller.id, "seller.review_opened")
        .await
        .expect("the review is audited");
    assert_eq!(event.actor_kind, "system");
    let shown = record(&app, &staff, &seller.id).await;
    assert_eq!(shown["review"]["buyers"], 3, "{shown}");
    assert_eq!(shown["reports"].as_array().unwrap().len(), 4, "{shown}");
    assert_eq!(
        shown["suspension"]["suspended"], false,
        "reports alone suspend no one"
    );

    // Only staff look and clear; clearing twice, or an unknown seller, is refused.
    let clear = format!("/api/v1/sellers/{}/review/clear", seller.id);
    for token in [seller.token.as_str(), OPERATOR_TOKEN] {
        let (status, _) = app.get("/api/v1/seller-reviews", token).await;
        assert_eq!(status, 403);
        let (status, _) = app.post(&clear, token, json!({})).await;
        assert_eq!(status, 403);
    }
    let (status, body) = app
        .post(&clear, &staff.token, json!({ "note": "one angry group" }))
        .await;
    assert_eq!((status, &body["in_review"]), (200, &json!(false)), "{body}");
    assert!(in_review(&app, &staff).await.is_empty());
    let event = app
        .audit_event(&seller.id, "seller.review_cleared")
        .await
        .expect("clearing is audited");
    assert_eq!(event.actor_id.as_deref(), Some(staff.id.as_str()));
    assert_eq!(event.details["note"], "one angry group");
    let (status, body) = app.post(&clear, &staff.token, json!({})).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (409, &json!("not_in_review"))
    );
    let unknown = format!("/api/v1/sellers/{}/review/clear", uuid::Uuid::new_v4());
    let (status, _) = app.post(&unknown, &staff.token, json!({})).await;
    assert_eq!(status, 404);

    // Reports the cleared review weighed do not bring the seller back.
    let dee = buyer_got_mail(&app, &seller, "dee@mail.example").await;
    report(&app, &dee).await;
    assert!(in_review(&app, &staff).await.is_empty());
}

async fn the_reports_that_open_a_review_are_a_setting(backend: Backend) {
    let app = spawn_app_with(
        Options::new(backend)
            .var("MARKETRELAY_STRIKES_REVIEW_AFTER_BUYERS", "1")
            .var("MARKETRELAY_STRIKES_REPORT_WINDOW_HOURS", "2"),
    )
    .await;
    let seller = app.create_seller("Gadget Shop", SELLER_EMAIL).await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let mail = buyer_got_mail(&app, &seller, "ann@mail.example").await;
    report(&app, &mail).await;
    let queue = in_review(&app, &staff).await;
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!(queue[0]["buyers"], 1);
}

async fn the_console_warns_from_a_held_message_and_shows_the_sellers_and_their_record(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let held = held_reply(&app, &c, "Your order").await;
    let mut buyers = Vec::new();
    for buyer in ["ann@mail.example", "bob@mail.example", "cyd@mail.example"] {
        buyers.push(buyer_got_mail(&app, &c.seller, buyer).await);
    }
    for message in &buyers {
        report(&app, message).await;
    }
    let url = invitation(&app, "staff", &staff.id).await;
    let (b, _) = sign_up(&url).await;

    // The navigation leads to the sellers, with the one in review counted.
    let (status, console) = page(&b, &app, "/console").await;
    assert_eq!(status, 200);
    assert!(console.contains("href=\"/console/sellers\""), "nav link");
    assert!(
        console.contains("1<span class=\"visually-hidden\"> in review</span>"),
        "{console}"
    );
    let (status, list) = page(&b, &app, "/console/sellers").await;
    assert_eq!(status, 200);
    assert!(list.contains("3 buyers reported"), "{list}");
    let record_href = format!("/console/sellers/{}", c.seller.id);
    assert!(list.contains(&record_href), "{list}");

    // Warned from the held message's page: the seller's record shows it.
    let message_page = format!("/console/messages/{held}");
    let (_, html) = page(&b, &app, &message_page).await;
    assert!(html.contains("Warn seller"), "{html}");
    let token = csrf(&html);
    let warning = format!("{message_page}/warning");
    let r = post_form(
        &b,
        &app,
        &warning,
        &[("reason", "Pay outside"), ("csrf_token", "forged")],
    )
    .await;
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = post_form(
        &b,
        &app,
        &warning,
        &[("reason", "Pay outside"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(location(&r), format!("{record_href}?notice=warned"));
    let r = post_form(
        &b,
        &app,
        &warning,
        &[("reason", "Again"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(location(&r), format!("{record_href}?notice=already_warned"));
    let mails = seller_mails(&app).await;
    assert!(
        mails.iter().any(|(s, _)| s == "Warning: Your order"),
        "{mails:?}"
    );
    let (status, record) = page(&b, &app, &record_href).await;
    assert_eq!(status, 200);
    for shown in [
        "Pay outside",
        "Your order",
        "warned",
        "1 of 3 within 90 days",
        "Looks like a scam",
    ] {
        assert!(record.contains(shown), "{shown}: {record}");
    }
    assert!(record.contains("In review since"), "{record}");

    // Suspended and reinstated from the record; the review cleared from the list.
    let suspension = format!("{record_href}/suspension");
    let r = post_form(
        &b,
        &app,
        &suspension,
        &[
            ("action", "suspend"),
            ("note", "fraud"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("{record_href}?notice=suspended"));
    let (_, record) = page(&b, &app, &record_href).await;
    assert!(
        record.contains("Suspended since") && record.contains(": fraud"),
        "{record}"
    );
    let r = post_form(
        &b,
        &app,
        &suspension,
        &[("action", "reinstate"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(location(&r), format!("{record_href}?notice=reinstated"));
    let (_, record) = page(&b, &app, &record_href).await;
    assert!(record.contains("last reinstated"), "{record}");
    let clear = format!("{record_href}/review/clear");
    let r = post_form(
        &b,
        &app,
        &clear,
        &[("note", "handled"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(location(&r), "/console/sellers?notice=cleared");
    let (_, list) = page(&b, &app, "/console/sellers").await;
    assert!(list.contains("No seller awaits review."), "{list}");

    // Sellers see none of it.
    let seller_url = invitation(&app, "sellers", &c.seller.id).await;
    let (sb, _) = sign_up(&seller_url).await;
    for path in ["/console/sellers", record_href.as_str()] {
        let (status, _) = page(&sb, &app, path).await;
        assert_eq!(status, 404, "{path}");
    }
}
