//! The relay under load: started from its binary with fresh ports, or a
//! running one; its operator API, and its peak memory from /proc.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

use super::mail::{self, BUYER_DOMAIN, Envelope, Kind, Mail, Padding, SELLER_DOMAIN};

pub struct Relay {
    pub http: String,
    pub smtp: String,
    pub token: String,
    pub pid: Option<u32>,
    child: Option<Child>,
    pub log: Option<PathBuf>,
    /// Files this tool chose for the relay (its default database and log),
    /// removed once the relay has stopped cleanly.
    pub scratch: Vec<PathBuf>,
}

/// How to start the relay binary.
pub struct Launch<'a> {
    pub bin: &'a Path,
    pub database_url: &'a str,
    /// `MARKETRELAY_OUTBOUND`, e.g. `smtp://127.0.0.1:PORT` of the capture server.
    pub outbound: &'a str,
    pub log: PathBuf,
    /// Further `MARKETRELAY_*` settings.
    pub env: &'a [(String, String)],
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Relay {
    /// Starts `marketrelay serve` and waits until it answers on both ports.
    pub async fn start(launch: Launch<'_>) -> anyhow::Result<Relay> {
        let http = format!("127.0.0.1:{}", free_port()?);
        let smtp = format!("127.0.0.1:{}", free_port()?);
        let token = format!("load-operator-{}", uuid::Uuid::new_v4().simple());
        let log = std::fs::File::create(&launch.log)
            .with_context(|| format!("cannot write the relay's log {}", launch.log.display()))?;
        let child = Command::new(launch.bin)
            .arg("serve")
            .env("MARKETRELAY_HTTP_ADDR", &http)
            .env("MARKETRELAY_SMTP_ADDR", &smtp)
            .env("MARKETRELAY_DATABASE_URL", launch.database_url)
            .env("MARKETRELAY_OUTBOUND", launch.outbound)
            .env("MARKETRELAY_OPERATOR_TOKEN", &token)
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .envs(launch.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {}", launch.bin.display()))?;
        let mut relay = Relay {
            http,
            smtp,
            token,
            pid: child.id(),
            child: Some(child),
            log: Some(launch.log),
            scratch: Vec::new(),
        };
        relay.wait_ready().await?;
        Ok(relay)
    }

    pub fn attach(http: String, smtp: String, token: String, pid: Option<u32>) -> Relay {
        Relay {
            http,
            smtp,
            token,
            pid,
            child: None,
            log: None,
            scratch: Vec::new(),
        }
    }

    async fn wait_ready(&mut self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Some(child) = &mut self.child
                && let Some(status) = child.try_wait()?
            {
                bail!("the relay exited at start ({status}): {}", self.log_tail());
            }
            let healthy = client
                .get(format!("http://{}/healthz", self.http))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if healthy && tokio::net::TcpStream::connect(&self.smtp).await.is_ok() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the relay did not answer within 30 s: {}", self.log_tail())
    }

    fn log_tail(&self) -> String {
        let Some(log) = &self.log else {
            return String::new();
        };
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(5)..].join(" / ")
    }

    /// The relay's peak resident memory (VmHWM) in MB, when its pid is known.
    pub fn peak_rss_mb(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid?)).ok()?;
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb / 1024.0)
    }

    /// SIGKILL, as a crash or an OOM killer would, and wait for the process
    /// to go (the crash tool's; the load tool never kills).
    #[allow(dead_code)]
    pub async fn kill(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            child.kill().await?;
        }
        Ok(())
    }

    /// SIGTERM, then wait for a clean exit (the contract: in-flight work finishes).
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if let Some(pid) = child.id() {
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()
                .await;
        }
        match tokio::time::timeout(Duration::from_secs(30), child.wait()).await {
            Ok(status) if status.as_ref().is_ok_and(|s| s.success()) => {
                for file in self.scratch.drain(..) {
                    let _ = std::fs::remove_file(file);
                }
                Ok(())
            }
            Ok(status) => bail!("the relay exited with {status:?}: {}", self.log_tail()),
            Err(_) => {
                child.kill().await?;
                bail!("the relay did not stop within 30 s of SIGTERM")
            }
        }
    }

    pub fn api(&self) -> Api {
        Api {
            base: format!("http://{}/api/v1", self.http),
            token: self.token.clone(),
            client: reqwest::Client::new(),
        }
    }
}

/// One conversation as the load needs it.
#[derive(Clone)]
pub struct Conversation {
    pub buyer: String,
    pub buyer_name: String,
    pub seller_alias: String,
}

impl Conversation {
    /// The buyer's mail to the seller, carrying `token`.
    pub fn buyer_mail(&self, token: &str, kind: Kind, padding: &Padding) -> Mail {
        let envelope = Envelope {
            from: &self.buyer,
            from_name: &self.buyer_name,
            to: &self.seller_alias,
            token,
            kind,
        };
        mail::compose(&envelope, padding)
    }
}

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub token: String,
    pub client: reqwest::Client,
}

impl Api {
    pub async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .with_context(|| format!("POST {path}"))?;
        let status = response.status();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("POST {path}: {status} {value}");
        }
        Ok(value)
    }

    /// `sellers` sellers and `count` conversations, one buyer each, made
    /// `concurrency` at a time.
    pub async fn conversations(
        &self,
        run: &str,
        sellers: usize,
        count: usize,
        concurrency: usize,
    ) -> anyhow::Result<Vec<Conversation>> {
        let mut seller_ids = Vec::new();
        for s in 0..sellers.max(1) {
            let seller = self
                .post(
                    "/sellers",
                    json!({ "name": format!("Load Shop {s}"), "email": format!("{run}-{s}@{SELLER_DOMAIN}") }),
                )
                .await?;
            seller_ids.push(seller["id"].as_str().context("seller id")?.to_owned());
        }
        let mut out = Vec::with_capacity(count);
        let indices: Vec<usize> = (0..count).collect();
        for chunk in indices.chunks(concurrency.max(1)) {
            let mut tasks = Vec::new();
            for &i in chunk {
                let api = self.clone();
                let buyer = format!("{run}-{i}@{BUYER_DOMAIN}");
                let body = json!({
                    "seller_id": seller_ids[i % seller_ids.len()],
                    "buyer": { "email": buyer, "name": format!("Buyer {i}") },
                });
                tasks.push(tokio::spawn(async move {
                    let c = api.post("/conversations", body).await?;
                    anyhow::Ok(Conversation {
                        buyer,
                        buyer_name: format!("Buyer {i}"),
                        seller_alias: c["seller_alias"]
                            .as_str()
                            .context("seller_alias")?
                            .to_owned(),
                    })
                }));
            }
            for t in tasks {
                out.push(t.await??);
            }
        }
        Ok(out)
    }
}
