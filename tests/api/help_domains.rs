//! Help links sellers may send: the operator lists a seller's help domains
//! (`PUT /api/v1/sellers/{id}/allowed-domains`), and links to them (and
//! their subdomains) reach the buyer intact in that seller's messages, by
//! API and by email, while the same link in another seller's message or in
//! the buyer's mail is removed. Bad domains are refused with 400.

use serde_json::{Value, json};

use crate::helpers::{
    Backend, OPERATOR_TOKEN, Options, Party, TestApp, buyer_mail, parse_mail, spawn_app,
    spawn_app_with,
};
use crate::web::{csrf, invitation, location, page, post_form, sign_up};

crate::on_both_backends!(
    a_sellers_help_links_reach_the_buyer_and_no_one_elses_messages_carry_them,
    bad_help_domains_are_refused_and_only_the_operator_keeps_the_list,
    a_sellers_export_holds_their_help_domains_and_a_buyers_none,
    staff_see_add_and_remove_a_sellers_help_domains_in_the_console,
    a_save_from_an_older_list_is_refused_in_the_api_and_the_console,
);

const LINK: &str = "https://support.gadget-manuals.de/x200/reset.pdf";
const SELLER_EMAIL: &str = "owner@gadgetshop.example";

pub(crate) async fn put_domains(
    app: &TestApp,
    seller: &str,
    token: &str,
    domains: Value,
) -> (u16, Value) {
    put_list(app, seller, token, json!({ "domains": domains })).await
}

/// `PUT .../allowed-domains` with `body` as it is.
async fn put_list(app: &TestApp, seller: &str, token: &str, body: Value) -> (u16, Value) {
    let r = app
        .client
        .put(app.url(&format!("/api/v1/sellers/{seller}/allowed-domains")))
        .bearer_auth(token)
        .json(&body)
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

async fn a_sellers_export_holds_their_help_domains_and_a_buyers_none(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let other = app.create_seller("Other", "other@shop.example").await;
    let (status, body) = put_domains(
        &app,
        &c.seller.id,
        OPERATOR_TOKEN,
        json!(["gadget-manuals.de", "Help.Gadgetshop.de"]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    put_domains(&app, &other.id, OPERATOR_TOKEN, json!(["other-help.de"])).await;

    let (status, export) = app
        .get(
            &format!("/api/v1/sellers/{}/export", c.seller.id),
            OPERATOR_TOKEN,
        )
        .await;
    assert_eq!(status, 200, "{export}");
    let listed = export["help_domains"].as_array().expect("help_domains");
    let names: Vec<&str> = listed
        .iter()
        .map(|d| d["domain"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["gadget-manuals.de", "help.gadgetshop.de"]);
    assert_eq!(listed[0]["added_by"], "operator");
    assert!(listed[0]["added_at"].is_string(), "{export}");
    assert!(!export.to_string().contains("other-help.de"));

    let (status, export) = app
        .post(
            "/api/v1/buyers/export",
            OPERATOR_TOKEN,
            json!({ "email": c.buyer_email }),
        )
        .await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["help_domains"], json!([]), "{export}");
}

/// The bundled list with one more private suffix.
fn list_with(suffix: &str) -> String {
    let bundled = include_str!("../../src/domain/public_suffix_list.dat");
    let marker = "// ===BEGIN PRIVATE DOMAINS===";
    assert!(bundled.contains(marker));
    bundled.replacen(marker, &format!("{marker}\n{suffix}"), 1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_public_suffix_list_replaces_the_bundled_one_at_start_and_on_reload() {
    let dir = tempfile::tempdir().unwrap();
    let psl = dir.path().join("public_suffix_list.dat");
    std::fs::write(&psl, list_with("gadget-hosting.de")).unwrap();
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_PUBLIC_SUFFIX_LIST", psl.to_str().unwrap()),
    )
    .await;
    let seller = app.create_seller("Gadget Shop", SELLER_EMAIL).await;
    let put = |domain: &'static str| {
        let (app, seller) = (&app, &seller);
        async move {
            let (status, body) =
                put_domains(app, &seller.id, OPERATOR_TOKEN, json!([domain])).await;
            (
                status,
                body["error"]["code"].as_str().unwrap_or("").to_owned(),
            )
        }
    };

    // At start: a suffix only the newer list has is refused, names under it pass.
    assert_eq!(
        put("gadget-hosting.de").await,
        (400, "invalid_domain".into())
    );
    assert_eq!(put("acme.gadget-hosting.de").await.0, 200);
    assert_eq!(put("other-hosting.de").await.0, 200, "not a suffix yet");

    // On reload: the file's new contents are in force.
    std::fs::write(&psl, list_with("other-hosting.de")).unwrap();
    app.state.reload_policy().expect("a valid list reloads");
    assert_eq!(
        put("other-hosting.de").await,
        (400, "invalid_domain".into())
    );
    assert_eq!(put("gadget-hosting.de").await.0, 200);
    // What was stored under an older list still reads.
    let (status, listed) = app
        .get(
            &format!("/api/v1/sellers/{}/allowed-domains", seller.id),
            OPERATOR_TOKEN,
        )
        .await;
    assert_eq!(status, 200, "{listed}");

    // A file that is no list is refused, and the one in force stays.
    std::fs::write(&psl, "<html>503 Service Unavailable</html>").unwrap();
    assert!(app.state.reload_policy().is_err());
    assert_eq!(
        put("other-hosting.de").await,
        (400, "invalid_domain".into())
    );
}

async fn staff_see_add_and_remove_a_sellers_help_domains_in_the_console(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    put_domains(
        &app,
        &c.seller.id,
        OPERATOR_TOKEN,
        json!(["gadget-manuals.de"]),
    )
    .await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (b, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;

    // Linked from the seller's record.
    let record = format!("/console/sellers/{}", c.seller.id);
    let here = format!("{record}/help-domains");
    let (status, html) = page(&b, &app, &record).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"{here}\"")), "{html}");
    assert!(html.contains("Response time, last 30 days"), "{html}");
    let (status, html) = page(&b, &app, &here).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("<code>gadget-manuals.de</code>"), "{html}");
    assert!(html.contains("operator"), "who added it: {html}");
    let token = csrf(&html);

    // Only with the form's token.
    let add = |domain: &'static str, token: String| {
        let (b, app, here) = (&b, &app, &here);
        async move {
            post_form(
                b,
                app,
                here,
                &[
                    ("action", "add"),
                    ("domain", domain),
                    ("csrf_token", &token),
                ],
            )
            .await
        }
    };
    let r = add("forged.example", "forged".into()).await;
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = add("Help.GadgetShop.de", token.clone()).await;
    assert_eq!(location(&r), format!("{here}?notice=added"));
    let r = add("co.uk", token.clone()).await;
    assert_eq!(location(&r), format!("{here}?notice=invalid"));
    let r = post_form(
        &b,
        &app,
        &here,
        &[
            ("action", "remove"),
            ("domain", "gadget-manuals.de"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("{here}?notice=removed"));

    // The API sees what the console did, and the audit names the staff member.
    let (_, listed) = app
        .get(
            &format!("/api/v1/sellers/{}/allowed-domains", c.seller.id),
            OPERATOR_TOKEN,
        )
        .await;
    let names: Vec<&str> = listed["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["domain"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["help.gadgetshop.de"], "{listed}");
    assert_eq!(listed["domains"][0]["added_by"], "staff");
    let by_staff: Vec<_> = app
        .store
        .audit()
        .audit_events(Some(&c.seller.id), 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "seller.help_domains_changed" && e.actor_kind == "staff")
        .collect();
    assert_eq!(by_staff.len(), 2, "one event per change");
    assert!(
        by_staff
            .iter()
            .all(|e| e.actor_id.as_deref() == Some(staff.id.as_str()))
    );
    let (_, html) = page(&b, &app, &here).await;
    assert!(
        !html.contains("forged.example") && !html.contains("co.uk"),
        "{html}"
    );

    // Signed out, or an unknown seller: nothing.
    let (status, _) = page(&crate::web::browser(), &app, &here).await;
    assert_ne!(status, 200);
    let (status, _) = page(
        &b,
        &app,
        &format!("/console/sellers/{}/help-domains", uuid::Uuid::new_v4()),
    )
    .await;
    assert_eq!(status, 404);
}

/// The version of the list a console page shows and its forms send back.
fn version_of(html: &str) -> String {
    let at = html
        .find("name=\"version\" value=\"")
        .unwrap_or_else(|| panic!("no version in the page: {html}"));
    let rest = &html[at + "name=\"version\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Two editors of one seller's list at once, by the API and in the
/// console: the later save, made from the list as it was, is refused (409
/// in the API, a notice on the page) and the earlier one stands. A save
/// that names no version keeps replacing the list as before.
async fn a_save_from_an_older_list_is_refused_in_the_api_and_the_console(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let path = format!("/api/v1/sellers/{}/allowed-domains", c.seller.id);
    let put = |body: Value| put_list(&app, &c.seller.id, OPERATOR_TOKEN, body);
    let names = |listed: &Value| -> Vec<String> {
        listed["domains"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["domain"].as_str().unwrap().to_owned())
            .collect()
    };

    let (_, read) = app.get(&path, OPERATOR_TOKEN).await;
    assert_eq!(read["version"], 0, "{read}");
    let (status, first) = put(json!({ "domains": ["gadget-manuals.de"], "version": 0 })).await;
    assert_eq!((status, &first["version"]), (200, &json!(1)), "{first}");
    let (status, stale) = put(json!({ "domains": ["other-help.de"], "version": 0 })).await;
    assert_eq!(status, 409, "{stale}");
    assert_eq!(stale["error"]["code"], "stale_version", "{stale}");
    assert!(
        stale["error"]["message"]
            .as_str()
            .unwrap()
            .contains("changed since version 0"),
        "{stale}"
    );
    let (_, now) = app.get(&path, OPERATOR_TOKEN).await;
    assert_eq!(names(&now), ["gadget-manuals.de"], "the first save stands");
    assert_eq!(now["version"], 1);
    // Without a version, as before: the list given replaces the list.
    let (status, _) = put_domains(
        &app,
        &c.seller.id,
        OPERATOR_TOKEN,
        json!(["gadget-manuals.de", "other-help.de"]),
    )
    .await;
    assert_eq!(status, 200);

    // Two staff members open the page at once.
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (b, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    let here = format!("/console/sellers/{}/help-domains", c.seller.id);
    let (_, html) = page(&b, &app, &here).await;
    let (token, version) = (csrf(&html), version_of(&html));
    assert_eq!(version, "2");
    let post = |action: &'static str, domain: &'static str| {
        let (b, app, here, token, version) = (&b, &app, &here, &token, &version);
        async move {
            post_form(
                b,
                app,
                here,
                &[
                    ("action", action),
                    ("domain", domain),
                    ("csrf_token", token),
                    ("version", version),
                ],
            )
            .await
        }
    };
    let r = post("add", "help.gadgetshop.de").await;
    assert_eq!(location(&r), format!("{here}?notice=added"));
    // The second one's page still shows the list before that change.
    let r = post("remove", "other-help.de").await;
    assert_eq!(location(&r), format!("{here}?notice=stale"));
    let (_, html) = page(&b, &app, &format!("{here}?notice=stale")).await;
    assert!(html.contains("someone else changed"), "{html}");
    assert!(
        html.contains("<code>other-help.de</code>"),
        "not removed: {html}"
    );
    assert!(html.contains("<code>help.gadgetshop.de</code>"), "{html}");
    assert_eq!(version_of(&html), "3");
    // The API's save from the list it read is refused as well.
    let (status, _) = put(json!({ "domains": [], "version": 2 })).await;
    assert_eq!(status, 409);
}
