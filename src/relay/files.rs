//! A message's files as the recipient gets them, rendered from what was
//! decided at acceptance (`StoredMessage::files`, written by
//! `judge::judge_attachments`). Delivery and the inbox read this record;
//! neither judges a file again, so a policy reload or a different context
//! cannot make them send or show something the audit says was removed.
//!
//! Messages stored before the record existed (migration 0011) have none:
//! they take the legacy path, judged once with the fullest context still
//! known (both parties' regions and the consent in force), and that
//! judgement is recorded so every later delivery and view agrees with it.

use time::OffsetDateTime;

use super::{
    consent,
    judge::{Judgement, judge_attachments},
    party_regions,
};
use crate::{
    domain::{Conversation, Direction, MessageFiles, StoredMessage},
    mime::{self, Attachment},
    policy::{ConsentedPhones, EvalContext, Policy},
    store::{Store, StoreResult},
};

/// The attachments to send, from the record and (for files that pass as
/// they are) the bytes of the stored raw MIME. A part that is missing, or
/// whose size is not what was decided, is left out rather than sent
/// unjudged. A part's bytes move into the attachment, not copied.
pub fn render(files: &MessageFiles, raw: Option<&[u8]>) -> Vec<Attachment> {
    let needs_parts = files.delivered.iter().any(|f| f.text.is_none());
    let mut parts = match raw {
        Some(raw) if needs_parts => mime::parse(raw).attachments,
        _ => Vec::new(),
    };
    files
        .delivered
        .iter()
        .filter_map(|file| {
            let data = match &file.text {
                Some(text) => text.clone().into_bytes(),
                None => match parts.get_mut(file.part) {
                    Some(part) if part.data.len() == file.size => std::mem::take(&mut part.data),
                    _ => {
                        tracing::warn!(
                            part = file.part,
                            "a recorded file is not in the stored mail; left out"
                        );
                        return None;
                    }
                },
            };
            Some(Attachment {
                filename: Some(file.name.clone()),
                content_type: file.content_type.clone(),
                data,
            })
        })
        .collect()
}

/// The files of `message` as decided: its record, or for a message stored
/// before records were kept, the legacy path (see the module comment).
/// `consented` is the consent in force now, for the legacy path only.
pub async fn decided(
    store: &dyn Store,
    policy: &Policy,
    conversation: &Conversation,
    message: &StoredMessage,
    consented: ConsentedPhones,
) -> StoreResult<MessageFiles> {
    if let Some(files) = &message.files {
        return Ok(files.clone());
    }
    let raw = match message.has_raw {
        true => store.messages().raw_mime(message.id).await?,
        false => None,
    };
    let context = EvalContext {
        regions: party_regions(conversation),
        consented_phones: consented,
        ..EvalContext::default()
    };
    let files = legacy_files(policy, message.direction, &context, raw.as_deref());
    tracing::info!(message_id = %message.id, "files judged on the legacy path");
    store
        .messages()
        .record_legacy_files(message.id, &files)
        .await
}

/// [`decided`] with the consent in force now, for a view that has none at
/// hand (the consent only matters on the legacy path).
pub async fn decided_now(
    store: &dyn Store,
    policy: &Policy,
    conversation: &Conversation,
    message: &StoredMessage,
) -> StoreResult<MessageFiles> {
    let consented = match message.files {
        Some(_) => ConsentedPhones::None,
        None => {
            consent::consented_phones(
                store,
                conversation,
                message.direction,
                OffsetDateTime::now_utc(),
            )
            .await?
        }
    };
    decided(store, policy, conversation, message, consented).await
}

/// Legacy path: the files of a stored raw MIME judged as acceptance judges
/// them today. Only for messages stored before migration 0011.
pub fn legacy_files(
    policy: &Policy,
    direction: Direction,
    context: &EvalContext,
    raw: Option<&[u8]>,
) -> MessageFiles {
    let Some(raw) = raw else {
        return MessageFiles::default();
    };
    let mut scratch = Judgement::empty();
    judge_attachments(
        policy,
        direction,
        context,
        &mut scratch,
        &mime::parse(raw).attachments,
    );
    scratch.files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DeliveredFile;

    #[test]
    fn renders_text_from_the_record_and_other_files_from_the_mail() {
        let raw = b"From: a@x.example\r\nTo: b@y.example\r\nSubject: s\r\n\
            MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
            --b\r\nContent-Type: text/plain\r\n\r\nbody\r\n\
            --b\r\nContent-Type: application/pdf\r\n\
            Content-Disposition: attachment; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n\
            --b\r\nContent-Type: text/plain\r\n\
            Content-Disposition: attachment; filename=\"t.txt\"\r\n\r\nsecret 0170\r\n\
            --b--\r\n";
        let pdf = &mime::parse(raw).attachments[0];
        let files = MessageFiles {
            delivered: vec![
                DeliveredFile {
                    part: 0,
                    name: "renamed.pdf".into(),
                    content_type: "application/pdf".into(),
                    size: pdf.data.len(),
                    text: None,
                },
                DeliveredFile {
                    part: 1,
                    name: "t.txt".into(),
                    content_type: "text/plain; charset=utf-8".into(),
                    size: 9,
                    text: Some("[removed]".into()),
                },
                // Not what the mail holds at that place: left out.
                DeliveredFile {
                    part: 7,
                    name: "ghost.png".into(),
                    content_type: "image/png".into(),
                    size: 1,
                    text: None,
                },
            ],
            removed: Vec::new(),
        };
        let out = render(&files, Some(raw));
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].filename.as_deref(), Some("renamed.pdf"));
        assert_eq!(out[0].data, pdf.data);
        assert_eq!(out[1].data, b"[removed]");
    }
}
