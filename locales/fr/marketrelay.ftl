# Ce que marketrelay dit aux acheteurs et aux vendeurs, en français.
# Les mêmes identifiants de message que locales/en/marketrelay.ftl.

## Pages

page-skip = Aller au contenu

## Le pied d'un message du vendeur à l'acheteur

removal-notice = { $marketplace } a retiré des coordonnées de ce message. Merci de poursuivre votre conversation sur { $marketplace }.
footer-report-question = Un problème avec ce message ?
footer-report-link = Le signaler
footer-opt-out-question = Vous ne voulez plus de messages de { $seller } qui ne concernent pas une commande ?
footer-opt-out-link = Les arrêter

## Avis à l'expéditeur

subject-files-not-delivered = Fichiers non remis : { $subject }
subject-held = Retenu pour vérification : { $subject }
subject-not-delivered = Non remis : { $subject }
subject-warning = Avertissement : { $subject }
notice-held = Votre message « { $subject } » est retenu pour vérification par notre équipe confiance et sécurité.
notice-rejected = Votre message « { $subject } » a été vérifié par notre équipe confiance et sécurité et n'a pas été remis.
notice-blocked = Votre message « { $subject } » n'a pas été remis, car il enfreint la politique de messagerie.
notice-found = Ce que nous avons trouvé :
notice-held-next = Il sera remis si la vérification le permet ; sinon, nous vous recontacterons.
notice-reference = Référence : { $id }
notice-files-taken-out = Des fichiers d'un type qui n'est pas transmis ont été retirés : { $files }.
notice-advice = Comment bien faire : { $advice }
messaging-rules = Les messages sur { $marketplace } ne peuvent contenir ni coordonnées directes, ni liens vers d'autres sites, ni demandes de paiement en dehors de { $marketplace }, ni offres en échange d'avis.

## Ce que la politique a trouvé

reason-email = il contient une adresse e-mail
reason-phone = il contient un numéro de téléphone
reason-url = il contient un lien vers un autre site
reason-messaging-handle = il contient un identifiant de messagerie instantanée
reason-offsite-payment = il demande un paiement en dehors de { $marketplace }
reason-review-manipulation = il offre quelque chose en échange d'un avis
reason-contact-request = il demande les coordonnées de l'autre partie
reason-phishing = il demande des données de carte, des mots de passe ou des codes de sécurité
reason-promotional = il fait de la publicité ou demande quelque chose dont la commande n'a pas besoin
removed-email = Une adresse e-mail a été retirée.
removed-phone = Un numéro de téléphone a été retiré.
removed-url = Un lien vers un autre site a été retiré.
removed-messaging-handle = Un identifiant de messagerie instantanée a été retiré.
found-blocked = Non remis : { $reason }.
found-held = Retenu pour vérification : { $reason }.
found-reason = { $reason }.

## Comment bien faire

advice-phone = Restez dans cette conversation. Lorsqu'une commande nécessite un numéro de téléphone (pour convenir de la livraison, de l'installation ou de la personnalisation), le vendeur envoie une demande de consentement depuis la conversation et l'acheteur décide s'il le partage.
advice-email = Restez dans cette conversation : chaque message parvient à l'autre partie par cette conversation, aucune autre adresse ni application n'est nécessaire.
advice-url = Ne mettez de liens que vers des pages de la place de marché ou des sites d'aide approuvés, ou décrivez la page avec des mots.
advice-offsite-payment = Les paiements passent uniquement par la caisse de la place de marché ; pour changer un prix, modifiez l'annonce ou la commande.
advice-review-manipulation = Vous pouvez demander un avis honnête, mais n'offrez jamais rien en échange.
advice-phishing = Ne demandez jamais de données de carte, de mots de passe ni de codes de sécurité : le paiement se fait à la caisse de la place de marché.
advice-promotional = N'écrivez à un acheteur qu'au sujet de sa commande. Les offres, nouveautés et soldes ont leur place dans vos annonces et sur la page de votre boutique ; vous pouvez demander un avis une fois par commande, après sa livraison.

## Messages qui n'ont pas été transmis

opt-out-notice = Votre message « { $subject } » n'a pas été remis : l'acheteur a demandé à ne pas recevoir de messages de votre part qui ne concernent pas une commande.
opt-out-notice-order = Les messages concernant une commande lui parviennent toujours : indiquez son numéro de commande dans le message, ou écrivez au sujet de son expédition, sa livraison, son suivi, son retour, son remboursement, sa facture ou son annulation (dans une conversation sans commande propre, indiquez aussi le numéro de commande dans le champ order_id de l'API { $marketplace }).
rate-limited-notice = Votre message « { $subject } » n'a pas été remis : vous avez écrit plus de messages que { $marketplace } n'en autorise en peu de temps (par heure dans toutes vos conversations, ou par jour dans celle-ci).
rate-limited-notice-again = Il est conservé, mais ne sera pas envoyé. Une fois cette heure ou cette journée passée, vos messages seront à nouveau remis : renvoyez-le alors.
files-removed-notice = Votre message « { $subject } » a été remis sans ces fichiers, car les fichiers de ce type ne sont pas transmis :
files-passed-on = Fichiers transmis : { $types }.
undeliverable = Votre message « { $subject } » du { $date } n'a pas pu être remis { $to ->
        [seller] au vendeur
       *[buyer] à l'acheteur
    } : son serveur de messagerie ne l'a pas accepté. { $marketplace } a été informé.
undeliverable-order = Votre message « { $subject } » du { $date } concernant la commande { $order } n'a pas pu être remis { $to ->
        [seller] au vendeur
       *[buyer] à l'acheteur
    } : son serveur de messagerie ne l'a pas accepté. { $marketplace } a été informé.
undeliverable-retry = Vous pouvez réessayer plus tard ou contacter le support de { $marketplace }.

## Un avertissement du personnel à un vendeur

warning-intro = { $marketplace } vous adresse un avertissement pour votre message « { $subject } » à un acheteur : il enfreint les règles de messagerie de { $marketplace }.
warning-rule-broken = Règle enfreinte :
warning-reason = Motif donné par notre équipe confiance et sécurité : { $reason }
warning-counts = Cet avertissement compte comme une infraction. Les messages que notre équipe rejette comptent aussi, et des infractions répétées suspendent automatiquement votre compte : tant qu'il est suspendu, chaque message que vous envoyez est retenu pour vérification.

## Demandes de consentement

contact-kind-phone = numéro de téléphone
purpose-delivery-scheduling = convenir de la livraison
purpose-installation = organiser l'installation
purpose-customisation = discuter de la personnalisation de votre commande
purpose-technical-troubleshooting = résoudre un problème technique
consent-how-to-ask = Pour obtenir le numéro de téléphone de l'acheteur, demandez plutôt son consentement : POST /api/v1/conversations/{ $conversation }/consent-requests avec la commande concernée et une finalité ({ $purposes }), ou utilisez « Request phone number » dans la boîte de réception. L'acheteur décide, et le numéro ne vous parvient que tant que son consentement est valable.
consent-subject = { $seller } demande votre { $kind } ({ $marketplace })
consent-ask = { $seller } souhaite votre { $kind } pour { $purpose } (commande { $order }).
consent-terms = Si vous acceptez, { $seller } verra votre { $kind } uniquement dans cette conversation, pendant { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    } ou jusqu'à ce que vous retiriez votre consentement. Il ne peut servir qu'à { $purpose }, jamais à du marketing, et n'est jamais partagé avec qui que ce soit. Si vous refusez ou ne répondez pas, rien n'est partagé, et votre commande suit son cours normalement dans tous les cas.
consent-mail-grant = Pour partager votre { $kind }, ouvrez :
consent-mail-decline = Pour refuser, ouvrez :
consent-mail-revoke = Ces liens fonctionnent jusqu'au { $date }. Si vous le partagez, vous pouvez arrêter à tout moment ; le vendeur ne voit alors plus votre { $kind } :
consent-mail-forward = Ne transférez pas cet e-mail : les liens répondent en votre nom.

## Les pages de consentement

consent-asks = { $seller } demande votre { $kind } pour { $purpose }.
consent-email-label = Votre adresse e-mail (celle à laquelle cette demande a été envoyée)
consent-keep-link = Conservez l'adresse de cette page pour y revenir :
consent-keep-link-text = arrêter le partage
consent-title-share = Partager votre numéro de téléphone ?
consent-grant-terms = Si vous acceptez, { $seller } voit votre { $kind } uniquement dans cette conversation, pendant { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    } (jusqu'au { $until }) ou jusqu'à ce que vous le retiriez.
consent-grant-use = Il ne peut servir qu'à { $purpose }, jamais à du marketing, et n'est jamais partagé avec qui que ce soit. Votre commande suit son cours que vous acceptiez ou non.
consent-button-share = Partager mon numéro de téléphone
consent-title-decline = Refuser la demande ?
consent-decline-nothing = Si vous refusez, rien n'est partagé.
consent-button-decline = Refuser
consent-title-revoke = Arrêter de partager votre numéro de téléphone ?
consent-can-see-until = { $seller } peut voir votre { $kind } jusqu'au { $date }.
consent-button-stop = Arrêter le partage
consent-title-nothing-shared = Rien n'est partagé
consent-not-shared-yet = Vous n'avez pas partagé votre { $kind }. Si vous ne le souhaitez pas, refusez la demande.
consent-title-nothing-to-do = Rien à faire
consent-already = Cette demande est { $status ->
        [requested] encore ouverte
        [granted] acceptée
        [declined] refusée
        [revoked] révoquée
       *[expired] expirée
    } ; ce lien ne peut plus la modifier.
consent-title-not-shared = Non partagé
consent-wrong-address = Ce n'est pas l'adresse à laquelle cette demande a été envoyée, rien n'a donc été partagé. Seule la personne qui a reçu la demande peut y répondre.
consent-too-many = Ce lien a reçu trop souvent une mauvaise adresse ; rien n'a été partagé. Réessayez demain.
consent-title-thanks = Merci
consent-now-see-until = { $seller } peut maintenant voir votre { $kind } jusqu'au { $date }.
consent-stop-any-time = Vous pouvez arrêter le partage à tout moment :
consent-title-declined = Refusée
consent-declined = Vous avez refusé. Rien n'a été partagé.
consent-title-stopped = Partage arrêté
consent-no-longer = { $seller } ne peut plus voir votre { $kind }.

## La page de signalement

report-page-title = Signaler un message
report-title = Signaler ce message ?
report-title-thanks = Merci
report-title-already = Déjà signalé
report-from = De
report-filed = Signalé : ce message est maintenant entre les mains de notre équipe confiance et sécurité.
report-already = Ce message a déjà été signalé ; nous l'avons.
report-reads-every = Notre équipe confiance et sécurité lit chaque signalement. Vous n'avez rien d'autre à faire.
report-intro = Dites à notre équipe confiance et sécurité ce qui ne va pas dans ce message. Le vendeur ne saura pas qui l'a signalé.
report-reason-label = Motif (facultatif)
report-reason-choose = Choisissez un motif
report-comment-label = Autre chose à nous dire ? (facultatif)
report-button = Signaler ce message
report-reason-spam = Spam ou publicité non sollicitée
report-reason-harassment = Impoli, injurieux ou menaçant
report-reason-scam = Ressemble à une arnaque ou une fraude
report-reason-off-platform = Demande de payer ou d'échanger en dehors de la place de marché
report-reason-other = Autre chose

## La page de désinscription

opt-out-title = Messages de { $seller }
opt-out-status = Vous ne recevez pas les messages de { $seller } qui ne concernent pas une commande. Les messages concernant une commande vous parviennent toujours.
opt-out-email-label = Votre adresse e-mail (celle à laquelle arrivent ces messages)
opt-out-button-resume = Recevoir à nouveau tous ses messages
opt-out-question = Arrêter les messages de { $seller } qui ne concernent pas une commande ? Les messages concernant une commande vous parviendront toujours, et vous pouvez changer d'avis avec ce lien.
opt-out-button-stop = Arrêter ces messages
opt-out-wrong-address = Ce n'est pas l'adresse à laquelle arrivent ces messages, rien n'a donc été modifié.
opt-out-too-many = Ce lien a reçu trop souvent une mauvaise adresse ; rien n'a été modifié. Réessayez demain.
opt-out-done-stop = C'est fait : les messages qui ne concernent pas une commande ne vous parviendront plus.
opt-out-done-resume = C'est fait : vous recevez à nouveau tous les messages de ce vendeur.
