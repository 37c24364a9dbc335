//! The operator opens conversations; sellers and staff list them.

use serde_json::json;

use crate::helpers::{Backend, OPERATOR_TOKEN, RELAY_DOMAIN, spawn_app};

crate::on_both_backends!(
    operator_opens_a_conversation_with_two_random_relay_addresses,
    opening_the_same_conversation_again_returns_200_and_the_same_aliases,
    seller_sees_only_its_own_conversations_and_gets_404_for_others,
    another_sellers_conversation_is_not_found_before_the_request_is_read,
    roles_are_enforced,
);

fn assert_relay_address(address: &str) {
    let (local, domain) = address.split_once('@').expect("an address");
    assert_eq!(domain, RELAY_DOMAIN);
    assert!(
        local.len() >= 14,
        "local part too short for 64 bits: {local}"
    );
    assert!(
        local
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        "{local}"
    );
}

async fn operator_opens_a_conversation_with_two_random_relay_addresses(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    assert_relay_address(&c.buyer_alias);
    assert_relay_address(&c.seller_alias);
    assert_ne!(c.buyer_alias, c.seller_alias);

    let seller2 = app.create_seller("Other Shop", "other@shop.example").await;
    let c2 = app
        .conversation_with(&seller2, "jane.buyer@mail.example", "Jane Buyer")
        .await;
    assert_ne!(c.id, c2.id);
    for alias in [&c2.buyer_alias, &c2.seller_alias] {
        assert!(alias != &c.buyer_alias && alias != &c.seller_alias);
    }
}

async fn opening_the_same_conversation_again_returns_200_and_the_same_aliases(backend: Backend) {
    let app = spawn_app(backend).await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let body = json!({ "seller_id": seller.id, "buyer": { "email": "Jane.Buyer@Mail.Example", "name": "Jane" } });
    let (first, a) = app
        .post("/api/v1/conversations", OPERATOR_TOKEN, body.clone())
        .await;
    let (second, b) = app
        .post("/api/v1/conversations", OPERATOR_TOKEN, body)
        .await;
    // Same buyer, address written differently.
    let (third, c) = app
        .post("/api/v1/conversations", OPERATOR_TOKEN, json!({ "seller_id": seller.id, "buyer": { "email": "jane.buyer@mail.example", "name": "Jane" } }))
        .await;
    assert_eq!((first, second, third), (201, 200, 200));
    assert_eq!(a["id"], b["id"]);
    assert_eq!(a["buyer_alias"], b["buyer_alias"]);
    assert_eq!(a["seller_alias"], c["seller_alias"]);
}

async fn seller_sees_only_its_own_conversations_and_gets_404_for_others(backend: Backend) {
    let app = spawn_app(backend).await;
    let mine = app.conversation().await;
    let other_seller = app.create_seller("Rival", "rival@shop.example").await;
    let theirs = app
        .conversation_with(&other_seller, "bob@mail.example", "Bob")
        .await;

    let (status, list) = app.get("/api/v1/conversations", &mine.seller.token).await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![mine.id.as_str()]);
    let entry = &list["conversations"][0];
    for field in [
        "buyer_alias",
        "seller_alias",
        "buyer_name",
        "last_message_at",
        "unread",
    ] {
        assert!(entry.get(field).is_some(), "missing {field}: {entry}");
    }

    for path in [
        format!("/api/v1/conversations/{}/messages", theirs.id),
        format!("/api/v1/conversations/{}", theirs.id),
    ] {
        let (status, body) = app.get(&path, &mine.seller.token).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(body["error"]["code"], "not_found");
    }
    let (status, _) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", theirs.id),
            &mine.seller.token,
            json!({ "body": "hi" }),
        )
        .await;
    assert_eq!(status, 404);

    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (status, all) = app.get("/api/v1/conversations", &staff.token).await;
    assert_eq!(status, 200);
    assert_eq!(all["conversations"].as_array().unwrap().len(), 2);
}

/// Ownership is decided before the body or the form's CSRF token is looked
/// at: a broken request to another seller's conversation answers "not
/// found" like a sound one, so the answer cannot tell which ids exist.
async fn another_sellers_conversation_is_not_found_before_the_request_is_read(backend: Backend) {
    let app = spawn_app(backend).await;
    let mine = app.conversation().await;
    let other_seller = app.create_seller("Rival", "rival@shop.example").await;
    let theirs = app
        .conversation_with(&other_seller, "bob@mail.example", "Bob")
        .await;

    let http = reqwest::Client::new();
    let broken_json_to = |path: String| {
        let request = http
            .post(app.url(&path))
            .bearer_auth(&mine.seller.token)
            .header("content-type", "application/json")
            .body("{not json");
        async move { request.send().await.unwrap().status().as_u16() }
    };
    for route in ["messages", "consent-requests"] {
        let path = format!("/api/v1/conversations/{}/{route}", theirs.id);
        assert_eq!(broken_json_to(path.clone()).await, 404, "{path}");
        // The same broken body to the seller's own conversation is a 400.
        let own = format!("/api/v1/conversations/{}/{route}", mine.id);
        assert_eq!(broken_json_to(own.clone()).await, 400, "{own}");
    }

    let url = crate::web::invitation(&app, "sellers", &mine.seller.id).await;
    let (b, _) = crate::web::sign_up(&url).await;
    for action in ["no-response", "reply", "preview"] {
        let path = format!("/inbox/{}/{action}", theirs.id);
        let r = crate::web::post_form(&b, &app, &path, &[("csrf_token", "forged")]).await;
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    let path = format!("/inbox/{}/no-response", mine.id);
    let r = crate::web::post_form(&b, &app, &path, &[("csrf_token", "forged")]).await;
    assert_eq!(r.status().as_u16(), 403, "{path}");
}

async fn roles_are_enforced(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;

    let (status, body) = app.get("/api/v1/conversations", "").await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"]["code"], "unauthorized");
    let (status, _) = app.get("/api/v1/conversations", "mr_notarealtoken").await;
    assert_eq!(status, 401);
    // A seller may not act as the operator, nor the operator as a seller.
    let (status, body) = app
        .post(
            "/api/v1/sellers",
            &c.seller.token,
            json!({ "name": "x", "email": "x@y.example" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let (status, _) = app.get("/api/v1/conversations", OPERATOR_TOKEN).await;
    assert_eq!(status, 403);
    let (status, _) = app.get("/api/v1/review", &c.seller.token).await;
    assert_eq!(status, 403);
    let (status, _) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &staff.token,
            json!({ "body": "hi" }),
        )
        .await;
    assert_eq!(status, 403);
    // Every role may ask the policy.
    for token in [OPERATOR_TOKEN, &c.seller.token, &staff.token] {
        let (status, _) = app
            .post(
                "/api/v1/policy/evaluate",
                token,
                json!({ "text": "hi", "direction": "buyer_to_seller" }),
            )
            .await;
        assert_eq!(status, 200);
    }
}
