//! Phone numbers: libphonenumber's matcher (`Leniency::Valid`) over the input
//! and over the normalised copy, plus long runs of spelled-out digits.

use regex::Regex;
use rlibphonenumber::phonenumber_matcher::{Leniency, PHONE_MATCHER_FACTORY};

use super::{Detector, Hit, Scan, floor_boundary};
use crate::policy::decision::FindingKind;

/// No cap on candidates: a cap would let every number after it through, and
/// the matcher's work is already linear in the text.
const MAX_TRIES: u64 = u64::MAX;

pub struct PhoneDetector {
    /// Words just before a number that make it an order, tracking or reference number.
    not_a_phone_before: Regex,
    /// A match that is a date, or runs into a time or a currency: not a phone number.
    date_or_amount: Regex,
    /// A run of 7 to 15 digits with light separators, in the normalised text.
    digit_run: Regex,
}

impl PhoneDetector {
    pub fn new() -> Result<Self, regex::Error> {
        // Build the matcher's tables now rather than on the first message.
        std::sync::LazyLock::force(&PHONE_MATCHER_FACTORY);
        Ok(Self {
            not_a_phone_before: Regex::new(
                r"(?i)(?:tracking|track|sendung\w*|paket\w*|shipment|parcel|order|bestell\w*|auftrag\w*|invoice|rechnung\w*|заказ\w*|трек\w*|накладн\w*|отправлени\w*|przesył\w*|paczk\w*|zamówieni\w*|faktur\w*|dhl|ups|usps|fedex|hermes|dpd|gls|ref(?:erence)?|artikel\w*|item|asin|sku|ean|isbn|plz|postcode|zip|iban|konto\w*|account)\s*(?:(?:number|nummer|no|nr|num|id|code|#|№|номер)\.?\s*)*[:#№]?\s*$",
            )?,
            date_or_amount: Regex::new(
                r"^(?:\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b",
            )?,
            digit_run: Regex::new(r"\d(?:[ \t\-./,()]{0,3}\d){6,14}")?,
        })
    }

    fn is_excluded(&self, text: &str, start: usize, end: usize) -> bool {
        let from = floor_boundary(text, start.saturating_sub(48));
        let before = &text[from..floor_boundary(text, start)];
        let raw = &text[floor_boundary(text, start)..floor_boundary(text, end)];
        let after = text[floor_boundary(text, end)..].trim_start_matches(' ');
        self.not_a_phone_before.is_match(before)
            || self.is_date(raw)
            || (after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit()))
            || after.starts_with(['€', '$', '£', '₽', '%'])
            || after.starts_with("zł")
            || before.trim_end_matches(' ').ends_with(['€', '$', '£', '₽'])
    }

    /// A date at the start of the match, not followed by more digit groups
    /// ("06.12.34.56.78" is a French phone number, "06.12.2024" is not).
    fn is_date(&self, raw: &str) -> bool {
        self.date_or_amount.find(raw).is_some_and(|m| {
            let mut rest = raw[m.end()..].chars();
            !(matches!(rest.next(), Some('.' | '-' | '/'))
                && rest.next().is_some_and(|c| c.is_ascii_digit()))
        })
    }

    fn matches(&self, scan: &Scan<'_>, text: &str) -> Vec<(usize, usize)> {
        PHONE_MATCHER_FACTORY
            .matcher_builder(text)
            .leniency(Leniency::Valid)
            .max_tries(MAX_TRIES)
            .regions(scan.regions.iter().copied())
            .build()
            .map(|m| (m.start, m.end()))
            .filter(|&(s, e)| s < e && e <= text.len() && !self.is_excluded(text, s, e))
            .collect()
    }
}

impl Detector for PhoneDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::Phone
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        for (start, end) in self.matches(scan, scan.input) {
            hits.push(Hit {
                kind: FindingKind::Phone,
                start,
                end,
                rule: "phone.libphonenumber".to_owned(),
            });
        }

        let norm = scan.normalized;
        if norm.text != scan.input {
            for (start, end) in self.matches(scan, &norm.text) {
                hits.extend(scan.hit_normalized(
                    FindingKind::Phone,
                    start,
                    end,
                    "phone.libphonenumber.normalized",
                ));
            }
        }

        // "five five five, one two three four ..." is a phone number even when
        // no region's numbering plan accepts it: nobody spells out order numbers.
        for m in self.digit_run.find_iter(&norm.text) {
            let digits = m.as_str().bytes().filter(u8::is_ascii_digit).count();
            let spelled = norm.spelled_digits_in(m.start(), m.end());
            if digits >= 7 && spelled >= 3 && !self.is_excluded(&norm.text, m.start(), m.end()) {
                hits.extend(scan.hit_normalized(
                    FindingKind::Phone,
                    m.start(),
                    m.end(),
                    "phone.spelled_out",
                ));
            }
        }
    }
}
