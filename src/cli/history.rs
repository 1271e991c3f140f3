//! The signed history's commands: showing it, verifying it (with checkpoints), printing a
//! checkpoint, and `pactum bundle …`, the exchange files that carry it between machines.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use pactum::record::AgreementId;
use pactum::signing::bundle::{BundleRequest, MAX_BUNDLE_BYTES};
use pactum::signing::Checkpoint;
use pactum::Library;

use super::files::{read_input, read_limited, write_file};
use super::identity::signer;
use super::text::{key_of, terminal_text};

#[derive(Args)]
pub struct HistoryArgs {
    id: AgreementId,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct VerifyArgs {
    id: AgreementId,
    /// A checkpoint file (text line or JSON, e.g. copied from a PDF); repeatable.
    #[arg(long = "checkpoint", value_name = "FILE")]
    checkpoints: Vec<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct CheckpointArgs {
    id: AgreementId,
    #[arg(long)]
    identity: Option<String>,
}

#[derive(Subcommand)]
pub enum BundleCommand {
    /// Export the full signed history, one amendment (--amendment N), or an answer (--answer).
    Export(BundleExportArgs),
    /// Import an exchange file; nothing is written unless it verifies completely.
    Import(BundleImportArgs),
}

#[derive(Args)]
pub struct BundleExportArgs {
    id: AgreementId,
    #[arg(long)]
    amendment: Option<u32>,
    /// Export the decisions on the amendment (or, without --amendment, on the version
    /// under review) to send back.
    #[arg(long)]
    answer: bool,
    /// Own identity that signs the file's checkpoint (default: the only own identity).
    #[arg(long)]
    identity: Option<String>,
    #[arg(short, long)]
    output: PathBuf,
}

#[derive(Args)]
pub struct BundleImportArgs {
    file: PathBuf,
}

pub fn history(lib: &Library, out: &mut impl Write, args: HistoryArgs) -> anyhow::Result<ExitCode> {
    let h = lib.history(args.id)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&h)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "agreement {} ({}) — {}{}",
        h.agreement,
        h.uid,
        h.status,
        if h.verified {
            ""
        } else {
            " (verification finds problems: run `pactum verify`)"
        }
    )?;
    for v in &h.versions {
        writeln!(
            out,
            "  version {:>3}  {:<10}  {}  {}{}",
            v.info.number,
            key_of(&v.state),
            &v.info.hash[..16],
            terminal_text(&v.info.note),
            if v.metadata_signed {
                ""
            } else {
                "  (note and time unsigned)"
            }
        )?;
        for s in &v.signatures {
            writeln!(
                out,
                "      {} {} as {} [{}] at {}{}",
                s.decision.key(),
                if s.signer.name.is_empty() {
                    "?"
                } else {
                    &s.signer.name
                },
                s.role.key(),
                s.signer.fingerprint_display,
                s.signed_at,
                if s.comment.is_empty() {
                    String::new()
                } else {
                    format!(": {}", s.comment)
                }
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `pactum verify`: exits 1 when anything fails to verify (after printing the report).
pub fn verify(lib: &Library, out: &mut impl Write, args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let mut given = Vec::new();
    for f in &args.checkpoints {
        let text = String::from_utf8(read_input(f)?)
            .with_context(|| format!("{} is not text", f.display()))?;
        given.push(Checkpoint::parse(&text)?);
    }
    let report = lib.verify_with_checkpoints(args.id, &given)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        out.write_all(report.to_text().as_bytes())?;
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn checkpoint(
    lib: &Library,
    out: &mut impl Write,
    args: CheckpointArgs,
) -> anyhow::Result<ExitCode> {
    let cp = match args.identity.as_deref() {
        Some(i) => {
            let (who, pass) = signer(lib, Some(i))?;
            lib.signed_checkpoint(args.id, &who, &pass)?
        }
        None => lib.checkpoint(args.id)?,
    };
    writeln!(out, "{}", cp.to_text())?;
    Ok(ExitCode::SUCCESS)
}

/// `pactum bundle …`: one function per subcommand.
pub fn bundle(
    lib: &Library,
    out: &mut impl Write,
    action: BundleCommand,
) -> anyhow::Result<ExitCode> {
    match action {
        BundleCommand::Export(args) => bundle_export(lib, out, args),
        BundleCommand::Import(args) => bundle_import(lib, out, args),
    }
}

fn bundle_export(
    lib: &Library,
    out: &mut impl Write,
    args: BundleExportArgs,
) -> anyhow::Result<ExitCode> {
    let request = match (args.amendment, args.answer) {
        (None, false) => BundleRequest::History,
        (Some(n), false) => BundleRequest::Amendment { amendment: n },
        (n, true) => BundleRequest::Answer { amendment: n },
    };
    let (who, pass) = signer(lib, args.identity.as_deref())?;
    let bytes = lib.export_bundle(args.id, request, &who, &pass)?;
    write_file(&args.output, &bytes)?;
    writeln!(out, "wrote {}", args.output.display())?;
    Ok(ExitCode::SUCCESS)
}

fn bundle_import(
    lib: &Library,
    out: &mut impl Write,
    args: BundleImportArgs,
) -> anyhow::Result<ExitCode> {
    let bytes = read_limited(&args.file, MAX_BUNDLE_BYTES as u64)?;
    let o = lib.import_bundle(&bytes)?;
    if o.changed {
        writeln!(
            out,
            "agreement {}{}: {} versions, {} amendments, {} signatures added; status {}",
            o.agreement,
            if o.created { " (new here)" } else { "" },
            o.added_versions,
            o.added_amendments,
            o.added_signatures,
            o.status
        )?;
    } else {
        writeln!(
            out,
            "agreement {}: nothing new (status {})",
            o.agreement, o.status
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
