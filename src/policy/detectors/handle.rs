//! Messaging-app handles: app links (`t.me/x`, `wa.me/123`), and `@handle` or
//! `name: shop.x` written next to an app's name ("ping me on telegram @shop_x").

use super::Rule;

use super::site_handle::SiteHandle;
use super::{Detector, Hit, Scan, ceil_boundary, floor_boundary};
use crate::policy::decision::FindingKind;

/// How far from an app's name a handle may stand (bytes, same line).
const WINDOW_AFTER: usize = 48;
const WINDOW_BEFORE: usize = 32;

/// Words that follow "telegram"/"insta" that are not a handle.
const NOT_A_HANDLE: &[&str] = &[
    "is",
    "ist",
    "me",
    "us",
    "at",
    "on",
    "or",
    "and",
    "the",
    "a",
    "an",
    "my",
    "to",
    "too",
    "also",
    "please",
    "bitte",
    "account",
    "name",
    "username",
    "user",
    "handle",
    "nick",
    "number",
    "id",
    "nummer",
    "group",
    "channel",
    "app",
    "chat",
    "messenger",
    "for",
    "und",
    "oder",
    "mir",
];

pub struct HandleDetector {
    app_link: Rule,
    /// App names, with Polish case endings ("na instagramie") and Russian forms.
    app_name: Rule,
    /// "DM me", "follow", "schreib mir", "напиши": an `@handle` right after one is a handle.
    contact_cue: Rule,
    at_handle: Rule,
    /// After an app name: optional filler words, then `:`/`=`/`-` or `is`, then a token.
    named_after: Rule,
    /// Right after an app name with no separator: only strongly handle-like tokens.
    bare_after: Rule,
    /// A name on another site or app, in every supported language.
    site: SiteHandle,
    /// An `@handle` shaped like one on its own (`@vintage_spb`, `@anna88`).
    at_shaped: Rule,
    /// A Discord tag (`pixelgrim#4471`).
    discord_tag: Rule,
    /// What continues a handle spaced out: " . furniture", " _ store".
    spaced_tail: Rule,
    /// "search retrodeals_mike on ...": a handle-shaped name to look up.
    search_for: Rule,
    /// Words joined by underscores ("retro_rita_84", "Gartenfee_Ulla",
    /// "zé_tuga_sintra", "макс_99_нск"), in any script: a user name
    /// wherever it stands; ordinary text never writes them.
    underscored: Rule,
}

/// Words before `#1234` that number something else.
const NOT_A_TAG: &[&str] = &[
    "order",
    "orders",
    "invoice",
    "ticket",
    "case",
    "ref",
    "item",
    "no",
    "nr",
    "sku",
    "art",
    "lot",
    "room",
    "apt",
    "unit",
    "box",
    "issue",
    "bug",
    "pr",
    "id",
    "table",
    "bestellung",
    "auftrag",
    "rechnung",
    "pedido",
    "commande",
    "facture",
    "ordine",
    "fattura",
    "siparis",
    "bestelling",
    "encomenda",
    "zamowienie",
    "fatura",
    "nota",
    "model",
    "part",
    "version",
    "v",
    "batch",
    "sale",
    "lote",
    "size",
    "store",
    "shop",
    "listing",
    "kod",
    "code",
];

impl HandleDetector {
    pub fn new() -> Result<Self, regex::Error> {
        Ok(Self {
            app_link: super::regex(
                r"(?i)\b(?:https?://)?(?:www\.)?(?:t\.me|telegram\.(?:me|dog)|wa\.me|api\.whatsapp\.com/send|chat\.whatsapp\.com|wa\.link|m\.me|signal\.me|signal\.group|viber\.me|invite\.viber\.com|line\.me|lin\.ee|instagram\.com|instagr\.am|facebook\.com|fb\.com|fb\.me|snapchat\.com/add|discord\.gg|discord\.com/invite|u\.wechat\.com|vk\.me|vk\.com|threema\.id)/[^\s<>()\x22']+|(?i)\b(?:skype|viber|whatsapp|tg|weixin):[/]{0,2}[a-z0-9_.:+?=-]{3,}",
            )?,
            app_name: super::regex(
                r"(?i)\b(?:(?:whats\s?app|telegram|signal|viber|we\s?chat|skype|instagram|facebook|messenger|snapchat|threema|discord|kakao\s?talk|kakao)(?:ie|a|u|e|em|ze|cie|zie)?|wa|tg|weixin|line(?:\s+id)?|insta|ig|fb|snap|kik|ватсап\w*|вотсап\w*|вацап\w*|телеграм\w*|телег\w*|тг|вайбер\w*|инстаграм\w*|инст\w*|фейсбук\w*|скайп\w*|вк|вконтакте)\b",
            )?,
            contact_cue: super::regex(
                r"(?i)\b(?:dm|pm|follow|add|find|message|text|ping|search|look\s+(?:me\s+|us\s+)?up|schreib\w*|folg\w*|пиши\w*|напиш\w*|добав\w*|napisz\w*|dodaj\w*|obserwuj\w*|i'?m|i\s+am|ich\s+bin|ik\s+ben|je\s+suis|soy|sono|sou|jestem|я|ben)(?:\s+(?:me|us|mir|uns|мне|nas|mnie))?\b",
            )?,
            at_handle: super::regex(
                r"(?:^|[^\w.@+-])(@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,31}[A-Za-z0-9_])?)",
            )?,
            named_after: super::regex(
                r"(?i)^\s*(?:[,;]\s*)?(?:(?:name|username|user|handle|nick|id|account|acc|ник|логин|аккаунт|konto)\s*)?(?P<sep>:|=|-|–|—|\bis\b|\bist\b|\bto\b|\bэто\b|\bto\s+jest\b|\bjest\b|\bes\b|\best\b|\bè\b|\bé\b|\bson\b)\s*(?P<handle>(?:live:)?[A-Za-z0-9_](?:[A-Za-z0-9_.-]{1,40}[A-Za-z0-9_])?(?:#\d{4})?)",
            )?,
            bare_after: super::regex(
                r"^\s+(?P<handle>[A-Za-z][A-Za-z0-9]*[_.][A-Za-z0-9_.]*[A-Za-z0-9_])",
            )?,
            site: SiteHandle::new()?,
            at_shaped: super::regex(
                r#"(?:^|[\s:(（,;>"'«“「『])(@[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)+_?|@[A-Za-z]+[0-9]+[A-Za-z0-9_]*|@[A-Za-z][A-Za-z0-9]+_)(?:$|[^A-Za-z0-9_.@]|\.(?:$|[^A-Za-z0-9]))"#,
            )?,
            underscored: super::regex(r"\b\p{L}[\p{L}\p{N}]*(?:_[\p{L}\p{N}]+)+\b")?,
            search_for: super::regex(
                r"(?i)\b(?:search|look\s+up|find|such\w*|zoek\w*|cherche\w*|tape[zr]?|busca\w*|cerca\w*|procur\w*|szukaj\w*|wyszukaj\w*|ищи\w*|найди\w*|ara|aratın)\b(?:\s+(?:me|for|mich|nach|mij|op|moi|pour|por|mnie|меня))*[\s:]+([A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)+_?|[A-Za-z]+_)(?-u:\b)",
            )?,
            discord_tag: super::regex(r"(?-u:\b)([A-Za-z][A-Za-z0-9_.]{1,31})#(\d{4})(?-u:\b)")?,
            spaced_tail: super::regex(
                r"^(?:[ \t]+\.[ \t]+[a-z0-9_]{2,30}|[ \t]*_[ \t]*[A-Za-z0-9]{2,30}){1,4}(?-u:\b)",
            )?,
        })
    }
}

fn looks_like_handle(token: &str, after_colon: bool) -> bool {
    if NOT_A_HANDLE.contains(&token.to_lowercase().as_str()) || token.len() < 3 {
        return false;
    }
    // Only digits is a phone number's business, not ours.
    if token.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    after_colon || token.contains(['_', '.']) || token.bytes().any(|b| b.is_ascii_digit())
}

impl Detector for HandleDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::MessagingHandle
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let from = hits.len();
        self.find(scan, hits);
        for h in &mut hits[from..] {
            self.widen_over_spacing(scan.input, h);
        }
    }
}

impl HandleDetector {
    /// "@ nazli . tasarim", "@aldiyar . furniture", "a.l.m.a.s _ store": a
    /// handle spaced out around its "@", dots and underscores goes whole.
    /// A dot continues it only with a space either side and a lower-case
    /// word after, so "@shop_x. Thanks" keeps its sentence.
    fn widen_over_spacing(&self, input: &str, h: &mut Hit) {
        if let Some(m) = self.spaced_tail.find(&input[h.end..]) {
            h.end += m.end();
        }
        let before = input[..h.start].trim_end_matches([' ', '\t']);
        if before.len() < h.start && before.ends_with('@') {
            h.start = before.len() - 1;
        }
    }

    fn find(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        self.site.detect(scan, hits);
        if text.contains('_') {
            for m in self.underscored.find_iter(text) {
                let t = m.as_str();
                let rest = &text[m.end()..];
                // Not part of an address, a link or a file name ("my_photo.jpg").
                let glued = text[..m.start()].ends_with(['@', '/', '.', '#', '_', '-'])
                    || rest.starts_with(['@', '/', '_', '-'])
                    || (rest.starts_with('.')
                        && rest[1..].starts_with(|c: char| c.is_ascii_alphanumeric()));
                // All capitals ("ORDER_ID") names a field; scripts without
                // case (Arabic) have no capitals to tell.
                let capitals =
                    !t.chars().any(char::is_lowercase) && t.chars().any(char::is_uppercase);
                if glued || t.chars().count() < 6 || capitals {
                    continue;
                }
                hits.extend(scan.hit_normalized(
                    FindingKind::MessagingHandle,
                    m.start(),
                    m.end(),
                    "handle.underscored",
                ));
            }
        }
        if text.contains('@') {
            for c in self.at_shaped.captures_iter(text) {
                let Some(h) = c.get(1) else { continue };
                let last = h.as_str().rsplit('.').next().unwrap_or_default();
                if h.as_str().contains('.') && super::is_known_tld(last) {
                    continue;
                }
                hits.extend(scan.hit_normalized(
                    FindingKind::MessagingHandle,
                    h.start(),
                    h.end(),
                    "handle.at_shaped",
                ));
            }
        }
        for c in self.search_for.captures_iter(text) {
            let Some(h) = c.get(1) else { continue };
            let t = h.as_str();
            let last = t.rsplit('.').next().unwrap_or_default();
            if !t.contains('_')
                && (super::is_known_tld(last) || !t.bytes().any(|b| b.is_ascii_digit()))
            {
                continue;
            }
            hits.extend(scan.hit_normalized(
                FindingKind::MessagingHandle,
                h.start(),
                h.end(),
                "handle.search_for_name",
            ));
        }
        if text.contains('#') {
            for c in self.discord_tag.captures_iter(text) {
                let (Some(all), Some(name)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                let lower = name.as_str().to_ascii_lowercase();
                if NOT_A_TAG.contains(&lower.as_str())
                    || !name.as_str().bytes().any(|b| b.is_ascii_lowercase())
                {
                    continue;
                }
                hits.extend(scan.hit_normalized(
                    FindingKind::MessagingHandle,
                    all.start(),
                    all.end(),
                    "handle.discord_tag",
                ));
            }
        }
        for m in self.app_link.find_iter(text) {
            let end = m.start() + m.as_str().trim_end_matches(['.', ',', '!', '?', ';']).len();
            hits.extend(scan.hit_normalized(
                FindingKind::MessagingHandle,
                m.start(),
                end,
                "handle.app_link",
            ));
        }

        for cue in self.contact_cue.find_iter(text) {
            let end = floor_boundary(text, cue.end() + 24);
            let after = &text[cue.end()..end];
            if let Some(h) = self
                .at_handle
                .captures(after)
                .and_then(|c| c.get(1))
                .filter(|h| !after[..h.start()].contains('\n'))
            {
                hits.extend(scan.hit_normalized(
                    FindingKind::MessagingHandle,
                    cue.end() + h.start(),
                    cue.end() + h.end(),
                    "handle.at_after_contact_cue",
                ));
            }
        }

        for app in self.app_name.find_iter(text) {
            let line_end = text[app.end()..]
                .find('\n')
                .map_or(text.len(), |i| app.end() + i);
            let after_end = floor_boundary(text, (app.end() + WINDOW_AFTER).min(line_end));
            let after = &text[app.end()..after_end];

            let mut found = false;
            if let Some(c) = self.at_handle.captures(after)
                && let Some(h) = c.get(1)
            {
                let (s, e) = (app.end() + h.start(), app.end() + h.end());
                hits.extend(scan.hit_normalized(
                    FindingKind::MessagingHandle,
                    s,
                    e,
                    "handle.at_near_app",
                ));
                found = true;
            }
            if !found
                && let Some(c) = self.named_after.captures(after)
                && let (Some(sep), Some(h)) = (c.name("sep"), c.name("handle"))
            {
                let after_colon = matches!(sep.as_str(), ":" | "=");
                if looks_like_handle(h.as_str(), after_colon) {
                    let (s, e) = (app.end() + h.start(), app.end() + h.end());
                    hits.extend(scan.hit_normalized(
                        FindingKind::MessagingHandle,
                        s,
                        e,
                        "handle.named_near_app",
                    ));
                    found = true;
                }
            }
            if !found
                && let Some(c) = self.bare_after.captures(after)
                && let Some(h) = c.name("handle")
                && !super::is_known_tld(h.as_str().rsplit('.').next().unwrap_or_default())
            {
                let (s, e) = (app.end() + h.start(), app.end() + h.end());
                hits.extend(scan.hit_normalized(
                    FindingKind::MessagingHandle,
                    s,
                    e,
                    "handle.named_near_app",
                ));
                found = true;
            }
            if found {
                continue;
            }

            // "@shop_x on telegram": the handle comes first.
            let line_start = text[..app.start()].rfind('\n').map_or(0, |i| i + 1);
            let before_start = ceil_boundary(
                text,
                app.start().saturating_sub(WINDOW_BEFORE).max(line_start),
            );
            let before = &text[before_start..app.start()];
            if let Some(h) = self
                .at_handle
                .captures_iter(before)
                .filter_map(|c| c.get(1))
                .last()
            {
                hits.extend(scan.hit_normalized(
                    FindingKind::MessagingHandle,
                    before_start + h.start(),
                    before_start + h.end(),
                    "handle.at_near_app",
                ));
            }
        }
    }
}
