//! PDF commands: the preview of the first pages, one agreement (or a redline) saved through the
//! native save dialog, and many agreements written into a folder with progress streamed over a
//! [`Channel`] and a cancel command. Each command is one engine call; the dialogs are shown
//! from Rust so the UI never names a path.
//!
//! Test hook: see [`files`] (`PACTUM_TEST_DIALOG_PATH` answers every dialog).

use std::sync::atomic::{AtomicBool, Ordering};

use pactum::library::{ExportProgress, ExportSummary};
use pactum::pdf::preview::PagePreview;
use pactum::record::AgreementId;
use pactum::Language;
use tauri::ipc::Channel;
use tauri::State;

use crate::database::Database;
use crate::error::CommandError;
use crate::files;

/// Set by [`cancel_pdf_export`]; the running bulk export stops before its next agreement.
static CANCEL_EXPORT: AtomicBool = AtomicBool::new(false);

/// Asks where to save (suggesting `suggested_name`) and writes `bytes` there atomically. The
/// path written, `None` when the dialog was cancelled.
fn save_pdf(
    app: &tauri::AppHandle,
    suggested_name: &str,
    bytes: &[u8],
) -> Result<Option<String>, CommandError> {
    let Some(path) = files::pick_save(app, "PDF", &["pdf"], suggested_name) else {
        return Ok(None);
    };
    files::write_atomically(&path, bytes)?;
    Ok(Some(path.display().to_string()))
}

/// The first `max_pages` pages of the agreement PDF (draft when `version` is `None`), laid out
/// exactly as the PDF is.
#[tauri::command]
#[specta::specta]
pub async fn pdf_preview(
    database: State<'_, Database>,
    id: AgreementId,
    version: Option<u32>,
    lang: Option<Language>,
    max_pages: u32,
) -> Result<Vec<PagePreview>, CommandError> {
    Ok(database
        .library()?
        .pdf_preview(id, version, lang, max_pages)?)
}

/// Asks where to save with the native dialog and writes the agreement PDF there. The path,
/// `None` if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_pdf(
    database: State<'_, Database>,
    app: tauri::AppHandle,
    id: AgreementId,
    version: Option<u32>,
    lang: Option<Language>,
    suggested_name: String,
) -> Result<Option<String>, CommandError> {
    let bytes = database.library()?.pdf(id, version, lang)?;
    save_pdf(&app, &suggested_name, &bytes)
}

/// Asks where to save and writes the redline PDF of version `from` → `to` there.
#[tauri::command]
#[specta::specta]
pub async fn export_redline_pdf(
    database: State<'_, Database>,
    app: tauri::AppHandle,
    id: AgreementId,
    from: u32,
    to: u32,
    lang: Option<Language>,
    suggested_name: String,
) -> Result<Option<String>, CommandError> {
    let bytes = database.library()?.pdf_redline(id, from, to, lang)?;
    save_pdf(&app, &suggested_name, &bytes)
}

/// Asks where to save and writes the redline PDF of an amendment (its base version against
/// what it proposes) there.
#[tauri::command]
#[specta::specta]
pub async fn export_amendment_redline_pdf(
    database: State<'_, Database>,
    app: tauri::AppHandle,
    id: AgreementId,
    amendment: u32,
    content_hash: Option<String>,
    lang: Option<Language>,
    suggested_name: String,
) -> Result<Option<String>, CommandError> {
    let bytes = database.library()?.pdf_redline_amendment(
        id,
        pactum::signing::AmendmentRef::new(amendment, content_hash),
        lang,
    )?;
    save_pdf(&app, &suggested_name, &bytes)
}

/// Writes the PDF of a frozen version with the PAdES signature of `identity` (an own identity
/// that approved the version), after asking where to save. The passphrase unlocks the key for
/// this one call and is not kept.
#[tauri::command]
#[specta::specta]
#[allow(
    clippy::too_many_arguments,
    reason = "a command's arguments are the fields of its IPC message"
)]
pub async fn export_signed_pdf(
    database: State<'_, Database>,
    app: tauri::AppHandle,
    id: AgreementId,
    version: u32,
    identity: String,
    passphrase: String,
    lang: Option<Language>,
    suggested_name: String,
) -> Result<Option<String>, CommandError> {
    let bytes = database.library()?.signed_pdf(
        id,
        Some(version),
        lang,
        &[(identity.as_str(), passphrase.as_str())],
    )?;
    save_pdf(&app, &suggested_name, &bytes)
}

/// Asks for a folder and writes the PDF of each agreement into it, reporting progress on
/// `on_progress`. `None` if the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_pdfs(
    database: State<'_, Database>,
    app: tauri::AppHandle,
    ids: Vec<AgreementId>,
    lang: Option<Language>,
    on_progress: Channel<ExportProgress>,
) -> Result<Option<ExportSummary>, CommandError> {
    let library = database.library()?;
    let Some(dir) = files::pick_folder(&app) else {
        return Ok(None);
    };
    CANCEL_EXPORT.store(false, Ordering::SeqCst);
    let mut report = |progress: ExportProgress| {
        let _ = on_progress.send(progress);
        !CANCEL_EXPORT.load(Ordering::SeqCst)
    };
    Ok(Some(library.export_pdfs(&ids, &dir, lang, &mut report)?))
}

/// Cancels the running bulk export before its next agreement.
#[tauri::command]
#[specta::specta]
pub fn cancel_pdf_export() {
    CANCEL_EXPORT.store(true, Ordering::SeqCst);
}
