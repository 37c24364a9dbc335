//! Files between the parties, on every path (a seller's reply from the web
//! form or the API, and mail either way): one allowlist of types, each
//! file's type read from its bytes rather than taken from the sender's
//! claim, names given the extension of that type, and what reaches the
//! other party. What readable files say is judged with their message by
//! `judge::judge_attachments`, which records what is delivered
//! (`relay::files`).

use crate::{catalogue::Words, config::AttachmentSettings, domain::RemovedFile, mime::Attachment};

/// A file as uploaded, before the limits are applied.
#[derive(Clone, Debug)]
pub struct Upload {
    pub filename: String,
    pub data: Vec<u8>,
}

/// Why the files of a reply were refused; the message is shown to the seller.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("Attach at most {max} files to one reply.")]
    TooMany { max: usize },
    #[error("{name} is larger than {} allowed per file.", size_label(*max))]
    FileTooBig { name: String, max: usize },
    #[error("The files together are larger than the {} allowed per reply.", size_label(*max))]
    TotalTooBig { max: usize },
    #[error("{name} is empty.")]
    Empty { name: String },
    #[error("{name} cannot be attached: only {allowed} are accepted.")]
    NotAllowed { name: String, allowed: String },
    /// The upload broke off or was malformed.
    #[error("The files did not arrive completely.")]
    Incomplete,
}

impl AttachmentError {
    /// The API's error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooMany { .. } => "too_many_attachments",
            Self::FileTooBig { .. } | Self::TotalTooBig { .. } => "attachment_too_large",
            Self::Empty { .. } => "empty_attachment",
            Self::NotAllowed { .. } => "attachment_type_not_allowed",
            Self::Incomplete => "invalid_attachment",
        }
    }
}

/// Checks the uploads against the limits and gives them the type read from
/// their bytes.
pub fn accept(
    limits: &AttachmentSettings,
    uploads: Vec<Upload>,
) -> Result<Vec<Attachment>, AttachmentError> {
    if uploads.len() > limits.max_files {
        return Err(AttachmentError::TooMany {
            max: limits.max_files,
        });
    }
    let mut total = 0usize;
    let mut accepted = Vec::with_capacity(uploads.len());
    for upload in uploads {
        let name = display_name(&upload.filename);
        if upload.data.is_empty() {
            return Err(AttachmentError::Empty { name });
        }
        if upload.data.len() > limits.max_file_bytes {
            return Err(AttachmentError::FileTooBig {
                name,
                max: limits.max_file_bytes,
            });
        }
        total += upload.data.len();
        if total > limits.max_total_bytes {
            return Err(AttachmentError::TotalTooBig {
                max: limits.max_total_bytes,
            });
        }
        let kind = sniff(&upload.data);
        if !limits.allowed_types.iter().any(|t| t == kind) {
            return Err(AttachmentError::NotAllowed {
                name,
                allowed: allowed_label(&limits.allowed_types),
            });
        }
        accepted.push(Attachment {
            filename: Some(name_for(&upload.filename, kind)),
            content_type: if kind == "text/plain" {
                "text/plain; charset=utf-8".to_owned()
            } else {
                kind.to_owned()
            },
            data: upload.data,
        });
    }
    Ok(accepted)
}

/// Checks files still in base64 against the limits, from the length of
/// their text alone, so nothing is decoded that would be refused after.
/// `files` are (name, base64 text) pairs.
pub fn check_encoded(
    limits: &AttachmentSettings,
    files: &[(&str, &str)],
) -> Result<(), AttachmentError> {
    if files.len() > limits.max_files {
        return Err(AttachmentError::TooMany {
            max: limits.max_files,
        });
    }
    let mut total = 0usize;
    for (name, encoded) in files {
        // At most this many bytes; padding may make it up to two fewer.
        let size = (encoded.trim().len() / 4 * 3).saturating_sub(2);
        if size > limits.max_file_bytes {
            return Err(AttachmentError::FileTooBig {
                name: display_name(name),
                max: limits.max_file_bytes,
            });
        }
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            return Err(AttachmentError::TotalTooBig {
                max: limits.max_total_bytes,
            });
        }
    }
    Ok(())
}

/// The type the bytes show: an image or PDF by its signature; markup (HTML,
/// SVG, XML: what a browser would render and run) as such; text without
/// control bytes, UTF-8 or an 8-bit charset, as `text/plain`; anything else
/// as `application/octet-stream`. Only the first kinds can be allowed.
pub fn sniff(data: &[u8]) -> &'static str {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"%PDF-", "application/pdf"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(sig, _)| data.starts_with(sig)) {
        return kind;
    }
    if data.len() >= 12 && data.starts_with(b"RIFF") && &data[8..12] == b"WEBP" {
        return "image/webp";
    }
    if let Some(kind) = markup(data) {
        return kind;
    }
    let text = match std::str::from_utf8(data) {
        Ok(s) => s.chars().all(|c| !c.is_control() || is_text_space(c)),
        // Another charset: no control byte but the usual spacing.
        Err(_) => data
            .iter()
            .all(|b| *b >= 0x20 && *b != 0x7f || is_text_space(char::from(*b))),
    };
    if text {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

fn is_text_space(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t' | '\u{c}')
}

/// Markup a browser would sniff and render: after a byte order mark and
/// white space, a tag, declaration or comment.
fn markup(data: &[u8]) -> Option<&'static str> {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let start = data.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &data[start..];
    let opens_tag = rest.first() == Some(&b'<')
        && rest
            .get(1)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'!' | b'?' | b'/'));
    if !opens_tag {
        return None;
    }
    let head = String::from_utf8_lossy(&rest[..rest.len().min(1024)]).to_ascii_lowercase();
    Some(if head.contains("<svg") {
        "image/svg+xml"
    } else if head.starts_with("<?xml") {
        "application/xml"
    } else {
        "text/html"
    })
}

/// The type of a file in mail: a forwarded message is delivered as its
/// text; anything else is what its bytes show.
pub fn kind_of(attachment: &Attachment) -> &'static str {
    if attachment
        .content_type
        .to_ascii_lowercase()
        .starts_with("message/")
    {
        "text/plain"
    } else {
        sniff(&attachment.data)
    }
}

/// `name` with an extension its type is opened as: kept when it already
/// fits, otherwise replaced (`notes.html` of plain text becomes
/// `notes.txt`), so a file cannot be opened as something it is not.
pub fn name_for(name: &str, kind: &str) -> String {
    let fits: &[&str] = match kind {
        "image/png" => &["png"],
        "image/jpeg" => &["jpg", "jpeg", "jpe"],
        "image/gif" => &["gif"],
        "image/webp" => &["webp"],
        "application/pdf" => &["pdf"],
        "text/plain" => &["txt", "text", "log"],
        _ => &["bin"],
    };
    // Trailing dots and spaces are dropped by Windows: `x.exe.` opens as `x.exe`.
    let name = name.trim_end_matches(['.', ' ']);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext),
        _ => (name, ""),
    };
    if fits.contains(&ext.to_ascii_lowercase().as_str()) {
        return name.to_owned();
    }
    let stem = if stem.is_empty() { "attachment" } else { stem };
    format!("{stem}.{}", fits[0])
}

/// What the sender of a mail is told about files that were not delivered.
pub fn removed_notice(
    words: Words,
    subject: &str,
    removed: &[RemovedFile],
    allowed: &[String],
) -> String {
    let files: Vec<String> = removed
        .iter()
        .map(|f| format!("  {} ({}, {})", f.name, f.kind, size_label(f.size)))
        .collect();
    format!(
        "{}\n\n{}\n\n{}\n",
        words.with("files-removed-notice", &[("subject", subject.into())]),
        files.join("\n"),
        words.with(
            "files-passed-on",
            &[("types", (&allowed_label(allowed)).into())]
        ),
    )
}

/// A name to quote back to the seller: the last path part, or "A file".
fn display_name(filename: &str) -> String {
    let base = filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim();
    if base.is_empty() {
        "A file".to_owned()
    } else {
        base.chars().filter(|c| !c.is_control()).take(120).collect()
    }
}

fn allowed_label(types: &[String]) -> String {
    let mut labels: Vec<&str> = types
        .iter()
        .map(|t| match t.as_str() {
            "image/png" => "PNG",
            "image/jpeg" => "JPEG",
            "image/gif" => "GIF",
            "image/webp" => "WebP",
            "application/pdf" => "PDF",
            "text/plain" => "plain text",
            other => other,
        })
        .collect();
    labels.dedup();
    if labels.is_empty() {
        "no files".to_owned()
    } else {
        labels.join(", ")
    }
}

/// `10 MB`, `512 KB` or `300 bytes`, in binary units.
pub fn size_label(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MB", bytes as f64 / MIB as f64).replace(".0 ", " ")
    } else if bytes >= KIB {
        format!("{} KB", bytes.div_ceil(KIB))
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> AttachmentSettings {
        AttachmentSettings {
            max_files: 2,
            max_file_bytes: 100,
            max_total_bytes: 150,
            allowed_types: vec!["image/png".into(), "text/plain".into()],
        }
    }

    fn upload(name: &str, data: &[u8]) -> Upload {
        Upload {
            filename: name.into(),
            data: data.to_vec(),
        }
    }

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn the_type_comes_from_the_bytes_not_the_name() {
        let ok = accept(
            &limits(),
            vec![upload("notes.pdf", PNG), upload("a.png", b"hi")],
        )
        .expect("accepted");
        assert_eq!(ok[1].filename.as_deref(), Some("a.txt"));
        assert_eq!(ok[0].content_type, "image/png");
        assert_eq!(ok[0].filename.as_deref(), Some("notes.png"));
        assert_eq!(ok[1].content_type, "text/plain; charset=utf-8");
        let refused = accept(&limits(), vec![upload("x.txt", b"%PDF-1.4 ...")]);
        assert!(
            matches!(refused, Err(AttachmentError::NotAllowed { ref name, .. }) if name == "x.txt"),
            "{refused:?}"
        );
        let binary = accept(&limits(), vec![upload("x.txt", b"MZ\x90\0\x03")]);
        assert!(matches!(binary, Err(AttachmentError::NotAllowed { .. })));
    }

    #[test]
    fn limits_on_count_and_size() {
        let three = vec![upload("a", b"a"), upload("b", b"b"), upload("c", b"c")];
        assert_eq!(
            accept(&limits(), three).err(),
            Some(AttachmentError::TooMany { max: 2 })
        );
        let big = accept(&limits(), vec![upload("big.txt", &[b'a'; 101])]);
        assert!(matches!(big, Err(AttachmentError::FileTooBig { .. })));
        let total = accept(
            &limits(),
            vec![upload("a.txt", &[b'a'; 80]), upload("b.txt", &[b'b'; 80])],
        );
        assert_eq!(total.err(), Some(AttachmentError::TotalTooBig { max: 150 }));
        let empty = accept(&limits(), vec![upload("e.txt", b"")]);
        assert!(matches!(empty, Err(AttachmentError::Empty { .. })));
    }

    #[test]
    fn sniffs_the_allowed_kinds() {
        assert_eq!(sniff(b"\xff\xd8\xff\xe0"), "image/jpeg");
        assert_eq!(sniff(b"GIF89a..."), "image/gif");
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(sniff(b"%PDF-1.7"), "application/pdf");
        assert_eq!(sniff("Grüße\r\n".as_bytes()), "text/plain");
        assert_eq!(sniff(b"a\0b"), "application/octet-stream");
    }

    #[test]
    fn markup_is_known_for_what_a_browser_would_make_of_it() {
        assert_eq!(sniff(b"<!DOCTYPE html><p>hi"), "text/html");
        assert_eq!(
            sniff(b"\xef\xbb\xbf\n  <script>alert(1)</script>"),
            "text/html"
        );
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "image/svg+xml"
        );
        assert_eq!(sniff(b"<?xml version='1.0'?><svg/>"), "image/svg+xml");
        assert_eq!(sniff(b"<?xml version='1.0'?><order/>"), "application/xml");
        assert_eq!(sniff(b"<3 thanks, see you"), "text/plain");
        assert_eq!(
            sniff(b"Gr\xfc\xdfe aus K\xf6ln"),
            "text/plain",
            "Latin-1 text"
        );
        let refused = accept(
            &limits(),
            vec![upload("page.txt", b"<html><script>x</script>")],
        );
        assert!(matches!(refused, Err(AttachmentError::NotAllowed { .. })));
    }

    #[test]
    fn names_get_the_extension_of_their_type() {
        for (name, kind, expected) in [
            ("notes.html", "text/plain", "notes.txt"),
            ("photo.JPG", "image/jpeg", "photo.JPG"),
            ("photo.jpeg", "image/jpeg", "photo.jpeg"),
            ("invoice.exe", "image/png", "invoice.png"),
            ("invoice.exe. ", "image/png", "invoice.png"),
            ("README", "text/plain", "README.txt"),
            (".profile", "text/plain", ".profile.txt"),
            ("scan.pdf", "application/pdf", "scan.pdf"),
        ] {
            assert_eq!(name_for(name, kind), expected, "{name}");
        }
        let ok = accept(&limits(), vec![upload("fake.pdf", b"plain words")]).unwrap();
        assert_eq!(ok[0].filename.as_deref(), Some("fake.txt"));
    }

    #[test]
    fn messages_are_plain() {
        assert_eq!(size_label(10 * 1024 * 1024), "10 MB");
        assert_eq!(size_label(1536), "2 KB");
        assert_eq!(
            AttachmentError::NotAllowed {
                name: "x.exe".into(),
                allowed: allowed_label(&limits().allowed_types)
            }
            .to_string(),
            "x.exe cannot be attached: only PNG, plain text are accepted."
        );
    }
}
