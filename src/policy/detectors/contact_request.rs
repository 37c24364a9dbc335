//! Asking the other party for their phone number or email in free text
//! ("send me your number", "gib mir deine Handynummer", "дай свой номер").
//! The platform has a consent request for that; this finding lets the
//! policy hold the message and tell the sender how to ask properly.
//!
//! Each rule wants the request aimed at the reader's own details ("your
//! number"), so "I'll send the invoice to your email" passes.

use super::Rule;

use super::contact_ask::ContactAsk;
use super::own_channel::OwnChannel;
use super::{Detector, Hit, Scan};
use crate::policy::decision::FindingKind;

/// `(rule id, pattern)`; matched case-insensitively against the normalised text.
const RULES: &[(&str, &str)] = &[
    (
        "contact_request.en",
        r"(?:\b(?:send|give|share|text|tell|pass|leave|drop|dm|provide|write\s+down)(?:\s+(?:me|us|over))?|\bwhat(?:'s|’s|\s+is|s)|\b(?:can|could|may)\s+i\s+(?:have|get)|\bi\s+(?:need|want)|\bneed)(?:\s+(?:please|pls|plz))?\s+(?:your|ur|yr)\s+(?:(?:personal|private|direct|real|own|mobile|cell|phone|telephone|whatsapp|telegram|viber|signal|contact)\s+){0,2}(?:(?:phone\s+)?(?:number|no\.?|#)|phone|e-?mail(?:\s+address)?|mail\s+address|contacts?(?:\s+(?:details|info))?|digits|cell|whatsapp|telegram)\b|\b(?:do\s+you\s+have|have\s+you\s+got|got)\s+(?:a\s+|an\s+)?(?:phone(?:\s+number)?|mobile|cell|whatsapp|telegram|e-?mail(?:\s+address)?)\s*\?",
    ),
    (
        "contact_request.de",
        r"(?:\b(?:gib|gebt|geben|schick\w*|send\w*|nenn\w*|sag|sagen|verrat\w*|hinterlass\w*|teil\w*|brauch\w*|bräucht\w*|wie\s+(?:ist|lautet|wäre)|was\s+ist)(?:\s+(?:sie|du|mir|uns|mal|bitte|noch))*|\b(?:kannst\s+du|können\s+sie|könnten\s+sie|könntest\s+du)\s+(?:mir|uns)(?:\s+(?:bitte|mal|noch))*)\s+(?:deine|ihre|dein|ihr|deinen|ihren)\s+(?:\w+\s+)?(?:(?:handy|telefon|mobil|whatsapp|privat)?-?nummer|handy|telefon|e-?mail(?:-?adresse)?|mailadresse|kontakt(?:daten)?|whatsapp|telegram)\b",
    ),
    (
        "contact_request.ru",
        r"(?:(?:^|[^\w])(?:дай|дайте|напиши|напишите|скинь|скиньте|пришли|пришлите|оставь|оставьте|сообщи|сообщите|продиктуй\w*|скажи|скажите|отправь\w*|кинь|киньте|черкни\w*)(?:\s+(?:мне|пожалуйста|плиз|нам))*\s+(?:свой|свою|ваш|вашу|твой|твою|свои|ваши)?\s*(?:\w+\s+)?(?:номер\w*|телефон\w*|почт\w*|e-?mail|имейл|мыло|контакт\w*|вотсап|ватсап|телеграм)|какой\s+у\s+(?:вас|тебя)\s+(?:номер|телефон|email|e-mail|имейл|почта|вотсап|ватсап))",
    ),
    (
        "contact_request.pl",
        r"(?:\b(?:podaj|podajcie|podać|podac|wyślij|wyslij|daj|dajcie|prześlij|przeslij|zostaw|poproszę|poprosze|podeślij|podeslij)(?:\s+(?:mi|nam|proszę|prosze))*\s+(?:swój|swoj|pana|pani|twój|twoj|wasz|swoje)?\s*(?:\w+\s+)?(?:numer\w*|telefon\w*|e-?mail\w*|maila?|adres\s+e-?mail|kontakt\w*|whatsapp\w*)|\bjaki\s+(?:jest|ma)?\s*(?:pana|pani|twój|twoj|wasz)\s+(?:numer|telefon|e-?mail|mail))",
    ),
    (
        "contact_request.es",
        r"(?:\b(?:me\s+(?:das|da|pasas|pasa|mandas|manda|env[ií]as|env[ií]a|dejas|deja|dices|dice)|dame|d[eé]me|p[aá]same|p[aá]seme|env[ií]ame|env[ií]eme|m[aá]ndame|m[aá]ndeme|dime|d[ií]game|facil[ií]tame|comp[aá]rteme|d[aá]rmelo|darme)(?:\s+por\s+favor)?\s+(?:tu|su)\s+(?:\w+\s+)?(?:n[uú]mero|tel[eé]fono|m[oó]vil|celular|correo|e-?mail|whatsapp|contacto)|\bcu[aá]l\s+es\s+(?:tu|su)\s+(?:n[uú]mero|tel[eé]fono|correo|e-?mail|m[oó]vil|celular|whatsapp))",
    ),
    (
        "contact_request.fr",
        r"(?:\b(?:donne[zs]?|envoie[zs]?|envoyez|communique[zs]?|laisse[zs]?|passe[zs]?|indique[zs]?)(?:-moi|\s+moi)?|\bme\s+(?:donner|communiquer|laisser|passer|envoyer)|\bm.envoyer)\s+(?:votre|ton|ta|vos|tes)\s+(?:\w+\s+)?(?:num[ée]ro|t[ée]l[ée]phone|portable|e-?mail|adresse\s+(?:e-?mail|mail)|mail|whatsapp|coordonn[ée]es)|\bquel(?:le)?\s+est\s+(?:votre|ton|ta)\s+(?:\w+\s+)?(?:num[ée]ro|t[ée]l[ée]phone|e-?mail|adresse|mail|portable)",
    ),
    (
        "contact_request.it",
        r"(?:\b(?:dammi|datemi|mi\s+dai|mi\s+dia|mandami|mi\s+mandi|inviami|mi\s+invii|passami|mi\s+passi|lasciami|mi\s+lasci|dimmi|mi\s+dici|darmi|mandarmi|lasciarmi)\s+(?:il\s+|la\s+)?(?:tuo|tua|suo|sua|vostro|vostra)\s+(?:\w+\s+)?(?:numero|telefono|cellulare|cell|e-?mail|mail|indirizzo|whatsapp|contatto)|\bqual\s*(?:è|e|'è|’è)\s+(?:il\s+|la\s+)?(?:tuo|tua|suo|sua)\s+(?:numero|telefono|cellulare|e-?mail|mail))",
    ),
];

/// What a number asked for belongs to when it is not the reader's phone:
/// "podać numer zwrotu w formularzu", "your order number".
const NOT_THEIRS: &str = r"(?i)^\s*(?:zwrotu|zamówienia|zamowienia|przesyłki|przesylki|paczki|części|czesci|faktury|nadania|śledzenia|de\s+(?:pedido|seguimiento|devoluci[oó]n|env[ií]o|encomenda|rastreio|devolu[çc][ãa]o|commande|suivi|retour|colis|factura|fatura)|d[oa]\s+(?:pedido|encomenda|envio)|dell'ordine|d'ordine|di\s+(?:reso|spedizione|tracking|ordine)|заказа|отслеживания|возврата|посылки|накладной|sipariş\w*|iade|kargo\w*)\b";

pub struct ContactRequestDetector {
    rules: Vec<(&'static str, Rule)>,
    not_theirs: Rule,
    /// Every rule names what is asked for: no such word, no request. One
    /// cheap pass instead of seven rules on most messages.
    nouns: Rule,
    /// The same request told by structure, in every supported language.
    ask: ContactAsk,
    /// The sender's own contact with an invitation to go on there.
    own_channel: OwnChannel,
}

impl ContactRequestDetector {
    pub fn new() -> Result<Self, regex::Error> {
        let rules = RULES
            .iter()
            .map(|(id, pattern)| Ok((*id, super::regex(&format!("(?i){pattern}"))?)))
            .collect::<Result<_, regex::Error>>()?;
        let nouns = super::regex(
            r"(?i)number|phone|mail|digits|cell|contact|whatsapp|telegram|nummer|handy|telefon|kontakt|номер|телефон|почт|имейл|мыло|контакт|вотсап|ватсап|телеграм|numer|n[uú]mero|num[ée]ro|tel[eé]fono|t[ée]l[ée]phone|m[oó]vil|celular|correo|portable|coordonn|cellulare|cell|contatto|indirizzo",
        )?;
        Ok(Self {
            rules,
            not_theirs: super::regex(NOT_THEIRS)?,
            nouns,
            ask: ContactAsk::new()?,
            own_channel: OwnChannel::new()?,
        })
    }
}

impl Detector for ContactRequestDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::ContactRequest
    }

    fn detect_after(&self, scan: &Scan<'_>, earlier: &[Hit], hits: &mut Vec<Hit>) {
        self.detect(scan, hits);
        self.own_channel.detect(scan, earlier, hits);
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        self.ask.detect(scan, hits);
        if !self.nouns.is_match(text) {
            return;
        }
        for (id, re) in &self.rules {
            for m in re.find_iter(text) {
                if self.not_theirs.is_match(&text[m.end()..]) {
                    continue;
                }
                // A leading separator the pattern needed is not part of the request.
                let trimmed = m.as_str().len()
                    - m.as_str()
                        .trim_start_matches(|c: char| !c.is_alphanumeric())
                        .len();
                hits.extend(scan.hit_normalized(
                    FindingKind::ContactRequest,
                    m.start() + trimmed,
                    m.end(),
                    id,
                ));
            }
        }
    }
}
