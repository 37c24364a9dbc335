# Ciò che marketrelay dice ad acquirenti e venditori, in italiano.
# Gli stessi identificativi di messaggio di locales/en/marketrelay.ftl.

## Pagine

page-skip = Vai al contenuto

## Il piè di pagina di un messaggio del venditore all'acquirente

removal-notice = { $marketplace } ha rimosso dati di contatto da questo messaggio. Continua la conversazione su { $marketplace }.
footer-report-question = Qualcosa non va in questo messaggio?
footer-report-link = Segnalalo
footer-opt-out-question = Non vuoi messaggi da { $seller } che non riguardano un ordine?
footer-opt-out-link = Interrompili

## Avvisi al mittente

subject-files-not-delivered = File non consegnati: { $subject }
subject-held = Trattenuto per verifica: { $subject }
subject-not-delivered = Non consegnato: { $subject }
subject-warning = Avvertimento: { $subject }
notice-held = Il tuo messaggio «{ $subject }» è trattenuto per la verifica del nostro team fiducia e sicurezza.
notice-rejected = Il tuo messaggio «{ $subject }» è stato verificato dal nostro team fiducia e sicurezza e non è stato consegnato.
notice-blocked = Il tuo messaggio «{ $subject }» non è stato consegnato perché viola le regole sui messaggi.
notice-found = Cosa abbiamo trovato:
notice-held-next = Sarà consegnato se la verifica lo consente; altrimenti ti ricontatteremo.
notice-reference = Riferimento: { $id }
notice-files-taken-out = Sono stati tolti file di un tipo che non viene inoltrato: { $files }.
notice-advice = Come farlo correttamente: { $advice }
messaging-rules = I messaggi su { $marketplace } non possono contenere dati di contatto diretti, link ad altri siti, richieste di pagamento al di fuori di { $marketplace } o offerte in cambio di recensioni.

## Cosa ha trovato il controllo

reason-email = contiene un indirizzo email
reason-phone = contiene un numero di telefono
reason-url = contiene un link a un altro sito
reason-messaging-handle = contiene un nome utente di un'app di messaggistica
reason-offsite-payment = chiede un pagamento al di fuori di { $marketplace }
reason-review-manipulation = offre qualcosa in cambio di una recensione
reason-contact-request = chiede i dati di contatto dell'altra parte
reason-phishing = chiede dati della carta, password o codici di sicurezza
reason-promotional = fa pubblicità o chiede qualcosa di cui l'ordine non ha bisogno
removed-email = È stato rimosso un indirizzo email.
removed-phone = È stato rimosso un numero di telefono.
removed-url = È stato rimosso un link a un altro sito.
removed-messaging-handle = È stato rimosso un nome utente di un'app di messaggistica.
found-blocked = Non consegnato: { $reason }.
found-held = Trattenuto per verifica: { $reason }.
found-reason = { $reason }.

## Come farlo correttamente

advice-phone = Continua la conversazione qui. Quando un ordine richiede un numero di telefono (per concordare la consegna, l'installazione o la personalizzazione), il venditore invia una richiesta di consenso dalla conversazione e l'acquirente decide se condividerlo.
advice-email = Continua la conversazione qui: ogni messaggio raggiunge l'altra parte tramite questa conversazione, quindi non servono altri indirizzi o app.
advice-url = Inserisci link solo a pagine del marketplace o a siti di assistenza approvati, oppure descrivi la pagina a parole.
advice-offsite-payment = I pagamenti avvengono solo tramite il checkout del marketplace; per cambiare un prezzo, modifica l'inserzione o l'ordine.
advice-review-manipulation = Puoi chiedere una recensione onesta, ma non offrire mai nulla in cambio.
advice-phishing = Non chiedere mai dati della carta, password o codici di sicurezza: il pagamento avviene nel checkout del marketplace.
advice-promotional = Scrivi all'acquirente solo riguardo al suo ordine. Offerte, novità e saldi vanno negli annunci e nella pagina del negozio; puoi chiedere una recensione una volta per ordine, dopo la consegna.

## Messaggi non inoltrati

opt-out-notice = Il tuo messaggio «{ $subject }» non è stato consegnato: l'acquirente ha chiesto di non ricevere da te messaggi che non riguardano un ordine.
opt-out-notice-order = I messaggi su un ordine continuano ad arrivargli: indica il numero d'ordine nel messaggio, oppure scrivi della spedizione, consegna, tracciamento, reso, rimborso, fattura o annullamento (in una conversazione senza un ordine proprio, indica il numero d'ordine anche nel campo order_id dell'API di { $marketplace }).
rate-limited-notice = Il tuo messaggio «{ $subject }» non è stato consegnato: hai scritto più messaggi di quanti { $marketplace } ne consenta in poco tempo (all'ora in tutte le tue conversazioni, o al giorno in questa).
rate-limited-notice-again = Viene conservato ma non sarà inviato. Trascorsa quell'ora o quel giorno, i tuoi messaggi saranno di nuovo consegnati: invialo di nuovo allora.
files-removed-notice = Il tuo messaggio «{ $subject }» è stato consegnato senza questi file, perché i file di questo tipo non vengono inoltrati:
files-passed-on = File che vengono inoltrati: { $types }.
undeliverable = Il tuo messaggio «{ $subject }» del { $date } non è stato consegnato { $to ->
        [seller] al venditore
       *[buyer] all'acquirente
    }: il suo server di posta non lo ha accettato. { $marketplace } è stato informato.
undeliverable-order = Il tuo messaggio «{ $subject }» del { $date } sull'ordine { $order } non è stato consegnato { $to ->
        [seller] al venditore
       *[buyer] all'acquirente
    }: il suo server di posta non lo ha accettato. { $marketplace } è stato informato.
undeliverable-retry = Puoi riprovare più tardi o contattare l'assistenza di { $marketplace }.

## Un avvertimento dello staff a un venditore

warning-intro = { $marketplace } ti ha inviato un avvertimento per il tuo messaggio «{ $subject }» a un acquirente: viola le regole sui messaggi di { $marketplace }.
warning-rule-broken = Regola violata:
warning-reason = Motivo indicato dal nostro team fiducia e sicurezza: { $reason }
warning-counts = Questo avvertimento conta come una violazione. Contano anche i messaggi che il nostro team respinge, e violazioni ripetute sospendono automaticamente il tuo account: finché è sospeso, ogni messaggio che invii viene trattenuto per verifica.

## Richieste di consenso

contact-kind-phone = numero di telefono
purpose-delivery-scheduling = concordare la consegna
purpose-installation = organizzare l'installazione
purpose-customisation = discutere la personalizzazione del tuo ordine
purpose-technical-troubleshooting = risolvere problemi tecnici
consent-how-to-ask = Per avere il numero di telefono dell'acquirente, chiedi invece il suo consenso: POST /api/v1/conversations/{ $conversation }/consent-requests con l'ordine a cui si riferisce e una finalità ({ $purposes }), oppure usa «Request phone number» nella posta in arrivo. Decide l'acquirente, e il numero ti arriva solo finché il suo consenso è valido.
consent-subject = { $seller } chiede il tuo { $kind } ({ $marketplace })
consent-ask = { $seller } vorrebbe il tuo { $kind } per { $purpose } (ordine { $order }).
consent-terms = Se accetti, { $seller } vedrà il tuo { $kind } solo in questa conversazione, per { $days ->
        [one] { $days } giorno
       *[other] { $days } giorni
    } o finché non revochi il consenso. Può essere usato solo per { $purpose }, mai per il marketing, e non viene mai condiviso con nessun altro. Se rifiuti o non rispondi, non viene condiviso nulla, e il tuo ordine procede comunque normalmente.
consent-mail-grant = Per condividere il tuo { $kind }, apri:
consent-mail-decline = Per rifiutare, apri:
consent-mail-revoke = Questi link funzionano fino al { $date }. Se lo condividi, puoi smettere di condividerlo in qualsiasi momento; da allora il venditore non vede più il tuo { $kind }:
consent-mail-forward = Non inoltrare questa email: i link rispondono a tuo nome.

## Le pagine del consenso

consent-asks = { $seller } chiede il tuo { $kind } per { $purpose }.
consent-email-label = Il tuo indirizzo email (quello a cui è stata inviata questa richiesta)
consent-keep-link = Conserva l'indirizzo di questa pagina per tornarci:
consent-keep-link-text = smetti di condividere
consent-title-share = Condividere il tuo numero di telefono?
consent-grant-terms = Se accetti, { $seller } vede il tuo { $kind } solo in questa conversazione, per { $days ->
        [one] { $days } giorno
       *[other] { $days } giorni
    } (fino al { $until }) o finché non lo revochi.
consent-grant-use = Può essere usato solo per { $purpose }, mai per il marketing, e non viene mai condiviso con nessun altro. Il tuo ordine procede sia che tu accetti sia che no.
consent-button-share = Condividi il mio numero di telefono
consent-title-decline = Rifiutare la richiesta?
consent-decline-nothing = Se rifiuti, non viene condiviso nulla.
consent-button-decline = Rifiuta
consent-title-revoke = Smettere di condividere il tuo numero di telefono?
consent-can-see-until = { $seller } può vedere il tuo { $kind } fino al { $date }.
consent-button-stop = Smetti di condividere
consent-title-nothing-shared = Non viene condiviso nulla
consent-not-shared-yet = Non hai condiviso il tuo { $kind }. Se non vuoi farlo, rifiuta la richiesta.
consent-title-nothing-to-do = Niente da fare
consent-already = Questa richiesta è { $status ->
        [requested] ancora aperta
        [granted] accettata
        [declined] rifiutata
        [revoked] revocata
       *[expired] scaduta
    }; questo link non può più modificarla.
consent-title-not-shared = Non condiviso
consent-wrong-address = Non è l'indirizzo a cui è stata inviata questa richiesta, quindi non è stato condiviso nulla. Solo chi ha ricevuto la richiesta può rispondere.
consent-too-many = A questo link è stato risposto troppe volte con un indirizzo sbagliato; non è stato condiviso nulla. Riprova domani.
consent-title-thanks = Grazie
consent-now-see-until = Ora { $seller } può vedere il tuo { $kind } fino al { $date }.
consent-stop-any-time = Puoi smettere di condividere in qualsiasi momento:
consent-title-declined = Rifiutata
consent-declined = Hai rifiutato. Non è stato condiviso nulla.
consent-title-stopped = Condivisione interrotta
consent-no-longer = { $seller } non può più vedere il tuo { $kind }.

## La pagina di segnalazione

report-page-title = Segnala un messaggio
report-title = Segnalare questo messaggio?
report-title-thanks = Grazie
report-title-already = Già segnalato
report-from = Da
report-filed = Segnalato: questo messaggio è ora nelle mani del nostro team fiducia e sicurezza.
report-already = Questo messaggio è già stato segnalato; lo abbiamo.
report-reads-every = Il nostro team fiducia e sicurezza legge ogni segnalazione. Non devi fare altro.
report-intro = Spiega al nostro team fiducia e sicurezza cosa non va in questo messaggio. Al venditore non viene detto chi lo ha segnalato.
report-reason-label = Motivo (facoltativo)
report-reason-choose = Scegli un motivo
report-comment-label = C'è altro che dovremmo sapere? (facoltativo)
report-button = Segnala questo messaggio
report-reason-spam = Spam o pubblicità indesiderata
report-reason-harassment = Scortese, offensivo o minaccioso
report-reason-scam = Sembra una truffa o una frode
report-reason-off-platform = Chiede di pagare o di comunicare fuori dal marketplace
report-reason-other = Altro

## La pagina di disiscrizione

opt-out-title = Messaggi da { $seller }
opt-out-status = Non ricevi messaggi da { $seller } che non riguardano un ordine. I messaggi su un ordine continuano ad arrivarti.
opt-out-email-label = Il tuo indirizzo email (quello a cui arrivano questi messaggi)
opt-out-button-resume = Ricevi di nuovo tutti i suoi messaggi
opt-out-question = Interrompere i messaggi da { $seller } che non riguardano un ordine? I messaggi su un ordine continueranno ad arrivarti, e puoi cambiare idea con questo link.
opt-out-button-stop = Interrompi questi messaggi
opt-out-wrong-address = Non è l'indirizzo a cui arrivano questi messaggi, quindi non è stato modificato nulla.
opt-out-too-many = A questo link è stato risposto troppe volte con un indirizzo sbagliato; non è stato modificato nulla. Riprova domani.
opt-out-done-stop = Fatto: i messaggi che non riguardano un ordine non ti arriveranno più.
opt-out-done-resume = Fatto: ricevi di nuovo tutti i messaggi di questo venditore.
