//! Phone numbers: libphonenumber's matcher (`Leniency::Valid`) over the input
//! and over the normalised copy, plus long runs of spelled-out digits.

use super::Rule;
use rlibphonenumber::phonenumber_matcher::{Leniency, PHONE_MATCHER_FACTORY};

use super::{Detector, Hit, Scan, floor_boundary};
use crate::policy::decision::FindingKind;

/// No cap inside the matcher: its own cap gives up silently and would let
/// every number after it through. The work is bounded per message instead
/// (`MATCHER_BUDGET`), failing closed.
const MAX_TRIES: u64 = u64::MAX;

/// How much matcher work one message may cost, in `matcher_work` units
/// (about one candidate group each; every group costs a parse per region).
/// Realistic messages, email bodies included, stay far below it (the
/// `policy::tests::phone_budget_*` tests); text dense with digit groups
/// ("12 34 12 34 ...", 64 KB of them) would otherwise take the matcher
/// most of a second. A stretch that would go over the budget is not given
/// to the matcher: its digits are reported as one `phone.unchecked` hit,
/// so nothing in it reaches the other party unread.
pub const MATCHER_BUDGET: usize = 1_000;

/// The rule of a stretch's digits left unread over the budget.
pub const UNCHECKED: &str = "phone.unchecked";

/// An upper bound, in budget units, on the matcher's work on `part`: its
/// candidates are made of digit groups, each of which it may parse once as
/// a whole candidate and once as an inner group, and one group holds at
/// most 17 digits of a candidate (a national number and a country code).
pub fn matcher_work(part: &str) -> usize {
    let mut groups = 0;
    let mut digits = 0;
    let mut in_group = false;
    for b in part.bytes() {
        let digit = b.is_ascii_digit();
        if digit {
            digits += 1;
            if !in_group {
                groups += 1;
            }
        }
        in_group = digit;
    }
    groups + digits / 17
}

pub struct PhoneDetector {
    /// Words just before a number that make it an order, tracking, tax,
    /// company or reference number, in any supported language.
    not_a_phone_before: Rule,
    /// A VAT number's country code just before ("TVA FR 17 443061841", "GB 123 4567 89").
    vat_prefix: Rule,
    /// Opening hours written as a range ("0900-1800", "09.00-18.00").
    hours: Rule,
    /// Names of product and parcel codes that may stand a few words before
    /// the code ("the EAN on the box is ...", "IMEI du téléphone ...").
    code_named_before: Rule,
    /// A rating plate, a label, a sticker or the box, a few words before a
    /// number: what is read off them is a code.
    on_a_plate: Rule,
    /// Words right after a number that make it an order's ("numaralı sipariş").
    code_after: Rule,
    /// A phone named as a thing ("telefone", "Handy", "電話"), not an app
    /// or a verb: a label after it in the same breath labels the phone.
    phone_noun: Rule,
    /// A phone or messaging app named right before 10 to 15 digits: a
    /// number in international form without its plus ("whatsapp 44 7700 …").
    named_digits: Rule,
    /// A match that is a date, or runs into a time or a currency: not a phone number.
    date_or_amount: Rule,
    /// A run of 7 to 15 digits with light separators, in the normalised text.
    digit_run: Rule,
    /// "The rest", "den Rest", "la suite", "остальное", "残り": the second half
    /// of a number told in two.
    rest_cue: Rule,
    /// A number's first part or a phone named: "starts with", "Vorwahl", "номер".
    first_cue: Rule,
    /// A number's start named right before it: "starts with", "Первые цифры".
    start_cue: Rule,
    /// A group of digits with light separators ("0114 87", "5, 6, 7").
    group: Rule,
    /// A number of 10 to 13 digits written as one: the length of a national
    /// mobile number with its area code.
    national: Rule,
    /// A plus, a country code and the rest in light groups.
    international: Rule,
    /// "Area code", "Vorwahl": a code that belongs to a phone number.
    area_code: Rule,
    /// "Handynummer", "phone number": a compound naming a phone.
    phone_compound: Rule,
    /// "Read it backwards", "in a row", "you get it": numbers told to be
    /// read another way than they stand.
    announced: Rule,
    /// A group of digits with what may stand between the groups of such a
    /// number (currency signs, "x", "TL").
    loose_group: Rule,
    /// Digits ending a line, and digits opening the next non-empty one
    /// (quote marks allowed before them).
    across_lines: Rule,
    /// Numbers written in groups, to compare a candidate's shape with a
    /// code named elsewhere in the message.
    grouped: Rule,
    /// A phone named just before a number: never a code's twin.
    phone_named: Rule,
    /// Groups of digits apart by spaces in the normalised copy, where a
    /// symbol or emoji that split them was ("9 ⚡ 44 ⚡ 10", "3 🌷 8 🌷 5"),
    /// after an optional first group and "and then".
    symbol_joined: Rule,
}

impl PhoneDetector {
    pub fn new() -> Result<Self, regex::Error> {
        // Build the matcher's tables now rather than on the first message.
        std::sync::LazyLock::force(&PHONE_MATCHER_FACTORY);
        Ok(Self {
            not_a_phone_before: super::near(&not_a_phone_before())?,
            vat_prefix: super::near(
                r"\b(?:(?:EIN|TIN|ICE|CAP|REA|NIT|RUT|NIE|APE|PIN|IE|CUIT|RFC)(?:\s*(?:is|es|est|è|é|no\.?|nr\.?|n[°º]\.?))?\s*[:#]?\s*|(?:AT|ATU|BE|BG|CHE|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|NO|PL|PT|RO|SE|SI|SK|XI)(?:\s?\d{2})?[\s.-]?)$",
            )?,
            hours: super::near(
                r"^(?:[01]\d|2[0-3])[.:h]?[0-5][05]\s?[-–—]\s?(?:[01]\d|2[0-4])[.:h]?[0-5][05]$",
            )?,
            code_named_before: super::near(
                r"(?i)\b(?:ean|isbn|upc|gtin|imei|asin|sku|mpn|part\s+(?:number|no)|barcode|штрих-?код\w*|артикул\w*|imei|serial(?:\s+number)?|seriennummer|numéro\s+de\s+série|número\s+de\s+serie|numer\s+seryjny)\b[^.!?\n\d]{0,32}$",
            )?,
            on_a_plate: super::near(
                r"(?i)(?:\b(?:label|sticker|nameplate|rating\s+plate|packaging|carton|[ée]tiquette|plaque(?:\s+signal[ée]tique)?|autocollant|emballage|targhett\w*|etichett\w*|adesivo|confezione|scatola|chapa|chapinha|etiqueta|placa|pegatina|embalagem|caixa|caja|typenschild\w*|etikett\w*|aufkleber\w*|karton\w*|verpackung|typeplaat\w*|etiket\w*|verpakking|doos|tablicz\w*|etykie\w*|naklej\w*|pudeł\w*|pudel\w*|opakowani\w*|табличк\w*|этикетк\w*|наклейк\w*|коробк\w*|упаковк\w*|шильдик\w*|plaka\w*|kutu\w*|ambalaj\w*)\b|銘板|ラベル|シール|外箱|الملصق|العلبة|الكرتونة|اللوحة)[^.!?\n]{0,40}$",
            )?,
            phone_noun: super::near(
                r"(?i)\b(?:phone|telephone|tel|telefon\w*|telefone|telem[óo]vel|celular|cellulare|handy|mobile|cell|m[óo]vil|portable|mobiel|kom[óo]rk\w*|телефон\w*)\b|電話|携帯|جوال|هاتف",
            )?,
            code_after: super::near(
                r"(?i)^(?:numaral[ıi]|nolu|no'lu|no\.?\s*l[ıu])\s+(?:sipari[şs]|fatura|kargo|g[öo]nderi|ürün|urun|paket|ilan|iade|takip)",
            )?,
            named_digits: super::regex(
                r"(?i)\b(?:whats\s?app|whats|wa|zap|viber|signal|telegram|sms|tel|phone|mobile|cell|call|text|handy|telefon\w*|telefone|telem[óo]vel|celular|cellulare|m[óo]vil|portable|mobiel|kom[óo]rk\w*|телефон\w*|номер|numara\w*|ara)\b[\s:：.-]{0,3}(\d(?:[ .-]?\d){9,14})(?:$|[^\d])|(?:電話|携帯|جوال|واتس|رقم)[\s:：]{0,3}(\d(?:[ .-]?\d){9,14})(?:$|[^\d])",
            )?,
            date_or_amount: super::regex(
                r"^(?:\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b",
            )?,
            digit_run: super::regex(
                r"(?i)\d(?:(?:[ \t\-./,()–—،、]{0,3}|[ ,]+(?:then|and\s+then|dann|daarna|dan|puis|ensuite|luego|despu[ée]s|poi|depois|potem|потом|sonra)[ ,:]+)\d){6,14}",
            )?,
            rest_cue: super::regex(REST_CUE)?,
            first_cue: super::regex(FIRST_CUE)?,
            start_cue: super::regex(START_CUE)?,
            // Two or three spaces where a symbol split a half ("05O5 ➖ 7I2").
            // "O6-4l, dan 29", "9З1 — дальше б0 2": a "then" or a dash
            // between groups of one half.
            group: super::regex(
                r"(?i)\+?\d(?:(?:[ \-./]| {2,3}|, ?| ?[–—] ?|,? (?:then|dann|dan|daarna|puis|luego|despu[ée]s|poi|depois|potem|потом|дальше|далее|sonra)[ ,:]+|[ ,]?[–—] (?:then|dann|dan|puis|luego|poi|depois|potem|потом|дальше|далее|sonra) )?\d)*",
            )?,
            announced: super::regex(ANNOUNCED)?,
            phone_compound: super::near(&format!(r"{PHONE_COMPOUND}[^.!?\n\d]{{0,12}}$"))?,
            area_code: super::near(
                r"(?i)\b(?:area\s+code|dialling\s+code|vorwahl|netnummer|kengetal|indicatif|c[óo]digo\s+de\s+[áa]rea|prefisso|prefixo|kierunkowy|код\s+города|alan\s+kodu)\b[^.!?\n\d]{0,12}$",
            )?,
            loose_group: super::regex(r"\d+(?:[ ,.]\d+)*")?,
            across_lines: super::regex(
                r"(\+?\d(?:[ \-.]?\d){2,5})[ \t]*\n(?:[ \t>]*\n){0,2}[ \t>]*(\d(?:[ \-.]?\d){4,10})(?:$|[^\d])",
            )?,
            symbol_joined: super::regex(
                r"(?i)(?:\+?\d+[ ,]+(?:en\s+dan|and\s+then|then|und\s+dann|dann|daarna|puis|ensuite|luego|despu[ée]s|y\s+luego|poi|e\s+poi|depois|e\s+depois|potem|a\s+potem|потом|а\s+потом|sonra|ve\s+sonra)[ ,:]+)?(?:[OoIlSЗзОоБб]*\d[\dOoIlSЗзОоБб]*|[OoОо])(?:[ \t]{1,3}(?:[–—][ \t]{1,3})?(?:[OoIlSЗзОоБб]*\d[\dOoIlSЗзОоБб]*|[OoОо])){2,}",
            )?,
            grouped: super::regex(r"\d+(?:[ .\-/]\d+)+")?,
            phone_named: super::near(
                r"(?i)\b(?:phone|call|ring|text|mobile|cell|tel|handy|telefon\w*|anruf\w*|bel|bellen|appel\w*|portable|llam\w*|m[oó]vil|chiam\w*|cellulare|lig\w*|celular|telem[óo]vel|zadzwo\w*|komórk\w*|звон\w*|телефон\w*|ara\w*|whats\s?app|zap|mb\s?way|bizum|blik\w*|twint|swish|vipps|mobilepay|satispay|zelle|paym)\b|電話|携帯|اتصل|جوال|واتس",
            )?,
            international: super::regex(r"\+[1-9]\d{0,2}(?:[ .\-]?\(?\d{1,5}\)?){2,6}(?-u:\b)")?,
            national: super::regex(r"(?:^|[^\d])\(?\d(?:[ \-.()]{0,2}\d){8,12}(?:$|[^\d])")?,
        })
    }

    fn is_excluded(&self, text: &str, start: usize, end: usize, min_digits: usize) -> bool {
        let from = floor_boundary(text, start.saturating_sub(48));
        let before = &text[from..floor_boundary(text, start)];
        let raw = &text[floor_boundary(text, start)..floor_boundary(text, end)];
        let after = text[floor_boundary(text, end)..].trim_start_matches(' ');
        // "Area code six one seven ...": a code that names a phone number;
        // "o telefone da loja vem na guia: …": a phone named, and no other
        // number after it, a few words before the label in the same
        // sentence ("Telefonun IMEI numarası" names the phone's code).
        let phone_first = |label: regex::Match<'_>| {
            self.phone_noun
                .find_iter(&before[..label.start()])
                .last()
                .is_some_and(|m| {
                    let between = &before[m.end()..label.start()];
                    !before[m.end()..].bytes().any(|b| b.is_ascii_digit())
                        && !between.contains(['.', '!', '?', '\n', '¿', '¡', '。'])
                        && between.split_whitespace().count() >= 2
                })
        };
        let labelled = |rule: &Rule| rule.find(before).is_some_and(|m| !phone_first(m));
        let area_code = self.area_code.is_match(before) || self.phone_compound.is_match(before);
        (!area_code
            && (labelled(&self.not_a_phone_before) || labelled(&self.code_named_before)))
            // "Sur le carton il y a aussi 7701 478 018": a number read off
            // a rating plate, a label or the box is a code.
            // A phone named after the plate ("the sticker has my mobile:")
            // is what it shows.
            || self.on_a_plate.find(before).is_some_and(|m| {
                !phone_first(m) && !self.phone_named.is_match(&before[m.start()..])
            })
            // "45871203 numaralı siparişiniz": a number naming an order after it.
            || self.code_after.is_match(after)
            // "915 288 034/1", "98765-432/11": one or two digits after a
            // slash close a part or lot number.
            || raw
                .rsplit_once('/')
                .is_some_and(|(_, tail)| (1..=2).contains(&tail.len()) && tail.bytes().all(|b| b.is_ascii_digit()))
            || self.vat_prefix.is_match(before)
            || self.hours.is_match(raw)
            // "Ref. 1234/567/890": three groups joined by slashes is a
            // reference ("98 / 450 / 126" with spaces is a disguised number).
            || raw.as_bytes().windows(3).filter(|w| w[0].is_ascii_digit() && w[1] == b'/' && w[2].is_ascii_digit()).count() >= 2
            || part_of_a_code(text, start, end)
            || self.twin_of_a_code(text, start, end)
            || is_product_code(raw)
            || is_zip_plus_four(raw)
            || is_postcode(raw)
            || raw.bytes().filter(u8::is_ascii_digit).count() < min_digits
            || self.is_date(raw)
            || (after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit()))
            || after.starts_with(['€', '$', '£', '₽', '%'])
            || after.starts_with("zł")
            || before.trim_end_matches(' ').ends_with(['€', '$', '£', '₽'])
    }

    /// "The Bosch part 0 986 494 563 or the 0 986 494 564?": a number in the
    /// very shape (groups and separators) of one the message names as a
    /// code is another code, unless a phone is named just before it.
    fn twin_of_a_code(&self, text: &str, start: usize, end: usize) -> bool {
        let (start, end) = (floor_boundary(text, start), floor_boundary(text, end));
        let Some(wanted) = shape(&text[start..end]) else {
            return false;
        };
        let lead = &text[floor_boundary(text, start.saturating_sub(24))..start];
        if self.phone_named.is_match(lead) {
            return false;
        }
        // "注文番号 250-8841-0032 … 080-5512-9903": a number opening with a
        // trunk zero is a code's twin only when it opens with the code's
        // own first group ("0 986 494 563" and "0 986 494 564").
        let first_group = |s: &str| {
            s.trim()
                .split([' ', '.', '-', '/'])
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        let own_first = first_group(&text[start..end]);
        // The code it twins is named near it: a window keeps this linear in
        // a long text full of numbers.
        let from = floor_boundary(text, start.saturating_sub(400));
        let to = floor_boundary(text, (end + 400).min(text.len()));
        self.grouped.find_iter(&text[from..to]).any(|m| {
            let (m_start, m_end) = (from + m.start(), from + m.end());
            (m_end <= start || m_start >= end)
                && shape(m.as_str()).as_ref() == Some(&wanted)
                && (!own_first.starts_with('0') || first_group(m.as_str()) == own_first)
                && {
                    let before = &text[floor_boundary(text, m_start.saturating_sub(48))..m_start];
                    (self.not_a_phone_before.is_match(before)
                        || self.code_named_before.is_match(before))
                        && !self.area_code.is_match(before)
                        && !self.phone_compound.is_match(before)
                }
        })
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

    /// The matcher's matches in `text`, run only on the stretches of text
    /// that can hold a match `is_excluded` keeps.
    ///
    /// This finds exactly what one run over the whole text finds, minus
    /// matches `is_excluded` drops anyway. See `stretches` for why no
    /// candidate of the matcher is lost or changed; a match's span does not
    /// depend on which region validated it; a stretch with fewer than seven
    /// ASCII digits cannot hold a match that keeps seven.
    ///
    /// `seen` keeps the matcher's raw matches per stretch (and region set),
    /// so a stretch that reads the same in the input and the normalised
    /// copy goes through the matcher once. Stretches over the message's
    /// matcher budget are not read; their digits' spans go to `unread`.
    fn matches<'t>(
        &self,
        scan: &Scan<'_>,
        text: &'t str,
        seen: &mut Seen<'t>,
        unread: &mut Vec<(usize, usize)>,
    ) -> Vec<(usize, usize)> {
        let min_digits = scan.config.phone_min_digits;
        let mut out = Vec::new();
        for (from, to) in stretches(text) {
            let part = &text[from..to];
            if digits_in(part) < min_digits {
                continue;
            }
            if !seen.afford(part, false) {
                unread.extend(unchecked(part).map(|(s, e)| (from + s, from + e)));
                continue;
            }
            let (any, found) =
                self.matched_in(part, scan.regions, text, from, min_digits, (seen, false));
            // A number no likely region accepts: try the regions the
            // message's words imply, on this stretch only.
            if !any && !scan.fallback_regions.is_empty() && self.national.is_match(part) {
                if seen.afford(part, true) {
                    out.extend(
                        self.matched_in(
                            part,
                            scan.fallback_regions,
                            text,
                            from,
                            min_digits,
                            (seen, true),
                        )
                        .1,
                    );
                } else {
                    unread.extend(unchecked(part).map(|(s, e)| (from + s, from + e)));
                }
            }
            out.extend(found);
        }
        out
    }
}

/// A number to be read another way than written: backwards, in a row, "you get it".
const ANNOUNCED: &str = r"(?i)\b(?:backwards|reversed|read\s+it\s+(?:backwards|in\s+reverse)|in\s+reverse|rückwärts|von\s+hinten|andersrum|van\s+achter\s+naar\s+voren?|achterstevoren|omgekeerd|à\s+l'envers|al\s+rev[ée]s|al\s+contrario|de\s+trás\s+para\s+a\s+frente|ao\s+contrário|od\s+tyłu|od\s+końca|задом\s+наперёд|задом\s+наперед|наоборот|tersten|sondan\s+başa|in\s+a\s+row|one\s+after\s+the\s+other|achter\s+elkaar|hintereinander|nacheinander|à\s+la\s+suite|seguidos|di\s+seguito|uno\s+dopo\s+l'altro|em\s+sequ[êe]ncia|seguidos|po\s+kolei|jedna\s+po\s+drugiej|подряд|arka\s+arkaya|ardı\s+ardına|yan\s+yana|anlayan\s+anlar|anladın\s+sen\s+onu|figure\s+it\s+out|kriegst\s+du\s+raus|capisci\s+a\s+me|t'as\s+compris|ya\s+me\s+entiendes|فاهم\s+علي)\b|逆から|逆に読|بالعكس|بالمقلوب";

/// The rest of a number told in two, in every supported language.
const REST_CUE: &str = r"(?i)\b(?:lo\s+dem[aá]s|dem[aá]s|ends?|ending|eindigt|endet|termina|finisce|kończy|заканчивается|bitiyor|dalej|falta\w*|lo\s+que\s+falta|gerisi\w*|geri\s+kalan\w*|sigo|continuo|continuando|continua[çc][ãa]o|continuation|fortsetzung|vervolg|ciąg\s+dalszy|продолжение|devam\w*|se\s+termine|termine\s+par|acaba\s+em|acaba\s+en|a\s+resztę|resztę|segunda\s+parte|second\s+part|zweite[nr]?\s+(?:teil|hälfte)|tweede\s+deel|seconda\s+parte|druga\s+część|вторая\s+часть|ikinci\s+kısım|the\s+rest|rest\s+of\s+it|the\s+other\s+(?:half|digits)|second\s+half|last\s+(?:digits|part)|ends?\s+(?:with|in)|rest|den\s+rest|hinten|der\s+rest|de\s+rest|tweede\s+helft|laatste\s+cijfers|el\s+resto|los\s+otros|luego\s+sigue|sigue\s+con|la\s+suite|le\s+reste|derrière|il\s+resto|le\s+altre|o\s+resto|o\s+final|reszta|resztę|końcówk\w*|pozostałe|остальное|остальные|дальше|потом|далее|конец|geri\s+kalanı|gerisi|sonras[ıi]\w*|sonu|последние|[úu]ltim[oa]s\s+(?:\w+\s+)?(?:d[íi]gitos|cifras|cifre|n[úu]meros)|derniers\s+chiffres|letzten\s+(?:ziffern|stellen)|ostatnie\s+cyfry|(?:other|zweite|andere|segunda|otra|outra|seconda|altra|deuxième|autre|druga|вторая|другая|ikinci)\s+(?:hälfte|helft|mitad|metade|metà|moitié|połowa|половин\w*|yarısı)|daarna\s+komt|danach\s+kommt|then\s+comes|luego\s+viene|poi\s+viene|depois\s+vem|la\s+fin|(?:os|los|les|i|die)\s+restant\w*|restantes|the\s+remaining|die\s+restlichen|de\s+overige|остаток|kalan[ıi])\b|残り|後半|続き|الباقي|وباقي|والباقي|آخره";
/// The start of a number named right before its first half: "fängt mit",
/// "empieza por", "Первые цифры", "o começo é"; a number said to be cut in
/// half ("half", "la mitad", "a metà", "половина"; "en deux" reads "en 2"
/// once the number words are undone).
const START_CUE: &str = r"(?i)\b(?:starts?\s+with|begins?\s+with|first\s+(?:digits|part|half|bit)|f[äa]ngt\s+mit|beginnt\s+mit|die\s+ersten|begint\s+met|eerste\s+(?:cijfers|helft|deel)|empieza\s+(?:por|con)|los\s+primeros|primera\s+parte|commence\s+par|premiers\s+chiffres|premi[eè]re\s+partie|inizia\s+(?:con|per)|le\s+prime\s+cifre|prima\s+parte|come[çc]a\s+(?:com|por)|(?:os\s+)?primeiros(?:\s+d[íi]gitos)?|o\s+come[çc]o|zaczyna\s+się\s+od|pierwsze\s+cyfry|начинается\s+с|первые(?:\s+цифры)?|ile\s+başlıyor|ilk\s+(?:rakamlar\w*|kısım)|ddd|vorwahl|prefisso|area\s+code|kierunkowy|half|halves|h[äa]lfte|helft|mitad|metade|met[àa]|moiti[ée]|połow\w*|polow\w*|половин\w*|yar[ıi]s[ıi]|yar[ıi]m|ikiye|d[ée]but|inizio|principio|comienzo|in[íi]cio|anfang|het\s+begin|beginning|the\s+start|początek|pierwsz\w+\s+cz[eę]ś[ćc]|начало|baş[ıi]|başlangıc[ıi]|primeiros\s+algarismos|primi\s+numeri|erste[nr]?\s+(?:teil|ziffern))\b|最初|前半|半分|يبدأ|نصف|أول";
/// The start of a number told in two, or a phone named.
const FIRST_CUE: &str = r"(?i)\b(?:starts?|f[äa]ngt|apunta|anota|retiens|notez|note|primeira\s+parte|primera\s+parte|prima\s+parte|premi[eè]re\s+partie|pierwsz\w*|ilk|starts?\s+with|first\s+(?:bit|part|digits|half|three|four)|begins?|area\s+code|number|phone|mobile|cell|call|text|ring|vorne|die\s+ersten|vorwahl|nummer|handy|eerste\s+helft|begint\s+met|zonenummer|bel|empieza|los\s+primeros|celular|n[úu]mero|ça\s+commence|commence\s+par|num[ée]ro|portable|le\s+prime\s+cifre|prefisso|numero|cellulare|come[çc]a|ddd|telem[óo]vel|pierwsze|kierunkowy|zaczyna|numer|код|первые|номер\w*|телефон|звони\w*|başı|alan\s+kodu|numara\w*|fijo|fixe|fisso|fixo|festnetz|vaste\s+lijn|stacjonarn\w*|городской|sabit|landline|początek|numeru|começo|comienzo|inizio|d[ée]but|anfang|начало|dzwoni\w*|zadzwo\w*|reach|erreich\w*|bereiken|ulaş\w*)\b|最初|前半|番号|電話|固定電話|أول|يبدأ|رقم|ثابت";

/// Names of numbers that are not phone numbers, in the supported languages:
/// orders, parcels and carriers, invoices, tax and company registrations,
/// product, serial and listing references, postcodes, accounts and
/// customers. Latin and Cyrillic ones start at a word boundary and may take
/// an inflection; Japanese and Arabic ones are written without spaces.
const NUMBER_LABELS: &str = r"tps|tvq|qst|order|orden|bestell|auftrag|заказ|zamówieni|zamowieni|pedido|commande|ordine|sipari[şs]|bestelling|bestelnummer|encomenda|tracking|track|trace|sendung|paket|shipment|parcel|waybill|awb|consignment|трек|накладн|отправлени|посылк|przesył|przesyl|paczk|nadani|przewozow|seguimiento|env[ií]o|expedici[oó]n|gu[ií]a|suivi|colis|envoi|exp[ée]dition|tracciamento|spedizion|vettura|rastreio|rastreamento|objeto|takip|g[öo]nderi|kargo|barkod|zending|pakket|verzend|dhl|ups|usps|fedex|hermes|dpd|gls|inpost|colissimo|chronopost|seur|mrw|correos|brt|sda|postnl|bpost|ctt|jadlog|sedex|aras|yurti[çc]i|mng|ptt|aramex|smsa|starken|servientrega|estafeta|delhivery|сдэк|boxberry|invoice|rechnung|factura|facture|fattura|fatura|faktur|factuur|сч[её]т|nota\s+fiscal|nf-?e|boleta|vat|tva|iva|p\.?\s?iva|partita|ust|steuer|uid|mwst|btw|kvk|siret|siren|rcs|naf|nif|nipc|cif|cuit|cuil|rfc|cnpj|cpf|inn|инн|кпп|огрн|иин|бин|regon|nip|krs|pesel|vkn|tckn|kimlik|vergi|gst|hst|abn|acn|company|registration|handelsregister|hrb|hra|firmenbuch|ondernemingsnummer|kbo|contribuinte|fiscale|trn|ref|réf|referen|référence|riferiment|refer[eê]ncia|kenmerk|artikel|artikul|артикул|штрих|item|asin|sku|ean|jan|isbn|upc|gtin|imei|serial|s/n|seri|série|serie|seryjn|model|part|teil|codice|c[oó]digo|code|kod|cod|art|katalog|catalog|cat[aá]logo|catalogue|каталог|segnacollo|frachtbrief|vrachtbrief|albar[aá]n|parça|co\.?\s?no|listing|annonce|anuncio|an[uú]ncio|annuncio|advertentie|ofert|ilan|aukcj|auction|dossier|sav|ticket|rma|claim|reklamac|plz|postcode|post\s+code|zip|c\.?p\.?|cep|postleitzahl|pocztowy|pincode|индекс|iban|konto|account|customer|client|kunden|klient|klant|m[üu]şteri|musteri|certid[ãa]o|locker|mers[iİı]s|z-nr|e-nr|c[oó]d|lote?|zwrot\w*|retour\w*|return\w*|devoluci[oó]n|devolu[çc][ãa]o|reso|rimborso|iade|возврат\w*|onderdeel\w*|pi[èe]ce|pe[çc]a|pieza|ricambio|części|детал\w*|запчаст\w*";
const NUMBER_LABELS_UNSPACED: &str = r"品番|部品番号|製品番号|管理番号|注文|伝票|送り状|追跡|問い?合わせ|お問合せ|法人|登録|受付|型番|製造|シリアル|商品|الطلب|طلب|أوردر|اوردر|الشحنة|شحنة|بوليصة|التتبع|فاتورة|الفاتورة|ضريبي|الضريبي|السجل|سجل|التسجيل|الرمز البريدي|القطعة|قطعة|المرتجع|مرتجع|返品|部品|〒";
/// What may stand between such a name and the number: "number", "no.",
/// "de", "is", a carrier's name ("Tracking BRT 0681 …", "nº de expedición").
const NUMBER_FILLERS: &str = r"article|artikel|articolo|art[ií]culo|produit|product|produto|prodotto|producto|produkt\w*|[üu]r[üu]n|par[çc]a|onderdeel|pi[èe]ce|ricambi\w*|recambio\w*|repuesto\w*|ersatzteil\w*|spare|rechange|pe[çc]a|części|cz[eę]ść|запчаст\w*|детал\w*|yedek|reserveonderdeel|la|le|les|il|lo|el|los|las|het|o|os|a|as|na|nota|kodunuz|kodu|number|nummer|no|nr|n[°º]|n\.[ºo]|num|núm|№|номер|num[ée]ro|n[uú]mero|numer|numara\w*|numarası|id|code|kodu|de|du|di|del|der|des|van|do|da|of|the|your|our|ihre|votre|vostro|su|tu|seu|sua|is|ist|est|è|é|es|jest|это|lautet|zijn|are|sind|olarak|intracom|express|priority|tracked|sav|fiscal|social|postal|kimlik|tc|no\.|nº|n\.|part|reg|registration|do\s+pedido|de\s+suivi|di\s+tracciamento|empresa|company|firma|soci[ée]t[ée]|azienda|şirket|transporte|transport|env[ií]o|spedizione|wysyłki|przesyłki|доставки|kargo|expedici[oó]n|exp[ée]dition|client|cliente|üstünde|üzerinde|رقم|番号|recogida|retirada|ritiro|recolha|retrait|abhol\w*|ophaal\w*|odbioru|teslimat|pickup|collection";

/// The labels split by how they may end: five letters or more take an
/// inflection ("Sendungsnummer", "orders"); shorter ones must be the whole
/// word, or a name such as "Jane" would read as "JAN" and "upset" as "UPS".
fn labels_by_length() -> (String, String) {
    let (mut long, mut short) = (Vec::new(), Vec::new());
    for label in NUMBER_LABELS.split('|') {
        // Letters the label spells: escapes and optional marks do not count,
        // a character class counts once.
        let mut letters = 0;
        let mut chars = label.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '?' | '+' | '*' => {}
                '[' => {
                    for c in chars.by_ref() {
                        if c == ']' {
                            break;
                        }
                    }
                    letters += 1;
                }
                _ => letters += 1,
            }
        }
        if letters >= 5 {
            long.push(label);
        } else {
            short.push(label);
        }
    }
    (long.join("|"), short.join("|"))
}

/// A compound that names a number ("Bosch-Nummer", "retournummer",
/// "onderdeelnummer", "takip kodu"), unless it names a phone.
const COMPOUND_LABEL: &str =
    r"\b(?:(?:[\p{L}]+-)?(?:[\p{L}]{2,})(?:nummer|number)|[\p{L}]+\s+kodu\w*)";
/// Short stems start the word: "Bestelnummer" holds "tel" but names an order.
const PHONE_COMPOUND: &str = r"(?i)(?:handy|telefon|\btel|mobil|whats\s?app|\bruf|kontakt|\bfax|festnetz|privat|notfall|service|hotline|\bgsm|mobiel|telefoon|\b06|phone|contact|cell|mobile)[\s-]?(?:nummer|number)\b";

fn not_a_phone_before() -> String {
    let (long, short) = labels_by_length();
    let label = format!(
        r"(?:\b(?:{long})[\w.-]*|\b(?:{short})\b\.?|(?:{NUMBER_LABELS_UNSPACED})\w*|{COMPOUND_LABEL})"
    );
    // "cód. W11 0982-3470", "N° de série SN 0612…", "fattura FT 2026/…",
    // "ref.ª": a short prefix in capitals or an ordinal mark between a
    // label and its code.
    // "onderdeelnummer van de accu is": the thing the code belongs to;
    // "takip no: 7841 2095 6633": the groups before the match are the
    // code's own.
    let filler = format!(
        r"(?:\b(?:{NUMBER_FILLERS})|{label}|[#№:：.ªº°]|\b(?-i:[A-Z]{{1,3}}\d{{0,3}})\b|は|です|の|\b(?:van|of|for|für|des|der|du|della|del|dello|dla|для)\s+(?:(?:de|het|the|die|das|dem|la|le|les|il|lo|el|o|a)\s+)?\p{{L}}{{2,20}}\b|\b\d{{2,6}}\b)"
    );
    format!(r"(?i){label}(?:[\s:：.,?#№-]*{filler}){{0,4}}[\s:：#№.,?\-]*$")
}

/// The matcher's raw matches per stretch text, and whether the fallback
/// regions were used (the same stretch gives the same matches), and the
/// message's matcher work so far (see `MATCHER_BUDGET`).
#[derive(Default)]
struct Seen<'t> {
    raw: std::collections::HashMap<(&'t str, bool), Vec<(usize, usize)>>,
    work: usize,
}

#[cfg(test)]
thread_local! {
    /// The matcher work the last message on this thread cost (tests).
    pub(crate) static SPENT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
impl Drop for Seen<'_> {
    fn drop(&mut self) {
        SPENT.set(self.work);
    }
}

impl<'t> Seen<'t> {
    /// Whether the matcher may run on `part` within the message's budget;
    /// counts the work if so. A stretch already seen costs nothing.
    fn afford(&mut self, part: &'t str, fallback: bool) -> bool {
        if self.raw.contains_key(&(part, fallback)) {
            return true;
        }
        let work = matcher_work(part);
        if self.work + work > MATCHER_BUDGET {
            return false;
        }
        self.work += work;
        true
    }
}

/// The span of `part` from its first ASCII digit to the end of its last:
/// what a stretch the matcher did not read gives away.
fn unchecked(part: &str) -> Option<(usize, usize)> {
    let start = part.find(|c: char| c.is_ascii_digit())?;
    let end = part.rfind(|c: char| c.is_ascii_digit())? + 1;
    Some((start, end))
}

fn digits_in(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

impl PhoneDetector {
    /// Whether the matcher matched a number named as something else (an
    /// order, a parcel, a tax id) in one stretch `part` of `text` starting
    /// at `from`, and the matches `is_excluded` keeps.
    fn matched_in<'t>(
        &self,
        part: &'t str,
        regions: &[rlibphonenumber::Region],
        text: &str,
        from: usize,
        min_digits: usize,
        (seen, fallback): (&mut Seen<'t>, bool),
    ) -> (bool, Vec<(usize, usize)>) {
        let raw = seen.raw.entry((part, fallback)).or_insert_with(|| {
            PHONE_MATCHER_FACTORY
                .matcher_builder(part)
                .leniency(Leniency::Valid)
                .max_tries(MAX_TRIES)
                .regions(regions.iter().copied())
                .build()
                .map(|m| (m.start, m.end()))
                .collect()
        });
        let matched: Vec<(usize, usize)> = raw.iter().map(|&(s, e)| (from + s, from + e)).collect();
        // A match named as an order, tracking or tax number: no other
        // region will make it a phone number.
        let any = matched.iter().any(|&(s, _)| {
            let start = floor_boundary(text, s);
            let before = &text[floor_boundary(text, start.saturating_sub(48))..start];
            self.not_a_phone_before.is_match(before) || self.code_named_before.is_match(before)
        });
        let kept = matched
            .into_iter()
            .filter(|&(s, e)| s < e && e <= text.len() && !self.is_excluded(text, s, e, min_digits))
            .collect();
        (any, kept)
    }
}

/// A character that is never part of a candidate of the phone matcher.
/// Candidates are digits, phone punctuation (including `x`), spaces, plus
/// signs, brackets and extension labels (`ext`, `extension`, `extensión`,
/// `anexo`, `int`, `доб`, case-insensitive, and their fullwidth forms); no
/// other ASCII or Cyrillic letter can appear in one.
fn never_in_candidate(c: char) -> bool {
    (c.is_ascii_alphabetic()
        && !matches!(
            c.to_ascii_lowercase(),
            'a' | 'e' | 'i' | 'n' | 'o' | 's' | 't' | 'x'
        ))
        || (matches!(c, '\u{0410}'..='\u{044F}' | 'ё' | 'Ё')
            && !matches!(c, 'д' | 'Д' | 'о' | 'О' | 'б' | 'Б'))
}

/// Byte ranges of `text` that the phone matcher can be run on one at a time
/// with the same result as on the whole text. The text is cut at line feeds
/// (left out) and between two characters that are both `never_in_candidate`
/// (each kept on its side). No candidate contains a line feed or such a
/// character, so none spans a cut, and the candidate pattern has no
/// look-around. Around a candidate the matcher looks at one character on
/// either side (a Latin letter or currency sign rejects it) and, after a
/// time stamp, at the next three: a cut between two such characters keeps
/// each in the stretch next to the candidates it borders, and a line feed
/// there passes just as the edge of the text does.
fn stretches(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous_never = false;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            out.push((start, i));
            start = i + 1;
            previous_never = false;
            continue;
        }
        let never = never_in_candidate(c);
        if never && previous_never && i > start {
            out.push((start, i));
            start = i;
        }
        previous_never = never;
    }
    out.push((start, text.len()));
    out
}

/// The match is a piece of a longer code: glued to letters or digits
/// ("INV-6462395", "ART9743557") or one group of a hyphenated id
/// ("123-1234567-1234567").
fn part_of_a_code(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().rev().take(2).collect::<Vec<_>>();
    let after = text[end..].chars().take(3).collect::<Vec<_>>();
    // Scripts written without spaces (Japanese, Chinese) glue numbers to words.
    let glued = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() && (*c as u32) < 0x0590);
    let joiner = |c: Option<&char>| c.is_some_and(|c| matches!(c, '-' | '/' | '_'));
    // "45.723.174/0001-10": a dot between digits joins groups of one code.
    let dot_digit =
        |c: &[char]| c.first() == Some(&'.') && c.get(1).is_some_and(char::is_ascii_digit);
    glued(before.first())
        || glued(after.first())
        || (joiner(before.first()) && glued(before.get(1)))
        || (joiner(after.first()) && after.get(1).is_some_and(char::is_ascii_digit))
        || dot_digit(&before)
        || dot_digit(&after)
        || letter_suffix(&after)
}

/// One capital letter closing the code after a hyphen, a space or a slash
/// ("601-884-219-K", "038 115 561 B.", "600-123-456/Z"): a part number's suffix.
fn letter_suffix(after: &[char]) -> bool {
    matches!(after.first(), Some('-' | ' ' | '/'))
        && after.get(1).is_some_and(char::is_ascii_uppercase)
        && after.get(2).is_none_or(|c| {
            matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')')
                || (after[0] == '-' && !c.is_alphanumeric())
        })
}

/// Phone hits apart only by symbols or emoji ("0172 ⚡ 9 ⚡ 44", a look-alike
/// "O" between two "🌷") are one number: the gap joins them.
fn join_across_symbols(input: &str, hits: &mut [Hit]) {
    let mut phones: Vec<usize> = (0..hits.len())
        .filter(|&i| hits[i].kind == FindingKind::Phone)
        .collect();
    phones.sort_by_key(|&i| hits[i].start);
    // The hit reaching furthest so far, and the next one after it.
    let Some((&first, rest)) = phones.split_first() else {
        return;
    };
    let mut a = first;
    for &b in rest {
        if hits[a].end >= hits[b].start {
            if hits[b].end > hits[a].end {
                a = b;
            }
            continue;
        }
        let gap = &input[hits[a].end..hits[b].start];
        let symbol = |c: char| {
            !c.is_alphanumeric()
                && !c.is_whitespace()
                && !c.is_ascii()
                && !matches!(c, '–' | '—' | '、' | '，' | '。' | '…')
        };
        if gap.chars().count() <= 12
            && gap.chars().any(symbol)
            && gap.chars().all(|c| {
                c.is_whitespace()
                    || symbol(c)
                    || matches!(c, 'O' | 'o' | 'О' | 'о' | '\u{FE0F}' | '\u{200D}')
            })
        {
            let end = hits[b].start;
            hits[a].end = end;
        }
        a = b;
    }
}

/// `text` with the look-alike letters of every group that mixes them with
/// digits ("5l", "9O", "l4", "7S") read as those digits; byte for byte the
/// same length, so offsets hold. A group is bounded by characters that are
/// neither letters nor digits: "10lbs" or "Il" stay as they are.
fn fold_lookalike_groups(text: &str) -> std::borrow::Cow<'_, str> {
    use crate::policy::normalize::is_lookalike_digit;
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_digit() || is_lookalike_digit(char::from(b))) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit() || is_lookalike_digit(char::from(bytes[i])))
        {
            i += 1;
        }
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        let token = &bytes[start..i];
        if token.len() <= 8
            && token.iter().any(u8::is_ascii_digit)
            && token.iter().any(|b| !b.is_ascii_digit())
            && edge(text[..start].chars().next_back())
            && edge(text[i..].chars().next())
        {
            let out = out.get_or_insert_with(|| bytes.to_vec());
            for (k, &b) in token.iter().enumerate() {
                out[start + k] = match b {
                    b'O' | b'o' => b'0',
                    b'I' | b'l' => b'1',
                    b'S' => b'5',
                    b => b,
                };
            }
        }
    }
    match out {
        // Only ASCII letters became ASCII digits, so this stays UTF-8.
        Some(bytes) => std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_default()),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// The groups of a number written in groups ("0 986 494 564" is 1, 3, 3, 3
/// joined by spaces), or `None` for one group alone.
fn shape(raw: &str) -> Option<Vec<(usize, char)>> {
    let mut groups = Vec::new();
    let mut len = 0;
    for c in raw.trim().chars() {
        if c.is_ascii_digit() {
            len += 1;
        } else if len > 0 && matches!(c, ' ' | '.' | '-' | '/') {
            groups.push((len, c));
            len = 0;
        } else {
            return None;
        }
    }
    groups.push((len, '$'));
    (groups.len() >= 2 && len > 0).then_some(groups)
}

/// An unbroken EAN-13, UPC-A or GTIN-14 with a valid check digit, or a
/// 15-digit IMEI passing Luhn: product codes, not phone numbers.
fn is_product_code(raw: &str) -> bool {
    if !raw.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let d: Vec<u32> = raw.bytes().map(|b| u32::from(b - b'0')).collect();
    match d.len() {
        12..=14 => {
            let (body, check) = d.split_at(d.len() - 1);
            let sum: u32 = body
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &x)| if i % 2 == 0 { x * 3 } else { x })
                .sum();
            (10 - sum % 10) % 10 == check[0]
        }
        15 => {
            let sum: u32 = d
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &x)| {
                    if i % 2 == 1 {
                        let y = x * 2;
                        if y > 9 { y - 9 } else { y }
                    } else {
                        x
                    }
                })
                .sum();
            sum.is_multiple_of(10)
        }
        _ => false,
    }
}

/// A Portuguese (`3000-214`) or Brazilian (`30140-071`) postcode: four
/// or five digits, a hyphen, three digits.
fn is_postcode(raw: &str) -> bool {
    let Some((a, b)) = raw.split_once('-') else {
        return false;
    };
    (a.len() == 4 || a.len() == 5)
        && b.len() == 3
        && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
}

/// A US ZIP+4 postcode ("94103-1234"); German area codes start with 0, so
/// "0351-1234" stays a phone number.
fn is_zip_plus_four(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.len() == 10
        && b[5] == b'-'
        && b[0] != b'0'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 5 || c.is_ascii_digit())
}

impl Detector for PhoneDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::Phone
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let min_digits = scan.config.phone_min_digits;
        // Every match needs seven digits, and normalising only ever adds
        // digits (other scripts, keycaps, words), so a text with fewer
        // skips the matcher: most messages, most of the time.
        let digits = scan
            .normalized
            .text
            .bytes()
            .filter(u8::is_ascii_digit)
            .count();
        if digits < min_digits {
            return;
        }
        // The input needs seven digits of its own for a match there; number
        // words alone ("un", "sei") only change the normalised copy.
        let input_digits = scan.input.chars().filter(char::is_ascii_digit).count();
        let mut seen = Seen::default();
        let mut unread = Vec::new();
        let input_matches = if input_digits >= min_digits {
            self.matches(scan, scan.input, &mut seen, &mut unread)
        } else {
            Vec::new()
        };
        let phone = |start, end, rule: &str| Hit {
            kind: FindingKind::Phone,
            start,
            end,
            rule: rule.to_owned(),
        };
        hits.extend(
            input_matches
                .into_iter()
                .map(|(start, end)| phone(start, end, "phone.libphonenumber")),
        );
        hits.extend(
            unread
                .drain(..)
                .map(|(start, end)| phone(start, end, UNCHECKED)),
        );

        let norm = scan.normalized;
        if norm.text != scan.input {
            for (start, end) in self.matches(scan, &norm.text, &mut seen, &mut unread) {
                hits.extend(scan.hit_normalized(
                    FindingKind::Phone,
                    start,
                    end,
                    "phone.libphonenumber.normalized",
                ));
            }
            for (start, end) in unread {
                hits.extend(scan.hit_normalized(FindingKind::Phone, start, end, UNCHECKED));
            }
        }

        // "five five five, one two three four ..." is a phone number even when
        // no region's numbering plan accepts it: nobody spells out order numbers.
        for m in self.digit_run.find_iter(&norm.text) {
            let digits = m.as_str().bytes().filter(u8::is_ascii_digit).count();
            let spelled = norm.spelled_digits_in(m.start(), m.end());
            if digits >= min_digits
                && spelled >= scan.config.spelled_out_min_words
                && !self.is_excluded(&norm.text, m.start(), m.end(), min_digits)
            {
                // "(11) 98765-4321": the area code's opening bracket too.
                let start = if norm.text[..m.start()].ends_with('(') && m.as_str().contains(')') {
                    m.start() - 1
                } else {
                    m.start()
                };
                hits.extend(scan.hit_normalized(
                    FindingKind::Phone,
                    start,
                    m.end(),
                    "phone.spelled_out",
                ));
            }
        }
        // "+44 7700 914256": a number in international form with a
        // plausible length is a phone number even where no plan accepts it.
        if norm.text.contains('+') {
            for m in self.international.find_iter(&norm.text) {
                let digits = digits_in(m.as_str());
                if (10..=15).contains(&digits)
                    && !self.is_excluded(&norm.text, m.start(), m.end(), min_digits)
                {
                    hits.extend(scan.hit_normalized(
                        FindingKind::Phone,
                        m.start(),
                        m.end(),
                        "phone.international_form",
                    ));
                }
            }
        }
        // "whatsapp 44 7700 900 123": a country code without its plus.
        for c in self.named_digits.captures_iter(&norm.text) {
            let Some(m) = c.get(1).or_else(|| c.get(2)) else {
                continue;
            };
            if m.as_str().starts_with('0')
                || self.is_excluded(&norm.text, m.start(), m.end(), min_digits)
            {
                continue;
            }
            let plus = format!("+{}", m.as_str());
            let valid = PHONE_MATCHER_FACTORY
                .matcher_builder(&plus)
                .leniency(Leniency::Possible)
                .max_tries(MAX_TRIES)
                .build()
                .any(|p| p.start == 0 && p.end() == plus.len());
            if valid {
                hits.extend(scan.hit_normalized(
                    FindingKind::Phone,
                    m.start(),
                    m.end(),
                    "phone.international_without_plus",
                ));
            }
        }
        self.two_halves(scan, hits);
        self.symbol_joined(scan, hits);
        self.across_lines(scan, hits);
        self.announced(scan, hits);
        join_across_symbols(scan.input, hits);
        // The plus sign of a number matched without it.
        for h in hits.iter_mut().filter(|h| h.kind == FindingKind::Phone) {
            if h.start > 0 && scan.input.as_bytes()[h.start - 1] == b'+' {
                h.start -= 1;
            }
        }
    }
}

impl PhoneDetector {
    /// "Read it backwards: 401833 21970", "€0,6 - €48 - €29 - €17 - €36,
    /// lees ze maar achter elkaar": the message says its numbers are to be
    /// read another way; the groups of digits in the sentence before or
    /// after the cue that hold nine to thirteen digits together are one
    /// phone number.
    fn announced(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        let Some(cue) = self.announced.find(text) else {
            return;
        };
        // The cue's line, which holds the numbers it speaks of.
        let start = text[..cue.start()].rfind('\n').map_or(0, |i| i + 1);
        let end = text[cue.end()..]
            .find('\n')
            .map_or(text.len(), |i| cue.end() + i);
        let groups: Vec<_> = self
            .loose_group
            .find_iter(&text[start..end])
            .map(|m| (start + m.start(), start + m.end()))
            .collect();
        let digits: usize = groups.iter().map(|&(s, e)| digits_in(&text[s..e])).sum();
        if groups.is_empty() || !(9..=13).contains(&digits) {
            return;
        }
        let (first, mut last) = (groups[0].0, groups[groups.len() - 1].1);
        if let Some(c) = text[last..]
            .chars()
            .next()
            .filter(|c| matches!(c, '€' | '$' | '£' | '₽' | '₺'))
        {
            last += c.len_utf8();
        }
        // A currency sign glued before the first group belongs to the disguise.
        let first = text[..first]
            .char_indices()
            .next_back()
            .filter(|(_, c)| matches!(c, '€' | '$' | '£' | '₽' | '₺'))
            .map_or(first, |(i, _)| i);
        hits.extend(scan.hit_normalized(FindingKind::Phone, first, last, "phone.announced"));
    }

    /// "9 ⚡ 44 ⚡ 10 ⚡ 638", "Begint met 06 en dan 3 🌷 8 🌷 5 …": digits
    /// strung on a repeated symbol or emoji are a number hidden from the
    /// filter: seven digits or more, or four or more (a half told apart) in
    /// a message that names a phone, its start or its rest.
    fn symbol_joined(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let norm = scan.normalized;
        let text = norm.text.as_str();
        // Whether the message names a phone, read once for all the runs.
        let named_once = std::cell::OnceCell::new();
        for m in self.symbol_joined.find_iter(text) {
            // The gaps between groups that stand for a symbol in the input.
            let mut symbols = 0;
            let mut gap: Option<usize> = None;
            for (i, c) in m.as_str().char_indices() {
                let at = m.start() + i;
                match (c, gap) {
                    (' ' | '\t', None) => gap = Some(at),
                    (c, Some(from)) if c != ' ' && c != '\t' => {
                        let split = norm.to_input(from, at).is_some_and(|(s, e)| {
                            scan.input[s..e]
                                .chars()
                                .any(|c| !c.is_whitespace() && !c.is_alphanumeric())
                        });
                        symbols += usize::from(split);
                        gap = None;
                    }
                    _ => {}
                }
            }
            if symbols < 2 {
                continue;
            }
            let digits = digits_in(m.as_str());
            let named = || {
                *named_once.get_or_init(|| {
                    self.first_cue.is_match(text)
                        || self.rest_cue.is_match(text)
                        || self.start_cue.is_match(text)
                })
            };
            if (digits >= 7 || (digits >= 4 && named()))
                && digits <= 15
                && !self.is_excluded(text, m.start(), m.end(), 4)
            {
                hits.extend(scan.hit_normalized(
                    FindingKind::Phone,
                    m.start(),
                    m.end(),
                    "phone.symbol_joined",
                ));
            }
        }
    }

    /// "The courier can reach me on 07700\n\n900 316": a number broken by a
    /// line break or a blank line (a quoted reply cut mid-number). A short
    /// head of three to five digits that ends its line, the rest of five to
    /// nine digits that opens the next one, nine to twelve in all, starting
    /// like a number (a trunk zero or a plus) or in a message that names a
    /// phone.
    fn across_lines(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        if !text.contains('\n') {
            return;
        }
        let named = std::cell::OnceCell::new();
        for c in self.across_lines.captures_iter(text) {
            let (Some(head), Some(tail)) = (c.get(1), c.get(2)) else {
                continue;
            };
            // The head is a whole group: no digit runs into it from the left.
            let mut before = text[..head.start()].chars().rev();
            let glued = match before.next() {
                Some(c) if c.is_ascii_digit() => true,
                Some(' ' | '-' | '.') => before.next().is_some_and(|c| c.is_ascii_digit()),
                _ => false,
            };
            let (h, t) = (digits_in(head.as_str()), digits_in(tail.as_str()));
            if glued {
                continue;
            }
            if !(3..=5).contains(&h) || !(5..=9).contains(&t) || !(9..=12).contains(&(h + t)) {
                continue;
            }
            let shaped = head.as_str().starts_with(['0', '+']);
            if !(shaped || *named.get_or_init(|| self.first_cue.is_match(text)))
                || self.is_excluded(text, head.start(), head.end(), 2)
            {
                continue;
            }
            for m in [head, tail] {
                hits.extend(scan.hit_normalized(
                    FindingKind::Phone,
                    m.start(),
                    m.end(),
                    "phone.across_lines",
                ));
            }
        }
    }

    /// "Die Vorwahl ist 0157. Den Rest schick ich gleich: 3892 1147": the
    /// group before "the rest" and the groups after it make one number of 7
    /// to 13 digits, in a message that names a phone or the number's start.
    fn two_halves(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        if !self.rest_cue.is_match(text) {
            return;
        }
        // "06 5l … 9O 44 27": a half short of the normaliser's fold keeps
        // its look-alike letters; here they count as the digits they stand for.
        let folded = fold_lookalike_groups(text);
        let text = folded.as_ref();
        let count = |s: &str| s.bytes().filter(u8::is_ascii_digit).count();
        let norm = scan.normalized;
        // "lungo 2,10 m", "80 kg": a measure is no half of a number.
        let measure = |m: &regex::Match<'_>| {
            let rest = text[m.end()..].trim_start_matches(' ');
            let unit = rest
                .split(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or_default();
            !unit.is_empty()
                && [
                    "m", "cm", "mm", "km", "kg", "g", "l", "ml", "cl", "lb", "lbs", "ft", "м",
                    "см", "мм", "кг", "л", "gr", "metri", "metros", "meter",
                ]
                .contains(&unit)
        };
        let groups: Vec<_> = self
            .group
            .find_iter(text)
            .filter(|m| count(m.as_str()) >= 2 && !measure(m))
            .collect();
        // "9З1 — дальше б0 2 … 4 7 8 1": a cue inside a half (joined by
        // "then") is that half's; the rest is announced outside one.
        let Some(rest) = self.rest_cue.find_iter(text).find(|r| {
            !groups
                .iter()
                .any(|g| g.start() < r.start() && r.end() < g.end())
        }) else {
            return;
        };
        // A group named as the start ("meine Nummer fängt mit 0176 an"):
        // the words just before it, on its line.
        let named_start = |m: &regex::Match<'_>| {
            let from = floor_boundary(text, m.start().saturating_sub(30));
            let lead = &text[from..m.start()];
            let lead = lead.rsplit('\n').next().unwrap_or(lead);
            self.start_cue.is_match(lead)
        };
        // Part of a time ("15:00") is no half of a number.
        let in_time = |m: &regex::Match<'_>| {
            text[..m.start()].ends_with(':') || text[m.end()..].starts_with(':')
        };
        // The first half: the group before the cue named as the start, else
        // the one that starts like a number (a trunk zero or a plus), else
        // the nearest; or, told after the rest (a quoted reply below), a
        // group named as the start.
        let before: Vec<_> = groups
            .iter()
            .filter(|m| m.end() <= rest.start() && m.start() + 200 >= rest.start())
            .filter(|m| !in_time(m))
            .collect();
        let after_start = || {
            groups
                .iter()
                .filter(|m| m.start() >= rest.end() + 20 && m.start() <= rest.end() + 300)
                .find(|m| named_start(m))
        };
        let Some(first) = before
            .iter()
            .rev()
            .find(|m| named_start(m))
            .or_else(|| {
                before
                    .iter()
                    .rev()
                    .find(|m| m.as_str().starts_with(['0', '+']))
            })
            .or(before.last())
            .copied()
            .or_else(after_start)
        else {
            return;
        };
        let mut parts = vec![*first];
        let mut digits = count(first.as_str());
        for m in groups
            .iter()
            .filter(|m| m.start() >= rest.end() && m.start() != first.start())
        {
            let last_end = parts.last().map_or(rest.end(), |p| p.end().max(rest.end()));
            if m.start() > last_end + 100 || digits >= 10 {
                break;
            }
            // One word read as digits between the halves ("im zweiten
            // Satz") is not part of the number when real digits follow.
            let words_only = norm.spelled_digits_in(m.start(), m.end()) == count(m.as_str());
            if words_only && count(m.as_str()) <= 3 && parts.len() == 1 {
                let next_real = groups.iter().any(|n| {
                    n.start() > m.end()
                        && n.start() <= m.end() + 60
                        && norm.spelled_digits_in(n.start(), n.end()) < count(n.as_str())
                });
                if next_real {
                    continue;
                }
            }
            digits += count(m.as_str());
            parts.push(*m);
        }
        let min_digits = scan.config.phone_min_digits;
        // "First bit is 07931. I'll send the rest in a sec": only the first
        // half came, named as a number's start; it goes too.
        if parts.len() == 1
            && digits >= 4
            && first.as_str().starts_with(['0', '+'])
            && self.first_cue.is_match(text)
            && !self.is_excluded(text, first.start(), first.end(), 2)
        {
            hits.extend(scan.hit_normalized(
                FindingKind::Phone,
                first.start(),
                first.end(),
                "phone.first_half",
            ));
            return;
        }
        // Without a word naming a phone, the halves must read like one:
        // nine to thirteen digits from a trunk zero or a plus.
        let shaped = (9..=13).contains(&digits) && first.as_str().starts_with(['0', '+']);
        if parts.len() < 2
            || !(shaped || named_start(first) || self.first_cue.is_match(text))
            || !(min_digits..=13).contains(&digits)
            || (self.is_excluded(text, first.start(), first.end(), 2)
                && !self.first_cue.is_match(
                    &text[floor_boundary(text, first.start().saturating_sub(30))..first.start()],
                ))
        {
            return;
        }
        for m in parts {
            hits.extend(scan.hit_normalized(
                FindingKind::Phone,
                m.start(),
                m.end(),
                "phone.two_halves",
            ));
        }
    }
}
