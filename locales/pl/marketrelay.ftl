# Co marketrelay mówi kupującym i sprzedającym, po polsku.
# Te same identyfikatory wiadomości co w locales/en/marketrelay.ftl.

## Strony

page-skip = Przejdź do treści

## Stopka wiadomości sprzedającego do kupującego

removal-notice = { $marketplace } usunął dane kontaktowe z tej wiadomości. Prosimy kontynuować rozmowę w { $marketplace }.
footer-report-question = Coś jest nie tak z tą wiadomością?
footer-report-link = Zgłoś ją
footer-opt-out-question = Nie chcesz otrzymywać od { $seller } wiadomości niezwiązanych z zamówieniem?
footer-opt-out-link = Wypisz się

## Powiadomienia dla nadawcy

subject-files-not-delivered = Pliki niedostarczone: { $subject }
subject-held = Wstrzymane do weryfikacji: { $subject }
subject-not-delivered = Niedostarczone: { $subject }
subject-warning = Ostrzeżenie: { $subject }
notice-held = Twoja wiadomość „{ $subject }” została wstrzymana do weryfikacji przez nasz zespół ds. zaufania i bezpieczeństwa.
notice-rejected = Twoja wiadomość „{ $subject }” została sprawdzona przez nasz zespół ds. zaufania i bezpieczeństwa i nie została dostarczona.
notice-blocked = Twoja wiadomość „{ $subject }” nie została dostarczona, ponieważ narusza zasady korespondencji.
notice-found = Co znaleźliśmy:
notice-held-next = Zostanie dostarczona, jeśli weryfikacja na to pozwoli; w przeciwnym razie odezwiemy się ponownie.
notice-reference = Numer referencyjny: { $id }
notice-files-taken-out = Usunięto pliki typu, który nie jest przekazywany: { $files }.
notice-advice = Jak zrobić to prawidłowo: { $advice }
messaging-rules = Wiadomości w { $marketplace } nie mogą zawierać bezpośrednich danych kontaktowych, linków do innych stron, próśb o płatność poza { $marketplace } ani ofert w zamian za opinie.

## Co znalazła kontrola

reason-email = zawiera adres e-mail
reason-phone = zawiera numer telefonu
reason-url = zawiera link do innej strony
reason-messaging-handle = zawiera nazwę użytkownika komunikatora
reason-offsite-payment = prosi o płatność poza { $marketplace }
reason-review-manipulation = oferuje coś w zamian za opinię
reason-contact-request = prosi o dane kontaktowe drugiej strony
reason-phishing = prosi o dane karty, hasła lub kody zabezpieczające
reason-promotional = reklamuje lub prosi o coś, czego zamówienie nie wymaga
removed-email = Usunięto adres e-mail.
removed-phone = Usunięto numer telefonu.
removed-url = Usunięto link do innej strony.
removed-messaging-handle = Usunięto nazwę użytkownika komunikatora.
found-blocked = Niedostarczona: { $reason }.
found-held = Wstrzymana do weryfikacji: { $reason }.
found-reason = { $reason }.

## Jak zrobić to prawidłowo

advice-phone = Prowadź rozmowę tutaj. Gdy zamówienie wymaga numeru telefonu (ustalenie dostawy, montażu lub personalizacji), sprzedający wysyła z rozmowy prośbę o zgodę, a kupujący decyduje, czy go udostępnić.
advice-email = Prowadź rozmowę tutaj: każda wiadomość dociera do drugiej strony przez tę rozmowę, więc inny adres ani aplikacja nie są potrzebne.
advice-url = Podawaj linki tylko do stron marketplace'u lub zatwierdzonych stron pomocy albo opisz stronę słowami.
advice-offsite-payment = Płatności odbywają się wyłącznie przez kasę marketplace'u; aby zmienić cenę, zmień ofertę lub zamówienie.
advice-review-manipulation = Możesz poprosić o uczciwą opinię, ale nigdy nie oferuj nic w zamian.
advice-phishing = Nigdy nie proś o dane karty, hasła ani kody zabezpieczające: płatność odbywa się w kasie marketplace'u.
advice-promotional = Pisz do kupującego tylko w sprawie jego zamówienia. Oferty, nowości i wyprzedaże umieszczaj w ogłoszeniach i na stronie sklepu; o opinię możesz poprosić raz na zamówienie, po jego doręczeniu.

## Wiadomości, które nie zostały przekazane

opt-out-notice = Twoja wiadomość „{ $subject }” nie została dostarczona: kupujący poprosił, by nie otrzymywać od Ciebie wiadomości niezwiązanych z zamówieniem.
opt-out-notice-order = Wiadomości o zamówieniu nadal do niego docierają: podaj w wiadomości numer zamówienia albo napisz o jego wysyłce, dostawie, śledzeniu, zwrocie, refundacji, fakturze lub anulowaniu (w rozmowie bez własnego zamówienia podaj numer zamówienia także w polu order_id API { $marketplace }).
rate-limited-notice = Twoja wiadomość „{ $subject }” nie została dostarczona: napisano więcej wiadomości, niż { $marketplace } pozwala w krótkim czasie (na godzinę we wszystkich Twoich rozmowach lub na dzień w tej).
rate-limited-notice-again = Zostaje zachowana, ale nie zostanie wysłana. Gdy ta godzina lub ten dzień minie, Twoje wiadomości znów będą dostarczane: wyślij ją wtedy ponownie.
files-removed-notice = Twoja wiadomość „{ $subject }” została dostarczona bez tych plików, ponieważ pliki tego typu nie są przekazywane:
files-passed-on = Przekazywane są pliki: { $types }.
undeliverable = Twojej wiadomości „{ $subject }” z { $date } nie udało się dostarczyć { $to ->
        [seller] sprzedającemu
       *[buyer] kupującemu
    }: jego serwer pocztowy jej nie przyjął. { $marketplace } został powiadomiony.
undeliverable-order = Twojej wiadomości „{ $subject }” z { $date } dotyczącej zamówienia { $order } nie udało się dostarczyć { $to ->
        [seller] sprzedającemu
       *[buyer] kupującemu
    }: jego serwer pocztowy jej nie przyjął. { $marketplace } został powiadomiony.
undeliverable-retry = Możesz spróbować ponownie później lub skontaktować się z pomocą { $marketplace }.

## Ostrzeżenie dla sprzedającego

warning-intro = { $marketplace } udziela Ci ostrzeżenia w związku z Twoją wiadomością „{ $subject }” do kupującego: narusza ona zasady korespondencji { $marketplace }.
warning-rule-broken = Naruszona zasada:
warning-reason = Powód podany przez nasz zespół ds. zaufania i bezpieczeństwa: { $reason }
warning-counts = To ostrzeżenie liczy się jako naruszenie. Wiadomości odrzucone przez nasz zespół również się liczą, a powtarzające się naruszenia automatycznie zawieszają Twoje konto: dopóki jest zawieszone, każda wysłana przez Ciebie wiadomość jest wstrzymywana do weryfikacji.

## Prośby o zgodę

contact-kind-phone = numer telefonu
purpose-delivery-scheduling = ustalenia terminu dostawy
purpose-installation = ustalenia montażu
purpose-customisation = omówienia personalizacji zamówienia
purpose-technical-troubleshooting = rozwiązania problemów technicznych
consent-how-to-ask = Aby otrzymać numer telefonu kupującego, poproś o jego zgodę: POST /api/v1/conversations/{ $conversation }/consent-requests z zamówieniem, którego dotyczy, i celem ({ $purposes }), albo użyj „Request phone number” w skrzynce. Kupujący decyduje, a numer jest dla Ciebie dostępny tylko, dopóki obowiązuje jego zgoda.
consent-subject = { $seller } prosi o Twój numer telefonu ({ $marketplace })
consent-ask = { $seller } prosi o Twój numer telefonu w celu { $purpose } (zamówienie { $order }).
consent-terms = Jeśli się zgodzisz, { $seller } będzie widzieć Twój numer telefonu tylko w tej rozmowie przez { $days ->
        [one] { $days } dzień
       *[other] { $days } dni
    } lub do odwołania zgody. Może być użyty wyłącznie w celu { $purpose }, nigdy do marketingu, i nie jest nikomu udostępniany. Jeśli odmówisz lub nie odpowiesz, nic nie zostanie udostępnione, a Twoje zamówienie zostanie zrealizowane jak zwykle.
consent-mail-grant = Aby udostępnić numer telefonu, otwórz:
consent-mail-decline = Aby odmówić, otwórz:
consent-mail-revoke = Te linki działają do { $date }. Jeśli udostępnisz numer, możesz w każdej chwili przestać go udostępniać; od tej chwili sprzedający nie widzi już Twojego numeru telefonu:
consent-mail-forward = Nie przekazuj tej wiadomości dalej: linki odpowiadają w Twoim imieniu.

## Strony zgody

consent-asks = { $seller } prosi o Twój numer telefonu w celu { $purpose }.
consent-email-label = Twój adres e-mail (ten, na który wysłano tę prośbę)
consent-keep-link = Zachowaj adres tej strony, aby do niej wrócić:
consent-keep-link-text = przestań udostępniać
consent-title-share = Udostępnić numer telefonu?
consent-grant-terms = Jeśli się zgodzisz, { $seller } zobaczy Twój numer telefonu tylko w tej rozmowie, przez { $days ->
        [one] { $days } dzień
       *[other] { $days } dni
    } (do { $until }) lub do odwołania zgody.
consent-grant-use = Może być użyty wyłącznie w celu { $purpose }, nigdy do marketingu, i nie jest nikomu udostępniany. Twoje zamówienie zostanie zrealizowane niezależnie od Twojej decyzji.
consent-button-share = Udostępnij mój numer telefonu
consent-title-decline = Odrzucić prośbę?
consent-decline-nothing = Jeśli odmówisz, nic nie zostanie udostępnione.
consent-button-decline = Odmów
consent-title-revoke = Przestać udostępniać numer telefonu?
consent-can-see-until = { $seller } może widzieć Twój numer telefonu do { $date }.
consent-button-stop = Przestań udostępniać
consent-title-nothing-shared = Nic nie jest udostępniane
consent-not-shared-yet = Nie udostępniono Twojego numeru telefonu. Jeśli nie chcesz go udostępniać, odrzuć prośbę.
consent-title-nothing-to-do = Nic do zrobienia
consent-already = Ta prośba jest { $status ->
        [requested] nadal otwarta
        [granted] zaakceptowana
        [declined] odrzucona
        [revoked] odwołana
       *[expired] wygasła
    }; ten link nie może jej już zmienić.
consent-title-not-shared = Nie udostępniono
consent-wrong-address = To nie jest adres, na który wysłano tę prośbę, więc nic nie zostało udostępnione. Odpowiedzieć może tylko osoba, która otrzymała prośbę.
consent-too-many = Na ten link zbyt często odpowiadano błędnym adresem; nic nie zostało udostępnione. Spróbuj jutro.
consent-title-thanks = Dziękujemy
consent-now-see-until = { $seller } może teraz widzieć Twój numer telefonu do { $date }.
consent-stop-any-time = Możesz w każdej chwili przestać udostępniać:
consent-title-declined = Odrzucono
consent-declined = Odmówiono. Nic nie zostało udostępnione.
consent-title-stopped = Udostępnianie zakończone
consent-no-longer = { $seller } nie widzi już Twojego numeru telefonu.

## Strona zgłoszenia

report-page-title = Zgłoś wiadomość
report-title = Zgłosić tę wiadomość?
report-title-thanks = Dziękujemy
report-title-already = Już zgłoszono
report-from = Od
report-filed = Zgłoszono: ta wiadomość trafiła do naszego zespołu ds. zaufania i bezpieczeństwa.
report-already = Ta wiadomość została już zgłoszona; mamy ją.
report-reads-every = Nasz zespół ds. zaufania i bezpieczeństwa czyta każde zgłoszenie. Nie musisz robić nic więcej.
report-intro = Napisz naszemu zespołowi ds. zaufania i bezpieczeństwa, co jest nie tak z tą wiadomością. Sprzedający nie dowie się, kto ją zgłosił.
report-reason-label = Powód (opcjonalnie)
report-reason-choose = Wybierz powód
report-comment-label = Czy powinniśmy wiedzieć coś jeszcze? (opcjonalnie)
report-button = Zgłoś tę wiadomość
report-reason-spam = Spam lub niechciana reklama
report-reason-harassment = Niegrzeczna, obraźliwa lub z groźbami
report-reason-scam = Wygląda na oszustwo
report-reason-off-platform = Prośba o płatność lub kontakt poza marketplace'em
report-reason-other = Coś innego

## Strona wypisania

opt-out-title = Wiadomości od { $seller }
opt-out-status = Nie otrzymujesz od { $seller } wiadomości niezwiązanych z zamówieniem. Wiadomości o zamówieniu nadal do Ciebie docierają.
opt-out-email-label = Twój adres e-mail (ten, na który przychodzą te wiadomości)
opt-out-button-resume = Otrzymuj znów wszystkie wiadomości
opt-out-question = Wypisać się z wiadomości od { $seller } niezwiązanych z zamówieniem? Wiadomości o zamówieniu nadal będą docierać, a zdanie możesz zmienić przez ten link.
opt-out-button-stop = Wypisz się z tych wiadomości
opt-out-wrong-address = To nie jest adres, na który przychodzą te wiadomości, więc nic nie zostało zmienione.
opt-out-too-many = Na ten link zbyt często odpowiadano błędnym adresem; nic nie zostało zmienione. Spróbuj jutro.
opt-out-done-stop = Gotowe: wiadomości niezwiązane z zamówieniem nie będą już do Ciebie docierać.
opt-out-done-resume = Gotowe: znów otrzymujesz wszystkie wiadomości od tego sprzedającego.
