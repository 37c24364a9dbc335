//! The policy file is re-read on SIGHUP (or `AppState::reload_policy`):
//! a changed action takes effect, a broken file keeps the old policy.

use std::path::Path;

use serde_json::{Value, json};

use crate::helpers::{Backend, OPERATOR_TOKEN, Options, spawn_app_with};

const PHONE_TEXT: &str = "ring me on +49 170 1234567 tonight";

fn write_policy(path: &Path, phone_action: &str) {
    std::fs::write(path, format!("[actions.phone]\nall = \"{phone_action}\"\n")).unwrap();
}

fn evaluate_body() -> Value {
    json!({ "text": PHONE_TEXT, "direction": "buyer_to_seller" })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reloading_the_policy_file_changes_the_action_and_a_broken_file_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    write_policy(&policy, "redact");
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_POLICY_FILE", policy.to_str().unwrap()),
    )
    .await;

    let (status, decision) = app
        .post("/api/v1/policy/evaluate", OPERATOR_TOKEN, evaluate_body())
        .await;
    assert_eq!(status, 200, "{decision}");
    assert_eq!(decision["action"], "redact");

    write_policy(&policy, "block");
    app.state.reload_policy().expect("valid policy reloads");
    let (_, decision) = app
        .post("/api/v1/policy/evaluate", OPERATOR_TOKEN, evaluate_body())
        .await;
    assert_eq!(decision["action"], "block");

    std::fs::write(&policy, "[actions.phone]\nall = \"shred\"\n").unwrap();
    assert!(
        app.state.reload_policy().is_err(),
        "an invalid action is refused"
    );
    let (_, decision) = app
        .post("/api/v1/policy/evaluate", OPERATOR_TOKEN, evaluate_body())
        .await;
    assert_eq!(
        decision["action"], "block",
        "the previous policy stays in force"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_to_the_running_binary_reloads_the_policy_file() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    write_policy(&policy, "redact");
    let (child, http, _) = crate::binary::start(
        dir.path(),
        &[
            ("MARKETRELAY_POLICY_FILE", policy.to_str().unwrap()),
            ("MARKETRELAY_OPERATOR_TOKEN", OPERATOR_TOKEN),
        ],
    );
    let client = reqwest::Client::new();
    let evaluate = || async {
        let r = client
            .post(format!("http://{http}/api/v1/policy/evaluate"))
            .bearer_auth(OPERATOR_TOKEN)
            .json(&evaluate_body())
            .send()
            .await
            .expect("request");
        let body: Value = r.json().await.expect("json");
        body["action"].as_str().unwrap_or_default().to_owned()
    };
    // An answered request means the server, and so its SIGHUP handler, runs.
    assert_eq!(evaluate().await, "redact");

    write_policy(&policy, "block");
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while evaluate().await != "block" {
        assert!(
            std::time::Instant::now() < deadline,
            "SIGHUP did not reload the policy"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // A broken file keeps the policy in force and says so once.
    std::fs::write(&policy, "[actions.phone\n").unwrap();
    let hup = std::process::Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(evaluate().await, "block");

    let out = crate::binary::terminate(child);
    assert!(
        out.status.success(),
        "SIGHUP must not end the process: {:?}",
        out.status
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let failures = stderr
        .lines()
        .filter(|l| l.contains("policy reload failed"))
        .count();
    assert_eq!(failures, 1, "{stderr}");
}
