//! What senders are told: one line per finding kind with how to do it
//! properly, an immediate "held for review" notice for held mail, and the
//! same explanation in the API's answer to a seller's reply.

use serde_json::json;

use crate::helpers::{Backend, buyer_mail, parse_mail, spawn_app};

crate::on_both_backends!(
    held_mail_is_answered_at_once_with_the_reason_and_never_the_contact,
    blocked_mail_names_each_kind_with_its_advice,
    automatic_held_mail_gets_no_notice,
    the_held_notice_names_files_taken_out,
    the_api_answer_to_a_reply_explains_its_findings,
    the_inbox_explains_the_sellers_own_messages,
);

const PHONE: &str = "+49 170 1234567";

fn text_of(bytes: &[u8]) -> String {
    parse_mail(bytes)
        .body_text(0)
        .unwrap_or_default()
        .into_owned()
}

async fn held_mail_is_answered_at_once_with_the_reason_and_never_the_contact(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let reply = app
        .buyer_writes(
            &c,
            "Cheaper?",
            &format!("Can I pay you via PayPal friends and family instead? Call me on {PHONE}."),
        )
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    let id = reply.trim_start_matches("250 2.0.0 queued as ").trim();

    // Before any review, the buyer hears why.
    app.deliver_all().await;
    let delivered = app.delivered();
    assert_eq!(delivered.len(), 1, "only the held-for-review notice");
    let raw = String::from_utf8_lossy(&delivered[0]).into_owned();
    let notice = parse_mail(&delivered[0]);
    assert_eq!(
        notice.to().unwrap().first().unwrap().address().unwrap(),
        c.buyer_email
    );
    assert_eq!(notice.subject(), Some("Held for review: Cheaper?"));
    assert!(raw.contains("Auto-Submitted: auto-replied"), "{raw}");
    let text = text_of(&delivered[0]);
    assert!(
        text.contains("Held for review: it asks for payment outside"),
        "{text}"
    );
    assert!(text.contains("A phone number was removed."), "{text}");
    assert!(text.contains("consent request"), "{text}");
    assert!(
        !raw.contains("1234567"),
        "the contact is never quoted: {raw}"
    );
    assert!(
        !raw.contains("gadgetshop"),
        "nor the seller's address: {raw}"
    );

    // A rejection later is told again, in other words.
    let (status, _) = app
        .post(
            &format!("/api/v1/messages/{id}/review"),
            &staff.token,
            json!({ "decision": "reject" }),
        )
        .await;
    assert_eq!(status, 200);
    app.deliver_all().await;
    let delivered = app.delivered();
    assert_eq!(delivered.len(), 2);
    let rejected = parse_mail(&delivered[1]);
    assert_eq!(rejected.subject(), Some("Not delivered: Cheaper?"));
    let text = text_of(&delivered[1]);
    assert!(text.contains("was not delivered"), "{text}");
    assert!(!text.contains("is held for review"), "{text}");
}

async fn blocked_mail_names_each_kind_with_its_advice(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let reply = app
        .buyer_writes(
            &c,
            "Refund",
            &format!(
                "Please send me your card number, expiry date and the CVV so I can confirm \
                 the refund, and the code you get by SMS. Or call {PHONE}."
            ),
        )
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    app.deliver_all().await;
    let delivered = app.delivered();
    assert_eq!(delivered.len(), 1, "only the notice");
    let raw = String::from_utf8_lossy(&delivered[0]).into_owned();
    let text = text_of(&delivered[0]);
    assert!(
        text.contains("Not delivered: it asks for card details"),
        "{text}"
    );
    assert!(text.contains("It contains a phone number."), "{text}");
    assert_eq!(
        text.matches("How to do it properly: ").count(),
        2,
        "advice for each kind: {text}"
    );
    assert!(!raw.contains("1234567"), "{raw}");
    assert!(!raw.contains("gadgetshop"), "{raw}");
}

async fn automatic_held_mail_gets_no_notice(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let raw = format!(
        "Auto-Submitted: auto-generated\r\n{}",
        buyer_mail(
            &c.buyer_email,
            &c.seller_alias,
            "Payment",
            "Pay via PayPal friends and family to save the fees."
        )
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(reply.starts_with("250"), "{reply}");
    let id = reply.trim_start_matches("250 2.0.0 queued as ").trim();
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (_, m) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    assert_eq!(m["status"], "held", "{m}");
    assert!(app.deliver_all().await.is_empty());
    assert!(app.delivered().is_empty(), "a machine is never answered");
}

async fn the_api_answer_to_a_reply_explains_its_findings(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": format!("Pay me via PayPal friends and family, or call {PHONE}.") }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    let explained = m["explained"].as_array().expect("explained findings");
    let find = |kind: &str| {
        explained
            .iter()
            .find(|e| e["kind"] == kind)
            .unwrap_or_else(|| panic!("{kind} in {m}"))
    };
    let phone = find("phone");
    assert_eq!(phone["what"], "A phone number was removed.");
    assert_eq!(phone["removed"], true);
    assert!(
        phone["advice"]
            .as_str()
            .is_some_and(|a| a.contains("consent request")),
        "{phone}"
    );
    let payment = find("offsite_payment");
    assert_eq!(payment["action"], "hold");
    assert!(
        payment["what"]
            .as_str()
            .unwrap()
            .starts_with("Held for review: it asks for payment outside"),
        "{payment}"
    );
    assert!(payment["advice"].is_string(), "{payment}");
    assert!(!explained.iter().any(|e| e.to_string().contains("1234567")));
}

async fn the_held_notice_names_files_taken_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let raw = format!(
        "From: Jane Buyer <{from}>\r\nTo: <{to}>\r\nSubject: Papers\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Pay via PayPal friends and family, it is cheaper.\r\n\
         --m\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\
         Content-Disposition: attachment; filename=\"tool.exe\"\r\n\r\nTVqQAAMAAAA=\r\n--m--\r\n",
        from = c.buyer_email,
        to = c.seller_alias,
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(reply.starts_with("250"), "{reply}");
    app.deliver_all().await;
    let delivered = app.delivered();
    assert_eq!(
        delivered.len(),
        1,
        "one notice for the message and its files"
    );
    let notice = parse_mail(&delivered[0]);
    assert_eq!(notice.subject(), Some("Held for review: Papers"));
    let text = text_of(&delivered[0]);
    assert!(text.contains("taken out: tool.exe."), "{text}");
}

/// The seller's inbox shows, under each of their own messages, the same
/// explanation as the API's answer; the buyer's messages carry none.
async fn the_inbox_explains_the_sellers_own_messages(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    app.buyer_writes(&c, "Lamp", "Is the lamp still available?")
        .await;
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": format!("Yes. Call me on {PHONE} to arrange it.") }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    let (inbox, _) =
        crate::web::sign_up(&crate::web::invitation(&app, "sellers", &c.seller.id).await).await;
    let (status, thread) = crate::web::page(&inbox, &app, &format!("/inbox/{}", c.id)).await;
    assert_eq!(status, 200);
    assert_eq!(thread.matches("class=\"explained\"").count(), 1, "{thread}");
    assert!(thread.contains("A phone number was removed."), "{thread}");
    assert!(thread.contains("consent request"), "{thread}");
    assert!(!thread.contains("170 1234567"), "{thread}");
}
