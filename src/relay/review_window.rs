//! A seller may ask a buyer for a review once per order, after the
//! marketplace marked the order delivered and within the policy's window
//! (`[promotional] review_window_days`). A request before delivery, after
//! the window, for a conversation without an order, or a second one for
//! the same order is promotional: the policy finds the request in the text
//! (`policy::detectors::promo::review_request`), the store knows the rest.

use time::{Duration, OffsetDateTime};

use super::{Relay, RelayError, judge::Judgement, order_talk};
use crate::{
    domain::{Conversation, Direction, Finding, FindingField, FindingKind, StoredFinding},
    policy::detectors::promo,
    store::review_requests::OrderReviewState,
};

/// What a seller's message does with a review request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewRequest {
    /// It asks for none.
    None,
    /// It asks, in the window, about this order: recorded with the message.
    Allowed(String),
    /// It asks when it may not: the rule that says why.
    Refused(&'static str),
}

/// The review request a seller's message may make: recorded against
/// `order` in the transaction that stores the message. Should another
/// message have recorded one for the order first, the store refuses it
/// and the message is judged again with `if_repeated` (the `repeated`
/// rule) added.
#[derive(Clone, Debug)]
pub struct ReviewClaim {
    pub order: String,
    pub if_repeated: StoredFinding,
}

/// Why a second request for an order is promotional.
pub const REPEATED: &str = "promotional.review_request.repeated";

/// A text every working build of the review rules finds a request in.
const KNOWN_REQUEST: &str = "Could you please leave us a review?";

/// The review rules could not be built: no seller message can be judged
/// for a review request, so none is accepted rather than all let through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the review-request rules did not compile; seller messages cannot be judged")]
pub struct ReviewRulesUnavailable;

/// Whether the review rules work, checked once: `promo::review_request`
/// answers `None` for every text when its patterns failed to compile, so
/// a request it must find shows whether they did. `App::build` refuses to
/// start without them.
pub fn review_rules_ready() -> Result<(), ReviewRulesUnavailable> {
    static READY: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| promo::review_request(KNOWN_REQUEST).is_some());
    if *READY {
        Ok(())
    } else {
        Err(ReviewRulesUnavailable)
    }
}

/// The part of a message a review request is in, and its character range.
pub type RequestAt = (FindingField, (usize, usize));

/// Where a seller's message asks for a review: the body first, then the
/// subject, as a character range of it. Filter work ([`crate::cpu::heavy`]):
/// run it on the CPU pool. Fails closed when the rules are not working.
pub fn find_review_request(
    body: &str,
    subject: &str,
) -> Result<Option<RequestAt>, ReviewRulesUnavailable> {
    crate::cpu::heavy(crate::cpu::Work::Filter);
    review_rules_ready()?;
    Ok(match promo::review_request(body) {
        Some(span) => Some((FindingField::Text, span)),
        None => promo::review_request(subject).map(|span| (FindingField::Subject, span)),
    })
}

/// Which of `orders` a request is about, and whether it may be made at
/// `now`: the order the reply names, else the orders the text names, else
/// every order of the conversation; the first of them delivered within the
/// window and not asked about yet is the one.
pub fn decide(
    orders: &[OrderReviewState],
    named: Option<&str>,
    text: &str,
    window: Duration,
    now: OffsetDateTime,
) -> ReviewRequest {
    let ids: Vec<String> = orders.iter().map(|o| o.order_id.clone()).collect();
    let candidates: Vec<&OrderReviewState> = match named {
        Some(order) => orders.iter().filter(|o| o.order_id == order).collect(),
        None if order_talk::names_an_order(text, &ids) => orders
            .iter()
            .filter(|o| order_talk::names_an_order(text, std::slice::from_ref(&o.order_id)))
            .collect(),
        None => orders.iter().collect(),
    };
    if candidates.is_empty() {
        return ReviewRequest::Refused("promotional.review_request.no_order");
    }
    let in_window = |o: &&&OrderReviewState| {
        o.delivered_at
            .is_some_and(|at| at <= now && now - at <= window)
    };
    if let Some(order) = candidates
        .iter()
        .filter(in_window)
        .find(|o| o.review_requested_at.is_none())
    {
        return ReviewRequest::Allowed(order.order_id.clone());
    }
    ReviewRequest::Refused(
        if candidates.iter().any(|o| o.review_requested_at.is_some()) {
            REPEATED
        } else if candidates
            .iter()
            .all(|o| o.delivered_at.is_none_or(|at| at > now))
        {
            "promotional.review_request.before_delivery"
        } else {
            "promotional.review_request.after_window"
        },
    )
}

impl Relay {
    /// Judges a seller's review request against the conversation's orders:
    /// one made when it may not be gives a `promotional` finding (with the
    /// configured action) to add to the judgement; an allowed one names the
    /// order to record it against as the message is stored.
    /// `body` (the seller's text as written) goes to the CPU pool and comes
    /// back, not copied: it can be as large as the largest mail accepted,
    /// and the memory budget counts no copy of it for this step.
    pub(crate) async fn judge_review_request(
        &self,
        conversation: &Conversation,
        named_order: Option<&str>,
        body: &mut String,
        judged: &Judgement,
    ) -> Result<(Option<ReviewClaim>, Option<StoredFinding>), RelayError> {
        // The scan is filter work: on the CPU pool. It is not another
        // policy evaluation: the evaluation histogram counts one per message.
        let (text, subject) = (std::mem::take(body), judged.subject.clone());
        let (text, found) = self
            .cpu
            .run(move || {
                let found = find_review_request(&text, &subject);
                (text, found)
            })
            .await?;
        *body = text;
        let found = found?;
        let Some((field, (start, end))) = found else {
            return Ok((None, None));
        };
        let policy = self.policy.current();
        let orders = self
            .store
            .review_requests()
            .order_review_states(conversation.id)
            .await?;
        let window = Duration::days(i64::from(policy.config().review_window_days));
        let decided = decide(
            &orders,
            named_order,
            body,
            window,
            OffsetDateTime::now_utc(),
        );
        let finding = |rule: &str| StoredFinding {
            field,
            finding: Finding {
                kind: FindingKind::Promotional,
                start,
                end,
                rule: rule.to_owned(),
                action: policy
                    .config()
                    .action(FindingKind::Promotional, Direction::SellerToBuyer),
            },
            removed: false,
        };
        Ok(match decided {
            ReviewRequest::None => (None, None),
            ReviewRequest::Allowed(order) => (
                Some(ReviewClaim {
                    order,
                    if_repeated: finding(REPEATED),
                }),
                None,
            ),
            ReviewRequest::Refused(rule) => (None, Some(finding(rule))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(id: &str, delivered_days_ago: Option<i64>, asked: bool) -> OrderReviewState {
        let now = OffsetDateTime::now_utc();
        OrderReviewState {
            order_id: id.to_owned(),
            delivered_at: delivered_days_ago.map(|d| now - Duration::days(d)),
            review_requested_at: asked.then_some(now),
        }
    }

    fn decide_now(orders: &[OrderReviewState], named: Option<&str>, text: &str) -> ReviewRequest {
        decide(
            orders,
            named,
            text,
            Duration::days(30),
            OffsetDateTime::now_utc(),
        )
    }

    #[test]
    fn a_request_is_allowed_once_per_order_in_the_window_after_delivery() {
        let ask = "Please leave a review.";
        assert_eq!(
            decide_now(&[order("A-1", Some(2), false)], None, ask),
            ReviewRequest::Allowed("A-1".into())
        );
        assert_eq!(
            decide_now(&[order("A-1", Some(2), true)], None, ask),
            ReviewRequest::Refused("promotional.review_request.repeated")
        );
        assert_eq!(
            decide_now(&[order("A-1", None, false)], None, ask),
            ReviewRequest::Refused("promotional.review_request.before_delivery")
        );
        assert_eq!(
            decide_now(&[order("A-1", Some(45), false)], None, ask),
            ReviewRequest::Refused("promotional.review_request.after_window")
        );
        assert_eq!(
            decide_now(&[], None, ask),
            ReviewRequest::Refused("promotional.review_request.no_order")
        );
    }

    #[test]
    fn the_review_rules_work_and_a_request_is_found_in_the_body_then_the_subject() {
        assert_eq!(review_rules_ready(), Ok(()));
        assert_eq!(
            find_review_request("Please leave a review.", "Your lamp"),
            Ok(Some((FindingField::Text, (0, 21))))
        );
        assert_eq!(
            find_review_request("Glad it arrived.", "Please rate us!"),
            Ok(Some((FindingField::Subject, (0, 14))))
        );
        assert_eq!(find_review_request("Thanks for your review.", ""), Ok(None));
    }

    /// The least time of a few runs of `scan`, so a busy machine slows no
    /// run it compares.
    fn least_time(scan: impl Fn()) -> std::time::Duration {
        (0..5)
            .map(|_| {
                let started = std::time::Instant::now();
                scan();
                started.elapsed()
            })
            .min()
            .unwrap()
    }

    /// 64 KB of review words, with and without asking and sentence ends:
    /// found where they are, and one 64 KB text costs about what eight
    /// 8 KB texts of it do (a scan that went back over the text would
    /// cost eight times as much).
    #[test]
    fn crafted_review_words_are_scanned_in_linear_time() {
        let shapes = [
            "review rating feedback bewertung ",
            "review. rating! feedback? ",
            "please review please rate us please leave ",
            "thanks for your review ",
        ];
        for shape in shapes {
            let big = shape.repeat(64 * 1024 / shape.len());
            let small = shape.repeat(8 * 1024 / shape.len());
            let found = find_review_request(&big, "").unwrap();
            assert_eq!(
                found.is_some(),
                shape.starts_with("please"),
                "{shape}: {found:?}"
            );
            // An ask at the very end of a long sentence of review words is
            // found, spanning it.
            let late = format!("{}please", shape.replace(['.', '!', '?'], "").repeat(2000));
            assert!(find_review_request(&late, "").unwrap().is_some(), "{shape}");
            let once = least_time(|| {
                let _ = find_review_request(&big, &big);
            });
            let eight = least_time(|| {
                for _ in 0..8 {
                    let _ = find_review_request(&small, &small);
                }
            });
            assert!(
                once < eight * 4 + std::time::Duration::from_millis(5),
                "{shape}: 64 KB took {once:?}, 8 × 8 KB {eight:?}"
            );
        }
    }

    #[test]
    fn the_order_named_decides_which_one_is_asked_about() {
        let orders = [order("A-1", Some(2), true), order("B-2", Some(3), false)];
        // Any order in its window will do when none is named.
        assert_eq!(
            decide_now(&orders, None, "Please rate us."),
            ReviewRequest::Allowed("B-2".into())
        );
        assert_eq!(
            decide_now(&orders, Some("A-1"), "Please rate us."),
            ReviewRequest::Refused("promotional.review_request.repeated")
        );
        assert_eq!(
            decide_now(&orders, None, "About a-1: please leave a review."),
            ReviewRequest::Refused("promotional.review_request.repeated")
        );
    }
}
