//! A preview of the agreement PDF's first pages, made from the same laid-out pages the PDF is
//! written from (no second renderer): every text run, rule and filled rectangle with its
//! position in points, for the UI to draw as SVG text nodes.
//!
//! Coordinates are converted to the screen's convention: `y` grows downwards from the top of
//! the page. A text item's `y` is its baseline.

use serde::Serialize;

use super::font::{self, Style};
use super::layout::{self, Item, Rgb};
use super::PdfContext;
use crate::model::Agreement;
use crate::Result;

/// Most pages a preview may ask for; the rest of the document is only in the PDF.
pub const MAX_PREVIEW_PAGES: u32 = 10;

/// One page of the preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PagePreview {
    /// 1-based page number.
    pub number: u32,
    pub width_pt: f32,
    pub height_pt: f32,
    pub texts: Vec<PreviewText>,
    pub lines: Vec<PreviewLine>,
    pub rects: Vec<PreviewRect>,
}

/// A run of text on its baseline at (`x`, `y`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviewText {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    /// `#rrggbb`.
    pub color: String,
    pub text: String,
    /// Extra width added to each space (justified lines), in points.
    pub space_extra: f32,
    /// Advance width of the run in the PDF's font, justification included: the UI stretches
    /// its own font to exactly this width, so lines end where they end in the PDF.
    pub width: f32,
    /// Turned 90° counter-clockwise around (`x`, `y`).
    pub rotated: bool,
    /// `underline`, `strike` or empty.
    pub decoration: String,
}

/// A straight rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviewLine {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub width: f32,
    pub color: String,
}

/// A filled rectangle; (`x`, `y`) is its top-left corner.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviewRect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub color: String,
}

fn hex(c: Rgb) -> String {
    let channel = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        channel(c.0),
        channel(c.1),
        channel(c.2)
    )
}

/// The first `max_pages` pages (at most [`MAX_PREVIEW_PAGES`]) of the agreement PDF. Fails
/// exactly where [`super::render_agreement`] fails (characters the font lacks, a bad
/// checkpoint).
pub fn pages(a: &Agreement, ctx: &PdfContext, max_pages: u32) -> Result<Vec<PagePreview>> {
    let laid_out = super::agreement_layout(a, ctx)?;
    let take = max_pages.min(MAX_PREVIEW_PAGES) as usize;
    Ok(laid_out
        .pages
        .iter()
        .take(take)
        .enumerate()
        .map(|(i, items)| page(i, items))
        .collect())
}

fn page(index: usize, items: &[Item]) -> PagePreview {
    let h = layout::PAGE_H;
    let mut out = PagePreview {
        number: index as u32 + 1,
        width_pt: layout::PAGE_W,
        height_pt: h,
        texts: Vec::new(),
        lines: Vec::new(),
        rects: Vec::new(),
    };
    for item in items {
        match item {
            Item::Text {
                x,
                y,
                size,
                attr,
                text,
                space_extra,
                rotated,
            } => out.texts.push(PreviewText {
                x: *x,
                y: h - *y,
                size: *size,
                bold: matches!(attr.style, Style::Bold | Style::BoldItalic),
                italic: matches!(attr.style, Style::Italic | Style::BoldItalic),
                color: hex(attr.color),
                text: text.clone(),
                space_extra: *space_extra,
                width: font::metrics().width(attr.style, text, *size)
                    + *space_extra * text.chars().filter(|&c| c == ' ').count() as f32,
                rotated: *rotated,
                decoration: match attr.deco {
                    layout::Deco::None => String::new(),
                    layout::Deco::Underline => "underline".to_string(),
                    layout::Deco::Strike => "strike".to_string(),
                },
            }),
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => out.lines.push(PreviewLine {
                x1: *x1,
                y1: h - *y1,
                x2: *x2,
                y2: h - *y2,
                width: *width,
                color: hex(*color),
            }),
            Item::Fill {
                x,
                y,
                w,
                h: rh,
                color,
            } => out.rects.push(PreviewRect {
                x: *x,
                y: h - (*y + *rh),
                w: *w,
                h: *rh,
                color: hex(*color),
            }),
            Item::Link { .. } => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_hex() {
        assert_eq!(hex(Rgb(0.0, 1.0, 0.5)), "#00ff80");
    }
}
