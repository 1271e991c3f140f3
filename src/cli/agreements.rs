//! The commands on agreements and their drafts and versions: templates, new, list, show,
//! export, import, update, check, freeze, versions, diff, search, duplicate, archive and
//! unarchive. Each is one function taking its arguments, writing its result to `out`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use pactum::check::Severity;
use pactum::record::{AgreementId, ListQuery, SortKey, Status};
use pactum::{template, Language, Library, Section};

use super::files::{read_input, write_file};
use super::text::clip;

// The arguments of each command. Their help texts are on the variants of `Command` in
// main.rs, which clap shows as the command's description.

/// The arguments of a command that takes an agreement's id only.
#[derive(Args)]
pub struct IdArgs {
    pub id: AgreementId,
}

#[derive(Args)]
pub struct NewArgs {
    /// Template id (see `pactum templates`).
    #[arg(long)]
    template: String,
    #[arg(long)]
    title: Option<String>,
    /// Language of the agreement: de or en (default: the template's).
    #[arg(long)]
    lang: Option<Language>,
}

#[derive(Args)]
pub struct ListArgs {
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
}

#[derive(Args)]
pub struct ShowArgs {
    id: AgreementId,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    id: AgreementId,
    /// Output file (default: stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
}

#[derive(Args)]
pub struct UpdateArgs {
    id: AgreementId,
    file: PathBuf,
    /// Refuse (draft_conflict, nothing written) unless the draft is still at this revision,
    /// e.g. the one `show --json` printed before the file was edited.
    #[arg(long, value_name = "REVISION")]
    expect_revision: Option<u32>,
}

#[derive(Args)]
pub struct CheckArgs {
    id: AgreementId,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct FreezeArgs {
    id: AgreementId,
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Args)]
pub struct VersionsArgs {
    id: AgreementId,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct DiffArgs {
    id: AgreementId,
    from: u32,
    to: u32,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct SearchArgs {
    query: String,
    #[arg(long, default_value_t = 20)]
    limit: u32,
    #[arg(long)]
    json: bool,
}

/// `pactum templates`: needs no database.
pub fn templates(out: &mut impl Write) -> anyhow::Result<ExitCode> {
    for t in template::templates() {
        writeln!(
            out,
            "{:<20} {}  {} — {}",
            t.id,
            t.language.code(),
            t.name,
            t.description
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn new(lib: &Library, out: &mut impl Write, args: NewArgs) -> anyhow::Result<ExitCode> {
    let id = lib.create(&args.template, args.title.as_deref(), args.lang)?;
    writeln!(out, "{id}")?;
    Ok(ExitCode::SUCCESS)
}

pub fn list(lib: &Library, out: &mut impl Write, args: ListArgs) -> anyhow::Result<ExitCode> {
    let page = lib.list(&ListQuery {
        status: args.status,
        sort: args.sort,
        descending: !args.asc,
        limit: args.limit,
        offset: args.offset,
    })?;
    if args.json {
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
    Ok(ExitCode::SUCCESS)
}

pub fn show(lib: &Library, out: &mut impl Write, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let draft = lib.draft(args.id)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&draft)?)?;
        return Ok(ExitCode::SUCCESS);
    }
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
    Ok(ExitCode::SUCCESS)
}

pub fn export(lib: &Library, out: &mut impl Write, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let text = lib.export(args.id)?;
    match args.output {
        Some(p) => write_file(&p, text.as_bytes())?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn import(lib: &Library, out: &mut impl Write, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let id = lib.import(&read_input(&args.file)?)?;
    writeln!(out, "{id}")?;
    Ok(ExitCode::SUCCESS)
}

pub fn update(lib: &Library, out: &mut impl Write, args: UpdateArgs) -> anyhow::Result<ExitCode> {
    let outcome = lib.update_from_json(args.id, &read_input(&args.file)?, args.expect_revision)?;
    if outcome.changed {
        writeln!(out, "saved revision {}", outcome.revision)?;
    } else {
        writeln!(out, "unchanged (revision {})", outcome.revision)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `pactum check`: exits 1 when an error-severity finding exists (after printing the report).
pub fn check(lib: &Library, out: &mut impl Write, args: CheckArgs) -> anyhow::Result<ExitCode> {
    let report = lib.check(args.id)?;
    let lang = lib.summary(args.id)?.language;
    if args.json {
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
    Ok(if report.error_count() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn freeze(lib: &Library, out: &mut impl Write, args: FreezeArgs) -> anyhow::Result<ExitCode> {
    let v = lib.freeze(args.id, &args.note)?;
    writeln!(out, "version {} {}", v.number, v.hash)?;
    Ok(ExitCode::SUCCESS)
}

pub fn versions(
    lib: &Library,
    out: &mut impl Write,
    args: VersionsArgs,
) -> anyhow::Result<ExitCode> {
    let versions = lib.versions(args.id)?;
    if args.json {
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
    Ok(ExitCode::SUCCESS)
}

pub fn diff(lib: &Library, out: &mut impl Write, args: DiffArgs) -> anyhow::Result<ExitCode> {
    let cmp = lib.diff(args.id, args.from, args.to)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&cmp)?)?;
    } else {
        out.write_all(cmp.to_text().as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn search(lib: &Library, out: &mut impl Write, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let hits = lib.search(&args.query, args.limit)?;
    if args.json {
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
    Ok(ExitCode::SUCCESS)
}

pub fn duplicate(lib: &Library, out: &mut impl Write, args: IdArgs) -> anyhow::Result<ExitCode> {
    writeln!(out, "{}", lib.duplicate(args.id)?)?;
    Ok(ExitCode::SUCCESS)
}

pub fn archive(lib: &Library, out: &mut impl Write, args: IdArgs) -> anyhow::Result<ExitCode> {
    writeln!(out, "{}", lib.archive(args.id)?)?;
    Ok(ExitCode::SUCCESS)
}

pub fn unarchive(lib: &Library, out: &mut impl Write, args: IdArgs) -> anyhow::Result<ExitCode> {
    writeln!(out, "{}", lib.unarchive(args.id)?)?;
    Ok(ExitCode::SUCCESS)
}
