//! Trains the intent model from the labelled corpus and writes `model.bin`.
//!
//! `cargo test --lib policy::intent::train -- --ignored --nocapture`
//!
//! The objective is softmax regression's: the weighted cross-entropy of
//! every case plus `‖W‖² / 2C`. Messages to hold and messages to deliver
//! weigh the same in total (the corpus has more of the second). It is
//! minimised by mini-batch AdaGrad with decoupled weight decay, in a fixed
//! order, so the same corpus gives the same bytes.
//!
//! `POLICY_MODEL_BATCHES=1,2,...` trains on other held-out batches than
//! [`TRAINED_ON`] (to score a batch the model has not seen) and
//! `POLICY_MODEL_OUT=path` writes elsewhere than the shipped file.

use std::path::Path;

use super::features::{self, BUCKETS};
use super::{IntentModel, K, TRAINED_ON};
use crate::policy::corpus::{Case, heldout_batches, load_cases};

/// Inverse regularisation strength (chosen on batch 10 left out).
const C: f32 = 10.0;
const EPOCHS: usize = 40;
const BATCH: usize = 32;
const RATE: f32 = 0.5;

/// The class a labelled case belongs to, in `CLASSES` order.
fn label(case: &Case) -> usize {
    if case.expect_block || case.class == "phishing" {
        return 5;
    }
    if !case.expect_hold {
        return 0;
    }
    match case.class.as_str() {
        "offsite_payment" => 1,
        "review_manipulation" => 2,
        "promotional" => 4,
        // Asking for the buyer's contact, pressing for it, or a seller
        // moving the talk to their own channel.
        _ => 3,
    }
}

struct Example {
    x: Vec<(u32, f32)>,
    seller: f32,
    y: usize,
    weight: f32,
}

fn training_cases() -> Vec<Case> {
    let batches: Vec<String> = match std::env::var("POLICY_MODEL_BATCHES") {
        Ok(list) => list.split(',').map(|b| b.trim().to_owned()).collect(),
        Err(_) => TRAINED_ON.iter().map(|b| (*b).to_owned()).collect(),
    };
    // The tuned corpus, and short messages the model alone learns from
    // (`tests/corpus/intent`, outside the rules' quality bar).
    let mut cases = load_cases("tests/corpus");
    cases.extend(load_cases("tests/corpus/intent"));
    for (name, batch) in heldout_batches() {
        let number = name.split('-').next().unwrap_or(&name);
        if batches.iter().any(|b| b == number) {
            cases.extend(batch);
        }
    }
    cases
}

/// A deterministic shuffle (xorshift), so training is reproducible.
fn shuffle(order: &mut [usize], seed: &mut u64) {
    for i in (1..order.len()).rev() {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        order.swap(i, (*seed % (i as u64 + 1)) as usize);
    }
}

#[test]
#[ignore]
fn train() {
    let cases = training_cases();
    let held = cases.iter().filter(|c| label(c) != 0).count();
    let n = cases.len() as f32;
    let (w_none, w_held) = (n / (2.0 * (n - held as f32)), n / (2.0 * held as f32));
    let data: Vec<Example> = cases
        .iter()
        .map(|c| {
            let y = label(c);
            Example {
                x: features::features(&c.text),
                seller: f32::from(u8::from(
                    c.direction == crate::domain::Direction::SellerToBuyer,
                )),
                y,
                weight: if y == 0 { w_none } else { w_held },
            }
        })
        .collect();
    println!("{} cases, {held} to hold", data.len());

    let mut model = IntentModel {
        weights: vec![0.0f32; K * BUCKETS],
        seller: [0.0f32; K],
        bias: [0.0f32; K],
    };
    let mut g2 = vec![0.0f32; K * BUCKETS];
    let (mut bias_g2, mut seller_g2) = ([0.0f32; K], [0.0f32; K]);
    let mut grad = vec![0.0f32; K * BUCKETS];
    let mut touched: Vec<usize> = Vec::new();
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let decay = BATCH as f32 / (C * n);
    for epoch in 0..EPOCHS {
        shuffle(&mut order, &mut seed);
        let mut loss = 0.0f32;
        for chunk in order.chunks(BATCH) {
            let (mut bias_grad, mut seller_grad) = ([0.0f32; K], [0.0f32; K]);
            for &i in chunk {
                let e = &data[i];
                let z = model.classify(&e.x, e.seller);
                loss -= e.weight * z[e.y].max(1e-12).ln();
                for (k, p) in z.iter().enumerate() {
                    let g = e.weight * (p - f32::from(u8::from(k == e.y)));
                    bias_grad[k] += g;
                    seller_grad[k] += g * e.seller;
                    for (j, v) in &e.x {
                        let at = k * BUCKETS + *j as usize;
                        if grad[at] == 0.0 {
                            touched.push(at);
                        }
                        grad[at] += g * v;
                    }
                }
            }
            for &at in &touched {
                let g = grad[at];
                g2[at] += g * g;
                model.weights[at] -= RATE * g / (g2[at].sqrt() + 1e-8);
                grad[at] = 0.0;
            }
            touched.clear();
            for k in 0..K {
                bias_g2[k] += bias_grad[k] * bias_grad[k];
                model.bias[k] -= RATE * bias_grad[k] / (bias_g2[k].sqrt() + 1e-8);
                seller_g2[k] += seller_grad[k] * seller_grad[k];
                model.seller[k] -= RATE * seller_grad[k] / (seller_g2[k].sqrt() + 1e-8);
            }
            for v in &mut model.weights {
                *v -= RATE * decay * *v;
            }
        }
        println!("epoch {epoch}: loss {:.4}", loss / n);
    }

    let out = model.to_bytes();
    let path = std::env::var("POLICY_MODEL_OUT").unwrap_or_else(|_| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/policy/intent/model.bin")
            .display()
            .to_string()
    });
    std::fs::write(&path, out).expect("the model writes");
    println!("wrote {path}");
}
