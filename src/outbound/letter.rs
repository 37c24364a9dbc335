//! Builds the outgoing mail for a queue entry from what was stored: the
//! relay copy for the counterparty, or a notice for the sender. Every
//! address in it is a relay address except the recipient's own.

use crate::{
    catalogue::{Arg, Words},
    domain::{
        Action, Conversation, DeliveryKind, Direction, Language, MessageStatus, RelayAddress,
        SELLER_RATE_LIMITED, StoredMessage,
    },
    mime::{self, OutboundMail},
    policy::{ConsentedPhones, Policy},
    relay::{consent, explain, files, judge::shown_names, links::LinkSigner, record, reports},
    store::{Store, StoreResult},
};

/// A composed mail with its SMTP envelope.
pub struct Letter {
    pub envelope_from: String,
    pub to: String,
    pub bytes: Vec<u8>,
}

pub struct LetterContext<'a> {
    pub store: &'a dyn Store,
    pub policy: &'a Policy,
    pub relay_domain: &'a str,
    pub marketplace_name: &'a str,
    /// The marketplace's own address, for what staff say to a party.
    pub notice_from: &'a str,
    pub links: &'a LinkSigner,
    /// Phone numbers the sender consented to share with the recipient now:
    /// used only on the legacy path, for a message stored before its files
    /// were recorded (`relay::files::decided`).
    pub consented_phones: ConsentedPhones,
}

#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Compose(#[from] mime::ComposeError),
    /// No room in the memory budget for a letter this large now.
    #[error("no memory free for a letter this large now")]
    Busy,
}

/// About how many bytes the letter for `message` takes once composed,
/// known before anything large is read: its text, its HTML and its files
/// as decided at acceptance, base64 growing them by a third. A message
/// whose files were never recorded is read and judged whole on the legacy
/// path, so it counts as the largest there is.
pub fn size_hint(kind: DeliveryKind, message: &StoredMessage) -> usize {
    /// Headers, the footer and the notices' own words.
    const FRAME: usize = 16 * 1024;
    let text = message.body.len() + message.html.as_ref().map_or(0, String::len);
    match (&message.files, message.has_raw) {
        (None, true) => usize::MAX,
        (Some(files), _) if kind == DeliveryKind::Relay => {
            let files: usize = files.delivered.iter().map(|f| f.size).sum();
            FRAME + text + files / 3 * 4
        }
        _ => FRAME + text,
    }
}

/// Text appended when the filter removed something, so the reader knows why
/// the message has gaps.
pub fn removal_notice(words: Words, marketplace: &str) -> String {
    let notice = words.with("removal-notice", &[("marketplace", marketplace.into())]);
    format!("[{notice}]")
}

/// The language of whoever reads mail written by `direction`'s sender
/// (`to_sender` false) or the notice back to that sender (`to_sender` true).
fn reader(conversation: &Conversation, direction: Direction, to_sender: bool) -> Words {
    let buyer_reads = (direction == Direction::SellerToBuyer) != to_sender;
    Words(match buyer_reads {
        true => conversation.buyer.reads(),
        false => conversation.seller.reads(),
    })
}

pub async fn build(
    ctx: &LetterContext<'_>,
    kind: DeliveryKind,
    message: &StoredMessage,
    conversation: &Conversation,
) -> Result<Letter, LetterError> {
    let (sender_alias, recipient_email) = match message.direction {
        Direction::BuyerToSeller => (
            &conversation.buyer_alias,
            conversation.seller.email.as_str(),
        ),
        Direction::SellerToBuyer => (
            &conversation.seller_alias,
            conversation.buyer.email.as_str(),
        ),
    };
    // The names as judged at acceptance; a message recorded before they
    // were kept has its names judged now, as delivery did then.
    let names = message
        .names
        .clone()
        .unwrap_or_else(|| shown_names(ctx.policy, conversation, message.direction));
    let sender_address = RelayAddress::from_local(sender_alias, ctx.relay_domain).to_string();
    let mail = match kind {
        DeliveryKind::Relay => {
            let removed = message.findings.iter().any(|f| f.removed);
            let words = reader(conversation, message.direction, false);
            let notice = removed.then(|| removal_notice(words, ctx.marketplace_name));
            let mut text = message.body.trim_end().to_owned();
            let mut html = message.html.clone();
            let footer = (message.direction == Direction::SellerToBuyer)
                .then(|| buyer_footer(words, ctx.links, message, conversation, &names.sender));
            if notice.is_some() || footer.is_some() {
                text.push_str("\n\n-- \n");
                if let Some(h) = html.as_mut() {
                    h.push_str("<hr>");
                }
            }
            if let Some(notice) = &notice {
                text.push_str(notice);
                text.push('\n');
                if let Some(h) = html.as_mut() {
                    h.push_str(&Paragraph { text: notice }.to_string());
                }
            }
            if let Some((footer_text, footer_html)) = &footer {
                text.push_str(footer_text);
                if let Some(h) = html.as_mut() {
                    h.push_str(footer_html);
                }
            }
            let (in_reply_to, references) = thread_ids(ctx.store, message, conversation).await?;
            let attachments = attachments(ctx, message, conversation).await?;
            OutboundMail {
                from_name: format!("{} via {}", names.sender, ctx.marketplace_name),
                from_address: sender_address.clone(),
                to_name: Some(names.recipient.clone()).filter(|n| !n.is_empty()),
                to_address: recipient_email.to_owned(),
                subject: message.subject.clone(),
                message_id: message.relayed_message_id.clone(),
                in_reply_to,
                references,
                text,
                html,
                attachments,
            }
        }
        DeliveryKind::Notice => {
            // The notice goes back to the sender, from the alias they wrote to.
            let (sender_email, counterpart_alias) = match message.direction {
                Direction::BuyerToSeller => (
                    conversation.buyer.email.as_str(),
                    &conversation.seller_alias,
                ),
                Direction::SellerToBuyer => (
                    conversation.seller.email.as_str(),
                    &conversation.buyer_alias,
                ),
            };
            let words = reader(conversation, message.direction, true);
            let subject = [("subject", Arg::from(&message.subject))];
            let why = words.with(
                match message.status {
                    MessageStatus::Held => "notice-held",
                    MessageStatus::Rejected => "notice-rejected",
                    _ => "notice-blocked",
                },
                &subject,
            );
            // Held by the policy (not only for its sender's authentication
            // or a suspended seller): the sender hears at once why.
            let held = message.status == MessageStatus::Held && message.action == Action::Hold;
            // The reason was recorded when the message was routed: the
            // buyer's opt-out, or the seller's message limits.
            let routed_away = match message.block_reason.as_deref() {
                _ if message.status != MessageStatus::Blocked => None,
                Some(reports::OPTED_OUT) => Some(reports::opt_out_notice(
                    words,
                    &message.subject,
                    ctx.marketplace_name,
                )),
                Some(SELLER_RATE_LIMITED) => Some(record::rate_limited_notice(
                    words,
                    &message.subject,
                    ctx.marketplace_name,
                )),
                _ => None,
            };
            // The receiving side sent it back, or every attempt failed.
            let undeliverable = matches!(
                message.status,
                MessageStatus::Bounced | MessageStatus::Failed
            );
            // A notice about a message that was not stopped is about files
            // that were taken out of it.
            let files_removed = !undeliverable
                && !matches!(
                    message.status,
                    MessageStatus::Blocked | MessageStatus::Rejected
                )
                && !held;
            let text = if undeliverable {
                undeliverable_notice(words, message, conversation, ctx.marketplace_name)
            } else if files_removed {
                let decided = decided_files(ctx, message, conversation).await?;
                crate::relay::attachments::removed_notice(
                    words,
                    &message.subject,
                    &decided.removed,
                    ctx.policy.file_types(),
                )
            } else if let Some(why) = routed_away {
                format!("{why}\n{}\n", reference(words, message))
            } else {
                // Each kind the policy found, never the text it found.
                let explained = explain::as_text(
                    words,
                    &explain::explain(words, &message.findings, held, ctx.marketplace_name),
                );

                // Held mail gets no separate notice about its files.
                let files = if held {
                    let decided = decided_files(ctx, message, conversation).await?;
                    let names: Vec<&str> =
                        decided.removed.iter().map(|f| f.name.as_str()).collect();
                    match names.is_empty() {
                        true => String::new(),
                        false => format!(
                            "- {}\n",
                            words.with(
                                "notice-files-taken-out",
                                &[("files", Arg::from(&names.join(", ")))]
                            )
                        ),
                    }
                } else {
                    String::new()
                };
                let explained = explained + &files;
                let rules = if explained.is_empty() {
                    explain::messaging_rules(words, ctx.marketplace_name)
                } else {
                    format!("{}\n{explained}", words.get("notice-found"))
                };
                let next = if held {
                    words.get("notice-held-next") + "\n\n"
                } else {
                    String::new()
                };
                format!("{why}\n\n{rules}\n{next}{}\n", reference(words, message))
            };
            // A seller who asked for contact details learns the proper way.
            let text = if message.direction == Direction::SellerToBuyer
                && consent::asks_for_contact(&message.findings)
            {
                format!("{text}\n{}\n", consent::how_to_ask(words, conversation.id))
            } else {
                text
            };
            OutboundMail {
                from_name: ctx.marketplace_name.to_owned(),
                from_address: RelayAddress::from_local(counterpart_alias, ctx.relay_domain)
                    .to_string(),
                to_name: None,
                to_address: sender_email.to_owned(),
                subject: words.with(
                    if files_removed {
                        "subject-files-not-delivered"
                    } else if held {
                        "subject-held"
                    } else {
                        "subject-not-delivered"
                    },
                    &subject,
                ),
                message_id: format!("notice-{}", message.relayed_message_id),
                in_reply_to: message.original_message_id.clone(),
                references: message.original_message_id.iter().cloned().collect(),
                text,
                html: None,
                attachments: Vec::new(),
            }
        }
        DeliveryKind::Warning => {
            let warning = ctx
                .store
                .strikes()
                .warning_for_message(message.id)
                .await?
                .ok_or(crate::store::StoreError::NotFound)?;
            OutboundMail {
                from_name: ctx.marketplace_name.to_owned(),
                // The marketplace speaking, not the buyer: from its own
                // address, so a reply never reaches the buyer's alias.
                from_address: ctx.notice_from.to_owned(),
                to_name: None,
                to_address: conversation.seller.email.as_str().to_owned(),
                subject: Words(conversation.seller.reads())
                    .with("subject-warning", &[("subject", (&message.subject).into())]),
                message_id: format!("warning-{}", message.relayed_message_id),
                in_reply_to: None,
                references: Vec::new(),
                text: warning_text(
                    Words(conversation.seller.reads()),
                    ctx.marketplace_name,
                    message,
                    &warning.reason,
                ),
                html: None,
                attachments: Vec::new(),
            }
        }
        DeliveryKind::ConsentRequest => {
            let consent = ctx
                .store
                .consents()
                .consent_for_message(message.id)
                .await?
                .ok_or(crate::store::StoreError::NotFound)?;
            let words = reader(conversation, message.direction, false);
            let text = consent::request_mail_text(
                words,
                ctx.links,
                &consent,
                conversation.buyer.id,
                &consent::request_body(words, &consent, &names.sender)
                    .unwrap_or_else(|| message.body.clone()),
            );
            OutboundMail {
                from_name: format!("{} via {}", names.sender, ctx.marketplace_name),
                from_address: sender_address.clone(),
                to_name: Some(names.recipient.clone()).filter(|n| !n.is_empty()),
                to_address: recipient_email.to_owned(),
                subject: consent::request_subject(
                    words,
                    consent.kind,
                    &names.sender,
                    ctx.marketplace_name,
                ),
                message_id: message.relayed_message_id.clone(),
                in_reply_to: None,
                references: Vec::new(),
                text,
                html: None,
                attachments: Vec::new(),
            }
        }
    };
    let (envelope_from, to) = (mail.from_address.clone(), mail.to_address.clone());
    let bytes = mime::compose_owned(mail)?;
    let bytes = match auto_submitted(kind, message) {
        Some(keyword) => mime::prepend_header(&bytes, "Auto-Submitted", keyword),
        None => bytes,
    };
    let bytes = match list_unsubscribe(ctx.links, kind, message, conversation) {
        Some(url) => {
            let bytes = mime::prepend_header(
                &bytes,
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click",
            );
            mime::prepend_header(&bytes, "List-Unsubscribe", &format!("<{url}>"))
        }
        None => bytes,
    };
    Ok(Letter {
        envelope_from,
        to,
        bytes,
    })
}

/// A staff warning to the seller: which message, the rules it broke (from
/// its findings, never the text they cover), the staff's reason, and what
/// more violations lead to.
pub fn warning_text(
    words: Words,
    marketplace: &str,
    message: &StoredMessage,
    reason: &str,
) -> String {
    let intro = words.with(
        "warning-intro",
        &[
            ("marketplace", marketplace.into()),
            ("subject", (&message.subject).into()),
        ],
    );
    format!(
        "{intro}\n\n{}\n{rules}\n{}\n\n{}\n\n{}\n",
        words.get("warning-rule-broken"),
        words.with("warning-reason", &[("reason", reason.into())]),
        words.get("warning-counts"),
        reference(words, message),
        rules = explain::rules_broken(words, &message.findings, marketplace),
    )
}

/// The last line of every notice: the message's id, for support.
fn reference(words: Words, message: &StoredMessage) -> String {
    let id = message.id.to_string();
    words.with("notice-reference", &[("id", (&id).into())])
}

/// Tells the sender their message could not be delivered, in words that
/// name no one: the other side by role, the message by date, subject and
/// order, never an address or the server's reply (which may quote one).
fn undeliverable_notice(
    words: Words,
    message: &StoredMessage,
    conversation: &Conversation,
    marketplace: &str,
) -> String {
    let to = match message.direction {
        Direction::BuyerToSeller => "seller",
        Direction::SellerToBuyer => "buyer",
    };
    let date = match words.language() {
        Language::En => message
            .created_at
            .format(time::macros::format_description!(
                "[day padding:none] [month repr:long] [year]"
            ))
            .unwrap_or_default(),
        _ => message
            .created_at
            .date()
            .format(time::macros::format_description!("[year]-[month]-[day]"))
            .unwrap_or_default(),
    };
    let mut args = vec![
        ("subject", Arg::from(&message.subject)),
        ("date", Arg::from(&date)),
        ("to", Arg::from(to)),
        ("marketplace", Arg::from(marketplace)),
    ];
    let id = match &conversation.order_id {
        Some(order) => {
            args.push(("order", Arg::from(order)));
            "undeliverable-order"
        }
        None => "undeliverable",
    };
    format!(
        "{}\n\n{}\n\n{}\n",
        words.with(id, &args),
        words.with(
            "undeliverable-retry",
            &[("marketplace", marketplace.into())]
        ),
        reference(words, message),
    )
}

/// RFC 2369 and RFC 8058: a seller's mail to the buyer names the footer's
/// opt-out link as its unsubscribe address, which mail clients offer as a
/// button; their one-click POST (`List-Unsubscribe=One-Click`) to it opts
/// the buyer out of the seller's messages that are not about an order. No
/// `mailto:`: the relay's own mail takes no commands. Only relayed seller
/// mail carries it: notices and consent requests are not the seller's
/// messages to stop.
fn list_unsubscribe(
    links: &LinkSigner,
    kind: DeliveryKind,
    message: &StoredMessage,
    conversation: &Conversation,
) -> Option<String> {
    (kind == DeliveryKind::Relay && message.direction == Direction::SellerToBuyer)
        .then(|| links.opt_out_url(conversation.id, message.created_at))
}

/// RFC 3834 5: every notice is an automatic answer to the message it is
/// about, and the relayed copy of automatic mail says so too, so that no
/// responder on either side answers it and two of them cannot keep each
/// other going through the relay.
fn auto_submitted(kind: DeliveryKind, message: &StoredMessage) -> Option<&str> {
    match kind {
        DeliveryKind::Notice => Some("auto-replied"),
        DeliveryKind::Relay => message.auto_submitted.as_deref(),
        DeliveryKind::ConsentRequest => None,
        DeliveryKind::Warning => Some("auto-generated"),
    }
}

/// Rewrites the sender's In-Reply-To and References into ids the recipient
/// knows: our relayed id for the sender's own earlier mail, the recipient's
/// own original id for theirs. Unknown ids are dropped, since they may name
/// the sender's mail host.
async fn thread_ids(
    store: &dyn Store,
    message: &StoredMessage,
    conversation: &Conversation,
) -> StoreResult<(Option<String>, Vec<String>)> {
    let mut mapped_refs = Vec::new();
    for id in &message.references {
        if let Some(m) = map_id(store, message, conversation, id).await?
            && !mapped_refs.contains(&m)
        {
            mapped_refs.push(m);
        }
    }
    let in_reply_to = match &message.in_reply_to {
        Some(id) => map_id(store, message, conversation, id).await?,
        None => None,
    };
    if let Some(irt) = &in_reply_to
        && !mapped_refs.contains(irt)
    {
        mapped_refs.push(irt.clone());
    }
    Ok((in_reply_to, mapped_refs))
}

async fn map_id(
    store: &dyn Store,
    message: &StoredMessage,
    conversation: &Conversation,
    id: &str,
) -> StoreResult<Option<String>> {
    let Some(earlier) = store
        .messages()
        .message_by_header_id(conversation.id, id)
        .await?
    else {
        return Ok(None);
    };
    if earlier.direction == message.direction {
        // Written by the same sender: the recipient saw our relayed copy.
        Ok(Some(earlier.relayed_message_id))
    } else {
        // Written by the recipient: they know their own original id.
        Ok(Some(
            earlier
                .original_message_id
                .unwrap_or(earlier.relayed_message_id),
        ))
    }
}

/// The files as decided at acceptance, rendered: names and readable
/// contents as the audit recorded them, other files' bytes from the
/// stored raw MIME. Nothing is judged here (but on the legacy path).
async fn attachments(
    ctx: &LetterContext<'_>,
    message: &StoredMessage,
    conversation: &Conversation,
) -> StoreResult<Vec<mime::Attachment>> {
    let decided = decided_files(ctx, message, conversation).await?;
    if decided.delivered.is_empty() {
        return Ok(Vec::new());
    }
    // Only files that pass as they are are read from the mail.
    let raw = match message.has_raw && decided.delivered.iter().any(|f| f.text.is_none()) {
        true => ctx.store.messages().raw_mime(message.id).await?,
        false => None,
    };
    Ok(files::render(&decided, raw.as_deref()))
}

async fn decided_files(
    ctx: &LetterContext<'_>,
    message: &StoredMessage,
    conversation: &Conversation,
) -> StoreResult<crate::domain::MessageFiles> {
    files::decided(
        ctx.store,
        ctx.policy,
        conversation,
        message,
        ctx.consented_phones.clone(),
    )
    .await
}

/// What every seller's message to the buyer ends with: a link to report
/// it and one to opt out of the seller's messages that are not about an
/// order, in the buyer's language. Plain text and HTML.
fn buyer_footer(
    words: Words,
    links: &LinkSigner,
    message: &StoredMessage,
    conversation: &Conversation,
    seller_name: &str,
) -> (String, String) {
    let footer = FooterHtml {
        report: &links.report_url(message),
        opt_out: &links.opt_out_url(conversation.id, message.created_at),
        report_question: &words.get("footer-report-question"),
        report_link: &words.get("footer-report-link"),
        opt_out_question: &words.arg("footer-opt-out-question", "seller", seller_name),
        opt_out_link: &words.get("footer-opt-out-link"),
    };
    let text = format!(
        "{} {}: {}\n{} {}\n",
        footer.report_question,
        footer.report_link,
        footer.report,
        footer.opt_out_question,
        footer.opt_out
    );
    (text, footer.to_string())
}

/// HTML pieces added to a message's HTML part, escaped by the same
/// templates as every page.
#[derive(askama::Template)]
#[template(
    ext = "html",
    source = "<p>{{ report_question }} <a href=\"{{ report }}\">{{ report_link }}</a>.<br>\
              {{ opt_out_question }} <a href=\"{{ opt_out }}\">{{ opt_out_link }}</a>.</p>"
)]
struct FooterHtml<'a> {
    report: &'a str,
    opt_out: &'a str,
    report_question: &'a str,
    report_link: &'a str,
    opt_out_question: &'a str,
    opt_out_link: &'a str,
}

#[derive(askama::Template)]
#[template(ext = "html", source = "<p>{{ text }}</p>")]
struct Paragraph<'a> {
    text: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_footer_escapes_the_sellers_name_and_links() {
        let words = Words(crate::domain::Language::En);
        let question = words.arg("footer-opt-out-question", "seller", "<b>Tom & Jerry</b>");
        let html = FooterHtml {
            report: "https://mr.example/report/a\"b",
            opt_out: "https://mr.example/opt-out/c",
            report_question: &words.get("footer-report-question"),
            report_link: &words.get("footer-report-link"),
            opt_out_question: &question,
            opt_out_link: &words.get("footer-opt-out-link"),
        }
        .to_string();
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("a\"b"), "{html}");
        assert!(html.contains("Tom &#38; Jerry"), "{html}");
        assert!(
            html.contains("Don&#39;t want messages from &#60;b&#62;"),
            "{html}"
        );
        assert_eq!(
            Paragraph {
                text: "[A&B removed]"
            }
            .to_string(),
            "<p>[A&#38;B removed]</p>"
        );
    }
}
