//! Writing a laid-out document as PDF: the only code in Pactum that touches printpdf (and
//! the lopdf objects printpdf produces).
//!
//! It adds what needs the finished page count — page numbers in the table of contents with
//! links, running header and footer with "Seite X von Y" — then turns the items into PDF
//! operators with the embedded, subsetted fonts (printpdf writes a `/ToUnicode` map, so text
//! stays searchable), and finally corrects the document objects printpdf gets wrong or leaves
//! out: a nested outline in document order (`/First /Last /Next /Prev /Parent /Count`),
//! `/PageMode /UseOutlines` as a name, an `/Info` dictionary with explicit dates and without
//! the empty `GTS_PDFXVersion` that makes readers claim PDF/X, `/Lang`, and a document id
//! derived from the content. Invariant: the output contains no actions other than in-document
//! `GoTo` links — no JavaScript, no launch actions, no embedded files.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Color, ColorArray, Destination, FontId, HighlightingMode,
    Line as PdfLine, LinePoint, LinkAnnotation, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};

use super::font::{metrics, Style};
use super::layout::{
    colors, Attr, Item, Layout, Rgb, BODY_BOTTOM, BODY_LEFT, BODY_RIGHT, BODY_TOP, PAGE_H,
};

/// Running header and footer texts.
pub struct Running {
    pub header_left: String,
    pub header_right: String,
    /// The right header is drawn in the draft colour (a draft is marked on every page).
    pub header_right_draft: bool,
    pub footer_left: String,
    /// "Seite {page} von {total}" with `{page}` and `{total}` to fill in.
    pub page_pattern: String,
    /// The first page (the cover) has neither header nor footer.
    pub plain_first_page: bool,
}

/// Document information.
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: String,
    /// BCP 47 language tag, e.g. `de-DE`.
    pub lang: String,
    pub created: DateTime<Utc>,
    /// Seed of the document id (e.g. the content hash and the export time).
    pub id_seed: String,
    /// Further document-information entries, written as literal strings (printable ASCII
    /// only; `verify` reads `PactumContentHash` and `PactumCheckpoint` back from the bytes).
    pub extra: Vec<(String, String)>,
}

/// Adds page numbers to the table of contents and the running header and footer.
pub fn finish(layout: &mut Layout, running: &Running) {
    let m = metrics();
    let total = layout.pages.len();
    for slot in &layout.toc {
        let Some(anchor) = layout.anchors.get(slot.target) else {
            continue;
        };
        let number = (anchor.page + 1).to_string();
        let style = Style::Regular;
        let nw = m.width(style, &number, slot.size);
        let items = &mut layout.pages[slot.page];
        items.push(text(
            BODY_RIGHT - nw,
            slot.baseline,
            slot.size,
            Attr::new(style, colors::INK),
            number,
        ));
        let dot = m.width(style, ". ", slot.size);
        let from = slot.text_end + 6.0;
        let to = BODY_RIGHT - nw - 6.0;
        if to > from + dot {
            let n = ((to - from) / dot).floor() as usize;
            let dots = ". ".repeat(n);
            let x = to - n as f32 * dot;
            items.push(text(
                x,
                slot.baseline,
                slot.size,
                Attr::new(style, colors::RULE_STRONG),
                dots,
            ));
        }
        items.push(Item::Link {
            x: BODY_LEFT,
            y: slot.bottom,
            w: BODY_RIGHT - BODY_LEFT,
            h: slot.top - slot.bottom,
            target: slot.target,
        });
    }
    let muted = Attr::new(Style::Regular, colors::MUTED);
    for (i, items) in layout.pages.iter_mut().enumerate() {
        if i == 0 && running.plain_first_page {
            continue;
        }
        let header_y = BODY_TOP + 30.0;
        let right_attr = if running.header_right_draft {
            Attr::new(Style::Bold, colors::DRAFT)
        } else {
            muted
        };
        let rw = m.width(right_attr.style, &running.header_right, 8.0);
        let left = super::layout::fit_text(
            &running.header_left,
            Style::Regular,
            8.0,
            BODY_RIGHT - BODY_LEFT - rw - 24.0,
        );
        items.push(text(BODY_LEFT, header_y, 8.0, muted, left));
        items.push(text(
            BODY_RIGHT - rw,
            header_y,
            8.0,
            right_attr,
            running.header_right.clone(),
        ));
        items.push(Item::Line {
            x1: BODY_LEFT,
            y1: header_y - 5.0,
            x2: BODY_RIGHT,
            y2: header_y - 5.0,
            width: 0.4,
            color: colors::RULE,
        });
        let footer_y = BODY_BOTTOM - 32.0;
        let page = running
            .page_pattern
            .replace("{page}", &(i + 1).to_string())
            .replace("{total}", &total.to_string());
        let pw = m.width(Style::Regular, &page, 8.0);
        let left = super::layout::fit_text(
            &running.footer_left,
            Style::Regular,
            8.0,
            BODY_RIGHT - BODY_LEFT - pw - 24.0,
        );
        items.push(Item::Line {
            x1: BODY_LEFT,
            y1: footer_y + 11.0,
            x2: BODY_RIGHT,
            y2: footer_y + 11.0,
            width: 0.4,
            color: colors::RULE,
        });
        items.push(text(BODY_LEFT, footer_y, 8.0, muted, left));
        items.push(text(BODY_RIGHT - pw, footer_y, 8.0, muted, page));
    }
}

fn text(x: f32, y: f32, size: f32, attr: Attr, text: String) -> Item {
    Item::Text {
        x,
        y,
        size,
        attr,
        text,
        space_extra: 0.0,
        rotated: false,
    }
}

/// The four faces as printpdf fonts, parsed once per process.
fn parsed_fonts() -> &'static [ParsedFont] {
    static FONTS: OnceLock<Vec<ParsedFont>> = OnceLock::new();
    FONTS.get_or_init(|| {
        Style::ALL
            .iter()
            .map(|s| {
                let mut warnings = Vec::new();
                ParsedFont::from_bytes(s.bytes(), 0, &mut warnings)
                    .expect("the bundled Liberation Sans fonts parse")
            })
            .collect()
    })
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: c.0,
        g: c.1,
        b: c.2,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

/// The operators of one page: fills, then rules, then all text in one text object.
fn page_ops(
    items: &[Item],
    fonts: &[Option<FontId>; 4],
    anchors: &[super::layout::Anchor],
) -> Vec<Op> {
    let mut ops = Vec::new();
    for item in items {
        if let Item::Fill {
            x,
            y,
            w,
            h,
            color: c,
        } = item
        {
            ops.push(Op::SetFillColor { col: color(*c) });
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(*x),
                    y: Pt(*y),
                    width: Pt(*w),
                    height: Pt(*h),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            });
        }
    }
    let mut stroke: Option<(Rgb, f32)> = None;
    for item in items {
        if let Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            color: c,
        } = item
        {
            if stroke != Some((*c, *width)) {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                stroke = Some((*c, *width));
            }
            ops.push(Op::DrawLine {
                line: PdfLine {
                    points: vec![point(*x1, *y1), point(*x2, *y2)],
                    is_closed: false,
                },
            });
        }
    }
    ops.push(Op::StartTextSection);
    let mut font: Option<(Style, f32)> = None;
    let mut fill: Option<Rgb> = None;
    for item in items {
        let Item::Text {
            x,
            y,
            size,
            attr,
            text,
            space_extra,
            rotated,
        } = item
        else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        if font != Some((attr.style, *size)) {
            let id = fonts[attr.style.index()]
                .clone()
                .expect("every used face was added to the document");
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(*size),
            });
            font = Some((attr.style, *size));
        }
        if fill != Some(attr.color) {
            ops.push(Op::SetFillColor {
                col: color(attr.color),
            });
            fill = Some(attr.color);
        }
        let matrix = if *rotated {
            TextMatrix::Raw([0.0, 1.0, -1.0, 0.0, *x, *y])
        } else {
            TextMatrix::Translate(Pt(*x), Pt(*y))
        };
        ops.push(Op::SetTextMatrix { matrix });
        ops.push(Op::ShowText {
            items: text_items(text, *space_extra, *size),
        });
    }
    ops.push(Op::EndTextSection);
    for item in items {
        if let Item::Link { x, y, w, h, target } = item {
            let Some(anchor) = anchors.get(*target) else {
                continue;
            };
            ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    Rect {
                        x: Pt(*x),
                        y: Pt(*y),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: None,
                        winding_order: None,
                    },
                    Actions::Goto(Destination::Xyz {
                        page: anchor.page + 1,
                        left: None,
                        top: Some(anchor.y),
                        zoom: None,
                    }),
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    Some(ColorArray::Transparent),
                    Some(HighlightingMode::None),
                ),
            });
        }
    }
    ops
}

/// Text with each space widened by `extra` points (justification). Word spacing (`Tw`) does
/// not apply to two-byte font encodings, so the widening is a `TJ` offset after each space.
fn text_items(text: &str, extra: f32, size: f32) -> Vec<TextItem> {
    if extra <= 0.0005 {
        return vec![TextItem::Text(text.to_string())];
    }
    let offset = -extra * 1000.0 / size;
    let mut items = Vec::new();
    let mut buf = String::new();
    for c in text.chars() {
        buf.push(c);
        if c == ' ' {
            items.push(TextItem::Text(std::mem::take(&mut buf)));
            items.push(TextItem::Offset(offset));
        }
    }
    if !buf.is_empty() {
        items.push(TextItem::Text(buf));
    }
    items
}

/// Renders a finished layout as PDF bytes.
pub fn write(layout: &Layout, meta: &Meta) -> Result<Vec<u8>, String> {
    let mut doc = PdfDocument::new(&meta.title);
    let mut used = [false; 4];
    for items in &layout.pages {
        for item in items {
            if let Item::Text { attr, text, .. } = item {
                if !text.is_empty() {
                    used[attr.style.index()] = true;
                }
            }
        }
    }
    let parsed = parsed_fonts();
    let mut fonts: [Option<FontId>; 4] = [None, None, None, None];
    for style in Style::ALL {
        if used[style.index()] {
            fonts[style.index()] = Some(doc.add_font(&parsed[style.index()]));
        }
    }
    let pages: Vec<PdfPage> = layout
        .pages
        .iter()
        .map(|items| {
            PdfPage::new(
                Mm(210.0),
                Mm(297.0),
                page_ops(items, &fonts, &layout.anchors),
            )
        })
        .collect();
    doc.with_pages(pages);
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    fix_document(&mut lo, layout, meta)
        .map_err(|e| format!("cannot finish the PDF structure: {e}"))?;
    compress(&mut lo);
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok(out)
}

/// Deflates every stream that may be compressed and is not yet. lopdf's own `compress` uses
/// the slowest level, which cost half the export time for a few percent of file size.
fn compress(doc: &mut lopdf::Document) {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let Ok(compressed) = encoder
            .write_all(&stream.content)
            .and_then(|()| encoder.finish())
        else {
            continue;
        };
        if compressed.len() + 19 < stream.content.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
    }
}

/// A text string as UTF-16BE with byte-order mark, written in hex: safe for any content.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn pdf_date(t: DateTime<Utc>) -> Object {
    Object::String(
        t.format("D:%Y%m%d%H%M%S+00'00'").to_string().into_bytes(),
        StringFormat::Literal,
    )
}

fn fix_document(doc: &mut lopdf::Document, layout: &Layout, meta: &Meta) -> lopdf::Result<()> {
    doc.version = "1.7".to_string();
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();

    // The outline, nested by level, in document order.
    let outline_root = doc.new_object_id();
    let ids: Vec<ObjectId> = layout.anchors.iter().map(|_| doc.new_object_id()).collect();
    let n = layout.anchors.len();
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut stack: Vec<usize> = Vec::new();
    for (i, a) in layout.anchors.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if layout.anchors[top].level >= a.level {
                stack.pop();
            } else {
                break;
            }
        }
        parent[i] = stack.last().copied();
        stack.push(i);
    }
    let children =
        |p: Option<usize>| -> Vec<usize> { (0..n).filter(|&i| parent[i] == p).collect() };
    let descendants = |i: usize| -> i64 {
        let mut count = 0;
        let mut j = i + 1;
        while j < n && layout.anchors[j].level > layout.anchors[i].level {
            count += 1;
            j += 1;
        }
        count
    };
    for (i, a) in layout.anchors.iter().enumerate() {
        let siblings = children(parent[i]);
        let pos = siblings
            .iter()
            .position(|&s| s == i)
            .expect("an item is among its parent's children");
        let page = page_ids.get(a.page).copied().unwrap_or(page_ids[0]);
        let mut d = Dictionary::new();
        d.set("Title", text_string(&a.title));
        d.set(
            "Parent",
            Object::Reference(parent[i].map_or(outline_root, |p| ids[p])),
        );
        d.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(page),
                Object::Name(b"XYZ".to_vec()),
                Object::Null,
                Object::Real(a.y.min(PAGE_H)),
                Object::Null,
            ]),
        );
        if pos > 0 {
            d.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if let Some(&next) = siblings.get(pos + 1) {
            d.set("Next", Object::Reference(ids[next]));
        }
        let kids = children(Some(i));
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            // Closed: a negative count of the entries shown when it is opened.
            d.set("Count", Object::Integer(-descendants(i)));
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let top = children(None);
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        root.set("First", Object::Reference(ids[first]));
        root.set("Last", Object::Reference(ids[last]));
    }
    root.set("Count", Object::Integer(top.len() as i64));
    doc.objects.insert(outline_root, Object::Dictionary(root));

    let catalog = doc.catalog_mut()?;
    catalog.set("Outlines", Object::Reference(outline_root));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    catalog.set("PageLayout", Object::Name(b"OneColumn".to_vec()));
    catalog.set(
        "Lang",
        Object::String(meta.lang.as_bytes().to_vec(), StringFormat::Literal),
    );
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));

    let mut info = Dictionary::new();
    info.set("Title", text_string(&meta.title));
    info.set("Author", text_string(&meta.author));
    info.set("Subject", text_string(&meta.subject));
    info.set("Keywords", text_string(&meta.keywords));
    info.set("Creator", text_string("Pactum"));
    info.set("Producer", text_string("Pactum PDF export (printpdf)"));
    info.set("CreationDate", pdf_date(meta.created));
    info.set("ModDate", pdf_date(meta.created));
    info.set("Trapped", Object::Name(b"False".to_vec()));
    for (key, value) in &meta.extra {
        info.set(
            key.as_bytes().to_vec(),
            Object::String(value.as_bytes().to_vec(), StringFormat::Literal),
        );
    }
    match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            doc.objects.insert(id, Object::Dictionary(info));
        }
        Err(_) => {
            let id = doc.add_object(Object::Dictionary(info));
            doc.trailer.set("Info", Object::Reference(id));
        }
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(meta.id_seed.as_bytes());
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    Ok(())
}
