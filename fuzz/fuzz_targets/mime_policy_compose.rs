//! Arbitrary bytes as a received mail: parsed, judged by the policy, composed for delivery.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| marketrelay::fuzz::mime_policy_compose(data));
