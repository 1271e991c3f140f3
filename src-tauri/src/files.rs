//! The interchange files the user picks: the native open and save dialogs
//! (tauri-plugin-dialog, shown from Rust so the UI never names a path), reading with a size
//! limit, and writing atomically.
//!
//! Test hook: when `PACTUM_TEST_DIALOG_PATH` is set, both dialogs are skipped and that path is
//! the user's answer (WebDriver cannot drive a native dialog). The end-to-end test sets it;
//! nothing else should.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use pactum::interchange::MAX_FILE_BYTES;
use pactum::ErrorCode;
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;

/// The environment variable of the test hook.
pub const TEST_DIALOG_PATH: &str = "PACTUM_TEST_DIALOG_PATH";

fn test_answer() -> Option<PathBuf> {
    std::env::var_os(TEST_DIALOG_PATH)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

/// The file the user chose to import, `None` if they cancelled.
pub fn pick_import(app: &tauri::AppHandle) -> Option<PathBuf> {
    if let Some(path) = test_answer() {
        return Some(path);
    }
    app.dialog()
        .file()
        .add_filter("Pactum JSON", &["json"])
        .blocking_pick_file()
        .and_then(|file| file.into_path().ok())
}

/// Where the user chose to save an export, `None` if they cancelled.
pub fn pick_export(app: &tauri::AppHandle, suggested_name: &str) -> Option<PathBuf> {
    if let Some(path) = test_answer() {
        return Some(path);
    }
    app.dialog()
        .file()
        .add_filter("Pactum JSON", &["json"])
        .set_file_name(suggested_name)
        .blocking_save_file()
        .and_then(|file| file.into_path().ok())
}

fn io_error(context: String, err: std::io::Error) -> CommandError {
    CommandError::new(ErrorCode::Io, format!("{context}: {err}"))
}

/// Reads a file the user picked, refusing one larger than an interchange file may be before
/// reading it whole.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, CommandError> {
    let file =
        File::open(path).map_err(|e| io_error(format!("cannot open {}", path.display()), e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(format!("cannot read {}", path.display()), e))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CommandError::new(
            ErrorCode::TooLarge,
            format!("{} is larger than {MAX_FILE_BYTES} bytes", path.display()),
        ));
    }
    Ok(bytes)
}

/// Writes `bytes` to `path` so that the file is either the old one or the complete new one:
/// a temporary file in the same folder, fsync, rename, fsync of the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CommandError> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        CommandError::new(ErrorCode::Io, format!("{} names no file", path.display()))
    })?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    let temporary = folder.join(temporary_name);
    let written = (|| {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)?;
        // The rename is durable once the folder is synced (not possible everywhere; best effort).
        if let Ok(dir) = File::open(folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    written.map_err(|e: std::io::Error| {
        let _ = fs::remove_file(&temporary);
        io_error(format!("cannot write {}", path.display()), e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
