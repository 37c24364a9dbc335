//! The seller's, the buyer's and the staff member's journeys in headless Chromium: this
//! side seeds the real service over the API and SMTP, runs
//! `tests/browser/journeys.mjs` against it, and checks what the browser
//! cannot see (the store and the outbox).
//!
//! Needs Chromium (`/usr/bin/chromium`, or `MARKETRELAY_CHROMIUM`) and
//! `npm ci` in `tests/browser`; `scripts/test` sets both up. Without them the
//! test fails and says so. `MARKETRELAY_UPDATE_SCREENSHOTS=1` writes the
//! screenshots to `docs/screenshots/` instead of a temp folder.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use marketrelay::domain::{ConversationId, Direction, MessageStatus};
use tokio::process::Command;

use crate::{
    helpers::{Backend, TestApp, buyer_mail, parse_mail, spawn_app},
    web::invitation,
};

crate::on_both_backends!(seller_and_staff_journeys_in_headless_chromium);

const PASSWORD: &str = "a long browser password";
const SELLER_EMAIL: &str = "owner@gadgetshop.example";
const STAFF_EMAIL: &str = "tess@marketplace.example";
const ORDER_ID: &str = "123-1234567-1234567";
/// In the buyer's mail; must never reach the seller's screen or mailbox.
const BUYER_PHONE: &str = "+49 152 98765432";
/// Typed by the seller; must be marked by the preview and never delivered.
const REPLY_PHONE: &str = "+49 171 3344556";
/// Every screenshot the journeys promise (more may be listed in the script).
const SCREENSHOTS: [&str; 17] = [
    "sign-in.png",
    "inbox.png",
    "inbox-thread-live-preview.png",
    "buyer-report.png",
    "console-queue.png",
    "console-message.png",
    "console-reports.png",
    "console-dashboard.png",
    "console-conversations.png",
    "console-conversation.png",
    "console-access-log.png",
    "console-sellers.png",
    "console-seller.png",
    "console-help-domains.png",
    "phone-inbox.png",
    "phone-console-dashboard.png",
    "api-docs.png",
];
/// What the seller tells Bob by API; Bob reports it from the link in the mail.
const SHIPPING_NOTE: &str = "Thanks Bob, your parcel ships on Monday.";
/// Staff warned the seller about a held message before the journeys.
const WARNING_REASON: &str = "Asked Bob to pay outside the marketplace";
const HELP_DOMAIN: &str = "gadget-manuals.de";
const HOW_TO_INSTALL: &str = "run scripts/test, which installs both, or by hand: \
    `apt-get install -y chromium` and `npm ci --prefix tests/browser`";

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// The browser, Node and playwright-core, or a failure saying how to get them.
async fn prerequisites() -> PathBuf {
    let chromium = PathBuf::from(
        std::env::var("MARKETRELAY_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    );
    assert!(
        chromium.is_file(),
        "the browser tests need Chromium, which is not at {}: {HOW_TO_INSTALL}",
        chromium.display()
    );
    assert!(
        browser_dir()
            .join("node_modules/playwright-core/package.json")
            .is_file(),
        "the browser tests need playwright-core in tests/browser/node_modules: {HOW_TO_INSTALL}"
    );
    let node = Command::new("node").arg("--version").output().await;
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "the browser tests need Node.js 20 or later on PATH (apt-get install -y nodejs)"
    );
    chromium
}

/// Where the screenshots go: the tracked folder only when asked to update it.
fn screenshot_dir(app: &TestApp, backend: Backend) -> PathBuf {
    let update = std::env::var("MARKETRELAY_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1");
    if update && matches!(backend, Backend::Sqlite) {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots")
    } else {
        app.dir.path().join("screenshots")
    }
}

async fn send(app: &TestApp, from: &str, to: &str, subject: &str, body: &str) {
    let reply = app
        .send_mail(from, to, &buyer_mail(from, to, subject, body))
        .await;
    assert!(reply.starts_with("250"), "{reply}");
}

/// The digits of a phone number, as they would appear however it is spaced.
fn digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

async fn seller_and_staff_journeys_in_headless_chromium(backend: Backend) {
    let chromium = prerequisites().await;
    let app = spawn_app(backend).await;
    let seller = app.create_seller("Gadget Shop", SELLER_EMAIL).await;
    let staff = app.create_staff("Tess Reviewer", STAFF_EMAIL).await;
    let jane = app
        .conversation_with(&seller, "jane.buyer@mail.example", "Jane Buyer")
        .await;
    let bob = app
        .conversation_with(&seller, "bob.buyer@mail.example", "Bob Buyer")
        .await;
    send(
        &app,
        &jane.buyer_email,
        &jane.seller_alias,
        "Is the desk lamp still available?",
        &format!("Hi! Is the lamp still available? Call me at {BUYER_PHONE}, evenings are best."),
    )
    .await;
    send(
        &app,
        &bob.buyer_email,
        &bob.seller_alias,
        "Paying for my order",
        "Can I pay you via PayPal friends and family instead? Saves us both the fees.",
    )
    .await;
    let bob_id: ConversationId = bob.id.parse().unwrap();
    let held = app.store.messages().list_messages(bob_id).await.unwrap()[0].clone();
    assert_eq!(
        held.status,
        MessageStatus::Held,
        "the payment request is held"
    );

    // The seller answers Bob by API; the mail Bob gets carries the signed
    // "Report this message" link his journey in the browser starts from.
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", bob.id),
            &seller.token,
            serde_json::json!({ "body": SHIPPING_NOTE }),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    app.deliver_all().await;
    let report_url = app
        .delivered()
        .iter()
        .map(|raw| {
            parse_mail(raw)
                .body_text(0)
                .unwrap_or_default()
                .into_owned()
        })
        .find(|text| text.contains(SHIPPING_NOTE))
        .and_then(|text| {
            let start = text.find("Report it: ")? + "Report it: ".len();
            text[start..].split_whitespace().next().map(str::to_owned)
        })
        .expect("the mail to Bob carries a report link");

    // A held reply of the seller's that staff warned about, and a help
    // domain: what the console's seller pages show.
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", bob.id),
            &seller.token,
            serde_json::json!({
                "subject": "Your discount",
                "body": "Cancel the order and pay me via PayPal friends and family, I'll give you 10% off."
            }),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["status"], "held", "{body}");
    let (status, warned) = app
        .post(
            &format!("/api/v1/messages/{}/warning", body["id"].as_str().unwrap()),
            &staff.token,
            serde_json::json!({ "reason": WARNING_REASON }),
        )
        .await;
    assert_eq!(status, 201, "{warned}");
    let (status, body) = crate::help_domains::put_domains(
        &app,
        &seller.id,
        crate::helpers::OPERATOR_TOKEN,
        serde_json::json!([HELP_DOMAIN]),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let shots = screenshot_dir(&app, backend);
    let run = Command::new("node")
        .arg(browser_dir().join("journeys.mjs"))
        .current_dir(browser_dir())
        .env("MARKETRELAY_BASE_URL", &app.http)
        .env(
            "MARKETRELAY_SELLER_INVITE",
            invitation(&app, "sellers", &seller.id).await,
        )
        .env("MARKETRELAY_SELLER_EMAIL", SELLER_EMAIL)
        .env(
            "MARKETRELAY_STAFF_INVITE",
            invitation(&app, "staff", &staff.id).await,
        )
        .env("MARKETRELAY_STAFF_EMAIL", STAFF_EMAIL)
        .env("MARKETRELAY_PASSWORD", PASSWORD)
        .env("MARKETRELAY_BUYER_PHONE", BUYER_PHONE)
        .env("MARKETRELAY_REPLY_PHONE", REPLY_PHONE)
        .env("MARKETRELAY_ORDER_ID", ORDER_ID)
        .env("MARKETRELAY_SELLER_NAME", "Gadget Shop")
        .env("MARKETRELAY_WARNING_REASON", WARNING_REASON)
        .env("MARKETRELAY_HELP_DOMAIN", HELP_DOMAIN)
        .env("MARKETRELAY_REPORT_URL", &report_url)
        .env("MARKETRELAY_SCREENSHOTS", &shots)
        .env("MARKETRELAY_CHROMIUM", &chromium)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(300), run)
        .await
        .expect("the browser journeys finish within five minutes")
        .expect("node starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Each check the browser made, for --no-capture runs.
    print!("{stdout}");
    assert!(
        output.status.success() && stdout.contains("journeys passed"),
        "the browser journeys failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains(&format!("released {}", held.id)),
        "the staff member released Bob's held message:\n{stdout}"
    );

    // The store saw the same: the release with its note, the staff read, the reply.
    let released = app.store.messages().get_message(held.id).await.unwrap();
    assert_eq!(released.status, MessageStatus::Queued);
    let events = app
        .store
        .audit()
        .audit_events(Some(&held.id.to_string()), 100)
        .await
        .unwrap();
    let noted = events
        .iter()
        .any(|e| e.details.to_string().contains("checked, released"));
    assert!(noted, "the release note is on record: {events:?}");
    let read = events
        .iter()
        .any(|e| e.action == "message.read" && e.actor_id.as_deref() == Some(staff.id.as_str()));
    assert!(read, "the staff read is on record: {events:?}");
    let reports = app
        .store
        .reports()
        .list_reports(marketrelay::domain::ReportStatus::Resolved)
        .await
        .unwrap();
    assert_eq!(reports.len(), 1, "Bob's report was filed and resolved");
    assert_eq!(reports[0].comment.as_deref(), Some("Not my order."));
    assert_eq!(
        reports[0].resolution_note.as_deref(),
        Some("Checked with the seller.")
    );
    let jane_id: ConversationId = jane.id.parse().unwrap();
    let reply = app
        .store
        .messages()
        .list_messages(jane_id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.direction == Direction::SellerToBuyer)
        .expect("the reply typed in the browser was stored");
    assert!(reply.original_body.contains(REPLY_PHONE), "{reply:?}");
    assert!(reply.body.contains("[phone removed]"), "{reply:?}");

    // What actually left: no phone number in any mail, decoded or raw.
    app.deliver_all().await;
    let mails = app.delivered();
    assert_eq!(
        mails.len(),
        6,
        "Jane's mail, the reply to Bob, the reply to Jane, Bob's released mail, \
         the notice that told Bob it was held for review, and the seller's warning"
    );
    assert!(
        stdout.contains("help domains changed"),
        "staff changed the help domains:\n{stdout}"
    );
    let kept: Vec<String> = app
        .store
        .help_domains()
        .help_domains(seller.id.parse().unwrap())
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.domain.to_string())
        .collect();
    assert_eq!(kept, ["support.gadget-manuals.com"]);
    let held_notices = mails
        .iter()
        .filter(|raw| {
            parse_mail(raw)
                .subject()
                .is_some_and(|s| s.starts_with("Held for review"))
        })
        .count();
    assert_eq!(
        held_notices, 1,
        "Bob was told at once that his mail was held"
    );
    let mut reply_seen = false;
    for raw in &mails {
        let mail = parse_mail(raw);
        let text = mail.body_text(0).unwrap_or_default().into_owned();
        let raw = String::from_utf8_lossy(raw);
        for number in [BUYER_PHONE, REPLY_PHONE] {
            assert!(
                !digits(&text).contains(&digits(number)[5..]) && !raw.contains(&number[4..]),
                "{number} left in a mail:\n{raw}"
            );
        }
        reply_seen |= text.contains("It is in stock.") && text.contains("[phone removed]");
    }
    assert!(reply_seen, "the seller's reply was delivered, redacted");

    for name in SCREENSHOTS {
        let png = std::fs::read(shots.join(name))
            .unwrap_or_else(|e| panic!("screenshot {name} was not written: {e}"));
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is a PNG");
    }
}
