//! The layout engine: turns a list of blocks (paragraphs, headings, tables, signature fields,
//! table-of-contents entries) into positioned text, rules and fills on A4 pages.
//!
//! It owns line breaking with the font's real advances (never hyphenating; a word longer
//! than a line is broken between characters), justification, pagination and the rules a
//! printed contract follows: a heading stays with the first lines of what follows it, a
//! paragraph leaves neither a single first line at the bottom of a page (orphan) nor a single
//! last line at the top of the next (widow), a table row is never cut, and a table split
//! across pages repeats its header row. Headings marked for the outline record where they
//! landed; table-of-contents entries record where their page number goes, which the caller
//! fills in once every page exists. Nothing here knows about agreements or about printpdf.

use super::font::{metrics, Metrics, Style};

/// A4 in points.
pub const PAGE_W: f32 = 595.276;
pub const PAGE_H: f32 = 841.89;
const MM: f32 = 72.0 / 25.4;
/// Left and right margin (25 mm).
pub const MARGIN_X: f32 = 25.0 * MM;
/// Top of the body (25 mm from the top edge); the running header sits above it.
pub const BODY_TOP: f32 = PAGE_H - 25.0 * MM;
/// Bottom of the body (25 mm from the bottom edge); the footer sits below it.
pub const BODY_BOTTOM: f32 = 25.0 * MM;
pub const BODY_LEFT: f32 = MARGIN_X;
pub const BODY_RIGHT: f32 = PAGE_W - MARGIN_X;
pub const BODY_W: f32 = BODY_RIGHT - BODY_LEFT;

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

/// The palette: calm, dark text; one accent; light rules and tints.
pub mod colors {
    use super::Rgb;
    pub const INK: Rgb = Rgb(0.11, 0.12, 0.14);
    pub const ACCENT: Rgb = Rgb(0.12, 0.23, 0.37);
    pub const MUTED: Rgb = Rgb(0.38, 0.42, 0.48);
    pub const RULE: Rgb = Rgb(0.80, 0.82, 0.85);
    pub const RULE_STRONG: Rgb = Rgb(0.55, 0.59, 0.65);
    pub const TINT: Rgb = Rgb(0.925, 0.94, 0.96);
    pub const INSERTED: Rgb = Rgb(0.0, 0.42, 0.20);
    pub const DELETED: Rgb = Rgb(0.70, 0.10, 0.10);
    pub const DRAFT: Rgb = Rgb(0.66, 0.20, 0.12);
}

/// Decoration of a run: redlines underline insertions and strike deletions, so the marks
/// survive black-and-white printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deco {
    None,
    Underline,
    Strike,
}

/// How a run looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attr {
    pub style: Style,
    pub color: Rgb,
    pub deco: Deco,
}

impl Attr {
    pub const fn new(style: Style, color: Rgb) -> Attr {
        Attr {
            style,
            color,
            deco: Deco::None,
        }
    }
}

/// A piece of text with one look.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub attr: Attr,
}

impl Run {
    pub fn new(text: impl Into<String>, attr: Attr) -> Run {
        Run {
            text: text.into(),
            attr,
        }
    }
    pub fn plain(text: impl Into<String>) -> Run {
        Run::new(text, Attr::new(Style::Regular, colors::INK))
    }
    pub fn bold(text: impl Into<String>) -> Run {
        Run::new(text, Attr::new(Style::Bold, colors::INK))
    }
    pub fn italic(text: impl Into<String>) -> Run {
        Run::new(text, Attr::new(Style::Italic, colors::INK))
    }
    pub fn muted(text: impl Into<String>) -> Run {
        Run::new(text, Attr::new(Style::Regular, colors::MUTED))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Justify,
    Center,
    Right,
}

/// A paragraph, heading or list item.
#[derive(Debug, Clone)]
pub struct Para {
    pub runs: Vec<Run>,
    pub size: f32,
    pub leading: f32,
    pub align: Align,
    /// Left indent of every line.
    pub indent: f32,
    /// A bullet or number hanging in the indent.
    pub marker: Option<Run>,
    pub space_before: f32,
    pub space_after: f32,
    /// Never the last thing on a page: moves to the next page with what follows.
    pub keep_with_next: bool,
    /// Outline level (1 = top) and title: the paragraph becomes a bookmark.
    pub outline: Option<(u8, String)>,
    /// A thin rule under the paragraph (section headings).
    pub rule_below: bool,
}

impl Para {
    pub fn new(runs: Vec<Run>, size: f32, leading: f32) -> Para {
        Para {
            runs,
            size,
            leading,
            align: Align::Left,
            indent: 0.0,
            marker: None,
            space_before: 0.0,
            space_after: 0.0,
            keep_with_next: false,
            outline: None,
            rule_below: false,
        }
    }
}

/// One paragraph inside a table cell, optionally with a bullet.
#[derive(Debug, Clone)]
pub struct CellPara {
    pub runs: Vec<Run>,
    pub marker: Option<String>,
}

/// A table cell.
#[derive(Debug, Clone)]
pub struct Cell {
    pub paras: Vec<CellPara>,
    pub align: Align,
    /// Text turned 90° (reading upwards), for narrow header cells such as RACI roles.
    pub rotated: bool,
}

impl Cell {
    pub fn runs(runs: Vec<Run>) -> Cell {
        Cell {
            paras: vec![CellPara { runs, marker: None }],
            align: Align::Left,
            rotated: false,
        }
    }
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::runs(vec![Run::plain(text)])
    }
    pub fn aligned(mut self, align: Align) -> Cell {
        self.align = align;
        self
    }
}

/// A table with one header row repeated on every page it spans.
#[derive(Debug, Clone)]
pub struct Table {
    /// Column widths as shares of the body width (summing to 1).
    pub widths: Vec<f32>,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    pub size: f32,
    pub leading: f32,
    pub space_before: f32,
    pub space_after: f32,
}

/// Fields to sign by hand: a title and labelled lines, two per row.
#[derive(Debug, Clone)]
pub struct SignatureBlock {
    pub title: Vec<Run>,
    /// (label printed under the line, text printed on the line — may be empty).
    pub fields: Vec<(String, String)>,
    /// For a party that has signed: a box where the visible digital signature goes (its
    /// place is recorded in [`Layout::signature_boxes`]) with these details instead of the
    /// empty lines of `fields`.
    pub signed: Option<SignedBox>,
}

/// The box of a digital signature and what is printed around it.
#[derive(Debug, Clone)]
pub struct SignedBox {
    /// (label, value) rows printed to the right of the box.
    pub rows: Vec<(String, String)>,
    /// Printed under the box.
    pub caption: String,
    /// (label, value) rows printed under the caption across the full width.
    pub below: Vec<(String, String)>,
}

/// Size of the box of a visible digital signature, in points.
pub const SIGNATURE_BOX_W: f32 = 200.0;
pub const SIGNATURE_BOX_H: f32 = 58.0;

/// A line of the table of contents pointing at an outline entry.
#[derive(Debug, Clone)]
pub struct TocEntry {
    pub level: u8,
    pub runs: Vec<Run>,
    /// Index of the target among the outline anchors, in document order.
    pub target: usize,
}

#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(Table),
    Toc(TocEntry),
    Signature(SignatureBlock),
    /// Vertical space, dropped at the top of a page.
    Space(f32),
    /// Moves down so that at least this much of the body is left below (cover pages).
    BottomSpace(f32),
    PageBreak,
}

/// Something drawn on a page.
#[derive(Debug, Clone)]
pub enum Item {
    /// Text starting at (x, y) on its baseline. `space_extra` widens each space (justification).
    Text {
        x: f32,
        y: f32,
        size: f32,
        attr: Attr,
        text: String,
        space_extra: f32,
        rotated: bool,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// A clickable area that jumps to an outline anchor.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: usize,
    },
}

/// Where a bookmarked heading landed.
#[derive(Debug, Clone)]
pub struct Anchor {
    pub level: u8,
    pub title: String,
    pub page: usize,
    /// Top of the heading, in points from the bottom of the page.
    pub y: f32,
}

/// Where a table-of-contents line wants its page number.
#[derive(Debug, Clone)]
pub struct TocSlot {
    pub page: usize,
    pub baseline: f32,
    pub text_end: f32,
    pub size: f32,
    pub target: usize,
    pub top: f32,
    pub bottom: f32,
}

/// The laid-out document.
pub struct Layout {
    pub pages: Vec<Vec<Item>>,
    pub anchors: Vec<Anchor>,
    pub toc: Vec<TocSlot>,
    /// Page (0-based) and rectangle `[x1, y1, x2, y2]` of each signed signature block's box,
    /// in the order of the blocks.
    pub signature_boxes: Vec<(usize, [f32; 4])>,
}

// ---------------------------------------------------------------- line breaking

/// One line of text, ready to place.
#[derive(Debug, Clone)]
struct Line {
    segs: Vec<Seg>,
    natural: f32,
    spaces: usize,
    /// Last line of a paragraph or before a forced break: never justified.
    last: bool,
}

#[derive(Debug, Clone)]
struct Seg {
    text: String,
    attr: Attr,
    width: f32,
    spaces: usize,
}

enum Tok {
    Word(Vec<(Attr, String)>),
    Space(Attr),
    Break,
}

fn tokens(runs: &[Run]) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut word: Vec<(Attr, String)> = Vec::new();
    let flush = |word: &mut Vec<(Attr, String)>, toks: &mut Vec<Tok>| {
        if !word.is_empty() {
            toks.push(Tok::Word(std::mem::take(word)));
        }
    };
    for run in runs {
        for c in run.text.chars() {
            match c {
                '\n' => {
                    flush(&mut word, &mut toks);
                    toks.push(Tok::Break);
                }
                ' ' | '\t' | '\r' => {
                    flush(&mut word, &mut toks);
                    if !matches!(toks.last(), Some(Tok::Space(_)) | None | Some(Tok::Break)) {
                        toks.push(Tok::Space(run.attr));
                    }
                }
                c => match word.last_mut() {
                    Some((a, s)) if *a == run.attr => s.push(c),
                    _ => word.push((run.attr, c.to_string())),
                },
            }
        }
    }
    flush(&mut word, &mut toks);
    toks
}

struct LineBuilder<'m> {
    m: &'m Metrics,
    size: f32,
    lines: Vec<Line>,
    segs: Vec<(Attr, String)>,
    width: f32,
}

impl LineBuilder<'_> {
    fn push(&mut self, attr: Attr, text: &str, width: f32) {
        self.width += width;
        match self.segs.last_mut() {
            Some((a, s)) if *a == attr => s.push_str(text),
            _ => self.segs.push((attr, text.to_string())),
        }
    }
    fn flush(&mut self, last: bool) {
        let segs: Vec<Seg> = std::mem::take(&mut self.segs)
            .into_iter()
            .map(|(attr, text)| Seg {
                width: self.m.width(attr.style, &text, self.size),
                spaces: text.chars().filter(|c| *c == ' ').count(),
                text,
                attr,
            })
            .collect();
        let natural = segs.iter().map(|s| s.width).sum();
        let spaces = segs.iter().map(|s| s.spaces).sum();
        self.lines.push(Line {
            segs,
            natural,
            spaces,
            last,
        });
        self.width = 0.0;
    }
}

/// Breaks runs into lines no wider than `avail` points.
fn break_lines(runs: &[Run], size: f32, avail: f32) -> Vec<Line> {
    let m = metrics();
    let mut b = LineBuilder {
        m,
        size,
        lines: Vec::new(),
        segs: Vec::new(),
        width: 0.0,
    };
    let mut pending_space: Option<Attr> = None;
    for tok in tokens(runs) {
        match tok {
            Tok::Space(a) => {
                if !b.segs.is_empty() {
                    pending_space = Some(a);
                }
            }
            Tok::Break => {
                b.flush(true);
                pending_space = None;
            }
            Tok::Word(pieces) => {
                let w: f32 = pieces.iter().map(|(a, s)| m.width(a.style, s, size)).sum();
                let sp = pending_space.map_or(0.0, |a| m.advance(a.style, ' ', size));
                if !b.segs.is_empty() && b.width + sp + w > avail + 0.01 {
                    b.flush(false);
                    pending_space = None;
                }
                if let Some(a) = pending_space.take() {
                    b.push(a, " ", sp);
                }
                if w <= avail - b.width + 0.01 {
                    for (a, s) in &pieces {
                        let pw = m.width(a.style, s, size);
                        b.push(*a, s, pw);
                    }
                } else {
                    // A word longer than the line (a hash, a URL): break between characters.
                    for (a, s) in &pieces {
                        for c in s.chars() {
                            let cw = m.advance(a.style, c, size);
                            if !b.segs.is_empty() && b.width + cw > avail + 0.01 {
                                b.flush(false);
                            }
                            let mut buf = [0u8; 4];
                            b.push(*a, c.encode_utf8(&mut buf), cw);
                        }
                    }
                }
            }
        }
    }
    if !b.segs.is_empty() || b.lines.is_empty() {
        b.flush(true);
    }
    if let Some(last) = b.lines.last_mut() {
        last.last = true;
    }
    b.lines
}

/// The natural width of runs on one line.
pub fn runs_width(runs: &[Run], size: f32) -> f32 {
    let m = metrics();
    runs.iter()
        .map(|r| m.width(r.attr.style, &r.text, size))
        .sum()
}

/// Baseline of a line whose box (of height `leading`) starts at `top`.
fn baseline(top: f32, leading: f32, size: f32) -> f32 {
    top - leading / 2.0 - 0.33 * size
}

/// Emits the items of one line with its left edge at `x` and its baseline at `y`.
fn emit_line(
    items: &mut Vec<Item>,
    line: &Line,
    x: f32,
    y: f32,
    avail: f32,
    size: f32,
    align: Align,
) {
    let extra = if align == Align::Justify && !line.last && line.spaces > 0 && line.natural < avail
    {
        (avail - line.natural) / line.spaces as f32
    } else {
        0.0
    };
    // Without hyphenation a short line would open gaps wider than a word; leave it ragged.
    let extra = if extra > 0.9 * size { 0.0 } else { extra };
    let mut x = match align {
        Align::Right => x + (avail - line.natural).max(0.0),
        Align::Center => x + ((avail - line.natural) / 2.0).max(0.0),
        _ => x,
    };
    for seg in &line.segs {
        let w = seg.width + extra * seg.spaces as f32;
        items.push(Item::Text {
            x,
            y,
            size,
            attr: seg.attr,
            text: seg.text.clone(),
            space_extra: extra,
            rotated: false,
        });
        let deco_y = match seg.attr.deco {
            Deco::None => None,
            Deco::Underline => Some(y - 0.12 * size),
            Deco::Strike => Some(y + 0.27 * size),
        };
        if let Some(dy) = deco_y {
            items.push(Item::Line {
                x1: x,
                y1: dy,
                x2: x + w,
                y2: dy,
                width: 0.07 * size,
                color: seg.attr.color,
            });
        }
        x += w;
    }
}

// ---------------------------------------------------------------- tables

struct CellLine {
    top: f32,
    line: Line,
    x: f32,
    avail: f32,
    marker: Option<(String, f32)>,
}

struct RowLayout {
    cells: Vec<Vec<CellLine>>,
    height: f32,
}

const CELL_PAD_X: f32 = 4.5;
const CELL_PAD_Y: f32 = 4.0;
const CELL_PARA_GAP: f32 = 2.5;

fn layout_row(cells: &[Cell], col_x: &[f32], col_w: &[f32], size: f32, leading: f32) -> RowLayout {
    let m = metrics();
    let mut out = Vec::new();
    let mut height: f32 = 0.0;
    for (i, cell) in cells.iter().enumerate() {
        let (x0, w) = (col_x[i], col_w[i]);
        let inner = (w - 2.0 * CELL_PAD_X).max(8.0);
        let mut lines = Vec::new();
        let mut top = CELL_PAD_Y;
        if cell.rotated {
            // Rotated text: wrapped at a fixed height, lines stacked from left to right.
            let runs: Vec<Run> = cell.paras.iter().flat_map(|p| p.runs.clone()).collect();
            let wrapped = break_lines(&runs, size, 118.0);
            let tallest = wrapped.iter().map(|l| l.natural).fold(0.0, f32::max);
            let n = wrapped.len() as f32;
            let first_x = x0 + (w - n * leading) / 2.0;
            for (k, line) in wrapped.into_iter().enumerate() {
                let x = first_x + k as f32 * leading;
                lines.push(CellLine {
                    top: 0.0,
                    line,
                    x,
                    avail: tallest,
                    marker: None,
                });
            }
            height = height.max(tallest + 2.0 * CELL_PAD_Y + 2.0);
            out.push(lines);
            continue;
        }
        for (pi, para) in cell.paras.iter().enumerate() {
            if pi > 0 {
                top += CELL_PARA_GAP;
            }
            let (hang, marker) = match &para.marker {
                Some(mk) => {
                    let mw = m.width(Style::Regular, mk, size) + 3.0;
                    (mw.max(8.0), Some(mk.clone()))
                }
                None => (0.0, None),
            };
            let broken = break_lines(&para.runs, size, inner - hang);
            for (li, line) in broken.into_iter().enumerate() {
                let mk = if li == 0 {
                    marker.clone().map(|s| (s, x0 + CELL_PAD_X))
                } else {
                    None
                };
                lines.push(CellLine {
                    top,
                    line,
                    x: x0 + CELL_PAD_X + hang,
                    avail: inner - hang,
                    marker: mk,
                });
                top += leading;
            }
        }
        height = height.max(top + CELL_PAD_Y);
        out.push(lines);
    }
    if cells.is_empty() {
        return RowLayout {
            cells: out,
            height: 0.0,
        };
    }
    RowLayout {
        cells: out,
        height: height.max(leading + 2.0 * CELL_PAD_Y),
    }
}

/// Splits a row that cannot fit: the lines whose bottom lies within `limit` stay, the rest
/// form a continuation row.
fn split_row(row: RowLayout, limit: f32, leading: f32) -> (RowLayout, RowLayout) {
    let mut first = Vec::new();
    let mut rest = Vec::new();
    let mut first_h: f32 = 0.0;
    let mut rest_h: f32 = 0.0;
    for cell in row.cells {
        let (keep, more): (Vec<CellLine>, Vec<CellLine>) = cell
            .into_iter()
            .partition(|l| l.top + leading <= limit - CELL_PAD_Y);
        let shift = more.first().map_or(0.0, |l| l.top - CELL_PAD_Y);
        let more: Vec<CellLine> = more
            .into_iter()
            .map(|mut l| {
                l.top -= shift;
                l
            })
            .collect();
        first_h = first_h.max(keep.last().map_or(0.0, |l| l.top + leading + CELL_PAD_Y));
        rest_h = rest_h.max(more.last().map_or(0.0, |l| l.top + leading + CELL_PAD_Y));
        first.push(keep);
        rest.push(more);
    }
    (
        RowLayout {
            cells: first,
            height: first_h,
        },
        RowLayout {
            cells: rest,
            height: rest_h,
        },
    )
}

// ---------------------------------------------------------------- composer

struct Composer {
    pages: Vec<Vec<Item>>,
    y: f32,
    /// Nothing has been placed on the current page yet.
    fresh: bool,
    anchors: Vec<Anchor>,
    toc: Vec<TocSlot>,
    signature_boxes: Vec<(usize, [f32; 4])>,
}

impl Composer {
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = BODY_TOP;
        self.fresh = true;
    }

    fn avail(&self) -> f32 {
        self.y - BODY_BOTTOM
    }

    fn items(&mut self) -> &mut Vec<Item> {
        self.pages
            .last_mut()
            .expect("a page exists while composing")
    }

    fn gap(&mut self, space: f32) {
        if !self.fresh {
            self.y -= space;
        }
    }

    /// Height the start of `blocks` needs on the current page so that a heading before it is
    /// not left alone.
    fn lead_height(blocks: &[Block]) -> f32 {
        match blocks.first() {
            Some(Block::Para(p)) => {
                let lines = Self::para_lines(p).len();
                if p.keep_with_next {
                    p.space_before
                        + lines as f32 * p.leading
                        + p.space_after
                        + Self::lead_height(&blocks[1..])
                } else {
                    // A paragraph of up to three lines is never split (see `place_para`).
                    let first = if lines <= 3 { lines } else { 2 };
                    p.space_before + first as f32 * p.leading
                }
            }
            Some(Block::Table(t)) => t.space_before + table_start(t),
            Some(Block::Signature(s)) => signature_height(s),
            Some(Block::Toc(t)) => toc_leading(t.level),
            _ => 0.0,
        }
    }

    fn para_lines(p: &Para) -> Vec<Line> {
        break_lines(&p.runs, p.size, BODY_W - p.indent)
    }

    fn place_para(&mut self, p: &Para, rest: &[Block]) {
        let lines = Self::para_lines(p);
        let n = lines.len();
        let h = n as f32 * p.leading;
        if p.keep_with_next && !self.fresh {
            let need = p.space_before + h + p.space_after + Self::lead_height(rest);
            if need > self.avail() {
                self.new_page();
            }
        }
        self.gap(p.space_before);
        if let Some((level, title)) = &p.outline {
            self.anchors.push(Anchor {
                level: *level,
                title: title.clone(),
                page: self.pages.len() - 1,
                y: self.y + 4.0,
            });
        }
        let mut i = 0;
        while i < n {
            let fit = (self.avail() / p.leading + 0.001).floor() as usize;
            let left = n - i;
            let take = if left <= fit {
                left
            } else if self.fresh {
                // A paragraph longer than a whole page: fill it, keeping two lines for the next.
                fit.min(left.saturating_sub(2)).max(1)
            } else if fit < 2 || left <= 3 {
                0
            } else if left - fit < 2 {
                left - 2
            } else {
                fit
            };
            if take == 0 {
                self.new_page();
                continue;
            }
            for (k, line) in lines[i..i + take].iter().enumerate() {
                let top = self.y - k as f32 * p.leading;
                let y = baseline(top, p.leading, p.size);
                let x = BODY_LEFT + p.indent;
                if i + k == 0 {
                    if let Some(marker) = &p.marker {
                        let mw = runs_width(std::slice::from_ref(marker), p.size);
                        let mx = x - 5.0 - mw;
                        self.items().push(Item::Text {
                            x: mx,
                            y,
                            size: p.size,
                            attr: marker.attr,
                            text: marker.text.clone(),
                            space_extra: 0.0,
                            rotated: false,
                        });
                    }
                }
                let items = self.items();
                emit_line(items, line, x, y, BODY_W - p.indent, p.size, p.align);
            }
            self.y -= take as f32 * p.leading;
            self.fresh = false;
            i += take;
            if i < n {
                self.new_page();
            }
        }
        if p.rule_below {
            let y = self.y - 2.0;
            self.items().push(Item::Line {
                x1: BODY_LEFT,
                y1: y,
                x2: BODY_RIGHT,
                y2: y,
                width: 0.6,
                color: colors::RULE_STRONG,
            });
            self.y -= 2.0;
        }
        self.y -= p.space_after;
    }

    fn draw_row(&mut self, row: &RowLayout, t: &Table, header: bool) {
        if header && t.header.is_empty() {
            // A table without header row opens with a rule instead.
            let y = self.y;
            self.items().push(Item::Line {
                x1: BODY_LEFT,
                y1: y,
                x2: BODY_RIGHT,
                y2: y,
                width: 0.75,
                color: colors::RULE_STRONG,
            });
            self.fresh = false;
            return;
        }
        let top = self.y;
        let h = row.height;
        if header {
            self.items().push(Item::Fill {
                x: BODY_LEFT,
                y: top - h,
                w: BODY_W,
                h,
                color: colors::TINT,
            });
        }
        for (ci, lines) in row.cells.iter().enumerate() {
            let cell = if header { t.header.get(ci) } else { None };
            let rotated = cell.is_some_and(|c| c.rotated);
            for cl in lines {
                if rotated {
                    // Upward text: the baseline runs vertically, glyphs extend to its left.
                    let x = cl.x + t.leading / 2.0 + 0.33 * t.size;
                    let y = top - h + CELL_PAD_Y + 1.0;
                    for seg in &cl.line.segs {
                        self.items().push(Item::Text {
                            x,
                            y,
                            size: t.size,
                            attr: seg.attr,
                            text: seg.text.clone(),
                            space_extra: 0.0,
                            rotated: true,
                        });
                    }
                    continue;
                }
                let y = baseline(top - cl.top, t.leading, t.size);
                if let Some((mk, mx)) = &cl.marker {
                    self.items().push(Item::Text {
                        x: *mx,
                        y,
                        size: t.size,
                        attr: Attr::new(Style::Regular, colors::MUTED),
                        text: mk.clone(),
                        space_extra: 0.0,
                        rotated: false,
                    });
                }
                let items = self.items();
                emit_line(items, &cl.line, cl.x, y, cl.avail, t.size, Align::Left);
            }
        }
        let (rule, width) = if header {
            (colors::RULE_STRONG, 0.75)
        } else {
            (colors::RULE, 0.4)
        };
        self.items().push(Item::Line {
            x1: BODY_LEFT,
            y1: top - h,
            x2: BODY_RIGHT,
            y2: top - h,
            width,
            color: rule,
        });
        self.y -= h;
        self.fresh = false;
    }

    fn place_table(&mut self, t: &Table) {
        let (col_x, col_w) = columns(t);
        let header = layout_row(&t.header, &col_x, &col_w, t.size, t.leading);
        let mut rows: std::collections::VecDeque<(RowLayout, Vec<Align>)> = t
            .rows
            .iter()
            .map(|r| {
                (
                    layout_row(r, &col_x, &col_w, t.size, t.leading),
                    r.iter().map(|c| c.align).collect(),
                )
            })
            .collect();
        self.gap(t.space_before);
        let capacity = BODY_TOP - BODY_BOTTOM - header.height;
        if !self.fresh && table_start(t) > self.avail() {
            self.new_page();
        }
        self.draw_row(&header, t, true);
        while let Some((row, aligns)) = rows.pop_front() {
            if row.height <= self.avail() {
                let row = align_row(row, &aligns, &col_x, &col_w);
                self.draw_row(&row, t, false);
                continue;
            }
            if row.height > capacity && self.avail() > 3.0 * t.leading {
                // Taller than a page: cut it between lines and continue it on the next page.
                let (now, later) = split_row(row, self.avail(), t.leading);
                if now.height > 0.0 {
                    let now = align_row(now, &aligns, &col_x, &col_w);
                    self.draw_row(&now, t, false);
                }
                rows.push_front((later, aligns));
            } else {
                rows.push_front((row, aligns));
            }
            self.new_page();
            self.draw_row(&header, t, true);
        }
        self.y -= t.space_after;
    }

    fn place_toc(&mut self, e: &TocEntry) {
        let leading = toc_leading(e.level);
        let size = toc_size(e.level);
        let indent = if e.level <= 1 { 0.0 } else { 22.0 };
        let lines = break_lines(&e.runs, size, BODY_W - indent - 40.0);
        let h = lines.len() as f32 * leading + if e.level <= 1 { 4.0 } else { 0.0 };
        if h > self.avail() {
            self.new_page();
        }
        if e.level <= 1 {
            self.gap(4.0);
        }
        let top = self.y;
        let mut end = BODY_LEFT;
        let mut y = top;
        for (k, line) in lines.iter().enumerate() {
            y = baseline(top - k as f32 * leading, leading, size);
            let items = self.items();
            emit_line(
                items,
                line,
                BODY_LEFT + indent,
                y,
                BODY_W - indent - 40.0,
                size,
                Align::Left,
            );
            end = BODY_LEFT + indent + line.natural;
        }
        self.y -= lines.len() as f32 * leading;
        self.toc.push(TocSlot {
            page: self.pages.len() - 1,
            baseline: y,
            text_end: end,
            size,
            target: e.target,
            top,
            bottom: self.y,
        });
        self.fresh = false;
    }

    fn place_signature(&mut self, s: &SignatureBlock) {
        if let Some(signed) = &s.signed {
            return self.place_signed(s, signed);
        }
        if SIGNATURE_H > self.avail() && !self.fresh {
            self.new_page();
        }
        self.gap(10.0);
        let top = self.y;
        let lines = break_lines(&s.title, 10.0, BODY_W);
        for (k, line) in lines.iter().enumerate() {
            let y = baseline(top - k as f32 * 14.0, 14.0, 10.0);
            let items = self.items();
            emit_line(items, line, BODY_LEFT, y, BODY_W, 10.0, Align::Left);
        }
        let mut y = top - lines.len() as f32 * 14.0 - 26.0;
        let gap = 24.0;
        let col_w = (BODY_W - gap) / 2.0;
        for pair in s.fields.chunks(2) {
            for (c, (label, value)) in pair.iter().enumerate() {
                let x = BODY_LEFT + c as f32 * (col_w + gap);
                if !value.is_empty() {
                    let fitted = fit_text(value, Style::Regular, 9.5, col_w);
                    self.items().push(Item::Text {
                        x,
                        y: y + 4.0,
                        size: 9.5,
                        attr: Attr::new(Style::Regular, colors::INK),
                        text: fitted,
                        space_extra: 0.0,
                        rotated: false,
                    });
                }
                self.items().push(Item::Line {
                    x1: x,
                    y1: y,
                    x2: x + col_w,
                    y2: y,
                    width: 0.6,
                    color: colors::MUTED,
                });
                self.items().push(Item::Text {
                    x,
                    y: y - 9.5,
                    size: 7.5,
                    attr: Attr::new(Style::Regular, colors::MUTED),
                    text: label.clone(),
                    space_extra: 0.0,
                    rotated: false,
                });
            }
            y -= 40.0;
        }
        self.y = y + 40.0 - 22.0;
        self.fresh = false;
    }

    /// A signed party: title, the box for the visible signature with the details to its
    /// right, a caption, and full-width rows (the key fingerprint) below.
    fn place_signed(&mut self, s: &SignatureBlock, signed: &SignedBox) {
        if signature_height(s) > self.avail() && !self.fresh {
            self.new_page();
        }
        self.gap(10.0);
        let top = self.y;
        let lines = break_lines(&s.title, 10.0, BODY_W);
        for (k, line) in lines.iter().enumerate() {
            let y = baseline(top - k as f32 * 14.0, 14.0, 10.0);
            let items = self.items();
            emit_line(items, line, BODY_LEFT, y, BODY_W, 10.0, Align::Left);
        }
        let box_top = top - lines.len() as f32 * 14.0 - 6.0;
        let (x1, y1) = (BODY_LEFT, box_top - SIGNATURE_BOX_H);
        let (x2, y2) = (x1 + SIGNATURE_BOX_W, box_top);
        self.items().push(Item::Fill {
            x: x1,
            y: y1,
            w: SIGNATURE_BOX_W,
            h: SIGNATURE_BOX_H,
            color: colors::TINT,
        });
        for (ax, ay, bx, by) in [
            (x1, y1, x2, y1),
            (x2, y1, x2, y2),
            (x2, y2, x1, y2),
            (x1, y2, x1, y1),
        ] {
            self.items().push(Item::Line {
                x1: ax,
                y1: ay,
                x2: bx,
                y2: by,
                width: 0.6,
                color: colors::RULE_STRONG,
            });
        }
        let page = self.pages.len() - 1;
        self.signature_boxes.push((page, [x1, y1, x2, y2]));

        let m = metrics();
        let detail_x = x2 + 14.0;
        let label_w = signed
            .rows
            .iter()
            .map(|(l, _)| m.width(Style::Regular, l, 7.5))
            .fold(0.0, f32::max)
            + 8.0;
        let value_w = BODY_RIGHT - detail_x - label_w;
        let mut y = box_top - 9.0;
        for (label, value) in &signed.rows {
            self.detail(detail_x, y, label, value, label_w, value_w, 8.5);
            y -= 12.5;
        }
        let caption_y = y1 - 9.5;
        self.items().push(Item::Text {
            x: x1,
            y: caption_y,
            size: 7.5,
            attr: Attr::new(Style::Italic, colors::MUTED),
            text: fit_text(&signed.caption, Style::Italic, 7.5, BODY_W),
            space_extra: 0.0,
            rotated: false,
        });
        let below_label_w = signed
            .below
            .iter()
            .map(|(l, _)| m.width(Style::Regular, l, 7.5))
            .fold(0.0, f32::max)
            + 8.0;
        let mut y = caption_y - 12.0;
        for (label, value) in &signed.below {
            self.detail(
                x1,
                y,
                label,
                value,
                below_label_w,
                BODY_W - below_label_w,
                7.5,
            );
            y -= 11.0;
        }
        self.y = y + 11.0 - 8.0;
        self.fresh = false;
    }

    /// One "label value" row: the label small and muted, the value in ink, cut to fit.
    #[allow(clippy::too_many_arguments)]
    fn detail(
        &mut self,
        x: f32,
        y: f32,
        label: &str,
        value: &str,
        label_w: f32,
        value_w: f32,
        size: f32,
    ) {
        self.items().push(Item::Text {
            x,
            y,
            size: 7.5,
            attr: Attr::new(Style::Regular, colors::MUTED),
            text: label.to_string(),
            space_extra: 0.0,
            rotated: false,
        });
        self.items().push(Item::Text {
            x: x + label_w,
            y,
            size,
            attr: Attr::new(Style::Regular, colors::INK),
            text: fit_text(value, Style::Regular, size, value_w.max(10.0)),
            space_extra: 0.0,
            rotated: false,
        });
    }
}

/// Height a signature block needs on one page.
fn signature_height(s: &SignatureBlock) -> f32 {
    match &s.signed {
        None => SIGNATURE_H,
        Some(signed) => {
            let title = break_lines(&s.title, 10.0, BODY_W).len() as f32 * 14.0;
            let rows = (signed.rows.len() as f32 * 12.5 + 9.0).max(SIGNATURE_BOX_H);
            10.0 + title + 6.0 + rows + 9.5 + signed.below.len() as f32 * 11.0 + 12.0
        }
    }
}

/// Height a table needs on the page where it starts: all of it when it is short, else its
/// header and first three rows, so a table never begins with a lone row at the foot of a page.
fn table_start(t: &Table) -> f32 {
    let (col_x, col_w) = columns(t);
    let header = layout_row(&t.header, &col_x, &col_w, t.size, t.leading).height;
    let heights: Vec<f32> = t
        .rows
        .iter()
        .map(|r| layout_row(r, &col_x, &col_w, t.size, t.leading).height)
        .collect();
    let body = BODY_TOP - BODY_BOTTOM;
    let total: f32 = header + heights.iter().sum::<f32>();
    if total <= 0.5 * body {
        // A short table is kept whole.
        return total;
    }
    // Rows taller than that are split anyway; asking for more would strand a heading.
    header + heights.iter().take(3).sum::<f32>().min(0.25 * body)
}

/// Height a signature block needs (title, two rows of lines, labels).
const SIGNATURE_H: f32 = 14.0 + 26.0 + 40.0 + 22.0 + 10.0;

fn toc_size(level: u8) -> f32 {
    if level <= 1 {
        10.5
    } else {
        9.5
    }
}

fn toc_leading(level: u8) -> f32 {
    if level <= 1 {
        16.0
    } else {
        13.5
    }
}

/// Left edges and widths of a table's columns: the given shares, widened where a column's
/// longest word would not fit (taking the room from columns that have some to spare), so
/// words are only broken when the table cannot hold them at all.
fn columns(t: &Table) -> (Vec<f32>, Vec<f32>) {
    let total: f32 = t.widths.iter().sum::<f32>().max(0.0001);
    let mut ws: Vec<f32> = t.widths.iter().map(|w| w / total * BODY_W).collect();
    let m = metrics();
    let mut need = vec![0.0f32; ws.len()];
    for row in std::iter::once(&t.header).chain(t.rows.iter()) {
        for (i, cell) in row.iter().enumerate().take(ws.len()) {
            if cell.rotated {
                continue;
            }
            for para in &cell.paras {
                let hang = para.marker.as_ref().map_or(0.0, |mk| {
                    (m.width(Style::Regular, mk, t.size) + 3.0).max(8.0)
                });
                for run in &para.runs {
                    for word in run.text.split([' ', '\n', '\t']) {
                        let w =
                            m.width(run.attr.style, word, t.size) + hang + 2.0 * CELL_PAD_X + 0.5;
                        need[i] = need[i].max(w);
                    }
                }
            }
        }
    }
    for _ in 0..4 {
        let short: f32 = ws.iter().zip(&need).map(|(w, n)| (n - w).max(0.0)).sum();
        if short <= 0.01 {
            break;
        }
        let spare: f32 = ws.iter().zip(&need).map(|(w, n)| (w - n).max(0.0)).sum();
        if spare <= 0.01 {
            break;
        }
        let take = short.min(spare);
        for (w, n) in ws.iter_mut().zip(&need) {
            if *w < *n {
                *w += (*n - *w) * take / short;
            } else {
                *w -= (*w - *n) * take / spare;
            }
        }
    }
    let mut x = BODY_LEFT;
    let mut xs = Vec::new();
    for w in &ws {
        xs.push(x);
        x += w;
    }
    (xs, ws)
}

/// Moves the lines of right-aligned or centred cells.
fn align_row(mut row: RowLayout, aligns: &[Align], col_x: &[f32], col_w: &[f32]) -> RowLayout {
    for (ci, lines) in row.cells.iter_mut().enumerate() {
        let align = aligns.get(ci).copied().unwrap_or(Align::Left);
        if !matches!(align, Align::Right | Align::Center) {
            continue;
        }
        for cl in lines.iter_mut() {
            let inner = col_w[ci] - 2.0 * CELL_PAD_X;
            let free = (inner - cl.line.natural).max(0.0);
            cl.x = col_x[ci]
                + CELL_PAD_X
                + if align == Align::Right {
                    free
                } else {
                    free / 2.0
                };
        }
    }
    row
}

/// `text`, shortened with an ellipsis until it fits `width` at `size`.
pub fn fit_text(text: &str, style: Style, size: f32, width: f32) -> String {
    let m = metrics();
    let text: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if m.width(style, &text, size) <= width {
        return text;
    }
    let mut out = String::new();
    let budget = width - m.advance(style, '…', size);
    let mut w = 0.0;
    for c in text.chars() {
        let cw = m.advance(style, c, size);
        if w + cw > budget {
            break;
        }
        w += cw;
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Lays out `blocks` on pages. The first page starts at once; `PageBreak` starts a new one
/// unless the current page is still empty.
pub fn compose(blocks: &[Block]) -> Layout {
    let mut c = Composer {
        pages: Vec::new(),
        y: BODY_TOP,
        fresh: true,
        anchors: Vec::new(),
        toc: Vec::new(),
        signature_boxes: Vec::new(),
    };
    c.new_page();
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Para(p) => c.place_para(p, &blocks[i + 1..]),
            Block::Table(t) => c.place_table(t),
            Block::Toc(e) => c.place_toc(e),
            Block::Signature(s) => c.place_signature(s),
            Block::Space(s) => {
                if !c.fresh {
                    c.y -= s.min(c.avail());
                }
            }
            Block::BottomSpace(h) => {
                if c.y - BODY_BOTTOM > *h {
                    c.y = BODY_BOTTOM + h;
                }
            }
            Block::PageBreak => {
                if !c.fresh {
                    c.new_page();
                }
            }
        }
    }
    Layout {
        pages: c.pages,
        anchors: c.anchors,
        toc: c.toc,
        signature_boxes: c.signature_boxes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(words: usize) -> Para {
        let text = (0..words)
            .map(|i| format!("Wort{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let mut p = Para::new(vec![Run::plain(text)], 10.0, 14.0);
        p.align = Align::Justify;
        p
    }

    fn texts(page: &[Item]) -> Vec<String> {
        page.iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn lines_never_exceed_the_width() {
        let lines = break_lines(&para(400).runs, 10.0, 200.0);
        assert!(lines.len() > 10);
        for l in &lines {
            assert!(l.natural <= 200.01, "line of {} pt", l.natural);
        }
        let long = break_lines(&[Run::plain("a".repeat(300))], 10.0, 100.0);
        assert!(long.len() > 2 && long.iter().all(|l| l.natural <= 100.01));
    }

    #[test]
    fn justified_lines_fill_the_width() {
        let layout = compose(&[Block::Para(para(120))]);
        let extras: Vec<f32> = layout.pages[0]
            .iter()
            .filter_map(|i| match i {
                Item::Text { space_extra, .. } => Some(*space_extra),
                _ => None,
            })
            .collect();
        assert!(
            extras.iter().filter(|e| **e > 0.0).count() >= extras.len() - 1,
            "only the last line is ragged"
        );
    }

    #[test]
    fn no_orphans_and_no_widows() {
        // Fill a page so that a 6-line paragraph starts with one free line.
        let lines_per_page = ((BODY_TOP - BODY_BOTTOM) / 14.0).floor() as usize;
        let filler = Block::Space((lines_per_page - 1) as f32 * 14.0);
        let mut blocks = vec![Block::Para(para(1)), filler, Block::Para(para(60))];
        let layout = compose(&blocks);
        assert_eq!(layout.pages.len(), 2, "the paragraph moves whole to page 2");
        assert_eq!(texts(&layout.pages[0]).len(), 1);
        let with_lines = |n: usize| {
            (1..400)
                .find(|k| break_lines(&para(*k).runs, 10.0, BODY_W).len() == n)
                .unwrap()
        };
        // Two free lines and a three-line paragraph: keep it together as well.
        blocks[1] = Block::Space((lines_per_page - 3) as f32 * 14.0);
        blocks[2] = Block::Para(para(with_lines(3)));
        let layout = compose(&blocks);
        assert_eq!(layout.pages.len(), 2);
        assert_eq!(texts(&layout.pages[0]).len(), 1);
        // Four free lines and a five-line paragraph: three lines here, two on the next page
        // (never a single widow line).
        blocks[1] = Block::Space((lines_per_page - 5) as f32 * 14.0);
        blocks[2] = Block::Para(para(with_lines(5)));
        let layout = compose(&blocks);
        assert_eq!(layout.pages.len(), 2);
        assert_eq!(texts(&layout.pages[1]).len(), 2, "two lines carried over");
    }

    #[test]
    fn headings_stay_with_their_text() {
        let lines_per_page = ((BODY_TOP - BODY_BOTTOM) / 14.0).floor() as usize;
        let mut heading = Para::new(vec![Run::bold("Überschrift")], 12.0, 16.0);
        heading.keep_with_next = true;
        heading.outline = Some((1, "Überschrift".into()));
        let blocks = vec![
            Block::Para(para(1)),
            Block::Space((lines_per_page - 3) as f32 * 14.0),
            Block::Para(heading),
            Block::Para(para(60)),
        ];
        let layout = compose(&blocks);
        assert_eq!(
            layout.anchors[0].page, 1,
            "the heading moved to the page of its text"
        );
    }

    #[test]
    fn tables_repeat_their_header() {
        let rows = (0..80)
            .map(|i| vec![Cell::text(format!("Zeile {i}")), Cell::text("Wert")])
            .collect();
        let table = Table {
            widths: vec![0.5, 0.5],
            header: vec![
                Cell::runs(vec![Run::bold("Kopf A")]),
                Cell::runs(vec![Run::bold("Kopf B")]),
            ],
            rows,
            size: 9.0,
            leading: 12.0,
            space_before: 0.0,
            space_after: 0.0,
        };
        let layout = compose(&[Block::Table(table)]);
        assert!(layout.pages.len() >= 2);
        for page in &layout.pages {
            assert_eq!(texts(page).first().map(String::as_str), Some("Kopf A"));
        }
    }
}
