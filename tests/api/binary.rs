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
