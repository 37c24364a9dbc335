# Wat marketrelay tegen kopers en verkopers zegt, in het Nederlands.
# Dezelfde bericht-id's als locales/en/marketrelay.ftl.

## Pagina's

page-skip = Naar de inhoud

## De voettekst van een bericht van de verkoper aan de koper

removal-notice = { $marketplace } heeft contactgegevens uit dit bericht verwijderd. Houd je gesprek op { $marketplace }.
footer-report-question = Klopt er iets niet aan dit bericht?
footer-report-link = Meld het
footer-opt-out-question = Geen berichten meer van { $seller } die niet over een bestelling gaan?
footer-opt-out-link = Stop ze

## Meldingen aan de afzender

subject-files-not-delivered = Bestanden niet bezorgd: { $subject }
subject-held = Vastgehouden voor controle: { $subject }
subject-not-delivered = Niet bezorgd: { $subject }
subject-warning = Waarschuwing: { $subject }
notice-held = Je bericht "{ $subject }" wordt vastgehouden voor controle door ons trust-and-safetyteam.
notice-rejected = Je bericht "{ $subject }" is gecontroleerd door ons trust-and-safetyteam en niet bezorgd.
notice-blocked = Je bericht "{ $subject }" is niet bezorgd omdat het in strijd is met het berichtenbeleid.
notice-found = Wat we vonden:
notice-held-next = Het wordt bezorgd als de controle dat toestaat; anders hoor je opnieuw van ons.
notice-reference = Referentie: { $id }
notice-files-taken-out = Bestanden van een type dat niet wordt doorgegeven zijn verwijderd: { $files }.
notice-advice = Zo doe je het goed: { $advice }
messaging-rules = Berichten op { $marketplace } mogen geen directe contactgegevens, links naar andere sites, verzoeken om buiten { $marketplace } te betalen of aanbiedingen in ruil voor beoordelingen bevatten.

## Wat het beleid vond

reason-email = het bevat een e-mailadres
reason-phone = het bevat een telefoonnummer
reason-url = het bevat een link naar een andere site
reason-messaging-handle = het bevat een gebruikersnaam van een chatapp
reason-offsite-payment = het vraagt om betaling buiten { $marketplace }
reason-review-manipulation = het biedt iets aan in ruil voor een beoordeling
reason-contact-request = het vraagt om de contactgegevens van de andere partij
reason-phishing = het vraagt om kaartgegevens, wachtwoorden of beveiligingscodes
reason-promotional = het maakt reclame of vraagt iets wat de bestelling niet nodig heeft
removed-email = Een e-mailadres is verwijderd.
removed-phone = Een telefoonnummer is verwijderd.
removed-url = Een link naar een andere site is verwijderd.
removed-messaging-handle = Een gebruikersnaam van een chatapp is verwijderd.
found-blocked = Niet bezorgd: { $reason }.
found-held = Vastgehouden voor controle: { $reason }.
found-reason = { $reason }.

## Zo doe je het goed

advice-phone = Houd het gesprek hier. Als een bestelling een telefoonnummer nodig heeft (voor het plannen van de levering, installatie of personalisatie), stuurt de verkoper vanuit het gesprek een toestemmingsverzoek en beslist de koper of die het deelt.
advice-email = Houd het gesprek hier: elk bericht bereikt de andere partij via dit gesprek, dus een ander adres of andere app is niet nodig.
advice-url = Link alleen naar pagina's van de marktplaats of goedgekeurde hulpsites, of beschrijf de pagina in woorden.
advice-offsite-payment = Betalingen gaan alleen via de kassa van de marktplaats; om een prijs te wijzigen, wijzig je het aanbod of de bestelling.
advice-review-manipulation = Je mag om een eerlijke beoordeling vragen, maar bied er nooit iets voor in ruil.
advice-phishing = Vraag nooit om kaartgegevens, wachtwoorden of beveiligingscodes: betalen gebeurt in de kassa van de marktplaats.
advice-promotional = Schrijf een koper alleen over zijn bestelling. Aanbiedingen, nieuwe producten en uitverkoop horen in uw advertenties en op uw winkelpagina; om een beoordeling mag u één keer per bestelling vragen, nadat die is bezorgd.

## Berichten die niet zijn doorgegeven

opt-out-notice = Je bericht "{ $subject }" is niet bezorgd: de koper heeft gevraagd geen berichten van je te ontvangen die niet over een bestelling gaan.
opt-out-notice-order = Berichten over een bestelling komen nog steeds aan: noem het bestelnummer in het bericht, of schrijf over de verzending, levering, tracking, retour, terugbetaling, factuur of annulering (in een gesprek zonder eigen bestelling geef je het bestelnummer ook op in het veld order_id van de { $marketplace }-API).
rate-limited-notice = Je bericht "{ $subject }" is niet bezorgd: je hebt in korte tijd meer berichten geschreven dan { $marketplace } toestaat (per uur in al je gesprekken, of per dag in dit gesprek).
rate-limited-notice-again = Het wordt bewaard, maar niet verstuurd. Als dat uur of die dag voorbij is, worden je berichten weer bezorgd: stuur het dan opnieuw.
files-removed-notice = Je bericht "{ $subject }" is zonder deze bestanden bezorgd, omdat bestanden van dit type niet worden doorgegeven:
files-passed-on = Bestanden die worden doorgegeven: { $types }.
undeliverable = Je bericht "{ $subject }" van { $date } kon niet worden bezorgd bij { $to ->
        [seller] de verkoper
       *[buyer] de koper
    }: diens mailserver heeft het niet geaccepteerd. { $marketplace } is op de hoogte gebracht.
undeliverable-order = Je bericht "{ $subject }" van { $date } over bestelling { $order } kon niet worden bezorgd bij { $to ->
        [seller] de verkoper
       *[buyer] de koper
    }: diens mailserver heeft het niet geaccepteerd. { $marketplace } is op de hoogte gebracht.
undeliverable-retry = Je kunt het later opnieuw proberen of contact opnemen met de support van { $marketplace }.

## Een waarschuwing van het team aan een verkoper

warning-intro = { $marketplace } geeft je een waarschuwing voor je bericht "{ $subject }" aan een koper: het is in strijd met de berichtenregels van { $marketplace }.
warning-rule-broken = Overtreden regel:
warning-reason = Reden opgegeven door ons trust-and-safetyteam: { $reason }
warning-counts = Deze waarschuwing telt als een overtreding. Berichten die ons team afwijst tellen ook mee, en herhaalde overtredingen schorsen je account automatisch: zolang het geschorst is, wordt elk bericht dat je stuurt vastgehouden voor controle.

## Toestemmingsverzoeken

contact-kind-phone = telefoonnummer
purpose-delivery-scheduling = het plannen van de levering
purpose-installation = het regelen van de installatie
purpose-customisation = het bespreken van de personalisatie van je bestelling
purpose-technical-troubleshooting = het oplossen van technische problemen
consent-how-to-ask = Om het telefoonnummer van de koper te krijgen, vraag je in plaats daarvan om toestemming: POST /api/v1/conversations/{ $conversation }/consent-requests met de bestelling waar het om gaat en een doel ({ $purposes }), of gebruik "Request phone number" in de inbox. De koper beslist, en het nummer bereikt je alleen zolang de toestemming geldt.
consent-subject = { $seller } vraagt om je { $kind } ({ $marketplace })
consent-ask = { $seller } wil graag je { $kind } voor { $purpose } (bestelling { $order }).
consent-terms = Als je akkoord gaat, ziet { $seller } je { $kind } alleen in dit gesprek, gedurende { $days ->
        [one] { $days } dag
       *[other] { $days } dagen
    } of tot je je toestemming intrekt. Het mag alleen worden gebruikt voor { $purpose }, nooit voor marketing, en wordt nooit met anderen gedeeld. Als je weigert of niet antwoordt, wordt er niets gedeeld, en je bestelling gaat hoe dan ook gewoon door.
consent-mail-grant = Om je { $kind } te delen, open:
consent-mail-decline = Om te weigeren, open:
consent-mail-revoke = Deze links werken tot { $date }. Als je het deelt, kun je op elk moment stoppen met delen; vanaf dan ziet de verkoper je { $kind } niet meer:
consent-mail-forward = Stuur deze e-mail niet door: de links antwoorden namens jou.

## De toestemmingspagina's

consent-asks = { $seller } vraagt om je { $kind } voor { $purpose }.
consent-email-label = Je e-mailadres (waarnaar dit verzoek is gestuurd)
consent-keep-link = Bewaar het adres van deze pagina om terug te komen:
consent-keep-link-text = stoppen met delen
consent-title-share = Je telefoonnummer delen?
consent-grant-terms = Als je akkoord gaat, ziet { $seller } je { $kind } alleen in dit gesprek, gedurende { $days ->
        [one] { $days } dag
       *[other] { $days } dagen
    } (tot { $until }) of tot je het intrekt.
consent-grant-use = Het mag alleen worden gebruikt voor { $purpose }, nooit voor marketing, en wordt nooit met anderen gedeeld. Je bestelling gaat door, of je nu akkoord gaat of niet.
consent-button-share = Mijn telefoonnummer delen
consent-title-decline = Het verzoek weigeren?
consent-decline-nothing = Als je weigert, wordt er niets gedeeld.
consent-button-decline = Weigeren
consent-title-revoke = Stoppen met het delen van je telefoonnummer?
consent-can-see-until = { $seller } kan je { $kind } zien tot { $date }.
consent-button-stop = Stoppen met delen
consent-title-nothing-shared = Er wordt niets gedeeld
consent-not-shared-yet = Je hebt je { $kind } niet gedeeld. Als je dat niet wilt, weiger dan het verzoek.
consent-title-nothing-to-do = Niets te doen
consent-already = Dit verzoek is { $status ->
        [requested] nog open
        [granted] toegestaan
        [declined] geweigerd
        [revoked] ingetrokken
       *[expired] verlopen
    }; deze link kan het niet meer wijzigen.
consent-title-not-shared = Niet gedeeld
consent-wrong-address = Dat is niet het adres waarnaar dit verzoek is gestuurd, dus er is niets gedeeld. Alleen wie het verzoek heeft ontvangen, kan het beantwoorden.
consent-too-many = Deze link is te vaak met het verkeerde adres beantwoord; er is niets gedeeld. Probeer het morgen opnieuw.
consent-title-thanks = Bedankt
consent-now-see-until = { $seller } kan je { $kind } nu zien tot { $date }.
consent-stop-any-time = Je kunt op elk moment stoppen met delen:
consent-title-declined = Geweigerd
consent-declined = Je hebt geweigerd. Er is niets gedeeld.
consent-title-stopped = Delen gestopt
consent-no-longer = { $seller } kan je { $kind } niet meer zien.

## De meldpagina

report-page-title = Een bericht melden
report-title = Dit bericht melden?
report-title-thanks = Bedankt
report-title-already = Al gemeld
report-from = Van
report-filed = Gemeld: dit bericht ligt nu bij ons trust-and-safetyteam.
report-already = Dit bericht is al gemeld; we hebben het.
report-reads-every = Ons trust-and-safetyteam leest elke melding. Je hoeft verder niets te doen.
report-intro = Vertel ons trust-and-safetyteam wat er mis is met dit bericht. De verkoper hoort niet wie het heeft gemeld.
report-reason-label = Reden (optioneel)
report-reason-choose = Kies een reden
report-comment-label = Moeten we nog iets weten? (optioneel)
report-button = Dit bericht melden
report-reason-spam = Spam of ongewenste reclame
report-reason-harassment = Onbeleefd, beledigend of bedreigend
report-reason-scam = Lijkt op oplichting of fraude
report-reason-off-platform = Vraagt om buiten de marktplaats te betalen of te praten
report-reason-other = Iets anders

## De afmeldpagina

opt-out-title = Berichten van { $seller }
opt-out-status = Je ontvangt geen berichten van { $seller } die niet over een bestelling gaan. Berichten over een bestelling komen nog steeds aan.
opt-out-email-label = Je e-mailadres (waarop deze berichten binnenkomen)
opt-out-button-resume = Weer al hun berichten ontvangen
opt-out-question = Berichten van { $seller } die niet over een bestelling gaan stoppen? Berichten over een bestelling komen nog steeds aan, en je kunt je bedenken via deze link.
opt-out-button-stop = Deze berichten stoppen
opt-out-wrong-address = Dat is niet het adres waarop deze berichten binnenkomen, dus er is niets gewijzigd.
opt-out-too-many = Deze link is te vaak met het verkeerde adres beantwoord; er is niets gewijzigd. Probeer het morgen opnieuw.
opt-out-done-stop = Klaar: berichten die niet over een bestelling gaan, bereiken je niet meer.
opt-out-done-resume = Klaar: je ontvangt weer alle berichten van deze verkoper.
