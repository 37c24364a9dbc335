//! `spawn_app`: the real service on random ports, a fresh database per test
//! (SQLite file or Postgres database), outbound mail to a temp folder.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use marketrelay::{
    app::App,
    config::Settings,
    outbound::{DeliveryOutcome, Outbound},
    store::Store,
};
use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
    task::JoinHandle,
};
use tokio_util::sync::CancellationToken;

pub const OPERATOR_TOKEN: &str = "test-operator-token-0123456789";
pub const RELAY_DOMAIN: &str = "relay.test";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates one test per backend from a body `async fn(Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name($crate::helpers::Backend::Sqlite).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name($crate::helpers::Backend::Postgres).await }
            )*
        }
    };
}

pub fn postgres_admin_url() -> String {
    std::env::var("MARKETRELAY_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh Postgres database for one test. Fails (never skips) when the
/// server is not reachable, saying how to point the tests at one.
pub async fn fresh_postgres_database() -> String {
    let admin = postgres_admin_url();
    let mut conn = PgConnection::connect(&admin).await.unwrap_or_else(|e| {
        panic!("Postgres is required for this test and is not reachable at {admin} ({e}); start it or set MARKETRELAY_TEST_DATABASE_URL")
    });
    let name = format!("mr_api_{}", uuid::Uuid::new_v4().simple());
    // The name is generated here from a UUID, never from input.
    conn.execute(sqlx::AssertSqlSafe(format!("create database \"{name}\"")))
        .await
        .expect("create test database");
    let mut url = url::Url::parse(&admin).expect("valid admin URL");
    url.set_path(&name);
    url.to_string()
}

pub struct TestApp {
    /// The DNS server sender authentication asks (NXDOMAIN unless a test
    /// publishes records).
    pub dns: crate::dns::DnsStub,
    pub http: String,
    pub smtp: SocketAddr,
    pub outbox: PathBuf,
    pub client: reqwest::Client,
    pub store: std::sync::Arc<dyn Store>,
    pub outbound: Outbound,
    /// The running app's state, for what an operator does by signal (policy reload).
    pub state: marketrelay::http::AppState,
    pub database_url: String,
    pub shutdown: CancellationToken,
    pub handle: Option<JoinHandle<anyhow::Result<()>>>,
    pub dir: tempfile::TempDir,
}

pub struct Options {
    pub backend: Backend,
    pub vars: Vec<(String, String)>,
    pub worker: bool,
    /// Reuse a database (to test restarts); otherwise a fresh one.
    pub database_url: Option<String>,
    pub dir: Option<tempfile::TempDir>,
    /// Records the DNS stub serves.
    pub zone: crate::dns::Zone,
    /// A settings file layered over the defaults (MARKETRELAY_CONFIG).
    pub config: Option<String>,
}

impl Options {
    pub fn new(backend: Backend) -> Self {
        Self {
            backend,
            vars: Vec::new(),
            worker: false,
            database_url: None,
            dir: None,
            zone: crate::dns::Zone::default(),
            config: None,
        }
    }

    pub fn config(mut self, toml: &str) -> Self {
        self.config = Some(toml.to_owned());
        self
    }

    pub fn zone(mut self, zone: crate::dns::Zone) -> Self {
        self.zone = zone;
        self
    }

    pub fn var(mut self, key: &str, value: &str) -> Self {
        self.vars.push((key.into(), value.into()));
        self
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(Options::new(backend)).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        marketrelay::telemetry::init(marketrelay::config::LogFormat::Text);
    }
    let dir = options
        .dir
        .unwrap_or_else(|| tempfile::tempdir().expect("temp dir"));
    let database_url = match (options.database_url, options.backend) {
        (Some(url), _) => url,
        (None, Backend::Sqlite) => {
            format!("sqlite://{}", dir.path().join("marketrelay.db").display())
        }
        (None, Backend::Postgres) => fresh_postgres_database().await,
    };
    let outbox = dir.path().join("outbox");
    let dns = crate::dns::DnsStub::start(options.zone).await;
    let mut vars: Vec<(String, String)> = vec![
        ("MARKETRELAY_HTTP_ADDR".into(), "127.0.0.1:0".into()),
        ("MARKETRELAY_SMTP_ADDR".into(), "127.0.0.1:0".into()),
        ("MARKETRELAY_DATABASE_URL".into(), database_url.clone()),
        ("MARKETRELAY_RELAY_DOMAIN".into(), RELAY_DOMAIN.into()),
        (
            "MARKETRELAY_OUTBOUND".into(),
            format!("file://{}", outbox.display()),
        ),
        ("MARKETRELAY_OPERATOR_TOKEN".into(), OPERATOR_TOKEN.into()),
        ("MARKETRELAY_MARKETPLACE_NAME".into(), "Shopwise".into()),
        ("MARKETRELAY_AUTH_DNS_SERVERS".into(), dns.addr.to_string()),
    ];
    if let Some(toml) = &options.config {
        let path = dir.path().join("override.toml");
        std::fs::write(&path, toml).expect("write settings file");
        vars.push(("MARKETRELAY_CONFIG".into(), path.display().to_string()));
    }
    vars.extend(options.vars);
    let settings = Settings::load_from(&vars).expect("test settings");
    let mut app = App::build(settings).await.expect("app builds");
    if !options.worker {
        app = app.without_worker();
    }
    let http = format!("http://{}", app.http_addr());
    let smtp = app.smtp_addr();
    let store = app.state.store.clone();
    let outbound = app.outbound.clone();
    let state = app.state.clone();
    let shutdown = CancellationToken::new();
    let handle = tokio::spawn(app.run_until_stopped(shutdown.clone()));
    TestApp {
        dns,
        http,
        smtp,
        outbox,
        client: reqwest::Client::new(),
        store,
        outbound,
        state,
        database_url,
        shutdown,
        handle: Some(handle),
        dir,
    }
}

/// A registered seller or staff member with a token.
#[derive(Clone, Debug)]
pub struct Party {
    pub id: String,
    pub token: String,
}

/// A conversation as the operator API returned it.
#[derive(Clone, Debug)]
pub struct Convo {
    pub id: String,
    pub buyer_alias: String,
    pub seller_alias: String,
    pub buyer_email: String,
    pub seller: Party,
}

impl Convo {
    /// The conversation in an API answer about it.
    pub fn from_api(body: &Value, buyer_email: &str, seller: &Party) -> Self {
        Self {
            id: body["id"].as_str().unwrap().into(),
            buyer_alias: body["buyer_alias"].as_str().unwrap().into(),
            seller_alias: body["seller_alias"].as_str().unwrap().into(),
            buyer_email: buyer_email.into(),
            seller: seller.clone(),
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.http, path)
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        let r = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let r = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn create_seller(&self, name: &str, email: &str) -> Party {
        let (status, body) = self
            .post(
                "/api/v1/sellers",
                OPERATOR_TOKEN,
                json!({ "name": name, "email": email }),
            )
            .await;
        assert_eq!(status, 201, "create seller: {body}");
        Party {
            id: body["id"].as_str().unwrap().into(),
            token: body["api_token"].as_str().unwrap().into(),
        }
    }

    pub async fn create_staff(&self, name: &str, email: &str) -> Party {
        let (status, body) = self
            .post(
                "/api/v1/staff",
                OPERATOR_TOKEN,
                json!({ "name": name, "email": email }),
            )
            .await;
        assert_eq!(status, 201, "create staff: {body}");
        Party {
            id: body["id"].as_str().unwrap().into(),
            token: body["api_token"].as_str().unwrap().into(),
        }
    }

    /// A seller, a buyer and their conversation.
    pub async fn conversation(&self) -> Convo {
        let seller = self
            .create_seller("Gadget Shop", "owner@gadgetshop.example")
            .await;
        self.conversation_with(&seller, "jane.buyer@mail.example", "Jane Buyer")
            .await
    }

    pub async fn conversation_with(
        &self,
        seller: &Party,
        buyer_email: &str,
        buyer_name: &str,
    ) -> Convo {
        let (status, body) = self
            .post(
                "/api/v1/conversations",
                OPERATOR_TOKEN,
                json!({ "seller_id": seller.id, "buyer": { "email": buyer_email, "name": buyer_name }, "order_id": "123-1234567-1234567" }),
            )
            .await;
        assert!(
            status == 201 || status == 200,
            "create conversation: {status} {body}"
        );
        Convo::from_api(&body, buyer_email, seller)
    }

    /// Sends one mail over a real SMTP session; returns the final reply line.
    pub async fn send_mail(&self, from: &str, to: &str, raw: &str) -> String {
        let replies = smtp_transcript(self.smtp, &transaction(from, to, raw)).await;
        // Replies: greeting, EHLO, MAIL, RCPT, DATA, end of data, QUIT.
        let rcpt = &replies[3];
        if !rcpt.starts_with("250") {
            return rcpt.clone();
        }
        replies[5].clone()
    }

    /// The buyer's plain mail to the seller alias; returns the final reply.
    pub async fn buyer_writes(&self, c: &Convo, subject: &str, body: &str) -> String {
        let raw = buyer_mail(&c.buyer_email, &c.seller_alias, subject, body);
        self.send_mail(&c.buyer_email, &c.seller_alias, &raw).await
    }

    /// The newest audit event `action` about `subject` (a message or conversation id).
    pub async fn audit_event(
        &self,
        subject: &str,
        action: &str,
    ) -> Option<marketrelay::domain::AuditEvent> {
        self.store
            .audit()
            .audit_events(Some(subject), 100)
            .await
            .expect("audit events")
            .into_iter()
            .find(|e| e.action == action)
    }

    /// Runs one statement on the app's database directly, as if by hand
    /// (to set what the service only ever sets to now); returns the rows it changed.
    pub async fn execute_sql(&self, backend: Backend, sql: &str) -> u64 {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.database_url).await.unwrap();
                let done = sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
                done.rows_affected()
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.database_url).await.unwrap();
                let done = sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
                done.rows_affected()
            }
        }
    }

    /// Runs the delivery worker's step until the queue is empty.
    pub async fn deliver_all(&self) -> Vec<DeliveryOutcome> {
        let mut outcomes = Vec::new();
        loop {
            match self
                .outbound
                .try_deliver_next()
                .await
                .expect("delivery step")
            {
                DeliveryOutcome::QueueEmpty => return outcomes,
                other => outcomes.push(other),
            }
        }
    }

    /// Every mail written to the outbox, oldest first.
    pub fn delivered(&self) -> Vec<Vec<u8>> {
        read_outbox(&self.outbox)
    }

    pub async fn stop(&mut self) {
        self.shutdown.cancel();
        if let Some(handle) = self.handle.take() {
            tokio::time::timeout(Duration::from_secs(30), handle)
                .await
                .expect("stops in time")
                .expect("joins")
                .expect("runs cleanly");
        }
    }
}

pub fn read_outbox(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read(p).expect("read eml"))
        .collect()
}

fn dot_stuff(raw: &str) -> String {
    let normalized = raw.replace("\r\n", "\n").replace('\n', "\r\n");
    normalized
        .split("\r\n")
        .map(|l| {
            if l.starts_with('.') {
                format!(".{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// One whole transaction's commands: EHLO, MAIL, RCPT, DATA, the message
/// (dot-stuffed, with its final dot) and QUIT.
pub fn transaction(from: &str, to: &str, raw: &str) -> Vec<String> {
    vec![
        "EHLO client.example".to_string(),
        format!("MAIL FROM:<{from}>"),
        format!("RCPT TO:<{to}>"),
        "DATA".to_string(),
        format!("{}\r\n.", dot_stuff(raw)),
        "QUIT".to_string(),
    ]
}

/// The id in a `250 2.0.0 queued as <id>` reply.
pub fn queued_id(reply: &str) -> String {
    assert!(reply.starts_with("250 2.0.0 queued as "), "{reply}");
    reply.rsplit(' ').next().unwrap_or_default().to_owned()
}

/// Drives an SMTP session line by line; returns every reply (multi-line
/// replies joined), greeting first.
pub async fn smtp_transcript(addr: SocketAddr, commands: &[String]) -> Vec<String> {
    let stream = TcpStream::connect(addr).await.expect("connect to SMTP");
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut replies = vec![read_reply(&mut reader).await];
    for command in commands {
        write.write_all(command.as_bytes()).await.expect("write");
        write.write_all(b"\r\n").await.expect("write");
        let reply = read_reply(&mut reader).await;
        let closed = reply.is_empty();
        replies.push(reply);
        if closed {
            break;
        }
    }
    replies
}

pub async fn read_reply(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> String {
    let mut reply = String::new();
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(Duration::from_secs(20), reader.read_line(&mut line))
            .await
            .expect("reply in time")
            .expect("read");
        if n == 0 {
            return reply;
        }
        reply.push_str(line.trim_end());
        // "250-..." continues, "250 ..." ends a reply.
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            return reply;
        }
        reply.push('\n');
    }
}

/// A local port nothing listens on (bound, then let go).
pub fn closed_port() -> u16 {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    closed.local_addr().expect("bound address").port()
}

/// Listener settings for a test's own SMTP server (a smarthost): shipped
/// defaults, and every peer trusted as its edge so it asks no DNS.
pub fn smarthost_config() -> marketrelay::inbound::SmtpConfig {
    use marketrelay::inbound::{AuthSettings, Authenticator, PeerNet, SmtpConfig};
    let settings = AuthSettings {
        dns_servers: vec!["127.0.0.1:9".parse().unwrap()],
        timeout: Duration::from_millis(200),
        trusted_peers: vec![PeerNet::parse("0.0.0.0/0").unwrap()],
        authserv_id: "smarthost.test".into(),
    };
    let auth = Authenticator::new(&settings, "smarthost.test").expect("authenticator");
    SmtpConfig::with_defaults("smarthost.test", std::sync::Arc::new(auth))
}

/// A plain buyer mail.
pub fn buyer_mail(from: &str, to: &str, subject: &str, body: &str) -> String {
    format!(
        "From: Jane Buyer <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMessage-ID: <orig-{n}@mail.example>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        n = uuid::Uuid::new_v4().simple()
    )
}

/// Parses a delivered mail.
pub fn parse_mail(bytes: &[u8]) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(bytes)
        .expect("delivered mail parses")
}

/// A delivered mail as (recipient, subject, text, HTML).
pub fn read_mail(raw: &[u8]) -> (String, String, String, String) {
    let m = parse_mail(raw);
    (
        m.to()
            .unwrap()
            .first()
            .unwrap()
            .address()
            .unwrap()
            .to_owned(),
        m.subject().unwrap_or_default().to_owned(),
        m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        m.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
    )
}

/// The OpenAPI document the service serves.
pub async fn openapi_document(app: &TestApp) -> Value {
    let r = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    r.json().await.unwrap()
}
