//! The commands of the library, the editor and the versions: listing, creating, saving,
//! checking, freezing, comparing, importing and exporting agreements. Each one takes the
//! managed [`Database`] and its arguments, makes exactly one engine call and turns the engine's
//! error into a [`CommandError`] with `?`.
//!
//! Nothing here decides anything: validation, SQL and business rules belong to the engine.
//! Adding a command (here or in another `*_commands.rs`) means writing it and adding its line
//! to `command_list.rs`; then regenerate `ui/src/ipc/bindings.ts` (see [`crate::bindings`]).

use pactum::check::Report;
use pactum::diff::Comparison;
use pactum::library::MovedAside;
use pactum::preferences::Preferences;
use pactum::record::{
    AgreementId, AgreementSummary, ListPage, ListQuery, SaveOutcome, SearchHit, Status, VersionInfo,
};
use pactum::store::PermissionsTightened;
use pactum::template::TemplateInfo;
use pactum::{Agreement, Language};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::closing::CloseGate;
use crate::database::Database;
use crate::error::CommandError;
use crate::files;

/// An agreement as JSON, as the UI sends a draft: the engine reads it itself
/// (`Library::save_draft_value`) so that every bad field is reported with its path instead of
/// the first one failing the command's arguments. A draft in the editor may hold typed text
/// that does not parse yet ("4 x" as a resolution time); typed values are strings in
/// TypeScript anyway, so the value has the generated `Agreement` type there — the shape the
/// engine serializes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AgreementJson(pub serde_json::Value);

impl specta::Type for AgreementJson {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        <Agreement as specta::Type>::definition(types)
    }
}

/// An agreement's draft as the editor receives it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DraftView {
    pub summary: AgreementSummary,
    /// Counts every write of the draft.
    pub revision: u32,
    pub agreement: Agreement,
}

/// Which database the app has open.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DatabaseInfo {
    /// Path of the database file; `None` when no path could be determined (every other
    /// command then reports why).
    pub path: Option<String>,
    /// Set when the file was damaged and the engine moved it aside and started a new one.
    pub moved_aside: Option<MovedAside>,
    /// Set when other local users could read the file (and its sealed keys) and opening made
    /// it readable by its owner only.
    pub permissions_tightened: Option<PermissionsTightened>,
}

impl DatabaseInfo {
    pub fn of(database: &Database) -> DatabaseInfo {
        DatabaseInfo {
            path: database.path().map(|p| p.display().to_string()),
            moved_aside: database.moved_aside().cloned(),
            permissions_tightened: database.permissions_tightened().cloned(),
        }
    }
}

/// One page of the agreement library, filtered and sorted as `query` asks.
#[tauri::command]
#[specta::specta]
pub async fn list_agreements(
    database: State<'_, Database>,
    query: ListQuery,
) -> Result<ListPage, CommandError> {
    Ok(database.library()?.list(&query)?)
}

/// The path of the open database and whether a damaged file was moved aside.
#[tauri::command]
#[specta::specta]
pub fn database_info(database: State<'_, Database>) -> DatabaseInfo {
    DatabaseInfo::of(&database)
}

/// Stores the user's display preferences (language, theme) in the library's database and
/// returns them as stored: the choice is durable when this answers.
#[tauri::command]
#[specta::specta]
pub async fn set_preferences(
    database: State<'_, Database>,
    preferences: Preferences,
) -> Result<Preferences, CommandError> {
    Ok(database.library()?.set_preferences(&preferences)?)
}

/// The built-in templates a new agreement can start from.
#[tauri::command]
#[specta::specta]
pub fn templates() -> Vec<TemplateInfo> {
    pactum::template::templates()
}

/// Creates a draft from a template; `title` and `language` override the template's.
#[tauri::command]
#[specta::specta]
pub async fn create_agreement(
    database: State<'_, Database>,
    template: String,
    title: Option<String>,
    language: Option<Language>,
) -> Result<AgreementId, CommandError> {
    Ok(database
        .library()?
        .create(&template, title.as_deref(), language)?)
}

/// The current draft of an agreement.
#[tauri::command]
#[specta::specta]
pub async fn get_draft(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<DraftView, CommandError> {
    let draft = database.library()?.draft(id)?;
    Ok(DraftView {
        summary: draft.summary,
        revision: draft.revision,
        agreement: draft.agreement,
    })
}

/// Saves the draft over `expected_revision`, the revision the editor last loaded or saved.
/// The engine reads the JSON and validates it once before anything is written, reporting
/// every problem at its path from `$` (the draft sent: `$.title`); when the draft was saved elsewhere since (another window, the command
/// line), nothing is written and the error is `draft_conflict`.
#[tauri::command]
#[specta::specta]
pub async fn save_draft(
    database: State<'_, Database>,
    id: AgreementId,
    agreement: AgreementJson,
    expected_revision: u32,
) -> Result<SaveOutcome, CommandError> {
    Ok(database
        .library()?
        .save_draft_value(id, agreement.0, Some(expected_revision))?)
}

/// Completeness and consistency findings of the current draft.
#[tauri::command]
#[specta::specta]
pub async fn check_agreement(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<Report, CommandError> {
    Ok(database.library()?.check(id)?)
}

/// Full-text search; snippets mark matches with `[` and `]`.
#[tauri::command]
#[specta::specta]
pub async fn search_agreements(
    database: State<'_, Database>,
    query: String,
    limit: u32,
) -> Result<Vec<SearchHit>, CommandError> {
    Ok(database.library()?.search(&query, limit)?)
}

/// Copies an agreement's draft into a new agreement and returns its id.
#[tauri::command]
#[specta::specta]
pub async fn duplicate_agreement(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<AgreementId, CommandError> {
    Ok(database.library()?.duplicate(id)?)
}

/// Archives an agreement; returns its new status.
#[tauri::command]
#[specta::specta]
pub async fn archive_agreement(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<Status, CommandError> {
    Ok(database.library()?.archive(id)?)
}

/// Takes an agreement out of the archive; returns its new status.
#[tauri::command]
#[specta::specta]
pub async fn unarchive_agreement(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<Status, CommandError> {
    Ok(database.library()?.unarchive(id)?)
}

/// Freezes the current draft as a new immutable version with `note`.
#[tauri::command]
#[specta::specta]
pub async fn freeze_agreement(
    database: State<'_, Database>,
    id: AgreementId,
    note: String,
) -> Result<VersionInfo, CommandError> {
    Ok(database.library()?.freeze(id, &note)?)
}

/// The frozen versions of an agreement, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn list_versions(
    database: State<'_, Database>,
    id: AgreementId,
) -> Result<Vec<VersionInfo>, CommandError> {
    Ok(database.library()?.versions(id)?)
}

/// A frozen version as the read-only view receives it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct VersionView {
    pub info: VersionInfo,
    pub agreement: Agreement,
}

/// What a template contains (the agreement a new draft would start with), for the preview in
/// the New agreement dialog.
#[tauri::command]
#[specta::specta]
pub fn template_preview(template: String) -> Result<Agreement, CommandError> {
    Ok(pactum::template::instantiate(&template)?)
}

/// A frozen version with its content; the engine re-checks its hash.
#[tauri::command]
#[specta::specta]
pub async fn get_version(
    database: State<'_, Database>,
    id: AgreementId,
    number: u32,
) -> Result<VersionView, CommandError> {
    let version = database.library()?.version(id, number)?;
    Ok(VersionView {
        info: version.info,
        agreement: version.agreement,
    })
}

/// Compares version `from` with version `to`, or with the current draft when `to` is `None`.
#[tauri::command]
#[specta::specta]
pub async fn compare_versions(
    database: State<'_, Database>,
    id: AgreementId,
    from: u32,
    to: Option<u32>,
) -> Result<Comparison, CommandError> {
    let library = database.library()?;
    Ok(match to {
        Some(to) => library.diff(id, from, to)?,
        None => library.diff_draft(id, from)?,
    })
}

/// Asks for an interchange file with the native open dialog and imports it as a new draft.
/// `None` when the dialog was cancelled. The engine validates the whole file first; a refused
/// file writes nothing and its `problems` carry JSON paths.
#[tauri::command]
#[specta::specta]
pub async fn import_agreement(
    database: State<'_, Database>,
    app: tauri::AppHandle,
) -> Result<Option<AgreementId>, CommandError> {
    let library = database.library()?;
    let Some(path) = files::pick_import(&app) else {
        return Ok(None);
    };
    let bytes = files::read_limited(&path)?;
    Ok(Some(library.import(&bytes)?))
}

/// Asks where to save with the native save dialog and writes the agreement's interchange file
/// there (atomically: a temporary file, fsync, rename). Returns the path, `None` if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_agreement(
    database: State<'_, Database>,
    app: tauri::AppHandle,
    id: AgreementId,
    suggested_name: String,
) -> Result<Option<String>, CommandError> {
    let json = database.library()?.export(id)?;
    let Some(path) = files::pick_export(&app, &suggested_name) else {
        return Ok(None);
    };
    files::write_atomically(&path, json.as_bytes())?;
    Ok(Some(path.display().to_string()))
}

/// The UI has saved every pending edit after a close request: the window may go now.
#[tauri::command]
#[specta::specta]
pub fn ready_to_close(gate: State<'_, CloseGate>) {
    gate.open();
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_draft_survives_the_trip_through_json() {
        let dir = tempfile::tempdir().unwrap();
        let opened = pactum::Library::open(&dir.path().join("pactum.db")).unwrap();
        let library = opened.library;
        let id = library
            .create("it-support-de", Some("Müller"), None)
            .unwrap();
        let draft = library.draft(id).unwrap();
        let json = serde_json::to_value(&draft.agreement).unwrap();
        let back = pactum::interchange::agreement_from_value(json, "$").unwrap();
        assert_eq!(back, draft.agreement);
        assert!(!library.save_draft(id, &back).unwrap().changed);
    }
}
