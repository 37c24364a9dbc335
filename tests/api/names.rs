//! A party's name reaches the other side only as the filter lets it: a
//! seller named after a phone number shows as "Seller" in the consent
//! request's subject, text and page; a buyer named so shows as "Buyer" in
//! the seller's API answers and inbox, and the inbox search cannot find it.
//! The names a message shows are judged when it is accepted and delivered
//! as recorded.

use serde_json::{Value, json};

use crate::helpers::{
    Backend, Convo, OPERATOR_TOKEN, Options, parse_mail, spawn_app, spawn_app_with,
};
use crate::{
    consent::request_phone,
    web::{invitation, page, sign_up},
};

crate::on_both_backends!(
    names_carrying_contact_details_never_reach_the_other_side,
    a_name_judged_at_acceptance_is_delivered_as_recorded_after_a_policy_reload,
);

const SELLER_NAME: &str = "Call 0170 1234567";
const BUYER_NAME: &str = "Jane +49 170 7654321";

fn no_number(what: &str, text: &str) {
    for digits in ["1234567", "7654321"] {
        assert!(!text.contains(digits), "{what} shows {digits}: {text}");
    }
}

async fn names_carrying_contact_details_never_reach_the_other_side(backend: Backend) {
    let app = spawn_app(backend).await;
    let seller = app
        .create_seller(SELLER_NAME, "owner@gadgetshop.example")
        .await;
    let (status, body) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({ "seller_id": seller.id, "buyer": { "email": "jane@mail.example", "name": BUYER_NAME }, "order_id": "A-1" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let c = Convo::from_api(&body, "jane@mail.example", &seller);

    // The seller's name in the consent request: subject, text, page.
    request_phone(
        &app,
        &c,
        json!({ "kind": "phone", "purpose": "delivery_scheduling", "order_id": "A-1" }),
    )
    .await;
    app.deliver_all().await;
    let mails = app.delivered();
    let mail = parse_mail(mails.last().unwrap());
    let subject = mail.subject().unwrap_or_default().to_owned();
    let text = mail.body_text(0).unwrap().into_owned();
    no_number("the request's subject", &subject);
    no_number("the request's text", &text);
    assert!(
        subject.starts_with("Seller asks for your phone number"),
        "{subject}"
    );
    let link = text
        .lines()
        .find(|l| l.contains("/consent/"))
        .expect("a consent link")
        .trim()
        .to_owned();
    let page_text = app
        .client
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    no_number("the consent page", &page_text);
    assert!(page_text.contains("Seller"), "{page_text}");

    // The buyer's name in the seller's API answers.
    let (_, list) = app.get("/api/v1/conversations", &c.seller.token).await;
    let row: &Value = &list["conversations"][0];
    assert_eq!(row["buyer_name"], "Buyer", "{row}");
    let (_, one) = app
        .get(&format!("/api/v1/conversations/{}", c.id), &c.seller.token)
        .await;
    assert_eq!(one["buyer_name"], "Buyer", "{one}");
    // Staff see it as registered.
    let staff = app
        .create_staff("Tess Safety", "tess@marketplace.example")
        .await;
    let (_, one) = app
        .get(&format!("/api/v1/conversations/{}", c.id), &staff.token)
        .await;
    assert_eq!(one["buyer_name"], BUYER_NAME, "{one}");

    // And in the inbox, where the search cannot find it either.
    let url = invitation(&app, "sellers", &seller.id).await;
    let (browser, _) = sign_up(&url).await;
    let (_, inbox) = page(&browser, &app, "/inbox").await;
    no_number("the inbox", &inbox);
    assert!(inbox.contains(&format!("/inbox/{}", c.id)));
    let (_, found) = page(&browser, &app, "/inbox?q=7654321").await;
    assert!(!found.contains(&format!("/inbox/{}", c.id)), "{found}");
    let (_, thread) = page(&browser, &app, &format!("/inbox/{}", c.id)).await;
    no_number("the thread", &thread);
}

fn phone_policy(path: &std::path::Path, action: &str) {
    std::fs::write(path, format!("[actions.phone]\nall = \"{action}\"\n")).unwrap();
}

async fn a_name_judged_at_acceptance_is_delivered_as_recorded_after_a_policy_reload(
    backend: Backend,
) {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    phone_policy(&policy, "redact");
    let app = spawn_app_with(
        Options::new(backend).var("MARKETRELAY_POLICY_FILE", policy.to_str().unwrap()),
    )
    .await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let c = app
        .conversation_with(&seller, "jane@mail.example", BUYER_NAME)
        .await;
    let reply = app
        .buyer_writes(&c, "Lamp", "Is the lamp still there?")
        .await;
    assert!(reply.starts_with("250"), "{reply}");

    // Numbers in names pass under the new policy; the message was judged
    // under the old one, and its record is what goes out.
    phone_policy(&policy, "deliver");
    app.state.reload_policy().expect("valid policy reloads");
    app.deliver_all().await;
    let mails = app.delivered();
    let mail = parse_mail(mails.last().expect("the buyer's mail"));
    let from = mail.from().and_then(|f| f.first()).expect("a From");
    assert_eq!(from.name(), Some("Buyer via Shopwise"), "{:?}", from);
    let raw = String::from_utf8_lossy(mails.last().unwrap()).into_owned();
    no_number("the delivered mail", &raw);
}
