//! PDF preview and bulk export on [`Library`]: the first pages of an agreement as positioned
//! text (from the same layout the PDF is written from), and many agreement PDFs written into
//! one folder with progress and cancellation.
//!
//! Bulk export never overwrites a file: a name that is taken gets a numbered suffix. File
//! names come from the title reduced to letters, digits, spaces, `-` and `_` (no path
//! separators, dots or control characters can survive) plus the agreement id. Each file is
//! written to a temporary name, synced and renamed, so a cancelled or crashed export leaves
//! complete PDFs only.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Library;
use crate::model::Language;
use crate::pdf::preview::{self, PagePreview};
use crate::record::AgreementId;
use crate::{Error, Result};

/// Where a bulk export stands, reported before each agreement and once at the end.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportProgress {
    /// Agreements finished (written or failed).
    pub done: u32,
    pub total: u32,
    /// The agreement being exported now; `None` in the final report.
    pub current_id: Option<AgreementId>,
    pub current_title: String,
}

/// An agreement that could not be exported, with the engine's error code and message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportFailure {
    pub id: AgreementId,
    pub code: crate::ErrorCode,
    pub message: String,
}

/// What a bulk export did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportSummary {
    /// The files written, in the order of the ids.
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub written: Vec<PathBuf>,
    pub failed: Vec<ExportFailure>,
    /// The caller cancelled before every agreement was done.
    pub cancelled: bool,
}

/// Longest title part of a file name, in characters.
const MAX_NAME_CHARS: usize = 80;

/// A file name for an agreement's PDF: the title reduced to safe characters, then the id.
pub fn pdf_file_name(title: &str, id: AgreementId) -> String {
    let mut name = String::new();
    for c in title.chars() {
        let mapped = if c.is_alphanumeric() || c == '-' || c == '_' {
            c
        } else if c.is_whitespace() {
            ' '
        } else {
            '_'
        };
        let last = name.chars().last();
        if (mapped == ' ' || mapped == '_') && (last == Some(mapped) || last.is_none()) {
            continue;
        }
        name.push(mapped);
        if name.chars().count() >= MAX_NAME_CHARS {
            break;
        }
    }
    let name = name.trim_matches(|c| c == ' ' || c == '_');
    let name = if name.is_empty() { "agreement" } else { name };
    format!("{name}-{}.pdf", id.0)
}

/// `dir/name`, or `dir/stem-2.pdf`, `-3`, … for the first name not taken.
fn free_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let stem = name.strip_suffix(".pdf").unwrap_or(name);
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.pdf")))
        .find(|p| !p.exists())
        .expect("some suffix is free")
}

/// Writes a new file at a free name next to `name` in `dir` through a synced temporary file;
/// the name is chosen once the content is on disk.
fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    crate::file::write_through_temporary(dir, name.into(), bytes, || free_path(dir, name))
}

impl Library {
    /// The first `max_pages` pages (at most [`preview::MAX_PREVIEW_PAGES`]) of the PDF that
    /// [`Library::pdf`] writes for the same arguments.
    pub fn pdf_preview(
        &self,
        id: AgreementId,
        version: Option<u32>,
        lang: Option<Language>,
        max_pages: u32,
    ) -> Result<Vec<PagePreview>> {
        let (agreement, ctx) = self.pdf_context(id, version, lang)?;
        preview::pages(&agreement, &ctx, max_pages)
    }

    /// Writes the current draft of each agreement as a PDF into `dir` (which must exist),
    /// labels in `lang` (default: each agreement's language). `on_progress` hears before each
    /// agreement and once at the end; returning `false` cancels before the next agreement.
    /// An agreement that fails is reported in [`ExportSummary::failed`] and the rest go on.
    pub fn export_pdfs(
        &self,
        ids: &[AgreementId],
        dir: &Path,
        lang: Option<Language>,
        on_progress: &mut dyn FnMut(ExportProgress) -> bool,
    ) -> Result<ExportSummary> {
        if !dir.is_dir() {
            return Err(Error::io(
                format!("exporting PDFs into {}", dir.display()),
                std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
            ));
        }
        let total = ids.len() as u32;
        let mut summary = ExportSummary {
            written: Vec::new(),
            failed: Vec::new(),
            cancelled: false,
        };
        for (done, &id) in ids.iter().enumerate() {
            let title = self.summary(id).map(|s| s.title).unwrap_or_default();
            let go_on = on_progress(ExportProgress {
                done: done as u32,
                total,
                current_id: Some(id),
                current_title: title.clone(),
            });
            if !go_on {
                summary.cancelled = true;
                break;
            }
            let written = self
                .pdf(id, None, lang)
                .and_then(|bytes| write_new(dir, &pdf_file_name(&title, id), &bytes));
            match written {
                Ok(path) => summary.written.push(path),
                Err(e) => summary.failed.push(ExportFailure {
                    id,
                    code: e.code(),
                    message: e.to_string(),
                }),
            }
        }
        if !summary.cancelled {
            on_progress(ExportProgress {
                done: total,
                total,
                current_id: None,
                current_title: String::new(),
            });
        }
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_no_path_or_control_characters() {
        let id = AgreementId(7);
        assert_eq!(pdf_file_name("../../etc/passwd", id), "etc_passwd-7.pdf");
        assert_eq!(pdf_file_name("a/b\\c\u{0}\n d", id), "a_b_c_ d-7.pdf");
        assert_eq!(pdf_file_name("   ", id), "agreement-7.pdf");
        assert_eq!(
            pdf_file_name("Kundendienst München", id),
            "Kundendienst München-7.pdf"
        );
    }
}
