//! Raw header fields read straight from the bytes as received, and header lines added to bytes we send.

/// Every value of the header field `name` (case-insensitive), unfolded, in
/// the order they appear (topmost first). Stops at the first empty line.
pub fn header_values(raw: &[u8], name: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut current: Option<String> = None;
    for line in raw.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if matches!(line[0], b' ' | b'\t') {
            // RFC 5322 2.2.3: a folded line continues the field above.
            if let Some(value) = current.as_mut() {
                value.push(' ');
                value.push_str(String::from_utf8_lossy(line).trim());
            }
            continue;
        }
        values.extend(current.take());
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        if line[..colon]
            .trim_ascii()
            .eq_ignore_ascii_case(name.as_bytes())
        {
            current = Some(
                String::from_utf8_lossy(&line[colon + 1..])
                    .trim()
                    .to_owned(),
            );
        }
    }
    values.extend(current);
    values
}

/// `bytes` with one header line in front, its value kept to one line.
pub fn prepend_header(bytes: &[u8], name: &str, value: &str) -> Vec<u8> {
    let value: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = Vec::with_capacity(bytes.len() + name.len() + value.len() + 4);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.trim().as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(bytes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_fields_are_unfolded_and_the_body_is_not_read() {
        let raw = b"Subject: one\r\nAuto-Submitted: auto-replied;\r\n\towner=x\r\nauto-submitted: no\r\n\r\nAuto-Submitted: body\r\n";
        assert_eq!(
            header_values(raw, "Auto-Submitted"),
            ["auto-replied; owner=x", "no"]
        );
        assert!(header_values(raw, "Precedence").is_empty());
    }

    #[test]
    fn a_prepended_header_cannot_add_lines() {
        let out = prepend_header(b"Subject: x\r\n\r\nbody", "X-Test", "a\r\nBcc: evil");
        assert_eq!(out, b"X-Test: a  Bcc: evil\r\nSubject: x\r\n\r\nbody");
    }
}
