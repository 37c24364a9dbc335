//! The mails the load sends: a unique token in every body, a mix of kinds, padded to a size.

use std::{fmt, str::FromStr, sync::Arc};

use data_encoding::BASE64_MIME;

/// Letters only, and none that the policy reads as a look-alike digit
/// (o, l, i, s, b, g, z, e, a, t, q), so a token is never taken for a phone
/// number and passes the filter untouched.
const TOKEN_LETTERS: &[u8] = b"cdfhjkmnprvwxy";

/// The contact details a `contact` mail carries, and what must replace them.
pub const CONTACT_PHONE: &str = "+49 170 1234567";
pub const CONTACT_EMAIL: &str = "jane.private@mailbox.example";
pub const PHONE_PLACEHOLDER: &str = "[phone removed]";
pub const EMAIL_PLACEHOLDER: &str = "[email removed]";
/// What must never reach a seller: the buyers' real addresses live in this domain.
pub const BUYER_DOMAIN: &str = "buyers.load.example";
pub const SELLER_DOMAIN: &str = "sellers.load.example";

/// Words a buyer might write, with no digit, address, link or payment term.
const FILLER: &str = "The parcel should fit in a standard letterbox, and I am happy to wait \
for the next collection if that is easier for you. Could you tell me whether the colour \
matches the photographs on the listing page? ";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Plain,
    Html,
    Attachment,
    Contact,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Plain, Kind::Html, Kind::Attachment, Kind::Contact];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Plain => "plain",
            Kind::Html => "html",
            Kind::Attachment => "attachment",
            Kind::Contact => "contact",
        }
    }
}

/// Percentages of each kind, e.g. `plain=40,html=20,attachment=10,contact=30`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mix([u32; 4]);

impl Default for Mix {
    fn default() -> Self {
        Mix([40, 20, 10, 30])
    }
}

impl FromStr for Mix {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut shares = [0; 4];
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?}: expected kind=percent"))?;
            let kind = Kind::ALL
                .iter()
                .position(|k| k.name() == name.trim())
                .ok_or_else(|| {
                    format!("unknown kind {name:?} (plain, html, attachment, contact)")
                })?;
            shares[kind] = value
                .trim()
                .parse()
                .map_err(|_| format!("{part:?}: percent must be a whole number"))?;
        }
        if shares.iter().sum::<u32>() != 100 {
            return Err(format!(
                "the mix must add up to 100, not {}",
                shares.iter().sum::<u32>()
            ));
        }
        Ok(Mix(shares))
    }
}

impl fmt::Display for Mix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Kind::ALL
            .iter()
            .zip(self.0)
            .map(|(k, p)| format!("{}={p}", k.name()))
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl Mix {
    /// The kind of the `n`th mail: spread evenly, so any prefix of the run has the mix.
    pub fn kind(&self, n: usize) -> Kind {
        let slot = (n * 37 % 100) as u32;
        let mut edge = 0;
        for (kind, share) in Kind::ALL.iter().zip(self.0) {
            edge += share;
            if slot < edge {
                return *kind;
            }
        }
        Kind::Plain
    }
}

/// A token unique in this run: a run prefix and the mail's number, in token letters.
pub fn token(run: &str, n: usize) -> String {
    let mut digits = Vec::new();
    let mut rest = n;
    loop {
        digits.push(TOKEN_LETTERS[rest % TOKEN_LETTERS.len()]);
        rest /= TOKEN_LETTERS.len();
        if rest == 0 {
            break;
        }
    }
    digits.reverse();
    format!("{run}{}", String::from_utf8(digits).unwrap_or_default())
}

/// A run prefix of `mrload` and six token letters.
pub fn run_prefix() -> String {
    let bytes = *uuid::Uuid::new_v4().as_bytes();
    let letters: String = bytes[..6]
        .iter()
        .map(|b| TOKEN_LETTERS[*b as usize % TOKEN_LETTERS.len()] as char)
        .collect();
    format!("mrload{letters}")
}

/// Finds the first token of this run in `text`.
pub fn find_token(text: &str, run: &str) -> Option<String> {
    let at = text.find(run)?;
    let token: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_lowercase())
        .collect();
    Some(token)
}

/// The parts that every mail of a size and kind shares, built once per run
/// so that 25 MB mails cost no more to make than 4 KB ones.
pub struct Padding {
    text: Arc<str>,
    html: Arc<str>,
    attachment: Arc<str>,
}

impl Padding {
    pub fn new(size: usize) -> Self {
        // Headers and the lines around the padding take about 400 bytes.
        let body = size.saturating_sub(400).max(1);
        let text = wrap(&FILLER.repeat(body / FILLER.len() + 1)[..body]);
        let html = format!("<p>{}</p>", &text);
        // A file that fills the size once in base64: a PNG signature and
        // bytes that do not compress.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        while png.len() < body * 3 / 4 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            png.push(state as u8);
        }
        Padding {
            text: text.into(),
            html: html.into(),
            attachment: BASE64_MIME.encode(&png).replace('\n', "\r\n").into(),
        }
    }
}

fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 30);
    let mut line = 0;
    for word in text.split(' ') {
        if line + word.len() > 72 && line > 0 {
            out.push_str("\r\n");
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

/// One mail as SMTP DATA, in pieces that share the padding. Dot-stuffing is
/// never needed: no line of ours starts with a dot.
pub struct Mail {
    pub pieces: Vec<Arc<str>>,
}

impl Mail {
    pub fn len(&self) -> usize {
        self.pieces.iter().map(|p| p.len()).sum()
    }

    /// The first `keep` bytes, for a client that breaks off mid-DATA.
    pub fn truncated(&self, keep: usize) -> Vec<u8> {
        let mut out: Vec<u8> = self.pieces.iter().flat_map(|p| p.bytes()).collect();
        out.truncate(keep);
        out
    }
}

pub struct Envelope<'a> {
    pub from: &'a str,
    pub from_name: &'a str,
    pub to: &'a str,
    pub token: &'a str,
    pub kind: Kind,
}

pub fn compose(e: &Envelope<'_>, padding: &Padding) -> Mail {
    let head = format!(
        "From: \"{}\" <{}>\r\nTo: <{}>\r\nSubject: Question about the listing\r\n\
         Message-ID: <{}@{BUYER_DOMAIN}>\r\nDate: Fri, 04 Dec 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\n",
        e.from_name, e.from, e.to, e.token
    );
    let opening = format!(
        "Hello, my reference is {} for this question.\r\n\r\n",
        e.token
    );
    let contact =
        format!("\r\n\r\nYou can call me on {CONTACT_PHONE} or write to {CONTACT_EMAIL}.\r\n");
    let closing = "\r\n\r\nThanks, Jane\r\n";
    let s = |t: &str| -> Arc<str> { t.into() };
    let pieces = match e.kind {
        Kind::Plain | Kind::Contact => {
            let tail = if e.kind == Kind::Contact {
                contact.as_str()
            } else {
                closing
            };
            vec![
                s(&format!(
                    "{head}Content-Type: text/plain; charset=utf-8\r\n\r\n{opening}"
                )),
                padding.text.clone(),
                s(tail),
            ]
        }
        Kind::Html => {
            let boundary = format!("alt-{}", e.token);
            vec![
                s(&format!(
                    "{head}Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n\
                     --{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{opening}"
                )),
                padding.text.clone(),
                s(&format!(
                    "{closing}\r\n--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
                     <html><body><p>Hello, my reference is {} for this question.</p>\r\n",
                    e.token
                )),
                padding.html.clone(),
                s(&format!(
                    "\r\n<p>Thanks, Jane</p></body></html>\r\n--{boundary}--\r\n"
                )),
            ]
        }
        Kind::Attachment => {
            let boundary = format!("mix-{}", e.token);
            vec![
                s(&format!(
                    "{head}Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n\
                     --{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{opening}\
                     A photograph of the scratch is attached.{closing}\r\n--{boundary}\r\n\
                     Content-Type: image/png\r\nContent-Disposition: attachment; filename=\"scratch.png\"\r\n\
                     Content-Transfer-Encoding: base64\r\n\r\n"
                )),
                padding.attachment.clone(),
                s(&format!("\r\n--{boundary}--\r\n")),
            ]
        }
    };
    Mail { pieces }
}

/// The mail number a token of this run stands for (the inverse of `token`).
pub fn token_number(token: &str, run: &str) -> Option<usize> {
    let digits = token.strip_prefix(run)?;
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0usize, |n, b| {
        let d = TOKEN_LETTERS.iter().position(|l| *l == b)?;
        n.checked_mul(TOKEN_LETTERS.len())?.checked_add(d)
    })
}
