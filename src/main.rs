//! The `pactum` command-line tool: adapts arguments and errors to the engine's [`Library`].
//!
//! Exit codes: 0 success, 1 findings or a failed verification (`check` with error-severity
//! findings), 2 a usage or input error. Errors go to stderr, results to stdout.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pactum::check::Severity;
use pactum::record::{AgreementId, ListQuery, SortKey, Status};
use pactum::{template, Error, Language, Library, Section};

#[derive(Parser)]
#[command(
    name = "pactum",
    version,
    about = "Draft, version, approve and export customer-service agreements (SLAs)"
)]
struct Cli {
    /// Database file (default: $PACTUM_DB, else ~/.local/share/pactum/pactum.db).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the built-in templates.
    Templates,
    /// Create a new draft from a template; prints the new agreement's id.
    New {
        /// Template id (see `pactum templates`).
        #[arg(long)]
        template: String,
        #[arg(long)]
        title: Option<String>,
        /// Language of the agreement: de or en (default: the template's).
        #[arg(long)]
        lang: Option<Language>,
    },
    /// List agreements (archived ones only with --status archived).
    List {
        #[arg(long)]
        status: Option<Status>,
        /// title, customer, status, updated, completeness or errors.
        #[arg(long, default_value = "updated")]
        sort: SortKey,
        /// Sort ascending instead of descending.
        #[arg(long)]
        asc: bool,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long)]
        json: bool,
    },
    /// Show an agreement's draft.
    Show {
        id: AgreementId,
        #[arg(long)]
        json: bool,
    },
    /// Write the interchange JSON of an agreement's draft.
    Export {
        id: AgreementId,
        /// Output file (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Import an interchange JSON file ("-" for stdin) as a new draft; prints the new id.
    Import { file: PathBuf },
    /// Replace an agreement's draft with the content of an interchange JSON file.
    Update { id: AgreementId, file: PathBuf },
    /// Completeness and consistency findings; exits 1 when an error-severity finding exists.
    Check {
        id: AgreementId,
        #[arg(long)]
        json: bool,
    },
    /// Freeze the draft into a new immutable version; prints its number and hash.
    Freeze {
        id: AgreementId,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List the frozen versions of an agreement.
    Versions {
        id: AgreementId,
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions: a redline of the clause text and the changed terms.
    Diff {
        id: AgreementId,
        from: u32,
        to: u32,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over titles, parties and clause text.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Copy an agreement's draft into a new agreement; prints the new id.
    Duplicate { id: AgreementId },
    /// Hide an agreement from the default list.
    Archive { id: AgreementId },
    /// Restore an archived agreement to its previous status.
    Unarchive { id: AgreementId },
    /// Export an agreement as PDF: a frozen version, or the draft (marked as a draft).
    Pdf {
        id: AgreementId,
        /// Version number (default: the current draft).
        #[arg(long)]
        version: Option<u32>,
        /// Language of the generated labels: de or en (default: the agreement's).
        #[arg(long)]
        lang: Option<Language>,
        /// Output file (default: stdout, unless stdout is a terminal).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Export a redline PDF comparing two frozen versions.
    PdfRedline {
        id: AgreementId,
        from: u32,
        to: u32,
        /// Language of the generated labels: de or en (default: that of version TO).
        #[arg(long)]
        lang: Option<Language>,
        /// Output file (default: stdout, unless stdout is a terminal).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let input = e.downcast_ref::<Error>().is_some_and(Error::is_input_error)
                || e.downcast_ref::<std::io::Error>().is_some();
            eprintln!("pactum: {e:#}");
            if let Some(Error::Invalid(problems)) = e.downcast_ref::<Error>() {
                if problems.len() > 1 {
                    for p in problems {
                        eprintln!("  {p}");
                    }
                }
            }
            ExitCode::from(if input { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Templates = cli.command {
        for t in template::templates() {
            println!(
                "{:<20} {}  {} — {}",
                t.id,
                t.language.code(),
                t.name,
                t.description
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let path = match cli.db {
        Some(p) => p,
        None => pactum::library::default_db_path()?,
    };
    let opened = Library::open(&path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    if let Some(m) = &opened.moved_aside {
        eprintln!(
            "pactum: the database {} was unusable ({}); it was moved to {} and a new one was created",
            m.original.display(),
            m.reason,
            m.moved_to.display()
        );
    }
    let lib = opened.library;
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Templates => unreachable!("handled before opening the database"),
        Command::New {
            template,
            title,
            lang,
        } => {
            let id = lib.create(&template, title.as_deref(), lang)?;
            writeln!(out, "{id}")?;
        }
        Command::List {
            status,
            sort,
            asc,
            limit,
            offset,
            json,
        } => {
            let page = lib.list(&ListQuery {
                status,
                sort,
                descending: !asc,
                limit,
                offset,
            })?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&page)?)?;
            } else {
                writeln!(
                    out,
                    "{:>5}  {:<40}  {:<28}  {:<11}  {:>3}  {:>5}  {:>3}",
                    "ID", "TITLE", "CUSTOMER", "STATUS", "VER", "DONE", "ERR"
                )?;
                for a in &page.items {
                    writeln!(
                        out,
                        "{:>5}  {:<40}  {:<28}  {:<11}  {:>3}  {:>4}%  {:>3}",
                        a.id.0,
                        clip(&a.title, 40),
                        clip(&a.customer, 28),
                        a.status.key(),
                        a.current_version.map_or("-".into(), |v| v.to_string()),
                        a.completeness,
                        a.open_errors
                    )?;
                }
                writeln!(out, "{} of {} agreements", page.items.len(), page.total)?;
            }
        }
        Command::Show { id, json } => {
            let draft = lib.draft(id)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&draft)?)?;
            } else {
                let a = &draft.agreement;
                let s = &draft.summary;
                let lang = a.language;
                writeln!(out, "{}", a.title)?;
                writeln!(
                    out,
                    "  id {} · {} · {} · revision {}",
                    s.id,
                    s.status.label(lang),
                    lang.code(),
                    draft.revision
                )?;
                writeln!(
                    out,
                    "  {}: {}",
                    lang.pick("Anbieter", "Provider"),
                    a.overview.provider.name
                )?;
                writeln!(
                    out,
                    "  {}: {}",
                    lang.pick("Kunde", "Customer"),
                    a.overview.customer.name
                )?;
                if let Some(v) = s.current_version {
                    writeln!(
                        out,
                        "  {}: {v}",
                        lang.pick("Aktuelle Version", "Current version")
                    )?;
                }
                let report = pactum::check::check(a);
                writeln!(
                    out,
                    "  {}: {} %",
                    lang.pick("Vollständigkeit", "Completeness"),
                    report.completeness
                )?;
                for score in &report.sections {
                    let text = a.clauses(score.section);
                    writeln!(
                        out,
                        "  {:<36} {:>2}/{:<2} {}, {} {}",
                        score.section.title(lang),
                        score.done,
                        score.total,
                        lang.pick("erledigt", "done"),
                        text.split_whitespace().count(),
                        lang.pick("Wörter Klauseltext", "words of clause text")
                    )?;
                }
            }
        }
        Command::Export { id, output } => {
            let text = lib.export(id)?;
            match output {
                Some(p) => write_file(&p, text.as_bytes())?,
                None => out.write_all(text.as_bytes())?,
            }
        }
        Command::Import { file } => {
            let id = lib.import(&read_input(&file)?)?;
            writeln!(out, "{id}")?;
        }
        Command::Update { id, file } => {
            let outcome = lib.update_from_json(id, &read_input(&file)?)?;
            if outcome.changed {
                writeln!(out, "saved revision {}", outcome.revision)?;
            } else {
                writeln!(out, "unchanged (revision {})", outcome.revision)?;
            }
        }
        Command::Check { id, json } => {
            let report = lib.check(id)?;
            let lang = lib.summary(id)?.language;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            } else {
                writeln!(
                    out,
                    "{}: {} %",
                    lang.pick("Vollständigkeit", "Completeness"),
                    report.completeness
                )?;
                for section in Section::ALL {
                    let open: Vec<_> = report
                        .items
                        .iter()
                        .filter(|i| i.section == section && !i.done)
                        .collect();
                    let findings: Vec<_> = report
                        .findings
                        .iter()
                        .filter(|f| f.section == section)
                        .collect();
                    if open.is_empty() && findings.is_empty() {
                        continue;
                    }
                    writeln!(out, "\n{}", section.title(lang))?;
                    for item in open {
                        writeln!(
                            out,
                            "  [ ] {} ({})",
                            lang.pick(&item.label_de, &item.label_en),
                            item.id
                        )?;
                    }
                    for f in findings {
                        let sev = match f.severity {
                            Severity::Error => lang.pick("Fehler", "error"),
                            Severity::Warning => lang.pick("Warnung", "warning"),
                            Severity::Hint => lang.pick("Hinweis", "hint"),
                        };
                        writeln!(
                            out,
                            "  {sev}: {} [{} at {}]",
                            f.message(lang),
                            f.check,
                            f.path
                        )?;
                    }
                }
            }
            if report.error_count() > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Freeze { id, note } => {
            let v = lib.freeze(id, &note)?;
            writeln!(out, "version {} {}", v.number, v.hash)?;
        }
        Command::Versions { id, json } => {
            let versions = lib.versions(id)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&versions)?)?;
            } else {
                for v in versions {
                    writeln!(
                        out,
                        "{:>3}  {}  {}  {}",
                        v.number,
                        v.created_at,
                        &v.hash[..16],
                        v.note
                    )?;
                }
            }
        }
        Command::Diff { id, from, to, json } => {
            let cmp = lib.diff(id, from, to)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&cmp)?)?;
            } else {
                out.write_all(cmp.to_text().as_bytes())?;
            }
        }
        Command::Search { query, limit, json } => {
            let hits = lib.search(&query, limit)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&hits)?)?;
            } else {
                for h in hits {
                    writeln!(
                        out,
                        "{:>5}  {} — {}\n       {}",
                        h.id.0,
                        h.title,
                        h.customer,
                        h.snippet.replace('\n', " ")
                    )?;
                }
            }
        }
        Command::Duplicate { id } => writeln!(out, "{}", lib.duplicate(id)?)?,
        Command::Archive { id } => writeln!(out, "{}", lib.archive(id)?)?,
        Command::Unarchive { id } => writeln!(out, "{}", lib.unarchive(id)?)?,
        Command::Pdf {
            id,
            version,
            lang,
            output,
        } => {
            let bytes = lib.pdf(id, version, lang)?;
            write_binary(output.as_deref(), &bytes, &mut out)?;
        }
        Command::PdfRedline {
            id,
            from,
            to,
            lang,
            output,
        } => {
            let bytes = lib.pdf_redline(id, from, to, lang)?;
            write_binary(output.as_deref(), &bytes, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a file, or stdin for `-`, refusing anything larger than an interchange file may be.
fn read_input(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let limit = pactum::interchange::MAX_FILE_BYTES as u64;
    let mut buf = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin().take(limit + 1).read_to_end(&mut buf)?;
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        file.take(limit + 1)
            .read_to_end(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    if buf.len() as u64 > limit {
        return Err(Error::TooLarge {
            what: path.display().to_string(),
            actual: buf.len() as u64,
            limit,
        }
        .into());
    }
    Ok(buf)
}

/// Writes binary output to a file, or to stdout when that is not a terminal.
fn write_binary(
    path: Option<&std::path::Path>,
    bytes: &[u8],
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    match path {
        Some(p) => write_file(p, bytes),
        None if std::io::stdout().is_terminal() => Err(Error::NotAllowed(
            "refusing to write a PDF to the terminal; give -o FILE or redirect the output"
                .to_string(),
        )
        .into()),
        None => Ok(out.write_all(bytes)?),
    }
}

/// Writes a file atomically: a temporary file beside it, synced, then renamed over it.
fn write_file(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    let mut f =
        std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}
