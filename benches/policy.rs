//! Throughput of `Policy::evaluate` with every detector on, over the labelled
//! corpus (`tests/corpus/*.jsonl`): short marketplace messages in seven
//! languages, benign and hostile mixed as they come, and the same text glued
//! into email-sized bodies of about 2 KB.
//!
//! `cargo bench --bench policy -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group};
use marketrelay::domain::Direction;
use marketrelay::policy::Policy;

fn corpus() -> Vec<(String, Direction)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("corpus file reads");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("corpus line parses");
            let direction = match v["direction"].as_str() {
                Some("seller_to_buyer") => Direction::SellerToBuyer,
                _ => Direction::BuyerToSeller,
            };
            out.push((v["text"].as_str().unwrap_or_default().to_owned(), direction));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policy.toml");
    let policy = Policy::from_file(&path, "relay.marketplace.example").expect("policy loads");
    let messages = corpus();

    let mut group = c.benchmark_group("evaluate");
    let bytes: usize = messages.iter().map(|(t, _)| t.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("corpus_messages", |b| {
        b.iter(|| {
            for (text, direction) in &messages {
                black_box(policy.evaluate(black_box(text), *direction, &[]));
            }
        })
    });

    // Email-sized bodies: ten messages of one language per body.
    let bodies: Vec<String> = messages
        .chunks(10)
        .map(|chunk| {
            chunk
                .iter()
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .collect();
    let bytes: usize = bodies.iter().map(String::len).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("email_bodies", |b| {
        b.iter(|| {
            for body in &bodies {
                black_box(policy.evaluate(black_box(body), Direction::BuyerToSeller, &[]));
            }
        })
    });
    group.finish();

    // Crafted worst cases, one detector pushed at a time, each about 64 KB:
    // none may take more than 50 ms.
    let mut group = c.benchmark_group("worst_cases");
    group.sample_size(10);
    for (name, text) in marketrelay::policy::crafted_inputs(64 * 1024) {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| black_box(policy.evaluate(black_box(&text), Direction::BuyerToSeller, &[])))
        });
    }
    group.finish();
}

/// The policy's memory: `POLICY_MEMORY=8 target/release/deps/policy-<hash>`
/// builds it, judges the corpus and the email bodies once on each of 8
/// threads at once, and prints the process's resident memory (Linux,
/// `/proc/self/status`) after each step, instead of benchmarking.
fn memory(threads: usize) {
    let rss = |step: &str| {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .map(|l| l[name.len()..].trim().to_owned())
                .unwrap_or_default()
        };
        println!(
            "{step}: VmRSS {}, VmHWM {}",
            field("VmRSS:"),
            field("VmHWM:")
        );
    };
    rss("start");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policy.toml");
    let policy = Policy::from_file(&path, "relay.marketplace.example").expect("policy loads");
    rss("policy built");
    let messages = corpus();
    let bodies: Vec<String> = messages
        .chunks(10)
        .map(|c| {
            c.iter()
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        })
        .collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for (text, direction) in &messages {
                    black_box(policy.evaluate(text, *direction, &[]));
                }
                for body in &bodies {
                    black_box(policy.evaluate(body, Direction::BuyerToSeller, &[]));
                }
            });
        }
    });
    rss(&format!("corpus judged on {threads} threads"));
}

criterion_group!(benches, bench);

fn main() {
    if let Some(threads) = std::env::var("POLICY_MEMORY")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        memory(threads);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
