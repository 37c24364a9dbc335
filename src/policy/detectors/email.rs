//! Email addresses: plain (linkify) and disguised ("john at gmail dot com",
//! "john(at)gmail(dot)com", "ivan собака mail точка ru").

use super::Rule;
use linkify::{LinkFinder, LinkKind};

use super::{Detector, Hit, Scan, is_known_tld};
use crate::policy::decision::FindingKind;

/// "at" as people disguise it, in every supported language.
const AT_WORDS: &str = r"at|ät|kuyruklu\s+a|kuyruklu|собака|собачка|małpa|malpa|klammeraffe|affe|arroba|arobase|chiocciola|chiocciolina|apenstaartje|apenstaart|apestaart|et|et\s+işareti|at\s+işareti|chez|アットマーク|アット|あっと|آت|ات";
/// "dot" likewise.
pub(crate) const DOT_WORDS: &str = r"dot|pünktchen|punktchen|punkt|точка|тчк|kropka|period|pkt|punto|point|punt|puntje|ponto|nokta|ドット|どっと|てん|テン|نقطة|دوت";

/// Words that precede a bare "at" in ordinary sentences ("I am at amazon.de").
const NOT_A_LOCAL_PART: &[&str] = &[
    "a",
    "am",
    "are",
    "be",
    "been",
    "is",
    "was",
    "were",
    "me",
    "us",
    "you",
    "him",
    "her",
    "it",
    "we",
    "they",
    "them",
    "look",
    "looked",
    "arrive",
    "arrived",
    "available",
    "here",
    "there",
    "stay",
    "work",
    "meet",
    "see",
    "sell",
    "sold",
    "selling",
    "buy",
    "bought",
    "order",
    "ordered",
    "listed",
    "find",
    "found",
    "check",
    "shop",
    "shopping",
    "price",
    "priced",
    "cheaper",
    "even",
    "only",
    "just",
    "also",
    "both",
    "then",
    "and",
    "or",
    "but",
    "not",
    "item",
    "items",
    "product",
    "contact",
    "reach",
    "write",
    "email",
    "mail",
    "message",
    "ping",
    "text",
    "suis",
    "est",
    "sommes",
    "travaille",
    "vais",
    "moi",
    "toi",
    "lui",
    "mi",
    "mir",
    "te",
    "lhe",
    "nos",
];

/// Mail providers by name, inflections and other scripts' forms included.
const PROVIDERS: &str = r"(?i)\b(?:g\s?mail\w{0,3}|googlemail|hotmail\w{0,3}|outlook\w{0,3}|yahoo\w{0,3}|icloud|gmx|t-online|proton(?:mail)?|yandex|яндекс\w*|mail\.ru|гугл\w*\s+почт\w*|wp|onet|interia|libero|virgilio|orange|laposte|sfr|uol|bol|terra|sapo|ziggo|kpn|telenet|skynet|naver|daum|aol)\b";
/// Mail providers that name nothing else, for a name anywhere near them.
const PROVIDERS_NEAR: &str = r"(?i)(?-u:\b)(?:g\s?mail(?:u|a|em|e|'?de|'?den)?|googlemail|hotmail\w{0,3}|outlook\w{0,3}|yahoo\w{0,3}|icloud|gmx|posteo|web\.de|bei\s+web|proton(?:mail)?|yandex\w{0,3}|mail(?:\.|\s)ru|rambler|interi[ia]\w{0,2}|onet(?:u)?|onecie|wp\.pl|libero|virgilio|laposte|wanadoo|ziggo|hetnet|aol)(?-u:\b)|(?:^|[^\p{L}])(?:мыл[оеау]|(?:мейл|мэйл|майл)\s?ру|рамблер\w{0,3})(?:$|[^\p{L}])|großen\s+G\b|ヤフーメール|ヤフー|ジーメール|Gメール|ホットメール|アウトルック|ドコモメール|アイクラウド";

/// File names and versions are not local parts.
const NOT_A_LOCAL_PART_END: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "pdf", "doc", "docx", "xls", "xlsx", "zip", "txt", "mp4", "mov",
    "heic", "webp", "csv",
];

/// A local part standing alone: dots, underscores or digits among letters.
const LOCAL_PART: &str =
    r"[A-Za-z0-9](?:[A-Za-z0-9]*[._-][A-Za-z0-9]+)+|[A-Za-z]+[0-9][A-Za-z0-9]*";

pub struct EmailDetector {
    /// A mail provider named after the address's local part ("sveta_88
    /// (гмейл)", "faisal_q88 على الهوتميل"), or its domain in the next
    /// sentence ("La prima parte è fede_ricci_88. Il dominio è hotmail.it.").
    providers: Rule,
    local_part: Rule,
    /// "I'm on hotmail as anna.k.77": a mail provider, then the name there.
    provider_named: super::site_handle::SiteHandle,
    /// "Gmailで kenta.ouchi1993", "O utilizador é tiago.neves.92. O resto é
    /// o do Outlook": a mail provider and a name shaped like a local part
    /// near it on the same line.
    provider_near: Rule,
    name_token: Rule,
    links: LinkFinder,
    disguised: Rule,
    provider_only: Rule,
}

impl EmailDetector {
    pub fn new() -> Result<Self, regex::Error> {
        let mut links = LinkFinder::new();
        links.kinds(&[LinkKind::Email]);
        // "(pt)": "point" cut short, in brackets only ("pt" alone is Portugal).
        let dot = format!(
            r"(?:\s*\.\s*|\s*[(\[{{<]\s*(?:{DOT_WORDS}|pt|\.)\s*[)\]}}>]\s*|\s+(?:{DOT_WORDS})\s+|\s*[-_](?:{DOT_WORDS})[-_]\s*)"
        );
        let at = format!(
            r"(?:\s*@\s*|\s*[(\[{{<]\s*(?:{AT_WORDS}|@)\s*[)\]}}>]\s*|\s+(?:{AT_WORDS})\s+|\s*[-_](?:{AT_WORDS})[-_]\s*)"
        );
        // Russian mail providers may be spelled in Cyrillic ("собака рамблер
        // точка ру", "инбокс", "лист", "бк").
        let label = r"(?:[a-z0-9](?:[a-z0-9-]{0,62})|рамблер|яндекс|мейл|мэйл|майл|гмейл|джимейл|инбокс|лист|бк)";
        // "john dot doe at ...": a spelled dot inside the local part too.
        let local_dot =
            format!(r"(?:\.|\s+(?:{DOT_WORDS})\s+|\s*[(\[{{]\s*(?:{DOT_WORDS})\s*[)\]}}]\s*)");
        let disguised = super::regex(&format!(
            r"(?i)\b(?P<local>[\p{{Latin}}0-9_%+-]+(?:{local_dot}[\p{{Latin}}0-9_%+-]+)*)(?P<at>{at})(?P<domain>{label}(?:{dot}{label})*){dot}(?P<tld>[a-zрф]{{2,10}})\b"
        ))?;
        let provider_only = super::regex(&format!(
            r"(?i)\b(?P<local>[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*)(?P<at>{at})(?P<domain>gmail|googlemail|yahoo|hotmail|outlook|live|icloud|proton(?:mail)?|gmx|yandex|mail\.ru|rambler|wp|onet|interia|o2|web\.de|t-online|aol)\b"
        ))?;
        Ok(Self {
            provider_near: super::regex(PROVIDERS_NEAR)?,
            name_token: super::regex(
                r"(?-u:\b)[A-Za-z0-9]+(?:[._][A-Za-z0-9]+)+_?(?-u:\b)|(?-u:\b)[A-Za-z]+_(?-u:\b)",
            )?,
            providers: super::regex(PROVIDERS)?,
            local_part: super::regex(LOCAL_PART)?,
            provider_named: super::site_handle::SiteHandle::with_sites(
                r"(?i)\b(?:g\s?mail(?:u|a|em|e)?|googlemail|hotmail\w{0,3}|outlook\w{0,3}|live|yahoo|icloud|gmx|web\.de|bei\s+web|t-online|proton(?:mail)?|yandex|яндекс\w*|mail\.ru|майл\w{0,2}|мейл\w{0,2}|мэйл\w{0,2}|wp|onet(?:u)?|onecie|interi[ai]|o2|libero|virgilio|orange|free|laposte|sfr|wanadoo|uol|bol|terra|sapo|ziggo|kpn|hetnet|telenet|skynet|naver|daum|qq|163|aol)\b",
                FindingKind::Email,
                "email.provider_named",
            )?,
            links,
            disguised,
            provider_only,
        })
    }
}

fn local_part_is_plausible(local: &str, at: &str) -> bool {
    let spelled_at = at.trim().chars().all(char::is_alphabetic);
    // "Écris-moi chez …", "Escreva-me para o …": a verb and its pronoun.
    let last = local.rsplit('-').next().unwrap_or(local).to_lowercase();
    !(spelled_at
        && (NOT_A_LOCAL_PART.contains(&local.to_lowercase().as_str())
            || NOT_A_LOCAL_PART.contains(&last.as_str())))
}

/// The domain as written once the disguise is undone, for the allowlist check.
pub(crate) fn undisguise_domain(domain: &str) -> String {
    let mut lower = domain.to_lowercase();
    for w in DOT_WORDS.split('|') {
        for sep in ['-', '_'] {
            lower = lower.replace(&format!("{sep}{w}{sep}"), ".");
        }
    }
    let mut out = String::new();
    for part in lower.split(|c: char| c.is_whitespace() || "()[]{}<>".contains(c)) {
        if DOT_WORDS.split('|').any(|w| w == part) {
            out.push('.');
        } else {
            out.push_str(part);
        }
    }
    out
}

impl EmailDetector {
    fn provider_near_name(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        for p in self.provider_near.find_iter(text) {
            let line_start = text[..p.start()].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[p.end()..]
                .find('\n')
                .map_or(text.len(), |i| p.end() + i);
            let from = super::ceil_boundary(text, p.start().saturating_sub(140)).max(line_start);
            let to = super::floor_boundary(text, p.end() + 140).min(line_end);
            let near = self
                .name_token
                .find_iter(&text[from..to])
                .map(|m| (from + m.start(), from + m.end()))
                .filter(|&(s, e)| {
                    let t = &text[s..e];
                    let letters = t.bytes().filter(u8::is_ascii_alphabetic).count();
                    let last = t
                        .rsplit('.')
                        .next()
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    let beside_at = text[..s].ends_with(['@', '#', '/', '.'])
                        || text[e..].starts_with(['@', '/'])
                        || text[e..].starts_with(".")
                            && text[e + 1..].starts_with(|c: char| c.is_ascii_alphanumeric());
                    letters >= 3
                        && (e <= p.start() || s >= p.end())
                        && !beside_at
                        && !(t.contains('.') && is_known_tld(&last))
                        && !NOT_A_LOCAL_PART_END.contains(&last.as_str())
                        && !t.to_ascii_lowercase().contains("mail")
                })
                .min_by_key(|&(s, e)| {
                    if e <= p.start() {
                        p.start() - e
                    } else {
                        s - p.end()
                    }
                });
            if let Some((s, e)) = near {
                hits.extend(scan.hit_normalized(
                    FindingKind::Email,
                    s,
                    e,
                    "email.provider_near_name",
                ));
            }
        }
    }

    /// A name found beside a provider takes the provider and the words
    /// between with it ("my hotmail is [email removed]" would still tell
    /// the address's domain): the provider in the same clause, at most a
    /// few words away.
    fn with_provider(&self, scan: &Scan<'_>, found: &mut [Hit]) {
        let text = scan.normalized.text.as_str();
        let providers: Vec<(usize, usize)> = self
            .providers
            .find_iter(text)
            .chain(self.provider_near.find_iter(text))
            .filter_map(|m| {
                // " мейлру,": the marks around a Cyrillic provider's name
                // that its pattern takes for word edges are not its own.
                let word = m.as_str().trim_matches(|c: char| !c.is_alphanumeric());
                let start = m.start() + m.as_str().find(word).unwrap_or(0);
                scan.hit_normalized(FindingKind::Email, start, start + word.len(), "")
                    .map(|h| (h.start, h.end))
            })
            .collect::<Vec<_>>();
        let mut providers = providers;
        providers.sort_unstable();
        let input = scan.input;
        let clause = super::site_handle::same_clause;
        for h in found.iter_mut() {
            // Only the providers just before and just after the name can be
            // near it: found by bisection, so many names and providers stay linear.
            let i = providers.partition_point(|&(s, _)| s < h.start);
            let before = providers[..i].iter().rev().take(2).copied();
            let after = providers[i..].iter().take(2).copied();
            let near = before.chain(after).filter(|&(s, e)| {
                (e <= h.start && clause(&input[e..h.start]))
                    || (h.end <= s && clause(&input[h.end..s]))
            });
            if let Some((s, e)) =
                near.min_by_key(|&(s, e)| s.abs_diff(h.start).min(e.abs_diff(h.end)))
            {
                h.start = h.start.min(s);
                h.end = h.end.max(e);
                // "sveta_88 (gmail)": the bracket opened goes with its close.
                // "jako ( d.kaminska.handel )" with spaces inside too.
                let close = input[h.end..].trim_start_matches(' ');
                if input[h.start..h.end].contains('(') && close.starts_with(')') {
                    h.end = input.len() - close.len() + 1;
                }
            }
        }
    }

    /// A local part just before a provider's name on the same line, with at
    /// most a short word or brackets between; or anywhere in the sentence
    /// before a provider's bare domain.
    fn local_part_before_provider(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        for p in self.providers.find_iter(text) {
            if text[..p.start()].ends_with(['@', '.']) {
                continue;
            }
            let bare_domain = text[p.end()..].starts_with('.');
            let reach = if bare_domain { 160 } else { 40 };
            let from = super::ceil_boundary(text, p.start().saturating_sub(reach));
            let line_start = text[..p.start()].rfind('\n').map_or(0, |i| i + 1);
            let before = &text[from.max(line_start)..p.start()];
            let Some(m) = self.local_part.find_iter(before).last() else {
                continue;
            };
            // "Escreva-me para o sapo", "Écris-moi chez gmail": a verb and
            // its pronoun, or the end of a longer word, are no local part.
            let pronoun = m
                .as_str()
                .rsplit('-')
                .next()
                .unwrap_or_default()
                .to_lowercase();
            if NOT_A_LOCAL_PART.contains(&pronoun.as_str())
                || before[..m.start()].ends_with(char::is_alphabetic)
            {
                continue;
            }
            let gap = &before[m.end()..];
            let close = gap
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .all(|w| w.chars().count() <= 4)
                && gap.split_whitespace().count() <= 2;
            if gap.starts_with('@') || !(bare_domain || close) {
                continue;
            }
            let at = from.max(line_start);
            hits.extend(scan.hit_normalized(
                FindingKind::Email,
                at + m.start(),
                at + m.end(),
                "email.local_part_and_provider",
            ));
        }
    }
}

impl Detector for EmailDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::Email
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        let from = hits.len();
        self.provider_named.detect(scan, hits);
        self.local_part_before_provider(scan, hits);
        self.provider_near_name(scan, hits);
        if hits.len() > from {
            self.with_provider(scan, &mut hits[from..]);
        }
        for link in self.links.links(text) {
            let addr = link.as_str();
            let domain = addr.rsplit('@').next().unwrap_or_default();
            if scan.config.is_allowlisted(domain) {
                continue;
            }
            hits.extend(scan.hit_normalized(
                FindingKind::Email,
                link.start(),
                link.end(),
                "email.address",
            ));
        }

        // A candidate turned down ("me at sarah dot pike") is searched again
        // from the end of its local part ("sarah dot pike at outlook dot com").
        let mut pos = 0;
        while pos < text.len()
            && let Some(caps) = self.disguised.captures_at(text, pos)
        {
            let (Some(all), Some(local), Some(at), Some(domain), Some(tld)) = (
                caps.get(0),
                caps.name("local"),
                caps.name("at"),
                caps.name("domain"),
                caps.name("tld"),
            ) else {
                break;
            };
            let plain = !all.as_str().contains(char::is_whitespace)
                && !all.as_str().contains(['(', '[', '{', '<'])
                && at.as_str() == "@";
            // "… arobase orange point fr. Merci": the sentence's full stop
            // read as a dot, "Merci" as the domain's end; the address ends
            // before it.
            let tld_ok = is_known_tld(tld.as_str()) && super::is_one_case(tld.as_str());
            if !(plain || tld_ok)
                && domain.end() > all.start()
                && let Some(shorter) = self
                    .disguised
                    .captures_at(&text[..domain.end()], all.start())
                && shorter.get(0).is_some_and(|m| {
                    m.start() == all.start()
                        && text[m.end()..tld.start()].contains(char::is_whitespace)
                })
                && let (Some(m), Some(t), Some(l), Some(a)) = (
                    shorter.get(0),
                    shorter.name("tld"),
                    shorter.name("local"),
                    shorter.name("at"),
                )
                && is_known_tld(t.as_str())
                && super::is_one_case(t.as_str())
                && local_part_is_plausible(l.as_str(), a.as_str())
            {
                pos = super::ceil_boundary(text, m.end().max(pos + 1));
                hits.extend(scan.hit_normalized(
                    FindingKind::Email,
                    m.start(),
                    m.end(),
                    "email.obfuscated",
                ));
                continue;
            }
            if plain
                || !is_known_tld(tld.as_str())
                || !super::is_one_case(tld.as_str())
                || !local_part_is_plausible(local.as_str(), at.as_str())
            {
                pos = if plain {
                    all.end()
                } else {
                    local.end().max(pos + 1)
                };
                pos = super::ceil_boundary(text, pos);
                continue;
            }
            pos = all.end().max(pos + 1);
            let host = format!(
                "{}.{}",
                undisguise_domain(domain.as_str()),
                tld.as_str().to_lowercase()
            );
            if scan.config.is_allowlisted(&host) {
                continue;
            }
            hits.extend(scan.hit_normalized(
                FindingKind::Email,
                all.start(),
                all.end(),
                "email.obfuscated",
            ));
        }

        for caps in self.provider_only.captures_iter(text) {
            let (Some(all), Some(local), Some(at)) =
                (caps.get(0), caps.name("local"), caps.name("at"))
            else {
                continue;
            };
            if !local_part_is_plausible(local.as_str(), at.as_str()) {
                continue;
            }
            hits.extend(scan.hit_normalized(
                FindingKind::Email,
                all.start(),
                all.end(),
                "email.provider_without_tld",
            ));
        }
    }
}
