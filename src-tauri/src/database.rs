//! The one library database the app has open: which path it is (`--db PATH`, else the
//! engine's default, which honours `PACTUM_DB`) and the outcome of opening it (the engine
//! creates missing folders and moves a damaged file aside).
//!
//! Opening may fail (unreadable folder, a database from a newer Pactum, …). The failure is
//! kept as a [`CommandError`] and returned by every command, so the window shows it instead of
//! the app dying.

use std::ffi::OsString;
use std::path::PathBuf;

use pactum::library::MovedAside;
use pactum::store::PermissionsTightened;
use pactum::{ErrorCode, Library};

use crate::error::CommandError;

/// Picks the database path from the app's command-line arguments (without the program name):
/// `--db PATH` or `--db=PATH`; without one, the engine's default path.
pub fn choose_path(args: impl IntoIterator<Item = OsString>) -> Result<PathBuf, CommandError> {
    let mut args = args.into_iter();
    let mut chosen = None;
    while let Some(arg) = args.next() {
        if arg == "--db" {
            let value = args.next().ok_or_else(|| {
                CommandError::new(ErrorCode::InvalidArguments, "--db needs a path: --db PATH")
            })?;
            chosen = Some(PathBuf::from(value));
        } else if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--db=")) {
            chosen = Some(PathBuf::from(value));
        } else {
            eprintln!(
                "pactum-desktop: ignoring unknown argument {}",
                arg.to_string_lossy()
            );
        }
    }
    match chosen {
        Some(path) if path.as_os_str().is_empty() => Err(CommandError::new(
            ErrorCode::InvalidArguments,
            "--db needs a non-empty path",
        )),
        Some(path) => Ok(path),
        None => pactum::library::default_db_path().map_err(CommandError::from),
    }
}

/// The database the app works on, kept in Tauri's managed state for the app's lifetime.
pub struct Database {
    path: Option<PathBuf>,
    library: Result<Library, CommandError>,
    moved_aside: Option<MovedAside>,
    permissions_tightened: Option<PermissionsTightened>,
}

impl Database {
    /// Opens the database at `path`, or keeps the reason why there is none.
    pub fn open(path: Result<PathBuf, CommandError>) -> Database {
        let path = match path {
            Ok(path) => path,
            Err(err) => {
                return Database {
                    path: None,
                    library: Err(err),
                    moved_aside: None,
                    permissions_tightened: None,
                }
            }
        };
        match Library::open(&path) {
            Ok(opened) => Database {
                path: Some(path),
                library: Ok(opened.library),
                moved_aside: opened.moved_aside,
                permissions_tightened: opened.permissions_tightened,
            },
            Err(err) => Database {
                path: Some(path),
                library: Err(err.into()),
                moved_aside: None,
                permissions_tightened: None,
            },
        }
    }

    /// The open library, or why it could not be opened.
    pub fn library(&self) -> Result<&Library, CommandError> {
        self.library.as_ref().map_err(Clone::clone)
    }

    pub fn path(&self) -> Option<&PathBuf> {
        self.path.as_ref()
    }

    /// Set when the file at the path was damaged and the engine moved it aside to start anew.
    pub fn moved_aside(&self) -> Option<&MovedAside> {
        self.moved_aside.as_ref()
    }

    /// Set when other local users could read the file and opening made it private.
    pub fn permissions_tightened(&self) -> Option<&PermissionsTightened> {
        self.permissions_tightened.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn db_argument_wins_in_both_spellings() {
        assert_eq!(
            choose_path(args(&["--db", "/tmp/a.db"])).unwrap(),
            PathBuf::from("/tmp/a.db")
        );
        assert_eq!(
            choose_path(args(&["--db=/tmp/b.db"])).unwrap(),
            PathBuf::from("/tmp/b.db")
        );
    }

    #[test]
    fn db_argument_without_a_path_is_an_error() {
        assert_eq!(
            choose_path(args(&["--db"])).unwrap_err().code,
            "invalid_arguments"
        );
        assert_eq!(
            choose_path(args(&["--db="])).unwrap_err().code,
            "invalid_arguments"
        );
    }

    #[test]
    fn unopenable_database_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        // A plain file where the database's folder should be.
        std::fs::write(dir.path().join("file"), b"not a folder").unwrap();
        let path = dir.path().join("file/pactum.db");
        let database = Database::open(Ok(path.clone()));
        assert_eq!(database.path(), Some(&path));
        assert_eq!(
            database.library().err().map(|e| e.code),
            Some(ErrorCode::Io)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_database_others_could_read_is_made_private_and_reported_to_the_ui() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pactum.db");
        drop(Database::open(Ok(path.clone())));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let database = Database::open(Ok(path.clone()));
        let info = crate::commands::DatabaseInfo::of(&database);
        let tightened = info
            .permissions_tightened
            .expect("the window learns that the file was readable by others");
        assert_eq!(
            (
                tightened.files[0].mode_before,
                tightened.files[0].mode_after
            ),
            (0o644, 0o600),
            "the notice names both modes"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn damaged_file_is_moved_aside_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pactum.db");
        std::fs::write(
            &path,
            b"this is not an SQLite database, it only pretends to be one",
        )
        .unwrap();
        let database = Database::open(Ok(path.clone()));
        assert!(database.library().is_ok(), "{:?}", database.library().err());
        let moved = database
            .moved_aside()
            .expect("the damaged file is moved aside");
        assert_eq!(moved.original, path);
        assert!(moved.moved_to.exists());
    }

    #[test]
    fn missing_folders_are_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/deeper/pactum.db");
        let database = Database::open(Ok(path.clone()));
        assert!(path.parent().unwrap().is_dir());
        assert!(database.library().is_ok(), "{:?}", database.library().err());
    }
}
