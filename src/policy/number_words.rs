//! Numbers spelled out in words, compounds included ("dreiundzwanzig",
//! "quatre-vingt-dix-neuf", "девятьсот шестнадцать", "kırk yedi",
//! "ぜろきゅうぜろ"), read as the digits a person dictating a phone number means.
//!
//! People read phone numbers in groups: "forty-seven eighteen" is 4718,
//! "three seventy-five" is 375, "zéro six" is 06. So a run of number words
//! is cut into phrases, each one cardinal below a thousand, and each phrase
//! becomes its decimal digits. A phrase grows only the way cardinals grow
//! (hundreds, then tens, then units; or a unit, "and", then tens in German,
//! Dutch and Arabic), so two units side by side are two digits.

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// 0 to 9.
    Unit,
    /// 10 to 19 where they cannot grow ("eleven", "dieciocho").
    Teen,
    /// 20 to 90, and a ten that units follow ("dix"-huit, Turkish "on" iki).
    Tens,
    /// 100 to 900 written as one word ("seiscientos", "двести").
    Hundreds,
    /// "hundred", "cent", "hundert": multiplies the unit before it.
    Hundred,
    /// "and" inside a number ("treinta y dos", "vinte e um", "drei-und-zwanzig").
    And,
    /// "plus" before a country code.
    Plus,
    /// "double"/"triple" before a digit.
    Repeat,
}

/// `(word, class, value, weak)`. A weak word is also a common word in one of
/// the languages ("one", "on", "un", "een", "bir", "sei", "neuf"); it counts
/// only next to another number word, or between two numbers.
const LEXICON: &[(&str, Class, u16, bool)] = {
    use Class::*;
    &[
        // English
        ("zero", Unit, 0, false),
        ("oh", Unit, 0, true),
        ("one", Unit, 1, true),
        ("two", Unit, 2, false),
        ("three", Unit, 3, false),
        ("four", Unit, 4, false),
        ("five", Unit, 5, false),
        ("six", Unit, 6, true),
        ("seven", Unit, 7, false),
        ("eight", Unit, 8, false),
        ("nine", Unit, 9, false),
        ("ten", Teen, 10, true),
        ("eleven", Teen, 11, false),
        ("twelve", Teen, 12, false),
        ("thirteen", Teen, 13, false),
        ("fourteen", Teen, 14, false),
        ("fifteen", Teen, 15, false),
        ("sixteen", Teen, 16, false),
        ("seventeen", Teen, 17, false),
        ("eighteen", Teen, 18, false),
        ("nineteen", Teen, 19, false),
        ("twenty", Tens, 20, false),
        ("thirty", Tens, 30, false),
        ("forty", Tens, 40, false),
        ("fourty", Tens, 40, false),
        ("fifty", Tens, 50, false),
        ("sixty", Tens, 60, false),
        ("seventy", Tens, 70, false),
        ("eighty", Tens, 80, false),
        ("ninety", Tens, 90, false),
        ("hundred", Hundred, 100, false),
        ("and", And, 0, true),
        ("plus", Plus, 0, true),
        ("double", Repeat, 2, true),
        ("triple", Repeat, 3, true),
        ("dubbel", Repeat, 2, true),
        ("doppel", Repeat, 2, true),
        ("doble", Repeat, 2, true),
        ("doppio", Repeat, 2, true),
        ("podwójne", Repeat, 2, true),
        ("tripel", Repeat, 3, true),
        // German
        ("null", Unit, 0, true),
        ("eins", Unit, 1, false),
        ("ein", Unit, 1, true),
        ("eine", Unit, 1, true),
        ("zwei", Unit, 2, false),
        ("zwo", Unit, 2, false),
        ("drei", Unit, 3, false),
        ("vier", Unit, 4, false),
        ("fünf", Unit, 5, false),
        ("fuenf", Unit, 5, false),
        ("sechs", Unit, 6, false),
        ("sieben", Unit, 7, false),
        ("acht", Unit, 8, true),
        ("neun", Unit, 9, false),
        ("zehn", Teen, 10, false),
        ("elf", Teen, 11, true),
        ("zwölf", Teen, 12, false),
        ("zwoelf", Teen, 12, false),
        ("dreizehn", Teen, 13, false),
        ("vierzehn", Teen, 14, false),
        ("fünfzehn", Teen, 15, false),
        ("sechzehn", Teen, 16, false),
        ("siebzehn", Teen, 17, false),
        ("achtzehn", Teen, 18, false),
        ("neunzehn", Teen, 19, false),
        ("zwanzig", Tens, 20, false),
        ("dreißig", Tens, 30, false),
        ("dreissig", Tens, 30, false),
        ("vierzig", Tens, 40, false),
        ("fünfzig", Tens, 50, false),
        ("sechzig", Tens, 60, false),
        ("siebzig", Tens, 70, false),
        ("achtzig", Tens, 80, false),
        ("neunzig", Tens, 90, false),
        ("hundert", Hundred, 100, false),
        ("und", And, 0, true),
        // Dutch
        ("nul", Unit, 0, true),
        ("een", Unit, 1, true),
        ("één", Unit, 1, false),
        ("twee", Unit, 2, false),
        ("drie", Unit, 3, false),
        ("vijf", Unit, 5, false),
        ("zes", Unit, 6, false),
        ("zeven", Unit, 7, false),
        ("negen", Unit, 9, false),
        ("tien", Teen, 10, true),
        ("twaalf", Teen, 12, false),
        ("dertien", Teen, 13, false),
        ("veertien", Teen, 14, false),
        ("vijftien", Teen, 15, false),
        ("zestien", Teen, 16, false),
        ("zeventien", Teen, 17, false),
        ("achttien", Teen, 18, false),
        ("negentien", Teen, 19, false),
        ("twintig", Tens, 20, false),
        ("dertig", Tens, 30, false),
        ("veertig", Tens, 40, false),
        ("vijftig", Tens, 50, false),
        ("zestig", Tens, 60, false),
        ("zeventig", Tens, 70, false),
        ("tachtig", Tens, 80, false),
        ("negentig", Tens, 90, false),
        ("honderd", Hundred, 100, false),
        ("en", And, 0, true),
        ("ën", And, 0, true),
        // French (Belgian and Swiss tens too)
        ("zéro", Unit, 0, false),
        ("un", Unit, 1, true),
        ("une", Unit, 1, true),
        ("deux", Unit, 2, false),
        ("trois", Unit, 3, false),
        ("quatre", Unit, 4, false),
        ("cinq", Unit, 5, false),
        ("sept", Unit, 7, true),
        ("huit", Unit, 8, false),
        ("neuf", Unit, 9, true),
        ("dix", Tens, 10, false),
        ("onze", Teen, 11, true),
        ("douze", Teen, 12, false),
        ("treize", Teen, 13, false),
        ("quatorze", Teen, 14, false),
        ("quinze", Teen, 15, false),
        ("seize", Teen, 16, false),
        ("vingt", Tens, 20, false),
        ("vingts", Tens, 20, false),
        ("trente", Tens, 30, false),
        ("quarante", Tens, 40, false),
        ("cinquante", Tens, 50, false),
        ("soixante", Tens, 60, false),
        ("septante", Tens, 70, false),
        ("huitante", Tens, 80, false),
        ("octante", Tens, 80, false),
        ("nonante", Tens, 90, false),
        ("cent", Hundred, 100, true),
        ("cents", Hundred, 100, true),
        ("et", And, 0, true),
        // Spanish
        ("cero", Unit, 0, false),
        ("uno", Unit, 1, true),
        ("dos", Unit, 2, false),
        ("tres", Unit, 3, false),
        ("trés", Unit, 3, false),
        ("cuatro", Unit, 4, false),
        ("cinco", Unit, 5, false),
        ("seis", Unit, 6, false),
        ("séis", Unit, 6, false),
        ("siete", Unit, 7, false),
        ("ocho", Unit, 8, false),
        ("nueve", Unit, 9, false),
        ("diez", Teen, 10, false),
        ("once", Teen, 11, true),
        ("doce", Teen, 12, false),
        ("trece", Teen, 13, false),
        ("catorce", Teen, 14, false),
        ("quince", Teen, 15, false),
        ("dieci", Tens, 10, false),
        ("veinte", Tens, 20, false),
        ("veinti", Tens, 20, false),
        ("treinta", Tens, 30, false),
        ("cuarenta", Tens, 40, false),
        ("cincuenta", Tens, 50, false),
        ("sesenta", Tens, 60, false),
        ("setenta", Tens, 70, false),
        ("ochenta", Tens, 80, false),
        ("noventa", Tens, 90, false),
        ("cien", Hundreds, 100, false),
        ("ciento", Hundreds, 100, false),
        ("doscientos", Hundreds, 200, false),
        ("trescientos", Hundreds, 300, false),
        ("cuatrocientos", Hundreds, 400, false),
        ("quinientos", Hundreds, 500, false),
        ("seiscientos", Hundreds, 600, false),
        ("setecientos", Hundreds, 700, false),
        ("ochocientos", Hundreds, 800, false),
        ("novecientos", Hundreds, 900, false),
        ("y", And, 0, true),
        ("más", Plus, 0, true),
        // Portuguese
        ("um", Unit, 1, true),
        ("uma", Unit, 1, true),
        ("dois", Unit, 2, false),
        ("duas", Unit, 2, false),
        ("três", Unit, 3, false),
        ("quatro", Unit, 4, false),
        ("meia", Unit, 6, true),
        ("sete", Unit, 7, false),
        ("oito", Unit, 8, false),
        ("nove", Unit, 9, false),
        ("dez", Teen, 10, false),
        ("doze", Teen, 12, false),
        ("treze", Teen, 13, false),
        ("catorze", Teen, 14, false),
        ("quatorze", Teen, 14, false),
        ("dezasseis", Teen, 16, false),
        ("dezesseis", Teen, 16, false),
        ("dezassete", Teen, 17, false),
        ("dezessete", Teen, 17, false),
        ("dezoito", Teen, 18, false),
        ("dezanove", Teen, 19, false),
        ("dezenove", Teen, 19, false),
        ("vinte", Tens, 20, false),
        ("trinta", Tens, 30, false),
        ("quarenta", Tens, 40, false),
        ("cinquenta", Tens, 50, false),
        ("sessenta", Tens, 60, false),
        ("oitenta", Tens, 80, false),
        ("cem", Hundreds, 100, false),
        ("cento", Hundred, 100, false),
        ("duzentos", Hundreds, 200, false),
        ("trezentos", Hundreds, 300, false),
        ("quatrocentos", Hundreds, 400, false),
        ("quinhentos", Hundreds, 500, false),
        ("seiscentos", Hundreds, 600, false),
        ("setecentos", Hundreds, 700, false),
        ("oitocentos", Hundreds, 800, false),
        ("novecentos", Hundreds, 900, false),
        ("e", And, 0, true),
        ("mais", Plus, 0, true),
        // Italian (with the elided tens of "ventotto", "sessantuno")
        ("due", Unit, 2, true),
        ("tre", Unit, 3, false),
        ("tré", Unit, 3, false),
        ("quattro", Unit, 4, false),
        ("cinque", Unit, 5, false),
        ("sei", Unit, 6, true),
        ("sette", Unit, 7, false),
        ("otto", Unit, 8, true),
        ("dieci", Teen, 10, false),
        ("undici", Teen, 11, false),
        ("dodici", Teen, 12, false),
        ("tredici", Teen, 13, false),
        ("quattordici", Teen, 14, false),
        ("quindici", Teen, 15, false),
        ("sedici", Teen, 16, false),
        ("diciassette", Teen, 17, false),
        ("diciotto", Teen, 18, false),
        ("diciannove", Teen, 19, false),
        ("venti", Tens, 20, false),
        ("vent", Tens, 20, false),
        ("trenta", Tens, 30, false),
        ("trent", Tens, 30, false),
        ("quaranta", Tens, 40, false),
        ("quarant", Tens, 40, false),
        ("cinquanta", Tens, 50, false),
        ("cinquant", Tens, 50, false),
        ("sessanta", Tens, 60, false),
        ("sessant", Tens, 60, false),
        ("settanta", Tens, 70, false),
        ("settant", Tens, 70, false),
        ("ottanta", Tens, 80, false),
        ("ottant", Tens, 80, false),
        ("novanta", Tens, 90, false),
        ("novant", Tens, 90, false),
        ("più", Plus, 0, true),
        // Russian
        ("ноль", Unit, 0, false),
        ("нуль", Unit, 0, false),
        ("один", Unit, 1, true),
        ("одна", Unit, 1, true),
        ("два", Unit, 2, false),
        ("две", Unit, 2, false),
        ("три", Unit, 3, false),
        ("четыре", Unit, 4, false),
        ("пять", Unit, 5, false),
        ("шесть", Unit, 6, false),
        ("семь", Unit, 7, false),
        ("восемь", Unit, 8, false),
        ("девять", Unit, 9, false),
        ("десять", Teen, 10, false),
        ("одиннадцать", Teen, 11, false),
        ("двенадцать", Teen, 12, false),
        ("тринадцать", Teen, 13, false),
        ("четырнадцать", Teen, 14, false),
        ("пятнадцать", Teen, 15, false),
        ("шестнадцать", Teen, 16, false),
        ("семнадцать", Teen, 17, false),
        ("восемнадцать", Teen, 18, false),
        ("девятнадцать", Teen, 19, false),
        ("двадцать", Tens, 20, false),
        ("тридцать", Tens, 30, false),
        ("сорок", Tens, 40, false),
        ("пятьдесят", Tens, 50, false),
        ("шестьдесят", Tens, 60, false),
        ("семьдесят", Tens, 70, false),
        ("восемьдесят", Tens, 80, false),
        ("девяносто", Tens, 90, false),
        ("сто", Hundreds, 100, false),
        ("двести", Hundreds, 200, false),
        ("триста", Hundreds, 300, false),
        ("четыреста", Hundreds, 400, false),
        ("пятьсот", Hundreds, 500, false),
        ("шестьсот", Hundreds, 600, false),
        ("семьсот", Hundreds, 700, false),
        ("восемьсот", Hundreds, 800, false),
        ("девятьсот", Hundreds, 900, false),
        ("плюс", Plus, 0, true),
        // Polish
        ("zero", Unit, 0, false),
        ("jeden", Unit, 1, false),
        ("jedna", Unit, 1, false),
        ("dwa", Unit, 2, false),
        ("dwie", Unit, 2, false),
        ("trzy", Unit, 3, false),
        ("cztery", Unit, 4, false),
        ("pięć", Unit, 5, false),
        ("piec", Unit, 5, false),
        ("sześć", Unit, 6, false),
        ("szesc", Unit, 6, false),
        ("siedem", Unit, 7, false),
        ("osiem", Unit, 8, false),
        ("dziewięć", Unit, 9, false),
        ("dziewiec", Unit, 9, false),
        ("dziesięć", Teen, 10, false),
        ("jedenaście", Teen, 11, false),
        ("dwanaście", Teen, 12, false),
        ("trzynaście", Teen, 13, false),
        ("czternaście", Teen, 14, false),
        ("piętnaście", Teen, 15, false),
        ("szesnaście", Teen, 16, false),
        ("siedemnaście", Teen, 17, false),
        ("osiemnaście", Teen, 18, false),
        ("dziewiętnaście", Teen, 19, false),
        ("dwadzieścia", Tens, 20, false),
        ("trzydzieści", Tens, 30, false),
        ("czterdzieści", Tens, 40, false),
        ("pięćdziesiąt", Tens, 50, false),
        ("sześćdziesiąt", Tens, 60, false),
        ("siedemdziesiąt", Tens, 70, false),
        ("osiemdziesiąt", Tens, 80, false),
        ("dziewięćdziesiąt", Tens, 90, false),
        ("sto", Hundreds, 100, false),
        ("dwieście", Hundreds, 200, false),
        ("trzysta", Hundreds, 300, false),
        ("czterysta", Hundreds, 400, false),
        ("pięćset", Hundreds, 500, false),
        ("sześćset", Hundreds, 600, false),
        ("siedemset", Hundreds, 700, false),
        ("osiemset", Hundreds, 800, false),
        ("dziewięćset", Hundreds, 900, false),
        // Turkish (and its spellings without Turkish letters)
        ("sıfır", Unit, 0, false),
        ("sifir", Unit, 0, false),
        ("bir", Unit, 1, true),
        ("iki", Unit, 2, false),
        ("üç", Unit, 3, false),
        ("uc", Unit, 3, true),
        ("dört", Unit, 4, false),
        // "dört" without its dots is German "there" and French "sleeps".
        ("dort", Unit, 4, true),
        ("beş", Unit, 5, false),
        ("bes", Unit, 5, true),
        ("altı", Unit, 6, true),
        ("alti", Unit, 6, true),
        ("yedi", Unit, 7, true),
        ("sekiz", Unit, 8, false),
        ("dokuz", Unit, 9, false),
        ("on", Tens, 10, true),
        ("yirmi", Tens, 20, false),
        ("otuz", Tens, 30, false),
        ("kırk", Tens, 40, false),
        ("kirk", Tens, 40, true),
        ("elli", Tens, 50, true),
        ("altmış", Tens, 60, false),
        ("altmis", Tens, 60, false),
        ("yetmiş", Tens, 70, false),
        ("yetmis", Tens, 70, false),
        ("seksen", Tens, 80, false),
        ("doksan", Tens, 90, false),
        ("yüz", Hundred, 100, true),
        ("yuz", Hundred, 100, true),
        ("artı", Plus, 0, false),
        // Arabic (Gulf, Levantine and Egyptian forms; "و" is "and")
        ("صفر", Unit, 0, false),
        ("زيرو", Unit, 0, false),
        ("واحد", Unit, 1, true),
        ("اثنين", Unit, 2, false),
        ("إثنين", Unit, 2, false),
        ("اتنين", Unit, 2, false),
        ("اثنان", Unit, 2, false),
        ("ثلاثة", Unit, 3, false),
        ("ثلاث", Unit, 3, false),
        ("تلاتة", Unit, 3, false),
        ("أربعة", Unit, 4, false),
        ("اربعة", Unit, 4, false),
        ("أربع", Unit, 4, false),
        ("خمسة", Unit, 5, false),
        ("خمس", Unit, 5, false),
        ("ستة", Unit, 6, false),
        ("ست", Unit, 6, true),
        ("سبعة", Unit, 7, false),
        ("سبع", Unit, 7, false),
        ("ثمانية", Unit, 8, false),
        ("ثمنية", Unit, 8, false),
        ("تمانية", Unit, 8, false),
        ("تمنية", Unit, 8, false),
        ("تسعة", Unit, 9, false),
        ("تسع", Unit, 9, false),
        ("عشرة", Teen, 10, false),
        ("احدعش", Teen, 11, false),
        ("حداشر", Teen, 11, false),
        ("اطناش", Teen, 12, false),
        ("اتناشر", Teen, 12, false),
        ("ثلطعش", Teen, 13, false),
        ("تلتاشر", Teen, 13, false),
        ("أربعطعش", Teen, 14, false),
        ("اربعطعش", Teen, 14, false),
        ("اربعتاشر", Teen, 14, false),
        ("خمسطعش", Teen, 15, false),
        ("خمستاشر", Teen, 15, false),
        ("ستطعش", Teen, 16, false),
        ("سبعطعش", Teen, 17, false),
        ("ثمنطعش", Teen, 18, false),
        ("تسعطعش", Teen, 19, false),
        ("عشرين", Tens, 20, false),
        ("ثلاثين", Tens, 30, false),
        ("تلاتين", Tens, 30, false),
        ("أربعين", Tens, 40, false),
        ("اربعين", Tens, 40, false),
        ("خمسين", Tens, 50, false),
        ("ستين", Tens, 60, false),
        ("سبعين", Tens, 70, false),
        ("ثمانين", Tens, 80, false),
        ("تمانين", Tens, 80, false),
        ("تسعين", Tens, 90, false),
        ("مية", Hundreds, 100, false),
        ("مئة", Hundreds, 100, false),
        ("ميتين", Hundreds, 200, false),
        ("ثلاثمية", Hundreds, 300, false),
        ("تلتمية", Hundreds, 300, false),
        ("ربعمية", Hundreds, 400, false),
        ("أربعمية", Hundreds, 400, false),
        ("خمسمية", Hundreds, 500, false),
        ("ستمية", Hundreds, 600, false),
        ("سبعمية", Hundreds, 700, false),
        ("ثمنمية", Hundreds, 800, false),
        ("تمنمية", Hundreds, 800, false),
        ("تسعمية", Hundreds, 900, false),
        ("و", And, 0, true),
        ("زائد", Plus, 0, false),
        // Japanese readings in kana ("まる" and "れい" for zero)
        ("ぜろ", Unit, 0, false),
        ("ゼロ", Unit, 0, false),
        ("まる", Unit, 0, true),
        ("マル", Unit, 0, true),
        ("れい", Unit, 0, true),
        ("いち", Unit, 1, false),
        ("イチ", Unit, 1, false),
        ("に", Unit, 2, true),
        ("にー", Unit, 2, true),
        ("にい", Unit, 2, true),
        ("ニ", Unit, 2, true),
        ("ニー", Unit, 2, true),
        ("さん", Unit, 3, true),
        ("サン", Unit, 3, true),
        ("よん", Unit, 4, false),
        ("ヨン", Unit, 4, false),
        ("ご", Unit, 5, true),
        ("ごー", Unit, 5, true),
        ("ごお", Unit, 5, true),
        ("ゴ", Unit, 5, true),
        ("ゴー", Unit, 5, true),
        ("ろく", Unit, 6, false),
        ("ロク", Unit, 6, false),
        ("なな", Unit, 7, false),
        ("ナナ", Unit, 7, false),
        ("しち", Unit, 7, false),
        ("はち", Unit, 8, false),
        ("ハチ", Unit, 8, false),
        ("きゅう", Unit, 9, false),
        ("キュウ", Unit, 9, false),
        ("きゅー", Unit, 9, false),
        ("キュー", Unit, 9, false),
        ("プラス", Plus, 0, false),
    ]
};

#[derive(Clone, Copy, Debug)]
struct Lexeme {
    class: Class,
    value: u16,
    weak: bool,
}

/// A run of number words read as digits: input bytes `start..end` stand for `digits`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub start: usize,
    pub end: usize,
    pub digits: String,
}

/// One word of the input that is wholly made of number words.
struct Word {
    start: usize,
    end: usize,
    parts: Vec<Lexeme>,
}

/// Reads spelled-out numbers; built once (the lexicon's automaton).
#[derive(Debug)]
pub struct NumberWords {
    lexicon: AhoCorasick,
    /// The first two bytes (lowercase ASCII) of every number word that
    /// starts with two ASCII letters, as a bitset: a word starting with any
    /// other pair is skipped without a search (most words).
    ascii_pairs: Vec<u64>,
    /// Number words of one ASCII letter ("e", "y").
    ascii_singles: u128,
}

impl Default for NumberWords {
    fn default() -> Self {
        let lexicon = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(LEXICON.iter().map(|e| e.0))
            .expect("the number-word lexicon builds");
        let mut ascii_pairs = vec![0u64; (1 << 10) / 64];
        let mut ascii_singles = 0u128;
        for (w, ..) in LEXICON {
            let b = w.as_bytes();
            match b {
                [a] if a.is_ascii() => ascii_singles |= 1 << a,
                [a, c, ..] if a.is_ascii() && c.is_ascii() => {
                    let k = pair_index(*a, *c);
                    ascii_pairs[k / 64] |= 1 << (k % 64);
                }
                _ => {}
            }
        }
        Self {
            lexicon,
            ascii_pairs,
            ascii_singles,
        }
    }
}

/// Where an ASCII letter pair lives in the pair bitset.
fn pair_index(a: u8, b: u8) -> usize {
    (usize::from(a.to_ascii_lowercase() & 0x1F) << 5) | usize::from(b.to_ascii_lowercase() & 0x1F)
}

impl NumberWords {
    /// Whether `word` can start with a number word; `false` is certain for
    /// words that start with two ASCII letters or are one ASCII letter.
    fn may_start_number(&self, word: &str) -> bool {
        match word.as_bytes() {
            [a] if a.is_ascii() => self.ascii_singles & (1 << a.to_ascii_lowercase()) != 0,
            [a, b, ..] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                let k = pair_index(*a, *b);
                self.ascii_pairs[k / 64] & (1 << (k % 64)) != 0
            }
            _ => true,
        }
    }

    /// The word split wholly into lexicon entries (greedy, longest first), or `None`.
    fn split(&self, word: &str) -> Option<Vec<Lexeme>> {
        let lower;
        let word = if word.chars().any(char::is_uppercase) {
            lower = word.to_lowercase();
            lower.as_str()
        } else {
            word
        };
        let mut parts = Vec::new();
        if !self.split_from(word, 0, &mut parts) {
            return None;
        }
        // Glue alone ("and-and") is not a number.
        let numbers = parts
            .iter()
            .filter(|p| !matches!(p.class, Class::And | Class::Plus | Class::Repeat))
            .count();
        if parts.len() > 1 && numbers == 0 {
            return None;
        }
        // Inside a glued word "and" only joins two numbers ("drei-und-zwanzig");
        // Arabic "و" leads the word it joins ("وعشرين"). So "entre" is no "en" + "tre".
        let last = parts.len() - 1;
        let misplaced_and = parts.iter().enumerate().any(|(k, p)| {
            p.class == Class::And
                && parts.len() > 1
                && (k == last || (k == 0 && !word.starts_with('و')))
        });
        if misplaced_and {
            return None;
        }
        // A compound of common words ("onbir", "وواحد") is as weak as they are.
        let weak = parts.iter().all(|p| p.weak);
        if parts.len() > 1 {
            for p in &mut parts {
                p.weak = weak;
            }
        }
        Some(parts)
    }

    /// Splits `word[at..]` into lexicon entries, longest first, backing off
    /// to shorter ones when the rest does not split ("trecento" is "tre" +
    /// "cento", not Spanish "trece" + "nto").
    fn split_from(&self, word: &str, at: usize, parts: &mut Vec<Lexeme>) -> bool {
        if at == word.len() {
            return true;
        }
        let mut limit = word.len();
        while limit > at {
            let input = Input::new(word).range(at..limit).anchored(Anchored::Yes);
            let Some(m) = self.lexicon.find(input) else {
                return false;
            };
            let (_, class, value, weak) = LEXICON[m.pattern().as_usize()];
            parts.push(Lexeme { class, value, weak });
            if self.split_from(word, m.end(), parts) {
                return true;
            }
            parts.pop();
            limit = m.end() - 1;
        }
        false
    }

    /// The phrases of spelled-out numbers in `input`, in order.
    pub fn phrases(&self, input: &str) -> Vec<Phrase> {
        let mut words: Vec<Word> = Vec::new();
        let mut chars = input.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !c.is_alphabetic() {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            // "вoсемь" with a Latin "o": a Cyrillic word reads as one.
            let word = cyrillic_read(&input[i..end]);
            if !self.may_start_number(&word) {
                continue;
            }
            if let Some(parts) = self.split(&word) {
                words.push(Word {
                    start: i,
                    end,
                    parts,
                });
            }
        }
        if words.is_empty() {
            return Vec::new();
        }
        let keep = kept(input, &words);
        let mut out = Vec::new();
        let mut run: Vec<&Word> = Vec::new();
        for (w, k) in words.iter().zip(keep) {
            if !k {
                flush(input, &mut run, &mut out);
                continue;
            }
            if let Some(last) = run.last()
                && !joined(&input[last.end..w.start])
            {
                flush(input, &mut run, &mut out);
            }
            run.push(w);
        }
        flush(input, &mut run, &mut out);
        out
    }
}

/// Characters between two words that keep them in one run of number words.
fn separator_only(gap: &str) -> bool {
    gap.chars().count() <= 4
        && gap.chars().all(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | '-' | '–' | '—' | '.' | '/' | '、' | '・' | ';' | '،' | '…'
                )
        })
}

/// A word of Cyrillic letters with Latin look-alikes among them
/// ("вoсемь", "дeвять"), read with the Cyrillic letters they stand for.
fn cyrillic_read(word: &str) -> std::borrow::Cow<'_, str> {
    let cyrillic = |c: char| ('\u{0400}'..='\u{04FF}').contains(&c);
    if word.is_ascii() || !word.chars().any(cyrillic) || !word.chars().any(|c| c.is_ascii()) {
        return std::borrow::Cow::Borrowed(word);
    }
    word.chars()
        .map(|c| match c {
            'a' => 'а',
            'c' => 'с',
            'e' => 'е',
            'o' => 'о',
            'p' => 'р',
            'x' => 'х',
            'y' => 'у',
            'k' => 'к',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// Two words in one phrase: only a space or a hyphen between them.
fn joined(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().count() <= 2 && gap.chars().all(|c| c == ' ' || c == '-')
}

/// Which words count: strong ones always; weak ones ("one", "un", "bir")
/// next to another number word or glued to a digit, or with a number on
/// both sides; "and" between two numbers; "plus" and "double" before one.
fn kept(input: &str, words: &[Word]) -> Vec<bool> {
    let near = |a: &Word, b: &Word| separator_only(&input[a.end..b.start]);
    // "onze 🍍 9 8 7": an emoji splitting the number is as light as a comma.
    let light = |c: char| {
        c.is_whitespace()
            || matches!(c, ',' | '-' | '–' | '.' | '/' | '،')
            || super::normalize::is_splitting_symbol(c)
            || super::normalize::is_invisible(c)
    };
    let short = |gap: &str| gap.chars().count() <= 6;
    let digit_before = |w: &Word| {
        let before = input[..w.start].trim_end_matches(light);
        short(&input[before.len()..w.start])
            && before.chars().next_back().is_some_and(char::is_numeric)
    };
    let digit_after = |w: &Word| {
        let after = input[w.end..].trim_start_matches(light);
        short(&input[w.end..input.len() - after.len()]) && after.starts_with(char::is_numeric)
    };
    // "onze 🍍 9 8 7 🍍 6 5 …": a weak word strung on emoji with a long run
    // of digits (six or more) after it is its first group; "on 0612345678"
    // or "on 07 🌻 700 …" keep their preposition.
    let opens_a_number = |w: &Word| {
        let symbol = |c: char| !c.is_ascii() && super::normalize::is_splitting_symbol(c);
        let run = input[w.end..]
            .chars()
            .take(48)
            .take_while(|&c| c.is_numeric() || light(c));
        let (mut digits, mut symbols, mut first_split) = (0, 0, false);
        for c in run {
            if symbol(c) && digits == 0 {
                first_split = true;
            }
            digits += usize::from(c.is_numeric());
            symbols += usize::from(symbol(c));
        }
        digit_after(w) && first_split && digits >= 6 && symbols >= 2
    };
    let glued_to_digit = |w: &Word| {
        input[..w.start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
            || input[w.end..].starts_with(|c: char| c.is_ascii_digit())
    };
    let strong = |w: &Word| {
        w.parts
            .iter()
            .any(|p| !p.weak && !matches!(p.class, Class::And | Class::Plus | Class::Repeat))
    };
    // "double oh": a repeat or plus before a weak word vouches for it too.
    let is_and = |w: &Word| w.parts.iter().all(|p| p.class == Class::And);
    let number_before =
        |i: usize| i > 0 && !is_and(&words[i - 1]) && near(&words[i - 1], &words[i]);
    // "vinte e um": a weak word after "and" that follows a number counts.
    let after_and = |i: usize| {
        i > 1
            && is_and(&words[i - 1])
            && near(&words[i - 1], &words[i])
            && !is_glue(&words[i - 2])
            && near(&words[i - 2], &words[i - 1])
    };
    let number_after =
        |i: usize| i + 1 < words.len() && !is_glue(&words[i + 1]) && near(&words[i], &words[i + 1]);
    // "onze 9 sete zero 4": a weak teen before one digit and then number
    // words is the number's first group.
    let opens_mixed_run = |i: usize| {
        let w = &words[i];
        w.parts.iter().all(|p| p.class == Class::Teen)
            && words.get(i + 1).is_some_and(|n| {
                let gap = &input[w.end..n.start];
                strong(n)
                    && short(gap)
                    && gap.chars().filter(char::is_ascii_digit).count() == 1
                    && gap.chars().all(|c| c.is_ascii_digit() || light(c))
            })
    };
    (0..words.len())
        .map(|i| {
            let w = &words[i];
            if is_glue(w) {
                let ahead = number_after(i) || digit_after(w);
                let and = w.parts.iter().all(|p| p.class == Class::And);
                return if and {
                    number_before(i) && number_after(i)
                } else {
                    ahead
                };
            }
            strong(w)
                || number_before(i)
                || after_and(i)
                || number_after(i)
                || glued_to_digit(w)
                || (digit_before(w) && digit_after(w))
                || opens_a_number(w)
                || opens_mixed_run(i)
        })
        .collect()
}

/// "and", "plus" and "double" alone.
fn is_glue(w: &Word) -> bool {
    w.parts
        .iter()
        .all(|p| matches!(p.class, Class::And | Class::Plus | Class::Repeat))
}

/// Reads one run of adjacent number words into phrases.
fn flush(input: &str, run: &mut Vec<&Word>, out: &mut Vec<Phrase>) {
    if run.is_empty() {
        return;
    }
    let mut reader = Reader::default();
    for (k, w) in run.iter().enumerate() {
        let next_is_number = run.get(k + 1).is_some_and(|n| !is_glue(n));
        let spaced_from_previous = k > 0 && !joined(&input[run[k - 1].end..w.start]);
        if spaced_from_previous {
            reader.close(out);
        }
        for (n, p) in w.parts.iter().enumerate() {
            let last_part = n + 1 == w.parts.len();
            reader.feed(*p, w.start, w.end, last_part && !next_is_number, out);
        }
    }
    reader.close(out);
    run.clear();
}

/// The phrase being read: its value, what may follow, and where it lies.
#[derive(Default)]
struct Reader {
    /// Digits of phrases already closed inside the current word(s), kept to
    /// emit them as one phrase with the word's span.
    value: Option<u16>,
    /// The class of the last part read into `value`.
    last: Option<Class>,
    /// An "and" read after `value`, waiting for what follows it.
    pending_and: bool,
    pending_plus: bool,
    repeat: u16,
    /// Whether a phrase has begun (its `start` is set).
    open: bool,
    start: usize,
    end: usize,
    /// Digits read so far in this phrase group (closed sub-phrases).
    digits: String,
}

impl Reader {
    fn feed(&mut self, p: Lexeme, start: usize, end: usize, at_end: bool, out: &mut Vec<Phrase>) {
        use Class::*;
        match p.class {
            And => {
                if self.value.is_some() && !at_end {
                    self.pending_and = true;
                    self.end = end;
                } else {
                    self.close(out);
                }
                return;
            }
            Plus => {
                self.close(out);
                self.pending_plus = true;
                self.begin(start);
                self.end = end;
                return;
            }
            Repeat => {
                if !at_end {
                    self.settle();
                    self.begin(start);
                    self.repeat = p.value;
                    self.end = end;
                }
                return;
            }
            _ => {}
        }
        let and = std::mem::take(&mut self.pending_and);
        let grown = match (self.value, self.last, p.class) {
            (Some(v), Some(Unit), Hundred) if (1..=9).contains(&v) => Some(v * 100),
            (Some(v), Some(Hundreds | Hundred), Tens | Teen | Unit)
                if v % 100 == 0 && !(p.class == Unit && p.value == 0) =>
            {
                Some(v + p.value)
            }
            (Some(v), Some(Tens), Unit) if v % 10 == 0 && p.value > 0 => Some(v + p.value),
            // French "soixante-treize", "quatre-vingt-dix-neuf".
            (Some(v), Some(Tens), Teen | Tens)
                if matches!(v % 100, 60 | 80) && (10..=19).contains(&p.value) =>
            {
                Some(v + p.value)
            }
            (Some(4), Some(Unit), Tens) if p.value == 20 && !and => Some(80),
            // German, Dutch and Arabic: the unit, "and", then the tens.
            (Some(v), Some(Unit), Tens) if and && v % 100 < 10 && v % 100 > 0 && p.value >= 20 => {
                Some(v + p.value)
            }
            _ => None,
        };
        if let Some(v) = grown {
            self.value = Some(v);
            self.last = Some(if p.class == Hundred {
                Hundreds
            } else {
                p.class
            });
            self.end = end;
            return;
        }
        // A new phrase: settle the current one into the digits.
        self.settle();
        self.begin(start);
        let v = if p.class == Hundred { 100 } else { p.value };
        if self.repeat > 0 && p.class == Unit {
            for _ in 1..self.repeat {
                self.digits.push_str(&v.to_string());
            }
        }
        self.repeat = 0;
        self.value = Some(v);
        self.last = Some(if p.class == Hundred {
            Hundreds
        } else {
            p.class
        });
        self.end = end;
    }

    fn begin(&mut self, start: usize) {
        if !self.open {
            self.open = true;
            self.start = start;
        }
    }

    /// Moves the phrase read so far into `digits`.
    fn settle(&mut self) {
        if let Some(v) = self.value.take() {
            self.digits.push_str(&v.to_string());
        }
        self.last = None;
    }

    /// Emits what was read as one phrase.
    fn close(&mut self, out: &mut Vec<Phrase>) {
        self.settle();
        self.pending_and = false;
        self.repeat = 0;
        if !self.digits.is_empty() {
            let mut digits = std::mem::take(&mut self.digits);
            if self.pending_plus {
                digits.insert(0, '+');
            }
            out.push(Phrase {
                start: self.start,
                end: self.end,
                digits,
            });
        }
        self.pending_plus = false;
        self.open = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<String> {
        NumberWords::default()
            .phrases(text)
            .into_iter()
            .map(|p| format!("{}={}", &text[p.start..p.end], p.digits))
            .collect()
    }

    fn digits(text: &str) -> String {
        NumberWords::default()
            .phrases(text)
            .into_iter()
            .map(|p| p.digits)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn compounds_read_as_people_dictate_them() {
        assert_eq!(
            digits("four-one-five, six-oh-two, forty-seven eighteen"),
            "415 602 4718"
        );
        assert_eq!(
            digits("null eins fünf eins – dreiundzwanzig – fünfundvierzig"),
            "0151 23 45"
        );
        assert_eq!(digits("einhundertdreiundzwanzig"), "123");
        assert_eq!(
            digits("seiscientos cincuenta y cuatro, treinta y dos"),
            "654 32"
        );
        assert_eq!(
            digits("zéro six, soixante-dix-sept, quatre-vingt-un, quatre-vingt-dix-neuf"),
            "06 77 81 99"
        );
        assert_eq!(digits("zéro quatre cent septante-six"), "0476");
        assert_eq!(
            digits("trecentoquarantasette, centoventicinque, sessantuno"),
            "347 125 61"
        );
        assert_eq!(
            digits("nul vierhonderdzevenentachtig, drieëndertig"),
            "0487 33"
        );
        assert_eq!(
            digits("девятьсот шестнадцать, восемьсот два, сорок"),
            "916 802 40"
        );
        assert_eq!(
            digits("sześćset dziewięćdziesiąt cztery, dwieście dziesięć"),
            "694 210"
        );
        assert_eq!(
            digits("sıfır beşyüzkırkbir yediyüzyirmi onbeş altmışaltı"),
            "05417201566"
        );
        assert_eq!(digits("novecentos e doze, cento e vinte e três"), "912 123");
        assert_eq!(digits("تسعمية وواحد وسبعين، خمسة وخمسين"), "971 55");
        assert_eq!(digits("ぜろきゅうぜろ、いちはちさんよん"), "090 1834");
        assert_eq!(digits("oh seven seven double oh"), "07700");
        assert_eq!(digits("plus trente-trois, sept"), "+33 7");
    }

    #[test]
    fn common_words_count_only_among_numbers() {
        assert!(read("call me on 0612345678").is_empty());
        assert!(read("I have one question about the order").is_empty());
        assert!(read("bir sorum var").is_empty());
        assert_eq!(digits("on iki"), "12");
        assert_eq!(digits("06 un 23"), "1");
        assert_eq!(digits("one one two"), "112");
        // Strung on emoji, a weak word opens the number; before plain
        // digits it is only a word.
        assert_eq!(digits("me chama: onze 🍍 9 8 7 🍍 6 5 🍍 4 3 2 1"), "11");
        assert!(read("bel onze 0612345678").is_empty());
        assert!(read("call me on 07 🌻 700 🌻 900 🌻 461").is_empty());
        // German "there", French "sleeps"; Turkish 4 among numbers.
        assert!(read("Dort heiße ich moebelfuchs88").is_empty());
        assert_eq!(digits("sıfır beş dort"), "054");
    }
}
