//! Staff block and unblock conversations and suspend and reinstate sellers,
//! by API and from the console, and the relay follows.

use marketrelay::domain::ConversationId;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, Convo, OPERATOR_TOKEN, Party, TestApp, buyer_mail, parse_mail, spawn_app,
};
use crate::web::{csrf, invitation, location, page, post_form, sign_up};

crate::on_both_backends!(
    blocking_and_suspending_change_where_mail_goes_and_are_audited,
    only_staff_moderate_and_unknown_ids_are_not_found,
    console_form_blocks_a_conversation_and_suspends_its_seller,
);

const SELLER_EMAIL: &str = "owner@gadgetshop.example";

/// How many delivered mails went to `address`.
fn delivered_to(app: &TestApp, address: &str) -> usize {
    app.delivered()
        .iter()
        .filter(|raw| {
            parse_mail(raw)
                .to()
                .and_then(|to| to.first())
                .and_then(|a| a.address())
                == Some(address)
        })
        .count()
}

/// The status of a message as staff see it.
pub async fn status_of(app: &TestApp, staff: &Party, id: &str) -> String {
    let (status, m) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    assert_eq!(status, 200, "{m}");
    m["status"].as_str().unwrap().to_owned()
}

/// Sends a mail over SMTP and returns the stored message's id from the 250 reply.
async fn mail(app: &TestApp, from: &str, to: &str, body: &str) -> String {
    let reply = app
        .send_mail(from, to, &buyer_mail(from, to, "About the order", body))
        .await;
    assert!(reply.starts_with("250 2.0.0 queued as "), "{reply}");
    reply
        .trim_start_matches("250 2.0.0 queued as ")
        .trim()
        .to_owned()
}

async fn buyer_writes(app: &TestApp, c: &Convo) -> String {
    mail(
        app,
        &c.buyer_email,
        &c.seller_alias,
        "Is it still available?",
    )
    .await
}

async fn seller_writes_by_email(app: &TestApp, c: &Convo) -> String {
    mail(app, SELLER_EMAIL, &c.buyer_alias, "Yes, it ships tomorrow.").await
}

/// A reply through the API; returns its status.
async fn seller_writes_by_api(app: &TestApp, c: &Convo) -> String {
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "It comes with a charger." }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    m["status"].as_str().unwrap().to_owned()
}

async fn moderate(app: &TestApp, staff: &Party, path: &str, note: Option<&str>) -> Value {
    let body = match note {
        Some(note) => json!({ "note": note }),
        None => json!({}),
    };
    let (status, body) = app.post(path, &staff.token, body).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn audit_actions(app: &TestApp, staff: &Party, subject: &str) -> Vec<Value> {
    let (status, body) = app
        .get(&format!("/api/v1/audit?subject_id={subject}"), &staff.token)
        .await;
    assert_eq!(status, 200, "{body}");
    body["events"].as_array().unwrap().clone()
}

async fn blocking_and_suspending_change_where_mail_goes_and_are_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;

    // Blocked: the buyer's mail is acknowledged and kept, the buyer is told,
    // and nothing reaches the seller.
    let blocked = moderate(
        &app,
        &staff,
        &format!("/api/v1/conversations/{}/block", c.id),
        Some("harassment reports"),
    )
    .await;
    assert_eq!(blocked["blocked"], true, "{blocked}");
    assert_eq!(blocked["id"], c.id.as_str());
    let id = buyer_writes(&app, &c).await;
    assert_eq!(status_of(&app, &staff, &id).await, "blocked");
    app.deliver_all().await;
    assert_eq!(delivered_to(&app, &c.buyer_email), 1, "the buyer's notice");
    assert_eq!(delivered_to(&app, SELLER_EMAIL), 0, "nothing to the seller");
    let (_, shown) = app
        .get(&format!("/api/v1/conversations/{}", c.id), &staff.token)
        .await;
    assert_eq!(shown["blocked"], true);

    // Unblocked: mail flows again.
    let unblocked = moderate(
        &app,
        &staff,
        &format!("/api/v1/conversations/{}/unblock", c.id),
        None,
    )
    .await;
    assert_eq!(unblocked["blocked"], false, "{unblocked}");
    let id = buyer_writes(&app, &c).await;
    assert_eq!(status_of(&app, &staff, &id).await, "queued");
    app.deliver_all().await;
    assert_eq!(delivered_to(&app, SELLER_EMAIL), 1);

    // Suspended: the seller's replies, by API and by email, are held; the
    // seller can still read.
    let suspended = moderate(
        &app,
        &staff,
        &format!("/api/v1/sellers/{}/suspend", c.seller.id),
        Some("payment fraud reports"),
    )
    .await;
    assert_eq!(
        (suspended["id"].as_str(), suspended["suspended"].as_bool()),
        (Some(c.seller.id.as_str()), Some(true)),
        "{suspended}"
    );
    assert_eq!(seller_writes_by_api(&app, &c).await, "held");
    let id = seller_writes_by_email(&app, &c).await;
    assert_eq!(status_of(&app, &staff, &id).await, "held");
    let (status, read) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(status, 200, "{read}");
    let (_, shown) = app
        .get(&format!("/api/v1/conversations/{}", c.id), &staff.token)
        .await;
    assert_eq!(shown["seller_suspended"], true);
    let (_, queue) = app.get("/api/v1/review", &staff.token).await;
    assert_eq!(queue["messages"].as_array().unwrap().len(), 2, "{queue}");

    // Reinstated: replies are queued again.
    let reinstated = moderate(
        &app,
        &staff,
        &format!("/api/v1/sellers/{}/reinstate", c.seller.id),
        None,
    )
    .await;
    assert_eq!(reinstated["suspended"], false, "{reinstated}");
    assert_eq!(seller_writes_by_api(&app, &c).await, "queued");
    let id = seller_writes_by_email(&app, &c).await;
    assert_eq!(status_of(&app, &staff, &id).await, "queued");

    // Each change is audited with the staff member and the note.
    let trail = audit_actions(&app, &staff, &c.id).await;
    let find = |trail: &[Value], action: &str| {
        trail
            .iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("no {action} in {trail:?}"))
            .clone()
    };
    let block = find(&trail, "conversation.blocked");
    assert_eq!(block["actor_kind"], "staff");
    assert_eq!(block["actor_id"], staff.id.as_str());
    assert_eq!(block["details"]["note"], "harassment reports");
    find(&trail, "conversation.unblocked");
    let trail = audit_actions(&app, &staff, &c.seller.id).await;
    let suspend = find(&trail, "seller.suspended");
    assert_eq!(suspend["actor_id"], staff.id.as_str());
    assert_eq!(suspend["details"]["note"], "payment fraud reports");
    find(&trail, "seller.reinstated");
}

async fn only_staff_moderate_and_unknown_ids_are_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let paths = [
        format!("/api/v1/conversations/{}/block", c.id),
        format!("/api/v1/conversations/{}/unblock", c.id),
        format!("/api/v1/sellers/{}/suspend", c.seller.id),
        format!("/api/v1/sellers/{}/reinstate", c.seller.id),
    ];
    for path in &paths {
        for token in [c.seller.token.as_str(), OPERATOR_TOKEN] {
            let (status, body) = app.post(path, token, json!({})).await;
            assert_eq!(status, 403, "{path}: {body}");
            assert_eq!(body["error"]["code"], "forbidden", "{body}");
        }
    }
    let (_, shown) = app
        .get(&format!("/api/v1/conversations/{}", c.id), &staff.token)
        .await;
    assert_eq!(
        (&shown["blocked"], &shown["seller_suspended"]),
        (&json!(false), &json!(false)),
        "refused calls changed nothing"
    );

    let unknown = uuid::Uuid::new_v4().to_string();
    for noun in ["conversations", "sellers"] {
        let verbs: &[&str] = if noun == "conversations" {
            &["block", "unblock"]
        } else {
            &["suspend", "reinstate"]
        };
        for verb in verbs {
            for id in [unknown.as_str(), "not-a-uuid"] {
                let path = format!("/api/v1/{noun}/{id}/{verb}");
                let (status, body) = app.post(&path, &staff.token, json!({})).await;
                assert_eq!(status, 404, "{path}: {body}");
                assert_eq!(body["error"]["code"], "not_found", "{body}");
            }
        }
    }
    // A conversation id is not a seller id.
    let (status, _) = app
        .post(
            &format!("/api/v1/sellers/{}/suspend", c.id),
            &staff.token,
            json!({}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/block", c.id),
            &staff.token,
            json!({ "reason": "x" }),
        )
        .await;
    assert_eq!(status, 400, "unknown fields are refused: {body}");
}

async fn console_form_blocks_a_conversation_and_suspends_its_seller(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let url = invitation(&app, "staff", &staff.id).await;
    let (b, _) = sign_up(&url).await;
    let conversation: ConversationId = c.id.parse().unwrap();
    let view = format!("/console/conversations/{}", c.id);

    let (status, html) = page(&b, &app, &view).await;
    assert_eq!(status, 200);
    assert!(html.contains("Block conversation") && html.contains("Suspend seller"));
    let token = csrf(&html);

    // Without the session's CSRF token nothing changes.
    let r = post_form(
        &b,
        &app,
        &format!("{view}/block"),
        &[("action", "block"), ("csrf_token", "forged")],
    )
    .await;
    assert!(r.status().is_client_error(), "{}", r.status());
    assert!(
        !app.store
            .conversations()
            .get_conversation(conversation)
            .await
            .unwrap()
            .blocked
    );

    let r = post_form(
        &b,
        &app,
        &format!("{view}/block"),
        &[
            ("action", "block"),
            ("note", "abusive messages"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("{view}?notice=blocked"));
    assert!(
        app.store
            .conversations()
            .get_conversation(conversation)
            .await
            .unwrap()
            .blocked
    );
    let (_, html) = page(&b, &app, &format!("{view}?notice=blocked")).await;
    assert!(html.contains("Unblock conversation"), "{html}");
    assert!(html.contains(">blocked</span>"));
    let (_, list) = page(&b, &app, "/console/conversations").await;
    assert!(list.contains(">blocked</span>"), "{list}");

    let r = post_form(
        &b,
        &app,
        &format!("{view}/seller"),
        &[("action", "suspend"), ("note", ""), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(location(&r), format!("{view}?notice=suspended"));
    let seller = app
        .store
        .conversations()
        .get_conversation(conversation)
        .await
        .unwrap()
        .seller;
    assert!(seller.suspended);
    let (_, html) = page(&b, &app, &view).await;
    assert!(html.contains("Reinstate seller") && html.contains("seller suspended"));

    let events = app
        .store
        .audit()
        .audit_events(Some(&c.id), 100)
        .await
        .unwrap();
    let block = events
        .iter()
        .find(|e| e.action == "conversation.blocked")
        .expect("audited");
    assert_eq!(block.actor_id.as_deref(), Some(staff.id.as_str()));
    assert_eq!(block.details["note"], "abusive messages");
    let events = app
        .store
        .audit()
        .audit_events(Some(&c.seller.id), 100)
        .await
        .unwrap();
    let suspend = events
        .iter()
        .find(|e| e.action == "seller.suspended")
        .expect("audited");
    assert!(suspend.details["note"].is_null(), "an empty note is none");
}
