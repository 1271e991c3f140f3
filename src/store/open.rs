//! Opening a database: the schema's numbered migrations, refusing a database from a newer
//! Pactum, moving a file that is not a Pactum database (or fails the integrity check) aside,
//! making the files private to their owner, and the connection settings every write relies
//! on (WAL, `synchronous = FULL`, the busy timeout, foreign keys).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use serde::Serialize;

use super::Store;
use crate::{Error, Result};

/// `PRAGMA application_id` of a Pactum database ('PACT').
pub const APPLICATION_ID: i32 = 0x5041_4354;

const MIGRATION_SQL: &[&str] = &[
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0002_versions_refuse_replace.sql"),
    include_str!("../../migrations/0003_signing.sql"),
    include_str!("../../migrations/0004_versions_metadata_index.sql"),
    include_str!("../../migrations/0005_amendments_metadata_index.sql"),
    include_str!("../../migrations/0006_concurrent_amendments.sql"),
    include_str!("../../migrations/0007_identity_key_decisions.sql"),
    include_str!("../../migrations/0008_preferences.sql"),
];

/// The numbered migrations, oldest first. Append only: never edit a released one.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect())
}

/// Schema version this build writes.
pub fn schema_version() -> i64 {
    MIGRATION_SQL.len() as i64
}

/// Largest part of the database file read through a memory map.
const MMAP_BYTES: i64 = 256 * 1024 * 1024;

/// Databases up to this size get a full `quick_check` on open.
const FULL_CHECK_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// How long a writer waits for another process (the CLI next to the app) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A damaged or foreign file that was renamed so a fresh database could take its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MovedAside {
    pub original: PathBuf,
    pub moved_to: PathBuf,
    /// Why the file was not usable, in English.
    pub reason: String,
}

/// Files of the database (itself, `-wal`, `-shm`) that other local users could read and that
/// opening made private to their owner (Unix: group and others lose all access, so `0644`
/// becomes `0600`). Reported like [`MovedAside`], so front ends can show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PermissionsTightened {
    pub files: Vec<TightenedFile>,
}

/// One file whose permissions were tightened: its mode before and after (`0o644` → `0o600`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TightenedFile {
    pub path: PathBuf,
    pub mode_before: u32,
    pub mode_after: u32,
}

impl std::fmt::Display for PermissionsTightened {
    /// One English sentence for the CLI, e.g. "other local users could read /x/pactum.db
    /// (mode 0644); it is now readable by its owner only (mode 0600)".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files: Vec<String> = self
            .files
            .iter()
            .map(|t| format!("{} (mode {:04o})", t.path.display(), t.mode_before))
            .collect();
        let after: Vec<String> = self
            .files
            .iter()
            .map(|t| format!("{:04o}", t.mode_after))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        write!(
            f,
            "other local users could read {}; {} now readable by the owner only (mode {})",
            files.join(", "),
            if self.files.len() == 1 {
                "it is"
            } else {
                "they are"
            },
            after.join(", ")
        )
    }
}

/// What opening did besides opening: the file moved aside, the permissions tightened.
pub(crate) struct Opening {
    pub moved_aside: Option<MovedAside>,
    pub permissions_tightened: Option<PermissionsTightened>,
}

/// Database files readable by their owner only (Unix; elsewhere the folder's ACLs decide and
/// these do nothing).
mod private {
    use std::path::{Path, PathBuf};

    use super::{PermissionsTightened, TightenedFile};
    use crate::{Error, Result};

    /// Creates missing folders, on Unix with mode 0700.
    pub fn create_dir_all(dir: &Path) -> std::io::Result<()> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)
    }

    /// Creates `path` empty with mode 0600 unless something is there already (an empty file
    /// is a fresh database to SQLite).
    pub fn create_file(path: &Path) -> Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(Error::io(format!("cannot create {}", path.display()), e)),
        }
    }

    /// Takes group's and others' access away from the database file and its `-wal`/`-shm`,
    /// where they have any; reports the files changed.
    #[cfg(unix)]
    pub fn tighten(path: &Path) -> Result<Option<PermissionsTightened>> {
        use std::os::unix::fs::PermissionsExt;
        let mut files = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            let meta = match std::fs::metadata(&file) {
                Ok(m) if m.is_file() => m,
                Ok(_) => continue, // a folder in its place is refused when opening
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Error::io(format!("cannot read {}", file.display()), e)),
            };
            let before = meta.permissions().mode() & 0o7777;
            if before & 0o077 == 0 {
                continue;
            }
            let after = before & 0o700;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(after)).map_err(
                |e| {
                    Error::io(
                        format!("cannot make {} readable by its owner only", file.display()),
                        e,
                    )
                },
            )?;
            files.push(TightenedFile {
                path: file,
                mode_before: before,
                mode_after: after,
            });
        }
        Ok((!files.is_empty()).then_some(PermissionsTightened { files }))
    }

    #[cfg(not(unix))]
    pub fn tighten(_path: &Path) -> Result<Option<PermissionsTightened>> {
        Ok(None)
    }
}

/// Why opening failed: a file to move aside, or an error to report as is.
enum OpenFailure {
    Unusable(String),
    Fatal(Error),
}

impl From<rusqlite::Error> for OpenFailure {
    fn from(e: rusqlite::Error) -> Self {
        if is_corruption(&e) {
            OpenFailure::Unusable(e.to_string())
        } else {
            OpenFailure::Fatal(e.into())
        }
    }
}

/// Switches to WAL. On a new file, two openers (the app and the CLI) can each hold a shared lock
/// while waiting for the other's, and SQLite then fails one at once instead of calling the busy
/// handler; so this retries for as long as the busy timeout.
fn set_wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

impl Store {
    /// Opens (or creates) the database at `path`, migrating it to the current schema.
    /// Also reports the files it made private to their owner (see [`PermissionsTightened`]).
    pub fn open(path: &Path, now: &str) -> Result<(Store, Opening)> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            private::create_dir_all(parent).map_err(|e| {
                Error::io(format!("cannot create the folder {}", parent.display()), e)
            })?;
        }
        // Before anything reads the file: a damaged one moved aside keeps the sealed keys too,
        // and a newer one that is refused stays as it is apart from its mode.
        let tightened = private::tighten(path)?;
        let (store, moved_aside) = Self::open_or_move_aside(path, now)?;
        Ok((
            store,
            Opening {
                moved_aside,
                permissions_tightened: tightened,
            },
        ))
    }

    fn open_or_move_aside(path: &Path, now: &str) -> Result<(Store, Option<MovedAside>)> {
        match Self::open_checked(path) {
            Ok(store) => Ok((store, None)),
            Err(OpenFailure::Fatal(e)) => Err(e),
            Err(OpenFailure::Unusable(reason)) => {
                let moved_to = move_aside(path, now)?;
                let store = match Self::open_checked(path) {
                    Ok(s) => s,
                    Err(OpenFailure::Fatal(e)) => return Err(e),
                    Err(OpenFailure::Unusable(r)) => {
                        return Err(Error::Corrupt(format!(
                            "a fresh database at {} is unusable: {r}",
                            path.display()
                        )))
                    }
                };
                Ok((
                    store,
                    Some(MovedAside {
                        original: path.to_path_buf(),
                        moved_to,
                        reason,
                    }),
                ))
            }
        }
    }

    fn open_checked(path: &Path) -> Result<Store, OpenFailure> {
        if let Some(reason) = foreign_header(path).map_err(OpenFailure::Fatal)? {
            return Err(OpenFailure::Unusable(reason));
        }
        // SQLite would create the file 0644; made here, it is the owner's alone, and SQLite
        // gives the `-wal` and `-shm` it creates later the database file's mode.
        private::create_file(path).map_err(OpenFailure::Fatal)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the schema is the first thing that touches the file's pages.
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let user_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if tables > 0 && app_id != APPLICATION_ID {
            return Err(OpenFailure::Unusable(format!(
                "the file is an SQLite database of another program (application id {app_id:#x}, {tables} schema entries)"
            )));
        }
        if user_version > schema_version() {
            return Err(OpenFailure::Fatal(Error::SchemaTooNew {
                path: path.to_path_buf(),
                found: user_version,
                supported: schema_version(),
            }));
        }
        // A full page-by-page check costs about a second per few hundred MB, too slow for
        // starting the app on a large library; there, damage found later is reported by the
        // operation that meets it (as `Error::Corrupt`), and nothing is overwritten.
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size <= FULL_CHECK_MAX_BYTES {
            let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            if check != "ok" {
                return Err(OpenFailure::Unusable(format!(
                    "the integrity check failed: {check}"
                )));
            }
        }
        set_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Reads through memory-mapped I/O: verifying a long signed history reads every version's
        // content, and page-by-page `pread` calls cost more than hashing it. Writes are
        // unaffected (SQLite writes through the WAL as before).
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Two processes creating the same new file at once (the app and the CLI) both read
        // schema version 0; the later migration then fails on the tables the first one created.
        // A second attempt reads the version the first one committed and has nothing to do.
        let migrated = migrations()
            .to_latest(&mut conn)
            .or_else(|_| migrations().to_latest(&mut conn));
        migrated.map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } if is_corruption(&err) => {
                OpenFailure::Unusable(err.to_string())
            }
            other => OpenFailure::Fatal(other.into()),
        })?;
        Ok(Store { conn })
    }
}

/// Why the file at `path` is not an SQLite database at all, judged from its first bytes.
fn foreign_header(path: &Path) -> Result<Option<String>> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
    };
    let mut header = [0u8; 100];
    let n = read_up_to(&mut file, &mut header)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if n == 0 {
        return Ok(None); // an empty file becomes a fresh database
    }
    if n < 100 || &header[..16] != b"SQLite format 3\0" {
        return Ok(Some(format!(
            "the file does not start with an SQLite header ({n} bytes read)"
        )));
    }
    let page_size = u32::from(u16::from_be_bytes([header[16], header[17]]));
    let page_size = if page_size == 1 { 65536 } else { page_size };
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Ok(Some(format!(
            "the SQLite header names an impossible page size ({page_size})"
        )));
    }
    Ok(None)
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Renames `path` (and its `-wal`/`-shm` companions) to `<name>.unusable-<time>`; never
/// overwrites an existing file.
fn move_aside(path: &Path, now: &str) -> Result<PathBuf> {
    let stamp: String = now.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pactum.db".into());
    let mut target = path.with_file_name(format!("{name}.unusable-{stamp}"));
    let mut k = 1;
    while target.exists() {
        k += 1;
        target = path.with_file_name(format!("{name}.unusable-{stamp}-{k}"));
    }
    std::fs::rename(path, &target).map_err(|e| {
        Error::io(
            format!("cannot move the unusable database {} aside", path.display()),
            e,
        )
    })?;
    for suffix in ["-wal", "-shm"] {
        let companion = PathBuf::from(format!("{}{suffix}", path.display()));
        if companion.exists() {
            let to = PathBuf::from(format!("{}{suffix}", target.display()));
            std::fs::rename(&companion, &to)
                .map_err(|e| Error::io(format!("cannot move {} aside", companion.display()), e))?;
        }
    }
    Ok(target)
}

// ---------------------------------------------------------------- signing
