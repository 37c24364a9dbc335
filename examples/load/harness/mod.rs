//! The load tool's core, shared by `examples/load/main.rs` and the smoke test `tests/load_smoke.rs`.

pub mod bad;
pub mod capture;
pub mod ledger;
pub mod mail;
pub mod reads;
pub mod relay;
pub mod smtp;
pub mod sqlite_ceiling;

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use self::{
    bad::{Abandoned, BadKind},
    capture::Capture,
    ledger::{Ledger, Report, RunSettings},
    mail::{Envelope, Kind, Mix, Padding},
    relay::{Conversation, Launch, Relay},
    smtp::{Feed, Job, Outcome},
};

/// What to send.
#[derive(clap::Args, Clone, Debug)]
pub struct LoadArgs {
    /// Conversations created through the API (sink mode: ignored).
    #[arg(long, default_value_t = 320)]
    pub conversations: usize,
    /// Mails per conversation (sink mode: mails in all).
    #[arg(long, default_value_t = 10)]
    pub messages: usize,
    /// SMTP connections sending at once; each is reused for many mails.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Approximate size of each mail in bytes.
    #[arg(long, default_value_t = 4096)]
    pub size: usize,
    /// Percent of each kind: plain, html, attachment, contact (phone and email to remove).
    #[arg(long, default_value_t = Mix::default())]
    pub mix: Mix,
    /// Sellers the conversations are spread over.
    #[arg(long, default_value_t = 10)]
    pub sellers: usize,
    /// Start one bad client (one byte a second, silent, or breaking off
    /// mid-DATA, in turn) for every this many honest mails; 0 for none.
    #[arg(long, default_value_t = 0)]
    pub bad_every: usize,
    /// Seconds to wait after the last mail for deliveries to finish.
    #[arg(long, default_value_t = 120)]
    pub drain_timeout: u64,
}

/// Which relay: one this tool starts, or one already running.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct RelayTarget {
    /// Start this `marketrelay` binary on fresh ports, delivering to the capture server.
    #[arg(long, conflicts_with_all = ["http", "smtp"])]
    pub relay_bin: Option<PathBuf>,
    /// Its database (default: a new SQLite file in the temp folder).
    #[arg(long)]
    pub database_url: Option<String>,
    /// More settings for the started relay, e.g. `--relay-env MARKETRELAY_DELIVERY_MAX_ATTEMPTS=3`.
    #[arg(long = "relay-env", value_parser = key_value)]
    pub env: Vec<(String, String)>,
    /// Where the started relay's output goes (default: the temp folder).
    #[arg(long)]
    pub relay_log: Option<PathBuf>,
    /// A running relay's HTTP address (it must deliver to --capture-addr).
    #[arg(long, requires_all = ["smtp", "token"])]
    pub http: Option<String>,
    /// A running relay's SMTP address.
    #[arg(long)]
    pub smtp: Option<String>,
    /// The running relay's operator token.
    #[arg(long)]
    pub token: Option<String>,
    /// The running relay's process id, for its peak memory.
    #[arg(long)]
    pub pid: Option<u32>,
    /// Where the capture server (the relay's smarthost) listens.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub capture_addr: String,
    /// How long the capture server takes to answer each mail (ms), as a
    /// smarthost across a network with its own queue to commit would.
    #[arg(long, default_value_t = 0)]
    pub capture_delay_ms: u64,
}

fn key_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("{s:?}: expected KEY=VALUE"))
}

impl RelayTarget {
    /// Starts or attaches to the relay; a started one delivers to `outbound`.
    pub async fn relay(&self, run: &str, outbound: &str) -> anyhow::Result<Relay> {
        if let Some(bin) = &self.relay_bin {
            let temp = std::env::temp_dir();
            let mut scratch = Vec::new();
            let database_url = match &self.database_url {
                Some(url) => url.clone(),
                None => {
                    let db = temp.join(format!("{run}.db"));
                    for suffix in ["", "-wal", "-shm"] {
                        scratch.push(PathBuf::from(format!("{}{suffix}", db.display())));
                    }
                    format!("sqlite://{}", db.display())
                }
            };
            let log = match &self.relay_log {
                Some(log) => log.clone(),
                None => {
                    scratch.push(temp.join(format!("{run}.log")));
                    temp.join(format!("{run}.log"))
                }
            };
            let mut relay = Relay::start(Launch {
                bin,
                database_url: &database_url,
                outbound,
                log,
                env: &self.env,
            })
            .await?;
            relay.scratch = scratch;
            Ok(relay)
        } else {
            let need = "give --relay-bin PATH, or --http, --smtp and --token of a running relay";
            Ok(Relay::attach(
                self.http.clone().context(need)?,
                self.smtp.clone().context(need)?,
                self.token.clone().context(need)?,
                self.pid,
            ))
        }
    }
}

/// Buyers' mails to their sellers, in conversation round-robin.
struct RelayFeed {
    run: String,
    next: AtomicUsize,
    total: usize,
    conversations: Vec<Conversation>,
    kinds: Vec<Kind>,
    padding: Padding,
    ledger: Arc<Ledger>,
    bad_every: usize,
    bad: mpsc::UnboundedSender<usize>,
}

impl RelayFeed {
    fn job(&self, id: usize, kind: Kind) -> Job {
        let c = &self.conversations[id % self.conversations.len()];
        Job {
            id,
            from: c.buyer.as_str().into(),
            to: c.seller_alias.as_str().into(),
            mail: c.buyer_mail(&mail::token(&self.run, id), kind, &self.padding),
        }
    }
}

impl Feed for RelayFeed {
    fn next(&self) -> Option<Job> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if id >= self.total {
            return None;
        }
        if self.bad_every > 0 && (id + 1).is_multiple_of(self.bad_every) {
            let _ = self.bad.send((id + 1) / self.bad_every - 1);
        }
        Some(self.job(id, self.kinds[id]))
    }

    fn record(&self, id: usize, outcome: Outcome) {
        self.ledger.record(id, outcome);
    }
}

/// The full run: conversations through the API, mails over SMTP, bad
/// clients mixed in, deliveries checked at the capture server.
pub async fn run_relay_load(target: &RelayTarget, load: &LoadArgs) -> anyhow::Result<Report> {
    anyhow::ensure!(
        load.conversations > 0 && load.concurrency > 0,
        "need conversations and concurrency"
    );
    let run = mail::run_prefix();
    let capture = Capture::start_slow(
        &target.capture_addr,
        run.clone(),
        Duration::from_millis(target.capture_delay_ms),
    )
    .await
    .context("cannot start the capture server")?;
    let mut relay = target
        .relay(&run, &format!("smtp://{}", capture.addr))
        .await?;
    let conversations = relay
        .api()
        .conversations(
            &run,
            load.sellers.min(load.conversations),
            load.conversations,
            load.concurrency,
        )
        .await?;
    let total = load.conversations * load.messages;
    let kinds: Vec<Kind> = (0..total).map(|n| load.mix.kind(n)).collect();
    let ledger = Arc::new(Ledger::new(kinds.clone()));
    let (bad_tx, mut bad_rx) = mpsc::unbounded_channel();
    let feed = Arc::new(RelayFeed {
        run: run.clone(),
        next: AtomicUsize::new(0),
        total,
        conversations,
        kinds,
        padding: Padding::new(load.size),
        ledger: ledger.clone(),
        bad_every: load.bad_every,
        bad: bad_tx,
    });

    let stop_bad = CancellationToken::new();
    let bad_started = Arc::new(AtomicUsize::new(0));
    let scheduler = {
        let (feed, smtp, stop, started) = (
            feed.clone(),
            relay.smtp.clone(),
            stop_bad.clone(),
            bad_started.clone(),
        );
        tokio::spawn(async move {
            let mut clients = Vec::new();
            // The feed (and so the channel's sender) lives on in this task:
            // the end of the honest load is the signal to stop.
            while let Some(n) = tokio::select! {
                biased;
                n = bad_rx.recv() => n,
                _ = stop.cancelled() => None,
            } {
                // A token past the honest ones: if it is ever delivered, it counts as unexpected.
                let job = feed.job(feed.total + n, Kind::Plain);
                let abandoned = Abandoned {
                    from: job.from.to_string(),
                    to: job.to.to_string(),
                    partial: job.mail.truncated(job.mail.len() / 2),
                };
                started.fetch_add(1, Ordering::Relaxed);
                clients.push(tokio::spawn(bad::run(
                    BadKind::nth(n),
                    smtp.clone(),
                    abandoned,
                    stop.clone(),
                )));
            }
            for c in clients {
                let _ = c.await;
            }
        })
    };

    let senders: Vec<_> = (0..load.concurrency)
        .map(|_| {
            tokio::spawn(smtp::sender(
                relay.smtp.clone(),
                feed.clone() as Arc<dyn Feed>,
            ))
        })
        .collect();
    for s in senders {
        s.await?;
    }
    stop_bad.cancel();
    drop(feed);
    scheduler.await?;

    drain(
        &capture,
        ledger.accepted(),
        Duration::from_secs(load.drain_timeout),
    )
    .await;
    let mut report = ledger.report(
        &run,
        &capture.records(),
        RunSettings {
            mode: "relay",
            conversations: load.conversations,
            messages_per_conversation: load.messages,
            concurrency: load.concurrency,
            size: load.size,
            mix: load.mix.to_string(),
            bad_clients: bad_started.load(Ordering::Relaxed),
        },
    );
    report.peak_rss_mb = relay.peak_rss_mb();
    capture.stop();
    relay.stop().await?;
    Ok(report)
}

/// Waits until the capture server holds `expected` mails or `timeout`
/// passes, then a moment more so that duplicates can show up.
async fn drain(capture: &Capture, expected: usize, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while capture.count() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// The same mails to any SMTP server that accepts everything (Postfix's
/// `smtp-sink`), for the protocol's ceiling on this machine.
struct SinkFeed {
    next: AtomicUsize,
    total: usize,
    mix: Mix,
    run: String,
    padding: Padding,
    ledger: Arc<Ledger>,
}

impl Feed for SinkFeed {
    fn next(&self) -> Option<Job> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if id >= self.total {
            return None;
        }
        let (from, to) = ("buyer@buyers.load.example", "seller@sellers.load.example");
        let token = mail::token(&self.run, id);
        let envelope = Envelope {
            from,
            from_name: "Buyer",
            to,
            token: &token,
            kind: self.mix.kind(id),
        };
        Some(Job {
            id,
            from: from.into(),
            to: to.into(),
            mail: mail::compose(&envelope, &self.padding),
        })
    }

    fn record(&self, id: usize, outcome: Outcome) {
        self.ledger.record(id, outcome);
    }
}

/// `messages` mails in all over `concurrency` connections to `smtp`.
pub async fn run_sink(smtp: &str, load: &LoadArgs) -> anyhow::Result<Report> {
    let total = load.messages;
    let ledger = Arc::new(Ledger::new((0..total).map(|n| load.mix.kind(n)).collect()));
    let run = mail::run_prefix();
    let feed = Arc::new(SinkFeed {
        next: AtomicUsize::new(0),
        total,
        mix: load.mix.clone(),
        run: run.clone(),
        padding: Padding::new(load.size),
        ledger: ledger.clone(),
    });
    let senders: Vec<_> = (0..load.concurrency.max(1))
        .map(|_| tokio::spawn(smtp::sender(smtp.to_owned(), feed.clone() as Arc<dyn Feed>)))
        .collect();
    for s in senders {
        s.await?;
    }
    let mut report = ledger.report(
        &run,
        &[],
        RunSettings {
            mode: "sink",
            conversations: 0,
            messages_per_conversation: total,
            concurrency: load.concurrency,
            size: load.size,
            mix: load.mix.to_string(),
            bad_clients: 0,
        },
    );
    // A sink delivers nothing: only acceptance counts.
    report.lost = 0;
    Ok(report)
}
