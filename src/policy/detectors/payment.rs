//! Attempts to take payment off the platform, as phrase rules per language.
//! Each rule needs both a payment word and an off-platform cue, so "you paid
//! with PayPal at checkout" passes.

use super::Rule;

use super::offsite::Offsite;
use super::{Detector, Hit, Scan};
use crate::policy::decision::FindingKind;

/// `(rule id, pattern)`; matched case-insensitively against the normalised text.
/// `[^.!?\n]{0,N}` keeps both halves of a rule inside one sentence.
const RULES: &[(&str, &str)] = &[
    // English
    (
        "payment.paypal_ff.en",
        r"pay\s?pal\s+gift\b|pay\s?pal\W{0,3}(?:\w+\W+){0,4}?(?:friends?\s*(?:&|and|n|\+)\s*family|f\s*&\s*f\b|f\s*n\s*f\b|\bff\b|as\s+(?:a\s+)?gift|personal\s+(?:payment|transfer))",
    ),
    (
        "payment.friends_family.en",
        r"\b(?:send|pay|transfer)\w*\b[^.!?\n]{0,40}\b(?:friends?\s*(?:&|and)\s*family|f\s*&\s*f)\b",
    ),
    (
        "payment.direct.en",
        r"\b(?:pay(?:ing|ment)?|send(?:ing)?\s+(?:the\s+)?(?:money|payment|funds)|transfer|wire)\b[^.!?\n]{0,30}\b(?:me\s+)?(?:directly|direct\s+to\s+(?:me|my)|outside\s+(?:of\s+)?(?:the\s+)?(?:platform|site|app|marketplace|amazon|ebay|etsy)|off(?:-|\s)?(?:platform|site|amazon|ebay|etsy))\b",
    ),
    (
        "payment.bypass_fees.en",
        r"\b(?:avoid|skip|save|bypass|without)\b[^.!?\n]{0,20}\b(?:the\s+)?(?:platform|site|marketplace|amazon|ebay|etsy)?\s*(?:fees?|commission)\b[^.!?\n]{0,40}\b(?:pay|send|transfer|directly|venmo|zelle|paypal|bank|cash)\w*",
    ),
    (
        "payment.bypass_fees.en",
        r"\b(?:pay|send|transfer|wire)\w*\b[^.!?\n]{0,40}\b(?:avoid|skip|save|bypass)\w*\b[^.!?\n]{0,16}\b(?:fees?|commission)\b",
    ),
    (
        "payment.p2p_app.en",
        r"\b(?:pay|send|transfer|wire)\w*\b[^.!?\n]{0,30}\b(?:venmo|zelle|cash\s?app|revolut|western\s+union|moneygram|bitcoin|btc|usdt|crypto|gift\s?cards?|wise\s+transfer)\b",
    ),
    (
        "payment.p2p_app_verb.en",
        r"\b(?:venmo|zelle|cash\s?app|revolut|paypal)\s+(?:me|us)\b",
    ),
    (
        "payment.transfer_instead.en",
        r"\b(?:bank\s+transfer|wire\s+transfer|western\s+union|moneygram|crypto|bitcoin|usdt)\b[^.!?\n]{0,40}\b(?:instead|better\s+price|cheaper|directly|no\s+(?:marketplace|platform|site|ebay|amazon|etsy)\s+payments?)\b|\bonly\s+(?:accept\s+|take\s+)?(?:bank\s+transfer|wire|western\s+union|moneygram|crypto|bitcoin|usdt|cash\s?app|venmo|zelle)\b",
    ),
    (
        "payment.bank_details.en",
        r"\b(?:my|our)\s+(?:iban|bank\s+(?:details|account)|account\s+number|card\s+number|sort\s+code)\b",
    ),
    (
        "payment.deal_direct.en",
        r"\b(?:deal|buy|order|purchase)\s+(?:directly\s+)?(?:from|with)\s+me\s+(?:directly|outside|off)\b|\bcancel\s+(?:the|your)\s+order\s+and\s+(?:pay|buy|order)\b",
    ),
    (
        "payment.offsite_deal.en",
        r"\b(?:deal|trade|sell|buy|do\s+(?:this|it)|continue|complete|finish|transaction|business|better\s+price|cheaper)\b[^.!?\n]{0,30}\b(?:outside|off)\s+(?:of\s+)?(?:the\s+)?(?:platform|site|app|marketplace|amazon|ebay|etsy)\b",
    ),
    // German
    (
        "payment.offsite_deal.de",
        r"(?:\b(?:außerhalb|ausserhalb)\s+(?:von\s+|der\s+|des\s+)?\w+|\bprivat)\s+(?:\w+\s+){0,2}(?:abwickeln|abwicklung|kaufen|verkaufen|handeln|regeln|machen)",
    ),
    (
        "payment.direct.de",
        r"\b(?:zahl\w*|bezahl\w*|überweis\w*|ueberweis\w*)\b[^.!?\n]{0,40}\b(?:direkt|außerhalb|ausserhalb|privat|an\s+mich|auf\s+mein\s+konto)\b",
    ),
    (
        "payment.direct_first.de",
        r"\b(?:direkt|privat|außerhalb\s+(?:von\s+)?\w+)\s+(?:an\s+mich\s+)?(?:zahl\w*|bezahl\w*|überweis\w*|ueberweis\w*)",
    ),
    (
        "payment.paypal_ff.de",
        r"pay\s?pal\W{0,3}(?:\w+\W+){0,4}?(?:freunde\s*(?:&|und|u\.)\s*famili\w*|an\s+freunde)",
    ),
    (
        "payment.bank_details.de",
        r"\bmeine\s+(?:iban|bankverbindung|kontonummer|kontodaten)\b",
    ),
    // Russian
    (
        "payment.card_transfer.ru",
        r"(?:перев\w*|перечисл\w*|скин\w*|кин\w*|оплат\w*|плат\w*|отправ\w*)(?:[^.!?\n]|\.\s?[а-я\d])?(?:[^.!?\n]|руб\.){0,30}(?:на\s+(?:мою\s+|мою\s+банковскую\s+|банковскую\s+)?карт\w*|на\s+(?:мой\s+)?(?:сч[её]т|номер|киви|qiwi|юмани|сбер\w*|тинькофф\w*))",
    ),
    (
        "payment.direct.ru",
        r"(?:перев\w*|оплат\w*|плат\w*|заплат\w*|расчит\w*|рассчит\w*)[^.!?\n]{0,30}(?:напрямую|минуя\s+\w+|вне\s+(?:площадки|сайта|платформы|маркетплейса)|мимо\s+\w+|без\s+(?:площадки|комиссии))",
    ),
    (
        "payment.card_number.ru",
        r"(?:номер\s+(?:моей\s+)?карты|реквизиты\s+карты|мои\s+реквизиты)",
    ),
    (
        "payment.offsite_deal.ru",
        r"(?:договори\w*|сдела\w*|купи\w*|прода\w*|оформ\w*)[^.!?\n]{0,30}(?:напрямую|вне\s+(?:площадки|сайта|платформы|маркетплейса|авито|озона)|минуя\s+\w+)",
    ),
    // Polish
    (
        "payment.offsite_deal.pl",
        r"\b(?:sprzeda\w*|kup\w*|załatw\w*|zalatw\w*|dogada\w*|transakcj\w*)\b[^.!?\n]{0,30}\b(?:poza\s+\w+|bezpośrednio|bezposrednio|prywatnie)",
    ),
    (
        "payment.direct.pl",
        r"\b(?:zapła\w*|zaplac\w*|płać\w*|płac\w*|placi\w*|przel\w*|wpła\w*|blik\w*)\b[^.!?\n]{0,40}\b(?:poza\b|bezpośrednio|bezposrednio|na\s+(?:moje\s+)?konto|na\s+(?:mój\s+)?numer|na\s+telefon|prywatnie)",
    ),
    (
        "payment.bank_details.pl",
        r"\b(?:mój|moj|moje)\s+(?:numer\s+konta|konto\s+bankowe|iban)\b",
    ),
    // Spanish
    (
        "payment.paypal_ff.es",
        r"pay\s?pal\W{0,3}(?:\w+\W+){0,4}?(?:amigos\s+y\s+famili\w*|amigos)",
    ),
    (
        "payment.direct.es",
        r"\b(?:pag\w*|transferenci\w*|ingres\w*|env[ií]\w*\s+(?:el\s+)?dinero|bizum)\b[^.!?\n]{0,40}(?:\bdirect\w*|\bfuera\s+de\b|\bsin\s+(?:la\s+)?(?:plataforma|comisi\w*)|\ba\s+mi\s+cuenta|\bpor\s+bizum\b)",
    ),
    (
        "payment.offsite_deal.es",
        r"\b(?:trato|venta|compra|negocio|cerrar|hacer\w*|tratar\w*)\b[^.!?\n]{0,30}\bfuera\s+de\s+(?:la\s+)?(?:plataforma|web|app|wallapop|amazon|ebay|p[aá]gina)",
    ),
    (
        "payment.bank_details.es",
        r"\bmi\s+(?:iban|n[uú]mero\s+de\s+cuenta|cuenta\s+bancaria)\b",
    ),
    // French
    (
        "payment.paypal_ff.fr",
        r"pay\s?pal\W{0,3}(?:\w+\W+){0,4}?(?:entre\s+(?:amis|proches)|amis\s+(?:et|&)\s+famille)",
    ),
    (
        "payment.direct.fr",
        r"\b(?:pai\w*|pay\w*|virement|virez|envoy\w*|r[eè]gl\w*)\b[^.!?\n]{0,40}(?:\bdirectement\b|\ben\s+dehors\b|\bhors\s+(?:de\s+la\s+)?(?:plateforme|site)|\bsur\s+mon\s+compte|\bpar\s+(?:lydia|paylib|wero)\b)",
    ),
    (
        "payment.offsite_deal.fr",
        r"\b(?:conclu\w*|vend\w*|achet\w*|traiter|affaire|transaction|finaliser)\b[^.!?\n]{0,30}\b(?:en\s+dehors|hors)\s+(?:de\s+)?(?:la\s+|du\s+)?(?:plateforme|site|appli\w*|leboncoin|vinted|amazon|ebay)",
    ),
    (
        "payment.bank_details.fr",
        r"\bmon\s+(?:iban|rib|num[ée]ro\s+de\s+compte)\b",
    ),
    // Italian
    (
        "payment.paypal_ff.it",
        r"pay\s?pal\W{0,3}(?:\w+\W+){0,4}?(?:amici\s+(?:e|&)\s+famil\w*|amici)",
    ),
    (
        "payment.direct.it",
        r"\b(?:pag\w*|bonifico|bonifici|ricaric\w*|mand\w*|invi\w*)\b[^.!?\n]{0,40}(?:\bdirettamente\b|\bfuori\s+da\w*|\bsul\s+mio\s+conto|\bsulla\s+(?:mia\s+)?(?:postepay|carta)|\bcon\s+(?:satispay|postepay)\b)",
    ),
    (
        "payment.offsite_deal.it",
        r"\b(?:conclud\w*|vend\w*|compr\w*|trattativa|affare|chiud\w*)\b[^.!?\n]{0,30}\bfuori\s+(?:dalla\s+|da\s+)?(?:piattaforma|sito|app|subito|vinted|amazon|ebay)",
    ),
    (
        "payment.bank_details.it",
        r"\bil\s+mio\s+(?:iban|numero\s+di\s+conto)\b",
    ),
];

/// "Payment has already been taken through the marketplace", "bitte nichts
/// überweisen", "non deve fare alcun bonifico", "お振込みは不要です".
const SETTLED: &str = r"(?i)\b(?:already\s+(?:been\s+)?(?:paid|taken|settled|received)|no\s+(?:further\s+)?(?:action|payment|transfer)\s+is\s+(?:needed|required)|nothing\s+(?:more\s+|else\s+)?to\s+(?:pay|transfer)|bereits\s+(?:\w+\s+){0,3}(?:bezahlt|erfolgt|beglichen)|nichts\s+(?:mehr\s+|weiter\s+)?(?:zu\s+)?(?:tun|überweisen|zahlen)|ya\s+(?:est[aá]\s+)?(?:hecho|pagad\w*|realizad\w*)|no\s+tienes\s+que\s+(?:transferir|pagar)\s+nada|gi[àa]\s+(?:stato\s+)?(?:avvenuto|effettuato|pagat\w*)|non\s+deve\s+fare\s+alcun|d[ée]j[àa]\s+(?:été\s+)?(?:pay[ée]|r[ée]gl[ée]|effectu[ée])|rien\s+[àa]\s+(?:payer|virer)|j[áa]\s+(?:foi\s+)?(?:pag[oa]|efetuad[oa]|feito)|n[ãa]o\s+(?:tem|precisa)\s+de\s+(?:transferir|pagar)\s+nada|al\s+betaald|niets\s+(?:meer\s+)?(?:over\s+te\s+maken|te\s+betalen)|już\s+(?:została\s+)?(?:zrealizowan\w*|opłacon\w*|zapłacon\w*)|została\s+już\s+zrealizowan\w*|nic\s+więcej\s+nie\s+trzeba|уже\s+(?:оплачен\w*|прош[её]л\w*|произведен\w*)|ничего\s+(?:не\s+нужно\s+)?переводить|zaten\s+(?:öden\w*|yapıld\w*))\b|お振込み?は不要|サイト上で完了|الدفع\s+تم|ما\s+عليك\s+تحو";

/// The marketplace's own checkout named beside a payment method: "can I pay
/// with Bizum at checkout?", "決済画面にPayPayが出てきます", "В корзине вижу
/// оплату через СБП". A method offered there is paid on the platform.
const CHECKOUT: &str = r"(?i)\b(?:check-?out|payment\s+(?:page|screen|step)|basket|shopping\s+cart|(?:site|platform)'?s\s+(?:own\s+)?(?:checkout|payment)|kasse|warenkorb|bezahlseite|panier|page\s+de\s+paiement|carrito|pasarela\s+de\s+pago|p[áa]gina\s+de\s+pago|al\s+finalizar\s+(?:la\s+)?compra|dentro\s+de\s+la\s+(?:plataforma|web|app)|carrello|pagina\s+di\s+pagamento|al\s+momento\s+del\s+pagamento\s+sulla\s+piattaforma|checkout\s+del\s+sito|carrinho|p[áa]gina\s+de\s+pagamento|diretamente\s+no\s+site|finalizar\s+(?:a\s+)?compra|winkelmand\w*|winkelwagen|betaalpagina|koszyk\w*|stronie\s+płatności|корзин\w*|странице\s+оплаты|ödeme\s+(?:ekran|sayfa)\w*|sepet\w*|sitenin\s+kendi\s+ödeme\w*)\b|決済画面|注文画面|支払い?画面|サイトの決済|صفحة\s+الدفع";
/// The sentence still takes the deal away ("instead of the checkout",
/// "statt über den Checkout", "cancel the cart and pay me").
const LEAVES_CHECKOUT: &str = r"(?i)\b(?:instead|rather\s+than|not\s+(?:through|via)|statt|anstatt|ohne|au\s+lieu|plut[ôo]t\s+que|en\s+vez|en\s+lugar|sin\s+pasar|invece|senza\s+passare|em\s+vez|sem\s+passar|in\s+plaats|zamiast|nie\s+przez|вместо|не\s+через|yerine|outside|außerhalb|buiten|en\s+dehors|fuera|fuori|fora|poza|вне|dışında|cancel\w*|stornier\w*|annul\w*|anul\w*|отмен\w*|iptal)\b|ではなく|通さ|بدل|خارج";

pub struct PaymentDetector {
    rules: Vec<(&'static str, Rule)>,
    /// All phrase rules' gates in one pattern: most messages fail it and
    /// run none of the rules.
    any_rule: Rule,

    /// Bank account numbers: sharing one is asking to be paid off the platform.
    iban: Rule,
    /// A Polish account number (NRB): an IBAN without its `PL`.
    nrb: Rule,
    /// 13 to 19 digits in groups of four, as card numbers are written.
    card: Rule,
    /// Methods, cues and account details in every supported language.
    offsite: Offsite,
    /// The order is already paid through the platform, or nothing is to be
    /// transferred: bank details printed on an invoice are information.
    settled: Rule,
    checkout: Rule,
    leaves_checkout: Rule,
}

impl PaymentDetector {
    pub fn new() -> Result<Self, regex::Error> {
        let rules = RULES
            .iter()
            .map(|(id, pattern)| Ok((*id, super::regex(&format!("(?i){pattern}"))?)))
            .collect::<Result<_, regex::Error>>()?;
        let patterns: Vec<String> = RULES.iter().map(|(_, p)| format!("(?i){p}")).collect();
        Ok(Self {
            rules,
            any_rule: Rule::any_of(patterns.iter().map(String::as_str))?,

            iban: super::regex(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")?,
            nrb: super::regex(r"\b\d{2}(?:[ ]?\d{4}){6}\b")?,
            card: super::regex(r"\b\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}\b")?,
            offsite: Offsite::new()?,
            settled: super::regex(SETTLED)?,
            checkout: super::regex(CHECKOUT)?,
            // A checkout said to fail is left too ("the checkout is down, pay me by …").
            leaves_checkout: super::regex(&format!(
                r"{LEAVES_CHECKOUT}|\b(?:{})\b",
                super::offsite::BROKEN
            ))?,
        })
    }
}

impl Detector for PaymentDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::OffsitePayment
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        let from = hits.len();
        // A warning ("we will never ask for a bank transfer") or a refusal
        // ("someone asked me to pay on Cash App, I said no") is not an attempt.
        let phrase_rules = self.any_rule.is_match(text);
        let offsite = self.offsite.may_match(text);
        let refused = (phrase_rules || offsite) && self.offsite.refused(text);
        if offsite {
            self.offsite.detect(scan, refused, hits);
        }
        let rules = if !refused && phrase_rules {
            &self.rules[..]
        } else {
            &[]
        };
        for (id, re) in rules {
            for m in re.find_iter(text) {
                hits.extend(scan.hit_normalized(
                    FindingKind::OffsitePayment,
                    m.start(),
                    m.end(),
                    id,
                ));
            }
        }
        for m in self.iban.find_iter(text) {
            if is_valid_iban(m.as_str()) {
                hits.extend(scan.hit_normalized(
                    FindingKind::OffsitePayment,
                    m.start(),
                    m.end(),
                    "payment.iban",
                ));
            }
        }
        for m in self.nrb.find_iter(text) {
            if is_valid_iban(&format!("PL{}", m.as_str())) {
                hits.extend(scan.hit_normalized(
                    FindingKind::OffsitePayment,
                    m.start(),
                    m.end(),
                    "payment.account_number.pl",
                ));
            }
        }
        for m in self.card.find_iter(text) {
            let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
            // Grouped like a card (separators present) and passing Luhn.
            let grouped = m.as_str().contains([' ', '-']);
            if grouped && (13..=19).contains(&digits.len()) && luhn(&digits) {
                hits.extend(scan.hit_normalized(
                    FindingKind::OffsitePayment,
                    m.start(),
                    m.end(),
                    "payment.card_number",
                ));
            }
        }
        // A method named as one of the checkout's own ("dá para pagar com
        // MB WAY diretamente no site?") is paid on the platform.
        if hits.len() > from && self.checkout.is_match(scan.input) {
            let mine = hits.split_off(from);
            hits.extend(mine.into_iter().filter(|h| {
                let names_a_method = matches!(
                    h.rule.as_str(),
                    "payment.offsite_method" | "payment.gift_card"
                ) || h.rule.starts_with("payment.p2p_app")
                    || h.rule.starts_with("payment.direct.");
                let s = sentence_around(scan.input, h.start, h.end);
                !(names_a_method && self.checkout.is_match(s) && !self.leaves_checkout.is_match(s))
            }));
        }
        // Bank details beside a payment already made on the platform are
        // an invoice's small print, not a request to be paid.
        if hits.len() > from && self.settled.is_match(text) {
            let mine = hits.split_off(from);
            hits.extend(mine.into_iter().filter(|h| {
                !matches!(
                    h.rule.as_str(),
                    "payment.iban"
                        | "payment.account_number.pl"
                        | "payment.card_number"
                        | "payment.account_details"
                        | "payment.to_account"
                ) && !h.rule.starts_with("payment.bank_details")
            }));
        }
    }
}

/// The sentence of `text` around bytes `start..end`: from the last stop
/// before to the first after (stops as the phrase rules read them).
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let is_stop = |c: char| matches!(c, '.' | '!' | '?' | '\n' | '。' | '！' | '？' | '؟');
    let from = text[..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_stop(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let to = text[end..].find(is_stop).map_or(text.len(), |i| end + i);
    &text[from..to]
}

/// ISO 13616 check: move the first four characters to the end, letters to
/// numbers (A=10), and the whole must be 1 modulo 97.
fn is_valid_iban(candidate: &str) -> bool {
    let compact: Vec<char> = candidate.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let mut rem: u32 = 0;
    for c in compact[4..].iter().chain(&compact[..4]) {
        let Some(v) = c.to_digit(36) else {
            return false;
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}
