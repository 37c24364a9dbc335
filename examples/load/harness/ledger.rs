//! The run's bookkeeping: what was sent, accepted and delivered, and the
//! report that compares them mail by mail.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use serde::Serialize;

use super::{
    capture::Delivered,
    mail::{Kind, token_number},
    smtp::Outcome,
};

#[derive(Clone)]
enum State {
    Pending,
    Accepted { dot: Instant, at: Instant },
    Refused(String),
}

pub struct Ledger {
    pub start: Instant,
    kinds: Vec<Kind>,
    states: Mutex<Vec<State>>,
}

impl Ledger {
    pub fn new(kinds: Vec<Kind>) -> Ledger {
        let states = Mutex::new(vec![State::Pending; kinds.len()]);
        Ledger {
            start: Instant::now(),
            kinds,
            states,
        }
    }

    pub fn record(&self, id: usize, outcome: Outcome) {
        let state = match outcome {
            Outcome::Accepted { dot, at } => State::Accepted { dot, at },
            Outcome::Refused(reply) => State::Refused(reply),
        };
        if let Ok(mut states) = self.states.lock()
            && let Some(slot) = states.get_mut(id)
        {
            *slot = state;
        }
    }

    pub fn accepted(&self) -> usize {
        self.states
            .lock()
            .map(|s| {
                s.iter()
                    .filter(|s| matches!(s, State::Accepted { .. }))
                    .count()
            })
            .unwrap_or(0)
    }

    /// Compares the ledger with what the capture server received.
    pub fn report(&self, run: &str, delivered: &[Delivered], settings: RunSettings) -> Report {
        let states = self.states.lock().map(|s| s.clone()).unwrap_or_default();
        let mut by_id: HashMap<usize, Vec<&Delivered>> = HashMap::new();
        let mut stray = 0;
        for d in delivered {
            match d.token.as_deref().and_then(|t| token_number(t, run)) {
                Some(id) => by_id.entry(id).or_default().push(d),
                None => stray += 1,
            }
        }
        let mut r = Report {
            settings,
            sent: states.len(),
            ..Report::default()
        };
        let mut accept_ms = Vec::new();
        let mut e2e_ms = Vec::new();
        let (mut last_accept, mut last_delivery) = (None::<Instant>, None::<Instant>);
        let mut message_ids: HashMap<&str, usize> = HashMap::new();
        for (id, state) in states.iter().enumerate() {
            let copies = by_id.remove(&id).unwrap_or_default();
            match state {
                State::Accepted { dot, at } => {
                    r.accepted += 1;
                    accept_ms.push(ms(*at - *dot));
                    last_accept = last_accept.max(Some(*at));
                    if copies.is_empty() {
                        r.lost += 1;
                        continue;
                    }
                    r.delivered += 1;
                    r.duplicated += copies.len() - 1;
                    let first = copies.iter().filter_map(|c| c.at).min();
                    if let Some(first) = first {
                        e2e_ms.push(ms(first.saturating_duration_since(*dot)));
                        last_delivery = last_delivery.max(Some(first));
                    }
                    if copies.iter().any(|c| !looks_right(self.kinds[id], c)) {
                        r.damaged += 1;
                    }
                }
                State::Refused(reply) => {
                    r.refuse(reply);
                    r.unexpected += copies.len();
                }
                State::Pending => {
                    // Every connection failed before this mail's turn came.
                    r.refuse("never sent: no connection");
                    r.unexpected += copies.len();
                }
            }
            for c in &copies {
                r.leaked += usize::from(c.leaked);
                if let Some(mid) = c.message_id.as_deref() {
                    *message_ids.entry(mid).or_default() += 1;
                }
            }
        }
        // What is left was never handed to the relay as an honest mail:
        // tokens of clients that broke off mid-DATA.
        r.unexpected += by_id.values().map(Vec::len).sum::<usize>() + stray;
        r.same_message_id = message_ids
            .values()
            .filter(|n| **n > 1)
            .map(|n| n - 1)
            .sum();
        let secs = |end: Option<Instant>| end.map(|e| (e - self.start).as_secs_f64());
        r.accept_seconds = secs(last_accept).unwrap_or(0.0);
        r.deliver_seconds = secs(last_delivery).unwrap_or(0.0);
        r.accept_per_sec = rate(r.accepted, r.accept_seconds);
        r.delivered_per_sec = rate(r.delivered, r.deliver_seconds);
        r.accept_p50_ms = percentile(&mut accept_ms, 0.50);
        r.accept_p99_ms = percentile(&mut accept_ms, 0.99);
        r.e2e_p50_ms = percentile(&mut e2e_ms, 0.50);
        r.e2e_p99_ms = percentile(&mut e2e_ms, 0.99);
        r
    }
}

/// The contact details of a `contact` mail are gone and their placeholders
/// are there; an `attachment` mail still carries its file.
fn looks_right(kind: Kind, d: &Delivered) -> bool {
    let no_contact = !d.phone_left && !d.email_left;
    match kind {
        Kind::Contact => no_contact && d.phone_placeholder && d.email_placeholder,
        Kind::Attachment => no_contact && d.attachments >= 1,
        Kind::Plain | Kind::Html => no_contact,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn rate(count: usize, seconds: f64) -> f64 {
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

/// Nearest-rank percentile; 0 for no samples.
pub fn percentile(samples: &mut [f64], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_by(f64::total_cmp);
    let rank = ((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len());
    samples[rank - 1]
}

/// How the run was set up, echoed in the JSON.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RunSettings {
    pub mode: &'static str,
    pub conversations: usize,
    pub messages_per_conversation: usize,
    pub concurrency: usize,
    pub size: usize,
    pub mix: String,
    pub bad_clients: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub settings: RunSettings,
    pub sent: usize,
    pub accepted: usize,
    pub refused: usize,
    pub delivered: usize,
    pub duplicated: usize,
    /// Accepted and not delivered by the end of the drain.
    pub lost: usize,
    /// Delivered although never accepted (refused, or broken off mid-DATA).
    pub unexpected: usize,
    /// Delivered with contact details left in, placeholders or the file missing.
    pub damaged: usize,
    /// Delivered copies with a buyer's real address in them.
    pub leaked: usize,
    /// Deliveries sharing a relay Message-ID with an earlier one.
    pub same_message_id: usize,
    pub accept_seconds: f64,
    pub deliver_seconds: f64,
    pub accept_per_sec: f64,
    pub delivered_per_sec: f64,
    pub accept_p50_ms: f64,
    pub accept_p99_ms: f64,
    pub e2e_p50_ms: f64,
    pub e2e_p99_ms: f64,
    pub peak_rss_mb: Option<f64>,
    pub refusals: Vec<String>,
}

impl Report {
    /// Counts a mail that was not accepted, keeping the first few reasons.
    fn refuse(&mut self, reason: &str) {
        self.refused += 1;
        if self.refusals.len() < 5 {
            self.refusals.push(reason.to_owned());
        }
    }

    /// Nothing lost, doubled, refused, let through or damaged.
    pub fn is_clean(&self) -> bool {
        self.lost == 0
            && self.duplicated == 0
            && self.refused == 0
            && self.unexpected == 0
            && self.damaged == 0
            && self.leaked == 0
            && self.same_message_id == 0
    }

    /// The one line the issue asks for, and what went wrong when anything did.
    pub fn line(&self) -> String {
        if self.settings.mode == "sink" {
            return format!(
                "sent {} accepted {} refused {} | accept {:.1} msg/s | accept p50 {:.1} ms p99 {:.1} ms",
                self.sent,
                self.accepted,
                self.refused,
                self.accept_per_sec,
                self.accept_p50_ms,
                self.accept_p99_ms
            );
        }
        let rss = self
            .peak_rss_mb
            .map_or("n/a".to_owned(), |mb| format!("{mb:.0} MB"));
        let mut line = format!(
            "sent {} accepted {} delivered {} duplicated {} lost {} | accept {:.1} msg/s, delivered {:.1} msg/s | accept p50 {:.1} ms p99 {:.1} ms | end-to-end p99 {:.0} ms | peak RSS {rss}",
            self.sent,
            self.accepted,
            self.delivered,
            self.duplicated,
            self.lost,
            self.accept_per_sec,
            self.delivered_per_sec,
            self.accept_p50_ms,
            self.accept_p99_ms,
            self.e2e_p99_ms,
        );
        for (name, n) in [
            ("refused", self.refused),
            ("unexpected", self.unexpected),
            ("damaged", self.damaged),
            ("leaked", self.leaked),
            ("same-message-id", self.same_message_id),
            ("bad-clients", self.settings.bad_clients),
        ] {
            if n > 0 {
                line.push_str(&format!(" | {name} {n}"));
            }
        }
        line
    }
}
