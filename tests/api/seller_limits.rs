//! Seller message limits end to end: per conversation and day and per
//! seller and hour, counted in the database (two nodes on one database
//! agree), refused with 429 and Retry-After by the API and the inbox, and
//! mail over the limit kept as blocked with a notice to the seller.

use serde_json::{Value, json};

use crate::helpers::{
    Backend, Convo, Options, TestApp, openapi_document, read_mail, spawn_app_with,
};
use crate::web::{csrf, invitation, page, post_form, sign_up};

crate::on_both_backends!(
    replies_over_a_limit_get_429_with_retry_after_on_every_node,
    seller_mail_over_the_limit_is_kept_blocked_and_the_seller_told,
    an_inbox_reply_over_the_limit_gets_429_and_keeps_the_text,
    replies_at_once_on_two_nodes_never_pass_the_limit,
);

const SELLER_EMAIL: &str = "owner@gadgetshop.example";

fn limited(backend: Backend, per_hour: u32, per_conversation: u32) -> Options {
    Options::new(backend)
        .var(
            "MARKETRELAY_SELLER_MAX_MESSAGES_PER_HOUR",
            &per_hour.to_string(),
        )
        .var(
            "MARKETRELAY_SELLER_MAX_MESSAGES_PER_CONVERSATION_PER_DAY",
            &per_conversation.to_string(),
        )
}

async fn reply(app: &TestApp, c: &Convo, body: &str) -> (u16, Option<String>, Value) {
    let r = app
        .client
        .post(app.url(&format!("/api/v1/conversations/{}/messages", c.id)))
        .bearer_auth(&c.seller.token)
        .json(&json!({ "body": body }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry_after = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, r.json().await.unwrap_or(Value::Null))
}

fn seconds(retry_after: Option<String>) -> u64 {
    retry_after
        .expect("a Retry-After header")
        .parse()
        .expect("Retry-After in seconds")
}

async fn stored(app: &TestApp, c: &Convo) -> Vec<marketrelay::domain::StoredMessage> {
    app.store
        .messages()
        .list_messages(c.id.parse().unwrap())
        .await
        .unwrap()
}

async fn replies_over_a_limit_get_429_with_retry_after_on_every_node(backend: Backend) {
    let app = spawn_app_with(limited(backend, 3, 2)).await;
    let c = app.conversation().await;
    let other = app
        .conversation_with(&c.seller, "sam.buyer@mail.example", "Sam Buyer")
        .await;
    // A second node on the same database counts the same messages.
    let node = spawn_app_with(Options {
        database_url: Some(app.database_url.clone()),
        ..limited(backend, 3, 2)
    })
    .await;
    for (on, to) in [(&app, &c), (&node, &c)] {
        let (status, _, body) = reply(on, to, "Your parcel left today.").await;
        assert_eq!(status, 202, "{body}");
    }
    // The conversation's day is full, on either node.
    for on in [&app, &node] {
        let (status, retry_after, body) = reply(on, &c, "And another thing.").await;
        assert_eq!(status, 429, "{body}");
        assert_eq!(body["error"]["code"], "seller_rate_limited", "{body}");
        let secs = seconds(retry_after);
        assert!((1..=86_400).contains(&secs), "{secs}");
    }
    assert_eq!(
        stored(&app, &c).await.len(),
        2,
        "a refused reply is not stored"
    );
    // Another conversation has room, until the seller's hour is full.
    let (status, _, body) = reply(&node, &other, "Your parcel left today.").await;
    assert_eq!(status, 202, "{body}");
    let (status, retry_after, body) = reply(&app, &other, "Tracking follows.").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "seller_rate_limited", "{body}");
    assert!((1..=3_600).contains(&seconds(retry_after)));
    // The answer is the documented one.
    let doc = openapi_document(&app).await;
    let documented =
        &doc["paths"]["/api/v1/conversations/{id}/messages"]["post"]["responses"]["429"];
    assert!(
        documented["description"]
            .as_str()
            .is_some_and(|d| d.contains("seller_rate_limited")),
        "{documented}"
    );
    assert!(
        documented["headers"]["Retry-After"].is_object(),
        "{documented}"
    );
    // Buyers are not limited.
    let answer = app.buyer_writes(&c, "Thanks", "Thank you!").await;
    assert!(answer.starts_with("250"), "{answer}");
}

async fn seller_mail_over_the_limit_is_kept_blocked_and_the_seller_told(backend: Backend) {
    let app = spawn_app_with(limited(backend, 300, 1)).await;
    let c = app.conversation().await;
    for subject in ["Shipped", "Shipped again"] {
        let raw = format!(
            "From: Gadget Shop <{SELLER_EMAIL}>\r\nTo: <{to}>\r\nSubject: {subject}\r\n\
             Message-ID: <s-{n}@gadgetshop.example>\r\n\r\nYour parcel left today.\r\n",
            to = c.buyer_alias,
            n = uuid::Uuid::new_v4().simple()
        );
        let answer = app.send_mail(SELLER_EMAIL, &c.buyer_alias, &raw).await;
        assert!(answer.starts_with("250"), "accepted and kept: {answer}");
    }
    let messages = stored(&app, &c).await;
    assert_eq!(messages.len(), 2);
    let over = &messages[1];
    assert_eq!(over.subject, "Shipped again");
    assert_eq!(over.status, marketrelay::domain::MessageStatus::Blocked);
    assert_eq!(
        app.store
            .messages()
            .block_reason(over.id)
            .await
            .unwrap()
            .as_deref(),
        Some("seller_rate_limited")
    );
    let decided = app
        .audit_event(&over.id.to_string(), "message.decided")
        .await
        .expect("decided");
    assert_eq!(decided.details["reason"], "seller_rate_limited");

    app.deliver_all().await;
    let delivered = app.delivered();
    let read: Vec<_> = delivered.iter().map(|raw| read_mail(raw)).collect();
    let to_buyer: Vec<_> = read.iter().filter(|m| m.0 == c.buyer_email).collect();
    assert_eq!(to_buyer.len(), 1, "{read:?}");
    assert_eq!(to_buyer[0].1, "Shipped");
    let notice = read
        .iter()
        .find(|m| m.0 == SELLER_EMAIL)
        .unwrap_or_else(|| panic!("a notice to the seller: {read:?}"));
    assert_eq!(notice.1, "Not delivered: Shipped again");
    assert!(
        notice.2.contains("more messages than Shopwise allows"),
        "{}",
        notice.2
    );
    assert!(notice.2.contains(&over.id.to_string()), "{}", notice.2);
}

async fn an_inbox_reply_over_the_limit_gets_429_and_keeps_the_text(backend: Backend) {
    let app = spawn_app_with(limited(backend, 300, 1)).await;
    let c = app.conversation().await;
    let (b, _) = sign_up(&invitation(&app, "sellers", &c.seller.id).await).await;
    let path = format!("/inbox/{}", c.id);
    let send = |text: &'static str| {
        let (b, app, path) = (&b, &app, &path);
        async move {
            let (_, thread) = page(b, app, path).await;
            let token = csrf(&thread);
            post_form(
                b,
                app,
                &format!("{path}/reply"),
                &[("body", text), ("csrf_token", &token)],
            )
            .await
        }
    };
    let first = send("It ships tomorrow.").await;
    assert_eq!(first.status().as_u16(), 303);
    let over = send("Tracking number follows.").await;
    assert_eq!(over.status().as_u16(), 429);
    let secs: u64 = over.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=86_400).contains(&secs), "{secs}");
    let html = over.text().await.unwrap();
    assert!(
        html.contains("Not sent: you have written the most messages"),
        "{html}"
    );
    assert!(
        html.contains("Tracking number follows."),
        "the text is kept: {html}"
    );
    assert_eq!(stored(&app, &c).await.len(), 1);
}

async fn replies_at_once_on_two_nodes_never_pass_the_limit(backend: Backend) {
    let app = spawn_app_with(limited(backend, 300, 3)).await;
    let c = app.conversation().await;
    let node = spawn_app_with(Options {
        database_url: Some(app.database_url.clone()),
        ..limited(backend, 300, 3)
    })
    .await;
    let mut sends = Vec::new();
    for n in 0..12 {
        let on = if n % 2 == 0 { &app } else { &node };
        let request = on
            .client
            .post(on.url(&format!("/api/v1/conversations/{}/messages", c.id)))
            .bearer_auth(&c.seller.token)
            .json(&json!({ "body": "Your parcel left today." }));
        sends.push(tokio::spawn(async move {
            request.send().await.unwrap().status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for send in sends {
        statuses.push(send.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        9,
        "{statuses:?}"
    );
    assert_eq!(stored(&app, &c).await.len(), 3);
}
