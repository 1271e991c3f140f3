//! The files the user picks: the native open, save and folder dialogs (tauri-plugin-dialog,
//! shown from Rust so the UI never names a path), and the reads and writes of what they chose,
//! which are the engine's ([`pactum::file`]: a size limit, atomic writes) with its error codes.
//!
//! Test hook: when `PACTUM_TEST_DIALOG_PATH` is set, every dialog is skipped and that path is
//! the user's answer (WebDriver cannot drive a native dialog); a save dialog hooked to an
//! existing folder answers with the suggested file name inside it, a folder dialog hooked to a
//! file with the folder the file is in, so one end-to-end run can save single files and bulk
//! exports. The end-to-end test sets it; nothing else should. `answer` is the one place that
//! reads it.

use std::path::{Path, PathBuf};

use pactum::interchange::MAX_FILE_BYTES;
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

use crate::error::CommandError;

/// The environment variable of the test hook.
pub const TEST_DIALOG_PATH: &str = "PACTUM_TEST_DIALOG_PATH";

/// What a dialog asks the user for, which decides how the test hook's path answers it.
enum Asked<'a> {
    /// An existing file to read.
    File,
    /// Where to save; a hooked folder answers with `suggested_name` inside it.
    SaveAs { suggested_name: &'a str },
    /// A folder; a hooked file answers with the folder it is in.
    Folder,
}

/// The user's answer to a dialog: the test hook's path when it is set, otherwise what `show`
/// (the native dialog, blocking) returns. `None` when the user cancelled.
fn answer(
    app: &tauri::AppHandle,
    asked: Asked<'_>,
    show: impl FnOnce(FileDialogBuilder<tauri::Wry>) -> Option<FilePath>,
) -> Option<PathBuf> {
    let hooked = std::env::var_os(TEST_DIALOG_PATH)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from);
    let Some(path) = hooked else {
        return show(app.dialog().file()).and_then(|file| file.into_path().ok());
    };
    Some(match asked {
        Asked::File => path,
        Asked::SaveAs { suggested_name } if path.is_dir() => path.join(suggested_name),
        Asked::SaveAs { .. } => path,
        Asked::Folder if path.is_dir() => path,
        Asked::Folder => path.parent().map(PathBuf::from).unwrap_or(path),
    })
}

/// The file the user chose to import, `None` if they cancelled.
pub fn pick_import(app: &tauri::AppHandle) -> Option<PathBuf> {
    answer(app, Asked::File, |dialog| {
        dialog
            .add_filter("Pactum JSON", &["json"])
            .blocking_pick_file()
    })
}

/// Where the user chose to save an export, `None` if they cancelled.
pub fn pick_export(app: &tauri::AppHandle, suggested_name: &str) -> Option<PathBuf> {
    pick_save(app, "Pactum JSON", &["json"], suggested_name)
}

/// Where the user chose to save a file of the kind `filter` names (with these `extensions`),
/// `None` if they cancelled.
pub fn pick_save(
    app: &tauri::AppHandle,
    filter: &str,
    extensions: &[&str],
    suggested_name: &str,
) -> Option<PathBuf> {
    answer(app, Asked::SaveAs { suggested_name }, |dialog| {
        dialog
            .add_filter(filter, extensions)
            .set_file_name(suggested_name)
            .blocking_save_file()
    })
}

/// The folder the user chose, `None` if they cancelled.
pub fn pick_folder(app: &tauri::AppHandle) -> Option<PathBuf> {
    answer(app, Asked::Folder, |dialog| dialog.blocking_pick_folder())
}

/// Reads a file the user picked, refusing one larger than an interchange file may be before
/// reading it whole (`too_large`; `io` when it cannot be read).
pub fn read_limited(path: &Path) -> Result<Vec<u8>, CommandError> {
    Ok(pactum::file::read_limited(path, MAX_FILE_BYTES as u64)?)
}

/// Writes `bytes` to `path` so that the file is either the old one or the complete new one
/// ([`pactum::file::write_atomically`]; `io` when it cannot be written).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CommandError> {
    Ok(pactum::file::write_atomically(path, bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sla.json");
        fs::write(&path, b"old").unwrap();
        write_atomically(&path, b"new content").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new content");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn atomic_write_into_a_missing_folder_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomically(&dir.path().join("missing/sla.json"), b"x").unwrap_err();
        assert_eq!(err.code, "io");
    }

    #[test]
    fn oversized_files_are_refused_before_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        fs::write(&path, vec![b' '; MAX_FILE_BYTES + 10]).unwrap();
        assert_eq!(read_limited(&path).unwrap_err().code, "too_large");
    }
}
