//! Sanitises inbound HTML to bare formatting tags and runs the text redactor over its visible text.

use std::collections::{HashMap, HashSet};

use super::TextRedaction;

/// Formatting only: no links, images, forms or media survive.
const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "span",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
];

/// Tags that never reach the reader, so neither does their content.
const DROPPED_WITH_CONTENT: &[&str] = &["script", "style", "title", "template", "iframe"];

/// Allowed tags that are not block-level: text on both sides of them reads as one phrase.
const INLINE_TAGS: &[&str] = &["span", "b", "strong", "i", "em", "u", "code"];

const VOID_TAGS: &[&str] = &["br", "hr"];

/// Width for html2text: wide enough that it never wraps a line inside a phone number.
const TEXT_WIDTH: usize = 10_000;

/// Deepest tag nesting we hand to the HTML parser (real mail stays far below).
const MAX_NESTING: usize = 512;

/// Most tags we hand to the HTML parser: a long newsletter has a few
/// thousand. Parsing is linear in tags once nesting is bounded.
const MAX_TAGS: usize = 20_000;

/// Sanitises `html` and applies `redact` to its visible text (all text runs
/// joined, with a "\n" between runs separated by block-level tags), returning
/// safe HTML with the redactions applied. Offsets in each `TextRedaction` are
/// character offsets into the joined text.
pub fn filter_html(html: &str, redact: &dyn Fn(&str) -> Vec<TextRedaction>) -> String {
    crate::cpu::heavy(crate::cpu::Work::Html);
    let tokens = match nesting_is_excessive(html) {
        true => vec![Token::Text(stripped_text(html))],
        false => tokenize(&sanitize(html)),
    };
    let joined = Joined::new(&tokens);
    let redactions = redact(&joined.text);
    let runs = joined.apply(&redactions);

    let mut out = String::with_capacity(html.len());
    let mut run_index = 0;
    for token in &tokens {
        match token {
            Token::Open(name) => {
                out.push('<');
                out.push_str(name);
                out.push('>');
            }
            Token::Close(name) => {
                if !VOID_TAGS.contains(&name.as_str()) {
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
            }
            Token::Text(_) => {
                escape_into(&runs[run_index], &mut out);
                run_index += 1;
            }
        }
    }
    out
}

/// Plain text of an HTML body, for mail that has no text/plain part.
/// Links are kept as footnotes so the policy filter sees their targets.
pub fn html_to_text(html: &str) -> String {
    crate::cpu::heavy(crate::cpu::Work::Html);
    if nesting_is_excessive(html) {
        return stripped_text(html);
    }
    // No decoration: "**0170** 1234567" would split a number for the filter.
    let config = html2text::config::plain_no_decorate().link_footnotes(true);
    match config.string_from_read(html.as_bytes(), TEXT_WIDTH) {
        Ok(text) => text
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n"),
        // html2text refuses some pathological input (e.g. nesting too deep); the
        // visible text of the sanitised HTML is still enough for filtering.
        Err(_) => Joined::new(&tokenize(&sanitize(html))).text,
    }
}

/// Whether the HTML has more tags, or nests them deeper, than any real mail
/// does. html5ever's tree builder is quadratic in nesting depth (100k nested
/// `<div>` take minutes), so such input is not parsed as HTML at all.
fn nesting_is_excessive(html: &str) -> bool {
    let bytes = html.as_bytes();
    let mut tree = Depth::default();
    let mut tags = 0usize;
    for (i, _) in html.match_indices('<') {
        let closing = bytes.get(i + 1) == Some(&b'/');
        let name_start = i + 1 + usize::from(closing);
        let name_len = bytes[name_start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        tags += 1;
        if tags > MAX_TAGS {
            return true;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        if closing {
            tree.end(&name);
        } else {
            tree.start(name);
            if tree.depth() > MAX_NESTING {
                return true;
            }
        }
    }
    false
}

/// The open elements as the HTML parser keeps them, approximated from
/// above: an end tag closes only what the parser would certainly close (an
/// element of that name within scope; any other end tag is ignored, as the
/// parser ignores it, so `<div></x>` repeated still nests), a start tag
/// closes only the elements it implicitly ends, and a formatting element
/// (`<b>`, `<a>`, ...) stays counted until its own end tag, because the
/// parser reopens it in every later block. Real mail stays far below the
/// bounds; input crafted to make the parser nest deeply cannot.
#[derive(Default)]
struct Depth {
    open: Vec<String>,
    /// Formatting elements started and not yet ended by name.
    formatting: HashMap<String, usize>,
    formatting_total: usize,
    formatting_open: usize,
}

impl Depth {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "frame", "basefont", "bgsound",
    ];
    const FORMATTING: &[&str] = &[
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
        "u",
    ];
    /// Where the parser stops looking for an element "in scope".
    const SCOPE: &[&str] = &[
        "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
        "button", "ul", "ol", "select",
    ];
    /// Elements an end tag of an ordinary element cannot close through.
    const SPECIAL: &[&str] = &[
        "address",
        "applet",
        "article",
        "aside",
        "blockquote",
        "body",
        "button",
        "caption",
        "center",
        "colgroup",
        "dd",
        "details",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "html",
        "iframe",
        "li",
        "listing",
        "main",
        "marquee",
        "menu",
        "nav",
        "noembed",
        "noframes",
        "noscript",
        "object",
        "ol",
        "p",
        "plaintext",
        "pre",
        "script",
        "search",
        "section",
        "select",
        "style",
        "summary",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
        "xmp",
    ];
    /// Start tags that close an open `p` first.
    const CLOSES_P: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hgroup",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "search",
        "section",
        "summary",
        "ul",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "listing",
        "form",
        "li",
        "dd",
        "dt",
    ];

    /// Open elements plus formatting elements the parser will reopen.
    fn depth(&self) -> usize {
        self.open.len() + (self.formatting_total - self.formatting_open)
    }

    fn is_formatting(name: &str) -> bool {
        Self::FORMATTING.contains(&name)
    }

    /// The index of the innermost open `name`, searching outwards and giving
    /// up at any element in `stop`.
    fn find(&self, name: &str, stop: &[&str]) -> Option<usize> {
        for (i, open) in self.open.iter().enumerate().rev() {
            if open == name {
                return Some(i);
            }
            if stop.contains(&open.as_str()) {
                return None;
            }
        }
        None
    }

    /// Closes the element at `index` and everything opened inside it.
    fn pop_to(&mut self, index: usize) {
        for closed in self.open.drain(index..) {
            if Self::is_formatting(&closed) {
                self.formatting_open -= 1;
            }
        }
    }

    fn start(&mut self, name: String) {
        if Self::VOID.contains(&name.as_str()) {
            return;
        }
        let implied: Option<usize> = match name.as_str() {
            "li" => self.find("li", &[Self::SCOPE, &["div", "p", "address"]].concat()),
            "dd" | "dt" => self
                .find("dd", Self::SCOPE)
                .max(self.find("dt", Self::SCOPE)),
            "td" | "th" => self.find("td", &["table"]).max(self.find("th", &["table"])),
            "tr" => self.find("tr", &["table"]),
            "option" => (self.open.last().map(String::as_str) == Some("option"))
                .then(|| self.open.len() - 1),
            h if h.len() == 2 && h.starts_with('h') && h.as_bytes()[1].is_ascii_digit() => self
                .open
                .last()
                .filter(|top| top.len() == 2 && top.starts_with('h'))
                .map(|_| self.open.len() - 1),
            _ => None,
        };
        if let Some(i) = implied {
            self.pop_to(i);
        }
        if Self::CLOSES_P.contains(&name.as_str())
            && let Some(i) = self.find("p", Self::SCOPE)
        {
            self.pop_to(i);
        }
        if Self::is_formatting(&name) {
            *self.formatting.entry(name.clone()).or_default() += 1;
            self.formatting_total += 1;
            self.formatting_open += 1;
        }
        self.open.push(name);
    }

    fn end(&mut self, name: &str) {
        if Self::is_formatting(name) {
            // The parser takes the element out, keeping any block opened
            // inside it open; it is no longer reopened either.
            if let Some(n) = self.formatting.get_mut(name).filter(|n| **n > 0) {
                *n -= 1;
                self.formatting_total -= 1;
                if let Some(i) = self.find(name, Self::SCOPE) {
                    self.open.remove(i);
                    self.formatting_open -= 1;
                }
            }
            return;
        }
        let stop = if Self::SPECIAL.contains(&name) {
            Self::SCOPE
        } else {
            Self::SPECIAL
        };
        if let Some(i) = self.find(name, stop) {
            self.pop_to(i);
        }
    }
}

/// Visible text without parsing: everything between `<` and `>` removed,
/// entities decoded. Only used for input we refuse to parse; the result is
/// re-escaped, so it can never carry markup.
fn stripped_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => in_tag = false,
            (false, c) => text.push(c),
            (true, _) => {}
        }
    }
    unescape(&text)
}

/// Ammonia with the conservative allowlist and no attributes at all.
fn sanitize(html: &str) -> String {
    ammonia::Builder::empty()
        .tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .tag_attributes(HashMap::new())
        .tag_attribute_values(HashMap::new())
        .set_tag_attribute_values(HashMap::new())
        .generic_attributes(HashSet::new())
        .generic_attribute_prefixes(HashSet::new())
        .allowed_classes(HashMap::new())
        .url_schemes(HashSet::new())
        .link_rel(None)
        .id_prefix(None)
        .strip_comments(true)
        .clean(html)
        .to_string()
}

#[derive(Debug, PartialEq)]
enum Token {
    Open(String),
    Close(String),
    /// Unescaped text.
    Text(String),
}

/// Splits sanitised HTML into tags and text. Exact because the sanitiser
/// leaves no attributes and escapes `<` in text; tags outside the allowlist
/// (which the sanitiser never emits) are dropped rather than trusted.
fn tokenize(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            tokens.push(Token::Text(unescape(rest)));
            break;
        };
        if lt > 0 {
            tokens.push(Token::Text(unescape(&rest[..lt])));
        }
        let Some(gt) = rest[lt..].find('>') else {
            tokens.push(Token::Text(unescape(&rest[lt..])));
            break;
        };
        let inner = &rest[lt + 1..lt + gt];
        let closing = inner.starts_with('/');
        let name = inner
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if let Some(&known) = ALLOWED_TAGS.iter().find(|t| **t == name) {
            let name = known.to_owned();
            tokens.push(if closing {
                Token::Close(name)
            } else {
                Token::Open(name)
            });
        }
        rest = &rest[lt + gt + 1..];
    }
    tokens
}

/// The visible text handed to the redactor, with a map from each character
/// back to its run (`None` for the separators we inserted).
struct Joined {
    text: String,
    /// Per character of `text`: (run, index of the character in that run).
    owner: Vec<Option<(usize, usize)>>,
    runs: Vec<Vec<char>>,
}

impl Joined {
    fn new(tokens: &[Token]) -> Joined {
        let mut joined = Joined {
            text: String::new(),
            owner: Vec::new(),
            runs: Vec::new(),
        };
        let mut block_since_last_run = false;
        for token in tokens {
            match token {
                Token::Open(name) | Token::Close(name) => {
                    if !INLINE_TAGS.contains(&name.as_str()) {
                        block_since_last_run = true;
                    }
                }
                Token::Text(text) => {
                    if block_since_last_run && !joined.runs.is_empty() {
                        joined.text.push('\n');
                        joined.owner.push(None);
                    }
                    block_since_last_run = false;
                    let run = joined.runs.len();
                    let chars: Vec<char> = text.chars().collect();
                    for (i, c) in chars.iter().enumerate() {
                        joined.text.push(*c);
                        joined.owner.push(Some((run, i)));
                    }
                    joined.runs.push(chars);
                }
            }
        }
        joined
    }

    /// Applies redactions (character offsets into `text`) to the runs. A span
    /// over several runs puts its replacement in the first and empties the rest.
    fn apply(&self, redactions: &[TextRedaction]) -> Vec<String> {
        let n = self.owner.len();
        let mut deleted = vec![false; n];
        // (run, index in run) -> replacements inserted before that character.
        let mut inserts: HashMap<(usize, usize), Vec<&str>> = HashMap::new();

        let mut sorted: Vec<&TextRedaction> = redactions.iter().collect();
        sorted.sort_by_key(|r| (r.start, r.end));
        let mut covered_until = 0;
        for r in sorted {
            let (start, end) = (r.start, r.end.min(n));
            // Overlapping or nonsensical spans are skipped: the first one wins.
            if start > end || start < covered_until {
                continue;
            }
            let Some(anchor) = self.anchor(start, end) else {
                continue;
            };
            inserts.entry(anchor).or_default().push(&r.replacement);
            for slot in &mut deleted[start..end] {
                *slot = true;
            }
            covered_until = end;
        }

        let mut out: Vec<String> = self
            .runs
            .iter()
            .map(|r| String::with_capacity(r.len()))
            .collect();
        for (pos, owner) in self.owner.iter().enumerate() {
            let Some((run, i)) = *owner else { continue };
            if let Some(reps) = inserts.get(&(run, i)) {
                reps.iter().for_each(|rep| out[run].push_str(rep));
            }
            if !deleted[pos] {
                out[run].push(self.runs[run][i]);
            }
        }
        for (run, chars) in self.runs.iter().enumerate() {
            if let Some(reps) = inserts.get(&(run, chars.len())) {
                reps.iter().for_each(|rep| out[run].push_str(rep));
            }
        }
        out
    }

    /// Where a replacement for `start..end` goes: the first run character in
    /// the span, else the next run character after it, else the end of the
    /// last run before it.
    fn anchor(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        self.owner[start..end]
            .iter()
            .flatten()
            .next()
            .copied()
            .or_else(|| self.owner[end..].iter().flatten().next().copied())
            .or_else(|| {
                self.owner[..start]
                    .iter()
                    .rev()
                    .flatten()
                    .next()
                    .map(|&(run, i)| (run, i + 1))
            })
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity_end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        let name = &rest[1..entity_end];
        let has_semicolon = rest[entity_end..].starts_with(';');
        match decode_entity(name).filter(|_| has_semicolon) {
            Some(c) => {
                out.push(c);
                rest = &rest[entity_end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            Some(
                char::from_u32(code)
                    .filter(|&c| c != '\0')
                    .unwrap_or('\u{fffd}'),
            )
        }
    }
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replaces every occurrence of `needle` with `[removed]`, reporting
    /// character offsets like the policy filter does.
    fn redact_all(needle: &'static str) -> impl Fn(&str) -> Vec<TextRedaction> {
        move |text: &str| {
            text.match_indices(needle)
                .map(|(byte, m)| {
                    let start = text[..byte].chars().count();
                    TextRedaction {
                        start,
                        end: start + m.chars().count(),
                        replacement: "[removed]".into(),
                    }
                })
                .collect()
        }
    }

    fn no_redactions(_: &str) -> Vec<TextRedaction> {
        Vec::new()
    }

    fn seen_by_redactor(html: &str) -> String {
        let seen = std::cell::RefCell::new(String::new());
        filter_html(html, &|text: &str| {
            *seen.borrow_mut() = text.to_owned();
            Vec::new()
        });
        seen.into_inner()
    }

    #[test]
    fn phone_number_split_across_tags_is_removed_entirely() {
        let out = filter_html(
            "<p>call <b>555</b> 123-4567 today</p>",
            &redact_all("555 123-4567"),
        );
        assert_eq!(out, "<p>call <b>[removed]</b> today</p>");
    }

    #[test]
    fn span_over_many_runs_keeps_replacement_in_first_run() {
        let out = filter_html(
            "<div>mail <i>me</i> at <b>jo</b><u>@</u><span>x.com</span> now</div>",
            &redact_all("jo@x.com"),
        );
        assert_eq!(
            out,
            "<div>mail <i>me</i> at <b>[removed]</b><u></u><span></span> now</div>"
        );
    }

    #[test]
    fn links_lose_their_href_and_images_disappear() {
        let out = filter_html(
            r#"<p><a href="https://evil.example" onclick="x()">site</a><img src="https://t.example/p.gif"></p>"#,
            &no_redactions,
        );
        assert_eq!(out, "<p>site</p>");
        assert!(!out.contains("evil.example"));
    }

    #[test]
    fn allowed_tags_lose_all_attributes() {
        let out = filter_html(
            r#"<div style="color:red" class="x" id="y" title="t"><p align="left">hi</p></div>"#,
            &no_redactions,
        );
        assert_eq!(out, "<div><p>hi</p></div>");
    }

    #[test]
    fn script_and_style_content_disappears() {
        let out = filter_html(
            "<style>p{color:red}</style><p>hi</p><script>alert('+1 555 123 4567')</script>",
            &no_redactions,
        );
        assert_eq!(out, "<p>hi</p>");
        assert_eq!(seen_by_redactor("<script>x</script><p>hi</p>"), "hi");
    }

    #[test]
    fn comments_are_removed() {
        let out = filter_html("<p>a<!-- call 555 123 4567 -->b</p>", &no_redactions);
        assert_eq!(out, "<p>ab</p>");
    }

    #[test]
    fn redactor_sees_entities_decoded() {
        assert_eq!(
            seen_by_redactor("<p>jo&#64;x.com &amp; co &lt;3 &#x40;</p>"),
            "jo@x.com & co <3 @"
        );
        let out = filter_html("<p>mail jo&#64;x.com now</p>", &redact_all("jo@x.com"));
        assert_eq!(out, "<p>mail [removed] now</p>");
    }

    #[test]
    fn text_is_re_escaped() {
        let out = filter_html("<p>a &lt;script&gt; &amp; b</p>", &no_redactions);
        assert_eq!(out, "<p>a &lt;script&gt; &amp; b</p>");
        let out = filter_html("<p>x</p>", &|_: &str| {
            vec![TextRedaction {
                start: 0,
                end: 1,
                replacement: "<img src=x>".into(),
            }]
        });
        assert_eq!(out, "<p>&lt;img src=x&gt;</p>");
    }

    #[test]
    fn block_tags_separate_words_inline_tags_do_not() {
        assert_eq!(
            seen_by_redactor("<p>one</p><p>two</p><b>thr</b>ee<br>four"),
            "one\ntwo\nthree\nfour"
        );
        assert_eq!(
            seen_by_redactor("<table><tr><td>a</td><td>b</td></tr></table>"),
            "a\nb"
        );
    }

    #[test]
    fn redaction_over_a_separator_only_removes_text() {
        let out = filter_html("<p>555</p><p>1234</p>", &redact_all("555\n1234"));
        assert_eq!(out, "<p>[removed]</p><p></p>");
    }

    #[test]
    fn out_of_range_and_overlapping_redactions_do_not_panic() {
        let out = filter_html("<p>abcdef</p>", &|_: &str| {
            vec![
                TextRedaction {
                    start: 1,
                    end: 3,
                    replacement: "X".into(),
                },
                TextRedaction {
                    start: 2,
                    end: 5,
                    replacement: "Y".into(),
                },
                TextRedaction {
                    start: 4,
                    end: 100,
                    replacement: "Z".into(),
                },
                TextRedaction {
                    start: 200,
                    end: 300,
                    replacement: "W".into(),
                },
                TextRedaction {
                    start: 5,
                    end: 2,
                    replacement: "V".into(),
                },
            ]
        });
        assert_eq!(out, "<p>aXdZ</p>");
        assert_eq!(filter_html("", &redact_all("x")), "");
    }

    #[test]
    fn offsets_are_characters_not_bytes() {
        let out = filter_html("<p>Grüße: jo@x.com</p>", &redact_all("jo@x.com"));
        assert_eq!(out, "<p>Grüße: [removed]</p>");
    }

    #[test]
    fn full_documents_keep_only_body_text() {
        let html = "<html><head><title>T</title><style>b{}</style></head>\
                    <body><h1>Hi</h1><p>there&nbsp;you</p></body></html>";
        assert_eq!(
            filter_html(html, &no_redactions),
            "<h1>Hi</h1><p>there&nbsp;you</p>"
        );
        assert_eq!(seen_by_redactor(html), "Hi\nthere\u{a0}you");
    }

    #[test]
    fn html_to_text_keeps_link_targets_for_the_filter() {
        let text = html_to_text(r#"<p>Hi <a href="https://t.me/jo">me</a></p>"#);
        assert!(text.contains("Hi"), "{text}");
        assert!(text.contains("https://t.me/jo"), "{text}");
        let text = html_to_text("<p>call <b>0170</b> 1234567</p>");
        assert_eq!(text.trim(), "call 0170 1234567");
    }

    #[test]
    fn absurd_nesting_is_not_parsed_but_still_filtered() {
        let html = "<div><b>".repeat(100_000) + "call 555 123 4567 &amp; <script>x</script>";
        let started = std::time::Instant::now();
        let out = filter_html(&html, &redact_all("555 123 4567"));
        assert_eq!(out, "call [removed] &amp; x");
        let text = html_to_text(&html);
        assert_eq!(text, "call 555 123 4567 & x");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(!nesting_is_excessive(
            &"<div><p>a</p><br><img></div>".repeat(3_000)
        ));
    }

    /// Shapes that nest as the parser builds them, though a count of start
    /// and end tags says they do not; each was quadratic to parse.
    #[test]
    fn depth_is_counted_as_the_parser_nests() {
        for (shape, html) in [
            ("unmatched end tags", "<div></x>".repeat(600)),
            ("misnested formatting", "<b><div></b>".repeat(600)),
            (
                "formatting reopened in every block",
                (0..600).map(|i| format!("<p><b id={i}></p>")).collect(),
            ),
            ("cells without rows", "<table><td>".repeat(300)),
        ] {
            assert!(nesting_is_excessive(&html), "{shape}");
        }
        // A megabyte of unmatched end tags is refused quickly and still filtered.
        let html = "<div></x>".repeat(100_000) + "call 555 123 4567";
        let started = std::time::Instant::now();
        assert_eq!(
            filter_html(&html, &redact_all("555 123 4567")),
            "call [removed]"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    /// What real mail does stays parsed: implicitly closed paragraphs and
    /// list items, closed formatting, tables of rows.
    #[test]
    fn ordinary_html_is_still_parsed() {
        for (shape, html) in [
            ("unclosed paragraphs", "<p>a".repeat(3_000)),
            (
                "unclosed list items",
                format!("<ul>{}</ul>", "<li>a".repeat(3_000)),
            ),
            (
                "closed formatting",
                "<p><b>a</b> <i>b</i></p>".repeat(2_000),
            ),
            (
                "a long table",
                format!("<table>{}</table>", "<tr><td>a<td>b".repeat(3_000)),
            ),
            ("headings", "<h1>a<h2>b".repeat(2_000)),
        ] {
            assert!(!nesting_is_excessive(&html), "{shape}");
        }
        assert!(
            nesting_is_excessive(&"<br>".repeat(MAX_TAGS + 1)),
            "too many tags"
        );
    }
}
