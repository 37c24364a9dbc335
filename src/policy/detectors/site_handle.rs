//! A name on another site or app, given so the reader looks the sender up
//! there: "find me on Depop as rosiesrails", "auf Vinted heiß ich
//! lisa_kleidet", "En el Face me encuentras como Rocío Jiménez Cerámica",
//! "メルカリで『ゆるりshop』", "tg → yedekparca_izmir". An app or site is
//! named (messaging apps, social networks, marketplaces and classifieds,
//! with their slang and local-script names); after it, in the same clause,
//! comes an `@handle`, a quoted name, a name after a naming word ("as",
//! "pseudo", "ник", "kullanıcı adım"), or a token shaped like a handle.

use super::Rule;

use super::{Hit, Scan, floor_boundary};
use crate::policy::decision::FindingKind;

/// Apps, social networks, marketplaces and classifieds, as people write them.
const SITES: &str = r"(?i)\b(?:whats\s?app\w*|whats|wa|wsp|wasap|guasap|zap(?:zap)?|telegram(?:a|e|ie|u|em|ze|da|dan|de)?|t[ée]l[ée]gram|tele|tg|tlg|tlgm|telega|signal|viber\w*|vibe|(?-i:LINE)|line\s+id|kakao\s?talk|kakao|we\s?chat|weixin|threema(?:-id)?|discord\w*|dc|skype|messenger\w*|instagram\w*|insta\w*|ig|gram|facebook\w*|fb|face|feis|snapchat|snap\w*|sc|tik\s?tok\w*|twitter|youtube|kwai|vk|ebay|etsy|depop|vinted|kleinanzeigen|willhaben|leboncoin|le\s+bon\s+coin|subito|olx(?:\.\w+)?|marktplaats|2dehands|tweedehands|avito|kufar|mercado\s+li[bv]re|mercadoli[bv]re|mercari|rakuma|wallapop|allegro|shopee|poshmark|grailed|vestiaire|enjoei|custojusto|dolap|gardrops|sahibinden|letgo|hepsiburada|trendyol|haraj|dubizzle|opensooq|kijiji|craigslist|gumtree|milanuncios|jumia|tradera|blocket|ricardo|tutti|quoka|shpock|вотсап\w*|ватсап\w*|телег\w*|телеграм\w*|тг|тлг|вайбер\w*|вайб\w*|инст\w*|фейсбук\w*|тикток\w*|ютуб\w*|вк|дс|дискорд\w*|авито|юла|куфар\w*|сайт\w*|приложени\w*)\b|ラ\s?イン|らいん|(?-i:LINE)|インスタ|テレグラム|カカオトーク|ディスコード|フェイスブック|ティックトック|メルカリ|ラクマ|ヤフオク|واتس\w*|وتس|تلقرام|تيليجرام|تلغرام|انستا\w*|الانستا|سناب|الفيس|فيس\w*|التيك\s?توك|تيك\s?توك|حراج|دوبيزل|السوق\s+المفتوح|[أا]وبن\s?سوق|أفيتو|افيتو|فأفيتو|(?:\b(?:app|appli|site|sito|sitio|web|aplicativo|aplicación|plataforma|piattaforma|portal\w*|serwis\w*|platform\w*|plattform\w*|kleiderportal)\b[^.,!?\n]{0,30}\b(?:verde|verte|vert|rosso|amarelo|letras|annunci|usados|green|orange|yellow|grün\w*|pomarańczow\w*|zielon\w*|oranje|groen\w*|jaune|rouge|amarill\w*|naranja|arancione|giall\w*|laranja|зел[её]н\w*|оранжев\w*|ж[её]лт\w*|yeşil|turuncu|sarı)\b)|(?:\b(?:pomarańczow\w*|grün\w*|green|orange|yellow|zielon\w*|oranje|groen\w*)\s+(?:app|site|portal\w*|kleiderportal|plattform|platform\w*)\b)|(?:\b(?:yellow|gelb\w*|geel\w*|gele|jaune|amarill\w*|giall\w*|amarel\w*|żółt\w*|ж[её]лт\w*|sarı)\s+(?:\p{L}+\s+)?(?:ghost|geist\w*|gespenst\w*|spook\w*|spookje|fant[ôo]me\w*|fantasm\w*|fantasmin\w*|duch\w*|duszk\w*|привидени\w*|призрак\w*|hayalet\w*)\b)|(?:\b(?:ghost|geist|gespenst|spook\w*|fant[ôo]me|fantasm\w*|duch\w*|duszek|duszk\w*|привидени\w*|призрак\w*|hayalet\w*)\s+(?:\p{L}+\s+)?(?:yellow|gelb\w*|geel\w*|gele|jaune|amarill\w*|giall\w*|amarel\w*|żółt\w*|ж[её]лт\w*|sarı)\b)|(?:\b(?:paper\s+(?:air)?plane|papierflieger\w*|papierflugzeug\w*|papieren\s+vliegtuig\w*|papieren\s+vliegertje|avion\s+en\s+papier|petit\s+avion\s+bleu|avi[oó]n\s+de\s+papel|avioncito\w*|avi[ãa]ozinho|avi[ãa]o\s+de\s+papel|aer(?:eo|oplano|oplanino)\s+di\s+carta|aeroplanin\w*|samolocik\w*|papierow\w*\s+samolot\w*|samolot\w*\s+z\s+papieru|бумажн\w*\s+самол[её]т\w*|самол[её]тик\w*|kağıt\s+uçak\w*)\b)|(?:\b(?:green|grün\w*|groen\w*|vert\w*|verde|zielon\w*|зел[её]н\w*|yeşil)\s+(?:\p{L}+\s+)?(?:receiver|handset|hörer|hoorn\w*|combiné|auricular\w*|cornett\w*|telefonin\w*|telefoninho|słuchawk\w*|трубк\w*|ahize\w*)\b)|(?:\b(?:receiver|handset|hörer|hoorn\w*|combiné|auricular\w*|cornett\w*|telefonin\w*|telefoninho|słuchawk\w*|трубк\w*|ahize\w*)\s+(?:\p{L}+\s+)?(?:green|grün\w*|groen\w*|vert\w*|verde|zielon\w*|зел[её]н\w*|yeşil)\b)|(?:\b(?:appareil\s+photo|cam[ée]ra|camera|kamera\w*|c[áâ]mara|fotocamera|c[âa]mera|aparat\w*|камер\w*|fotoğraf\s+makinesi)\s+(?:\p{L}+\s+)?(?:violet\w*|purple|lila|paars\w*|morad\w*|viola|rox[oa]|fioletow\w*|фиолетов\w*|mor)\b)|(?:\b(?:violet\w*|purple|lila\w*|paars\w*|morad\w*|viola|rox[oa]|fioletow\w*|фиолетов\w*|mor)\s+(?:\p{L}+\s+)?(?:appareil\s+photo|camera|kamera\w*|c[áâ]mara|fotocamera|c[âa]mera|aparat\w*|камер\w*|fotoğraf\s+makinesi)\b)|紫のカメラ|الكاميرا\s+البنفسجية|黄色いおばけ|黄色いオバケ|おばけのアプリ|紙飛行機|緑の電話|الطائرة\s+الورقية|طائرة\s+ورقية|السماعة\s+الخضراء|الشبح|(?:\b(?:site|sito|sitio|app|plataforma|piattaforma|portal\w*|serwis\w*|сайт\w*|auction\s+site|kleiderportal)\b[^.!?\n]{0,40}?\b(?:beginning|starting|begins|starts|commence|empieza|comienza|inizia|começa|begint|anfängt|beginnt|zaczyna|начинается|with\s+(?:the|an?)|met\s+de|mit\s+(?:dem|der)|con\s+la|com\s+[ao])\s+(?:with\s+(?:an?\s+)?|par\s+(?:une?\s+)?|por\s+(?:una?\s+)?|con\s+(?:la\s+)?|com\s+(?:[oa]\s+)?|met\s+(?:een\s+)?|mit\s+(?:einem\s+)?|na\s+|на\s+)?\p{L}\b)|\b(?:v[i1]nted|av[i1]to|ав[1іi]то|auction\s+site|feestboek|fejs\w*|diskort\w*|t[ée]l[ée]gramme|тележк\w*|jimoty)\b|緑のアプリ|ジモティー?|الشبح\s+الأصفر|إيمو|ايمو|\bdisc\s*:|İnsta\w*|İnstagram\w*";

/// "There", the other site: "lá", "там", "orada", "dort", "allí".
const THERE: &str = r"there|over\s+there|dort|drüben|daar|là|là-bas|allí|allá|ahí|lì|lá|ali|aí|tam|там|orada|oradaki";

/// Words after an app's name that name a part of it, not a page or a
/// person ("Facebook Marketplace", "WhatsApp Business").
const APP_PARTS: &[&str] = &[
    "Marketplace",
    "Messenger",
    "Business",
    "Web",
    "Pay",
    "Stories",
    "Story",
    "Reels",
    "Live",
    "Lite",
    "Shop",
    "Shops",
    "Premium",
    "Desktop",
    "Watch",
    "Ads",
    "Group",
    "Groups",
    "Gruppe",
    "Gruppen",
    "Groupe",
    "Grupo",
    "Gruppo",
    "Grupa",
];

/// A name for the account: "as", "under", "pseudo", "username", "ник", "adım".
const NAMING: &str = r"(?i)(?:\b(?:i'?m|i\s+am|ich\s+bin|bin\s+ich|ben\s+ik|was|war|era|était|étais|była|był|был|была|ik\s+ben|eu\s+sou|procura\s+por|procure\s+(?:pelo|por)|utilizador|usuário|zoek\s+op|szukaj|ищите|tapez|cherchez|busca|cerca|nach|я|ben|as|under|called|named|name|username|user|handle|account|profile|seller|store|shop|search\s+for|it'?s|is|als|unter|heiß\s+ich|heiße\s+ich|heiße|heißt|heet\s+ik|heet|name|nutzername|profil|konto|verkäufer|pseudo|sous\s+le\s+pseudo|sous|nom|profil|c'est|je\s+suis|suis|como|usuario|perfil|cuenta|tienda|soy|estoy|es|sono|come|utente|profilo|negozio|sou|tô|estou|loja|nome\s+de\s+utilizador|o\s+@\s+é|jako|konto|profil|sklep|sprzedawcy|jestem|как|ник\w*|по\s+нику|профиль|аккаунт|магазин|продавец|adım|adımız|kullanıcı\s+adım|hesabım|mağaza\s+adımız|(?:mağaza|kullanıcı|hesap|profil|dükkan)\s+adı|ID|アカウント名|出品者名|IDは|باسم|اسمي|ملفي|حسابي|صفحتي)\b|[:：=→]|->|—|–|\b(?:is|es|est|ist|è|é|jest|это)\b)|出品者名|ユーザー名|アカウント名|ショップ名";

/// Marketplaces and classifieds among `SITES`, whose name goes with the
/// name of an account there.
const MARKETPLACES: &str = r"(?i)\b(?:ebay|etsy|depop|vinted|v[i1]nted|kleinanzeigen|willhaben|leboncoin|le\s+bon\s+coin|subito|olx(?:\.\w+)?|marktplaats|2dehands|tweedehands|avito|av[i1]to|kufar|mercado\s+li[bv]re|mercadoli[bv]re|mercari|rakuma|wallapop|allegro|shopee|poshmark|grailed|vestiaire|enjoei|custojusto|dolap|gardrops|sahibinden|letgo|hepsiburada|trendyol|haraj|dubizzle|opensooq|kijiji|craigslist|gumtree|milanuncios|jumia|tradera|blocket|ricardo|tutti|quoka|shpock|авито|ав[1іi]то|юла|куфар\w*|jimoty)\b|メルカリ|ラクマ|ヤフオク|ジモティー?|حراج|دوبيزل|السوق\s+المفتوح|[أا]وبن\s?سوق|أفيتو|افيتو";

pub(crate) struct SiteHandle {
    site: Rule,
    marketplace: Rule,
    spelled_at: Rule,
    kind: FindingKind,
    rule: &'static str,
    naming: Rule,
    at: Rule,
    quoted: Rule,
    shaped: Rule,
    spelled_dots: Rule,
    name_words: Rule,
    plain_word: Rule,
    copula: Rule,
    before_as: Rule,
    about_self: Rule,
    there: Rule,
    /// "there" anywhere in a sentence: "meu perfil lá", "Orada kullanıcı adım".
    there_word: Rule,
}

/// Words that follow "as"/"is" and are not a name.
const NOT_A_NAME: &[&str] = &[
    "well",
    "usual",
    "always",
    "also",
    "seller",
    "buyer",
    "the",
    "a",
    "an",
    "my",
    "your",
    "here",
    "there",
    "same",
    "such",
    "before",
    "good",
    "fine",
    "ok",
    "okay",
    "free",
    "cheaper",
    "only",
    "just",
    "not",
    "very",
    "more",
    "less",
    "bien",
    "aussi",
    "también",
    "anche",
    "também",
    "auch",
    "ook",
    "też",
    "тоже",
    "también",
    "siempre",
    "sempre",
    "immer",
    "altijd",
    "toujours",
    "hetzelfde",
    "pareil",
    "igual",
    "uguale",
    "mesmo",
    "genauso",
    "gleich",
    "hier",
    "ici",
    "aquí",
    "aqui",
    "qui",
    "tutaj",
    "burada",
    "happy",
    "glad",
    "sure",
    "sorry",
    "busy",
    "online",
    "offline",
    "new",
    "back",
    "selling",
    "active",
    "utilizador",
    "usuário",
    "usuario",
    "user",
    "utente",
    "użytkownik",
    "kullanıcı",
    "pseudo",
    "nick",
    "nome",
];

impl SiteHandle {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        Self::with_sites(SITES, FindingKind::MessagingHandle, "handle.site_named")
    }

    /// The same reading after other names: mail providers ("hotmail as anna.k.77").
    pub(crate) fn with_sites(
        sites: &str,
        kind: FindingKind,
        rule: &'static str,
    ) -> Result<Self, regex::Error> {
        Ok(Self {
            site: super::regex(sites)?,
            marketplace: super::regex(MARKETPLACES)?,
            spelled_at: super::regex(
                r"(?i)\b(?:arroba|arobase|chiocciola|chiocciolina|собака|собачка|małpa|malpa|klammeraffe|apenstaartje|apestaart|et\s+işareti|at\s+işareti)\s+$|アットマーク\s*$",
            )?,
            kind,
            rule,
            naming: super::regex(NAMING)?,
            // "@ayşe.vintage": Latin letters beyond ASCII too.
            at: super::regex(
                r"@\s?[\p{Latin}0-9_](?:[\p{Latin}0-9_.]|\s_\s){1,40}[\p{Latin}0-9_]",
            )?,
            quoted: super::regex(
                r#"(?:[«"“「『（]\s?|\s['‘])([^\s«»"“”'‘’「」『』（）][^«»"“”'‘’「」『』（）\n]{0,38}[^\s«»"“”'‘’「」『』（）])\s?[»"”'’」』）]"#,
            )?,
            shaped: super::regex(
                r"[\p{Latin}0-9][\p{Latin}0-9]*(?:[_.\-][\p{Latin}0-9]+)+_*(?:#\d{4})?|[A-Z]{3,}\d{2,}\b|[A-Za-z][A-Za-z0-9]*#\d{4}|[A-Za-z]*[a-z][A-Za-z]*\d[A-Za-z0-9_]*|\d+[A-Za-z][A-Za-z0-9_]*|[a-z]+[A-Z][A-Za-z0-9]+|[A-Z][a-z]+[A-Z][A-Za-z0-9]+|[A-Z0-9]{2,}[-_][A-Z0-9]{2,}|[\p{L}\p{N}]+(?:_[\p{L}\p{N}]+)+_*",
            )?,
            spelled_dots: super::regex(
                r"(?i)[a-z0-9_]+(?:\s*[(\[]?\s*(?:point|punto|ponto|punkt|kropka|dot|точка|nokta)\s*[)\]]?\s*[a-z0-9_]+)+",
            )?,
            name_words: super::regex(
                r"^[\p{Lu}\p{Lo}][\p{L}\p{N}'&._-]*(?:[ \u{3000}]+(?:[\p{Lu}\p{Lo}\p{N}][\p{L}\p{N}'&._-]*|de|du|da|do|di|dos|das|del|der|van|von|la|le|y|e|&))*",
            )?,
            plain_word: super::regex(r"^[a-z][a-z0-9_]{4,30}\b")?,
            about_self: super::regex(r"(?i)^(?:i'?m|i\s+am|ich\s+bin|ik\s+ben|eu\s+sou|я|ben)$")?,
            there: super::regex(&format!(r"(?i)^\s*(?:on\s+there|da|{THERE})\b"))?,
            there_word: super::regex(&format!(
                r"(?i)\b(?:{THERE})\b|هناك|هنالك|そっち|そちら|あっち|あちら"
            ))?,
            before_as: super::regex(
                r"^\s*([A-Za-z0-9][A-Za-z0-9_.\-]{2,30})\s+(?:olarak|adıyla|ismiyle|diye)\b",
            )?,
            // "meu perfil lá é lojinhadaju": "there" may stand before it.
            copula: super::regex(&format!(
                r"(?i)^(?:(?:{THERE})\s*[—–:-]?\s+)?(?:is|es|è|é|est|ist|c'est|sono|soy|sou|jest|это|o|a|le|la|el|il|der|die|de|het)\s+|^(?:{THERE})\s*[—–:-]?\s+"
            ))?,
        })
    }

    pub(crate) fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        let mut last_end = 0;
        for site in self.site.find_iter(text) {
            // "https://haraj.com.sa/…": a site's name inside a link is the
            // link's business.
            let token = text[..site.start()]
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or_default();
            if site.start() < last_end || token.contains('/') || token.contains("www.") {
                continue;
            }
            let rest = &text[site.end()..floor_boundary(text, site.end() + 240)];
            let mut found = Vec::new();
            // An @handle may follow in the next sentence ("Tem TikTok? o meu é @ju.thrift").
            if let Some(m) = self.at.find(&rest[..floor_boundary(rest, 160)]) {
                found.push((m.start(), m.end()));
            }
            // The rest of the sentence after the site's name.
            let sentence = &rest[..sentence_end(rest)];
            self.names_in(sentence, 0, &mut found);
            // The next sentence, when this one names nobody and the site
            // ends it or asks a question ("t'as snap ? ajoute moi ...",
            // "я в тг. Ищите по нику …"), or the next one says "there"
            // ("… no Enjoei. … meu perfil lá é lojinhadaju"). A line that
            // ends on the site (a signature's "also on Signal") does not
            // name the next line.
            if found.is_empty()
                && let Some(stop) = rest[sentence.len()..].chars().next()
            {
                let offset = sentence.len() + stop.len_utf8();
                let next = &rest[offset..];
                let next = &next[..sentence_end(next)];
                if (sentence.trim().is_empty() && stop != '\n')
                    || matches!(stop, '?' | '？')
                    || self.there_word.is_match(next)
                {
                    self.names_in(next, offset, &mut found);
                }
            }
            for (s, e) in found {
                let (s, e) = (site.end() + s, site.end() + e);
                // "marketplace.example/items/…": a name running into a path
                // is a link, the link detectors' business.
                if text[e..].starts_with('/') {
                    continue;
                }
                // "auf Marktplaats als retro_ruimte", "hotmail as anna.k":
                // a marketplace's or mail provider's name and the naming
                // words go with the name there, which alone would still
                // tell where to look. A messaging app's name stays ("ping
                // me on telegram [removed]").
                let s = if (self.kind == FindingKind::Email
                    || self.marketplace.is_match(site.as_str()))
                    && naming_gap(&text[site.end()..s])
                {
                    site.start()
                } else {
                    s
                };
                // "tg: arroba dani_mad": an "@" said in words is the name's.
                let s = self
                    .spelled_at
                    .find(&text[floor_boundary(text, s.saturating_sub(24))..s])
                    .map_or(s, |m| s - (m.end() - m.start()));
                // "как (nikolai.rybalko77)": a bracket opened goes with its close.
                let close = text[e..].trim_start_matches(' ');
                let e = if text[s..e].contains('(')
                    && !text[s..e].contains(')')
                    && close.starts_with(')')
                {
                    text.len() - close.len() + 1
                } else {
                    e
                };
                hits.extend(scan.hit_normalized(self.kind, s, e, self.rule));
                last_end = last_end.max(e);
            }
        }
    }

    /// The names in one sentence after a site, at `offset` in the text
    /// after it: quoted names with their quotes ("«Андрей К., Казань»",
    /// "「はるの雑貨屋」"), and a name after a naming word. The words just
    /// before a quoted name ("حسابي هناك اسمه «…»", "アカウント名は「…」")
    /// lead to it and are none.
    fn names_in(&self, sentence: &str, offset: usize, found: &mut Vec<(usize, usize)>) {
        for c in self.quoted.captures_iter(sentence) {
            if let (Some(all), Some(m)) = (c.get(0), c.get(1))
                && !self.site.is_match(m.as_str())
            {
                let lead = all.as_str().len() - all.as_str().trim_start().len();
                found.push((offset + all.start() + lead, offset + all.end()));
            }
        }
        let opens_a_quote = |end: usize| {
            sentence[end..]
                .trim_start()
                .starts_with(['«', '"', '“', '「', '『', '（', '\'', '‘'])
        };
        if let Some(c) = self.named(sentence, offset == 0)
            && !opens_a_quote(c.1)
            && !found
                .iter()
                .any(|&(s, e)| s < offset + c.1 && offset + c.0 < e)
        {
            found.push((offset + c.0, offset + c.1));
        }
    }

    /// A name spelled with dot words ("vera punt 77"); "au point mort", "el
    /// punto de …": a dot word after an article is a noun.
    fn spelled_dots_name<'t>(&self, text: &'t str) -> Option<regex::Match<'t>> {
        self.spelled_dots.find(text).filter(|m| {
            !m.as_str().split_whitespace().next().is_some_and(|w| {
                super::url::NOT_A_DOMAIN_LABEL.contains(&w.to_lowercase().as_str())
            })
        })
    }

    /// A name after a naming word, right after the site, or shaped like a handle.
    /// `after_site`: the sentence is the rest of the site's own, where a
    /// page's name may follow the site's without a word between.
    fn named(&self, sentence: &str, after_site: bool) -> Option<(usize, usize)> {
        // "FB'de Tuba Kaya Takı diye ara", "Cercami su Facebook, Gianni Esposito Ricambi Auto".
        // A case ending on the site's name ("FB'de", "Facebook'ta") is skipped.
        let unsuffixed = match sentence.strip_prefix(['\'', '’']) {
            Some(rest) => rest.trim_start_matches(|c: char| c.is_alphabetic() && c.is_lowercase()),
            None => sentence,
        };
        // "Dolap'ta fatmaninelisi olarak varım": a name before "as".
        if let Some(c) = self.before_as.captures(unsuffixed)
            && let Some(m) = c.get(1)
        {
            let at = sentence.len() - unsuffixed.len() + m.start();
            return Some((at, at + m.len()));
        }
        let lead = sentence.len() - unsuffixed.trim_start_matches([',', ':', ' ']).len();
        // "Zoek me op Vinted, kledingkast_lisa, daar ...": a handle-shaped
        // name right after the site's clause.
        if sentence[..lead].contains([',', ':'])
            && let Some(m) = self
                .shaped
                .find(&sentence[lead..])
                .filter(|m| m.start() == 0)
            && is_handle_shaped(m.as_str())
        {
            return Some((lead, lead + trim_name(m.as_str())));
        }
        if sentence[lead..].starts_with(|c: char| c.is_uppercase())
            && let Some(m) = self.name_words.find(&sentence[lead..])
        {
            let name = &sentence[lead..lead + trim_name(m.as_str())];
            let words = name.split_whitespace().count();
            // "pelo Facebook Eletro Algarve Oficial": three capitalised
            // words straight after the site are a page's name, unless
            // they go on naming the app ("Facebook Marketplace …").
            // Text in capitals names nothing by its capitals.
            let separated = sentence[..lead].contains(['\'', '’', ',', ':']);
            let page = after_site
                && words >= 3
                && name.chars().any(char::is_lowercase)
                && !name
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| APP_PARTS.contains(&w));
            if (separated && words >= 2) || page {
                return Some((lead, lead + name.len()));
            }
        }
        for cue in self.naming.find_iter(sentence) {
            // "حراج: https://… — البطارية": after a link, the link was the
            // name; a mark further on starts another thought.
            if !cue.as_str().chars().any(char::is_alphabetic)
                && sentence[..cue.start()].contains("://")
            {
                continue;
            }
            // "is", "es", "c'est" name weakly: a plain word after them is
            // prose; so is one after "as" opening a clause (", as fotos").
            let clause_as = cue.as_str().eq_ignore_ascii_case("as")
                && sentence[..cue.start()].trim_end().ends_with(',');
            let strong = !clause_as
                && cue.as_str().chars().any(char::is_alphabetic)
                && ![
                    "is", "ist", "es", "est", "è", "é", "it's", "its", "c'est", "was", "war",
                    "era", "était", "étais", "była", "był", "был", "была", "bin ich", "ben ik",
                ]
                .contains(&cue.as_str().to_lowercase().as_str());
            let after = &sentence[cue.end()..];
            let skip = after.len()
                - after
                    .trim_start_matches([' ', '\u{3000}', ':', '：', '(', '（'])
                    .len();
            let mut at = cue.end() + skip;
            // "mi usuario es lolaarmario": a copula after the naming word.
            if let Some(c) = self.copula.find(&sentence[at..]) {
                at += c.end();
            }
            let tail = &sentence[at..];
            if let Some(m) = self.spelled_dots_name(tail).filter(|m| m.start() == 0) {
                return Some((at, at + m.end()));
            }
            if let Some(m) = self.shaped.find(tail).filter(|m| m.start() == 0) {
                return Some((at, at + trim_name(m.as_str())));
            }
            if let Some(m) = self.name_words.find(tail) {
                let name = &tail[..trim_name(m.as_str())];
                let words = name.split_whitespace().count();
                let non_latin = name
                    .chars()
                    .any(|c| c.is_alphabetic() && (c as u32) > 0x24F);
                if words >= 2 || (non_latin && !name.is_empty()) {
                    return Some((at, at + name.len()));
                }
            }
            // "I'm vintagevera over there": a plain word after "I am" is a
            // name only when "there" follows.
            let about_self = self.about_self.is_match(cue.as_str());
            if strong
                && let Some(m) = self.plain_word.find(tail)
                && !NOT_A_NAME.contains(&m.as_str())
                && (!about_self || self.there.is_match(&tail[m.end()..]))
            {
                return Some((at, at + m.end()));
            }
        }
        // A token shaped like a handle anywhere in the clause: with `_`, a
        // dot inside, a Discord tag or letters and digits mixed.
        let clause = &sentence[..clause_end(sentence)];
        if let Some(m) = self.spelled_dots_name(clause)
            && m.as_str().split_whitespace().count() >= 3
        {
            return Some((m.start(), m.end()));
        }
        self.shaped
            .find_iter(clause)
            .find(|m| is_handle_shaped(m.as_str()))
            .map(|m| (m.start(), m.start() + trim_name(m.as_str())))
    }
}

/// A token that can only be a name on some site: with `_`, a Discord tag,
/// a dot inside that does not end a domain, or letters and digits around a hyphen.
fn is_handle_shaped(t: &str) -> bool {
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    // Letters of any script: "zé_tuga_sintra", "макс_99_нск".
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    t.chars().count() >= 4
        && (t.contains(['_', '#'])
            || (t.contains('.') && !super::is_known_tld(t.rsplit('.').next().unwrap_or_default()))
            || (digits >= 2 && letters >= 3 && t.contains('-')))
        && letters >= 2
}

/// The words between a site or provider and the name found there, when
/// they only lead to it ("als", "'da", "sous le nom de", ".fr as"): in the
/// same clause, a few words long at most, and no number (a price or an
/// order between is the message's own).
pub(crate) fn naming_gap(gap: &str) -> bool {
    same_clause(gap) && !gap.contains(|c: char| c.is_numeric())
        || gap.strip_prefix('.').is_some_and(|g| {
            g.starts_with(|c: char| c.is_ascii_lowercase())
                && naming_gap(g.trim_start_matches(|c: char| c.is_ascii_lowercase()))
        })
}

/// A short gap in one clause: at most 48 bytes, no sentence's end or bracket's close.
pub(crate) fn same_clause(gap: &str) -> bool {
    gap.len() <= 48 && !gap.contains(['\n', '.', '!', '?', '。', ';', ')'])
}

/// Where the sentence ends: a line break, a full stop before a space, `!`, `?`.
fn sentence_end(rest: &str) -> usize {
    let b = rest.as_bytes();
    for (i, c) in rest.char_indices() {
        match c {
            '\n' | '!' | '?' | '。' | '！' | '？' => return i,
            '.' if b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()) => return i,
            _ => {}
        }
    }
    rest.len()
}

/// Where a clause ends: a line break, a full stop before a space, `!`, `?`,
/// or a comma after which the sentence goes on.
fn clause_end(rest: &str) -> usize {
    let b = rest.as_bytes();
    for (i, c) in rest.char_indices() {
        match c {
            '\n' | '!' | '?' | '。' | '！' | '？' | ',' | '،' | '、' | '(' => {
                return i;
            }
            '.' if b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()) => return i,
            _ => {}
        }
    }
    rest.len()
}

/// A name without trailing particles or punctuation.
fn trim_name(name: &str) -> usize {
    let mut n = name.trim_end_matches(['.', ',', ';', ':', '-', ' ']);
    loop {
        let t = n.trim_end();
        let Some((head, last)) = t.rsplit_once(' ') else {
            return t.len();
        };
        if [
            "de", "du", "da", "do", "di", "dos", "das", "del", "der", "van", "von", "la", "le",
            "y", "e", "&",
        ]
        .contains(&last)
        {
            n = head;
        } else {
            return t.len();
        }
    }
}
