//! The policy filter: finds contact details and off-platform intent in a
//! message, decides deliver/redact/hold/block and redacts the text.
//!
//! `Policy` is built once from `config/policy.toml` (every regex and matcher
//! compiled then) and shared across tasks; `evaluate` is pure and never panics.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use rlibphonenumber::Region;

use crate::domain::{Action, Direction};

pub mod config;
pub mod decision;
pub mod detectors;
mod gate;
pub mod intent;
pub mod normalize;
pub mod number_words;
pub mod redact;
pub mod regions;

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod tests;

pub use config::PolicyConfig;
pub use decision::{Decision, Finding, FindingKind, Redaction};
use detectors::{Detector, Hit, Scan};
use normalize::Normalizer;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PolicyError(pub String);

/// The compiled policy. `Send + Sync`; share it through an `Arc`.
/// What the caller knows about a message beyond its text.
#[derive(Clone, Debug, Default)]
pub struct EvalContext {
    /// ISO 3166 hints for national phone formats (the parties' countries).
    pub regions: Vec<String>,
    /// Phone numbers the sender has agreed to share with this recipient.
    pub consented_phones: ConsentedPhones,
    /// Domains, lower-case ASCII, whose links pass beside the configured
    /// allowlist: the seller's help domains, for a seller's message to a
    /// buyer only. They excuse links alone, never an email address or a
    /// request for a card or a code (`detectors::Scan::is_link_allowlisted`).
    pub extra_allowed_domains: Vec<String>,
}

/// Which phone numbers pass unredacted because the sender consented.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ConsentedPhones {
    #[default]
    None,
    /// Any number the sender writes (no number is on record for them).
    Any,
    /// Only these numbers, in E.164 form (`+491701234567`).
    Only(Vec<String>),
}

impl ConsentedPhones {
    /// Whether a found phone span is one the sender consented to share. A
    /// span matches an E.164 number when its digits are the whole number or
    /// its national part (a leading trunk zero dropped).
    pub fn covers(&self, span: &str) -> bool {
        match self {
            ConsentedPhones::None => false,
            ConsentedPhones::Any => true,
            ConsentedPhones::Only(numbers) => {
                let digits: String = span.chars().filter(|c| c.is_ascii_digit()).collect();
                let national = digits.trim_start_matches('0');
                national.len() >= 6
                    && numbers.iter().any(|n| {
                        let n: String = n.chars().filter(|c| c.is_ascii_digit()).collect();
                        n == digits || n.ends_with(national)
                    })
            }
        }
    }
}

/// File types an attachment may have at most, judged by its bytes; the
/// settings (`attachments.allowed_types`) choose among them.
pub const ATTACHABLE_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
];

/// Crafted inputs that push one detector at a time: long digit runs,
/// thousands of `@`, spelled-out at/dot words, deep nesting, one very long
/// line, spaced letters, number words, tags and emoji splits. `n` is about
/// how many bytes each is long. The criterion bench (`worst_cases`) times
/// the same texts; `crafted_inputs_stay_linear` checks they stay linear.
#[doc(hidden)]
pub fn crafted_inputs(n: usize) -> Vec<(&'static str, String)> {
    let fill = |unit: &str| unit.repeat(n / unit.len().max(1) + 1);
    vec![
        ("digits", fill("0")),
        ("digit_groups", fill("12 34 ")),
        ("phone_like", fill("+49 170 1234567, ")),
        ("at_signs", fill("@")),
        ("at_handles", fill("@a_b ")),
        ("at_words", fill("a at b dot ")),
        ("dots", fill("a.")),
        ("nesting", fill("((((<b>[[")),
        ("html", fill("<div><span>")),
        ("long_line", fill("abcdefghij")),
        ("spaced_letters", fill("a b ")),
        (
            "number_words",
            fill("one two three four five six seven eight nine zero "),
        ),
        ("tags", fill("name#1234 ")),
        ("emoji_split", fill("12 ❤ ")),
        ("review_words", fill("review refund stars voucher if ")),
        (
            "promo_words",
            fill("coupon CODE10 new collection sale 20% off everything "),
        ),
        ("mixed_scripts", fill("номер 8Ч9 ЗO4 電話〇九〇 ")),
    ]
}

/// Whether a text is what the sender wrote as a whole (a body), which the
/// intent model reads, or one part judged apart, which only the rules do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    Whole,
    Part,
}

pub struct Policy {
    config: PolicyConfig,
    /// The types a file may have to reach the other party, on every path.
    file_types: Vec<String>,
    /// The configured phone regions, parsed once.
    regions: Vec<Region>,
    normalizer: Normalizer,
    detectors: Vec<Box<dyn Detector>>,
    /// The detectors' rules' keywords: rules without theirs in a message skip it.
    gate: gate::Gate,
    /// Whether `gate` is used (always, but for tests comparing without it).
    gated: bool,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("config", &self.config)
            .field("detectors", &self.detectors.len())
            .finish()
    }
}

impl Policy {
    /// Builds the policy from the text of a policy TOML file. `relay_domain`
    /// (and its subdomains) is always allowlisted.
    pub fn from_toml(toml: &str, relay_domain: &str) -> Result<Self, PolicyError> {
        let config = PolicyConfig::parse(toml, relay_domain)?;
        let regions = config
            .regions
            .iter()
            .filter_map(|r| Region::from_code(r).ok())
            .collect();
        let first_rule = gate::registered();
        let mut detectors = detectors::all()
            .map_err(|e| PolicyError(format!("policy rule failed to compile: {e}")))?;
        // After every rule: it adds a reading of the whole message.
        detectors.push(Box::new(
            intent::IntentDetector::new().map_err(PolicyError)?,
        ));
        let gate = gate::Gate::new(first_rule, gate::registered())
            .map_err(|e| PolicyError(format!("policy keyword gate failed to build: {e}")))?;
        Ok(Self {
            config,
            file_types: ATTACHABLE_TYPES.iter().map(|t| (*t).to_owned()).collect(),
            regions,
            normalizer: Normalizer::default(),
            detectors,
            gate,
            gated: true,
        })
    }

    /// The same policy with the keyword gates on or off: every rule then
    /// runs on every message. Decisions are the same either way (the gates
    /// only skip rules that cannot match); tests and benches compare.
    #[doc(hidden)]
    pub fn with_gates(mut self, on: bool) -> Self {
        self.gated = on;
        self
    }

    /// The file types allowed through (`attachments.allowed_types`); all
    /// of [`ATTACHABLE_TYPES`] unless set.
    pub fn with_file_types(mut self, types: &[String]) -> Self {
        self.file_types = types.to_vec();
        self
    }

    /// Whether a file whose bytes show `kind` may reach the other party.
    pub fn allows_file_type(&self, kind: &str) -> bool {
        self.file_types.iter().any(|t| t == kind)
    }

    pub fn file_types(&self) -> &[String] {
        &self.file_types
    }

    pub fn from_file(path: &Path, relay_domain: &str) -> Result<Self, PolicyError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| PolicyError(format!("cannot read {}: {e}", path.display())))?;
        Self::from_toml(&text, relay_domain)
    }

    pub fn config(&self) -> &PolicyConfig {
        &self.config
    }

    /// Judges `text`, a message's body, with what the caller knows about
    /// the message: region hints and any phone numbers the recipient may
    /// see by the sender's consent.
    pub fn evaluate_in(&self, text: &str, direction: Direction, context: &EvalContext) -> Decision {
        self.evaluate_with(text, direction, context, Reading::Whole)
    }

    /// Judges one part of a message apart from its body (a subject, the
    /// visible text of its HTML, a file's name or text) with the rules
    /// alone: the intent model reads what the sender wrote as a whole, and
    /// a manual attached to a reply is not the reply.
    pub fn evaluate_part(
        &self,
        text: &str,
        direction: Direction,
        context: &EvalContext,
    ) -> Decision {
        self.evaluate_with(text, direction, context, Reading::Part)
    }

    fn evaluate_with(
        &self,
        text: &str,
        direction: Direction,
        context: &EvalContext,
        reading: Reading,
    ) -> Decision {
        let decision = self.judge(
            text,
            direction,
            &context.regions,
            &context.extra_allowed_domains,
            reading,
        );
        if matches!(context.consented_phones, ConsentedPhones::None)
            || !decision
                .findings
                .iter()
                .any(|f| f.kind == FindingKind::Phone)
        {
            return decision;
        }
        let chars: Vec<char> = text.chars().collect();
        let mut findings = decision.findings;
        for f in &mut findings {
            if f.kind != FindingKind::Phone {
                continue;
            }
            let span: String = chars[f.start.min(chars.len())..f.end.min(chars.len())]
                .iter()
                .collect();
            if context.consented_phones.covers(&span) {
                f.action = Action::Deliver;
                f.rule = "phone.consented".into();
            }
        }
        let action = findings
            .iter()
            .map(|f| f.action)
            .max()
            .unwrap_or(Action::Deliver);
        let redacted_text = redact::apply(text, &redact::plan(&findings));
        Decision {
            action,
            findings,
            redacted_text,
        }
    }

    /// Judges `text` sent in `direction`. `regions` are optional ISO 3166 hints
    /// for national phone formats (unknown codes are ignored).
    pub fn evaluate(&self, text: &str, direction: Direction, regions: &[String]) -> Decision {
        self.judge(text, direction, regions, &[], Reading::Whole)
    }

    fn judge(
        &self,
        text: &str,
        direction: Direction,
        regions: &[String],
        extra_allowed_domains: &[String],
        reading: Reading,
    ) -> Decision {
        crate::cpu::heavy(crate::cpu::Work::Filter);
        let normalized = self.normalizer.normalize(text);
        let mut all_regions: Vec<Region> = regions
            .iter()
            .filter_map(|r| Region::from_code(r.trim()).ok())
            .collect();
        // Nothing known about the parties: guess from the message's script,
        // and keep the regions its words imply for numbers nothing else
        // accepts. Only a text with seven digits can hold a phone number.
        let mut fallback_regions = Vec::new();
        if all_regions.is_empty()
            && normalized.text.bytes().filter(u8::is_ascii_digit).count()
                >= self.config.phone_min_digits
        {
            all_regions.extend(regions::infer(text));
            fallback_regions = regions::infer_from_words(text);
        }
        for r in &self.regions {
            if !all_regions.contains(r) {
                all_regions.push(*r);
            }
        }
        fallback_regions.retain(|r| !all_regions.contains(r));

        let scan = Scan {
            input: text,
            normalized: &normalized,
            regions: &all_regions,
            fallback_regions: &fallback_regions,
            config: &self.config,
            extra_allowed_domains,
            direction,
            reading,
        };
        let _gate = self.gated.then(|| self.gate.enter(&normalized.text));
        let mut hits = Vec::new();
        for detector in &self.detectors {
            let mut found = Vec::new();
            let ran = catch_unwind(AssertUnwindSafe(|| {
                detector.detect_after(&scan, &hits, &mut found)
            }));
            if ran.is_err() {
                // Fail closed: a broken detector must not wave a message through.
                found = vec![Hit {
                    kind: detector.kind(),
                    start: 0,
                    end: text.len(),
                    rule: format!("{}.detector_failed", detector.kind().as_str()),
                }];
            }
            hits.extend(found);
        }

        let mut findings = self.to_findings(text, hits, direction);
        // A sender's own channel is news only where it is held (a seller's,
        // as shipped): a buyer giving theirs has their contact removed, no more.
        findings
            .retain(|f| !(f.rule == detectors::own_channel::RULE && f.action == Action::Deliver));
        for f in &mut findings {
            if f.rule.ends_with(".detector_failed") {
                f.action = f.action.max(Action::Hold);
            }
        }
        let action = findings
            .iter()
            .map(|f| f.action)
            .max()
            .unwrap_or(Action::Deliver);
        let redacted_text = redact::apply(text, &redact::plan(&findings));
        Decision {
            action,
            findings,
            redacted_text,
        }
    }

    /// Byte hits → findings in character offsets, with actions; duplicates of
    /// one kind merge, and a contact finding inside another kind's span (a
    /// phone number inside a `wa.me/` link) is dropped.
    fn to_findings(&self, text: &str, mut hits: Vec<Hit>, direction: Direction) -> Vec<Finding> {
        hits.retain(|h| {
            h.start < h.end
                && h.end <= text.len()
                && text.is_char_boundary(h.start)
                && text.is_char_boundary(h.end)
        });
        hits.sort_by(|a, b| {
            (a.kind.as_str(), a.start, std::cmp::Reverse(a.end)).cmp(&(
                b.kind.as_str(),
                b.start,
                std::cmp::Reverse(b.end),
            ))
        });
        let mut merged: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            // Intent findings keep every rule that fired; staff read them.
            if let Some(last) = merged.last_mut()
                && last.kind == h.kind
                && (h.kind.is_contact() || last.rule == h.rule)
                && h.start < last.end
            {
                // A span that holds one of our signed links keeps saying so.
                let ours = detectors::service_link::RULE;
                if last.rule != ours && (h.rule == ours || h.end - h.start > last.end - last.start)
                {
                    last.rule = h.rule;
                }
                last.end = last.end.max(h.end);
                continue;
            }
            merged.push(h);
        }

        // Our own signed links act for the party they were sent to: removed
        // whatever the configured action for links says.
        let action_of = |h: &Hit| {
            let configured = self.config.action(h.kind, direction);
            if h.rule == detectors::service_link::RULE {
                configured.max(Action::Redact)
            } else if h.rule.starts_with(intent::RULE_PREFIX) {
                // The model holds for staff at most: blocking unread is
                // for what a rule can name.
                configured.min(Action::Hold)
            } else {
                configured
            }
        };
        let contained = |inner: &Hit, outer: &Hit| {
            inner.kind != outer.kind
                && inner.kind.is_contact()
                && outer.kind.is_contact()
                && outer.start <= inner.start
                && inner.end <= outer.end
                && action_of(outer) >= action_of(inner)
                && (outer.end - outer.start > inner.end - inner.start
                    || outer.kind.specificity() > inner.kind.specificity())
        };
        // Hits of one kind are sorted and disjoint after merging, so the only
        // one of that kind that can contain `h` is the last to start at or before it.
        let by_kind: Vec<(FindingKind, &[Hit])> = FindingKind::ALL
            .into_iter()
            .map(|k| {
                let from = merged.partition_point(|x| x.kind.as_str() < k.as_str());
                let to = merged.partition_point(|x| x.kind.as_str() <= k.as_str());
                (k, &merged[from..to])
            })
            .collect();
        let keep: Vec<bool> = merged
            .iter()
            .map(|h| {
                !by_kind.iter().any(|(k, hits)| {
                    *k != h.kind && {
                        let i = hits.partition_point(|o| o.start <= h.start);
                        i > 0 && contained(h, &hits[i - 1])
                    }
                })
            })
            .collect();

        let char_starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let to_char = |byte: usize| char_starts.partition_point(|&b| b < byte);
        let mut findings: Vec<Finding> = merged
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(h, _)| Finding {
                kind: h.kind,
                start: to_char(h.start),
                end: to_char(h.end),
                rule: h.rule.clone(),
                action: action_of(h),
            })
            .collect();
        findings.sort_by_key(|f| (f.start, f.end, f.kind.as_str()));
        findings
    }
}
