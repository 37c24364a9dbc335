//! The intent model: a message-level reading of what the sender is after,
//! beside the rules.
//!
//! The rules find intent by phrase: a review word, a change word and an
//! incentive in one sentence. Held-out batches written after the rules
//! showed that this does not carry over to wording nobody listed (hold
//! recall 0.68 and subtle cases 11 of 27 on a batch the rules had not
//! seen). The model is a softmax regression over character n-grams
//! ([`features`]) and the direction, trained on every labelled case of
//! `tests/corpus` (the tuned corpus and the held-out batches named in
//! [`TRAINED_ON`]); it says whether a message asks for payment outside the
//! marketplace, manipulates a review, asks for or moves to a contact
//! channel (or presses for one), advertises, or fishes for credentials.
//! Its finding holds the message for staff like a rule's would; it never
//! blocks on its own and never removes text (it cannot say where).
//!
//! Retrain after changing the corpus or the features:
//! `cargo test --lib policy::intent::train -- --ignored --nocapture`
//! writes `model.bin` here (deterministic for the same inputs).

pub mod features;
#[cfg(test)]
mod train;

use std::sync::LazyLock;

use super::decision::FindingKind;
use super::detectors::{Detector, Hit, Scan};
use crate::domain::{Action, Direction};
use features::BUCKETS;

/// The held-out batches the shipped model learned from, besides the tuned
/// corpus. A batch not listed here is unseen by the model.
pub const TRAINED_ON: &[&str] = &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

/// The classes, in the model's order: what a message is, at most one.
pub const CLASSES: [Option<FindingKind>; 6] = [
    None,
    Some(FindingKind::OffsitePayment),
    Some(FindingKind::ReviewManipulation),
    Some(FindingKind::ContactRequest),
    Some(FindingKind::Promotional),
    Some(FindingKind::Phishing),
];
const K: usize = CLASSES.len();

/// The shipped weights: see `train.rs` for the format.
static SHIPPED: &[u8] = include_bytes!("model.bin");

static MODEL: LazyLock<Result<IntentModel, String>> =
    LazyLock::new(|| IntentModel::from_bytes(SHIPPED));

/// The model built into this binary, or why it cannot be read.
pub fn shipped() -> Result<&'static IntentModel, String> {
    MODEL.as_ref().map_err(Clone::clone)
}

/// Weights per class: one per feature slot, one for a seller's message,
/// and a bias.
pub struct IntentModel {
    /// `K` rows of `BUCKETS`, class-major.
    weights: Vec<f32>,
    seller: [f32; K],
    bias: [f32; K],
}

const MAGIC: &[u8; 8] = b"MRINTNT1";

impl IntentModel {
    /// Parses `model.bin`: the magic, `BITS` and `K` as u32, the weight
    /// scale as f32, `K` biases and `K` seller weights as f32, then
    /// `K * BUCKETS` weights as i16 (times the scale); little-endian.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut r = bytes;
        let mut take = |n: usize| -> Result<&[u8], String> {
            if r.len() < n {
                return Err("the intent model is truncated".into());
            }
            let (head, rest) = r.split_at(n);
            r = rest;
            Ok(head)
        };
        if take(8)? != MAGIC {
            return Err("the intent model has an unknown format".into());
        }
        let u32_at = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let f32_at = |b: &[u8]| f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let bits = u32_at(take(4)?);
        let classes = u32_at(take(4)?);
        if bits != features::BITS || classes as usize != K {
            return Err(format!(
                "the intent model has {classes} classes over 2^{bits} slots; this build reads {K} over 2^{}",
                features::BITS
            ));
        }
        let scale = f32_at(take(4)?);
        let mut bias = [0.0; K];
        let mut seller = [0.0; K];
        for b in &mut bias {
            *b = f32_at(take(4)?);
        }
        for s in &mut seller {
            *s = f32_at(take(4)?);
        }
        let raw = take(2 * K * BUCKETS)?;
        let weights = raw
            .chunks_exact(2)
            .map(|w| f32::from(i16::from_le_bytes([w[0], w[1]])) * scale)
            .collect();
        if !r.is_empty() {
            return Err("the intent model has trailing bytes".into());
        }
        Ok(Self {
            weights,
            seller,
            bias,
        })
    }

    /// The probability of each class for `text` sent in `direction`.
    pub fn probabilities(&self, text: &str, direction: Direction) -> [f32; K] {
        let seller = f32::from(u8::from(direction == Direction::SellerToBuyer));
        self.classify(&features::features(text), seller)
    }

    /// The probability of each class for features `x` of a message, `seller`
    /// 1 for a seller's and 0 for a buyer's: what the model answers and
    /// what training improves.
    fn classify(&self, x: &[(u32, f32)], seller: f32) -> [f32; K] {
        let mut z = [0.0f32; K];
        for (k, zk) in z.iter_mut().enumerate() {
            let row = &self.weights[k * BUCKETS..(k + 1) * BUCKETS];
            *zk = self.bias[k]
                + self.seller[k] * seller
                + x.iter().map(|(i, v)| row[*i as usize] * v).sum::<f32>();
        }
        softmax(&mut z);
        z
    }

    /// The bytes `from_bytes` reads: weights quantised to i16 against the
    /// largest of them.
    pub fn to_bytes(&self) -> Vec<u8> {
        let largest = self.weights.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let scale = if largest > 0.0 {
            largest / f32::from(i16::MAX)
        } else {
            1.0
        };
        let mut out = Vec::with_capacity(20 + 8 * K + 2 * K * BUCKETS);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&features::BITS.to_le_bytes());
        out.extend_from_slice(&(K as u32).to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for v in self.bias.iter().chain(&self.seller) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in &self.weights {
            out.extend_from_slice(&((v / scale).round() as i16).to_le_bytes());
        }
        out
    }

    /// What the message is, if the classes `counts` accepts (those whose
    /// configured action holds the message, for its direction) together
    /// have `threshold` or more: the likeliest of them.
    pub fn judge(
        &self,
        text: &str,
        direction: Direction,
        threshold: f32,
        counts: impl Fn(FindingKind) -> bool,
    ) -> Option<FindingKind> {
        let p = self.probabilities(text, direction);
        // The classes `counts` accepts are some of those other than
        // "nothing to hold": most messages end here, before it is asked.
        if 1.0 - p[0] < threshold {
            return None;
        }
        let held: Vec<(FindingKind, f32)> = CLASSES
            .iter()
            .zip(p)
            .filter_map(|(k, p)| k.filter(|k| counts(*k)).map(|k| (k, p)))
            .collect();
        if held.iter().map(|(_, p)| p).sum::<f32>() < threshold {
            return None;
        }
        held.into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| k)
    }
}

pub(crate) fn softmax(z: &mut [f32]) {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in z.iter_mut() {
        *v /= sum;
    }
}

/// The rule name of a model finding of `kind`.
pub fn rule_of(kind: FindingKind) -> String {
    format!("{RULE_PREFIX}{}", kind.as_str())
}

/// Shorter bodies are left to the rules: a few words give the model too
/// little to read ("Photos and the manual attached." read as a contact
/// request), and a short message that is after something says it outright.
/// One held case of batches 10 and 11 (369) is shorter.
pub const MIN_CHARS: usize = 40;

/// Model findings' rule names start with this.
pub const RULE_PREFIX: &str = "intent_model.";

/// The model as a detector: one finding over the whole message, or none.
pub struct IntentDetector {
    model: &'static IntentModel,
}

impl IntentDetector {
    pub fn new() -> Result<Self, String> {
        Ok(Self { model: shipped()? })
    }
}

impl Detector for IntentDetector {
    /// What it reports when it breaks: a hold-level kind, so the message
    /// waits for staff.
    fn kind(&self) -> FindingKind {
        FindingKind::ContactRequest
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        self.detect_after(scan, &[], hits);
    }

    fn detect_after(&self, scan: &Scan<'_>, earlier: &[Hit], hits: &mut Vec<Hit>) {
        let Some(threshold) = scan.config.intent_threshold else {
            return;
        };
        // Counted up to the bound only: a 25 MB body is not walked to
        // learn that it is long.
        if scan.reading == crate::policy::Reading::Part
            || scan.input.trim().chars().take(MIN_CHARS).count() < MIN_CHARS
        {
            return;
        }
        // A rule that already holds the message named why; the model adds
        // a reading only where the rules saw nothing to hold.
        if earlier.iter().any(|h| {
            !h.kind.is_contact() && scan.config.action(h.kind, scan.direction) >= Action::Hold
        }) {
            return;
        }
        // Only what would hold the message counts: a buyer asking for the
        // seller's number is theirs to ask, and advertising is a seller's.
        // A seller asking for a review is the review window's to judge (once
        // per order, after delivery): the model reads no review or
        // advertising into a message that asks for one.
        // Scanned only when the model would hold for review or
        // advertising, not on every seller message.
        let asks_review = std::cell::LazyCell::new(|| {
            scan.direction == Direction::SellerToBuyer
                && super::detectors::promo::review_request(scan.input).is_some()
        });
        let holds = |kind: FindingKind| {
            scan.config.action(kind, scan.direction) >= Action::Hold
                && (kind != FindingKind::Promotional || scan.direction == Direction::SellerToBuyer)
                && !(matches!(
                    kind,
                    FindingKind::ReviewManipulation | FindingKind::Promotional
                ) && *asks_review)
        };
        if let Some(kind) = self
            .model
            .judge(scan.input, scan.direction, threshold, holds)
        {
            hits.push(Hit {
                kind,
                start: 0,
                end: scan.input.len(),
                rule: rule_of(kind),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_reads() {
        let m = shipped().expect("model.bin parses");
        assert!(m.weights.iter().all(|w| w.is_finite()));
        assert!(m.weights.iter().any(|w| *w != 0.0));
    }

    /// What training writes is what the relay reads, weight for weight.
    #[test]
    fn the_model_file_round_trips() {
        let m = shipped().unwrap();
        let again = IntentModel::from_bytes(&m.to_bytes()).expect("written bytes parse");
        assert_eq!(again.to_bytes(), SHIPPED);
        assert_eq!(again.bias, m.bias);
        assert_eq!(again.seller, m.seller);
    }

    #[test]
    fn a_damaged_model_is_refused() {
        assert!(IntentModel::from_bytes(b"").is_err());
        assert!(IntentModel::from_bytes(&SHIPPED[..SHIPPED.len() - 1]).is_err());
        let mut other = SHIPPED.to_vec();
        other[0] = b'X';
        assert!(IntentModel::from_bytes(&other).is_err());
        let mut longer = SHIPPED.to_vec();
        longer.push(0);
        assert!(IntentModel::from_bytes(&longer).is_err());
    }

    /// The shipped policy, with the model on or off.
    fn policy(model: bool) -> crate::policy::Policy {
        let shipped = include_str!("../../../config/policy.toml");
        assert!(
            shipped.contains("enabled = true"),
            "config/policy.toml has [intent] enabled = true"
        );
        let toml = shipped.replace("enabled = true", &format!("enabled = {model}"));
        crate::policy::Policy::from_toml(&toml, "relay.example").expect("policy builds")
    }

    /// Held-out messages no rule holds (round 8's rules missed them): the
    /// model does, and names what they are; with the model off they pass.
    #[test]
    fn the_model_holds_what_no_rule_names() {
        let cases = [
            (
                "Je vous rembourse la différence de port dès que le petit encadré sous l'annonce passe au vert 😉",
                FindingKind::ReviewManipulation,
            ),
            (
                "Te dejo cinco estrellitas si me regalas los gastos de envío 😇 y si no, pues ya veremos qué pongo jeje",
                FindingKind::ReviewManipulation,
            ),
            (
                "Je vous préviens : sans votre mail perso, pas de facture, et sans facture pas de garantie. Je ne relancerai pas.",
                FindingKind::ContactRequest,
            ),
        ];
        let on = policy(true);
        let off = policy(false);
        for (text, kind) in cases {
            let d = on.evaluate(text, Direction::SellerToBuyer, &[]);
            assert_eq!(d.action, Action::Hold, "{text}: {:?}", d.findings);
            assert!(
                d.findings
                    .iter()
                    .any(|f| f.kind == kind && f.rule == rule_of(kind)),
                "{text}: {:?}",
                d.findings
            );
            let d = off.evaluate(text, Direction::SellerToBuyer, &[]);
            assert_eq!(d.action, Action::Deliver, "{text}: {:?}", d.findings);
        }
    }

    /// The model reads a body, not a part judged apart (a subject, a
    /// file's text): a manual saying "ring us" is not the reply it came with.
    #[test]
    fn parts_of_a_message_are_left_to_the_rules() {
        let p = policy(true);
        let text = "Je vous préviens : sans votre mail perso, pas de facture, et sans facture pas de garantie. Je ne relancerai pas.";
        let context = crate::policy::EvalContext::default();
        let whole = p.evaluate_in(text, Direction::SellerToBuyer, &context);
        assert_eq!(whole.action, Action::Hold, "{:?}", whole.findings);
        let part = p.evaluate_part(text, Direction::SellerToBuyer, &context);
        assert_eq!(part.action, Action::Deliver, "{:?}", part.findings);
    }

    /// A plain review request is the review window's to judge: the model
    /// does not hold it (the promotional tests send this one after delivery).
    #[test]
    fn a_plain_review_request_is_left_to_the_review_window() {
        let d = policy(true).evaluate(
            "Glad the lamp arrived! Please leave a review if you have a minute.",
            Direction::SellerToBuyer,
            &[],
        );
        assert!(
            !d.findings.iter().any(|f| f.rule.starts_with(RULE_PREFIX)),
            "{:?}",
            d.findings
        );
    }

    /// A thank-you for a review, a payment reminder through the platform
    /// and a buyer's own review change are not what the model holds.
    #[test]
    fn ordinary_review_and_payment_talk_passes() {
        let p = policy(true);
        for (text, direction) in [
            (
                "Thanks a lot for the kind review!",
                Direction::SellerToBuyer,
            ),
            // Read as a contact request by the model (the attachment tests
            // found it): too short for it to judge (`MIN_CHARS`).
            ("Photos and the manual attached.", Direction::SellerToBuyer),
            (
                "Danke für die Bewertung und viel Spaß mit dem Rad!",
                Direction::SellerToBuyer,
            ),
            (
                "Please complete the payment on the order page by Friday.",
                Direction::SellerToBuyer,
            ),
            (
                "I updated my review myself, the seller fixed everything.",
                Direction::BuyerToSeller,
            ),
        ] {
            let d = p.evaluate(text, direction, &[]);
            assert_eq!(d.action, Action::Deliver, "{text}: {:?}", d.findings);
        }
    }

    /// The model never blocks: where the configured action for what it
    /// read is `block`, its finding holds for staff.
    #[test]
    fn a_model_finding_holds_at_most() {
        let p = crate::policy::Policy::from_toml(
            "[actions.review_manipulation]\nall = \"block\"\n",
            "relay.example",
        )
        .expect("policy builds");
        let text = "Je vous rembourse la différence de port dès que le petit encadré sous l'annonce passe au vert 😉";
        let d = p.evaluate(text, Direction::SellerToBuyer, &[]);
        assert_eq!(d.action, Action::Hold, "{:?}", d.findings);
        assert!(d.findings.iter().any(|f| f.rule.starts_with(RULE_PREFIX)));
    }

    #[test]
    fn a_threshold_outside_zero_to_one_is_refused() {
        for t in ["0", "1", "1.5", "-0.2"] {
            let toml = format!("[intent]\nthreshold = {t}\n");
            let e = crate::policy::Policy::from_toml(&toml, "relay.example").unwrap_err();
            assert!(e.0.contains("intent.threshold"), "{t}: {e}");
        }
        assert!(
            crate::policy::Policy::from_toml("[intent]\nthreshold = 0.9\n", "r.example").is_ok()
        );
    }

    #[test]
    fn probabilities_sum_to_one_on_any_text() {
        let m = shipped().unwrap();
        for text in ["", "   ", "hi", &"€".repeat(100_000)] {
            let p = m.probabilities(text, Direction::BuyerToSeller);
            let sum: f32 = p.iter().sum();
            assert!((sum - 1.0).abs() < 1e-4, "{text:.20}: {p:?}");
        }
    }
}
