//! The SQLite store: the only module that touches SQLite.
//!
//! It owns the schema (numbered migrations in `migrations/`), opening a database safely, and
//! the rows: agreements with their mutable draft and list columns, immutable versions, status
//! changes and the full-text index. It knows nothing of agreement content beyond the strings
//! the library hands it; validation and canonicalisation happen before a call reaches here.
//!
//! Invariants:
//! - a database written by a newer Pactum is refused, never migrated down or touched (only
//!   group's and others' access to it is taken away, see below);
//! - a file that is not a Pactum database, or is damaged, is renamed aside with a timestamp and
//!   reported; it is never deleted or overwritten;
//! - the database and its `-wal`/`-shm` are readable by their owner only (Unix: created 0600,
//!   new folders 0700); opening takes group's and others' access away from existing files and
//!   reports it ([`PermissionsTightened`]), since the file holds the sealed private keys;
//! - versions are never updated or deleted: there is no code path for it, and triggers in the
//!   schema abort any statement that tries;
//! - every write runs in one `BEGIN IMMEDIATE` transaction with `synchronous = FULL`, so a
//!   call that returned is on disk, and a crash leaves either all or nothing of it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use serde::Serialize;

use crate::record::{
    AgreementId, AgreementSummary, ListPage, ListQuery, SaveOutcome, SearchHit, SortKey, Status,
    VersionInfo,
};
use crate::signing::history::{AmendmentRow, CardRow, HistoryRows, SignatureRow, VersionRow};
use crate::{Error, Language, Result};

/// `PRAGMA application_id` of a Pactum database ('PACT').
pub const APPLICATION_ID: i32 = 0x5041_4354;

const MIGRATION_SQL: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_versions_refuse_replace.sql"),
    include_str!("../migrations/0003_signing.sql"),
    include_str!("../migrations/0004_versions_metadata_index.sql"),
    include_str!("../migrations/0005_amendments_metadata_index.sql"),
    include_str!("../migrations/0006_concurrent_amendments.sql"),
    include_str!("../migrations/0007_identity_key_decisions.sql"),
    include_str!("../migrations/0008_preferences.sql"),
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

/// Everything written when an agreement row changes: the draft and what the list shows of it.
pub(crate) struct DraftRow<'a> {
    pub title: &'a str,
    pub customer: &'a str,
    pub provider: &'a str,
    pub language: Language,
    pub draft: &'a str,
    pub draft_hash: &'a str,
    pub completeness: u8,
    pub open_errors: u32,
    /// Text for the full-text index.
    pub parties: &'a str,
    pub body: &'a str,
}

/// An agreement's draft as a freeze reads it, inside the freeze's transaction.
pub(crate) struct FreezingDraft {
    pub status: Status,
    /// The newest version (the one in review while the status is `in_review`).
    pub current_version: Option<u32>,
    /// The stored draft: canonical JSON.
    pub draft: String,
}

/// A stored draft as read back.
pub(crate) struct StoredDraft {
    pub draft: String,
    pub revision: u32,
}

pub(crate) struct Store {
    conn: Connection,
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

    fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    // ------------------------------------------------------------ agreements

    pub fn insert_agreement(
        &mut self,
        row: &DraftRow<'_>,
        template: &str,
        now: &str,
    ) -> Result<AgreementId> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO agreements (uid, title, customer, provider, language, status, template, draft,
                     draft_hash, revision, completeness, open_errors, created_at, updated_at)
                 VALUES (?11, ?1, ?2, ?3, ?4, 'draft', ?5, ?6, ?7, 1, ?8, ?9, ?10, ?10)",
                params![
                    row.title,
                    row.customer,
                    row.provider,
                    row.language.code(),
                    template,
                    row.draft,
                    row.draft_hash,
                    row.completeness,
                    row.open_errors,
                    now,
                    uuid::Uuid::new_v4().to_string()
                ],
            )?;
            let id = tx.last_insert_rowid();
            index(tx, id, row)?;
            Ok(AgreementId(id))
        })
    }

    pub fn load_draft(&self, id: AgreementId) -> Result<StoredDraft> {
        self.conn
            .query_row(
                "SELECT draft, revision FROM agreements WHERE id = ?1",
                [id.0],
                |r| {
                    Ok(StoredDraft {
                        draft: r.get(0)?,
                        revision: r.get(1)?,
                    })
                },
            )
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))
    }

    /// Replaces the draft unless its hash is unchanged. Only drafts of agreements in the
    /// `draft` status (or in force, where the draft is the next amendment's working copy) can
    /// be edited. With `expected_revision`, a draft stored at any other revision is not
    /// replaced ([`Error::DraftConflict`]): someone else saved it since the caller read it. An
    /// unchanged draft is no conflict: it returns the stored revision and writes nothing.
    pub fn save_draft(
        &mut self,
        id: AgreementId,
        row: &DraftRow<'_>,
        expected_revision: Option<u32>,
        now: &str,
    ) -> Result<SaveOutcome> {
        self.write(|tx| {
            let (hash, revision, status): (String, u32, String) = tx
                .query_row(
                    "SELECT draft_hash, revision, status FROM agreements WHERE id = ?1",
                    [id.0],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
                .ok_or(Error::AgreementNotFound(id.0))?;
            let status = parse_status(&status)?;
            if hash == row.draft_hash {
                return Ok(SaveOutcome {
                    changed: false,
                    revision,
                });
            }
            // While an agreement is in force, its draft is the working copy for the next
            // amendment (freezing it is refused; it is proposed as an amendment instead).
            if status != Status::Draft && status != Status::InForce {
                return Err(Error::NotAllowed(format!(
                    "agreement {id} is {status}; only a draft can be edited"
                )));
            }
            if let Some(expected) = expected_revision.filter(|e| *e != revision) {
                return Err(Error::DraftConflict {
                    agreement: id.0,
                    expected,
                    actual: revision,
                });
            }
            write_draft(tx, id, row, now)?;
            Ok(SaveOutcome {
                changed: true,
                revision: revision + 1,
            })
        })
    }

    pub fn summary(&self, id: AgreementId) -> Result<AgreementSummary> {
        self.conn
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS} FROM agreements WHERE id = ?1"),
                [id.0],
                summary_row,
            )
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))?
    }

    pub fn list(&self, q: &ListQuery) -> Result<ListPage> {
        let (filter, status): (&str, Option<&str>) = match q.status {
            Some(s) => ("status = ?1", Some(s.key())),
            None => ("status <> 'archived' AND ?1 IS NULL", None),
        };
        let order = match q.sort {
            SortKey::Title => "title COLLATE NOCASE",
            SortKey::Customer => "customer COLLATE NOCASE",
            // Life-cycle order, not alphabetical.
            SortKey::Status => {
                "CASE status WHEN 'draft' THEN 0 WHEN 'in_review' THEN 1 WHEN 'in_force' THEN 2
                 WHEN 'superseded' THEN 3 ELSE 4 END"
            }
            SortKey::UpdatedAt => "updated_at",
            SortKey::Completeness => "completeness",
            SortKey::OpenErrors => "open_errors",
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let total: u32 = self.conn.query_row(
            &format!("SELECT count(*) FROM agreements WHERE {filter}"),
            [status],
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM agreements WHERE {filter}
             ORDER BY {order} {dir}, id {dir} LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![status, q.limit, q.offset], summary_row)?;
        let mut items = Vec::new();
        for row in rows {
            items.push(row??);
        }
        Ok(ListPage { total, items })
    }

    pub fn set_status(&mut self, id: AgreementId, to: Status, now: &str) -> Result<Status> {
        self.write(|tx| {
            let (from, before): (String, Option<String>) = tx
                .query_row(
                    "SELECT status, status_before_archive FROM agreements WHERE id = ?1",
                    [id.0],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or(Error::AgreementNotFound(id.0))?;
            let from = parse_status(&from)?;
            // Unarchiving returns to the status the agreement had before.
            let to = if from == Status::Archived && to != Status::Archived {
                before.as_deref().map(parse_status).transpose()?.unwrap_or(Status::Draft)
            } else {
                to
            };
            if from == to {
                return Ok(from);
            }
            if from != Status::Archived && !from.can_become(to) {
                return Err(Error::NotAllowed(format!("agreement {id} cannot go from {from} to {to}")));
            }
            let before = (to == Status::Archived).then(|| from.key());
            tx.execute(
                "UPDATE agreements SET status = ?2, status_before_archive = ?3, updated_at = ?4 WHERE id = ?1",
                params![id.0, to.key(), before, now],
            )?;
            tx.execute(
                "INSERT INTO status_changes (agreement_id, at, from_status, to_status) VALUES (?1, ?2, ?3, ?4)",
                params![id.0, now, from.key(), to.key()],
            )?;
            Ok(to)
        })
    }

    // ------------------------------------------------------------ versions

    /// Freezes the draft of `id` into its next version, in one immediate transaction: the
    /// draft, the status, the version number, the previous hash and the time are all read or
    /// decided inside it, so a writer next to this one (the app and the command line) cannot
    /// slip a change in between. `content_of` checks the status and turns the stored draft
    /// into the version's canonical content and hash; `created_at` gets the previous version's
    /// time (if any) and returns the new version's.
    pub fn freeze(
        &mut self,
        id: AgreementId,
        note: &str,
        content_of: impl FnOnce(&FreezingDraft) -> Result<(String, String)>,
        created_at: impl FnOnce(Option<&str>) -> String,
    ) -> Result<VersionInfo> {
        self.write(|tx| {
            let draft = tx
                .query_row(
                    "SELECT status, current_version, draft FROM agreements WHERE id = ?1",
                    [id.0],
                    |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
                .ok_or(Error::AgreementNotFound(id.0))?;
            let draft = FreezingDraft {
                status: parse_status(&draft.0)?,
                current_version: draft.1,
                draft: draft.2,
            };
            let (content, hash) = content_of(&draft)?;
            let last: Option<(u32, String, String)> = tx
                .query_row(
                    "SELECT number, hash, created_at FROM versions WHERE agreement_id = ?1 ORDER BY number DESC LIMIT 1",
                    [id.0],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((n, last_hash, _)) = &last {
                if *last_hash == hash {
                    return Err(Error::NotAllowed(format!(
                        "the draft of agreement {id} is identical to version {n}; change something before freezing"
                    )));
                }
            }
            let now = created_at(last.as_ref().map(|(_, _, at)| at.as_str()));
            let number = last.as_ref().map_or(1, |(n, _, _)| n + 1);
            let previous_hash = last.map(|(_, h, _)| h);
            tx.execute(
                "INSERT INTO versions (agreement_id, number, content, hash, previous_hash, note, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id.0, number, content, hash, previous_hash, note, now],
            )?;
            tx.execute(
                "UPDATE agreements SET current_version = ?2, updated_at = ?3 WHERE id = ?1",
                params![id.0, number, now],
            )?;
            Ok(VersionInfo { agreement: id, number, hash, previous_hash, note: note.to_string(), created_at: now })
        })
    }

    pub fn versions(&self, id: AgreementId) -> Result<Vec<VersionInfo>> {
        self.summary(id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT number, hash, previous_hash, note, created_at FROM versions
             WHERE agreement_id = ?1 ORDER BY number",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok(VersionInfo {
                agreement: id,
                number: r.get(0)?,
                hash: r.get(1)?,
                previous_hash: r.get(2)?,
                note: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A version's metadata and its stored canonical content, exactly as written.
    pub fn version(&self, id: AgreementId, number: u32) -> Result<(VersionInfo, String)> {
        self.conn
            .query_row(
                "SELECT hash, previous_hash, note, created_at, content FROM versions
                 WHERE agreement_id = ?1 AND number = ?2",
                params![id.0, number],
                |r| {
                    Ok((
                        VersionInfo {
                            agreement: id,
                            number,
                            hash: r.get(0)?,
                            previous_hash: r.get(1)?,
                            note: r.get(2)?,
                            created_at: r.get(3)?,
                        },
                        r.get(4)?,
                    ))
                },
            )
            .optional()?
            .ok_or(Error::VersionNotFound {
                agreement: id.0,
                version: number,
            })
    }

    // ------------------------------------------------------------ search

    /// The stored display preferences as (name, value) pairs; see [`crate::preferences`].
    pub fn preferences(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, value FROM preferences ORDER BY name")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces the display preferences in one transaction: a `None` value removes the row
    /// (the preference then follows the system).
    pub fn put_preferences(&mut self, values: &[(&str, Option<&str>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (name, value) in values {
            match value {
                Some(value) => tx.execute(
                    "INSERT INTO preferences (name, value) VALUES (?1, ?2) \
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, value),
                )?,
                None => tx.execute("DELETE FROM preferences WHERE name = ?1", [name])?,
            };
        }
        tx.commit()?;
        Ok(())
    }

    /// Full-text search; `query` is plain words (each a prefix), not FTS syntax.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            // FTS5 ranks and cuts first; only the hits shown are joined to their (large)
            // agreement rows and get a snippet. Ranking weights: title 10, parties 5, body 1.
            "SELECT a.id, a.title, a.customer, a.status, f.snip
             FROM (SELECT rowid, rank, snippet(agreement_fts, -1, '[', ']', '…', 12) AS snip
                   FROM agreement_fts
                   WHERE agreement_fts MATCH ?1 AND rank MATCH 'bm25(10.0, 5.0, 1.0)'
                   ORDER BY rank LIMIT ?2) AS f
             JOIN agreements a ON a.id = f.rowid
             ORDER BY f.rank, a.id",
        )?;
        let rows = stmt.query_map(params![fts, limit], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (id, title, customer, status, snippet) = row?;
            hits.push(SearchHit {
                id: AgreementId(id),
                title,
                customer,
                status: parse_status(&status)?,
                snippet,
            });
        }
        Ok(hits)
    }
}

/// Writes a changed draft (one more revision) and its search index; a draft whose hash is
/// already stored is left as it is.
fn write_draft(
    tx: &rusqlite::Transaction<'_>,
    id: AgreementId,
    row: &DraftRow<'_>,
    now: &str,
) -> Result<()> {
    let changed = tx.execute(
        "UPDATE agreements SET title = ?2, customer = ?3, provider = ?4, language = ?5,
             draft = ?6, draft_hash = ?7, revision = revision + 1, completeness = ?8,
             open_errors = ?9, updated_at = ?10
         WHERE id = ?1 AND draft_hash <> ?7",
        params![
            id.0,
            row.title,
            row.customer,
            row.provider,
            row.language.code(),
            row.draft,
            row.draft_hash,
            row.completeness,
            row.open_errors,
            now
        ],
    )?;
    if changed > 0 {
        index(tx, id.0, row)?;
    }
    Ok(())
}

fn index(tx: &rusqlite::Transaction<'_>, id: i64, row: &DraftRow<'_>) -> Result<()> {
    // Most edits change structured fields only; re-tokenising unchanged text costs more than
    // comparing it.
    let unchanged = tx
        .query_row(
            "SELECT title = ?2 AND parties = ?3 AND body = ?4 FROM agreement_fts WHERE rowid = ?1",
            params![id, row.title, row.parties, row.body],
            |r| r.get::<_, bool>(0),
        )
        .optional()?
        .unwrap_or(false);
    if unchanged {
        return Ok(());
    }
    tx.execute("DELETE FROM agreement_fts WHERE rowid = ?1", [id])?;
    tx.execute(
        "INSERT INTO agreement_fts (rowid, title, parties, body) VALUES (?1, ?2, ?3, ?4)",
        params![id, row.title, row.parties, row.body],
    )?;
    Ok(())
}

/// Turns what a user typed into an FTS5 query: every word quoted, as a prefix, all required.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// SQL condition: version `v` has an approval of every role its agreement's policy requires,
/// each naming `v`'s content hash.
macro_rules! approved_by_every_role {
    () => {
        "NOT EXISTS (SELECT 1 FROM approval_policy p
                     WHERE p.agreement_id = agreements.id AND NOT EXISTS (
                       SELECT 1 FROM signatures s
                       WHERE s.agreement_id = agreements.id AND s.version = v.number
                         AND s.role = p.role AND s.decision = 'approve'
                         AND CASE WHEN json_valid(s.statement)
                                  THEN json_extract(s.statement, '$.content_hash') END = v.hash))"
    };
}

/// The columns of an [`AgreementSummary`]. The status is the stored one checked against the
/// signed history (so the library shows what `history` and `verify` derive): a draft or an
/// agreement in review with a version that approvals of every required role cover shows as
/// in force, and one marked in force whose current version lacks them as in review. The
/// check is structural (roles and content hashes of the stored statements); `verify` also
/// checks each signature and signer. Agreements without approvals cost one index probe.
const SUMMARY_COLUMNS: &str = concat!(
    "id, uid, title, customer, provider, language,
     CASE
       WHEN status IN ('draft', 'in_review')
            AND EXISTS (SELECT 1 FROM signatures s0
                        WHERE s0.agreement_id = agreements.id AND s0.decision = 'approve')
            AND EXISTS (SELECT 1 FROM versions v INDEXED BY versions_metadata
                        WHERE v.agreement_id = agreements.id AND ",
    approved_by_every_role!(),
    ")
         THEN 'in_force'
       WHEN status = 'in_force'
            AND NOT EXISTS (SELECT 1 FROM versions v INDEXED BY versions_metadata
                            WHERE v.agreement_id = agreements.id
                              AND v.number = agreements.current_version AND ",
    approved_by_every_role!(),
    ")
         THEN 'in_review'
       ELSE status
     END,
     template, current_version, updated_at, created_at, completeness, open_errors"
);

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<AgreementSummary>> {
    let language: String = r.get(5)?;
    let status: String = r.get(6)?;
    let built = (|| {
        Ok(AgreementSummary {
            id: AgreementId(r.get(0)?),
            uid: r.get(1)?,
            title: r.get(2)?,
            customer: r.get(3)?,
            provider: r.get(4)?,
            language: language.parse().map_err(Error::Corrupt)?,
            status: parse_status(&status)?,
            template: r.get(7)?,
            current_version: r.get(8)?,
            updated_at: r.get(9)?,
            created_at: r.get(10)?,
            completeness: r.get(11)?,
            open_errors: r.get(12)?,
        })
    })();
    Ok(built)
}

fn parse_status(s: &str) -> Result<Status> {
    s.parse().map_err(Error::Corrupt)
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

/// An own identity's stored key record.
pub(crate) struct KeyRow {
    pub card: CardRow,
    pub sealed: String,
}

/// A transaction for the signing workflow: the library reads the history, decides, and
/// writes through these methods, all inside one `BEGIN IMMEDIATE` transaction.
pub(crate) struct Tx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
}

impl Store {
    /// Runs `f` in one immediate (writing) transaction; nothing is written if it fails.
    pub fn signing_write<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.write(|tx| f(&Tx { tx }))
    }

    /// Runs `f` in one read transaction (a consistent snapshot).
    pub fn signing_read<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&Tx { tx: &tx })?;
        tx.commit()?;
        Ok(out)
    }
}

fn card_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CardRow> {
    Ok(CardRow {
        fingerprint: r.get(0)?,
        card: r.get(1)?,
        own: r.get(2)?,
        trusted: r.get(3)?,
        added_at: r.get(4)?,
    })
}

const CARD_COLUMNS: &str = "fingerprint, card, own, trusted, added_at";

impl Tx<'_> {
    // ---- identities and the trust list

    pub fn cards(&self) -> Result<Vec<CardRow>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {CARD_COLUMNS} FROM identity_cards ORDER BY own DESC, name COLLATE NOCASE, fingerprint"
        ))?;
        let rows = stmt.query_map([], card_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Own identities with their sealed keys.
    pub fn keys(&self) -> Result<Vec<KeyRow>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT c.fingerprint, c.card, c.own, c.trusted, c.added_at, k.sealed
             FROM identity_cards c JOIN identity_keys k ON k.fingerprint = c.fingerprint
             ORDER BY c.name COLLATE NOCASE, c.fingerprint",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(KeyRow {
                card: card_row(r)?,
                sealed: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a card (own or imported) to the trust list; an existing one becomes trusted.
    #[allow(clippy::too_many_arguments)]
    pub fn put_card(
        &self,
        fingerprint: &str,
        public_key: &str,
        name: &str,
        organisation: &str,
        role: &str,
        email: &str,
        card: &str,
        own: bool,
        now: &str,
    ) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT INTO identity_cards (fingerprint, public_key, name, organisation, role, email, card, own, trusted, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)
             ON CONFLICT (fingerprint) DO UPDATE SET trusted = 1 WHERE trusted = 0",
            params![fingerprint, public_key, name, organisation, role, email, card, own, now],
        )?;
        Ok(n > 0)
    }

    pub fn put_key(&self, fingerprint: &str, sealed: &str, now: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO identity_keys (fingerprint, sealed, created_at) VALUES (?1, ?2, ?3)",
            params![fingerprint, sealed, now],
        )?;
        Ok(())
    }

    pub fn replace_key(&self, fingerprint: &str, sealed: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE identity_keys SET sealed = ?2 WHERE fingerprint = ?1",
            params![fingerprint, sealed],
        )?;
        Ok(())
    }

    /// Every recorded decision to trust a further key for a known person:
    /// (fingerprint, known fingerprint, `add`/`replace`, time).
    pub fn key_decisions(&self) -> Result<Vec<(String, String, String, String)>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT fingerprint, known_fingerprint, decision, decided_at FROM identity_key_decisions
             ORDER BY decided_at, fingerprint, known_fingerprint",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that `fingerprint` was trusted as a further key of the person who has
    /// `known_fingerprint`; a repeated decision replaces the earlier one.
    pub fn put_key_decision(
        &self,
        fingerprint: &str,
        known_fingerprint: &str,
        decision: &str,
        now: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO identity_key_decisions (fingerprint, known_fingerprint, decision, decided_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (fingerprint, known_fingerprint) DO UPDATE SET decision = ?3, decided_at = ?4",
            params![fingerprint, known_fingerprint, decision, now],
        )?;
        Ok(())
    }

    /// Removes a card from the trust list (its signatures then no longer count).
    pub fn distrust(&self, fingerprint: &str) -> Result<bool> {
        Ok(self.tx.execute(
            "UPDATE identity_cards SET trusted = 0 WHERE fingerprint = ?1 AND own = 0 AND trusted = 1",
            [fingerprint],
        )? > 0)
    }

    // ---- agreements

    pub fn agreement_by_uid(&self, uid: &str) -> Result<Option<AgreementId>> {
        Ok(self
            .tx
            .query_row("SELECT id FROM agreements WHERE uid = ?1", [uid], |r| {
                r.get(0)
            })
            .optional()?
            .map(AgreementId))
    }

    /// Creates an agreement that came from another database, keeping its uid.
    pub fn insert_agreement_with_uid(
        &self,
        uid: &str,
        row: &DraftRow<'_>,
        now: &str,
    ) -> Result<AgreementId> {
        self.tx.execute(
            "INSERT INTO agreements (uid, title, customer, provider, language, status, template, draft,
                 draft_hash, revision, completeness, open_errors, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'draft', '', ?6, ?7, 1, ?8, ?9, ?10, ?10)",
            params![
                uid,
                row.title,
                row.customer,
                row.provider,
                row.language.code(),
                row.draft,
                row.draft_hash,
                row.completeness,
                row.open_errors,
                now
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        index(self.tx, id, row)?;
        Ok(AgreementId(id))
    }

    /// Replaces the draft with the content of a version that came into force.
    pub fn set_draft(&self, id: AgreementId, row: &DraftRow<'_>, now: &str) -> Result<()> {
        write_draft(self.tx, id, row, now)
    }

    /// Sets the status directly (the workflow decided it from signatures; the schema's trigger
    /// still refuses `in_force` without them) and records the change.
    pub fn set_status(&self, id: AgreementId, to: Status, now: &str) -> Result<()> {
        let from: String = self
            .tx
            .query_row("SELECT status FROM agreements WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))?;
        if from == to.key() {
            return Ok(());
        }
        self.tx.execute(
            "UPDATE agreements SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![id.0, to.key(), now],
        )?;
        self.tx.execute(
            "INSERT INTO status_changes (agreement_id, at, from_status, to_status) VALUES (?1, ?2, ?3, ?4)",
            params![id.0, now, from, to.key()],
        )?;
        Ok(())
    }

    pub fn set_policy(&self, id: AgreementId, roles: &[&str]) -> Result<()> {
        self.tx.execute(
            "DELETE FROM approval_policy WHERE agreement_id = ?1",
            [id.0],
        )?;
        for role in roles {
            self.tx.execute(
                "INSERT INTO approval_policy (agreement_id, role) VALUES (?1, ?2)",
                params![id.0, role],
            )?;
        }
        Ok(())
    }

    // ---- history

    /// Everything about an agreement's signed history; version and amendment contents only
    /// when `with_content` (verification needs them, the workflow does not).
    pub fn history(&self, id: AgreementId, with_content: bool) -> Result<HistoryRows> {
        let (uid, title, status, before, current): (String, String, String, Option<String>, Option<u32>) = self
            .tx
            .query_row(
                "SELECT uid, title, status, status_before_archive, current_version FROM agreements WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?
            .ok_or(Error::AgreementNotFound(id.0))?;
        let mut stmt = self.tx.prepare_cached(
            "SELECT role FROM approval_policy WHERE agreement_id = ?1 ORDER BY role",
        )?;
        let policy = stmt
            .query_map([id.0], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        let (content, from) = if with_content {
            ("content", "versions")
        } else {
            ("''", "versions INDEXED BY versions_metadata")
        };
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT number, hash, previous_hash, note, created_at, {content} FROM {from}
             WHERE agreement_id = ?1 ORDER BY number"
        ))?;
        let read = |r: &rusqlite::Row<'_>| {
            Ok(VersionRow {
                number: r.get(0)?,
                hash: r.get(1)?,
                previous_hash: r.get(2)?,
                note: r.get(3)?,
                created_at: r.get(4)?,
                content: r.get(5)?,
                content_sha256: None,
            })
        };
        let versions = if with_content {
            // Hash each version's content on a second thread while the next one is read:
            // reading and hashing a long history take about the same time.
            std::thread::scope(|scope| -> Result<Vec<VersionRow>> {
                let (to_hasher, inbox) = std::sync::mpsc::sync_channel::<VersionRow>(32);
                let hasher = scope.spawn(move || {
                    inbox
                        .into_iter()
                        .map(|mut v| {
                            v.content_sha256 =
                                Some(crate::canonical::sha256_hex(v.content.as_bytes()));
                            v
                        })
                        .collect::<Vec<_>>()
                });
                let mut failed = None;
                for row in stmt.query_map([id.0], read)? {
                    match row {
                        Ok(v) => {
                            if to_hasher.send(v).is_err() {
                                break;
                            }
                        }
                        Err(e) => {
                            failed = Some(e);
                            break;
                        }
                    }
                }
                drop(to_hasher);
                let hashed = hasher
                    .join()
                    .map_err(|_| Error::Corrupt("hashing version contents failed".into()))?;
                match failed {
                    Some(e) => Err(e.into()),
                    None => Ok(hashed),
                }
            })?
        } else {
            stmt.query_map([id.0], read)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let mut stmt = self.tx.prepare_cached(
            "SELECT version, amendment, role, decision, signer, signed_at, statement, signature,
                    CASE WHEN json_valid(statement)
                         THEN IFNULL(CAST(json_extract(statement, '$.content_hash') AS TEXT), '')
                         ELSE '' END
             FROM signatures WHERE agreement_id = ?1 ORDER BY id",
        )?;
        let signatures = stmt
            .query_map([id.0], |r| {
                Ok(SignatureRow {
                    version: r.get(0)?,
                    amendment: r.get(1)?,
                    role: r.get(2)?,
                    decision: r.get(3)?,
                    signer: r.get(4)?,
                    signed_at: r.get(5)?,
                    statement: r.get(6)?,
                    signature: r.get(7)?,
                    content_hash: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Metadata from the covering index `amendments_metadata` (the content column would make
        // SQLite walk each row's overflow pages to reach the columns after it).
        let mut stmt = self.tx.prepare_cached(
            "SELECT number, base_version, target_version, proposal, signature, content_hash, created_at
             FROM amendments INDEXED BY amendments_metadata WHERE agreement_id = ?1
             ORDER BY number, content_hash",
        )?;
        let mut amendments = stmt
            .query_map([id.0], |r| {
                Ok(AmendmentRow {
                    number: r.get(0)?,
                    base_version: r.get(1)?,
                    target_version: r.get(2)?,
                    proposal: r.get(3)?,
                    signature: r.get(4)?,
                    content: None,
                    content_hash: r.get(5)?,
                    created_at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if with_content {
            // An enacted amendment's content is the content of its version: not read twice.
            for a in &mut amendments {
                let enacted = versions
                    .iter()
                    .any(|v| v.number == a.target_version && v.hash == a.content_hash);
                if !enacted {
                    a.content = Some(self.amendment_content(id, a.number, &a.content_hash)?);
                }
            }
        }
        Ok(HistoryRows {
            id,
            uid,
            title,
            status: parse_status(&status)?,
            status_before_archive: before.as_deref().map(parse_status).transpose()?,
            current_version: current,
            policy,
            versions,
            signatures,
            amendments,
        })
    }

    pub fn version_content(&self, id: AgreementId, number: u32) -> Result<String> {
        self.tx
            .query_row(
                "SELECT content FROM versions WHERE agreement_id = ?1 AND number = ?2",
                params![id.0, number],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::VersionNotFound {
                agreement: id.0,
                version: number,
            })
    }

    /// The proposed content of amendment `number` proposing `content_hash` (two concurrent
    /// proposals can share a number).
    pub fn amendment_content(
        &self,
        id: AgreementId,
        number: u32,
        content_hash: &str,
    ) -> Result<String> {
        self.tx
            .query_row(
                "SELECT content FROM amendments
                 WHERE agreement_id = ?1 AND number = ?2 AND content_hash = ?3",
                params![id.0, number, content_hash],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::AmendmentNotFound {
                agreement: id.0,
                amendment: number,
            })
    }

    /// Appends a version exactly as given (checked by the caller), and makes it current.
    pub fn insert_version(&self, id: AgreementId, v: &VersionRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO versions (agreement_id, number, content, hash, previous_hash, note, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id.0, v.number, v.content, v.hash, v.previous_hash, v.note, v.created_at],
        )?;
        self.tx.execute(
            "UPDATE agreements SET current_version = ?2 WHERE id = ?1 AND (current_version IS NULL OR current_version < ?2)",
            params![id.0, v.number],
        )?;
        Ok(())
    }

    pub fn insert_amendment(&self, id: AgreementId, a: &AmendmentRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO amendments (agreement_id, number, base_version, target_version, proposal, signature,
                 content, content_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id.0,
                a.number,
                a.base_version,
                a.target_version,
                a.proposal,
                a.signature,
                a.content.as_deref().ok_or_else(|| Error::Corrupt(format!(
                    "amendment {} has no content to store",
                    a.number
                )))?,
                a.content_hash,
                a.created_at
            ],
        )?;
        Ok(())
    }

    /// Adds a signature; returns false when the same signature is already stored.
    pub fn insert_signature(&self, id: AgreementId, s: &SignatureRow, now: &str) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT INTO signatures (agreement_id, version, amendment, role, decision, signer, signed_at,
                 statement, signature, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (agreement_id, signature) DO NOTHING",
            params![
                id.0,
                s.version,
                s.amendment,
                s.role,
                s.decision,
                s.signer,
                s.signed_at,
                s.statement,
                s.signature,
                now
            ],
        )?;
        Ok(n > 0)
    }

    // ---- checkpoints

    /// Remembers a checkpoint; returns false when it was already known.
    pub fn insert_checkpoint(
        &self,
        uid: &str,
        text: &str,
        versions: u32,
        records: u32,
        now: &str,
    ) -> Result<bool> {
        Ok(self.tx.execute(
            "INSERT INTO checkpoints (agreement_uid, text, versions, records, seen_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING",
            params![uid, text, versions, records, now],
        )? > 0)
    }

    pub fn checkpoints(&self, uid: &str) -> Result<Vec<String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT text FROM checkpoints WHERE agreement_uid = ?1 ORDER BY seen_at, text",
        )?;
        let rows = stmt.query_map([uid], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ids of agreements with an open decision: in review, or in force with amendments.
    pub fn agreements_with_open_work(&self) -> Result<Vec<AgreementId>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id FROM agreements WHERE status = 'in_review'
             OR (status = 'in_force' AND EXISTS (SELECT 1 FROM amendments m WHERE m.agreement_id = agreements.id))
             ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<i64>>>()?
            .into_iter()
            .map(AgreementId)
            .collect())
    }
}
