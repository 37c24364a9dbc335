//! Settings: `config/default.toml`, then the file named by
//! `MARKETRELAY_CONFIG`, then `MARKETRELAY_*` environment variables; parsed
//! into typed values at load time so a bad setting fails at start, in one line.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{Context, anyhow, bail};
use secrecy::SecretString;
use serde::Deserialize;
use toml::Table;

use crate::{
    domain::{AuthAction, AuthPolicy},
    inbound::{AuthSettings, PeerNet},
    // Types a file may have at most: any other setting is refused at
    // start, so a typo cannot open the door to executables.
    policy::{ATTACHABLE_TYPES, Policy},
};

mod database_url;
pub use database_url::DatabaseUrl;

/// The defaults shipped in the binary, so it runs from any directory.
const EMBEDDED_DEFAULTS: &str = include_str!("../config/default.toml");

/// Environment variable → settings key (dotted for nested tables).
const ENV_KEYS: &[(&str, &str)] = &[
    ("MARKETRELAY_HTTP_ADDR", "http_addr"),
    ("MARKETRELAY_SMTP_ADDR", "smtp_addr"),
    ("MARKETRELAY_DATABASE_URL", "database_url"),
    ("MARKETRELAY_RELAY_DOMAIN", "relay_domain"),
    ("MARKETRELAY_OUTBOUND", "outbound"),
    ("MARKETRELAY_OPERATOR_TOKEN", "operator_token"),
    ("MARKETRELAY_METRICS_TOKEN", "metrics_token"),
    ("MARKETRELAY_MARKETPLACE_NAME", "marketplace_name"),
    ("MARKETRELAY_NOTICE_FROM", "notice_from"),
    ("MARKETRELAY_PUBLIC_SUFFIX_LIST", "public_suffix_list"),
    ("MARKETRELAY_POLICY_FILE", "policy_file"),
    ("MARKETRELAY_PUBLIC_URL", "public_url"),
    ("MARKETRELAY_LINK_SECRET", "link_secret"),
    ("MARKETRELAY_LINK_SECRET_PREVIOUS", "link_secret_previous"),
    ("MARKETRELAY_LOG_FORMAT", "log_format"),
    ("MARKETRELAY_SMTP_MAX_MESSAGE_SIZE", "smtp.max_message_size"),
    ("MARKETRELAY_SMTP_TLS_CERT_FILE", "smtp.tls_cert_file"),
    ("MARKETRELAY_SMTP_TLS_KEY_FILE", "smtp.tls_key_file"),
    (
        "MARKETRELAY_SMTP_MAX_CONNECTIONS_PER_IP",
        "smtp.max_connections_per_ip",
    ),
    ("MARKETRELAY_SMTP_MAX_SESSION_SECS", "smtp.max_session_secs"),
    (
        "MARKETRELAY_SMTP_MAX_BYTES_IN_FLIGHT",
        "smtp.max_bytes_in_flight",
    ),
    ("MARKETRELAY_AUTH_ON_FAIL", "auth.on_fail"),
    ("MARKETRELAY_AUTH_ON_NONE", "auth.on_none"),
    ("MARKETRELAY_AUTH_ON_TEMPERROR", "auth.on_temperror"),
    ("MARKETRELAY_AUTH_DNS_SERVERS", "auth.dns_servers"),
    ("MARKETRELAY_AUTH_TRUSTED_PEERS", "auth.trusted_peers"),
    ("MARKETRELAY_AUTH_AUTHSERV_ID", "auth.authserv_id"),
    ("MARKETRELAY_DKIM_KEY_FILE", "dkim.key_file"),
    ("MARKETRELAY_DKIM_SELECTOR", "dkim.selector"),
    ("MARKETRELAY_DELIVERY_MAX_ATTEMPTS", "delivery.max_attempts"),
    (
        "MARKETRELAY_DELIVERY_INITIAL_BACKOFF_SECS",
        "delivery.initial_backoff_secs",
    ),
    (
        "MARKETRELAY_DELIVERY_CLAIM_LEASE_SECS",
        "delivery.claim_lease_secs",
    ),
    ("MARKETRELAY_DELIVERY_CONCURRENCY", "delivery.concurrency"),
    (
        "MARKETRELAY_DELIVERY_RETRY_WINDOW_SECS",
        "delivery.retry_window_secs",
    ),
    ("MARKETRELAY_BOUNCES_MARK_AFTER", "bounces.mark_after"),
    ("MARKETRELAY_BOUNCES_WINDOW_DAYS", "bounces.window_days"),
    (
        "MARKETRELAY_BOUNCES_RETURN_PATH_GRACE_DAYS",
        "bounces.return_path_grace_days",
    ),
    ("MARKETRELAY_ATTACHMENTS_MAX_FILES", "attachments.max_files"),
    (
        "MARKETRELAY_CONSENT_DECLINE_COOLDOWN_DAYS",
        "consent.decline_cooldown_days",
    ),
    (
        "MARKETRELAY_CONSENT_MAX_REQUESTS_PER_ORDER",
        "consent.max_requests_per_order",
    ),
    (
        "MARKETRELAY_SELLER_MAX_MESSAGES_PER_HOUR",
        "seller_messages.max_per_hour",
    ),
    (
        "MARKETRELAY_SELLER_MAX_MESSAGES_PER_CONVERSATION_PER_DAY",
        "seller_messages.max_per_conversation_per_day",
    ),
    (
        "MARKETRELAY_RETENTION_MESSAGE_DAYS",
        "retention.message_days",
    ),
    ("MARKETRELAY_STRIKES_SUSPEND_AFTER", "strikes.suspend_after"),
    ("MARKETRELAY_STRIKES_WINDOW_DAYS", "strikes.window_days"),
    (
        "MARKETRELAY_STRIKES_REVIEW_AFTER_BUYERS",
        "strikes.review_after_buyers",
    ),
    (
        "MARKETRELAY_STRIKES_REPORT_WINDOW_HOURS",
        "strikes.report_window_hours",
    ),
    (
        "MARKETRELAY_ATTACHMENTS_MAX_FILE_BYTES",
        "attachments.max_file_bytes",
    ),
    (
        "MARKETRELAY_ATTACHMENTS_MAX_TOTAL_BYTES",
        "attachments.max_total_bytes",
    ),
    (
        "MARKETRELAY_HTTP_HEADER_READ_TIMEOUT_SECS",
        "http.header_read_timeout_secs",
    ),
    ("MARKETRELAY_HTTP_MAX_CONNECTIONS", "http.max_connections"),
    (
        "MARKETRELAY_HTTP_MAX_CONNECTIONS_PER_IP",
        "http.max_connections_per_ip",
    ),
];

/// The policy shipped in the binary, used when the configured file is the
/// default one and is missing (e.g. the binary runs outside the repository).
const EMBEDDED_POLICY: &str = include_str!("../config/policy.toml");

impl Settings {
    /// Reads the configured policy file (or the shipped one when the default
    /// file is absent) with the configured file types; at start and on reload.
    pub fn load_policy(&self) -> anyhow::Result<Policy> {
        let path = &self.policy_file;
        let policy = if path.exists() {
            Policy::from_file(path, &self.relay_domain)
        } else if path == Path::new("config/policy.toml") {
            Policy::from_toml(EMBEDDED_POLICY, &self.relay_domain)
        } else {
            anyhow::bail!(
                "invalid MARKETRELAY_POLICY_FILE: {} does not exist",
                path.display()
            );
        };
        policy
            .map(|p| p.with_file_types(&self.attachments.allowed_types))
            .with_context(|| format!("invalid policy file {}", path.display()))
    }
}

impl Settings {
    /// The configured Public Suffix List file, read and checked; `None`
    /// when the bundled list is to be used. At start and on reload.
    pub fn load_public_suffixes(&self) -> anyhow::Result<Option<crate::domain::PublicSuffixes>> {
        let Some(path) = &self.public_suffix_list else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "invalid MARKETRELAY_PUBLIC_SUFFIX_LIST: cannot read {}",
                path.display()
            )
        })?;
        crate::domain::PublicSuffixes::parse(&text)
            .map(Some)
            .map_err(|e| {
                anyhow!(
                    "invalid MARKETRELAY_PUBLIC_SUFFIX_LIST {}: {e}",
                    path.display()
                )
            })
    }
}

/// `MARKETRELAY_*` variables read by the test and tooling scripts, not by
/// the service: present in a developer's shell, they are not mistakes.
const TOOLING_VARS: &[&str] = &[
    "MARKETRELAY_TEST_DATABASE_URL",
    "MARKETRELAY_CHROMIUM",
    "MARKETRELAY_UPDATE_SCREENSHOTS",
    "MARKETRELAY_UPDATE_GOLDEN",
    "MARKETRELAY_BIN",
];

/// The error for a `MARKETRELAY_*` variable the service does not know,
/// naming the closest known one when the name looks like a typo of it.
fn unknown_variable(var: &str) -> String {
    let known = || {
        ENV_KEYS
            .iter()
            .map(|(name, _)| *name)
            .chain(["MARKETRELAY_CONFIG"])
    };
    let closest = known()
        .map(|name| (edit_distance(var, name), name))
        .min()
        .filter(|(distance, _)| *distance <= 3);
    match closest {
        Some((_, name)) => {
            format!("unknown environment variable {var}: did you mean {name}?")
        }
        None => format!(
            "unknown environment variable {var}: marketrelay reads only {}",
            known().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Levenshtein distance over bytes: the names are ASCII.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(x != y);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    http_addr: String,
    smtp_addr: String,
    database_url: String,
    relay_domain: String,
    outbound: String,
    operator_token: Option<String>,
    metrics_token: Option<String>,
    marketplace_name: String,
    notice_from: String,
    policy_file: String,
    public_suffix_list: String,
    public_url: String,
    link_secret: Option<String>,
    link_secret_previous: Option<String>,
    log_format: String,
    smtp: RawSmtp,
    auth: RawAuth,
    dkim: RawDkim,
    http: RawHttp,
    delivery: RawDelivery,
    bounces: RawBounces,
    attachments: RawAttachments,
    retention: RawRetention,
    consent: RawConsent,
    seller_messages: RawSellerMessages,
    strikes: RawStrikes,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    hostname: String,
    max_message_size: u64,
    command_timeout_secs: u64,
    data_timeout_secs: u64,
    max_recipients: u64,
    max_connections: u64,
    max_connections_per_ip: u64,
    max_session_secs: u64,
    max_junk_commands: u64,
    spool_threshold_bytes: u64,
    spool_dir: String,
    max_bytes_in_flight: u64,
    max_refusals_per_ip: u32,
    max_refusals_per_alias: u32,
    refusal_window_secs: u64,
    tls_cert_file: String,
    tls_key_file: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuth {
    on_fail: String,
    on_none: String,
    on_temperror: String,
    dns_servers: Vec<String>,
    timeout_ms: u64,
    trusted_peers: Vec<String>,
    authserv_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDkim {
    key_file: String,
    selector: String,
    domain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    max_body_bytes: u64,
    request_timeout_secs: u64,
    header_read_timeout_secs: u64,
    max_connections: u64,
    max_connections_per_ip: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDelivery {
    max_attempts: u32,
    initial_backoff_secs: u64,
    max_backoff_secs: u64,
    poll_interval_ms: u64,
    claim_lease_secs: u64,
    concurrency: u32,
    retry_window_secs: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBounces {
    mark_after: u32,
    window_days: u32,
    return_path_grace_days: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttachments {
    max_files: u64,
    max_file_bytes: u64,
    max_total_bytes: u64,
    allowed_types: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrikes {
    suspend_after: u32,
    window_days: u32,
    review_after_buyers: u32,
    report_window_hours: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsent {
    // Signed, so a negative number gets a refusal that names the setting.
    decline_cooldown_days: i64,
    max_requests_per_order: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSellerMessages {
    // Signed, so a negative number gets a refusal that names the setting.
    max_per_hour: i64,
    max_per_conversation_per_day: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetention {
    // Signed, so a negative number gets the same clear refusal as 0.
    message_days: i64,
    sweep_interval_secs: u64,
    batch_size: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Where outgoing mail goes.
#[derive(Clone, Debug)]
pub enum OutboundTarget {
    /// Each mail becomes an `.eml` file in this directory.
    File(PathBuf),
    /// A smarthost; `implicit_tls` for `smtps://`.
    Smtp {
        host: String,
        port: u16,
        implicit_tls: bool,
        credentials: Option<(String, SecretString)>,
    },
}

#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub hostname: String,
    pub max_message_size: usize,
    pub command_timeout: Duration,
    pub data_timeout: Duration,
    pub max_recipients: usize,
    pub max_connections: usize,
    pub max_connections_per_ip: usize,
    /// The longest one connection may stay open.
    pub max_session: Duration,
    /// Commands that move no mail (NOOP, RSET, VRFY, HELP, EHLO, HELO)
    /// allowed before a message is queued.
    pub max_junk_commands: usize,
    /// DATA beyond this many bytes is spooled to a temporary file.
    pub spool_threshold: usize,
    /// Directory for spooled DATA; `None` is the system's temporary directory.
    pub spool_dir: Option<PathBuf>,
    /// Memory the whole process lets messages take at once, shared by SMTP
    /// sessions and delivery lanes (`inbound::ByteBudget`).
    pub max_bytes_in_flight: usize,
    /// Refused transactions from one address (or IPv6 /64) per window.
    pub max_refusals_per_ip: u32,
    /// Refused messages from unproven senders per alias per window.
    pub max_refusals_per_alias: u32,
    pub refusal_window: Duration,
    /// Certificate chain and key (PEM) for STARTTLS.
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// Sender authentication of inbound mail.
#[derive(Clone, Debug)]
pub struct MailAuthSettings {
    pub policy: AuthPolicy,
    pub check: AuthSettings,
}

/// DKIM signing of outbound mail; `None` in `Settings` means unsigned.
#[derive(Clone, Debug)]
pub struct DkimSettings {
    /// PEM private key: RSA (PKCS#1 or PKCS#8) or Ed25519 (PKCS#8).
    pub key_file: PathBuf,
    pub selector: String,
    /// The `d=` domain; the relay domain unless set.
    pub domain: String,
}

#[derive(Clone, Debug)]
pub struct HttpSettings {
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// How long a client has to send a request's headers, from when the
    /// connection is ready for them (also how long an idle one stays open).
    pub header_read_timeout: Duration,
    /// Open connections at most, and per client address.
    pub max_connections: usize,
    pub max_connections_per_ip: usize,
}

#[derive(Clone, Debug)]
pub struct DeliverySettings {
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    pub poll_interval: Duration,
    /// How long a claimed queue entry stays invisible to other claims. A
    /// worker that dies mid-send (a crash, a killed node) leaves its entry to
    /// be claimed again after this; it must exceed the longest send.
    pub claim_lease: Duration,
    /// Deliveries one process has in flight at once, each its own claim,
    /// over as many pooled connections to the smarthost.
    pub concurrency: u32,
    /// How long after it was queued a mail is still tried; past this it is
    /// given up and its sender told.
    pub retry_window: Duration,
}

/// When a party's address counts as bouncing.
#[derive(Clone, Debug)]
pub struct BounceSettings {
    /// Hard bounces of one party's address that mark it ...
    pub mark_after: u32,
    /// ... within this long.
    pub window: Duration,
    /// How long after the day it was issued a return path takes bounces:
    /// the retry window plus `bounces.return_path_grace_days`.
    pub return_path_lifetime: Duration,
}

/// How long message content is kept, and how the sweep that removes it runs.
#[derive(Clone, Debug)]
pub struct RetentionSettings {
    /// Days after which a message's content is purged (at least 1).
    pub message_days: u32,
    pub sweep_interval: Duration,
    /// Messages purged per transaction.
    pub batch_size: u32,
}

impl RetentionSettings {
    /// Messages created before this have outlived the retention period.
    pub fn cutoff(&self, now: time::OffsetDateTime) -> time::OffsetDateTime {
        now - time::Duration::days(i64::from(self.message_days))
    }
}

/// What a seller may attach to a reply from the web inbox or the API.
#[derive(Clone, Debug)]
pub struct AttachmentSettings {
    pub max_files: usize,
    pub max_file_bytes: usize,
    pub max_total_bytes: usize,
    /// Lowercase `type/subtype`s, judged on the type read from the bytes.
    pub allowed_types: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub http_addr: SocketAddr,
    pub smtp_addr: SocketAddr,
    pub database: DatabaseUrl,
    pub relay_domain: String,
    pub outbound: OutboundTarget,
    pub operator_token: Option<SecretString>,
    /// A bearer token that may read `/metrics` and nothing else (the
    /// operator's token reads it too).
    pub metrics_token: Option<SecretString>,
    pub marketplace_name: String,
    /// The marketplace's own address, from which staff notices to a party
    /// (a seller's warning) come: never a relay alias, since the mail is
    /// the marketplace's word, not the counterparty's.
    pub notice_from: crate::domain::EmailAddress,
    pub policy_file: PathBuf,
    /// A newer Public Suffix List to use instead of the bundled one, read
    /// at start and on every reload (SIGHUP).
    pub public_suffix_list: Option<PathBuf>,
    /// Where people reach marketrelay (`https://relay.example.com`): the base
    /// of links in mail and of invitation links; an `https` URL marks session
    /// cookies Secure. `None`: mail links use `http://<the bound HTTP
    /// address>`, invitation links the request's Host header.
    pub public_url: Option<url::Url>,
    /// Key for signed links; `None` means one generated once and kept in the database.
    pub link_secret: Option<SecretString>,
    /// The key before the last rotation: links and return paths it signed
    /// are still accepted (until they expire), none is signed with it.
    pub link_secret_previous: Option<SecretString>,
    pub log_format: LogFormat,
    pub smtp: SmtpSettings,
    pub auth: MailAuthSettings,
    pub dkim: Option<DkimSettings>,
    pub http: HttpSettings,
    pub delivery: DeliverySettings,
    pub bounces: BounceSettings,
    pub attachments: AttachmentSettings,
    pub retention: RetentionSettings,
    /// How often a seller may ask the buyer for consent.
    pub consent: crate::domain::ConsentLimits,
    /// How many messages a seller may write per hour and per conversation and day.
    pub seller_messages: crate::domain::SellerMessageLimits,
    /// When violations suspend a seller and reports open a review.
    pub strikes: crate::domain::StrikeLimits,
}

impl Settings {
    /// Loads all three layers from the process environment.
    pub fn load() -> anyhow::Result<Self> {
        let vars: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with("MARKETRELAY_"))
            .collect();
        Self::load_from(&vars)
    }

    /// Loads the layers with the given `MARKETRELAY_*` variables (tests pass their own).
    pub fn load_from(vars: &[(String, String)]) -> anyhow::Result<Self> {
        let defaults = match std::fs::read_to_string("config/default.toml") {
            Ok(text) => text,
            Err(_) => EMBEDDED_DEFAULTS.to_owned(),
        };
        let mut table: Table = defaults
            .parse()
            .context("config/default.toml is not valid TOML")?;
        if let Some((_, path)) = vars.iter().find(|(k, _)| k == "MARKETRELAY_CONFIG") {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read MARKETRELAY_CONFIG file {path:?}"))?;
            let layer: Table = text
                .parse()
                .with_context(|| format!("MARKETRELAY_CONFIG file {path:?} is not valid TOML"))?;
            merge(&mut table, layer);
        }
        for (var, value) in vars {
            if var == "MARKETRELAY_CONFIG" {
                continue;
            }
            let Some((_, key)) = ENV_KEYS.iter().find(|(name, _)| name == var) else {
                if TOOLING_VARS.contains(&var.as_str()) {
                    continue;
                }
                // A mistyped name would otherwise fall back to a default
                // silently (a typo in the database URL runs on SQLite).
                bail!("{}", unknown_variable(var));
            };
            set_key(&mut table, key, value).with_context(|| format!("invalid {var}"))?;
        }
        let raw: RawSettings = table
            .try_into()
            .map_err(|e: toml::de::Error| anyhow!("invalid settings: {}", e.message()))?;
        Self::from_raw(raw)
    }

    fn from_raw(raw: RawSettings) -> anyhow::Result<Self> {
        let http_addr = raw.http_addr.parse().map_err(|_| {
            anyhow!(
                "invalid MARKETRELAY_HTTP_ADDR {:?}: expected HOST:PORT such as 127.0.0.1:8080",
                raw.http_addr
            )
        })?;
        let smtp_addr = raw.smtp_addr.parse().map_err(|_| {
            anyhow!(
                "invalid MARKETRELAY_SMTP_ADDR {:?}: expected HOST:PORT such as 127.0.0.1:2525",
                raw.smtp_addr
            )
        })?;
        let database = DatabaseUrl::parse(&raw.database_url)
            .map_err(|e| anyhow!("invalid MARKETRELAY_DATABASE_URL: {e}"))?;
        let relay_domain = raw.relay_domain.trim().to_ascii_lowercase();
        let domain_ok = !relay_domain.is_empty()
            && relay_domain
                .split('.')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !domain_ok {
            bail!(
                "invalid MARKETRELAY_RELAY_DOMAIN {:?}: expected a host name such as relay.example.com",
                raw.relay_domain
            );
        }
        let outbound = parse_outbound(&raw.outbound).with_context(|| {
            format!(
                "invalid MARKETRELAY_OUTBOUND {:?}",
                redact_userinfo(&raw.outbound)
            )
        })?;
        let operator_token = bearer_token(raw.operator_token, "MARKETRELAY_OPERATOR_TOKEN")?;
        let metrics_token = bearer_token(raw.metrics_token, "MARKETRELAY_METRICS_TOKEN")?;
        let public_url = match raw.public_url.trim() {
            "" => None,
            text => {
                let url = url::Url::parse(text.trim_end_matches('/'))
                    .map_err(|e| anyhow!("invalid MARKETRELAY_PUBLIC_URL {text:?}: {e}"))?;
                if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                    bail!(
                        "invalid MARKETRELAY_PUBLIC_URL {text:?}: expected http(s)://HOST[:PORT][/PATH]"
                    );
                }
                Some(url)
            }
        };
        let link_secret = link_key("MARKETRELAY_LINK_SECRET", raw.link_secret)?;
        let link_secret_previous =
            link_key("MARKETRELAY_LINK_SECRET_PREVIOUS", raw.link_secret_previous)?;
        if link_secret_previous.is_some() && link_secret.is_none() {
            bail!("invalid MARKETRELAY_LINK_SECRET_PREVIOUS: set MARKETRELAY_LINK_SECRET too");
        }
        let marketplace_name = clean_line(&raw.marketplace_name);
        if marketplace_name.is_empty() {
            bail!("invalid MARKETRELAY_MARKETPLACE_NAME: must not be empty");
        }
        let notice_from = match raw.notice_from.trim() {
            "" => format!("notices@{relay_domain}"),
            text => text.to_owned(),
        };
        let notice_from = crate::domain::EmailAddress::parse(&notice_from)
            .map_err(|e| anyhow!("invalid MARKETRELAY_NOTICE_FROM {notice_from:?}: {e}"))?;
        let public_suffix_list = match raw.public_suffix_list.trim() {
            "" => None,
            path => Some(PathBuf::from(path)),
        };
        let log_format = match raw.log_format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                bail!("invalid MARKETRELAY_LOG_FORMAT {other:?}: expected \"text\" or \"json\"")
            }
        };
        if raw.smtp.max_message_size < 1024 {
            bail!("invalid smtp.max_message_size: must be at least 1024 bytes");
        }
        if raw.delivery.max_attempts == 0 {
            bail!("invalid delivery.max_attempts: must be at least 1");
        }
        if raw.delivery.claim_lease_secs == 0 {
            bail!("invalid delivery.claim_lease_secs: must be at least 1");
        }
        if raw.bounces.mark_after == 0 || raw.bounces.window_days == 0 {
            bail!("invalid bounces.mark_after and bounces.window_days: must be at least 1");
        }
        if !(1..=256).contains(&raw.delivery.concurrency) {
            bail!("invalid delivery.concurrency: must be 1 to 256");
        }
        let consent = consent_limits(&raw.consent)?;
        let seller_messages = seller_message_limits(&raw.seller_messages)?;
        let strikes = strike_limits(&raw.strikes)?;
        let attachments = attachment_settings(raw.attachments)?;
        let retention = retention_settings(raw.retention)?;
        let tls = match (raw.smtp.tls_cert_file.trim(), raw.smtp.tls_key_file.trim()) {
            ("", "") => None,
            ("", _) | (_, "") => bail!(
                "invalid smtp TLS settings: set both MARKETRELAY_SMTP_TLS_CERT_FILE and MARKETRELAY_SMTP_TLS_KEY_FILE, or neither"
            ),
            (cert, key) => Some((PathBuf::from(cert), PathBuf::from(key))),
        };
        let auth = mail_auth_settings(raw.auth)?;
        let dkim = dkim_settings(raw.dkim, &relay_domain)?;
        if raw.smtp.max_bytes_in_flight < raw.smtp.max_message_size {
            bail!(
                "invalid smtp.max_bytes_in_flight: must be at least smtp.max_message_size ({} bytes), or no message that size could ever be taken",
                raw.smtp.max_message_size
            );
        }
        let spool_dir = match raw.smtp.spool_dir.trim() {
            "" => None,
            dir => Some(PathBuf::from(dir)),
        };
        let hostname = if raw.smtp.hostname.trim().is_empty() {
            relay_domain.clone()
        } else {
            clean_line(&raw.smtp.hostname)
        };
        Ok(Self {
            http_addr,
            smtp_addr,
            database,
            relay_domain,
            outbound,
            operator_token,
            metrics_token,
            marketplace_name,
            notice_from,
            policy_file: PathBuf::from(raw.policy_file),
            public_suffix_list,
            public_url,
            link_secret,
            link_secret_previous,
            log_format,
            smtp: SmtpSettings {
                hostname,
                max_message_size: raw.smtp.max_message_size as usize,
                command_timeout: Duration::from_secs(raw.smtp.command_timeout_secs.max(1)),
                data_timeout: Duration::from_secs(raw.smtp.data_timeout_secs.max(1)),
                max_recipients: raw.smtp.max_recipients.max(1) as usize,
                max_connections: raw.smtp.max_connections.max(1) as usize,
                max_connections_per_ip: raw.smtp.max_connections_per_ip.max(1) as usize,
                max_session: Duration::from_secs(raw.smtp.max_session_secs.max(1)),
                max_junk_commands: raw.smtp.max_junk_commands.max(1) as usize,
                spool_threshold: raw.smtp.spool_threshold_bytes as usize,
                spool_dir,
                max_bytes_in_flight: raw.smtp.max_bytes_in_flight as usize,
                max_refusals_per_ip: raw.smtp.max_refusals_per_ip.max(1),
                max_refusals_per_alias: raw.smtp.max_refusals_per_alias.max(1),
                refusal_window: Duration::from_secs(raw.smtp.refusal_window_secs.max(1)),
                tls,
            },
            auth,
            dkim,
            http: HttpSettings {
                max_body_bytes: raw.http.max_body_bytes.max(1024) as usize,
                request_timeout: Duration::from_secs(raw.http.request_timeout_secs.max(1)),
                header_read_timeout: Duration::from_secs(raw.http.header_read_timeout_secs.max(1)),
                max_connections: raw.http.max_connections.max(1) as usize,
                max_connections_per_ip: raw
                    .http
                    .max_connections_per_ip
                    .clamp(1, raw.http.max_connections.max(1))
                    as usize,
            },
            delivery: DeliverySettings {
                max_attempts: raw.delivery.max_attempts,
                initial_backoff: Duration::from_secs(raw.delivery.initial_backoff_secs),
                max_backoff: Duration::from_secs(
                    raw.delivery
                        .max_backoff_secs
                        .max(raw.delivery.initial_backoff_secs),
                ),
                poll_interval: Duration::from_millis(raw.delivery.poll_interval_ms.max(10)),
                claim_lease: Duration::from_secs(raw.delivery.claim_lease_secs),
                concurrency: raw.delivery.concurrency,
                retry_window: Duration::from_secs(raw.delivery.retry_window_secs),
            },
            bounces: BounceSettings {
                mark_after: raw.bounces.mark_after,
                window: Duration::from_secs(u64::from(raw.bounces.window_days) * 86_400),
                return_path_lifetime: Duration::from_secs(raw.delivery.retry_window_secs)
                    .saturating_add(Duration::from_secs(
                        u64::from(raw.bounces.return_path_grace_days) * 86_400,
                    )),
            },
            attachments,
            retention,
            consent,
            seller_messages,
            strikes,
        })
    }
}

fn seller_message_limits(
    raw: &RawSellerMessages,
) -> anyhow::Result<crate::domain::SellerMessageLimits> {
    let limit = |value: i64, var: &str, key: &str| {
        u32::try_from(value)
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| anyhow!("invalid {var} ({key}): must be 1 to 1000000"))
    };
    Ok(crate::domain::SellerMessageLimits {
        per_seller_per_hour: limit(
            raw.max_per_hour,
            "MARKETRELAY_SELLER_MAX_MESSAGES_PER_HOUR",
            "seller_messages.max_per_hour",
        )?,
        per_conversation_per_day: limit(
            raw.max_per_conversation_per_day,
            "MARKETRELAY_SELLER_MAX_MESSAGES_PER_CONVERSATION_PER_DAY",
            "seller_messages.max_per_conversation_per_day",
        )?,
    })
}

fn strike_limits(raw: &RawStrikes) -> anyhow::Result<crate::domain::StrikeLimits> {
    if !(1..=1000).contains(&raw.suspend_after) || !(1..=3650).contains(&raw.window_days) {
        bail!(
            "invalid strikes.suspend_after (1 to 1000) or strikes.window_days (1 to 3650 days) (MARKETRELAY_STRIKES_SUSPEND_AFTER, MARKETRELAY_STRIKES_WINDOW_DAYS)"
        );
    }
    if !(1..=1000).contains(&raw.review_after_buyers)
        || !(1..=24 * 365).contains(&raw.report_window_hours)
    {
        bail!(
            "invalid strikes.review_after_buyers (1 to 1000) or strikes.report_window_hours (1 to 8760 hours) (MARKETRELAY_STRIKES_REVIEW_AFTER_BUYERS, MARKETRELAY_STRIKES_REPORT_WINDOW_HOURS)"
        );
    }
    Ok(crate::domain::StrikeLimits {
        suspend_after: raw.suspend_after,
        window: time::Duration::days(i64::from(raw.window_days)),
        review_after_buyers: raw.review_after_buyers,
        report_window: time::Duration::hours(i64::from(raw.report_window_hours)),
    })
}

fn consent_limits(raw: &RawConsent) -> anyhow::Result<crate::domain::ConsentLimits> {
    if !(0..=3650).contains(&raw.decline_cooldown_days) {
        bail!(
            "invalid MARKETRELAY_CONSENT_DECLINE_COOLDOWN_DAYS (consent.decline_cooldown_days): must be 0 to 3650 days"
        );
    }
    let max_per_order = u32::try_from(raw.max_requests_per_order)
        .ok()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(|| {
            anyhow!(
                "invalid MARKETRELAY_CONSENT_MAX_REQUESTS_PER_ORDER (consent.max_requests_per_order): must be 1 to 1000"
            )
        })?;
    Ok(crate::domain::ConsentLimits {
        decline_cooldown: time::Duration::days(raw.decline_cooldown_days),
        max_per_order,
    })
}

fn retention_settings(raw: RawRetention) -> anyhow::Result<RetentionSettings> {
    // 0 would purge every message the moment it is delivered; someone who
    // wants that should say a day, not get it from a typo.
    if raw.message_days < 1 {
        bail!(
            "invalid MARKETRELAY_RETENTION_MESSAGE_DAYS (retention.message_days): must be at least 1 day"
        );
    }
    let message_days = u32::try_from(raw.message_days)
        .ok()
        .filter(|d| *d <= 36_500)
        .ok_or_else(|| {
            anyhow!(
                "invalid MARKETRELAY_RETENTION_MESSAGE_DAYS (retention.message_days): at most 36500 days"
            )
        })?;
    if raw.batch_size == 0 || raw.batch_size > 10_000 {
        bail!("invalid retention.batch_size: must be 1 to 10000");
    }
    Ok(RetentionSettings {
        message_days,
        sweep_interval: Duration::from_secs(raw.sweep_interval_secs.max(1)),
        batch_size: raw.batch_size as u32,
    })
}

fn mail_auth_settings(raw: RawAuth) -> anyhow::Result<MailAuthSettings> {
    let action = |name: &str, value: &str, allowed: &[AuthAction]| {
        AuthAction::parse(value)
            .filter(|a| allowed.contains(a))
            .ok_or_else(|| {
                let words: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
                anyhow!(
                    "invalid auth.{name} {value:?}: expected {}",
                    words.join(" or ")
                )
            })
    };
    use AuthAction::{Accept, Hold, Refuse, TempFail};
    let policy = AuthPolicy {
        on_fail: action("on_fail", &raw.on_fail, &[Refuse, Hold])?,
        on_none: action("on_none", &raw.on_none, &[Accept, Hold, Refuse])?,
        on_temperror: action("on_temperror", &raw.on_temperror, &[TempFail, Accept, Hold])?,
    };
    let mut dns_servers = Vec::new();
    for server in raw
        .dns_servers
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let addr = server
            .parse::<SocketAddr>()
            .or_else(|_| {
                server
                    .parse::<std::net::IpAddr>()
                    .map(|ip| SocketAddr::new(ip, 53))
            })
            .map_err(|_| {
                anyhow!("invalid auth.dns_servers entry {server:?}: expected IP or IP:PORT")
            })?;
        dns_servers.push(addr);
    }
    let mut trusted_peers = Vec::new();
    for peer in raw
        .trusted_peers
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        trusted_peers.push(PeerNet::parse(peer).ok_or_else(|| {
            anyhow!(
                "invalid auth.trusted_peers entry {peer:?}: expected an IP address or CIDR block"
            )
        })?);
    }
    let authserv_id = clean_line(&raw.authserv_id);
    if !trusted_peers.is_empty() && authserv_id.is_empty() {
        bail!(
            "invalid auth settings: auth.trusted_peers needs auth.authserv_id, the name your edge MTA writes in Authentication-Results"
        );
    }
    Ok(MailAuthSettings {
        policy,
        check: AuthSettings {
            dns_servers,
            timeout: Duration::from_millis(raw.timeout_ms.clamp(100, 60_000)),
            trusted_peers,
            authserv_id,
        },
    })
}

fn dkim_settings(raw: RawDkim, relay_domain: &str) -> anyhow::Result<Option<DkimSettings>> {
    match (raw.key_file.trim(), raw.selector.trim()) {
        ("", "") => Ok(None),
        ("", _) | (_, "") => bail!(
            "invalid dkim settings: set both MARKETRELAY_DKIM_KEY_FILE and MARKETRELAY_DKIM_SELECTOR, or neither"
        ),
        (key, selector) => {
            let domain = match raw.domain.trim() {
                "" => relay_domain.to_owned(),
                d => d.to_ascii_lowercase(),
            };
            let label_ok =
                |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !selector.split('.').all(label_ok) {
                bail!(
                    "invalid MARKETRELAY_DKIM_SELECTOR {selector:?}: expected a DNS label such as mr2026"
                );
            }
            Ok(Some(DkimSettings {
                key_file: PathBuf::from(key),
                selector: selector.to_owned(),
                domain,
            }))
        }
    }
}

fn attachment_settings(raw: RawAttachments) -> anyhow::Result<AttachmentSettings> {
    if raw.max_file_bytes == 0 || raw.max_total_bytes == 0 {
        bail!("invalid attachments limits: sizes must be at least 1 byte");
    }
    let mut allowed_types = Vec::new();
    for t in &raw.allowed_types {
        let t = t.trim().to_ascii_lowercase();
        if !ATTACHABLE_TYPES.contains(&t.as_str()) {
            bail!(
                "invalid attachments.allowed_types entry {t:?}: expected some of {}",
                ATTACHABLE_TYPES.join(", ")
            );
        }
        allowed_types.push(t);
    }
    Ok(AttachmentSettings {
        max_files: raw.max_files as usize,
        max_file_bytes: raw.max_file_bytes.min(raw.max_total_bytes) as usize,
        max_total_bytes: raw.max_total_bytes as usize,
        allowed_types,
    })
}

/// A configured bearer token: at least 16 characters, so it cannot be guessed
/// by trying; `None` when unset.
fn bearer_token(raw: Option<String>, var: &str) -> anyhow::Result<Option<SecretString>> {
    match raw {
        Some(t) if t.trim().len() < 16 => bail!("invalid {var}: use at least 16 characters"),
        Some(t) => Ok(Some(SecretString::from(t.trim().to_owned()))),
        None => Ok(None),
    }
}

fn parse_outbound(value: &str) -> anyhow::Result<OutboundTarget> {
    if let Some(dir) = value.strip_prefix("file://") {
        if dir.is_empty() {
            bail!("file:// needs a directory, e.g. file://data/outbox");
        }
        return Ok(OutboundTarget::File(PathBuf::from(dir)));
    }
    let url = url::Url::parse(value).map_err(|e| anyhow!("{e}"))?;
    let implicit_tls = match url.scheme() {
        "smtp" => false,
        "smtps" => true,
        other => bail!(
            "unsupported scheme {other:?}: use file://DIR, smtp://HOST:PORT or smtps://HOST:PORT"
        ),
    };
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| anyhow!("missing host"))?
        .to_owned();
    let port = url.port().unwrap_or(if implicit_tls { 465 } else { 25 });
    let credentials = if url.username().is_empty() {
        None
    } else {
        let user = percent_decode(url.username());
        let pass = percent_decode(url.password().unwrap_or_default());
        Some((user, SecretString::from(pass)))
    };
    Ok(OutboundTarget::Smtp {
        host,
        port,
        implicit_tls,
        credentials,
    })
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Hides `user:pass@` so an error message never prints a password.
fn redact_userinfo(value: &str) -> String {
    match (value.find("://"), value.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***@{}", &value[..scheme_end], &value[at + 1..])
        }
        _ => value.to_owned(),
    }
}

/// Strips control characters so a setting can never inject a header line.
fn clean_line(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

fn merge(base: &mut Table, layer: Table) {
    for (key, value) in layer {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(l)) => merge(b, l),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

/// Sets a dotted key from an environment string, keeping the default's type.
fn set_key(table: &mut Table, dotted: &str, value: &str) -> anyhow::Result<()> {
    let (parent, key) = match dotted.split_once('.') {
        Some((section, key)) => {
            let section = table
                .entry(section)
                .or_insert_with(|| toml::Value::Table(Table::new()));
            let toml::Value::Table(t) = section else {
                bail!("{section} is not a table")
            };
            (t, key)
        }
        None => (table, dotted),
    };
    let typed = match parent.get(key) {
        // Lists come as comma-separated text.
        Some(toml::Value::Array(_)) => toml::Value::Array(
            value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| toml::Value::String(v.to_owned()))
                .collect(),
        ),
        Some(toml::Value::Integer(_)) => toml::Value::Integer(
            value
                .trim()
                .parse()
                .map_err(|_| anyhow!("{value:?} is not a whole number"))?,
        ),
        _ => toml::Value::String(value.to_owned()),
    };
    parent.insert(key.to_owned(), typed);
    Ok(())
}

/// A link signing key from `var`: none when unset or blank, at least 32
/// characters otherwise.
fn link_key(var: &str, raw: Option<String>) -> anyhow::Result<Option<SecretString>> {
    match raw {
        Some(t) if t.trim().is_empty() => Ok(None),
        Some(t) if t.trim().len() < 32 => bail!("invalid {var}: use at least 32 characters"),
        Some(t) => Ok(Some(SecretString::from(t.trim().to_owned()))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::load_from(&vars)
    }

    #[test]
    fn defaults_match_the_contract() {
        let s = load(&[]).unwrap();
        assert_eq!(s.http_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(s.smtp_addr.to_string(), "127.0.0.1:2525");
        assert_eq!(
            s.database,
            DatabaseUrl::Sqlite("data/marketrelay.db".into())
        );
        assert_eq!(s.relay_domain, "relay.localhost");
        assert!(
            matches!(s.outbound, OutboundTarget::File(ref p) if p == &PathBuf::from("data/outbox"))
        );
        assert!(s.operator_token.is_none());
        assert_eq!(s.marketplace_name, "Marketplace");
        assert_eq!(s.smtp.max_message_size, 25 * 1024 * 1024);
    }

    #[test]
    fn staff_notices_come_from_the_relay_domains_notices_address_unless_set() {
        let s = load(&[("MARKETRELAY_RELAY_DOMAIN", "relay.example.com")]).unwrap();
        assert_eq!(s.notice_from.as_str(), "notices@relay.example.com");
        let s = load(&[("MARKETRELAY_NOTICE_FROM", " Trust@Shop.example ")]).unwrap();
        assert_eq!(s.notice_from.as_str(), "trust@shop.example");
        let err = load(&[("MARKETRELAY_NOTICE_FROM", "not an address")])
            .err()
            .unwrap();
        assert!(
            err.to_string()
                .starts_with("invalid MARKETRELAY_NOTICE_FROM"),
            "{err}"
        );
    }

    #[test]
    fn a_public_suffix_list_file_is_read_and_checked_or_the_start_stops() {
        assert!(load(&[]).unwrap().load_public_suffixes().unwrap().is_none());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("psl.dat");
        let with = |path: &Path| {
            load(&[("MARKETRELAY_PUBLIC_SUFFIX_LIST", path.to_str().unwrap())])
                .unwrap()
                .load_public_suffixes()
        };
        let err = with(&path).unwrap_err();
        assert!(
            format!("{err:#}").starts_with("invalid MARKETRELAY_PUBLIC_SUFFIX_LIST: cannot read"),
            "{err:#}"
        );
        let icann = |rules: &str| {
            format!("// ===BEGIN ICANN DOMAINS===\n{rules}// ===END ICANN DOMAINS===\n")
        };
        // A list, but not the list: it knows no co.uk.
        std::fs::write(&path, icann("com\n")).unwrap();
        let err = with(&path).unwrap_err();
        assert!(
            format!("{err:#}").contains("not a Public Suffix List"),
            "{err:#}"
        );
        std::fs::write(&path, "<html>503</html>").unwrap();
        let err = with(&path).unwrap_err();
        assert!(
            format!("{err:#}").starts_with("invalid MARKETRELAY_PUBLIC_SUFFIX_LIST"),
            "{err:#}"
        );
        std::fs::write(&path, icann("com\nuk\nco.uk\n")).unwrap();
        assert!(with(&path).unwrap().is_some());
    }

    #[test]
    fn an_unknown_variable_stops_the_start_and_names_the_likely_one() {
        let Err(err) = load(&[("MARKETRELAY_DATABSE_URL", "postgres://db/x")]) else {
            panic!("a mistyped variable must not fall back to the default database");
        };
        assert_eq!(
            err.to_string(),
            "unknown environment variable MARKETRELAY_DATABSE_URL: did you mean MARKETRELAY_DATABASE_URL?"
        );
        let err = load(&[("MARKETRELAY_FROBNICATE", "1")]).err().unwrap();
        assert!(
            err.to_string()
                .starts_with("unknown environment variable MARKETRELAY_FROBNICATE:")
        );
        // The test harness's own variables are not the service's mistakes.
        assert!(load(&[("MARKETRELAY_TEST_DATABASE_URL", "postgres://x/y")]).is_ok());
    }

    #[test]
    fn environment_overrides_defaults() {
        let s = load(&[
            ("MARKETRELAY_HTTP_ADDR", "0.0.0.0:9000"),
            (
                "MARKETRELAY_OUTBOUND",
                "smtps://user:p%40ss@mail.example.com",
            ),
            ("MARKETRELAY_SMTP_MAX_MESSAGE_SIZE", "2048"),
            ("MARKETRELAY_RELAY_DOMAIN", "Relay.Example.COM"),
        ])
        .unwrap();
        assert_eq!(s.http_addr.port(), 9000);
        assert_eq!(s.smtp.max_message_size, 2048);
        assert_eq!(s.relay_domain, "relay.example.com");
        match s.outbound {
            OutboundTarget::Smtp {
                host,
                port,
                implicit_tls,
                credentials,
            } => {
                assert_eq!(
                    (host.as_str(), port, implicit_tls),
                    ("mail.example.com", 465, true)
                );
                let (user, pass) = credentials.unwrap();
                assert_eq!(user, "user");
                assert_eq!(secrecy::ExposeSecret::expose_secret(&pass), "p@ss");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn public_url_and_link_secret_are_optional_and_parsed() {
        let s = load(&[]).unwrap();
        assert!(
            s.public_url.is_none(),
            "derived from the bound HTTP address"
        );
        assert!(
            s.link_secret.is_none(),
            "generated and kept in the database"
        );
        let s = load(&[
            ("MARKETRELAY_PUBLIC_URL", "https://mail.example.com/relay/"),
            (
                "MARKETRELAY_LINK_SECRET",
                "0123456789abcdef0123456789abcdef",
            ),
        ])
        .unwrap();
        assert_eq!(
            s.public_url.unwrap().as_str(),
            "https://mail.example.com/relay"
        );
        assert!(!format!("{:?}", s.link_secret).contains("0123456789"));
    }

    #[test]
    fn bad_settings_give_one_clear_line_naming_the_variable() {
        for (var, value, expected) in [
            ("MARKETRELAY_HTTP_ADDR", "nonsense", "MARKETRELAY_HTTP_ADDR"),
            (
                "MARKETRELAY_DATABASE_URL",
                "mysql://x",
                "MARKETRELAY_DATABASE_URL",
            ),
            ("MARKETRELAY_OUTBOUND", "ftp://x", "MARKETRELAY_OUTBOUND"),
            (
                "MARKETRELAY_OUTBOUND",
                "smtp://u:secretpw@",
                "MARKETRELAY_OUTBOUND",
            ),
            (
                "MARKETRELAY_RELAY_DOMAIN",
                "bad domain",
                "MARKETRELAY_RELAY_DOMAIN",
            ),
            (
                "MARKETRELAY_OPERATOR_TOKEN",
                "short",
                "MARKETRELAY_OPERATOR_TOKEN",
            ),
            (
                "MARKETRELAY_METRICS_TOKEN",
                "fifteen chars..",
                "MARKETRELAY_METRICS_TOKEN",
            ),
            (
                "MARKETRELAY_SMTP_MAX_MESSAGE_SIZE",
                "lots",
                "MARKETRELAY_SMTP_MAX_MESSAGE_SIZE",
            ),
            (
                "MARKETRELAY_PUBLIC_URL",
                "not a url",
                "MARKETRELAY_PUBLIC_URL",
            ),
            (
                "MARKETRELAY_PUBLIC_URL",
                "ftp://x.example",
                "MARKETRELAY_PUBLIC_URL",
            ),
            (
                "MARKETRELAY_LINK_SECRET",
                "short",
                "MARKETRELAY_LINK_SECRET",
            ),
        ] {
            let err = format!("{:#}", load(&[(var, value)]).unwrap_err());
            assert!(err.contains(expected), "{var}={value}: {err}");
            assert!(!err.contains('\n'), "{var}: multi-line error {err}");
            assert!(!err.contains("secretpw"), "password leaked: {err}");
        }
    }

    #[test]
    fn http_connection_limits_load_with_overrides() {
        let s = load(&[]).unwrap();
        assert_eq!(s.http.header_read_timeout, Duration::from_secs(10));
        assert_eq!(s.http.max_connections, 1024);
        assert_eq!(s.http.max_connections_per_ip, 64);
        let s = load(&[
            ("MARKETRELAY_HTTP_HEADER_READ_TIMEOUT_SECS", "3"),
            ("MARKETRELAY_HTTP_MAX_CONNECTIONS", "10"),
            ("MARKETRELAY_HTTP_MAX_CONNECTIONS_PER_IP", "50"),
        ])
        .unwrap();
        assert_eq!(s.http.header_read_timeout, Duration::from_secs(3));
        assert_eq!(s.http.max_connections, 10);
        // One address can never hold more than all connections together.
        assert_eq!(s.http.max_connections_per_ip, 10);
        let err = format!(
            "{:#}",
            load(&[("MARKETRELAY_HTTP_MAX_CONNECTIONS", "many")]).unwrap_err()
        );
        assert!(err.contains("MARKETRELAY_HTTP_MAX_CONNECTIONS"), "{err}");
    }

    #[test]
    fn attachment_limits_load_with_overrides_and_refuse_unknown_types() {
        let s = load(&[]).unwrap();
        assert_eq!(s.attachments.max_files, 5);
        assert_eq!(s.attachments.max_total_bytes, 10 * 1024 * 1024);
        assert!(
            s.attachments
                .allowed_types
                .contains(&"image/webp".to_owned())
        );
        let s = load(&[
            ("MARKETRELAY_ATTACHMENTS_MAX_FILES", "2"),
            ("MARKETRELAY_ATTACHMENTS_MAX_FILE_BYTES", "900"),
            ("MARKETRELAY_ATTACHMENTS_MAX_TOTAL_BYTES", "500"),
        ])
        .unwrap();
        assert_eq!(s.attachments.max_files, 2);
        // One file can never be larger than all of them together.
        assert_eq!(s.attachments.max_file_bytes, 500);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("override.toml");
        std::fs::write(
            &path,
            "[attachments]\nallowed_types = [\"application/x-msdownload\"]\n",
        )
        .unwrap();
        let err = load(&[("MARKETRELAY_CONFIG", path.to_str().unwrap())])
            .unwrap_err()
            .to_string();
        assert!(err.contains("attachments.allowed_types"), "{err}");
    }

    #[test]
    fn mail_security_settings_have_demanding_defaults_and_can_be_overridden() {
        let s = load(&[]).unwrap();
        assert_eq!(s.smtp.max_connections_per_ip, 20);
        assert_eq!(s.smtp.max_session, Duration::from_secs(1800));
        assert_eq!(s.smtp.max_junk_commands, 100);
        assert_eq!(s.smtp.spool_threshold, 256 * 1024);
        assert!(s.smtp.spool_dir.is_none());
        assert_eq!(s.smtp.max_bytes_in_flight, 128 * 1024 * 1024);
        assert_eq!(s.smtp.max_refusals_per_ip, 20);
        assert_eq!(s.smtp.max_refusals_per_alias, 10);
        assert_eq!(s.smtp.refusal_window, Duration::from_secs(3600));
        assert_eq!(
            s.auth.policy,
            AuthPolicy {
                on_fail: AuthAction::Refuse,
                on_none: AuthAction::Accept,
                on_temperror: AuthAction::TempFail,
            }
        );
        assert!(s.auth.check.dns_servers.is_empty(), "the system's resolver");
        assert_eq!(s.auth.check.timeout, Duration::from_secs(5));
        assert!(s.auth.check.trusted_peers.is_empty());
        assert!(s.dkim.is_none(), "unsigned unless a key is configured");

        let s = load(&[
            ("MARKETRELAY_SMTP_MAX_CONNECTIONS_PER_IP", "3"),
            ("MARKETRELAY_SMTP_MAX_SESSION_SECS", "60"),
            ("MARKETRELAY_AUTH_ON_FAIL", "hold"),
            ("MARKETRELAY_AUTH_ON_NONE", "refuse"),
            ("MARKETRELAY_AUTH_ON_TEMPERROR", "accept"),
            ("MARKETRELAY_AUTH_DNS_SERVERS", "127.0.0.1:5353, ::1"),
            ("MARKETRELAY_AUTH_TRUSTED_PEERS", "10.0.0.0/8"),
            ("MARKETRELAY_AUTH_AUTHSERV_ID", "mx.example.com"),
            ("MARKETRELAY_DKIM_KEY_FILE", "/etc/marketrelay/dkim.pem"),
            ("MARKETRELAY_DKIM_SELECTOR", "mr2026"),
        ])
        .unwrap();
        assert_eq!(s.smtp.max_connections_per_ip, 3);
        assert_eq!(s.smtp.max_session, Duration::from_secs(60));
        assert_eq!(s.auth.policy.on_fail, AuthAction::Hold);
        assert_eq!(s.auth.policy.on_none, AuthAction::Refuse);
        assert_eq!(s.auth.policy.on_temperror, AuthAction::Accept);
        assert_eq!(
            s.auth.check.dns_servers,
            vec![
                "127.0.0.1:5353".parse::<SocketAddr>().unwrap(),
                "[::1]:53".parse().unwrap()
            ]
        );
        assert!(s.auth.check.trusted_peers[0].contains("10.1.2.3".parse().unwrap()));
        assert_eq!(s.auth.check.authserv_id, "mx.example.com");
        let dkim = s.dkim.unwrap();
        assert_eq!(
            (dkim.selector.as_str(), dkim.domain.as_str()),
            ("mr2026", "relay.localhost")
        );
    }

    #[test]
    fn bad_mail_security_settings_are_refused_with_one_line() {
        for (var, value, expected) in [
            ("MARKETRELAY_AUTH_ON_FAIL", "accept", "auth.on_fail"),
            ("MARKETRELAY_AUTH_ON_NONE", "tempfail", "auth.on_none"),
            (
                "MARKETRELAY_AUTH_ON_TEMPERROR",
                "refuse",
                "auth.on_temperror",
            ),
            (
                "MARKETRELAY_AUTH_DNS_SERVERS",
                "dns.example",
                "auth.dns_servers",
            ),
            (
                "MARKETRELAY_AUTH_TRUSTED_PEERS",
                "10.0.0.0/40",
                "auth.trusted_peers",
            ),
            (
                "MARKETRELAY_AUTH_TRUSTED_PEERS",
                "10.0.0.1",
                "auth.authserv_id",
            ),
            (
                "MARKETRELAY_DKIM_SELECTOR",
                "mr2026",
                "MARKETRELAY_DKIM_KEY_FILE",
            ),
            (
                "MARKETRELAY_SMTP_MAX_BYTES_IN_FLIGHT",
                "1024",
                "smtp.max_bytes_in_flight",
            ),
        ] {
            let err = format!("{:#}", load(&[(var, value)]).unwrap_err());
            assert!(err.contains(expected), "{var}={value}: {err}");
            assert!(!err.contains('\n'), "{var}: multi-line error {err}");
        }
    }

    #[test]
    fn retention_defaults_to_a_year_and_refuses_zero_days() {
        let settings = load(&[]).unwrap();
        assert_eq!(settings.retention.message_days, 365);
        assert!(settings.retention.batch_size > 0);
        let settings = load(&[("MARKETRELAY_RETENTION_MESSAGE_DAYS", "30")]).unwrap();
        assert_eq!(settings.retention.message_days, 30);
        let now = time::macros::datetime!(2026-03-31 12:00 UTC);
        assert_eq!(
            settings.retention.cutoff(now),
            time::macros::datetime!(2026-03-01 12:00 UTC)
        );
        for value in ["0", "-5", "soon"] {
            let err = format!(
                "{:#}",
                load(&[("MARKETRELAY_RETENTION_MESSAGE_DAYS", value)]).unwrap_err()
            );
            assert!(
                err.contains("MARKETRELAY_RETENTION_MESSAGE_DAYS")
                    || err.contains("retention.message_days"),
                "{value}: {err}"
            );
            assert!(!err.contains('\n'), "{value}: multi-line error {err}");
        }
    }

    #[test]
    fn consent_limits_default_to_fourteen_days_and_two_requests_and_refuse_zero_requests() {
        let settings = load(&[]).unwrap();
        assert_eq!(settings.consent, crate::domain::ConsentLimits::default());
        assert_eq!(settings.consent.decline_cooldown, time::Duration::days(14));
        assert_eq!(settings.consent.max_per_order, 2);
        let settings = load(&[
            ("MARKETRELAY_CONSENT_DECLINE_COOLDOWN_DAYS", "0"),
            ("MARKETRELAY_CONSENT_MAX_REQUESTS_PER_ORDER", "5"),
        ])
        .unwrap();
        assert_eq!(settings.consent.decline_cooldown, time::Duration::ZERO);
        assert_eq!(settings.consent.max_per_order, 5);
        for (var, value) in [
            ("MARKETRELAY_CONSENT_MAX_REQUESTS_PER_ORDER", "0"),
            ("MARKETRELAY_CONSENT_DECLINE_COOLDOWN_DAYS", "-1"),
        ] {
            let err = format!("{:#}", load(&[(var, value)]).unwrap_err());
            assert!(
                err.contains(var) || err.contains("consent."),
                "{var}={value}: {err}"
            );
            assert!(!err.contains('\n'), "{var}: multi-line error {err}");
        }
    }

    #[test]
    fn seller_message_limits_default_to_300_an_hour_and_30_a_conversation_a_day() {
        let settings = load(&[]).unwrap();
        assert_eq!(
            settings.seller_messages,
            crate::domain::SellerMessageLimits::default()
        );
        assert_eq!(settings.seller_messages.per_seller_per_hour, 300);
        assert_eq!(settings.seller_messages.per_conversation_per_day, 30);
        let settings = load(&[
            ("MARKETRELAY_SELLER_MAX_MESSAGES_PER_HOUR", "5"),
            (
                "MARKETRELAY_SELLER_MAX_MESSAGES_PER_CONVERSATION_PER_DAY",
                "2",
            ),
        ])
        .unwrap();
        assert_eq!(settings.seller_messages.per_seller_per_hour, 5);
        assert_eq!(settings.seller_messages.per_conversation_per_day, 2);
        for var in [
            "MARKETRELAY_SELLER_MAX_MESSAGES_PER_HOUR",
            "MARKETRELAY_SELLER_MAX_MESSAGES_PER_CONVERSATION_PER_DAY",
        ] {
            for value in ["0", "-1"] {
                let err = format!("{:#}", load(&[(var, value)]).unwrap_err());
                assert!(err.contains(var), "{var}={value}: {err}");
                assert!(!err.contains('\n'), "{var}: multi-line error {err}");
            }
        }
    }

    #[test]
    fn strike_limits_default_to_three_in_ninety_days_and_three_buyers_in_a_day() {
        let settings = load(&[]).unwrap();
        assert_eq!(settings.strikes, crate::domain::StrikeLimits::default());
        assert_eq!(settings.strikes.suspend_after, 3);
        assert_eq!(settings.strikes.window, time::Duration::days(90));
        assert_eq!(settings.strikes.review_after_buyers, 3);
        assert_eq!(settings.strikes.report_window, time::Duration::hours(24));
        let settings = load(&[
            ("MARKETRELAY_STRIKES_SUSPEND_AFTER", "5"),
            ("MARKETRELAY_STRIKES_WINDOW_DAYS", "30"),
            ("MARKETRELAY_STRIKES_REVIEW_AFTER_BUYERS", "2"),
            ("MARKETRELAY_STRIKES_REPORT_WINDOW_HOURS", "48"),
        ])
        .unwrap();
        assert_eq!(settings.strikes.suspend_after, 5);
        assert_eq!(settings.strikes.window, time::Duration::days(30));
        assert_eq!(settings.strikes.review_after_buyers, 2);
        assert_eq!(settings.strikes.report_window, time::Duration::hours(48));
        for var in [
            "MARKETRELAY_STRIKES_SUSPEND_AFTER",
            "MARKETRELAY_STRIKES_WINDOW_DAYS",
            "MARKETRELAY_STRIKES_REVIEW_AFTER_BUYERS",
            "MARKETRELAY_STRIKES_REPORT_WINDOW_HOURS",
        ] {
            let err = format!("{:#}", load(&[(var, "0")]).unwrap_err());
            assert!(err.contains(var), "{var}: {err}");
            assert!(!err.contains('\n'), "{var}: multi-line error {err}");
        }
    }
}
