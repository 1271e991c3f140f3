//! The PDF commands: an agreement's PDF (optionally signed), the redline of an amendment or
//! of two versions, and checking a PDF's signatures and content against the database.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use pactum::record::AgreementId;
use pactum::{Language, Library};

use super::files::{read_input, write_binary};
use super::identity::passphrase;

#[derive(Args)]
pub struct PdfArgs {
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
}

#[derive(Args)]
pub struct PdfRedlineArgs {
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
}

#[derive(Args)]
pub struct VerifyPdfArgs {
    file: PathBuf,
    /// Take the history from this exchange file. Its signers still count only if they
    /// are in this database's trust list, and this database's own copy of the agreement,
    /// if there is one, must agree with it.
    #[arg(long, value_name = "FILE")]
    bundle: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

pub fn pdf(lib: &Library, out: &mut impl Write, args: PdfArgs) -> anyhow::Result<ExitCode> {
    let PdfArgs {
        id,
        version,
        lang,
        output,
        sign_as,
    } = args;
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
    write_binary(output.as_deref(), &bytes, out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn pdf_redline(
    lib: &Library,
    out: &mut impl Write,
    args: PdfRedlineArgs,
) -> anyhow::Result<ExitCode> {
    let PdfRedlineArgs {
        id,
        amendment,
        from,
        to,
        lang,
        output,
    } = args;
    let bytes = match (amendment, from, to) {
        (Some(n), _, _) => lib.pdf_redline_amendment(id, n, lang)?,
        (None, Some(from), Some(to)) => lib.pdf_redline(id, from, to, lang)?,
        _ => unreachable!("clap requires AMENDMENT or both --from and --to"),
    };
    write_binary(output.as_deref(), &bytes, out)?;
    Ok(ExitCode::SUCCESS)
}

/// `pactum verify-pdf`: exits 1 when the PDF does not check out (after printing the report).
pub fn verify_pdf(
    lib: &Library,
    out: &mut impl Write,
    args: VerifyPdfArgs,
) -> anyhow::Result<ExitCode> {
    let bytes = read_input(&args.file)?;
    let exchange = match &args.bundle {
        Some(b) => Some(read_input(b)?),
        None => None,
    };
    let found = lib.verify_pdf(&bytes, exchange.as_deref())?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&found)?)?;
    } else {
        out.write_all(found.to_plain_words().as_bytes())?;
    }
    Ok(if found.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
