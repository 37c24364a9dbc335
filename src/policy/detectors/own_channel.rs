//! A sender moving the talk or the sale to their own channel: their own
//! contact detail (a number, an address, a link, a handle) beside an
//! invitation to write, call or add them there, or to go on there ("add
//! kezza_vintage and I'll send a video", "Schreib mir lieber per SMS",
//! "écrivez-moi là-bas pour la suite", "続きはそっちで話しましょう",
//! "كلمني هناك"). Reported as a contact request: the configured action
//! (`[actions.contact_request]`) holds it from a seller and delivers it
//! from a buyer, whose contact detail is removed either way. A contact only
//! mentioned (a signature, a line for the courier, a support address for
//! warranty questions, "more photos on my site") is removed, not held.

use super::contact_ask::{APP, COURIER};
use super::{Hit, Rule, Scan};
use crate::policy::decision::FindingKind;

/// The reader asked to write, call, text, add or find the sender, in every
/// supported language: "drop me a line", "ring me on", "meld dich bei",
/// "stuur me daar een berichtje", "ajoute-moi", "escríbeme", "chiamami",
/// "me chama no zap", "odezwij się", "пишите мне", "oradan yaz", "DMいただけますか",
/// "تواصلي معي".
const INVITE: &str = r"(?i)\b(?:(?:write|message|msg|text|txt|ring|call|phone|e-?mail|mail|dm|pm|whatsapp|add|ping|contact|reach|find)\s+me\b|drop\s+me\s+a|pop\s+me\s+an?|give\s+me\s+a\s+(?:call|ring|shout)|hit\s+me\s+up|get\s+in\s+touch|send\s+(?:me\s+)?(?:an?\s+)?(?:message|dm|text|sms|e-?mail|whatsapp)|send\s+(?:me\s+)?(?:the\s+)?(?:photos|pics|pictures)\s+to|look\s+me\s+up|(?:you\s+can|feel\s+free\s+to)\s+(?:also\s+)?(?:write|email|e-mail|call|ring|text|message|contact|reach)\b|write\s+to\b|easier\s+by\s+phone|schreib\w*\s+(?:sie\s+)?mir|schreib\s+einfach|schreiben\s+sie\s+mir|meld\w*\s+(?:dich|euch|sie\s+sich)|ruf\w*\s+(?:sie\s+)?(?:mich|uns)\b|mail\s+mir|schick\w*\s+mir\s+(?:\w+\s+){0,2}(?:nachricht|mail|sms|fotos|bilder)|kontaktier\w*\s+(?:sie\s+)?(?:mich|uns)|(?:erreich\w*|finde\w*)\s+(?:du|sie)\s+mich|such\s+mich|füg\w*\s+mich|adde\s+mich|erreichbar\s+unter|kontakt\s+direkt|stuur\s+(?:me|mij)\b|(?:app|bel|mail|zoek|voeg)\s+(?:je\s+)?(?:me|mij)\b|schrijf\s+(?:me|mij)|neem\s+contact|[ée]cri(?:s|vez)(?:-moi|\s+moi)|[ée]cri(?:s|vez)\s+[àa]|(?:appel|contact|ajout)(?:e|ez)-moi|envoie(?:z)?-moi|envoyez\s+(?:un\s+|les\s+)?(?:sms|message|mail|texto|photos)|(?:vous\s+pouvez|tu\s+peux)\s+m'(?:[ée]crire|appeler|contacter)|joignable\s+au|escr[ií]be(?:me|nos)|escr[ií]bame|ll[aá]ma(?:me|nos)|ll[aá]meme|m[aá]rcame|cont[aá]cta(?:me|nos)|cont[aá]cteme|m[aá]nda(?:me|nos)\s+(?:\w+\s+){0,2}(?:mensaje|whatsapp|wasap|correo|mail|sms|fotos)|agr[eé]game|a[ñn][aá]deme|b[uú]scame|(?:puedes|puede)\s+(?:escribirme|llamarme|contactarme)|scriv(?:imi|etemi)|mi\s+scriva|chiam(?:ami|atemi)|mi\s+chiami|contatt(?:ami|atemi)|mi\s+contatti|mand(?:ami|atemi)\s+(?:\w+\s+){0,2}(?:messaggio|whatsapp|mail|sms|foto)|aggiungimi|cercami|sentiamoci|(?:puoi|pu[oò])\s+(?:anche\s+)?(?:scrivermi|chiamarmi|contattarmi)|me\s+lo\s+richieda|me\s+(?:chama|escreve|liga|adiciona|procura)|(?:escreva|escreve|ligue|liga|adicione|procure|contacte)-me|mande\s+(?:sms|mensagem|e-?mail|whats)|mand[ae]\s+(?:um\s+)?(?:e-?mail|mensagem|sms|whats\w*|zap)\s+(?:pra|para)|me\s+mand(?:a|e)\s+(?:\w+\s+){0,2}(?:e-?mail|mensagem|zap|whats\w*|sms|fotos)|fal[ea]\s+comigo|pe[çc]a-o\s+para|napisz(?:cie)?\s+(?:do\s+mnie|mi|na|sms)|pisz\s+(?:na|do|tam)|odezwij\s+się|zadzwo[ńn]|dzwo[ńn]\b|proszę\s+dzwonić|zagadaj|dodaj\s+mnie|wyślij\s+(?:mi\s+)?(?:sms|wiadomość|maila|zdjęcia)|(?:на)?пиши(?:те)?\s+(?:мне|в|на|туда)|звони(?:те)?|позвони(?:те)?(?:\s+мне)?|свяж(?:ись|итесь)|добавь(?:те)?\s+меня|ищите\s+(?:меня|в)|bana\s+yaz|(?:oradan|telegram'dan|whatsapp'tan|instagram'dan|dm'den)\s+yaz(?:ın|sana|abilirsiniz|arsan[ıi]z)?\b|\w+'?(?:dan|den|tan|ten)\s+yazarsan[ıi]z|ulaş[ıi]n|arayın|mesaj\s+at\w*|mail\s+atarsan|ekle(?:yin)?\s+beni|bana\s+yazın\s+(?:orada|oradan)|schreib\w*\s+(?:mir\s+)?(?:da|dort))\b|(?:連絡|電話|メッセージ|DM)(?:を)?(?:ください|下さい|して|いただ|頂|お願い)|追加(?:して|よろしく|お願い)|までお願いします|までご連絡|までどうぞ|(?:^|[^\p{L}])(?:كلمني|كلميني|تواصل\s+معي|تواصلي\s+معي|تواصلوا\s+معي|راسلني|راسليني|اكتب\s+لي|اكتبي\s+لي|ضيفني|أضفني)(?:$|[^\p{L}])";

/// Going on elsewhere, away from this chat: "instead of here", "let's
/// continue on the app", "faster there", "hier wird alles mitgelesen",
/// "on finalise là-bas", "aquí todo lo leen", "давайте дальше там",
/// "buradan konuşmayalım", "続きはそっちで", "بعيد عن هنا"; buying or
/// bargaining there ("commandez plutôt par là", "fecha por lá", "oradan
/// alırsanız"), a better price there ("tam też taniej", "там дешевле",
/// "je te fais un prix"), the rest done outside the site ("de rest buiten
/// de site om"), and the sender leaving this platform ("меня здесь не
/// будет", "burada olmayacağım").
const MOVE: &str = r"(?i)\b(?:instead\s+of\s+(?:here|this\s+chat|on\s+here)|(?:continue|carry\s+on|talk|chat|sort\s+(?:it|the\s+\w+)|finish|finalise|finalize)\b[^.!?\n]{0,20}\bthere\b|(?:quicker|faster|sooner)\s+(?:replies\s+)?(?:on|there)|way\s+quicker\s+on|da\s+(?:antworte|bin)\s+ich\s+schneller|schneller\s+geht'?s|da\s+können\s+wir\s+alles|dort\s+weiter|hier\s+wird\s+(?:ja\s+)?alles\s+mitgelesen|statt\s+hier|daar\s+(?:reageer|antwoord)\s+ik|regelen\s+we\s+het\s+verder\s+daar|in\s+plaats\s+van\s+hier|plut[ôo]t\s+qu'ici|(?:on\s+)?continue\s+sur|(?:r[ée]ponds?|r[ée]pondrai)\s+plus\s+vite|on\s+finalise\s+l[àa]|l[àa]-bas\s+pour\s+la\s+suite|ici\s+c'est\s+surveill[ée]|fuera\s+de\s+aqu[ií]|(?:all[ií]|ah[ií])\s+(?:te\s+|le\s+)?contesto\s+antes|(?:te|le)\s+contesto\s+antes|aqu[ií]\s+todo\s+lo\s+leen|aqu[ií]\s+tardo|fuori\s+di\s+qui|invece\s+che\s+qui|qui\s+leggono\s+tutto|continuiamo\s+su|rispondo\s+(?:subito|prima)|(?:falar|falarmos)\s+por\s+fora|em\s+vez\s+de\s+(?:escrever\s+)?aqui|bora\s+continuar|passamos\s+para|respondo\s+(?:mais\s+r[áa]pido|logo|na\s+hora)|aqui\s+(?:é|está)\s+tudo|poza\s+tym\s+czatem|(?:szybciej|od\s+razu)\s+odpisuj\w*|tam\s+odpisuj\w*|tam\s+odpowiadam|давайте\s+дальше|там\s+(?:быстрее\s+)?отвеч\w*|там\s+отвечу|быстрее\s+(?:в|отвечаю)|тут\s+неудобно|buradan\s+konuşmayal[ıi]m|daha\s+h[ıi]zl[ıi]\s+d[öo]ner\w*|buras[ıi]\s+çok\s+yavaş|(?:lo\s+)?hablamos\s+por\s+ah[ií]|(?:lo\s+)?cerramos\s+por\s+ah[ií]|(?:fecha|fechamos)\s+(?:por\s+)?lá|bij\s+mij\s+kopen|обсуд\w*\s+там|там\s+обсуд\w*|(?:rest|alles)\s+ohne\s+(?:die\s+)?(?:app|plattform|seite)|(?:de\s+)?rest\s+buiten\s+de\s+(?:site|app)|(?:wszystko|resztę)\s+poza\s+(?:portalem|serwisem|stroną)|le\s+reste\s+(?:hors|en\s+dehors)\s+d[eu]|el\s+resto\s+fuera\s+de|il\s+resto\s+fuori\s+da|o\s+resto\s+(?:por\s+)?fora|остальное\s+(?:вне|мимо)|gerisini\s+(?:site|uygulama)\s+dışında|(?:won'?t|will\s+not)\s+be\s+(?:on\s+)?(?:here|this\s+(?:site|platform|app))|no\s+longer\s+(?:be\s+)?(?:on\s+)?(?:here|this\s+(?:site|platform|app))|(?:bin|sind)\s+(?:\w+\s+){0,3}nicht\s+mehr\s+(?:hier|auf\s+(?:dieser|der)\s+(?:plattform|seite))|niet\s+meer\s+(?:hier|op\s+(?:dit|het)\s+(?:platform|site))|ne\s+serai\s+plus\s+(?:ici|sur)|ya\s+no\s+(?:estar[ée]|voy\s+a\s+estar)\s+(?:aqu[ií]|en)|non\s+sar[òo]\s+pi[uù]\s+(?:qui|su)|n[ãa]o\s+(?:vou\s+)?(?:estar|estarei)\s+mais\s+(?:aqui|n)|mnie\s+(?:tu|tutaj)\s+nie\s+będzie|nie\s+będzie\s+mnie\s+(?:tu|tutaj)|меня\s+(?:здесь|тут)\s+не\s+будет|burada\s+olmayaca\w*)\b|続きは(?:そっち|そちら)|(?:そっち|そちら|ライン|LINE|インスタ)で(?:話|やり取り)|ここは通知が来ない|(?:そっち|そちら|あっち)で続き|こちらはあまり見られない|(?:بعيد\s+عن\s+هنا|أسرع\s+بكثير|نكمل\s+(?:هناك|الاتفاق)|(?:وهنيك|وهناك|هنيك|هناك)\s+(?:منحكي|نحكي|نتكلم|نتفاهم|نتفق))";

/// The sale offered there: buying or ordering there, a lower price or a
/// bargain there ("order it over there", "commandez plutôt par là", "tam
/// też taniej", "там цены ниже", "orada pazarlık yaparız", "そちらでご購入").
/// Said alone it is a mention ("a bit cheaper there too"); it moves the
/// sale with an invitation or a push beside it (`PUSH`, `WEAK_INVITE`).
const LURE: &str = r"(?i)\b(?:(?:buy|order)\s+(?:it\s+|them\s+)?(?:from\s+)?(?:over\s+)?there|dort\s+(?:direkt\s+)?(?:bestell|kauf)\w*|(?:bestell|kauf)\w*\s+(?:\w+\s+)?(?:lieber\s+|direkt\s+)?(?:dort|da\s+drüben)|daar\s+(?:kun|kan)\s+(?:je|u)\s+(?:\w+\s+){0,4}(?:kopen|bestellen)|command(?:ez|e)\s+(?:plut[ôo]t\s+)?(?:par\s+l[àa]|l[àa]-bas)|ach[eè]te(?:z)?\s+(?:plut[ôo]t\s+)?l[àa]-bas|(?:c[oó]mpralo|p[ií]de(?:lo)?|c[oó]mpra(?:me)?)\s+(?:all[ií]|ah[ií])|(?:compra(?:lo)?|ordina(?:lo)?)\s+(?:lì|di\s+là)|(?:compra|compre)\s+(?:por\s+)?lá|(?:kup|zamów|zamawiaj)\w*\s+tam|(?:заказыва|покупа|купи|закаж)\w*\s+там|oradan\s+(?:al\w*|sipariş\w*)|cheaper\s+(?:over\s+)?there|(?:dort|da\s+ist\s+es)\s+(?:ist\s+es\s+)?(?:günstiger|billiger)|daar\s+(?:is\s+(?:het|hij)\s+)?goedkoper|moins\s+cher\s+l[àa]-bas|je\s+(?:te|vous)\s+fais\s+un\s+(?:(?:bon|petit|meilleur)\s+)?prix|m[aá]s\s+barato\s+(?:all[ií]|ah[ií])|(?:all[ií]|ah[ií])\s+(?:sale\s+|es\s+)?m[aá]s\s+barato|(?:lì|di\s+là)\s+costa\s+meno|lá\s+(?:o\s+\w+\s+)?(?:sai\s+|fica\s+|[ée]\s+)?mais\s+barato|fa[çc]o\s+por\s+menos|tam\s+(?:też\s+|jest\s+)?taniej|там\s+(?:цены\s+ниже|дешевле)|(?:отда[мю]|прода[мю])\s+там\s+дешевле|orada\s+daha\s+(?:ucuz|uygun)|or(?:a)?da\s+pazarlık|pazarlık\s+yapar\w*)\b|そちらで(?:ご)?購入|(?:そっち|そちら)の(?:方|ほう)が安|(?:تطلب|اطلب|تشتري|اشتري)\s+من\s+هناك|(?:سعر\s+أقل|أرخص)\s+من\s+هنا|أرخص\s+هناك";
/// A push toward it: rather, instead.
const PUSH: &str = r"(?i)\b(?:rather|instead|lieber|stattdessen|liever|plut[ôo]t|mejor|meglio|melhor|raczej|лучше|tercihen)\b|بدل";
/// Writing there, said in passing: "DM at", "pisz w DM", "там в директ",
/// "chama no direct", "Whatsapp'tan yaz". It moves the sale only beside a
/// lure ("DM at, orada daha ucuz").
const WEAK_INVITE: &str = r"(?i)\b(?:dm\s+at\w*|(?:na)?pisz\s+(?:na\s+|w\s+)?(?:dm|priv|pw)|(?:там\s+)?в\s+директ|chama\s+(?:no|na)\s+(?:direct|dm|inbox|pv|privado)|(?:oradan|whats?a?pp?'?tan|insta'?dan)\s+yaz\w*)\b";

/// The sender's own contact named only for after-sales questions or the
/// courier: a business line, not a move ("for warranty questions you can
/// also write to …", "if the courier has problems, reach me on …").
const MENTION_ONLY: &str = r"(?i)\b(?:warrant\w*|guarantee|garanti\w*|garant[ií]a|garanzia|gwarancj\w*|гаранти\w*|montage|montaje|montaggio|montagem|monta[żz]\w*|assembly|installation|kurulum\w*|сборк\w*|support|soporte|supporto|assistenza|sac|apoio|serwis\w*|сервис\w*|service\s+cent\w*|servicio\s+t[ée]cnico|entretien|manutenzione|onderhoud|werkplaats|maintenance|depot|delivery\s+note|lieferschein|albar[áa]n|bolla|guia|nota|technical\s+questions|technische\s+fragen|pyta\w*\s+techniczn\w*|questions?\s+techniques?|preguntas\s+t[ée]cnicas|domande\s+tecniche|perguntas\s+t[ée]cnicas|технически\w*\s+вопрос\w*|kargocu\w*|kurye\w*)\b|保証|組み立て|不具合|フリーダイヤル|ضمان|تركيب|صالة\s+العرض";

/// The sale kept here: "order it here", "I'll add it as a listing here",
/// "buradan sipariş verebilirsiniz".
const STAY_HERE: &str = r"(?i)\b(?:(?:order|buy)\s+(?:it\s+)?(?:here|through\s+the\s+(?:site|app))|(?:add|list)\s+it\s+(?:as\s+a\s+listing\s+)?here|hier\s+bestellen|hier\s+(?:ein)?stellen|te\s+las?\s+publico|crio\s+o\s+an[úu]ncio|buradan\s+sipariş)\b";

/// Texting and chat apps by their short or slang names, beside `APP`.
const CHANNEL: &str = r"(?i)\b(?:sms|zap|wasap|whats|wpp|tg|snap|viber|вайбер|смс|телег\w*)\b";

/// How far (bytes of the message) an invitation may stand from the contact
/// detail it points to: the same sentence or the next.
const NEAR: usize = 160;

pub(crate) struct OwnChannel {
    invite: Rule,
    moving: Rule,
    app: Rule,
    channel: Rule,
    courier: Rule,
    mention_only: Rule,
    stay_here: Rule,
    sentence: Rule,
    lure: Rule,
    push: Rule,
    weak_invite: Rule,
}

impl OwnChannel {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        Ok(Self {
            invite: super::regex(INVITE)?,
            moving: super::regex(MOVE)?,
            app: super::regex(APP)?,
            channel: super::regex(CHANNEL)?,
            courier: super::regex(COURIER)?,
            mention_only: super::regex(MENTION_ONLY)?,
            stay_here: super::regex(STAY_HERE)?,
            lure: super::regex(LURE)?,
            push: super::regex(PUSH)?,
            weak_invite: super::regex(WEAK_INVITE)?,
            sentence: super::regex(r"[^!?\n;.。！？]+(?:\.\S[^!?\n;.。！？]*)*[!?。！？]?")?,
        })
    }

    /// Reports each invitation near a contact detail found before
    /// (`earlier`, the contact detectors' hits), or with an app named in
    /// its own sentence, or with the move in its own sentence, when the
    /// detail itself was missed.
    pub(crate) fn detect(&self, scan: &Scan<'_>, earlier: &[Hit], hits: &mut Vec<Hit>) {
        let contacts: Vec<(usize, usize)> = earlier
            .iter()
            .filter(|h| h.kind.is_contact() && h.rule != super::service_link::RULE)
            .map(|h| (h.start, h.end))
            .collect();
        let text = scan.normalized.text.as_str();
        if self.stay_here.is_match(text) {
            return;
        }
        let mut before = "";
        for sentence in self.sentence.find_iter(text) {
            let s = sentence.as_str();
            // "Our courier brings it. If you miss him, call him on …": the
            // courier named in the sentence before is whom to call.
            let prev = std::mem::replace(&mut before, s);
            // A lure counts with an invitation, a push or a second lure in
            // its sentence ("order it from there, lower price than here").
            let backed_lure = self.lure.find(s).filter(|_| {
                self.invite.is_match(s)
                    || self.weak_invite.is_match(s)
                    || self.push.is_match(s)
                    || self.lure.find_iter(s).nth(1).is_some()
            });
            let Some(m) = self
                .invite
                .find(s)
                .or_else(|| self.moving.find(s))
                .or(backed_lure)
            else {
                continue;
            };
            // A quoted reply ("> Au pire appelez-moi au …") is the other
            // party's text.
            if is_quoted(text, sentence.start())
                || self.courier.is_match(s)
                || self.courier.is_match(prev)
                || self.mention_only.is_match(prev)
                || self.mention_only.is_match(s)
            {
                continue;
            }
            let (start, end) = (sentence.start() + m.start(), sentence.start() + m.end());
            let Some((in_start, in_end)) = scan.normalized.to_input(start, end) else {
                continue;
            };
            let near = contacts
                .iter()
                .any(|&(cs, ce)| cs < in_end + NEAR && in_start < ce + NEAR);
            // An app named (not mail: "email me" names no address).
            let app = self.channel.is_match(s)
                || self.app.find_iter(s).any(|a| {
                    let a = a.as_str().to_lowercase();
                    !(a.contains("mail") || a.contains("posta") || a.contains("мейл"))
                });
            // "Escríbeme ahí … y el precio lo cerramos por ahí", "DM at,
            // orada daha ucuz": an invitation and the move in one sentence
            // say where the talk goes even when the detail itself was missed.
            let both = backed_lure.is_some()
                || (self.invite.is_match(s) && self.moving.is_match(s))
                || (self.weak_invite.is_match(s) && self.moving.is_match(s));
            if near || app || both {
                hits.extend(scan.hit_normalized(FindingKind::ContactRequest, start, end, RULE));
            }
        }
    }
}

/// The rule id of the findings this reports.
pub const RULE: &str = "contact_request.own_channel";

/// Whether the line holding byte `at` of `text` is quoted ("> …").
fn is_quoted(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..].trim_start().starts_with('>')
}
