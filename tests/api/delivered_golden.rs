//! Golden delivered mail: each case in `tests/fixtures/delivered/` is sent
//! into the real service (a buyer's mail over SMTP, or a seller's reply
//! through the API), delivered to the `.eml` outbox, and every mail that
//! comes out is compared byte for byte with `NNN-name.out.eml`, after the
//! values that differ from run to run (aliases, ids, dates, MIME
//! boundaries, signed link tokens) are replaced by stable names.
//!
//! The inbound side has its own golden corpus (`tests/fixtures/eml`); this
//! one pins what a recipient's mail client receives: headers, parts,
//! placeholders, footers and notices. `MARKETRELAY_UPDATE_GOLDEN=1`
//! rewrites the expected files; read their diff before committing it.

use std::{
    collections::{BTreeSet, HashMap},
    path::{Path, PathBuf},
};

use regex::Regex;
use serde_json::Value;

use crate::helpers::{Backend, Convo, Options, TestApp, spawn_app_with};

crate::on_both_backends!(delivered_mail_matches_the_golden_files);

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/delivered")
}

/// One case: what goes in (`.in.eml` from the buyer or the seller by SMTP,
/// or `.in.json`, a seller's API reply) and the expected output.
struct Case {
    name: String,
    input: PathBuf,
    expected: PathBuf,
}

fn cases() -> Vec<Case> {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("tests/fixtures/delivered exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".in.eml") || name.ends_with(".in.json")
        })
        .collect();
    inputs.sort();
    inputs
        .into_iter()
        .map(|input| {
            let file = input.file_name().unwrap().to_str().unwrap();
            let name = file
                .trim_end_matches(".in.eml")
                .trim_end_matches(".in.json")
                .to_owned();
            let expected = fixture_dir().join(format!("{name}.out.eml"));
            Case {
                name,
                input,
                expected,
            }
        })
        .collect()
}

/// Fills a fixture's placeholders with the conversation's real values.
fn fill(template: &str, c: &Convo) -> String {
    template
        .replace("{BUYER}", &c.buyer_email)
        .replace("{SELLER}", "owner@gadgetshop.example")
        .replace("{SELLER_ALIAS}", &c.seller_alias)
        .replace("{BUYER_ALIAS}", &c.buyer_alias)
        .replace('\n', "\r\n")
        .replace("\r\r\n", "\r\n")
}

/// Replaces what changes from run to run with stable names, numbered in
/// order of first appearance so that equal values stay visibly equal.
fn normalize(mail: &str, c: &Convo) -> String {
    // Quoted-printable soft line breaks fall wherever the line reaches 76
    // characters: joined, a long value stays in one piece for the names below.
    let mut out = mail
        .replace("=\r\n", "")
        .replace(&c.buyer_email, "{BUYER}")
        .replace(&c.seller_alias, "{SELLER_ALIAS}")
        .replace(&c.buyer_alias, "{BUYER_ALIAS}")
        .replace(&c.id, "{CONVERSATION}");
    let date = Regex::new(r"(?m)^Date: .*$").unwrap();
    out = date.replace_all(&out, "Date: {DATE}").into_owned();
    let boundary = Regex::new(r#"boundary="?([^";\r\n]+)"?"#).unwrap();
    let boundaries: Vec<String> = boundary
        .captures_iter(&out)
        .map(|m| m[1].to_owned())
        .collect();
    for (i, b) in boundaries.iter().enumerate() {
        out = out.replace(b.as_str(), &format!("{{BOUNDARY{}}}", i + 1));
    }
    // Ids (UUIDs with or without hyphens), numbered by first appearance.
    let mut names: HashMap<String, String> = HashMap::new();
    let id =
        Regex::new(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}").unwrap();
    out = id
        .replace_all(&out, |m: &regex::Captures<'_>| {
            let n = names.len() + 1;
            names
                .entry(m[0].to_owned())
                .or_insert_with(|| format!("{{ID{n}}}"))
                .clone()
        })
        .into_owned();
    // Signed links: `<subject>.<expiry>.<signature>`.
    let expiry = Regex::new(r"\.[0-9]{9,11}\.[A-Za-z0-9_-]{20,}").unwrap();
    out = expiry
        .replace_all(&out, ".{EXPIRY}.{SIGNATURE}")
        .into_owned();
    out
}

/// The outbox's file names.
fn outbox_files(app: &TestApp) -> BTreeSet<PathBuf> {
    std::fs::read_dir(&app.outbox)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default()
}

async fn run_case(app: &TestApp, c: &Convo, case: &Case) -> String {
    let before = outbox_files(app);
    let text = std::fs::read_to_string(&case.input).expect("fixture reads");
    if case.input.extension().is_some_and(|e| e == "json") {
        let body: Value =
            serde_json::from_str(&fill(&text, c).replace("\r\n", "\n")).expect("fixture is JSON");
        let (status, answer) = app
            .post(
                &format!("/api/v1/conversations/{}/messages", c.id),
                &c.seller.token,
                body,
            )
            .await;
        assert_eq!(status, 202, "{}: seller reply: {answer}", case.name);
    } else {
        let raw = fill(&text, c);
        // The first line names the envelope: `X-Test-Envelope: FROM TO`.
        let envelope = raw.lines().next().expect("envelope line");
        let mut parts = envelope
            .strip_prefix("X-Test-Envelope: ")
            .expect("the first line is X-Test-Envelope")
            .split_whitespace();
        let (from, to) = (parts.next().unwrap(), parts.next().unwrap());
        let raw = raw.split_once("\r\n").unwrap().1;
        let reply = app.send_mail(from, to, raw).await;
        assert!(reply.starts_with("250"), "{}: {reply}", case.name);
    }
    app.deliver_all().await;
    // Outbox files are named by id, not by time: the new ones, in an order
    // of their own (the relayed mail before the notice about it).
    let mut mails: Vec<String> = outbox_files(app)
        .difference(&before)
        .map(|path| {
            let bytes = std::fs::read(path).expect("outbox file reads");
            normalize(&String::from_utf8_lossy(&bytes), c)
        })
        .collect();
    assert!(!mails.is_empty(), "{}: nothing was delivered", case.name);
    mails.sort_by_key(|m| (m.starts_with("Auto-Submitted"), m.clone()));
    mails.join("\n==== next mail ====\n")
}

async fn delivered_mail_matches_the_golden_files(backend: Backend) {
    // A fixed public URL, so links do not carry the test's random port.
    let app =
        spawn_app_with(Options::new(backend).var("MARKETRELAY_PUBLIC_URL", "https://shop.example"))
            .await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let update = std::env::var_os("MARKETRELAY_UPDATE_GOLDEN").is_some();
    let cases = cases();
    assert!(cases.len() >= 6, "the golden corpus lost cases");
    let mut failures = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        // A conversation per case, so threading and notices start afresh.
        let c = app
            .conversation_with(&seller, &format!("jane{n}@mail.example"), "Jane Buyer")
            .await;
        let actual = run_case(&app, &c, case).await;
        if update {
            std::fs::write(&case.expected, &actual).expect("golden file writes");
            continue;
        }
        let expected = std::fs::read_to_string(&case.expected).unwrap_or_default();
        if expected != actual {
            let path = case.expected.with_extension("actual.eml");
            std::fs::write(&path, &actual).expect("actual file writes");
            failures.push(format!("{} (see {})", case.name, path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "delivered mail differs from its golden file: {}",
        failures.join(", ")
    );
}
