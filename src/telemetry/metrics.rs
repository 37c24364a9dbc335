//! What `/metrics` reports: counters kept by this process where their events
//! happen, and the queues read from the store at scrape time (so several
//! processes on one database report the same depth). Every label value comes
//! from a closed set (the domain's words, route patterns, status and reply
//! codes), never from input: no addresses, ids or raw paths.

use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Instant,
};

use time::OffsetDateTime;

use super::prometheus::{CounterFamily, Exposition, Histogram};
use crate::{
    domain::{
        Action, DeliveryKind, Direction, FindingKind, MessageStatus, ReviewDecision, StoredFinding,
    },
    store::stats::QueueSummary,
};

/// Upper bounds, in seconds, of the policy timing buckets: a short reply
/// judges in about a millisecond, a large mail with attachments in seconds.
const POLICY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// What happened to a message, as `marketrelay_messages_total` counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageEvent {
    /// Judged and stored (mail, API or web inbox), whatever the verdict.
    Received,
    /// Stored and held for staff.
    Held,
    /// Stored and not passed on (policy, opt-out, blocked conversation, loop).
    Blocked,
    /// Released by staff.
    Released,
    /// Rejected by staff.
    Rejected,
    /// Taken by the receiving side.
    Delivered,
    /// Refused for good by the receiving side.
    Bounced,
    /// Given up after its retries.
    Failed,
}

impl MessageEvent {
    pub const ALL: [MessageEvent; 8] = [
        MessageEvent::Received,
        MessageEvent::Held,
        MessageEvent::Blocked,
        MessageEvent::Released,
        MessageEvent::Rejected,
        MessageEvent::Delivered,
        MessageEvent::Bounced,
        MessageEvent::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageEvent::Received => "received",
            MessageEvent::Held => "held",
            MessageEvent::Blocked => "blocked",
            MessageEvent::Released => "released",
            MessageEvent::Rejected => "rejected",
            MessageEvent::Delivered => "delivered",
            MessageEvent::Bounced => "bounced",
            MessageEvent::Failed => "failed",
        }
    }
}

/// How one delivery attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptResult {
    Sent,
    /// Failed this time; tried again later.
    Deferred,
    /// Refused for good by the receiving side (a 5xx).
    Bounced,
    /// Failed again with no attempt left.
    Failed,
}

impl AttemptResult {
    pub const ALL: [AttemptResult; 4] = [
        AttemptResult::Sent,
        AttemptResult::Deferred,
        AttemptResult::Bounced,
        AttemptResult::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttemptResult::Sent => "sent",
            AttemptResult::Deferred => "deferred",
            AttemptResult::Bounced => "bounced",
            AttemptResult::Failed => "failed",
        }
    }

    /// What the attempt means for the message it carried.
    fn message_event(self) -> Option<MessageEvent> {
        match self {
            AttemptResult::Sent => Some(MessageEvent::Delivered),
            AttemptResult::Deferred => None,
            AttemptResult::Bounced => Some(MessageEvent::Bounced),
            AttemptResult::Failed => Some(MessageEvent::Failed),
        }
    }
}

/// One process's counters. Shared (`Arc`) by the SMTP listener, the
/// relay, the delivery worker and the HTTP router of one app.
pub struct Metrics {
    messages: CounterFamily<3>,
    findings: CounterFamily<1>,
    delivery_attempts: CounterFamily<2>,
    smtp_sessions: CounterFamily<1>,
    smtp_sessions_open: AtomicI64,
    smtp_replies: CounterFamily<1>,
    http_requests: CounterFamily<3>,
    policy_evaluation: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let metrics = Self {
            messages: CounterFamily::new(
                "marketrelay_messages_total",
                "Messages by what happened to them (received, held, blocked, released, rejected, delivered, bounced, failed), direction and policy action.",
                ["event", "direction", "action"],
            ),
            findings: CounterFamily::new(
                "marketrelay_findings_total",
                "Policy findings in stored messages, by kind.",
                ["kind"],
            ),
            delivery_attempts: CounterFamily::new(
                "marketrelay_delivery_attempts_total",
                "Outbound delivery attempts by what was sent (relay, notice, consent_request) and result (sent, deferred, bounced, failed).",
                ["kind", "result"],
            ),
            smtp_sessions: CounterFamily::new(
                "marketrelay_smtp_sessions_total",
                "Inbound SMTP connections, accepted or refused for too many connections.",
                ["result"],
            ),
            smtp_sessions_open: AtomicI64::new(0),
            smtp_replies: CounterFamily::new(
                "marketrelay_smtp_replies_total",
                "Replies the inbound SMTP listener sent, by code.",
                ["code"],
            ),
            http_requests: CounterFamily::new(
                "marketrelay_http_requests_total",
                "HTTP requests by method, route pattern (`unmatched` for unknown paths) and status.",
                ["method", "route", "status"],
            ),
            policy_evaluation: Histogram::new(
                "marketrelay_policy_evaluation_seconds",
                "Time to judge one message or text with the policy (every part of it), excluding time waiting for a core.",
                POLICY_BUCKETS,
            ),
        };
        for event in MessageEvent::ALL {
            for direction in Direction::ALL {
                for action in Action::ALL {
                    metrics
                        .messages
                        .seed([event.as_str(), direction.as_str(), action.as_str()]);
                }
            }
        }
        for kind in FindingKind::ALL {
            metrics.findings.seed([kind.as_str()]);
        }
        for kind in DeliveryKind::ALL {
            for result in AttemptResult::ALL {
                metrics
                    .delivery_attempts
                    .seed([kind.as_str(), result.as_str()]);
            }
        }
        for result in ["accepted", "refused"] {
            metrics.smtp_sessions.seed([result]);
        }
        metrics
    }

    fn message(&self, event: MessageEvent, direction: Direction, action: Action) {
        self.messages
            .inc([event.as_str(), direction.as_str(), action.as_str()]);
    }

    /// A message judged and stored, with the status it was stored at.
    pub fn message_stored(
        &self,
        direction: Direction,
        action: Action,
        status: MessageStatus,
        findings: &[StoredFinding],
    ) {
        self.message(MessageEvent::Received, direction, action);
        match status {
            MessageStatus::Held => self.message(MessageEvent::Held, direction, action),
            MessageStatus::Blocked => self.message(MessageEvent::Blocked, direction, action),
            _ => {}
        }
        for finding in findings {
            self.findings.inc([finding.finding.kind.as_str()]);
        }
    }

    /// A relayed message its receiver sent back for good, by a bounce
    /// that came after it was handed over.
    pub fn message_bounced(&self, direction: Direction, action: Action) {
        self.message(MessageEvent::Bounced, direction, action);
    }

    pub fn message_reviewed(&self, direction: Direction, action: Action, decision: ReviewDecision) {
        let event = match decision {
            ReviewDecision::Release => MessageEvent::Released,
            ReviewDecision::Reject => MessageEvent::Rejected,
        };
        self.message(event, direction, action);
    }

    /// One attempt; `message` is the relayed message's direction and action
    /// when the entry carried one (notices are not messages).
    pub fn delivery_attempt(
        &self,
        kind: DeliveryKind,
        result: AttemptResult,
        message: Option<(Direction, Action)>,
    ) {
        self.delivery_attempts.inc([kind.as_str(), result.as_str()]);
        if let (DeliveryKind::Relay, Some((direction, action)), Some(event)) =
            (kind, message, result.message_event())
        {
            self.message(event, direction, action);
        }
    }

    /// An accepted SMTP connection; the guard counts it as open until dropped.
    pub fn smtp_session_opened(self: &Arc<Self>) -> OpenSession {
        self.smtp_sessions.inc(["accepted"]);
        self.smtp_sessions_open.fetch_add(1, Ordering::Relaxed);
        OpenSession(Arc::clone(self))
    }

    pub fn smtp_session_refused(&self) {
        self.smtp_sessions.inc(["refused"]);
    }

    pub fn smtp_reply(&self, code: u16) {
        let code = if (200..600).contains(&code) {
            code.to_string()
        } else {
            "other".to_owned()
        };
        self.smtp_replies.inc([&code]);
    }

    /// `route` is the matched route pattern, or `None` for a path no route has.
    pub fn http_request(&self, method: &str, route: Option<&str>, status: u16) {
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "other",
        };
        let status = if (100..600).contains(&status) {
            status.to_string()
        } else {
            "other".to_owned()
        };
        self.http_requests
            .inc([method, route.unwrap_or("unmatched"), &status]);
    }

    /// Runs one policy judgement and records how long it took.
    pub fn time_policy<T>(&self, judge: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let judged = judge();
        self.policy_evaluation.observe(started.elapsed());
        judged
    }

    /// The exposition text: this process's counters, and the queues as
    /// read from the store just now (`None` when the store did not answer).
    pub fn render(&self, queues: Option<&QueueSummary>, now: OffsetDateTime) -> String {
        let mut out = Exposition::default();
        out.counters(&self.messages)
            .counters(&self.findings)
            .counters(&self.delivery_attempts)
            .counters(&self.smtp_sessions)
            .gauge(
                "marketrelay_smtp_sessions_open",
                "Inbound SMTP sessions open now in this process.",
                &[(&[], self.smtp_sessions_open.load(Ordering::Relaxed))],
            )
            .counters(&self.smtp_replies)
            .counters(&self.http_requests)
            .histogram(&self.policy_evaluation)
            .counters(crate::cpu::work_counters())
            .gauge(
                "marketrelay_store_up",
                "Whether the store answered the queue read of this scrape (1) or not (0).",
                &[(&[], u8::from(queues.is_some()))],
            );
        if let Some(queues) = queues {
            // Every kind, so an empty one shows as 0.
            let labels: Vec<[(&str, &str); 1]> = DeliveryKind::ALL
                .iter()
                .map(|kind| [("kind", kind.as_str())])
                .collect();
            let depth: Vec<(&[(&str, &str)], i64)> = DeliveryKind::ALL
                .iter()
                .zip(&labels)
                .map(|(kind, labels)| {
                    let depth = queues
                        .pending
                        .iter()
                        .find(|(k, _)| k == kind)
                        .map_or(0, |(_, n)| *n);
                    (labels.as_slice(), depth)
                })
                .collect();
            let age = |at: Option<OffsetDateTime>| {
                at.map_or(0.0, |at| (now - at).as_seconds_f64().max(0.0))
            };
            out.gauge(
                "marketrelay_queue_depth",
                "Outbound queue entries waiting for their (next) delivery attempt, by kind.",
                &depth,
            )
            .gauge(
                "marketrelay_queue_oldest_age_seconds",
                "Age of the oldest waiting outbound queue entry (0 when the queue is empty).",
                &[(&[], age(queues.oldest_pending_at))],
            )
            .gauge(
                "marketrelay_review_queue_depth",
                "Messages held for staff review.",
                &[(&[], queues.review.held)],
            )
            .gauge(
                "marketrelay_review_queue_oldest_age_seconds",
                "Age of the oldest message held for review (0 when none is).",
                &[(&[], age(queues.review.oldest_held_at))],
            );
        }
        out.into_text()
    }
}

/// Counts an SMTP session as open while it lives.
pub struct OpenSession(Arc<Metrics>);

impl Drop for OpenSession {
    fn drop(&mut self) {
        self.0.smtp_sessions_open.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_never_becomes_a_label_value() {
        let m = Metrics::new();
        m.http_request("BREW", Some("/api/v1/messages/{id}"), 200);
        m.http_request("GET", None, 1000);
        m.smtp_reply(42);
        let text = m.render(None, OffsetDateTime::now_utc());
        assert!(text.contains(
            "marketrelay_http_requests_total{method=\"other\",route=\"/api/v1/messages/{id}\",status=\"200\"} 1"
        ));
        assert!(text.contains(
            "marketrelay_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"other\"} 1"
        ));
        assert!(text.contains("marketrelay_smtp_replies_total{code=\"other\"} 1"));
        assert!(!text.contains("BREW") && !text.contains("1000"));
        assert!(text.contains("marketrelay_store_up 0"));
        assert!(!text.contains("marketrelay_queue_depth"));
    }
}
