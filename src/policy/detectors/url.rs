//! Links: linkify URLs with or without a scheme (`shop-x.de/abc`, `bit.ly/x`)
//! and disguised domains ("shop-x dot de", "عطور-الشرق دوت كوم"), except
//! allowlisted domains.

use super::Rule;
use linkify::{LinkFinder, LinkKind};

use super::email::DOT_WORDS;
use super::{Detector, Hit, Scan, floor_boundary, is_known_tld, is_one_case};
use crate::policy::decision::FindingKind;

/// Words before " dot com" that make it prose ("the dot com bubble").
/// Articles and prepositions likewise: "el punto de recogida", "no ponto
/// de retirada", "au point mort", "op dit punt".
pub(crate) const NOT_A_DOMAIN_LABEL: &[&str] = &[
    "the", "a", "an", "my", "your", "our", "this", "that", "el", "la", "le", "les", "un", "une",
    "au", "du", "al", "del", "en", "no", "na", "do", "da", "o", "os", "as", "um", "il", "lo",
    "nel", "dal", "het", "dit", "dat", "op", "der", "die", "das", "dem", "den", "im", "am", "ein",
    "w", "bu", "bir", "ce", "cet", "questo", "este", "esse", "ese", "deze",
];

pub struct UrlDetector {
    links: LinkFinder,
    disguised: Rule,
    /// "bit ly/abc": a link shortener with its dot left out.
    shortener: Rule,
    /// "www example com": the dots left out altogether.
    www_spaced: Rule,
    /// A domain in Cyrillic letters under a Cyrillic top-level domain.
    cyrillic: Rule,
    /// "w w w . " or "в в в точка " spelled out before a domain found.
    www_before: Rule,
    /// A path after a domain found, its slash said or spaced ("[slash]
    /// catalogo", "/ barra vinilos-70s", " / offers").
    path_after: Rule,
    /// A link found up to a spelled slash ("… es / barra"): its next word
    /// is the path.
    slash_end: Rule,
    word_after: Rule,
}

impl UrlDetector {
    pub fn new() -> Result<Self, regex::Error> {
        let mut links = LinkFinder::new();
        links.kinds(&[LinkKind::Url]).url_must_have_scheme(false);
        let dot = format!(
            r"(?:\s*[(\[{{<]\s*(?:{DOT_WORDS}|\.)\s*[)\]}}>]\s*|\s+(?:{DOT_WORDS})\s+|[-_](?:{DOT_WORDS})[-_]|\s+\.\s+|[ \t]?[•●∙][ \t]?)"
        );
        let disguised = super::regex(&format!(
            r"(?i)(?:\b(?:https?|acca\s+ti\s+ti\s+pi(?:\s+esse)?|hache\s+t[eé]\s+t[eé]\s+p[eé](?:\s+esse?)?|ha\s+te\s+te\s+pe(?:\s+es)?|ag[aá]\s+t[eê]\s+t[eê]\s+p[eê](?:\s+esse)?)\s*(?::|colon|doppelpunkt|deux[-\s]points|dos\s+puntos|due\s+punti|dois\s+pontos|dwukropek|двоеточие|iki\s+nokta)\s*(?:/|slash|barra|schrägstrich|slesh|слэш|слеш|eğik\s+çizgi)\s*(?:/|slash|barra|schrägstrich|slesh|слэш|слеш|eğik\s+çizgi)\s*)?\b(?P<host>(?:[a-z0-9\p{{Arabic}}][a-z0-9\p{{Arabic}}-]*(?:\.|{dot}))+)(?P<tld>[a-z]{{2,10}}|рф)\b(?P<path>/[^\s]*|(?:\s*(?:/|\b(?:slash|barra|barre(?:\s+oblique)?|ukośnik|slesh|слэш|слеш|schrägstrich|schuine\s+streep|eğik\s+çizgi)\b|سلاش|スラッシュ)\s*[\w-]+)+)?"
        ))?;
        // "bit ly/abc", "bit ly / abc": a link shortener with a space for its dot.
        let shortener = super::regex(
            r"(?i)\b(?:bit\s+ly|cutt\s+ly|tinyurl\s+com|goo\s+gl|rb\s+gy|is\s+gd|ow\s+ly|buff\s+ly|tiny\s+cc|shorturl\s+at|t\s+ly)\s*/\s*[\w-]+",
        )?;
        let www_spaced =
            super::regex(r"(?i)\bwww\s+(?P<host>[a-z0-9][a-z0-9-]*)\s+(?P<tld>[a-z]{2,6})\b")?;
        Ok(Self {
            www_before: super::regex(&format!(
                r"(?i)(?:w[ \t]*w[ \t]*w|в[ \t]*в[ \t]*в)[ \t]*(?:\.|[(\[]?(?:{DOT_WORDS})[)\]]?)[ \t]*$"
            ))?,
            path_after: super::regex(
                r"(?i)^(?:[ \t]*(?:/|[(\[（]?(?:slash|barra|barre|schr[äa]gstrich|ukośnik|слэш|слеш|taksim|スラッシュ|すらっしゅ)[)\]）]?)){1,2}[ \t]*@?[\p{L}\p{N}_-]+",
            )?,
            slash_end: super::regex(
                r"(?i)(?:/|\b(?:slash|barra|barre|schr[äa]gstrich|ukośnik|слэш|слеш|taksim))[)\]]?[ \t]*$",
            )?,
            word_after: super::regex(r"^[ \t]*@?[\p{L}\p{N}_-]+")?,
            links,
            disguised,
            shortener,
            www_spaced,
            cyrillic: super::regex(
                r"(?i)(?:^|[^\p{L}\p{N}.@-])((?:[\p{Cyrillic}0-9][\p{Cyrillic}0-9-]*(?:\.|\s+точка\s+|\s*\(точка\)\s*))+(?:рф|рус|москва|онлайн|сайт|орг|бел|укр|дети)(?:/[^\s]*|\s*(?:/|слэш|слеш)\s*[\p{L}\p{N}_-]+)?)(?:$|[^\p{L}\p{N}])",
            )?,
        })
    }
}

/// A link hit widened over the rest of its path in the input: up to the
/// next space or quote, without trailing punctuation.
fn extend_over_path(input: &str, mut hit: Hit) -> Hit {
    let rest = &input[hit.end..];
    let run = rest
        .find(|c: char| !c.is_ascii_graphic() || matches!(c, '<' | '>' | '"' | '\''))
        .unwrap_or(rest.len());
    let run = rest[..run].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}']);
    if !run.is_empty() && !input[..hit.end].ends_with(char::is_whitespace) {
        hit.end += run.len();
    }
    hit
}

/// The host of a link as linkify found it: no scheme, user info, port or path.
pub(crate) fn host_of(link: &str) -> (&str, bool) {
    let (rest, has_scheme) = match link.find("://") {
        Some(i) => (&link[i + 3..], true),
        None => (link, link.to_ascii_lowercase().starts_with("mailto:")),
    };
    let rest = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let rest = rest.rsplit('@').next().unwrap_or_default();
    let host = rest.split(':').next().unwrap_or_default();
    (host.trim_end_matches('.'), has_scheme)
}

impl Detector for UrlDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::Url
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let from = hits.len();
        self.find(scan, hits);
        // "w w w . keukenkoning . nl", "ricambivespa [punto] it [slash]
        // catalogo": the spelled-out parts around a domain are the link's too.
        let input = scan.input;
        for h in &mut hits[from..] {
            // A spelled "w w w ." is short: look only just before the link.
            let from = floor_boundary(input, h.start.saturating_sub(40));
            if let Some(m) = self.www_before.find(&input[from..h.start]) {
                h.start = from + m.start();
            }
            // "⟨ tinyurl ⟩ ⟨ ponto ⟩ …": the bracket opening the first word.
            let before = input[..h.start].trim_end_matches(' ');
            if before.ends_with(['⟨', '‹']) && input[h.start..h.end].contains(['⟩', '›']) {
                h.start = before.len() - '⟨'.len_utf8();
            }
            if let Some(m) = self.path_after.find(&input[h.end..]) {
                h.end += m.end();
            } else if self.slash_end.is_match(&input[h.start..h.end])
                && let Some(m) = self.word_after.find(&input[h.end..])
            {
                h.end += m.end();
            }
        }
    }
}

impl UrlDetector {
    fn find(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        for link in self.links.links(text) {
            let (host, has_scheme) = host_of(link.as_str());
            if host.is_empty() || scan.is_link_allowlisted(host) {
                continue;
            }
            let rule = if has_scheme {
                "url.link"
            } else {
                let tld = host.rsplit('.').next().unwrap_or_default();
                let www = host.to_ascii_lowercase().starts_with("www.");
                if !(www || is_known_tld(tld) && is_one_case(tld)) {
                    continue;
                }
                "url.bare_domain"
            };
            // A path the normaliser split ("iphone_13_128go": "_" between
            // digits reads as a space there) runs on in the input.
            hits.extend(
                scan.hit_normalized(FindingKind::Url, link.start(), link.end(), rule)
                    .map(|h| extend_over_path(scan.input, h)),
            );
        }

        if !text.is_ascii() {
            for c in self.cyrillic.captures_iter(text) {
                if let Some(m) = c.get(1) {
                    hits.extend(scan.hit_normalized(
                        FindingKind::Url,
                        m.start(),
                        m.end(),
                        "url.cyrillic_domain",
                    ));
                }
            }
        }
        for m in self.shortener.find_iter(text) {
            hits.extend(scan.hit_normalized(
                FindingKind::Url,
                m.start(),
                m.end(),
                "url.spaced_shortener",
            ));
        }
        for caps in self.www_spaced.captures_iter(text) {
            let (Some(all), Some(host), Some(tld)) =
                (caps.get(0), caps.name("host"), caps.name("tld"))
            else {
                continue;
            };
            let host = format!(
                "www.{}.{}",
                host.as_str()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join("."),
                tld.as_str()
            );
            if !is_known_tld(tld.as_str())
                || !is_one_case(tld.as_str())
                || scan.is_link_allowlisted(&host)
            {
                continue;
            }
            hits.extend(scan.hit_normalized(
                FindingKind::Url,
                all.start(),
                all.end(),
                "url.spaced_www",
            ));
        }

        for caps in self.disguised.captures_iter(text) {
            let (Some(all), Some(host), Some(tld)) =
                (caps.get(0), caps.name("host"), caps.name("tld"))
            else {
                continue;
            };
            let host_text = host.as_str();
            let written = format!("{host_text}{}", tld.as_str()).to_lowercase();
            let undisguised = super::email::undisguise_domain(&written);
            // Plain dots only: linkify has already judged it.
            if undisguised == written {
                continue;
            }
            let first_label: String = host_text
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-')
                .collect::<String>()
                .to_lowercase();
            if !is_known_tld(tld.as_str())
                || !is_one_case(tld.as_str())
                || NOT_A_DOMAIN_LABEL.contains(&first_label.as_str())
                // "123 987 . email": digits before a spaced dot end a number.
                || first_label.chars().all(|c| c.is_ascii_digit())
                || scan.is_link_allowlisted(&undisguised)
            {
                continue;
            }
            hits.extend(scan.hit_normalized(
                FindingKind::Url,
                all.start(),
                all.end(),
                "url.obfuscated",
            ));
        }
    }
}
