# Was marketrelay Käufern und Verkäufern sagt, auf Deutsch.
# Dieselben Nachrichten-IDs wie locales/en/marketrelay.ftl.

## Seiten

page-skip = Zum Inhalt springen

## Fußzeile einer Verkäufer-Nachricht an den Käufer

removal-notice = { $marketplace } hat Kontaktdaten aus dieser Nachricht entfernt. Bitte führen Sie Ihre Unterhaltung auf { $marketplace }.
footer-report-question = Stimmt etwas mit dieser Nachricht nicht?
footer-report-link = Melden
footer-opt-out-question = Keine Nachrichten von { $seller } mehr, die nicht eine Bestellung betreffen?
footer-opt-out-link = Abbestellen

## Hinweise an den Absender

subject-files-not-delivered = Dateien nicht zugestellt: { $subject }
subject-held = Zur Prüfung zurückgehalten: { $subject }
subject-not-delivered = Nicht zugestellt: { $subject }
subject-warning = Verwarnung: { $subject }
notice-held = Ihre Nachricht „{ $subject }“ wird von unserem Team für Vertrauen und Sicherheit geprüft.
notice-rejected = Ihre Nachricht „{ $subject }“ wurde von unserem Team für Vertrauen und Sicherheit geprüft und nicht zugestellt.
notice-blocked = Ihre Nachricht „{ $subject }“ wurde nicht zugestellt, weil sie gegen die Nachrichtenrichtlinie verstößt.
notice-found = Was wir gefunden haben:
notice-held-next = Sie wird zugestellt, wenn die Prüfung es erlaubt; andernfalls hören Sie wieder von uns.
notice-reference = Referenz: { $id }
notice-files-taken-out = Dateien eines Typs, der nicht weitergegeben wird, wurden entfernt: { $files }.
notice-advice = So geht es richtig: { $advice }
messaging-rules = Nachrichten auf { $marketplace } dürfen keine direkten Kontaktdaten, keine Links zu anderen Websites, keine Aufforderungen zur Zahlung außerhalb von { $marketplace } und keine Gegenleistungen für Bewertungen enthalten.

## Was die Richtlinie gefunden hat

reason-email = sie enthält eine E-Mail-Adresse
reason-phone = sie enthält eine Telefonnummer
reason-url = sie enthält einen Link zu einer anderen Website
reason-messaging-handle = sie enthält einen Messenger-Benutzernamen
reason-offsite-payment = sie fordert eine Zahlung außerhalb von { $marketplace }
reason-review-manipulation = sie bietet eine Gegenleistung für eine Bewertung an
reason-contact-request = sie fragt nach den Kontaktdaten der anderen Seite
reason-phishing = sie fragt nach Kartendaten, Passwörtern oder Sicherheitscodes
reason-promotional = sie wirbt oder bittet um etwas, das die Bestellung nicht braucht
removed-email = Eine E-Mail-Adresse wurde entfernt.
removed-phone = Eine Telefonnummer wurde entfernt.
removed-url = Ein Link zu einer anderen Website wurde entfernt.
removed-messaging-handle = Ein Messenger-Benutzername wurde entfernt.
found-blocked = Nicht zugestellt: { $reason }.
found-held = Zur Prüfung zurückgehalten: { $reason }.
found-reason = { $reason }.

## Wie es richtig geht

advice-phone = Bleiben Sie in dieser Unterhaltung. Wenn eine Bestellung eine Telefonnummer erfordert (Terminabsprache für die Lieferung, Installation oder Anpassung), sendet der Verkäufer aus der Unterhaltung eine Einwilligungsanfrage, und der Käufer entscheidet, ob er sie teilt.
advice-email = Bleiben Sie in dieser Unterhaltung: Jede Nachricht erreicht die andere Seite über diese Unterhaltung, eine andere Adresse oder App ist nicht nötig.
advice-url = Verlinken Sie nur Seiten des Marktplatzes oder zugelassene Hilfeseiten, oder beschreiben Sie die Seite in Worten.
advice-offsite-payment = Zahlungen laufen nur über den Checkout des Marktplatzes; um einen Preis zu ändern, ändern Sie das Angebot oder die Bestellung.
advice-review-manipulation = Sie dürfen um eine ehrliche Bewertung bitten, aber niemals etwas dafür anbieten.
advice-phishing = Fragen Sie niemals nach Kartendaten, Passwörtern oder Sicherheitscodes: Bezahlt wird im Checkout des Marktplatzes.
advice-promotional = Schreiben Sie Käufern nur zu ihrer Bestellung. Angebote, neue Produkte und Rabattaktionen gehören in Ihre Angebote und Ihre Shopseite; um eine Bewertung dürfen Sie einmal je Bestellung bitten, nachdem sie zugestellt wurde.

## Nicht weitergeleitete Nachrichten

opt-out-notice = Ihre Nachricht „{ $subject }“ wurde nicht zugestellt: Der Käufer möchte von Ihnen keine Nachrichten erhalten, die nicht eine Bestellung betreffen.
opt-out-notice-order = Nachrichten zu einer Bestellung erreichen ihn weiterhin: Nennen Sie die Bestellnummer in der Nachricht oder schreiben Sie über Versand, Lieferung, Sendungsverfolgung, Rücksendung, Erstattung, Rechnung oder Stornierung (in einer Unterhaltung ohne eigene Bestellung geben Sie die Bestellnummer auch im Feld order_id der { $marketplace }-API an).
rate-limited-notice = Ihre Nachricht „{ $subject }“ wurde nicht zugestellt: Sie haben in kurzer Zeit mehr Nachrichten geschrieben, als { $marketplace } erlaubt (pro Stunde in allen Ihren Unterhaltungen oder pro Tag in dieser).
rate-limited-notice-again = Sie wird aufbewahrt, aber nicht gesendet. Nach Ablauf dieser Stunde bzw. dieses Tages werden Ihre Nachrichten wieder zugestellt: Senden Sie sie dann erneut.
files-removed-notice = Ihre Nachricht „{ $subject }“ wurde ohne diese Dateien zugestellt, da Dateien dieses Typs nicht weitergegeben werden:
files-passed-on = Weitergegeben werden: { $types }.
undeliverable = Ihre Nachricht „{ $subject }“ vom { $date } konnte nicht { $to ->
        [seller] an den Verkäufer
       *[buyer] an den Käufer
    } zugestellt werden: Dessen Mailserver hat sie nicht angenommen. { $marketplace } wurde informiert.
undeliverable-order = Ihre Nachricht „{ $subject }“ vom { $date } zur Bestellung { $order } konnte nicht { $to ->
        [seller] an den Verkäufer
       *[buyer] an den Käufer
    } zugestellt werden: Dessen Mailserver hat sie nicht angenommen. { $marketplace } wurde informiert.
undeliverable-retry = Sie können es später erneut versuchen oder sich an den Support von { $marketplace } wenden.

## Verwarnung an einen Verkäufer

warning-intro = { $marketplace } verwarnt Sie wegen Ihrer Nachricht „{ $subject }“ an einen Käufer: Sie verstößt gegen die Nachrichtenregeln von { $marketplace }.
warning-rule-broken = Verletzte Regel:
warning-reason = Begründung unseres Teams für Vertrauen und Sicherheit: { $reason }
warning-counts = Diese Verwarnung zählt als Verstoß. Nachrichten, die unser Team ablehnt, zählen ebenfalls, und wiederholte Verstöße sperren Ihr Konto automatisch: Solange es gesperrt ist, wird jede Nachricht, die Sie senden, zur Prüfung zurückgehalten.

## Einwilligungsanfragen

contact-kind-phone = Telefonnummer
purpose-delivery-scheduling = die Terminabsprache für die Lieferung
purpose-installation = die Vereinbarung der Installation
purpose-customisation = die Abstimmung der Anpassung Ihrer Bestellung
purpose-technical-troubleshooting = die technische Fehlerbehebung
consent-how-to-ask = Um die Telefonnummer des Käufers zu erhalten, bitten Sie stattdessen um seine Einwilligung: POST /api/v1/conversations/{ $conversation }/consent-requests mit der betreffenden Bestellung und einem Zweck ({ $purposes }), oder nutzen Sie „Request phone number“ im Posteingang. Der Käufer entscheidet, und die Nummer erreicht Sie nur, solange seine Einwilligung gilt.
consent-subject = { $seller } bittet um Ihre { $kind } ({ $marketplace })
consent-ask = { $seller } möchte Ihre { $kind } für { $purpose } (Bestellung { $order }).
consent-terms = Wenn Sie zustimmen, sieht { $seller } Ihre { $kind } nur in dieser Unterhaltung, für { $days ->
        [one] { $days } Tag
       *[other] { $days } Tage
    } oder bis Sie Ihre Einwilligung widerrufen. Sie darf nur für { $purpose } verwendet werden, niemals für Werbung, und wird nie an andere weitergegeben. Wenn Sie ablehnen oder nicht antworten, wird nichts geteilt, und Ihre Bestellung läuft in jedem Fall wie gewohnt weiter.
consent-mail-grant = Um Ihre { $kind } zu teilen, öffnen Sie:
consent-mail-decline = Um abzulehnen, öffnen Sie:
consent-mail-revoke = Diese Links gelten bis { $date }. Wenn Sie sie teilen, können Sie das Teilen jederzeit beenden; der Verkäufer sieht Ihre { $kind } ab dann nicht mehr:
consent-mail-forward = Leiten Sie diese E-Mail nicht weiter: Die Links antworten in Ihrem Namen.

## Die Einwilligungsseiten

consent-asks = { $seller } bittet um Ihre { $kind } für { $purpose }.
consent-email-label = Ihre E-Mail-Adresse (an die diese Anfrage gesendet wurde)
consent-keep-link = Bewahren Sie die Adresse dieser Seite auf, um zurückzukehren:
consent-keep-link-text = Teilen beenden
consent-title-share = Ihre Telefonnummer teilen?
consent-grant-terms = Wenn Sie zustimmen, sieht { $seller } Ihre { $kind } nur in dieser Unterhaltung, für { $days ->
        [one] { $days } Tag
       *[other] { $days } Tage
    } (bis { $until }) oder bis Sie widerrufen.
consent-grant-use = Sie darf nur für { $purpose } verwendet werden, niemals für Werbung, und wird nie an andere weitergegeben. Ihre Bestellung läuft weiter, ob Sie zustimmen oder nicht.
consent-button-share = Meine Telefonnummer teilen
consent-title-decline = Anfrage ablehnen?
consent-decline-nothing = Wenn Sie ablehnen, wird nichts geteilt.
consent-button-decline = Ablehnen
consent-title-revoke = Teilen Ihrer Telefonnummer beenden?
consent-can-see-until = { $seller } kann Ihre { $kind } bis { $date } sehen.
consent-button-stop = Teilen beenden
consent-title-nothing-shared = Nichts wird geteilt
consent-not-shared-yet = Sie haben Ihre { $kind } nicht geteilt. Wenn Sie das nicht möchten, lehnen Sie die Anfrage ab.
consent-title-nothing-to-do = Nichts zu tun
consent-already = Diese Anfrage ist { $status ->
        [requested] noch offen
        [granted] erteilt
        [declined] abgelehnt
        [revoked] widerrufen
       *[expired] abgelaufen
    }; dieser Link kann sie nicht mehr ändern.
consent-title-not-shared = Nicht geteilt
consent-wrong-address = Das ist nicht die Adresse, an die diese Anfrage gesendet wurde, daher wurde nichts geteilt. Nur wer die Anfrage erhalten hat, kann sie beantworten.
consent-too-many = Dieser Link wurde zu oft mit der falschen Adresse beantwortet; nichts wurde geteilt. Versuchen Sie es morgen erneut.
consent-title-thanks = Vielen Dank
consent-now-see-until = { $seller } kann Ihre { $kind } jetzt bis { $date } sehen.
consent-stop-any-time = Sie können das Teilen jederzeit beenden:
consent-title-declined = Abgelehnt
consent-declined = Sie haben abgelehnt. Nichts wurde geteilt.
consent-title-stopped = Teilen beendet
consent-no-longer = { $seller } kann Ihre { $kind } nicht mehr sehen.

## Die Meldeseite

report-page-title = Eine Nachricht melden
report-title = Diese Nachricht melden?
report-title-thanks = Vielen Dank
report-title-already = Bereits gemeldet
report-from = Von
report-filed = Gemeldet: Diese Nachricht liegt jetzt unserem Team für Vertrauen und Sicherheit vor.
report-already = Diese Nachricht wurde bereits gemeldet; sie liegt uns vor.
report-reads-every = Unser Team für Vertrauen und Sicherheit liest jede Meldung. Sie müssen nichts weiter tun.
report-intro = Teilen Sie unserem Team für Vertrauen und Sicherheit mit, was an dieser Nachricht nicht stimmt. Der Verkäufer erfährt nicht, wer sie gemeldet hat.
report-reason-label = Grund (optional)
report-reason-choose = Grund auswählen
report-comment-label = Sollten wir noch etwas wissen? (optional)
report-button = Diese Nachricht melden
report-reason-spam = Spam oder unerwünschte Werbung
report-reason-harassment = Unhöflich, beleidigend oder bedrohlich
report-reason-scam = Sieht nach Betrug aus
report-reason-off-platform = Fordert zur Zahlung oder Kommunikation außerhalb des Marktplatzes auf
report-reason-other = Etwas anderes

## Die Abbestellseite

opt-out-title = Nachrichten von { $seller }
opt-out-status = Sie erhalten keine Nachrichten von { $seller }, die nicht eine Bestellung betreffen. Nachrichten zu einer Bestellung erreichen Sie weiterhin.
opt-out-email-label = Ihre E-Mail-Adresse (an die diese Nachrichten gehen)
opt-out-button-resume = Wieder alle Nachrichten erhalten
opt-out-question = Nachrichten von { $seller }, die nicht eine Bestellung betreffen, abbestellen? Nachrichten zu einer Bestellung erreichen Sie weiterhin, und Sie können es sich über diesen Link anders überlegen.
opt-out-button-stop = Diese Nachrichten abbestellen
opt-out-wrong-address = Das ist nicht die Adresse, an die diese Nachrichten gehen, daher wurde nichts geändert.
opt-out-too-many = Dieser Link wurde zu oft mit der falschen Adresse beantwortet; nichts wurde geändert. Versuchen Sie es morgen erneut.
opt-out-done-stop = Erledigt: Nachrichten, die nicht eine Bestellung betreffen, erreichen Sie nicht mehr.
opt-out-done-resume = Erledigt: Sie erhalten wieder alle Nachrichten dieses Verkäufers.
