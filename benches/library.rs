//! Performance goals of the engine, measured next to the alternative a user would pick.
//!
//! Run with `scripts/bench.sh` (it runs `cargo bench --bench library` and prints the summary);
//! figures, machine and verdicts are in `BENCHMARKS.md`. One run has four phases:
//!
//! 1. **data** — a library of 10,000 agreements generated through the public API from the
//!    built-in templates (varied titles, customers, contacts, clause paragraphs and statuses).
//!    It is generated once (on tmpfs when there is one, because 20,000 `synchronous = FULL`
//!    commits would only measure the disk) and cached in `target/bench-data/`; the name holds
//!    a hash of the templates, so a changed template makes a new one. Every run works on a
//!    fresh copy in a temp dir on the same disk as `target/`, so the writing benchmarks (save,
//!    freeze) never change the cached file.
//! 2. **percentiles** — p50/p95/p99 of single calls timed with `Instant`: saves interleaved
//!    call by call with the disk's fsync latency and the JSON-file alternative (so load from
//!    other processes hits all of them alike), then list, search, freeze and diff.
//! 3. **criterion** — the same operations as criterion benchmarks (means with confidence
//!    intervals), the alternatives beside them.
//! 4. **summary** — goals, figures, ratios and verdicts, printed and written to
//!    `target/bench-data/summary.md`.
//!
//! `cargo test --benches` (no `--bench` flag) runs a smoke version on 200 agreements.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, TimeZone, Utc};
use criterion::Criterion;
use serde_json::Value;
use std::hint::black_box;

use pactum::canonical::{canonical_with_hash, sha256_hex};
use pactum::model::{clause, Agreement, Language, Section};
use pactum::record::{AgreementId, ListQuery, Status};
use pactum::{check, diff, interchange, template, Library};

/// Bumped whenever the generator changes, so an old cached library is not reused.
const GENERATOR_VERSION: u32 = 1;
const TEMPLATES: [&str; 3] = ["it-support-de", "retail-charter-de", "saas-support-en"];
/// Hits per search; the CLI's default `--limit`.
const SEARCH_LIMIT: u32 = 20;

// ================================================================ configuration

struct Config {
    /// `--bench` given: a real measurement. Otherwise a smoke test (`cargo test --benches`).
    full: bool,
    agreements: usize,
    saves: usize,
    warmup: usize,
    search_runs: usize,
    list_runs: usize,
    freezes: usize,
    diff_runs: usize,
}

impl Config {
    fn from_args() -> Config {
        let full = std::env::args().any(|a| a == "--bench");
        if full {
            Config {
                full,
                agreements: 10_000,
                saves: 500,
                warmup: 20,
                search_runs: 100,
                list_runs: 200,
                freezes: 100,
                diff_runs: 100,
            }
        } else {
            Config {
                full,
                agreements: 200,
                saves: 20,
                warmup: 2,
                search_runs: 5,
                list_runs: 5,
                freezes: 5,
                diff_runs: 3,
            }
        }
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

// ================================================================ statistics

#[derive(Clone, Copy, Default)]
struct Stats {
    n: usize,
    mean: Duration,
    p50: Duration,
    p95: Duration,
    p99: Duration,
    max: Duration,
}

fn stats(samples: &[Duration]) -> Stats {
    if samples.is_empty() {
        return Stats::default();
    }
    let mut s = samples.to_vec();
    s.sort();
    // Nearest-rank percentile: the smallest sample with at least p % of samples at or below it.
    let rank = |p: f64| s[((p / 100.0 * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1];
    Stats {
        n: s.len(),
        mean: s.iter().sum::<Duration>() / s.len() as u32,
        p50: rank(50.0),
        p95: rank(95.0),
        p99: rank(99.0),
        max: s[s.len() - 1],
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

impl Stats {
    fn line(&self, what: &str) -> String {
        format!(
            "{what:<44} n={:<4} mean {:>8.3} ms  p50 {:>8.3}  p95 {:>8.3}  p99 {:>8.3}  max {:>8.3}",
            self.n,
            ms(self.mean),
            ms(self.p50),
            ms(self.p95),
            ms(self.p99),
            ms(self.max)
        )
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

// ================================================================ generator

/// A small deterministic generator (SplitMix64), so every machine builds the same library.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SURNAMES: &[&str] = &[
    "Müller",
    "Schäfer",
    "Becker",
    "Hoffmann",
    "Krüger",
    "Weiß",
    "Jäger",
    "Köhler",
    "Schröder",
    "Braun",
    "Zimmermann",
    "Hartmann",
    "Lange",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Fuchs",
    "Böhm",
    "Vogel",
    "Franke",
    "Sommer",
    "Lorenz",
    "Baumann",
    "Graf",
    "Kühn",
    "Ziegler",
    "Brandt",
    "Haas",
    "Schulze",
    "Okonkwo",
    "Nowak",
    "Yilmaz",
    "Petersen",
    "Lindqvist",
    "Moreau",
    "Rossi",
];
const FIRST_NAMES: &[&str] = &[
    "Anna",
    "Jürgen",
    "Sören",
    "Özlem",
    "Björn",
    "Mia",
    "Lukas",
    "Lea",
    "Jonas",
    "Hannah",
    "Tobias",
    "Leonie",
    "Małgorzata",
    "Ahmet",
    "Clara",
    "Felix",
    "Emily",
    "Noah",
    "Greta",
    "René",
];
const KINDS_DE: &[&str] = &[
    "Logistik",
    "Maschinenbau",
    "Bäckereien",
    "Stadtwerke",
    "Versicherungsmakler",
    "Kliniken",
    "Handel",
    "Elektrotechnik",
    "Immobilien",
    "Software",
    "Steuerberatung",
    "Druckerei",
    "Brauerei",
    "Spedition",
    "Möbelhaus",
    "Zahnärzte",
    "Autohaus",
    "Getränkefachmarkt",
];
const KINDS_EN: &[&str] = &[
    "Logistics",
    "Engineering",
    "Bakeries",
    "Utilities",
    "Insurance",
    "Clinics",
    "Retail",
    "Electronics",
    "Property",
    "Software",
    "Accountants",
    "Printing",
    "Brewing",
    "Freight",
    "Furniture",
    "Dental",
];
const FORMS_DE: &[&str] = &["GmbH", "AG", "KG", "GmbH & Co. KG", "e. K.", "SE", "eG"];
const FORMS_EN: &[&str] = &["Ltd", "plc", "Inc.", "LLP", "Group"];
const CITIES: &[&str] = &[
    "Hannover",
    "Lüneburg",
    "Göttingen",
    "Würzburg",
    "Köln",
    "München",
    "Nürnberg",
    "Düsseldorf",
    "Saarbrücken",
    "Osnabrück",
    "Bremen",
    "Kiel",
    "Erfurt",
    "Dresden",
    "Mönchengladbach",
    "Fürth",
    "Lübeck",
    "Gießen",
];
const STREETS: &[&str] = &[
    "Hauptstraße",
    "Bahnhofstraße",
    "Industriestraße",
    "Am Mühlbach",
    "Königsallee",
    "Gartenweg",
];
const PHRASES_DE: &[&str] = &[
    "das Wartungsfenster liegt dienstags zwischen 20:00 und 22:00 Uhr",
    "ein Rückruf durch die Fachabteilung erfolgt innerhalb eines Werktags",
    "die Betreuung umfasst die Kassensysteme und Handscanner",
    "Ersatzgeräte werden aus dem Lager am Standort bereitgestellt",
    "die Überwachung der Kühlkette wird als kritischer Dienst behandelt",
    "die Datensicherung der Warenwirtschaft läuft täglich um 23:00 Uhr",
    "neue Mitarbeitende werden in das Ticketsystem eingewiesen",
    "Störungen der Produktionsleitstände werden stets als P1 eingestuft",
    "der Zugang zum Serverraum erfolgt nur in Begleitung der Haustechnik",
    "die Filialen sind über SD-WAN mit dem Rechenzentrum verbunden",
    "die Zeiterfassungsterminals werden quartalsweise geprüft",
    "die Lizenzverwaltung der CAD-Arbeitsplätze obliegt dem Anbieter",
    "Änderungen an der Firewall bedürfen der Freigabe durch die Geschäftsführung",
    "das Laborinformationssystem wird außerhalb der Servicezeit nicht betreut",
];
const PHRASES_EN: &[&str] = &[
    "the maintenance window is on Tuesdays between 20:00 and 22:00",
    "a call-back from the specialist team follows within one business day",
    "support covers the point-of-sale terminals and hand-held scanners",
    "spare devices are provided from the local warehouse",
    "monitoring of the cold chain is treated as a critical service",
    "the inventory system is backed up daily at 23:00",
    "new staff are introduced to the ticketing system",
    "incidents of the production control stations are always rated Severity 1",
    "access to the server room is only granted with facilities staff present",
    "branches connect to the data centre over SD-WAN",
];

fn clauses_mut(a: &mut Agreement, s: Section) -> &mut String {
    match s {
        Section::Overview => &mut a.overview.clauses,
        Section::ServiceStandards => &mut a.service_standards.clauses,
        Section::SupportLevels => &mut a.support_levels.clauses,
        Section::Channels => &mut a.channels.clauses,
        Section::Departments => &mut a.departments.clauses,
        Section::Metrics => &mut a.metrics.clauses,
        Section::Feedback => &mut a.feedback.clauses,
        Section::Duties => &mut a.duties.clauses,
        Section::Training => &mut a.training.clauses,
        Section::Amendments => &mut a.amendments.clauses,
    }
}

/// Agreement `i` of the generated library: its template, title and content.
fn generated(i: usize, bases: &[(&'static str, Agreement)]) -> (&'static str, String, Agreement) {
    let mut rng = Rng(0x5041_4354_0000_0000 ^ i as u64);
    let (template_id, base) = &bases[i % bases.len()];
    let mut a = base.clone();
    let de = a.language == Language::De;
    let surname = rng.pick(SURNAMES);
    let customer = if de {
        format!("{surname} {} {}", rng.pick(KINDS_DE), rng.pick(FORMS_DE))
    } else {
        format!("{surname} {} {}", rng.pick(KINDS_EN), rng.pick(FORMS_EN))
    };
    let city = rng.pick(CITIES);
    a.overview.customer.name = customer.clone();
    a.overview.customer.address = format!(
        "{} {}, {:05} {city}",
        rng.pick(STREETS),
        1 + rng.below(120),
        10_000 + rng.below(89_999)
    );
    for (k, contact) in a.overview.customer.contacts.iter_mut().enumerate() {
        contact.name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES));
        contact.email = format!("kontakt{k}@kunde-{i}.example.de");
    }
    let year = 2024 + rng.below(4);
    a.title = match rng.below(3) {
        0 => format!("{} – {customer}", base.title),
        1 => format!("{customer}: {} {year}", base.title),
        _ => format!("{} {city} ({customer})", base.title),
    };
    // Two or three site-specific paragraphs in random sections, so clause words vary.
    let phrases = if de { PHRASES_DE } else { PHRASES_EN };
    for _ in 0..2 + rng.below(2) {
        let section = Section::ALL[rng.below(Section::ALL.len())];
        let (site, person) = (
            rng.pick(CITIES),
            format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES)),
        );
        let phrase = rng.pick(phrases);
        let text = if de {
            format!("\n\n### Ergänzung Standort {site}\n\nFür den Standort {site} gilt ergänzend: {phrase}. Ansprechpartner vor Ort ist {person}.")
        } else {
            format!("\n\n### Addendum for the {site} site\n\nFor the {site} site, additionally {phrase}. The local contact is {person}.")
        };
        clauses_mut(&mut a, section).push_str(&text);
    }
    (template_id, a.title.clone(), a)
}

fn bases() -> Vec<(&'static str, Agreement)> {
    TEMPLATES
        .iter()
        .map(|id| (*id, template::instantiate(id).expect("built-in template")))
        .collect()
}

/// Name of the cached library: count, generator version and a hash of the schema version and
/// the templates, so a new migration or a changed template makes a new library.
fn cache_name(n: usize) -> String {
    let mut all = String::new();
    for (_, a) in bases() {
        all.push_str(&interchange::to_json(&a));
    }
    let schema = pactum::store::schema_version();
    let hash = sha256_hex(format!("{GENERATOR_VERSION}\n{schema}\n{all}").as_bytes());
    format!("agreements-{n}-g{GENERATOR_VERSION}-{}.db", &hash[..12])
}

/// Clock for generation: one agreement every ~53 minutes from 2025-01-01, so `updated_at`
/// spreads over about a year as in a real library.
fn spread_clock() -> Box<dyn Fn() -> DateTime<Utc> + Send + Sync> {
    let start = Utc
        .with_ymd_and_hms(2025, 1, 1, 8, 0, 0)
        .unwrap()
        .timestamp_millis();
    let tick = Arc::new(AtomicI64::new(0));
    Box::new(move || {
        let k = tick.fetch_add(1, Ordering::Relaxed);
        Utc.timestamp_millis_opt(start + k * 1_597_000).unwrap()
    })
}

/// Writes `n` agreements into a new database at `path`, on two threads (the library
/// serialises writes; validation, canonical JSON and checks run outside its lock).
fn generate(path: &Path, n: usize) -> Duration {
    let start = Instant::now();
    let lib = Library::open_with_clock(path, spread_clock())
        .expect("open the new library")
        .library;
    let bases = bases();
    let threads = std::thread::available_parallelism()
        .map_or(2, |p| p.get())
        .min(4);
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (lib, bases) = (&lib, &bases);
            scope.spawn(move || {
                for i in (t..n).step_by(threads) {
                    let (template_id, title, agreement) = generated(i, bases);
                    let id = lib.create(template_id, Some(&title), None).expect("create");
                    lib.save_draft(id, &agreement)
                        .expect("save the varied draft");
                    // 10 % have a frozen version, 2.5 % of those are in review, 3 % are archived.
                    if i % 10 == 3 {
                        lib.freeze(id, "Erstfassung").expect("freeze");
                        if i % 40 == 3 {
                            lib.request_review(id).expect("review");
                        }
                    } else if i % 33 == 5 {
                        lib.archive(id).expect("archive");
                    }
                    if t == 0 && i % 1000 < threads {
                        eprint!("\r  generated {i}/{n} agreements …");
                    }
                }
            });
        }
    });
    eprintln!(
        "\r  generated {n}/{n} agreements in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    drop(lib); // closing checkpoints the WAL into the main file
    start.elapsed()
}

fn count_all(lib: &Library) -> u32 {
    let all = lib
        .list(&ListQuery {
            limit: 1,
            ..ListQuery::default()
        })
        .expect("list")
        .total;
    let archived = lib
        .list(&ListQuery {
            status: Some(Status::Archived),
            limit: 1,
            ..ListQuery::default()
        })
        .expect("list")
        .total;
    all + archived
}

/// The cached library of `n` agreements in `data`, generated if missing.
fn cached_library(data: &Path, n: usize) -> PathBuf {
    let name = cache_name(n);
    let path = data.join(&name);
    if path.exists() {
        let lib = Library::open(&path)
            .expect("open the cached library")
            .library;
        if count_all(&lib) as usize == n {
            eprintln!("  reusing {}", path.display());
            return path;
        }
        drop(lib);
        eprintln!(
            "  {} has the wrong count; generating it again",
            path.display()
        );
    }
    // Remove libraries of older generator versions or templates (they are large).
    for entry in fs::read_dir(data).expect("read bench-data").flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&format!("agreements-{n}-")) {
            let _ = fs::remove_file(entry.path());
        }
    }
    let shm = Path::new("/dev/shm");
    let scratch_dir = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        data.to_path_buf()
    };
    let scratch = scratch_dir.join(format!("pactum-bench-gen-{}.db", std::process::id()));
    eprintln!(
        "  generating {n} agreements in {} (once; cached afterwards)",
        scratch.display()
    );
    generate(&scratch, n);
    let partial = data.join(format!("{name}.partial"));
    fs::copy(&scratch, &partial).expect("copy the generated library");
    for suffix in ["-wal", "-shm"] {
        let companion = PathBuf::from(format!("{}{suffix}", scratch.display()));
        assert!(
            !companion.exists() || suffix == "-shm",
            "the WAL was not checkpointed on close"
        );
        let _ = fs::remove_file(companion);
    }
    fs::remove_file(&scratch).expect("remove the scratch library");
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .expect("sync the cached library");
    fs::rename(&partial, &path).expect("rename the cached library");
    path
}

/// Removes working copies left behind by runs that were killed.
fn remove_stale_runs(data: &Path) {
    for entry in fs::read_dir(data).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix("run-") else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or_default();
        if !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

// ================================================================ the 15-page diff

fn word_count(a: &Agreement) -> usize {
    Section::ALL
        .iter()
        .map(|s| a.clauses(*s).split_whitespace().count())
        .sum()
}

/// The German IT template with its clause text grown to about 15 pages (≥ 4,300 words) by
/// adding varied copies of its own paragraphs, and a second version of it with ~10 changed
/// terms and several changed clause paragraphs.
fn fifteen_pages() -> (Agreement, Agreement) {
    let mut a = template::instantiate("it-support-de").expect("template");
    let originals: Vec<(Section, Vec<String>)> = Section::ALL
        .iter()
        .map(|s| {
            let paras = a
                .clauses(*s)
                .split("\n\n")
                .filter(|p| {
                    !p.trim_start().starts_with("###") && p.split_whitespace().count() >= 12
                })
                .map(str::to_string)
                .collect();
            (*s, paras)
        })
        .collect();
    let mut k = 0;
    'grow: for round in 0.. {
        for (section, paras) in &originals {
            if let Some(p) = paras
                .get(round % paras.len().max(1))
                .filter(|_| !paras.is_empty())
            {
                if word_count(&a) >= 4_300 {
                    break 'grow;
                }
                k += 1;
                let city = CITIES[k % CITIES.len()];
                let text = format!("\n\n### Ergänzende Regelung {k} (Standort {city})\n\nFür den Standort {city} gilt: {p}");
                clauses_mut(&mut a, *section).push_str(&text);
            }
        }
        assert!(
            round < 100,
            "the template has too little clause text to grow"
        );
    }

    let mut v = serde_json::to_value(&a).expect("serialize");
    let terms: [(&str, Value); 11] = [
        ("/support_levels/priorities/0/resolution", "6 h".into()),
        (
            "/support_levels/priorities/0/first_response",
            "30 min".into(),
        ),
        ("/support_levels/priorities/1/resolution", "12 h".into()),
        ("/metrics/availability_target", "99.7 %".into()),
        ("/metrics/credit_cap", "15 %".into()),
        ("/overview/term/initial_months", 36.into()),
        ("/overview/term/notice", "6 months".into()),
        (
            "/support_levels/service_tiers/0/price",
            "9450.00 EUR".into(),
        ),
        ("/metrics/reviews/cadence", "monthly".into()),
        ("/feedback/complaints/resolution", "5 business days".into()),
        (
            "/overview/payment_terms",
            "Quartalsweise im Voraus, zahlbar innerhalb von 14 Tagen.".into(),
        ),
    ];
    for (pointer, value) in terms {
        if let Some(slot) = v.pointer_mut(pointer) {
            *slot = value;
        }
    }
    let mut b: Agreement = serde_json::from_value(v).expect("the changed terms are valid");
    // Clause changes: reword a paragraph in five sections, drop one, add one.
    for (n, section) in [
        Section::Overview,
        Section::SupportLevels,
        Section::Metrics,
        Section::Duties,
        Section::Training,
    ]
    .into_iter()
    .enumerate()
    {
        let text = clauses_mut(&mut b, section);
        let paras: Vec<&str> = text.split("\n\n").collect();
        if let Some(i) = paras
            .iter()
            .position(|p| !p.starts_with("###") && p.split_whitespace().count() > 20)
        {
            let mut words: Vec<String> = paras[i].split(' ').map(str::to_string).collect();
            let inserted = ["ausdrücklich", "schriftlich", "unverzüglich"][n % 3];
            for w in words.iter_mut().skip(3 + n).step_by(9) {
                *w = format!("{w} {inserted}");
            }
            let mut paras: Vec<String> = paras.iter().map(|p| p.to_string()).collect();
            paras[i] = words.join(" ");
            *text = paras.join("\n\n");
        }
    }
    {
        let text = clauses_mut(&mut b, Section::Channels);
        let mut paras: Vec<String> = text.split("\n\n").map(str::to_string).collect();
        if paras.len() > 3 {
            paras.remove(2);
        }
        *text = paras.join("\n\n");
    }
    clauses_mut(&mut b, Section::Feedback).push_str(
        "\n\nDer Anbieter veröffentlicht die Ergebnisse der Zufriedenheitsumfragen vierteljährlich im \
         Kundenportal und erläutert im Service-Review, welche Verbesserungen er daraus ableitet.",
    );
    (a, b)
}

// ================================================================ the alternatives

/// What a file-based tool does to save: write the JSON next to the file, fsync it, rename it
/// over the old one, fsync the directory.
fn save_json_file(dir: &Path, agreement: &Agreement) {
    let text = interchange::to_json(agreement);
    let tmp = dir.join("agreement.json.tmp");
    let mut f = File::create(&tmp).expect("create");
    f.write_all(text.as_bytes()).expect("write");
    f.sync_all().expect("fsync");
    drop(f);
    fs::rename(&tmp, dir.join("agreement.json")).expect("rename");
    File::open(dir)
        .and_then(|d| d.sync_all())
        .expect("fsync dir");
}

/// The disk's own latency: write 4 KB and `sync_all`. `append` grows the file (metadata
/// changes each time, like a growing WAL); otherwise the same 4 KB are overwritten.
struct FsyncProbe {
    file: File,
    offset: u64,
    append: bool,
    buf: Vec<u8>,
}

impl FsyncProbe {
    fn new(path: &Path, append: bool) -> FsyncProbe {
        let file = OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(path)
            .expect("probe");
        FsyncProbe {
            file,
            offset: 0,
            append,
            buf: (0..4096u32).map(|i| (i * 31 % 251) as u8).collect(),
        }
    }
    fn once(&mut self) {
        self.buf[0] = self.buf[0].wrapping_add(1);
        self.file
            .write_all_at(&self.buf, self.offset)
            .expect("write");
        self.file.sync_all().expect("fsync");
        if self.append {
            self.offset += 4096;
        }
    }
}

/// The naive search: a case-insensitive substring scan of every exported agreement
/// (pre-lowercased once, the scan's best case), all words required. Returns the match count.
fn scan(exports: &[String], query: &str) -> usize {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    exports
        .iter()
        .filter(|doc| words.iter().all(|w| doc.contains(w.as_str())))
        .count()
}

/// The CPU part of `Library::save_draft` (what `Prepared::new` does before the store
/// writes), rebuilt from public functions to split a save into CPU and disk.
fn prepare_cpu(a: &Agreement) -> usize {
    interchange::validate(a).expect("valid");
    let (canonical, _hash) = canonical_with_hash(a).expect("canonical");
    let report = check::check(a);
    let mut body = String::new();
    for s in Section::ALL {
        body.push_str(&clause::plain_text(a.clauses(s)));
    }
    canonical.len() + body.len() + report.completeness as usize
}

// ================================================================ the run

struct Query {
    key: &'static str,
    what: &'static str,
    text: &'static str,
}

/// Realistic queries, from selective to very common. The generated library has 36 surnames
/// for customers and contacts, the two German templates use "Eskalation", the IT template
/// "Störung", and the site paragraphs add words such as "Kühlkette" and "Wartungsfenster".
const QUERIES: &[Query] = &[
    Query {
        key: "customer",
        what: "customer name",
        text: "Hoffmann",
    },
    Query {
        key: "clause_word",
        what: "clause word of both German templates",
        text: "Eskalation",
    },
    Query {
        key: "umlaut",
        what: "German word with umlaut, IT template",
        text: "Störung",
    },
    Query {
        key: "umlaut_rare",
        what: "umlaut word of a site paragraph",
        text: "Kühlkette",
    },
    Query {
        key: "two_words",
        what: "two words",
        text: "Wartungsfenster Lüneburg",
    },
];

struct Percentiles {
    save_10k: Stats,
    save_small: Stats,
    fsync_append: Stats,
    fsync_overwrite: Stats,
    json_file: Stats,
    prepare: Stats,
    checkpoint: Stats,
    no_checkpoint: Stats,
    list: Stats,
    search: Vec<(Stats, usize, usize)>, // stats, hits returned, scan matches
    search_all: Stats,
    freeze: Stats,
    freeze_cpu: Stats,
    diff: Stats,
}

fn main() {
    let cfg = Config::from_args();
    let run_start = SystemTime::now();
    let target = target_dir();
    let data = target.join("bench-data");
    fs::create_dir_all(&data).expect("create target/bench-data");
    remove_stale_runs(&data);
    let load_start = loadavg();
    eprintln!(
        "pactum benchmarks ({} mode), load average {load_start}",
        if cfg.full { "full" } else { "smoke" }
    );

    // ---------------------------------------------------------------- data
    let run = tempfile::Builder::new()
        .prefix(&format!("run-{}-", std::process::id()))
        .tempdir_in(&data)
        .expect("temp dir in target/bench-data");
    let db = run.path().join("library.db");
    if cfg.full {
        let cached = cached_library(&data, cfg.agreements);
        // Synced before measuring: otherwise the first WAL checkpoint's fsync would flush the
        // whole freshly copied file (~650 MB of dirty page cache) and take ~250 ms.
        let (_, copy) = timed(|| {
            fs::copy(&cached, &db).expect("copy the cached library");
            File::open(&db)
                .and_then(|f| f.sync_all())
                .expect("sync the working copy");
        });
        eprintln!(
            "  working copy {} ({} MB, copied and synced in {:.1} s)",
            db.display(),
            fs::metadata(&db).unwrap().len() >> 20,
            copy.as_secs_f64()
        );
    } else {
        generate(&db, cfg.agreements);
    }
    let (lib, open) = timed(|| Library::open(&db).expect("open the working copy").library);
    eprintln!(
        "  opened in {:.0} ms (includes PRAGMA quick_check)",
        ms(open)
    );
    let total = count_all(&lib) as usize;
    assert_eq!(
        total, cfg.agreements,
        "the library has the expected number of agreements"
    );
    let drafts = lib
        .list(&ListQuery {
            status: Some(Status::Draft),
            limit: 10,
            ..ListQuery::default()
        })
        .expect("list drafts")
        .items;
    let (save_id, freeze_id) = (drafts[0].id, drafts[1].id);

    let small_db = run.path().join("small.db");
    let small = Library::open(&small_db)
        .expect("open small library")
        .library;
    for t in TEMPLATES {
        small.create(t, None, None).expect("create");
    }
    let small_id = AgreementId(1);

    let json_dir = run.path().join("json-files");
    fs::create_dir_all(&json_dir).expect("json dir");
    let mut probe_append = FsyncProbe::new(&run.path().join("fsync-append.bin"), true);
    let mut probe_overwrite = FsyncProbe::new(&run.path().join("fsync-overwrite.bin"), false);

    let (long_a, long_b) = fifteen_pages();
    let cmp = diff::compare(&long_a, &long_b, Language::De);
    eprintln!(
        "  15-page diff input: {} / {} clause words, {} changed terms, {} sections with redlines",
        word_count(&long_a),
        word_count(&long_b),
        cmp.terms.len(),
        cmp.redlines.len()
    );

    eprintln!("  exporting every agreement as interchange JSON for the scan alternative …");
    let (exports, export_time) = timed(|| {
        let ids: Vec<AgreementId> = (1..=cfg.agreements as i64).map(AgreementId).collect();
        ids.iter()
            .map(|id| lib.export(*id).expect("export").to_lowercase())
            .collect::<Vec<String>>()
    });
    let export_mb = exports.iter().map(String::len).sum::<usize>() >> 20;
    eprintln!(
        "  {} exports, {export_mb} MB, in {:.1} s",
        exports.len(),
        export_time.as_secs_f64()
    );

    // ---------------------------------------------------------------- percentiles
    eprintln!("\n== percentiles (Instant around single calls) ==");
    let mut draft = lib.draft(save_id).expect("draft").agreement;
    let mut small_draft = small.draft(small_id).expect("draft").agreement;
    let base_terms = draft.overview.payment_terms.clone();
    let mut k = 0usize;
    let mut edit = |a: &mut Agreement| {
        k += 1;
        a.overview.payment_terms = format!("{base_terms} (Stand {k})");
    };
    let (mut save_10k, mut save_small, mut fs_app, mut fs_over, mut json_file, mut prep) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut with_checkpoint, mut without_checkpoint) = (vec![], vec![]);
    for r in 0..cfg.warmup + cfg.saves {
        let record = r >= cfg.warmup;
        // One call of each per turn: load from other processes hits all of them alike.
        edit(&mut draft);
        let before = modified(&db);
        let (_, d) = timed(|| lib.save_draft(save_id, &draft).expect("save"));
        if record {
            save_10k.push(d);
            // A save that changed the main file ran a WAL checkpoint (the WAL passed 1000 pages).
            (if modified(&db) != before {
                &mut with_checkpoint
            } else {
                &mut without_checkpoint
            })
            .push(d);
        }
        edit(&mut small_draft);
        let (_, d) = timed(|| small.save_draft(small_id, &small_draft).expect("save"));
        if record {
            save_small.push(d);
        }
        let (_, d) = timed(|| probe_append.once());
        if record {
            fs_app.push(d);
        }
        let (_, d) = timed(|| probe_overwrite.once());
        if record {
            fs_over.push(d);
        }
        let (_, d) = timed(|| save_json_file(&json_dir, &draft));
        if record {
            json_file.push(d);
        }
        let (_, d) = timed(|| black_box(prepare_cpu(&draft)));
        if record {
            prep.push(d);
        }
    }
    let mut pct = Percentiles {
        save_10k: stats(&save_10k),
        save_small: stats(&save_small),
        fsync_append: stats(&fs_app),
        fsync_overwrite: stats(&fs_over),
        json_file: stats(&json_file),
        prepare: stats(&prep),
        checkpoint: Stats::default(),
        no_checkpoint: Stats::default(),
        list: Stats::default(),
        search: vec![],
        search_all: Stats::default(),
        freeze: Stats::default(),
        freeze_cpu: Stats::default(),
        diff: Stats::default(),
    };
    eprintln!("{}", pct.save_10k.line("save_draft, 10k library"));
    pct.checkpoint = stats(&with_checkpoint);
    pct.no_checkpoint = stats(&without_checkpoint);
    eprintln!(
        "{}",
        pct.checkpoint
            .line("  of these: saves that ran a WAL checkpoint")
    );
    eprintln!(
        "{}",
        pct.no_checkpoint
            .line("  of these: saves without a checkpoint")
    );
    let mut slowest: Vec<(usize, Duration)> = save_10k.iter().copied().enumerate().collect();
    slowest.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    eprintln!(
        "  slowest saves (index: ms): {}",
        slowest
            .iter()
            .take(6)
            .map(|(i, d)| format!("{i}: {:.1}", ms(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    eprintln!("{}", pct.save_small.line("save_draft, 3-agreement library"));
    eprintln!(
        "{}",
        pct.fsync_append.line("fsync probe: append 4 KB + sync_all")
    );
    eprintln!(
        "{}",
        pct.fsync_overwrite
            .line("fsync probe: overwrite 4 KB + sync_all")
    );
    eprintln!(
        "{}",
        pct.json_file
            .line("alternative: JSON file + fsync + rename")
    );
    eprintln!(
        "{}",
        pct.prepare
            .line("CPU part of a save (validate/canon/check)")
    );

    let query = ListQuery::default();
    let mut list = vec![];
    for _ in 0..cfg.list_runs {
        list.push(timed(|| black_box(lib.list(&query).expect("list"))).1);
    }
    pct.list = stats(&list);
    eprintln!(
        "{}",
        pct.list.line("list first page (default query, 100 rows)")
    );

    let mut per_query: Vec<Vec<Duration>> = vec![vec![]; QUERIES.len()];
    let mut hits = vec![0; QUERIES.len()];
    for _ in 0..cfg.search_runs {
        for (i, q) in QUERIES.iter().enumerate() {
            let (h, d) = timed(|| lib.search(q.text, SEARCH_LIMIT).expect("search"));
            hits[i] = h.len();
            per_query[i].push(d);
        }
    }
    let all: Vec<Duration> = per_query.iter().flatten().copied().collect();
    pct.search_all = stats(&all);
    for (i, q) in QUERIES.iter().enumerate() {
        let matches = scan(&exports, q.text);
        pct.search.push((stats(&per_query[i]), hits[i], matches));
        eprintln!(
            "{}  hits {} (scan finds {matches})",
            stats(&per_query[i]).line(&format!("search \"{}\"", q.text)),
            hits[i]
        );
    }
    eprintln!("{}", pct.search_all.line("search, all queries pooled"));

    let mut fdraft = lib.draft(freeze_id).expect("draft").agreement;
    let mut freeze = vec![];
    for n in 0..cfg.freezes {
        fdraft.overview.payment_terms = format!("{base_terms} (Fassung {n})");
        lib.save_draft(freeze_id, &fdraft)
            .expect("save before freeze");
        freeze.push(timed(|| lib.freeze(freeze_id, "Benchmark").expect("freeze")).1);
    }
    pct.freeze = stats(&freeze);
    eprintln!("{}", pct.freeze.line("freeze (10k library)"));
    // What freeze does before its transaction: read and parse the draft, canonical JSON + hash.
    let mut freeze_cpu = vec![];
    for _ in 0..cfg.freezes {
        freeze_cpu.push(
            timed(|| {
                let d = lib.draft(freeze_id).expect("draft");
                black_box(canonical_with_hash(&d.agreement).expect("canonical"))
            })
            .1,
        );
    }
    pct.freeze_cpu = stats(&freeze_cpu);
    eprintln!(
        "{}",
        pct.freeze_cpu
            .line("  of it: read draft + canonical JSON + hash")
    );

    let mut diffs = vec![];
    for _ in 0..cfg.diff_runs {
        diffs.push(timed(|| black_box(diff::compare(&long_a, &long_b, Language::De))).1);
    }
    pct.diff = stats(&diffs);
    eprintln!("{}", pct.diff.line("diff of two 15-page versions"));

    // ---------------------------------------------------------------- criterion
    eprintln!("\n== criterion ==");
    let out_dir = target.join("criterion");
    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .output_directory(&out_dir)
        .configure_from_args();

    {
        let mut g = c.benchmark_group("save");
        g.bench_function("draft_10k", |b| {
            b.iter(|| {
                edit(&mut draft);
                lib.save_draft(save_id, &draft).expect("save")
            })
        });
        g.bench_function("draft_small", |b| {
            b.iter(|| {
                edit(&mut small_draft);
                small.save_draft(small_id, &small_draft).expect("save")
            })
        });
        g.bench_function("json_file_fsync", |b| {
            b.iter(|| save_json_file(&json_dir, &draft))
        });
        g.bench_function("fsync_4k_append", |b| b.iter(|| probe_append.once()));
        g.bench_function("prepare_cpu", |b| b.iter(|| prepare_cpu(black_box(&draft))));
        g.finish();
    }
    c.benchmark_group("list")
        .bench_function("first_page", |b| b.iter(|| lib.list(&query).expect("list")));
    {
        let mut g = c.benchmark_group("search");
        g.measurement_time(Duration::from_secs(5));
        for q in QUERIES {
            g.bench_function(format!("fts_{}", q.key), |b| {
                b.iter(|| lib.search(q.text, SEARCH_LIMIT).expect("search"))
            });
        }
        for q in QUERIES {
            g.bench_function(format!("scan_{}", q.key), |b| {
                b.iter(|| scan(&exports, q.text))
            });
        }
        g.finish();
    }
    // Criterion calls this closure more than once (warm-up, sampling): the counter lives outside.
    let mut n = 1_000_000usize;
    c.benchmark_group("freeze")
        .bench_function("freeze_10k", |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    n += 1;
                    fdraft.overview.payment_terms = format!("{base_terms} (Fassung {n})");
                    lib.save_draft(freeze_id, &fdraft)
                        .expect("save before freeze");
                    spent += timed(|| lib.freeze(freeze_id, "Benchmark").expect("freeze")).1;
                }
                spent
            })
        });
    c.benchmark_group("diff")
        .bench_function("compare_15_pages", |b| {
            b.iter(|| diff::compare(&long_a, &long_b, Language::De))
        });
    c.final_summary();

    // ---------------------------------------------------------------- summary
    let load_end = loadavg();
    let mean = |id: &str| criterion_mean(&out_dir, id, run_start);
    let summary = summary(&cfg, &pct, &mean, &load_start, &load_end, export_mb);
    println!("\n{summary}");
    if cfg.full {
        fs::write(data.join("summary.md"), &summary).expect("write summary.md");
    }
}

/// Criterion's estimate of a benchmark of this run, from its `estimates.json`: the slope (the
/// figure criterion prints) or, without one, the mean.
fn criterion_mean(dir: &Path, id: &str, since: SystemTime) -> Option<Duration> {
    let path = dir.join(id).join("new").join("estimates.json");
    let fresh = fs::metadata(&path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t >= since);
    if !fresh {
        return None;
    }
    let v: Value = serde_json::from_str(&fs::read_to_string(&path).ok()?).ok()?;
    let estimate = v["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| v["mean"]["point_estimate"].as_f64())?;
    Some(Duration::from_nanos(estimate as u64))
}

fn summary(
    cfg: &Config,
    p: &Percentiles,
    mean: &dyn Fn(&str) -> Option<Duration>,
    load_start: &str,
    load_end: &str,
    export_mb: usize,
) -> String {
    let f = |d: Duration| format!("{:.2} ms", ms(d));
    let fm = |id: &str| mean(id).map_or_else(|| "–".to_string(), |d| format!("{:.2} ms", ms(d)));
    // ratio(pactum, alternative) = alternative ÷ Pactum: above 1 Pactum is faster.
    let ratio = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
        (Some(a), Some(b)) if !a.is_zero() => format!("{:.2}×", b.as_secs_f64() / a.as_secs_f64()),
        _ => "–".to_string(),
    };
    let verdict = |ok: bool| if ok { "met" } else { "**not met**" };
    let mut rows: Vec<[String; 6]> = Vec::new();

    let save_goal = 2 * p.fsync_append.p99 + Duration::from_millis(1);
    rows.push([
        format!("Save a draft edit, {}-agreement library", cfg.agreements),
        format!("p99 ≤ 2 × fsync p99 + 1 ms = {}", f(save_goal)),
        format!(
            "p50 {} / p99 {} (criterion {}); fsync p50 {} / p99 {}",
            f(p.save_10k.p50),
            f(p.save_10k.p99),
            fm("save/draft_10k"),
            f(p.fsync_append.p50),
            f(p.fsync_append.p99)
        ),
        format!(
            "JSON file + fsync + rename: p50 {} / p99 {}",
            f(p.json_file.p50),
            f(p.json_file.p99)
        ),
        format!(
            "p50 {} / p99 {}",
            ratio(Some(p.save_10k.p50), Some(p.json_file.p50)),
            ratio(Some(p.save_10k.p99), Some(p.json_file.p99))
        ),
        verdict(p.save_10k.p99 <= save_goal).into(),
    ]);
    rows.push([
        "Save a draft edit, 3-agreement library".into(),
        format!("same: ≤ {}", f(save_goal)),
        format!(
            "p50 {} / p99 {} (criterion {})",
            f(p.save_small.p50),
            f(p.save_small.p99),
            fm("save/draft_small")
        ),
        "JSON file (as above)".into(),
        format!(
            "p50 {} / p99 {}",
            ratio(Some(p.save_small.p50), Some(p.json_file.p50)),
            ratio(Some(p.save_small.p99), Some(p.json_file.p99))
        ),
        verdict(p.save_small.p99 <= save_goal).into(),
    ]);
    let list_mean = mean("list/first_page").unwrap_or(p.list.mean);
    rows.push([
        format!("List first page (default query, 100 of {})", cfg.agreements),
        "≤ 20 ms".into(),
        format!(
            "criterion {} (p50 {} / p99 {})",
            fm("list/first_page"),
            f(p.list.p50),
            f(p.list.p99)
        ),
        "–".into(),
        "–".into(),
        verdict(list_mean <= Duration::from_millis(20) && p.list.p50 <= Duration::from_millis(20))
            .into(),
    ]);
    for (q, (s, hits, matches)) in QUERIES.iter().zip(&p.search) {
        let fts = mean(&format!("search/fts_{}", q.key));
        let sc = mean(&format!("search/scan_{}", q.key));
        rows.push([
            format!(
                "Search \"{}\" ({}; {} hits shown, {} agreements match)",
                q.text, q.what, hits, matches
            ),
            "p95 ≤ 20 ms".into(),
            format!(
                "p50 {} / p95 {} (criterion {})",
                f(s.p50),
                f(s.p95),
                fm(&format!("search/fts_{}", q.key))
            ),
            format!(
                "scan of {export_mb} MB JSON: criterion {}",
                fm(&format!("search/scan_{}", q.key))
            ),
            ratio(fts, sc),
            verdict(s.p95 <= Duration::from_millis(20)).into(),
        ]);
    }
    rows.push([
        "Search, all queries pooled".into(),
        "p95 ≤ 20 ms".into(),
        format!(
            "p50 {} / p95 {} / p99 {}",
            f(p.search_all.p50),
            f(p.search_all.p95),
            f(p.search_all.p99)
        ),
        "–".into(),
        "–".into(),
        verdict(p.search_all.p95 <= Duration::from_millis(20)).into(),
    ]);
    let freeze_mean = mean("freeze/freeze_10k").unwrap_or(p.freeze.mean);
    rows.push([
        format!("Freeze a version ({}-agreement library)", cfg.agreements),
        "≤ 5 ms".into(),
        format!(
            "criterion {} (p50 {} / p99 {})",
            fm("freeze/freeze_10k"),
            f(p.freeze.p50),
            f(p.freeze.p99)
        ),
        "–".into(),
        "–".into(),
        verdict(freeze_mean <= Duration::from_millis(5)).into(),
    ]);
    let diff_mean = mean("diff/compare_15_pages").unwrap_or(p.diff.mean);
    rows.push([
        "Diff of two 15-page versions".into(),
        "≤ 16 ms".into(),
        format!(
            "criterion {} (p50 {} / p99 {})",
            fm("diff/compare_15_pages"),
            f(p.diff.p50),
            f(p.diff.p99)
        ),
        "–".into(),
        "–".into(),
        verdict(diff_mean <= Duration::from_millis(16)).into(),
    ]);

    let mut out = String::new();
    out.push_str("=== Pactum benchmark summary ===\n\n");
    out.push_str(&format!(
        "mode {}, {} agreements, load average at start {load_start}, at end {load_end}\n\n",
        if cfg.full { "full" } else { "smoke" },
        cfg.agreements
    ));
    out.push_str("| What | Goal | Measured | Alternative | Ratio (alternative ÷ Pactum; > 1: Pactum faster) | Verdict |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for r in rows {
        out.push_str(&format!("| {} |\n", r.join(" | ")));
    }
    out.push_str(&format!(
        "\nBreakdown of a save in the large library: CPU part (validate, canonical JSON, checks, plain \
         text) p50 {} / p99 {}; {} of {} saves ran a WAL checkpoint (p50 {} / p99 {}), the others \
         p50 {} / p99 {}. Fsync of 4 KB overwritten in place: p50 {} / p99 {}.\n",
        f(p.prepare.p50),
        f(p.prepare.p99),
        p.checkpoint.n,
        p.save_10k.n,
        f(p.checkpoint.p50),
        f(p.checkpoint.p99),
        f(p.no_checkpoint.p50),
        f(p.no_checkpoint.p99),
        f(p.fsync_overwrite.p50),
        f(p.fsync_overwrite.p99)
    ));
    out.push_str(&format!(
        "Breakdown of a freeze: reading the draft, canonical JSON and hash p50 {} / p99 {}; the rest is \
         the transaction (version row, agreement row, WAL commit with fsync).\n",
        f(p.freeze_cpu.p50),
        f(p.freeze_cpu.p99)
    ));
    out
}
