//! Profile of the full-text search on the 10,000-agreement library that `benches/library.rs`
//! caches in `target/bench-data/` (run that first): the engine's search statement taken apart,
//! next to a candidate fix, with SQLite's default page cache and with a larger one.
//!
//! Run: `cargo bench --bench search_profile`. It opens the cached library read-only with
//! rusqlite and runs SQL directly, so `CURRENT` is a copy of the statement in
//! `src/store/search.rs` (`Snapshot::search`) at the time of writing; keep them in step.
//!
//! Variants:
//! - `current`: the engine's statement — joins `agreements` and computes `snippet()` for
//!   matching rows before the `ORDER BY … LIMIT` cut;
//! - `no snippet`: the same without `snippet()`;
//! - `bm25 only`: only ranking all matches, no join, no snippet (the floor of this schema);
//! - `rank, then page`: FTS5's own `ORDER BY rank` with the same bm25 weights, snippets and
//!   the join only for the returned page (the suggested fix).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OpenFlags};

const CURRENT: &str = "SELECT a.id, a.title, a.customer, a.status,
        snippet(agreement_fts, -1, '[', ']', '…', 12)
 FROM agreement_fts JOIN agreements a ON a.id = agreement_fts.rowid
 WHERE agreement_fts MATCH ?1
 ORDER BY bm25(agreement_fts, 10.0, 5.0, 1.0), a.id
 LIMIT ?2";
const NO_SNIPPET: &str = "SELECT a.id, a.title, a.customer, a.status, ''
 FROM agreement_fts JOIN agreements a ON a.id = agreement_fts.rowid
 WHERE agreement_fts MATCH ?1
 ORDER BY bm25(agreement_fts, 10.0, 5.0, 1.0), a.id
 LIMIT ?2";
const BM25_ONLY: &str =
    "SELECT rowid, '', '', '', '' FROM agreement_fts WHERE agreement_fts MATCH ?1
 ORDER BY bm25(agreement_fts, 10.0, 5.0, 1.0), rowid LIMIT ?2";
const RANK_THEN_PAGE: &str = "SELECT a.id, a.title, a.customer, a.status, f.snip
 FROM (SELECT rowid, rank, snippet(agreement_fts, -1, '[', ']', '…', 12) AS snip
       FROM agreement_fts
       WHERE agreement_fts MATCH ?1 AND rank MATCH 'bm25(10.0, 5.0, 1.0)'
       ORDER BY rank LIMIT ?2) AS f
 JOIN agreements a ON a.id = f.rowid
 ORDER BY f.rank, a.id";

/// The queries of `benches/library.rs`, as `Store::search` turns them into FTS5 syntax.
const QUERIES: &[&str] = &[
    "\"Hoffmann\"*",
    "\"Eskalation\"*",
    "\"Störung\"*",
    "\"Kühlkette\"*",
    "\"Wartungsfenster\"* \"Lüneburg\"*",
];

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let runs = if full { 40 } else { 2 };
    let data = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench-data");
    let mut libraries: Vec<PathBuf> = std::fs::read_dir(&data)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("agreements-10000-") && name.ends_with(".db")
        })
        .collect();
    libraries.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    let Some(path) = libraries.pop() else {
        println!(
            "no cached library in {}; run `cargo bench --bench library` first",
            data.display()
        );
        return;
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "search profile on {} (SQLite {}), load average {}",
        path.display(),
        rusqlite::version(),
        load.trim()
    );
    println!("p50 / p95 in ms, {runs} runs per query, queries interleaved; 20 hits per query\n");
    let variants = [
        ("current", CURRENT),
        ("no snippet", NO_SNIPPET),
        ("bm25 only", BM25_ONLY),
        ("rank, then page", RANK_THEN_PAGE),
    ];
    for (cache_kib, label) in [
        (2000, "SQLite's default page cache (2 MB)"),
        (65536, "cache_size = -65536 (64 MB)"),
    ] {
        let conn =
            Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
        conn.pragma_update(None, "cache_size", -cache_kib)
            .expect("cache_size");
        println!("== {label}");
        println!(
            "{:<16}{}   pooled p95",
            "",
            QUERIES
                .iter()
                .map(|q| format!(
                    "{:>17}",
                    q.replace(['"', '*'], "")
                        .chars()
                        .take(15)
                        .collect::<String>()
                ))
                .collect::<String>()
        );
        let mut reference: Vec<Vec<i64>> = Vec::new();
        for (name, sql) in variants {
            let mut stmt = conn.prepare(sql).expect("prepare");
            let mut times: Vec<Vec<Duration>> = vec![Vec::new(); QUERIES.len()];
            let mut ids: Vec<Vec<i64>> = vec![Vec::new(); QUERIES.len()];
            for _ in 0..runs {
                for (i, q) in QUERIES.iter().enumerate() {
                    let start = Instant::now();
                    ids[i] = stmt
                        .query_map(params![q, 20], |r| {
                            let _snippet: String = r.get(4)?;
                            r.get::<_, i64>(0)
                        })
                        .expect("query")
                        .collect::<rusqlite::Result<_>>()
                        .expect("rows");
                    times[i].push(start.elapsed());
                }
            }
            let mut line = format!("{name:<16}");
            for t in &mut times {
                line.push_str(&format!(
                    "    {:>5.1} / {:>5.1}",
                    pct(t, 50.0),
                    pct(t, 95.0)
                ));
            }
            let mut pooled: Vec<Duration> = times.concat();
            line.push_str(&format!("   {:>6.1}", pct(&mut pooled, 95.0)));
            if reference.is_empty() {
                reference = ids;
            } else if ids != reference {
                line.push_str("   (hits differ from `current`)");
            }
            println!("{line}");
        }
        println!();
    }
}

fn pct(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let i = ((p / 100.0 * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1;
    samples[i].as_secs_f64() * 1e3
}
