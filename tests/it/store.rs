//! Opening a database: fresh, existing, damaged, foreign, from the future; migrations; and two
//! libraries (the app and the CLI) writing to the same file at once.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use pactum::record::ListQuery;
use pactum::store::{migrations, schema_version, APPLICATION_ID};
use pactum::Error;

use crate::support::*;

#[test]
fn migrations_validate_and_match_the_migration_files() {
    migrations()
        .validate()
        .expect("every migration applies to an empty database");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let files = std::fs::read_dir(&dir)
        .expect("migrations folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count();
    assert_eq!(
        schema_version(),
        files as i64,
        "every numbered migration file is applied, none twice"
    );
}

#[test]
fn a_fresh_database_is_a_pactum_database_at_the_current_schema() {
    let fx = fixture();
    let (dir, _) = fx.close();
    let conn = raw(&dir.path);
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, APPLICATION_ID, "the file is marked as Pactum's");
    let user_version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        user_version,
        schema_version(),
        "the schema is migrated to the newest version"
    );
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        mode, "wal",
        "WAL lets the app and the CLI read while the other writes"
    );
    let triggers: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'versions'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        triggers >= 2,
        "versions are guarded by triggers against UPDATE and DELETE"
    );
}

#[test]
fn reopening_keeps_everything() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let v = fx.lib.freeze(id, "").unwrap();
    let (dir, clock) = fx.close();
    let opened = open(&dir.path, &clock);
    assert!(
        opened.moved_aside.is_none(),
        "a healthy database is never moved aside"
    );
    assert_eq!(
        opened.library.versions(id).unwrap(),
        [v],
        "the version survives closing and reopening"
    );
    assert_eq!(
        opened.library.draft(id).unwrap().agreement,
        template(GERMAN),
        "so does the draft"
    );
    assert_eq!(
        dir.moved_aside_files(),
        Vec::<std::path::PathBuf>::new(),
        "nothing was renamed"
    );
}

#[test]
fn an_empty_file_becomes_a_fresh_database() {
    let dir = test_dir();
    std::fs::write(&dir.path, b"").unwrap();
    let opened = open(&dir.path, &TestClock::new());
    assert!(
        opened.moved_aside.is_none(),
        "an empty file holds nothing to keep"
    );
    create(&opened.library, GERMAN);
}

/// Opens a file that is not usable and checks that it was moved aside intact and replaced.
fn assert_moved_aside(dir: &TestDir, original: &[u8], what: &str) {
    let clock = TestClock::new();
    let opened = open(&dir.path, &clock);
    let moved = opened
        .moved_aside
        .as_ref()
        .unwrap_or_else(|| panic!("{what}: the file must be moved aside"));
    assert_eq!(
        moved.original, dir.path,
        "{what}: the report names the original path"
    );
    assert!(
        moved.moved_to.exists(),
        "{what}: the moved file exists at {}",
        moved.moved_to.display()
    );
    assert_eq!(
        read(&moved.moved_to),
        original,
        "{what}: the moved file keeps the original bytes"
    );
    let name = moved
        .moved_to
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("pactum.db.unusable-"),
        "{what}: the new name says why: {name}"
    );
    let stamp: String = clock.now().format("%Y%m%dT%H%M%S").to_string();
    assert!(
        name.contains(&stamp),
        "{what}: the new name carries the time ({stamp}): {name}"
    );
    assert!(
        !moved.reason.trim().is_empty(),
        "{what}: the report says why the file was unusable"
    );
    assert_eq!(
        dir.moved_aside_files(),
        std::slice::from_ref(&moved.moved_to),
        "{what}: exactly one file was moved"
    );
    let lib = opened.library;
    assert_eq!(
        total_all(&lib),
        0,
        "{what}: a fresh, empty database took its place"
    );
    let id = create(&lib, GERMAN);
    lib.freeze(id, "").expect("the fresh database works");
    drop(lib);
    let again = open(&dir.path, &clock);
    assert!(
        again.moved_aside.is_none(),
        "{what}: the fresh database is kept on the next open"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_moved_aside_never_deleted() {
    for (what, bytes) in [
        ("text", b"these are my notes, not a database\n".repeat(200)),
        ("short", b"SQLite".to_vec()),
        (
            "json",
            br#"{"format":"pactum-agreement","version":1,"agreement":{}}"#.to_vec(),
        ),
        ("binary", (0..=255u8).cycle().take(70_000).collect()),
    ] {
        let dir = test_dir();
        std::fs::write(&dir.path, &bytes).unwrap();
        assert_moved_aside(&dir, &bytes, what);
    }
}

#[test]
fn two_unusable_files_at_the_same_time_do_not_overwrite_each_other() {
    let dir = test_dir();
    let clock = TestClock::new();
    std::fs::write(&dir.path, b"first garbage file").unwrap();
    let first = open(&dir.path, &clock);
    let first_moved = first
        .moved_aside
        .clone()
        .expect("the first file is moved aside");
    drop(first);
    std::fs::write(&dir.path, b"second garbage file").unwrap();
    let second = open(&dir.path, &clock);
    let second_moved = second
        .moved_aside
        .clone()
        .expect("the second file is moved aside");
    assert_ne!(
        first_moved.moved_to, second_moved.moved_to,
        "the same time stamp gets a distinct name"
    );
    assert_eq!(
        read(&first_moved.moved_to),
        b"first garbage file",
        "the first moved file is intact"
    );
    assert_eq!(
        read(&second_moved.moved_to),
        b"second garbage file",
        "the second moved file is intact"
    );
}

/// Overwrites `len` bytes at `offset` with a pattern.
fn overwrite(path: &Path, offset: u64, len: usize, byte: u8) {
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start(offset)).unwrap();
    f.write_all(&vec![byte; len]).unwrap();
    f.sync_all().unwrap();
}

fn page_size(path: &Path) -> u64 {
    let bytes = read(path);
    let p = u64::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    if p == 1 {
        65536
    } else {
        p
    }
}

#[test]
fn a_damaged_header_is_moved_aside() {
    for (what, offset, len, byte) in [
        ("magic string", 0, 16, b'X'),
        ("page size", 16, 2, 0x03),
        ("whole header", 0, 100, 0xFF),
    ] {
        let dir = populated_db();
        overwrite(&dir.path, offset, len, byte);
        let damaged = read(&dir.path);
        assert_moved_aside(&dir, &damaged, what);
    }
}

#[test]
fn damaged_pages_are_moved_aside() {
    let template = populated_db();
    let size = std::fs::metadata(&template.path).unwrap().len();
    let page = page_size(&template.path);
    let pages = size / page;
    assert!(
        pages > 8,
        "the populated database spans many pages ({pages})"
    );
    for (what, page_no) in [
        ("page 2", 2),
        ("page 3", 3),
        ("middle page", pages / 2),
        ("last page", pages),
    ] {
        let dir = test_dir();
        std::fs::copy(&template.path, &dir.path).unwrap();
        // Page n starts at (n - 1) * page_size; overwrite it whole.
        overwrite(&dir.path, (page_no - 1) * page, page as usize, 0xA5);
        let damaged = read(&dir.path);
        assert_moved_aside(&dir, &damaged, what);
    }
}

#[test]
fn a_truncated_database_is_moved_aside() {
    let template = populated_db();
    let size = std::fs::metadata(&template.path).unwrap().len();
    let page = page_size(&template.path);
    for (what, len) in [
        ("half", size / 2),
        ("two pages", 2 * page),
        ("mid-page", size / 2 + page / 3),
    ] {
        let dir = test_dir();
        std::fs::copy(&template.path, &dir.path).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&dir.path)
            .unwrap()
            .set_len(len)
            .unwrap();
        let damaged = read(&dir.path);
        assert_moved_aside(&dir, &damaged, what);
    }
}

#[test]
fn a_database_of_another_program_is_moved_aside_intact() {
    for app_id in [0x1234_5678_i32, 0] {
        let dir = test_dir();
        {
            let conn = rusqlite::Connection::open(&dir.path).unwrap();
            conn.execute_batch(&format!(
                "PRAGMA application_id = {app_id};
                 CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);
                 INSERT INTO notes (text) VALUES ('remember the milk'), ('call Anna');"
            ))
            .unwrap();
        }
        let original = read(&dir.path);
        let opened = open(&dir.path, &TestClock::new());
        let moved = opened
            .moved_aside
            .expect("another program's database is not Pactum's to use");
        assert_eq!(
            read(&moved.moved_to),
            original,
            "application id {app_id:#x}: its bytes are kept"
        );
        let conn = rusqlite::Connection::open(&moved.moved_to).unwrap();
        let notes: i64 = conn
            .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            notes, 2,
            "the other program's data is still readable where it was moved"
        );
        assert_eq!(
            total_all(&opened.library),
            0,
            "Pactum starts with a fresh database"
        );
    }
}

#[test]
fn a_database_from_a_newer_pactum_is_refused_and_left_untouched() {
    let dir = populated_db();
    {
        let conn = raw(&dir.path);
        conn.pragma_update(None, "user_version", schema_version() + 1)
            .unwrap();
    }
    let before = read(&dir.path);
    let files_before = dir.files();
    let err = match try_open(&dir.path, &TestClock::new()) {
        Ok(_) => panic!("a database from the future must not be opened"),
        Err(e) => e,
    };
    match &err {
        Error::SchemaTooNew {
            path,
            found,
            supported,
        } => {
            assert_eq!(path, &dir.path, "the error names the file");
            assert_eq!(
                *found,
                schema_version() + 1,
                "the error names the version found"
            );
            assert_eq!(
                *supported,
                schema_version(),
                "and the version this build knows"
            );
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    assert_eq!(
        err.code(),
        "schema_too_new",
        "the UI branches on this stable code"
    );
    assert!(
        err.to_string().contains("update Pactum"),
        "the message tells the user what to do: {err}"
    );
    assert_eq!(
        read(&dir.path),
        before,
        "the newer database's bytes are untouched"
    );
    assert_eq!(
        dir.files(),
        files_before,
        "nothing was moved aside or left behind"
    );
    let conn = raw(&dir.path);
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        v,
        schema_version() + 1,
        "the schema version was not migrated down"
    );
}

#[test]
fn two_libraries_on_one_file_write_concurrently_without_lock_errors() {
    let fx = fixture();
    let (dir, clock) = fx.close();
    let app = open(&dir.path, &clock).library;
    let cli = open(&dir.path, &clock).library;
    const PER_THREAD: usize = 12;
    let results: Vec<Vec<pactum::record::AgreementId>> = std::thread::scope(|s| {
        let handles: Vec<_> = [&app, &cli]
            .into_iter()
            .enumerate()
            .map(|(t, lib)| {
                s.spawn(move || {
                    let mut ids = Vec::new();
                    for i in 0..PER_THREAD {
                        let id = lib
                            .create(GERMAN, Some(&format!("Thread {t} Vertrag {i}")), None)
                            .unwrap_or_else(|e| panic!("thread {t} create {i}: {e}"));
                        for r in 0..3 {
                            let mut a = lib
                                .draft(id)
                                .unwrap_or_else(|e| panic!("thread {t} read: {e}"))
                                .agreement;
                            a.overview.purpose = format!("Fassung {r} aus Thread {t}");
                            lib.save_draft(id, &a)
                                .unwrap_or_else(|e| panic!("thread {t} save {i}/{r}: {e}"));
                        }
                        lib.freeze(id, "")
                            .unwrap_or_else(|e| panic!("thread {t} freeze {i}: {e}"));
                        lib.list(&ListQuery::default())
                            .unwrap_or_else(|e| panic!("thread {t} list: {e}"));
                        ids.push(id);
                    }
                    ids
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("writer thread"))
            .collect()
    });
    for (t, ids) in results.iter().enumerate() {
        for id in ids {
            for lib in [&app, &cli] {
                let d = lib.draft(*id).unwrap();
                assert_eq!(
                    d.revision, 4,
                    "thread {t}: every save of {id} is present in both libraries"
                );
                assert_eq!(
                    d.agreement.overview.purpose,
                    format!("Fassung 2 aus Thread {t}"),
                    "the last save wins"
                );
                assert_eq!(
                    lib.versions(*id).unwrap().len(),
                    1,
                    "thread {t}: the version of {id} is present"
                );
            }
        }
    }
    assert_eq!(
        total_all(&app) as usize,
        2 * PER_THREAD,
        "every created agreement is present"
    );
}

#[test]
fn two_libraries_opening_a_new_file_at_once_both_succeed() {
    for round in 0..20 {
        let dir = test_dir();
        let clock = TestClock::new();
        let barrier = std::sync::Barrier::new(2);
        let libs: Vec<pactum::Library> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..2)
                .map(|t| {
                    let (path, clock, barrier) = (&dir.path, &clock, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        match try_open(path, clock) {
                            Ok(o) => {
                                assert!(o.moved_aside.is_none(), "round {round}: a new file is not moved aside");
                                o.library
                            }
                            Err(e) => panic!("round {round}, opener {t}: opening a new file at the same time failed: {e}"),
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("opener thread"))
                .collect()
        });
        let a = create(&libs[0], GERMAN);
        let b = create(&libs[1], GERMAN);
        assert_eq!(
            total_all(&libs[0]),
            2,
            "round {round}: both libraries write to the same database ({a}, {b})"
        );
    }
}

#[test]
fn a_database_of_an_older_schema_is_migrated_forward_keeping_its_data() {
    let dir_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir_path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "sql"));
    files.sort();
    let sql: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for older in 1..schema_version() as usize {
        let dir = test_dir();
        let draft = pactum::canonical::canonical_with_hash(&template(GERMAN)).unwrap();
        {
            let mut conn = rusqlite::Connection::open(&dir.path).unwrap();
            let old = rusqlite_migration::Migrations::new(
                sql[..older]
                    .iter()
                    .map(|s| rusqlite_migration::M::up(s))
                    .collect(),
            );
            old.to_latest(&mut conn).expect("the older schema applies");
            conn.execute(
                "INSERT INTO agreements (uid, title, customer, provider, language, draft, draft_hash, created_at, updated_at)
                 VALUES (lower(hex(randomblob(16))), 'Alt', 'Kunde', 'Anbieter', 'de', ?1, ?2, 'then', 'then')",
                [&draft.0, &draft.1],
            )
            .unwrap();
        }
        let opened = open(&dir.path, &TestClock::new());
        assert!(
            opened.moved_aside.is_none(),
            "schema {older}: an older Pactum database is kept"
        );
        let lib = opened.library;
        let ids = list_default(&lib);
        assert_eq!(
            ids.len(),
            1,
            "schema {older}: the agreement written before the upgrade is listed"
        );
        assert_eq!(
            draft_of(&lib, ids[0]),
            template(GERMAN),
            "schema {older}: its draft is intact"
        );
        drop(lib);
        let conn = raw(&dir.path);
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            v,
            schema_version(),
            "schema {older}: migrated to the current version"
        );
    }
}

fn draft_of(lib: &pactum::Library, id: pactum::record::AgreementId) -> pactum::Agreement {
    crate::support::draft(lib, id)
}

#[test]
fn missing_folders_are_created() {
    let dir = test_dir();
    let path = dir.dir.path().join("a").join("b").join("pactum.db");
    let opened = open(&path, &TestClock::new());
    assert!(
        opened.moved_aside.is_none(),
        "nothing to move in a new folder"
    );
    create(&opened.library, GERMAN);
    assert!(path.exists(), "the database is created in the new folders");
}

#[test]
fn a_folder_in_place_of_the_database_is_an_error_and_left_alone() {
    let dir = test_dir();
    std::fs::create_dir(&dir.path).unwrap();
    std::fs::write(dir.path.join("keep.txt"), b"mine").unwrap();
    let err = match try_open(&dir.path, &TestClock::new()) {
        Ok(_) => panic!("a folder cannot be opened as a database"),
        Err(e) => e,
    };
    assert!(
        !err.code().as_str().is_empty(),
        "the error has a code: {err}"
    );
    assert!(
        dir.path.is_dir(),
        "the folder was not moved aside or replaced"
    );
    assert_eq!(
        read(&dir.path.join("keep.txt")),
        b"mine",
        "its content is untouched"
    );
    assert!(dir.moved_aside_files().is_empty(), "nothing was renamed");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("metadata of {}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
fn companion(path: &Path, suffix: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("{}{suffix}", path.display()))
}

#[cfg(unix)]
#[test]
fn a_fresh_database_and_its_wal_and_shm_are_readable_by_the_owner_only() {
    let fx = fixture();
    create(&fx.lib, GERMAN);
    for file in [
        fx.path().to_path_buf(),
        companion(fx.path(), "-wal"),
        companion(fx.path(), "-shm"),
    ] {
        assert_eq!(
            mode(&file),
            0o600,
            "{} holds the sealed keys (or pages of them), so no other local user may read it",
            file.display()
        );
    }
}

#[cfg(unix)]
#[test]
fn a_world_readable_database_is_made_private_on_open_and_reported() {
    use std::os::unix::fs::PermissionsExt;
    let fx = fixture();
    create(&fx.lib, GERMAN);
    // The first library keeps the WAL and the shared-memory file in place while the second opens.
    let files = [
        fx.path().to_path_buf(),
        companion(fx.path(), "-wal"),
        companion(fx.path(), "-shm"),
    ];
    for file in &files {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let opened = open(fx.path(), &fx.clock);
    for file in &files {
        assert_eq!(
            mode(file),
            0o600,
            "opening takes away the other users' read access to {}",
            file.display()
        );
    }
    let notice = opened
        .permissions_tightened
        .as_ref()
        .expect("opening reports that it changed the permissions, so front ends can say so");
    assert_eq!(
        notice
            .files
            .iter()
            .map(|t| (t.path.clone(), t.mode_before, t.mode_after))
            .collect::<Vec<_>>(),
        files
            .iter()
            .map(|f| (f.clone(), 0o644, 0o600))
            .collect::<Vec<_>>(),
        "the notice names each file with its mode before and after"
    );
    let text = notice.to_string();
    assert!(
        text.contains(&fx.path().display().to_string())
            && text.contains("0644")
            && text.contains("0600"),
        "the notice says which file was readable by others and what it is now: {text}"
    );
    assert!(
        opened.moved_aside.is_none(),
        "a healthy database is not moved aside"
    );
    create(&opened.library, GERMAN);
    drop(opened);
    let again = open(fx.path(), &fx.clock);
    assert!(
        again.permissions_tightened.is_none(),
        "a private database is opened without a notice"
    );
}

/// A clock shared by several libraries that moves one millisecond on every reading, so two
/// readings never give the same time and the order of readings is the order of the times.
fn ticking_clock(
    start: &TestClock,
) -> impl Fn() -> Box<dyn Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync> {
    let cell = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(
        start.now().timestamp_millis(),
    ));
    move || {
        let cell = std::sync::Arc::clone(&cell);
        Box::new(move || {
            let ms = cell.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            chrono::DateTime::from_timestamp_millis(ms).expect("clock in range")
        })
    }
}

/// The number `n` of a draft whose purpose is "Fassung n".
fn fassung(a: &pactum::Agreement) -> u64 {
    a.overview
        .purpose
        .strip_prefix("Fassung ")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("purpose {:?} is not \"Fassung n\"", a.overview.purpose))
}

#[test]
fn concurrent_freezes_store_the_draft_as_it_was_and_never_go_back_in_time() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let (dir, clock) = fx.close();
    let clock = ticking_clock(&clock);
    let app = pactum::Library::open_with_clock(&dir.path, clock())
        .unwrap()
        .library;
    let cli = pactum::Library::open_with_clock(&dir.path, clock())
        .unwrap()
        .library;
    // Saves are numbered under one lock, so the drafts are stored in the order of their
    // numbers; each thread then freezes without holding it.
    let saves = std::sync::Mutex::new(0_u64);
    const ROUNDS: usize = 80;
    std::thread::scope(|s| {
        for (t, lib) in [&app, &cli].into_iter().enumerate() {
            let saves = &saves;
            s.spawn(move || {
                for round in 0..ROUNDS {
                    {
                        let mut n = saves.lock().unwrap();
                        *n += 1;
                        let mut a = lib.draft(id).unwrap().agreement;
                        a.overview.purpose = format!("Fassung {n}");
                        lib.save_draft(id, &a)
                            .unwrap_or_else(|e| panic!("thread {t} save {round}: {e}"));
                    }
                    match lib.freeze(id, &format!("thread {t} round {round}")) {
                        Ok(_) => {}
                        // The other thread froze this draft already.
                        Err(e) if e.code() == "not_allowed" => {}
                        Err(e) => panic!("thread {t} freeze {round}: {e}"),
                    }
                }
            });
        }
    });
    let versions = app.versions(id).unwrap();
    assert!(
        versions.len() > ROUNDS,
        "most rounds froze a version ({} versions)",
        versions.len()
    );
    let mut previous: Option<(u64, String)> = None;
    for v in &versions {
        let n = fassung(&app.version(id, v.number).unwrap().agreement);
        if let Some((before, created_at)) = &previous {
            assert!(
                n > *before,
                "version {} holds Fassung {n}, but version {} already held the later Fassung \
                 {before}: a freeze stored a draft that had been replaced by then, reverting \
                 the change in between",
                v.number,
                v.number - 1
            );
            assert!(
                v.created_at >= *created_at,
                "version {} was created at {}, before version {} ({created_at}): a version \
                 is never older than its predecessor",
                v.number,
                v.created_at,
                v.number - 1
            );
        }
        previous = Some((n, v.created_at.clone()));
    }
    let last = versions.last().unwrap();
    assert_eq!(
        fassung(&app.version(id, last.number).unwrap().agreement),
        *saves.lock().unwrap(),
        "the last freeze, after the last save, froze the last draft"
    );
}

#[test]
fn a_freeze_on_a_clock_behind_the_last_version_is_dated_with_the_last_version() {
    let fx = fixture();
    let id = create(&fx.lib, GERMAN);
    let v1 = fx.lib.freeze(id, "").unwrap();
    // The command line runs on a clock an hour behind the app's.
    let behind = TestClock::new();
    behind.advance_secs(-3600);
    let cli = open(fx.path(), &behind).library;
    edit(&cli, id, |a| a.overview.purpose.push_str(" Ergänzt."));
    let v2 = cli.freeze(id, "").unwrap();
    assert_eq!(
        v2.created_at, v1.created_at,
        "a version is never dated before its predecessor, even from a clock that is behind"
    );
}
