//! Held messages: the staff review queue, release and reject.

use serde_json::json;

use crate::helpers::{Backend, buyer_mail, parse_mail, spawn_app};

crate::on_both_backends!(
    offsite_payment_is_held_then_released_by_staff_and_delivered,
    rejected_messages_are_never_delivered_and_the_sender_is_told,
    the_queue_is_read_a_page_at_a_time_and_each_listed_message_is_audited,
);

async fn offsite_payment_is_held_then_released_by_staff_and_delivered(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "Cancel the order and pay me via PayPal friends and family, I'll give you 10% off." }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    assert_eq!(
        (m["action"].as_str(), m["status"].as_str()),
        (Some("hold"), Some("held"))
    );
    let id = m["id"].as_str().unwrap().to_string();
    assert!(
        app.deliver_all().await.is_empty(),
        "held mail must not be delivered"
    );

    let (status, queue) = app.get("/api/v1/review", &staff.token).await;
    assert_eq!(status, 200);
    let held = &queue["messages"][0];
    assert_eq!(held["id"], id.as_str());
    assert!(
        held["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "offsite_payment"),
        "{held}"
    );

    let (status, released) = app
        .post(
            &format!("/api/v1/messages/{id}/review"),
            &staff.token,
            json!({ "decision": "release", "note": "ok after call" }),
        )
        .await;
    assert_eq!(status, 200, "{released}");
    assert_eq!(released["status"], "queued");
    let (status, again) = app
        .post(
            &format!("/api/v1/messages/{id}/review"),
            &staff.token,
            json!({ "decision": "reject" }),
        )
        .await;
    assert_eq!(
        (status, again["error"]["code"].as_str()),
        (409, Some("not_held"))
    );

    assert_eq!(app.deliver_all().await.len(), 1);
    let delivered = app.delivered();
    let mail = parse_mail(&delivered[0]);
    assert_eq!(
        mail.to().unwrap().first().unwrap().address().unwrap(),
        c.buyer_email
    );
    let (_, queue) = app.get("/api/v1/review", &staff.token).await;
    assert!(queue["messages"].as_array().unwrap().is_empty());

    let (_, audit) = app
        .get(&format!("/api/v1/audit?subject_id={id}"), &staff.token)
        .await;
    let released_event = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "message.released")
        .expect("release audited");
    assert_eq!(released_event["actor_id"], staff.id.as_str());
}

async fn rejected_messages_are_never_delivered_and_the_sender_is_told(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let raw = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "Review",
        "I will change my 1 star review to 5 stars if you refund me in full.",
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    let id = reply
        .trim_start_matches("250 2.0.0 queued as ")
        .trim()
        .to_string();
    let (_, m) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    assert_eq!(m["status"], "held", "{m}");

    let (status, rejected) = app
        .post(
            &format!("/api/v1/messages/{id}/review"),
            &staff.token,
            json!({ "decision": "reject", "note": "review manipulation" }),
        )
        .await;
    assert_eq!(status, 200, "{rejected}");
    assert_eq!(rejected["status"], "rejected");
    app.deliver_all().await;
    let delivered = app.delivered();
    assert_eq!(delivered.len(), 1, "only the notice to the sender");
    let notice = parse_mail(&delivered[0]);
    assert_eq!(
        notice.to().unwrap().first().unwrap().address().unwrap(),
        c.buyer_email
    );
    assert_eq!(
        notice.from().unwrap().first().unwrap().address().unwrap(),
        c.seller_alias
    );
    assert!(!String::from_utf8_lossy(&delivered[0]).contains("gadgetshop.example"));
}

#[tokio::test]
async fn a_blocked_message_is_stored_acknowledged_and_explained_to_its_sender() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "[actions.phone]\nbuyer_to_seller = \"block\"\n").unwrap();
    let app = crate::helpers::spawn_app_with(
        crate::helpers::Options::new(Backend::Sqlite)
            .var("MARKETRELAY_POLICY_FILE", policy.to_str().unwrap()),
    )
    .await;
    let c = app.conversation().await;
    let raw = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "Call me",
        "My number is +49 170 1234567",
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(
        reply.starts_with("250 2.0.0 queued as"),
        "blocked mail is still acknowledged: {reply}"
    );
    let id = reply
        .trim_start_matches("250 2.0.0 queued as ")
        .trim()
        .to_string();
    let staff = app
        .create_staff("Tess Safety", "tess@marketplace.example")
        .await;
    let (_, m) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    assert_eq!(
        (m["action"].as_str(), m["status"].as_str()),
        (Some("block"), Some("blocked"))
    );
    // Mail that never reached the seller is not theirs to read.
    let (status, _) = app
        .get(&format!("/api/v1/messages/{id}"), &c.seller.token)
        .await;
    assert_eq!(status, 404);
    app.deliver_all().await;
    let delivered = app.delivered();
    assert_eq!(delivered.len(), 1, "only the notice");
    let notice = parse_mail(&delivered[0]);
    assert_eq!(
        notice.to().unwrap().first().unwrap().address().unwrap(),
        c.buyer_email
    );
    assert!(notice.subject().unwrap().starts_with("Not delivered"));
    assert!(!String::from_utf8_lossy(&delivered[0]).contains("gadgetshop"));
}

async fn the_queue_is_read_a_page_at_a_time_and_each_listed_message_is_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let mut held = Vec::new();
    for n in 1..=3 {
        let (status, m) = app
            .post(
                &format!("/api/v1/conversations/{}/messages", c.id),
                &c.seller.token,
                json!({ "body": format!("Pay me via PayPal friends and family, item {n}.") }),
            )
            .await;
        assert_eq!((status, m["status"].as_str()), (202, Some("held")), "{m}");
        held.push(m["id"].as_str().unwrap().to_owned());
    }
    let ids = |page: &serde_json::Value| -> Vec<String> {
        page["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect()
    };

    let (status, first) = app.get("/api/v1/review?limit=2", &staff.token).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(ids(&first), held[..2]);
    let next = first["next"].as_str().expect("a next page").to_owned();
    let (status, second) = app
        .get(
            &format!("/api/v1/review?limit=2&after={next}"),
            &staff.token,
        )
        .await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(ids(&second), held[2..]);
    assert!(second.get("next").is_none(), "{second}");
    // Without a limit: the whole (short) queue on one page.
    let (_, all) = app.get("/api/v1/review", &staff.token).await;
    assert_eq!(ids(&all), held);

    // Listed twice (a page and the whole queue): two reads of each.
    for id in &held {
        let (_, audit) = app
            .get(&format!("/api/v1/audit?subject_id={id}"), &staff.token)
            .await;
        let reads = audit["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "message.read" && e["details"]["via"] == "api.review_queue")
            .count();
        assert_eq!(reads, 2, "{id}: {audit}");
    }

    for query in ["after=not-a-cursor", "after=1.2", "limit=abc", "page=2"] {
        let (status, body) = app
            .get(&format!("/api/v1/review?{query}"), &staff.token)
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("invalid_query")),
            "{query}: {body}"
        );
    }
}
