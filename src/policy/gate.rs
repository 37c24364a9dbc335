//! Keyword gates for the rules' regexes: one Aho-Corasick pass over the
//! normalised text tells which rules can match it at all, and the others
//! are not run (most rules, on most messages).
//!
//! Nothing is declared by hand. When a rule compiles (`detectors::Rule`),
//! its keywords are taken from its own pattern: the literals every match
//! must start with (or, failing that, end with), as the regex parser
//! extracts them, case-folded. A rule whose pattern yields no usable
//! literals (a leading `\d` or `[^.!?\n]`) has no gate and always runs, so
//! a rule added later is gated exactly as far as its pattern allows and
//! never wrongly.
//!
//! Why a rule without any of its keywords in the text cannot match there:
//! the regex matches case-insensitively only through simple case folding,
//! so wherever it matches, the text's `fold` holds the `fold` of one of the
//! literals (`fold` maps every character of a simple case-folding class to
//! the same string: `fold_is_constant_on_case_classes` checks all of
//! Unicode). The gate applies only to searches in the normalised text the
//! keywords were found in, or a slice of it (checked by address); a rule
//! run on any other string runs ungated.
//!
//! The gate is installed per evaluation on the evaluating thread
//! (`Gate::enter`); `Policy::without_gates` turns it off, which the
//! `policy::tests::gates_change_no_decision` test compares against.

use std::cell::RefCell;
use std::sync::Mutex;

use aho_corasick::AhoCorasick;
use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Class, Hir, HirKind};

/// A rule's keywords below this many bytes are too common to gate on.
const MIN_KEYWORD_BYTES: usize = 3;
/// Most literals one rule may bring (beyond, it runs ungated).
const MAX_KEYWORDS_PER_RULE: usize = 2_000;

/// Every compiled rule's keywords (`None`: ungated), by rule id.
static REGISTRY: Mutex<Vec<Option<Vec<String>>>> = Mutex::new(Vec::new());

/// Registers a rule's pattern and returns its id: the handle `is_closed`
/// takes. Ids are never reused.
pub(crate) fn register(pattern: &str) -> usize {
    let keywords = keywords(pattern);
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    registry.push(keywords);
    registry.len() - 1
}

/// How many rules have been registered so far: a policy's rules are the
/// ids between the count before it compiled them and the count after.
pub(crate) fn registered() -> usize {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner()).len()
}

/// The case-folded literals one of which every match of `pattern` holds,
/// or `None` when there are none worth gating on: the best of the
/// literals every match starts with, those it ends with, and those it
/// holds somewhere inside (`required`), by their shortest keyword.
pub(crate) fn keywords(pattern: &str) -> Option<Vec<String>> {
    // A leading `(?i)` (most rules) is dropped before extraction: the
    // literals come out in one case instead of every case combination,
    // and folding them covers every case the rule accepts.
    let sensitive = pattern.strip_prefix("(?i)").unwrap_or(pattern);
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(sensitive)
        .ok()?;
    let inside = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()
        .and_then(|hir| required(&hir));
    [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            let seq = Extractor::new().kind(kind.clone()).extract(&hir);
            folded(&seq, matches!(kind, ExtractKind::Suffix))
        })
        .chain(inside.filter(|words| shortest(words) >= MIN_KEYWORD_BYTES))
        .max_by_key(|words| (shortest(words), std::cmp::Reverse(words.len())))
}

/// The length in bytes of the shortest of `words`.
fn shortest(words: &[String]) -> usize {
    words.iter().map(String::len).min().unwrap_or(0)
}

/// Most strings one sub-expression's literal set may hold (`exact`).
const MAX_EXACT: usize = 64;
/// Most characters of a class that is spelled out as literals (`exact`).
const MAX_CLASS_CHARS: usize = 16;

/// Every string `hir` can match, case-folded, when they are few: a
/// literal, a small class (`[oó]`, or one letter in all its cases), an
/// optional part, and concatenations and alternations of those.
fn exact(hir: &Hir) -> Option<Vec<String>> {
    let mut words = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![String::new()],
        HirKind::Literal(lit) => vec![fold(std::str::from_utf8(&lit.0).ok()?)],
        HirKind::Class(Class::Unicode(class)) => {
            let mut chars = class.iter().flat_map(|r| r.start()..=r.end());
            let chars: Vec<char> = chars.by_ref().take(MAX_CLASS_CHARS + 1).collect();
            if chars.len() > MAX_CLASS_CHARS {
                return None;
            }
            chars.iter().map(|c| fold(&c.to_string())).collect()
        }
        HirKind::Class(Class::Bytes(class)) => {
            let bytes: Vec<u8> = class
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .take(MAX_CLASS_CHARS + 1)
                .collect();
            if bytes.len() > MAX_CLASS_CHARS || !bytes.is_ascii() {
                return None;
            }
            bytes
                .iter()
                .map(|&b| fold(&char::from(b).to_string()))
                .collect()
        }
        HirKind::Capture(cap) => exact(&cap.sub)?,
        HirKind::Repetition(rep) if rep.max == Some(rep.min) || rep.max == Some(1) => {
            let one = exact(&rep.sub)?;
            let mut words = vec![String::new()];
            for _ in 0..rep.min {
                words = product(&words, &one)?;
            }
            if rep.max == Some(1) && rep.min == 0 {
                words.extend(one);
            }
            words
        }
        HirKind::Repetition(_) => return None,
        HirKind::Concat(subs) => {
            let mut words = vec![String::new()];
            for sub in subs {
                words = product(&words, &exact(sub)?)?;
            }
            words
        }
        HirKind::Alternation(subs) => {
            let mut words = Vec::new();
            for sub in subs {
                words.extend(exact(sub)?);
            }
            words
        }
    };
    words.sort();
    words.dedup();
    (words.len() <= MAX_EXACT).then_some(words)
}

/// Every `a` followed by every `b`, unless that is more than `MAX_EXACT`.
fn product(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() * b.len() > MAX_EXACT {
        return None;
    }
    Some(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| format!("{x}{y}")))
            .collect(),
    )
}

/// Case-folded strings one of which every match of `hir` holds somewhere:
/// in a concatenation, the best of its parts' own sets and of its runs of
/// spelled-out parts (`exact`); in an alternation, every branch's best.
/// `None` when some match need hold nothing (an optional part, a class).
fn required(hir: &Hir) -> Option<Vec<String>> {
    let better = |a: Option<Vec<String>>, b: Option<Vec<String>>| match (a, b) {
        (Some(a), Some(b)) => Some(
            if (shortest(&b), std::cmp::Reverse(b.len()))
                > (shortest(&a), std::cmp::Reverse(a.len()))
            {
                b
            } else {
                a
            },
        ),
        (a, b) => a.or(b),
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(_) | HirKind::Class(_) => exact(hir),
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Repetition(rep) if rep.min > 0 => better(exact(hir), required(&rep.sub)),
        HirKind::Repetition(_) => None,
        HirKind::Alternation(subs) => {
            if let Some(words) = exact(hir) {
                return Some(words);
            }
            let mut words = Vec::new();
            for sub in subs {
                words.extend(required(sub)?);
            }
            words.sort();
            words.dedup();
            (words.len() <= MAX_KEYWORDS_PER_RULE).then_some(words)
        }
        HirKind::Concat(subs) => {
            let mut best = None;
            let mut run: Option<Vec<String>> = None;
            for sub in subs {
                best = better(best, required(sub));
                match (exact(sub), run.take()) {
                    (Some(words), None) => run = Some(words),
                    (Some(words), Some(before)) => {
                        run = match product(&before, &words) {
                            Some(longer) => Some(longer),
                            None => {
                                best = better(best, Some(before));
                                Some(words)
                            }
                        }
                    }
                    (None, before) => best = better(best, before),
                }
            }
            better(best, run)
        }
    }
}

/// The literals of `seq`, folded and deduplicated; `None` when the set is
/// infinite, empty, too large, or holds a literal too short to be worth it.
/// A literal cut inside a character keeps its whole characters (on the
/// side the match is anchored to).
fn folded(seq: &Seq, suffix: bool) -> Option<Vec<String>> {
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > MAX_KEYWORDS_PER_RULE {
        return None;
    }
    let mut words: Vec<String> = Vec::with_capacity(literals.len());
    for lit in literals {
        let bytes = lit.as_bytes();
        let text = if suffix {
            let skip = bytes
                .iter()
                .take_while(|b| (0x80..0xC0).contains(*b))
                .count();
            std::str::from_utf8(&bytes[skip..]).ok()?
        } else {
            match std::str::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?,
            }
        };
        let word = fold(text);
        if word.len() < MIN_KEYWORD_BYTES {
            return None;
        }
        words.push(word);
    }
    words.sort();
    words.dedup();
    Some(words)
}

/// Characters whose lower case is not what the rest of their simple
/// case-folding class lower-cases to.
fn fold_special(c: char) -> Option<char> {
    Some(match c {
        'ſ' => 's',
        'µ' => 'μ',
        'ς' => 'σ',
        'ϐ' => 'β',
        'ϑ' => 'θ',
        'ϕ' => 'φ',
        'ϖ' => 'π',
        'ϰ' => 'κ',
        'ϱ' => 'ρ',
        'ϵ' => 'ε',
        '\u{345}' | '\u{1FBE}' => '\u{3B9}',
        '\u{1FD3}' => '\u{390}',
        '\u{1FE3}' => '\u{3B0}',
        '\u{FB05}' => '\u{FB06}',
        'ẛ' => 'ṡ',
        'ᲀ' => 'в',
        'ᲁ' => 'д',
        'ᲂ' => 'о',
        'ᲃ' => 'с',
        'ᲄ' | 'ᲅ' => 'т',
        'ᲆ' => 'ъ',
        'ᲇ' => 'ѣ',
        'ᲈ' => 'ꙋ',
        _ => return None,
    })
}

/// Appends the case-folded form of `c` to `out`: the same for every
/// character of one simple case-folding class.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if let Some(f) = fold_special(c) {
        out.push(f);
    } else {
        out.extend(c.to_lowercase());
    }
}

/// `text` case-folded character by character.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// A policy's gate: the keywords of the rules it compiled.
pub(crate) struct Gate {
    /// The policy's rule ids are `first..first + rules`.
    first: usize,
    rules: usize,
    /// One pattern per distinct keyword.
    keywords: Option<AhoCorasick>,
    /// The policy's rules (offsets from `first`) each keyword opens.
    opens: Vec<Vec<u32>>,
    /// The policy's rules that have keywords at all.
    gated: Vec<bool>,
}

/// What the gate found in one text, installed while it is evaluated.
struct Open {
    first: usize,
    /// By rule offset: may the rule run (ungated, or a keyword found)?
    open: Vec<bool>,
    /// The text's address range: only searches inside it are gated.
    from: usize,
    to: usize,
}

thread_local! {
    static OPEN: RefCell<Option<Open>> = const { RefCell::new(None) };
}

/// Uninstalls the gate when the evaluation ends (or unwinds), restoring
/// whatever was installed before.
pub(crate) struct Entered(Option<Open>);

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.0.take();
        OPEN.with(|o| *o.borrow_mut() = previous);
    }
}

impl Gate {
    /// The gate over the rules registered with ids `first..last`.
    pub(crate) fn new(first: usize, last: usize) -> Result<Self, aho_corasick::BuildError> {
        let registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
        let mut index: std::collections::HashMap<&str, usize> = Default::default();
        let mut words: Vec<&str> = Vec::new();
        let mut opens: Vec<Vec<u32>> = Vec::new();
        let mut gated = vec![false; last - first];
        for (offset, keywords) in registry[first..last].iter().enumerate() {
            let Some(keywords) = keywords else { continue };
            gated[offset] = true;
            for w in keywords {
                let k = *index.entry(w.as_str()).or_insert_with(|| {
                    words.push(w.as_str());
                    opens.push(Vec::new());
                    words.len() - 1
                });
                opens[k].push(offset as u32);
            }
        }
        let keywords = if words.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&words)?)
        };
        Ok(Self {
            first,
            rules: last - first,
            keywords,
            opens,
            gated,
        })
    }

    /// Finds the keywords in `text` and installs the result on this thread
    /// until the returned guard drops.
    pub(crate) fn enter(&self, text: &str) -> Entered {
        let mut open: Vec<bool> = self.gated.iter().map(|g| !g).collect();
        if let Some(ac) = &self.keywords {
            let folded = fold(text);
            let mut seen = vec![false; self.opens.len()];
            for m in ac.find_overlapping_iter(&folded) {
                let k = m.pattern().as_usize();
                if !seen[k] {
                    seen[k] = true;
                    for &r in &self.opens[k] {
                        open[r as usize] = true;
                    }
                }
            }
        }
        let from = text.as_ptr() as usize;
        let installed = Open {
            first: self.first,
            open,
            from,
            to: from + text.len(),
        };
        debug_assert_eq!(installed.open.len(), self.rules);
        Entered(OPEN.with(|o| o.borrow_mut().replace(installed)))
    }
}

/// Whether the installed gate rules out a match of rule `id` in `haystack`:
/// `true` only when the haystack lies in the gated text and none of the
/// rule's keywords occurs there.
#[inline]
pub(crate) fn is_closed(id: usize, haystack: &str) -> bool {
    OPEN.with(|o| {
        let o = o.borrow();
        let Some(open) = o.as_ref() else {
            return false;
        };
        let at = haystack.as_ptr() as usize;
        id >= open.first
            && at >= open.from
            && at + haystack.len() <= open.to
            && open.open.get(id - open.first).is_some_and(|may| !may)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

    /// `fold` gives one string for every character of a simple
    /// case-folding class, over all of Unicode: the soundness of gating
    /// case-insensitive rules rests on it.
    #[test]
    fn fold_is_constant_on_case_classes() {
        let mut wrong = Vec::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            class.case_fold_simple();
            let mine = fold(&c.to_string());
            for r in class.iter() {
                for other in r.start()..=r.end() {
                    if fold(&other.to_string()) != mine {
                        wrong.push((c, other));
                    }
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "fold differs within a case class: {wrong:?}"
        );
    }

    #[test]
    fn keywords_come_from_the_pattern() {
        assert_eq!(
            keywords(r"(?i)\b(?:send|PAY)\w*\b[^.!?\n]{0,40}x"),
            Some(vec!["pay".to_owned(), "send".to_owned()])
        );
        // Nothing to gate on: a leading class, or a too short literal.
        assert_eq!(keywords(r"[^.!?\n]{0,40}\d+"), None);
        assert_eq!(keywords(r"(?i)ab|cde"), None);
        // Found inside when neither end has one: the longest literal every
        // branch must hold, spelled out through small classes.
        assert_eq!(
            keywords(r"(?i)\b(?:no\s+need\s+to|without)\b"),
            Some(vec!["need".to_owned(), "without".to_owned()])
        );
        assert_eq!(
            keywords(r"(?i)[^.!?\n]{0,30}\s+gui[oó]n\s+bajo"),
            Some(vec!["guion".to_owned(), "guión".to_owned()])
        );
        // Found at the end when the start has none.
        assert_eq!(
            keywords(r"\d+\s*(?:euros|zł)"),
            Some(vec!["euros".to_owned(), "zł".to_owned()])
        );
    }

    #[test]
    fn a_closed_gate_only_covers_its_own_text() {
        let first = registered();
        let id = register(r"(?i)\bvenmo\b");
        let gate = Gate::new(first, registered()).expect("gate builds");
        let text = "pay me on zelle".to_owned();
        let other = "venmo".to_owned();
        {
            let _in = gate.enter(&text);
            assert!(is_closed(id, &text));
            assert!(is_closed(id, &text[4..]));
            assert!(!is_closed(id, &other), "another string runs ungated");
        }
        assert!(!is_closed(id, &text), "no gate outside an evaluation");
        let text = "pay me on VENMO".to_owned();
        let _in = gate.enter(&text);
        assert!(!is_closed(id, &text));
    }
}
