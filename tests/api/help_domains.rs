//! Help links sellers may send: the operator lists a seller's help domains
//! (`PUT /api/v1/sellers/{id}/allowed-domains`), and links to them (and
//! their subdomains) reach the buyer intact in that seller's messages, by
//! API and by email, while the same link in another seller's message or in
//! the buyer's mail is removed. Bad domains are refused with 400.

use serde_json::{Value, json};

use crate::helpers::{Backend, OPERATOR_TOKEN, Party, TestApp, buyer_mail, parse_mail, spawn_app};

crate::on_both_backends!(
    a_sellers_help_links_reach_the_buyer_and_no_one_elses_messages_carry_them,
    bad_help_domains_are_refused_and_only_the_operator_keeps_the_list,
);

const LINK: &str = "https://support.gadget-manuals.de/x200/reset.pdf";
const SELLER_EMAIL: &str = "owner@gadgetshop.example";

pub(crate) async fn put_domains(
    app: &TestApp,
    seller: &str,
    token: &str,
    domains: Value,
) -> (u16, Value) {
    let r = app
        .client
        .put(app.url(&format!("/api/v1/sellers/{seller}/allowed-domains")))
        .bearer_auth(token)
        .json(&json!({ "domains": domains }))
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The text of the newest mail delivered to `address`.
fn newest_text_to(app: &TestApp, address: &str) -> String {
    let mails = app.delivered();
    let mail = mails
        .iter()
        .rev()
        .map(|raw| parse_mail(raw))
        .find(|m| m.to().and_then(|to| to.first()).and_then(|a| a.address()) == Some(address))
        .unwrap_or_else(|| panic!("no mail to {address}"));
    mail.body_text(0).unwrap_or_default().into_owned()
}

pub(crate) async fn api_reply(
    app: &TestApp,
    conversation: &str,
    seller: &Party,
    body: &str,
) -> Value {
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &seller.token,
            json!({ "body": body }),
        )
        .await;
    assert_eq!(status, 202, "{m}");
    m
}

async fn a_sellers_help_links_reach_the_buyer_and_no_one_elses_messages_carry_them(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let other = app
        .create_seller("Other Shop", "owner@othershop.example")
        .await;
    let c2 = app
        .conversation_with(&other, "max.buyer@mail.example", "Max Buyer")
        .await;
    let (status, list) = put_domains(
        &app,
        &c.seller.id,
        OPERATOR_TOKEN,
        json!(["Gadget-Manuals.DE", "gadget-manuals.de"]),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["domains"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["domains"][0]["domain"], "gadget-manuals.de");
    assert_eq!(list["domains"][0]["added_by"], "operator");
    assert_eq!(list["max_domains"], 20);
    let (status, read) = app
        .get(
            &format!("/api/v1/sellers/{}/allowed-domains", c.seller.id),
            OPERATOR_TOKEN,
        )
        .await;
    assert_eq!((status, &read), (200, &list));

    // The seller's reply by API: the help link reaches the buyer as written.
    let text = format!("The reset steps are on page 2 of {LINK}");
    let m = api_reply(&app, &c.id, &c.seller, &text).await;
    assert_eq!(m["action"], "deliver", "{m}");
    app.deliver_all().await;
    let got = newest_text_to(&app, &c.buyer_email);
    assert!(got.contains(LINK), "{got}");

    // By email too.
    let mail_text = format!("Here is the manual: {LINK}");
    let reply = app
        .send_mail(
            SELLER_EMAIL,
            &c.buyer_alias,
            &buyer_mail(SELLER_EMAIL, &c.buyer_alias, "Manual", &mail_text),
        )
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    app.deliver_all().await;
    let got = newest_text_to(&app, &c.buyer_email);
    assert!(got.contains(&mail_text), "{got}");

    // Another seller's domains are not theirs.
    api_reply(&app, &c2.id, &other, &text).await;
    app.deliver_all().await;
    let got = newest_text_to(&app, &c2.buyer_email);
    assert!(!got.contains("gadget-manuals"), "{got}");
    assert!(got.contains("[link removed]"), "{got}");

    // The buyer's mail with the same link is judged without them.
    let reply = app
        .buyer_writes(&c, "Manual", &format!("Is it this one? {LINK}"))
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    app.deliver_all().await;
    let got = newest_text_to(&app, SELLER_EMAIL);
    assert!(got.contains("Is it this one?"), "{got}");
    assert!(!got.contains("gadget-manuals"), "{got}");

    // A help domain excuses the link, not a request for card details.
    let m = api_reply(
        &app,
        &c.id,
        &c.seller,
        &format!("To get the refund, confirm your card number and CVV at {LINK}"),
    )
    .await;
    assert_eq!(m["status"], "blocked", "{m}");

    // An empty list removes them: the link is removed again.
    let (status, list) = put_domains(&app, &c.seller.id, OPERATOR_TOKEN, json!([])).await;
    assert_eq!((status, list["domains"].clone()), (200, json!([])));
    api_reply(&app, &c.id, &c.seller, &text).await;
    app.deliver_all().await;
    let got = newest_text_to(&app, &c.buyer_email);
    assert!(!got.contains("gadget-manuals"), "{got}");
}

async fn bad_help_domains_are_refused_and_only_the_operator_keeps_the_list(backend: Backend) {
    let app = spawn_app(backend).await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let (status, _) = put_domains(&app, &seller.id, OPERATOR_TOKEN, json!(["acme.de"])).await;
    assert_eq!(status, 200);
    for bad in [
        "com",
        "co.uk",
        "github.io",
        "https://acme.de",
        "acme.de/manuals",
        "acme.de:8443",
        "*.acme.de",
        "192.0.2.7",
        "help.acme.internal",
        "",
    ] {
        let (status, body) =
            put_domains(&app, &seller.id, OPERATOR_TOKEN, json!(["ok.de", bad])).await;
        assert_eq!(status, 400, "{bad:?}: {body}");
        assert_eq!(body["error"]["code"], "invalid_domain", "{bad:?}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("{bad:?}")),
            "{body}"
        );
    }
    let many: Vec<String> = (0..21).map(|i| format!("shop{i}.de")).collect();
    let (status, body) = put_domains(&app, &seller.id, OPERATOR_TOKEN, json!(many)).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (400, json!("too_many_domains"))
    );
    // Nothing refused changed the list.
    let (_, list) = app
        .get(
            &format!("/api/v1/sellers/{}/allowed-domains", seller.id),
            OPERATOR_TOKEN,
        )
        .await;
    assert_eq!(list["domains"][0]["domain"], "acme.de", "{list}");
    assert_eq!(list["domains"].as_array().unwrap().len(), 1, "{list}");

    // The seller cannot widen their own list; an unknown seller is 404.
    let (status, _) = put_domains(&app, &seller.id, &seller.token, json!(["evil.de"])).await;
    assert_eq!(status, 403);
    let (status, _) = app
        .get(
            &format!("/api/v1/sellers/{}/allowed-domains", seller.id),
            &seller.token,
        )
        .await;
    assert_eq!(status, 403);
    let unknown = uuid::Uuid::new_v4();
    let (status, _) = put_domains(&app, &unknown.to_string(), OPERATOR_TOKEN, json!([])).await;
    assert_eq!(status, 404);
}
