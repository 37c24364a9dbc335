//! Counts for the dashboard, from the store's compact facts: days in UTC,
//! every day of the period present (zero when nothing happened).

use std::collections::{HashMap, HashSet};

use time::{Date, Duration, OffsetDateTime, Time};

use crate::{
    domain::{MessageId, ReviewDecision, SellerId},
    policy::FindingKind,
    store::stats::{DashboardCounts, MessageFact, QueueState, StatsFacts},
};

pub use crate::store::stats::{DayCounts, Outcome, SellerViolations};

/// Sellers listed under "most violations".
pub const TOP_SELLERS: usize = 10;

/// The last `days` UTC calendar days, today included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub first_day: Date,
    pub days: u16,
}

impl Period {
    pub fn ending(today: Date, days: u16) -> Self {
        let days = days.max(1);
        Self {
            first_day: today - Duration::days(i64::from(days) - 1),
            days,
        }
    }

    /// Midnight UTC of the first day: what the store reads from.
    pub fn start(&self) -> OffsetDateTime {
        self.first_day.with_time(Time::MIDNIGHT).assume_utc()
    }

    /// The day's position in the period, or `None` outside it.
    pub fn index(&self, t: OffsetDateTime) -> Option<usize> {
        let day = t.to_offset(time::UtcOffset::UTC).date();
        let offset = (day - self.first_day).whole_days();
        (0..i64::from(self.days))
            .contains(&offset)
            .then_some(offset as usize)
    }

    pub fn dates(&self) -> impl Iterator<Item = Date> + '_ {
        (0..self.days).map(|i| self.first_day + Duration::days(i64::from(i)))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    pub period: Period,
    /// One entry per day of the period, oldest first.
    pub days: Vec<DayCounts>,
    /// Every kind, in `FindingKind::ALL` order: messages with at least one
    /// finding of that kind (a number in the text and the HTML counts once).
    pub kinds: Vec<(FindingKind, u64)>,
    /// Most messages with findings first, at most `TOP_SELLERS`.
    pub sellers: Vec<SellerViolations>,
    pub queue: QueueState,
}

impl Stats {
    pub fn total(&self, outcome: Outcome) -> u64 {
        self.days.iter().map(|d| d.count(outcome)).sum()
    }

    pub fn messages(&self) -> u64 {
        self.days.iter().map(DayCounts::messages).sum()
    }

    pub fn released(&self) -> u64 {
        self.days.iter().map(|d| d.released).sum()
    }

    pub fn rejected(&self) -> u64 {
        self.days.iter().map(|d| d.rejected).sum()
    }

    /// Messages on the last `n` days of the period.
    pub fn last_days(&self, n: usize) -> u64 {
        self.days
            .iter()
            .rev()
            .take(n)
            .map(DayCounts::messages)
            .sum()
    }
}

/// Counts `facts` into the days of `period`; facts outside it are ignored.
pub fn aggregate(facts: &StatsFacts, period: Period) -> Stats {
    let mut days = vec![DayCounts::default(); usize::from(period.days)];
    let mut reviewed: HashSet<MessageId> = HashSet::new();
    for review in &facts.reviews {
        if let Ok(id) = review.message_id.parse() {
            reviewed.insert(id);
        }
        let Some(i) = period.index(review.at) else {
            continue;
        };
        match review.decision {
            ReviewDecision::Release => days[i].released += 1,
            ReviewDecision::Reject => days[i].rejected += 1,
        }
    }

    let mut kinds: HashMap<FindingKind, u64> = HashMap::new();
    let mut sellers: HashMap<SellerId, SellerViolations> = HashMap::new();
    for m in &facts.messages {
        let Some(i) = period.index(m.created_at) else {
            continue;
        };
        let outcome = Outcome::of(m.action, m.status, reviewed.contains(&m.id));
        days[i].outcomes[outcome as usize] += 1;
        count_violations(m, outcome, &mut kinds, &mut sellers);
    }

    Stats {
        period,
        days,
        kinds: all_kinds(|k| kinds.get(&k).copied().unwrap_or(0)),
        sellers: top_sellers(sellers.into_values().collect()),
        queue: facts.queue.clone(),
    }
}

/// The page's figures from the counts the store keeps per day: the same
/// as `aggregate` over every message of the period, read in a few rows.
pub fn from_counts(counts: &DashboardCounts, period: Period) -> Stats {
    let mut days = vec![DayCounts::default(); usize::from(period.days)];
    for (day, c) in &counts.days {
        let offset = (*day - period.first_day).whole_days();
        if let Some(slot) = usize::try_from(offset).ok().and_then(|i| days.get_mut(i)) {
            *slot = c.clone();
        }
    }
    Stats {
        period,
        days,
        kinds: all_kinds(|k| {
            counts
                .kinds
                .iter()
                .filter(|(name, _)| name == k.as_str())
                .map(|(_, n)| n)
                .sum()
        }),
        sellers: top_sellers(counts.sellers.clone()),
        queue: counts.queue.clone(),
    }
}

/// Every kind in `FindingKind::ALL` order with its count.
fn all_kinds(count: impl Fn(FindingKind) -> u64) -> Vec<(FindingKind, u64)> {
    FindingKind::ALL
        .into_iter()
        .map(|k| (k, count(k)))
        .collect()
}

/// Most messages with findings first, then most held or blocked, by name
/// and id on a tie; at most `TOP_SELLERS`.
fn top_sellers(mut sellers: Vec<SellerViolations>) -> Vec<SellerViolations> {
    sellers.retain(|s| s.with_findings > 0 || s.held_or_blocked > 0);
    sellers.sort_by(|a, b| {
        (b.with_findings, b.held_or_blocked)
            .cmp(&(a.with_findings, a.held_or_blocked))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.seller_id.0.cmp(&b.seller_id.0))
    });
    sellers.truncate(TOP_SELLERS);
    sellers
}

fn count_violations(
    m: &MessageFact,
    outcome: Outcome,
    kinds: &mut HashMap<FindingKind, u64>,
    sellers: &mut HashMap<SellerId, SellerViolations>,
) {
    let mut found: Vec<FindingKind> = m.findings.iter().map(|f| f.finding.kind).collect();
    found.sort_by_key(|k| k.as_str());
    found.dedup();
    for kind in &found {
        *kinds.entry(*kind).or_default() += 1;
    }
    let held_or_blocked = matches!(outcome, Outcome::Held | Outcome::Blocked);
    if found.is_empty() && !held_or_blocked {
        return;
    }
    let seller = sellers
        .entry(m.seller_id)
        .or_insert_with(|| SellerViolations {
            seller_id: m.seller_id,
            name: m.seller_name.clone(),
            with_findings: 0,
            held_or_blocked: 0,
        });
    seller.with_findings += u64::from(!found.is_empty());
    seller.held_or_blocked += u64::from(held_or_blocked);
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::domain::{Action, MessageStatus};
    use crate::store::stats::ReviewFact;

    const PHONE: &str = r#"[{"field":"text","kind":"phone","start":0,"end":5,"rule":"phone","action":"redact","removed":true},
        {"field":"html","kind":"phone","start":0,"end":5,"rule":"phone","action":"redact","removed":true}]"#;
    const PAYMENT: &str = r#"[{"field":"text","kind":"offsite_payment","start":0,"end":5,"rule":"paypal","action":"hold","removed":false}]"#;

    fn fact(
        at: OffsetDateTime,
        action: Action,
        status: MessageStatus,
        findings: &str,
    ) -> MessageFact {
        MessageFact {
            id: MessageId::new(),
            created_at: at,
            action,
            status,
            findings: serde_json::from_str(findings).expect("findings"),
            seller_id: SellerId(uuid::Uuid::nil()),
            seller_name: "Gadget Shop".into(),
        }
    }

    #[test]
    fn every_day_of_the_period_is_present_and_empty_days_are_zero() {
        let period = Period::ending(date!(2026 - 03 - 10), 7);
        assert_eq!(period.first_day, date!(2026 - 03 - 04));
        assert_eq!(period.start(), datetime!(2026-03-04 00:00 UTC));
        let facts = StatsFacts {
            messages: vec![fact(
                datetime!(2026-03-06 12:00 UTC),
                Action::Deliver,
                MessageStatus::Sent,
                "[]",
            )],
            ..StatsFacts::default()
        };
        let stats = aggregate(&facts, period);
        assert_eq!(stats.days.len(), 7);
        let per_day: Vec<u64> = stats.days.iter().map(DayCounts::messages).collect();
        assert_eq!(per_day, [0, 0, 1, 0, 0, 0, 0]);
        assert_eq!(period.dates().last(), Some(date!(2026 - 03 - 10)));

        let empty = aggregate(&StatsFacts::default(), period);
        assert_eq!(empty.days.len(), 7);
        assert_eq!(empty.messages(), 0);
        assert!(empty.kinds.iter().all(|(_, n)| *n == 0));
        assert_eq!(empty.kinds.len(), FindingKind::ALL.len());
        assert!(empty.sellers.is_empty());
    }

    #[test]
    fn period_edges_are_midnight_utc_whatever_the_offset() {
        let period = Period::ending(date!(2026 - 03 - 10), 7);
        // The first instant of the first day counts; the last microsecond before it does not.
        assert_eq!(period.index(datetime!(2026-03-04 00:00 UTC)), Some(0));
        assert_eq!(
            period.index(datetime!(2026-03-03 23:59:59.999999 UTC)),
            None
        );
        assert_eq!(
            period.index(datetime!(2026-03-10 23:59:59.999999 UTC)),
            Some(6)
        );
        assert_eq!(period.index(datetime!(2026-03-11 00:00 UTC)), None);
        // 01:30 at +02:00 is still the day before in UTC.
        assert_eq!(period.index(datetime!(2026-03-05 01:30 +02:00)), Some(0));
        // Late evening in New York is the next UTC day.
        assert_eq!(period.index(datetime!(2026-03-09 22:00 -05:00)), Some(6));
        // A period of one day is today only; zero is read as one.
        let today = Period::ending(date!(2026 - 03 - 10), 0);
        assert_eq!((today.first_day, today.days), (date!(2026 - 03 - 10), 1));
        // Across a month and a year boundary.
        let new_year = Period::ending(date!(2027 - 01 - 02), 30);
        assert_eq!(new_year.first_day, date!(2026 - 12 - 04));
        assert_eq!(new_year.index(datetime!(2026-12-31 23:00 UTC)), Some(27));
    }

    #[test]
    fn outcomes_remember_a_hold_after_release() {
        use MessageStatus as S;
        let cases = [
            (Action::Deliver, S::Sent, false, Outcome::Delivered),
            (Action::Deliver, S::Failed, false, Outcome::Delivered),
            (Action::Redact, S::Queued, false, Outcome::Redacted),
            (Action::Hold, S::Held, false, Outcome::Held),
            (Action::Hold, S::Sent, true, Outcome::Held),
            (Action::Hold, S::Rejected, true, Outcome::Held),
            // Held because the seller was suspended, then released.
            (Action::Redact, S::Queued, true, Outcome::Held),
            (Action::Block, S::Blocked, false, Outcome::Blocked),
            // Delivered in a conversation staff had blocked.
            (Action::Deliver, S::Blocked, false, Outcome::Blocked),
        ];
        for (action, status, reviewed, expected) in cases {
            assert_eq!(
                Outcome::of(action, status, reviewed),
                expected,
                "{action:?} {status:?} reviewed={reviewed}"
            );
        }
    }

    #[test]
    fn kinds_sellers_and_reviews_are_counted() {
        let period = Period::ending(date!(2026 - 03 - 10), 7);
        let held = fact(
            datetime!(2026-03-09 08:00 UTC),
            Action::Hold,
            MessageStatus::Sent,
            PAYMENT,
        );
        let mut other = fact(
            datetime!(2026-03-10 09:00 UTC),
            Action::Redact,
            MessageStatus::Sent,
            PHONE,
        );
        other.seller_id = SellerId(uuid::Uuid::from_u128(7));
        other.seller_name = "Bike Barn".into();
        let facts = StatsFacts {
            messages: vec![
                fact(
                    datetime!(2026-03-10 10:00 UTC),
                    Action::Redact,
                    MessageStatus::Queued,
                    PHONE,
                ),
                held.clone(),
                other,
                // Before the period: not counted anywhere.
                fact(
                    datetime!(2026-03-01 10:00 UTC),
                    Action::Redact,
                    MessageStatus::Sent,
                    PHONE,
                ),
                fact(
                    datetime!(2026-03-10 11:00 UTC),
                    Action::Deliver,
                    MessageStatus::Sent,
                    "[]",
                ),
            ],
            reviews: vec![
                ReviewFact {
                    message_id: held.id.to_string(),
                    decision: ReviewDecision::Release,
                    at: datetime!(2026-03-10 07:00 UTC),
                },
                ReviewFact {
                    message_id: MessageId::new().to_string(),
                    decision: ReviewDecision::Reject,
                    at: datetime!(2026-03-03 07:00 UTC),
                },
            ],
            queue: QueueState {
                held: 2,
                oldest_held_at: Some(datetime!(2026-03-02 07:00 UTC)),
            },
        };
        let stats = aggregate(&facts, period);
        assert_eq!(stats.messages(), 4);
        assert_eq!(stats.total(Outcome::Redacted), 2);
        assert_eq!(stats.total(Outcome::Held), 1);
        assert_eq!(stats.total(Outcome::Delivered), 1);
        assert_eq!((stats.released(), stats.rejected()), (1, 0));
        assert_eq!(stats.days[6].released, 1);
        assert_eq!(stats.last_days(1), 3);
        let kind = |k: FindingKind| stats.kinds.iter().find(|(x, _)| *x == k).unwrap().1;
        // Text and HTML of one message count once.
        assert_eq!(kind(FindingKind::Phone), 2);
        assert_eq!(kind(FindingKind::OffsitePayment), 1);
        assert_eq!(kind(FindingKind::Email), 0);
        let top: Vec<(&str, u64, u64)> = stats
            .sellers
            .iter()
            .map(|s| (s.name.as_str(), s.with_findings, s.held_or_blocked))
            .collect();
        assert_eq!(top, [("Gadget Shop", 2, 1), ("Bike Barn", 1, 0)]);
        assert_eq!(stats.queue.held, 2);
    }
}
