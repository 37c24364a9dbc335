//! RFC 3834: the relay never answers automatic mail, marks every notice it
//! sends as automatic, and two auto-responders cannot keep each other
//! going through it.

use serde_json::json;

use crate::helpers::{Backend, Convo, TestApp, buyer_mail, parse_mail, spawn_app};

const SELLER: &str = "owner@gadgetshop.example";

/// An auto-responder of the naive kind: it answers every mail it gets,
/// automatic or not, with `Auto-Submitted: auto-replied` and In-Reply-To.
async fn auto_reply(app: &TestApp, from: &str, to_alias: &str, in_reply_to: &str) -> String {
    let raw = format!(
        "Auto-Submitted: auto-replied\r\nIn-Reply-To: {in_reply_to}\r\n{}",
        buyer_mail(from, to_alias, "Out of office", "I am away until Monday.")
    );
    app.send_mail(from, to_alias, &raw).await
}

crate::on_both_backends!(two_auto_responders_answering_each_other_through_the_relay_stop);

async fn two_auto_responders_answering_each_other_through_the_relay_stop(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let raw = buyer_mail(&c.buyer_email, &c.seller_alias, "Still available?", "Hi!");
    assert!(
        app.send_mail(&c.buyer_email, &c.seller_alias, &raw)
            .await
            .starts_with("250")
    );

    let mut seen = 0;
    let mut rounds = 0;
    loop {
        app.deliver_all().await;
        let delivered = app.delivered();
        if delivered.len() == seen {
            break;
        }
        rounds += 1;
        assert!(
            rounds <= 5,
            "the responders are still going after {rounds} rounds"
        );
        for bytes in &delivered[seen..] {
            let mail = parse_mail(bytes);
            let to = mail
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap()
                .to_owned();
            let from_alias = mail
                .from()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap()
                .to_owned();
            let id = format!("<{}>", mail.message_id().unwrap());
            let reply = auto_reply(&app, &to, &from_alias, &id).await;
            assert!(
                reply.starts_with("250"),
                "an auto-reply is still accepted: {reply}"
            );
        }
        seen = delivered.len();
    }
    let delivered = app.delivered();
    // The buyer's mail reached the seller; the seller's out-of-office
    // reached the buyer marked as automatic; the buyer's answer to it
    // went no further, and nobody was sent a notice about it.
    assert_eq!(
        delivered.len(),
        2,
        "{}",
        String::from_utf8_lossy(&delivered.concat())
    );
    let ooo = String::from_utf8_lossy(&delivered[1]).into_owned();
    assert!(ooo.contains("Auto-Submitted: auto-replied"), "{ooo}");
    assert!(!ooo.contains(SELLER), "{ooo}");
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &staff.token,
        )
        .await;
    let statuses: Vec<&str> = list["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["sent", "sent", "blocked"], "{list}");
}

async fn block_conversation(app: &TestApp, c: &Convo) {
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/block", c.id),
            &staff.token,
            json!({ "note": "test" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn notices_are_marked_auto_replied_and_automatic_mail_gets_none() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    block_conversation(&app, &c).await;

    // A person's mail to a blocked conversation: kept, and the sender told.
    let raw = buyer_mail(&c.buyer_email, &c.seller_alias, "hello", "anyone there?");
    assert!(
        app.send_mail(&c.buyer_email, &c.seller_alias, &raw)
            .await
            .starts_with("250")
    );
    app.deliver_all().await;
    let delivered = app.delivered();
    assert_eq!(delivered.len(), 1);
    let notice = String::from_utf8_lossy(&delivered[0]).into_owned();
    assert!(notice.contains("Auto-Submitted: auto-replied"), "{notice}");

    // Automatic mail, in each of the ways it announces itself: kept, never answered.
    for header in [
        "Auto-Submitted: auto-generated",
        "Precedence: bulk",
        "Precedence: list",
        "List-Id: <offers.mail.example>",
    ] {
        let raw = format!(
            "{header}\r\n{}",
            buyer_mail(&c.buyer_email, &c.seller_alias, "news", "weekly digest")
        );
        let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
        assert!(reply.starts_with("250"), "{header}: {reply}");
    }
    app.deliver_all().await;
    assert_eq!(app.delivered().len(), 1, "no notice answers automatic mail");
}

#[tokio::test]
async fn a_rejected_automatic_message_gets_no_notice_either() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    // Held by the policy (an off-site payment), then rejected by staff.
    let raw = format!(
        "Auto-Submitted: auto-generated\r\n{}",
        buyer_mail(
            &c.buyer_email,
            &c.seller_alias,
            "payment",
            "Please pay me via PayPal friends and family instead."
        )
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(reply.starts_with("250"), "{reply}");
    let id = reply.rsplit(' ').next().unwrap().to_owned();
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (status, body) = app
        .post(
            &format!("/api/v1/messages/{id}/review"),
            &staff.token,
            json!({ "decision": "reject" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "rejected");
    assert!(app.deliver_all().await.is_empty(), "no notice to a machine");
}
