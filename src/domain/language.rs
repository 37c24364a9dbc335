//! The languages the relay writes to buyers and sellers in, and which one a
//! party reads: their own language when we have it, else their country's,
//! else English.

use super::vocabulary::vocabulary;

vocabulary!(
    /// A language with a message catalogue (`locales/<tag>/marketrelay.ftl`).
    Language {
        En = "en",
        De = "de",
        Ru = "ru",
        Pl = "pl",
        Es = "es",
        Fr = "fr",
        It = "it",
        Pt = "pt",
        Nl = "nl",
        Tr = "tr",
        Ja = "ja",
        Ar = "ar",
    }
);

impl Language {
    /// Written right to left: pages in it carry `dir="rtl"`.
    pub fn is_rtl(self) -> bool {
        self == Language::Ar
    }

    /// The language most people of an ISO 3166 alpha-2 country read, when
    /// it is one we write; countries with several take the most spoken.
    pub fn of_country(country: &str) -> Option<Language> {
        let language = match country.to_ascii_uppercase().as_str() {
            "DE" | "AT" | "CH" | "LI" | "LU" => Language::De,
            "RU" | "BY" | "KZ" | "KG" => Language::Ru,
            "PL" => Language::Pl,
            "ES" | "MX" | "AR" | "CO" | "CL" | "PE" | "VE" | "EC" | "GT" | "CU" | "BO" | "DO"
            | "HN" | "PY" | "SV" | "NI" | "CR" | "PA" | "UY" | "PR" | "GQ" => Language::Es,
            "FR" | "MC" | "SN" | "CI" | "ML" | "BF" | "NE" | "TD" | "GN" | "BJ" | "TG" | "GA"
            | "CG" | "CD" | "CM" | "MG" | "HT" => Language::Fr,
            "IT" | "SM" | "VA" => Language::It,
            "PT" | "BR" | "AO" | "MZ" | "CV" | "GW" | "ST" => Language::Pt,
            "NL" | "BE" | "SR" => Language::Nl,
            "TR" => Language::Tr,
            "JP" => Language::Ja,
            "SA" | "AE" | "EG" | "MA" | "DZ" | "TN" | "LY" | "IQ" | "JO" | "KW" | "LB" | "OM"
            | "QA" | "SY" | "YE" | "BH" | "SD" | "PS" | "MR" => Language::Ar,
            _ => return None,
        };
        Some(language)
    }

    /// What a party reads: the language of their tag when we write it,
    /// else their country's, else English.
    pub fn for_party(tag: Option<&str>, country: Option<&str>) -> Language {
        tag.and_then(|t| LanguageTag::parse(t).ok())
            .and_then(|t| t.language())
            .or_else(|| country.and_then(Language::of_country))
            .unwrap_or(Language::En)
    }
}

/// A party's language as the marketplace gave it: a well-formed BCP 47
/// tag, kept in canonical case (`pt-BR`, `zh-Hant-TW`). Any language is
/// accepted; one we have no catalogue for reads as the party's country's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageTag(String);

/// The longest tag taken.
const MAX_TAG_LEN: usize = 64;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not a BCP 47 language tag such as \"de\" or \"pt-BR\"")]
pub struct LanguageTagError(String);

impl LanguageTag {
    pub fn parse(tag: &str) -> Result<Self, LanguageTagError> {
        let tag = tag.trim();
        // Real tags stay far below this (RFC 5646 asks room for 35
        // characters); a longer one is not a locale and is not stored.
        if tag.len() > MAX_TAG_LEN {
            return Err(LanguageTagError(tag.chars().take(MAX_TAG_LEN).collect()));
        }
        // BCP 47 allows `_` nowhere, but locales from systems that use it
        // (`de_DE`) mean the same.
        let parsed: unic_langid::LanguageIdentifier = tag
            .replace('_', "-")
            .parse()
            .map_err(|_| LanguageTagError(tag.to_owned()))?;
        // `und` (undetermined) names no language.
        if tag.is_empty() || parsed.language.is_empty() {
            return Err(LanguageTagError(tag.to_owned()));
        }
        Ok(Self(parsed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The catalogue this tag's language has, if any.
    pub fn language(&self) -> Option<Language> {
        let primary = self.0.split('-').next().unwrap_or_default();
        Language::parse(&primary.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_checked_and_kept_in_canonical_case() {
        for (given, kept) in [
            ("de", "de"),
            ("DE-at", "de-AT"),
            ("pt_BR", "pt-BR"),
            ("zh-hant-tw", "zh-Hant-TW"),
            (" fr ", "fr"),
        ] {
            assert_eq!(LanguageTag::parse(given).unwrap().as_str(), kept, "{given}");
        }
        for bad in ["", "und", "de AT", "de-", "12", "de--AT", "e"] {
            assert!(LanguageTag::parse(bad).is_err(), "{bad:?} passed");
        }
        // Well formed but no locale: eight-letter subtags, repeated.
        let long = format!("de{}", "-abcdefgh".repeat(1000));
        let err = LanguageTag::parse(&long).expect_err("a 9 KB tag passed");
        assert!(
            err.to_string().len() < 200,
            "the error repeats the whole input"
        );
    }

    #[test]
    fn a_party_reads_their_language_else_their_countrys_else_english() {
        let cases = [
            (Some("de-AT"), None, Language::De),
            (Some("ru"), Some("DE"), Language::Ru),
            // No catalogue for Chinese: the country decides.
            (Some("zh-CN"), Some("ES"), Language::Es),
            (Some("zh-CN"), None, Language::En),
            (Some("not a tag"), Some("pl"), Language::Pl),
            (None, Some("MX"), Language::Es),
            (None, Some("BR"), Language::Pt),
            (None, Some("SA"), Language::Ar),
            (Some("ja-JP"), Some("US"), Language::Ja),
            (None, Some("CN"), Language::En),
            (None, None, Language::En),
        ];
        for (tag, country, reads) in cases {
            assert_eq!(
                Language::for_party(tag, country),
                reads,
                "{tag:?} {country:?}"
            );
        }
        assert!(Language::Ar.is_rtl() && !Language::De.is_rtl());
    }
}
