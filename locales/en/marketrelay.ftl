# What marketrelay says to buyers and sellers, in English.
# Every language has a file like this one with the same message ids
# (a unit test compares them). Placeables: $marketplace is the
# marketplace's name, $subject a message's subject, $seller the seller's
# name as the buyer sees it.

## Pages

page-skip = Skip to content

## The footer of a seller's mail to a buyer

removal-notice = { $marketplace } removed contact details from this message. Please keep your conversation on { $marketplace }.
footer-report-question = Something wrong with this message?
footer-report-link = Report it
footer-opt-out-question = Don't want messages from { $seller } that aren't about an order?
footer-opt-out-link = Stop them

## Notices to a sender

subject-files-not-delivered = Files not delivered: { $subject }
subject-held = Held for review: { $subject }
subject-not-delivered = Not delivered: { $subject }
subject-warning = Warning: { $subject }
notice-held = Your message "{ $subject }" is held for review by our trust and safety team.
notice-rejected = Your message "{ $subject }" was reviewed by our trust and safety team and was not delivered.
notice-blocked = Your message "{ $subject }" was not delivered because it breaks the messaging policy.
notice-found = What we found:
notice-held-next = It will be delivered if the review allows it; otherwise you will hear from us again.
notice-reference = Reference: { $id }
notice-files-taken-out = Files of a type not passed on were taken out: { $files }.
notice-advice = How to do it properly: { $advice }
messaging-rules = Messages on { $marketplace } may not contain direct contact details, links to other sites, requests to pay outside { $marketplace }, or offers in exchange for reviews.

## What the policy found, per kind: why it breaks the rules ("it ..."),
## and for contact details what was removed

reason-email = it contains an email address
reason-phone = it contains a phone number
reason-url = it contains a link to another site
reason-messaging-handle = it contains a messaging app handle
reason-offsite-payment = it asks for payment outside { $marketplace }
reason-review-manipulation = it offers something in exchange for a review
reason-contact-request = it asks for the other party's contact details
reason-phishing = it asks for card details, passwords or security codes
reason-promotional = it advertises or asks for something the order does not need
removed-email = An email address was removed.
removed-phone = A phone number was removed.
removed-url = A link to another site was removed.
removed-messaging-handle = A messaging app handle was removed.
found-blocked = Not delivered: { $reason }.
found-held = Held for review: { $reason }.
found-reason = { $reason }.

## How to do properly what a message tried to do

advice-phone = Keep the conversation here. When an order needs a phone number (delivery scheduling, installation or customisation), the seller sends a consent request from the conversation and the buyer decides whether to share it.
advice-email = Keep the conversation here: every message reaches the other party through this conversation, so no other address or app is needed.
advice-url = Link only to pages on the marketplace or to approved help sites, or describe the page in words.
advice-offsite-payment = Payments go through the marketplace checkout only; to change a price, change the listing or the order.
advice-review-manipulation = You may ask for an honest review, but never offer anything in return for one.
advice-phishing = Never ask for card details, passwords or security codes: payment happens in the marketplace checkout.
advice-promotional = Write to a buyer about their order only. Offers, new products and sales belong on your listings and shop page, and you may ask for a review once per order, after it was delivered.

## Messages that were not sent on

opt-out-notice = Your message "{ $subject }" was not delivered: the buyer asked not to receive messages from you that are not about an order.
opt-out-notice-order = Messages about an order still reach them: name its order id in the message, or write about its shipping, delivery, tracking, return, refund, invoice or cancellation (in a conversation without an order of its own, also give the order id in the order_id field of the { $marketplace } API).
rate-limited-notice = Your message "{ $subject }" was not delivered: you have written more messages than { $marketplace } allows in a short time (per hour in all your conversations, or per day in this one).
rate-limited-notice-again = It is kept for the record but will not be sent. Once that hour or day has passed your messages are delivered again: send it again then.
files-removed-notice = Your message "{ $subject }" was delivered without these files, as files of their type are not passed on:
files-passed-on = Files that are passed on: { $types }.
undeliverable = Your message "{ $subject }" of { $date } could not be delivered to { $to ->
        [seller] the seller
       *[buyer] the buyer
    }: their mail server did not accept it. { $marketplace } has been told.
undeliverable-order = Your message "{ $subject }" of { $date } about order { $order } could not be delivered to { $to ->
        [seller] the seller
       *[buyer] the buyer
    }: their mail server did not accept it. { $marketplace } has been told.
undeliverable-retry = You can try again later, or contact { $marketplace } support.

## A staff warning to a seller

warning-intro = { $marketplace } has warned you about your message "{ $subject }" to a buyer: it breaks the { $marketplace } messaging rules.
warning-rule-broken = Rule broken:
warning-reason = Reason given by our trust and safety team: { $reason }
warning-counts = This warning counts as a violation. Messages our team rejects count too, and repeated violations suspend your account automatically: while it is suspended, every message you send is held for review.

## Consent requests

contact-kind-phone = phone number
purpose-delivery-scheduling = scheduling the delivery
purpose-installation = arranging the installation
purpose-customisation = discussing the customisation of your order
purpose-technical-troubleshooting = technical troubleshooting
consent-how-to-ask = To get the buyer's phone number, ask for their consent instead: POST /api/v1/conversations/{ $conversation }/consent-requests with the order it is about and a purpose ({ $purposes }), or use "Request phone number" in the inbox. The buyer decides, and the number reaches you only while their consent holds.
consent-subject = { $seller } asks for your { $kind } ({ $marketplace })
consent-ask = { $seller } would like your { $kind } for { $purpose } (order { $order }).
consent-terms = If you agree, { $seller } will see your { $kind } in this conversation only, for { $days } days or until you revoke your consent. It may be used only for { $purpose }, never for marketing, and is never shared with anyone else. If you decline or do not answer, nothing is shared, and your order goes ahead as usual either way.
consent-mail-grant = To share your { $kind }, open:
consent-mail-decline = To decline, open:
consent-mail-revoke = These links work until { $date }. If you share it, you can stop sharing at any time; the seller no longer sees your { $kind } from then on:
consent-mail-forward = Do not forward this email: the links answer on your behalf.

## The consent pages

consent-asks = { $seller } asks for your { $kind } for { $purpose }.
consent-email-label = Your email address (the one this request was sent to)
consent-keep-link = Keep this page's address to come back:
consent-keep-link-text = stop sharing
consent-title-share = Share your phone number?
consent-grant-terms = If you agree, { $seller } sees your { $kind } in this conversation only, for { $days } days (until { $until }) or until you revoke it.
consent-grant-use = It may be used only for { $purpose }, never for marketing, and is never shared with anyone else. Your order goes ahead whether you agree or not.
consent-button-share = Share my phone number
consent-title-decline = Decline the request?
consent-decline-nothing = If you decline, nothing is shared.
consent-button-decline = Decline
consent-title-revoke = Stop sharing your phone number?
consent-can-see-until = { $seller } can see your { $kind } until { $date }.
consent-button-stop = Stop sharing
consent-title-nothing-shared = Nothing is shared
consent-not-shared-yet = You have not shared your { $kind }. If you do not want to, decline the request.
consent-title-nothing-to-do = Nothing to do
consent-already = This request is { $status ->
        [requested] still open
        [granted] granted
        [declined] declined
        [revoked] revoked
       *[expired] expired
    }; this link cannot change it any more.
consent-title-not-shared = Not shared
consent-wrong-address = That is not the address this request was sent to, so nothing was shared. Only the person who received the request can answer it.
consent-too-many = This link was answered with the wrong address too often; nothing was shared. Try again tomorrow.
consent-title-thanks = Thank you
consent-now-see-until = { $seller } can now see your { $kind } until { $date }.
consent-stop-any-time = You can stop sharing at any time:
consent-title-declined = Declined
consent-declined = You declined. Nothing was shared.
consent-title-stopped = Sharing stopped
consent-no-longer = { $seller } can no longer see your { $kind }.

## The report page

report-page-title = Report a message
report-title = Report this message?
report-title-thanks = Thank you
report-title-already = Already reported
report-from = From
report-filed = Reported: this message is now with our trust and safety team.
report-already = This message was already reported; we have it.
report-reads-every = Our trust and safety team reads every report. You do not need to do anything else.
report-intro = Tell our trust and safety team what is wrong with this message. The seller is not told who reported it.
report-reason-label = Reason (optional)
report-reason-choose = Choose a reason
report-comment-label = Anything else we should know? (optional)
report-button = Report this message
report-reason-spam = Spam or unwanted advertising
report-reason-harassment = Rude, abusive or threatening
report-reason-scam = Looks like a scam or fraud
report-reason-off-platform = Asks to pay or talk outside the marketplace
report-reason-other = Something else

## The opt-out page

opt-out-title = Messages from { $seller }
opt-out-status = You do not receive messages from { $seller } that are not about an order. Messages about an order still reach you.
opt-out-email-label = Your email address (the one these messages come to)
opt-out-button-resume = Receive all their messages again
opt-out-question = Stop messages from { $seller } that are not about an order? Messages about an order will still reach you, and you can change your mind with this link.
opt-out-button-stop = Stop these messages
opt-out-wrong-address = That is not the address these messages come to, so nothing was changed.
opt-out-too-many = This link was answered with the wrong address too often; nothing was changed. Try again tomorrow.
opt-out-done-stop = Done: messages that are not about an order will not reach you.
opt-out-done-resume = Done: you receive all messages from this seller again.
