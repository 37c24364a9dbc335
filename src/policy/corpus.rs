//! The labelled corpus (`tests/corpus/*.jsonl`) and the quality bar the filter
//! must clear on it: contact recall, preservation of protected tokens, the
//! false-positive rate on benign messages and hold precision/recall.
//!
//! `cargo test --lib policy::corpus -- --nocapture` prints the table;
//! `POLICY_CORPUS_MISSES=1` also prints every miss.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::*;

/// The relay domain the corpus's relay addresses use.
const RELAY: &str = "relay.marketplace.example";

pub const MIN_CONTACT_RECALL: f64 = 0.98;
pub const MIN_PRESERVATION: f64 = 0.995;
pub const MAX_FALSE_POSITIVE_RATE: f64 = 0.01;
pub const MIN_HOLD_PRECISION: f64 = 0.90;
pub const MIN_HOLD_RECALL: f64 = 0.90;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    lang: String,
    class: String,
    text: String,
    direction: Direction,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    contacts: Vec<String>,
    #[serde(default)]
    protected: Vec<String>,
    expect_hold: bool,
    /// How the contact is disguised, for the per-style table.
    #[serde(default)]
    style: Option<String>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    cases: usize,
    contacts: usize,
    contacts_removed: usize,
    protected: usize,
    protected_kept: usize,
    benign: usize,
    benign_flagged: usize,
    hold_tp: usize,
    hold_fp: usize,
    hold_fn: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.cases += o.cases;
        self.contacts += o.contacts;
        self.contacts_removed += o.contacts_removed;
        self.protected += o.protected;
        self.protected_kept += o.protected_kept;
        self.benign += o.benign;
        self.benign_flagged += o.benign_flagged;
        self.hold_tp += o.hold_tp;
        self.hold_fp += o.hold_fp;
        self.hold_fn += o.hold_fn;
    }
    fn recall(&self) -> f64 {
        ratio(self.contacts_removed, self.contacts)
    }
    fn preservation(&self) -> f64 {
        ratio(self.protected_kept, self.protected)
    }
    fn fp_rate(&self) -> f64 {
        if self.benign == 0 {
            0.0
        } else {
            self.benign_flagged as f64 / self.benign as f64
        }
    }
    fn hold_precision(&self) -> f64 {
        ratio(self.hold_tp, self.hold_tp + self.hold_fp)
    }
    fn hold_recall(&self) -> f64 {
        ratio(self.hold_tp, self.hold_tp + self.hold_fn)
    }
    fn row(&self, name: &str) -> String {
        format!(
            "{name:<22} {:>5} {:>5} {:>7.3} {:>5} {:>7.3} {:>5} {:>6.3} {:>5} {:>6.3} {:>6.3}",
            self.cases,
            self.contacts,
            self.recall(),
            self.protected,
            self.preservation(),
            self.benign,
            self.fp_rate(),
            self.hold_tp + self.hold_fn,
            self.hold_precision(),
            self.hold_recall(),
        )
    }
}

/// 1.0 when there is nothing to measure.
fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

fn load_cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("corpus file reads");
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let case: Case = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", file.display(), n + 1));
            cases.push(case);
        }
    }
    cases
}

/// Character ranges of every occurrence of `needle` in `text`.
fn occurrences(text: &str, needle: &str) -> Vec<(usize, usize)> {
    let n = needle.chars().count();
    text.match_indices(needle)
        .map(|(b, _)| {
            let s = text[..b].chars().count();
            (s, s + n)
        })
        .collect()
}

fn judge(policy: &Policy, case: &Case, misses: &mut Vec<String>) -> Tally {
    let d = policy.evaluate(&case.text, case.direction, &case.regions);
    let spans = d.redactions();
    let covered =
        |s: usize, e: usize| (s..e).all(|c| spans.iter().any(|r| r.start <= c && c < r.end));
    let mut t = Tally {
        cases: 1,
        ..Tally::default()
    };
    for c in &case.contacts {
        t.contacts += 1;
        let occ = occurrences(&case.text, c);
        assert!(
            !occ.is_empty(),
            "{}: contact {c:?} is not in the text",
            case.id
        );
        if occ.iter().all(|&(s, e)| covered(s, e)) {
            t.contacts_removed += 1;
        } else {
            misses.push(format!(
                "{} MISSED {c:?}\n    {:?}\n    -> {:?}",
                case.id, case.text, d.redacted_text
            ));
        }
    }
    for p in &case.protected {
        assert!(
            case.text.contains(p.as_str()),
            "{}: protected {p:?} is not in the text",
            case.id
        );
        t.protected += 1;
        if d.redacted_text.contains(p.as_str()) {
            t.protected_kept += 1;
        } else {
            misses.push(format!(
                "{} ATE {p:?}\n    {:?}\n    -> {:?}",
                case.id, case.text, d.redacted_text
            ));
        }
    }
    let held = d.action >= Action::Hold;
    let benign = case.contacts.is_empty() && !case.expect_hold;
    if benign {
        t.benign = 1;
        if held || !spans.is_empty() {
            t.benign_flagged = 1;
            let rules: Vec<&str> = d.findings.iter().map(|f| f.rule.as_str()).collect();
            misses.push(format!(
                "{} FALSE POSITIVE {rules:?}\n    {:?}\n    -> {:?}",
                case.id, case.text, d.redacted_text
            ));
        }
    }
    match (case.expect_hold, held) {
        (true, true) => t.hold_tp = 1,
        (false, true) => {
            t.hold_fp = 1;
            if !benign {
                misses.push(format!("{} UNEXPECTED HOLD {:?}", case.id, case.text));
            }
        }
        (true, false) => {
            t.hold_fn = 1;
            misses.push(format!("{} NOT HELD {:?}", case.id, case.text));
        }
        (false, false) => {}
    }
    t
}

#[test]
fn corpus_meets_the_quality_bar() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policy.toml");
    let policy = Policy::from_file(&path, RELAY).expect("config/policy.toml loads");
    let cases = load_cases();
    assert!(cases.len() >= 1000, "the corpus has {} cases", cases.len());

    let mut misses = Vec::new();
    let mut total = Tally::default();
    let mut by_lang: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_class: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_style: BTreeMap<String, Tally> = BTreeMap::new();
    let started = std::time::Instant::now();
    for case in &cases {
        let t = judge(&policy, case, &mut misses);
        total.add(&t);
        by_lang.entry(case.lang.clone()).or_default().add(&t);
        by_class.entry(case.class.clone()).or_default().add(&t);
        if let Some(style) = &case.style {
            by_style
                .entry(format!("{}/{style}", case.class))
                .or_default()
                .add(&t);
        }
    }

    let header = format!(
        "{:<22} {:>5} {:>5} {:>7} {:>5} {:>7} {:>5} {:>6} {:>5} {:>6} {:>6}",
        "", "cases", "cont", "recall", "prot", "kept", "benig", "fp", "holds", "h.prec", "h.rec"
    );
    println!("{header}");
    for (name, t) in by_lang.iter().chain(&by_class).chain(&by_style) {
        println!("{}", t.row(name));
    }
    println!("{}", total.row("TOTAL"));
    let bytes: usize = cases.iter().map(|c| c.text.len()).sum();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "judged {} cases, {bytes} bytes, in {:.0} ms ({:.2} MB/s, this build's profile)",
        cases.len(),
        secs * 1000.0,
        bytes as f64 / secs / 1e6
    );
    if std::env::var_os("POLICY_CORPUS_MISSES").is_some() {
        for m in &misses {
            println!("{m}");
        }
    }

    let mut failures = Vec::new();
    if total.benign < 400 {
        failures.push(format!("only {} benign messages", total.benign));
    }
    if total.recall() < MIN_CONTACT_RECALL {
        failures.push(format!("contact recall {:.4}", total.recall()));
    }
    if total.preservation() < MIN_PRESERVATION {
        failures.push(format!("preservation {:.4}", total.preservation()));
    }
    if total.fp_rate() > MAX_FALSE_POSITIVE_RATE {
        failures.push(format!("false-positive rate {:.4}", total.fp_rate()));
    }
    if total.hold_precision() < MIN_HOLD_PRECISION {
        failures.push(format!("hold precision {:.4}", total.hold_precision()));
    }
    if total.hold_recall() < MIN_HOLD_RECALL {
        failures.push(format!("hold recall {:.4}", total.hold_recall()));
    }
    assert!(
        failures.is_empty(),
        "corpus below the bar: {}\n{}",
        failures.join(", "),
        misses.join("\n")
    );
}

/// Where evaluation time goes, per stage, over the corpus:
/// `cargo test --release --lib policy::corpus::stage_costs -- --ignored --nocapture`
#[test]
#[ignore]
fn stage_costs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policy.toml");
    let policy = Policy::from_file(&path, RELAY).expect("config/policy.toml loads");
    let cases = load_cases();
    let regions: Vec<rlibphonenumber::Region> = policy
        .config()
        .regions
        .iter()
        .filter_map(|r| rlibphonenumber::Region::from_code(r).ok())
        .collect();
    let t = std::time::Instant::now();
    let normalized: Vec<_> = cases
        .iter()
        .map(|c| policy.normalizer.normalize(&c.text))
        .collect();
    println!("normalize: {:?}", t.elapsed());
    // The first pass builds the lazy DFAs and the matcher's regexes; the
    // second shows the steady state.
    for pass in ["cold", "warm"] {
        for d in &policy.detectors {
            let t = std::time::Instant::now();
            for (c, n) in cases.iter().zip(&normalized) {
                let scan = detectors::Scan {
                    input: &c.text,
                    normalized: n,
                    regions: &regions,
                    config: policy.config(),
                };
                let mut hits = Vec::new();
                d.detect(&scan, &mut hits);
            }
            println!("{pass} {}: {:?}", d.kind().as_str(), t.elapsed());
        }
    }
}

/// Every decision the filter makes on the corpus, the fixtures and variants
/// of both (upper case, lower case, ten messages glued into one body), one
/// line each, so a change meant to be behaviour-preserving can be checked by
/// comparing two runs:
///
/// `POLICY_SNAPSHOT=before.txt cargo test --release --lib policy::corpus::decision_snapshot -- --ignored`
#[test]
#[ignore]
fn decision_snapshot() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policy.toml");
    let policy = Policy::from_file(&path, RELAY).expect("config/policy.toml loads");
    let cases = load_cases();
    let mut texts: Vec<(String, Direction, Vec<String>)> = Vec::new();
    for c in &cases {
        texts.push((c.text.clone(), c.direction, c.regions.clone()));
        texts.push((c.text.clone(), c.direction, Vec::new()));
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy");
    let mut files: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures exist")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("fixture reads");
        let value: toml::Value = toml::from_str(&text).expect("fixture parses");
        for case in value
            .get("case")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(t) = case.get("text").and_then(|t| t.as_str()) {
                texts.push((t.to_owned(), Direction::BuyerToSeller, Vec::new()));
                texts.push((t.to_owned(), Direction::SellerToBuyer, Vec::new()));
            }
        }
    }
    let base = texts.len();
    for i in 0..base {
        let (t, d, r) = texts[i].clone();
        texts.push((t.to_uppercase(), d, r.clone()));
        texts.push((t.to_lowercase(), d, r));
    }
    for sep in ["\n\n", " ", ". "] {
        for chunk in cases.chunks(10) {
            let body = chunk
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(sep);
            texts.push((body, Direction::BuyerToSeller, Vec::new()));
        }
    }
    let mut out = String::new();
    for (text, direction, regions) in &texts {
        let d = policy.evaluate(text, *direction, regions);
        out.push_str(&format!("{text:?} {direction:?} {regions:?} => {d:?}\n"));
    }
    println!("{} decisions", texts.len());
    if let Ok(target) = std::env::var("POLICY_SNAPSHOT") {
        std::fs::write(target, out).expect("snapshot writes");
    }
}
