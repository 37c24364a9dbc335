//! The time part of every list cursor: unix microseconds, exact to what
//! the stores keep, so a page starts exactly after the last row shown.

use time::OffsetDateTime;

/// `at` as the cursor writes it.
pub fn encode(at: OffsetDateTime) -> i128 {
    at.unix_timestamp_nanos() / 1_000
}

/// `None` for anything `encode` did not write.
pub fn parse(micros: &str) -> Option<OffsetDateTime> {
    let micros: i128 = micros.parse().ok()?;
    OffsetDateTime::from_unix_timestamp_nanos(micros.checked_mul(1_000)?).ok()
}
