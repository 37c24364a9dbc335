//! Phishing: asking for a card's details, a password or a one-time code
//! ("send me the 6-digit code you just got by SMS", "введите пароль"), or
//! a link to "confirm" a payment, card or account. Warnings about exactly
//! that ("we will never ask for your card's PIN", "don't click links to
//! verify your card") pass.

use super::Rule;

use super::{Detector, Hit, Scan};
use crate::policy::decision::FindingKind;

/// What nobody needs in a marketplace chat, in every supported language:
/// card security data, passwords and one-time codes.
const SECRETS: &str = r"(?i)\b(?:(?:digits|ziffern|d[ií]gitos|n[uú]meros|numeri|cifre|cijfers|cyfry|цифр\w*|rakam\w*)\s+(?:\w+\s+){0,3}(?:back|rückseite|detr[aá]s|de\s+tr[aá]s|atr[aá]s|retro|achterkant|tyłu|обратн\w*|arka\w*)|n[uú]mero\s+(?:\w+\s+){0,2}d(?:e\s+la|o|a)\s+(?:tarjeta|cart[ãa]o)|numero\s+(?:\w+\s+){0,2}della\s+carta|pasnummer|vervaldatum|fecha\s+de\s+caducidad|c[oó]digo\s+de\s+seguran[çc]a|data\s+ważności|card\s+(?:details|number|info\w*|data)|cvv2?|cvc2?|security\s+code|expiry\s+date|expiration\s+date|passwords?|passcode|login\s+details|one[-\s]time\s+(?:pass)?code|otp|(?:verification|confirmation|sms|2fa|security)\s+code|\d[-\s]?digit\s+code|code\s+(?:you|that)\s+(?:just\s+)?(?:got|received|get)|kartendaten|kartennummer|prüfziffer|\w*prüfnummer|passwort|kennwort|zugangsdaten|bestätigungscode|sms-code|den\s+code,?\s+den|kaartgegevens|kaartnummer|\w*wachtwoord|inloggegevens|verificatiecode|de\s+code\s+die|num[ée]ro\s+de\s+(?:la\s+)?carte|coordonn[ée]es\s+bancaires|donn[ée]es\s+de\s+(?:la\s+|votre\s+)?carte|cryptogramme|code\s+secret|mot\s+de\s+passe|identifiants|code\s+re[çc]u|datos\s+de\s+(?:tu\s+|su\s+|la\s+)?tarjeta|n[uú]mero\s+de\s+(?:tu\s+|la\s+)?tarjeta|contraseña|clave\s+(?:de\s+acceso|bancaria)|c[oó]digo\s+(?:de\s+\d\s+d[ií]gitos|de\s+verificaci[oó]n|que\s+te\s+(?:lleg[oó]|mandaron)|sms)|dati\s+della\s+carta|numero\s+della\s+carta|codice\s+(?:otp|di\s+verifica|sms|che\s+ti)|dados\s+do\s+cart[ãa]o|n[uú]mero\s+do\s+cart[ãa]o|senha|c[oó]digo\s+(?:de\s+\d\s+d[ií]gitos|que\s+(?:chegou|recebeu)|de\s+confirma[çc][ãa]o)|dane\s+karty|numer\s+karty|kod\s+blik|kodu?\s+z\s+sms|hasł\w*|hasl\w*|данн\w+\s+карты|номер\s+карты|реквизиты\s+карты|код\s+из\s+смс|код\s+(?:подтверждения|из\s+sms)|парол\w+|kart\s+bilgi\w*|kart\s+numara\w*|şifre\w*|doğrulama\s+kodu|sms\s+kodu|\d[-\s]?(?:digit|stellig\w*|cijferig\w*|chiffres|cifras|d[ií]gitos|cifre|cyfrow\w*|значн\w*|haneli)\s+(?:codes?|code|c[oó]digo|codice|kod\w*|код\w*)|(?:sms|смс|text\s+message)\b[^.!?\n]{0,60}\b(?:codes?|c[oó]digo|codice|kod\w*|код\w*|kodu)|(?:codes?|c[oó]digo|codice|kod\w*|код\w*|kodu)\b[^.!?\n]{0,60}\b(?:sms|смс|via\s+sms|celular|telem[óo]vel)\b|card\b[^.!?\n]{0,20}\bcvv)|カード番号|\d桁の(?:認証)?コード|SMSに届いた|コードを(?:こちらに)?返信|رمز\s+المرسل|والرمز|الرمز\s+المرسل|有効期限|セキュリティコード|パスワード|ワンタイム|認証コード|暗証番号|بيانات\s+بطاقت\w*|رقم\s+البطاقة|الرقم\s+السري|رمز\s+التحقق|كلمة\s+(?:المرور|السر)|تاريخ\s+الانتهاء|رقم\s+البطاقة|الرقم\s+السري|اللي\s+ورا|كود\s+من\s+\S+\s+أرقام|رمز\s+(?:ال)?تحقق|كود\s+(?:ال)?تحقق|بيانات\s+الدخول";

/// Confirming a card, payment or account through a link.
const CONFIRM: &str = r"(?i)\b(?:confirm|verify|validate|unlock|log\s?in|sign\s+in|bestätig\w*|verifizier\w*|freischalt\w*|anmelden|einloggen|bevestig\w*|verifieer\w*|inloggen|confirm\w*|v[ée]rifi\w*|valid\w*|d[ée]bloqu\w*|connecte\w*|verific\w*|desbloque\w*|libera\w*|conferm\w*|sblocc\w*|accedi|potwierd\w*|zaloguj\w*|подтверд\w*|войдите|войти|onayla\w*|doğrula\w*|giriş\s+yap\w*|melden\s+sie\s+sich|rond\s+(?:\w+\s+){0,5}af|afronden|complete\s+(?:the\s+|your\s+)?payment)|ログイン|確認のため|تأكيد|أك\x{651}?د|اك\x{651}?د|تحقق";
const CONFIRMED: &str = r"(?i)\b(?:card|payment|account|funds|karte|kart\w*|zahlung|konto|kaart|betaling|rekening|carte|paiement|compte|tarjeta|pago|cuenta|carta|pagamento|conto|cart[ãa]o|conta|karty|płatno\w*|platno\w*|konto|карт\w*|плат[её]ж\w*|оплат\w*|аккаунт\w*|ödeme|hesab\w*|parola)|カード|アカウント|お支払い|بطاق\w*|الدفع|حساب";
/// A link of any kind, disguised ones included.
const LINK: &str = r"(?i)https?://|\bwww\.|\[\.\]|\(\.\)|\b[a-z0-9-]+\.(?:com|net|org|info|online|site|co|ru|de|fr|it|es|pl|nl|tr|jp|br|pt|eu|io|app|shop|xyz|top|link|click)\b";

/// Secrets that are also talked about innocently ("I reset the phone's
/// password"): phishing only when asked for.
const WEAK_SECRETS: &str = r"(?i)\b(?:card\s+(?:details|number|info\w*|data)|passwords?|passcode|login\s+details|passwort|kennwort|zugangsdaten|kartendaten|kartennummer|\w*wachtwoord|inloggegevens|kaartgegevens|kaartnummer|mot\s+de\s+passe|identifiants|num[ée]ro\s+de\s+(?:la\s+)?carte|contraseña|clave|senha|hasł\w*|hasl\w*|numer\s+karty|парол\w+|номер\s+карты|şifre\w*|kart\s+numara\w*)\b|パスワード|暗証番号|كلمة\s+(?:المرور|السر)";

/// Asking for something, in the supported languages.
const REQUEST: &str = r"(?i)\b(?:send|give|tell|enter|type|provide|share|confirm|verify|need|update|input|fill|schick\w*|sende\w*|gib|geben|nenn\w*|teil\w*|eingeb\w*|bestätig\w*|brauch\w*|mitteil\w*|stuur|geef|vul|voer|bevestig\w*|nodig|deel|envoy\w*|donne\w*|indiqu\w*|saisi\w*|entre[zr]|confirm\w*|communiqu\w*|transmet\w*|env[ií]\w*|m[aá]nda\w*|dame|d[ée]me|dime|ingres\w*|introduc\w*|p[aá]sa\w*|compart\w*|necesit\w*|dammi|dimmi|inseris\w*|inserire|invia\w*|serve|comunica\w*|digit\w*|introduz\w*|informe|preciso|passe|poda\w*|wyślij|wyslij|wpisz|potwierd\w*|przekaż|prześlij|potrzebuj\w*|пришли\w*|сообщи\w*|назови\w*|введи\w*|отправ\w*|скажи\w*|подтверд\w*|скинь\w*|дайте|дай|gönder\w*|ilet\w*|yaz\w*|söyle\w*|gir\w*|onayla\w*|paylaş\w*|ver\w*|dimmelo|dimmi|me\s+(?:fala|diz|passa)|fala|diga\w*|продиктуй\w*|назовите|p[aá]samelo|ib3at\w*|scriv\w*|schreib\w*|write|podeślij|podeslij|odpis\w*|napisz\w*|напиш\w*)\b|返信|伝えて|送信|教えて|入力|送って|お知らせ|أرسل|ارسل|ابعت|ادخل|أدخل|أك\x{651}?د|اك\x{651}?د|عطني|أعطني|ترسل|[أا]حتاج|\b(?:reply|respond\w*|responda\w*|r[ée]pond\w*|rispond\w*|antwort\w*|antwoord\w*|odpowiedz\w*|ответь\w*|ответьте|cevap\w*|yanıtla\w*|bräucht\w*|benötig\w*|besoin|bisogno|precis\w*|potrzebow\w*|нуж\w*|lazım|ihtiyac\w*)\b|必要";

/// A message that warns against phishing rather than doing it.
const WARNING: &str = r"(?i)\b(?:nie\s+potrzebuj\w*|(?:don'?t|do\s+not)\s+need|brauche\s+(?:ihn|den|es|sie)?\s*nicht|no\s+(?:lo\s+)?necesito|non\s+mi\s+serve|n[ãa]o\s+preciso|не\s+нужен|heb\s+(?:ik\s+)?(?:hem\s+)?niet\s+nodig|ihtiyacım\s+yok|never|scam\w*|fraud\w*|phishing|beware|careful|warning|don'?t\s+(?:click|share|give|send|enter)|do\s+not\s+(?:click|share|give|send|enter)|report\w*|nigdy|oszu\w*|uwaga|nie\s+(?:klikaj|podawaj|udost\w+|wysyłaj)|niemals|betrug\w*|achtung|vorsicht|nicht\s+(?:klicken|weitergeben|teilen|anklicken)|melden|nooit|oplicht\w*|let\s+op|klik\s+niet|niet\s+(?:klikken|delen|doorgeven)|jamais|arnaque\w*|attention|escroc\w*|ne\s+(?:cliquez|donnez|partagez|communiquez)|signale\w*|nunca|estafa\w*|cuidado|ojo|no\s+(?:hagas\s+clic|compartas|des|env[ií]es|pinches)|denunci\w*|mai|truffa\w*|attenzione|non\s+(?:cliccare|condividere|dare|inviare)|segnala\w*|golpe\w*|aten[çc][ãa]o|n[ãa]o\s+(?:clique|compartilhe|passe|envie|partilhe)|никогда|мошенн\w*|осторожн\w*|не\s+(?:переходите|сообщайте|называйте|отправляйте)|asla|dolandır\w*|dikkat|tıklamayın|paylaşmayın|vermeyin)\b|決して|一切|詐欺|ご注意|ないでください|しないで|(?:^|[^\p{L}])لن(?:$|[^\p{L}])|أبدا|أبداً|احتيال|انتبه|نصب";

/// A host name, to tell our own links from others.
const HOST: &str = r"(?i)\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b";

pub struct PhishingDetector {
    sentence: Rule,
    secrets: Rule,
    weak_secrets: Rule,
    request: Rule,
    confirm: Rule,
    confirmed: Rule,
    link: Rule,
    host: Rule,
    warning: Rule,
}

impl PhishingDetector {
    pub fn new() -> Result<Self, regex::Error> {
        Ok(Self {
            sentence: super::regex(r"[^!?\n;.。！？]+(?:\.\S[^!?\n;.。！？]*)*")?,
            secrets: super::regex(SECRETS)?,
            weak_secrets: super::regex(WEAK_SECRETS)?,
            request: super::regex(REQUEST)?,
            confirm: super::regex(CONFIRM)?,
            confirmed: super::regex(CONFIRMED)?,
            link: super::regex(LINK)?,
            host: super::regex(HOST)?,
            warning: super::regex(WARNING)?,
        })
    }
}

impl PhishingDetector {
    /// Whether every host the text names is on the allowlist, and no link
    /// is disguised.
    fn only_our_links(&self, scan: &Scan<'_>, text: &str) -> bool {
        let mut hosts = self.host.find_iter(text).peekable();
        hosts.peek().is_some()
            && !text.contains("[.]")
            && !text.contains("(.)")
            && hosts.all(|h| scan.config.is_allowlisted(h.as_str()))
    }
}

/// Whether the word at `start..end` opens the message and is followed by a
/// colon or an exclamation mark: a heading, as in "Achtung: …", "Warning! …".
fn is_alert_heading(text: &str, start: usize, end: usize) -> bool {
    text[..start].trim().is_empty() && text[end..].trim_start().starts_with([':', '!', '：', '！'])
}

impl Detector for PhishingDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::Phishing
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        let asks_secret = self.secrets.may_match(text) || self.weak_secrets.may_match(text);
        // Links only to the marketplace itself ("confirm it in
        // https://marketplace.example/orders/…") do not fish.
        let has_link = self.link.is_match(text) && !self.only_our_links(scan, text);
        if !asks_secret && !has_link {
            return;
        }
        // A warning anywhere in the message ("Attention aux arnaques : si
        // quelqu'un vous envoie un lien pour « valider votre carte »…") covers
        // it; an alert word heading the message ("Achtung: Ihre Zahlung …")
        // is the fisher's own opening, not a warning.
        if self
            .warning
            .find_iter(text)
            .any(|m| !is_alert_heading(text, m.start(), m.end()))
        {
            return;
        }
        for sentence in self.sentence.find_iter(text) {
            let s = sentence.as_str();
            // A one-time code or card data asked for anywhere in the message
            // ("A code will reach you by SMS. Pass it to me here.").
            let asked_anywhere = || self.request.is_match(s) || self.request.is_match(text);
            let asked = || self.request.is_match(s);
            let found = self
                .secrets
                .find(s)
                .filter(|_| asked_anywhere() || has_link)
                .or_else(|| self.weak_secrets.find(s).filter(|_| asked()))
                .map(|m| (m, "phishing.secret"))
                .or_else(|| {
                    // The account or payment may be named in the sentence
                    // before the one with the link ("Your account is
                    // restricted. Log in at …").
                    (has_link
                        && (self.confirmed.is_match(s)
                            || (self.link.is_match(s) && self.confirmed.is_match(text))))
                    .then(|| self.confirm.find(s))
                    .flatten()
                    .map(|m| (m, "phishing.confirm_link"))
                });
            if let Some((m, rule)) = found {
                hits.extend(scan.hit_normalized(
                    FindingKind::Phishing,
                    sentence.start() + m.start(),
                    sentence.start() + m.end(),
                    rule,
                ));
            }
        }
    }
}
