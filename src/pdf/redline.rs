//! The redline document for legal review: which versions are compared, the table of changed
//! terms, and the clause text of every changed section with insertions and deletions marked.
//!
//! Marks never rely on colour alone: inserted text is green and underlined, deleted text red
//! and struck through, so a black-and-white printout still shows both. The comparison itself
//! is `crate::diff::compare`; this module only presents it.

use super::font::Style;
use super::layout::{colors, Align, Attr, Block, Deco, Para, Run};
use super::text::*;
use super::RedlineContext;
use crate::diff::{ChangeKind, Chunk, Comparison};
use crate::model::clause;
use crate::model::{Agreement, Section};

fn kind_attr(kind: ChangeKind, style: Style) -> Attr {
    match kind {
        ChangeKind::Same => Attr::new(style, colors::INK),
        ChangeKind::Inserted => Attr {
            style,
            color: colors::INSERTED,
            deco: Deco::Underline,
        },
        ChangeKind::Deleted => Attr {
            style,
            color: colors::DELETED,
            deco: Deco::Strike,
        },
    }
}

/// All blocks of the redline PDF.
pub fn blocks(after: &Agreement, cmp: &Comparison, ctx: &RedlineContext) -> Vec<Block> {
    let lang = ctx.lang;
    let mut d = Doc::new(lang);
    let kicker = lang.pick(
        "ÄNDERUNGSVERGLEICH (REDLINE)",
        "COMPARISON OF VERSIONS (REDLINE)",
    );
    let mut k = Para::new(
        vec![Run::new(kicker, Attr::new(Style::Bold, colors::ACCENT))],
        9.0,
        12.0,
    );
    k.space_after = 8.0;
    d.blocks.push(Block::Para(k));
    let mut t = Para::new(
        vec![Run::new(
            after.title.clone(),
            Attr::new(Style::Bold, colors::INK),
        )],
        18.0,
        23.0,
    );
    t.space_after = 8.0;
    t.rule_below = true;
    d.blocks.push(Block::Para(t));
    let version = |v: &crate::record::VersionInfo| {
        let note = if v.note.trim().is_empty() {
            String::new()
        } else {
            format!(" – {}", v.note)
        };
        format!(
            "Version {}{note}\n{}: {}\nSHA-256 {}…",
            v.number,
            lang.pick("eingefroren am", "frozen on"),
            stamp(&v.created_at, lang),
            &v.hash[..v.hash.len().min(16)]
        )
    };
    d.facts(vec![
        (
            lang.pick("Bisherige Fassung", "Earlier version")
                .to_string(),
            cell(version(&ctx.from)),
        ),
        (
            lang.pick("Neue Fassung", "Later version").to_string(),
            cell(version(&ctx.to)),
        ),
        (
            lang.pick("Exportiert am", "Exported on").to_string(),
            cell(moment(ctx.exported_at, lang)),
        ),
    ]);
    let mut legend = vec![Run::plain(lang.pick("Kennzeichnung: ", "Marks: "))];
    legend.push(Run::new(
        lang.pick("eingefügter Text", "inserted text"),
        kind_attr(ChangeKind::Inserted, Style::Regular),
    ));
    legend.push(Run::plain(lang.pick(
        " ist grün und unterstrichen, ",
        " is green and underlined, ",
    )));
    legend.push(Run::new(
        lang.pick("gelöschter Text", "deleted text"),
        kind_attr(ChangeKind::Deleted, Style::Regular),
    ));
    legend.push(Run::plain(lang.pick(
        " ist rot und durchgestrichen; beides bleibt auch im Schwarzweißdruck erkennbar. Strukturierte Bedingungen (Tabellenwerte) stehen im ersten Teil, geänderter Klauseltext im zweiten.",
        " is red and struck through; both remain visible in black-and-white print. Structured terms (table values) are listed in the first part, changed clause text in the second.",
    )));
    d.para(legend);

    d.h1(lang.pick("Geänderte Bedingungen", "Changed terms"), false);
    if cmp.terms.is_empty() {
        d.para(vec![Run::plain(lang.pick(
            "Keine strukturierten Bedingungen wurden geändert.",
            "No structured terms were changed.",
        ))]);
    }
    for section in Section::ALL {
        let terms: Vec<_> = cmp.terms.iter().filter(|t| t.section == section).collect();
        if terms.is_empty() {
            continue;
        }
        d.label(section.title(lang));
        let items = terms
            .iter()
            .map(|t| {
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
                vec![
                    Run::new(
                        format!("{}: ", t.label),
                        Attr::new(Style::Regular, colors::INK),
                    ),
                    Run::new(
                        show(&t.before),
                        if t.before.is_some() {
                            kind_attr(ChangeKind::Deleted, Style::Regular)
                        } else {
                            Attr::new(Style::Regular, colors::MUTED)
                        },
                    ),
                    Run::plain(" → "),
                    Run::new(
                        show(&t.after),
                        if t.after.is_some() {
                            kind_attr(ChangeKind::Inserted, Style::Regular)
                        } else {
                            Attr::new(Style::Regular, colors::MUTED)
                        },
                    ),
                ]
            })
            .collect();
        d.list(items, false);
    }

    d.h1(
        lang.pick("Geänderter Klauseltext", "Changed clause text"),
        false,
    );
    if cmp.redlines.is_empty() {
        d.para(vec![Run::plain(lang.pick(
            "Der Klauseltext ist in allen Abschnitten unverändert.",
            "The clause text is unchanged in every section.",
        ))]);
    }
    for r in &cmp.redlines {
        let number = Section::ALL
            .iter()
            .position(|s| *s == r.section)
            .map(|i| (i + 1).to_string());
        d.heading2(number, vec![Run::plain(r.section.title(lang))]);
        redline_text(&mut d, &r.chunks);
    }
    let unchanged: Vec<&str> = Section::ALL
        .iter()
        .filter(|s| !cmp.redlines.iter().any(|r| r.section == **s))
        .map(|s| s.title(lang))
        .collect();
    if !cmp.redlines.is_empty() && !unchanged.is_empty() {
        d.note(vec![Run::muted(format!(
            "{}: {}.",
            lang.pick("Klauseltext unverändert in", "Clause text unchanged in"),
            unchanged.join(", ")
        ))]);
    }
    if cmp.is_empty() {
        d.para(vec![Run::bold(lang.pick(
            "Die beiden Fassungen sind inhaltlich gleich.",
            "The two versions have the same content.",
        ))]);
    }
    d.blocks
}

/// A paragraph of the redline: characters with their change kind.
type Marked = Vec<(char, ChangeKind)>;

/// Renders redlined clause Markdown: paragraphs, `###` headings and list items, with the
/// emphasis markers removed and each character keeping its change kind.
fn redline_text(d: &mut Doc, chunks: &[Chunk]) {
    let stream: Marked = chunks
        .iter()
        .flat_map(|c| c.text.chars().map(move |ch| (ch, c.kind)))
        .collect();
    let mut paras: Vec<Marked> = Vec::new();
    let mut current: Marked = Vec::new();
    let lines = stream.split(|(c, _)| *c == '\n');
    for line in lines {
        let text: String = line.iter().map(|(c, _)| *c).collect();
        let t = text.trim_start();
        if t.is_empty() {
            if !current.is_empty() {
                paras.push(std::mem::take(&mut current));
            }
            continue;
        }
        let starts_block = t.starts_with("### ") || list_marker(t).is_some();
        if starts_block && !current.is_empty() {
            paras.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push((' ', ChangeKind::Same));
        }
        current.extend_from_slice(line);
        if t.starts_with("### ") {
            paras.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        paras.push(current);
    }
    // Only changed paragraphs are shown, each under the sub-heading it belongs to; what is
    // left out is marked, so the reader knows the rest of the section is unchanged.
    let is_heading = |p: &Marked| {
        let text: String = p.iter().map(|(c, _)| *c).collect();
        text.trim_start().starts_with("### ")
    };
    let changed = |p: &Marked| p.iter().any(|(_, k)| *k != ChangeKind::Same);
    let mut keep = vec![false; paras.len()];
    let mut heading: Option<usize> = None;
    for (i, p) in paras.iter().enumerate() {
        if is_heading(p) {
            heading = Some(i);
        }
        if changed(p) {
            keep[i] = true;
            if let Some(h) = heading {
                keep[h] = true;
            }
        }
    }
    let omitted = d
        .pick(
            "[… unveränderter Text ausgelassen …]",
            "[… unchanged text omitted …]",
        )
        .to_string();
    let mut skipped = false;
    let mut shown: Vec<Option<Marked>> = Vec::new();
    for (i, para) in paras.into_iter().enumerate() {
        if keep[i] {
            if skipped {
                shown.push(None);
            }
            skipped = false;
            shown.push(Some(para));
        } else {
            skipped = true;
        }
    }
    if skipped {
        shown.push(None);
    }
    for para in shown {
        let Some(para) = para else {
            d.note(vec![Run::muted(omitted.clone())]);
            continue;
        };
        let lead = para.iter().take_while(|(c, _)| c.is_whitespace()).count();
        let body = &para[lead..];
        let text: String = body.iter().map(|(c, _)| *c).collect();
        if text.starts_with("### ") {
            let runs = marked_runs(&body[4..]);
            let mut p = Para::new(
                runs.into_iter()
                    .map(|r| {
                        Run::new(
                            r.text,
                            Attr {
                                style: Style::Bold,
                                ..r.attr
                            },
                        )
                    })
                    .collect(),
                10.5,
                15.0,
            );
            p.space_before = 8.0;
            p.space_after = 3.0;
            p.keep_with_next = true;
            d.blocks.push(Block::Para(p));
        } else if let Some((marker, skip)) = list_marker(&text) {
            let mut p = Para::new(marked_runs(&body[skip..]), BODY_SIZE, BODY_LEADING);
            p.align = Align::Justify;
            p.indent = 18.0;
            p.marker = Some(Run::new(marker, Attr::new(Style::Regular, colors::MUTED)));
            p.space_after = 2.5;
            d.blocks.push(Block::Para(p));
        } else {
            d.para(marked_runs(body));
        }
    }
}

/// The marker of a list line ("•" or "3.") and how many characters it spans.
fn list_marker(t: &str) -> Option<(String, usize)> {
    if t.starts_with("- ") || t.starts_with("* ") {
        return Some(("•".to_string(), 2));
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 && t[digits..].starts_with(". ") {
        return Some((format!("{}.", &t[..digits]), digits + 2));
    }
    None
}

/// Runs of marked text, with `**bold**` and `*italic*` applied as in clause text. Emphasis is
/// read from each version on its own — deleted characters from the earlier text, the others
/// from the later one — so a marker that was itself changed cannot flip the rest of the line.
fn marked_runs(chars: &[(char, ChangeKind)]) -> Vec<Run> {
    let earlier = view(chars, ChangeKind::Inserted);
    let later = view(chars, ChangeKind::Deleted);
    let mut runs: Vec<Run> = Vec::new();
    for (i, (c, kind)) in chars.iter().enumerate() {
        let styled = if *kind == ChangeKind::Deleted {
            earlier[i]
        } else {
            later[i]
        };
        let Some(style) = styled else { continue };
        let attr = kind_attr(*kind, style);
        match runs.last_mut() {
            Some(r) if r.attr == attr => r.text.push(*c),
            _ => runs.push(Run::new(c.to_string(), attr)),
        }
    }
    runs
}

/// The style of each character of one version of the text — all characters except those of
/// kind `excluded`, which get `None` — or `None` for its emphasis markers.
fn view(chars: &[(char, ChangeKind)], excluded: ChangeKind) -> Vec<Option<Style>> {
    let idx: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].1 != excluded)
        .collect();
    let text: String = idx.iter().map(|&i| chars[i].0).collect();
    let mut out = vec![None; chars.len()];
    // The spans' text is the version without its markers: walk both side by side.
    let mut pos = idx.iter();
    for span in clause::parse_inline(&text) {
        let style = Style::from_flags(span.bold, span.italic);
        for c in span.text.chars() {
            for &i in pos.by_ref() {
                if chars[i].0 == c {
                    out[i] = Some(style);
                    break;
                }
            }
        }
    }
    out
}
