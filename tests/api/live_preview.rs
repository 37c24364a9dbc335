//! The reply form's live preview: the JSON endpoint its script calls, and
//! the script itself as served to the browser.

use marketrelay::domain::ConversationId;
use reqwest::{Client, Response};
use serde_json::{Value, json};

use crate::{
    helpers::{Backend, TestApp, spawn_app},
    web::{browser, csrf, invitation, page, sign_up},
};

crate::on_both_backends!(
    live_preview_needs_the_sellers_session_and_csrf_header,
    live_preview_of_another_sellers_conversation_is_not_found,
    live_preview_findings_point_at_the_characters_they_cover,
    live_preview_holds_an_off_platform_payment_request,
);

/// A seller signed in through the invitation flow, on their thread page.
async fn seller_on_thread(app: &TestApp, seller_id: &str, conversation: &str) -> (Client, String) {
    let url = invitation(app, "sellers", seller_id).await;
    let (b, _) = sign_up(&url).await;
    let (status, thread) = page(&b, app, &format!("/inbox/{conversation}")).await;
    assert_eq!(status, 200, "{thread}");
    (b, csrf(&thread))
}

async fn live_preview(
    b: &Client,
    app: &TestApp,
    conversation: &str,
    token: Option<&str>,
    body: &str,
) -> Response {
    let mut request = b
        .post(app.url(&format!("/inbox/{conversation}/preview.json")))
        .json(&json!({ "body": body }));
    if let Some(token) = token {
        request = request.header("X-CSRF-Token", token);
    }
    request.send().await.unwrap()
}

async fn json_of(r: Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn live_preview_needs_the_sellers_session_and_csrf_header(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let (b, token) = seller_on_thread(&app, &c.seller.id, &c.id).await;
    let draft = "The depot's number is +49 170 1234567";

    let (status, body) =
        json_of(live_preview(&browser(), &app, &c.id, Some(&token), draft).await).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthorized")),
        "no session, no preview: {body}"
    );
    let (status, body) = json_of(live_preview(&b, &app, &c.id, None, draft).await).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("csrf")),
        "{body}"
    );
    let (status, _) =
        json_of(live_preview(&b, &app, &c.id, Some("not-the-token"), draft).await).await;
    assert_eq!(status, 403);
    // The token in a form field instead of the header does not count.
    let r = b
        .post(app.url(&format!("/inbox/{}/preview.json", c.id)))
        .json(&json!({ "body": draft, "csrf_token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);

    let (status, body) = json_of(live_preview(&b, &app, &c.id, Some(&token), draft).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["action"], "redact", "{body}");

    // Malformed and over-long drafts get the API's error envelope.
    let r = b
        .post(app.url(&format!("/inbox/{}/preview.json", c.id)))
        .header("X-CSRF-Token", &token)
        .header("Content-Type", "application/json")
        .body("{\"body\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(r).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_json")),
        "{body}"
    );
    let long = "a".repeat(20_001);
    let (status, body) = json_of(live_preview(&b, &app, &c.id, Some(&token), &long).await).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("too_long")),
        "{body}"
    );

    // Staff have no inbox, so no preview either.
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (staff_browser, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    let (status, _) =
        json_of(live_preview(&staff_browser, &app, &c.id, Some(&token), draft).await).await;
    assert_eq!(status, 404);

    let conversation: ConversationId = c.id.parse().unwrap();
    assert!(
        app.store
            .messages()
            .list_messages(conversation)
            .await
            .unwrap()
            .is_empty(),
        "a preview sends nothing"
    );
}

async fn live_preview_of_another_sellers_conversation_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let theirs = app.conversation().await;
    let me = app
        .create_seller("Other Shop", "me@othershop.example")
        .await;
    let mine = app
        .conversation_with(&me, "bob@mail.example", "Bob Buyer")
        .await;
    let (b, token) = seller_on_thread(&app, &me.id, &mine.id).await;

    let (status, _) = json_of(live_preview(&b, &app, &mine.id, Some(&token), "hello").await).await;
    assert_eq!(status, 200);
    let (status, body) =
        json_of(live_preview(&b, &app, &theirs.id, Some(&token), "hello").await).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    let (status, _) =
        json_of(live_preview(&b, &app, "not-a-uuid", Some(&token), "hello").await).await;
    assert_eq!(status, 404);
}

async fn live_preview_findings_point_at_the_characters_they_cover(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let (b, token) = seller_on_thread(&app, &c.seller.id, &c.id).await;
    // Characters outside ASCII before the number: offsets count characters, not bytes.
    let draft = "Grüße aus Köln 😀 – ruf an: +49 170 1234567 <b>heute</b>";
    let (status, body) = json_of(live_preview(&b, &app, &c.id, Some(&token), draft).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["action"], "redact");
    assert_eq!(body["held"], false);
    assert_eq!(
        body["verdict"],
        "The marked parts would be removed before delivery."
    );

    let chars: Vec<char> = draft.chars().collect();
    let findings = body["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{body}");
    let phone = &findings[0];
    assert_eq!(phone["kind"], "phone", "{body}");
    let (start, end) = (
        phone["start"].as_u64().unwrap() as usize,
        phone["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        chars[start..end].iter().collect::<String>(),
        "+49 170 1234567"
    );
    assert_eq!(phone["text"], "+49 170 1234567");
    assert_eq!(phone["removed"], true);
    let rule = phone["rule"].as_str().unwrap();
    assert!(rule.starts_with("phone"), "{rule}");
    assert_eq!(body["rules"], json!([rule]));

    // The marked runs put the draft back together, with the number marked once.
    let marked = body["marked"].as_array().expect("marked");
    let joined: String = marked.iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(joined, draft);
    let marks: Vec<&Value> = marked.iter().filter(|s| !s["rule"].is_null()).collect();
    assert_eq!(marks.len(), 1, "{body}");
    assert_eq!(marks[0]["text"], "+49 170 1234567");
    assert_eq!(marks[0]["rule"], rule);

    let delivered = body["delivered"].as_str().unwrap();
    assert!(delivered.contains("[phone removed]"), "{delivered}");
    assert!(!delivered.contains("1234567"), "{delivered}");
    assert!(delivered.starts_with("Grüße aus Köln 😀"), "{delivered}");

    let (_, clean) =
        json_of(live_preview(&b, &app, &c.id, Some(&token), "It ships tomorrow.").await).await;
    assert_eq!(clean["action"], "deliver", "{clean}");
    assert_eq!(clean["findings"], json!([]));
    assert_eq!(clean["delivered"], "It ships tomorrow.");
}

async fn live_preview_holds_an_off_platform_payment_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let (b, token) = seller_on_thread(&app, &c.seller.id, &c.id).await;
    let draft = "Cancel the order and pay me via PayPal friends and family instead.";
    let (status, body) = json_of(live_preview(&b, &app, &c.id, Some(&token), draft).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["action"], "hold", "{body}");
    assert_eq!(body["held"], true);
    assert!(
        body["verdict"]
            .as_str()
            .unwrap()
            .contains("held for review"),
        "{body}"
    );
    let rules: Vec<&str> = body["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(rules.iter().any(|r| r.starts_with("payment.")), "{rules:?}");
    let findings = body["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["kind"] == "offsite_payment"),
        "an off-platform payment finding: {body}"
    );
    let chars: Vec<char> = draft.chars().collect();
    for f in findings {
        let span: String = chars
            [f["start"].as_u64().unwrap() as usize..f["end"].as_u64().unwrap() as usize]
            .iter()
            .collect();
        assert_eq!(f["text"], span.as_str(), "{f}");
    }
    assert!(
        findings
            .iter()
            .any(|f| f["text"].as_str().unwrap().contains("PayPal")),
        "{body}"
    );
    // Held, not cut: the buyer would get the words once released.
    assert_eq!(body["delivered"], draft);
}

#[tokio::test]
async fn the_thread_page_loads_the_live_preview_script_under_its_csp() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    let (b, _) = seller_on_thread(&app, &c.seller.id, &c.id).await;
    let r = b
        .get(app.url(&format!("/inbox/{}", c.id)))
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!(
            "<section id=\"live-preview\" aria-live=\"polite\" data-url=\"/inbox/{}/preview.json\"",
            c.id
        )),
        "{html}"
    );
    // The no-JavaScript preview button is still there.
    assert!(html.contains(&format!("formaction=\"/inbox/{}/preview\"", c.id)));
    let marker = "<script src=\"";
    let start = html.find(marker).expect("a script tag") + marker.len();
    let src = &html[start..start + html[start..].find('"').unwrap()];
    assert!(src.starts_with("/static/inbox.js?v="), "{src}");
    assert!(
        html[start..].starts_with(&format!("{src}\" defer>")),
        "deferred"
    );
    assert_eq!(html.matches("<script").count(), 1, "no inline script");

    let r = browser().get(app.url(src)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let script = r.text().await.unwrap();
    assert!(script.contains("X-CSRF-Token") && script.contains("textContent"));
    assert!(
        !script.contains("innerHTML"),
        "the script never parses HTML"
    );
}
