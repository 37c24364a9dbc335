//! One detector per finding kind, all behind `trait Detector`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use rlibphonenumber::Region;

use super::config::PolicyConfig;
use super::decision::FindingKind;
use super::normalize::Normalized;

pub mod contact_ask;
pub mod contact_request;
pub mod email;
pub mod handle;
pub mod offsite;
pub mod own_channel;
pub mod payment;
pub mod phishing;
pub mod phone;
pub mod promo;
pub mod review;
pub mod review_ask;
pub mod service_link;
pub mod site_handle;
pub mod url;

/// One evaluation's input, shared by every detector.
pub struct Scan<'a> {
    /// The text as given; `Hit` offsets are bytes into it.
    pub input: &'a str,
    /// The disguise-undoing copy, with its map back to `input`.
    pub normalized: &'a Normalized,
    /// Phone regions to try: caller hints first, then the configured set.
    pub regions: &'a [Region],
    /// Regions the message's words imply, tried only on a stretch of text
    /// with a number no region in `regions` accepted.
    pub fallback_regions: &'a [Region],
    pub config: &'a PolicyConfig,
    /// Domains whose links pass in this message besides the configured
    /// allowlist (`EvalContext::extra_allowed_domains`).
    pub extra_allowed_domains: &'a [String],
    /// Which way the message travels: some intent is only a seller's to have.
    pub direction: crate::domain::Direction,
    /// A whole message's body, or one part of it judged apart.
    pub reading: super::Reading,
}

/// What a detector reports: a byte range of `Scan::input` and the rule that fired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: FindingKind,
    pub start: usize,
    pub end: usize,
    pub rule: String,
}

impl Scan<'_> {
    /// Whether a link to `host` passes: the configured allowlist or the
    /// sender's extra domains (a seller's help domains), subdomains
    /// included. For links only: an email address or a phishing request
    /// asks `config.is_allowlisted`, which a seller cannot extend.
    pub fn is_link_allowlisted(&self, host: &str) -> bool {
        if self.config.is_allowlisted(host) {
            return true;
        }
        if self.extra_allowed_domains.is_empty() {
            return false;
        }
        // Extra domains are stored in punycode; a link may be written in Unicode.
        match ::url::Host::parse(host.trim_end_matches('.')) {
            Ok(::url::Host::Domain(ascii)) => {
                super::config::covers(self.extra_allowed_domains, &ascii)
            }
            _ => false,
        }
    }

    /// A hit from a byte range of the normalised text, mapped back to the input.
    pub fn hit_normalized(
        &self,
        kind: FindingKind,
        start: usize,
        end: usize,
        rule: &str,
    ) -> Option<Hit> {
        let (start, mut end) = self.normalized.to_input(start, end)?;
        // Invisible marks the normaliser dropped after the span ("7\u{FE0F}\u{20E3}")
        // belong to its last character.
        while let Some(c) = self.input.get(end..).and_then(|r| r.chars().next())
            && super::normalize::is_invisible(c)
        {
            end += c.len_utf8();
        }
        Some(Hit {
            kind,
            start,
            end,
            rule: rule.to_owned(),
        })
    }
}

/// A finder of one kind of contact detail or intent.
pub trait Detector: Send + Sync {
    /// The kind this detector reports; used to fail closed if it breaks.
    fn kind(&self) -> FindingKind;
    /// Appends every hit found in `scan` to `hits`.
    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>);
    /// The same, for a detector that reads what the detectors before it
    /// found (`earlier`, in the order `all` runs them).
    fn detect_after(&self, scan: &Scan<'_>, earlier: &[Hit], hits: &mut Vec<Hit>) {
        let _ = earlier;
        self.detect(scan, hits);
    }
}

/// The largest char boundary of `s` at or below `i`.
pub(crate) fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `s` at or above `i`.
pub(crate) fn ceil_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Top-level domains accepted for links written without a scheme and for
/// disguised addresses ("shop dot de"): common generic ones plus the country
/// codes of the markets we serve and their neighbours.
pub(crate) const TLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "io", "co", "me", "ly", "gl", "gg", "to", "cc", "tv", "ws",
    "ai", "app", "dev", "shop", "store", "online", "site", "website", "xyz", "top", "club", "link",
    "page", "live", "life", "world", "space", "tech", "blog", "email", "click", "icu", "vip",
    "pro", "mobi", "name", "asia", "eu", "edu", "gov", "uk", "de", "fr", "es", "it", "pl", "ru",
    "nl", "tr", "jp", "cn", "us", "ca", "au", "at", "ch", "be", "se", "no", "dk", "fi", "cz", "sk",
    "hu", "ro", "bg", "gr", "pt", "ie", "lt", "lv", "ee", "ua", "by", "kz", "in", "br", "mx", "ar",
    "cl", "za", "il", "ae", "kr", "tw", "hk", "sg", "nz", "su", "рф", "xn--p1ai", "berlin", "sa",
    "ma", "eg", "qa", "kw", "om", "bh", "jo", "dz", "tn", "ng", "ke", "ph", "vn", "pk", "pe", "uy",
    "ve", "ec", "lu", "hr", "rs", "ba", "md", "ge", "az", "moscow",
];

pub(crate) fn is_known_tld(tld: &str) -> bool {
    let tld = tld.to_lowercase();
    TLDS.contains(&tld.as_str())
}

/// "com" or "COM" but not "Com": a capitalised word after a full stop starts
/// a sentence ("... at amazon. It was ...") rather than ending a domain.
pub(crate) fn is_one_case(word: &str) -> bool {
    !(word.chars().any(char::is_lowercase) && word.chars().any(char::is_uppercase))
}

/// How much memory each rule's lazy DFA may use before it is thrown away and
/// rebuilt. The default (a few MiB) is too small for rules with bounded
/// repetitions over Unicode classes (`[^.!?\n]{0,40}`): they kept rebuilding
/// states on every message.
const DFA_CACHE_BYTES: usize = 16 << 20;

/// A rule's regex, with room for its lazy DFA.
pub(crate) fn regex(pattern: &str) -> Result<Rule, regex::Error> {
    Rule::new(pattern)
}

/// A rule only ever run on the few dozen bytes around a candidate (the
/// label before a number, the word after it), compiled without a lazy DFA.
/// A lazy DFA pays for itself over long text; on a new 48-byte slice it
/// builds states it never reuses (a rule ending in `$` searched backwards
/// over Unicode classes cost millions of instructions a slice), while the
/// backtracker needs no states and no cache.
pub(crate) fn near(pattern: &str) -> Result<Rule, regex::Error> {
    Rule::compile(pattern, 0)
}

fn build(pattern: &str, dfa_bytes: usize) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(dfa_bytes)
        .build()
}

/// `pattern` with every word boundary (`\b`) left out. Dropping an assertion
/// only lets more through, so wherever the rule matches, this matches too.
fn without_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') => {}
                Some(n) => {
                    out.push(c);
                    out.push(n);
                }
                None => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A rule's regex behind a cheaper test that must pass for it to match.
///
/// The regex engine's fast lazy DFA cannot evaluate Unicode `\b` once the
/// haystack holds a non-ASCII byte and falls back to much slower engines. The
/// gate is the same pattern without its word boundaries: it matches wherever
/// the rule does, the DFA runs it at full speed, and when it finds nothing
/// (most messages, for most rules) the rule cannot match either. When it
/// does, the rule itself decides, so every result is the rule's own.
///
/// Before either, the keyword gate (`policy::gate`): when none of the
/// literals every match of the pattern holds is in the message, the rule
/// is not run at all.
#[derive(Clone)]
pub(crate) struct Rule {
    re: Arc<regex::Regex>,
    gate: Option<Arc<regex::Regex>>,
    /// The rule's id with the keyword gate.
    id: usize,
}

thread_local! {
    /// While `all` compiles a policy: its rules so far, by pattern, so a
    /// pattern two detectors share (a `SiteHandle` in `email` and in
    /// `handle`) is compiled once, with one lazy-DFA cache per thread.
    static COMPILED: RefCell<Option<HashMap<String, Rule>>> = const { RefCell::new(None) };
}

/// Shares rules by pattern on this thread until dropped (`COMPILED`).
struct Sharing(Option<HashMap<String, Rule>>);

impl Sharing {
    fn start() -> Self {
        Self(COMPILED.with(|c| c.borrow_mut().replace(HashMap::new())))
    }
}

impl Drop for Sharing {
    fn drop(&mut self) {
        let previous = self.0.take();
        COMPILED.with(|c| *c.borrow_mut() = previous);
    }
}

impl Rule {
    pub(crate) fn new(pattern: &str) -> Result<Self, regex::Error> {
        Self::compile(pattern, DFA_CACHE_BYTES)
    }

    /// `pattern` with a lazy DFA of up to `dfa_bytes` (none at 0: too small
    /// for one, the regex runs on its other engines).
    fn compile(pattern: &str, dfa_bytes: usize) -> Result<Self, regex::Error> {
        let key = format!("{dfa_bytes}:{pattern}");
        Self::shared(&key, |_| {
            let relaxed = without_word_boundaries(pattern);
            let gate = if relaxed == pattern {
                None
            } else {
                Some(Arc::new(build(&relaxed, dfa_bytes)?))
            };
            Ok(Self {
                re: Arc::new(build(pattern, dfa_bytes)?),
                gate,
                id: super::gate::register(pattern),
            })
        })
    }

    /// The rule compiled for `pattern` earlier in this policy, or `compile`'s.
    fn shared(
        pattern: &str,
        compile: impl FnOnce(&str) -> Result<Self, regex::Error>,
    ) -> Result<Self, regex::Error> {
        if let Some(rule) =
            COMPILED.with(|c| c.borrow().as_ref().and_then(|m| m.get(pattern).cloned()))
        {
            return Ok(rule);
        }
        let rule = compile(pattern)?;
        COMPILED.with(|c| {
            if let Some(m) = c.borrow_mut().as_mut() {
                m.insert(pattern.to_owned(), rule.clone());
            }
        });
        Ok(rule)
    }

    /// A gate for several rules at once: the union of their patterns without
    /// word boundaries. When it does not match, none of the rules can.
    pub(crate) fn any_of<'p>(
        patterns: impl IntoIterator<Item = &'p str>,
    ) -> Result<Self, regex::Error> {
        let union = patterns
            .into_iter()
            .map(|p| format!("(?:{})", without_word_boundaries(p)))
            .collect::<Vec<_>>()
            .join("|");
        Self::shared(&union, |union| {
            Ok(Self {
                re: Arc::new(build(union, DFA_CACHE_BYTES)?),
                gate: None,
                id: super::gate::register(union),
            })
        })
    }

    /// Whether the rule can match anywhere in `haystack`; `false` is certain.
    #[inline]
    pub(crate) fn may_match(&self, haystack: &str) -> bool {
        !super::gate::is_closed(self.id, haystack)
            && self.gate.as_ref().is_none_or(|g| g.is_match(haystack))
    }

    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        self.may_match(haystack) && self.re.is_match(haystack)
    }

    pub(crate) fn find<'h>(&self, haystack: &'h str) -> Option<regex::Match<'h>> {
        if self.may_match(haystack) {
            self.re.find(haystack)
        } else {
            None
        }
    }

    pub(crate) fn find_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = regex::Match<'h>> + use<'r, 'h> {
        self.may_match(haystack)
            .then(|| self.re.find_iter(haystack))
            .into_iter()
            .flatten()
    }

    pub(crate) fn captures<'h>(&self, haystack: &'h str) -> Option<regex::Captures<'h>> {
        if self.may_match(haystack) {
            self.re.captures(haystack)
        } else {
            None
        }
    }

    /// The first match starting at or after `start`, looking behind it for
    /// word boundaries.
    pub(crate) fn captures_at<'h>(
        &self,
        haystack: &'h str,
        start: usize,
    ) -> Option<regex::Captures<'h>> {
        if self.may_match(&haystack[start..]) {
            self.re.captures_at(haystack, start)
        } else {
            None
        }
    }

    pub(crate) fn captures_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = regex::Captures<'h>> + use<'r, 'h> {
        self.may_match(haystack)
            .then(|| self.re.captures_iter(haystack))
            .into_iter()
            .flatten()
    }
}

/// The detectors in the order they run.
pub fn all() -> Result<Vec<Box<dyn Detector>>, regex::Error> {
    let _sharing = Sharing::start();
    Ok(vec![
        Box::new(email::EmailDetector::new()?),
        Box::new(phone::PhoneDetector::new()?),
        Box::new(url::UrlDetector::new()?),
        Box::new(service_link::ServiceLinkDetector::new()?),
        Box::new(handle::HandleDetector::new()?),
        Box::new(payment::PaymentDetector::new()?),
        Box::new(review::ReviewDetector::new()?),
        Box::new(contact_request::ContactRequestDetector::new()?),
        Box::new(phishing::PhishingDetector::new()?),
        // Last: it reads the contact details found before it.
        Box::new(promo::PromoDetector::new()?),
    ])
}

#[cfg(test)]
mod rule_tests {
    use super::without_word_boundaries;

    #[test]
    fn only_word_boundaries_are_dropped() {
        assert_eq!(without_word_boundaries(r"\bpay\w*\b"), r"pay\w*");
        assert_eq!(without_word_boundaries(r"a\\b\.c"), r"a\\b\.c");
        assert_eq!(without_word_boundaries(r"(?-u:\b)x"), r"(?-u:)x");
    }
}
