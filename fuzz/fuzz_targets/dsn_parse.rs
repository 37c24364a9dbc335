//! Arbitrary bytes as a bounce arriving at a return path, through the DSN parser.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| marketrelay::fuzz::dsn_parse(data));
