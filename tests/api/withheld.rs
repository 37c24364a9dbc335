//! What moderation withheld from the seller stays withheld in every seller
//! view: the API's message list and single message, the inbox thread, the
//! conversation list's unread count and last activity, and the default
//! subject of the seller's next reply.

use serde_json::{Value, json};

use crate::{
    helpers::{Backend, Convo, TestApp, buyer_mail, spawn_app},
    web::{invitation, page, sign_up},
};

crate::on_both_backends!(
    held_blocked_and_rejected_buyer_mail_is_invisible_to_the_seller_everywhere
);

/// Sends a buyer mail and returns the id of the message it became.
async fn buyer_writes(app: &TestApp, c: &Convo, subject: &str, body: &str) -> String {
    let raw = buyer_mail(&c.buyer_email, &c.seller_alias, subject, body);
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(reply.starts_with("250"), "{reply}");
    reply.trim_start_matches("250 2.0.0 queued as ").to_owned()
}

fn summary<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .expect("the conversation is listed")
}

async fn held_blocked_and_rejected_buyer_mail_is_invisible_to_the_seller_everywhere(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app
        .create_staff("Tess Safety", "tess@marketplace.example")
        .await;
    let visible = buyer_writes(&app, &c, "Delivery date", "When does it ship?").await;
    // Mark the first one read, so every unread message below is a new one.
    app.get(
        &format!("/api/v1/conversations/{}/messages", c.id),
        &c.seller.token,
    )
    .await;
    let (_, before) = app.get("/api/v1/conversations", &c.seller.token).await;
    let last_visible = summary(&before, &c.id)["last_message_at"].clone();

    let held = buyer_writes(
        &app,
        &c,
        "Held subject",
        "Cancel it and pay me via PayPal friends and family instead.",
    )
    .await;
    let rejected = buyer_writes(
        &app,
        &c,
        "Rejected subject",
        "I will change my 1 star review to 5 stars if you refund me in full.",
    )
    .await;
    let (status, body) = app
        .post(
            &format!("/api/v1/messages/{rejected}/review"),
            &staff.token,
            json!({ "decision": "reject" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/block", c.id),
            &staff.token,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let blocked = buyer_writes(&app, &c, "Blocked subject", "Are you there?").await;
    let withheld = [&held, &rejected, &blocked];

    // The conversation list: nothing new to read, no newer activity.
    let (_, list) = app.get("/api/v1/conversations", &c.seller.token).await;
    let row = summary(&list, &c.id);
    assert_eq!(row["unread"], 0, "{row}");
    assert_eq!(row["last_message_at"], last_visible, "{row}");

    // The API: neither in the list nor one by one.
    let (status, messages) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = messages["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![visible.as_str()], "{messages}");
    for id in withheld {
        let (status, body) = app
            .get(&format!("/api/v1/messages/{id}"), &c.seller.token)
            .await;
        assert_eq!(status, 404, "{id}: {body}");
        let (status, _) = app
            .get(&format!("/api/v1/messages/{id}"), &staff.token)
            .await;
        assert_eq!(status, 200, "staff still read it");
    }

    // The inbox shows none of their subjects.
    let url = invitation(&app, "sellers", &c.seller.id).await;
    let (browser, _) = sign_up(&url).await;
    let (status, thread) = page(&browser, &app, &format!("/inbox/{}", c.id)).await;
    assert_eq!(status, 200);
    assert!(thread.contains("Delivery date"));
    for subject in ["Held subject", "Rejected subject", "Blocked subject"] {
        assert!(!thread.contains(subject), "{subject} shows in the inbox");
    }

    // Unblocked, a reply without a subject answers the last message the
    // seller saw, not the withheld ones.
    app.post(
        &format!("/api/v1/conversations/{}/unblock", c.id),
        &staff.token,
        json!({}),
    )
    .await;
    let (status, reply) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "It ships on Monday." }),
        )
        .await;
    assert_eq!(status, 202, "{reply}");
    assert_eq!(reply["subject"], "Re: Delivery date", "{reply}");
}
