//! Table-driven fixture cases (`tests/fixtures/policy/*.toml`) and exactness tests.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::*;

const RELAY: &str = "relay.localhost";

fn policy() -> &'static Policy {
    static POLICY: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policy.toml");
        Policy::from_file(&path, RELAY).expect("config/policy.toml loads")
    });
    &POLICY
}

fn eval(text: &str) -> Decision {
    policy().evaluate(text, Direction::BuyerToSeller, &[])
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile {
    #[serde(rename = "case")]
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: Option<String>,
    text: String,
    #[serde(default = "default_direction")]
    direction: Direction,
    #[serde(default)]
    regions: Vec<String>,
    /// The exact set of kinds found.
    #[serde(default)]
    expect_kinds: Vec<FindingKind>,
    expect_action: Option<Action>,
    /// Rules that must be among the findings.
    #[serde(default)]
    expect_rules: Vec<String>,
    /// Substrings that must survive redaction.
    #[serde(default)]
    must_keep: Vec<String>,
    /// Substrings that must not survive redaction.
    #[serde(default)]
    must_remove: Vec<String>,
    expect_redacted: Option<String>,
}

fn default_direction() -> Direction {
    Direction::BuyerToSeller
}

fn fixture_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn check_case(case: &Case) -> Vec<String> {
    let d = policy().evaluate(&case.text, case.direction, &case.regions);
    let mut problems = Vec::new();
    let mut want = case.expect_kinds.clone();
    want.sort_by_key(|k| k.as_str());
    want.dedup();
    let mut got = d.kinds();
    got.sort_by_key(|k| k.as_str());
    if got != want {
        problems.push(format!("kinds: want {want:?}, got {got:?}"));
    }
    let want_action = case.expect_action.unwrap_or(if want.is_empty() {
        Action::Deliver
    } else {
        d.action
    });
    if d.action != want_action {
        problems.push(format!("action: want {want_action:?}, got {:?}", d.action));
    }
    for rule in &case.expect_rules {
        if !d.findings.iter().any(|f| &f.rule == rule) {
            problems.push(format!("rule {rule} did not fire"));
        }
    }
    for keep in &case.must_keep {
        if !d.redacted_text.contains(keep.as_str()) {
            problems.push(format!("{keep:?} was not kept"));
        }
    }
    for gone in &case.must_remove {
        if d.redacted_text.contains(gone.as_str()) {
            problems.push(format!("{gone:?} was not removed"));
        }
    }
    if let Some(r) = &case.expect_redacted
        && &d.redacted_text != r
    {
        problems.push(format!("redacted_text: want {r:?}"));
    }
    if !problems.is_empty() {
        problems.push(format!(
            "decision: {:?} findings {:?} redacted {:?}",
            d.action,
            d.findings
                .iter()
                .map(|f| {
                    let s: String = case
                        .text
                        .chars()
                        .skip(f.start)
                        .take(f.end - f.start)
                        .collect();
                    format!("{}:{}:{s:?}", f.kind.as_str(), f.rule)
                })
                .collect::<Vec<_>>(),
            d.redacted_text
        ));
    }
    problems
}

#[test]
fn fixture_cases_pass() {
    let mut ran = 0;
    let mut failures = Vec::new();
    for file in fixture_files() {
        let text = std::fs::read_to_string(&file).expect("fixture readable");
        let parsed: FixtureFile = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: invalid fixture: {e}", file.display()));
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        for (i, case) in parsed.cases.iter().enumerate() {
            ran += 1;
            let problems = check_case(case);
            if !problems.is_empty() {
                let name = case.name.clone().unwrap_or_else(|| format!("#{}", i + 1));
                failures.push(format!(
                    "{stem} case {name} ({:?}):\n    {}",
                    case.text,
                    problems.join("\n    ")
                ));
            }
        }
    }
    assert!(ran > 0, "no policy fixture case ran");
    assert!(
        failures.is_empty(),
        "{} of {ran} policy cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn policy_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Policy>();
}

#[test]
fn offsets_are_characters_and_everything_else_is_kept_byte_for_byte() {
    let text = "Grüße 😀 schreib mir: jürgen@gmail.com — danke ✓";
    let d = eval(text);
    assert_eq!(d.findings.len(), 1, "{d:?}");
    let f = &d.findings[0];
    let span: String = text.chars().skip(f.start).take(f.end - f.start).collect();
    assert_eq!(span, "jürgen@gmail.com");
    assert_eq!(f.kind, FindingKind::Email);
    assert_eq!(
        d.redacted_text,
        "Grüße 😀 schreib mir: [email removed] — danke ✓"
    );
    assert_eq!(
        d.redactions(),
        vec![Redaction {
            start: f.start,
            end: f.end,
            placeholder: "[email removed]".into()
        }]
    );
}

#[test]
fn spelled_out_digits_map_back_to_the_exact_words() {
    let text = "Call me: four one five five five five two six seven one, thanks";
    let d = eval(text);
    let phone = d
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Phone)
        .unwrap_or_else(|| panic!("no phone in {d:?}"));
    let span: String = text
        .chars()
        .skip(phone.start)
        .take(phone.end - phone.start)
        .collect();
    assert_eq!(span, "four one five five five five two six seven one");
    assert_eq!(d.redacted_text, "Call me: [phone removed], thanks");
}

#[test]
fn overlapping_findings_merge_into_one_placeholder() {
    let findings = vec![
        Finding {
            kind: FindingKind::Url,
            start: 2,
            end: 8,
            rule: "url.link".into(),
            action: Action::Redact,
        },
        Finding {
            kind: FindingKind::MessagingHandle,
            start: 5,
            end: 12,
            rule: "handle.app_link".into(),
            action: Action::Redact,
        },
        Finding {
            kind: FindingKind::OffsitePayment,
            start: 0,
            end: 14,
            rule: "payment.direct.en".into(),
            action: Action::Hold,
        },
    ];
    let plan = redact::plan(&findings);
    assert_eq!(
        plan,
        vec![Redaction {
            start: 2,
            end: 12,
            placeholder: "[messaging handle removed]".into()
        }]
    );
    assert_eq!(
        redact::apply("ab0123456789yz", &plan),
        "ab[messaging handle removed]yz"
    );
}

#[test]
fn intent_findings_are_flagged_but_not_replaced() {
    let text = "Please pay me via PayPal friends and family.";
    let d = eval(text);
    assert_eq!(d.action, Action::Hold);
    assert_eq!(d.redacted_text, text);
    assert!(d.redactions().is_empty());
}

#[test]
fn actions_follow_the_configured_direction() {
    let toml = r#"
        [actions.phone]
        buyer_to_seller = "block"
        seller_to_buyer = "deliver"
    "#;
    let p = Policy::from_toml(toml, RELAY).expect("valid");
    let text = "call +49 170 1234567";
    let b2s = p.evaluate(text, Direction::BuyerToSeller, &[]);
    assert_eq!(b2s.action, Action::Block);
    assert_eq!(b2s.redacted_text, "call [phone removed]");
    let s2b = p.evaluate(text, Direction::SellerToBuyer, &[]);
    assert_eq!(s2b.action, Action::Deliver);
    assert_eq!(s2b.redacted_text, text);
    assert_eq!(s2b.findings.len(), 1);
}

#[test]
fn empty_config_uses_defaults() {
    let p = Policy::from_toml("", RELAY).expect("valid");
    assert_eq!(
        p.config()
            .action(FindingKind::Email, Direction::BuyerToSeller),
        Action::Redact
    );
    assert_eq!(
        p.config()
            .action(FindingKind::OffsitePayment, Direction::SellerToBuyer),
        Action::Hold
    );
    assert!(p.config().is_allowlisted("x.relay.localhost"));
    assert!(!p.config().is_allowlisted("evilrelay.localhost"));
}

#[test]
fn bad_config_is_an_error_not_a_panic() {
    for bad in [
        "[actions.email]\nall = \"shred\"",
        "[actions.fax]\nall = \"redact\"",
        "[phone]\nregions = [\"XX1\"]",
        "[allowlist]\ndomains = [\"not a domain\"]",
        "this is not toml",
    ] {
        assert!(Policy::from_toml(bad, RELAY).is_err(), "accepted {bad:?}");
    }
}

#[test]
fn caller_region_hints_find_national_numbers_outside_the_default_set() {
    // A Brazilian mobile number in national format.
    let text = "meu número (11) 91234-5678";
    let p = policy();
    let with_hint = p.evaluate(text, Direction::BuyerToSeller, &["BR".to_owned()]);
    assert_eq!(with_hint.kinds(), vec![FindingKind::Phone], "{with_hint:?}");
}

/// A cheap fuzz: random strings drawn from an alphabet of troublesome pieces.
#[test]
fn never_panics_and_keeps_text_outside_spans() {
    let pieces = [
        "a",
        " ",
        "@",
        ".",
        "dot",
        " at ",
        "5",
        "0",
        "+",
        "-",
        "(",
        ")",
        "\n",
        "é",
        "ß",
        "😀",
        "\u{200B}",
        "\u{202E}",
        "\u{0301}",
        "٣",
        "５",
        "ｊ",
        "five",
        "telegram",
        "@x_y",
        ":",
        "wa.me/",
        "t.me/",
        "http://",
        "com",
        "de",
        "paypal",
        "review",
        "refund",
        "собака",
        "точка",
        "пять",
        "\u{FEFF}",
        "\u{00AD}",
        "ﬁ",
        "①",
        "\0",
        "/",
        "\t",
        "O",
        "l",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..400 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        let d = eval(&text);
        assert_redaction_is_exact(&text, &d);
    }
}

#[test]
fn nasty_inputs_do_not_panic() {
    let huge_digits = "1234567 ".repeat(5_000);
    let huge_mixed = "call five five five @shop_x on telegram, john at gmail dot com. ".repeat(500);
    let cases = [
        "",
        " ",
        "\u{FEFF}",
        "@",
        "@@@@",
        ".....",
        "+",
        "++++++++++++++++++++++++++++++++",
        "مرحبا، رقمي ٠١٧٠١٢٣٤٥٦٧ شكرا",
        "\u{202E}moc.liamg@nhoj\u{202C}",
        "😀😀😀 +49 170 1234567 😀😀😀",
        "e\u{0301}\u{0301}\u{0301}@x.com",
        "\u{0000}\u{0001}\u{001F}",
        "ǅǈǋ ﬀﬁﬂ ㍱ ℡ ™",
        huge_digits.as_str(),
        huge_mixed.as_str(),
    ];
    for text in cases {
        let d = eval(text);
        assert_redaction_is_exact(text, &d);
    }
}

fn assert_redaction_is_exact(text: &str, d: &Decision) {
    let chars: Vec<char> = text.chars().collect();
    for f in &d.findings {
        assert!(
            f.start < f.end && f.end <= chars.len(),
            "bad span {f:?} in {text:?}"
        );
        assert!(
            !f.rule.ends_with("detector_failed"),
            "a detector panicked on {text:?}"
        );
    }
    let mut rebuilt = String::new();
    let mut at = 0;
    for r in d.redactions() {
        assert!(r.start >= at, "redactions overlap in {text:?}: {d:?}");
        rebuilt.extend(&chars[at..r.start]);
        rebuilt.push_str(&r.placeholder);
        at = r.end;
    }
    rebuilt.extend(&chars[at..]);
    assert_eq!(rebuilt, d.redacted_text, "input {text:?}");
}

/// Prints the decision for each line of the file named by `POLICY_PROBE`:
/// `POLICY_PROBE=lines.txt cargo test --lib policy::tests::probe -- --ignored --nocapture`
#[test]
#[ignore]
fn probe() {
    let path = std::env::var("POLICY_PROBE").unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let d = eval(line);
        let f: Vec<String> = d
            .findings
            .iter()
            .map(|f| {
                let s: String = line.chars().skip(f.start).take(f.end - f.start).collect();
                format!("{}:{}:{s:?}", f.kind.as_str(), f.rule)
            })
            .collect();
        println!(
            "{:?} | {:?} | {}\n   {f:?}\n   normalized: {:?}",
            d.action,
            line,
            d.redacted_text,
            policy().normalizer.normalize(line).text
        );
    }
}

#[test]
fn a_broken_detector_fails_closed() {
    struct Broken;
    impl Detector for Broken {
        fn kind(&self) -> FindingKind {
            FindingKind::Phone
        }
        fn detect(&self, _: &Scan<'_>, _: &mut Vec<Hit>) {
            panic!("broken on purpose");
        }
    }
    let mut p = Policy::from_toml("", RELAY).expect("valid");
    p.detectors = vec![Box::new(Broken)];
    let d = p.evaluate("hello there", Direction::BuyerToSeller, &[]);
    assert_eq!(d.findings.len(), 1);
    assert_eq!(d.findings[0].rule, "phone.detector_failed");
    assert_eq!(d.action, Action::Hold);
    assert_eq!(d.redacted_text, "[phone removed]");
}

#[test]
fn consented_phone_numbers_pass_and_others_stay_redacted() {
    use super::{ConsentedPhones, EvalContext};
    let policy = Policy::from_toml("", "relay.localhost").unwrap();
    let text = "Call 0170 1234567 or my office +44 20 7946 0958";
    let none = policy.evaluate_in(text, Direction::BuyerToSeller, &EvalContext::default());
    assert_eq!(
        none.redacted_text,
        "Call [phone removed] or my office [phone removed]"
    );
    let only = EvalContext {
        regions: vec!["DE".into()],
        consented_phones: ConsentedPhones::Only(vec!["+491701234567".into()]),
        ..EvalContext::default()
    };
    let d = policy.evaluate_in(text, Direction::BuyerToSeller, &only);
    assert_eq!(
        d.redacted_text,
        "Call 0170 1234567 or my office [phone removed]"
    );
    assert!(
        d.findings
            .iter()
            .any(|f| f.rule == "phone.consented" && f.action == Action::Deliver)
    );
    assert_eq!(d.action, Action::Redact);
    let any = EvalContext {
        regions: vec![],
        consented_phones: ConsentedPhones::Any,
        ..EvalContext::default()
    };
    let d = policy.evaluate_in(text, Direction::BuyerToSeller, &any);
    assert_eq!(d.redacted_text, text);
    assert_eq!(d.action, Action::Deliver);
}

#[test]
fn phone_thresholds_come_from_the_config_and_are_validated() {
    let text = "call me: five five five one two three four";
    let default = Policy::from_toml("", "relay.localhost").unwrap();
    let d = default.evaluate(text, Direction::BuyerToSeller, &[]);
    assert!(
        d.findings.iter().any(|f| f.rule == "phone.spelled_out"),
        "{d:?}"
    );
    let strict =
        Policy::from_toml("[phone]\nspelled_out_min_words = 8\n", "relay.localhost").unwrap();
    let d = strict.evaluate(text, Direction::BuyerToSeller, &[]);
    assert!(
        !d.findings.iter().any(|f| f.rule == "phone.spelled_out"),
        "{d:?}"
    );
    assert_eq!(strict.config().spelled_out_min_words, 8);
    assert_eq!(strict.config().phone_min_digits, 7);
    for bad in [
        "[phone]\nmin_digits = 3\n",
        "[phone]\nspelled_out_min_words = 0\n",
        "[phone]\nmin_digit = 7\n",
    ] {
        assert!(Policy::from_toml(bad, "relay.localhost").is_err(), "{bad}");
    }
}

/// No crafted input makes the filter super-linear: each is judged at about
/// 1.5 KB and at eight times that, and the longer one may take at most 32
/// times as long (linear is eight; quadratic would be 64). Timed, not
/// counted: the two sizes run in turn seven times and the best of each
/// counts, so other work on the machine (the suite runs tests in
/// parallel) weighs on both alike.
#[test]
fn crafted_inputs_stay_linear() {
    let policy = policy();
    let time = |text: &str| {
        let t = std::time::Instant::now();
        // A seller's message: every detector runs on it.
        std::hint::black_box(policy.evaluate(text, Direction::SellerToBuyer, &[]));
        t.elapsed()
    };
    let small = super::crafted_inputs(1_500);
    let large = super::crafted_inputs(12_000);
    let mut slow = Vec::new();
    for ((name, s), (_, l)) in small.iter().zip(&large) {
        // The first run builds the rules' lazy automata; time warm ones.
        time(l);
        let (mut ts, mut tl) = (std::time::Duration::MAX, std::time::Duration::MAX);
        for _ in 0..7 {
            ts = ts.min(time(s));
            tl = tl.min(time(l));
        }
        // Below a millisecond the ratio is noise.
        let ratio = tl.as_secs_f64() / ts.as_secs_f64().max(1e-3);
        if ratio > 32.0 {
            slow.push(format!(
                "{name}: {ts:?} at {} B, {tl:?} at {} B",
                s.len(),
                l.len()
            ));
        }
    }
    assert!(slow.is_empty(), "super-linear: {slow:?}");
}

/// Where the time goes on each crafted input, per stage, at two sizes:
/// `cargo test --lib policy::tests::crafted_costs -- --ignored --nocapture`
#[test]
#[ignore]
fn crafted_costs() {
    let policy = policy();
    let n: usize = std::env::var("POLICY_CRAFTED_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4_000);
    // `POLICY_CRAFTED_ONLY=long_line` keeps one input (for a profiler).
    let only = std::env::var("POLICY_CRAFTED_ONLY").ok();
    let inputs = |size: usize| {
        super::crafted_inputs(size)
            .into_iter()
            .filter(|(name, _)| only.as_deref().is_none_or(|o| o == *name))
            .collect::<Vec<_>>()
    };
    // Build the rules' lazy automata first, so the figures are warm.
    for (_, text) in inputs(4 * n) {
        std::hint::black_box(policy.evaluate(&text, Direction::BuyerToSeller, &[]));
    }
    for size in [n, 4 * n] {
        for (name, text) in inputs(size) {
            let t = std::time::Instant::now();
            let normalized = policy.normalizer.normalize(&text);
            let mut line = format!("{name} {size}: normalize {:?}", t.elapsed());
            let scan = detectors::Scan {
                input: &text,
                normalized: &normalized,
                regions: &policy.regions,
                fallback_regions: &[],
                config: policy.config(),
                extra_allowed_domains: &[],
                // Every detector runs: some skip a buyer's messages.
                direction: Direction::SellerToBuyer,
                reading: super::Reading::Whole,
            };
            for d in &policy.detectors {
                let t = std::time::Instant::now();
                let mut hits = Vec::new();
                d.detect(&scan, &mut hits);
                line.push_str(&format!(", {} {:?}", d.kind().as_str(), t.elapsed()));
            }
            let t = std::time::Instant::now();
            std::hint::black_box(policy.evaluate(&text, Direction::BuyerToSeller, &[]));
            line.push_str(&format!(", evaluate {:?}", t.elapsed()));
            println!("{line}");
        }
    }
}

/// Held-out round 3: what batches 3 and 4 taught, one sentence per class,
/// written apart from the batches' own cases.
#[test]
fn round_three_classes() {
    let seller = |text: &str| policy().evaluate(text, Direction::SellerToBuyer, &[]);
    let held = |d: &Decision| d.action >= Action::Hold;

    // A seller asking whether the buyer has an app is held; a buyer asking
    // is delivered (`contact_request` buyer_to_seller = deliver).
    assert!(held(&seller(
        "Hast du WhatsApp? Dann schicke ich dir ein Video."
    )));
    assert!(!held(&eval(
        "Hast du WhatsApp? Dann schicke ich dir ein Video."
    )));
    // Asked to reply with a number; the courier used as the lever.
    assert!(held(&seller(
        "Please reply here with your mobile number so the parcel can go out."
    )));
    assert!(held(&seller(
        "Sin tu número de móvil no puedo hacer el envío. Si no me lo das hoy, cancelo."
    )));
    // Turning off-platform payment down, and an invoice's bank details after
    // the platform took the payment, are delivered.
    assert!(!held(&seller(
        "Non merci, pas de Lydia ni de virement, je paie par la plateforme."
    )));
    assert!(!held(&seller(
        "Our bank details on the invoice are IBAN GB29 NWBK 6016 1331 9268 19; payment has already been taken through the marketplace."
    )));
    // Card security digits asked for by where they are: blocked.
    assert_eq!(
        seller("To refund you I need the three digits on the back of your card.").action,
        Action::Block
    );
    // A gift hinted for a good review, tied to the next order: held.
    assert!(held(&seller(
        "A good review helps us a lot... and loyal customers always find a little surprise in their next parcel."
    )));
    // A number broken across the lines of a quoted reply.
    let d = eval("Here is the rest.\n\n> The courier can reach me on 07700\n\n900 316, after 4.");
    assert!(!d.redacted_text.contains("07700") && !d.redacted_text.contains("900 316"));
    // A provider and a name: the provider goes too, it is the address's domain.
    assert_eq!(
        eval("my hotmail is jess.rowe88, quicker than here").redacted_text,
        "my [email removed], quicker than here"
    );
    // The deal kept from the site: held.
    assert!(held(&eval(
        "I live nearby, could I collect it and pay you in person? Then we wouldn't need to put it through the site at all."
    )));
    // Words joined by underscores are a user name.
    assert!(
        !eval("I'm retro_rita_84 on there if you'd rather")
            .redacted_text
            .contains("retro_rita_84")
    );
}

/// Held-out round 4: what batch 5 taught, one sentence per class, written
/// apart from the batch's own cases.
#[test]
fn round_four_classes() {
    let seller = |text: &str| policy().evaluate(text, Direction::SellerToBuyer, &[]);
    let held = |d: &Decision| d.action >= Action::Hold;
    let hidden = |text: &str, part: &str| !eval(text).redacted_text.contains(part);

    // A local method offered by the marketplace's own checkout is delivered.
    assert!(!held(&eval(
        "Can I pay with Zelle on the payment page of the site, or only by card?"
    )));
    // The checkout left out, the middleman cut, settling on the doorstep: held.
    assert!(held(&seller(
        "For repeat orders skip the cart, just message me and it is cheaper for both of us."
    )));
    assert!(held(&seller(
        "Wir machen das gern ohne Plattformaufschlag, melden Sie sich einfach."
    )));
    assert!(held(&seller(
        "Komm am Samstag vorbei, das Finanzielle regeln wir dann vor Ort."
    )));
    // Review gating and a gift for a public word.
    assert!(held(&seller(
        "If anything is wrong, please write to me first before you rate the order."
    )));
    assert!(held(&seller(
        "Clients who share their experience on the product page get a small surprise in the next box 🎁"
    )));
    // A seller asking how to reach the buyer because this chat falls short.
    assert!(held(&seller(
        "The photos are too big for this chat. How can I reach you instead?"
    )));
    // A number in two halves, its start named after the rest.
    let text = "The rest is 552 1934.\n\n> my number starts with 0161";
    assert!(hidden(text, "552 1934") && hidden(text, "0161"));
    // Look-alike letters across dashes; symbols in runs.
    assert!(hidden("call me: O7 – 7l 2B 9O 44 1", "7l 2B"));
    assert!(hidden("text me 06 ✦✦ 21 ✦✦ 48 ✦✦ 73 ✦✦ 90", "48"));
    // A spelled address ending a sentence, a spelled path, a spaced shortener.
    assert!(hidden(
        "Write to anna point berg arobase orange point fr. Thanks!",
        "anna point berg"
    ));
    assert!(hidden(
        "see shop-anna point de slash sale today",
        "slash sale"
    ));
    assert!(hidden(
        "the link is bit ly / anna-sale-2 for you",
        "anna-sale-2"
    ));
    // A handle spaced around its dots.
    assert!(hidden("insta: @anna . berg . shop", "berg . shop"));
}

/// The 50 ms bound on crafted inputs, counted rather than timed: the phone
/// matcher (the one stage whose work per byte was large, about 40 µs a
/// digit group) never gets more than `MATCHER_BUDGET` units of work on one
/// message, however long, and every other stage is a linear-time regex or
/// Aho-Corasick pass. The crafted inputs at 1.5 KB and 64 KB both stay
/// within the budget, and the digit-dense ones over it at 64 KB still have
/// their digits reported (fail closed).
#[test]
fn crafted_inputs_bound_the_phone_matcher() {
    use super::detectors::phone::{MATCHER_BUDGET, SPENT, UNCHECKED, matcher_work};
    let policy = policy();
    let mut over = Vec::new();
    for size in [1_500, 64 * 1024] {
        for (name, text) in super::crafted_inputs(size) {
            let d = policy.evaluate(&text, Direction::BuyerToSeller, &[]);
            let spent = SPENT.get();
            if spent > MATCHER_BUDGET {
                over.push(format!("{name} at {size} B: {spent}"));
            }
            // Digit-dense text the matcher could not afford is redacted,
            // not let through.
            let dense = [
                "digits",
                "digit_groups",
                "phone_like",
                "tags",
                "emoji_split",
            ];
            if dense.contains(&name) && matcher_work(&text) > MATCHER_BUDGET {
                assert!(
                    d.findings.iter().any(|f| f.rule == UNCHECKED),
                    "{name}: unread digits let through"
                );
            }
        }
    }
    assert!(over.is_empty(), "over the matcher budget: {over:?}");
}

#[test]
fn extra_allowed_domains_let_links_pass_but_not_addresses_or_phishing() {
    let help = EvalContext {
        extra_allowed_domains: vec!["acme.de".into(), "xn--mller-kva.de".into()],
        ..EvalContext::default()
    };
    let judge = |text: &str, context: &EvalContext| {
        policy().evaluate_in(text, Direction::SellerToBuyer, context)
    };
    // Links to the domain and its subdomains pass; look-alikes do not.
    for text in [
        "The manual: https://manuals.acme.de/x200.pdf",
        "See acme.de/faq for the reset steps.",
        "Troubleshooting: https://hilfe.müller.de/x200",
    ] {
        let d = judge(text, &help);
        assert_eq!(d.redacted_text, text, "{text}");
        assert_eq!(d.action, Action::Deliver, "{text}");
        assert_ne!(judge(text, &EvalContext::default()).redacted_text, text);
    }
    let d = judge("Manual: https://acme.de.evil.example/x200", &help);
    assert!(d.findings.iter().any(|f| f.kind == FindingKind::Url));
    let d = judge("Manual: https://notacme.de/x200", &help);
    assert!(d.findings.iter().any(|f| f.kind == FindingKind::Url));
    // A help domain is for links: an address on it is still a contact detail.
    let d = judge("Write to support@acme.de about it", &help);
    assert!(d.findings.iter().any(|f| f.kind == FindingKind::Email));
    // Nor does it excuse asking for card details behind the link.
    let d = judge(
        "Please confirm your card number and CVV at https://acme.de/verify to get the refund",
        &help,
    );
    assert!(d.findings.iter().any(|f| f.kind == FindingKind::Phishing));
    assert_eq!(d.action, Action::Block);
}

/// A buyer telling the top marks they gave is not asking for them (blind
/// short messages found `review.top_marks` holding these); a seller asking
/// for them still is.
#[test]
fn a_buyer_telling_their_top_marks_is_not_review_manipulation() {
    let review = |d: &Decision| {
        d.findings
            .iter()
            .any(|f| f.kind == FindingKind::ReviewManipulation && f.rule.starts_with("review."))
    };
    for text in [
        "Hab Ihnen 5 Sterne gegeben, kam super schnell an.",
        "Te he puesto 5 estrellas, llegó todo perfecto.",
        "Ik heb je 5 sterren gegeven, alles kwam netjes aan.",
        "Dałam 5 gwiazdek, wszystko doszło w idealnym stanie.",
        "Поставила 5 звёзд, всё пришло целым.",
        "5 yıldız verdim, ürün sağlam geldi.",
        "Dei 5 estrelas, chegou tudo certinho.",
        "星5つ付けておきました。きれいな状態で届きました！",
    ] {
        let d = eval(text);
        assert!(!review(&d), "{text}: {:?}", d.findings);
    }
    let seller = |text: &str| policy().evaluate(text, Direction::SellerToBuyer, &[]);
    for text in [
        "5 Sterne für uns wären super, wir sind ein kleiner Laden.",
        "Five stars would really help our tiny shop!",
    ] {
        let d = seller(text);
        assert!(review(&d), "{text}: {:?}", d.findings);
    }
}

/// "Fica" is the site keeping a cut only with "com" ("o site fica com 10 %");
/// a reminder that the purchase "fica protegida" through the site's checkout
/// is no way around it (blind short messages found both held).
#[test]
fn a_reminder_to_pay_through_the_checkout_is_delivered() {
    let seller = |text: &str| policy().evaluate(text, Direction::SellerToBuyer, &[]);
    for text in [
        "Só lembrando: o pagamento é só pelo checkout do site, assim sua compra fica protegida.",
        "Relembro que o pagamento deve ser feito apenas pelo checkout do site, assim a encomenda fica protegida.",
    ] {
        let d = seller(text);
        assert!(
            !d.findings.iter().any(|f| f.rule == "payment.sidestep_site"),
            "{text}: {:?}",
            d.findings
        );
    }
    let d = seller("Se fecharmos fora, o site fica com nada e eu faço mais barato.");
    assert!(
        d.findings
            .iter()
            .any(|f| f.kind == FindingKind::OffsitePayment),
        "{:?}",
        d.findings
    );
}
