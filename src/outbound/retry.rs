//! When a failed delivery is tried again, and when it is given up.

use std::time::Duration;

use crate::config::DeliverySettings;

/// How far a wait may move either way, as a fraction of it.
const JITTER: f64 = 0.2;

/// The wait before attempt number `attempts_made + 1` of an entry queued
/// `age` ago, or `None` when it is given up: the attempts are used up, or
/// the attempt would fall beyond the retry window. Doubles from
/// `initial_backoff` up to `max_backoff`, then moves by up to `JITTER`
/// either way so that entries that failed together do not come back
/// together.
pub fn next_delay(
    settings: &DeliverySettings,
    attempts_made: u32,
    age: Duration,
) -> Option<Duration> {
    next_delay_with(settings, attempts_made, age, rand::random::<f64>())
}

/// [`next_delay`] with the random draw given (`0.0..1.0`), for tests.
pub fn next_delay_with(
    settings: &DeliverySettings,
    attempts_made: u32,
    age: Duration,
    draw: f64,
) -> Option<Duration> {
    if attempts_made >= settings.max_attempts {
        return None;
    }
    let factor = 2u32.saturating_pow(attempts_made.saturating_sub(1).min(30));
    let base = settings
        .initial_backoff
        .saturating_mul(factor)
        .min(settings.max_backoff);
    let scale = 1.0 - JITTER + 2.0 * JITTER * draw.clamp(0.0, 1.0);
    let delay = base.mul_f64(scale);
    (age.saturating_add(delay) <= settings.retry_window).then_some(delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(86_400);

    fn settings() -> DeliverySettings {
        DeliverySettings {
            max_attempts: 5,
            initial_backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(300),
            poll_interval: Duration::from_millis(100),
            claim_lease: Duration::from_secs(300),
            concurrency: 1,
            retry_window: 3 * DAY,
        }
    }

    #[test]
    fn backoff_doubles_caps_and_gives_up() {
        let s = settings();
        let delays: Vec<_> = (1..=5)
            .map(|n| next_delay_with(&s, n, Duration::ZERO, 0.5))
            .collect();
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
        assert_eq!(
            next_delay_with(&long, 50, Duration::ZERO, 0.5),
            Some(Duration::from_secs(300))
        );
    }

    #[test]
    fn jitter_moves_each_wait_by_at_most_a_fifth() {
        let s = settings();
        assert_eq!(
            next_delay_with(&s, 2, Duration::ZERO, 0.0),
            Some(Duration::from_secs(48))
        );
        assert_eq!(
            next_delay_with(&s, 2, Duration::ZERO, 1.0),
            Some(Duration::from_secs(72))
        );
        let drawn: std::collections::BTreeSet<_> = (0..50)
            .map(|_| next_delay(&s, 2, Duration::ZERO).unwrap())
            .collect();
        assert!(
            drawn
                .iter()
                .all(|d| (Duration::from_secs(48)..=Duration::from_secs(72)).contains(d))
        );
        assert!(drawn.len() > 1, "the waits are spread: {drawn:?}");
    }

    /// The shipped schedule (see `config/default.toml`): retries go on for
    /// three days, no longer, whatever the draws.
    #[test]
    fn the_default_schedule_tries_for_three_days() {
        let s = crate::config::Settings::load_from(&[]).unwrap().delivery;
        assert_eq!(s.retry_window, 3 * DAY);
        for draw in [0.0, 0.5, 1.0] {
            let (mut age, mut attempts) = (Duration::ZERO, 1);
            while let Some(wait) = next_delay_with(&s, attempts, age, draw) {
                assert!(wait <= s.max_backoff.mul_f64(1.0 + JITTER));
                age += wait;
                attempts += 1;
            }
            assert!(age <= 3 * DAY, "{age:?}");
            // The last wait would have crossed the window: it ended there.
            assert!(
                age + s.max_backoff.mul_f64(1.0 + JITTER) > 3 * DAY,
                "{age:?}"
            );
            assert!((15..100).contains(&attempts), "{attempts} attempts");
        }
    }
}
