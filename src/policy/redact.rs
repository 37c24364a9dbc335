//! Findings → redacted text: overlapping spans merge into one placeholder.

use crate::domain::Action;

use super::decision::{Finding, Redaction};

/// The spans to replace: every contact finding whose action is `redact` or
/// stricter (a held message still shows staff what delivery would remove).
/// Overlapping spans merge; the strictest action, then the most specific kind,
/// names the placeholder.
pub fn plan(findings: &[Finding]) -> Vec<Redaction> {
    let mut spans: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.kind.is_contact() && f.action >= Action::Redact && f.start < f.end)
        .collect();
    spans.sort_by_key(|f| (f.start, f.end));

    let mut out: Vec<(Redaction, &Finding)> = Vec::new();
    for f in spans {
        if let Some((last, namer)) = out.last_mut()
            && f.start < last.end
        {
            last.end = last.end.max(f.end);
            if (f.action, f.kind.specificity()) > (namer.action, namer.kind.specificity()) {
                *namer = f;
                last.placeholder = f.kind.placeholder().to_owned();
            }
            continue;
        }
        out.push((
            Redaction {
                start: f.start,
                end: f.end,
                placeholder: f.kind.placeholder().to_owned(),
            },
            f,
        ));
    }
    out.into_iter().map(|(r, _)| r).collect()
}

/// Replaces each redaction (character offsets, sorted, disjoint) in `text`.
/// Every character outside a span is copied unchanged.
pub fn apply(text: &str, redactions: &[Redaction]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut next = redactions.iter().peekable();
    let mut skipping_until: Option<usize> = None;
    for (ci, ch) in text.chars().enumerate() {
        if let Some(end) = skipping_until {
            if ci < end {
                continue;
            }
            skipping_until = None;
        }
        while next.peek().is_some_and(|r| r.end <= ci) {
            next.next();
        }
        if let Some(r) = next.peek()
            && r.start == ci
        {
            out.push_str(&r.placeholder);
            skipping_until = Some(r.end);
            next.next();
            continue;
        }
        out.push(ch);
    }
    out
}
