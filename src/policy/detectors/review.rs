//! Review manipulation: one sentence that names a review, asks to change or
//! inflate it, and offers something for it ("I'll refund you if you remove
//! your review"). "Thanks for your review" alone passes.

use super::Rule;

use super::review_ask::ReviewAsk;
use super::{Detector, Hit, Scan};
use crate::policy::decision::FindingKind;

/// Per language: (rule id, the review itself, changing or inflating it, the incentive).
/// Spelled-out numbers are already digits here ("five stars" reads "5 stars").
const LANGUAGES: &[(&str, &str, &str, &str)] = &[
    (
        "review.incentive.en",
        r"\b(?:reviews?|ratings?|feedback|stars?|comments?)\b",
        r"\b(?:remov\w*|delet\w*|take\s+(?:it\s+)?down|chang\w*|updat\w*|edit\w*|revis\w*|improv\w*|rais\w*|increas\w*|upgrad\w*|withdraw\w*|retract\w*|positive|leav\w*|writ\w*|post\w*|for\s+(?:a\s+)?5\s?-?\s?stars?|5\s?-?\s?stars?\s+(?:review|rating|feedback))\b",
        r"(?:\b(?:refund\w*|gift\w*|vouchers?|coupons?|discount\w*|free|money|cash|compensat\w*|rewards?|bonus\w*|paid|pay|send\s+you)\b|[$€£]\s?\d)",
    ),
    (
        "review.incentive.de",
        r"\b(?:bewertung\w*|rezension\w*|feedback|sterne?n?|kommentar\w*)\b",
        r"\b(?:nehm\w*\s+(?:\w+\s+){0,4}?zurück|lösch\w*|loesch\w*|änder\w*|aender\w*|entfern\w*|zurückz\w*|zurueckz\w*|anpass\w*|aktualisier\w*|positiv\w*|verbesser\w*|hinterlass\w*|schreib\w*|für\s+5\s?-?\s?sterne?n?|5\s?-?\s?sterne?n?[\s-]+(?:bewertung|rezension))\b",
        r"(?:\b(?:erstatt\w*|rückerstatt\w*|rueckerstatt\w*|gutschein\w*|geschenk\w*|rabatt\w*|gratis|kostenlos\w*|geld\w*|entschädig\w*|belohn\w*|bonus|prämie\w*|zurück)\b|[$€£]\s?\d)",
    ),
    (
        "review.incentive.ru",
        r"(?:отзыв\w*|оценк\w*|звезд\w*|коммент\w*)",
        r"(?:удал\w*|измен\w*|исправ\w*|поменя\w*|убер\w*|убрат\w*|сня\w*|положительн\w*|повыс\w*|остав\w*|напиш\w*|за\s+5\s?-?\s?звезд\w*|5\s?-?\s?звезд\w*\s+отзыв\w*)",
        r"(?:вер(?:ну|н[её])\w*|возврат\w*|компенс\w*|подар\w*|скидк\w*|бесплатн\w*|деньг\w*|бонус\w*|купон\w*|ка?е?шб[эе]к\w*|[$€₽]\s?\d|\d\s?(?:₽|руб))",
    ),
    (
        "review.incentive.pl",
        r"\b(?:opini\w*|recenzj\w*|ocen\w*|komentarz\w*|gwiazd\w*)",
        r"\b(?:usu[nńw]\w*|zmie\w*|zmień|popraw\w*|wycof\w*|pozytywn\w*|podnie\w*|wystaw\w*|napisz\w*|za\s+5\s?-?\s?gwiazd\w*)",
        r"(?:\b(?:zwrot\w*|zwróc\w*|zwroc\w*|prezent\w*|rabat\w*|zniżk\w*|znizk\w*|gratis|darmow\w*|pieniądz\w*|pieniedz\w*|pieniądze|bon\w*|kupon\w*|rekompens\w*)|[$€]\s?\d|\d\s?zł)",
    ),
    (
        "review.incentive.es",
        r"\b(?:rese[ñn]\w*|valoraci\w*|opini[oó]n\w*|comentario\w*|estrellas?|puntuaci\w*|calificaci\w*)",
        r"\b(?:borr\w*|elimin\w*|quit\w*|retir\w*|cambi\w*|modific\w*|mejor\w*|positiv\w*|dej\w*|escrib\w*|a\s+5\s+estrellas)",
        r"(?:\b(?:devuelv\w*|devoluci\w*|reembols\w*|regal\w*|cup[oó]n\w*|descuento\w*|gratis|dinero|compens\w*|vale)|[$€]\s?\d|\d\s?(?:€|euros?))",
    ),
    (
        "review.incentive.fr",
        r"\b(?:avis|commentaire\w*|[ée]valuation\w*|note|[ée]toiles?)\b",
        r"\b(?:supprim\w*|retir\w*|effac\w*|modifi\w*|chang\w*|amélior\w*|positi\w*|laiss\w*|[ée]cri\w*|à\s+5\s+[ée]toiles)",
        r"(?:\b(?:rembours\w*|cadeau\w*|bon\s+d.achat|réduction\w*|remise\w*|gratuit\w*|argent|compens\w*|offert\w*|offre\w*)|[$€]\s?\d|\d\s?(?:€|euros?))",
    ),
    (
        "review.incentive.it",
        r"\b(?:recension\w*|valutazion\w*|feedback|voto|commento\w*|stelle)\b",
        r"\b(?:cancell\w*|rimuov\w*|tolg\w*|togli\w*|elimin\w*|cambi\w*|modific\w*|miglior\w*|positiv\w*|lasc\w*|scriv\w*|a\s+5\s+stelle)",
        r"(?:\b(?:rimbors\w*|regal\w*|buono\w*|sconto\w*|gratis|soldi|compens\w*|omaggio)|[$€]\s?\d|\d\s?(?:€|euro))",
    ),
];

pub struct ReviewDetector {
    sentence: Rule,
    /// Any language's review word: sentences without one, after a sentence
    /// without one, are skipped without running the per-language rules.
    any_review: Rule,
    languages: Vec<(&'static str, [Rule; 3])>,
    /// The same told by structure, in every supported language.
    ask: ReviewAsk,
}

impl ReviewDetector {
    pub fn new() -> Result<Self, regex::Error> {
        let languages = LANGUAGES
            .iter()
            .map(|(id, review, change, incentive)| {
                Ok((
                    *id,
                    [
                        super::regex(&format!("(?i){review}"))?,
                        super::regex(&format!("(?i){change}"))?,
                        super::regex(&format!("(?i){incentive}"))?,
                    ],
                ))
            })
            .collect::<Result<_, regex::Error>>()?;
        let any_review = LANGUAGES
            .iter()
            .map(|(_, review, _, _)| format!("(?:{review})"))
            .collect::<Vec<_>>()
            .join("|");
        Ok(Self {
            any_review: super::regex(&format!("(?i){any_review}"))?,
            // A full stop ends a sentence only before whitespace, so "5.0" stays whole.
            sentence: super::regex(r"[^!?\n;.]+(?:\.\S[^!?\n;.]*)*")?,
            languages,
            ask: ReviewAsk::new()?,
        })
    }
}

impl Detector for ReviewDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::ReviewManipulation
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        self.ask.detect(scan, hits);
        if self.ask.is_honest(text) {
            return;
        }
        let mut previous = "";
        let mut previous_asked = false;
        let mut previous_has_review = false;
        for sentence in self.sentence.find_iter(text) {
            let s = sentence.as_str();
            let has_review = self.any_review.is_match(s);
            if !has_review && !previous_has_review {
                previous = s;
                previous_asked = text[sentence.end()..].starts_with('?');
                continue;
            }
            previous_has_review = has_review;
            for (id, [review, change, incentive]) in &self.languages {
                let found: Vec<_> = [review, change, incentive]
                    .iter()
                    .filter_map(|re| re.find(s))
                    .collect();
                // "I saw your 1-star review. I'll pay you back if you take it
                // down.": the review named one sentence before the offer.
                let named_before =
                    found.len() == 2 && review.find(s).is_none() && review.is_match(previous);
                // "Will you change your review? I'll add a free case.": a
                // question about the review answered with an offer.
                let offered_after = previous_asked
                    && found.len() == 1
                    && incentive.is_match(s)
                    && review.is_match(previous)
                    && change.is_match(previous);
                if found.len() < 3 && !named_before && !offered_after {
                    continue;
                }
                let start = found.iter().map(|m| m.start()).min().unwrap_or(0);
                let end = found.iter().map(|m| m.end()).max().unwrap_or(0);
                hits.extend(scan.hit_normalized(
                    FindingKind::ReviewManipulation,
                    sentence.start() + start,
                    sentence.start() + end,
                    id,
                ));
                break;
            }
            previous = s;
            previous_asked = text[sentence.end()..].starts_with('?');
        }
    }
}
