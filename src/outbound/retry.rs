//! When a failed delivery is tried again, and when it is given up.

use std::time::Duration;

use crate::config::DeliverySettings;

/// The wait before attempt number `attempts + 1`, or `None` when the
/// attempts are used up. Doubles from `initial_backoff` up to `max_backoff`.
pub fn next_delay(settings: &DeliverySettings, attempts_made: u32) -> Option<Duration> {
    if attempts_made >= settings.max_attempts {
        return None;
    }
    let factor = 2u32.saturating_pow(attempts_made.saturating_sub(1).min(30));
    Some(
        settings
            .initial_backoff
            .saturating_mul(factor)
            .min(settings.max_backoff),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> DeliverySettings {
        DeliverySettings {
            max_attempts: 5,
            initial_backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(300),
            poll_interval: Duration::from_millis(100),
            claim_lease: Duration::from_secs(300),
            concurrency: 1,
        }
    }

    #[test]
    fn backoff_doubles_caps_and_gives_up() {
        let s = settings();
        let delays: Vec<_> = (1..=5).map(|n| next_delay(&s, n)).collect();
        assert_eq!(
            delays,
            vec![
                Some(Duration::from_secs(30)),
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(120)),
                Some(Duration::from_secs(240)),
                None
            ]
        );
        let long = DeliverySettings {
            max_attempts: 100,
            ..s
        };
        assert_eq!(next_delay(&long, 50), Some(Duration::from_secs(300)));
    }
}
