//! `pactum identity …`: own signing identities and the trust list of others' identity cards;
//! and what every signing command needs, the own identity to sign with and its passphrase
//! (from `$PACTUM_PASSPHRASE` or a prompt).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use pactum::signing::{KdfParams, KeyConflict, KeyDecision, NewIdentity, Role};
use pactum::{Error, Library};

use super::files::{read_input, write_file};
use super::text::clip;

#[derive(Subcommand)]
pub enum IdentityCommand {
    /// Create an own identity (keys sealed with a passphrase); prints its fingerprint.
    New(NewArgs),
    /// List own identities and the trust list with fingerprints.
    List(ListArgs),
    /// Write an identity's public card (JSON) for others to import.
    Export(ExportArgs),
    /// Import someone's identity card into the trust list (compare the fingerprint first).
    /// A card claiming a person you already trust with another key is refused (exit 2) and
    /// both fingerprints are shown.
    Import(ImportArgs),
    /// Remove a card from the trust list.
    Distrust(DistrustArgs),
}

#[derive(Args)]
pub struct NewArgs {
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
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    /// Name or fingerprint.
    who: String,
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Accept the card as a further key of the trusted person with this fingerprint (the
    /// one the refusal showed), after comparing both with them by phone.
    #[arg(long, value_name = "KNOWN FINGERPRINT")]
    new_key_for: Option<String>,
    /// With --new-key-for: distrust the old key instead of keeping both.
    #[arg(long, requires = "new_key_for")]
    replace: bool,
}

#[derive(Args)]
pub struct DistrustArgs {
    who: String,
}

/// `pactum identity …`: one function per subcommand.
pub fn run(
    lib: &Library,
    out: &mut impl Write,
    action: IdentityCommand,
) -> anyhow::Result<ExitCode> {
    match action {
        IdentityCommand::New(args) => new(lib, out, args),
        IdentityCommand::List(args) => list(lib, out, args),
        IdentityCommand::Export(args) => export(lib, out, args),
        IdentityCommand::Import(args) => import(lib, out, args),
        IdentityCommand::Distrust(args) => distrust(lib, out, args),
    }
}

fn new(lib: &Library, out: &mut impl Write, args: NewArgs) -> anyhow::Result<ExitCode> {
    let pass = new_passphrase(&args.name)?;
    #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
    let kdf = if args.insecure_test_kdf {
        KdfParams::for_tests()
    } else {
        KdfParams::default()
    };
    #[cfg(not(any(debug_assertions, feature = "insecure-test-kdf")))]
    let kdf = KdfParams::default();
    let new = NewIdentity {
        name: args.name,
        organisation: args.organisation,
        role: args.role,
        email: args.email,
    };
    let info = lib.create_identity_with_kdf(&new, &pass, kdf)?;
    writeln!(out, "{}  {}", info.fingerprint_display, info.fingerprint)?;
    Ok(ExitCode::SUCCESS)
}

fn list(lib: &Library, out: &mut impl Write, args: ListArgs) -> anyhow::Result<ExitCode> {
    let all = lib.identities()?;
    if args.json {
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
    Ok(ExitCode::SUCCESS)
}

fn export(lib: &Library, out: &mut impl Write, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let card = lib.export_card(&args.who)?;
    match args.output {
        Some(p) => write_file(&p, card.as_bytes())?,
        None => out.write_all(card.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `pactum identity import`: a card claiming a known person with another key is refused with
/// exit 2 and both keys side by side on stderr.
fn import(lib: &Library, out: &mut impl Write, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let ImportArgs {
        file,
        new_key_for,
        replace,
    } = args;
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
    Ok(ExitCode::SUCCESS)
}

fn distrust(lib: &Library, out: &mut impl Write, args: DistrustArgs) -> anyhow::Result<ExitCode> {
    let info = lib.distrust(&args.who)?;
    writeln!(out, "{} is no longer trusted", info.name)?;
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
pub fn own_identity(lib: &Library, given: Option<&str>) -> anyhow::Result<String> {
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

/// The own identity to sign with (see [`own_identity`]) and its passphrase.
pub fn signer(lib: &Library, given: Option<&str>) -> anyhow::Result<(String, String)> {
    let who = own_identity(lib, given)?;
    let pass = passphrase(&who)?;
    Ok((who, pass))
}

/// The environment variable scripts use instead of the passphrase prompt.
const PASSPHRASE_ENV: &str = "PACTUM_PASSPHRASE";

/// The passphrase of the identity `who`: `$PACTUM_PASSPHRASE`, else a prompt.
pub fn passphrase(who: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(p);
    }
    rpassword::prompt_password(format!("Passphrase for {who}: "))
        .context("cannot read the passphrase (set PACTUM_PASSPHRASE when there is no terminal)")
}

/// A new identity's passphrase: `$PACTUM_PASSPHRASE`, else prompted twice.
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
