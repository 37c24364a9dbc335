//! A seller's response time as one line of a page: on the seller's inbox
//! and on a conversation in the console.

use crate::{
    domain::{ResponseTime, SellerId, response_time::DEFAULT_WINDOW_DAYS},
    http::AppState,
};

use super::WebError;

/// What `templates/response_time.html` shows.
pub struct ResponseTimeLine {
    /// "75 %", or empty when no buyer message was due.
    pub share: String,
    /// "3 h 12 min", or empty when none was answered.
    pub median: String,
    pub buyer_messages: u64,
    pub excluded: u64,
    pub window_days: u32,
}

impl ResponseTimeLine {
    pub fn new(r: &ResponseTime) -> Self {
        Self {
            share: r
                .answered_within_24h_share()
                .map(|s| format!("{:.0} %", s * 100.0))
                .unwrap_or_default(),
            median: r
                .median_first_response_seconds()
                .map(duration_label)
                .unwrap_or_default(),
            buyer_messages: r.buyer_messages,
            excluded: r.excluded,
            window_days: r.window_days,
        }
    }

    /// The seller's line over the default window, measured now.
    pub async fn of(state: &AppState, seller: SellerId) -> Result<Self, WebError> {
        let measured = state
            .relay
            .response_time(seller, DEFAULT_WINDOW_DAYS)
            .await?;
        Ok(Self::new(&measured))
    }
}

/// Whole days, hours and minutes, the two largest that are not zero
/// ("2 d 3 h", "3 h 12 min", "45 min"); under a minute, "under 1 min".
pub fn duration_label(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let parts = [
        (minutes / (24 * 60), "d"),
        (minutes / 60 % 24, "h"),
        (minutes % 60, "min"),
    ];
    let shown: Vec<String> = parts
        .iter()
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}"))
        .collect();
    if shown.is_empty() {
        "under 1 min".to_owned()
    } else {
        shown.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::duration_label;

    #[test]
    fn durations_read_in_their_two_largest_units() {
        for (seconds, label) in [
            (0, "under 1 min"),
            (59, "under 1 min"),
            (45 * 60, "45 min"),
            (3 * 3600 + 12 * 60 + 30, "3 h 12 min"),
            (27 * 3600, "1 d 3 h"),
            (2 * 86400 + 5 * 60, "2 d"),
        ] {
            assert_eq!(duration_label(seconds), label, "{seconds} s");
        }
    }
}
