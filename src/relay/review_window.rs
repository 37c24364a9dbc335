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
    pub(crate) async fn judge_review_request(
        &self,
        conversation: &Conversation,
        named_order: Option<&str>,
        body: &str,
        judged: &Judgement,
    ) -> Result<(Option<ReviewClaim>, Option<StoredFinding>), RelayError> {
        let found = match promo::review_request(body) {
            Some(span) => Some((FindingField::Text, span)),
            None => {
                promo::review_request(&judged.subject).map(|span| (FindingField::Subject, span))
            }
        };
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
