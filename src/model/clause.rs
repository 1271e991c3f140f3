//! The clause-text Markdown subset: what free text in a section may contain.
//!
//! Supported, and nothing else (everything else is literal text):
//! - paragraphs, separated by a blank line; a single line break inside a paragraph is a space;
//! - bullet lists: lines starting with `- ` or `* `;
//! - numbered lists: lines starting with `1. `, `2. ` …;
//! - `**bold**` and `*italic*` (or `_italic_`) inside a line;
//! - a line starting with `### ` is a sub-heading.
//!
//! There is no raw HTML, no links and no images: clause text is always rendered as text.

/// A run of text with emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// A block of clause text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(Vec<Span>),
    Paragraph(Vec<Span>),
    Bullets(Vec<Vec<Span>>),
    Numbered(Vec<Vec<Span>>),
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        if let Some(rest) = t[digits..].strip_prefix(". ") {
            return Some((true, rest));
        }
    }
    None
}

/// Parses clause text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Paragraph(parse_inline(&para.join(" "))));
            para.clear();
        }
    };
    for raw in text.lines() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            flush(&mut para, &mut blocks);
            continue;
        }
        if let Some(h) = line.trim_start().strip_prefix("### ") {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Heading(parse_inline(h.trim())));
            continue;
        }
        if let Some((numbered, item)) = list_item(line) {
            flush(&mut para, &mut blocks);
            let spans = parse_inline(item.trim());
            match blocks.last_mut() {
                Some(Block::Numbered(items)) if numbered => items.push(spans),
                Some(Block::Bullets(items)) if !numbered => items.push(spans),
                _ => blocks.push(if numbered {
                    Block::Numbered(vec![spans])
                } else {
                    Block::Bullets(vec![spans])
                }),
            }
            continue;
        }
        // A continuation line directly after a list item belongs to that item.
        if para.is_empty() && raw.starts_with("  ") {
            if let Some(Block::Bullets(items) | Block::Numbered(items)) = blocks.last_mut() {
                if let Some(last) = items.last_mut() {
                    last.extend(parse_inline(&format!(" {}", line.trim())));
                    continue;
                }
            }
        }
        para.push(line.trim());
    }
    flush(&mut para, &mut blocks);
    blocks
}

/// Parses `**bold**`, `*italic*` and `_italic_` inside one line. Unclosed markers stay literal.
pub fn parse_inline(text: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut bold = false;
    let mut italic: Option<char> = None;
    let mut buf = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let push = |spans: &mut Vec<Span>, buf: &mut String, bold: bool, italic: bool| {
        if !buf.is_empty() {
            match spans.last_mut() {
                Some(s) if s.bold == bold && s.italic == italic => s.text.push_str(buf),
                _ => spans.push(Span {
                    text: std::mem::take(buf),
                    bold,
                    italic,
                }),
            }
            buf.clear();
        }
    };
    let closes = |from: usize, marker: &str| -> bool {
        let rest: String = chars[from..].iter().collect();
        rest.contains(marker)
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '*' && chars.get(i + 1) == Some(&'*') && (bold || closes(i + 2, "**")) {
            push(&mut spans, &mut buf, bold, italic.is_some());
            bold = !bold;
            i += 2;
            continue;
        }
        if (c == '*' || c == '_')
            && (italic == Some(c) || (italic.is_none() && closes(i + 1, &c.to_string())))
        {
            let word_inside =
                c == '_' && italic.is_none() && i > 0 && chars[i - 1].is_alphanumeric();
            if !word_inside {
                push(&mut spans, &mut buf, bold, italic.is_some());
                italic = if italic.is_some() { None } else { Some(c) };
                i += 1;
                continue;
            }
        }
        buf.push(c);
        i += 1;
    }
    push(&mut spans, &mut buf, bold, italic.is_some());
    spans
}

/// The clause text without markup, one block per line — for search, diffs and word checks.
pub fn plain_text(text: &str) -> String {
    let mut out = String::new();
    let line = |spans: &[Span]| spans.iter().map(|s| s.text.as_str()).collect::<String>();
    for block in parse(text) {
        match block {
            Block::Heading(s) | Block::Paragraph(s) => {
                out.push_str(&line(&s));
                out.push('\n');
            }
            Block::Bullets(items) | Block::Numbered(items) => {
                for item in items {
                    out.push_str(&line(&item));
                    out.push('\n');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_emphasis() {
        let text = "### Geltung\nDer Vertrag gilt **ab sofort**\nfür alle *Standorte*.\n\n- eins\n- zwei\n\n1. erstens\n2. zweitens";
        let blocks = parse(text);
        assert_eq!(blocks.len(), 4, "{blocks:?}");
        let Block::Paragraph(p) = &blocks[1] else {
            panic!("paragraph expected")
        };
        assert_eq!(
            p[1],
            Span {
                text: "ab sofort".into(),
                bold: true,
                italic: false
            }
        );
        assert!(p.iter().any(|s| s.italic && s.text == "Standorte"));
        assert_eq!(
            blocks[2],
            Block::Bullets(vec![parse_inline("eins"), parse_inline("zwei")])
        );
        assert!(matches!(&blocks[3], Block::Numbered(items) if items.len() == 2));
    }

    #[test]
    fn markup_like_text_stays_literal() {
        let spans = parse_inline("<script>alert(1)</script> 2*3 snake_case_name");
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text, "<script>alert(1)</script> 2*3 snake_case_name");
        assert!(spans.iter().all(|s| !s.bold && !s.italic));
    }
}
