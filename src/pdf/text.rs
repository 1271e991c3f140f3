//! Building blocks shared by the agreement and the redline document: the type scale
//! (headings, body, tables), clause Markdown turned into paragraphs and lists, and the
//! wording of values — dates, durations, targets, cadences and role names — in the language
//! the PDF is labelled in.
//!
//! Every heading made here that belongs in the outline is numbered and counted, so the
//! table of contents can point at it before it is laid out.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::font::Style;
use super::layout::{colors, Align, Attr, Block, Cell, CellPara, Para, Run, Table, TocEntry};
use crate::model::clause::{self, Span};
use crate::model::{Agreement, Clock, Duration, Language, PartySide, Threshold};

pub const BODY_SIZE: f32 = 10.0;
pub const BODY_LEADING: f32 = 14.2;
pub const TABLE_SIZE: f32 = 8.5;
pub const TABLE_LEADING: f32 = 11.2;

/// Collects the blocks of a document and its outline entries in document order.
pub struct Doc {
    pub blocks: Vec<Block>,
    pub lang: Language,
    /// (level, title) of every outline entry added so far.
    pub outline: Vec<(u8, String)>,
    section: usize,
    sub: usize,
}

impl Doc {
    pub fn new(lang: Language) -> Doc {
        Doc {
            blocks: Vec::new(),
            lang,
            outline: Vec::new(),
            section: 0,
            sub: 0,
        }
    }

    pub fn pick<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(de, en)
    }

    /// A top-level heading; numbered ("3  Supportlevel") when `numbered`.
    pub fn h1(&mut self, title: &str, numbered: bool) {
        let shown = if numbered {
            self.section += 1;
            self.sub = 0;
            format!("{}  {}", self.section, title)
        } else {
            title.to_string()
        };
        let outline_title = if numbered {
            format!("{} {}", self.section, title)
        } else {
            title.to_string()
        };
        let mut p = Para::new(
            vec![Run::new(shown, Attr::new(Style::Bold, colors::ACCENT))],
            15.0,
            19.0,
        );
        p.space_before = 22.0;
        p.space_after = 10.0;
        p.keep_with_next = true;
        p.rule_below = true;
        p.outline = Some((1, outline_title.clone()));
        self.outline.push((1, outline_title));
        self.blocks.push(Block::Para(p));
    }

    /// A numbered second-level heading ("3.2  Eskalation") in the outline.
    pub fn h2(&mut self, runs: Vec<Run>) {
        self.sub += 1;
        let number = format!("{}.{}", self.section, self.sub);
        self.heading2(Some(number), runs);
    }

    /// A second-level heading in the outline, with or without a number.
    pub fn heading2(&mut self, number: Option<String>, runs: Vec<Run>) {
        let title: String = runs.iter().map(|r| r.text.as_str()).collect();
        let mut shown = Vec::new();
        if let Some(number) = &number {
            shown.push(Run::new(
                format!("{number}  "),
                Attr::new(Style::Bold, colors::ACCENT),
            ));
        }
        shown.extend(
            runs.into_iter()
                .map(|r| Run::new(r.text, Attr::new(bold_of(r.attr.style), colors::ACCENT))),
        );
        let outline_title = match number {
            Some(n) => format!("{n} {}", title.trim()),
            None => title.trim().to_string(),
        };
        let mut p = Para::new(shown, 11.5, 15.0);
        p.space_before = 14.0;
        p.space_after = 5.0;
        p.keep_with_next = true;
        p.outline = Some((2, outline_title.clone()));
        self.outline.push((2, outline_title));
        self.blocks.push(Block::Para(p));
    }

    /// A small bold label above a list or paragraph; not in the outline.
    pub fn label(&mut self, text: &str) {
        let mut p = Para::new(vec![Run::bold(text)], BODY_SIZE, BODY_LEADING);
        p.space_before = 8.0;
        p.space_after = 2.0;
        p.keep_with_next = true;
        self.blocks.push(Block::Para(p));
    }

    pub fn para(&mut self, runs: Vec<Run>) {
        let mut p = Para::new(runs, BODY_SIZE, BODY_LEADING);
        p.align = Align::Justify;
        p.space_after = 6.0;
        self.blocks.push(Block::Para(p));
    }

    pub fn note(&mut self, runs: Vec<Run>) {
        let mut p = Para::new(runs, 8.5, 11.5);
        p.space_after = 4.0;
        self.blocks.push(Block::Para(p));
    }

    /// A bulleted (`numbered == false`) or numbered list.
    pub fn list(&mut self, items: Vec<Vec<Run>>, numbered: bool) {
        let n = items.len();
        for (i, runs) in items.into_iter().enumerate() {
            let marker = if numbered {
                format!("{}.", i + 1)
            } else {
                "•".to_string()
            };
            let mut p = Para::new(runs, BODY_SIZE, BODY_LEADING);
            p.align = Align::Justify;
            p.indent = 18.0;
            p.marker = Some(Run::new(marker, Attr::new(Style::Regular, colors::MUTED)));
            p.space_after = if i + 1 == n { 6.0 } else { 2.5 };
            self.blocks.push(Block::Para(p));
        }
    }

    pub fn table(&mut self, widths: &[f32], header: &[&str], rows: Vec<Vec<Cell>>) {
        let header = header
            .iter()
            .map(|h| Cell::runs(vec![Run::bold(*h)]))
            .collect();
        self.blocks.push(Block::Table(Table {
            widths: widths.to_vec(),
            header,
            rows,
            size: TABLE_SIZE,
            leading: TABLE_LEADING,
            space_before: 4.0,
            space_after: 10.0,
        }));
    }

    /// A two-column table of labelled values.
    pub fn facts(&mut self, rows: Vec<(String, Cell)>) {
        let rows: Vec<Vec<Cell>> = rows
            .into_iter()
            .map(|(label, value)| vec![Cell::runs(vec![Run::bold(label)]), value])
            .collect();
        if rows.is_empty() {
            return;
        }
        self.blocks.push(Block::Table(Table {
            widths: vec![0.3, 0.7],
            header: Vec::new(),
            rows,
            size: TABLE_SIZE,
            leading: TABLE_LEADING,
            space_before: 4.0,
            space_after: 10.0,
        }));
    }

    /// Clause text: `###` headings become numbered sub-headings, paragraphs are justified.
    pub fn clauses(&mut self, text: &str) {
        for block in clause::parse(text) {
            match block {
                clause::Block::Heading(spans) => self.h2(runs_of(&spans)),
                clause::Block::Paragraph(spans) => self.para(runs_of(&spans)),
                clause::Block::Bullets(items) => {
                    self.list(items.iter().map(|s| runs_of(s)).collect(), false)
                }
                clause::Block::Numbered(items) => {
                    self.list(items.iter().map(|s| runs_of(s)).collect(), true)
                }
            }
        }
    }

    /// Table-of-contents lines for the outline entries of `outline`, whose anchors start at
    /// index `first_anchor`.
    pub fn toc(&mut self, outline: &[(u8, String)], first_anchor: usize) {
        for (i, (level, title)) in outline.iter().enumerate() {
            if *level > 2 {
                continue;
            }
            let (number, rest) = split_number(title);
            let style = if *level == 1 {
                Style::Bold
            } else {
                Style::Regular
            };
            let mut runs = Vec::new();
            if let Some(number) = number {
                runs.push(Run::new(
                    format!("{number}  "),
                    Attr::new(style, colors::INK),
                ));
            }
            runs.push(Run::new(rest, Attr::new(style, colors::INK)));
            self.blocks.push(Block::Toc(TocEntry {
                level: *level,
                runs,
                target: first_anchor + i,
            }));
        }
    }
}

fn bold_of(style: Style) -> Style {
    match style {
        Style::Italic | Style::BoldItalic => Style::BoldItalic,
        _ => Style::Bold,
    }
}

/// "3.2 Eskalation" → (Some("3.2"), "Eskalation").
fn split_number(title: &str) -> (Option<&str>, &str) {
    match title.split_once(' ') {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit() || c == '.') && !n.is_empty() => {
            (Some(n), rest)
        }
        _ => (None, title),
    }
}

/// Spans of clause Markdown as runs.
pub fn runs_of(spans: &[Span]) -> Vec<Run> {
    spans
        .iter()
        .map(|s| {
            Run::new(
                s.text.clone(),
                Attr::new(Style::from_flags(s.bold, s.italic), colors::INK),
            )
        })
        .collect()
}

// ---------------------------------------------------------------- cells

pub fn cell(text: impl Into<String>) -> Cell {
    let text = text.into();
    if text.trim().is_empty() {
        Cell::text("—")
    } else {
        Cell::text(text)
    }
}

pub fn bold_cell(text: impl Into<String>) -> Cell {
    Cell::runs(vec![Run::bold(text)])
}

/// A cell with a bold first line and further paragraphs below it.
pub fn titled_cell(title: &str, more: Vec<Vec<Run>>) -> Cell {
    let mut paras = vec![CellPara {
        runs: vec![Run::bold(title)],
        marker: None,
    }];
    paras.extend(
        more.into_iter()
            .filter(|r| !r.is_empty())
            .map(|runs| CellPara { runs, marker: None }),
    );
    Cell {
        paras,
        align: Align::Left,
        rotated: false,
    }
}

/// A cell listing items with dashes; "—" when empty.
pub fn list_cell(items: &[String]) -> Cell {
    if items.is_empty() {
        return cell("");
    }
    if items.len() == 1 {
        return cell(items[0].clone());
    }
    Cell {
        paras: items
            .iter()
            .map(|i| CellPara {
                runs: vec![Run::plain(i.clone())],
                marker: Some("–".into()),
            })
            .collect(),
        align: Align::Left,
        rotated: false,
    }
}

// ---------------------------------------------------------------- values

pub fn duration(d: &Option<Duration>, lang: Language) -> String {
    d.map_or_else(String::new, |d| nbsp_units(&d.display(lang)))
}

/// Keeps a number with a short unit on one line ("4 Std.", "≥ 99,5 %"); longer units
/// ("3 Arbeitstage") may still wrap in a narrow column.
pub fn nbsp_units(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let prev = words[i - 1];
            let bind = matches!(prev, "≥" | "≤")
                || (prev.ends_with(|c: char| c.is_ascii_digit()) && w.chars().count() <= 4);
            out.push(if bind { '\u{a0}' } else { ' ' });
        }
        out.push_str(w);
    }
    out
}

pub fn threshold(t: &Option<Threshold>, unit: &str, lang: Language) -> String {
    match t {
        None => String::new(),
        Some(t) if unit.trim().is_empty() => nbsp_units(&t.display(lang)),
        Some(t) => nbsp_units(&format!("{} {}", t.display(lang), unit.trim())),
    }
}

pub fn date(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::De => d.format("%d.%m.%Y").to_string(),
        Language::En => {
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
        }
    }
}

/// An RFC 3339 time as "02.03.2026, 09:00 UTC" / "2 March 2026, 09:00 UTC"; the text itself
/// when it does not parse.
pub fn stamp(text: &str, lang: Language) -> String {
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => moment(t.with_timezone(&Utc), lang),
        Err(_) => text.to_string(),
    }
}

pub fn moment(t: DateTime<Utc>, lang: Language) -> String {
    format!("{}, {} UTC", date(t.date_naive(), lang), t.format("%H:%M"))
}

pub fn clock(c: &Clock, a: &Agreement, lang: Language) -> String {
    match c {
        Clock::AlwaysOn => lang
            .pick("rund um die Uhr (24/7)", "around the clock (24/7)")
            .to_string(),
        Clock::BusinessHours { calendar } => match a.calendar(calendar) {
            Some(cal) if !cal.name.trim().is_empty() => cal.name.clone(),
            _ => calendar.clone(),
        },
    }
}

/// The title of a role id (or the id when no such role exists).
pub fn role(id: &str, a: &Agreement) -> String {
    match a.duties.role(id) {
        Some(r) if !r.title.trim().is_empty() => r.title.clone(),
        _ => id.to_string(),
    }
}

pub fn roles(ids: &[String], a: &Agreement) -> Vec<String> {
    ids.iter().map(|id| role(id, a)).collect()
}

pub fn priorities(ids: &[String], lang: Language) -> String {
    if ids.is_empty() {
        lang.pick("alle", "all").to_string()
    } else {
        ids.join(", ")
    }
}

pub fn side(p: PartySide, lang: Language) -> &'static str {
    match p {
        PartySide::Provider => lang.pick("Anbieter", "Provider"),
        PartySide::Customer => lang.pick("Kunde", "Customer"),
    }
}

/// The first letter in upper case ("first response" → "First response").
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
