//! Every notice, the consent, report and opt-out pages and the footer of
//! seller mail in the reader's language: the party's own language as the
//! operator gave it, else their country's, else English.

use serde_json::{Value, json};

use crate::consent::{get_page, request_phone};
use crate::helpers::{Backend, Convo, OPERATOR_TOKEN, TestApp, parse_mail, spawn_app};
use crate::reports::{post as post_page, seller_says};

crate::on_both_backends!(
    a_german_buyer_gets_the_held_notice_in_german,
    the_footer_and_the_opt_out_and_report_pages_follow_the_buyers_country,
    the_consent_mail_and_pages_are_in_the_buyers_language,
    a_language_without_a_catalogue_falls_back_to_the_country_then_english,
    a_french_seller_is_told_in_french_why_a_reply_was_changed,
    an_arabic_buyers_pages_are_written_right_to_left,
);

const ORDER: &str = "ORD-1";

/// A conversation whose buyer is described by `buyer` (email, name and
/// language or country as the operator gives them).
async fn conversation(app: &TestApp, seller_language: Option<&str>, buyer: Value) -> Convo {
    let (status, seller) = app
        .post(
            "/api/v1/sellers",
            OPERATOR_TOKEN,
            json!({ "name": "Gadget Shop", "email": "owner@gadgetshop.example", "language": seller_language }),
        )
        .await;
    assert_eq!(status, 201, "{seller}");
    let seller = crate::helpers::Party {
        id: seller["id"].as_str().unwrap().into(),
        token: seller["api_token"].as_str().unwrap().into(),
    };
    let email = buyer["email"].as_str().unwrap().to_owned();
    let (status, body) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({ "seller_id": seller.id, "buyer": buyer, "order_id": ORDER }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    Convo::from_api(&body, &email, &seller)
}

fn buyer(extra: Value) -> Value {
    let mut buyer = json!({ "email": "jane.buyer@mail.example", "name": "Jane Buyer" });
    for (k, v) in extra.as_object().unwrap() {
        buyer[k] = v.clone();
    }
    buyer
}

/// The subject and text of each mail delivered so far.
async fn mails(app: &TestApp) -> Vec<(String, String)> {
    app.deliver_all().await;
    app.delivered()
        .iter()
        .map(|raw| {
            let mail = parse_mail(raw);
            (
                mail.subject().unwrap_or_default().to_owned(),
                mail.body_text(0).unwrap_or_default().into_owned(),
            )
        })
        .collect()
}

/// The link on the first line of `text` that contains `marker`.
fn link_after(text: &str, marker: &str) -> String {
    text.lines()
        .find(|l| l.contains(marker))
        .and_then(|l| l.split_whitespace().find(|w| w.starts_with("http")))
        .unwrap_or_else(|| panic!("no line with {marker:?} in {text}"))
        .to_owned()
}

/// The buyer writes something the policy holds: asking to pay off the
/// marketplace, with a phone number.
async fn buyer_writes_held_mail(app: &TestApp, c: &Convo) {
    let reply = app
        .buyer_writes(
            c,
            "Billiger?",
            "Kann ich per PayPal Freunde und Familie zahlen? Ruf mich an: +49 170 1234567.",
        )
        .await;
    assert!(reply.starts_with("250"), "{reply}");
}

async fn a_german_buyer_gets_the_held_notice_in_german(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation(&app, None, buyer(json!({ "language": "de-AT" }))).await;
    buyer_writes_held_mail(&app, &c).await;
    let mails = mails(&app).await;
    assert_eq!(mails.len(), 1, "only the held-for-review notice: {mails:?}");
    let (subject, text) = &mails[0];
    assert_eq!(subject, "Zur Prüfung zurückgehalten: Billiger?");
    for words in [
        "Ihre Nachricht „Billiger?“ wird von unserem Team für Vertrauen und Sicherheit geprüft.",
        "Was wir gefunden haben:",
        "Zur Prüfung zurückgehalten: sie fordert eine Zahlung außerhalb von",
        "Eine Telefonnummer wurde entfernt.",
        "So geht es richtig:",
        "Referenz:",
    ] {
        assert!(text.contains(words), "{words:?} not in {text}");
    }
    assert!(!text.contains("Held for review"), "{text}");
    assert!(
        !text.contains("1234567"),
        "the notice never quotes the contact"
    );
}

async fn the_footer_and_the_opt_out_and_report_pages_follow_the_buyers_country(backend: Backend) {
    let app = spawn_app(backend).await;
    // No language given: the country's language is read.
    let c = conversation(&app, None, buyer(json!({ "country": "DE" }))).await;
    seller_says(&app, &c, json!({ "body": "Ihr Paket ist unterwegs." })).await;
    let mails = mails(&app).await;
    let (_, text) = &mails[0];
    assert!(
        text.contains("Stimmt etwas mit dieser Nachricht nicht? Melden:"),
        "{text}"
    );
    assert!(!text.contains("Something wrong"), "{text}");
    let opt_out = link_after(text, "Keine Nachrichten von Gadget Shop mehr");
    let report = link_after(text, "Melden:");

    let (status, page) = get_page(&app, &opt_out).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(r#"<html lang="de" dir="ltr">"#), "{page}");
    assert!(page.contains("Nachrichten von Gadget Shop"), "{page}");
    assert!(page.contains("Diese Nachrichten abbestellen"), "{page}");
    let (status, page) = post_page(&app, &opt_out, &[("choice", "stop")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Erledigt: Nachrichten, die nicht eine Bestellung betreffen"),
        "{page}"
    );
    // Who is not the buyer is told so in the buyer's language too.
    let (status, page) = post_page(
        &app,
        &opt_out,
        &[("choice", "resume"), ("email", "someone@else.example")],
    )
    .await;
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("daher wurde nichts geändert"), "{page}");

    let (status, page) = get_page(&app, &report).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(r#"<html lang="de" dir="ltr">"#), "{page}");
    assert!(page.contains("Diese Nachricht melden"), "{page}");
    assert!(page.contains("Spam oder unerwünschte Werbung"), "{page}");
    let (status, page) = post_page(&app, &report, &[("reason", "spam")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Gemeldet:"), "{page}");
}

async fn the_consent_mail_and_pages_are_in_the_buyers_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation(
        &app,
        None,
        buyer(json!({ "language": "de", "phone": "+49 170 1234567" })),
    )
    .await;
    request_phone(
        &app,
        &c,
        json!({ "kind": "phone", "purpose": "delivery_scheduling", "order_id": ORDER }),
    )
    .await;
    // What the (English-reading) seller's thread shows stays English.
    let (_, thread) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    let asked = thread["messages"][0]["body"].as_str().unwrap_or_default();
    assert!(asked.contains("would like your phone number"), "{thread}");

    let mails = mails(&app).await;
    let (subject, text) = &mails[0];
    assert_eq!(
        subject,
        "Gadget Shop bittet um Ihre Telefonnummer (Shopwise)"
    );
    for words in [
        "Gadget Shop möchte Ihre Telefonnummer für die Terminabsprache für die Lieferung (Bestellung ORD-1).",
        "für 30 Tage",
        "niemals für Werbung",
        "Um Ihre Telefonnummer zu teilen, öffnen Sie:",
        "Leiten Sie diese E-Mail nicht weiter",
    ] {
        assert!(text.contains(words), "{words:?} not in {text}");
    }
    let grant = link_after(text, "/consent/");
    let (status, page) = get_page(&app, &grant).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(r#"<html lang="de" dir="ltr">"#), "{page}");
    assert!(page.contains("Ihre Telefonnummer teilen?"), "{page}");
    assert!(
        page.contains("<strong>Gadget Shop</strong> bittet um Ihre Telefonnummer für"),
        "{page}"
    );
    assert!(page.contains("Meine Telefonnummer teilen"), "{page}");
    assert!(page.contains("Ihre E-Mail-Adresse"), "{page}");
    let (status, page) = post_page(&app, &grant, &[("email", "jane.buyer@mail.example")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Vielen Dank"), "{page}");
    assert!(page.contains("Teilen beenden"), "{page}");
}

async fn a_language_without_a_catalogue_falls_back_to_the_country_then_english(backend: Backend) {
    let app = spawn_app(backend).await;
    // A malformed tag is refused; a well-formed one we have no words for is kept.
    let (status, body) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({ "seller_id": uuid::Uuid::new_v4(), "buyer": buyer(json!({ "language": "de AT" })) }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "invalid_language");

    let c = conversation(
        &app,
        None,
        buyer(json!({ "language": "zh-CN", "country": "ES" })),
    )
    .await;
    buyer_writes_held_mail(&app, &c).await;
    let (subject, text) = mails(&app).await.remove(0);
    assert_eq!(subject, "Retenido para revisión: Billiger?");
    assert!(text.contains("Se eliminó un número de teléfono."), "{text}");

    // Without a country either: English.
    let (status, body) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({
                "seller_id": c.seller.id,
                "buyer": { "email": "li.buyer@mail.example", "name": "Li", "language": "zh-CN" },
                "order_id": ORDER,
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let other = Convo::from_api(&body, "li.buyer@mail.example", &c.seller);
    buyer_writes_held_mail(&app, &other).await;
    let mails = mails(&app).await;
    let (subject, text) = mails.last().unwrap();
    assert_eq!(subject, "Held for review: Billiger?");
    assert!(text.contains("A phone number was removed."), "{text}");
}

async fn a_french_seller_is_told_in_french_why_a_reply_was_changed(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation(&app, Some("fr"), buyer(json!({}))).await;
    let reply = seller_says(
        &app,
        &c,
        json!({ "body": "Le numéro du dépôt est le +33 6 12 34 56 78, pour la livraison." }),
    )
    .await;
    let explained = &reply["explained"][0];
    assert_eq!(explained["kind"], "phone", "{reply}");
    assert_eq!(
        explained["what"], "Un numéro de téléphone a été retiré.",
        "{reply}"
    );
    assert!(
        explained["advice"]
            .as_str()
            .unwrap()
            .starts_with("Restez dans cette conversation."),
        "{reply}"
    );
    // The buyer, who gave no language or country, reads English.
    let mails = mails(&app).await;
    let (_, text) = &mails[0];
    assert!(
        text.contains("Something wrong with this message?"),
        "{text}"
    );
}

async fn an_arabic_buyers_pages_are_written_right_to_left(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation(&app, None, buyer(json!({ "country": "SA" }))).await;
    seller_says(&app, &c, json!({ "body": "Your parcel is on its way." })).await;
    let mails = mails(&app).await;
    let (_, text) = &mails[0];
    assert!(text.contains("هل في هذه الرسالة خطأ ما؟"), "{text}");
    let opt_out = link_after(text, "لا تريد رسائل من Gadget Shop");
    let (status, page) = get_page(&app, &opt_out).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(r#"<html lang="ar" dir="rtl">"#), "{page}");
    assert!(page.contains("إيقاف هذه الرسائل"), "{page}");
}
