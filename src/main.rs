//! The `pactum` command-line tool: adapts arguments and errors to the engine's [`Library`].
//!
//! Exit codes: 0 success, 1 findings or a failed verification (`check` with error-severity
//! findings), 2 a usage or input error. Errors go to stderr, results to stdout.
//!
//! This file holds the command list and the dispatch; each command is one function in
//! `src/cli/` (its arguments beside it), grouped by what it works on.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pactum::{Error, Library};

mod cli {
    pub mod agreements;
    pub mod approval;
    pub mod files;
    pub mod history;
    pub mod identity;
    pub mod pdf;
    pub mod text;
}

use cli::{agreements, approval, history, identity, pdf};

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
    New(agreements::NewArgs),
    /// List agreements (archived ones only with --status archived).
    List(agreements::ListArgs),
    /// Show an agreement's draft.
    Show(agreements::ShowArgs),
    /// Write the interchange JSON of an agreement's draft.
    Export(agreements::ExportArgs),
    /// Import an interchange JSON file ("-" for stdin) as a new draft; prints the new id.
    Import(agreements::ImportArgs),
    /// Replace an agreement's draft with the content of an interchange JSON file.
    Update(agreements::UpdateArgs),
    /// Completeness and consistency findings; exits 1 when an error-severity finding exists.
    Check(agreements::CheckArgs),
    /// Freeze the draft into a new immutable version; prints its number and hash.
    Freeze(agreements::FreezeArgs),
    /// List the frozen versions of an agreement.
    Versions(agreements::VersionsArgs),
    /// Compare two versions: a redline of the clause text and the changed terms.
    Diff(agreements::DiffArgs),
    /// Full-text search over titles, parties and clause text.
    Search(agreements::SearchArgs),
    /// Copy an agreement's draft into a new agreement; prints the new id.
    Duplicate(agreements::IdArgs),
    /// Hide an agreement from the default list.
    Archive(agreements::IdArgs),
    /// Restore an archived agreement to its previous status.
    Unarchive(agreements::IdArgs),
    /// Export an agreement as PDF: a frozen version, or the draft (marked as a draft).
    Pdf(pdf::PdfArgs),
    /// Export a redline PDF of an amendment (its base version against what it proposes), or
    /// of two frozen versions with --from and --to.
    PdfRedline(pdf::PdfRedlineArgs),
    /// Signing identities and the trust list of others' identity cards.
    Identity {
        #[command(subcommand)]
        action: identity::IdentityCommand,
    },
    /// Show or set which roles must approve an agreement's versions.
    Policy(approval::PolicyArgs),
    /// Put the newest frozen version up for approval.
    RequestApproval(agreements::IdArgs),
    /// Withdraw the request for approval: the agreement returns to draft, to be edited and
    /// frozen again.
    WithdrawReview(agreements::IdArgs),
    /// Sign the approval of the version under review (passphrase from $PACTUM_PASSPHRASE or a prompt).
    Sign(approval::SignArgs),
    /// Sign the rejection of the version under review, with a comment.
    RejectVersion(approval::RejectVersionArgs),
    /// Propose an amendment of an agreement in force: the content of FILE (interchange JSON),
    /// or the current draft when FILE is omitted.
    Amend(approval::AmendArgs),
    /// List an agreement's amendments and where they stand.
    Amendments(approval::AmendmentsArgs),
    /// Review an amendment: the redline and changed terms against the version in force.
    Review(approval::ReviewArgs),
    /// Sign the approval of an amendment.
    Approve(approval::ApproveArgs),
    /// Sign the rejection of an amendment, with a comment.
    Reject(approval::RejectArgs),
    /// The signed history: versions with their state and signatures, amendments.
    History(history::HistoryArgs),
    /// Check a PDF: its digital signatures, who made them, that its content is a stored
    /// version and that the history reaches its checkpoint; exits 1 on any problem.
    VerifyPdf(pdf::VerifyPdfArgs),
    /// Verify hashes, chain, signatures, trust, policy and checkpoints; exits 1 on any problem.
    Verify(history::VerifyArgs),
    /// Print the agreement's checkpoint line (signed when --identity is given).
    Checkpoint(history::CheckpointArgs),
    /// Exchange files between machines: export and import signed histories and answers.
    Bundle {
        #[command(subcommand)]
        action: history::BundleCommand,
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

/// Opens the database (except for `templates`, which needs none) and runs the command.
fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Templates = cli.command {
        return agreements::templates(&mut std::io::stdout().lock());
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
    if let Some(t) = &opened.permissions_tightened {
        eprintln!("pactum: {t}");
    }
    let lib = &opened.library;
    let out = &mut std::io::stdout().lock();
    match cli.command {
        Command::Templates => unreachable!("handled before opening the database"),
        Command::New(args) => agreements::new(lib, out, args),
        Command::List(args) => agreements::list(lib, out, args),
        Command::Show(args) => agreements::show(lib, out, args),
        Command::Export(args) => agreements::export(lib, out, args),
        Command::Import(args) => agreements::import(lib, out, args),
        Command::Update(args) => agreements::update(lib, out, args),
        Command::Check(args) => agreements::check(lib, out, args),
        Command::Freeze(args) => agreements::freeze(lib, out, args),
        Command::Versions(args) => agreements::versions(lib, out, args),
        Command::Diff(args) => agreements::diff(lib, out, args),
        Command::Search(args) => agreements::search(lib, out, args),
        Command::Duplicate(args) => agreements::duplicate(lib, out, args),
        Command::Archive(args) => agreements::archive(lib, out, args),
        Command::Unarchive(args) => agreements::unarchive(lib, out, args),
        Command::Pdf(args) => pdf::pdf(lib, out, args),
        Command::PdfRedline(args) => pdf::pdf_redline(lib, out, args),
        Command::VerifyPdf(args) => pdf::verify_pdf(lib, out, args),
        Command::Identity { action } => identity::run(lib, out, action),
        Command::Policy(args) => approval::policy(lib, out, args),
        Command::RequestApproval(args) => approval::request_approval(lib, out, args),
        Command::WithdrawReview(args) => approval::withdraw_review(lib, out, args),
        Command::Sign(args) => approval::sign(lib, out, args),
        Command::RejectVersion(args) => approval::reject_version(lib, out, args),
        Command::Amend(args) => approval::amend(lib, out, args),
        Command::Amendments(args) => approval::amendments(lib, out, args),
        Command::Review(args) => approval::review(lib, out, args),
        Command::Approve(args) => approval::approve(lib, out, args),
        Command::Reject(args) => approval::reject(lib, out, args),
        Command::History(args) => history::history(lib, out, args),
        Command::Verify(args) => history::verify(lib, out, args),
        Command::Checkpoint(args) => history::checkpoint(lib, out, args),
        Command::Bundle { action } => history::bundle(lib, out, action),
    }
}
