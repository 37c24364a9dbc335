//! Bad input gets a clear error in the contract's envelope and loses nothing.

use serde_json::{Value, json};

use crate::helpers::{Backend, OPERATOR_TOKEN, spawn_app};

async fn raw_post(
    app: &crate::helpers::TestApp,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let r = app
        .client
        .post(app.url(path))
        .bearer_auth(OPERATOR_TOKEN)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn malformed_unknown_and_oversized_json_get_error_codes() {
    let app = spawn_app(Backend::Sqlite).await;
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "application/json",
            b"{\"name\": \"x\", ".to_vec(),
            400,
            "invalid_json",
        ),
        (
            "application/json",
            b"not json at all".to_vec(),
            400,
            "invalid_json",
        ),
        (
            "application/json",
            br#"{"name":"x","email":"a@b.example","admin":true}"#.to_vec(),
            400,
            "invalid_request",
        ),
        (
            "application/json",
            br#"{"name":"x"}"#.to_vec(),
            400,
            "invalid_request",
        ),
        (
            "application/json",
            br#"{"name":5,"email":"a@b.example"}"#.to_vec(),
            400,
            "invalid_request",
        ),
        (
            "application/json",
            vec![0xff, 0xfe, 0x00],
            400,
            "invalid_json",
        ),
        (
            "text/plain",
            br#"{"name":"x","email":"a@b.example"}"#.to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "application/json",
            format!(
                "{{\"name\":\"{}\",\"email\":\"a@b.example\"}}",
                "x".repeat(2_000_000)
            )
            .into_bytes(),
            413,
            "payload_too_large",
        ),
    ];
    for (content_type, body, status, code) in cases {
        let preview = String::from_utf8_lossy(&body[..body.len().min(60)]).to_string();
        let (got, json) = raw_post(&app, "/api/v1/sellers", content_type, body).await;
        assert_eq!(got, status, "{preview}: {json}");
        assert_eq!(json["error"]["code"], code, "{preview}: {json}");
        assert!(
            json["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
}

#[tokio::test]
async fn header_injection_in_names_and_subjects_is_refused() {
    let app = spawn_app(Backend::Sqlite).await;
    let (status, body) = app
        .post(
            "/api/v1/sellers",
            OPERATOR_TOKEN,
            json!({ "name": "Shop\r\nBcc: victim@example.com", "email": "s@shop.example" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_name"))
    );
    let (status, body) = app
        .post(
            "/api/v1/sellers",
            OPERATOR_TOKEN,
            json!({ "name": "Shop", "email": "s@shop.example\r\nBcc: v@example.com" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_email"))
    );
    let c = app.conversation().await;
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "subject": "Hi\r\nBcc: victim@example.com", "body": "x" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_subject"))
    );
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "   " }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("empty_body"))
    );
    // Relay-domain addresses cannot be registered as real ones (mail would loop).
    let (status, _) = app
        .post(
            "/api/v1/sellers",
            OPERATOR_TOKEN,
            json!({ "name": "Loop", "email": "abc@relay.test" }),
        )
        .await;
    assert_eq!(status, 400);
    let (status, body) = app
        .post(
            "/api/v1/sellers",
            OPERATOR_TOKEN,
            json!({ "name": "Again", "email": "owner@gadgetshop.example" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("seller_exists"))
    );
}

#[tokio::test]
async fn sql_metacharacters_and_unicode_are_stored_verbatim() {
    let app = spawn_app(Backend::Sqlite).await;
    let nasty = "Robert'); DROP TABLE sellers; -- Ünïcødé 店 %_\\";
    let seller = app.create_seller(nasty, "o'brien+shop@mail.example").await;
    let c = app
        .conversation_with(&seller, "o'neil@mail.example", nasty)
        .await;
    let (status, list) = app.get("/api/v1/conversations", &seller.token).await;
    assert_eq!(status, 200);
    assert_eq!(list["conversations"][0]["buyer_name"], nasty);
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &seller.token,
            json!({ "subject": nasty, "body": nasty }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    assert_eq!(m["subject"], nasty);
    assert_eq!(m["body"], nasty);
    let (_, again) = app
        .get(
            &format!("/api/v1/messages/{}", m["id"].as_str().unwrap()),
            &seller.token,
        )
        .await;
    assert_eq!(again["body"], nasty);
}

#[tokio::test]
async fn unknown_ids_and_routes_are_404_in_the_error_envelope() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    for path in [
        "/api/v1/messages/not-a-uuid",
        "/api/v1/messages/0196a5a1-0000-7000-8000-000000000000",
        "/api/v1/nothing-here",
    ] {
        let (status, body) = app.get(path, &c.seller.token).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
    let (status, body) = app
        .post("/api/v1/conversations", OPERATOR_TOKEN, json!({ "seller_id": "0196a5a1-0000-7000-8000-000000000000", "buyer": { "email": "b@mail.example", "name": "B" } }))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("unknown_seller"))
    );
}

#[tokio::test]
async fn policy_evaluate_returns_the_decision_shape() {
    let app = spawn_app(Backend::Sqlite).await;
    let text = "Order 123-1234567-1234567 costs $1,234.56. Call +44 20 7946 0958.";
    let (status, d) = app
        .post(
            "/api/v1/policy/evaluate",
            OPERATOR_TOKEN,
            json!({ "text": text, "direction": "buyer_to_seller", "regions": ["GB"] }),
        )
        .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["action"], "redact");
    let f = &d["findings"][0];
    assert_eq!(f["kind"], "phone");
    let (start, end) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        text.chars()
            .skip(start)
            .take(end - start)
            .collect::<String>(),
        "+44 20 7946 0958"
    );
    assert_eq!(
        d["redacted_text"],
        "Order 123-1234567-1234567 costs $1,234.56. Call [phone removed]."
    );
    let (status, e) = app
        .post(
            "/api/v1/policy/evaluate",
            OPERATOR_TOKEN,
            json!({ "text": "x", "direction": "sideways" }),
        )
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, e) = app
        .post(
            "/api/v1/policy/evaluate",
            OPERATOR_TOKEN,
            json!({ "text": "x", "direction": "buyer_to_seller", "regions": ["Germany"] }),
        )
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("invalid_region"))
    );
}

#[tokio::test]
async fn health_sign_in_page_and_openapi_are_served() {
    let app = spawn_app(Backend::Sqlite).await;
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect.get(app.url("/")).send().await.unwrap();
    assert!(r.status().is_redirection());
    assert_eq!(r.headers()["location"], "/login");
    let r = app.client.get(app.url("/login")).send().await.unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    let page = r.text().await.unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(
        page.contains("name=\"csrf_token\"")
            && page.contains("type=\"password\"")
            && page.contains("type=\"email\"")
    );
    let doc = crate::helpers::openapi_document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/sellers",
        "/api/v1/staff",
        "/api/v1/conversations",
        "/api/v1/conversations/{id}/messages",
        "/api/v1/messages/{id}",
        "/api/v1/review",
        "/api/v1/messages/{id}/review",
        "/api/v1/policy/evaluate",
    ] {
        assert!(doc["paths"].get(path).is_some(), "openapi lacks {path}");
    }
    // And every documented route exists with its method.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let url = app.url(&path.replace("{id}", "0196a5a1-0000-7000-8000-000000000000"));
            let r = app
                .client
                .request(method.to_uppercase().parse().unwrap(), url)
                .bearer_auth(OPERATOR_TOKEN)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            assert_ne!(status, 405, "{method} {path}");
            assert_ne!(
                body["error"]["message"], "no such endpoint",
                "{method} {path}"
            );
        }
    }
}
