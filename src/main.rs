//! The `pactum` command-line tool: adapts arguments and errors to the engine's [`Library`].
//!
//! Exit codes: 0 success, 1 findings or a failed verification (`check` with error-severity
//! findings), 2 a usage or input error. Errors go to stderr, results to stdout.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pactum::check::Severity;
use pactum::record::{AgreementId, ListQuery, SortKey, Status};
use pactum::signing::bundle::BundleRequest;
use pactum::signing::{
    AmendmentRef, Checkpoint, KdfParams, KeyConflict, KeyDecision, NewIdentity, Role,
};
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
    Update {
        id: AgreementId,
        file: PathBuf,
        /// Refuse (draft_conflict, nothing written) unless the draft is still at this revision,
        /// e.g. the one `show --json` printed before the file was edited.
        #[arg(long, value_name = "REVISION")]
        expect_revision: Option<u32>,
    },
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
        /// Add the PDF signature of this own identity, which must have approved the
        /// version (default version: the one in force); repeatable, in signing order.
        /// Passphrases from $PACTUM_PASSPHRASE or a prompt.
        #[arg(long = "sign-as", value_name = "IDENTITY")]
        sign_as: Vec<String>,
    },
    /// Export a redline PDF of an amendment (its base version against what it proposes), or
    /// of two frozen versions with --from and --to.
    PdfRedline {
        id: AgreementId,
        /// The amendment number.
        #[arg(required_unless_present_all = ["from", "to"], conflicts_with_all = ["from", "to"])]
        amendment: Option<u32>,
        /// Compare this frozen version …
        #[arg(long, requires = "to")]
        from: Option<u32>,
        /// … with this one.
        #[arg(long, requires = "from")]
        to: Option<u32>,
        /// Language of the generated labels: de or en (default: that of the newer content).
        #[arg(long)]
        lang: Option<Language>,
        /// Output file (default: stdout, unless stdout is a terminal).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Signing identities and the trust list of others' identity cards.
    Identity {
        #[command(subcommand)]
        action: IdentityCommand,
    },
    /// Show or set which roles must approve an agreement's versions.
    Policy {
        id: AgreementId,
        /// Required role (repeat): service_manager, legal_reviewer, customer_representative.
        #[arg(long = "require", value_name = "ROLE")]
        require: Vec<Role>,
    },
    /// Put the newest frozen version up for approval.
    RequestApproval { id: AgreementId },
    /// Withdraw the request for approval: the agreement returns to draft, to be edited and
    /// frozen again.
    WithdrawReview { id: AgreementId },
    /// Sign the approval of the version under review (passphrase from $PACTUM_PASSPHRASE or a prompt).
    Sign {
        id: AgreementId,
        version: u32,
        /// Own identity: name or fingerprint (default: the only own identity).
        #[arg(long)]
        identity: Option<String>,
    },
    /// Sign the rejection of the version under review, with a comment.
    RejectVersion {
        id: AgreementId,
        version: u32,
        #[arg(long)]
        identity: Option<String>,
        #[arg(long)]
        comment: String,
    },
    /// Propose an amendment of an agreement in force: the content of FILE (interchange JSON),
    /// or the current draft when FILE is omitted.
    Amend {
        id: AgreementId,
        file: Option<PathBuf>,
        #[arg(long)]
        reason: String,
        /// Sign the proposal as this own identity.
        #[arg(long)]
        identity: Option<String>,
    },
    /// List an agreement's amendments and where they stand.
    Amendments {
        id: AgreementId,
        #[arg(long)]
        json: bool,
    },
    /// Review an amendment: the redline and changed terms against the version in force.
    Review {
        id: AgreementId,
        /// NUMBER, or NUMBER:HASH where concurrent proposals share a number.
        amendment: AmendmentRef,
        #[arg(long)]
        json: bool,
    },
    /// Sign the approval of an amendment.
    Approve {
        id: AgreementId,
        /// NUMBER, or NUMBER:HASH where concurrent proposals share a number.
        amendment: AmendmentRef,
        #[arg(long)]
        identity: Option<String>,
    },
    /// Sign the rejection of an amendment, with a comment.
    Reject {
        id: AgreementId,
        /// NUMBER, or NUMBER:HASH where concurrent proposals share a number.
        amendment: AmendmentRef,
        #[arg(long)]
        identity: Option<String>,
        #[arg(long)]
        comment: String,
    },
    /// The signed history: versions with their state and signatures, amendments.
    History {
        id: AgreementId,
        #[arg(long)]
        json: bool,
    },
    /// Check a PDF: its digital signatures, who made them, that its content is a stored
    /// version and that the history reaches its checkpoint; exits 1 on any problem.
    VerifyPdf {
        file: PathBuf,
        /// Take the history from this exchange file. Its signers still count only if they
        /// are in this database's trust list, and this database's own copy of the agreement,
        /// if there is one, must agree with it.
        #[arg(long, value_name = "FILE")]
        bundle: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Verify hashes, chain, signatures, trust, policy and checkpoints; exits 1 on any problem.
    Verify {
        id: AgreementId,
        /// A checkpoint file (text line or JSON, e.g. copied from a PDF); repeatable.
        #[arg(long = "checkpoint", value_name = "FILE")]
        checkpoints: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Print the agreement's checkpoint line (signed when --identity is given).
    Checkpoint {
        id: AgreementId,
        #[arg(long)]
        identity: Option<String>,
    },
    /// Exchange files between machines: export and import signed histories and answers.
    Bundle {
        #[command(subcommand)]
        action: BundleCommand,
    },
}

#[derive(Subcommand)]
enum IdentityCommand {
    /// Create an own identity (keys sealed with a passphrase); prints its fingerprint.
    New {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        organisation: String,
        /// service_manager, legal_reviewer or customer_representative.
        #[arg(long)]
        role: Role,
        #[arg(long, default_value = "")]
        email: String,
        /// Cheap key derivation for automated tests only; never for real keys. Not in release
        /// builds (whose engine refuses such keys), unless built with `insecure-test-kdf`.
        #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
        #[arg(long, hide = true)]
        insecure_test_kdf: bool,
    },
    /// List own identities and the trust list with fingerprints.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Write an identity's public card (JSON) for others to import.
    Export {
        /// Name or fingerprint.
        who: String,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Import someone's identity card into the trust list (compare the fingerprint first).
    /// A card claiming a person you already trust with another key is refused (exit 2) and
    /// both fingerprints are shown.
    Import {
        file: PathBuf,
        /// Accept the card as a further key of the trusted person with this fingerprint (the
        /// one the refusal showed), after comparing both with them by phone.
        #[arg(long, value_name = "KNOWN FINGERPRINT")]
        new_key_for: Option<String>,
        /// With --new-key-for: distrust the old key instead of keeping both.
        #[arg(long, requires = "new_key_for")]
        replace: bool,
    },
    /// Remove a card from the trust list.
    Distrust { who: String },
}

#[derive(Subcommand)]
enum BundleCommand {
    /// Export the full signed history, one amendment (--amendment N), or an answer (--answer).
    Export {
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
    },
    /// Import an exchange file; nothing is written unless it verifies completely.
    Import { file: PathBuf },
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
    if let Some(t) = &opened.permissions_tightened {
        eprintln!("pactum: {t}");
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
        Command::Update {
            id,
            file,
            expect_revision,
        } => {
            let outcome = lib.update_from_json(id, &read_input(&file)?, expect_revision)?;
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
            sign_as,
        } => {
            let bytes = if sign_as.is_empty() {
                lib.pdf(id, version, lang)?
            } else {
                let mut secrets = Vec::with_capacity(sign_as.len());
                for who in &sign_as {
                    secrets.push(passphrase(who)?);
                }
                let signers: Vec<(&str, &str)> = sign_as
                    .iter()
                    .map(String::as_str)
                    .zip(secrets.iter().map(String::as_str))
                    .collect();
                lib.signed_pdf(id, version, lang, &signers)?
            };
            write_binary(output.as_deref(), &bytes, &mut out)?;
        }
        Command::PdfRedline {
            id,
            amendment,
            from,
            to,
            lang,
            output,
        } => {
            let bytes = match (amendment, from, to) {
                (Some(n), _, _) => lib.pdf_redline_amendment(id, n, lang)?,
                (None, Some(from), Some(to)) => lib.pdf_redline(id, from, to, lang)?,
                _ => unreachable!("clap requires AMENDMENT or both --from and --to"),
            };
            write_binary(output.as_deref(), &bytes, &mut out)?;
        }
        Command::VerifyPdf { file, bundle, json } => {
            let bytes = read_input(&file)?;
            let exchange = match &bundle {
                Some(b) => Some(read_input(b)?),
                None => None,
            };
            let found = lib.verify_pdf(&bytes, exchange.as_deref())?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&found)?)?;
            } else {
                out.write_all(found.to_plain_words().as_bytes())?;
            }
            if !found.ok {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Identity { action } => return identity_command(&lib, action, &mut out),
        Command::Policy { id, require } => {
            let policy = if require.is_empty() {
                lib.policy(id)?
            } else {
                lib.set_policy(id, &require)?
            };
            let roles: Vec<&str> = policy.required.iter().map(Role::key).collect();
            writeln!(out, "required: {}", roles.join(", "))?;
        }
        Command::RequestApproval { id } => {
            let r = lib.request_approval(id)?;
            let roles: Vec<&str> = r.required.iter().map(Role::key).collect();
            writeln!(
                out,
                "version {} ({}) is in review; required: {}",
                r.version,
                &r.content_hash[..16],
                roles.join(", ")
            )?;
        }
        Command::WithdrawReview { id } => {
            let status = lib.withdraw_review(id)?;
            writeln!(
                out,
                "agreement {id} is {status} again; the request for approval is withdrawn"
            )?;
        }
        Command::Sign {
            id,
            version,
            identity,
        } => {
            let who = own_identity(&lib, identity.as_deref())?;
            let pass = passphrase(&who)?;
            print_outcome(&mut out, &lib.sign(id, version, &who, &pass)?)?;
        }
        Command::RejectVersion {
            id,
            version,
            identity,
            comment,
        } => {
            let who = own_identity(&lib, identity.as_deref())?;
            let pass = passphrase(&who)?;
            print_outcome(
                &mut out,
                &lib.reject_version(id, version, &who, &pass, &comment)?,
            )?;
        }
        Command::Amend {
            id,
            file,
            reason,
            identity,
        } => {
            let signer = match identity.as_deref() {
                Some(i) => {
                    let who = own_identity(&lib, Some(i))?;
                    let pass = passphrase(&who)?;
                    Some((who, pass))
                }
                None => None,
            };
            let proposer = signer.as_ref().map(|(w, p)| (w.as_str(), p.as_str()));
            let a = match file {
                Some(f) => lib.propose_amendment_json(id, &read_input(&f)?, &reason, proposer)?,
                None => lib.propose_amendment_from_draft(id, &reason, proposer)?,
            };
            writeln!(
                out,
                "amendment {} proposed: version {} → {}",
                a.number, a.base_version, a.target_version
            )?;
        }
        Command::Amendments { id, json } => {
            let list = lib.amendments(id)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
            } else {
                for a in list {
                    let missing: Vec<&str> = a.missing_roles.iter().map(Role::key).collect();
                    writeln!(
                        out,
                        "{:>3}  {:<8}  v{} → v{}  {}  {}{}",
                        a.number,
                        key_of(&a.state),
                        a.base_version,
                        a.target_version,
                        a.proposed_at,
                        a.reason.replace('\n', " "),
                        if missing.is_empty() || a.state != pactum::signing::AmendmentState::Open {
                            String::new()
                        } else {
                            format!("  (waiting for {})", missing.join(", "))
                        }
                    )?;
                }
            }
        }
        Command::Review {
            id,
            amendment,
            json,
        } => {
            let review = lib.amendment(id, amendment)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&review)?)?;
            } else {
                let a = &review.summary;
                writeln!(
                    out,
                    "amendment {} ({}): version {} → {}\nreason: {}\n",
                    a.number,
                    key_of(&a.state),
                    a.base_version,
                    a.target_version,
                    a.reason
                )?;
                out.write_all(review.comparison.to_text().as_bytes())?;
            }
        }
        Command::Approve {
            id,
            amendment,
            identity,
        } => {
            let who = own_identity(&lib, identity.as_deref())?;
            let pass = passphrase(&who)?;
            print_outcome(&mut out, &lib.approve(id, amendment, &who, &pass)?)?;
        }
        Command::Reject {
            id,
            amendment,
            identity,
            comment,
        } => {
            let who = own_identity(&lib, identity.as_deref())?;
            let pass = passphrase(&who)?;
            print_outcome(&mut out, &lib.reject(id, amendment, &who, &pass, &comment)?)?;
        }
        Command::History { id, json } => {
            let h = lib.history(id)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&h)?)?;
            } else {
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
            }
        }
        Command::Verify {
            id,
            checkpoints,
            json,
        } => {
            let mut given = Vec::new();
            for f in &checkpoints {
                let text = String::from_utf8(read_input(f)?)
                    .with_context(|| format!("{} is not text", f.display()))?;
                given.push(Checkpoint::parse(&text)?);
            }
            let report = lib.verify_with_checkpoints(id, &given)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            } else {
                out.write_all(report.to_text().as_bytes())?;
            }
            if !report.ok {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Checkpoint { id, identity } => {
            let cp = match identity.as_deref() {
                Some(i) => {
                    let who = own_identity(&lib, Some(i))?;
                    let pass = passphrase(&who)?;
                    lib.signed_checkpoint(id, &who, &pass)?
                }
                None => lib.checkpoint(id)?,
            };
            writeln!(out, "{}", cp.to_text())?;
        }
        Command::Bundle { action } => match action {
            BundleCommand::Export {
                id,
                amendment,
                answer,
                identity,
                output,
            } => {
                let request = match (amendment, answer) {
                    (None, false) => BundleRequest::History,
                    (Some(n), false) => BundleRequest::Amendment { amendment: n },
                    (n, true) => BundleRequest::Answer { amendment: n },
                };
                let who = own_identity(&lib, identity.as_deref())?;
                let pass = passphrase(&who)?;
                let bytes = lib.export_bundle(id, request, &who, &pass)?;
                write_file(&output, &bytes)?;
                writeln!(out, "wrote {}", output.display())?;
            }
            BundleCommand::Import { file } => {
                let bytes = read_limited(&file, pactum::signing::bundle::MAX_BUNDLE_BYTES as u64)?;
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
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

fn identity_command(
    lib: &Library,
    action: IdentityCommand,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    match action {
        IdentityCommand::New {
            name,
            organisation,
            role,
            email,
            #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
            insecure_test_kdf,
        } => {
            let pass = new_passphrase(&name)?;
            let new = NewIdentity {
                name,
                organisation,
                role,
                email,
            };
            #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
            let kdf = if insecure_test_kdf {
                KdfParams::for_tests()
            } else {
                KdfParams::default()
            };
            #[cfg(not(any(debug_assertions, feature = "insecure-test-kdf")))]
            let kdf = KdfParams::default();
            let info = lib.create_identity_with_kdf(&new, &pass, kdf)?;
            writeln!(out, "{}  {}", info.fingerprint_display, info.fingerprint)?;
        }
        IdentityCommand::List { json } => {
            let all = lib.identities()?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?;
            } else {
                for i in all {
                    writeln!(
                        out,
                        "{:<9}  {:<24}  {:<24}  {:<23}  {}",
                        if i.own {
                            "own"
                        } else if i.trusted {
                            "trusted"
                        } else {
                            "distrusted"
                        },
                        clip(&i.name, 24),
                        clip(&i.organisation, 24),
                        i.role.key(),
                        i.fingerprint_display
                    )?;
                }
            }
        }
        IdentityCommand::Export { who, output } => {
            let card = lib.export_card(&who)?;
            match output {
                Some(p) => write_file(&p, card.as_bytes())?,
                None => out.write_all(card.as_bytes())?,
            }
        }
        IdentityCommand::Import {
            file,
            new_key_for,
            replace,
        } => {
            let bytes = read_input(&file)?;
            let decision = if replace {
                KeyDecision::Replace
            } else {
                KeyDecision::Add
            };
            let result = match &new_key_for {
                Some(known) => lib.import_card_as_new_key(&bytes, known, decision),
                None => lib.import_card(&bytes),
            };
            let info = match result {
                Ok(info) => info,
                Err(Error::KnownPersonNewKey(conflict)) => {
                    eprint!("{}", key_conflict_text(&conflict, &file));
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            };
            match &info.key_decision {
                Some(d) if new_key_for.is_some() => writeln!(
                    out,
                    "trusted {} ({}, {}) — fingerprint {}; this key {} the key {}",
                    info.name,
                    info.organisation,
                    info.role.key(),
                    info.fingerprint_display,
                    match d.decision {
                        KeyDecision::Add => "is trusted next to",
                        KeyDecision::Replace => "replaces (distrusts)",
                    },
                    d.known_fingerprint_display
                )?,
                _ => writeln!(
                    out,
                    "trusted {} ({}, {}) — fingerprint {}; compare it with them by phone",
                    info.name,
                    info.organisation,
                    info.role.key(),
                    info.fingerprint_display
                )?,
            }
        }
        IdentityCommand::Distrust { who } => {
            let info = lib.distrust(&who)?;
            writeln!(out, "{} is no longer trusted", info.name)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The refusal of a card that claims a trusted person with another key: both sides in two
/// columns, and how to decide.
fn key_conflict_text(c: &KeyConflict, file: &Path) -> String {
    let (k, n) = (&c.known, &c.new);
    let mut t = format!(
        "pactum: refused: this card claims a person you already {}, but with ANOTHER KEY.\n\
         Someone may be impersonating {}.\n\n",
        if k.own {
            "are (an own identity)"
        } else {
            "trust"
        },
        k.name
    );
    let known_label = if k.own { "own identity" } else { "trusted" };
    let row = |label: &str, a: &str, b: &str| format!("  {label:<14}{a:<42}{b}\n");
    t.push_str(&row("", known_label, "new card"));
    t.push_str(&row("name", &k.name, &n.name));
    t.push_str(&row("organisation", &k.organisation, &n.organisation));
    t.push_str(&row("e-mail", &k.email, &n.email));
    t.push_str(&row("role", k.role.key(), n.role.key()));
    t.push_str(&row(
        "fingerprint",
        &k.fingerprint_display,
        &n.fingerprint_display,
    ));
    let file = file.display();
    t.push_str(&format!(
        "\nCall {} by phone, on a number you already know (not one from the card), and compare \
         both fingerprints. Only if they confirm the new key, run one of:\n  \
         pactum identity import {file} --new-key-for '{}'            (add: keep both keys trusted)\n",
        k.name, k.fingerprint_display
    ));
    if !k.own {
        t.push_str(&format!(
            "  pactum identity import {file} --new-key-for '{}' --replace  (replace: distrust the old key)\n",
            k.fingerprint_display
        ));
    }
    t
}

/// The own identity to sign with: the one named, or the only one there is.
fn own_identity(lib: &Library, given: Option<&str>) -> anyhow::Result<String> {
    if let Some(g) = given {
        return Ok(g.to_string());
    }
    let own: Vec<_> = lib.identities()?.into_iter().filter(|i| i.own).collect();
    match own.as_slice() {
        [one] => Ok(one.fingerprint.clone()),
        [] => Err(Error::IdentityNotFound(
            "there is no own identity; create one with `pactum identity new`".into(),
        )
        .into()),
        _ => Err(Error::NotAllowed(
            "there are several own identities; choose one with --identity NAME".into(),
        )
        .into()),
    }
}

/// The environment variable scripts use instead of the passphrase prompt.
const PASSPHRASE_ENV: &str = "PACTUM_PASSPHRASE";

fn passphrase(who: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(p);
    }
    rpassword::prompt_password(format!("Passphrase for {who}: "))
        .context("cannot read the passphrase (set PACTUM_PASSPHRASE when there is no terminal)")
}

fn new_passphrase(who: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(p);
    }
    let first = rpassword::prompt_password(format!("New passphrase for {who}: "))
        .context("cannot read the passphrase (set PACTUM_PASSPHRASE when there is no terminal)")?;
    let again = rpassword::prompt_password("Repeat the passphrase: ")?;
    if first != again {
        return Err(Error::Invalid(vec![pactum::Problem {
            path: "passphrase".into(),
            message: "the two passphrases differ".into(),
        }])
        .into());
    }
    Ok(first)
}

fn print_outcome(out: &mut impl Write, o: &pactum::library::SignOutcome) -> anyhow::Result<()> {
    let what = match o.amendment {
        Some(a) => format!("amendment {a} (version {})", o.version),
        None => format!("version {}", o.version),
    };
    write!(
        out,
        "{} {what} as {}; status {}",
        match o.decision {
            pactum::signing::Decision::Approve => "approved",
            pactum::signing::Decision::Reject => "rejected",
        },
        o.role.key(),
        o.status
    )?;
    if let Some(v) = o.in_force {
        write!(out, ", version {v} in force")?;
    }
    if !o.missing_roles.is_empty() {
        let m: Vec<&str> = o.missing_roles.iter().map(Role::key).collect();
        write!(out, "; waiting for {}", m.join(", "))?;
    }
    writeln!(out)?;
    Ok(())
}

/// The snake_case key of a serialized enum value.
/// Text stored in the database as the terminal should show it: control and bidirectional
/// formatting characters (which would reorder or hide what follows) as `\u{…}` escapes.
fn terminal_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if bidi || (c.is_control() && c != '\t') {
                format!("\\u{{{:04x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn key_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn read_limited(path: &std::path::Path, limit: u64) -> anyhow::Result<Vec<u8>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut buf = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut buf)
        .with_context(|| format!("cannot read {}", path.display()))?;
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
