//! Promotional and unsolicited content in a seller's message to a buyer, in
//! every supported language: discount codes and coupons for another
//! purchase, a new collection or new arrivals to look at, a newsletter or a
//! sign-up, other listings or shops to visit, a seasonal sale. A message
//! between buyer and seller is about the buyer's order; these are not.
//!
//! Order talk passes: a shipping update, a discount or a refund for this
//! order's problem, free returns, a replacement. So do warnings ("we never
//! send discount codes by mail") and every buyer message. A request for a
//! review is judged by the relay, which knows whether the order was
//! delivered and whether the seller asked already ([`review_request`]).

use std::sync::LazyLock;

use super::Rule;
use super::{Detector, Hit, Scan};
use crate::domain::Direction;
use crate::policy::decision::FindingKind;

/// A code or coupon to use: "discount code", "Rabattcode", "промокод".
const CODE: &str = r"(?i)\b(?:(?:use|enter|apply|with)\s+(?:the\s+|my\s+|our\s+|this\s+)?code|mit\s+(?:dem\s+)?code|avec\s+le\s+code|con\s+el\s+c[óo]digo|con\s+il\s+codice|com\s+o\s+c[óo]digo|met\s+(?:de\s+)?code|z\s+kodem|(?:discount|promo(?:tional)?|coupon|voucher|sale|welcome)\s*-?\s*codes?|coupons?|promo\s*codes?|rabatt-?codes?|gutschein-?codes?|aktions-?codes?|promo-?codes?|kortingscodes?|actiecodes?|kortingsbons?|kod(?:em|u|y)?\s+(?:rabatow\w*|promocyjn\w*)|kupon\w*|c[óo]digos?\s+(?:de\s+descuento|promocional\w*|de\s+desconto|de\s+promo[çc][ãa]o)|cup[óo]n(?:es)?|codes?\s+(?:promo|de\s+r[ée]duction|r[ée]duc)|bons?\s+de\s+r[ée]duction|codic[ei]\s+(?:sconto|promozional\w*)|cupo(?:m|ns)|cup[ãa]o|cup[õo]es|промокод\w*|купон\w*|код\w*\s+(?:на\s+)?скидк\w*|indirim\s+kod\w*|promosyon\s+kod\w*)\b|クーポン|割引コード|プロモコード|كود\s*(?:ال)?خصم|كوبون\w*|رمز\s*(?:ال)?خصم|بروموكود";
/// A code as sellers write one: capitals with or without digits ("SUMMER20").
const CODE_TOKEN: &str = r"\b[A-Z][A-Z0-9]{2,14}[0-9]{1,3}\b|\b[A-Z]{5,15}\b";
/// A discount as such.
const DISCOUNT: &str = r"(?i)\b(?:\d{1,2}\s?%|discount|off|rabatt|korting|rabat\w*|zniżk\w*|descuento|r[ée]duction|remise|sconto|desconto|скидк\w*|indirim)\b|\d{1,2}\s?%|割引|[0-9０-９]+\s*%\s*(?:オフ|OFF)|خصم";
/// Another purchase than this one: the next order, a future purchase.
const NEXT_PURCHASE: &str = r"(?i)\b(?:(?:next|future|another|further)\s+(?:order|purchase|buy|shopping)|(?:nächste|künftige|weitere)\w*\s+(?:bestellung|einkauf|kauf)|(?:volgende|toekomstige)\s+(?:bestelling|aankoop)|(?:następn|kolejn|przyszł)\w*\s+(?:zamówieni|zakup)\w*|(?:pr[óo]xim|futur|siguiente)\w*\s+(?:compra|pedido|encomenda)|(?:prochain|futur)\w*\s+(?:commande|achat)|(?:prossim|futur)\w*\s+(?:ordine|acquisto)|(?:следующ|будущ)\w*\s+(?:заказ|покупк)\w*|(?:sonraki|bir\s+sonraki|gelecek)\s+(?:sipariş|alışveriş)\w*)\b|次回(?:の)?(?:ご注文|ご購入|お買い物)|(?:طلبك|طلبيتك|شرائك)\s+(?:القادم|التالي)\w*";
/// This order's problem, which a discount may make good.
const ORDER_PROBLEM: &str = r"(?i)\b(?:sorry|apolog\w*|inconvenien\w*|delay\w*|damaged|broken|missing|wrong|defect\w*|entschuldig\w*|unannehmlichkeit\w*|verzöger\w*|beschädigt\w*|kaputt|fehlt|falsch\w*|excuses|vertraging|beschadigd|kapot|przeprasz\w*|opóźni\w*|uszkodz\w*|brak\w*|disculp\w*|perd[oó]n|lo\s+sentimos|retraso|da[ñn]ad\w*|roto|désolé\w*|excus\w*|retard|endommag\w*|cassé|scus\w*|ritard\w*|danneggiat\w*|rott\w*|desculp\w*|lamentamos|atraso|danificad\w*|partid\w*|извин\w*|задержк\w*|поврежд\w*|сломан\w*|özür|gecikme|hasarl\w*|kırık)\b|申し訳|遅延|破損|آسف|نعتذر|تأخير|تالف";
/// New things to look at: a new collection, new arrivals.
const NEW_COLLECTION: &str = r"(?i)\b(?:(?:new|latest|spring|summer|autumn|fall|winter|holiday|christmas|xmas)\s+(?:\w+\s+)?collections?|new\s+arrivals|just\s+(?:dropped|launched)|(?:neue|neuen|aktuelle)\w*\s+(?:\w+\s+)?\w*kollektion\w*|neuheiten|(?:nieuwe|laatste)\s+(?:\w+\s+)?\w*collectie|nieuwe\s+binnenkomers|now\w*\s+kolekcj\w*|kolekcj\w*\s+(?:\w+\s+)?(?:now\w*|wiosenn\w*|letni\w*|jesienn\w*|zimow\w*)|nowości|nuev[ao]s?\s+(?:\w+\s+)?colecci[oó]n\w*|colecci[oó]n\w*\s+(?:nueva|de\s+(?:primavera|verano|oto[ñn]o|invierno))|novedades|nouvelle\s+(?:\w+\s+)?collection|collection\s+(?:printemps|[ée]t[ée]|automne|hiver)|nouveaut[ée]s|nuov[ao]\s+(?:\w+\s+)?collezion\w*|collezion\w*\s+(?:primavera|estate|autunno|inverno)|novit[àa]|nova\s+(?:\w+\s+)?cole[çc][ãa]o|cole[çc][ãa]o\s+(?:nova|de\s+(?:primavera|ver[ãa]o|outono|inverno))|novidades|нов\w*\s+(?:\w+\s+)?коллекци\w*|новинк\w*|yeni\s+(?:\w+\s+)?koleksiyon\w*|yeni\s+gelenler|yeni\s+sezon)\b|新作|新コレクション|新商品|新着|(?:مجموع|تشكيل)\w*\s+(?:ال)?جديدة|وصل\s+حديثا|منتجات\s+جديدة";
/// A newsletter, a mailing list, a club.
const NEWSLETTER: &str = r"(?i)\b(?:newsletter\w*|mailing\s+list|nieuwsbrie\w*|biuletyn\w*|bolet[ií]n|lettre\s+d'information|boletim|e-?mail\s+list|рассылк\w*|bülten\w*|e-?bülten)\b|メルマガ|ニュースレター|النشرة\s+(?:الإخبارية|البريدية)";
/// Signing up or following the shop for more.
const SIGN_UP: &str = r"(?i)\b(?:(?:sign\s+up|subscribe|join|register)\s+(?:\w+\s+){0,3}(?:list|club|vip|updates|offers|deals|channel|mailing|emails?)|follow\s+(?:our|my|the)\s+(?:shop|store|page|brand)|abonnier\w*|anmelden\s+(?:\w+\s+){0,3}(?:angebote|news|club)|folgen\s+sie\s+(?:unserem|meinem)\s+(?:shop|laden)|schrijf\s+(?:je|u)\s+in|volg\s+(?:onze|mijn)\s+(?:winkel|shop)|zapisz\s+się|zasubskrybuj|obserwuj\s+(?:nasz|mój)\s+sklep|suscr[ií]b\w*|s[ií]gue(?:nos|me)|sigue\s+(?:nuestra|mi)\s+tienda|abonnez-vous|inscrivez-vous|suivez\s+(?:notre|ma)\s+boutique|iscriviti|iscrivet\w*|seguici|segui\s+(?:il\s+)?(?:nostro|mio)\s+negozio|inscreva-se|assine|siga-nos|segue\s+a\s+(?:nossa\s+)?loja|siga\s+a\s+(?:nossa\s+)?loja|подпиш\w*|подписыв\w*|abone\s+ol\w*|takip\s+edin\w*|mağazamızı\s+takip)\b|フォローして|ご登録|登録して|اشترك\w*|تابعونا|تابع\s+متجرنا";
/// Other listings or shops: cross-selling.
const CROSS_SELL: &str = r"(?i)\b(?:(?:other|more)\s+(?:\w+\s+)?(?:items|listings|products|articles|pieces)\s+(?:in|from|at|on)\s+(?:my|our)\s+(?:shop|store|page|profile)|(?:visit|check\s+out|have\s+a\s+look\s+(?:at|around)|take\s+a\s+look\s+(?:at|around)|browse|look\s+around)\s+(?:my|our)\s+(?:\w+\s+)?(?:shop|store|other\s+(?:items|listings|products))|you\s+(?:might|may|will)\s+also\s+(?:like|love)|we\s+also\s+(?:sell|have|make|stock)\s+(?:\w+\s+)?(?:other|more|lots|many|a\s+range|great)|(?:our|my)\s+(?:sister|other)\s+(?:shop|store)|(?:weitere|andere)\s+(?:\w+\s+)?(?:artikel|angebote|produkte)\s+(?:in|aus|von)\s+(?:meinem|unserem)\s+(?:shop|laden)|(?:besuchen|schauen)\s+sie\s+(?:\w+\s+){0,2}(?:unseren|meinen)\s+(?:\w+\s+)?(?:shop|laden)|(?:andere|meer)\s+(?:\w+\s+)?(?:artikelen|producten|advertenties)\s+(?:in|uit|van)\s+(?:mijn|onze)\s+(?:winkel|shop)|(?:bezoek|bekijk)\s+(?:\w+\s+){0,2}(?:mijn|onze)\s+(?:\w+\s+)?(?:winkel|shop)|(?:inne|pozostałe)\s+(?:\w+\s+)?(?:przedmioty|produkty|aukcje|ogłoszenia|oferty)\s+(?:w|z)\s+(?:moim|naszym)\s+sklep\w*|(?:odwiedź|zajrzyj\s+do)\s+(?:mojego|naszego)\s+sklep\w*|(?:otros|m[aá]s)\s+(?:\w+\s+)?(?:art[ií]culos|productos|anuncios)\s+(?:en|de)\s+(?:mi|nuestra)\s+tienda|(?:visita|visite|echa\s+un\s+vistazo\s+a)\s+(?:mi|nuestra)\s+(?:\w+\s+)?tienda|(?:autres|d'autres)\s+(?:\w+\s+)?(?:articles|produits|annonces)\s+(?:dans|de|sur)\s+(?:ma|notre)\s+boutique|(?:visitez|d[ée]couvrez|jetez\s+un\s+(?:œil|oeil|coup\s+d'(?:œil|oeil))\s+[àa])\s+(?:ma|notre)\s+(?:\w+\s+)?boutique|(?:altri|più)\s+(?:\w+\s+)?(?:articoli|prodotti|annunci)\s+(?:nel|del|sul)\s+(?:mio|nostro)\s+negozio|(?:visita|visitate|d[àa]\s+un'occhiata\s+al)\s+(?:il\s+)?(?:mio|nostro)\s+(?:\w+\s+)?negozio|(?:outros|mais)\s+(?:\w+\s+)?(?:artigos|produtos|an[úu]ncios)\s+(?:na|da)\s+(?:minha|nossa)\s+loja|(?:visite|visita|confira|d[êe]\s+uma\s+olhada\s+na|espreite)\s+(?:a\s+)?(?:minha|nossa)\s+(?:\w+\s+)?loja|(?:другие|остальные)\s+(?:\w+\s+)?(?:товары|объявления|позиции)\s+(?:в|из)\s+(?:моём|моем|нашем|моего|нашего)\s+магазин\w*|(?:загляните|заходите)\s+в\s+(?:мой|наш)\s+магазин|(?:diğer|başka)\s+(?:\w+\s+)?(?:ürün\w*|ilan\w*)\s+(?:için\s+)?(?:mağaza\w*)|mağazamıza\s+(?:göz\s+atın|uğrayın)|mağazamızı\s+ziyaret)\b|他の商品も|ショップも(?:ご覧|見て)|متجرنا\s+(?:ل)?(?:منتجات|عروض)|(?:منتجات|إعلانات)\s+أخرى\s+في\s+متجر";
/// A seasonal sale or a shop-wide offer.
const SALE_EVENT: &str = r"(?i)\b(?:black\s+friday|cyber\s+monday|(?:summer|winter|spring|autumn|fall|christmas|xmas|holiday|easter|end[\s-]of[\s-]season|clearance|flash|big|mid-season|seasonal|anniversary)\s+sale|sales?\s+(?:event|season|weekend|starts?|ends?)|(?:sommer|winter)schlussverkauf|sale\s+(?:bei|im)\s+(?:uns|shop)|uitverkoop|opruiming|wyprzedaż\w*|rebajas|liquidaci[oó]n|soldes|vente\s+flash|saldi|liquida[çc][ãa]o|promo[çc][ãa]o\s+de\s+(?:ver[ãa]o|inverno|natal)|распродаж\w*|büyük\s+indirim|sezon\s+indirim\w*|kış\s+indirim\w*|yaz\s+indirim\w*)\b|セール|ブラックフライデー|تخفيضات|الجمعة\s+البيضاء|عروض\s+(?:الصيف|الشتاء|رمضان)";
/// Offer words beside a sale: the discount, the whole shop, now.
const OFFER_CUE: &str = r"(?i)\b(?:\d{1,2}\s?%|off|discount|save|everything|all\s+items|storewide|sitewide|shop\s+now|don'?t\s+miss|up\s+to|rabatt|alles|sparen|korting|alles|rabat\w*|wszystko|zniżk\w*|descuento|todo|hasta|r[ée]duction|remise|tout|jusqu'?[àa]|sconto|tutto|fino\s+al|desconto|tudo|at[ée]|скидк\w*|всё|все|до|indirim|her\s+şey|tüm)\b|\d{1,2}\s?%|割引|オフ|OFF|خصم|كل\s+المنتجات";
/// A discount across the whole shop, sale word or not.
const SHOP_WIDE: &str = r"(?i)\b\d{1,2}\s?%\s*(?:off\s+)?(?:(?:on\s+)?(?:everything|all\s+(?:items|products|orders))|(?:storewide|sitewide))\b|\b\d{1,2}\s?%\s+(?:rabatt\s+)?auf\s+alle?s?\b|\b\d{1,2}\s?%\s+(?:korting\s+)?op\s+alles\b|\b\d{1,2}\s?%\s+(?:de\s+)?(?:descuento\s+)?en\s+toda\s+la\s+tienda\b|\b\d{1,2}\s?%\s+(?:de\s+r[ée]duction\s+)?sur\s+tout\b|\b\d{1,2}\s?%\s+(?:di\s+sconto\s+)?su\s+tutto\b|\b\d{1,2}\s?%\s+(?:de\s+desconto\s+)?em\s+toda\s+a\s+loja\b|\b\d{1,2}\s?%\s+(?:zniżki\s+|rabatu\s+)?na\s+wszystko\b|скидк\w*\s+(?:\d{1,2}\s?%\s+)?на\s+вс[её]\b|\bt[üu]m\s+[üu]r[üu]nlerde\s+%?\s?\d{1,2}";
/// A warning or a refusal: telling the buyer about such messages.
const WARNING: &str = r"(?i)\b(?:never|beware|scam\w*|fake|phishing|ignore|don'?t\s+(?:click|use|trust)|we\s+do\s+not\s+send|niemals|nie\s+(?:senden|versenden)|betrug\w*|nooit|oplichting|nigdy|oszust\w*|nunca|estafa|jamais|arnaque|fraude|mai\s+(?:inviato|inviamo)|truffa|golpe|никогда|мошенни\w*|asla|dolandırıc\w*)\b|決して|詐欺|أبدا|احتيال";

/// Another channel than the marketplace: an app, a social network, a
/// messaging channel, a spelled-out address. A promotion that sends the
/// buyer there is the contact detectors' case (they remove where it
/// points), whether or not they find the address itself.
const CHANNEL: &str = r"(?i)\b(?:apps?|appli\w*|aplica[çc][ãa]o|aplicaci[oó]n|applicazion\w*|aplikacj\w*|приложени\w*|uygulama\w*|insta\w*|ig|tg|тг|телег\w*|telegram\w*|tiktok|whats\w*|facebook|fb|vk|вк|канал\w*|kanal\w*|canal|channel|kanaal|youtube|pinterest|snap\w*|twitter|t\s?\.?\s?me|dot)\b|アプリ|インスタ|\bLINE\b|ライン|ドット|自分のお店|انستا|الإنستا|الانستا|تيك\s?توك|سناب|تطبيق|تلغرام|تيليجرام";

/// A review asked for: the review named and the asking.
const REVIEW_WORD: &str = r"(?i)\b(?:reviews?|ratings?|feedback|rate\s+(?:us|me|the\s+(?:order|item|product)|your\s+purchase)|bewertung\w*|rezension\w*|bewerten|beoordel\w*|recensie\w*|review|opini\w*|recenzj\w*|oceni\w*|ocen[aęy]\w*|rese[ñn]a\w*|valoraci[oó]n\w*|valor[ae]\w*|calific\w*|avis|[ée]valuation\w*|[ée]valuez|notez|recension\w*|valutazion\w*|valut[aio]\w*|avalia[çc][ãa]o|avalia[çc][õo]es|avali[ae]\w*|отзыв\w*|оцен\w*|yorum\w*|değerlendir\w*|puan\w*)\b|レビュー|評価|تقييم\w*|مراجعة";
const REVIEW_ASK: &str = r"(?i)\b(?:please|pls|could\s+you|would\s+you|can\s+you|would\s+be\s+(?:great|grateful|appreciated)|if\s+you\s+(?:could|have\s+a\s+(?:moment|minute))|appreciate|leave|write|give|post|bitte|hinterlass\w*|w[üu]rden\s+(?:sie|uns)|freuen\s+uns|alsjeblieft|graag|laat|schrijf|zou\s+(?:je|u)|prosz\w*|zostaw\w*|wystaw\w*|napisz\w*|por\s+favor|deja\w*|d[ée]j[ae]nos|escrib\w*|agradecer[ií]a\w*|s'il\s+vous\s+pla[iî]t|laissez|laisser|pourriez|merci\s+de|per\s+favore|lasci\w*|potrebbe|potresti|saremmo\s+grati|deixe|deixa|poderia|agradecer[ií]amos|пожалуйста|оставьте|остав\w*|напишите|будем\s+благодарн\w*|lütfen|bırak\w*|yazar\s+mısınız|rica\s+ederiz)\b|お願い|ください|من\s+فضلك|رجاء|يرجى|اترك\w*";

/// The review request found in `text`, as a character range of it: a
/// sentence that names a review and asks for one. "Thanks for your review"
/// is not one. The relay decides whether the ask is allowed (once per
/// order, after delivery, within the window).
pub fn review_request(text: &str) -> Option<(usize, usize)> {
    static RULES: LazyLock<Option<(Rule, Rule, Rule)>> = LazyLock::new(|| {
        Some((
            super::regex(REVIEW_WORD).ok()?,
            super::regex(REVIEW_ASK).ok()?,
            super::regex(SENTENCE).ok()?,
        ))
    });
    let (review, ask, sentence) = RULES.as_ref()?;
    for s in sentence.find_iter(text) {
        let (Some(r), Some(a)) = (review.find(s.as_str()), ask.find(s.as_str())) else {
            continue;
        };
        let start = s.start() + r.start().min(a.start());
        let end = s.start() + r.end().max(a.end());
        let to_char = |byte: usize| text[..byte].chars().count();
        return Some((to_char(start), to_char(end)));
    }
    None
}

/// Sentences; a full stop ends one only before whitespace, so "5.0" and
/// "shop.example" stay whole.
const SENTENCE: &str = r"[^!?\n;.。！？]+(?:\.\S[^!?\n;.。！？]*)*[!?。！？]?";

/// Whether the contact detectors (which run before this one) found a
/// contact detail the policy removes from this message: an advertisement
/// for another channel ("new arrivals on my insta @…") is theirs to
/// answer, and what is left of it once the contact is gone points nowhere.
/// Our own signed links do not count.
fn contact_removed(scan: &Scan<'_>, earlier: &[Hit]) -> bool {
    earlier.iter().any(|h| {
        h.kind.is_contact()
            && h.rule != super::service_link::RULE
            && scan.config.action(h.kind, scan.direction) >= crate::domain::Action::Redact
    })
}

pub struct PromoDetector {
    sentence: Rule,
    code: Rule,
    code_token: Rule,
    discount: Rule,
    next_purchase: Rule,
    order_problem: Rule,
    new_collection: Rule,
    newsletter: Rule,
    sign_up: Rule,
    cross_sell: Rule,
    sale_event: Rule,
    offer_cue: Rule,
    shop_wide: Rule,
    warning: Rule,
    channel: Rule,
}

impl PromoDetector {
    pub fn new() -> Result<Self, regex::Error> {
        Ok(Self {
            sentence: super::regex(SENTENCE)?,
            code: super::regex(CODE)?,
            code_token: super::regex(CODE_TOKEN)?,
            discount: super::regex(DISCOUNT)?,
            next_purchase: super::regex(NEXT_PURCHASE)?,
            order_problem: super::regex(ORDER_PROBLEM)?,
            new_collection: super::regex(NEW_COLLECTION)?,
            newsletter: super::regex(NEWSLETTER)?,
            sign_up: super::regex(SIGN_UP)?,
            cross_sell: super::regex(CROSS_SELL)?,
            sale_event: super::regex(SALE_EVENT)?,
            offer_cue: super::regex(OFFER_CUE)?,
            shop_wide: super::regex(SHOP_WIDE)?,
            warning: super::regex(WARNING)?,
            channel: super::regex(CHANNEL)?,
        })
    }

    /// The rule that fires on one sentence, and the span it covers there.
    /// `makes_good` says whether the message speaks of this order's problem,
    /// which a code for the next purchase may make good.
    fn sentence_rule(&self, s: &str, makes_good: bool) -> Option<(&'static str, usize, usize)> {
        let span = |m: regex::Match<'_>| (m.start(), m.end());
        if let Some(code) = self.code.find(s)
            && !makes_good
            && (self.code_token.is_match(s)
                || self.next_purchase.is_match(s)
                || self.discount.is_match(s))
        {
            let (start, end) = span(code);
            return Some(("promotional.coupon", start, end));
        }
        if let Some(next) = self.next_purchase.find(s)
            && !makes_good
            && self.discount.is_match(s)
        {
            let (start, end) = span(next);
            return Some(("promotional.coupon", start, end));
        }
        if let Some(m) = self.new_collection.find(s) {
            let (start, end) = span(m);
            return Some(("promotional.new_collection", start, end));
        }
        if let Some(m) = self.newsletter.find(s).or_else(|| self.sign_up.find(s)) {
            let (start, end) = span(m);
            return Some(("promotional.newsletter", start, end));
        }
        if let Some(m) = self.cross_sell.find(s) {
            let (start, end) = span(m);
            return Some(("promotional.cross_sell", start, end));
        }
        if let Some(m) = self.sale_event.find(s)
            && self.offer_cue.is_match(s)
        {
            let (start, end) = span(m);
            return Some(("promotional.sale", start, end));
        }
        if let Some(m) = self.shop_wide.find(s) {
            let (start, end) = span(m);
            return Some(("promotional.sale", start, end));
        }
        None
    }
}

impl Detector for PromoDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::Promotional
    }

    fn detect_after(&self, scan: &Scan<'_>, earlier: &[Hit], hits: &mut Vec<Hit>) {
        if !contact_removed(scan, earlier) {
            self.detect(scan, hits);
        }
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        // A buyer may write what they like about sales and codes.
        if scan.direction != Direction::SellerToBuyer {
            return;
        }
        let text = scan.normalized.text.as_str();
        if self.channel.is_match(text) {
            return;
        }
        let makes_good = self.order_problem.is_match(text);
        for sentence in self.sentence.find_iter(text) {
            let s = sentence.as_str();
            if self.warning.is_match(s) {
                continue;
            }
            if let Some((rule, start, end)) = self.sentence_rule(s, makes_good) {
                hits.extend(scan.hit_normalized(
                    FindingKind::Promotional,
                    sentence.start() + start,
                    sentence.start() + end,
                    rule,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Action;
    use crate::policy::Policy;

    fn policy(toml: &str) -> Policy {
        Policy::from_toml(toml, "relay.localhost").expect("policy loads")
    }

    fn rules(policy: &Policy, text: &str, direction: Direction) -> Vec<String> {
        policy
            .evaluate(text, direction, &[])
            .findings
            .into_iter()
            .filter(|f| f.kind == FindingKind::Promotional)
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn promotions_in_seller_messages_are_held_by_default() {
        let policy = policy("");
        for (text, rule) in [
            ("Use code SPRING20 for 20% off.", "promotional.coupon"),
            (
                "Hier ist ein Gutscheincode für Sie: HERBST5",
                "promotional.coupon",
            ),
            (
                "Prochaine commande : -15 % avec le code promo MERCI",
                "promotional.coupon",
            ),
            (
                "Скидка 10% на следующий заказ для вас!",
                "promotional.coupon",
            ),
            (
                "Have a look at our new summer collection!",
                "promotional.new_collection",
            ),
            (
                "Scopri le novità del negozio!",
                "promotional.new_collection",
            ),
            ("新作が入荷しました！", "promotional.new_collection"),
            (
                "Join our mailing list for early access.",
                "promotional.newsletter",
            ),
            ("Zapisz się do newslettera!", "promotional.newsletter"),
            ("تابعونا لمعرفة العروض", "promotional.newsletter"),
            (
                "You might also like the matching scarf in our shop.",
                "promotional.cross_sell",
            ),
            (
                "Загляните в мой магазин, там много интересного.",
                "promotional.cross_sell",
            ),
            (
                "Cyber Monday: 30% off everything today only!",
                "promotional.sale",
            ),
            (
                "¡Rebajas de verano con hasta 70% de descuento!",
                "promotional.sale",
            ),
            ("Tüm ürünlerde %30 indirim!", "promotional.sale"),
        ] {
            assert_eq!(
                rules(&policy, text, Direction::SellerToBuyer),
                [rule],
                "{text}"
            );
            let d = policy.evaluate(text, Direction::SellerToBuyer, &[]);
            assert_eq!(d.action, Action::Hold, "{text}");
            // Staff read it in context: nothing is cut out.
            assert_eq!(d.redacted_text, text, "{text}");
        }
    }

    #[test]
    fn order_talk_warnings_and_buyer_messages_pass() {
        let policy = policy("");
        for text in [
            "Your order shipped today; tracking follows tonight.",
            "Sorry about the delay, here is a discount code SORRY10 for your next order.",
            "I refunded 10% of this order as a discount for the scratch.",
            "Your order qualifies for free returns within 30 days.",
            "I can send a replacement or refund you, whichever you prefer.",
            "We never send coupon codes by message, please ignore any such offer.",
            "The collection point closes at 6 pm, your parcel is there.",
            "Due to the Black Friday rush, deliveries may take a day longer.",
            "Der Artikel ist aus unserer Kollektion von 2019, daher das Etikett.",
            "The new model is not compatible with your charger, sorry.",
        ] {
            assert!(
                rules(&policy, text, Direction::SellerToBuyer).is_empty(),
                "{text}"
            );
        }
        // A buyer may write anything about sales and codes.
        for text in [
            "Do you have a discount code? I saw your Black Friday sale!",
            "Is your new collection out yet? I'd sign up for the newsletter.",
        ] {
            assert!(
                rules(&policy, text, Direction::BuyerToSeller).is_empty(),
                "{text}"
            );
            assert!(
                !rules(&policy, text, Direction::SellerToBuyer).is_empty(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_promotion_for_another_channel_is_left_to_the_contact_detectors() {
        let policy = policy("");
        // Found or not, the channel's address is theirs to remove.
        for text in [
            "Our new collection goes up first in the photo app, look for vintage dot shop dot x.",
            "Yeni gelenler Telegram kanalımızda.",
        ] {
            assert!(
                rules(&policy, text, Direction::SellerToBuyer).is_empty(),
                "{text}"
            );
        }
        let text = "New arrivals go up first on my insta @vintage_shop_x, follow our shop there!";
        let d = policy.evaluate(text, Direction::SellerToBuyer, &[]);
        assert_eq!(d.action, Action::Redact, "{:?}", d.findings);
        assert!(!d.redacted_text.contains("vintage_shop_x"));
        assert!(d.kinds().iter().all(|k| *k != FindingKind::Promotional));
    }

    #[test]
    fn the_action_is_configurable_but_never_redact() {
        let text = "Check out our new collection!";
        for (action, expected) in [
            ("deliver", Action::Deliver),
            ("hold", Action::Hold),
            ("block", Action::Block),
        ] {
            let policy = policy(&format!(
                "[actions.promotional]\nseller_to_buyer = \"{action}\"\n"
            ));
            let d = policy.evaluate(text, Direction::SellerToBuyer, &[]);
            assert_eq!(d.action, expected, "{action}");
            // Delivered or not, the finding is recorded.
            assert_eq!(d.kinds(), [FindingKind::Promotional], "{action}");
        }
        for bad in [
            "[actions.promotional]\nall = \"redact\"\n",
            "[actions.promotional]\nseller_to_buyer = \"redact\"\n",
            "[promotional]\nreview_window_days = 0\n",
            "[promotional]\nreview_window_days = 400\n",
            "[promotional]\nwindow = 3\n",
        ] {
            assert!(Policy::from_toml(bad, "relay.localhost").is_err(), "{bad}");
        }
        let policy = policy("[promotional]\nreview_window_days = 14\n");
        assert_eq!(policy.config().review_window_days, 14);
    }

    #[test]
    fn a_review_request_is_found_in_every_language_and_thanks_are_not() {
        for text in [
            "Could you please leave us a review?",
            "Wir würden uns über eine Bewertung freuen, bitte!",
            "Laat je een review achter?",
            "Prosimy o wystawienie opinii.",
            "¿Nos dejas una reseña, por favor?",
            "Pourriez-vous nous laisser un avis ?",
            "Ci lasci una recensione, per favore?",
            "Deixe sua avaliação, por favor!",
            "Пожалуйста, оставьте отзыв.",
            "Lütfen bir yorum bırakın.",
            "レビューをお願いします。",
            "من فضلك اترك تقييم للمنتج",
        ] {
            assert!(review_request(text).is_some(), "{text}");
        }
        for text in [
            "Thank you for your review!",
            "Your order shipped today.",
            "Danke für die Bewertung.",
        ] {
            assert!(review_request(text).is_none(), "{text}");
        }
        let text = "Hi Anna! Please leave a review.";
        let (start, end) = review_request(text).expect("found");
        let span: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(span, "Please leave a review");
    }
}
