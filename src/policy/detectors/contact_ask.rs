//! Asking for the reader's contact details in any supported language, by
//! structure rather than by phrase: a contact noun ("number", "Handynummer",
//! "telemóvel", "رقم", "携帯番号") addressed to the reader ("your", "Ihre",
//! "رقمك", "numaranız") or asked for ("send me", "pásamelo", "教えて");
//! pressure ("no number, no delivery", "other buyers always give me theirs");
//! and asking for another channel ("is there another way to reach you?").
//! "I can't share my number here" and "no need to give me your phone" pass.

use super::Rule;

use super::{Hit, Scan};
use crate::policy::decision::FindingKind;

/// What is asked for.
const NOUN: &str = r"(?i)\b(?:recapito|contato|contatto|contacto|contact|kontakt|контакт\w*|iletişim|wasila|numéros?|números?|numeri|nummers|numbers|phone|(?:phone\s+|mobile\s+|cell\s+|contact\s+)?number|mobile|cell|e-?mail(?:\s+address)?|whats\s?app\w*|telegram\w*|contacts?(?:\s+details)?|digits|handy\w*|telefon\w*|telefoon\w*|\w+nummer|nummer|mobil\w*|kontakt\w*|06-nummer|gsm\w*|mailadres|e-mailadres|contactgegevens|num[ée]ro|t[ée]l[ée]phone|portable|cel\w*|coordonn[ée]es|n[uú]mero|tel[eé]fono|m[oó]vil|correo|contacto|numero|cellulare|contatto|indirizzo\s+e-?mail|telem[óo]vel|telefone|zap|numer\w*|komórk\w*|номер\w*|телефон\w*|почт\w*|контакт\w*|numara\w*|mail\s+adres\w*|iletişim|e-?posta\w*|е-?мейл\w*|емейл\w*|ватсап\w*|вотсап\w*|телег\w*|recapito\s+telefonico|adresse\s+(?:e-?)?mail|(?:e-?)?mail\s+(?:perso\w*|personal\w*|privad\w*|privat\w*|prywatn\w*)|(?:ton|votre)\s+06|una\s+mail|un\s+correo)\b|電話番号|携帯番号|番号|メールアドレス|連絡|رقم\w*|جوال\w*|إيميل\w*|ايميل\w*|واتس\w*|تواصل";
/// Nouns that can only mean the reader's phone or email (not an order number).
const PHONE_NOUN: &str = r"(?i)\b(?:phone|mobile|cell|e-?mail|whats\s?app|handy\w*|telefon\w*|mobil\w*|06-nummer|gsm\w*|mailadres|e-mailadres|t[ée]l[ée]phone|portable|cel|celular|tel[eé]fono|m[oó]vil|correo|cellulare|telem[óo]vel|telefone|zap|komórk\w*|телефон\w*|почт\w*|mobiel\w*|cep\s+numara\w*|cep\s+telefon\w*|e-?posta\w*|е-?мейл\w*|имейл\w*|recapito\s+telefonico|adresse\s+(?:e-?)?mail|(?:e-?)?mail\s+(?:perso\w*|personal\w*|privad\w*|privat\w*|prywatn\w*)|(?:ton|votre)\s+06|una\s+mail|un\s+correo)\b|電話番号|携帯番号|メールアドレス|جوال\w*|إيميل\w*|ايميل\w*";
/// Aimed at the reader: "me", "please", an imperative.
const TO_ME: &str = r"(?i)\b(?:me|us|mir|uns|moi|nous|mi|ci|mnie|мне|нам|bana)\b|\w+(?:me|mi)(?:lo|la)\b|-moi|-me\b|لي\b|عطني|أعطني|اعطني|ابعتلي|ابعثلي|ارسلي|أرسلي|خبرني";
/// A polite or needy request: "please", "can you", "I need your…".
const POLITE: &str = r"(?i)\b(?:please|pls|bitte|alsjeblieft|s'il\s+vous\s+plaît|por\s+favor|per\s+favore|proszę|prosze|пожалуйста|lütfen|can\s+you|could\s+you|would\s+you|können\s+sie|könnten\s+sie|kannst\s+du|kun\s+je|kunt\s+u|pouvez-vous|pourriez-vous|puedes|podr[ií]as|puoi|potresti|pode|podia|możesz|może\s+pan|можете|verin|yazın|gönderin|iletin|söyleyin|m[ıi]s[ıi]n[ıi]z|musunuz|necesito|i\s+need|ich\s+brauche|j'ai\s+besoin|preciso|mi\s+serve|potrzebuję|мне\s+нуж\w+|lazım|prosimy|wilt\s+u|zou\s+u|pourriez|podr[ií]a|puede)\b|ください|いただけ|ممكن|من\s+فضلك";
/// The reader's own.
const YOURS: &str = r"(?i)\b(?:your|ur|yr|ihre?[mnrs]?|deine?[mnrs]?|je|jouw|uw|votre|vos|ton|ta|tes|tu|tus|su|sus|tuy[oa]s?|suy[oa]s?|tuo|tua|suo|sua|seu|teu|twój|twoj|twoje|pana|pani|wasz\w*|ваш\w*|твой|твою|твои|sizin|numaranız\w*|numaranizi|adresiniz\w*|お客様)\b|حقك|رقمك|جوالك|إيميلك|ايميلك|واتسك";
/// Asking for it.
const ASK: &str = r"(?i)\b(?:dopisa\w*|zetten|arranjar|mag\s+ik|give|send|tell|share|leave|drop|pass|text|need|provide|what'?s|schick\w*|gib|geben|nenn\w*|sag\w*|hinterlass\w*|brauch\w*|stuur|geef|laat|wat\s+is|donne[rz]?|envoie[rz]?|envoyez|laisse[rz]?|passe[rz]?|quel(?:le)?|dame|d[ée]me|p[aá]sa\w*|m[aá]nda\w*|env[ií]a\w*|necesito|dammi|mandami|lasci\w*|dimmi|qual|passa|passar|passe|d[aá]-me|dar-me|dê|preciso|podaj\w*|poda[ćc]|wyślij|daj|zostaw\w*|jaki|дай\w*|остав\w*|напиш\w*|скин\w*|пришли\w*|пришлёт\w*|пришлет\w*|какой|yaz\w*|ver\w*|gönder\w*|söyle\w*|iletir\w*|stuur\w*|sturen|geven|doorgeven|reply|respond|antworten|antwoord\w*|odpis\w*|odpowiedz\w*|r[ée]pond\w*|rispond\w*|responda\w*|ответьте|cevap|podani\w*|indicar\w*|indique\w*|nedir|deix\w*|dej(?:a|as|e|es|ame|arme|ar)|dar|poda)\b|教えて|送って|いただけ|お知らせ|知らせて|ご記入|記入して|عطني|أعطني|تعطيني|ارسل|أرسل|ترسل|ابعت|ابعث|تبعت|[أا]حتاج";
/// A courier that needs it: the seller leans on the reader.
const COURIER_NEEDS: &str = r"(?i)\b(?:courier|driver|estafeta|motoboy|motorista|spedition|fahrer|kurier|koerier|bezorger|livreur|transporteur|repartidor|mensajero|corriere|transportadora|entregador|курьер\w*|kurye|agencia|transportista|correos|ctt|сдэк|postnl|inpost|paczkomat\w*|przewoźnik\w*|zustellpartner|bezorgpartner|courier\s+partner|kargo\s+firma\w*|kargo\s+şirket\w*|paketdienst|vervoerder)\b[^.!?\n]{0,60}\b(?:needs?|requires?|insists?|strict|besteht|braucht|benötigt|staat|nodig|exige\w*|besoin|necesita|richiede|serve|precisa|obriga|wymaga|potrzebuje|нужен|нужно|требует|lazım|istiyor|refuses?|won'?t\s+take|weigert|nimmt\s+(?:\w+\s+){0,3}kein\w*|neemt\s+(?:\w+\s+){0,3}geen|wil\s+het\s+per\s+se|refuse|rifiuta|non\s+(?:consegna|ritira|accetta)|recusa|n[ãa]o\s+(?:entrega|aceita|faz\s+a\s+entrega|sai|coleta|recolhe|busca)|no\s+(?:lo\s+|la\s+)?recoge|non\s+(?:lo\s+|la\s+)?ritira|holt\s+(?:es|ihn|das\s+paket)\s+nicht\s+ab|haalt\s+(?:het|hem)\s+niet\s+op|ne\s+(?:le\s+|la\s+)?r[ée]cup[eè]re\s+pas|nie\s+odbierze|не\s+забер[её]т|almıyor|nie\s+(?:przyjmuje|doręczy)|не\s+(?:примет|принимает|доставит)|kabul\s+etmiyor|ha\s+bisogno|neemt\s+(?:\w+\s+){0,3}niet\s+mee|nimmt\s+(?:\w+\s+){0,3}nicht\s+mit|(?:\w+\s+){0,3}(?:nicht\s+mit|niet\s+mee)|won'?t\s+take\s+(?:it|the\s+(?:parcel|package))|ne\s+(?:le\s+)?prend\s+pas|no\s+(?:se\s+)?(?:lo\s+)?lleva|n[ãa]o\s+(?:o\s+)?leva|nie\s+zabierze|не\s+(?:возьм|забер)\w*|almıyor|almaz)\b|配送業者|المندوب|شركة\s+الشحن[^.!?\n]{0,30}(?:تحتاج|ما\s+تقبل|ما\s+تستلم|ترفض)";
/// "No need to", "I can't share mine": nothing asked.
const NOT_ASKED: &str = r"(?i)\b(?:(?:whats\s?app|telegram|signal|viber|line)\s+(?:\w+\s+){0,2}(?:gebruik\s+ik\s+niet|nutze\s+ich\s+nicht|benutze\s+ich\s+nicht|i\s+don'?t\s+use|je\s+n'utilise\s+pas|no\s+(?:lo\s+)?uso|non\s+(?:lo\s+)?uso|n[ãa]o\s+uso|nie\s+używam|не\s+пользуюсь|kullanmıyorum)|(?:i\s+don'?t\s+use|ik\s+gebruik\s+geen|je\s+n'utilise\s+pas|no\s+uso|non\s+uso|n[ãa]o\s+uso|nie\s+używam|не\s+пользуюсь)\s+(?:\w+\s+)?(?:whats\s?app|telegram|signal|viber)|vergi\s+numara\w*|tax\s+(?:id|number)|vat\s+(?:id|number)|steuernummer|ust-?idnr|num[ée]ro\s+de\s+tva|nif|cpf|cnpj|nip|инн|partita\s+iva|codice\s+fiscale|btw-?nummer|no\s+need|don'?t\s+need|can'?t\s+share|won'?t\s+(?:give|share)|not\s+allowed|no\s+hace\s+falta|no\s+(?:te\s+)?(?:voy|puedo)\s+(?:a\s+)?(?:dar|pasar|compartir|dejar|decir)|pas\s+besoin|ne\s+(?:donnerai|peux\s+pas\s+(?:donner|partager|communiquer|laisser))|non\s+(?:serve|mi\s+serve|ti\s+do|posso\s+(?:dar|condivid|lasciar))|não\s+(?:precisa|vou\s+(?:dar|passar|partilhar)|posso\s+(?:dar|passar|partilhar|compartilhar))|deel\s+ik\s+(?:hier\s+)?niet|i\s+don'?t\s+need|brauche\s+ich\s+(?:\w+\s+)?nicht|nicht\s+nötig|brauche\s+(?:also\s+)?keine|kann\s+(?:hier\s+)?(?:leider\s+)?keine|hoeft\s+niet|mag\s+(?:mijn|geen)|nie\s+(?:trzeba|mogę\s+(?:poda|da|udostępni)\w*|podam|jest\s+mi\s+potrzebn\w*)|не\s+(?:нужно|нужен|могу\s+(?:дать|оставить|сообщить|дел)\w*)|gerek\s+yok|nie\s+potrzebuj\w*|no\s+(?:la\s+|lo\s+|los\s+|las\s+)?necesit\w*|niet\s+nodig|preferisco\s+non|prefiero\s+no|prefiro\s+n[ãa]o|je\s+pr[ée]f[èe]re\s+ne\s+pas|i'?d\s+rather\s+not)\b|必要ありません|書けない|ما\s+أقدر\s+أشارك|ما\s+يحتاج|ما\s+[أا]حتاج";
/// Holding the delivery hostage: without it, no shipping; or cancelling.
const PRESSURE: &str = r"(?i)\b(?:without|no|ohne|keine?|sin|sans|pas\s+de|senza|niente|sem|bez|без|zonder|geen|nie\s+ma|until|bis|hasta\s+que|tant\s+que|finché|até|dopóki|пока\s+не)\b[^.!?\n]{0,60}\b(?:ship\w*|send|dispatch|deliver\w*|post\s+it|versend\w*|versand|liefer\w*|envi\w*|envo\w*|env[ií]o|despach\w*|entreg\w*|spedi\w*|consegn\w*|livr\w*|verzend\w*|versturen|verstuur\w*|aanmeld\w*|lever\w*|bezorg\w*|wyśl\w*|wysył\w*|wysła\w*|nadam|nadać|doręcz\w*|отправ\w*|доставк\w*|kargo\w*|teslim\w*|torna\s+indietro|goes\s+back|geht\s+zurück|gaat\s+terug|retourne|vuelve|volta\s+para\s+tr[áa]s|wraca|вернётся|geri\s+döner)\b|\b(?:ship\w*|send|post|versend\w*|verschick\w*|envi\w*|entreg\w*|livr\w*|exp[ée]di\w*|spedi\w*|consegn\w*|verzend\w*|versturen|verstuur\w*|wyśl\w*|wysył\w*|wysła\w*|nadam|nadać|doręcz\w*|отправ\w*|доставл\w*|gönder\w*|teslim\w*)\b[^.!?\n]{0,30}\b(?:without|ohne|sin|sans|senza|sem|без|zonder|bez)\b|\b(?:first|erst|eerst|primero|primeiro|d'abord|prima|najpierw|сначала|önce)\b[^.!?\n]{0,40}\b(?:then|dann|dan|luego|depois|puis|poi|potem|потом|sonra)\b[^.!?\n]{0,20}\b(?:ship|send|post|mand|envi|envo|verstuur|verzend|versend|verschick|wysył|wyśl|отправ|gönder|spedi|exp[ée]di)\w*|\bonly\s+(?:post|ship|send|dispatch)\w*\s+(?:it\s+)?(?:once|when|after)\b|\b(?:cancel\w*|annul\w*|cancelo|annullo|anul\w*|отмен\w*|iptal|storni\w*|przepad\w*)\b|\w*(?:لغي|ألغ)\w*|\w*(?:mezseniz|mazsanız|mezsen|mazsan)\b|発送できません|キャンセル|(?:ないと|なしでは|なしで)[^。]{0,20}(?:配達|発送|配送|届)|أشحن|بلغي|الشحنة\s+بتتأخر|يتأخر|بيتأخر|\b(?:won'?t\s+(?:ship|send|post|dispatch)|will\s+not\s+(?:ship|send|post|dispatch)|nie\s+(?:wyśl|wysył|nadam)\w*|не\s+(?:отправ|вышл|высыла)\w*|(?:schicke|verschicke|versende|sende)\s+(?:ich\s+)?(?:\w+\s+){0,2}nicht\s+(?:los|raus|ab)?|verstuur\s+ik\s+(?:\w+\s+){0,2}niet|n'envoie\s+(?:\w+\s+){0,2}pas|no\s+(?:te\s+|lo\s+|la\s+)?(?:env[ií]o|mando)|non\s+(?:te\s+|lo\s+|la\s+)?(?:spedisco|mando|invio)|n[ãa]o\s+(?:te\s+|o\s+|a\s+)?(?:envio|mando)|göndermem\w*|göndermeyece\w*|olmadan|ohne\s+hinterlegte|pas\s+d'exp[ée]dition|je\s+n'exp[ée]die\s+pas|n'exp[ée]die|verschicke\s+ich\s+(?:grundsätzlich\s+)?nicht|не\s+довезти|adrese\s+çıkmıyor|ترفض|بيتلغى|sinon\s+j'annule)\b|\b(?:pas|erst|only|solo|s[óo]lo|seulement|soltanto|s[óo]|dopiero|только|ancak)\s+(?:\w+\s+){0,2}(?:verzend\w*|versturen|verstuur\w*|versend\w*|verschick\w*|ship\w*|send\w*|post|dispatch\w*|env[ií]\w*|mand\w*|exp[ée]di\w*|spedi\w*|wyśl\w*|wysył\w*|wysła\w*|отправ\w*|gönder\w*)\b[^.!?\n]{0,20}\b(?:als|wenn|when|once|after|cuando|quand|lorsque|quando|gdy|jak|kiedy|когда|после|sonra)\b|\b(?:verzend\w*|verstuur\w*|versend\w*|verschick\w*|ship\w*|send\w*|post|dispatch\w*|wyśl\w*|wysył\w*|wysła\w*|отправ\w*)\s+(?:\w+\s+){0,2}(?:pas|erst|only|dopiero|только)\b[^.!?\n]{0,10}\b(?:als|wenn|when|once|after|gdy|jak|kiedy|когда|после)\b";
/// Waiting for it: "Llevo toda la mañana esperando tu teléfono", "I'm
/// still waiting for your number". With the reader's phone or email named.
const WAITING: &str = r"(?i)\b(?:waiting\s+(?:for|on)|wait\s+(?:for|on)|warte\w*\s+(?:\w+\s+){0,3}auf|wacht\w*\s+(?:\w+\s+){0,3}op|attends?|attendons|esperando|espero|aspett\w*|aguard\w*|(?:à|a)\s+espera\s+d[oa]|czekam\w*|жд[уёе]\w*|bekliyor\w*)\b|お待ちして|بانتظار|أنتظر|انتظر";
/// The reader's number to be shown through the platform's own setting
/// ("включите «Показывать мой номер продавцу»"): pressing, when the next
/// sentence threatens.
const SHOWN: &str = r"(?i)\b(?:show\w*|display\w*|zeig\w*|anzeig\w*|toon\w*|tonen|afficher|affich\w*|mostrar|mostra\w*|pokaż\w*|pokazywa\w*|показ\w*|göster\w*)\s+(?:\w+\s+){0,2}(?:number|nummer|num[ée]ro|n[uú]mero|numero|numer|номер|numara\w*)\b|番号を(?:表示|公開)";

/// Other buyers give it: the reader should too.
const OTHERS: &str = r"(?i)\b(?:el\s+resto\s+de\s+(?:los\s+|mis\s+)?compradores|los\s+dem[aá]s\s+compradores|the\s+rest\s+of\s+(?:my\s+)?(?:buyers|customers)|die\s+anderen\s+käufer|les\s+autres\s+acheteurs|gli\s+altri\s+acquirenti|os\s+(?:outros|demais)\s+compradores|pozostali\s+kupujący|остальные\s+покупатели|diğer\s+müşteriler|la\s+plupart\s+de\s+mes\s+acheteurs|most\s+of\s+my\s+buyers|die\s+meisten\s+(?:meiner\s+)?käufer|la\s+mayoría\s+de\s+mis\s+compradores|la\s+maggior\s+parte\s+dei\s+miei|a\s+maioria\s+dos\s+meus|większość\s+moich|большинство\s+(?:моих\s+)?покупателей|çoğu\s+alıcı|most|other|all)\s+(?:buyers|customers)|andere\s+käufer|de\s+meeste\s+kopers|andere\s+kopers|większość\s+kupujących|inni\s+kupujący|la\s+plupart\s+des\s+acheteurs|la\s+mayoría\s+de\s+(?:los\s+)?compradores|la\s+maggior\s+parte\s+degli\s+acquirenti|a\s+maioria\s+dos\s+compradores|другие\s+покупатели|diğer\s+alıcılar|courier\s+(?:is\s+)?(?:very\s+)?strict|spedition\s+besteht|koerier\s+staat\s+erop|kurier\s+(?:raczej\s+)?wymaga|курьер\s+без|kurye\s+numarasız|配送業者が番号|المندوب\s+ما|كل\s+العملاء|\b(?:todo\s+el\s+mundo\s+me\s+lo\s+(?:da|pasa|deja)|everyone\s+(?:else\s+)?(?:gives|sends)\s+(?:it|me)|alle\s+(?:anderen\s+)?geben\s+(?:sie|ihn|es|mir)|iedereen\s+geeft|tout\s+le\s+monde\s+(?:me\s+)?(?:le\s+)?donne|tutti\s+(?:me\s+)?(?:lo\s+)?danno|todo\s+mundo\s+(?:me\s+)?(?:passa|d[áa])|wszyscy\s+(?:mi\s+)?(?:go\s+)?(?:podają|dają)|все\s+(?:мне\s+)?(?:дают|оставляют)|herkes\s+veriyor)\b";
/// A contact that is real, direct or personal rather than the platform's
/// masked one; or a number put in a field the other party can read.
const REAL: &str = r"(?i)\b(?:real|vrai|vero|de\s+verdade|echte?n?|настоящ\w*|prawdziw\w*|gerçek|normal\w*|personal|persönlich\w*|personnel\w*|personale|pessoal|osobist\w*|личн\w*|kişisel|private?|privat\w*|priv[ée]\w*|direct\w*|direkt\w*|rechtstreeks|bezpośredni\w*|прям\w*|doğrudan|usual|habitual|opmerking\w*|uwag\w*|bemerkung\w*|remarques?|observa[çc]\w*|comments?\s+field|notes?\s+field)\b|普段|連絡先";
/// Another channel named outright: said alone, it asks for one.
const ELSEWHERE_STRONG: &str = r"(?i)\b(?:reach\s+(?:you|the\s+customer)\s+directly|directly\s+reach|direkt\s+erreichen|buiten\s+de\s+app\s+(?:kan\s+)?bereiken|outra\s+forma\s+de\s+falar|bara\s+el\s+chat|bezpośredni\w*\s+kontakt|личный\s+контакт|way\s+of\s+reaching|moyen\s+de\s+vous\s+joindre|forma\s+de\s+contactar|direkt\s+erreichen|reach\s+you\s+(?:directly|outside)|contact\s+you\s+directly|buiten\s+de\s+app)\b";
/// Couriers and drivers.
pub(crate) const COURIER: &str = r"(?i)\b(?:courier\w*|driver|estafeta|motoboy|entregador|spedition|fahrer|kurier\w*|koerier|bezorger|livreur|transporteur|repartidor|mensajero|corriere|transportadora|курьер\w*|kurye|agencia|transportista|correos|ctt|сдэк|postnl|inpost|paczkomat\w*|przewoźnik\w*|zustellpartner|bezorgpartner|courier\s+partner|kargo\s+firma\w*|kargo\s+şirket\w*|paketdienst|vervoerder)\b|配送業者|المندوب|شركة\s+الشحن";
/// Another channel than this chat.
const ELSEWHERE: &str = r"(?i)\b(?:another\s+way|other\s+way|somewhere\s+(?:else|i\s+can)|outside\s+(?:of\s+)?(?:here|this\s+chat|the\s+app)|direct\s+contact|otro\s+medio|alg[uú]n\s+(?:otro\s+)?(?:sitio|medio|lado)\s+donde|fuera\s+de\s+aqu[ií]|autre\s+moyen|un\s+moyen|en\s+dehors\s+d'ici|altro\s+modo|un\s+modo|fuori\s+da\s+qui|outr[ao]\s+(?:forma|jeito|maneira)|fora\s+daqui|tem\s+(?:como|maneira)|andere\s+manier|buiten\s+de\s+app|inny\s+sposób|poza\s+czatem|другой\s+способ|не\s+через\s+чат|doğrudan\s+iletişim\w*|başka\s+bir\s+yol\w*|bir\s+yolunu|somewhere\s+(?:quicker|faster|easier|better)|ailleurs|autrement|da\s+un'?altra\s+parte|altrove|por\s+otro\s+lado|en\s+otro\s+sitio|ergens\s+anders|anderswo|woanders|sonst\s+(?:\w+\s+){0,3}erreichen|poza\s+(?:portalem|platformą|serwisem|czatem|aplikacją)|gdzie\s+indziej|в\s+другом\s+месте|başka\s+(?:bir\s+)?yer\w*|(?:em|noutro|por)\s+outro\s+lado|em\s+outro\s+lugar|direttamente\s+(?:con\s+(?:il\s+)?cliente)|diretamente\s+com\s+o\s+cliente|falar\s+dire(?:c)?t[oa]\s+com|directly\s+with\s+the\s+(?:customer|buyer)|direkt\s+konuşabildiğim|напрямую\s+(?:связ|созвон|общ)\w*|(?:quicker|faster|easier|better|alternative|backup)\s+(?:way|means)\s+(?:to|of)\s+(?:reach|contact|get\s+(?:hold|in\s+touch)|talk|chat|writ)\w*|(?:an?|your|any)\s+(?:quicker|faster|alternative|backup)\s+(?:(?:phone\s+)?number|contact\w*|channel)|(?:eine?n?|deine?n?|ihre?n?)\s+alternativ\w*\s+(?:kontakt\w*|nummer|telefon\w*)|(?:schneller\w*|bessere[nrs]?|andere[nrs]?)\s+(?:weg|möglichkeit|kanal)\s+(?:\w+\s+){0,2}(?:erreichen|schreiben|kontaktieren)|wo\s+man\s+(?:\w+\s+)?(?:schreiben|reden|erreichen)\s+kann|buiten\s+(?:deze|dit|de)\s+(?:chat|app|platform|site)|snellere\s+manier\s+om\s+(?:je|u|elkaar)|moyen\s+plus\s+(?:rapide|simple)\s+de\s+(?:vous|te)\s+(?:joindre|contacter|parler|[ée]crire)|coordonn[ée]es\s+de\s+secours|(?:forma|manera|v[ií]a)\s+m[aá]s\s+(?:r[aá]pida|directa|f[aá]cil)\s+de\s+(?:contact|localiz|habl|escrib|comunic)\w*|otra\s+(?:forma|manera|v[ií]a)\s+de\s+(?:contact|localiz|habl|escrib)\w*|(?:un|tuo|suo)\s+(?:recapito|contatto)\s+alternativo|modo\s+pi[uù]\s+(?:veloce|rapido|diretto)\s+(?:per|di)\s+(?:sentir|contatt|raggiung|scriver)\w*|(?:jeito|forma|maneira)\s+mais\s+(?:r[aá]pid[oa]|f[aá]cil|diret[oa])\s+de\s+(?:falar|contat|contact|comunic|escrever|te\s+achar)\w*|(?:un|tu|su|seu|um)\s+contacto\s+alternativo|inn\w*\s+sposob\w*,?\s+(?:żeby\w*|aby\w*|by\w*|na\s+kontakt|kontaktu|się\s+(?:skontaktować|dogadać))|szybsz\w*\s+kontakt\w*|не\s+только\s+через\s+(?:этот\s+|этот\s+вот\s+)?(?:чат|сайт|приложение)|другой\s+(?:способ|канал)\s+связи|başka\s+(?:bir\s+)?(?:nereden|yerden|yoldan|kanaldan)|daha\s+hızlı\s+(?:bir\s+)?(?:yol|iletişim)\w*)\b|以外でも|別の方法|直接やり取り|(?:早く|すぐ|直接)連絡(?:が|を)?(?:取れる|とれる)|連絡(?:が|を)?(?:取れる|とれる)方法|他の連絡(?:先|方法)|تواصل\s+مباشر|طريقة\s+(?:ثانية|أخرى|تانية|أسرع|اسرع)\s+(?:للتواصل|نتواصل|أتواصل)|مكان\s+(?:ثاني|آخر|ثان)|(?:もっと|より)?(?:やり取り|連絡)(?:し|が)やすい方法";

/// Asking how or where to reach the reader, call them or send them
/// something: "how can I reach you fastest?", "wie erreiche ich Sie am
/// schnellsten?", "куда вам удобнее скинуть?", "どちらにお送りすれば".
const REACH: &str = r"(?i)\b(?:how\s+(?:can|do|could|should)\s+i\s+(?:best\s+)?(?:reach|contact|get\s+hold\s+of|get\s+in\s+touch\s+with)|(?:quicker|faster|easier|better)\s+way\s+(?:to|for\s+me\s+to)\s+(?:reach|contact|get\s+hold)|where\s+(?:can|should|do)\s+i\s+send|(?:are|is)\s+you\s+on\s+any|(?:can|may)\s+i\s+(?:call|ring|phone)\s+you|wie\s+(?:erreiche|kontaktiere)\s+ich|wie\s+kann\s+ich\s+(?:sie|dich)\s+(?:\w+\s+){0,2}erreichen|wohin\s+kann\s+ich|was\s+schnelleres|(?:darf|kann)\s+ich\s+(?:sie|dich)\s+(?:kurz\s+)?anrufen|c[oó]mo\s+(?:te|le|os)\s+(?:localizo|contacto|encuentro|aviso)|c[oó]mo\s+puedo\s+(?:localizarte|contactarte|contactarle)|d[oó]nde\s+(?:te|le)\s+(?:puedo\s+)?(?:mando|env[ií]o|mandar|enviar)|(?:te|le)\s+puedo\s+(?:mandar|enviar)\s+un\s+audio|te\s+puedo\s+llamar|comment\s+(?:est-ce\s+que\s+)?je\s+vous\s+(?:joins|contacte)|comment\s+vous\s+joindre|o[uù]\s+(?:puis-je|je\s+peux)\s+vous|je\s+peux\s+vous\s+appeler|come\s+(?:la|lo|ti|vi)\s+(?:rintraccio|contatto|raggiungo)|dove\s+(?:posso|le\s+posso)\s+(?:mandar|inviar)\w*|posso\s+sentirla|(?:posso|la\s+posso)\s+chiamar\w*|hoe\s+kan\s+ik\s+(?:je|u)\s+(?:\w+\s+){0,3}bereiken|waar\s+kan\s+ik\s+(?:\w+\s+){0,3}sturen|mag\s+ik\s+(?:je|u)\s+(?:\w+\s+){0,2}(?:horen|bellen)|jak\s+(?:\w+\s+){0,2}mogę\s+się\s+z\s+(?:panem|panią|tobą)\s+skontaktować|gdzie\s+mogę\s+(?:\w+\s+){0,2}(?:podesłać|wysłać|przesłać)|как\s+(?:с\s+вами|вас)\s+(?:связаться|найти)|куда\s+(?:вам\s+)?(?:удобнее\s+)?(?:скинуть|отправить|прислать)|para\s+onde\s+(?:lhe|te)\s+posso\s+(?:mandar|enviar)|como\s+(?:te|o|a)\s+(?:encontro|contacto|localizo)|nere(?:den|ye)\s+(?:ulaştırabilirim|gönderebilirim|göndereyim))\b|どちらにお送り|どこに送れば|وين\s+[أا]قدر\s+[أا]رسل|\b(?:(?:best|quickest|easiest|fastest)\s+way\s+to\s+(?:reach|contact|get\s+(?:hold\s+of|in\s+touch\s+with))\s+you|how\s+(?:would\s+|do\s+)?you\s+(?:prefer|like)\s+to\s+be\s+(?:contacted|reached)|wie\s+komme\s+ich\s+(?:\w+\s+){0,3}an\s+(?:sie|dich)\s+(?:ran|heran)|wie\s+(?:sie|du)\s+(?:am\s+liebsten|lieber)\s+erreich\w*|comment\s+(?:vous\s+)?pr[ée]f[ée]r\w*\s+[êe]tre\s+contact\w*|c[oó]mo\s+prefier\w*\s+que\s+(?:te|le)\s+contact\w*|come\s+preferisc\w*\s+(?:essere\s+contattat\w*|che\s+(?:la|ti|vi)\s+contatt\w*)|como\s+prefere\s+(?:ser\s+contactad[oa]|que\s+(?:eu\s+)?(?:te|o|a)\s+contact\w*)|hoe\s+(?:je|u)\s+(?:het\s+)?liefst\s+bereikt|jak\s+(?:\w+\s+)?woli\s+(?:\w+\s+)?(?:się\s+)?kontakt\w*|gdzie\s+mogę\s+(?:\w+\s+){0,3}(?:napisać|zadzwonić)|где\s+вам\s+(?:будет\s+)?удобнее|как\s+вам\s+удобнее\s+(?:связаться|чтобы)|nasıl\s+ulaşmamı\s+tercih\w*)\b";
/// How the reader would rather be reached, asked with or without a
/// question mark ("mi dica come preferisce essere contattata").
const PREFER: &str = r"(?:best|quickest|easiest|fastest)\s+way\s+to\s+(?:reach|contact|get\s+(?:hold\s+of|in\s+touch\s+with))\s+you|how\s+(?:would\s+|do\s+)?you\s+(?:prefer|like)\s+to\s+be\s+(?:contacted|reached)|wie\s+komme\s+ich\s+(?:\w+\s+){0,3}an\s+(?:sie|dich)\s+(?:ran|heran)|wie\s+(?:sie|du)\s+(?:am\s+liebsten|lieber)\s+erreich\w*|comment\s+(?:vous\s+)?pr[ée]f[ée]r\w*\s+[êe]tre\s+contact\w*|c[oó]mo\s+prefier\w*\s+que\s+(?:te|le)\s+contact\w*|come\s+preferisc\w*\s+(?:essere\s+contattat\w*|che\s+(?:la|ti|vi)\s+contatt\w*)|como\s+prefere\s+(?:ser\s+contactad[oa]|que\s+(?:eu\s+)?(?:te|o|a)\s+contact\w*)|hoe\s+(?:je|u)\s+(?:het\s+)?liefst\s+bereikt|jak\s+(?:\w+\s+)?woli\s+(?:\w+\s+)?(?:się\s+)?kontakt\w*|gdzie\s+mogę\s+(?:\w+\s+){0,3}(?:napisać|zadzwonić)|где\s+вам\s+(?:будет\s+)?удобнее|как\s+вам\s+удобнее\s+(?:связаться|чтобы)|nasıl\s+ulaşmamı\s+tercih\w*";

/// The reader's best number or address asked for: "what's the best number
/// to reach you on?", "el mejor número para localizarte".
const BEST_NUMBER: &str = r"(?i)\b(?:best\s+(?:phone\s+|mobile\s+|contact\s+)?(?:number|email)\s+(?:to\s+(?:reach|call|contact|text|get\s+hold\s+of)\s+you|for\s+you)|(?:beste|welche)\s+(?:telefon)?nummer,?\s+(?:\w+\s+){0,3}(?:erreich\w*|anrufen)|beste\s+nummer\s+om\s+(?:je|u)\s+te\s+(?:bereiken|bellen)|meilleur\s+num[ée]ro\s+pour\s+vous\s+(?:joindre|appeler|contacter)|mejor\s+n[uú]mero\s+para\s+(?:localizarte|llamarte|contactarte|localizarle|llamarle)|numero\s+migliore\s+per\s+(?:contattarti|chiamarti|raggiungerti|contattarla)|melhor\s+n[uú]mero\s+para\s+(?:te\s+|o\s+|a\s+)?(?:contactar|ligar|falar|contatar)|najlepsz\w*\s+numer\w*,?\s+(?:\w+\s+){0,2}(?:kontakt|zadzwoni|dodzwoni)\w*|по\s+какому\s+номеру\s+(?:вам\s+)?(?:удобнее|лучше)|hangi\s+numaradan\s+(?:size\s+)?ulaş\w*)\b|一番つながりやすい(?:番号|電話)|أفضل\s+رقم";

/// This chat said to fall short: the reason to go elsewhere.
const HERE: &str = r"(?i)\b(?:here|on\s+here|this\s+chat|hier|aqu[ií]|por\s+aqu[ií]|ici|messagerie|qui|aqui|por\s+aqui|tutaj|здесь|тут|чат\w*|burada|buraya|chat|app)\b|こちら|ここ|هنا|\b(?:czat\w*|czaci\w*|buradaki\w*)\b";

/// A messaging app or an email account, by name or slang.
pub(crate) const APP: &str = r"(?i)\b(?:messenger\w*|мессенджер\w*|komunikator\w*|threema|discord|snap\w*|whats\s?app\w*|telegram\w*|телег\w*|ватсап\w*|вотсап\w*|viber|signal|insta\w*|snapchat|e-?mail|e-?posta|е-?мейл)\b|(?-i:\bLINE\b)|واتس\w*|ライン|インスタ";
/// Having or using it: "do you have", "hast du", "tienes", "var mı", "عندك".
const HAVE: &str = r"(?i)\b(?:have|got|use|hast|habt|haben\s+sie|nutzt|tienes|tiene|usas|t'as|as-tu|avez|avez-vous|utilises|hai|ha|usi|heb|hebt|heeft|gebruik\w*|masz|macie|używasz|tem|tens|usa|есть|var\s+m[ıi]|kullanıyor\w*)\b|عندك|عندكم|تستخدم|やってます|やってる|使ってます|ありますか|お持ち";

/// A place or way easier, quicker or more practical than this chat: "algum
/// lugar mais prático", "outro sítio onde seja mais fácil", "daha kolay
/// ulaşabileceğim bir yer". Asked with a way to reach or send, it asks for
/// another channel.
const EASE_PLACE: &str = r"(?i)\b(?:somewhere|place|way|channel|lugar|s[íi]tio|posto|luogo|modo|plek|plaats|manier|ort|weg|kanal|endroit|moyen|miejsc\w*|sposób|место|способ|yer|yol)\b[^.!?\n]{0,30}\b(?:easier|simpler|quicker|faster|more\s+practical|more\s+convenient|(?:mais|más|più|plus|daha|bardziej)\s+(?:pr[áa]tic[oa]|f[áa]cil|r[áa]pid[oa]|c[óo]mod[oa]|comodo|semplice|facile|veloce|pratique|simple|rapide|kolay|hızlı|rahat)|makkelijker|sneller|handiger|einfacher|schneller|bequemer|wygodniej\w*|łatwiej\w*|szybciej|удобнее|проще|быстрее)\b|\b(?:easier|simpler|quicker|faster|more\s+convenient|(?:mais|más|più|plus|daha)\s+(?:pr[áa]tic[oa]|f[áa]cil|r[áa]pid[oa]|c[óo]mod[oa]|comodo|semplice|facile|veloce|pratique|simple|rapide|kolay|hızlı|rahat)|makkelijker|sneller|einfacher|schneller|wygodniej\w*|łatwiej\w*|szybciej|удобнее|проще|быстрее)\b[^.!?\n]{0,40}\b(?:somewhere|place|way|channel|lugar|s[íi]tio|posto|luogo|modo|plek|plaats|manier|ort|weg|kanal|endroit|moyen|miejsc\w*|sposób|место|способ|yer|yol)\b|(?:أسهل|أسرع)\s+(?:مكان|طريقة)|(?:مكان|طريقة)\s+(?:\S+\s+){0,2}(?:أسهل|أسرع)";
/// Reaching, writing or sending to the reader.
const CONTACT_VERB: &str = r"(?i)\b(?:reach\w*|contact\w*|write|writing|talk|chat|message|call|ring|send\s+you|ulaş\w*|yaz\w*|konuş\w*|mand(?:ar|e)|apanh\w*|falar|escrever|contat\w*|contatt\w*|scriver\w*|sentir\w*|schreib\w*|erreich\w*|bereik\w*|schrijven|bellen|appen|joindre|[ée]crire|appeler|escribir(?:te|le)?|llamar(?:te|le)?|localizar\w*|napisa\w*|zadzwoni\w*|skontaktowa\w*|связаться|написать|позвонить|скинуть|прислать)\b|أتواصل|تواصل|[أا]كلم\S*|[أا]رسل\S*|連絡|やり取り";

pub(crate) struct ContactAsk {
    sentence: Rule,
    noun: Rule,
    phone_noun: Rule,
    to_me: Rule,
    polite: Rule,
    courier_needs: Rule,
    yours: Rule,
    ask: Rule,
    not_asked: Rule,
    pressure: Rule,
    others: Rule,
    elsewhere: Rule,
    real: Rule,
    to_have: Rule,
    elsewhere_strong: Rule,
    courier: Rule,
    best_number: Rule,
    app: Rule,
    have: Rule,
    /// An order or parcel number: the number meant is not the reader's.
    order: Rule,
    reach: Rule,
    here: Rule,
    /// "We need", "ci serve", "potrzebujemy": the sender needs it.
    need: Rule,
    /// "If there's a quicker way to get hold of you": asks without a question mark.
    reach_way: Rule,
    ease_place: Rule,
    contact_verb: Rule,
    waiting: Rule,
    shown: Rule,
}

impl ContactAsk {
    pub(crate) fn new() -> Result<Self, regex::Error> {
        Ok(Self {
            sentence: super::regex(r"[^!?\n;.。！？]+(?:\.\S[^!?\n;.。！？]*)*[!?。！？]?")?,
            noun: super::regex(NOUN)?,
            phone_noun: super::regex(PHONE_NOUN)?,
            to_me: super::regex(TO_ME)?,
            polite: super::regex(POLITE)?,
            courier_needs: super::regex(COURIER_NEEDS)?,
            yours: super::regex(YOURS)?,
            ask: super::regex(ASK)?,
            not_asked: super::regex(NOT_ASKED)?,
            pressure: super::regex(PRESSURE)?,
            others: super::regex(OTHERS)?,
            elsewhere: super::regex(ELSEWHERE)?,
            real: super::regex(REAL)?,
            elsewhere_strong: super::regex(ELSEWHERE_STRONG)?,
            courier: super::regex(COURIER)?,
            best_number: super::regex(BEST_NUMBER)?,
            app: super::regex(APP)?,
            have: super::regex(HAVE)?,
            reach: super::regex(REACH)?,
            here: super::regex(HERE)?,
            ease_place: super::regex(EASE_PLACE)?,
            contact_verb: super::regex(CONTACT_VERB)?,
            waiting: super::regex(WAITING)?,
            shown: super::regex(SHOWN)?,
            reach_way: super::regex(&format!(
                r"(?i)\b(?:(?:quicker|faster|easier|better|other)\s+way\s+(?:to|for\s+me\s+to)\s+(?:reach|contact|get\s+hold)|{PREFER})"
            ))?,
            need: super::regex(
                r"(?i)\b(?:need|needs|necesit\w*|ci\s+serve|potrzebuj\w*|nodig|brauchen|benötigen|besoin|precisamos|нужен|нужна|нужно|lazım|gerek\w*)\b",
            )?,
            order: super::regex(
                r"(?i)\b(?:order|pedido|commande|bestellung|заказ\w*|sipariş\w*|zamówieni\w*|ordine|bestelling|encomenda|tracking|rastreio|suivi|sendung\w*|envío|spedizione|przesyłk\w*|kargo\s+takip)\b",
            )?,
            to_have: super::regex(
                r"(?i)\b(?:have|having|avere|avoir|tener|ter|mieć|miec|иметь|hebben|haben|écrire|écrivez|escrib\w*|scriv\w*|escrev\w*)\b",
            )?,
        })
    }

    pub(crate) fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let text = scan.normalized.text.as_str();
        let has_noun = self.noun.is_match(text);
        let strong = self.elsewhere_strong.find(text);
        let has_app = self.app.is_match(text);
        let reach = self.reach.is_match(text);
        if (!has_noun
            && !has_app
            && strong.is_none()
            && !reach
            && !self.elsewhere.is_match(text)
            && !self.ease_place.is_match(text))
            || self.not_asked.is_match(text)
        {
            return;
        }
        let question = text.contains(['?', '？', '؟']);
        // A phone or email named in the sentence before: "The courier needs a
        // phone number. If I don't get it today, I cancel."
        let mut phone_before = false;
        // Whether the message names this chat, looked up once.
        let mut here = None;
        for sentence in self.sentence.find_iter(text) {
            let s = sentence.as_str();
            let phone_here = self.phone_noun.is_match(s);
            let noun = self.noun.is_match(s);
            let asks = self.ask.is_match(s);
            let polite = self.polite.is_match(s) || s.ends_with(['?', '？', '؟']);
            let imperative = self
                .ask
                .find(s)
                .is_some_and(|m| s[..m.start()].trim().is_empty());
            // "your number" asked for; or a phone or email asked for politely
            // ("個人のメールアドレスを教えてください"). "Email me: …" gives one's own.
            let yours_asked =
                self.yours.is_match(s) && (self.to_me.is_match(s) || polite || imperative);
            let phone_asked = self.phone_noun.is_match(s) && polite;
            // "The courier needs your mobile number. Please tell me the
            // number here": the phone named the sentence before.
            let asked_after = phone_before && noun && asks && polite;
            let rule = if (noun && asks && (yours_asked || phone_asked))
                || asked_after
                || self.best_number.is_match(s)
            {
                Some("contact_request.ask")
            } else if self.phone_noun.is_match(s) && self.need.is_match(s) && self.yours.is_match(s)
            {
                // "necesitamos su número de móvil y un correo personal".
                Some("contact_request.ask")
            } else if reach
                && (s.contains(['?', '？', '؟'])
                    || s.trim_end().ends_with("か。")
                    || self.reach_way.is_match(s))
                && self.reach.is_match(s)
                && *here.get_or_insert_with(|| self.here.is_match(text))
            {
                // "How can I reach you fastest? Messages here are slow."
                Some("contact_request.reach_elsewhere")
            } else if has_app
                && s.trim_end().ends_with(['?', '？', '؟'])
                && self.app.is_match(s)
                && self.have.is_match(s)
            {
                // "Do you have WhatsApp?", "Masz WhatsAppa?", "LINEやってますか？"
                Some("contact_request.app_question")
            } else if ((noun || phone_before) && self.pressure.is_match(s))
                || (phone_here && self.yours.is_match(s) && self.waiting.is_match(s))
                || (has_noun
                    && (self.others.is_match(s) || self.courier_needs.is_match(s))
                    && !gives_number(s))
                || (noun && question && self.courier.is_match(s) && !self.order.is_match(s))
            {
                Some("contact_request.pressure")
            } else if noun
                && self.real.is_match(s)
                && (asks || self.to_have.is_match(s) || self.ask.is_match(text))
                && (self.yours.is_match(s) || polite || question)
            {
                Some("contact_request.real_contact")
            } else if self.elsewhere.is_match(s) && (question || s.contains('…') || noun) {
                Some("contact_request.elsewhere")
            } else if s.contains(['?', '？', '؟'])
                && self.ease_place.is_match(s)
                && self.contact_verb.is_match(s)
                && *here.get_or_insert_with(|| self.here.is_match(text))
            {
                // "Messages here get lost. Is there somewhere easier I can reach you?"
                Some("contact_request.elsewhere")
            } else {
                None
            };
            if let Some(rule) = rule {
                hits.extend(scan.hit_normalized(
                    FindingKind::ContactRequest,
                    sentence.start(),
                    sentence.end(),
                    rule,
                ));
            }
            phone_before = phone_here || self.shown.is_match(s);
        }
        if let Some(m) = strong {
            hits.extend(scan.hit_normalized(
                FindingKind::ContactRequest,
                m.start(),
                m.end(),
                "contact_request.elsewhere",
            ));
        }
    }
}

/// Whether `s` gives a number itself (seven digits or more): the sender's
/// own line for the courier ("si le livreur a besoin d'indications, le
/// numéro de l'atelier est le …"), not one asked of the reader.
fn gives_number(s: &str) -> bool {
    s.chars().filter(char::is_ascii_digit).count() >= 7
}
