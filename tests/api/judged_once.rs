//! A message is judged once, at acceptance, with the parties' regions and
//! consent; what is delivered and what the inbox shows is that record,
//! whatever context delivery has and whatever policy is loaded by then.
//! Messages stored before the record existed still deliver (legacy path).

use mail_parser::MimeHeaders;
use marketrelay::domain::{FindingField, MessageFiles, MessageId, StoredMessage};
use serde_json::json;

use crate::{
    helpers::{
        Backend, Convo, OPERATOR_TOKEN, Options, TestApp, parse_mail, queued_id, spawn_app,
        spawn_app_with,
    },
    web::{invitation, page, sign_up},
};

crate::on_both_backends!(
    a_national_number_hinted_by_the_buyers_country_stays_out_of_file_names,
    a_policy_reload_before_delivery_changes_nothing_that_was_decided,
    messages_stored_before_files_were_recorded_still_deliver_judged_once,
);

/// A Brazilian mobile number in national form: no region of the default
/// `[phone] regions` of config/policy.toml reads it as a phone number.
const BR_NUMBER: &str = "(11) 91234-5678";

/// A buyer's mail with one text file: its name and its content.
fn mail_with_file(c: &Convo, file_name: &str, file_text: &str) -> String {
    format!(
        "From: Ana <{from}>\r\nTo: <{to}>\r\nSubject: Documents\r\n\
         Message-ID: <{n}@mail.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe documents.\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Disposition: attachment; filename=\"{file_name}\"\r\n\r\n{file_text}\r\n\
         --b1--\r\n",
        from = c.buyer_email,
        to = c.seller_alias,
        n = uuid::Uuid::new_v4().simple(),
    )
}

/// A conversation whose buyer lives in `country`.
async fn conversation_in(app: &TestApp, country: &str) -> Convo {
    let seller = app.create_seller("Loja", "loja@shop.example").await;
    let (status, body) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({ "seller_id": seller.id, "buyer": { "email": "ana@mail.example", "name": "Ana", "country": country } }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    Convo::from_api(&body, "ana@mail.example", &seller)
}

/// A buyer in Brazil sends a text file whose name and content carry a
/// national number: the buyer's country is the only hint that it is one.
async fn brazilian_number_in_a_file(app: &TestApp) -> (Convo, StoredMessage) {
    let c = conversation_in(app, "BR").await;
    let raw = mail_with_file(
        &c,
        &format!("celular {BR_NUMBER}.txt"),
        &format!("Meu celular: {BR_NUMBER}"),
    );
    let message = accepted(app, &c, &raw).await;
    (c, message)
}

/// Sends the buyer's mail and returns the stored message.
async fn accepted(app: &TestApp, c: &Convo, raw: &str) -> StoredMessage {
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, raw).await;
    let id: MessageId = queued_id(&reply).parse().expect("message id");
    app.store.messages().get_message(id).await.unwrap()
}

/// The one file of the one delivered mail: its name and content.
fn delivered_file(app: &TestApp) -> (String, String) {
    let mails = app.delivered();
    assert_eq!(mails.len(), 1, "one mail delivered");
    let mail = parse_mail(&mails[0]);
    let files: Vec<_> = mail.attachments().collect();
    assert_eq!(files.len(), 1, "one file delivered");
    (
        files[0].attachment_name().unwrap_or_default().to_owned(),
        String::from_utf8_lossy(files[0].contents())
            .trim_end()
            .to_owned(),
    )
}

/// What was decided about the one file of a message.
fn decided_file(files: &Option<MessageFiles>) -> (String, String) {
    let files = files.as_ref().expect("the files are recorded");
    assert_eq!(files.delivered.len(), 1, "{files:?}");
    let file = &files.delivered[0];
    let text = file.text.as_deref().expect("a text file");
    (file.name.clone(), text.trim_end().to_owned())
}

/// The audit's decision on a message: its action and the rules that fired.
async fn audit_decision(app: &TestApp, id: MessageId) -> (String, Vec<String>) {
    let decided = app
        .audit_event(&id.to_string(), "message.decided")
        .await
        .expect("decision audited");
    let rules = decided.details["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    (
        decided.details["action"].as_str().unwrap().to_owned(),
        rules,
    )
}

async fn a_national_number_hinted_by_the_buyers_country_stays_out_of_file_names(backend: Backend) {
    let app = spawn_app(backend).await;
    let (c, message) = brazilian_number_in_a_file(&app).await;

    let (action, rules) = audit_decision(&app, message.id).await;
    assert_eq!(action, "redact", "{rules:?}");
    assert!(rules.iter().any(|r| r.starts_with("phone")), "{rules:?}");
    for field in [FindingField::AttachmentName, FindingField::Attachment] {
        assert!(
            message
                .findings
                .iter()
                .any(|f| f.field == field && f.removed),
            "the {field:?} finding is recorded as removed: {:?}",
            message.findings
        );
    }
    let decided = decided_file(&message.files);
    assert!(!decided.0.contains("91234"), "{decided:?}");
    assert!(!decided.1.contains("91234"), "{decided:?}");

    app.deliver_all().await;
    assert_eq!(delivered_file(&app), decided, "delivered as decided");

    // The seller's inbox shows the file as it was delivered.
    let url = invitation(&app, "sellers", &c.seller.id).await;
    let (b, _) = sign_up(&url).await;
    let (status, thread) = page(&b, &app, &format!("/inbox/{}", c.id)).await;
    assert_eq!(status, 200);
    assert!(thread.contains("celular"), "{thread}");
    assert!(!thread.contains("91234"), "{thread}");
}

async fn a_policy_reload_before_delivery_changes_nothing_that_was_decided(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    let write_policy = |phone: &str| {
        std::fs::write(&policy, format!("[actions.phone]\nall = \"{phone}\"\n")).unwrap();
    };
    write_policy("redact");
    let app = spawn_app_with(
        Options::new(backend).var("MARKETRELAY_POLICY_FILE", policy.to_str().unwrap()),
    )
    .await;
    let c = app.conversation().await;
    let raw = mail_with_file(
        &c,
        "call +49 170 1234567.txt",
        "Call me on +49 170 1234567 tonight.",
    );
    let message = accepted(&app, &c, &raw).await;
    let (action, _) = audit_decision(&app, message.id).await;
    assert_eq!(action, "redact");
    let decided = decided_file(&message.files);
    assert!(!decided.0.contains("1234567"), "{decided:?}");
    assert!(!decided.1.contains("1234567"), "{decided:?}");

    // Phone numbers pass from now on; the message was judged before.
    write_policy("deliver");
    app.state.reload_policy().expect("valid policy reloads");

    app.deliver_all().await;
    assert_eq!(delivered_file(&app), decided, "delivered as decided");
    let mail = app.delivered().remove(0);
    let text = parse_mail(&mail).body_text(0).unwrap().into_owned();
    assert!(!text.contains("1234567"), "{text}");
}

async fn messages_stored_before_files_were_recorded_still_deliver_judged_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, message) = brazilian_number_in_a_file(&app).await;
    let recorded = decided_file(&message.files);
    forget_files(&app, message.id).await;
    let legacy = app.store.messages().get_message(message.id).await.unwrap();
    assert!(legacy.files.is_none(), "as before migration 0011");

    // Delivered with the parties' regions, as acceptance would have judged it.
    app.deliver_all().await;
    let delivered = delivered_file(&app);
    assert_eq!(delivered, recorded);
    // And that judgement is now the record.
    let after = app.store.messages().get_message(message.id).await.unwrap();
    assert_eq!(decided_file(&after.files), delivered);
}

/// Clears a message's recorded files, as a message stored before
/// migration 0011 has none.
async fn forget_files(app: &TestApp, id: MessageId) {
    use sqlx::Connection;
    let url = &app.database_url;
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query("update messages set files = null where id = $1")
            .bind(id.to_string())
            .execute(&mut conn)
            .await
            .unwrap();
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query("update messages set files = null where id = $1")
            .bind(id.0)
            .execute(&mut conn)
            .await
            .unwrap();
    }
}
