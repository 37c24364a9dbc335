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
pub(super) struct Case {
    pub(super) id: String,
    lang: String,
    pub(super) class: String,
    pub(super) text: String,
    pub(super) direction: Direction,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    contacts: Vec<String>,
    #[serde(default)]
    protected: Vec<String>,
    pub(super) expect_hold: bool,
    /// Phishing: the message must be blocked, not only held.
    #[serde(default)]
    pub(super) expect_block: bool,
    /// A hold case that states nothing outright (an implied incentive, a
    /// veiled off-site payment), counted apart in the held-out tables.
    #[serde(default)]
    subtle: bool,
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
    /// Benign messages held or blocked: not delivered at all.
    benign_undelivered: usize,
    hold_tp: usize,
    hold_fp: usize,
    hold_fn: usize,
    subtle: usize,
    subtle_held: usize,
    blocks: usize,
    blocked: usize,
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
        self.benign_undelivered += o.benign_undelivered;
        self.hold_tp += o.hold_tp;
        self.hold_fp += o.hold_fp;
        self.hold_fn += o.hold_fn;
        self.subtle += o.subtle;
        self.subtle_held += o.subtle_held;
        self.blocks += o.blocks;
        self.blocked += o.blocked;
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
    fn undelivered_rate(&self) -> f64 {
        if self.benign == 0 {
            0.0
        } else {
            self.benign_undelivered as f64 / self.benign as f64
        }
    }
    fn subtle_recall(&self) -> f64 {
        ratio(self.subtle_held, self.subtle)
    }
    fn block_recall(&self) -> f64 {
        ratio(self.blocked, self.blocks)
    }
    fn hold_precision(&self) -> f64 {
        ratio(self.hold_tp, self.hold_tp + self.hold_fp)
    }
    fn hold_recall(&self) -> f64 {
        ratio(self.hold_tp, self.hold_tp + self.hold_fn)
    }
    /// The held-out figures beyond the table's columns.
    fn print_extra(&self) {
        println!(
            "benign not delivered {}/{} ({:.3}); subtle holds {}/{} ({:.3}); phishing blocked {}/{} ({:.3})",
            self.benign_undelivered,
            self.benign,
            self.undelivered_rate(),
            self.subtle_held,
            self.subtle,
            self.subtle_recall(),
            self.blocked,
            self.blocks,
            self.block_recall()
        );
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

/// Every case in the `.jsonl` files of `dir` (relative to the crate root),
/// sorted by file name, without descending into subfolders.
pub(super) fn load_cases(dir: &str) -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
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

/// The held-out batches: each subfolder of `tests/corpus/heldout`, by name.
pub(super) fn heldout_batches() -> Vec<(String, Vec<Case>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/heldout");
    let mut dirs: Vec<String> = std::fs::read_dir(&root)
        .expect("tests/corpus/heldout exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let cases = load_cases(&format!("tests/corpus/heldout/{d}"));
            (d, cases)
        })
        .collect()
}

/// `heldout_scores` prints only the batches named in
/// `POLICY_HELDOUT_BATCHES` ("5" or "3,5"), when it is set: a quicker look
/// at the batch being learned from.
fn selected_batch(name: &str) -> bool {
    let batch = name.split('-').next().unwrap_or(name);
    std::env::var("POLICY_HELDOUT_BATCHES")
        .map(|list| list.split(',').any(|b| b.trim() == batch))
        .unwrap_or(true)
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
    // A block is a hold and more: a case that must be blocked must not be
    // delivered, and is never benign (batch 4 labels phishing only with
    // `expect_block`).
    let expect_hold = case.expect_hold || case.expect_block;
    let benign = case.contacts.is_empty() && !expect_hold;
    if benign {
        t.benign = 1;
        if held {
            t.benign_undelivered = 1;
        }
        if held || !spans.is_empty() {
            t.benign_flagged = 1;
            let rules: Vec<&str> = d.findings.iter().map(|f| f.rule.as_str()).collect();
            misses.push(format!(
                "{} FALSE POSITIVE {rules:?}\n    {:?}\n    -> {:?}",
                case.id, case.text, d.redacted_text
            ));
        }
    }
    if expect_hold && case.subtle {
        t.subtle = 1;
        t.subtle_held = usize::from(held);
    }
    if case.expect_block {
        t.blocks = 1;
        if d.action == Action::Block {
            t.blocked = 1;
        } else {
            misses.push(format!("{} NOT BLOCKED {:?}", case.id, case.text));
        }
    }
    match (expect_hold, held) {
        (true, true) => t.hold_tp = 1,
        (false, true) => {
            t.hold_fp = 1;
            if !benign {
                let rules: Vec<&str> = d
                    .findings
                    .iter()
                    .filter(|f| f.action >= Action::Hold)
                    .map(|f| f.rule.as_str())
                    .collect();
                misses.push(format!(
                    "{} UNEXPECTED HOLD {rules:?} {:?}",
                    case.id, case.text
                ));
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

/// Tallies of one evaluation run, whole and by language, class and disguise.
struct Report {
    total: Tally,
    by_lang: BTreeMap<String, Tally>,
    by_class: BTreeMap<String, Tally>,
    by_style: BTreeMap<String, Tally>,
    misses: Vec<String>,
}

fn score(policy: &Policy, cases: &[Case]) -> Report {
    let mut report = Report {
        total: Tally::default(),
        by_lang: BTreeMap::new(),
        by_class: BTreeMap::new(),
        by_style: BTreeMap::new(),
        misses: Vec::new(),
    };
    for case in cases {
        let t = judge(policy, case, &mut report.misses);
        report.total.add(&t);
        report.by_lang.entry(case.lang.clone()).or_default().add(&t);
        report
            .by_class
            .entry(case.class.clone())
            .or_default()
            .add(&t);
        if let Some(style) = &case.style {
            report
                .by_style
                .entry(format!("{}/{style}", case.class))
                .or_default()
                .add(&t);
        }
    }
    report
}

impl Report {
    fn print(&self) {
        println!(
            "{:<22} {:>5} {:>5} {:>7} {:>5} {:>7} {:>5} {:>6} {:>5} {:>6} {:>6}",
            "",
            "cases",
            "cont",
            "recall",
            "prot",
            "kept",
            "benig",
            "fp",
            "holds",
            "h.prec",
            "h.rec"
        );
        for (name, t) in self
            .by_lang
            .iter()
            .chain(&self.by_class)
            .chain(&self.by_style)
        {
            println!("{}", t.row(name));
        }
        println!("{}", self.total.row("TOTAL"));
        if std::env::var_os("POLICY_CORPUS_MISSES").is_some() {
            for m in &self.misses {
                println!("{m}");
            }
        }
    }
}

fn policy_as_shipped() -> Policy {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policy.toml");
    Policy::from_file(&path, RELAY).expect("config/policy.toml loads")
}

#[test]
fn corpus_meets_the_quality_bar() {
    let policy = policy_as_shipped();
    let cases = load_cases("tests/corpus");
    assert!(cases.len() >= 1000, "the corpus has {} cases", cases.len());

    let started = std::time::Instant::now();
    let report = score(&policy, &cases);
    let secs = started.elapsed().as_secs_f64();
    report.print();
    let total = &report.total;
    let bytes: usize = cases.iter().map(|c| c.text.len()).sum();
    println!(
        "judged {} cases, {bytes} bytes, in {:.0} ms ({:.2} MB/s, this build's profile)",
        cases.len(),
        secs * 1000.0,
        bytes as f64 / secs / 1e6
    );

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
        report.misses.join("\n")
    );
}

/// What a held-out batch must keep scoring. The targets are contact
/// recall 0.97 overall and 0.93 in every language, preservation 0.995,
/// benign messages not delivered at most 1 %, hold precision and recall 0.9
/// and subtle holds 0.8; where the rules do not reach a target yet, the bar
/// is the level they reach, so that a regression fails (docs/policy.md
/// says which targets are met).
struct HeldoutBar {
    /// Batch number: the folders `N-*` are scored together.
    batch: &'static str,
    contact_recall: f64,
    language_recall: f64,
    preservation: f64,
    max_undelivered: f64,
    hold_precision: f64,
    hold_recall: f64,
    subtle: f64,
    phishing_blocked: f64,
}

const HELDOUT_BARS: &[HeldoutBar] = &[
    HeldoutBar {
        batch: "1",
        contact_recall: HELDOUT_1_CONTACT_RECALL,
        language_recall: HELDOUT_1_LANGUAGE_RECALL,
        preservation: HELDOUT_1_PRESERVATION,
        max_undelivered: 0.01,
        hold_precision: 0.90,
        hold_recall: 0.90,
        subtle: 0.80,
        phishing_blocked: 0.95,
    },
    HeldoutBar {
        // Batch 2 after learning from it (first score in
        // docs/policy/heldout-2-first-score.txt): a little below what it
        // reaches, the targets where it reaches them. Contact
        // recall (0.936, Japanese 0.833) is short of the targets.
        batch: "2",
        contact_recall: 0.93,
        language_recall: 0.83,
        preservation: 0.995,
        max_undelivered: 0.01,
        hold_precision: 0.97,
        hold_recall: 0.97,
        subtle: 0.96,
        phishing_blocked: 0.95,
    },
    HeldoutBar {
        // Batch 3 after round 3 learned from it (first scores in
        // docs/policy/heldout-3-first-score.txt; labels corrected in
        // tests/corpus/heldout/CORRECTIONS.md): floors at its round-3 score,
        // still short of the targets.
        batch: "3",
        contact_recall: 0.80,
        language_recall: 0.69,
        preservation: 0.95,
        max_undelivered: 0.02,
        hold_precision: 0.90,
        hold_recall: 0.89,
        subtle: 0.83,
        phishing_blocked: 0.98,
    },
    HeldoutBar {
        // Batch 4 after round 3 learned from it (first score on round 2's
        // rules in docs/policy/heldout-4-first-score.txt): floors at its
        // round-3 score.
        batch: "4",
        contact_recall: 0.86,
        language_recall: 0.75,
        preservation: 0.98,
        max_undelivered: 0.01,
        hold_precision: 0.98,
        hold_recall: 0.90,
        subtle: 0.80,
        phishing_blocked: 1.0,
    },
    HeldoutBar {
        // Batch 5 after round 4 learned from it (first score on round 2's
        // rules in docs/policy/heldout-5-first-score.txt, label corrected in
        // tests/corpus/heldout/CORRECTIONS.md): floors at its round-4 score.
        batch: "5",
        contact_recall: 0.96,
        language_recall: 0.90,
        preservation: 0.97,
        max_undelivered: 0.01,
        hold_precision: 0.97,
        hold_recall: 0.94,
        subtle: 0.89,
        phishing_blocked: 0.95,
    },
    HeldoutBar {
        // Batch 6 after round 5 learned from it by class (first score on
        // round 3's rules in docs/policy/heldout-6-first-score.txt, round 4's
        // and round 5's in docs/policy/heldout-round5-scores.txt): a little
        // below what it reaches (recall 0.941, English 0.833, preservation
        // 1.000, 1 of 78 benign held, holds 0.979 / 0.986, subtle 54/56).
        batch: "6",
        contact_recall: 0.93,
        language_recall: 0.82,
        preservation: 0.995,
        max_undelivered: 0.02,
        hold_precision: 0.97,
        hold_recall: 0.98,
        subtle: 0.95,
        phishing_blocked: 1.0,
    },
    HeldoutBar {
        // Batch 7, written blind while round 5 learned from batch 6 and
        // not learned from yet (first scores on round 4's and round 5's
        // rules in docs/policy/heldout-7-first-score.txt): a floor at its
        // round-5 score (recall 0.883, Russian 0.700, preservation 0.990,
        // 4 of 65 benign held, holds 0.967 / 0.694, subtle 21/51,
        // phishing 18/20), so later rounds cannot lose ground on it.
        // Learned from in round 6 for contact details (by class, tuned
        // cases in tests/corpus/contacts-r6.jsonl; before and after in
        // docs/policy/heldout-round6-contacts.txt): recall 1.000 in every
        // language, preservation 1.000; floors just under, one miss a
        // language allowed. Holds and blocks learned from in round 6 too:
        // floors just under what they reach (no benign message held,
        // holds 1.000 / 0.953, subtle 51/51, phishing 20/20).
        batch: "7",
        contact_recall: 0.99,
        language_recall: 0.94,
        preservation: 0.995,
        max_undelivered: 0.01,
        hold_precision: 0.99,
        hold_recall: 0.95,
        subtle: 0.98,
        phishing_blocked: 0.99,
    },
    HeldoutBar {
        // Batch 8: first score on round 5's rules (recall 0.845, holds
        // 0.958 / 0.640: docs/policy/heldout-8-first-score.txt), learned
        // from in round 7 (recall 1.000, preservation 1.000, holds 1.000 /
        // 0.978, subtle 33/33): a floor just under the learned figures.
        batch: "8",
        contact_recall: 0.99,
        language_recall: 0.95,
        preservation: 0.995,
        max_undelivered: 0.01,
        hold_precision: 0.99,
        hold_recall: 0.97,
        subtle: 0.97,
        phishing_blocked: 1.0,
    },
    // Batch 9, learned from in round 8 (first score on round 6's rules:
    // docs/policy/heldout-9-first-score.txt; unseen on round 7's:
    // heldout-9-round7.txt; round 8: heldout-round8-contacts.txt and
    // heldout-round8-holds.txt). Learned figures, not held-out ones.
    HeldoutBar {
        batch: "9",
        contact_recall: 0.985,
        language_recall: 0.89,
        preservation: 0.995,
        max_undelivered: 0.01,
        hold_precision: 0.99,
        hold_recall: 0.99,
        subtle: 0.97,
        phishing_blocked: 1.0,
    },
    // Batch 10, still unseen, on round 8's rules (first score on round 7's:
    // docs/policy/heldout-10-first-score.txt; round 8's: heldout-10-round8.txt).
    HeldoutBar {
        batch: "10",
        contact_recall: 0.875,
        language_recall: 0.78,
        preservation: 0.995,
        max_undelivered: 0.08,
        hold_precision: 0.96,
        hold_recall: 0.67,
        subtle: 0.40,
        phishing_blocked: 1.0,
    },
    // Batch 11, unseen by the rules and by the intent model (trained on
    // batches 1-10): its first score on round 8's rules alone is in
    // docs/policy/heldout-11-first-score.txt; these floors are its score
    // with the model (docs/policy.md, "The intent model"). Preservation is
    // low by design: the writers protected return codes and receipts shaped
    // exactly like local mobiles.
    HeldoutBar {
        batch: "11",
        contact_recall: 0.905,
        language_recall: 0.76,
        preservation: 0.95,
        max_undelivered: 0.11,
        hold_precision: 0.93,
        hold_recall: 0.81,
        subtle: 0.69,
        phishing_blocked: 1.0,
    },
];

/// The promotional cases (`promo.jsonl`, ids `<lang>-promo-NNN` and
/// `<lang>-promo-ok-NNN`), held and passed in every language, one by one.
#[test]
fn promotional_cases_pass_one_by_one() {
    tagged_cases_pass_one_by_one("-promo-", 100);
}

/// The tuned cases whose ids hold `tag` (at least `min` of them) pass one
/// by one: the quality bar's averages would hide one of them lost.
fn tagged_cases_pass_one_by_one(tag: &str, min: usize) {
    let policy = policy_as_shipped();
    let cases: Vec<Case> = load_cases("tests/corpus")
        .into_iter()
        .filter(|c| c.id.contains(tag))
        .collect();
    assert!(cases.len() >= min, "only {} {tag} cases", cases.len());
    let mut misses = Vec::new();
    for case in &cases {
        judge(&policy, case, &mut misses);
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// Round 6's contact cases (`contacts-r6.jsonl`, ids `<lang>-r6c-NNN`),
/// one or more per class of wording learned from batch 7, pass one by one.
#[test]
fn round_six_contact_cases_pass_one_by_one() {
    tagged_cases_pass_one_by_one("-r6c-", 40);
}

/// Round 7's contact cases (`contacts-r7.jsonl`, ids `<lang>-r7c-NNN`),
/// one or more per class of wording learned from batch 8 and guards beside
/// them, pass one by one.
#[test]
fn round_seven_contact_cases_pass_one_by_one() {
    tagged_cases_pass_one_by_one("-r7c-", 100);
}

/// Round 8's contact cases (`contacts-r8.jsonl`, ids `<lang>-r8c-NNN`),
/// one or more per class of wording learned from batch 9 (a site or
/// provider named with the name there, letters and symbols for digits, a
/// country code said, part, return and tracking numbers, spelled marks)
/// and guards beside them, pass one by one.
#[test]
fn round_eight_contact_cases_pass_one_by_one() {
    tagged_cases_pass_one_by_one("-r8c-", 80);
}

/// Round 7's hold cases (`holds-r7.jsonl`, ids `<lang>-r7h-NNN`), one or
/// more per class of wording learned from batch 8 (a seller moving the
/// talk to their own channel, the order skipped for a payment by hand, a
/// review to be looked at again, pressure, requests, phishing headed by an
/// alert word) and the counter-examples beside them.
#[test]
fn round_seven_hold_cases_pass_one_by_one() {
    tagged_cases_pass_one_by_one("-r7h-", 60);
}

/// Round 8's hold cases (`holds-r8.jsonl`, ids `<lang>-r8h-NNN`), one or
/// more per class of wording learned from batch 9 (a sale moved to the
/// seller's own channel, buying or a better price there, the seller leaving
/// the platform; the sum agreed brought by hand with the order let lapse or
/// the listing taken down; a review to be retold or left out of date;
/// waiting for the buyer's number, the platform's number setting under a
/// threat) and the counter-examples beside them (a refusal with the
/// platform named, honest talk about a review, the call button in the app).
#[test]
fn round_eight_hold_cases_pass_one_by_one() {
    tagged_cases_pass_one_by_one("-r8h-", 60);
}

/// Batch 1's levels where the target is not reached yet.
const HELDOUT_1_CONTACT_RECALL: f64 = 0.95;
const HELDOUT_1_LANGUAGE_RECALL: f64 = 0.88;
const HELDOUT_1_PRESERVATION: f64 = 0.995;

/// Every held-out batch clears its bar. A batch without one fails: score it
/// first (`heldout_scores`), keep that first score in
/// `docs/policy/heldout-N-first-score.txt`, then add its bar here.
#[test]
fn heldout_batches_meet_their_bar() {
    let policy = policy_as_shipped();
    let mut by_batch: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    for (name, cases) in heldout_batches() {
        let batch = name.split('-').next().unwrap_or(&name).to_owned();
        by_batch.entry(batch).or_default().extend(cases);
    }
    assert!(!by_batch.is_empty(), "no held-out batch");
    let mut failures = Vec::new();
    for (batch, cases) in &by_batch {
        let Some(bar) = HELDOUT_BARS.iter().find(|b| b.batch == batch) else {
            failures.push(format!(
                "held-out batch {batch} has no bar: record its first score in docs/policy/heldout-{batch}-first-score.txt and add it to HELDOUT_BARS"
            ));
            continue;
        };
        let report = score(&policy, cases);
        let t = &report.total;
        let mut check = |what: &str, got: f64, ok: bool| {
            if !ok {
                failures.push(format!("batch {batch}: {what} {got:.4}"));
            }
        };
        check(
            "contact recall",
            t.recall(),
            t.recall() >= bar.contact_recall,
        );
        for (lang, l) in &report.by_lang {
            check(
                &format!("contact recall in {lang}"),
                l.recall(),
                l.recall() >= bar.language_recall,
            );
        }
        check(
            "preservation",
            t.preservation(),
            t.preservation() >= bar.preservation,
        );
        check(
            "benign not delivered",
            t.undelivered_rate(),
            t.undelivered_rate() <= bar.max_undelivered,
        );
        check(
            "hold precision",
            t.hold_precision(),
            t.hold_precision() >= bar.hold_precision,
        );
        check(
            "hold recall",
            t.hold_recall(),
            t.hold_recall() >= bar.hold_recall,
        );
        check(
            "subtle holds",
            t.subtle_recall(),
            t.subtle_recall() >= bar.subtle,
        );
        check(
            "phishing blocked",
            t.block_recall(),
            t.block_recall() >= bar.phishing_blocked,
        );
    }
    assert!(
        failures.is_empty(),
        "held-out below the bar: {}",
        failures.join("; ")
    );
}

/// The held-out batches, scored one by one and together, with the figures
/// the tuned corpus does not show: benign messages not delivered at all,
/// subtle holds and phishing blocks.
/// `cargo test --lib policy::corpus::heldout -- --ignored --nocapture`
#[test]
#[ignore]
fn heldout_scores() {
    let policy = policy_as_shipped();
    let batches = heldout_batches();
    assert!(!batches.is_empty(), "no held-out batch");
    let mut by_batch: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    for (name, cases) in batches.into_iter().filter(|(n, _)| selected_batch(n)) {
        println!("== held-out batch {name}: {} cases", cases.len());
        let report = score(&policy, &cases);
        report.print();
        report.total.print_extra();
        let batch = name.split('-').next().unwrap_or(&name).to_owned();
        by_batch.entry(batch).or_default().extend(cases);
    }
    // Each batch whole (its `N-*` folders together), as the bar judges it.
    let mut all = Vec::new();
    for (batch, cases) in by_batch {
        println!("== batch {batch} whole: {} cases", cases.len());
        let report = score(&policy, &cases);
        report.print();
        report.total.print_extra();
        all.extend(cases);
    }
    println!("== all held-out batches: {} cases", all.len());
    if let Ok(out) = std::env::var("POLICY_DECISIONS_OUT") {
        write_decisions(&policy, &all, &out);
    }
    let report = score(&policy, &all);
    report.print();
    report.total.print_extra();
}

/// One line per case, `id<TAB>action<TAB>rules`, for reading decisions
/// outside the tables (`POLICY_DECISIONS_OUT=path` on `heldout_scores`).
fn write_decisions(policy: &Policy, cases: &[Case], path: &str) {
    let mut out = String::new();
    for case in cases {
        let d = policy.evaluate(&case.text, case.direction, &case.regions);
        let rules: Vec<&str> = d.findings.iter().map(|f| f.rule.as_str()).collect();
        out.push_str(&format!(
            "{}\t{:?}\t{}\n",
            case.id,
            d.action,
            rules.join(",")
        ));
    }
    std::fs::write(path, out).expect("the decisions file writes");
}

/// Where evaluation time goes, per stage, over the corpus:
/// `cargo test --release --lib policy::corpus::stage_costs -- --ignored --nocapture`
#[test]
#[ignore]
fn stage_costs() {
    let policy = policy_as_shipped();
    let cases = load_cases("tests/corpus");
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
    for pass in ["cold", "warm"] {
        let t = std::time::Instant::now();
        for c in &cases {
            std::hint::black_box(policy.normalizer.normalize(&c.text));
        }
        println!("{pass} normalize: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        for c in &cases {
            std::hint::black_box(regions::infer(&c.text));
            std::hint::black_box(regions::infer_from_words(&c.text));
        }
        println!("{pass} regions: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        for c in &cases {
            std::hint::black_box(policy.evaluate(&c.text, c.direction, &[]));
        }
        println!("{pass} evaluate: {:?}", t.elapsed());
    }
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
                    fallback_regions: &[],
                    config: policy.config(),
                    extra_allowed_domains: &[],
                    direction: c.direction,
                    reading: super::Reading::Whole,
                };
                let mut hits = Vec::new();
                d.detect(&scan, &mut hits);
            }
            println!("{pass} {}: {:?}", d.kind().as_str(), t.elapsed());
        }
    }
}

/// FNV-1a, 64 bits: a hash that stays the same across Rust releases.
fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A text judged for the snapshot: its direction and region hints.
type Judged = (String, Direction, Vec<String>);

/// The committed snapshot of every decision: see `decisions_match_the_snapshot`.
const SNAPSHOT: &str = "tests/corpus/decision-snapshot.txt";

/// Every decision the filter makes on the corpus (with and without the
/// case's region hints, and upper-cased), on the fixtures (both directions)
/// and on the corpus glued ten messages at a time into email bodies, one
/// line per case, fixture or body: its name and a hash of its texts' actions,
/// findings and redacted texts.
fn decision_lines(policy: &Policy) -> Vec<String> {
    let mut groups: Vec<(String, Vec<Judged>)> = Vec::new();
    let cases = load_cases("tests/corpus");
    for c in &cases {
        groups.push((
            c.id.clone(),
            vec![
                (c.text.clone(), c.direction, c.regions.clone()),
                (c.text.clone(), c.direction, Vec::new()),
                (c.text.to_uppercase(), c.direction, Vec::new()),
            ],
        ));
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
        let name = file.file_stem().unwrap_or_default().to_string_lossy();
        for (n, case) in value
            .get("case")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(t) = case.get("text").and_then(|t| t.as_str()) {
                groups.push((
                    format!("fixture:{name}:{n}"),
                    vec![
                        (t.to_owned(), Direction::BuyerToSeller, Vec::new()),
                        (t.to_owned(), Direction::SellerToBuyer, Vec::new()),
                    ],
                ));
            }
        }
    }
    for (k, chunk) in cases.chunks(10).enumerate() {
        let body = chunk
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        groups.push((
            format!("body:{k}"),
            vec![(body, Direction::BuyerToSeller, Vec::new())],
        ));
    }
    groups
        .iter()
        .map(|(name, texts)| {
            let mut all = String::new();
            for (text, direction, regions) in texts {
                let d = policy.evaluate(text, *direction, regions);
                all.push_str(&format!(
                    "{:?} {:?} {}\n",
                    d.action, d.findings, d.redacted_text
                ));
            }
            format!("{name} {:016x}", fnv64(all.as_bytes()))
        })
        .collect()
}

/// The filter decides exactly as the committed snapshot says, on every
/// corpus case, fixture and glued body: a change meant to keep behaviour
/// (speed work) proves it here. A change meant to alter decisions rewrites
/// the snapshot with `POLICY_SNAPSHOT_UPDATE=1` and shows the lines it
/// changed in review.
#[test]
fn decisions_match_the_snapshot() {
    let policy = policy_as_shipped();
    let lines = decision_lines(&policy);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    let now = lines.join("\n") + "\n";
    if std::env::var_os("POLICY_SNAPSHOT_UPDATE").is_some() {
        std::fs::write(&path, &now).expect("snapshot writes");
        return;
    }
    let before = std::fs::read_to_string(&path).expect("the decision snapshot exists");
    let changed: Vec<String> = before
        .lines()
        .zip(now.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("{a} -> {b}"))
        .take(20)
        .collect();
    assert!(
        changed.is_empty() && before.lines().count() == now.lines().count(),
        "{} of {} decisions differ from {SNAPSHOT} (first ones: {changed:?})",
        before
            .lines()
            .zip(now.lines())
            .filter(|(a, b)| a != b)
            .count(),
        lines.len()
    );
}

/// The decisions on chosen cases of the tuned corpus and the held-out
/// batches, to read what a snapshot change is:
/// `POLICY_CASES=en-hard-067,pl-hard-061 cargo test --lib policy::corpus::show_decisions -- --ignored --nocapture`
#[test]
#[ignore]
fn show_decisions() {
    let policy = policy_as_shipped();
    let wanted = std::env::var("POLICY_CASES").unwrap_or_default();
    let wanted: Vec<&str> = wanted.split(',').map(str::trim).collect();
    let mut cases = load_cases("tests/corpus");
    for (_, batch) in heldout_batches() {
        cases.extend(batch);
    }
    for c in cases.iter().filter(|c| wanted.contains(&c.id.as_str())) {
        let d = policy.evaluate(&c.text, c.direction, &c.regions);
        let rules: Vec<&str> = d.findings.iter().map(|f| f.rule.as_str()).collect();
        println!(
            "{} {:?} expect_hold={} {:?} {rules:?}\n    {:?}\n    -> {:?}",
            c.id, c.direction, c.expect_hold, d.action, c.text, d.redacted_text
        );
    }
}

/// Every text the gating and budget tests judge: the tuned corpus (with
/// and without the case's regions, and upper-cased, as the snapshot), every
/// held-out batch, the corpus glued into email bodies, and the crafted
/// inputs.
fn every_text() -> Vec<(String, Direction, Vec<String>)> {
    let mut cases = load_cases("tests/corpus");
    let tuned = cases.len();
    for (_, batch) in heldout_batches() {
        cases.extend(batch);
    }
    let mut texts = Vec::new();
    for (n, c) in cases.iter().enumerate() {
        texts.push((c.text.clone(), c.direction, c.regions.clone()));
        texts.push((c.text.clone(), c.direction, Vec::new()));
        if n < tuned {
            texts.push((c.text.to_uppercase(), c.direction, Vec::new()));
        }
    }
    for chunk in cases.chunks(10) {
        let body = chunk
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        texts.push((body, Direction::BuyerToSeller, Vec::new()));
    }
    for (_, text) in super::crafted_inputs(3_000) {
        texts.push((text, Direction::BuyerToSeller, Vec::new()));
    }
    texts
}

/// The keyword gates (`policy::gate`) only skip rules that cannot match:
/// with them and without them, every decision is the same, on the tuned
/// corpus, every held-out batch (all of them, as they are added) and the
/// crafted inputs. A rule added later is gated by its own pattern's
/// literals; this keeps proving it.
#[test]
fn gates_change_no_decision() {
    let gated = policy_as_shipped();
    let ungated = policy_as_shipped().with_gates(false);
    let mut differ = Vec::new();
    let texts = every_text();
    for (text, direction, regions) in &texts {
        let a = gated.evaluate(text, *direction, regions);
        let b = ungated.evaluate(text, *direction, regions);
        if a != b {
            differ.push(format!(
                "{:?}: {:?} {:?} without gates, {:?} {:?} with",
                text.chars().take(80).collect::<String>(),
                b.action,
                b.findings,
                a.action,
                a.findings
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} decisions change with the gates: {:?}",
        differ.len(),
        texts.len(),
        &differ[..differ.len().min(5)]
    );
}

/// The phone matcher's budget (`detectors::phone::MATCHER_BUDGET`) is never
/// reached by a realistic message: no corpus case, held-out case or email
/// body of them has a stretch left unread, so the budget changes no
/// decision there. The largest work seen is printed to size the margin.
#[test]
fn phone_budget_is_never_reached_by_real_messages() {
    use super::detectors::phone;
    let policy = policy_as_shipped();
    let crafted: Vec<String> = super::crafted_inputs(3_000)
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let mut most = 0;
    let mut unread = Vec::new();
    for (text, direction, regions) in every_text() {
        if crafted.contains(&text) {
            continue;
        }
        let normalized = policy.normalizer.normalize(&text);
        most = most.max(phone::matcher_work(&text) + phone::matcher_work(&normalized.text));
        let d = policy.evaluate(&text, direction, &regions);
        if d.findings.iter().any(|f| f.rule == phone::UNCHECKED) {
            unread.push(text.chars().take(80).collect::<String>());
        }
    }
    println!(
        "largest matcher work of a message: {most} of {}",
        phone::MATCHER_BUDGET
    );
    assert!(unread.is_empty(), "over the phone budget: {unread:?}");
    assert!(
        most * 2 <= phone::MATCHER_BUDGET,
        "less than twice the largest real work"
    );
}
