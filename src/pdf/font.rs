//! The fonts every Pactum PDF uses: Liberation Sans 2 in four styles, compiled into the binary
//! from `assets/fonts/` (SIL Open Font License 1.1, see `assets/fonts/LICENSE-OFL.txt`).
//!
//! This module owns glyph coverage and text measurement. Widths come from the font's own
//! horizontal advances (read with `ttf-parser`), the same advances the PDF viewer uses, so a
//! line measured here is exactly as long on the page. Invariant: text is only laid out after
//! [`missing`] found every character in all four faces — a character the font lacks is an
//! error for the caller, never a box on the page.

use std::sync::OnceLock;

use ttf_parser::Face;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-BoldItalic.ttf");

/// The font family's name, for messages.
pub const FAMILY: &str = "Liberation Sans";

/// One of the four faces of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    pub const ALL: [Style; 4] = [
        Style::Regular,
        Style::Bold,
        Style::Italic,
        Style::BoldItalic,
    ];

    pub fn from_flags(bold: bool, italic: bool) -> Style {
        match (bold, italic) {
            (false, false) => Style::Regular,
            (true, false) => Style::Bold,
            (false, true) => Style::Italic,
            (true, true) => Style::BoldItalic,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The TrueType file of this face.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Style::Regular => REGULAR,
            Style::Bold => BOLD,
            Style::Italic => ITALIC,
            Style::BoldItalic => BOLD_ITALIC,
        }
    }
}

/// Code points below this have their advances and coverage in a table (Latin, punctuation,
/// arrows, mathematical operators such as ≤ ≥); the rest are looked up in the font.
const TABLE_END: u32 = 0x2400;

/// The parsed faces with their scale, shared by every export.
pub struct Metrics {
    faces: Vec<Face<'static>>,
    units_per_em: Vec<f32>,
    /// Advance in font units per face for each code point below `TABLE_END`.
    advances: Vec<[u16; 4]>,
    /// Whether all four faces have a glyph, per code point below `TABLE_END`.
    covered: Vec<bool>,
}

/// The metrics of the four faces, parsed once per process.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let faces: Vec<Face<'static>> = Style::ALL
            .iter()
            .map(|s| Face::parse(s.bytes(), 0).expect("the bundled Liberation Sans fonts parse"))
            .collect();
        let units_per_em = faces.iter().map(|f| f32::from(f.units_per_em())).collect();
        let mut advances = Vec::with_capacity(TABLE_END as usize);
        let mut covered = Vec::with_capacity(TABLE_END as usize);
        for cp in 0..TABLE_END {
            let c = char::from_u32(cp);
            let mut adv = [0u16; 4];
            let mut all = c.is_some();
            for (i, face) in faces.iter().enumerate() {
                match c.and_then(|c| face.glyph_index(c)) {
                    Some(g) => adv[i] = face.glyph_hor_advance(g).unwrap_or(0),
                    None => all = false,
                }
            }
            advances.push(adv);
            covered.push(all);
        }
        Metrics {
            faces,
            units_per_em,
            advances,
            covered,
        }
    })
}

/// Characters that never reach the font: line breaks and tabs become spaces in layout.
fn is_layout_whitespace(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t')
}

impl Metrics {
    /// Advance of one character in points at `size`. Tabs and line breaks measure as a space.
    pub fn advance(&self, style: Style, c: char, size: f32) -> f32 {
        let c = if is_layout_whitespace(c) { ' ' } else { c };
        let advance = match self.advances.get(c as usize) {
            Some(adv) => adv[style.index()],
            None => {
                let face = &self.faces[style.index()];
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .unwrap_or(0)
            }
        };
        f32::from(advance) / self.units_per_em[style.index()] * size
    }

    /// The parsed face of a style (for glyph outlines).
    pub fn face(&self, style: Style) -> &Face<'static> {
        &self.faces[style.index()]
    }

    /// Font units per em of a style.
    pub fn units_per_em(&self, style: Style) -> f32 {
        self.units_per_em[style.index()]
    }

    /// Width of a string in points at `size`.
    pub fn width(&self, style: Style, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(style, c, size)).sum()
    }

    /// Whether every face of the family has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        if is_layout_whitespace(c) {
            return true;
        }
        match self.covered.get(c as usize) {
            Some(covered) => *covered,
            None => self.faces.iter().all(|f| f.glyph_index(c).is_some()),
        }
    }
}

/// The characters of `text` that the font cannot print, each once, in order of appearance.
pub fn missing(text: &str) -> Vec<char> {
    let m = metrics();
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if !m.covers(c) && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_alphabet_and_typography_are_covered() {
        let text = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ äöüÄÖÜß ẞ € „“ ‚‘ – — § ≤ ≥ › ‹ × ÷ − • … ° ½ ©";
        assert_eq!(missing(text), Vec::<char>::new());
    }

    #[test]
    fn ideographs_and_emoji_are_reported() {
        assert_eq!(missing("Vertrag 契約 🙂 契"), vec!['契', '約', '🙂']);
    }

    #[test]
    fn widths_follow_the_font() {
        let m = metrics();
        // Liberation Sans is metric-compatible with Arial: "i" is narrower than "W".
        assert!(m.width(Style::Regular, "i", 10.0) < m.width(Style::Regular, "W", 10.0));
        assert!(
            m.width(Style::Bold, "Vereinbarung", 10.0)
                > m.width(Style::Regular, "Vereinbarung", 10.0)
        );
        assert!((m.width(Style::Regular, " ", 10.0) - 2.78).abs() < 0.01);
    }
}
