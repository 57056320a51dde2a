//! A small XML tokenizer for the machine-written parts of an XLSX file: elements with their
//! attributes, text with the five named entities and character references, CDATA. Comments,
//! processing instructions and a DOCTYPE are skipped. It checks nothing a reader of XLSX does
//! not need (well-formedness, namespaces): a damaged part gives wrong or missing cells, then an
//! error from the roster reader, never a panic.

use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name attributes>` or, with `empty`, `<name attributes/>`. The name without its prefix.
    Open {
        name: &'a str,
        attributes: &'a str,
        empty: bool,
    },
    Close {
        name: &'a str,
    },
    Text(Cow<'a, str>),
}

pub struct Tokens<'a> {
    rest: &'a str,
}

pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { rest: text }
}

/// A name without its namespace prefix: `r:id` is `id`.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            if !self.rest.starts_with('<') {
                let end = self.rest.find('<').unwrap_or(self.rest.len());
                let (text, rest) = self.rest.split_at(end);
                self.rest = rest;
                return Some(Token::Text(unescape(text)));
            }
            if let Some(rest) = self.rest.strip_prefix("<![CDATA[") {
                let end = rest.find("]]>").unwrap_or(rest.len());
                self.rest = rest.get(end + 3..).unwrap_or("");
                return Some(Token::Text(Cow::Borrowed(&rest[..end])));
            }
            let skip_to = if self.rest.starts_with("<!--") {
                Some("-->")
            } else if self.rest.starts_with("<?") {
                Some("?>")
            } else if self.rest.starts_with("<!") {
                Some(">")
            } else {
                None
            };
            if let Some(end_mark) = skip_to {
                let end = self.rest.find(end_mark).map_or(self.rest.len(), |end| end + end_mark.len());
                self.rest = &self.rest[end..];
                continue;
            }
            // A tag runs to the first '>' outside a quoted attribute value.
            let mut quote = None;
            let end = self.rest.char_indices().skip(1).find_map(|(index, character)| {
                match (quote, character) {
                    (None, '"' | '\'') => quote = Some(character),
                    (Some(open), _) if open == character => quote = None,
                    (None, '>') => return Some(index),
                    _ => {}
                }
                None
            });
            let Some(end) = end else {
                self.rest = "";
                return None;
            };
            let inside = &self.rest[1..end];
            self.rest = &self.rest[end + 1..];
            if let Some(name) = inside.strip_prefix('/') {
                return Some(Token::Close { name: local(name.trim()) });
            }
            let (inside, empty) = match inside.strip_suffix('/') {
                Some(inside) => (inside, true),
                None => (inside, false),
            };
            let name_end = inside.find(|character: char| character.is_whitespace()).unwrap_or(inside.len());
            let (name, attributes) = inside.split_at(name_end);
            return Some(Token::Open { name: local(name), attributes, empty });
        }
    }
}

/// The value of the attribute `name` (compared without prefix), unescaped.
pub fn attribute<'a>(attributes: &'a str, name: &str) -> Option<Cow<'a, str>> {
    let mut rest = attributes;
    loop {
        rest = rest.trim_start();
        let equals = rest.find('=')?;
        let key = rest[..equals].trim();
        let after = rest[equals + 1..].trim_start();
        let quote = after.chars().next().filter(|character| *character == '"' || *character == '\'')?;
        let value_and_rest = &after[1..];
        let close = value_and_rest.find(quote)?;
        if local(key) == name {
            return Some(unescape(&value_and_rest[..close]));
        }
        rest = &value_and_rest[close + 1..];
    }
}

/// A spreadsheet string with Office's escapes of characters XML cannot carry replaced: `_x0000_`
/// (a NUL, as Excel and other writers save a control character) becomes the character, `_x005F_`
/// an underscore. Anything else shaped like one is kept as written. The cell's text is then
/// cleaned of control characters like any other (`Cell::text`).
pub fn unescape_xstring(text: &str) -> Cow<'_, str> {
    if !text.contains("_x") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("_x") {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let escaped = rest
            .get(2..6)
            .filter(|hex| hex.bytes().all(|byte| byte.is_ascii_hexdigit()))
            .filter(|_| rest.as_bytes().get(6) == Some(&b'_'))
            .and_then(|hex| char::from_u32(u32::from_str_radix(hex, 16).ok()?));
        match escaped {
            Some(character) => {
                out.push(character);
                rest = &rest[7..];
            }
            None => {
                out.push_str("_x");
                rest = &rest[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Text with `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;`, `&#123;` and `&#x7B;` replaced. An
/// unknown or broken reference is kept as written.
pub fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let replaced = rest.find(';').filter(|end| *end <= 12).and_then(|end| {
            let character = match &rest[1..end] {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                reference => {
                    let number = reference.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((character, end))
        });
        match replaced {
            Some((character, end)) => {
                out.push(character);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attributes_and_text() {
        let xml = r#"<?xml version="1.0"?><!-- note --><x:sheet a="1 &gt; 0" r:id='rId2'><c/>张&amp;三<![CDATA[<b>]]></x:sheet>"#;
        let found: Vec<Token> = tokens(xml).collect();
        assert_eq!(
            found,
            vec![
                Token::Open { name: "sheet", attributes: r#" a="1 &gt; 0" r:id='rId2'"#, empty: false },
                Token::Open { name: "c", attributes: "", empty: true },
                Token::Text(Cow::Borrowed("张&三")),
                Token::Text(Cow::Borrowed("<b>")),
                Token::Close { name: "sheet" },
            ]
        );
        let Token::Open { attributes, .. } = &found[0] else { unreachable!() };
        assert_eq!(attribute(attributes, "a").as_deref(), Some("1 > 0"));
        assert_eq!(attribute(attributes, "id").as_deref(), Some("rId2"));
        assert_eq!(attribute(attributes, "b"), None);
    }

    #[test]
    fn references_are_resolved_and_broken_ones_kept() {
        assert_eq!(unescape("&#24352;&#x4E09; &amp;&bogus; & x"), "张三 &&bogus; & x");
        assert_eq!(unescape_xstring("白庄_x0000_村 a_x005F_b _x12_ _xZZZZ_ _x"), "白庄\u{0}村 a_b _x12_ _xZZZZ_ _x");
        assert_eq!(unescape("&#xFFFFFFFF;"), "&#xFFFFFFFF;");
    }

    #[test]
    fn broken_input_ends_quietly() {
        assert_eq!(tokens("<a b=\"unclosed>").count(), 0);
        assert_eq!(tokens("<![CDATA[open").count(), 1);
        assert_eq!(tokens("<!-- open").count(), 0);
    }
}
