//! Phone regions guessed from a message's script and letters, for when the
//! caller knows neither party's country (`policy/evaluate` without hints).
//! The guesses add to the configured regions; they never replace them.

use rlibphonenumber::Region;

/// Scripts and letters that point at a language, and the countries where
/// people writing it are likely to have their phone numbers.
type Clue = (fn(char) -> bool, &'static [&'static str]);

const CLUES: &[Clue] = &[
    (is_cyrillic, &["RU", "UA", "BY", "KZ", "BG", "RS"]),
    (
        |c| matches!(c, 'ą' | 'ę' | 'ł' | 'ń' | 'ś' | 'ź' | 'ż' | 'Ł' | 'Ś' | 'Ż'),
        &["PL"],
    ),
    (
        |c| matches!(c, 'ä' | 'ö' | 'ü' | 'ß' | 'Ä' | 'Ö' | 'Ü'),
        &["DE", "AT", "CH"],
    ),
    (
        |c| matches!(c, 'ñ' | '¿' | '¡' | 'Ñ'),
        &["ES", "MX", "AR", "CO", "CL", "PE"],
    ),
    (
        |c| matches!(c, 'ç' | 'œ' | 'ê' | 'è' | 'à' | 'Ç'),
        &["FR", "BE", "CH", "CA", "LU", "MA"],
    ),
    (|c| matches!(c, 'ì' | 'ò' | 'ù' | 'è'), &["IT", "CH", "SM"]),
    (|c| matches!(c, 'ã' | 'õ' | 'Ã' | 'Õ'), &["PT", "BR"]),
    (|c| matches!(c, 'ğ' | 'ı' | 'ş' | 'Ğ' | 'İ' | 'Ş'), &["TR"]),
    (|c| ('\u{0370}'..='\u{03FF}').contains(&c), &["GR", "CY"]),
    (
        |c| ('\u{0600}'..='\u{06FF}').contains(&c),
        &["EG", "SA", "AE", "MA", "IR"],
    ),
    (|c| ('\u{0590}'..='\u{05FF}').contains(&c), &["IL"]),
    (|c| ('\u{3040}'..='\u{30FF}').contains(&c), &["JP"]),
    (|c| ('\u{AC00}'..='\u{D7AF}').contains(&c), &["KR"]),
    (
        |c| ('\u{4E00}'..='\u{9FFF}').contains(&c),
        &["CN", "TW", "HK"],
    ),
    (|c| ('\u{0E00}'..='\u{0E7F}').contains(&c), &["TH"]),
    (|c| ('\u{0900}'..='\u{097F}').contains(&c), &["IN"]),
];

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Regions suggested by the letters in `text`, in the order of `CLUES`,
/// without duplicates. ASCII-only text suggests nothing.
pub fn infer(text: &str) -> Vec<Region> {
    let mut seen = [false; CLUES.len()];
    for c in text.chars().filter(|c| !c.is_ascii()) {
        for (i, (clue, _)) in CLUES.iter().enumerate() {
            if !seen[i] && clue(c) {
                seen[i] = true;
            }
        }
    }
    let mut out: Vec<Region> = Vec::new();
    for (i, (_, codes)) in CLUES.iter().enumerate() {
        if !seen[i] {
            continue;
        }
        for code in *codes {
            if let Ok(r) = Region::from_code(code)
                && !out.contains(&r)
            {
                out.push(r);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_letters_suggest_regions() {
        let codes = |t: &str| -> Vec<String> { infer(t).iter().map(|r| r.to_string()).collect() };
        assert!(codes("hello there").is_empty());
        assert!(codes("Позвоните мне").iter().any(|c| c.contains("KZ")));
        assert!(codes("¿Sigue disponible?").iter().any(|c| c.contains("MX")));
        assert!(codes("Dzięki, zadzwoń").iter().any(|c| c.contains("PL")));
    }
}
