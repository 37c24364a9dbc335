//! Review manipulation told by structure in every supported language: a
//! review named together with asking to change or remove it ("take down that
//! one-star", "could you reconsider what you posted"), with something offered
//! (a refund, a voucher, "a little something"), with top marks asked for
//! ("five stars would help us"), or with a wink ("the star thing, you know
//! 😉"). Telling that one changed a review on one's own, or thanking for
//! one, passes.

use super::Rule;

use super::{Hit, Scan};
use crate::policy::decision::FindingKind;

/// A review, rating, or what the reader wrote about the seller.
const REVIEW: &str = r"(?i)\b(?:rate\s+(?:us|me|the\s+order|your\s+order|it)|bewerten|avaliar|noter|valutare|beoordelen|oceni[ćc]|оценить|stellin\w*|estrelinhas?|\w*sterrenreview\w*|giudizi\w*|aquilo\s+que\s+escreveu|what\s+you\s+wrote|puan\w*|reviews?|ratings?|feedback|stars?|one[-\s]star|comments?|what\s+you\s+(?:wrote|posted|said)|bewertung\w*|rezension\w*|sterne?n?|kommentar\w*|was\s+sie\s+geschrieben|beoordeling\w*|recensie\w*|sterren|ster|wat\s+je\s+geschreven|avis|commentaire\w*|[ée]valuation\w*|note|[ée]toiles?|ce\s+que\s+vous\s+avez\s+[ée]crit|rese[ñn]\w*|valoraci\w*|opini[oó]n\w*|comentario\w*|estrellas?|calificaci\w*|lo\s+que\s+(?:escribiste|publicaste|dejaste)|recension\w*|valutazion\w*|voto|stelle|stella|commento\w*|quello\s+che\s+ha(?:i)?\s+scritto|opmerking\w*|avalia[çc][ãa]o\w*|avaliações|nota|estrelas?|coment[aá]rio\w*|classifica[çc][ãa]o|o\s+que\s+escreveu|opini\w*|ocen\w*|recenzj\w*|gwiazd\w*|komentarz\w*|co\s+pan\w*\s+napisał\w*|отзыв\w*|оценк\w*|звёзд\w*|звезд\w*|единичк\w*|то,?\s+что\s+написали|yorum\w*|puan\w*|değerlendirme\w*|yıldız\w*|yazdıklarınız\w*)\b|評価|レビュー|星|コメント|التقييم|تقييم\w*|نجوم|النجوم|بالنجوم|التعليق|اللي\s+كتبته|★|⭐|🌟|☆|\brece\b|النجمة|نجمة|ご投稿|投稿いただいた内容|書き込み|お声|ご感想|\b(?:tell\w*\s+the\s+world|share\w*\s+(?:your|their)\s+(?:experience|love)|compartilh\w*\s+a\s+experi[êe]ncia|compart\w*\s+su\s+experiencia|cu[ée]ntalo|erzählen\s+sie|ein\s+paar\s+worte|enthousiasme\s+met\s+anderen|racconta\w*\s+(?:in\s+giro|a\s+tutti)|(?:un\s+)?petit\s+mot|kilka\s+(?:\w+\s+)?słów|поделит\w*\s+впечатлени\w*|deneyimini|paylaşan\w*)\b|يشارك\s+تجربت\w*|\b(?:wat\s+(?:je|u)\s+(?:\w+\s+)?geschreven|was\s+(?:sie|du)\s+(?:\w+\s+)?geschrieben|n?[ao]\s+que\s+(?:voc[êe]\s+)?(?:escreveu|publicou|postou|comentou|deixou|deixaste)|what\s+you\s+left|ce\s+que\s+vous\s+avez\s+laiss[ée]|quello\s+che\s+ha(?:i)?\s+lasciato|wat\s+(?:je|u)\s+(?:\w+\s+){0,3}achterliet|co\s+pan\w*\s+(?:\w+\s+)?zostawił\w*|то,?\s+что\s+(?:вы\s+)?оставили|bıraktığınız|naquilo\s+que\s+(?:escreveu|publicou|postou)|lo\s+que\s+(?:\w+\s+)?(?:escribiste|publicaste|escribi[óo]|public[óo]|puso|pusiste|dej[óo]|dejaste)|ce\s+que\s+vous\s+avez\s+(?:publi[ée]|post[ée])|quello\s+che\s+ha(?:i)?\s+pubblicato|то,?\s+что\s+(?:вы\s+)?(?:написали|опубликовали)|what\s+you\s+put|what\s+you\s+(?:\w+\s+){1,3}(?:wrote|posted)|wat\s+(?:je|u)\s+(?:\w+\s+){0,5}schreef|was\s+(?:sie|du)\s+(?:\w+\s+){2,4}geschrieben|ce\s+que\s+(?:vous\s+avez|tu\s+as)\s+(?:\w+\s+)?(?:[ée]crit|publi[ée]|post[ée])|quello\s+che\s+ha(?:i)?\s+(?:\w+\s+)?(?:scritto|pubblicato)|co\s+pan\w*\s+(?:\w+\s+)?(?:napisał\w*|opublikował\w*)|co\s+(?:napisałeś|napisałaś)|yazdıkların\w*)\b|اللي\s+كتبت\S*|تعليق\S*|お言葉|いただいたお声";
/// Asking to change, remove or reconsider it.
const CHANGE: &str = r"(?i)\b(?:disappear\w*|verschwind\w*|verdwijn\w*|dispara\w*|sparire|sparisc\w*|sumir|desaparec\w*|znikn\w*|исчез\w*|kaybol\w*|repens\w*|spiegel\w*|yansı\w*|видно|reflect\w*|refl[eé]t\w*|refletir|reflita|refletiss\w*|rispecchiass\w*|aansluit\w*|aansluiten|обнов\w*|güncelle\w*|aktualisier\w*|actualiz\w*|aggiorn\w*|atualiz\w*|bijwerk\w*|zaktualizuj\w*|ter\s+em\s+conta|tivesse\s+em\s+conta|tenha\s+em\s+conta|weergeeft|weergeven|odzwierciedl\w*|отража\w*|acorde|tenga\s+conto|tener\s+en\s+cuenta|tenir\s+compte|berücksichtig\w*|rekening\s+mee|bekijken|spojrze[ćc]|raccontare|mostrar|could\s+go|go\s+away|iets\s+aan\s+doen|changes?\s+your\s+mind|nog\s+eens|jeszcze\s+raz|once\s+more|de\s+nouveau|otra\s+vez|di\s+nuovo|de\s+novo|tekrar|remov\w*|delet\w*|take\s+(?:it\s+|that\s+)?down|chang\w*|updat\w*|edit\w*|revis\w*|reconsider\w*|rethink|look\s+again|another\s+look|soften|rais\w*|bump|fix|correct\w*|adjust\w*|withdraw\w*|retract\w*|lösch\w*|loesch\w*|änder\w*|entfern\w*|überdenk\w*|anpass\w*|zurückzieh\w*|verwijder\w*|aanpass\w*|wijzig\w*|kijken\s+naar|supprim\w*|retir(?:er|ez|e|ar|a|ó|asse|em|es)|modifi\w*|revoir|relire|mettre\s+à\s+jour|remonter|borr\w*|elimin\w*|quit\w*|cambi\w*|otro\s+vistazo|sube|subir|rimuov\w*|togli\w*|tolga|cancell\w*|rivedere|sistemar\w*|sistem[ai]\s+(?:la|il|quel\w*|questa|questo)\s+(?:recension|comment|valutazion|vot)\w*|portare|un'altra\s+occhiata|tira\w*|muda\w*|alter\w*|reconsiderar|rever|outra\s+vista|mais\s+uma\s+olhada|usu[nńw]\w*|zmie\w*|popraw\w*|przemyśl\w*|wycof\w*|удал\w*|измен\w*|убер\w*|убрат\w*|поправ\w*|пересмотр\w*|исправ\w*|kaldır\w*|değiştir\w*|düzelt\w*|gözden\s+geçir\w*|yumuşat\w*|sil\w*)\b|消して|取り消|削除|変更|和らげ|検討|تحذف|احذف|تغير|تعيد\s+النظر|تخففه|تعدل|見直|تتشال|تشيل|شيل|يعكس|تعكس|تراجع|\byansıt\w*|\b(?:anschau\w*|ansehen|tene\w*\s+conto|no\s+longer\s+(?:showing|visible|there)|niet\s+meer\s+zichtbaar|nicht\s+mehr\s+(?:sichtbar|zu\s+sehen)|plus\s+visible|ya\s+no\s+(?:se\s+ve|aparece)|più\s+visibile|n[ãa]o\s+aparec\w*|już\s+nie\s+widać|больше\s+не\s+видно|artık\s+görünm\w*|più\s+gentile|plus\s+doux|more\s+gentle|softer|milder|freundlicher|vriendelijker|más\s+suave|mais\s+suave|łagodniej\w*|мягче)\b|تمسح\w*|امسح|\b(?:(?:nehm|nimm)\w*\s+(?:\w+\s+){0,5}?(?:raus|heraus|zurück|weg)|(?:he)?raus\s*(?:nehm|nimm)\w*|weghal\w*|haal\s+(?:\w+\s+){0,3}weg|enlev\w*|take\s+(?:it\s+|that\s+|the\s+\w+\s+)?off|pens\w+\s+melhor|think\s+(?:it\s+)?over)\b|\b(?:refle[jx]\w*|rispecchi\w*|drüber\s*schau\w*|drauf\s*schau\w*|nochmal\s+(?:an)?schau\w*|repass\w*\s+sur|coup\s+d'(?:œ|oe)il|un'occhiata|d[aá]r?\s+uma\s+olhada|echar\s+un\s+vistazo|take\s+a\s+(?:quick\s+)?look|have\s+a\s+(?:quick\s+)?look|bij\s*past|oddawał\w*|oddaje|соответств\w*|uysa|uyması|match(?:es|ed)?\s+(?:how|what)|(?:fit|fits)\s+(?:how|what))\b|تعيد\S*\s+النظر|取り下げ|に合わせて(?:いただ|もら)|見て(?:いただけ|もらえ)";
/// The review left standing or unfair after what was done: with an
/// offer in the message, a push to change it.
const LINGER: &str = r"(?i)\b(?:vorschnell|any\s+chance|fair\w*|juste|justa|eerlijk|uczciw\w*|still|nog\s+steeds|nog\s+altijd|dalej|wciąż|nadal|так\s+и|до\s+сих\s+пор|hâlâ|ainda|todavía|toujours|ancora|wisi|висит|steht\s+(?:allerdings\s+)?noch|vorschnell|tekrar|again)\b|まだ|لسه|ما\s+زال";
/// A subject line, which names what the whole mail is about.
const SUBJECT: &str = r"(?im)^(?:subject|re|betreff|asunto|objet|oggetto|onderwerp|temat|assunto|тема|konu)\s*:[^\n]*|^(?:件名|الموضوع)\s*[:：][^\n]*";
/// A fresh look asked for, or the review wished to reflect all that was
/// done: said beside a review, a change asked without saying it ("quizá lo
/// vea con otros ojos", "que ela refletisse o serviço todo", "qu'il ne
/// reflète que le début"). "Our prices reflect the quality" is no wish.
const FRESH_LOOK: &str = r"(?i)\b(?:con\s+otros\s+ojos|with\s+(?:fresh|new|different|other)\s+eyes|mit\s+(?:anderen|neuen)\s+augen|met\s+(?:andere|nieuwe)\s+ogen|avec\s+d'autres\s+yeux|d'un\s+autre\s+(?:œil|oeil)|con\s+(?:altri\s+occhi|occhi\s+diversi)|com\s+outros\s+olhos|innym\s+okiem|innymi\s+oczami|другими\s+глазами|(?:farklı|başka)\s+(?:bir\s+)?gözle|refletiss\w*|reflita|rispecchiass\w*|rispecchi\w*\s+anche|reflejar[ae]|reflejase|reflej\w*\s+tambi[eé]n|ne\s+refl[eè]te\s+que|refl[eè]te\w*\s+(?:aussi|tout|l'ensemble)|(?:only|also)\s+reflects?|reflects?\s+(?:only|also|the\s+whole|everything)|reflected\s+(?:the\s+whole|everything|how)|widerspiegel\w*\s+(?:würde|auch)|auch\s+widerspiegel\w*|weerspiegel\w*\s+(?:ook|hoe)|odzwierciedla\w*\s+(?:też|także|całość)|отражал\w*\s+(?:бы|и)|yansıtsa\w*)\b|別の目で|反映して(?:いただけ|もらえ)|بعين\s+(?:ثانية|أخرى|مختلفة)|(?:يعكس|تعكس)\s+كل";
/// The review's story to be told to its end, or said to be out of date:
/// "the end of the story, not just the beginning", "a happy ending",
/// "things have changed a lot since", "passt das nicht mehr so ganz",
/// "lo ve de otra manera". Beside a review, or a place where one stands
/// (the shop's profile, the product page), a change asked without saying it.
const STORY: &str = r"(?i)\b(?:(?:the\s+)?(?:whole|full)\s+story|(?:the\s+)?(?:end|rest)\s+of\s+the\s+story|happy\s+end\w*|not\s+just\s+the\s+(?:beginning|start)|things\s+have\s+changed|(?:is\s+)?no\s+longer\s+(?:quite\s+)?(?:fits?|accurate|true|right|up\s+to\s+date)|see\s+it\s+differently|die\s+ganze\s+geschichte|(?:das\s+)?ende\s+der\s+geschichte|nicht\s+nur\s+(?:den|der)\s+anfang|(?:hat|haben)\s+sich\s+(?:\w+\s+){0,2}geändert|passt\s+(?:\w+\s+){0,3}nicht\s+mehr|nicht\s+mehr\s+(?:ganz\s+)?(?:aktuell|zutreffend)|anders\s+sehen|het\s+hele\s+verhaal|(?:het\s+)?einde\s+van\s+het\s+verhaal|niet\s+alleen\s+het\s+begin|(?:is|zijn)\s+(?:\w+\s+){0,2}veranderd|klopt\s+niet\s+meer|niet\s+meer\s+(?:klopt|actueel)|(?:la\s+)?fin\s+de\s+l'histoire|toute\s+l'histoire|l'histoire\s+en\s+entier|pas\s+(?:seulement|que)\s+le\s+d[ée]but|fin\s+heureuse|les\s+choses\s+ont\s+chang[ée]|ne\s+correspond\s+plus|le\s+voir\s+autrement|(?:el\s+)?final\s+de\s+la\s+historia|toda\s+la\s+historia|la\s+historia\s+completa|no\s+s[óo]lo\s+el\s+(?:principio|comienzo)|final\s+feliz|las\s+cosas\s+han\s+cambiado|ya\s+no\s+(?:se\s+)?(?:corresponde|encaja)|(?:lo\s+)?ve[ar]?\s+de\s+otra\s+(?:manera|forma)|(?:la\s+)?fine\s+della\s+storia|tutta\s+la\s+storia|com'[èe]\s+andata\s+a\s+finire|non\s+solo\s+l'inizio|lieto\s+fine|le\s+cose\s+sono\s+cambiate|non\s+corrisponde\s+pi[uù]|(?:a\s+)?hist[óo]ria\s+(?:toda|completa)|toda\s+a\s+hist[óo]ria|o\s+fim\s+da\s+hist[óo]ria|n[ãa]o\s+s[óo]\s+(?:o\s+in[íi]cio|o\s+come[çc]o|a\s+parte)|as\s+coisas\s+mudaram|j[áa]\s+n[ãa]o\s+corresponde|contar\s+como\s+(?:tudo\s+)?(?:foi|acabou|terminou)|ca[łl]\w*\s+histori\w*|koniec\s+historii|nie\s+tylko\s+(?:jej\s+)?pocz[ąa]tek|szczęśliwe\s+zakończenie|(?:wiele|sporo|dużo)\s+się\s+zmieniło|już\s+nie\s+pasuje|всю\s+историю|вся\s+история|конец\s+истории|чем\s+(?:вс[её]\s+)?закончилось|не\s+только\s+начало|сч[аa]стлив\w*\s+конец|(?:многое|вс[её])\s+изменилось|уже\s+не\s+соответствует|hikayenin\s+(?:tamamı\w*|sonu\w*)|tüm\s+hikaye\w*|sadece\s+(?:başını|başlangıcı\w*)\s+değil|mutlu\s+son\w*|(?:çok\s+şey|her\s+şey)\s+değişti|artık\s+(?:geçerli\s+değil|uymuyor))\b|その後の経緯|ハッピーエンド|状況が変わ|القصة\s+(?:كاملة|كلها)|نهاية\s+القصة|(?:مو|مش|ليس)\s+(?:بس|فقط)\s+البداية|نهاية\s+سعيدة|(?:تغيرت|اتغيرت)\s+الأمور|الأمور\s+(?:تغيرت|اتغيرت)";
/// Where a review stands: the shop's profile, the product page, online.
const PLACE: &str = r"(?i)\b(?:profile|profil\w*|profiel\w*|perfil|profilo|профил\w*|product\s+page|produktseite|productpagina|page\s+(?:du\s+)?produit|p[áa]gina\s+del?\s+produc?to|pagina\s+del\s+prodotto|stronie|странице|sayfa\w*|online|en\s+ligne|en\s+l[íi]nea|under\s+the\s+order|onder\s+de\s+bestelling|unter\s+der\s+bestellung)\b|プロフィール|商品ページ|الصفحة|البروفايل|صفحة\s+المتجر";

/// The matter said to be settled now, or how it ended: with a change
/// word beside a review, a change asked without a question ("now that
/// everything is sorted, maybe what you wrote could reflect it").
const RESOLVED: &str = r"(?i)\b(?:now\s+that\s+(?:it'?s|everything|all)|how\s+(?:it|things|everything)\s+(?:ended|turned\s+out|worked\s+out)|jetzt\s+(?:doch|wo)|noch\s+nicht\s+klar|nu\s+(?:alles|het)|hoe\s+het\s+(?:is\s+)?(?:afgelopen|geëindigd)|maintenant\s+que|comment\s+(?:ça|tout)\s+(?:s'est|a)\s+(?:termin|fini)\w*|c[óo]mo\s+acab[óo]|ahora\s+que|ora\s+che|com'[èe]\s+andata|come\s+[èe]\s+finita|agora\s+que|como\s+(?:tudo\s+)?terminou|skoro\s+wszystko|jak\s+(?:wszystko\s+)?się\s+skończyło|как\s+вс[её]\s+(?:в\s+итоге\s+)?(?:закончилось|решилось)|теперь,?\s+когда|nasıl\s+bitti\w*|artık\s+her\s+şey)\b|解決|このような形で|الحين\s+بعد\s+ما|بعد\s+ما\s+انحلت";

/// Thanks for an order or a purchase: not thanks for a review.
const THANKS_ORDER: &str = r"(?i)^\W{0,3}(?:\w+\W+){0,2}?(?:for\s+(?:your|the)\s+(?:order|purchase)|f[üu]r\s+(?:ihre|deine|die)\s+(?:bestellung|einkauf)|voor\s+(?:je|uw|de)\s+(?:bestelling|aankoop)|pour\s+(?:votre|ta)\s+(?:commande|achat)|por\s+(?:tu|su|la|o|a|seu|sua)\s+(?:pedido|compra|encomenda)|pela\s+(?:compra|encomenda)|pelo\s+pedido|per\s+(?:il\s+(?:tuo|suo)\s+)?(?:ordine|acquisto)|za\s+(?:zakup|zamówienie)|за\s+(?:заказ|покупку)|(?:siparişiniz|alışverişiniz)\w*)";
/// Something offered for it.
const INCENTIVE: &str = r"(?i)\b(?:voucher|cadeaubon|vale|bon\s+d'achat|gutschein|something\s+extra|little\s+something|thank-you|dankeschön|regalito|sorpresa|mimo|miminho|versandkosten|verzendkosten|koszty\s+wysyłki|portes|env[ií]o|rückzahlung|geld|pieniądz\w*|pieniądze|oddam|деньг\w*|money|soldi|dinheiro|dinero|argent|paranız\w*|送料|refund\w*|voucher|coupon|discount|free|gift|credit|compensat\w*|money\s+back|cashback|make\s+it\s+up|return\s+the\s+favou?r|throw\s+in|erstatt\w*|gutschein\w*|gutgeschrieben|rabatt|gratis|kostenlos|geschenk\w*|entschädig\w*|kulanz|was\s+kleines|terugbetal\w*|teruggestort|terug|korting|cadeau\w*|extraatje|compensatie|rembours\w*|bon\s+de|geste|offert\w*|devuelv\w*|devolu\w*|reembols\w*|regal\w*|cup[oó]n|descuento|detallito|compens\w*|rimbors\w*|buono|omaggio|sconto|devolvo|cupom|brinde|mimo|miminho|vale|oferta|zwrot\w*|zwróc\w*|prezent\w*|rekompens\w*|dorzuc\w*|na\s+rękę|верн\w*|возврат\w*|компенс\w*|подар\w*|бесплатн\w*|скидк\w*|iade|indirim|hediye|telafi\w*)\b|返金|クーポン|お返し|おまけ|お付け|お送りしました|نرجع|نعوضك|هدية|مجان\w*|الاسترجاع|نرجع\s+لك";
/// Top marks.
const TOP_MARKS: &str = r"(?i)\b(?:5|five|fünf|vijf|cinq|cinco|cinque|пять|pięć|beş)\s*-?\s*(?:\w+\s+){0,2}?(?:stars?|sterne?n?|sterren|étoiles|estrellas|stelle|estrelas|gwiazd\w*|звёзд\w*|звезд\w*|yıldız\w*)|\b(?:a|à|an?|na|nas|to)\s+(?:cinco|cinq|cinque|five)\b|星\s*[5５]|[5５]\s*つ星|(?:⭐\x{FE0F}?\s?){5}|[5５]\s*[⭐★☆🌟]|[⭐★☆]\s*[5５]|خمس\s+نجوم|\b(?:5[-\s]?sterren\w*|nota\s+(?:5|cinco|máxima)|(?:cinque|5)\s+stellin\w*|(?:cinco|5)\s+estrelinhas|une\s+(?:petite\s+)?[ée]toile\s+de\s+plus|one\s+more\s+star|noch\s+ein\s+stern|una\s+estrella\s+m[aá]s|una\s+stella\s+in\s+più|mais\s+uma\s+estrela|ein(?:en)?\s+stern\s+mehr|uma\s+estrela\s+a\s+mais|een\s+ster\s+(?:meer|extra)|nog\s+een\s+ster|jedn[aąę]\s+gwiazdk[aęi]\s+więcej|(?:на\s+)?одн[ау]\s+звёздочк?[ауи]\s+больше|ещё\s+одн[ау]\s+звёзд\w*|bir\s+yıldız\s+daha)\b|もう一つ星|星をもう一つ|نجمة\s+زيادة|\b(?:volle[nr]?\s+punktzahl|volle\s+sterne|full\s+marks|top\s+marks|note\s+maximale|puntuaci[oó]n\s+m[aá]xima|massimo\s+dei\s+voti|voto\s+(?:pieno|massimo)|maksymaln\w*\s+ocen\w*|максимальн\w*\s+оценк\w*|tam\s+puan|hoogste\s+score|volle\s+score)\b|満点|العلامة\s+الكاملة";
/// Stars as such, as opposed to "a review".
const STARS: &str = r"(?i)★|⭐|🌟|☆|\b(?:stellin\w*|estrelinhas?|sterrenreview\w*|nota\s+5|stars?|sterne?n?|sterren|[ée]toiles?|estrellas?|stelle|estrelas?|gwiazd\w*|звёзд\w*|звезд\w*|yıldız\w*|one[-\s]star)\b|星|نجوم|النجوم|بالنجوم|نجمة";
/// Leaning on the reader about the stars: it would help, every star counts.
const LEAN: &str = r"(?i)\b(?:faziam\s+toda\s+a\s+diferen[çc]a|faz\s+muita\s+diferen[çc]a|ferait\s+(?:vraiment\s+)?plaisir|helpen|aiuterebbero|ajudaria\w*|on\s+compte\s+beaucoup|would\s+(?:really\s+)?help|würden\s+uns|zouden\s+ons|nous\s+aideraient|nos\s+ayudar\w*|ci\s+aiuter\w*|ajudaria\w*|pomogł\w*|помогл\w*|yardımcı|each\s+star|every\s+star|jeder\s+stern|elke\s+ster|chaque\s+étoile|cada\s+estrella|ogni\s+stella|cada\s+estrela|każda\s+gwiazdka|каждая\s+звёздочка|her\s+yıldız|mean\w*\s+the\s+world|means?\s+a\s+lot|tiny\s+shop|small\s+shop|ajuda\s+(?:demais|muito|bastante)|ayuda\w*\s+(?:mucho|un\s+mont[óo]n)|aiuta\w*\s+(?:tanto|molto)|hilft\s+(?:uns\s+)?(?:sehr|enorm|riesig)|helpt\s+(?:ons\s+)?(?:enorm|echt|heel)|chaud\s+au\s+c[oœ]ur|chaque\s+(?:note|avis)\s+compte|every\s+(?:review|rating)\s+counts|jede\s+bewertung\s+zählt|cada\s+(?:avalia[çc][ãa]o|valoraci[oó]n|opini[oó]n|nota)\s+(?:conta|cuenta)|ogni\s+(?:recensione|voto)\s+conta|bardzo\s+(?:nam\s+)?pomaga|очень\s+(?:нам\s+)?помо\w*|çok\s+yardımcı|on\s+d[ée]bute|come[çc]ando\s+agora|t[áa]\s+come[çc]ando|estamos\s+empezando|we'?re\s+just\s+starting|kleiner\s+laden|petite\s+boutique|piccol[oa]\s+(?:negozio|bottega)|pequeñ[oa]\s+(?:tienda|negocio)|pequen[oa]\s+(?:loja|neg[óo]cio)|mał\w*\s+sklep\w*|маленьк\w*\s+магазин\w*|küçük\s+(?:dükkan|işletme)\w*|generous|großzügig|genereus|g[ée]n[ée]reu\w*|generos\w*|hojny|щедр\w*|cömert)\b|助かり|ひとつで|🙏";
/// A wink about the review: you know, don't forget us.
const WINK: &str = r"(?i)\b(?:don'?t\s+forget|you\s+know|the\s+rating\s+thing|sie\s+wissen\s+ja|du\s+weißt|die\s+sache\s+mit|je\s+weet\s+wel|dat\s+ding\s+met|vous\s+savez|ya\s+sabes|sai\s+com'è|você\s+sabe|wie\s+pan|ta\s+sprawa\s+z|вы\s+понимаете|не\s+обидьте|unutmazsınız|unutmayın|anlarsınız)\b|よろしく|ولا\s+تنسانا|تذكرنا|😉";
/// A condition tying the review to what is offered.
const CONDITION: &str = r"(?i)\b(?:if|once|when|as\s+soon\s+as|wenn|sobald|falls|als|zodra|si|dès\s+que|une\s+fois\s+que|cuando|en\s+cuanto|se|quando|appena|assim\s+que|jak|gdy|kiedy|если|когда|как\s+только|eğer)\b|(?:ince|ınca|unca|ünce|rseniz|rsanız)\b|たら|後に|لما|إذا|لو|\w+(?:dığında|diğinde|tığında|tiğinde|duğunda|düğünde|tuğunda|tüğünde)\b";
/// Telling others in public, or where the listing is: a review by another
/// name ("tell the world", "cuéntalo donde lo vea todo el mundo", "laat het
/// weten op de productpagina").
const SHARE: &str = r"(?i)\b(?:tell\w*\s+the\s+world|share\w*\s+(?:your|their)\s+(?:experience|love)|compartilh\w*\s+a\s+experi[êe]ncia|compart\w*\s+su\s+experiencia|cu[ée]ntalo|erzählen\s+sie|ein\s+paar\s+worte|enthousiasme\s+met\s+anderen|racconta\w*\s+(?:in\s+giro|a\s+tutti)|(?:un\s+)?petit\s+mot|kilka\s+(?:\w+\s+)?słów|поделит\w*\s+впечатлени\w*|deneyimini|paylaşan\w*|productpagina|produktseite|page\s+(?:du\s+)?produit|pagina\s+del\s+prodotto|p[áa]gina\s+del?\s+produc?to|stronie\s+produktu|странице\s+товара|ürün\s+sayfa\w*)\b|(?:ervaring|experience|erfahrung\w*|exp[ée]rience|experiencia|esperienza|experi[êe]ncia|doświadczen\w*|опыт\w*|впечатлени\w*|deneyim\w*)\b[^.!?\n]{0,30}\b(?:online|zichtbaar|visible|sichtbar|visibile|vis[íi]vel|widoczn\w*|видн\w*|görün\w*|for\s+others|voor\s+anderen|für\s+andere|pour\s+les\s+autres|para\s+(?:los\s+)?otros|per\s+gli\s+altri|para\s+os\s+outros|dla\s+innych|другим|başkaları\w*)|商品ページ|ご感想|お声|يشارك\s+تجربت\w*|تجربت\w*[^.!?\n]{0,20}(?:للناس|واضحة)|体験を[^。]{0,10}(?:みんな|皆さん)|\b(?:know|wissen|wei(?:ß|ss)t|sabes|sabe|savez|sais|sai|sa|weet|wie|wiesz|знаете|знаешь|biliyorsun\w*)\b[^.!?\n]{0,15}\b(?:where|wo|d[oó]nde|où|dove|waar|gdzie|onde|где|nere\w*)\b[^.!?\n]{0,30}\b(?:say|tell|write|share|mention|leave|post|erzähl\w*|sag\w*|schreib\w*|loswerden|kwijt|zeggen|schrijven|delen|cont(?:ar|arlo)|decir(?:lo)?|escribir(?:lo)?|dejar(?:lo)?|comentar(?:lo)?|dire|le\s+dire|l'[ée]crire|raconter|partager|dirlo|scriver\w*|raccontar\w*|lasciar\w*|wspomnie\w*|napisa\w*|powiedzie\w*|podzieli\w*|dizer|escrever|deixar|falar|написа\w*|рассказа\w*|остав\w*|yaz\w*|söyle\w*|paylaş\w*)|\b(?:know|wissen|sabes|sabe|savez|sai|weet|wiesz|знаете|знаешь|biliyorsun\w*),?\s+(?:how|wie|c[oó]mo|comment|come|hoe|jak|como|как|nasıl)\s+(?:\w+\s+){0,2}(?:support|unterstütz\w*|apoyar|soutenir|sostene\w*|supportar\w*|steunen|wesprze\w*|wspiera\w*|apoiar|ajudar|поддерж\w*|destekle\w*)|\b(?:carinho|apoio|love|support|kind\s+words|unterstützung|steun|soutien|apoyo|cariño|sostegno|affetto|wsparci\w*|поддержк\w*|destek\w*)\b[^.!?\n]{0,40}\b(?:p[áa]gina\s+do\s+pedido|order\s+page|bestellseite|bestelpagina|page\s+de\s+(?:la\s+)?commande|p[áa]gina\s+del\s+pedido|pagina\s+dell'ordine|stronie\s+zamówienia|странице\s+заказа|sipariş\s+sayfa\w*)\b";

/// Review gating: a complaint to come to the seller first, before or
/// instead of the review ("if not, write to me before you rate").
const GATE: &str = r"(?i)\b(?:before\s+(?:you\s+)?(?:rat|review|leav)\w*|(?:write|talk|speak|come)\s+(?:to\s+)?(?:me|us)\s+first|erst\s+(?:mir|uns|an\s+mich)|bevor\s+sie\s+(?:\w+\s+)?bewerten|(?:écrivez|parlez|écris)-?(?:moi|nous)\s+d'abord|avant\s+(?:toute\s+note|de\s+noter|d'[ée]valuer|de\s+laisser)|antes\s+de\s+(?:avaliar|valorar|opinar|calificar|dejar)|primeiro\s+comigo|fale\s+primeiro|escr[ií]beme\s+primero|primero\s+(?:a\s+m[ií]|conmigo)|scrivimi\s+prima|prima\s+(?:a\s+me|con\s+me)|prima\s+di\s+(?:valutare|recensire|lasciare)|eerst\s+(?:even\s+)?(?:naar\s+)?(?:mij|ons)|voordat\s+je\s+(?:een\s+)?(?:review|beoordel)\w*|najpierw\s+(?:napisać\s+)?(?:do\s+)?(?:mnie|nas)|zanim\s+(?:\w+\s+){0,2}wystawi\w*|сначала\s+(?:\w+\s+)?(?:мне|нам)|прежде\s+чем\s+(?:оставить|ставить)|önce\s+(?:bana|bize)|(?:em|in)\s+vez\s+de\s+avaliar|instead\s+of\s+(?:rating|reviewing))\b|まずこちら|كلمنا\s+هنا\s+[أا]ول|بدون\s+ما\s+تحتاج\s+تقي";

/// One's own doing, or thanks: honest talk about a review.
const HONEST: &str = r"(?i)\b(?:(?:ask|want|expect)\w*\s+nothing\s+in\s+return|nothing\s+in\s+return|rien\s+en\s+[ée]change|nada\s+a\s+cambio|nulla\s+in\s+cambio|niente\s+in\s+cambio|nada\s+em\s+troca|nichts\s+(?:als\s+)?gegenleistung|niets\s+terug|nic\s+w\s+zamian|ничего\s+взамен|karşılığında\s+(?:bir\s+)?şey|what\s+you\s+(?:really|honestly)\s+think|ce\s+que\s+vous\s+pensez\s+(?:vraiment|sinc[èe]rement)|ce\s+que\s+tu\s+penses\s+vraiment|was\s+(?:sie|du)\s+wirklich\s+denk\w*|wat\s+(?:je|u)\s+(?:echt|werkelijk)\s+vind\w*|lo\s+que\s+(?:realmente\s+)?pien\w*\s+(?:de\s+verdad|realmente)|quello\s+che\s+pens\w*\s+davvero|o\s+que\s+(?:realmente\s+)?pens\w*\s+(?:de\s+verdade|realmente)|co\s+(?:pan\w*\s+)?naprawdę\s+myśl\w*|что\s+(?:вы\s+)?(?:на\s+самом\s+деле|действительно)\s+думаете|gerçekten\s+ne\s+düşünüyorsan\w*|kendim|vontade\s+pr[óo]pria|off\s+my\s+own\s+back|of\s+my\s+own\s+accord|won'?t\s+ask\s+you|not\s+going\s+to\s+ask\s+you|entitled\s+to\s+your\s+opinion|no\s+(?:la\s+|lo\s+)?voy\s+a\s+cambiar|n[ãa]o\s+vou\s+mudar|nie\s+zmienię|не\s+буду\s+(?:его\s+|её\s+)?менять|werde\s+(?:sie|ihn|es|die\s+bewertung)\s+nicht\s+ändern|je\s+ne\s+(?:la\s+|le\s+)?changerai\s+pas|non\s+la\s+cambierò|ga\s+ik\s+niet\s+(?:aan)?passen|değiştirmeyeceğim|on\s+my\s+own|myself|by\s+myself|nobody\s+asked|no\s+one\s+asked|without\s+being\s+asked|selbst|von\s+selbst|aus\s+eigene[mr]|ohne\s+gegenleistung|zelf|uit\s+mezelf|de\s+moi-même|moi-même|spontan\w*|espont[aâ]ne\w*|personne\s+ne\s+m'a|por\s+mi\s+cuenta|yo\s+solo|nadie\s+me|di\s+mia\s+iniziativa|nessuno\s+mi|por\s+conta\s+pr[óo]pria|ningu[ée]m|sam\s+z\s+siebie|sam\b|sama\b|nikt|сам\b|сама\b|никто|kendi\s+isteğimle|kimse|i\s+changed\s+my|i\s+took\s+down\s+my|i\s+left\s+you|je\s+vous\s+ai\s+mis|te\s+califiqu[ée]|ti\s+ho\s+lasciato|te\s+avaliei|mijn\s+(?:review|beoordeling)|meine\s+bewertung|mon\s+avis|mi\s+valoraci[oó]n|la\s+mia\s+recensione|minha\s+avalia[çc][ãa]o|moją\s+opini\w*|мой\s+отзыв|yorumu\s+kimse|no\s+need\s+to\s+(?:change|update|remove|edit)|nothing\s+to\s+change|\w+(?:ato|uto|ito)\s+io|\w+ei\s+eu|\w+[ée]\s+yo|non\s+serve\s+(?:nessun\w*|niente)|n[ãa]o\s+precisa\s+de\s+(?:me\s+)?(?:oferecer|dar)|no\s+hace\s+falta\s+(?:ning[uú]n|nada|que\s+me)|no\s+need\s+to\s+(?:offer|give|send)\s+me|pas\s+besoin\s+de\s+(?:m'|me\s+)?(?:offrir|donner|envoyer)|(?:brauchst|müssen)\s+(?:du\s+|sie\s+)?mir\s+nichts|hoef\s+je\s+(?:me\s+)?niets|nie\s+musisz\s+(?:mi\s+)?nic|ничего\s+(?:мне\s+)?не\s+(?:надо|нужно))\b|自分|誰にも|بنفسي|ما\s+أحد|تقييمي";
const THANKS: &str = r"(?i)\b(?:thanks|thank\s+you|danke|bedankt|dank\w*|merci|remercie\w*|gracias|agradec\w*|grazie|ringrazi\w*|obrigad\w*|agrade[çc]\w*|valeu|dzięki|dziękuję|спасибо|благодар\w*|teşekkür\w*)\b|ありがとう|شكرا";

/// Something for the reader that only hints at a gift or a favour: "a little
/// surprise in the next parcel", "you'll be treated like family", 🎁.
const GIFT_HINT: &str = r"(?i)\b(?:surpri\w*|sürpriz\w*|сюрприз\w*|aufmerksamkeit|pensierin\w*|presente|oferec\w*|offr\w*|tratt\w*\s+come|trat[oa]\w*\s+como|worth\s+your\s+while|\w*erstatt\w*|возвра\w*|iade|кешб[эе]к\w*|кэшб[эе]к\w*|cashback|verrassing\w*|reconnaissan\w*|erkenntlich|odwdzięcz\w*|riconoscente|a\s+spese\s+mie|algo\s+especial|something\s+special|etwas\s+besonderes|quelque\s+chose\s+de\s+sp[ée]cial|qualcosa\s+di\s+speciale|coś\s+specjalnego|что-то\s+особенное|özel\s+bir\s+şey|iets\s+leuks|something\s+nice|was\s+nettes|quelque\s+chose\s+de\s+sympa|qualcosa\s+di\s+carino|coś\s+miłego|что-то\s+приятное)\b|🎁|QUO\s?カード|ギフト券|ギフトカード|お礼|プレゼント|サービス|مفاج[أا]ة|معاملة\s+خاصة|خصم|[أا]رجع\s+لك|\w*هدي\w*|\b(?:kargo\s+bizden|bizden\s+hediye|aufs\s+haus|on\s+the\s+house|(?:de|por)\s+nuestra\s+cuenta|por\s+conta\s+da\s+casa|à\s+nos\s+frais|offert[ae]?s?|offriamo|extra\s+something|little\s+extra|(?:is|are|'s)\s+on\s+us|ücretsiz)\b";
/// The next order or parcel, where a hinted gift is to come.
const NEXT: &str = r"(?i)\b(?:next|nächste\w*|volgende|prochaine?|suivante?|pr[óo]xim[ao]|siguiente|seguinte|successiv[oa]|prossim[ao]|następn\w*|следующ\w*|sonraki|dahakine)\b|🎁|次回|次の|الجاي|الجاية|القادم|بعده";
/// Praise asked for: a good, positive review.
const PRAISE: &str = r"(?i)\b(?:positiv\w*|positie\w*|pozytywn\w*|положительн\w*|olumlu|güzel|good|nice|great|buen[ao]|boa|bom|caprichad\w*|bonne?|bon|buona|goede?|gute?n?|хорош\w*|dobr\w*|iyi|lov\w*|enthousias\w*|enthusias\w*|content[oa]|satisf\w*|zufrieden\w*|tevreden|zadowolon\w*|довольн\w*|хорошими|memnun|mutluluğ\w*|İyi|happy|blij|heureu\w*|feliz|positiv[ae])\b|良い|いい|励み|応援|嬉しい|満足|حلو\w*|ممتاز";
/// The top mark kept or given: "if the rating stays at five", "★5".
const KEEP_TOP: &str = r"(?i)\b(?:stay\w*|remain\w*|rest[ae]\w*|rimane|ficar|fica|queda\w*|bleibt|blijft|zostan\w*|остан\w*|kal\w*|оценк\w*|rating|note|nota|puan\w*)\b[^.!?\n]{0,15}\b5\b|ظل\s+(?:5|خمسة)|5\s*のまま|★\s*5|5\s*★|評価\s*5|5\s*نجوم";
/// A threat: the review as the price of not getting what is asked.
const THREAT: &str = r"(?i)\b(?:or\s+(?:it'?s|i'?ll|i\s+will|else)|your\s+choice|otherwise|sonst|anders|sinon|si\s+no|altrimenti|sen[ãa]o|inaczej|иначе|либо|yoksa|zo\s+niet|wenn\s+nicht|jeśli\s+nie|если\s+нет|se\s+n[ãa]o|se\s+no)\b|وإلا|والا";

pub(crate) struct ReviewAsk {
    review: Rule,
    change: Rule,
    incentive: Rule,
    top_marks: Rule,
    stars: Rule,
    lean: Rule,
    wink: Rule,
    condition: Rule,
    sentence: Rule,
    honest: Rule,
    thanks: Rule,
    linger: Rule,
    subject: Rule,
    gift_hint: Rule,
    next: Rule,
    praise: Rule,
    keep_top: Rule,
    threat: Rule,
    gate: Rule,
    share: Rule,
    fresh_look: Rule,
    thanks_order: Rule,
    resolved: Rule,
    story: Rule,
    place: Rule,
}

impl ReviewAsk {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        Ok(Self {
            review: super::regex(REVIEW)?,
            change: super::regex(CHANGE)?,
            incentive: super::regex(INCENTIVE)?,
            top_marks: super::regex(TOP_MARKS)?,
            stars: super::regex(STARS)?,
            lean: super::regex(LEAN)?,
            wink: super::regex(WINK)?,
            condition: super::regex(CONDITION)?,
            sentence: super::regex(r"[^!?\n;.。！？]+(?:\.\S[^!?\n;.。！？]*)*[!?。！？]?")?,
            honest: super::regex(HONEST)?,
            thanks: super::regex(THANKS)?,
            linger: super::regex(LINGER)?,
            subject: super::regex(SUBJECT)?,
            gift_hint: super::regex(GIFT_HINT)?,
            next: super::regex(NEXT)?,
            praise: super::regex(PRAISE)?,
            keep_top: super::regex(KEEP_TOP)?,
            threat: super::regex(THREAT)?,
            gate: super::regex(GATE)?,
            share: super::regex(SHARE)?,
            fresh_look: super::regex(FRESH_LOOK)?,
            thanks_order: super::regex(THANKS_ORDER)?,
            resolved: super::regex(RESOLVED)?,
            story: super::regex(STORY)?,
            place: super::regex(PLACE)?,
        })
    }

    /// Whether the message tells of a review changed or left on one's own.
    pub(crate) fn is_honest(&self, text: &str) -> bool {
        self.honest.is_match(text)
    }

    /// The review named, and in the sentence before it or the two after:
    /// a change asked for under a condition or as a question ("Ik zag je
    /// review van 1 ster. … Zou je hem willen aanpassen?"); an offer or a
    /// hinted gift with praise or top marks asked for, tied to a condition or
    /// the next order ("a good review helps us… and loyal customers find a
    /// little surprise in the next parcel"); an offer with a change; an
    /// offer with a threat ("knock 20 off or it's getting a one-star"); or the
    /// top mark to be kept ("if the rating stays at five").
    fn around_the_review(&self, sentences: &[&str]) -> Option<&'static str> {
        for (i, s) in sentences.iter().enumerate() {
            if !self.review.is_match(s) {
                continue;
            }
            let window = &sentences[i.saturating_sub(1)..(i + 3).min(sentences.len())];
            let any = |r: &Rule| window.iter().any(|w| r.is_match(w));
            let change_asked = window.iter().any(|w| {
                (self.change.is_match(w)
                    && (self.condition.is_match(w)
                        || w.ends_with(['?', '？', '؟'])
                        || any(&self.resolved)))
                    || self.fresh_look.is_match(w)
            });
            if change_asked {
                return Some("review.change_asked");
            }
            let offer = any(&self.incentive) || any(&self.gift_hint);
            let top = self.top_marks.is_match(s) || self.keep_top.is_match(s);
            let tied = any(&self.condition) || any(&self.next);
            // "I gave it 5 stars, thanks for the gift wrapping" ties nothing.
            if offer && tied && (any(&self.praise) || top || any(&self.change)) {
                return Some("review.offer_for_review");
            }
            if offer && any(&self.threat) {
                return Some("review.threat");
            }
            if self.keep_top.is_match(s) && any(&self.condition) {
                return Some("review.top_marks");
            }
        }
        None
    }

    pub(crate) fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        // A review may be named only by where it goes ("you know where to
        // say it 😉").
        let Some(review) = self
            .review
            .find(text)
            .or_else(|| self.share.find(text))
            .or_else(|| self.top_marks.find(text))
            .or_else(|| self.story.find(text))
        else {
            return;
        };
        if self.honest.is_match(text) {
            return;
        }
        // Thanks for the order ("Merci pour votre commande !") is no thanks
        // for a review.
        let thanked = self
            .thanks
            .find_iter(text)
            .any(|m| !self.thanks_order.is_match(&text[m.end()..]));
        let sentences: Vec<&str> = self.sentence.find_iter(text).map(|m| m.as_str()).collect();
        let mut rule = None;
        for (i, s) in sentences.iter().enumerate() {
            if !self.review.is_match(s) {
                continue;
            }
            // "Could you reconsider what you posted?", "take down the one-star".
            let change = self.change.is_match(s)
                || (i + 1 < sentences.len()
                    && sentences[i + 1].ends_with(['?', '？', '؟'])
                    && self.change.is_match(sentences[i + 1]));
            // An offer in the review's sentence, unless the message only thanks
            // for one; tied to it by a condition, always. (An offer in one
            // sentence and the review in the next comes with a wink.)
            let offered = (self.incentive.is_match(s) && !thanked)
                || (self.incentive.is_match(s) && self.condition.is_match(s));
            rule = if change {
                Some("review.change_asked")
            } else if offered {
                Some("review.incentive")
            } else if thanked {
                None
            } else if self.top_marks.is_match(text)
                && scan.direction == crate::domain::Direction::SellerToBuyer
            {
                // Top marks named beside a review are asked for only by
                // the one reviewed: a buyer saying "I gave you 5 stars"
                // tells, and a buyer's top marks on a condition are the
                // rule further down.
                Some("review.top_marks")
            } else if self.stars.is_match(s) && self.lean.is_match(text) {
                Some("review.stars_asked")
            } else if self.praise.is_match(s) && self.lean.is_match(text) {
                // "Uma avaliação caprichada ajuda demais a gente que tá começando."
                Some("review.praise_asked")
            } else if self.wink.is_match(text) {
                Some("review.wink")
            } else {
                None
            };
            if rule.is_some() {
                break;
            }
        }
        // "Subject: your review", and an offer in the body.
        if rule.is_none()
            && let Some(sub) = self.subject.find(text)
            && self.review.is_match(sub.as_str())
            && self.incentive.is_match(&text[sub.end()..])
        {
            rule = Some("review.subject_and_offer");
        }
        // An offer in one sentence and, in another, the review said to stand
        // unfairly or tied to it ("A £20 voucher for the hassle. Your
        // review still says we never answered.").
        if rule.is_none()
            && !thanked
            && sentences.iter().any(|s| self.incentive.is_match(s))
            && sentences.iter().any(|s| {
                self.review.is_match(s) && (self.linger.is_match(s) || self.condition.is_match(s))
            })
        {
            rule = Some("review.offer_and_review");
        }
        if rule.is_none() {
            rule = self.around_the_review(&sentences);
        }
        // "Customers who tell the world … find a surprise in their next
        // parcel 🎁": a gift for a public word, whatever it says.
        if rule.is_none()
            && self.share.is_match(text)
            && (self.incentive.is_match(text) || self.gift_hint.is_match(text))
            && (self.condition.is_match(text)
                || self.next.is_match(text)
                || self.wink.is_match(text))
        {
            rule = Some("review.offer_for_sharing");
        }
        // Top marks promised on a condition, the review not named: "if you
        // knock ten off, you get full marks from me".
        if rule.is_none()
            && !thanked
            && self.top_marks.is_match(text)
            && self.condition.is_match(text)
        {
            rule = Some("review.top_marks");
        }
        // "If you're happy, review us; if not, write to me before you rate."
        if rule.is_none() && self.gate.is_match(text) {
            rule = Some("review.gating");
        }
        // "That the little rating from Tuesday told the end of the story,
        // not only its beginning", "no perfil da loja … deixar com o final
        // feliz": the review, or where it stands, to be retold.
        if rule.is_none()
            && self.story.is_match(text)
            && (self.review.is_match(text)
                || self.share.is_match(text)
                || self.place.is_match(text))
        {
            rule = Some("review.story_retold");
        }
        if let Some(rule) = rule {
            hits.extend(scan.hit_normalized(
                FindingKind::ReviewManipulation,
                review.start(),
                review.end(),
                rule,
            ));
        }
    }
}
