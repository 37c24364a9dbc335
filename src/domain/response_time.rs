//! How fast a seller answers buyers, as marketplaces measure it: the share
//! of buyer messages answered within 24 hours and the median time to the
//! first answer, over a window of days, leaving out the messages the seller
//! (or the operator) marked "no response needed".
//!
//! The definition, which `store` computes in SQL and which [`measure`]
//! states for a handful of messages:
//!
//! - A buyer message counts when it reached the seller: not withheld by
//!   moderation, not held for review at any point (the seller could not
//!   see it when it came, so its clock would be wrong), and not automatic
//!   mail (an auto-reply asks nothing).
//! - It is answered by the seller's next message in the same conversation
//!   that is not blocked or rejected (a reply held for review counts from
//!   when it was written). A run of consecutive buyer messages is answered
//!   by the same seller message, each timed from its own arrival.
//! - It is due once it was answered or 24 hours have passed since it
//!   arrived; a message younger than that and not yet answered is left out
//!   for now, so a fresh question never counts against the seller.
//! - The window holds the messages that arrived in the last `window_days`
//!   days up to now; marked messages in it are counted as `excluded` and
//!   nowhere else.
//! - The median is over the answered due messages (within 24 hours or
//!   not); with an even number, the mean of the middle two.

use time::{Duration, OffsetDateTime};

use super::{Action, Direction, MessageStatus, seller_may_see, vocabulary::vocabulary};

vocabulary!(
    /// Who marked a buyer message "no response needed".
    NoResponseMarkedBy in ["message_no_response.marked_by"] {
        Seller = "seller",
        Operator = "operator",
    }
);

/// A buyer message answered within this long counts as answered in time.
pub const ANSWER_WITHIN: Duration = Duration::hours(24);

/// The window when the caller names none.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;

/// The longest window the service measures over.
pub const MAX_WINDOW_DAYS: u32 = 365;

/// Whether a buyer message counts toward the seller's response time.
pub fn buyer_message_counts(status: MessageStatus, action: Action, automatic: bool) -> bool {
    seller_may_see(Direction::BuyerToSeller, status) && action != Action::Hold && !automatic
}

/// Whether a seller message answers the buyer messages before it.
pub fn answers(status: MessageStatus) -> bool {
    !matches!(status, MessageStatus::Blocked | MessageStatus::Rejected)
}

/// One message of a conversation, as the measure reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedMessage {
    pub at: OffsetDateTime,
    pub direction: Direction,
    pub status: MessageStatus,
    pub action: Action,
    pub automatic: bool,
    /// Marked "no response needed" (buyer messages only).
    pub no_response_needed: bool,
}

/// A seller's response time over a window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ResponseTime {
    pub window_days: u32,
    /// Due buyer messages (see the module comment), marked ones left out.
    pub buyer_messages: u64,
    /// Of those, answered by now.
    pub answered: u64,
    /// Of those, answered within [`ANSWER_WITHIN`].
    pub answered_within_24h: u64,
    /// Buyer messages of the window marked "no response needed".
    pub excluded: u64,
    /// The median time to the answer in milliseconds; `None` without answers.
    pub median_millis: Option<f64>,
}

impl ResponseTime {
    /// `answered_within_24h / buyer_messages`; `None` when nothing was due.
    pub fn answered_within_24h_share(&self) -> Option<f64> {
        (self.buyer_messages > 0)
            .then(|| self.answered_within_24h as f64 / self.buyer_messages as f64)
    }

    /// The median in whole seconds, rounded to the nearest.
    pub fn median_first_response_seconds(&self) -> Option<i64> {
        self.median_millis.map(|ms| (ms / 1000.0).round() as i64)
    }
}

/// The median of `values` (sorted here); `None` for none.
pub fn median(values: &mut [i64]) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2] as f64),
        _ => Some((values[n / 2 - 1] as f64 + values[n / 2] as f64) / 2.0),
    }
}

/// The response time over conversations, each its messages in any order,
/// as of `now` over the `window_days` days before it.
pub fn measure(
    conversations: &[Vec<TimedMessage>],
    now: OffsetDateTime,
    window_days: u32,
) -> ResponseTime {
    let since = now - Duration::days(i64::from(window_days));
    let mut measured = ResponseTime {
        window_days,
        ..ResponseTime::default()
    };
    let mut times = Vec::new();
    for messages in conversations {
        for m in messages {
            let counted = m.direction == Direction::BuyerToSeller
                && buyer_message_counts(m.status, m.action, m.automatic)
                && m.at > since
                && m.at <= now;
            if !counted {
                continue;
            }
            if m.no_response_needed {
                measured.excluded += 1;
                continue;
            }
            let answer = messages
                .iter()
                .filter(|a| {
                    a.direction == Direction::SellerToBuyer
                        && answers(a.status)
                        && a.at > m.at
                        && a.at <= now
                })
                .map(|a| a.at)
                .min();
            match answer {
                Some(at) => {
                    let waited = at - m.at;
                    measured.buyer_messages += 1;
                    measured.answered += 1;
                    if waited <= ANSWER_WITHIN {
                        measured.answered_within_24h += 1;
                    }
                    times.push(waited.whole_milliseconds() as i64);
                }
                None if now - m.at >= ANSWER_WITHIN => measured.buyer_messages += 1,
                None => {}
            }
        }
    }
    measured.median_millis = median(&mut times);
    measured
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-03-31 12:00 UTC);

    fn buyer(hours_ago: i64) -> TimedMessage {
        TimedMessage {
            at: NOW - Duration::hours(hours_ago),
            direction: Direction::BuyerToSeller,
            status: MessageStatus::Sent,
            action: Action::Deliver,
            automatic: false,
            no_response_needed: false,
        }
    }

    fn seller(hours_ago: i64) -> TimedMessage {
        TimedMessage {
            direction: Direction::SellerToBuyer,
            ..buyer(hours_ago)
        }
    }

    #[test]
    fn an_answer_within_24_hours_counts_and_a_late_one_does_not() {
        let thread = vec![buyer(100), seller(90), buyer(80), seller(50)];
        let r = measure(&[thread], NOW, 30);
        assert_eq!(
            (r.buyer_messages, r.answered, r.answered_within_24h),
            (2, 2, 1)
        );
        assert_eq!(r.answered_within_24h_share(), Some(0.5));
        // 10 h and 30 h: the mean of the two.
        assert_eq!(r.median_first_response_seconds(), Some(20 * 3600));
    }

    #[test]
    fn exactly_24_hours_is_in_time() {
        let r = measure(&[vec![buyer(48), seller(24)]], NOW, 30);
        assert_eq!(r.answered_within_24h, 1);
    }

    #[test]
    fn a_run_of_buyer_messages_is_answered_by_the_next_seller_message() {
        let thread = vec![buyer(30), buyer(29), buyer(27), seller(26), buyer(1)];
        let r = measure(&[thread], NOW, 30);
        // The last buyer message is an hour old and unanswered: not yet due.
        assert_eq!(
            (r.buyer_messages, r.answered, r.answered_within_24h),
            (3, 3, 3)
        );
        assert_eq!(r.median_first_response_seconds(), Some(3 * 3600));
    }

    #[test]
    fn an_unanswered_message_is_due_after_24_hours() {
        let r = measure(&[vec![buyer(25), buyer(23)]], NOW, 30);
        assert_eq!((r.buyer_messages, r.answered), (1, 0));
        assert_eq!(r.answered_within_24h_share(), Some(0.0));
        assert_eq!(r.median_first_response_seconds(), None);
    }

    #[test]
    fn marked_messages_are_excluded_and_counted_apart() {
        let mut thanks = buyer(40);
        thanks.no_response_needed = true;
        let r = measure(&[vec![buyer(50), seller(49), thanks]], NOW, 30);
        assert_eq!((r.buyer_messages, r.answered, r.excluded), (1, 1, 1));
        assert_eq!(r.answered_within_24h_share(), Some(1.0));
    }

    #[test]
    fn withheld_held_automatic_and_old_messages_do_not_count() {
        let held = TimedMessage {
            status: MessageStatus::Held,
            action: Action::Hold,
            ..buyer(40)
        };
        let released = TimedMessage {
            status: MessageStatus::Sent,
            action: Action::Hold,
            ..buyer(40)
        };
        let automatic = TimedMessage {
            automatic: true,
            ..buyer(40)
        };
        let old = buyer(31 * 24);
        let r = measure(&[vec![held, released, automatic, old]], NOW, 30);
        assert_eq!(
            r,
            ResponseTime {
                window_days: 30,
                ..ResponseTime::default()
            }
        );
        assert_eq!(r.answered_within_24h_share(), None);
    }

    #[test]
    fn blocked_or_rejected_replies_answer_nothing_and_held_ones_do() {
        let blocked = TimedMessage {
            status: MessageStatus::Blocked,
            ..seller(39)
        };
        let held = TimedMessage {
            status: MessageStatus::Held,
            ..seller(30)
        };
        let r = measure(&[vec![buyer(40), blocked, held]], NOW, 30);
        assert_eq!(
            (r.buyer_messages, r.answered, r.answered_within_24h),
            (1, 1, 1)
        );
        assert_eq!(r.median_first_response_seconds(), Some(10 * 3600));
    }

    #[test]
    fn conversations_are_measured_apart() {
        // The other conversation's reply answers nothing here.
        let r = measure(&[vec![buyer(30)], vec![buyer(40), seller(20)]], NOW, 30);
        assert_eq!((r.buyer_messages, r.answered), (2, 1));
    }

    #[test]
    fn the_median_of_an_odd_and_an_even_count() {
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
