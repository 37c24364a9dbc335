//! Golden fixtures: every `tests/fixtures/eml/*/NNN.eml` against its `NNN.expected.json`.
//!
//! Expected keys (each optional, only those present are checked): `subject`,
//! `from_name`, `message_id`, `in_reply_to`, `references`, `text` (exact),
//! `text_contains` and `text_excludes` (lists of excerpts), `html` (present or
//! not), `html_contains`, `attachments` (names, `null` for unnamed),
//! `attachment_types`, `malformed`. On mismatch `NNN.actual.json` is written
//! beside the fixture.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{ParsedMail, parse};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eml")
}

fn actual_json(mail: &ParsedMail) -> Value {
    json!({
        "subject": mail.subject,
        "from_name": mail.from_name,
        "message_id": mail.message_id,
        "in_reply_to": mail.in_reply_to,
        "references": mail.references,
        "text": mail.text,
        "html": mail.html.is_some(),
        "attachments": mail.attachments.iter().map(|a| a.filename.clone()).collect::<Vec<_>>(),
        "attachment_types": mail.attachments.iter().map(|a| a.content_type.clone()).collect::<Vec<_>>(),
        "malformed": mail.malformed,
    })
}

/// The differences between what a fixture expects and what we parsed.
fn mismatches(expected: &Value, mail: &ParsedMail) -> Vec<String> {
    let actual = actual_json(mail);
    let mut problems = Vec::new();
    let Some(expected) = expected.as_object() else {
        return vec!["expected.json is not an object".into()];
    };
    for (key, want) in expected {
        match key.as_str() {
            "text_contains" | "text_excludes" | "html_contains" => {
                let haystack = match key.as_str() {
                    "html_contains" => mail.html.clone().unwrap_or_default(),
                    _ => mail.text.clone(),
                };
                let must_contain = key != "text_excludes";
                for needle in want.as_array().into_iter().flatten() {
                    let needle = needle.as_str().unwrap_or_default();
                    if haystack.contains(needle) != must_contain {
                        problems.push(format!("{key}: {needle:?}"));
                    }
                }
            }
            _ => match actual.get(key) {
                Some(got) if got == want => {}
                Some(got) => problems.push(format!("{key}: expected {want}, got {got}")),
                None => problems.push(format!("{key}: unknown key")),
            },
        }
    }
    problems
}

#[test]
fn eml_fixtures_match_their_expectations() {
    let root = fixture_root();
    let mut ran = 0;
    let mut failures = Vec::new();
    for folder in ["rfc", "malformed", "clients"] {
        let dir = root.join(folder);
        let mut emls: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        emls.sort();
        for eml in emls {
            let expected_path = eml.with_extension("expected.json");
            let actual_path = eml.with_extension("actual.json");
            let raw = std::fs::read(&eml).expect("fixture is readable");
            let mail = parse(&raw);
            let expected: Value = match std::fs::read_to_string(&expected_path) {
                Ok(s) => serde_json::from_str(&s)
                    .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
                Err(_) => Value::Null,
            };
            ran += 1;
            let problems = if expected.is_null() {
                vec!["no expected.json".to_owned()]
            } else {
                mismatches(&expected, &mail)
            };
            let name = format!(
                "{folder}/{}",
                eml.file_name().unwrap_or_default().to_string_lossy()
            );
            if problems.is_empty() {
                let _ = std::fs::remove_file(&actual_path);
            } else {
                let pretty = serde_json::to_string_pretty(&actual_json(&mail)).unwrap_or_default();
                std::fs::write(&actual_path, pretty + "\n").expect("writes actual.json");
                failures.push(format!("{name}:\n  {}", problems.join("\n  ")));
            }
        }
    }
    assert!(ran > 0, "no fixtures found under {}", root.display());
    assert!(
        failures.is_empty(),
        "{} of {ran} fixtures differ (see the .actual.json files):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
