//! `List-Unsubscribe` and one-click unsubscription (RFC 8058) end to end:
//! a seller's mail read at the sink names the opt-out link in both fields,
//! under a DKIM signature that verifies; a mail client's one-click POST,
//! with no session, opts the buyer out.

use serde_json::json;

use crate::delivery::{app_that_signs, dkim_passes};
use crate::helpers::{Backend, openapi_document, parse_mail};

crate::on_both_backends!(a_mail_clients_one_click_unsubscribe_opts_the_buyer_out);

async fn a_mail_clients_one_click_unsubscribe_opts_the_buyer_out(backend: Backend) {
    let (app, key, _dir) = app_that_signs(backend).await;
    let c = app.conversation().await;
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "We have a sale on." }),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    // Buyer mail to the seller carries no such fields.
    let answer = app.buyer_writes(&c, "Hello", "Is it still there?").await;
    assert!(answer.starts_with("250"), "{answer}");
    app.deliver_all().await;
    let delivered = app.delivered();
    let to_buyer = delivered
        .iter()
        .find(|raw| {
            parse_mail(raw).to().unwrap().first().unwrap().address() == Some(&c.buyer_email)
        })
        .expect("the seller's mail reached the buyer");
    let to_seller = delivered
        .iter()
        .find(|raw| !std::ptr::eq(*raw, to_buyer))
        .expect("the buyer's mail reached the seller");
    let header = |raw: &[u8], name: &str| {
        parse_mail(raw)
            .header_raw(name)
            .map(|v| v.trim().to_owned())
    };
    assert_eq!(header(to_seller, "List-Unsubscribe"), None);
    let list_unsubscribe = header(to_buyer, "List-Unsubscribe").expect("List-Unsubscribe");
    let url = list_unsubscribe
        .strip_prefix('<')
        .and_then(|u| u.strip_suffix('>'))
        .unwrap_or_else(|| panic!("one URL in angle brackets: {list_unsubscribe}"));
    assert!(url.starts_with(&format!("{}/opt-out/", app.http)), "{url}");
    // The same link as the footer's.
    let text = parse_mail(to_buyer).body_text(0).unwrap().into_owned();
    assert!(text.contains(url), "{text}");
    assert_eq!(
        header(to_buyer, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let signed = dkim_passes(to_buyer, &key).await;
    for field in ["list-unsubscribe", "list-unsubscribe-post"] {
        assert!(signed.iter().any(|h| h == field), "{field} in {signed:?}");
    }

    // The mail client's POST: no cookie, no form token, only the body.
    let r = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let conversation = c.id.parse().unwrap();
    assert!(
        app.store
            .reports()
            .buyer_opted_out(conversation)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        app.audit_event(&c.id, "conversation.opted_out")
            .await
            .is_some()
    );
    // From now on, advertising is blocked.
    let (_, blocked) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "Another sale!" }),
        )
        .await;
    assert_eq!(blocked["status"], "blocked", "{blocked}");
    // The buyer opts back in; a client posting multipart, as RFC 8058
    // prefers, opts them out again.
    let r = reqwest::Client::new()
        .post(url)
        .form(&[("choice", "resume"), ("email", c.buyer_email.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let opted_out = || async {
        app.store
            .reports()
            .buyer_opted_out(conversation)
            .await
            .unwrap()
    };
    assert!(opted_out().await.is_none());
    let r = reqwest::Client::new()
        .post(url)
        .multipart(reqwest::multipart::Form::new().text("List-Unsubscribe", "One-Click"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(opted_out().await.is_some());

    // The endpoint is documented.
    let doc = openapi_document(&app).await;
    let one_click = &doc["paths"]["/opt-out/{token}"]["post"];
    assert!(
        one_click["description"]
            .as_str()
            .is_some_and(|d| d.contains("List-Unsubscribe=One-Click")),
        "{one_click}"
    );
    // A tampered link changes nothing.
    let r = reqwest::Client::new()
        .post(url.replace("/opt-out/", "/opt-out/0"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
}
