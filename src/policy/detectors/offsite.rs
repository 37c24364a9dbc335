//! Off-platform payment told the way people tell it, in every supported
//! language: a payment method that never runs through a marketplace
//! (Venmo, Bizum, PIX, MB Way, Tikkie, Papara, PayPay, STC Pay, crypto, gift
//! card codes), a method that may (bank transfer, cash, PayPal) together
//! with a cue that the deal leaves the platform (cancel the order, outside
//! the site, directly, the fees, between us), the cue alone with a deal, and
//! the details that only serve a payment elsewhere (wallet addresses, sort
//! code and account, CLABE, PIX keys). A message that warns against it or
//! turns it down passes, and so does one that pays through the platform.

use super::Rule;
use crate::policy::decision::FindingKind;

use super::{Hit, Scan};

/// Payment methods that never run through the marketplace.
const P2P: &str = r"(?i)\b(?:betaalverzoek(?:je|en)?|yape\w*|yap[eé]ame|plin|picpay|przez\s+zen|zen\s+(?:albo|lub|or|oder|ou|o)|skrill|neteller|transcash|coupons?\s+pcs|recharges?\s+pcs|paysend|venmo|zelle|cash\s?app|revolut\w*|western\s+union|moneygram|b[i1]zum|pix|chave\s+pix|mb\s?way|multibanco|tikkie|payconiq|twint|lydia|paylib|wero|satispay|postepay|blik\w*|papara\w*|ininal|paypay|line\s?pay|stc\s?pay|vodafone\s+cash|instapay|cash\s?plus|nequi|daviplata|mercado\s?pago|oxxo|spei|clabe|sbp|сбп|каспи\w*|kaspi|qiwi|киви|юмани|yoomoney|юmoney|payid|interac|e-?transfer|usdt|usdc|bitcoin\w*|btc|ethereum|eth|crypto\w*|krypto\w*|криптовалют\w*|trc-?20|erc-?20|tron|tether|trx|paysafe\s?card\w*|neosurf|monobank|моно|т-?банк\w*|тинькофф\w*|ideal-?(?:betaal)?link|betaallink|kuveyt|ziraat|ゆうちょ)\b|ペイペイ|PayPay|(?:^|[^\p{L}])(?:فودافون\s*كاش|انستا\s?باي|كاش\s?بلوس|كريبتو|بيتكوين|ترون|سوا|آيتونز|ايتونز|المحفظة\s+الحمرا\w*)(?:$|[^\p{L}])";

/// Gift cards and prepaid codes as payment.
const GIFT: &str = r"(?i)\b(?:(?:buon[oi]|vale|cart[ãa]o|karta|bons?|tegoed)\s+(?:regalo\s+|presente\s+)?(?:d[ae]\s+|da\s+)?amazon|vale[-\s]presente|(?:amazon|tesco|google|apple|steam|gift|itunes|argos|asda|zalando)\s+vouchers?|bons?\s+(?:d'achat\s+)?amazon|amazon[-\s]?(?:guthaben|tegoed|bon|buono|vale|karta|карт\w*)|gift\s?cards?|steam\s+(?:cards?|gift\w*)|itunes\w*|google\s+play|apple\s+gift|amazon[-\s]?(?:gutschein|gift)\w*|geschenkkart\w*|cadeaukaart\w*|cartes?\s+cadeaux?|recharges?\s+pcs|tarjetas?\s+regalo|cart(?:[õo]es|[ãa]o)[-\s]oferta|kart[ayąęeo]\w*\s+podarunkow\w*|подарочн\w*\s+карт\w*|hediye\s+kart\w*|ozon)\b|ギフト券|ギフトカード|iTunesカード|アマギフ|アマゾンギフト|Amazonギフト|グーグルプレイ|بطاقات?\s+(?:هدايا|جوجل)|كروت";
/// What makes a gift card a payment: its codes, paying, accepting.
const GIFT_PAYMENT: &str = r"(?i)\b(?:codes?|kod\w*|c[oó]digos?|codic\w*|коды?|kodlar\w*|pay\w*|paid|zahl\w*|betaal\w*|pai\w*|r[eé]gl\w*|pag\w*|płat\w*|zapłac\w*|оплат\w*|öde\w*|accept\w*|akzeptier\w*|works?|geht|goed|fine)\b|コード|番号|払|الأكواد|أكواد|ادفع";

/// A knowing wink about the deal: "you see what I mean", "ci siamo capiti".
/// With a better price or a direct deal, the price is for going around.
const COMPLICIT: &str = r"(?i)\b(?:you\s+know\s+what\s+i\s+mean|if\s+you\s+catch\s+my\s+drift|du\s+wei(?:ß|ss)t\s+schon|sie\s+wissen\s+schon|je\s+snapt\s+(?:het|wel)|u\s+begrijpt\s+(?:het|wel)|vous\s+voyez\s+ce\s+que\s+je\s+veux\s+dire|tu\s+vois\s+ce\s+que\s+je\s+veux\s+dire|ya\s+me\s+entiendes|usted\s+ya\s+me\s+entiende|me\s+entiendes|ci\s+siamo\s+capiti|hai\s+capito|mi\s+hai\s+capito|sabe\s+como\s+[ée]|entende\s+n[ée]|me\s+entende|rozumiemy\s+się|wiesz\s+o\s+co\s+chodzi|ты\s+понял|вы\s+понимаете|сами\s+понимаете|anladın\s+sen|anlarsınız)\b|(?:^|[^\p{L}])فاهم\s+علي|わかりますよね|察して";
/// A deal done directly: "direkt bei mir kaufen", "直接やり取り".
const DIRECT_DEAL: &str = r"(?i)\b(?:directly|direct|direkt|rechtstreeks|directement|en\s+direct|directamente|direttamente|diretamente|bezpośrednio|напрямую|doğrudan)\b[^.!?\n]{0,20}\b(?:deal\w*|buy\w*|order\w*|trade\w*|kauf\w*|handel\w*|bestell\w*|kopen|bestellen|achet\w*|trait\w*|compr\w*|trat\w*|acquist\w*|kup\w*|zamów\w*|куп\w*|договор\w*|заказ\w*|satın|alışveriş)\b|直接(?:の)?(?:やり取り|取引|購入|ご購入|お取引)|(?:نتعامل|نتفاهم)\s+مباشرة";
/// Payments here no longer taken: not a refusal of an outside one, but the
/// reason given for it ("Je n'accepte plus les paiements ici").
const STOP_HERE: &str = r"(?i)\b(?:n'accepte\s+plus|ne\s+prends\s+plus|no\s+longer\s+(?:accept|take)|(?:don'?t|do\s+not)\s+(?:accept|take)\s+(?:\w+\s+){0,2}anymore|nehme\s+(?:\w+\s+){0,2}keine|akzeptiere\s+(?:\w+\s+){0,2}keine|ya\s+no\s+acepto|no\s+acepto\s+ya|non\s+accetto\s+pi[uù]|n[ãa]o\s+aceito\s+mais|j[áa]\s+n[ãa]o\s+aceito|już\s+nie\s+przyjmuj\w*|больше\s+не\s+принима\w*|artık\s+kabul\s+etmiyorum|accepteer\s+(?:\w+\s+){0,2}niet\s+meer)\s+(?:\w+\s+){0,2}(?:payments?|paiements?|zahlungen|pagos?|pagamenti|pagamentos?|płatności|оплат\w*|ödeme\w*|betalingen)\s+(?:here|ici|hier|aqu[ií]|qui|aqui|tutaj|здесь|тут|burada|via|über|through|par|por|tramite|przez|через|on|sur|op|in)\b|こちらでの(?:お)?支払い?は(?:受け付けて|お受けして)";

/// Methods that may also run through the platform: they count with a cue.
const METHOD: &str = r"(?i)\b(?:наличк\w*|карточк\w*|на\s+карту|mijn\s+rekening|my\s+account|mi\s+cuenta|minha\s+conta|mon\s+compte|mein\s+konto|na\s+konto|moje\s+konto|linkje\s+(?:sturen\s+)?om\s+te\s+betalen|betaallinkje|bank\s+transfer|wire(?:\s+transfer)?|paypal|überweis\w*|echtzeitüberweisung|bankverbindung|virement|transferenci\w*|transferênci\w*|dep[oó]sit\w*|bonific\w*|ricaric\w*|przelew\w*|overmak\w*|overboek\w*|перевод\w*|переведите|перевед\w*|безнал\w*|havale|eft|iban|rib|cash|bar|barzahlung|contant\w*|liquide|esp[eè]ces|efectivo|en\s+mano|contanti|dinheiro|gotówk\w*|наличн\w*|nakit|boleto|qr|sort\s+code|link\s+de\s+cobro|cobro|envelope|enveloppe|umschlag|kuvert|envelop|(?:un|el|en\s+un)\s+sobre|busta|kopert\w*|конверт\w*|zarf)\b|封筒|ظرف|現金|手渡し|振込|振り込|送金|كاش|تحويل|حول|حوّل";
/// Money in general: counts with a cue that the deal goes around the platform.
const MONEY: &str = r"(?i)\b(?:betaal\w*|zahl\w*|płać|zapłac\w*|плат\w*|заплач\w*|öde\w*|preç\w*|precio|prix|prezzo|preis|prijs|cena|цен\w*|fiyat\w*|pay\w*|money|balance|geld|finanzielle\w*|financi\w*|finanç\w*|argent|dinero|soldi|dinheiro|pieniądz\w*|pieniedz\w*|деньг\w*|para|settle\w*|rozlicz\w*|рассчита\w*|расчит\w*|regeln|regelen|r[eéè]gl\w*|arrange\w*|arregl\w*|acert\w*|combin\w*|valor|pagamento|pago|paiement|zahlung|betaling|płat\w*|оплат\w*|ödeme)\b|الفلوس|فلوس|المبلغ|نتفاهم|نخلص";
/// Cancelling the order here.
const CANCEL: &str = r"(?i)\b(?:cancel\w*|stornier\w*|annuleer\w*|annul\w*|cancel[aeo]\w*|anul[aeo]\w*|annull\w*|anulu\w*|anuluj\w*|отмен\w*|iptal|dar(?:lo)?\s+de\s+baja|lo\s+damos\s+de\s+baja|chiudiamo)\b|キャンセル|終了|إلغ|الغ|ألغ|نلغي|تلغي|يلغي|نقفل|بلغي|أقفل";
/// The deal goes around the platform.
const AWAY: &str = r"(?i)\b(?:bez\s+pośrednik\w*|без\s+(?:всяких\s+)?посредник\w*|sin\s+intermediari\w*|senza\s+intermediari|sem\s+intermedi[áa]ri\w*|ohne\s+(?:zwischenhändler|mittelsmann)|zonder\s+tussenpersoon|aracısız|no\s+lo\s+compres\s+por\s+la\s+web|siteden\s+sipariş\s+ver\w*|sipariş\s+vermesek|(?:order|ordine|pedido|bestellung|commande|zamówienie|заказ|sipariş)\w*[^.!?\n]{0,30}(?:non\s+serve|not\s+needed|no\s+hace\s+falta|n[ãa]o\s+precisa|nicht\s+nötig|pas\s+besoin|niet\s+nodig|не\s+нужен|не\s+надо|gerek\s+yok|gerek\s+kalma\w*)|(?:site|platform\w*|plataforma|app)\s+(?:doesn'?t|won'?t)\s+take|mark\s+the\s+listing\s+as\s+sold|scheelt\s+(?:ons\s+)?(?:allebei\s+)?(?:de\s+)?\w*kosten|wie\s+früher|acertamos\s+as\s+contas\s+cá|à\s+moda\s+antiga|a\s+la\s+antigua|alla\s+vecchia|sem\s+as\s+taxas|sin\s+las\s+comisiones|ohne\s+(?:die\s+)?gebühren|outside|off[-\s]?(?:platform|site|app)|without\s+(?:the\s+)?(?:site|platform|app)|leave\s+the\s+(?:platform|site|app)\s+out|außerhalb|ausserhalb|ohne\s+(?:\w+\s+)?(?:plattform|seite|umweg|warenkorb)|umweg|buiten\s+de|zonder\s+dat\s+de\s+site|en\s+dehors|hors\s+(?:de\s+la\s+)?plateforme|sans\s+passer|fuera\s+de|por\s+(?:a)?fuera|por\s+otro\s+lado|sin\s+pasar|fuera\s+del|fuori\s+da\w*|senza\s+passare|por\s+fora|fora\s+d[oa]s?|fora\s+daqui|sem\s+passar|poza\s+\w+|bez\s+pośrednictwa|вне\s+\w+|минуя|мимо|dışında|between\s+(?:us|ourselves)|unter\s+uns|onderling|entre\s+nous|entre\s+nosotr[oa]s|po\s+swojemu|po\s+naszemu|по-своему|по\s+своему|a\s+nuestra\s+manera|à\s+notre\s+fa[çc]on|a\s+modo\s+nostro|do\s+nosso\s+jeito|à\s+nossa\s+maneira|auf\s+unsere\s+art|op\s+onze\s+manier|our\s+own\s+way|kendi\s+aramızda|(?:non|not|nicht|niet|nie|не|sin|sem|sans)\s+(?:passando|going|gehend|pasando|passando|passant)\s+(?:da|through|über|por|par|via|przez|через)\s+(?:qui|here|hier|aqu[ií]|aqui|ici|tutaj|здесь|тут)|tra\s+(?:di\s+)?noi|entre\s+n[óo]s|między\s+sobą|между\s+нами|aramızda|old[-\s]fashioned|klassisch|ouderwets|po\s+staremu|по-старому|à\s+l'ancienne|privat|prywatnie|en\s+privado|in\s+privato|em\s+privado|symboli\w*|символич\w*|s'arranger\s+autrement|otra\s+forma|outra\s+forma|altro\s+modo|eski\s+usul|(?:no|kein\w*|without|sans|sin|senza|sem|bez|zonder|без)\s+(?:\w+\s+){0,2}(?:buyer\s+protection|käuferschutz|protection\s+(?:de\s+l'|des\s+)?acheteurs?|protecci[oó]n\s+al\s+comprador|protezione\s+acquist\w*|prote[çc][ãa]o\s+(?:ao\s+|do\s+)?comprador|ochrony\s+kupującego|kopersbescherming|защиты\s+покупателя)|(?:here|hier|ici|aquí|aqui|qui|здесь|тут|tutaj|burada)[^.!?\n]{0,30}(?:не\s+нужно|не\s+надо|nicht\s+nötig|pas\s+besoin|no\s+hace\s+falta|not\s+needed|niet\s+nodig)|(?:no\s+need|don'?t\s+need|nicht|niet|hoeven|pas\s+besoin|no\s+hace\s+falta|non\s+serve|nem\s+precisa|não\s+precisa|não\s+é\s+preciso|nie\s+musimy|не\s+нужно|ничего\s+не\s+нужно|gerek\s+yok|rien\s+à)[^.!?\n]{0,40}\b(?:abschließen|afronden|finish\w*|complet\w*|click\w*|buy|order|check\w*|kauf\w*|bestell\w*|compr\w*|finaliz\w*|conclu\w*|kończyć|оформл\w*|valider|confirmar|confermare|passer|pasar|passare|passar|fechar|chiudere|afsluiten|close|app|site|sito|plataforma|platform\w*|tutaj|здесь|ici|aqui|aquí|here|hier))\b|通さ|アプリを|別の形|بدون\s+(?:التطبيق|الموقع|المنصة)|خارج|بطريقتنا|بيني\s+وبينك|ما\s+يحتاج\s+تطلب|\b(?:gedoe\s+met\s+de\s+site|scheelt\s+gedoe)\b|(?:ملوش|مالوش|مش|ما\s+له|لا)\s+(?:لزوم|لازم|داعي)\s+(?:\S+\s+){0,2}(?:أوردر|اوردر|طلب|الموقع)|بلا\s+الوسيط|بدون\s+وسيط|بيناتنا|アプリ外|サイト外";
/// The deal done the old, plain way: like `AWAY` (outside its union,
/// which it would take over the size limit).
const OLD_WAY: &str = r"(?i)\b(?:do\s+jeito\s+tradicional|(?:à|da)\s+maneira\s+tradicional|(?:a|de)\s+la\s+manera\s+tradicional|the\s+old(?:[-\s]school)?\s+way|по-простому|по\s+старинке|на\s+старый\s+лад|come\s+una\s+volta|comme\s+au\s+bon\s+vieux\s+temps|jak\s+dawniej|na\s+starą\s+modłę|zoals\s+vroeger|auf\s+die\s+alte\s+art|como\s+antigamente|como\s+antes|wie\s+fr[üu]her|comme\s+avant|come\s+prima|jak\s+kiedyś|как\s+раньше|eskisi\s+gibi|like\s+before|without\s+(?:any\s+)?third\s+part(?:y|ies)|ohne\s+dritte|zonder\s+derden|sans\s+tiers|sin\s+terceros|senza\s+terzi|sem\s+terceiros|bez\s+(?:osób\s+)?trzecich|без\s+третьих\s+лиц|üçüncü\s+(?:kişi|şahıs)\w*\s+olmadan)\b|الطريقة\s+القديمة|昔ながら|زي\s+زمان|بدون\s+طرف\s+ثالث";

/// The cart or checkout left out, the middleman or the site's cut named:
/// "don't bother with the basket", "nie przez koszyk", "sem o
/// intermediário", "ohne Plattformaufschlag", "こちらを通さなくても".
const SKIP_CHECKOUT: &str = r"(?i)\b(?:(?:skip|bypass|don'?t\s+bother\s+with|no\s+need\s+(?:for|to\s+use)|not\s+(?:through|via)|instead\s+of|pas\s+besoin\s+de\s+(?:re)?passer\s+par|sans\s+passer\s+par|non\s+serve\s+passare\s+(?:dal|per\s+il)|senza\s+passare\s+(?:dal|per\s+il)|nie\s+przez|hoeft\s+niet\s+via|niet\s+via|не\s+через|statt\s+über|ohne\s+(?:den\s+)?|sem\s+passar\s+pelo|no\s+hace\s+falta\s+pasar\s+por|sin\s+pasar\s+por)\s*(?:the\s+|le\s+|la\s+|il\s+|el\s+|o\s+|den\s+|het\s+)?(?:basket|cart|checkout|panier|carrello|koszyk\w*|winkelmand\w*|корзин\w*|carrito|carrinho|warenkorb)|siparişi\s+buradan\s+(?:hiç\s+)?açmay\w*|заказ\s+(?:тут|здесь)\s+не\s+оформля\w*)\b|こちらを通さ|ここを通さ|ما\s+له\s+داعي\s+نسجل";
/// The platform's cut avoided, said so that it needs no payment word: "cuts
/// out the middleman", "ohne Plattformaufschlag", "senza i costi del sito",
/// "sem a mordida do site", "komisyona takılmadan".
const FEE_DODGE: &str = r"(?i)\b(?:(?:cut\w*\s+out|without|sem|sin|senza|ohne|zonder|bez|без(?:\s+лишних)?)\s+(?:the\s+|o\s+|el\s+|il\s+|den\s+)?(?:middle\s?m[ae]n|intermedi[áa]ri[oa]s?|zwischenhändler\w*|tussenpersoon|pośrednik\w*|посредник\w*)|plattformaufschlag\w*|costi\s+del\s+sito|mordida\s+do\s+site|aan\s+het\s+platform\s+(?:\w+\s+){0,3}afgedragen|komisyona\s+takılmadan)\b";
/// Settling by hand where the goods change hands: "rekenen we bij de deur
/// af", "рассчитаемся на месте", "ödemeyi de orada hallederiz", "お代はその場で".
const SETTLE_THERE: &str = r"(?i)\b(?:paray[ıi](?:\s+da)?|settle\w*|sort\s+(?:it|the\s+money)|regeln|regelen|afreken\w*|rekenen|arregl\w*|acert\w*|рассчита\w*|расплат\w*|ödeş\w*|ödeme\w*|hallede\w*|organizziamo|arrange\w*|finanzielle|combin\w*)\b[^.!?\n]{0,40}\b(?:there|on\s+the\s+spot|in\s+person|at\s+the\s+door|bij\s+de\s+deur|vor\s+ort|all[ií]\s+mismo|l[áà]|sur\s+place|de\s+la\s+main\s+[àa]\s+la\s+main|на\s+месте|при\s+встрече|orada|tra\s+noi|entre\s+n[óo]s|ouderwetse\s+manier)\b|\b(?:there|vor\s+ort|all[ií]\s+mismo|на\s+месте|orada|l[áà])\b[^.!?\n]{0,30}\b(?:settle\w*|regeln|arregl\w*|acert\w*|рассчита\w*|ödeş\w*|hallede\w*)\b|\b(?:s'arrange|ci\s+organizziamo)\b[^.!?\n]{0,20}\b(?:de\s+la\s+main|tra\s+noi)\b|(?:نتحاسب|نتفاهم)\s+(?:وجه\S*\s+لوجه|هناك)|(?:お代|代金|精算|清算)[^。]{0,10}(?:その場|その時)|その場で(?:お)?(?:支払|払|精算|清算|会計)";

/// The listing taken off the site: "you take the ad down", "desativa o
/// anúncio", "ilanı kaldırırsınız", "أشيل الإعلان". With a payment by hand
/// or a method, the sale goes on without it.
const LISTING_OFF: &str = r"(?i)\b(?:listing|advert|ad|anzeige|inserat|advertentie|annonce|anuncio|annuncio|an[úu]ncio|ogłoszeni\w*|объявлени\w*|ilan\w*)\b[^.!?\n]{0,25}\b(?:remov\w*|delet\w*|deactivat\w*|raus\w*|lösch\w*|entfern\w*|deaktivier\w*|offline|weg\w*|verwijder\w*|retir\w*|supprim\w*|d[ée]sactiv\w*|enl[eè]v\w*|quit(?:a|o|ar|amos|as|ado)|borr\w*|elimin\w*|desactiv\w*|togli\w*|tolg\w*|rimuov\w*|disattiv\w*|desativ\w*|apag\w*|exclu\w*|zdj\w*|zdejm\w*|usu[nń]\w*|wycof\w*|сним\w*|снят\w*|удал\w*|убер\w*|убрат\w*|kaldır\w*|sil\w*|kapat\w*|yayından)\b|\b(?:take|taking|took|pull\w*)\s+(?:\w+\s+){0,2}?(?:listing|ad|advert)\s+(?:down|off)\b|\b(?:remov\w*|delet\w*|deactivat\w*|lösch\w*|entfern\w*|deaktivier\w*|verwijder\w*|haal\w*|retir\w*|supprim\w*|d[ée]sactiv\w*|enl[eè]v\w*|borr\w*|elimin\w*|desactiv\w*|togli\w*|tolg\w*|rimuov\w*|disattiv\w*|desativ\w*|tira\w*|apag\w*|exclu\w*|zdejm\w*|usu[nń]\w*|wycof\w*|сним\w*|снять|удал\w*|убер\w*|убрать)\b[^.!?\n]{0,20}\b(?:listing|advert|ad|anzeige|inserat|advertentie|annonce|anuncio|annuncio|an[úu]ncio|ogłoszeni\w*|объявлени\w*)\b|出品を?(?:取り下げ|削除|停止|取り消)|(?:[أا]شيل|نشيل|تشيل|يشيل|[أا]حذف|تحذف|نحذف|[أا]قفل|نقفل|تقفل|تلغي|نلغي|تطفي)\s+(?:ال)?[إا]علان";

/// No need to click, buy or check out here: "te ahorras darle a comprar
/// aquí", "non serve cliccare su acquista", "hoef je hier niet af te
/// rekenen", "тут оформлять ничего не будем", "こちらの手続きは不要".
/// With a payment by hand, the sale skips the site.
const NO_CHECKOUT: &str = r"(?i)\b(?:no\s+need\s+to|needn'?t|no\s+hace\s+falta|te\s+ahorras(?:\s+tener\s+que)?|sin\s+necesidad\s+de|non\s+serve(?:\s+nemmeno|\s+neanche)?|senza\s+bisogno\s+di|hoef\w*\s+(?:je|u|we|jij)\s+(?:\w+\s+){0,2}niet(?:\s+eens)?|hoeft\s+(?:\w+\s+){0,2}niet(?:\s+eens)?|nie\s+trzeba(?:\s+nic)?|nie\s+musisz|sem\s+precisar(?:\s+de)?|n[ãa]o\s+precisa(?:\s+de)?|n[ãa]o\s+[ée]\s+preciso|pas\s+besoin\s+de|inutile\s+de|nicht\s+nötig|brauchst\s+(?:\w+\s+){0,2}nicht|(?:müssen|brauchen)\s+(?:sie|du)\s+(?:\w+\s+){0,2}nicht|gerek\s+(?:yok|kalmaz)|не\s+нужно|не\s+надо|instead\s+of|zamiast|statt|anstatt|in\s+plaats\s+van|au\s+lieu\s+de|en\s+(?:lugar|vez)\s+de|invece\s+di|em\s+vez\s+de|escusa(?:s)?\s+de|no\s+point(?:\s+in)?|вместо\s+того,?\s+чтобы|вместо)\s+(?:\w+\s+){0,4}?(?:click\w*|press\w*|drück\w*|druk\w*|appuy\w*|puls\w*|premer\w*|carregar|apertar|naciska\w*|жать|нажима\w*|basma\w*|tıkla\w*|clic\w*|klik\w*|clicc\w*|klick\w*|comprar\s+aqu[ií]|darle\s+a\s+comprar|acquista\w*|af\s+te\s+rekenen|afrekenen|check-?out|carrinho|carrito|carrello|koszyk\w*|warenkorb|winkelmand\w*|panier|корзин\w*|оформля\w*|sepet\w*|going\s+through\s+the\s+order)|(?:тут|здесь)\s+(?:ничего\s+)?оформля\w*\s+(?:ничего\s+)?не\s+(?:будем|нужно|надо)\b|(?:ما|لا)\s+(?:تحتاج|في\s+داعي|داعي)\s+(?:\S+\s+){0,2}?(?:تضغط|تطلب|تشتري)|(?:こちら|ここ|サイト)(?:での|の)?(?:お)?手続き(?:は|も)?(?:不要|いりません|必要(?:ありません|ない))";

/// The checkout said to fail: the reason given for paying another way
/// ("O checkout está dando erro hoje. Faz no Mercado Pago …").
pub(crate) const BROKEN: &str = r"erro|errors?|broken|down|not\s+working|(?:doesn'?t|won'?t|isn'?t)\s+(?:work|load|go\s+through)\w*|(?:funktioniert|geht)\s+(?:\w+\s+){0,2}nicht|kaputt|spinnt|werkt\s+niet|doet\s+het\s+niet|ne\s+(?:marche|fonctionne)\s+pas|bug\w*|no\s+funciona|falla|non\s+funziona|n[ãa]o\s+(?:funciona|est[áa]\s+funcionando)|travad[oa]|nie\s+działa|не\s+работает|глючит|çalışmıyor|hata\s+veriyor";
const CHECKOUT_WORD: &str = r"check-?out|kasse|warenkorb|carrinho|carrito|carrello|panier|winkelmand\w*|winkelwagen|koszyk\w*|корзин\w*|sepet\w*|payment\s+page|bezahlseite|betaalpagina|page\s+de\s+paiement|p[áa]gina\s+de\s+pag[oa]\w*|pagina\s+di\s+pagamento|страниц\w*\s+оплаты|ödeme\s+(?:ekran|sayfa)\w*";

/// An account to be paid by transfer: "ödemeyi IBAN'a havale yaparsınız",
/// "podam numer konta do przelewu, wyjdzie taniej".
const ACCOUNT_WORD: &str = r"(?i)\b(?:iban\w*|rib|numer\w*\s+konta|kontonummer|bankverbindung|rekening\w*|account\s+(?:number|details)|bank\s+details|n[uú]mero\s+de\s+(?:cuenta|conta)|numero\s+di\s+conto|номер\w*\s+сч[её]та|реквизит\w*|hesap\s+numara\w*)\b|口座";
const TRANSFER: &str = r"(?i)\b(?:przelew\w*|havale\w*|eft|transfer\w*|überweis\w*|virement\w*|bonifico|transferenci\w*|transferênci\w*|overmak\w*|overboek\w*|перевод\w*|перевест\w*)\b|振込|振り込|تحويل";

/// Money settled by hand: "lo arreglamos en mano", "rekenen we het ter
/// plekke af", "rozliczymy na miejscu", "при встрече рассчитаемся". Like
/// `SETTLE_THERE`, outside the union of `Offsite::any` (size limit).
const SETTLE_BY_HAND: &str = r"(?i)\b(?:settle\w*|afreken\w*|rekenen|arregl\w*|acert\w*|рассчита\w*|расплат\w*|rozlicz\w*|sistem(?:iamo|are)|r[eéè]gl(?:ons|erons|er)|abrechn\w*|ödeş\w*|hallede\w*)\b[^.!?\n]{0,40}\b(?:ter\s+plekke|na\s+miejscu|en\s+mano|a\s+mano|em\s+m[ãa]os?|na\s+hora|в\s+руки|elden)\b|\b(?:при\s+встрече|na\s+miejscu|ter\s+plekke|en\s+mano|a\s+mano|na\s+hora)\b[^.!?\n]{0,30}\b(?:рассчита\w*|расплат\w*|rozlicz\w*|afreken\w*|arregl\w*|acert\w*)\b";

/// The order here said to be unneeded or skippable: "we don't need to do
/// the whole ordering thing here", "ما نحتاج الطلب", "こちらのお手続きは省いて",
/// "заказ можно и не оформлять".
const ORDER_SKIPPED: &str = r"(?i)\b(?:(?:don'?t|do\s+not|won'?t)\s+need\s+(?:to\s+(?:place|do|bother\s+with)\s+)?(?:the|this|an?)\s+order|skip\s+the\s+(?:order|checkout)|forget\s+(?:about\s+)?the\s+order|hoeven\s+we\s+(?:\w+\s+){0,4}niet|hoeven\s+we\s+(?:\w+\s+){0,2}niks\s+te\s+bestellen|bestelgedoe|brauchen\s+wir\s+(?:\w+\s+){0,2}(?:keine\s+bestellung|die\s+bestellung\s+(?:\w+\s+)?nicht)|(?:pas\s+besoin|inutile)\s+de\s+(?:passer|faire)\s+(?:la\s+|une\s+)?commande|no\s+hace\s+falta\s+(?:hacer\s+)?(?:el|un)\s+pedido|non\s+serve\s+(?:fare\s+)?l'ordine|n[ãa]o\s+precisa\s+(?:de\s+)?(?:fazer\s+)?(?:o|a)\s+(?:pedido|encomenda)|nie\s+trzeba\s+(?:\w+\s+)?zamówieni\w*|заказ\s+(?:\w+\s+){0,3}(?:не\s+оформлять|не\s+нужен)|можно\s+(?:и\s+)?не\s+оформлять|sipariş\s+(?:\w+\s+)?gerek\s+yok|(?:order|bestellung|bestelling|commande|pedido|ordine|encomenda|zamówieni\w*|заказ\w*|sipariş\w*)\b[^.!?\n]{0,25}\b(?:expire|lapse|verfallen|verlopen|expirer|caducar|caduque|expirar|expire|scadere|wygaś\w*|wygasn\w*|сгор\w*|истеч\w*|süresi\s+dol\w*)|(?:let|lass\w*|laat|laisse\w*|deja\w*|lasci\w*|deix\w*|niech)\s+(?:the\s+|die\s+|de\s+|la\s+|el\s+|o\s+|l')?(?:order|bestellung|bestelling|commande|pedido|ordine|encomenda|zamówienie)\s+(?:\w+\s+)?(?:expire|lapse|verfallen|verlopen|expirer|caducar|expirar|scadere|wygasnąć))\b|ما\s+نحتاج\s+(?:ال)?طلب|(?:お)?手続き(?:は|を)?省|注文(?:は)?(?:不要|しなくて)";
/// What was agreed, brought by hand: "bring what we agreed", "تجيب المبلغ
/// اللي اتفقنا عليه", "お品物とお引き換え".
const AGREED: &str = r"(?i)\b(?:what\s+we\s+(?:agreed|said)|the\s+(?:amount|sum|price)\s+we\s+agreed|wat\s+we\s+(?:hebben\s+)?afgesproken|was\s+wir\s+(?:\w+\s+)?(?:ausgemacht|vereinbart|abgesprochen)|ce\s+qu'on\s+a\s+(?:convenu|dit)|ce\s+que\s+nous\s+avons\s+convenu|lo\s+que\s+(?:acordamos|quedamos|hablamos)|quello\s+che\s+abbiamo\s+(?:concordato|detto|pattuito)|o\s+que\s+combin(?:amos|ámos)|o\s+valor\s+combinado|(?:o\s+)?(?:valor|montante|dinheiro)\s+(?:\w+\s+)?que\s+(?:fal[áa]mos|combin[áa]mos|acert[áa]mos)|to,?\s+co\s+ustalili\w*|(?:что|как)\s+договаривал\w*|(?:сумм\w*|что),?\s+(?:о\s+которой\s+)?договорились|anlaştığımız)\b|اتفقنا\s+عليه|お引き換え|引き換えで";

/// Directly, instead of the platform, and without its fees.
const DIRECT: &str = r"(?i)\b(?:scheelt\s+ons\s+allebei|voordeliger\s+voor\s+ons\s+allebei|for\s+us\s+both|für\s+uns\s+beide|pour\s+nous\s+deux|para\s+los\s+dos|per\s+entrambi|para\s+os\s+dois|dla\s+nas\s+obu|для\s+нас\s+обоих|ikimiz\s+de|directly|direct|direkt|rechtstreeks|directement|directamente|directo|direttamente|diretamente|direto|bezpośrednio|напрямую|doğrudan|instead|statt|stattdessen|in\s+plaats|au\s+lieu|en\s+vez|invece|em\s+vez|zamiast|вместо|yerine|fees?|commission|gebühr\w*|provision|commissie|frais|comisi[oó]n|commissioni|taxa|comiss[ãa]o\w*|comissões|prowizj\w*|комисси\w*|komisyon|gastos\s+de\s+gesti[oó]n|service\s+(?:fee|charge)s?|(?:site|platform)'?s\s+cut|servicegebühr\w*|frais\s+de\s+(?:service|gestion)|spese\s+di\s+(?:gestione|servizio)|taxa\s+de\s+servi[çc]o|opłat\w*\s+serwisow\w*|сервисн\w*\s+сбор\w*|hizmet\s+bedel\w*|servicekosten)\b|直接|手数料|مباشرة|عمولة";
/// Avoiding the platform's fees ("to skip the commission", "para não pagar comissões").
const AVOID_FEES: &str = r"(?i)\b(?:scheelt|servicekosten|avoid|skip|save|saves|bypass|without|no|sin|sem|senza|ohne|zonder|bez|без|evitar|evitare|éviter|vermeid\w*|spar\w*|scheelt|besparen|unikn\w*|избежать|сэконом\w*|ahorr\w*|economiz\w*|risparmi\w*|économis\w*|não\s+pagar|no\s+pagar|ne\s+pas\s+payer|non\s+pagare|nicht\s+zahlen|niet\s+betalen|nie\s+płacić|не\s+платить|ödeme\w*)\b[^.!?\n]{0,25}\b(?:fees?|commission\w*|gebühr\w*|provision|commissie|frais|comisi[oó]n\w*|commissioni|taxa|comiss[ãa]o|comissões|prowizj\w*|комисси\w*|komisyon\w*)\b|手数料|عمولة";

/// The fees said not to be paid, the fee named first: "dan hoef ik de
/// servicekosten niet te betalen", "komisyon ödemeyiz". Outside the union
/// of `Offsite::any`, whose fee words it needs.
const FEES_UNPAID: &str = r"(?i)\b(?:fees?|servicekosten|gebühr\w*|commissie|frais|comisi[oó]n\w*|commissioni|taxas?|prowizj\w*|комисси\w*|komisyon\w*)\s+(?:\w+\s+){0,2}(?:(?:niet|nicht|not|no|non|pas|nie|не)\s+(?:te\s+|zu\s+)?(?:betalen|zahlen|bezahlen|pay|pagar|pagare|payer|płacić|платить)|ödeme(?:yiz|yelim|yin|mek|den))\b";

/// Cheaper if the deal moves.
const CHEAPER: &str = r"(?i)\b(?:better\s+price|friends?'?\s+price|mate'?s\s+rates?|bessere[nr]?\s+preis|freundschaftspreis|betere\s+prijs|vriendenprijs|meilleur\s+prix|prix\s+d'ami|mejor\s+precio|precio\s+de\s+amig[oa]|prezzo\s+migliore|miglior\s+prezzo|prezzo\s+da\s+amic[oi]|melhor\s+pre[çc]o|pre[çc]o\s+de\s+amig[oa]|lepsz\w*\s+cen\w*|cen\w*\s+dla\s+znajomych|лучш\w*\s+цен\w*|цен\w*\s+для\s+своих|daha\s+iyi\s+fiyat|dost\s+fiyat\w*|cheaper|less|discount|off|günstiger|billiger|rabatt|goedkoper|korting|minder|moins|remise|r[ée]duction|m[aá]s\s+barato|descuento|menos|sconto|meno|economico|desconto|mais\s+barato|taniej|rabat\w*|дешевле|скидк\w*|ucuz\w*|indirim|подешевле|sell\s+(?:it\s+)?(?:to\s+)?you|verkaufe\s+ich|verkoop\s+ik|vends|vendo|sprzedam|продам|satarım)\b|値引き|お安く|安く|お譲り|أبيع|أقل|أرخص|خصم";

/// Selling, buying or paying: what a cue alone needs to be a deal.
const DEAL: &str = r"(?i)\b(?:k[âa]rl[ıi]|voordelig\w*|avantaj\w*|profit\w*|lohnt\w*|caisse|kasse|checkout|cassa|caja|preç\w*|precio|prix|prezzo|preis|prijs|cena|цен\w*|fiyat\w*|betaal\w*|заплач\w*|рассчита\w*|sell\w*|sold|buy|pay\w*|paid|price|cheaper|less|discount|verkauf\w*|kauf\w*|zahl\w*|günstiger|rabatt|verkoop\w*|koop\w*|betaal\w*|goedkoper|korting|minder|vend\w*|achet\w*|pai\w*|r[eé]gl\w*|moins|remise|compr\w*|pag\w*|barat\w*|descuento|menos|sconto|economico|desconto|sprzeda\w*|kup\w*|płac\w*|zapłac\w*|taniej|продам|продаж\w*|куп\w*|плат\w*|оплат\w*|дешевле|скидк\w*|sat\w*|öde\w*|ucuz|indirim|euros?|eur|dollars?|zł|руб\w*|lira|money|geld|argent|dinero|soldi|dinheiro|деньг\w*|settle\w*|regeln|regelen|arranger|arreglamos|rozlicz\w*|рассчита\w*|combinamos|acertamos|accord\w*|d'accordo|acuerdo|akkoord|einig\w*|dogada\w*|договор\w*|anlaş\w*|abwick\w*|afhandel\w*|załatw\w*|halled\w*|resolv\w*|fechar|trattativa|both\s+of\s+us|for\s+us\s+both|uns\s+beide|ons\s+allebei|nous\s+deux|los\s+dos|n[óo]s\s+dois|os\s+dois|nas\s+obu|обоим|ikimiz\w*|conviene|ganhando|kârlı|tratar|tratamos|вы\s+мне,?\s+я\s+вам|you\s+pay\s+me,?\s+i\s+give\s+you)\b|[$€£₽₺]|値引き|お安く|安く|お得|取引|お譲り|أبيع|بيع|أقل|ادفع|أدفع";

/// Paying through the platform: "I'll only pay through checkout", "alles
/// via de site", "tudo pelo app". A message saying so, with no cue that the
/// deal leaves, names a method without proposing it.
const ON_PLATFORM: &str = r"(?i)\b(?:only|just|solely|exclusively|ausschließlich|uitsluitend|exclusivement|exclusivamente|esclusivamente|wyłącznie|исключительно|yalnızca|everything|nur|alles|alleen|gewoon|uniquement|seulement|tout|solo|solamente|s[óo]lo|todo|tutto|s[óo]|apenas|tudo|tylko|wszystko|только|sadece|hep)\b[^.!?\n]{0,25}\b(?:through|via|over|on|über|auf|par|sur|por|pela|pelo|per|tramite|przez|na|через|üzerinden|qui|here|hier|aqui|aquí|acá|ici|tutaj|здесь|platform\w*)\b|\b(?:checkout|kasse|kasie|caisse|cassa|botón\s+de\s+compra|bouton\s+d'achat|knop\s+op|w\s+serwisie|na\s+stronie|przy\s+zamówieniu|bei\s+der\s+bestellung|im\s+shop|in\s+de\s+app|no\s+checkout|al\s+pedir|in\s+the\s+app|in-app|at\s+checkout|в\s+приложении\s+(?:маркетплейса|площадки|сайта)|на\s+странице\s+(?:оформления|заказа)|при\s+оформлении|dentro\s+da\s+(?:app|aplica[çc][ãa]o)|na\s+aplica[çc][ãa]o|uygulama\s+içinde|nell'app|dans\s+l'appli\w*)\b|アプリ内|サイト内|إلا\s+عن\s+طريق|إلا\s+من\s+خلال";

/// Keeping the deal from the site: it "needn't know", the money need not go
/// "through the site", or what the site takes is kept between the two.
const SIDESTEP: &str = r"(?i)\b(?:site|seite|website|web|platform\w*|plattform|plataforma|piattaforma|sito|strona|stron[ęy]|portal\w*|сайт\w*|площадк\w*)\b[^.!?\n]{0,30}\b(?:needn'?t\s+know|doesn'?t\s+need\s+to\s+know|muss\s+(?:davon\s+)?(?:ja\s+)?nichts\s+wissen|знать\s+не\s+обязательно|prend|takes|fica\s+com|se\s+queda|behält|houdt|bierze|забирает)\b|\b(?:not?|nicht|niet|nie|не|gar\s+nicht|wouldn'?t\s+need\s+to\s+put\s+it)\s+(?:\w+\s+){0,3}(?:through|über|via|przez|через)\s+(?:the\s+|die\s+|de\s+)?(?:site|seite|website|platform\w*|plattform|stron\w*|portal\w*|сайт\w*)\b|\bgeçirmeye\s+(?:hiç\s+)?gerek|サイトに取られる|بياخذه\s+الموقع";

/// The message warns against off-platform payment or turns it down.
const REFUSED: &str = r"(?i)\b(?:никаких\s+перевод\w*|no\s+(?:bank\s+)?transfers|keine\s+überweisung\w*|geen\s+overboeking\w*|aucun\s+virement|ninguna\s+transferencia|nessun\s+bonifico|nenhuma\s+transfer[êe]ncia|żadnych\s+przelewów|hiçbir\s+havale|senza\s+uscire\s+dalla\s+piattaforma|without\s+leaving\s+the\s+(?:platform|site|app)|sin\s+salir\s+de\s+la|sans\s+quitter\s+la|sem\s+sair\s+d[ao]|ohne\s+die\s+plattform\s+zu\s+verlassen|nie\s+wychodząc|не\s+выходя|platformdan\s+çıkmadan|burla\w*|nobody\s+will\s+ask|no\s+one\s+will\s+ask|niemand\s+wird|personne\s+ne\s+vous|nadie\s+te\s+va|nessuno\s+ti|ningu[ée]m\s+(?:\w+\s+){0,4}vai\s+pedir|nikt\s+(?:\w+\s+)?nie\s+będzie|никто\s+не\s+будет|kimse\s+(?:\w+\s+)?istemez|якобы|ничего\s+не\s+дал\w*|didn'?t\s+give|ignored\s+it|nichts\s+gegeben|n'ai\s+rien\s+donn[ée]|no\s+le\s+di\s+nada|non\s+ho\s+dato|n[ãa]o\s+dei\s+nada|nic\s+nie\s+da\w*|hiçbir\s+şey\s+vermedim|never|i\s+said\s+no|refus\w*|declin\w*|report\w*|scam\w*|fraud\w*|beware|warning|nie\s+dałem|nigdy|niemals|nooit|jamais|nunca|mai|никогда|asla|weiger\w*|verweiger\w*|recus\w*|rifiut\w*|odmówi\w*|отказ\w*|reddet\w*|denunci\w*|melde\s+(?:das|es|ihn|euch)|bitte\s+melden|nachrichten\s+melden|gemeldet|signale[rz]|segnal\w*|zgłoś\w*|zgłosi\w*|bildir\w*|arnaque\w*|estafa\w*|truffa\w*|golpe\w*|oszu\w*|betrug\w*|oplicht\w*|мошенн\w*|dolandır\w*|attention|attenzione|aten[çc][ãa]o|cuidado|uwaga|vorsicht|achtung|let\s+op|осторожн\w*|dikkat|mach\s+ich\s+nicht|heb\s+ik\s+niet|non\s+accetto|no\s+(?:lo\s+)?acepto|não\s+aceito|doet\s+het\s+(?:bij\s+mij\s+)?(?:toch\s+)?niet|warn\w*|waarschuw\w*|ostrzega\w*|предупрежда\w*|uyar\w*|aviso|avviso|no\s+hagas|no\s+pagues|don'?t\s+pay|do\s+not\s+pay|nicht\s+(?:zahlen|überweisen)|ne\s+payez|non\s+pagate|n[ãa]o\s+pague|nie\s+płać|не\s+платите|не\s+переводите|yapmayın|(?:verlangen|fordern|fragen|bitten|wollen)\s+(?:\w+\s+){0,2}nie|wir\s+(?:\w+\s+)?nie\s+(?:nach|um))\b|(?:^|[^\p{L}])لا\s+\S+\s+ولا(?:$|[^\p{L}])|ご注意|詐欺|一切|決して|(?:^|[^\p{L}])لن(?:$|[^\p{L}])|أبدا|أبداً|احتيال|نصب|تنبيه|انتبه|ما\s+نقبل|لا\s+نقبل|(?:^|[^\p{L}])(?:ما|لا)\s+[أا]قبل|お受けして(?:おりません|いません)|受け付けて(?:おりません|いません)|お断り|\b(?:i\s+(?:don'?t|do\s+not|won'?t)\s+(?:accept|take|do)|no\s+thanks|mache\s+ich\s+(?:\w+\s+){0,2}nicht|akzeptiere\s+ich\s+(?:\w+\s+)?nicht|non\s+merci|pas\s+de\s+[^.!?\n]{0,25}\bni\b|n'accepte|accepte\s+pas|no\s+(?:acepto|hago)|non\s+(?:li\s+|le\s+|lo\s+|la\s+)?(?:accetto|faccio)|n[ãa]o\s+(?:aceito|fa[çc]o|trabalho\s+com)|nie\s+przyjmuj\w*|nie\s+(?:robię|akceptuj\w*)|не\s+(?:принима\w*|работаю)|kabul\s+etmiyorum|yapmıyorum|accepteer\s+ik\s+(?:\w+\s+)?niet|doe\s+ik\s+niet)\b|\b(?:(?:le\s+)?dije\s+que\s+no|ho\s+detto\s+(?:di\s+)?no|j'ai\s+dit\s+non|(?:habe|hab)\s+(?:\w+\s+)?nein\s+gesagt|heb\s+(?:\w+\s+)?nee\s+gezegd|disse\s+(?:que\s+)?n[ãa]o|powiedzia\w+\s+(?:\w+\s+)?nie|nie\s+zrobi\w+\s+tego|сказал\w*\s+нет|hayır\s+dedim|i\s+didn'?t\s+do\s+it|no\s+lo\s+hice|non\s+l'ho\s+fatto|je\s+ne\s+l'ai\s+pas\s+fait|n[ãa]o\s+o\s+fiz|(?:habe|hab)\s+(?:es|das)\s+nicht\s+gemacht|heb\s+het\s+niet\s+gedaan|не\s+стал\w*|yapmadım)\b|رفضت|断りました|\b(?:no\s+need\s+to|(?:you\s+)?(?:don'?t|do\s+not)\s+(?:need|have)\s+to|n[ãa]o\s+(?:precisa|tem)\s+de|n[ãa]o\s+[ée]\s+preciso|no\s+(?:hace\s+falta|tienes\s+que|necesitas)|pas\s+besoin\s+de|(?:vous\s+)?n'avez\s+pas\s+[àa]|non\s+(?:serve|c'[èe]\s+bisogno\s+di|devi|deve)|nicht\s+nötig|(?:müssen|brauchen)\s+(?:sie|du)\s+nicht|hoef\w*\s+(?:je|u)?\s*niet|nie\s+(?:trzeba|musisz|musi)|не\s+нужно|не\s+надо|gerek\s+yok)\s+(?:\w+\s+){0,2}(?:pay\w*|pagar|payer|pagare|zahlen|bezahlen|betalen|płacić|zapłacić|платить|оплачивать|ödeme\w*)\s+(?:\w+\s+){0,3}(?:fora|outside|elsewhere|off|en\s+dehors|ailleurs|fuera|fuori|altrove|außerhalb|woanders|buiten|ergens\s+anders|poza|вне|dışında)\b";

/// An offer turned down politely, or with regret: "thanks for the idea,
/// but no", "niestety nie". With the platform's way named, a refusal.
const DECLINE: &str = r"(?i)\b(?:niestety\s+nie|unfortunately\s+(?:not|no)|leider\s+(?:nicht|nein|nee)|helaas\s+(?:niet|nee)|malheureusement\s+(?:non|pas)|lamentablemente\s+no|por\s+desgracia\s+no|purtroppo\s+no|infelizmente\s+n[ãa]o|к\s+сожалению,?\s+нет|maalesef\s+(?:hayır|olmaz|olmuyor)|(?:thanks|thank\s+you|danke|bedankt|merci|gracias|grazie|obrigad[oa]|dzięki|dziękuję|спасибо|teşekkür\w*)\b[^.!?\n]{0,30}?\b(?:but|aber|maar|mais|pero|ma|mas|ale|но|ama)\s+(?:no|not|nein|nee|non|n[ãa]o|nie|нет|hayır))\b|残念ながら|للأسف\s+لا|شكرا\S*\s+(?:\S+\s+){0,3}بس\s+لا";

/// A crypto wallet: an Ethereum address, a Bitcoin bech32 or base58 one, a TRON one.
const WALLET: &str = r"\b(?:0x[0-9a-fA-F]{40}|bc1[ac-hj-np-z02-9]{25,62}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33})\b";
/// UK bank details ("sort code 20-45-77, account 43817265"), a Mexican
/// CLABE, a PIX random key, a Japanese or Nigerian account number after its bank.
const ACCOUNT: &str = r"(?i)\bchave\s+(?:aleat[óo]ria|pix|e-?mail|celular)\b[^\n]{0,20}\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\$[A-Za-z][A-Za-z0-9_]{2,19}\b|\bsort\s+code\b[^.!?]{0,40}\d{8}\b|\b(?:clabe|spei)\b[^.!?\n]{0,40}\b\d{18}\b|\bpix\b[^\n]{0,40}\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|(?:普通|当座|記号)\s*\d{4,8}|\b(?:gtbank|access\s+bank|zenith|first\s+bank|uba|opay|palmpay|kuda|moniepoint|cuentarut|cuenta\s+rut|cuenta\s+vista)\b[^.!?\n]{0,20}\d[\d.\-]{6,}";

/// The platform's fee named, with a way around it ("a way round the 12% fee",
/// "au même prix moins les frais du site", "переплачивать площадке").
const SITE_FEE: &str = r"(?i)\b(?:fees?|gebühr\w*|frais|comisi[oó]n\w*|commission\w*|commissioni|taxas?|prowizj\w*|комисси\w*|komisyon\w*|servicekosten|percentagem|porcentaje|percentuale|pourcentage|procent\w*|процент\w*|yüzde\w*|переплачива\w*)\b[^.!?\n]{0,30}\b(?:site|platform\w*|plattform|app|sito|sitio|plataforma|serwis\w*|площадк\w*|daqui)\b|\b(?:site|platform\w*|plattform|app|sito|sitio|plataforma|serwis\w*|площадк\w*)\b[^.!?\n]{0,30}\b(?:fees?|gebühr\w*|frais|comisi[oó]n\w*|commission\w*|commissioni|taxas?|prowizj\w*|комисси\w*|komisyon\w*)\b|\bway\s+(?:round|around)\s+the\s+(?:\d+\s?%\s+)?fee";
/// A way around it.
const AROUND: &str = r"(?i)\b(?:way\s+(?:round|around)|rather\s+not|between\s+ourselves|better\s+solution|bessere\s+lösung|moins|minus|sans|without|ohne|sin|senza|sem|bez|без|avoid|skip|save|scheelt|вариант\w*|попроще|alternativ\w*|open\s+to\s+it|just\s+say|evit\w*|éviter|ahorr\w*|risparmi\w*|economiz\w*)\b";

/// Paying by hand instead: at the door, on pickup, in person.
const IN_PERSON: &str = r"(?i)\b(?:at\s+the\s+door|in\s+person|on\s+pickup|when\s+i\s+(?:come|bring)|bij\s+de\s+deur|brengen|aan\s+huis|an\s+der\s+tür|bei\s+(?:der\s+)?abholung|persönlich|vorbeibringen|à\s+la\s+porte|en\s+main\s+propre|sur\s+place|en\s+mano|en\s+persona|al\s+recoger|a\s+mano|di\s+persona|al\s+ritiro|em\s+m[ãa]o|pessoalmente|na\s+entrega|przy\s+odbiorze|osobiście|на\s+месте|при\s+встрече|привезу|лично|kapıda|elden|teslimde|ter\s+plekke|bij\s+(?:het\s+)?ophalen|na\s+miejscu|em\s+m[ãa]os|(?:na\s+hora\s+)?que\s+(?:voc[êe]\s+)?vier\s+buscar|quando\s+(?:voc[êe]\s+)?(?:vier|for)\s+buscar|when\s+you\s+(?:come|collect|pick)|on\s+collection|lors\s+du\s+retrait|quand\s+vous\s+(?:viendrez|passerez)|cuando\s+vengas|quando\s+passi|gelince|(?:come|pop|drop)\s+(?:by|in|into|to)\s+(?:the|my|our)\s+(?:shop|store))\b|手渡し|受け取りの際|お受け取りの際|عند\s+الاستلام|وقت\s+الاستلام|تعال\s+المحل|في\s+المحل|يد\s+بيد";

pub(crate) struct Offsite {
    /// Every trigger of the rules below at once: a message it misses (most)
    /// runs none of them.
    any: Rule,
    p2p: Rule,
    gift: Rule,
    gift_payment: Rule,
    method: Rule,
    money: Rule,
    cancel: Rule,
    away: Rule,
    sidestep: Rule,
    direct: Rule,
    cheaper: Rule,
    avoid_fees: Rule,
    fees_unpaid: Rule,
    /// PayPal's personal payments, named in any language.
    paypal_friends: Rule,
    deal: Rule,
    on_platform: Rule,
    refused: Rule,
    decline: Rule,
    wallet: Rule,
    account: Rule,
    /// Paid by hand: at the door, on pickup, in person.
    in_person: Rule,
    site_fee: Rule,
    around: Rule,
    skip_checkout: Rule,
    settle_there: Rule,
    settle_by_hand: Rule,
    fee_dodge: Rule,
    complicit: Rule,
    direct_deal: Rule,
    stop_here: Rule,
    listing_off: Rule,
    old_way: Rule,
    no_checkout: Rule,
    broken_checkout: Rule,
    account_word: Rule,
    transfer: Rule,
    order_skipped: Rule,
    agreed: Rule,
}

impl Offsite {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        Ok(Self {
            any: Rule::any_of([
                SITE_FEE,
                P2P,
                GIFT,
                METHOD,
                CANCEL,
                AWAY,
                SIDESTEP,
                DIRECT,
                AVOID_FEES,
                WALLET,
                ACCOUNT,
                SKIP_CHECKOUT,
                SETTLE_THERE,
                // DIRECT_DEAL needs a word of DIRECT, STOP_HERE a method, a
                // gift card or an app: the union stays within the size limit.
                FEE_DODGE,
                r"(?i)pay\s?pal",
            ])?,
            p2p: super::regex(P2P)?,
            gift: super::regex(GIFT)?,
            gift_payment: super::regex(GIFT_PAYMENT)?,
            method: super::regex(METHOD)?,
            money: super::regex(MONEY)?,
            cancel: super::regex(CANCEL)?,
            away: super::regex(AWAY)?,
            sidestep: super::regex(SIDESTEP)?,
            direct: super::regex(DIRECT)?,
            cheaper: super::regex(CHEAPER)?,
            avoid_fees: super::regex(AVOID_FEES)?,
            fees_unpaid: super::regex(FEES_UNPAID)?,
            paypal_friends: super::regex(
                r"(?i)\bpay\s?pal\b[^\n]{0,80}\b(?:friends?|freunde?|familie|vrienden|amis|amigos|amici|znajomi|знакомы\w*|друз\w*|arkadaş\w*|family|famil\w*|bekannte\w*|kennissen|conocidos|connaissances|conoscenti|conhecidos|tanıdık\w*)\b|\b(?:as\s+a\s+gift|friends\s+(?:and|&)\s+family|als\s+geschenk|an\s+freunde|als\s+cadeau|en\s+cadeau|como\s+regalo|come\s+regalo|como\s+presente|jako\s+prezent|как\s+подарок|hediye\s+olarak)\b[^\n]{0,20}\bpay\s?pal\b",
            )?,
            deal: super::regex(DEAL)?,
            on_platform: super::regex(ON_PLATFORM)?,
            refused: super::regex(REFUSED)?,
            decline: super::regex(DECLINE)?,
            wallet: super::regex(WALLET)?,
            account: super::regex(ACCOUNT)?,
            in_person: super::regex(IN_PERSON)?,
            site_fee: super::regex(SITE_FEE)?,
            around: super::regex(AROUND)?,
            skip_checkout: super::regex(SKIP_CHECKOUT)?,
            settle_there: super::regex(SETTLE_THERE)?,
            settle_by_hand: super::regex(SETTLE_BY_HAND)?,
            fee_dodge: super::regex(FEE_DODGE)?,
            complicit: super::regex(COMPLICIT)?,
            direct_deal: super::regex(DIRECT_DEAL)?,
            stop_here: super::regex(STOP_HERE)?,
            listing_off: super::regex(LISTING_OFF)?,
            old_way: super::regex(OLD_WAY)?,
            no_checkout: super::regex(NO_CHECKOUT)?,
            broken_checkout: super::regex(&format!(
                r"(?i)\b(?:{CHECKOUT_WORD})\b[^.!?\n]{{0,30}}\b(?:{BROKEN})\b|決済画面(?:が|は)?(?:エラー|使えな|不具合)"
            ))?,
            account_word: super::regex(ACCOUNT_WORD)?,
            transfer: super::regex(TRANSFER)?,
            order_skipped: super::regex(ORDER_SKIPPED)?,
            agreed: super::regex(AGREED)?,
        })
    }

    /// Whether the message warns against off-platform payment or turns it down:
    /// then its phrase rules say nothing.
    pub(crate) fn refused(&self, text: &str) -> bool {
        (self.refused.is_match(text) || self.declined(text)) && !self.stop_here.is_match(text)
    }

    /// "Can I pay by Bizum? — Thanks, but no: only through the platform":
    /// turned down with the platform named, and no app offered after it
    /// outside quoted lines (the other party's words).
    fn declined(&self, text: &str) -> bool {
        let Some(no) = self.decline.find(text) else {
            return false;
        };
        self.on_platform.is_match(text)
            && !text[no.end()..]
                .lines()
                .filter(|l| !l.trim_start().starts_with('>'))
                .any(|l| self.p2p.is_match(l))
    }

    /// Whether any rule here can fire on `text`; `false` is certain.
    pub(crate) fn may_match(&self, text: &str) -> bool {
        // The listing taken down, the checkout said to be unneeded, the old
        // way and money settled by hand are checked beside the union, which they would take over its size limit.
        self.any.is_match(text)
            || self.complicit.is_match(text)
            || self.listing_off.is_match(text)
            || self.no_checkout.is_match(text)
            || self.old_way.is_match(text)
            || self.settle_by_hand.is_match(text)
            || self.order_skipped.is_match(text)
    }

    pub(crate) fn detect(&self, scan: &Scan<'_>, refused: bool, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        let mut hit = |start: usize, end: usize, rule: &str| {
            hits.extend(scan.hit_normalized(FindingKind::OffsitePayment, start, end, rule));
        };
        for m in self.wallet.find_iter(text) {
            // A base58 run is a wallet only next to a crypto name; 0x, bc1 and T… are wallets.
            let base58 = m.as_str().starts_with(['1', '3']);
            if !base58 || self.p2p.is_match(text) {
                hit(m.start(), m.end(), "payment.crypto_wallet");
            }
        }
        for m in self.account.find_iter(text) {
            hit(m.start(), m.end(), "payment.account_details");
        }
        if refused {
            return;
        }
        let cancel = self.cancel.find(text);
        let away = self.away.find(text).or_else(|| self.old_way.find(text));
        let direct = self.direct.find(text);
        // "The checkout is failing today, pay me by …": the checkout named
        // is no payment on the platform, and the failure is the reason to
        // pay elsewhere.
        let broken = self.broken_checkout.find(text);
        let on_platform = broken.is_none() && self.on_platform.is_match(text);
        let cue = cancel.or(away).or(direct).or(broken);
        // "@crypto_joost" is a name, not a payment method.
        let p2p = self
            .p2p
            .find_iter(text)
            .find(|m| !text[..m.start()].ends_with('@'));
        if let Some(m) = p2p
            && (cue.is_some() || !on_platform)
        {
            hit(m.start(), m.end(), "payment.offsite_method");
        }
        if let Some(m) = self.gift.find(text)
            && self.gift_payment.is_match(text)
        {
            hit(m.start(), m.end(), "payment.gift_card");
        }
        if let Some(c) = cue
            && let Some(m) = self.method.find(text)
        {
            hit(
                m.start().min(c.start()),
                m.end().max(c.end()),
                "payment.method_offsite",
            );
        }
        if let Some(a) = away
            && (self.money.is_match(text) || self.deal.is_match(text))
        {
            hit(a.start(), a.end(), "payment.deal_offsite");
        }
        if let Some(a) = away
            && direct.is_some()
        {
            hit(a.start(), a.end(), "payment.deal_offsite");
        }
        if let Some(m) = self
            .avoid_fees
            .find(text)
            .or_else(|| self.fees_unpaid.find(text))
            && !on_platform
        {
            hit(m.start(), m.end(), "payment.avoid_fees");
        }
        if let Some(m) = self.paypal_friends.find(text) {
            hit(m.start(), m.end(), "payment.paypal_personal");
        }
        if let Some(f) = self.site_fee.find(text)
            && self.around.is_match(text)
        {
            hit(f.start(), f.end(), "payment.around_site_fee");
        }
        if let Some(m) = self.sidestep.find(text)
            && (self.money.is_match(text)
                || self.deal.is_match(text)
                || self.in_person.is_match(text))
        {
            hit(m.start(), m.end(), "payment.sidestep_site");
        }
        if let Some(a) = away
            && self.in_person.is_match(text)
        {
            hit(a.start(), a.end(), "payment.deal_offsite");
        }
        if let Some(c) = cancel
            && self.in_person.is_match(text)
            && (self.money.is_match(text) || self.method.is_match(text))
        {
            hit(c.start(), c.end(), "payment.cancel_and_pay_in_person");
        }
        // The checkout or the middleman left out, with a deal or a payment
        // by hand in the message.
        if let Some(m) = self.skip_checkout.find(text)
            && (self.deal.is_match(text)
                || self.money.is_match(text)
                || self.in_person.is_match(text)
                || self.cheaper.is_match(text)
                || direct.is_some())
        {
            hit(m.start(), m.end(), "payment.skip_checkout");
        }
        if let Some(m) = self.fee_dodge.find(text) {
            hit(m.start(), m.end(), "payment.fee_dodge");
        }
        if let Some(m) = self
            .settle_there
            .find(text)
            .or_else(|| self.settle_by_hand.find(text))
        {
            hit(m.start(), m.end(), "payment.settle_in_person");
        }
        if let Some(c) = cancel
            && (direct.is_some() || self.cheaper.is_match(text))
        {
            hit(c.start(), c.end(), "payment.cancel_and_deal");
        }
        // "Je n'accepte plus les paiements ici … je prends les coupons".
        if let Some(m) = self.stop_here.find(text)
            && (self.method.is_match(text) || self.gift.is_match(text) || self.p2p.is_match(text))
        {
            hit(m.start(), m.end(), "payment.not_here");
        }
        // "Buy directly and it is cheaper", "en direct … le prix d'ami".
        if let Some(m) = self.direct_deal.find(text)
            && self.cheaper.is_match(text)
            && !on_platform
        {
            hit(m.start(), m.end(), "payment.direct_cheaper");
        }
        let by_hand = || {
            self.in_person.is_match(text)
                || self.settle_there.is_match(text)
                || self.settle_by_hand.is_match(text)
        };
        // "Pay cash when you collect and take the ad down", "ilanı buradan
        // kaldırırsınız": the listing leaves the site, the sale does not.
        // "Bring what we agreed, I'll take the ad down": the sum agreed
        // counts as a payment by hand.
        if let Some(m) = self.listing_off.find(text)
            && (by_hand()
                || self.method.is_match(text)
                || self.cheaper.is_match(text)
                || self.agreed.is_match(text))
        {
            hit(m.start(), m.end(), "payment.listing_off");
        }
        // "Lo arreglamos en mano y te ahorras darle a comprar aquí".
        if let Some(m) = self.no_checkout.find(text)
            && (by_hand() || self.agreed.is_match(text) || self.method.is_match(text))
        {
            hit(m.start(), m.end(), "payment.no_checkout");
        }
        // "No need for the order here if you come by: bring what we agreed."
        if let Some(m) = self.order_skipped.find(text)
            && (by_hand() || self.agreed.is_match(text) || self.method.is_match(text))
        {
            hit(m.start(), m.end(), "payment.order_skipped");
        }
        // An account to be paid by transfer, with the payment or a lower
        // price in the same sentence.
        let mut at = 0;
        for s in sentences(text) {
            if let Some(m) = self.account_word.find(s)
                && self.transfer.is_match(s)
                && (self.money.is_match(s) || self.cheaper.is_match(s))
                && !on_platform
            {
                hit(at + m.start(), at + m.end(), "payment.to_account");
            }
            at += s.len();
        }
        // "Un prezzo migliore, non passando da qui… ci siamo capiti 😉".
        if let Some(m) = self.complicit.find(text)
            && (self.cheaper.is_match(text) || direct.is_some() || away.is_some())
        {
            hit(m.start(), m.end(), "payment.knowing_deal");
        }
    }
}

/// The sentences of `text`, cut after a full stop, question or exclamation
/// mark or a line feed (the stops of the phrase rules).
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['.', '!', '?', '\n', '。', '！', '？', '؟'])
}
