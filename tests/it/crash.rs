//! Data safety under SIGKILL: a child process saves drafts and freezes versions in a loop and
//! acknowledges each call after it returned; the parent kills it at random moments, over and
//! over on the same database, and then checks that nothing acknowledged was lost and nothing
//! stored is damaged.
//!
//! The child is this test binary again, running only [`child_writer`] with
//! `PACTUM_CRASH_CHILD_DB` set. `PACTUM_CRASH_KILLS` sets the number of kills (default 200);
//! `scripts/crash-soak.sh` runs 10,000 in a release build.
//!
//! Acknowledgement lines (one per committed call, flushed at once):
//! - `ack open` once the database is open;
//! - `ack create <id>`;
//! - `ack save <id> <revision> <draft-hash>`;
//! - `ack freeze <id> <number> <hash>`;
//! - `moved <path>` if opening had to move the database aside (a failure: it was damaged).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pactum::canonical::canonical_with_hash;
use pactum::record::{AgreementId, ListQuery};
use pactum::Library;
use rand::Rng;

use crate::support::*;

const CHILD_ENV: &str = "PACTUM_CRASH_CHILD_DB";
const KILLS_ENV: &str = "PACTUM_CRASH_KILLS";
/// A database is reused for this many kills, then verified and replaced, so that a long soak
/// does not grow one file without bound.
const KILLS_PER_DATABASE: usize = 500;
/// Longest random delay between the child's first acknowledgement and the kill.
const MAX_DELAY_MS: u64 = 30;
/// How long the parent waits for a child to start acknowledging (a loaded CI machine is slow).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The child's entry point, not a test of its own: without `PACTUM_CRASH_CHILD_DB` it returns at
/// once. With it, it writes to that database until it is killed (or a minute has passed).
#[test]
fn child_writer() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    write_until_killed(Path::new(&path));
}

fn write_until_killed(path: &Path) {
    let mut out = std::io::stdout().lock();
    let mut ack = |line: String| {
        // One write per line, flushed at once: the parent trusts only complete lines.
        out.write_all(format!("{line}\n").as_bytes())
            .expect("child: write ack");
        out.flush().expect("child: flush ack");
    };
    let opened = Library::open(path).expect("child: open the database");
    if let Some(m) = &opened.moved_aside {
        ack(format!("moved {} ({})", m.moved_to.display(), m.reason));
    }
    let lib = opened.library;
    ack("ack open".into());

    let mut ids: Vec<AgreementId> = lib
        .list(&ListQuery {
            limit: 1000,
            ..ListQuery::default()
        })
        .expect("child: list")
        .items
        .into_iter()
        .map(|s| s.id)
        .collect();
    ids.sort();
    while ids.len() < 2 {
        let id = lib
            .create(GERMAN, Some(&format!("Crash {}", ids.len())), None)
            .expect("child: create");
        ack(format!("ack create {id}"));
        ids.push(id);
    }

    let mut rng = rand::rng();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut round = 0usize;
    while Instant::now() < deadline {
        let id = ids[round % 2];
        round += 1;
        let draft = lib.draft(id).expect("child: read draft");
        let mut a = draft.agreement;
        // Unique per revision (so a freeze never repeats the last version), of random size so
        // that writes span a varying number of pages.
        let filler = "Zeitpunkt der Wiederherstellung. ".repeat(rng.random_range(0..600));
        a.metrics.clauses = format!(
            "Fassung {} von Lauf {}.\n\n{filler}",
            draft.revision + 1,
            std::process::id()
        );
        let (_, hash) = canonical_with_hash(&a).expect("child: canonical form");
        let saved = lib.save_draft(id, &a).expect("child: save draft");
        assert!(saved.changed, "child: every save changes the draft");
        ack(format!("ack save {id} {} {hash}", saved.revision));
        if rng.random_range(0..3) == 0 {
            let v = lib.freeze(id, "crash test").expect("child: freeze");
            ack(format!("ack freeze {id} {} {}", v.number, v.hash));
        }
    }
}

/// Everything the children acknowledged on one database.
#[derive(Default)]
struct Acks {
    created: Vec<AgreementId>,
    /// Last acknowledged save per agreement: (revision, draft hash).
    saves: BTreeMap<AgreementId, (u32, String)>,
    /// Every acknowledged version: (agreement, number) → hash.
    versions: BTreeMap<(AgreementId, u32), String>,
    save_count: usize,
}

impl Acks {
    /// Records one line; checks on the fly that no acknowledged write went missing.
    fn record(&mut self, line: &str) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let id = |s: &str| AgreementId(s.parse().unwrap_or_else(|_| panic!("bad id in {line:?}")));
        let num = |s: &str| {
            s.parse::<u32>()
                .unwrap_or_else(|_| panic!("bad number in {line:?}"))
        };
        match words.as_slice() {
            ["moved", ..] => {
                panic!("the child found the database unusable and moved it aside: {line}")
            }
            ["ack", "open"] => {}
            ["ack", "create", i] => self.created.push(id(i)),
            ["ack", "save", i, rev, hash] => {
                let (id, rev) = (id(i), num(rev));
                if let Some((last, _)) = self.saves.get(&id) {
                    assert!(
                        rev > *last,
                        "agreement {id}: revision {rev} acknowledged after {last}: a save was lost"
                    );
                }
                self.saves.insert(id, (rev, hash.to_string()));
                self.save_count += 1;
            }
            ["ack", "freeze", i, n, hash] => {
                let (id, n) = (id(i), num(n));
                let newest = self
                    .versions
                    .range((id, 0)..=(id, u32::MAX))
                    .next_back()
                    .map(|((_, n), _)| *n);
                assert!(
                    newest.is_none_or(|last| n > last),
                    "agreement {id}: version {n} acknowledged after version {newest:?}: a version was lost"
                );
                self.versions.insert((id, n), hash.to_string());
            }
            _ => {} // libtest's own lines
        }
    }
}

/// Runs one child until its first acknowledgement, waits 0–30 ms, kills it with SIGKILL and
/// records everything it acknowledged.
fn kill_one(exe: &Path, db: &Path, log: &Path, acks: &mut Acks, rng: &mut impl Rng) {
    let stderr = std::fs::File::create(log).expect("child log");
    let mut child = Command::new(exe)
        .args([
            "crash::child_writer",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, db)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("spawn the child writer");
    let stdout = child.stdout.take().expect("child stdout");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut buf = Vec::new();
            match r.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                // A line cut off by the kill was never acknowledged.
                Ok(_) if buf.ends_with(b"\n") => {
                    let _ = tx.send(String::from_utf8_lossy(&buf).trim_end().to_string());
                }
                Ok(_) => break,
            }
        }
    });
    let started = Instant::now();
    loop {
        let left = START_TIMEOUT.saturating_sub(started.elapsed());
        match rx.recv_timeout(left) {
            Ok(line) => {
                let first_ack = line.starts_with("ack ") || line.starts_with("moved ");
                acks.record(&line);
                if first_ack {
                    break;
                }
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the child did not acknowledge anything: {}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
        }
    }
    std::thread::sleep(Duration::from_millis(rng.random_range(0..=MAX_DELAY_MS)));
    let _ = child.kill(); // SIGKILL
    let status = child.wait().expect("wait for the child");
    reader.join().expect("reader thread");
    for line in rx.try_iter() {
        acks.record(&line);
    }
    assert_eq!(
        status.signal(),
        Some(9),
        "the child must die by SIGKILL, not exit on its own ({status}): {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// Checks a database after many kills against what was acknowledged.
fn verify(db: &Path, acks: &Acks) {
    let conn = raw(db);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "SQLite's integrity check after the kills");
    drop(conn);

    let opened = open(db, &TestClock::new());
    assert!(
        opened.moved_aside.is_none(),
        "the database after the kills is usable, not moved aside"
    );
    let lib = opened.library;
    for id in &acks.created {
        lib.summary(*id)
            .unwrap_or_else(|e| panic!("acknowledged agreement {id} is missing: {e}"));
    }
    for (id, (rev, hash)) in &acks.saves {
        let d = lib
            .draft(*id)
            .unwrap_or_else(|e| panic!("draft of {id} unreadable: {e}"));
        assert!(
            d.revision >= *rev,
            "agreement {id}: stored revision {} < acknowledged {rev}",
            d.revision
        );
        if d.revision == *rev {
            let (_, stored) = canonical_with_hash(&d.agreement).unwrap();
            assert_eq!(
                &stored, hash,
                "agreement {id}: the acknowledged revision {rev} is stored byte-exact"
            );
        }
    }
    for ((id, n), hash) in &acks.versions {
        let v = lib
            .version(*id, *n)
            .unwrap_or_else(|e| panic!("acknowledged version {n} of {id}: {e}"));
        assert_eq!(
            &v.info.hash, hash,
            "version {n} of {id} has the acknowledged hash"
        );
        let content = lib.version_content(*id, *n).unwrap();
        assert_eq!(
            &sha256(content.as_bytes()),
            hash,
            "version {n} of {id}: stored bytes hash to it"
        );
    }
    let ids: std::collections::BTreeSet<AgreementId> =
        acks.saves.keys().chain(&acks.created).copied().collect();
    for id in ids {
        let versions = lib.versions(id).unwrap();
        let mut previous: Option<String> = None;
        for (i, v) in versions.iter().enumerate() {
            assert_eq!(
                v.number as usize,
                i + 1,
                "agreement {id}: version numbers have no gaps"
            );
            assert_eq!(
                v.previous_hash, previous,
                "agreement {id}: version {} links to its predecessor",
                v.number
            );
            let content = lib.version_content(id, v.number).unwrap();
            assert_eq!(
                sha256(content.as_bytes()),
                v.hash,
                "agreement {id}: version {} re-hashes",
                v.number
            );
            previous = Some(v.hash.clone());
        }
    }
}

#[test]
fn sigkill_never_loses_an_acknowledged_write() {
    let kills: usize = std::env::var(KILLS_ENV)
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(200);
    // On Linux, /proc/self/exe is this very binary even if a concurrent build has replaced or
    // deleted the file at current_exe() meanwhile.
    let proc_exe = Path::new("/proc/self/exe");
    let exe = if proc_exe.exists() {
        proc_exe.to_path_buf()
    } else {
        std::env::current_exe().expect("the test binary's path")
    };
    let mut rng = rand::rng();
    let started = Instant::now();
    let (mut done, mut saves, mut versions) = (0, 0, 0);
    while done < kills {
        let dir = test_dir();
        let log = dir.dir.path().join("child.log");
        let mut acks = Acks::default();
        let batch = (kills - done).min(KILLS_PER_DATABASE);
        for _ in 0..batch {
            kill_one(&exe, &dir.path, &log, &mut acks, &mut rng);
        }
        verify(&dir.path, &acks);
        assert!(
            acks.save_count > 0 && !acks.versions.is_empty(),
            "the children acknowledged saves and versions"
        );
        done += batch;
        saves += acks.save_count;
        versions += acks.versions.len();
    }
    eprintln!(
        "crash: {kills} kills, {saves} acknowledged saves, {versions} acknowledged versions, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
