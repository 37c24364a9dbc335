//! Arbitrary client bytes, cut into reads at arbitrary points, through one SMTP session.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| marketrelay::fuzz::smtp_session(data));
