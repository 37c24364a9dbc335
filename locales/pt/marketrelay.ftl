# O que o marketrelay diz a compradores e vendedores, em português.
# Os mesmos identificadores de mensagem que locales/en/marketrelay.ftl.

## Páginas

page-skip = Ir para o conteúdo

## O rodapé de uma mensagem do vendedor ao comprador

removal-notice = { $marketplace } removeu dados de contato desta mensagem. Mantenha sua conversa no { $marketplace }.
footer-report-question = Algo errado com esta mensagem?
footer-report-link = Denuncie
footer-opt-out-question = Não quer mensagens de { $seller } que não sejam sobre um pedido?
footer-opt-out-link = Pare-as

## Avisos ao remetente

subject-files-not-delivered = Arquivos não entregues: { $subject }
subject-held = Retida para análise: { $subject }
subject-not-delivered = Não entregue: { $subject }
subject-warning = Advertência: { $subject }
notice-held = Sua mensagem "{ $subject }" está retida para análise pela nossa equipe de confiança e segurança.
notice-rejected = Sua mensagem "{ $subject }" foi analisada pela nossa equipe de confiança e segurança e não foi entregue.
notice-blocked = Sua mensagem "{ $subject }" não foi entregue porque viola a política de mensagens.
notice-found = O que encontramos:
notice-held-next = Ela será entregue se a análise permitir; caso contrário, você terá notícias nossas novamente.
notice-reference = Referência: { $id }
notice-files-taken-out = Foram retirados arquivos de um tipo que não é repassado: { $files }.
notice-advice = Como fazer corretamente: { $advice }
messaging-rules = Mensagens no { $marketplace } não podem conter dados de contato diretos, links para outros sites, pedidos de pagamento fora do { $marketplace } nem ofertas em troca de avaliações.

## O que a política encontrou

reason-email = ela contém um endereço de e-mail
reason-phone = ela contém um número de telefone
reason-url = ela contém um link para outro site
reason-messaging-handle = ela contém um usuário de aplicativo de mensagens
reason-offsite-payment = ela pede pagamento fora do { $marketplace }
reason-review-manipulation = ela oferece algo em troca de uma avaliação
reason-contact-request = ela pede os dados de contato da outra parte
reason-phishing = ela pede dados de cartão, senhas ou códigos de segurança
reason-promotional = faz publicidade ou pede algo de que a encomenda não precisa
removed-email = Um endereço de e-mail foi removido.
removed-phone = Um número de telefone foi removido.
removed-url = Um link para outro site foi removido.
removed-messaging-handle = Um usuário de aplicativo de mensagens foi removido.
found-blocked = Não entregue: { $reason }.
found-held = Retida para análise: { $reason }.
found-reason = { $reason }.

## Como fazer corretamente

advice-phone = Mantenha a conversa aqui. Quando um pedido precisa de um número de telefone (para combinar a entrega, a instalação ou a personalização), o vendedor envia um pedido de consentimento pela conversa e o comprador decide se o compartilha.
advice-email = Mantenha a conversa aqui: cada mensagem chega à outra parte por esta conversa, então nenhum outro endereço ou aplicativo é necessário.
advice-url = Use links apenas para páginas do marketplace ou sites de ajuda aprovados, ou descreva a página em palavras.
advice-offsite-payment = Os pagamentos passam apenas pelo checkout do marketplace; para mudar um preço, altere o anúncio ou o pedido.
advice-review-manipulation = Você pode pedir uma avaliação honesta, mas nunca ofereça nada em troca.
advice-phishing = Nunca peça dados de cartão, senhas ou códigos de segurança: o pagamento acontece no checkout do marketplace.
advice-promotional = Escreva ao comprador apenas sobre a encomenda dele. Ofertas, novidades e promoções pertencem aos seus anúncios e à página da loja; pode pedir uma avaliação uma vez por encomenda, depois da entrega.

## Mensagens que não foram repassadas

opt-out-notice = Sua mensagem "{ $subject }" não foi entregue: o comprador pediu para não receber mensagens suas que não sejam sobre um pedido.
opt-out-notice-order = Mensagens sobre um pedido continuam chegando: informe o número do pedido na mensagem ou escreva sobre envio, entrega, rastreamento, devolução, reembolso, nota fiscal ou cancelamento (numa conversa sem pedido próprio, informe também o número do pedido no campo order_id da API do { $marketplace }).
rate-limited-notice = Sua mensagem "{ $subject }" não foi entregue: você escreveu mais mensagens do que o { $marketplace } permite em pouco tempo (por hora em todas as suas conversas, ou por dia nesta).
rate-limited-notice-again = Ela fica registrada, mas não será enviada. Quando essa hora ou esse dia passar, suas mensagens voltam a ser entregues: envie-a novamente então.
files-removed-notice = Sua mensagem "{ $subject }" foi entregue sem estes arquivos, pois arquivos desse tipo não são repassados:
files-passed-on = Arquivos repassados: { $types }.
undeliverable = Sua mensagem "{ $subject }" de { $date } não pôde ser entregue { $to ->
        [seller] ao vendedor
       *[buyer] ao comprador
    }: o servidor de e-mail dele não a aceitou. O { $marketplace } foi informado.
undeliverable-order = Sua mensagem "{ $subject }" de { $date } sobre o pedido { $order } não pôde ser entregue { $to ->
        [seller] ao vendedor
       *[buyer] ao comprador
    }: o servidor de e-mail dele não a aceitou. O { $marketplace } foi informado.
undeliverable-retry = Você pode tentar novamente mais tarde ou falar com o suporte do { $marketplace }.

## Uma advertência da equipe a um vendedor

warning-intro = O { $marketplace } advertiu você pela sua mensagem "{ $subject }" a um comprador: ela viola as regras de mensagens do { $marketplace }.
warning-rule-broken = Regra violada:
warning-reason = Motivo informado pela nossa equipe de confiança e segurança: { $reason }
warning-counts = Esta advertência conta como uma violação. Mensagens que nossa equipe rejeita também contam, e violações repetidas suspendem sua conta automaticamente: enquanto ela estiver suspensa, cada mensagem que você enviar ficará retida para análise.

## Pedidos de consentimento

contact-kind-phone = número de telefone
purpose-delivery-scheduling = combinar a entrega
purpose-installation = organizar a instalação
purpose-customisation = conversar sobre a personalização do seu pedido
purpose-technical-troubleshooting = resolver problemas técnicos
consent-how-to-ask = Para obter o número de telefone do comprador, peça o consentimento dele: POST /api/v1/conversations/{ $conversation }/consent-requests com o pedido em questão e uma finalidade ({ $purposes }), ou use "Request phone number" na caixa de entrada. O comprador decide, e o número chega a você apenas enquanto o consentimento dele valer.
consent-subject = { $seller } pede seu { $kind } ({ $marketplace })
consent-ask = { $seller } gostaria do seu { $kind } para { $purpose } (pedido { $order }).
consent-terms = Se você concordar, { $seller } verá seu { $kind } apenas nesta conversa, por { $days ->
        [one] { $days } dia
       *[other] { $days } dias
    } ou até você revogar o consentimento. Ele só pode ser usado para { $purpose }, nunca para marketing, e nunca é compartilhado com mais ninguém. Se você recusar ou não responder, nada é compartilhado, e seu pedido segue normalmente de qualquer forma.
consent-mail-grant = Para compartilhar seu { $kind }, abra:
consent-mail-decline = Para recusar, abra:
consent-mail-revoke = Estes links funcionam até { $date }. Se você compartilhar, pode parar a qualquer momento; a partir daí o vendedor não vê mais seu { $kind }:
consent-mail-forward = Não encaminhe este e-mail: os links respondem em seu nome.

## As páginas de consentimento

consent-asks = { $seller } pede seu { $kind } para { $purpose }.
consent-email-label = Seu endereço de e-mail (aquele para o qual este pedido foi enviado)
consent-keep-link = Guarde o endereço desta página para voltar:
consent-keep-link-text = parar de compartilhar
consent-title-share = Compartilhar seu número de telefone?
consent-grant-terms = Se você concordar, { $seller } vê seu { $kind } apenas nesta conversa, por { $days ->
        [one] { $days } dia
       *[other] { $days } dias
    } (até { $until }) ou até você revogar.
consent-grant-use = Ele só pode ser usado para { $purpose }, nunca para marketing, e nunca é compartilhado com mais ninguém. Seu pedido segue em frente, concordando você ou não.
consent-button-share = Compartilhar meu número de telefone
consent-title-decline = Recusar o pedido?
consent-decline-nothing = Se você recusar, nada é compartilhado.
consent-button-decline = Recusar
consent-title-revoke = Parar de compartilhar seu número de telefone?
consent-can-see-until = { $seller } pode ver seu { $kind } até { $date }.
consent-button-stop = Parar de compartilhar
consent-title-nothing-shared = Nada é compartilhado
consent-not-shared-yet = Você não compartilhou seu { $kind }. Se não quiser, recuse o pedido.
consent-title-nothing-to-do = Nada a fazer
consent-already = Este pedido está { $status ->
        [requested] ainda aberto
        [granted] aceito
        [declined] recusado
        [revoked] revogado
       *[expired] expirado
    }; este link não pode mais alterá-lo.
consent-title-not-shared = Não compartilhado
consent-wrong-address = Este não é o endereço para o qual este pedido foi enviado, então nada foi compartilhado. Só quem recebeu o pedido pode respondê-lo.
consent-too-many = Este link foi respondido com o endereço errado vezes demais; nada foi compartilhado. Tente novamente amanhã.
consent-title-thanks = Obrigado
consent-now-see-until = { $seller } agora pode ver seu { $kind } até { $date }.
consent-stop-any-time = Você pode parar de compartilhar a qualquer momento:
consent-title-declined = Recusado
consent-declined = Você recusou. Nada foi compartilhado.
consent-title-stopped = Compartilhamento encerrado
consent-no-longer = { $seller } não pode mais ver seu { $kind }.

## A página de denúncia

report-page-title = Denunciar uma mensagem
report-title = Denunciar esta mensagem?
report-title-thanks = Obrigado
report-title-already = Já denunciada
report-from = De
report-filed = Denunciada: esta mensagem agora está com nossa equipe de confiança e segurança.
report-already = Esta mensagem já foi denunciada; nós a temos.
report-reads-every = Nossa equipe de confiança e segurança lê cada denúncia. Você não precisa fazer mais nada.
report-intro = Conte à nossa equipe de confiança e segurança o que há de errado com esta mensagem. O vendedor não fica sabendo quem a denunciou.
report-reason-label = Motivo (opcional)
report-reason-choose = Escolha um motivo
report-comment-label = Algo mais que devemos saber? (opcional)
report-button = Denunciar esta mensagem
report-reason-spam = Spam ou publicidade indesejada
report-reason-harassment = Grosseira, ofensiva ou ameaçadora
report-reason-scam = Parece golpe ou fraude
report-reason-off-platform = Pede para pagar ou conversar fora do marketplace
report-reason-other = Outra coisa

## A página de descadastro

opt-out-title = Mensagens de { $seller }
opt-out-status = Você não recebe mensagens de { $seller } que não sejam sobre um pedido. Mensagens sobre um pedido continuam chegando.
opt-out-email-label = Seu endereço de e-mail (aquele em que estas mensagens chegam)
opt-out-button-resume = Receber todas as mensagens novamente
opt-out-question = Parar as mensagens de { $seller } que não sejam sobre um pedido? Mensagens sobre um pedido continuarão chegando, e você pode mudar de ideia com este link.
opt-out-button-stop = Parar estas mensagens
opt-out-wrong-address = Este não é o endereço em que estas mensagens chegam, então nada foi alterado.
opt-out-too-many = Este link foi respondido com o endereço errado vezes demais; nada foi alterado. Tente novamente amanhã.
opt-out-done-stop = Pronto: mensagens que não sejam sobre um pedido não chegarão mais a você.
opt-out-done-resume = Pronto: você volta a receber todas as mensagens deste vendedor.
