//! Seller replies through the API and what sellers and staff can read.

use serde_json::json;

use crate::helpers::{Backend, buyer_mail, parse_mail, spawn_app};

crate::on_both_backends!(
    seller_reply_through_the_api_is_filtered_and_emailed_to_the_buyer,
    staff_see_original_and_findings_and_every_read_is_audited,
    unread_counts_drop_when_the_seller_opens_the_conversation,
    a_seller_asking_the_buyer_to_call_them_is_held,
);

/// A seller who gives their own number and asks the buyer to go on there
/// moves the talk off the marketplace: the number is removed and the reply
/// held for staff; the same number given as a plain fact is only removed.
async fn a_seller_asking_the_buyer_to_call_them_is_held(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let path = format!("/api/v1/conversations/{}/messages", c.id);
    let (status, m) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "Call me on (415) 555-2671 and we sort it out there." }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    assert_eq!(m["status"], "held", "{m}");
    assert_eq!(m["action"], "hold", "{m}");
    assert!(!m["body"].as_str().unwrap().contains("555-2671"), "{m}");
    let (status, m) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "It ships from our depot, phone (415) 555-2671." }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    assert_eq!(m["status"], "queued", "{m}");
    assert!(!m["body"].as_str().unwrap().contains("555-2671"), "{m}");
}

async fn seller_reply_through_the_api_is_filtered_and_emailed_to_the_buyer(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let raw = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "Delivery",
        "When will it ship?",
    );
    assert!(
        app.send_mail(&c.buyer_email, &c.seller_alias, &raw)
            .await
            .starts_with("250")
    );
    app.deliver_all().await;

    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "Tomorrow. It ships from our depot, phone (415) 555-2671, as listed on https://my-own-shop.example/deal", "order_id": "123-1234567-1234567" }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    for field in [
        "id",
        "conversation_id",
        "direction",
        "subject",
        "body",
        "action",
        "status",
        "created_at",
    ] {
        assert!(m.get(field).is_some(), "message lacks {field}: {m}");
    }
    assert_eq!(m["direction"], "seller_to_buyer");
    assert_eq!(m["status"], "queued");
    assert_eq!(m["subject"], "Re: Delivery");
    let body = m["body"].as_str().unwrap();
    assert!(
        body.contains("[phone removed]") && body.contains("[link removed]"),
        "{body}"
    );

    app.deliver_all().await;
    let delivered = app.delivered();
    let to_buyer = delivered
        .iter()
        .find(|b| String::from_utf8_lossy(b).contains("Tomorrow"))
        .expect("delivered to buyer");
    assert!(!String::from_utf8_lossy(to_buyer).contains("gadgetshop.example"));
    let mail = parse_mail(to_buyer);
    assert_eq!(
        mail.to().unwrap().first().unwrap().address().unwrap(),
        c.buyer_email
    );
    assert_eq!(
        mail.from().unwrap().first().unwrap().address().unwrap(),
        c.seller_alias
    );
    assert_eq!(
        mail.from().unwrap().first().unwrap().name().unwrap(),
        "Gadget Shop via Shopwise"
    );
    // Threads under the buyer's own first mail.
    assert!(
        mail.in_reply_to()
            .as_text()
            .unwrap()
            .ends_with("@mail.example")
    );
    let (_, got) = app
        .get(
            &format!("/api/v1/messages/{}", m["id"].as_str().unwrap()),
            &c.seller.token,
        )
        .await;
    assert_eq!(got["status"], "sent");
    assert!(
        got.get("original_body").is_none(),
        "sellers do not get the original: {got}"
    );
}

async fn staff_see_original_and_findings_and_every_read_is_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let raw = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "Hi",
        "write to me: jane.private@mail.example",
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    let id = reply
        .trim_start_matches("250 2.0.0 queued as ")
        .trim()
        .to_string();

    let (status, m) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    assert_eq!(status, 200, "{m}");
    assert!(
        m["original_body"]
            .as_str()
            .unwrap()
            .contains("jane.private@mail.example")
    );
    assert!(m["body"].as_str().unwrap().contains("[email removed]"));
    let finding = &m["findings"][0];
    assert_eq!(finding["kind"], "email");
    assert!(finding["rule"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(finding["start"].as_u64().unwrap() < finding["end"].as_u64().unwrap());
    assert_eq!(m["raw_url"], format!("/api/v1/messages/{id}/raw"));

    let (status, audit) = app
        .get(&format!("/api/v1/audit?subject_id={id}"), &staff.token)
        .await;
    assert_eq!(status, 200);
    let actions: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"message.received") && actions.contains(&"message.decided"),
        "{actions:?}"
    );
    let reads: Vec<_> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "message.read")
        .collect();
    assert_eq!(reads.len(), 1, "{audit}");
    assert_eq!(reads[0]["actor_kind"], "staff");
    assert_eq!(reads[0]["actor_id"], staff.id.as_str());
    // The audit trail never carries the real address or the body.
    let dump = audit.to_string();
    assert!(
        !dump.contains("jane.private") && !dump.contains("jane.buyer@"),
        "{dump}"
    );

    // A seller's read is not a staff read; the seller cannot download raw MIME.
    let (status, _) = app
        .get(&format!("/api/v1/messages/{id}"), &c.seller.token)
        .await;
    assert_eq!(status, 200);
    let raw_status = app
        .client
        .get(app.url(&format!("/api/v1/messages/{id}/raw")))
        .bearer_auth(&c.seller.token)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(raw_status.as_u16(), 403);
}

async fn unread_counts_drop_when_the_seller_opens_the_conversation(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    for subject in ["one", "two"] {
        let raw = buyer_mail(&c.buyer_email, &c.seller_alias, subject, "hello");
        assert!(
            app.send_mail(&c.buyer_email, &c.seller_alias, &raw)
                .await
                .starts_with("250")
        );
    }
    let (_, list) = app.get("/api/v1/conversations", &c.seller.token).await;
    assert_eq!(list["conversations"][0]["unread"], 2);
    assert!(list["conversations"][0]["last_message_at"].is_string());
    app.get(
        &format!("/api/v1/conversations/{}/messages", c.id),
        &c.seller.token,
    )
    .await;
    let (_, list) = app.get("/api/v1/conversations", &c.seller.token).await;
    assert_eq!(list["conversations"][0]["unread"], 0);
}
