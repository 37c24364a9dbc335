//! Wiring: connects the store, loads the policy, binds both listeners
//! before anything runs (so a bad address fails at start and tests learn the
//! real ports), then runs SMTP, HTTP, the delivery worker and the retention
//! sweep until shutdown.

use std::{net::SocketAddr, sync::Arc};

use anyhow::Context;
use secrecy::ExposeSecret;
use tokio::{
    net::TcpListener,
    signal::unix::{Signal, SignalKind, signal},
};
use tokio_util::sync::CancellationToken;

use crate::{
    config::Settings,
    domain::ApiToken,
    http::{self, AppState, state::PublicSuffixList},
    inbound::{self, Authenticator, ByteBudget, SmtpConfig},
    outbound::{Outbound, Transport, dkim},
    relay::{
        self, Relay, RelayConfig, SharedPolicy, Swappable,
        links::{LINK_SECRET_NAME, LinkSigner},
    },
    store::{self, Store},
    telemetry::Metrics,
};

pub struct App {
    http_listener: TcpListener,
    smtp_listener: TcpListener,
    pub state: AppState,
    pub outbound: Outbound,
    smtp_tls: Option<inbound::TlsAcceptor>,
    authenticator: Arc<Authenticator>,
    run_worker: bool,
}

impl App {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        // Large mails' buffers go back to the system once their share of
        // the memory budget does.
        inbound::return_large_buffers();
        let policy = SharedPolicy::new(settings.load_policy()?);
        crate::relay::review_window::review_rules_ready()?;
        let store = store::connect(&settings.database)
            .await
            .context("cannot open the database (MARKETRELAY_DATABASE_URL)")?;
        let http_listener = TcpListener::bind(settings.http_addr)
            .await
            .with_context(|| {
                format!(
                    "cannot listen on MARKETRELAY_HTTP_ADDR {}",
                    settings.http_addr
                )
            })?;
        let smtp_listener = TcpListener::bind(settings.smtp_addr)
            .await
            .with_context(|| {
                format!(
                    "cannot listen on MARKETRELAY_SMTP_ADDR {}",
                    settings.smtp_addr
                )
            })?;
        let smtp_tls = match &settings.smtp.tls {
            Some((cert, key)) => Some(inbound::tls::acceptor_from_pem_files(cert, key)?),
            None => None,
        };
        let authenticator = Authenticator::new(&settings.auth.check, &settings.smtp.hostname)
            .context("invalid auth settings")?;
        let dkim = dkim::signer(settings.dkim.as_ref())?.map(Arc::new);
        let operator_token_hash = operator_token(&settings, store.as_ref()).await?;
        let transport = Arc::new(
            Transport::from_target(&settings.outbound, settings.delivery.concurrency)
                .context("invalid MARKETRELAY_OUTBOUND")?,
        );
        let metrics = Arc::new(Metrics::new());
        let links = Arc::new(link_signer(&settings, store.as_ref(), &http_listener).await?);
        let relay = Arc::new(
            Relay::new(
                store.clone(),
                policy.clone(),
                RelayConfig {
                    relay_domain: settings.relay_domain.clone(),
                    marketplace_name: settings.marketplace_name.clone(),
                    auth_policy: settings.auth.policy,
                    max_refusals_per_ip: settings.smtp.max_refusals_per_ip,
                    max_refusals_per_alias: settings.smtp.max_refusals_per_alias,
                    refusal_window: settings.smtp.refusal_window,
                    consent_limits: settings.consent,
                    seller_messages: settings.seller_messages,
                    strike_limits: settings.strikes,
                },
                metrics.clone(),
            )
            .with_bounces(links.clone(), settings.bounces.clone()),
        );
        let authenticator = Arc::new(authenticator.with_cpu(relay.cpu.clone()));
        let metrics_token_hash = settings
            .metrics_token
            .as_ref()
            .map(|t| ApiToken::from_presented(t.expose_secret()).hash());
        let outbound = Outbound {
            store: store.clone(),
            policy,
            transport: transport.clone(),
            relay_domain: settings.relay_domain.clone(),
            marketplace_name: settings.marketplace_name.clone(),
            notice_from: settings.notice_from.as_str().to_owned(),
            settings: settings.delivery.clone(),
            links: links.clone(),
            dkim,
            metrics: metrics.clone(),
            bounces: settings.bounces.clone(),
            // One budget for the process: SMTP sessions and delivery lanes
            // take their shares of it (see `run_until_stopped`).
            budget: ByteBudget::new(settings.smtp.max_bytes_in_flight),
        };
        let public_suffixes = Swappable::new(PublicSuffixList::load(&settings)?);
        let state = AppState {
            public_suffixes,
            store,
            relay,
            links,
            settings: Arc::new(settings),
            operator_token_hash,
            metrics_token_hash,
            transport,
            metrics,
        };
        Ok(Self {
            http_listener,
            smtp_listener,
            state,
            outbound,
            smtp_tls,
            authenticator,
            run_worker: true,
        })
    }

    pub fn http_addr(&self) -> SocketAddr {
        self.http_listener
            .local_addr()
            .expect("bound listener has an address")
    }

    pub fn smtp_addr(&self) -> SocketAddr {
        self.smtp_listener
            .local_addr()
            .expect("bound listener has an address")
    }

    /// Leaves the queue to the caller (`outbound.try_deliver_next`), for tests
    /// that check what happens before delivery.
    pub fn without_worker(mut self) -> Self {
        self.run_worker = false;
        self
    }

    /// See `AppState::reload_policy`; what SIGHUP does.
    pub fn reload_policy(&self) -> anyhow::Result<()> {
        self.state.reload_policy()
    }

    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let settings = self.state.settings.clone();
        // Registered before serving, so a SIGHUP sent once we answer never
        // meets the default action (which would end the process).
        let hangups = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
        let reloader = tokio::spawn(reload_on_hangup(
            self.state.clone(),
            hangups,
            shutdown.clone(),
        ));
        tracing::info!(
            http = %self.http_addr(),
            smtp = %self.smtp_addr(),
            relay_domain = %settings.relay_domain,
            database = match settings.database { crate::config::DatabaseUrl::Sqlite(_) => "sqlite", crate::config::DatabaseUrl::Postgres(_) => "postgres" },
            "marketrelay is running"
        );
        let smtp_config = SmtpConfig {
            hostname: settings.smtp.hostname.clone(),
            max_message_size: settings.smtp.max_message_size,
            command_timeout: settings.smtp.command_timeout,
            data_timeout: settings.smtp.data_timeout,
            max_session: settings.smtp.max_session,
            max_recipients: settings.smtp.max_recipients,
            max_connections: settings.smtp.max_connections,
            max_connections_per_ip: settings.smtp.max_connections_per_ip,
            max_junk_commands: settings.smtp.max_junk_commands,
            spool_threshold: settings.smtp.spool_threshold,
            spool_dir: settings.smtp.spool_dir.clone(),
            bytes_in_flight: self.outbound.budget.clone(),
            auth: self.authenticator.clone(),
            tls: self.smtp_tls.clone(),
            metrics: self.state.metrics.clone(),
        };
        let sink: Arc<dyn inbound::MailSink> = Arc::new(RelaySink(self.state.relay.clone()));
        let smtp = tokio::spawn(inbound::serve(
            self.smtp_listener,
            smtp_config,
            sink,
            shutdown.clone(),
        ));
        let worker = self
            .run_worker
            .then(|| tokio::spawn(self.outbound.clone().run_until_stopped(shutdown.clone())));
        // Beside the delivery worker: a process that sends also keeps the
        // store within its retention period.
        let retention = self.run_worker.then(|| {
            tokio::spawn(relay::lifecycle::run_until_stopped(
                self.state.store.clone(),
                settings.retention.clone(),
                shutdown.clone(),
            ))
        });
        let router = http::router(self.state.clone());
        let http = tokio::spawn(http::serve::serve(
            self.http_listener,
            router,
            settings.http.clone(),
            shutdown.clone(),
        ));

        http.await.context("HTTP server task failed")?;
        smtp.await.context("SMTP listener task failed")?;
        if let Some(worker) = worker {
            worker.await.context("delivery worker task failed")?;
        }
        if let Some(retention) = retention {
            retention.await.context("retention sweep task failed")?;
        }
        reloader.abort();
        tracing::info!("marketrelay stopped");
        Ok(())
    }
}

/// Reloads the policy on every SIGHUP until shutdown. Evaluations already
/// running finish on the policy they started with.
async fn reload_on_hangup(state: AppState, mut hangups: Signal, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            got = hangups.recv() => {
                if got.is_none() {
                    break;
                }
                let state = state.clone();
                match tokio::task::spawn_blocking(move || state.reload_policy()).await {
                    Ok(Ok(())) => tracing::info!("policy reloaded"),
                    // One line, even when the parser's message spans several.
                    Ok(Err(e)) => tracing::error!(
                        error = format!("{e:#}").split_whitespace().collect::<Vec<_>>().join(" "),
                        "policy reload failed; the previous policy stays in force"
                    ),
                    Err(e) => tracing::error!(error = %e, "policy reload task failed"),
                }
            }
        }
    }
}

/// The signer of links in mail to buyers: the configured key or one generated at
/// first start and kept in the database, so links survive restarts.
async fn link_signer(
    settings: &Settings,
    store: &dyn Store,
    http: &TcpListener,
) -> anyhow::Result<LinkSigner> {
    let key = match &settings.link_secret {
        Some(secret) => secret.expose_secret().to_owned(),
        None => {
            let mut bytes = [0u8; 32];
            rand::Rng::fill(&mut rand::rng(), &mut bytes);
            let generated = data_encoding::BASE64URL_NOPAD.encode(&bytes);
            store
                .secret(LINK_SECRET_NAME, &generated)
                .await
                .context("cannot read or store the link signing key")?
        }
    };
    let base_url = match &settings.public_url {
        Some(url) => url.as_str().trim_end_matches('/').to_owned(),
        None => format!("http://{}", http.local_addr()?),
    };
    let signer = LinkSigner::new(key.as_bytes(), &base_url);
    Ok(match &settings.link_secret_previous {
        Some(previous) => signer.with_previous(previous.expose_secret().as_bytes()),
        None => signer,
    })
}

/// The operator's token: from the environment (which revokes any stored
/// one), or generated at first start, stored hashed and printed once.
async fn operator_token(settings: &Settings, store: &dyn Store) -> anyhow::Result<Option<String>> {
    if let Some(token) = &settings.operator_token {
        // The configured token replaces any generated at an earlier start.
        let revoked = store
            .parties()
            .revoke_operator_tokens()
            .await
            .context("cannot revoke stored operator tokens")?;
        if revoked > 0 {
            tracing::info!(
                revoked,
                "stored operator tokens revoked: MARKETRELAY_OPERATOR_TOKEN is set"
            );
        }
        return Ok(Some(ApiToken::from_presented(token.expose_secret()).hash()));
    }
    if !store
        .parties()
        .has_operator_token()
        .await
        .context("cannot read operator tokens")?
    {
        let token = ApiToken::generate();
        store
            .parties()
            .add_operator_token(&token.hash())
            .await
            .context("cannot store the operator token")?;
        eprintln!(
            "marketrelay: operator API token (shown only this once, keep it safe): {}",
            token.expose()
        );
    }
    Ok(None)
}

/// The SMTP listener's port onto the relay. `inbound` knows only
/// `MailSink`, and the relay knows nothing of SMTP replies: this adapter,
/// here with the rest of the wiring, is where the two meet.
struct RelaySink(Arc<Relay>);

#[async_trait::async_trait]
impl inbound::MailSink for RelaySink {
    async fn check_recipient(&self, rcpt_to: &str) -> inbound::RcptVerdict {
        match self.0.recipient(rcpt_to).await {
            Ok(relay::inbound_mail::Recipient::ReturnPath) => inbound::RcptVerdict::ReturnPath,
            Ok(relay::inbound_mail::Recipient::ExpiredReturnPath) => {
                inbound::RcptVerdict::ExpiredReturnPath
            }
            Ok(relay::inbound_mail::Recipient::Alias) => inbound::RcptVerdict::Accept,
            Ok(relay::inbound_mail::Recipient::Unknown) => inbound::RcptVerdict::UnknownRecipient,
            Err(e) => {
                tracing::error!(error = %e, "store failed while checking a recipient");
                inbound::RcptVerdict::TryLater
            }
        }
    }

    async fn accept(
        &self,
        envelope: &inbound::Envelope,
        raw: &inbound::RawMail,
    ) -> Result<Vec<String>, inbound::SinkError> {
        self.0.accept_mail(envelope, raw).await
    }

    async fn client_throttled(&self, peer: std::net::IpAddr) -> inbound::limits::Limit {
        self.0.client_throttled(peer).await
    }

    async fn client_refused(&self, peer: std::net::IpAddr) {
        self.0.client_refused(peer).await
    }
}
