//! Builders shared by every test module: a temporary database, a library with a clock the test
//! controls, agreements from the built-in templates, and small helpers for asserting on
//! engine errors and on the raw SQLite file.
//!
//! Nothing here asserts behaviour; the modules next to it do.

#![allow(
    dead_code,
    reason = "each test module uses a different subset of the builders"
)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use pactum::record::{AgreementId, ListQuery, Status};
use pactum::{Agreement, Error, Library, Opened, Problem};
use tempfile::TempDir;

/// The built-in templates every store test walks through.
pub const TEMPLATES: [&str; 3] = ["it-support-de", "retail-charter-de", "saas-support-en"];

/// The German template used where a test needs German labels.
pub const GERMAN: &str = "it-support-de";

/// A clock that stands still until the test moves it. Cloning shares the same time.
#[derive(Clone)]
pub struct TestClock(Arc<AtomicI64>);

impl TestClock {
    /// 2026-03-02 09:00:00 UTC, a Monday.
    pub fn new() -> Self {
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        TestClock(Arc::new(AtomicI64::new(start.timestamp_millis())))
    }

    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0.load(Ordering::SeqCst)).expect("test clock in range")
    }

    pub fn advance_secs(&self, secs: i64) {
        self.0.fetch_add(secs * 1000, Ordering::SeqCst);
    }

    /// The boxed closure `Library::open_with_clock` takes.
    pub fn boxed(&self) -> Box<dyn Fn() -> DateTime<Utc> + Send + Sync> {
        let cell = Arc::clone(&self.0);
        Box::new(move || {
            DateTime::from_timestamp_millis(cell.load(Ordering::SeqCst))
                .expect("test clock in range")
        })
    }
}

/// A temporary folder with a database path in it (the file does not exist yet).
pub struct TestDir {
    pub dir: TempDir,
    pub path: PathBuf,
}

pub fn test_dir() -> TestDir {
    let dir = tempfile::Builder::new()
        .prefix("pactum-it-")
        .tempdir()
        .expect("create a temporary folder");
    let path = dir.path().join("pactum.db");
    TestDir { dir, path }
}

impl TestDir {
    /// Every file in the folder, sorted, by name.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("read the temporary folder")
            .map(|e| {
                e.expect("folder entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    /// Files the engine moved aside (`<name>.unusable-<time>`), without WAL companions.
    pub fn moved_aside_files(&self) -> Vec<PathBuf> {
        self.files()
            .into_iter()
            .filter(|n| n.contains(".unusable-") && !n.ends_with("-wal") && !n.ends_with("-shm"))
            .map(|n| self.dir.path().join(n))
            .collect()
    }
}

/// A library on a fresh temporary database with a test clock.
pub struct Fixture {
    pub lib: Library,
    pub clock: TestClock,
    pub dir: TestDir,
}

impl Fixture {
    pub fn path(&self) -> &Path {
        &self.dir.path
    }

    /// Drops the library (closing the database) and returns the folder and clock.
    pub fn close(self) -> (TestDir, TestClock) {
        drop(self.lib);
        (self.dir, self.clock)
    }
}

pub fn fixture() -> Fixture {
    let dir = test_dir();
    let clock = TestClock::new();
    let opened = open(&dir.path, &clock);
    assert!(
        opened.moved_aside.is_none(),
        "a fresh database must not move anything aside"
    );
    Fixture {
        lib: opened.library,
        clock,
        dir,
    }
}

/// Opens `path` with the given clock, panicking with the engine's error if it fails.
pub fn open(path: &Path, clock: &TestClock) -> Opened {
    Library::open_with_clock(path, clock.boxed()).unwrap_or_else(|e| {
        panic!(
            "opening {} must succeed: {e} ({})",
            path.display(),
            e.code()
        )
    })
}

/// Opens `path` with the given clock and returns the result as is.
pub fn try_open(path: &Path, clock: &TestClock) -> pactum::Result<Opened> {
    Library::open_with_clock(path, clock.boxed())
}

/// A fresh agreement from a built-in template, exactly as the engine instantiates it.
pub fn template(id: &str) -> Agreement {
    pactum::template::instantiate(id)
        .unwrap_or_else(|e| panic!("template {id} must instantiate: {e}"))
}

/// Creates a draft from a template.
pub fn create(lib: &Library, template: &str) -> AgreementId {
    lib.create(template, None, None)
        .unwrap_or_else(|e| panic!("creating from {template} must succeed: {e}"))
}

/// Creates a draft from a template with a title.
pub fn create_titled(lib: &Library, template: &str, title: &str) -> AgreementId {
    lib.create(template, Some(title), None)
        .unwrap_or_else(|e| panic!("creating {title:?} must succeed: {e}"))
}

/// The current draft content.
pub fn draft(lib: &Library, id: AgreementId) -> Agreement {
    lib.draft(id)
        .unwrap_or_else(|e| panic!("draft {id} must load: {e}"))
        .agreement
}

/// Loads the draft, applies `edit`, saves it and returns the new revision.
pub fn edit(lib: &Library, id: AgreementId, edit: impl FnOnce(&mut Agreement)) -> u32 {
    let mut a = draft(lib, id);
    edit(&mut a);
    let outcome = lib
        .save_draft(id, &a)
        .unwrap_or_else(|e| panic!("saving draft {id} must succeed: {e}"));
    assert!(
        outcome.changed,
        "the edit of agreement {id} must change the draft"
    );
    outcome.revision
}

/// Sets the resolution target of the most urgent priority (the first in the list; every
/// template defines one, named `P1` or `S1`).
pub fn set_top_resolution(a: &mut Agreement, text: &str) {
    let top = a
        .support_levels
        .priorities
        .first_mut()
        .expect("the template defines priorities");
    top.resolution = Some(text.parse().expect("a valid duration"));
}

/// The id of the most urgent priority.
pub fn top_priority(a: &Agreement) -> String {
    a.support_levels
        .priorities
        .first()
        .expect("the template defines priorities")
        .id
        .clone()
}

/// Number of agreements in every status, archived included.
pub fn total_all(lib: &Library) -> u32 {
    Status::ALL
        .into_iter()
        .map(|status| {
            lib.list(&ListQuery {
                status: Some(status),
                limit: 1,
                ..ListQuery::default()
            })
            .expect("listing must succeed")
            .total
        })
        .sum()
}

/// The default list (every status but archived), all on one page.
pub fn list_default(lib: &Library) -> Vec<AgreementId> {
    lib.list(&ListQuery {
        limit: 1000,
        ..ListQuery::default()
    })
    .expect("listing must succeed")
    .items
    .into_iter()
    .map(|s| s.id)
    .collect()
}

/// The problems of an `Error::Invalid`, panicking with `why` on anything else.
pub fn invalid<T: std::fmt::Debug>(result: pactum::Result<T>, why: &str) -> Vec<Problem> {
    match result {
        Err(Error::Invalid(problems)) => {
            assert!(
                !problems.is_empty(),
                "{why}: an Invalid error must name at least one problem"
            );
            problems
        }
        other => panic!("{why}: expected Error::Invalid, got {other:?}"),
    }
}

/// Asserts that one of `problems` is at exactly `path`, returning it.
pub fn problem_at<'a>(problems: &'a [Problem], path: &str, why: &str) -> &'a Problem {
    problems
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("{why}: expected a problem at {path}, got {problems:#?}"))
}

/// A raw connection to the database file, bypassing the engine.
pub fn raw(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("raw sqlite open");
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .expect("busy timeout");
    conn
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Lower-case hex SHA-256, computed independently of the engine's helper.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A database with a few agreements and versions, closed again; big enough to span many pages.
pub fn populated_db() -> TestDir {
    let fx = fixture();
    for (i, t) in TEMPLATES.iter().enumerate() {
        let id = create_titled(&fx.lib, t, &format!("Populated {i}"));
        fx.lib.freeze(id, "first").expect("freeze");
        edit(&fx.lib, id, |a| {
            a.overview.clauses.push_str("\n\nNachtrag.")
        });
        fx.lib.freeze(id, "second").expect("freeze");
    }
    let (dir, _) = fx.close();
    dir
}

/// The passphrase of the identities [`person`] makes.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// An own identity of `lib` with the test key-derivation parameters (fast, debug builds only)
/// and [`PASSPHRASE`].
pub fn person(
    lib: &Library,
    name: &str,
    role: pactum::signing::Role,
) -> pactum::signing::IdentityInfo {
    lib.create_identity_with_kdf(
        &pactum::signing::NewIdentity {
            name: name.into(),
            organisation: "Beispiel GmbH".into(),
            role,
            email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
        },
        PASSPHRASE,
        pactum::signing::KdfParams::for_tests(),
    )
    .unwrap_or_else(|e| panic!("creating the identity {name} must succeed: {e}"))
}
