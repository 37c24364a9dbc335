//! `config/policy.toml`: the action per kind and direction, the allowlist and phone regions.

use serde::Deserialize;

use crate::domain::{Action, Direction};

use super::PolicyError;
use super::decision::FindingKind;

/// Regions tried for national-format phone numbers when the caller gives no hints;
/// international `+` numbers resolve from their own country code regardless.
pub const DEFAULT_REGIONS: &[&str] = &[
    "US", "GB", "DE", "FR", "ES", "IT", "PL", "RU", "JP", "NL", "TR", "AT", "CH", "UA", "CA",
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    actions: ActionsFile,
    #[serde(default)]
    allowlist: AllowlistFile,
    #[serde(default)]
    phone: PhoneFile,
    #[serde(default)]
    promotional: PromotionalFile,
    #[serde(default)]
    intent: IntentFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionsFile {
    email: Option<KindActions>,
    phone: Option<KindActions>,
    url: Option<KindActions>,
    messaging_handle: Option<KindActions>,
    offsite_payment: Option<KindActions>,
    review_manipulation: Option<KindActions>,
    contact_request: Option<KindActions>,
    phishing: Option<KindActions>,
    promotional: Option<KindActions>,
}

/// `all` sets both directions; a direction named explicitly wins over it.
#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindActions {
    all: Option<Action>,
    buyer_to_seller: Option<Action>,
    seller_to_buyer: Option<Action>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowlistFile {
    #[serde(default)]
    domains: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhoneFile {
    regions: Option<Vec<String>>,
    min_digits: Option<usize>,
    spelled_out_min_words: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PromotionalFile {
    review_window_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentFile {
    enabled: Option<bool>,
    threshold: Option<f32>,
}

/// How sure the intent model must be that a message is one to hold
/// (`[intent] threshold`): the lowest at which every policy fixture passes
/// (docs/policy.md, "The intent model").
pub const DEFAULT_INTENT_THRESHOLD: f32 = 0.65;

/// Days after an order is delivered in which its seller may ask for a review.
pub const DEFAULT_REVIEW_WINDOW_DAYS: u32 = 30;

/// Fewest digits a phone finding may have; shorter numbers (extensions,
/// house numbers, quantities) are never phone numbers here.
pub const DEFAULT_PHONE_MIN_DIGITS: usize = 7;
/// Fewest spelled-out digit words that make a digit run a phone number even
/// when no numbering plan accepts it ("five five five one two three four").
pub const DEFAULT_SPELLED_OUT_MIN_WORDS: usize = 3;

/// The parsed, validated policy settings.
#[derive(Debug, Clone)]
pub struct PolicyConfig {
    /// Indexed by `kind_index(kind) * 2 + direction_index(direction)`.
    actions: [Action; FindingKind::ALL.len() * 2],
    /// Lowercase domains; each also allows its subdomains. Always holds the relay domain.
    pub allowlist: Vec<String>,
    /// ISO 3166 codes, uppercase.
    pub regions: Vec<String>,
    /// `[phone] min_digits`: fewest digits in a phone finding.
    pub phone_min_digits: usize,
    /// `[phone] spelled_out_min_words`: spelled-out digits that make a run a phone number.
    pub spelled_out_min_words: usize,
    /// `[promotional] review_window_days`: how long after delivery a seller
    /// may ask for a review (once per order).
    pub review_window_days: u32,
    /// `[intent]`: the model's threshold, or `None` when it is off.
    pub intent_threshold: Option<f32>,
}

fn kind_index(kind: FindingKind) -> usize {
    FindingKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

fn direction_index(direction: Direction) -> usize {
    match direction {
        Direction::BuyerToSeller => 0,
        Direction::SellerToBuyer => 1,
    }
}

fn default_action(kind: FindingKind, direction: Direction) -> Action {
    match (kind, direction) {
        // A buyer asking how to reach the seller is ordinary; a seller asking
        // for the buyer's details outside the consent flow is not.
        (FindingKind::ContactRequest, Direction::BuyerToSeller) => Action::Deliver,
        // Nobody has a reason to ask for a card's security code or a one-time
        // code in a marketplace chat: the message never reaches the reader.
        (FindingKind::Phishing, _) => Action::Block,
        _ if kind.is_contact() => Action::Redact,
        _ => Action::Hold,
    }
}

impl PolicyConfig {
    pub fn parse(toml_text: &str, relay_domain: &str) -> Result<Self, PolicyError> {
        let file: PolicyFile = toml::from_str(toml_text)
            .map_err(|e| PolicyError(format!("invalid policy configuration: {e}")))?;

        let mut actions = [Action::Deliver; FindingKind::ALL.len() * 2];
        for kind in FindingKind::ALL {
            let set = match kind {
                FindingKind::Email => file.actions.email,
                FindingKind::Phone => file.actions.phone,
                FindingKind::Url => file.actions.url,
                FindingKind::MessagingHandle => file.actions.messaging_handle,
                FindingKind::OffsitePayment => file.actions.offsite_payment,
                FindingKind::ReviewManipulation => file.actions.review_manipulation,
                FindingKind::ContactRequest => file.actions.contact_request,
                FindingKind::Phishing => file.actions.phishing,
                FindingKind::Promotional => file.actions.promotional,
            }
            .unwrap_or_default();
            let b2s = set
                .all
                .unwrap_or(default_action(kind, Direction::BuyerToSeller));
            let s2b = set
                .all
                .unwrap_or(default_action(kind, Direction::SellerToBuyer));
            actions[kind_index(kind) * 2] = set.buyer_to_seller.unwrap_or(b2s);
            actions[kind_index(kind) * 2 + 1] = set.seller_to_buyer.unwrap_or(s2b);
        }
        // Nothing of an advertisement is a detail to cut out: it goes, with
        // its finding, or it does not.
        if [Direction::BuyerToSeller, Direction::SellerToBuyer]
            .into_iter()
            .any(|d| {
                actions[kind_index(FindingKind::Promotional) * 2 + direction_index(d)]
                    == Action::Redact
            })
        {
            return Err(PolicyError(
                "invalid policy configuration: actions.promotional may be \"deliver\", \"hold\" or \"block\", not \"redact\"".into(),
            ));
        }

        let mut allowlist = Vec::new();
        for d in file
            .allowlist
            .domains
            .iter()
            .map(String::as_str)
            .chain([relay_domain])
        {
            let d = d.trim().trim_start_matches("*.").trim_matches('.');
            if d.is_empty() {
                continue;
            }
            if d.contains(|c: char| c.is_whitespace() || c == '/' || c == '@') {
                return Err(PolicyError(format!(
                    "invalid policy configuration: allowlist entry {d:?} is not a domain"
                )));
            }
            allowlist.push(d.to_lowercase());
        }

        let regions: Vec<String> = match file.phone.regions {
            Some(r) => r.iter().map(|r| r.trim().to_ascii_uppercase()).collect(),
            None => DEFAULT_REGIONS.iter().map(|r| (*r).to_owned()).collect(),
        };
        for r in &regions {
            if rlibphonenumber::Region::from_code(r).is_err() {
                return Err(PolicyError(format!(
                    "invalid policy configuration: unknown phone region {r:?}"
                )));
            }
        }

        let phone_min_digits = file.phone.min_digits.unwrap_or(DEFAULT_PHONE_MIN_DIGITS);
        if !(6..=15).contains(&phone_min_digits) {
            return Err(PolicyError(format!(
                "invalid policy configuration: phone.min_digits must be between 6 and 15, not {phone_min_digits}"
            )));
        }
        let spelled_out_min_words = file
            .phone
            .spelled_out_min_words
            .unwrap_or(DEFAULT_SPELLED_OUT_MIN_WORDS);
        if !(1..=15).contains(&spelled_out_min_words) {
            return Err(PolicyError(format!(
                "invalid policy configuration: phone.spelled_out_min_words must be between 1 and 15, not {spelled_out_min_words}"
            )));
        }

        let review_window_days = file
            .promotional
            .review_window_days
            .unwrap_or(DEFAULT_REVIEW_WINDOW_DAYS);
        if !(1..=365).contains(&review_window_days) {
            return Err(PolicyError(format!(
                "invalid policy configuration: promotional.review_window_days must be between 1 and 365, not {review_window_days}"
            )));
        }

        let threshold = file.intent.threshold.unwrap_or(DEFAULT_INTENT_THRESHOLD);
        if !(threshold > 0.0 && threshold < 1.0) {
            return Err(PolicyError(format!(
                "invalid policy configuration: intent.threshold must be between 0 and 1 (exclusive), not {threshold}"
            )));
        }
        let intent_threshold = file.intent.enabled.unwrap_or(true).then_some(threshold);

        Ok(Self {
            actions,
            allowlist,
            regions,
            phone_min_digits,
            spelled_out_min_words,
            review_window_days,
            intent_threshold,
        })
    }

    pub fn action(&self, kind: FindingKind, direction: Direction) -> Action {
        self.actions[kind_index(kind) * 2 + direction_index(direction)]
    }

    /// True when `host` is an allowlisted domain or one of its subdomains.
    pub fn is_allowlisted(&self, host: &str) -> bool {
        covers(&self.allowlist, host)
    }
}

/// True when `host` is one of `domains` (lower-case) or a subdomain of one.
pub(crate) fn covers(domains: &[String], host: &str) -> bool {
    let host = host.trim_end_matches('.').to_lowercase();
    domains.iter().any(|d| {
        host == *d
            || (host.len() > d.len()
                && host.ends_with(d.as_str())
                && host.as_bytes()[host.len() - d.len() - 1] == b'.')
    })
}
