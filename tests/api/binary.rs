//! The binary as an operator runs it: subcommands and start-up failures.

use std::process::{Command, Stdio};

fn marketrelay() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marketrelay"));
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("MARKETRELAY_")) {
        cmd.env_remove(key);
    }
    cmd
}

#[test]
fn bad_settings_exit_non_zero_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_addr = taken.local_addr().unwrap().to_string();
    for (var, value, expect) in [
        (
            "MARKETRELAY_DATABASE_URL",
            "mysql://nope",
            "MARKETRELAY_DATABASE_URL",
        ),
        (
            "MARKETRELAY_HTTP_ADDR",
            "not-an-address",
            "MARKETRELAY_HTTP_ADDR",
        ),
        (
            "MARKETRELAY_HTTP_ADDR",
            taken_addr.as_str(),
            "MARKETRELAY_HTTP_ADDR",
        ),
        (
            "MARKETRELAY_DATABASE_URL",
            "postgres://postgres@127.0.0.1:1/none",
            "MARKETRELAY_DATABASE_URL",
        ),
    ] {
        let out = marketrelay()
            .current_dir(dir.path())
            .env(var, value)
            .env("MARKETRELAY_SMTP_ADDR", "127.0.0.1:0")
            .env(
                "MARKETRELAY_DATABASE_URL",
                if var == "MARKETRELAY_DATABASE_URL" {
                    value
                } else {
                    "sqlite://mr.db"
                },
            )
            .env("MARKETRELAY_OUTBOUND", "file://outbox")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{var}={value} should fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect::<Vec<_>>();
        assert_eq!(last.len(), 1, "{var}={value}: {stderr}");
        assert!(last[0].contains(expect), "{var}={value}: {stderr}");
    }
}

#[test]
fn policy_check_reads_stdin_and_prints_the_decision() {
    use std::io::Write;
    let mut child = marketrelay()
        .args(["policy", "check", "--region", "DE"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Ruf mich an: 0170 1234567".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let decision: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(decision["action"], "redact");
    assert_eq!(decision["redacted_text"], "Ruf mich an: [phone removed]");
}

#[test]
fn migrate_applies_migrations_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let out = marketrelay()
        .current_dir(dir.path())
        .arg("migrate")
        .env("MARKETRELAY_DATABASE_URL", "sqlite://data/fresh.db")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("data/fresh.db").exists());
}

/// Starts the binary on free ports in `dir`; returns the child, its HTTP and its SMTP address.
pub(crate) fn start(
    dir: &std::path::Path,
    extra: &[(&str, &str)],
) -> (std::process::Child, String, std::net::SocketAddr) {
    start_logging(dir, extra, None)
}

/// As `start`, with the service's stderr written to `log` instead of a pipe:
/// debug logs outgrow a pipe's buffer before the service listens, and a
/// full pipe nobody reads stalls it.
pub(crate) fn start_logging(
    dir: &std::path::Path,
    extra: &[(&str, &str)],
    log: Option<&std::path::Path>,
) -> (std::process::Child, String, std::net::SocketAddr) {
    // A free port is found by binding and releasing it, so another test may
    // take it before the service does; the service then exits at start, and
    // a fresh pair of ports is tried.
    let mut last_stderr = String::new();
    for _ in 0..5 {
        if let Some(started) = try_start(dir, extra, log, &mut last_stderr) {
            return started;
        }
    }
    panic!("service did not start on five pairs of ports:\n{last_stderr}");
}

fn try_start(
    dir: &std::path::Path,
    extra: &[(&str, &str)],
    log: Option<&std::path::Path>,
    stderr: &mut String,
) -> Option<(std::process::Child, String, std::net::SocketAddr)> {
    let free = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .to_string()
    };
    let http = free();
    let smtp = free();
    let mut cmd = marketrelay();
    cmd.current_dir(dir)
        .env("MARKETRELAY_HTTP_ADDR", &http)
        .env("MARKETRELAY_SMTP_ADDR", &smtp)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(match log {
            Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
            None => Stdio::piped(),
        });
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::net::TcpStream::connect(&http).is_err() {
        if child.try_wait().unwrap().is_some() {
            let output = child.wait_with_output().unwrap();
            *stderr = match log {
                Some(path) => std::fs::read_to_string(path).unwrap_or_default(),
                None => String::from_utf8_lossy(&output.stderr).into_owned(),
            };
            return None;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "service did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Some((child, http, smtp.parse().unwrap()))
}

pub(crate) fn terminate(child: std::process::Child) -> std::process::Output {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait_with_output().unwrap()
}

#[test]
fn runs_on_embedded_defaults_prints_the_operator_token_once_and_exits_0_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (child, _, _) = start(dir.path(), &[]);
    let first = terminate(child);
    assert!(
        first.status.success(),
        "SIGTERM must exit 0: {:?}",
        first.status
    );
    let stderr = String::from_utf8_lossy(&first.stderr);
    let token_line = stderr
        .lines()
        .find(|l| l.contains("operator API token"))
        .expect("token printed at first start");
    let token = token_line.rsplit(' ').next().unwrap().to_string();
    assert!(token.starts_with("mr_"), "{token_line}");
    assert!(
        dir.path().join("data/marketrelay.db").exists(),
        "embedded default database"
    );

    // Second start: same database, the token works and is not printed again.
    let (child, http, _) = start(dir.path(), &[]);
    let response = std::process::Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-X",
            "POST",
            &format!("http://{http}/api/v1/staff"),
        ])
        .args([
            "-H",
            &format!("Authorization: Bearer {token}"),
            "-H",
            "Content-Type: application/json",
        ])
        .args([
            "-d",
            r#"{"name":"Tess","email":"tess@marketplace.example"}"#,
        ])
        .output();
    let second = terminate(child);
    assert!(second.status.success());
    assert!(!String::from_utf8_lossy(&second.stderr).contains("operator API token"));
    if let Ok(out) = response {
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "201",
            "stored operator token must still work"
        );
    }
}

#[tokio::test]
async fn debug_logs_of_a_full_relay_never_contain_a_real_address() {
    let dir = tempfile::tempdir().unwrap();
    let token = "log-test-operator-token-0001";
    // The seller's domain publishes SPF with a macro that puts the local
    // part into a DNS name: the lookup must happen without the name
    // reaching the logs.
    let dns = crate::dns::DnsStub::start(
        crate::dns::Zone::default().txt("shop.example", "v=spf1 exists:%{l}.spf.shop.example -all"),
    )
    .await;
    let dns_addr = dns.addr.to_string();
    // Logs go to a file: they outgrow a pipe's buffer before the service
    // even listens (each migration is logged at debug).
    let log = dir.path().join("service.log");
    let (child, http, smtp) = start_logging(
        dir.path(),
        &[
            ("MARKETRELAY_OPERATOR_TOKEN", token),
            ("RUST_LOG", "debug"),
            ("MARKETRELAY_LOG_FORMAT", "json"),
            ("MARKETRELAY_AUTH_DNS_SERVERS", &dns_addr),
        ],
        Some(&log),
    );
    let client = reqwest::Client::new();
    let api = format!("http://{http}/api/v1");
    let seller: serde_json::Value = client
        .post(format!("{api}/sellers"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "name": "Log Shop", "email": "secret.seller@shop.example" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let conversation: serde_json::Value = client
        .post(format!("{api}/conversations"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "seller_id": seller["id"], "buyer": { "email": "secret.buyer@mail.example", "name": "Jane" } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let alias = conversation["seller_alias"].as_str().unwrap().to_string();
    let health: serde_json::Value = client
        .get(format!("http://{http}/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let raw = crate::helpers::buyer_mail(
        "secret.buyer@mail.example",
        &alias,
        "hi",
        "call me +49 170 1234567 or secret.other@mail.example",
    );
    let replies = crate::helpers::smtp_transcript(
        smtp,
        &crate::helpers::transaction("secret.buyer@mail.example", &alias, &raw),
    )
    .await;
    assert!(replies[5].starts_with("250"), "{replies:?}");
    // A forger of the seller, refused after DATA, and an automatic reply.
    let buyer_alias = conversation["buyer_alias"].as_str().unwrap().to_string();
    let forged =
        crate::helpers::buyer_mail("secret.seller@shop.example", &buyer_alias, "hi", "it is me");
    let replies = crate::helpers::smtp_transcript(
        smtp,
        &crate::helpers::transaction("secret.seller@shop.example", &buyer_alias, &forged),
    )
    .await;
    assert!(replies[5].starts_with("550 5.7.1"), "{replies:?}");
    assert!(
        dns.queries
            .lock()
            .unwrap()
            .iter()
            .any(|q| q.starts_with("secret.seller.spf")),
        "the SPF macro was expanded"
    );
    let auto = format!(
        "Auto-Submitted: auto-replied\r\n{}",
        crate::helpers::buyer_mail("secret.buyer@mail.example", &alias, "Out of office", "away")
    );
    let replies = crate::helpers::smtp_transcript(
        smtp,
        &crate::helpers::transaction("secret.buyer@mail.example", &alias, &auto),
    )
    .await;
    assert!(replies[5].starts_with("250"), "{replies:?}");
    // Let the worker deliver it.
    let outbox = dir.path().join("data/outbox");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while crate::helpers::read_outbox(&outbox).is_empty() {
        assert!(std::time::Instant::now() < deadline, "not delivered");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let out = terminate(child);
    assert!(out.status.success());
    let logs = std::fs::read_to_string(&log).expect("the service's log");
    assert!(
        logs.contains("delivered"),
        "debug logs were captured: {logs}"
    );
    // MARKETRELAY_LOG_FORMAT=json: one JSON object per line, for collectors.
    for line in logs.lines().filter(|l| !l.trim().is_empty()) {
        let parsed: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            parsed["level"].is_string() && parsed["fields"].is_object(),
            "{line}"
        );
    }
    for secret in ["secret.seller", "secret.buyer", "secret.other", "1234567"] {
        assert!(
            !logs.contains(secret),
            "{secret} appears in the logs:\n{logs}"
        );
    }
}
