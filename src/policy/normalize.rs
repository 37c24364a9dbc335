//! Undoes disguises before matching (NFKC, foreign digits, "five five five",
//! `O17O`), keeping a map from every normalised byte back to the input.

use unicode_normalization::UnicodeNormalization;

use super::number_words::NumberWords;

/// The first code point (the zero) of each run of ten decimal digits outside
/// ASCII that NFKC leaves alone (Arabic-Indic, Devanagari, Thai, ...).
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
];

/// A normalised copy of a text, with a map back to the input's byte offsets.
#[derive(Debug)]
pub struct Normalized {
    pub text: String,
    /// For every byte of `text`, the input byte range it came from.
    origin: Vec<(usize, usize)>,
    /// Byte offsets in `text` of digits that were disguised: spelled out as
    /// words, written in kanji or as look-alike letters, or split by symbols.
    spelled: Vec<usize>,
}

impl Normalized {
    /// The input byte range behind `text[start..end]`, or `None` for an empty span.
    pub fn to_input(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end || end > self.origin.len() {
            return None;
        }
        Some((self.origin[start].0, self.origin[end - 1].1))
    }

    /// How many digits in `text[start..end]` were spelled out as words.
    pub fn spelled_digits_in(&self, start: usize, end: usize) -> usize {
        let lo = self.spelled.partition_point(|&p| p < start);
        let hi = self.spelled.partition_point(|&p| p < end);
        hi - lo
    }
}

/// Builds `Normalized` copies; holds the number-word lexicon so it is built once.
#[derive(Debug, Default)]
pub struct Normalizer {
    number_words: NumberWords,
}

/// Mail providers and domain words written in another script
/// ("جيميل دوت كوم", "майл точка ру", "ヤフー ドット シーオー ドット ジェーピー"),
/// read in Latin letters so the address detectors see them.
const TRANSLITERATED: &[(&str, &str)] = &[
    ("جيميل", "gmail"),
    ("الجيميل", "gmail"),
    ("هوتميل", "hotmail"),
    ("الهوتميل", "hotmail"),
    ("ياهو", "yahoo"),
    ("الياهو", "yahoo"),
    ("اوتلوك", "outlook"),
    ("كوم", "com"),
    ("نت", "net"),
    ("гмейл", "gmail"),
    ("гмаил", "gmail"),
    ("джимейл", "gmail"),
    ("майл", "mail"),
    ("мейл", "mail"),
    ("яндекс", "yandex"),
    ("ру", "ru"),
    ("вэ", "w"),
    ("ком", "com"),
    ("вк", "vk"),
    ("ヤフー", "yahoo"),
    ("ジーメール", "gmail"),
    ("ホットメール", "hotmail"),
    ("アウトルック", "outlook"),
    ("シーオー", "co"),
    ("ジェーピー", "jp"),
    ("コム", "com"),
    ("ドコモ", "docomo"),
    ("ソフトバンク", "softbank"),
    ("アイクラウド", "icloud"),
];

/// Kanji digits, as written in Japanese and Chinese phone numbers ("〇九〇").
fn kanji_digit(c: char) -> Option<char> {
    Some(match c {
        '〇' | '零' => '0',
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        _ => return None,
    })
}

/// A symbol or emoji that people put between the groups of a phone number
/// to break it up ("612 ✦ 908", "07 ❤ 44", "6*4*6", "3•1•9"). Currency,
/// dimensions (`×`), quotes, brackets and dashes are not among them.
pub(crate) fn is_splitting_symbol(c: char) -> bool {
    if c.is_ascii() {
        return matches!(c, '*' | '_' | '|' | '~');
    }
    if c.is_alphanumeric() || c.is_whitespace() || is_invisible(c) {
        return false;
    }
    matches!(c, '·' | '•' | '・' | '＊' | '＿' | '｜' | '～')
        || (c as u32 >= 0x2190
            && !matches!(
                c,
                '€' | '£'
                    | '¥'
                    | '₽'
                    | '₺'
                    | '₹'
                    | '×'
                    | '÷'
                    | '…'
                    | '「'
                    | '」'
                    | '『'
                    | '』'
                    | '【'
                    | '】'
                    | '〜'
                    | '〈'
                    | '〉'
                    | '《'
                    | '》'
                    | '（'
                    | '）'
                    | '。'
                    | '、'
                    | '，'
                    | '：'
                    | '；'
                    | '！'
                    | '？'
                    | '－'
                    | '．'
                    | '／'
                    | '＋'
            ))
}

/// Kana, kanji and hangul: scripts written without spaces.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Whether the next visible character of `rest` (past spaces) is a digit of
/// any script, or starts a group of digits and look-alike letters ("l4").
fn digit_follows(rest: &str) -> bool {
    // "06 • 12 •• 48": a run of symbols splits as one does.
    let rest = rest.trim_start_matches(|c| c == ' ' || is_invisible(c) || is_splitting_symbol(c));
    rest.chars()
        .next()
        .is_some_and(|c| c.is_numeric() || kanji_digit(c).is_some())
        || is_lookalike_group(rest.chars())
}

/// Whether the text so far ends with a digit (past spaces), or with a group
/// of digits and look-alike letters ("88l 🌙 2O").
fn ends_with_digit(text: &str) -> bool {
    let text = text.trim_end_matches(' ');
    text.ends_with(|c: char| c.is_ascii_digit()) || is_lookalike_group(text.chars().rev())
}

/// Letters drawn like digits that people mix into a group of a number:
/// `O`/`o` for 0, `I`/`l` for 1, `S` for 5 ("88l", "2O", "7S").
pub(crate) fn is_lookalike_digit(c: char) -> bool {
    matches!(c, 'O' | 'o' | 'I' | 'l' | 'S')
}

/// Whether the token `chars` start (read either way, up to a space) is a
/// group of a number written with look-alike letters: digits and such
/// letters only, at least one of each, at most eight ("88l", "l4", "9O").
/// Reads at most nine characters, so a long text costs no more.
fn is_lookalike_group(chars: impl Iterator<Item = char>) -> bool {
    let token: String = chars
        .take(9)
        .take_while(|&c| c != ' ' && c != '\n')
        .collect();
    let token = token.trim_matches([',', '.', ';', ':']);
    token.chars().count() <= 8
        && token.chars().any(|c| c.is_ascii_digit())
        && token.chars().any(is_lookalike_digit)
        && token
            .chars()
            .all(|c| c.is_ascii_digit() || is_lookalike_digit(c))
}

pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            // Variation selectors and the combining keycap: "1\u{FE0F}\u{20E3}" is "1".
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{20E3}'
    )
}

fn foreign_digit(c: char) -> Option<char> {
    let cp = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&cp))
        .and_then(|&zero| char::from_digit(cp - zero, 10))
}

impl Normalizer {
    pub fn normalize(&self, input: &str) -> Normalized {
        let mut out = Normalized {
            text: String::with_capacity(input.len()),
            origin: Vec::with_capacity(input.len()),
            spelled: Vec::new(),
        };
        let mut push = |out: &mut Normalized, s: &str, from: (usize, usize)| {
            // "番号は090…": a digit glued to Japanese or Chinese gets a space
            // between, as the phone matcher wants a number standing apart.
            if let (Some(prev), Some(next)) = (out.text.chars().next_back(), s.chars().next())
                && ((is_cjk(prev) && next.is_ascii_digit())
                    || (prev.is_ascii_digit() && is_cjk(next)))
            {
                out.text.push(' ');
                out.origin.push(from);
            }
            out.text.push_str(s);
            out.origin.extend(std::iter::repeat_n(from, s.len()));
        };

        let phrases = self.number_words.phrases(input);
        let mut next_phrase = phrases.iter().peekable();
        let mut chars = input.char_indices().peekable();
        let mut buf = [0u8; 4];
        while let Some((i, c)) = chars.next() {
            if let Some(p) = next_phrase.next_if(|p| p.start == i) {
                // "dreiundzwanzig" → "23", mapped to the whole phrase.
                for d in p.digits.chars() {
                    if d.is_ascii_digit() {
                        out.spelled.push(out.text.len());
                    }
                    push(&mut out, d.encode_utf8(&mut buf), (p.start, p.end));
                }
                while chars.next_if(|&(j, _)| j < p.end).is_some() {}
                continue;
            }
            if c.is_alphabetic() {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if !d.is_alphabetic() || next_phrase.peek().is_some_and(|p| p.start == j) {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                let word = &input[i..end];
                let beside_digit = input[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_numeric())
                    || input[end..].chars().next().is_some_and(|c| c.is_numeric());
                // "+7 9І6 123", "2З4", "ЗO4": Cyrillic and Greek letters standing
                // in for digits, beside the Latin ones the next step folds.
                if beside_digit
                    && word.chars().any(|c| cyrillic_digit(c).is_some())
                    && word
                        .chars()
                        .all(|c| cyrillic_digit(c).is_some() || matches!(c, 'O' | 'o' | 'I' | 'l'))
                {
                    for (k, wc) in word.char_indices() {
                        let d = cyrillic_digit(wc).unwrap_or(wc);
                        if d.is_ascii_digit() {
                            out.spelled.push(out.text.len());
                        }
                        push(
                            &mut out,
                            d.encode_utf8(&mut buf),
                            (i + k, i + k + wc.len_utf8()),
                        );
                    }
                    continue;
                }
                if !word.is_ascii()
                    && let Some((_, latin)) = TRANSLITERATED
                        .iter()
                        .find(|(w, _)| w.len() == word.len() && word.to_lowercase() == *w)
                {
                    push(&mut out, latin, (i, end));
                    continue;
                }
                // "gmаil" with a Cyrillic "а": fold lookalikes only in words
                // that mix them with Latin letters, so Russian text stays Russian.
                // "аyşe": Latin letters beyond ASCII count ("ş", "é").
                let mixed = word
                    .chars()
                    .any(|c| c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c))
                    && word.chars().any(|c| latin_lookalike(c).is_some());
                for (k, wc) in word.char_indices() {
                    let from = (i + k, i + k + wc.len_utf8());
                    // A kanji digit next to another digit ("〇九〇", "三〇〇〇"), not "一切".
                    let digit_beside = |c: Option<char>| {
                        c.is_some_and(|c| kanji_digit(c).is_some() || c.is_numeric())
                    };
                    if let Some(d) = kanji_digit(wc)
                        && (digit_beside(input[..i + k].chars().next_back())
                            || digit_beside(input[i + k + wc.len_utf8()..].chars().next()))
                    {
                        out.spelled.push(out.text.len());
                        push(&mut out, d.encode_utf8(&mut buf), from);
                        continue;
                    }
                    // "〇九〇の六二一三", "〇八〇ー９９１２": Japanese marks between digit groups.
                    if matches!(wc, 'ー' | 'の')
                        && ends_with_digit(&out.text)
                        && digit_follows(&input[from.1..])
                    {
                        push(&mut out, if wc == 'ー' { "-" } else { " " }, from);
                        continue;
                    }
                    let wc = if mixed {
                        latin_lookalike(wc).unwrap_or(wc)
                    } else {
                        wc
                    };
                    push_char(&mut out, wc, from, &mut buf, &mut push);
                }
                continue;
            }
            // "…お願いします。https://…": a full stop before a link ends the
            // sentence; read as a dot it would glue the link to the words.
            if matches!(c, '\u{3002}' | '\u{FF61}') && input[i + c.len_utf8()..].starts_with("http")
            {
                push(&mut out, " ", (i, i + c.len_utf8()));
                continue;
            }
            // "m a r i \u{200b} _ \u{200b} c o s t a": an invisible mark
            // between two spaces takes one of them with it.
            if is_invisible(c)
                && c != '\u{20E3}'
                && out.text.ends_with(' ')
                && chars.next_if(|&(_, n)| n == ' ').is_some()
            {
                continue;
            }
            // "⟨ tinyurl ⟩ ⟨ ponto ⟩": brackets put around each word of a
            // link are none of its words.
            if matches!(c, '⟨' | '⟩' | '‹' | '›') {
                push(&mut out, " ", (i, i + c.len_utf8()));
                continue;
            }
            if is_splitting_symbol(c)
                && ends_with_digit(&out.text)
                && digit_follows(&input[i + c.len_utf8()..])
            {
                // "0160 🔥 98 🔥 675": the symbol splits one number. Beside a
                // space it adds none, so "77 •••• 30" stays one number's gap.
                if !out.text.ends_with(' ') {
                    out.spelled.push(out.text.len());
                    push(&mut out, " ", (i, i + c.len_utf8()));
                }
                continue;
            }
            push_char(&mut out, c, (i, i + c.len_utf8()), &mut buf, &mut push);
        }
        join_split_numbers(&mut out.text);
        join_country_code(&mut out.text);
        unleet_mail_words(&mut out.text);
        let folded = fold_letter_digits(&mut out.text);
        if !folded.is_empty() {
            out.spelled.extend(folded);
            out.spelled.sort_unstable();
        }
        let mut n = join_spaced_letters(spell_joiners(fold_digit_runs(out)));
        // "G-m-a-1-l" joined reads "Gma1l": undo its digits now.
        unleet_mail_words(&mut n.text);
        n
    }
}

/// Underscore and hyphen said in words between two parts of a name
/// ("tom underscore barker", "vintage minus moebel punkt de").
static UNDERSCORE_WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)(?:[ \t]+|[ \t]*[(\[])(?:underscore|under\s+score|unterstrich|unterstrichen|gui[oó]n\s+bajo|barra\s+baja|trattino\s+basso|underline|sublinhado|tiret\s+bas|tiret\s+du\s+bas|underscore|alt\s+[çc]izgi|podkre[śs]lnik|podkre[śs]lenie|laag\s+streepje|liggend\s+streepje|нижнее\s+подч[её]ркивание|подч[её]ркивание|андерскор)(?:[ \t]+|[)\]][ \t]*)",
    )
    .expect("underscore words compile")
});
static HYPHEN_WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)[ \t]+(?:minus|tiret|trattino|gui[oó]n|bindestrich|my[śs]lnik|streepje|h[ií]fen|tra[çc]o|tire|дефис|тире|k[ıi]sa\s+[çc]izgi)[ \t]+",
    )
    .expect("hyphen words compile")
});
static DOT_WORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(&format!(
        r"(?i)(?:^|[^\p{{L}}])(?:{}|www)(?:$|[^\p{{L}}])",
        crate::policy::detectors::email::DOT_WORDS
    ))
    .expect("dot words compile")
});

/// Words that must be in a text for `UNDERSCORE_WORDS` or `HYPHEN_WORDS` to match.
const UNDERSCORE_HINTS: &[&str] = &[
    "under",
    "unterstrich",
    "bajo",
    "baja",
    "basso",
    "sublinhado",
    "tiret",
    "izgi",
    "podkre",
    "streepje",
];
const HYPHEN_HINTS: &[&str] = &[
    "minus",
    "tiret",
    "trattino",
    "guion",
    "bindestrich",
    "lnik",
    "streepje",
    "fen",
    "traco",
    "tire",
];
static JOINER_HINTS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(UNDERSCORE_HINTS.iter().chain(HYPHEN_HINTS))
            .expect("joiner hints build")
    });

/// "tom underscore barker" → "tom_barker"; "vintage minus moebel punkt de"
/// → "vintage-moebel punkt de" (a hyphen word only near a spelled dot).
fn spell_joiners(n: Normalized) -> Normalized {
    let text = n.text.as_str();
    // One pass for the words that can start either ("bajo", "minus", …);
    // text in other scripts goes to the rules directly.
    let (mut maybe_underscore, mut maybe_hyphen) = (!text.is_ascii(), !text.is_ascii());
    if text.is_ascii() {
        for m in JOINER_HINTS.find_iter(text) {
            let word = &text[m.start()..m.end()].to_ascii_lowercase();
            maybe_underscore |= UNDERSCORE_HINTS.contains(&word.as_str());
            maybe_hyphen |= HYPHEN_HINTS.contains(&word.as_str());
        }
    }
    if !maybe_underscore && !maybe_hyphen {
        return n;
    }
    let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    if maybe_underscore {
        for m in UNDERSCORE_WORDS.find_iter(text) {
            if word_char(text[..m.start()].chars().next_back())
                && word_char(text[m.end()..].chars().next())
            {
                spans.push((m.start(), m.end(), "_"));
            }
        }
    }
    if maybe_hyphen {
        for m in HYPHEN_WORDS.find_iter(text) {
            let lo = crate::policy::detectors::floor_boundary(text, m.start().saturating_sub(40));
            let hi = crate::policy::detectors::ceil_boundary(text, m.end() + 40);
            if word_char(text[..m.start()].chars().next_back())
                && word_char(text[m.end()..].chars().next())
                && DOT_WORD.is_match(&text[lo..hi])
            {
                spans.push((m.start(), m.end(), "-"));
            }
        }
    }
    if spans.is_empty() {
        return n;
    }
    // "guion bajo" is an underscore, not a hyphen followed by "bajo".
    spans.sort_unstable_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut out = String::with_capacity(n.text.len());
    let mut origin = Vec::with_capacity(n.origin.len());
    let mut new_pos = vec![0usize; n.text.len() + 1];
    let mut at = 0;
    for &(s, e, r) in &spans {
        if s < at {
            continue;
        }
        let base = out.len();
        for (k, p) in new_pos[at..s].iter_mut().enumerate() {
            *p = base + k;
        }
        out.push_str(&n.text[at..s]);
        origin.extend_from_slice(&n.origin[at..s]);
        let here = out.len();
        new_pos[s..e].fill(here);
        let from = (n.origin[s].0, n.origin[e - 1].1);
        out.push_str(r);
        origin.extend(std::iter::repeat_n(from, r.len()));
        at = e;
    }
    let base = out.len();
    for (k, p) in new_pos[at..n.text.len()].iter_mut().enumerate() {
        *p = base + k;
    }
    out.push_str(&n.text[at..]);
    origin.extend_from_slice(&n.origin[at..]);
    new_pos[n.text.len()] = out.len();
    let spelled = n.spelled.iter().map(|&p| new_pos[p]).collect();
    Normalized {
        text: out,
        origin,
        spelled,
    }
}

/// Cyrillic and Arabic letters drawn like digits ("9І6", "2б47", Arabic
/// alef for 1 and heh for 5 beside Arabic-Indic digits).
fn cyrillic_digit(c: char) -> Option<char> {
    Some(match c {
        'О' | 'о' => '0',
        'І' | 'і' | 'Ӏ' | 'ا' => '1',
        'З' | 'з' => '3',
        'Ч' | 'ч' => '4',
        'ه' => '5',
        // Greek capitals drawn like Latin I and O.
        'Ι' => '1',
        'Ο' => '0',
        // Turkish dotless i, drawn like a 1 ("O53ı 4O7").
        'ı' => '1',
        'б' | 'Б' => '6',
        _ => return None,
    })
}

/// Circled digits without a compatibility decomposition: the dingbat ones
/// (negative, sans-serif, negative sans-serif), the double-circled ones and
/// the negative and sans-serif zeros.
fn circled_digit(c: char) -> Option<char> {
    let cp = c as u32;
    if matches!(c, '⓿' | '\u{1F10B}' | '\u{1F10C}') {
        return Some('0');
    }
    let first_one = [0x2776, 0x2780, 0x278A, 0x24F5]
        .into_iter()
        .find(|&one| (one..one + 9).contains(&cp))?;
    char::from_digit(cp - first_one + 1, 10)
}

/// Small capitals and Lisu capitals, each drawn like one Latin letter.
fn styled_latin(c: char) -> Option<char> {
    Some(match c {
        'ᴀ' | 'ꓮ' => 'a',
        'ʙ' | 'ꓐ' => 'b',
        'ᴄ' | 'ꓚ' => 'c',
        'ᴅ' | 'ꓓ' => 'd',
        'ᴇ' | 'ꓰ' => 'e',
        'ꜰ' | 'ꓝ' => 'f',
        'ɢ' | 'ꓖ' => 'g',
        'ʜ' | 'ꓧ' => 'h',
        'ɪ' | 'ꓲ' => 'i',
        'ᴊ' | 'ꓙ' => 'j',
        'ᴋ' | 'ꓗ' => 'k',
        'ʟ' | 'ꓡ' => 'l',
        'ᴍ' | 'ꓟ' => 'm',
        'ɴ' | 'ꓠ' => 'n',
        'ᴏ' | 'ꓳ' => 'o',
        'ᴘ' | 'ꓑ' => 'p',
        'ǫ' => 'q',
        'ʀ' | 'ꓣ' => 'r',
        'ꜱ' | 'ꓢ' => 's',
        'ᴛ' | 'ꓔ' => 't',
        'ᴜ' | 'ꓴ' => 'u',
        'ᴠ' | 'ꓦ' => 'v',
        'ᴡ' | 'ꓪ' => 'w',
        'ꓫ' => 'x',
        'ʏ' | 'ꓬ' => 'y',
        'ᴢ' | 'ꓜ' => 'z',
        _ => return None,
    })
}

/// Cyrillic and Greek letters drawn like Latin ones.
fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'с' => 'c',
        'ԁ' => 'd',
        'е' | 'ε' => 'e',
        'һ' => 'h',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'м' => 'm',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'у' | 'υ' => 'y',
        'х' | 'χ' => 'x',
        'ν' => 'v',
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'Ζ' => 'Z',
        _ => return None,
    })
}

/// At and dot words beside which two or three spaced letters join.
const SPACED_MARKS: &[&str] = &[
    "at",
    "dot",
    "punkt",
    "point",
    "punto",
    "ponto",
    "punt",
    "kropka",
    "nokta",
    "arroba",
    "arobase",
    "chiocciola",
    "klammeraffe",
    "apenstaartje",
    "małpa",
    "malpa",
    "pkt",
    "ät",
    "собака",
    "точка",
    "тчк",
    "アットマーク",
    "ドット",
    "آت",
    "دوت",
    "نقطة",
];

/// A bullet or middle dot standing for a dot ("d r i v e • g o o g l e").
fn is_dot_glyph(c: char) -> bool {
    matches!(c, '•' | '·' | '∙' | '●' | '・')
}

/// "J O H N @ G M A I L . C O M" → "JOHN@GMAIL.COM": drops the single spaces
/// inside a run of at least four one-character tokens. A run may open on
/// the last character of a token after an opening bracket or quote and
/// close on the first one before a closing one ("「t a k u _ 8 8」"); letters of other scripts count
/// in a run that holds an underscore ("м а к с _ 9 9 _ н с к").
fn join_spaced_letters(n: Normalized) -> Normalized {
    let bytes = n.text.as_bytes();
    let mut drop = vec![false; bytes.len()];
    let mut as_underscore = vec![false; bytes.len()];
    let mut any = false;
    // Tokens split on single ASCII spaces.
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, c) in n.text.char_indices() {
        if c == ' ' {
            tokens.push((start, i));
            start = i + 1;
        }
    }
    tokens.push((start, n.text.len()));
    // The character a token of one character is. A symbol among spaced
    // letters ("t h e o ✦ r c", "a l b a . r u i z ─ 0 7") stands for an
    // underscore: it joins as one when letters stand on both sides.
    let glyph = |&(s, e): &(usize, usize)| -> Option<char> {
        let mut chars = n.text[s..e].chars();
        let c = chars.next()?;
        (chars.next().is_none()
            && (c.is_ascii_graphic() || c.is_alphanumeric() || is_splitting_symbol(c)))
        .then_some(c)
    };
    let one_char = |t: &(usize, usize)| -> Option<char> {
        glyph(t).map(|c| {
            if c.is_ascii() || c.is_alphanumeric() {
                c
            } else if is_dot_glyph(c) {
                '.'
            } else {
                '_'
            }
        })
    };
    // "「t": a token's last character, after an opening bracket or quote
    // or opening its line.
    let opener = |&(s, e): &(usize, usize)| -> Option<char> {
        let mut back = n.text[s..e].chars().rev();
        let c = back.next()?;
        let before = back.next()?;
        ((c.is_alphanumeric() || c == '_') && "\n([{<«“‘\"'「『【〈《".contains(before))
            .then_some(c)
    };
    // "8」です": a token's first character, before a closing one or the
    // line's end.
    let closer = |&(s, e): &(usize, usize)| -> Option<char> {
        let mut ahead = n.text[s..e].chars();
        let c = ahead.next()?;
        let after = ahead.next()?;
        // "w," "b.": a run ends on its sentence's mark too.
        let mark = ",;:!?.،、".contains(after) && ahead.next().is_none_or(char::is_whitespace);
        ((c.is_alphanumeric() || c == '_') && ("\r\n)]}>»”’\"'」』】〉》".contains(after) || mark))
            .then_some(c)
    };
    // "i.n.s.t.a:", "G-m-a-1-l": one token of single letters joined by
    // hyphens, or by dots before a colon (an app's name as a label),
    // loses its joiners.
    for &(s, e) in &tokens {
        let word = n.text[s..e].trim_end_matches([':', ',', ';']);
        let b = word.as_bytes();
        if b.len() >= 7
            && b.len() % 2 == 1
            && b.iter().step_by(2).all(u8::is_ascii_alphanumeric)
            && b.iter()
                .step_by(2)
                .filter(|c| c.is_ascii_alphabetic())
                .count()
                >= 3
            && ((n.text[s..e].ends_with(':') && b.iter().skip(1).step_by(2).all(|&c| c == b'.'))
                || b.iter().skip(1).step_by(2).all(|&c| c == b'-'))
        {
            for k in (1..b.len()).step_by(2) {
                drop[s + k] = true;
            }
            any = true;
        }
    }
    let mut i = 0;
    while i < tokens.len() {
        if one_char(&tokens[i]).is_none() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < tokens.len() && one_char(&tokens[j]).is_some() {
            j += 1;
        }
        let head = if i > 0 { opener(&tokens[i - 1]) } else { None };
        let tail = tokens.get(j).and_then(closer);
        // Addresses and numbers are ASCII ("à m a r i e" keeps its "à");
        // other scripts only beside an underscore, as a run of one-letter
        // words ("и я в") is prose.
        let underscore = head == Some('_')
            || tail == Some('_')
            || tokens[i..j].iter().any(|t| one_char(t) == Some('_'));
        // "m a r i e . h ä k e l t": Latin letters beyond ASCII in a run
        // with a dot inside, as a name is spelled.
        let dotted = tokens[i..j].iter().any(|t| one_char(t) == Some('.'));
        let fits = |c: char| {
            underscore || c.is_ascii() || (dotted && ('\u{00C0}'..='\u{024F}').contains(&c))
        };
        let mut k = i;
        while k < j {
            if !one_char(&tokens[k]).is_some_and(fits) {
                k += 1;
                continue;
            }
            let mut l = k;
            while l < j && one_char(&tokens[l]).is_some_and(fits) {
                l += 1;
            }
            // A symbol standing for an underscore joins only between letters.
            let symbol = |t: &(usize, usize)| {
                glyph(t).is_some_and(|c| !c.is_ascii() && !c.is_alphanumeric())
            };
            if symbol(&tokens[k]) {
                k += 1;
                continue;
            }
            let mut end = l;
            while end > k && symbol(&tokens[end - 1]) {
                end -= 1;
            }
            let from = if k == i && head.is_some_and(fits) {
                k - 1
            } else {
                k
            };
            let to = if end == j && tail.is_some_and(fits) {
                end + 1
            } else {
                end
            };
            // "w w w punkt shop punkt de": three letters are enough for "www".
            // "proton d o t me": "dot" spelled letter by letter.
            let spelled3 = |word: &str| {
                to - from == 3
                    && tokens[from..to]
                        .iter()
                        .zip(word.chars())
                        .all(|(&(s, e), w)| {
                            n.text[s..e].eq_ignore_ascii_case(w.encode_utf8(&mut [0; 4]))
                        })
            };
            let www = spelled3("www") || spelled3("dot");
            // "b o l ponto com", "point f r": two or three letters beside
            // a spelled at or dot.
            let spelled_mark = |t: Option<&(usize, usize)>| {
                t.is_some_and(|&(s, e)| {
                    let w = n.text[s..e].to_lowercase();
                    SPACED_MARKS.contains(&w.trim_matches(['(', ')', '[', ']', '{', '}']))
                })
            };
            let beside_mark = to - from >= 2
                && tokens[k..end]
                    .iter()
                    .all(|t| one_char(t).is_some_and(|c| c.is_ascii_alphanumeric()))
                && (spelled_mark(from.checked_sub(1).and_then(|f| tokens.get(f)))
                    || spelled_mark(tokens.get(to)));
            let letters = tokens[from..to].iter().filter(|t| !symbol(t)).count();
            if letters >= 4 || www || beside_mark {
                for t in &tokens[from..to] {
                    if symbol(t) {
                        as_underscore[t.0] = true;
                    }
                }
                for t in &tokens[from + 1..to] {
                    drop[t.0 - 1] = true;
                    any = true;
                }
            }
            k = l;
        }
        i = j;
    }
    if !any {
        return n;
    }
    // Only ASCII spaces are dropped, so every kept byte keeps its character whole.
    let mut text = String::with_capacity(n.text.len());
    let mut origin = Vec::with_capacity(n.origin.len());
    let mut new_pos = vec![0usize; bytes.len() + 1];
    for (k, c) in n.text.char_indices() {
        new_pos[k] = text.len();
        if as_underscore[k] {
            text.push(if is_dot_glyph(c) { '.' } else { '_' });
            origin.push((n.origin[k].0, n.origin[k + c.len_utf8() - 1].1));
        } else if !drop[k] {
            text.push(c);
            origin.extend_from_slice(&n.origin[k..k + c.len_utf8()]);
        }
    }
    new_pos[bytes.len()] = text.len();
    let spelled = n.spelled.iter().map(|&p| new_pos[p]).collect();
    Normalized {
        text,
        origin,
        spelled,
    }
}

fn push_char(
    out: &mut Normalized,
    c: char,
    from: (usize, usize),
    buf: &mut [u8; 4],
    push: &mut impl FnMut(&mut Normalized, &str, (usize, usize)),
) {
    if is_invisible(c) {
        // "1\u{FE0F}\u{20E3}": a keycap digit is a disguised one.
        if c == '\u{20E3}' && out.text.ends_with(|d: char| d.is_ascii_digit()) {
            out.spelled.push(out.text.len() - 1);
        }
        return;
    }
    if c.is_ascii() {
        push(out, c.encode_utf8(buf), from);
        return;
    }
    // Minus signs and hyphens NFKC leaves alone ("９８７４１−２２６３", "⁹⁸⁸³²⁻⁴⁴⁷¹").
    if matches!(
        c,
        '\u{2212}' | '\u{207B}' | '\u{208B}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{FE63}'
    ) {
        push(out, "-", from);
        return;
    }
    // Ideographic and halfwidth full stops, which NFKC leaves alone.
    if matches!(c, '\u{3002}' | '\u{FF61}') {
        push(out, ".", from);
        return;
    }
    if let Some(d) = foreign_digit(c) {
        push(out, d.encode_utf8(buf), from);
        return;
    }
    // "❶❶ ❾ ❽❼❻⓹": circled digits NFKC leaves alone are disguised digits.
    if let Some(d) = circled_digit(c) {
        out.spelled.push(out.text.len());
        push(out, d.encode_utf8(buf), from);
        return;
    }
    // "ᴋᴀᴍɪʟ", "ꓑ": small capitals and Lisu letters drawn like Latin ones
    // write no language this filter reads; they are Latin letters in disguise.
    if let Some(l) = styled_latin(c) {
        push(out, l.encode_utf8(buf), from);
        return;
    }
    let folded: String = std::iter::once(c).nfkc().collect();
    push(out, &folded, from);
}

/// "0170\n1234567": a line break between two parts of a number becomes a
/// space, so the number reads as one. Same byte length, so the map holds.
fn join_split_numbers(text: &mut String) {
    let bytes = text.as_bytes();
    let numberish = |b: u8| b.is_ascii_digit() || matches!(b, b'(' | b')' | b'+');
    let mut at = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        let before = bytes[..i].iter().rev().find(|&&c| c != b' ' && c != b'\r');
        let after = bytes[i + 1..].iter().find(|&&c| c != b' ');
        if before.is_some_and(|&c| numberish(c)) && after.is_some_and(|&c| numberish(c)) {
            at.push(i);
        }
    }
    if at.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for i in at {
        bytes[i] = b' ';
    }
    // Only an ASCII newline became an ASCII space, so this stays UTF-8.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

/// "+44, 7400, 123 987" (a country code said, then the number): the commas
/// after the code and between the groups that follow become spaces, so the
/// number reads as one. Same byte length, so the map holds.
fn join_country_code(text: &mut String) {
    static CODE_THEN_GROUPS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\+\d{1,3}(?:, ?\d[\d \-–]*)+").expect("country code pattern compiles")
    });
    if !text.contains('+') {
        return;
    }
    let at: Vec<usize> = CODE_THEN_GROUPS
        .find_iter(text)
        .filter(|m| m.as_str().bytes().filter(u8::is_ascii_digit).count() >= 7)
        .flat_map(|m| {
            m.as_str()
                .match_indices(',')
                .map(move |(i, _)| m.start() + i)
                .collect::<Vec<_>>()
        })
        .collect();
    if at.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for i in at {
        bytes[i] = b' ';
    }
    // Only ASCII commas became ASCII spaces, so this stays UTF-8.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

/// Letters of any script drawn like digits, for `fold_digit_runs`.
fn drawn_digit(c: char) -> Option<char> {
    Some(match c {
        'O' | 'o' | 'О' | 'о' | 'Ο' => '0',
        'I' | 'l' | 'І' | 'Ι' | 'ı' => '1',
        'Z' => '2',
        'З' | 'з' => '3',
        'S' => '5',
        'G' | 'б' | 'Б' => '6',
        'B' | 'Β' => '8',
        _ => return None,
    })
}

/// "9 🔹 4 🔹 З 🔹 l 🔹 8", "4S ➖ 2B ➖ 7O", "Ⅰ Ο 4 | 2 Β 5", "O6-4l": a
/// run of short groups of digits and letters drawn like digits (Latin,
/// Cyrillic, Greek), split by spaces, hyphens, dashes or symbols. A run
/// with two real digits or more, no more such letters than digits, and a
/// group mixing both or a symbol between groups is a number written so:
/// its letters become the digits they stand for (counted as disguised)
/// and its symbols go. A size list ("S 36 38 40") has neither.
fn fold_digit_runs(n: Normalized) -> Normalized {
    let text = n.text.as_str();
    if !text.chars().any(|c| drawn_digit(c).is_some()) || !text.bytes().any(|b| b.is_ascii_digit())
    {
        return n;
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Group {
            digits: usize,
            drawn: usize,
            ends: bool,
        },
        Sep {
            symbol: bool,
        },
        Other,
    }
    let classify = |t: &str| -> Tok {
        let bare = t.trim_end_matches([',', '.', ';', ':']);
        let ends = bare.len() < t.len();
        if !bare.is_empty()
            && bare
                .chars()
                .all(|c| is_splitting_symbol(c) || matches!(c, '–' | '—' | '-' | '|'))
        {
            return if ends {
                Tok::Other
            } else {
                Tok::Sep {
                    symbol: bare.chars().any(|c| c != '-' && c != '–' && c != '—'),
                }
            };
        }
        // "IG", "SOS": letters alone make a word; only one letter alone
        // ("l", "З") stands among digits.
        if bare.chars().count() > 1 && !bare.chars().any(|c| c.is_ascii_digit()) {
            return Tok::Other;
        }
        let (mut digits, mut drawn, mut len) = (0, 0, 0);
        for part in bare.split('-') {
            let chars = part.chars().count();
            if chars == 0 || chars > 4 {
                return Tok::Other;
            }
            len += 1;
            for c in part.chars() {
                if c.is_ascii_digit() {
                    digits += 1;
                } else if drawn_digit(c).is_some() {
                    drawn += 1;
                } else {
                    return Tok::Other;
                }
            }
        }
        if len == 0 {
            return Tok::Other;
        }
        Tok::Group {
            digits,
            drawn,
            ends,
        }
    };
    let tokens: Vec<(usize, &str)> = split_tokens(text).collect();
    let kinds: Vec<Tok> = tokens.iter().map(|&(_, t)| classify(t)).collect();
    let mut fold = vec![false; tokens.len()];
    let mut any = false;
    let mut i = 0;
    while i < tokens.len() {
        if !matches!(kinds[i], Tok::Group { .. }) {
            i += 1;
            continue;
        }
        let (mut digits, mut drawn, mut mixed, mut symbol) = (0, 0, false, false);
        let mut j = i;
        let mut last_group = i;
        while j < tokens.len() {
            match kinds[j] {
                Tok::Group {
                    digits: d,
                    drawn: l,
                    ends,
                } => {
                    digits += d;
                    drawn += l;
                    let t = tokens[j].1;
                    mixed |= t.split('-').any(|p| {
                        p.chars().any(|c| c.is_ascii_digit())
                            && p.chars().any(|c| drawn_digit(c).is_some())
                    });
                    last_group = j;
                    j += 1;
                    if ends {
                        break;
                    }
                }
                Tok::Sep { symbol: s } => {
                    symbol |= s;
                    j += 1;
                }
                Tok::Other => break,
            }
        }
        // A Greek or Cyrillic letter among digits is no accident either.
        let foreign = tokens[i..=last_group]
            .iter()
            .any(|&(_, t)| t.chars().any(|c| !c.is_ascii() && drawn_digit(c).is_some()));
        if digits >= 2 && drawn >= 1 && drawn <= digits && (mixed || symbol || foreign) {
            fold[i..=last_group].iter_mut().for_each(|f| *f = true);
            any = true;
        }
        i = last_group + 1;
    }
    if !any {
        return n;
    }
    let mut out = Normalized {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(n.origin.len()),
        spelled: Vec::new(),
    };
    // Copies `text[from..to]` as it is, with its map and disguised digits.
    let copy = |out: &mut Normalized, from: usize, to: usize| {
        for (off, c) in text[from..to].char_indices() {
            let at = from + off;
            if n.spelled.binary_search(&at).is_ok() {
                out.spelled.push(out.text.len());
            }
            out.text.push(c);
            out.origin
                .extend_from_slice(&n.origin[at..at + c.len_utf8()]);
        }
    };
    let mut k = 0;
    let mut buf = [0u8; 4];
    for (t, &(start, tok)) in tokens.iter().enumerate() {
        copy(&mut out, k, start);
        k = start + tok.len();
        if !fold[t] {
            copy(&mut out, start, k);
            continue;
        }
        if let Tok::Sep { .. } = kinds[t] {
            // A symbol between groups goes, and the space after it.
            if out.text.ends_with(' ') && text[k..].starts_with(' ') {
                k += 1;
            }
            continue;
        }
        for (off, c) in tok.char_indices() {
            let at = start + off;
            match drawn_digit(c) {
                Some(d) => {
                    out.spelled.push(out.text.len());
                    out.text.push_str(d.encode_utf8(&mut buf));
                    out.origin
                        .push((n.origin[at].0, n.origin[at + c.len_utf8() - 1].1));
                }
                None => copy(&mut out, at, at + c.len_utf8()),
            }
        }
    }
    copy(&mut out, k, text.len());
    out.spelled.sort_unstable();
    out.spelled.dedup();
    out
}

/// `O17O 1234567` → `0170 1234567`: letters that look like digits, inside a
/// run of space-separated tokens made of digits and phone punctuation. `O`,
/// `o`, `I` and `l` fold in a run with at least six digits and twice as many
/// digits as letters; `S`, `Z`, `B` and `G` too in a run of 9 to 13 digits
/// once folded, with three real ones and a token mixing both ("6I2 O48 7Z9").
/// Same byte length, so the map holds. Returns where letters were folded.
fn fold_letter_digits(text: &mut String) -> Vec<usize> {
    let is_soft = |b: u8| b"OoIl".contains(&b);
    let is_hard = |b: u8| b"SZBG".contains(&b);
    let is_phone_byte =
        |b: u8| b.is_ascii_digit() || is_soft(b) || is_hard(b) || b"+()-./".contains(&b);
    let tokens: Vec<(usize, &str)> = split_tokens(text).collect();
    let mut replacements: Vec<(usize, u8)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        let (mut digits, mut soft, mut hard, mut mixed) = (0, 0, 0, false);
        // A lone "I" or "o" is a word, not a digit.
        // A token's trailing comma or full stop ends the sentence, not the number.
        let bare = |t: &str| t.trim_end_matches([',', ';', ':', '.']).len();
        let in_run = |t: &str, inside: bool| {
            let t = &t[..bare(t)];
            // A dash between groups ("O176 – 2l 9O"); a lone capital O
            // inside a run of digits ("6 6 O — 1 2").
            matches!(t, "–" | "—")
                || (!t.is_empty()
                    && t.bytes().all(is_phone_byte)
                    && (t.len() > 1 || t.as_bytes()[0].is_ascii_digit() || (inside && t == "O")))
        };
        // "6 I 2 … 9 O 8", "O I 6 O": a lone look-alike among single digits,
        // or opening a run of single characters that reaches a digit.
        let single = |k: usize| {
            tokens.get(k).is_some_and(|&(_, t)| {
                let t = &t[..bare(t)];
                t.len() == 1 && (t.as_bytes()[0].is_ascii_digit() || is_soft(t.as_bytes()[0]))
            })
        };
        let lone = |k: usize, inside: bool| {
            let t = &tokens[k].1[..bare(tokens[k].1)];
            t.len() == 1
                && matches!(t, "O" | "I" | "l")
                && if inside {
                    single(k - 1) || single(k + 1)
                } else {
                    single(k + 1)
                        && tokens[k + 1..]
                            .iter()
                            .take(3)
                            .take_while(|&&(_, t)| t.len() == 1)
                            .any(|&(_, t)| t.as_bytes()[0].is_ascii_digit())
                }
        };
        while j < tokens.len() && (in_run(tokens[j].1, j > i) || lone(j, j > i)) {
            let t = &tokens[j].1[..bare(tokens[j].1)];
            let d = t.bytes().filter(u8::is_ascii_digit).count();
            let l = t.bytes().filter(|&b| is_soft(b) || is_hard(b)).count();
            digits += d;
            soft += t.bytes().filter(|&b| is_soft(b)).count();
            hard += t.bytes().filter(|&b| is_hard(b)).count();
            mixed |= d > 0 && l > 0;
            j += 1;
            // "11 98765. O resto": a full stop ends the run.
            if tokens[j - 1].1.ends_with('.') {
                break;
            }
        }
        if j == i {
            i += 1;
            continue;
        }
        let letters = soft + hard;
        let classic = hard == 0 && digits >= 6 && soft > 0 && soft * 2 <= digits;
        let spelled =
            letters >= 2 && digits >= 3 && mixed && (9..=13).contains(&(digits + letters));
        if classic || spelled {
            for &(start, token) in &tokens[i..j] {
                for (k, b) in token[..bare(token)].bytes().enumerate() {
                    let to = match b {
                        b'O' | b'o' => b'0',
                        b'I' | b'l' => b'1',
                        b'Z' => b'2',
                        b'S' => b'5',
                        b'G' => b'6',
                        b'B' => b'8',
                        _ => continue,
                    };
                    replacements.push((start + k, to));
                }
            }
        }
        i = j;
    }
    if replacements.is_empty() {
        return Vec::new();
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for &(at, to) in &replacements {
        bytes[at] = to;
    }
    // Only ASCII letters were swapped for ASCII digits, so this stays UTF-8.
    *text = String::from_utf8(bytes).unwrap_or_default();
    replacements.into_iter().map(|(at, _)| at).collect()
}

/// "0utl00k d0t c0m" → "outlook dot com": digits standing for letters in
/// mail providers, "dot" and top-level domains. Same byte length.
fn unleet_mail_words(text: &mut String) {
    const WORDS: &[&str] = &[
        "outlook", "hotmail", "yahoo", "gmail", "icloud", "live", "mail", "dot", "com", "net",
        "org", "punkt", "punto", "ponto", "nokta", "point", "web", "libero", "orange", "free",
        "wanadoo", "gmx", "yandex", "interia", "onet", "ziggo", "laposte", "virgilio", "sapo",
    ];
    /// Country domains, read as such only right after a dot word ("w3b d0t d3").
    const AFTER_DOT: &[&str] = &[
        "de", "it", "es", "fr", "pl", "nl", "ru", "pt", "br", "tr", "at", "be", "ch", "uk",
    ];
    const DOTS: &[&str] = &[
        "dot", "punkt", "punto", "ponto", "nokta", "point", "punt", "kropka",
    ];
    let bytes = text.as_bytes();
    let mut replacements: Vec<(usize, u8)> = Vec::new();
    let mut i = 0;
    let mut after_dot = false;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        // "s@p0": an "@" between letters stands for an "a".
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric()
                || (bytes[i] == b'@' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)))
        {
            i += 1;
        }
        let token = &bytes[start..i];
        let was_after_dot = std::mem::replace(&mut after_dot, false);
        if token.len() > 7
            || !token.iter().any(|b| b.is_ascii_digit() || *b == b'@')
            || !token.iter().any(u8::is_ascii_alphabetic)
        {
            after_dot = DOTS
                .iter()
                .any(|w| w.as_bytes().eq_ignore_ascii_case(token));
            continue;
        }
        for one in [b'i', b'l'] {
            let plain: Vec<u8> = token
                .iter()
                .map(|&b| match b {
                    b'0' => b'o',
                    b'1' => one,
                    b'3' => b'e',
                    b'4' | b'@' => b'a',
                    b'6' => b'g',
                    b'5' => b's',
                    b'7' => b't',
                    b => b.to_ascii_lowercase(),
                })
                .collect();
            let word = |w: &&str| w.as_bytes() == plain.as_slice();
            if WORDS.iter().any(word) || (was_after_dot && AFTER_DOT.iter().any(word)) {
                for (k, (&b, &p)) in token.iter().zip(&plain).enumerate() {
                    if b.is_ascii_digit() || b == b'@' {
                        replacements.push((start + k, p));
                    }
                }
                after_dot = DOTS.iter().any(word);
                break;
            }
        }
    }
    if replacements.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for (at, to) in replacements {
        bytes[at] = to;
    }
    // Only ASCII digits were swapped for ASCII letters, so this stays UTF-8.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

fn split_tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(char::is_whitespace)
        .scan(0usize, |pos, tok| {
            let start = *pos;
            *pos += tok.len();
            // `split` consumed one whitespace char after the token; find its width.
            let rest = &text[*pos..];
            *pos += rest.chars().next().map_or(0, char::len_utf8);
            Some((start, tok))
        })
        .filter(|(_, t)| !t.is_empty())
}
