# Lo que marketrelay dice a compradores y vendedores, en español.
# Los mismos identificadores de mensaje que locales/en/marketrelay.ftl.

## Páginas

page-skip = Saltar al contenido

## El pie de un mensaje del vendedor al comprador

removal-notice = { $marketplace } ha eliminado datos de contacto de este mensaje. Mantén tu conversación en { $marketplace }.
footer-report-question = ¿Algo no está bien en este mensaje?
footer-report-link = Denúncialo
footer-opt-out-question = ¿No quieres mensajes de { $seller } que no traten de un pedido?
footer-opt-out-link = Detenerlos

## Avisos al remitente

subject-files-not-delivered = Archivos no entregados: { $subject }
subject-held = Retenido para revisión: { $subject }
subject-not-delivered = No entregado: { $subject }
subject-warning = Advertencia: { $subject }
notice-held = Tu mensaje «{ $subject }» está retenido para que lo revise nuestro equipo de confianza y seguridad.
notice-rejected = Tu mensaje «{ $subject }» fue revisado por nuestro equipo de confianza y seguridad y no se entregó.
notice-blocked = Tu mensaje «{ $subject }» no se entregó porque incumple la política de mensajes.
notice-found = Lo que encontramos:
notice-held-next = Se entregará si la revisión lo permite; de lo contrario, volverás a saber de nosotros.
notice-reference = Referencia: { $id }
notice-files-taken-out = Se quitaron archivos de un tipo que no se transmite: { $files }.
notice-advice = Cómo hacerlo correctamente: { $advice }
messaging-rules = Los mensajes en { $marketplace } no pueden contener datos de contacto directos, enlaces a otros sitios, solicitudes de pago fuera de { $marketplace } ni ofertas a cambio de valoraciones.

## Lo que encontró la política

reason-email = contiene una dirección de correo electrónico
reason-phone = contiene un número de teléfono
reason-url = contiene un enlace a otro sitio
reason-messaging-handle = contiene un usuario de una aplicación de mensajería
reason-offsite-payment = pide un pago fuera de { $marketplace }
reason-review-manipulation = ofrece algo a cambio de una valoración
reason-contact-request = pide los datos de contacto de la otra parte
reason-phishing = pide datos de tarjeta, contraseñas o códigos de seguridad
reason-promotional = hace publicidad o pide algo que el pedido no necesita
removed-email = Se eliminó una dirección de correo electrónico.
removed-phone = Se eliminó un número de teléfono.
removed-url = Se eliminó un enlace a otro sitio.
removed-messaging-handle = Se eliminó un usuario de una aplicación de mensajería.
found-blocked = No entregado: { $reason }.
found-held = Retenido para revisión: { $reason }.
found-reason = { $reason }.

## Cómo hacerlo correctamente

advice-phone = Mantén la conversación aquí. Cuando un pedido necesita un número de teléfono (para acordar la entrega, la instalación o la personalización), el vendedor envía una solicitud de consentimiento desde la conversación y el comprador decide si lo comparte.
advice-email = Mantén la conversación aquí: cada mensaje llega a la otra parte a través de esta conversación, así que no hace falta otra dirección ni aplicación.
advice-url = Enlaza solo a páginas del marketplace o a sitios de ayuda aprobados, o describe la página con palabras.
advice-offsite-payment = Los pagos se hacen solo a través del proceso de pago del marketplace; para cambiar un precio, cambia el anuncio o el pedido.
advice-review-manipulation = Puedes pedir una valoración sincera, pero nunca ofrezcas nada a cambio.
advice-phishing = Nunca pidas datos de tarjeta, contraseñas ni códigos de seguridad: el pago se hace en el proceso de pago del marketplace.
advice-promotional = Escriba al comprador solo sobre su pedido. Las ofertas, novedades y rebajas van en sus anuncios y en la página de su tienda; puede pedir una valoración una vez por pedido, después de la entrega.

## Mensajes que no se transmitieron

opt-out-notice = Tu mensaje «{ $subject }» no se entregó: el comprador pidió no recibir mensajes tuyos que no traten de un pedido.
opt-out-notice-order = Los mensajes sobre un pedido le siguen llegando: indica el número de pedido en el mensaje o escribe sobre su envío, entrega, seguimiento, devolución, reembolso, factura o cancelación (en una conversación sin pedido propio, indica también el número de pedido en el campo order_id de la API de { $marketplace }).
rate-limited-notice = Tu mensaje «{ $subject }» no se entregó: has escrito más mensajes de los que { $marketplace } permite en poco tiempo (por hora en todas tus conversaciones, o por día en esta).
rate-limited-notice-again = Se conserva como registro, pero no se enviará. Cuando pase esa hora o ese día, tus mensajes se volverán a entregar: envíalo de nuevo entonces.
files-removed-notice = Tu mensaje «{ $subject }» se entregó sin estos archivos, porque los archivos de su tipo no se transmiten:
files-passed-on = Archivos que se transmiten: { $types }.
undeliverable = Tu mensaje «{ $subject }» del { $date } no se pudo entregar { $to ->
        [seller] al vendedor
       *[buyer] al comprador
    }: su servidor de correo no lo aceptó. Se ha informado a { $marketplace }.
undeliverable-order = Tu mensaje «{ $subject }» del { $date } sobre el pedido { $order } no se pudo entregar { $to ->
        [seller] al vendedor
       *[buyer] al comprador
    }: su servidor de correo no lo aceptó. Se ha informado a { $marketplace }.
undeliverable-retry = Puedes volver a intentarlo más tarde o contactar con el soporte de { $marketplace }.

## Una advertencia del personal a un vendedor

warning-intro = { $marketplace } te advierte por tu mensaje «{ $subject }» a un comprador: incumple las normas de mensajes de { $marketplace }.
warning-rule-broken = Norma incumplida:
warning-reason = Motivo indicado por nuestro equipo de confianza y seguridad: { $reason }
warning-counts = Esta advertencia cuenta como una infracción. Los mensajes que nuestro equipo rechaza también cuentan, y las infracciones repetidas suspenden tu cuenta automáticamente: mientras esté suspendida, cada mensaje que envíes quedará retenido para revisión.

## Solicitudes de consentimiento

contact-kind-phone = número de teléfono
purpose-delivery-scheduling = acordar la entrega
purpose-installation = organizar la instalación
purpose-customisation = hablar de la personalización de tu pedido
purpose-technical-troubleshooting = resolver problemas técnicos
consent-how-to-ask = Para obtener el número de teléfono del comprador, pide su consentimiento: POST /api/v1/conversations/{ $conversation }/consent-requests con el pedido al que se refiere y una finalidad ({ $purposes }), o usa «Request phone number» en la bandeja de entrada. El comprador decide, y el número solo te llega mientras su consentimiento esté vigente.
consent-subject = { $seller } pide tu { $kind } ({ $marketplace })
consent-ask = { $seller } quiere tu { $kind } para { $purpose } (pedido { $order }).
consent-terms = Si aceptas, { $seller } verá tu { $kind } solo en esta conversación, durante { $days ->
        [one] { $days } día
       *[other] { $days } días
    } o hasta que retires tu consentimiento. Solo puede usarse para { $purpose }, nunca para marketing, y nunca se comparte con nadie más. Si lo rechazas o no respondes, no se comparte nada, y tu pedido sigue adelante con normalidad en cualquier caso.
consent-mail-grant = Para compartir tu { $kind }, abre:
consent-mail-decline = Para rechazarlo, abre:
consent-mail-revoke = Estos enlaces funcionan hasta { $date }. Si lo compartes, puedes dejar de compartirlo en cualquier momento; desde entonces el vendedor ya no ve tu { $kind }:
consent-mail-forward = No reenvíes este correo: los enlaces responden en tu nombre.

## Las páginas de consentimiento

consent-asks = { $seller } pide tu { $kind } para { $purpose }.
consent-email-label = Tu dirección de correo electrónico (a la que se envió esta solicitud)
consent-keep-link = Guarda la dirección de esta página para volver:
consent-keep-link-text = dejar de compartir
consent-title-share = ¿Compartir tu número de teléfono?
consent-grant-terms = Si aceptas, { $seller } verá tu { $kind } solo en esta conversación, durante { $days ->
        [one] { $days } día
       *[other] { $days } días
    } (hasta { $until }) o hasta que lo retires.
consent-grant-use = Solo puede usarse para { $purpose }, nunca para marketing, y nunca se comparte con nadie más. Tu pedido sigue adelante tanto si aceptas como si no.
consent-button-share = Compartir mi número de teléfono
consent-title-decline = ¿Rechazar la solicitud?
consent-decline-nothing = Si la rechazas, no se comparte nada.
consent-button-decline = Rechazar
consent-title-revoke = ¿Dejar de compartir tu número de teléfono?
consent-can-see-until = { $seller } puede ver tu { $kind } hasta { $date }.
consent-button-stop = Dejar de compartir
consent-title-nothing-shared = No se comparte nada
consent-not-shared-yet = No has compartido tu { $kind }. Si no quieres hacerlo, rechaza la solicitud.
consent-title-nothing-to-do = Nada que hacer
consent-already = Esta solicitud está { $status ->
        [requested] aún abierta
        [granted] aceptada
        [declined] rechazada
        [revoked] revocada
       *[expired] caducada
    }; este enlace ya no puede cambiarla.
consent-title-not-shared = No compartido
consent-wrong-address = Esa no es la dirección a la que se envió esta solicitud, así que no se ha compartido nada. Solo quien recibió la solicitud puede responderla.
consent-too-many = Este enlace se respondió demasiadas veces con una dirección incorrecta; no se ha compartido nada. Inténtalo mañana.
consent-title-thanks = Gracias
consent-now-see-until = { $seller } ya puede ver tu { $kind } hasta { $date }.
consent-stop-any-time = Puedes dejar de compartirlo en cualquier momento:
consent-title-declined = Rechazada
consent-declined = Has rechazado la solicitud. No se ha compartido nada.
consent-title-stopped = Se dejó de compartir
consent-no-longer = { $seller } ya no puede ver tu { $kind }.

## La página de denuncia

report-page-title = Denunciar un mensaje
report-title = ¿Denunciar este mensaje?
report-title-thanks = Gracias
report-title-already = Ya denunciado
report-from = De
report-filed = Denunciado: este mensaje está ahora en manos de nuestro equipo de confianza y seguridad.
report-already = Este mensaje ya fue denunciado; lo tenemos.
report-reads-every = Nuestro equipo de confianza y seguridad lee todas las denuncias. No tienes que hacer nada más.
report-intro = Cuéntale a nuestro equipo de confianza y seguridad qué está mal en este mensaje. Al vendedor no se le dice quién lo denunció.
report-reason-label = Motivo (opcional)
report-reason-choose = Elige un motivo
report-comment-label = ¿Algo más que debamos saber? (opcional)
report-button = Denunciar este mensaje
report-reason-spam = Spam o publicidad no deseada
report-reason-harassment = Grosero, ofensivo o amenazante
report-reason-scam = Parece una estafa o un fraude
report-reason-off-platform = Pide pagar o hablar fuera del marketplace
report-reason-other = Otra cosa

## La página de baja

opt-out-title = Mensajes de { $seller }
opt-out-status = No recibes mensajes de { $seller } que no traten de un pedido. Los mensajes sobre un pedido te siguen llegando.
opt-out-email-label = Tu dirección de correo electrónico (a la que llegan estos mensajes)
opt-out-button-resume = Volver a recibir todos sus mensajes
opt-out-question = ¿Dejar de recibir mensajes de { $seller } que no traten de un pedido? Los mensajes sobre un pedido te seguirán llegando, y puedes cambiar de opinión con este enlace.
opt-out-button-stop = Dejar de recibir estos mensajes
opt-out-wrong-address = Esa no es la dirección a la que llegan estos mensajes, así que no se ha cambiado nada.
opt-out-too-many = Este enlace se respondió demasiadas veces con una dirección incorrecta; no se ha cambiado nada. Inténtalo mañana.
opt-out-done-stop = Hecho: los mensajes que no traten de un pedido ya no te llegarán.
opt-out-done-resume = Hecho: vuelves a recibir todos los mensajes de este vendedor.
