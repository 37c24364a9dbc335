//! A buyer's phone number as the operator supplies it, kept in E.164 form.

use std::fmt;

use rlibphonenumber::{PhoneNumber as ParsedNumber, PhoneNumberFormat};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhoneError {
    #[error("a phone number must be in international form, starting with + and the country code")]
    NotInternational,
    #[error("not a valid phone number")]
    Invalid,
}

/// A valid number in E.164 form (`+491701234567`). Like a real email
/// address, `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts any common international spelling (`+49 170 1234567`,
    /// `+49 (0)170-123 4567`) of a number valid for its country.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let input = input.trim();
        if !input.starts_with('+') {
            return Err(PhoneError::NotInternational);
        }
        let parsed = ParsedNumber::parse(input, None).map_err(|_| PhoneError::Invalid)?;
        if !parsed.is_valid() {
            return Err(PhoneError::Invalid);
        }
        Ok(Self(parsed.format_as(PhoneNumberFormat::E164).into_owned()))
    }

    /// For values read back from storage, which were parsed on the way in.
    pub fn from_stored(e164: String) -> Self {
        Self(e164)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(<redacted>)")
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_spellings_normalise_to_e164() {
        for input in [
            "+491701234567",
            "+49 170 1234567",
            " +49 (170) 123-4567 ",
            "+44 7911 123456",
        ] {
            let parsed = PhoneNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert!(parsed.as_str().starts_with('+'), "{input}");
            assert!(
                parsed.as_str()[1..].chars().all(|c| c.is_ascii_digit()),
                "{input}"
            );
        }
        assert_eq!(
            PhoneNumber::parse("+49 170 1234567").unwrap().as_str(),
            "+491701234567"
        );
    }

    #[test]
    fn national_or_invalid_numbers_are_refused() {
        assert_eq!(
            PhoneNumber::parse("0170 1234567"),
            Err(PhoneError::NotInternational)
        );
        assert_eq!(PhoneNumber::parse("+49 1"), Err(PhoneError::Invalid));
        assert_eq!(PhoneNumber::parse("+abc"), Err(PhoneError::Invalid));
    }

    #[test]
    fn debug_does_not_show_the_number() {
        let n = PhoneNumber::parse("+491701234567").unwrap();
        assert!(!format!("{n:?}").contains("1234567"));
    }
}
