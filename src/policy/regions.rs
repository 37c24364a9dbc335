//! Phone regions guessed from a message's script and letters, for when the
//! caller knows neither party's country (`policy/evaluate` without hints).
//! The guesses add to the configured regions; they never replace them.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
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

/// Common words of languages that are often written in plain ASCII, and the
/// countries whose numbers their speakers are likely to give: Portuguese →
/// BR, PT; English → also IN, NG, AU, ZA, PH; Spanish → the Americas; Dutch
/// → NL, BE. A lexicon rather than a language-identification model: a
/// handful of function words decides this as well on short chat messages,
/// costs one automaton pass, and needs no model data.
const WORD_CLUES: &[(&[&str], &[&str])] = &[
    (
        &[
            "você",
            "voce",
            "vc",
            "não",
            "nao",
            "obrigado",
            "obrigada",
            "pra",
            "meu",
            "minha",
            "seu",
            "celular",
            "telemóvel",
            "telemovel",
            "tô",
            "zap",
            "chama",
            "liga",
            "ligue",
            "número",
            "contacto",
            "aqui",
            "pedido",
            "também",
            "tá",
            "né",
            "beleza",
            "valeu",
            "agora",
            "passa",
            "ligar",
            "recolha",
            "armazém",
            "armazem",
            "encomenda",
            "morada",
            "telefone",
            "pode",
            "posso",
            "quero",
            "tenho",
            "muito",
            "tudo",
            "whats",
            "abs",
            "oi",
        ],
        &["BR", "PT"],
    ),
    (
        &[
            "je", "jij", "het", "niet", "ik", "mijn", "bel", "graag", "bedankt", "nummer",
        ],
        &["NL", "BE"],
    ),
    (
        &[
            "hola",
            "gracias",
            "llamame",
            "llámame",
            "escribime",
            "celu",
            "cel",
            "numero",
            "pasame",
            "mensaje",
            "wasap",
        ],
        &["ES", "MX", "AR", "CO", "CL", "PE"],
    ),
    (
        &[
            "daha",
            "cok",
            "çok",
            "bir",
            "icin",
            "için",
            "numaram",
            "numara",
            "ara",
            "arayin",
            "arayın",
            "atarsan",
            "gonderirim",
            "gönderirim",
            "yaz",
            "tesekkurler",
            "merhaba",
        ],
        &["TR"],
    ),
    (
        &[
            "the", "you", "my", "call", "text", "thanks", "please", "pls", "whatsapp",
        ],
        &["US", "GB", "IN", "NG", "AU", "CA", "ZA", "PH"],
    ),
];

static WORDS: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let mut words = Vec::new();
    let mut lang = Vec::new();
    for (i, (ws, _)) in WORD_CLUES.iter().enumerate() {
        for w in *ws {
            words.push(*w);
            lang.push(i);
        }
    }
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&words)
        .expect("the region word list builds");
    (ac, lang)
});

/// Regions suggested by the words of `text` (`WORD_CLUES`).
fn by_words(text: &str) -> Vec<&'static [&'static str]> {
    let (ac, lang) = &*WORDS;
    let mut seen = [false; WORD_CLUES.len()];
    let bytes = text.as_bytes();
    for m in ac.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if edge(before) && edge(after) && m.end() <= bytes.len() {
            seen[lang[m.pattern().as_usize()]] = true;
        }
    }
    WORD_CLUES
        .iter()
        .zip(seen)
        .filter(|(_, s)| *s)
        .map(|((_, r), _)| *r)
        .collect()
}

/// Regions suggested by the words of `text` (`WORD_CLUES`), without
/// duplicates. The phone detector tries them only on stretches of text that
/// hold a number no other region accepted: each region tried costs a
/// validation per candidate.
pub fn infer_from_words(text: &str) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::new();
    for codes in by_words(text) {
        for code in codes {
            if let Ok(r) = Region::from_code(code)
                && !out.contains(&r)
            {
                out.push(r);
            }
        }
    }
    out
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
    let by_letters = CLUES
        .iter()
        .enumerate()
        .filter(|(i, _)| seen[*i])
        .map(|(_, (_, codes))| *codes);
    for codes in by_letters {
        {
            for code in codes {
                if let Ok(r) = Region::from_code(code)
                    && !out.contains(&r)
                {
                    out.push(r);
                }
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

    #[test]
    fn words_suggest_regions() {
        let words = |t: &str| -> Vec<String> {
            infer_from_words(t).iter().map(|r| r.to_string()).collect()
        };
        assert!(words("bonjour").is_empty());
        assert!(
            words("meu cel 61 9 8454-2210")
                .iter()
                .any(|c| c.contains("BR"))
        );
        assert!(
            words("call me on 0803 123 4567")
                .iter()
                .any(|c| c.contains("NG"))
        );
        assert!(!words("themselves").iter().any(|c| c.contains("NG")));
    }
}
