//! PDF export: the agreement as a document a company sends to its customer, and a redline of
//! two versions for legal review, in German or English.
//!
//! This module tree is the only part of Pactum that touches printpdf. It owns:
//! - `font`: the embedded Liberation Sans faces, glyph coverage and text measurement;
//! - `layout`: the page layout engine (line breaking, justification, pagination, tables);
//! - `text`: the type scale, clause Markdown as blocks, values worded in a language;
//! - `agreement` and `redline`: what each document contains;
//! - `write`: page numbers, header and footer, PDF objects, outline and metadata.
//!
//! Invariants: every character is checked against the font before anything is laid out — a
//! character the font lacks is an [`Error::Invalid`] naming the field and the character,
//! never a box on the page; the time of export is passed in (no clock is read here); the
//! output contains no JavaScript, no launch or open actions and no embedded files, and all
//! text is written as glyph ids with a `/ToUnicode` map, so it can be searched and copied but
//! never interpreted as PDF syntax.

mod agreement;
pub mod certificate;
mod font;
mod layout;
pub mod preview;
mod redline;
mod sign;
mod text;
mod verify;
mod write;

pub use sign::{sign_pdf, PdfSigner, SignatureField};
pub use verify::{
    verify_pdf, PdfReport, PdfSignatureReport, UnreadableInfo, CHECKPOINT_KEY, CONTENT_HASH_KEY,
};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::diff;
use crate::model::{Agreement, Language};
use crate::record::{AgreementId, Status, VersionInfo};
use crate::{Error, Problem, Result};

/// What the agreement PDF needs besides the agreement itself.
#[derive(Debug, Clone)]
pub struct PdfContext {
    /// Language of the generated labels; clause text stays as written.
    pub lang: Language,
    /// The agreement's database id, printed in the verification block.
    pub agreement_id: Option<AgreementId>,
    /// The agreement's uid (stable across databases); may be empty.
    pub agreement_uid: String,
    /// The frozen version shown, or `None` for the draft (marked as such on every page).
    pub version: Option<VersionInfo>,
    pub status: Status,
    /// SHA-256 of the canonical content shown: the version's hash, or the draft's.
    pub content_hash: String,
    /// Every frozen version of the agreement, oldest first (the amendment history).
    pub history: Vec<VersionInfo>,
    /// The enacted amendments, from the signed history (reason, version, approvers).
    pub amendment_log: Vec<crate::signing::AmendmentLogEntry>,
    /// Time of the export (the library's clock).
    pub exported_at: DateTime<Utc>,
    /// The signature page's lines, in order. Empty: one unsigned line each for provider,
    /// customer and every approver named in the amendments section
    /// ([`default_signature_lines`]).
    pub signature_lines: Vec<SignatureLine>,
    /// The history checkpoint line (e.g. `pactum-checkpoint v1 <uid> <count> <head-hash>`),
    /// printed in the verification block and embedded as `/PactumCheckpoint`. Printable
    /// ASCII without `(`, `)` or `\`, at most 1024 characters.
    pub checkpoint: Option<String>,
}

/// One line of the signature page: a party's signer, signed or not yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignatureLine {
    pub name: String,
    pub role: String,
    pub organisation: String,
    /// When the signer signed; `None` prints empty lines to sign on paper.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub signed_at: Option<DateTime<Utc>>,
    /// The signer's key fingerprint as it should be printed (e.g. the SHA-256 fingerprint
    /// of the certificate used for the PDF signature, which `pactum verify-pdf` and PDF
    /// readers show).
    pub fingerprint: Option<String>,
}

/// The agreement PDF together with where each signed line's visible signature goes.
#[derive(Debug, Clone)]
pub struct RenderedAgreement {
    pub bytes: Vec<u8>,
    /// One entry per line of [`PdfContext::signature_lines`]: the field to pass to
    /// [`sign_pdf`] for a signed line, `None` for an unsigned one.
    pub signature_fields: Vec<Option<SignatureField>>,
}

/// The unsigned lines printed when the context names none: provider, customer, and every
/// approver role named in the amendments section (with the person and party of the role).
pub fn default_signature_lines(a: &Agreement) -> Vec<SignatureLine> {
    let o = &a.overview;
    let mut lines: Vec<SignatureLine> = [&o.provider, &o.customer]
        .into_iter()
        .map(|party| SignatureLine {
            name: String::new(),
            role: String::new(),
            organisation: party.name.clone(),
            signed_at: None,
            fingerprint: None,
        })
        .collect();
    for id in &a.amendments.approvers {
        let (role, name, organisation) = match a.duties.role(id) {
            Some(r) => {
                let party = match r.party {
                    crate::model::PartySide::Provider => &o.provider.name,
                    crate::model::PartySide::Customer => &o.customer.name,
                };
                (r.title.clone(), r.person.clone(), party.clone())
            }
            None => (id.clone(), String::new(), String::new()),
        };
        lines.push(SignatureLine {
            name,
            role,
            organisation,
            signed_at: None,
            fingerprint: None,
        });
    }
    lines
}

/// Longest checkpoint line accepted.
const MAX_CHECKPOINT_CHARS: usize = 1024;

fn check_checkpoint(checkpoint: Option<&str>) -> Result<()> {
    let Some(c) = checkpoint else {
        return Ok(());
    };
    let ok = c.len() <= MAX_CHECKPOINT_CHARS
        && !c.trim().is_empty()
        && c.chars()
            .all(|ch| (ch.is_ascii_graphic() || ch == ' ') && !matches!(ch, '(' | ')' | '\\'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "$.pdf.checkpoint",
            format!("a checkpoint is one line of printable ASCII without parentheses or backslashes, at most {MAX_CHECKPOINT_CHARS} characters"),
        ))
    }
}

/// What the redline PDF needs besides the two agreements.
#[derive(Debug, Clone)]
pub struct RedlineContext {
    pub lang: Language,
    pub from: VersionInfo,
    pub to: VersionInfo,
    pub exported_at: DateTime<Utc>,
}

/// Renders the agreement PDF: cover, contents, every section, signature page, version
/// history and verification block.
pub fn render_agreement(a: &Agreement, ctx: &PdfContext) -> Result<Vec<u8>> {
    render_agreement_for_signing(a, ctx).map(|r| r.bytes)
}

/// Renders the agreement PDF and tells where each signed line's visible signature goes:
/// sign the result with [`sign_pdf`] once per signed line, passing that line's field.
pub fn render_agreement_for_signing(a: &Agreement, ctx: &PdfContext) -> Result<RenderedAgreement> {
    let layout = agreement_layout(a, ctx)?;
    let lang = ctx.lang;
    let o = &a.overview;
    let subject = match lang {
        Language::De => format!(
            "Kundendienstvereinbarung zwischen {} und {}",
            o.provider.name, o.customer.name
        ),
        Language::En => format!(
            "Customer service agreement between {} and {}",
            o.provider.name, o.customer.name
        ),
    };
    let version = match &ctx.version {
        Some(v) => format!("Version {}", v.number),
        None => lang.pick("Entwurf", "Draft").to_string(),
    };
    let meta = write::Meta {
        title: a.title.clone(),
        author: o.provider.name.clone(),
        subject,
        keywords: format!("SLA, {version}, SHA-256 {}", ctx.content_hash),
        lang: lang_tag(lang),
        created: ctx.exported_at,
        id_seed: format!("{} {}", ctx.content_hash, ctx.exported_at.to_rfc3339()),
        extra: [
            Some(("PactumContentHash", ctx.content_hash.clone())),
            ctx.checkpoint.clone().map(|c| ("PactumCheckpoint", c)),
        ]
        .into_iter()
        .flatten()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    };
    let bytes = write::write(&layout, &meta)
        .map_err(|e| Error::io("PDF export", std::io::Error::other(e)))?;
    let mut boxes = layout.signature_boxes.iter();
    let signature_fields = if ctx.signature_lines.is_empty() {
        Vec::new()
    } else {
        ctx.signature_lines
            .iter()
            .map(|l| {
                l.signed_at.and_then(|_| {
                    boxes
                        .next()
                        .map(|&(page, rect)| SignatureField { page, rect })
                })
            })
            .collect()
    };
    Ok(RenderedAgreement {
        bytes,
        signature_fields,
    })
}

/// The agreement's pages as laid out and finished (header, footer, page numbers), before
/// printpdf writes them: what both the PDF and [`preview::pages`] are made from.
fn agreement_layout(a: &Agreement, ctx: &PdfContext) -> Result<layout::Layout> {
    let mut texts = agreement_texts(a);
    for (i, v) in ctx.history.iter().enumerate() {
        texts.push((format!("$.versions[{i}].note"), v.note.clone()));
    }
    for (i, l) in ctx.signature_lines.iter().enumerate() {
        for (key, value) in [
            ("name", &l.name),
            ("role", &l.role),
            ("organisation", &l.organisation),
        ] {
            texts.push((format!("$.signature_lines[{i}].{key}"), value.clone()));
        }
        if let Some(fp) = &l.fingerprint {
            texts.push((format!("$.signature_lines[{i}].fingerprint"), fp.clone()));
        }
    }
    check_glyphs(&texts)?;
    check_checkpoint(ctx.checkpoint.as_deref())?;
    let lang = ctx.lang;
    let blocks = agreement::blocks(a, ctx);
    let mut layout = layout::compose(&blocks);
    let hash_start = &ctx.content_hash[..ctx.content_hash.len().min(16)];
    let (header_right, footer_left) = match &ctx.version {
        Some(v) => (
            format!("Version {}", v.number),
            format!("Version {} · SHA-256 {hash_start}…", v.number),
        ),
        None => (
            lang.pick("ENTWURF", "DRAFT").to_string(),
            format!(
                "{} · SHA-256 {hash_start}…",
                lang.pick("Entwurf, nicht eingefroren", "Draft, not frozen")
            ),
        ),
    };
    let running = write::Running {
        header_left: a.title.clone(),
        header_right,
        header_right_draft: ctx.version.is_none(),
        footer_left,
        page_pattern: page_pattern(lang),
        plain_first_page: true,
    };
    write::finish(&mut layout, &running);
    check_layout(&layout)?;
    Ok(layout)
}

/// Renders the redline PDF of `before` → `after`: the changed terms, then the changed clause
/// text with insertions and deletions marked.
pub fn render_redline(
    before: &Agreement,
    after: &Agreement,
    ctx: &RedlineContext,
) -> Result<Vec<u8>> {
    let mut texts = agreement_texts(before);
    texts.extend(agreement_texts(after));
    texts.push(("$.from.note".to_string(), ctx.from.note.clone()));
    texts.push(("$.to.note".to_string(), ctx.to.note.clone()));
    check_glyphs(&texts)?;
    let lang = ctx.lang;
    let cmp = diff::compare(before, after, lang);
    let blocks = redline::blocks(after, &cmp, ctx);
    let mut layout = layout::compose(&blocks);
    let running = write::Running {
        header_left: after.title.clone(),
        header_right: format!("Redline {} → {}", ctx.from.number, ctx.to.number),
        header_right_draft: false,
        footer_left: format!(
            "{} {} → {} · SHA-256 {}… → {}…",
            lang.pick("Vergleich Version", "Comparison of version"),
            ctx.from.number,
            ctx.to.number,
            &ctx.from.hash[..ctx.from.hash.len().min(12)],
            &ctx.to.hash[..ctx.to.hash.len().min(12)]
        ),
        page_pattern: page_pattern(lang),
        plain_first_page: false,
    };
    write::finish(&mut layout, &running);
    check_layout(&layout)?;
    let title = format!(
        "{} – {} {} → {}",
        after.title,
        lang.pick("Redline", "Redline"),
        ctx.from.number,
        ctx.to.number
    );
    let meta = write::Meta {
        title,
        author: after.overview.provider.name.clone(),
        subject: lang
            .pick(
                "Änderungsvergleich zweier Versionen",
                "Comparison of two versions",
            )
            .to_string(),
        keywords: format!("SLA, redline, SHA-256 {} {}", ctx.from.hash, ctx.to.hash),
        lang: lang_tag(lang),
        created: ctx.exported_at,
        id_seed: format!(
            "{} {} {}",
            ctx.from.hash,
            ctx.to.hash,
            ctx.exported_at.to_rfc3339()
        ),
        extra: Vec::new(),
    };
    write::write(&layout, &meta).map_err(|e| Error::io("PDF export", std::io::Error::other(e)))
}

fn page_pattern(lang: Language) -> String {
    lang.pick("Seite {page} von {total}", "Page {page} of {total}")
        .to_string()
}

fn lang_tag(lang: Language) -> String {
    lang.pick("de-DE", "en-GB").to_string()
}

/// Every string of an agreement with its JSON path (`$.agreement.overview.purpose`).
fn agreement_texts(a: &Agreement) -> Vec<(String, String)> {
    fn walk(v: &Value, path: String, out: &mut Vec<(String, String)>) {
        match v {
            Value::String(s) => out.push((path, s.clone())),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), out);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    walk(item, format!("{path}.{k}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(
        &serde_json::to_value(a).expect("the model always serializes"),
        "$.agreement".to_string(),
        &mut out,
    );
    out
}

/// Refuses text with characters the embedded font cannot print, naming field and character.
fn check_glyphs(texts: &[(String, String)]) -> Result<()> {
    let mut problems = Vec::new();
    for (path, text) in texts {
        let missing = font::missing(text);
        if missing.is_empty() {
            continue;
        }
        let chars: Vec<String> = missing
            .iter()
            .map(|c| format!("\"{c}\" (U+{:04X})", u32::from(*c)))
            .collect();
        problems.push(Problem {
            path: path.clone(),
            message: format!(
                "the PDF font {} has no glyph for {}; replace or remove {} before exporting",
                font::FAMILY,
                chars.join(", "),
                if missing.len() == 1 {
                    "this character"
                } else {
                    "these characters"
                }
            ),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The same check over everything laid out, generated labels included.
fn check_layout(layout: &layout::Layout) -> Result<()> {
    let texts: Vec<(String, String)> = layout
        .pages
        .iter()
        .enumerate()
        .flat_map(|(p, items)| {
            items.iter().filter_map(move |i| match i {
                layout::Item::Text { text, .. } => {
                    Some((format!("$.pdf.page[{}]", p + 1), text.clone()))
                }
                _ => None,
            })
        })
        .collect();
    check_glyphs(&texts)
}
