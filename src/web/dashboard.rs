//! The staff dashboard: messages per day by outcome, findings by kind, the
//! review queue's flow and the sellers with the most violations, as inline
//! SVG charts that need no script, each with a data table of its numbers.

mod chart;
pub mod stats;

use askama::Template;
use axum::{
    extract::{Query, State},
    routing::get,
};
use serde::Deserialize;
use time::{Date, OffsetDateTime, macros::format_description};

use self::{
    chart::{BarChart, DayChart, Measure, Series},
    stats::{Outcome, Period, Stats},
};
use super::{Layout, Page, WebError, display_time, iso_time, session::StaffSession};
use crate::http::AppState;

/// The periods offered, in days; anything else asked for gets the default.
const PERIODS: [u16; 3] = [7, 30, 90];
const DEFAULT_PERIOD: u16 = 30;

pub fn routes() -> super::Pages {
    super::Pages::default().route("/console/dashboard", get(dashboard))
}

#[derive(Deserialize)]
struct PeriodQuery {
    // A string, so a hand-edited `?days=abc` shows the default, not an error.
    #[serde(default)]
    days: String,
}

fn period_days(raw: &str) -> u16 {
    raw.trim()
        .parse()
        .ok()
        .filter(|d| PERIODS.contains(d))
        .unwrap_or(DEFAULT_PERIOD)
}

pub struct PeriodLink {
    pub days: u16,
    pub href: String,
    pub current: bool,
}

pub struct DayRow {
    pub date: String,
    pub delivered: u64,
    pub redacted: u64,
    pub held: u64,
    pub blocked: u64,
    pub total: u64,
    pub released: u64,
    pub rejected: u64,
}

pub struct SellerRow {
    pub name: String,
    pub href: String,
    pub with_findings: u64,
    pub held_or_blocked: u64,
}

pub struct LegendEntry {
    pub class: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    periods: Vec<PeriodLink>,
    days: u16,
    first_day: String,
    last_day: String,
    messages_today: u64,
    messages_week: u64,
    messages_period: u64,
    redacted_share: String,
    queue_held: i64,
    oldest_held_age: Option<String>,
    oldest_held_at: String,
    oldest_held_iso: String,
    held: u64,
    released: u64,
    rejected: u64,
    day_rows: Vec<DayRow>,
    outcome_legend: Vec<LegendEntry>,
    review_legend: Vec<LegendEntry>,
    daily: DayChart,
    reviews: DayChart,
    any_review: bool,
    kind_rows: Vec<(&'static str, u64)>,
    any_finding: bool,
    kinds: BarChart,
    seller_rows: Vec<SellerRow>,
    sellers: BarChart,
}

fn day_label(d: Date) -> String {
    d.format(format_description!("[month]-[day]"))
        .unwrap_or_default()
}

fn date_text(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// "3 d 4 h", "5 h 12 min", "12 min": enough to see how long someone waits.
fn age(from: OffsetDateTime, now: OffsetDateTime) -> String {
    let minutes = (now - from).whole_minutes().max(0);
    let (d, h, m) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (d, h) {
        (0, 0) => format!("{m} min"),
        (0, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h"),
    }
}

/// The share as a whole percentage; "–" when there is nothing to divide.
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".to_owned();
    }
    format!("{}%", (part * 100 + whole / 2) / whole)
}

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Delivered => "dash-delivered",
        Outcome::Redacted => "dash-redacted",
        Outcome::Held => "dash-held",
        Outcome::Blocked => "dash-blocked",
    }
}

const REVIEW_SERIES: [(&str, &str); 3] = [
    ("dash-held", "held"),
    ("dash-released", "released"),
    ("dash-rejected", "rejected"),
];

async fn dashboard(
    me: StaffSession,
    State(state): State<AppState>,
    Query(query): Query<PeriodQuery>,
) -> Result<Page<DashboardPage>, WebError> {
    let now = OffsetDateTime::now_utc();
    let days = period_days(&query.days);
    let period = Period::ending(now.date(), days);
    // Counts kept per day as messages are stored: a few rows per day of
    // the period, whatever the number of messages.
    let counts = state
        .store
        .stats()
        .dashboard_counts(period.first_day, now.date())
        .await?;
    let stats = stats::from_counts(&counts, period);
    Ok(Page(render(me.layout(&state).await?, &stats, now)))
}

fn render(layout: Layout, stats: &Stats, now: OffsetDateTime) -> DashboardPage {
    let period = stats.period;
    let dates: Vec<Date> = period.dates().collect();
    let labels: Vec<String> = dates.iter().copied().map(day_label).collect();
    let daily = chart::stacked_bars(
        chart::WIDE,
        &labels,
        &Outcome::ALL.map(|o| Series {
            class: outcome_class(o),
            name: o.as_str(),
            values: stats.days.iter().map(|d| d.count(o)).collect(),
        }),
    );
    let review_values = |k: usize| -> Vec<u64> {
        stats
            .days
            .iter()
            .map(|d| [d.count(Outcome::Held), d.released, d.rejected][k])
            .collect()
    };
    let reviews = chart::lines(
        chart::HALF,
        &labels,
        &[0, 1, 2].map(|k| Series {
            class: REVIEW_SERIES[k].0,
            name: REVIEW_SERIES[k].1,
            values: review_values(k),
        }),
    );
    let kind_rows: Vec<(&'static str, u64)> =
        stats.kinds.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let kinds = chart::horizontal_bars(
        chart::HALF,
        &kind_rows
            .iter()
            .map(|(k, n)| {
                (
                    (*k).to_owned(),
                    vec![Measure {
                        value: *n,
                        class: "dash-finding",
                        name: "messages",
                    }],
                )
            })
            .collect::<Vec<_>>(),
    );
    let sellers = chart::horizontal_bars(
        chart::WIDE,
        &stats
            .sellers
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    vec![
                        Measure {
                            value: s.with_findings,
                            class: "dash-finding",
                            name: "messages with findings",
                        },
                        Measure {
                            value: s.held_or_blocked,
                            class: "dash-blocked",
                            name: "held or blocked",
                        },
                    ],
                )
            })
            .collect::<Vec<_>>(),
    );
    let messages_period = stats.messages();
    DashboardPage {
        layout,
        periods: PERIODS
            .iter()
            .map(|&d| PeriodLink {
                days: d,
                href: format!("/console/dashboard?days={d}"),
                current: d == period.days,
            })
            .collect(),
        days: period.days,
        first_day: dates.first().copied().map(date_text).unwrap_or_default(),
        last_day: dates.last().copied().map(date_text).unwrap_or_default(),
        messages_today: stats.last_days(1),
        messages_week: stats.last_days(7),
        messages_period,
        redacted_share: percent(stats.total(Outcome::Redacted), messages_period),
        queue_held: stats.queue.held,
        oldest_held_age: stats.queue.oldest_held_at.map(|t| age(t, now)),
        oldest_held_at: stats
            .queue
            .oldest_held_at
            .map(display_time)
            .unwrap_or_default(),
        oldest_held_iso: stats.queue.oldest_held_at.map(iso_time).unwrap_or_default(),
        held: stats.total(Outcome::Held),
        released: stats.released(),
        rejected: stats.rejected(),
        day_rows: dates
            .iter()
            .zip(&stats.days)
            .map(|(date, d)| DayRow {
                date: date_text(*date),
                delivered: d.count(Outcome::Delivered),
                redacted: d.count(Outcome::Redacted),
                held: d.count(Outcome::Held),
                blocked: d.count(Outcome::Blocked),
                total: d.messages(),
                released: d.released,
                rejected: d.rejected,
            })
            .collect(),
        outcome_legend: Outcome::ALL
            .iter()
            .map(|o| LegendEntry {
                class: outcome_class(*o),
                label: o.as_str(),
            })
            .collect(),
        review_legend: REVIEW_SERIES
            .iter()
            .map(|(class, label)| LegendEntry { class, label })
            .collect(),
        daily,
        reviews,
        any_review: stats.total(Outcome::Held) + stats.released() + stats.rejected() > 0,
        any_finding: kind_rows.iter().any(|(_, n)| *n > 0),
        kind_rows,
        kinds,
        seller_rows: stats
            .sellers
            .iter()
            .map(|s| SellerRow {
                name: s.name.clone(),
                // The conversation search matches a seller id exactly.
                href: format!("/console/conversations?q={}", s.seller_id),
                with_findings: s.with_findings,
                held_or_blocked: s.held_or_blocked,
            })
            .collect(),
        sellers,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn period_is_one_of_the_offered_or_the_default() {
        for (raw, days) in [
            ("7", 7),
            ("30", 30),
            (" 90 ", 90),
            ("", 30),
            ("8", 30),
            ("-7", 30),
            ("abc", 30),
            ("99999999999", 30),
        ] {
            assert_eq!(period_days(raw), days, "{raw:?}");
        }
    }

    #[test]
    fn ages_and_shares_read_at_a_glance() {
        let now = datetime!(2026-03-10 12:00 UTC);
        assert_eq!(age(datetime!(2026-03-10 11:48 UTC), now), "12 min");
        assert_eq!(age(datetime!(2026-03-10 06:30 UTC), now), "5 h 30 min");
        assert_eq!(age(datetime!(2026-03-07 08:00 UTC), now), "3 d 4 h");
        // A clock running behind the database never shows a negative age.
        assert_eq!(age(datetime!(2026-03-10 12:05 UTC), now), "0 min");
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(2, 3), "67%");
        assert_eq!(percent(0, 0), "–");
    }
}
