//! Permitted messages: a seller writes to a buyer about the order. Promotion
//! (a new collection, a coupon for the next purchase) is held with a
//! `promotional` finding and its advice; a review request passes once per
//! order, after the operator marked the order delivered
//! (`POST /api/v1/conversations/{id}/orders/delivered`) and within
//! `[promotional] review_window_days`; before, after or a second time it is
//! held. The allowed request goes by mail and is read at the sink.

use serde_json::{Value, json};

use crate::help_domains::api_reply;
use crate::helpers::{
    Backend, OPERATOR_TOKEN, TestApp, buyer_mail, parse_mail, queued_id, spawn_app,
};

crate::on_both_backends!(
    promotion_in_a_seller_message_is_held_with_its_advice_and_a_buyers_is_not,
    a_review_request_passes_once_per_order_after_delivery_and_is_held_otherwise,
    review_requests_racing_for_one_order_pass_once,
);

const ORDER: &str = "123-1234567-1234567";
const SELLER_EMAIL: &str = "owner@gadgetshop.example";

async fn mark_delivered(app: &TestApp, conversation: &str, body: Value) -> (u16, Value) {
    app.post(
        &format!("/api/v1/conversations/{conversation}/orders/delivered"),
        OPERATOR_TOKEN,
        body,
    )
    .await
}

/// The rule ids the relay recorded for a message's decision.
async fn rules(app: &TestApp, message: &str) -> Vec<String> {
    let event = app
        .audit_event(message, "message.decided")
        .await
        .expect("decided");
    serde_json::from_value(event.details["rules"].clone()).unwrap()
}

/// The texts of every mail delivered to `address`, oldest first.
fn texts_to(app: &TestApp, address: &str) -> Vec<String> {
    app.delivered()
        .iter()
        .map(|raw| parse_mail(raw))
        .filter(|m| m.to().and_then(|to| to.first()).and_then(|a| a.address()) == Some(address))
        .map(|m| m.body_text(0).unwrap_or_default().into_owned())
        .collect()
}

async fn promotion_in_a_seller_message_is_held_with_its_advice_and_a_buyers_is_not(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;

    let m = api_reply(
        &app,
        &c.id,
        &c.seller,
        "Thanks for your order! Check out our new spring collection, it just landed.",
    )
    .await;
    assert_eq!(m["status"], "held", "{m}");
    assert_eq!(m["explained"][0]["kind"], "promotional", "{m}");
    assert_eq!(m["explained"][0]["action"], "hold", "{m}");
    assert!(
        m["explained"][0]["advice"]
            .as_str()
            .unwrap()
            .contains("about their order"),
        "{m}"
    );
    let id = m["id"].as_str().unwrap();
    assert_eq!(rules(&app, id).await, ["promotional.new_collection"]);

    // Order talk passes: a discount for this order's trouble.
    let m = api_reply(
        &app,
        &c.id,
        &c.seller,
        "Sorry for the delay, I refunded 10% of this order as a discount.",
    )
    .await;
    assert_eq!(m["status"], "queued", "{m}");

    // The buyer may write about codes and sales.
    let reply = app
        .buyer_writes(
            &c,
            "Code?",
            "Do you have a discount code for your summer sale?",
        )
        .await;
    let buyer_message = queued_id(&reply);
    app.deliver_all().await;
    assert!(
        texts_to(&app, SELLER_EMAIL)
            .iter()
            .any(|t| t.contains("discount code for your summer sale")),
        "the buyer's question reached the seller"
    );
    assert!(rules(&app, &buyer_message).await.is_empty());
}

async fn a_review_request_passes_once_per_order_after_delivery_and_is_held_otherwise(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let ask = "Could you please leave us a review?";

    // Before the order is delivered.
    let m = api_reply(&app, &c.id, &c.seller, ask).await;
    assert_eq!(m["status"], "held", "{m}");
    assert_eq!(m["explained"][0]["kind"], "promotional", "{m}");
    assert_eq!(
        rules(&app, m["id"].as_str().unwrap()).await,
        ["promotional.review_request.before_delivery"]
    );

    // Only the operator marks an order, and only a registered one.
    let (status, _) = app
        .post(
            &format!("/api/v1/conversations/{}/orders/delivered", c.id),
            &c.seller.token,
            json!({ "order_id": ORDER }),
        )
        .await;
    assert!(status == 403 || status == 404, "{status}");
    let (status, body) = mark_delivered(&app, &c.id, json!({ "order_id": "ORD-9" })).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("unknown_order_id"))
    );
    let (status, body) = mark_delivered(
        &app,
        &c.id,
        json!({ "order_id": ORDER, "delivered_at": "2999-01-01T00:00:00Z" }),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_delivered_at"))
    );
    let (status, body) = mark_delivered(&app, &c.id, json!({ "order_id": ORDER })).await;
    assert_eq!((status, &body["marked"]), (200, &json!(true)), "{body}");
    let (status, body) = mark_delivered(&app, &c.id, json!({ "order_id": ORDER })).await;
    assert_eq!((status, &body["marked"]), (200, &json!(false)), "{body}");
    assert!(
        app.audit_event(&c.id, "conversation.order_delivered")
            .await
            .is_some()
    );

    // After delivery, the first request goes through, by mail as by API.
    let text = "Glad the lamp arrived! Please leave a review if you have a minute.";
    let reply_line = app
        .send_mail(
            SELLER_EMAIL,
            &c.buyer_alias,
            &buyer_mail(SELLER_EMAIL, &c.buyer_alias, "Your lamp", text),
        )
        .await;
    let asked = queued_id(&reply_line);
    assert!(rules(&app, &asked).await.is_empty());
    app.deliver_all().await;
    assert!(
        texts_to(&app, &c.buyer_email)
            .iter()
            .any(|t| t.contains(text)),
        "the review request reached the buyer"
    );

    // A second one for the same order is held.
    let m = api_reply(
        &app,
        &c.id,
        &c.seller,
        "Reminder: please rate your purchase!",
    )
    .await;
    assert_eq!(m["status"], "held", "{m}");
    assert_eq!(
        rules(&app, m["id"].as_str().unwrap()).await,
        ["promotional.review_request.repeated"]
    );

    // Another order of the same buyer, delivered long ago: out of the window.
    let (status, _) = app
        .post(
            &format!("/api/v1/conversations/{}/orders", c.id),
            OPERATOR_TOKEN,
            json!({ "order_id": "ORD-OLD" }),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = mark_delivered(
        &app,
        &c.id,
        json!({ "order_id": "ORD-OLD", "delivered_at": "2020-01-01T00:00:00Z" }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": ask, "order_id": "ORD-OLD" }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    assert_eq!(m["status"], "held", "{m}");
    assert_eq!(
        rules(&app, m["id"].as_str().unwrap()).await,
        ["promotional.review_request.after_window"]
    );
}

/// Seller replies asking for a review at the same instant: the request is
/// recorded in the transaction that stores the message, so exactly one
/// passes and every other is held as a repeat.
async fn review_requests_racing_for_one_order_pass_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let (status, _) = mark_delivered(&app, &c.id, json!({ "order_id": ORDER })).await;
    assert_eq!(status, 200);
    let (app, c) = (&app, &c);
    let ask = |i: usize| async move {
        let text = format!("Thanks again ({i})! Please leave a review if you have a minute.");
        api_reply(app, &c.id, &c.seller, &text).await
    };
    // Sent together, so each is judged before any is stored.
    let (a, b, d, e, f, g) = tokio::join!(ask(1), ask(2), ask(3), ask(4), ask(5), ask(6));
    let replies = [a, b, d, e, f, g];
    let passed: Vec<&Value> = replies.iter().filter(|m| m["status"] == "queued").collect();
    assert_eq!(passed.len(), 1, "{replies:#?}");
    for m in replies.iter().filter(|m| m["status"] != "queued") {
        assert_eq!(m["status"], "held", "{m}");
        assert_eq!(
            rules(app, m["id"].as_str().unwrap()).await,
            ["promotional.review_request.repeated"]
        );
    }
    assert!(
        rules(app, passed[0]["id"].as_str().unwrap())
            .await
            .is_empty()
    );
}
