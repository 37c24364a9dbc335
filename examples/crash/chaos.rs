//! The crash tool's core, shared by `examples/crash/main.rs` and the tests
//! that drive the relay binary through crashes, a Postgres restart and
//! several nodes: SMTP traffic that keeps going while relays die and come
//! back (on new ports), and the verdict that holds every `250` against the
//! store, the audit trail and the smarthost.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    str::FromStr,
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use marketrelay::{config::DatabaseUrl, domain::MessageId, store};
use rand::Rng;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::harness::{
    capture::{Capture, Delivered},
    mail::{self, Kind, Padding},
    relay::{Conversation, Launch, Relay},
    smtp::Conn,
};

/// What the relay answered to one mail.
#[derive(Clone, Debug)]
pub enum Answer {
    /// `250` at the end of DATA, with the relay's message id.
    Accepted { message_id: String },
    /// A reply other than `250` anywhere in the transaction.
    Refused { code: u16 },
    /// The connection broke before the final reply: the client cannot know
    /// whether the mail was stored (a real client sends it again).
    Cut,
}

/// Buyers' mails to their sellers over `connections` SMTP sessions, each
/// reconnecting (to whichever relay is up) when its connection breaks.
pub struct Traffic {
    run: String,
    conversations: Vec<Conversation>,
    padding: Padding,
    next: AtomicUsize,
    targets: RwLock<Vec<String>>,
    answers: Mutex<Vec<(usize, Answer, Instant)>>,
    pause: Duration,
    stop: CancellationToken,
}

impl Traffic {
    /// Mails of about `size` bytes to `conversations`, one every `pause` per
    /// connection, to the SMTP addresses in `targets`.
    pub fn new(
        run: &str,
        conversations: Vec<Conversation>,
        size: usize,
        pause: Duration,
        targets: Vec<String>,
    ) -> Arc<Traffic> {
        Arc::new(Traffic {
            run: run.to_owned(),
            conversations,
            padding: Padding::new(size),
            next: AtomicUsize::new(0),
            targets: RwLock::new(targets),
            answers: Mutex::default(),
            pause,
            stop: CancellationToken::new(),
        })
    }

    /// Where new connections go from now on (a restarted relay's ports).
    pub fn set_targets(&self, targets: Vec<String>) {
        if let Ok(mut t) = self.targets.write() {
            *t = targets;
        }
    }

    fn target(&self, turn: usize) -> Option<String> {
        let targets = self.targets.read().ok()?;
        (!targets.is_empty()).then(|| targets[turn % targets.len()].clone())
    }

    /// Starts `connections` senders.
    pub fn start(self: &Arc<Self>, connections: usize) -> Vec<JoinHandle<()>> {
        (0..connections)
            .map(|n| tokio::spawn(sender(self.clone(), n)))
            .collect()
    }

    /// Stops the senders after their current mail.
    pub async fn stop(&self, senders: Vec<JoinHandle<()>>) {
        self.stop.cancel();
        for s in senders {
            let _ = s.await;
        }
    }

    /// How many mails got each kind of answer so far: (accepted, refused with 4xx, cut).
    pub fn counts(&self) -> (usize, usize, usize) {
        let answers = self.answers.lock().map(|a| a.clone()).unwrap_or_default();
        let count = |f: &dyn Fn(&Answer) -> bool| answers.iter().filter(|(_, a, _)| f(a)).count();
        (
            count(&|a| matches!(a, Answer::Accepted { .. })),
            count(&|a| matches!(a, Answer::Refused { code } if (400..500).contains(code))),
            count(&|a| matches!(a, Answer::Cut)),
        )
    }

    /// Every answer, with when it came.
    pub fn answers(&self) -> Vec<(usize, Answer, Instant)> {
        self.answers.lock().map(|a| a.clone()).unwrap_or_default()
    }

    fn record(&self, id: usize, answer: Answer) {
        if let Ok(mut a) = self.answers.lock() {
            a.push((id, answer, Instant::now()));
        }
    }

    fn mail(&self, id: usize) -> (Conversation, mail::Mail) {
        let c = self.conversations[id % self.conversations.len()].clone();
        // Plain, HTML, an attachment, contact details to remove, in turn.
        let kind = Kind::ALL[id % Kind::ALL.len()];
        let mail = c.buyer_mail(&mail::token(&self.run, id), kind, &self.padding);
        (c, mail)
    }

    async fn pause(&self, wait: Duration) {
        tokio::select! {
            _ = self.stop.cancelled() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

async fn sender(traffic: Arc<Traffic>, first_turn: usize) {
    let mut turn = first_turn;
    while !traffic.stop.is_cancelled() {
        let Some(addr) = traffic.target(turn) else {
            traffic.pause(Duration::from_millis(50)).await;
            continue;
        };
        turn += 1;
        let mut conn = match tokio::time::timeout(Duration::from_secs(5), Conn::open(&addr)).await {
            Ok(Ok(conn)) => conn,
            // The relay is down or starting: try again shortly.
            _ => {
                traffic.pause(Duration::from_millis(50)).await;
                continue;
            }
        };
        while !traffic.stop.is_cancelled() {
            let id = traffic.next.fetch_add(1, Ordering::Relaxed);
            let answer = transaction(&mut conn, &traffic, id).await;
            let closing = matches!(answer, Answer::Cut | Answer::Refused { code: 421 });
            traffic.record(id, answer);
            if closing {
                break;
            }
            traffic.pause(traffic.pause).await;
        }
    }
}

/// One mail, not pipelined, so that each reply belongs to one mail.
async fn transaction(conn: &mut Conn, traffic: &Traffic, id: usize) -> Answer {
    let (c, mail) = traffic.mail(id);
    let envelope = [
        format!("MAIL FROM:<{}>\r\n", c.buyer),
        format!("RCPT TO:<{}>\r\n", c.seller_alias),
        "DATA\r\n".to_owned(),
    ];
    for (step, command) in envelope.iter().enumerate() {
        let reply = match conn.send(&[command.as_bytes()]).await {
            Ok(()) => conn.reply().await,
            Err(e) => Err(e),
        };
        let Ok(reply) = reply else {
            return Answer::Cut;
        };
        let expected = if step == 2 { 354 } else { 250 };
        if reply.code != expected {
            if reply.code != 421 && conn.send(&[b"RSET\r\n"]).await.is_ok() {
                let _ = conn.reply().await;
            }
            return Answer::Refused { code: reply.code };
        }
    }
    let mut parts: Vec<&[u8]> = mail.pieces.iter().map(|p| p.as_bytes()).collect();
    parts.push(b".\r\n");
    if conn.send(&parts).await.is_err() {
        return Answer::Cut;
    }
    match conn.reply().await {
        Ok(reply) if reply.code == 250 => Answer::Accepted {
            // "250 2.0.0 queued as <id>"
            message_id: reply.text.rsplit(' ').next().unwrap_or_default().to_owned(),
        },
        Ok(reply) => Answer::Refused { code: reply.code },
        Err(_) => Answer::Cut,
    }
}

/// How a run went. Clean means: every `250` stored, audited and delivered,
/// every extra copy explained by a kill, one Message-ID per mail, and no
/// permanent refusal.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Verdict {
    pub rounds: usize,
    pub sent: usize,
    pub acked: usize,
    pub delivered: usize,
    pub lost: usize,
    /// Extra copies at the smarthost (same Message-ID as the first).
    pub duplicated: usize,
    /// Extra copies with no kill between the start of the copy before and
    /// their own start: a bug.
    pub duplicated_unexplained: usize,
    /// Copies of one mail with different Message-IDs, or another than the stored one.
    pub message_id_unstable: usize,
    pub not_stored: usize,
    pub not_audited: usize,
    /// Accepted mails the store does not show as sent after the drain.
    pub not_marked_sent: usize,
    pub refused_4xx: usize,
    pub refused_5xx: usize,
    pub cut: usize,
    /// Cut mails that had been stored and were delivered anyway.
    pub cut_delivered: usize,
    /// Mails refused with 4xx that were delivered all the same: stored, but
    /// the reply was lost (the database went away as it committed). The
    /// client sends them again: at least once, never lost.
    pub refused_delivered: usize,
    /// Deliveries of this run's mails never sent or refused for good.
    pub unexpected: usize,
    pub kills: usize,
    pub seconds: f64,
}

impl Verdict {
    pub fn is_clean(&self) -> bool {
        self.lost == 0
            && self.duplicated_unexplained == 0
            && self.message_id_unstable == 0
            && self.not_stored == 0
            && self.not_audited == 0
            && self.not_marked_sent == 0
            && self.refused_5xx == 0
            && self.unexpected == 0
    }

    pub fn line(&self) -> String {
        format!(
            "rounds {} acked {} delivered {} lost {} duplicated {} (unexplained {}) | sent {} refused 4xx {} (delivered anyway {}) 5xx {} cut {} (delivered anyway {}) | not stored {} not audited {} not marked sent {} message-id unstable {} unexpected {} | kills {} in {:.0} s",
            self.rounds,
            self.acked,
            self.delivered,
            self.lost,
            self.duplicated,
            self.duplicated_unexplained,
            self.sent,
            self.refused_4xx,
            self.refused_delivered,
            self.refused_5xx,
            self.cut,
            self.cut_delivered,
            self.not_stored,
            self.not_audited,
            self.not_marked_sent,
            self.message_id_unstable,
            self.unexpected,
            self.kills,
            self.seconds,
        )
    }
}

fn bare(id: &str) -> &str {
    id.trim().trim_start_matches('<').trim_end_matches('>')
}

/// Waits until every accepted mail is at the smarthost (or `timeout`),
/// then `settle` more, so that late copies (a send retried after a lease
/// ran out) are counted too.
pub async fn drain(
    traffic: &Traffic,
    capture: &Capture,
    run: &str,
    timeout: Duration,
    settle: Duration,
) {
    let deadline = Instant::now() + timeout;
    loop {
        let wanted: Vec<String> = traffic
            .answers()
            .into_iter()
            .filter(|(_, a, _)| matches!(a, Answer::Accepted { .. }))
            .map(|(id, _, _)| mail::token(run, id))
            .collect();
        let have: std::collections::HashSet<String> = capture
            .records()
            .into_iter()
            .filter_map(|d| d.token)
            .collect();
        if wanted.iter().all(|t| have.contains(t)) || Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(settle).await;
}

/// Holds every answer against the smarthost's copies and the store (opened
/// read-and-write at `database_url`, after the relays have stopped).
pub async fn judge(
    run: &str,
    traffic: &Traffic,
    copies: &[Delivered],
    kills: &[Instant],
    database_url: &str,
) -> anyhow::Result<Verdict> {
    let mut by_token: HashMap<&str, Vec<&Delivered>> = HashMap::new();
    for d in copies {
        if let Some(t) = d.token.as_deref() {
            by_token.entry(t).or_default().push(d);
        }
    }
    for copies in by_token.values_mut() {
        copies.sort_by_key(|d| d.began);
    }
    let url = DatabaseUrl::parse(database_url).map_err(|e| anyhow::anyhow!(e))?;
    let store = store::connect(&url)
        .await
        .context("cannot open the relay's store")?;
    let answers = traffic.answers();
    let mut v = Verdict {
        sent: answers.len(),
        kills: kills.len(),
        ..Verdict::default()
    };
    let mut known = std::collections::HashSet::new();
    for (id, answer, _) in &answers {
        let token = mail::token(run, *id);
        let got = by_token
            .get(token.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        match answer {
            Answer::Accepted { message_id } => {
                known.insert(token.clone());
                v.acked += 1;
                if got.is_empty() {
                    v.lost += 1;
                } else {
                    v.delivered += 1;
                }
                v.duplicated += got.len().saturating_sub(1);
                for pair in got.windows(2) {
                    let (Some(a), Some(b)) = (pair[0].began, pair[1].began) else {
                        continue;
                    };
                    if !kills.iter().any(|k| *k > a && *k < b) {
                        v.duplicated_unexplained += 1;
                    }
                }
                let stored = match MessageId::from_str(message_id) {
                    Ok(mid) => store.messages().get_message(mid).await.ok(),
                    Err(_) => None,
                };
                let Some(stored) = stored else {
                    v.not_stored += 1;
                    continue;
                };
                if got.iter().any(|d| {
                    d.message_id.as_deref().map(bare) != Some(bare(&stored.relayed_message_id))
                }) {
                    v.message_id_unstable += 1;
                }
                let audit = store.audit().audit_events(Some(message_id), 100).await?;
                if !audit.iter().any(|e| e.action == "message.received") {
                    v.not_audited += 1;
                }
                if stored.status.as_str() != "sent"
                    || !audit.iter().any(|e| e.action == "message.delivered")
                {
                    v.not_marked_sent += 1;
                }
            }
            Answer::Refused { code } => {
                if (500..600).contains(code) {
                    v.refused_5xx += 1;
                } else {
                    v.refused_4xx += 1;
                    if !got.is_empty() {
                        known.insert(token.clone());
                        v.refused_delivered += 1;
                    }
                }
            }
            Answer::Cut => {
                v.cut += 1;
                if !got.is_empty() {
                    known.insert(token.clone());
                    v.cut_delivered += 1;
                }
            }
        }
    }
    v.unexpected = by_token.keys().filter(|t| !known.contains(**t)).count();
    Ok(v)
}

/// How a run ends: the senders stop, every accepted mail is awaited at the
/// smarthost (`drain_timeout`, then `settle` for late copies), the relays
/// still running stop cleanly, and the verdict is drawn.
pub struct Finish<'a> {
    pub run: &'a str,
    pub capture: &'a Capture,
    pub database_url: &'a str,
    pub kills: &'a [Instant],
    pub drain_timeout: Duration,
    pub settle: Duration,
}

impl Finish<'_> {
    pub async fn judge(
        &self,
        traffic: &Traffic,
        senders: Vec<JoinHandle<()>>,
        relays: &mut [Relay],
    ) -> anyhow::Result<Verdict> {
        traffic.stop(senders).await;
        drain(
            traffic,
            self.capture,
            self.run,
            self.drain_timeout,
            self.settle,
        )
        .await;
        for relay in relays {
            relay.stop().await?;
        }
        self.capture.stop();
        judge(
            self.run,
            traffic,
            &self.capture.records(),
            self.kills,
            self.database_url,
        )
        .await
    }
}

/// The crash run's settings.
#[derive(clap::Args, Clone, Debug)]
pub struct CrashArgs {
    /// The `marketrelay` binary to run.
    #[arg(long)]
    pub relay_bin: PathBuf,
    /// Its database, kept across restarts (default: a new SQLite file in a
    /// temp folder). A Postgres database must exist.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Kill-and-restart rounds.
    #[arg(long, default_value_t = 20)]
    pub rounds: usize,
    /// Shortest and longest time the relay runs before each SIGKILL (ms).
    #[arg(long, default_value_t = 500)]
    pub min_up_ms: u64,
    #[arg(long, default_value_t = 3000)]
    pub max_up_ms: u64,
    /// SMTP connections sending at once.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
    /// Pause between two mails on one connection (ms).
    #[arg(long, default_value_t = 20)]
    pub pause_ms: u64,
    /// How long the smarthost takes to answer each mail (ms): with the
    /// relay's 4 delivery lanes, 500 ms lets at most 8 mails a second out,
    /// fewer than come in, so a backlog builds.
    #[arg(long, default_value_t = 500)]
    pub smarthost_delay_ms: u64,
    /// The relay's claim lease (`MARKETRELAY_DELIVERY_CLAIM_LEASE_SECS`):
    /// how soon a send cut by a kill is tried again.
    #[arg(long, default_value_t = 3)]
    pub lease_secs: u64,
    #[arg(long, default_value_t = 20)]
    pub conversations: usize,
    #[arg(long, default_value_t = 2048)]
    pub size: usize,
    /// Most seconds to wait, after the last round, for every accepted mail.
    #[arg(long, default_value_t = 600)]
    pub drain_timeout: u64,
    /// Where the relay logs go (default: the temp folder of the run).
    #[arg(long)]
    pub log_dir: Option<PathBuf>,
}

/// A relay on `database_url` delivering to `capture`, started from `bin`.
pub async fn start_relay(
    bin: &Path,
    database_url: &str,
    capture: &Capture,
    log: PathBuf,
    env: &[(String, String)],
) -> anyhow::Result<Relay> {
    Relay::start(Launch {
        bin,
        database_url,
        outbound: &format!("smtp://{}", capture.addr),
        log,
        env,
    })
    .await
}

/// The settings every relay of these runs gets: a short claim lease, and
/// the worker's log lines (one per delivery).
pub fn relay_env(lease_secs: u64) -> Vec<(String, String)> {
    vec![
        (
            "MARKETRELAY_DELIVERY_CLAIM_LEASE_SECS".into(),
            lease_secs.to_string(),
        ),
        (
            "MARKETRELAY_DELIVERY_INITIAL_BACKOFF_SECS".into(),
            "1".into(),
        ),
        (
            "RUST_LOG".into(),
            "warn,marketrelay::outbound::worker=info".into(),
        ),
    ]
}

/// Runs the relay under load, SIGKILLs it `rounds` times at random moments
/// and restarts it on the same database, then drains and judges.
pub async fn run_crash(args: &CrashArgs) -> anyhow::Result<Verdict> {
    let started = Instant::now();
    let scratch = tempfile::tempdir()?;
    let log_dir = args
        .log_dir
        .clone()
        .unwrap_or_else(|| scratch.path().to_owned());
    std::fs::create_dir_all(&log_dir)?;
    let database_url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", scratch.path().join("crash.db").display()));
    let run = mail::run_prefix();
    let capture = Capture::start_slow(
        "127.0.0.1:0",
        run.clone(),
        Duration::from_millis(args.smarthost_delay_ms),
    )
    .await?;
    let env = relay_env(args.lease_secs);
    let log = |n: usize| log_dir.join(format!("relay-{n}.log"));
    let mut relay = start_relay(&args.relay_bin, &database_url, &capture, log(0), &env).await?;
    let conversations = relay
        .api()
        .conversations(&run, 4.min(args.conversations), args.conversations, 4)
        .await?;
    let traffic = Traffic::new(
        &run,
        conversations,
        args.size,
        Duration::from_millis(args.pause_ms),
        vec![relay.smtp.clone()],
    );
    let senders = traffic.start(args.connections);
    let mut kills = Vec::new();
    for round in 1..=args.rounds {
        let up = rand::rng().random_range(args.min_up_ms..=args.max_up_ms.max(args.min_up_ms));
        tokio::time::sleep(Duration::from_millis(up)).await;
        relay.kill().await?;
        kills.push(Instant::now());
        let (acked, _, cut) = traffic.counts();
        eprintln!(
            "round {round}/{}: killed after {up} ms; {acked} acked, {cut} cut so far, {} at the smarthost",
            args.rounds,
            capture.count()
        );
        relay = start_relay(&args.relay_bin, &database_url, &capture, log(round), &env).await?;
        traffic.set_targets(vec![relay.smtp.clone()]);
    }
    // One last stretch of load on the last relay, then let it drain.
    tokio::time::sleep(Duration::from_millis(args.min_up_ms)).await;
    let finish = Finish {
        run: &run,
        capture: &capture,
        database_url: &database_url,
        kills: &kills,
        drain_timeout: Duration::from_secs(args.drain_timeout),
        settle: Duration::from_secs(args.lease_secs + 2),
    };
    let mut verdict = finish
        .judge(&traffic, senders, std::slice::from_mut(&mut relay))
        .await?;
    verdict.rounds = args.rounds;
    verdict.seconds = started.elapsed().as_secs_f64();
    Ok(verdict)
}
